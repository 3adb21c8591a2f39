"""The plan data model: what a plan file may say, validated once, feeding every command.

Field names are English; descriptions (shown by editors through the JSON Schema) are Vietnamese,
because the people who fill the file in are văn thư and chuyên viên.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError
from typing_extensions import TypeAliasType

from ..limits import MAX_TABLE_COLUMNS
from ..nd30 import AGENCY_ABBREVIATION, DOC_NUMBER_MAX, DOC_NUMBER_MIN, TYPE_ABBREVIATIONS
from ..text import clean_text, roman, upper_vi
from ..word.tables import MAX_HEADER_ROWS

UNIT_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


def _clean(value: str) -> str:
    value = clean_text(value).strip()
    if not value:
        raise PydanticCustomError("empty_text", "không được để trống")
    return value


Text = Annotated[str, AfterValidator(_clean)]
"""A line of user text: cleaned (NFC, no control characters), never blank."""

Verb = Annotated[str, AfterValidator(lambda v: clean_text(v).strip())]
"""The words before a cited document's subject ("về", "phê duyệt"); "" for none."""

Fragment = Annotated[str, AfterValidator(clean_text)]
"""A piece of a paragraph next to a citation: cleaned but not trimmed ("Thực hiện " keeps its space)."""


class Model(BaseModel):
    # defer_build: a model's validator is built when first used, not at import. Built at import,
    # every one of these classes made its own validator, each repeating its nested models' work;
    # deferred, a command builds the few it validates (Plan holds all the others). Subclasses
    # inherit this config; pydantic merges theirs into it.
    # A model's docstring is its description in the JSON Schema (the editor's tooltips, YAML editors):
    # Vietnamese, for the user; what a programmer needs to know is in the comment above the class.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class DocType(str, Enum):
    """Tên loại văn bản and its abbreviation from Phụ lục III."""

    ke_hoach = "Kế hoạch"
    quyet_dinh = "Quyết định"
    nghi_quyet = "Nghị quyết"
    chi_thi = "Chỉ thị"
    chuong_trinh = "Chương trình"
    huong_dan = "Hướng dẫn"
    thong_bao = "Thông báo"
    bao_cao = "Báo cáo"
    to_trinh = "Tờ trình"
    de_an = "Đề án"
    cong_van = "Công văn"
    nghi_dinh = "Nghị định"
    thong_tu = "Thông tư"
    luat = "Luật"

    @property
    def abbreviation(self) -> str:
        return TYPE_ABBREVIATIONS[self.value]


DATE_PATTERN = r"^\s*(\d{4}(-\d{1,2}(-\d{1,2})?)?|(\d{1,2}\s*[/.-]\s*)?\d{1,2}\s*[/.-]\s*\d{4})\s*$"
"""The forms date_parts reads, for the JSON Schema (an editor underlines anything else)."""


DATE_FORMS = "20/03/2024 (ngày/tháng/năm) hoặc 2024-03-20"
"""How a date may be typed, as the messages say it."""

_ISO = re.compile(r"\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?\s*")
_DAY_FIRST = re.compile(r"\s*(?:(\d{1,2})\s*[/.-]\s*)?(\d{1,2})\s*[/.-]\s*(\d{4})\s*")
"""The way a văn thư types a date (Phụ lục I prints it so: 20/3/2024): day/month/year or month/year,
with "/", "." or "-"; the year always has four digits, so it is never read as a day."""


def date_parts(text: str) -> tuple[int, int | None, int | None] | None:
    """(year, month, day) of a typed date: 2024-03-20, 2024-03, 2024, 20/03/2024, 20/3/2024,
    03/2024; None when it is none of these. The parts are not checked (31/13/2025 gives month 13)."""
    m = _ISO.fullmatch(text)
    if m:
        y, mo, d = m.groups()
        return int(y), int(mo) if mo else None, int(d) if d else None
    m = _DAY_FIRST.fullmatch(text)
    if m:
        d, mo, y = m.groups()
        return int(y), int(mo), int(d) if d else None
    return None


def _out_of_range(year: int, month: int | None, day: int | None) -> str | None:
    """Why (year, month, day) is no date of the calendar, in a văn thư's words; None when it is one."""
    if month is not None and not 1 <= month <= 12:
        return f"không có tháng {month}"
    if day is not None and month is not None:
        try:
            dt.date(year, month, day)
        except ValueError:
            return f"tháng {month}/{year} không có ngày {day}"
    return None


def _parse_date(value: object) -> object:
    if isinstance(value, str):
        parts = date_parts(value)
        if parts is None or parts[2] is None:
            raise PydanticCustomError("date_format", f"ngày phải viết dạng {DATE_FORMS}")
        wrong = _out_of_range(*parts)
        if wrong:
            raise PydanticCustomError("date_value", f"{wrong}; ngày viết dạng {DATE_FORMS}")
        return dt.date(*parts)  # type: ignore[arg-type]
    return value


FullDate = Annotated[dt.date, BeforeValidator(_parse_date),
                     WithJsonSchema({"type": "string", "pattern": DATE_PATTERN})]


def _date_schema(schema: dict[str, Any]) -> None:
    # Written as text ("2026-05") or a year in the data file; an object is the parsed form.
    parsed = dict(schema)
    schema.clear()
    schema.update({"anyOf": [{"type": "string", "pattern": DATE_PATTERN},
                             {"type": "integer", "minimum": 1945, "maximum": 2200}, parsed],
                   "description": parsed.get("description", "")})


# The date line's date. In a draft the day, or the day and the month, are left out and printed
# blank ("ngày    tháng    năm 2026": the usual unsigned draft).
class IssueDate(Model):
    """Ngày ban hành trên dòng địa danh, ngày tháng. Dự thảo để trống ngày, hoặc cả ngày và tháng,
    khi in ("ngày    tháng    năm 2026": dự thảo chưa ký)."""

    model_config = ConfigDict(json_schema_extra=_date_schema)

    year: int = Field(ge=1945, le=2200, description="Năm ban hành")
    month: int | None = Field(default=None, ge=1, le=12, description="Tháng ban hành (bỏ trống khi là dự thảo)")
    day: int | None = Field(default=None, ge=1, le=31, description="Ngày (bỏ trống khi là dự thảo)")

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: object) -> object:
        if isinstance(value, dt.date):
            return {"year": value.year, "month": value.month, "day": value.day}
        if isinstance(value, int) and not isinstance(value, bool):
            return {"year": value}
        if isinstance(value, str):
            parts = date_parts(value)
            if parts is None:
                raise PydanticCustomError(
                    "issue_date_format",
                    "ngày ban hành viết dạng 20/03/2024 (ngày/tháng/năm) hoặc 2024-03-20; dự thảo chưa có "
                    "ngày: 03/2024 hoặc 2024-03; chưa có cả ngày và tháng: 2024",
                )
            wrong = _out_of_range(*parts)
            if wrong:
                raise PydanticCustomError("issue_date_value",
                                          f"{wrong}; ngày ban hành viết dạng {DATE_FORMS}")
            y, mo, d = parts
            return {"year": y, "month": mo, "day": d}
        return value

    @model_validator(mode="after")
    def _real_day(self) -> IssueDate:
        if self.day is not None and self.month is None:
            raise PydanticCustomError("day_without_month", "có ngày thì cần có tháng, ví dụ 2024-03-20")
        if self.day is not None and self.month is not None:
            try:
                dt.date(self.year, self.month, self.day)
            except ValueError:
                raise PydanticCustomError(
                    "invalid_day", "tháng {month}/{year} không có ngày {day}",
                    {"month": self.month, "year": self.year, "day": self.day},
                ) from None
        return self

    @property
    def complete(self) -> bool:
        return self.day is not None and self.month is not None


def _number(value: object) -> object:
    # Unquoted 05 in YAML is an int; the leading zero is derived, so an int is what we want.
    if isinstance(value, bool):
        raise PydanticCustomError("number_type", "số văn bản phải là một số nguyên dương, ví dụ 125")
    if isinstance(value, str):
        # ASCII digits only: "²" and other Unicode digits pass str.isdigit() but not int().
        if not value.strip().isascii() or not value.strip().isdigit():
            raise PydanticCustomError("number_type", "số văn bản phải là một số nguyên dương, ví dụ 125")
        return int(value.strip())
    return value


DocNumber = Annotated[int, BeforeValidator(_number), Field(ge=DOC_NUMBER_MIN, le=DOC_NUMBER_MAX)]

DEFAULT_DRAFT_MARK = "DỰ THẢO"


