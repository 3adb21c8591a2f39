"""Issuing keeps the record (issue 24): the data file holds the number and date after a final, an
issued final is never replaced by one of another number, `batch --final` issues every unit's copy,
the register's JSON matches the document; dates typed the Vietnamese way (issue 28); outputs beside
the data file (issue 29)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.check import check_file
from generator.cli import main
from generator.errors import DataError
from generator.jobs.issue import existing_document, issue_file
from generator.jobs.record import date_as_written
from generator.plan.loader import load_plan
from generator.plan.model import IssueDate
from generator.recognise import read_docx
from tests.paths import ROOT

SAMPLE = ROOT / "data" / "ke-hoach-truyen-thong-kiem-soat-tthc-2024.yaml"
IMPLEMENTING = ROOT / "data" / "don-vi-trien-khai.yaml"


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    """A project laid out as the README's quick start (data/ beside output/), as the current folder."""
    (tmp_path / "data").mkdir()
    shutil.copy(SAMPLE, tmp_path / "data" / "kh.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def comments(text: str) -> list[str]:
    return [line[line.index("#"):] for line in text.splitlines() if "#" in line]


# --- the data file holds the record -----------------------------------------------------------

def test_final_writes_number_and_date_into_the_data_file_keeping_every_comment(project: Path, capsys) -> None:
    data = project / "data" / "kh.yaml"
    before = data.read_text(encoding="utf-8")
    assert main(["render", "data/kh.yaml", "--final", "--number", "18", "--date", "22/03/2024"]) == 0
    # Dates are said the way the văn thư typed them: two-digit day and month.
    assert "Đã ghi số 18 và ngày 22/03/2024 vào tệp dữ liệu" in capsys.readouterr().out
    after = data.read_text(encoding="utf-8")
    assert comments(after) == comments(before)  # every comment, in its place and order
    changed = [line for line in after.splitlines() if line not in before.splitlines()]
    assert changed == ["number: 18", "date: 2024-03-22                        # viết 2024-03 nếu chưa có ngày"]
    assert after.index("number: 18") < after.index("date: 2024-03-22")  # above date, not at the end
    plan = load_plan(data)
    assert (plan.number, plan.date) == (18, IssueDate(year=2024, month=3, day=22))
    # The record is written after the final, which is there with the same number.
    final = project / "output" / "kh-so-18.docx"
    assert existing_document(final).kind == "final" and existing_document(final).number == 18


def test_the_record_keeps_quoting_line_ends_and_the_date_form_of_the_file(tmp_path: Path) -> None:
    data = tmp_path / "kh.yaml"
    text = SAMPLE.read_text(encoding="utf-8").replace("date: 2024-03-20", 'date: "03/2024"  ')
    data.write_bytes(("\ufeff" + text).replace("\n", "\r\n").encode("utf-8"))
    issue_file(data, f"{tmp_path / 'out'}/", final=True, number=7, date="2024-03-05")
    raw = data.read_bytes()
    assert raw.startswith("\ufeff".encode()) and raw.count(b"\r\n") == raw.count(b"\n")
    after = raw.decode("utf-8-sig").replace("\r\n", "\n")
    assert 'date: "05/03/2024"' in after and "\nnumber: 7\n" in after  # quoted, day first, with zeros
    assert comments(after) == comments(text)
    assert date_as_written("2/3/2024", IssueDate(year=2024, month=3, day=5)) == "5/3/2024"
    assert date_as_written(2024, IssueDate(year=2024, month=3, day=5)) == "2024-03-05"


def test_a_draft_writes_nothing_into_the_data_file(project: Path) -> None:
    data = project / "data" / "kh.yaml"
    before = data.read_bytes()
    assert main(["render", "data/kh.yaml"]) == 0
    assert data.read_bytes() == before


# --- an issued final is never replaced by one of another number --------------------------------

def test_a_second_issue_with_another_number_leaves_the_first_final_as_it_is(project: Path, capsys) -> None:
    data = project / "data" / "kh.yaml"
    assert main(["render", "data/kh.yaml", "--final", "--number", "18", "--date", "22/03/2024", "--pdf"]) == 0
    final, pdf = project / "output" / "kh-so-18.docx", project / "output" / "kh-so-18.pdf"
    first, first_pdf, recorded = final.read_bytes(), pdf.read_bytes(), data.read_bytes()
    capsys.readouterr()
    for force in ([], ["--force"]):
        assert main(["render", "data/kh.yaml", "--final", "--number", "19", "--date", "22/03/2024", *force]) == 2
        err = capsys.readouterr().err
        assert "đã ghi số 18 (bản phát hành số 18: output/kh-so-18.docx)" in err and "số 19" in err
        assert "Traceback" not in err
        assert final.read_bytes() == first and pdf.read_bytes() == first_pdf and data.read_bytes() == recorded
        assert sorted(p.name for p in final.parent.iterdir()) == ["kh-so-18.docx", "kh-so-18.json", "kh-so-18.pdf"]


def test_a_second_issue_with_another_date_names_both_dates_day_first(project: Path, capsys) -> None:
    assert main(["render", "data/kh.yaml", "--final", "--number", "18", "--date", "05/03/2024"]) == 0
    capsys.readouterr()
    assert main(["render", "data/kh.yaml", "--final", "--date", "2024-01-09"]) == 2
    err = capsys.readouterr().err
    assert "đã ghi ngày 05/03/2024, không đổi sang ngày 09/01/2024" in err
    assert "2024-01-09" not in err and "Traceback" not in err


def test_an_issue_date_outside_the_drafts_month_is_issued_with_a_warning(project: Path, capsys) -> None:
    # A year typed wrong in January (05/01/2025 for a plan drafted 03/2024) is said, never silent;
    # not refused: a plan drafted in December is often issued in January.
    data = project / "data" / "kh.yaml"
    data.write_text(data.read_text(encoding="utf-8").replace("date: 2024-03-20", "date: 2024-03", 1),
                    encoding="utf-8")
    assert main(["render", "data/kh.yaml", "--final", "--number", "18", "--date", "05/01/2025"]) == 0
    err = capsys.readouterr().err
    assert "cảnh báo: ngày ban hành 05/01/2025 không thuộc tháng 03/2024 ghi trong tệp dữ liệu" in err
    assert (project / "output" / "kh-so-18.docx").is_file()
    other = project / "data" / "kh2.yaml"
    other.write_text(SAMPLE.read_text(encoding="utf-8").replace("date: 2024-03-20", "date: 2024-03", 1),
                     encoding="utf-8")
    assert main(["render", "data/kh2.yaml", "--final", "--number", "19", "--date", "22/03/2024"]) == 0
    assert "cảnh báo" not in capsys.readouterr().err


def test_a_final_named_by_hand_is_not_replaced_by_another_number_even_with_force(tmp_path: Path, capsys) -> None:
    first_data, second_data = tmp_path / "a.yaml", tmp_path / "b.yaml"
    shutil.copy(SAMPLE, first_data)
    shutil.copy(SAMPLE, second_data)
    out = tmp_path / "ke-hoach.docx"
    issue_file(first_data, out, final=True, number=18, date="2024-03-22")
    first = out.read_bytes()
    for force in ([], ["--force"]):
        assert main(["render", str(second_data), "-o", str(out), "--final", "--number", "19",
                     "--date", "2024-03-22", *force]) == 2
        err = capsys.readouterr().err
        assert f"{out}: đã có bản phát hành số 18" in err and "19" in err
        assert out.read_bytes() == first
    assert load_plan(second_data).number is None  # nothing recorded
    # --force re-creates the same number, byte for byte.
    assert main(["render", str(first_data), "-o", str(out), "--final", "--force"]) == 0
    assert out.read_bytes() == first


# --- the register's entry ----------------------------------------------------------------------

def test_the_metadata_matches_the_documents_own_header(project: Path) -> None:
    assert main(["render", "data/kh.yaml", "--final", "--number", "5", "--date", "2/3/2024", "--pdf"]) == 0
    docx = project / "output" / "kh-so-05.docx"
    entry = json.loads(docx.with_suffix(".json").read_text(encoding="utf-8"))
    doc = read_docx(docx)
    assert doc.number is not None and doc.date is not None
    assert entry["so"] == int(doc.number.number) == 5
    assert entry["ky_hieu"] == doc.number.symbol and entry["so_ky_hieu"] == f"{doc.number.number}/{doc.number.symbol}"
    assert entry["ngay"] == f"{doc.date.year}-{int(doc.date.month):02d}-{int(doc.date.day):02d}" == "2024-03-02"
    assert entry["dong_ngay"] == doc.date_line.text
    assert entry["trich_yeu"] == " ".join(p.text for p in doc.subject_lines)
    assert entry["co_quan_ban_hanh"].upper() == doc.issuer_name.upper()
    assert entry["co_quan_chu_quan"].upper() == doc.parent_name.upper()
    assert entry["nguoi_ky"] == doc.signer_name.text
    assert entry["chuc_vu_nguoi_ky"] == ", ".join(p.text for p in doc.signer_lines)
    printed = [p.text.removeprefix("- ").rstrip(";.") for p in doc.recipients]
    assert entry["noi_nhan"] + [f"Lưu: {entry['luu']}"] == printed
    # The page count is the PDF's, as LibreOffice laid it out.
    info = subprocess.run(["pdfinfo", str(docx.with_suffix(".pdf"))], capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert entry["so_trang"] == pages and entry["tep_pdf"] == "kh-so-05.pdf" and entry["tep"] == docx.name


def test_without_a_pdf_the_page_count_is_not_guessed(project: Path) -> None:
    issue_file(project / "data" / "kh.yaml", final=True, number=5, date="2024-03-02")
    entry = json.loads((project / "output" / "kh-so-05.json").read_text(encoding="utf-8"))
    assert entry["so_trang"] is None and entry["tep_pdf"] is None


# --- batch --final -----------------------------------------------------------------------------

def numbered_units(path: Path, numbers: list[int | None]) -> Path:
    """The implementing units sample with each unit's number and date (None: that unit has none)."""
    text = IMPLEMENTING.read_text(encoding="utf-8").replace("    date: 2024-03                       # dự thảo: chưa có ngày\n", "")
    it = iter(numbers)

    def add(m: re.Match) -> str:
        n = next(it)
        return m.group(1) + (f"    number: {n}\n    date: 22/03/2024\n" if n is not None else "")

    path.write_text(re.sub(r"(  - name: [^\n]*\n)", add, text), encoding="utf-8")
    return path


def test_batch_final_issues_numbered_copies_that_pass_check(tmp_path: Path, capsys) -> None:
    units = numbered_units(tmp_path / "units.yaml", [18, 41, 7])
    out = tmp_path / "out"
    assert main(["batch", str(SAMPLE), "--units", str(units), "-o", str(out), "--final", "--jobs", "1"]) == 0
    made = sorted(p.name for p in out.glob("*.docx"))
    assert made == ["so-tai-chinh-so-41.docx", "so-tu-phap-so-18.docx", "so-y-te-so-07.docx"]
    for name, number, symbol in (("so-tu-phap-so-18", 18, "KH-STP"), ("so-y-te-so-07", 7, None)):
        docx = out / f"{name}.docx"
        assert existing_document(docx).kind == "final" and existing_document(docx).number == number
        report = check_file(docx)
        assert not report.errors, [str(e) for e in report.errors]
        doc = read_docx(docx)
        entry = json.loads(docx.with_suffix(".json").read_text(encoding="utf-8"))
        assert doc.number is not None and entry["so_ky_hieu"] == f"{doc.number.number}/{doc.number.symbol}"
        assert symbol is None or doc.number.symbol == symbol
        assert "DỰ THẢO" not in " ".join(p.text for p in doc.paragraphs)


def test_batch_final_run_again_keeps_the_same_finals_as_render_does(tmp_path: Path, capsys) -> None:
    """The same `batch --final` again (a unit added to the list, a retry): each final already there
    and the same as its data gives was an error ("đã có bản phát hành số 18 …"), every unit of the
    list, and exit 2, where `render --final` says "giữ nguyên". Now kept, untouched, said as kept,
    with its register entry; the new unit is issued; a final its data no longer gives is still
    refused and stays as it is."""
    units = numbered_units(tmp_path / "units.yaml", [18, 41, 7])
    out = tmp_path / "out"
    args = ["batch", str(SAMPLE), "--units", str(units), "-o", str(out), "--final", "--jobs", "1"]
    assert main(args) == 0
    issued = {p.name: p.read_bytes() for p in out.iterdir()}
    assert len(issued) == 6  # three finals and their JSON
    capsys.readouterr()
    assert main(args) == 0
    said = capsys.readouterr()
    assert said.out.count("Đã có, giống hệt dữ liệu, giữ nguyên: ") == 3 and "Đã tạo:" not in said.out, said
    assert "0 bản phát hành" in said.out and "3 bản phát hành đã có, giống hệt, giữ nguyên" in said.out
    assert {p.name: p.read_bytes() for p in out.iterdir()} == issued
    # A unit added to the list: issued; the others kept.
    text = units.read_text(encoding="utf-8")
    units.write_text(text + "  - name: Sở Nội vụ\n    number: 52\n    date: 22/03/2024\n"
                     "    agency: {name: Sở Nội vụ, abbreviation: SNV}\n"
                     "    signer: {name: Lê Văn C, title: Giám đốc}\n", encoding="utf-8")
    assert main(args) == 0, capsys.readouterr().err
    said = capsys.readouterr()
    assert "Đã tạo: " in said.out and "so-noi-vu-so-52.docx" in said.out and said.out.count("giữ nguyên: ") == 3
    assert existing_document(out / "so-noi-vu-so-52.docx").number == 52
    assert {k: v for k, v in ((p.name, p.read_bytes()) for p in out.iterdir()) if k in issued} == issued
    # Data changed for an issued unit: refused, its final as it was.
    units.write_text(units.read_text(encoding="utf-8").replace("Nguyễn Văn A", "Nguyễn Văn Khác"), encoding="utf-8")
    assert main(args) == 2
    assert "so-tu-phap-so-18.docx: đã có bản phát hành khác với dữ liệu hiện tại" in capsys.readouterr().err
    assert (out / "so-tu-phap-so-18.docx").read_bytes() == issued["so-tu-phap-so-18.docx"]


def test_batch_final_with_an_unnumbered_unit_writes_nothing_and_names_it(tmp_path: Path, capsys) -> None:
    units = numbered_units(tmp_path / "units.yaml", [18, None, 7])
    out = tmp_path / "out"
    assert main(["batch", str(SAMPLE), "--units", str(units), "-o", str(out), "--final", "--jobs", "1"]) == 2
    err = capsys.readouterr().err
    assert "1 đơn vị chưa có số" in err and "đơn vị 2 «Sở Tài chính»: thiếu số (number)" in err
    assert "Sở Tư pháp" not in err  # only the unit that lacks it is named
    assert not out.exists() or not list(out.iterdir())


def test_batch_final_does_not_take_the_model_plans_number_for_a_unit(tmp_path: Path, capsys) -> None:
    plan = tmp_path / "kh.yaml"
    plan.write_text(SAMPLE.read_text(encoding="utf-8").replace("date: 2024-03-20", "number: 5\ndate: 2024-03-20"),
                    encoding="utf-8")
    units = numbered_units(tmp_path / "units.yaml", [None, None, None])
    assert main(["batch", str(plan), "--units", str(units), "-o", str(tmp_path / "out"), "--final"]) == 2
    assert "3 đơn vị chưa có số" in capsys.readouterr().err


# --- dates typed the Vietnamese way ------------------------------------------------------------

@pytest.mark.parametrize("typed, parts", [
    ("20/03/2024", (2024, 3, 20)), ("2/3/2024", (2024, 3, 2)), ("03/2024", (2024, 3, None)),
    ("2024-03-20", (2024, 3, 20)), ("20.3.2024", (2024, 3, 20)),
])
def test_dates_typed_day_first_are_read(typed: str, parts: tuple) -> None:
    date = IssueDate.model_validate(typed)
    assert (date.year, date.month, date.day) == parts


@pytest.mark.parametrize("written", ["date: 20/03/2024", 'date: "20/03/2024"', "date: '20/3/2024'"])
def test_a_data_file_may_write_the_date_day_first(tmp_path: Path, written: str) -> None:
    data = tmp_path / "kh.yaml"
    data.write_text(SAMPLE.read_text(encoding="utf-8").replace("date: 2024-03-20", written, 1)
                    .replace("date: 2024-02-07", "date: 07/02/2024"), encoding="utf-8")
    plan = load_plan(data)
    assert (plan.date.day, plan.date.month, plan.date.year) == (20, 3, 2024)
    assert plan.references["kh36_ubnd"].date.isoformat() == "2024-02-07"


def test_a_wrong_date_is_reported_with_file_line_field_and_fix(tmp_path: Path, capsys) -> None:
    data = tmp_path / "kh.yaml"
    data.write_text(SAMPLE.read_text(encoding="utf-8").replace("date: 2024-03-20", "date: 31/13/2025", 1)
                    .replace("date: 2024-02-07", "date: 30/02/2024"), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_plan(data)
    shown = [str(p) for p in caught.value.problems]
    assert any(s.startswith(f"{data}:11:7: date: không có tháng 13; ngày ban hành viết dạng 20/03/2024") for s in shown)
    assert any("references.kh36_ubnd.date: tháng 2/2024 không có ngày 30" in s for s in shown)
    assert main(["validate", str(data)]) == 2
    assert "31/13/2025" in capsys.readouterr().err


# --- outputs beside the data file --------------------------------------------------------------

def test_outputs_go_beside_the_data_file(tmp_path: Path, monkeypatch) -> None:
    # The quick start: in the project folder, data/x.yaml gives output/x.docx of the project.
    (tmp_path / "proj" / "data").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    shutil.copy(SAMPLE, tmp_path / "proj" / "data" / "kh.yaml")
    shutil.copy(SAMPLE, tmp_path / "proj" / "plan.yaml")
    monkeypatch.chdir(tmp_path / "proj")
    assert main(["render", "data/kh.yaml"]) == 0
    assert (tmp_path / "proj" / "output" / "kh.docx").is_file()
    # From any other folder: the same place, and a data file outside a data/ folder gets its own output/.
    monkeypatch.chdir(tmp_path / "elsewhere")
    assert main(["render", str(tmp_path / "proj" / "data" / "kh.yaml")]) == 0
    assert main(["render", "../proj/plan.yaml"]) == 0
    assert (tmp_path / "proj" / "output" / "plan.docx").is_file()
    assert not (tmp_path / "elsewhere" / "output").exists()
    # -o still decides.
    assert main(["render", "../proj/plan.yaml", "-o", "mine.docx"]) == 0
    assert (tmp_path / "elsewhere" / "mine.docx").is_file()


def test_batch_output_goes_beside_the_model_plan(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "proj" / "data").mkdir(parents=True)
    shutil.copy(SAMPLE, tmp_path / "proj" / "data" / "kh.yaml")
    shutil.copy(IMPLEMENTING, tmp_path / "proj" / "data" / "units.yaml")
    monkeypatch.chdir(tmp_path)
    assert main(["batch", "proj/data/kh.yaml", "--units", "proj/data/units.yaml", "--jobs", "1"]) == 0
    assert len(list((tmp_path / "proj" / "output" / "units").glob("*.docx"))) == 3


# --- a units list straight from a spreadsheet --------------------------------------------------

def units_book(path: Path, rows: list[list], header: list[str] | None = None) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Đơn vị"
    sheet.append(["Danh sách đơn vị phát hành"])  # a title above the header, as offices write them
    sheet.append(header or ["STT", "Tên", "Cơ quan", "Viết tắt", "Người ký", "Chức vụ", "Số", "Ngày"])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_batch_final_from_a_units_spreadsheet(tmp_path: Path) -> None:
    import datetime as dt

    from generator.jobs.batch import run_batch

    units = units_book(tmp_path / "don-vi.xlsx", [
        [1, "Sở Tư pháp", "Sở Tư pháp", "STP", "Nguyễn Văn A", "Giám đốc", 18, dt.date(2024, 3, 22)],
        [2, "Sở Y tế", "Sở Y tế", "SYT", "Trần Thị B", "Giám đốc", 7, "22/3/2024"],
    ])
    result = run_batch(SAMPLE, units, tmp_path / "out", jobs=1, final=True, pdf=True)
    assert [d.path.name for d in result.written] == ["so-tu-phap-so-18.docx", "so-y-te-so-07.docx"]
    for done in result.written:  # the page count of each unit's own PDF, added after the conversion
        entry = json.loads(done.path.with_suffix(".json").read_text(encoding="utf-8"))
        info = subprocess.run(["pdfinfo", str(done.path.with_suffix(".pdf"))], capture_output=True, text=True).stdout
        assert entry["so_trang"] == int(re.search(r"Pages:\s+(\d+)", info).group(1))
        assert entry["tep_pdf"] == done.path.with_suffix(".pdf").name
    doc = read_docx(result.written[1].path)
    assert doc.number is not None and (doc.number.number, doc.number.symbol) == ("07", "KH-SYT")
    assert doc.signer_name is not None and doc.signer_name.text == "Trần Thị B"
    assert doc.date_line is not None and "ngày 22 tháng 3 năm 2024" in doc.date_line.text


def test_a_units_spreadsheet_mistake_is_named_by_its_cell(tmp_path: Path, capsys) -> None:
    units = units_book(tmp_path / "don-vi.xlsx", [
        [1, "Sở Tư pháp", "Sở Tư pháp", "STP", "Nguyễn Văn A", "Giám đốc", None, "22/03/2024"],
        [2, "Sở Y tế", "Sở Y tế", "SYT", "Trần Thị B", "Giám đốc", 7, "31/13/2025"],
    ])
    out = tmp_path / "out"
    assert main(["batch", str(SAMPLE), "--units", str(units), "-o", str(out), "--final"]) == 2
    err = capsys.readouterr().err
    assert "đơn vị 1 «Sở Tư pháp»: thiếu số (number)" in err
    assert "Đơn vị!H4: units[1].date: không có tháng 13" in err  # with the date mistake, at once
    assert not out.exists()
    wrong = units_book(tmp_path / "sai.xlsx", [[1, "Sở Tư pháp", "x"]], header=["STT", "Tên", "Địa chỉ email"])
    assert main(["batch", str(SAMPLE), "--units", str(wrong), "-o", str(out)]) == 2
    assert "Đơn vị!C2: cột không nhận ra" in capsys.readouterr().err


def test_a_cell_merged_down_the_units_sheet_is_every_spanned_units_value(tmp_path: Path) -> None:
    """Excel prints one "Phó Giám đốc" (or one date) over the rows its merged range spans: each of
    those units is signed and dated so; an empty row between units, even one a merged cell runs
    through, makes no unit."""
    import openpyxl

    from generator.jobs.batch import run_batch

    units = units_book(tmp_path / "don-vi.xlsx", [
        [1, "Sở Tư pháp", "Sở Tư pháp", "STP", "Nguyễn Văn A", "Phó Giám đốc", 18, "22/03/2024"],
        [2, "Sở Y tế", "Sở Y tế", "SYT", "Trần Thị B", None, 19, None],
        [None] * 8,
        [3, "Sở Nội vụ", "Sở Nội vụ", "SNV", "Lê Văn C", "Giám đốc", 20, "25-3-2024"],
        [4, "Sở Tài chính", "Sở Tài chính", "STC", "Phạm Văn D", None, 21, None],
    ])
    book = openpyxl.load_workbook(units)
    sheet = book.active
    sheet.merge_cells("F3:F4")  # Chức vụ of units 1 and 2
    sheet.merge_cells("H3:H5")  # Ngày of units 1 and 2, through the empty row
    sheet.merge_cells("F6:F7")  # Chức vụ of units 3 and 4
    sheet.merge_cells("H6:H7")  # Ngày of units 3 and 4, typed day-month-year with dashes
    book.save(units)
    result = run_batch(SAMPLE, units, tmp_path / "out", jobs=1, final=True)
    assert [d.path.name for d in result.written] == [
        "so-tu-phap-so-18.docx", "so-y-te-so-19.docx", "so-noi-vu-so-20.docx", "so-tai-chinh-so-21.docx"]
    seen = []
    for done in result.written:
        doc = read_docx(done.path)
        assert doc.signer_lines and doc.date_line is not None
        seen.append((doc.signer_lines[-1].text, re.search(r"ngày \d+ tháng \d+", doc.date_line.text).group(0)))
    assert seen == [("PHÓ GIÁM ĐỐC", "ngày 22 tháng 3")] * 2 + [("GIÁM ĐỐC", "ngày 25 tháng 3")] * 2


def test_a_merged_value_mistake_is_named_at_the_cell_holding_it(tmp_path: Path, capsys) -> None:
    import openpyxl

    units = units_book(tmp_path / "don-vi.xlsx", [
        [1, "Sở Tư pháp", "Sở Tư pháp", "STP", "Nguyễn Văn A", "Giám đốc", 18, "31/13/2024"],
        [2, "Sở Y tế", "Sở Y tế", "SYT", "Trần Thị B", "Giám đốc", 19, None],
    ])
    book = openpyxl.load_workbook(units)
    book.active.merge_cells("H3:H4")
    book.save(units)
    out = tmp_path / "out"
    assert main(["batch", str(SAMPLE), "--units", str(units), "-o", str(out), "--final"]) == 2
    err = capsys.readouterr().err
    # Both units took the merged date; each is told where it is typed (H4 is part of the merged H3).
    assert "Đơn vị!H3: units[0].date: không có tháng 13" in err
    assert "Đơn vị!H3: units[1].date: không có tháng 13" in err and "H4" not in err
    assert not out.exists()


def test_a_formula_error_in_the_units_sheet_is_said_at_its_cell(tmp_path: Path, capsys) -> None:
    # "#REF!" prints in the cell: the unit must not quietly take the model plan's signer instead.
    units = units_book(tmp_path / "don-vi.xlsx", [
        [1, "Sở Tư pháp", "Sở Tư pháp", "STP", "#REF!", "Giám đốc", 18, "22/03/2024"],
    ])
    out = tmp_path / "out"
    assert main(["batch", str(SAMPLE), "--units", str(units), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "Đơn vị!E3" in err and "#REF!" in err and "lỗi công thức" in err
    assert not out.exists()


def test_a_plan_issued_with_a_decision_is_issued_by_its_date_alone(project: Path, capsys) -> None:
    """A plan whose number is its decision's (own_number: false, as `kehoach import` reads the plan a
    decision issues): --final wants only the day, writes no number nor register entry of its own (the
    register holds the decision), and names the final by what it is. It used to stop on an internal
    error (exit 70) as soon as its date was full."""
    data = project / "data" / "kh.yaml"
    text = data.read_text(encoding="utf-8").replace("date: 2024-03-20", "date: 2024-03", 1)
    data.write_text(text + "own_number: false\nsubtitle: '(Ban hành kèm theo Quyết định số 12/QĐ-SKHCN "
                    "ngày 22/3/2024 của Sở Khoa học và Công nghệ)'\n", encoding="utf-8")
    before = data.read_text(encoding="utf-8")
    assert main(["render", "data/kh.yaml", "--final", "--number", "5", "--date", "22/03/2024"]) == 2
    assert "không có số riêng" in capsys.readouterr().err
    assert data.read_text(encoding="utf-8") == before and not (project / "output").exists()

    assert main(["render", "data/kh.yaml", "--final", "--date", "22/03/2024"]) == 0
    said = capsys.readouterr().out
    final = project / "output" / "kh-ban-hanh.docx"
    assert "Đã tạo bản phát hành: " in said and "Đã ghi ngày 22/03/2024 vào tệp dữ liệu" in said
    after = data.read_text(encoding="utf-8")
    changed = [line for line in after.splitlines() if line not in before.splitlines()]
    assert [line.split("#")[0].strip() for line in changed] == ["date: 2024-03-22"]  # the day only, no number
    assert changed[0].endswith("# viết 2024-03 nếu chưa có ngày")
    assert sorted(p.name for p in (project / "output").iterdir()) == ["kh-ban-hanh.docx"]  # no register JSON
    assert existing_document(final).kind == "final"
    doc = read_docx(final)
    assert doc.number_line is None and doc.date_line is None  # the decision's number and date, not its own
    assert any("Ban hành kèm theo Quyết định số 12/QĐ-SKHCN" in p.text for p in doc.paragraphs)

    # The data now records the day: a plain render makes the same final again and keeps it.
    assert main(["render", "data/kh.yaml"]) == 0
    assert "giữ nguyên" in capsys.readouterr().out


def test_batch_final_issues_plans_issued_with_a_decision_by_their_date_alone(tmp_path: Path, capsys) -> None:
    """A batch of plans each issued with a decision (own_number: false): `render --final` issues such a
    plan by its day alone, so must `batch --final`. It used to refuse every unit for "thiếu số (number)",
    a number the plan cannot hold (its number is its decision's)."""
    plan = tmp_path / "kh.yaml"
    plan.write_text(SAMPLE.read_text(encoding="utf-8") + "own_number: false\nsubtitle: '(Ban hành kèm theo Quyết "
                    "định số 12/QĐ-SKHCN ngày 22/3/2024 của Sở Khoa học và Công nghệ)'\n", encoding="utf-8")
    text = IMPLEMENTING.read_text(encoding="utf-8").replace("    date: 2024-03                       # dự thảo: chưa có ngày\n", "")
    units = tmp_path / "units.yaml"
    units.write_text(re.sub(r"(  - name: [^\n]*\n)", r"\1    date: 22/03/2024\n", text), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["batch", str(plan), "--units", str(units), "-o", str(out), "--final", "--jobs", "1"]) == 0, \
        capsys.readouterr().err
    made = sorted(p.name for p in out.iterdir())
    # Named as `render --final` names it, and no register JSON: the register holds the decision.
    assert made == ["so-tai-chinh-ban-hanh.docx", "so-tu-phap-ban-hanh.docx", "so-y-te-ban-hanh.docx"]
    for name in made:
        assert existing_document(out / name).kind == "final"
        doc = read_docx(out / name)
        assert doc.number_line is None and doc.date_line is None
        assert any("Ban hành kèm theo Quyết định số 12/QĐ-SKHCN" in p.text for p in doc.paragraphs)


def test_batch_final_names_the_units_untouched_drafts_and_leaves_them(tmp_path: Path, capsys) -> None:
    """batch, then batch --final: each unit's draft (so-tu-phap.docx) stays beside its final
    (so-tu-phap-so-18.docx); the untouched ones are named as render and dossier name them, never
    removed; one edited since is the user's and is not named."""
    from docx import Document

    out = tmp_path / "out"
    assert main(["batch", str(SAMPLE), "--units", str(IMPLEMENTING), "-o", str(out), "--jobs", "1"]) == 0
    drafts = sorted(out.glob("*.docx"))
    assert [existing_document(p).kind for p in drafts] == ["draft"] * 3
    edited = out / "so-y-te.docx"
    doc = Document(str(edited))
    doc.add_paragraph("Ý kiến bổ sung")
    doc.save(str(edited))
    capsys.readouterr()
    units = numbered_units(tmp_path / "units.yaml", [18, 41, 7])
    assert main(["batch", str(SAMPLE), "--units", str(units), "-o", str(out), "--final", "--jobs", "1"]) == 0
    said = capsys.readouterr().out
    assert "Dự thảo, bản trình ký cũ do kehoach tạo" in said and "không xóa" in said, said
    named = [line.strip() for line in said.splitlines() if line.startswith("  ")]
    assert named == [str(out.resolve() / "so-tu-phap.docx"), str(out.resolve() / "so-tai-chinh.docx")], said
    assert all(p.exists() for p in drafts)
