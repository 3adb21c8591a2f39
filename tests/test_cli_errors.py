"""Broken data files through the command line: exit code 2, every message located
(file:line:column, field path, the value given), no traceback and no file written."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from tests.paths import ROOT, SAMPLE
from tests.word_fixtures import word_owner_file

SAMPLE_TEXT = SAMPLE.read_text(encoding="utf-8")


def broken(tmp_path: Path, old: str, new: str, count: int = 1) -> tuple[Path, int]:
    """The sample with one edit; returns the file and the 1-based line of the edit."""
    assert old in SAMPLE_TEXT, old
    text = SAMPLE_TEXT.replace(old, new, count)
    line = SAMPLE_TEXT[: SAMPLE_TEXT.index(old)].count("\n") + 1
    path = tmp_path / "ke-hoach.yaml"
    path.write_text(text, encoding="utf-8")
    return path, line


SUBJECT = "subject: Truyền thông về hoạt động kiểm soát thủ tục hành chính năm 2024 của Sở Khoa học và Công nghệ"

CASES = {
    # name: (old, new, expected path, expected value shown or None, message fragment, column)
    "yaml_syntax": (SUBJECT, "subject: Truyền thông: kiểm soát TTHC năm 2024", None, None,
                    "lỗi cú pháp YAML", 22),
    "missing_field": ("  name: Sở Khoa học và Công nghệ        # cơ quan ban hành (tự in hoa)\n", "",
                      "agency.name", None, "thiếu trường bắt buộc 'name'", None),
    "wrong_type": ("  name: Sở Khoa học và Công nghệ        # cơ quan ban hành (tự in hoa)",
                   "  name: 5", "agency.name", "'5'", "phải là văn bản", 9),
    "unknown_field": (SUBJECT, SUBJECT.replace("subject:", "subjet:"), "subjet", None,
                      "có phải ý bạn là 'subject'?", 1),
    "undeclared_unit": ("            lead: [hcth]\n", "            lead: [hcht]\n",
                        "appendices[0].groups[0].tasks[1].lead[0]", "'hcht'",
                        "có phải ý bạn là 'hcth'?", 20),
}


@pytest.mark.parametrize("name", list(CASES))
def test_broken_file_is_reported_and_nothing_written(name, tmp_path, capsys):
    old, new, path, value, fragment, column = CASES[name]
    data, line = broken(tmp_path, old, new)
    if name == "missing_field":
        line -= 1  # reported at the agency block, on the line before the removed one
    out = tmp_path / "out" / "ke-hoach.docx"
    before = sorted(tmp_path.rglob("*"))
    assert main(["render", str(data), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    problems = [msg for msg in err.splitlines() if msg.startswith("lỗi: ")]
    assert problems and all(re.match(rf"lỗi: {re.escape(str(data))}:\d+:\d+: ", msg) for msg in problems), err
    # A renamed field is also a missing one: pick the message about the edited line.
    (problem,) = [msg for msg in problems if fragment in msg]
    m = re.match(rf"lỗi: {re.escape(str(data))}:(\d+):(\d+): ", problem)
    assert m, f"no file:line:column in {problem!r}"
    assert int(m.group(1)) == line, problem
    if column is not None:
        assert int(m.group(2)) == column, problem
    if path is not None:
        assert problem[m.end():].startswith(f"{path}: "), problem
    if value is not None:
        assert problem.endswith(f"(giá trị: {value})"), problem
    assert fragment in problem
    assert "chưa tạo tệp nào" in err
    assert not out.exists() and sorted(tmp_path.rglob("*")) == before, "a file was written"


def test_unknown_field_shows_the_value(tmp_path, capsys):
    data, line = broken(tmp_path, SUBJECT, SUBJECT.replace("subject:", "subjet:"))
    assert main(["validate", str(data)]) == 2
    err = capsys.readouterr().err
    assert f"{data}:{line}:1: subjet: " in err
    assert "(giá trị: 'Truyền thông về hoạt động" in err


def test_all_mistakes_reported_at_once(tmp_path, capsys):
    text = SAMPLE_TEXT.replace(SUBJECT, SUBJECT.replace("subject:", "subjet:")).replace(
        "  name: Sở Khoa học và Công nghệ        # cơ quan ban hành (tự in hoa)", "  name: 5")
    data = tmp_path / "ke-hoach.yaml"
    data.write_text(text, encoding="utf-8")
    assert main(["render", str(data), "-o", str(tmp_path / "x.docx")]) == 2
    err = capsys.readouterr().err
    assert "agency.name: phải là văn bản" in err
    assert "subjet: trường 'subjet' không có trong mẫu dữ liệu" in err
    assert "có phải ý bạn là 'subject'" in err  # the misspelt key names the field it stands for
    assert "thiếu trường bắt buộc 'subject'" not in err  # one mistake, one message
    assert "2 lỗi; chưa tạo tệp nào." in err
    assert not (tmp_path / "x.docx").exists()


def test_syntax_error_through_python_m(tmp_path):
    # The real entry point, in a fresh process: a user's mistake never shows a traceback.
    data, line = broken(tmp_path, SUBJECT, "subject: Truyền thông: kiểm soát TTHC năm 2024")
    out = tmp_path / "ke-hoach.docx"
    proc = subprocess.run([sys.executable, "-m", "generator", "render", str(data), "-o", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert f"{data}:{line}:" in proc.stderr
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ke-hoach.yaml"]


def test_unknown_field_through_python_m(tmp_path):
    data, line = broken(tmp_path, SUBJECT, SUBJECT.replace("subject:", "subjet:"))
    proc = subprocess.run([sys.executable, "-m", "generator", "render", str(data), "-o",
                           str(tmp_path / "o.docx")], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "có phải ý bạn là 'subject'?" in proc.stderr
    assert not (tmp_path / "o.docx").exists()


def test_existing_output_kept_when_data_is_broken(tmp_path, capsys):
    # A failed re-render must not destroy the previous good document.
    out = tmp_path / "ke-hoach.docx"
    out.write_bytes(b"previous document")
    data, _ = broken(tmp_path, SUBJECT, SUBJECT.replace("subject:", "subjet:"))
    assert main(["render", str(data), "-o", str(out)]) == 2
    assert out.read_bytes() == b"previous document"


def test_schema_command(capsys):
    import json

    assert main(["schema"]) == 0
    printed = capsys.readouterr().out
    schema = json.loads(printed)
    assert {"agency", "sections", "appendices"} <= set(schema["properties"])
    assert set(schema["required"]) >= {"agency", "sections", "signer"}
    committed = (ROOT / "kehoach.schema.json").read_text(encoding="utf-8")
    assert committed == printed, "kehoach.schema.json is stale; run `kehoach schema -o kehoach.schema.json --force`"


def test_unclosed_quote_names_the_line_where_it_opens(tmp_path, capsys):
    from generator.cli import main

    sample = SAMPLE
    lines = sample.read_text(encoding="utf-8").splitlines()
    n = next(i for i, line in enumerate(lines) if line.startswith("subject:"))
    lines[n] = 'subject: "Truyền thông về hoạt động kiểm soát'
    bad = tmp_path / "thieu-ngoac.yaml"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["validate", str(bad)]) == 2
    assert f"thiếu dấu ngoặc kép đóng ở dòng {n + 1}" in capsys.readouterr().err


# --- a bug of kehoach's is not the user's mistake ---------------------------------------------------

@pytest.mark.parametrize("error", [KeyError("template_part"), None], ids=["unexpected", "internal-error"])
def test_an_internal_error_exits_70_with_a_log_to_report(tmp_path, monkeypatch, capsys, error):
    import tempfile

    from generator.errors import InternalError
    from generator.jobs import issue

    def broken(*args, **kwargs):
        raise error if error is not None else InternalError("tệp năm mới không hợp lệ")

    monkeypatch.setattr(issue, "issue_file", broken)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.delenv("KEHOACH_TRACEBACK", raising=False)
    assert main(["render", str(SAMPLE), "-o", str(tmp_path / "out.docx")]) == 70
    err = capsys.readouterr().err
    assert "Traceback" not in err and "lỗi bên trong kehoach" in err and "khi báo lỗi" in err
    (log,) = tmp_path.glob("kehoach-loi-*.log")
    assert str(log) in err
    details = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in details and "in broken" in details
    assert f"lệnh: kehoach render {SAMPLE}" in details
    assert not (tmp_path / "out.docx").exists()


def test_kehoach_traceback_lets_a_developer_see_the_exception(monkeypatch):
    from generator.jobs import issue

    monkeypatch.setattr(issue, "issue_file", lambda *a, **k: 1 / 0)
    monkeypatch.setenv("KEHOACH_TRACEBACK", "1")
    with pytest.raises(ZeroDivisionError):
        main(["render", str(SAMPLE)])


@pytest.mark.parametrize("port", ["99999", "0", "abc"])
def test_a_port_out_of_range_is_the_users_mistake(port, capsys):
    # 99999 used to reach the socket and end as "lỗi bên trong kehoach" (exit 70) with a log file.
    with pytest.raises(SystemExit) as caught:
        main(["serve", ".", "--no-browser", "--port", port])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert "--port" in err and "kehoach-loi-" not in err and "Traceback" not in err


def test_check_json_on_an_unreadable_file_is_still_json(tmp_path, capsys):
    # A script runs `kehoach check X --json` and parses stdout: a file it cannot read must not leave
    # stdout empty. The message stays on stderr and the exit code stays 2.
    import json

    not_docx = tmp_path / "ghi-chu.docx"
    not_docx.write_text("không phải Word", encoding="utf-8")
    assert main(["check", str(not_docx), "--json"]) == 2
    captured = capsys.readouterr()
    got = json.loads(captured.out)
    assert got["source"] == str(not_docx) and got["exit_code"] == 2
    assert len(got["errors"]) == 1 and "không phải văn bản Word" in got["errors"][0]
    assert "lỗi:" in captured.err


@pytest.mark.parametrize(("document", "lock", "user"), [
    ("ke-hoach-2026.docx", "~$-hoach-2026.docx", "Van Thu"),  # a long name loses two letters to ~$
    ("kh.docx", "~$kh.docx", "vanthu"),                     # a short one keeps them all
    ("Kế hoạch tháng 3.docx", "~$ hoạch tháng 3.docx", "Nguyễn Thị Văn Thư"),
], ids=["long-name", "short-name", "vietnamese-name-and-user"])
@pytest.mark.parametrize("command", ["check", "import"])
def test_a_word_lock_file_is_named_as_such_with_its_document(command, document, lock, user, tmp_path, capsys):
    """A clerk picks "~$…docx" in a file list while the plan is open in Word: the command says it is
    Word's lock file and which file is the document, not "tệp hỏng"; nothing is written."""
    folder = tmp_path / "Văn bản đến"
    folder.mkdir()
    (folder / document).write_bytes(b"PK\x03\x04 whatever Word saved")
    (folder / "ke-hoach-2026-so-125.docx").write_bytes(b"PK\x03\x04 another document")
    (folder / lock).write_bytes(word_owner_file(user))
    before = sorted(p.name for p in folder.iterdir())
    args = [command, str(folder / lock)] + (["-o", str(tmp_path / "ra.yaml")] if command == "import" else [])
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "tệp khóa tạm Word" in err and f"văn bản là tệp {document} cùng thư mục" in err
    assert "tệp hỏng" not in err and "Traceback" not in err
    assert sorted(p.name for p in folder.iterdir()) == before and not (tmp_path / "ra.yaml").exists()