def _draft_mark(value: object) -> object:
    # `draft_mark: true` means "the usual mark"; `false` turns it off.
    return DEFAULT_DRAFT_MARK if value is True else value


DraftMark = Annotated[Literal[False] | Text, BeforeValidator(_draft_mark)]


def _lines(value: object) -> object:
    # A name given as a list is the drafter's choice of header lines; one string is one line.
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list):
        raise PydanticCustomError("string_type", "phải là văn bản (hoặc danh sách các dòng)")
    return value


TextLines = Annotated[list[Text], BeforeValidator(_lines, json_schema_input_type=str | list[str]),
                      Field(min_length=1)]
"""One line of text, or a list of lines (the drafter chooses where a header name breaks)."""


# Cơ quan ban hành (ô 2 of Phụ lục I), with its cơ quan chủ quản when it has one.
class Agency(Model):
    """Cơ quan ban hành (ô 2 của Phụ lục I), kèm cơ quan chủ quản nếu có."""

    parent: TextLines | None = Field(
        default=None,
        description="Tên cơ quan chủ quản (in hoa, không đậm), ví dụ: UBND tỉnh Quảng Ngãi; nhiều dòng: "
        "[Ủy ban MTTQ Việt Nam, xã Lương Minh]. Bỏ trống khi cơ quan ban hành không có cơ quan chủ quản "
        "(UBND, Bộ, Ban ban hành nhân danh chính mình)",
    )
    name: TextLines = Field(
        description="Tên cơ quan ban hành (in hoa, đậm), ví dụ: Sở Khoa học và Công nghệ; nhiều dòng do "
        "người soạn chọn: [Ủy ban nhân dân, tỉnh Đồng Tháp]"
    )
    co_issuers: list[TextLines] = Field(
        default_factory=list,
        description="Văn bản liên tịch: tên các cơ quan cùng ban hành (in hoa, đậm, dưới tên cơ quan chủ trì), mỗi "
        "cơ quan một mục, theo thứ tự in; người ký của các cơ quan này ghi ở co_signers. Bỏ trống khi một cơ quan "
        "ban hành",
    )
    short_name: Text | None = Field(
        default=None,
        description="Tên dùng trong câu văn (dòng Kèm theo, trích dẫn văn bản của chính cơ quan), ví dụ: "
        "UBND tỉnh Đồng Tháp. Mặc định: tên cơ quan ban hành viết liền một dòng",
    )
    abbreviation: Annotated[str, AfterValidator(_clean)] = Field(
        description="Chữ viết tắt tên cơ quan dùng trong ký hiệu, ví dụ: SKHCN, UBND, MTTQ-BTT"
    )
    place: Text = Field(description="Địa danh ghi trên dòng ngày tháng, ví dụ: Quảng Ngãi")

    @field_validator("abbreviation")
    @classmethod
    def _abbr(cls, value: str) -> str:
        if not re.fullmatch(AGENCY_ABBREVIATION, value):
            raise PydanticCustomError(
                "abbreviation", "chữ viết tắt chỉ gồm chữ IN HOA và số (nối bằng - hoặc &), không dấu cách, "
                "ví dụ SKHCN, MTTQ-BTT, SGD&ĐT"
            )
        return value

    @property
    def full_name(self) -> str:
        """The issuer's name as running text: the header lines joined."""
        return " ".join(" ".join(self.name).split())  # a line printed in two ("…\n…") reads as one

    @property
    def running_name(self) -> str:
        """How the plan names its issuer in a sentence ("… của UBND tỉnh Đồng Tháp")."""
        return self.short_name or self.full_name


# A unit named once and referred to by its key (phòng, đơn vị, cơ quan).
class Unit(Model):
    """Một đơn vị khai báo một lần (phòng, đơn vị, cơ quan), nhắc tới bằng khóa của nó."""

    name: Text = Field(description="Tên đầy đủ, ví dụ: Phòng Hành chính - Tổng hợp")
    abbreviation: Text | None = Field(default=None, description="Chữ viết tắt, ví dụ: HCTH")


def _number_text(value: object) -> object:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def is_party_symbol(symbol: str | None, party: bool = False) -> bool:
    """A Party document's symbol names its type and its issuer apart with "/" ("NQ/TW", "CTr/TU",
    "KL/TW"); a state document's joins them with "-" ("QĐ-TTg", "KH-UBND") and has no "/". So a
    symbol with "/" is the Party's even when the data does not say party: true, and its number is
    joined with "-" as the Party writes it (Hướng dẫn 36-HD/VPTW), never "57/NQ/TW"."""
    return party or (symbol is not None and "/" in symbol)


# A cited document: printed in full at its first citation, by type and số/ký hiệu after. State documents read
# "Kế hoạch số 36/KH-UBND"; Party documents "Nghị quyết số 57-NQ/TW" (party: true); a law is cited by its name
# and date ("Luật Tổ chức chính quyền địa phương ngày …").
class Reference(Model):
    """Văn bản được dẫn: lần dẫn đầu in đầy đủ, các lần sau in loại văn bản và số, ký hiệu. Văn bản nhà nước ghi "Kế
    hoạch số 36/KH-UBND"; văn bản của Đảng ghi "Nghị quyết số 57-NQ/TW" (party: true); luật dẫn theo tên và ngày
    ("Luật Tổ chức chính quyền địa phương ngày …")."""

    type: Text = Field(description="Tên loại văn bản được dẫn, ví dụ: Kế hoạch, Nghị quyết, Luật")
    number: Annotated[str, BeforeValidator(_number_text, json_schema_input_type=int | str),
                      AfterValidator(_clean)] | None = Field(
        default=None, description="Số văn bản, ví dụ: 36 hoặc 57; bỏ trống với văn bản không có số (luật)"
    )
    symbol: Text | None = Field(
        default=None,
        description="Ký hiệu, ví dụ: KH-UBND, NQ/TW. Bỏ trống khi văn bản do chính cơ quan ban hành "
        "(ký hiệu được suy ra từ tên loại và chữ viết tắt của cơ quan)",
    )
    party: bool = Field(
        default=False,
        description="true với văn bản của Đảng: số và ký hiệu nối bằng gạch ngang (57-NQ/TW)",
    )
    name: Text | None = Field(
        default=None,
        description="Tên văn bản không có số, ký hiệu (luật, bộ luật), ví dụ: Luật Tổ chức chính quyền địa phương",
    )
    date: FullDate | None = Field(default=None,
                                  description="Ngày ban hành: 07/02/2024 hoặc 2024-02-07; bỏ trống nếu không ghi")
    issuer: Text | None = Field(
        default=None,
        description="Cơ quan ban hành văn bản được dẫn, ví dụ: UBND tỉnh Quảng Ngãi. "
        "Bỏ trống khi là chính cơ quan ban hành kế hoạch này",
    )
    subject: Text | None = Field(default=None, description="Trích yếu của văn bản được dẫn")
    verb: Verb | None = Field(
        default=None,
        description='Chữ nối giữa cơ quan ban hành và trích yếu khi dẫn đầy đủ; mặc định "về". Ví dụ: '
        '"phê duyệt" ("… của Thủ tướng Chính phủ phê duyệt Chiến lược …"); "" khi trích yếu đã có động từ '
        '("ban hành Kế hoạch …")',
    )

    @property
    def is_party(self) -> bool:
        """A Party document: number and symbol joined by "-" ("57-NQ/TW", "10-CTr/TU")."""
        return is_party_symbol(self.symbol, self.party)

    @model_validator(mode="after")
    def _named_somehow(self) -> Reference:
        if self.number is None and self.name is None:
            raise PydanticCustomError(
                "reference_unnamed", "văn bản được dẫn cần number (số) hoặc name (tên, với luật)"
            )
        return self


# A citation inside a paragraph: {cite: key-of-references}; full: true prints it in full again.
class Cite(Model):
    """Trích dẫn văn bản trong câu: {cite: khóa trong references}; full: true để in lại đầy đủ."""

    cite: str | Annotated[list[str], Field(min_length=1)] = Field(
        description="Khóa của văn bản trong mục references; nhiều khóa [a, b, c] để dẫn gộp nhiều văn bản "
        '("các Quyết định: số …; số …; và số …")')
    full: bool = Field(default=False, description="true để in đầy đủ số, ngày, cơ quan, trích yếu dù đã dẫn trước đó")
    verb: Verb | None = Field(
        default=None, description='Chữ nối trước trích yếu cho lần dẫn này, thay cho verb của văn bản (mặc định "về")')

    @property
    def keys(self) -> list[str]:
        """The cited references' keys: one, or several for a grouped citation."""
        return [self.cite] if isinstance(self.cite, str) else list(self.cite)


