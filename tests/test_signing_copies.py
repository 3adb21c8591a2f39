"""The signing copy (bản trình ký) of a dossier's documents and of a batch's unit copies: signed first,
numbered and dated afterwards by the văn thư's stamps (docs/ky-so.md). The documents are opened and
read; the electronic flow is walked with a throwaway CA (the single plan's: tests/test_issue_flow.py)."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from generator.cli import main
from generator.document.context import WIDE_CITED_DAY, WIDE_DAY, WIDE_NUMBER
from tests.paths import DATA, SAMPLE
from tests.test_dossier import _final_data, _submitted_data, _text
from tests.limits_helpers import rezip

UNITS = DATA / "don-vi-trien-khai.yaml"


def _has(lines: list[str], pattern: str) -> bool:
    return any(re.search(pattern, line) for line in lines)


def _files(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def _unissued_data(tmp_path: Path) -> Path:
    """The sample dossier with no number given yet (the shipped sample, copied)."""
    data = tmp_path / "hs.yaml"
    shutil.copy(DATA / "ho-so-ke-hoach-tuyen-truyen-cchc-2026.yaml", data)
    return data


def test_before_the_submission_is_numbered_only_its_documents_are_signing_copies(tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    assert main(["dossier", str(_unissued_data(tmp_path)), "-o", str(out), "--final", "--unnumbered"]) == 0
    said = capsys.readouterr().out
    # The decision would cite a Tờ trình without its number: its signing copy comes later, and says so.
    assert sorted(p.name for p in out.iterdir()) == ["hs-to-trinh-trinh-ky.docx", "hs-tong-hop-y-kien-trinh-ky.docx"]
    assert ("bản trình ký tạo sau, khi Tờ trình và Bảng tổng hợp ý kiến góp ý đã có số, ngày (ghi vào "
            "dossier.submission, dossier.comment_report ") in said and said.count("— bản trình ký") == 2
    for name, symbol in (("hs-to-trinh-trinh-ky.docx", "TTr-SNV"), ("hs-tong-hop-y-kien-trinh-ky.docx", "BC-SNV")):
        lines = _text(out / name)
        assert "DỰ THẢO" not in lines  # the boxed mark is a line of its own
        assert f"Số: {WIDE_NUMBER}/{symbol}" in lines  # wide enough for the stamp of a five-digit number
        assert f"Lâm Đồng, ngày {WIDE_DAY} tháng 01 năm 2026" in lines


def test_the_decision_waits_for_the_document_still_unnumbered_and_the_command_names_it(tmp_path: Path,
                                                                                       capsys) -> None:
    """The Tờ trình numbered, the comment table sent up with it not yet: the decision still waits, and
    what it waits for is the table (dossier.comment_report), not the Tờ trình already issued."""
    out = tmp_path / "out"
    data = _submitted_data(tmp_path)
    data.write_text(data.read_text(encoding="utf-8").replace(
        "  comment_report:\n    number: 7\n    date: 09/01/2026\n", ""), encoding="utf-8")
    assert main(["dossier", str(data), "-o", str(out), "--final", "--unnumbered"]) == 0
    said = capsys.readouterr().out
    assert sorted(p.name for p in out.iterdir()) == ["hs-trinh-to-trinh-so-108.docx",
                                                     "hs-trinh-tong-hop-y-kien-trinh-ky.docx"]
    waits = [line for line in said.splitlines() if "bản trình ký tạo sau" in line]
    assert len(waits) == 1, said
    assert "khi Bảng tổng hợp ý kiến góp ý đã có số, ngày (ghi vào dossier.comment_report " in waits[0], waits
    assert "Tờ trình đã có số" not in waits[0] and "dossier.submission" not in waits[0]


def test_once_the_submission_is_numbered_the_decision_and_its_plan_are_signed(tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    data = _submitted_data(tmp_path)
    # The submitted set as --final made it: its issued documents must be kept as they are.
    assert main(["dossier", str(data), "-o", str(out), "--final"]) == 0
    issued = {n: v for n, v in _files(out).items() if "-so-" in n}
    assert sorted(issued) == ["hs-trinh-to-trinh-so-108.docx", "hs-trinh-tong-hop-y-kien-so-07.docx"]
    capsys.readouterr()
    assert main(["dossier", str(data), "-o", str(out), "--final", "--unnumbered"]) == 0
    said = capsys.readouterr().out
    assert said.count("đã có, giữ nguyên") == 2 and said.count("— bản trình ký") == 2
    assert {n: v for n, v in _files(out).items() if "-so-" in n} == issued
    assert {"hs-trinh-quyet-dinh-trinh-ky.docx", "hs-trinh-ke-hoach-trinh-ky.docx"} <= set(_files(out))
    decision = _text(out / "hs-trinh-quyet-dinh-trinh-ky.docx")
    assert "DỰ THẢO" not in decision
    assert f"Số: {WIDE_NUMBER}/QĐ-UBND" in decision and f"Lâm Đồng, ngày {WIDE_DAY} tháng 01 năm 2026" in decision
    assert "Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số 108/TTr-SNV ngày 12/01/2026." in decision
    plan = _text(out / "hs-trinh-ke-hoach-trinh-ky.docx")
    assert "DỰ THẢO" not in plan and not _has(plan, r"^Số:")  # no number of its own
    assert (f"(Ban hành kèm theo Quyết định số {WIDE_NUMBER}/QĐ-UBND ngày {WIDE_CITED_DAY}/01/2026 của UBND tỉnh "
            "Lâm Đồng)") in plan


def test_signing_copies_are_replaced_like_drafts_never_an_edited_one_nor_a_complete_set(tmp_path: Path,
                                                                                          capsys) -> None:
    out = tmp_path / "out"
    data = _submitted_data(tmp_path)
    assert main(["dossier", str(data), "-o", str(out), "--final", "--unnumbered"]) == 0
    # Made again: the untouched signing copies are replaced, the issued Tờ trình kept.
    assert main(["dossier", str(data), "-o", str(out), "--final", "--unnumbered"]) == 0
    assert capsys.readouterr().out.count("đã có, giữ nguyên") == 2
    # Other words in the Tờ trình under its number: refused before anything is written.
    changed = tmp_path / "hs-sua.yaml"
    text = data.read_text(encoding="utf-8")
    assert "name: Lê Thị Hạnh" in text
    changed.write_text(text.replace("name: Lê Thị Hạnh", "name: Lê Thị Hoa"), encoding="utf-8")
    shutil.copy(out / "hs-trinh-to-trinh-so-108.docx", out / "hs-sua-to-trinh-so-108.docx")
    before = _files(out)
    assert main(["dossier", str(changed), "-o", str(out), "--final", "--unnumbered"]) == 2
    assert "bản phát hành không bao giờ bị ghi đè" in capsys.readouterr().err
    assert _files(out) == before
    # A signing copy edited by hand since is not replaced either.
    data = _submitted_data(tmp_path)
    copy = out / "hs-trinh-quyet-dinh-trinh-ky.docx"
    # What Word does to it: a word changed, the rest as we wrote it.
    src = copy.read_bytes()
    body = zipfile.ZipFile(io.BytesIO(src)).read("word/document.xml")
    assert "Lâm Đồng".encode() in body
    copy.write_bytes(rezip(src, replace={"word/document.xml": body.replace("Lâm Đồng".encode(), b"Lam Dong", 1)}))
    before = _files(out)
    assert main(["dossier", str(data), "-o", str(out), "--final", "--unnumbered"]) == 2
    assert "đã được sửa" in capsys.readouterr().err
    assert _files(out) == before
    # Everything numbered: nothing left to sign, nothing written; and --unnumbered goes with --final.
    final = _final_data(tmp_path)
    assert main(["dossier", str(final), "-o", str(tmp_path / "all"), "--final", "--unnumbered"]) == 2
    assert "không còn bản trình ký nào" in capsys.readouterr().err
    assert main(["dossier", str(final), "-o", str(tmp_path / "all"), "--unnumbered"]) == 2
    assert "--unnumbered đi cùng --final" in capsys.readouterr().err
    assert not (tmp_path / "all").exists()


def test_a_batch_makes_each_units_signing_copy_without_numbers(tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    # The sample's units have no number (one no full date either): a final batch refuses them all.
    assert main(["batch", str(SAMPLE), "--units", str(UNITS), "-o", str(out), "--final", "--jobs", "1", "-q"]) == 2
    assert "--final --unnumbered" in capsys.readouterr().err and not out.exists()
    assert main(["batch", str(SAMPLE), "--units", str(UNITS), "-o", str(out), "--unnumbered", "-q"]) == 2
    assert "--unnumbered đi cùng --final" in capsys.readouterr().err and not out.exists()
    assert main(["batch", str(SAMPLE), "--units", str(UNITS), "-o", str(out), "--final", "--unnumbered",
                 "--jobs", "2"]) == 0
    assert "3 bản trình ký" in capsys.readouterr().out
    names = sorted(p.name for p in out.iterdir())
    assert names == ["so-tai-chinh-trinh-ky.docx", "so-tu-phap-trinh-ky.docx", "so-y-te-trinh-ky.docx"]  # no JSON
    for name, symbol in (("so-tu-phap-trinh-ky.docx", "KH-STP"), ("so-tai-chinh-trinh-ky.docx", "KH-STC")):
        lines = _text(out / name)
        assert "DỰ THẢO" not in lines  # the boxed mark is a line of its own
        assert f"Số: {WIDE_NUMBER}/{symbol}" in lines and _has(lines, f"ngày {WIDE_DAY} tháng 3 năm 2024$")
        # The appendix cites its plan with the same wide blanks, stamped with the same number and day.
        assert _has(lines, re.escape(f"số {WIDE_NUMBER}/{symbol} ngày {WIDE_CITED_DAY}/3/2024"))
    # A unit given its number and day in the units file: blanks all the same (signed before numbered).
    numbered = tmp_path / "dv.yaml"
    numbered.write_text(UNITS.read_text(encoding="utf-8").replace(
        "      abbreviation: STP\n", "      abbreviation: STP\n    number: 18\n    date: 2024-03-25\n", 1),
        encoding="utf-8")
    assert main(["batch", str(SAMPLE), "--units", str(numbered), "-o", str(out), "--final", "--unnumbered",
                 "--jobs", "1", "-q"]) == 0
    lines = _text(out / "so-tu-phap-trinh-ky.docx")
    assert f"Số: {WIDE_NUMBER}/KH-STP" in lines and not _has(lines, r"\b18/KH-STP|ngày 25 tháng")


def test_a_units_signing_copy_is_not_warned_of_the_model_plans_number(tmp_path: Path, capsys) -> None:
    """A unit that inherits the model plan's number was warned "số văn bản 254 lấy từ kế hoạch mẫu"
    although its signing copy prints no number (the văn thư's blank): the warning is judged on the
    copy as printed, so only a copy that prints the model's number is warned."""
    model = tmp_path / "mau.yaml"
    model.write_text(SAMPLE.read_text(encoding="utf-8").replace("\ndate: 2024-03-20", "\nnumber: 254\ndate: 2024-03-20",
                                                                1), encoding="utf-8")
    assert main(["batch", str(model), "--units", str(UNITS), "-o", str(tmp_path / "ky"), "--final", "--unnumbered",
                 "--jobs", "1"]) == 0
    said = capsys.readouterr()
    assert "lấy từ kế hoạch mẫu" not in said.out + said.err and "3 bản trình ký" in said.out
    for name in ("so-tu-phap-trinh-ky.docx", "so-tai-chinh-trinh-ky.docx", "so-y-te-trinh-ky.docx"):
        lines = _text(tmp_path / "ky" / name)
        assert not _has(lines, r"\b254/KH-") and _has(lines, re.escape(f"Số: {WIDE_NUMBER}/KH-"))
    # Drafts of the same units print the model's 254: each is warned.
    assert main(["batch", str(model), "--units", str(UNITS), "-o", str(tmp_path / "du-thao"), "--jobs", "1"]) == 0
    said = capsys.readouterr()
    assert (said.out + said.err).count("số văn bản 254 lấy từ kế hoạch mẫu") == 3
    assert "Số: 254/KH-STP" in _text(tmp_path / "du-thao" / "so-tu-phap.docx")


# --- the electronic flow on these PDFs ------------------------------------------------------------

@pytest.fixture(scope="module")
def signed(tmp_path_factory) -> dict[str, Path]:
    """Stage 1: the Tờ trình's signing copy signed, then stamped 108 / 12/01/2026; stage 2: the
    decision's and its plan's signed, then stamped 25 / 20/01/2026; a batch unit's copy the same."""
    pytest.importorskip("pyhanko", reason='chưa cài thư viện ký số; cài bằng: pip install -e ".[sign]"')
    pytest.importorskip("pdfminer", reason='chưa cài pdfminer.six; cài bằng: pip install -e ".[sign]"')
    if not all(shutil.which(t) for t in ("soffice", "pdftotext")):
        pytest.skip("cần LibreOffice và poppler-utils; cài bằng: apt-get install libreoffice-writer-nogui "
                    "poppler-utils")
    from tests.sign_fixtures import PASSWORD, make_ca, make_cert
    from tests.test_sign import make_seal_png, make_signature_png

    work = tmp_path_factory.mktemp("trinh-ky")
    ca = make_ca()
    files = {"ca": ca.pem(work / "ca.pem"),
             "leader": make_cert(ca, "Trần Văn Bình", "UBND tỉnh Lâm Đồng").p12(work / "lanh-dao.p12"),
             "agency": make_cert(ca, "UBND tỉnh Lâm Đồng", "UBND tỉnh Lâm Đồng").p12(work / "co-quan.p12"),
             "image": make_signature_png(work / "chu-ky.png"), "seal": make_seal_png(work / "dau.png"),
             "password": work / "mk"}
    files["password"].write_bytes(PASSWORD + b"\n")
    common = ["--password-file", str(files["password"])]

    def issue(copy: Path, number: str, date: str) -> Path:
        leader, done = copy.with_name(f"{copy.stem}-1.pdf"), copy.with_name(f"{copy.stem}-2.pdf")
        assert main(["sign", str(copy), "-o", str(leader), "--as", "signer", "--image", str(files["image"]),
                     "--p12", str(files["leader"]), *common]) == 0
        assert main(["sign", str(leader), "-o", str(done), "--as", "agency", "--number", number, "--date", date,
                     "--seal", str(files["seal"]), "--p12", str(files["agency"]), *common]) == 0
        return done

    out = work / "out"
    data = _unissued_data(work)
    assert main(["dossier", str(data), "-o", str(out), "--final", "--unnumbered", "--pdf"]) == 0
    files["to-trinh"] = issue(out / "hs-to-trinh-trinh-ky.pdf", "108", "12/01/2026")
    submitted = _submitted_data(work)  # the văn thư writes the Tờ trình's number and date into the data
    assert main(["dossier", str(submitted), "-o", str(out), "--final", "--unnumbered", "--pdf"]) == 0
    files["quyet-dinh"] = issue(out / "hs-trinh-quyet-dinh-trinh-ky.pdf", "25", "20/01/2026")
    files["ke-hoach"] = issue(out / "hs-trinh-ke-hoach-trinh-ky.pdf", "25", "20/01/2026")
    units = work / "dv.yaml"
    units.write_text(UNITS.read_text(encoding="utf-8").split("\n  - name: Sở Tài chính")[0] + "\n", encoding="utf-8")
    assert main(["batch", str(SAMPLE), "--units", str(units), "-o", str(work / "lo"), "--final", "--unnumbered",
                 "--pdf", "--jobs", "1", "-q"]) == 0
    files["don-vi"] = issue(work / "lo" / "so-tu-phap-trinh-ky.pdf", "18", "25/03/2024")
    return files


def _words(pdf: Path) -> str:
    from tests.test_issue_flow import text

    return " ".join(text(pdf).split())  # the rows as printed, wrapped lines joined


@pytest.mark.parametrize(("kind", "number", "stamped"), [
    ("to-trinh", "108", ["Số: 108/TTr-SNV", "Lâm Đồng, ngày 12 tháng 01 năm 2026"]),
    ("quyet-dinh", "25", ["Số: 25/QĐ-UBND", "Lâm Đồng, ngày 20 tháng 01 năm 2026",
                    "tại Tờ trình số 108/TTr-SNV ngày 12/01/2026"]),
    ("ke-hoach", "25", ["(Ban hành kèm theo Quyết định số 25/QĐ-UBND ngày 20/01/2026 của UBND tỉnh Lâm Đồng)"]),
    ("don-vi", "18", ["Số: 18/KH-STP", "ngày 25 tháng 3 năm 2024", "(Kèm theo Kế hoạch số 18/KH-STP ngày 25/3/2024"]),
])
def test_the_stamps_fill_the_blanks_and_verify_is_valid(signed, kind, number, stamped) -> None:
    words = _words(signed[kind])
    for said in stamped:
        assert said in words, (said, words[:600])
    assert main(["verify", str(signed[kind]), "--trust", str(signed["ca"])]) == 0
    from generator.esign.verify import verify_file

    # The leader signed the blanks; the stamps written after are the number and the day, nothing else.
    leader = verify_file(signed[kind], trust=[signed["ca"]])[0]
    stamps = [c.detail for c in leader.changes_after if c.kind == "stamp"]
    assert stamps and any(f"«{number}»" in d for d in stamps), stamps


def test_a_draft_is_told_by_its_mark_above_the_quoc_hieu_not_by_a_heading_naming_a_draft() -> None:
    """A Tờ trình submits "the draft plan": its heading "NỘI DUNG CHÍNH CỦA DỰ THẢO KẾ HOẠCH" is no mark.
    The mark is the document's first paragraph, above the Quốc hiệu (lines as the PDF reader gives them)."""
    pytest.importorskip("pyhanko", reason='chưa cài thư viện ký số; cài bằng: pip install -e ".[sign]"')
    from generator.errors import UserError
    from generator.esign.pages import Line, Page
    from generator.esign.sign import refuse_draft

    def line(text: str, y: float) -> Line:
        return Line(text, 300 - 3 * len(text), y, 300 + 3 * len(text), y + 13)

    body = [line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 770), line("Độc lập - Tự do - Hạnh phúc", 755),
            line("TỜ TRÌNH", 650), line("III. NỘI DUNG CHÍNH CỦA DỰ THẢO KẾ HOẠCH", 400),
            line("DỰ THẢO KẾ HOẠCH GỒM 04 PHẦN", 385)]
    refuse_draft([Page(0, 595, 842, body)])  # signed
    refuse_draft([Page(0, 595, 842, body)], "agency")
    for mark in ("DỰ THẢO", "DỰ THẢO LẦN 2"):
        with pytest.raises(UserError, match="dự thảo"):
            refuse_draft([Page(0, 595, 842, [line(mark, 800), *body])])
    # A template that boxes the mark elsewhere (level with the Quốc hiệu, in the issuer's column, at the
    # foot of the page): the mark, a line of its own, is a draft's wherever it stands.
    for mark, y in (("DỰ THẢO", 770), ("Dự thảo lần 2", 720), ("DỰ THẢO 3", 60)):
        with pytest.raises(UserError, match="dự thảo"):
            refuse_draft([Page(0, 595, 842, [*body, line(mark, y)])])
    # No Quốc hiệu read on the page: the whole page is looked at, as before.
    with pytest.raises(UserError, match="dự thảo"):
        refuse_draft([Page(0, 595, 842, body[2:])])


