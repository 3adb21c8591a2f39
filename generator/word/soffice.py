"""LibreOffice headless run once: the one runner of `soffice --convert-to`, for the PDF of a made
document (esign/pdf.py) and for reading a .doc, .odt, .rtf, a web page or Word 2003 XML
(word/formats.py).

Why here, in the Word layer: the reader (word/reader.py) converts the formats python-docx cannot
open before it reads them, and a wing imports only its own wing and those below; the PDF export
above uses the same runner, so timeouts, profiles and killing live in one place.
Why a private profile per call: a LibreOffice user profile must not be shared by two running
processes; with its own throw-away profile, parallel runs never collide. Its temporary files go
to the same throw-away folder (TMPDIR), so a run killed at the timeout leaves nothing in /tmp.
Why the profile is seeded (safe_profile): a document read for `check` or `import` comes from
anyone; LibreOffice must neither load nor run its macros (Word VBA, Basic) nor fetch what it links.
Why a memory limit (limits.SOFFICE_MEMORY, the address space of every LibreOffice process started
here, and of the warm one of esign/office.py: both start with environment() and memory_limit()):
a crafted .rtf/.odt/.doc can make LibreOffice allocate gigabytes well before the timeout; with the
limit the allocation fails, LibreOffice gives up on the file and the machine keeps its memory.
"""

from __future__ import annotations

import functools
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from .. import limits
from ..errors import UserError

INSTALL_COMMAND = "apt-get install libreoffice-writer-nogui fonts-liberation2"
SOFFICE_NAMES = ("soffice", "libreoffice")


class ConversionError(UserError):
    """LibreOffice ran but did not produce what was asked; nothing was written."""


def find_soffice(purpose: str = "xuất PDF") -> str:
    """The LibreOffice executable, or a UserError saying how to install it and what for (the
    editor's page preview is no PDF the user asked for)."""
    for name in SOFFICE_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise UserError(
        f"không tìm thấy LibreOffice (lệnh soffice) để {purpose}; hãy cài bằng lệnh: "
        f"sudo {INSTALL_COMMAND}"
    )


def soffice_or_none() -> str | None:
    """The LibreOffice executable, or None when it is not installed."""
    return next((found for name in SOFFICE_NAMES if (found := shutil.which(name))), None)


WORKDIR_PREFIX = "kehoach-lo-"


def private_workdir() -> Path:
    """A folder of this run for LibreOffice's profile and its temporary files (TMPDIR).

    Why: LibreOffice writes lu*.tmp files into /tmp, and a run killed at the timeout leaves them
    there; with TMPDIR inside a folder of ours, removing the folder removes everything. The name
    carries our pid, so a later run can remove what a run killed with SIGKILL left behind.
    """
    _sweep_workdirs()
    return Path(tempfile.mkdtemp(prefix=f"{WORKDIR_PREFIX}{os.getpid()}-"))


def _sweep_workdirs() -> None:
    """Remove work folders of our runs that no longer exist (killed with SIGKILL)."""
    root = Path(tempfile.gettempdir())
    try:
        candidates = list(root.glob(f"{WORKDIR_PREFIX}*-*"))
    except OSError:
        return
    for folder in candidates:
        pid = folder.name[len(WORKDIR_PREFIX):].split("-", 1)[0]
        try:
            if not pid.isdigit() or folder.stat().st_uid != os.getuid():
                continue
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except (OSError, AttributeError):
            continue


_SAFE_SETTINGS = (
    # No macro of any document runs, whatever its signature; Word's VBA is not even loaded.
    ("/org.openoffice.Office.Common/Security/Scripting", "DisableMacrosExecution", "true"),
    ("/org.openoffice.Office.Common/Security/Scripting", "MacroSecurityLevel", "3"),
    ("/org.openoffice.Office.Writer/Filter/Import/VBA", "Load", "false"),
    ("/org.openoffice.Office.Writer/Filter/Import/VBA", "Executable", "false"),
    # Links to other files and web resources are never updated while a document loads, and images
    # linked from the web are not fetched for a document that came from outside.
    ("/org.openoffice.Office.Writer/Content/Update", "Link", "2"),
    ("/org.openoffice.Office.Common/Security/Scripting", "BlockUntrustedRefererLinks", "true"),
)


