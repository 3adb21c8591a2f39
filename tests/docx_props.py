"""Effective formatting of runs and paragraphs in a .docx, as Word resolves it.

Why: a run that looks right in python-docx (`run.bold is None`) may be bold through its paragraph
style, its style's basedOn parent or the document defaults; format rules must be checked on what the
reader sees, not on what happens to be written on the run.

Resolution order, lowest priority first: docDefaults → table style (tblStyle, else the default table
style) → paragraph style chain (basedOn, root first) → character style chain (rStyle) → direct
formatting. Simplification: toggle properties (b, i, caps) take the last value set instead of Word's
XOR between style levels; every template style here sets them explicitly, so both agree.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"w": W_NS, "r": R_NS}
FONT_SLOTS = ("ascii", "hAnsi", "eastAsia", "cs")
_FALSE = {"0", "false", "off"}


def w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def _on(el: Any) -> bool:
    return el.get(w("val"), "1").lower() not in _FALSE


@dataclass
class RunProps:
    size: float | None = None  # points, from w:sz
    size_cs: float | None = None
    bold: bool = False
    italic: bool = False
    caps: bool = False
    small_caps: bool = False
    fonts: dict[str, str | None] = field(default_factory=lambda: dict.fromkeys(FONT_SLOTS))


@dataclass
class ParaProps:
    jc: str | None = None
    first_line: int = 0  # twips; negative for a hanging indent
    left: int = 0
    right: int = 0
    before: int = 0
    after: int = 0
    line: int | None = None
    line_rule: str | None = None
    border_top: bool = False


def _apply_rpr(props: RunProps, rpr: Any) -> None:
    if rpr is None:
        return
    for child in rpr:
        tag = etree.QName(child).localname
        if tag == "sz":
            props.size = int(child.get(w("val"))) / 2
        elif tag == "szCs":
            props.size_cs = int(child.get(w("val"))) / 2
        elif tag == "b":
            props.bold = _on(child)
        elif tag == "i":
            props.italic = _on(child)
        elif tag == "caps":
            props.caps = _on(child)
        elif tag == "smallCaps":
            props.small_caps = _on(child)
        elif tag == "rFonts":
            for slot in FONT_SLOTS:
                theme = child.get(w(f"{slot}Theme"))
                if theme is not None:  # a theme font overrides the named one at the same level
                    props.fonts[slot] = f"theme:{theme}"
                elif child.get(w(slot)) is not None:
                    props.fonts[slot] = child.get(w(slot))


def _apply_ppr(props: ParaProps, ppr: Any) -> None:
    if ppr is None:
        return
    for child in ppr:
        tag = etree.QName(child).localname
        if tag == "jc":
            props.jc = child.get(w("val"))
        elif tag == "ind":
            if child.get(w("firstLine")) is not None:
                props.first_line = int(child.get(w("firstLine")))
            if child.get(w("hanging")) is not None:
                props.first_line = -int(child.get(w("hanging")))
            for attr, name in (("left", "left"), ("start", "left"), ("right", "right"), ("end", "right")):
                if child.get(w(attr)) is not None:
                    setattr(props, name, int(child.get(w(attr))))
        elif tag == "spacing":
            for attr in ("before", "after", "line"):
                if child.get(w(attr)) is not None:
                    setattr(props, attr, int(child.get(w(attr))))
            if child.get(w("lineRule")) is not None:
                props.line_rule = child.get(w("lineRule"))
        elif tag == "pBdr":
            top = child.find(w("top"))
            props.border_top = top is not None and top.get(w("val")) not in ("nil", "none")


class Styles:
    """styles.xml of one document, able to resolve the effective props of any run or paragraph."""

    def __init__(self, root: Any):
        self.root = root
        self.by_id = {s.get(w("styleId")): s for s in root.findall(w("style"))}
        self.defaults_rpr = root.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}")
        self.defaults_ppr = root.find(f"{w('docDefaults')}/{w('pPrDefault')}/{w('pPr')}")

        def default(kind: str) -> str | None:
            for s in root.findall(w("style")):
                if s.get(w("type")) == kind and _on_attr(s.get(w("default"))):
                    return s.get(w("styleId"))
            return None

        self.default_paragraph = default("paragraph")
        self.default_table = default("table")

    def chain(self, style_id: str | None) -> list[Any]:
        """The style and its basedOn ancestors, root first."""
        out: list[Any] = []
        seen: set[str] = set()
        while style_id and style_id in self.by_id and style_id not in seen:
            seen.add(style_id)
            style = self.by_id[style_id]
            out.append(style)
            based = style.find(w("basedOn"))
            style_id = based.get(w("val")) if based is not None else None
        return list(reversed(out))

    def paragraph_style_id(self, p: Any) -> str | None:
        ps = p.find(f"{w('pPr')}/{w('pStyle')}")
        return ps.get(w("val")) if ps is not None else self.default_paragraph

    def _table_style_chain(self, el: Any) -> list[Any]:
        tbl = next((a for a in el.iterancestors(w("tbl"))), None)
        if tbl is None:
            return []
        ts = tbl.find(f"{w('tblPr')}/{w('tblStyle')}")
        return self.chain(ts.get(w("val")) if ts is not None else self.default_table)

    def paragraph(self, p: Any) -> ParaProps:
        props = ParaProps()
        _apply_ppr(props, self.defaults_ppr)
        for style in self._table_style_chain(p) + self.chain(self.paragraph_style_id(p)):
            _apply_ppr(props, style.find(w("pPr")))
        _apply_ppr(props, p.find(w("pPr")))
        return props

    def run(self, r: Any) -> RunProps:
        props = RunProps()
        _apply_rpr(props, self.defaults_rpr)
        p = r.getparent()
        while p is not None and p.tag != w("p"):
            p = p.getparent()
        if p is not None:
            for style in self._table_style_chain(p) + self.chain(self.paragraph_style_id(p)):
                _apply_rpr(props, style.find(w("rPr")))
        rpr = r.find(w("rPr"))
        if rpr is not None:
            rs = rpr.find(w("rStyle"))
            if rs is not None:
                for style in self.chain(rs.get(w("val"))):
                    _apply_rpr(props, style.find(w("rPr")))
        _apply_rpr(props, rpr)
        return props


def _on_attr(value: str | None) -> bool:
    return value is not None and value.lower() not in _FALSE


class Package:
    """The XML parts of a .docx that carry text, with its styles."""

    def __init__(self, data: bytes):
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        self.names = self.zip.namelist()
        self.styles = Styles(self.xml("word/styles.xml"))
        self.document = self.xml("word/document.xml")
        rels = self.xml("word/_rels/document.xml.rels")
        self.targets = {
            rel.get("Id"): "word/" + rel.get("Target").lstrip("/").removeprefix("word/")
            for rel in rels
        }

    def xml(self, name: str) -> Any:
        return etree.fromstring(self.zip.read(name))

    def text_parts(self) -> dict[str, Any]:
        """document.xml, every header and footer, footnotes and endnotes when present."""
        names = ["word/document.xml"] + sorted(
            n for n in self.names
            if re.fullmatch(r"word/(header|footer)\d*\.xml|word/(footnotes|endnotes)\.xml", n)
        )
        return {n: self.xml(n) for n in names}

    def sections(self) -> list[Any]:
        """Every sectPr in document order (the body's last one included)."""
        return list(self.document.iter(w("sectPr")))

    def header(self, sect: Any, kind: str) -> Any | None:
        ref = next((h for h in sect.findall(w("headerReference")) if h.get(w("type")) == kind), None)
        if ref is None:
            return None
        return self.xml(self.targets[ref.get(f"{{{R_NS}}}id")])


def paragraph_text(p: Any) -> str:
    """The text a reader sees: w:t, tabs as "\\t", line breaks as "\\n"; field codes left out."""
    out = []
    for el in p.iter(w("t"), w("tab"), w("br"), w("cr")):
        if el.tag == w("t"):
            out.append(el.text or "")
        elif el.tag == w("tab"):
            if el.getparent().tag == w("r"):
                out.append("\t")
        else:
            out.append("\n")
    return "".join(out)


def paragraphs(root: Any) -> list[Any]:
    return list(root.iter(w("p")))


def text_runs(p: Any) -> list[Any]:
    """Runs of p that print something (text), nested ones (hyperlinks, fields) included."""
    return [r for r in p.iter(w("r")) if any((t.text or "").strip() for t in r.findall(w("t")))]


def cell_lines(tc: Any) -> list[str]:
    """A table cell's printed lines: each paragraph, split at its line breaks."""
    lines: list[str] = []
    for p in tc.findall(w("p")):
        lines += paragraph_text(p).split("\n")
    return lines


def has_page_field(root: Any) -> bool:
    instr = " ".join((t.text or "") for t in root.iter(w("instrText")))
    simple = " ".join(f.get(w("instr"), "") for f in root.iter(w("fldSimple")))
    return re.search(r"(^|\s)PAGE(\s|$)", f" {instr} {simple} ") is not None
