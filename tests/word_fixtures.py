"""Helpers for the data-format and import-pattern tests.

Two halves:
- reading a produced .docx as a reader sees it: body paragraphs and table cells in order, with the
  effective bold/italic of each run (through styles), tables as grids, sections;
- building Word files the way offices lay them out in Word (python-docx plus raw XML): header table
  with the issuer and the Số line on the left, Quốc hiệu, Tiêu ngữ and date on the right, lines drawn
  as shapes anchored in other paragraphs, typed numbering, direct formatting, tables, appendices.

Every sentence here is our own; nothing is copied from real documents.
"""

from __future__ import annotations

import difflib
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable
from xml.sax.saxutils import escape

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Mm, Pt
from lxml import etree

from tests.docx_props import W_NS, Package, paragraph_text, w

TNR = "Times New Roman"
WPS_NS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
EMU = 12700


# --- reading ------------------------------------------------------------------------------------


def norm(text: str) -> str:
    """NFC, no-break spaces as spaces, whitespace collapsed, "HOÀ" spelled "HÒA" (both are in use)."""
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ")
    text = text.replace("HOÀ", "HÒA").replace("Hoà", "Hòa").replace("hoà", "hòa")
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class P:
    """One paragraph as printed: its text, style id, effective runs, and where it is."""

    text: str
    style: str
    runs: list[tuple[str, bool, bool]]  # (text, bold, italic), effective
    in_table: bool
    section: int
    el: Any = field(repr=False, default=None)

    @property
    def lines(self) -> list[str]:
        """The lines the paragraph prints before any wrapping: its text cut at line breaks, the space
        typed before a break not drawn."""
        return [line.rstrip() for line in self.text.split("\n")]

    @property
    def bold(self) -> bool:
        shown = [r for r in self.runs if r[0].strip()]
        return bool(shown) and all(r[1] for r in shown)

    @property
    def italic(self) -> bool:
        shown = [r for r in self.runs if r[0].strip()]
        return bool(shown) and all(r[2] for r in shown)


