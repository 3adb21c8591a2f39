"""Catalogues kept in a spreadsheet (.xlsx, .xls, .ods, .csv) as an appendix table.

Offices keep the task list of a plan in Excel. A sheet becomes a table block of the data: the
first row with two or more filled cells is the header (its cells the columns), rows above it are
the appendix's title lines, merged cells keep their span, and STT/group rows ("I", "II" over
"1", "2") are recognised exactly as in a Word table (table_rows.py). A header of two or three rows
(a title merged across the columns it groups, the others merged down beside it) is the table's
header_rows, and a row "(1) (2) (3)" under it its column_numbers, by the rule a Word table's row is
judged by (recognise/column_numbers.py), as YAML writes them (_Head).

Readers: openpyxl for .xlsx in read-only mode (one sheet streamed, the values Excel stored;
merged ranges and formulas without a stored value come from sheet_guard's scan of the same part),
python-calamine for .xls and .ods (an .ods cell's number format, which calamine drops, from
sheet_guard's scan as the Excel code an .xlsx cell has: number_text prints both); both read stored
values and never evaluate formulas. Every
file is judged by sheet_guard before a reader parses it. Cells that would print wrong (a formula
error, a date that does not exist, an empty task) are reported together, each as Sheet!C7.

A formula reads as the value the file stores for it, which Excel and LibreOffice always save (what
the cell shows: a date, a number, text). A file written by a program that does not compute
(openpyxl, some exports) may store none: the reader would give the cell empty and a default would
fill in for it, so each such cell is a mistake said at its cell (uncomputed_problems), by every
reader of sheets (catalogues, units lists, progress sheets). So is a formula of a workbook that has
Excel recompute on opening (calcPr fullCalcOnLoad: xlsxwriter, report exporters), whose stored
value is a placeholder (0), not what Excel shows. A date stored as a number counts from the
workbook's own base day (an .xlsx's date1904, an .ods's table:null-date).
"""

from __future__ import annotations

import contextlib
import contextvars
import csv
import datetime as dt
import io
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from .. import limits
from ..errors import DataError, Problem
from ..text import clean_text, number_vi
from ..word.sheet_guard import (
    NULL_DATE,
    OdsScan,
    SheetError,
    SheetTooBig,
    column_number,
    computed_on_opening,
    not_a_spreadsheet,
    ods_styles,
    open_zip,
    owner_file,
    read_file,
    read_part,
    scan_ods,
    scan_xlsx_sheet,
)
from ..word.tables import MAX_HEADER_ROWS
from .table_rows import NUMBER_HEAD, numbered_groups

__all__ = ["SPREADSHEET_SUFFIXES", "BadCells", "SheetError", "SheetTable", "cell_name", "only_inside", "read_sheet",
           "uncomputed_problems"]

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")
ERROR_VALUES = {"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#SPILL!", "#CALC!"}

CONTENT_HEAD = re.compile(r"^(nội dung|tên nhiệm vụ|nhiệm vụ|tên công việc|công việc|hoạt động)", re.I)
"""The heading of the column that says what each row is: a task row without it prints empty."""

_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")

_FOLDER: contextvars.ContextVar[Path | None] = contextvars.ContextVar("sheet_folder", default=None)


@contextlib.contextmanager
def only_inside(folder: str | Path) -> Iterator[None]:
    """Within the block, read_sheet opens only workbooks whose real path is inside folder.

    Why: the editor serves one folder; a data file there naming ../../luong.xlsx or a link out of
    the folder must not be read, nor its sheet names nor even its existence told to the page."""
    token = _FOLDER.set(Path(folder).resolve())
    try:
        yield
    finally:
        _FOLDER.reset(token)


class BadCells(DataError, SheetError):
    """Cells a reader would print wrong (an empty task, a date that does not exist, a formula
    error): all of them, each located as Sheet!C7 with its value and the fix."""


@dataclass
class SheetTable:
    """A sheet read as plan data: the table block, the title lines above its header. No warnings: what
    a reader of sheets cannot read as it prints is a problem at its cell (BadCells), said by every
    reader alike (SheetCells carries the same)."""

    table: dict[str, Any]
    titles: list[str] = field(default_factory=list)
    sheet: str = ""


