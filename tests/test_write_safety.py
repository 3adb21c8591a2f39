"""Writing never destroys what a user would keep, and a filesystem problem is a message, not a crash."""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.cli import main
from generator.word.output import atomic_write

from tests.paths import ROOT, SAMPLE

PLAN = SAMPLE
IMPLEMENTING = ROOT / "data" / "don-vi-trien-khai.yaml"


def _md5(path: Path) -> str:
    return hashlib.md5(path.read_bytes()).hexdigest()


def test_batch_never_replaces_a_final_without_force(tmp_path, capsys):
    out = tmp_path / "out"
    final = tmp_path / "final.docx"
    plan = tmp_path / "kh.yaml"  # a copy: issuing writes the number into the data file
    shutil.copy(PLAN, plan)
    assert main(["render", str(plan), "--final", "--number", "7", "-o", str(final)]) == 0
    assert main(["batch", str(PLAN), "--units", str(IMPLEMENTING), "-o", str(out), "-q"]) == 0
    shutil.copy(final, out / "so-y-te.docx")  # a signed final now sits where batch writes
    before = _md5(out / "so-y-te.docx")
    capsys.readouterr()

    assert main(["batch", str(PLAN), "--units", str(IMPLEMENTING), "-o", str(out), "-q"]) == 2
    err = capsys.readouterr().err
    assert "so-y-te.docx" in err and "bản phát hành số 7" in err and "Traceback" not in err
    assert _md5(out / "so-y-te.docx") == before  # untouched
    # --force re-creates a final of the same number only: never a draft over an issued final.
    assert main(["batch", str(PLAN), "--units", str(IMPLEMENTING), "-o", str(out), "-q", "--force"]) == 2
    assert "kể cả với --force" in capsys.readouterr().err
    assert _md5(out / "so-y-te.docx") == before


def test_batch_replaces_its_own_earlier_drafts(tmp_path):
    out = tmp_path / "out"
    for _ in range(2):
        assert main(["batch", str(PLAN), "--units", str(IMPLEMENTING), "-o", str(out), "-q"]) == 0


def test_output_that_is_a_folder_or_unwritable_is_a_message(tmp_path, capsys):
    folder = tmp_path / "thu-muc"
    folder.mkdir()
    assert main(["schema", "-o", str(folder)]) == 2
    blocker = tmp_path / "tep"
    blocker.write_text("x")
    assert main(["render", str(PLAN), "-o", str(blocker / "x.docx")]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "thư mục" in err
    assert blocker.read_text() == "x"


def test_atomic_write_leaves_no_temporary_file_on_failure(tmp_path):
    target = tmp_path / "a" / "b.docx"
    atomic_write(target, b"1")
    assert target.read_bytes() == b"1"
    assert [p.name for p in target.parent.iterdir()] == ["b.docx"]


def test_schema_and_rollover_refuse_to_replace_a_users_files(tmp_path, capsys):
    data = tmp_path / "ke-hoach-2024.yaml"
    shutil.copy(PLAN, data)
    before = _md5(data)
    assert main(["schema", "-o", str(data)]) == 2  # not .json: never the plan file
    existing = tmp_path / "s.json"
    existing.write_text("{}")
    assert main(["schema", "-o", str(existing)]) == 2
    assert existing.read_text() == "{}"
    assert main(["schema", "-o", str(existing), "--force"]) == 0
    signed = tmp_path / "signed.docx"
    signed.write_bytes(b"PK")
    assert main(["rollover", str(data), "--year", "2025", "-o", str(signed), "--force"]) == 2
    assert signed.read_bytes() == b"PK"
    assert main(["rollover", str(data), "--year", "2023"]) == 2  # backwards
    assert _md5(data) == before
    assert "Traceback" not in capsys.readouterr().err


# --- issue 30, data loss: every writing command, on real paths -------------------------------------
#
# Each case runs the command as a user types it, in its folder, with a path whose words hide what
# it names (missing/../FILE, a link to FILE). Afterwards every file that was there has the same
# bytes, nothing named "missing" was created, no temporary file is left, and the message is a
# Vietnamese one with exit code 2.

def _hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir() if p.is_file()}