class Doc:
    """A produced .docx opened for assertions."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.pkg = Package(self.path.read_bytes())
        self.root = self.pkg.document
        self.body = self.root.find(w("body"))
        self.paras: list[P] = []
        section = 0
        for p in self.body.iter(w("p")):
            in_table = any(a.tag == w("tbl") for a in p.iterancestors())
            runs = []
            for r in p.iter(w("r")):
                text = "".join((t.text or "") if t.tag == w("t") else "\n"
                               for t in r if t.tag in (w("t"), w("br")))
                if not text:
                    continue
                props = self.pkg.styles.run(r)
                runs.append((text, props.bold, props.italic))
            ps = p.find(f"{w('pPr')}/{w('pStyle')}")
            self.paras.append(P(paragraph_text(p), ps.get(w("val")) if ps is not None else "", runs, in_table,
                                section, p))
            if p.find(f"{w('pPr')}/{w('sectPr')}") is not None:
                section += 1

    # paragraphs

    def texts(self, *, tables: bool = False) -> list[str]:
        """Non-empty paragraph texts in order (outside tables unless tables=True)."""
        return [p.text for p in self.paras if p.text.strip() and (tables or not p.in_table)]

    def lines(self, *, tables: bool = False) -> list[str]:
        """Non-empty printed lines in order (outside tables unless tables=True): texts() with each
        paragraph cut at its line breaks."""
        return [line for p in self.paras if p.text.strip() and (tables or not p.in_table)
                for line in p.lines if line.strip()]

    def styled(self, style: str) -> list[str]:
        """The lines printed in a paragraph style (a two-line name is one paragraph, two lines)."""
        return [line for p in self.paras if p.style == style for line in p.lines]

    def find(self, text: str) -> P:
        hits = [p for p in self.paras if p.text == text]
        assert hits, f"no paragraph {text!r}; have {[p.text for p in self.paras if p.text][:80]}"
        return hits[0]

    def after(self, text: str, count: int, *, tables: bool = False) -> list[str]:
        """The count non-empty paragraph texts that follow the paragraph `text`."""
        texts = self.texts(tables=tables)
        i = texts.index(text)
        return texts[i + 1:i + 1 + count]

    # tables and sections

    def tables(self) -> list[Any]:
        return list(self.body.iter(w("tbl")))

    def body_tables(self) -> list[Any]:
        """Tables written from table data (body tables and appendix tables): their cells take the
        "KH Bảng …" styles; the header and signature tables do not."""
        return [t for t in self.tables()
                if any((ps.get(w("val")) or "").startswith("KHBang") for ps in t.iter(w("pStyle")))]

    def sections(self) -> list[Any]:
        return self.pkg.sections()

    def section_of(self, text: str) -> int:
        return self.find(text).section


def grid(tbl: Any) -> list[list[dict[str, Any]]]:
    """A table's rows: each cell's text (paragraphs joined by "\\n"), gridSpan, vMerge, jc, runs."""
    out = []
    for tr in tbl.findall(w("tr")):
        row = []
        for tc in tr.findall(w("tc")):
            pr = tc.find(w("tcPr"))
            span = pr.find(w("gridSpan")) if pr is not None else None
            vm = pr.find(w("vMerge")) if pr is not None else None
            paras = tc.findall(w("p"))
            jc = paras[0].find(f"{w('pPr')}/{w('jc')}") if paras else None
            row.append({
                "text": "\n".join(paragraph_text(p) for p in paras),
                "span": int(span.get(w("val"))) if span is not None else 1,
                "vmerge": None if vm is None else (vm.get(w("val")) or "continue"),
                "jc": jc.get(w("val")) if jc is not None else None,
                "tc": tc,
            })
        out.append(row)
    return out


def grid_widths(tbl: Any) -> list[int]:
    return [int(g.get(w("w"))) for g in tbl.find(w("tblGrid")).findall(w("gridCol"))]


def header_rows(tbl: Any) -> list[bool]:
    return [tr.find(f"{w('trPr')}/{w('tblHeader')}") is not None for tr in tbl.findall(w("tr"))]


def blocks(path: Path | str) -> list[str]:
    """Every non-empty paragraph, in a table cell or not, in document order, whitespace-normalised."""
    d = docx.Document(str(path))
    out = []
    for el in d.element.body.iter(qn("w:p")):
        t = norm("".join(x.text or "" for x in el.iter(qn("w:t"))))
        if t:
            out.append(t)
    return out


def header_and_rest(path: Path | str) -> tuple[list[str], list[str]]:
    """blocks() split in two: the paragraphs of the header table (the first top-level table, whose
    two columns a renderer may order differently: issuer, Số | Quốc hiệu, date) and all the rest."""
    d = docx.Document(str(path))
    body = d.element.body
    first = next((el for el in body.iterchildren() if el.tag in (qn("w:tbl"), qn("w:p"))
                  and (el.tag == qn("w:tbl") or "".join(x.text or "" for x in el.iter(qn("w:t"))).strip())), None)
    header_ps = set(first.iter(qn("w:p"))) if first is not None and first.tag == qn("w:tbl") else set()
    head, rest = [], []
    for el in body.iter(qn("w:p")):
        t = norm("".join(x.text or "" for x in el.iter(qn("w:t"))))
        if t:
            (head if el in header_ps else rest).append(t)
    return head, rest


def _printed_lines(p: Any) -> list[str]:
    """A paragraph's text cut at its line breaks: the lines it prints before any wrapping."""
    lines = [""]
    for x in p.iter(qn("w:t"), qn("w:br"), qn("w:cr")):
        if x.tag == qn("w:t"):
            lines[-1] += x.text or ""
        else:
            lines.append("")
    return lines


