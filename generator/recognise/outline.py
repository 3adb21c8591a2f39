"""The body's outline as the page shows it: which typed numbers mark a mục, a khoản, an điểm, and
which lines head a part (Phần, Chương, "A.") whose mục are numbered from I again.

Decree 30 (Phụ lục I) prints mục "I.", khoản "1.", điểm "a)". Drafters also type "I/", "1/", "a/",
"I-", "1-", "1)" (khoản, with "a)" below), "a." or "a-". A form is taken for a level only when the
page shows that level with it through the document: for mục, capital lines numbered I, II, III… in
order (from I again after a part heading); for khoản, numbers 1, 2, 3… from 1 in each mục; for
điểm, letters a, b, c… from a in each khoản. A number is followed by a space and a word, so "20/3"
or "1/2 số đơn vị" at the start of running text is never one. A level typed in Decree 30's own form
("I.", "1.", "a)") keeps it: another separator in the same document is then text.

`read_outline(body)` gives the `Outline`: the forms rewritten per level, the part headings, and
`decree_text(text)`, a line with its number written in Decree 30's form (same length, so a
consumer can map it back onto the line's runs). The checker and the importer both read it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ..text import point_letter, roman, upper_vi
from ..word.reader import Para, is_bold, is_centred
from .lines import DIEM_RE, KHOAN_RE, MUC_RE, PART_RE

_ROMAN = r"(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})"
MUC_TYPED = re.compile(rf"^(?P<num>{_ROMAN})(?P<gap>\s*)(?P<sep>[/\-–])\s*(?!\d)(?P<rest>\S.*)$", re.S)
"""A mục typed "I/ MỤC ĐÍCH" or "I- MỤC ĐÍCH" (Decree 30: "I.")."""
KHOAN_TYPED = re.compile(r"^(?P<num>\d{1,2})(?P<gap>\s*)(?P<sep>[/)\-–])\s+(?P<rest>[^\d\s].*)$", re.S)
"""A khoản typed "1/ Mục đích", "1) …", "1- …" (Decree 30: "1.")."""
DIEM_TYPED = re.compile(r"^(?P<num>[a-zđ])(?P<gap>\s*)(?P<sep>[/.\-–])\s+(?P<rest>[^\d\s].*)$", re.S)
"""An điểm typed "a/ …", "a. …", "a- …" (Decree 30: "a)")."""
LETTER_PART = re.compile(r"^(?P<num>[A-H])\s*\.\s+(?P<rest>\S.*)$", re.S)
"""A part typed "A. KẾT QUẢ …", "B. …" in capitals: its mục are numbered from I again."""

DECREE_SEPARATOR = {"mục": ".", "khoản": ".", "điểm": ")"}
DECREE_FORM = {"mục": "I.", "khoản": "1.", "điểm": "a)"}
_DASH = "-–"
FOLLOWING = 0.6
"""The share of a form's numbers that must follow the one before (or start the count again) for
the form to be the document's: one slip of typing does not undo a whole outline."""
MUC_HEADING_CHARS = 200
"""Longer than this, a line in capitals after a Roman numeral is running text, not a mục's name."""
PART_LINES = 3
"""Lines a part heading may take: "Phần thứ nhất", its name, one more line of the name."""


@dataclass
class Outline:
    """The outline read from a body: `forms` the separator typed per level where it is not Decree
    30's ("mục" → "/"), `first` the first line so numbered, `parts` each part heading's lines (whole
    paragraphs, in order)."""

    forms: dict[str, str] = field(default_factory=dict)
    first: dict[str, Para] = field(default_factory=dict)
    parts: list[list[Para]] = field(default_factory=list)
    _by_id: tuple[dict[int, list[Para]], set[int], int] | None = field(default=None, repr=False, compare=False)

    def decree_text(self, text: str) -> str:
        """The line with its number in Decree 30's form when the document types that level in
        another form: "1/ Mục đích" → "1. Mục đích"; same length as the line (the gap before the
        separator moves after it); unchanged otherwise."""
        for level, pattern in (("mục", MUC_TYPED), ("khoản", KHOAN_TYPED), ("điểm", DIEM_TYPED)):
            sep = self.forms.get(level)
            m = pattern.match(text)
            if sep is None or m is None or _family(m.group("sep")) != sep:
                continue
            if level == "mục" and not _capitals(m.group("rest")):
                continue
            return m.group("num") + DECREE_SEPARATOR[level] + m.group("gap") + text[m.end("sep"):]
        return text

    def muc_heading(self, text: str) -> re.Match[str] | None:
        """A mục's heading line ("II. NỘI DUNG …", or "II/ …" where the document types mục so),
        whatever its number: a number out of turn is the writer's slip in a line that is still a
        heading (the checker says so, the importer numbers it in turn). None for any other line."""
        decree = self.decree_text(text)
        m = MUC_RE.match(decree)
        return m if m and _capitals(m.group("rest")) and len(decree) < MUC_HEADING_CHARS else None

    def part_at(self, para: Para) -> list[Para] | None:
        """The part heading that a paragraph is the first line of."""
        return self._index()[0].get(id(para.paragraph))

    def in_part_heading(self, para: Para) -> bool:
        return id(para.paragraph) in self._index()[1]

    def _index(self) -> tuple[dict[int, list[Para]], set[int]]:
        # Looked up once per paragraph by the checker and the importer: by id, not by a walk over
        # the parts (a hostile file may hold thousands).
        if self._by_id is None or self._by_id[2] != len(self.parts):
            starts = {id(lines[0]): lines for lines in self.parts}
            members = {id(p) for lines in self.parts for p in lines}
            self._by_id = (starts, members, len(self.parts))
        return self._by_id[0], self._by_id[1]

    @property
    def described(self) -> str:
        """"mục “I/”, khoản “1/”": the forms rewritten, for a message."""
        shown = {"mục": "I", "khoản": "1", "điểm": "a"}
        return ", ".join(f"{level} “{shown[level]}{sep}”" for level, sep in self.forms.items())