@pytest.fixture
def work(tmp_path: Path, monkeypatch) -> Path:
    """A folder as a văn thư has it: a plan, its units file, a restyled template, a final, a
    catalogue, a signed PDF and what signing needs (stand-ins: refused before they are read)."""
    monkeypatch.chdir(tmp_path)
    shutil.copy(PLAN, tmp_path / "kh-2024.yaml")
    from generator.jobs.starter import this_years_plan

    shutil.copy(PLAN, tmp_path / this_years_plan()[0])  # what `init` would write (this year's plan)
    shutil.copy(PLAN, tmp_path / "kh-2025.yaml")
    shutil.copy(IMPLEMENTING, tmp_path / "u.yaml")
    assert main(["template", "mau.docx"]) == 0
    assert main(["render", "kh-2024.yaml", "-o", "kh.docx"]) == 0
    # Issued from a copy: issuing records number 7 in its data file (issue 24), and the cases below
    # need kh-2024.yaml to stay a draft.
    shutil.copy(PLAN, tmp_path / "kh-ban-hanh.yaml")
    assert main(["render", "kh-ban-hanh.yaml", "--final", "--number", "7", "--date", "2024-03-20",
                 "-o", "final.docx"]) == 0
    (tmp_path / "out").mkdir()
    shutil.copy(tmp_path / "mau.docx", tmp_path / "out" / "so-y-te.docx")  # a template where batch writes
    (tmp_path / "x.csv").write_text("TT;Nội dung\n1;Khảo sát\n", encoding="utf-8")
    (tmp_path / "s.json").write_text("{}", encoding="utf-8")
    (tmp_path / "in.pdf").write_bytes(b"%PDF-1.7\n% chua ky\n")
    (tmp_path / "signed.pdf").write_bytes(b"%PDF-1.7\n% da ky\n")
    (tmp_path / "k.p12").write_bytes(b"khoa bi mat")
    (tmp_path / "pw.txt").write_text("matkhau\n", encoding="utf-8")
    (tmp_path / "chu-ky.png").write_bytes(b"\x89PNG anh chu ky")
    for link, to in (("csv-link.yaml", "x.csv"), ("docx-link.yaml", "kh.docx"), ("mau-link.docx", "mau.docx"),
                     ("key-link.pdf", "k.p12"), ("plan-link.yaml", "kh-2024.yaml")):
        (tmp_path / link).symlink_to(to)
    (tmp_path / "dangling.json").symlink_to(tmp_path / "elsewhere" / "new.json")
    return tmp_path


SIGN = ["--as", "signer", "--p12", "k.p12", "--password-file", "pw.txt", "--image", "chu-ky.png"]

