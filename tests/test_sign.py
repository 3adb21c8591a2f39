"""Digital signatures (issue 15): the sample plan rendered as a final PDF, signed by the competent
person, then by the agency, verified; images placed where Nghị định 30 says.

Everything secret is made here, at test time: a throwaway CA, two certificates, PKCS#12 files with a
throwaway password. The placement tests read positions with poppler (pdftotext -bbox-layout) and the
rendered page (pdftoppm), not with the code under test."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

pytest.importorskip("pyhanko", reason='chưa cài thư viện ký số; cài bằng: pip install -e ".[sign]"')
pytest.importorskip("pdfminer", reason='chưa cài pdfminer.six; cài bằng: pip install -e ".[sign]"')

from cryptography import x509  # noqa: E402
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import rsa  # noqa: E402
from cryptography.hazmat.primitives.serialization import pkcs12  # noqa: E402
from cryptography.x509.oid import NameOID  # noqa: E402
from PIL import Image, ImageDraw  # noqa: E402

from generator.cli import main  # noqa: E402
from generator.errors import UserError  # noqa: E402
from generator.jobs.issue import issue_file  # noqa: E402
from generator.esign.sign import (AGENCY_FIELD, MM, SIGNER_FIELD, Pkcs12Key, sign_file,  # noqa: E402
                            verify_file)

from tests.paths import SAMPLE

PASSWORD = b"mat-khau-thu-nghiem"
SIGNER_NAME = "Nguyễn Văn Thành"

needs_tools = pytest.mark.skipif(
    not all(shutil.which(t) for t in ("soffice", "pdftotext", "pdftoppm", "pdfseparate", "pdfunite")),
    reason="cần LibreOffice và poppler-utils; cài bằng: "
           "apt-get install libreoffice-writer-nogui fonts-liberation2 poppler-utils",
)
pytestmark = needs_tools


# --- A throwaway PKI and images -------------------------------------------------------------------

def _name(cn: str, org: str | None = None) -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if org:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, org))
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, cn))
    return x509.Name(attrs)


def _usage(*, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(digital_signature=True, content_commitment=not ca, key_encipherment=False,
                         data_encipherment=False, key_agreement=False, key_cert_sign=ca, crl_sign=ca,
                         encipher_only=False, decipher_only=False)


def make_pki(folder: Path) -> dict[str, Path]:
    """CA → signer (a person) and agency (the Sở) certificates; .p12 with PASSWORD, and PEM files."""
    folder.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.timezone.utc)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = _name("CA thử nghiệm kehoach", "Thử nghiệm")
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(_usage(ca=True), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    out = {"ca": folder / "ca.pem"}
    out["ca"].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    for label, cn, org in (("signer", SIGNER_NAME, "Sở Khoa học và Công nghệ"),
                           ("agency", "Sở Khoa học và Công nghệ", "UBND tỉnh Quảng Ngãi")):
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        cert = (x509.CertificateBuilder().subject_name(_name(cn, org)).issuer_name(ca_name)
                .public_key(key.public_key()).serial_number(x509.random_serial_number())
                .not_valid_before(now - dt.timedelta(hours=1)).not_valid_after(now + dt.timedelta(days=30))
                .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                .add_extension(_usage(ca=False), critical=True)
                .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                               critical=False)
                .sign(ca_key, hashes.SHA256()))
        out[label] = folder / f"{label}.p12"
        out[label].write_bytes(pkcs12.serialize_key_and_certificates(
            label.encode(), key, cert, [ca], serialization.BestAvailableEncryption(PASSWORD)))
        out[f"{label}-key"] = folder / f"{label}.key.pem"
        out[f"{label}-key"].write_bytes(key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
        out[f"{label}-cert"] = folder / f"{label}.pem"
        out[f"{label}-cert"].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "password").write_bytes(PASSWORD + b"\n")
    out["password"] = folder / "password"
    return out


BLUE, RED = (20, 40, 200, 255), (220, 20, 30, 255)


def make_signature_png(path: Path, size: tuple[int, int] = (600, 260), *, margin: int = 40) -> Path:
    """A blue zig-zag on a transparent canvas, with a transparent margin that signing must crop."""
    img = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    w, h = size
    points = [(margin + i * (w - 2 * margin) // 40, margin + (h - 2 * margin) * (i % 2)) for i in range(41)]
    draw.line(points, fill=BLUE, width=8)
    img.save(path)
    return path


def make_seal_png(path: Path, px: int = 500) -> Path:
    """A red round seal drawn edge to edge (its visible diameter is the whole canvas)."""
    img = Image.new("RGBA", (px, px), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    draw.ellipse((0, 0, px - 1, px - 1), outline=RED, width=18)
    draw.ellipse((60, 60, px - 60, px - 60), outline=RED, width=8)
    draw.regular_polygon((px / 2, px / 2, px / 6), 5, fill=RED)
    img.save(path)
    return path


@pytest.fixture(scope="module")
def kit(tmp_path_factory) -> dict[str, Path]:
    """Keys, images, and the sample plan as a final PDF (125, 2024-03-20)."""
    work = tmp_path_factory.mktemp("sign")
    out = make_pki(work / "pki")
    out["image"] = make_signature_png(work / "chu-ky.png")
    out["seal"] = make_seal_png(work / "dau.png")
    data = work / "kh.yaml"
    shutil.copy(SAMPLE, data)
    # The draft first: issuing records number and date in the data file, which then makes finals.
    out["draft"] = issue_file(data, work / "du-thao.docx", pdf=True).pdf
    issued = issue_file(data, work / "kh.docx", final=True, number=125, date="2024-03-20", pdf=True)
    out["pdf"] = issued.pdf
    out["work"] = work
    return out


def sign_cli(src: Path, out: Path, role: str, kit: dict[str, Path], *extra: str) -> int:
    key = kit["signer"] if role == "signer" else kit["agency"]
    return main(["sign", str(src), "-o", str(out), "--as", role, "--p12", str(key),
                 "--password-file", str(kit["password"]), *extra])


@pytest.fixture(scope="module")
def signed(kit) -> dict[str, Path]:
    """Signed by the competent person, then by the agency: through the command line."""
    work = kit["work"]
    first, second = work / "ky-nguoi-ky.pdf", work / "ky-co-quan.pdf"
    assert sign_cli(kit["pdf"], first, "signer", kit, "--image", str(kit["image"])) == 0
    assert sign_cli(first, second, "agency", kit, "--seal", str(kit["seal"])) == 0
    return {"first": first, "second": second}


# --- Signing and verification --------------------------------------------------------------------

def test_both_signatures_valid_and_the_first_still_valid_after_the_second(kit, signed, capsys) -> None:
    first_only = verify_file(signed["first"], trust=[kit["ca"]])
    assert [r.field for r in first_only] == [SIGNER_FIELD]
    assert not first_only[0].problems and first_only[0].changes_after == []
    assert first_only[0].verdict == "valid"

    reports = verify_file(signed["second"], trust=[kit["ca"]])
    assert [r.field for r in reports] == [SIGNER_FIELD, AGENCY_FIELD]
    for report in reports:
        assert report.intact and report.valid and report.trusted and report.covers_whole, report.to_text(1)
        assert not report.problems and report.verdict == "valid"
        assert report.time is not None and report.time.utcoffset() == dt.timedelta(hours=7)
    assert reports[0].who == SIGNER_NAME
    assert reports[1].who == "Sở Khoa học và Công nghệ"
    # What came after the signer's signature is the agency's signature and its seal, nothing else.
    assert {(c.kind, c.revision) for c in reports[0].changes_after} == {("signature", 2), ("stamp", 2)}
    assert reports[1].changes_after == []

    capsys.readouterr()
    assert main(["verify", str(signed["second"]), "--trust", str(kit["ca"])]) == 0
    out = capsys.readouterr().out
    assert SIGNER_NAME in out and "2 chữ ký: 2 hợp lệ" in out
    # On screen the signing time reads day first in Vietnam time; --json keeps ISO 8601 for machines.
    when = reports[0].time
    assert f"thời gian ký: {when:%d/%m/%Y %H:%M:%S} giờ Việt Nam" in out and when.isoformat() not in out
    assert main(["verify", str(signed["second"]), "--trust", str(kit["ca"]), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["signatures"][0]["signed_at"].endswith("+07:00")


def test_each_signature_is_an_incremental_update(kit, signed) -> None:
    original = kit["pdf"].read_bytes()
    first = signed["first"].read_bytes()
    second = signed["second"].read_bytes()
    assert first.startswith(original) and second.startswith(first)
    # The signing time is Vietnam time in each signature dictionary (/M … +07'00').
    from pyhanko.pdf_utils.reader import PdfFileReader

    with signed["second"].open("rb") as fh:
        stamps = [str(sig.sig_object["/M"]) for sig in PdfFileReader(fh).embedded_signatures]
    assert len(stamps) == 2 and all(re.fullmatch(r"D:\d{14}\+07'00'", m) for m in stamps), stamps


def test_signing_keeps_pdfa_and_embedded_fonts(signed) -> None:
    from generator.esign.pdf import archive_info

    assert archive_info(signed["second"])["part"] == "2"
    fonts = subprocess.run(["pdffonts", str(signed["second"])], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts


def _flip(data: bytes, at: int) -> bytes:
    changed = bytearray(data)
    changed[at] ^= 0x01
    return bytes(changed)


def test_any_byte_changed_afterwards_is_detected(kit, signed, tmp_path, capsys) -> None:
    data = signed["second"].read_bytes()
    first_len = len(signed["first"].read_bytes())
    original_len = len(kit["pdf"].read_bytes())
    positions = {
        "page content of the original": data.index(b"stream", 2000) + 100,
        "the signer's increment": original_len + (first_len - original_len) // 3,
        "the agency's increment": first_len + 200,
        "the last bytes": len(data) - 10,
    }
    for where, at in positions.items():
        tampered = tmp_path / f"sua-{at}.pdf"
        tampered.write_bytes(_flip(data, at))
        # A change inside a revision breaks the signature (1); one in the last cross-reference
        # section leaves no readable file (2, issue 23). Never 0 or 3.
        code = main(["verify", str(tampered)])
        err = capsys.readouterr().err
        assert (code, "KHÔNG hợp lệ" in err) == (1, True) or (code, "hỏng" in err) == (2, True), where


def test_a_byte_changed_in_the_signed_part_is_said_once_and_names_no_chain(kit, signed, tmp_path, capsys) -> None:
    """A signature whose hash no longer matches establishes no signer: with the trusted CA given, the
    report says the signed part changed, never a chain 'not accepted' for no reason, nor that nothing
    changed after it."""
    data = signed["second"].read_bytes()
    tampered = tmp_path / "sua-noi-dung.pdf"
    tampered.write_bytes(_flip(data, data.index(b"stream", 2000) + 100))
    reports = verify_file(tampered, trust=[kit["ca"]])
    broken = [r for r in reports if not r.intact]
    assert broken and all(r.verdict == "invalid" and r.trusted is None for r in broken)
    for report in broken:
        assert report.problems == ["phần được ký đã bị thay đổi (mã băm không khớp): tệp đã bị ghi lại hoặc sửa "
                                   "sau khi ký"]
    capsys.readouterr()
    assert main(["verify", str(tampered), "--trust", str(kit["ca"])]) == 1
    out = capsys.readouterr().out
    assert "None" not in out and "chuỗi chứng thư" not in out and "thêm --trust" not in out
    assert "người ký được xác minh: không xác minh được (chữ ký không còn khớp với tệp)" in out
    first = out.split("Chữ ký 2")[0]
    assert "nguyên vẹn: KHÔNG" in first and "không có gì thay đổi" not in first


def test_content_added_after_signing_is_reported(kit, signed, tmp_path) -> None:
    """An incremental update that changes the page (not just a signature) breaks 'covers whole'."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    with signed["first"].open("rb") as fh:
        writer = IncrementalPdfFileWriter(fh, strict=False)
        page_ref, _ = writer.find_page_for_modification(0)
        page = page_ref.get_object()
        page[generic.pdf_name("/Rotate")] = generic.NumberObject(90)
        writer.update_container(page)
        out = tmp_path / "sua-sau-khi-ky.pdf"
        with out.open("wb") as dst:
            writer.write(dst)
    reports = verify_file(out)
    assert reports[0].intact and reports[0].problems and not reports[0].covers_whole
    assert main(["verify", str(out)]) == 1


