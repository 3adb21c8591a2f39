"""Vietnamese typed in the legacy 8-bit fonts, read as Word draws it.

Why: before Unicode (TCVN 6909:2001), agencies typed Vietnamese in fonts that draw Vietnamese
letters at the places of Western ones. A .docx stores the text as the Windows-1252 characters of
those bytes, so a reader that takes the characters gets "TiÕng ViÖt" where Word, with the font
installed, shows "Tiếng Việt". Two families are in use:

- TCVN3 (ABC, TCVN 5712:1993, its 8-bit set VN3): fonts whose name starts with ".Vn" (.VnTime,
  .VnArial, .VnCentury Schoolbook…). One byte per letter; only the lowercase letters with tones and
  the seven capitals Ă Â Ê Ô Ơ Ư Đ have a code. Capitals with tones come from the "H" fonts
  (.VnTimeH, .VnArialH…), which draw capitals at the lowercase codes and at the ASCII letters.
- VNI Windows: fonts whose name starts with "VNI-" (VNI-Times, VNI-Helve…). A base letter followed
  by a mark character ("Tieáng Vieät"); a few letters (ơ ư đ and i with a tone, ỵ) are one character.

Other names that merely look alike are left alone: "UVnTime" and the "VN…" Unicode fonts hold
Unicode; "VK Sans" and similar are not a documented legacy encoding.

The tables below are the one place this knowledge lives: `plan/loader.py` uses the same letters to
tell a YAML file typed in a legacy encoding.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .formatting import RunFormat

TCVN3 = "TCVN3"
VNI = "VNI"

# --- the tables --------------------------------------------------------------------------------------

# The twelve vowels and their five tones (grave, hook above, tilde, acute, dot below), lowercase.
_TONED = {
    "a": "àảãáạ", "ă": "ằẳẵắặ", "â": "ầẩẫấậ", "e": "èẻẽéẹ", "ê": "ềểễếệ", "i": "ìỉĩíị",
    "o": "òỏõóọ", "ô": "ồổỗốộ", "ơ": "ờởỡớợ", "u": "ùủũúụ", "ư": "ừửữứự", "y": "ỳỷỹýỵ",
}

# TCVN 5712:1993, VN3: the code of each lowercase letter (tones in the order of _TONED), then the
# seven letters without a tone and the seven capitals. Codes as Windows-1252 characters, which is
# how Word stores them.
_TCVN3_TONED = {
    "a": "\xb5\xb6\xb7\xb8\xb9", "ă": "\xbb\xbc\xbd\xbe\xc6", "â": "\xc7\xc8\xc9\xca\xcb",
    "e": "\xcc\xce\xcf\xd0\xd1", "ê": "\xd2\xd3\xd4\xd5\xd6", "i": "\xd7\xd8\xdc\xdd\xde",
    "o": "\xdf\xe1\xe2\xe3\xe4", "ô": "\xe5\xe6\xe7\xe8\xe9", "ơ": "\xea\xeb\xec\xed\xee",
    "u": "\xef\xf1\xf2\xf3\xf4", "ư": "\xf5\xf6\xf7\xf8\xf9", "y": "\xfa\xfb\xfc\xfd\xfe",
}
_TCVN3_PLAIN = {"ă": "\xa8", "â": "\xa9", "ê": "\xaa", "ô": "\xab", "ơ": "\xac", "ư": "\xad", "đ": "\xae",
                "Ă": "\xa1", "Â": "\xa2", "Ê": "\xa3", "Ô": "\xa4", "Ơ": "\xa5", "Ư": "\xa6", "Đ": "\xa7"}
# VN3 also codes the five tones alone (0xB0-0xB4), typed after a capital to put a tone on it.
_TCVN3_MARKS = dict(zip("\xb0\xb1\xb2\xb3\xb4", "\u0300\u0309\u0303\u0301\u0323", strict=True))

# VNI Windows: the mark after a vowel for each tone (same order), the marks for the circumflex (â ê
# ô) and breve (ă) series, and the letters written as one character.
_VNI_TONES = "øûõùï"
_VNI_HAT = ("â", "àåãáä")  # â, then ầ ẩ ẫ ấ ậ
_VNI_BREVE = ("ê", "èúüéë")  # ă, then ằ ẳ ẵ ắ ặ
_VNI_SINGLE = {"ơ": "ô", "ư": "ö", "đ": "ñ", "ì": "ì", "ỉ": "æ", "ĩ": "ó", "í": "í", "ị": "ò", "ỵ": "î"}


def _tcvn3_table() -> dict[str, str]:
    """Unicode letter → its TCVN3 code, lowercase and the seven capitals."""
    out = dict(_TCVN3_PLAIN)
    for vowel, toned in _TONED.items():
        out.update(zip(toned, _TCVN3_TONED[vowel], strict=True))
    return out


def _vni_table() -> dict[str, str]:
    """Unicode letter (both cases) → its VNI Windows spelling (one or two characters)."""
    low: dict[str, str] = {}
    for vowel, toned in _TONED.items():
        if vowel in "ăâêô":
            base = {"ă": "a", "â": "a", "ê": "e", "ô": "o"}[vowel]
            plain, marks = _VNI_BREVE if vowel == "ă" else _VNI_HAT
            low[vowel] = base + plain
            low.update((t, base + m) for t, m in zip(toned, marks, strict=True))
        elif vowel in "ơư":
            low[vowel] = _VNI_SINGLE[vowel]
            low.update((t, low[vowel] + m) for t, m in zip(toned, _VNI_TONES, strict=True))
        else:
            low.update((t, vowel + m) for t, m in zip(toned, _VNI_TONES, strict=True))
    low.update(_VNI_SINGLE)
    out = dict(low)
    out.update((letter.upper(), code.upper()) for letter, code in low.items())
    return out


TCVN3_CODES = _tcvn3_table()
VNI_CODES = _vni_table()

VIETNAMESE_LETTERS = frozenset(VNI_CODES)
"""The 134 letters of Vietnamese beyond ASCII (67 lowercase, 67 capitals)."""

UNICODE_ONLY = frozenset(c for c in VIETNAMESE_LETTERS if ord(c) > 0xFF)
"""The Vietnamese letters outside Windows-1252: text holding one is Unicode, whatever its font."""

_TCVN3_DECODE = {code: letter for letter, code in TCVN3_CODES.items()} | _TCVN3_MARKS
_VNI_DECODE: dict[str, str] = {}
for _letter, _code in VNI_CODES.items():
    _VNI_DECODE[_code] = _letter
    if len(_code) == 2:  # a mark typed in the other case than its letter still draws the mark
        _VNI_DECODE.setdefault(_code[0] + _code[1].swapcase(), _letter)


@functools.cache
def _vni_pair() -> re.Pattern[str]:
    """Every VNI code, longest first. Compiled on first use, not at import: the alternation of its 250
    codes takes ~2 ms CPU, and every plan loaded imports this module (UNICODE_ONLY) though only text
    typed in a VNI font is ever decoded with it."""
    return re.compile("|".join(sorted((re.escape(k) for k in _VNI_DECODE), key=len, reverse=True)))


_LATIN1_VIETNAMESE = frozenset(c for c in VIETNAMESE_LETTERS if ord(c) <= 0xFF)
# Characters that, in a run of a legacy font, can only be legacy codes: not letters of Unicode
# Vietnamese. A run made only of ASCII and letters like "à" or "ó" could be either.
_TCVN3_EVIDENCE = frozenset(_TCVN3_DECODE) - _LATIN1_VIETNAMESE
_VNI_EVIDENCE = frozenset(c for code in VNI_CODES.values() for c in code) - _LATIN1_VIETNAMESE - set("aeiouyAEIOUY")


# --- fonts -------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=256)
def font_encoding(name: str | None) -> str | None:
    """TCVN3 or VNI when the font draws that legacy encoding, else None (a Unicode font)."""
    # formatting imported here, not at the top: every plan loaded imports this module for its
    # letters (UNICODE_ONLY), and formatting brings lxml, which loading a plan never needs.
    from .formatting import font_family

    family = (font_family(name) or "").casefold()
    if family.startswith(".vn"):
        return TCVN3
    if family.startswith("vni-"):
        return VNI
    return None


@functools.lru_cache(maxsize=256)
def capitals_font(name: str | None) -> bool:
    """A TCVN3 "H" font (.VnTimeH, .VnArialH…): every letter it draws is a capital."""
    from .formatting import font_family  # here: see font_encoding

    family = font_family(name) or ""
    return font_encoding(family) == TCVN3 and family.endswith("H")


def names_legacy_font(names: Any) -> bool:
    """Whether any of these font names is a legacy one (a quick test before reading runs)."""
    return any(font_encoding(n) for n in names)


# --- text --------------------------------------------------------------------------------------------


def is_unicode(text: str) -> bool:
    """Text that holds a Vietnamese letter only Unicode has (ạ, ế, ư…), or a combining tone mark:
    typed in Unicode, though its font may have stayed a legacy one."""
    return any(c in UNICODE_ONLY or "\u0300" <= c <= "\u0323" for c in text)


def decode(text: str, encoding: str, *, capitals: bool = False) -> str:
    """Legacy-encoded text (as Windows-1252 characters) → Unicode NFC. capitals: drawn by a TCVN3
    "H" font, so every letter is a capital."""
    if encoding == TCVN3:
        out = "".join(_TCVN3_DECODE.get(c, c) for c in text)
    else:
        out = _vni_pair().sub(lambda m: _VNI_DECODE[m.group(0)], text)
    out = unicodedata.normalize("NFC", out)
    return out.upper() if capitals else out


_TCVN3_MARK_CODES = {mark: code for code, mark in _TCVN3_MARKS.items()}


def encode(text: str, encoding: str, *, capitals: bool = False) -> str:
    """Unicode → legacy codes, as a legacy keyboard driver types them (tests build files with it).
    TCVN3 has no code for a capital with a tone: in an "H" font (capitals=True) it is the lowercase
    letter's code; in an ordinary font, the capital and then the tone alone (0xB0-0xB4)."""
    text = unicodedata.normalize("NFC", text)
    if encoding == VNI:
        return "".join(VNI_CODES.get(c, c) for c in text)
    out = []
    for c in text:
        if c in TCVN3_CODES and not (capitals and c.isupper()):
            out.append(TCVN3_CODES[c])
        elif capitals and c.lower() in TCVN3_CODES:
            out.append(TCVN3_CODES[c.lower()])
        elif c in VIETNAMESE_LETTERS:
            marks = unicodedata.normalize("NFD", c)
            tone = next(m for m in marks if m in _TCVN3_MARK_CODES)  # a capital without a tone has a code
            letter = unicodedata.normalize("NFC", marks.replace(tone, ""))
            out.append(TCVN3_CODES[letter] if letter in TCVN3_CODES else letter)
            out.append(_TCVN3_MARK_CODES[tone])
        else:
            out.append(c)
    return "".join(out)


