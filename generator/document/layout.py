"""Layout finishing touches that depend on the rendered text, applied after docxtpl.

- The solid lines under the Tiêu ngữ, the agency name and the trích yếu (paragraphs in the style
  "KH Đường kẻ", a top border) are sized to the text above them: as long as the Tiêu ngữ, 40 % of
  the agency name and of the trích yếu (Phụ lục I asks 1/3 to 1/2).
- The template's last section follows the last appendix (each appendix ends its own section);
  that empty section is removed, and with it the landscape section of a plan without appendices.
"""

from __future__ import annotations

from typing import Any

from docx.oxml.ns import qn
from lxml import etree

from ..nd30.figures import RULE_FRACTION_WRITTEN, TEXT_WIDTH_TWIPS
from ..word.formatting import Formatting
from ..word.metrics import text_width_pt
from .template_parts import RULE, SUBTITLE, TIEU_NGU, W_NS, StyleIds

RULE_FRACTION = RULE_FRACTION_WRITTEN
"""The agency's and the trích yếu's lines are this fraction of their text; the Tiêu ngữ's is as long."""


def finish_layout(document: Any, formatting: Formatting | None = None) -> None:
    """formatting: Formatting.of(document) when the caller already has it (a template's styles are
    the same on every render, so a batch resolves them once).

    The paragraphs are found by style *name* ("KH Đường kẻ", "KH Tiêu ngữ", "KH Dòng dưới trích
    yếu"), looked up in the document's styles: LibreOffice rewrites style IDs when it saves a
    template ("KHDuongKe" -> "KHngk"), names survive Word and LibreOffice alike."""
    body = document.element.body
    _drop_empty_last_section(body)
    formatting = formatting or Formatting.of(document)
    page_text_width = _first_section_text_width(body)
    _release_long_closing(body, formatting, page_text_width)
    rule, full_length, unmeasured = _rule_styles(formatting)
    if rule is None:
        return  # no rule style: nothing to size (check-template reports it)
    for para in _PARAS_IN_STYLE(body, sid=rule):
        _size_rule(para, formatting, page_text_width, full_length, unmeasured)


_last_styles: tuple[Formatting, tuple[str | None, set[str], set[str]]] | None = None
"""The rule's, the Tiêu ngữ's and the subtitle's style IDs for the last Formatting seen: a batch
passes the same Formatting (its template's styles, never changed by a render) for every copy, so
they are looked up once, not per document."""


def _rule_styles(formatting: Formatting) -> tuple[str | None, set[str], set[str]]:
    global _last_styles
    if _last_styles is not None and _last_styles[0] is formatting:
        return _last_styles[1]
    ids = StyleIds.of_formatting(formatting)  # the document's styles: its template's
    found = (ids.find(RULE),
             {sid for sid in (ids.find(TIEU_NGU),) if sid is not None},
             {sid for sid in (ids.find(SUBTITLE),) if sid is not None})
    _last_styles = (formatting, found)
    return found


KEEP_LINES = 3
"""A closing of up to this many lines goes to the next page with the signature block."""


def _release_long_closing(body: Any, formatting: Formatting, page_text_width: int) -> None:
    """The closing paragraph keeps with the signature table (keepNext in the template), so the
    signature never stands alone on a page. LibreOffice honours that by moving the whole paragraph,
    and a long closing then leaves half a page empty; only the last lines should go with the
    signature. A paragraph cannot be split, so a closing longer than KEEP_LINES lines is let go:
    it flows across the page break and its last lines stay above the signature as text does."""
    for table in body.iterchildren(qn("w:tbl")):
        text = "".join(t.text or "" for t in table.iter(qn("w:t")))
        if "Nơi nhận" not in text:
            continue
        closing = table.getprevious()
        if closing is None or closing.tag != qn("w:p"):
            return
        keep = closing.find(f"{qn('w:pPr')}/{qn('w:keepNext')}")
        if keep is None:
            return
        words = "".join(t.text or "" for t in closing.iter(qn("w:t")))
        size, bold = formatting.size_and_bold(closing, closing.find(qn("w:r")))
        indent_pt = 36.0  # the first-line indent of the body style
        lines = (text_width_pt(words, size or 14.0, bold=bold) + indent_pt) / (page_text_width / 20)
        if lines > KEEP_LINES:
            keep.getparent().remove(keep)
        return


_PARAS_IN_STYLE = etree.XPath(".//w:p[w:pPr/w:pStyle/@w:val=$sid]", namespaces={"w": W_NS})
"""A variable, not a formatted string: a style ID from a user's template may hold any character."""


