"""The one reader of a .docx: what any reader of Word sees, with no notion of what the document is.

The result (`WordDocument`) is neutral: paragraphs as visual lines (a paragraph split at its manual
line breaks, each line with its runs' resolved formatting and its place: section, table cell, column
width), top-level tables with their cells, spans, vertical merges and grid widths, sections with their
page geometry, headers and footers, Word's automatic list numbers as printed, text in text boxes. What
the document is, and which line is which of its parts, is recognised above this wing
(generator/recognise), which `check` and `import` both consume.

What prints side by side reads as a table whatever made it: a real table; text boxes anchored in one
paragraph (one row, a cell per box, left to right); lines set in two columns with tab stops (a row per
line, each piece in the column its stop puts it in; which paragraphs those are, the caller says through
`columns`). Drawn lines (`Drawing`) are placed where they land, from their paragraph, the column, the
margin or the page.

Public API:
- `read_word(path, columns=None) -> WordDocument`.
- `Drawing(doc, upto).line_under(lines) -> Line | None`: the line printed right under some lines.
- `rendered_lines(para) -> list[tuple[str, float]]`: the printed lines of a paragraph and their widths
  (pt, Times New Roman metrics, character spacing included); `text_width`, `middle`, `starts_page`.
- `is_centred`, `is_bold`, `is_italic`, `is_capitals`, `text_size`: how a line looks.
- `visible_runs`, `visible_text`, `run_text`, `norm`: what a reader sees of a w:p; `blocks`: the paragraphs,
  tables, rows and cells of a container with content controls and custom XML looked through.
"""

from __future__ import annotations

import copy
import dataclasses
import io
import itertools
import math
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

from docx.oxml import parse_xml
from docx.oxml.ns import qn
from lxml.etree import _Element

from ..errors import UserError
from ..nd30.figures import A4_TWIPS
from ..text import upper_vi
from .formatting import Formatting, ParaFormat, RunFormat, font_family, measure, symbol_font
from .legacy_fonts import Context, as_drawn, names_legacy_font
from .metrics import text_width_pt
from .numbering import ListNumbers

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

EMU_PER_PT = 12700
WPS_NS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
V_NS = "urn:schemas-microsoft-com:vml"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"


