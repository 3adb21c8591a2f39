"""Broken data files through the command line: exit 2, a located message, no traceback, no file.

The command runs in this process (generator.cli.main with its output captured): what the user sees is
the same, without starting Python 36 times; one test runs the real program to keep that path honest.
"""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from generator.cli import main
from tests.paths import ROOT

MINIMAL = """\
agency:
  parent: UBND tỉnh Quảng Ngãi
  name: Sở Khoa học và Công nghệ
  abbreviation: SKHCN
  place: Quảng Ngãi
date: 2024-03-20
subject: Truyền thông về kiểm soát thủ tục hành chính
units:
  hcth: {name: Phòng Hành chính - Tổng hợp, abbreviation: HCTH}
sections:
  - title: Mục đích, yêu cầu
    paragraphs: [Nội dung đoạn văn.]
recipients: [hcth]
signer:
  name: Nguyễn Văn Thành
  title: Giám đốc
"""


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """`kehoach ARGS` in this process: exit code, standard output and error as the program gives them."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(cwd), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return subprocess.CompletedProcess(["kehoach", *args], code, out.getvalue(), err.getvalue())


def run_program(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """The real program in its own process (`python -m generator`)."""
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def render_bytes(tmp_path: Path, raw: bytes, name: str = "plan.yaml") -> tuple[subprocess.CompletedProcess, Path]:
    data = tmp_path / name
    data.write_bytes(raw)
    out = tmp_path / "out"
    out.mkdir()
    result = run_cli("render", str(data), "-o", str(out) + "/")
    return result, out


def assert_refused(result: subprocess.CompletedProcess, out: Path, file: str, line: int | None,
                   *needles: str) -> str:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    assert list(out.iterdir()) == [], "no output (and no temporary file) after a refused input"
    if line is not None:
        assert re.search(rf"{re.escape(file)}:{line}(:\d+)?:", result.stderr), result.stderr
    else:
        assert re.search(rf"{re.escape(file)}:\d+", result.stderr), result.stderr
    for needle in needles:
        assert needle in result.stderr, result.stderr
    return result.stderr


def test_minimal_renders(tmp_path: Path) -> None:
    result, out = render_bytes(tmp_path, MINIMAL.encode())
    assert result.returncode == 0, result.stderr
    assert [p.name for p in out.iterdir()] == ["plan.docx"]


def test_the_real_program_refuses_a_broken_file_the_same_way(tmp_path: Path) -> None:
    data = tmp_path / "plan.yaml"
    data.write_text(MINIMAL.replace("  place: Quảng Ngãi", "\tplace: Quảng Ngãi"), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    spawned = run_program("render", str(data), "-o", f"{out}/")
    assert_refused(spawned, out, "plan.yaml", 5, "Tab")
    in_process = run_cli("render", str(data), "-o", f"{out}/")
    assert (in_process.returncode, in_process.stderr) == (spawned.returncode, spawned.stderr)


@pytest.mark.parametrize(("text", "line", "needle"), [
    (MINIMAL.replace("subject: Truyền", "subject: \"Truyền"), 7, "cú pháp YAML"),
    (MINIMAL.replace("  place: Quảng Ngãi", "\tplace: Quảng Ngãi"), 5, "Tab"),
    (MINIMAL.replace("subject: Truyền thông về", "subject: Truyền thông: về"), 7, "ngoặc kép"),
    (MINIMAL.replace("recipients: [hcth]", "recipients: [hcth"), None, "cú pháp YAML"),
])
def test_yaml_syntax_errors(tmp_path: Path, text: str, line: int | None, needle: str) -> None:
    result, out = render_bytes(tmp_path, text.encode())
    assert_refused(result, out, "plan.yaml", line, needle)


def test_empty_file(tmp_path: Path) -> None:
    result, out = render_bytes(tmp_path, b"")
    assert_refused(result, out, "plan.yaml", 1, "trống")
    (tmp_path / "x").mkdir()
    result, out = render_bytes(tmp_path / "x", "# chỉ có chú thích\n\n".encode())
    assert_refused(result, out, "plan.yaml", 1, "trống")


def test_binary_file(tmp_path: Path) -> None:
    raw = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)) * 4
    result, out = render_bytes(tmp_path, raw)
    assert_refused(result, out, "plan.yaml", 1, "nhị phân")



def _cp1258(text: str) -> bytes:
    """Windows-1258 as Windows writes it: â ê ô ă ơ ư đ precomposed, tones as combining marks."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFD", text):
        if ch in "\u0302\u0306\u031b":
            base = len(out) - 1
            while unicodedata.combining(out[base]):
                base -= 1
            out[base] = unicodedata.normalize("NFC", out[base] + ch)
        else:
            out.append(ch)
    return "".join(out).encode("cp1258")


def _ascii(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if not unicodedata.combining(c))


def test_windows_1258(tmp_path: Path) -> None:
    result, out = render_bytes(tmp_path, _cp1258(MINIMAL))
    assert_refused(result, out, "plan.yaml", None, "Windows-1258", "UTF-8")


