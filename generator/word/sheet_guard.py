"""A spreadsheet checked before any reader parses it, as a .docx is (generator.word.package).

Why: openpyxl and python-calamine build every cell a file declares. An .ods of 900 bytes can declare
99 million repeated cells (calamine then aborts the whole process, which no `except` catches: it
would kill `kehoach serve`), one merge over a whole .xlsx sheet makes openpyxl create 17 billion
cell objects, a 1 MB .xlsx can inflate one part to 1 GiB. So the file is judged from what it
declares: its size, the zip's central directory (entries, declared sizes, ratio), the area a
sheet's used cells span, the cells under its merges and the repeats of an .ods, each counted
from the bytes, before any cell object exists. Every refusal is a Vietnamese message naming the
file (SheetError, exit 2).
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import html
import io
import itertools
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import limits
from ..errors import UserError
from ..text import number_vi
from .ods_styles import GENERAL, OdsStyles
from .package import EXCEL_OWNER, check_members, owner_file_said, read_bounded

ZIP_SUFFIXES = (".xlsx", ".xlsm", ".ods")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class SheetError(UserError):
    """A spreadsheet that cannot become a table; the message names the file, the sheet and the cell."""


@dataclass(frozen=True)
class SheetUse:
    """What a spreadsheet is read as, in the words its size refusal uses: every use is bounded by
    the same count (limits.MAX_SHEET_CELLS, before any reader builds a cell); what the clerk is told
    the sheet should be, and what to do, is the use's (CATALOGUE here; the progress and units
    readers word their own, jobs/progress.py and jobs/units_sheet.py)."""

    too_big: str  # after the count: "quá lớn để làm phụ lục"
    remedy: str  # the sentence that follows


CATALOGUE = SheetUse("quá lớn để làm phụ lục",
                     "Hãy chép riêng danh mục cần in sang một trang tính hoặc tệp mới")


class SheetTooBig(SheetError):
    """A sheet refused for its size, worded for a catalogue; the place and the count are kept so a
    reader of another kind of sheet says it for its own use (`said_as`)."""

    def __init__(self, label: str, sheet: str | None, counted: str, use: SheetUse = CATALOGUE):
        self.label, self.sheet, self.counted = label, sheet, counted
        where = f"trang tính '{sheet}' " if sheet is not None else ""
        super().__init__(f"{label}: {where}{counted}; {use.too_big} (tối đa "
                         f"{number_vi(limits.MAX_SHEET_CELLS)} ô). {use.remedy}")

    def said_as(self, use: SheetUse) -> SheetTooBig:
        return SheetTooBig(self.label, self.sheet, self.counted, use)


def read_file(path: Path, limit: int) -> bytes:
    """A spreadsheet's bytes, at most limit of them, refusing anything but a regular file first
    (word.package.read_bounded), as a SheetError the loader places at the field that names it."""
    try:
        return read_bounded(path, str(path), limit, too_big="một danh mục làm phụ lục chỉ cần vài MB — có "
                                                            "chọn nhầm tệp không?")
    except UserError as exc:
        raise SheetError(str(exc)) from None


class OwnerFile(SheetError):
    """Excel's owner ("lock") file, ~$tien-do.xlsx, given for the workbook it stands for."""


def owner_file(data: bytes, label: str, path: Path | None = None) -> OwnerFile | None:
    """Excel's owner file said as such (who has the workbook open, which file to give), or None:
    package.owner_of recognises it for Word's and Excel's alike."""
    said = owner_file_said(label, path, data, EXCEL_OWNER)
    return OwnerFile(said) if said is not None else None