def cell_name(sheet: str, row: int, col: int) -> str:
    """"Sheet1!C7" for 0-based row 6, column 2 (as Excel names it)."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{sheet}!{letters}{row + 1}"


def number_text(value: float | int, number_format: str = "General") -> str:
    """A number as the sheet holds it, every digit kept (1234567.5, 12.3456789: never 1,23457e+06),
    with a decimal comma; grouped by "." when the cell's format groups thousands (#,##0), as a
    percentage when the format is one (0.15 with 0% is 15%; 95.5 with 0.0"%" is 95,5%), and with the decimals the format
    fixes (1234.5 with #,##0.00 is 1.234,50, as the screen shows it). Never rounded to the format:
    a figure's digits are the drafter's, a format only how many the screen had room for."""
    exact = Decimal(value) if isinstance(value, int) else Decimal(repr(value))
    code = _format_symbols(number_format)
    # A bare % scales the value (0.15 shows 15%); a % quoted or escaped ('0.0"%"', 0.0\%) is text
    # after the value as typed (95.5 shows 95.5%): the same on the screen, so the same here.
    suffix = "%" if "%" in number_format else ""
    if "%" in code:
        exact *= 100
    whole_number = exact == exact.to_integral_value()
    text = format(exact.to_integral_value() if whole_number else exact.normalize(), "f")
    whole, _, fraction = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = whole.lstrip("-")
    if "#,#" in code or "0,0" in code:
        whole = number_vi(int(whole))
    fraction = fraction.ljust(_fixed_decimals(code), "0")
    return sign + whole + ("," + fraction if fraction else "") + suffix


def _format_symbols(number_format: str) -> str:
    """A format code without what it prints as text or uses as a switch: quoted text, escaped
    characters, bracketed colours and locales ('#,##0.00" đ"' is "#,##0.00"). What is left are the
    symbols that place digits, group, scale by 100 and split sections."""
    return re.sub(r'"[^"]*"|\\.|\[[^]]*]', "", number_format)


def _fixed_decimals(code: str) -> int:
    """How many decimals a format code (its symbols, _format_symbols) always shows: the 0s after the
    point of its first section ("#,##0.00" 2, "0.0%" 1, "General" and "#,##0.##" 0)."""
    _, point, after = code.split(";")[0].partition(".")
    return len(after) - len(after.lstrip("0")) if point else 0


def _text(value: Any, number_format: str = "General") -> str:
    """A cell's value as the text a reader sees: 1.0 as "1", a date as 20/3/2024."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, (int, float)):
        return number_text(value, number_format or "General")
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return f"{value.day}/{value.month}/{value.year}"
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, dt.timedelta):
        return str(value)
    return clean_text(str(value)).strip()


Merged = list[tuple[tuple[int, int], tuple[int, int]]]

Uncomputed = tuple[int, int, str | None, bool]
"""A cell whose formula has no value stored: (row, col, the formula as shown or None, whether the
file stores a placeholder there that Excel recomputes on opening, sheet_guard.computed_on_opening)."""


@dataclass
class _Grid:
    """A sheet as its reader gives it. What it holds about its cells (problems, uncomputed) reaches
    every reader through SheetCells (_from_a1), as read_sheet's table: none is a catalogue's alone."""

    name: str
    rows: list[list[str]]
    merged: Merged = field(default_factory=list)
    problems: list[tuple[int, int, str | None, str]] = field(default_factory=list)
    """(row, col, value, message) of cells that cannot be printed as they are."""
    offset: tuple[int, int] = (0, 0)
    """Row and column of the sheet where rows[0][0] is (a calamine sheet starts at its first used cell)."""
    uncomputed: list[Uncomputed] = field(default_factory=list)
    """Cells whose formula has no value stored in the file, in the sheet's order."""


def _grid(path: Path, data: bytes, sheet: str | None) -> _Grid:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _csv_grid(path, data)
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx_grid(path, data, sheet)
    return _calamine_grid(path, data, sheet, suffix)


def _csv_grid(path: Path, data: bytes) -> _Grid:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SheetError(f"{path}: tệp CSV không phải UTF-8; hãy lưu lại bằng 'CSV UTF-8'") from None
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    grid = _Grid(path.stem, [])
    cells = 0
    try:
        for row in reader:
            cells += len(row)
            if cells > limits.MAX_SHEET_CELLS:
                raise SheetTooBig(str(path), None, f"tệp CSV đến dòng {number_vi(reader.line_num)} đã có "
                                                   f"{number_vi(cells)} ô")
            grid.rows.append([clean_text(c).strip() for c in row])
    except csv.Error as exc:
        why = ("một ô dài quá giới hạn" if "field larger" in str(exc)
               else "có ký tự NUL (tệp nhị phân?)" if "NUL" in str(exc) else str(exc))
        raise SheetError(f"{path}: dòng {reader.line_num}: không đọc được CSV ({why}); một ô tối đa "
                         f"{number_vi(limits.MAX_CELL_CHARS)} ký tự như Excel") from None
    return grid


def _xlsx_book(path: Path, data: bytes) -> tuple[Any, Any]:
    """The judged zip and the read-only openpyxl book of an .xlsx."""
    zf = open_zip(data, str(path), path.suffix.lower(), path)
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "extension not supported": nothing the user must act on
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except SheetError:
        raise
    except Exception:  # noqa: BLE001 - openpyxl raises anything on a damaged part; the file is the cause
        raise SheetError(f"{path}: không đọc được bảng tính: tệp hỏng hoặc không phải .xlsx; hãy mở bằng "
                         "Excel rồi lưu lại") from None
    return zf, book


def _xlsx_grid(path: Path, data: bytes, sheet: str | None) -> _Grid:
    zf, book = _xlsx_book(path, data)
    try:
        names = book.sheetnames
        if not names:
            raise SheetError(f"{path}: bảng tính không có trang tính nào")
        name = sheet or names[0]
        if name not in names:
            raise SheetError(f"{path}: không có trang tính '{name}'; các trang tính có: {', '.join(names)}")
        return _xlsx_sheet(path, zf, book, name)
    finally:
        book.close()


