"""Spreadsheets under hostile or careless input (issue 30): judged before any reader parses them,
each refusal a Vietnamese message with exit 2, bad cells reported together as Sheet!C7.

The bombs run `kehoach` in a child process with a small address-space limit (limits_helpers):
a reader that allocated what the file declares would die there (calamine aborts: exit 134)
instead of answering."""

from __future__ import annotations

import io
import os
import threading
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.paths import SHEET_PLAN

from generator.errors import DataError
from generator.plan.loader import load_plan
from generator.plan.sheets import BadCells, SheetError, number_text, only_inside, read_sheet
from tests.limits_helpers import import_refused, run_limited
from tests.ods_fixtures import ods_package

GB = 2**30
PLAN = SHEET_PLAN

def ods_bytes(body: str) -> bytes:
    return ods_package(f'<table:table table:name="S">{body}</table:table>')


def small_xlsx() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "DM"
    ws.append(["STT", "Nội dung", "Thời gian"])
    ws.append([1, "Khảo sát", "Quý I"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def patched(xlsx: bytes, part: str, change) -> bytes:
    """A copy of a workbook with one part's bytes changed by change(bytes) -> bytes."""
    src = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            data = src.read(name)
            dst.writestr(name, change(data) if name == part else data)
    return out.getvalue()


SHEET = "xl/worksheets/sheet1.xml"



def test_ods_declaring_99_million_cells_is_refused_before_reading(tmp_path: Path) -> None:
    body = ('<table:table-row table:number-rows-repeated="10000"><table:table-cell office:value-type="string" '
            'table:number-columns-repeated="9900"><text:p>a</text:p></table:table-cell></table:table-row>')
    data = ods_bytes(body)
    assert len(data) < 1000
    import_refused(tmp_path, "bom.ods", data, "bom.ods", "trang tính 'S'", "tối đa 200.000 ô")


def test_ods_with_lo_empty_repeats_is_read(tmp_path: Path) -> None:
    """LibreOffice writes a million empty repeated cells after the last row: they cost nothing."""
    cell = '<table:table-cell office:value-type="string"><text:p>%s</text:p></table:table-cell>'
    body = ("<table:table-row>" + cell % "STT" + cell % "Nội dung"
            + '<table:table-cell table:number-columns-repeated="16382"/></table:table-row>'
            + "<table:table-row>" + cell % "1" + cell % "Khảo sát"
            + '<table:table-cell table:number-columns-repeated="16382"/></table:table-row>'
            + '<table:table-row table:number-rows-repeated="1048574"><table:table-cell '
              'table:number-columns-repeated="16384"/></table:table-row>')
    path = tmp_path / "lo.ods"
    path.write_bytes(ods_bytes(body))
    assert read_sheet(path).table["rows"] == [["Khảo sát"]]


def test_xlsx_part_inflating_past_the_limit_is_refused(tmp_path: Path) -> None:
    big = b"<x>" + b"a" * (80 * 2**20) + b"</x>"
    data = patched(small_xlsx(), "xl/sharedStrings.xml" if False else SHEET, lambda _: big)
    assert len(data) < 2 * 2**20
    import_refused(tmp_path, "bom.xlsx", data, "zip bomb", SHEET)


def test_one_merge_over_the_whole_sheet_is_refused(tmp_path: Path) -> None:
    data = patched(small_xlsx(), SHEET, lambda x: x.replace(
        b"</sheetData>", b'</sheetData><mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>'))
    assert len(data) < 8000
    import_refused(tmp_path, "gop.xlsx", data, "A1:XFD1048576", "tối đa 200.000 ô")


def test_far_cell_or_empty_far_row_is_refused(tmp_path: Path) -> None:
    far = patched(small_xlsx(), SHEET, lambda x: x.replace(
        b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'))
    import_refused(tmp_path, "xa.xlsx", far, "trang tính 'DM'", "1.048.576")
    empty_row = patched(small_xlsx(), SHEET, lambda x: x.replace(b"</sheetData>", b'<row r="1048576"/></sheetData>'))
    with pytest.raises(SheetError, match="trải đến hàng 1.048.576"):
        path = tmp_path / "hang.xlsx"
        path.write_bytes(empty_row)
        read_sheet(path)


def test_a_sheet_of_300000_rows_is_refused_before_openpyxl(tmp_path: Path) -> None:
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (i, i, i) for i in range(1, 300_001))
    data = patched(small_xlsx(), SHEET, lambda x: x.replace(b"<sheetData>", b"<sheetData>" + rows)
                   .replace(b"<sheetData/>", b"<sheetData>" + rows + b"</sheetData>"))
    import_refused(tmp_path, "dai.xlsx", data, "có 300.0", "ô")


def test_csv_cells_are_bounded_with_their_line(tmp_path: Path) -> None:
    path = tmp_path / "dm.csv"
    path.write_text("STT;Nội dung\n1;Khảo sát\n2;" + "x" * 200_000 + "\n", encoding="utf-8")
    err = import_refused(tmp_path, "dm.csv", path.read_bytes(), "dòng 3", "32.767")
    assert "dm.csv" in err
    path.write_text("STT;Nội dung\n1;" + "x" * 40_000 + "\n", encoding="utf-8")
    with pytest.raises(BadCells) as exc:
        read_sheet(path)
    assert [p.path for p in exc.value.problems] == ["dm!B2"]


@pytest.mark.parametrize("name, data, words", [
    ("cut.xlsx", None, ["tệp hỏng", ".xlsx"]),
    ("old.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, ["Excel cũ (.xls)"]),
    ("pdf.ods", b"%PDF-1.7\n", ["tệp PDF"]),
    ("rac.xlsx", "garbage-sheet", ["'DM' bị hỏng"]),
    ("rac.xls", b"not an xls at all" * 10, ["tệp hỏng", ".xls"]),
])
def test_damaged_files_get_a_clear_message(tmp_path: Path, name, data, words) -> None:
    if data is None:
        data = small_xlsx()[:-300]
    elif data == "garbage-sheet":
        data = patched(small_xlsx(), SHEET, lambda x: x.replace(b"<sheetData>", b"<sheetData><row><c><v>1<"))
    import_refused(tmp_path, name, data, *words)


def workbook_with_mistakes(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Nhiệm vụ"
    ws.append(["STT", "Nội dung công việc", "Đơn vị", "Hạn"])
    ws.append([1, "Khảo sát", "Văn phòng", "31/13/2025"])
    ws.append([2, None, "Phòng Kế hoạch", "Quý II"])
    ws.append([3, "Triển khai", "Phòng Tin học", "2025-02-30"])
    ws.append([4, "Tổng kết", "Văn phòng", "2025-02-28"])
    wb.save(path)
    return path


def test_bad_cells_are_all_reported_with_cell_value_and_fix(tmp_path: Path) -> None:
    path = workbook_with_mistakes(tmp_path / "dm.xlsx")
    with pytest.raises(BadCells) as exc:
        read_sheet(path)
    problems = {p.path: p for p in exc.value.problems}
    assert list(problems) == ["Nhiệm vụ!D2", "Nhiệm vụ!B3", "Nhiệm vụ!D4"]
    assert problems["Nhiệm vụ!D2"].value == "31/13/2025" and "tháng 13" in problems["Nhiệm vụ!D2"].message
    assert "tháng 2/2025 chỉ có 28 ngày" in problems["Nhiệm vụ!D4"].message
    assert "'Nội dung công việc' trống" in problems["Nhiệm vụ!B3"].message
    assert "xóa hàng" in problems["Nhiệm vụ!B3"].message
    # The commands a new user tries: each reports all three, exit 2, no file.
    run = run_limited(["import", path, "-o", tmp_path / "pl.yaml"], memory=2 * GB)
    assert run.code == 2 and "3 lỗi" in run.err and "Nhiệm vụ!B3" in run.err and "(giá trị: 31/13/2025)" in run.err
    data = tmp_path / "kh.yaml"
    data.write_text(PLAN % "dm.xlsx", encoding="utf-8")
    for command in (["validate", data], ["check", data]):
        run = run_limited(command, memory=2 * GB)
        assert run.code == 2, (command, run.out, run.err)
        assert run.err.count("appendices[0].table.sheet") == 3 and "dm.xlsx: ô Nhiệm vụ!D4" in run.err
        assert "hợp lệ" not in run.out


def test_the_same_mistakes_in_a_csv(tmp_path: Path) -> None:
    path = tmp_path / "dm.csv"
    path.write_text("STT;Nội dung;Hạn\n1;Khảo sát;30/02/2025\n2;;Quý II\n", encoding="utf-8")
    with pytest.raises(DataError) as exc:
        read_sheet(path)
    assert [p.path for p in exc.value.problems] == ["dm!C2", "dm!B3"]


def test_numbers_keep_every_digit(tmp_path: Path) -> None:
    assert number_text(1234567.5) == "1234567,5"  # as typed (General), decimal comma
    assert number_text(12.3456789) == "12,3456789"
    assert number_text(1234567.5, "#,##0.0") == "1.234.567,5"  # grouped when the cell groups
    assert number_text(0.15, "0%") == "15%"
    # The decimals a format fixes are shown as the screen shows them, never rounded away.
    assert number_text(1234.5, "#,##0.00") == "1.234,50" and number_text(3, "0.00") == "3,00"
    assert number_text(0.155, "0.0%") == "15,5%" and number_text(12.3456, "0.00") == "12,3456"
    assert number_text(1234567.5, "#,##0.##") == "1.234.567,5" and number_text(1.5, '0.00_);[Red](0.00)') == "1,50"
    assert number_text(2.5, '"Tỷ lệ 0.0" 0') == "2,5"  # quoted text holds no digit of the format
    assert number_text(2025) == "2025" and number_text(1e16) == "10000000000000000" and number_text(-0.5) == "-0,5"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["STT", "Nội dung", "Kinh phí", "Tỷ lệ"])
    ws.append([1, "Mua sắm", 1234567.5, 12.3456789])
    ws.append([2, "Đào tạo", 2500000, 0.15])
    ws["C3"].number_format = "#,##0"
    ws["D3"].number_format = "0%"
    wb.save(tmp_path / "so.xlsx")
    rows = read_sheet(tmp_path / "so.xlsx").table["rows"]
    assert rows == [["Mua sắm", "1234567,5", "12,3456789"], ["Đào tạo", "2.500.000", "15%"]]
    # Dates typed as dates print as a Vietnamese reader writes them, whatever the cell's format.
    import datetime as dt

    ws.append([3, "Tổng kết", dt.date(2025, 3, 20), dt.datetime(2025, 12, 31)])
    wb.save(tmp_path / "so.xlsx")
    assert read_sheet(tmp_path / "so.xlsx").table["rows"][2] == ["Tổng kết", "20/3/2025", "31/12/2025"]


def test_a_percent_sign_as_text_is_not_a_percentage(tmp_path: Path) -> None:
    # Excel scales a value by 100 only for a bare %; a % quoted ("%") or escaped (\\%) is text printed
    # after the value as typed: 95.5 under 0.0"%" shows 95.5%, not 9550.0%. The three look the same
    # on the screen, so a sheet's figure reads the same under each.
    assert number_text(95.5, '0.0"%"') == number_text(95.5, "0.0\\%") == number_text(0.955, "0.0%") == "95,5%"
    assert number_text(12, '0"%"') == "12%" and number_text(0.12, "0%") == "12%"
    # Grouping and decimals in quoted text are not the format's: "#,##0.00" as a label groups nothing.
    assert number_text(1234.5, '0 "#,##0.00"') == "1234,5" and number_text(1234.5, '#,##0 "0,0"') == "1.234,5"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["STT", "Chỉ tiêu", "Tỷ lệ"])
    for index, (value, number_format) in enumerate([(95.5, '0.0"%"'), (95.5, "0.0\\%"), (0.955, "0.0%")], 1):
        ws.append([index, f"Chỉ tiêu {index}", value])
        ws.cell(ws.max_row, 3).number_format = number_format
    wb.save(tmp_path / "ty-le.xlsx")
    rows = read_sheet(tmp_path / "ty-le.xlsx").table["rows"]
    assert [row[1] for row in rows] == ["95,5%"] * 3, rows


def test_formula_without_a_stored_value_is_a_mistake_naming_the_cell(tmp_path: Path) -> None:
    # Excel shows the formula's value; the file holds none, so the cell is not read as empty (a catalogue
    # would print a blank where Excel shows 6): tests/test_sheet_formulas.py covers every reader.
    wb = openpyxl.Workbook()  # openpyxl writes formulas without the value Excel would store
    ws = wb.active
    ws.title = "DM"
    ws.append(["STT", "Nội dung", "Kinh phí"])
    ws.append([1, "Mua sắm", "=2*3"])
    wb.save(tmp_path / "ct.xlsx")
    with pytest.raises(BadCells) as caught:
        read_sheet(tmp_path / "ct.xlsx")
    assert [p.path for p in caught.value.problems] == ["DM!C2"]
    run = run_limited(["import", tmp_path / "ct.xlsx", "-o", tmp_path / "ct.yaml"], memory=2 * GB)
    assert run.code == 2 and "DM!C2: có công thức =2*3 nhưng tệp không lưu giá trị" in run.err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a Unix thing")
def test_a_named_pipe_called_xlsx_is_refused_not_waited_on(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "dm.xlsx")
    got: list[BaseException] = []

    def read() -> None:
        try:
            read_sheet(tmp_path / "dm.xlsx")
        except BaseException as exc:  # noqa: BLE001
            got.append(exc)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(60)  # a failsafe only: a reader that opens the pipe blocks until a writer comes
    assert not reader.is_alive() and isinstance(got[0], SheetError) and "không phải tệp thường" in str(got[0])


def test_only_inside_keeps_reads_in_the_folder_and_tells_nothing(tmp_path: Path) -> None:
    inside = tmp_path / "thu-muc"
    inside.mkdir()
    secret = workbook_with_mistakes(tmp_path / "bi-mat.xlsx")
    (inside / "lien-ket.xlsx").symlink_to(secret)
    with only_inside(inside):
        for ref in (secret, inside / ".." / "bi-mat.xlsx", inside / "lien-ket.xlsx", tmp_path / "khong-co.xlsx"):
            with pytest.raises(SheetError) as exc:
                read_sheet(ref, "Khác")
            assert "chỉ đọc được bảng tính nằm trong thư mục" in str(exc.value)
            assert "Nhiệm vụ" not in str(exc.value) and "không tìm thấy" not in str(exc.value)
    with pytest.raises(BadCells):
        read_sheet(inside / "lien-ket.xlsx")  # outside the editor, the user's own files are theirs


def test_a_data_file_naming_an_ods_bomb_is_located_not_a_crash(tmp_path: Path) -> None:
    body = ('<table:table-row table:number-rows-repeated="10000"><table:table-cell office:value-type="string" '
            'table:number-columns-repeated="9900"><text:p>a</text:p></table:table-cell></table:table-row>')
    (tmp_path / "bom.ods").write_bytes(ods_bytes(body))
    data = tmp_path / "kh.yaml"
    data.write_text(PLAN % "bom.ods", encoding="utf-8")
    with pytest.raises(DataError) as exc:
        load_plan(data)
    (problem,) = exc.value.problems
    assert problem.line == 9 and "quá lớn để làm phụ lục" in problem.message


def test_the_limits_page_states_the_numbers_of_limits_py() -> None:
    from generator import limits
    from generator.serve.connections import HEADER_SECONDS

    page = (Path(__file__).resolve().parent.parent / "docs" / "gioi-han.md").read_text(encoding="utf-8")
    for number in (f"{limits.MAX_SHEET_CELLS:,}".replace(",", "."), f"{limits.MAX_CELL_CHARS:,}".replace(",", "."),
                   f"{limits.MAX_SHEET_BYTES // 2**20} MB", f"**{limits.TEMPLATE_SECONDS} giây**",
                   f"**{HEADER_SECONDS:g} giây**", f"{limits.MAX_DATA_BYTES // 2**20} MB"):
        assert number in page, number


def test_damaged_workbooks_always_end_in_a_sheet_message(tmp_path: Path) -> None:
    """Bytes flipped, parts cut or dropped, in .xlsx and .ods: every outcome is a table or a
    SheetError, never another exception (which the command line calls "lỗi không mong đợi")."""
    import random

    rng = random.Random(30)
    cell = '<table:table-cell office:value-type="string"><text:p>%s</text:p></table:table-cell>'
    good = {".xlsx": small_xlsx(),
            ".ods": ods_bytes("<table:table-row>" + cell % "STT" + cell % "Nội dung" + "</table:table-row>"
                              "<table:table-row>" + cell % "1" + cell % "Khảo sát" + "</table:table-row>")}
    refusals = 0
    for i in range(150):
        suffix = rng.choice(sorted(good))
        src = zipfile.ZipFile(io.BytesIO(good[suffix]))
        victim = rng.choice(src.namelist())
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as dst:
            for name in src.namelist():
                data = bytearray(src.read(name))
                if name == victim:
                    for _ in range(rng.randint(1, 4)):
                        data[rng.randrange(len(data))] = rng.randrange(256)
                    if rng.random() < 0.3:
                        data = data[:rng.randrange(len(data) + 1)]
                    if rng.random() < 0.1:
                        continue
                dst.writestr(name, bytes(data))
        raw = bytearray(out.getvalue())
        if rng.random() < 0.3:
            raw[rng.randrange(len(raw))] ^= 0xFF
        path = tmp_path / f"hong-{i}{suffix}"
        path.write_bytes(bytes(raw))
        try:
            read_sheet(path)
        except SheetError as exc:
            refusals += 1
            assert str(exc).startswith(str(path)) or isinstance(exc, BadCells)
    assert refusals > 50


def _spread_xlsx(path: Path) -> Path:
    """A workbook whose one sheet spans from A1 to B300000: two cells typed, an area past
    limits.MAX_SHEET_CELLS (refused before any reader builds a cell)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Trang1"
    ws["A1"] = "Tên"
    ws["B300000"] = "x"
    wb.save(path)
    return path


def test_a_sheet_too_large_is_said_in_the_words_of_what_it_was_read_as(tmp_path: Path) -> None:
    # The same count bounds every sheet; the refusal says what the sheet should have been: a
    # catalogue for an appendix, a progress sheet made by `kehoach progress`, a list of units.
    from generator.jobs.progress import read_progress
    from generator.jobs.units_sheet import read_units_sheet
    from tests.year_fixtures import write_plan

    sheet = _spread_xlsx(tmp_path / "lon.xlsx")
    plan = load_plan(write_plan(tmp_path))
    readers = {"phụ lục": lambda: read_sheet(sheet),
               "bảng tiến độ": lambda: read_progress(plan, [sheet]),
               "danh sách đơn vị": lambda: read_units_sheet(sheet)}
    for use, read in readers.items():
        with pytest.raises(SheetError) as exc:
            read()
        message = str(exc.value)
        assert message.startswith(f"{sheet}: trang tính 'Trang1' trải đến hàng 300.000 và cột 2"), message
        assert f"tối đa {limits_cells()} ô" in message
        assert use in message and all(other not in message for other in readers if other != use), message
    with pytest.raises(SheetError) as exc:
        read_progress(plan, [sheet])
    assert "kehoach progress" in str(exc.value)


def limits_cells() -> str:
    from generator import limits

    return f"{limits.MAX_SHEET_CELLS:,}".replace(",", ".")


def test_a_csv_too_large_says_where_the_count_passed_the_limit(tmp_path: Path) -> None:
    from generator import limits

    rows = limits.MAX_SHEET_CELLS // 4 + 10
    path = tmp_path / "dm.csv"
    path.write_text("STT,Nội dung,Đơn vị,Thời gian\n" + "1,Khảo sát,Sở,Quý I\n" * rows, encoding="utf-8")
    with pytest.raises(SheetError) as exc:
        read_sheet(path)
    message = str(exc.value)
    assert message.startswith(f"{path}: tệp CSV đến dòng ") and "quá lớn để làm phụ lục" in message, message


@pytest.mark.parametrize("suffix", [".xlsx", ".ods", ".csv"])
def test_a_catalogue_wider_than_word_holds_is_said_at_its_sheet_cell(tmp_path: Path, suffix: str) -> None:
    """A catalogue of 10,000 columns, set from column B: Word holds 63, so the plan is refused at the
    header's 64th cell (DM!BM1: column B is the table's first), with the count and the fix, whichever
    program saved the sheet; it was refused as "appendices[0].table.columns: tối đa 63" at the data
    file's line, a place the user does not edit."""
    from tests.test_sheets import _saved

    wide = 10_000
    grid: list[list[object]] = [["STT", "Nội dung"] + [f"Cột {i}" for i in range(3, wide + 1)],
                                [1, "Khảo sát"] + ["x"] * (wide - 2)]
    if suffix == ".csv":
        sheet = tmp_path / "DM.csv"  # a CSV's one sheet is named by its file
        sheet.write_text("\n".join(";" + ";".join(str(c) for c in row) for row in grid) + "\n", encoding="utf-8")
    else:
        sheet = _saved(tmp_path / f"DM{suffix}", grid, [], left=1)
    with pytest.raises(SheetError) as caught:
        read_sheet(sheet)
    said = str(caught.value)
    assert "DM!BM1" in said and "Cột 64" in said, said  # BM1 holds the 64th title, "Cột 64"
    assert "10.000 cột" in said and "tối đa 63" in said and "bớt cột" in said, said
    data = tmp_path / "kh.yaml"
    data.write_text(PLAN % sheet.name, encoding="utf-8")
    with pytest.raises(DataError) as plan_caught:
        load_plan(data)
    assert "DM!BM1" in str(plan_caught.value) and "table.columns" not in str(plan_caught.value)


def test_a_data_files_table_holds_the_columns_word_holds(tmp_path: Path) -> None:
    """A table typed in the data file with one column more than Word's 63 is refused at its columns,
    in words, with the number of limits.py; a cell spanning them all is the widest a cell may be; the
    JSON schema an editor checks with states the same number."""
    import json

    from generator import limits
    from generator.plan.schema import plan_schema

    most = limits.MAX_TABLE_COLUMNS
    data = tmp_path / "kh.yaml"
    for columns, span, refused in ((most + 1, 1, "appendices[0].table.columns"),
                                   (most, most + 1, "appendices[0].table.rows[0][0].span"), (most, most, None)):
        row = [{"text": "x", "span": span}] + ["x"] * (columns - span) if span > 1 else ["x"] * columns
        table = {"columns": [f"Cột {i}" for i in range(1, columns + 1)], "rows": [row]}
        data.write_text(SHEET_PLAN.split("  - title")[0] + "  - title: Danh mục\n    table: " + json.dumps(
            table, ensure_ascii=False) + "\n", encoding="utf-8")
        if refused is None:
            assert len(load_plan(data).appendices[0].table.columns) == most
            continue
        with pytest.raises(DataError) as caught:
            load_plan(data)
        said = str(caught.value)
        assert refused in said and (f"tối đa {most} " in said or f"lớn hơn {most}" in said), said
    text = json.dumps(plan_schema())
    assert f'"maxItems": {most}' in text and f'"maximum": {most}' in text


def test_the_models_columns_follow_the_one_limit() -> None:
    """The model's bounds on a table's columns are limits.MAX_TABLE_COLUMNS itself, not a copy of its
    value: set lower before the model is built, the schema and the refusal follow it."""
    import json
    import subprocess
    import sys

    code = ("import json; from generator import limits; limits.MAX_TABLE_COLUMNS = 5\n"
            "from generator.plan.schema import plan_schema\n"
            "def find(node):\n"
            "    if isinstance(node, dict):\n"
            "        yield from ((k, v) for k, v in node.items() if k in ('maxItems', 'maximum'))\n"
            "        for v in node.values(): yield from find(v)\n"
            "    elif isinstance(node, list):\n"
            "        for v in node: yield from find(v)\n"
            "print(json.dumps(sorted(set(find(plan_schema())))))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parent.parent)
    bounds = {tuple(b) for b in json.loads(out.stdout)}
    assert {("maxItems", 5), ("maximum", 5)} <= bounds, bounds
    assert not {("maxItems", 63), ("maximum", 63)} & bounds, bounds


@pytest.mark.parametrize("pattern, tags, taken", [
    ("_CELL_REF", b'<c <c r="B2"/>', b'<c r="B2"'),
    ("_ROW_REF", b'<row <row r="7">', b'<row r="7"'),
    ("_MERGE", b'<mergeCell <mergeCell ref="A1:B2"/>', b'<mergeCell ref="A1:B2"'),
    ("_OVERRIDE", b'<Override <Override PartName="/x"/>', b'<Override PartName="/x"/>'),
    ("_VALUE", b"<v <v>5</v>", b"<v>5<"),
    ("_FORMULA_TEXT", b"<f <f>1+1</f>", b"<f>1+1<"),
])
def test_a_tag_left_open_is_given_up_at_the_next_tag(pattern: str, tags: bytes, taken: bytes) -> None:
    """A tag's attributes are never read past a "<": a tag left open is not searched to the end of the
    part from each of its copies (quadratic: a 6 KB .xlsx of open tags held import two minutes)."""
    from generator.word import sheet_guard

    found = getattr(sheet_guard, pattern).search(tags)
    assert found is not None and found.group(0) == taken


def test_a_cell_body_ends_before_the_next_cell_starts() -> None:
    """A cell left open is not read as holding the next cell's value, nor does it swallow that cell:
    the cell after it, whose formula has no value, is still said."""
    from generator.word.sheet_guard import scan_xlsx_sheet

    part = (b'<worksheet><sheetData><row r="1"><c r="A1"><f>1</f><v>2</v>'
            b'<c r="B1"><f>A1*2</f></c></row></sheetData></worksheet>')
    assert scan_xlsx_sheet(part, "DM", "x.xlsx").no_value == [("B1", "=A1*2", False)]  # no placeholder stored
