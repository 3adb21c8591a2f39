"""The tasks of a plan, one record each: what progress sheets, reports and rollover count.

A task is a row of the five-column catalogue (appendix `groups`) or a row of a task table: a table
of the body or of an appendix whose columns name the content ("Nội dung", "Nhiệm vụ", "Công
việc"…) and a lead unit ("Chủ trì", "Người thực hiện"…) or a time ("Thời gian", "Thời hạn"…).
Real plans write their groups either as groups of the data ({group: …}) or, when imported from
Word, as rows whose STT cell is a Roman numeral ("I", "II") with the name beside it: both are groups.

Why a key made from the content: a filled progress sheet comes back sorted, filtered, with rows
moved; the key written in its hidden column names the task whatever its row. The same words in two
tasks get "-2", "-3" in plan order.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from ..nd30.figures import LANDSCAPE_TEXT_WIDTH_TWIPS, TEXT_WIDTH_TWIPS
from ..text import roman, upper_vi
from ..word.metrics import text_width_pt
from .model import (
    Appendix,
    CellLines,
    CellSpec,
    Cite,
    Clause,
    Group,
    Heading,
    Note,
    Paragraph,
    Plan,
    Point,
    Points,
    Styled,
    Table,
    TableBlock,
    section_labels,
)
from .table_rows import NUMBER_HEAD

Loc = tuple[Any, ...]

CONTENT_HEAD = re.compile(r"nội\s*dung|nhiệm\s*vụ|công\s*việc|tên\s*(?:nhiệm|hoạt|công)|hoạt\s*động", re.I)
LEAD_HEAD = re.compile(r"chủ\s*trì|người\s*thực\s*hiện|(?:đơn\s*vị|cơ\s*quan)\s*(?:thực\s*hiện|phụ\s*trách)|"
                       r"phụ\s*trách|thực\s*hiện", re.I)
NOT_LEAD = re.compile(r"phối\s*hợp|thời\s*gian|thời\s*hạn|kết\s*quả|sản\s*phẩm|theo\s*dõi", re.I)
TIME_HEAD = re.compile(r"thời\s*gian|thời\s*hạn|tiến\s*độ|thời\s*điểm", re.I)
GROUP_NUMBER = re.compile(r"^(?:[IVXLC]+|[A-ZĐ])\.?$")


@dataclass(frozen=True)
class PlanTask:
    """One task as the plan writes it."""

    key: str  # stable across sorting; written in the sheet's hidden column
    number: str  # STT as printed ("3"), or "" when the table has none
    section: str  # "II. NỘI DUNG THỰC HIỆN" or the appendix's title
    group: str  # the group's title, "" when the task is in no group
    content: str
    lead: str  # the Chủ trì cell as printed (several units on several lines)
    time: str  # the Thời hạn cell as written, "" when none
    loc: Loc | None = None  # where the row is in the data file; None when it came from a spreadsheet
    removable: bool = True  # a rollover may delete the row (no merged cell reaches into it)
    leads: tuple[str, ...] = field(default=())  # the lead units, one name each

    @property
    def where(self) -> str:
        return " / ".join(x for x in (self.section, self.group) if x)


def plain(plan: Plan, para: Paragraph | CellLines | CellSpec | None) -> str:
    """A paragraph's text without formatting; a citation as its type and number."""
    if para is None:
        return ""
    if isinstance(para, CellSpec):
        return plain(plan, para.text)
    if isinstance(para, CellLines):
        return "\n".join(plain(plan, x) for x in para.lines)
    if isinstance(para, str):
        return para
    out = []
    for seg in para:
        if isinstance(seg, Cite):
            refs = [plan.references[k] for k in seg.keys if k in plan.references]
            out.append("; ".join(
                ref.name or f"{ref.type} số {ref.number}"
                + (f"{'-' if ref.is_party else '/'}{ref.symbol}" if ref.symbol else "") for ref in refs))
        elif isinstance(seg, Styled):
            out.append(seg.text)
        elif isinstance(seg, Note):
            continue  # printed at the page's foot, no word of the task
        else:
            out.append(seg)
    return "".join(out)


