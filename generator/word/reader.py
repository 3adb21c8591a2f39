"""Finding the parts of a Kế hoạch in any .docx (ours or made by hand in Word) by text and layout.

Why not by style names: a document drafted in Word uses "Normal" and direct formatting, or styles
named in any language; only the text and where it sits (header table, cells, order) are reliable.
The result is a neutral model (`KeHoach`) the rules read; a data file builds the same model from
its derived strings, without formatting, so the content rules run on both.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docx.oxml.ns import qn

from ..errors import UserError
from ..model import TYPE_ABBREVIATIONS
from ..text import upper_vi
from .formatting import Formatting, ParaFormat, RunFormat

EMU_PER_PT = 12700
WPS_NS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
V_NS = "urn:schemas-microsoft-com:vml"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"


def norm(text: str) -> str:
    """NFC, non-breaking spaces as spaces, runs of spaces collapsed, trimmed."""
    text = unicodedata.normalize("NFC", text).replace("\xa0", " ")
    return re.sub(r"[ \t]+", " ", text).strip()


@dataclass
class Cell:
    """Where a paragraph sits in a table: which table, row, column, and the room for text."""

    table: int
    row: int
    col: int
    width: int  # twips available for text: cell width minus cell margins

    def __str__(self) -> str:
        return f"bảng {self.table + 1}, hàng {self.row + 1}, cột {self.col + 1}"


@dataclass
class Run:
    text: str
    fmt: RunFormat | None


@dataclass
class Para:
    """One paragraph with its text, effective formatting and place."""

    text: str
    el: Any = None
    fmt: ParaFormat | None = None
    runs: list[Run] = field(default_factory=list)
    section: int = 0
    cell: Cell | None = None
    width: int = 0  # twips of the column or text area the paragraph lives in
    index: int = 0  # order in the body

    @property
    def visible_runs(self) -> list[Run]:
        return [r for r in self.runs if r.fmt is not None and not r.fmt.hidden and r.text.strip()]

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
class Line:
    """A solid line drawn under an element, however the drafter made it."""

    form: str  # border-top, border-bottom, underline, shape
    length_pt: float
    para: Para


@dataclass
class HeaderPart:
    """One header or footer part as the checker needs it."""

    kind: str  # default, first, even
    text: str
    has_page_field: bool
    page_para: Para | None


@dataclass
class Section:
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
class Appendix:
    section: int
    heading: Para
    titles: list[Para]
    reference: Para | None
    rows: list[CatalogueRow] = field(default_factory=list)


@dataclass
class KeHoach:
    """The located elements of one plan. A None element was not found."""

    source: str
    formatted: bool  # False for a data file: only content rules apply
    paragraphs: list[Para] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    parent_agency: Para | None = None
    agency: Para | None = None
    quoc_hieu: Para | None = None
    tieu_ngu: Para | None = None
    number_line: Para | None = None
    date_line: Para | None = None
    doc_type: Para | None = None
    subject: Para | None = None
    body: list[Para] = field(default_factory=list)
    noi_nhan: Para | None = None
    recipients: list[Para] = field(default_factory=list)
    signer_lines: list[Para] = field(default_factory=list)
    signer_name: Para | None = None
    appendices: list[Appendix] = field(default_factory=list)
    lines: dict[str, Line | None] = field(default_factory=dict)
    table_texts: list[Para] = field(default_factory=list)  # appendix table cells, for content rules

    @property
    def section_count(self) -> int:
        return max(len(self.sections), 1)


# --- reading a .docx ---------------------------------------------------------------------------

QUOC_HIEU_RE = re.compile(r"^CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM$", re.I)
TIEU_NGU_RE = re.compile(r"^độc\s*lập\s*[-–]\s*tự\s*do\s*[-–]\s*hạnh\s*phúc$", re.I)
NUMBER_RE = re.compile(r"^số\s*:", re.I)
DATE_RE = re.compile(r"ngày\s.*tháng\s.*năm\s*\d{4}", re.I)
NOI_NHAN_RE = re.compile(r"^nơi\s*nhận\s*:?", re.I)
APPENDIX_REF_RE = re.compile(r"^\(?\s*kèm\s+theo\b", re.I)

# Tên loại of Phụ lục III in capitals, to find the title line under the header.
DOC_TYPE_NAMES = tuple(upper_vi(name) for name in TYPE_ABBREVIATIONS)


def _fold_hoa(text: str) -> str:
    """Old and new tone placement are the same word: "HOÀ" = "HÒA"."""
    return text.replace("OÀ", "ÒA").replace("oà", "òa").replace("Oà", "Òa")


def read_docx(path: str | Path) -> KeHoach:
    """Open a .docx and locate every element; UserError when the file is not a readable .docx."""
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    path = Path(path)
    try:
        document = Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise UserError(f"{path}: không đọc được: tệp hỏng hoặc không phải văn bản Word .docx "
                        "(tệp .doc cũ hãy mở bằng Word rồi lưu lại dạng .docx)") from None
    except Exception as exc:  # lxml syntax errors and other damage inside the package
        raise UserError(f"{path}: tệp .docx bị hỏng, không đọc được ({type(exc).__name__})") from None
    return _Reader(document, str(path)).read()


class _Reader:
    def __init__(self, document: Any, source: str):
        self.document = document
        self.fmt = Formatting.of(document)
        self.doc = KeHoach(source=source, formatted=True)
        self.tables: list[Any] = []

    def read(self) -> KeHoach:
        body = self.document.element.body
        self._sections(body)
        self._walk(body)
        self._locate()
        return self.doc

    # sections and headers

    def _sections(self, body: Any) -> None:
        sects = [p.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") for p in body.iter(qn("w:p"))]
        sects = [s for s in sects if s is not None]
        final = body.find(qn("w:sectPr"))
        if final is not None:
            sects.append(final)
        prev_headers: dict[str, HeaderPart] = {}
        prev_footers: dict[str, HeaderPart] = {}
        for i, s in enumerate(sects):
            pg = s.find(qn("w:pgSz"))
            mar = s.find(qn("w:pgMar"))
            num = s.find(qn("w:pgNumType"))
            headers = dict(prev_headers)
            footers = dict(prev_footers)
            for tag, store in (("w:headerReference", headers), ("w:footerReference", footers)):
                for ref in s.findall(qn(tag)):
                    part = self.document.part.related_parts.get(ref.get(qn("r:id")))
                    if part is not None:
                        kind = ref.get(qn("w:type"), "default")
                        store[kind] = self._header_part(kind, part.element, i)
            prev_headers, prev_footers = headers, footers
            self.doc.sections.append(Section(
                index=i,
                width=_attr_int(pg, "w:w", 11906),
                height=_attr_int(pg, "w:h", 16838),
                margins={k: _attr_int(mar, f"w:{k}", 0) for k in ("top", "bottom", "left", "right")},
                title_page=_flag(s.find(qn("w:titlePg"))),
                page_start=_attr_int(num, "w:start", None) if num is not None else None,
                page_format=num.get(qn("w:fmt")) if num is not None else None,
                headers=headers,
                footers=footers,
            ))
        if not self.doc.sections:
            self.doc.sections.append(Section(0, 11906, 16838, {}, False, None, None, {}, {}))

    def _header_part(self, kind: str, root: Any, section: int) -> HeaderPart:
        texts, field_para = [], None
        for p in root.iter(qn("w:p")):
            para = self._para(p, section, None, 0)
            texts.append(para.text)
            instr = "".join(t.text or "" for t in p.iter(qn("w:instrText")))
            instr += " ".join(f.get(qn("w:instr"), "") for f in p.iter(qn("w:fldSimple")))
            if re.search(r"\bPAGE\b", instr) and field_para is None:
                field_para = para
        return HeaderPart(kind, norm(" ".join(texts)), field_para is not None, field_para)

    # body walk

    def _walk(self, body: Any) -> None:
        section = 0
        for child in body:
            if child.tag == qn("w:p"):
                self._add(self._para(child, section, None, self._section_width(section)))
                if child.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
                    section += 1
            elif child.tag == qn("w:tbl"):
                self._table(child, section)
            elif child.tag == qn("w:sdt"):
                content = child.find(qn("w:sdtContent"))
                for p in content.iter(qn("w:p")) if content is not None else ():
                    self._add(self._para(p, section, None, self._section_width(section)))

    def _section_width(self, section: int) -> int:
        secs = self.doc.sections
        return secs[min(section, len(secs) - 1)].text_width

    def _add(self, para: Para) -> None:
        para.index = len(self.doc.paragraphs)
        self.doc.paragraphs.append(para)

    def _table(self, tbl: Any, section: int) -> None:
        ti = len(self.tables)
        self.tables.append(tbl)
        grid = [_attr_int(g, "w:w", 0) for g in tbl.findall(f"{qn('w:tblGrid')}/{qn('w:gridCol')}")]
        default_mar = self._table_margins(tbl)
        for ri, tr in enumerate(tbl.findall(qn("w:tr"))):
            col = 0
            for ci, tc in enumerate(tr.findall(qn("w:tc"))):
                tcpr = tc.find(qn("w:tcPr"))
                span = _attr_int(tcpr.find(qn("w:gridSpan")) if tcpr is not None else None, "w:val", 1)
                width = sum(grid[col:col + span])
                tcw = tcpr.find(qn("w:tcW")) if tcpr is not None else None
                if tcw is not None and tcw.get(qn("w:type"), "dxa") == "dxa" and _attr_int(tcw, "w:w", 0):
                    width = _attr_int(tcw, "w:w", width)
                left, right = default_mar
                mar = tcpr.find(qn("w:tcMar")) if tcpr is not None else None
                if mar is not None:
                    left = _side(mar, "left", "start", left)
                    right = _side(mar, "right", "end", right)
                cell = Cell(ti, ri, ci, max(width - left - right, 0))
                for child in tc:
                    if child.tag == qn("w:p"):
                        self._add(self._para(child, section, cell, cell.width))
                    elif child.tag == qn("w:tbl"):
                        self._table(child, section)
                col += span

    def _table_margins(self, tbl: Any) -> tuple[int, int]:
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

    def _para(self, p: Any, section: int, cell: Cell | None, width: int) -> Para:
        runs = []
        for r in visible_runs(p):
            text = run_text(r)
            if text:
                runs.append(Run(text, self.fmt.run(p, r)))
        return Para(
            text=norm("".join(r.text for r in runs).replace("\n", " ")),
            el=p, fmt=self.fmt.paragraph(p), runs=runs, section=section, cell=cell, width=width,
        )

    # locating elements

    def _locate(self) -> None:
        doc, paras = self.doc, self.doc.paragraphs
        doc.quoc_hieu = next((p for p in paras if QUOC_HIEU_RE.match(_fold_hoa(p.text))), None)
        doc.tieu_ngu = next((p for p in paras if TIEU_NGU_RE.match(p.text)), None)
        header_table = None
        anchor = doc.quoc_hieu or doc.tieu_ngu
        if anchor is not None and anchor.cell is not None:
            header_table = anchor.cell.table
        top = [p for p in paras if header_table is not None and p.cell and p.cell.table == header_table]
        if not top:  # no header table: the paragraphs before the title line
            top = paras[:12]
        doc.number_line = next((p for p in top if NUMBER_RE.match(p.text)), None)
        doc.date_line = next((p for p in top if DATE_RE.search(p.text) and not NUMBER_RE.match(p.text)), None)
        # Agency: the non-empty paragraphs of the cell left of the Quốc hiệu, above the Số line.
        if doc.quoc_hieu is not None and doc.quoc_hieu.cell is not None:
            qc = doc.quoc_hieu.cell
            left = [p for p in top if p.text and p.cell and p.cell.row == qc.row and p.cell.col < qc.col]
            left = [p for p in left if p is not doc.number_line and p is not doc.date_line]
            if len(left) >= 2:
                doc.parent_agency, doc.agency = left[0], left[1]
            elif len(left) == 1:
                doc.agency = left[0]
        last_top = max((p.index for p in top), default=-1) if header_table is not None else (
            max((p.index for p in (doc.number_line, doc.date_line, doc.tieu_ngu) if p), default=-1))
        rest = [p for p in paras if p.index > last_top]
        doc.doc_type = next((p for p in rest if p.cell is None and p.text.upper() in DOC_TYPE_NAMES), None)
        body_start = last_top + 1
        if doc.doc_type is not None:
            after = [p for p in rest if p.index > doc.doc_type.index and p.cell is None]
            doc.subject = next((p for p in after if p.text), None)
            if doc.subject is not None:
                body_start = doc.subject.index + 1
        # Nơi nhận and the signer: the table cell starting "Nơi nhận", and its row's other cell.
        doc.noi_nhan = next((p for p in paras if p.cell and NOI_NHAN_RE.match(p.text)
                             and p.index >= body_start), None)
        body_end = len(paras)
        if doc.noi_nhan is not None:
            nc = doc.noi_nhan.cell
            sig = [p for p in paras if p.cell and p.cell.table == nc.table]
            body_end = min(p.index for p in sig)
            doc.recipients = [p for p in sig if p.cell.col == nc.col and p.index > doc.noi_nhan.index and p.text]
            right = [p for p in sig if p.cell.col != nc.col and p.text]
            if right:
                doc.signer_lines, doc.signer_name = right[:-1], right[-1]
        main_section = doc.noi_nhan.section if doc.noi_nhan else 0
        doc.body = [p for p in paras if body_start <= p.index < body_end and p.cell is None
                    and p.section <= main_section and p.text]
        self._appendices(main_section, body_end)
        doc.lines = {
            "tieu_ngu": self._line_under(doc.tieu_ngu),
            "agency": self._line_under(doc.agency),
            "subject": self._line_under(doc.subject),
        }

    def _appendices(self, main_section: int, body_end: int) -> None:
        doc = self.doc
        later = [p for p in doc.paragraphs if p.section > main_section]
        for s in sorted({p.section for p in later}):
            in_sec = [p for p in later if p.section == s]
            texts = [p for p in in_sec if p.text and p.cell is None]
            if not texts:
                continue
            heading = texts[0]
            ref_i = next((i for i, p in enumerate(texts[:6]) if APPENDIX_REF_RE.match(p.text)), None)
            titles = texts[1:ref_i] if ref_i is not None else texts[1:2]
            doc.appendices.append(Appendix(s, heading, titles, texts[ref_i] if ref_i is not None else None,
                                           _catalogue_rows(in_sec)))
            doc.table_texts += [p for p in in_sec if p.cell is not None and p.text]

    def _line_under(self, para: Para | None) -> Line | None:
        """The line drawn under para: a border, an underline, or a drawn line shape."""
        if para is None or para.fmt is None:
            return None
        if any(r.fmt and r.fmt.underline for r in para.visible_runs):
            from .metrics import text_width_pt

            length = sum(text_width_pt(r.text, r.fmt.size or 12, bold=r.fmt.bold)
                         for r in para.visible_runs if r.fmt.underline)
            return Line("underline", length, para)
        shape = _shape_length(para.el)
        if shape is not None:
            return Line("shape", shape, para)
        if para.fmt.border_bottom:
            return Line("border-bottom", (para.width - para.fmt.left - para.fmt.right) / 20, para)
        # The next paragraph(s) in the same place, when empty: a bordered or shape-holding paragraph.
        paras = self.doc.paragraphs
        for nxt in paras[para.index + 1:para.index + 3]:
            same_place = (nxt.cell is None and para.cell is None) or (
                nxt.cell is not None and para.cell is not None
                and (nxt.cell.table, nxt.cell.row, nxt.cell.col) == (para.cell.table, para.cell.row, para.cell.col))
            if not same_place or nxt.text:
                break
            shape = _shape_length(nxt.el)
            if shape is not None:
                return Line("shape", shape, nxt)
            if nxt.fmt and (nxt.fmt.border_top or nxt.fmt.border_bottom):
                form = "border-top" if nxt.fmt.border_top else "border-bottom"
                return Line(form, (nxt.width - nxt.fmt.left - nxt.fmt.right) / 20, nxt)
        return None


ROW_NUMBER_RE = re.compile(r"^(?P<num>[IVXLC]+|\d+(?:\.\d+)*)\.?(?:\s+(?P<rest>\S.*))?$")


def _catalogue_rows(paras: list[Para]) -> list[CatalogueRow]:
    """The table rows of an appendix section, keyed by their first cell. A group row merged into one
    cell ("I. Truyền thông …") gives its number from the start of that cell's text."""
    rows: dict[tuple[int, int], list[Para]] = {}
    for p in paras:
        if p.cell is not None and p.text:
            rows.setdefault((p.cell.table, p.cell.row), []).append(p)
    out = []
    for cells in rows.values():
        first = [p for p in cells if p.cell.col == cells[0].cell.col]
        number = " ".join(p.text for p in first)
        rest = [p for p in cells if p not in first]
        m = ROW_NUMBER_RE.match(number)
        if m and m.group("rest") and not rest:  # merged: number and title in one cell
            number = m.group("num")
        out.append(CatalogueRow(number, rest[0] if rest else first[0]))
    return out


