"""The JSON Schema of a plan file, so an editor validates and completes it while the user types."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .model import Plan


def plan_schema() -> dict[str, Any]:
    schema = _any_of(Plan.model_json_schema(mode="validation"))
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def _any_of(node: Any) -> Any:
    """oneOf → anyOf. The model picks a union's branch by the value's shape; JSON Schema's oneOf
    would instead reject a value that two branches accept (an items block is also a valid khoản
    written the old way), so editors would flag correct files."""
    if isinstance(node, dict):
        return {("anyOf" if k == "oneOf" else k): _any_of(v) for k, v in node.items() if k != "discriminator"}
    if isinstance(node, list):
        return [_any_of(v) for v in node]
    return node


def write_schema(path: str | Path, *, force: bool = False) -> Path:
    """Write the schema to a .json file; an existing file is replaced only with force."""
    from ..errors import OutputExistsError, UserError
    from ..word.package import atomic_write

    path = Path(path)
    if path.suffix.lower() != ".json":
        raise UserError(f"{path}: tệp JSON Schema phải có đuôi .json")
    if path.exists() and not force:
        raise OutputExistsError(f"{path}: tệp đã có; dùng --force để ghi đè")
    return atomic_write(path, schema_text().encode())


def schema_text() -> str:
    return json.dumps(plan_schema(), ensure_ascii=False, indent=2) + "\n"