_P, _T, _PPR, _VAL, _IND, _SECTPR = qn("w:p"), qn("w:t"), qn("w:pPr"), qn("w:val"), qn("w:ind"), qn("w:sectPr")
_PSTYLE_PATH = f"{_PPR}/{qn('w:pStyle')}"


def _style_of(para: Any) -> str | None:
    ps = para.find(_PSTYLE_PATH)
    return ps.get(_VAL) if ps is not None else None


def _first_section_text_width(body: Any) -> int:
    # The first section's properties: those of the first paragraph that ends a section, else the
    # body's own. lxml's filtered iteration runs in C; a path search built a proxy for every element.
    sect = next((s for s in body.iter(_SECTPR) if s.getparent().tag == _PPR), None)
    if sect is None:
        sect = body.find(_SECTPR)
    pg = sect.find(qn("w:pgSz")) if sect is not None else None
    mar = sect.find(qn("w:pgMar")) if sect is not None else None
    if pg is None or mar is None:
        return A4_TEXT_WIDTH  # a user template without page settings: Word's A4 with our margins
    try:
        return int(pg.get(qn("w:w"), "")) - int(mar.get(qn("w:left"), "")) - int(mar.get(qn("w:right"), ""))
    except ValueError:
        return A4_TEXT_WIDTH  # a user template without page settings: Word's A4 with our margins


A4_TEXT_WIDTH = TEXT_WIDTH_TWIPS


def _element_above(rule: Any, unmeasured: set[str]) -> list[Any]:
    """The paragraphs of the element a line is drawn under: the lines of a two-line agency name or
    trích yếu (same style, one after the other), past the "(Ban hành kèm theo …)" line, which the
    line goes under but is not measured against."""
    above = rule.getprevious()
    while above is not None and above.tag == _P and _style_of(above) in unmeasured:
        above = above.getprevious()
    if above is None or above.tag != _P:
        return []
    style, out = _style_of(above), []
    while above is not None and above.tag == _P and _style_of(above) == style:
        out.append(above)
        above = above.getprevious()
    return out


def _size_rule(rule: Any, formatting: Formatting, page_width: int, full_length: set[str],
               unmeasured: set[str]) -> None:
    paras = _element_above(rule, unmeasured)
    if not paras:
        return
    style = _style_of(paras[0])
    width = _container_width(rule, page_width)
    longest = 0.0
    for para in paras:
        text = "".join(t.text or "" for t in para.iter(_T))
        # what the reader sees: styles and direct formatting
        size, bold = formatting.size_and_bold(para, para.find(qn("w:r")))
        longest = max(longest, text_width_pt(text.strip(), size or 14.0, bold=bold))
    text_twips = min(longest * 20, width)
    fraction = 1.0 if style in full_length else RULE_FRACTION
    length = int(text_twips * fraction)
    side = max((width - length) // 2, 0)
    ppr = rule.find(_PPR)
    ind = ppr.find(_IND) if ppr is not None else None
    if ind is None:  # the template's rule has none: python-docx adds it in the schema's element order
        ind = rule.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:left"), str(side))
    ind.set(qn("w:right"), str(side))
    ind.set(qn("w:firstLine"), "0")


def _container_width(para: Any, page_width: int) -> int:
    """Twips available to a paragraph: its cell's width when given in twips, else the page's."""
    cell = para.getparent()
    if cell.tag == qn("w:tc"):
        tcw = cell.find(f"{qn('w:tcPr')}/{qn('w:tcW')}")
        if tcw is not None and tcw.get(qn("w:type"), "dxa") == "dxa" and tcw.get(qn("w:w"), "").isdigit():
            return int(tcw.get(qn("w:w")))
    return page_width


def _is_empty_paragraph(el: Any) -> bool:
    if el.tag != qn("w:p"):
        return False
    return not any(True for _ in el.iter(qn("w:t"), qn("w:drawing"), qn("w:pict"), qn("w:br")))


def _drop_empty_last_section(body: Any) -> None:
    children = list(body)
    final = children[-1] if children and children[-1].tag == qn("w:sectPr") else None
    if final is None:
        return
    tail: list[Any] = []
    for el in reversed(children[:-1]):
        sect = el.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") if el.tag == qn("w:p") else None
        if sect is not None:
            if all(_is_empty_paragraph(t) for t in tail):
                for t in tail:
                    body.remove(t)
                el.find(qn("w:pPr")).remove(sect)
                body.replace(final, sect)
                if _is_empty_paragraph(el):
                    body.remove(el)
            return
        tail.append(el)
