"""kehoach: Vietnamese official plans (Kế hoạch) as Word files, from YAML, per Decree 30/2020/NĐ-CP.

The library is the product; the `kehoach` command is a thin layer over these calls.

The names below are imported on first use (PEP 562), so that `import generator.cli` or any single
command loads only what it needs: a cold start of `kehoach check` never pays for docxtpl.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["Plan", "Template", "load_plan", "render_file", "render_plan", "__version__"]

_LAZY = {
    "load_plan": "plan.loader",
    "Plan": "plan.model",
    "Template": "document.render",
    "render_file": "jobs.issue",
    "render_plan": "document.render",
}

if TYPE_CHECKING:  # pragma: no cover - for type checkers and editors
    from .document.render import Template, render_plan
    from .jobs.issue import render_file
    from .plan.loader import load_plan
    from .plan.model import Plan


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
