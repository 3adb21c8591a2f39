"""Files shipped inside the package, so an installed `kehoach` (a wheel, not the project folder)
has its default template and sample plans.

These are copies: the editable sources stay at the top of the project (`templates/kehoach.docx`,
`data/*.yaml`), and `tests/test_install.py` fails, naming the command that fixes it, when a copy
differs from its source.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def _path(name: str) -> Path:
    # Installed packages are folders on disk (pip unpacks wheels), so a resource is a real file that
    # python-docx, zipfile and stat() can open by name.
    return Path(str(files(__name__) / name))


TEMPLATE = _path("kehoach.docx")
"""The default docxtpl template (source: templates/kehoach.docx)."""
SAMPLE = _path("ke-hoach-truyen-thong-kiem-soat-tthc-2024.yaml")
"""The sample plan: what `kehoach init` writes, and the variables `check-template` knows."""
STRUCTURES = _path("ke-hoach-cau-truc-day-du.yaml")
"""A plan that uses every structure of the data format (for `check-template`)."""
UNITS = _path("don-vi-noi-bo-skhcn.yaml")
"""A units file for `kehoach batch` over the sample plan (written by `kehoach init`)."""

LEXICON_KEYS = _path("viet74k-keys.txt")
"""The heading dictionary's keys made beforehand from underthesea's Viet74K.txt (not a copy: written by
`python -m generator.document.line_breaks`, used only when made from the installed Viet74K.txt)."""

ADMIN_UNITS = _path("admin-units.json")
"""The administrative units' tables made beforehand from vietnamadminunits' data files (not a copy:
written by `python -m generator.plan.admin_units`, used only when made from the installed files)."""

TEMPLATE_PREPARED = _path("kehoach-prepared.json")
"""The default template's parts patched and compiled beforehand (not a copy: written by
`python -m generator.document.template_prebuilt`, used only for the parts it was made from)."""

SOURCES = {TEMPLATE: "templates/kehoach.docx", SAMPLE: f"data/{SAMPLE.name}",
           STRUCTURES: f"data/{STRUCTURES.name}", UNITS: f"data/{UNITS.name}"}
"""Each packaged copy and its editable source, relative to the project folder."""