def _xlsx_worksheet(path: Path, book: Any, name: str) -> Any:
    """The read-only worksheet name, None for a chart sheet (no cells)."""
    try:
        ws = book[name]  # read-only: opens the sheet's part to read its declared size
    except Exception:  # noqa: BLE001 - a part missing or damaged
        raise SheetError(f"{path}: trang tính '{name}' bị hỏng hoặc thiếu, không đọc được; hãy mở bằng "
                         "Excel rồi lưu lại") from None
    return ws if hasattr(ws, "reset_dimensions") and getattr(ws, "_worksheet_path", None) else None


def _xlsx_sheet(path: Path, zf: Any, book: Any, name: str) -> _Grid:
    ws = _xlsx_worksheet(path, book, name)
    if ws is None:
        raise SheetError(f"{path}: '{name}' là trang biểu đồ, không phải trang tính có ô; hãy chọn trang khác")
    scan = scan_xlsx_sheet(read_part(zf, ws._worksheet_path, str(path)), name, str(path),
                           computed_on_opening(zf, str(path)))
    ws.reset_dimensions()  # the declared dimension may lie (A1:XFD1048576): read the cells there are
    grid = _Grid(name, [], scan.merged)
    try:
        for r, row in enumerate(ws.iter_rows()):
            out = []
            for c, cell in enumerate(row):
                value = cell.value
                if getattr(cell, "data_type", None) == "e" or (
                        isinstance(value, str) and value.strip() in ERROR_VALUES):
                    grid.problems.append((r, c, str(value), "có lỗi công thức; hãy sửa công thức trong "
                                                            "bảng tính rồi nhập lại"))
                    out.append("")
                    continue
                out.append(_text(value, getattr(cell, "number_format", "General")))
            grid.rows.append(out)
    except SheetError:
        raise
    except Exception:  # noqa: BLE001 - a damaged worksheet part, read lazily
        raise SheetError(f"{path}: trang tính '{name}' bị hỏng, không đọc được; hãy mở bằng Excel rồi "
                         "lưu lại") from None
    for ref, formula, placeholder in scan.no_value:
        m = re.fullmatch(r"([A-Z]+)([0-9]+)", ref)
        if m:
            grid.uncomputed.append((int(m.group(2)) - 1, column_number(m.group(1)) - 1, formula, placeholder))
    grid.uncomputed = _shown(grid.uncomputed, grid.merged)
    return grid


def _shown(cells: list[Uncomputed], merged: Merged) -> list[Uncomputed]:
    """The cells of cells a merge does not cover: a merged range shows its first cell alone, so a
    formula without a value under it (a file may keep one; LibreOffice keeps what merging covered)
    shows nothing, and is no mistake. Merges cover at most limits.MAX_SHEET_CELLS cells (sheet_guard)."""
    if not cells or not merged:
        return cells
    covered = {(r, c) for (r0, c0), (r1, c1) in merged for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)
               if (r, c) != (r0, c0)}
    return [cell for cell in cells if (cell[0], cell[1]) not in covered]


def _calamine_book(path: Path, data: bytes, suffix: str) -> tuple[Any, OdsScan | None]:
    """The calamine book of an .xls or .ods, judged first; an .ods's merged ranges by sheet (calamine
    reads an .xls's own, none of an .ods's) and its formulas without a stored value (an .xls always
    stores a formula's result in its FORMULA record)."""
    merges = None
    if suffix == ".ods":
        zf = open_zip(data, str(path), suffix, path)
        # styles.xml is optional in ODF: without it, a cell's format is content.xml's alone.
        styles = read_part(zf, "styles.xml", str(path)) if "styles.xml" in zf.namelist() else None
        merges = scan_ods(read_part(zf, "content.xml", str(path)), str(path), ods_styles(styles, str(path)))
    elif data.startswith(b"PK") or not data.startswith(b"\xd0\xcf\x11\xe0"):
        raise not_a_spreadsheet(data, str(path), suffix, path)
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        book.sheet_names  # noqa: B018 - a damaged file fails here, inside the try
    except Exception:  # noqa: BLE001 - calamine raises its own error types for damaged or unknown files
        raise not_a_spreadsheet(data, str(path), suffix, path) from None
    return book, merges


def _calamine_grid(path: Path, data: bytes, sheet: str | None, suffix: str) -> _Grid:
    book, ods = _calamine_book(path, data, suffix)
    names = book.sheet_names
    if not names:
        raise SheetError(f"{path}: bảng tính không có trang tính nào")
    name = sheet or names[0]
    if name not in names:
        raise SheetError(f"{path}: không có trang tính '{name}'; các trang tính có: {', '.join(names)}")
    return _calamine_sheet(path, book, name, ods)


