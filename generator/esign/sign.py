"""Digital signatures on an issued plan, placed as Nghị định 30 (Điều 8, Phụ lục I) prescribes.

An electronic document has the value of the paper original once the competent person has signed it
and the agency's văn thư has added the agency's signature. Both are PAdES signatures (pyHanko), each
in an incremental update, so the first stays valid after the second is added.

Where the images go is read from the PDF itself, never from fixed coordinates: the signature block is
the right-hand cell of the row that starts with "Nơi nhận:" — the chức vụ line(s) at the top, a blank
space, then the signer's name. The handwritten signature is centred in that space and on those lines;
the seal, at its real size, covers the left third of the signature. A separate attachment file gets
the agency's signature without image at the top right of page 1: "số, ký hiệu; thời gian ký".

pyHanko and pdfminer.six are the optional extra `sign` (pip install "kehoach[sign]"), so rendering needs
neither; each public function says so in Vietnamese when they are missing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ..errors import OutputExistsError, UserError

if TYPE_CHECKING:  # Pillow comes with the sign extra and is imported where an image is read
    from PIL.Image import Image as PILImage

VN_TZ = dt.timezone(dt.timedelta(hours=7), "+07:00")
"""Vietnam time (ICT, no daylight saving): the decree asks for the signing time in the Vietnamese zone."""

SIGNER_FIELD = "ChuKyNguoiKy"
AGENCY_FIELD = "ChuKyCoQuan"
ATTACHMENT_FIELD = "ChuKyCoQuanPhuLuc"
ROLE_OF_FIELD = {SIGNER_FIELD: "người có thẩm quyền ký", AGENCY_FIELD: "cơ quan ban hành",
                 ATTACHMENT_FIELD: "cơ quan ban hành (phụ lục tệp riêng)"}

INSTALL_HINT = 'pip install "kehoach[sign]"'  # works from a wheel; double quotes: Windows too
MM = 72 / 25.4
"""PDF points per millimetre."""

SIGNATURE_MAX_WIDTH_MM = 60.0
"""Widest the handwritten signature is drawn; the cell of Mẫu 1.4 is about 10 cm wide."""
IMAGE_PADDING_PT = 2.0
"""Space kept between the signature and the chức vụ line above / the name below."""
MIN_SIGNING_SPACE_MM = 10.0
"""A gap smaller than this between chức vụ and name is not a signing space: refuse rather than squeeze."""
ATTACHMENT_FONT_PT = 10  # an int: pyHanko lays text out in exact fractions


def _need_sign_libs() -> None:
    import importlib.util

    if not all(importlib.util.find_spec(name) for name in ("pyhanko", "pdfminer", "uharfbuzz", "PIL")):
        raise UserError("ký số cần thư viện pyHanko và pdfminer.six; hãy cài bằng lệnh: "
                        f"{INSTALL_HINT}") from None


# --- Text positions -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Line:
    """One line of text on a page, in PDF user space (points, origin bottom-left)."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def height(self) -> float:
        return self.y1 - self.y0


@dataclass(frozen=True)
class Page:
    index: int
    width: float
    height: float
    lines: list[Line]

    @property
    def text(self) -> str:
        return " ".join(line.text for line in sorted(self.lines, key=lambda line: (-line.y1, line.x0)))


def read_pages(pdf: bytes, *, max_pages: int | None = None) -> list[Page]:
    """Every text line of every page with its box (pdfminer.six), text in NFC."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTTextLine

    def walk(obj: Any, lines: list[Line]) -> None:
        if isinstance(obj, LTTextLine):
            text = unicodedata.normalize("NFC", obj.get_text()).strip()
            if text:
                lines.append(Line(text, *obj.bbox))
            return
        if hasattr(obj, "__iter__"):
            for child in obj:
                walk(child, lines)

    pages = []
    try:
        for index, layout in enumerate(extract_pages(io.BytesIO(pdf), maxpages=max_pages or 0)):
            lines: list[Line] = []
            walk(layout, lines)
            x0, y0, x1, y1 = layout.bbox
            pages.append(Page(index, x1 - x0, y1 - y0, lines))
    except Exception as exc:  # pdfminer raises many kinds on a damaged file
        raise UserError(f"không đọc được chữ trong tệp PDF ({type(exc).__name__}: {exc})") from None
    return pages


@dataclass(frozen=True)
class SignatureBlock:
    """The signature cell found on a page: chức vụ lines, the signing space, the signer's name."""

    page: Page
    titles: list[Line]
    name: Line

    @property
    def centre_x(self) -> float:
        """The cell's centre: chức vụ and name are centred in the same cell, so their centres agree."""
        cells = [*self.titles, self.name]
        return sum(line.cx for line in cells) / len(cells)

    @property
    def space(self) -> tuple[float, float]:
        """Bottom and top of the blank space between the last chức vụ line and the name."""
        return self.name.y1, min(line.y0 for line in self.titles)