def _run_encoding(fmt: RunFormat) -> tuple[str | None, bool, bool]:
    """(encoding of the run's accented characters, their font is an H font, its ASCII letters' font
    is an H font). Word draws ASCII with the ascii slot's face and the rest with hAnsi's."""
    ascii_face = fmt.fonts.get("ascii") or fmt.fonts.get("hAnsi")
    other_face = fmt.fonts.get("hAnsi") or fmt.fonts.get("ascii")
    encoding = font_encoding(other_face) or font_encoding(ascii_face)
    return encoding, capitals_font(other_face), capitals_font(ascii_face)


class Context:
    """What the nearest runs in legacy fonts held (legacy codes or Unicode): it decides a run that
    could be either when its own paragraph does not. Why the nearest: an old file's pasted header
    and a body retyped in Unicode may share one font; a run belongs with its neighbours. Before any
    run has told, the first run of the document that tells decides; `ahead` gives the document's
    runs for that, read only when such a run comes (lazily, up to the first that tells)."""

    def __init__(self, ahead: Callable[[], Iterable[tuple[str, RunFormat]]] | None = None) -> None:
        self.last: str | None = None  # the kind of the last run read that told
        self._ahead = ahead

    @property
    def unicode(self) -> bool:
        if self.last is None and self._ahead is not None:
            runs, self._ahead = self._ahead(), None
            self.last = next((k for text, fmt in runs if (k := _kind(text, fmt)) in ("unicode", "legacy")), None)
        return self.last == "unicode"


