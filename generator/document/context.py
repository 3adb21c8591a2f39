"""From a validated Plan to the values the template prints: every derived string is made here,
once (ký hiệu, the Số line, the date line, Roman numerals, STT, the appendix reference line, capitals).

The template only places these strings; it holds no logic a văn thư could get wrong.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from ..nd30 import CLOSING_MARK, DOC_NUMBER_DIGITS, TYPE_ABBREVIATIONS, day_month
from ..plan.model import (
    Align,
    Appendix,
    CellLines,
    CellSpec,
    Cite,
    Clause,
    DocType,
    Group,
    Heading,
    IssueDate,
    Item,
    Items,
    Note,
    Paragraph,
    Plan,
    Point,
    Points,
    Reference,
    Signer,
    Styled,
    Table,
    TableBlock,
    section_numbers,
)
from ..text import point_letter, roman, two_digits, upper_vi
from ..word.notes import Note as NoteSpec
from ..word.tables import Piece, TableCell, TableSpec, runs_xml
from .line_breaks import heading_cell_lines

if TYPE_CHECKING:
    from ..recognise.lines import Reference as ReferenceLine

BLANK_NUMBER = "     "
"""With the space after "Số:", six spaces where the văn thư writes the number by hand on a draft
("Số:      /KH-SKHCN")."""
BLANK_CITED_DAY = "    "
"""The day of a draft in the numeric form ("ngày     /3/2024"): nothing follows it, so it is wider."""


SIGNING_COPY: ContextVar[bool] = ContextVar("kehoach_signing_copy", default=False)
"""True while rendering the copy the competent person signs before the văn thư gives the number and
the date (render --final --unnumbered): its blanks must hold the stamps the văn thư adds to the signed
PDF, and no more, so the stamped line reads as the numbered final typed: "Số: 125/KH-…", "ngày 20
tháng 3". A draft keeps the narrow blanks written by hand."""
SPACES_PER_DIGIT = 2
"""A digit is as wide as two spaces in Times New Roman (1024 and 512 of 2048 units), the font of
Decree 30, and every digit is as wide as any other: a blank of two spaces a digit holds exactly the
widest stamp of that many digits."""
WIDE_NUMBER = " " * (SPACES_PER_DIGIT * DOC_NUMBER_DIGITS)  # as wide as the widest number esign.sign stamps
WIDE_DAY = " " * (SPACES_PER_DIGIT * 2)  # a day is printed with two digits (nd30.day_month), a month one or two
WIDE_CITED_DAY = WIDE_DAY


@contextlib.contextmanager
def signing_copy(on: bool = True) -> Iterator[None]:
    token = SIGNING_COPY.set(on)
    try:
        yield
    finally:
        SIGNING_COPY.reset(token)


def symbol(plan: Plan) -> str:
    """Ký hiệu: type abbreviation + agency abbreviation, "KH-SKHCN"."""
    return f"{plan.type.abbreviation}-{plan.agency.abbreviation}"


def number_text(number: int | None) -> str:
    if number is None:
        return WIDE_NUMBER if SIGNING_COPY.get() else BLANK_NUMBER
    return two_digits(number)


def number_line(plan: Plan) -> str:
    """Ô 3: "Số: 05/KH-SKHCN", or "Số:      /KH-SKHCN" in a draft; nothing for a document issued
    with a decision (it has no number of its own: its subtitle cites the decision's)."""
    if not plan.own_number:
        return ""
    return f"Số: {number_text(plan.number)}/{symbol(plan)}"


def date_line(plan: Plan) -> str:
    """Ô 4: "Quảng Ngãi, ngày 05 tháng 02 năm 2025"; the day blank in a draft; nothing for a
    document issued with a decision (dated by it)."""
    if not plan.own_number:
        return ""
    d, m = day_month(plan.date.day, plan.date.month)
    if SIGNING_COPY.get():
        d = WIDE_DAY if plan.date.day is None else d
        m = WIDE_DAY if plan.date.month is None else m
    return f"{plan.agency.place}, ngày {d} tháng {m} năm {plan.date.year}"