def not_a_spreadsheet(data: bytes, label: str, suffix: str, path: Path | None = None) -> SheetError:
    """Why these bytes are not the spreadsheet their name says, in words a clerk can act on; `path`
    the file they were read from, when they were (the workbook an owner file stands for is found
    beside it)."""
    owner = owner_file(data, label, path)
    if owner is not None:
        return owner
    if data.startswith(_OLE):
        if "EncryptedPackage".encode("utf-16-le") in data:
            return SheetError(f"{label}: bảng tính được đặt mật khẩu (mã hóa), không đọc được; hãy mở bằng "
                              "Excel, bỏ mật khẩu (Tệp → Thông tin → Bảo vệ sổ làm việc) rồi lưu lại")
        if suffix != ".xls":
            return SheetError(f"{label}: đây là tệp Excel cũ (.xls) mang đuôi {suffix}; hãy đổi đuôi thành "
                              ".xls hoặc mở bằng Excel rồi lưu lại dạng .xlsx")
    if data.startswith(b"%PDF"):
        return SheetError(f"{label}: đây là tệp PDF, không phải bảng tính")
    if data.startswith(b"PK") and suffix == ".xls":
        return SheetError(f"{label}: tệp mang đuôi .xls nhưng là dạng .xlsx/.ods; hãy đổi đuôi cho đúng")
    return SheetError(f"{label}: tệp hỏng hoặc không phải bảng tính {suffix} (đổi tên từ loại tệp khác?); "
                      "hãy mở bằng Excel hoặc LibreOffice rồi lưu lại")


def open_zip(data: bytes, label: str, suffix: str, path: Path | None = None) -> zipfile.ZipFile:
    """The zip of an .xlsx/.ods after its central directory was judged: entry count and size from
    the end record first (a directory of a million entries is itself a memory bomb), then each
    entry's declared size, the total and the compression ratio, encryption and method."""
    if not data.startswith(b"PK"):
        raise not_a_spreadsheet(data, label, suffix, path)
    at = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if at >= 0 and at + 22 <= len(data):
        entries, cd_size = struct.unpack_from("<HI", data, at + 10)
        if entries > limits.MAX_MEMBERS or cd_size > limits.MAX_MEMBERS * 1024:
            raise SheetError(f"{label}: tệp có quá nhiều phần (trên {limits.MAX_MEMBERS}); không phải bảng "
                             "tính bình thường, không đọc")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, NotImplementedError):
        raise not_a_spreadsheet(data, label, suffix, path) from None
    check_members(zf.infolist(), label, app="Excel hoặc LibreOffice", error=SheetError)
    if suffix in (".xlsx", ".xlsm"):
        _check_shared_strings(zf, label)
    return zf


_SHARED_STRING = re.compile(rb"<(?:\w+:)?si(?=[\s>/])")
_OVERRIDE = re.compile(rb"<(?:\w+:)?Override\s[^<>]*>")
_PART_NAME = re.compile(rb'PartName="/?([^"]+)"')


def _parts_typed(zf: zipfile.ZipFile, label: str, content_types: tuple[bytes, ...], usual: str) -> list[str]:
    """The parts of the package whose content type holds one of content_types, as readers find
    them, and the part Excel names usual, those present."""
    names = set(zf.namelist())
    types = read_part(zf, "[Content_Types].xml", label) if "[Content_Types].xml" in names else b""
    parts = {usual}
    for override in _OVERRIDE.findall(types):
        named = _PART_NAME.search(override)
        if named and any(kind in override for kind in content_types):
            parts.add(named.group(1).decode("utf-8", "replace"))
    return sorted(parts & names)


def _check_shared_strings(zf: zipfile.ZipFile, label: str) -> None:
    """Refuse a shared string table of more than limits.MAX_SHARED_STRINGS strings, counted in its
    bytes: every reader builds the whole table before the first cell (the part is found by its
    content type, as readers find it, and by Excel's name)."""
    for part in _parts_typed(zf, label, (b"sharedStrings+xml",), "xl/sharedStrings.xml"):
        count = len(_SHARED_STRING.findall(read_part(zf, part, label)))
        if count > limits.MAX_SHARED_STRINGS:
            raise SheetError(f"{label}: bảng chuỗi dùng chung của tệp có {number_vi(count)} chuỗi (tối đa "
                             f"{number_vi(limits.MAX_SHARED_STRINGS)}); không phải danh mục bình thường, không "
                             "đọc. Hãy chép riêng danh mục cần dùng sang một sổ làm việc mới rồi lưu lại")


