"""The one reader of a Word administrative document: its parts found by text and layout.

Why not by style names: a document drafted in Word uses "Normal" and direct formatting, or styles
named in any language; only the text and where it sits (header table, cells, order) are reliable.
The result is a neutral model (`KeHoach`, whatever the document's type) that `check` and `import`
both read; a data file builds the same model from its derived strings, without formatting, so the
content rules run on both.

What prints side by side reads as a table whatever made it: a real table; text boxes anchored in one
paragraph (one row, a cell per box, left to right); a header, or a Nơi nhận and signer, set in two
columns with tab stops (a row per line, each piece in the column its stop puts it in). Drawn lines are
placed where they land, from their paragraph, the column, the margin or the page.

Public API (for check and import; nothing else should parse these lines again):
- `read_docx(path) -> KeHoach`: every part located (see the fields of KeHoach), with
  `document_type` ("Kế hoạch", "Công văn", …) and `not_administrative` (why it is not one, or None).
- `parse_number_line(text) -> NumberLine | None`: "Số: 16/KH-MTTQ-BTT" → number "16" (None when
  blank), symbol "KH-MTTQ-BTT", type_abbr "KH", agency_abbr "MTTQ-BTT".
- `parse_date_line(text) -> DateLine | None`: "Lào Cai, ngày     tháng     năm 2026" → place, day and
  month None when left blank (the normal unsigned draft), year 2026.
- `parse_authority(text) -> Authority`: "KT. GIÁM ĐỐC" → form "KT", title "GIÁM ĐỐC".
- `parse_reference(text) -> Reference | None`: an appendix's "(Kèm theo Kế hoạch số …/… ngày … của …)".
- `recognise_type(text) -> str | None`: "KẾ HOẠCH" → "Kế hoạch".
- `rendered_lines(para) -> list[tuple[str, float]]`: the printed lines of a paragraph and their widths
  (pt, Times New Roman metrics, character spacing included).
- `visible_runs`, `visible_text`, `run_text`, `norm`: what a reader sees of a w:p; `blocks`: the paragraphs,
  tables, rows and cells of a container with content controls and custom XML looked through.
"""

from __future__ import annotations

import copy
import dataclasses
import itertools
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, overload

from docx.oxml.ns import qn
from lxml.etree import _Element

from ..errors import UserError
from ..nd30 import TYPE_ABBREVIATIONS
from ..nd30.figures import A4_TWIPS
from ..text import upper_vi
from .formatting import Formatting, ParaFormat, RunFormat
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


def norm(text: str) -> str:
    """NFC, every kind of space as a space, full-width punctuation as typed ASCII, runs of spaces
    collapsed, trimmed."""
    text = _SPACES_RE.sub(" ", unicodedata.normalize("NFC", text))
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


@dataclass
class Run:
    text: str
    fmt: RunFormat


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
    # and each line is one Para in KeHoach.paragraphs. A line keeps the paragraph it belongs to in
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

    def where(self, section_count: int = 1) -> str:
        excerpt = self.text if len(self.text) <= 50 else self.text[:47] + "…"
        parts = []
        if section_count > 1:
            parts.append(f"mục trang {self.section + 1}")
        if self.cell:
            parts.append(str(self.cell))
        parts.append(f"“{excerpt}”" if excerpt else f"đoạn trống số {self.index + 1}")
        return ", ".join(parts)


@dataclass
class TableCell:
    """One cell of a top-level table: its paragraphs (a nested table's included: they print in
    this cell), how many grid columns it spans, and its vertical merge (None, restart, continue)."""

    paras: list[Para]
    span: int = 1
    merge: str | None = None


@dataclass
class Table:
    """A top-level table as printed: rows of cells, grid column widths (twips), its section, its
    number among the top-level tables (1-based, for messages) and the paragraph lines it holds."""

    rows: list[list[TableCell]]
    widths: list[int]
    section: int
    number: int
    first: int  # index of its first line in KeHoach.paragraphs
    last: int  # index of its last line

    def holds(self, para: Para) -> bool:
        return para.cell is not None and self.first <= para.index <= self.last


@dataclass
class Line:
    """A solid line printed under an element, however the drafter made it, found where it lands."""

    form: str  # border-top, border-bottom, underline, underscore, shape
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

    @property
    def text_width(self) -> int:
        return self.width - self.margins.get("left", 0) - self.margins.get("right", 0)


@dataclass
class CatalogueRow:
    """One row of an appendix's catalogue table, read by its STT cell: "I" a group, "1" a task."""

    number: str  # the STT as written ("I", "II.", "1", "STT" in the header row)
    para: Para  # the row's text cell (the group title or the task content), for locating it


@dataclass
class AppendixPart:
    section: int
    heading: Para
    titles: list[Para]
    reference: Para | None
    rows: list[CatalogueRow] = field(default_factory=list)
    own_section: bool = True  # False: it follows the signature in the body's section (numbering runs on)
    titled: bool = True  # False: text after the signature with no appendix heading (heading = its first line)
    sections: list[int] = field(default_factory=list)  # every section it prints in (a form may turn the page)


# --- parsed lines (one regex per concept) -----------------------------------------------------------

NUMBER_RE = re.compile(r"^s[ốô]\s*[:.]?\s*(?:\d|[.…_ ]*/)", re.I)
NUMBER_FORM = re.compile(
    r"^(?P<so>\S+?)\s*(?P<colon>:?)(?P<sp1>\s*)(?P<num>\d*)[.…_]*(?P<sp2>\s*)/(?P<sp3>\s*)(?P<sym>.*)$")
# An agency's abbreviation may join words with "&" as printed ("SGD&ĐT": Sở Giáo dục và Đào tạo).
SYMBOL_FORM = re.compile(r"^(?P<type>[A-Za-zĐđ]+)-(?P<agency>[A-ZĐ0-9&]+(?:-[A-ZĐ0-9&]+)*)$")


@dataclass(frozen=True)
class NumberLine:
    """A parsed "Số: 05/KH-SKHCN" line."""

    text: str
    label: str  # "Số" as written
    colon: bool
    number: str | None  # None when blank (a draft)
    symbol: str  # "KH-SKHCN"
    type_abbr: str | None  # "KH"
    agency_abbr: str | None  # "SKHCN", or "MTTQ-BTT" for a multi-part ký hiệu
    space_around_slash: bool  # "05 / KH" (wrong when a number is written)
    space_after_slash: bool


def parse_number_line(text: str) -> NumberLine | None:
    m = NUMBER_FORM.match(norm(text))
    if not m:
        return None
    sym = m.group("sym").strip()
    sm = SYMBOL_FORM.match(sym)
    return NumberLine(text=norm(text), label=m.group("so"), colon=bool(m.group("colon")),
                      number=m.group("num") or None, symbol=sym,
                      type_abbr=sm.group("type") if sm else None, agency_abbr=sm.group("agency") if sm else None,
                      space_around_slash=bool(m.group("sp2") or m.group("sp3")), space_after_slash=bool(m.group("sp3")))


_BLANK = r"[\s.…_]*"
DATE_RE = re.compile(r"ngày\s.*tháng\s.*năm\s*\d{4}", re.I)
DATE_FORM = re.compile(
    rf"^(?P<place>[^,]+),\s*ngày{_BLANK}(?P<d>\d{{1,2}})?{_BLANK}tháng{_BLANK}(?P<m>\d{{1,2}})?{_BLANK}"
    r"năm\s*(?P<y>\d{4})\s*\.?$")


