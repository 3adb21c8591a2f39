"""Decree 30's figures (generator/nd30/figures.py) are the ones the default template is built with and
the ones the checker accepts: the figure the template writes lies inside the decree's range, the
packaged template carries it, and the checker passes that template."""

from __future__ import annotations

from docx import Document
from docx.shared import Pt

from generator.nd30.figures import (
    A4_TWIPS,
    FIRST_LINE_TWIPS,
    FIRST_LINE_WRITTEN_TWIPS,
    MARGIN_MM,
    MARGIN_TWIPS,
    SIZE_PT,
    TWIPS_PER_MM,
)
from generator.resources import TEMPLATE

STYLE_FIGURE = {"KH Quốc hiệu": "quoc_hieu", "KH Tiêu ngữ": "tieu_ngu", "KH Cơ quan ban hành": "agency",
                "KH Số, ký hiệu": "number", "KH Tên loại": "doc_type", "KH Nội dung": "body",
                "KH Nơi nhận": "recipients_heading", "KH Nơi nhận danh sách": "recipients",
                "KH Người ký": "signer", "KH Phụ lục tên": "appendix", "KH Số trang": "page_number"}


def test_written_figures_lie_inside_the_decrees_ranges() -> None:
    for name, size in SIZE_PT.items():
        assert size.lo <= size.written <= size.hi, name
    for side, (lo, hi) in MARGIN_MM.items():
        assert lo - 0.2 <= MARGIN_TWIPS[side] / TWIPS_PER_MM <= hi + 0.2, side
    assert FIRST_LINE_TWIPS[0] <= FIRST_LINE_WRITTEN_TWIPS <= FIRST_LINE_TWIPS[1]


def test_packaged_template_carries_the_written_figures() -> None:
    doc = Document(str(TEMPLATE))
    section = doc.sections[0]
    assert (section.page_width.twips, section.page_height.twips) == A4_TWIPS
    assert section.left_margin.twips == MARGIN_TWIPS["left"]
    assert section.right_margin.twips == MARGIN_TWIPS["right"]
    assert section.top_margin.twips == MARGIN_TWIPS["top"]
    styles = {s.name: s for s in doc.styles}
    for style_name, figure in STYLE_FIGURE.items():
        assert styles[style_name].font.size == Pt(SIZE_PT[figure].written), style_name
    assert styles["KH Nội dung"].paragraph_format.first_line_indent.twips == FIRST_LINE_WRITTEN_TWIPS
