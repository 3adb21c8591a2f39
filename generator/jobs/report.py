"""`kehoach report`: the Báo cáo kết quả thực hiện Kế hoạch as a data file, counted from the plan and
its filled progress sheets.

Why a data file and not a .docx: the drafter writes the assessment (đánh giá, phương hướng) and
adjusts the wording; the counts, the overdue list and the statistics annex are already in it. The
file is a plan data file of type "Báo cáo" (BC), so `kehoach render`, `check` and the editor take it
as they take a plan, through the same template.

How a task is counted on the report's day (as_of), each in exactly one column:
- hoàn thành đúng hạn: Hoàn thành, on or before its due day (or no day to be late against);
- hoàn thành trễ hạn: Hoàn thành after its due day;
- quá hạn: not Hoàn thành and its due day has passed;
- đang thực hiện / chưa thực hiện: the others, as the unit says (a task no sheet reports is
  chưa thực hiện).
Recurring deadlines ("Thường xuyên") and unreadable ones are never overdue; unreadable ones are
listed for the drafter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import DataError, InternalError, OutputExistsError, UserError
from ..plan.deadlines import Deadline, plan_year, read_deadline
from ..plan.loader import load_plan, parse_yaml, validate
from ..plan.model import Plan, section_labels
from ..plan.tasks import PlanTask, plan_tasks
from ..word.package import AlreadyThere, publish
from .progress import (
    DOING,
    DONE,
    Progress,
    Report,
    by_unit,
    decision_cited,
    folder_target,
    plan_label,
    read_progress,
    said_day,
    unit_names,
    unreadable_deadlines,
    vi_day,
)

ON_TIME, LATE, DOING_STATE, TODO_STATE, OVERDUE = "on_time", "late", "doing", "todo", "overdue"
COLUMNS = {ON_TIME: "Hoàn thành đúng hạn", LATE: "Hoàn thành trễ hạn", DOING_STATE: "Đang thực hiện",
           TODO_STATE: "Chưa thực hiện", OVERDUE: "Quá hạn chưa hoàn thành"}


def percent(part: int, whole: int) -> str:
    """"22,45" for 11 of 49: two decimals at most, a decimal comma, no trailing zeros."""
    if whole == 0:
        return "0"
    text = f"{part * 100 / whole:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


vi_date = vi_day


def subject_lines(*lines: str) -> list[str]:
    """The Báo cáo's trích yếu as lines the data file gives: the office's break after the plan's
    name kept, and a line wider than the trích yếu's column ("về <the plan's whole trích yếu>")
    broken between words into balanced lines, as a văn thư breaks it. Lines given in the data are
    printed as given, so one too wide would be wrapped by Word anywhere ("của Sở / Khoa học …") and
    warned about by `kehoach check` of the very file this command wrote."""
    from ..document.line_breaks import balanced_lines, columns

    column = columns()["subject"]
    return [part for line in lines for part in balanced_lines(line, column)]


@dataclass(frozen=True)
class TaskState:
    task: PlanTask
    deadline: Deadline
    state: str  # one of COLUMNS
    report: Report | None


@dataclass
class Counts:
    total: int = 0
    by_state: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COLUMNS, 0))

    def add(self, state: str) -> None:
        self.total += 1
        self.by_state[state] += 1

    @property
    def done(self) -> int:
        return self.by_state[ON_TIME] + self.by_state[LATE]

    @property
    def rate(self) -> str:
        return percent(self.done, self.total)

    def sentence(self) -> str:
        """"hoàn thành 11/49 nhiệm vụ (đạt 22,45%)"."""
        return f"hoàn thành {self.done}/{self.total} nhiệm vụ (đạt {self.rate}%)"


@dataclass
class ReportResult:
    output: Path
    as_of: dt.date
    states: list[TaskState]
    total: Counts
    warnings: list[str] = field(default_factory=list)

    @property
    def overdue(self) -> list[TaskState]:
        return [s for s in self.states if s.state == OVERDUE]

    @property
    def unreadable(self) -> list[TaskState]:
        return [s for s in self.states if s.deadline.kind == "unreadable"]


def classify(task: PlanTask, deadline: Deadline, report: Report | None, as_of: dt.date) -> str:
    status = report.status if report else ""
    if status == DONE:
        if deadline.kind == "date" and deadline.due and report and report.done_on and report.done_on > deadline.due:
            return LATE
        return ON_TIME
    if deadline.overdue(as_of):
        return OVERDUE
    return DOING_STATE if status == DOING else TODO_STATE


def task_states(plan: Plan, tasks: list[PlanTask], progress: Progress, as_of: dt.date) -> list[TaskState]:
    year = plan_year(plan.subject_text, plan.year)
    out = []
    for t in tasks:
        deadline = read_deadline(t.time, year)
        report = progress.by_key.get(t.key)
        out.append(TaskState(t, deadline, classify(t, deadline, report, as_of), report))
    return out


def _lower_first(text: str) -> str:
    words = text.split()
    if len(words) >= 2 and words[0][:1].isupper() and not words[0].isupper() and words[1][:1].islower():
        return text[:1].lower() + text[1:]
    return text


def _unit_counts(states: list[TaskState], names: dict[str, str]) -> dict[str, Counts]:
    units: dict[str, tuple[str, Counts]] = {}
    for s in states:
        # A unit written twice in one cell ("TCCB" and its name) counts the task once.
        for key, unit in dict(by_unit(s.task.leads or ("Chưa ghi đơn vị chủ trì",), names)).items():
            units.setdefault(key, (unit, Counts()))[1].add(s.state)
    return dict(units.values())


def _count_row(number: str, name: str, c: Counts) -> list[Any]:
    return [number, name, str(c.total), *(str(c.by_state[k]) for k in COLUMNS), f"{c.rate}%"]


def report_data(plan: Plan, states: list[TaskState], as_of: dt.date) -> dict[str, Any]:
    """The Báo cáo as data (what the YAML file holds)."""
    from ..document.context import symbol

    label = plan_label(plan)
    total = Counts()
    for s in states:
        total.add(s.state)
    day = vi_date(as_of)
    about = _lower_first(plan.subject_text)
    ref: dict[str, Any] = {"type": plan.type.value}
    if plan.number is not None and plan.date.complete:
        ref.update(number=plan.number, symbol=symbol(plan), subject=about,
                   date=dt.date(plan.date.year, plan.date.month or 1, plan.date.day or 1).isoformat())
        subject = subject_lines(f"Kết quả thực hiện {label}", f"về {about}")
    elif (decision := decision_cited(plan)) is not None:  # issued under its decision's number
        ref.update(name=label, issuer=decision[1] or plan.agency.running_name, subject=about)
        subject = subject_lines(f"Kết quả thực hiện {label}", f"về {about}")
    else:  # a plan not issued yet has no number to cite: it is named by its trích yếu
        ref["name"] = f"{plan.type.value} {about}"
        subject = [f"Kết quả thực hiện {plan.type.value} {about}"]
    b = total.by_state
    overview = (f"{plan.type.value} đề ra {total.total} nhiệm vụ. Tính đến ngày {day}, đã {total.sentence()}, "
                f"trong đó {b[ON_TIME]} nhiệm vụ hoàn thành đúng hạn, {b[LATE]} nhiệm vụ hoàn thành trễ hạn; "
                f"{b[DOING_STATE]} nhiệm vụ đang thực hiện; {b[TODO_STATE]} nhiệm vụ chưa thực hiện (chưa đến hạn); "
                f"{b[OVERDUE]} nhiệm vụ quá hạn chưa hoàn thành.")

    # Results mirroring the plan: its sections (or appendices), then its groups, in plan order.
    sections: dict[str, dict[str, list[TaskState]]] = {}
    for s in states:
        sections.setdefault(s.task.section, {}).setdefault(s.task.group, []).append(s)

    def part(title: str, members: list[TaskState]) -> dict[str, Any]:
        c = Counts()
        for s in members:
            c.add(s.state)
        items = []
        for s in members:
            if s.state in (ON_TIME, LATE) or (s.report and s.report.result):
                text = s.task.content.rstrip(" .;:")
                if s.report and s.report.result:
                    text += ": " + s.report.result.strip()
                items.append(text.replace("\n", " ") + ("" if s.state in (ON_TIME, LATE) else
                                                        f" ({COLUMNS[s.state].lower()})"))
        clause: dict[str, Any] = {"clause": title, "text": f"Đã {c.sentence()}."}
        if items:  # "- …;" and the last "- … .", as a list of items ends
            ended = [i.rstrip(" .;:") + ";" for i in items]
            ended[-1] = ended[-1][:-1] + "."
            clause["blocks"] = [{"items": ended}]
        return clause

    # A task knows its mục as printed ("III. MỘT SỐ HOẠT ĐỘNG …"); as a khoản of the report it is
    # "2.1. Một số hoạt động …": the mục's own title, without its numeral and capitals.
    heads = {label: sec.title for label, sec in zip(section_labels(plan.sections), plan.sections, strict=True)}
    results: list[dict[str, Any]] = []
    for section, groups in sections.items():
        parts = [part(g or heads.get(section, section), members) for g, members in groups.items()]
        if len(sections) > 1 and any(groups):
            members = [s for g in groups.values() for s in g]
            whole = part(heads.get(section, section), members)
            whole.pop("blocks", None)
            whole["blocks"] = parts
            results.append(whole)
        else:
            results.extend(parts)

    overdue = [s for s in states if s.state == OVERDUE]
    if overdue:
        late_blocks: list[Any] = [
            f"Có {len(overdue)} nhiệm vụ quá hạn chưa hoàn thành:",
            {"table": {
                "columns": [{"title": "STT", "width": 1.4, "align": "center"}, {"title": "Nhiệm vụ", "width": 7},
                            {"title": "Đơn vị chủ trì", "width": 3.6}, {"title": "Thời hạn", "width": 3.4},
                            {"title": "Tình trạng", "width": 2.6, "align": "center"}],
                "numbered": True,
                "rows": [[s.task.content, s.task.lead or None, s.task.time or None,
                          s.report.status if s.report else "Chưa báo cáo"] for s in overdue],
            }},
        ]
    else:
        late_blocks = [f"Tính đến ngày {day}, không có nhiệm vụ quá hạn chưa hoàn thành."]

    by_lead = _unit_counts(states, unit_names(plan))
    unit_rows = [_count_row(str(i), name, c) for i, (name, c) in enumerate(by_lead.items(), 1)]
    group_counts: dict[str, Counts] = {}
    for s in states:
        group_counts.setdefault(s.task.group or heads.get(s.task.section, s.task.section), Counts()).add(s.state)
    group_rows = [_count_row(str(i), name, c) for i, (name, c) in enumerate(group_counts.items(), 1)]
    total_row = [{"text": "Tổng cộng", "span": 2, "bold": True},
                 *({"text": v, "bold": True} for v in _count_row("", "", total)[2:])]
    annex = {
        "title": "Phụ lục",
        "subtitle": ["THỐNG KÊ KẾT QUẢ THỰC HIỆN NHIỆM VỤ", f"(Tính đến ngày {day})"],
        "table": {
            "columns": [{"title": "STT", "width": 1.2, "align": "center"},
                        {"title": "Nhóm nhiệm vụ, đơn vị chủ trì", "width": 7},
                        {"title": "Số nhiệm vụ", "width": 1.6, "align": "center"},
                        *({"title": t, "width": 1.9, "align": "center"} for t in COLUMNS.values()),
                        {"title": "Tỷ lệ hoàn thành", "width": 1.9, "align": "center"}],
            "group_caps": False,
            "rows": [{"group": "Theo nhóm nhiệm vụ", "number": "I", "rows": group_rows},
                     {"group": "Theo đơn vị chủ trì (nhiệm vụ nhiều đơn vị chủ trì được tính cho mỗi đơn vị)",
                      "number": "II", "rows": unit_rows},
                     total_row],
        },
    }
    data: dict[str, Any] = {
        "type": "Báo cáo",
        # The Báo cáo is the lead agency's, signed by the plan's signer alone: a joint plan's other
        # agencies (co_issuers, co_signers) are not carried over.
        "agency": plan.agency.model_dump(mode="json", exclude_none=True, exclude_defaults=True,
                                         exclude={"co_issuers"}),
        "date": f"{as_of.year}-{as_of.month:02d}",
        "subject": subject,
        "units": {k: v.model_dump(mode="json", exclude_none=True) for k, v in plan.units.items()},
        "references": {"ke_hoach": ref},
        "opening": [["Thực hiện ", {"cite": "ke_hoach"},
                     f", {plan.agency.running_name} báo cáo kết quả thực hiện tính đến ngày {day} như sau:"]],
        "sections": [
            {"title": "Kết quả thực hiện", "blocks": [
                {"clause": "Kết quả chung", "blocks": [overview]},
                {"clause": "Kết quả thực hiện từng nội dung", "blocks": results},
            ]},
            {"title": "Nhiệm vụ quá hạn chưa hoàn thành", "blocks": late_blocks},
            {"title": "Đánh giá chung", "blocks": [
                {"clause": "Ưu điểm", "text": "(Người soạn viết đánh giá kết quả đạt được.)"},
                {"clause": "Tồn tại, hạn chế và nguyên nhân",
                 "text": "(Người soạn viết tồn tại, hạn chế và nguyên nhân, nhất là của các nhiệm vụ quá hạn.)"},
            ]},
            {"title": "Phương hướng, nhiệm vụ thời gian tới", "blocks": [
                "(Người soạn viết phương hướng, nhiệm vụ và kiến nghị, đề xuất.)"]},
        ],
        "recipients": list(plan.recipients),
        "archive": list(plan.archive),
        "signer": plan.signer.model_dump(mode="json", exclude_none=True, exclude_defaults=True),
        "appendices": [annex],
    }
    return data


HEADER = """\
# Báo cáo kết quả thực hiện {label}, tính đến ngày {day}.
# Tạo bằng: kehoach report. Số liệu (số nhiệm vụ, tỷ lệ, nhiệm vụ quá hạn, phụ lục thống kê) tính từ
# bảng tiến độ đã điền; người soạn viết các đoạn trong ngoặc "(Người soạn …)", sửa nơi nhận, người ký,
# rồi tạo văn bản bằng: kehoach render {name}
"""


def to_yaml(data: dict[str, Any], header: str) -> str:
    import yaml

    return header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1_000_000,
                                   default_flow_style=False)


def build_report(data: str | Path, sheets: Iterable[str | Path], as_of: dt.date | str,
                 out: str | Path) -> ReportResult:
    """Count the plan's tasks from the filled sheets and write the Báo cáo data file (never over a
    file). The library call behind `kehoach report`."""
    if isinstance(as_of, str):
        as_of = parse_as_of(as_of)
    out = folder_target(data, out, "bao-cao-", ".yaml")
    if out.suffix.lower() not in (".yaml", ".yml"):
        raise UserError(f"{out}: tệp báo cáo là tệp dữ liệu, phải có đuôi .yaml (hoặc -o là một thư mục có sẵn)")
    plan = load_plan(data)
    if plan.dossier is not None:  # a plan whose dossier is issued goes out under its decision
        from .dossier import issued_plan  # dossier imports progress, which this module imports

        plan = issued_plan(plan)
    tasks = plan_tasks(plan)
    if not tasks:
        raise UserError(f"{data}: kế hoạch không có nhiệm vụ nào để báo cáo")
    progress = read_progress(plan, sheets, tasks=tasks, as_of=as_of)
    if not progress.by_key:
        # Sheets sent out but none filled in yet: a Báo cáo counting every task "chưa thực hiện"
        # would be a document with wrong figures, not a report.
        names = ", ".join(Path(p).name for p in progress.sheets)
        raise UserError(f"{names}: chưa có nhiệm vụ nào được báo tình trạng (cột Tình trạng còn trống ở mọi hàng); "
                        "báo cáo cần các bảng đơn vị đã điền: chọn Tình trạng cho từng nhiệm vụ rồi chạy lại. "
                        "Chưa tạo tệp nào")
    states = task_states(plan, tasks, progress, as_of)
    content = report_data(plan, states, as_of)
    text = to_yaml(content, HEADER.format(label=plan_label(plan), day=vi_date(as_of), name=out.name))
    try:
        validate(parse_yaml(text, str(out)))
    except DataError as exc:  # ours, not the user's: say so, write nothing
        raise InternalError("báo cáo tạo ra không hợp lệ (lỗi của kehoach, xin báo lại):\n"
                        + "\n".join(str(p) for p in exc.problems)) from None
    try:
        publish(out, text.encode("utf-8"), replace=False)
    except AlreadyThere:
        raise OutputExistsError(f"{out}: tệp đã có (có thể người soạn đã viết đánh giá trong đó); kehoach không "
                                "ghi đè: hãy chọn tên khác với -o") from None
    total = Counts()
    for s in states:
        total.add(s.state)
    warnings = list(progress.warnings) + unreadable_deadlines(plan, tasks)
    year = plan_year(plan.subject_text, plan.year)
    if year and not year - 1 <= as_of.year <= year + 1:
        # 30/9/2052 for 30/9/2025: every dated task counted overdue, a year typed wrong.
        warnings.append(f"ngày báo cáo {said_day(as_of)} cách xa năm {year} của kế hoạch; kiểm tra lại năm đã gõ "
                        "ở --as-of (mọi nhiệm vụ có thời hạn trước ngày đó được tính quá hạn)")
    unreported = sum(1 for s in states if s.report is None)
    if unreported:
        warnings.append(f"{unreported} nhiệm vụ chưa có đơn vị nào báo cáo tình trạng (tính là chưa thực hiện)")
    return ReportResult(out, as_of, states, total, warnings)


def parse_as_of(text: str) -> dt.date:
    """--as-of: 2026-06-30 or 30/6/2026."""
    from .progress import parse_day, unreadable_day

    day = parse_day(text.strip())
    if day is None:
        raise UserError(f"ngày báo cáo “{text}” {unreadable_day(text)}; ghi dạng ngày/tháng/năm, ví dụ 30/06/2026 "
                        "(hoặc 2026-06-30)")
    return day