@dataclass(frozen=True)
class DateLine:
    """A parsed "Quảng Ngãi, ngày 05 tháng 02 năm 2025"; day/month None when left blank (a draft)."""

    text: str
    place: str
    day: str | None  # as written ("05")
    month: str | None
    year: int


def parse_date_line(text: str) -> DateLine | None:
    m = DATE_FORM.match(norm(text))
    if not m:
        return None
    return DateLine(norm(text), m.group("place").strip(), m.group("d"), m.group("m"), int(m.group("y")))


AUTHORITY_RE = re.compile(r"^(?P<form>KT|TM|TL|TUQ|Q)\.\s*(?P<rest>\S.*)$")


@dataclass(frozen=True)
class Authority:
    """A signing-authority line: "KT. GIÁM ĐỐC" → form "KT", title "GIÁM ĐỐC"; "GIÁM ĐỐC" → form None."""

    form: str | None
    title: str


def parse_authority(text: str) -> Authority:
    m = AUTHORITY_RE.match(norm(text))
    return Authority(m.group("form"), m.group("rest")) if m else Authority(None, norm(text))


# "của <issuer>" may be left out (the number and date name the document); a draft leaves the day
# and month blank in either date form ("ngày   /   /2026", "ngày … tháng … năm 2026").
REFERENCE_FORM = re.compile(
    r"^\(\s*(?P<lead>(?:Ban hành\s+)?[Kk]èm theo)\s+(?P<type>.+?)\s+số\s*:?\s*(?P<num>\d*)[.…_\s]*/(?P<sym>[^\s)]+)\s+"
    r"ngày\s*(?:(?P<d>\d{0,2})[.…_\s]*/[.…_\s]*(?P<m>\d{0,2})[.…_\s]*/\s*(?P<y>\d{4})"
    rf"|(?P<d2>\d{{1,2}})?{_BLANK}tháng{_BLANK}(?P<m2>\d{{1,2}})?{_BLANK}năm\s*(?P<y2>\d{{4}}))"
    r"(?:\s+của\s+(?P<issuer>.+?))?\s*\.?\s*\)$")
APPENDIX_REF_RE = re.compile(r"^\(?\s*(?:ban\s+hành\s+)?kèm\s+theo\b", re.I)


@dataclass(frozen=True)
class Reference:
    """An appendix's reference line "(Kèm theo Kế hoạch số 05/KH-SKHCN ngày 20/3/2024 của …)"."""

    text: str
    doc_type: str
    number: str | None
    symbol: str
    day: str | None
    month: str | None
    year: int
    issuer: str | None  # None when the line does not name it


def parse_reference(text: str) -> Reference | None:
    m = REFERENCE_FORM.match(norm(text))
    if not m:
        return None
    d = m.group("d") if m.group("y") else m.group("d2")
    mo = m.group("m") if m.group("y") else m.group("m2")
    return Reference(norm(text), m.group("type"), m.group("num") or None, m.group("sym"), d or None, mo or None,
                     int(m.group("y") or m.group("y2")), m.group("issuer"))


# Body numbering as Phụ lục I prints it: mục "I.", khoản "1." and "1.1.", điểm "a)", items "- " and
# "+ ". One pattern each, for the checker and the importer.
# A mục's Roman number runs I to XXXIX: a "C." or "L." heading is the third part of "A., B., C."
# (not mục 100 or 50), and "I.1." numbers a sub-part of mục I.
MUC_RE = re.compile(r"^(?P<num>(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3}))\s*[.)]\s*(?!\d)(?P<rest>\S.*)$", re.S)
PART_RE = re.compile(r"^(?:phần|chương)\s+(?:thứ\s+\S+|[IVXLC\d]+)\b", re.I)
"""A Phần or Chương heading: the mục under it are numbered from I again."""
KHOAN_RE = re.compile(r"^(?P<num>\d{1,3}(?:\.\d{1,3})*)\.\s+(?P<rest>\S.*)$", re.S)
DIEM_RE = re.compile(r"^(?P<letter>[a-zđ]{1,2})\)\s+(?P<rest>\S.*)$", re.S)
DASHES = "-–—"  # a list dash as typed, or as Word's AutoFormat turns "- " into an en or em dash
ITEM_RE = re.compile(rf"^[{DASHES}]\s+\S", re.S)
SUB_ITEM_RE = re.compile(r"^\+\s+\S", re.S)
APPENDIX_HEAD_RE = re.compile(r"^(phụ\s*lục|danh\s*mục)\b", re.I)
ARCHIVE_RE = re.compile(rf"^[{DASHES}]?\s*Lưu\s*:?\s*(?P<units>.*?)\s*\.?$", re.I)
"""The last Nơi nhận line, "- Lưu: VT, HCTH.", with its list of units."""

# Tên loại of Phụ lục III (and Công văn, which has none) by their capitals.
DOC_TYPE_NAMES = {upper_vi(name): name for name in TYPE_ABBREVIATIONS}
QUOC_HIEU_RE = re.compile(r"^CỘNG\s*H(?:ÒA|OÀ)\s+XÃ\s+HỘI\s+CHỦ\s+NGHĨA\s+VIỆT\s+NAM$", re.I)
TIEU_NGU_RE = re.compile(r"^độc\s*lập\s*[-–—]\s*tự\s*do\s*[-–—]\s*hạnh\s*phúc$", re.I)
NOI_NHAN_RE = re.compile(r"^nơi\s*nhận\s*:?", re.I)
VV_RE = re.compile(r"^(?:V/v|về\s+việc)\b", re.I)
KINH_GUI_RE = re.compile(r"^kính\s+gửi\b", re.I)
SEPARATOR_RE = re.compile(r"^[\s_\-–—=*.]+$")
TEMPLATE_RE = re.compile(r"\{\{|\{%|\}\}|%\}")
# Words that begin the place part of an agency's name: "ỦY BAN NHÂN DÂN" over "TỈNH LÀO CAI" is one name.
ADMIN_UNIT_RE = re.compile(r"^(TỈNH|THÀNH PHỐ|TP\.|HUYỆN|QUẬN|THỊ XÃ|XÃ|PHƯỜNG|THỊ TRẤN|ĐẶC KHU)\b")


def recognise_type(text: str) -> str | None:
    """The type a title line names: "KẾ HOẠCH" (or "K Ế  H O Ạ C H") → "Kế hoạch"."""
    t = upper_vi(norm(text)).rstrip(":.")
    if t in DOC_TYPE_NAMES:
        return DOC_TYPE_NAMES[t]
    squeezed = t.replace(" ", "")
    for name, value in DOC_TYPE_NAMES.items():
        if squeezed == name.replace(" ", "") and " " in t:
            return value
    return None


def _fold_hoa(text: str) -> str:
    """Old and new tone placement are the same word: "HOÀ" = "HÒA"."""
    return text.replace("OÀ", "ÒA").replace("oà", "òa").replace("Oà", "Òa")