def computed_on_opening(zf: zipfile.ZipFile, label: str) -> bool:
    """Whether the workbook asks Excel to compute every formula when it opens it (calcPr
    fullCalcOnLoad): programs that do not compute write it (xlsxwriter, openpyxl), with a
    stand-in value or none for each formula; Excel drops it when it saves what it computed.
    Read from the workbook part's bytes, the value as an XML parser gives it ("&#49;" is 1)."""
    # One list: both kinds of workbook share Excel's usual name, read once.
    for part in _parts_typed(zf, label, (b"sheet.main+xml", b"sheet.macroEnabled.main+xml"), "xl/workbook.xml"):
        found = _FULL_CALC.search(read_part(zf, part, label))
        if found and _attribute(found).strip() in ("1", "true"):
            return True
    return False


def read_part(zf: zipfile.ZipFile, name: str, label: str) -> bytes:
    """One part, bounded by its declared size (zipfile stops at it) which open_zip judged."""
    try:
        return zf.read(name)
    except KeyError:
        raise SheetError(f"{label}: thiếu phần {name}; tệp hỏng, hãy mở bằng Excel hoặc LibreOffice rồi "
                         "lưu lại") from None
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError, RuntimeError, zlib.error):
        raise SheetError(f"{label}: phần {name} bị hỏng (nén sai hoặc dữ liệu không khớp); tệp hỏng, hãy mở "
                         "bằng Excel hoặc LibreOffice rồi lưu lại") from None


# --- .xlsx: one worksheet part ------------------------------------------------------------------

# Every pattern stops at the next "<" (an attribute list holds none, a cell holds no other cell): a
# pattern that may run on to the part's end is tried again from each of a million unclosed tags,
# minutes of work for a sheet of a few megabytes, before the XML parser would say it is broken.
_CELL = re.compile(rb"<(?:\w+:)?c(?=[\s>/])")
# An attribute's value as the XML parser gives it to the reader: either quote, spaces around "=".
_VALUE_OF = rb"\s*=\s*(?:\"([^\"<>]*)\"|'([^'<>]*)')"
_CELL_REF = re.compile(rb"<(?:\w+:)?c\s[^<>]*?\br" + _VALUE_OF)
_FULL_CALC = re.compile(rb"<(?:\w+:)?calcPr\s[^<>]*?\bfullCalcOnLoad" + _VALUE_OF)
_ROW = re.compile(rb"<(?:\w+:)?row(?=[\s>/])")
_ROW_REF = re.compile(rb"<(?:\w+:)?row\s[^<>]*?\br" + _VALUE_OF)
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\s[^<>]*?\bref=[\"']"
                    rb"([A-Z]{1,3})([0-9]{1,7})(?::([A-Z]{1,3})([0-9]{1,7}))?[\"']")
_CELL_OPEN = re.compile(rb"<((?:\w+:)?)c(\s[^<>]*?)?(/?)>")
_ROW_OPEN = re.compile(rb"<(?:\w+:)?row(\s[^<>]*?)?/?>")
_ROW_OR_CELL = re.compile(rb"<(?:\w+:)?(row|c)(?=[\s>/])")
_REF = re.compile(rb"\br" + _VALUE_OF)
_FORMULA_OPEN = re.compile(rb"<(?:\w+:)?f(\s[^<>]*?)?/?>")
_ARRAY = re.compile(rb"\bt\s*=\s*[\"']array[\"']")
_RANGE = re.compile(rb"\bref" + _VALUE_OF)
_FORMULA_TEXT = re.compile(rb"<(?:\w+:)?f(?:\s[^<>]*)?>([^<]*)<")
_VALUE = re.compile(rb"<(?:\w+:)?v(?:\s[^<>]*)?(?:/>|>([^<]*)<)")
_TEXT_RESULT = re.compile(rb"\bt\s*=\s*[\"']str[\"']")


