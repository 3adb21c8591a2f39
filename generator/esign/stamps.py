"""The văn thư's stamps: the number and the date written into the blanks of a signed document.

How agencies issue an electronic document (Decree 30, Điều 15; the national signing service does
the same): the competent person signs the copy whose number and day are blank; then the agency's
certificate signs once per blank, each signature's appearance being the number, the day or the
month written in the blank, in the font and size of its line; then the seal. Each is an incremental
update, so the competent person's signature stays valid (pyHanko sees form filling only).

The blanks are found in the text the page shows: "Số:" right before "/" (the number, written against
the slash, as in "Số: 125/KH-…"), "ngày" right before "tháng" (the day, after a space), "tháng" right
before "năm" (the month), "ngày" right before "/" in a citation (the day, against the slash). A
date whose day is printed is never a blank: in the body it is another document's, cited, and not
compared with the issue date; on page 1's own date line ("Lâm Đồng, ngày 15 tháng 02 năm 2026") it
says the document is dated already, and another date is refused.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from ..errors import UserError
from ..nd30 import day_month
from ..text import date_dmy, two_digits
from .pages import Line, Page

What = Literal["number", "day", "month"]
FIELD_OF = {"number": "SoVanBan", "day": "NgayBanHanh", "month": "ThangBanHanh"}
WHAT_VI = {"number": "số văn bản", "day": "ngày", "month": "tháng"}
SPACE_EM = 0.25
"""Width of a space in Times New Roman, in ems (512/2048)."""


@dataclass(frozen=True)
class Blank:
    page: int
    """0-based."""
    what: What
    text: str
    """What the văn thư writes there."""
    edge: float
    """x of the stamp's right edge (align "right": against a slash) or middle ("centre": between words)."""
    align: Literal["right", "centre"]
    baseline: float
    font: str
    size: float

    @property
    def style(self) -> str:
        bold, italic = "bold" in self.font.lower(), "italic" in self.font.lower() or "oblique" in self.font.lower()
        return {(False, False): "Regular", (True, False): "Bold", (False, True): "Italic",
                (True, True): "Bold Italic"}[(bold, italic)]


def parse_issue_date(text: str | dt.date) -> dt.date:
    """The issue date as the văn thư types it everywhere else (20/03/2024, 2024-03-20): the data
    file's own reading of a date (plan.model.IssueDate), which must give a whole day here."""
    if isinstance(text, dt.date):
        return text
    from pydantic import ValidationError

    from ..plan.model import IssueDate

    try:
        issue = IssueDate.model_validate(str(text).strip())
    except ValidationError:
        issue = None
    if issue is None or issue.month is None or issue.day is None:
        raise UserError(f"--date {text}: ngày ban hành viết dạng ngày/tháng/năm, ví dụ 20/03/2024 "
                        "(hoặc 2024-03-20), đủ ngày, tháng, năm")
    return dt.date(issue.year, issue.month, issue.day)


def _glyphs(line: Line) -> tuple[str, list[int]]:
    """The line's text without spaces, and for each of its characters the glyph it comes from."""
    text, owner = [], []
    for index, glyph in enumerate(line.chars):
        for ch in glyph[0]:
            if not ch.isspace():
                text.append(ch)
                owner.append(index)
    return "".join(text), owner


NUMBER = re.compile(r"(?:Số:|số)(\d*)(?=/)")
"""On the text without spaces: "Số:/KH-…" (the Số line), "…Kếhoạchsố/KH-…" (a citation of itself)."""
DATE_LINE = re.compile(r"ngày(\d{0,2})tháng(\d{0,2})năm(\d{4})")
CITED_DATE = re.compile(r"ngày(\d{0,2})/(\d{1,2})/(\d{4})")
PLACE_BEFORE = re.compile(r"[^\d,;:.()/]{2,40},")
"""What opens the document's own date line, on the text without spaces: its place and a comma ("Lâm Đồng,
ngày …"). A date cited in the body follows a document's name or a word, never a line's place alone."""