@dataclass
class KeHoach:
    """The located parts of one administrative document (named after the type we render). A None part
    was not found. Lists keep the paragraphs of a part printed on several lines."""

    source: str
    formatted: bool  # False for a data file: only content rules apply
    paragraphs: list[Para] = field(default_factory=list)
    sections: list[PageSection] = field(default_factory=list)
    parent_lines: list[Para] = field(default_factory=list)  # cơ quan chủ quản, each line as printed
    issuer_lines: list[Para] = field(default_factory=list)  # cơ quan ban hành ("ỦY BAN NHÂN DÂN", "TỈNH X")
    quoc_hieu: Para | None = None
    quoc_hieu_lines: list[Para] = field(default_factory=list)  # the lines it is printed on (two when broken)
    tieu_ngu: Para | None = None
    number_line: Para | None = None
    date_line: Para | None = None
    doc_type: Para | None = None  # the tên loại line ("KẾ HOẠCH"); None for a công văn
    document_type: str | None = None  # "Kế hoạch", "Công văn", … recognised from the document
    not_administrative: str | None = None  # why the file is not an administrative document
    subject_lines: list[Para] = field(default_factory=list)  # trích yếu (or "V/v …" of a công văn)
    subtitle: list[Para] = field(default_factory=list)  # "(Ban hành kèm theo …)" under the trích yếu
    attached_to: Reference | None = None  # the decision a document is issued with (its subtitle cites it)
    kinh_gui: list[Para] = field(default_factory=list)
    body: list[Para] = field(default_factory=list)
    noi_nhan: Para | None = None
    recipients: list[Para] = field(default_factory=list)
    signer_lines: list[Para] = field(default_factory=list)  # authority and title lines
    signer_name: Para | None = None
    after_name: list[Para] = field(default_factory=list)  # lines printed under the signer's name
    appendices: list[AppendixPart] = field(default_factory=list)
    lines: dict[str, Line | None] = field(default_factory=dict)
    table_texts: list[Para] = field(default_factory=list)  # appendix table cells, for content rules
    tables: list[Table] = field(default_factory=list)  # top-level tables, in order

    def table_of(self, para: Para) -> Table | None:
        """The top-level table that holds a paragraph line (None outside tables)."""
        return next((t for t in self.tables if t.holds(para)), None)

    @property
    def section_count(self) -> int:
        return max(len(self.sections), 1)

    @property
    def agency(self) -> Para | None:
        """The issuer's last line (where its line is drawn); see issuer_lines for all of it."""
        return self.issuer_lines[-1] if self.issuer_lines else None

    @property
    def subject(self) -> Para | None:
        return self.subject_lines[0] if self.subject_lines else None

    @property
    def issuer_name(self) -> str:
        return " ".join(p.text for p in self.issuer_lines)

    @property
    def parent_name(self) -> str:
        return " ".join(p.text for p in self.parent_lines)

    @property
    def number(self) -> NumberLine | None:
        return parse_number_line(self.number_line.text) if self.number_line is not None else None

    @property
    def date(self) -> DateLine | None:
        return parse_date_line(self.date_line.text) if self.date_line is not None else None


# --- printed lines and widths -------------------------------------------------------------------------

def _chars(para: Para) -> list[tuple[str, float]]:
    """(character, advance in pt) for every visible character, with size, weight and spacing."""
    out = []
    for r in para.runs:
        if r.fmt.hidden:
            continue
        size = r.fmt.size or (para.fmt.run_defaults.size if para.fmt and para.fmt.run_defaults else None) or 12
        if r.fmt.vert_align:
            size *= 0.65
        text = upper_vi(r.text) if r.fmt.caps else r.text
        for ch in unicodedata.normalize("NFC", text):
            if ch == "\t":
                out.append((" ", text_width_pt(" ", size, bold=r.fmt.bold) * 4))
            else:
                out.append((ch, text_width_pt(ch, size, bold=r.fmt.bold) + r.fmt.spacing))
    return out


def rendered_lines(para: Para) -> list[tuple[str, float]]:
    """The lines the paragraph prints as (text, width pt), wrapped the way Word wraps: at spaces, with
    the spaces at a line's end hanging outside the measure."""
    room = max((para.width - (para.fmt.left + para.fmt.right if para.fmt else 0)) / 20, 1.0)
    chars = _chars(para) if para.runs else [(c, text_width_pt(c, 13)) for c in para.text]
    lines: list[tuple[str, float]] = []
    for piece in _split(chars, "\n"):
        words: list[list[tuple[str, float]]] = []
        cur: list[tuple[str, float]] = []
        for ch in piece:  # words with the spaces before them
            if ch[0] != " " and cur and cur[-1][0] == " ":
                words.append(cur)
                cur = []
            cur.append(ch)
        if cur:
            words.append(cur)
        line: list[tuple[str, float]] = []
        for w in words:
            lead = [c for c in w if c[0] == " "]
            body = [c for c in w if c[0] != " "]
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
    """The visual lines of a paragraph: split at its manual line breaks, each line with its own runs
    (their resolved formatting) and the paragraph's layout as it applies to that line: the space
    before, the first-line indent and a top border only on the first line; the space after and a
    bottom border only on the last. A paragraph without a break is its own single line."""
    pieces: list[list[Run]] = [[]]
    for r in para.runs:
        parts = r.text.split("\n")
        for k, part in enumerate(parts):
            if k:
                pieces.append([])
            if part:
                pieces[-1].append(Run(part, r.fmt))
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
    while line and line[-1][0] == " ":
        line = line[:-1]
    return "".join(c[0] for c in line).strip(), sum(c[1] for c in line)


def _page_break(p: Para) -> bool:
    """Whether the line starts on a new page: a page break typed in it, or "page break before"."""
    if any("\f" in r.text for r in p.runs):
        return True
    ppr = p.el.find(qn("w:pPr")) if p.el is not None else None
    return ppr is not None and _flag(ppr.find(qn("w:pageBreakBefore")))


def _middle(p: Para, room: int) -> float | None:
    """Where the middle of a one-line paragraph's text lands across its column (twips from its left):
    on the stop its tabs reach, or by its alignment between its indents."""
    if p.fmt is None or len(rendered_lines(p)) > 1:
        return None
    if any("\t" in r.text for r in p.runs):
        pieces = _tab_pieces(p, room)
        return pieces[-1][1] if len(pieces) == 1 else None
    left, right = p.fmt.left + p.fmt.first_line, p.fmt.right
    w = text_width([p]) * 20
    if p.fmt.align == "center":
        return left + (room - left - right) / 2
    if p.fmt.align in ("right", "end"):
        return room - right - w / 2
    return left + w / 2


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


def read_docx(path: str | Path) -> KeHoach:
    """Open a .docx and locate every part; UserError when the file is not a readable .docx."""
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    from .package import inspect_package

    path = Path(path)
    # Sizes, ratios, entities and element counts are checked before any part is parsed: a small
    # uploaded file must not take a server's memory or minutes (limits.py).
    inspect_package(path)
    try:
        document = Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise UserError(f"{path}: không đọc được: tệp hỏng hoặc không phải văn bản Word .docx "
                        "(tệp .doc cũ hãy mở bằng Word rồi lưu lại dạng .docx)") from None
    except Exception as exc:  # lxml syntax errors and other damage inside the package
        # The parser's own limits are not damage: a hostile or odd file, said as what it is.
        if "excessive depth" in str(exc).lower():
            raise UserError(f"{path}: nội dung lồng nhau quá sâu (hơn 256 cấp thẻ XML: bảng trong bảng, "
                            "khung trong khung); tệp không bình thường, không đọc") from None
        if "text node too long" in str(exc).lower():
            raise UserError(f"{path}: có một đoạn chữ liền dài hơn 10 triệu ký tự; tệp không bình thường, "
                            "không đọc") from None
        raise UserError(f"{path}: tệp .docx bị hỏng, không đọc được ({type(exc).__name__})") from None
    return _Reader(document, str(path)).read()


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


