"""A YAML syntax error told in Vietnamese: what is wrong, where (line, column), and how to fix it.

Why not the parser's own text: "mapping values are not allowed here" or "expected <block end>, but
found '<block mapping start>'" mean nothing to the staff who write these files. PyYAML's messages are
fixed sentences (a `context` saying what it was reading, a `problem` saying what it met); each family
is named here by those words, and the place is moved to where the user must look (an unclosed quote
or bracket is reported where it was opened, not at the end of the file).
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from ..errors import Problem

_QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'")

QUOTE_ALL = "hãy đặt cả giá trị trong dấu ngoặc kép \"…\""
INDENT = "các trường cùng cấp phải thụt vào bằng nhau (mỗi cấp 2 dấu cách)"
TAB = "YAML không cho dùng phím Tab để thụt lề; hãy thay bằng dấu cách"


def syntax_problem(exc: yaml.YAMLError, text: str, file: str) -> Problem:
    """The one Problem for a file PyYAML refused (a MarkedYAMLError or a ReaderError)."""
    if isinstance(exc, yaml.reader.ReaderError):
        line, column = _line_column(text, exc.position)
        code = f"U+{exc.character:04X}" if isinstance(exc.character, int) else repr(exc.character)
        return Problem(file, line, column, "", None,
                       f"lỗi cú pháp YAML: có ký tự điều khiển không in được ({code}); hãy xóa ký tự đó "
                       "(thường do dán từ Word hay trang web)")
    if not isinstance(exc, yaml.MarkedYAMLError):
        return Problem(file, None, None, "", None,
                       "lỗi cú pháp YAML: tệp không đọc được; kiểm tra thụt lề và dấu ngoặc kép")
    mark = exc.problem_mark or exc.context_mark
    problem, context = (exc.problem or "").strip(), (exc.context or "").strip()
    opened = exc.context_mark
    if opened is not None and ("end of stream" in problem or "document separator" in problem):
        mark = opened  # an unclosed quote or bracket: where it was opened is what the user must fix
    if "flow" in context and "stream end" in problem:
        # "recipients: [" and nothing after: PyYAML marks the end of the file, not the bracket.
        bracket = _unclosed_bracket(text)
        if bracket is not None:
            char, line, column = bracket
            closing = "]" if char == "[" else "}"
            kind = "danh sách" if char == "[" else "nhóm trường"
            return Problem(file, line, column, "", None,
                           f"lỗi cú pháp YAML: {kind} mở bằng '{char}' ở đây chưa được đóng bằng '{closing}' "
                           f"(YAML đọc đến hết tệp mà không thấy dấu đóng); hãy thêm '{closing}' sau phần tử cuối")
    what = _describe(problem, context, text, exc.problem_mark, opened)
    return Problem(file, mark.line + 1 if mark else None, mark.column + 1 if mark else None, "", None,
                   f"lỗi cú pháp YAML: {what}")


def _describe(problem: str, context: str, text: str, at: Any, opened: Any) -> str:
    found = _found(problem)
    lines = text.splitlines()
    if found == "\\t" or (at is not None and at.line < len(lines) and "\t" in lines[at.line][: at.column + 1]):
        return f"có ký tự Tab ở đầu dòng hoặc trước giá trị; {TAB}"
    where = f"dòng {opened.line + 1}" if opened is not None else "phía trên"
    if "quoted scalar" in context and ("end of stream" in problem or "document separator" in problem):
        quote = _char_at(lines, opened)
        kind = "ngoặc đơn" if quote == "'" else "ngoặc kép"
        return (f"dấu {kind} {quote} mở ở đây chưa được đóng; hãy thêm dấu {quote} ở cuối giá trị "
                "(YAML đọc tiếp đến hết tệp mà không thấy dấu đóng)")
    if "escape" in problem:
        return (f"trong dấu ngoặc kép, '\\' bắt đầu một ký tự đặc biệt và '\\{found or ''}' không phải ký tự "
                "nào; hãy viết '\\\\' cho một dấu '\\', hoặc dùng dấu ngoặc đơn '…' (ví dụ đường dẫn "
                "'C:\\thu-muc')")
    if "mapping values are not allowed" in problem:
        return ("dấu ':' theo sau là dấu cách ở giữa nội dung làm YAML hiểu nhầm là tên trường mới; "
                f"{QUOTE_ALL} (nếu đây đúng là tên trường: kiểm tra thụt lề của nó)")
    if "could not find expected ':'" in problem:
        return "dòng này thiếu dấu ':' sau tên trường, hoặc thụt lề sai so với dòng trên; kiểm tra cả hai"
    if "sequence entries are not allowed" in problem:
        return ("dấu '-' (một phần tử danh sách) đứng ở chỗ chỉ được có giá trị; kiểm tra thụt lề, "
                f"hoặc nếu '-' là chữ của nội dung thì {QUOTE_ALL}")
    if "mapping keys are not allowed" in problem:
        return f"dấu '?' ở đầu giá trị có nghĩa riêng trong YAML; {QUOTE_ALL}"
    if "flow sequence" in context:
        return (f"danh sách mở bằng '[' ở {where} chưa được đóng bằng ']', hoặc thiếu dấu ',' giữa các phần "
                f"tử; một phần tử có dấu ':' hay ',' thì {QUOTE_ALL}")
    if "flow mapping" in context:
        return (f"nhóm mở bằng '{{' ở {where} chưa được đóng bằng '}}', hoặc thiếu dấu ',' giữa các trường; "
                f"một giá trị có dấu ':' hay ',' thì {QUOTE_ALL}")
    if "duplicate anchor" in context:
        return f"bí danh được khai báo hai lần (lần đầu ở {where}); hãy đổi tên một trong hai"
    if "alias" in context or "anchor" in context:
        sign = "*" if "alias" in context else "&"
        return (f"giá trị bắt đầu bằng '{sign}' được YAML hiểu là bí danh; nếu đó là chữ "
                f"(ví dụ '{sign}ghi chú{sign}'), {QUOTE_ALL}")
    if "undefined alias" in problem:
        return (f"bí danh '*{found}' chưa được khai báo bằng '&{found}' ở phía trên; nếu đó là chữ, "
                f"{QUOTE_ALL}")
    if "single document" in context:
        return ("tệp có hơn một phần, ngăn bởi dòng '---'; một tệp dữ liệu chỉ chứa một kế hoạch: hãy xóa "
                "dòng '---' này hoặc tách phần sau thành tệp riêng")
    if "cannot start any token" in problem:
        return f"giá trị không được bắt đầu bằng ký tự '{found}'; {QUOTE_ALL}"
    if "tag" in context or "tag" in problem:
        return f"giá trị bắt đầu bằng '!' được YAML hiểu là thẻ; {QUOTE_ALL}"
    if "directive" in context or "document start" in problem:
        return (f"dòng bắt đầu bằng '%' (chỉ thị YAML) hoặc nội dung sau dòng '...' kết thúc tệp; nếu là nội "
                f"dung, {QUOTE_ALL}")
    if "block scalar" in context:
        return ("khối chữ nhiều dòng (sau '|' hoặc '>') viết sai: sau dấu đó chỉ được có số 1–9, '+' hoặc "
                "'-', rồi xuống dòng")
    if "node content" in problem:
        return f"thiếu giá trị ở đây (sau ',' hoặc '-'); nếu ký tự này là chữ, {QUOTE_ALL}"
    if "block end" in problem:
        if found == "-":
            what = ("phần tử danh sách '- …' đứng sai chỗ: thụt lề của nó không khớp với danh sách phía trên, "
                    "hoặc dòng trên thiếu tên trường có dấu ':'")
        elif found in ("]", "}"):
            what = f"dấu '{found}' thừa (không có dấu mở tương ứng); hãy xóa hoặc {QUOTE_ALL}"
        else:
            what = f"thụt lề của dòng này không khớp với các dòng trên; {INDENT}"
        return what + _unclosed_hint(text, at)
    return ("YAML không đọc được chỗ này; kiểm tra thụt lề (mỗi cấp 2 dấu cách) và dấu ngoặc kép"
            + _unclosed_hint(text, at))


def _unclosed_bracket(text: str) -> tuple[str, int, int] | None:
    """The innermost '[' or '{' still open at the end of the text, as (char, line, column), 1-based.

    A bracket opens a flow collection only where a value starts (after "key: ", "- ", or inside
    another flow collection); elsewhere it is a letter of the text ("Quý [I]"). Quotes and comments
    are skipped."""
    stack: list[tuple[str, int, int]] = []
    for number, line in enumerate(text.splitlines(), 1):
        quote, value_start = "", True
        i = 0
        while i < len(line):
            c = line[i]
            if quote:
                if c == "\\" and quote == '"':
                    i += 1
                elif c == quote:
                    quote = ""
            elif c in "'\"" and (value_start or stack):
                quote = c
            elif c == "#" and (i == 0 or line[i - 1] in " \t"):
                break
            elif c in "[{" and (value_start or stack):
                stack.append((c, number, i + 1))
            elif c in "]}" and stack:
                stack.pop()
            if not c.isspace():
                value_start = c in "-:,[{" and (i + 1 == len(line) or line[i + 1] == " " or c in ",[{")
            i += 1
    return stack[-1] if stack else None


def _found(problem: str) -> str | None:
    """The character or token the parser names in its message ("found '*'", "but got ':'")."""
    quoted = _QUOTED.findall(problem)
    return quoted[-1] if quoted else None


def _char_at(lines: list[str], mark: Any) -> str:
    if mark is None or mark.line >= len(lines) or mark.column >= len(lines[mark.line]):
        return '"'
    return lines[mark.line][mark.column]


def _line_column(text: str, position: int) -> tuple[int, int]:
    before = text[:position]
    return before.count("\n") + 1, position - (before.rfind("\n") + 1) + 1


def _unclosed_hint(text: str, at: Any) -> str:
    line = _unclosed_quote_line(text, at.line if at is not None else None)
    if line is None:
        return ""
    return (f"; có thể thiếu dấu ngoặc kép đóng ở dòng {line}: YAML đọc tiếp đến dấu ngoặc kép sau và báo "
            "lỗi ở đây")


def _unclosed_quote_line(text: str, error_line: int | None) -> int | None:
    """1-based line before the error whose value opens a double quote it never closes."""
    if error_line is None:
        return None
    lines = text.splitlines()
    for n in range(min(error_line, len(lines) - 1), -1, -1):
        line = lines[n].split(" #")[0]
        value = re.split(r":\s|^\s*-\s", line, maxsplit=1)[-1].lstrip()
        if value.startswith('"') and (len(value) == 1 or not value.rstrip().endswith('"')
                                      or value.rstrip().endswith('\\"')):
            return n + 1
    return None
