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
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ..errors import UserError
from ..nd30 import DOC_NUMBER_DIGITS, DOC_NUMBER_MAX, DOC_NUMBER_MIN, QUOC_HIEU, SYMBOL
from ..text import two_digits
from .common import (
    AGENCY_FIELD,
    ATTACHMENT_FIELD,
    INSTALL_HINT,
    ROLE_OF_FIELD,
    SIGNER_FIELD,
    VN_TZ,
    incremental_writer,
    need_sign_libs,
    page_of,
    quiet_pyhanko,
)
from .pages import Line, Page, read_pages
from .verify import MAX_PDF_BYTES, SignatureReport, Verification, verify_file

__all__ = ["AGENCY_FIELD", "ATTACHMENT_FIELD", "INSTALL_HINT", "ROLE_OF_FIELD", "SIGNER_FIELD", "VN_TZ", "Line",
           "Page", "SignatureReport", "Verification", "read_pages", "sign_file", "verify_file"]

if TYPE_CHECKING:  # Pillow comes with the sign extra and is imported where an image is read
    from PIL.Image import Image as PILImage

    from ..word.output import Target

MM = 72 / 25.4
"""PDF points per millimetre."""

SIGNATURE_MAX_WIDTH_MM = 60.0
"""Widest the handwritten signature is drawn; the cell of Mẫu 1.4 is about 10 cm wide."""
IMAGE_PADDING_PT = 2.0
"""Space kept between the signature and the chức vụ line above / the name below."""
MIN_SIGNING_SPACE_MM = 10.0
"""A gap smaller than this between chức vụ and name is not a signing space: refuse rather than squeeze."""
ATTACHMENT_FONT_PT = 10  # an int: pyHanko lays text out in exact fractions


# --- The signature block ------------------------------------------------------------------------

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
DRAFT_MARK = re.compile(r"\bDỰ\s+THẢO\b")
DRAFT_MARK_LINE = re.compile(r"\s*DỰ\s+THẢO(?:\s+(?:LẦN\s+)?\d+)?\s*", re.IGNORECASE)
"""A line that is the mark and nothing else ("DỰ THẢO", "Dự thảo lần 2"), wherever a template puts its box:
beside the Quốc hiệu, in the issuer's column, in the page's corner."""


def _above_quoc_hieu(page: Page) -> str:
    """The text where a draft's mark is printed: the first paragraph of the document, above the
    Quốc hiệu of page 1. The body may well say "DỰ THẢO" in capitals: a Tờ trình's heading "NỘI DUNG
    CHÍNH CỦA DỰ THẢO KẾ HOẠCH" is what it submits, no mark. A page without a Quốc hiệu: all of it."""
    lines = page.ordered()
    top = next((line for line in lines if QUOC_HIEU in " ".join(line.text.split())), None)
    if top is None:
        return page.text
    return " ".join(line.text for line in lines if (line.y0 + line.y1) / 2 > top.y1)


def refuse_draft(pages: list[Page], role: Role = "signer") -> None:
    """A draft (the DỰ THẢO mark) is never signed. The copy made to be signed (render --final
    --unnumbered) has the number and the day blank: the competent person signs it, and the văn thư
    gives the number and the date afterwards (Decree 30, Điều 15); the agency's signature needs them."""
    if not pages:
        return
    first = pages[0]
    if DRAFT_MARK.search(_above_quoc_hieu(first)) or any(DRAFT_MARK_LINE.fullmatch(line.text)
                                                          for line in first.ordered()):
        raise UserError("tệp PDF là dự thảo (có dấu \"DỰ THẢO\"); chỉ ký bản trình ký hoặc bản phát hành: "
                        "kehoach render DỮ-LIỆU.yaml --final --unnumbered --pdf (số và ngày để trống cho văn thư), "
                        "hoặc --final --number N --date NGÀY/THÁNG/NĂM --pdf")
    if role == "agency" and DRAFT_NUMBER.search(pages[0].text):
        raise UserError("tệp PDF chưa có số văn bản (\"Số:      /…\" để trống); cơ quan chỉ ký số bản đã có số "
                        "và ngày: kehoach render DỮ-LIỆU.yaml --final --number N --date NGÀY/THÁNG/NĂM --pdf")


