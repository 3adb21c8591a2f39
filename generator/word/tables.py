"""Writing a Word table (w:tbl) from a neutral grid: columns with relative widths, header rows
repeated on every page, cells that span columns (gridSpan) or rows (vMerge), runs with emphasis.

Why in code and not in the template: a plan's tables have any number of columns and merged cells
that a docxtpl row loop cannot express. The look still comes from the template: every cell
paragraph takes a "KH Bảng …" paragraph style, found in the template by its name.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from ..nd30.figures import LANDSCAPE_TEXT_WIDTH_TWIPS, TEXT_WIDTH_TWIPS

if TYPE_CHECKING:
    from .notes import Note

TABLE_STYLES = {
    "head": "KHBangTieuDe",
    "group": "KHBangNhom",
    "number": "KHBangSo",
    "body": "KHBang",
}
"""Which paragraph style each cell role takes, by style ID of the default template: the fallback when
no template was looked at (a TableSpec built outside a render)."""

TABLE_STYLE_NAMES = {
    "head": "KH Bảng tiêu đề",
    "group": "KH Bảng nhóm",
    "number": "KH Bảng số thứ tự",
    "body": "KH Bảng",
}
"""The same styles by name, which is what survives a template saved by LibreOffice (it rewrites
IDs: "KHBang" -> "KHBng"); generator.document.template_parts resolves them to the template's IDs."""


class Piece(NamedTuple):
    """A piece of printed text and its look."""

    text: str
    bold: bool = False
    italic: bool = False
    position: str = ""
    """"" on the line; "superscript" or "subscript": raised or lowered small (w:vertAlign)."""
    note: Note | None = None
    """The text is a note's (its words, for the plain text's sake): a reference mark prints here,
    the note with its looks at the page's foot or the document's end (word/notes)."""


class Runs(Protocol):
    """Anything with runs of printed pieces."""

    runs: list[Piece]


MAX_HEADER_ROWS = 4
"""Rows a table's header may take, its columns' titles included (a title over sub-titles over
sub-sub-titles): deeper is a table of data. The model's bound and the readers' (recognise) both."""


@dataclass
class TableCell:
    paragraphs: list[Any]  # Runs
    align: str | None = None  # None: the column's alignment
    role: str = "body"  # head, group, number, body
    span: int = 1
    rowspan: int = 1
    bold: bool = False


@dataclass
class _Lines:
    """A heading cell's text as the lines it prints on (runs_xml writes "\n" as a line break)."""

    runs: list[Piece]


@dataclass
class TableSpec:
    widths: list[float]
    aligns: list[str]  # per grid column
    header: list[list[TableCell]]
    rows: list[list[TableCell]]
    landscape: bool = False
    styles: dict[str, str] = field(default_factory=lambda: dict(TABLE_STYLES))
    text_width: int | None = None  # twips; the renderer sets it from the template's page
    font_pt: float = 12.0  # the size of the template's "KH Bảng" styles, which cells are measured at
    break_heading: Callable[[str, float, float], list[str]] | None = None
    """(text, room in pt, size in pt) -> the lines a bold heading cell prints on, broken between words
    (the renderer gives it: word/ knows no Vietnamese words); None: Word wraps headings itself."""

    def __html__(self) -> str:
        """The table's XML, for {{p b.xml }} in a template (autoescape calls this); while a document
        is rendered (table_slots), a placeholder for it."""
        width = self.text_width or A4_TEXT_WIDTHS[1 if self.landscape else 0]
        slots = _slots.get()
        if slots is None:
            return table_xml(self, width)
        slots.append(table_xml(self, width, literal=True))
        return f'<kh:tbl xmlns:kh="{_SLOT_NS}" n="{len(slots) - 1}"/>'


# --- tables put in place after the layout pass --------------------------------------------------
#
# Why: a plan's tables are most of its XML (a catalogue is two fifths of the sample's body) and are
# right by construction. Left in Jinja's output, they were parsed after Jinja and written out again
# after the layout pass, which never looks inside them (it sizes the lines under the header, finds
# the signature table and the sections): a fifth of each document's time in a batch (issue 13).
# Rendering leaves a one-element placeholder in their place and keeps their XML aside; the
# finished part's bytes get the XML back, written as lxml writes it (the plain docxtpl path, which
# parses and writes the same XML, gives the same bytes: tests/test_speed.py).

