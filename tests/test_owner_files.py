"""Excel's and Word's owner ("lock") files, ~$tien-do.xlsx beside a workbook someone has open:
every command given one says what it is, who has the file open and which file to give instead
(one recognition, word.package.owner_of); a folder of sheets read leaves it out with a note."""

from __future__ import annotations

import shutil

import pytest
import yaml

from generator.cli import main
from generator.jobs.progress import write_progress_sheet
from generator.jobs.report import build_report
from generator.plan.loader import load_plan
from generator.plan.tasks import plan_tasks
from tests.word_fixtures import word_owner_file
from tests.year_fixtures import AS_OF, FILLED, fill, write_plan

USER = "Nguyễn Thị Văn Thư"


@pytest.fixture()
def filled(tmp_path):
    """The plan and one unit's filled sheet in a folder of replies."""
    plan_path = write_plan(tmp_path)
    sheet = write_progress_sheet(plan_path, tmp_path / "tien-do.xlsx")
    replies = tmp_path / "Báo cáo đơn vị"
    replies.mkdir()
    fill(sheet.output, replies / "tien-do-phong-a.xlsx", FILLED)
    return plan_path, replies


@pytest.mark.parametrize(("workbook", "lock"), [
    ("tien-do-phong-a.xlsx", "~$tien-do-phong-a.xlsx"),  # Excel keeps the whole name after ~$
    ("tien-do-phong-a.xlsx", "~$en-do-phong-a.xlsx"),    # Word's way: two letters lost to the mark
])
def test_report_given_excels_lock_file_names_it_the_user_and_the_workbook(filled, tmp_path, capsys,
                                                                         workbook, lock):
    plan_path, replies = filled
    (replies / lock).write_bytes(word_owner_file(USER))
    out = tmp_path / "bao-cao.yaml"
    assert main(["report", str(plan_path), "--progress", str(replies / lock), "--as-of", "30/09/2025",
                 "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "tệp khóa tạm Excel" in err and f"người đang mở: {USER}" in err
    assert f"bảng tính là tệp {workbook} cùng thư mục" in err
    assert "hỏng" not in err and ".xls cũ" not in err and "lưu lại" not in err and "Traceback" not in err
    assert not out.exists()


def test_a_folder_of_sheets_skips_the_lock_file_with_a_note_and_counts_the_workbook(filled, tmp_path):
    plan_path, replies = filled
    (replies / "~$tien-do-phong-a.xlsx").write_bytes(word_owner_file(USER))
    result = build_report(plan_path, [replies], AS_OF, tmp_path / "bao-cao.yaml")
    assert result.total.done == 5 and result.total.total == 10  # the filled sheet was read
    notes = [w for w in result.warnings if "~$tien-do-phong-a.xlsx" in w]
    assert len(notes) == 1 and "bỏ qua tệp khóa tạm Excel" in notes[0] and f"bởi {USER}" in notes[0]
    assert yaml.safe_load((tmp_path / "bao-cao.yaml").read_text(encoding="utf-8"))["type"] == "Báo cáo"


def test_a_shell_glob_picking_the_lock_file_with_its_workbook_reads_the_workbook(filled, tmp_path):
    plan_path, replies = filled
    lock = replies / "~$tien-do-phong-a.xlsx"
    lock.write_bytes(word_owner_file(USER))
    sheets = sorted(replies.glob("*.xlsx"))  # what `--progress folder/*.xlsx` passes
    assert lock in sheets
    result = build_report(plan_path, sheets, AS_OF, tmp_path / "bao-cao.yaml")
    assert result.total.done == 5
    assert any(str(lock) in w and "bỏ qua tệp khóa tạm Excel" in w for w in result.warnings)


@pytest.mark.parametrize("suffix", [".xlsx", ".csv", ".ods"])
def test_batch_units_given_the_lock_file_says_what_it_is(tmp_path, capsys, suffix):
    plan_path = write_plan(tmp_path)
    (tmp_path / f"don-vi{suffix}").write_bytes(b"PK\x03\x04 the workbook Excel has open")
    lock = tmp_path / f"~$don-vi{suffix}"
    lock.write_bytes(word_owner_file("vanthu"))
    assert main(["batch", str(plan_path), "--units", str(lock), "-o", str(tmp_path / "ra")]) == 2
    err = capsys.readouterr().err
    assert "tệp khóa tạm Excel" in err and "người đang mở: vanthu" in err
    assert f"bảng tính là tệp don-vi{suffix} cùng thư mục" in err and "hỏng" not in err
    assert not (tmp_path / "ra").exists() or not any((tmp_path / "ra").iterdir())


def test_import_given_the_lock_file_of_a_catalogue_says_what_it_is(tmp_path, capsys):
    lock = tmp_path / "~$danh-muc.xlsx"
    lock.write_bytes(word_owner_file(USER))
    assert main(["import", str(lock), "-o", str(tmp_path / "ra.yaml")]) == 2
    err = capsys.readouterr().err
    assert "tệp khóa tạm Excel" in err and f"người đang mở: {USER}" in err
    assert "không có ~$ ở đầu" in err and "hỏng" not in err  # its workbook is not beside it
    assert not (tmp_path / "ra.yaml").exists()


def test_words_lock_file_is_still_said_as_words_with_its_user(tmp_path, capsys):
    # The one recognition serves both: a .docx's lock file keeps Word's words.
    (tmp_path / "ke-hoach.docx").write_bytes(b"PK\x03\x04 the document")
    lock = tmp_path / "~$-hoach.docx"
    lock.write_bytes(word_owner_file(USER))
    assert main(["check", str(lock)]) == 2
    err = capsys.readouterr().err
    assert "tệp khóa tạm Word" in err and "văn bản là tệp ke-hoach.docx cùng thư mục" in err
    assert f"người đang mở: {USER}" in err and "Excel" not in err


def test_a_real_sheet_in_the_folder_is_never_taken_for_a_lock_file(filled, tmp_path):
    # Only the owner file's bytes make it one: a workbook saved under a ~$ name is still read.
    plan_path, replies = filled
    shutil.copy(replies / "tien-do-phong-a.xlsx", replies / "~$ban-sao.xlsx")
    result = build_report(plan_path, [replies], AS_OF, tmp_path / "bao-cao.yaml")
    assert not any("khóa" in w for w in result.warnings)
    assert len(plan_tasks(load_plan(plan_path))) == result.total.total