# A piece of a sentence printed with a look of its own: bold, italic, raised or lowered. What each
# key prints is LOOKS, the one table the renderer (document/context), the importer (jobs/importer,
# which picks the key for a run's look) and the loader's branches read.
Look = tuple[bool, bool, str]
"""(bold, italic, position): position "" on the line, "superscript" raised small ("m²", the "30" of
"8h30"), "subscript" lowered small ("CO₂")."""
LOOKS: dict[str, Look] = {
    "italic": (False, True, ""),
    "bold": (True, False, ""),
    "bold_italic": (True, True, ""),
    "sup": (False, False, "superscript"),
    "sub": (False, False, "subscript"),
}
"""A raised or lowered piece prints upright and not bold unless it says so ({sup: h, bold: true,
italic: true}: the raised "h" of a bold italic "8h30"), so a plan imported from Word prints it as the
original did."""
POSITIONED = tuple(key for key, (_, _, position) in LOOKS.items() if position)
"""The keys of raised and lowered pieces: the ones that may carry bold and italic flags."""


class Styled(Model):
    """Đoạn chữ có kiểu riêng trong câu."""

    @property
    def key(self) -> str:
        return next(iter(type(self).model_fields))

    @property
    def text(self) -> str:
        return str(getattr(self, self.key))

    @property
    def look(self) -> Look:
        return LOOKS[self.key]


class Positioned(Styled):
    """Chữ nhỏ nâng lên hoặc hạ xuống trong câu."""

    @property
    def look(self) -> Look:
        """Its position, and the bold and italic its own flags give (fields of each subclass, after
        the text's: the text's key stays the first field)."""
        return (bool(getattr(self, "bold", False)), bool(getattr(self, "italic", False)), LOOKS[self.key][2])


# A piece printed in italics inside a sentence: {italic: "(lồng ghép trong báo cáo …)"}.
class Emphasis(Styled):
    """Đoạn chữ in nghiêng trong câu: {italic: "(lồng ghép trong báo cáo …)"}."""

    italic: Fragment = Field(description="Đoạn chữ in nghiêng trong câu")


# A piece printed in bold inside a sentence: {bold: "01/6 và 15/11"}.
class Bold(Styled):
    """Đoạn chữ in đậm trong câu: {bold: "01/6 và 15/11"}."""

    bold: Fragment = Field(description="Đoạn chữ in đậm trong câu")


# A piece printed bold and italic: {bold_italic: "…"}.
class BoldItalic(Styled):
    """Đoạn chữ in đậm và nghiêng trong câu: {bold_italic: "…"}."""

    bold_italic: Fragment = Field(description="Đoạn chữ in đậm và nghiêng trong câu")


# A piece printed raised and small (superscript): {sup: "2"} after "m" prints "m²".
class Superscript(Positioned):
    """Chữ nhỏ nâng lên (chỉ số trên) trong câu: {sup: "2"} sau "m" in thành "m²"; "30" trong "8h30"."""

    sup: Fragment = Field(description="Chữ nhỏ nâng lên (chỉ số trên), ví dụ số mũ của m²")
    bold: bool = Field(default=False, description="true: chữ nâng lên in đậm")
    italic: bool = Field(default=False, description="true: chữ nâng lên in nghiêng")


# A piece printed lowered and small (subscript): {sub: "2"} after "CO" prints "CO₂".
class Subscript(Positioned):
    """Chữ nhỏ hạ xuống (chỉ số dưới) trong câu: {sub: "2"} sau "CO" in thành "CO₂"."""

    sub: Fragment = Field(description="Chữ nhỏ hạ xuống (chỉ số dưới), ví dụ chỉ số của CO₂")
    bold: bool = Field(default=False, description="true: chữ hạ xuống in đậm")
    italic: bool = Field(default=False, description="true: chữ hạ xuống in nghiêng")


def _note_kind(value: object) -> str:
    if isinstance(value, BaseModel):
        return _PIECE_TAGS[type(value)]
    if isinstance(value, dict):
        for key in POSITIONED:
            if key in value:
                return SEGMENT_KEYS[key]
        return _closest_key(value, {k: SEGMENT_KEYS[k] for k in LOOKS}, "(nghiêng)")
    return "(chữ)"


NoteText = TypeAliasType("NoteText", Annotated[
    Annotated[Text, Tag("(đoạn)")]
    | Annotated[list[Annotated[
        Annotated[Fragment, Tag("(chữ)")]
        | Annotated[Emphasis, Tag("(nghiêng)")]
        | Annotated[Bold, Tag("(đậm)")]
        | Annotated[BoldItalic, Tag("(đậm nghiêng)")]
        | Annotated[Superscript, Tag("(chỉ số trên)")]
        | Annotated[Subscript, Tag("(chỉ số dưới)")],
        Discriminator(_note_kind),
    ]], Field(min_length=1), Tag("(các mảnh)")],
    Discriminator(lambda v: "(các mảnh)" if isinstance(v, list) else "(đoạn)"),
])
"""A note's text: plain, or pieces with the looks body text has ({bold}, {italic}, {sup} …: the
title of a cited decision in italics); no citation nor note inside a note. "\n" starts a new
paragraph of the note."""

NOTE_MARK_CHARS = 10
"""The longest mark of a drafter's own Word's Footnote and Endnote box takes."""


def _note_mark(value: str) -> str:
    value = _clean(value)
    if len(value) > NOTE_MARK_CHARS:
        raise PydanticCustomError(
            "note_mark_long", "dấu chú thích dài {n} ký tự, tối đa {most} (như Word cho phép); thường là một ký hiệu "
            'như "*"', {"n": len(value), "most": NOTE_MARK_CHARS})
    return value


NoteMark = Annotated[str, AfterValidator(_note_mark)]
"""A mark of the drafter's own printed instead of the note's number ("*")."""


class Note(Model):
    """Chú thích (chân trang hoặc cuối văn bản)."""

    @property
    def key(self) -> str:
        return next(iter(type(self).model_fields))

    @property
    def content(self) -> str | list[Any]:
        value: str | list[Any] = getattr(self, self.key)
        return value

    @property
    def text(self) -> str:
        """The note's words, without their looks."""
        value = self.content
        return value if isinstance(value, str) else "".join(
            p if isinstance(p, str) else p.text for p in value)

    @property
    def at_end(self) -> bool:
        """An endnote: printed at the document's end."""
        return self.key == "endnote"


# A footnote at its place in the sentence: the document prints a number there (or the drafter's
# own mark) and the note at the foot of the page (Word's own footnote, numbered by Word).
class Footnote(Note):
    """Chú thích ở chân trang, đặt đúng chỗ trong câu: văn bản in số chú thích tại đó và nội dung ở
    cuối trang: {footnote: "Quyết định số 123/QĐ-UBND ngày …"}."""

    footnote: NoteText = Field(
        description="Nội dung chú thích in ở chân trang (nhiều đoạn: mỗi đoạn một dòng); có thể gồm các mảnh "
        "đậm, nghiêng, chỉ số như trong câu")
    mark: NoteMark | None = Field(default=None, description='Dấu chú thích riêng in thay cho số, ví dụ "*"')


# An endnote: the same, the note printed at the document's end (Word numbers endnotes i, ii, iii),
# kept as the drafter chose it: a clerk who put a note at the end expects it there.
class Endnote(Note):
    """Chú thích cuối văn bản, đặt đúng chỗ trong câu: văn bản in số chú thích (i, ii, iii…) tại đó
    và nội dung ở cuối văn bản: {endnote: "Quyết định số 123/QĐ-UBND ngày …"}."""

    endnote: NoteText = Field(
        description="Nội dung chú thích in ở cuối văn bản (nhiều đoạn: mỗi đoạn một dòng); có thể gồm các "
        "mảnh đậm, nghiêng, chỉ số như trong câu")
    mark: NoteMark | None = Field(default=None, description='Dấu chú thích riêng in thay cho số, ví dụ "*"')


# Unions are discriminated by the shape of the value (a callable picks the branch), so a mistake is
# reported once, against the form the user meant, not once per form it could have been. The tags are
# in brackets: the loader drops bracketed labels from the field path it shows.
PIECES: dict[str, tuple[type[Model], str]] = {
    "cite": (Cite, "(trích dẫn)"),
    "italic": (Emphasis, "(nghiêng)"),
    "bold": (Bold, "(đậm)"),
    "bold_italic": (BoldItalic, "(đậm nghiêng)"),
    "sup": (Superscript, "(chỉ số trên)"),
    "sub": (Subscript, "(chỉ số dưới)"),
    "footnote": (Footnote, "(chú thích)"),
    "endnote": (Endnote, "(chú thích cuối)"),
}
"""Every kind of piece of a paragraph but plain text, by its key: its model and its branch tag."""
SEGMENT_KEYS = {key: tag for key, (_, tag) in PIECES.items()}
_PIECE_TAGS: dict[type[BaseModel], str] = {cls: tag for cls, tag in PIECES.values()}