# Well-known legacy renderings of "Cộng hoà xã hội chủ nghĩa Việt Nam / Độc lập - Tự do - Hạnh phúc /
# Kế hoạch" as they appear when TCVN3 (ABC) or VNI bytes are read as Windows-1252.
TCVN3_LINES = ["Céng hoµ x· héi chñ nghÜa ViÖt Nam", "§éc lËp - Tù do - H¹nh phóc",
               "KÕ ho¹ch truyÒn th«ng"]
VNI_LINES = ["Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "Ñoäc laäp - Töï do - Haïnh phuùc",
             "Keá hoaïch truyeàn thoâng"]


@pytest.mark.parametrize(("lines", "name"), [(TCVN3_LINES, "TCVN3"), (VNI_LINES, "VNI")])
@pytest.mark.parametrize("as_utf8", [False, True], ids=["raw-bytes", "already-decoded"])
def test_legacy_vietnamese_encodings(tmp_path: Path, lines: list[str], name: str, as_utf8: bool) -> None:
    # A legacy file: the Vietnamese is in the legacy code, everything else plain ASCII.
    text = (_ascii(MINIMAL).replace("subject: Truyen thong ve kiem soat thu tuc hanh chinh",
                                    "subject: " + " ".join(lines))
            .replace("  name: So Khoa hoc va Cong nghe", f"  name: {lines[0]}"))
    for ln in lines:
        assert ln in text
    raw = text.encode("utf-8") if as_utf8 else text.encode("cp1252")
    result, out = render_bytes(tmp_path, raw)
    stderr = assert_refused(result, out, "plan.yaml", 3, name, "Unicode", "Unikey", "Chuyển mã")
    assert "UTF-8" in stderr


def test_real_unicode_with_foreign_names_is_not_legacy(tmp_path: Path) -> None:
    text = MINIMAL.replace("Nội dung đoạn văn.", "Hợp tác với Müller & Søren, Ñandú, Zoë, Ångström.")
    result, out = render_bytes(tmp_path, text.encode())
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("tag", ["!!python/object/apply:os.system ['echo pwned > pwned.txt']",
                                 "!!python/object:builtins.dict {}",
                                 "!!python/name:os.system",
                                 "!custom 1"])
def test_python_tags_refused(tmp_path: Path, tag: str) -> None:
    text = MINIMAL.replace("subject: Truyền thông về kiểm soát thủ tục hành chính", f"subject: {tag}")
    result, out = render_bytes(tmp_path, text.encode())
    assert_refused(result, out, "plan.yaml", 7, "không được phép")
    assert not (tmp_path / "pwned.txt").exists() and not (ROOT / "pwned.txt").exists()


def test_alias_bomb_bounded(tmp_path: Path) -> None:
    bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for i, name in enumerate("bcdefghij"):
        prev = "abcdefghij"[i]
        bomb.append(f"{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]")
    text = MINIMAL + "\n".join(bomb) + "\n"
    result, out = render_bytes(tmp_path, text.encode())
    assert_refused(result, out, "plan.yaml", None, "bí danh")


def test_duplicate_keys_name_both_lines(tmp_path: Path) -> None:
    text = MINIMAL + "subject: Lần thứ hai\n"
    result, out = render_bytes(tmp_path, text.encode())
    last = text.count("\n")
    assert_refused(result, out, "plan.yaml", last, "dòng 7", f"dòng {last}", "hai lần")


def test_unknown_key_did_you_mean(tmp_path: Path) -> None:
    text = MINIMAL.replace("subject:", "subjet:").replace("  place:", "  plase:")
    result, out = render_bytes(tmp_path, text.encode())
    stderr = assert_refused(result, out, "plan.yaml", 7, "có phải ý bạn là 'subject'")
    assert "plan.yaml:5:" in stderr and "có phải ý bạn là 'place'" in stderr
    # A misspelt key is one mistake, one message: the unknown key's, which names the right one;
    # "thiếu trường 'subject'" would only repeat it.
    assert "thiếu trường bắt buộc" not in stderr and "2 lỗi" in stderr


@pytest.mark.parametrize(("old", "new", "line", "needle"), [
    ("subject: Truyền thông về kiểm soát thủ tục hành chính", "subject: 2024", 7, "phải là văn bản"),
    ("subject: Truyền thông về kiểm soát thủ tục hành chính", "subject: {a: b}", 7, "phải là văn bản"),
    ("subject: Truyền thông về kiểm soát thủ tục hành chính", "subject: true", 7, "phải là văn bản"),
    ("recipients: [hcth]", "recipients: hcth", 13, "danh sách"),
    ("date: 2024-03-20", "date: 31/13/2025", 6, "không có tháng 13"),
    ("date: 2024-03-20", "date: 2024-02-30", 6, "không có ngày 30"),
    ("signer:\n  name: Nguyễn Văn Thành", "signer: Nguyễn Văn Thành\nx:\n  name: a", 14, "nhóm trường"),
])
def test_wrong_types(tmp_path: Path, old: str, new: str, line: int, needle: str) -> None:
    text = MINIMAL.replace(old, new)
    assert text != MINIMAL
    result, out = render_bytes(tmp_path, text.encode())
    assert_refused(result, out, "plan.yaml", line, needle)