def test_a_document_already_dated_is_never_stamped_with_another_date() -> None:
    """Page 1's own date line ("Lâm Đồng, ngày 15 tháng 02 năm 2026") with its day printed is no blank, and
    a --date other than it is refused (the document and the register would disagree); a date cited in the
    body ("… ngày 28 tháng 11 năm 2025 …") is never compared."""
    import datetime as dt

    from generator.errors import UserError
    from generator.esign.pages import Line, Page
    from generator.esign.stamps import find_blanks

    def line(text: str, y: float) -> Line:
        chars = tuple((ch, 100 + 7 * i, y, 107 + 7 * i, y + 13, y) for i, ch in enumerate(text))
        return Line(text, 100, y, 100 + 7 * len(text), y + 13, "TimesNewRomanPSMT", 14.0, chars)

    cited = line("Căn cứ Kế hoạch số 12/KH-UBND ngày 28 tháng 11 năm 2025 của UBND tỉnh;", 600)
    dated = [line("Số:      /KH-UBND", 760), line("Lâm Đồng, ngày 15 tháng 02 năm 2026", 740), cited]
    with pytest.raises(UserError, match=r"đã in ngày ban hành 15/02/2026, khác 20/03/2026"):
        find_blanks([Page(0, 595, 842, dated)], 125, dt.date(2026, 3, 20))
    assert [b.what for b in find_blanks([Page(0, 595, 842, dated)], 125, dt.date(2026, 2, 15))] == ["number"]
    blank = [line("Số:      /KH-UBND", 760), line("Lâm Đồng, ngày      tháng 03 năm 2026", 740), cited]
    assert [b.what for b in find_blanks([Page(0, 595, 842, blank)], 125, dt.date(2026, 3, 20))] == ["number", "day"]