class _Reader:
    def __init__(self, document: DocxDocument, source: str):
        self.document = document
        self.fmt = Formatting.of(document)
        self.numbers = ListNumbers(document, self.fmt)
        self.doc = KeHoach(source=source, formatted=True)
        self.tables: list[_Element] = []
        self.table_left: dict[int, int] = {}
        self.tab_tables: set[int] = set()  # tables read from lines set in columns with tab stops

    def read(self) -> KeHoach:
        body: _Element = self.document.element.body
        self._sections(body)
        self._walk(body)
        self._locate()
        return self.doc

    # sections and headers

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
                    part = self.document.part.related_parts.get(ref.get(qn("r:id")))
                    if part is not None:
                        kind = ref.get(qn("w:type"), "default")
                        # One part read once, however many sections name it (a file may name one
                        # header a thousand times): the first section's reading stands for all.
                        key = (id(part), kind, width - margins["left"] - margins["right"])
                        if key not in read_parts:
                            read_parts[key] = self._header_part(kind, part.element, i, key[2])
                        store[kind] = read_parts[key]
            prev_headers, prev_footers = headers, footers
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
            if re.search(r"\bPAGE\b", instr) and field_para is None:
                field_para = para
        return HeaderPart(kind, norm(" ".join(texts)), field_para is not None, field_para)

    # body walk

    def _walk(self, body: _Element) -> None:
        section = 0
        tabbed = self._tab_block(body) | self._tab_signature(body)
        block: list[_Element] = []
        for child, joined in _join_deleted_marks(blocks(body)):
            if child in tabbed:
                block.append(child)
                continue
            if block:
                self._tab_table(block, section)
                block = []
            if child.tag == qn("w:p"):
                self._add(self._para(child, section, None, self._section_width(section), joined=joined))
                boxes = text_boxes(child)
                if boxes:
                    self._box_table(boxes, child, section)
                if child.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
                    section += 1
            elif child.tag == qn("w:tbl"):
                self._top_table(child, section)

    def _tab_block(self, body: _Element) -> set[_Element]:
        """The header set in two columns with tab stops instead of a table: the first paragraphs, up to
        the last one whose text after a tab is the Quốc hiệu or the Tiêu ngữ or follows such a line
        with a tab (the Số and date lines), read as the rows of a borderless table."""
        top: list[_Element] = []
        for child in blocks(body):
            if child.tag != qn("w:p") or len(top) >= 12:
                break
            top.append(child)
        texts = [visible_text(p) for p in top]
        lines = [ln for t in texts for ln in t.split("\n")]
        if not any(QUOC_HIEU_RE.match(_fold_hoa(norm(seg))) or TIEU_NGU_RE.match(norm(seg))
                   for ln in lines if "\t" in ln for seg in ln.split("\t")[1:]):
            return set()
        last = max(i for i, t in enumerate(texts) if any("\t" in ln and ln.split("\t", 1)[1].strip()
                                                         for ln in t.split("\n")))
        first = next(i for i, t in enumerate(texts) if t.strip())
        return set(top[first:last + 1])

    def _tab_signature(self, body: _Element) -> set[_Element]:
        """The Nơi nhận and the signer set side by side with tab stops instead of a table: from a
        "Nơi nhận:" line with text after a tab, through the recipients' dash lines, empty lines and
        lines with text after a tab (the signer's titles and name), to the last line with a tab."""
        children = list(blocks(body, qn("w:p")))
        for i, p in enumerate(children):
            first = visible_text(p).split("\n")[0]
            if not (NOI_NHAN_RE.match(norm(first)) and "\t" in first and first.split("\t", 1)[1].strip()):
                continue
            block = [p]
            for q in children[i + 1:]:
                text = visible_text(q)
                if "\f" in text or q.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
                    break
                lines = [norm(ln) for ln in text.split("\n")]
                if "\t" in text.strip(" ") or not text.strip() or all(ln[:1] in ("+", *DASHES) or not ln
                                                                    for ln in lines):
                    block.append(q)
                    continue
                break
            while block and "\t" not in visible_text(block[-1]).strip(" "):
                block.pop()
            return set(block)
        return set()

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
        first = len(self.doc.paragraphs)
        rows = self._table(tbl, section)
        widths = []
        for g in tbl.findall(f"{qn('w:tblGrid')}/{qn('w:gridCol')}"):
            widths.append(max(_attr_int(g, "w:w", 0), 1))
        ncols = max([len(widths)] + [sum(c.span for c in r) for r in rows])
        widths += [max(widths, default=1)] * (ncols - len(widths))
        self.doc.tables.append(Table(rows, widths[:ncols], section, len(self.doc.tables) + 1, first,
                                     len(self.doc.paragraphs) - 1))

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

    def _table(self, tbl: _Element, section: int) -> list[list[TableCell]]:
        ti = len(self.tables)
        self.tables.append(tbl)
        grid = [_attr_int(g, "w:w", 0) for g in tbl.findall(f"{qn('w:tblGrid')}/{qn('w:gridCol')}")]
        default_mar = self._table_margins(tbl)
        tblpr = tbl.find(qn("w:tblPr"))
        ind = tblpr.find(qn("w:tblInd")) if tblpr is not None else None
        self.table_left[ti] = _attr_int(ind, "w:w", 0) if ind is not None else 0
        out: list[list[TableCell]] = []
        for ri, tr in enumerate(blocks(tbl, qn("w:tr"))):
            out.append([])
            col = 0
            trpr = tr.find(qn("w:trPr"))
            before = trpr.find(qn("w:gridBefore")) if trpr is not None else None
            col += _attr_int(before, "w:val", 0) if before is not None else 0
            for ci, tc in enumerate(blocks(tr, qn("w:tc"))):
                tcpr = tc.find(qn("w:tcPr"))
                span = _attr_int(tcpr.find(qn("w:gridSpan")) if tcpr is not None else None, "w:val", 1)
                hm = tcpr.find(qn("w:hMerge")) if tcpr is not None else None
                if hm is not None and hm.get(qn("w:val")) != "restart" and out[-1]:
                    # Word's older horizontal merge: a continuing cell widens the one before it, as
                    # gridSpan does (its own paragraphs are not printed).
                    out[-1][-1].span += span
                    col += span
                    continue
                width = sum(grid[col:col + span])
                tcw = tcpr.find(qn("w:tcW")) if tcpr is not None else None
                if tcw is not None and tcw.get(qn("w:type"), "dxa") == "dxa" and _attr_int(tcw, "w:w", 0):
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
                        self._table(child, section)
                vm = tcpr.find(qn("w:vMerge")) if tcpr is not None else None
                merge = None if vm is None else "restart" if vm.get(qn("w:val")) == "restart" else "continue"
                paras = [q.paragraph for q in self.doc.paragraphs[start:] if q.line_no == 0]
                out[-1].append(TableCell(paras, max(span, 1), merge))
                col += span
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
              joined: list[_Element] | None = None) -> Para:
        """Paragraph p as printed; joined: paragraphs before it whose mark is a tracked deletion,
        printed at its start (their text joins p's, in p's layout)."""
        runs = []
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
            runs.append(Run(label, self.fmt.run(p, mark)))
        for q, r in [(el, r) for el in (*(joined or ()), p) for r in visible_runs(el)]:
            text = run_text(r)
            if text:
                fmt = self.fmt.run(q, r)
                if not fmt.hidden:  # hidden text (w:vanish) is neither on the page nor in the PDF
                    runs.append(Run(text, fmt))
        runs = _shown(runs)
        return Para(
            text=norm("".join(r.text for r in runs).replace("\n", " ").replace("\f", " ")),
            el=p, fmt=self.fmt.paragraph(p, self.numbers.level_ppr(p) if numbered else None), runs=runs,
            section=section, cell=cell, width=width,
        )

    # locating parts

    def _locate(self) -> None:
        doc, paras = self.doc, self.doc.paragraphs
        texts = [p for p in paras if p.text]
        doc.quoc_hieu = next((p for p in paras if QUOC_HIEU_RE.match(_fold_hoa(p.text))), None)
        doc.quoc_hieu_lines = [doc.quoc_hieu] if doc.quoc_hieu is not None else []
        if doc.quoc_hieu is None:
            self._broken_quoc_hieu(paras)
        doc.tieu_ngu = next((p for p in paras if TIEU_NGU_RE.match(p.text)), None)
        header_table = None
        anchor = doc.quoc_hieu or doc.tieu_ngu
        if anchor is not None and anchor.cell is not None:
            header_table = anchor.cell.table
        if header_table is not None:
            top = [p for p in paras if p.cell and p.cell.table == header_table]
        else:  # no header table: the paragraphs before the title line
            top = paras[:max(12, (anchor.index + 6) if anchor else 12)]
        doc.number_line = next((p for p in top if NUMBER_RE.match(p.text)), None)
        doc.date_line = next((p for p in top if DATE_RE.search(p.text) and p is not doc.number_line), None)
        if doc.number_line is None and header_table is not None:  # "Số" printed under the table
            doc.number_line = next((p for p in paras[top[-1].index + 1:top[-1].index + 4]
                                    if NUMBER_RE.match(p.text)), None)
        self._agency(top, header_table)
        last_top = max((p.index for p in top), default=-1) if header_table is not None else (
            max((p.index for p in (doc.number_line, doc.date_line, doc.tieu_ngu, doc.quoc_hieu) if p),
                default=-1))
        if doc.number_line is not None:
            last_top = max(last_top, doc.number_line.index)
        # Công văn: "V/v …" under the Số line, in its column.
        vv = next((p for p in top if VV_RE.match(p.text) and p is not doc.number_line), None)
        rest = [p for p in paras if p.index > last_top and p.cell is None]
        title = None
        for p in [q for q in rest if q.text][:6]:
            t = recognise_type(p.text)
            if t is not None:
                title = p
                break
        body_start = last_top + 1
        if title is not None:
            doc.doc_type = title
            doc.document_type = recognise_type(title.text)
            self._subject(title, rest)
            # "(Ban hành kèm theo Quyết định số … ngày … của …)" under the title of a document that has
            # no number line: it is issued with that decision and has no number of its own (Phụ lục
            # III, Mẫu 1.3). A document with its own number only relates to the one it cites.
            if doc.number_line is None:
                doc.attached_to = next((r for r in (parse_reference(p.text) for p in doc.subtitle) if r), None)
            ends = [title, *doc.subject_lines, *doc.subtitle]
            body_start = max(p.index for p in ends) + 1
        elif vv is not None:
            doc.document_type = "Công văn"
            doc.subject_lines = [vv] + [p for p in top if p.cell and vv.cell and p.index > vv.index
                                        and (p.cell.table, p.cell.grid_col) == (vv.cell.table, vv.cell.grid_col)
                                        and p.text and not SEPARATOR_RE.match(p.text)][:2]
        # Nơi nhận and the signer: the table cell starting "Nơi nhận", and its row's other cell.
        doc.noi_nhan = next((p for p in paras if p.cell and NOI_NHAN_RE.match(p.text)
                             and p.index >= body_start), None)
        body_end = len(paras)
        sig: list[Para] = []
        if doc.noi_nhan is not None and doc.noi_nhan.cell is not None:
            nn, nc = doc.noi_nhan, doc.noi_nhan.cell
            sig = [p for p in paras if p.cell and p.cell.table == nc.table]
            body_end = min(p.index for p in sig)
            doc.recipients = [p for p in sig if p.cell and p.cell.col == nc.col and p.index > nn.index and p.text]
            right = [p for p in sig if p.cell and p.cell.col != nc.col and p.text]
            under = self._under_signer(sig, right)
            sig += under
            self._signer(right + under)
        main_section = doc.noi_nhan.section if doc.noi_nhan else 0
        if not sig:  # no signature table: the body runs to the first appendix heading
            lines = [p for p in paras if p.index >= body_start and p.cell is None and p.text]
            body_end = next((p.index for i, p in enumerate(lines)
                             if appendix_heading(p, lines[i + 1:i + 4], i > 0 and p.section != lines[i - 1].section)),
                            body_end)
        candidates = [p for p in paras if body_start <= p.index < body_end and p.cell is None
                      and p.section <= main_section and p.text]
        doc.kinh_gui, body = self._split_kinh_gui(candidates)
        # Running text is judged by paragraph (indent, spacing, alignment): its lines go back together.
        doc.body = list({id(p.paragraph): p.paragraph for p in body if p.paragraph.text}.values())
        if not doc.kinh_gui:  # "Kính gửi:" set in a borderless table under the header
            first_body = doc.body[0].index if doc.body else body_end
            kg = next((p for p in paras if last_top < p.index < first_body and p.cell is not None
                       and KINH_GUI_RE.match(p.text)), None)
            if kg is not None and kg.cell is not None:
                kc = kg.cell
                doc.kinh_gui = [p for p in paras if p.cell is not None and p.cell.table == kc.table
                                and p.index >= kg.index and p.text]
        if title is None and vv is None and doc.kinh_gui:
            doc.document_type = "Công văn"
        sig_end = max((p.index for p in sig), default=body_end - 1)
        self._appendices(main_section, sig_end)
        self._administrative(texts, title)
        self._lines()

    def _under_signer(self, sig: list[Para], right: list[Para]) -> list[Para]:
        """Lines printed right under the signature table in the signer's column (the name typed after
        the table, set there with tabs or an indent): they belong to the signer's block, not to an
        appendix. At most three lines, before any other text, in the same section."""
        if not right or right[-1].cell is None:
            return []
        cell = right[-1].cell
        lo, hi = cell.left, cell.left + cell.width
        out: list[Para] = []
        for p in self.doc.paragraphs[sig[-1].index + 1:]:
            if p.cell is not None or p.section != sig[-1].section or len(out) >= 3 or _page_break(p):
                break
            if not p.text:
                continue
            f = p.fmt
            if f is None or (f.align == "center" and f.left + max(f.first_line, 0) < 200 and f.right < 200
                             and not any("\t" in r.text for r in p.runs)):
                break  # centred on the page (an appendix's heading), not set in the signer's column
            middle = _middle(p, self._section_width(p.section))
            if middle is None or not lo <= middle <= hi:
                break
            out.append(p)
        return out

    def _broken_quoc_hieu(self, paras: list[Para]) -> None:
        """A Quốc hiệu broken onto two lines (Enter or Shift+Enter in a narrow column) is still the
        Quốc hiệu: one part whose text holds the break, so its one-line rule sees two lines."""
        doc = self.doc
        for a, b in itertools.pairwise(paras):
            if not a.text or not b.text or a.section != b.section or (a.cell is None) != (b.cell is None) \
                    or (a.cell is not None and b.cell is not None
                        and (a.cell.table, a.cell.row, a.cell.col) != (b.cell.table, b.cell.row, b.cell.col)):
                continue
            if QUOC_HIEU_RE.match(_fold_hoa(f"{a.text} {b.text}")):
                brk = [Run("\n", a.runs[-1].fmt)] if a.runs else []
                doc.quoc_hieu = Para(f"{a.text} {b.text}", a.el, a.fmt, a.runs + brk + b.runs, a.section, a.cell,
                                     a.width, a.index, whole=a.paragraph, line_no=a.line_no)
                doc.quoc_hieu_lines = [a, b]
                return

    def _agency(self, top: list[Para], header_table: int | None) -> None:
        """Parent and issuer: the names above the Số line in its column (or left of the Quốc hiệu).
        The issuer is bold and the parent is not (Phụ lục I); when the weights do not tell them apart,
        a line that starts with a place ("TỈNH …") continues the name above it."""
        doc = self.doc
        qh = doc.quoc_hieu
        skip = {id(p) for p in (doc.number_line, doc.date_line, doc.tieu_ngu, *doc.quoc_hieu_lines) if p is not None}
        if header_table is not None and qh is not None and qh.cell is not None:
            nl = doc.number_line
            # The issuer's column: the Số line's when it is in the header table, else left of the Quốc hiệu.
            nl_col = nl.cell.grid_col if nl is not None and nl.cell is not None and \
                nl.cell.table == header_table else None
            qh_col = qh.cell.grid_col

            def col_ok(c: Cell) -> bool:
                return c.grid_col == nl_col if nl_col is not None else c.grid_col < qh_col

            limit_row = nl.cell.row if nl is not None and nl.cell is not None else 10 ** 6
            names = [p for p in top if p.text and id(p) not in skip and p.cell is not None and col_ok(p.cell)
                     and p.cell.row <= limit_row
                     and (nl is None or p.index < nl.index) and not SEPARATOR_RE.match(p.text)
                     and not VV_RE.match(p.text)]
        else:
            stop = doc.number_line.index if doc.number_line is not None else (
                qh.index if qh is not None else 0)
            names = [p for p in top if p.index < stop and p.text and id(p) not in skip
                     and not SEPARATOR_RE.match(p.text) and upper_vi(p.text) == p.text]
        names = [p for p in names if not QUOC_HIEU_RE.match(_fold_hoa(p.text)) and not TIEU_NGU_RE.match(p.text)]
        if not names:
            return
        bold = [_bold(p) for p in names]
        if any(bold) and not all(bold):
            k = len(names)
            while k > 0 and bold[k - 1]:
                k -= 1
            if k < len(names) and all(not b for b in bold[:k]):
                doc.parent_lines, doc.issuer_lines = names[:k], names[k:]
                return
        groups: list[list[Para]] = []
        for p in names:
            if groups and ADMIN_UNIT_RE.match(upper_vi(p.text)) and not any(
                    ADMIN_UNIT_RE.search(upper_vi(q.text)) or " TỈNH " in f" {upper_vi(q.text)} " for q in groups[-1]):
                groups[-1].append(p)
            else:
                groups.append([p])
        doc.issuer_lines = groups[-1]
        doc.parent_lines = [p for g in groups[:-1] for p in g]

    def _subject(self, title: Para, rest: list[Para]) -> None:
        """Trích yếu: the centred lines right under the tên loại (a long one is often typed as
        several paragraphs); then any "(Ban hành kèm theo …)" line."""
        doc = self.doc
        after = [p for p in rest if p.index > title.index]
        lines: list[Para] = []
        for p in after:
            if not p.text:
                if lines:
                    break
                continue
            # A line continues the trích yếu when it is printed like its first line: centred, same
            # weight and size, and capitals only when the first line is in capitals (a trích yếu set
            # in capitals runs on in capitals; under a mixed-case one a capitals line is a heading).
            if lines and (not _centred(p) or _bold(p) != _bold(lines[0]) or p.text.startswith("(")
                          or len(lines) >= 4 or _caps(p) != _caps(lines[0]) or _size(p) != _size(lines[0])):
                break
            if not lines and p.text.startswith("("):
                break
            lines.append(p)
            if not _centred(p):
                break
        doc.subject_lines = lines
        nxt = [p for p in after if not lines or p.index > lines[-1].index]
        for p in nxt[:3]:
            if not p.text:
                continue
            if p.text.startswith("(") and p.text.endswith(")") and _centred(p):
                doc.subtitle.append(p)
                continue
            break

    def _split_kinh_gui(self, paras: list[Para]) -> tuple[list[Para], list[Para]]:
        """"Kính gửi: …" and the addressees listed under it are not running text."""
        kinh: list[Para] = []
        body: list[Para] = []
        in_list = False
        for p in paras:
            if SEPARATOR_RE.match(p.text):
                continue
            if KINH_GUI_RE.match(p.text) and not body:
                kinh.append(p)
                in_list = True
                continue
            if in_list and p.text.startswith(("+", *DASHES)) and len(p.text) < 120 \
                    and (p.fmt.first_line if p.fmt else 0) < 400:
                kinh.append(p)
                continue
            in_list = False
            body.append(p)
        return kinh, body

    def _signer(self, right: list[Para]) -> None:
        """Authority and title lines in capitals, then the name (name case); anything printed under the
        name is kept apart (the name must close the block)."""
        doc = self.doc
        if not right:
            return
        names = [i for i, p in enumerate(right) if upper_vi(p.text) != p.text and not AUTHORITY_RE.match(p.text)]
        i = names[-1] if names else len(right) - 1
        if names and len(names) > 1 and i > 0:
            # Two name-case lines: the name is the one after the signature space (the later one).
            i = names[-1]
        doc.signer_lines, doc.signer_name, doc.after_name = right[:i], right[i], right[i + 1:]

    def _appendices(self, main_section: int, sig_end: int) -> None:
        """Appendices: everything after the signature, cut where an appendix heading stands (see
        appendix_starts, the one rule the importer uses too)."""
        doc = self.doc
        tail = doc.paragraphs[sig_end + 1:]
        starts = appendix_starts(tail)
        first_text: dict[int, int] = {}  # section -> index of its first line with text after the signature
        for p in tail:
            if p.text:
                first_text.setdefault(p.section, p.index)
        for k, (start, titled) in enumerate(starts):
            end = starts[k + 1][0].index if k + 1 < len(starts) else len(doc.paragraphs)
            in_app = doc.paragraphs[start.index:end]
            sections = sorted({p.section for p in in_app})
            # An appendix has its own section when it starts one (its page numbers can restart).
            own = start.section > main_section and first_text.get(start.section) == start.index
            self._appendix(start.section, in_app, own_section=own, titled=titled, sections=sections)

    def _appendix(self, section: int, in_sec: list[Para], own_section: bool, titled: bool = True,
                  sections: list[int] | None = None) -> None:
        doc = self.doc
        texts = [p for p in in_sec if p.text and p.cell is None]
        if not texts:
            texts = [p for p in in_sec if p.text][:1]  # a table alone: located by its first cell
        heading = texts[0]
        ref_i = next((i for i, p in enumerate(texts[:6]) if APPENDIX_REF_RE.match(p.text)), None)
        titles = texts[1:ref_i] if ref_i is not None else texts[1:2]
        titles = [t for t in titles if not t.text.startswith("(")]
        ref = texts[ref_i] if ref_i is not None else None
        if ref_i is not None and ref is not None and ref.text.startswith("(") and ")" not in ref.text \
                and ref_i + 1 < len(texts):
            # A long reference line typed as two paragraphs: one line for the rules.
            nxt = texts[ref_i + 1]
            ref = Para(norm(ref.text + " " + nxt.text), ref.el, ref.fmt, ref.runs + nxt.runs, ref.section,
                       ref.cell, ref.width, ref.index)
        doc.appendices.append(AppendixPart(section, heading, titles, ref, _catalogue_rows(in_sec), own_section,
                                           titled, sections or [section]))
        doc.table_texts += [p for p in in_sec if p.cell is not None and p.text]

    def _administrative(self, texts: list[Para], title: Para | None) -> None:
        """Say why a file is not an administrative document, or leave None."""
        doc = self.doc
        if any(TEMPLATE_RE.search(p.text) for p in texts):
            n = sum(1 for p in texts if TEMPLATE_RE.search(p.text))
            if n >= 3 or (doc.number_line is not None and TEMPLATE_RE.search(doc.number_line.text)):
                doc.not_administrative = "đây là mẫu docxtpl (còn thẻ {{ … }} / {% … %}), chưa phải văn bản"
                return
        first = next((p for p in texts[:15] if p.cell is None and len(p.text) < 60
                      and upper_vi(p.text) == p.text and p is not doc.quoc_hieu and p is not doc.tieu_ngu), None)
        if title is None and first is not None:
            word = upper_vi(first.text).split()[0] if first.text.split() else ""
            if upper_vi(first.text).startswith("HỢP ĐỒNG") or word == "ĐƠN":
                doc.not_administrative = f"đây là {'hợp đồng' if word != 'ĐƠN' else 'đơn'} (“{first.text[:40]}”), " \
                                         "không phải văn bản hành chính"
                return
        if doc.document_type == "Hợp đồng":
            doc.not_administrative = "đây là hợp đồng, không phải văn bản hành chính"
            return
        numbered = doc.number_line is not None or doc.attached_to is not None
        if doc.quoc_hieu is None or not numbered or not doc.issuer_lines:
            missing = [name for name, part in (("Quốc hiệu", doc.quoc_hieu), ("số, ký hiệu", numbered or None),
                                               ("tên cơ quan ban hành", doc.issuer_lines or None)) if part is None]
            doc.not_administrative = ("không phải văn bản hành chính theo Nghị định 30: không thấy "
                                      + ", ".join(missing))

    # lines under the Tiêu ngữ, the issuer and the trích yếu

    def _lines(self) -> None:
        doc = self.doc
        last = max((p.index for p in [doc.tieu_ngu, *doc.issuer_lines, *doc.subject_lines, *doc.subtitle,
                                      doc.number_line, doc.date_line] if p is not None), default=-1)
        self._layout(last + 4)
        drawn = self._drawn(last + 4)
        doc.lines = {
            "tieu_ngu": self._line_under([doc.tieu_ngu] if doc.tieu_ngu else [], drawn),
            "agency": self._line_under(doc.issuer_lines, drawn),
            "subject": self._line_under([*doc.subject_lines, *doc.subtitle], drawn)
            if doc.doc_type is not None else None,
        }

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
        for t in sorted({t for t, _ in rows}):
            y = 0.0
            for r in sorted(r for tt, r in rows if tt == t):
                row_top[(t, r)] = y
                y += rows[(t, r)]
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
            shapes = _shapes(p.el) if p.el is not None and p.line_no == 0 and id(p.el) not in seen else []
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
                    text_w = self._section_width(p.section) / 20
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
        for d in drawn:
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


