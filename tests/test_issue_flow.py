"""The two-stage electronic issue (issue 23), as agencies do it: the competent person signs the copy
whose number and date are blank; the văn thư's agency certificate then writes the number and the date
into the blanks (one signature each) and adds the seal. A throwaway CA; the checks read the files
with poppler (pdftotext) and pyHanko's own validation, not with the code under test."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest

pytest.importorskip("pyhanko", reason='chưa cài thư viện ký số; cài bằng: pip install -e ".[sign]"')
pytest.importorskip("pdfminer", reason='chưa cài pdfminer.six; cài bằng: pip install -e ".[sign]"')

from generator.cli import main  # noqa: E402
from tests.sign_fixtures import PASSWORD, make_ca, make_cert  # noqa: E402
from tests.test_sign import make_seal_png, make_signature_png  # noqa: E402
from tests.paths import ROOT

SAMPLE = ROOT / "data" / "ke-hoach-truyen-thong-kiem-soat-tthc-2024.yaml"

pytestmark = pytest.mark.skipif(
    not all(shutil.which(t) for t in ("soffice", "pdftotext")),
    reason="cần LibreOffice và poppler-utils; cài bằng: apt-get install libreoffice-writer-nogui poppler-utils")


def text(pdf: Path | bytes, *, layout: bool = True) -> str:
    """The words as poppler reads them (annotation appearances included), one space between words."""
    args = ["pdftotext", *(["-layout"] if layout else []), "-", "-"] if isinstance(pdf, bytes) else \
        ["pdftotext", *(["-layout"] if layout else []), str(pdf), "-"]
    out = subprocess.run(args, input=pdf if isinstance(pdf, bytes) else None, capture_output=True,
                         check=True).stdout.decode("utf-8")
    return "\n".join(" ".join(line.split()) for line in out.splitlines())


@pytest.fixture(scope="module")
def flow(tmp_path_factory) -> dict[str, Path]:
    work = tmp_path_factory.mktemp("phat-hanh")
    ca = make_ca()
    leader = make_cert(ca, "Nguyễn Văn Thành", "Sở Khoa học và Công nghệ")
    agency = make_cert(ca, "Sở Khoa học và Công nghệ", "UBND tỉnh Quảng Ngãi")
    files = {"ca": ca.pem(work / "ca.pem"), "leader": leader.p12(work / "lanh-dao.p12"),
             "agency": agency.p12(work / "co-quan.p12"), "image": make_signature_png(work / "chu-ky.png"),
             "seal": make_seal_png(work / "dau.png"), "password": work / "mk", "data": work / "kh.yaml"}
    files["password"].write_bytes(PASSWORD + b"\n")
    shutil.copy(SAMPLE, files["data"])
    assert main(["render", str(files["data"]), "--final", "--unnumbered", "--pdf", "-o", str(work / "trinh-ky.docx")]) == 0
    assert main(["render", str(files["data"]), "--final", "--number", "125", "--date", "2024-03-20", "--pdf",
                 "-o", str(work / "phat-hanh.docx")]) == 0
    files["copy"], files["numbered"] = work / "trinh-ky.pdf", work / "phat-hanh.pdf"
    files["leader-signed"], files["issued"] = work / "1-lanh-dao-ky.pdf", work / "2-ban-hanh.pdf"
    common = ["--password-file", str(files["password"])]
    assert main(["sign", str(files["copy"]), "-o", str(files["leader-signed"]), "--as", "signer", "--image",
                 str(files["image"]), "--p12", str(files["leader"]), *common]) == 0
    assert main(["sign", str(files["leader-signed"]), "-o", str(files["issued"]), "--as", "agency", "--number", "125",
                 "--date", "2024-03-20", "--seal", str(files["seal"]), "--p12", str(files["agency"]), *common]) == 0
    return files


def test_the_leaders_revision_shows_no_number(flow) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader

    data = flow["issued"].read_bytes()
    sigs = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures
    leader = next(s for s in sigs if s.field_name == "ChuKyNguoiKy")
    start, length = leader.byte_range[2], leader.byte_range[3]
    signed_revision = text(data[:start + length])
    assert re.search(r"Số: /KH-SKHCN", signed_revision) and "ngày tháng 3 năm 2024" in signed_revision
    assert "125/KH-SKHCN" not in signed_revision and "DỰ THẢO" not in signed_revision


def test_the_issued_words_are_those_of_the_numbered_final(flow) -> None:
    issued, numbered = text(flow["issued"]), text(flow["numbered"])
    assert "Số: 125/KH-SKHCN Quảng Ngãi, ngày 20 tháng 3 năm 2024" in issued
    assert "(Kèm theo Kế hoạch số 125/KH-SKHCN ngày 20/3/2024 của Sở Khoa học và Công nghệ)" in issued
    assert issued == numbered


def test_pyhanko_finds_every_signature_intact_with_form_filling_only(flow) -> None:
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    reader = PdfFileReader(io.BytesIO(flow["issued"].read_bytes()), strict=False)
    sigs = reader.embedded_signatures
    # The leader, then the number, the day (page 1), the appendix's number and day, then the seal.
    assert [s.field_name for s in sigs] == ["ChuKyNguoiKy", "SoVanBan", "NgayBanHanh", "SoVanBan2",
                                            "NgayBanHanh2", "ChuKyCoQuan"]
    context = ValidationContext(trust_roots=[load_cert_from_pemder(str(flow["ca"]))], allow_fetching=False)
    for sig in sigs:
        status = validate_pdf_signature(sig, context)  # pyHanko's default difference policy
        assert status.intact and status.valid and status.trusted, sig.field_name
        assert status.modification_level is not None
        assert status.modification_level <= ModificationLevel.FORM_FILLING, (sig.field_name, status.modification_level)


def test_stamps_are_in_the_font_and_size_of_their_line(flow) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(flow["issued"].read_bytes()), strict=False)
    seen = {}
    for sig in reader.embedded_signatures:
        if sig.field_name in ("ChuKyNguoiKy", "ChuKyCoQuan"):
            continue
        form = sig.sig_field["/AP"]["/N"]

        def fonts(xobject, depth=0):  # noqa: ANN001, ANN202
            found = []
            resources = xobject.get("/Resources", {})
            for font in resources.get("/Font", {}).values():
                found.append(str(font.get_object()["/BaseFont"]))
            for inner in resources.get("/XObject", {}).values():
                if depth < 4:
                    found += fonts(inner.get_object(), depth + 1)
            return found

        def streams(xobject, depth=0):  # noqa: ANN001, ANN202
            data = xobject.data
            for inner in xobject.get("/Resources", {}).get("/XObject", {}).values():
                if depth < 4:
                    data += streams(inner.get_object(), depth + 1)
            return data

        size = re.search(rb"/\w+ (\d+) Tf", streams(form))
        seen[sig.field_name] = (int(size.group(1)), fonts(form))
    # Số line 13 pt upright; the date line 14 pt italic; the appendix's reference line 14 pt italic.
    assert seen["SoVanBan"][0] == 13 and not any("Italic" in f for f in seen["SoVanBan"][1])
    assert seen["NgayBanHanh"][0] == 14 and all("Italic" in f for f in seen["NgayBanHanh"][1])


def test_verify_with_the_ca_is_valid_and_without_unverified(flow, capsys) -> None:
    capsys.readouterr()
    assert main(["verify", str(flow["issued"]), "--trust", str(flow["ca"])]) == 0
    out = capsys.readouterr().out
    # Each stamp is said as what the văn thư wrote, not as a bare "chữ ký".
    assert "(văn thư đóng số văn bản, chữ ký số của cơ quan, trường SoVanBan" in out
    assert "(văn thư đóng ngày, chữ ký số của cơ quan, trường NgayBanHanh" in out
    assert not re.search(r"^Chữ ký \d+ \(chữ ký,", out, re.M)
    assert main(["verify", str(flow["issued"])]) == 3
    from generator.esign.verify import verify_file

    leader = verify_file(flow["issued"], trust=[flow["ca"]])[0]
    stamps = [c.detail for c in leader.changes_after if c.kind == "stamp"]
    assert any("125" in d for d in stamps) and any("20" in d for d in stamps), stamps


def test_refusals_of_the_issue(flow, tmp_path, capsys) -> None:
    common = ["--p12", str(flow["agency"]), "--password-file", str(flow["password"])]
    out = tmp_path / "x.pdf"
    capsys.readouterr()
    # Not signed by the leader yet.
    assert main(["sign", str(flow["copy"]), "-o", str(out), "--as", "agency", "--number", "7", "--date",
                 "2024-03-20", *common]) == 2
    assert "người có thẩm quyền ký bản trình ký trước" in capsys.readouterr().err
    # The printed month is March: an April date does not fit.
    assert main(["sign", str(flow["leader-signed"]), "-o", str(out), "--as", "agency", "--number", "7", "--date",
                 "2024-04-02", *common]) == 2
    err = capsys.readouterr().err
    # The date as the văn thư typed it, and what to do: a day of March, or a new signing copy.
    assert "ngày ban hành 02/04/2024 không khớp tháng/năm đã in" in err and "2024-04-02" not in err
    assert "trong đúng tháng, năm đã in" in err and "--unnumbered" in err
    # Already numbered.
    assert main(["sign", str(flow["issued"]), "-o", str(out), "--as", "agency", "--number", "7", "--date",
                 "2024-03-20", *common]) == 2
    assert "đã được văn thư đóng số" in capsys.readouterr().err
    assert main(["sign", str(flow["leader-signed"]), "-o", str(out), "--as", "agency", "--number", "7", *common]) == 2
    assert "--number và --date đi cùng nhau" in capsys.readouterr().err
    assert not out.exists()


def test_number_and_date_first_then_the_seal(flow, tmp_path) -> None:
    from generator.esign.verify import verify_file

    common = ["--p12", str(flow["agency"]), "--password-file", str(flow["password"])]
    stamped, sealed = tmp_path / "so.pdf", tmp_path / "dau.pdf"
    assert main(["sign", str(flow["leader-signed"]), "-o", str(stamped), "--as", "agency", "--number", "125",
                 "--date", "2024-03-20", *common]) == 0
    assert main(["sign", str(stamped), "-o", str(sealed), "--as", "agency", "--seal", str(flow["seal"]), *common]) == 0
    assert text(sealed) == text(flow["numbered"])
    assert verify_file(sealed, trust=[flow["ca"]]).verdict == "valid"


CITED_IN_WORDS = ("ngày 28 tháng 11 năm 2023", "ngày 05 tháng 3 năm 2024")
"""Dates of documents the opening cites, written in words as the date line is: one of another year,
one of the very month of issue. Neither is a blank."""


def test_dates_cited_in_words_are_no_blanks(flow, tmp_path) -> None:
    """A plan citing "… ngày 28 tháng 11 năm 2023 …" (the day printed) is stamped as any other: the
    văn thư's date is compared with, and written into, the blank date line only."""
    data = tmp_path / "kh.yaml"
    cited = "".join(f'  - "Căn cứ Quyết định số {n}/QĐ-SKHCN {d} của Giám đốc Sở về việc thành lập Tổ công tác;"\n'
                    for n, d in zip((27, 15), CITED_IN_WORDS, strict=True))
    source = SAMPLE.read_text(encoding="utf-8")
    assert "opening:\n" in source
    data.write_text(source.replace("opening:\n", "opening:\n" + cited, 1), encoding="utf-8")
    assert main(["render", str(data), "--final", "--unnumbered", "--pdf", "-o", str(tmp_path / "trinh-ky.docx")]) == 0
    assert main(["render", str(data), "--final", "--number", "125", "--date", "2024-03-20", "--pdf",
                 "-o", str(tmp_path / "phat-hanh.docx")]) == 0
    copy = text(tmp_path / "trinh-ky.pdf")
    assert all(d in copy for d in CITED_IN_WORDS), "each cited date must stand on one line of the page"
    common = ["--password-file", str(flow["password"])]
    signed, issued = tmp_path / "1-ky.pdf", tmp_path / "2-ban-hanh.pdf"
    assert main(["sign", str(tmp_path / "trinh-ky.pdf"), "-o", str(signed), "--as", "signer", "--image",
                 str(flow["image"]), "--p12", str(flow["leader"]), *common]) == 0
    assert main(["sign", str(signed), "-o", str(issued), "--as", "agency", "--number", "125", "--date", "2024-03-20",
                 "--p12", str(flow["agency"]), *common]) == 0
    assert text(issued) == text(tmp_path / "phat-hanh.pdf")
    assert all(d in text(issued) for d in CITED_IN_WORDS)


