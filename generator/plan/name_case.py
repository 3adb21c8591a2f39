"""Names printed in capitals written back in the case Decree 30 gives them (Phụ lục II, "Viết hoa
trong văn bản hành chính"), for the data: a header prints "SỞ VĂN HÓA VÀ THỂ THAO", running text,
the editor, the register and other documents' Nơi nhận print "Sở Văn hóa và Thể thao".

The rules, as Phụ lục II states them:
- a body's name: the first letter of the words that say what kind of body it is and of its field
  ("Bộ Tài nguyên và Môi trường", "Văn phòng Ủy ban nhân dân tỉnh"); each coordinated field after
  "và", "-" or "," starts with its capital ("Sở Lao động - Thương binh và Xã hội");
- a place: every syllable capitalised ("Bà Rịa - Vũng Tàu"), after its level word in lower case
  ("tỉnh", "xã", "thành phố");
- a post: lower case after its first word ("Chủ tịch", "Giám đốc"), "Phó" adding its own capital
  ("Phó Giám đốc");
- acronyms stay in capitals (UBND, MTTQ, TT&TT), as do Roman numerals.

The document's own writing of the WHOLE name, when its running text has it, wins over the rules
(the agency knows its name); a single word's case is never taken from elsewhere in the text: a
person named "Nguyễn Văn An" or a sentence starting "Thể thao…" says nothing of a body's name.

Why in plan/: place names come from plan/admin_units (the administrative units' data), and the
case is a property of the plan's data, whoever reads it in.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence

from ..nd30.names import (
    ABBREVIATED_LEVELS,
    COORDINATORS,
    EDGE,
    JOINING,
    KIND_TABLE,
    LEVEL_TABLE,
    LEXICAL_TABLE,
    PLAIN_AFTER_KIND,
    core as _core,
    name_starts,
    phrase_at,
    phrase_table,
    words_and_spaces,
)
from ..text import upper_vi
from .admin_units import place_names

# --- the words ----------------------------------------------------------------------------------

# Kinds recognised anywhere in a name, not only at its start or right after another kind: they
# never stand for a common word ("Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam").
_ANYWHERE = {"Ủy ban nhân dân", "Uỷ ban nhân dân", "Hội đồng nhân dân", "Ủy ban", "Uỷ ban", "Hội đồng",
             "Kho bạc Nhà nước", "Đảng ủy", "Đảng uỷ", "Tỉnh ủy", "Tỉnh uỷ", "Huyện ủy", "Huyện uỷ",
             "Thành ủy", "Thành uỷ", "Quận ủy", "Quận uỷ", "Thị ủy", "Thị uỷ"}
# Proper names inside bodies' names, written as Phụ lục II writes them.
_PROPER = [
    "Mặt trận Tổ quốc Việt Nam", "Đảng Cộng sản Việt Nam", "Cộng sản Hồ Chí Minh", "Hồ Chí Minh",
    "Việt Nam", "Tổ quốc", "Quốc hội", "Chính phủ", "Nhà nước", "Trung ương", "Đảng",
    "Công Thương",  # Công nghiệp + Thương mại in one name: both capitals ("Bộ Công Thương")
]
# Posts of signers: the words after the first in lower case, "Chánh Văn phòng" naming a body.
_POSTS = [
    "Chủ tịch", "Tổng Giám đốc", "Giám đốc", "Bộ trưởng", "Thứ trưởng", "Cục trưởng", "Vụ trưởng",
    "Chi cục trưởng", "Viện trưởng", "Hiệu trưởng", "Trưởng tiểu ban", "Trưởng ban", "Trưởng phòng",
    "Trưởng đoàn", "Trưởng khoa", "Trưởng", "Chánh Văn phòng", "Chánh Thanh tra", "Chánh án",
    "Thủ trưởng", "Bí thư", "Tổng Thư ký", "Thư ký", "Tổ trưởng", "Đội trưởng", "Kế toán trưởng",
    "Chủ nhiệm", "Tổng biên tập",
]
# Roman numerals that are Vietnamese syllables too ("phạm vi", "xi măng"): a numeral only after a
# word that counts ("khu vực VI", "khóa XI").
_SYLLABLE_NUMERALS = {"VI", "XI", "LI", "MI", "DI"}
_COUNT_WORDS = {"VỰC", "KHÓA", "KHOÁ", "LẦN", "ĐỢT", "ĐOẠN", "THỨ", "KỲ", "SỐ", "LỤC", "PHẦN", "MỤC",
                "CHƯƠNG", "ĐIỀU", "NHÓM", "VÙNG", "QUÂN"}


_PROPER_TABLE = phrase_table(_PROPER)
_POST_TABLE = phrase_table(_POSTS)


def _acronym(core: str) -> bool:
    """UBND, HĐND, MTTQ, TT&TT, THPT: capitals that cannot be a Vietnamese syllable (no vowel, or
    three consonants in a row other than "NGH"), or joined by "&"; they stay capitals."""
    if not core or not core.isupper() and "&" not in core:
        return False
    if "&" in core:
        return all(part.isupper() for part in core.split("&") if part)
    if re.fullmatch(r"[IVXLC]+", core):
        return True  # a Roman numeral (khu vực II)
    if len(core) < 2 or core in _place_syllables():
        return False  # Đắk Mil, Cư Jút, Krông Nô: a place's syllable is a word, whatever its shape
    base = "".join(c for c in unicodedata.normalize("NFD", core) if not unicodedata.combining(c))
    base = base.replace("Đ", "D")
    if not re.search(r"[AEIOUY]", base):
        return True
    if re.search(r"[^AEIOUY]{3}", base.replace("NGH", "N")):
        return True
    # Two consonants no Vietnamese syllable starts or ends with: KTAT (kỹ thuật an toàn), TAND, TTYT.
    onset = base[:len(base) - len(base.lstrip("BCDFGHJKLMNPQRSTVWXZ"))]
    coda = base[len(base.rstrip("BCDFGHJKLMNPQRSTVWXZ")):]
    if (len(onset) >= 2 and onset not in _ONSETS) or (len(coda) >= 2 and coda not in _CODAS):
        return True
    # Letters no Vietnamese word has (F, J, W, Z: WTO), a final consonant none ends with (PAR, SOS,
    # COVID, SIPAS; K is kept for the Central Highlands' names: Đắk, Búk), or two runs of vowels
    # where a syllable has one (PAPI, ODA, OCOP, ASEAN). Longer words of that shape are
    # transliterated names and loanwords (CAMPUCHIA), cased as words. So is a word spelled the
    # Vietnamese way, with a tone mark or a hat (PANÔ, KI-ỐT, MAKÉT): an acronym is written in bare
    # Latin capitals. Syllables joined by "-" are judged one by one (BA-NA is two syllables).
    return base == core and any(_foreign_shape(part) for part in base.split("-"))


def _foreign_shape(word: str) -> bool:
    coda = word[len(word.rstrip("BCDFGHJKLMNPQRSTVWXZ")):]
    return bool(re.search(r"[FJWZ]", word)) or len(coda) == 1 and coda not in "CKMNPT" \
        or len(word) <= 5 and len(re.findall(r"[AEIOUY]+", word)) > 1


@functools.lru_cache(maxsize=8)
def _words_not_in_capitals(written: str) -> dict[str, str]:
    """The words the running text writes other than in capitals, by their capitals: the form in
    lower case when it has one ("video"), else its most frequent ("Facebook", "Zalo")."""
    seen: dict[str, Counter[str]] = {}
    for word in re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*", written):
        if len(word) > 1 and not word.isupper():
            seen.setdefault(upper_vi(word), Counter())[word] += 1
    return {caps: next((w for w in forms if w.islower()), forms.most_common(1)[0][0])
            for caps, forms in seen.items()}


@functools.cache
def _place_syllables() -> frozenset[str]:
    """Every syllable of a place's name the units' data knows, in capitals (empty without it)."""
    return frozenset(word for name in place_names() for word in name.split())


_ONSETS = {"CH", "GH", "KH", "NG", "NH", "PH", "TH", "TR", "NGH"}
_CODAS = {"CH", "NG", "NH"}


def _with_case(token: str, cased: str) -> str:
    """The token's punctuation kept around the cased word ("HÓA," with "Hóa" -> "Hóa,")."""
    core = token.strip(EDGE)
    if not core:
        return token
    start = token.index(core)
    return token[:start] + cased + token[start + len(core):]


