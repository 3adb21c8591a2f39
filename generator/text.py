"""Text rules shared by every part of the tool: cleaning pasted text, Vietnamese case, numbering.

Why here: the loader cleans user text once, and the context builder, the checker and the importer
all need the same upper-casing and numbering, so they live in one place.
"""

from __future__ import annotations

import re
import unicodedata

WORD_LINE_BREAK = "\ufdd0"
"""Stands for Word's \x0b while a data file goes through the YAML parser (a noncharacter: never text)."""

# C0 controls XML 1.0 forbids, minus \t and \n which carry meaning (tab, line break); plus the
# invisible zero-width space and byte-order mark that Word and web pages paste along.
_FORBIDDEN = re.compile("[\x00-\x08\x0c\x0e-\x1f\x7f\u200b\ufeff\ufffe\uffff\ud800-\udfff]")
# Word's manual line break (\x0b, vertical tab) is a line break the user meant to keep.
_LINE_BREAKS = re.compile("\r\n|\r|\x0b|\u2028|\ufdd0")


def clean_text(value: str) -> str:
    """Return user text as it should reach the document.

    NFC (decomposed Vietnamese becomes precomposed), CR/LF and Word's \\x0b become "\\n" (a line
    break), other control characters are removed. \\x0c (Word's page break) is removed too: a page
    break inside a sentence is never what a plan means.
    """
    value = _LINE_BREAKS.sub("\n", value)
    value = _FORBIDDEN.sub("", value)
    return unicodedata.normalize("NFC", value)


def upper_vi(text: str) -> str:
    """Upper-case Vietnamese keeping every diacritic ("Ủy ban" -> "ỦY BAN", "đ" -> "Đ")."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).upper())


_ROMAN = [
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
    (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
]


def number_vi(number: int) -> str:
    """12.345.678, as Vietnamese write numbers (a dot between thousands)."""
    return f"{number:,}".replace(",", ".")


def roman(n: int) -> str:
    """Roman numeral for mục and appendix groups (1 -> "I")."""
    if n < 1:
        raise ValueError("roman numerals start at 1")
    out = []
    for value, letters in _ROMAN:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


# Điểm are lettered in Vietnamese alphabet order (Phụ lục I): no f, j, w, z; đ after d.
VI_POINT_LETTERS = "a b c d đ e g h i k l m n o p q r s t u v x y".split()


def point_letter(index: int) -> str:
    """Letter of the index-th điểm (0 -> "a", 4 -> "đ"); past "y" the letters double ("aa")."""
    n = len(VI_POINT_LETTERS)
    if index < n:
        return VI_POINT_LETTERS[index]
    return point_letter(index // n - 1) + VI_POINT_LETTERS[index % n]


def two_digits(n: int) -> str:
    """Numbers below 10 get a leading zero (số 05, ngày 09)."""
    return f"{n:02d}"


def date_dmy(year: int, month: int | None = None, day: int | None = None) -> str:
    """A date as a message shows it to staff: "20/03/2024", "03/2024" without a day, "2024" alone.

    Messages never show 2024-03-20 (nobody in an office reads dates that way) nor 20/3/2024 (the
    short form documents cite): two-digit day and month, the form the văn thư types."""
    if month is None:
        return str(year)
    if day is None:
        return f"{month:02d}/{year}"
    return f"{day:02d}/{month:02d}/{year}"


_ASCII_FOLD = str.maketrans({"đ": "d", "Đ": "D"})


def slugify(text: str, fallback: str = "van-ban") -> str:
    """Deterministic ASCII file-name slug of a Vietnamese name ("Phòng Hành chính - Tổng hợp" ->
    "phong-hanh-chinh-tong-hop"). Never empty, never contains a path separator."""
    decomposed = unicodedata.normalize("NFD", text.translate(_ASCII_FOLD))
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c))
    ascii_text = ascii_text.encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    return slug[:80].strip("-") or fallback


def shell_arg(path: object) -> str:
    """A path as a user types it in a shell, in a command we suggest: quoted when it has spaces."""
    return f'"{path}"' if any(c.isspace() for c in str(path)) else str(path)