def _closest_key(value: dict, keys: dict[str, str], default: str) -> str:
    """The branch whose key the dict has, or whose key is closest to one it has (a typo)."""
    import difflib

    for key in value:
        if key in keys:
            return keys[key]
    for key in value:
        close = difflib.get_close_matches(str(key), list(keys), n=1, cutoff=0.6)
        if close:
            return keys[close[0]]
    return default


def _segment_kind(value: object) -> str:
    if isinstance(value, BaseModel):  # already validated (a model built in code)
        return _PIECE_TAGS[type(value)]
    if isinstance(value, dict):
        for key in POSITIONED:  # {bold: true, sup: h}: a raised piece, whatever the order of its keys
            if key in value:
                return SEGMENT_KEYS[key]
        return _closest_key(value, SEGMENT_KEYS, "(trích dẫn)")
    return "(chữ)"


Segment = Annotated[
    Annotated[Fragment, Tag("(chữ)")]
    | Annotated[Cite, Tag("(trích dẫn)")]
    | Annotated[Emphasis, Tag("(nghiêng)")]
    | Annotated[Bold, Tag("(đậm)")]
    | Annotated[BoldItalic, Tag("(đậm nghiêng)")]
    | Annotated[Superscript, Tag("(chỉ số trên)")]
    | Annotated[Subscript, Tag("(chỉ số dưới)")]
    | Annotated[Footnote, Tag("(chú thích)")]
    | Annotated[Endnote, Tag("(chú thích cuối)")],
    Discriminator(_segment_kind),
]
# A named alias: pydantic builds its schema once and refers to it from the ~20 fields that use it,
# instead of building it again at each (a quarter of the plan validator's build time, which every
# command pays at start).
Paragraph = TypeAliasType("Paragraph", Annotated[
    Annotated[Text, Tag("(đoạn)")] | Annotated[list[Segment], Tag("(các mảnh)")],
    Discriminator(lambda v: "(các mảnh)" if isinstance(v, list) else "(đoạn)"),
])
"""A paragraph: plain text, or a list of pieces: text, {cite: key}, {italic: …}, {bold: …},
{bold_italic: …}, {sup: …}, {sub: …}, {footnote: …}, {endnote: …}. Every character of a text piece prints as
itself (no markup inside strings)."""


# --- body blocks -------------------------------------------------------------------------------


# A "- " item that has items of its own ("+ " under it).
class Item(Model):
    """Ý gạch đầu dòng "- " có các ý con ("+ " bên dưới)."""

    text: Paragraph = Field(description="Nội dung ý")
    items: list[ItemEntry] = Field(default_factory=list, description="Các ý con (dấu +)")


ItemEntry = Annotated[
    Annotated[Paragraph, Tag("(ý)")] | Annotated[Item, Tag("(ý có ý con)")],
    Discriminator(lambda v: "(ý có ý con)" if isinstance(v, (dict, BaseModel)) else "(ý)"),
]


# A list of "- " items (nested ones get "+ ").
class Items(Model):
    """Danh sách ý gạch đầu dòng "- " (ý con có dấu "+ ")."""

    items: list[ItemEntry] = Field(min_length=1, description="Các ý gạch đầu dòng (-)")


# An điểm with more under it: {text: …, blocks: [...]}.
class Point(Model):
    """Điểm có nội dung con: {text: …, blocks: [...]}."""

    text: Paragraph = Field(description="Nội dung điểm")
    blocks: list[Block] = Field(default_factory=list, description="Các đoạn, ý dưới điểm")


# Điểm a), b), c), d), đ), … (lettered in Vietnamese order).
class Points(Model):
    """Các điểm a), b), c), d), đ), … (theo thứ tự chữ cái tiếng Việt)."""

    points: list[Annotated[
        Annotated[Paragraph, Tag("(điểm)")] | Annotated[Point, Tag("(điểm có nội dung)")],
        Discriminator(lambda v: "(điểm có nội dung)" if isinstance(v, (dict, BaseModel)) else "(điểm)"),
    ]] = Field(min_length=1, description="Các điểm a), b), c)…")


def _clause_schema(schema: dict[str, Any]) -> None:
    # {clause: Title} is read as the title by a before-validator: editors must know the key too.
    props = schema.setdefault("properties", {})
    props["clause"] = {**props.get("title", {}), "description": "Tiêu đề khoản (in đậm), ví dụ: Mục đích"}


# Khoản "1. …": with a bold title ("1. Mục đích"), or untitled with its text on the number line. A khoản inside
# a khoản is numbered "1.1.", "1.2.". In `blocks`, write {clause: Mục đích, blocks: [...]} or, untitled, {text:
# "Các phòng …", blocks: [...]}.
class Clause(Model):
    """Khoản "1. …": có tiêu đề in đậm ("1. Mục đích"), hoặc không tiêu đề, nội dung ngay sau số thứ tự. Khoản trong
    khoản đánh số "1.1.", "1.2.". Trong blocks, viết {clause: Mục đích, blocks: [...]} hoặc, không tiêu đề, {text:
    "Các phòng …", blocks: [...]}."""

    model_config = ConfigDict(json_schema_extra=_clause_schema)

    title: Paragraph | None = Field(default=None, description="Tiêu đề khoản (in đậm), ví dụ: Mục đích")
    text: Paragraph | None = Field(
        default=None, description="Nội dung ngay sau số thứ tự (khoản không tiêu đề) hoặc đoạn ngay sau tiêu đề"
    )
    blocks: list[Block] = Field(default_factory=list, description="Nội dung của khoản, theo đúng thứ tự")
    paragraphs: list[Paragraph] = Field(default_factory=list, description="Các đoạn văn (cách viết cũ)")
    points: list[Paragraph] = Field(default_factory=list, description="Các điểm a), b), c)… (cách viết cũ)")
    items: list[Paragraph] = Field(default_factory=list, description="Các ý gạch đầu dòng (cách viết cũ)")

    @model_validator(mode="before")
    @classmethod
    def _clause_key(cls, value: object) -> object:
        # {clause: Title} is how a khoản is written among blocks; it is the title.
        if isinstance(value, dict) and "clause" in value:
            value = dict(value)
            title = value.pop("clause")
            if title is not None:
                value["title"] = title
        return value

    @model_validator(mode="after")
    def _not_empty(self) -> Clause:
        if self.title is None and self.text is None:
            raise PydanticCustomError(
                "clause_empty", "khoản cần title (tiêu đề) hoặc text (nội dung sau số thứ tự)"
            )
        return self

    @property
    def content(self) -> list[Block]:
        """The khoản's blocks in print order (the old fields paragraphs, points, items come first,
        in that order, as they always printed)."""
        legacy: list[Block] = list(self.paragraphs)
        if self.points:  # already validated: construct, do not validate again
            legacy.append(Points.model_construct(points=self.points))
        if self.items:
            legacy.append(Items.model_construct(items=self.items))
        return legacy + list(self.blocks)


# --- tables ------------------------------------------------------------------------------------

Align = Literal["left", "center", "right", "justify"]


def _text_or_object(schema: dict[str, Any]) -> None:
    # A column may be written as its title alone.
    full = dict(schema)
    schema.clear()
    schema.update({"anyOf": [{"type": "string"}, full], "description": full.get("description", "")})


# A table column: its heading, relative width and alignment.
class Column(Model):
    """Một cột của bảng: tiêu đề, độ rộng tương đối và căn lề."""

    model_config = ConfigDict(json_schema_extra=_text_or_object)

    title: Paragraph | CellLines | None = Field(
        default=None, description="Tiêu đề cột; nhiều dòng: {lines: [dòng 1, dòng 2]}")
    width: float = Field(default=1.0, gt=0, le=100, description="Độ rộng tương đối, ví dụ 1 cho STT, 6 cho nội dung")
    align: Align = Field(default="left", description="Căn lề nội dung cột: left, center, right, justify")


def _column(value: object) -> object:
    return {"title": value} if isinstance(value, (str, list)) else value


# A cell of several paragraphs: {lines: [...]}.
class CellLines(Model):
    """Ô có nhiều đoạn: {lines: [...]}."""

    lines: list[Paragraph] = Field(min_length=1, description="Mỗi phần tử một dòng (đoạn) trong ô")