_SLOT_NS = "urn:kehoach:table"
_SLOT = re.compile(rb'<kh:tbl xmlns:kh="urn:kehoach:table" n="(\d+)"/>')
_slots: ContextVar[list[str] | None] = ContextVar("kehoach_table_slots", default=None)


@contextlib.contextmanager
def table_slots() -> Iterator[list[str]]:
    """Within: tables printed by a template are placeholders; their XML is in the list yielded."""
    slots: list[str] = []
    token = _slots.set(slots)
    try:
        yield slots
    finally:
        _slots.reset(token)


def fill_table_slots(part: bytes, slots: list[str]) -> bytes:
    """part (a serialized XML part) with each table placeholder replaced by its table's XML."""
    if not slots or _SLOT_NS.encode() not in part:
        return part
    return _SLOT.sub(lambda m: slots[int(m.group(1))].encode("utf-8"), part)


A4_TEXT_WIDTHS = (TEXT_WIDTH_TWIPS, LANDSCAPE_TEXT_WIDTH_TWIPS)
"""Text width of an A4 page with Decree 30's margins (30 mm left, 15 mm right), portrait and landscape."""


_SPECIAL = re.compile(r"[&<>{}]").search


def _text(value: str, literal: bool = False) -> str:
    # Braces as character references: docxtpl rewrites "{_{" and friends in the rendered XML, and a
    # user's literal braces must print as typed (same reason as render._literal). XML put in place
    # after rendering (literal) never passes docxtpl: braces as they are, as lxml writes them.
    if not _SPECIAL(value):
        return value  # most cell text: nothing to escape, the same string either way
    # xml.sax.saxutils.escape's three replacements, without the 10 ms its import of urllib costs
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return value if literal else value.replace("{", "&#123;").replace("}", "&#125;")


def _attr(value: str) -> str:
    """An attribute value (a style ID from the user's template may hold any character)."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


_EMPTY_T = '<w:t xml:space="preserve"/>'
_JC = {"left": "left", "center": "center", "right": "right", "justify": "both"}


def runs_xml(runs: list[Piece], bold: bool, literal: bool = False) -> str:
    """Word runs for text pieces with their look; \\n is a line break inside the paragraph; a note
    is its reference mark (word/notes). literal: the XML is put in place after rendering (see _text)."""
    out = []
    for text, b, i, position, note in runs:
        if note:
            # Here, not at the top: the plan model reads MAX_HEADER_ROWS from this module, and notes
            # brings lxml and the package writer, which validating a plan never needs.
            from .notes import note_placeholder

            out.append(note_placeholder(note, [runs_xml(line, False, literal=True) for line in _note_paragraphs(note)]))
            continue
        rpr = ("<w:b/><w:bCs/>" if b or bold else "") + ("<w:i/><w:iCs/>" if i else "")
        rpr += f'<w:vertAlign w:val="{position}"/>' if position else ""
        run_pr = f"<w:rPr>{rpr}</w:rPr>" if rpr else ""
        body = "<w:br/>".join(_line_xml(line, run_pr, literal) for line in text.split("\n"))
        out.append(f"<w:r>{run_pr}{body}</w:r>")
    return "".join(out)


def _note_paragraphs(note: Note) -> list[list[Piece]]:
    """A note's runs cut into its paragraphs where its text holds "\n" (each run keeps its look)."""
    out: list[list[Piece]] = [[]]
    for piece in note.runs:
        for k, part in enumerate(piece.text.split("\n")):
            if k:
                out.append([])
            if part:
                out[-1].append(piece._replace(text=part))
    return out


def _line_xml(line: str, run_pr: str, literal: bool) -> str:
    """The w:t of one line of a run. XML put in place after rendering is written as lxml writes
    it (an empty w:t closes itself) and gets what docxtpl's resolve_listing, which it does not
    pass, does to a tab: the run ends, a run of its own holds w:tab, the text goes on in a new run
    with the same properties."""
    if literal and "\t" in line:
        tab = f"</w:r><w:r>{run_pr}<w:tab/></w:r><w:r>{run_pr}"
        return tab.join(_line_xml(part, run_pr, literal) for part in line.split("\t"))
    return f'<w:t xml:space="preserve">{_text(line, literal)}</w:t>' if line else _EMPTY_T


