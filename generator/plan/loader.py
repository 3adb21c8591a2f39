"""Reading a plan file: YAML with the line of every value, validated into a Plan, every mistake
reported at once with file:line:column, field path, the value given and how to fix it.

Why not yaml.safe_load: it forgets where each value was, accepts duplicate keys silently (the later
wins) and expands alias bombs without limit. We compose the node tree with the safe loader and build
the Python values ourselves, keeping a map from field path to position.
"""

from __future__ import annotations

import difflib
import io
import re
import unicodedata
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from .. import limits
from ..errors import DataError, Problem
from ..text import WORD_LINE_BREAK, shell_arg
from ..word.legacy_fonts import UNICODE_ONLY
from .model import Plan, build_plan_validator
from .yaml_syntax import syntax_problem

Loc = tuple[str | int, ...]


@dataclass
class Source:
    """A parsed YAML document and where each of its values came from."""

    file: str
    data: Any
    value_marks: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[Loc, tuple[int, int]] = field(default_factory=dict)

    def position(self, loc: Loc, *, key: bool = False) -> tuple[int | None, int | None]:
        """Line and column (1-based) of the value at loc, or of its nearest ancestor."""
        marks = self.key_marks if key else self.value_marks
        if key and loc not in marks:
            marks = self.value_marks
        while True:
            if loc in marks:
                return marks[loc]
            if not loc:
                return None, None
            loc = loc[:-1]


def format_path(loc: Loc) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def show_value(value: Any, limit: int = 80) -> str:
    if isinstance(value, str):
        text = value
    elif value is None:
        text = "(trống)"
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, dict):
        text = "{…}"
    elif isinstance(value, list):
        text = "[…]"
    else:
        text = str(value)
    text = text.replace("\n", "⏎")
    return repr(text[: limit - 1] + "…" if len(text) > limit else text)


# Legacy Vietnamese encodings, seen as Latin-1/Windows-1252 characters (which is how they look
# both when the bytes are read raw and when an editor has already re-saved them as UTF-8).
# TCVN3 (ABC) puts ă â ê ô ơ ư đ and tone letters at 0xA8-0xAE, 0xB5-0xB9…, symbols that never sit
# inside a Vietnamese word ("KÕ ho¹ch", "Qu¶ng Ng·i", "®¬n vÞ"). VNI writes a base letter followed
# by a mark character, several of which Vietnamese never uses (ï ø û å ä ë ü ö ñ: "Keá hoaïch",
# "ñôn vò").
_TCVN3 = re.compile(r"(?<=[A-Za-z])[\xa8-\xae\xb5-\xb9\xbd\xbe\xc6\xc7\xd7\xde]|"
                    r"[\xa7\xae\xa8-\xad](?=[A-Za-z])")
_VNI = re.compile(r"(?<=[A-Za-z])[\xef\xf8\xfb\xe5\xe4\xeb\xfc\xf6\xcf\xd8\xdb\xc5\xc4\xcb\xdc\xd6]|"
                  r"[\xd1\xf1](?=[a-zA-Z\xf4\xf6])")
# Unicode Vietnamese: a letter only Unicode has (word/legacy_fonts.py holds the tables of both legacy
# encodings; the signature characters above are codes of those tables that never sit inside a Unicode
# Vietnamese word, tests/test_legacy_fonts.py checks it).
_VIETNAMESE = re.compile("[" + "".join(sorted(UNICODE_ONLY)) + "]")
_CONVERT = ("hãy chuyển sang Unicode: mở Unikey → Công cụ (Ctrl+Shift+F6) → Chuyển mã, bảng mã "
            "nguồn {source}, bảng mã đích Unicode; rồi lưu tệp với mã UTF-8")