NUMBER_AND_SYMBOL = rf"(\d*)\s*/({SYMBOL})"
"""Số (blank in a signing copy) and ký hiệu: "125/KH-SKHCN", "      /KH-SGD&ĐT"."""
ATTACHMENT_REF = re.compile(r"Kèm theo\s+.{0,60}?\bsố\s*" + NUMBER_AND_SYMBOL)
HEADER_REF = re.compile(r"Số\s*:\s*" + NUMBER_AND_SYMBOL)


def attachment_symbol(page: Page, number: int | None = None) -> str:
    """Số và ký hiệu of the document an attachment file belongs to, from its "(Kèm theo … số …)" line.
    A blank số (the signing copy) is the number the văn thư stamps now; without one, refused."""
    for pattern in (ATTACHMENT_REF, HEADER_REF):
        m = pattern.search(page.text)
        if m and m.group(1):
            return f"{m.group(1)}/{m.group(2)}"
        if m and number is not None:
            return f"{two_digits(number)}/{m.group(2)}"
        if m:
            raise UserError("phụ lục còn để trống số văn bản (dòng \"(Kèm theo … số      /" + m.group(2) + " …)\"): "
                            "đóng số và ngày của văn bản vào phụ lục cùng lúc với chữ ký của cơ quan: kehoach sign "
                            "PHU-LUC.pdf --as agency --attachment --number N --date NGÀY/THÁNG/NĂM (cùng số, ngày "
                            "đã đóng vào văn bản)")
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

MAX_IMAGE_SIDE = 8000
"""Pixels on the longer side of a signature or seal image: 8000 px is 68 cm at 300 dpi, far above any
scan; a larger declared size is a file made to exhaust memory when decoded."""
MAX_IMAGE_BYTES = 20 * 2**20


def _check_png_header(path: Path, label: str) -> None:
    """Refuse, before decoding, a PNG whose header declares more pixels than a signature can have:
    an 83-byte file can declare 30000 × 30000 pixels (3.6 GB once decoded)."""
    import struct

    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(24)
    except FileNotFoundError:
        raise UserError(f"{path}: không có tệp {label}") from None
    except OSError as exc:
        raise UserError(f"{path}: không đọc được {label} ({exc.strerror or exc})") from None
    if size > MAX_IMAGE_BYTES:
        raise UserError(f"{path}: {label} quá lớn ({size / 2**20:.0f} MB; tối đa {MAX_IMAGE_BYTES >> 20} MB)")
    if head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR":
        width, height = struct.unpack(">II", head[16:24])
        if max(width, height) > MAX_IMAGE_SIDE or width * height == 0:
            raise UserError(f"{path}: {label} khai báo kích thước {width} × {height} điểm ảnh, không dùng "
                            f"được (tối đa {MAX_IMAGE_SIDE} điểm ảnh mỗi chiều); hãy xuất lại ảnh chữ ký/con "
                            "dấu ở kích thước thường (khoảng 600–1500 điểm ảnh)")


def load_image(path: str | Path, what: Literal["signature", "seal"]) -> PILImage:
    """The PNG cropped to its visible part (so "real size" and "centred" mean the ink, not the
    canvas), refused unless it is a PNG with a transparent background. Returns a PIL image."""
    from PIL import Image, UnidentifiedImageError

    label = {"signature": "ảnh chữ ký", "seal": "ảnh con dấu"}[what]
    path = Path(path)
    _check_png_header(path, label)
    try:
        image = Image.open(path)
        image.load()
    except FileNotFoundError:
        raise UserError(f"{path}: không có tệp {label}") from None
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError) as exc:
        raise UserError(f"{path}: không đọc được {label} ({type(exc).__name__})") from None
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
    """A pyHanko Signer for the key, its certificate checked (valid now, when the key is used, and
    meant for signing); a PKCS#11 session is closed on exit."""
    with _open_signer(key) as signer:
        check_certificate(signer.signing_cert, vietnam_now())
        yield signer


