"""A units list straight from a spreadsheet (.xlsx, .xls, .ods, .csv), as mail merge users keep it.

One row per unit under a header row (the first row with two or more filled cells). Columns are
named in the văn thư's words or by the field's path: Tên (đơn vị), Số, Ngày, Cơ quan, Viết tắt,
Người ký, Chức vụ, Khóa (a phòng's key: the copies of one agency, mode internal), or any plan
field written as a path (agency.place, signer.authority). An empty cell leaves the field to the
model plan; an STT column is skipped. A cell merged down several rows is the value of each unit
in them, as Excel prints it; a formula reads as the value the file stores for it, and a formula's
error (#REF!) or a formula with no stored value is refused at its cell. The result is the
same data a units YAML file gives, with each value's cell kept, so a mistake is reported at Sheet!C5.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import DataError, Problem
from ..plan.loader import Loc, Source
from ..plan.sheets import SPREADSHEET_SUFFIXES, cell_name, sheet_rows, uncomputed_problems
from ..text import slugify
from ..word.sheet_guard import SheetTooBig, SheetUse

COLUMNS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("ten", "ten-don-vi", "don-vi", "name"), ("name",)),
    **dict.fromkeys(("so", "so-van-ban", "so-vb", "number"), ("number",)),
    **dict.fromkeys(("ngay", "ngay-ban-hanh", "ngay-van-ban", "date"), ("date",)),
    **dict.fromkeys(("khoa", "khoa-don-vi", "ma-don-vi", "unit"), ("unit",)),
    **dict.fromkeys(("co-quan", "co-quan-ban-hanh", "ten-co-quan"), ("agency", "name")),
    **dict.fromkeys(("viet-tat", "ten-viet-tat", "ky-hieu-co-quan"), ("agency", "abbreviation")),
    **dict.fromkeys(("nguoi-ky", "ho-ten-nguoi-ky"), ("signer", "name")),
    **dict.fromkeys(("chuc-vu", "chuc-vu-nguoi-ky"), ("signer", "title")),
    **dict.fromkeys(("ban-trich", "extract"), ("extract",)),
    **dict.fromkeys(("thuoc", "member-of"), ("member_of",)),
}
SKIPPED = {"stt", "tt", "so-tt", "so-thu-tu", "ghi-chu"}
PATH = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+")
YES = {"x", "co", "true", "1", "yes"}


UNITS_SHEET = SheetUse("quá lớn so với một danh sách đơn vị",
                       "Mỗi đơn vị một hàng: hãy chép riêng danh sách đơn vị sang một trang tính hoặc tệp mới")
"""A units sheet refused for its size, in its own words (not a catalogue's)."""


def is_sheet(path: str | Path) -> bool:
    return Path(path).suffix.lower() in SPREADSHEET_SUFFIXES


def read_units_sheet(path: str | Path) -> Source:
    """The units of a spreadsheet as a parsed units file; DataError naming every unknown column."""
    file = str(path)
    try:
        cells = sheet_rows(path)
    except SheetTooBig as exc:
        raise exc.said_as(UNITS_SHEET) from None  # the size refusal in a units list's words
    sheet, grid = cells.name, cells.rows
    # A formula whose value the file does not hold reads empty: the model plan's value would go out
    # in its place (another agency's name), or the header be looked for in the wrong row. Said at
    # its cell, wherever it is on the sheet.
    uncomputed = [Problem(file, None, None, cell_name(sheet, r, c), value, message)
                  for r, c, value, message in uncomputed_problems(cells.uncomputed)]
    header_at = next((i for i, r in enumerate(grid) if sum(1 for c in r if c) >= 2), None)
    if header_at is None:
        if uncomputed:
            raise DataError(uncomputed)
        raise DataError([Problem(file, None, None, "", None, (
            f"trang tính '{sheet}' không có hàng tiêu đề (ví dụ: Tên | Số | Ngày | Cơ quan | Viết tắt)"))])
    columns: dict[int, tuple[str, ...]] = {}
    problems = list(uncomputed)
    for c, title in enumerate(grid[header_at]):
        key = slugify(title, "")
        if not title or key in SKIPPED:
            continue
        found = COLUMNS.get(key) or (tuple(title.strip().split(".")) if PATH.fullmatch(title.strip()) else None)
        if found is None:
            problems.append(Problem(file, None, None, cell_name(sheet, header_at, c), title, (
                "cột không nhận ra; dùng Tên, Số, Ngày, Cơ quan, Viết tắt, Người ký, Chức vụ, Khóa, "
                "hoặc đường dẫn trường như agency.place")))
        else:
            columns[c] = found
    # A cell whose formula gives an error prints "#REF!": said at its cell, never left to the model plan.
    problems += [Problem(file, None, None, cell_name(sheet, r, c), value, message)
                 for r, c, value, message in cells.problems if r >= header_at]
    if problems:
        raise DataError(problems)
    at = _merged_down(cells.merged, header_at)
    internal = ("unit",) in columns.values()
    units: list[dict[str, Any]] = []
    marks: dict[Loc, tuple[int, int]] = {}
    for r in range(header_at + 1, len(grid)):
        row = grid[r]
        if not any(row[c] for c in columns if c < len(row)):
            continue  # an empty row (one a merged cell runs through is no unit of its own either)
        i = len(units)
        entry: dict[str, Any] = {}
        marks[("units", i)] = (r + 1, 1)
        for c, where in columns.items():
            rv, cv = at.get((r, c), (r, c))
            text = grid[rv][cv] if cv < len(grid[rv]) else ""
            if not text:
                continue
            value: Any = text
            if where == ("extract",):
                value = slugify(text, "") in YES
            elif where == ("member_of",):
                value = [k.strip() for k in re.split(r"[,;]", text) if k.strip()]
            node = entry
            for part in where[:-1]:
                node = node.setdefault(part, {})
            node[where[-1]] = value
            marks[("units", i, *where)] = (rv + 1, cv + 1)
        units.append(entry)
    data = {"mode": "internal" if internal else "implementing", "units": units}
    return SheetSource(file, data, marks, {}, sheet)


def _merged_down(merged: list[tuple[tuple[int, int], tuple[int, int]]],
                 header_at: int) -> dict[tuple[int, int], tuple[int, int]]:
    """The cell whose value each cell under a merged range shows: Excel prints a range merged down
    a column ("Giám đốc" once beside three Sở) as one value for every row it spans, so each of those
    units takes it, and a mistake in it is said at the cell that holds it (the range's first)."""
    return {(r, c0): (r0, c0) for (r0, c0), (r1, _c1) in merged if r0 > header_at
            for r in range(r0 + 1, r1 + 1)}


@dataclass
class SheetSource(Source):
    """A units list read from a sheet: its positions are rows and columns of that sheet."""

    sheet: str = ""


def at_cells(problems: list[Problem] | tuple[Problem, ...], source: Source) -> tuple[Problem, ...]:
    """Problems of a units sheet located as Excel names cells (Sheet1!C5) instead of line:column."""
    if not isinstance(source, SheetSource):
        return tuple(problems)
    sheet = source.sheet
    out = []
    for p in problems:
        if p.line is None:
            out.append(p)
            continue
        cell = cell_name(sheet, p.line - 1, (p.column or 1) - 1)
        out.append(Problem(p.file, None, None, f"{cell}: {p.path}" if p.path else cell, p.value, p.message))
    return tuple(out)
