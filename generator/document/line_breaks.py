"""Where a heading line may break: between Vietnamese words, never inside one, in balanced lines.

Word wraps a centred heading where the column ends: "PHÒNG VĂN HÓA VÀ THÔNG / TIN", "ỦY BAN NHÂN
DÂN HUYỆN BÌNH / SƠN", "… của Ủy / ban nhân dân …". A văn thư breaks these lines by hand between
words ("ỦY BAN NHÂN DÂN / HUYỆN BÌNH SƠN") and keeps the lines of about equal length. Here a line
given as one piece that does not fit its column is broken the same way before the template prints it.

Why a word segmenter: a Vietnamese word is several syllables written apart ("Ủy ban", "nhân dân",
"Thông tin", "Bình Sơn"); a space says nothing of where a word ends. underthesea (maintained, MIT,
its CRF model shipped in the wheel, no download) segments a line in well under a millisecond once
loaded; loading it costs about half a second, so it is imported only when a line must be broken.
It reads lower case best (upper case and title case fool its model), so lines are segmented in
lower case and mapped back. Its model leaves "ủy ban" apart: FIXED_WORDS holds such known misses.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from ..word.metrics import text_width_pt

FIXED_WORDS = ["ủy ban", "uỷ ban", "nhân dân", "hội đồng", "mặt trận", "tổ quốc", "ban chỉ đạo", "thành phố",
               "thị xã", "thị trấn"]
"""Words the segmenter's model splits ("ủy | ban nhân dân") though every agency name holds them."""



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


def overflowing(lines: list[str], column: Column) -> list[str]:
    """The lines (as given by hand) that do not fit column: Word would wrap them anywhere."""
    return [line for line in lines if not fits(line, column)]