BULLET = re.compile(r"^\s*[-–+•]\s*")
"""The dash or plus a drafter puts before each unit of a list."""

UNIT_HEAD = re.compile(
    r"^(?:UBND|HĐND|MTTQ|BCH|BCĐ|Ủy\s+ban|Uỷ\s+ban|Sở|Ban|Phòng|Trung\s+tâm|Công\s+an|Văn\s+phòng|Thanh\s+tra|"
    r"Bộ|Cục|Chi\s+cục|Tổng\s+cục|Vụ|Viện|Trường|Bệnh\s+viện|Đài|Báo|Kho\s+bạc|Ngân\s+hàng|Chi\s+nhánh|"
    r"(?:Tổng\s+)?[Cc]ông\s+ty|Hội(?:\s+đồng)?|Liên\s+đoàn|Đoàn|Mặt\s+trận|Tỉnh\s+(?:ủy|uỷ|đoàn)|"
    r"(?:Huyện|Thành|Đảng|Thị)\s+(?:ủy|uỷ)|Chi\s+bộ|Tòa\s+án|Toà\s+án|Hạt|Đội|Đồn|Trạm|Cơ\s+quan|Các|"
    r"Tổ\s+(?:công\s+tác|giúp\s+việc)|Thường\s+trực|Lãnh\s+đạo|Giám\s+đốc|Chủ\s+tịch|Phó|"
    r"Bảo\s+hiểm|Liên\s+minh|Điện\s+lực|Bưu\s+điện|Viễn\s+thông|Hiệp\s+hội|Tập\s+đoàn)\b")
"""How the name of an agency or office begins (its kind, capitalised): a line that begins so is a
unit of its own. The words that continue a wrapped name ("Đào tạo", "Xã hội", "Du lịch") are none
of these."""

JOINING_END = re.compile(r"(?:\b(?:và|của|với|thuộc|về|cho|tại|trong)|[-–&(])$")
"""A line that ends so is cut in the middle of a name: the next line continues it."""

JOINING_START = re.compile(r"^(?:[&),–]|-\S)")
"""A line that starts so continues the line above ("& Đào tạo", "), …")."""

TABLE_SIZE_PT = 12.0
"""The size table text prints in (the template's table styles; offices use 12–13 pt)."""

CELL_PADDING_PT = 2 * 5.4
"""Word's default cell margins, left and right (108 twips each)."""


def split_units(cell: str, room_pt: float | None = None) -> tuple[str, ...]:
    """The units a Chủ trì cell names ("- A;\\n- B." → A, B).

    Units are separated by ";" or listed one per line. A line of the cell is not always a unit:
    a name too long for a narrow column is typed over two lines ("Sở Giáo dục và" / "Đào tạo")
    and prints as one name. What the page shows tells them apart, not which words a name starts
    with: a line starts a new unit when it has a "-" or "+" bullet, or the line before ends with
    ";"; it continues the line before when it starts in lower case ("Ủy ban nhân dân" / "các xã")
    or the line before ends with a joining word or mark ("và", "của", "-", "&"), and in a bulleted
    list when it has no bullet. Otherwise: a line that begins with a kind of body (Sở, Ban, Phòng,
    UBND…) is a unit of its own; a line under one ending in "," continues it ("Sở Lao động," /
    "Thương binh và Xã hội"); and, the column's width known (room_pt, the text width of the cell),
    a break where the line above was full (its words and the next word do not fit on one line) is
    where Word would have wrapped: the same name goes on; a break where the next word would still
    have fit is the drafter's Enter after a whole name: a new unit — unless the name began with a
    kind of body: such names are broken where the drafter likes, and stay whole.
    """
    lines = [x.strip() for x in cell.split("\n") if x.strip()]
    bulleted = any(BULLET.match(x) for x in lines)
    names: list[str] = []
    previous = ""
    for line in lines:
        if names and not _starts_unit(previous, line, bulleted, room_pt, names[-1]):
            names[-1] = f"{names[-1]} {line}"
        else:
            names.append(line)
        previous = line
    out: list[str] = []
    for name in names:
        for p in name.split(";"):
            p = BULLET.sub("", p).strip().rstrip(".;,").strip()
            if p and p not in out:
                out.append(p)
    return tuple(out)


