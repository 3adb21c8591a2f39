"""Red team on round 10's input paths: a spreadsheet's formulas and .ods data styles, verify's census
of a PDF's revisions, the reader of a user's file, the packaged files. Each attack is the file a
hostile user could give (or a damaged install), and each test asserts what the user gets: the
message (where, what, the fix), never a traceback, in the budget a real file needs many times over.

A budget around a call (limits.budget) is a guard, not a measure: a real sheet is read in well under
a second, the attacks below took minutes to hours before their fixes; the budget turns a regression
into a failed test instead of a stuck run."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from generator import limits
from generator.plan.sheets import BadCells, read_sheet
from tests.ods_fixtures import ods_package

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
            dst.writestr(name, sheet_xml if name == "xl/worksheets/sheet1.xml" else src.read(name))
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
