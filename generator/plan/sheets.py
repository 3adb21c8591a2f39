"""Catalogues kept in a spreadsheet (.xlsx, .xls, .ods, .csv) as an appendix table.

Offices keep the task list of a plan in Excel. A sheet becomes a table block of the data: the
first row with two or more filled cells is the header (its cells the columns), rows above it are
the appendix's title lines, merged cells keep their span, and STT/group rows ("I", "II" over
"1", "2") are recognised exactly as in a Word table (table_rows.py).

Readers: openpyxl for .xlsx (the values Excel stored, merged ranges, and formula errors such as
#REF!, which must be reported, not printed blank), python-calamine for .xls and .ods; both read
stored values and never evaluate formulas.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import UserError
from ..text import clean_text
from .table_rows import numbered_groups

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")
ERROR_VALUES = {"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#SPILL!", "#CALC!"}
MAX_CELLS = 200_000
"""A catalogue of 20,000 rows by 10 columns; more is not a plan's appendix."""


class SheetError(UserError):
    """A spreadsheet that cannot become a table; the message names the sheet and the cell."""


@dataclass
class SheetTable:
    """A sheet read as plan data: the table block, the title lines above its header, warnings."""

    table: dict[str, Any]
    titles: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    sheet: str = ""


def cell_name(sheet: str, row: int, col: int) -> str:
    """"Sheet1!C7" for 0-based row 6, column 2 (as Excel names it)."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{sheet}!{letters}{row + 1}"


def _text(value: Any) -> str:
    """A cell's value as the text a reader sees: 1.0 as "1", a date as 20/3/2024."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:g}".replace(".", ",")
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return f"{value.day}/{value.month}/{value.year}"
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return clean_text(str(value)).strip()


def _grid(path: Path, sheet: str | None) -> tuple[str, list[list[str]], list[tuple[tuple[int, int], tuple[int, int]]]]:
    """The sheet's name, its cells as text and its merged ranges ((r0, c0), (r1, c1)), 0-based."""
    if path.suffix.lower() == ".csv":
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise SheetError(f"{path}: tệp CSV không phải UTF-8; hãy lưu lại bằng 'CSV UTF-8'") from None
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        rows = [[clean_text(c).strip() for c in row] for row in csv.reader(io.StringIO(text), dialect)]
        return path.stem, rows, []
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _xlsx_grid(path, sheet)
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for damaged or unknown files
        raise SheetError(
            f"{path}: không đọc được bảng tính ({exc}); tệp hỏng hoặc không phải .xlsx/.xls/.ods"
        ) from None
    names = book.sheet_names
    if not names:
        raise SheetError(f"{path}: bảng tính không có trang tính nào")
    name = sheet or names[0]
    if name not in names:
        raise SheetError(f"{path}: không có trang tính '{name}'; các trang tính có: {', '.join(names)}")
    data = book.get_sheet_by_name(name)
    values = data.to_python(skip_empty_area=False)
    merged = list(data.merged_cell_ranges or [])
    start = data.start or (0, 0)
    # to_python starts at the sheet's first used cell: shift merged ranges the same way.
    merged = [((r0 - start[0], c0 - start[1]), (r1 - start[0], c1 - start[1])) for (r0, c0), (r1, c1) in merged]
    for r, row in enumerate(values):
        for c, value in enumerate(row):
            if isinstance(value, str) and value.strip() in ERROR_VALUES:
                raise SheetError(f"{path}: ô {cell_name(name, r + start[0], c + start[1])} có lỗi công thức "
                                 f"{value.strip()}; hãy sửa trong bảng tính rồi nhập lại")
    return name, [[_text(v) for v in row] for row in values], merged