def find_blanks(pages: list[Page], number: int, date: dt.date, *, attachment: bool = False) -> list[Blank]:
    """Every blank of the number and the date on the pages, with what goes in it. Refuses (all at
    once) when the printed month or year disagrees with the date given. attachment: an appendix
    issued as a file of its own, whose page 1 cites the document ("Kèm theo Kế hoạch số      /…")."""
    day_text, month_text = day_month(date.day, date.month)
    said = date_dmy(date.year, date.month, date.day)  # as messages show dates: 20/03/2024
    blanks: list[Blank] = []
    problems: list[str] = []
    for page in pages:
        for line in page.ordered():
            text, owner = _glyphs(line)
            if not owner:
                continue

            def glyph(i: int, line: Line = line, owner: list[int] = owner) -> tuple[str, float, float, float, float,
                                                                                     float]:
                return line.chars[owner[i]]

            def blank(what: What, value: str, after: int | None, before: int, page: Page = page,
                      line: Line = line) -> None:
                g = glyph(before)
                if after is None:  # written against the next glyph (a slash), as typed: "125/"
                    blanks.append(Blank(page.index, what, value, g[1], "right", g[5], line.font, line.size))
                    return
                # Between two words ("ngày 20 tháng"): in the middle of the room a space from each,
                # so a stamp narrower than its blank (a one-digit month) leaves the same small gap
                # either side, never one wide gap after it.
                size = line.size or (g[4] - g[2])
                left, right = glyph(after)[3] + SPACE_EM * size, g[1] - SPACE_EM * size
                blanks.append(Blank(page.index, what, value, (left + right) / 2, "centre", g[5], line.font, line.size))

            for m in NUMBER.finditer(text):
                if not m.group(1):
                    blank("number", two_digits(number), None, m.end())
            for m in DATE_LINE.finditer(text):
                if m.group(1):
                    # A day printed is no blank: a document cited in words ("ngày 28 tháng 11 năm
                    # 2025"), whose month and year are its own, not the issue's. Unless it is page
                    # 1's own date line ("Lâm Đồng, ngày 15 tháng 02 năm 2026"): a document already
                    # dated, which another date would contradict.
                    printed = (int(m.group(1)), int(m.group(2) or 0), int(m.group(3)))
                    own = page.index == 0 and PLACE_BEFORE.fullmatch(text[:m.start()]) is not None
                    if own and printed != (date.day, date.month, date.year):
                        problems.append(f"trang 1, dòng \"{line.text}\": văn bản đã in ngày ban hành "
                                        f"{date_dmy(printed[2], printed[1] or None, printed[0])}, khác {said} "
                                        "(ghi --date đúng ngày đã in, hoặc ký bản trình ký để trống ngày)")
                    continue
                printed_month, year = m.group(2), int(m.group(3))
                where = f"trang {page.index + 1}, dòng \"{line.text}\""
                if year != date.year or (printed_month and int(printed_month) != date.month):
                    problems.append(f"{where}: ngày ban hành {said} không khớp tháng/năm đã in "
                                    f"({printed_month or '…'}/{year})")
                    continue
                blank("day", day_text, m.start(1) - 1, m.start(1))  # between "ngày" and "tháng"
                if not printed_month:
                    blank("month", month_text, m.start(2) - 1, m.start(2))  # between "tháng" and "năm"
            for m in CITED_DATE.finditer(text):
                if m.group(1):
                    continue
                month, year = int(m.group(2)), int(m.group(3))
                if (month, year) != (date.month, date.year):
                    problems.append(f"trang {page.index + 1}, dòng \"{line.text}\": ngày ban hành {said} "
                                    f"không khớp tháng/năm đã in ({month}/{year})")
                    continue
                blank("day", day_text, None, m.start(2) - 1)
    if problems:
        # The signer signed that month and year: the fix is a date inside it, or a new signing copy.
        raise UserError("không đóng được số và ngày: " + "; ".join(problems) + ". Hãy ghi --date một ngày "
                        "trong đúng tháng, năm đã in; nếu phải ban hành ở tháng khác, tạo lại bản trình ký "
                        "(render --final --unnumbered) với ngày đó để người có thẩm quyền ký lại")
    # As the national service does: the number, then the day, then the month, page by page.
    blanks.sort(key=lambda b: (b.page, list(FIELD_OF).index(b.what)))
    if not any(b.what == "number" and b.page == 0 for b in blanks):
        if attachment:
            raise UserError("trang 1 của phụ lục không có chỗ trống số văn bản (\"(Kèm theo Kế hoạch số      /…)\"): "
                            "phụ lục đã có số thì ký bằng --as agency --attachment, không --number/--date")
        raise UserError("trang 1 không có chỗ trống số văn bản (\"Số:      /…\"); chỉ đóng số vào bản trình ký "
                        "(kehoach render DỮ-LIỆU.yaml --final --unnumbered --pdf) đã được người có thẩm quyền ký")
    return blanks


def field_names(blanks: list[Blank]) -> list[str]:
    """SoVanBan, NgayBanHanh, ThangBanHanh; the later blanks of the same kind numbered 2, 3 …"""
    seen: dict[str, int] = {}
    names = []
    for b in blanks:
        base = FIELD_OF[b.what]
        seen[base] = seen.get(base, 0) + 1
        names.append(base if seen[base] == 1 else f"{base}{seen[base]}")
    return names