def _cells(blob: bytes) -> Iterator[tuple[tuple[int, int] | None, bytes, int, int]]:
    """Each cell of a worksheet part that has a body: (its place, (row, column) from 1, as the
    reader gives it, or None where the reader refuses its r=; its attributes; where its body starts
    and ends). A cell or row written without r= takes the next place, as openpyxl counts. A cell's
    body ends at its </c>, looked for only before the next cell's or row's tag: a cell left
    unclosed has none, and the part is read once whatever it holds."""
    starts = [(m.start(), m.group(1)) for m in _ROW_OR_CELL.finditer(blob)] + [(len(blob), b"")]
    row = col = 0
    for (at, what), (following, _) in itertools.pairwise(starts):
        if what == b"row":
            tag = _ROW_OPEN.match(blob, at, following)
            ref = _REF.search(tag.group(1) or b"") if tag else None
            row = (_row_place(_attribute(ref)) or 0) if ref else row + 1
            col = 0
            continue
        tag = _CELL_OPEN.match(blob, at, following)
        if tag is None:
            continue
        ref = _REF.search(tag.group(2) or b"")
        place = _cell_place(_attribute(ref)) if ref else None
        if ref is None:
            col += 1
            place = (row, col)
        elif place is not None:
            col = place[1]
        if tag.group(3):
            continue
        end = blob.find(b"</" + tag.group(1) + b"c>", tag.end(), following)
        if end >= 0:
            yield place, tag.group(2) or b"", tag.end(), end


def _attribute(m: re.Match[bytes]) -> str:
    """The value of the attribute _VALUE_OF matched, with its character references as the parser
    reads them (r="&#65;1" is A1)."""
    return html.unescape((m.group(1) if m.group(1) is not None else m.group(2)).decode("utf-8", "replace"))


def _cell_place(value: str) -> tuple[int, int] | None:
    """(row, column) where the reader puts a cell written r=value (openpyxl's own parse: "a1",
    "A0001", "A1_000" are all places to it), None for a value it refuses (the sheet is then said
    broken when it is read)."""
    from openpyxl.utils.cell import coordinate_to_tuple

    try:
        return coordinate_to_tuple(value) if value else None
    except (ValueError, TypeError, ArithmeticError, NameError):
        return None


def _row_place(value: str) -> int | None:
    """The row the reader takes a row written r=value to be: int() as Python reads it (" 12",
    "1_048_576"), else a whole float ("1e6"), as openpyxl's worksheet reader does; None where it
    refuses the value."""
    try:
        return int(value)
    except ValueError:
        pass
    try:
        number = float(value)
    except ValueError:
        return None
    return int(number) if number.is_integer() else None


def column_number(letters: bytes | str) -> int:
    """1 for A, 27 for AA."""
    n = 0
    for ch in letters.decode() if isinstance(letters, bytes) else letters:
        n = n * 26 + ord(ch) - 64
    return n


@dataclass
class XlsxScan:
    """What one worksheet part declares, counted from its bytes."""

    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    """Merged ranges ((r0, c0), (r1, c1)), 0-based (the read-only reader does not give them)."""
    no_value: list[tuple[str, str | None, bool]] = field(default_factory=list)
    """Cells holding a formula with no value stored (a program that does not compute wrote the
    file; Excel never saved it): (A1 name, the formula as Excel shows it, None for a cell sharing
    another cell's formula, whether the value stored is a placeholder Excel recomputes on opening),
    in the sheet's order."""