NOT_FOUND = ("không tìm thấy khối chữ ký trong tệp PDF (dòng \"Nơi nhận:\", bên phải là chức vụ, "
             "khoảng trống để ký và họ tên người ký)")


def find_signature_block(pages: list[Page]) -> SignatureBlock:
    """The signature block of a Kế hoạch as kehoach lays it out (and as Mẫu 1.4 draws it).

    The row starts with "Nơi nhận:" on the left; the lines of the right-hand cell from that row down
    are the chức vụ lines (close together), then the signing space (a large gap), then the name.
    """
    for page in pages:
        anchors = [line for line in page.lines if re.match(r"Nơi nhận\s*:", line.text)]
        if not anchors:
            continue
        anchor = max(anchors, key=lambda line: line.y1)
        # The left cell: "Nơi nhận:" and the recipient lines under it, all starting at its left edge.
        left = [line for line in page.lines if abs(line.x0 - anchor.x0) < 3 and line.y1 <= anchor.y1 + 1]
        left_edge = max(line.x1 for line in left)
        tolerance = max(4.0, anchor.height * 0.5)  # chức vụ is 13-14 pt, "Nơi nhận:" 12 pt
        right = sorted((line for line in page.lines if line.x0 > left_edge + 5 and line.y1 <= anchor.y1 + tolerance),
                       key=lambda line: -line.y1)
        if not right:
            raise UserError(f"{NOT_FOUND}: trang {page.index + 1} có \"Nơi nhận:\" nhưng bên phải "
                            "không có chức vụ, họ tên người ký")
        titles = [right[0]]
        for line in right[1:]:
            if titles[-1].y0 - line.y1 > max(line.height, titles[-1].height):
                break
            titles.append(line)
        rest = right[len(titles):]
        if not rest:
            raise UserError(f"{NOT_FOUND}: trang {page.index + 1} có chức vụ "
                            f"\"{' / '.join(t.text for t in titles)}\" nhưng không có họ tên người ký bên "
                            "dưới (khối chữ ký có thể bị tách sang trang sau)")
        name = rest[0]
        gap = titles[-1].y0 - name.y1
        if gap < MIN_SIGNING_SPACE_MM * MM:
            raise UserError(f"{NOT_FOUND}: giữa chức vụ và họ tên \"{name.text}\" chỉ có "
                            f"{gap / MM:.0f} mm, không đủ chỗ ký (cần ít nhất {MIN_SIGNING_SPACE_MM:.0f} mm)")
        return SignatureBlock(page, titles, name)
    raise UserError(f"{NOT_FOUND}. Chỉ ký được văn bản do kehoach xuất ra PDF "
                    "(kehoach render --final --pdf)")


DRAFT_NUMBER = re.compile(r"Số\s*:\s*/")


def refuse_draft(pages: list[Page]) -> None:
    """A draft has no number yet; the văn thư issues the number before anyone signs."""
    if pages and DRAFT_NUMBER.search(pages[0].text):
        raise UserError("tệp PDF là dự thảo (\"Số:      /…\" chưa có số); chỉ ký bản phát hành: "
                        "kehoach render DỮ-LIỆU.yaml --final --number N --date NĂM-THÁNG-NGÀY --pdf")


SYMBOL = r"(\d+/[A-ZĐ0-9]+(?:-[A-ZĐ0-9]+)+)"
ATTACHMENT_REF = re.compile(r"Kèm theo\s+.{0,60}?\bsố\s+" + SYMBOL)
HEADER_REF = re.compile(r"Số\s*:\s*" + SYMBOL)


def attachment_symbol(page: Page) -> str:
    """Số và ký hiệu of the document an attachment file belongs to, from its "(Kèm theo … số …)" line."""
    for pattern in (ATTACHMENT_REF, HEADER_REF):
        m = pattern.search(page.text)
        if m:
            return m.group(1)
    raise UserError("không tìm thấy số, ký hiệu văn bản ở trang 1 của phụ lục (dòng \"(Kèm theo Kế hoạch "
                    "số …/KH-… ngày …)\"); phụ lục tệp riêng phải ghi số, ký hiệu của văn bản")


