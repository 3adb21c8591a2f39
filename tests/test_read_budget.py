"""The read budget (limits.READ_SECONDS, READ_MEMORY) is applied by the library calls that read an
untrusted file, not only by the command line: check_file and import_file bound their reading
whoever calls them, with the message naming the file; a budget inside another leaves the outer one
in force."""

from __future__ import annotations

import signal

import pytest

from generator import limits
from generator.check import check_file
from generator.cli import main
from generator.jobs.importer import import_file


@pytest.fixture
def no_memory_to_spare(monkeypatch):
    """A read budget with no address space to add: any growth while reading runs out of it."""
    monkeypatch.setattr(limits, "READ_MEMORY", 0)


def test_check_file_reads_within_the_budget(sample_docx, no_memory_to_spare):
    with pytest.raises(limits.BudgetExceeded) as info:
        check_file(sample_docx)
    assert str(info.value).startswith(f"{sample_docx}: tệp quá phức tạp")
    assert "không phải văn bản bình thường" in str(info.value)


def test_import_file_reads_within_the_budget_and_writes_nothing(sample_docx, tmp_path, no_memory_to_spare):
    out = tmp_path / "nhap.yaml"
    with pytest.raises(limits.BudgetExceeded, match="tệp quá phức tạp"):
        import_file(sample_docx, out)
    assert not out.exists()


def test_the_command_line_reports_the_librarys_budget(sample_docx, no_memory_to_spare, capsys):
    assert main(["check", str(sample_docx)]) == 2
    assert f"{sample_docx}: tệp quá phức tạp" in capsys.readouterr().err


def test_an_inner_budget_leaves_the_outer_timer_running():
    with limits.budget(60, 2**40, "ngoài"):
        with limits.read_budget("trong.docx"):
            pass
        remaining, _ = signal.getitimer(signal.ITIMER_REAL)
        assert remaining > 0
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
