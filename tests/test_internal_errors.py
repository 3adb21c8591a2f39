"""A bug of kehoach's found by its own checks is an InternalError (exit 70, a log to report), never a
user's mistake (exit 2): rollover's check of the new year's file it made is such a check."""

from __future__ import annotations

import shutil
import tempfile

import pytest

from generator.cli import main
from generator.errors import DataError, InternalError, Problem
from generator.jobs import rollover
from tests.paths import SAMPLE


@pytest.fixture
def rollover_makes_an_invalid_file(monkeypatch):
    def invalid(parsed):
        raise DataError([Problem("ke-hoach-2025.yaml", 3, 1, "date", "x", "ngày không hợp lệ")])

    monkeypatch.setattr(rollover, "validate", invalid)


def test_rollover_reports_its_own_invalid_output_as_a_bug(tmp_path, rollover_makes_an_invalid_file):
    data = tmp_path / "ke-hoach.yaml"
    shutil.copy(SAMPLE, data)
    out = tmp_path / "ke-hoach-2025.yaml"
    with pytest.raises(InternalError, match="lỗi của kehoach, xin báo lại"):
        rollover.rollover_file(data, 2025, out)
    assert not out.exists()


def test_the_command_line_exits_70_for_it(tmp_path, rollover_makes_an_invalid_file, monkeypatch, capsys):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the log of the bug goes here, not into /tmp
    data = tmp_path / "ke-hoach.yaml"
    shutil.copy(SAMPLE, data)
    assert main(["rollover", str(data), "--year", "2025", "-o", str(tmp_path / "moi.yaml")]) == 70
    assert "lỗi bên trong kehoach" in capsys.readouterr().err
    assert not (tmp_path / "moi.yaml").exists()
    assert [log.name.startswith("kehoach-loi-") for log in tmp_path.glob("*.log")] == [True]