# A cell with options: {text: …, span: 2, rowspan: 3, bold: true, align: center}.
class CellSpec(Model):
    """Ô có định dạng riêng: {text: …, span: 2, rowspan: 3, bold: true, align: center}."""

    text: Paragraph | CellLines | None = Field(default=None, description="Nội dung ô")
    span: int = Field(default=1, ge=1, le=MAX_TABLE_COLUMNS, description="Số cột ô trải qua (gộp ngang)")
    rowspan: int = Field(default=1, ge=1, le=10000, description="Số hàng ô trải qua (gộp dọc)")
    bold: bool = Field(default=False, description="In đậm cả ô")
    align: Align | None = Field(default=None, description="Căn lề riêng của ô")


def _empty_cell(value: object) -> object:
    # Numbers in a cell (an amount, a count) are text to print; blank text is an empty cell.
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return None if isinstance(value, str) and not value.strip() else value


def _cell_kind(value: object) -> str:
    if value is None:
        return "(ô trống)"
    if isinstance(value, BaseModel):
        return "(ô nhiều dòng)" if isinstance(value, CellLines) else "(ô có tùy chọn)"
    if isinstance(value, dict):
        return "(ô nhiều dòng)" if set(value) == {"lines"} else "(ô có tùy chọn)"
    return "(ô)"


Cell = Annotated[
    Annotated[Paragraph, Tag("(ô)")]
    | Annotated[CellLines, Tag("(ô nhiều dòng)")]
    | Annotated[CellSpec, Tag("(ô có tùy chọn)")]
    | Annotated[None, Tag("(ô trống)")],
    Discriminator(_cell_kind),
    BeforeValidator(_empty_cell),
]
Row = list[Cell]


# A group row ("I. NHIỆM VỤ …") and the rows under it; a group may hold groups (I. then 1.).
class Group(Model):
    """Dòng nhóm ("I. NHIỆM VỤ …") và các hàng bên dưới; nhóm có thể chứa nhóm con (I. rồi 1.)."""

    group: Paragraph = Field(description="Tên nhóm")
    number: Text | None = Field(default=None, description="Số của nhóm khi khác số tự đánh (I, II… rồi 1, 2…)")
    rows: list[RowOrGroup] = Field(default_factory=list, description="Các hàng của nhóm")


# A table of the body or of an appendix: columns declared by the data. numbered: the first column is STT, filled
# in by the tool (rows give the other cells); numbering: restart (1, 2… in each group) or continue (1 … n across
# groups); group_style: merged (one cell "I. TÊN NHÓM") or split (STT cell "I", name across the rest).
class Table(Model):
    """Bảng trong văn bản hoặc phụ lục, cột do dữ liệu khai báo. numbered: cột đầu là STT, tự đánh số (các hàng ghi các
    ô còn lại); numbering: restart (1, 2… trong mỗi nhóm) hoặc continue (1 … n qua các nhóm); group_style: merged
    (một ô "I. TÊN NHÓM") hoặc split (ô STT "I", tên nhóm trải các cột còn lại)."""

    sheet: Text | None = Field(
        default=None,
        description="Lấy cột và hàng từ bảng tính: danh-muc.xlsx hoặc danh-muc.xlsx#Tên trang tính "
        "(.xlsx, .xls, .ods, .csv; đường dẫn tính từ thư mục tệp dữ liệu). Các trường ghi thêm ở đây "
        "(numbered, group_style…) được ưu tiên",
    )
    columns: list[Annotated[Column, BeforeValidator(_column)]] = Field(
        min_length=1, max_length=MAX_TABLE_COLUMNS, description="Các cột (một chuỗi là tiêu đề cột)")
    header: bool = Field(default=True, description="false: bảng không có hàng tiêu đề (mọi hàng là dữ liệu)")
    # The row of column numbers printed under the header ("(1)", "(2)"… or "A", "B", "1"…), one label
    # per column as typed (italic pieces kept); None: no such row, as before the field existed.
    column_numbers: list[Paragraph | None] | None = Field(
        default=None,
        description="Hàng số thứ tự cột in dưới hàng tiêu đề, mỗi cột một nhãn như bản gốc: "
        "[\"(1)\", \"(2)\", …] hoặc [{italic: \"(1)\"}, …]; ô để trống: null",
    )
    # Rows of a header of several rows, printed above the columns' own titles: a title over the
    # columns it groups (span) and a title merged down to the columns' row (rowspan), as a
    # catalogue's "Thời gian thực hiện" over "Bắt đầu | Kết thúc". None: the one row of titles.
    header_rows: list[Row] | None = Field(
        default=None, max_length=MAX_HEADER_ROWS - 1,
        description="Các hàng tiêu đề in trên hàng tiêu đề cột (tiêu đề nhiều hàng): mỗi hàng là các ô, "
        "ô nhóm cột ghi {text: Thời gian thực hiện, span: 2}, ô gộp xuống tới hàng tiêu đề cột ghi "
        "{text: STT, rowspan: 2}; cột nằm dưới ô gộp xuống không in tiêu đề riêng",
    )
    numbered: bool = Field(default=False, description="true: cột đầu là STT, tự đánh số")
    # How a derived STT prints, as the original typed it ("1", "1." or "1)"; bold when the column's
    # numbers were): a re-render prints what the page printed. The defaults are the tool's own "1".
    number_format: Literal["1", "1.", "1)"] = Field(
        default="1", description="Dạng số STT tự đánh: \"1\" (mặc định), \"1.\" hoặc \"1)\"")
    number_bold: bool = Field(default=False, description="true: số STT tự đánh in đậm")
    numbering: Literal["restart", "continue"] = Field(
        default="continue", description="STT đánh lại từ 1 trong mỗi nhóm (restart) hay nối tiếp (continue)"
    )
    group_style: Literal["merged", "split"] = Field(
        default="split", description="Dòng nhóm: merged (một ô gộp) hoặc split (ô STT và ô tên nhóm)"
    )
    group_caps: bool = Field(default=True, description="In hoa tên nhóm cấp I")
    rows: list[RowOrGroup] = Field(default_factory=list, description="Các hàng và nhóm")

    @model_validator(mode="after")
    def _rows_fit(self) -> Table:
        width = len(self.columns) - (1 if self.numbered else 0)

        def walk(rows: list[Any], at: tuple[Any, ...]) -> None:
            for i, row in enumerate(rows):
                if isinstance(row, Group):
                    walk(row.rows, at + (i, "rows"))
                    continue
                used = sum(c.span if isinstance(c, CellSpec) else 1 for c in row)
                if used > width:
                    raise PydanticCustomError(
                        "row_too_wide",
                        "hàng có {used} ô mà bảng chỉ có {width} cột"
                        + (" (cột STT tự đánh, không ghi trong hàng)" if self.numbered else "")
                        + "; hãy bớt ô hoặc thêm cột trong columns",
                        {"used": used, "width": width, "at": at + (i,)},
                    )

        walk(self.rows, ("rows",))
        if self.column_numbers is not None and len(self.column_numbers) != len(self.columns):
            raise PydanticCustomError(
                "column_numbers_count",
                "column_numbers có {given} nhãn mà bảng có {width} cột; hãy ghi đúng một nhãn cho mỗi cột "
                "(kể cả cột STT; ô trống ghi null)",
                {"given": len(self.column_numbers), "width": len(self.columns), "at": ("column_numbers",)},
            )
        if self.header_rows is not None:
            self.merged_down()
        if self.column_numbers is not None and not self.header:
            raise PydanticCustomError(
                "column_numbers_header",
                "column_numbers in dưới hàng tiêu đề mà bảng không có hàng tiêu đề (header: false); "
                "hãy bỏ column_numbers hoặc header: false",
                {"at": ("column_numbers",)},
            )
        return self

    def merged_down(self) -> list[bool]:
        """Per column, whether a cell of header_rows is merged down over its own title (the title
        row prints nothing there). Raises when the header rows do not fit: each covers every column
        once, counting the cells merged down from the rows above, and a cell merged down stops at the
        columns' own row (the header ends there)."""
        if self.header_rows is None:
            return [False] * len(self.columns)
        if not self.header:
            raise PydanticCustomError(
                "header_rows_header",
                "header_rows in trên hàng tiêu đề cột mà bảng không có hàng tiêu đề (header: false); "
                "hãy bỏ header_rows hoặc header: false",
                {"at": ("header_rows",)},
            )
        width = len(self.columns)
        below = [0] * width  # rows each column is still covered for by a cell merged down
        for i, row in enumerate(self.header_rows):
            left = len(self.header_rows) - i + 1  # rows from this one down to the columns' row
            col = 0
            for k, cell in enumerate(row):
                while col < width and below[col]:
                    col += 1
                span, rowspan = (cell.span, cell.rowspan) if isinstance(cell, CellSpec) else (1, 1)
                if col + span > width or any(below[col:col + span]):
                    raise PydanticCustomError(
                        "header_row_too_wide",
                        "hàng tiêu đề thứ {row} vượt quá {width} cột của bảng (tính cả ô gộp xuống từ hàng "
                        "trên); hãy sửa span của các ô cho tổng bằng số cột trong columns",
                        {"row": i + 1, "width": width, "at": ("header_rows", i, k)},
                    )
                if rowspan > left:
                    raise PydanticCustomError(
                        "header_rowspan",
                        "ô gộp xuống {rowspan} hàng mà từ hàng tiêu đề thứ {row} tới hàng tiêu đề cột chỉ có "
                        "{left} hàng; hãy ghi rowspan tối đa {left}",
                        {"rowspan": rowspan, "row": i + 1, "left": left, "at": ("header_rows", i, k)},
                    )
                for c in range(col, col + span):
                    below[c] = rowspan
                col += span
            if any(not b for b in below):
                raise PydanticCustomError(
                    "header_row_short",
                    "hàng tiêu đề thứ {row} có ô cho {used} trong {width} cột của bảng (tính cả ô gộp xuống "
                    "từ hàng trên); hãy thêm ô hoặc span cho đủ số cột trong columns",
                    {"row": i + 1, "used": sum(1 for b in below if b), "width": width, "at": ("header_rows", i)},
                )
            below = [b - 1 for b in below]
        return [b > 0 for b in below]


