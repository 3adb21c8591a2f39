"""A YAML syntax error reads in Vietnamese: the place to look (line, column), what is wrong and
the fix; never the parser's English ("mapping values are not allowed here")."""

from __future__ import annotations

import re

import pytest

from generator.cli import main
from generator.errors import DataError
from generator.plan.loader import parse_yaml

ENGLISH = re.compile(r"\b(expected|found|while|scanning|parsing|mapping|stream|token|alias|anchor|"
                     r"allowed|block end|document|character)\b", re.IGNORECASE)

# name: (text, line, column, fragments of the message)
CASES = {
    "colon_in_text": ("subject: Kế hoạch: năm 2024\n", 1, 18, ["dấu ':'", "ngoặc kép"]),
    "tab_indent": ("agency:\n\tname: Sở\n", 2, 1, ["Tab", "dấu cách"]),
    "unclosed_double_quote": ('subject: "Kế hoạch\nnumber: 5\n', 1, 10, ["ngoặc kép", "chưa được đóng"]),
    "unclosed_single_quote": ("subject: 'Kế hoạch\nnumber: 5\n", 1, 10, ["ngoặc đơn", "chưa được đóng"]),
    "unclosed_list": ("recipients: [a, b\nnumber: 5\n", 2, 7, ["'['", "dòng 1", "']'"]),
    "unclosed_group": ("signer: {name: A\nnumber: 5\n", 2, 7, ["'{'", "dòng 1", "'}'"]),
    # Opened and nothing after it: the place is the bracket, not the end of the file.
    "list_open_at_end": ("subject: Quý [I] năm 2026\nrecipients: [\n", 2, 13, ["'['", "']'", "hết tệp"]),
    "group_open_at_end": ("recipients:\n  - a # ghi chú [\n  - {name: B, abbreviation: X\n", 3, 5,
                          ["'{'", "'}'", "hết tệp"]),
    "bad_indent": ("agency:\n  name: Sở\n abbreviation: S\n", 3, 2, ["thụt lề"]),
    "star_text": ("subject: *quan trọng* nhé\n", 1, 10, ["'*quan'", "bí danh", "ngoặc kép"]),
    "star_word": ("subject: *quantrọng* nhé\n", 1, 17, ["'*'", "bí danh", "ngoặc kép"]),
    "undefined_alias": ("subject: *abc\n", 1, 10, ["'*abc'", "&abc"]),
    "at_sign": ("subject: @abc\n", 1, 10, ["'@'", "ngoặc kép"]),
    "backslash_in_quotes": ('subject: "C:\\du-lieu"\n', 1, 14, ["'\\d'", "ngoặc đơn"]),
    "two_documents": ("number: 1\n---\nnumber: 2\n", 2, 1, ["'---'", "một kế hoạch"]),
    "stray_item": ("number: 1\n- a\n", 2, 1, ["'- …'", "thụt lề"]),
    "duplicate_anchor": ("a: &x 1\nb: &x 2\n", 2, 4, ["hai lần", "dòng 1"]),
    "control_character": ("subject: a\x07b\n", 1, 11, ["ký tự điều khiển", "U+0007"]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_syntax_error_is_told_in_vietnamese(name: str) -> None:
    text, line, column, fragments = CASES[name]
    with pytest.raises(DataError) as caught:
        parse_yaml(text, "ke-hoach.yaml")
    (problem,) = caught.value.problems
    message = str(problem)
    assert (problem.line, problem.column) == (line, column), message
    assert message.startswith(f"ke-hoach.yaml:{line}:{column}: lỗi cú pháp YAML: "), message
    for fragment in fragments:
        assert fragment in message, message
    assert not ENGLISH.search(message.replace("ke-hoach.yaml", "")), message


def test_the_command_line_prints_the_vietnamese_message(tmp_path, capsys) -> None:
    data = tmp_path / "ke-hoach.yaml"
    data.write_text("agency:\n  name: Sở\nsubject: Kế hoạch: năm 2024\n", encoding="utf-8")
    assert main(["validate", str(data)]) == 2
    err = capsys.readouterr().err
    assert f"lỗi: {data}:3:18: lỗi cú pháp YAML: dấu ':'" in err and "1 lỗi; chưa tạo tệp nào." in err
    assert not ENGLISH.search(err.replace(str(data), "")), err
