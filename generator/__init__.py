"""kehoach: Vietnamese official plans (Kế hoạch) as Word files, from YAML, per Decree 30/2020/NĐ-CP.

The library is the product; the `kehoach` command is a thin layer over these calls.
"""

__version__ = "0.1.0"

from .loader import load_plan  # noqa: E402
from .model import Plan  # noqa: E402
from .render import Template, render_file, render_plan  # noqa: E402

__all__ = ["Plan", "Template", "load_plan", "render_file", "render_plan", "__version__"]