def cell_texts(path: Path | str) -> list[str]:
    """Body paragraphs' printed lines (two paragraphs, or one cut by a line break, print the same)
    and table cells in document order; a merged cell counted once; empty dropped."""
    d = docx.Document(str(path))
    out: list[str] = []

    def walk(parent: Any) -> None:
        for el in parent.iterchildren():
            if el.tag == qn("w:p"):
                out.extend(t for t in (norm(line) for line in _printed_lines(el)) if t)
            elif el.tag == qn("w:tbl"):
                for tr in el.iterchildren(qn("w:tr")):
                    for tc in tr.iterchildren(qn("w:tc")):
                        vm = tc.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")
                        if vm is not None and vm.get(qn("w:val")) in (None, "continue"):
                            continue
                        t = norm(" ".join(line for p in tc.iter(qn("w:p")) for line in _printed_lines(p)))
                        if t:
                            out.append(t)
            elif el.tag == qn("w:sdt"):
                content = el.find(qn("w:sdtContent"))
                if content is not None:
                    walk(content)

    walk(d.element.body)
    return out


def _emphasis_runs(path: Path | str) -> Iterable[list[tuple[str, str]]]:
    """Per printed line (a paragraph cut at its line breaks), its runs with text: (text, kind), kind
    "b", "i", "bi" or "" by effective formatting (styles included)."""
    pkg = Package(Path(path).read_bytes())
    for p in pkg.document.iter(w("p")):
        runs: list[tuple[str, str]] = []
        for r in p.iter(w("r")):
            props = pkg.styles.run(r)
            kind = ("b" if props.bold else "") + ("i" if props.italic else "")
            for x in r:
                if x.tag == w("t") and x.text:
                    runs.append((x.text, kind))
                elif x.tag in (w("br"), w("cr")):
                    yield runs
                    runs = []
        yield runs


def emphasis_spans(path: Path | str) -> list[tuple[str, str]]:
    """Maximal runs of words sharing effective bold/italic, of 3 words or more: (kind, text) with
    kind "b", "i" or "bi" (plain spans left out)."""
    spans = []
    for runs in _emphasis_runs(path):
        cur: list[str] = []
        kind = None
        for text, k in runs:
            if k != kind:
                if kind and len(norm("".join(cur)).split()) >= 3:
                    spans.append((kind, norm("".join(cur))))
                cur, kind = [], k
            cur.append(text)
        if kind and len(norm("".join(cur)).split()) >= 3:
            spans.append((kind, norm("".join(cur))))
    return spans


def _emphasis_chars(path: Path | str) -> tuple[str, list[str]]:
    """The document's text without whitespace, and the emphasis kind of each character."""
    chars: list[str] = []
    kinds: list[str] = []
    for runs in _emphasis_runs(path):
        for text, k in runs:
            for ch in "".join(norm(text).split()):
                chars.append(ch)
                kinds.append(k)
    return "".join(chars), kinds


def emphasis_lost(original: Path | str, back: Path | str) -> list[tuple[str, str]]:
    """The original's bold/italic spans (>= 3 words) whose words do not appear in the re-render with
    the same emphasis, compared without whitespace (a span the re-render wraps on two lines, or
    "I.MỤC" printed "I. MỤC", still counts as kept)."""
    text, kinds = _emphasis_chars(back)
    lost = []
    for kind, span in emphasis_spans(original):
        needle = "".join(span.split())
        start = text.find(needle)
        while start >= 0 and any(k != kind for k in kinds[start:start + len(needle)]):
            start = text.find(needle, start + 1)
        if start < 0:
            lost.append((kind, span))
    return lost


def words_kept(original: Iterable[str], back: Iterable[str]) -> float:
    """Share of the original's words found, in order, in the re-render (difflib alignment). A token
    with no letter or digit ("______" typed as a separator line, a lone "-") is not a word: the
    re-render draws such a line as a line."""
    # The end mark "./." is punctuation: "phương./." (where the decree puts it) is the word "phương."
    # of an original that typed "./." on a line of its own.
    ow, bw = ([w.removesuffix("./.") + "." if w.endswith("./.") else w
               for w in " ".join(x).split() if any(c.isalnum() for c in w)] for x in (original, back))
    sm = difflib.SequenceMatcher(None, ow, bw, autojunk=False)
    return sum(b.size for b in sm.get_matching_blocks()) / max(1, len(ow))