def _shape_length(p: Any) -> float | None:
    """Length in pt of a straight line drawn in paragraph p (DrawingML or VML), if any."""
    for anchor in p.iter(f"{{{WP_NS}}}anchor", f"{{{WP_NS}}}inline"):
        geom = anchor.find(f".//{{{A_NS}}}prstGeom")
        is_line = geom is not None and geom.get("prst", "").lower() in (
            "line", "straightconnector1", "straightconnector")
        if is_line or anchor.find(f".//{{{WPS_NS}}}cNvCnPr") is not None:
            ext = anchor.find(f"{{{WP_NS}}}extent")
            if ext is not None:
                return int(ext.get("cx", "0")) / EMU_PER_PT
    for line in p.iter(f"{{{V_NS}}}line"):
        x1 = _vml_length(line.get("from", "0,0").split(",")[0])
        x2 = _vml_length(line.get("to", "0,0").split(",")[0])
        if x1 is not None and x2 is not None:
            return abs(x2 - x1)
    for shape in p.iter(f"{{{V_NS}}}shape"):
        if "32" in (shape.get("type") or ""):  # _x0000_t32: Word's straight connector
            m = re.search(r"width:\s*([\d.]+\w*)", shape.get("style", ""))
            if m:
                return _vml_length(m.group(1))
    return None