def _calamine_sheet(path: Path, book: Any, name: str, ods: OdsScan | None = None) -> _Grid:
    try:
        data_sheet = book.get_sheet_by_name(name)
    except Exception:  # noqa: BLE001
        raise SheetError(f"{path}: trang tính '{name}' bị hỏng hoặc quá lớn, không đọc được; hãy mở bằng "
                         "Excel hoặc LibreOffice rồi lưu lại") from None
    # An .xls is judged here, before a Python object per cell: its format caps a sheet at 65,536 rows
    # by 256 columns, which the reader's own cell area holds within the memory budget.
    if data_sheet.height * data_sheet.width > limits.MAX_SHEET_CELLS:
        raise SheetTooBig(str(path), name, f"có {number_vi(data_sheet.height)} hàng × "
                                           f"{number_vi(data_sheet.width)} cột")
    try:
        values = data_sheet.to_python(skip_empty_area=False)
        merged = list(data_sheet.merged_cell_ranges or []) or list(ods.merges.get(name, []) if ods else [])
    except Exception:  # noqa: BLE001
        raise SheetError(f"{path}: trang tính '{name}' bị hỏng, không đọc được; hãy mở bằng Excel hoặc "
                         "LibreOffice rồi lưu lại") from None
    # to_python(skip_empty_area=False) starts at A1, as merged ranges count: both index cells from A1
    # (shifting either by the first used cell put a merge, and a mistake's cell name, that many
    # rows and columns away in a sheet whose list starts below or right of A1).
    ranges = [((r0, c0), (r1, c1)) for (r0, c0), (r1, c1) in merged]
    grid = _Grid(name, [], ranges, uncomputed=_shown([(r, c, f, False) for r, c, f in ods.no_value.get(name, [])]
                                                     if ods else [], ranges))
    # An .ods number cell prints by its style's format, as the same .xlsx cell by its own: the
    # blocks are within the sheet's area sheet_guard counted, as the values are.
    formats = {(r, c): code for r0, rows, c0, count, code in (ods.formats.get(name, []) if ods else [])
               for r in range(r0, r0 + rows) for c in range(c0, c0 + count)}
    for r, row in enumerate(values):
        out = []
        for c, value in enumerate(row):
            if isinstance(value, str) and value.strip() in ERROR_VALUES:
                grid.problems.append((r, c, value.strip(), "có lỗi công thức; hãy sửa công thức trong bảng "
                                                           "tính rồi nhập lại"))
                out.append("")
                continue
            code = formats.get((r, c), "General")
            out.append(_text(_dated(value, code, ods.null_date if ods else NULL_DATE), code))
        grid.rows.append(out)
    return grid


def _dated(value: Any, number_format: str, null_date: dt.date = NULL_DATE) -> Any:
    """A number under a date or time format as the date it shows, as openpyxl gives an .xlsx cell
    (its rule, its conversion): an .ods cell saved as a number under a date style, counted from the
    document's null_date (OdsScan.null_date: 1904-01-01 in a file saved with Calc's option "1904",
    as an .xlsx's date1904 workbook is read by openpyxl); a number no calendar holds stays the number."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return value
    from openpyxl.styles.numbers import is_date_format
    from openpyxl.utils.datetime import from_excel

    if not is_date_format(number_format):
        return value
    try:
        return from_excel(value, epoch=dt.datetime.combine(null_date, dt.time()))
    except (OverflowError, ValueError):
        return value


@dataclass(frozen=True)
class SheetCells:
    """One worksheet as a reader sees it, every index from A1: rows[r][c] is the text of cell
    cell_name(name, r, c), merged the (top, left), (bottom, right) of each merged range."""

    name: str
    rows: list[list[str]]
    merged: Merged
    problems: list[tuple[int, int, str | None, str]]
    uncomputed: list[Uncomputed] = field(default_factory=list)
    """The cells whose formula has no value stored: each reader says those of the cells it reads
    (uncomputed_problems), never reading them as empty."""


def _from_a1(grid: _Grid) -> SheetCells:
    top, left = grid.offset
    rows: list[list[str]] = [[] for _ in range(top)] + [[""] * left + row for row in grid.rows]
    merged = [((r0 + top, c0 + left), (r1 + top, c1 + left)) for (r0, c0), (r1, c1) in grid.merged]
    problems = [(r + top, c + left, v, m) for r, c, v, m in grid.problems]
    uncomputed = [(r + top, c + left, f, placeholder) for r, c, f, placeholder in grid.uncomputed]
    return SheetCells(grid.name, rows, merged, problems, uncomputed)


UNCOMPUTED_SHOWN = 20
"""Cells with a formula and no stored value named one by one; the rest are counted at the next."""

UNCOMPUTED_FIX = ("hãy mở tệp bằng Excel hoặc LibreOffice và lưu lại để ô có giá trị, hoặc gõ giá trị thay cho "
                  "công thức")

RECALCULATED_FIX = ("hãy mở tệp bằng Excel rồi lưu lại (Excel tính lại khi mở); nếu dùng LibreOffice, bấm "
                    "Ctrl+Shift+F9 (tính lại toàn bộ) rồi mới lưu, vì LibreOffice giữ nguyên giá trị tạm; hoặc gõ "
                    "giá trị thay cho công thức")
"""Why LibreOffice is told more: it keeps the placeholders of a file that names Excel as its writer
(its default is never to recompute such a file on loading) and drops the flag when it saves, so
saving alone would make the placeholder the value for good."""


def uncomputed_problems(cells: list[Uncomputed]) -> list[tuple[int, int, str | None, str]]:
    """(row, col, value, message) for cells whose formula has no value stored: the first
    UNCOMPUTED_SHOWN each at its cell with its formula, then one at the next cell counting the
    others. Why a mistake, not an empty cell: Excel shows the formula's value there, and the file
    does not hold it (a program that does not compute wrote it); read as empty, a default or "not
    reported" would stand in for what the clerk sees. A placeholder (0 stored by a writer that has
    Excel recompute on opening) is no value either: read as stored, "0" would stand in for it."""
    out: list[tuple[int, int, str | None, str]] = []
    for r, c, formula, placeholder in cells[:UNCOMPUTED_SHOWN]:
        why, fix = _PLACEHOLDER if placeholder else _NO_VALUE
        out.append((r, c, None, f"có công thức{' ' + formula[:80] if formula else ''} nhưng {why}, nên không biết "
                                f"ô hiện gì; {fix}"))
    if len(cells) > UNCOMPUTED_SHOWN:
        r, c, *_ = cells[UNCOMPUTED_SHOWN]
        kinds = {placeholder for *_, placeholder in cells[UNCOMPUTED_SHOWN:]}
        what = ("mà tệp chỉ lưu giá trị tạm" if kinds == {True} else "chưa có giá trị lưu trong tệp"
                if kinds == {False} else "chưa có giá trị, hoặc chỉ có giá trị tạm, lưu trong tệp")
        out.append((r, c, None, f"ô này và {number_vi(len(cells) - UNCOMPUTED_SHOWN - 1)} ô khác sau nó cũng có "
                                f"công thức {what}; {RECALCULATED_FIX if True in kinds else UNCOMPUTED_FIX}"))
    return out


_NO_VALUE = ("tệp không lưu giá trị của công thức (tệp do chương trình không tính công thức tạo ra)", UNCOMPUTED_FIX)
_PLACEHOLDER = ("giá trị tệp lưu cho công thức chỉ là giá trị tạm: tệp yêu cầu Excel tính lại mọi công thức khi mở "
                "(tệp do chương trình không tính công thức xuất ra)", RECALCULATED_FIX)
"""Why a cell's formula shows nothing the file holds, and what to do: no value stored, or a placeholder."""


WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


def workbook_sheets(path: Path, data: bytes) -> list[SheetCells]:
    """Every worksheet of a workbook (.xlsx, .xlsm, .xls, .ods) already read into data, hidden ones
    included, chart sheets left out; each judged as read_sheet judges one. The caller holds the
    read budget (limits.read_budget) around the call."""
    suffix = path.suffix.lower()
    if suffix not in WORKBOOK_SUFFIXES:
        raise SheetError(f"{path}: không phải bảng tính; chỉ đọc được tệp {', '.join(WORKBOOK_SUFFIXES)}")
    if suffix in (".xlsx", ".xlsm"):
        zf, book = _xlsx_book(path, data)
        try:
            return [_from_a1(_xlsx_sheet(path, zf, book, name)) for name in book.sheetnames
                    if _xlsx_worksheet(path, book, name) is not None]
        finally:
            book.close()
    calamine, ods = _calamine_book(path, data, suffix)
    return [_from_a1(_calamine_sheet(path, calamine, name, ods)) for name in calamine.sheet_names]


def _date_problem(text: str) -> str | None:
    """Why text written as a date (31/13/2025, 2025-02-30) is no day of the calendar, or None."""
    m = _DMY.match(text)
    if m:
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        m = _YMD.match(text)
        if not m:
            return None
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if not 1 <= month <= 12:
        return (f"ngày không có thật: tháng {month} (tháng chỉ từ 1 đến 12); hãy sửa thành ngày đúng, "
                "dạng ngày/tháng/năm")
    try:
        dt.date(year, month, day)
    except ValueError:
        last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day if year >= 1 else 31
        return (f"ngày không có thật: tháng {month}/{year} chỉ có {last} ngày; hãy sửa thành ngày đúng, "
                "dạng ngày/tháng/năm")
    return None


def read_sheet(path: str | Path, sheet: str | None = None) -> SheetTable:
    """Read one sheet (the first when none is named) as an appendix table.

    The file is judged before it is parsed (sheet_guard) and parsed within the read budget
    (limits.READ_SECONDS, limits.READ_MEMORY); cells that would print wrong are reported together
    (BadCells, each as Sheet!C7)."""
    path = Path(path)
    read = _read_grid(path, sheet)
    top, left = read.offset
    # A catalogue prints every cell of its sheet: each formula without a value is said.
    read.problems += [(r - top, c - left, v, m) for r, c, v, m in uncomputed_problems(read.uncomputed)]
    return _table(path, read)


def sheet_rows(path: str | Path, sheet: str | None = None) -> SheetCells:
    """A sheet's cells as the text a reader sees (dates as 20/3/2024), row by row from A1 (so that
    row and column indices name cells), with its merged ranges and the cells that cannot be read
    as they print (a formula's error): for lists kept in a spreadsheet that are not a catalogue
    (batch's units). Judged and bounded as read_sheet."""
    return _from_a1(_read_grid(Path(path), sheet))


def _read_grid(path: Path, sheet: str | None) -> _Grid:
    folder = _FOLDER.get()
    if folder is not None and not path.resolve().is_relative_to(folder):
        raise SheetError(f"{path}: chỉ đọc được bảng tính nằm trong thư mục {folder}")
    suffix = path.suffix.lower()
    if suffix not in SPREADSHEET_SUFFIXES:
        raise SheetError(f"{path}: không phải bảng tính; chỉ đọc được tệp {', '.join(SPREADSHEET_SUFFIXES)}")
    data = read_file(path, limits.MAX_DATA_BYTES if suffix == ".csv" else limits.MAX_SHEET_BYTES)
    if suffix == ".csv" and (owner := owner_file(data, str(path), path)) is not None:
        raise owner  # a CSV is any text: Excel's lock file beside one would read as a row of junk
    # Within the read budget where it can hold (limits.read_budget: a program's main thread).
    with limits.read_budget(path, what="bảng tính", kind="danh mục"):
        return _grid(path, data, sheet)


