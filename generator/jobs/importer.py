"""Import: a Kế hoạch made in Word (.docx) becomes a plan data file, keeping everything it says.

The one recogniser (generator.recognise, over the neutral generator.word.reader) gives the located
parts, paragraphs with their effective formatting;
this module only maps them to plan data: header parts, title, trích yếu, căn cứ, body blocks in
order (mục, khoản, điểm, "-"/"+" items, tables), closing, Nơi nhận, signer and appendices.

Rule of the house: a structure is derived (numbering, "- ", "(Kèm theo …)") only when deriving
it prints exactly what the original says; otherwise the piece is kept as text at its place and a
warning says where ("đoạn 25", "bảng 3, dòng 7"). No word of the original is dropped silently.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import limits
from ..errors import DataError, UserError
from ..nd30 import CLOSING_MARK, DOC_NUMBER_MAX, DOC_NUMBER_MIN
from ..nd30.names import abbreviates_a_level
from ..plan.loader import parse_yaml, validate
from ..plan.model import LOOKS, MAX_CO_SIGNERS
from ..plan.name_case import agency_case, heading_case, lines_case, title_case
from ..plan.table_rows import numbered_groups
from ..recognise import read_docx
from ..recognise.column_numbers import column_number_row, head_rows
from ..recognise.lines import (
    ARCHIVE_RE,
    COPY_FORM_RE,
    DASHES,
    DIEM_RE,
    ITEM_RE,
    KHOAN_RE,
    MUC_RE,
    SEPARATOR_RE,
    SUB_ITEM_RE,
    UNDER_NAME_CONTACT,
    UNDER_NAME_NOTE,
    UNDER_NAME_OTHER,
    UNDER_NAME_POST,
    Reference,
    addressee_entries,
    parse_authority,
    parse_reference,
    recipient_entries,
    type_qualifier,
    under_name,
)
from ..recognise.model import AppendixPart, KeHoach, SignerPart
from ..recognise.outline import DECREE_FORM, Outline
from ..text import number_vi, point_letter, roman, upper_vi
from ..word.notes import Note
from ..word.output import target as output_target
from ..word.reader import Para, Table as _Table, TableCell as _Cell, is_bold, is_italic, norm
from ..word.tables import Piece

GROUND = re.compile(r"^căn\s+cứ\b", re.I)
_CLOSING_MARK = re.compile(r"\s*[.,;:]+\s*$")
"""Punctuation closing a line of an agency's name: a slip (no name ends so), but for the dot of a level
written short ("TRUNG TÂM Y TẾ TP." over "HẢI PHÒNG": nd30.names.abbreviates_a_level)."""


def _without_closing_mark(line: str) -> str:
    """A line of an agency's name as Decree 30 prints it: without a mark closing it, the dot of an
    abbreviated level ending the line kept (it is part of the word, whatever follows it)."""
    mark = _CLOSING_MARK.search(line)
    if mark is None:
        return line
    kept = line[: mark.start()]
    words = kept.split()
    if mark.group().lstrip().startswith(".") and words and abbreviates_a_level(words[-1] + "."):
        return kept + "."
    return kept


def _this_year() -> str:
    """The date a plan gets while its own is unknown: the year the văn thư imports it in, to be filled."""
    return str(dt.date.today().year)


def _date_data(year: int, month: str | None, day: str | None) -> str:
    """A printed date as the data file writes it: 2026-03-12; 2026-03 or 2026 while day or month is blank."""
    if month and day:
        return f"{year}-{int(month):02d}-{int(day):02d}"
    return f"{year}-{int(month):02d}" if month else str(year)


@dataclass(frozen=True)
class ImportNote:
    """Something the importer could not place exactly: where it was and what it did instead."""

    where: str
    excerpt: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" + (f": «{self.excerpt}»" if self.excerpt else "")


@dataclass
class ImportResult:
    data: dict[str, Any]
    warnings: list[ImportNote] = field(default_factory=list)
    text: str = ""
    output: Path | None = None
    note: str | None = None  # LibreOffice converted the file: said once, as `check` says it


# --- the document as a stream of top-level blocks ----------------------------------------------


def _stream(doc: KeHoach) -> list[Para | _Table]:
    """Paragraphs outside tables and whole top-level tables, in document order. A nested table's
    text stays in the cell that holds it (it is part of that cell's content). The reader gives
    visual lines; the data keeps a paragraph with its manual breaks as one block."""
    out: list[Para | _Table] = []
    starts = {t.first: t for t in doc.tables}
    for p in doc.paragraphs:
        if p.cell is None:
            if p.line_no == 0:
                out.append(p.paragraph)
        elif p.index in starts:
            out.append(starts[p.index])
    return out


# --- text and emphasis -------------------------------------------------------------------------


def _chars(para: Para) -> list[Piece]:
    """Every printed character with its look; a footnote's or endnote's mark as one piece holding
    the note (its text with its looks, where it prints, its own mark)."""
    out = []
    for r in para.runs:
        fmt = r.fmt
        if fmt.hidden:
            continue
        position = fmt.vert_align if fmt.vert_align in ("superscript", "subscript") else ""
        for ch in r.text:
            out.append(Piece(ch, fmt.bold, fmt.italic, position))
        if r.note is not None and r.note.text:  # a note without text prints a lone number: nothing to keep
            runs = [piece for k, p in enumerate(r.note.paras) for piece in ([Piece("\n")] if k else []) + _runs(p)]
            out.append(Piece(r.note.text, note=Note(tuple(runs), r.note.endnote, r.note.mark)))
    return out


def _runs(para: Para) -> list[Piece]:
    """The paragraph's text as pieces of one look, runs of spaces collapsed as the reader does; a
    space takes the emphasis of the text before it, so spaces never split a piece, but not a raised
    or lowered look nor a note's (a space is never small: "m² và" keeps its space on the line). A
    line break stays a line break, with the space typed beside it (Word shows "A" / " B" as two
    words)."""
    chars = _chars(para)
    # Each piece's text as a list of strings joined once: adding to a str held in a list copies it
    # each time, quadratic on a paragraph of millions of characters.
    out: list[tuple[list[str], Piece]] = []
    newline = space = space_after_newline = False
    for c in chars:
        if not c.note and c.text.isspace():
            if out:
                if c.text == "\n":
                    newline = True
                elif newline:
                    space_after_newline = True
                else:
                    space = True
            continue
        gap = " " if space else ""
        if newline:
            gap += "\n" + (" " if space_after_newline else "")
        newline = space = space_after_newline = False
        last = out[-1][1] if out else None
        if gap and last is not None and (last.position or last.note):
            c = c._replace(text=gap + c.text) if not c.note else c
            if c.note:  # the space before a note's mark: on the line, in a piece of its own
                out.append(([gap], Piece(gap)))
        elif gap:
            out[-1][0].append(gap)
        if last is not None and not c.note and not last.note and last[1:] == c[1:] and out:
            out[-1][0].append(c.text)
        else:
            out.append(([c.text], c))
    return [look._replace(text="".join(t)) for t, look in out]


def _lines_of(para: Para, *, split_spaces: bool = False) -> list[str]:
    """The printed lines of one paragraph: split at line breaks, and (for header names typed as
    one paragraph) at runs of three or more spaces or a tab."""
    raw = "".join(r.text for r in para.runs if not r.fmt.hidden)
    pattern = r"\n|\s{3,}|\t" if split_spaces else r"\n"
    return [norm(x) for x in re.split(pattern, raw) if norm(x)]


TIMES = re.compile(r"times|\.vntime|vni-times", re.I)
"""Fonts with the widths of Times New Roman (word.metrics measures those): the Vietnamese 8-bit
Times faces are its copies."""


def _printed_lines(para: Para) -> list[list[str]]:
    """A header name's lines as printed: its typed lines (_lines_of), each as the lines Word wraps
    it on in its column (Word moves a word that does not fit whole to the next line). Measured
    only in a Times face, whose widths word.metrics knows; in another font a line is kept whole."""
    lines = _lines_of(para, split_spaces=True)
    runs = [r for r in para.runs if not r.fmt.hidden and r.text.strip()]
    room = (para.cell.width if para.cell is not None else para.width) / 20
    if para.fmt is not None:
        room -= (max(para.fmt.left, 0) + max(para.fmt.right, 0)) / 20
    fmt = runs[0].fmt if runs else None
    face = next((f for f in fmt.fonts.values() if f), "") if fmt is not None else ""
    if fmt is None or fmt.size is None or room <= 0 or not TIMES.search(face):
        return [[line] for line in lines]
    from ..word.metrics import text_width_pt

    def fits(text: str) -> bool:
        shown = upper_vi(text) if fmt.caps else text
        return text_width_pt(shown, fmt.size or 0, bold=fmt.bold) + fmt.spacing * len(shown) <= room

    out: list[list[str]] = []
    for line in lines:
        wrapped: list[str] = []
        current = ""
        for word in line.split(" "):
            trial = f"{current} {word}" if current else word
            if current and not fits(trial):
                wrapped.append(current)
                trial = word
            current = trial
        out.append([*wrapped, current])
    return out


def _plain(runs: list[Piece]) -> str:
    """The sentence's text: a note's text is not in it."""
    return "".join(r.text for r in runs if not r.note)


_LOOK_KEYS = {look: key for key, look in LOOKS.items()}


def _paragraph(runs: list[Piece], *, style_bold: bool = False, style_italic: bool = False) -> Any:
    """Plan data for a paragraph: a string, or pieces with {bold}/{italic}/{bold_italic} where the
    emphasis differs from what the target style already prints, {sup}/{sub} for raised and lowered
    text (with bold/italic flags where it differs so too) and {footnote} or {endnote} at a note's
    mark (its text with its own looks, its mark when the drafter chose one)."""
    pieces: list[Any] = []
    for text, b, i, position, note in runs:
        if note:
            pieces.append({"endnote" if note.endnote else "footnote": _paragraph(list(note.runs)),
                           **({"mark": note.mark} if note.mark else {})})
            continue
        b = b and not style_bold
        i = i and not style_italic
        if position:  # raised or lowered: its key, and its emphasis as flags
            raised = _LOOK_KEYS[(False, False, position)]
            piece: dict[str, Any] = {raised: text, **({"bold": True} if b else {}), **({"italic": True} if i else {})}
            last = pieces[-1] if pieces else None
            if isinstance(last, dict) and raised in last and {k: v for k, v in last.items() if k != raised} == \
                    {k: v for k, v in piece.items() if k != raised}:
                last[raised] += text
            else:
                pieces.append(piece)
            continue
        key = _LOOK_KEYS.get((b, i, position))
        if pieces and (key is None and isinstance(pieces[-1], str)):
            pieces[-1] += text
        elif pieces and key is not None and isinstance(pieces[-1], dict) and isinstance(pieces[-1].get(key), str):
            # (a raised piece's emphasis is a flag, {superscript: "2", italic: true}: no text to run on)
            pieces[-1][key] += text
        else:
            pieces.append(text if key is None else {key: text})
    if not pieces:
        return ""
    if len(pieces) == 1 and isinstance(pieces[0], str):
        return pieces[0]
    return pieces


def _cut_prefix(runs: list[Piece], n: int) -> list[Piece]:
    """The runs without their first n characters (a number or a dash that the tool derives); a
    note's mark is no character of the sentence: it stays."""
    out = []
    for r in runs:
        if r.note:
            out.append(r)
            continue
        if n >= len(r.text):
            n -= len(r.text)
            continue
        out.append(r._replace(text=r.text[n:]))
        n = 0
    first = next((k for k, r in enumerate(out) if not r.note), None)
    if first is not None:
        out[first] = out[first]._replace(text=out[first].text.lstrip())
    return [r for r in out if r.text]


def _cut(text: str, n: int = 70) -> str:
    text = text.replace("\n", "⏎")
    return text if len(text) <= n else text[: n - 1] + "…"


# --- the importer ------------------------------------------------------------------------------


class _Importer:
    def __init__(self, doc: KeHoach, issuing: KeHoach | None = None):
        self.doc = doc
        # The decision printed before the plan in the same file (recognise.attached): its date fills
        # what the plan's "(Ban hành kèm theo …)" line leaves blank.
        self.issuing = issuing
        self.stream = _stream(doc)
        self.notes: list[ImportNote] = []
        # Where names are written in normal case: every paragraph, the header's date line included;
        # not the signers' names ("Nguyễn Văn An" says nothing of "Sở Văn hóa") nor a copy's own block
        # (its people and places are the copying office's).
        copied = doc.copy_block[0].index if doc.copy_block else len(doc.paragraphs)
        people = {id(p) for p in [doc.signer_name, *(part.name for part in doc.co_signers)] if p is not None}
        # One paragraph a line: a table's cells side by side are no sentence (plan/name_case looks
        # for names inside sentences).
        self.corpus = "\n".join(p.text for p in doc.paragraphs[:copied] if id(p) not in people)
        self._literal_number = ""  # the last khoản number kept as text
        self._deep_warned = False  # numbering deeper than the plan nests was said once

    def warn(self, where: Para | _Table | str, excerpt: str, message: str) -> None:
        if isinstance(where, Para):
            place = f"đoạn {self.doc.origin.line + where.index + 1}"  # as the file counts its lines
        elif isinstance(where, _Table):
            place = f"bảng {where.number}"
        else:
            place = where
        self.notes.append(ImportNote(place, _cut(excerpt), message))

    # the whole document

    def read(self) -> dict[str, Any]:
        doc = self.doc
        if doc.not_administrative:
            raise UserError(_not_a_plan(doc, doc.not_administrative))
        if doc.document_type != "Kế hoạch":
            raise UserError(_not_a_plan(doc, f"đây là {doc.document_type}" if doc.document_type
                                        else "không tìm thấy tên loại KẾ HOẠCH dưới phần đầu"))
        header = self._header()
        i = self._after_title()
        # The Nơi nhận and the signer's block: one table, or (a joint document) the signers' table with
        # the Nơi nhận typed under it. The body ends where the first of them stands.
        sig_parts = [p for p in [doc.noi_nhan, *doc.recipients, *doc.signer_lines, doc.signer_name,
                                 *(q for part in doc.co_signers for q in part.paras)]
                     if p is not None] if doc.noi_nhan is not None else []
        sig_at = min(self._at(p) for p in sig_parts) if sig_parts else None
        sig_last = max(self._at(p) for p in sig_parts) if sig_parts else None
        body_end = sig_at if sig_at is not None else len(self.stream)
        if sig_at is None and doc.appendices:
            # No Nơi nhận: the body runs to the first appendix the recogniser found.
            body_end = self._at(doc.appendices[0].heading)
        data: dict[str, Any] = {"agency": header["agency"]}
        if header.get("number") is not None:
            data["number"] = header["number"]
        data["date"] = header["date"]
        if header.get("own_number") is False:
            data["own_number"] = False
        if doc.doc_type is not None and doc.doc_type_slip:
            self.warn(doc.doc_type, doc.doc_type.text, "tên loại in sai chính tả; đã đọc là “KẾ HOẠCH” (bản tạo "
                      "lại in đúng)")
        subject = [line for p in doc.subject_lines for line in _lines_of(p)]
        if doc.doc_type is not None and (more := type_qualifier(doc.doc_type.text)):
            # "KẾ HOẠCH HÀNH ĐỘNG": the words after the tên loại say what the plan is about; the plan
            # prints its tên loại alone, so they open the trích yếu, as printed, and it is said.
            subject.insert(0, more)
            self.warn(doc.doc_type, doc.doc_type.text, f"tên loại in kèm “{more}”; đưa “{more}” lên đầu trích "
                      "yếu (dòng tên loại chỉ ghi KẾ HOẠCH), hãy sửa subject nếu cần")
        if not subject:
            subject = ["…"]
            self.warn("sau tên loại", "", "không tìm thấy trích yếu")
        data["subject"] = subject if len(subject) > 1 else subject[0]
        if doc.subtitle:
            runs = [r for p in doc.subtitle for r in _runs(p) + [Piece(" ")]][:-1]
            data["subtitle"] = _paragraph(runs, style_italic=True)
        addressed = {id(p.paragraph) for p in doc.kinh_gui}
        if addressed:
            data["addressee"] = self._addressee()
        data.update(self._body([b for b in self.stream[i:body_end] if not (
            isinstance(b, Para) and id(b) in addressed) and not (isinstance(b, _Table) and all(
                id(p) in addressed for row in b.rows for c in row for p in c.paras if p.text))]))
        self._before_title(data)
        if sig_at is not None:
            data.update(self._signature(self.stream[sig_at]))
        else:
            self.warn("cuối văn bản", "", "không tìm thấy bảng Nơi nhận và chữ ký; người ký để trống "
                      "(điền signer.name, signer.title)")
            data["recipients"] = []
            data["signer"] = {"name": "…", "title": "…"}
        appendices = self._appendices(sig_last + 1 if sig_last is not None else body_end)
        if appendices:
            data["appendices"] = appendices
            self._derived_reference_lines(data)
        return data

    def _at(self, para: Para) -> int:
        """Where a paragraph sits in the stream (the table holding it, for a cell)."""
        if para.cell is None:
            return next(k for k, b in enumerate(self.stream) if b is para.paragraph)
        return next(k for k, b in enumerate(self.stream) if isinstance(b, _Table) and b.holds(para))

    def _derived_reference_lines(self, data: dict[str, Any]) -> None:
        """Drop an appendix's "(Kèm theo …)" line when the tool derives the very same line from the
        plan's number and date: the data then keeps them in one place."""
        from pydantic import ValidationError

        from ..document.context import appendix_reference_line
        from ..plan.model import Plan

        try:
            derived = norm(appendix_reference_line(Plan.model_validate(data)))
        except (ValidationError, ValueError):
            return
        for app in data["appendices"]:
            line = app.get("reference_line")
            if not isinstance(line, str):
                continue
            if norm(line) == derived:
                del app["reference_line"]
                continue
            # The same line but for how it names the issuer ("… của UBND tỉnh X)"): that name is
            # the issuer's short name, and the line is the tool's own again.
            ref = parse_reference(line)
            if ref is not None and ref.issuer and "short_name" not in data["agency"]:
                trial = {**data, "agency": {**data["agency"], "short_name": ref.issuer}}
                try:
                    if norm(appendix_reference_line(Plan.model_validate(trial))) == norm(line):
                        data["agency"]["short_name"] = ref.issuer
                        derived = norm(line)
                        del app["reference_line"]
                except (ValidationError, ValueError):
                    pass

    # header: agency, Số, date (found by the recogniser; here only turned into data)

    def _header(self) -> dict[str, Any]:
        doc = self.doc
        named = self._named_by()
        # The names as the page prints them: a long name typed on one line keeps the lines Word
        # wraps it on, as one text with its line breaks (one paragraph printed on those lines);
        # given one line, the renderer would balance it on other lines, and a reader could take
        # its first line for a parent agency.
        for p in [*named.parent_lines, *(q for block in named.issuers or [named.issuer_lines] for q in block)]:
            if any(_without_closing_mark(x).rstrip() != x.rstrip() for lines in _printed_lines(p) for x in lines):
                self.warn(p, p.text, "tên cơ quan có dấu câu ở cuối dòng (Nghị định 30 không in dấu câu sau tên "
                          "cơ quan ban hành): đã bỏ dấu đó")
        parent = self._names([lines for p in named.parent_lines for lines in _printed_lines(p)])
        # A joint document: each issuing agency's name, the lead one first (recognise.parts).
        issuers = [self._names([lines for p in block for lines in _printed_lines(p)])
                   for block in named.issuers or [named.issuer_lines]]
        name = issuers[0]
        line = doc.attached_to if doc.number_line is None else None  # the "(Ban hành kèm theo …)" line
        cited = line.issuer if line is not None else None
        if not name and line is not None and cited:
            # A plan issued with a decision, saved as a file of its own without its header: its
            # "(Ban hành kèm theo Quyết định số … của <issuer>)" line names who issues both. Said once,
            # since the line may shorten the name ("UBND tỉnh …") where the header prints it in full.
            name = [self._name(cited)]
            self.warn(doc.subtitle[0] if doc.subtitle else "phần đầu văn bản", line.text,
                      f"kế hoạch không in tên cơ quan ban hành (không có phần đầu): lấy “{name[0]}” từ dòng "
                      "ban hành kèm theo; kiểm tra agency.name (ghi đầy đủ, không viết tắt) và thêm agency.parent "
                      "nếu có cơ quan chủ quản")
        elif not name:
            self.warn("phần đầu văn bản", "", "không tìm thấy tên cơ quan ban hành" + (
                "; hãy điền agency.name (tên cơ quan ban hành quyết định ban hành kế hoạch)"
                if line is not None else ""))
            name = ["Cơ quan ban hành"]
        agency: dict[str, Any] = {}
        if parent:
            agency["parent"] = parent if len(parent) > 1 else parent[0]
        agency["name"] = name if len(name) > 1 else name[0]
        if issuers[1:]:
            agency["co_issuers"] = [n if len(n) > 1 else n[0] for n in issuers[1:]]
        header: dict[str, Any] = {"agency": agency}
        number = doc.number
        abbreviation = None
        if doc.attached_to is not None and doc.number_line is None:
            return self._attached_header(header, doc.attached_to)
        if number is not None:
            if number.number and DOC_NUMBER_MIN <= int(number.number) <= DOC_NUMBER_MAX:
                header["number"] = int(number.number)
            elif number.number:  # a slip ("Số: 0/…"): the rest of the plan is still read
                self.warn(doc.number_line or "phần đầu văn bản", number.text, f"số {number.number} ngoài khoảng "
                          f"{DOC_NUMBER_MIN}–{DOC_NUMBER_MAX}; để trống số, hãy điền number")
            if number.slip:  # "12a", "12/2026/KH-…": what can be read is, the rest said
                left = "; để trống số, hãy điền number" if number.written and number.number is None else ""
                self.warn(doc.number_line or "phần đầu văn bản", number.text, f"{number.slip}{left}")
            abbreviation = number.agency_abbr
            if number.type_abbr != "KH":
                self.warn(doc.number_line or "phần đầu văn bản", number.text,
                          f"ký hiệu {number.symbol} không bắt đầu bằng KH-")
        else:
            self.warn("phần đầu văn bản", "", "không tìm thấy dòng 'Số: …/KH-…'")
        if not abbreviation:
            self.warn(doc.number_line or "phần đầu văn bản", number.symbol if number else "",
                      "không đọc được chữ viết tắt của cơ quan trong ký hiệu; ghi tạm CQ, hãy sửa agency.abbreviation")
        agency["abbreviation"] = abbreviation or "CQ"
        date = doc.date
        if date is not None:
            agency["place"] = date.place or "…"
            where = doc.date_line or "phần đầu văn bản"
            if date.slip:
                self.warn(where, date.text, f"{date.slip}; đã đọc ngày tháng"
                          + ("" if date.place else ", hãy điền agency.place"))
            header["date"] = self._issue_date(where, date.text, date.year, date.month, date.day)
            if date.day and not date.month:
                self.warn(where, date.text, "có ngày mà không có tháng; bỏ ngày")
        else:
            self.warn("phần đầu văn bản", "", "không tìm thấy dòng địa danh, ngày tháng; hãy điền date và "
                      "agency.place")
            agency["place"] = "…"
            header["date"] = _this_year()
        self._unplaced_header_text()
        return header

    def _named_by(self) -> KeHoach:
        """The document whose header names the issuer: the plan's own, or, for a plan printed after the
        decision that issues it without a header of its own (its tên loại the first line of its page,
        recognise.attached), the decision's: the same agency issues both. Said once, with what was
        taken, so that the văn thư checks it."""
        doc, decision = self.doc, self.issuing
        if doc.issuer_lines or decision is None or not decision.issuer_lines:
            return doc
        taken = " / ".join(p.text for p in [*decision.parent_lines, *decision.issuer_lines])
        self.warn(doc.doc_type or "phần đầu văn bản", taken,
                  f"kế hoạch không in tên cơ quan ban hành (không có phần đầu riêng): lấy tên cơ quan từ "
                  f"{decision.document_type or 'văn bản'} ban hành kế hoạch in trước nó trong tệp; kiểm tra "
                  "agency.name" + (", agency.parent" if decision.parent_lines else ""))
        return decision

    def _issue_date(self, where: Para | str, text: str, year: int, month: str | None,
                    day: str | None) -> str:
        """The printed date as the data file writes it. A date no calendar has (29/02/2025, tháng 13:
        a typing slip the page shows as typed) keeps what the plan's model takes, without its day,
        then without its month, and a note says so: the rest of the plan is still imported. When not
        even its year can be a plan's, the year the văn thư imports in (said too)."""
        from pydantic import ValidationError

        from ..plan.model import IssueDate

        for k, (m, d) in enumerate(((month, day), (month, None), (None, None))):
            if k and (m, d) == (month, day):
                continue
            value = _date_data(year, m, d)
            try:
                IssueDate.model_validate(value)
            except ValidationError:
                continue
            if k:
                self.warn(where, text, f"ngày in trên văn bản không có thật; ghi {value}, hãy sửa date")
            return value
        self.warn(where, text, f"năm {year} in trên văn bản không thể là năm ban hành; ghi tạm {_this_year()}, "
                  "hãy sửa date")
        return _this_year()

    def _attached_header(self, header: dict[str, Any], decision: Reference) -> dict[str, Any]:
        """A plan issued with a decision ("(Ban hành kèm theo Quyết định số 25/QĐ-UBND ngày 12/3/2026 của
        …)" under the trích yếu, no Số line): it has no number or date of its own (Phụ lục III, Mẫu 1.3).
        The data says so (own_number: false) and keeps the line as the subtitle; its date is the
        decision's, and the issuer's abbreviation is the one in the decision's ký hiệu (QĐ-UBND)."""
        agency = header["agency"]
        header["own_number"] = False
        where = self.doc.subtitle[0] if self.doc.subtitle else "phần đầu văn bản"
        header["date"] = self._issue_date(where, decision.text, decision.year, decision.month, decision.day)
        printed = self.issuing.date if self.issuing is not None else None
        if printed is not None and printed.year == decision.year and printed.day and printed.month \
                and not decision.day and decision.month in (None, printed.month):
            # The decision printed before the plan is dated where the plan's line left blanks (the
            # văn thư dated the decision only): the plan's date is the decision's.
            header["date"] = self._issue_date("phần đầu văn bản", printed.text, printed.year, printed.month,
                                              printed.day)
        _, _, abbreviation = decision.symbol.partition("-")
        if not abbreviation:
            self.warn(self.doc.subtitle[0] if self.doc.subtitle else "phần đầu văn bản", decision.symbol,
                      "không đọc được chữ viết tắt của cơ quan trong ký hiệu của quyết định; ghi tạm CQ, hãy sửa "
                      "agency.abbreviation")
        agency["abbreviation"] = abbreviation or "CQ"
        date = self.doc.date
        if date is not None and date.place:
            agency["place"] = date.place
        elif printed is not None and printed.place:
            # The decision printed before the plan in the same file names the place the plan omits.
            agency["place"] = printed.place
        else:
            # Not printed on this document (no date line of its own); the model needs it for the
            # documents that do print it.
            agency["place"] = "…"
            self.warn("phần đầu văn bản", "", "văn bản ban hành kèm theo quyết định không có dòng địa danh, ngày "
                      "tháng (đúng thể thức); hãy điền agency.place (địa danh) nếu dùng tệp này cho văn bản khác")
        self._unplaced_header_text()
        return header

    def _unplaced_header_text(self) -> None:
        """Warn about text of the header block that is none of its parts (a note, a second date)."""
        doc = self.doc
        known = {id(p) for p in [*doc.parent_lines, *doc.issuer_lines, *doc.quoc_hieu_lines, doc.tieu_ngu,
                                 doc.number_line, doc.date_line, doc.doc_type, *doc.subject_lines, *doc.subtitle]
                 if p is not None}
        anchor = doc.quoc_hieu or doc.tieu_ngu or doc.number_line
        if anchor is None:
            return
        top = self._at(anchor)
        for b in self.stream[: top + 1]:
            paras = [p for row in b.rows for c in row for p in c.paras] if isinstance(b, _Table) else [b]
            for p in (line for q in paras for line in q.lines or [q]):
                if p.text and id(p) not in known and all(p is not q for q in doc.draft_marks) \
                        and not SEPARATOR_RE.match(p.text):
                    self.warn(p, p.text, "chữ ở phần đầu văn bản không thuộc thành phần nào; chưa đưa vào dữ liệu")

    def _name(self, caps: str) -> str:
        """A body's name printed in capitals, in the case Decree 30 writes it (plan/name_case)."""
        return agency_case(caps, self.corpus)

    def _names(self, paragraphs: list[list[str]]) -> list[str]:
        """The names of a header block (its paragraphs, each printed on some lines) cased as the one
        name they print together ("ỦY BAN NHÂN DÂN" / "TỈNH LÂM ĐỒNG": the second is no name's
        start), each paragraph its printed lines joined by line breaks."""
        # A stray closing mark ("SỞ VĂN HÓA.") is a slip the page shows; the name is printed without it.
        cased = iter(lines_case([_without_closing_mark(x) for lines in paragraphs for x in lines], agency_case,
                                self.corpus))
        return ["\n".join(next(cased) for _ in lines) for lines in paragraphs]

    def _addressee(self) -> list[str]:
        """The units the "Kính gửi" lines name (recognise.lines.addressee_entries)."""
        return addressee_entries([line for p in self.doc.kinh_gui for line in _lines_of(p)]) or ["…"]

    def _before_title(self, data: dict[str, Any]) -> None:
        """The lines printed between the header and the tên loại: "Căn cứ …" lines (some Ủy ban plans
        put their grounds there) go first among the grounds; anything else is said, not dropped."""
        grounds = []
        for p in self.doc.before_title:
            if any(p is q for q in self.doc.draft_marks) or SEPARATOR_RE.match(p.text):
                continue
            if GROUND.match(p.text):
                grounds.append(_paragraph(_runs(p), style_italic=True))
            else:
                self.warn(p, p.text, "chữ giữa phần đầu và tên loại văn bản không thuộc thành phần nào; "
                          "chưa đưa vào dữ liệu")
        if grounds:
            data["grounds"] = grounds + data.get("grounds", [])

    def _after_title(self) -> int:
        """The stream position after the tên loại, trích yếu and the line under it."""
        doc = self.doc
        last = [p for p in [doc.doc_type, *doc.subject_lines, *doc.subtitle] if p is not None]
        k = max(self._at(p) for p in last) + 1
        while k < len(self.stream):
            b = self.stream[k]
            if not (isinstance(b, Para) and (not b.text or SEPARATOR_RE.match(b.text))):
                break
            k += 1
        return k

    # body

    def _body(self, blocks: list[Para | _Table]) -> dict[str, Any]:
        grounds: list[Any] = []
        opening: list[Any] = []
        sections: list[dict[str, Any]] = []
        early_tables: list[dict[str, Any]] = []
        stack: list[_Container] = []
        outline = self.doc.outline
        if outline.forms:
            # One warning for the whole outline: each line so numbered is read and printed the same way.
            opened = min(outline.first.values(), key=lambda p: p.index)
            forms = ", ".join(DECREE_FORM[level] for level in outline.forms)
            self.warn(opened, opened.text, f"đánh số gõ theo dạng {outline.described}; đã đọc thành "
                      f"{', '.join(outline.forms)} như dạng Nghị định 30 và in lại theo mẫu ({forms})")
        part: list[str] | None = None  # the part heading waiting for its mục I
        in_part = counted = 0  # mục since the last part heading (a part numbers its mục from I); before it
        typed: set[str] = set()  # Roman numbers printed on lines not read as a mục, since the last mục
        items = [b for b in blocks if isinstance(b, _Table) or (b.text and not SEPARATOR_RE.match(b.text))]
        for b in blocks:
            if isinstance(b, Para) and b.text and SEPARATOR_RE.match(b.text):
                self.warn(b, b.text, "dòng kẻ bằng ký tự trong nội dung; bỏ qua (mẫu tự kẻ đường kẻ)")
        if (len(items) > 2 and isinstance(items[-1], Para) and items[-1].text.strip() == CLOSING_MARK
                and isinstance(items[-2], Para)):
            # The end mark typed as a paragraph of its own: the decree puts it right after the last
            # word, and the renderer does so; kept as a closing it would print alone on a line (and
            # could push the signature block onto a page of its own).
            items = items[:-1]
        closing = None
        if items and isinstance(items[-1], Para) and not sections_like(items[-1], outline) and len(items) > 1:
            last = items[-1]
            # Numbered as the outline reads it ("b. …" where the document numbers its điểm so): an
            # item of the body, not the closing sentence, whatever its last words.
            text = outline.decree_text(last.text)
            if not (ITEM_RE.match(text) or DIEM_RE.match(text) or KHOAN_RE.match(text) or SUB_ITEM_RE.match(text)):
                closing = _paragraph(_runs(last))
                items = items[:-1]
        for b in items:
            if isinstance(b, Para):
                heading = outline.part_at(b)
                if heading is not None:
                    # A part heading ("Phần thứ hai", its name): it opens the next mục, numbered I again.
                    part, counted, in_part = [line for q in heading for line in _lines_of(q)], in_part, 0
                    continue
                if outline.in_part_heading(b):
                    continue
                m = outline.muc_heading(b.text)
                # A slip in the count ("II." twice, a number skipped) is a mục's heading all the same,
                # numbered in turn by the template; a count started again at I is another part's. Only
                # where no Roman-numbered line was printed since the mục: after "III. Kinh phí" (kept as
                # text, not in capitals) "IV." is no skip, and after a list's "I. KẾT QUẢ…" its "II." is
                # no mục II typed twice.
                slip = m is not None and in_part > 0 and not typed and m.group("num") in (
                    roman(in_part), roman(in_part + 2))
                if m and (m.group("num") == roman(in_part + 1) or slip):
                    typed = set()
                    if slip:
                        self.warn(b, b.text, f"mục đánh số “{m.group('num')}.” ở vị trí mục {roman(in_part + 1)}; "
                                  f"đọc thành mục {roman(in_part + 1)} (mẫu đánh số mục liên tiếp)")
                    title = heading_case(norm(m.group("rest")), self.corpus)
                    sec: dict[str, Any] = {"title": title, "blocks": early_tables if not sections else []}
                    if part is not None:
                        sec = {"part": part if len(part) > 1 else part[0], **sec}
                        part = None
                    sections.append(sec)
                    in_part += 1
                    stack = [_Container(sec["blocks"], "")]
                    continue
                if (other := MUC_RE.match(outline.decree_text(b.text))) is not None:
                    typed.add(other.group("num"))
            if part is not None:
                # Something stands between the part heading and its mục I: the heading stays where it
                # prints, as bold lines, and the mục go on counting (said, not guessed).
                self.warn(b if isinstance(b, Para) else "nội dung", " / ".join(part),
                          "tiêu đề phần không đứng ngay trên mục I của phần; giữ thành dòng in đậm tại chỗ")
                held = [{"heading": line} for line in part]
                (stack[-1].blocks if sections else opening).extend(held)
                part, in_part = None, counted
            if not sections:
                if isinstance(b, _Table):
                    # A table before the first mục has no block to sit in (the opening is paragraphs):
                    # it goes first in mục I, said in a warning; the mục's numbering stays right.
                    first = next((p.text for row in b.rows for c in row for p in c.paras if p.text), "")
                    self.warn(b, first, "bảng trước mục I; đưa vào đầu mục I")
                    early_tables.append({"table": self._table(b)})
                    continue
                if GROUND.match(b.text) and is_italic(b) and not opening:
                    grounds.append(_paragraph(_runs(b), style_italic=True))
                    continue
                else:
                    opening.append(_paragraph(_runs(b)))
                    continue
            self._place(b, stack)
        if not sections:
            # A plan with no "I." mục: the text becomes one mục's paragraphs, kept in order.
            self.warn("nội dung", "", "không tìm thấy mục I., II., …; toàn bộ nội dung đưa vào một mục")
            sections = [{"title": "Nội dung", "blocks": [*opening, *early_tables] or ["…"]}]
            opening = []
        out: dict[str, Any] = {}
        if grounds:
            out["grounds"] = grounds
        if opening:
            out["opening"] = opening
        for sec in sections:
            _drop_empty_blocks(sec)
        out["sections"] = sections
        if closing is not None:
            out["closing"] = closing
        return out

    def _place(self, b: Para | _Table, stack: list[_Container], *, appendix: bool = False) -> None:
        """Put one block in the innermost scope that its numbering continues.

        The stack holds the open scopes: the mục (or an appendix, or a titled heading), then khoản
        ("1.", "1.1."), then an điểm ("a)"). A block the numbering does not continue is kept as
        text where it stands. Order is always kept: a block goes into the top scope, or into a
        lower one after the scopes above it are closed (they print before it)."""
        if isinstance(b, _Table):
            stack[-1].blocks.append({"table": self._table(b)})
            return
        runs = _runs(b)
        text = _plain(runs)
        decree = self.doc.outline.decree_text(text)
        if decree != text:  # "1/ Mục đích" read as "1. Mục đích" (recognise.outline)
            runs, text = _retyped(runs, decree), decree
        if appendix and MUC_RE.match(text):
            # In an appendix (an outline, a form) a Roman line heads a part with its own numbering.
            del stack[1:]
            heading = {"heading": _paragraph(runs, style_bold=True), "blocks": []}
            stack[0].blocks.append(heading)
            stack.append(_Container(heading["blocks"], "", "outline"))
            return
        m = KHOAN_RE.match(text)
        if m and self._clause(b, runs, m.group("num"), stack):
            return
        if m:
            # One warning per break in the numbering, not one per khoản that follows it.
            if not _follows(m.group("num"), self._literal_number):
                self.warn(b, text, "số thứ tự không liền mạch với khoản trước; giữ nguyên dạng chữ")
            self._literal_number = m.group("num")
            stack[-1].blocks.append(_paragraph(runs))
            return
        m = DIEM_RE.match(text)
        if m and self._point(b, runs, m.group("letter"), stack):
            return
        if m:
            hint = " (theo thứ tự tiếng Việt, sau d) là đ))" if m.group("letter") == "e" else ""
            self.warn(b, text, f"điểm không theo thứ tự a), b), c)…{hint}; giữ nguyên dạng chữ")
            stack[-1].blocks.append(_paragraph(runs))
            return
        container = stack[-1]
        last = container.blocks[-1] if container.blocks else None
        if ITEM_RE.match(text):
            entry = _paragraph(_cut_prefix(runs, 1))
            if isinstance(last, dict) and "items" in last:
                last["items"].append(entry)
            else:
                container.blocks.append({"items": [entry]})
            return
        if SUB_ITEM_RE.match(text) and isinstance(last, dict) and "items" in last:
            entry = _paragraph(_cut_prefix(runs, 1))
            prev = last["items"][-1]
            if not (isinstance(prev, dict) and "text" in prev):
                prev = {"text": prev, "items": []}
                last["items"][-1] = prev
            prev["items"].append(entry)
            return
        if is_bold(b) and not MUC_RE.match(text):
            container.blocks.append({"heading": _paragraph(runs, style_bold=True)})
            return
        if MUC_RE.match(text):
            self.warn(b, text, "mục số La Mã không liền mạch hoặc không in hoa; giữ nguyên dạng chữ")
        container.blocks.append(_paragraph(runs))

    def _clause(self, b: Para, runs: list[Piece], number: str, stack: list[_Container]) -> bool:
        depth = len(number.split("."))
        if depth > MAX_IMPORT_LEVELS:
            return self._kept_deep(b, runs, stack)
        # Khoản count from the innermost part that numbers from 1: the mục, a heading's part.
        start = max(k for k, c in enumerate(stack) if c.kind in PART_KINDS)
        levels = [k for k in range(start, len(stack)) if stack[k].kind != "point"]
        if depth > len(levels):
            return False
        at = levels[depth - 1]
        parent = stack[at]
        expected = f"{parent.prefix}{parent.clauses + 1}."
        if number + "." != expected:
            # Numbering that starts again at 1 right after a heading: the heading opens a part of
            # its own (forms and outlines number each part from 1).
            if number != "1":
                return False
            top = stack[-1]
            last = top.blocks[-1] if top.blocks else None
            # A part follows the part before it, beside it: when the innermost part is itself a
            # heading's (or a headless) part, the new one opens in that part's holder, the scopes
            # of the previous part closed (they print before it, so the order stays). Opened inside
            # the previous part instead, forty parts of a form nested forty deep, past the data
            # file's 64 levels, and the import was refused.
            home = start - 1 if stack[start].kind in ("heading", "part") else start
            heading = last if isinstance(last, dict) and "heading" in last and "blocks" not in last else None
            moved = heading is not None and home != start
            # Where the new part's scope lands: under the part's holder, or under the heading's scope.
            if (len(stack) if heading is not None and not moved else home + 1) > MAX_IMPORT_LEVELS:
                return self._kept_deep(b, runs, stack)
            if heading is not None:
                if moved:
                    top.blocks.pop()  # the heading was the last block of the scopes closed here
                    del stack[home + 1:]
                    stack[home].blocks.append(heading)
                heading["blocks"] = []
                stack.append(_Container(heading["blocks"], "", "heading"))
            else:
                # No heading to hang it on: a part of its own, printed as nothing but its content.
                del stack[home + 1:]
                part: dict[str, Any] = {"blocks": []}
                stack[home].blocks.append(part)
                stack.append(_Container(part["blocks"], "", "part"))
            return self._clause(b, runs, number, stack)
        if at + 1 > MAX_IMPORT_LEVELS:
            return self._kept_deep(b, runs, stack)
        del stack[at + 1:]
        parent.clauses += 1
        rest = _cut_prefix(runs, len(number) + 1)
        clause: dict[str, Any] = {}
        if is_bold(b):
            clause["clause"] = _paragraph(rest, style_bold=True)
        else:
            clause["text"] = _paragraph(rest)
        clause["blocks"] = []
        parent.blocks.append(clause)
        stack.append(_Container(clause["blocks"], expected, "clause"))
        return True

    def _kept_deep(self, b: Para, runs: list[Piece], stack: list[_Container]) -> bool:
        """A numbered paragraph deeper than the plan nests: kept whole (its number as typed) as a
        paragraph of the deepest scope, where it prints at the same place; said once, where it began."""
        if not self._deep_warned:
            self._deep_warned = True
            self.warn(b, _plain(runs), f"đánh số lồng nhau sâu hơn {MAX_IMPORT_LEVELS} cấp mà kế hoạch chứa được; "
                      f"từ đoạn này, các đoạn sâu hơn giữ nguyên dạng chữ (kèm số) ở cấp thứ {MAX_IMPORT_LEVELS}")
        stack[-1].blocks.append(_paragraph(runs))
        return True

    def _point(self, b: Para, runs: list[Piece], letter: str, stack: list[_Container]) -> bool:
        entry = {"text": _paragraph(_cut_prefix(runs, len(letter) + 1)), "blocks": []}
        # The next letter of an open điểm list: close that điểm, add this one beside it.
        for k in range(len(stack) - 1, 0, -1):
            if stack[k].kind == "point":
                holder = stack[k - 1].blocks[-1]
                if letter == point_letter(len(holder["points"])):
                    del stack[k:]
                    holder["points"].append(entry)
                    stack.append(_Container(entry["blocks"], stack[k - 1].prefix, "point"))
                    return True
                break
        if letter != "a":
            return False
        if len(stack) > MAX_IMPORT_LEVELS:
            self._kept_deep(b, runs, stack)
            return True
        top = stack[-1]
        top.blocks.append({"points": [entry]})
        stack.append(_Container(entry["blocks"], top.prefix, "point"))
        return True

    def _table(self, t: _Table) -> dict[str, Any]:
        """A Word table as a table block: header row as columns when it is a plain row, merged cells
        kept (gridSpan, vMerge), STT and group rows derived only when that reprints the same text."""
        rows = t.rows
        n = len(t.widths)
        # Rows spanned by each vertical merge: count the continuation cells under a restart.
        grid_rows: list[list[tuple[int, _Cell]]] = []
        for row in rows:
            col, placed = 0, []
            for c in row:
                placed.append((col, c))
                col += c.span
            grid_rows.append(placed)
        rowspans: dict[tuple[int, int], int] = {}
        for ri, placed in enumerate(grid_rows):
            for col, c in placed:
                if c.merge == "restart":
                    span = 1
                    for below in grid_rows[ri + 1:]:
                        cont = next((x for cc, x in below if cc == col and x.merge == "continue"), None)
                        if cont is None:
                            break
                        span += 1
                    rowspans[(ri, col)] = span
        # A header of several rows (titles over the columns they group, titles merged down beside
        # them): the rows above the columns' own titles are kept as the table's header_rows.
        deep = head_rows(t)
        header_ok = deep > 1 or bool(rows) and all(c.span == 1 and c.merge is None for c in rows[0]) \
            and len(rows[0]) == n and len(rows) > 1
        # The row of column numbers under the header ("(1) (2) …") is part of the head: kept as
        # the table's column_numbers, neither a data row nor a cell that sets a column's alignment.
        numbers_at = column_number_row(t) if header_ok else None
        numbers_at = numbers_at if numbers_at == deep else None  # right under the header the model holds
        head_rows_n = 0 if not header_ok else deep if numbers_at is None else numbers_at + 1
        columns: list[dict[str, Any]] = []
        total = sum(t.widths)
        for ci in range(n):
            column: dict[str, Any] = {"width": round(t.widths[ci] * 100 / total, 1) or 1}
            if header_ok:
                column["title"] = _heading(_cell_value(_title_cell(grid_rows[:deep], ci).paras, style_bold=True))
            column["align"] = _column_align([p for placed in grid_rows[head_rows_n:]
                                             for cc, c in placed if cc == ci for p in c.paras])
            columns.append(column)
        data_rows: list[list[Any]] = []
        for ri, placed in enumerate(grid_rows):
            if ri < head_rows_n:
                continue
            cells: list[Any] = []
            for col, c in placed:
                if c.merge == "continue":
                    continue
                cells.append(_spanned(_cell_value(c.paras), c.span, rowspans.get((ri, col), 1)))
            data_rows.append(cells)
        table: dict[str, Any] = {"columns": columns}
        if not header_ok:
            table["header"] = False
        if deep > 1:
            table["header_rows"] = [
                [_spanned(_heading(_cell_value(c.paras, style_bold=True)), c.span, rowspans.get((ri, col), 1))
                 for col, c in grid_rows[ri] if c.merge != "continue"]
                for ri in range(deep - 1)]
        if numbers_at is not None:
            table["column_numbers"] = [_cell_value(c.paras) for c in rows[numbers_at]]
        derived = numbered_groups(columns, data_rows) if header_ok else None
        if derived is not None:
            table.update(derived)
        else:
            table["rows"] = data_rows
        return table

    # signature

    def _signature(self, t: _Table | Para) -> dict[str, Any]:
        doc = self.doc
        recipients: list[str] = []
        archive: list[str] | None = None
        tail = doc.noi_nhan_rest
        raw_lines = ([tail] if tail else []) + [x for p in doc.recipients for x in _lines_of(p)]
        for line in recipient_entries(raw_lines):
            am = ARCHIVE_RE.match(line)
            if am:
                archive = [a.strip() for a in am.group("units").split(",") if a.strip()] or ["VT"]
                continue
            entry = re.sub(rf"^[{DASHES}]\s*", "", line).rstrip(";. ").strip()
            if entry:
                recipients.append(entry)
        out: dict[str, Any] = {"recipients": recipients}
        if archive is not None:
            out["archive"] = archive
        else:
            self.warn(t, "Nơi nhận", "không có dòng 'Lưu: …'; văn bản mới sẽ in '- Lưu: VT.'")
        for p in doc.signature_stand_ins:
            self.warn(p, p.text, "dòng thay chữ ký ở khoảng ký (bản công bố); không nhập: văn bản mới để trống "
                      "chỗ ký cho người có thẩm quyền")
        lead = SignerPart(doc.signer_lines, doc.signer_name, doc.after_name, rank=doc.signer_rank)
        out["signer"] = self._signer(lead, t)
        # A joint document (văn bản liên tịch): the other agencies' signers, left to right.
        co_signers = []
        for part in doc.co_signers:
            for p in part.stand_ins:
                self.warn(p, p.text, "dòng thay chữ ký ở khoảng ký (bản công bố); không nhập: văn bản mới để trống "
                          "chỗ ký cho người có thẩm quyền")
            co_signers.append(self._signer(part, part.paras[0]))
        if len(co_signers) > MAX_CO_SIGNERS:
            # More agencies than a portrait page sets side by side: the ones nearest the lead kept,
            # the others said with their lines.
            for part in doc.co_signers[:-MAX_CO_SIGNERS]:
                self.warn(part.paras[0], " / ".join(p.text for p in part.paras),
                          f"văn bản liên tịch có {len(co_signers) + 1} người ký; dữ liệu giữ tối đa {MAX_CO_SIGNERS} "
                          "người ký cùng ban hành (co_signers): chưa nhập khối này")
            co_signers = co_signers[-MAX_CO_SIGNERS:]
        if co_signers:
            out["co_signers"] = co_signers
        return out

    def _signer(self, part: SignerPart, t: _Table | Para) -> dict[str, Any]:
        heads = [x for p in part.lines for x in _lines_of(p)]
        if part.name is None:
            self.warn(t, " / ".join(heads), "không tìm thấy họ tên người ký; để '…'")
            name = "…"
        else:
            # A rank or academic title on its own line by the name is the name's, kept where printed.
            name = "\n".join(p.text for p in sorted([*part.rank, part.name], key=lambda q: q.index))
        # What each line under the name is, as `check` reads it (recognise.lines.under_name). A post
        # ("TRƯỞNG BAN XÂY DỰNG ĐẢNG", the signer's other office) belongs with the title, above the
        # signature: Decree 30 closes the block with the name.
        after = [(x, under_name(x)) for p in part.after_name for x in _lines_of(p)]
        posts = [x for x, kind in after if kind == UNDER_NAME_POST]
        if posts:
            self.warn(t, " / ".join(posts), "dòng chức vụ in dưới họ tên người ký; đưa lên phần chức vụ "
                      "(trên chữ ký): họ tên người ký là dòng cuối của phần ký")
        contacts = [x for x, kind in after if kind == UNDER_NAME_CONTACT]
        if contacts:
            # The drafter's telephone or e-mail: no part of the signature, nor of any field the plan holds.
            self.warn(t, " / ".join(contacts), "số điện thoại, thư điện tử in dưới họ tên người ký: không thuộc "
                      "phần ký (họ tên là dòng cuối); không nhập")
        kept = [x for x, kind in after if kind in (UNDER_NAME_NOTE, UNDER_NAME_OTHER)]
        if kept:
            # A note in brackets ("(ĐÓNG DẤU)") and other text stay right under the name, as printed;
            # what `check` will say of them, and the fix, said now.
            name = "\n".join([name, *kept])
            self.warn(t, " / ".join(kept), "dòng sau họ tên người ký; giữ ngay dưới họ tên trong signer.name, "
                      "kehoach check sẽ báo PL1.III.7.ho-ten.vi-tri (họ tên là dòng cuối của phần ký): "
                      "chức vụ thì chuyển lên signer.title, còn lại xóa khỏi signer.name nếu không cần in")
        signer: dict[str, Any] = {"name": name}
        auth = [parse_authority(x) for x in heads]
        forms = [a.form for a in auth]
        # Posts in the case running text writes them ("Phó Giám đốc"); the body a TM. signs for
        # as a name ("Ban Thường trực"). The signature prints both in capitals again.
        def case(caps: str) -> str:
            return title_case(caps, self.corpus)

        if forms == [None]:
            signer["title"] = case(heads[0])
        elif len(forms) == 2 and forms[0] in ("KT", "TL", "TUQ") and forms[1] is None:
            signer.update(authority=forms[0], head_title=case(auth[0].title), title=case(heads[1]))
        elif forms == ["TM", None]:
            signer.update(authority="TM", collective=self._name(auth[0].title), title=case(heads[1]))
        elif forms == ["TM", "KT", None]:
            signer.update(authority="TM", collective=self._name(auth[0].title), head_title=case(auth[1].title),
                          title=case(heads[2]))
        elif forms == ["Q"]:
            signer.update(authority="Q", title=case(auth[0].title))
        else:
            signer["lines"] = heads or ["…"]
        if posts and "lines" in signer:
            signer["lines"] = [*signer["lines"], *posts]
        elif posts:
            signer["title"] = "\n".join([signer["title"], *(case(x) for x in posts)])
        return signer

    # appendices

    def _appendices(self, begin: int) -> list[dict[str, Any]]:
        """The appendices where the recogniser found them (doc.appendices, what `check` reads too):
        each runs from its start to the next one's, in the stream of blocks."""
        doc = self.doc
        at = [max(self._at(a.heading), begin) for a in doc.appendices]
        last = len(self.stream)
        if doc.copy_block:
            form = next((p for p in doc.copy_block if COPY_FORM_RE.match(upper_vi(p.text))), doc.copy_block[0])
            self.warn(form, form.text, "phần của bản sao (hình thức sao, số, ngày, chữ ký, nơi nhận của bản sao) "
                      "sau văn bản; không nhập: dữ liệu là của văn bản được sao")
            last = self._at(doc.copy_block[0])
        repeated = [b for b in self.stream if isinstance(b, _Table) and any(b.holds(p) for p in doc.repeated_headers)]
        for b in repeated:
            self.warn(b, "", "phần đầu văn bản (Quốc hiệu, tên cơ quan) lặp lại ở trang phụ lục; không nhập: "
                      "phụ lục in theo mẫu, không lặp phần đầu")
        out = []
        for k, app in enumerate(doc.appendices):
            end = at[k + 1] if k + 1 < len(at) else last
            part = [b for b in self.stream[at[k]:end]
                    if (isinstance(b, _Table) or b.text) and all(b is not r for r in repeated)]
            if part:
                out.append(self._appendix(part, app))
        return out

    def _appendix(self, part: list[Para | _Table], found: AppendixPart) -> dict[str, Any]:
        """One appendix's data: its heading, name lines and reference line as the recogniser found
        them (found.head), and everything else in its blocks as its content."""
        app: dict[str, Any] = {}
        first = part[0]
        section = first.section
        if found.titled and (isinstance(first, Para) or first.holds(found.heading)):
            # A title printed in capitals is stored as Decree 30 writes the name ("PHỤ LỤC II" ->
            # "Phụ lục II"; `upper`, the default, prints it in capitals again); one in mixed case
            # is kept as typed and printed so. The heading may stand in a table that sets the head.
            title = found.heading.text
            app["title"] = heading_case(title, self.corpus)
            if upper_vi(title) != title:
                app["upper"] = False
        else:
            self.warn(first if isinstance(first, Para) else "sau chữ ký", getattr(first, "text", ""),
                      "nội dung sau chữ ký không có tiêu đề PHỤ LỤC; giữ thành một phụ lục không tiêu đề")
            app["title"] = "Phụ lục"
        subtitle = [norm(_plain(_runs(p))) for p in found.names if norm(_plain(_runs(p)))]
        if subtitle:
            app["subtitle"] = subtitle if len(subtitle) > 1 else subtitle[0]
        app["reference_line"] = found.reference.text if found.reference is not None else False
        # Kept as the page has it, but a render of it would fail Decree 30's appendix line (and
        # kehoach check of our own output): said once per appendix, with the way to the tool's line.
        where_head = first if isinstance(first, Para) else "phụ lục"
        if found.reference is None:
            self.warn(where_head, app["title"], "phụ lục không có dòng “(Kèm theo Kế hoạch số … ngày …)” "
                      "Nghị định 30 yêu cầu; dữ liệu giữ như bản gốc (reference_line: false) — xóa dòng "
                      "reference_line để in dòng đúng thể thức")
        elif parse_reference(found.reference.text) is None:
            self.warn(where_head, found.reference.text, "dòng kèm theo của phụ lục không theo dạng “(Kèm "
                      "theo Kế hoạch số …/… ngày …/…/… của …)”; giữ như bản gốc — xóa dòng reference_line "
                      "để in dòng đúng thể thức")
        head = {id(p.paragraph) for p in found.head}
        if found.titled and isinstance(first, Para):
            head.add(id(first))
        # A table that only holds the head's lines (the reference line boxed) is no content either.
        body = [b for b in part if not (isinstance(b, Para) and id(b) in head) and not (
            isinstance(b, _Table) and all(id(p) in head for row in b.rows for c in row for p in c.paras if p.text))]
        sec = self.doc.sections[min(section, len(self.doc.sections) - 1)]
        landscape = sec.width > sec.height
        if len(body) == 1 and isinstance(body[0], _Table):
            app["table"] = self._table(body[0])
            if not landscape:
                app["orientation"] = "portrait"
        else:
            stack = [_Container([], "")]
            for b in body:
                self._place(b, stack, appendix=True)
            app["blocks"] = stack[0].blocks or ["…"]
            _drop_empty_blocks(app["blocks"])
            if landscape:
                app["orientation"] = "landscape"
        return app


def _follows(number: str, previous: str) -> bool:
    """Whether "1.5" comes right after "1.4" (same depth, last part plus one)."""
    a, b = number.split("."), previous.split(".")
    return bool(previous) and len(a) == len(b) and a[:-1] == b[:-1] and int(a[-1]) == int(b[-1]) + 1


def _drop_empty_blocks(node: Any) -> None:
    """Remove the empty `blocks: []` a khoản or mục was opened with, and write an điểm with nothing
    under it as its text alone: the data file stays short."""
    if isinstance(node, dict):
        if node.get("blocks") == []:
            del node["blocks"]
        for v in node.values():
            _drop_empty_blocks(v)
        if "points" in node:
            node["points"] = [p["text"] if isinstance(p, dict) and set(p) == {"text"} else p
                              for p in node["points"]]
    elif isinstance(node, list):
        for v in node:
            _drop_empty_blocks(v)


PART_KINDS = ("section", "outline", "heading", "part")
"""Scopes whose khoản are numbered from 1."""

MAX_IMPORT_LEVELS = limits.MAX_BLOCK_LEVELS
"""Scopes nested under a mục or an appendix (khoản in khoản, điểm, parts)."""


@dataclass
class _Container:
    blocks: list[Any]
    prefix: str  # the number of the khoản holding these blocks ("1."), "" for a mục
    kind: str = "section"  # section (a mục, an appendix), outline (an appendix's Roman part), heading
    # (a bold heading's part numbered from 1), part (such a part without heading), clause, point
    clauses: int = 0


def sections_like(p: Para, outline: Outline) -> bool:
    return bool(MUC_RE.match(outline.decree_text(p.text)))


def _retyped(runs: list[Piece], text: str) -> list[Piece]:
    """The runs with their characters replaced one for one by text (as long as they are): a
    number retyped in Decree 30's form keeps each run's emphasis; a note's mark stays."""
    out, at = [], 0
    for r in runs:
        if r.note:
            out.append(r)
            continue
        out.append(r._replace(text=text[at:at + len(r.text)]))
        at += len(r.text)
    return out


def _cell_value(paras: list[Para], *, style_bold: bool = False) -> Any:
    lines = [_paragraph(_runs(p), style_bold=style_bold) for p in paras]
    lines = [x for x in lines if x]
    if not lines:
        return None
    if len(lines) == 1:
        return lines[0]
    return {"lines": lines}


def _spanned(value: Any, span: int, rowspan: int) -> Any:
    """A cell's value, as {text, span, rowspan} when it is merged across or down."""
    if span == 1 and rowspan == 1:
        return value
    spec: dict[str, Any] = {"text": value}
    if span > 1:
        spec["span"] = span
    if rowspan > 1:
        spec["rowspan"] = rowspan
    return spec


def _title_cell(head: list[list[tuple[int, _Cell]]], ci: int) -> _Cell:
    """The cell that prints column ci's title: the lowest header row's cell over it, or the cell
    merged down into that row from above."""
    for placed in reversed(head):
        cell = next(c for col, c in placed if col <= ci < col + c.span)
        if cell.merge != "continue":
            return cell
    return cell  # a merge with no start: the top row's continuation (empty), as printed


def _heading(value: Any) -> Any:
    """A column heading of one paragraph as one name: the line breaks in it (ours, balanced for its
    column) joined by spaces, and the renderer breaks it for its column again. A heading typed as
    several paragraphs keeps them: the drafter chose those lines, and the renderer prints them so."""
    if isinstance(value, str):
        return " ".join(value.split())
    return value


def _column_align(paras: list[Para]) -> str:
    names = {"center": "center", "right": "right", "both": "justify", "distribute": "justify"}
    counts: dict[str, int] = {}
    for p in paras:
        if p.text and p.fmt is not None:
            a = names.get(p.fmt.align, "left")
            counts[a] = counts.get(a, 0) + 1
    return max(counts, key=lambda a: counts[a]) if counts else "left"


def _not_a_plan(doc: KeHoach, what: str) -> str:
    if doc.annex_of and doc.annex_of.startswith("Kế hoạch"):
        # An annex of a plan is imported with its plan, from the file that prints both.
        return (f"{doc.source}: {what}; hãy nhập tệp in {doc.annex_of} cùng phụ lục này (phụ lục in cùng tệp "
                "với kế hoạch được nhập vào danh mục kèm theo của kế hoạch)")
    if doc.not_administrative:  # no administrative document (an annex alone, a party's): check refuses it too
        return f"{doc.source}: không phải Kế hoạch ({what}); lệnh import chỉ đọc văn bản Kế hoạch"
    return (f"{doc.source}: không phải Kế hoạch ({what}); lệnh import chỉ đọc văn bản Kế hoạch. "
            "Kiểm tra thể thức văn bản khác bằng 'kehoach check'")


def _importer_of(doc: KeHoach) -> _Importer:
    """What a file's import reads. A file that prints a decision and then, on a new page, the plan it
    issues (recognise.attached): the plan, as its own file would give it; the decision is said once,
    with its number and date as printed, and not read. A decision issuing another kind of document (a
    Quy chế, a list) is no plan: refused as a decision is. A plan followed by a document it issues:
    the plan, the other said (never dropped unseen)."""
    issued = doc.attached
    if issued is None:
        return _Importer(doc)
    if doc.document_type == "Kế hoạch":
        importer = _Importer(doc)
        importer.notes.append(ImportNote(
            f"đoạn {doc.attached_line + 1}", "", f"sau kế hoạch là {issued.document_type} ban hành kèm theo kế "
            "hoạch (trang mới, phần đầu riêng); không nhập văn bản đó"))
        return importer
    if issued.document_type != "Kế hoạch":
        raise UserError(_not_a_plan(doc, f"đây là {doc.document_type}, văn bản ban hành kèm theo là "
                                         f"{issued.document_type}"))
    importer = _Importer(issued, doc)
    kind = doc.document_type or "văn bản"
    number, date = doc.number, doc.date
    name = f"{kind} số {(number.number or '…') if number else '…'}/{number.symbol if number else '…'}"
    if date is not None:
        name += f" ngày {date.day or '…'}/{date.month or '…'}/{date.year}"
    importer.notes.append(ImportNote(
        f"đoạn 1–{doc.attached_line}", "",
        f"tệp mở đầu bằng {name} ban hành kế hoạch (đến hết chữ ký, nơi nhận); chỉ nhập Kế hoạch ban hành kèm "
        f"theo, từ đoạn {doc.attached_line + 1}; nội dung {kind.lower()} không đưa vào dữ liệu"))
    return importer


# --- public calls ------------------------------------------------------------------------------


def import_docx(path: str | Path) -> ImportResult:
    """Read a Kế hoạch .docx into plan data (plain dicts and lists) and the warnings."""
    path = Path(path)
    if not path.exists():
        raise UserError(f"{path}: không tìm thấy tệp")
    from .. import limits

    with limits.read_budget(path):  # a .docx comes from anyone: read within the read budget
        _refuse_too_many_paragraphs(path)
        importer = _importer_of(read_docx(path))
        data = importer.read()
    from ..word.formats import converted_note

    converted = importer.doc.converted_from
    return ImportResult(data, importer.notes, note=converted and converted_note(converted, str(path), "nhập"))


def _values(data: Any) -> int:
    """Values (mappings, lists, texts, numbers; not keys) the data file will hold, as the loader
    counts them against limits.MAX_YAML_NODES; walked without recursion."""
    count, todo = 0, [data]
    while todo:
        node = todo.pop()
        count += 1
        if isinstance(node, dict):
            todo.extend(node.values())
        elif isinstance(node, list):
            todo.extend(node)
    return count


def _refuse_too_many_paragraphs(path: Path) -> None:
    """Refuse, before any XML is parsed, a .docx with more paragraphs than a data file can hold:
    read whole, it took minutes and gigabytes only to be refused by the loader's value budget."""
    from ..word.formats import paragraphs

    # A .doc, .odt, .rtf, web page or Word XML counted in the .docx LibreOffice makes of it (an .rtf's,
    # .odt's or page's own count first), as a .docx is (word/formats.py).
    count = paragraphs(path, str(path), enough=limits.MAX_IMPORT_PARAGRAPHS)
    if count > limits.MAX_IMPORT_PARAGRAPHS:
        raise UserError(f"{path}: tệp có {number_vi(count)} đoạn văn, quá "
                        f"{number_vi(limits.MAX_IMPORT_PARAGRAPHS)} đoạn mà lệnh import chuyển được thành tệp dữ "
                        "liệu (kế hoạch 10.000 nhiệm vụ có khoảng 50.000 đoạn); chưa đọc, chưa ghi tệp nào. "
                        f"{SPLIT_HINT}")


SPLIT_HINT = ("Nếu đây đúng là kế hoạch, hãy tách bảng phụ lục lớn ra bảng tính rồi nhập riêng bằng "
              "'kehoach import TỆP.xlsx'")
"""What to do with a plan too large to import whole: its big catalogue comes in from a spreadsheet."""


def _sheet_yaml(data: dict[str, Any], source_name: str) -> str:
    head = (f"# Phụ lục nhập từ {source_name} bằng lệnh `kehoach import`.\n"
            "# Chép mục dưới appendices vào mục appendices của tệp kế hoạch; hoặc để bảng tính là nguồn:\n"
            f"#   table: {{sheet: {source_name}}}\n\n")
    return head + dump_yaml(data, source_name).split("\n\n", 1)[1]


def dump_yaml(data: dict[str, Any], source_name: str) -> str:
    from ruamel.yaml import YAML

    y = YAML()
    y.width = 100_000
    y.indent(mapping=2, sequence=4, offset=2)
    buf = io.StringIO()
    buf.write(f"# Nhập từ {source_name} bằng lệnh `kehoach import`.\n"
              "# Kiểm tra các cảnh báo đã in ra; trích dẫn văn bản đang là chữ thường, có thể chuyển "
              "sang mục references.\n\n")
    y.dump(data, buf)
    return buf.getvalue()


def sheet_names(path: str | Path) -> list[str]:
    """The sheets of a spreadsheet, in order, for a person to choose the catalogue from; judged by
    the spreadsheet guard before a reader opens it (a .csv is one sheet, named by the file)."""
    from ..word.sheet_guard import SheetError, open_zip, read_file, read_part, scan_ods

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return [path.stem]
    if suffix not in (".xlsx", ".xlsm", ".ods"):
        raise SheetError(f"{path}: chỉ liệt kê được trang tính của tệp .xlsx, .ods, .csv")
    data = read_file(path, limits.MAX_SHEET_BYTES)
    zf = open_zip(data, str(path), suffix, path)
    try:
        if suffix == ".ods":
            scan_ods(read_part(zf, "content.xml", str(path)), str(path))
            from python_calamine import CalamineWorkbook

            return list(CalamineWorkbook.from_filelike(io.BytesIO(data)).sheet_names)
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            return list(book.sheetnames)
        finally:
            book.close()
    except SheetError:
        raise
    except Exception:  # noqa: BLE001 - a reader's error on a damaged file: the file is the cause
        raise SheetError(f"{path}: không đọc được bảng tính: tệp hỏng; hãy mở bằng Excel hoặc LibreOffice rồi "
                         "lưu lại") from None


def import_sheet(path: str | Path, sheet: str | None = None) -> ImportResult:
    """A spreadsheet catalogue as an appendix entry ({appendices: [...]}) to paste into a plan."""
    from ..plan.model import Appendix
    from ..plan.sheets import read_sheet

    read = read_sheet(path, sheet)
    app: dict[str, Any] = {"title": read.titles[0] if read.titles else "Phụ lục"}
    if len(read.titles) > 1:
        app["subtitle"] = read.titles[1:]
    app["table"] = read.table
    try:
        Appendix.model_validate(app)
    except Exception as exc:  # pydantic's ValidationError: the sheet gave something we cannot print
        raise UserError(f"{path}: bảng tính đọc được chưa thành phụ lục hợp lệ ({exc})") from None
    return ImportResult({"appendices": [app]})


def _plain_text(path: Path) -> bool:
    """A readable file whose first bytes are text, not a document's package or OLE header."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(512)
    except OSError:
        return False
    return bool(head) and b"\x00" not in head and not head.startswith((b"PK", b"{\\rtf"))


def import_file(docx_path: str | Path, out: str | Path | None = None, *, force: bool = False,
                sheet: str | None = None) -> ImportResult:
    """Read a .docx (or a spreadsheet catalogue) and write the data file: the library call behind
    `kehoach import`."""
    from ..plan.sheets import SPREADSHEET_SUFFIXES

    source = Path(docx_path)
    if out is None and source.suffix.lower() in (".yaml", ".yml") and _plain_text(source):
        # The data file given to import (its own name would be the output): said for what it is,
        # not as an output that would overwrite the input.
        raise UserError(f"{source}: đây đã là tệp dữ liệu kế hoạch, không phải văn bản Word; lệnh import đọc "
                        f"văn bản Word (.docx, .doc, .odt, .rtf, trang web, Word XML) thành tệp dữ liệu. Tệp này "
                        f"dùng thẳng: "
                        f"kehoach render {source}")
    target = Path(out) if out else source.with_suffix(".yaml")
    if target.suffix.lower() not in (".yaml", ".yml"):
        raise UserError(f"{target}: tệp dữ liệu phải có đuôi .yaml")
    # Decided on the real path before reading (missing/../SOURCE is the source), written last.
    output = output_target(target, inputs=[source])
    output.refuse_taken(force)
    if source.suffix.lower() in SPREADSHEET_SUFFIXES:
        result = import_sheet(source, sheet)
        result.text = _sheet_yaml(result.data, source.name)
        result.output = output.save(result.text.encode("utf-8"), force=force)
        return result
    result = import_docx(source)
    values = _values(result.data)
    if values > limits.MAX_YAML_NODES:
        # Said here, of the .docx, rather than by the loader of a data file never written.
        raise UserError(f"{source}: nội dung đọc được thành {number_vi(values)} giá trị, quá "
                        f"{number_vi(limits.MAX_YAML_NODES)} giá trị một tệp dữ liệu chứa được; chưa ghi tệp nào. "
                        + SPLIT_HINT)
    result.text = dump_yaml(result.data, source.name)
    try:
        validate(parse_yaml(result.text, str(target)))
    except DataError as exc:
        raise UserError("dữ liệu đọc được chưa hợp lệ, chưa ghi tệp:\n"
                        + "\n".join(str(p) for p in exc.problems)) from None
    result.output = output.save(result.text.encode("utf-8"), force=force)
    return result