def _kind(text: str, fmt: RunFormat) -> str | None:
    """None (not a legacy font, or nothing its font would change), "unicode", "legacy", or "either"
    (could be either, nothing in it tells)."""
    encoding, _, ascii_caps = _run_encoding(fmt)
    if encoding is None or not text.strip():
        return None
    if is_unicode(text):
        return "unicode"
    if ascii_caps or any(c in (_TCVN3_EVIDENCE if encoding == TCVN3 else _VNI_EVIDENCE) for c in text):
        return "legacy"
    return "either" if decode(text, encoding) != text else None  # None: reads the same both ways


def as_drawn(runs: Sequence[tuple[str, RunFormat]], context: Context | None = None) -> list[str]:
    """The text Word draws for each run of one paragraph: runs in a legacy font converted to
    Unicode, other runs as they are.

    A run in a legacy font that already holds Unicode Vietnamese (retyped with a Unicode keyboard,
    the font left unchanged) is kept. A run with nothing to tell either way (only ASCII and letters
    such as "á" that both readings share: "Tháng 3" or TCVN3's "Sè") goes the way of the paragraph's
    other legacy-font runs, else of the nearest ones in the document (context), else is converted:
    that is what Word draws with the font installed."""
    kinds = [_kind(text, fmt) for text, fmt in runs]
    if not any(kinds):
        return [text for text, _ in runs]  # no run in a legacy font with anything to convert
    if "legacy" in kinds:
        either_is_unicode = False
    elif "unicode" in kinds:
        either_is_unicode = True
    else:
        either_is_unicode = context is not None and context.unicode
    if context is not None:
        context.last = next((k for k in reversed(kinds) if k in ("unicode", "legacy")), context.last)
    out = []
    for (text, fmt), kind in zip(runs, kinds, strict=True):
        if kind is None or kind == "unicode" or (kind == "either" and either_is_unicode):
            out.append(text)
            continue
        encoding, caps, ascii_caps = _run_encoding(fmt)
        assert encoding is not None
        drawn = decode(text, encoding)
        if caps or ascii_caps:
            drawn = "".join(c.upper() if (caps if ord(src) > 0x7F else ascii_caps) else c
                            for c, src in _aligned(drawn, text, encoding))
        out.append(drawn)
    return out


def _aligned(drawn: str, text: str, encoding: str) -> list[tuple[str, str]]:
    """Each drawn character with the source character that decides its font slot. TCVN3 is one code
    per letter, so the two align; H fonts are TCVN3 only."""
    if encoding == TCVN3 and len(drawn) == len(text):
        return list(zip(drawn, text, strict=True))
    return [(c, c) for c in drawn]
