"""A task's deadline read from the words staff write in the Thời hạn / Thời gian column.

"Quý IV/2025", "Quí IV-2025", "Tháng 6/2025", "Trước 30/6/2025", "Năm 2025", "Xong trong quý II năm
2026" name a day by which the task is due (the last day of the quarter, month or year named).
"Thường xuyên", "Hằng năm", "Định kỳ hằng tháng" name work that recurs: it is never overdue, and a
rollover carries it on. Anything else ("Theo Kế hoạch của tỉnh", "Sau 03 tháng kể từ …", "Trước
ngày 31/01 năm liền kề") is reported as unreadable: a report that guessed a deadline would count a
task overdue on the tool's word, not the plan's.

Rules worth knowing (docs/tien-do-bao-cao.md says them to users):
- a range ("Từ tháng 3 đến tháng 6/2025", "Quý II - III/2026", "2025 - 2026") is due at its end;
- several deadlines in one cell ("ban hành trước 15/01/2026 và tổ chức thực hiện trong quý II/2026")
  make the task due at the latest of them;
- "trước ngày D" is due on D (offices write it meaning "by D");
- a day, month or quarter without a year takes the one year the cell writes ("Từ 01/3 đến 30/6/2025"),
  else the year the plan is for when the caller knows it (`year`: "Quý II", "Trước 30/6"); without
  either such a deadline is unreadable.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

Kind = Literal["date", "recurring", "none", "unreadable"]


@dataclass(frozen=True)
class Deadline:
    """What a Thời hạn cell says: a due day, recurring work, nothing, or words not understood."""

    text: str
    kind: Kind
    due: dt.date | None = None
    year_assumed: bool = False  # the year came from the plan, not the cell

    def overdue(self, as_of: dt.date) -> bool:
        """Past its due day on as_of (recurring work and unreadable deadlines never are)."""
        return self.kind == "date" and self.due is not None and as_of > self.due

    def __str__(self) -> str:
        if self.kind == "date" and self.due is not None:
            return f"{self.due.day:02d}/{self.due.month:02d}/{self.due.year}"
        return {"recurring": "thường xuyên", "none": "không ghi", "unreadable": "không đọc được"}[self.kind]


_ROMAN_Q = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_YEAR = r"((?:19|20)\d{2})"
_SEP = r"\s*(?:/|-|–|\.|,)?\s*(?:năm\s*)?"  # "IV/2025", "IV-2025", "IV năm 2025", "IV, 2025"
_QUARTER = r"(?<!\w)(?:quý|quí|qúy|q\.?)\s*(iv|iii|ii|i|[1-4])\b"
_MONTH = r"tháng\s*(\d{1,2})"
_DATE = r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})(?:\s*[/.\-]\s*" + _YEAR + r")?"
_WORDS_DATE = r"ngày\s*(\d{1,2})\s*tháng\s*(\d{1,2})(?:\s*năm\s*" + _YEAR + r")?"

RECURRING = re.compile(
    r"thường\s*xuyên|hằng\s*(?:năm|quý|quí|tháng|tuần|ngày)|hàng\s*(?:năm|quý|quí|tháng|tuần|ngày)|"
    r"định\s*kỳ|liên\s*tục|thường\s*niên|khi\s*có\s*yêu\s*cầu|tháng\s*liền\s*kề"
)
# Words that make a cell depend on something outside it: never guessed.
RELATIVE = re.compile(r"bắt\s*đầu|\btừ\s+năm\s*\d{4}(?!\s*(?:-|–|đến))|\btheo\b|"
                      r"kể\s*từ|\bsau\s+(?:khi|\d)|liền\s*kề|năm\s*trước|năm\s*sau|tiếp\s*theo")

# "Đầu năm 2026", "giữa năm": no day a report could hold a unit to ("6 tháng đầu năm" is one).
VAGUE = re.compile(r"(?<!tháng )(?:đầu|giữa)\s*(?:năm|quý|quí|tháng)")

# Order matters: a span taken by one pattern is not read again by a later one. Months come before
# days: "Tháng 6 - 9/2025" is a range of months (due 30/9), not the day 6/9/2025.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("words_date", re.compile(_WORDS_DATE)),
    ("months", re.compile(_MONTH + r"(?:\s*(?:-|–|,|và|đến)\s*(?:tháng\s*)?(\d{1,2})(?![\d])"
                          r"(?!\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d))?"  # "tháng 6, 30/9/2025": a day follows
                          r"(?:" + _SEP + _YEAR + r")?")),
    ("date", re.compile(r"(?<![\d/])" + _DATE + r"(?![\d/])")),
    ("quarters", re.compile(_QUARTER + r"(?:\s*(?:-|–|,|và|đến)\s*(?:quý|quí)?\s*(iv|iii|ii|i|[1-4])\b)?"
                            r"(?:" + _SEP + _YEAR + r")?")),
    ("half", re.compile(r"(6|06|sáu)\s*tháng\s*(đầu|cuối)\s*năm(?:\s*" + _YEAR + r")?")),
    # "6/2025", "06/2025", "T6/2025": a month and its year without the word tháng.
    ("month_year", re.compile(r"(?<![\w/.])(?:t\.?\s*)?(\d{1,2})\s*[/.\-]\s*" + _YEAR + r"(?![\d/])")),
    ("year_end", re.compile(r"cuối\s*năm(?:\s*" + _YEAR + r")?")),
    ("years", re.compile(r"(?<!\d)" + _YEAR + r"(?:\s*(?:-|–|đến)\s*" + _YEAR + r")?(?!\d)")),
]


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text).casefold()).strip()


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


class _Unreadable(Exception):
    pass


def read_deadline(text: str | None, year: int | None = None) -> Deadline:
    """The deadline a cell's words name. `year` is the year the plan is for (used only for a day,
    month or quarter written without one)."""
    raw = (text or "").strip()
    if not raw:
        return Deadline(raw, "none")
    s = _norm(raw)
    if RECURRING.search(s):
        return Deadline(raw, "recurring")
    if RELATIVE.search(s) or VAGUE.search(s):
        return Deadline(raw, "unreadable")
    found: list[dt.date] = []
    assumed = False
    taken: list[tuple[int, int]] = []
    # "Từ 01/3 đến 30/6/2025": a day without a year takes the one year the cell writes.
    written = set(re.findall(r"(?<!\d)" + _YEAR + r"(?!\d)", s))
    if len(written) == 1:
        year, implied = int(written.pop()), True
    else:
        implied = False
    try:
        for name, pattern in _PATTERNS:
            for m in pattern.finditer(s):
                if any(a < m.end() and m.start() < b for a, b in taken):
                    continue
                due, guessed = _due(name, m, year)
                if due is None:
                    continue
                taken.append(m.span())
                found.append(due)
                assumed = assumed or (guessed and not implied)
    except _Unreadable:
        return Deadline(raw, "unreadable")
    except ValueError:  # 31/2, tháng 13: not a day
        return Deadline(raw, "unreadable")
    if not found:
        return Deadline(raw, "unreadable")
    return Deadline(raw, "date", max(found), assumed)


def _year_of(value: str | None, year: int | None) -> tuple[int, bool]:
    if value:
        return int(value), False
    if year is None:
        raise _Unreadable
    return year, True


def _due(name: str, m: re.Match[str], year: int | None) -> tuple[dt.date | None, bool]:
    g = m.groups()
    if name in ("words_date", "date"):
        y, guessed = _year_of(g[2], year)
        return dt.date(y, int(g[1]), int(g[0])), guessed
    if name == "quarters":
        last = _ROMAN_Q[g[1] or g[0]]
        y, guessed = _year_of(g[2], year)
        return _month_end(y, last * 3), guessed
    if name == "half":
        y, guessed = _year_of(g[2], year)
        return _month_end(y, 6 if g[1] == "đầu" else 12), guessed
    if name == "months":
        month = int(g[1] or g[0])
        if not 1 <= month <= 12:
            raise _Unreadable
        y, guessed = _year_of(g[2], year)
        return _month_end(y, month), guessed
    if name == "month_year":
        month = int(g[0])
        if not 1 <= month <= 12:
            raise _Unreadable
        return _month_end(int(g[1]), month), False
    if name == "year_end":
        y, guessed = _year_of(g[0], year)
        return dt.date(y, 12, 31), guessed
    if name == "years":
        return dt.date(int(g[1] or g[0]), 12, 31), False
    return None, False


def plan_year(subject: str, issued: int) -> int | None:
    """The year a plan is for: the one year its trích yếu names ("… năm 2026"), else None.

    Why not the issue year: a plan for 2026 is often issued in December 2025."""
    text = _norm(subject)
    years = set(re.findall(r"năm\s+((?:19|20)\d{2})(?!\s*[-–]\s*\d)", text))
    if len(years) == 1:
        return int(years.pop())
    if years or re.search(r"(?:19|20)\d{2}", text):
        return None  # several years, or a period ("giai đoạn 2026 - 2030"): no one year
    return issued
