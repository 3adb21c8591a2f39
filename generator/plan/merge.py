"""Merging a unit's overrides onto a model plan's data, and renaming the issuing agency in the text
the unit inherits.

Rules (also in the README, "Tạo văn bản hàng loạt"):
- Deep merge: a mapping in the overrides is merged key by key into the base's mapping; anything
  else (lists, text, numbers, null) replaces the base value whole. So `agency: {name: …}` keeps the
  base's parent and place, while `recipients: […]` is the unit's own list, not an addition.
- Renaming: when a unit's merged data names its agency (or a declared unit) differently from the
  model plan, every text the unit inherits from the model plan (trích yếu, mở đầu, nội dung, danh
  mục, nơi nhận…) has the old name replaced by the new one, exact spelling, longest name first, in
  one pass. Not renamed: `agency` (given whole by the merge) and `references` (a cited document's
  issuer and subject are facts about that document, not about who implements it). Values the unit
  writes itself are taken as written.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any

NOT_RENAMED = ("agency", "references")
"""Top-level fields whose inherited text keeps the model plan's names."""


def deep_merge(base: Any, override: Any) -> Any:
    """base with override laid on top: mappings merged recursively, everything else replaced.

    Neither argument is modified; unchanged subtrees of base are shared, not copied.
    """
    if isinstance(base, Mapping) and isinstance(override, Mapping):
        out = dict(base)
        for key, value in override.items():
            out[key] = deep_merge(base[key], value) if key in base else value
        return out
    return override


def renames(base: Mapping[str, Any], merged: Mapping[str, Any]) -> dict[str, str]:
    """Names that differ between the model plan and a unit's merged data: agency and units.

    Only non-empty text names count; a unit that keeps a name gets no entry for it.
    """
    pairs: dict[str, str] = {}

    def name_of(data: Any, *keys: str) -> str | None:
        for key in keys:
            if not isinstance(data, Mapping):
                return None
            data = data.get(key)
        if isinstance(data, list) and all(isinstance(x, str) for x in data):
            data = " ".join(data)  # a name given as header lines reads joined
        # A line kept as printed in two ("…\n…", as import keeps a name Word wrapped) reads as one,
        # as the text names it (Agency.full_name).
        return " ".join(data.split()) if isinstance(data, str) and data.strip() else None

    old, new = name_of(base, "agency", "name"), name_of(merged, "agency", "name")
    if old and new and old != new:
        pairs[old] = new
    units = base.get("units")
    base_units = units if isinstance(units, Mapping) else {}
    for key in base_units:
        old, new = name_of(base, "units", key, "name"), name_of(merged, "units", key, "name")
        if old and new and old != new:
            pairs.setdefault(old, new)
    return pairs


def rename_text(data: Any, pairs: Mapping[str, str]) -> Any:
    """data with every occurrence of each old name in its text values replaced by the new name.

    Mapping keys (field names, unit keys) are never touched. One regex pass, longest name first,
    so "Sở Khoa học và Công nghệ" inside a longer renamed name is not replaced twice. A part with
    nothing to rename is returned itself, not copied: the unit's data then shares it with the model
    plan's, and a batch reuses what was validated there (generator.plan.overlay).
    """
    if not pairs:
        return data
    pattern = _names_pattern(tuple(pairs))
    return _rename(data, pairs, pattern, _holders(data, pattern))


def _rename(data: Any, pairs: Mapping[str, str], pattern: re.Pattern[str], holders: set[int]) -> Any:
    """rename_text, walking only into the parts holders names (the others hold no old name)."""
    def walk(value: Any) -> Any:
        if isinstance(value, str):
            return pattern.sub(lambda m: pairs[m.group(0)], value) if pattern.search(value) else value
        if id(value) not in holders:
            return value
        if isinstance(value, Mapping):
            return {k: walk(v) for k, v in value.items()}
        return [walk(v) for v in value]

    return walk(data)


@functools.lru_cache(maxsize=16)
def _names_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(old) for old in sorted(names, key=len, reverse=True)))


def _holders(data: Any, pattern: re.Pattern[str]) -> set[int]:
    """The ids of the mappings and lists in data that hold, at any depth, a text pattern finds."""
    ids: set[int] = set()

    def visit(value: Any) -> bool:
        if isinstance(value, str):
            return pattern.search(value) is not None
        if isinstance(value, Mapping):
            found = [visit(v) for v in value.values()]
        elif isinstance(value, list):
            found = [visit(v) for v in value]
        else:
            return False
        if any(found):
            ids.add(id(value))
            return True
        return False

    visit(data)
    return ids


class Merger:
    """merge_unit for the units of one model plan (a batch): the parts of the model plan that hold
    the names a unit renames are found once per set of names, not once per unit. base must not
    change while the Merger is used."""

    def __init__(self, base: Mapping[str, Any]) -> None:
        self.base = base
        self._holders: dict[re.Pattern[str], set[int]] = {}

    def merge(self, overrides: Mapping[str, Any]) -> Any:
        """A unit's plan data: the model plan with inherited names resolved, overrides on top."""
        base = self.base
        merged = deep_merge(base, overrides)
        pairs = renames(base, merged)
        if not pairs:
            return merged
        pattern = _names_pattern(tuple(pairs))
        holders = self._holders.get(pattern)
        if holders is None:
            holders = self._holders[pattern] = _holders(base, pattern)
        inherited = {k: (v if k in NOT_RENAMED else _rename(v, pairs, pattern, holders)) for k, v in base.items()}
        return deep_merge(inherited, overrides)


def merge_unit(base: Mapping[str, Any], overrides: Mapping[str, Any]) -> Any:
    """A unit's plan data: the model plan with inherited names resolved, overrides on top."""
    return Merger(base).merge(overrides)