def _capital(word: str) -> str:
    return word[:1].upper() + word[1:].lower()


def _syllables(token: str) -> str:
    """Every syllable capitalised, as a place is written ("BÀ RỊA-VŨNG TÀU" -> "Bà Rịa-Vũng Tàu")."""
    return re.sub(r"\w+", lambda m: _capital(m.group(0)), token.lower())


# --- the document's own writing -----------------------------------------------------------------


@functools.lru_cache(maxsize=2)
def _case_index(written: str) -> str:
    """The text in capitals, its tone marks placed one way (`_tone_key`), character for character
    (a position in one is a position in the other), made once per document: it is asked for every
    header line."""
    chars: dict[str, str] = {}
    for c in set(written):
        up = upper_vi(c)
        chars[c] = up if len(up) == 1 else c
    return _tone_key("".join(chars[c] for c in written))


# The two placements of a tone mark in "oa", "oe", "uy" (Unikey's "old style" "hoà", "Uỷ" against
# "hòa", "Ủy"): the same word, in capitals, each pair keyed with the mark on its first letter.
_TONES = "\u0300\u0301\u0309\u0303\u0323"  # grave, acute, hook, tilde, dot below
_SECOND_MARKED = re.compile("|".join(
    f"{first}{unicodedata.normalize('NFC', second + tone)}" for first, second in (("O", "A"), ("O", "E"), ("U", "Y"))
    for tone in _TONES))


