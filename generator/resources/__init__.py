"""Files shipped inside the package, so an installed `kehoach` (a wheel, not the project folder)
has its default template and sample plans.

These are copies: the editable sources stay at the top of the project (`templates/kehoach.docx`,
`data/*.yaml`), and `tests/test_install.py` fails, naming the command that fixes it, when a copy
differs from its source.
"""

from __future__ import annotations

import hashlib
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


_SEAL = "# sha256 of the lines below: "


def sealed(text: str) -> str:
    """A prebuilt file's text as it is shipped: a first line naming the sha256 of the rest."""
    return _SEAL + hashlib.sha256(text.encode("utf-8")).hexdigest() + "\n" + text


def unsealed(path: Path) -> str | None:
    """The text a prebuilt file was written with (sealed), or None when it is missing or is not
    that text any more: truncated, a byte changed, written by hand. Why: each prebuilt file is
    checked against what it was made from (a template, a data file), never against itself, and a
    damaged install that still parses (a line cut, a letter changed, code half written) was used as
    made, or crashed its reader; None sends the caller back to making it from its source."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    seal, newline, body = raw.partition(b"\n")
    if not newline or seal != (_SEAL + hashlib.sha256(body).hexdigest()).encode("ascii"):
        return None
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:  # pragma: no cover - the digest matched: the text is what was written
        return None
