"""Formula cells in the spreadsheets staff bring (a units list, a filled progress sheet, a catalogue):
read as the value the file stores, which is what Excel shows; a formula whose value the file does
not hold (written by a program that does not compute: openpyxl, some exports) is a mistake said at
its cell, never read as an empty cell a default or "not reported" would fill."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from lxml import etree
from openpyxl.utils.datetime import to_excel

from generator.cli import main
from generator.errors import DataError
from generator.jobs.progress import ProgressError, read_progress, write_progress_sheet
from generator.jobs.units_sheet import read_units_sheet
from generator.plan.loader import load_plan
from generator.plan.sheets import UNCOMPUTED_SHOWN, BadCells, read_sheet
from generator.plan.tasks import plan_tasks
from generator.recognise import read_docx
from tests.ods_fixtures import ods_package
from tests.paths import ROOT
from tests.year_fixtures import fill, write_plan

SAMPLE = ROOT / "data" / "ke-hoach-truyen-thong-kiem-soat-tthc-2024.yaml"
FIX = "hãy mở tệp bằng Excel hoặc LibreOffice và lưu lại để ô có giá trị, hoặc gõ giá trị thay cho công thức"
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def stored(path: Path, sheet: str, results: dict[str, str | float], calc_pr: str | None = None) -> Path:
    """Store in the sheet's part the value Excel saves with each formula cell of results: a text
    result in a cell typed t="str", a number (a date is its serial number) untyped, as Excel and
    LibreOffice write them. openpyxl writes every formula with an empty <v>: no result.

    The workbook's <calcPr> becomes calc_pr, by default Excel's once it has computed (no
    fullCalcOnLoad: openpyxl's own asks for a recalculation on opening, which Excel clears)."""
    with zipfile.ZipFile(path) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    parts["xl/workbook.xml"], count = re.subn(rb"<calcPr[^>]*/>", (calc_pr or '<calcPr calcId="191029"/>').encode(),
                                              parts["xl/workbook.xml"])
    assert count == 1
    book = etree.fromstring(parts["xl/workbook.xml"])
    rel = next(s.get(R_ID) for s in book.iter(f"{MAIN}sheet") if s.get("name") == sheet)
    rels = etree.fromstring(parts["xl/_rels/workbook.xml.rels"])
    target = next(r.get("Target") for r in rels.iter(f"{RELS}Relationship") if r.get("Id") == rel)
    part = target.lstrip("/") if target.startswith("/") else "xl/" + target
    root = etree.fromstring(parts[part])
    for ref, value in results.items():
        cell = next(c for c in root.iter(f"{MAIN}c") if c.get("r") == ref)
        assert cell.find(f"{MAIN}f") is not None, f"{ref} holds no formula"
        v = cell.find(f"{MAIN}v")
        if v is None:
            v = etree.SubElement(cell, f"{MAIN}v")
        if isinstance(value, str):
            cell.set("t", "str")
        v.text = value if isinstance(value, str) else repr(value)
    parts[part] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def units_book(path: Path, rows: list[list], header: list[str] | None = None) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Đơn vị"
    sheet.append(["Danh sách đơn vị phát hành"])
    sheet.append(header or ["STT", "Tên", "Cơ quan", "Viết tắt", "Người ký", "Chức vụ"])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


UNITS = [[1, "Sở Tư pháp", "Sở Tư pháp", "STP", "Nguyễn Văn A", "Giám đốc"],
         [2, "Sở Y tế", "=B4", "SYT", "Trần Thị B", "Giám đốc"]]


# --- units list (kehoach batch --units) ------------------------------------------------------------


def test_a_units_agency_given_by_a_formula_goes_out_under_the_value_excel_shows(tmp_path: Path) -> None:
    from generator.jobs.batch import run_batch

    units = stored(units_book(tmp_path / "don-vi.xlsx", UNITS), "Đơn vị", {"C4": "Sở Y tế"})
    result = run_batch(SAMPLE, units, tmp_path / "out", jobs=1)
    issuers = [read_docx(done.path).issuer_name.upper() for done in result.written]
    assert len(issuers) == 2 and "SỞ Y TẾ" in issuers[1]
    assert "KHOA HỌC" not in issuers[1]  # not the model plan's agency


def test_a_units_formula_with_no_stored_value_is_said_at_its_cell_and_nothing_goes_out(
        tmp_path: Path, capsys) -> None:
    units = units_book(tmp_path / "don-vi.xlsx", UNITS)  # as openpyxl saves it: no value for =B4
    out = tmp_path / "out"
    assert main(["batch", str(SAMPLE), "--units", str(units), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert (f"{units}: Đơn vị!C4: có công thức =B4 nhưng tệp không lưu giá trị của công thức (tệp do "
            "chương trình không tính công thức tạo ra), nên không biết ô hiện gì; " + FIX) in err
    assert "Traceback" not in err and not out.exists()


def test_a_units_key_formula_is_read_by_its_value_or_said_at_its_cell(tmp_path: Path, capsys) -> None:
    header = ["Tên", "Khóa", "Cơ quan"]
    rows = [["Phòng KH", "phong-kh", "Sở A"], ["Phòng TC", "=LOWER(A5)", "Sở A"], ["phong-tc", None, None]]
    units = units_book(tmp_path / "phong.xlsx", rows, header)
    with pytest.raises(DataError) as caught:
        read_units_sheet(units)
    said = [str(p) for p in caught.value.problems]
    assert said == [f"{units}: Đơn vị!B4: có công thức =LOWER(A5) nhưng tệp không lưu giá trị của công thức "
                    "(tệp do chương trình không tính công thức tạo ra), nên không biết ô hiện gì; " + FIX]
    assert main(["batch", str(SAMPLE), "--units", str(units), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "Đơn vị!B4: có công thức =LOWER(A5)" in err and "thiếu trường" not in err
    stored(units, "Đơn vị", {"B4": "phong-tc"})
    read = read_units_sheet(units)
    assert [u.get("unit") for u in read.data["units"]] == ["phong-kh", "phong-tc", None]


def test_every_uncomputed_cell_is_listed_at_once_within_a_bound(tmp_path: Path) -> None:
    count = UNCOMPUTED_SHOWN + 5
    rows = [[i, f"Phòng {i}", f"=B{i + 2}", "P"] for i in range(1, count + 1)]
    units = units_book(tmp_path / "don-vi.xlsx", rows, ["STT", "Tên", "Cơ quan", "Viết tắt"])
    with pytest.raises(DataError) as caught:
        read_units_sheet(units)
    problems = caught.value.problems
    assert [p.path for p in problems] == [f"Đơn vị!C{r}" for r in range(3, 3 + UNCOMPUTED_SHOWN + 1)]
    assert all(f"có công thức =B{r} nhưng" in p.message for r, p in enumerate(problems[:-1], start=3))
    assert problems[-1].message == ("ô này và 4 ô khác sau nó cũng có công thức chưa có giá trị lưu trong tệp; "
                                    + FIX)


def test_an_ods_units_list_reads_the_value_libreoffice_stores_and_refuses_none(tmp_path: Path) -> None:
    def cell(text: str) -> str:
        return f'<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>'

    def rows(agency: str) -> str:
        return ("<table:table-row>" + cell("Tên") + cell("Cơ quan") + "</table:table-row>"
                "<table:table-row>" + cell("Sở Y tế") + agency + "</table:table-row>")

    path = tmp_path / "don-vi.ods"
    computed = ('<table:table-cell table:formula="of:=[.A2]" office:value-type="string" '
                'office:string-value="Sở Y tế"><text:p>Sở Y tế</text:p></table:table-cell>')
    path.write_bytes(ods_package(f'<table:table table:name="DV">{rows(computed)}</table:table>'))
    assert read_units_sheet(path).data["units"] == [{"name": "Sở Y tế", "agency": {"name": "Sở Y tế"}}]
    bare = '<table:table-cell table:formula="of:=[.A2]"/>'  # no office:value-type: no result stored
    path.write_bytes(ods_package(f'<table:table table:name="DV">{rows(bare)}</table:table>'))
    with pytest.raises(DataError) as caught:
        read_units_sheet(path)
    assert [(p.path, p.message.split(" nhưng")[0]) for p in caught.value.problems] == [("DV!B2", "có công thức =A2")]


# --- progress sheet (kehoach report) ----------------------------------------------------------------


PROGRESS_TASK = "Ban hành kế hoạch kiểm tra văn bản"


def _progress_with_a_date_formula(tmp_path: Path) -> tuple[Path, Path, int]:
    """A plan and its progress sheet as a unit fills it: PROGRESS_TASK done on =DATE(2025,8,1), a
    cell formatted as a date as Excel formats one, written by openpyxl (no value stored). (The plan's
    file, the sheet's, the task's row.)"""
    plan_path = write_plan(tmp_path)
    sheet = write_progress_sheet(plan_path, tmp_path / "tien-do.xlsx").output
    filled = fill(sheet, tmp_path / "filled.xlsx", {PROGRESS_TASK: ("Hoàn thành", "=DATE(2025,8,1)", None)})
    book = openpyxl.load_workbook(filled)
    row = next(r[1].row for r in book["Tiến độ"].iter_rows(min_row=4) if r[1].value == PROGRESS_TASK)
    book["Tiến độ"][f"F{row}"].number_format = "dd/mm/yyyy"
    book.save(filled)
    return plan_path, filled, row


def test_a_completion_day_given_by_date_formula_is_that_day_or_said_at_its_cell(tmp_path: Path) -> None:
    plan_path, filled, row = _progress_with_a_date_formula(tmp_path)
    task = PROGRESS_TASK
    plan = load_plan(plan_path)
    with pytest.raises(ProgressError) as caught:
        read_progress(plan, [filled])
    assert caught.value.problems == [
        f"filled.xlsx: Tiến độ!F{row}: có công thức =DATE(2025,8,1) nhưng tệp không lưu giá trị của công thức "
        "(tệp do chương trình không tính công thức tạo ra), nên không biết ô hiện gì; " + FIX]
    stored(filled, "Tiến độ", {f"F{row}": float(to_excel(dt.datetime(2025, 8, 1)))})
    progress = read_progress(plan, [filled])
    report = next(progress.by_key[t.key] for t in plan_tasks(plan) if t.content == task)
    assert (report.status, report.done_on) == ("Hoàn thành", dt.date(2025, 8, 1))
    assert not any("không ghi ngày" in w for w in progress.warnings)


# --- catalogue (a plan's appendix table, kehoach import) ---------------------------------------------


def test_catalogue_formulas_read_as_excel_shows_them(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "DM"
    ws.append(["STT", "Nội dung", "Thời hạn", "Kinh phí", "Ghi chú"])
    ws.append([1, "Khảo sát", "=DATE(2026,3,20)", "=1500000*2", '=IF(1=2,"x","")'])
    ws["C2"].number_format = "dd/mm/yyyy"
    ws["D2"].number_format = "#,##0"
    path = tmp_path / "dm.xlsx"
    book.save(path)
    with pytest.raises(BadCells) as caught:
        read_sheet(path)
    assert [p.path for p in caught.value.problems] == ["DM!C2", "DM!D2", "DM!E2"]
    # An empty text result is stored as an empty <v> in a t="str" cell: a value, the cell shows nothing.
    stored(path, "DM", {"C2": float(to_excel(dt.datetime(2026, 3, 20))), "D2": 3000000.0, "E2": ""})
    assert read_sheet(path).table["rows"] == [["Khảo sát", "20/3/2026", "3.000.000"]]


def test_import_refuses_a_catalogue_formula_with_no_value_at_its_cell(tmp_path: Path, capsys) -> None:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "DM"
    ws.append(["STT", "Nội dung", "Kinh phí"])
    ws.append([1, "Mua sắm", "=2*3"])
    book.save(tmp_path / "ct.xlsx")
    assert main(["import", str(tmp_path / "ct.xlsx"), "-o", str(tmp_path / "ct.yaml")]) == 2
    err = capsys.readouterr().err
    assert "DM!C2: có công thức =2*3 nhưng tệp không lưu giá trị" in err and FIX in err
    assert "Traceback" not in err and not (tmp_path / "ct.yaml").exists()


def test_an_ods_catalogue_reads_libreoffices_stored_values(tmp_path: Path) -> None:
    def text(t: str) -> str:
        return f'<table:table-cell office:value-type="string"><text:p>{t}</text:p></table:table-cell>'

    row = ('<table:table-row>' + text("Khảo sát")
           + '<table:table-cell table:formula="of:=DATE(2026;3;20)" office:value-type="date" '
             'office:date-value="2026-03-20"><text:p>20/03/2026</text:p></table:table-cell>'
           + '<table:table-cell table:formula="of:=UPPER([.A2])" office:value-type="string" '
             'office:string-value="KHẢO SÁT"><text:p>KHẢO SÁT</text:p></table:table-cell></table:table-row>')
    head = "<table:table-row>" + text("Nội dung") + text("Thời hạn") + text("Ghi chú") + "</table:table-row>"
    path = tmp_path / "dm.ods"
    path.write_bytes(ods_package(f'<table:table table:name="DM">{head}{row}</table:table>'))
    assert read_sheet(path).table["rows"] == [["Khảo sát", "20/3/2026", "KHẢO SÁT"]]
    # The same cells written without their results (a program that does not compute).
    bare = row.replace(' office:value-type="date" office:date-value="2026-03-20"', "").replace(
        ' office:value-type="string" office:string-value="KHẢO SÁT"', "")
    path.write_bytes(ods_package(f'<table:table table:name="DM">{head}{bare}</table:table>'))
    with pytest.raises(BadCells) as caught:
        read_sheet(path)
    assert [(p.path, p.message.split(" nhưng")[0]) for p in caught.value.problems] == [
        ("DM!B2", "có công thức =DATE(2026;3;20)"), ("DM!C2", "có công thức =UPPER(A2)")]


PLACEHOLDER = ("nhưng giá trị tệp lưu cho công thức chỉ là giá trị tạm: tệp yêu cầu Excel tính lại mọi công thức khi "
               "mở (tệp do chương trình không tính công thức xuất ra), nên không biết ô hiện gì; hãy mở tệp bằng "
               "Excel rồi lưu lại (Excel tính lại khi mở); nếu dùng LibreOffice, bấm Ctrl+Shift+F9")

RECALC_ON_OPEN = ['<calcPr calcId="124519" fullCalcOnLoad="1"/>',  # xlsxwriter's
                  "<calcPr fullCalcOnLoad='true' calcMode=\"auto\"/>",  # the schema's other boolean, quoted otherwise
                  '<calcPr calcId="0" fullCalcOnLoad = "1" />',
                  '<calcPr fullCalcOnLoad="&#49;"/>']  # a character reference: the parser reads 1, as Excel does


@pytest.mark.parametrize("calc_pr", RECALC_ON_OPEN)
def test_a_placeholder_excel_recomputes_on_opening_is_said_at_its_cell_by_every_reader(
        tmp_path: Path, calc_pr: str) -> None:
    """A writer that does not compute stores 0 with each formula and has Excel recompute the
    workbook on opening: the 0 is not what the cell shows, whatever its type (a number, a text
    result typed t="str")."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "DM"
    ws.append(["STT", "Nội dung", "Kinh phí", "Chủ trì"])
    ws.append([1, "Khảo sát", "=1500000*2", '=UPPER("Sở Y tế")'])
    path = tmp_path / "dm.xlsx"
    book.save(path)
    stored(path, "DM", {"C2": 0.0, "D2": "0"}, calc_pr)
    with pytest.raises(BadCells) as caught:
        read_sheet(path)
    assert [(p.path, p.message.split(" nhưng")[0]) for p in caught.value.problems] == [
        ("DM!C2", "có công thức =1500000*2"), ("DM!D2", 'có công thức =UPPER("Sở Y tế")')]
    assert all(PLACEHOLDER in p.message for p in caught.value.problems)
    # Excel, once it has computed, saves the values and clears the request: they read as stored.
    stored(path, "DM", {"C2": 3000000.0, "D2": "SỞ Y TẾ"})
    assert read_sheet(path).table["rows"] == [["Khảo sát", "3000000", "SỞ Y TẾ"]]

    units = stored(units_book(tmp_path / "don-vi.xlsx", UNITS), "Đơn vị", {"C4": "0"}, calc_pr)
    with pytest.raises(DataError) as said:
        read_units_sheet(units)
    assert [(p.path, p.message.split(" nhưng")[0]) for p in said.value.problems] == [("Đơn vị!C4", "có công thức =B4")]
    assert PLACEHOLDER in said.value.problems[0].message


def test_a_progress_day_stored_as_a_placeholder_is_not_read_as_that_day(tmp_path: Path) -> None:
    plan_path, filled, row = _progress_with_a_date_formula(tmp_path)
    # 0 under a date format is 30/12/1899 (or 0/1/1900 in Excel) to a reader that trusts it.
    stored(filled, "Tiến độ", {f"F{row}": 0.0}, RECALC_ON_OPEN[0])
    with pytest.raises(ProgressError) as caught:
        read_progress(load_plan(plan_path), [filled])
    assert [p.split(" nhưng")[0] for p in caught.value.problems] == [
        f"filled.xlsx: Tiến độ!F{row}: có công thức =DATE(2025,8,1)"]
    assert PLACEHOLDER in caught.value.problems[0]


def test_the_count_past_the_shown_cells_says_placeholders_as_such(tmp_path: Path) -> None:
    count = UNCOMPUTED_SHOWN + 3
    rows = [[i, f"Phòng {i}", f"=B{i + 2}", "P"] for i in range(1, count + 1)]
    units = units_book(tmp_path / "don-vi.xlsx", rows, ["STT", "Tên", "Cơ quan", "Viết tắt"])
    stored(units, "Đơn vị", {f"C{r}": "0" for r in range(3, 3 + count)}, RECALC_ON_OPEN[0])
    with pytest.raises(DataError) as caught:
        read_units_sheet(units)
    last = caught.value.problems[-1]
    assert last.path == f"Đơn vị!C{3 + UNCOMPUTED_SHOWN}"
    assert last.message.startswith("ô này và 2 ô khác sau nó cũng có công thức mà tệp chỉ lưu giá trị tạm; hãy mở "
                                   "tệp bằng Excel rồi lưu lại")


def calc_installed() -> bool:
    """LibreOffice with Calc: a Writer-only install (libreoffice-writer-nogui) opens no spreadsheet."""
    soffice = shutil.which("soffice")
    return soffice is not None and (Path(os.path.realpath(soffice)).parent / "libsclo.so").exists()


@pytest.mark.skipif(not calc_installed(), reason="cần LibreOffice Calc (soffice) để lưu bảng tính")
@pytest.mark.parametrize("kind", ["xlsx", "ods"])
def test_a_sheet_saved_by_libreoffice_reads_every_formulas_value(tmp_path: Path, kind: str) -> None:
    """The cause's other half: LibreOffice computes and stores each formula's value when it saves,
    so the file openpyxl wrote without them reads once saved by it (as the message tells staff)."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "DM"
    ws.append(["STT", "Nội dung", "Thời hạn", "Kinh phí", "Chủ trì"])
    ws.append([1, "Khảo sát", "=DATE(2026,3,20)", "=1500000*2", '=UPPER("Sở Y tế")'])
    ws["C2"].number_format = "dd/mm/yyyy"
    ws["D2"].number_format = "#,##0"
    source = tmp_path / "src" / "dm.xlsx"
    source.parent.mkdir()
    book.save(source)
    run = subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'lo'}", "--headless",
                          "--convert-to", kind, "--outdir", str(tmp_path), str(source)],
                         capture_output=True, text=True, timeout=300)
    saved = tmp_path / f"dm.{kind}"
    assert run.returncode == 0 and saved.exists(), run.stderr
    with zipfile.ZipFile(source) as z:  # openpyxl asks Excel to recompute on opening…
        assert b'fullCalcOnLoad="1"' in z.read("xl/workbook.xml")
    if kind == "xlsx":
        with zipfile.ZipFile(saved) as z:  # …LibreOffice, which computed, does not: its values are trusted
            assert b"fullCalcOnLoad" not in z.read("xl/workbook.xml")
        # Still formulas, now with their values: each computed cell keeps its <f> (LibreOffice
        # writes it with attributes, <f aca="false">) and holds a <v>.
        with zipfile.ZipFile(io.BytesIO(saved.read_bytes())) as z:
            part = etree.fromstring(z.read("xl/worksheets/sheet1.xml"))
        main = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
        for ref in ("C2", "D2", "E2"):
            (cell,) = part.findall(f".//m:c[@r='{ref}']", main)
            assert cell.find("m:f", main) is not None and cell.findtext("m:v", namespaces=main), ref
    assert read_sheet(saved).table["rows"] == [["Khảo sát", "20/3/2026", "3.000.000", "SỞ Y TẾ"]]


def test_a_plan_naming_the_sheet_is_refused_at_the_formulas_cell(tmp_path: Path) -> None:
    from tests.paths import SHEET_PLAN

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "DM"
    ws.append(["STT", "Nội dung", "Kinh phí"])
    ws.append([1, "Mua sắm", "=2*3"])
    book.save(tmp_path / "dm.xlsx")
    (tmp_path / "kh.yaml").write_text(SHEET_PLAN % "dm.xlsx", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_plan(tmp_path / "kh.yaml")
    assert [p.message.split(" nhưng")[0] for p in caught.value.problems] == ["dm.xlsx: ô DM!C2: có công thức =2*3"]
    stored(tmp_path / "dm.xlsx", "DM", {"C2": 6.0})  # as Excel saves it: the plan prints what the cell shows
    table = load_plan(tmp_path / "kh.yaml").appendices[0].table
    assert table is not None and table.rows == [["Mua sắm", "6"]]


def test_what_a_sheet_reader_finds_about_its_cells_reaches_every_reader(tmp_path: Path) -> None:
    """A sheet's reader says what it cannot read as printed at its cell, to the catalogue reader
    (BadCells) and to the units and progress readers (SheetCells) alike: nothing a grid holds stays
    a catalogue's alone (no warnings kept where units and progress never see them)."""
    from dataclasses import fields

    from generator.plan.sheets import SheetCells, SheetTable, _Grid, cell_name, sheet_rows

    assert {f.name for f in fields(_Grid)} - {"offset"} <= {f.name for f in fields(SheetCells)}
    assert "warnings" not in {f.name for f in fields(SheetTable)}
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "DM"
    ws.append(["STT", "Nội dung", "Kinh phí", "Chủ trì"])
    ws.append([1, "Khảo sát", "=1/0", "=B2"])
    path = tmp_path / "dm.xlsx"
    book.save(path)
    stored(path, "DM", {"C2": "#DIV/0!"})  # Excel's error result; D2 keeps no value
    cells = sheet_rows(path)
    seen = {cell_name(cells.name, r, c) for r, c, *_ in [*cells.problems, *cells.uncomputed]}
    with pytest.raises(BadCells) as caught:
        read_sheet(path)
    assert seen == {p.path for p in caught.value.problems} == {"DM!C2", "DM!D2"}
