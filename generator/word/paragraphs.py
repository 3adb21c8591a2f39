"""A rendered document's body as the layout pass edits it: paragraphs by style, the element a
paragraph stands under, side indents, the width a paragraph has, section breaks.

Why here: nothing outside word/ touches lxml or w: names (docs/architecture.md); the layout pass
(document/layout.py) says what to change and why, in terms of the plan's parts, through these.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from docx.oxml.ns import qn
from lxml import etree

from .template_xml import W_NS

_P, _T, _R, _PPR, _VAL, _IND, _SECTPR = (qn("w:p"), qn("w:t"), qn("w:r"), qn("w:pPr"), qn("w:val"), qn("w:ind"),
                                         qn("w:sectPr"))
_PSTYLE_PATH = f"{_PPR}/{qn('w:pStyle')}"
_KEEP_NEXT_PATH = f"{_PPR}/{qn('w:keepNext')}"

_PARAS_IN_STYLE = etree.XPath(".//w:p[w:pPr/w:pStyle/@w:val=$sid]", namespaces={"w": W_NS})
"""A variable, not a formatted string: a style ID from a user's template may hold any character."""


def paragraphs_in_style(body: Any, sid: str) -> list[Any]:
    return _PARAS_IN_STYLE(body, sid=sid)


def style_of(para: Any) -> str | None:
    ps = para.find(_PSTYLE_PATH)
    return ps.get(_VAL) if ps is not None else None


def text_of(el: Any) -> str:
    """The text of a paragraph or a table as stored (every w:t, in order)."""
    return "".join(t.text or "" for t in el.iter(_T))


_BREAKS = (qn("w:br"), qn("w:cr"))


def printed_lines(para: Any) -> list[str]:
    """The paragraph's text cut at its line breaks (w:br, w:cr): the lines Word starts anew, before any
    wrapping. A page or column break counts as one too: what follows is not on the same line."""
    lines = [""]
    for el in para.iter(_T, *_BREAKS):
        if el.tag == _T:
            lines[-1] += el.text or ""
        else:
            lines.append("")
    return lines


def first_run(para: Any) -> Any | None:
    return para.find(_R)


def first_section_text_width(body: Any) -> int | None:
    """The first section's text width in twips (page width less side margins), None when the
    section does not say. The first section's properties: those of the first paragraph that ends a
    section, else the body's own. lxml's filtered iteration runs in C; a path search built a proxy
    for every element."""
    sect = next((s for s in body.iter(_SECTPR) if s.getparent().tag == _PPR), None)
    if sect is None:
        sect = body.find(_SECTPR)
    pg = sect.find(qn("w:pgSz")) if sect is not None else None
    mar = sect.find(qn("w:pgMar")) if sect is not None else None
    if pg is None or mar is None:
        return None
    try:
        return int(pg.get(qn("w:w"), "")) - int(mar.get(qn("w:left"), "")) - int(mar.get(qn("w:right"), ""))
    except ValueError:
        return None


def block_above(para: Any, passed_styles: set[str]) -> list[Any]:
    """The paragraphs just above para that share one style (the lines of a two-line name), nearest
    first, after passing any paragraphs in passed_styles; [] when a non-paragraph comes first."""
    above = para.getprevious()
    while above is not None and above.tag == _P and style_of(above) in passed_styles:
        above = above.getprevious()
    if above is None or above.tag != _P:
        return []
    style, out = style_of(above), []
    while above is not None and above.tag == _P and style_of(above) == style:
        out.append(above)
        above = above.getprevious()
    return out


def set_side_indents(para: Any, side: int) -> None:
    """Left and right indents of side twips, no first-line indent (a centred line of a set length)."""
    ppr = para.find(_PPR)
    ind = ppr.find(_IND) if ppr is not None else None
    if ind is None:  # the paragraph has none: python-docx adds it in the schema's element order
        ind = para.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:left"), str(side))
    ind.set(qn("w:right"), str(side))
    ind.set(qn("w:firstLine"), "0")


def container_width(para: Any, page_width: int) -> int:
    """Twips available to a paragraph: its cell's width when given in twips, else the page's."""
    cell = para.getparent()
    if cell.tag == qn("w:tc"):
        tcw = cell.find(f"{qn('w:tcPr')}/{qn('w:tcW')}")
        if tcw is not None and tcw.get(qn("w:type"), "dxa") == "dxa" and tcw.get(qn("w:w"), "").isdigit():
            return int(tcw.get(qn("w:w")))
    return page_width


def body_tables(body: Any) -> Iterator[Any]:
    """The tables directly in the body."""
    return body.iterchildren(qn("w:tbl"))


def paragraph_before(el: Any) -> Any | None:
    """The paragraph just before el, None when something else (or nothing) is there."""
    before = el.getprevious()
    return before if before is not None and before.tag == _P else None


def keep_with_next(para: Any) -> Any | None:
    """The paragraph's own "keep with next" setting (w:keepNext), if it has one."""
    return para.find(_KEEP_NEXT_PATH)


def remove(el: Any) -> None:
    el.getparent().remove(el)


def _is_empty_paragraph(el: Any) -> bool:
    if el.tag != _P:
        return False
    return not any(True for _ in el.iter(_T, qn("w:drawing"), qn("w:pict"), qn("w:br")))


def drop_empty_last_section(body: Any) -> None:
    """Remove the body's last section when only empty paragraphs follow the break before it: its
    settings move to the body, the break's paragraph goes when it is empty."""
    children = list(body)
    final = children[-1] if children and children[-1].tag == _SECTPR else None
    if final is None:
        return
    tail: list[Any] = []
    for el in reversed(children[:-1]):
        sect = el.find(f"{_PPR}/{_SECTPR}") if el.tag == _P else None
        if sect is not None:
            if all(_is_empty_paragraph(t) for t in tail):
                for t in tail:
                    body.remove(t)
                el.find(_PPR).remove(sect)
                body.replace(final, sect)
                if _is_empty_paragraph(el):
                    body.remove(el)
            return
        tail.append(el)


def flatten_section_breaks(body: Any) -> None:
    """An empty paragraph that only carries a section break right after a table (the signature
    table before a landscape appendix) gets the smallest height Word and LibreOffice honour: when the
    table ends at the foot of a page, that paragraph must not take a page of its own (issue 27)."""
    for para in body.iterchildren(_P):
        ppr = para.find(_PPR)
        if ppr is None or ppr.find(_SECTPR) is None or not _is_empty_paragraph(para):
            continue
        above = para.getprevious()
        if above is None or above.tag != qn("w:tbl"):
            continue
        spacing = ppr.get_or_add_spacing()  # python-docx keeps the schema's order
        spacing.set(qn("w:before"), "0")
        spacing.set(qn("w:after"), "0")
        spacing.set(qn("w:line"), "20")
        spacing.set(qn("w:lineRule"), "exact")
        if ppr.find(qn("w:rPr")) is None:  # the paragraph mark's size: just before w:sectPr
            rpr = etree.SubElement(ppr, qn("w:rPr"))
            for tag in ("w:sz", "w:szCs"):
                etree.SubElement(rpr, qn(tag)).set(qn("w:val"), "2")
            ppr.find(_SECTPR).addprevious(rpr)