def squash(text: str) -> str:
    """Whitespace-free form for comparing what was written: "I.MỤC" and "I. MỤC", an issuer wrapped
    with spaces in one paragraph and the same issuer on two lines, all read the same words."""
    return "".join(norm(text).split())


def in_order(needles: list[str], haystack: list[str]) -> list[str]:
    """The needles (paragraphs of the original) not found, in order, in the haystack (paragraphs of
    the re-render), compared without whitespace over the haystack's running text: a paragraph the
    re-render splits in two lines, or two the re-render joins, still count as kept."""
    text = "".join(squash(h) for h in haystack)
    missing = []
    k = 0
    for n in needles:
        j = text.find(squash(n), k)
        if j < 0:
            missing.append(n)
        else:
            k = j + len(squash(n))
    return missing


# --- building Word files ------------------------------------------------------------------------


def run_xml(text: str, *, size: float = 14, bold: bool = False, italic: bool = False,
            underline: bool = False, font: str = TNR) -> str:
    rpr = (f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:cs="{font}"/>'
           + ("<w:b/><w:bCs/>" if bold else "") + ("<w:i/><w:iCs/>" if italic else "")
           + ('<w:u w:val="single"/>' if underline else "") + f'<w:sz w:val="{int(size * 2)}"/>')
    pieces = text.split("\n")
    body = "<w:br/>".join(f'<w:t xml:space="preserve">{escape(x)}</w:t>' for x in pieces)
    return f'<w:r {nsdecls("w")}><w:rPr>{rpr}</w:rPr>{body}</w:r>'


Piece = "str | tuple[str, str]"
"""A piece of a paragraph: plain text, or (flags, text) with flags among "b", "i", "u"."""


def add_para(container: Any, content: Any = "", *, align: str = "both", size: float = 14,
             bold: bool = False, italic: bool = False, before: float = 6, after: float = 0,
             first: Any = None, page_break_before: bool = False) -> Any:
    """A paragraph typed in Word with direct formatting. content: a string or a list of pieces."""
    p = container.add_paragraph()
    f = p.paragraph_format
    f.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "both": WD_ALIGN_PARAGRAPH.JUSTIFY,
                   "left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT}[align]
    f.space_before, f.space_after, f.line_spacing = Pt(before), Pt(after), 1.0
    if first is not None:
        f.first_line_indent = first
    if page_break_before:
        f.page_break_before = True
    pieces = [content] if isinstance(content, str) else list(content)
    for piece in pieces:
        if isinstance(piece, tuple):
            flags, text = piece
            p._p.append(parse_xml(run_xml(text, size=size, bold=bold or "b" in flags,
                                          italic=italic or "i" in flags, underline="u" in flags)))
        elif piece:
            p._p.append(parse_xml(run_xml(piece, size=size, bold=bold, italic=italic)))
    return p


def anchored_line(p: Any, length_pt: float, *, x_pt: float, y_pt: float, shape_id: int = 1) -> None:
    """A straight line drawn with the mouse (DrawingML wps shape) anchored in paragraph p, offset
    from that paragraph's top: how Word stores the line under a heading."""
    emu = int(length_pt * EMU)
    p._p.append(parse_xml(
        f'<w:r {nsdecls("w", "wp", "a")} xmlns:wps="{WPS_NS}"><w:drawing>'
        '<wp:anchor distT="0" distB="0" distL="114300" distR="114300" simplePos="0" relativeHeight="1" '
        'behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        f'<wp:positionH relativeFrom="column"><wp:posOffset>{int(x_pt * EMU)}</wp:posOffset></wp:positionH>'
        f'<wp:positionV relativeFrom="paragraph"><wp:posOffset>{int(y_pt * EMU)}</wp:posOffset></wp:positionV>'
        f'<wp:extent cx="{emu}" cy="0"/><wp:wrapNone/><wp:docPr id="{shape_id}" name="Line {shape_id}"/>'
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        f'<wps:wsp><wps:cNvCnPr/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{emu}" cy="0"/></a:xfrm>'
        '<a:prstGeom prst="line"><a:avLst/></a:prstGeom><a:ln w="9525"><a:solidFill><a:srgbClr val="000000"/>'
        '</a:solidFill></a:ln></wps:spPr><wps:bodyPr/></wps:wsp></a:graphicData>'
        '</a:graphic></wp:anchor></w:drawing></w:r>'))