def check_certificate(cert: Any, when: dt.datetime) -> None:
    """Refuse to sign with a certificate that is expired, not yet valid, or not meant for signatures:
    the signature would be worthless to every reader, and nothing else would say so."""
    validity = cert["tbs_certificate"]["validity"]
    not_before, not_after = validity["not_before"].native, validity["not_after"].native
    who = cert.subject.native.get("common_name") or cert.subject.human_friendly

    def day(moment: dt.datetime) -> str:
        return moment.astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M")

    if when > not_after:
        raise UserError(f"chứng thư số của \"{who}\" đã hết hạn từ {day(not_after)}; không ký được. Hãy gia hạn "
                        "hoặc xin cấp chứng thư mới ở tổ chức cung cấp dịch vụ chứng thực")
    if when < not_before:
        raise UserError(f"chứng thư số của \"{who}\" chưa có hiệu lực (từ {day(not_before)}); không ký được. "
                        "Hãy kiểm tra đồng hồ của máy hoặc chờ đến ngày chứng thư có hiệu lực")
    usage = cert.key_usage_value
    if usage is not None and not ({"digital_signature", "non_repudiation"} & set(usage.native)):
        raise UserError(f"chứng thư số của \"{who}\" không dùng để ký (mục đích sử dụng khóa: "
                        f"{', '.join(usage.native) or 'không có'}); hãy dùng chứng thư ký số")


@contextlib.contextmanager
def _open_signer(key: KeySource) -> Iterator[Any]:
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
    labels = _token_labels(pkcs11, key.lib)
    if labels is not None and key.token_label not in labels:
        raise UserError(f"không có token nhãn \"{key.token_label}\" qua {key.lib}; "
                        + (f"các token đang cắm: {', '.join(repr(t) for t in labels)}" if labels
                           else "không thấy token nào (thiết bị đã cắm và đã cài trình điều khiển chưa?)"))
    try:
        session = open_pkcs11_session(key.lib, token_criteria=TokenCriteria(label=key.token_label),
                                      user_pin=key.pin)
    except pkcs11.PinIncorrect:
        raise UserError(f"token \"{key.token_label}\": sai mã PIN") from None
    except Exception as exc:
        raise UserError(f"không mở được token \"{key.token_label}\" qua {key.lib} "
                        f"({type(exc).__name__})") from None
    try:
        # The key and its certificate are found here, before signing: pyHanko would only fail on
        # them mid-way, with an English PKCS11Error (issue 30: a label typo, a key without certificate).
        attr, kind = pkcs11.Attribute, pkcs11.ObjectClass
        keys = list(session.get_objects({attr.CLASS: kind.PRIVATE_KEY}))
        key_labels = ", ".join(f"\"{_attr(k, attr.LABEL)}\"" for k in keys) or "không có khóa nào"
        if key.key_label:
            keys = [k for k in keys if _attr(k, attr.LABEL) == key.key_label]
            if not keys:
                raise UserError(f"token \"{key.token_label}\" không có khóa nhãn \"{key.key_label}\"; các khóa "
                                f"trên token: {key_labels}. Hãy sửa --key-label")
        if len(keys) != 1:
            raise UserError(f"token \"{key.token_label}\" có {len(keys)} khóa bí mật ({key_labels}); hãy chọn một "
                            "bằng --key-label NHÃN")
        key_id, label = _attr(keys[0], attr.ID), _attr(keys[0], attr.LABEL)
        # Key and certificate share CKA_ID by convention; the label is the fall-back.
        if key_id and list(session.get_objects({attr.CLASS: kind.CERTIFICATE, attr.ID: key_id})):
            signer = PKCS11Signer(session, key_id=key_id, cert_id=key_id)
        elif label and list(session.get_objects({attr.CLASS: kind.CERTIFICATE, attr.LABEL: label})):
            signer = PKCS11Signer(session, key_label=label, cert_label=label)
        else:
            raise UserError(f"token \"{key.token_label}\": khóa \"{label}\" không có chứng thư số (certificate) "
                            "đi kèm trên token (cùng ID hoặc cùng nhãn); hãy nạp chứng thư của khóa vào token "
                            "bằng phần mềm của nhà cung cấp, hoặc chọn khóa khác bằng --key-label")
        yield signer
    finally:
        session.close()


