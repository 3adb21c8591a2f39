"""A unit's plan as an overlay on the model plan: a batch validates and keeps only what a unit changes.

A units-file entry changes a few fields of the model plan (agency, signer, references, the agency's
name in a few sentences); the rest, most of the plan, is the model plan's data as it was. Two
consequences, both exact (issue 13, speed and flat memory of `kehoach batch`):

- overlay_data: the unit's merged data with each part the unit left untouched (the very same
  object as in the model plan's data: merging and renaming share what they do not change)
  replaced by the model plan's validated object for it. Pydantic takes a validated instance as it
  is (revalidate_instances="never", its default), so validating the overlay validates only what
  changed and gives what validating the whole data gives: the instance is what that same data
  gave. Parts are swapped only through fields that hold models plainly (a model, a list or a
  mapping of models, no validator that sees the raw value first), where a raw part and its
  validated object stand at the same place.
- PlanPacker: a unit's plan pickled with every object it shares with the model plan written as a
  reference to it, so a packed unit is the size of what it changed, and packing it costs as much.
"""

from __future__ import annotations

import io
import pickle
import types
import typing
import zlib
from collections.abc import Mapping
from functools import cache
from typing import Any

from pydantic import BaseModel
from pydantic.functional_validators import BeforeValidator, PlainValidator, WrapValidator

from .model import models_in

_RAW_VALIDATORS = (BeforeValidator, PlainValidator, WrapValidator)
"""Validators that see a field's raw value: a validated object in its place would change what they
get, so no part is swapped below such a field."""


def overlay_data(merged: dict[str, Any], base_data: Mapping[str, Any], base: BaseModel) -> dict[str, Any]:
    """merged (a unit's data, built from base_data) with its unchanged parts replaced by base's
    validated objects. merged and base_data are not modified."""
    return _overlay_model(merged, base_data, base)


def _overlay_model(new: dict[str, Any], old: Mapping[str, Any], validated: BaseModel) -> dict[str, Any]:
    kinds = _plain_model_fields(type(validated))
    out = dict(new)
    for key, value in new.items():
        kind = kinds.get(key)
        if kind is not None and key in old:
            out[key] = _overlay_field(kind, value, old[key], getattr(validated, key))
    return out


def _overlay_field(kind: str, new: Any, old: Any, validated: Any) -> Any:
    if kind == "model":
        return _overlay_one(new, old, validated)
    if kind == "list" and isinstance(new, list) and isinstance(old, list) and isinstance(validated, (list, tuple)) \
            and len(old) == len(validated):
        if new is old:
            return list(validated)
        return [_overlay_one(n, old[i], validated[i]) if i < len(old) else n for i, n in enumerate(new)]
    if kind == "dict" and isinstance(new, dict) and isinstance(old, dict) and isinstance(validated, dict) \
            and list(old) == list(validated):
        return {k: _overlay_one(v, old[k], validated[k]) if k in old else v for k, v in new.items()}
    return new


def _overlay_one(new: Any, old: Any, validated: Any) -> Any:
    """One place that holds a model: its validated object when the data there is unchanged."""
    if not isinstance(validated, BaseModel):
        return new
    if new is old:
        return validated
    if isinstance(new, dict) and isinstance(old, dict):
        return _overlay_model(new, old, validated)
    return new


@cache
def _plain_model_fields(model: type[BaseModel]) -> dict[str, str]:
    """The fields of model that hold models plainly, with how: "model", "list" or "dict"."""
    if not _takes_raw_data(model):
        return {}
    decorators = model.__pydantic_decorators__
    raw_field_validators = {name for d in decorators.field_validators.values() if d.info.mode != "after"
                            for name in d.info.fields}
    out = {}
    for name, info in model.model_fields.items():
        if name in raw_field_validators or info.alias not in (None, name) \
                or any(isinstance(m, _RAW_VALIDATORS) for m in info.metadata):
            continue
        kind = _holds_models(info.annotation)
        if kind is not None:
            out[name] = kind
    return out


def _holds_models(annotation: Any) -> str | None:
    """"model" for M or M | None, "list" for list[M], "dict" for dict[str, M] (M a model class
    without Annotated metadata); None for anything else (unions of models, annotated types…)."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        rest = [a for a in args if a is not type(None)]
        return _holds_models(rest[0]) if len(rest) == 1 else None
    if _is_model(annotation):
        return "model"
    if origin is list and len(args) == 1 and _is_model(args[0]):
        return "list"
    if origin is dict and len(args) == 2 and args[0] is str and _is_model(args[1]):
        return "dict"
    return None


def _is_model(annotation: Any) -> bool:
    """A model class whose data is read as given: a validated instance can stand in for it."""
    return isinstance(annotation, type) and issubclass(annotation, BaseModel) and _takes_raw_data(annotation)


def _takes_raw_data(model: type[BaseModel]) -> bool:
    """False when a model validator rewrites the raw data first (mode before or wrap): it would be
    handed the validated instance instead."""
    return not any(d.info.mode in ("before", "wrap") for d in model.__pydantic_decorators__.model_validators.values())


# --- packing ------------------------------------------------------------------------------------

class PlanPacker:
    """Pickles plans that share objects with base, writing each shared object as its number.

    Objects are numbered in one walk of base (fields in order, lists and mappings in order): a
    process that unpickled its own copy of base numbers that copy's objects the same way, so a
    worker unpacks what the parent packed against it.
    """

    def __init__(self, base: BaseModel) -> None:
        self._objects = list(models_in(base))  # held: their ids stay theirs while we map by id
        self._numbers = {id(obj): n for n, obj in enumerate(self._objects)}

    @property
    def base(self) -> BaseModel:
        return self._objects[0]

    def pack(self, plan: BaseModel) -> bytes:
        out = io.BytesIO()
        _Pickler(out, self._numbers).dump(plan)
        # Deflated: what a unit changed is mostly text (its names in sentences), a third of the
        # size; 10,000 waiting units are most of a batch's memory (issue 13, flat memory).
        return zlib.compress(out.getvalue(), 1)

    def unpack(self, packed: bytes) -> Any:
        return _Unpickler(io.BytesIO(zlib.decompress(packed)), self._objects).load()


class _Pickler(pickle.Pickler):
    def __init__(self, file: io.BytesIO, numbers: dict[int, int]) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._shared = numbers

    def persistent_id(self, obj: Any) -> int | None:
        return self._shared.get(id(obj)) if isinstance(obj, BaseModel) else None


class _Unpickler(pickle.Unpickler):
    def __init__(self, file: io.BytesIO, objects: list[BaseModel]) -> None:
        super().__init__(file)
        self._shared = objects

    def persistent_load(self, pid: Any) -> BaseModel:
        return self._shared[pid]