_UNITS = {"pt": 1.0, "in": 72.0, "cm": 72 / 2.54, "mm": 72 / 25.4, "px": 0.75}


def _vml_length(value: str) -> float | None:
    m = re.fullmatch(r"\s*(-?[\d.]+)\s*([a-z]*)\s*", value or "")
    if not m:
        return None
    unit = m.group(2) or "pt"  # VML numbers without a unit in from/to are points in Word's output
    return float(m.group(1)) * _UNITS.get(unit, 1.0)


def _owner_para(el: Any) -> Any:
    return next((a for a in el.iterancestors(qn("w:p"))), None)


def visible_runs(p: Any) -> Iterator[Any]:
    """The runs a reader sees in paragraph p: its own (not a nested text box's), including tracked
    insertions, hyperlinks and content controls, without tracked deletions."""
    for r in p.iter(qn("w:r")):
        if _owner_para(r) is p and not any(a.tag in (qn("w:del"), qn("w:moveFrom")) for a in r.iterancestors()):
            yield r


def visible_text(p: Any) -> str:
    """The text a reader sees in paragraph p (a w:p element); line breaks as "\n", tabs as "\t"."""
    return "".join(run_text(r) for r in visible_runs(p))


def run_text(r: Any) -> str:
    out = []
    for child in r:
        tag = child.tag
        if tag == qn("w:t"):
            out.append(child.text or "")
        elif tag == qn("w:tab"):
            out.append("\t")
        elif tag in (qn("w:br"), qn("w:cr")):
            out.append("\n")
        elif tag == qn("w:noBreakHyphen"):
            out.append("-")
    return "".join(out)


