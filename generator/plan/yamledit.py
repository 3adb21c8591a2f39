"""Writing data back into the user's YAML file without losing what a person wrote: the editor's
save, and the number and date written on issue (the one round-trip writer of the package).

The browser edits plain JSON (the values `generator.plan.loader.parse_yaml` reads). Saving must keep the
file one can still edit by hand: comments, key order, quoting and flow style. So the new values are
merged into the ruamel.yaml round-trip tree of the file as it is on disk: a value that did not
change keeps its node (and its style), a list item that moved keeps its comments, and only what
changed is written anew. The result is read back with the project's own loader and compared with
what the editor sent: a value YAML would read differently is never saved silently.
"""

from __future__ import annotations

import codecs
import datetime as dt
import difflib
import io
import json
import re
from collections.abc import Mapping
from typing import Any

from ..errors import DataError, Problem, UserError
from .loader import Source, parse_yaml
from .yaml_style import compact_nested_sequences, hide_controls, restore_controls

# Control characters (pasted from Word) that the loader accepts but ruamel refuses: they ride
# through ruamel as private-use characters and come back byte for byte (as in rollover.py).


def _yaml() -> Any:
    from ruamel.yaml import YAML

    y = YAML()  # round-trip
    y.preserve_quotes = True
    y.width = 100_000  # never fold a long Vietnamese sentence
    y.indent(mapping=2, sequence=4, offset=2)
    y.brace_single_entry_mapping_in_flow_sequence = True  # [{italic: x}, …] stays as written
    return y


_hide = hide_controls
_restore = restore_controls


def _hide_all(value: Any) -> Any:
    if isinstance(value, str):
        return _hide(value)
    if isinstance(value, list):
        return [_hide_all(v) for v in value]
    if isinstance(value, dict):
        return {_hide_all(k): _hide_all(v) for k, v in value.items()}
    return value


def plain(value: Any) -> Any:
    """A ruamel value as the JSON the editor sees (dates as their text)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(value, (CommentedMap, dict)):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (CommentedSeq, list)):
        return [plain(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return str(value)  # the loader keeps 1.5 as the text "1.5"
    if isinstance(value, str):
        return str(value)
    return value


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b if not isinstance(a, (dict, list)) else a == b


def _key(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def merge(old: Any, new: Any) -> Any:
    """new (plain JSON) merged into old (a ruamel node); returns the node to keep in the tree."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(new, dict):
        if not isinstance(old, CommentedMap):
            return _fresh(new)
        for k in [k for k in old if str(k) not in new]:
            del old[k]
        keys = {str(k): k for k in old}
        previous: Any = None
        for k, v in new.items():
            if k in keys:
                old[keys[k]] = merge(old[keys[k]], v)
                previous = keys[k]
            elif previous is not None:
                # A new key goes where new has it (after the key before it), not at the end of the
                # file: "number: 18" written on issue lands above "date:", as people write it.
                old.insert(list(old).index(previous) + 1, k, _fresh(v))
                previous = k
            else:
                old[k] = _fresh(v)
        return old
    if isinstance(new, list):
        if not isinstance(old, CommentedSeq):
            return _fresh(new)
        return _merge_seq(old, new)
    if not isinstance(old, (CommentedMap, CommentedSeq)) and _same(plain(old), new):
        return old  # unchanged: keep its quoting, its date type, its exact text
    return _scalar(new, like=old)


def _merge_seq(old: Any, new: list) -> Any:
    """Items matched by content (difflib), so a moved item keeps its node and its comments; an
    edited item in place of another is merged into it; the rest are new."""
    before = [_key(plain(v)) for v in old]
    after = [_key(v) for v in new]
    source: dict[int, int] = {}
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            for d in range(j2 - j1):
                source[j1 + d] = i1 + d
    if all(source.get(j) == j for j in range(len(new))) and len(new) == len(old):
        for j, v in enumerate(new):
            old[j] = merge(old[j], v)
        return old
    # A moved item whose content is unchanged is found again even when difflib paired it otherwise.
    unused = {i for i in range(len(old))} - set(source.values())
    for j in range(len(new)):
        if j not in source:
            for i in sorted(unused):
                if before[i] == after[j]:
                    source[j] = i
                    unused.discard(i)
                    break
    items = [merge(old[source[j]], v) if j in source else _fresh(v) for j, v in enumerate(new)]
    comments = {j: old.ca.items[i] for j, i in source.items() if i in old.ca.items}
    list.__delitem__(old, slice(None))  # bypass ruamel's comment shifting: we place them ourselves
    list.extend(old, items)
    old.ca.items.clear()
    old.ca.items.update(comments)
    return old


