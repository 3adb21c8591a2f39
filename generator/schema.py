"""The JSON Schema of a plan file, so an editor validates and completes it while the user types."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .model import Plan

SCHEMA_ID = "https://kehoach.invalid/kehoach.schema.json"


def plan_schema() -> dict[str, Any]:
    schema = Plan.model_json_schema(mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def write_schema(path: str | Path, *, force: bool = False) -> Path:
    """Write the schema to a .json file; an existing file is replaced only with force."""
    from .errors import OutputExistsError, UserError
    from .word.package import atomic_write

    path = Path(path)
    if path.suffix.lower() != ".json":
        raise UserError(f"{path}: tệp JSON Schema phải có đuôi .json")
    if path.exists() and not force:
        raise OutputExistsError(f"{path}: tệp đã có; dùng --force để ghi đè")
    return atomic_write(path, schema_text().encode())


def schema_text() -> str:
    return json.dumps(plan_schema(), ensure_ascii=False, indent=2) + "\n"