def _token_labels(pkcs11: Any, lib: str) -> list[str] | None:
    """Labels of the tokens present, or None when the library cannot say."""
    try:
        return [str(token.label).strip() for token in pkcs11.lib(lib).get_tokens()]
    except Exception:
        return None


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
    stamped: tuple[str, ...] = ()
    """What the văn thư wrote into the blanks ("số 125 (trang 1)", …), in signing order."""


def vietnam_now() -> dt.datetime:
    return dt.datetime.now(VN_TZ).replace(microsecond=0)


def _signature_fields(reader: Any) -> dict[str, Any]:
    """Signature field name → its widget dictionary (pyHanko combines field and widget)."""
    from pyhanko.sign.fields import enumerate_sig_fields

    return {name: ref.get_object() for name, _value, ref in enumerate_sig_fields(reader)}


def check_paths(src: Path, out: Path, force: bool, inputs: list[Any]) -> Target:
    """The output decided before signing (generator.word.output): never one of the inputs (the
    PDF, the images, the key file), even with --force; not an existing file without --force.
    `kehoach sign` calls it before asking for the password too: a mistyped name is said before the
    signer types a secret for nothing."""
    from ..word.output import target

    # Said by the one reader of a user's file, as verify and import say it: a folder as a folder, a
    # pipe refused without waiting on it, a missing file as missing. Its first bytes only here: the
    # PDF is read whole when it is signed.
    _read_pdf(src, head=True)
    if out.suffix.lower() != ".pdf":
        raise UserError(f"{out}: tệp đã ký phải có đuôi .pdf")
    output = target(out, inputs=[src, *inputs])
    output.refuse_taken(force, "có thể đã ký; chọn tên khác bằng -o, hoặc thêm --force nếu chắc chắn")
    return output


def _read_pdf(src: Path, head: bool = False) -> bytes:
    """The PDF to sign (its first bytes with head), read as verify reads one (word.package.read_bounded,
    within verify's MAX_PDF_BYTES: a file sign makes must be one verify reads)."""
    from ..word.package import read_bounded

    return read_bounded(src, str(src), len(b"%PDF-") if head else MAX_PDF_BYTES, head=head,
                        kind="tệp PDF cần ký", too_big="kehoach chỉ ký tệp PDF đến cỡ này")