RowOrGroup = Annotated[
    Annotated[Row, Tag("(hàng)")] | Annotated[Group, Tag("(nhóm)")],
    Discriminator(lambda v: "(nhóm)" if isinstance(v, (dict, BaseModel)) else "(hàng)"),
]


# A table among the body's blocks: {table: {...}}.
class TableBlock(Model):
    """Bảng nằm giữa các đoạn của văn bản: {table: {...}}."""

    table: Table


# A paragraph printed as written, in bold, without a number: {heading: "…"}. With blocks, it heads a part whose
# khoản are numbered from 1 again (an outline, a form in an appendix).
class Heading(Model):
    """Đoạn in đúng như viết, in đậm, không đánh số: {heading: "…"}. Có blocks thì là đầu một phần mà các khoản bên
    trong đánh số lại từ 1 (đề cương, biểu mẫu trong phụ lục)."""

    heading: Paragraph | None = Field(
        default=None, description="Dòng tiêu đề in đậm, không đánh số; bỏ trống: chỉ đánh số lại từ 1")
    blocks: list[Block] = Field(default_factory=list, description="Nội dung của phần (đánh số lại từ 1)")


BLOCK_KEYS = {"table": "(bảng)", "items": "(các ý)", "points": "(các điểm)", "heading": "(tiêu đề)",
              "clause": "(khoản)", "text": "(khoản)"}


def _block_kind(value: object) -> str:
    if isinstance(value, BaseModel):
        return {Items: "(các ý)", Points: "(các điểm)", Clause: "(khoản)", TableBlock: "(bảng)",
                Heading: "(tiêu đề)"}[type(value)]
    if isinstance(value, dict):
        if set(value) == {"blocks"}:
            return "(tiêu đề)"  # a part without a heading line: its khoản number from 1 again
        return _closest_key(value, BLOCK_KEYS, "(khoản)")
    return "(đoạn văn)"


Block = Annotated[
    Annotated[Paragraph, Tag("(đoạn văn)")]
    | Annotated[Items, Tag("(các ý)")]
    | Annotated[Points, Tag("(các điểm)")]
    | Annotated[Clause, Tag("(khoản)")]
    | Annotated[TableBlock, Tag("(bảng)")]
    | Annotated[Heading, Tag("(tiêu đề)")],
    Discriminator(_block_kind),
]
"""One block of a mục, khoản or text appendix, in print order: a paragraph; {items: [...]};
{points: [...]}; a khoản {clause: Tiêu đề, blocks: [...]} or {text: …, blocks: [...]};
{table: {...}}; {heading: …} (with blocks: a part numbered from 1 again; {blocks: [...]} alone:
the same without a heading line)."""


# Mục "I. MỤC ĐÍCH, YÊU CẦU": Roman-numbered, printed in capitals.
class Section(Model):
    """Mục "I. MỤC ĐÍCH, YÊU CẦU": đánh số La Mã, in hoa."""

    # A part (Phần, Chương) opens at the mục that carries its heading; from there the Roman numbers
    # start again at I. Optional, so every data file written before parts stays valid.
    part: TextLines | None = Field(
        default=None,
        description="Mở một phần mới từ mục này (văn bản chia Phần, Chương): các dòng tiêu đề của phần, in giữa, "
        "đậm, trên tên mục, đúng như viết, ví dụ: [Phần thứ hai, KẾ HOẠCH NĂM 2026]; các mục từ mục này đánh số "
        "lại từ I")
    title: Text = Field(description="Tên mục, ví dụ: Mục đích, yêu cầu (tự in hoa)")
    paragraphs: list[Paragraph] = Field(default_factory=list, description="Các đoạn văn đầu mục (cách viết cũ)")
    clauses: list[Clause] = Field(default_factory=list, description="Các khoản 1., 2., … (cách viết cũ)")
    blocks: list[Block] = Field(default_factory=list, description="Nội dung của mục, theo đúng thứ tự")

    @property
    def content(self) -> list[Block]:
        """The mục's blocks in print order (old fields first, as they always printed)."""
        return list(self.paragraphs) + list(self.clauses) + list(self.blocks)


def section_numbers(sections: list[Section]) -> list[str]:
    """Each mục's Roman number as printed: I, II, … counted again from I where a part opens."""
    out: list[str] = []
    n = 0
    for section in sections:
        n = 1 if section.part is not None else n + 1
        out.append(roman(n))
    return out


def section_labels(sections: list[Section]) -> list[str]:
    """Each mục as a reader names it: "II. NỘI DUNG"; in a plan with parts, its part's first line
    before it ("Phần thứ hai – I. MỤC ĐÍCH, YÊU CẦU"), since two parts may both have a mục I."""
    out: list[str] = []
    part: str | None = None
    for number, section in zip(section_numbers(sections), sections, strict=True):
        if section.part is not None:
            part = section.part[0]
        label = f"{number}. {upper_vi(section.title)}"
        out.append(f"{part} – {label}" if part is not None else label)
    return out


Authority = Literal["KT", "TM", "TL", "TUQ", "Q"]

MAX_CO_SIGNERS = 2
"""A joint document's signers beside the lead one: three columns side by side is what a portrait
page holds (each about 5.5 cm, a 13 pt "TM. BAN THƯỜNG TRỰC" on one or two lines)."""


# Người ký and thẩm quyền ký (ô 7a, 7b).
class Signer(Model):
    """Người ký và thẩm quyền ký (ô 7a, 7b)."""

    name: Text = Field(description="Họ tên người ký, không ghi học hàm, học vị")
    title: Text | None = Field(default=None, description="Chức vụ của người ký, ví dụ: Giám đốc, Phó Giám đốc")
    authority: Authority | None = Field(
        default=None,
        description="Thẩm quyền ký: bỏ trống khi người đứng đầu ký; KT, TM, TL, TUQ hoặc Q",
    )
    head_title: Text | None = Field(
        default=None, description="Chức vụ người đứng đầu khi ký KT., TL., TUQ. (ví dụ: Giám đốc)"
    )
    collective: Text | None = Field(
        default=None, description="Tên tập thể khi ký TM. (ví dụ: Ủy ban nhân dân, Ban Thường trực)"
    )
    lines: list[Text] | None = Field(
        default=None,
        description="Các dòng thẩm quyền và chức vụ in đúng như viết (thay cho authority, title…) khi "
        "hình thức ký không thuộc các dạng trên",
    )

    @model_validator(mode="after")
    def _authority_needs(self) -> Signer:
        if self.lines:
            return self
        if self.title is None:
            raise PydanticCustomError("title_missing", "cần title: chức vụ của người ký, ví dụ Giám đốc")
        if self.authority in ("KT", "TL", "TUQ") and not self.head_title:
            raise PydanticCustomError(
                "head_title_missing",
                "ký {authority} cần head_title: chức vụ của người đứng đầu, ví dụ Giám đốc",
                {"authority": self.authority + "."},
            )
        if self.authority == "TM" and not self.collective:
            raise PydanticCustomError(
                "collective_missing", "ký TM. cần collective: tên tập thể, ví dụ Ủy ban nhân dân"
            )
        return self


