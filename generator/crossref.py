"""Checks that span fields: citations point at declared references, unit keys at declared units."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from .model import UNIT_KEY, Cite, Plan

Finding = tuple[tuple[str | int, ...], Any, str]


def cites(value: Any, loc: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], Cite]]:
    """Every citation anywhere in the plan (body, khoản, tables, appendices), with its location.

    Why a walk over the model and not a list of fields: blocks nest (khoản in khoản, points with
    blocks, tables in a text appendix), and a new structure must not escape the check."""
    if isinstance(value, Cite):
        yield loc, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            if name not in ("references", "units"):
                yield from cites(getattr(value, name), loc + (name,))
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            yield from cites(v, loc + (i,))


def unit_refs(plan: Plan) -> Iterator[tuple[tuple[str | int, ...], str]]:
    for i, r in enumerate(plan.recipients):
        yield ("recipients", i), r
    for i, r in enumerate(plan.archive):
        yield ("archive", i), r
    for ai, app in enumerate(plan.appendices):
        for gi, group in enumerate(app.groups or []):
            for ti, task in enumerate(group.tasks):
                for role in ("lead", "support"):
                    for i, r in enumerate(getattr(task, role)):
                        yield ("appendices", ai, "groups", gi, "tasks", ti, role, i), r


def cross_check(plan: Plan) -> list[Finding]:
    findings: list[Finding] = []
    for loc, seg in cites(plan):
        if seg.cite not in plan.references:
            findings.append((loc + ("cite",), seg.cite,
                             _unknown("văn bản", seg.cite, plan.references, "references")))
    for loc, ref in unit_refs(plan):
        # A string shaped like a key (lower-case ASCII, no spaces) is meant as one: a typo in a key
        # must not slip through as free text.
        if ref not in plan.units and UNIT_KEY.match(ref) and ref != "vt":
            findings.append((loc, ref, _unknown("đơn vị", ref, plan.units, "units")))
    return findings


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