def test_a_word_lock_file_without_its_document_still_says_what_it_is(tmp_path, capsys):
    # The document moved away (or the lock file was copied alone): said as a lock file all the same.
    lock = tmp_path / "~$-hoach.docx"
    lock.write_bytes(word_owner_file("Van Thu"))
    assert main(["check", str(lock)]) == 2
    err = capsys.readouterr().err
    assert "tệp khóa tạm Word" in err and "không có ~$ ở đầu" in err


def test_a_small_file_that_is_no_lock_file_is_still_said_broken(tmp_path, capsys):
    # The lock file's explanation is for Word's lock file only: other junk keeps its own message.
    junk = tmp_path / "ke-hoach.docx"
    junk.write_bytes(b"\x05hello" + b"\x00" * 200)
    assert main(["check", str(junk)]) == 2
    err = capsys.readouterr().err
    assert "tệp hỏng" in err and "tệp khóa" not in err


@pytest.mark.parametrize(("argv", "said"), [
    (["render", "{plan}", "--froce"], "kehoach render: lỗi: tham số không nhận ra: --froce; có phải ý bạn là --force?"),
    (["check", "{plan}", "--jsn"], "kehoach check: lỗi: tham số không nhận ra: --jsn; có phải ý bạn là --json?"),
    (["render", "{plan}", "--so", "125"], "tham số không nhận ra: --so 125; xem kehoach render --help"),
    (["render", "{plan}", "thua.yaml"], "tham số không nhận ra: thua.yaml; xem kehoach render --help"),
    (["render", "{plan}", "-o"], "tham số -o/--output: cần một giá trị sau tùy chọn này"),
    (["render", "{plan}", "--f"], "tùy chọn --f chưa đủ rõ, có thể là --final, --force; hãy viết đủ tên"),
    (["render", "{plan}", "--pdf=co"], "tham số --pdf: tùy chọn này không nhận giá trị ('co'); bỏ phần =… đi"),
    (["report", "{plan}", "--progress", "--as-of", "30/06/2024", "-o", "bc.yaml"],
     "tham số --progress: cần ít nhất một giá trị sau tùy chọn này"),
], ids=["misspelt", "misspelt-check", "vietnamese-word", "extra-file", "no-value", "ambiguous",
        "value-to-a-switch", "empty-list"])