def _family(sep: str) -> str:
    return "-" if sep in _DASH else sep


def _capitals(text: str) -> bool:
    head = text[:30]
    return any(c.isalpha() for c in head) and upper_vi(head) == head


def read_outline(body: list[Para], *, formatted: bool = True,
                 part_heads: list[list[Para]] | None = None) -> Outline:
    """The outline of a body's lines. part_heads: the part headings when the caller knows them (a
    data file's derived lines); otherwise they are found here."""
    lines = [p for p in body if p.text]
    outline = Outline()
    muc_sep = _typed_form(lines, "mục", lambda p: False)
    outline.parts = part_heads if part_heads is not None else _part_heads(lines, formatted, muc_sep)
    starts = {id(group[0]) for group in outline.parts}
    parted = {id(p) for group in outline.parts for p in group}

    def part_start(p: Para) -> bool:
        return id(p.paragraph) in starts

    lines = [p for p in lines if id(p.paragraph) not in parted or id(p.paragraph) in starts]
    muc_sep = _typed_form(lines, "mục", part_start)
    if muc_sep is not None:
        outline.forms["mục"] = muc_sep

    def muc_line(p: Para) -> bool:
        if part_start(p):
            return True
        m = MUC_RE.match(p.text)
        if m and _capitals(m.group("rest")):
            return True
        t = MUC_TYPED.match(p.text)
        return t is not None and _family(t.group("sep")) == muc_sep and _capitals(t.group("rest"))

    khoan_sep = _typed_form(lines, "khoản", muc_line)
    if khoan_sep is not None:
        outline.forms["khoản"] = khoan_sep

    def khoan_line(p: Para) -> bool:
        if muc_line(p) or KHOAN_RE.match(p.text):
            return True
        t = KHOAN_TYPED.match(p.text)
        return t is not None and _family(t.group("sep")) == khoan_sep

    # A lone "a/" is an điểm when the document types its other levels with "/" too.
    diem_sep = _typed_form(lines, "điểm", khoan_line, frozenset(outline.forms.values()))
    if diem_sep is not None:
        outline.forms["điểm"] = diem_sep
    for level, pattern in (("mục", MUC_TYPED), ("khoản", KHOAN_TYPED), ("điểm", DIEM_TYPED)):
        if level in outline.forms:
            outline.first[level] = next(p for p in lines if (m := pattern.match(p.text))
                                        and _family(m.group("sep")) == outline.forms[level])
    return outline


def _follows(numbers: list[tuple[bool, int]], least: int = 2) -> bool:
    """numbers: (a new count starts here, the number's place from 1). At least `least` of them, the
    first counting from 1, and enough of them following the one before."""
    if len(numbers) < max(least, 1) or numbers[0][1] != 1:
        return False
    good, previous = 0, 0
    for restart, n in numbers:
        if n == previous + 1 or (restart and n == 1):
            good += 1
        previous = n
    return good >= FOLLOWING * len(numbers)


_TYPED = {"mục": MUC_TYPED, "khoản": KHOAN_TYPED, "điểm": DIEM_TYPED}
_SEPARATORS = {"mục": ("/", "-"), "khoản": ("/", ")", "-"), "điểm": ("/", ".", "-")}


def _decree_count(lines: list[Para], level: str) -> int:
    """Lines numbered in Decree 30's own form at a level."""
    return sum(1 for p in lines if _decree_line(level, p))


def _decree_line(level: str, p: Para) -> bool:
    """A line numbered in Decree 30's own form at a level: "I." in capitals, "1.", "a)"."""
    if level == "mục":
        return bool((m := MUC_RE.match(p.text)) and _capitals(m.group("rest")))
    if level == "khoản":
        return bool((m := KHOAN_RE.match(p.text)) and "." not in m.group("num"))
    return bool(DIEM_RE.match(p.text))


def _place(level: str, m: re.Match[str]) -> int:
    """The number's place from 1 (II → 2, "3" → 3, "đ" → 5); 0 when the line is not of the level
    (a mục is in capitals)."""
    num = m.group("num")
    if level == "mục":
        return next((n for n in range(1, 40) if roman(n) == num), 0) if _capitals(m.group("rest")) else 0
    if level == "khoản":
        return int(num)
    return next((k + 1 for k in range(30) if point_letter(k) == num), 0)