# --- Boxes ----------------------------------------------------------------------------------------

Box = tuple[float, float, float, float]
"""(x0, y0, x1, y1) in PDF points, origin bottom-left."""


def signer_box(block: SignatureBlock, image_size: tuple[int, int]) -> Box:
    """The handwritten signature: as large as the signing space allows (aspect kept, at most
    SIGNATURE_MAX_WIDTH_MM wide), centred on the chức vụ/name lines and in the space between them."""
    bottom, top = block.space
    width_px, height_px = image_size
    max_h = top - bottom - 2 * IMAGE_PADDING_PT
    max_w = min(SIGNATURE_MAX_WIDTH_MM * MM, 2 * (block.page.width - block.centre_x) - 20)
    scale = min(max_h / height_px, max_w / width_px)
    w, h = width_px * scale, height_px * scale
    cx, cy = block.centre_x, (bottom + top) / 2
    return (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


def seal_box(signature: Box, image_size: tuple[int, int], seal_mm: float) -> Box:
    """The seal at its real size (seal_mm across), centred on the signature's height, its right edge
    one third of the way into the signature: it covers the signature's left third."""
    sx0, sy0, sx1, sy1 = signature
    width_px, height_px = image_size
    w = seal_mm * MM
    h = w * height_px / width_px
    right = sx0 + (sx1 - sx0) / 3
    cy = (sy0 + sy1) / 2
    return (right - w, cy - h / 2, right, cy + h / 2)


def attachment_box(page: Page, text: str) -> Box:
    """Top right of page 1: right edge on the text's right margin, just above the first line."""
    from ..word.metrics import text_width_pt

    right = max((line.x1 for line in page.lines), default=page.width - 15 * MM)
    top_line = max((line.y1 for line in page.lines), default=page.height - 20 * MM)
    w = text_width_pt(text, ATTACHMENT_FONT_PT) + 4
    h = ATTACHMENT_FONT_PT * 1.6
    y0 = min(top_line + 4, page.height - 5 * MM - h)
    return (right - w, y0, right, y0 + h)


# --- Images ---------------------------------------------------------------------------------------

def load_image(path: str | Path, what: Literal["signature", "seal"]) -> PILImage:
    """The PNG cropped to its visible part (so "real size" and "centred" mean the ink, not the
    canvas), refused unless it is a PNG with a transparent background. Returns a PIL image."""
    from PIL import Image, UnidentifiedImageError

    label = {"signature": "ảnh chữ ký", "seal": "ảnh con dấu"}[what]
    path = Path(path)
    try:
        image = Image.open(path)
        image.load()
    except FileNotFoundError:
        raise UserError(f"{path}: không có tệp {label}") from None
    except (UnidentifiedImageError, OSError) as exc:
        raise UserError(f"{path}: không đọc được {label} ({exc})") from None
    if image.format != "PNG":
        raise UserError(f"{path}: {label} phải là tệp PNG nền trong suốt (Nghị định 30, Phụ lục I), "
                        f"không phải {image.format}")
    rgba = image.convert("RGBA")
    alpha = rgba.getchannel("A")
    lo, _ = alpha.getextrema()
    if lo == 255:
        raise UserError(f"{path}: {label} không có nền trong suốt; hãy xuất lại ảnh PNG nền trong suốt "
                        "(Nghị định 30, Phụ lục I) để không che chữ của văn bản")
    bbox = alpha.point(lambda a: 255 if a >= 16 else 0).getbbox()
    if bbox is None:
        raise UserError(f"{path}: {label} trong suốt hoàn toàn, không có nét nào")
    return rgba.crop(bbox)


def colour_warning(image: PILImage, what: Literal["signature", "seal"]) -> str | None:
    """The decree wants a blue signature and a red seal; say so (without refusing) when it is not."""
    r, g, b, n = 0, 0, 0, 0
    raw = image.convert("RGBA").tobytes()
    for i in range(0, len(raw), 4):
        if raw[i + 3] >= 128:
            r, g, b, n = r + raw[i], g + raw[i + 1], b + raw[i + 2], n + 1
    if not n:
        return None
    red, green, blue = r / n, g / n, b / n
    if what == "signature" and not (blue > red + 20 and blue > green):
        return "ảnh chữ ký nên có màu xanh (Nghị định 30, Phụ lục I)"
    if what == "seal" and not (red > blue + 40 and red > green + 40):
        return "ảnh con dấu nên có màu đỏ (Nghị định 30, Phụ lục I)"
    return None


# --- Keys -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Pkcs12Key:
    path: Path
    password: bytes | None = field(repr=False, default=None)


@dataclass(frozen=True)
class Pkcs11Key:
    """A USB token or HSM (the government CA's tokens speak PKCS#11)."""

    lib: str
    token_label: str
    pin: str | None = field(repr=False, default=None)
    key_label: str | None = None


KeySource = Pkcs12Key | Pkcs11Key


@contextlib.contextmanager
def open_signer(key: KeySource) -> Iterator[Any]:
    """A pyHanko Signer for the key; a PKCS#11 session is closed on exit."""
    if isinstance(key, Pkcs12Key):
        from pyhanko.sign.signers import SimpleSigner

        try:
            data = key.path.read_bytes()
        except OSError as exc:
            raise UserError(f"{key.path}: không đọc được tệp khóa ({exc.strerror or exc})") from None
        try:
            signer = SimpleSigner.load_pkcs12_data(data, other_certs=[], passphrase=key.password)
        except ValueError:
            raise UserError(f"{key.path}: không mở được tệp khóa PKCS#12: sai mật khẩu hoặc tệp hỏng") from None
        if signer is None:
            raise UserError(f"{key.path}: không mở được tệp khóa PKCS#12: sai mật khẩu hoặc tệp hỏng")
        yield signer
        return
    yield from _pkcs11_signer(key)


def _pkcs11_signer(key: Pkcs11Key) -> Iterator[Any]:
    try:
        import pkcs11
        from pyhanko.config.pkcs11 import TokenCriteria
        from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session
    except ImportError:
        raise UserError(f"ký bằng thiết bị PKCS#11 cần python-pkcs11; hãy cài bằng lệnh: {INSTALL_HINT}") from None
    if not Path(key.lib).is_file():
        raise UserError(f"{key.lib}: không có thư viện PKCS#11 này (tệp .so/.dll của nhà cung cấp token)")
    try:
        session = open_pkcs11_session(key.lib, token_criteria=TokenCriteria(label=key.token_label),
                                      user_pin=key.pin)
    except pkcs11.PinIncorrect:
        raise UserError(f"token \"{key.token_label}\": sai mã PIN") from None
    except Exception as exc:
        raise UserError(f"không mở được token \"{key.token_label}\" qua {key.lib} "
                        f"({type(exc).__name__}: {exc})") from None
    try:
        if key.key_label:
            signer = PKCS11Signer(session, key_label=key.key_label, cert_label=key.key_label)
        else:
            keys = list(session.get_objects({pkcs11.Attribute.CLASS: pkcs11.ObjectClass.PRIVATE_KEY}))
            if len(keys) != 1:
                raise UserError(f"token \"{key.token_label}\" có {len(keys)} khóa bí mật; hãy chọn một "
                                "bằng --key-label NHÃN")
            found = keys[0]
            key_id = _attr(found, pkcs11.Attribute.ID)
            label = _attr(found, pkcs11.Attribute.LABEL)
            # Key and certificate share CKA_ID by convention; the label is the fall-back.
            signer = (PKCS11Signer(session, key_id=key_id, cert_id=key_id) if key_id
                      else PKCS11Signer(session, key_label=label, cert_label=label))
        yield signer
    finally:
        session.close()


def _attr(obj: Any, attribute: Any) -> Any:
    try:
        return obj[attribute]
    except Exception:
        return None


# --- Signing --------------------------------------------------------------------------------------

Role = Literal["signer", "agency"]


@dataclass(frozen=True)
class Signed:
    """What sign_file wrote."""

    output: Path
    field: str
    page: int
    box: Box
    time: dt.datetime
    warnings: list[str]


def vietnam_now() -> dt.datetime:
    return dt.datetime.now(VN_TZ).replace(microsecond=0)


def _signature_fields(reader: Any) -> dict[str, Any]:
    """Signature field name → its widget dictionary (pyHanko combines field and widget)."""
    from pyhanko.sign.fields import enumerate_sig_fields

    return {name: ref.get_object() for name, _value, ref in enumerate_sig_fields(reader)}


def _page_of(reader: Any, widget: Any) -> int:
    """Index of the page whose /Annots hold this signature widget (matched by field name)."""
    name = widget.get("/T")
    count = int(reader.root["/Pages"]["/Count"])
    for index in range(count):
        page_ref, _resources = reader.find_page_for_modification(index)
        for annot in page_ref.get_object().get("/Annots", []):
            obj = annot.get_object()
            if obj.get("/FT") == "/Sig" and obj.get("/T") == name:
                return index
    return 0


def _check_paths(src: Path, out: Path, force: bool) -> None:
    if not src.is_file():
        raise UserError(f"{src}: không có tệp này")
    if out.exists() and out.resolve() == src.resolve():
        raise UserError(f"{out}: tệp kết quả trùng tệp cần ký; không bao giờ ghi đè tệp gốc, hãy chọn "
                        "tên khác bằng -o")
    if out.exists() and not force:
        raise OutputExistsError(f"{out}: đã có tệp này (có thể đã ký); không ghi đè. Chọn tên khác "
                                "bằng -o, hoặc thêm --force nếu chắc chắn")


def sign_file(src: str | Path, out: str | Path, *, role: Role, key: KeySource,
              image: str | Path | None = None, seal: str | Path | None = None, seal_mm: float = 36.0,
              attachment: bool = False, when: dt.datetime | None = None, force: bool = False) -> Signed:
    """Sign a PDF made by `kehoach render --final --pdf`: the library call behind `kehoach sign`.

    role="signer" with image: the competent person's signature, visible, in the signature block.
    role="agency" with seal: the agency's signature, the seal over the signer's image (the signer
    must have signed first). role="agency", attachment=True: a separate attachment file, text only,
    top right of page 1. The input is never modified; out is written atomically.
    """
    from ..word.package import atomic_write

    _need_sign_libs()
    src, out = Path(src), Path(out)
    _check_paths(src, out, force)
    if role == "signer" and (image is None or attachment or seal is not None):
        raise UserError("người ký ký bằng --as signer --image CHU-KY.png (không dùng --seal, --attachment)")
    if role == "agency" and not attachment and seal is None:
        raise UserError("cơ quan ký bằng --as agency --seal DAU.png (văn bản) hoặc --as agency --attachment "
                        "(phụ lục là tệp riêng)")
    if role == "agency" and attachment and (seal is not None or image is not None):
        raise UserError("phụ lục tệp riêng được ký không có hình ảnh: bỏ --seal/--image khi dùng --attachment")
    if not 10 <= seal_mm <= 60:
        raise UserError(f"--seal-mm {seal_mm:g}: đường kính con dấu phải từ 10 đến 60 mm")
    data = src.read_bytes()
    if not data.startswith(b"%PDF-"):
        raise UserError(f"{src}: không phải tệp PDF")
    when = (when or vietnam_now()).astimezone(VN_TZ)
    warnings: list[str] = []

    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.misc import PdfError

    try:
        # Not strict: files re-saved by other tools (pdfunite, printers' drivers) often carry small
        # cross-reference slips that every reader tolerates; the signature is appended either way.
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    except (PdfError, ValueError, KeyError) as exc:
        raise UserError(f"{src}: không đọc được tệp PDF ({exc})") from None
    if writer.prev.encrypted:
        raise UserError(f"{src}: tệp PDF có mật khẩu; hãy ký bản PDF không mã hóa")
    with contextlib.ExitStack() as stack:
        existing = _signature_fields(writer.prev)
        pages = read_pages(data)
        refuse_draft(pages)

        if role == "signer":
            if SIGNER_FIELD in existing:
                raise UserError(f"{src}: văn bản đã có chữ ký của người có thẩm quyền")
            if AGENCY_FIELD in existing:
                raise UserError(f"{src}: văn bản đã có chữ ký của cơ quan; người có thẩm quyền phải ký trước")
            block = find_signature_block(pages)
            picture = load_image(image, "signature")  # type: ignore[arg-type]
            warnings += filter(None, [colour_warning(picture, "signature")])
            field_name, page_index = SIGNER_FIELD, block.page.index
            box = signer_box(block, picture.size)
            style = _image_style(picture)
            reason = "Người có thẩm quyền ký ban hành văn bản"
        elif not attachment:
            if AGENCY_FIELD in existing:
                raise UserError(f"{src}: văn bản đã có chữ ký số của cơ quan")
            if SIGNER_FIELD not in existing:
                find_signature_block(pages)  # a clearer message when it is not one of ours at all
                raise UserError(f"{src}: chưa có chữ ký của người có thẩm quyền; người có thẩm quyền ký trước "
                                "(kehoach sign --as signer), văn thư ký số của cơ quan sau")
            widget = existing[SIGNER_FIELD]
            signature = tuple(float(v) for v in widget["/Rect"])
            picture = load_image(seal, "seal")  # type: ignore[arg-type]
            warnings += filter(None, [colour_warning(picture, "seal")])
            field_name, page_index = AGENCY_FIELD, _page_of(writer.prev, widget)
            box = seal_box(signature, picture.size, seal_mm)  # type: ignore[arg-type]
            style = _image_style(picture)
            reason = "Văn thư ký số của cơ quan ban hành"
        else:
            if any(re.match(r"Nơi nhận\s*:", line.text) for page in pages for line in page.lines):
                raise UserError(f"{src}: tệp có khối chữ ký (\"Nơi nhận:\"): đây là văn bản, không phải phụ lục "
                                "tệp riêng; phụ lục trong cùng tệp được ký một lần cùng văn bản (--seal)")
            if ATTACHMENT_FIELD in existing:
                raise UserError(f"{src}: phụ lục đã có chữ ký số của cơ quan")
            if not pages:
                raise UserError(f"{src}: tệp PDF không có trang nào")
            text = f"{attachment_symbol(pages[0])}; {when.isoformat(timespec='seconds')}"
            field_name, page_index = ATTACHMENT_FIELD, 0
            box = attachment_box(pages[0], text)
            style = _text_style(text, stack.enter_context(_font_in_thousandths(times_new_roman())))
            reason = "Văn thư ký số của cơ quan ban hành (phụ lục)"

        # Whole points: pyHanko's layout works in exact fractions of the box size, and 1 pt (0.35 mm) is
        # far below what a reader can see.
        box = tuple(float(round(v)) for v in box)  # type: ignore[assignment]
        signed = _sign(writer, key, field_name, page_index, box, style, reason, when)
    atomic_write(out, signed)
    return Signed(out, field_name, page_index, box, when, warnings)


def _image_style(picture: Any) -> Any:
    from pyhanko.pdf_utils.images import PdfImage
    from pyhanko.pdf_utils.layout import AxisAlignment, InnerScaling, Margins, SimpleBoxLayoutRule
    from pyhanko.stamp import StaticStampStyle

    # No border, no margin, full opacity: the box is the image, so the box we computed is where the
    # ink lands (the test reads it back from the widget's /Rect).
    return StaticStampStyle(
        background=PdfImage(picture), border_width=0, background_opacity=1.0,
        background_layout=SimpleBoxLayoutRule(x_align=AxisAlignment.ALIGN_MID, y_align=AxisAlignment.ALIGN_MID,
                                              margins=Margins(0, 0, 0, 0),
                                              inner_content_scaling=InnerScaling.STRETCH_TO_FIT),
    )


def times_new_roman() -> str:
    """A Times New Roman font file, or its metric twin Liberation Serif (fonts-liberation2)."""
    fc = shutil.which("fc-match")
    candidates = []
    if fc:
        for pattern in ("Times New Roman:style=Regular", "Liberation Serif:style=Regular"):
            proc = subprocess.run([fc, "-f", "%{file}", pattern], capture_output=True, text=True, timeout=30)
            candidates.append(proc.stdout.strip())
    candidates += ["/usr/share/fonts/truetype/msttcorefonts/Times_New_Roman.ttf",
                   "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
                   "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
                   "C:/Windows/Fonts/times.ttf"]
    for path in candidates:
        name = Path(path).name.lower()
        if path and Path(path).is_file() and name.endswith((".ttf", ".otf")) and (
                "times" in name or "liberationserif" in name):
            return path
    raise UserError("không tìm thấy phông Times New Roman (hoặc Liberation Serif) để ghi chữ ký số của "
                    "phụ lục; hãy cài bằng lệnh: apt-get install fonts-liberation2")


@contextlib.contextmanager
def _font_in_thousandths(path: str) -> Iterator[str]:
    """A temporary copy of the font rescaled to 1000 units per em.

    pyHanko 0.38 writes a CID font's /W widths in the font's own units, which PDF reads as
    thousandths of an em: a TrueType font with 2048 units (Times New Roman, Liberation Serif) comes
    out twice as wide and clipped. Rescaling the copy makes both agree.
    """
    import os
    import tempfile

    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    font = TTFont(path)
    if font["head"].unitsPerEm != 1000:
        scale_upem(font, 1000)
    fd, tmp = tempfile.mkstemp(prefix="kehoach-font-", suffix=".ttf")
    try:
        with os.fdopen(fd, "wb") as fh:
            font.save(fh)
        yield tmp
    finally:
        os.unlink(tmp)


def _text_style(text: str, font_file: str) -> Any:
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.layout import AxisAlignment, InnerScaling, Margins, SimpleBoxLayoutRule
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import TextStampStyle

    # Times New Roman 10 pt, upright, black (Phụ lục I); the font is embedded, as PDF/A requires.
    return TextStampStyle(
        stamp_text=text.replace("%", "%%"), border_width=0, background=None,
        text_box_style=TextBoxStyle(font=GlyphAccumulatorFactory(font_file, font_size=ATTACHMENT_FONT_PT),
                                    font_size=ATTACHMENT_FONT_PT, text_color=(0, 0, 0),
                                    box_layout_rule=SimpleBoxLayoutRule(
                                        x_align=AxisAlignment.ALIGN_MAX, y_align=AxisAlignment.ALIGN_MID,
                                        margins=Margins(0, 0, 0, 0))),
        inner_content_layout=SimpleBoxLayoutRule(x_align=AxisAlignment.ALIGN_MAX,
                                                 y_align=AxisAlignment.ALIGN_MID,
                                                 margins=Margins(0, 0, 0, 0),
                                                 inner_content_scaling=InnerScaling.NO_SCALING),
    )


def _sign(writer: Any, key: KeySource, field_name: str, page_index: int, box: Box, style: Any,
          reason: str, when: dt.datetime) -> bytes:
    from pyhanko.sign import fields, signers
    from pyhanko.sign.general import SigningError

    class VietnamTimeSigner(signers.PdfSigner):
        """PdfSigner whose signing time is the one we chose, in +07:00: pyHanko otherwise takes the
        machine's local zone, which on a server is usually UTC."""

        def init_signing_session(self, pdf_out: Any, existing_fields_only: bool = False) -> Any:
            session = super().init_signing_session(pdf_out, existing_fields_only)
            session.system_time = when
            return session

    meta = signers.PdfSignatureMetadata(
        field_name=field_name, reason=reason, md_algorithm="sha256",
        # PAdES baseline B-B: ETSI.CAdES.detached with the signing-certificate-v2 attribute; B-T would
        # need a time-stamping authority, which an offline văn thư does not have.
        subfilter=fields.SigSeedSubFilter.PADES,
    )
    spec = fields.SigFieldSpec(sig_field_name=field_name, on_page=page_index,
                               box=tuple(int(v) for v in box))  # type: ignore[arg-type]
    with open_signer(key) as signer, _quiet_pyhanko():
        pdf_signer = VietnamTimeSigner(meta, signer=signer, stamp_style=style, new_field_spec=spec)
        try:
            result = pdf_signer.sign_pdf(writer)
        except SigningError as exc:
            raise UserError(f"không ký được: {exc}") from None
    return result.getvalue()


# --- Verification ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class SignatureReport:
    field: str
    who: str
    organisation: str | None
    time: dt.datetime | None
    intact: bool
    valid: bool
    trusted: bool | None
    """None when no trust anchor was given."""
    covers_whole: bool
    """The signature covers the whole file, or everything added after it is only further signatures."""
    coverage: str
    page: int | None
    problems: list[str]

    @property
    def broken(self) -> bool:
        return bool(self.problems)

    def to_text(self, number: int) -> str:
        role = ROLE_OF_FIELD.get(self.field, "chữ ký")
        who = self.who + (f" — {self.organisation}" if self.organisation else "")
        when = self.time.astimezone(VN_TZ).isoformat(timespec="seconds") if self.time else "không rõ"
        yes = {True: "có", False: "KHÔNG"}
        trust = ("chưa kiểm tra (thêm --trust CA.pem)" if self.trusted is None
                 else "có" if self.trusted else "KHÔNG")
        lines = [
            f"Chữ ký {number} ({role}, trường {self.field}{'' if self.page is None else f', trang {self.page + 1}'}): "
            f"{who}",
            f"  thời gian ký: {when}",
            f"  nguyên vẹn: {yes[self.intact]}; chữ ký đúng với chứng thư: {yes[self.valid]}; "
            f"chứng thư tin cậy: {trust}",
            f"  phạm vi: {self.coverage}",
        ]
        lines += [f"  LỖI: {p}" for p in self.problems]
        return "\n".join(lines)


def _load_trust(paths: list[str | Path]) -> list[Any]:
    from asn1crypto import pem, x509

    roots = []
    for path in paths:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise UserError(f"{path}: không đọc được chứng thư tin cậy ({exc.strerror or exc})") from None
        try:
            if pem.detect(data):
                roots += [x509.Certificate.load(der) for _t, _h, der in pem.unarmor(data, multiple=True)]
            else:
                roots.append(x509.Certificate.load(data))
        except Exception:
            raise UserError(f"{path}: không phải chứng thư X.509 (PEM hoặc DER)") from None
    return roots


def verify_file(path: str | Path, *, trust: list[str | Path] | None = None) -> list[SignatureReport]:
    """Every signature in the PDF, checked: the library call behind `kehoach verify`."""
    _need_sign_libs()
    from pyhanko.pdf_utils.reader import PdfFileReader

    path = Path(path)
    if not path.is_file():
        raise UserError(f"{path}: không có tệp này")
    data = path.read_bytes()
    if not data.startswith(b"%PDF-"):
        raise UserError(f"{path}: không phải tệp PDF")
    roots = _load_trust(trust or [])
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = list(reader.embedded_signatures)
    except Exception as exc:
        # A PDF that no longer parses after signing has been damaged or altered: that is a broken
        # document (exit 1), not a wrong argument.
        return [SignatureReport("?", "?", None, None, False, False, None, False, "không xác định", None,
                                [f"tệp PDF hỏng hoặc đã bị sửa, không đọc được cấu trúc ({exc})"])]
    reports = []
    with _quiet_pyhanko():
        for sig in signatures:
            reports.append(_verify_one(reader, sig, roots))
    return reports


@contextlib.contextmanager
def _quiet_pyhanko() -> Iterator[None]:
    """pyHanko logs a traceback whenever a certificate path cannot be built (always, without
    --trust), and fontTools chatters while subsetting the font; what matters reaches the user as a
    report or a UserError, so silence both meanwhile."""
    import logging

    loggers = [logging.getLogger(name) for name in ("pyhanko", "pyhanko_certvalidator", "fontTools")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def _verify_one(reader: Any, sig: Any, roots: list[Any]) -> SignatureReport:
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    problems: list[str] = []
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    try:
        status = validate_pdf_signature(sig, context)
    except Exception as exc:  # a mangled CMS blob is a broken signature, not a crash
        return SignatureReport(sig.field_name, "?", None, None, False, False, None, False,
                               "không xác định", None,
                               [f"không đọc được chữ ký ({type(exc).__name__}: {exc})"])
    cert = status.signing_cert
    subject = cert.subject.native
    who = subject.get("common_name") or cert.subject.human_friendly
    level = status.modification_level
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    later_ok = (status.coverage == SignatureCoverageLevel.ENTIRE_REVISION and level is not None
                and level <= ModificationLevel.FORM_FILLING and status.docmdp_ok is not False)
    if whole:
        coverage = "toàn bộ tệp"
    elif later_ok:
        coverage = "toàn bộ văn bản lúc ký; phần thêm sau đó chỉ là chữ ký số (được phép)"
    else:
        coverage = "KHÔNG phủ toàn bộ văn bản: có nội dung bị thêm hoặc sửa sau khi ký"
    if not status.intact:
        problems.append("nội dung đã bị thay đổi sau khi ký (mã băm không khớp)")
    if not status.valid:
        problems.append("chữ ký không khớp với chứng thư của người ký")
    if not (whole or later_ok):
        problems.append("văn bản bị sửa sau khi ký")
    trusted = None
    if roots:
        trusted = bool(status.trusted)
        if not trusted:
            problems.append("chứng thư không được cấp bởi tổ chức tin cậy đã cho (--trust)")
    when = status.signer_reported_dt
    if when is None:
        m = sig.sig_object.get("/M")
        when = _pdf_date(str(m)) if m else None
    return SignatureReport(
        sig.field_name, who, subject.get("organization_name"), when, bool(status.intact),
        bool(status.valid), trusted, whole or later_ok, coverage, _sig_page(reader, sig), problems)


def _sig_page(reader: Any, sig: Any) -> int | None:
    try:
        return _page_of(reader, sig.sig_field)
    except Exception:
        return None


def _pdf_date(text: str) -> dt.datetime | None:
    m = re.match(r"D:(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)([+-Z])?(\d\d)?'?(\d\d)?", text)
    if not m:
        return None
    y, mo, d, h, mi, s = (int(g) for g in m.groups()[:6])
    sign, oh, om = m.group(7), int(m.group(8) or 0), int(m.group(9) or 0)
    offset = dt.timedelta(hours=oh, minutes=om) * (-1 if sign == "-" else 1)
    return dt.datetime(y, mo, d, h, mi, s, tzinfo=dt.timezone(offset))