def short_date(date: IssueDate | dt.date) -> str:
    """Numeric date as cited: "07/02/2024", "20/3/2024"; "    /3/2024" without a day."""
    day = getattr(date, "day", None)
    blank = WIDE_CITED_DAY if SIGNING_COPY.get() else BLANK_CITED_DAY
    if date.month is None:
        # Neither day nor month yet: the numeric form would read "/ /2026"; the words read right.
        return f"{blank}tháng{blank}năm {date.year}"
    d, m = day_month(day, date.month)
    if day is None:
        d = blank
    return f"{d}/{m}/{date.year}"


def draft_mark(plan: Plan) -> str:
    """The boxed mark at the top of page 1: the plan's draft_mark while it is a draft, never on a final."""
    if plan.is_final or not plan.draft_mark:
        return ""
    return plan.draft_mark


def issuing_decision(plan: Plan) -> ReferenceLine | None:
    """The decision a plan issued with one (own_number: false) goes out under, as its subtitle cites
    it ("(Ban hành kèm theo Quyết định số 25/QĐ-UBND ngày 20/01/2026 của …)", number and day blank in a
    draft); None for a plan with a number of its own, or a subtitle citing none."""
    if plan.own_number or plan.subtitle is None:
        return None
    # Imported here, and only for such a plan: the recogniser loads the Word reader, which a plan with
    # a number of its own never needs (cold start of `render`, benchmarks/bench_cold.py).
    from ..plan.tasks import plain
    from ..recognise.lines import parse_reference

    return parse_reference(plain(plan, plan.subtitle))


def appendix_reference_line(plan: Plan) -> str:
    """"(Kèm theo Kế hoạch số 125/KH-SKHCN ngày 20/3/2024 của Sở Khoa học và Công nghệ)". A plan issued
    with a decision has no number of its own: its appendices cite it by the decision, as its head does
    ("(Kèm theo Kế hoạch ban hành kèm theo Quyết định số 25/QĐ-UBND ngày 20/01/2026 của …)")."""
    decision = issuing_decision(plan)
    if decision is not None:
        cited = decision.text[decision.text.index(decision.doc_type):].removesuffix(")").rstrip(" .")
        return f"(Kèm theo {plan.type.value} ban hành kèm theo {cited})"
    return (
        f"(Kèm theo {plan.type.value} số {number_text(plan.number)}/{symbol(plan)} "
        f"ngày {short_date(plan.date)} của {plan.agency.running_name})"
    )


def reference_symbol(plan: Plan, ref: Reference) -> str:
    """A cited document's ký hiệu; the agency's own documents take the agency's abbreviation."""
    if ref.symbol:
        return ref.symbol
    abbr = TYPE_ABBREVIATIONS.get(ref.type, "")
    return f"{abbr}-{plan.agency.abbreviation}" if abbr else plan.agency.abbreviation


def citation(plan: Plan, ref: Reference, *, full: bool, verb: str | None = None) -> str:
    """"Kế hoạch số 36/KH-UBND ngày 07/02/2024 của UBND tỉnh Quảng Ngãi về …" (first citation) or
    "Kế hoạch số 36/KH-UBND" (later ones), as Phụ lục I asks. Party documents join number and
    symbol with "-" ("Nghị quyết số 57-NQ/TW"); a law without number is cited by its name."""
    if ref.number is None:
        head = ref.name or ref.type
    else:
        head = f"{ref.type} {number_and_symbol(plan, ref)}"
    return head + (_particulars(plan, ref, verb) if full else "")


def number_and_symbol(plan: Plan, ref: Reference) -> str:
    """"số 36/KH-UBND"; a Party document joins number and symbol with "-": "số 57-NQ/TW"."""
    sep = "-" if ref.is_party else "/"
    return f"số {ref.number}{sep}{reference_symbol(plan, ref)}"


