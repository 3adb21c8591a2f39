"""Effective formatting of any paragraph and run of a .docx, the way Word resolves it.

Why: a document made in Word rarely carries direct formatting everywhere; its size, bold or font
comes from a character style, the paragraph style and its basedOn chain, a table style, the
document defaults, and theme fonts ("minorHAnsi" = the theme's body font). The checker must judge
what the reader sees, whatever the route.

Order of precedence, nearest first:
  runs:       direct rPr → character style chain → paragraph style chain → table style chain
              → docDefaults rPrDefault
  paragraphs: direct pPr → paragraph style chain → table style chain → docDefaults pPrDefault
Each attribute is inherited on its own (a style may set spacing/@before, its parent spacing/@line).
Toggle properties (bold, italic, caps, small caps, hidden) follow ECMA-376 §17.7.3 as Word prints
them: direct formatting sets the value; otherwise each style kind that turns it on (table style,
paragraph style, character style: each chain's nearest value) flips it, starting from the document
defaults, so bold in a paragraph style and again in its runs' character style prints not bold.
A run laid out as complex script (w:cs, w:rtl) takes w:bCs, w:iCs and w:szCs instead; Vietnamese
text is not, so a w:bCs alone does not make it bold.
Indents given in characters (w:firstLineChars …) are read as that many of the paragraph's text size.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from lxml import etree

from .package import parse_xml

A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@functools.lru_cache(maxsize=512)
def qn(tag: str) -> str:
    """Clark name of a w: tag ("w:pPr" -> "{…main}pPr"); python-docx's qn without importing python-docx,
    so that a cold `kehoach check` does not pay for it."""
    prefix, _, local = tag.partition(":")
    if prefix != "w":
        from docx.oxml.ns import qn as docx_qn

        return docx_qn(tag)
    return f"{{{W_NS}}}{local}"

FONT_SLOTS = ("ascii", "hAnsi", "eastAsia", "cs")
_FALSE = {"0", "false", "off", "none"}


@dataclass(frozen=True)
class RunFormat:
    """What a reader sees of one run."""

    fonts: dict[str, str | None]
    size: float | None  # pt
    bold: bool
    italic: bool
    caps: bool
    underline: str | None  # w:u/@w:val when not "none"
    hidden: bool
    spacing: float = 0.0  # pt added after each character (w:spacing; negative = condensed)
    vert_align: str | None = None  # superscript / subscript (w:vertAlign), e.g. a drafter's initials
    hint: str | None = None  # w:rFonts/@w:hint: "eastAsia" sends shared characters to the eastAsia slot
    complex_script: bool = False  # w:rtl or w:cs: the run is laid out with the cs font
    small_caps: bool = False  # w:smallCaps: lower-case letters printed as small capitals
    position: float = 0.0
    """pt the run is raised (negative: lowered) from the line's baseline (w:position, Font →
    Advanced → Position), at its own size; the reader decides whether it prints as a superscript
    or subscript (word/reader, raised_as_printed)."""
    vert_by_position: bool = False
    """vert_align was read from the position (the reader's decision), not from w:vertAlign: the run
    prints at its own size, not shrunk as a w:vertAlign run is."""

    def slots_used(self, text: str) -> set[str]:
        """The font slots Word actually draws this run's characters with.
        Why: a run lists four faces (ascii, hAnsi, eastAsia, cs) but Vietnamese text only ever uses
        ascii (basic Latin) and hAnsi (the accented letters); an eastAsia or cs face matters only for
        CJK / right-to-left characters, or when the run is marked complex-script."""
        if self.complex_script:
            return {"cs"}
        out = set()
        for ch in text:
            o = ord(ch)
            if ch.isspace():
                continue
            if 0x0590 <= o <= 0x08FF or 0x0E00 <= o <= 0x0E7F:
                out.add("cs")
            elif 0x2E80 <= o <= 0x9FFF or 0xAC00 <= o <= 0xD7AF or 0xF900 <= o <= 0xFAFF or 0xFF00 <= o <= 0xFFEF:
                out.add("eastAsia")
            elif o < 0x80:
                out.add("ascii")
            else:
                out.add("hAnsi")
        return out


@dataclass(frozen=True)
class ParaFormat:
    """Paragraph layout, in twips (1/20 pt) unless noted."""

    style_id: str | None
    style_name: str | None
    align: str  # left/center/right/both/distribute…
    left: int
    right: int
    first_line: int  # negative = hanging
    before: int
    after: int
    line: int | None
    line_rule: str  # auto (line/240 = multiple), exact, atLeast
    contextual: bool
    border_top: bool
    border_bottom: bool
    tabs: tuple = ()  # (position twips, kind) of the custom tab stops in force, sorted
    run_defaults: RunFormat = field(repr=False, default=None)  # type: ignore[assignment]


def _first_child(levels: Iterable[Any], tag: str) -> Any | None:
    """The tag's element in the first formatting level that sets it (direct, then styles, then
    defaults): what a reader sees."""
    name = qn(tag)
    for lv in levels:
        el = lv.find(name)
        if el is not None:
            return el
    return None


def _on(el: Any) -> bool:
    return el.get(qn("w:val"), "1").lower() not in _FALSE


def _toggle(groups: list[list[Any]], tag: str) -> bool:
    """A toggle property (ECMA-376 §17.7.3) as Word prints it. groups: [direct], character style
    chain, paragraph style chain, table style chain, [document defaults]. Direct formatting and the
    defaults set the value; each style chain whose nearest value is on flips it (one that says off
    leaves it)."""
    direct, *styles, defaults = groups
    el = _first_child(direct, tag)
    if el is not None:
        return _on(el)
    el = _first_child(defaults, tag)
    value = el is not None and _on(el)
    for chain in styles:
        el = _first_child(chain, tag)
        if el is not None and _on(el):
            value = not value
    return value


def _half_points(sz: Any) -> float | None:
    """A w:sz value (half-points) in points; None when absent or not a number."""
    value = measure(sz.get(qn("w:val")), 2) if sz is not None else None
    return value / 2 if value else None


_UNIVERSAL = re.compile(r"\s*(-?\d+(?:\.\d+)?)\s*(mm|cm|in|pt|pc|pi)\s*")
_POINTS_PER = {"mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0, "pt": 1.0, "pc": 12.0, "pi": 12.0}


def measure(value: str | None, per_pt: float = 20) -> int | None:
    """A number or length attribute of WordprocessingML in its own unit (per_pt of them make a point:
    20 for twips, 2 for a font size's half-points); None when absent or not a number.

    A plain number as Word writes it ("240"; "240.0" cut to 240), or a universal measure the schema
    allows in its place ("12pt", "2.5cm", "1in": ST_TwipsMeasure, ST_HpsMeasure…, as Strict files and
    other producers write them), converted: both print the same. Infinite or not-a-number values
    ("1e400", "NaN") are none, as Word refuses them."""
    if value is None:
        return None
    try:
        number = float(value)
    except ValueError:
        m = _UNIVERSAL.fullmatch(value)
        if m is None:
            return None
        number = round(float(m.group(1)) * _POINTS_PER[m.group(2)] * per_pt)
    return int(number) if math.isfinite(number) else None


def _int(value: str | None) -> int | None:
    return measure(value)


_PPR, _PSTYLE, _TBL, _TBLPR, _TBLSTYLE, _VAL = (qn(t) for t in ("w:pPr", "w:pStyle", "w:tbl", "w:tblPr",
                                                               "w:tblStyle", "w:val"))
_P_CONTENT = frozenset(qn(t) for t in ("w:r", "w:hyperlink", "w:fldSimple", "w:ins", "w:del", "w:smartTag",
                                       "w:sdt", "w:customXml"))
_RPR_TAG = qn("w:rPr")
_CACHE_LIMIT = 20_000

_T = TypeVar("_T")


def _cached(cache: dict[tuple[Any, ...], _T], key: tuple[Any, ...], make: Callable[[], _T]) -> _T:
    """cache[key], made on first use; a cache past _CACHE_LIMIT entries starts again (a hostile file
    with a distinct formatting on every run must not grow it without bound)."""
    found = cache.get(key)
    if found is None:
        if len(cache) > _CACHE_LIMIT:
            cache.clear()
        found = cache[key] = make()
    return found


def _xml_key(el: Any | None) -> bytes:
    """An element's XML as a cache key: two runs with the same properties format alike."""
    return etree.tostring(el) if el is not None else b""


_TBL_CONTENT = frozenset(qn(t) for t in ("w:tblGrid", "w:tr", "w:sdt", "w:customXml"))


def _properties_child(el: Any, props_tag: str, child_tag: str, content: frozenset[str]) -> Any | None:
    """el's first <props_tag>/<child_tag> (the same answer as el.find("props/child")), found without
    scanning el's content: the properties element comes before the content (ECMA-376), so the search
    stops at the first row of a table or run of a paragraph.

    Why: el.find("w:tblPr/w:tblStyle") visits every row of a table that has no tblStyle; asked once
    per run of the table, that made checking a 4,000-row table quadratic (issue 13).
    """
    for child in el:
        tag = child.tag
        if tag == props_tag:
            found = child.find(child_tag)
            if found is not None:
                return found
        elif tag in content:
            return None
    return None


class Formatting:
    """Resolves effective run and paragraph formatting for one document."""

    def __init__(self, styles_el: Any | None, theme_el: Any | None = None):
        self.styles: dict[str, Any] = {}
        self.default_para_style: str | None = None
        self.default_char_style: str | None = None
        self.default_table_style: str | None = None
        self.rpr_default = self.ppr_default = None
        if styles_el is not None:
            for st in styles_el.findall(qn("w:style")):
                sid = st.get(qn("w:styleId"))
                self.styles[sid] = st
                if st.get(qn("w:default")) in ("1", "true"):
                    kind = st.get(qn("w:type"))
                    if kind == "paragraph":
                        self.default_para_style = sid
                    elif kind == "character":
                        self.default_char_style = sid
                    elif kind == "table":
                        self.default_table_style = sid
            self.rpr_default = styles_el.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
            self.ppr_default = styles_el.find(f"{qn('w:docDefaults')}/{qn('w:pPrDefault')}/{qn('w:pPr')}")
        self.theme = _theme_fonts(theme_el)
        self._chains: dict[str | None, tuple[Any, ...]] = {}
        # Resolved formats by what they depend on (styles in force and the element's own
        # properties): a long document repeats a few dozen formats over thousands of runs.
        self._run_formats: dict[tuple[Any, ...], RunFormat] = {}
        self._para_formats: dict[tuple[Any, ...], ParaFormat] = {}
        self._style_conditions: dict[str, frozenset[str | None]] = {}
        self._cell_places: dict[tuple[Any, ...], dict[Any, tuple[int, int, bool, int]]] = {}

    @classmethod
    def of(cls, document: Any) -> Formatting:
        """From a python-docx Document: its styles part and theme part (when present)."""
        try:
            styles_el = document.styles.element
        except Exception:  # a package without a styles part: everything comes from defaults
            styles_el = None
        theme_el = None
        for rel in document.part.rels.values():
            if rel.reltype.endswith("/theme") and not rel.is_external:
                try:  # the safe parser: no DTD, no entities, no network, like every other part
                    theme_el = parse_xml(rel.target_part.blob)
                except (etree.XMLSyntaxError, ValueError):
                    theme_el = None  # a broken theme names no font: theme slots stay unresolved
        return cls(styles_el, theme_el)

    # --- style chains -------------------------------------------------------------------------

    def chain(self, style_id: str | None) -> tuple[Any, ...]:
        """The style and its basedOn ancestors, nearest first (memoised: styles do not change)."""
        cached = self._chains.get(style_id)
        if cached is not None:
            return cached
        out, seen, key = [], set(), style_id
        while style_id and style_id in self.styles and style_id not in seen:
            seen.add(style_id)
            st = self.styles[style_id]
            out.append(st)
            based = st.find(qn("w:basedOn"))
            style_id = based.get(qn("w:val")) if based is not None else None
        result = self._chains[key] = tuple(out)
        return result

    def style_name(self, style_id: str | None) -> str | None:
        st = self.styles.get(style_id or "")
        if st is None:
            return None
        name = st.find(qn("w:name"))
        return name.get(qn("w:val")) if name is not None else style_id

    def _para_style(self, p: Any) -> str | None:
        ps = _properties_child(p, _PPR, _PSTYLE, _P_CONTENT)
        return ps.get(_VAL) if ps is not None else self.default_para_style

    def _table_style(self, p: Any) -> str | None:
        tbl = next(p.iterancestors(_TBL), None)
        if tbl is None:
            return None
        ts = _properties_child(tbl, _TBLPR, _TBLSTYLE, _TBL_CONTENT)
        return ts.get(_VAL) if ts is not None else self.default_table_style

    # --- table styles' conditional formatting ------------------------------------------------------

    def _table_levels(self, p: Any, tag: str) -> list[Any]:
        """The table style's w:pPr or w:rPr levels for paragraph p, nearest first: the conditional
        formats that apply to its cell (w:tblStylePr, the highest in Word's order first), then the
        style chain's own."""
        chain = self.chain(self._table_style(p))
        out = [cond.find(qn(tag)) for kind in self._conditions(p) for st in chain
               for cond in st.findall(qn("w:tblStylePr")) if cond.get(qn("w:type")) == kind]
        return out + [st.find(qn(tag)) for st in chain]

    def _conditions(self, p: Any) -> tuple[str, ...]:
        """The conditional formats of the table style (w:tblStylePr types) that apply to p's cell,
        nearest first: Word applies the whole table's, then banded columns and rows, first and last
        column, first and last row, corner cells (ECMA-376 17.7.6), each where the table's look
        (w:tblLook) turns it on and the cell's place matches. () outside a table or with none."""
        sid = self._table_style(p)
        if sid is None:
            return ()
        kinds = self._style_conditions.get(sid)
        if kinds is None:
            kinds = self._style_conditions[sid] = frozenset(
                c.get(qn("w:type")) for st in self.chain(sid) for c in st.findall(qn("w:tblStylePr")))
        if not kinds:
            return ()
        tc = next(p.iterancestors(qn("w:tc")), None)
        tbl = next(p.iterancestors(_TBL), None)
        if tc is None or tbl is None:
            return ()
        places = _cached(self._cell_places, (tbl,), lambda: _cell_places(tbl))
        row, col, last, rows = places.get(tc, (0, 0, True, 1))
        look = _look(tbl)
        on: list[str] = ["wholeTable"]
        first_row, last_row = look["firstRow"] and row == 0, look["lastRow"] and row == rows - 1
        first_col, last_col = look["firstColumn"] and col == 0, look["lastColumn"] and last
        tblpr = tbl.find(_TBLPR)
        if not look["noVBand"] and not (first_col or last_col):
            size = max(_int(_val_of(tblpr, "w:tblStyleColBandSize")) or 1, 1)
            on.append("band1Vert" if ((col - look["firstColumn"]) // size) % 2 == 0 else "band2Vert")
        if not look["noHBand"] and not (first_row or last_row):
            size = max(_int(_val_of(tblpr, "w:tblStyleRowBandSize")) or 1, 1)
            on.append("band1Horz" if ((row - look["firstRow"]) // size) % 2 == 0 else "band2Horz")
        on += [k for k, yes in (("firstCol", first_col), ("lastCol", last_col), ("firstRow", first_row),
                                ("lastRow", last_row)) if yes]
        corner = {(True, True): "nwCell", (True, False): "neCell", (False, True): "swCell", (False, False): "seCell"}
        if (first_row or last_row) and (first_col or last_col):
            on.append(corner[(first_row, first_col)])
        return tuple(k for k in reversed(on) if k in kinds)

    def _ppr_levels(self, p: Any) -> list[Any]:
        levels = [p.find(qn("w:pPr"))]
        levels += [st.find(qn("w:pPr")) for st in self.chain(self._para_style(p))]
        levels += self._table_levels(p, "w:pPr")
        levels.append(self.ppr_default)
        return [lv for lv in levels if lv is not None]

    def _rpr_groups(self, p: Any, r: Any | None) -> list[list[Any]]:
        """The run's formatting levels by where they come from, nearest first: [direct rPr],
        character style chain, paragraph style chain, table style chain, [document defaults]."""
        direct: list[Any] = []
        cstyle = self.default_char_style
        if r is not None:
            rpr = r.find(qn("w:rPr"))
            direct = [rpr]
            rs = rpr.find(qn("w:rStyle")) if rpr is not None else None
            if rs is not None:
                cstyle = rs.get(qn("w:val"))
        else:
            cstyle = None
        groups = [direct, [st.find(qn("w:rPr")) for st in self.chain(cstyle)],
                  [st.find(qn("w:rPr")) for st in self.chain(self._para_style(p))],
                  self._table_levels(p, "w:rPr"), [self.rpr_default]]
        return [[lv for lv in g if lv is not None] for g in groups]

    def _rpr_levels(self, p: Any, r: Any | None) -> list[Any]:
        return [lv for g in self._rpr_groups(p, r) for lv in g]

    # --- runs ---------------------------------------------------------------------------------

    def run(self, p: Any, r: Any | None) -> RunFormat:
        """Effective formatting of run r in paragraph p (r=None: what a new run would get)."""
        rpr = r.find(_RPR_TAG) if r is not None else None
        key = (self._para_style(p), self._table_style(p), self._conditions(p), r is None, _xml_key(rpr))
        return _cached(self._run_formats, key, lambda: self._run(p, r))

    def _run(self, p: Any, r: Any | None) -> RunFormat:
        groups = self._rpr_groups(p, r)
        levels = [lv for g in groups for lv in g]

        def first(tag: str) -> Any | None:
            return _first_child(levels, tag)

        fonts: dict[str, str | None] = {}
        for slot in FONT_SLOTS:
            fonts[slot] = None
            theme_attr = "w:cstheme" if slot == "cs" else f"w:{slot}Theme"
            for lv in levels:
                rf = lv.find(qn("w:rFonts"))
                if rf is None:
                    continue
                theme = rf.get(qn(theme_attr))
                if theme:  # a theme attribute beats the plain one on the same element
                    fonts[slot] = self.theme.get(theme)
                    break
                if rf.get(qn(f"w:{slot}")):
                    fonts[slot] = rf.get(qn(f"w:{slot}"))
                    break
        sp = first("w:spacing")
        va = first("w:vertAlign")
        raised = first("w:position")
        pos = _int(raised.get(qn("w:val"))) if raised is not None else None
        hint = next((lv.find(qn("w:rFonts")).get(qn("w:hint")) for lv in levels
                     if lv.find(qn("w:rFonts")) is not None and lv.find(qn("w:rFonts")).get(qn("w:hint"))), None)
        cs = first("w:rtl")
        cs2 = first("w:cs")
        complex_script = (cs is not None and _on(cs)) or (cs2 is not None and _on(cs2))
        u = first("w:u")
        underline = u.get(qn("w:val")) if u is not None else None
        return RunFormat(
            fonts=fonts,
            size=_half_points(first("w:szCs" if complex_script else "w:sz")),
            bold=_toggle(groups, "w:bCs" if complex_script else "w:b"),
            italic=_toggle(groups, "w:iCs" if complex_script else "w:i"),
            caps=_toggle(groups, "w:caps"),
            underline=None if underline in (None, "none") else underline,
            hidden=_toggle(groups, "w:vanish"),
            spacing=(_int(sp.get(qn("w:val"))) or 0) / 20 if sp is not None else 0.0,
            vert_align=(va.get(qn("w:val")) if va is not None and va.get(qn("w:val")) != "baseline" else None),
            hint=hint,
            complex_script=complex_script,
            small_caps=_toggle(groups, "w:smallCaps"),
            position=(pos or 0) / 2,
        )

    def size_and_bold(self, p: Any, r: Any | None) -> tuple[float | None, bool]:
        """run(p, r).size and .bold alone: what measuring a line of text needs. The layout pass asks
        it of a few paragraphs in every document of a batch; fonts and the rest are not resolved."""
        groups = self._rpr_groups(p, r)
        return _half_points(_first_child([lv for g in groups for lv in g], "w:sz")), _toggle(groups, "w:b")

    # --- paragraphs ---------------------------------------------------------------------------

    def paragraph(self, p: Any, list_level: Any | None = None) -> ParaFormat:
        """Effective paragraph layout. list_level: the w:pPr of the paragraph's list level, which
        Word applies between the paragraph's own properties and its style's (a numbered paragraph's
        indent usually comes from there)."""
        first_run = next((r for r in p.iter(qn("w:r")) if r.find(qn("w:t")) is not None), None)
        key = (self._para_style(p), self._table_style(p), self._conditions(p), _xml_key(p.find(qn("w:pPr"))),
               _xml_key(list_level),
               _xml_key(first_run.find(qn("w:rPr")) if first_run is not None else None))
        return _cached(self._para_formats, key, lambda: self._paragraph(p, list_level))

    def _paragraph(self, p: Any, list_level: Any | None = None) -> ParaFormat:
        levels = self._ppr_levels(p)
        if list_level is not None:
            own = p.find(qn("w:pPr"))
            levels.insert(1 if own is not None and levels and levels[0] is own else 0, list_level)

        def attr(tag: str, *names: str) -> str | None:
            for lv in levels:
                el = lv.find(qn(tag))
                if el is None:
                    continue
                for name in names:
                    v = el.get(qn(name))
                    if v is not None:
                        return v
            return None

        def child(tag: str) -> Any | None:
            return _first_child(levels, tag)

        def border(edge: str) -> bool:
            for lv in levels:
                bdr = lv.find(qn("w:pBdr"))
                if bdr is not None:
                    el = bdr.find(qn(f"w:{edge}"))
                    if el is not None:
                        return el.get(qn("w:val"), "nil") not in ("nil", "none")
            return False

        run_defaults = self.run(p, None)
        # Indents in characters (w:firstLineChars, hundredths of a character, as East Asian editions
        # of Word and documents converted from them write them) win over the twips on the same level:
        # a character is as wide as the paragraph's text is high (its first run's size; Word writes
        # firstLineChars="200" beside firstLine="560" for 14 pt text).
        def char_twips() -> float:  # asked only when an indent is given in characters
            first_run = next((r for r in p.iter(qn("w:r")) if r.find(qn("w:t")) is not None), None)
            return ((self.size_and_bold(p, first_run)[0] if first_run is not None else None)
                    or run_defaults.size or 10.5) * 20 / 100

        def indent(*names: str) -> int | None:
            for lv in levels:
                ind = lv.find(qn("w:ind"))
                if ind is None:
                    continue
                for name in names:
                    v = _int(ind.get(qn(name)))
                    if v is not None and (v or not name.endswith("Chars")):
                        return round(v * char_twips()) if name.endswith("Chars") else v
            return None

        first_line = 0
        # The nearest level that says hanging or firstLine wins; a hanging indent is negative.
        for lv in levels:
            ind = lv.find(qn("w:ind"))
            if ind is None:
                continue
            hanging_chars = _int(ind.get(qn("w:hangingChars")))
            first_chars = _int(ind.get(qn("w:firstLineChars")))
            if hanging_chars:
                first_line = -round(hanging_chars * char_twips())
                break
            if first_chars:
                first_line = round(first_chars * char_twips())
                break
            if ind.get(qn("w:hanging")) is not None:
                first_line = -(_int(ind.get(qn("w:hanging"))) or 0)
                break
            if ind.get(qn("w:firstLine")) is not None:
                first_line = _int(ind.get(qn("w:firstLine"))) or 0
                break
        # Tab stops accumulate from the farthest level to the nearest; "clear" removes one.
        stops: dict[int, str] = {}
        for lv in reversed(levels):
            tabs = lv.find(qn("w:tabs"))
            for tab in tabs.findall(qn("w:tab")) if tabs is not None else ():
                pos = _int(tab.get(qn("w:pos")))
                if pos is None:
                    continue
                if tab.get(qn("w:val")) == "clear":
                    stops.pop(pos, None)
                else:
                    kind = tab.get(qn("w:val"), "left")
                    stops[pos] = _ALIGN_NAMES.get(kind, kind)
        ctx = child("w:contextualSpacing")
        sid = self._para_style(p)
        return ParaFormat(
            style_id=sid,
            style_name=self.style_name(sid),
            align=_ALIGN_NAMES.get(attr("w:jc", "w:val") or "left", attr("w:jc", "w:val") or "left"),
            left=indent("w:leftChars", "w:startChars", "w:left", "w:start") or 0,
            right=indent("w:rightChars", "w:endChars", "w:right", "w:end") or 0,
            first_line=first_line,
            before=_space(levels, "before"),
            after=_space(levels, "after"),
            line=_int(attr("w:spacing", "w:line")),
            line_rule=attr("w:spacing", "w:lineRule") or "auto",
            contextual=ctx is not None and _on(ctx),
            border_top=border("top"),
            border_bottom=border("bottom"),
            tabs=tuple(sorted(stops.items())),
            run_defaults=run_defaults,
        )


# w:tblLook's bits when only w:val is written (Word 2007): which conditional formats are on.
_LOOK_BITS = {"firstRow": 0x20, "lastRow": 0x40, "firstColumn": 0x80, "lastColumn": 0x100, "noHBand": 0x200,
              "noVBand": 0x400}


def _look(tbl: Any) -> dict[str, bool]:
    """The table's look (Table Design's Header Row, First Column… boxes): its w:tblLook, the named
    attributes over the bit mask; without one (files made by other tools), read as the look Word
    writes for every new table, 04A0: header row, first column, banded rows."""
    tblpr = tbl.find(_TBLPR)
    el = tblpr.find(qn("w:tblLook")) if tblpr is not None else None
    try:
        bits = int(el.get(qn("w:val"), "0"), 16) if el is not None else 0x04A0
    except ValueError:
        bits = 0
    out = {}
    for name, bit in _LOOK_BITS.items():
        named = el.get(qn(f"w:{name}")) if el is not None else None
        out[name] = named.lower() not in _FALSE if named is not None else bool(bits & bit)
    return out


def _val_of(parent: Any | None, tag: str) -> str | None:
    el = parent.find(qn(tag)) if parent is not None else None
    return el.get(_VAL) if el is not None else None


def _cell_places(tbl: Any) -> dict[Any, tuple[int, int, bool, int]]:
    """Each cell of a table (its own, not a nested table's): (row, first grid column, whether it is
    its row's last cell, rows), as the table style's conditional formats need them."""
    rows = [tr for tr in tbl.iter(qn("w:tr")) if next(tr.iterancestors(_TBL), None) is tbl
            and tr.find(f"{qn('w:trPr')}/{qn('w:del')}") is None]  # a row deleted (tracked) is not printed
    out = {}
    for ri, tr in enumerate(rows):
        col = _int(_val_of(tr.find(qn("w:trPr")), "w:gridBefore")) or 0
        cells = [tc for tc in tr.iter(qn("w:tc")) if next(tc.iterancestors(qn("w:tr")), None) is tr]
        for k, tc in enumerate(cells):
            out[tc] = (ri, col, k == len(cells) - 1, len(rows))
            col += max(_int(_val_of(tc.find(qn("w:tcPr")), "w:gridSpan")) or 1, 1)
    return out


# Alignments and tab stops by their Strict names (Word 2010 writes them in Transitional files too):
# "start" and "end" of a left-to-right line are its left and right.
_ALIGN_NAMES = {"start": "left", "end": "right"}


def _space(levels: list[Any], side: str) -> int:
    """Space before or after a paragraph (twips) as Word prints it, from the nearest level that sets
    it: "Auto" spacing (text pasted from a web page) is 14 pt; spacing in lines (beforeLines,
    hundredths of a 12 pt line) wins over points; else the points."""
    names = [qn(f"w:{side}Autospacing"), qn(f"w:{side}Lines"), qn(f"w:{side}")]
    for lv in levels:
        sp = lv.find(qn("w:spacing"))
        if sp is None or all(sp.get(n) is None for n in names):
            continue
        auto = sp.get(names[0])
        if auto is not None and auto.lower() not in _FALSE:
            return 280
        lines = _int(sp.get(names[1]))
        if lines:
            return lines * 240 // 100
        value = _int(sp.get(names[2]))
        if value is not None:
            return value
    return 0


_FACE_SUFFIX = re.compile(r"(?:[ ,-]+(?:Bold|Italic|Regular|Oblique|Negreta|Cursiva|Fett|Kursiv))+$", re.I)


def font_family(name: str | None) -> str | None:
    """The family a face name stands for: "Times New Roman Bold" is Times New Roman in bold.
    Why: Word maps a name with a style suffix to the family when the face is not installed on its own,
    so the page shows the family; a checker must not report it as another font."""
    if not name:
        return name
    return _FACE_SUFFIX.sub("", name.strip()) or name.strip()


def symbol_font(name: str | None) -> bool:
    """A font of marks rather than letters, the ones Insert > Symbol draws from (Symbol, Wingdings,
    Webdings): its glyphs stand at private-use codes, and what it prints is a mark, not text."""
    family = (font_family(name) or "").casefold()
    return family == "symbol" or family.startswith(("wingdings", "webdings"))


def _theme_fonts(theme_el: Any | None) -> dict[str, str]:
    """Theme font slots by the names w:rFonts uses (minorHAnsi → the minor Latin typeface)."""
    out: dict[str, str] = {}
    if theme_el is None:
        return out
    for kind in ("major", "minor"):
        font = theme_el.find(f".//{{{A_NS}}}{kind}Font")
        if font is None:
            continue
        faces = {}
        for script in ("latin", "ea", "cs"):
            el = font.find(f"{{{A_NS}}}{script}")
            faces[script] = el.get("typeface") if el is not None else ""
        out[f"{kind}Ascii"] = out[f"{kind}HAnsi"] = faces["latin"]
        out[f"{kind}EastAsia"] = faces["ea"]
        out[f"{kind}Bidi"] = faces["cs"]
    return out


def tabs_before_field(paragraph: Any) -> int | None:
    """How many tab characters a paragraph holds before its first field (a PAGE number), or None
    when text comes first: a number put in the middle with tabs onto a centre stop is all tabs."""
    tabs = 0
    for r in paragraph.iter(qn("w:r")):
        if r.find(qn("w:instrText")) is not None or r.find(qn("w:fldChar")) is not None or \
                r.find(qn("w:pgNum")) is not None:
            break
        for child in r:
            if child.tag == qn("w:tab"):
                tabs += 1
            elif child.tag == qn("w:t") and (child.text or "").strip():
                return None
    return tabs