def _typed_form(lines: list[Para], level: str, new_scope: Callable[[Para], bool],
                used: frozenset[str] = frozenset()) -> str | None:
    """The separator a level is typed with, when not Decree 30's: its numbers count from 1 in each
    scope (a mục after a part heading, a khoản in each mục, an điểm under each khoản), more lines
    than the Decree 30 form has at that level. A lone number is enough when the document types
    another level with the same separator (`used`)."""
    plain = _decree_count(lines, level)
    best: tuple[int, str] | None = None
    for sep in _SEPARATORS[level]:
        if level == "khoản" and sep == ")" and not _points_under(lines, new_scope):
            continue
        numbers: list[tuple[bool, int]] = []
        restart = True
        decree = under_decree = 0  # Decree-form lines of the level in this scope; typed lines after one
        for p in lines:
            if new_scope(p):
                restart, decree = True, 0
                continue
            if _decree_line(level, p):
                decree += 1
                continue
            m = _TYPED[level].match(p.text)
            if m and _family(m.group("sep")) == sep and (place := _place(level, m)):
                numbers.append((restart, place))
                restart = False
                under_decree += decree > 0
        # Typed numbers standing under this level's Decree-form lines ("1. Mục đích", then "1/ 2/ 3/")
        # are a list in that khoản's text, however many: taken for khoản they would take its place.
        nested = under_decree >= FOLLOWING * len(numbers)
        least = 1 if sep in used else 2
        if numbers and not nested and len(numbers) > plain and _follows(numbers, least) \
                and (best is None or len(numbers) > best[0]):
            best = (len(numbers), sep)
    return best[1] if best else None


def _points_under(lines: list[Para], muc_line: Callable[[Para], bool]) -> bool:
    """Whether "1)" lines have điểm "a)" under them: "1)" is a khoản only so (else a list of its own,
    or numbers under the điểm)."""
    under = before = False
    numbered = seen_in_scope = False
    for p in lines:
        if muc_line(p):
            seen_in_scope = False
            continue
        m = KHOAN_TYPED.match(p.text)
        if m and m.group("sep") == ")":
            numbered = seen_in_scope = True
        elif DIEM_RE.match(p.text) or DIEM_TYPED.match(p.text):
            if seen_in_scope:
                under = True
            elif numbered:
                before = True
    return under and not before


def _is_muc_i(p: Para, muc_sep: str | None) -> bool:
    """The first mục of a part: "I. …" in capitals (or "I/ …" in the document's typed form)."""
    # The whole title in capitals, as the importer opens a mục: a part is never left without its mục.
    m = MUC_RE.match(p.text)
    if m and m.group("num") == "I" and upper_vi(m.group("rest")) == m.group("rest"):
        return True
    t = MUC_TYPED.match(p.text)
    if t is None or muc_sep is None:
        return False
    return t.group("num") == "I" and _family(t.group("sep")) == muc_sep and upper_vi(t.group("rest")) == t.group("rest")


def _shown_as_heading(p: Para, formatted: bool) -> bool:
    """A line the page shows as a heading: bold or centred, short, no sentence ending."""
    if len(p.text) > 150 or p.text.endswith((".", ";", ",")):
        return False
    return not formatted or is_bold(p) or is_centred(p)


def _part_heads(lines: list[Para], formatted: bool, muc_sep: str | None) -> list[list[Para]]:
    """Part headings: a "Phần thứ nhất", "PHẦN I", "Chương 1" line, or "A.", "B.", … in capitals
    in order, shown as a heading, with the heading lines under it, right above a mục I (the mục of
    the part are numbered from I again). The lines are whole paragraphs (a heading broken with
    Shift+Enter is one paragraph)."""
    paras: list[Para] = []
    for p in lines:
        if not paras or paras[-1] is not p.paragraph:
            paras.append(p.paragraph)
    out: list[list[Para]] = []
    letters = 0
    k = 0
    while k < len(paras):
        p = paras[k]
        first = p.lines[0] if p.lines else p
        letter = LETTER_PART.match(first.text)
        opens = bool(PART_RE.match(first.text)) or (
            letter is not None and _capitals(letter.group("rest")) and letter.group("num") == "ABCDEFGH"[letters])
        if not (opens and _shown_as_heading(first, formatted)):
            k += 1
            continue
        group = [p]
        j = k + 1
        while j < len(paras) and len(group) < PART_LINES and not _is_muc_i(paras[j], muc_sep) \
                and _shown_as_heading(paras[j], formatted) and not PART_RE.match(paras[j].text) \
                and not MUC_RE.match(paras[j].text) and not KHOAN_RE.match(paras[j].text):
            group.append(paras[j])
            j += 1
        if j < len(paras) and _is_muc_i(paras[j], muc_sep):
            out.append(group)
            if letter is not None:
                letters += 1
            k = j
        else:
            k += 1
    return out