def _tone_key(upper: str) -> str:
    """Text in capitals with the old placement of tone marks moved to the first vowel of the pair,
    character for character (a position in one is a position in the other)."""
    def moved(m: re.Match[str]) -> str:
        pair = m.group(0)
        second = unicodedata.normalize("NFD", pair[1])  # the vowel, then its tone mark
        return unicodedata.normalize("NFC", pair[0] + second[1:]) + second[0]

    return _SECOND_MARKED.sub(moved, upper)


def as_written(caps: str, written: str) -> str | None:
    """The whole name as the running text writes it, when it does: the form met most often among
    those starting with a capital (a name starts with one; "các ủy ban nhân dân" is a common
    noun), as whole words. None when the text never writes it."""
    if not caps or not written:
        return None
    # Found whichever way each writes its tone marks: the name as the text spells it.
    upper, caps = _case_index(written), _tone_key(caps)
    forms: Counter[str] = Counter()
    start = 0
    while (i := upper.find(caps, start)) >= 0:
        start = i + 1
        before = written[i - 1] if i else " "
        after = written[i + len(caps)] if i + len(caps) < len(written) else " "
        found = written[i : i + len(caps)]
        if before.isalnum() or after.isalnum() or found == upper_vi(found) or not found[:1].isupper():
            continue
        forms[found] += 1
    if not forms:
        return None
    return forms.most_common(1)[0][0]


# --- the rules ----------------------------------------------------------------------------------


def _place_length(cores: list[str], i: int, guess: bool) -> int:
    """How many words from i name a place: the longest the units' data knows; in a body's name
    (guess) at least the words up to its end, a coordinator, another level word or a kind (a place
    the data does not know, or longer than one it knows: "tỉnh Hòa Bình Xanh"); 0 when none."""
    names = place_names()
    known = next((n for n in range(min(6, len(cores) - i), 0, -1) if " ".join(cores[i : i + n]) in names), 0)
    if not guess:
        return known
    n = 0
    while i + n < len(cores):
        core = cores[i + n]
        # A place's name holds no joining word: "… TỈNH LÀO CAI VỀ PHÒNG, CHỐNG …" ends at "VỀ".
        if core in JOINING or phrase_at(LEVEL_TABLE, cores, i + n) \
                or phrase_at(KIND_TABLE, cores, i + n) or not re.fullmatch(r"[\w'\-–.]+", core):
            break
        n += 1
    return max(known, n)


