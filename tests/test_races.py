"""Issue 16, races and recovery: no final is lost or stranded, no edited draft silently replaced,
no worker or temporary file outlives a killed batch."""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

import generator.esign.pdf as pdf_module
import generator.document.render as render_module
from generator.cli import main
from generator.errors import OutputExistsError
from generator.jobs.issue import existing_document, issue_file
from generator.esign.pdf import ConversionError, convert_to_pdf, default_timeout
from tests.limits_helpers import rezip
from tests.paths import ROOT, SAMPLE

HAS_SOFFICE = shutil.which("soffice") is not None or shutil.which("libreoffice") is not None
needs_soffice = pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice (soffice) is not installed")


@pytest.fixture
def data(tmp_path: Path) -> Path:
    path = tmp_path / "kh.yaml"
    shutil.copy(SAMPLE, path)
    return path


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def leftovers(folder: Path) -> list[str]:
    """Temporary files or hidden staging folders a run left behind."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".") or p.suffix == ".tmp")


# --- two finals at once ------------------------------------------------------------------------

def test_five_parallel_finals_exactly_one_wins(tmp_path: Path, data: Path) -> None:
    target = tmp_path / "same.docx"
    procs = [subprocess.Popen([sys.executable, "-m", "generator", "render", str(data), "--final",
                               "--number", str(120 + i), "--date", "2024-03-20", "-o", str(target)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env())
             for i in range(5)]
    results = [(p.wait(timeout=120), p.stderr.read()) for p in procs]
    winners = [i for i, (code, _) in enumerate(results) if code == 0]
    assert len(winners) == 1, results
    number = existing_document(target).number
    assert number == 120 + winners[0]
    for i, (code, err) in enumerate(results):
        if i != winners[0]:
            assert code == 2 and f"bản phát hành số {number}" in err, err
    assert leftovers(tmp_path) == []


def test_a_final_made_meanwhile_is_never_replaced(tmp_path: Path, data: Path, monkeypatch) -> None:
    """The other clerk's final appears between our check and our write: we lose, and say so."""
    target = tmp_path / "kh.docx"
    real = render_module.render_plan

    def render_then_someone_else_finishes_first(plan, template=None):
        content = real(plan, template)
        monkeypatch.setattr(render_module, "render_plan", real)
        issue_file(data, target, final=True, number=7, date="2024-03-20")
        return content

    monkeypatch.setattr(render_module, "render_plan", render_then_someone_else_finishes_first)
    with pytest.raises(OutputExistsError, match="một lệnh khác đã tạo bản phát hành số 7"):
        issue_file(data, target, final=True, number=8, date="2024-03-20")
    assert existing_document(target).number == 7
    assert leftovers(tmp_path) == []


# --- hand-edited drafts ------------------------------------------------------------------------

def edit_in_word(path: Path) -> None:
    """What Word does to our draft: the text changes, the "Dự thảo" comment stays."""
    src = path.read_bytes()
    doc = zipfile.ZipFile(io.BytesIO(src)).read("word/document.xml")
    assert "Sở Khoa học".encode() in doc
    path.write_bytes(rezip(src, replace={"word/document.xml": doc.replace("Sở Khoa học".encode(),
                                                                          "Sở KH&amp;CN".encode(), 1)}))


def test_an_edited_draft_is_not_replaced_without_force(tmp_path: Path, data: Path, capsys) -> None:
    out = tmp_path / "kh.docx"
    assert main(["render", str(data), "-o", str(out)]) == 0
    first = out.read_bytes()
    assert main(["render", str(data), "-o", str(out)]) == 0  # an untouched draft: replaced
    assert out.read_bytes() == first  # byte-identical, seal included
    edit_in_word(out)
    edited = out.read_bytes()
    capsys.readouterr()
    assert main(["render", str(data), "-o", str(out)]) == 2
    assert "đã được sửa" in capsys.readouterr().err
    assert out.read_bytes() == edited
    assert main(["render", str(data), "-o", str(out), "--force"]) == 0
    assert out.read_bytes() == first


