"""The words an agency's name is made of, as Phụ lục II of Decree 30 writes them ("Viết hoa trong văn
bản hành chính"): the kinds of body ("Sở", "Ủy ban nhân dân"), the levels of administrative units
("tỉnh", "xã") and the words that look like a level and are not ("xã hội"); and where a header
line starts a name of its own under the line above.

Why here (rank 0): the recogniser reads a header's lines into names (recognise/parts) and the plan's
data writes those names back in their case (plan/name_case); both must cut lines into names by the
same rule, and the recogniser sits below the plan.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..text import upper_vi

# Kinds of body, in the case Phụ lục II writes them (the words after the first are part of the
# kind, not a field: "Ủy ban nhân dân", "Bảo hiểm xã hội"). Matched longest first.
KINDS = [
    "Ủy ban nhân dân", "Uỷ ban nhân dân", "Hội đồng nhân dân", "Tòa án nhân dân", "Toà án nhân dân",
    "Viện kiểm sát nhân dân", "Kho bạc Nhà nước", "Bảo hiểm xã hội", "Ban Chỉ đạo", "Ban Chỉ huy",
    "Bộ Chỉ huy", "Đoàn đại biểu", "Đảng ủy", "Đảng uỷ", "Tỉnh ủy", "Tỉnh uỷ", "Huyện ủy", "Huyện uỷ",
    "Thành ủy", "Thành uỷ", "Quận ủy", "Quận uỷ", "Thị ủy", "Thị uỷ", "Tỉnh đoàn", "Huyện đoàn",
    "Thành đoàn", "Ủy ban", "Uỷ ban", "Hội đồng", "Văn phòng", "Tiểu ban", "Ban", "Sở", "Bộ", "Phòng",
    "Trung tâm", "Tổng cục", "Chi cục", "Cục", "Vụ", "Học viện", "Bệnh viện", "Viện", "Trường",
    "Công an", "Thanh tra", "Kho bạc", "Liên đoàn", "Liên hiệp", "Đoàn", "Hội", "Tổng công ty",
    "Công ty", "Chi nhánh", "Ngân hàng", "Đài", "Chi bộ", "Đảng bộ", "Hạt", "Đội", "Quỹ",
]
# Words of two syllables whose first would be mistaken for a level word ("xã hội": society).
LEXICAL = ["xã hội"]
# Levels of administrative units, lower case before the place's name.
LEVELS = ["thành phố", "thị xã", "thị trấn", "đặc khu", "tỉnh", "huyện", "quận", "xã", "phường", "TP"]
# Words after which no field starts ("Ban Chỉ đạo về…", "Văn phòng các…").
PLAIN_AFTER_KIND = {"VỀ", "CỦA", "CÁC", "THUỘC", "CẤP"}
COORDINATORS = {"VÀ", "-", "–", "&"}
EDGE = ",.;:()\"'“”"


def phrase_key(phrase: str) -> tuple[str, ...]:
    return tuple(upper_vi(phrase).split())


def phrase_table(phrases: Sequence[str]) -> dict[tuple[str, ...], str]:
    return {phrase_key(p): p for p in phrases}


KIND_TABLE = phrase_table(KINDS)
LEXICAL_TABLE = phrase_table(LEXICAL)
LEVEL_TABLE = phrase_table(LEVELS)


def core(token: str) -> str:
    """A token without the punctuation around it ("HÓA," -> "HÓA"), in capitals."""
    return upper_vi(token.strip(EDGE)) or upper_vi(token)


def phrase_at(table: dict[tuple[str, ...], str], cores: list[str], i: int) -> tuple[int, str] | None:
    """The longest phrase of the table starting at word i: (its length in words, its case)."""
    for n in range(min(6, len(cores) - i), 0, -1):
        phrase = table.get(tuple(cores[i : i + n]))
        if phrase is not None:
            return n, phrase
    return None


def words_and_spaces(text: str) -> tuple[list[str], list[str]]:
    """Words and the spaces between them (kept as printed)."""
    parts = re.split(r"(\s+)", text.strip())
    return parts[0::2], parts[1::2]


def names_a_place(cores: list[str], i: int) -> bool:
    """Whether word i is a level followed by the place's name ("XÃ LƯƠNG MINH"), not a word that
    starts like a level ("XÃ HỘI", society: "Lao động - Thương binh và Xã hội")."""
    level = phrase_at(LEVEL_TABLE, cores, i)
    return level is not None and i + level[0] < len(cores) and phrase_at(LEXICAL_TABLE, cores, i) is None


def name_starts(above: str, line: str) -> bool:
    """Whether a header line starts a name of its own under the line above: it begins with a kind of
    body ("SỞ", "PHÒNG", "BAN", "ỦY BAN") and the line above ends a name with its place ("… XÃ
    LƯƠNG MINH": a level word followed by the place's name), not with a joining word or a bare level
    ("ỦY BAN NHÂN DÂN TỈNH" / "LÀO CAI" is one name, as is "SỞ VĂN HÓA, THỂ THAO" / "VÀ DU LỊCH")."""
    cores = [core(w) for w in words_and_spaces(line)[0]]
    if not cores or phrase_at(KIND_TABLE, cores, 0) is None:
        return False
    prev = [core(w) for w in words_and_spaces(above)[0]]
    if not prev or prev[-1] in COORDINATORS or prev[-1] in PLAIN_AFTER_KIND:
        return False
    return any(names_a_place(prev, i) for i in range(len(prev)))
