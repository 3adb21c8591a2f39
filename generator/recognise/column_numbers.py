"""The row of column numbers a catalogue or statistics table prints under its header: "(1) (2) (3)…",
"1 2 3…", "A B 1 2…", a formula "(4)=(2)+(3)" standing for its column. It is part of the table's head
(readers cite a column by it), never a row of content: `check` does not count it as a task, `import`
keeps it as the table's column numbers. The one rule both read."""

from __future__ import annotations

import re

from ..word.reader import Table, TableCell, is_bold, is_centred
from ..word.tables import MAX_HEADER_ROWS

_LABEL_RE = re.compile(r"^\(?(?P<label>\d{1,2}|[A-Z])\)?(?:\s*=\s*[\s()\dA-Z+\-−x×*/:.,]+)?$")
"""A column label as typed: "(3)", "3", "C", "(C)", or a formula led by its label "(4)=(2)+(3)",
"5 = 3 x 4" (the label is the column's, the rest says how it is computed)."""

MAX_HEAD_ROWS = MAX_HEADER_ROWS
"""Rows a header may take (a heading over two sub-headings, merged down): deeper is a table of data."""


def _text(cell: TableCell) -> str:
    return " ".join(p.text for p in cell.paras if p.text).strip()


def _label(text: str) -> str | None:
    m = _LABEL_RE.match(text.replace("\u00a0", " "))
    return m.group("label") if m else None


def labels_in_sequence(texts: list[str]) -> bool:
    """Whether the non-empty texts are column labels counting on: letters A, B, … then numbers 1,
    2, … (or numbers alone from 1); an empty cell (an STT column left blank) counts nothing. Two
    labels at least: one "1" is a first data row's number."""
    labels = [_label(t) for t in texts if t]
    if len(labels) < 2 or any(x is None for x in labels):
        return False
    letter, number = ord("A"), 1
    for x in labels:
        assert x is not None
        if x.isdigit():
            if int(x) != number:
                return False
            number += 1
        elif number == 1 and ord(x) == letter:
            letter += 1
        else:
            return False
    return True


def header_depth(table: Table) -> int:
    """How many rows the table's header takes: its first row, and each row under it that continues a
    cell merged down from above (a heading over sub-headings)."""
    depth = 1
    while depth < min(len(table.rows), MAX_HEAD_ROWS) and any(c.merge == "continue" for c in table.rows[depth]):
        depth += 1
    return depth


def head_rows(table: Table) -> int:
    """How many rows a table's header of several rows takes ("Thời gian thực hiện" over "Bắt đầu |
    Kết thúc", "STT" merged down beside them): its depth (header_depth) when every label in those
    rows prints as one (bold or centred), each row fills the grid, a cell merged down ends within
    them (the first data row continues none) and the lowest row gives each column a title of its own
    or one merged down from above;
    otherwise 1 (a one-row header, or none: the caller judges row 0 as before)."""
    depth = header_depth(table)
    if depth < 2 or depth >= len(table.rows):
        return 1
    if any(c.merge == "continue" for c in table.rows[depth]):
        return 1  # the merges run on into the rows below: content merged down, not a header
    if any(sum(c.span for c in row) != len(table.widths) for row in table.rows[:depth]):
        return 1  # a row short of the grid (or over it): no header the columns can be read from
    if any(c.span != 1 for c in table.rows[depth - 1] if c.merge != "continue"):
        return 1
    labels = [p for row in table.rows[:depth] for c in row if c.merge != "continue" for p in c.paras if p.text]
    if not labels or not all(is_bold(p) or is_centred(p) for p in labels):
        return 1
    return depth


def column_number_row(table: Table) -> int | None:
    """The index of the table's row of column numbers: the row right under its header, with a cell
    for every grid column (spans counted in the header, none in this row), every non-empty cell a
    label in sequence, and, for plain numbers, the page saying they number the columns
    (_shown_as_labels). None when the table has none (a first data row "1 | Tuyên truyền… | Sở …"
    has text beside its number; "1 | 2 | 3" over "2 | …" is the first task of a list)."""
    at = header_depth(table)
    if at >= len(table.rows) or not any(_text(c) for c in table.rows[0]):
        return None
    row = table.rows[at]
    if len(row) != len(table.widths) or any(c.span != 1 or c.merge == "continue" for c in row):
        return None
    if labels_in_sequence([_text(c) for c in table.rows[0]]):
        return None  # the first row is itself a row of numbers: no header above this one
    below = table.rows[at + 1] if at + 1 < len(table.rows) else None
    return at if is_numbers_row([_text(c) for c in row], _text(below[0]) if below else "") else None


def is_numbers_row(texts: list[str], next_first: str) -> bool:
    """Whether a row of one text per column, right under a table's header, is its column numbers,
    next_first the first cell of the row under it ("" when none): labels in sequence that the page
    shows as the columns' numbers (_shown_as_labels). The one rule of a Word table's row and of a
    spreadsheet's (plan/sheets.py)."""
    return labels_in_sequence(texts) and _shown_as_labels(texts, next_first)


_PLAIN_NUMBER_RE = re.compile(r"^\d{1,3}$")


def _plain_number(text: str) -> int | None:
    text = text.replace("\u00a0", " ").strip()
    return int(text) if _PLAIN_NUMBER_RE.match(text) else None


def _shown_as_labels(texts: list[str], next_first: str) -> bool:
    """Whether a row of labels in sequence is column numbers by what the page shows, not a first
    data row. "(1)", "A", a formula are labels as typed: no row of data reads so. A row of plain
    numbers "1 | 2 | 3" is also what a first task numbered 1 with figures 2, 3 beside it prints; it
    is the columns' numbers when the list under it starts at 1 (the STT below it is "1"), never when
    the list counts on from it (its STT 1, the next row's 2: a task), else only when it numbers every
    column in order (an STT column left blank aside): a row with a figure missing is data."""
    if any(t and _plain_number(t) is None for t in texts):
        return True
    first, after = _plain_number(texts[0]), _plain_number(next_first)
    if after == 1:
        return True
    if first is not None and after == first + 1:
        return False
    return all(texts[1:])