# Spaces Word prints as a space, whatever their width (no-break, thin, figure, ideographic…), and
# the full-width punctuation an input method left in that mode types ("Số：" prints as "Số:").
_SPACES_RE = re.compile("[\xa0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_FULL_WIDTH_RE = re.compile("[\uff01-\uff1f]")
_FULL_WIDTH = str.maketrans({chr(0xFF00 + ord(c) - 0x20): c for c in "!\"#%&'(),-./:;?"})


def as_printed(text: str) -> str:
    """NFC, every kind of space (no-break, thin, ideographic…) as the space it prints: the letters and
    spaces of the page, nothing collapsed."""
    return _SPACES_RE.sub(" ", unicodedata.normalize("NFC", text))


def norm(text: str) -> str:
    """`as_printed`, full-width punctuation as typed ASCII, runs of spaces collapsed, trimmed."""
    text = as_printed(text)
    if _FULL_WIDTH_RE.search(text):  # rare: translate (slow, per character) only when needed
        text = text.translate(_FULL_WIDTH)
    return re.sub(r"[ \t]+", " ", text).strip()


@dataclass
class Cell:
    """Where a paragraph sits in a table: which table, row, column, and the room for text."""

    table: int
    row: int
    col: int
    width: int  # twips available for text: cell width minus cell margins
    grid_col: int = 0  # first grid column the cell covers (cells of one grid column stack up)
    left: int = 0  # twips from the table's left edge to the cell's text area

    def __str__(self) -> str:
        return f"bảng {self.table + 1}, hàng {self.row + 1}, cột {self.col + 1}"

    def stacks_with(self, other: Cell) -> bool:
        """Whether the two cells print in one column of their table: the middle of either's text
        area lies within the other's. Not their grid columns: rows of one table may be cut at other
        grid columns (a row starting one column in, w:gridBefore; a cell split in one row only) and
        still stack their text in one printed column."""
        if self.table != other.table:
            return False
        return (self.left <= other.left + other.width / 2 <= self.left + self.width
                or other.left <= self.left + self.width / 2 <= other.left + other.width)


@dataclass
class Run:
    text: str
    fmt: RunFormat
    note: Note | None = None
    """At a footnote's or an endnote's reference mark (w:footnoteReference, w:endnoteReference): the
    note. Word prints a number (or the drafter's own mark) at the mark and the note at the page's
    foot or the document's end; the run's own text is empty, so a line's text reads as it did
    without notes (the number or mark is no word of the sentence)."""


@dataclass
class Note:
    """A footnote or an endnote as printed: its paragraphs as read (runs with their looks), without
    the number or mark that opens the first."""

    paras: list[Para]
    endnote: bool = False
    mark: str = ""
    """The drafter's own mark printed instead of Word's number (w:customMarkFollows: "*"), "" for
    the number."""

    @property
    def text(self) -> str:
        """Its paragraphs' text, one a line."""
        return "\n".join(p.text for p in self.paras if p.text)


@dataclass(frozen=True)
class Origin:
    """Where a document's lines stand in the file that prints them (WordDocument.part): a message then
    names a line or a section as the user finds it in that file, not as the part counts them."""

    line: int = 0  # the file's index of the part's first line
    section: int = 0  # the file's index of the part's first section
    sections: int = 0  # sections of the whole file; 0 for a whole file (its own count holds)


@dataclass
class Para:
    """One paragraph with its text, effective formatting and place."""

    text: str
    el: _Element | None = None  # the w:p; None for a data file's paragraphs
    fmt: ParaFormat | None = None  # None for a data file's paragraphs
    runs: list[Run] = field(default_factory=list)
    section: int = 0
    cell: Cell | None = None
    width: int = 0  # twips of the column or text area the paragraph lives in
    index: int = 0  # order in the body
    # Visual lines: a paragraph broken by manual line breaks (Shift+Enter) prints as several lines,
    # and each line is one Para in WordDocument.paragraphs. A line keeps the paragraph it belongs to in
    # `whole` (None when the paragraph is one line: it is its own whole) and its place in it.
    whole: Para | None = field(default=None, repr=False, compare=False)
    line_no: int = 0
    lines: list[Para] = field(default_factory=list, repr=False, compare=False)  # of a whole paragraph

    @property
    def paragraph(self) -> Para:
        """The paragraph this line belongs to (itself when it is a one-line paragraph)."""
        return self.whole if self.whole is not None else self

    @property
    def visible_runs(self) -> list[Run]:
        return [r for r in self.runs if not r.fmt.hidden and r.text.strip()]

    @property
    def main_text(self) -> str:
        """The text without superscript/subscript runs (a drafter's initials after "Lưu: VT, …")."""
        if not self.runs:
            return self.text
        text = norm("".join(r.text for r in self.runs if not r.fmt.vert_align).replace("\n", " "))
        if self.text[-1:] in ".;" and not text.endswith(self.text[-1]):
            text += self.text[-1]  # the closing mark typed inside the small initials still closes the list
        return text

    def where(self, section_count: int = 1, origin: Origin | None = None) -> str:
        """The line as a message names it: its section when the file has several, its cell, its text
        (an empty line by its number), counted as the file counts them (origin: a part's place)."""
        origin = origin or Origin()
        excerpt = self.text if len(self.text) <= 50 else self.text[:47] + "…"
        parts = []
        if (origin.sections or section_count) > 1:
            parts.append(f"mục trang {origin.section + self.section + 1}")
        if self.cell:
            parts.append(str(self.cell))
        parts.append(f"“{excerpt}”" if excerpt else f"đoạn trống số {origin.line + self.index + 1}")
        return ", ".join(parts)


@dataclass
class TableCell:
    """One cell of a top-level table: its paragraphs (a nested table's included: they print in
    this cell), how many grid columns it spans, and its vertical merge (None, restart, continue)."""

    paras: list[Para]
    span: int = 1
    merge: str | None = None
    border_bottom: bool = False  # a line printed along the cell's bottom edge (its own or the table's)


@dataclass
class Table:
    """A top-level table as printed: rows of cells, grid column widths (twips), its section, its
    number among the top-level tables (1-based, for messages) and the paragraph lines it holds."""

    rows: list[list[TableCell]]
    widths: list[int]
    section: int
    number: int
    first: int  # index of its first line in WordDocument.paragraphs
    last: int  # index of its last line

    def holds(self, para: Para) -> bool:
        return para.cell is not None and self.first <= para.index <= self.last


@dataclass
class Line:
    """A solid line printed under an element, however the drafter made it, found where it lands."""

    form: str  # border-top, border-bottom, underline, underscore, shape, cell-border
    length_pt: float
    para: Para  # the paragraph that holds it (a shape's anchor, the bordered paragraph…)
    gap_pt: float = 0.0  # how far below the element's text it lands


@dataclass
class HeaderPart:
    """One header or footer part as the checker needs it."""

    kind: str  # default, first, even
    text: str
    has_page_field: bool
    page_para: Para | None


@dataclass
class PageSection:
    index: int
    width: int
    height: int
    margins: dict[str, int]
    title_page: bool
    page_start: int | None
    page_format: str | None
    headers: dict[str, HeaderPart]
    footers: dict[str, HeaderPart]
    continuous: bool = False  # starts with a continuous break: goes on on the page before's
    columns: tuple[tuple[int, int], ...] = ()  # (left, width) twips of each text column, when several

    @property
    def text_width(self) -> int:
        return self.width - self.margins.get("left", 0) - self.margins.get("right", 0)


# --- printed lines and widths -------------------------------------------------------------------------

def _chars(para: Para) -> list[tuple[str, float]]:
    """(character, advance in pt) for every visible character, with size, weight and spacing."""
    return [c for r in para.runs if not r.fmt.hidden for c in _run_chars(r, para)]


def _run_chars(r: Run, para: Para) -> list[tuple[str, float]]:
    """(character, advance in pt) for each character of a run as printed (a tab as four spaces)."""
    size = r.fmt.size or (para.fmt.run_defaults.size if para.fmt and para.fmt.run_defaults else None) or 12
    if r.fmt.vert_align and not r.fmt.vert_by_position:  # Word shrinks a w:vertAlign run
        size *= 0.65
    text = upper_vi(r.text) if r.fmt.caps else r.text
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch == "\t":
            out.append((" ", text_width_pt(" ", size, bold=r.fmt.bold) * 4))
        else:
            out.append((ch, text_width_pt(ch, size, bold=r.fmt.bold) + r.fmt.spacing))
    return out


PUSH_SPACES = 3
"""A run of at least this many spaces typed before words is a drafter pushing them to the next line
(older files set a two-line heading so): where Word does wrap there, the
words after the gap start a printed line of their own."""


def _pushed(runs: list[Run], para: Para) -> list[list[Run]]:
    """runs cut where spaces typed to push the words after them onto the next line do so: Word fills
    the line word by word, the spaces at a line's end hanging past the margin, and the word after a
    gap of PUSH_SPACES or more spaces does not fit. A gap inside a line that fits stays a gap; an
    ordinary wrap at one space is not cut (a body paragraph stays one paragraph)."""
    if not para.width or not any(" " * PUSH_SPACES in r.text for r in runs):
        return [runs]
    room = max((para.width - (para.fmt.left + para.fmt.right if para.fmt else 0)) / 20, 1.0)
    chars: list[tuple[int, int, str, float]] = []  # (run, offset in its text, char, advance)
    for ri, r in enumerate(runs):
        measured = [] if r.fmt.hidden else _run_chars(r, para)
        # hidden, or a text NFC changes (no longer one advance per character): no advance counted
        widths = [w for _, w in measured] if len(measured) == len(r.text) else [0.0] * len(r.text)
        chars += [(ri, k, ch, widths[k]) for k, ch in enumerate(r.text)]
    cuts: list[tuple[int, int]] = []  # (run, offset) where a pushed line starts
    line, i, n = 0.0, 0, len(chars)
    while i < n:
        j = i
        while j < n and chars[j][2] == " ":
            j += 1
        k = j
        while k < n and chars[k][2] != " ":
            k += 1
        gap, word = sum(c[3] for c in chars[i:j]), sum(c[3] for c in chars[j:k])
        if line and k > j and line + gap + word > room:
            if j - i >= PUSH_SPACES:
                cuts.append((chars[j][0], chars[j][1]))
            line = word
        else:
            line += gap + word
        i = k
    if not cuts:
        return [runs]
    out: list[list[Run]] = [[]]
    for ri, r in enumerate(runs):
        start = 0
        for cri, off in cuts:
            if cri == ri:
                if r.text[start:off].strip():
                    out[-1].append(Run(r.text[start:off], r.fmt))
                out.append([])
                start = off
        if r.text[start:] or r.note is not None:
            out[-1].append(Run(r.text[start:], r.fmt, r.note))
    return out


def rendered_lines(para: Para) -> list[tuple[str, float]]:
    """The lines the paragraph prints as (text, width pt), wrapped the way Word wraps: at spaces, with
    the spaces at a line's end hanging outside the measure."""
    room = max((para.width - (para.fmt.left + para.fmt.right if para.fmt else 0)) / 20, 1.0)
    chars = _chars(para) if para.runs else [(c, text_width_pt(c, 13)) for c in para.text]
    lines: list[tuple[str, float]] = []
    for piece in _split(chars, "\n"):
        while piece and piece[-1][0] == " ":
            piece.pop()  # spaces at the line's end hang past the margin (a gap typed to push words)
        words: list[list[tuple[str, float]]] = []
        cur: list[tuple[str, float]] = []
        for ch in piece:  # words with the spaces before them: a word starts at the space after a letter
            if ch[0] == " " and cur and cur[-1][0] != " ":
                words.append(cur)
                cur = []
            cur.append(ch)
        if cur:
            words.append(cur)
        line: list[tuple[str, float]] = []
        for w in words:
            lead = [c for c in w if c[0] == " "]
            body = [c for c in w if c[0] != " "]
            if w is words[0]:
                # No-break spaces typed before the first word push it as spaces do (leading_width
                # counts both): neither is the line's printed text.
                body = list(itertools.dropwhile(lambda c: c[0] == "\xa0", body))
            trial = sum(c[1] for c in line) + sum(c[1] for c in w)
            if line and trial > room and body:
                lines.append(_line_text(line))
                line = body
            else:
                line += lead + body if line else body
        if line or not lines:
            lines.append(_line_text(line))
    return [ln for ln in lines if ln[0]] or [("", 0.0)]


def split_lines(para: Para) -> list[Para]:
    """The visual lines of a paragraph: split at its manual line breaks (and where spaces typed to
    push words to the next line do so, _pushed), each line with its own runs
    (their resolved formatting) and the paragraph's layout as it applies to that line: the space
    before, the first-line indent and a top border only on the first line; the space after and a
    bottom border only on the last. A paragraph without a break is its own single line."""
    pieces: list[list[Run]] = [[]]
    for r in para.runs:
        parts = r.text.split("\n")
        for k, part in enumerate(parts):
            if k:
                pieces.append([])
            note = r.note if k == len(parts) - 1 else None  # the mark stands after the run's text
            if part or note is not None:
                pieces[-1].append(Run(part, r.fmt, note))
    pieces = [line for piece in pieces for line in _pushed(piece, para)]
    if len(pieces) == 1:
        para.lines = [para]
        return para.lines
    lines = []
    last = len(pieces) - 1
    for k, runs in enumerate(pieces):
        fmt = para.fmt
        if fmt is not None:
            changes: dict[str, object] = {}
            if k > 0:
                changes.update(before=0, first_line=0, border_top=False)
            if k < last:
                changes.update(after=0, border_bottom=False)
            fmt = dataclasses.replace(fmt, **changes)  # type: ignore[arg-type]
        text = norm("".join(r.text for r in runs).replace("\f", " "))
        lines.append(Para(text, para.el, fmt, runs, para.section, para.cell, para.width, para.index,
                          whole=para, line_no=k))
    para.lines = lines
    return lines


def _split(chars: list[tuple[str, float]], sep: str) -> list[list[tuple[str, float]]]:
    out: list[list[tuple[str, float]]] = [[]]
    for c in chars:
        if c[0] == sep:
            out.append([])
        else:
            out[-1].append(c)
    return out


def _line_text(line: list[tuple[str, float]]) -> tuple[str, float]:
    """A printed line's text and its width: spaces at its end (no-break ones too) print nothing."""
    while line and line[-1][0] in " \xa0":
        line = line[:-1]
    return "".join(c[0] for c in line).strip(), sum(c[1] for c in line)


ONE_PAGE_MAX_LINES = 120
"""More visual lines than this never fit one A4 page: the estimate is not even made."""
ONE_PAGE_SHARE = 0.8
"""The share of a page's text height the estimated lines may fill and still be said to print on
one page: the estimate (lines of 1.15 × their size, rows as tall as their tallest cell) is near
Word's, not equal to it (real full pages come out at 0.89 to 1.0), so only a page clearly short of
the bottom is one page on the estimate alone."""
ONE_PAGE_SAVED_SHARE = 1.1
"""With Word's own count of one page in the file, an estimate up to this share agrees with it (a
two-page letter of the corpus is estimated at 1.42)."""
ONE_PAGE_SAVED_TEXT = 0.95
"""Word's saved count of characters (no spaces) must reach this share of the body's for its page count
to be of this text (the corpus's counts are 1.0 to 1.4 times the body's)."""


def fits_one_page(doc: WordDocument) -> bool:
    """Whether the whole document prints on one page: one section, no page break, and its lines,
    stacked as Word stacks them (paragraph spacing, wrapped lines, table rows), filling well under the
    page's text height; or about one page when Word itself counted one page at its last save (the
    estimate is near Word's layout, not equal to it: a full page comes out between 0.9 and 1.0)."""
    if len(doc.sections) != 1 or not doc.paragraphs or len(doc.paragraphs) > ONE_PAGE_MAX_LINES:
        return False
    if any(starts_page(p) for p in doc.paragraphs):
        return False
    sec = doc.sections[0]
    room = (sec.height - sec.margins.get("top", 0) - sec.margins.get("bottom", 0)) / 20
    used = Drawing(doc, len(doc.paragraphs) - 1).column_height.get(0, 0.0)
    # A picture set in line with the text (a chart, a map, a scanned table) stands as tall as it is
    # drawn; the line estimate sees its paragraph as one empty line.
    held_els = {id(p.el): p.el for p in doc.paragraphs if p.el is not None}
    used += sum(_inline_picture_height(el) for el in held_els.values())
    share = used / room if room > 0 else 99.0
    # Word's count speaks for the text it counted: a template saved at one page and filled in later by
    # a program that leaves docProps/app.xml alone still says one page, but counts fewer characters
    # than the document now holds (Word's own count is never below the body's: headers count too).
    held = sum(len("".join(p.text.split())) for p in doc.paragraphs)
    counted = doc.saved_pages == 1 and doc.saved_characters >= ONE_PAGE_SAVED_TEXT * held
    return 0 < share <= (ONE_PAGE_SAVED_SHARE if counted else ONE_PAGE_SHARE)


def _inline_picture_height(el: _Element) -> float:
    """The heights (pt) of the pictures drawn in line in a paragraph (wp:inline's extent, in EMU)."""
    total = 0.0
    for extent in el.iter(f"{{{WP_NS}}}extent"):
        cy = extent.get("cy", "")
        parent = extent.getparent()
        if parent is not None and parent.tag == f"{{{WP_NS}}}inline" and cy.isdigit() and len(cy) < 12:
            total += int(cy) / 12700
    return total


def starts_page(p: Para) -> bool:
    """Whether the line starts on a new page: a page break typed in it, or "page break before"."""
    if any("\f" in r.text for r in p.runs):
        return True
    ppr = p.el.find(qn("w:pPr")) if p.el is not None else None
    return ppr is not None and _flag(ppr.find(qn("w:pageBreakBefore")))


def middle(p: Para, room: int) -> float | None:
    """Where the middle of a one-line paragraph's text lands across its column (twips from its left):
    on the stop its tabs reach, or by its alignment between its indents and the spaces typed around
    the text (leading_width, trailing_width)."""
    if p.fmt is None or len(rendered_lines(p)) > 1:
        return None
    if any("\t" in r.text for r in p.runs):
        pieces = _tab_pieces(p, room)
        return pieces[-1][1] if len(pieces) == 1 else None
    left, right = p.fmt.left + p.fmt.first_line, p.fmt.right
    w = text_width([p]) * 20
    if p.fmt.align == "center":
        # What is centred is the line from its first space to its last no-break space: the gaps
        # typed before the text and the no-break spaces after it move the text by half their
        # difference (plain spaces at the end hang past the margin and move nothing).
        return left + (room - left - right) / 2 + (leading_width(p) - trailing_width(p)) * 10
    if p.fmt.align in ("right", "end"):
        return room - right - trailing_width(p) * 20 - w / 2
    # Set left, the spaces typed before the text print (a signer's name pushed right by them): the
    # text starts after all of their width.
    return left + leading_width(p) * 20 + w / 2


def _tab_pieces(line: Para, room: int) -> list[tuple[Para, float, float, str]]:
    """A line cut at its tabs: each piece of text with where its middle lands (twips from the text
    column's left), its width (twips) and the kind of tab stop that placed it ("left" for the text before the
    first tab). Custom stops first, then Word's default stops every 1.27 cm."""
    pieces: list[list[Run]] = [[]]
    for r in line.runs:
        for k, part in enumerate(r.text.split("\t")):
            if k:
                pieces.append([])
            if part:
                pieces[-1].append(Run(part, r.fmt))
    fmt = line.fmt
    stops = [(pos, kind) for pos, kind in (fmt.tabs if fmt else ()) if kind not in ("clear", "bar")]
    x = float((fmt.left + (fmt.first_line if line.line_no == 0 else 0)) if fmt else 0)
    out = []
    for k, runs in enumerate(pieces):
        kind = "left"
        if k:
            pos, kind = next(((p, kd) for p, kd in stops if p > x + 1), ((x // 720 + 1) * 720, "left"))
            x = float(pos)
        piece = Para(norm("".join(r.text for r in runs)), line.el, fmt, runs, line.section, None, room)
        w = text_width([piece]) * 20 if piece.text else 0.0
        start = x - w / 2 if kind == "center" else x - w if kind in ("right", "end") else x
        if piece.text:
            out.append((piece, start + w / 2, w, kind))
        x = start + w
    return out


def leading_width(para: Para) -> float:
    """The width (pt) of the spaces and tabs typed before the paragraph's first word, as printed: each
    at its run's size and character spacing (a condensed run's spaces are narrower), a tab as four
    spaces (as rendered_lines counts it)."""
    return _gap_width(_chars(para))


def trailing_width(para: Para) -> float:
    """The width (pt) a line keeps after its last printed character: no-break spaces (and the spaces
    between them) do not hang past the margin as plain spaces at a line's end do: LibreOffice lays
    them out as part of the line (a centred line moves left by half of it, measured in its PDF), and
    Word is known to do the same (a no-break space is a character of fixed width, not a break)."""
    chars = _chars(para)
    while chars and chars[-1][0] == " ":
        chars.pop()  # these hang
    return _gap_width(reversed(chars))


def _gap_width(chars: Iterable[tuple[str, float]]) -> float:
    """The width (pt) of the spaces and no-break spaces the characters start with."""
    return sum((advance for _, advance in itertools.takewhile(lambda c: c[0] in " \xa0", chars)), 0.0)


def text_width(paras: list[Para]) -> float:
    """The longest printed line of one or more paragraphs (pt)."""
    return max((w for p in paras for _, w in rendered_lines(p)), default=0.0)


def _line_height(para: Para, size: float | None = None) -> float:
    f = para.fmt
    size = size or max((r.fmt.size or 12 for r in para.visible_runs), default=None) or (
        f.run_defaults.size if f and f.run_defaults and f.run_defaults.size else 12)
    natural = size * 1.15  # Times New Roman ascent + descent
    if f is None or f.line is None:
        return natural
    if f.line_rule == "exact":
        return f.line / 20
    if f.line_rule == "atLeast":
        return max(f.line / 20, natural)
    return natural * f.line / 240


# --- reading a .docx ---------------------------------------------------------------------------


@dataclass(frozen=True)
class BodyBlock:
    """One top-level element of the body as a caller may judge it before the walk (`read_word`'s
    `columns`): a paragraph's visible text (manual breaks "\n", tabs "\t", page breaks "\f"), or
    another kind of element with no text."""

    kind: str  # "paragraph", "table", "other"
    text: str
    ends_section: bool  # a paragraph that closes a section (the next one starts a new page setup)


Columns = Callable[[list[BodyBlock]], set[int]]
"""Which top-level paragraphs (indices into the body's blocks) print as two columns set with tab
stops: each contiguous run of them is read as the rows of a borderless table."""


@dataclass
class WordDocument:
    """What any reader of a .docx sees, with no notion of what the document is: its paragraphs as
    visual lines in order (table cells and text boxes included, each line knowing its cell), its
    top-level tables, its sections with headers and footers. `table_left` and `tab_tables` (by
    Cell.table) place drawn lines (see Drawing)."""

    source: str
    paragraphs: list[Para] = field(default_factory=list)
    sections: list[PageSection] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)  # top-level tables, in order
    table_left: dict[int, int] = field(default_factory=dict)  # twips from the margin, by Cell.table
    tab_tables: set[int] = field(default_factory=set)  # Cell.table ids read from lines set with tab stops
    saved_pages: int | None = None  # pages the editor counted when it last saved (docProps/app.xml)
    saved_characters: int = 0  # characters (no spaces) counted at the same save
    compatibility_mode: int = 12
    """The Word version the file asks to be laid out as (w:compatSetting "compatibilityMode" in its
    settings: 12 Word 2007, 14 Word 2010, 15 Word 2013 and later; 12 when it says nothing, as Word
    opens such a file in compatibility mode). From 15 on Word lays every shape anchored in a table
    cell out in that cell, whatever its layoutInCell says (see `_shapes`)."""
    converted_from: str | None = None
    """What LibreOffice converted to the .docx read ("tệp .doc cũ (Word 97-2003)"), None when the
    file was a .docx read as it is: measurements then come from the converted copy."""
    origin: Origin = field(default_factory=Origin)
    """Where these lines stand in the file (a part's place; a whole file's is the start)."""

    def section_width(self, section: int) -> int:
        secs = self.sections
        return secs[min(section, len(secs) - 1)].text_width

    def part(self, start: int, end: int | None = None) -> WordDocument:
        """The lines start..end (end excluded) as a document of their own, read as a file holding only
        them would read: lines numbered from 0, sections from the first line's, the tables wholly in
        the range. Why: one file may print two documents one after the other (a decision, then on a
        new page the plan it issues), each judged as if it were its own file. The lines are copies
        (this document's stay as they are); Cell.table ids stay the file's (table_left and tab_tables
        are keyed by them, and a message names the table as the file numbers it). Word's saved page
        count is of the whole file, so it says nothing of a part."""
        end = len(self.paragraphs) if end is None else end
        lines = self.paragraphs[start:end]
        first_section = lines[0].section if lines else 0
        last_section = lines[-1].section if lines else 0
        moved: dict[int, Para] = {}  # id of a line or of a whole paragraph of the file -> its copy

        def copy_of(p: Para) -> Para:
            return dataclasses.replace(p, index=p.index - start, section=p.section - first_section,
                                       whole=None, lines=[])

        out: list[Para] = []
        for line in lines:
            whole = line.paragraph
            new = copy_of(line)
            if whole is line:
                new.lines = [new]
            else:
                if id(whole) not in moved:  # a paragraph is numbered as its first line in the range
                    moved[id(whole)] = dataclasses.replace(copy_of(whole), index=new.index)
                new.whole = moved[id(whole)]
                new.whole.lines.append(new)
            moved[id(line)] = new
            out.append(new)
        tables = [dataclasses.replace(
            t, section=t.section - first_section, first=t.first - start, last=t.last - start,
            rows=[[dataclasses.replace(c, paras=[moved[id(q)] for q in c.paras if id(q) in moved]) for c in row]
                  for row in t.rows])
            for t in self.tables if start <= t.first and t.last < end]
        sections = [dataclasses.replace(s, index=s.index - first_section)
                    for s in self.sections[first_section:last_section + 1]] or self.sections[-1:]
        origin = Origin(self.origin.line + start, self.origin.section + first_section,
                        self.origin.sections or len(self.sections))
        return dataclasses.replace(self, paragraphs=out, sections=sections, tables=tables,
                                   saved_pages=None, saved_characters=0, origin=origin)


def read_word(path: str | Path, columns: Columns | None = None) -> WordDocument:
    """Open a Word document and read it; UserError when the file is not readable. A .doc, .odt,
    .rtf, web page or Word 2003 XML is read from the .docx LibreOffice makes of it (word/formats.py; the result's
    converted_from says so); a Strict .docx is read natively, renamed (word/strict.py). `columns`
    says which top-level paragraphs are set in two columns with tab stops (none when not given)."""
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    from .formats import readable
    from .package import inspect_package

    path = Path(path)
    # One read of the file (its size bounded first); what is converted, and what is read, are
    # decided on those bytes, never on the file's name.
    source = readable(path, str(path))
    # Sizes, ratios, entities and element counts are checked before any part is parsed: a small
    # uploaded file must not take a server's memory or minutes (limits.py).
    inspect_package(source.data, str(path), path=path)
    from .strict import as_transitional

    # A file saved as Strict Open XML prints like any .docx: read under its Transitional names,
    # the renamed package inspected again (its styles and counts were not recognised as Strict).
    renamed = as_transitional(source.data)
    if renamed is not None:
        inspect_package(renamed, str(path))
    from .opc import as_word_opens

    # Parts found as Word finds them (names without case, a part a relationship names but the zip
    # lacks left out, a part's type from its relationship); the mended package inspected again: its
    # styles may only now be found under their name.
    data = renamed if renamed is not None else source.data
    mended = as_word_opens(data, str(path))
    if mended is not None:
        inspect_package(mended, str(path))
        data = mended
    from .alt_chunks import in_place

    # Chunks embedded as HTML, RTF, text or a .docx (w:altChunk) put in their places as Word imports
    # them when it opens the file; the spliced package inspected again before it is parsed.
    spliced = in_place(data, str(path))
    through: str | None = None
    if spliced is not None:
        data, through = spliced
        inspect_package(data, str(path))
    try:
        document = Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise UserError(f"{path}: không đọc được: tệp hỏng hoặc không phải văn bản Word .docx; hãy mở bằng "
                        "Word rồi lưu lại dạng .docx") from None
    except Exception as exc:  # lxml syntax errors and other damage inside the package
        # The parser's own limits are not damage: a hostile or odd file, said as what it is.
        if "excessive depth" in str(exc).lower():
            raise UserError(f"{path}: nội dung lồng nhau quá sâu (hơn 256 cấp thẻ XML: bảng trong bảng, "
                            "khung trong khung); tệp không bình thường, không đọc") from None
        if "text node too long" in str(exc).lower():
            raise UserError(f"{path}: có một đoạn chữ liền dài hơn 10 triệu ký tự; tệp không bình thường, "
                            "không đọc") from None
        raise UserError(f"{path}: tệp .docx bị hỏng, không đọc được ({type(exc).__name__})") from None
    word = _Reader(document, str(path), columns, marks_lost=bool(source.kind and source.kind.marks_lost)).read()
    word.converted_from = source.kind.what if source.kind else through
    return word


@dataclass
class _Box:
    """Estimated vertical place of a paragraph in its column (pt from the column's top)."""

    top: float
    text_top: float
    text_bottom: float
    bottom: float
    line_height: float


Stack = tuple[str | int, ...]
"""Where paragraphs stack up: ("body", section) or ("table", table, grid column)."""


@dataclass
class _Drawn:
    """A line drawn somewhere (shape, border, underscores), placed in a column's coordinates."""

    form: str
    length: float
    para: Para
    stack: Stack
    y: float
    x: tuple[float, float] | None  # horizontal extent in the column (pt), when known


def number_format(number: RunFormat, text: list[RunFormat], level_rpr: _Element | None) -> RunFormat:
    """A list number whose paragraph mark lost its formatting in a conversion (formats.Kind.marks_lost)
    drawn as the source printed it, as near as the copy tells: in the weight, slant, size and face
    the paragraph's whole text shares (a titled khoản "1. Mục đích" all bold 14 pt prints a bold
    14 pt "1."); what the text's runs disagree on, and what the list level sets itself, stay as read."""
    if not text:
        return number
    own = {child.tag for child in level_rpr} if level_rpr is not None else set()
    shared: dict[str, Any] = {}
    for attr, tags in (("bold", ("w:b",)), ("italic", ("w:i",)), ("size", ("w:sz",)), ("fonts", ("w:rFonts",))):
        values = [getattr(f, attr) for f in text]
        if all(v == values[0] for v in values) and not own & {qn(t) for t in tags}:
            shared[attr] = values[0]
    return dataclasses.replace(number, **shared)


class _Reader:
    def __init__(self, document: DocxDocument, source: str, columns: Columns | None, marks_lost: bool = False):
        self.document = document
        self.columns = columns
        self.marks_lost = marks_lost  # a conversion emptied the paragraph marks' formatting (formats.Kind)
        self.fmt = Formatting.of(document)
        self.numbers = ListNumbers(document, self.fmt)
        self.doc = WordDocument(source=source)
        self.tables: list[_Element] = []
        self.table_left = self.doc.table_left
        self.tab_tables = self.doc.tab_tables  # tables read from lines set in columns with tab stops
        self.page_one_header: _Element | None = None
        self.notes: dict[tuple[str, str], list[Para]] | None = None  # notes' paragraphs, read at the first mark
        # Text typed in a legacy 8-bit font (TCVN3, VNI) is read as Word draws it (legacy_fonts.py);
        # the raw text of whole paragraphs needs the runs' fonts only when such a font is named.
        self.legacy_fmt: Formatting | None = self.fmt if _names_legacy_font(document, self.fmt) else None
        body = document.element.body
        self.legacy = Context(lambda: ((text, self.fmt.run(p, r)) for p in body.iter(qn("w:p"))
                                       for r in visible_runs(p) if not (text := run_text(r)).isascii()))

    def read(self) -> WordDocument:
        body: _Element = self.document.element.body
        self.doc.saved_pages = self._saved_pages()
        self.doc.compatibility_mode = self._compatibility_mode()
        self._sections(body)
        top = self._page_one_header_block()
        if top is not None:
            self._walk(top)
        self._walk(body)
        return self.doc

    def _compatibility_mode(self) -> int:
        """The layout version the settings ask for (WordDocument.compatibility_mode)."""
        try:
            settings = self.document.settings.element
        except Exception:  # noqa: BLE001 - a package without settings: Word's defaults
            return 12
        for setting in settings.iter(qn("w:compatSetting")):
            if setting.get(qn("w:name")) == "compatibilityMode":
                value = (setting.get(qn("w:val")) or "").strip()
                return int(value) if value.isdigit() and len(value) < 4 else 12
        return 12

    def _saved_pages(self) -> int | None:
        """The page count Word (or LibreOffice) wrote in docProps/app.xml from its own layout at the last
        save; None when absent or not a number (the package was inspected before any part is parsed),
        and when the same statistics count no words: then the figures are a template's defaults
        (python-docx and docxtpl files carry "1 page, 0 words" whatever they hold), not a count."""
        part = next((pt for pt in self.document.part.package.parts if str(pt.partname) == "/docProps/app.xml"), None)
        if part is None:
            return None
        try:
            root = parse_xml(part.blob)
        except Exception:  # a damaged optional part: the count is unknown, the document still reads
            return None
        ns = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"
        counts = {}
        for name in ("Pages", "Words", "Characters"):
            el = root.find(f"{ns}{name}")
            text = (el.text or "").strip() if el is not None else ""
            counts[name] = int(text) if text.isdigit() and len(text) < 9 else 0
        self.doc.saved_characters = counts["Characters"]
        return (counts["Pages"] or None) if counts["Words"] else None

    def _page_one_header_block(self) -> _Element | None:
        """The header part page 1 prints, when it holds a table with text: some agencies' templates set
        the whole top block of page 1 (names, number, date) in the first page's header. It prints
        above the body, so it is read as the body's first blocks; a header of a page number or a
        logo line is not."""
        root = self.page_one_header
        if root is None:
            return None
        if not any(visible_text(p).strip() for tbl in root.iter(qn("w:tbl")) for p in tbl.iter(qn("w:p"))):
            return None
        return root

    # sections and headers

    def _header_or_footer(self, ref: _Element) -> Any:
        """The part a w:headerReference or w:footerReference names, when it is a header or a footer
        (its content type says so): one naming another part (a theme, the styles, the endnotes; a
        tool's slip with relationship ids or targets) prints nothing there, as LibreOffice shows it
        (Word refuses the file until repaired); None then."""
        from docx.opc.constants import CONTENT_TYPE as CT

        rel = self.document.part.rels.get(ref.get(qn("r:id")) or "")
        if rel is None or rel.is_external or rel.target_part.content_type not in (CT.WML_HEADER, CT.WML_FOOTER):
            return None
        return rel.target_part

    def _sections(self, body: _Element) -> None:
        sects = [s for p in body.iter(qn("w:p")) if (s := p.find(f"{qn('w:pPr')}/{qn('w:sectPr')}")) is not None]
        final = body.find(qn("w:sectPr"))
        if final is not None:
            sects.append(final)
        try:
            settings = self.document.settings.element
        except Exception:  # noqa: BLE001 - a package without settings: Word's defaults
            settings = None
        gutter_at_top = settings is not None and _flag(settings.find(qn("w:gutterAtTop")))
        prev_headers: dict[str, HeaderPart] = {}
        prev_footers: dict[str, HeaderPart] = {}
        read_parts: dict[tuple[int, str, int], HeaderPart] = {}
        for i, s in enumerate(sects):
            pg = s.find(qn("w:pgSz"))
            mar = s.find(qn("w:pgMar"))
            num = s.find(qn("w:pgNumType"))
            headers = dict(prev_headers)
            footers = dict(prev_footers)
            width = _attr_int(pg, "w:w", A4_TWIPS[0])
            # A negative top or bottom margin is the same distance, fixed against a tall header.
            margins = {k: abs(_attr_int(mar, f"w:{k}", 0)) for k in ("top", "bottom", "left", "right")}
            # The gutter is binding room added to the margin on the printed page: at the left edge, or
            # at the top when the document says so (w:gutterAtTop in its settings).
            margins["top" if gutter_at_top else "left"] += max(_attr_int(mar, "w:gutter", 0), 0)
            for tag, store in (("w:headerReference", headers), ("w:footerReference", footers)):
                for ref in s.findall(qn(tag)):
                    part = self._header_or_footer(ref)
                    if part is not None:
                        kind = ref.get(qn("w:type"), "default")
                        # One part read once, however many sections name it (a file may name one
                        # header a thousand times): the first section's reading stands for all.
                        key = (id(part), kind, width - margins["left"] - margins["right"])
                        if key not in read_parts:
                            read_parts[key] = self._header_part(kind, part.element, i, key[2])
                        store[kind] = read_parts[key]
            prev_headers, prev_footers = headers, footers
            if i == 0:
                # the header part page 1 prints: the first page's own, or the default one
                first = "first" if _flag(s.find(qn("w:titlePg"))) else "default"
                named = next((r for r in s.findall(qn("w:headerReference"))
                              if r.get(qn("w:type"), "default") == first), None)
                shown = self._header_or_footer(named) if named is not None else None
                self.page_one_header = shown.element if shown is not None else None
            self.doc.sections.append(PageSection(
                index=i,
                width=width,
                height=_attr_int(pg, "w:h", A4_TWIPS[1]),
                margins=margins,
                title_page=_flag(s.find(qn("w:titlePg"))),
                page_start=_attr_int(num, "w:start", None) if num is not None else None,
                page_format=num.get(qn("w:fmt")) if num is not None else None,
                headers=headers,
                footers=footers,
                continuous=_attr_str(s.find(qn("w:type")), "w:val") == "continuous",
                columns=_columns(s.find(qn("w:cols")), width - margins["left"] - margins["right"]),
            ))
        if not self.doc.sections:
            self.doc.sections.append(PageSection(0, *A4_TWIPS, {}, False, None, None, {}, {}))

    def _header_part(self, kind: str, root: _Element, section: int, width: int) -> HeaderPart:
        texts: list[str] = []
        field_para: Para | None = None
        for p in root.iter(qn("w:p")):
            para = self._para(p, section, None, width, numbered=False)
            texts.append(para.text)
            instr = "".join(t.text or "" for t in p.iter(qn("w:instrText")))
            instr += " ".join(f.get(qn("w:instr"), "") for f in p.iter(qn("w:fldSimple")))
            # w:pgNum: the page number as Word 97 inserted it, printed like a PAGE field's result
            old_page = next(p.iter(qn("w:pgNum")), None) is not None
            if (old_page or re.search(r"\bPAGE\b", instr)) and field_para is None:
                field_para = para
        return HeaderPart(kind, norm(" ".join(texts)), field_para is not None, field_para)

    # body walk

    def _walk(self, body: _Element, section: int = 0) -> None:
        """The blocks of the body (or of a cell that lays out the page's text, in `section`), in order."""
        tabbed = self._tabbed(body)
        block: list[_Element] = []
        frames: list[tuple[tuple[tuple[str, str], ...], list[tuple[_Element, list[_Element]]]]] = []
        in_columns: list[tuple[_Element, list[_Element]]] = []  # a section set in columns, so far
        for child, joined in _join_deleted_marks(blocks(body)):
            if len(self._section(section).columns) > 1 and child.tag in (qn("w:p"), qn("w:tbl")):
                in_columns.append((child, joined))
                if child.tag == qn("w:p") and child.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
                    section = self._columns(in_columns, section)
                    in_columns = []
                continue
            key = _frame_key(child) if child not in tabbed else None
            if key is not None:
                if frames and frames[-1][0] == key:
                    frames[-1][1].append((child, joined))
                else:
                    frames.append((key, [(child, joined)]))
                continue
            if frames:
                section = self._frames(frames, section)
                frames = []
            if child in tabbed:
                block.append(child)
                continue
            if block:
                self._tab_table(block, section)
                block = []
            if child.tag == qn("w:p"):
                section = self._body_para(child, joined, section)
            elif child.tag == qn("w:tbl") and (page := _page_cell(child, self._section_width(section))) is not None:
                self._walk(page, section)  # the page's text laid out in a table: read as it prints, the body's
            elif child.tag == qn("w:tbl"):
                self._top_table(child, section)
        if frames:
            self._frames(frames, section)
        if in_columns:
            self._columns(in_columns, section)

    def _section(self, section: int) -> PageSection:
        return self.doc.sections[min(section, len(self.doc.sections) - 1)]

    def _columns(self, children: list[tuple[_Element, list[_Element]]], section: int) -> int:
        """A section set in several text columns whose text is sent on by column breaks (a list of
        names in one column, a signature in the next): read as one row of a table, a cell per column,
        each as wide as its column. Without a column break (text flowing from one column into the
        next), or holding a table, its blocks read in order. Returns the section after it."""
        cols = self._section(section).columns
        if any(c.tag != qn("w:p") for c, _ in children) or not any(
                _column_breaks(c) for c, _ in children):
            for child, joined in children:
                if child.tag == qn("w:p"):
                    section = self._body_para(child, joined, section)
                else:
                    self._top_table(child, section)
            return section
        groups: list[list[tuple[_Element, list[_Element]]]] = [[]]
        for child, joined in children:
            before, after = _column_breaks(child)
            for _ in range(before):
                groups.append([])
            groups[-1].append((child, joined))
            for _ in range(after):
                groups.append([])
        ti = len(self.tables)
        self.tables.append(children[0][0])
        self.table_left[ti] = 0
        first = len(self.doc.paragraphs)
        row: list[TableCell] = []
        for ci, group in enumerate(groups):
            left, width = cols[min(ci, len(cols) - 1)]
            cell = Cell(ti, 0, ci, width, ci, left)
            start = len(self.doc.paragraphs)
            for p, joined in group:
                self._add(self._para(p, section, cell, width, joined=joined, in_columns=True))
            row.append(TableCell([q.paragraph for q in self.doc.paragraphs[start:] if q.line_no == 0]))
        self.doc.tables.append(Table([row], [w for _, w in cols][:len(row)], section, len(self.doc.tables) + 1,
                                     first, len(self.doc.paragraphs) - 1))
        return section + 1

    def _body_para(self, child: _Element, joined: list[_Element], section: int) -> int:
        """A top-level paragraph read, with the text boxes anchored in it; the section after it."""
        self._add(self._para(child, section, None, self._section_width(section), joined=joined))
        boxes = text_boxes(child)
        if boxes:
            self._box_table(boxes, child, section)
        return section + 1 if child.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None else section

    def _frames(self, frames: list[tuple[tuple[tuple[str, str], ...], list[tuple[_Element, list[_Element]]]]],
                section: int) -> int:
        """Consecutive paragraphs in frames (w:framePr: Word 97's frames, LibreOffice's): paragraphs
        with the same frame properties print as one frame. Two or more frames side by side print as
        one row, read as a table with a cell per frame, left to right; otherwise the paragraphs read
        where they stand."""
        text_w = self._section_width(section)
        sec = self.doc.sections[min(section, len(self.doc.sections) - 1)]
        placed = []
        for key, paras in frames:
            attrs = dict(key)
            width = _int_or(attrs.get("w"), 0)
            x = _int_or(attrs.get("x"), 0)
            if attrs.get("hAnchor", "page") == "page":
                x -= sec.margins.get("left", 0)
            align = attrs.get("xAlign")
            if not width:  # as wide as its text: measured when placed by alignment only
                width = max(int(max((text_width([self._para(p, section, None, text_w, numbered=False)])
                                     for p, _ in paras), default=0) * 20), 1)
            if align in ("center", "inside"):
                x = (text_w - width) // 2
            elif align in ("right", "outside"):
                x = text_w - width
            elif align == "left":
                x = 0
            placed.append((x, width, paras))
        spans = sorted((x, x + w) for x, w, _ in placed)
        side_by_side = len(placed) > 1 and all(a[1] <= b[0] + 20 for a, b in pairwise(spans))
        if not side_by_side:
            for _, _, paras in placed:
                for p, joined in paras:
                    section = self._body_para(p, joined, section)
            return section
        ti = len(self.tables)
        self.tables.append(placed[0][2][0][0])
        self.table_left[ti] = 0
        first = len(self.doc.paragraphs)
        row: list[TableCell] = []
        for ci, (x, width, paras) in enumerate(sorted(placed, key=lambda f: f[0])):
            cell = Cell(ti, 0, ci, width, ci, x)
            start = len(self.doc.paragraphs)
            for p, joined in paras:
                self._add(self._para(p, section, cell, width, joined=joined))
            row.append(TableCell([q.paragraph for q in self.doc.paragraphs[start:] if q.line_no == 0]))
        self.doc.tables.append(Table([row], [w for _, w, _ in sorted(placed, key=lambda f: f[0])], section,
                                     len(self.doc.tables) + 1, first, len(self.doc.paragraphs) - 1))
        return section

    def _tabbed(self, body: _Element) -> set[_Element]:
        """The top-level paragraphs the caller's `columns` says are set in columns with tab stops."""
        if self.columns is None:
            return set()
        children = list(blocks(body))
        described = [BodyBlock("paragraph", self._block_text(c), c.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None)
                     if c.tag == qn("w:p") else BodyBlock("table" if c.tag == qn("w:tbl") else "other", "", False)
                     for c in children]
        return {children[i] for i in self.columns(described)}

    def _block_text(self, p: _Element) -> str:
        """A top-level paragraph's text for the columns hook: the words after a tab are what it
        recognises, and they may be typed in a legacy font."""
        text = visible_text(p)
        return visible_text(p, self.legacy_fmt) if self.legacy_fmt is not None and "\t" in text else text

    def _tab_table(self, block: list[_Element], section: int) -> None:
        """Lines set in two columns with tab stops, read as the rows of a table: each piece of text
        goes to the column its tab stop puts it in (left or right half of the text column), centred
        when its stop is a centre stop, as wide as the room its stop leaves around it."""
        ti = len(self.tables)
        self.tables.append(block[0])
        self.table_left[ti] = 0
        self.tab_tables.add(ti)
        text_w = self._section_width(section)
        placed: list[list[tuple[int, Para, float, str]]] = []  # per visual line: (column, piece, middle, kind)
        block_el: list[_Element] = []  # per visual line: its paragraph
        line_fmt: list[ParaFormat | None] = []
        for el in block:
            whole = self._para(el, section, None, text_w)
            for line in split_lines(whole):
                block_el.append(el)
                line_fmt.append(line.fmt)
                pieces = _tab_pieces(line, text_w)
                tabbed = any("\t" in r.text for r in line.runs)
                # A line with no tab is typed from the left: the left column (a recipient, an agency line).
                placed.append([(0 if centre < text_w / 2 or not tabbed else 1, piece, centre, kind)
                               for piece, centre, _, kind in pieces])
        centres: dict[int, list[float]] = {0: [], 1: []}
        for row in placed:
            for col, _, centre, _ in row:
                centres[col].append(centre)
        half = {0: min(centres[0] or [text_w / 4]), 1: text_w - max(centres[1] or [text_w * 3 / 4])}
        half = {c: max(h, 720) for c, h in half.items()}
        lefts = {0: max(min(centres[0] or [text_w / 4]) - half[0], 0), 1: text_w - 2 * half[1]}
        if not any(kind == "center" for row in placed for c, _, _, kind in row if c == 0):
            half[0] = max(half[0], (lefts[1] - lefts[0]) / 2)  # left-set text runs to the other column
        first = len(self.doc.paragraphs)
        rows: list[list[TableCell]] = []
        for ri, row in enumerate(placed):
            cells: list[TableCell] = []
            if not row:  # an empty line (a spacer holding a drawn line): an empty cell on the left
                row = [(0, Para("", block_el[ri], line_fmt[ri], [], section, None, text_w), 0.0, "left")]
            for col in (0, 1):
                mine = [(piece, kind) for c, piece, _, kind in row if c == col]
                width = int(2 * half[col])
                cell = Cell(ti, ri, col, width, col, int(lefts[col]))
                paras = []
                for piece, kind in mine[:1]:
                    runs = [r for q, _ in mine for r in q.runs]
                    fmt = piece.fmt and dataclasses.replace(
                        piece.fmt, align="center" if kind == "center" else piece.fmt.align, left=0, right=0,
                        first_line=0)
                    para = Para(norm(" ".join(q.text for q, _ in mine)), piece.el, fmt, runs, section, cell, width)
                    para.lines = [para]
                    para.index = len(self.doc.paragraphs)
                    self.doc.paragraphs.append(para)
                    paras.append(para)
                cells.append(TableCell(paras))
            rows.append(cells)
        if len(self.doc.paragraphs) > first:
            self.doc.tables.append(Table(rows, [int(2 * half[0]), int(2 * half[1])], section,
                                         len(self.doc.tables) + 1, first, len(self.doc.paragraphs) - 1))

    def _section_width(self, section: int) -> int:
        secs = self.doc.sections
        return secs[min(section, len(secs) - 1)].text_width

    def _add(self, para: Para) -> None:
        for line in split_lines(para):
            line.index = len(self.doc.paragraphs)
            self.doc.paragraphs.append(line)
        para.index = para.lines[0].index

    def _top_table(self, tbl: _Element, section: int) -> None:
        while (inner := _framed_table(tbl)) is not None:
            tbl = inner
        first = len(self.doc.paragraphs)
        ti = len(self.tables)
        rows = self._table(tbl, section, self._section_width(section))
        widths = [max(w, 1) for w in _grid(tbl, self._section_width(section))]
        ncols = max([len(widths)] + [sum(c.span for c in r) for r in rows])
        widths += [max(widths, default=1)] * (ncols - len(widths))
        widths = self._printed_columns(ti, rows, widths[:ncols], first)
        table = Table(rows, widths, section, len(self.doc.tables) + 1, first, len(self.doc.paragraphs) - 1)
        if not self._continues(table, ti):
            self.doc.tables.append(table)

    def _continues(self, table: Table, ti: int) -> bool:
        """Read table (reader id ti) as the rest of the table before it when it is that table
        continued: cut off by a page break and its first row typed again on top. It prints as one
        table over two pages, the first row repeated as a header row (w:tblHeader) prints: its rows
        join the first table's, the row typed again left out as Word's repeated header row is. Same
        section, same columns, the same first row, nothing printed between and a page break typed
        there: with only empty lines between, the page shows two tables, each under its header."""
        doc = self.doc
        prev = doc.tables[-1] if doc.tables else None
        gap = doc.paragraphs[prev.last + 1:table.first] if prev is not None else []
        if prev is None or prev.section != table.section or len(table.rows) < 2 or not gap \
                or len(prev.widths) != len(table.widths) \
                or any(abs(a - b) > 20 for a, b in zip(prev.widths, table.widths, strict=True)) \
                or any(p.text or p.cell is not None for p in gap) \
                or not any(starts_page(p) for p in [*gap, *doc.paragraphs[table.first:table.first + 1]]):
            return False

        def heading(row: list[TableCell]) -> list[tuple[int, str]]:
            return [(tc.span, " ".join(p.text for p in tc.paras)) for tc in row]

        first_row = heading(table.rows[0])
        own = [q.cell.table for tc in prev.rows[0] for q in tc.paras if q.cell is not None]
        if first_row != heading(prev.rows[0]) or not any(text for _, text in first_row) or not own:
            return False
        prev_ti = min(own)
        typed_again = {id(p) for tc in table.rows[0] for p in tc.paras}
        kept = [q for q in doc.paragraphs[table.first:] if id(q.paragraph) not in typed_again]
        del doc.paragraphs[table.first:]
        moved: dict[int, Cell] = {}
        for line in kept:
            line.index = len(doc.paragraphs)
            doc.paragraphs.append(line)
            if line.line_no == 0:
                line.paragraph.index = line.index
            if line.cell is not None and line.cell.table == ti:
                moved[id(line.cell)] = line.cell
        for cell in moved.values():  # one Cell is shared by its paragraphs' lines: each moved once
            cell.table = prev_ti
            cell.row += len(prev.rows) - 1
        prev.rows.extend(table.rows[1:])
        prev.last = len(doc.paragraphs) - 1
        return True

    def _printed_columns(self, ti: int, rows: list[list[TableCell]], widths: list[int], first: int) -> list[int]:
        """The table's columns as the page shows them: a grid column edge no cell starts or ends at
        prints nothing (Word adds such edges when a row's cells were dragged a little off its
        neighbours', or keeps them from a deleted column), so the grid columns between two edges
        some cell uses are one column; grid columns every row skips (w:gridBefore, w:gridAfter)
        print no column either, the table's printed left edge is where its cells begin. Spans and
        the cells' first columns counted in what remains; the grid's widths summed."""
        def own(tc: TableCell) -> Cell | None:  # a nested table's paragraphs carry their own cells
            return next((q.cell for q in tc.paras if q.cell is not None and q.cell.table == ti), None)

        placed = [(tc, own(tc)) for row in rows for tc in row]
        edges: set[int] = set()
        for tc, cell in placed:
            if cell is None:
                return widths
            edges.update((cell.grid_col, cell.grid_col + tc.span))
        if not edges or max(edges) > len(widths) or len(edges) == len(widths) + 1:
            return widths
        kept = sorted(edges)
        index = {edge: k for k, edge in enumerate(kept)}
        skipped = sum(widths[:kept[0]])
        for tc, cell in placed:
            assert cell is not None
            tc.span = index[cell.grid_col + tc.span] - index[cell.grid_col]
        cells = {id(q.cell): q.cell for q in self.doc.paragraphs[first:] if q.cell is not None and q.cell.table == ti}
        for cell in cells.values():  # one Cell is shared by its paragraphs' lines: each moved once
            cell.grid_col = index.get(cell.grid_col, cell.grid_col)
            cell.left -= skipped
        self.table_left[ti] = self.table_left.get(ti, 0) + skipped
        return [sum(widths[a:b]) for a, b in pairwise(kept)]

    def _box_table(self, boxes: list[TextBox], anchor: _Element, section: int) -> None:
        """Text boxes anchored in one paragraph print side by side where it stands: read as one row of
        a table, a cell per box from left to right (a header or a signature set in text boxes reads
        like the same block set in a borderless table)."""
        ti = len(self.tables)
        self.tables.append(anchor)
        self.table_left[ti] = 0
        first = len(self.doc.paragraphs)
        row: list[TableCell] = []
        left = 0
        for ci, box in enumerate(sorted(boxes, key=lambda b: b.x)):
            width = max(box.width - box.insets, 0)
            cell = Cell(ti, 0, ci, width, ci, max(box.x, left) + box.insets // 2)
            left = max(box.x, left) + box.width
            start = len(self.doc.paragraphs)
            for p in box.paras:
                self._add(self._para(p, section, cell, width))
            row.append(TableCell([q.paragraph for q in self.doc.paragraphs[start:] if q.line_no == 0]))
        if len(self.doc.paragraphs) > first:
            self.doc.tables.append(Table([row], [max(b.width, 1) for b in sorted(boxes, key=lambda b: b.x)],
                                         section, len(self.doc.tables) + 1, first, len(self.doc.paragraphs) - 1))

    def _table(self, tbl: _Element, section: int, room: int) -> list[list[TableCell]]:
        """The rows of table tbl, laid out in room twips (the text width, or its cell's width)."""
        ti = len(self.tables)
        self.tables.append(tbl)
        grid = _grid(tbl, room)
        default_mar = self._table_margins(tbl)
        # What the table says once for all its cells: a lookup on the table element costs time in its
        # number of rows (lxml walks its children), so per cell it would make a long catalogue quadratic.
        percent_wide, edges = bool(_percent_wide(tbl)), self._table_edges(tbl)
        tblpr = tbl.find(qn("w:tblPr"))
        ind = tblpr.find(qn("w:tblInd")) if tblpr is not None else None
        self.table_left[ti] = _attr_int(ind, "w:w", 0) if ind is not None else 0
        out: list[list[TableCell]] = []
        # A row deleted with Track Changes on (w:trPr/w:del) is not on the page until rejected.
        printed = [tr for tr in blocks(tbl, qn("w:tr")) if tr.find(f"{qn('w:trPr')}/{qn('w:del')}") is None]
        starts: set[int] = set()  # the grid columns the row's cells start at (above: the row before's)
        for ri, tr in enumerate(printed):
            out.append([])
            col = 0
            above, starts = starts, set()
            trpr = tr.find(qn("w:trPr"))
            before = trpr.find(qn("w:gridBefore")) if trpr is not None else None
            col += _attr_int(before, "w:val", 0) if before is not None else 0
            for ci, (tc, span, widened) in enumerate(_merged_across(tr)):
                tcpr = tc.find(qn("w:tcPr"))
                width = sum(grid[col:col + span])
                tcw = tcpr.find(qn("w:tcW")) if tcpr is not None else None
                if tcw is not None and tcw.get(qn("w:type"), "dxa") == "dxa" and _attr_int(tcw, "w:w", 0) \
                        and not percent_wide and not widened:
                    width = _attr_int(tcw, "w:w", width)
                left, right = default_mar
                mar = tcpr.find(qn("w:tcMar")) if tcpr is not None else None
                if mar is not None:
                    left = _side(mar, "left", "start", left)
                    right = _side(mar, "right", "end", right)
                cell = Cell(ti, ri, ci, max(width - left - right, 0), col, sum(grid[:col]) + left)
                start = len(self.doc.paragraphs)
                for child, joined in _join_deleted_marks(blocks(tc)):
                    if child.tag == qn("w:p"):
                        self._add(self._para(child, section, cell, cell.width, joined=joined))
                        for box in text_boxes(child):
                            # A text box anchored in the cell prints in it (Word lays it out in the
                            # cell by default): its lines are the cell's, as wide as the box.
                            inner = min(max(box.width - box.insets, 0), cell.width) or cell.width
                            for q in box.paras:
                                self._add(self._para(q, section, cell, inner))
                    elif child.tag == qn("w:tbl"):
                        self._table(child, section, cell.width)
                vm = tcpr.find(qn("w:vMerge")) if tcpr is not None else None
                merge = None if vm is None else "restart" if vm.get(qn("w:val")) == "restart" else "continue"
                if merge == "continue" and col not in above:
                    # Nothing above starts at this grid column (the first row, under a cell spanning
                    # over it, or a row starting further in): Word prints the cell with its own
                    # text, a merge the rows below may continue.
                    merge = "restart"
                starts.add(col)
                paras = [q.paragraph for q in self.doc.paragraphs[start:] if q.line_no == 0]
                edge = "bottom" if ri == len(printed) - 1 else "insideH"
                out[-1].append(TableCell(paras, max(span, 1), merge, _cell_border(tcpr, edges[edge])))
                col += span
        return out

    def _table_edges(self, tbl: _Element) -> dict[str, bool]:
        """Whether the table's lines print along its bottom edge ("bottom") and between its rows
        ("insideH"): direct, then its style's, as Word resolves them. A "nil"/"none" border prints nothing."""
        levels = [tbl.find(qn("w:tblPr"))]
        ts = levels[0].find(qn("w:tblStyle")) if levels[0] is not None else None
        sid = ts.get(qn("w:val")) if ts is not None else self.fmt.default_table_style
        levels += [st.find(qn("w:tblPr")) for st in self.fmt.chain(sid)]
        out = {}
        for edge in ("bottom", "insideH"):
            found = (el for lv in levels if lv is not None
                     if (el := lv.find(f"{qn('w:tblBorders')}/{qn('w:' + edge)}")) is not None)
            el = next(found, None)
            out[edge] = el is not None and el.get(qn("w:val"), "nil") not in ("nil", "none")
        return out

    def _table_margins(self, tbl: _Element) -> tuple[int, int]:
        """Left/right cell margins: the table's own, else its style chain's, else Word's 108."""
        levels = [tbl.find(qn("w:tblPr"))]
        ts = levels[0].find(qn("w:tblStyle")) if levels[0] is not None else None
        sid = ts.get(qn("w:val")) if ts is not None else self.fmt.default_table_style
        levels += [st.find(qn("w:tblPr")) for st in self.fmt.chain(sid)]
        left = right = None
        for lv in levels:
            mar = lv.find(qn("w:tblCellMar")) if lv is not None else None
            if mar is None:
                continue
            if left is None and (mar.find(qn("w:left")) is not None or mar.find(qn("w:start")) is not None):
                left = _side(mar, "left", "start", 108)
            if right is None and (mar.find(qn("w:right")) is not None or mar.find(qn("w:end")) is not None):
                right = _side(mar, "right", "end", 108)
        return (108 if left is None else left, 108 if right is None else right)

    def _para(self, p: _Element, section: int, cell: Cell | None, width: int, numbered: bool = True,
              joined: list[_Element] | None = None, in_columns: bool = False) -> Para:
        """Paragraph p as printed; joined: paragraphs before it whose mark is a tracked deletion,
        printed at its start (their text joins p's, in p's layout); in_columns: p is read in its
        text column, where a column break sends the text on to the next column, not a new line."""
        runs: list[Run] = []
        custom: Run | None = None  # a note's run whose mark is the next run's text (w:customMarkFollows)
        for q, r in [(el, r) for el in (*(joined or ()), p) for r in visible_runs(el)]:
            text = run_text(r).replace(COLUMN_BREAK, "" if in_columns else "\n")
            note = self._note(r)
            if not text and note is None:
                continue
            fmt = self.fmt.run(q, r)
            if fmt.hidden:  # hidden text (w:vanish) is neither on the page nor in the PDF
                continue
            pending, custom = custom, None
            if pending is not None and pending.note is not None and 0 < len(text.strip()) <= CUSTOM_MARK_CHARS:
                pending.note.mark = _custom_mark(text, pending.note.paras)  # the run after prints the mark
                continue
            awaiting = False  # the mark is the next run's text
            if note is not None and _marks_itself(r):
                typed = _text_after(r)  # the mark Word prints, typed after the reference in its run
                text = text[:len(text) - len(typed)] if typed and text.endswith(typed) else text
                if typed:
                    note.mark = _custom_mark(typed, note.paras)
                awaiting = not typed
            runs.append(Run(_symbol_font_text(text, fmt), fmt, note))
            if awaiting:
                custom = runs[-1]
        label, level_rpr = self.numbers.label(p) if numbered else ("", None)
        if label:
            # Word draws the number in the list level's formatting over the paragraph mark's, in
            # front of the text.
            mark = p.makeelement(qn("w:r"), {})
            ppr = p.find(qn("w:pPr"))
            rpr = ppr.find(qn("w:rPr")) if ppr is not None else None
            merged = copy.deepcopy(rpr) if rpr is not None else p.makeelement(qn("w:rPr"), {})
            for child in level_rpr if level_rpr is not None else ():
                for same in merged.findall(child.tag):
                    merged.remove(same)
                merged.append(copy.deepcopy(child))
            mark.append(merged)
            number = self.fmt.run(p, mark)
            if self.marks_lost and (rpr is None or not len(rpr)):
                number = number_format(number, [r.fmt for r in runs if r.text.strip()], level_rpr)
            runs.insert(0, Run(label, number))
        drawn = as_drawn([(r.text, r.fmt) for r in runs], self.legacy)  # legacy fonts read as Word draws them
        runs = _shown([Run(t, r.fmt, r.note) for t, r in zip(drawn, runs, strict=True)])
        if any(r.fmt.position for r in runs):  # rare: the paragraph's own size is looked up only then
            runs = raised_as_printed(runs, self.fmt.run(p, None).size)
        return Para(
            text=norm("".join(r.text for r in runs).replace("\n", " ").replace("\f", " ")),
            el=p, fmt=self.fmt.paragraph(p, self.numbers.level_ppr(p) if numbered else None), runs=runs,
            section=section, cell=cell, width=width,
        )

    def _note(self, r: _Element) -> Note | None:
        """The footnote or endnote whose reference mark run r holds, None when it holds none. A
        mark whose note is missing or empty still prints a number: its note holds no paragraph."""
        for tag, kind in ((qn("w:footnoteReference"), "footnotes"), (qn("w:endnoteReference"), "endnotes")):
            ref = r.find(tag)
            if ref is not None:
                if self.notes is None:
                    self.notes = {}  # a reference inside a note reads as a note without text
                    self.notes = self._read_notes()
                return Note(list(self.notes.get((kind, ref.get(qn("w:id"), "")), [])), endnote=kind == "endnotes")
        return None

    def _read_notes(self) -> dict[tuple[str, str], list[Para]]:
        """Every footnote's and endnote's paragraphs by (part kind, id): the notes part of the main
        document (word/footnotes.xml, word/endnotes.xml, found by relationship), each paragraph read
        as body text is, with its runs' looks; the number opening the first prints no text of its
        own, and the space after it goes. Separators (w:type) print no text of the author's."""
        out: dict[tuple[str, str], list[Para]] = {}
        for rel in self.document.part.rels.values():
            kind = rel.reltype.rsplit("/", 1)[-1]
            if kind not in ("footnotes", "endnotes") or rel.is_external:
                continue
            try:
                root = parse_xml(rel.target_part.blob)
            except Exception:  # noqa: BLE001 - a damaged notes part: its marks read as notes without text
                continue
            for note in root:
                if note.get(qn("w:type"), "normal") != "normal":
                    continue
                paras = [self._para(p, 0, None, 0, numbered=False) for p in note.iter(qn("w:p"))]
                out[(kind, note.get(qn("w:id"), ""))] = [_trimmed(p) for p in paras if p.text]
        return out

    # locating parts


class Drawing:
    """The lines drawn in a document's first lines (up to index `upto`), placed where they land:
    shapes (from their paragraph, the column, the margin or the page), paragraph borders, lines of
    underscores and underlined text; and the estimated vertical place of each of those lines in its
    column. `line_under(target)` is the line printed right under some lines (a name, a title)."""

    def __init__(self, doc: WordDocument, upto: int):
        self.doc = doc
        self.table_left = doc.table_left
        self.tab_tables = doc.tab_tables
        self._layout(upto)
        self.drawn = self._drawn(upto)

    def line_under(self, target: list[Para]) -> Line | None:
        """The line that lands just under the last line of target, in its column, before the next text."""
        return self._line_under(target, self.drawn)

    def _stack(self, p: Para) -> Stack:
        if p.cell is None:
            return ("body", p.section)
        return ("table", p.cell.table, p.cell.grid_col)

    def _layout(self, upto: int) -> None:
        """Estimated vertical places of the first paragraphs: each column of a table stacks its rows
        (a row as tall as its tallest cell); the body stacks paragraphs and whole tables."""
        self.boxes: dict[int, _Box] = {}
        self.table_top: dict[int, float] = {}  # where each top-level table starts in its section's column
        paras = self.doc.paragraphs[:upto + 1]
        heights = {p.index: self._height(p) for p in paras}
        # tables: cell heights, row tops
        cells: dict[tuple, list[Para]] = {}
        for p in paras:
            if p.cell is not None:
                cells.setdefault((p.cell.table, p.cell.row, p.cell.grid_col), []).append(p)
        rows: dict[tuple[int, int], float] = {}
        for (t, r, _), ps in cells.items():
            rows[(t, r)] = max(rows.get((t, r), 0.0), sum(heights[q.index][0] for q in ps))
        row_top: dict[tuple[int, int], float] = {}
        self.row_bottom: dict[tuple[int, int], float] = {}  # where each row ends in its table's columns
        for t in sorted({t for t, _ in rows}):
            y = 0.0
            for r in sorted(r for tt, r in rows if tt == t):
                row_top[(t, r)] = y
                y += rows[(t, r)]
                self.row_bottom[(t, r)] = y
        for (t, r, _), ps in cells.items():
            y = row_top[(t, r)]
            for q in ps:
                y = self._box(q, y, heights[q.index])
        y_body: dict[int, float] = {}
        seen_tables: set[int] = set()
        for p in paras:
            if p.cell is None:
                y = y_body.get(p.section, 0.0)
                y_body[p.section] = self._box(p, y, heights[p.index])
            elif p.cell.table not in seen_tables:
                seen_tables.add(p.cell.table)
                self.table_top[p.cell.table] = y_body.get(p.section, 0.0)
                total = sum(h for (t, _), h in rows.items() if t == p.cell.table)
                y_body[p.section] = y_body.get(p.section, 0.0) + total
        self.column_height = y_body  # per section: how far down its column the lines reach (pt)

    def _height(self, p: Para) -> tuple[float, float, float]:
        """(total, space before, line height) of a paragraph, in pt."""
        lh = _line_height(p)
        n = len(rendered_lines(p)) if p.text else 1
        before = (p.fmt.before if p.fmt else 0) / 20
        after = (p.fmt.after if p.fmt else 0) / 20
        return before + n * lh + after, before, lh

    def _box(self, p: Para, y: float, h: tuple[float, float, float]) -> float:
        total, before, lh = h
        after = (p.fmt.after if p.fmt else 0) / 20
        self.boxes[p.index] = _Box(y, y + before, y + total - after, y + total, lh)
        return y + total

    def _drawn(self, upto: int) -> list[_Drawn]:
        """Every line drawn in the first paragraphs, placed where it lands."""
        out: list[_Drawn] = []
        seen: set[int] = set()
        for p in self.doc.paragraphs[:upto + 1]:
            box = self.boxes.get(p.index)
            if box is None:
                continue
            col_w = p.width / 20
            # A paragraph's shapes are placed from its top: its first line's.
            shapes = (_shapes(p.el, self.doc.compatibility_mode >= 15)
                      if p.el is not None and p.line_no == 0 and id(p.el) not in seen else [])
            if p.el is not None:
                seen.add(id(p.el))  # a tab-set line read as cells: its paragraph's shapes once
            for length, dy, place, vref in shapes:
                y = box.text_top + box.line_height * 0.8 if dy is None else box.top + dy
                stack = self._stack(p)
                if dy is not None and vref != "para" and p.section == 0:
                    # Placed from the page or its margin (page 1): into the coordinates of the column
                    # that holds the anchor (a table's column starts where the table stands).
                    top = self.doc.sections[0].margins.get("top", 0) / 20
                    y = dy - (top if vref == "page" else 0.0) - (
                        self.table_top.get(p.cell.table, 0.0) if p.cell is not None else 0.0)
                if p.cell is not None and p.cell.table in self.tab_tables and place is not None:
                    # In a line set with tab stops, "column" is the page's text column, not a cell.
                    text_w = self.doc.section_width(p.section) / 20
                    place = ("abs", place[1]) if place[0] == "offset" else (
                        ("abs", a[0]) if (a := _span(place, length, text_w)) is not None else None)
                if place is not None and place[0] == "page":
                    sec = self.doc.sections[min(p.section, len(self.doc.sections) - 1)]
                    place = ("abs", place[1] - sec.margins.get("left", 0) / 20)
                x: tuple[float, float] | None
                if place is not None and place[0] == "abs" and p.cell is not None:
                    stack, x = self._column_at(p, p.cell, place[1], length)
                elif place is not None and place[0] == "abs":
                    x = (place[1], place[1] + length)
                else:
                    x = _span(place, length, col_w)
                out.append(_Drawn("shape", length, p, stack, y, x))
            if p.fmt is not None and p.fmt.border_bottom:
                out.append(_Drawn("border-bottom", (p.width - p.fmt.left - p.fmt.right) / 20, p, self._stack(p),
                                  box.bottom - (p.fmt.after / 20), None))
            if p.fmt is not None and p.fmt.border_top:
                out.append(_Drawn("border-top", (p.width - p.fmt.left - p.fmt.right) / 20, p, self._stack(p),
                                  box.top + p.fmt.before / 20, None))
            if p.text and re.fullmatch(r"[_\s]{3,}", p.text) and "_" in p.text:
                width = text_width([p])
                out.append(_Drawn("underscore", width, p, self._stack(p), box.text_top + box.line_height * 0.85,
                                  None))
            under = [r for r in p.visible_runs if r.fmt.underline]
            if under and p.text and not re.fullmatch(r"[_\s]+", p.text):
                length = sum(text_width_pt(upper_vi(r.text) if r.fmt.caps else r.text, r.fmt.size or 12,
                                           bold=r.fmt.bold) + r.fmt.spacing * len(r.text) for r in under)
                out.append(_Drawn("underline", length, p, self._stack(p), box.text_bottom, None))
        return out + self._cell_borders()

    def _cell_borders(self) -> list[_Drawn]:
        """The bottom borders of the laid-out table cells: a line as wide as the cell along the bottom
        of its row (a line drawn under the text typed in a table's last row)."""
        out: list[_Drawn] = []
        for table in self.doc.tables:
            for row in table.rows:
                for tc in row:
                    cell = tc.paras[0].cell if tc.paras else None
                    if not tc.border_bottom or cell is None:
                        continue
                    bottom = self.row_bottom.get((cell.table, cell.row))
                    if bottom is None:
                        continue
                    width = sum(table.widths[cell.grid_col:cell.grid_col + tc.span]) / 20
                    start = -(cell.left - sum(table.widths[:cell.grid_col])) / 20
                    out.append(_Drawn("cell-border", width, tc.paras[-1], ("table", cell.table, cell.grid_col),
                                      bottom, (start, start + width)))
        return out

    def _column_at(self, p: Para, cell: Cell, x_margin: float, length: float) -> tuple[Stack, tuple[float, float]]:
        """A shape placed from the page or margin inside a table: the column its middle falls in."""
        centre = x_margin + length / 2 - self.table_left.get(cell.table, 0) / 20
        cols = {q.cell.grid_col: q.cell for q in self.doc.paragraphs if q.cell and q.cell.table == cell.table}
        for gc, c in sorted(cols.items()):
            if c.left / 20 - 6 <= centre <= (c.left + c.width) / 20 + 6:
                start = x_margin - self.table_left.get(cell.table, 0) / 20 - c.left / 20
                return ("table", cell.table, gc), (start, start + length)
        return self._stack(p), (x_margin, x_margin + length)

    def _line_under(self, target: list[Para], drawn: list[_Drawn]) -> Line | None:
        """The line that lands just under the last line of target, in its column, before the next text."""
        target = [p for p in target if p is not None]
        if not target:
            return None
        last = target[-1]
        box = self.boxes.get(last.index)
        if box is None:
            return None
        stack = self._stack(last)
        later = [p for p in self.doc.paragraphs if p.index > last.index and self._stack(p) == stack and p.text
                 and not re.fullmatch(r"[_\s]+", p.text) and p.index in self.boxes]
        nxt = self.boxes[later[0].index] if later else None
        low = box.text_bottom - box.line_height * 0.6
        high = nxt.text_top + nxt.line_height * 0.35 if nxt else box.text_bottom + 3 * box.line_height
        span = self._text_span(target)
        best = None
        for d in drawn + self._below_table(last, later):
            if d.stack != stack or not low <= d.y <= high:
                continue
            if d.form == "underline" and d.para not in target:
                continue
            if d.form == "border-top" and d.para in target:
                continue
            if d.x is not None and span is not None and (d.x[1] < span[0] - 2 or d.x[0] > span[1] + 2):
                continue
            gap = abs(d.y - box.text_bottom)
            if best is None or gap < best[0]:
                best = (gap, d)
        if best is None:
            return None
        d = best[1]
        return Line(d.form, d.length, d.para, d.y - box.text_bottom)

    def _below_table(self, last: Para, later: list[Para]) -> list[_Drawn]:
        """Lines drawn in the body right under a table, seen from the column of a table's last text
        (nothing printed under it in its column): a shape anchored in the paragraph after the table
        lands under the table's last row, where that text ends. Given in the column's coordinates."""
        cell = last.cell
        if cell is None or later or cell.table not in self.table_top:
            return []
        top = self.table_top[cell.table]
        shift = (self.table_left.get(cell.table, 0) + cell.left) / 20
        return [_Drawn(d.form, d.length, d.para, self._stack(last), d.y - top,
                       None if d.x is None else (d.x[0] - shift, d.x[1] - shift))
                for d in self.drawn if d.stack == ("body", last.section) and d.y >= top]

    def _text_span(self, target: list[Para]) -> tuple[float, float] | None:
        """Horizontal extent (pt in the column) of the target's widest line, as aligned."""
        p = max(target, key=lambda q: text_width([q]))
        width = p.width / 20
        left, right = (p.fmt.left / 20, p.fmt.right / 20) if p.fmt else (0.0, 0.0)
        w = text_width([p])
        align = p.fmt.align if p.fmt else "left"
        if align == "center":
            start = left + (width - left - right - w) / 2
        elif align in ("right", "end"):
            start = width - right - w
        else:
            start = left
        return (start, start + w)



def is_centred(p: Para) -> bool:
    """Centred in its column."""
    return p.fmt is not None and p.fmt.align == "center"


def is_bold(p: Para) -> bool:
    """Every visible run is bold."""
    runs = p.visible_runs
    return bool(runs) and all(r.fmt.bold for r in runs)


def is_italic(p: Para) -> bool:
    """Every visible run is italic."""
    runs = p.visible_runs
    return bool(runs) and all(r.fmt.italic for r in runs)


def is_capitals(p: Para) -> bool:
    """Its text is written in capitals (nothing changes when put in capitals)."""
    return upper_vi(p.text) == p.text


def text_size(p: Para) -> float | None:
    """The largest font size of its visible runs (pt; 0 for a run that inherits Word's default)."""
    return max((r.fmt.size or 0 for r in p.visible_runs), default=None)


def _span(x: Placement | None, length: float, col_w: float) -> tuple[float, float] | None:
    if x is None:
        return None
    kind, value = x
    if kind == "offset":
        return (value, value + length)
    if kind == "center":
        return ((col_w - length) / 2, (col_w + length) / 2)
    if kind == "left":
        return (0.0, length)
    if kind == "right":
        return (col_w - length, col_w)
    return None



def _mark_deleted(p: _Element) -> bool:
    """Whether paragraph p prints at the start of the next one: its mark is a tracked deletion (or
    moved away), or hidden (w:vanish: Word's style separator, Ctrl+Alt+Enter, is such a mark; a
    paragraph hidden whole prints nothing either way), or p is a drop cap (a frame of its first
    letters, w:framePr w:dropCap, beside the rest of the paragraph)."""
    for child in p:
        if child.tag == qn("w:pPr"):
            if child.find(qn("w:sectPr")) is not None:
                return False
            frame = child.find(qn("w:framePr"))
            if frame is not None and frame.get(qn("w:dropCap"), "none") in ("drop", "margin"):
                return True
            rpr = child.find(qn("w:rPr"))
            return rpr is not None and (any(rpr.find(tag) is not None for tag in _NOT_SHOWN[:2])
                                        or _flag(rpr.find(qn("w:vanish"))) or _flag(rpr.find(qn("w:specVanish"))))
        return False
    return False


def _join_deleted_marks(children: Iterator[_Element]) -> Iterator[tuple[_Element, list[_Element]]]:
    """Blocks with the paragraphs that print joined: (block, paragraphs whose deleted mark joins them
    to it). A run of such paragraphs before a table, or at the end, prints as they are."""
    pending: list[_Element] = []
    for child in children:
        if child.tag == qn("w:p"):
            if _mark_deleted(child) and not text_boxes(child):
                pending.append(child)
                continue
            yield child, pending
        else:
            yield from ((q, []) for q in pending)
            yield child, []
        pending = []
    yield from ((q, []) for q in pending)


def _shown(runs: list[Run]) -> list[Run]:
    """The runs' text as the page shows it: composed (NFC: "ố" stored as o + two combining marks is
    one letter; a mark split from its letter into the next run joins it) and in capitals where All
    Caps or Small Caps is on (Word prints capitals, whatever was typed); without marks that print
    nothing (zero-width characters, soft hyphens)."""
    out: list[Run] = []
    for run in runs:
        text = _INVISIBLE_RE.sub("", run.text)
        k = 0
        while k < len(text) and unicodedata.combining(text[k]):
            k += 1
        if k and out:
            out[-1] = Run(unicodedata.normalize("NFC", out[-1].text + text[:k]), out[-1].fmt, out[-1].note)
            text = text[k:]
        if not text and run.note is None:
            continue
        text = unicodedata.normalize("NFC", text)
        if run.fmt.caps or run.fmt.small_caps:
            text = upper_vi(text)
        out.append(Run(text, run.fmt, run.note))
    return out


def _marks_itself(r: _Element) -> bool:
    """Whether run r's note reference says the drafter's own mark follows (w:customMarkFollows)."""
    ref = r.find(qn("w:footnoteReference"))
    ref = ref if ref is not None else r.find(qn("w:endnoteReference"))
    return ref is not None and (ref.get(qn("w:customMarkFollows")) or "0").lower() in ("1", "true", "on")


def _text_after(r: _Element) -> str:
    """The text run r stores after its note reference: the custom mark Word prints there."""
    ref = r.find(qn("w:footnoteReference"))
    ref = ref if ref is not None else r.find(qn("w:endnoteReference"))
    rest = r.makeelement(qn("w:r"), {})
    if ref is not None:
        rest.extend(copy.deepcopy(c) for c in ref.itersiblings())
    return run_text(rest)


CUSTOM_MARK_CHARS = 10
"""The longest mark Word's Footnote and Endnote box takes (the model's NoteMark holds as many)."""


def _custom_mark(text: str, paras: list[Para]) -> str:
    """The drafter's mark as printed (at most CUSTOM_MARK_CHARS characters), taken off the opening
    of the note's text too: Word's note opens with the mark typed, not with a number."""
    mark = norm(text)[:CUSTOM_MARK_CHARS]
    if paras and mark and paras[0].text.startswith(mark):
        first = paras[0]
        runs, left = [], len(mark)
        for run in first.runs:
            cut = min(left, len(run.text))
            left -= cut
            if run.text[cut:]:
                runs.append(Run(run.text[cut:], run.fmt, run.note))
        paras[0] = _trimmed(dataclasses.replace(first, runs=runs))
    return mark


def _trimmed(para: Para) -> Para:
    """A note's paragraph without the spaces that open it (typed after the note's number)."""
    runs = list(para.runs)
    while runs and not runs[0].text.strip() and runs[0].note is None:
        runs.pop(0)
    if runs and runs[0].text != runs[0].text.lstrip():
        runs[0] = Run(runs[0].text.lstrip(), runs[0].fmt, runs[0].note)
    return dataclasses.replace(para, runs=runs, text=norm("".join(r.text for r in runs).replace("\n", " ")))


RAISE_SHARE = 1 / 8
"""How far a smaller run must be raised or lowered (w:position), as a share of the surrounding
text's size, to print as a superscript or subscript. Why an eighth: Word's Position box steps in
whole points and offers 3 pt when a drafter picks "Raised" (an exponent or the "30" of "8h30", set
at 8–10 pt beside 13–14 pt text: a fifth to a quarter of the size), while a 1 pt nudge (under a
tenth of 13–14 pt text) keeps the run on the line to the eye, as typists use it to even out a
font's baseline. An eighth counts 2 pt and more on text up to 16 pt, and never 1 pt on body text."""


def raised_as_printed(runs: list[Run], default_size: float | None) -> list[Run]:
    """The runs with a raise or drop by position (w:position) read as what it prints: smaller than
    the surrounding text and moved by at least RAISE_SHARE of its size, a superscript or subscript
    (vert_align, as Word's own w:vertAlign); a raise of text at the surrounding size prints as text
    moved up, still words of the line. The surrounding size: the size most of the paragraph's
    characters on the line print at, else the paragraph's own (default_size)."""
    if not any(r.fmt.position and not r.fmt.vert_align for r in runs):
        return runs
    counts: dict[float, int] = {}
    for r in runs:
        if not r.fmt.position and not r.fmt.vert_align and r.fmt.size and r.text.strip():
            counts[r.fmt.size] = counts.get(r.fmt.size, 0) + len(r.text.strip())
    around = max(counts, key=lambda size: counts[size]) if counts else default_size
    if not around:
        return runs
    out = []
    for r in runs:
        fmt = r.fmt
        if (fmt.position and not fmt.vert_align and fmt.size and fmt.size < around
                and abs(fmt.position) >= around * RAISE_SHARE):
            fmt = dataclasses.replace(fmt, vert_align="superscript" if fmt.position > 0 else "subscript",
                                      vert_by_position=True)
            r = Run(r.text, fmt, r.note)
        out.append(r)
    return out


@dataclass
class TextBox:
    """A text box's place across its column and its paragraphs (twips)."""

    x: int
    width: int
    insets: int  # left + right inner margins
    paras: list[_Element]


WPS_TXBX = f"{{{WPS_NS}}}txbx"


def text_boxes(p: _Element) -> list[TextBox]:
    """The text boxes anchored in paragraph p, with text: DrawingML (wps:txbx) or VML (v:textbox)
    where no DrawingML copy stands for it (the mc:Fallback copy is the same box)."""
    out = []
    for content in p.iter(qn("w:txbxContent")):
        if _owner_para(content) is not p or _in_fallback(content):
            continue
        paras = content.findall(qn("w:p"))
        if not any(visible_text(q).strip() for q in paras):
            continue
        holder = content.getparent()
        x, width, insets = 0, 0, 288
        if holder is not None and holder.tag == WPS_TXBX:
            anchor = next((a for a in content.iterancestors(f"{{{WP_NS}}}anchor", f"{{{WP_NS}}}inline")), None)
            ext = anchor.find(f"{{{WP_NS}}}extent") if anchor is not None else None
            width = _emu_twips(ext.get("cx") if ext is not None else None, 0)
            off = anchor.find(f"{{{WP_NS}}}positionH/{{{WP_NS}}}posOffset") if anchor is not None else None
            x = _emu_twips(off.text if off is not None else None, 0)
            shape = holder.getparent()
            body = shape.find(f"{{{WPS_NS}}}bodyPr") if shape is not None else None
            if body is not None:
                insets = _emu_twips(body.get("lIns"), 144) + _emu_twips(body.get("rIns"), 144)
            placed = _in_group(shape) if shape is not None else None
            if placed is not None:  # one box of a drawing group: its own place and width in it
                x += _emu_twips(str(int(placed[0])), 0)
                width = _emu_twips(str(int(placed[1])), width)
        else:  # VML: the shape's style holds its place and width
            shape = holder.getparent() if holder is not None else None
            style = dict(kv.split(":", 1) for kv in ((shape.get("style") if shape is not None else "") or "").split(";")
                         if ":" in kv)
            width = int((_vml_length(style.get("width", "")) or 0) * 20)
            x = int((_vml_length(style.get("margin-left", "0")) or 0) * 20)
            insets = _vml_insets(holder.get("inset") if holder is not None else None)
        out.append(TextBox(x, width, insets, paras))
    return out


def _vml_insets(inset: str | None) -> int:
    """A VML text box's left + right inner margins (twips): v:textbox's inset="left,top,right,bottom",
    a value left out keeping Word's default of 0.1 inch (7.2 pt) at each side."""
    sides = (inset or "").split(",")
    left, right = (sides[k] if len(sides) > k else "" for k in (0, 2))
    return sum(int(round((7.2 if (v := _vml_length(side)) is None else v) * 20)) for side in (left, right))


WPG_NS = "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup"
_GROUPS = (f"{{{WPG_NS}}}wgp", f"{{{WPG_NS}}}grpSp")


def _in_group(shape: _Element) -> tuple[float, float] | None:
    """A shape's left (from its drawing's left edge) and width, in EMU, when it is one of a drawing
    group's (wpg:wgp): each level of grouping maps its children's coordinates (a:chOff, a:chExt)
    onto its own place (a:off, a:ext). None outside a group."""
    parent = shape.getparent()
    if parent is None or parent.tag not in _GROUPS:
        return None
    xfrm = shape.find(f"{{{WPS_NS}}}spPr/{{{A_NS}}}xfrm")
    if xfrm is None:
        return None
    x, w = _xfrm_x(xfrm, "off", "x"), _xfrm_x(xfrm, "ext", "cx")
    group: _Element | None = parent
    while group is not None and group.tag in _GROUPS:
        g = group.find(f"{{{WPG_NS}}}grpSpPr/{{{A_NS}}}xfrm")
        if g is None:
            break
        span = _xfrm_x(g, "chExt", "cx")
        scale = _xfrm_x(g, "ext", "cx") / span if span else 1.0
        x = (x - _xfrm_x(g, "chOff", "x")) * scale
        w *= scale
        outer = group.getparent()
        if outer is not None and outer.tag in _GROUPS:
            x += _xfrm_x(g, "off", "x")  # the top group is placed by its anchor, not its own a:off
        group = outer
    return x, w


def _xfrm_x(xfrm: _Element, child: str, attr: str) -> float:
    el = xfrm.find(f"{{{A_NS}}}{child}")
    try:
        return float(el.get(attr, "0")) if el is not None else 0.0
    except ValueError:
        return 0.0


def _emu_pt(value: str | None, default: float) -> float:
    """A DrawingML length or offset (EMU, an integer) in points; the default when absent or not one."""
    try:
        return int(value) / EMU_PER_PT if value else default
    except ValueError:
        return default


def _emu_twips(value: str | None, default: int) -> int:
    """A DrawingML length (EMU) in twips; the default when absent or not a number."""
    try:
        return int(int(value) / EMU_PER_PT * 20) if value else default
    except ValueError:
        return default


def _in_fallback(el: _Element) -> bool:
    return any(a.tag == f"{{{MC_NS}}}Fallback" for a in el.iterancestors())


Placement = tuple[str | None, float]
"""How a shape is placed across its column: ("offset", pt from the column's left), ("abs", pt from
the margin), ("page", pt from the page's edge), or (an alignment such as "center", 0)."""


def _shapes(p: _Element, always_in_cell: bool = False) -> list[tuple[float, float | None, Placement | None, str]]:
    """Straight lines drawn in paragraph p: (length pt, vertical offset in pt or None when inline,
    horizontal placement, what the offset is from: "para" the paragraph's top, "page" the page's top
    edge, "margin" the top margin). DrawingML first; VML only where no DrawingML stands
    for it (the mc:Fallback copy of a shape is the same line). always_in_cell: the file is laid out
    as Word 2013 and later lay it out (compatibility mode 15), which place a shape anchored in a
    table cell in that cell even when its layoutInCell is off; LibreOffice writes layoutInCell="0"
    with that mode for every shape it saves, the lines under a header table's names included."""
    out: list[tuple[float, float | None, Placement | None, str]] = []
    for anchor in p.iter(f"{{{WP_NS}}}anchor", f"{{{WP_NS}}}inline"):
        if _owner_para(anchor) is not p:
            continue
        geom = anchor.find(f".//{{{A_NS}}}prstGeom")
        prst = geom.get("prst", "").lower() if geom is not None else ""
        is_line = prst in ("line", "straightconnector1", "straightconnector")
        if not (is_line or anchor.find(f".//{{{WPS_NS}}}cNvCnPr") is not None or (
                prst == "rect" and _flat_bar_prints(anchor))):
            continue
        ext = anchor.find(f"{{{WP_NS}}}extent")
        if ext is None:
            continue
        length = _emu_pt(ext.get("cx"), 0.0)
        # nothing printed, or not a rule (a slanted or vertical line is not a rule)
        if length < 1 or _emu_pt(ext.get("cy"), 0.0) > 3:
            continue
        dy: float | None = None
        x: Placement | None = None
        vref = "para"
        if anchor.tag == f"{{{WP_NS}}}anchor":
            pv = anchor.find(f"{{{WP_NS}}}positionV")
            off = pv.find(f"{{{WP_NS}}}posOffset") if pv is not None else None
            rel = pv.get("relativeFrom") if pv is not None else None
            dy = _emu_twips(off.text if off is not None else None, 0) / 20
            if rel in ("page", "topMargin") and off is not None:
                vref = "page"  # from the page's top edge
            elif rel == "margin" and off is not None:
                vref = "margin"  # from the top margin
            elif rel not in ("paragraph", "line"):
                dy = 0.0  # placed by alignment or from elsewhere: taken at the paragraph's top
            ph = anchor.find(f"{{{WP_NS}}}positionH")
            if ph is not None:
                off = ph.find(f"{{{WP_NS}}}posOffset")
                al = ph.find(f"{{{WP_NS}}}align")
                rel = ph.get("relativeFrom")
                v = _emu_pt(off.text if off is not None else None, math.nan)  # NaN: no offset written
                if not math.isnan(v):
                    # Inside a table cell (layoutInCell, Word's default) "margin" means the cell's.
                    in_cell = always_in_cell or anchor.get("layoutInCell", "1") not in ("0", "false")
                    kind = {"column": "offset", "character": "offset", "margin": "offset" if in_cell else "abs",
                            "page": "page"}.get(rel or "")
                    x = (kind, v) if kind else None
                elif al is not None:
                    x = (al.text, 0.0) if rel in ("column", "margin") else None
        out.append((length, dy, x, vref))
    for el in p.iter(f"{{{V_NS}}}line", f"{{{V_NS}}}shape"):
        if _owner_para(el) is not p or _in_fallback(el):
            continue
        style = dict(kv.split(":", 1) for kv in (el.get("style") or "").split(";") if ":" in kv)
        if el.tag == f"{{{V_NS}}}line":
            x1 = _vml_length(el.get("from", "0,0").split(",")[0])
            x2 = _vml_length(el.get("to", "0,0").split(",")[0])
            if x1 is None or x2 is None:
                continue
            length = abs(x2 - x1)
        elif "32" in (el.get("type") or ""):  # _x0000_t32: Word's straight connector
            length = _vml_length(style.get("width", "")) or 0.0
        else:
            continue
        if style.get("position", "").strip() == "absolute":
            dy = _vml_length(style.get("margin-top", "0")) or 0.0
            left = _vml_length(style.get("margin-left", "0")) or 0.0
            x = ("offset", left)
        else:
            dy, x = None, None
        out.append((length, dy, x, "para"))
    return out


def _flat_bar_prints(anchor: _Element) -> bool:
    """Whether a rectangle shape prints as a rule: no text in it, and an outline or a fill that
    shows (its height is judged by the caller, as a line's is). LibreOffice saves a straight
    connector it read from a .doc as such a rectangle, 0.05 pt tall with a black outline, and a
    page shows it as the line it was."""
    if anchor.find(f".//{{{WPS_NS}}}txbx") is not None:
        return False
    sppr = anchor.find(f".//{{{WPS_NS}}}spPr")
    if sppr is None:
        return False
    fills = (f"{{{A_NS}}}solidFill", f"{{{A_NS}}}gradFill", f"{{{A_NS}}}pattFill")
    if any(c.tag in fills for c in sppr):
        return True
    ln = sppr.find(f"{{{A_NS}}}ln")
    if ln is not None:
        return ln.find(f"{{{A_NS}}}noFill") is None
    # No outline of its own: the shape's style draws the theme's line unless it names none (idx 0).
    ref = anchor.find(f".//{{{WPS_NS}}}style/{{{A_NS}}}lnRef")
    return ref is not None and ref.get("idx", "0") != "0"


_UNITS = {"pt": 1.0, "in": 72.0, "cm": 72 / 2.54, "mm": 72 / 25.4, "px": 0.75}


def _vml_length(value: str) -> float | None:
    m = re.fullmatch(r"\s*(-?[\d.]+)\s*([a-z]*)\s*", value or "")
    if not m or m.group(1) in ("", "."):
        return None
    unit = m.group(2) or "pt"  # VML numbers without a unit in from/to are points in Word's output
    return float(m.group(1)) * _UNITS.get(unit, 1.0)


def _owner_para(el: _Element) -> _Element | None:
    return next((a for a in el.iterancestors(qn("w:p"))), None)


# Not printed: tracked deletions, the old place of moved text, and the mc:Fallback copy of content
# written twice for older readers (Word prints the mc:Choice).
_NOT_SHOWN = (qn("w:del"), qn("w:moveFrom"), f"{{{MC_NS}}}Fallback")
_BLOCK_WRAPPERS = (qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml"))


PAGE_CELL_LINES = 3
"""Lines of text a one-cell table as wide as the page must hold to be the page's text laid out in a
table (below: a boxed note, a draft's mark, a line set apart, read as the table it is)."""


def _page_cell(tbl: _Element, room: int) -> _Element | None:
    """The one cell of a table that only lays out the page's text: one row, one cell as wide as the
    text area (9/10 of it at least), holding several lines of text and no section break. Some
    templates, and web pages made into Word files, set the whole body so; Word prints its paragraphs
    and tables as the body's (the table at most boxes them), so they are read where it stands."""
    rows = [tr for tr in blocks(tbl, qn("w:tr")) if tr.find(f"{qn('w:trPr')}/{qn('w:del')}") is None]
    cells = [tc for tr in rows for tc in blocks(tr, qn("w:tc"))]
    if len(cells) != 1 or room <= 0 or sum(_grid(tbl, room)) < 0.9 * room:
        return None
    paras = list(blocks(cells[0], qn("w:p")))
    if any(p.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None for p in paras) \
            or sum(1 for p in paras if visible_text(p).strip()) < PAGE_CELL_LINES:
        return None
    return cells[0]


def _framed_table(tbl: _Element) -> _Element | None:
    """The table a one-cell table only frames: Word keeps a table pasted into a cell as a table in
    that cell, and the page shows the inner table's rows and columns (the outer one at most draws a
    box round it). The inner table, when it is the cell's only content besides empty paragraphs."""
    rows = [tr for tr in blocks(tbl, qn("w:tr")) if tr.find(f"{qn('w:trPr')}/{qn('w:del')}") is None]
    cells = [tc for tr in rows for tc in blocks(tr, qn("w:tc"))]
    if len(cells) != 1:
        return None
    inner = [c for c in blocks(cells[0]) if c.tag == qn("w:tbl")]
    if len(inner) != 1 or any(visible_text(p).strip() or text_boxes(p) or _shapes(p)
                              for p in blocks(cells[0], qn("w:p"))):
        return None
    return inner[0]


def blocks(parent: _Element, tag: str | None = None) -> Iterator[_Element]:
    """The children of a body, a cell, a table or a row as Word lays them out: content controls
    (w:sdt) and custom XML (w:customXml) wrap paragraphs, tables, rows and cells without printing
    anything of their own, so their content is read where the wrapper stands. tag: only those."""
    for child in parent:
        if child.tag in _BLOCK_WRAPPERS:
            if child.tag == qn("w:sdt"):
                content = child.find(qn("w:sdtContent"))
                if content is not None:
                    yield from blocks(content, tag)
            else:
                yield from blocks(child, tag)
        elif tag is None or child.tag == tag:
            yield child


# Not in the line's text: the phonetic guide of a word (w:ruby's w:rt prints small above its base
# text, w:rubyBase, which is the line's).
_NOT_IN_LINE = (*_NOT_SHOWN, qn("w:rt"))


def visible_runs(p: _Element) -> Iterator[_Element]:
    """The runs a reader sees in paragraph p: its own (not a nested text box's), including tracked
    insertions, hyperlinks and content controls, without tracked deletions or fallback copies."""
    for r in p.iter(qn("w:r")):
        if _owner_para(r) is p and not any(a.tag in _NOT_IN_LINE for a in r.iterancestors()):
            yield r


def visible_text(p: _Element, fmt: Formatting | None = None) -> str:
    """The text a reader sees in paragraph p (a w:p element); line breaks (and column breaks) as
    "\n", tabs as "\t". fmt: the document's formatting, to read runs in a legacy font (TCVN3, VNI)
    as Word draws them."""
    runs = list(visible_runs(p))
    texts = [run_text(r).replace(COLUMN_BREAK, "\n") for r in runs]
    if fmt is not None and not all(t.isascii() for t in texts):
        texts = as_drawn([(t, fmt.run(p, r)) for t, r in zip(texts, runs, strict=True)])
    return _INVISIBLE_RE.sub("", "".join(texts))


def _names_legacy_font(document: DocxDocument, fmt: Formatting) -> bool:
    """Whether the body's runs can be in a legacy 8-bit font: named on a run, in the document
    defaults, or in a style the body uses (with its basedOn chain). Old agency templates often keep
    .VnTime styles nobody applies; those must not cost the reading of every run."""
    def names(el: _Element | None) -> bool:
        return el is not None and names_legacy_font(
            rf.get(qn(f"w:{slot}")) for rf in el.iter(qn("w:rFonts")) for slot in ("ascii", "hAnsi"))

    body = document.element.body
    if names(body) or names(fmt.rpr_default):
        return True
    used = {el.get(qn("w:val")) for tag in ("w:pStyle", "w:rStyle", "w:tblStyle") for el in body.iter(qn(tag))}
    used |= {fmt.default_para_style, fmt.default_char_style, fmt.default_table_style}
    return any(names(st.find(qn("w:rPr"))) for sid in used for st in fmt.chain(sid))


# Characters stored in the text that print nothing: zero-width space, non-joiner, joiner, word
# joiner, byte-order mark, and the soft hyphen (shown only where Word breaks a line at it).
_INVISIBLE_RE = re.compile("[\u200b-\u200d\u2060\ufeff\u00ad]")

# What a w:sym of the Symbol font prints, where a reader reads it as a typed character (the
# Symbol font's minus is the dash of a list; its bullet a list mark).
_SYMBOL_FONT = {0x2D: "-", 0xB7: "•", 0x2A: "*", 0x2B: "+", 0x3D: "=", 0xAE: "→", 0xD7: "×", 0xB0: "°"}
# The rest of what the Symbol font prints at its codes (Unicode's mapping of the font): the signs a
# target or a formula is written with ("≥ 95%") and Greek letters. Read as nothing, "≥ 95%" would
# say "95%".
_SYMBOL_FONT.update(zip(range(0x41, 0x5B), "ΑΒΧΔΕΦΓΗΙϑΚΛΜΝΟΠΘΡΣΤΥςΩΞΨΖ", strict=True))
_SYMBOL_FONT.update(zip(range(0x61, 0x7B), "αβχδεφγηιϕκλμνοπθρστυϖωξψζ", strict=True))
_SYMBOL_FONT.update({0xA3: "≤", 0xA5: "∞", 0xAB: "↔", 0xAC: "←", 0xAD: "↑", 0xAF: "↓", 0xB1: "±", 0xB3: "≥",
                     0xB4: "×", 0xB8: "÷", 0xB9: "≠", 0xBA: "≡", 0xBB: "≈", 0xBC: "…", 0xD6: "√", 0xDB: "⇔",
                     0xDC: "⇐", 0xDD: "⇑", 0xDE: "⇒", 0xDF: "⇓", 0xE5: "∑", 0xA0: "€", 0x40: "≅"})


def _sym(el: _Element) -> str:
    """The character a w:sym prints: the Symbol font's minus, bullet and arithmetic signs as their
    Unicode characters, a private-use code (F0xx) of another font as the ASCII punctuation it names,
    a picture font's glyph (Wingdings) as a bullet."""
    try:
        code = int(el.get(qn("w:char"), ""), 16)
    except ValueError:
        return ""
    return _symbol_char(code, el.get(qn("w:font")) or "")


_PRIVATE_SYMBOLS_RE = re.compile("[\uf020-\uf0ff]")


def _symbol_font_text(text: str, fmt: RunFormat) -> str:
    """A run typed in a symbol font stores its glyphs as private-use codes (U+F0B7 for the Symbol
    font's bullet) that print as nothing in any other font: read them as a w:sym of that font."""
    if not _PRIVATE_SYMBOLS_RE.search(text):
        return text
    font = fmt.fonts.get("hAnsi") or fmt.fonts.get("ascii") or ""
    if not symbol_font(font):
        return text
    return _PRIVATE_SYMBOLS_RE.sub(lambda m: _symbol_char(ord(m.group()), font), text)


def _symbol_char(code: int, font: str) -> str:
    if 0xF000 <= code <= 0xF0FF:
        code -= 0xF000
    if (font_family(font) or "").casefold() == "symbol":
        return _SYMBOL_FONT.get(code, chr(code) if 0x20 <= code < 0x41 else "")
    if symbol_font(font):
        return "•"  # a picture font's glyph (Wingdings): a list's mark
    return chr(code) if code >= 0x20 else ""


COLUMN_BREAK = "\v"
"""How run_text marks a column break (Ctrl+Shift+Enter): in a section set in columns the text goes
on at the top of the next column; elsewhere the reader reads it as a line break."""


def _column_breaks(p: _Element) -> tuple[int, int]:
    """(column breaks before p's first printed character, the others): the first send p itself to
    the next column, the others the paragraphs after it (a break inside a line ends its column
    after the paragraph: the nearest reading of a line cut across two columns)."""
    before = after = 0
    seen_text = False
    for r in visible_runs(p):
        for child in r:
            if child.tag == qn("w:br") and child.get(qn("w:type")) == "column":
                if seen_text:
                    after += 1
                else:
                    before += 1
            elif child.tag == qn("w:t") and (child.text or "").strip():
                seen_text = True
    return before, after


def _columns(cols: _Element | None, text_width: int) -> tuple[tuple[int, int], ...]:
    """The text columns of a section, (left, width) in twips from the text area's left, when it has
    more than one (w:cols: w:num equal columns w:space apart, or each w:col's own width and space)."""
    if cols is None:
        return ()
    own = cols.findall(qn("w:col"))
    if own and cols.get(qn("w:equalWidth")) in ("0", "false", "off"):
        out, x = [], 0
        for c in own:
            w = _attr_int(c, "w:w", 0)
            out.append((x, w))
            x += w + _attr_int(c, "w:space", 0)
        return tuple(out) if len(out) > 1 else ()
    n = _attr_int(cols, "w:num", 1)
    if n < 2 or n > 45:  # Word allows 45 columns at most
        return ()
    space = _attr_int(cols, "w:space", 720)
    w = max((text_width - space * (n - 1)) // n, 0)
    return tuple((k * (w + space), w) for k in range(n))


def run_text(r: _Element) -> str:
    """The characters run r stores for printing: text, tabs ("\t"), line breaks ("\n"), a page break
    ("\f"), non-breaking hyphens and symbols; not field codes or deleted text. Marks that print
    nothing (zero-width characters, soft hyphens) are dropped later (_shown, visible_text), once a
    legacy font's codes are read: TCVN3 stores "ư" as the soft hyphen's code."""
    out = []
    for child in r:
        tag = child.tag
        if tag == qn("w:t"):
            out.append(child.text or "")
        elif tag == qn("w:tab") or tag == qn("w:ptab"):
            out.append("\t")
        elif tag == qn("w:br") and child.get(qn("w:type")) == "column":
            out.append(COLUMN_BREAK)  # the reader places it: the next column, or a new line
        elif tag == qn("w:cr") or (tag == qn("w:br") and child.get(qn("w:type")) != "page"):
            out.append("\n")  # a manual line break
        elif tag == qn("w:br"):
            out.append("\f")  # a page break: the text goes on, on the next page
        elif tag == qn("w:noBreakHyphen"):
            out.append("-")
        elif tag == qn("w:pgNum"):
            out.append("1")  # the page's number (a PAGE field's result is stored; this one is not)
        elif tag == qn("w:sym"):
            out.append(_sym(child))
    return "".join(out)


def _merged_across(tr: _Element) -> list[tuple[_Element, int, bool]]:
    """The cells of row tr as printed: each with the grid columns it spans and whether it was
    widened. Word's older horizontal merge (w:hMerge) keeps a cell per grid column: a continuing
    cell widens the one before it, as w:gridSpan does, and its own paragraphs are not printed; the
    widened cell's text has the room of all it covers (its own w:tcW is its first part's)."""
    out: list[tuple[_Element, int, bool]] = []
    for tc in blocks(tr, qn("w:tc")):
        tcpr = tc.find(qn("w:tcPr"))
        span = _attr_int(tcpr.find(qn("w:gridSpan")) if tcpr is not None else None, "w:val", 1)
        hm = tcpr.find(qn("w:hMerge")) if tcpr is not None else None
        if hm is not None and hm.get(qn("w:val")) != "restart" and out:
            first, covered, _ = out[-1]
            out[-1] = (first, covered + span, True)
            continue
        out.append((tc, span, False))
    return out


def _cell_border(tcpr: _Element | None, table_edge: bool) -> bool:
    """Whether a line prints along a cell's bottom edge: the cell's own bottom border, else the
    table's there (its bottom edge for the last row, its inside lines for the others: _table_edges)."""
    own = tcpr.find(f"{qn('w:tcBorders')}/{qn('w:bottom')}") if tcpr is not None else None
    if own is not None:
        return own.get(qn("w:val"), "nil") not in ("nil", "none")
    return table_edge


def _percent_wide(tbl: _Element) -> float | None:
    """The share of its room a table is set to fill (w:tblW of type "pct"), None for a table sized
    in twips or auto."""
    tblw = tbl.find(f"{qn('w:tblPr')}/{qn('w:tblW')}")
    if tblw is None or tblw.get(qn("w:type")) != "pct":
        return None
    return _share(tblw.get(qn("w:w")))


def _share(value: str | None) -> float | None:
    """A width of type "pct" as a share of 1: fiftieths of a percent ("2500"), or a percentage
    ("50%", as Word 2010 and later may write it); None when not a share of 0–100 %."""
    value = (value or "").strip()
    try:
        share = float(value[:-1]) / 100 if value.endswith("%") else float(value) / 5000
    except ValueError:
        return None
    return share if 0 < share <= 1 else None


def _grid(tbl: _Element, room: int) -> list[int]:
    """The table's grid columns as printed, in twips, laid out in room twips. A table set to fill a
    share of its room (pandoc writes every table 100 % wide, its grid for a page of its own guess)
    prints that wide whatever its grid sums to: Word spreads the room over the columns in the
    grid's proportions. Else the cells' own widths lay out a grid that is missing or a library's
    placeholder (_cell_widths)."""
    grid = [_attr_int(g, "w:w", 0) for g in tbl.findall(f"{qn('w:tblGrid')}/{qn('w:gridCol')}")]
    share, total = _percent_wide(tbl), sum(grid)
    if share is not None and total > 0 and room > 0:
        return [round(w * room * share / total) for w in grid]
    tblw = tbl.find(f"{qn('w:tblPr')}/{qn('w:tblW')}")
    width = (round(room * share) if share is not None
             else _attr_int(tblw, "w:w", 0) if tblw is not None and tblw.get(qn("w:type"), "dxa") == "dxa"
             else 0) or total or room
    return _cell_widths(tbl, grid, width) or grid


def _cell_widths(tbl: _Element, grid: list[int], width: int) -> list[int] | None:
    """The grid as the cells' own widths give it (w:tcW in twips, or in fiftieths of a percent of
    the table's width) where the stored grid is no layout: missing (a table written by hand with
    the OpenXML SDK or docx4j), or the even split of the page a library writes whatever the cells
    say (python-docx's add_table; Word, opening it, lays the table out from its cells). A grid Word
    saved is what it printed, even where the cells keep preferences it could not honour: kept
    (None). Each grid column takes the width of the first cell of its own (one grid column wide)
    that gives one; a missing grid's columns no cell gives share what the others leave."""
    found: dict[int, int] = {}
    columns = len(grid)
    for tr in blocks(tbl, qn("w:tr")):
        trpr = tr.find(qn("w:trPr"))
        col = _attr_int(trpr.find(qn("w:gridBefore")) if trpr is not None else None, "w:val", 0)
        for tc in blocks(tr, qn("w:tc")):
            tcpr = tc.find(qn("w:tcPr"))
            span = max(_attr_int(tcpr.find(qn("w:gridSpan")) if tcpr is not None else None, "w:val", 1), 1)
            tcw = tcpr.find(qn("w:tcW")) if tcpr is not None else None
            own = _preferred_width(tcw, width)
            if span == 1 and own > 0:
                found.setdefault(col, own)
            col += span
        columns = max(columns, col)
    placeholder = len(grid) > 1 and len(set(grid)) == 1
    if len(grid) == columns and (len(found) < columns or not placeholder
                                 or all(found[c] == w for c, w in enumerate(grid))):
        return None
    if not columns:
        return None
    rest = max(width - sum(found.values()), 0) // max(columns - len(found), 1)
    return [found.get(c, rest) for c in range(columns)]


def _preferred_width(tcw: _Element | None, width: int) -> int:
    """A cell's preferred width (w:tcW) in twips: as written, or its share of the table's width when
    given in fiftieths of a percent ("pct", or "50%"); 0 when auto or none."""
    if tcw is None:
        return 0
    kind = tcw.get(qn("w:type"), "dxa")
    if kind == "dxa":
        return _attr_int(tcw, "w:w", 0)
    share = _share(tcw.get(qn("w:w"))) if kind == "pct" else None
    return round(width * share) if share is not None else 0


@overload
def _attr_int(el: _Element | None, name: str, default: int) -> int: ...
@overload
def _attr_int(el: _Element | None, name: str, default: None) -> int | None: ...
def _attr_int(el: _Element | None, name: str, default: int | None) -> int | None:
    if el is None:
        return default
    v = measure(el.get(qn(name)))
    return v if v is not None else default


def _frame_key(el: _Element) -> tuple[tuple[str, str], ...] | None:
    """A paragraph's frame properties (w:framePr), as a key: paragraphs with the same key in a row
    print as one frame. None for a paragraph not in a frame (a drop cap is not a frame of its own;
    a paragraph that ends a section is read where it stands)."""
    if el.tag != qn("w:p"):
        return None
    ppr = el.find(qn("w:pPr"))
    if ppr is None:
        return None
    fp = ppr.find(qn("w:framePr"))
    if fp is None or ppr.find(qn("w:sectPr")) is not None or fp.get(qn("w:dropCap"), "none") != "none":
        return None
    return tuple(sorted((k.split("}")[-1], v) for k, v in fp.attrib.items()))


def _int_or(value: str | None, default: int) -> int:
    v = measure(value)
    return v if v is not None else default


def _attr_str(el: _Element | None, name: str) -> str | None:
    return el.get(qn(name)) if el is not None else None


def _side(mar: _Element, name: str, alt: str, default: int) -> int:
    el = mar.find(qn(f"w:{name}"))
    if el is None:
        el = mar.find(qn(f"w:{alt}"))
    if el is None or el.get(qn("w:type"), "dxa") != "dxa":
        return default
    return _attr_int(el, "w:w", default)


def _flag(el: _Element | None) -> bool:
    return el is not None and el.get(qn("w:val"), "1").lower() not in ("0", "false", "off")