def test_the_agency_types_the_date_as_everywhere_else():
    """`sign --as agency --date` reads the date as the data file and `render --date` do (issue 28)."""
    import datetime as dt

    from generator.errors import UserError
    from generator.esign.stamps import parse_issue_date

    assert parse_issue_date("20/03/2024") == parse_issue_date("2024-03-20") == dt.date(2024, 3, 20)
    assert parse_issue_date("2/3/2024") == dt.date(2024, 3, 2)
    for partial in ("03/2024", "31/13/2024", "hôm nay"):
        with pytest.raises(UserError, match="20/03/2024"):
            parse_issue_date(partial)


# --- an appendix issued as a file of its own ---------------------------------------------------------


def _pages(pdf: Path, first: int, last: int, out: Path) -> Path:
    """Pages first..last (1-based) of pdf as a file of their own, as a văn thư splits them off."""
    parts = []
    for page in range(first, last + 1):
        part = out.with_name(f"{out.stem}-{page}.pdf")
        subprocess.run(["pdfseparate", "-f", str(page), "-l", str(page), str(pdf), str(part)], check=True)
        parts.append(str(part))
    subprocess.run(["pdfunite", *parts, str(out)], check=True)
    return out


def _appendix_pages(pdf: Path) -> tuple[int, int]:
    """The appendix's pages: from the first page whose text carries its "(Kèm theo Kế hoạch số" line."""
    count = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                                                             check=True).stdout).group(1))
    for page in range(1, count + 1):
        words = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"], capture_output=True,
                               check=True).stdout.decode("utf-8")
        if "Kèm theo Kế hoạch số" in " ".join(words.split()):
            return page, count
    raise AssertionError("no appendix page")