CELL_MARGIN = 108
"""Left and right cell margins in twips (0.19 cm), as Word's default table style ("Table Normal"):
text never touches the borders."""


def _cell_xml(cell: TableCell, width: int, styles: dict[str, str], merge: str | None = None,
              align: str = "left", literal: bool = False, keep_next: bool = False) -> str:
    pr = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if cell.span > 1:
        pr += f'<w:gridSpan w:val="{cell.span}"/>'
    if merge == "restart":
        pr += '<w:vMerge w:val="restart"/>'
    elif merge == "continue":
        pr += "<w:vMerge/>"
    pr += '<w:vAlign w:val="center"/>'
    style = _attr(styles.get(cell.role, styles["body"]))
    keep = "<w:keepNext/>" if keep_next else ""
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/>{keep}<w:jc w:val="{_JC.get(cell.align or align, "left")}"/></w:pPr>'
    paras = cell.paragraphs if merge != "continue" else []
    body = "".join(f"<w:p>{ppr}{runs_xml(p.runs, cell.bold, literal)}</w:p>" for p in paras) or f"<w:p>{ppr}</w:p>"
    return f"<w:tc><w:tcPr>{pr}</w:tcPr>{body}</w:tc>"


def table_xml(spec: TableSpec, text_width: int, literal: bool = False) -> str:
    """The w:tbl element for spec, as wide as text_width twips (the page's text area).
    literal: the XML is put in place after rendering (see _text)."""
    cols = column_widths(spec, text_width)
    n = len(cols)
    edge = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
    borders = "".join(edge.format(e) for e in ("top", "left", "bottom", "right", "insideH", "insideV"))
    out = [
        "<w:tbl><w:tblPr>"
        f'<w:tblW w:w="{text_width}" w:type="dxa"/><w:jc w:val="center"/>'
        f"<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type=\"fixed\"/>"
        f'<w:tblCellMar><w:left w:w="{CELL_MARGIN}" w:type="dxa"/><w:right w:w="{CELL_MARGIN}" w:type="dxa"/>'
        "</w:tblCellMar>"
        '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
        'w:noHBand="0" w:noVBand="0"/>'
        "</w:tblPr><w:tblGrid>" + "".join(f'<w:gridCol w:w="{w}"/>' for w in cols) + "</w:tblGrid>"
    ]
    pending: dict[int, tuple[int, TableCell]] = {}  # grid column -> (rows still covered, cell)
    for ri, row in enumerate([*spec.header, *spec.rows]):
        header = ri < len(spec.header)
        # A group row keeps with the row after it (Word: keepNext on every paragraph of the row),
        # so a group heading never ends a page with its tasks on the next.
        group = bool(row) and row[0].role == "group"
        if group:
            pending.clear()  # a group row closes every vertical merge above it
        cells_xml = []
        queue = list(row)
        col = 0
        while col < n:
            if col in pending:
                left, cell = pending[col]
                span = min(cell.span, n - col)
                cells_xml.append(_cell_xml(cell, sum(cols[col:col + span]), spec.styles, "continue",
                                           literal=literal))
                if left <= 1:
                    del pending[col]
                else:
                    pending[col] = (left - 1, cell)
                col += span
                continue
            # A cell never runs over a column still covered by a merge from the rows above.
            room = 1
            while col + room < n and col + room not in pending:
                room += 1
            if not queue:
                # A short row: the rest of the grid is one empty cell, so every row spans the table.
                filler = TableCell([], span=room)
                cells_xml.append(_cell_xml(filler, sum(cols[col:col + room]), spec.styles, literal=literal,
                                           keep_next=group))
                col += room
                continue
            cell = queue.pop(0)
            span = max(1, min(cell.span, room))
            cell.span = span
            merge = None
            if cell.rowspan > 1:  # in a header: a title over the rows of sub-titles under it
                merge = "restart"
                pending[col] = (cell.rowspan - 1, cell)
            if header and spec.break_heading is not None:
                cell = _broken_heading(cell, sum(cols[col:col + span]), spec)
            cells_xml.append(_cell_xml(cell, sum(cols[col:col + span]), spec.styles, merge,
                                       spec.aligns[col] if cell.role not in ("head", "group") else "left",
                                       literal, keep_next=group))
            col += span
        trpr = "<w:cantSplit/>" + ("<w:tblHeader/>" if header else "")
        out.append(f"<w:tr><w:trPr>{trpr}</w:trPr>{''.join(cells_xml)}</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def _broken_heading(cell: TableCell, width: int, spec: TableSpec) -> TableCell:
    """A column heading too wide for its column, broken between words into balanced lines ("Cơ quan
    / chủ trì", not Word's "Cơ quan chủ / trì"), the space between the words kept before each break.
    Only a heading of one plain run: one typed with its own emphasis or lines is left as written."""
    assert spec.break_heading is not None
    if len(cell.paragraphs) != 1 or len(cell.paragraphs[0].runs) != 1:
        return cell
    text, bold, italic, position, note = cell.paragraphs[0].runs[0]
    if "\n" in text or position or note:
        return cell
    lines = spec.break_heading(text, (width - 2 * CELL_MARGIN) / 20, spec.font_pt)
    if len(lines) < 2:
        return cell
    return TableCell([_Lines([Piece(" \n".join(lines), bold, italic)])], align=cell.align, role=cell.role,
                     span=cell.span, rowspan=cell.rowspan, bold=cell.bold)


# --- column widths from content ---------------------------------------------------------------

_TOKEN = re.compile(r"\S+")
_DATE_PART = re.compile(r"\d[/.-]\d|^[IVX]+/\d|^\d{1,2}/\d")
"""A token that is part of a date or a period ("15/11/2025", "II/2025", "5/2025"): the word before it
("Quý", "Tháng") reads with it and a reader must not see them apart."""


def unbreakable_pieces(text: str) -> list[str]:
    """The pieces of text a line may not break inside: words, with a word glued to the date part
    that follows it ("Quý II/2025")."""
    tokens = _TOKEN.findall(text)
    out: list[str] = []
    for tok in tokens:
        if out and _DATE_PART.search(tok) and len(out[-1]) <= 5 and not _DATE_PART.search(out[-1]):
            out[-1] = f"{out[-1]} {tok}"
        else:
            out.append(tok)
    return out


def column_widths(spec: TableSpec, text_width: int) -> list[int]:
    """Grid column widths in twips: the data's relative widths, then every column widened to hold
    its longest unbreakable piece (a date, a long word) at the table's font size, the room taken
    from the columns that have more than they need. A table whose pieces cannot all fit keeps the
    data's widths."""
    from .metrics import text_width_pt

    total = sum(spec.widths)
    n = len(spec.widths)
    cols = [int(text_width * w / total) for w in spec.widths]
    need = [0] * n
    for ri, row in enumerate([*spec.header, *spec.rows]):
        col = 0
        for cell in row:
            if col >= n:
                break
            if cell.span == 1 and cell.role != "group":
                bold = cell.bold or cell.role == "head" or ri < len(spec.header)
                for para in cell.paragraphs:
                    for piece in unbreakable_pieces("".join(r.text for r in para.runs if not r.note)):
                        width = int(text_width_pt(piece, spec.font_pt, bold=bold) * 20) + 2 * CELL_MARGIN + 20
                        need[col] = max(need[col], width)
            col += max(cell.span, 1)
    if sum(need) <= text_width and any(need[i] > cols[i] for i in range(n)):
        short = [i for i in range(n) if need[i] > cols[i]]
        deficit = sum(need[i] - cols[i] for i in short)
        for i in short:
            cols[i] = need[i]
        spare = {i: cols[i] - need[i] for i in range(n) if i not in short and cols[i] > need[i]}
        room = sum(spare.values())
        for i, s in spare.items():
            cols[i] -= int(deficit * s / room)
    cols[-1] += text_width - sum(cols)
    return cols