def scan_xlsx_sheet(blob: bytes, sheet: str, label: str, recalculated: bool = False) -> XlsxScan:
    """Refuse a worksheet whose used area or merges exceed limits.MAX_SHEET_CELLS; else its merged
    ranges and formula cells without a stored value. Counted with byte searches: a cell count first
    (flat, no object per cell), the references read only when that count is within the limit.

    recalculated: the workbook asks Excel to compute every formula when it opens
    (computed_on_opening; xlsxwriter stores 0 as every formula's value): what the file stores for
    a formula is then not what the cell shows, so every formula cell is one without a value, those
    that store one marked as placeholders (no_value's third field)."""
    most = limits.MAX_SHEET_CELLS
    cells = len(_CELL.findall(blob))
    if cells > most:
        raise _too_big(label, sheet, f"có {number_vi(cells)} ô")
    bottom = right = 0
    refs = 0
    # Each place read as the reader reads it (either quote, any case, leading zeros, "1e6"): a
    # place only this scan failed to read would be counted as one cell while the reader builds the
    # sheet to it (<row r='1048576'> was a million rows the count never saw).
    for m in _CELL_REF.finditer(blob):
        place = _cell_place(_attribute(m))
        if place is None:
            continue
        bottom, right = max(bottom, place[0]), max(right, place[1])
        refs += 1
    # Cells and rows written without r= take the next place: count them as widening the area. An
    # empty <row r="1048576"/> counts too: the reader yields every row up to it.
    right += cells - refs
    row_refs = [row for m in _ROW_REF.finditer(blob) if (row := _row_place(_attribute(m))) is not None]
    if row_refs:
        bottom = max(bottom, *row_refs)
    bottom += len(_ROW.findall(blob)) - len(row_refs)
    scan = XlsxScan()
    merged_cells = 0
    for m in _MERGE.finditer(blob):
        c0, r0 = column_number(m.group(1)), int(m.group(2))
        c1, r1 = (column_number(m.group(3)), int(m.group(4))) if m.group(3) else (c0, r0)
        c0, c1, r0, r1 = min(c0, c1), max(c0, c1), min(r0, r1), max(r0, r1)
        merged_cells += (r1 - r0 + 1) * (c1 - c0 + 1)
        if merged_cells > most:
            raise _too_big(label, sheet, f"có vùng gộp ô {m.group(0).split(b'ref=')[1].decode()[1:-1]} "
                                         f"(các vùng gộp phủ hơn {number_vi(most)} ô)")
        scan.merged.append(((r0 - 1, c0 - 1), (r1 - 1, c1 - 1)))
        bottom, right = max(bottom, r1), max(right, c1)
    # The reader gives every row from 1 and every column from A: the area it builds starts there.
    if bottom * max(right, 1) > most:
        raise _too_big(label, sheet, f"trải đến hàng {number_vi(bottom)} và cột {number_vi(max(right, 1))} "
                                     f"({number_vi(bottom * max(right, 1))} ô)")
    if b"<f" in blob or b":f" in blob:
        _formulas_without_value(blob, scan, recalculated, bottom, max(right, 1), label, sheet)
    return scan


def _formulas_without_value(blob: bytes, scan: XlsxScan, recalculated: bool, bottom: int, right: int, label: str,
                            sheet: str) -> None:
    """Add to scan.no_value each cell whose formula has no stored value: a cell of its own formula,
    and every cell of an array formula's range (t="array" ref="B2:B4", written once in its first
    cell; Excel shows a result in each and stores each one's value in that cell) the file holds no
    value for. bottom, right: the sheet's counted area, beyond which the reader gives no cell; the
    arrays' ranges together are held to limits.MAX_SHEET_CELLS as merges are (a million arrays
    each over the whole area would be looked through a million times)."""
    from openpyxl.utils.cell import get_column_letter, range_boundaries

    valued: set[tuple[int, int]] = set()
    arrays: list[tuple[int, int, int, int, str | None]] = []
    for place, attributes, start, end in _cells(blob):
        value = _VALUE.search(blob, start, end)
        # A result is stored in <v>. Excel and LibreOffice store a text result "" (=IF(A2="";"";…))
        # as an empty <v> in a cell typed t="str"; an empty <v> in a cell of any other type (what
        # openpyxl writes for every formula) holds no result: the cell shows nothing the file has.
        stored = value is not None and bool(value.group(1) or _TEXT_RESULT.search(attributes))
        tag = _FORMULA_OPEN.search(blob, start, end)
        if tag is None:
            if stored and place is not None:
                valued.add(place)
            continue
        if place is None:
            continue
        text = _FORMULA_TEXT.search(blob, start, end)
        formula = "=" + html.unescape(text.group(1).decode("utf-8", "replace")) if text and text.group(1) else None
        array = _ARRAY.search(tag.group(1) or b"")
        if array and formula:
            formula = "{" + formula + "}"  # as Excel's formula bar shows an array's every cell, its first too
        ref = _RANGE.search(tag.group(1) or b"") if array else None
        if ref is not None:
            bounds: tuple[int | None, ...] = (None,) * 4
            with contextlib.suppress(ValueError, TypeError):  # a range the reader refuses: no array
                bounds = range_boundaries(_attribute(ref))
            c0, r0, c1, r1 = bounds
            if c0 is not None and r0 is not None and c1 is not None and r1 is not None:
                arrays.append((r0, c0, min(r1, bottom), min(c1, right), formula))
        if stored and not recalculated:
            valued.add(place)
            continue
        scan.no_value.append((f"{get_column_letter(place[1])}{place[0]}", formula, stored))
    covered = 0
    for r0, c0, r1, c1, formula in arrays:
        covered += max(r1 - r0 + 1, 0) * max(c1 - c0 + 1, 0)
        if covered > limits.MAX_SHEET_CELLS:
            raise _too_big(label, sheet, f"có các công thức mảng phủ hơn {number_vi(limits.MAX_SHEET_CELLS)} ô")
        for r, c in itertools.product(range(r0, r1 + 1), range(c0, c1 + 1)):
            if (r, c) != (r0, c0) and (recalculated or (r, c) not in valued):
                scan.no_value.append((f"{get_column_letter(c)}{r}", formula, (r, c) in valued))


