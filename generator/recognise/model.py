"""The parts of one administrative document as the recogniser located them: the one result that
`check` and `import` both consume (a data file builds the same model from its derived strings,
without formatting, so the content rules run on both)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..word.reader import Line, Origin, PageSection, Para, Table
from .lines import NOI_NHAN_RE, DateLine, NumberLine, Reference, parse_date_line, parse_number_line
from .outline import Outline, read_outline


@dataclass
class CatalogueRow:
    """One row of an appendix's catalogue table, read by its STT cell: "I" a group, "1" a task."""

    number: str  # the STT as written ("I", "II.", "1", "STT" in the header row)
    para: Para  # the row's text cell (the group title or the task content), for locating it


@dataclass
class AppendixPart:
    """An appendix as located: its heading line, its name (`titles`: the name lines the rules judge,
    without a "(Trích …)" line; `names`: all of them), its "(Kèm theo …)" reference line, its
    catalogue's rows; the import keeps what is after `head` as its content."""

    section: int
    heading: Para
    titles: list[Para]
    reference: Para | None
    rows: list[CatalogueRow] = field(default_factory=list)
    own_section: bool = True  # False: it follows the signature in the body's section (numbering runs on)
    titled: bool = True  # False: text after the signature with no appendix heading (heading = its first line)
    sections: list[int] = field(default_factory=list)  # every section it prints in (a form may turn the page)
    names: list[Para] = field(default_factory=list)  # every line between the heading and the reference line
    head: list[Para] = field(default_factory=list)  # heading, names and reference line: what is not its content


@dataclass
class SignerPart:
    """One signer's block as printed (ô 7a, 7b, 7c): the authority and title lines in capitals, the
    name under the signing space, a rank or academic title printed on a line of its own by the name
    (the name's), lines printed under the name, and what a published copy prints in the signing
    space ("(Đã ký)"). A joint document (văn bản liên tịch) has one per signing agency."""

    lines: list[Para]
    name: Para | None
    after_name: list[Para] = field(default_factory=list)
    stand_ins: list[Para] = field(default_factory=list)
    rank: list[Para] = field(default_factory=list)  # a rank or academic title on its own line by the name

    @property
    def paras(self) -> list[Para]:
        """Every line of the block, in the order printed."""
        return sorted([*self.lines, *([self.name] if self.name else []), *self.rank, *self.after_name,
                       *self.stand_ins],
                      key=lambda p: p.index)


