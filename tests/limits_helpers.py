"""Helpers for the limits and races tests (issue 16): hostile inputs built on the spot, and the
command line run in a child process under an address-space limit and a timeout, so a regression
fails a test instead of taking the machine (or CI) down."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.paths import ROOT, SAMPLE

TEMPLATE = ROOT / "templates" / "kehoach.docx"

_CHILD = """
import resource, sys
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
exec(sys.argv[2])
from generator.cli import main
sys.exit(main(sys.argv[3:]))
"""


@dataclass
class Run:
    code: int
    out: str
    err: str


def run_limited(args: list[str], *, memory: int = 2 * 2**30, timeout: float = 120, setup: str = "",
                cwd: Path | None = None) -> Run:
    """`kehoach ARGS` in a child process with RLIMIT_AS=memory, killed after timeout seconds.

    setup: Python run in the child first (e.g. to lower a limit so the test is fast)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("KEHOACH_TRACEBACK", None)
    proc = subprocess.run([sys.executable, "-c", _CHILD, str(memory), setup, *map(str, args)],
                          capture_output=True, text=True, timeout=timeout, env=env, cwd=cwd)
    return Run(proc.returncode, proc.stdout, proc.stderr)


def import_refused(tmp_path: Path, name: str, data: bytes, *words: str) -> str:
    """`kehoach import` of the file in a child with 1 GB of address space, killed after 120 s: exit 2,
    a message with the words, no traceback, nothing written; the message."""
    path = tmp_path / name
    path.write_bytes(data)
    out = tmp_path / "out.yaml"
    run = run_limited(["import", path, "-o", out], memory=2**30, timeout=120)
    assert run.code == 2, (run.code, run.err[-2000:])
    assert "Traceback" not in run.err and "không mong đợi" not in run.err
    for word in words:
        assert word in run.err, run.err
    assert not out.exists()
    return run.err


def sample_docx_bytes() -> bytes:
    from generator.plan.loader import load_plan
    from generator.document.render import render_plan

    return render_plan(load_plan(SAMPLE))


def rezip(source: bytes, *, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None,
          drop: tuple[str, ...] = (), duplicate: str | None = None) -> bytes:
    """A copy of a .docx with some parts changed, added, removed or written twice."""
    src = zipfile.ZipFile(io.BytesIO(source))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            if name in drop:
                continue
            data = (replace or {}).get(name, src.read(name))
            dst.writestr(name, data)
            if name == duplicate:
                import warnings

                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    dst.writestr(name, data)
        for name, data in (add or {}).items():
            dst.writestr(name, data)
    return out.getvalue()


def part(source: bytes, name: str) -> bytes:
    return zipfile.ZipFile(io.BytesIO(source)).read(name)


def with_paragraph(source: bytes, text: str) -> bytes:
    """A template with one more paragraph holding text (a Jinja tag) at the start of the body."""
    doc = part(source, "word/document.xml")
    at = doc.index(b"<w:body>") + len(b"<w:body>")
    para = f"<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>".encode()
    return rezip(source, replace={"word/document.xml": doc[:at] + para + doc[at:]})


def cli_error(args: list[str], capsys: Any) -> str:
    """What the command line says on standard error for a user's mistake: exit 2, no traceback."""
    from generator.cli import main

    assert main(args) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return err