def _too_big(label: str, sheet: str, what: str) -> SheetError:
    return SheetTooBig(label, sheet, what)


# --- .ods: content.xml ---------------------------------------------------------------------------

_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"


OdsMerges = dict[str, list[tuple[tuple[int, int], tuple[int, int]]]]

OdsNoValue = dict[str, list[tuple[int, int, str | None]]]
"""By sheet, the cells holding a formula with no value stored: (row, column) from A1 as (0, 0), and
the formula as LibreOffice shows it."""


OdsFormats = dict[str, list[tuple[int, int, int, int, str]]]
"""By sheet, the number cells whose style gives them a number format: (row, rows, column, columns,
Excel format code), each a block of cells from A1 as (0, 0) (ods_styles.OdsStyles.code)."""

NULL_DATE = dt.date(1899, 12, 30)
"""The day 0 of a date stored as a number, unless the document says another (ODF table:null-date:
LibreOffice's default, and Excel's serial numbers past February 1900)."""

NUMBER_TYPES = ("float", "percentage", "currency")
"""The office:value-type of a cell Calc prints by its number format (a date, time or text cell the
reader already gives as what it is)."""


@dataclass
class OdsScan:
    """What an .ods's content.xml declares beyond its size: each sheet's merged ranges, the cells
    whose formula has no stored value (the reader, which never computes, gives them empty), and the
    number format of each number cell that has one (the reader gives the bare value)."""

    merges: OdsMerges
    no_value: OdsNoValue
    formats: OdsFormats = field(default_factory=dict)
    null_date: dt.date = NULL_DATE
    """The day a date stored as a number counts from (table:null-date; _null_date)."""


def _ods_formula(formula: str) -> str:
    """An ODF formula as LibreOffice shows it in the cell: "of:=SUM([.B2:.B5])" is "=SUM(B2:B5)",
    a reference to another sheet "[$DV.B2]" is "$DV.B2"."""
    prefix, colon, rest = formula.partition(":")
    if colon and prefix.isalnum() and rest.startswith("="):
        formula = rest
    # A reference holds no "[": stopping there keeps an attribute of a million "[" one pass, not
    # a search to its end from each of them.
    return re.sub(r"\[([^\[\]]*)\]", lambda m: re.sub(r"(^|:)\.", r"\1", m.group(1)), formula)


def _ods_events(blob: bytes, label: str, part: str) -> Iterator[tuple[str, Any]]:
    """The start and end events of an .ods part, streamed, refused past 2 × limits.MAX_ELEMENTS
    elements or when its XML is damaged (no DTD, no entity, no network)."""
    from lxml import etree

    events = etree.iterparse(io.BytesIO(blob), events=("start", "end"), resolve_entities=False,
                             no_network=True, load_dtd=False, huge_tree=False)
    elements = 0
    try:
        for event, el in events:
            elements += 1
            if elements > 2 * limits.MAX_ELEMENTS:
                raise SheetError(f"{label}: {part} có quá nhiều thẻ XML (trên {number_vi(limits.MAX_ELEMENTS)}); "
                                 "không đọc")
            yield event, el
    except etree.XMLSyntaxError as exc:
        raise SheetError(f"{label}: nội dung bảng tính ({part}) bị hỏng ({str(exc)[:120]}); hãy mở "
                         "bằng LibreOffice rồi lưu lại") from None