def safe_profile(work: Path) -> Path:
    """A new LibreOffice profile inside work, seeded with settings that run no macro and update
    no link; returns the profile folder (for -env:UserInstallation)."""
    profile = work / "profile"
    user = profile / "user"
    user.mkdir(parents=True, exist_ok=True)
    items = "".join(f'<item oor:path="{path}"><prop oor:name="{name}" oor:op="fuse"><value>{value}</value>'
                    "</prop></item>\n" for path, name, value in _SAFE_SETTINGS)
    (user / "registrymodifications.xcu").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        f"{items}</oor:items>\n", encoding="utf-8")
    return profile


def memory_words(n: int) -> str:
    """A memory figure as a user reads it: "2 GB", "512 MB"."""
    return f"{n / 2**30:.3g} GB" if n >= 2**30 else f"{max(1, n // 2**20)} MB"


def environment(tmp: Path) -> dict[str, str]:
    """The environment of every LibreOffice started here (one-shot here, warm in esign/office.py):
    its temporary files in tmp, a folder of ours removed with it."""
    env = {**os.environ, "TMPDIR": str(tmp), "TMP": str(tmp), "TEMP": str(tmp)}
    # Why: glibc reserves 64 MB of address space for each thread's malloc arena, up to eight
    # per CPU; on a many-core server those reservations, not the document, would reach the
    # memory limit. Two arenas are plenty for LibreOffice's few threads.
    env.setdefault("MALLOC_ARENA_MAX", "2")
    return env


def memory_limit() -> tuple[int, Callable[[], None] | None]:
    """The address space LibreOffice gets and what the new process runs before it starts to set
    it: limits.SOFFICE_MEMORY (soft and hard, so LibreOffice cannot raise it again), or lower when
    this process already has a lower limit. The processes LibreOffice starts inherit it.

    Why a partial of the C function rather than a Python function: a preexec_fn runs between fork
    and exec, possibly forked from the editor's threaded server; a builtin called with values
    computed here takes no lock there."""
    wanted = limits.SOFFICE_MEMORY
    try:
        import resource
    except ImportError:  # not a Unix: no limit to set
        return wanted, None
    for bound in resource.getrlimit(resource.RLIMIT_AS):
        if bound != resource.RLIM_INFINITY:
            wanted = min(wanted, bound)
    return wanted, functools.partial(resource.setrlimit, resource.RLIMIT_AS, (wanted, wanted))


def run_soffice(exe: str, paths: Sequence[Path], outdir: Path, timeout: float, *, convert_to: str,
                timeout_message: Callable[[float], str],
                crash_message: Callable[[str], str] | None = None, infilter: str | None = None) -> str:
    """One `soffice --convert-to` of every path into outdir, in a throw-away profile and TMPDIR,
    within limits.SOFFICE_MEMORY of address space, stopped (with every process it started) after
    timeout seconds: ConversionError with timeout_message(seconds). When LibreOffice ends with an
    error code (it aborts when an allocation fails outside a filter) and crash_message is given:
    ConversionError with crash_message(the memory limit in words). Returns LibreOffice's output;
    soffice exits 0 even when a file failed, so the caller judges what was made. infilter: the
    import filter LibreOffice must use instead of the one it would detect."""
    work = private_workdir()
    try:
        profile, tmp = safe_profile(work), work / "tmp"
        tmp.mkdir(parents=True, exist_ok=True)
        env = environment(tmp)
        limit, cap = memory_limit()
        cmd = [
            exe, f"-env:UserInstallation={profile.resolve().as_uri()}",
            "--headless", "--invisible", "--nologo", "--norestore", "--nolockcheck", "--nodefault",
            *([f"--infilter={infilter}"] if infilter else []),
            "--convert-to", convert_to, "--outdir", str(outdir),
            *(str(p.resolve()) for p in paths),
        ]
        # A session of its own, so a hung soffice and the soffice.bin it spawns can be killed together.
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True, env=env,
                                preexec_fn=cap)
        try:
            out, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            kill_group(proc)
            proc.communicate()
            raise ConversionError(timeout_message(timeout)) from None
        except BaseException:  # a read budget's alarm, Ctrl+C: LibreOffice goes with us
            kill_group(proc)
            proc.wait()
            raise
        if proc.returncode != 0 and crash_message is not None:
            raise ConversionError(crash_message(memory_words(limit)))
        return out.decode("utf-8", "replace")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        proc.kill()


def log_tail(log: str, lines: int = 3) -> str:
    """The last lines LibreOffice said that are not its routine "convert …" reports."""
    kept = [line.strip() for line in log.splitlines()
            if line.strip() and not line.startswith("convert ") and "javaldx" not in line]
    return " | ".join(kept[-lines:])