# (command line, words the message must have): the command's own input, even with --force ...
INPUT_CASES = [
    (["rollover", "kh-2024.yaml", "--year", "2025", "-o", "missing/../kh-2024.yaml", "--force"], "tệp gốc"),
    (["rollover", "kh-2024.yaml", "--year", "2025", "-o", "plan-link.yaml", "--force"], "tệp gốc"),
    (["import", "x.csv", "-o", "x.csv", "--force"], ".yaml"),
    (["import", "x.csv", "-o", "missing/../csv-link.yaml", "--force"], "tệp gốc"),
    (["import", "kh.docx", "-o", "docx-link.yaml", "--force"], "tệp gốc"),
    (["render", "kh-2024.yaml", "--template", "mau.docx", "-o", "missing/../mau.docx", "--force"], "tệp gốc"),
    (["render", "kh-2024.yaml", "--template", "mau.docx", "-o", "mau-link.docx", "--force"], "tệp gốc"),
    (["sign", "in.pdf", "-o", "missing/../in.pdf", *SIGN, "--force"], "tệp gốc"),
    (["sign", "in.pdf", "-o", "key-link.pdf", *SIGN, "--force"], "tệp gốc"),
    (["batch", "kh-2024.yaml", "--units", "u.yaml", "--template", "out/so-y-te.docx", "-o", "missing/../out",
      "--force", "-q"], "tệp gốc"),
]
# ... and a file that is there, without --force (an issued final, a signed PDF, a user's file).
EXISTING_CASES = [
    (["schema", "-o", "missing/../s.json"], "đã có"),
    (["rollover", "kh-2024.yaml", "--year", "2025", "-o", "missing/../kh-2025.yaml"], "đã có"),
    (["import", "x.csv", "-o", "missing/../kh-2025.yaml"], "đã có"),
    (["import", "kh.docx", "-o", "missing/../kh-2025.yaml"], "đã có"),
    (["render", "kh-2024.yaml", "-o", "missing/../final.docx"], "bản phát hành số 7"),
    (["render", "kh-2024.yaml", "--final", "--number", "8", "--date", "2024-03-21", "-o", "missing/../final.docx"],
     "không bao giờ bị ghi đè"),
    (["sign", "in.pdf", "-o", "missing/../signed.pdf", *SIGN], "đã có"),
    (["template", "missing/../mau.docx"], "thư mục"),
    (["template", "mau.docx"], "đã có"),
    (["init", "missing/.."], "đã có"),
    (["schema", "-o", "dangling.json"], "liên kết"),
]


def _case_id(argv: list[str]) -> str:
    named = argv[argv.index("-o") + 1] if "-o" in argv else argv[1]
    return f"{argv[0]} {named}" + (" --force" if "--force" in argv else "")


@pytest.mark.parametrize(("argv", "words"), INPUT_CASES + EXISTING_CASES,
                         ids=[_case_id(a) for a, _ in INPUT_CASES + EXISTING_CASES])
def test_no_path_trick_replaces_a_file(work: Path, capsys, argv: list[str], words: str) -> None:
    before, before_out = _hashes(work), _hashes(work / "out")
    capsys.readouterr()
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert words in err and err.startswith("lỗi") and "Traceback" not in err and "không mong đợi" not in err
    assert {k: v for k, v in _hashes(work).items() if k in before} == before
    assert {k: v for k, v in _hashes(work / "out").items() if k in before_out} == before_out
    assert not (work / "missing").exists() and not (work / "elsewhere").exists()
    assert not [p.name for p in [*work.iterdir(), *(work / "out").iterdir()]
                if p.name.startswith(".") or p.suffix == ".tmp"]


def test_the_real_path_decides_not_the_words(work: Path) -> None:
    """What the rules allow still works through such paths, and creates no folder on the way."""
    assert main(["schema", "-o", "missing/../s.json", "--force"]) == 0  # an output, not an input
    assert (work / "s.json").read_text(encoding="utf-8").startswith("{\n")
    assert main(["rollover", "kh-2024.yaml", "--year", "2026", "-o", "missing/../kh-2026.yaml"]) == 0
    assert "năm 2026" in (work / "kh-2026.yaml").read_text(encoding="utf-8")
    assert not (work / "missing").exists()
    assert main(["schema", "-o", "moi/s.json"]) == 0  # a folder named plainly is made
    assert (work / "moi" / "s.json").is_file()


def test_a_link_to_an_output_is_written_through_with_force(work: Path) -> None:
    (work / "s-link.json").symlink_to("s.json")
    assert main(["schema", "-o", "s-link.json"]) == 2
    assert main(["schema", "-o", "s-link.json", "--force"]) == 0
    assert (work / "s-link.json").is_symlink()  # the link stays; the file it names is the new one
    assert (work / "s.json").read_text(encoding="utf-8").startswith("{\n")