def _cased_words(tokens: list[str], *, names: bool, written: str = "") -> list[str]:
    """The tokens (words as printed, in capitals) in Phụ lục II's case. names: a body's name (kinds
    and fields capitalised, an unknown place after its level word guessed to run to the end);
    otherwise a heading in sentence case (only known places, proper names and acronyms keep capitals).
    A word shaped like an acronym that the running text (written) writes as a word ("video",
    "Facebook") is that word: letters alone cannot tell VIDEO from PAPI."""
    cores = [_core(t) for t in tokens]
    out = [t.lower() for t in tokens]
    as_words = _words_not_in_capitals(written) if written else {}
    i = 0
    field_starts = False  # the next word begins a field (after a kind or a coordinator)
    after_kind = False  # the previous words were a kind: another kind may follow ("Văn phòng Sở")
    level_kind = False  # that kind starts with a level word ("Tỉnh đoàn", "Huyện ủy")
    while i < len(tokens):
        core = cores[i]
        numeral_word = core in _SYLLABLE_NUMERALS and (i == 0 or cores[i - 1] not in _COUNT_WORDS)
        if (_acronym(core) or any(c.isdigit() for c in core)) and core not in ABBREVIATED_LEVELS \
                and not numeral_word:
            # Roman numerals ("KHU VỰC VI" beside "phạm vi") and letters with no vowel keep capitals.
            spelled = core in as_words and not re.fullmatch(r"[IVXLC]+", core)
            out[i] = _with_case(tokens[i], as_words[core]) if spelled else tokens[i]
            i += 1
            field_starts = after_kind = False
            continue
        if (proper := phrase_at(_PROPER_TABLE, cores, i)) is not None:
            n, phrase = proper
            for k, word in enumerate(phrase.split()):
                out[i + k] = _with_case(tokens[i + k], word)
            i += n
            field_starts, after_kind = False, False
            continue
        kind = phrase_at(KIND_TABLE, cores, i) if names else None
        # A kind is followed by its field: "phòng," in "Ban Chỉ đạo phòng, chống…" is a verb. After a
        # joining word a kind names the bodies the name is made of, with their field ("Liên hiệp các
        # Hội Văn học nghệ thuật", "Ban Quản lý … thuộc Sở Y tế"), unless its words are another word's
        # ("về đội ngũ"). Not after "về": what follows is the field a body works on, lower case as
        # any field ("Ban Chỉ đạo về quỹ đất", "về cục diện"), never a body's name.
        after_joining = i > 0 and cores[i - 1] in PLAIN_AFTER_KIND and cores[i - 1] != "VỀ" \
            and phrase_at(LEXICAL_TABLE, cores, i) is None
        if kind is not None and (i == 0 or after_kind or after_joining or kind[1] in _ANYWHERE) \
                and not (i and tokens[i + kind[0] - 1].endswith(",")):
            n, phrase = kind
            for k, word in enumerate(phrase.split()):
                out[i + k] = _with_case(tokens[i + k], word)
            i += n
            field_starts = after_kind = True
            level_kind = phrase_at(LEVEL_TABLE, cores[i - n:i], 0) is not None
            continue
        if (lexical := phrase_at(LEXICAL_TABLE, cores, i)) is not None:
            n, phrase = lexical
            for k, word in enumerate(phrase.split()):
                out[i + k] = _with_case(tokens[i + k], _capital(word) if k == 0 and field_starts else word)
            i += n
            field_starts = after_kind = False
            continue
        if (level := phrase_at(LEVEL_TABLE, cores, i)) is not None:
            n = level[0]
            place = _place_length(cores, i + n, guess=names)
            if place or i + n == len(tokens):
                for k in range(n):  # "TP.", "TX.": abbreviations, kept as printed
                    out[i + k] = tokens[i + k] if cores[i + k] in ABBREVIATED_LEVELS else tokens[i + k].lower()
                for k in range(i + n, i + n + place):
                    out[k] = _syllables(tokens[k])
                i += n + place
                field_starts = after_kind = False
                continue
        if names and level_kind and (place := _place_length(cores, i, guess=False)) \
                and i + place == len(tokens):
            # A kind that names its level ("Tỉnh đoàn", "Huyện ủy") is followed by the place
            # alone, without a level word: "Tỉnh đoàn Quảng Ngãi" — every syllable capitalised.
            for k in range(i, i + place):
                out[k] = _syllables(tokens[k])
            i += place
            field_starts = after_kind = level_kind = False
            continue
        if names and field_starts and core not in PLAIN_AFTER_KIND and re.search(r"\w", core) \
                and cores[i : i + 2] != ["KHU", "VỰC"]:  # "Chi cục Thuế khu vực II": a scope, no field
            out[i] = _with_case(tokens[i], _capital(core))
        after_kind = False
        field_starts = names and (core in COORDINATORS or tokens[i].endswith(",")) and not (
            core == "PHÒNG" and tokens[i].endswith(","))  # "phòng, chống": one verb, not two fields
        if not re.search(r"\w", core) and core not in COORDINATORS:
            field_starts = False
        i += 1
    if out:
        first = out[0]
        j = next((k for k, c in enumerate(first) if c.isalpha()), None)
        if j is not None and not _acronym(cores[0]):
            out[0] = first[:j] + first[j].upper() + first[j + 1:]
    return out


