"""Catalogues kept in a spreadsheet: `kehoach import danh-muc.xlsx` gives an appendix table, and a
data file can name a sheet as a table's rows. The tests write their own workbooks."""

from __future__ import annotations

import subprocess
import sys
from io import BytesIO
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from docx import Document
from docx.oxml.ns import qn

from generator.check import check_docx
from generator.errors import DataError
from generator.plan.loader import load_plan
from generator.document.render import render_plan
from generator.plan.sheets import SheetError, cell_name, read_sheet

from tests.ods_fixtures import ods_package
from tests.paths import ROOT, SHEET_PLAN

PLAN = SHEET_PLAN


def workbook(path: Path) -> Path:
    """A task list as offices keep it: a title row, a header, Roman group rows merged across the
    other columns, STT running on, one unit cell merged over two rows."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Nhiệm vụ"
    ws.append(["DANH MỤC NHIỆM VỤ NĂM 2026"])
    ws.merge_cells("A1:D1")
    ws.append(["STT", "Nội dung công việc", "Đơn vị chủ trì", "Thời gian"])
    ws.append(["I", "Hạ tầng số", None, None])
    ws.merge_cells("B3:D3")
    ws.append([1, "Nâng cấp mạng nội bộ", "Văn phòng Sở", "Quý II"])
    ws.append([2, "Trang bị máy chủ", None, "Quý III"])
    ws.merge_cells("C4:C5")
    ws.append(["II", "Dữ liệu số", None, None])
    ws.merge_cells("B6:D6")
    ws.append([3, "Xây dựng kho dữ liệu & <bảng> dùng chung", "Phòng Kế hoạch", "Cả năm"])
    wb.create_sheet("Ghi chú").append(["chỉ một ô"])
    wb.save(path)
    return path


def test_sheet_becomes_a_numbered_grouped_table(tmp_path: Path) -> None:
    read = read_sheet(workbook(tmp_path / "dm.xlsx"))
    assert read.sheet == "Nhiệm vụ" and read.titles == ["DANH MỤC NHIỆM VỤ NĂM 2026"]
    table = read.table
    assert [c["title"] for c in table["columns"]] == ["STT", "Nội dung công việc", "Đơn vị chủ trì", "Thời gian"]
    assert table["numbered"] and table["numbering"] == "continue" and table["group_style"] == "split"
    assert [g["group"] for g in table["rows"]] == ["Hạ tầng số", "Dữ liệu số"]
    first = table["rows"][0]["rows"]
    assert first[0] == ["Nâng cấp mạng nội bộ", {"text": "Văn phòng Sở", "rowspan": 2}, "Quý II"]
    assert first[1] == ["Trang bị máy chủ", "Quý III"]  # the merged cell is not repeated


def test_a_data_file_can_take_its_rows_from_a_sheet(tmp_path: Path) -> None:
    workbook(tmp_path / "dm.xlsx")
    data = tmp_path / "kh.yaml"
    data.write_text(PLAN % "dm.xlsx#Nhiệm vụ", encoding="utf-8")
    plan = load_plan(data)
    out = tmp_path / "kh.docx"
    out.write_bytes(render_plan(plan))
    doc = Document(str(out))
    table = doc.tables[-1]
    texts = [[c.text for c in row.cells] for row in table.rows]
    assert texts[0] == ["STT", "Nội dung công việc", "Đơn vị chủ trì", "Thời gian"]
    assert texts[1][0] == "I" and texts[1][1] == "Hạ tầng số"
    assert texts[2] == ["1", "Nâng cấp mạng nội bộ", "Văn phòng Sở", "Quý II"]
    assert texts[5][:2] == ["3", "Xây dựng kho dữ liệu & <bảng> dùng chung"]  # text as typed
    merges = [tc.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}") for tc in table._tbl.iter(qn("w:tc"))]
    assert sum(m is not None for m in merges) == 2  # restart + continue
    assert check_docx(out).errors == []
    # Same sheet, same bytes.
    assert render_plan(load_plan(data)) == out.read_bytes()


def test_csv_catalogue(tmp_path: Path) -> None:
    csv = tmp_path / "dm.csv"
    csv.write_text("TT;Nội dung;Thời gian\n1;Khảo sát;Quý I\n2;Triển khai;Quý II\n", encoding="utf-8-sig")
    table = read_sheet(csv).table
    assert table["numbered"] and table["rows"] == [["Khảo sát", "Quý I"], ["Triển khai", "Quý II"]]


def test_a_sheets_stt_prints_in_the_form_typed_or_the_one_the_data_writes(tmp_path: Path) -> None:
    """An STT column typed "1)" in the sheet prints "1)", "2)" again (number_format derived as a
    Word table's is); a field written beside `sheet:` in the data takes precedence ("1.")."""
    csv = tmp_path / "dm.csv"
    csv.write_text("TT;Nội dung;Thời gian\n1);Khảo sát;Quý I\n2);Triển khai;Quý II\n", encoding="utf-8-sig")
    table = read_sheet(csv).table
    assert table["numbered"] and table["number_format"] == "1)"
    for written, printed in [("", ["1)", "2)"]), (", number_format: '1.'", ["1.", "2."])]:
        data = tmp_path / "kh.yaml"
        data.write_text(PLAN.replace('table: {sheet: "%s"}', f'table: {{sheet: "dm.csv"{written}}}'),
                        encoding="utf-8")
        doc = Document(BytesIO(render_plan(load_plan(data))))
        rows = [[c.text for c in row.cells] for row in doc.tables[-1].rows]
        assert [r[0] for r in rows[1:]] == printed and [r[1] for r in rows[1:]] == ["Khảo sát", "Triển khai"]


def ods(path: Path, rows: list[list[tuple[str, int]]]) -> Path:
    """An OpenDocument spreadsheet as LibreOffice Calc writes one: cells with their text and
    number-columns-spanned for a merge (covered cells follow the merged one)."""
    body = ""
    for row in rows:
        body += "<table:table-row>"
        for text, span in row:
            extra = f' table:number-columns-spanned="{span}"' if span > 1 else ""
            body += f'<table:table-cell office:value-type="string"{extra}><text:p>{text}</text:p></table:table-cell>'
            body += "<table:covered-table-cell/>" * (span - 1)
        body += "</table:table-row>"
    path.write_bytes(ods_package(f'<table:table table:name="Danh mục">{body}</table:table>'))
    return path


def test_ods_catalogue(tmp_path: Path) -> None:
    path = ods(tmp_path / "dm.ods", [
        [("STT", 1), ("Nội dung", 1), ("Thời gian", 1)],
        [("I", 1), ("Chuẩn bị", 2)],
        [("1", 1), ("Khảo sát", 1), ("Quý I", 1)],
        [("II", 1), ("Triển khai", 2)],
        [("1", 1), ("Lắp đặt", 1), ("Quý III", 1)],
    ])
    read = read_sheet(path)
    assert read.sheet == "Danh mục"
    table = read.table
    assert table["numbering"] == "restart" and [g["group"] for g in table["rows"]] == ["Chuẩn bị", "Triển khai"]
    assert table["rows"][1]["rows"] == [["Lắp đặt", "Quý III"]]


def test_errors_name_the_sheet_and_cell(tmp_path: Path) -> None:
    assert cell_name("Sheet1", 6, 2) == "Sheet1!C7" and cell_name("A", 0, 27) == "A!AB1"
    path = workbook(tmp_path / "dm.xlsx")
    with pytest.raises(SheetError, match="không có trang tính 'Khác'; các trang tính có: Nhiệm vụ, Ghi chú"):
        read_sheet(path, "Khác")
    with pytest.raises(SheetError, match="không có hàng tiêu đề"):
        read_sheet(path, "Ghi chú")
    wb = openpyxl.load_workbook(path)
    ws = wb["Nhiệm vụ"]
    ws["D7"] = "#REF!"
    wb.save(path)
    with pytest.raises(SheetError, match=r"Nhiệm vụ!D7: có lỗi công thức.*\(giá trị: #REF!\)"):
        read_sheet(path)
    # In a data file the mistake is located at the sheet field, with the cell in the message.
    data = tmp_path / "kh.yaml"
    data.write_text(PLAN % "dm.xlsx", encoding="utf-8")
    with pytest.raises(DataError) as exc:
        load_plan(data)
    (problem,) = exc.value.problems
    assert problem.line == 9 and problem.path == "appendices[0].table.sheet" and "Nhiệm vụ!D7" in problem.message


def test_cli_import_of_a_sheet_writes_an_appendix(tmp_path: Path) -> None:
    path = workbook(tmp_path / "dm.xlsx")
    out = tmp_path / "phu-luc.yaml"
    run = subprocess.run([sys.executable, "-m", "generator", "import", str(path), "-o", str(out)],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Phụ lục nhập từ dm.xlsx")
    # The appendix pasted into a plan renders as the same table.
    plan_text = PLAN.split("appendices:")[0] + text.split("\n\n", 1)[1]
    data = tmp_path / "kh.yaml"
    data.write_text(plan_text, encoding="utf-8")
    doc = Document(BytesIO(render_plan(load_plan(data))))
    assert [c.text for c in doc.tables[-1].rows[2].cells] == ["1", "Nâng cấp mạng nội bộ", "Văn phòng Sở", "Quý II"]
    run = subprocess.run([sys.executable, "-m", "generator", "import", str(path), "-o", str(tmp_path / "x.yaml"), "--sheet", "X"],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 2 and "không có trang tính 'X'" in run.stderr and "Traceback" not in run.stderr


_GRID = [
    ["DANH MỤC NHIỆM VỤ NĂM 2026", None, None, None],
    ["STT", "Nội dung công việc", "Đơn vị chủ trì", "Thời gian"],
    ["I", "Hạ tầng số", None, None],
    ["1", "Nâng cấp mạng nội bộ", "Văn phòng Sở", "Quý II"],
    ["2", "Trang bị máy chủ", None, "Quý III"],
    ["II", "Dữ liệu số", None, None],
    ["3", "Xây dựng kho dữ liệu", "Phòng Kế hoạch", "31/13/2026"],
]
_MERGES = [((0, 0), (0, 3)), ((2, 1), (2, 3)), ((3, 2), (4, 2)), ((5, 1), (5, 3))]


def _same_list(tmp_path: Path, suffix: str, top: int, left: int) -> Path:
    """_GRID with its merges, its first cell at row `top`, column `left` (0-based), saved as Excel
    or as LibreOffice Calc saves it (a merge: the first cell spans, the cells it covers follow)."""
    return _saved(tmp_path / f"dm-{top}-{left}{suffix}", _GRID, _MERGES, top, left)


def _saved(path: Path, grid: list[list[Any]], merges: list[tuple[tuple[int, int], tuple[int, int]]],
           top: int = 0, left: int = 0, hidden: dict[tuple[int, int], str] | None = None) -> Path:
    """The grid (None: an empty cell) with its merges ((row, col) to (row, col), 0-based), its first
    cell at row `top`, column `left`, in sheet "DM", saved as Excel (.xlsx) or as LibreOffice Calc
    saves it (.ods: a merge's first cell spans, the cells it covers follow). hidden: text kept in
    cells a merge covers, which neither program prints (Calc's "keep the contents of hidden cells",
    a program that writes the merge over cells it filled)."""
    hidden = hidden or {}
    if path.suffix == ".xlsx":
        from openpyxl.cell.cell import Cell

        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "DM"
        for r, row in enumerate(grid):
            for c, text in enumerate(row):
                if text is not None:
                    ws.cell(row=top + r + 1, column=left + c + 1, value=text)
        for (r0, c0), (r1, c1) in merges:
            ws.merge_cells(start_row=top + r0 + 1, start_column=left + c0 + 1,
                           end_row=top + r1 + 1, end_column=left + c1 + 1)
        for (r, c), text in hidden.items():  # openpyxl empties what it merges: put the text back under it
            ws._cells[(top + r + 1, left + c + 1)] = Cell(ws, row=top + r + 1, column=left + c + 1, value=text)
        wb.save(path)
        return path
    spans = {(r0, c0): (r1 - r0 + 1, c1 - c0 + 1) for (r0, c0), (r1, c1) in merges}
    covered = {(r, c) for (r0, c0), (r1, c1) in merges for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)} \
        - set(spans)
    body = f'<table:table-row table:number-rows-repeated="{top}"><table:table-cell/></table:table-row>' if top else ""
    for r, row in enumerate(grid):
        body += "<table:table-row>" + ("<table:table-cell/>" * left)
        for c, text in enumerate(row):
            if (r, c) in covered:
                body += (f'<table:covered-table-cell office:value-type="string"><text:p>{hidden[(r, c)]}</text:p>'
                         "</table:covered-table-cell>" if (r, c) in hidden else "<table:covered-table-cell/>")
                continue
            down, across = spans.get((r, c), (1, 1))
            extra = (f' table:number-rows-spanned="{down}" table:number-columns-spanned="{across}"'
                     if (down, across) != (1, 1) else "")
            kind = "float" if isinstance(text, int) else "string"
            value = f' office:value="{text}"' if isinstance(text, int) else ""
            body += (f'<table:table-cell office:value-type="{kind}"{value}{extra}><text:p>{text}</text:p>'
                     "</table:table-cell>" if text is not None else f"<table:table-cell{extra}/>")
        body += "</table:table-row>"
    path.write_bytes(ods_package(f'<table:table table:name="DM">{body}</table:table>'))
    return path


@pytest.mark.parametrize(("top", "left"), [(0, 0), (2, 1)], ids=["from-A1", "from-B3"])
def test_an_ods_list_reads_as_the_same_list_saved_by_excel(tmp_path: Path, top: int, left: int) -> None:
    """LibreOffice's .ods of a list prints as Excel's .xlsx of it: a unit merged down two tasks spans
    both rows (it was read as the first task's only), and a mistake is named at the cell where
    either program shows it, wherever the list starts on the sheet (it was named rows away), and a list
    set from column B reads as from column A (an empty column A was a column of it, hiding its STT)."""
    said = {}
    for suffix in (".xlsx", ".ods"):
        path = _same_list(tmp_path, suffix, top, left)
        with pytest.raises(SheetError) as caught:
            read_sheet(path)
        said[suffix] = str(caught.value).replace(str(path), "FILE")
        # The same list without its mistake: the table read.
        fixed = tmp_path / f"ok-{top}-{left}{suffix}"
        if suffix == ".xlsx":
            wb = openpyxl.load_workbook(path)
            wb["DM"].cell(row=top + 7, column=left + 4, value="Cả năm")
            wb.save(fixed)
        else:
            fixed.write_bytes(ods_package(_ods_content(path).replace("31/13/2026", "Cả năm")))
        table = read_sheet(fixed).table
        # The list from B3 is the list from A1: column A, empty, is no column of it (the STT found).
        assert all(c["title"] for c in table["columns"]), table["columns"]
        cells = [row for group in table["rows"] for row in group["rows"]]
        merged = [c for row in cells for c in row if isinstance(c, dict) and c.get("rowspan")]
        assert merged == [{"text": "Văn phòng Sở", "rowspan": 2}], (suffix, table["rows"])
    where = f"DM!{chr(ord('D') + left)}{top + 7}"
    assert f"{where}:" in said[".xlsx"] and said[".ods"] == said[".xlsx"]


def _ods_content(path: Path) -> str:
    """The tables of an .ods written by ods_package, to write it again edited."""
    import re
    import zipfile

    content = zipfile.ZipFile(path).read("content.xml").decode("utf-8")
    return re.search(r"<office:spreadsheet>(.*)</office:spreadsheet>", content, re.S).group(1)


# --- a header of several rows and the row of column numbers, as a clerk types them in Excel ----------

TWO_ROW_HEAD = [
    ["DANH MỤC NHIỆM VỤ", None, None, None, None, None],
    ["STT", "Nội dung", "Thời gian thực hiện", None, "Đơn vị chủ trì", "Ghi chú"],
    [None, None, "Bắt đầu", "Kết thúc", None, None],
]
TWO_ROW_MERGES = [((0, 0), (0, 5)), ((1, 0), (2, 0)), ((1, 1), (2, 1)), ((1, 2), (1, 3)), ((1, 4), (2, 4)),
                  ((1, 5), (2, 5))]
TASKS = [[1, "Khảo sát đường chạy", "Tháng 3", "Tháng 4", "Phòng Thể thao", None],
         [2, "Lắp đặt biển báo", "Tháng 4", "Tháng 5", "Văn phòng", "Ngày 19/5"]]


@pytest.mark.parametrize("suffix", [".xlsx", ".ods"])
@pytest.mark.parametrize("labels", [["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"], [1, 2, 3, 4, 5, 6], None],
                         ids=["bracketed", "numbers", "none"])
def test_a_two_row_header_and_its_column_numbers_read_as_the_page_prints_them(
        tmp_path: Path, suffix: str, labels: list[Any] | None) -> None:
    """"Thời gian thực hiện" merged across "Bắt đầu | Kết thúc", the other titles merged down beside
    them, and a row "(1) (2) …" (or the numbers 1…6 typed as numbers) under them: the table's
    header_rows and column_numbers, as YAML writes them; STT derived under them; printed again so."""
    grid = TWO_ROW_HEAD + ([labels] if labels else []) + TASKS
    path = _saved(tmp_path / f"dm{suffix}", grid, TWO_ROW_MERGES, 1, 1)
    read = read_sheet(path)
    table = read.table
    assert read.titles == ["DANH MỤC NHIỆM VỤ"]
    assert [c["title"] for c in table["columns"]] == ["STT", "Nội dung", "Bắt đầu", "Kết thúc", "Đơn vị chủ trì",
                                                      "Ghi chú"]
    assert table["header_rows"] == [[{"text": "STT", "rowspan": 2}, {"text": "Nội dung", "rowspan": 2},
                                     {"text": "Thời gian thực hiện", "span": 2},
                                     {"text": "Đơn vị chủ trì", "rowspan": 2}, {"text": "Ghi chú", "rowspan": 2}]]
    assert table.get("column_numbers") == ([str(x) for x in labels] if labels else None)
    assert table["numbered"] is True
    assert table["rows"] == [["Khảo sát đường chạy", "Tháng 3", "Tháng 4", "Phòng Thể thao"],
                             ["Lắp đặt biển báo", "Tháng 4", "Tháng 5", "Văn phòng", "Ngày 19/5"]]
    data = tmp_path / "kh.yaml"
    data.write_text(PLAN % f"dm{suffix}#DM", encoding="utf-8")
    doc = Document(BytesIO(render_plan(load_plan(data))))
    printed = [[c.text for c in row.cells] for row in doc.tables[-1].rows]
    assert printed[0] == ["STT", "Nội dung", "Thời gian thực hiện", "Thời gian thực hiện", "Đơn vị chủ trì", "Ghi chú"]
    assert printed[1] == ["STT", "Nội dung", "Bắt đầu", "Kết thúc", "Đơn vị chủ trì", "Ghi chú"]
    rest = printed[2:]
    if labels:
        assert rest.pop(0) == [str(x) for x in labels]
    assert rest[0] == ["1", "Khảo sát đường chạy", "Tháng 3", "Tháng 4", "Phòng Thể thao", ""]


def test_a_first_task_numbered_1_with_figures_is_no_row_of_column_numbers(tmp_path: Path) -> None:
    """Under a one-row header, a first task "1 | 2 | 3 | 4" over a task numbered 2 is a task (the rule
    of a Word table's row, recognise/column_numbers.py); "1 | 2 | 3 | 4" over a list starting at 1
    numbers the columns."""
    head = ["STT", "Số cuộc", "Số người", "Số tin bài"]
    path = _saved(tmp_path / "so-lieu.xlsx", [head, [1, 2, 3, 4], [2, 5, 6, 7]], [])
    table = read_sheet(path).table
    assert "column_numbers" not in table and table["rows"] == [["2", "3", "4"], ["5", "6", "7"]]
    path = _saved(tmp_path / "so-cot.xlsx", [head, [1, 2, 3, 4], [1, 5, 6, 7], [2, 8, 9, 10]], [])
    table = read_sheet(path).table
    assert table["column_numbers"] == ["1", "2", "3", "4"] and table["rows"] == [["5", "6", "7"], ["8", "9", "10"]]


@pytest.mark.parametrize("suffix", [".xlsx", ".ods"])
@pytest.mark.parametrize("case", ["split-title", "merged-numbers", "merged-into-data"])
def test_header_merges_the_columns_cannot_hold_are_named_at_their_cells(tmp_path: Path, suffix: str,
                                                                        case: str) -> None:
    """A title merged across two columns in the columns' own row (each column needs one), a label of
    the numbers row merged over two columns, a title merged down into the data: each said in
    Vietnamese at its cell (Sheet!cell), with the fix, through the command (exit 2, no traceback)."""
    grid = [list(r) for r in TWO_ROW_HEAD] + [["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"]] + [list(r) for r in TASKS]
    merges = list(TWO_ROW_MERGES)
    if case == "split-title":
        grid[2][3] = None
        merges.append(((2, 2), (2, 3)))
        where, said = "DM!C3", "mỗi cột cần một tiêu đề"
    elif case == "merged-numbers":
        grid[3][3:] = [None, "(4)", "(5)"]
        merges.append(((3, 2), (3, 3)))
        where, said = "DM!C4", "mỗi cột một nhãn"
    else:
        merges.remove(((1, 5), (2, 5)))
        merges.append(((1, 5), (5, 5)))
        grid[4][5] = grid[5][5] = None
        where, said = "DM!F2", "không gộp xuống hàng dữ liệu"
    path = _saved(tmp_path / f"dm{suffix}", grid, merges)
    with pytest.raises(SheetError) as caught:
        read_sheet(path)
    assert f"{where}" in str(caught.value) and said in str(caught.value)
    run = subprocess.run([sys.executable, "-m", "generator", "import", str(path), "-o", str(tmp_path / "x.yaml")],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 2 and where in run.stderr and "Traceback" not in run.stderr


@pytest.mark.parametrize(("suffix", "left", "merge", "where", "said"), [
    (".xlsx", 0, ((2, 2), (2, 4)), "DM!C3", "vượt quá cột cuối có chữ của bảng (cột C)"),
    (".ods", 0, ((2, 2), (2, 4)), "DM!C3", "vượt quá cột cuối có chữ của bảng (cột C)"),
    (".xlsx", 1, ((2, 2), (2, 4)), "DM!D3", "vượt quá cột cuối có chữ của bảng (cột D)"),
    (".ods", 1, ((2, 2), (2, 4)), "DM!D3", "vượt quá cột cuối có chữ của bảng (cột D)"),
    # From the empty column A into the STT cell (an .ods's merge starts at a cell of the grid: .xlsx only).
    (".xlsx", 1, ((2, -1), (2, 0)), "DM!A3", "bắt đầu từ cột trống bên trái bảng"),
], ids=["past-last-column-xlsx", "past-last-column-ods", "from-B-xlsx", "from-B-ods", "in-from-the-left"])
def test_a_data_row_merge_the_columns_cannot_hold_is_said_at_its_cell(
        tmp_path: Path, suffix: str, left: int, merge: Any, where: str, said: str) -> None:
    """A task row's cell merged past the table's last column with text (or in from an empty column left
    of its first) gave the row more cells than the table has columns, refused at the data file's
    table ("hàng có 4 ô mà bảng chỉ có 2 cột"): said at the sheet's cell, in Vietnamese, with the fix,
    through the command (exit 2, no traceback, no file)."""
    grid: list[list[Any]] = [["STT", "Nội dung", "Thời gian"], [1, "Khảo sát", "Quý I"], [2, "Triển khai", None]]
    if merge[0][1] < 0:
        grid[2][0] = None  # the merge's first cell, in column A, is the one Excel shows
    path = _saved(tmp_path / f"dm{suffix}", grid, [merge], left=left)
    with pytest.raises(SheetError) as caught:
        read_sheet(path)
    assert f"{where}:" in str(caught.value) and said in str(caught.value) and "gộp vừa đúng" in str(caught.value)
    data = tmp_path / "kh.yaml"
    data.write_text(SHEET_PLAN % path.name, encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "generator", "render", str(data), "-o", str(tmp_path / "x.docx")],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 2 and where in run.stderr and said in run.stderr and "Traceback" not in run.stderr
    assert "hàng có" not in run.stderr and not (tmp_path / "x.docx").exists()


# --- what a merge prints: its first cell's text, across its range ------------------------------------

HEAD = ["STT", "Nội dung", "Chủ trì", "Thời hạn"]
LIST_TITLE = "DANH MỤC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2026 CỦA SỞ NỘI VỤ TỈNH SÔNG MÂY"
ROWS = [[1, "Rà soát quy chế làm việc của Sở", "Văn phòng", "Quý I"],
        [2, "Khảo sát sự hài lòng của người dân", "Phòng Cải cách hành chính", "Quý II"]]


@pytest.mark.parametrize("suffix", [".xlsx", ".ods"])
@pytest.mark.parametrize(("grid", "merges", "hidden"), [
    # The list's title merged across the columns over text its cells held before: a title, not the header.
    ([[LIST_TITLE, None, None, None], HEAD, *ROWS], [((0, 0), (0, 3))],
     {(0, 1): "Nội dung", (0, 2): "Chủ trì", (0, 3): "Ghi chú"}),
    # The title merged two rows down over the first header typed under it: the header is the one shown.
    ([[LIST_TITLE, None, None, None], [None, None, None, None], HEAD, *ROWS], [((0, 0), (1, 3))],
     {(1, 0): "TT", (1, 1): "Tên nhiệm vụ", (1, 2): "Đơn vị", (1, 3): "Hạn"}),
], ids=["title-over-the-columns", "title-over-an-old-header"])
def test_text_a_merge_covers_is_not_read_as_the_sheet_prints_nothing_there(
        tmp_path: Path, suffix: str, grid: list[list[Any]], merges: list, hidden: dict) -> None:
    """A merged range prints its first cell's text; text its other cells still hold is printed
    nowhere (Excel and Calc show the merge). The list reads as the same list without that text: the
    title stays the appendix's title (it was read as the header, its width given to the STT column),
    and the header is the row the sheet shows."""
    shown = read_sheet(_saved(tmp_path / f"shown{suffix}", grid, merges))
    kept = read_sheet(_saved(tmp_path / f"kept{suffix}", grid, merges, hidden=hidden))
    assert shown.titles == [LIST_TITLE] and [c["title"] for c in shown.table["columns"]] == HEAD
    assert (kept.titles, kept.table) == (shown.titles, shown.table)


@pytest.mark.parametrize("suffix", [".xlsx", ".ods"])
def test_a_cells_text_merged_across_columns_is_its_ranges_to_fit(tmp_path: Path, suffix: str) -> None:
    """A group's name merged across the whole row, and a lead unit merged across Chủ trì and Thời hạn:
    each is printed across its range, so its length widens its range's columns together, never its
    first column alone (the group's name made the STT column the widest of the table)."""
    group = "I. CẢI CÁCH THỂ CHẾ VÀ NÂNG CAO CHẤT LƯỢNG VĂN BẢN QUY PHẠM PHÁP LUẬT CỦA TỈNH"
    lead = "Văn phòng Sở chủ trì, phối hợp với các phòng chuyên môn và UBND các huyện, thị xã, thành phố"
    grid = [HEAD, [group, None, None, None], *ROWS, [3, "Công bố danh mục thủ tục hành chính", lead, None]]
    table = read_sheet(_saved(tmp_path / f"dm{suffix}", grid, [((1, 0), (1, 3)), ((4, 2), (4, 3))])).table
    widths = [c["width"] for c in table["columns"]]
    # STT and Nội dung as their own cells make them: 1 (the least), the longest task's twelfths.
    assert widths[:2] == [1.0, round(len("Công bố danh mục thủ tục hành chính") / 12, 1)], widths
    assert table["columns"][0]["align"] == "center", table["columns"]
    # The lead unit's two columns fit it together, in the proportion their own cells give them.
    own = [round(len("Phòng Cải cách hành chính") / 12, 1), 1.0]
    assert (widths[2] + widths[3]) * 12 >= len(lead) - 1, widths
    assert widths[2] / widths[3] == pytest.approx(own[0] / own[1], rel=0.05), widths