@dataclass
class KeHoach:
    """The located parts of one administrative document (named after the type we render). A None part
    was not found. Lists keep the paragraphs of a part printed on several lines."""

    source: str
    formatted: bool  # False for a data file: only content rules apply
    paragraphs: list[Para] = field(default_factory=list)
    sections: list[PageSection] = field(default_factory=list)
    origin: Origin = field(default_factory=Origin)  # where its lines stand in the file that prints them
    parent_lines: list[Para] = field(default_factory=list)  # cơ quan chủ quản, each line as printed
    issuer_lines: list[Para] = field(default_factory=list)  # cơ quan ban hành ("ỦY BAN NHÂN DÂN", "TỈNH X")
    issuers: list[list[Para]] = field(default_factory=list)  # issuer_lines by agency, the lead first (joint: several)
    quoc_hieu: Para | None = None
    quoc_hieu_lines: list[Para] = field(default_factory=list)  # the lines it is printed on (two when broken)
    quoc_hieu_slip: bool = False  # the Quốc hiệu printed with a typing slip ("NGHỈA", a closing ".")
    tieu_ngu: Para | None = None
    number_line: Para | None = None
    date_line: Para | None = None
    doc_type: Para | None = None  # the tên loại line ("KẾ HOẠCH"); None for a công văn
    document_type: str | None = None  # "Kế hoạch", "Công văn", … recognised from the document
    doc_type_slip: bool = False  # the tên loại printed with a typing slip ("KẾ HOACH", a closing ".")
    not_administrative: str | None = None  # why the file is not an administrative document
    annex_of: str | None = None  # an annex printed as a file of its own: the document it names ("Kế hoạch số …/KH-X")
    subject_lines: list[Para] = field(default_factory=list)  # trích yếu (or "V/v …" of a công văn)
    subject_slip: bool = False  # a công văn's "V/v" typed with a slip ("V.v", "Vê việc")
    subtitle: list[Para] = field(default_factory=list)  # "(Ban hành kèm theo …)" under the trích yếu
    before_title: list[Para] = field(default_factory=list)  # lines between the header and the tên loại
    draft_marks: list[Para] = field(default_factory=list)  # "DỰ THẢO", "Dự thảo lần 2" atop the first page
    attached_to: Reference | None = None  # the decision a document is issued with (its subtitle cites it)
    # The document this one issues, printed after its signature on a new page of the same file
    # (recognise.attached), its lines numbered from its own first line; and that line's place in the file.
    attached: KeHoach | None = field(default=None, repr=False)
    attached_line: int = 0
    kinh_gui: list[Para] = field(default_factory=list)
    body: list[Para] = field(default_factory=list)
    noi_nhan: Para | None = None
    recipients: list[Para] = field(default_factory=list)
    signer_lines: list[Para] = field(default_factory=list)  # authority and title lines
    signer_name: Para | None = None
    signer_rank: list[Para] = field(default_factory=list)  # "Đại tá" printed on its own line by the name
    signature_stand_ins: list[Para] = field(default_factory=list)  # "(Đã ký)" in the signing space
    co_signers: list[SignerPart] = field(default_factory=list)  # a joint document's other signers, left to right
    after_name: list[Para] = field(default_factory=list)  # lines printed under the signer's name
    appendices: list[AppendixPart] = field(default_factory=list)
    copy_block: list[Para] = field(default_factory=list)  # a bản sao's own block after the document
    repeated_headers: list[Para] = field(default_factory=list)  # the header repeated atop an appendix's page
    lines: dict[str, Line | None] = field(default_factory=dict)
    table_texts: list[Para] = field(default_factory=list)  # appendix table cells, for content rules
    tables: list[Table] = field(default_factory=list)  # top-level tables, in order
    one_page: bool = False  # the whole document prints on its first page (word.reader.fits_one_page)
    converted_from: str | None = None  # what LibreOffice converted to the .docx read (word/formats.py)
    # The part headings when the maker of the model knows them (a data file's derived lines); None:
    # the outline finds them in the body.
    part_heads: list[list[Para]] | None = None
    _outline: Outline | None = field(default=None, repr=False, compare=False)

    @property
    def outline(self) -> Outline:
        """The body's outline (recognise.outline): numbering forms and part headings, read once."""
        if self._outline is None:
            self._outline = read_outline(self.body, formatted=self.formatted, part_heads=self.part_heads)
        return self._outline

    def table_of(self, para: Para) -> Table | None:
        """The top-level table that holds a paragraph line (None outside tables)."""
        return next((t for t in self.tables if t.holds(para)), None)

    @property
    def section_count(self) -> int:
        return max(len(self.sections), 1)

    @property
    def agency(self) -> Para | None:
        """The issuer's last line (where its line is drawn); see issuer_lines for all of it."""
        return self.issuer_lines[-1] if self.issuer_lines else None

    @property
    def subject(self) -> Para | None:
        return self.subject_lines[0] if self.subject_lines else None

    @property
    def issuer_name(self) -> str:
        return " ".join(p.text for p in self.issuer_lines)

    @property
    def parent_name(self) -> str:
        return " ".join(p.text for p in self.parent_lines)

    @property
    def number(self) -> NumberLine | None:
        return parse_number_line(self.number_line.text) if self.number_line is not None else None

    @property
    def date(self) -> DateLine | None:
        return parse_date_line(self.date_line.text) if self.date_line is not None else None

    @property
    def noi_nhan_rest(self) -> str:
        """What is typed after "Nơi nhận:" on its own line (a first recipient), "" when nothing."""
        return NOI_NHAN_RE.sub("", self.noi_nhan.text).strip() if self.noi_nhan is not None else ""