# --- issue 30, clear messages: a folder that cannot be written ------------------------------------
#
# As root every folder can be written, so the command runs in a child process as another user
# (nobody, by setpriv) on a folder only its owner may write; as any other user the mode is enough.

AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
OTHER_USER = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] if AS_ROOT else []


@pytest.fixture
def shared() -> Iterator[Path]:
    """A folder every user may read (pytest's tmp_path is private to root), with a plan, a units
    file, a catalogue and a read-only folder "ro"."""
    folder = Path(tempfile.mkdtemp(prefix="kehoach-ro-"))
    try:
        folder.chmod(0o755)
        for src, name in ((PLAN, "kh-2024.yaml"), (IMPLEMENTING, "u.yaml")):
            shutil.copy(src, folder / name)
        (folder / "x.csv").write_text("TT;Nội dung\n1;Khảo sát\n", encoding="utf-8")
        for p in folder.iterdir():
            p.chmod(0o644)
        (folder / "ro").mkdir(mode=0o555)
        (folder / "ro").chmod(0o555)
        yield folder
    finally:
        (folder / "ro").chmod(0o755)
        shutil.rmtree(folder, ignore_errors=True)


READ_ONLY_CASES = [
    ["render", "kh-2024.yaml", "-o", "ro/kh.docx"],
    ["render", "kh-2024.yaml", "--pdf", "-o", "ro/kh.docx"],
    ["render", "kh-2024.yaml", "-o", "ro/moi/kh.docx"],
    ["batch", "kh-2024.yaml", "--units", "u.yaml", "-o", "ro", "-q", "--jobs", "1"],
    ["batch", "kh-2024.yaml", "--units", "u.yaml", "-o", "ro/moi", "-q", "--jobs", "1"],
    ["schema", "-o", "ro/s.json"],
    ["rollover", "kh-2024.yaml", "--year", "2025", "-o", "ro/kh-2025.yaml"],
    ["import", "x.csv", "-o", "ro/x.yaml"],
    ["progress", "kh-2024.yaml", "-o", "ro/tien-do.xlsx"],
    ["init", "ro/moi"],
    ["template", "ro/mau.docx"],
]
# The way each command is told to write elsewhere: its own -o, or the folder it takes as argument;
# init and template have no -o, and a hint naming one sent the user looking for an option that is not there.
CHOOSE_ANOTHER = {"init": "(kehoach init THƯ-MỤC)", "template": "(kehoach template ĐÍCH)"}