def _centred(p: Para) -> bool:
    return p.fmt is not None and p.fmt.align == "center"


def _bold(p: Para) -> bool:
    runs = p.visible_runs
    return bool(runs) and all(r.fmt.bold for r in runs)


def _caps(p: Para) -> bool:
    return upper_vi(p.text) == p.text


def _size(p: Para) -> float | None:
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


ROW_NUMBER_RE = re.compile(r"^(?P<num>[IVXLC]+|\d+(?:\.\d+)*)\.?(?:\s+(?P<rest>\S.*))?$")


def _catalogue_rows(paras: list[Para]) -> list[CatalogueRow]:
    """The table rows of an appendix section, keyed by their first cell. A group row merged into one
    cell ("I. Truyền thông …") gives its number from the start of that cell's text."""
    rows: dict[tuple[int, int], list[tuple[Cell, Para]]] = {}
    for p in paras:
        if p.cell is not None and p.text:
            rows.setdefault((p.cell.table, p.cell.row), []).append((p.cell, p))
    out = []
    for cells in rows.values():
        first = [p for c, p in cells if c.col == cells[0][0].col]
        number = " ".join(p.text for p in first)
        rest = [p for _, p in cells if p not in first]
        m = ROW_NUMBER_RE.match(number)
        if m and m.group("rest") and not rest:  # merged: number and title in one cell
            number = m.group("num")
        out.append(CatalogueRow(number, rest[0] if rest else first[0]))
    return out