def _attr_int(el: Any, name: str, default: int | None) -> Any:
    if el is None:
        return default
    v = el.get(qn(name))
    try:
        return int(float(v)) if v is not None else default
    except ValueError:
        return default


def _side(mar: Any, name: str, alt: str, default: int) -> int:
    el = mar.find(qn(f"w:{name}"))
    if el is None:
        el = mar.find(qn(f"w:{alt}"))
    if el is None or el.get(qn("w:type"), "dxa") != "dxa":
        return default
    return _attr_int(el, "w:w", default)


def _flag(el: Any) -> bool:
    return el is not None and el.get(qn("w:val"), "1").lower() not in ("0", "false", "off")


# --- a data file -------------------------------------------------------------------------------


def from_plan(plan: Any, source: str) -> KeHoach:
    """The same model built from a plan's derived strings (no formatting): for the content rules."""
    from ..context import build_context
    from ..text import ITALIC_END, ITALIC_START

    ctx = build_context(plan)
    doc = KeHoach(source=source, formatted=False)

    def para(text: str) -> Para:
        # Italic brackets are for the layout step; the reader sees the words only.
        text = text.replace(ITALIC_START, "").replace(ITALIC_END, "")
        p = Para(text=norm(text.replace("\n", " ")))
        p.index = len(doc.paragraphs)
        doc.paragraphs.append(p)
        return p

    doc.parent_agency = para(ctx["agency"]["parent"])
    doc.agency = para(ctx["agency"]["name"])
    doc.number_line = para(ctx["number_line"])
    doc.date_line = para(ctx["date_line"])
    doc.doc_type = para(ctx["doc_type"])
    doc.subject = para(ctx["subject"])
    texts = list(ctx["grounds"]) + list(ctx["opening"]) + [b["text"] for b in ctx["body"]]
    if ctx["closing"]:
        texts.append(ctx["closing"])
    doc.body = [para(t) for t in texts]
    doc.noi_nhan = para("Nơi nhận:")
    doc.recipients = [para(t) for t in ctx["recipients"]]
    doc.signer_lines = [para(t) for t in ctx["signer"]["lines"]]
    doc.signer_name = para(ctx["signer"]["name"])
    for i, app in enumerate(ctx["appendices"], 1):
        heading = para(app["title"])
        titles = [para(app["subtitle"])] if app["subtitle"] else []
        appendix = Appendix(i, heading, titles, para(app["reference_line"]))
        doc.appendices.append(appendix)
        for group in app["groups"]:
            doc.table_texts.append(para(group["title"]))
            appendix.rows.append(CatalogueRow(group["number"], doc.table_texts[-1]))
            for task in group["tasks"]:
                cells = [para(task[k]) for k in ("content", "lead", "support", "time") if task[k]]
                doc.table_texts += cells
                appendix.rows.append(CatalogueRow(task["number"], cells[0] if cells else doc.table_texts[-1]))
    return doc