def _starts_unit(before: str, line: str, bulleted: bool, room_pt: float | None, unit: str = "") -> bool:
    """Whether a line of a lead cell begins a unit of its own (see split_units); before is the
    cell's line above it, unit the name it is part of so far."""
    if BULLET.match(line):
        return True
    if bulleted:
        return False  # the list marks each unit: a line without a bullet is the rest of a name
    end = before.rstrip()
    if end.endswith(";"):
        return True
    first = next((c for c in line if c.isalpha()), "")
    if first.islower() or JOINING_END.search(end.rstrip(" .")) or JOINING_START.match(line):
        return False
    if UNIT_HEAD.match(line):
        return True
    if end.endswith(","):
        return False
    if room_pt is None or UNIT_HEAD.match(unit):
        # Nothing tells: the line goes on the name above, as typed. A name that began with a kind
        # of body is not ended by a short line either: drafters break such names where they like
        # ("Hội Liên hiệp" / "Phụ nữ tỉnh", "Bộ Chỉ huy" / "Quân sự tỉnh"); a unit of another kind
        # under it still starts with its own kind (above).
        return False
    return not _was_full(end, line, room_pt)


def _was_full(before: str, line: str, room_pt: float) -> bool:
    """Whether the line above fills the column, with no room left for the next line's first word:
    Enter pressed where Word would have wrapped, inside a name. A line above wider than the column
    wraps by itself: the drafter had no need of Enter to go on with it, so Enter there ended it.
    Measured at the table's size, with a margin for text set a point larger."""
    room = room_pt * TABLE_SIZE_PT / (TABLE_SIZE_PT + 1)
    width = text_width_pt(before, TABLE_SIZE_PT)
    return 0.85 * room <= width <= room_pt and text_width_pt(f"{before} {line.split()[0]}", TABLE_SIZE_PT) > room


def column_room(table: Table, column: int, landscape: bool) -> float | None:
    """The text width (pt) of a table column as printed: its share of the page's text width, less
    the cell's margins. None when the table gives no width for it."""
    widths = [c.width for c in table.columns]
    if not 0 <= column < len(widths) or not sum(widths):
        return None
    text = (LANDSCAPE_TEXT_WIDTH_TWIPS if landscape else TEXT_WIDTH_TWIPS) / 20
    return max(text * widths[column] / sum(widths) - CELL_PADDING_PT, 1.0)


class _Collector:
    def __init__(self, plan: Plan):
        self.plan = plan
        self.tasks: list[PlanTask] = []
        self.seen: dict[str, int] = {}

    def add(self, *, number: str, section: str, group: str, content: str, lead: str, time: str,
            loc: Loc | None, removable: bool = True, leads: tuple[str, ...] | None = None,
            room_pt: float | None = None) -> None:
        content = content.strip()
        if not content:
            return
        digest = hashlib.sha1(re.sub(r"\s+", " ", content.casefold()).encode()).hexdigest()[:10]
        n = self.seen.get(digest, 0) + 1
        self.seen[digest] = n
        key = f"NV-{digest}" + (f"-{n}" if n > 1 else "")
        self.tasks.append(PlanTask(key, number, section, group, content, lead.strip(), time.strip(), loc,
                                   removable, leads if leads is not None else split_units(lead, room_pt)))

    # --- the body -------------------------------------------------------------------------------

    def blocks(self, blocks: list[Any], loc: Loc, section: str) -> None:
        for i, block in enumerate(blocks):
            at = loc + (i,)
            if isinstance(block, TableBlock):
                self.table(block.table, at + ("table",), section, "")
            elif isinstance(block, Clause):
                self.blocks(block.blocks, at + ("blocks",), section)
            elif isinstance(block, Heading):
                self.blocks(block.blocks, at + ("blocks",), section)
            elif isinstance(block, Points):
                for j, point in enumerate(block.points):
                    if isinstance(point, Point):
                        self.blocks(point.blocks, at + ("points", j, "blocks"), section)

    # --- tables ---------------------------------------------------------------------------------

    def table(self, table: Table, loc: Loc | None, section: str, group: str, landscape: bool = False) -> None:
        titles = [plain(self.plan, c.title) for c in table.columns]
        content = next((i for i, t in enumerate(titles) if CONTENT_HEAD.search(t) and not LEAD_HEAD.search(t)
                        and not TIME_HEAD.search(t)), None)
        if content is None:
            content = next((i for i, t in enumerate(titles) if CONTENT_HEAD.search(t)), None)
        lead = next((i for i, t in enumerate(titles) if re.search(r"chủ\s*trì", t, re.I)), None)
        if lead is None:
            lead = next((i for i, t in enumerate(titles) if i != content and LEAD_HEAD.search(t)
                         and not NOT_LEAD.search(t)), None)
        time = next((i for i, t in enumerate(titles) if i != content and TIME_HEAD.search(t)), None)
        if content is None or (lead is None and time is None):
            return  # not a task table (a budget, a list of units…)
        if lead is None and time is not None and _a_programme(
                self.plan, _TableWalk(self, table, None, section, content, lead, time, None), time):
            return  # a day's programme ("7 giờ 30 | Khai mạc"): what happens when, not tasks to report on
        stt = 0 if (titles and NUMBER_HEAD.match(titles[0].strip()) and content != 0) else None
        if table.sheet is not None:
            loc = None  # its rows live in the spreadsheet, not in the data file
        walker = _TableWalk(self, table, loc, section, content, lead, time, stt)
        walker.lead_room = column_room(table, lead, landscape) if lead is not None else None
        walker.rows(table.rows, loc + ("rows",) if loc is not None else None, group, 0)


