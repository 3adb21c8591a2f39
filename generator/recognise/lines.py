"""The lines of an administrative document that Decree 30 gives a form, parsed: one regex per concept.

Each parser takes a line's text (as the neutral reader gives it, `word.reader.norm`-alike) and says
what it holds, or None when the line is not of that form. The locator (`recognise.parts`), the
checker and the importer all use these; nothing else should parse these lines again.
- `parse_number_line(text) -> NumberLine | None`: "Số: 16/KH-MTTQ-BTT" → number "16" (None when
  blank), symbol "KH-MTTQ-BTT", type_abbr "KH", agency_abbr "MTTQ-BTT".
- `parse_date_line(text) -> DateLine | None`: "Lào Cai, ngày     tháng     năm 2026" → place, day and
  month None when left blank (the normal unsigned draft), year 2026.
- `parse_authority(text) -> Authority`: "KT. GIÁM ĐỐC" → form "KT", title "GIÁM ĐỐC".
- `parse_reference(text) -> Reference | None`: an appendix's "(Kèm theo Kế hoạch số …/… ngày … của …)".
- `recognise_type(text) -> str | None`: "KẾ HOẠCH" → "Kế hoạch".
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

from ..nd30 import AGENCY_ABBREVIATION, SYMBOL, TYPE_ABBREVIATIONS, YEAR_IN_NUMBER_TYPES
from ..text import upper_vi
from ..word.reader import norm

_VOWELS = ("aàáảãạăằắẳẵặâầấẩẫậ", "eèéẻẽẹêềếểễệ", "iìíỉĩị", "oòóỏõọôồốổỗộơờớởỡợ", "uùúủũụưừứửữự", "yỳýỷỹỵ", "dđ")


def marks_blind(words: str) -> str:
    """A regex for words as they print with their marks left out or on the wrong letter ("Nơi nhận"
    typed "Noi nhan", "Nơi nhân"): each vowel (and d) stands for the same letter with any mark. Only
    for the fixed words that label a header line ("Số", "ngày", "Nơi nhận"), where the line's form
    (the figures, the colon, the place in the header) tells it apart from text."""
    out = []
    for c in words:
        group = next((g for g in _VOWELS if c.lower() in g), None)
        out.append(f"[{group}]" if group else r"\s*" if c == " " else re.escape(c))
    return "".join(out)


# The label "Số" typed with a slip of its mark ("So", "Sồ") or ";" for its colon is still the Số line:
# the figures and the "/" after it say so (check's form rule reports the label as typed).
NUMBER_RE = re.compile(rf"^{marks_blind('so')}\s*[:;.]?\s*(?:\d|[.…_ ]*/)", re.I)
# "12a": a number written with a letter; "/2026/": a year between the number and the ký hiệu (the form
# of a legal document's number, Luật ban hành văn bản QPPL, not Decree 30's): both read, the slip said.
NUMBER_FORM = re.compile(
    r"^(?P<so>\S+?)\s*(?P<colon>:?)(?P<sp1>\s*)(?P<num>\d*)(?:(?<=\d)(?P<letters>[^\W\d_]{1,3}))?[.…_]*"
    r"(?P<sp2>\s*)/(?:\s*(?P<year>\d{4}|\d{2})\s*/)?(?P<sp3>\s*)(?P<sym>.*)$")
# An agency's abbreviation may join words with "&" as printed ("SGD&ĐT": Sở Giáo dục và Đào tạo).
SYMBOL_FORM = re.compile(rf"^(?P<type>[A-Za-zĐđ]+)-(?P<agency>{AGENCY_ABBREVIATION})$")
# The ký hiệu typed with a slip: spaces around its hyphen ("KH - UBND"), a dot or a dash for it ("KH.UBND",
# "KH–UBND"), in small letters ("kh-ubnd"). Its two parts are still read, the slip said.
_SYMBOL_SLIP = re.compile(r"^(?P<type>[A-Za-zĐđ]+)\s*[-–—.]\s*(?P<agency>[A-Za-zĐđ0-9&]+(?:\s*-\s*[A-Za-zĐđ0-9&]+)*)$")
_TYPE_ABBRS = {upper_vi(a): a for a in TYPE_ABBREVIATIONS.values() if a}


def _symbol(sym: str) -> tuple[str | None, str | None, str]:
    """The type's and the issuer's abbreviations a ký hiệu prints, and its slip ("" when none)."""
    if m := SYMBOL_FORM.match(sym):
        return m.group("type"), m.group("agency"), ""
    m = _SYMBOL_SLIP.match(sym)
    if m is None or upper_vi(m.group("type")) not in _TYPE_ABBRS:
        return None, None, ""
    kind = _TYPE_ABBRS[upper_vi(m.group("type"))]
    agency = upper_vi(re.sub(r"\s+", "", m.group("agency")))
    slip = "có dấu cách trong ký hiệu" if " " in sym else f"ký hiệu “{sym}” cần viết “{kind}-{agency}”"
    return kind, agency, slip


@dataclass(frozen=True)
class NumberLine:
    """A parsed "Số: 05/KH-SKHCN" line."""

    text: str
    label: str  # "Số" as written
    colon: bool
    number: str | None  # None when blank (a draft)
    symbol: str  # "KH-SKHCN"
    type_abbr: str | None  # "KH"
    agency_abbr: str | None  # "SKHCN", or "MTTQ-BTT" for a multi-part ký hiệu
    space_around_slash: bool  # "05 / KH" (wrong when a number is written)
    space_after_slash: bool
    written: str = ""  # the number as printed ("12a"), also when it is no number the plan can hold
    year: str = ""  # a year printed between the number and the ký hiệu ("12/2026/KH-…"), as written
    slip: str = ""
    """How the number departs from Decree 30's while its ký hiệu is still read ("" when it does not): a
    number written with a letter is left out (number None: a document's number is figures only)."""


def parse_number_line(text: str) -> NumberLine | None:
    m = NUMBER_FORM.match(norm(text))
    if not m:
        return None
    sym = m.group("sym").strip()
    kind, agency, symbol_slip = _symbol(sym)
    written = m.group("num") + (m.group("letters") or "")
    slips = [symbol_slip] if symbol_slip else []
    if m.group("letters"):
        slips.append(f"số “{written}” có chữ: số văn bản chỉ ghi bằng chữ số Ả Rập")
    if m.group("year") and kind not in YEAR_IN_NUMBER_TYPES:
        slips.append(f"có năm “{m.group('year')}” giữa số và ký hiệu: dạng “số/năm/ký hiệu” chỉ dành cho văn bản "
                     "quy phạm pháp luật, văn bản hành chính ghi “Số: 05/KH-…”")
    return NumberLine(text=norm(text), label=m.group("so"), colon=bool(m.group("colon")),
                      number=None if m.group("letters") else m.group("num") or None, symbol=sym,
                      type_abbr=kind, agency_abbr=agency,
                      space_around_slash=bool(m.group("sp2") or m.group("sp3")), space_after_slash=bool(m.group("sp3")),
                      written=written, year=m.group("year") or "", slip="; ".join(slips))


_BLANK = r"[\s.…_]*"
DATE_RE = re.compile(r"ngày\s.*tháng\s.*năm\s*\d{4}", re.I)
# "ngày … tháng … năm …" as typed: the words with a slip of their marks or case ("ngay", "Tháng"), a
# comma before "năm", the year in two figures ("năm 26"); the place before it with its comma, or with
# none, or left out. Each slip still says the date; parse_date_line names them. Without its comma the
# place is told from a sentence ending in a date by what a place's name never holds: a "/" (the "số
# 12/QĐ-UBND" of a document a "Căn cứ …" line cites, then its date).
_DATE_WORDS = (rf"(?P<w1>{marks_blind('ngày')}){_BLANK}(?P<d>\d{{1,2}})?{_BLANK}(?P<w2>{marks_blind('tháng')})"
               rf"{_BLANK}(?P<m>\d{{1,2}})?{_BLANK}(?P<c2>,)?\s*(?P<w3>{marks_blind('năm')})\s*(?P<y>\d{{4}}|\d{{2}})")
DATE_FORM = re.compile(rf"^(?:(?P<place>[^,]+?)(?P<comma>,)\s*|(?P<bare>[^,/]+?)\s+)?{_DATE_WORDS}\s*\.?$", re.I)


# The date typed in figures ("Hà Nội, 05/3/2026", "Hà Nội, ngày 05/3/2026"): still the date.
_DATE_FIGURES = re.compile(
    r"^(?P<place>[^,\d]+),\s*(?:ngày\s*)?(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})\s*[/.-]\s*(?P<y>\d{4})\s*\.?$", re.I)


IN_FIGURES = "ngày tháng viết bằng số; cần viết “ngày … tháng … năm …”"


@dataclass(frozen=True)
class DateLine:
    """A parsed "Quảng Ngãi, ngày 05 tháng 02 năm 2025"; day/month None when left blank (a draft)."""

    text: str
    place: str  # "" when the line leaves it out (slip says so)
    day: str | None  # as written ("05")
    month: str | None
    year: int
    slip: str = ""
    """How the line departs from "Địa danh, ngày … tháng … năm …" while still saying the date ("" when
    it does not): check reports it, import reads the date and warns."""


def parse_date_line(text: str) -> DateLine | None:
    text = norm(text)
    if m := DATE_FORM.match(text):
        slips = []
        place = (m.group("place") or m.group("bare") or "").strip()
        if not place:
            slips.append("thiếu địa danh trước “ngày … tháng … năm …”")
        elif not m.group("comma"):
            slips.append("thiếu dấu phẩy sau địa danh")
        words = (m.group("w1"), m.group("w2"), m.group("w3"))
        if words != ("ngày", "tháng", "năm"):
            slips.append(f"viết “{words[0]} … {words[1]} … {words[2]}”, cần “ngày … tháng … năm”")
        if m.group("c2"):
            slips.append("thừa dấu phẩy trước “năm”")
        year = m.group("y")
        if len(year) == 2:
            # Plans are of this century: "năm 26" is 2026, written short.
            slips.append(f"năm viết hai chữ số (“{year}”), cần viết đủ bốn chữ số (20{year})")
        return DateLine(text, place, m.group("d"), m.group("m"), int(year) + (2000 if len(year) == 2 else 0),
                        "; ".join(slips))
    if m := _DATE_FIGURES.match(text):
        return DateLine(text, m.group("place").strip(), m.group("d"), m.group("m"), int(m.group("y")), IN_FIGURES)
    return None


AUTHORITY_RE = re.compile(r"^(?P<form>KT|TM|TL|TUQ|Q)\.\s*(?P<rest>\S.*)$")

# What a published copy prints in the signing space instead of the signature: "(Đã ký)", "ĐÃ KÝ",
# "(Đã ký và đóng dấu)", "(Đã ký số)", or a form's "(Ký, ghi rõ họ tên, đóng dấu)". Neither a title
# nor the signer's name; the document made from the data leaves the space blank for the signature.
SIGNATURE_STAND_IN_RE = re.compile(
    r"^[(\[]?\s*(?:đã\s+ký(?:\s+số)?(?:\s*(?:và|,)?\s*đóng\s+dấu)?"
    r"|ký(?:\s+tên)?(?:\s*,\s*(?:ghi\s+rõ\s+họ\s+(?:và\s+)?tên|đóng\s+dấu))+)\s*[)\]]?\s*\.?$", re.I)

# What may stand before a signer's name (Decree 30, Phụ lục I, II.7.c): no academic title nor honour,
# except that armed-forces units may write the rank (quân hàm) and education, health and research
# bodies the academic title (học hàm, học vị) when their head so decides. Printed with the name
# ("Thiếu tướng Nguyễn Văn A") or on a line of its own over or under it, in any case.
RANK = r"(?:(?:đại|thượng|trung|thiếu)\s+(?:tướng|tá|úy|uý)|(?:chuẩn\s+|phó\s+)?đô\s+đốc)"
DEGREE = r"(?:GS|PGS|TSKH|TS|ThS|Th\.S|KS|BS|CN)\.?"
ACADEMIC_RE = re.compile(rf"^{DEGREE}(?:\s*{DEGREE})*(?=\s|$)", re.I)
RANK_RE = re.compile(rf"^{RANK}(?=\s|$)", re.I)


def name_prefix(text: str) -> str:
    """The rank or academic title a name line begins with ("Đại tá", "PGS.TS."), or ""."""
    m = RANK_RE.match(text) or ACADEMIC_RE.match(text)
    return m.group(0) if m else ""


def is_name_prefix_line(text: str) -> bool:
    """A line that is only a rank or an academic title: part of the signer's name, not a post."""
    return bool(text.strip()) and name_prefix(text.strip()).strip() == text.strip().rstrip(",")


# A telephone number or an e-mail address (the drafter's, printed for questions): contact details,
# no part of a signer's block nor a post.
CONTACT_RE = re.compile(
    r"(?:^|\s)(?:ĐT|SĐT|ĐTDĐ|DĐ|Điện\s+thoại|Di\s+động|Tel|Mobile|Fax|E-?mail|Thư\s+điện\s+tử)\s*[:.]"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?:\+84|\b0)(?:[ .]?\d){8,10}\b", re.I)

UNDER_NAME_POST, UNDER_NAME_NOTE, UNDER_NAME_CONTACT, UNDER_NAME_OTHER = "post", "note", "contact", "other"


def under_name(text: str) -> str:
    """What a line printed under the signer's name is, by what it prints: a note to the reader in
    brackets ("(ĐÓNG DẤU)"), contact details, a post in capitals (the signer's other office, which
    Decree 30 prints with the title above the signature), or other text."""
    if text.startswith(("(", "[")):
        return UNDER_NAME_NOTE
    if CONTACT_RE.search(text):
        return UNDER_NAME_CONTACT
    if upper_vi(text) == text and any(c.isalpha() for c in text):
        return UNDER_NAME_POST
    return UNDER_NAME_OTHER


@dataclass(frozen=True)
class Authority:
    """A signing-authority line: "KT. GIÁM ĐỐC" → form "KT", title "GIÁM ĐỐC"; "GIÁM ĐỐC" → form None."""

    form: str | None
    title: str


def parse_authority(text: str) -> Authority:
    m = AUTHORITY_RE.match(norm(text))
    return Authority(m.group("form"), m.group("rest")) if m else Authority(None, norm(text))


# "của <issuer>" may be left out (the number and date name the document); a draft leaves the day
# and month blank in either date form ("ngày   /   /2026", "ngày … tháng … năm 2026").
REFERENCE_FORM = re.compile(
    r"^\(\s*(?P<lead>(?:Ban hành\s+)?[Kk]èm theo)\s+(?P<type>.+?)\s+số\s*:?\s*(?P<num>\d*)[.…_\s]*/(?P<sym>[^\s)]+)\s+"
    r"ngày\s*(?:(?P<d>\d{0,2})[.…_\s]*/[.…_\s]*(?P<m>\d{0,2})[.…_\s]*/\s*(?P<y>\d{4})"
    rf"|(?P<d2>\d{{1,2}})?{_BLANK}tháng{_BLANK}(?P<m2>\d{{1,2}})?{_BLANK}năm\s*(?P<y2>\d{{4}}))"
    r"(?:\s+của\s+(?P<issuer>.+?))?\s*\.?\s*\)$")
APPENDIX_REF_RE = re.compile(r"^\(?\s*(?:ban\s+hành\s+)?kèm\s+theo\b", re.I)
# Another document cited in the text by its number: the State's form "số 12/QĐ-UBND", "số 30/2020/NĐ-CP"
# (sym: type-issuer), or the Party's "số 57-NQ/TW", "số 11-CT/TU", "số 05-QĐi/TW" (party: number-type/
# issuer, Quy định 66-QĐ/TW), which state plans cite as often: a Party document is never the issuer's own.
CITATION_RE = re.compile(rf"\bsố\s+(?:(?P<num>\d+[^\s/]*)/(?:\d{{4}}/)?(?P<sym>{SYMBOL})"
                         r"|(?P<party>\d+-[A-ZĐ][A-Za-zĐđ]*/[A-ZĐ][A-ZĐ0-9]*(?:-[A-ZĐ0-9]+)*)\b)")


@dataclass(frozen=True)
class Reference:
    """An appendix's reference line "(Kèm theo Kế hoạch số 05/KH-SKHCN ngày 20/3/2024 của …)"."""

    text: str
    doc_type: str
    number: str | None
    symbol: str
    day: str | None
    month: str | None
    year: int
    issuer: str | None  # None when the line does not name it

    @property
    def lead(self) -> str:
        """The line's words up to the cited document's number, as typed: "(Kèm theo Kế hoạch ban hành
        kèm theo Quyết định", "(Ban hành kèm theo Quyết định"; a line citing another document keeps them."""
        return self.text[:self.text.index(self.doc_type) + len(self.doc_type)]


def parse_reference(text: str) -> Reference | None:
    m = REFERENCE_FORM.match(norm(text))
    if not m:
        return None
    d = m.group("d") if m.group("y") else m.group("d2")
    mo = m.group("m") if m.group("y") else m.group("m2")
    return Reference(norm(text), m.group("type"), m.group("num") or None, m.group("sym"), d or None, mo or None,
                     int(m.group("y") or m.group("y2")), m.group("issuer"))


# Body numbering as Phụ lục I prints it: mục "I.", khoản "1." and "1.1.", điểm "a)", items "- " and
# "+ ". One pattern each, for the checker and the importer.
# A mục's Roman number runs I to XXXIX: a "C." or "L." heading is the third part of "A., B., C."
# (not mục 100 or 50), and "I.1." numbers a sub-part of mục I.
MUC_RE = re.compile(r"^(?P<num>(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3}))\s*[.)]\s*(?!\d)(?P<rest>\S.*)$", re.S)
PART_RE = re.compile(r"^(?:phần|chương)\s+(?:thứ\s+\S+|[IVXLC\d]+)\b", re.I)
"""A Phần or Chương heading: the mục under it are numbered from I again."""
KHOAN_RE = re.compile(r"^(?P<num>\d{1,3}(?:\.\d{1,3})*)\.\s+(?P<rest>\S.*)$", re.S)
DIEM_RE = re.compile(r"^(?P<letter>[a-zđ]{1,2})\)\s+(?P<rest>\S.*)$", re.S)
DASHES = "-–—"  # a list dash as typed, or as Word's AutoFormat turns "- " into an en or em dash
ITEM_RE = re.compile(rf"^[{DASHES}]\s+\S", re.S)
SUB_ITEM_RE = re.compile(r"^\+\s+\S", re.S)
APPENDIX_HEAD_RE = re.compile(r"^(phụ\s*lục|danh\s*mục)\b", re.I)
FORM_LABEL_RE = re.compile(r"^(?:(?:biểu\s*)?mẫu\s*(?:số\s*)?\d|biểu\s*(?:số\s*)?(?:\d|[IVX]+\b))", re.I)
"""A form's label ("Mẫu số 01", "Biểu mẫu số 02", "BIỂU 1"): the heading of an appendix that is a
form, when no "PHỤ LỤC" holds the forms (under one, each form is that appendix's content)."""
ARCHIVE_RE = re.compile(rf"^[{DASHES}]?\s*Lưu\s*:?\s*(?P<units>.*?)\s*\.?$", re.I)
"""The last Nơi nhận line, "- Lưu: VT, HCTH.", with its list of units."""
ARCHIVE_COLON_RE = re.compile(r"^Lưu\s*:", re.I)
"""The Lưu line typed without its dash: the colon tells it from a unit's name run on ("Lưu trữ …")."""


def recipient_entries(lines: list[str]) -> list[str]:
    """The entries of a Nơi nhận list from its printed lines, for check and import alike. An entry
    broken onto a second line by hand (Enter or Shift+Enter before the column's end) prints like one
    that wraps: a line with no "- " or "+ " under an entry not yet closed by ";" or "." continues it.
    The "Lưu: …" line always stands alone, closed or not the line above; without a dash it needs its
    colon: "Lưu trữ lịch sử tỉnh;" under "- Trung tâm" is the rest of a unit's name."""
    entries: list[str] = []
    for line in (x.strip() for x in lines):
        if not line:
            continue
        continues = (entries and not line.startswith(("+", *DASHES)) and not ARCHIVE_COLON_RE.match(line)
                     and not entries[-1].endswith((";", ".")))
        if continues:
            entries[-1] = f"{entries[-1]} {line}"
        else:
            entries.append(line)
    return entries

# Tên loại of Phụ lục III (and Công văn, which has none) by their capitals.
DOC_TYPE_NAMES = {upper_vi(name): name for name in TYPE_ABBREVIATIONS}
QUOC_HIEU_RE = re.compile(r"^CỘNG\s*H(?:ÒA|OÀ)\s+XÃ\s+HỘI\s+CHỦ\s+NGHĨA\s+VIỆT\s+NAM$", re.I)
PARTY_RE = re.compile(r"^ĐẢNG\s+CỘNG\s+SẢN\s+VIỆT\s+NAM$")
"""What a Party document prints where an administrative one prints the Quốc hiệu."""
TIEU_NGU_RE = re.compile(r"^độc\s*lập\s*[-–—]\s*tự\s*do\s*[-–—]\s*hạnh\s*phúc$", re.I)
# "Nơi nhận:" with a slip of its marks ("Nơi nhân:", "Noi nhan:") or ";" for ":" is the label all the same
# (check's form rule reports it as typed); where it must stand (a cell, a line of its own) is parts' to say.
NOI_NHAN_RE = re.compile(rf"^{marks_blind('nơi nhận')}\s*[:;]?", re.I)
VV_FORM = re.compile(r"^(?:V/v|về\s+việc)\b", re.I)
"""A công văn's trích yếu opens "V/v" (Phụ lục I, ô 5b), or the words in full."""
VV_RE = re.compile(rf"^(?:V\s*[/.]?\s*v|{marks_blind('về việc')})\b", re.I)
"""That line as typed with a slip ("V.v", "Vv", "Vê việc", "Ve viec"): still the trích yếu under the Số line
(check's form rule says the slip, VV_FORM the form)."""
KINH_GUI_RE = re.compile(r"^kính\s+gửi\b", re.I)
SEPARATOR_RE = re.compile(r"^[\s_\-–—=*.]+$")
# The form of a copy (Decree 30, Điều 25-26 and Phụ lục I, Phần II): "SAO Y", "SAO LỤC", "TRÍCH SAO";
# older copies print "SAO Y BẢN CHÍNH". The copy's own block (its issuer, Số, place and date, signer,
# Nơi nhận) follows the last page of the document copied, under a rule across the page.
COPY_FORM_RE = re.compile(r"^(?:SAO\s+Y(?:\s+BẢN\s+CHÍNH)?|SAO\s+LỤC|TRÍCH\s+SAO)\s*$")
TEMPLATE_RE = re.compile(r"\{\{|\{%|\}\}|%\}")


def recognise_type(text: str) -> str | None:
    """The type a title line names: "KẾ HOẠCH" (or "K Ế  H O Ạ C H") → "Kế hoạch"; a line typed in
    capitals that starts with the type's name and goes on ("KẾ HOẠCH HÀNH ĐỘNG", "KẾ HOẠCH LIÊN
    TỊCH": type_qualifier gives the rest) names it too."""
    t = upper_vi(norm(text)).rstrip(":.")
    if t in DOC_TYPE_NAMES:
        return DOC_TYPE_NAMES[t]
    squeezed = t.replace(" ", "")
    for name, value in DOC_TYPE_NAMES.items():
        if squeezed == name.replace(" ", "") and " " in t:
            return value
    qualified = _qualified(text)
    return DOC_TYPE_NAMES[qualified] if qualified is not None else None


def _qualified(text: str) -> str | None:
    """The type's name (in capitals) that a line typed in capitals starts with and goes on after."""
    line = norm(text).rstrip(":.")
    if not line or upper_vi(line) != line:
        return None
    return next((name for name in sorted(DOC_TYPE_NAMES, key=len, reverse=True)
                 if line.startswith(name + " ") and line[len(name):].strip()), None)


def type_qualifier(text: str) -> str:
    """The words a title line prints after its type's name ("HÀNH ĐỘNG" of "KẾ HOẠCH HÀNH ĐỘNG", also of
    "KẾ HOACH HÀNH ĐỘNG"): part of what the document is about, the trích yếu's first words; "" for a line
    that is the name alone."""
    name = None if upper_vi(norm(text)).rstrip(":.") in DOC_TYPE_NAMES else _qualified(text)
    more = norm(text).rstrip(":.")[len(name):].strip() if name is not None else ""
    if name is None and (slipped := _slipped_name(text)) is not None:
        more = " ".join(norm(text).rstrip(":.").split()[len(slipped.split()):])
    return "" if DRAFT_MARK_RE.match(more) else more  # "KẾ HOẠCH (DỰ THẢO)": a draft's mark, no words of it


def _slipped_name(text: str) -> str | None:
    """The type's name (in capitals) a line typed in capitals starts with, typed with a slip, and goes on
    after ("KẾ HOACH HÀNH ĐỘNG"): the name's words alone are compared, as the reader sees the title."""
    line = norm(text).rstrip(":.")
    if not line or upper_vi(line) != line:
        return None
    words = line.split()
    close = [name for name in DOC_TYPE_NAMES
             if len(words) > len(name.split()) and typed_with_slip(" ".join(words[:len(name.split())]), name)]
    return close[0] if len(close) == 1 else None


def fold_hoa(text: str) -> str:
    """Old and new tone placement are the same word: "HOÀ" = "HÒA"."""
    return text.replace("OÀ", "ÒA").replace("oà", "òa").replace("Oà", "Òa")


SLIP_LIKENESS = 0.9
"""How alike (difflib's ratio over the letters and their marks, case-blind) a line must be to a fixed text of
the header (the Quốc hiệu, the Tiêu ngữ, a tên loại) to be that line typed with a slip: one wrong, missing or
extra letter or mark, a mark on the next letter ("NGHỈA", "XÃ HÔI", "VIỆTNAM", "KẾ HOACH", "KẾ HỌACH", a
closing "."); any other header line is far below (a name, a date, another type: "KẾT LUẬN", "KẾ TOÁN")."""


def _letters_and_marks(text: str) -> str:
    """Each mark as a character of its own after its letter (NFD): a mark left out, or put on the
    next letter, is one slip, as the reader of the page sees it, not a second wrong letter."""
    return unicodedata.normalize("NFD", " ".join(fold_hoa(upper_vi(text)).split()))


def typed_with_slip(text: str, canonical: str) -> bool:
    """Whether a line prints `canonical` (QUOC_HIEU, TIEU_NGU, a tên loại) with a typing slip, not as it
    is: the reader of the page sees that line, misspelt. Check reports the slip; import reads the part."""
    seen, want = _letters_and_marks(text), _letters_and_marks(canonical)
    return seen != want and abs(len(seen) - len(want)) <= 3 \
        and difflib.SequenceMatcher(None, seen, want, autojunk=False).ratio() >= SLIP_LIKENESS


def type_with_slip(text: str) -> str | None:
    """The type (Phụ lục III) a line prints with a typing slip ("KẾ HOACH", "KÊ HOẠCH", "KẾHOẠCH", "KẾ
    HOẠCH."), when one type alone is that close ("THÔNG BẢO" is one slip from THÔNG BÁO, two from THÔNG
    CÁO). Only where the tên loại stands (recognise.parts): likeness alone does not make a title."""
    close = [value for name, value in DOC_TYPE_NAMES.items() if typed_with_slip(text, name)]
    if not close and (name := _slipped_name(text)) is not None:
        return DOC_TYPE_NAMES[name]  # its name misspelt, then more words ("KẾ HOACH HÀNH ĐỘNG")
    return close[0] if len(close) == 1 else None


def type_slip(text: str, document_type: str) -> bool:
    """Whether a title line naming document_type prints its name with a typing slip, alone or followed
    by more words."""
    name = upper_vi(document_type)
    return typed_with_slip(text, name) or _slipped_name(text) == name


DRAFT_MARK_RE = re.compile(r"^[(\[]?\s*DỰ\s+THẢO(?:\s*(?:LẦN|SỐ)?\s*(?:\d{1,2}|[IVX]{1,4}))?\s*[)\]]?$")
"""A draft's marker printed atop its first page (upper-cased): "DỰ THẢO", "Dự thảo lần 2", "(Dự thảo 3)".
It is no part of the document: the issued plan does not print it."""


def addressee_entries(lines: list[str]) -> list[str]:
    """The units "Kính gửi" lines name: the rest of its line (one addressee, kept as typed), or the
    "-"/"+" entries listed under it (their marks and closing ";"/"." are the renderer's)."""
    lines = [line.strip() for line in lines if line.strip()]
    first = KINH_GUI_RE.sub("", lines[0]).lstrip(" :").strip() if lines else ""
    rest = [re.sub(r"^[-–+•]\s*", "", x).strip().rstrip(";.,").strip() for x in lines[1:]]
    names = [x for x in ([first] if first else []) + rest if x]
    if len(names) > 1 and first:
        names[0] = first.rstrip(";.,").strip()
    return names