UnitRef = Text
"""A unit key declared under `units`, or free text when no declared unit fits."""


# One row of the catalogue (the five-column form).
class Task(Model):
    """Một nhiệm vụ (một hàng của danh mục năm cột): nội dung, đơn vị chủ trì, đơn vị phối hợp, thời gian."""

    content: Paragraph = Field(description="Nội dung công việc")
    lead: list[UnitRef] = Field(default_factory=list, description="Đơn vị chủ trì (khóa hoặc tên)")
    support: list[UnitRef] = Field(default_factory=list, description="Đơn vị phối hợp (khóa hoặc tên)")
    time: Text | None = Field(default=None, description="Thời gian thực hiện")


class TaskGroup(Model):
    """Một nhóm nhiệm vụ (dòng I, II, … in đậm) và các nhiệm vụ của nhóm."""

    title: Text = Field(description="Tên nhóm nhiệm vụ (dòng I, II, … in đậm)")
    tasks: list[Task] = Field(default_factory=list, description="Các nhiệm vụ của nhóm")


DEFAULT_COLUMNS = (
    "STT",
    "Nội dung công việc",
    "Đơn vị chủ trì",
    "Đơn vị phối hợp",
    "Thời gian thực hiện",
)


# Phụ lục / Danh mục kèm theo, on its own pages: a heading block, then a table or text. Three forms: the task
# catalogue (columns of five + groups of tasks, as the sample writes it); any table (table: {...}); text
# (blocks: [...], e.g. a "Đề cương báo cáo").
class Appendix(Model):
    """Phụ lục / Danh mục kèm theo, in trên trang riêng: phần đầu, rồi bảng hoặc văn bản. Ba dạng: danh mục nhiệm vụ
    (năm cột và các nhóm nhiệm vụ, như tệp mẫu); bảng tùy ý (table: {...}); văn bản (blocks: [...], ví dụ một đề
    cương báo cáo)."""

    title: Text = Field(default="Phụ lục", description="Dòng đầu, ví dụ: DANH MỤC, Phụ lục, Phụ lục số 01")
    upper: bool = Field(default=True, description="In hoa dòng đầu (false: in đúng như viết)")
    subtitle: TextLines | None = Field(default=None, description="Tên phụ lục, một hoặc nhiều dòng (in đậm)")
    reference_line: Literal[False] | Text | None = Field(
        default=None,
        description="Dòng (Kèm theo …): mặc định tự suy ra từ số, ngày của kế hoạch; false để không in",
    )
    orientation: Literal["landscape", "portrait"] | None = Field(
        default=None,
        description="Hướng trang: landscape (ngang, mặc định cho bảng) hoặc portrait (dọc, mặc định cho văn bản)",
    )
    columns: tuple[Text, Text, Text, Text, Text] = Field(
        default=DEFAULT_COLUMNS, description="Tiêu đề 5 cột của danh mục nhiệm vụ"
    )
    groups: list[TaskGroup] | None = Field(
        default=None, description="Các nhóm nhiệm vụ I, II, … của danh mục (dạng năm cột)")
    table: Table | None = Field(default=None, description="Bảng tùy ý: cột, hàng, nhóm do dữ liệu khai báo")
    blocks: list[Block] | None = Field(default=None, description="Phụ lục dạng văn bản: các đoạn, khoản, ý…")

    @model_validator(mode="after")
    def _one_body(self) -> Appendix:
        given = [n for n in ("groups", "table", "blocks") if getattr(self, n) is not None]
        if len(given) != 1:
            raise PydanticCustomError(
                "appendix_body",
                "phụ lục cần đúng một trong: groups (danh mục nhiệm vụ), table (bảng) hoặc blocks (văn bản)",
            )
        return self

    @field_validator("groups")
    @classmethod
    def _some_group(cls, value: list[TaskGroup] | None) -> list[TaskGroup] | None:
        if value is not None and not value:
            raise PydanticCustomError(
                "groups_empty", "phụ lục cần ít nhất một nhóm nhiệm vụ; nếu không có thì bỏ cả phụ lục này")
        return value

    @property
    def landscape(self) -> bool:
        if self.orientation is not None:
            return self.orientation == "landscape"
        return self.blocks is None


# --- the dossier a plan travels with (issue 26) ----------------------------------------------------
# What the Tờ trình, the Quyết định ban hành and the comment table add to the plan; everything the plan
# already says (trích yếu, issuer, year, references, units) is taken from it, never typed again.


def _unit_list(value: object) -> object:
    return [value] if isinstance(value, str) else value


# A number and a date the văn thư gives one document of the dossier.
class DossierIssue(Model):
    """Số và ngày của một văn bản trong hồ sơ (bỏ trống khi là dự thảo)."""

    number: DocNumber | None = Field(default=None, description="Số văn bản do văn thư cấp; bỏ trống khi là dự thảo")
    date: IssueDate | None = Field(
        default=None, description="Ngày ban hành: 20/03/2024; dự thảo: 03/2024 (mặc định: tháng, năm của kế hoạch)")


# The drafting agency's Tờ trình to the issuing authority.
class Submission(DossierIssue):
    """Tờ trình của cơ quan soạn thảo gửi cơ quan ban hành kế hoạch."""

    subject: TextLines | None = Field(
        default=None, description="Trích yếu; mặc định: Về việc ban hành Kế hoạch <trích yếu của kế hoạch>")
    addressee: list[UnitRef] | None = Field(
        default=None, description="Kính gửi (mặc định: cơ quan ban hành kế hoạch)")
    sections: list[Section] = Field(
        min_length=1, description="Các mục: sự cần thiết, căn cứ, nội dung chính của dự thảo, đề xuất")
    closing: Paragraph | None = Field(
        default=None, description="Câu kết; mặc định: … kính trình <nơi nhận> xem xét, quyết định")
    recipients: list[UnitRef] = Field(default_factory=lambda: ["Như trên"], description="Nơi nhận")
    archive: list[UnitRef] = Field(default_factory=lambda: ["VT"], description="Dòng Lưu: VT và đơn vị soạn thảo")
    signer: Signer = Field(description="Người ký Tờ trình (lãnh đạo cơ quan soạn thảo)")


# The Quyết định that issues the plan ("Ban hành kèm theo Quyết định này Kế hoạch …").
class Decision(DossierIssue):
    """Quyết định ban hành kế hoạch (kế hoạch ban hành kèm theo Quyết định)."""

    authority: Text | None = Field(
        default=None, description="Thẩm quyền ban hành dưới trích yếu, ví dụ: Chủ tịch Ủy ban nhân dân tỉnh Lâm "
        "Đồng (mặc định: tên cơ quan ban hành kế hoạch)")
    bases: list[str] = Field(
        default_factory=list, description="Căn cứ ban hành: các khóa trong references, mỗi khóa một dòng Căn cứ …")
    proposer: Text | None = Field(
        default=None, description="Người đề nghị trong câu Theo đề nghị của …, ví dụ: Giám đốc Sở Nội vụ (mặc định: "
        "chức vụ người ký Tờ trình và tên cơ quan soạn thảo)")
    effect: Text = Field(default="Quyết định này có hiệu lực kể từ ngày ký.",
                         description="Điều 2: hiệu lực của Quyết định")
    executors: list[UnitRef] = Field(
        min_length=1, description="Điều 3: các cơ quan, người chịu trách nhiệm thi hành (khóa đơn vị hoặc tên)")
    recipients: list[UnitRef] = Field(default_factory=list, description="Nơi nhận sau dòng Như Điều 3")
    archive: list[UnitRef] = Field(default_factory=lambda: ["VT"], description="Dòng Lưu: VT và đơn vị soạn thảo")
    signer: Signer | None = Field(default=None, description="Người ký Quyết định (mặc định: người ký kế hoạch; "
                                  "kế hoạch liên tịch: người ký của cơ quan chủ trì)")


# One row of the comment table.
class Comment(Model):
    """Một ý kiến góp ý: nội dung, đơn vị góp ý, ý kiến tiếp thu hoặc giải trình."""

    content: Paragraph = Field(description="Nội dung góp ý")
    by: Annotated[list[UnitRef], BeforeValidator(_unit_list, json_schema_input_type=str | list[str]),
                  Field(min_length=1)] = Field(description="Đơn vị góp ý (khóa hoặc tên; một hoặc nhiều)")
    response: Paragraph = Field(description="Ý kiến tiếp thu, giải trình của cơ quan soạn thảo")