def appendix_heading(p: Para, after: list[Para], section_start: bool = False) -> bool:
    """Whether line p opens an appendix: "PHỤ LỤC …"/"DANH MỤC …" set apart (centred, bold, or first
    on a new section's page), or a bold centred title with its "(Kèm theo …)" line within the
    next three lines."""
    if p.cell is not None or not p.text:
        return False
    if APPENDIX_HEAD_RE.match(p.text) and len(p.text) < 120 and (_centred(p) or _bold(p) or section_start):
        return True
    return _centred(p) and _bold(p) and not p.text.startswith("(") \
        and any(APPENDIX_REF_RE.match(q.text) for q in after[:3])


def appendix_starts(tail: list[Para]) -> list[tuple[Para, bool]]:
    """Where the appendices begin in the lines after the signature, and whether each has a heading:
    the one rule of `check` and `import`. The centred lines right under a heading are its name
    ("PHỤ LỤC" / "DANH MỤC …" / "(Trích …)"), not a second appendix; a new section continues the appendix
    before it unless it opens with a heading; text after the signature with no heading at all is
    one appendix without a title (its words are kept and checked)."""
    items: list[Para] = []
    seen_tables: set[int] = set()
    for p in tail:
        if not p.text:
            continue
        if p.cell is not None:
            if p.cell.table in seen_tables:
                continue
            seen_tables.add(p.cell.table)
        items.append(p)
    starts: list[tuple[Para, bool]] = []
    title_block = False  # in the centred lines under a heading, before its "(Kèm theo …)" line
    for i, p in enumerate(items):
        prev = items[i - 1] if i else None
        section_start = prev is None or p.section != prev.section
        title_block = title_block and not section_start and p.cell is None and _centred(p) \
            and not APPENDIX_REF_RE.match(p.text)
        if title_block:
            continue
        if appendix_heading(p, items[i + 1:i + 4], section_start):
            starts.append((p, True))
            title_block = True
        elif not starts:
            starts.append((p, False))
    return starts


