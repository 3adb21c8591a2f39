"""From a validated Plan to the values the template prints: every derived string is made here,
once (ký hiệu, the Số line, the date line, Roman numerals, STT, the appendix reference line, capitals).

The template only places these strings; it holds no logic a văn thư could get wrong.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .model import Appendix, Cite, DocType, Emphasis, IssueDate, Paragraph, Plan, Reference, Signer
from .text import ITALIC_END, ITALIC_START, point_letter, roman, two_digits, upper_vi

BLANK_NUMBER = "     "
"""With the space after "Số:", six spaces where the văn thư writes the number by hand on a draft
("Số:      /KH-SKHCN")."""
BLANK_DAY = "  "
"""With the spaces around it, four spaces for the day of a draft ("ngày    tháng 3 năm 2024")."""
BLANK_CITED_DAY = "    "
"""The day of a draft in the numeric form ("ngày     /3/2024"): nothing follows it, so it is wider."""


def symbol(plan: Plan) -> str:
    """Ký hiệu: type abbreviation + agency abbreviation, "KH-SKHCN"."""
    return f"{plan.type.abbreviation}-{plan.agency.abbreviation}"


def number_text(number: int | None) -> str:
    return BLANK_NUMBER if number is None else two_digits(number)


def number_line(plan: Plan) -> str:
    """Ô 3: "Số: 05/KH-SKHCN", or "Số:      /KH-SKHCN" in a draft."""
    return f"Số: {number_text(plan.number)}/{symbol(plan)}"


def day_month(day: int | None, month: int) -> tuple[str, str]:
    """Leading-zero rule of Phụ lục I: days below 10 and months 1 and 2 get a 0."""
    d = BLANK_DAY if day is None else two_digits(day)
    m = two_digits(month) if month <= 2 else str(month)
    return d, m


def date_line(plan: Plan) -> str:
    """Ô 4: "Quảng Ngãi, ngày 05 tháng 02 năm 2025"; the day blank in a draft."""
    d, m = day_month(plan.date.day, plan.date.month)
    return f"{plan.agency.place}, ngày {d} tháng {m} năm {plan.date.year}"


def short_date(date: IssueDate | dt.date) -> str:
    """Numeric date as cited: "07/02/2024", "20/3/2024"; "    /3/2024" without a day."""
    day = getattr(date, "day", None)
    d, m = day_month(day, date.month)
    if day is None:
        d = BLANK_CITED_DAY
    return f"{d}/{m}/{date.year}"


def draft_mark(plan: Plan) -> str:
    """The boxed mark at the top of page 1: the plan's draft_mark while it is a draft, never on a final."""
    if plan.is_final or not plan.draft_mark:
        return ""
    return plan.draft_mark


def appendix_reference_line(plan: Plan) -> str:
    """"(Kèm theo Kế hoạch số 125/KH-SKHCN ngày 20/3/2024 của Sở Khoa học và Công nghệ)"."""
    return (
        f"(Kèm theo {plan.type.value} số {number_text(plan.number)}/{symbol(plan)} "
        f"ngày {short_date(plan.date)} của {plan.agency.name})"
    )


def reference_symbol(plan: Plan, ref: Reference) -> str:
    """A cited document's ký hiệu; the agency's own documents take the agency's abbreviation."""
    if ref.symbol:
        return ref.symbol
    abbr = ref.type.abbreviation
    return f"{abbr}-{plan.agency.abbreviation}" if abbr else plan.agency.abbreviation


def citation(plan: Plan, ref: Reference, *, full: bool) -> str:
    """"Kế hoạch số 36/KH-UBND ngày 07/02/2024 của UBND tỉnh Quảng Ngãi về …" (first citation) or
    "Kế hoạch số 36/KH-UBND" (later ones), as Phụ lục I asks."""
    head = f"{ref.type.value} số {ref.number}/{reference_symbol(plan, ref)}"
    if not full:
        return head
    text = f"{head} ngày {short_date(ref.date)} của {ref.issuer or plan.agency.name}"
    if ref.subject:
        text += f" về {ref.subject}"
    return text


class _Citations:
    """Turns paragraphs into text, citing each reference in full the first time only."""

    def __init__(self, plan: Plan):
        self.plan = plan
        self.cited: set[str] = set()

    def __call__(self, para: Paragraph) -> str:
        if isinstance(para, str):
            return para
        out = []
        for seg in para:
            if isinstance(seg, Cite):
                ref = self.plan.references[seg.cite]
                out.append(citation(self.plan, ref, full=seg.cite not in self.cited))
                self.cited.add(seg.cite)
            elif isinstance(seg, Emphasis):
                out.append(f"{ITALIC_START}{seg.italic}{ITALIC_END}")  # made italic by layout.py
            else:
                out.append(seg)
        return "".join(out)


def _end_with(text: str, mark: str) -> str:
    """Replace the sentence's own end punctuation with mark (";", ".", "./.")."""
    return text.rstrip().rstrip(";.,:").rstrip() + mark