@functools.cache
def _other_user_runs_kehoach() -> bool:
    """Whether the other user can run this checkout with this environment: a venv or a clone in a
    folder only root may enter (mktemp -d makes those) cannot be run as nobody."""
    probe = subprocess.run([*OTHER_USER, sys.executable, "-c", "import generator.cli, docx"],
                           cwd=tempfile.gettempdir(), capture_output=True, text=True,
                           env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    return probe.returncode == 0


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX users and modes")
@pytest.mark.skipif(AS_ROOT and shutil.which("setpriv") is None, reason="as root, needs setpriv to be another user")
@pytest.mark.parametrize("argv", READ_ONLY_CASES, ids=[" ".join(a[:3]) for a in READ_ONLY_CASES])
def test_a_read_only_folder_is_named_in_a_clear_message(shared: Path, argv: list[str]) -> None:
    if AS_ROOT and not _other_user_runs_kehoach():
        pytest.skip("as root the command runs as nobody, who cannot read this checkout or its virtual "
                    "environment (make their folders readable by all to run this test)")
    run = subprocess.run([*OTHER_USER, sys.executable, "-m", "generator", *argv], cwd=shared, capture_output=True,
                         text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=300)
    assert run.returncode == 2, run.stderr
    assert f"không có quyền ghi vào thư mục {shared / 'ro'}" in run.stderr
    choose = CHOOSE_ANOTHER.get(argv[0], "(-o)")
    assert f"hãy chọn thư mục khác {choose}" in run.stderr, run.stderr
    assert all(other not in run.stderr for other in {*CHOOSE_ANOTHER.values(), "(-o)"} - {choose}), run.stderr
    assert "không mong đợi" not in run.stderr and "Traceback" not in run.stderr
    assert list((shared / "ro").iterdir()) == []


def test_the_overwrite_rule_reads_its_zip_limits_from_limits_py(tmp_path: Path, monkeypatch) -> None:
    """One set of limits (issue 29): the reader that decides whether a draft may be replaced
    refuses a package by generator.limits, not by numbers of its own."""
    from generator import limits
    from generator.jobs.issue import existing_document

    draft = tmp_path / "kh.docx"
    assert main(["render", str(PLAN), "-o", str(draft)]) == 0
    assert existing_document(draft).kind == "draft"
    monkeypatch.setattr(limits, "MAX_TOTAL_BYTES", 1024)
    assert existing_document(draft).kind is None  # too large to read: not taken for ours
    monkeypatch.undo()
    monkeypatch.setattr(limits, "MAX_MEMBERS", 3)
    assert existing_document(draft).kind is None


def test_batch_never_writes_through_a_link_out_of_its_folder(tmp_path: Path, capsys) -> None:
    """A link planted at a unit's name, to an earlier draft of ours elsewhere, is not followed."""
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    assert main(["batch", str(PLAN), "--units", str(IMPLEMENTING), "-o", str(elsewhere), "-q"]) == 0
    out.mkdir()
    (out / "so-y-te.docx").symlink_to(elsewhere / "so-y-te.docx")
    before = _md5(elsewhere / "so-y-te.docx")
    capsys.readouterr()
    assert main(["batch", str(PLAN), "--units", str(IMPLEMENTING), "-o", str(out), "-q"]) == 2
    assert "ngoài thư mục" in capsys.readouterr().err
    assert _md5(elsewhere / "so-y-te.docx") == before and (out / "so-y-te.docx").is_symlink()


def test_a_full_disk_is_a_message_and_leaves_nothing(tmp_path: Path, monkeypatch, capsys) -> None:
    import errno

    import generator.word.output as output

    def full(fd: int, data: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(output.os, "write", full)
    assert main(["schema", "-o", str(tmp_path / "s.json")]) == 2
    monkeypatch.undo()
    err = capsys.readouterr().err
    assert f"ổ đĩa chứa thư mục {tmp_path} đã đầy" in err and "không có tệp dở dang" in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("argv", [["render", "--force"], ["render"]], ids=["force", "own-draft"])
def test_a_file_held_open_elsewhere_is_named_not_the_folders_rights(tmp_path: Path, monkeypatch, capsys,
                                                                  argv: list[str]) -> None:
    """Windows will not replace a file Word or a PDF reader has open (nor one marked read-only): the
    rename fails with "access denied" while the folder can be written. The clerk is told to close
    that file, not to ask for rights on a folder they can write; the earlier file stays whole."""
    import errno

    import generator.word.output as output

    data = tmp_path / "Kế hoạch 2024" / "kh.yaml"
    data.parent.mkdir()
    shutil.copy(PLAN, data)
    out = tmp_path / "ra"
    made = out / "kh.docx"
    assert main(["render", str(data), "-o", str(made)]) == 0
    before = _md5(made)
    capsys.readouterr()

    def held(src: object, dst: object) -> None:
        raise PermissionError(errno.EACCES, "Access is denied")

    monkeypatch.setattr(output.os, "replace", held)
    assert main([argv[0], str(data), "-o", str(made), *argv[1:]]) == 2
    monkeypatch.undo()
    err = capsys.readouterr().err
    assert "tệp kh.docx đang mở trong chương trình khác" in err and "hãy đóng tệp đó" in err
    assert "không có quyền ghi vào thư mục" not in err and "Traceback" not in err
    assert _md5(made) == before and sorted(p.name for p in out.iterdir()) == ["kh.docx"]