def test_one_number_limit_the_data_the_issue_the_stamp_and_the_blank_all_follow() -> None:
    """The widest number a văn thư may give (nd30.DOC_NUMBER_MAX) is taken by the data file and by
    --number, one more is refused by both and by the signer's stamp, and the signing copy's blank is
    as wide in Times New Roman as that number printed: the stamp fills it, no more."""
    from pydantic import TypeAdapter, ValidationError

    from generator.errors import UserError
    from generator.esign.sign import _stamp_issue
    from generator.jobs.issue import parse_number
    from generator.nd30 import DOC_NUMBER_MAX
    from generator.plan.model import DocNumber
    from generator.word.metrics import text_width_pt

    widest = DOC_NUMBER_MAX
    assert TypeAdapter(DocNumber).validate_python(widest) == widest and parse_number(str(widest)) == widest
    with pytest.raises(ValidationError):
        TypeAdapter(DocNumber).validate_python(widest + 1)
    with pytest.raises(UserError, match=f"đến {widest},"):
        parse_number(widest + 1)
    with pytest.raises(UserError, match=f"tối đa {len(str(widest))} chữ số"):
        _stamp_issue(Path("x.pdf"), b"", None, widest + 1, "20/03/2024", None)  # type: ignore[arg-type]
    assert text_width_pt(WIDE_NUMBER, 14) == pytest.approx(text_width_pt(str(widest), 14))
