"""The warm LibreOffice behind the editor's preview (issue 28): generator/esign/office.py."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

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