def vml_line(p: Any, length_pt: float, *, x_pt: float, y_pt: float) -> None:
    """The same line as an old-style VML shape (files saved by Word 2003 or converted)."""
    p._p.append(parse_xml(
        f'<w:r {nsdecls("w")} xmlns:v="urn:schemas-microsoft-com:vml"><w:pict>'
        f'<v:line from="{x_pt}pt,{y_pt}pt" to="{x_pt + length_pt}pt,{y_pt}pt" strokeweight=".5pt" '
        'style="position:absolute;z-index:1;mso-position-horizontal-relative:text;'
        'mso-position-vertical-relative:text"/></w:pict></w:r>'))


def page_break(doc: Any) -> None:
    p = doc.add_paragraph()
    p._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:br w:type="page"/></w:r>'))


def section_break(doc: Any, *, landscape: bool, restart: bool = True) -> None:
    """End the current section here (sectPr in a paragraph); the next one starts a new page."""
    p = doc.add_paragraph()
    orient = ' w:orient="landscape"' if landscape else ""
    wd, ht = (16838, 11906) if landscape else (11906, 16838)
    p._p.get_or_add_pPr().append(parse_xml(
        f'<w:sectPr {nsdecls("w")}><w:type w:val="nextPage"/><w:pgSz w:w="{wd}" w:h="{ht}"{orient}/>'
        '<w:pgMar w:top="1134" w:right="851" w:bottom="1134" w:left="1701" w:header="567" '
        'w:footer="567" w:gutter="0"/>' + ('<w:pgNumType w:start="1"/>' if restart else "")
        + "</w:sectPr>"))


def set_last_section(doc: Any, *, landscape: bool) -> None:
    sec = doc.sections[-1]
    sec.orientation = 1 if landscape else 0
    sec.page_width, sec.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))


@dataclass
class WordTable:
    """A table to build: rows of cells. A cell is a string (its paragraphs split at "\\n"), or a
    dict {text, span, vmerge ("restart"/"continue"), bold, italic, align, breaks}. widths in cm."""

    rows: list[list[Any]]
    widths: list[float]
    header_rows: int = 1


def add_table(doc: Any, spec: WordTable, *, size: float = 13) -> Any:
    """A bordered table as Word writes it: tblGrid, tcW per cell, gridSpan and vMerge by hand."""
    twips = [int(cm * 567) for cm in spec.widths]
    edge = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
    borders = "".join(edge.format(e) for e in ("top", "left", "bottom", "right", "insideH", "insideV"))
    rows = []
    for ri, row in enumerate(spec.rows):
        col = 0
        cells = []
        for cell in row:
            c = cell if isinstance(cell, dict) else {"text": cell}
            span = c.get("span", 1)
            pr = f'<w:tcW w:w="{sum(twips[col:col + span])}" w:type="dxa"/>'
            if span > 1:
                pr += f'<w:gridSpan w:val="{span}"/>'
            if c.get("vmerge") == "restart":
                pr += '<w:vMerge w:val="restart"/>'
            elif c.get("vmerge") == "continue":
                pr += "<w:vMerge/>"
            header = ri < spec.header_rows
            jc = c.get("align", "center" if header else "left")
            text = c.get("text") or ""
            paras = []
            # "breaks": the cell's lines typed in one paragraph with manual line breaks (Shift+Enter).
            for line in ([text] if c.get("breaks") else text.split("\n") if text else [""]):
                runs = run_xml(line, size=size, bold=c.get("bold", header), italic=c.get("italic", False)) \
                    if line else ""
                paras.append(f'<w:p><w:pPr><w:spacing w:before="40" w:after="40"/><w:jc w:val="{jc}"/></w:pPr>'
                             f"{runs}</w:p>")
            cells.append(f"<w:tc><w:tcPr>{pr}</w:tcPr>{''.join(paras)}</w:tc>")
            col += span
        trpr = "<w:trPr><w:tblHeader/></w:trPr>" if ri < spec.header_rows else ""
        rows.append(f"<w:tr>{trpr}{''.join(cells)}</w:tr>")
    xml = (f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblW w:w="{sum(twips)}" w:type="dxa"/><w:jc w:val="center"/>'
           f"<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type=\"fixed\"/></w:tblPr><w:tblGrid>"
           + "".join(f'<w:gridCol w:w="{t}"/>' for t in twips) + "</w:tblGrid>" + "".join(rows) + "</w:tbl>")
    tbl = parse_xml(xml)
    doc.element.body.append(tbl)
    # python-docx appends before the body's sectPr only through its own API: move the table there.
    sect = doc.element.body.find(qn("w:sectPr"))
    if sect is not None:
        sect.addprevious(tbl)
    return tbl


