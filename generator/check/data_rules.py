"""Rules only a plan's data can be held to (a .docx has no field paths): the issue date against
the dates of the documents it cites, and header lines the user broke by hand that do not fit.

Why here and not in rules.py: those rules read the reader's model of any agency's file; these
read the plan itself, its references with their dates and the lines as the user gave them."""

from __future__ import annotations

from ..plan.model import IssueDate, Plan
from .report import FAIL, PASS, WARNING, Result


def _cited_keys(plan: Plan) -> set[str]:
    from ..plan.crossref import cites

    keys: set[str] = set()
    for _, seg in cites(plan):
        keys.update(seg.keys)
    return keys


def cited_after_issue(plan: Plan) -> list[Result]:
    """A plan dated before a document it cites: a date typed wrong, or a citation of a later
    document (a plan cannot implement a decision not yet made). Judged at the precision the plan's
    date has: a draft dated "2025-03" is before a document of April 2025, not one of 20/3/2025."""
    rule, element = "DL.ngay-ban-hanh.sau-van-ban-dan", "Ngày ban hành"
    title = "ngày ban hành không trước ngày của văn bản được dẫn"
    d = plan.date
    issued = (d.year, d.month or 13, d.day or 32)  # a missing part: the latest it can be
    cited = _cited_keys(plan)
    found = []
    for key, ref in plan.references.items():
        if key not in cited or ref.date is None:
            continue
        if issued < (ref.date.year, ref.date.month, ref.date.day):
            label = f"{ref.type} số {ref.number}" if ref.number else (ref.name or ref.type)
            found.append(Result(
                rule, element, title, WARNING, FAIL, measured=_vi_date(d), expected=f"từ {ref.date:%d/%m/%Y}",
                location=f"references.{key}.date",
                message=f"kế hoạch ghi ngày ban hành {_vi_date(d)}, trước ngày {ref.date:%d/%m/%Y} của {label} "
                        "mà nó dẫn: sửa ngày ban hành (date) hoặc ngày của văn bản được dẫn"))
    return found or [Result(rule, element, title, WARNING, PASS)]


def _vi_date(d: IssueDate) -> str:
    if d.month and d.day:
        return f"{d.day:02d}/{d.month:02d}/{d.year}"
    return f"{d.month:02d}/{d.year}" if d.month else str(d.year)


def hand_broken_lines(plan: Plan) -> list[Result]:
    """A header name or trích yếu line given by hand that is wider than the column it prints in:
    Word wraps it where the column ends, inside a word or leaving one word alone."""
    from ..document.context import line_warnings

    rule, element = "DL.dong-tieu-de.vua-cot", "Tên cơ quan, trích yếu"
    title = "mỗi dòng người soạn tự ngắt vừa cột in nó"
    found = [Result(rule, element, title, WARNING, FAIL, measured=line, location=field, message=msg)
             for field, line, msg in line_warnings(plan)]
    return found or [Result(rule, element, title, WARNING, PASS)]