Problems = list[tuple[int, int, str | None, str]]
"""(row, col, value, message) of cells that cannot be printed as they are."""


Spans = dict[tuple[int, int], tuple[int, int]]
"""The first cell of each merged range (row, col) -> (columns, rows) it spans."""


Origins = dict[tuple[int, int], tuple[int, int]]
"""Each cell a merged range covers (row, col) -> the range's first cell."""


def _table(path: Path, read: _Grid) -> SheetTable:
    name, grid, merged = read.name, read.rows, read.merged
    width = max((len(r) for r in grid), default=0)
    grid = [r + [""] * (width - len(r)) for r in grid]
    # A merged range prints its first cell's text across it; what the cells it covers still hold (a
    # program may keep their text when it merges them) is printed nowhere, so it is no text of the
    # table: not a header's title, not a row (a title merged down over the header's first cells).
    for (r0, c0), (r1, c1) in merged:
        for r in range(r0, min(r1 + 1, len(grid))):
            for c in range(c0 + (r == r0), min(c1 + 1, width)):
                grid[r][c] = ""
    # Trailing empty rows and columns are not part of the table.
    while grid and not any(grid[-1]):
        grid.pop()
    while width and not any(r[width - 1] for r in grid):
        width -= 1
        grid = [r[:width] for r in grid]
    # Nor are empty columns before it: many sheets set their table from column B. Cells keep their own
    # column numbers (a problem is named at the cell it is in); the table's columns start at `lead`.
    lead = next((c for c in range(width) if any(r[c] for r in grid)), width)
    header_at = next((i for i, r in enumerate(grid) if sum(1 for c in r if c) >= 2), None)
    if header_at is None:
        if read.problems:
            raise _bad_cells(path, read, [])
        raise SheetError(f"{path}: trang tính '{name}' không có hàng tiêu đề (hàng có ít nhất hai ô có chữ)")
    # A cell merged down into that row from a row above prints in the header's rows: the header
    # starts at its top (a header of two rows whose first row shows one title, or none). Lowest
    # bottom first: each merge is looked at once, after every one that could move the header above it.
    for (r0, c0), (r1, c1) in sorted(merged, key=lambda m: -m[1][0]):
        if r0 < header_at <= r1 and c0 < width and c1 >= lead:
            header_at = r0
    if width - lead > limits.MAX_TABLE_COLUMNS:
        # Said at the first column Word cannot hold, before any merge or cell of the table is judged.
        past = lead + limits.MAX_TABLE_COLUMNS
        raise _bad_cells(path, read, [(header_at, past, grid[header_at][past] or None,
                                       f"bảng có {number_vi(width - lead)} cột, tối đa "
                                       f"{limits.MAX_TABLE_COLUMNS} (giới hạn của Word); ô này là cột thứ "
                                       f"{limits.MAX_TABLE_COLUMNS + 1}: hãy bớt cột hoặc tách thành "
                                       "nhiều bảng")])
    titles = [next(c for c in r if c) for r in grid[:header_at] if any(r)]
    span_at: Spans = {}
    origin: Origins = {}
    overlaps: Problems = []
    for (r0, c0), (r1, c1) in merged:
        # A merge wholly beside the table (right of its last column with text, left of its first)
        # is empty cells Excel prints nothing in, as the empty columns trimmed above: not the table's.
        if r0 < header_at or c0 >= width or c1 < lead:
            continue
        under = [(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)]
        # Merges that share a cell are no sheet Excel or LibreOffice makes (Excel repairs the file
        # by dropping them): each would claim the cell, and the header's rows would not add up to
        # its columns. Said at the second merge, naming the first, not read as either.
        if (clash := next((origin.get(cell, cell) for cell in under if cell in origin or cell in span_at),
                          None)) is not None:
            top, left = read.offset
            first = cell_name(name, clash[0] + top, clash[1] + left).rsplit("!", 1)[1]
            shown = grid[r0][c0] or None if r0 < len(grid) and c0 < width else None
            overlaps.append((r0, c0, shown, f"vùng gộp bắt đầu ở ô này chồng lên vùng gộp bắt đầu ở ô {first}; "
                                            "hãy bỏ gộp cả hai rồi gộp lại từng vùng riêng"))
            continue
        span_at[(r0, c0)] = (c1 - c0 + 1, r1 - r0 + 1)
        origin.update({cell: (r0, c0) for cell in under[1:]})
    if overlaps:
        raise _bad_cells(path, read, overlaps)
    covered = set(origin)
    last = cell_name(name, 0, width - 1 + read.offset[1]).rsplit("!", 1)[1].rstrip("0123456789")
    head = _Head(grid, header_at, lead, width, span_at, origin, last)
    # A data row's merge reaching past the table's columns (or in from an empty column left of it)
    # would give its row more cells than the table has columns: said at its cell, as the header's are.
    outside = [(r0, c0, grid[r0][c0] or None, f"ô gộp {number_vi(span)} cột, {why}; hãy gộp vừa đúng các "
                "cột của bảng") for (r0, c0), (span, _) in span_at.items()
               if r0 >= head.body_at and (why := _outside(c0, span, lead, width, last))]
    problems = head.problems + outside + _cell_problems(grid, head.body_at, head.titles, covered, span_at)
    if read.problems or problems:
        raise _bad_cells(path, read, problems)
    columns = [{"title": head.titles[c] or None, "width": 1.0} for c in range(lead, width)]
    rows: list[list[Any]] = []
    for r in range(head.body_at, len(grid)):
        if not any(grid[r]) and not any((r, c) in covered for c in range(width)):
            continue
        cells: list[Any] = []
        for c in range(lead, width):
            if (r, c) in covered:
                continue
            value: Any = grid[r][c] or None
            span, rowspan = span_at.get((r, c), (1, 1))
            if span > 1 or rowspan > 1:
                value = {"text": value}
                if span > 1:
                    value["span"] = span
                if rowspan > 1:
                    value["rowspan"] = rowspan
            cells.append(value)
        while cells and cells[-1] is None and len(cells) > 1:
            cells.pop()  # a short row: the table fills the rest with one empty cell
        rows.append(cells)
    # Widths follow the longest text of each column (STT narrow, contents wide), within 1..8. A cell
    # merged across columns is printed across them all: its text is its range's to fit (the range's
    # columns widened together when they are too narrow for it), not its first column's.
    def alone(r: int, c: int) -> bool:
        return span_at.get((r, c), (1, 1))[0] == 1

    widths = [_fitted(max((len(grid[r][c]) for r in range(header_at, len(grid)) if alone(r, c)), default=1) / 12)
              for c in range(lead, width)]
    for (r, c0), (span, _) in span_at.items():
        at = slice(c0 - lead, c0 - lead + span)
        have = sum(widths[at])
        if span > 1 and have < (want := len(grid[r][c0]) / 12):
            widths[at] = [_fitted(w * want / have) for w in widths[at]]
    for column, c, w in zip(columns, range(lead, width), widths, strict=True):
        column["width"] = w
        short = all(len(grid[r][c]) <= 12 for r in range(head.body_at, len(grid)) if alone(r, c))
        # The STT column is centred whatever its other cells hold (a group's "I." or a note).
        column["align"] = "center" if short or NUMBER_HEAD.match(head.titles[c].strip()) else "left"
    table: dict[str, Any] = {"columns": columns}
    if head.rows:
        table["header_rows"] = head.rows
    if head.numbers is not None:
        table["column_numbers"] = head.numbers
    derived = numbered_groups(columns, rows)
    if derived is not None:
        table.update(derived)
    else:
        table["rows"] = rows
    return SheetTable(table, titles, name)