@dataclass
class Header:
    """The header table of page 1, as offices type it."""

    parent: tuple[str, ...] = ("UBND TỈNH SÔNG MÂY",)
    issuer: tuple[str, ...] = ("SỞ VĂN HÓA VÀ THỂ THAO",)
    issuer_one_paragraph: str | None = None  # "wrap" (spaces) or "break" (w:br): issuer lines in one paragraph
    number: str = "Số:      /KH-SVHTT"
    quoc_hieu: str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    date: str = "Sông Mây, ngày      tháng      năm 2026"
    lines: str = "anchored"  # anchored (DrawingML in the next paragraph), number_row (in the Số paragraph), vml, none
    vv: str | None = None  # a Công văn's "V/v …" under the Số line


def a4_document() -> Any:
    """An empty Word document on A4 with Decree 30's margins (20 mm top and bottom, 30 mm left,
    15 mm right), as offices set it up before typing."""
    doc = docx.Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin = sec.bottom_margin = Mm(20)
    sec.left_margin, sec.right_margin = Mm(30), Mm(15)
    doc._body.clear_content()
    return doc


def build_plan(path: Path, *, header: Header | None = None, title: str = "KẾ HOẠCH",
               subject: tuple[str, ...] = ("Tổ chức giải chạy vì sức khỏe cộng đồng năm 2026",),
               subtitle: str | None = None,
               body: list[Any] | None = None,
               recipients: tuple[str, ...] = ("- Ủy ban nhân dân tỉnh;", "- Các phòng thuộc Sở;", "- Lưu: VT, VP."),
               signer: tuple[str, ...] = ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),
               signer_name: str = "Lê Thị Hạnh",
               appendices: list[list[Any]] | None = None,
               appendix_landscape: list[bool] | None = None) -> Path:
    """A whole plan typed in Word. body: list of paragraph specs — a string (justified, first-line
    indent), a list of pieces (see add_para), a dict {text|pieces, bold, italic, align}, or a
    WordTable. appendices: each a list of the same specs (after a page break, or in its own section
    when appendix_landscape gives its orientation)."""
    header = header or Header()
    doc = a4_document()

    t = doc.add_table(rows=1, cols=2)
    widths = (Cm(6.5), Cm(10.5))
    for cell, wd in zip(t.rows[0].cells, widths):
        cell.width = wd
    for col, wd in zip(t.columns, widths):
        col.width = wd
    left, right = t.cell(0, 0), t.cell(0, 1)
    for c in (left, right):
        c._tc.remove(c.paragraphs[0]._p)
    for text in header.parent:
        add_para(left, text, align="center", size=13, before=0)
    if header.issuer_one_paragraph == "wrap":
        # One paragraph whose lines wrap where the column ends, helped by runs of spaces.
        add_para(left, "        ".join(header.issuer), align="center", size=13, bold=True, before=0)
    elif header.issuer_one_paragraph == "break":
        add_para(left, "\n".join(header.issuer), align="center", size=13, bold=True, before=0)
    else:
        for text in header.issuer:
            add_para(left, text, align="center", size=13, bold=True, before=0)
    if header.lines == "anchored":
        spacer = add_para(left, "", align="center", size=6, before=0)
        anchored_line(spacer, 60, x_pt=60, y_pt=1, shape_id=11)
    num = add_para(left, header.number, align="center", size=13, before=6)
    if header.lines == "number_row":
        anchored_line(num, 60, x_pt=60, y_pt=-4, shape_id=12)
    elif header.lines == "vml":
        vml_line(num, 60, x_pt=60, y_pt=-4)
    if header.vv:
        add_para(left, header.vv, align="center", size=12, before=0)
    add_para(right, header.quoc_hieu, align="center", size=13, bold=True, before=0)
    add_para(right, "Độc lập - Tự do - Hạnh phúc", align="center", size=14, bold=True, before=0)
    dl = add_para(right, header.date, align="center", size=14, italic=True, before=12)
    if header.lines in ("anchored", "number_row"):
        anchored_line(dl, 170, x_pt=60, y_pt=-14, shape_id=13)
    elif header.lines == "vml":
        vml_line(dl, 170, x_pt=60, y_pt=-14)

    if title:
        add_para(doc, title, align="center", size=14, bold=True, before=12)
    for line in subject:
        add_para(doc, line, align="center", size=14, bold=True, before=0)
    if subtitle:
        add_para(doc, subtitle, align="center", size=14, italic=True, before=0)
    gap = add_para(doc, "", align="center", size=14, before=0)
    if header.lines != "none":
        anchored_line(gap, 120, x_pt=170, y_pt=2, shape_id=14)

    def put(spec: Any) -> None:
        if isinstance(spec, WordTable):
            add_table(doc, spec)
            return
        if isinstance(spec, str) or isinstance(spec, list):
            spec = {"pieces": spec}
        pieces = spec.get("pieces", spec.get("text", ""))
        add_para(doc, pieces, align=spec.get("align", "both"), bold=spec.get("bold", False),
                 italic=spec.get("italic", False), first=Cm(1.27) if spec.get("align", "both") == "both" else None)

    for spec in body or []:
        put(spec)

    sig = doc.add_table(rows=1, cols=2)
    nn, sg = sig.cell(0, 0), sig.cell(0, 1)
    for c in (nn, sg):
        c._tc.remove(c.paragraphs[0]._p)
    add_para(nn, "Nơi nhận:", align="left", size=12, bold=True, italic=True, before=0)
    for text in recipients:
        add_para(nn, text, align="left", size=11, before=0)
    for text in signer:
        add_para(sg, text, align="center", size=14, bold=True, before=0)
    for _ in range(3):
        add_para(sg, "", align="center", size=14, before=0)
    add_para(sg, signer_name, align="center", size=14, bold=True, before=0)

    for k, app in enumerate(appendices or []):
        if appendix_landscape is not None:
            # The section before this appendix ends here; its orientation is the previous one's.
            before = False if k == 0 else appendix_landscape[k - 1]
            section_break(doc, landscape=before, restart=k > 0)
        else:
            page_break(doc)
        for spec in app:
            put(spec)
    if appendix_landscape:
        set_last_section(doc, landscape=appendix_landscape[-1])
        last = doc.sections[-1]._sectPr
        if last.find(qn("w:pgNumType")) is None:
            num = parse_xml(f'<w:pgNumType {nsdecls("w")} w:start="1"/>')
            cols = last.find(qn("w:cols"))
            if cols is not None:
                cols.addprevious(num)  # schema order: pgMar … pgNumType, cols
            else:
                last.append(num)
    doc.save(str(path))
    return path