@pytest.fixture(scope="module")
def attachment(flow, tmp_path_factory) -> dict[str, Path]:
    """The appendix of the signing copy as its own file; the văn thư issues it with the document's
    number and date: `sign PHU-LUC.pdf --as agency --attachment --number 125 --date 20/03/2024`."""
    work = tmp_path_factory.mktemp("phu-luc")
    first, last = _appendix_pages(flow["copy"])
    assert first > 1 and _appendix_pages(flow["numbered"]) == (first, last)
    files = {"copy": _pages(flow["copy"], first, last, work / "phu-luc-trinh-ky.pdf"),
             "numbered": _pages(flow["numbered"], first, last, work / "phu-luc-so-125.pdf"),
             "issued": work / "phu-luc-ban-hanh.pdf"}
    assert main(["sign", str(files["copy"]), "-o", str(files["issued"]), "--as", "agency", "--attachment",
                 "--number", "125", "--date", "20/03/2024", "--p12", str(flow["agency"]),
                 "--password-file", str(flow["password"])]) == 0
    return files


def test_the_attachment_of_the_signing_copy_has_its_number_blank(attachment) -> None:
    copy = text(attachment["copy"])
    assert re.search(r"\(Kèm theo Kế hoạch số /KH-SKHCN ngày /3/2024 của Sở Khoa học và Công nghệ\)", copy), copy
    assert "125" not in copy


