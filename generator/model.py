"""The plan data model: what a plan file may say, validated once, feeding every command.

Field names are English; descriptions (shown by editors through the JSON Schema) are Vietnamese,
because the people who fill the file in are văn thư and chuyên viên.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import Enum
from typing import Annotated, Literal, Union

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .text import clean_text

UNIT_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


def _clean(value: str) -> str:
    value = clean_text(value).strip()
    if not value:
        raise PydanticCustomError("empty_text", "không được để trống")
    return value


Text = Annotated[str, AfterValidator(_clean)]
"""A line of user text: cleaned (NFC, no control characters), never blank."""

Fragment = Annotated[str, AfterValidator(clean_text)]
"""A piece of a paragraph next to a citation: cleaned but not trimmed ("Thực hiện " keeps its space)."""


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


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
    de_an = "Đề án"
    cong_van = "Công văn"
    nghi_dinh = "Nghị định"
    thong_tu = "Thông tư"
    luat = "Luật"

    @property
    def abbreviation(self) -> str:
        return TYPE_ABBREVIATIONS[self.value]


TYPE_ABBREVIATIONS: dict[str, str] = {
    # Phụ lục III of Decree 30: tên loại → chữ viết tắt in the ký hiệu (công văn has none).
    "Nghị quyết": "NQ", "Quyết định": "QĐ", "Chỉ thị": "CT", "Quy chế": "QC", "Quy định": "QyĐ",
    "Thông cáo": "TC", "Thông báo": "TB", "Hướng dẫn": "HD", "Chương trình": "CTr", "Kế hoạch": "KH",
    "Phương án": "PA", "Đề án": "ĐA", "Dự án": "DA", "Báo cáo": "BC", "Biên bản": "BB",
    "Tờ trình": "TTr", "Hợp đồng": "HĐ", "Công điện": "CĐ", "Bản ghi nhớ": "BGN",
    "Bản thỏa thuận": "BTT", "Giấy ủy quyền": "GUQ", "Giấy mời": "GM", "Giấy giới thiệu": "GGT",
    "Giấy nghỉ phép": "GNP", "Phiếu gửi": "PG", "Phiếu chuyển": "PC", "Phiếu báo": "PB",
    "Công văn": "",
    # Legal documents a plan cites (their ký hiệu comes from other rules, e.g. NĐ-CP).
    "Nghị định": "NĐ-CP", "Thông tư": "TT", "Luật": "",
}
"""The one list of document types and abbreviations: the model, the checker and rollover use it."""

QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"
"""Ô 1 of Phụ lục I: fixed text, printed by the template, looked for by the checker and importer."""


def _parse_date(value: object) -> object:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise PydanticCustomError(
                "date_format", "ngày phải viết dạng NĂM-THÁNG-NGÀY, ví dụ 2024-02-07"
            ) from None
    return value


FullDate = Annotated[dt.date, BeforeValidator(_parse_date)]


class IssueDate(Model):
    """The date line's date. In a draft the day is left out and printed blank."""

    year: int = Field(ge=1945, le=2200, description="Năm ban hành")
    month: int = Field(ge=1, le=12, description="Tháng ban hành")
    day: int | None = Field(default=None, ge=1, le=31, description="Ngày (bỏ trống khi là dự thảo)")

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: object) -> object:
        if isinstance(value, dt.date):
            return {"year": value.year, "month": value.month, "day": value.day}
        if isinstance(value, str):
            m = re.fullmatch(r"\s*(\d{4})-(\d{1,2})(?:-(\d{1,2}))?\s*", value)
            if not m:
                raise PydanticCustomError(
                    "issue_date_format",
                    "ngày ban hành viết dạng 2024-03-20, hoặc 2024-03 khi chưa có ngày (dự thảo)",
                )
            y, mo, d = m.groups()
            return {"year": int(y), "month": int(mo), "day": int(d) if d else None}
        return value

    @model_validator(mode="after")
    def _real_day(self) -> "IssueDate":
        if self.day is not None:
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
        return self.day is not None


def _number(value: object) -> object:
    # Unquoted 05 in YAML is an int; the leading zero is derived, so an int is what we want.
    if isinstance(value, bool):
        raise PydanticCustomError("number_type", "số văn bản phải là một số nguyên dương, ví dụ 125")
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return value


DocNumber = Annotated[int, BeforeValidator(_number), Field(ge=1, le=99999)]