def _xlsx_grid(
    path: Path, sheet: str | None
) -> tuple[str, list[list[str]], list[tuple[tuple[int, int], tuple[int, int]]]]:
    import zipfile

    import openpyxl

    try:
        book = openpyxl.load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise SheetError(
            f"{path}: không đọc được bảng tính ({type(exc).__name__}); tệp hỏng hoặc không phải .xlsx"
        ) from None
    names = book.sheetnames
    name = sheet or names[0]
    if name not in names:
        raise SheetError(f"{path}: không có trang tính '{name}'; các trang tính có: {', '.join(names)}")
    ws = book[name]
    rows: list[list[str]] = []
    for row in ws.iter_rows():
        out = []
        for cell in row:
            if cell.data_type == "e" or (isinstance(cell.value, str) and cell.value.strip() in ERROR_VALUES):
                raise SheetError(f"{path}: ô {name}!{cell.coordinate} có lỗi công thức {cell.value}; "
                                 "hãy sửa trong bảng tính rồi nhập lại")
            out.append(_text(cell.value))
        rows.append(out)
    merged = [((r.min_row - 1, r.min_col - 1), (r.max_row - 1, r.max_col - 1)) for r in ws.merged_cells.ranges]
    return name, rows, merged


def read_sheet(path: str | Path, sheet: str | None = None) -> SheetTable:
    """Read one sheet (the first when none is named) as an appendix table."""
    path = Path(path)
    if not path.exists():
        raise SheetError(f"{path}: không tìm thấy tệp")
    name, grid, merged = _grid(path, sheet)
    if sum(len(r) for r in grid) > MAX_CELLS:
        raise SheetError(f"{path}: trang tính '{name}' quá lớn (hơn {MAX_CELLS} ô) để làm phụ lục")
    width = max((len(r) for r in grid), default=0)
    grid = [r + [""] * (width - len(r)) for r in grid]
    # Trailing empty rows and columns are not part of the table.
    while grid and not any(grid[-1]):
        grid.pop()
    while width and not any(r[width - 1] for r in grid):
        width -= 1
        grid = [r[:width] for r in grid]
    header_at = next((i for i, r in enumerate(grid) if sum(1 for c in r if c) >= 2), None)
    if header_at is None:
        raise SheetError(f"{path}: trang tính '{name}' không có hàng tiêu đề (hàng có ít nhất hai ô có chữ)")
    titles = [next(c for c in r if c) for r in grid[:header_at] if any(r)]
    span_at: dict[tuple[int, int], tuple[int, int]] = {}
    covered: set[tuple[int, int]] = set()
    for (r0, c0), (r1, c1) in merged:
        if r0 < header_at:
            continue
        span_at[(r0, c0)] = (c1 - c0 + 1, r1 - r0 + 1)
        covered |= {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)} - {(r0, c0)}
    header = grid[header_at]
    columns = [{"title": header[c] or None, "width": 1.0} for c in range(width)]
    rows: list[list[Any]] = []
    for r in range(header_at + 1, len(grid)):
        if not any(grid[r]) and not any((r, c) in covered for c in range(width)):
            continue
        cells: list[Any] = []
        for c in range(width):
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
    # Widths follow the longest text of each column (STT narrow, contents wide), within 1..8.
    for c in range(width):
        longest = max((len(grid[r][c]) for r in range(header_at, len(grid))), default=1)
        columns[c]["width"] = float(min(max(round(longest / 12, 1), 1.0), 8.0))
        short = all(len(grid[r][c]) <= 12 for r in range(header_at + 1, len(grid)))
        columns[c]["align"] = "center" if short else "left"
    table: dict[str, Any] = {"columns": columns}
    derived = numbered_groups(columns, rows)
    if derived is not None:
        table.update(derived)
    else:
        table["rows"] = rows
    return SheetTable(table, titles, [], name)


def sheet_rows(path: str | Path, sheet: str | None = None) -> tuple[str, list[list[str]]]:
    """A sheet's name and its cells as the text a reader sees (dates as 20/3/2024), row by row:
    for lists kept in a spreadsheet that are not a catalogue (batch's units)."""
    path = Path(path)
    if not path.exists():
        raise SheetError(f"{path}: không tìm thấy tệp")
    name, grid, _ = _grid(path, sheet)
    if sum(len(r) for r in grid) > MAX_CELLS:
        raise SheetError(f"{path}: trang tính '{name}' quá lớn (hơn {MAX_CELLS} ô)")
    return name, grid