def _join(words: list[str], spaces: list[str]) -> str:
    return "".join(w + s for w, s in zip(words, [*spaces, ""], strict=True))


def _in_capitals(text: str) -> bool:
    return upper_vi(text) == text


def _kept(caps: str, written: str) -> str | None:
    """What needs no rule: text that is not in capitals as it is, or the whole line as the running
    text writes it; None when the rules must case it."""
    if not caps.strip() or not _in_capitals(caps):
        return caps
    return as_written(caps.strip(), written)


def agency_case(caps: str, written: str = "") -> str:
    """A body's name printed in capitals in the case Phụ lục II gives it ("SỞ VĂN HÓA VÀ THỂ THAO"
    -> "Sở Văn hóa và Thể thao", "UBND TỈNH LÀO CAI" -> "UBND tỉnh Lào Cai"); the whole name as
    the running text (written) writes it when it does. Text already in mixed case is kept."""
    if (kept := _kept(caps, written)) is not None:
        return kept
    words, spaces = words_and_spaces(caps)
    return _join(_cased_words(words, names=True, written=written), spaces)


def title_case(caps: str, written: str = "") -> str:
    """A signer's post printed in capitals, as running text writes it: "PHÓ GIÁM ĐỐC" -> "Phó Giám
    đốc", "CHỦ TỊCH" -> "Chủ tịch", "TRƯỞNG BAN" -> "Trưởng ban"; a body named after the post keeps
    its own case ("GIÁM ĐỐC SỞ TƯ PHÁP" -> "Giám đốc Sở Tư pháp"). A post the rules do not know is
    taken as the running text writes it, else with only its first letter capital."""
    if not caps.strip() or not _in_capitals(caps):
        return caps
    words, spaces = words_and_spaces(caps)
    cores = [_core(w) for w in words]
    out: list[str] = []
    i = 0
    while i < len(words) and cores[i] in ("PHÓ", "QUYỀN"):
        out.append(_with_case(words[i], _capital(cores[i])))
        i += 1
    post = phrase_at(_POST_TABLE, cores, i)
    if post is None:
        found = as_written(caps.strip(), written)
        if found is not None:
            return found
        cased = [w.lower() for w in words]
        cased[0] = _capital(cased[0])
        if len(cased) > 1 and cores[0] == "PHÓ":
            cased[1] = _capital(cased[1])
        return _join(cased, spaces)
    n, phrase = post
    out += [_with_case(words[i + k], word) for k, word in enumerate(phrase.split())]
    i += n
    rest = words[i:]
    if rest:
        if phrase_at(KIND_TABLE, [_core(w) for w in rest], 0) is not None:
            out += _cased_words(rest, names=True, written=written)
        else:
            tail = _cased_words(rest, names=False, written=written)
            first = tail[0]
            out += [first[:1].lower() + first[1:] if not _acronym(_core(rest[0])) else first, *tail[1:]]
    return _join(out, spaces)


