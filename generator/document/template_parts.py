"""The styles a plan's template must hold, by the names a user sees in Word's style list.

Why by name: LibreOffice rewrites style IDs when it saves a template ("KHDuongKe" -> "KHngk"), names
survive (generator.word.template_xml finds them). These are the styles the layout pass and the table
writer use: without them the document comes out wrong, so `check-template` asks for them.
"""

from __future__ import annotations

from ..word.tables import TABLE_STYLE_NAMES, TABLE_STYLES
from ..word.template_xml import NamedStyle, StyleIds

RULE = NamedStyle("KH Đường kẻ", "KHDuongKe")
TIEU_NGU = NamedStyle("KH Tiêu ngữ", "KHTieuNgu")
SUBTITLE = NamedStyle("KH Dòng dưới trích yếu", "KHTrichYeuPhu")
TABLE = {role: NamedStyle(TABLE_STYLE_NAMES[role], TABLE_STYLES[role]) for role in TABLE_STYLES}
"""The paragraph style of each table cell role (generator.word.tables writes the cells)."""
REQUIRED = (RULE, TIEU_NGU, *TABLE.values())
"""Styles the layout pass and the table writer use: without them the document comes out wrong."""


def table_styles(ids: StyleIds) -> dict[str, str]:
    """Role -> style ID in a template, for generator.word.tables to write the cells with."""
    return {role: ids.get(style) for role, style in TABLE.items()}
