"""Advance widths of Times New Roman (metric-identical Liberation Serif), in 1/2048 em.

Generated once from LiberationSerif-{Regular,Bold}.ttf; Vietnamese letters take the width of
their base letter, so only the base characters are listed. Used to size the lines drawn under a
heading, and by the checker to see whether a line fits its column.
"""

from __future__ import annotations

import unicodedata

_REGULAR = {' ': 512, '!': 682, '"': 836, '#': 1024, '$': 1024, '%': 1706, '&': 1593, "'": 369, '(': 682, ')': 682, '*': 1024, '+': 1155, ',': 512, '-': 682, '.': 512, '/': 569, '0': 1024, '1': 1024, '2': 1024, '3': 1024, '4': 1024, '5': 1024, '6': 1024, '7': 1024, '8': 1024, '9': 1024, ':': 569, ';': 569, '<': 1155, '=': 1155, '>': 1155, '?': 909, '@': 1886, 'A': 1479, 'B': 1366, 'C': 1366, 'D': 1479, 'E': 1251, 'F': 1139, 'G': 1479, 'H': 1479, 'I': 682, 'J': 797, 'K': 1479, 'L': 1251, 'M': 1821, 'N': 1479, 'O': 1479, 'P': 1139, 'Q': 1479, 'R': 1366, 'S': 1139, 'T': 1251, 'U': 1479, 'V': 1479, 'W': 1933, 'X': 1479, 'Y': 1479, 'Z': 1251, '[': 682, '\\': 569, ']': 682, '^': 961, '_': 1024, '`': 682, 'a': 909, 'b': 1024, 'c': 909, 'd': 1024, 'e': 909, 'f': 682, 'g': 1024, 'h': 1024, 'i': 569, 'j': 569, 'k': 1024, 'l': 569, 'm': 1593, 'n': 1024, 'o': 1024, 'p': 1024, 'q': 1024, 'r': 682, 's': 797, 't': 569, 'u': 1024, 'v': 1024, 'w': 1479, 'x': 1024, 'y': 1024, 'z': 909, '{': 983, '|': 410, '}': 983, '~': 1108, 'Đ': 1479, 'đ': 1024, '–': 1024, '—': 2048, '“': 909, '”': 909, '‘': 682, '’': 682, '…': 2048, '\xa0': 512}

_BOLD = {' ': 512, '!': 682, '"': 1137, '#': 1024, '$': 1024, '%': 2048, '&': 1706, "'": 569, '(': 682, ')': 682, '*': 1024, '+': 1167, ',': 512, '-': 682, '.': 512, '/': 569, '0': 1024, '1': 1024, '2': 1024, '3': 1024, '4': 1024, '5': 1024, '6': 1024, '7': 1024, '8': 1024, '9': 1024, ':': 682, ';': 682, '<': 1167, '=': 1167, '>': 1167, '?': 1024, '@': 1905, 'A': 1479, 'B': 1366, 'C': 1479, 'D': 1479, 'E': 1366, 'F': 1251, 'G': 1593, 'H': 1593, 'I': 797, 'J': 1024, 'K': 1593, 'L': 1366, 'M': 1933, 'N': 1479, 'O': 1593, 'P': 1251, 'Q': 1593, 'R': 1479, 'S': 1139, 'T': 1366, 'U': 1479, 'V': 1479, 'W': 2048, 'X': 1479, 'Y': 1479, 'Z': 1366, '[': 682, '\\': 569, ']': 682, '^': 1190, '_': 1024, '`': 682, 'a': 1024, 'b': 1139, 'c': 909, 'd': 1139, 'e': 909, 'f': 682, 'g': 1024, 'h': 1139, 'i': 569, 'j': 682, 'k': 1139, 'l': 569, 'm': 1706, 'n': 1139, 'o': 1024, 'p': 1139, 'q': 1139, 'r': 909, 's': 797, 't': 682, 'u': 1139, 'v': 1024, 'w': 1479, 'x': 1024, 'y': 1024, 'z': 909, '{': 807, '|': 451, '}': 807, '~': 1065, 'Đ': 1479, 'đ': 1139, '–': 1024, '—': 2048, '“': 1024, '”': 1024, '‘': 682, '’': 682, '…': 2048, '\xa0': 512}



def text_width_pt(text: str, size_pt: float, *, bold: bool = False) -> float:
    """Printed width of one line of text in points."""
    table, learnt = (_BOLD, _BOLD_LEARNT) if bold else (_REGULAR, _REGULAR_LEARNT)
    total = 0
    for ch in unicodedata.normalize("NFC", text):
        w = table.get(ch) or learnt.get(ch)
        if w is None:
            # A letter with diacritics is as wide as its base letter, anything unknown as "n".
            w = learnt[ch] = table.get(unicodedata.normalize("NFD", ch)[0], table["n"])
        total += w
    return total * size_pt / 2048


_REGULAR_LEARNT: dict[str, int] = {}
_BOLD_LEARNT: dict[str, int] = {}
"""Widths of characters not in the tables, worked out once: Vietnamese letters recur in every line."""