def _particulars(plan: Plan, ref: Reference, verb: str | None) -> str:
    """What a full citation adds after the number: date, issuer, and the subject after its verb
    ("về" unless the citation or the reference gives another, "" for none)."""
    text = ""
    if ref.date is not None:
        text += f" ngày {short_date(ref.date)}"
    if ref.number is not None or ref.issuer:
        text += f" của {ref.issuer or plan.agency.running_name}"
    if ref.subject:
        verb = verb if verb is not None else ref.verb if ref.verb is not None else "về"
        text += f" {verb} {ref.subject}" if verb else f" {ref.subject}"
    return text


def grouped_citation(plan: Plan, refs: list[Reference], fulls: list[bool], verb: str | None = None) -> str:
    """Several documents in one citation, each kept as its own reference: "các Quyết định: số
    36/QĐ-TTg ngày …; số 1569/QĐ-TTg ngày …; và số 1668/QĐ-TTg …" when they are of one type, else
    each with its type ("Quyết định số …; và Kế hoạch số …")."""
    same = len({r.type for r in refs}) == 1 and all(r.number is not None for r in refs)
    parts = []
    for ref, full in zip(refs, fulls, strict=True):
        if same:
            parts.append(number_and_symbol(plan, ref) + (_particulars(plan, ref, verb) if full else ""))
        else:
            parts.append(citation(plan, ref, full=full, verb=verb))
    listed = "; ".join(parts[:-1]) + "; và " + parts[-1] if len(parts) > 1 else parts[0]
    return f"các {refs[0].type}: {listed}" if same and len(refs) > 1 else listed


Run = Piece
"""A piece of printed text and its look (word.tables.Piece): text, bold, italic, position, note."""


class Inline:
    """A paragraph's printed text as runs: the plain text for rules and checks, and the Word runs
    the template places with {{r x.inline }} (autoescape calls __html__), so bold and italic pieces
    become real runs with no marker characters."""

    __slots__ = ("runs",)

    def __init__(self, runs: list[Run]):
        self.runs = [r for r in runs if r.text]

    @property
    def text(self) -> str:
        """The sentence's words: a footnote's text prints at the page's foot, not here."""
        return "".join(r.text for r in self.runs if not r.note)

    def __html__(self) -> str:
        return runs_xml(self.runs, False)

    def __str__(self) -> str:
        return self.text

    def prefixed(self, marker: str) -> Inline:
        """A numbered or bulleted paragraph: the marker ("1. ", "a) ", "- ") takes the emphasis of
        the text it opens, so a bold heading sentence keeps its number bold."""
        b, i = (self.runs[0].bold, self.runs[0].italic) if self.runs else (False, False)
        return Inline([Piece(marker, b, i), *self.runs])

    def ended(self, mark: str) -> Inline:
        """The same runs with the sentence's own end punctuation replaced by mark."""
        runs = list(self.runs)
        notes: list[Run] = []  # a note's mark after the sentence's end stays after the new end
        while runs and runs[-1].note:
            notes.insert(0, runs.pop())
        while runs:
            last = runs[-1]
            stripped = _without_end(last.text, mark) if not last.note else ""
            if stripped:
                # the end mark prints on the line, whatever the look of the word before it
                runs[-1:] = ([last._replace(text=stripped + mark)] if not last.position
                             else [last._replace(text=stripped), Piece(mark)])
                return Inline(runs + notes)
            if last.note:
                notes.insert(0, last)
            runs.pop()
        return Inline([Piece(mark), *notes])