def heading_case(caps: str, written: str = "") -> str:
    """A heading printed in capitals (a mục's name) in sentence case: the whole line as the running
    text writes it, else its first letter capital, acronyms, known places and proper names kept."""
    if (kept := _kept(caps, written)) is not None:
        return kept
    words, spaces = words_and_spaces(caps)
    out = _cased_words(words, names=False, written=written)
    # A body the heading names ("TRÁCH NHIỆM CỦA SỞ Y TẾ") as the running text writes it inside a
    # sentence: from a kind of body, several words from a capital, after a word in lower case (not
    # a sentence's start). Only from a kind: writers capitalise common nouns too ("phong trào Thi đua").
    cores = [_core(w) for w in words]
    i = 0
    while i < len(words) and written:
        if phrase_at(KIND_TABLE, cores, i) is None:
            i += 1
            continue
        for n in range(min(_NAME_SPAN, len(words) - i), 1, -1):
            found = _inside_sentence(" ".join(cores[i : i + n]), written)
            if found is not None:
                for k, word in enumerate(found.split(" ")):
                    out[i + k] = _with_case(words[i + k], word)
                i += n - 1
                break
        i += 1
    return _join(out, spaces)


_NAME_SPAN = 10
"""The most words of a name looked for in a heading (a long body's name has about ten)."""


def _inside_sentence(caps: str, written: str) -> str | None:
    """caps as the text writes it inside a sentence starting with a capital (a name), or None."""
    upper, caps = _case_index(written), _tone_key(caps)
    start = 0
    while (i := upper.find(caps, start)) >= 0:
        start = i + 1
        end = i + len(caps)
        found = written[i:end]
        if end < len(written) and written[end].isalnum() or not found[:1].isupper() or found == upper_vi(found):
            continue  # inside a longer word, not a name's capital, or a line printed in capitals
        if _starts_a_name_inside_a_sentence(written, i):
            return found
    return None


def _starts_a_name_inside_a_sentence(written: str, i: int) -> bool:
    """The text at i follows a word of the same sentence that is no part of a name: a word in lower
    case other than "và" ("Văn hóa và Thể thao" says nothing of "thể thao" alone), or the sentence's
    own first word ("Giao Sở Y tế…"); not a sentence's start, not the middle of another name."""
    whole = written[max(0, i - 80) : i]
    window = whole.rsplit("\n", 1)[-1]  # a paragraph (a line of written) starts a sentence
    if not window.endswith((" ", "\u00a0")):
        return False
    before = window.split()
    if not before or not before[-1][-1:].isalnum() and not before[-1].endswith(","):
        return False  # the sentence starts here
    prev = before[-1].rstrip(",")
    if prev.islower():
        return prev != "và"
    if before[-1].endswith(","):
        return False  # a list of capitals: inside another name
    first_of_text = len(before) == 1 and ("\n" in whole or i <= 80)
    return first_of_text or (len(before) > 1 and before[-2][-1:] in ".:;!?")


def lines_case(lines: Sequence[str], case: Callable[[str, str], str], written: str = "") -> list[str]:
    """Lines printed one under another that make one name ("ỦY BAN NHÂN DÂN" / "TỈNH LÀO CAI"),
    cased as one name (the second line's "tỉnh" is not a name's first word) and cut back into the
    same lines, word for word. Lines that print several names (a parent over its parent: "UBND
    TỈNH SÔNG MÂY" / "SỞ VĂN HÓA VÀ THỂ THAO", "BỘ Y TẾ" / "CỤC …") are cased name by name
    (nd30.names.name_starts)."""
    starts: list[int] = []
    for i in range(1, len(lines)):
        if name_starts(" ".join(lines[starts[-1] if starts else 0 : i]), lines[i]):
            starts.append(i)
    if starts:
        out: list[str] = []
        for a, b in itertools.pairwise([0, *starts, len(lines)]):
            out += _one_name_case(lines[a:b], case, written)
        return out
    return _one_name_case(lines, case, written)


def _one_name_case(lines: Sequence[str], case: Callable[[str, str], str], written: str) -> list[str]:
    counts = [len(words_and_spaces(line)[0]) if line.strip() else 0 for line in lines]
    whole = case(" ".join(line.strip() for line in lines if line.strip()), written)
    words = words_and_spaces(whole)[0] if whole.strip() else []
    if len(words) != sum(counts):  # the running text wrote it otherwise: case each line alone
        return [case(line, written) for line in lines]
    out, k = [], 0
    for line, n in zip(lines, counts, strict=True):
        if n == 0:
            out.append(line)
            continue
        _, spaces = words_and_spaces(line)
        out.append(_join(words[k : k + n], spaces))
        k += n
    return out
