"""What every benchmark does first: byte-compile the package, as installing it does.

Why: pip writes each module's compiled form (.pyc) when it installs kehoach; a process then loads
them instead of compiling the source. A checkout installed in editable mode writes them on first
import, unless PYTHONDONTWRITEBYTECODE is set (it is on the machines these figures come from):
then every process would compile kehoach's ~50 modules again (about 30 ms), a cost no installed
copy pays. Compiling once here measures the tool as installed. The files go to the usual
__pycache__ folders, which git ignores.
"""

from __future__ import annotations

import compileall
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def compile_package() -> None:
    if not compileall.compile_dir(str(ROOT / "generator"), quiet=1):
        raise SystemExit("không biên dịch được gói generator (lỗi cú pháp?)")