def _fitted(width: float) -> float:
    """A column's relative width as the model takes it: a tenth's precision, within 1..8."""
    return float(min(max(round(width, 1), 1.0), 8.0))


def _outside(c0: int, span: int, lead: int, width: int, last: str) -> str | None:
    """Why a merge from column c0 across span columns is no cell of the table's columns lead..width-1
    (past its last column with text, named `last` as the sheet names it, or in from an empty column
    left of its first), or None."""
    if c0 + span > width:
        return f"vượt quá cột cuối có chữ của bảng (cột {last})"
    if c0 < lead < c0 + span:
        # Its first cell, the one Excel prints, stands in an empty column left of the table: the
        # table's first columns would have no cell of their own in this row.
        return "bắt đầu từ cột trống bên trái bảng"
    return None


class _Head:
    """A sheet's header as a clerk types it: its first row of titles, the rows a title merged down
    from it reaches (a heading over sub-headings: "Thời gian thực hiện" merged across "Bắt đầu |
    Kết thúc", "STT" merged down beside them), and under them a row of column numbers "(1) (2) (3)"
    (recognise/column_numbers.py, the rule a Word table's row is judged by). What the model holds:
    each column's title (the lowest row's, or the title merged down to it), the rows above it as
    header_rows with span and rowspan, the numbers as column_numbers; a merge the columns cannot
    hold is a problem at its cell."""

    def __init__(self, grid: list[list[str]], at: int, lead: int, width: int, span_at: Spans,
                 origin: Origins, last: str):
        self.grid, self.span_at, self.origin = grid, span_at, origin
        self.problems: Problems = []
        self.rows: list[list[Any]] = []
        self.numbers: list[str | None] | None = None
        end = self._end(at)
        bottom = end - 1
        self.titles = list(grid[at])
        for (r0, c0), (span, _) in span_at.items():
            if not at <= r0 < end:
                continue
            if why := _outside(c0, span, lead, width, last):
                self._problem(r0, c0, f"ô tiêu đề gộp {number_vi(span)} cột, {why}; hãy gộp vừa đúng các cột "
                                      "của bảng")
            elif end - at > 1 and r0 == bottom and span > 1:
                self._problem(r0, c0, f"ô gộp {number_vi(span)} cột ở hàng tiêu đề cuối (hàng đặt tên từng cột, dưới "
                                      "các tiêu đề nhóm); mỗi cột cần một tiêu đề: hãy bỏ gộp ngang ô này")
        if end - at > 1:
            self.titles = [self._title(bottom, c) for c in range(len(grid[at]))]
            self.rows = [self._cells(r, lead, width) for r in range(at, bottom)]
        self.body_at = end
        if end < len(grid):
            self._numbers(end, lead, width)

    def _end(self, at: int) -> int:
        """The row after the header: the first row's, and each row a title merged down from a row
        of the header reaches; past MAX_HEADER_ROWS rows, a problem at the title merged down."""
        end = at + 1
        # Followed no further than one row past the most a header may be: merges each reaching one
        # row lower (A1:A2, B2:B3, A3:A4, …) would else be followed down the whole sheet, a scan of
        # every merge at each row (50,000 rows of them: minutes).
        while end - at <= MAX_HEADER_ROWS and (reach := max(
                (r0 + rows for (r0, _), (_, rows) in self.span_at.items() if at <= r0 < end), default=end)) > end:
            end = reach
        if end - at > MAX_HEADER_ROWS:
            # Named at the title merged down the farthest: the one that carries the header into the data.
            (r0, c0), (_, rows) = max(((k, v) for k, v in self.span_at.items() if at <= k[0] < end),
                                      key=lambda kv: kv[0][0] + kv[1][1])
            self._problem(r0, c0, f"ô tiêu đề gộp xuống {number_vi(rows)} hàng nên tiêu đề bảng cao "
                                  f"{number_vi(end - at)} hàng (tối đa {MAX_HEADER_ROWS}); hãy chỉ gộp trong các "
                                  "hàng tiêu đề, không gộp xuống hàng dữ liệu")
        return min(end, len(self.grid))

    def _title(self, bottom: int, c: int) -> str:
        """Column c's own title: the lowest header row's text, or that of the title merged down to it."""
        r0, c0 = self.origin.get((bottom, c), (bottom, c))
        return self.grid[r0][c0] if c0 == c else ""

    def _cells(self, r: int, lead: int, width: int) -> list[Any]:
        """Row r of the header as the model's cells: each cell a merge does not cover, its span and rowspan."""
        cells: list[Any] = []
        for c in range(lead, width):
            if (r, c) in self.origin:
                continue
            value: Any = self.grid[r][c] or None
            span, rows = self.span_at.get((r, c), (1, 1))
            if span > 1 or rows > 1:
                value = {"text": value, **({"span": span} if span > 1 else {}),
                         **({"rowspan": rows} if rows > 1 else {})}
            cells.append(value)
        return cells

    def _numbers(self, r: int, lead: int, width: int) -> None:
        """Row r, right under the header, kept as the columns' numbers and left out of the data when
        it is one (one label a column: a label merged over two columns is a problem at its cell)."""
        from ..recognise.column_numbers import is_numbers_row

        grid = self.grid
        if not is_numbers_row([grid[r][c] for c in range(lead, width)], grid[r + 1][lead] if r + 1 < len(grid) else ""):
            return
        merged = [(r, c) for c in range(lead, width) if self.span_at.get((r, c), (1, 1)) != (1, 1)]
        merged += [self.origin[(r, c)] for c in range(lead, width) if (r, c) in self.origin]
        if merged:
            self._problem(*merged[0], "hàng số thứ tự cột dưới tiêu đề có ô gộp; mỗi cột một nhãn ((1), (2), …): hãy "
                                  "bỏ gộp ô này")
            return
        self.numbers = [grid[r][c] or None for c in range(lead, width)]
        self.body_at = r + 1

    def _problem(self, r: int, c: int, message: str) -> None:
        self.problems.append((r, c, self.grid[r][c] or None, message))