def test_the_issued_attachment_reads_as_the_numbered_final(attachment) -> None:
    issued = text(attachment["issued"])
    assert "(Kèm theo Kế hoạch số 125/KH-SKHCN ngày 20/3/2024 của Sở Khoa học và Công nghệ)" in issued
    # Word for word the numbered final's appendix pages; the agency's text signature (top right,
    # "125/KH-SKHCN; <time>") is the only addition.
    extra = [line for line in issued.split("\n") if line not in text(attachment["numbered"]).split("\n")]
    assert all(re.fullmatch(r"125/KH-SKHCN; 20\d\d-\d\d-\d\dT[\d:]+\+07:00", line) for line in extra if line), extra


def test_the_attachment_is_signed_by_the_agency_only_each_signature_intact(attachment, flow) -> None:
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    reader = PdfFileReader(io.BytesIO(attachment["issued"].read_bytes()), strict=False)
    sigs = reader.embedded_signatures
    # The number and the day into the blanks of the reference line, then the attachment's signature.
    assert [s.field_name for s in sigs] == ["SoVanBan", "NgayBanHanh", "ChuKyCoQuanPhuLuc"]
    context = ValidationContext(trust_roots=[load_cert_from_pemder(str(flow["ca"]))], allow_fetching=False)
    for sig in sigs:
        status = validate_pdf_signature(sig, context)
        assert status.intact and status.valid and status.trusted, sig.field_name
        assert status.modification_level is not None
        assert status.modification_level <= ModificationLevel.FORM_FILLING, (sig.field_name, status.modification_level)
    stamp = sigs[-1].sig_field["/AP"]["/N"].get_object().data.decode("latin-1")
    assert "(125\\057KH\\055SKHCN\\073 " in stamp  # ActualText "125/KH-SKHCN; …" as the issued document's
    assert main(["verify", str(attachment["issued"]), "--trust", str(flow["ca"])]) == 0