def legacy_encoding(text: str) -> tuple[str, int] | None:
    """("TCVN3"|"VNI", first line) when text looks like legacy-encoded Vietnamese, else None.

    A file in real Unicode has precomposed Vietnamese letters (ạ, ế, ư…); a legacy one has none,
    so a few signature characters are enough without misjudging names like "Müller".
    """
    if len(_VIETNAMESE.findall(text)) > 3:
        return None
    scores = {}
    for name, pattern in (("TCVN3", _TCVN3), ("VNI", _VNI)):
        hits = list(pattern.finditer(text))
        if len(hits) >= 3:
            scores[name] = (len(hits), hits[0].start())
    if not scores:
        return None
    name = max(scores, key=lambda k: scores[k][0])
    return name, text.count("\n", 0, scores[name][1]) + 1


def _utf16(raw: bytes) -> bool:
    """Notepad's "Unicode" (UTF-16): a byte-order mark, or every other byte zero in Latin text."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    head = raw[:4096]
    return len(head) >= 8 and (head[1::2].count(0) > len(head) * 0.4 or head[0::2].count(0) > len(head) * 0.4)


_DOCUMENT_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"{\\rtf")
"""How a .docx/.xlsx/.odt (a zip), a .doc/.xls (OLE2) and an .rtf begin (web pages and Word's XML:
word.webdoc.sniff)."""


def _decode(raw: bytes, file: str) -> str:
    from ..word.webdoc import sniff

    # A plan downloaded from a portal as a web page or Word's XML (Word opens it as its own) is a
    # document too, told by what it begins with (word/webdoc.py), never by its name.
    if (raw.startswith(_DOCUMENT_MAGIC) and (not raw.startswith(b"PK") or zipfile.is_zipfile(io.BytesIO(raw)))
            or sniff(raw) is not None):
        # A newcomer's first mistake: last year's plan as Word handed where its data is wanted. (A
        # zip's head on bytes that are no zip is some other binary file, said as such below.)
        data = Path(file).with_suffix(".yaml")
        raise DataError([Problem(file, 1, 1, "", None, (
            "đây là một văn bản (Word, LibreOffice hoặc bảng tính), không phải tệp dữ liệu YAML; kế hoạch "
            f"soạn bằng Word thì đọc thành tệp dữ liệu trước: kehoach import {shell_arg(file)} -o "
            f"{shell_arg(data)}, rồi dùng tệp {data.name}"))])
    if _utf16(raw):
        raise DataError([Problem(file, 1, 1, "", None, (
            "tệp đang lưu ở mã UTF-16 (Notepad gọi là “Unicode”), không phải UTF-8; hãy mở bằng "
            "Notepad, chọn Tệp → Lưu thành (Save As), ở ô Mã hóa (Encoding) chọn UTF-8 rồi lưu"))])
    if b"\x00" in raw[:8192]:
        raise DataError([Problem(file, 1, 1, "", None,
                                 "đây không phải tệp văn bản YAML (tệp nhị phân); hãy chọn đúng tệp .yaml")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        legacy = legacy_encoding(raw.decode("latin-1"))
        if legacy:
            name, line = legacy
            message = (f"tệp dùng bảng mã {name} cũ, không phải Unicode; "
                       + _CONVERT.format(source="TCVN3 (ABC)" if name == "TCVN3" else "VNI Windows"))
        elif _looks_cp1258(raw):
            message = ("tệp ở mã Windows-1258, không phải UTF-8; hãy mở bằng trình soạn thảo và lưu lại "
                       "với mã Unicode UTF-8, hoặc " + _CONVERT.format(source="Vietnamese locale CP 1258"))
        else:
            message = ("tệp không ở mã UTF-8 (có thể là Windows-1258, TCVN3 hoặc VNI); hãy mở bằng trình "
                       "soạn thảo và lưu lại với mã Unicode UTF-8 (dùng Unikey: Công cụ → Chuyển mã → "
                       "Unicode)")
        raise DataError([Problem(file, line, None, "", None, message)]) from None
    legacy = legacy_encoding(text)
    if legacy:
        name, line = legacy
        raise DataError([Problem(file, line, None, "", None, (
            f"nội dung tiếng Việt đang ở bảng mã {name} cũ (chữ hiện sai dấu, ví dụ "
            f"{'“KÕ ho¹ch”' if name == 'TCVN3' else '“Keá hoaïch”'}), không phải Unicode; "
            + _CONVERT.format(source="TCVN3 (ABC)" if name == "TCVN3" else "VNI Windows")))])
    return paste_safe(text)


# YAML's reader refuses control characters outright, so text pasted from Word straight into the
# file would stop everything. Word's line break (\x0b) rides through the parser as a noncharacter
# that clean_text turns back into a line break; the other controls are dropped, as clean_text would.
_PASTED_CONTROLS = re.compile("[\x01-\x08\x0c\x0e-\x1f\x7f]")


def paste_safe(text: str) -> str:
    return _PASTED_CONTROLS.sub("", text.replace("\x0b", WORD_LINE_BREAK))


def _looks_cp1258(raw: bytes) -> bool:
    """Windows-1258 writes tones as combining marks after the letter (0xCC, 0xEC, 0xD2, 0xDE, 0xF2)."""
    try:
        text = raw.decode("cp1258")
    except UnicodeDecodeError:
        return False
    return any(unicodedata.combining(c) for c in text) or bool(_VIETNAMESE.search(text))


_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser when PyYAML has it: same nodes and marks, several times faster."""

