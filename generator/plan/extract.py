"""Internal copies of a plan for one phòng/đơn vị: its role in each task, the full plan addressed to
it, or an extract whose catalogue keeps only the tasks it leads (chủ trì) or supports (phối hợp).

Which cell entries name a unit (README, "Bản gửi phòng, đơn vị"):
- its own key ("hcth");
- a key listed in its `member_of` (collective units such as "phong_thuoc_so" = "Các phòng, đơn
  vị thuộc Sở", which the unit belongs to);
- free text (not a declared key) containing, case-insensitively, the full name of the unit or of one
  of its `member_of` units ("Phòng Hành chính - Tổng hợp và các phòng, đơn vị có liên quan").
A unit named in the lead cell is Chủ trì, otherwise in the support cell Phối hợp.

The extract is built on the validated plan, so group numbers (I, II…) and STT are recomputed by the
context builder as for any plan, and groups left without tasks are dropped.
"""

from __future__ import annotations

from enum import Enum

from .model import Appendix, Paragraph, Plan, Task


class Role(str, Enum):
    lead = "Chủ trì"
    support = "Phối hợp"


def _names_unit(plan: Plan, ref: str, keys: set[str], names: list[str]) -> bool:
    if ref in keys:
        return True
    if ref in plan.units:
        return False  # another declared unit
    text = ref.casefold()
    return any(name in text for name in names)


def task_role(plan: Plan, task: Task, unit: str, member_of: tuple[str, ...] = ()) -> Role | None:
    """The unit's role in a task, or None when neither cell names it."""
    keys = {unit, *member_of}
    names = [plan.units[k].name.casefold() for k in keys if k in plan.units]
    if any(_names_unit(plan, r, keys, names) for r in task.lead):
        return Role.lead
    if any(_names_unit(plan, r, keys, names) for r in task.support):
        return Role.support
    return None


def _with_suffix(content: Paragraph, suffix: str) -> Paragraph:
    if isinstance(content, str):
        return content + suffix
    return [*content, suffix]


def extract_appendix(plan: Plan, app: Appendix, unit: str, member_of: tuple[str, ...]) -> Appendix | None:
    """The appendix with only the unit's tasks, each marked with its role on a line of its own
    under the content, and the subtitle saying whose extract it is; None when the unit has no task
    in it. A table or text appendix has no tasks to pick from and is sent whole.

    Why validated again: an extract is a plan like any other, and must pass the same rules."""
    if app.groups is None:
        return app
    groups = []
    for group in app.groups or []:
        tasks = []
        for task in group.tasks:
            role = task_role(plan, task, unit, member_of)
            if role is not None:
                tasks.append(task.model_copy(update={"content": _with_suffix(task.content, f"\n({role.value})")}))
        if tasks:
            groups.append({"title": group.title, "tasks": [t.model_dump() for t in tasks]})
    if not groups:
        return None
    note = f"(Trích các nhiệm vụ {plan.units[unit].name} chủ trì hoặc phối hợp thực hiện)"
    subtitle = [*app.subtitle, note] if app.subtitle else [note]
    return Appendix.model_validate({**app.model_dump(exclude_unset=True), "groups": groups, "subtitle": subtitle})


def addressed_to(plan: Plan, unit: str) -> Plan:
    """The plan with the unit first in Nơi nhận (unless it is already listed)."""
    if unit in plan.recipients or plan.units[unit].name in plan.recipients:
        return plan
    return plan.model_copy(update={"recipients": [unit, *plan.recipients]})


def internal_copy(plan: Plan, unit: str, *, extract: bool, member_of: tuple[str, ...] = ()) -> Plan:
    """The copy a phòng/đơn vị receives: the full plan, or the extract of its tasks."""
    plan = addressed_to(plan, unit)
    if not extract:
        return plan
    extracted = [extract_appendix(plan, app, unit, member_of) for app in plan.appendices]
    return plan.model_copy(update={"appendices": [app for app in extracted if app is not None]})


def extract_is_empty(full: Plan, copy: Plan) -> bool:
    """The full plan had a task catalogue and the unit's extract kept none of it."""
    return any(app.groups for app in full.appendices) and not any(app.groups for app in copy.appendices)