def test_an_attachment_with_a_blank_number_is_refused_without_one(attachment, flow, tmp_path, capsys) -> None:
    common = ["--p12", str(flow["agency"]), "--password-file", str(flow["password"])]
    out = tmp_path / "x.pdf"
    capsys.readouterr()
    assert main(["sign", str(attachment["copy"]), "-o", str(out), "--as", "agency", "--attachment", *common]) == 2
    err = capsys.readouterr().err
    assert "phụ lục còn để trống số văn bản" in err and "--attachment --number N --date" in err
    # Issued already: not stamped twice.
    assert main(["sign", str(attachment["issued"]), "-o", str(out), "--as", "agency", "--attachment", "--number",
                 "125", "--date", "20/03/2024", *common]) == 2
    assert "đã được văn thư đóng số" in capsys.readouterr().err
    # Another month than the one printed is refused, as on the document.
    assert main(["sign", str(attachment["copy"]), "-o", str(out), "--as", "agency", "--attachment", "--number",
                 "125", "--date", "20/04/2024", *common]) == 2
    assert "không khớp tháng/năm đã in" in capsys.readouterr().err
    assert not out.exists()


def test_the_document_split_from_its_attachment_is_issued_as_before(attachment, flow, tmp_path) -> None:
    """The document's own pages, split off the signing copy as the attachment was (pdfunite writes a
    trailer /Size below its object numbers): the leader signs, the văn thư stamps and seals, and the
    words are the numbered final's pages."""
    first, _ = _appendix_pages(flow["copy"])
    copy = _pages(flow["copy"], 1, first - 1, tmp_path / "van-ban-trinh-ky.pdf")
    numbered = _pages(flow["numbered"], 1, first - 1, tmp_path / "van-ban-so-125.pdf")
    common = ["--p12", str(flow["agency"]), "--password-file", str(flow["password"])]
    signed, issued = tmp_path / "1.pdf", tmp_path / "2.pdf"
    assert main(["sign", str(copy), "-o", str(signed), "--as", "signer", "--image", str(flow["image"]), "--p12",
                 str(flow["leader"]), "--password-file", str(flow["password"])]) == 0
    assert main(["sign", str(signed), "-o", str(issued), "--as", "agency", "--number", "125", "--date", "20/03/2024",
                 "--seal", str(flow["seal"]), *common]) == 0
    assert "Số: 125/KH-SKHCN Quảng Ngãi, ngày 20 tháng 3 năm 2024" in text(issued)
    assert text(issued) == text(numbered)
    assert main(["verify", str(issued), "--trust", str(flow["ca"])]) == 0


