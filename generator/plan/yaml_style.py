"""Writing a user's YAML back as people write it (rollover, the web editor's save).

ruamel.yaml keeps comments and key order on a round trip, but writes a list inside a list as
"-   - x" where people write "- - x", and refuses control characters that Word pastes (\x0b, a
manual line break) which our own loader accepts; both writers pass their text through here.
"""

from __future__ import annotations

import re

CONTROLS = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")
_HIDE_BASE = 0xF780
HIDDEN = re.compile(f"[{chr(_HIDE_BASE)}-{chr(_HIDE_BASE + 0x7f)}]")
"""Private-use stand-ins for control characters while ruamel handles the text."""


def hide_controls(text: str) -> str:
    return CONTROLS.sub(lambda m: chr(_HIDE_BASE + ord(m.group())), text)


def restore_controls(text: str) -> str:
    return HIDDEN.sub(lambda m: chr(ord(m.group()) - _HIDE_BASE), text)


_NESTED = re.compile(r"^( *)-   - ")


def compact_nested_sequences(text: str) -> str:
    """ruamel writes a sequence inside a sequence as "-   - x"; users write "- - x". Shift such
    blocks back by two spaces, uniformly, so every relative indentation is kept."""
    lines = text.split("\n")
    out: list[str] = []
    inner: int | None = None
    for line in lines:
        indent = len(line) - len(line.lstrip(" "))
        if inner is not None and line.strip() and indent < inner:
            inner = None
        m = _NESTED.match(line)
        if m:
            inner = len(m.group(1)) + 4
            out.append(f"{m.group(1)}- - " + line[m.end():])
            continue
        if inner is not None and line.strip():
            out.append(line[2:])
        else:
            out.append(line)
    return "\n".join(out)