CLOCK_RE = re.compile(r"^(?:từ\s+)?\d{1,2}\s*(?:giờ|h|g|:)\s*(?:\d{2})?(?:\s*(?:phút|'))?"
                      r"(?:\s*[-–đến]+\s*\d{1,2}\s*(?:giờ|h|g|:)\s*(?:\d{2})?(?:\s*phút)?)?$", re.I)
"""A time of day as a programme prints it: "7 giờ 30", "7h30", "08:00", "14 giờ - 16 giờ"."""


def _a_programme(plan: Plan, walk: _TableWalk, time: int) -> bool:
    """Whether a table with a time column and no lead column is a day's programme: every time cell
    filled is a time of day (no deadline, no date)."""
    placed = [walk.place(row)[0] for row in _plain_rows(walk.table.rows)]
    cells = [plain(plan, cells[time]).strip() for cells in placed if time in cells]
    cells = [c for c in cells if c]
    return bool(cells) and all(CLOCK_RE.match(c) for c in cells)


def _plain_rows(rows: list[Any]) -> list[list[Any]]:
    """The rows of a table, groups opened, each a list of its cells (a merged cell once)."""
    out: list[list[Any]] = []
    for row in rows:
        if isinstance(row, Group):
            out += _plain_rows(row.rows)
        else:
            out.append(list(row))
    return out