def _header_words(pdf: Path) -> list[tuple[str, float, float]]:
    """Page 1's line of "Số:" and the date, as poppler places its words (stamps drawn): (word,
    left, right) from left to right."""
    from xml.etree import ElementTree

    out = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True,
                         check=True).stdout
    words = [(w.text or "", float(w.get("xMin")), float(w.get("xMax")), float(w.get("yMax")))
             for w in ElementTree.fromstring(out).iter("{http://www.w3.org/1999/xhtml}word")]
    row = next(w[3] for w in words if w[0] == "Số:")
    return sorted((w[:3] for w in words if abs(w[3] - row) < 3), key=lambda w: w[1])


def _gaps(words: list[tuple[str, float, float]], names: list[str]) -> list[float]:
    """The gaps between the named words, in order, each named word the first of its text."""
    found = [next(w for w in words if w[0] == n) for n in names]
    return [round(b[1] - a[2], 1) for a, b in zip(found, found[1:])]


SPACE_14, SPACE_13, DIGIT_13 = 14 * 0.25, 13 * 0.25, 13 * 0.5
"""A space in the date line's 14 pt and the Số line's 13 pt Times, and a digit at 13 pt."""


def test_the_stamped_date_line_reads_as_typed_and_the_number_stands_against_its_slash(flow) -> None:
    """The văn thư's day closes up as typed: one space either side of it, as in the numbered final
    (its blank is as wide as two digits, every day is printed with two). The number is written
    against the slash ("125/KH-…") in a blank as wide as the widest number (five digits): a shorter
    one leaves only its missing digits' room after "Số:"."""
    issued, numbered = _header_words(flow["issued"]), _header_words(flow["numbered"])
    date = ["ngày", "20", "tháng", "3", "năm"]
    assert _gaps(issued, date) == _gaps(numbered, date) == [SPACE_14] * 4
    (gap, slash) = _gaps(issued, ["Số:", "125", "/KH-SKHCN"])  # the stamp is a word of its own
    assert abs(slash) <= 1  # against the slash, as typed
    assert abs(gap - (SPACE_13 + 2 * DIGIT_13)) <= 0.3  # 125 is three of five digits: two digits' room left


def test_a_five_digit_number_and_a_blank_month_close_up_as_typed(flow, tmp_path) -> None:
    """The widest number fills its blank exactly ("Số: 12345/…"); a month left blank on the signing
    copy and stamped with one digit ("3") stands in the middle of its blank, the same gap either
    side, never one wide gap before "năm"."""
    data = tmp_path / "kh.yaml"
    source = SAMPLE.read_text(encoding="utf-8")
    assert "date: 2024-03-20" in source
    data.write_text(source.replace("date: 2024-03-20", "date: '2024'", 1), encoding="utf-8")
    assert main(["render", str(data), "--final", "--unnumbered", "--pdf", "-o", str(tmp_path / "trinh-ky.docx")]) == 0
    common = ["--password-file", str(flow["password"])]
    signed, issued = tmp_path / "1-ky.pdf", tmp_path / "2-ban-hanh.pdf"
    assert main(["sign", str(tmp_path / "trinh-ky.pdf"), "-o", str(signed), "--as", "signer", "--image",
                 str(flow["image"]), "--p12", str(flow["leader"]), *common]) == 0
    assert main(["sign", str(signed), "-o", str(issued), "--as", "agency", "--number", "12345", "--date",
                 "20/03/2024", "--p12", str(flow["agency"]), *common]) == 0
    words = _header_words(issued)
    (gap, slash) = _gaps(words, ["Số:", "12345", "/KH-SKHCN"])
    assert abs(gap - SPACE_13) <= 0.3 and abs(slash) <= 1  # "Số: 12345/KH-SKHCN"
    assert _gaps(words, ["ngày", "20", "tháng"]) == [SPACE_14, SPACE_14]
    # "3" is half as wide as its two-digit blank: a quarter of an em more either side, the same both sides.
    month_gaps = _gaps(words, ["tháng", "3", "năm"])
    assert all(abs(g - (SPACE_14 + 14 * 0.25)) <= 0.3 for g in month_gaps), month_gaps
    from generator.esign.verify import verify_file

    assert verify_file(issued, trust=[flow["ca"]]).verdict == "valid"  # no stamp lies over a word of the page