class _Citations:
    """Turns paragraphs into runs, citing each reference in full the first time only."""

    def __init__(self, plan: Plan):
        self.plan = plan
        self.cited: set[str] = set()

    def inline(self, para: Paragraph | None) -> Inline:
        if para is None:
            return Inline([])
        if isinstance(para, str):
            return Inline([Piece(para)])
        out: list[Run] = []
        for seg in para:
            if isinstance(seg, Styled):
                bold, italic, position = seg.look
                out.append(Piece(seg.text, bold, italic, position))
            elif isinstance(seg, Note):
                out.append(Piece(seg.text, note=NoteSpec(tuple(self.inline(seg.content).runs), seg.at_end,
                                                          seg.mark or "")))
            elif isinstance(seg, Cite):
                keys = seg.keys
                fulls = [seg.full or key not in self.cited for key in keys]
                refs = [self.plan.references[key] for key in keys]
                if isinstance(seg.cite, str):
                    text = citation(self.plan, refs[0], full=fulls[0], verb=seg.verb)
                else:
                    text = grouped_citation(self.plan, refs, fulls, seg.verb)
                out.append(Piece(text))
                self.cited.update(keys)
            else:
                out.append(Piece(seg))
        return Inline(out)

    def __call__(self, para: Paragraph) -> str:
        return self.inline(para).text


def _without_end(text: str, mark: str) -> str:
    """The sentence without its own end punctuation. Before the closing "./.", a "./." already there
    goes too: text copied from last year's file often ends with it, and it is never printed twice."""
    text = text.rstrip()
    while mark == CLOSING_MARK and text.endswith(CLOSING_MARK):
        text = text[:-3].rstrip()
    return text.rstrip(";.,:").rstrip()


def _end_with(text: str, mark: str) -> str:
    """Replace the sentence's own end punctuation with mark (";", ".", "./.")."""
    return _without_end(text, mark) + mark


def _para(kind: str, inline: Inline) -> dict[str, Any]:
    return {"kind": kind, "text": inline.text, "inline": inline}


class _Body:
    """Flattens ordered blocks into the paragraphs and tables the template prints, deriving every
    number: mục I., khoản 1. (1.1. inside a khoản), điểm a) … đ), items "- " and "+ "."""

    def __init__(self, plan: Plan, cite: _Citations):
        self.plan = plan
        self.cite = cite
        self.out: list[dict[str, Any]] = []

    def blocks(self, blocks: list[Any], number: str = "") -> None:
        clause_no = 0
        for block in blocks:
            if isinstance(block, Clause):
                clause_no += 1
                self.clause(block, f"{number}{clause_no}.")
            elif isinstance(block, Items):
                self.items(block.items, 0)
            elif isinstance(block, Points):
                for i, point in enumerate(block.points):
                    text = point.text if isinstance(point, Point) else point
                    self.out.append(_para("para", self.cite.inline(text).prefixed(f"{point_letter(i)}) ")))
                    if isinstance(point, Point):
                        self.blocks(point.blocks, number)
            elif isinstance(block, TableBlock):
                self.out.append(table_view(self.plan, block.table, self.cite))
            elif isinstance(block, Heading):
                if block.heading is not None:
                    self.out.append(_para("heading", self.cite.inline(block.heading)))
                self.blocks(block.blocks, "")
            else:
                self.out.append(_para("para", self.cite.inline(block)))

    def clause(self, clause: Clause, number: str) -> None:
        if clause.title is not None:
            self.out.append(_para("khoan", self.cite.inline(clause.title).prefixed(number + " ")))
            if clause.text is not None:
                self.out.append(_para("para", self.cite.inline(clause.text)))
        else:
            self.out.append(_para("para", self.cite.inline(clause.text).prefixed(number + " ")))
        self.blocks(clause.content, number)

    def items(self, entries: list[Any], depth: int) -> None:
        marker = "- " if depth == 0 else "+ "
        for entry in entries:
            text = entry.text if isinstance(entry, Item) else entry
            self.out.append(_para("item" if depth == 0 else "item2", self.cite.inline(text).prefixed(marker)))
            if isinstance(entry, Item):
                self.items(entry.items, depth + 1)


