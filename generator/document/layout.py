"""Layout finishing touches that depend on the rendered text, applied after docxtpl.

- The solid lines under the Tiêu ngữ, the agency name and the trích yếu (paragraphs in the style
  "KH Đường kẻ", a top border) are sized to the text above them: as long as the Tiêu ngữ, 40 % of
  the agency name and of the trích yếu (Phụ lục I asks 1/3 to 1/2).
- An empty paragraph that carries a section break after a table is made 1 pt high (exact line):
  full size, it gets a page of its own in Word when the table ends at the page bottom (a page with
  only its number). The packaged template has it so; a user's template restyled from an older one
  may not.
- The template's last section follows the last appendix (each appendix ends its own section);
  that empty section is removed, and with it the landscape section of a plan without appendices.
"""

from __future__ import annotations

from typing import Any

from ..nd30.figures import RULE_FRACTION_WRITTEN, TEXT_WIDTH_TWIPS
from ..word.formatting import Formatting
from ..word.metrics import text_width_pt
from ..word.paragraphs import (
    block_above,
    body_tables,
    container_width,
    drop_empty_last_section,
    first_run,
    first_section_text_width,
    flatten_section_breaks,
    keep_with_next,
    paragraph_before,
    paragraphs_in_style,
    printed_lines,
    remove,
    set_side_indents,
    style_of,
    text_of,
)
from ..word.template_xml import StyleIds
from .template_parts import RULE, SUBTITLE, TIEU_NGU

RULE_FRACTION = RULE_FRACTION_WRITTEN
"""The agency's and the trích yếu's lines are this fraction of their text; the Tiêu ngữ's is as long."""


def finish_layout(document: Any, formatting: Formatting | None = None) -> None:
    """formatting: Formatting.of(document) when the caller already has it (a template's styles are
    the same on every render, so a batch resolves them once).

    The paragraphs are found by style *name* ("KH Đường kẻ", "KH Tiêu ngữ", "KH Dòng dưới trích
    yếu"), looked up in the document's styles: LibreOffice rewrites style IDs when it saves a
    template ("KHDuongKe" -> "KHngk"), names survive Word and LibreOffice alike."""
    body = document.element.body
    drop_empty_last_section(body)
    flatten_section_breaks(body)
    formatting = formatting or Formatting.of(document)
    page_text_width = first_section_text_width(body)
    if page_text_width is None:  # a user template without page settings: Word's A4 with our margins
        page_text_width = A4_TEXT_WIDTH
    _release_long_closing(body, formatting, page_text_width)
    rule, full_length, unmeasured = _rule_styles(formatting)
    if rule is None:
        return  # no rule style: nothing to size (check-template reports it)
    for para in paragraphs_in_style(body, rule):
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
    for table in body_tables(body):
        if "Nơi nhận" not in text_of(table):
            continue
        closing = paragraph_before(table)
        if closing is None:
            return
        keep = keep_with_next(closing)
        if keep is None:
            return
        words = text_of(closing)
        size, bold = formatting.size_and_bold(closing, first_run(closing))
        indent_pt = 36.0  # the first-line indent of the body style
        lines = (text_width_pt(words, size or 14.0, bold=bold) + indent_pt) / (page_text_width / 20)
        if lines > KEEP_LINES:
            remove(keep)
        return


A4_TEXT_WIDTH = TEXT_WIDTH_TWIPS


def _size_rule(rule: Any, formatting: Formatting, page_width: int, full_length: set[str],
               unmeasured: set[str]) -> None:
    # The paragraphs of the element the line is drawn under: the lines of a two-line agency name or
    # trích yếu, past the "(Ban hành kèm theo …)" line, which the line goes under but is not measured against.
    paras = block_above(rule, unmeasured)
    if not paras:
        return
    style = style_of(paras[0])
    width = container_width(rule, page_width)
    longest = 0.0
    for para in paras:
        # what the reader sees: styles and direct formatting; the longest of its printed lines
        size, bold = formatting.size_and_bold(para, first_run(para))
        for line in printed_lines(para):
            longest = max(longest, text_width_pt(line.strip(), size or 14.0, bold=bold))
    text_twips = min(longest * 20, width)
    fraction = 1.0 if style in full_length else RULE_FRACTION
    length = int(text_twips * fraction)
    side = max((width - length) // 2, 0)
    set_side_indents(rule, side)