DEFAULT_DRAFT_MARK = "DỰ THẢO"


def _draft_mark(value: object) -> object:
    # `draft_mark: true` means "the usual mark"; `false` turns it off.
    return DEFAULT_DRAFT_MARK if value is True else value


DraftMark = Annotated[Union[Literal[False], Text], BeforeValidator(_draft_mark)]


class Agency(Model):
    """Cơ quan ban hành (ô 2 of Phụ lục I)."""

    parent: Text = Field(description="Tên cơ quan chủ quản, ví dụ: UBND tỉnh Quảng Ngãi")
    name: Text = Field(description="Tên cơ quan ban hành, ví dụ: Sở Khoa học và Công nghệ")
    abbreviation: Annotated[str, AfterValidator(_clean)] = Field(
        description="Chữ viết tắt tên cơ quan dùng trong ký hiệu, ví dụ: SKHCN"
    )
    place: Text = Field(description="Địa danh ghi trên dòng ngày tháng, ví dụ: Quảng Ngãi")

    @field_validator("abbreviation")
    @classmethod
    def _abbr(cls, value: str) -> str:
        if not re.fullmatch(r"[A-ZĐ0-9]+(?:-[A-ZĐ0-9]+)*", value):
            raise PydanticCustomError(
                "abbreviation", "chữ viết tắt chỉ gồm chữ IN HOA và số, không dấu cách, ví dụ SKHCN"
            )
        return value


class Unit(Model):
    """A unit named once and referred to by its key (phòng, đơn vị, cơ quan)."""

    name: Text = Field(description="Tên đầy đủ, ví dụ: Phòng Hành chính - Tổng hợp")
    abbreviation: Text | None = Field(default=None, description="Chữ viết tắt, ví dụ: HCTH")


class Reference(Model):
    """A cited document: printed in full at its first citation, by type and số/ký hiệu after."""

    type: DocType = Field(description="Tên loại văn bản được dẫn, ví dụ: Kế hoạch")
    number: Annotated[str, BeforeValidator(lambda v: str(v) if isinstance(v, int) and not isinstance(v, bool) else v), AfterValidator(_clean)] = Field(
        description="Số văn bản, ví dụ: 36"
    )
    symbol: Text | None = Field(
        default=None,
        description="Ký hiệu, ví dụ: KH-UBND. Bỏ trống khi văn bản do chính cơ quan ban hành "
        "(ký hiệu được suy ra từ tên loại và chữ viết tắt của cơ quan)",
    )
    date: FullDate = Field(description="Ngày ban hành, dạng 2024-02-07")
    issuer: Text | None = Field(
        default=None,
        description="Cơ quan ban hành văn bản được dẫn, ví dụ: UBND tỉnh Quảng Ngãi. "
        "Bỏ trống khi là chính cơ quan ban hành kế hoạch này",
    )
    subject: Text | None = Field(default=None, description="Trích yếu của văn bản được dẫn")


class Cite(Model):
    """A citation inside a paragraph: {cite: key-of-references}."""

    cite: str = Field(description="Khóa của văn bản trong mục references")


class Emphasis(Model):
    """A piece printed in italics inside a paragraph: {italic: "(lồng ghép trong báo cáo …)"}."""

    italic: Fragment = Field(description="Đoạn chữ in nghiêng trong câu")


Segment = Union[Fragment, Cite, Emphasis]
Paragraph = Union[Text, list[Segment]]
"""A paragraph: plain text, or a list of text pieces, citations {cite: key} and italics {italic: …}."""


class Clause(Model):
    """Khoản "1. …": with a bold title ("1. Mục đích"), or untitled with its text on the number line."""

    title: Text | None = Field(default=None, description="Tiêu đề khoản (in đậm), ví dụ: Mục đích")
    text: Paragraph | None = Field(
        default=None, description="Nội dung ngay sau số thứ tự của khoản không có tiêu đề"
    )
    paragraphs: list[Paragraph] = Field(default_factory=list, description="Các đoạn văn")
    points: list[Paragraph] = Field(default_factory=list, description="Các điểm a), b), c)…")
    items: list[Paragraph] = Field(default_factory=list, description="Các ý gạch đầu dòng (-)")

    @model_validator(mode="after")
    def _not_empty(self) -> "Clause":
        if self.title is None and self.text is None:
            raise PydanticCustomError(
                "clause_empty", "khoản cần có title (tiêu đề) hoặc text (nội dung sau số thứ tự)"
            )
        return self