def body_blocks(plan: Plan, cite: _Citations) -> list[dict[str, Any]]:
    """The body as a flat list of paragraphs and tables, each with its kind (the template picks the style)."""
    body = _Body(plan, cite)
    numbers = section_numbers(plan.sections)
    for si, section in enumerate(plan.sections, 1):
        if section.part is not None:
            # A part's heading lines, centred bold (style "KH Phần"); bold in the runs too, so a
            # template older than parts, which prints them as body text, still shows a heading.
            for line in section.part:
                body.out.append(_para("part", Inline([Piece(line, True)])))
        if plan.type == DocType.quyet_dinh:
            # A Quyết định's parts are Điều: "Điều 1." bold as a run-in heading, its text plain.
            body.out.append(_para("para", Inline([Piece(f"Điều {si}. ", True), Piece(section.title)])))
        else:
            body.out.append(_para("muc", Inline([Piece(f"{numbers[si - 1]}. {upper_vi(section.title)}")])))
        body.blocks(section.content)
    return body.out


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


def addressee_lines(plan: Plan) -> list[str]:
    """"Kính gửi: X" (one addressee, on one line), or "Kính gửi:" and "- A;" … "- B." (several)."""
    names = [unit_name(plan, r) for r in plan.addressee]
    if len(names) <= 1:
        return [f"Kính gửi: {names[0]}"] if names else []
    return ["Kính gửi:"] + [f"- {_end_with(n, '.' if i == len(names) - 1 else ';')}" for i, n in enumerate(names)]


def signer_lines(signer: Signer) -> list[str]:
    """Ô 7a: authority and title lines, in capitals (Decree 30, Phụ lục I, mục III.7)."""
    if signer.lines:
        return [upper_vi(line) for line in signer.lines]
    title = upper_vi(signer.title or "")
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


# --- tables ------------------------------------------------------------------------------------


def _cell(cite: _Citations, value: Any, align: str | None = None, role: str = "body") -> TableCell:
    if isinstance(value, CellSpec):
        cell = _cell(cite, value.text, value.align or align, role)
        cell.span, cell.rowspan, cell.bold = value.span, value.rowspan, value.bold
        return cell
    if value is None:
        return TableCell([], align=align, role=role)
    if isinstance(value, CellLines):
        return TableCell([cite.inline(x) for x in value.lines], align=align, role=role)
    return TableCell([cite.inline(value)], align=align, role=role)


def table_view(plan: Plan, table: Table, cite: _Citations, *, landscape: bool = False) -> dict[str, Any]:
    """A table block for the template: its cells' text for the rules, its spec for the writer."""
    widths = [c.width for c in table.columns]
    header = [_cell(cite, c.title, "center", "head") for c in table.columns]
    upper = [[_cell(cite, v, "center", "head") for v in row] for row in table.header_rows or []]
    # A title merged down from the header rows above prints in place of the column's own (the
    # writer continues the merge there).
    titled = [cell for cell, down in zip(header, table.merged_down(), strict=True) if not down]
    head = [*upper, titled] if table.header else []
    if table.column_numbers is not None and table.header:
        # The row of column numbers belongs to the head: it repeats with the header on every page,
        # centred, not bold (the STT style), italic only where the label was typed so.
        head.append([_cell(cite, label, "center", "number") for label in table.column_numbers])
    rows: list[list[TableCell]] = []
    counter = [0]
    ncols = len(table.columns)

    def walk(entries: list[Any], level: int) -> None:
        gno = 0
        for entry in entries:
            if isinstance(entry, Group):
                gno += 1
                number = entry.number or (roman(gno) if level == 0 else str(gno))
                title = cite.inline(entry.group)
                if level == 0 and table.group_caps:
                    title = Inline([r if r.note else r._replace(text=upper_vi(r.text)) for r in title.runs])
                if table.group_style == "merged" or ncols == 1:
                    rows.append([TableCell([title.prefixed(f"{number}. ")], span=ncols, role="group")])
                else:
                    rows.append([TableCell([Inline([Piece(number)])], align="center", role="group"),
                                 TableCell([title], span=ncols - 1, role="group")])
                if table.numbering == "restart":
                    counter[0] = 0
                walk(entry.rows, level + 1)
            else:
                cells = [_cell(cite, v) for v in entry]
                if table.numbered:
                    counter[0] += 1
                    number = table.number_format.replace("1", str(counter[0]))
                    cells.insert(0, TableCell([Inline([Piece(number, bold=table.number_bold)])], align="center",
                                              role="number"))
                rows.append(cells)

    walk(table.rows, 0)
    # Column headings too wide for their column: broken between words into balanced lines.
    spec = TableSpec(widths=widths, aligns=[c.align for c in table.columns],
                     header=head, rows=rows, landscape=landscape,
                     break_heading=heading_cell_lines)
    texts = [p.text for row in [*upper, titled, *rows] for c in row for p in c.paragraphs if p.text]
    return {"kind": "table", "text": " ".join(texts), "xml": spec, "cells": texts}