def sign_file(src: str | Path, out: str | Path, *, role: Role, key: KeySource,
              image: str | Path | None = None, seal: str | Path | None = None, seal_mm: float = 36.0,
              attachment: bool = False, when: dt.datetime | None = None, force: bool = False,
              number: int | str | None = None, date: str | dt.date | None = None) -> Signed:
    """Sign a PDF made by `kehoach render --final --pdf`: the library call behind `kehoach sign`.

    role="agency" with number and date: the văn thư's issue of a copy the competent person signed
    with the number and date blank (render --final --unnumbered): one agency signature per blank,
    whose appearance writes the number, the day or the month there (stamps.py), then the seal when
    given.

    role="signer" with image: the competent person's signature, visible, in the signature block.
    role="agency" with seal: the agency's signature, the seal over the signer's image (the signer
    must have signed first). role="agency", attachment=True: a separate attachment file, text only,
    top right of page 1. The input is never modified; out is written atomically.
    """
    need_sign_libs()
    src, out = Path(src), Path(out)
    output = check_paths(src, out, force, [image, seal, getattr(key, "path", None)])
    _check_options(role, image, seal, seal_mm, attachment, number, date)
    data = _read_pdf(src)
    if not data.startswith(b"%PDF-"):
        raise UserError(f"{src}: không phải tệp PDF")
    when = (when or vietnam_now()).astimezone(VN_TZ)
    warnings: list[str] = []

    from pyhanko.pdf_utils.misc import PdfError

    stamped: tuple[str, ...] = ()
    # The pages are read as given: the stamps below are annotations and change no page's content.
    given = data
    if number is not None:
        data, last, stamped = _stamp_issue(src, data, key, number, date, when,  # type: ignore[arg-type]
                                           attachment=attachment)
        warnings += _dated_ahead(date, when)  # type: ignore[arg-type]
        if seal is None and not attachment:
            output.save(data, force=force)
            return Signed(out, *last, when, warnings, stamped)

    try:
        # Not strict: files re-saved by other tools (pdfunite, printers' drivers) often carry small
        # cross-reference slips that every reader tolerates; the signature is appended either way.
        writer = incremental_writer(data)
    except (PdfError, ValueError, KeyError) as exc:
        raise UserError(f"{src}: không đọc được tệp PDF ({exc})") from None
    if writer.prev.encrypted:
        raise UserError(f"{src}: tệp PDF có mật khẩu; hãy ký bản PDF không mã hóa")
    with contextlib.ExitStack() as stack:
        existing = _signature_fields(writer.prev)
        pages = read_pages(given)
        # The văn thư's stamps are annotations, not page text: a stamped copy still shows "Số:  /".
        numbered_by_stamps = number is not None or "SoVanBan" in existing
        refuse_draft(pages, "signer" if numbered_by_stamps else role)
        if role == "signer":
            at = _signer_place(src, existing, pages, image, warnings)  # type: ignore[arg-type]
        elif not attachment:
            at = _seal_place(src, writer, existing, pages, seal, seal_mm, warnings)  # type: ignore[arg-type]
        else:
            at = _attachment_place(src, existing, pages, when, stack,
                                   None if number is None else int(str(number).strip()))
        # Whole points: pyHanko's layout works in exact fractions of the box size, and 1 pt (0.35 mm) is
        # far below what a reader can see.
        box: Box = tuple(float(round(v)) for v in at.box)  # type: ignore[assignment]
        signed = _sign(writer, key, at.field, at.page, box, at.style, at.reason, when)
    output.save(signed, force=force)
    return Signed(out, at.field, at.page, box, when, warnings, stamped)


def _dated_ahead(date: str | dt.date, when: dt.datetime) -> list[str]:
    """A warning when the day the văn thư writes is after the day the agency signs: an electronic
    document is dated when its number and date are given (Decree 30), and the signature's own time,
    which `verify` shows to every reader, would say it was issued before the date it bears."""
    from ..text import date_dmy
    from .stamps import parse_issue_date

    day, signed = parse_issue_date(date), when.astimezone(VN_TZ).date()
    if day <= signed:
        return []
    # What to do is said with both days: the tệp vừa ký is already written (stamped all the same),
    # and the PDF given is never replaced, so signing again from it is always possible.
    given, today = date_dmy(day.year, day.month, day.day), date_dmy(signed.year, signed.month, signed.day)
    return [f"ngày ban hành {given} (--date) sau ngày ký số {today} (giờ Việt Nam): người đọc thấy văn bản "
            f"được ký trước ngày ghi trên nó. Nếu {given} là nhầm, hãy ký lại từ cùng tệp PDF với --date "
            f"{today} (thêm --force để thay tệp vừa ký); nếu đúng là ngày ban hành, hãy ký số vào ngày {given}"]


def _check_options(role: Role, image: str | Path | None, seal: str | Path | None, seal_mm: float,
                   attachment: bool, number: int | str | None, date: str | dt.date | None) -> None:
    """The options that go together for each role, refused before any file is read."""
    if role == "signer" and (image is None or attachment or seal is not None):
        raise UserError("người ký ký bằng --as signer --image CHU-KY.png (không dùng --seal, --attachment)")
    if (number is None) != (date is None):
        raise UserError("--number và --date đi cùng nhau: văn thư đóng cả số và ngày ban hành")
    if number is not None and role != "agency":
        raise UserError("--number/--date chỉ dùng khi văn thư ký số của cơ quan (--as agency) trên văn bản hoặc phụ "
                        "lục tệp riêng (--as agency --attachment)")
    if role == "agency" and not attachment and seal is None and number is None:
        raise UserError("cơ quan ký bằng --as agency --seal DAU.png (văn bản) hoặc --as agency --attachment "
                        "(phụ lục là tệp riêng)")
    if role == "agency" and attachment and (seal is not None or image is not None):
        raise UserError("phụ lục tệp riêng được ký không có hình ảnh: bỏ --seal/--image khi dùng --attachment")
    if not 10 <= seal_mm <= 60:
        raise UserError(f"--seal-mm {seal_mm:g}: đường kính con dấu phải từ 10 đến 60 mm")


