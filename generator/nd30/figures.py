"""Decree 30/2020/NĐ-CP's figures, with their units: what the template builder writes and what the
checker accepts, side by side.

Why one module: the builder (document/template_builder.py) and the checker (check/rules.py) must
agree; a figure written twice drifts. Each figure names the part of Phụ lục I, Phần I it comes from
(mục II: kỹ thuật trình bày chung; mục III: each element). The decree gives ranges; where the
template must pick one value, `written` says which, and why, beside the range.

Units are in the names: `_MM`, `_TWIPS` (1/20 pt, Word's unit for page and indents), `_PT`,
`_LINES` (line spacing as a multiple of single).
"""

from __future__ import annotations

from dataclasses import dataclass

TWIPS_PER_MM = 1440 / 25.4
TWIPS_PER_CM = 567
"""Word's centimetre as it writes it (1440 / 2.54 rounded): 1 cm first-line indent is 567 twips."""

# --- the page: Phụ lục I, Phần I, II.1 (khổ giấy) and II.3 (định lề) ------------------------------

A4_MM = (210, 297)
A4_TWIPS = (11906, 16838)
"""A4 as Word writes it (w:pgSz), short side first."""
A4_TOLERANCE_TWIPS = 30
"""About half a millimetre: other editors round A4 differently (LibreOffice writes 11905 × 16837)."""

MARGIN_MM: dict[str, tuple[int, int]] = {"top": (20, 25), "bottom": (20, 25), "left": (30, 35), "right": (15, 20)}
"""II.3: lề trên, lề dưới 20–25 mm; lề trái 30–35 mm; lề phải 15–20 mm."""
MARGIN_TOLERANCE_MM = 0.2
"""Rounding between millimetres and twips, no more."""
MARGIN_TWIPS: dict[str, int] = {"top": 1134, "bottom": 1134, "left": 1701, "right": 851,
                                "header": 567, "footer": 567}
"""What the template writes: the lower end of each range of II.3 (the most text on a page), as Word
writes 2 cm, 3 cm and 1,5 cm; header and footer 1 cm from the edge."""

TEXT_WIDTH_TWIPS = A4_TWIPS[0] - MARGIN_TWIPS["left"] - MARGIN_TWIPS["right"]  # 9354 = 16.5 cm
LANDSCAPE_TEXT_WIDTH_TWIPS = A4_TWIPS[1] - MARGIN_TWIPS["left"] - MARGIN_TWIPS["right"]  # 14286
"""The text width of an A4 page with the template's margins, portrait and landscape (an appendix's
table): used where a user's template does not say its page."""

# --- font sizes: Phụ lục I, Phần I, III (each element) and II.7 (số trang) ------------------------


@dataclass(frozen=True)
class FontSize:
    """A size range of the decree in points, and the size the template writes."""
    lo: float
    hi: float
    written: float

    @property
    def range(self) -> tuple[float, float]:
        return (self.lo, self.hi)


SIZE_PT: dict[str, FontSize] = {
    "quoc_hieu": FontSize(12, 13, 12),  # III.1a; 12 pt keeps it on one line in the header's column
    "tieu_ngu": FontSize(13, 14, 13),  # III.1b; one point above the Quốc hiệu, as the decree's sample
    "agency": FontSize(12, 13, 12),  # III.2: tên cơ quan chủ quản and ban hành
    "number": FontSize(13, 13, 13),  # III.3: số, ký hiệu
    "place_date": FontSize(13, 14, 14),  # III.4: địa danh và thời gian
    "doc_type": FontSize(13, 14, 14),  # III.5a: tên loại
    "subject": FontSize(13, 14, 14),  # III.5b: trích yếu
    "body": FontSize(13, 14, 14),  # III.6: nội dung
    "signer": FontSize(13, 14, 14),  # III.7: quyền hạn, chức vụ, họ tên người ký
    "recipients_heading": FontSize(12, 12, 12),  # III.9: "Nơi nhận:"
    "recipients": FontSize(11, 11, 11),  # III.9: the list under it
    "appendix": FontSize(13, 14, 14),  # IV: phụ lục's heading, name and "kèm theo" line
    "page_number": FontSize(13, 14, 14),  # II.7: số trang
}
CONG_VAN_SUBJECT_PT = (12, 13)
"""III.5b: a công văn's "V/v …" line (the template makes no công văn, so nothing is written)."""

# --- the body's paragraphs: Phụ lục I, Phần I, III.6 ------------------------------------------------

FIRST_LINE_TWIPS = (TWIPS_PER_CM, 720)
"""Thụt đầu dòng 1 cm to 1,27 cm."""
FIRST_LINE_TOLERANCE_TWIPS = 15
FIRST_LINE_WRITTEN_TWIPS = 720
"""The template indents 1,27 cm, Word's default tab stop, so a tab-indented paragraph lines up."""

LINE_SPACING_LINES = (1.0, 1.5)
"""Khoảng cách giữa các dòng: từ dòng đơn đến 1,5 dòng."""
LINE_SPACING_WRITTEN_240THS = 264
"""The template's body spacing: 1,1 lines (w:line in 240ths of a line), inside the range."""

PARAGRAPH_GAP_MIN_TWIPS = 120
"""Khoảng cách giữa các đoạn văn tối thiểu 6 pt; the template writes exactly this before each paragraph."""

# --- the lines drawn under elements: Phụ lục I, Phần I, III.1, III.2, III.5 -------------------------

RULE_FRACTION_RANGE = (1 / 3, 1 / 2)
"""The line under the issuing agency's name and under the trích yếu: 1/3 to 1/2 of the text's length."""
RULE_FRACTION_WRITTEN = 0.4
"""What the layout draws: inside the range with room for rounding on both sides."""
RULE_FULL_WRITTEN = 1.0
"""The line under the Tiêu ngữ is as long as the Tiêu ngữ."""