def _catalogue_table(plan: Plan, app: Appendix) -> Table:
    """The five-column task catalogue as a general table (the sample's form)."""
    groups = tuple(
        (group.title, tuple((task.content, unit_cell(plan, task.lead) or None,
                             unit_cell(plan, task.support) or None, task.time) for task in group.tasks))
        for group in app.groups or []
    )
    return _build_catalogue_table(app, groups)


def _build_catalogue_table(app: Appendix, groups: tuple[Any, ...]) -> Table:
    from ..plan.model import Column

    # Each group and the columns built once by content: the units of a batch change a task or two
    # of the model plan's catalogue, and share the rest (a validated Group is taken as it is).
    rows: list[Any] = [_catalogue_part(("group", title, tasks), _catalogue_group, title, tasks)
                       for title, tasks in groups]
    widths = (1.2, 10, 5, 5, 4)
    aligns: tuple[Align, ...] = ("center", "left", "left", "left", "center")
    columns = _catalogue_part(("columns", tuple(app.columns)), lambda: tuple(
        Column(title=t, width=w, align=a) for t, w, a in zip(app.columns, widths, aligns, strict=True)))
    return Table(columns=columns, numbered=True, numbering="restart", group_style="split", group_caps=False,
                 rows=rows)


def _catalogue_group(title: str, tasks: tuple[Any, ...]) -> Group:
    return Group(group=title, rows=[list(task) for task in tasks])


_CATALOGUE_PARTS: dict[Any, Any] = {}
"""Groups and column lists of catalogues already built, by content: the units of a batch share the
model plan's catalogue but for a task or two. A part is never changed once built (table_view only
reads it)."""
_CATALOGUE_PARTS_MAX = 256


def _catalogue_part(key: Any, make: Callable[..., Any], *args: Any) -> Any:
    try:
        part = _CATALOGUE_PARTS.get(key)
    except TypeError:  # a task written as pieces (lists): not hashable, built every time
        return make(*args)
    if part is None:
        if len(_CATALOGUE_PARTS) >= _CATALOGUE_PARTS_MAX:
            _CATALOGUE_PARTS.clear()
        part = _CATALOGUE_PARTS[key] = make(*args)
    return part


def _catalogue_groups(spec: TableSpec) -> list[dict[str, Any]]:
    """The five-column catalogue as groups of tasks in plain text (`groups` of the context, for the
    rules and for templates written for it), read off the table that prints it: one reading of the
    tasks, so citations are numbered as the page prints them."""
    def text(cell: TableCell) -> str:
        return "\n".join(p.text for p in cell.paragraphs)

    groups: list[dict[str, Any]] = []
    for row in spec.rows:
        if row[0].role == "group":
            groups.append({"number": text(row[0]), "title": text(row[1]), "tasks": []})
        else:
            number, content, lead, support, time = (text(c) for c in row)
            groups[-1]["tasks"].append({"number": number, "content": content, "lead": lead,
                                        "support": support, "time": time})
    return groups