@dataclass(frozen=True)
class _Place:
    """Where a signature goes and how it shows: its field, page, box, appearance and reason."""
    field: str
    page: int
    box: Box
    style: Any
    reason: str


def _signer_place(src: Path, existing: dict[str, Any], pages: list[Page], image: str | Path,
                  warnings: list[str]) -> _Place:
    """The competent person's signature: their image in the signature block, before the agency's."""
    if SIGNER_FIELD in existing:
        raise UserError(f"{src}: văn bản đã có chữ ký của người có thẩm quyền")
    if AGENCY_FIELD in existing:
        raise UserError(f"{src}: văn bản đã có chữ ký của cơ quan; người có thẩm quyền phải ký trước")
    block = find_signature_block(pages)
    picture = load_image(image, "signature")
    warnings += filter(None, [colour_warning(picture, "signature")])
    return _Place(SIGNER_FIELD, block.page.index, signer_box(block, picture.size), _image_style(picture),
                  "Người có thẩm quyền ký ban hành văn bản")


def _seal_place(src: Path, writer: Any, existing: dict[str, Any], pages: list[Page], seal: str | Path,
                seal_mm: float, warnings: list[str]) -> _Place:
    """The agency's signature on the document: the seal over the signer's image, after it."""
    if AGENCY_FIELD in existing:
        raise UserError(f"{src}: văn bản đã có chữ ký số của cơ quan")
    if SIGNER_FIELD not in existing:
        find_signature_block(pages)  # a clearer message when it is not one of ours at all
        raise UserError(f"{src}: chưa có chữ ký của người có thẩm quyền; người có thẩm quyền ký trước "
                        "(kehoach sign --as signer), văn thư ký số của cơ quan sau")
    widget = existing[SIGNER_FIELD]
    signature = tuple(float(v) for v in widget["/Rect"])
    picture = load_image(seal, "seal")
    warnings += filter(None, [colour_warning(picture, "seal")])
    return _Place(AGENCY_FIELD, page_of(writer.prev, widget),
                  seal_box(signature, picture.size, seal_mm),  # type: ignore[arg-type]
                  _image_style(picture), "Văn thư ký số của cơ quan ban hành")


def _attachment_place(src: Path, existing: dict[str, Any], pages: list[Page], when: dt.datetime,
                      stack: contextlib.ExitStack, number: int | None = None) -> _Place:
    """The agency's signature on an attachment sent as a file of its own: text only, top right of
    page 1 (the font stays open in stack until the signature is written). number: the số just
    stamped into its blank (the stamps are annotations: the page text still shows the blank)."""
    if any(re.match(r"Nơi nhận\s*:", line.text) for page in pages for line in page.lines):
        raise UserError(f"{src}: tệp có khối chữ ký (\"Nơi nhận:\"): đây là văn bản, không phải phụ lục "
                        "tệp riêng; phụ lục trong cùng tệp được ký một lần cùng văn bản (--seal)")
    if ATTACHMENT_FIELD in existing:
        raise UserError(f"{src}: phụ lục đã có chữ ký số của cơ quan")
    if not pages:
        raise UserError(f"{src}: tệp PDF không có trang nào")
    text = f"{attachment_symbol(pages[0], number)}; {when.isoformat(timespec='seconds')}"
    style = _text_style(text, stack.enter_context(_font_in_thousandths(times_new_roman())))
    return _Place(ATTACHMENT_FIELD, 0, attachment_box(pages[0], text), style,
                  "Văn thư ký số của cơ quan ban hành (phụ lục)")


