"""Checks that span fields: citations point at declared references, unit keys at declared units."""

from __future__ import annotations

import difflib
from collections.abc import Container, Iterator
from typing import Any

from pydantic import BaseModel

from .model import UNIT_KEY, Cite, Plan, models_in

Finding = tuple[tuple[str | int, ...], Any, str]


def cites(value: Any, loc: tuple[str | int, ...] = (),
          skip: Container[int] = frozenset()) -> Iterator[tuple[tuple[str | int, ...], Cite]]:
    """Every citation anywhere in the plan (body, khoản, tables, appendices), with its location;
    not in the models whose id is in skip.

    Why a walk over the model and not a list of fields: blocks nest (khoản in khoản, points with
    blocks, tables in a text appendix), and a new structure must not escape the check."""
    if isinstance(value, Cite):
        yield loc, value
    elif isinstance(value, BaseModel):
        if id(value) in skip:
            return
        for name in type(value).model_fields:
            if name not in ("references", "units"):
                yield from cites(getattr(value, name), loc + (name,), skip)
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            yield from cites(v, loc + (i,), skip)


def unit_refs(plan: Plan, skip: Container[int] = frozenset()) -> Iterator[tuple[tuple[str | int, ...], str]]:
    for i, r in enumerate(plan.recipients):
        yield ("recipients", i), r
    for i, r in enumerate(plan.archive):
        yield ("archive", i), r
    if plan.dossier is not None:  # the Tờ trình's, the Quyết định's and the comment table's units
        d = plan.dossier
        lists = [(("dossier", "submission", "recipients"), d.submission.recipients),
                 (("dossier", "submission", "archive"), d.submission.archive),
                 (("dossier", "submission", "addressee"), d.submission.addressee or []),
                 (("dossier", "decision", "executors"), d.decision.executors),
                 (("dossier", "decision", "recipients"), d.decision.recipients),
                 (("dossier", "decision", "archive"), d.decision.archive),
                 *((("dossier", "comments", ci, "by"), c.by) for ci, c in enumerate(d.comments))]
        for loc, refs in lists:
            for i, r in enumerate(refs):
                yield (*loc, i), r
    for ai, app in enumerate(plan.appendices):
        for gi, group in enumerate(app.groups or []):
            for ti, task in enumerate(group.tasks):
                if id(task) in skip:
                    continue
                for role in ("lead", "support"):
                    for i, r in enumerate(getattr(task, role)):
                        yield ("appendices", ai, "groups", gi, "tasks", ti, role, i), r


def cross_check(plan: Plan, checked: Plan | None = None) -> list[Finding]:
    """Citations and unit keys that name nothing declared.

    checked: a plan that passed this check and whose objects plan may share (a batch's model plan:
    each unit's plan holds the parts it did not change). When plan declares every reference and
    unit key checked declares, a shared part passes here as it passed there, and is not walked."""
    skip: Container[int] = frozenset()
    if checked is not None and checked.references.keys() <= plan.references.keys() \
            and checked.units.keys() <= plan.units.keys():
        skip = _model_ids(checked)
    findings: list[Finding] = []
    for loc, seg in cites(plan, skip=skip):
        if seg.cite not in plan.references:
            findings.append((loc + ("cite",), seg.cite,
                             _unknown("văn bản", seg.cite, plan.references, "references")))
    for loc, ref in unit_refs(plan, skip):
        # A string shaped like a key (lower-case ASCII, no spaces) is meant as one: a typo in a key
        # must not slip through as free text.
        if ref not in plan.units and UNIT_KEY.match(ref) and ref != "vt":
            findings.append((loc, ref, _unknown("đơn vị", ref, plan.units, "units")))
    return findings


_checked_ids: list[tuple[Plan, frozenset[int]]] = []
"""The ids of the models of the last few checked plans (held, so that their ids stay theirs)."""


def _model_ids(plan: Plan) -> frozenset[int]:
    for held, ids in _checked_ids:
        if held is plan:
            return ids
    ids = frozenset(id(m) for m in models_in(plan))
    _checked_ids[:] = [(plan, ids), *_checked_ids[:3]]
    return ids


def _unknown(kind: str, key: str, declared: dict, section: str) -> str:
    close = difflib.get_close_matches(key, list(declared), n=1, cutoff=0.6)
    hint = f"; có phải ý bạn là '{close[0]}'?" if close else f"; hãy khai báo khóa này trong mục {section}"
    return f"không có {kind} nào khai báo với khóa '{key}'{hint}"


def cross_check_data(data: Any) -> list[Finding]:
    """The same checks on raw parsed data, for a file that also has other mistakes.

    Why: pydantic stops at the model, so without this a wrong cite or unit key would only show up
    after every other mistake is fixed; users should fix the file in one pass. Shapes that are
    wrong are skipped here (the model reports them).
    """
    if not isinstance(data, dict):
        return []
    refs_given, units_given = data.get("references"), data.get("units")
    refs: dict[str, Any] = refs_given if isinstance(refs_given, dict) else {}
    units: dict[str, Any] = units_given if isinstance(units_given, dict) else {}
    findings: list[Finding] = []

    def raw_cites(value: Any, loc: tuple[str | int, ...]) -> None:
        if isinstance(value, dict):
            if "cite" in value and set(value) <= {"cite", "full"} and isinstance(value["cite"], str):
                if value["cite"] not in refs:
                    findings.append((loc + ("cite",), value["cite"],
                                     _unknown("văn bản", value["cite"], refs, "references")))
                return
            for k, v in value.items():
                raw_cites(v, loc + (k,))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                raw_cites(v, loc + (i,))

    for key, value in data.items():
        if key not in ("references", "units"):
            raw_cites(value, (key,))

    def unit_list(value: Any, loc: tuple[str | int, ...]) -> None:
        if not isinstance(value, list):
            return
        for i, ref in enumerate(value):
            if isinstance(ref, str) and ref not in units and UNIT_KEY.match(ref) and ref != "vt":
                findings.append((loc + (i,), ref, _unknown("đơn vị", ref, units, "units")))

    unit_list(data.get("recipients"), ("recipients",))
    unit_list(data.get("archive"), ("archive",))
    for ai, app in _items(data.get("appendices")):
        for gi, group in _items(app.get("groups")):
            for ti, task in _items(group.get("tasks")):
                for role in ("lead", "support"):
                    unit_list(task.get(role), ("appendices", ai, "groups", gi, "tasks", ti, role))
    return findings


def _items(value: Any) -> Iterator[tuple[int, dict]]:
    if isinstance(value, list):
        for i, v in enumerate(value):
            if isinstance(v, dict):
                yield i, v