@pytest.mark.parametrize("word", ["yes", "no", "on", "off", "y", "n"])
def test_yes_no_is_not_a_boolean(tmp_path: Path, word: str) -> None:
    """YAML 1.1 reads yes/no as booleans; in a number field that is an error, in text it is a word."""
    result, out = render_bytes(tmp_path, (MINIMAL + f"number: {word}\n").encode())
    assert_refused(result, out, "plan.yaml", MINIMAL.count("\n") + 1, "số nguyên")
    from generator.plan.loader import load_plan

    data = tmp_path / "text.yaml"
    data.write_text(MINIMAL.replace("title: Giám đốc", f"title: {word}"), encoding="utf-8")
    assert load_plan(data).signer.title == word


def test_leading_zero_and_dates_stay_text(tmp_path: Path) -> None:
    """An unquoted 05 in a text field must stay "05", not become 5; dates and 1.50 stay as typed."""
    from generator.plan.loader import load_plan

    text = (MINIMAL.replace("subject: Truyền thông về kiểm soát thủ tục hành chính", "subject: 05")
            .replace("title: Giám đốc", "title: 2024-03-20")
            .replace("paragraphs: [Nội dung đoạn văn.]", "paragraphs: [1.50, 007, 1:30, 0x1F]"))
    data = tmp_path / "plan.yaml"
    data.write_text(text, encoding="utf-8")
    plan = load_plan(data)
    assert plan.subject == ["05"]
    assert plan.signer.title == "2024-03-20"
    assert plan.sections[0].paragraphs == ["1.50", "007", "1:30", "0x1F"]
    # The document number is a number: 05 is số 5, printed "05" by the rule for numbers below 10.
    data.write_text(MINIMAL + "number: 05\n", encoding="utf-8")
    assert load_plan(data).number == 5


def test_crossref_errors_reported_with_model_errors(tmp_path: Path) -> None:
    text = (MINIMAL.replace("abbreviation: SKHCN", "abbreviation: skhcn")
            .replace("recipients: [hcth]", "recipients: [hcht]")
            .replace("paragraphs: [Nội dung đoạn văn.]", "paragraphs: [[\"Thực hiện \", {cite: kh36}]]"))
    result, out = render_bytes(tmp_path, text.encode())
    stderr = assert_refused(result, out, "plan.yaml", 4, "IN HOA")
    assert "plan.yaml:13:" in stderr and "có phải ý bạn là 'hcth'" in stderr
    assert "plan.yaml:12:" in stderr and "'kh36'" in stderr
    assert "3 lỗi" in stderr


def test_missing_file_and_directory(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    for target in (tmp_path / "nope.yaml", tmp_path):
        result = run_cli("render", str(target), "-o", str(out) + "/")
        assert result.returncode == 2 and "Traceback" not in result.stderr
        assert str(target) in result.stderr
        assert list(out.iterdir()) == []


@pytest.mark.parametrize(("name", "command"), [("ke-hoach.docx", "import"), ("danh-muc.xlsx", "import"),
                                               ("ke-hoach", "import"), ("ke-hoach.docx", "check")])
def test_a_folder_given_for_a_file_is_the_users_mistake(tmp_path: Path, name: str, command: str) -> None:
    """A folder where a Word file or workbook is expected: POSIX opens a folder for reading, so the
    one reader of users' files (word.package.read_bounded) must judge what it opened, or `import`
    ends as an internal error (exit 70, a log file) for a click on the wrong name."""
    folder = tmp_path / name
    folder.mkdir()
    out = tmp_path / "x.yaml"
    result = run_cli(command, str(folder), "-o", str(out)) if command == "import" else run_cli(command, str(folder))
    assert result.returncode == 2, result.stderr
    assert f"{folder}: đây là thư mục, không phải tệp" in result.stderr
    assert "lỗi bên trong" not in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="named pipes are POSIX")
@pytest.mark.parametrize(("name", "command"), [("ke-hoach.docx", "check"), ("ke-hoach.docx", "import"),
                                               ("danh-muc.xlsx", "import")])
def test_a_named_pipe_is_refused_not_waited_on(tmp_path: Path, name: str, command: str) -> None:
    """A named pipe named like a Word file or a workbook: opening it for reading would wait for a
    writer forever. One reader of users' files (word.package.read_bounded) refuses it by what it is."""
    import os
    import threading

    pipe = tmp_path / name
    os.mkfifo(pipe)
    got: dict[str, subprocess.CompletedProcess] = {}
    worker = threading.Thread(target=lambda: got.update(r=run_cli(command, str(pipe), "-o", str(tmp_path / "x.yaml"))
                                                        if command == "import" else run_cli(command, str(pipe))),
                              daemon=True)
    worker.start()
    worker.join(60)
    if worker.is_alive():  # unblock the reader so the session can end, then fail
        with open(pipe, "wb"):
            pass
        pytest.fail(f"kehoach {command} waited on a named pipe")
    result = got["r"]
    assert result.returncode == 2 and "không phải tệp thường" in result.stderr, result.stderr
    assert not (tmp_path / "x.yaml").exists()