def test_the_seal_keeps_output_valid_and_identical(tmp_path: Path, data: Path) -> None:
    from openxml_audit import OpenXmlValidator

    a, b = tmp_path / "a.docx", tmp_path / "b.docx"
    issue_file(data, a, final=True, number=125, date="2024-03-20")
    issue_file(data, b, final=True, number=125, date="2024-03-20")
    assert a.read_bytes() == b.read_bytes()
    state = existing_document(a)
    assert (state.kind, state.number, state.intact) == ("final", 125, True)
    result = OpenXmlValidator().validate(str(a))
    assert result.is_valid, [str(e) for e in result.errors][:5]


# --- PDF failure must not strand a final -------------------------------------------------------

def fake_soffice(tmp_path: Path, body: str) -> str:
    script = tmp_path / "fake-soffice"
    script.write_text(f"#!{sys.executable}\nimport os, sys, time\n{body}\n")
    script.chmod(0o755)
    return str(script)


def test_libreoffice_failure_commits_nothing(tmp_path: Path, data: Path, monkeypatch, capsys) -> None:
    exe = fake_soffice(tmp_path, "sys.exit(0)  # 'converts' and writes nothing, like a real failure")
    monkeypatch.setattr(pdf_module, "find_soffice", lambda: exe)
    out = tmp_path / "out" / "kh.docx"
    args = ["render", str(data), "--final", "--number", "125", "--date", "2024-03-20", "--pdf", "-o", str(out)]
    assert main(args) == 2
    assert "LibreOffice" in capsys.readouterr().err
    assert not out.exists() and not out.with_suffix(".pdf").exists()
    assert leftovers(out.parent) == []
    if HAS_SOFFICE:  # the retry is not refused: nothing was committed
        monkeypatch.undo()
        assert main(args) == 0
        assert out.exists() and out.with_suffix(".pdf").stat().st_size > 0


@needs_soffice
def test_a_stranded_final_gets_only_its_missing_pdf(tmp_path: Path, data: Path, capsys) -> None:
    out = tmp_path / "kh.docx"
    base = ["render", str(data), "--final", "--date", "2024-03-20", "-o", str(out)]
    assert main(base + ["--number", "125"]) == 0  # an older run: the final without its PDF
    before = out.read_bytes()
    capsys.readouterr()
    assert main(base + ["--number", "126", "--pdf"]) == 2  # other data: still never replaced
    assert not out.with_suffix(".pdf").exists()
    assert main(base + ["--number", "125", "--pdf"]) == 0
    assert "giữ nguyên" in capsys.readouterr().out
    assert out.read_bytes() == before and out.with_suffix(".pdf").stat().st_size > 0


def test_timeout_scales_with_the_document(tmp_path: Path) -> None:
    doc = tmp_path / "big.docx"
    with zipfile.ZipFile(doc, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b" " * (11 * 2**20))  # the text of a 10,000-task plan
    assert default_timeout([doc]) >= 120 + 15 + 180 * 11
    assert default_timeout([doc]) > default_timeout(1) + 500


def test_libreoffice_gets_its_own_tmpdir_removed_after_a_kill(tmp_path: Path, monkeypatch) -> None:
    system_tmp = tmp_path / "system-tmp"
    system_tmp.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(system_tmp))
    seen = tmp_path / "seen.txt"
    exe = fake_soffice(tmp_path, (
        f"open({str(seen)!r}, 'w').write(os.environ['TMPDIR'])\n"
        "open(os.path.join(os.environ['TMPDIR'], 'lu1234.tmp'), 'w').write('x')\n"
        "time.sleep(60)"))
    doc = tmp_path / "a.docx"
    doc.write_bytes(b"PK")
    with pytest.raises(ConversionError, match="không xong sau"):
        convert_to_pdf([doc], tmp_path / "out", timeout=2, soffice=exe)
    private = Path(seen.read_text())
    assert private.parent.name.startswith(pdf_module.WORKDIR_PREFIX)
    assert not private.exists()
    assert list(system_tmp.iterdir()) == []  # profile and temporary files went with the folder