def _stamp_issue(src: Path, data: bytes, key: KeySource, number: int | str, date: str | dt.date,
                 when: dt.datetime, *, attachment: bool = False) -> tuple[bytes, tuple[str, int, Box], tuple[str, ...]]:
    """The number and the date written into every blank, one agency signature each (stamps.py).
    attachment: an appendix issued as a file of its own, which only the agency signs (Decree 30,
    Phụ lục I): its "(Kèm theo … số      /… ngày …)" line gets the document's number and date, with
    no competent person's signature before."""

    from .pages import shown_pages
    from .stamps import WHAT_VI, field_names, find_blanks, parse_issue_date

    try:
        value = int(str(number).strip())
        if not DOC_NUMBER_MIN <= value <= DOC_NUMBER_MAX:
            raise ValueError
    except ValueError:
        raise UserError(f"--number {number}: số văn bản là số nguyên dương "
                        f"(tối đa {DOC_NUMBER_DIGITS} chữ số)") from None
    issue_date = parse_issue_date(date)
    writer = incremental_writer(data)
    if writer.prev.encrypted:
        raise UserError(f"{src}: tệp PDF có mật khẩu; hãy ký bản PDF không mã hóa")
    existing = _signature_fields(writer.prev)
    if attachment:
        if ATTACHMENT_FIELD in existing or "SoVanBan" in existing:
            raise UserError(f"{src}: phụ lục đã được văn thư đóng số hoặc ký số của cơ quan")
    elif SIGNER_FIELD not in existing:
        raise UserError(f"{src}: chưa có chữ ký của người có thẩm quyền; người có thẩm quyền ký bản trình ký trước "
                        "(kehoach sign --as signer), văn thư đóng số và ngày sau")
    if AGENCY_FIELD in existing or "SoVanBan" in existing:
        raise UserError(f"{src}: văn bản đã được văn thư đóng số hoặc ký số của cơ quan")
    blanks = find_blanks(shown_pages(data), value, issue_date, attachment=attachment)
    last: tuple[str, int, Box] = ("", 0, (0.0, 0.0, 0.0, 0.0))
    stamped: list[str] = []
    with contextlib.ExitStack() as stack:
        fonts: dict[str, str] = {}
        for blank, name in zip(blanks, field_names(blanks), strict=True):
            if blank.style not in fonts:
                fonts[blank.style] = stack.enter_context(_font_in_thousandths(times_new_roman(blank.style)))
            size = max(1, round(blank.size))
            width = _advance(fonts[blank.style], blank.text, size)
            # Always laid out from the box's left edge: pyHanko rounds the text's width to whole
            # points, so a right-aligned box would leave up to half a point before the slash.
            x0 = blank.edge - width if blank.align == "right" else blank.edge - width / 2
            # Right-anchored: the box ends at the slash, so it covers no glyph of the page (verify
            # reads a stamp over the page's words as a change of content).
            box: Box = (x0, blank.baseline, x0 + width + (0 if blank.align == "right" else 1), blank.baseline + size)
            style = _text_style(blank.text, fonts[blank.style], size=size, align="left", on_baseline=True)
            writer = incremental_writer(data)
            reason = f"Văn thư ghi {WHAT_VI[blank.what]} văn bản: {blank.text}"
            data = _sign(writer, key, name, blank.page, box, style, reason, when, exact=True)
            last = (name, blank.page, box)
            stamped.append(f"{WHAT_VI[blank.what]} {blank.text} (trang {blank.page + 1})")
    return data, last, tuple(stamped)


def _advance(font_file: str, text: str, size: float) -> float:
    """The text's advance width in this font file, points."""
    from fontTools.ttLib import TTFont

    font = TTFont(font_file, lazy=True)
    cmap, metrics = font.getBestCmap(), font["hmtx"].metrics
    upem = font["head"].unitsPerEm
    return sum(metrics[cmap[ord(ch)]][0] for ch in text if ord(ch) in cmap) * size / upem


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


FONT_FILES = {"Regular": ("Times_New_Roman.ttf", "times.ttf", "LiberationSerif-Regular.ttf"),
              "Italic": ("Times_New_Roman_Italic.ttf", "timesi.ttf", "LiberationSerif-Italic.ttf"),
              "Bold": ("Times_New_Roman_Bold.ttf", "timesbd.ttf", "LiberationSerif-Bold.ttf"),
              "Bold Italic": ("Times_New_Roman_Bold_Italic.ttf", "timesbi.ttf", "LiberationSerif-BoldItalic.ttf")}