# --- notes: footnotes and endnotes as Word writes them ---------------------------------------------

_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_TYPES = "application/vnd.openxmlformats-officedocument.wordprocessingml."


def note_xml(kind: str, note_id: int, runs: str, *, mark: str = "", style: str = "NoteText",
             mark_style: str = "NoteRef") -> str:
    """One note (kind "footnote" or "endnote") as Word writes it: a paragraph opening with the
    note's number (w:footnoteRef) or, for a note with the drafter's own mark, that mark typed,
    then a space and runs (run XML without namespace declarations)."""
    opening = escape(mark) if mark else ""
    ref = f'<w:t xml:space="preserve">{opening}</w:t>' if mark else f"<w:{kind}Ref/>"
    return (f'<w:{kind} w:id="{note_id}"><w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r><w:rPr><w:rStyle '
            f'w:val="{mark_style}"/></w:rPr>{ref}</w:r><w:r><w:t xml:space="preserve"> </w:t></w:r>{runs}</w:p>'
            f'</w:{kind}>')


def notes_part(kind: str, notes: Iterable[str]) -> bytes:
    """A notes part (kind "footnote" or "endnote"): the two separators Word draws, then notes."""
    sep = "".join(f'<w:{kind} w:type="{t}" w:id="{i}"><w:p><w:r><w:{t}/></w:r></w:p></w:{kind}>'
                  for i, t in ((-1, "separator"), (0, "continuationSeparator")))
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:{kind}s {nsdecls("w")}>{sep}'
            f'{"".join(notes)}</w:{kind}s>').encode()