def appendix_view(plan: Plan, app: Appendix, index: int, count: int, cite: _Citations) -> dict[str, Any]:
    title = app.title
    if count > 1 and title == "Phụ lục":
        title = f"Phụ lục {roman(index)}"
    if app.reference_line is False:
        reference = ""
    else:
        reference = app.reference_line or appendix_reference_line(plan)
    view: dict[str, Any] = {
        "title": upper_vi(title) if app.upper else title,
        "subtitle": " ".join(app.subtitle or []),
        "subtitle_lines": list(app.subtitle or []),
        "reference_line": reference,
        "landscape": app.landscape,
        "groups": [],
        "table": None,
        "body": [],
    }
    if app.groups is not None:
        view["table"] = table_view(plan, _catalogue_table(plan, app), cite, landscape=app.landscape)
        view["groups"] = _catalogue_groups(view["table"]["xml"])
    elif app.table is not None:
        view["table"] = table_view(plan, app.table, cite, landscape=app.landscape)
    else:
        body = _Body(plan, cite)
        body.blocks(app.blocks or [])
        view["body"] = body.out
    return view


def heading_paragraphs(given: list[str], lines: list[str]) -> list[str]:
    """The paragraphs a heading prints as, from the lines the data gave and the lines it prints on
    (heading_lines). Lines the data gives are the drafter's: one paragraph each, as agencies type
    them. One line the tool broke into balanced lines stays ONE paragraph, cut by line breaks
    (Shift+Enter in Word; docxtpl writes "\n" as w:br): the drafter wrote one name or sentence, and it
    is still one when edited in Word or read without its breaks. The space before each break is the
    one between the words (a trailing space is not drawn)."""
    if len(given) != 1:
        return lines
    return [spaced_breaks("\n".join(lines))] if lines else []


def spaced_breaks(text: str) -> str:
    """Text printed with line breaks (w:br), each after the space between its words: read without
    its breaks (copied, searched, imported) the words stay apart; a space at a line's end is not drawn."""
    return re.sub(r"[ \t]*\n", " \n", text)


def heading_lines(lines: list[str], where: str) -> list[str]:
    """A header name or trích yếu as its lines: as the user broke it when given in several lines
    (line_warnings names a line that does not fit), else broken between words into balanced lines
    when it does not fit its column on one line (Word would break it anywhere, even inside a word)."""
    if len(lines) != 1:
        return lines
    from .line_breaks import balanced_lines, columns

    return balanced_lines(lines[0], columns()[where])


def line_warnings(plan: Plan) -> list[tuple[str, str, str]]:
    """(field, line, message) for every line the user broke by hand that is wider than its column:
    Word wraps it where the column ends, a word may be cut and a lone word left on a line."""
    from .line_breaks import columns, overflowing

    given = [("agency.parent", [upper_vi(x) for x in plan.agency.parent or []], "parent"),
             ("agency.name", [upper_vi(x) for x in plan.agency.name], "agency"),
             *((f"agency.co_issuers[{k + 1}]", [upper_vi(x) for x in name], "agency")
               for k, name in enumerate(plan.agency.co_issuers)),
             ("subject", list(plan.subject), "subject")]
    out = []
    for field, lines, where in given:
        for i, line in enumerate(lines):
            if len(lines) < 2 and "\n" not in line:
                continue  # one line is broken by the tool (heading_lines)
            # A line with its own breaks ("…\n…", as import keeps a name Word wrapped) prints as
            # those lines: each must fit, not all of them end to end.
            if overflowing(line.split("\n"), columns()[where]):
                out.append((f"{field}[{i + 1}]", line, "dòng dài hơn cột in nó nên Word sẽ tự xuống dòng "
                            "giữa chừng: tách dòng này thành hai dòng (giữa hai từ) hoặc rút gọn"))
    return out


