"""Where a heading line may break: between Vietnamese words, never inside one, in balanced lines.

Word wraps a centred heading where the column ends: "PHÒNG VĂN HÓA VÀ THÔNG / TIN", "ỦY BAN NHÂN
DÂN HUYỆN BÌNH / SƠN", "… của Ủy / ban nhân dân …". A văn thư breaks these lines by hand between
words ("ỦY BAN NHÂN DÂN / HUYỆN BÌNH SƠN") and keeps the lines of about equal length. Here a line
given as one piece that does not fit its column is broken the same way before the template prints it.

Why a word segmenter: a Vietnamese word is several syllables written apart ("Ủy ban", "nhân dân",
"Thông tin", "Bình Sơn"); a space says nothing of where a word ends.

Why a dictionary, not underthesea's CRF model: the model's package costs about 0.4 s to import (its
__init__ pulls joblib and more), 0.2 s more to load the model and ~90 MB of memory, on every render
whose heading must break (a render took 0.9-1.7 s instead of 0.6). The plain-text dictionary shipped
in the same package (corpus/data/Viet74K.txt, found without importing underthesea) is keyed beforehand
(PREBUILT, shipped in kehoach's package) and loads in a few ms.
Maximum matching over it, from both ends, breaks only where both readings end a word, so an
ambiguous stretch ("PHÒNG VĂN HÓA": "phòng văn | hoá" or "phòng | văn hoá") stays whole; place
names, mostly absent from a dictionary, are kept whole after their unit ("huyện Bình Sơn"). On
the lines of tests/test_line_breaks.py this cuts fewer words than the model did ("HỒ | CHÍ MINH",
"Thừa | Thiên Huế", "nâng | cao", "xác | thực" were the model's), at the price of fewer places to
break ("ỦY BAN NHÂN DÂN" and "Quyết định số" are one piece each). Lines are looked up in lower
case with one tone spelling ("hóa" = "hoá", "thủy" = "thuỷ"). Without Viet74K (another underthesea)
the model is used as before; it reads lower case best, so lines are segmented in lower case and
mapped back. FIXED_WORDS holds words both miss ("ủy | ban" for the model, "việt nam" for the list).
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import re
import unicodedata
from collections.abc import Container, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..resources import LEXICON_KEYS, sealed, unsealed
from ..word.metrics import text_width_pt

FIXED_WORDS = ["ủy ban", "uỷ ban", "nhân dân", "hội đồng", "mặt trận", "tổ quốc", "ban chỉ đạo", "thành phố",
               "thị xã", "thị trấn", "việt nam", "người dân"]
"""Words the model splits ("ủy | ban nhân dân") or the dictionary lacks ("việt nam", "người dân")."""


@dataclass(frozen=True)
class Column:
    """A place a heading prints in: its width and the font of its style (the template's)."""

    width_pt: float
    size_pt: float
    bold: bool


def _template_columns() -> dict[str, Column]:
    from .template_builder import HEADER_COLS, STYLES, TEXT_W

    size = {s.id: (s.size, s.bold) for s in STYLES}
    header = HEADER_COLS[0] / 20  # the header table has no cell margins

    def col(width: float, style: str) -> Column:
        return Column(width, *size[style])

    return {"agency": col(header, "KHCoQuanBanHanh"), "parent": col(header, "KHCoQuanChuQuan"),
            "subject": col(TEXT_W / 20, "KHTrichYeu")}


@functools.cache
def columns() -> dict[str, Column]:
    """The columns of the packaged template, by what prints in them: agency, parent, subject."""
    return _template_columns()


def width(text: str, column: Column) -> float:
    return text_width_pt(text, column.size_pt, bold=column.bold)


def fits(text: str, column: Column) -> bool:
    return width(text.strip(), column) <= column.width_pt


@functools.lru_cache(maxsize=1024)
def words(text: str) -> tuple[str, ...]:
    """text's Vietnamese words, each as written (its syllables joined by single spaces)."""
    syllables = text.split()
    if len(syllables) < 2:
        return tuple(syllables)
    lexicon = _lexicon()
    if lexicon is not None:
        return _longest_match(syllables, lexicon)
    return _crf_words(syllables)


MAX_SYLLABLES = 4
"""The longest word looked up: "ủy ban nhân dân", "mặt trận tổ quốc"; longer entries are sayings."""

_LEXICON_FILE = ("corpus", "data", "Viet74K.txt")
_TONED = {"o": "òóỏõọ", "a": "àáảãạ", "e": "èéẻẽẹ", "u": "ùúủũụ", "y": "ỳýỷỹỵ"}
_GLIDE_TONE = {first + glide: base + _TONED[glide][t] for base, glide in (("o", "a"), ("o", "e"), ("u", "y"))
               for t, first in enumerate(_TONED[base])}
"""An open "oa", "oe", "uy" with its tone on the first vowel -> the same with it on the second."""
_OPEN_GLIDE = re.compile("(?:{})\\b".format("|".join(_GLIDE_TONE)))
_EDGE = "\"'“”‘’()[]{}<>«».,;:!?…–—-"


def key(text: str) -> str:
    """Text as looked up: lower case, NFC, the tone of an open "oa", "oe", "uy" on its second
    vowel, as the dictionary mostly writes it ("hóa", "hoá" -> "hoá"; "thủy", "thuỷ" -> "thuỷ":
    both spellings are in use, Decree 30 does not choose)."""
    return _OPEN_GLIDE.sub(lambda m: _GLIDE_TONE[m.group()], unicodedata.normalize("NFC", text.lower()))


class SortedKeys:
    """Keys, a line each in code-point order ("\\n" after each), looked up by binary search in that
    text itself. Why not a set: building a set of the dictionary's 61,000 keys took about 10 ms of
    every cold start whose heading breaks, for the few hundred lookups a document makes (each a
    dozen steps here)."""

    def __init__(self, keys: Iterable[str]) -> None:
        self.text = "".join(k + "\n" for k in sorted(set(keys)))

    @classmethod
    def of_lines(cls, text: str) -> SortedKeys:
        """From text already in that form (PREBUILT's body)."""
        made = cls(())
        made.text = text
        return made

    def __contains__(self, wanted: object) -> bool:
        text = self.text
        lo, hi = 0, len(text)  # both at the start of a line (or the end): the lines left to search
        while lo < hi:
            start = text.rfind("\n", lo, (lo + hi) // 2) + 1 or lo
            end = text.index("\n", start)
            line = text[start:end]
            if line == wanted:
                return True
            if isinstance(wanted, str) and line < wanted:
                lo = end + 1
            else:
                hi = start
        return False

    def __iter__(self) -> Iterator[str]:
        return iter(self.text.split("\n")[:-1])


@functools.cache
def _lexicon() -> SortedKeys | None:
    """The entries of underthesea's Viet74K dictionary (plus FIXED_WORDS) as keys, those a lookup can
    equal (lexicon_keys); None when this underthesea has no such file. Found without importing
    underthesea: its __init__ is the slow part (joblib, then the CRF model)."""
    path = _lexicon_source()
    if path is None:
        return None
    try:
        raw = path.read_bytes()
        # The keys shipped prebuilt (PREBUILT) when they were made from this very file and these
        # FIXED_WORDS: a few ms where keying the file takes 30, on every render whose heading must
        # break. Another underthesea's dictionary (another hash) is keyed here as before.
        made = _prebuilt(source_digest(raw))
        return made if made is not None else SortedKeys(lexicon_keys(raw.decode("utf-8")))
    except (OSError, UnicodeDecodeError):  # pragma: no cover - a damaged install
        return None


def _lexicon_source() -> Path | None:
    """Viet74K.txt in the installed underthesea, or None."""
    try:
        spec = importlib.util.find_spec("underthesea")
    except (ImportError, ValueError):  # pragma: no cover - a broken install: the CRF path decides
        return None
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder).joinpath(*_LEXICON_FILE)
        if path.is_file():
            return path
    return None


def lexicon_keys(text: str) -> list[str]:
    """The dictionary's entries (text: Viet74K.txt, an entry a line) and FIXED_WORDS as keys, those of 2 to
    MAX_SYLLABLES syllables, sorted: a looked-up key always joins that many keyed syllables by single
    spaces, so no other entry (a single syllable, a saying, a blank) could ever equal one."""
    # Keyed in one pass over the whole file and stripped by C-level calls: about 25 ms, where a key
    # per entry took 120.
    entries = set(map(str.strip, key(text).splitlines()))
    entries.update(key(w) for w in FIXED_WORDS)
    return sorted(e for e in entries if 1 <= e.count(" ") < MAX_SYLLABLES and "  " not in e)


PREBUILT = LEXICON_KEYS
"""lexicon_keys of Viet74K.txt made beforehand (`python -m generator.document.line_breaks` writes it),
shipped in the package; its first line names the source_digest of what it was made from."""
_PREBUILT_HEADER = "# lexicon_keys of Viet74K.txt and FIXED_WORDS, sha256 of Viet74K.txt and of all "


def source_digest(source: bytes) -> str:
    """What the keys are made from, hashed: the dictionary's own sha256, then that of all it takes
    (the dictionary's bytes, FIXED_WORDS and MAX_SYLLABLES). A word added to FIXED_WORDS without
    making PREBUILT again leaves it unused, not wrong; the first hash alone tells a file made from
    another underthesea's dictionary (rightly unused by that install) from one left stale here."""
    made_from = source + b"\0" + "\n".join(FIXED_WORDS).encode("utf-8") + b"\0" + str(MAX_SYLLABLES).encode()
    return hashlib.sha256(source).hexdigest() + " " + hashlib.sha256(made_from).hexdigest()


def prebuilt_text(source: bytes) -> str:
    """What PREBUILT holds for the dictionary source (Viet74K.txt's bytes)."""
    keys = lexicon_keys(source.decode("utf-8"))
    return _PREBUILT_HEADER + source_digest(source) + "\n" + "\n".join(keys) + "\n"


def _prebuilt(digest: str) -> SortedKeys | None:
    """The prebuilt keys when PREBUILT was made from what this source_digest names, else None."""
    text = unsealed(PREBUILT)  # None when missing or damaged: keyed from the source
    if text is None:
        return None
    header, _, body = text.partition("\n")
    if header != _PREBUILT_HEADER + digest:
        return None
    return SortedKeys.of_lines(body)


def write_prebuilt() -> Path | None:
    """Write PREBUILT from the installed underthesea's Viet74K.txt; None when there is none."""
    path = _lexicon_source()
    if path is None:
        return None
    PREBUILT.write_text(sealed(prebuilt_text(path.read_bytes())), encoding="utf-8", newline="\n")
    return PREBUILT


def _longest_match(syllables: list[str], lexicon: Container[str]) -> tuple[str, ...]:
    """The words by maximum matching, from the left and from the right, a break only where both
    readings end a word: where they disagree the text is ambiguous to a dictionary without
    frequencies ("phòng văn | hoá" or "phòng | văn hoá"; "quyết định | số" or "quyết | định số"),
    and keeping the stretch whole never breaks inside a word. A word never runs across
    punctuation: a syllable with a mark after it ("Sơn,") ends a word, one with a mark before it
    ("(Sở") starts one; digits and codes ("1132/QĐ-TTg") match nothing. Place names, mostly not in
    the dictionary, are kept whole after the unit they name (place_names)."""
    keys = [key(s).strip(_EDGE) for s in syllables]
    closed = [s.rstrip(_EDGE) != s for s in syllables]  # a mark after: nothing joins on the right
    opened = [s.lstrip(_EDGE) != s for s in syllables]  # a mark before: nothing joins on the left
    n = len(syllables)

    def word(i: int, j: int) -> bool:
        return not any(closed[i:j - 1]) and not any(opened[i + 1:j]) and " ".join(keys[i:j]) in lexicon

    forward, i = set(), 0
    while i < n:
        i = next((j for j in range(min(n, i + MAX_SYLLABLES), i + 1, -1) if word(i, j)), i + 1)
        forward.add(i)
    backward, j = set(), n
    while j > 0:
        j = next((i for i in range(max(0, j - MAX_SYLLABLES), j - 1) if word(i, j)), j - 1)
        backward.add(j)
    ends = (forward & backward) | {n}
    for a, b in _place_names(syllables, keys, closed, opened):
        ends -= set(range(a + 1, b))
    out, start = [], 0
    for end in sorted(ends):
        out.append(" ".join(syllables[start:end]))
        start = end
    return tuple(out)


UNITS = {"tỉnh", "huyện", "quận", "xã", "phường", "thị xã", "thị trấn", "thành phố"}
"""Administrative units: the syllables after one, capitalised, are its name ("huyện Bình Sơn")."""
PLACE_SYLLABLES = 3
"""The longest place name kept whole: "Thừa Thiên Huế", "Hồ Chí Minh"."""


def _place_names(syllables: list[str], keys: list[str], closed: list[bool],
                 opened: list[bool]) -> list[tuple[int, int]]:
    """The spans of place names: after a unit word (UNITS), the capitalised syllables that follow,
    up to a mark, a digit, the next unit or PLACE_SYLLABLES. In a line in capitals, where case says
    nothing, a run longer than PLACE_SYLLABLES keeps its first two ("HUYỆN BÌNH SƠN TỈNH …" stops
    at the unit anyway; most names have two syllables)."""
    capitals = " ".join(syllables).isupper()
    out = []
    n = len(syllables)
    for i in range(n):
        for size in (2, 1):
            if i + size > n or " ".join(keys[i:i + size]) not in UNITS or any(closed[i:i + size - 1]):
                continue
            start = j = i + size
            if start < n and closed[start - 1]:
                break
            while (j < n and keys[j].isalpha() and syllables[j].strip(_EDGE)[:1].isupper()
                   and (j == start or not opened[j]) and keys[j] not in UNITS
                   and " ".join(keys[j:j + 2]) not in UNITS):
                j += 1
                if closed[j - 1]:
                    break
            if j - start > PLACE_SYLLABLES:
                if not capitals:
                    break  # a capitalised stretch that long is not a place name
                j = start + 2
            if j - start > 1:
                out.append((start, j))
            break
    return out


def _crf_words(syllables: list[str]) -> tuple[str, ...]:
    """The words by underthesea's CRF segmenter: the path when its dictionary is not installed."""
    try:
        from underthesea import word_tokenize  # type: ignore[import-untyped]  # lazy: 0.5 s, when a line breaks
    except ImportError:  # pragma: no cover - a dependency; without it every space may break
        return tuple(syllables)
    try:
        pieces = word_tokenize(" ".join(syllables).lower(), fixed_words=FIXED_WORDS, use_token_normalize=False)
    except Exception:  # noqa: BLE001 - a segmenter's failure must not stop a render: every space may break
        return tuple(syllables)
    # The tokenizer splits punctuation off ("1132/QĐ-TTg" in pieces): a word ends where a piece
    # ends, counted in letters without spaces, so its pieces map back onto the syllables as written.
    ends, count = set(), 0
    for piece in pieces:
        count += len(piece.replace(" ", ""))
        ends.add(count)
    out: list[str] = []
    count, current = 0, []
    for syllable in syllables:
        current.append(syllable)
        count += len(syllable)
        if count in ends:
            out.append(" ".join(current))
            current = []
    if current:
        out.append(" ".join(current))
    return tuple(out)


MAX_LINES = 3


def balanced_lines(text: str, column: Column) -> list[str]:
    """text as printed in column: one line when it fits, else the fewest lines that each fit,
    broken between words, the longest line as short as can be (balanced), and no single word left
    on the last line when another break does as well. A text that cannot fit in MAX_LINES lines
    gets the most balanced MAX_LINES lines (Word wraps what still overflows)."""
    if not text.strip() or fits(text, column) or any(c in text for c in "\n\t\x0b"):
        return [text]  # fits, or laid out by hand (its own line breaks, tabs): as given
    text = " ".join(text.split())
    if width(text, column) > MAX_LINES * column.width_pt:
        # Longer than a heading can be (the checker says so): left to Word. This also bounds the
        # work on any input: at most MAX_LINES lines of words are segmented and cut.
        return [text]
    ws = list(words(text))
    n = len(ws)
    if n < 2:
        return [text]
    # A line's width from running sums: the words' widths and the spaces between them.
    space = width(" ", column)
    run = [0.0]
    for w in ws:
        run.append(run[-1] + width(w, column))

    def line_width(a: int, b: int) -> float:
        return run[b] - run[a] + (b - a - 1) * space

    best: tuple[tuple[bool, float, bool, float], list[tuple[int, int]]] | None = None
    for k in range(2, min(MAX_LINES, n) + 1):
        for cut in _cuts(n, k):
            bounds = list(zip((0, *cut), (*cut, n), strict=True))
            widths = [line_width(a, b) for a, b in bounds]
            widest = max(widths)
            over = widest > column.width_pt
            lone = bounds[-1][1] - bounds[-1][0] == 1 and len(ws[-1].split()) == 1
            # Fits first, then the longest line shortest (to the point), then no lone syllable
            # last, then the upper lines longer (a pyramid, as headers are set).
            score = (over, round(sum(widths) if over else widest), lone, -widths[0])
            if best is None or score < best[0]:
                best = (score, bounds)
        if best is not None and not best[0][0]:
            break
    assert best is not None
    return [" ".join(ws[a:b]) for a, b in best[1]]


def _cuts(n: int, k: int) -> list[tuple[int, ...]]:
    """Every way to cut n words into k non-empty lines (positions of the k-1 cuts)."""
    if k == 1:
        return [()]
    out = []
    for first in range(1, n - k + 2):
        out += [(first, *(first + c for c in rest)) for rest in _cuts(n - first, k - 1)]
    return out


def heading_cell_lines(text: str, room_pt: float, size_pt: float) -> list[str]:
    """A table's column heading (bold) as balanced lines in room_pt: tables.TableSpec.break_heading."""
    return balanced_lines(text, Column(room_pt, size_pt, True))


def overflowing(lines: list[str], column: Column) -> list[str]:
    """The lines (as given by hand) that do not fit column: Word would wrap them anywhere."""
    return [line for line in lines if not fits(line, column)]


if __name__ == "__main__":  # python -m generator.document.line_breaks: the prebuilt keys written again
    written = write_prebuilt()
    print(written or "underthesea không có Viet74K.txt: không ghi gì")