# The dossier: who drafts, what the Tờ trình argues, what the decision says, the comments received.
class Dossier(Model):
    """Hồ sơ trình ban hành kế hoạch: Tờ trình của cơ quan soạn thảo, Quyết định ban hành, bảng tổng hợp ý kiến."""

    drafter: Agency = Field(description="Cơ quan soạn thảo (trình), ví dụ: Sở Nội vụ")
    submission: Submission = Field(description="Tờ trình")
    decision: Decision = Field(description="Quyết định ban hành kế hoạch")
    comments: list[Comment] = Field(default_factory=list, description="Các ý kiến góp ý đã nhận")
    comment_report: DossierIssue = Field(
        default_factory=DossierIssue, description="Số, ngày của bảng tổng hợp ý kiến góp ý (Báo cáo)")


class Plan(Model):
    """Một Kế hoạch."""

    model_config = ConfigDict(
        title="Kế hoạch (kehoach)",
        json_schema_extra={"description": "Tệp dữ liệu một Kế hoạch theo Nghị định 30/2020/NĐ-CP"},
    )

    type: Literal[DocType.ke_hoach, DocType.bao_cao, DocType.to_trinh, DocType.quyet_dinh] = Field(
        default=DocType.ke_hoach,
        description="Tên loại văn bản: Kế hoạch (mặc định) hoặc Báo cáo (báo cáo kết quả thực hiện kế hoạch, "
        "do lệnh kehoach report tạo); Tờ trình, Quyết định (hồ sơ trình ban hành, do lệnh kehoach dossier tạo; "
        "với Quyết định mỗi mục là một Điều)",
    )
    agency: Agency
    number: DocNumber | None = Field(
        default=None, description="Số văn bản do văn thư cấp; bỏ trống khi là dự thảo"
    )
    date: IssueDate = Field(
        description="Ngày ban hành: 20/03/2024 hoặc 2024-03-20; dự thảo: 03/2024 hoặc 2024-03 (chưa có ngày), "
        "2024 (chưa có ngày, tháng)"
    )
    subject: TextLines = Field(
        description="Trích yếu nội dung (dưới chữ KẾ HOẠCH); nhiều dòng: [dòng 1, dòng 2] để tự chọn chỗ "
        "xuống dòng, không cắt đôi tên riêng"
    )
    subtitle: Paragraph | None = Field(
        default=None, description="Dòng dưới trích yếu, ví dụ: (Ban hành kèm theo Quyết định số …)"
    )
    own_number: bool = Field(
        default=True,
        description="false: văn bản ban hành kèm theo một quyết định, không có số, ngày riêng (dòng số, ký hiệu "
        "và dòng địa danh, ngày tháng không in; dòng (Ban hành kèm theo …) ghi ở subtitle)",
    )
    addressee: list[UnitRef] = Field(
        default_factory=list, description="Kính gửi (Tờ trình, Báo cáo gửi cấp trên): khóa đơn vị hoặc tên")
    authority: Text | None = Field(
        default=None, description="Thẩm quyền ban hành in dưới trích yếu của Quyết định, ví dụ: Ủy ban nhân dân "
        "tỉnh Lâm Đồng, Chủ tịch Ủy ban nhân dân tỉnh Lâm Đồng (tự in hoa)")
    units: dict[str, Unit] = Field(default_factory=dict, description="Các đơn vị, khai báo một lần")
    references: dict[str, Reference] = Field(
        default_factory=dict, description="Các văn bản được dẫn, khai báo một lần"
    )
    grounds: list[Paragraph] = Field(
        default_factory=list, description="Các dòng Căn cứ … (in nghiêng, mỗi căn cứ một dòng)"
    )
    opening: list[Paragraph] = Field(
        default_factory=list, description="Đoạn mở đầu, ví dụ: Thực hiện Kế hoạch số …"
    )
    sections: list[Section] = Field(min_length=1, description="Các mục I., II., … (ít nhất một mục)")
    closing: Paragraph | None = Field(default=None, description="Câu kết; dấu ./. được tự thêm")
    recipients: list[UnitRef] = Field(description="Nơi nhận (khóa đơn vị hoặc tên)")
    archive: list[UnitRef] = Field(
        default_factory=lambda: ["VT"], description="Dòng Lưu: VT và đơn vị soạn thảo"
    )
    signer: Signer = Field(description="Người ký (của cơ quan chủ trì ban hành khi là văn bản liên tịch)")
    co_signers: list[Signer] = Field(
        default_factory=list, max_length=MAX_CO_SIGNERS,
        description="Văn bản liên tịch: người ký của các cơ quan cùng ban hành, theo thứ tự in từ trái sang phải; "
        "người ký của cơ quan chủ trì (signer) in bên phải cùng, Nơi nhận in dưới các chữ ký. Bỏ trống khi "
        f"một cơ quan ban hành. Tối đa {MAX_CO_SIGNERS} người (ba cơ quan cùng ký)")
    draft_mark: DraftMark = Field(
        default=DEFAULT_DRAFT_MARK,
        description="Dấu hiệu dự thảo in trong khung ở đầu trang 1 khi văn bản chưa có số và ngày "
        "(mặc định: DỰ THẢO); false để không in. Bản phát hành không bao giờ có dấu này",
    )
    appendices: list[Appendix] = Field(default_factory=list, description="Các phụ lục kèm theo")
    dossier: Dossier | None = Field(
        default=None, description="Hồ sơ trình ban hành (Tờ trình, Quyết định, bảng tổng hợp ý kiến): lệnh "
        "kehoach dossier")

    @model_validator(mode="after")
    def _dossier_bases(self) -> Plan:
        # A căn cứ names a declared reference: the Quyết định prints it in full from there.
        if self.dossier is not None:
            for i, key in enumerate(self.dossier.decision.bases):
                if key not in self.references:
                    raise PydanticCustomError(
                        "unknown_basis",
                        "không có văn bản nào khai báo với khóa '{key}' trong references",
                        {"key": key, "at": ("dossier", "decision", "bases", i)},
                    )
        return self

    @field_validator("units", "references")
    @classmethod
    def _keys(cls, value: dict) -> dict:
        for key in value:
            if not UNIT_KEY.match(key):
                raise PydanticCustomError(
                    "key_format",
                    "khóa '{key}' chỉ được gồm chữ thường không dấu, số và dấu _, bắt đầu bằng chữ",
                    {"key": key},
                )
        return value

    @property
    def subject_text(self) -> str:
        """The trích yếu as running text (its lines joined)."""
        return " ".join(self.subject)

    @property
    def year(self) -> int:
        return self.date.year

    @property
    def lacks_number(self) -> bool:
        """Whether the document still wants its number to be issued. One issued with a decision has
        none of its own (own_number: false): the decision's is its number, its date alone issues it."""
        return self.number is None and self.own_number

    @property
    def is_final(self) -> bool:
        return not self.lacks_number and self.date.complete


# The models the code constructs itself after loading a plan: an appendix's catalogue as a Table of
# Columns and Groups (document/context.py); the dossier's comment table, its TableBlock and Section
# (jobs/dossier.py).
_BUILT_BEFORE_PLAN: tuple[type[Model], ...] = (Column, Group, Table, TableBlock, Section)


def build_plan_validator() -> None:
    """Build the Plan's validator, the models in _BUILT_BEFORE_PLAN first.

    Why: pydantic (2.14, `_generate_schema._model_schema`) puts a nested model's core schema into the
    Plan's as it is only when that model was built before; a model built after the Plan generates
    its whole schema again, a few milliseconds of every render. Built first, each costs the Plan
    nothing more. The order changes no validation, no message and no JSON Schema (same schemas).
    A Plan already built (validated directly, as the importer does) is left as it is: building the
    others now would only add their cost."""
    if Plan.__pydantic_complete__:
        return
    order: tuple[type[Model], ...] = (*_BUILT_BEFORE_PLAN, Plan)
    for model in order:
        if not model.__pydantic_complete__:
            model.model_rebuild()


def models_in(value: Any, seen: set[int] | None = None) -> Iterator[BaseModel]:
    """Every model object in value (a model, or lists, tuples and mappings of them), depth first,
    fields in order, each object once: the same order for a plan and for an unpickled copy of it."""
    seen = set() if seen is None else seen
    if isinstance(value, BaseModel):
        if id(value) in seen:
            return
        seen.add(id(value))
        yield value
        for name in type(value).model_fields:
            yield from models_in(getattr(value, name), seen)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from models_in(item, seen)
    elif isinstance(value, dict):
        for item in value.values():
            yield from models_in(item, seen)
