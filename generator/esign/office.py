"""A warm LibreOffice: one long-lived soffice per owner (the editor's preview), driven through UNO.

Why: a one-shot `soffice --convert-to` spends most of its second starting LibreOffice; a process
kept running converts the same plan in a fraction of that (benchmarks/bench_preview.py).

How, and why this way:
- soffice runs headless with its own profile (-env:UserInstallation; a profile must never be shared
  by two running processes) and its temporary files in a folder of ours, listening on a UNO pipe
  with a random name: a pipe is a socket only this user can open (no port of the machine opened),
  and the random name means two editors never reach each other's office.
- The conversions are asked by uno_bridge.py run by a Python that has LibreOffice's UNO bridge
  (Debian's python3-uno is in the system Python, which a venv does not see), kept running too.
- Started at the first conversion, started again when either process has died, stopped by
  close() with its owner. Where no Python has uno, available() says so and the caller keeps the
  one-shot conversion of pdf.py.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import secrets
import selectors
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO, Any

from ..errors import UserError
from ..word.soffice import environment, memory_limit, memory_words, safe_profile
from .pdf import ConversionError, _kill_group, _private_workdir, find_soffice

BRIDGE = Path(__file__).resolve().with_name("uno_bridge.py")
START_SECONDS = 90.0
"""A first start creates the profile: several seconds on a busy machine, never minutes."""
QUIT_SECONDS = 5.0
PING_SECONDS = 10.0
"""An idle office answers a ping in milliseconds; a loaded machine may take seconds."""
PREVIEW_FILTER = "writer_pdf_Export"
"""Plain PDF for the screen: the archival PDF/A of an issued document stays with pdf.py."""


@functools.lru_cache(maxsize=1)
def uno_python() -> str | None:
    """A Python that can import uno (this one, the system's), or None."""
    candidates = [sys.executable, "/usr/bin/python3", shutil.which("python3") or ""]
    for exe in dict.fromkeys(c for c in candidates if c and Path(c).is_file()):
        try:
            done = subprocess.run([exe, "-c", "import uno"], capture_output=True, timeout=30,
                                  stdin=subprocess.DEVNULL)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if done.returncode == 0:
            return exe
    return None


def available() -> bool:
    """Whether a warm office can run here (LibreOffice and a Python with its UNO bridge)."""
    try:
        find_soffice()
    except UserError:
        return False
    return uno_python() is not None


class Office:
    """One LibreOffice of one owner. Thread-safe: conversions are made one at a time."""

    def __init__(self, *, soffice: str | None = None, python: str | None = None):
        self._soffice_exe = soffice
        self._python = python
        self._lock = threading.Lock()
        self._office: subprocess.Popen | None = None
        self._bridge: subprocess.Popen | None = None
        self._work: Path | None = None
        self._pipe: str | None = None
        self._closed = False
        self.starts = 0
        """How many times LibreOffice was started (tests: a restart after it died)."""

    # --- life -------------------------------------------------------------------------------------

    @property
    def pid(self) -> int | None:
        """The soffice process's id while it runs (tests kill it to see a restart)."""
        return self._office.pid if self._office is not None and self._office.poll() is None else None

    def running(self) -> bool:
        return (self._office is not None and self._office.poll() is None
                and self._bridge is not None and self._bridge.poll() is None)

    def _start(self) -> None:
        exe = self._soffice_exe or find_soffice()
        python = self._python or uno_python()
        if python is None:
            raise ConversionError("không có cầu nối UNO của LibreOffice (gói python3-uno)")
        self._work = _private_workdir()
        profile, tmp = safe_profile(self._work), self._work / "tmp"  # runs no document's macros
        tmp.mkdir(parents=True)
        env = environment(tmp)
        # Within limits.SOFFICE_MEMORY as every LibreOffice kehoach starts: a document too heavy
        # makes an allocation fail (LibreOffice ends, convert() says so and starts a fresh one
        # for the next) instead of taking the server's memory.
        _, cap = memory_limit()
        pipe = self._pipe = f"kehoach-{os.getpid()}-{secrets.token_hex(12)}"
        # Sessions of their own: soffice (a script) starts oosplash and soffice.bin; killing the
        # group stops them all, and a Ctrl+C in the editor's terminal reaches only the editor.
        self._office = subprocess.Popen(
            [exe, f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless", "--invisible",
             "--nologo", "--norestore", "--nolockcheck", "--nodefault", "--nofirststartwizard",
             f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True, env=env, preexec_fn=cap)
        self._bridge = subprocess.Popen(
            [python, str(BRIDGE), pipe], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, start_new_session=True, env=env, text=True, bufsize=1)
        self.starts += 1
        answer = self._answer(START_SECONDS)
        if not answer.get("ready"):
            self._stop()
            raise ConversionError("LibreOffice không khởi động được để tạo bản xem trước")

    def _stop(self) -> None:
        self._quit()
        for proc in (self._bridge, self._office):
            if proc is None:
                continue
            if proc.poll() is None:
                _kill_group(proc)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                pass
            for stream in (proc.stdin, proc.stdout):
                if stream is not None:
                    try:
                        stream.close()
                    except OSError:
                        pass
        self._office = self._bridge = None
        if self._pipe is not None:
            # A killed LibreOffice leaves its listening socket; ours by its random name.
            stale = Path("/tmp") / f"OSL_PIPE_{os.getuid()}_{self._pipe}"
            if stale.is_socket():
                stale.unlink(missing_ok=True)
            self._pipe = None
        if self._work is not None:
            shutil.rmtree(self._work, ignore_errors=True)
            self._work = None

    def _quit(self) -> None:
        """Ask LibreOffice to end itself: killed, it leaves its pipes behind in /tmp."""
        if not self.running():
            return
        assert self._bridge is not None and self._bridge.stdin is not None and self._office is not None
        try:
            self._bridge.stdin.write(json.dumps({"quit": True}) + "\n")
            self._bridge.stdin.flush()
            self._office.wait(QUIT_SECONDS)
        except (OSError, subprocess.TimeoutExpired):
            pass

    def close(self) -> None:
        """Stop LibreOffice and remove its profile; a later conversion is refused."""
        with self._lock:
            self._closed = True
            self._stop()

    def __enter__(self) -> Office:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- work -------------------------------------------------------------------------------------

    def convert(self, docx: Path, pdf: Path, *, timeout: float = 90.0, filter_name: str = PREVIEW_FILTER) -> Path:
        """docx → pdf by the running LibreOffice (started, or started again, as needed)."""
        with self._lock:
            if self._closed:
                raise ConversionError("LibreOffice của trình soạn thảo đã dừng")
            # Never started, or ended since the last conversion. An office killed between two
            # previews may not be reaped yet (its process still looks alive): a ping tells, so the
            # next document gets a fresh office rather than the message for a document that ended it.
            if not self._answers():
                self._stop()
                self._start()
            answer = self._ask({"src": str(docx), "dst": str(pdf), "filter": filter_name}, timeout)
            if answer.get("ok") and pdf.is_file() and pdf.stat().st_size > 0:
                return pdf
            # LibreOffice's end is judged by its process (the bridge reports an object gone under
            # it as a plain RuntimeException, not always as a lost connection); a moment for
            # oosplash to follow a soffice.bin that aborted.
            if self._office is not None and self._office.poll() is None and not answer.get("lost"):
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self._office.wait(0.5)
            if answer.get("lost") or not self.running():
                # Ended under this document (an allocation past limits.SOFFICE_MEMORY ends it): not
                # tried again, the same document would end a fresh one too; the next conversion
                # starts one.
                self._stop()
                raise ConversionError(
                    "LibreOffice dừng giữa chừng khi tạo bản xem trước: văn bản cần quá "
                    f"{memory_words(memory_limit()[0])} bộ nhớ (giới hạn để một văn bản không chiếm hết "
                    "máy) hoặc làm LibreOffice lỗi; lần xem sau dùng một LibreOffice mới")
            raise ConversionError("LibreOffice không xuất được PDF cho bản xem trước"
                                  + (f" ({answer['error']})" if answer.get("error") else ""))

    def _answers(self) -> bool:
        """The office runs and answers a ping through the bridge within PING_SECONDS."""
        if not self.running():
            return False
        try:
            return bool(self._ask({"ping": True}, PING_SECONDS).get("ok"))
        except ConversionError:  # silent past the ping's time: stopped by _answer
            return False

    def _ask(self, job: dict[str, Any], timeout: float) -> dict[str, Any]:
        assert self._bridge is not None and self._bridge.stdin is not None
        try:
            self._bridge.stdin.write(json.dumps(job) + "\n")
            self._bridge.stdin.flush()
        except (BrokenPipeError, OSError):
            return {"lost": True, "error": "bridge gone"}
        return self._answer(timeout)

    def _answer(self, timeout: float) -> dict[str, Any]:
        """The bridge's next line, within timeout; a silent or dead bridge stops both processes."""
        assert self._bridge is not None and self._bridge.stdout is not None
        stream: IO[str] = self._bridge.stdout
        deadline = time.monotonic() + timeout
        with selectors.DefaultSelector() as sel:
            sel.register(stream, selectors.EVENT_READ)
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    self._stop()
                    raise ConversionError(f"LibreOffice không xong sau {timeout:.0f} giây nên đã bị dừng")
                if sel.select(min(left, 1.0)):
                    line = stream.readline()
                    if not line:
                        return {"lost": True, "error": "bridge gone"}
                    try:
                        answer = json.loads(line)
                    except ValueError:
                        continue
                    return answer if isinstance(answer, dict) else {"lost": True}
                if self._bridge.poll() is not None:
                    return {"lost": True, "error": "bridge gone"}
