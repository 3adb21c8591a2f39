"""The editor's warm LibreOffice (generator/esign/office.py) runs within the limits of every
LibreOffice kehoach starts (word/soffice.py: limits.SOFFICE_MEMORY, its own TMPDIR, two malloc
arenas), and a document that kills it costs the user one message, not the editor: the next
conversion starts a fresh one."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from generator import limits
from generator.esign import office
from generator.esign.office import Office

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "ke-hoach-truyen-thong-kiem-soat-tthc-2024.yaml"

pytestmark = pytest.mark.skipif(not (office.available() and shutil.which("pdftotext")),
                                reason="cần LibreOffice, gói python3-uno và pdftotext")


@pytest.fixture
def docx(tmp_path: Path) -> Path:
    from generator import load_plan, render_plan

    path = tmp_path / "ke-hoach.docx"
    path.write_bytes(render_plan(load_plan(SAMPLE)))
    return path


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