def _fresh(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _fresh(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_fresh(v) for v in value]
    return _scalar(value, like=None)


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _scalar(value: Any, like: Any) -> Any:
    from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString, ScalarString

    if isinstance(value, str) and isinstance(like, ScalarString) \
            and not isinstance(like, (LiteralScalarString, FoldedScalarString)) and "\n" not in value:
        return type(like)(value)  # keep the quotes the person chose
    if isinstance(value, str) and not isinstance(like, ScalarString) and _ISO_DATE.fullmatch(value):
        # A date is written bare, as the data files write them (date: 2024-03-20), not '2024-03-20';
        # the loader reads it back as the same text (compose checks that).
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value  # no such day: kept as text, and the loader says what is wrong with it
    if isinstance(value, str) and not isinstance(like, ScalarString) and _needs_quotes(value):
        from ruamel.yaml.scalarstring import DoubleQuotedScalarString

        return DoubleQuotedScalarString(value)
    return value



def _needs_quotes(text: str) -> bool:
    """Quoted the way people write these files ("Thực hiện ", with double quotes) rather than the
    way ruamel would choose (single quotes): text with edge spaces or YAML punctuation, and any
    plain scalar the loader (PyYAML, YAML 1.1) would read as something other than this text."""
    import yaml

    if (not text or text != text.strip() or text[0] in "!&*-?[]{}|>'\"%@`,#:"
            or ": " in text or " #" in text or text.endswith(":")):
        return True

    tag = yaml.resolver.Resolver().resolve(yaml.ScalarNode, text, (True, False))
    return tag in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:int") \
        and text.lower() not in ("yes", "no", "on", "off", "y", "n")


def compose(text: str, data: Any, file: str) -> tuple[str, Source]:
    """The YAML text of `data` written into `text` (the file as it is), and that text read back by
    the project's loader. UserError when the old text cannot be round-tripped; DataError with
    located problems when the new text does not read back as `data`."""
    from ruamel.yaml.error import YAMLError

    if not isinstance(data, dict):
        raise UserError("dữ liệu gửi lên phải là các trường dạng 'tên: giá trị'")
    y = _yaml()
    try:
        doc = y.load(_hide(text)) if text.strip() else None
    except YAMLError as exc:
        raise UserError(f"không đọc được tệp để ghi giữ nguyên chú thích ({exc}); "
                        "hãy sửa tệp bằng trình soạn thảo văn bản") from None
    doc = merge(doc, _hide_all(data))
    buf = io.StringIO()
    y.dump(doc, buf)
    out = _restore(_as_written(compact_nested_sequences(buf.getvalue()), text))
    source = parse_yaml(out, file)
    if source.data != data:
        raise DataError([Problem(file, None, None, "", None,
                                 "không ghi được dữ liệu thành YAML đọc lại đúng như đã soạn; "
                                 "chưa ghi gì — hãy báo lỗi này kèm tệp")])
    return out, source


def _as_written(out: str, before: str) -> str:
    """ruamel writes a flow mapping first in a nested flow sequence as "[[ {italic: x}, …]"; a line
    that is the person's own line but for that space is given back as they wrote it."""
    if "[ {" not in out:
        return out
    lines = set(_hide(before).split("\n"))
    return "\n".join(
        line.replace("[ {", "[{") if "[ {" in line and line.replace("[ {", "[{") in lines else line
        for line in out.split("\n"))





def set_fields(raw: bytes, fields: Mapping[str, Any], file: str, *, before: str | None = None) -> bytes:
    """A YAML file's bytes with some top-level fields set and the rest as the person wrote it:
    comments, key order, quoting, a byte order mark and Windows line ends (CRLF) are kept. A field
    not yet in the file goes just above the key `before` when the file has it (else at the end).
    Issuing writes the number and date so (jobs/record.py)."""
    bom = raw.startswith(codecs.BOM_UTF8)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UserError(f"{file}: tệp không phải UTF-8 nên không ghi được; hãy lưu lại với bảng mã UTF-8") from None
    crlf = "\r\n" in text
    text = text.replace("\r\n", "\n")
    data = parse_yaml(text, file).data
    if not isinstance(data, dict):
        raise UserError(f"{file}: tệp dữ liệu phải gồm các trường dạng 'tên: giá trị'")
    updated: dict[str, Any] = {}
    for key, value in data.items():
        if key == before:
            updated.update({k: v for k, v in fields.items() if k not in data})
        updated[key] = fields.get(key, value)
    updated.update({k: v for k, v in fields.items() if k not in updated})
    out, _ = compose(text, updated, file)
    if crlf:
        out = out.replace("\n", "\r\n")
    return (codecs.BOM_UTF8 if bom else b"") + out.encode("utf-8")
