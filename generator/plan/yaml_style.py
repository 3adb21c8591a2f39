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


_NESTED = re.compile(r"^( *)((?:-   )+)- ")


def compact_nested_sequences(text: str) -> str:
    """ruamel writes a sequence inside a sequence as "-   - x" (and three deep "-   -   - x");
    users write "- - x" and "- - - x". Each such block is shifted back by two spaces per level it
    opens, uniformly, so every relative indentation inside it is kept.

    Why a stack: a block opened inside another (an item of a nested list that holds a list
    itself, as imported table cells do) is shifted by its own levels on top of the enclosing ones.
    """
    out: list[str] = []
    inner: list[int] = []  # the original indentation from which each open level shifts by two
    for line in text.split("\n"):
        if not line.strip():
            out.append(line)
            continue
        indent = len(line) - len(line.lstrip(" "))
        while inner and indent < inner[-1]:
            inner.pop()
        shift = 2 * len(inner)
        m = _NESTED.match(line)
        if m:
            levels = len(m.group(2)) // 4
            out.append(" " * (indent - shift) + "- " * (levels + 1) + line[m.end():])
            inner.extend(indent + 4 * j for j in range(1, levels + 1))
        else:
            out.append(line[shift:])
    return "\n".join(out)