def body_blocks(plan: Plan, cite: _Citations) -> list[dict[str, str]]:
    """The body as a flat list of paragraphs, each with its kind (the template picks the style)."""
    blocks: list[dict[str, str]] = []
    for si, section in enumerate(plan.sections, 1):
        blocks.append({"kind": "muc", "text": f"{roman(si)}. {upper_vi(section.title)}"})
        blocks += [{"kind": "para", "text": cite(p)} for p in section.paragraphs]
        for ci, clause in enumerate(section.clauses, 1):
            if clause.title is not None:
                blocks.append({"kind": "khoan", "text": f"{ci}. {clause.title}"})
                if clause.text is not None:
                    blocks.append({"kind": "para", "text": cite(clause.text)})
            else:
                blocks.append({"kind": "para", "text": f"{ci}. {cite(clause.text)}"})
            blocks += [{"kind": "para", "text": cite(p)} for p in clause.paragraphs]
            blocks += [
                {"kind": "para", "text": f"{point_letter(i)}) {cite(p)}"}
                for i, p in enumerate(clause.points)
            ]
            blocks += [{"kind": "para", "text": f"- {cite(p)}"} for p in clause.items]
    return blocks


def unit_name(plan: Plan, ref: str) -> str:
    unit = plan.units.get(ref)
    return unit.name if unit else ref


def unit_abbreviation(plan: Plan, ref: str) -> str:
    unit = plan.units.get(ref)
    if unit is None:
        return ref
    return unit.abbreviation or unit.name


def recipient_lines(plan: Plan) -> list[str]:
    """Nơi nhận: "- X;" per recipient, then "- Lưu: VT, HCTH."."""
    lines = [f"- {_end_with(unit_name(plan, r), ';')}" for r in plan.recipients]
    archive = ", ".join(unit_abbreviation(plan, r) for r in plan.archive)
    lines.append(f"- Lưu: {_end_with(archive, '.')}")
    return lines


def signer_lines(signer: Signer) -> list[str]:
    """Ô 7a: authority and title lines, in capitals (Phụ lục I, §5 of nd30-format.md)."""
    title = upper_vi(signer.title)
    head = upper_vi(signer.head_title) if signer.head_title else title
    match signer.authority:
        case None:
            return [title]
        case "Q":
            return [f"Q. {head}"]
        case "KT" | "TL" | "TUQ":
            return [f"{signer.authority}. {head}", title]
        case "TM":
            lines = [f"TM. {upper_vi(signer.collective or '')}"]
            if signer.head_title:
                lines.append(f"KT. {head}")
            return lines + [title]
    raise AssertionError(signer.authority)


def unit_cell(plan: Plan, refs: list[str]) -> str:
    """A lead/support cell: one line per unit, "- A;" … "- B." when there are several."""
    names = [unit_name(plan, r) for r in refs]
    if len(names) <= 1:
        return names[0] if names else ""
    return "\n".join(
        f"- {_end_with(n, '.' if i == len(names) - 1 else ';')}" for i, n in enumerate(names)
    )


def appendix_view(plan: Plan, app: Appendix, index: int, count: int, cite: _Citations) -> dict[str, Any]:
    title = app.title
    if count > 1 and title == "Phụ lục":
        title = f"Phụ lục {roman(index)}"
    return {
        "title": upper_vi(title),
        "subtitle": app.subtitle or "",
        "reference_line": appendix_reference_line(plan),
        "columns": list(app.columns),
        "groups": [
            {
                "number": roman(gi),
                "title": group.title,
                "tasks": [
                    {
                        "number": str(ti),
                        "content": cite(task.content),
                        "lead": unit_cell(plan, task.lead),
                        "support": unit_cell(plan, task.support),
                        "time": task.time or "",
                    }
                    for ti, task in enumerate(group.tasks, 1)
                ],
            }
            for gi, group in enumerate(app.groups, 1)
        ],
    }


def build_context(plan: Plan) -> dict[str, Any]:
    """Everything the template prints, as plain strings, lists and dicts."""
    cite = _Citations(plan)
    grounds = [cite(g) for g in plan.grounds]
    grounds = [_end_with(g, "." if i == len(grounds) - 1 else ";") for i, g in enumerate(grounds)]
    opening = [cite(p) for p in plan.opening]
    body = body_blocks(plan, cite)
    # A closing copied from last year's file may already carry the end mark: never print it twice.
    closing = _end_with(cite(plan.closing).rstrip().removesuffix("./."), "./.") if plan.closing else ""
    if not closing and body:
        body[-1] = {**body[-1], "text": _end_with(body[-1]["text"], "./.")}
    return {
        "agency": {
            "parent": upper_vi(plan.agency.parent),
            "name": upper_vi(plan.agency.name),
        },
        "draft_mark": draft_mark(plan),
        "number_line": number_line(plan),
        "date_line": date_line(plan),
        "doc_type": upper_vi(plan.type.value),
        "subject": plan.subject,
        "grounds": grounds,
        "opening": opening,
        "body": body,
        "closing": closing,
        "recipients": recipient_lines(plan),
        "signer": {"lines": signer_lines(plan.signer), "name": plan.signer.name},
        "appendices": [
            appendix_view(plan, app, i, len(plan.appendices), cite)
            for i, app in enumerate(plan.appendices, 1)
        ],
    }


__all__ = ["build_context", "symbol", "number_line", "date_line", "appendix_reference_line", "DocType"]
