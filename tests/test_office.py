"""The warm LibreOffice behind the editor's preview (issue 28): generator/esign/office.py."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from generator import limits
from generator.esign import office
from generator.esign.office import Office
from tests.paths import ROOT

SAMPLE = ROOT / "data" / "ke-hoach-truyen-thong-kiem-soat-tthc-2024.yaml"

pytestmark = pytest.mark.skipif(not (office.available() and shutil.which("pdftotext")),
                                reason="cần LibreOffice, gói python3-uno và pdftotext")


@pytest.fixture
def docx(tmp_path: Path) -> Path:
    from generator import load_plan, render_plan

    path = tmp_path / "ke-hoach.docx"
    path.write_bytes(render_plan(load_plan(SAMPLE)))
    return path


def text_of(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (killed, not yet reaped) is no running LibreOffice.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def test_converts_twice_with_one_process(docx, tmp_path):
    with Office() as lo:
        first = lo.convert(docx, tmp_path / "a.pdf")
        pid = lo.pid
        second = lo.convert(docx, tmp_path / "b.pdf")
        assert lo.pid == pid and lo.starts == 1  # the same LibreOffice answered both
    for pdf in (first, second):
        text = text_of(pdf)
        assert "KẾ HOẠCH" in text and "DỰ THẢO" in text
    assert text_of(first) == text_of(second)


def test_started_again_after_it_was_killed(docx, tmp_path):
    with Office() as lo:
        lo.convert(docx, tmp_path / "a.pdf")
        pid = lo.pid
        assert pid is not None
        os.killpg(pid, signal.SIGKILL)
        for _ in range(100):
            if not alive(pid):
                break
            time.sleep(0.05)
        again = lo.convert(docx, tmp_path / "b.pdf")
        assert lo.starts == 2 and lo.pid not in (None, pid)
        assert "KẾ HOẠCH" in text_of(again)


def test_stopped_on_close_with_its_profile_and_pipe(docx, tmp_path):
    lo = Office()
    lo.convert(docx, tmp_path / "a.pdf")
    pid, work, pipe = lo.pid, lo._work, lo._pipe
    assert pid is not None and work is not None and work.is_dir() and pipe
    lo.close()
    for _ in range(100):
        if not alive(pid):
            break
        time.sleep(0.05)
    assert not alive(pid)
    assert not work.exists()  # the profile and LibreOffice's temporary files went with it
    assert not (Path("/tmp") / f"OSL_PIPE_{os.getuid()}_{pipe}").exists()
    with pytest.raises(office.ConversionError):
        lo.convert(docx, tmp_path / "b.pdf")


def test_two_owners_never_share_one_office(docx, tmp_path):
    with Office() as a, Office() as b:
        a.convert(docx, tmp_path / "a.pdf")
        b.convert(docx, tmp_path / "b.pdf")
        assert a.pid != b.pid and a._pipe != b._pipe and a._work != b._work


def test_a_document_it_cannot_open_is_an_error_and_the_office_lives_on(docx, tmp_path):
    broken = tmp_path / "hong.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with Office() as lo:
        with pytest.raises(office.ConversionError):
            lo.convert(broken, tmp_path / "x.pdf")
        assert not (tmp_path / "x.pdf").exists()
        assert "KẾ HOẠCH" in text_of(lo.convert(docx, tmp_path / "a.pdf"))


def test_an_owner_killed_takes_its_office_with_it(docx, tmp_path):
    """An editor killed outright (no close) leaves no LibreOffice running: the bridge sees its end of
    the pipe close and ends LibreOffice."""
    import sys
    import textwrap

    script = tmp_path / "owner.py"
    script.write_text(textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {str(Path(__file__).resolve().parent.parent)!r})
        from pathlib import Path
        from generator.esign.office import Office
        lo = Office()
        lo.convert(Path({str(docx)!r}), Path({str(tmp_path / "a.pdf")!r}))
        print(lo.pid, flush=True)
        time.sleep(600)
    """), encoding="utf-8")
    owner = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    try:
        pid = int(owner.stdout.readline())
        assert alive(pid)
    finally:
        owner.kill()
        owner.wait()
    for _ in range(200):
        if not alive(pid):
            break
        time.sleep(0.05)
    assert not alive(pid)


# --- within the limits of every LibreOffice kehoach starts ---------------------------------------
# The editor's warm LibreOffice (generator/esign/office.py) runs within the limits of every
# LibreOffice kehoach starts (word/soffice.py: limits.SOFFICE_MEMORY, its own TMPDIR, two malloc
# arenas), and a document that kills it costs the user one message, not the editor: the next
# conversion starts a fresh one.


def group_of(pid: int) -> list[int]:
    """The processes of LibreOffice's session (soffice, oosplash, soffice.bin)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == pid:  # its session
                found.append(int(entry))
    return found


def address_limit(pid: int) -> tuple[str, str]:
    for line in Path(f"/proc/{pid}/limits").read_text().splitlines():
        if line.startswith("Max address space"):
            soft, hard = line.split()[3:5]
            return soft, hard
    raise AssertionError("no address space line")


def environ(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(item.decode("utf-8", "replace").split("=", 1) for item in raw if b"=" in item)


def test_the_warm_office_runs_within_the_memory_limit(docx: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "SOFFICE_MEMORY", 1792 * 2**20)
    with Office() as lo:
        lo.convert(docx, tmp_path / "a.pdf")
        assert lo.pid is not None
        # LibreOffice itself (short-lived helpers it starts, gpgconf…, may be gone by now).
        office_pids = [p for p in group_of(lo.pid)
                       if Path(f"/proc/{p}/comm").read_text().strip() in ("soffice.bin", "oosplash")]
        assert len(office_pids) >= 1
        for pid in office_pids:
            assert address_limit(pid) == (str(1792 * 2**20), str(1792 * 2**20))
            assert environ(pid).get("MALLOC_ARENA_MAX") == "2"


def test_a_document_that_kills_the_warm_office_is_said_and_the_next_preview_works(
        docx: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """LibreOffice ends under a document (as an allocation past limits.SOFFICE_MEMORY ends it): the
    preview says so in Vietnamese, is not tried again on a fresh office (the same document would end
    it again), and the next preview starts a fresh office and works."""
    import signal

    from generator.errors import UserError
    from generator.serve.preview import Previews

    killer = docx.read_bytes() + b"\0"  # another state of the document (cached by its digest)
    real_ask = Office._ask

    def ask(self: Office, job: dict, timeout: float) -> dict:
        if Path(job["src"]).read_bytes() == killer:
            assert self._office is not None
            os.killpg(self._office.pid, signal.SIGKILL)  # what the kernel does to a process past its limit
            self._office.wait()
        return real_ask(self, job, timeout)

    monkeypatch.setattr(Office, "_ask", ask)
    previews = Previews(tmp_path / "cache", warm=True)
    try:
        with pytest.raises(UserError) as info:
            previews.make(killer)
        message = str(info.value)
        assert "LibreOffice dừng giữa chừng" in message and "bộ nhớ" in message
        assert "bridge" not in message and "Exception" not in message
        assert previews.office.starts == 1  # not started again only to be ended by the same document
        made = previews.make(docx.read_bytes())
        assert made["pages"] >= 1 and previews.office.starts == 2
    finally:
        previews.close()