def ods_styles(blob: bytes | None, label: str) -> OdsStyles:
    """The number formats of an .ods's styles.xml (its named cell styles, "Default" among them, and
    the data styles they name); content.xml's own automatic styles are added by scan_ods."""
    styles = OdsStyles()
    depth = 0
    for event, el in _ods_events(blob, label, "styles.xml") if blob else ():
        if event == "start":
            depth += 1
            continue
        styles.take(el)
        if depth == 3:
            _drop(el)  # a style read (office:document-styles / office:styles / it): the part is not held
        depth -= 1
    return styles


def _drop(el: Any) -> None:
    """Free an element read to its end, and its earlier siblings: a streamed part is never held whole."""
    el.clear()
    parent = el.getparent()
    while parent is not None and el.getprevious() is not None:
        del parent[0]


def _column_style(columns: list[tuple[int, int, str]], col: int) -> tuple[str | None, int]:
    """The default cell style of column col (table:default-cell-style-name of its table:table-column)
    and the first column after col where it may change."""
    at = bisect.bisect_right(columns, (col, float("inf"))) - 1
    if at >= 0 and columns[at][0] <= col < columns[at][1]:
        return columns[at][2], columns[at][1]
    following = columns[at + 1][0] if at + 1 < len(columns) else col + limits.MAX_SHEET_CELLS
    return None, following