# --- Where the images land ---------------------------------------------------------------------------

def text_words(pdf: Path, page: int) -> list[tuple[str, float, float, float, float]]:
    """Words of a page with their boxes, top-left origin, points (poppler)."""
    xml = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    return [(unicodedata.normalize("NFC", html.unescape(w)), float(a), float(b), float(c), float(d))
            for a, b, c, d, w in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', xml)]


def line_box(words, text: str) -> tuple[float, float, float, float]:
    """Box of the words that spell `text` in a row (x0, top, x1, bottom)."""
    parts = text.split()
    for i in range(len(words) - len(parts) + 1):
        if [w[0] for w in words[i:i + len(parts)]] == parts:
            chunk = words[i:i + len(parts)]
            return (min(w[1] for w in chunk), min(w[2] for w in chunk),
                    max(w[3] for w in chunk), max(w[4] for w in chunk))
    raise AssertionError(f"{text!r} not on the page")


def widget_rects(pdf: Path) -> dict[str, tuple[float, float, float, float]]:
    """Signature widgets' /Rect, converted to top-left origin."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    with pdf.open("rb") as fh:
        reader = PdfFileReader(fh, strict=False)
        height = float(reader.find_page_for_modification(0)[0].get_object()["/MediaBox"][3])
        out = {}
        for sig in reader.embedded_signatures:
            x0, y0, x1, y1 = (float(v) for v in sig.sig_field["/Rect"])
            out[sig.field_name] = (x0, height - y1, x1, height - y0)
    return out


def ink_boxes(pdf: Path, page: int, tmp: Path, dpi: int = 80) -> dict:
    """Bounding boxes (points, top-left origin) of the blue and of the red pixels on the rendered
    page, and the positions of the black (text) pixels."""
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), str(pdf),
                    str(tmp / "trang")], check=True)
    png = next(tmp.glob("trang*.png"))
    img = Image.open(png).convert("RGB")
    px = img.load()
    found: dict[str, list[int]] = {}
    black = []
    for y in range(img.height):
        for x in range(img.width):
            r, g, b = px[x, y]
            if r < 90 and g < 90 and b < 90:
                black.append((x, y))
            kind = "blue" if b > 140 and r < 110 and g < 130 else "red" if r > 150 and g < 110 and b < 110 else None
            if kind:
                box = found.setdefault(kind, [x, y, x, y])
                box[0], box[1] = min(box[0], x), min(box[1], y)
                box[2], box[3] = max(box[2], x + 1), max(box[3], y + 1)
    scale = 72 / dpi
    out: dict = {k: tuple(v * scale for v in box) for k, box in found.items()}
    out["black"] = [(x * scale, y * scale) for x, y in black]  # points of text ink, for the gaps
    return out


def test_signature_centred_between_title_and_name_and_seal_covers_its_left_third(signed, tmp_path) -> None:
    page = 3  # the sample's body ends on page 3, before the landscape appendix
    words = text_words(signed["second"], page)
    title = line_box(words, "GIÁM ĐỐC")
    name = line_box(words, SIGNER_NAME)
    rects = widget_rects(signed["second"])
    sig, seal = rects[SIGNER_FIELD], rects[AGENCY_FIELD]

    # Signature: horizontally centred on the chức vụ and name lines, vertically in the space between.
    centre = ((title[0] + title[2]) / 2 + (name[0] + name[2]) / 2) / 2
    assert abs((sig[0] + sig[2]) / 2 - centre) <= 1.5
    assert sig[1] >= title[3] - 6 and sig[3] <= name[1]  # poppler's boxes include the descent

    # Seal: real size (36 mm), the signature's middle height, right edge at one third of the signature.
    assert abs((seal[2] - seal[0]) - 36 * MM) <= 1.0
    assert abs((seal[2] - sig[0]) - (sig[2] - sig[0]) / 3) <= 1.0
    assert abs((seal[1] + seal[3]) / 2 - (sig[1] + sig[3]) / 2) <= 1.0

    # And on the rendered page, the blue and red ink are where the boxes are (80 dpi: 1 px = 0.9 pt).
    ink = ink_boxes(signed["second"], page, tmp_path)
    blue, red = ink["blue"], ink["red"]
    assert abs((blue[0] + blue[2]) / 2 - centre) <= 4
    # Vertically: the gap from the chức vụ's ink down to the signature equals the gap from the
    # signature down to the name's ink (within 3 pt: the name's diacritics do not reach its em box).
    title_ink_bottom = max(y for x, y in ink["black"] if title[0] <= x <= title[2] and y < blue[1])
    name_ink_top = min(y for x, y in ink["black"] if name[0] <= x <= name[2] and y > blue[3])
    assert abs((blue[1] - title_ink_bottom) - (name_ink_top - blue[3])) <= 3, (title_ink_bottom, blue, name_ink_top)
    assert abs((red[2] - red[0]) - 36 * MM) <= 3
    overlap = (red[2] - blue[0]) / (blue[2] - blue[0])
    assert 0.25 <= overlap <= 0.40, overlap


def test_attachment_in_a_separate_file_gets_a_text_signature_top_right(kit, tmp_path, capsys) -> None:
    # The sample's appendix (pages 4-5) as a file of its own.
    parts = []
    for page in (4, 5):
        part = tmp_path / f"trang-{page}.pdf"
        subprocess.run(["pdfseparate", "-f", str(page), "-l", str(page), str(kit["pdf"]), str(part)], check=True)
        parts.append(str(part))
    attachment = tmp_path / "phu-luc.pdf"
    subprocess.run(["pdfunite", *parts, str(attachment)], check=True)
    signed_file = tmp_path / "phu-luc-ky.pdf"
    when = dt.datetime(2024, 3, 20, 15, 4, 5, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    done = sign_file(attachment, signed_file, role="agency", key=Pkcs12Key(kit["agency"], PASSWORD),
                     attachment=True, when=when)
    assert done.page == 0
    # Text in an annotation is not page text (pdftotext skips it): read the widget's box and its
    # appearance stream, and look at the rendered page.
    words = text_words(signed_file, 1)
    heading = line_box(words, "DANH MỤC")
    right_edge = max(w[3] for w in words)
    stamp = widget_rects(signed_file)["ChuKyCoQuanPhuLuc"]
    assert stamp[3] <= heading[1]  # above the first line
    assert abs(stamp[2] - right_edge) <= 2  # on the right margin
    from pyhanko.pdf_utils.reader import PdfFileReader

    with signed_file.open("rb") as fh:
        sig = PdfFileReader(fh, strict=False).embedded_signatures[0]
        appearance = sig.sig_field["/AP"]["/N"].get_object()
        stream = appearance.data
        fonts = [f.get_object()["/BaseFont"] for f in appearance["/Resources"]["/Font"].values()]
    assert b"/F1 10 Tf" in stream and b"0 0 0 rg" in stream  # 10 pt, black
    assert "(125\\057KH\\055SKHCN\\073 2024\\05503\\05520T15\\07204\\07205\\05307\\07200)" in stream.decode(
        "latin-1"), stream  # ActualText "125/KH-SKHCN; 2024-03-20T15:04:05+07:00"
    assert all(re.search(r"LiberationSerif|TimesNewRoman", str(f)) for f in fonts), fonts
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", str(signed_file),
                    str(tmp_path / "pl")], check=True)
    img = Image.open(next(tmp_path.glob("pl*.png"))).convert("L")
    k = 150 / 72
    dark = [x for y in range(int(stamp[1] * k), int(stamp[3] * k)) for x in range(int(stamp[0] * k) - 20,
            min(img.width, int(stamp[2] * k) + 20)) if img.getpixel((x, y)) < 100]
    assert dark, "no ink in the attachment signature box"
    ink_width = (max(dark) - min(dark)) / k
    assert abs(ink_width - (stamp[2] - stamp[0])) <= 8, (ink_width, stamp)  # not stretched, not clipped
    assert main(["verify", str(signed_file), "--trust", str(kit["ca"])]) == 0

    # The main document is not an attachment: it is signed with the seal, once.
    capsys.readouterr()
    assert sign_cli(kit["pdf"], tmp_path / "x.pdf", "agency", kit, "--attachment") == 2
    assert "không phải phụ lục tệp riêng" in capsys.readouterr().err


# --- Refusals ------------------------------------------------------------------------------------

def test_refuses_a_pdf_without_a_signature_block(kit, tmp_path, capsys) -> None:
    appendix = tmp_path / "trang-4.pdf"
    subprocess.run(["pdfseparate", "-f", "4", "-l", "4", str(kit["pdf"]), str(appendix)], check=True)
    capsys.readouterr()
    assert sign_cli(appendix, tmp_path / "x.pdf", "signer", kit, "--image", str(kit["image"])) == 2
    err = capsys.readouterr().err
    assert "không tìm thấy khối chữ ký" in err and "Traceback" not in err
    assert not (tmp_path / "x.pdf").exists()


def test_refuses_a_draft(kit, tmp_path, capsys) -> None:
    capsys.readouterr()
    assert sign_cli(kit["draft"], tmp_path / "x.pdf", "signer", kit, "--image", str(kit["image"])) == 2
    assert "dự thảo" in capsys.readouterr().err


def test_never_overwrites_the_input_or_an_existing_file(kit, signed, tmp_path, capsys) -> None:
    copy = tmp_path / "kh.pdf"
    shutil.copy(kit["pdf"], copy)
    before = copy.read_bytes()
    assert sign_cli(copy, copy, "signer", kit, "--image", str(kit["image"]), "--force") == 2
    assert "không bao giờ ghi đè tệp gốc" in capsys.readouterr().err
    assert copy.read_bytes() == before
    existing = tmp_path / "da-co.pdf"
    existing.write_bytes(b"%PDF-1.4 something precious")
    assert sign_cli(copy, existing, "signer", kit, "--image", str(kit["image"])) == 2
    assert existing.read_bytes() == b"%PDF-1.4 something precious"


def test_agency_signs_only_after_the_signer_and_only_once(kit, signed, tmp_path, capsys) -> None:
    capsys.readouterr()
    assert sign_cli(kit["pdf"], tmp_path / "a.pdf", "agency", kit, "--seal", str(kit["seal"])) == 2
    assert "người có thẩm quyền ký trước" in capsys.readouterr().err
    assert sign_cli(signed["second"], tmp_path / "b.pdf", "agency", kit, "--seal", str(kit["seal"])) == 2
    assert "đã có chữ ký số của cơ quan" in capsys.readouterr().err


def test_wrong_password_and_bad_images_are_user_errors(kit, tmp_path, capsys) -> None:
    wrong = tmp_path / "sai"
    wrong.write_text("khong-dung\n")
    capsys.readouterr()
    assert main(["sign", str(kit["pdf"]), "-o", str(tmp_path / "x.pdf"), "--as", "signer", "--image",
                 str(kit["image"]), "--p12", str(kit["signer"]), "--password-file", str(wrong)]) == 2
    assert "sai mật khẩu" in capsys.readouterr().err

    opaque = tmp_path / "trang.png"
    Image.new("RGB", (300, 100), (255, 255, 255)).save(opaque)
    assert sign_cli(kit["pdf"], tmp_path / "x.pdf", "signer", kit, "--image", str(opaque)) == 2
    assert "nền trong suốt" in capsys.readouterr().err
    jpeg = tmp_path / "chu-ky.jpg"
    Image.new("RGB", (300, 100), (0, 0, 255)).save(jpeg)
    assert sign_cli(kit["pdf"], tmp_path / "x.pdf", "signer", kit, "--image", str(jpeg)) == 2
    assert "phải là tệp PNG" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


def test_password_is_never_an_argument_and_no_tty_means_a_clear_error(kit, tmp_path, capsys,
                                                                        monkeypatch) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    capsys.readouterr()
    assert main(["sign", str(kit["pdf"]), "-o", str(tmp_path / "x.pdf"), "--as", "signer", "--image",
                 str(kit["image"]), "--p12", str(kit["signer"])]) == 2
    assert "--password-file" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["sign", str(kit["pdf"]), "-o", str(tmp_path / "x.pdf"), "--as", "signer",
              "--p12", str(kit["signer"]), "--password", "abc"])


def test_the_files_are_judged_before_the_password_is_asked(kit, tmp_path, capsys, monkeypatch) -> None:
    """A mistyped PDF name, a folder given for the PDF, an output already there: said first, naming
    the file, before the signer is asked for a secret (no terminal here: asking would end in the
    --password-file message instead). A folder is no 'missing file'."""
    import io
    import os

    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    folder = tmp_path / "ban-trinh-ky.pdf"
    folder.mkdir()
    taken = tmp_path / "da-ky.pdf"
    taken.write_bytes(b"%PDF-1.7 signed before")
    cases = [(tmp_path / "khong-co.pdf", tmp_path / "x.pdf", "khong-co.pdf: không tìm thấy tệp"),
             (folder, tmp_path / "x.pdf", "ban-trinh-ky.pdf: đây là thư mục, không phải tệp PDF cần ký"),
             (kit["pdf"], taken, "da-ky.pdf")]
    if hasattr(os, "mkfifo"):  # refused without waiting on it, as verify refuses one
        os.mkfifo(tmp_path / "ong.pdf")
        cases.append((tmp_path / "ong.pdf", tmp_path / "x.pdf", "ong.pdf: không phải tệp thường"))
    for src, out, said in cases:
        capsys.readouterr()
        assert main(["sign", str(src), "-o", str(out), "--as", "signer", "--image", str(kit["image"]),
                     "--p12", str(kit["signer"])]) == 2
        err = capsys.readouterr().err
        assert said in err and "mật khẩu" not in err, err
    assert taken.read_bytes() == b"%PDF-1.7 signed before" and not (tmp_path / "x.pdf").exists()


def test_verify_an_unsigned_pdf_and_a_non_pdf(kit, tmp_path, capsys) -> None:
    assert main(["verify", str(kit["pdf"])]) == 1
    assert "không có chữ ký số nào" in capsys.readouterr().err
    text = tmp_path / "a.pdf"
    text.write_text("not a pdf")
    assert main(["verify", str(text)]) == 2
    with pytest.raises(UserError):
        verify_file(tmp_path / "khong-co.pdf")


# --- Certificates and images that cannot make a signature (issue 30) ---------------------------------

def test_refuses_expired_not_yet_valid_and_non_signing_certificates(kit, tmp_path, capsys) -> None:
    from tests.sign_fixtures import PASSWORD as P12_PASSWORD
    from tests.sign_fixtures import make_ca, make_cert, usage

    now = dt.datetime.now(dt.UTC)
    ca = make_ca()
    cases = {
        "đã hết hạn": make_cert(ca, "Người Hết Hạn", not_before=now - dt.timedelta(days=90),
                                not_after=now - dt.timedelta(days=1)),
        "chưa có hiệu lực": make_cert(ca, "Người Chưa Tới", not_before=now + dt.timedelta(days=3),
                                      not_after=now + dt.timedelta(days=90)),
        "không dùng để ký": make_cert(ca, "Khóa Mã Hóa", key_usage=usage(sign=False)),
    }
    password = tmp_path / "mk"
    password.write_bytes(P12_PASSWORD + b"\n")
    for message, identity in cases.items():
        p12 = identity.p12(tmp_path / f"{abs(hash(message))}.p12")
        out = tmp_path / "x.pdf"
        capsys.readouterr()
        assert main(["sign", str(kit["pdf"]), "-o", str(out), "--as", "signer", "--image", str(kit["image"]),
                     "--p12", str(p12), "--password-file", str(password)]) == 2, message
        err = capsys.readouterr().err
        assert message in err and "Traceback" not in err and "không mong đợi" not in err, err
        assert not out.exists()


def test_a_png_declaring_huge_dimensions_is_refused_before_decoding(kit, tmp_path, capsys) -> None:
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    bomb = tmp_path / "bom.png"
    bomb.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 30000, 30000, 8, 6, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(b"\0" * 16)) + chunk(b"IEND", b""))
    assert bomb.stat().st_size < 100
    capsys.readouterr()
    assert sign_cli(kit["pdf"], tmp_path / "x.pdf", "signer", kit, "--image", str(bomb)) == 2
    err = capsys.readouterr().err
    assert "30000 × 30000" in err and "không mong đợi" not in err, err


# --- The signing copy (issue 23): number and date blank, signed by the competent person ---------------

def test_unnumbered_final_leaves_number_and_day_blank_and_the_signer_signs_it(kit, tmp_path, capsys) -> None:
    data = kit["work"] / "kh.yaml"
    capsys.readouterr()
    assert main(["render", str(data), "--final", "--unnumbered", "--pdf", "-o", str(tmp_path / "trinh-ky.docx")]) == 0
    pdf = tmp_path / "trinh-ky.pdf"
    words = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    text = " ".join(unicodedata.normalize("NFC", words).split())
    assert "DỰ THẢO" not in text
    assert "Số: /KH-SKHCN" in text and "ngày tháng 3 năm 2024" in text  # number and day blank
    assert "Kế hoạch số /KH-SKHCN ngày /3/2024" in text  # the appendix's reference line too
    assert "125" not in text.split("Số:")[1][:20]

    signed_copy = tmp_path / "trinh-ky-da-ky.pdf"
    assert sign_cli(pdf, signed_copy, "signer", kit, "--image", str(kit["image"])) == 0
    assert verify_file(signed_copy, trust=[kit["ca"]]).verdict == "valid"
    # The agency's signature needs the number: refused on the blank copy, with the way out.
    capsys.readouterr()
    assert sign_cli(signed_copy, tmp_path / "x.pdf", "agency", kit, "--seal", str(kit["seal"])) == 2
    assert "chưa có số" in capsys.readouterr().err
    with pytest.raises(UserError):
        issue_file(data, tmp_path / "y.docx", final=True, unnumbered=True, number=3)


def test_a_date_stamped_after_the_day_of_signing_is_warned(kit, tmp_path, capsys) -> None:
    """The văn thư stamps the number and date on the copy the competent person signed. A --date
    after the day the agency signs (a year or month typed ahead) was stamped without a word: every
    reader's `verify` then shows a document signed before the date it bears. Warned, naming both
    days; stamped all the same (it is the văn thư's decision); the day itself is no warning."""
    data = kit["work"] / "kh.yaml"
    assert main(["render", str(data), "--final", "--unnumbered", "--pdf", "-o", str(tmp_path / "tk.docx")]) == 0
    signed_copy = tmp_path / "tk-da-ky.pdf"
    assert sign_cli(tmp_path / "tk.pdf", signed_copy, "signer", kit, "--image", str(kit["image"])) == 0
    key = Pkcs12Key(kit["agency"], PASSWORD)
    vn = dt.timezone(dt.timedelta(hours=7))
    for when, warned in ((dt.datetime(2024, 3, 20, 16, 30, tzinfo=vn), False),
                         (dt.datetime(2024, 3, 19, 23, 50, tzinfo=dt.timezone.utc), False),  # 20/3 in Việt Nam
                         (dt.datetime(2024, 3, 19, 9, 0, tzinfo=vn), True)):
        out = tmp_path / f"bh-{when:%d%H}.pdf"
        done = sign_file(signed_copy, out, role="agency", key=key, number=125, date="20/03/2024", when=when)
        said = [w for w in done.warnings if "sau ngày ký số" in w]
        assert bool(said) == warned, done.warnings
        assert not warned or "ngày ban hành 20/03/2024 (--date) sau ngày ký số 19/03/2024" in said[0]
        # What to do, with both days: sign again dated the signing day, or sign on the date given.
        assert not warned or ("hãy ký lại từ cùng tệp PDF với --date 19/03/2024 (thêm --force" in said[0]
                              and "hãy ký số vào ngày 20/03/2024" in said[0])
        text = " ".join(unicodedata.normalize("NFC", subprocess.run(
            ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout).split())
        assert "Số: 125/KH-SKHCN" in text and "ngày 20 tháng 3 năm 2024" in text  # stamped either way
    capsys.readouterr()
    with pytest.raises(SystemExit):
        main(["sign", "--help"])
    shown = " ".join(capsys.readouterr().out.split())  # argparse wraps the help to the terminal's width
    assert "là ngày ký số: ngày sau ngày ký (giờ Việt Nam) vẫn được đóng nhưng có cảnh báo" in shown


def test_a_path_through_a_missing_folder_never_replaces_the_input(kit, tmp_path, capsys) -> None:
    """Issue 30: `-o missing/../FILE` names FILE once the folder exists; decided on the real path."""
    import hashlib

    copy = tmp_path / "kh.pdf"
    shutil.copy(kit["pdf"], copy)
    before = hashlib.sha256(copy.read_bytes()).hexdigest()
    capsys.readouterr()
    for force in ((), ("--force",)):
        assert sign_cli(copy, tmp_path / "khong-co" / ".." / "kh.pdf", "signer", kit, "--image", str(kit["image"]),
                        *force) == 2
        assert "không bao giờ ghi đè tệp gốc" in capsys.readouterr().err
    assert hashlib.sha256(copy.read_bytes()).hexdigest() == before
    assert not (tmp_path / "khong-co").exists()


# --- The ký hiệu the attachment's signature names ---------------------------------------------------

@pytest.mark.parametrize("symbol", ["KH-SKHCN", "KH-SGD&ĐT", "KH-MTTQ-BTT", "CTr-UBND"])
def test_the_attachment_signature_names_the_whole_ky_hieu(symbol) -> None:
    # The number written into the agency's signature on an attachment is read off its reference
    # line as the PDF prints it, a line that wraps before the date; every ký hiệu the plan model
    # accepts ("&" in "SGD&ĐT", a body inside an agency, a mixed-case type) is named whole.
    from generator.esign.pages import Line, Page
    from generator.esign.sign import attachment_symbol

    def page(*texts: str) -> Page:
        return Page(0, 595, 842, [Line(t, 100, 800 - 14 * k, 500, 812 - 14 * k) for k, t in enumerate(texts)])

    numbered = page("PHỤ LỤC", f"(Kèm theo Kế hoạch số 30/{symbol} ngày 10 tháng 4", "năm 2026 của Ủy ban)")
    assert attachment_symbol(numbered) == f"30/{symbol}"
    blank = page("PHỤ LỤC", f"(Kèm theo Kế hoạch số       /{symbol} ngày     tháng 4 năm 2026)")
    assert attachment_symbol(blank, 5) == f"05/{symbol}"