def add_notes(path: Path, *, footnotes: Iterable[str] = (), endnotes: Iterable[str] = ()) -> Path:
    """The package at path given its notes parts (each note's XML from note_xml), with their
    relationships and content types, as Word writes them."""
    with zipfile.ZipFile(path) as z:
        members = {name: z.read(name) for name in z.namelist()}
    rels, types = "", ""
    for kind, notes in (("footnote", list(footnotes)), ("endnote", list(endnotes))):
        if not notes:
            continue
        members[f"word/{kind}s.xml"] = notes_part(kind, notes)
        rels += f'<Relationship Id="rId{kind}s" Type="{_RELS}{kind}s" Target="{kind}s.xml"/>'
        types += f'<Override PartName="/word/{kind}s.xml" ContentType="{_TYPES}{kind}s+xml"/>'
    members["word/_rels/document.xml.rels"] = members["word/_rels/document.xml.rels"].replace(
        b"</Relationships>", f"{rels}</Relationships>".encode())
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(b"</Types>", f"{types}</Types>".encode())
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def paragraph_holding(node: Any, wanted: Callable[[Any], bool]) -> list[Any] | None:
    """The first list under node (data dicts and lists, or the plan's models) holding a piece wanted
    accepts: a paragraph written as pieces."""
    from pydantic import BaseModel

    if isinstance(node, list):
        if any(wanted(x) for x in node):
            return node
        children: list[Any] = node
    elif isinstance(node, dict):
        children = list(node.values())
    elif isinstance(node, BaseModel):
        children = [getattr(node, name) for name in type(node).model_fields]
    else:
        return None
    return next((found for x in children if (found := paragraph_holding(x, wanted)) is not None), None)


def original_text(path: Path | str) -> list[str]:
    """What a reader of the original reads: every non-empty paragraph and cell, normalised."""
    return cell_texts(path)


def bytes_of(path: Path | str) -> bytes:
    return Path(path).read_bytes()


__all__ = [
    "Doc", "P", "grid", "grid_widths", "header_rows", "blocks", "cell_texts", "emphasis_spans",
    "words_kept", "in_order", "norm", "add_para", "add_table", "anchored_line", "vml_line",
    "build_plan", "Header", "WordTable", "page_break", "section_break", "io", "etree", "W_NS",
    "note_xml", "notes_part", "add_notes", "paragraph_holding", "word_owner_file",
]


def word_owner_file(user: str) -> bytes:
    """The owner ("lock") file Word writes beside a document it has open, as Word lays it out:
    a byte counting the user's name, the name in the ANSI code page, padding to byte 54, the
    count again (two bytes) and the name in UTF-16, padding to 162 bytes."""
    ansi = user.encode("cp1258", errors="replace")
    head = bytes([len(user)]) + ansi
    head += b"\x00" * (54 - len(head))
    body = head + bytes([len(user), 0]) + user.encode("utf-16-le")
    return body + b"\x00" * (162 - len(body))