def test_a_mistyped_command_line_is_said_in_vietnamese_with_the_commands_usage(argv, said, capsys):
    """The command's own usage above the error (not the top level's), argparse's English never
    shown, and the option meant when one is close: exit 2, nothing run."""
    with pytest.raises(SystemExit) as caught:
        main([a.replace("{plan}", str(SAMPLE)) for a in argv])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert said in err and f"cách dùng: kehoach {argv[0]} " in err
    english = re.findall(r"\b(?:usage|expected|argument|ambiguous|ignored|unrecognized|could match)\b", err)
    assert english == [], err


def _office_package(main_part: str, content_type: str) -> bytes:
    """A minimal Office zip whose main part is `main_part` of `content_type` (as its application writes
    [Content_Types].xml): what check and import are given when a clerk picks the wrong file."""
    import io
    import zipfile

    types = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
             '<Default Extension="xml" ContentType="application/xml"/>'
             f'<Override PartName="/{main_part}" ContentType="{content_type}"/></Types>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", types)
        z.writestr(main_part, "<root/>")
    return out.getvalue()


def _excel_book() -> bytes:
    import io

    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["STT", "Nội dung", "Chủ trì"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(("name", "data", "said"), [
    ("tien-do.xlsx", _excel_book, "bảng tính Excel (.xlsx)"),
    ("ke-hoach.docx", _excel_book, "bảng tính Excel (.xlsx)"),  # renamed: told by content, not by name
    ("tien-do.xlsm", lambda: _office_package("xl/workbook.xml",
                                             "application/vnd.ms-excel.sheet.macroEnabled.main+xml"),
     "bảng tính Excel có macro (.xlsm)"),
    ("trinh-chieu.pptx", lambda: _office_package(
        "ppt/presentation.xml", "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"),
     "bài trình chiếu PowerPoint (.pptx)"),
    ("ke-hoach.docx", lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "tệp PDF"),  # the portal's issued copy, renamed
], ids=["xlsx", "xlsx-named-docx", "xlsm", "pptx", "pdf-named-docx"])
@pytest.mark.parametrize("command", ["check", "import"])
def test_another_office_file_is_named_for_what_it_is(command, name, data, said, tmp_path, capsys):
    """An Excel sheet or a PowerPoint file picked in place of the plan is an Office zip like a .docx,
    and a PDF is what the portal gives: the message names what it is, not "tệp hỏng … hãy mở bằng
    Word rồi lưu lại"."""
    given = tmp_path / name
    given.write_bytes(data())
    if command == "import" and name.endswith((".xlsx", ".xlsm")):
        pytest.skip("kehoach import reads a workbook named so as a catalogue (tests/test_sheet_limits.py)")
    out = tmp_path / "ra.yaml"
    assert main([command, str(given)] + (["-o", str(out)] if command == "import" else [])) == 2
    err = capsys.readouterr().err
    assert f"đây là {said}, không phải văn bản Word .docx" in err and "hãy chọn tệp văn bản Word" in err
    assert "tệp hỏng" not in err and "mở bằng Word rồi lưu" not in err and not out.exists()


def test_a_word_file_given_as_data_suggests_the_import_of_that_very_file(sample_docx, tmp_path, capsys):
    """Last year's plan in Word handed to render: the suggested command names the file (quoted, as
    a path with spaces must be typed) and the data file it makes, and it works as printed."""
    import shlex

    word = tmp_path / "Kế hoạch năm trước.docx"
    word.write_bytes(sample_docx.read_bytes())
    assert main(["render", str(word)]) == 2
    err = capsys.readouterr().err
    suggested = re.search(r"kehoach (import .+?), rồi dùng tệp (.+)$", err, re.M)
    assert suggested is not None, err
    assert suggested.group(2) == "Kế hoạch năm trước.yaml"
    assert main(shlex.split(suggested.group(1))) == 0
    assert main(["validate", str(tmp_path / suggested.group(2))]) == 0


def test_an_output_named_without_docx_says_both_ways_and_the_folder_way_works(tmp_path, capsys):
    """`-o ban-in` where no such folder is: a file name lacking .docx, or a folder not made yet. The
    message gives both fixes, and the folder one, typed as said, writes the document into it."""
    wanted = tmp_path / "ban-in"
    assert main(["render", str(SAMPLE), "-o", str(wanted)]) == 2
    err = capsys.readouterr().err
    assert "phải có đuôi .docx (ví dụ ban-in.docx)" in err and "(ban-in/)" in err and not wanted.exists()
    assert main(["render", str(SAMPLE), "-o", str(wanted) + "/"]) == 0
    assert (wanted / SAMPLE.with_suffix(".docx").name).is_file()
