"""Writing never destroys what a user would keep, and a filesystem problem is a message, not a crash."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from generator.cli import main
from generator.word.package import atomic_write

from tests.paths import ROOT, SAMPLE

PLAN = SAMPLE
IMPLEMENTING = ROOT / "data" / "don-vi-trien-khai.yaml"


def _md5(path: Path) -> str:
    return hashlib.md5(path.read_bytes()).hexdigest()


def test_batch_never_replaces_a_final_without_force(tmp_path, capsys):
    out = tmp_path / "out"
    final = tmp_path / "final.docx"
    assert main(["render", str(PLAN), "--final", "--number", "7", "-o", str(final)]) == 0
    assert main(["batch", str(PLAN), "--units", str(IMPLEMENTING), "-o", str(out), "-q"]) == 0
    shutil.copy(final, out / "so-y-te.docx")  # a signed final now sits where batch writes
    before = _md5(out / "so-y-te.docx")
    capsys.readouterr()

    assert main(["batch", str(PLAN), "--units", str(IMPLEMENTING), "-o", str(out), "-q"]) == 2
    err = capsys.readouterr().err
    assert "so-y-te.docx" in err and "--force" in err and "Traceback" not in err
    assert _md5(out / "so-y-te.docx") == before  # untouched
    assert main(["batch", str(PLAN), "--units", str(IMPLEMENTING), "-o", str(out), "-q", "--force"]) == 0
    assert _md5(out / "so-y-te.docx") != before


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