def times_new_roman(style: str = "Regular") -> str:
    """A Times New Roman font file of this style, or its metric twin Liberation Serif (fonts-liberation2)."""
    fc = shutil.which("fc-match")
    candidates = []
    if fc:
        for family in ("Times New Roman", "Liberation Serif"):
            proc = subprocess.run([fc, "-f", "%{file}", f"{family}:style={style}"], capture_output=True, text=True,
                                  timeout=30)
            candidates.append(proc.stdout.strip())
    names = FONT_FILES[style]
    candidates += [f"{folder}/{name}" for folder in ("/usr/share/fonts/truetype/msttcorefonts",
                                                     "/usr/share/fonts/truetype/liberation2",
                                                     "/usr/share/fonts/truetype/liberation", "C:/Windows/Fonts")
                   for name in names]
    for path in candidates:
        name = Path(path).name.lower()
        styled = ("bold" in name or "bd" in name) == ("Bold" in style) and (
            "italic" in name or name.endswith(("i.ttf", "bi.ttf"))) == ("Italic" in style)
        if path and Path(path).is_file() and name.endswith((".ttf", ".otf")) and styled and (
                "times" in name or "liberationserif" in name):
            return path
    raise UserError(f"không tìm thấy phông Times New Roman ({style}) hoặc Liberation Serif để ghi chữ của chữ "
                    "ký số; hãy cài bằng lệnh: apt-get install fonts-liberation2")


@contextlib.contextmanager
def _font_in_thousandths(path: str) -> Iterator[str]:
    """A temporary copy of the font rescaled to 1000 units per em.

    pyHanko 0.38 writes a CID font's /W widths in the font's own units, which PDF reads as
    thousandths of an em: a TrueType font with 2048 units (Times New Roman, Liberation Serif) comes
    out twice as wide and clipped. Rescaling the copy makes both agree.
    """
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


def _text_style(text: str, font_file: str, *, size: int = ATTACHMENT_FONT_PT,
                align: Literal["left", "right"] = "right", on_baseline: bool = False) -> Any:
    """Text in the signature's box, black, the font embedded (PDF/A requires it). on_baseline: the
    box's bottom edge is the text's baseline (a stamp written on a line of the page); otherwise the
    text is centred in the box's height (the attachment's signature line)."""
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.layout import AxisAlignment, InnerScaling, Margins, SimpleBoxLayoutRule
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import TextStampStyle

    x = AxisAlignment.ALIGN_MAX if align == "right" else AxisAlignment.ALIGN_MIN
    y = AxisAlignment.ALIGN_MIN if on_baseline else AxisAlignment.ALIGN_MID
    return TextStampStyle(
        stamp_text=text.replace("%", "%%"), border_width=0, background=None,
        text_box_style=TextBoxStyle(font=GlyphAccumulatorFactory(font_file, font_size=size),
                                    font_size=size, text_color=(0, 0, 0),
                                    box_layout_rule=SimpleBoxLayoutRule(x_align=x, y_align=y,
                                                                        margins=Margins(0, 0, 0, 0))),
        inner_content_layout=SimpleBoxLayoutRule(x_align=x, y_align=y, margins=Margins(0, 0, 0, 0),
                                                 inner_content_scaling=InnerScaling.NO_SCALING),
    )


def _sign(writer: Any, key: KeySource, field_name: str, page_index: int, box: Box, style: Any,
          reason: str, when: dt.datetime, *, exact: bool = False) -> bytes:
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
                               box=box if exact else tuple(int(v) for v in box))  # type: ignore[arg-type]
    with open_signer(key) as signer, quiet_pyhanko():
        pdf_signer = VietnamTimeSigner(meta, signer=signer, stamp_style=style, new_field_spec=spec)
        try:
            result = pdf_signer.sign_pdf(writer)
        except SigningError as exc:
            raise UserError(f"không ký được: {exc}") from None
    return result.getvalue()