_PLAIN_STYLES = (None, "")
"""A plain (unquoted) scalar's style: None from PyYAML's parser, "" from libyaml's."""


_STR_TAG = "tag:yaml.org,2002:str"


def parse_yaml(text: str, file: str) -> Source:
    """Parse YAML text into plain values with their positions; structural mistakes become Problems.

    Every file is composed with libyaml when PyYAML has it (same nodes, values and positions,
    several times faster; issue 13); a file it refuses is composed again with PyYAML's own parser,
    whose messages yaml_syntax.py tells in Vietnamese, so a syntax error reads the same either way.
    """
    source = Source(file, None)
    _check_depth(text, file)
    node, loader = _compose(text, file)
    builder = _Builder(file, source, loader)
    data = builder.build(node, ())
    if builder.problems:
        raise DataError(builder.problems)
    source.data = data
    return source


def _compose(text: str, file: str) -> tuple[yaml.Node, Any]:
    """The document's node tree, and the loader whose constructor turns its scalars into values."""
    node: yaml.Node | None = None
    loader: Any = None
    try:
        loader = _FAST_LOADER(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.YAMLError:
        try:  # PyYAML's reader refuses control characters in its constructor: inside the try
            slow = yaml.SafeLoader(text)
            try:
                node = slow.get_single_node()
            finally:
                slow.dispose()
            loader = loader or slow
        except yaml.YAMLError as exc:
            raise DataError([syntax_problem(exc, text, file)]) from None
    if node is None:
        raise DataError([Problem(file, 1, 1, "", None,
                                 "tệp dữ liệu trống; lệnh 'kehoach init' ghi một tệp mẫu để bắt đầu")])
    return node, loader


class _Builder:
    """Plain values from a node tree, each value's and key's position noted in the Source; every
    mistake collected (problems), the bombs (too many values, too much text) stopped at once."""

    def __init__(self, file: str, source: Source, loader: Any) -> None:
        self.file = file
        self.source = source
        self.loader = loader
        self.problems: list[Problem] = []
        self.count = 0
        self.chars = 0

    def _problem(self, n: yaml.Node, loc: Loc, value: str | None, message: str) -> None:
        self.problems.append(Problem(self.file, n.start_mark.line + 1, n.start_mark.column + 1,
                                     format_path(loc), value, message))

    def build(self, n: yaml.Node, loc: Loc) -> Any:
        file = self.file
        self.count += 1
        if self.count > limits.MAX_YAML_NODES:
            raise DataError([Problem(file, n.start_mark.line + 1, n.start_mark.column + 1,
                                     format_path(loc), None,
                                     "tệp quá lớn hoặc dùng bí danh (&/*) lồng nhau quá nhiều lần")])
        self.source.value_marks.setdefault(loc, (n.start_mark.line + 1, n.start_mark.column + 1))
        if n.tag not in _SAFE_TAGS:
            # !!python/object and friends: never constructed, whatever the node's shape.
            self._problem(n, loc, None, _tag_refused(n.tag))
            return None
        if isinstance(n, yaml.MappingNode):
            return self._mapping(n, loc)
        if isinstance(n, yaml.SequenceNode):
            return [self.build(item, loc + (i,)) for i, item in enumerate(n.value)]
        return self.build_scalar(n, loc)

    def _mapping(self, n: yaml.MappingNode, loc: Loc) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        first_line: dict[Any, int] = {}
        for key_node, value_node in n.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self._problem(key_node, loc, None, "không dùng khóa gộp '<<'; hãy viết đầy đủ các trường")
                continue
            key = self.build_scalar(key_node, loc)
            if not isinstance(key, (str, int)):
                self._problem(key_node, loc, show_value(key), "tên trường phải là chữ")
                continue
            key = str(key)
            line = key_node.start_mark.line + 1
            if key in out:
                self._problem(key_node, loc + (key,), None,
                              f"trường '{key}' được khai báo hai lần (dòng {first_line[key]} và dòng {line}); "
                              "hãy xóa một trong hai")
                continue
            first_line[key] = line
            self.source.key_marks[loc + (key,)] = (line, key_node.start_mark.column + 1)
            out[key] = self.build(value_node, loc + (key,))
        return out

    def build_scalar(self, n: yaml.Node, loc: Loc) -> Any:
        if not isinstance(n, yaml.ScalarNode):
            self._problem(n, loc, None, "tên trường phải là chữ")
            return None
        # The node count alone lets 1,000 aliases of one 300 KB string through (3 GB of text):
        # count the text itself, every alias use included.
        self.chars += len(n.value)
        if self.chars > limits.MAX_TEXT_CHARS:
            raise DataError([Problem(self.file, n.start_mark.line + 1, n.start_mark.column + 1,
                                     format_path(loc), None, (
                                         f"tệp mở rộng ra quá {limits.MAX_TEXT_CHARS // 2**20} triệu ký tự "
                                         "(bí danh &/* dùng lại một đoạn văn bản dài quá nhiều lần); "
                                         "hãy viết thẳng nội dung, không dùng bí danh"))])
        if n.style in _PLAIN_STYLES and _keep_as_text(n):
            return n.value
        if n.tag == _STR_TAG:
            return n.value  # what SafeConstructor.construct_yaml_str returns, without its dispatch
        try:
            return self.loader.construct_object(n, deep=True)
        except yaml.constructor.ConstructorError as exc:
            self._problem(n, loc, show_value(n.value),
                          f"không đọc được giá trị ({exc.problem}); hãy viết giá trị trong dấu ngoặc kép")
            return None
        except (ValueError, OverflowError):
            self._problem(n, loc, show_value(n.value), "giá trị không hợp lệ; hãy viết trong dấu ngoặc kép")
            return None


def _check_depth(text: str, file: str) -> None:
    """Refuse nesting deeper than limits.MAX_DEPTH, at its line, before anything is composed.

    Why first: PyYAML composes recursively (a RecursionError past ~400 levels) and libyaml's
    composer recurses in C (a crash past ~50,000); the event parser keeps its own stack, so a
    pass over the events is safe at any depth, and in C it costs a fraction of composing.
    """
    def too_deep(mark: Any) -> DataError:
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
        return DataError([Problem(file, line, col, "", None, (
            f"dữ liệu lồng nhau quá {limits.MAX_DEPTH} cấp (danh sách trong nhóm trong danh "
            "sách…); kế hoạch chỉ cần vài cấp — kiểm tra thụt lề và dấu ngoặc [ {"))])

    depth = 0
    try:
        for event in yaml.parse(text, Loader=_FAST_LOADER):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > limits.MAX_DEPTH:
                    raise too_deep(event.start_mark)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        # Newer libyaml (PyYAML 6.0.4) stops deep nesting itself, while scanning ahead of the events.
        if "nesting depth" in (exc.problem or ""):
            raise too_deep(exc.problem_mark) from None
        return  # a syntax error: the composer reports it with its position
    except yaml.YAMLError:
        return


_SAFE_TAGS = {f"tag:yaml.org,2002:{t}" for t in
              ("str", "int", "float", "bool", "null", "timestamp", "map", "seq", "merge")}
"""Tags the safe loader resolves by itself; anything else was written by hand (!!python/…, !x)."""


def _tag_refused(tag: str) -> str:
    shown = tag.replace("tag:yaml.org,2002:", "!!")
    return (f"thẻ {shown} không được phép (tệp dữ liệu chỉ được chứa văn bản, số và danh sách; "
            "không chạy mã); hãy xóa thẻ này và viết giá trị trong dấu ngoặc kép")


_TEXT_TAGS = {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:float"}


def _keep_as_text(node: yaml.ScalarNode) -> bool:
    """Plain scalars that YAML 1.1 would silently turn into something else stay text.

    Dates stay "2024-02-07" (the model parses them, with a Vietnamese message when wrong); "yes",
    "no", "on", "off" stay words; "05" keeps its zero; "1.5" is not a float we would print as
    "1.5000001". Only true/false, null and plain decimal integers keep their YAML meaning.
    """
    value = node.value
    if node.tag in _TEXT_TAGS:
        return True
    if node.tag == "tag:yaml.org,2002:bool":
        return value.lower() not in ("true", "false")
    if node.tag == "tag:yaml.org,2002:int":
        digits = value.lstrip("+-")
        return not digits.isdigit() or (len(digits) > 1 and digits.startswith("0"))
    return False


def load_source(path: str | Path) -> Source:
    path = Path(path)
    file = str(path)
    try:
        with open(path, "rb") as fh:  # bounded: /dev/zero or a 5 GB file must not fill memory
            raw = fh.read(limits.MAX_DATA_BYTES + 1)
    except FileNotFoundError:
        raise DataError([Problem(file, None, None, "", None, "không tìm thấy tệp")]) from None
    except IsADirectoryError:
        raise DataError([Problem(file, None, None, "", None, "đây là thư mục, không phải tệp")]) from None
    except OSError as exc:
        raise DataError([Problem(file, None, None, "", None, f"không đọc được tệp ({exc.strerror})")]) from None
    if len(raw) > limits.MAX_DATA_BYTES:
        raise DataError([Problem(file, None, None, "", None, (
            f"tệp quá lớn (trên {limits.MAX_DATA_BYTES // 2**20} MB); tệp dữ liệu kế hoạch chỉ cần "
            "vài trăm KB — có chọn nhầm tệp không?"))])
    return parse_yaml(_decode(raw, file), file)


def validate(source: Source, model: type[BaseModel] = Plan, *, checked: Plan | None = None) -> Any:
    """Validate parsed data into model; every problem raised together as one DataError.

    checked: a plan that passed validation and whose objects the data may hold (generator.plan.overlay):
    the cross-field checks skip them when they still hold (crossref.cross_check)."""
    if not isinstance(source.data, dict):
        raise DataError([Problem(source.file, 1, 1, "", show_value(source.data),
                                 "tệp phải là các trường dạng 'tên: giá trị' (lệnh 'kehoach init' ghi một tệp mẫu)")])
    from .crossref import cross_check, cross_check_data  # local: crossref imports the model

    if model is Plan:
        build_plan_validator()
        sheet_problems = _read_sheets(source)
        if sheet_problems:
            raise DataError(sheet_problems)
    try:
        result = model.model_validate(source.data)
    except ValidationError as exc:
        problems = _problems(exc, source)
        if model is Plan:  # wrong keys are reported with the other mistakes, not one pass later
            seen = {p.path for p in problems}
            problems += [
                Problem(source.file, *source.position(loc), format_path(loc), show_value(value), message)
                for loc, value, message in cross_check_data(source.data)
                if format_path(loc) not in seen
            ]
            problems.sort(key=lambda p: (p.line or 0, p.column or 0))
        raise DataError(problems) from None

    problems = [
        Problem(source.file, *source.position(loc), format_path(loc), show_value(value), message)
        for loc, value, message in [*(cross_check(result, checked) if isinstance(result, Plan) else []),
                                    *_length_limits(result)]
    ]
    if problems:
        raise DataError(problems)
    return result


def _read_sheets(source: Source) -> list[Problem]:
    """Fill every table that names a spreadsheet ({sheet: danh-muc.xlsx#Trang tính}) with the
    sheet's columns and rows; what the data file says itself (column titles, numbering…) wins.
    The sheet's path is relative to the data file."""
    problems: list[Problem] = []
    base = Path(source.file).parent

    def visit(value: Any, loc: Loc) -> None:
        if isinstance(value, dict):
            table = value.get("table")
            if isinstance(table, dict) and isinstance(table.get("sheet"), str):
                from .sheets import SheetError, read_sheet  # here: most plans name no spreadsheet

                ref = table["sheet"]
                name, _, sheet = ref.partition("#")
                try:
                    read = read_sheet(base / name, sheet or None)
                except SheetError as exc:
                    line, col = source.position(loc + ("table", "sheet"))
                    where = format_path(loc + ("table", "sheet"))
                    if isinstance(exc, DataError):  # bad cells: each located in the sheet, all of them
                        problems.extend(Problem(source.file, line, col, where, p.value,
                                                f"{name}: ô {p.path}: {p.message}") for p in exc.problems)
                    else:
                        problems.append(Problem(source.file, line, col, where, show_value(ref), str(exc)))
                else:
                    filled = {**read.table, **{k: v for k, v in table.items() if k != "sheet"}}
                    value["table"] = filled
            for k, v in value.items():
                visit(v, loc + (k,))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                visit(v, loc + (i,))

    visit(source.data, ())
    return problems


def _length_limits(result: Any) -> list[tuple[Loc, str, str]]:
    """Names Word keeps in the document's properties, which hold at most 255 characters."""
    agency = getattr(result, "agency", None)
    if agency is None:
        return []
    out: list[tuple[Loc, str, str]] = []
    for name, most in (("name", limits.MAX_NAME_CHARS), ("abbreviation", limits.MAX_ABBREVIATION_CHARS)):
        value = getattr(agency, name, None)
        if isinstance(value, list):  # a name given as header lines: Word keeps them joined
            value = " ".join(value)
        if isinstance(value, str) and len(value) > most:
            out.append((("agency", name), value,
                        f"dài {len(value)} ký tự, tối đa {most}; hãy viết ngắn lại"))
    return out


def load_plan(path: str | Path) -> Plan:
    """Read, parse and validate a plan file. Raises DataError listing every mistake."""
    return validate(load_source(path))


def _data_loc(loc: tuple, data: Any) -> Loc:
    """Drop pydantic's union-branch labels from loc, keeping only real keys and indexes."""
    out: list[str | int] = []
    current = data
    for part in loc:
        if isinstance(current, dict) and part in current:
            out.append(part)
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            out.append(part)
            current = current[part]
        elif isinstance(part, str) and not _is_branch(part) and not isinstance(current, list):
            out.append(part)  # a missing field, or a field of a value given as text ("date.month")
            current = None
        # else: a union branch label such as 'str' or 'list[...]'
    return tuple(out)


def _is_branch(part: str) -> bool:
    # Tags of the model's discriminated unions are bracketed: "(khoản)", "(ô)"…
    return any(c in part for c in "[]()") or part in {
        "str", "int", "Cite", "Emphasis", "function-after", "function-before"}


def _problems(exc: ValidationError, source: Source) -> list[Problem]:
    seen: set[str] = set()
    out: list[Problem] = []
    errors = exc.errors(include_url=False)
    # A misspelt key ("itemz") shows as two errors, an unknown key and a missing one ("items"):
    # the unknown key's message already names the missing one, so that one is dropped.
    typos = {(_data_loc(e["loc"], source.data)[:-1], m)
             for e in errors if e["type"] == "extra_forbidden" and e["loc"]
             for m in difflib.get_close_matches(str(e["loc"][-1]), sorted(_all_field_names()), n=1, cutoff=0.6)}
    for err in errors:
        loc = _data_loc(err["loc"], source.data)
        if err["type"] == "missing" and loc and (loc[:-1], loc[-1]) in typos:
            continue
        extra = (err.get("ctx") or {}).get("at")
        if isinstance(extra, tuple):
            loc = loc + extra  # a model check that knows which row it means
        path = format_path(loc)
        if path in seen:
            continue  # one message per field: the first union branch is the one users mean
        seen.add(path)
        kind = err["type"]
        line, col = source.position(loc, key=kind == "extra_forbidden")
        given = err.get("input")
        # A whole group of fields as "the value given" says nothing: the message names what to add.
        value = None if kind == "missing" or isinstance(given, (dict, list)) else show_value(given)
        out.append(Problem(source.file, line, col, path, value, vietnamese_message(err, loc)))
    return sorted(out, key=lambda p: (p.line or 0, p.column or 0))


def vietnamese_message(err: Mapping[str, Any], loc: Loc) -> str:
    """A pydantic error in the words a văn thư would use, saying how to fix it."""
    kind, ctx = err["type"], err.get("ctx") or {}
    name = loc[-1] if loc else ""
    if kind == "missing":
        return f"thiếu trường bắt buộc '{name}'; hãy thêm dòng '{name}: …'"
    if kind == "extra_forbidden":
        names = sorted(_all_field_names())
        if name in names:
            # A real field in the wrong place: suggesting its own name would say nothing.
            return (f"trường '{name}' không dùng được ở chỗ này; kiểm tra thụt lề (số dấu cách đầu "
                    "dòng) và cách viết trong README (ví dụ đoạn có chữ đậm: - [\"Chữ thường \", {bold: chữ đậm}])")
        close = difflib.get_close_matches(str(name), names, n=1, cutoff=0.6)
        hint = f"; có phải ý bạn là '{close[0]}'?" if close else "; hãy xóa hoặc sửa tên trường"
        return f"trường '{name}' không có trong mẫu dữ liệu{hint}"
    if kind in ("string_type", "str_type"):
        return ("phải là văn bản; nếu là số, ngày hoặc yes/no hãy đặt trong dấu ngoặc kép, "
                "ví dụ \"05\"")
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return "phải là số nguyên, ví dụ 125"
    if kind == "greater_than_equal":
        return f"phải từ {ctx.get('ge')} trở lên"
    if kind == "less_than_equal":
        return f"không được lớn hơn {ctx.get('le')}"
    if kind in ("literal_error", "enum"):
        return f"chỉ nhận một trong các giá trị: {str(ctx.get('expected')).replace(' or ', ' hoặc ')}"
    if kind == "list_type":
        return "phải là danh sách: mỗi phần tử một dòng bắt đầu bằng '- '"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return "phải là một nhóm trường dạng 'tên: giá trị'"
    if kind == "too_short":
        if name == "groups":
            return "phụ lục cần ít nhất một nhóm nhiệm vụ; nếu không có thì bỏ cả phụ lục này"
        if name == "sections":
            return "kế hoạch cần ít nhất một mục (I., II., …)"
        return f"cần ít nhất {ctx.get('min_length')} phần tử"
    if kind == "too_long":
        return f"chỉ được tối đa {ctx.get('max_length')} phần tử"
    if kind == "tuple_type":
        return "phải là một danh sách"
    if kind in ("date_type", "date_parsing", "date_from_datetime_parsing"):
        return "ngày phải viết dạng ngày/tháng/năm, ví dụ 20/03/2024"
    if kind == "bool_type":
        return "phải là true hoặc false"
    return err["msg"][0].lower() + err["msg"][1:] if err.get("msg") else kind


def _all_field_names() -> set[str]:
    names: set[str] = set()
    seen: set[type] = set()

    def visit(model: type[BaseModel]) -> None:
        if model in seen:
            return
        seen.add(model)
        for fname, finfo in model.model_fields.items():
            names.add(fname)
            for sub in _models_in(finfo.annotation):
                visit(sub)

    visit(Plan)
    return names | {"clause"}  # how a khoản is written among blocks (read as its title)


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    from typing import get_args

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    value = getattr(annotation, "__value__", None)  # a named alias (TypeAliasType): what it names
    if value is not None:
        return _models_in(value)
    return [m for arg in get_args(annotation) for m in _models_in(arg)]