class _TableWalk:
    """Rows of one task table placed on the grid of columns (spans and rowspans), STT counted as
    the renderer counts it."""

    def __init__(self, out: _Collector, table: Table, loc: Loc | None, section: str,
                 content: int, lead: int | None, time: int | None, stt: int | None):
        self.out, self.table, self.section = out, table, section
        self.content, self.lead, self.time, self.stt = content, lead, time, stt
        self.ncols = len(table.columns)
        self.counter = 0
        self.carry: dict[int, list[Any]] = {}  # column -> [rows left, text]
        self.lead_room: float | None = None  # the lead column's text width (pt), when known

    def rows(self, rows: list[Any], loc: Loc | None, group: str, level: int) -> None:
        for i, row in enumerate(rows):
            at = loc + (i,) if loc is not None else None
            if isinstance(row, Group):
                title = plain(self.out.plan, row.group)
                if self.table.numbering == "restart":
                    self.counter = 0
                self.rows(row.rows, at + ("rows",) if at is not None else None,
                          group if level > 0 and group else title, level + 1)
                continue
            cells, touched = self.place(row)
            texts = {c: plain(self.out.plan, v) for c, v in cells.items()}
            filled = [t.strip() for t in texts.values() if t.strip()]
            if len(filled) >= 2 and all(re.fullmatch(r"\(?\d{1,2}\)?", t) for t in filled):
                continue  # the row numbering the columns: (1), (2), (3)…
            if self.group_row(texts):
                title = " ".join(t for c, t in sorted(texts.items()) if c != self.stt and t.strip())
                group = title.strip()
                continue
            number = ""
            if self.table.numbered:
                self.counter += 1
                number = str(self.counter)
            elif self.stt is not None:
                number = texts.get(self.stt, "").strip()
            self.out.add(number=number, section=self.section, group=group,
                         content=texts.get(self.content, ""),
                         lead=texts.get(self.lead, "") if self.lead is not None else "",
                         time=texts.get(self.time, "") if self.time is not None else "",
                         loc=at, removable=not touched, room_pt=self.lead_room)

    def place(self, row: list[Any]) -> tuple[dict[int, Any], bool]:
        """The row's cells by column; touched: a merged-down cell starts in or reaches into it."""
        cells: dict[int, Any] = {}
        touched = False
        col = 1 if self.table.numbered else 0
        used_carry = set()

        def take_carried() -> None:
            nonlocal col, touched
            while col in self.carry:
                cells[col] = self.carry[col][1]
                used_carry.add(col)
                touched = True
                col += 1

        for cell in row:
            take_carried()
            span = cell.span if isinstance(cell, CellSpec) else 1
            rowspan = cell.rowspan if isinstance(cell, CellSpec) else 1
            cells[col] = cell
            if rowspan > 1:
                touched = True
                for c in range(col, col + span):
                    self.carry[c] = [rowspan - 1, cell]
            col += span
        take_carried()
        for c in used_carry:
            self.carry[c][0] -= 1
            if self.carry[c][0] <= 0:
                del self.carry[c]
        return cells, touched

    def group_row(self, texts: dict[int, str]) -> bool:
        """A group written as a row: "I" in the STT cell, or one cell of text across the row."""
        filled = {c: t.strip() for c, t in texts.items() if t.strip()}
        if not filled:
            return False
        if self.stt is not None and GROUP_NUMBER.match(filled.get(self.stt, "")):
            return True
        return len(filled) == 1 and self.content not in filled and self.stt not in filled or (
            len(filled) == 1 and re.match(r"^[IVXLC]+\.\s", next(iter(filled.values()))) is not None)


def _appendix_label(app: Appendix, index: int, count: int) -> str:
    title = app.title if not (count > 1 and app.title == "Phụ lục") else f"Phụ lục {roman(index)}"
    label = upper_vi(title) if app.upper else title
    if app.subtitle:
        label += ": " + " ".join(app.subtitle)
    return label


def plan_tasks(plan: Plan) -> list[PlanTask]:
    """Every task of the plan in print order: task tables of the body, then the appendices."""
    out = _Collector(plan)
    # A mục's label as printed (its part's first line before it in a plan with parts: two parts may
    # both have a mục I), so the progress sheet and the report never merge two mục.
    for si, (section, label) in enumerate(zip(plan.sections, section_labels(plan.sections), strict=True)):
        out.blocks(list(section.clauses), ("sections", si, "clauses"), label)
        out.blocks(list(section.blocks), ("sections", si, "blocks"), label)
    for ai, app in enumerate(plan.appendices):
        label = _appendix_label(app, ai + 1, len(plan.appendices))
        at: Loc = ("appendices", ai)
        if app.groups is not None:
            for gi, group in enumerate(app.groups):
                for ti, task in enumerate(group.tasks):
                    names = tuple(plan.units[r].name if r in plan.units else r for r in task.lead)
                    out.add(number=str(ti + 1), section=label, group=group.title,
                            content=plain(plan, task.content), lead="\n".join(names), time=task.time or "",
                            loc=at + ("groups", gi, "tasks", ti), leads=names)
        elif app.table is not None:
            out.table(app.table, at + ("table",), label, "", app.landscape)
        elif app.blocks is not None:
            out.blocks(app.blocks, at + ("blocks",), label)
    return out.tasks