def _mark_deleted(p: _Element) -> bool:
    """Whether paragraph p's mark is a tracked deletion (or moved away): Word prints its text at the
    start of the next paragraph."""
    for child in p:
        if child.tag == qn("w:pPr"):
            rpr = child.find(qn("w:rPr"))
            return rpr is not None and child.find(qn("w:sectPr")) is None and any(
                rpr.find(tag) is not None for tag in _NOT_SHOWN[:2])
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
    Caps or Small Caps is on (Word prints capitals, whatever was typed)."""
    out: list[Run] = []
    for run in runs:
        text = run.text
        k = 0
        while k < len(text) and unicodedata.combining(text[k]):
            k += 1
        if k and out:
            out[-1] = Run(unicodedata.normalize("NFC", out[-1].text + text[:k]), out[-1].fmt)
            text = text[k:]
        if not text:
            continue
        text = unicodedata.normalize("NFC", text)
        if run.fmt.caps or run.fmt.small_caps:
            text = upper_vi(text)
        out.append(Run(text, run.fmt))
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
        else:  # VML: the shape's style holds its place and width
            shape = holder.getparent() if holder is not None else None
            style = dict(kv.split(":", 1) for kv in ((shape.get("style") if shape is not None else "") or "").split(";")
                         if ":" in kv)
            width = int((_vml_length(style.get("width", "")) or 0) * 20)
            x = int((_vml_length(style.get("margin-left", "0")) or 0) * 20)
        out.append(TextBox(x, width, insets, paras))
    return out


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


def _shapes(p: _Element) -> list[tuple[float, float | None, Placement | None, str]]:
    """Straight lines drawn in paragraph p: (length pt, vertical offset in pt or None when inline,
    horizontal placement, what the offset is from: "para" the paragraph's top, "page" the page's top
    edge, "margin" the top margin). DrawingML first; VML only where no DrawingML stands
    for it (the mc:Fallback copy of a shape is the same line)."""
    out: list[tuple[float, float | None, Placement | None, str]] = []
    for anchor in p.iter(f"{{{WP_NS}}}anchor", f"{{{WP_NS}}}inline"):
        if _owner_para(anchor) is not p:
            continue
        geom = anchor.find(f".//{{{A_NS}}}prstGeom")
        is_line = geom is not None and geom.get("prst", "").lower() in (
            "line", "straightconnector1", "straightconnector")
        if not (is_line or anchor.find(f".//{{{WPS_NS}}}cNvCnPr") is not None):
            continue
        ext = anchor.find(f"{{{WP_NS}}}extent")
        if ext is None:
            continue
        length = int(ext.get("cx", "0")) / EMU_PER_PT
        # nothing printed, or not a rule (a slanted or vertical line is not a rule)
        if length < 1 or int(ext.get("cy", "0")) / EMU_PER_PT > 3:
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
                if off is not None and off.text:
                    v = int(off.text) / EMU_PER_PT
                    # Inside a table cell (layoutInCell, Word's default) "margin" means the cell's.
                    in_cell = anchor.get("layoutInCell", "1") not in ("0", "false")
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


def visible_runs(p: _Element) -> Iterator[_Element]:
    """The runs a reader sees in paragraph p: its own (not a nested text box's), including tracked
    insertions, hyperlinks and content controls, without tracked deletions or fallback copies."""
    for r in p.iter(qn("w:r")):
        if _owner_para(r) is p and not any(a.tag in _NOT_SHOWN for a in r.iterancestors()):
            yield r


def visible_text(p: _Element) -> str:
    """The text a reader sees in paragraph p (a w:p element); line breaks as "\n", tabs as "\t"."""
    return "".join(run_text(r) for r in visible_runs(p))


# Characters stored in the text that print nothing: zero-width space, non-joiner, joiner, word
# joiner, byte-order mark, and the soft hyphen (shown only where Word breaks a line at it).
_INVISIBLE_RE = re.compile("[\u200b-\u200d\u2060\ufeff\u00ad]")

# What a w:sym of the Symbol font prints, where a reader reads it as a typed character (the
# Symbol font's minus is the dash of a list; its bullet a list mark).
_SYMBOL_FONT = {0x2D: "-", 0xB7: "•", 0x2A: "*", 0x2B: "+", 0x3D: "=", 0xAE: "→", 0xD7: "×", 0xB0: "°"}


def _sym(el: _Element) -> str:
    """The character a w:sym prints: the Symbol font's minus, bullet and arithmetic signs as their
    Unicode characters, a private-use code (F0xx) of another font as the ASCII punctuation it names,
    a picture font's glyph (Wingdings) as a bullet."""
    try:
        code = int(el.get(qn("w:char"), ""), 16)
    except ValueError:
        return ""
    if 0xF000 <= code <= 0xF0FF:
        code -= 0xF000
    font = (el.get(qn("w:font")) or "").lower()
    if font == "symbol":
        return _SYMBOL_FONT.get(code, chr(code) if 0x20 <= code < 0x41 else "")
    if font.startswith(("wingdings", "webdings")):
        return "•"
    return chr(code) if code >= 0x20 else ""


def run_text(r: _Element) -> str:
    """The characters run r prints, as stored: text, tabs ("\t"), line breaks ("\n"), a page break
    ("\f"), non-breaking hyphens and symbols; not field codes, deleted text or marks that print
    nothing (zero-width characters, soft hyphens)."""
    out = []
    for child in r:
        tag = child.tag
        if tag == qn("w:t"):
            out.append(_INVISIBLE_RE.sub("", child.text or ""))
        elif tag == qn("w:tab") or tag == qn("w:ptab"):
            out.append("\t")
        elif tag == qn("w:cr") or (tag == qn("w:br") and child.get(qn("w:type")) != "page"):
            out.append("\n")  # a manual line break (a column break also starts a new line)
        elif tag == qn("w:br"):
            out.append("\f")  # a page break: the text goes on, on the next page
        elif tag == qn("w:noBreakHyphen"):
            out.append("-")
        elif tag == qn("w:sym"):
            out.append(_sym(child))
    return "".join(out)


@overload
def _attr_int(el: _Element | None, name: str, default: int) -> int: ...
@overload
def _attr_int(el: _Element | None, name: str, default: None) -> int | None: ...
def _attr_int(el: _Element | None, name: str, default: int | None) -> int | None:
    if el is None:
        return default
    v = el.get(qn(name))
    try:
        return int(float(v)) if v is not None else default
    except ValueError:
        return default


def _side(mar: _Element, name: str, alt: str, default: int) -> int:
    el = mar.find(qn(f"w:{name}"))
    if el is None:
        el = mar.find(qn(f"w:{alt}"))
    if el is None or el.get(qn("w:type"), "dxa") != "dxa":
        return default
    return _attr_int(el, "w:w", default)


def _flag(el: _Element | None) -> bool:
    return el is not None and el.get(qn("w:val"), "1").lower() not in ("0", "false", "off")
