"""The JSON Schema of a plan file, so an editor validates and completes it while the user types."""

from __future__ import annotations

from typing import Any

from .model import Plan

SCHEMA_ID = "https://kehoach.invalid/kehoach.schema.json"


def plan_schema() -> dict[str, Any]:
    schema = Plan.model_json_schema(mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
