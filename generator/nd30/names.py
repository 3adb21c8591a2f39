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
# Words whose first would be mistaken for a level or a kind of body: "xã hội" (society), "phòng,
# chống" (to prevent: "Ban Chỉ đạo phòng, chống thiên tai"), "đội ngũ" (the staff), the common nouns
# for bodies and their members ("các đoàn thể", "các sở, ban, ngành", "hội viên").
LEXICAL = ["xã hội", "phòng chống", "phòng cháy", "phòng ngừa", "phòng tránh", "phòng bệnh", "phòng dịch",
           "đội ngũ", "đoàn thể", "đoàn viên", "hội viên", "đội viên", "ban ngành", "phòng ban", "sở ngành",
           "trường học"]
# Levels written short in a name, with the dot of an abbreviation ("UBND TP. HÀ NỘI", "TRUNG TÂM Y TẾ
# TX. BẮC MÂY"): what they stand for. Only these: a single letter with a dot is no level ("Q." is the
# signer's "Quyền", Phụ lục I; "H." an initial), nor is "TT." (thị trấn) that offices do not write.
ABBREVIATED_LEVELS = {"TP": "thành phố", "TX": "thị xã"}
# Levels of administrative units, lower case before the place's name (an abbreviation as printed).
LEVELS = ["thành phố", "thị xã", "thị trấn", "đặc khu", "tỉnh", "huyện", "quận", "xã", "phường",
          *ABBREVIATED_LEVELS]
# The kinds of body set up inside another (Decree 30 Phụ lục II and the laws on the organisation of
# ministries, departments and banks: a Cục or a Vụ under a Bộ, a Phòng, Ban, Đoàn or Chi cục under
# a Sở, a Chi nhánh under a Ngân hàng): a header line opening one of these under a line opening its
# parent prints the parent over its part, two names ("BỘ Y TẾ" / "CỤC QUẢN LÝ DƯỢC").
_UNDER_A_MINISTRY = ["Tổng cục", "Cục", "Vụ", "Văn phòng", "Thanh tra", "Viện", "Học viện", "Trường",
                     "Bệnh viện", "Trung tâm", "Ban"]
_UNDER_A_DEPARTMENT = ["Phòng", "Ban", "Đoàn", "Chi cục", "Trung tâm", "Văn phòng", "Thanh tra", "Bệnh viện",
                       "Trường", "Đội", "Hạt", "Quỹ"]
_UNDER_A_COMMITTEE = ["Ban", "Văn phòng", "Ủy ban", "Uỷ ban", "Đảng ủy", "Đảng uỷ", "Chi bộ", "Tiểu ban"]
PARTS: dict[str, list[str]] = {
    "Bộ": _UNDER_A_MINISTRY,
    "Tổng cục": ["Cục", "Vụ", "Văn phòng", "Chi cục", "Trung tâm"],
    "Cục": ["Chi cục", "Phòng", "Văn phòng", "Trung tâm", "Đội", "Đoàn"],
    "Chi cục": ["Phòng", "Đội", "Hạt"],
    "Sở": _UNDER_A_DEPARTMENT,
    "Ủy ban nhân dân": ["Văn phòng", "Sở", "Phòng", "Ban", "Thanh tra", "Trung tâm"],
    "Uỷ ban nhân dân": ["Văn phòng", "Sở", "Phòng", "Ban", "Thanh tra", "Trung tâm"],
    "Hội đồng nhân dân": ["Ban", "Văn phòng", "Đoàn đại biểu"],
    "Ngân hàng": ["Chi nhánh", "Sở", "Phòng", "Văn phòng"],
    "Chi nhánh": ["Phòng"],
    "Kho bạc Nhà nước": ["Kho bạc Nhà nước", "Kho bạc", "Phòng", "Văn phòng"],
    "Bảo hiểm xã hội": ["Bảo hiểm xã hội", "Phòng", "Văn phòng"],
    "Tổng công ty": ["Công ty", "Chi nhánh", "Ban", "Văn phòng"],
    "Công ty": ["Chi nhánh", "Phòng", "Ban", "Đội"],
    "Trung tâm": ["Phòng", "Đội"],
    "Bệnh viện": ["Phòng"],
    "Viện": ["Phòng", "Trung tâm"],
    "Học viện": ["Phòng", "Trung tâm"],
    "Trường": ["Phòng"],
    "Công an": ["Phòng", "Đội", "Công an"],
    "Thanh tra": ["Phòng", "Đoàn"],
    "Ban Chỉ đạo": ["Tiểu ban", "Văn phòng"],
    "Liên đoàn": ["Ban", "Văn phòng"],
    **{k: _UNDER_A_COMMITTEE for k in ("Đảng ủy", "Đảng uỷ", "Tỉnh ủy", "Tỉnh uỷ", "Huyện ủy", "Huyện uỷ",
                                         "Thành ủy", "Thành uỷ", "Quận ủy", "Quận uỷ", "Thị ủy", "Thị uỷ")},
}
# The words that join the parts of a name, the one list of them: coordinators, after which a field
# starts ("Sở Văn hóa, Thể thao và Du lịch"), and words after which none starts ("Ban Chỉ đạo về…",
# "Văn phòng các…", "Ủy ban nhân dân cấp…", "Hội hữu nghị với…"). No name ends with one nor starts with
# one, and no place's name holds one.
PLAIN_AFTER_KIND = {"VỀ", "CỦA", "CÁC", "THUỘC", "CẤP", "VỚI"}
COORDINATORS = {"VÀ", "-", "–", "&"}
JOINING = COORDINATORS | PLAIN_AFTER_KIND
EDGE = ",.;:()\"'“”"
# Marks that join a line to the next ("SỞ VĂN HÓA," / "THỂ THAO", "LIÊN HIỆP (" …) or to the one above.
_JOINS_THE_NEXT = "-–&,("
_JOINS_THE_ABOVE = "-–&,)"


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