def test_work_folders_of_killed_runs_are_swept(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f"{pdf_module.WORKDIR_PREFIX}{dead.pid}-abc"
    (stale / "tmp").mkdir(parents=True)
    alive = tmp_path / f"{pdf_module.WORKDIR_PREFIX}{os.getpid()}-abc"
    alive.mkdir()
    fresh = pdf_module._private_workdir()
    try:
        assert not stale.exists() and alive.exists()
    finally:
        shutil.rmtree(fresh)


# --- batch killed ------------------------------------------------------------------------------

def units_file(tmp_path: Path, count: int) -> Path:
    lines = ["mode: implementing", "units:"]
    for i in range(count):
        lines += [f"  - name: Đơn vị {i}", f"    agency: {{name: Sở Số {i}, abbreviation: S{i}}}"]
    path = tmp_path / "units.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def children(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def start_batch(tmp_path: Path, data: Path) -> tuple[subprocess.Popen, Path, list[int]]:
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "generator", "batch", str(data), "--units",
                             str(units_file(tmp_path, 400)), "-o", str(out), "--jobs", "2", "-q"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env())
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if out.is_dir() and any(out.glob("*.docx")):
            break
        time.sleep(0.05)
    workers = children(proc.pid)
    assert len(workers) >= 2, workers
    return proc, out, workers


def wait_gone(pids: list[int], seconds: float = 20) -> list[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(alive(p) for p in pids):
        time.sleep(0.1)
    return [p for p in pids if alive(p)]


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc")
def test_batch_workers_die_with_a_killed_parent(tmp_path: Path, data: Path) -> None:
    proc, out, workers = start_batch(tmp_path, data)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    try:
        assert wait_gone(workers) == []
    finally:
        for pid in workers:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
    assert leftovers(out) == []


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc")
def test_batch_sighup_is_handled_like_sigterm(tmp_path: Path, data: Path) -> None:
    proc, out, workers = start_batch(tmp_path, data)
    proc.send_signal(signal.SIGHUP)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "Đã dừng" in err, err
    assert wait_gone(workers) == []
    assert leftovers(out) == []


@needs_soffice
def test_batch_finals_stranded_by_libreoffice_get_only_their_pdfs(tmp_path: Path, data: Path, monkeypatch,
                                                                  capsys) -> None:
    """`batch --pdf` of finals whose LibreOffice step failed: the finals stay (never replaced), and
    the retry makes only the missing PDFs, after checking the data still makes the same bytes."""
    units = tmp_path / "units.yaml"
    units.write_text("mode: implementing\nunits:\n"
                     + "".join(f"  - name: Sở {c}\n    agency: {{name: Sở {c}, abbreviation: S{c}}}\n"
                               f"    signer: {{name: Người ký {c}, title: Giám đốc}}\n"
                               f"    number: {i + 10}\n    date: 2024-03-2{i}\n"
                               for i, c in enumerate("AB")), encoding="utf-8")
    out = tmp_path / "out"
    args = ["batch", str(data), "--units", str(units), "-o", str(out), "--pdf", "-q"]
    exe = fake_soffice(tmp_path, "sys.exit(0)  # 'converts' and writes nothing, like a real failure")
    monkeypatch.setattr(pdf_module, "find_soffice", lambda: exe)
    assert main(args) == 2
    finals = sorted(out.glob("*.docx"))
    assert len(finals) == 2 and not list(out.glob("*.pdf"))
    before = [f.read_bytes() for f in finals]
    monkeypatch.undo()
    capsys.readouterr()
    assert main(args) == 0, capsys.readouterr().err
    assert [f.read_bytes() for f in finals] == before  # the finals were not written again
    assert sorted(p.stem for p in out.glob("*.pdf")) == [f.stem for f in finals]
    # Changed data for one unit: its final is not replaced and no PDF is made from other bytes.
    for pdf in out.glob("*.pdf"):
        pdf.unlink()
    units.write_text(units.read_text(encoding="utf-8").replace("number: 10", "number: 99"), encoding="utf-8")
    assert main(args) == 2
    assert "khác với dữ liệu hiện tại" in capsys.readouterr().err
    assert [f.read_bytes() for f in finals] == before
