"""The fixed texts and forms of Decree 30/2020/NĐ-CP that every layer uses: the Quốc hiệu and Tiêu
ngữ, the document types and their abbreviations (Phụ lục III), how a date's day and month print.

Why a module of its own: the reader, the checker, the model and the renderer all need them, and the
checker of a Word file must not have to load the plan model (pydantic) to know them.
"""

from __future__ import annotations

from ..text import two_digits

TYPE_ABBREVIATIONS: dict[str, str] = {
    # Phụ lục III of Decree 30: tên loại → chữ viết tắt in the ký hiệu (công văn has none).
    "Nghị quyết": "NQ", "Quyết định": "QĐ", "Chỉ thị": "CT", "Quy chế": "QC", "Quy định": "QyĐ",
    "Thông cáo": "TC", "Thông báo": "TB", "Hướng dẫn": "HD", "Chương trình": "CTr", "Kế hoạch": "KH",
    "Phương án": "PA", "Đề án": "ĐA", "Dự án": "DA", "Báo cáo": "BC", "Biên bản": "BB",
    "Tờ trình": "TTr", "Hợp đồng": "HĐ", "Công điện": "CĐ", "Bản ghi nhớ": "BGN",
    "Bản thỏa thuận": "BTT", "Giấy ủy quyền": "GUQ", "Giấy mời": "GM", "Giấy giới thiệu": "GGT",
    "Giấy nghỉ phép": "GNP", "Phiếu gửi": "PG", "Phiếu chuyển": "PC", "Phiếu báo": "PB",
    "Công văn": "",
    # Legal documents a plan cites (their ký hiệu comes from other rules, e.g. NĐ-CP).
    "Nghị định": "NĐ-CP", "Thông tư": "TT", "Luật": "",
}
"""The one list of document types and abbreviations: the model, the checker and rollover use it."""

QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"
"""Ô 1 of Phụ lục I: fixed text, printed by the template, looked for by the checker and importer."""
CLOSING_MARK = "./."
"""The mark that ends a document's text (every Mẫu of the decree ends so): added by the renderer,
looked for by the checker and the importer."""

AGENCY_ABBREVIATION = r"[A-ZĐ0-9&]+(?:-[A-ZĐ0-9&]+)*"
"""The issuer's part of a ký hiệu (ô 3): capitals and digits, several parts for a body inside an
agency ("MTTQ-BTT"), words joined with "&" as agencies print them ("SGD&ĐT")."""
SYMBOL = rf"[A-Za-zĐđ]+-{AGENCY_ABBREVIATION}"
"""A whole ký hiệu, "KH-SGD&ĐT": the type's abbreviation (mixed case: "CTr", "QyĐ"), "-", the
issuer's. The one pattern the model, the recogniser and the signer's number stamp share."""

YEAR_IN_NUMBER_TYPES = frozenset({"NQ", "QĐ", "TT", "TTLT", "NĐ"})
"""Types whose number may print its year ("Số: 12/2026/QĐ-UBND"): legal documents (Luật ban hành văn bản
quy phạm pháp luật, Điều 8). Any other (a Kế hoạch, a Báo cáo) prints "Số: 12/KH-…" (Decree 30, Phụ lục I)."""

DOC_NUMBER_MIN, DOC_NUMBER_MAX = 1, 99999
"""A document's number: counted from 01 each year (Decree 30, art. 15); five figures hold any office's
year. The one limit the data file (plan/model), --number (jobs/issue), the signer's stamp
(esign/sign) and the signing copy's blank sized to the widest stamp (document/context) all follow."""
DOC_NUMBER_DIGITS = len(str(DOC_NUMBER_MAX))
"""Figures of the widest number."""

BLANK_DAY = "  "
"""With the spaces around it, four spaces for the day of a draft ("ngày    tháng 3 năm 2024")."""
BLANK_MONTH = "  "
"""A month not yet known in a draft ("ngày    tháng    năm 2026")."""


def day_month(day: int | None, month: int | None) -> tuple[str, str]:
    """Leading-zero rule of Phụ lục I: days below 10 and months 1 and 2 get a 0."""
    d = BLANK_DAY if day is None else two_digits(day)
    m = BLANK_MONTH if month is None else two_digits(month) if month <= 2 else str(month)
    return d, m