def _cell_problems(grid: list[list[str]], body_at: int, titles: list[str], covered: set[tuple[int, int]],
                   span_at: Spans) -> Problems:
    """Cells that would print wrong: a task row with its content cell empty (an empty row in the
    plan), a date that is no day of the calendar, a cell longer than Excel allows. The data starts
    at row body_at; titles are the columns' own."""
    out: Problems = []
    content = next((c for c, text in enumerate(titles) if CONTENT_HEAD.match(text.strip())), None)
    for r in range(len(grid)):
        for c, text in enumerate(grid[r]):
            if len(text) > limits.MAX_CELL_CHARS:
                out.append((r, c, text[:40] + "…", f"ô dài {number_vi(len(text))} ký tự, tối đa "
                                                   f"{number_vi(limits.MAX_CELL_CHARS)} (giới hạn của Excel); "
                                                   "hãy rút gọn"))
            elif r >= body_at and (why := _date_problem(text)):
                out.append((r, c, text, why))
        if r < body_at or content is None or grid[r][content] or (r, content) in covered:
            continue
        others = [c for c, text in enumerate(grid[r]) if text and c != content]
        wide = any(span_at.get((r, c), (1, 1))[0] > 1 for c in others)  # a group name merged across
        if others and not wide:
            # Name the row by its words, not its STT number: "… trống ở hàng có 'Phòng Kế hoạch'".
            shown = next((grid[r][c] for c in others if not grid[r][c].isdigit()), grid[r][others[0]])
            out.append((r, content, None, f"ô '{titles[content]}' trống ở hàng có '{shown[:60]}'; hãy ghi "
                                          "nội dung hoặc xóa hàng này"))
    return out


def _bad_cells(path: Path, read: _Grid, found: list[tuple[int, int, str | None, str]]) -> BadCells:
    top, left = read.offset
    problems = [Problem(str(path), None, None, cell_name(read.name, r + top, c + left), value, message)
                for r, c, value, message in sorted(read.problems + found)]
    return BadCells(problems)