def scan_ods(blob: bytes, label: str, styles: OdsStyles | None = None) -> OdsScan:
    """Refuse an .ods whose sheets declare more than limits.MAX_SHEET_CELLS cells in the area from
    their first to their last filled cell, or under merges, counting number-rows-repeated and
    number-columns-repeated as the reader will expand them. Empty repeated cells (LibreOffice
    writes a million of them after the last used row) are free: readers skip them.

    Returns each sheet's merged ranges, ((top, left), (bottom, right)) from A1 as (0, 0): the
    spreadsheet reader gives them for .xlsx and .xls only, and a merge prints one value over every
    cell it spans (an appendix's "Chủ trì" once for two tasks), so it is read here, where the
    sheet's cells are counted anyway; their number is bounded by the merged cells' budget.

    A cell with a formula and no office:value-type has no stored result (LibreOffice always stores
    one; a program that does not compute may not): each is kept by sheet, as the cell it is.

    A number cell's format is its style's (the cell's table:style-name, else its row's, else its
    column's table:default-cell-style-name), resolved by `styles` (those of styles.xml) with the
    automatic styles content.xml holds before its sheets; kept as blocks of cells, within the
    sheet's counted area.

    Streamed (iterparse, each element dropped once counted): content.xml is not held as a tree."""
    most = limits.MAX_SHEET_CELLS
    styles = styles if styles is not None else OdsStyles()
    name = ""
    row = 0
    col = 0
    row_repeat = 1
    row_style: str | None = None
    columns: list[tuple[int, int, str]] = []
    column_at = 0
    box: list[int] = []
    merged = 0
    merges: OdsMerges = {}
    no_value: OdsNoValue = {}
    formats: OdsFormats = {}
    kept = 0
    null_date = NULL_DATE
    depth = 0  # of the element at hand: the document 1, office:automatic-styles 2, a style 3
    for event, el in _ods_events(blob, label, "content.xml"):
        tag = el.tag
        if event == "start":
            depth += 1
            if tag == f"{_TABLE}table":
                name, row, box, merged = el.get(f"{_TABLE}name") or "?", 0, [], 0
                merges[name], no_value[name], formats[name] = [], [], []
                columns, column_at = [], 0
            elif tag == f"{_TABLE}table-column":
                count = _count(el.get(f"{_TABLE}number-columns-repeated"), label)
                if (default := el.get(f"{_TABLE}default-cell-style-name")) is not None:
                    columns.append((column_at, column_at + count, default))
                column_at += count
            elif tag == f"{_TABLE}table-row":
                col = 0
                row_repeat = _count(el.get(f"{_TABLE}number-rows-repeated"), label)
                row_style = el.get(f"{_TABLE}default-cell-style-name")
            continue
        if tag in (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell"):
            repeat = _count(el.get(f"{_TABLE}number-columns-repeated"), label)
            formula = el.get(f"{_TABLE}formula")
            value_type = el.get(f"{_OFFICE}value-type")
            if len(el) or value_type is not None or formula is not None:
                last_row, last_col = row + row_repeat - 1, col + repeat - 1
                box = [min(box[0], row), max(box[1], last_row), min(box[2], col), max(box[3], last_col)] \
                    if box else [row, last_row, col, last_col]
                if (box[1] - box[0] + 1) * (box[3] - box[2] + 1) > most:
                    raise _too_big(label, name, f"khai báo vùng ô từ hàng {number_vi(box[0] + 1)} đến hàng "
                                                f"{number_vi(box[1] + 1)}, từ cột {number_vi(box[2] + 1)} đến cột "
                                                f"{number_vi(box[3] + 1)} (kể cả ô lặp lại)")
            if formula is not None and value_type is None:
                # A sheet's are within the area just counted; the file's are kept up to the same
                # count (repeated cells over many sheets would else be millions of entries): past
                # it the file is refused all the same, on the cells kept.
                shown = _ods_formula(formula)
                cells = [(r, c, shown) for r in range(row, row + row_repeat)
                         for c in range(col, col + repeat)][:max(most - kept, 0)]
                no_value[name] += cells
                kept += len(cells)
            if value_type in NUMBER_TYPES:
                _keep_formats(formats[name], styles, el.get(f"{_TABLE}style-name") or row_style, columns,
                              row, row_repeat, col, repeat)
            down = _count(el.get(f"{_TABLE}number-rows-spanned"), label)
            across = _count(el.get(f"{_TABLE}number-columns-spanned"), label)
            if down * across > 1:
                merged += down * across * repeat * row_repeat
                if merged > most:
                    raise _too_big(label, name, f"có vùng gộp ô phủ hơn {number_vi(most)} ô")
                merges[name] += [((r, c), (r + down - 1, c + across - 1))
                                 for r in range(row, row + row_repeat) for c in range(col, col + repeat)]
            col += repeat
            el.clear()
        elif tag == f"{_TABLE}table-row":
            row += row_repeat
            _drop(el)
        elif tag == f"{_TABLE}null-date":
            null_date = _null_date(el.get(f"{_TABLE}date-value"))
        elif not name:
            # Before the first sheet: content.xml's automatic styles, which the cells below name.
            styles.take(el)
            if depth == 3:
                _drop(el)
        depth -= 1
    return OdsScan(merges, no_value, formats, null_date)


def _null_date(value: str | None) -> dt.date:
    """The day a document's dates stored as numbers count from, its table:null-date (LibreOffice's
    option "1904" writes 1904-01-01, StarCalc 1900-01-01): Calc shows the number n under a date
    format as that day plus n. ODF allows a date-time there; a value that is no date is what Calc
    falls back to, the default."""
    try:
        return dt.date.fromisoformat((value or "")[:10])
    except ValueError:
        return NULL_DATE


def _keep_formats(kept: list[tuple[int, int, int, int, str]], styles: OdsStyles, style: str | None,
                  columns: list[tuple[int, int, str]], row: int, rows: int, col: int, count: int) -> None:
    """Add the number format of the block of number cells at (row, col), rows × count of them, to
    kept: their own or their row's style, else each column's default, split where it changes. A
    block continuing the last one (the next cells of the same rows, the same format) extends it."""
    end = col + count
    while col < end:
        own, stop = (style, end) if style is not None else _column_style(columns, col)
        stop = min(stop, end)
        code = styles.code(own)
        if code != GENERAL:
            last = kept[-1] if kept else None
            if last is not None and last[:2] == (row, rows) and last[2] + last[3] == col and last[4] == code:
                kept[-1] = (row, rows, last[2], last[3] + stop - col, code)
            else:
                kept.append((row, rows, col, stop - col, code))
        col = stop


def _count(value: str | None, label: str) -> int:
    if value is None:
        return 1
    if not value.isascii() or not value.isdigit() or len(value) > 9:
        raise SheetError(f"{label}: số lần lặp hoặc gộp ô '{value[:20]}' không hợp lệ; tệp hỏng")
    return max(int(value), 1)
