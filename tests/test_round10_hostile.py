"""Red team on round 10's input paths: a spreadsheet's formulas and .ods data styles, verify's census
of a PDF's revisions, the reader of a user's file, the packaged files. Each attack is the file a
hostile user could give (or a damaged install), and each test asserts what the user gets: the
message (where, what, the fix), never a traceback, in the budget a real file needs many times over.

A budget around a call (limits.budget) is a guard, not a measure: a real sheet is read in well under
a second, the attacks below took minutes to hours before their fixes; the budget turns a regression
into a failed test instead of a stuck run."""

from __future__ import annotations

import io
import json
import os
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from generator import limits
from generator.cli import main
from generator.plan.sheets import BadCells, read_sheet
from generator.word.sheet_guard import SheetTooBig
from tests.ods_fixtures import ods_package
from tests.test_verify_attacks import _empty_updates, _hostile, _plain, _sign, pki

__all__ = ["pki"]  # the fixture, used by name

GUARD_SECONDS = 60
"""What a test's call may take before it is stopped: a hundred times what the fixed code needs."""


def _guarded(call, *args):
    with limits.budget(GUARD_SECONDS, 2 * 2**30, "quá thời gian của phép thử"):
        return call(*args)


def _xlsx_with_sheet(sheet_xml: bytes) -> bytes:
    """A workbook written by openpyxl whose one worksheet part is replaced by sheet_xml."""
    wb = openpyxl.Workbook()
    wb.active.title = "DM"
    out = io.BytesIO()
    wb.save(out)
    src = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    patched = io.BytesIO()
    with zipfile.ZipFile(patched, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            part = sheet_xml if name == "xl/worksheets/sheet1.xml" else src.read(name)
            if name == "xl/workbook.xml":  # as Excel saves it: openpyxl's request to compute on opening dropped
                part = part.replace(b' fullCalcOnLoad="1"', b"")
            dst.writestr(name, part)
    return patched.getvalue()


# --- formulas: the byte scan before the parser -----------------------------------------------------

@pytest.mark.parametrize("cell", [b'<c r="A1"><f>1', b'<c r="A1" ', b"<c "],
                         ids=["unclosed-formula-cells", "tags-never-closed", "bare-tags"])
def test_cell_tags_hidden_in_a_comment_are_scanned_once(tmp_path: Path, cell: bytes) -> None:
    """90,000 cell tags (within the cell count), never closed, inside an XML comment: the sheet is
    well-formed (a comment may hold "<"), so the parser reads it, but each pattern of the byte scan
    before it ran on from every such tag to the next "</c>" or ">" (quadratic: 1 MB took about 8
    minutes). The scan reads the part once; the sheet's own cells are read, its formula without a
    value said at its cell."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    sheet = (f'<worksheet xmlns="{main}"><sheetData><!--'.encode() + cell * 90_000 + b"-->"
             b'<row r="1"><c r="A1" t="inlineStr"><is><t>N\xe1\xbb\x99i dung</t></is></c></row>'
             b'<row r="2"><c r="A2"><f>B2</f><v></v></c></row></sheetData></worksheet>')
    path = tmp_path / "mo.xlsx"
    path.write_bytes(_xlsx_with_sheet(sheet))
    with pytest.raises(BadCells) as caught:
        _guarded(read_sheet, path)
    said = [(p.path, p.message.split(" nhưng")[0]) for p in caught.value.problems]
    assert said == [("DM!A2", "có công thức =B2")], said


def test_an_ods_formula_of_a_million_brackets_is_said_at_its_cell(tmp_path: Path) -> None:
    """A formula attribute of two million "[" (no reference closes): showing it as LibreOffice does
    searched for a "]" from each of them. The cell is said as a formula without a value, at its
    place, the formula cut to what a message shows."""
    formula = "of:=" + "[" * 2_000_000
    table = ('<table:table table:name="DM"><table:table-row><table:table-cell office:value-type="string">'
             "<text:p>Nội dung</text:p></table:table-cell></table:table-row><table:table-row>"
             f'<table:table-cell table:formula="{formula}"/></table:table-row></table:table>')
    path = tmp_path / "ngoac.ods"
    path.write_bytes(ods_package(table))
    with pytest.raises(BadCells) as caught:
        _guarded(read_sheet, path)
    said = [(p.path, p.message) for p in caught.value.problems]
    assert len(said) == 1 and said[0][0] == "DM!A2", said
    assert said[0][1].startswith("có công thức =" + "[" * 79 + " nhưng tệp không lưu giá trị"), said


# --- the places the reader gives a cell ------------------------------------------------------------

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
HEADER = ('<row r="1"><c r="A1" t="inlineStr"><is><t>STT</t></is></c>'
          '<c r="B1" t="inlineStr"><is><t>Nội dung</t></is></c></row>')


@pytest.mark.parametrize("far", ["<row r='60000'><c r='Z60000'><v>1</v></c></row>",
                                 '<row r="6e4"><c><v>1</v></c><c r="z60000"><v>1</v></c></row>',
                                 '<row r=" 60_000 "><c r="Z0060000"><v>1</v></c></row>',
                                 '<row r="&#54;0000"><c r="&#90;60000"><v>1</v></c></row>'],
                         ids=["single-quotes", "float-row-lowercase-column", "underscores-leading-zeros",
                              "character-references"])
def test_a_far_cell_written_as_the_reader_reads_it_is_counted_before_it_is_built(tmp_path: Path, far: str) -> None:
    """A cell at Z60000 (1.56 million cells from A1, the reader builds every one) written so the
    count's byte patterns, which took only r="A1" in double quotes, saw one cell: openpyxl reads
    either quote, any case, "6e4", "60_000", "0060000" and character references. The count reads
    each place as the reader does and refuses the sheet before a cell is built."""
    path = tmp_path / "xa.xlsx"
    path.write_bytes(_xlsx_with_sheet(f'<worksheet xmlns="{MAIN}"><sheetData>{HEADER}{far}</sheetData></worksheet>'
                                      .encode()))
    with pytest.raises(SheetTooBig) as caught:
        _guarded(read_sheet, path)
    message = str(caught.value)
    assert "xa.xlsx" in message and "'DM'" in message and "hàng 60.000" in message, message


@pytest.mark.parametrize("cell", ["<c r='B2'><f>A2*2</f><v></v></c>", '<c r = "b2"><f>A2*2</f></c>',
                                  '<c r="&#66;2" t="n"><f>A2*2</f><v/></c>', "<c><f>A2*2</f></c>"],
                         ids=["single-quotes", "spaces-lowercase", "character-reference", "no-place-written"])
def test_a_formula_without_a_value_is_said_however_its_place_is_written(tmp_path: Path, cell: str) -> None:
    """A formula cell with no stored value whose r= the scan could not read, or without r= (the
    cell after A2 is B2 to the reader), was left out of the mistakes: read as an empty cell. Said
    at its cell, as Excel names it."""
    row = f'<row r="2"><c r="A2"><v>3</v></c>{cell}</row>'
    path = tmp_path / "ct.xlsx"
    path.write_bytes(_xlsx_with_sheet(f'<worksheet xmlns="{MAIN}"><sheetData>{HEADER}{row}</sheetData></worksheet>'
                                      .encode()))
    with pytest.raises(BadCells) as caught:
        _guarded(read_sheet, path)
    said = [(p.path, p.message.split(" nhưng")[0]) for p in caught.value.problems if "công thức" in p.message]
    assert said == [("DM!B2", "có công thức =A2*2")], said


@pytest.mark.parametrize("calc", ['<calcPr calcId="124519" fullCalcOnLoad="1"/>',
                                  "<calcPr fullCalcOnLoad = 'true'/>"], ids=["xlsxwriter", "quoted-true"])
def test_a_workbook_excel_computes_on_opening_has_no_stored_formula_value(tmp_path: Path, calc: str) -> None:
    """xlsxwriter (the exports of many programs) stores 0 as every formula's value and asks Excel
    to compute them all on opening (fullCalcOnLoad): Excel shows 6 where the file holds 0. The
    stored 0 was read; the cell is said as a formula without a value, as openpyxl's are."""
    row = '<row r="2"><c r="A2"><v>3</v></c><c r="B2"><f>A2*2</f><v>0</v></c></row>'
    data = _xlsx_with_sheet(f'<worksheet xmlns="{MAIN}"><sheetData>{HEADER}{row}</sheetData></worksheet>'.encode())
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            part = src.read(name)
            if name == "xl/workbook.xml":
                part = re.sub(rb"<calcPr[^>]*/>", calc.encode(), part)
                assert calc.encode() in part
            dst.writestr(name, part)
    path = tmp_path / "xw.xlsx"
    path.write_bytes(out.getvalue())
    with pytest.raises(BadCells) as caught:
        _guarded(read_sheet, path)
    said = [(p.path, p.message.split(" nhưng")[0]) for p in caught.value.problems if "công thức" in p.message]
    assert said == [("DM!B2", "có công thức =A2*2")], said


# --- verify: the census of revisions before the parser --------------------------------------------

@pytest.mark.parametrize(("table", "type_xref"), [
    (b"xref" + b" " * 17, None), (b"xref\x00", None), (b"xref %\xc4\x91\xc3\xa2y\n", None), (b"xrefZ", None),
    (b"Axref\n", None), (b"startxref\n", None), (None, b" " * 17), (None, b"\x00"), (None, b"%c\n")],
    ids=["table-17-blanks", "table-nul", "table-comment", "table-any-byte-after", "table-letter-before",
         "table-ending-a-startxref", "stream-17-blanks", "stream-nul", "stream-comment"])
def test_revisions_spelled_as_the_parser_reads_them_are_counted_before_it(pki, tmp_path: Path, capsys,
                                                                           table: bytes | None,
                                                                           type_xref: bytes | None) -> None:
    """300 empty updates whose sections the census did not see: PDF whitespace includes NUL and
    comments, any number of either, the byte after "xref" is skipped unread and the one before it is
    not looked at, a dictionary separates /Type from /XRef by the same blanks and comments. The
    parser read every section (a million of them: minutes and gigabytes); the census counts them as
    the parser reads them, so the file is refused before it is parsed."""
    signed = _sign(_plain(), pki["signer"])
    stream = None if type_xref is None else b"/Type" + type_xref + b"/XRef"
    message = _hostile(tmp_path, "an.pdf", _empty_updates(signed, 300, table or b"xref\n", stream), capsys)
    assert "hơn 200 lần cập nhật" in message and "chữ ký và" not in message, message


# --- the one reader of a user's file --------------------------------------------------------------

def _socket_at(path: Path):  # noqa: ANN202
    import socket

    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(str(path))
    return sock


@pytest.mark.skipif(not hasattr(os, "symlink") or not hasattr(os, "mkfifo"), reason="cần liên kết và ống dẫn POSIX")
@pytest.mark.parametrize("make", ["loop", "socket", "zero", "fifo"])
def test_a_link_loop_a_socket_or_a_device_is_said_in_vietnamese_without_waiting(tmp_path: Path, capsys, make: str
                                                                                ) -> None:
    """`kehoach check` of a name that is no file: a symbolic link to itself (the system says "Too
    many levels of symbolic links"), a socket (opening it fails: "No such device or address"), a
    link to /dev/zero, a named pipe no one writes. Each said in Vietnamese as what it is, exit 2,
    nothing waited on."""
    path = tmp_path / "ke-hoach.docx"
    held = None
    if make == "loop":
        path.symlink_to(path.name)
    elif make == "socket":
        held = _socket_at(path)
    elif make == "zero":
        path.symlink_to("/dev/zero")
    else:
        os.mkfifo(path)
    try:
        assert main(["check", str(path)]) == 2
    finally:
        if held is not None:
            held.close()
    err = capsys.readouterr().err
    assert "ke-hoach.docx" in err and "Traceback" not in err, err
    assert not re.search(r"[Tt]oo many|[Nn]o such|[Pp]ermission", err), err
    expected = "liên kết (symlink) vòng quanh" if make == "loop" else "không phải tệp thường"
    assert expected in err, err


# --- the prebuilt files of a damaged install ------------------------------------------------------

def _damaged(text: str, how: str) -> str:
    """A prebuilt file's text damaged as an install may leave it, still readable as text: cut after
    a line, or one letter changed."""
    if how == "cut":
        return text[: text.rindex("\n", 0, len(text) // 2) + 1]
    at = len(text) // 2
    return text[:at] + ("x" if text[at] != "x" else "y") + text[at + 1:]


def _json_damaged(text: str, change) -> str:  # noqa: ANN001
    """A prebuilt JSON file still JSON but changed by change(data), its first line (the seal) kept."""
    seal, _, body = text.partition("\n") if text.startswith("#") else ("", "", text)
    data = json.loads(body)
    change(data)
    return (seal + "\n" if seal else "") + json.dumps(data, ensure_ascii=False)


def _half_code(data: dict) -> None:
    key = next(iter(data["code"]))
    data["code"][key] = data["code"][key][: len(data["code"][key]) // 2]


@pytest.mark.parametrize("change", [_half_code, lambda data: data.update(patched=[])], ids=["code-cut", "shape"])
def test_a_damaged_prepared_template_file_falls_back_to_preparing_it(tmp_path: Path, change,  # noqa: ANN001
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The prepared template parts, still JSON, with a part's Python code cut (it compiled to a
    SyntaxError: a traceback on every render) or a table of another shape (AttributeError). A
    damaged file is not used: the document is the one the template makes."""
    from generator.document import render, template_prebuilt
    from generator.document.render import render_plan
    from generator.plan.loader import load_plan
    from tests.paths import SAMPLE

    render._cached_template.cache_clear()  # the template is prepared once a process: again here
    expected = render_plan(load_plan(SAMPLE))
    render._cached_template.cache_clear()
    damaged = tmp_path / "prepared.json"
    damaged.write_text(_json_damaged(template_prebuilt.PREBUILT.read_text(encoding="utf-8"), change),
                       encoding="utf-8")
    monkeypatch.setattr(template_prebuilt, "PREBUILT", damaged)
    template_prebuilt._load.cache_clear()
    try:
        made = render_plan(load_plan(SAMPLE))
    finally:
        monkeypatch.undo()
        template_prebuilt._load.cache_clear()
        render._cached_template.cache_clear()
    assert _document_xml(made) == _document_xml(expected)


def _document_xml(docx: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        return z.read("word/document.xml")


@pytest.mark.parametrize("how", ["units", "names"])
def test_a_damaged_admin_units_file_falls_back_to_the_data(tmp_path: Path, how: str,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """The administrative units' tables damaged but still JSON: a shape the reader did not expect
    crashed it (ValueError, TypeError). A damaged file is not used: the tables are read from the
    data files."""
    from generator.plan import admin_units

    if not admin_units.available():
        pytest.skip("vietnamadminunits chưa được cài")
    text = admin_units.PREBUILT.read_text(encoding="utf-8")
    admin_units._prebuilt.cache_clear()
    admin_units._tables.cache_clear()
    admin_units.place_names.cache_clear()
    expected = admin_units.outdated_names("huyện Bắc Bình, tỉnh Bình Thuận"), admin_units.place_names()
    # Still JSON, in a shape the reader did not expect: a table that is no list of three, names
    # that are no list.
    damaged = tmp_path / "admin-units.json"
    change = (lambda data: data.update(units=[[1]])) if how == "units" else (lambda data: data.update(place_names=5))
    damaged.write_text(_json_damaged(text, change), encoding="utf-8")
    monkeypatch.setattr(admin_units, "PREBUILT", damaged)
    for cached in (admin_units._prebuilt, admin_units._tables, admin_units.place_names):
        cached.cache_clear()
    try:
        read = admin_units.outdated_names("huyện Bắc Bình, tỉnh Bình Thuận"), admin_units.place_names()
    finally:
        monkeypatch.undo()
        for cached in (admin_units._prebuilt, admin_units._tables, admin_units.place_names):
            cached.cache_clear()
    assert read == expected and expected[0], read


@pytest.mark.parametrize("how", ["cut", "letter"])
def test_a_damaged_lexicon_file_is_keyed_again_from_the_dictionary(tmp_path: Path, how: str,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The heading dictionary's keys cut after a line or a letter changed (the digest of the
    source in its first line intact): the keys were used as made, headings broken inside words the
    cut removed. A damaged file is not used: the keys are made from the dictionary."""
    from generator.document import line_breaks

    if line_breaks._lexicon_source() is None:
        pytest.skip("underthesea chưa được cài")
    line_breaks._lexicon.cache_clear()
    expected = line_breaks._lexicon()
    damaged = tmp_path / "keys.txt"
    damaged.write_text(_damaged(line_breaks.PREBUILT.read_text(encoding="utf-8"), how), encoding="utf-8")
    monkeypatch.setattr(line_breaks, "PREBUILT", damaged)
    line_breaks._lexicon.cache_clear()
    try:
        read = line_breaks._lexicon()
    finally:
        monkeypatch.undo()
        line_breaks._lexicon.cache_clear()
    assert read is not None and expected is not None
    assert list(read) == list(expected)


ARRAY = '<f t="array" ref="B2:B4">A2:A4*2</f>'


@pytest.mark.parametrize(("cells", "said"), [
    ({2: f'<c r="B2">{ARRAY}</c>'},
     [("DM!B2", "có công thức {=A2:A4*2}"), ("DM!B3", "có công thức {=A2:A4*2}"),
      ("DM!B4", "có công thức {=A2:A4*2}")]),
    ({2: f'<c r="B2">{ARRAY}<v>6</v></c>', 3: '<c r="B3"><v>8</v></c>'}, [("DM!B4", "có công thức {=A2:A4*2}")]),
    ({2: f'<c r="B2">{ARRAY}<v>6</v></c>', 3: '<c r="B3"><v>8</v></c>', 4: '<c r="B4"><v>10</v></c>'}, []),
    ({2: '<c r="B2"><f t="shared" ref="B2:B4" si="0">A2*2</f></c>', 3: '<c r="B3"><f t="shared" si="0"/><v>8</v></c>',
      4: '<c r="B4"><f t="shared" si="0"/></c>'}, [("DM!B2", "có công thức =A2*2"), ("DM!B4", "có công thức")]),
], ids=["array-without-values", "array-one-value-missing", "array-with-values", "shared-formula"])
def test_each_cell_of_an_array_formula_without_a_value_is_said(tmp_path: Path, cells: dict, said: list) -> None:
    """An array formula is written once, in its first cell, over its range (B2:B4): Excel shows a
    result in every cell and stores each one's value there. The cells after the first held no <f>,
    so one without a value was read as empty; each is said, as Excel shows it ({=…}, the first
    cell's too). A shared formula's cells each hold their own <f>."""
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{r + 1}</v></c>{cells.get(r, "")}</row>' for r in (2, 3, 4))
    path = tmp_path / "mang.xlsx"
    path.write_bytes(_xlsx_with_sheet(f'<worksheet xmlns="{MAIN}"><sheetData>{HEADER}{rows}</sheetData></worksheet>'
                                      .encode()))
    try:
        table = _guarded(read_sheet, path)
    except BadCells as caught:
        found = [(p.path, p.message.split(" nhưng")[0]) for p in caught.problems if "công thức" in p.message]
    else:
        found = []
        assert table.table["rows"][1][1] == "8", table.table
    assert found == said, found


def test_array_formulas_over_the_whole_sheet_again_and_again_are_refused_at_their_count(tmp_path: Path) -> None:
    """90,000 array formulas each over A1:B90000 (the sheet's whole area, every cell valued):
    each range was to be looked through, 18 billion cells. Their ranges are counted together,
    as merges are, and the sheet refused at the limit."""
    cells = "".join(f'<row r="{r}"><c r="A{r}"><v>1</v></c><c r="B{r}"><f t="array" ref="A1:B90000">1</f><v>1</v></c>'
                    "</row>" for r in range(2, 90_001))
    path = tmp_path / "mang.xlsx"
    path.write_bytes(_xlsx_with_sheet(f'<worksheet xmlns="{MAIN}"><sheetData>{HEADER}{cells}</sheetData></worksheet>'
                                      .encode()))
    with pytest.raises(SheetTooBig) as caught:
        _guarded(read_sheet, path)
    assert "mang.xlsx" in str(caught.value) and "công thức mảng phủ hơn 200.000 ô" in str(caught.value), caught.value


def test_a_formula_without_a_value_under_a_merge_shows_nothing_and_is_no_mistake(tmp_path: Path) -> None:
    """B2:B3 merged: the sheet shows B2's value over both, and a formula without a value in B3
    (kept under the merge) shows nothing, in .xlsx as in .ods (covered-table-cell); B2's own is said."""
    rows = ('<row r="2"><c r="A2"><v>3</v></c><c r="B2"><f>A2*2</f></c></row>'
            '<row r="3"><c r="A3"><v>4</v></c><c r="B3"><f>A3*2</f></c></row>')
    path = tmp_path / "gop.xlsx"
    path.write_bytes(_xlsx_with_sheet(f'<worksheet xmlns="{MAIN}"><sheetData>{HEADER}{rows}</sheetData>'
                                      '<mergeCells count="1"><mergeCell ref="B2:B3"/></mergeCells></worksheet>'.encode()))
    cell = '<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p></table:table-cell>'
    ods = tmp_path / "gop.ods"
    ods.write_bytes(ods_package(
        '<table:table table:name="DM"><table:table-row>'
        '<table:table-cell office:value-type="string"><text:p>STT</text:p></table:table-cell>'
        '<table:table-cell office:value-type="string"><text:p>Nội dung</text:p></table:table-cell></table:table-row>'
        f'<table:table-row>{cell.format(v=3)}<table:table-cell table:number-rows-spanned="2" '
        'table:formula="of:=[.A2]*2"/></table:table-row>'
        f'<table:table-row>{cell.format(v=4)}<table:covered-table-cell table:formula="of:=[.A3]*2"/>'
        "</table:table-row></table:table>"))
    for sheet in (path, ods):
        with pytest.raises(BadCells) as caught:
            _guarded(read_sheet, sheet)
        said = [(p.path, p.message.split(" nhưng")[0]) for p in caught.value.problems if "công thức" in p.message]
        assert said == [("DM!B2", "có công thức =A2*2")], (sheet.name, said)


@pytest.mark.parametrize("header", [b"xref\x000\x00300000000\x00", b"xref" + b" " * 17 + b"0 +000300000000\n"],
                         ids=["nul", "blanks-sign-zeros"])
def test_a_table_declaring_objects_in_the_parsers_spelling_is_refused_before_it(tmp_path: Path, capsys,
                                                                                header: bytes) -> None:
    """A table declaring 300 million objects, written with NUL for blanks, or 17 blanks, a sign and
    leading zeros: the census read the declared count only in its plain spelling."""
    from tests.test_verify_attacks import _xref_pdf

    data = _xref_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"])
    data = data.replace(b"xref\n0 3\n", header)
    message = _hostile(tmp_path, "khai-bao.pdf", data, capsys)
    assert "khai báo quá 200.000 đối tượng" in message, message