def abbreviates_a_level(token: str) -> bool:
    """Whether a printed word is a level written short with its dot ("TP.", "Tx."): the dot is the
    abbreviation's, not a mark closing the name."""
    word = token.strip().rstrip(EDGE.replace(".", ""))
    return word.endswith(".") and upper_vi(word[:-1].lstrip(EDGE)) in ABBREVIATED_LEVELS


def opens_with_a_level(line: str) -> bool:
    """Whether a header line starts with a level word ("TỈNH LÀO CAI", "TP. HÀ NỘI" under "UBND"),
    so it goes on the name above with its place; "XÃ HỘI" under "… THƯƠNG BINH VÀ" reads so too."""
    words = words_and_spaces(line)[0]
    return bool(words) and phrase_at(LEVEL_TABLE, [core(w) for w in words], 0) is not None


def names_a_place(cores: list[str], i: int) -> bool:
    """Whether word i is a level followed by the place's name ("XÃ LƯƠNG MINH"), not a word that
    starts like a level ("XÃ HỘI", society: "Lao động - Thương binh và Xã hội")."""
    level = phrase_at(LEVEL_TABLE, cores, i)
    return level is not None and i + level[0] < len(cores) and phrase_at(LEXICAL_TABLE, cores, i) is None


def opens_a_body(cores: list[str]) -> str | None:
    """The kind of body a line's words open ("CỤC QUẢN LÝ DƯỢC" -> "Cục"), in Phụ lục II's case; None
    when they open none, or a kind's first word is another word ("PHÒNG, CHỐNG THIÊN TAI": to prevent)."""
    if not cores or phrase_at(LEXICAL_TABLE, cores, 0) is not None:
        return None
    kind = phrase_at(KIND_TABLE, cores, 0)
    return kind[1] if kind is not None else None


def cut_mid_name(line: str) -> bool:
    """Whether a header line stops where no name ends, so the next line goes on its name: it ends with
    a joining word or mark ("SỞ GIÁO DỤC VÀ", "LIÊN HIỆP CÁC", "SỞ VĂN HÓA,"), or with a level whose
    place follows ("ỦY BAN NHÂN DÂN TỈNH", "UBND TP.")."""
    text = line.strip()
    if not text:
        return False
    if text[-1] in _JOINS_THE_NEXT:
        return True
    cores = [core(w) for w in text.split()]
    return cores[-1] in JOINING or any(tuple(cores[-len(level):]) == level for level in LEVEL_TABLE)


def goes_on_a_name(line: str) -> bool:
    """Whether a header line starts where no name starts, so it goes on the name above: with a joining
    word or mark ("VÀ DU LỊCH", "CÁC HỘI KHOA HỌC", "- THƯƠNG BINH"), or the "VỀ …" that names a
    steering committee's field ("BAN CHỈ ĐẠO TỈNH X" / "VỀ PHÒNG, CHỐNG TỘI PHẠM")."""
    text = line.strip()
    return bool(text) and (text[0] in _JOINS_THE_ABOVE or core(text.split()[0]) in JOINING)


def name_starts(above: str, line: str) -> bool:
    """Whether a header line starts a name of its own under the name above it (`above`: that name's
    lines so far, joined). The line begins with a kind of body ("SỞ", "PHÒNG", "CỤC", "CHI NHÁNH")
    and either the name above ends with its place ("… XÃ LƯƠNG MINH": a level word followed by the
    place's name) or it opens the kind of body this one is a part of ("BỘ Y TẾ" / "CỤC QUẢN LÝ
    DƯỢC", "NGÂN HÀNG CHÍNH SÁCH XÃ HỘI" / "CHI NHÁNH TỈNH LÀO CAI", "SỞ CÔNG THƯƠNG LÀO CAI" /
    "ĐOÀN KIỂM TRA"). A name cut mid-phrase goes on with its phrase, not with a body: "ỦY BAN NHÂN
    DÂN TỈNH" / "LÀO CAI", "SỞ VĂN HÓA, THỂ THAO" / "VÀ DU LỊCH", "TRUNG TÂM Y TẾ" / "HUYỆN X"."""
    kind = opens_a_body([core(w) for w in words_and_spaces(line)[0]])
    if kind is None:
        return False
    prev = [core(w) for w in words_and_spaces(above)[0]]
    if not prev or cut_mid_name(above):
        return False
    parent = opens_a_body(prev)
    return (any(names_a_place(prev, i) for i in range(len(prev)))
            or (parent is not None and kind in PARTS.get(parent, ())))