class Section(Model):
    """Mục "I. MỤC ĐÍCH, YÊU CẦU": Roman-numbered, printed in capitals."""

    title: Text = Field(description="Tên mục, ví dụ: Mục đích, yêu cầu (tự in hoa)")
    paragraphs: list[Paragraph] = Field(default_factory=list, description="Các đoạn văn đầu mục")
    clauses: list[Clause] = Field(default_factory=list, description="Các khoản 1., 2., …")


Authority = Literal["KT", "TM", "TL", "TUQ", "Q"]


class Signer(Model):
    """Người ký and thẩm quyền ký (ô 7a, 7b)."""

    name: Text = Field(description="Họ tên người ký, không ghi học hàm, học vị")
    title: Text = Field(description="Chức vụ của người ký, ví dụ: Giám đốc, Phó Giám đốc")
    authority: Authority | None = Field(
        default=None,
        description="Thẩm quyền ký: bỏ trống khi người đứng đầu ký; KT, TM, TL, TUQ hoặc Q",
    )
    head_title: Text | None = Field(
        default=None, description="Chức vụ người đứng đầu khi ký KT., TL., TUQ. (ví dụ: Giám đốc)"
    )
    collective: Text | None = Field(
        default=None, description="Tên tập thể khi ký TM. (ví dụ: Ủy ban nhân dân)"
    )

    @model_validator(mode="after")
    def _authority_needs(self) -> "Signer":
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


class Task(Model):
    """One row of the catalogue."""

    content: Paragraph = Field(description="Nội dung công việc")
    lead: list[UnitRef] = Field(default_factory=list, description="Đơn vị chủ trì (khóa hoặc tên)")
    support: list[UnitRef] = Field(default_factory=list, description="Đơn vị phối hợp (khóa hoặc tên)")
    time: Text | None = Field(default=None, description="Thời gian thực hiện")


class TaskGroup(Model):
    title: Text = Field(description="Tên nhóm nhiệm vụ (dòng I, II, … in đậm)")
    tasks: list[Task] = Field(default_factory=list)


DEFAULT_COLUMNS = (
    "STT",
    "Nội dung công việc",
    "Đơn vị chủ trì",
    "Đơn vị phối hợp",
    "Thời gian thực hiện",
)


class Appendix(Model):
    """Phụ lục / Danh mục kèm theo: a title block and the catalogue table, on its own pages."""

    title: Text = Field(default="Phụ lục", description="Dòng đầu, ví dụ: DANH MỤC hoặc Phụ lục")
    subtitle: Text | None = Field(default=None, description="Tên phụ lục, ví dụ: Nội dung công việc …")
    columns: tuple[Text, Text, Text, Text, Text] = Field(
        default=DEFAULT_COLUMNS, description="Tiêu đề 5 cột của bảng"
    )
    groups: list[TaskGroup] = Field(
        min_length=1, description="Các nhóm nhiệm vụ I, II, …; phụ lục không có nhóm nào thì bỏ cả phụ lục")


class Plan(Model):
    """Một Kế hoạch."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, title="Kế hoạch (kehoach)",
        json_schema_extra={"description": "Tệp dữ liệu một Kế hoạch theo Nghị định 30/2020/NĐ-CP"},
    )

    type: Literal[DocType.ke_hoach] = Field(
        default=DocType.ke_hoach, description="Tên loại văn bản (hiện hỗ trợ: Kế hoạch)"
    )
    agency: Agency
    number: DocNumber | None = Field(
        default=None, description="Số văn bản do văn thư cấp; bỏ trống khi là dự thảo"
    )
    date: IssueDate = Field(description="Ngày ban hành: 2024-03-20, hoặc 2024-03 khi chưa có ngày")
    subject: Text = Field(description="Trích yếu nội dung (dòng dưới chữ KẾ HOẠCH)")
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
    signer: Signer
    draft_mark: DraftMark = Field(
        default=DEFAULT_DRAFT_MARK,
        description="Dấu hiệu dự thảo in trong khung ở đầu trang 1 khi văn bản chưa có số và ngày "
        "(mặc định: DỰ THẢO); false để không in. Bản phát hành không bao giờ có dấu này",
    )
    appendices: list[Appendix] = Field(default_factory=list, description="Các phụ lục kèm theo")

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
    def year(self) -> int:
        return self.date.year

    @property
    def is_final(self) -> bool:
        return self.number is not None and self.date.complete