def build_context(plan: Plan) -> dict[str, Any]:
    """Everything the template prints: plain strings for rules and simple templates, and for each
    paragraph its runs (`inline`) from which the renderer makes bold and italic runs."""
    cite = _Citations(plan)
    grounds_in = [cite.inline(g) for g in plan.grounds]
    # A căn cứ keeps the end mark its writer gave it; one without gets ";" (the last one ".").
    grounds = [g if g.text.rstrip()[-1:] in (";", ".", ",", ":") else g.ended("." if i == len(grounds_in) - 1 else ";")
               for i, g in enumerate(grounds_in)]
    opening = [cite.inline(p) for p in plan.opening]
    body = body_blocks(plan, cite)
    closing = Inline([])
    if plan.closing:
        closing = cite.inline(plan.closing).ended(CLOSING_MARK)
    elif body:
        for k in range(len(body) - 1, -1, -1):
            if body[k]["kind"] != "table":
                body[k] = _para(body[k]["kind"], body[k]["inline"].ended(CLOSING_MARK))
                break
    subtitle = cite.inline(plan.subtitle) if plan.subtitle is not None else None
    parent_given = [upper_vi(x) for x in plan.agency.parent or []]
    name_given = [upper_vi(x) for x in plan.agency.name]
    parent_lines = heading_lines(parent_given, "parent")
    name_lines = heading_lines(name_given, "agency")
    # A joint plan's other issuing agencies, each its own name under the lead's, in bold.
    co_issuers = [[upper_vi(x) for x in name] for name in plan.agency.co_issuers]
    co_issuer_paragraphs = [line for given in co_issuers
                            for line in heading_paragraphs(given, heading_lines(given, "agency"))]
    subject_lines = heading_lines(list(plan.subject), "subject")
    return {
        "agency": {
            "parent": " ".join(parent_lines),
            "name": " ".join(name_lines),
            "parent_lines": parent_lines,
            "name_lines": name_lines,
            "parent_paragraphs": heading_paragraphs(parent_given, parent_lines),
            "name_paragraphs": heading_paragraphs(name_given, name_lines),
            "co_issuer_paragraphs": co_issuer_paragraphs,
        },
        "draft_mark": draft_mark(plan),
        "number_line": number_line(plan),
        "date_line": date_line(plan),
        "doc_type": upper_vi(plan.type.value),
        "addressee_lines": addressee_lines(plan),
        "authority": upper_vi(plan.authority) if plan.authority else "",
        # "QUYẾT ĐỊNH:" between the căn cứ and Điều 1 (Phụ lục III, Mẫu 1.3).
        "decision_line": "QUYẾT ĐỊNH:" if plan.type == DocType.quyet_dinh else "",
        "subject": plan.subject_text,
        "subject_lines": subject_lines,
        "subject_paragraphs": heading_paragraphs(list(plan.subject), subject_lines),
        "subtitle": subtitle.text if subtitle else "",
        "subtitle_inline": subtitle,
        "grounds": [g.text for g in grounds],
        "grounds_inline": grounds,
        "opening": [o.text for o in opening],
        "opening_inline": opening,
        "body": body,
        "closing": closing.text,
        "closing_inline": closing,
        "recipients": recipient_lines(plan),
        "signer": {"lines": signer_lines(plan.signer), "name": spaced_breaks(plan.signer.name)},
        # A joint plan's other signers, left to right; the lead signer prints on the right.
        "co_signers": [{"lines": signer_lines(s), "name": spaced_breaks(s.name)} for s in plan.co_signers],
        "appendices": [
            appendix_view(plan, app, i, len(plan.appendices), cite)
            for i, app in enumerate(plan.appendices, 1)
        ],
    }


__all__ = ["build_context", "symbol", "number_line", "date_line", "appendix_reference_line", "DocType", "Inline"]
