"""Rows of a table as plan data, and the STT and group rows recognised in them.

Shared by the two ways a table comes in from outside, a Word table (importer.py) and a
spreadsheet (sheets.py): both give rows of cells (text, pieces with emphasis, {lines: …},
{text: …, span: n, rowspan: n}); this module says whether their numbers are the tool's own.
"""

from __future__ import annotations

import re
from typing import Any

from ..text import roman, upper_vi

NUMBER_HEAD = re.compile(r"^(stt|tt|số\s*tt)\.?$", re.I)
"""The heading of a table's STT column."""
STT_NUMBER = re.compile(r"0*([0-9]+)([.)]?)")
"""A row's number in the STT column as drafters type it, or as Word's list numbering prints it: "1",
"1.", "1)", "01". Each prints the same count down the column: the tool's own numbers, printed in the
form the whole column shares (number_format "1", "1." or "1)"; "01" prints "1")."""


def text_of(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "".join(v if isinstance(v, str) else next(iter(v.values())) for v in value)
    if "lines" in value:
        return "\n".join(text_of(x) for x in value["lines"])
    return text_of(value.get("text"))


def numbered_groups(columns: list[dict[str, Any]], rows: list[list[Any]]) -> dict[str, Any] | None:
    """STT and group rows, when the table's own numbers are exactly what the tool would print:
    a first column "STT"/"TT" with 1, 2, … (typed "1.", "1)" or "01" too: STT_NUMBER; running on
    or restarting per group) and group rows "I", "II" with the name across the other columns
    (split) or "I. NAME" in one cell (merged)."""
    if len(columns) < 2 or not NUMBER_HEAD.match(text_of(columns[0].get("title")).strip()):
        return None
    n = len(columns)
    out_rows: list[Any] = []
    groups = 0
    counter = 0
    restart = continued = True
    style = None
    caps = True
    group_no_in = 0
    suffixes: set[str] = set()
    bold = True
    for row in rows:
        if not row:
            return None
        first = row[0]
        if isinstance(first, dict) and first.get("span") == n and len(row) == 1:
            text = text_of(first.get("text")).strip()
            m = re.match(r"^([IVXLC]+)\.\s+(.+)$", text)
            if not m or m.group(1) != roman(groups + 1) or style == "split":
                return None
            style = "merged"
            title = m.group(2)
        elif _group_cells(row, n) and re.fullmatch(r"[IVXLC]+\.?", text_of(first).strip()):
            if text_of(first).strip().rstrip(".") != roman(groups + 1) or style == "merged":
                return None
            style = "split"
            title = text_of(row[1].get("text") if isinstance(row[1], dict) else row[1]).strip()
        else:
            cell = first
            if isinstance(first, dict):
                if "span" in first or "rowspan" in first or "lines" in first:
                    return None  # a merged STT cell is not a number the tool would print
                cell = first.get("text")
            typed = STT_NUMBER.fullmatch(text_of(cell).strip())
            if typed is None:
                return None
            suffixes.add(typed.group(2))
            bold = bold and _all_bold(first)
            num = int(typed.group(1))
            counter += 1
            group_no_in += 1
            restart = restart and num == group_no_in
            continued = continued and num == counter
            if groups == 0:
                out_rows.append(row[1:])
            else:
                out_rows[-1]["rows"].append(row[1:])
            continue
        if "\n" in title or not title:
            return None
        caps = caps and upper_vi(title) == title
        groups += 1
        group_no_in = 0
        out_rows.append({"group": title, "rows": []})
        if groups == 1 and any(not isinstance(r, dict) for r in out_rows[:-1]):
            return None  # rows before the first group cannot sit beside groups
    if not (restart or continued) or counter == 0:
        return None
    derived: dict[str, Any] = {"numbered": True}
    if len(suffixes) == 1 and (suffix := suffixes.pop()):
        derived["number_format"] = f"1{suffix}"  # the page printed "1." down the column: so does the re-render
    if bold:
        derived["number_bold"] = True  # a bold number is still a number: its look is the column's
    if groups:
        derived["numbering"] = "continue" if continued and not restart else "restart"
        derived["group_style"] = style
        if not caps:
            derived["group_caps"] = False
    derived["rows"] = out_rows
    return derived


def _all_bold(cell: Any) -> bool:
    """Whether a cell's text prints bold throughout: {text: …, bold: true}, or pieces all {bold: …}."""
    if isinstance(cell, dict) and "text" in cell:
        return bool(cell.get("bold")) or _all_bold(cell["text"])
    pieces = cell if isinstance(cell, list) else [cell]
    return bool(pieces) and all(isinstance(p, dict) and set(p) == {"bold"} for p in pieces)


def _group_cells(row: list[Any], n: int) -> bool:
    """A split group row: a number cell and the name across the rest, merged (span n-1) or with
    the other cells left empty (a spreadsheet without merges)."""
    cells = list(row)
    while len(cells) > 2 and cells[-1] is None:
        cells.pop()
    if len(cells) != 2 or cells[1] is None:
        return False
    second = cells[1]
    if isinstance(second, dict):
        return second.get("span") == n - 1 and "rowspan" not in second
    return True
