"""Plans written by other programs than Microsoft Word read as Word's do.

Agencies write in LibreOffice Writer, WPS Office, Google Docs, or a document-management system
that makes the .docx with a library (python-docx, pandoc…). Each writes the same page with other
XML. The fixture plan (tests/producer_fixtures) is written by each: by the real program where one
runs here (soffice converting a flat ODT typed as Writer stores it; pandoc from a system's HTML with
a reference doc and a filter; python-docx used naively), by imitation of the export's habits where
none does (Google Docs, WPS). `check` must give the findings and `import` the data of the same page
written by Word.

What the producers taught the reader (generator/word/reader.py) and the importer:
- pandoc writes every table 100 % wide (w:tblW type "pct") over a grid sized for a page of its own
  guess: the table prints as wide as its room, the grid scaled (main read a header column 50 pt too
  narrow: the Quốc hiệu judged not to fit its line, the issuer's parent name read on two lines);
- python-docx's add_table writes an even grid over the page and the widths on the cells (w:tcW):
  Word lays the table out from the cells (LibreOffice from the grid: it draws another page), so the
  catalogue's columns import in the cells' proportions;
- pandoc numbers a nested list "a.", "b.": the body's last item, ending "./.", was taken for the
  closing sentence, its number with it (the importer now asks the outline whether it is numbered).
"""

from __future__ import annotations

import copy
import shutil
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn

from generator.check import check_docx
from generator.jobs.importer import import_docx
from generator.word.reader import read_word
from generator.word.soffice import soffice_or_none
from tests import producer_fixtures as pf
from tests.test_check_invariance import _plain


def _findings(path: Path) -> list[tuple[str, str, str]]:
    return sorted((r.rule, r.status, r.severity) for r in check_docx(path).results)


def _xml(path: Path, part: str = "word/document.xml") -> str:
    return zipfile.ZipFile(path).read(part).decode("utf-8")


@pytest.fixture(scope="module")
def word(tmp_path_factory) -> tuple[Path, list[tuple[str, str, str]], dict[str, Any]]:
    """The page written by Word (appendix on a landscape page), read whole."""
    path = pf.word_plan(tmp_path_factory.mktemp("word") / "word.docx")
    findings = _findings(path)
    for rule in ("PL1.III.1.quoc-hieu.co-chu", "PL1.III.1.tieu-ngu.duong-ke", "PL1.III.9.noi-nhan.hinh-thuc",
                 "PL1.III.7.khoang-ky", "PL1.III.6.noi-dung.thut-dau-dong"):
        assert any(f[0] == rule and f[1] == "pass" for f in findings), (rule, findings)
    data = import_docx(path).data
    assert data["agency"]["name"] == ["Sở Văn hóa", "và Thể thao"] and data["signer"]["name"] == "Lê Thị Hạnh"
    assert [g["group"] for g in data["appendices"][0]["table"]["rows"]] == ["Công tác chuẩn bị", "Tổ chức giải"]
    return path, findings, data


def _same(word: tuple[Path, list[tuple[str, str, str]], dict[str, Any]], other: Path) -> None:
    _, findings, data = word
    assert _findings(other) == findings
    assert import_docx(other).data == data


@pytest.mark.skipif(soffice_or_none() is None, reason="chưa cài LibreOffice (soffice)")
@pytest.mark.parametrize("recipients_listed, chapter_numbering", [(False, False), (True, False), (False, True)],
                         ids=["noi-nhan-go-gach", "noi-nhan-danh-sach", "danh-so-chuong"])
def test_a_plan_typed_in_libreoffice_writer(word, tmp_path, recipients_listed, chapter_numbering):
    """Typed in Writer (its list numbering for I., 1. and the dashes, lines drawn with the line tool,
    a landscape page style for the appendix; the recipients typed with their dash, or a Writer list
    whose bullet is a dash; the mục as "Heading 1" numbered by Chapter Numbering) and saved as .docx
    by LibreOffice."""
    path = pf.write_writer_plan(tmp_path, recipients_listed=recipients_listed, chapter_numbering=chapter_numbering)
    numbering = _xml(path, "word/numbering.xml")
    assert 'w:val="upperRoman"' in numbering and "<w:numPr>" in _xml(path)  # Writer's numbers, not typed
    assert ('<w:pStyle w:val="Heading1"/>' in _xml(path)) is chapter_numbering
    assert "MỤC ĐÍCH" in _xml(path) and "I. MỤC ĐÍCH" not in _xml(path)
    assert ("- Ủy ban" in _xml(path)) is not recipients_listed
    assert 'w:orient="landscape"' in _xml(path)
    _same(word, path)


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="chưa cài pandoc")
def test_a_plan_written_by_pandoc(word, tmp_path):
    """Written by pandoc from a system's HTML with a reference doc (custom paragraph styles) and a Lua
    filter drawing the lines and ending the portrait section."""
    path = pf.write_pandoc_plan(tmp_path)
    assert 'w:tblW w:type="pct" w:w="5000"' in _xml(path)
    _same(word, path)


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="chưa cài pandoc")
def test_a_plan_numbered_by_pandocs_lists_reads_as_its_page_prints(tmp_path):
    """The body as HTML lists: pandoc numbers a nested list "a.", "b." and bullets with "•", hanging
    from indents of its own, another page than Word's. Read as printed: the numbers under each mục
    are its điểm (the checker says the form is not Decree 30's), and the last one, ending "./.", is
    an item of the body, not the closing sentence (main took it for the closing, its "b." with it)."""
    path = pf.write_pandoc_plan(tmp_path, lists=True)
    data = import_docx(path).data
    assert "closing" not in data
    assert [s["title"] for s in data["sections"]] == ["Mục đích, yêu cầu", "Tổ chức thực hiện"]
    assert data["sections"][1]["blocks"] == [{"points": [
        "Các phòng chuyên môn chuẩn bị địa điểm và trang thiết bị.",
        "Các đơn vị triển khai thực hiện nghiêm túc Kế hoạch này./."]}]
    numbering = next(r for r in check_docx(path).results if r.rule == "PL1.III.6.danh-so")
    assert numbering.status == "fail" and "a." in numbering.measured


@pytest.mark.skipif(soffice_or_none() is None, reason="chưa cài LibreOffice (soffice)")
def test_a_portals_html_opened_in_writer_reads_as_its_page_prints(plain, tmp_path):
    """A portal's HTML export opened in LibreOffice Writer and saved as .docx: the words, emphasis and
    structure of Word's page; what LibreOffice prints otherwise is said as it prints (the lines
    under the Tiêu ngữ and the trích yếu run across their columns, the catalogue's columns are
    LibreOffice's own)."""
    path = pf.write_portal_plan(tmp_path)
    _, findings, data = plain
    lines = {"PL1.III.1.tieu-ngu.duong-ke", "PL1.III.5.trich-yeu.duong-ke"}
    got = {r.rule: r for r in check_docx(path).results}
    assert {rule: got[rule].measured.startswith("viền dưới đoạn dài") for rule in lines} == dict.fromkeys(lines, True)
    assert [f for f in _findings(path) if f[0] not in lines] == [f for f in findings if f[0] not in lines]
    other, data = import_docx(path).data, copy.deepcopy(data)
    for imported in (other, data):
        for column in imported["appendices"][0]["table"]["columns"]:
            del column["width"]
    assert other == data


def test_a_table_set_to_fill_its_room_prints_that_wide(tmp_path):
    """A table 100 % wide whose grid sums to less than the text width (pandoc's): its columns are
    the room in the grid's proportions, each cell as wide as its share."""
    path = pf.word_plan(tmp_path / "word.docx")
    doc = docx.Document(str(path))
    tbl = doc.tables[0]._tbl
    tbl.find(f"{qn('w:tblPr')}/{qn('w:tblW')}").set(qn("w:type"), "pct")
    tbl.find(f"{qn('w:tblPr')}/{qn('w:tblW')}").set(qn("w:w"), "5000")
    for g in tbl.iter(qn("w:gridCol")):
        g.set(qn("w:w"), str(int(g.get(qn("w:w"))) // 2))
    for tcw in tbl.iter(qn("w:tcW")):
        tcw.getparent().remove(tcw)
    doc.save(str(tmp_path / "pct.docx"))
    read = read_word(tmp_path / "pct.docx")
    room = read.sections[0].text_width
    widths = read.tables[0].widths
    assert abs(sum(widths) - room) <= 2 and abs(widths[0] / sum(widths) - 6.5 / 17) < 0.001, (widths, room)
    cells = {p.cell.col: p.cell.width for p in read.paragraphs if p.cell is not None and p.cell.table == 0}
    assert cells == {0: widths[0] - 216, 1: widths[1] - 216}  # less Word's cell margins, 108 twips a side


def test_a_plan_written_naively_with_python_docx(word, tmp_path):
    """Written by python-docx's plain API as a generating system does: direct formatting on every
    run, empty paragraphs for space, an even grid with the widths on the cells, merges by
    cell.merge, no shapes (the Tiêu ngữ underlined, the issuer's line typed as underscores)."""
    path = pf.write_naive_plan(tmp_path)
    catalogue = docx.Document(str(path)).tables[2]._tbl
    grid = {g.get(qn("w:w")) for g in catalogue.iter(qn("w:gridCol"))}
    assert len(grid) == 1  # an even grid: the widths are on the cells only
    assert "<w:pStyle" not in _xml(path)
    _same(word, path)
    columns = [c["width"] for c in import_docx(path).data["appendices"][0]["table"]["columns"]]
    assert columns == [round(cm * 100 / sum(pf.CATALOGUE_CM), 1) for cm in pf.CATALOGUE_CM]


def test_a_grid_word_saved_is_what_it_printed_whatever_its_cells_prefer(tmp_path):
    """The counter-case of the even grid: Word fitted the header table to the page (its grid, uneven,
    is its layout) and kept the cells' preferred widths as typed, wider than the page: the grid
    is read, not the cells' wishes; the even grid a library writes gives way to the cells."""
    path = pf.word_plan(tmp_path / "word.docx")
    doc = docx.Document(str(path))
    tbl = doc.tables[0]._tbl
    grid = [int(g.get(qn("w:w"))) for g in tbl.iter(qn("w:gridCol"))]
    for tcw in tbl.iter(qn("w:tcW")):
        tcw.set(qn("w:w"), str(int(tcw.get(qn("w:w"))) + 400))
    doc.save(str(tmp_path / "stale.docx"))
    assert read_word(tmp_path / "stale.docx").tables[0].widths == grid
    even = [sum(grid) // 2] * 2
    for g, w in zip(tbl.iter(qn("w:gridCol")), even):
        g.set(qn("w:w"), str(w))
    doc.save(str(tmp_path / "even.docx"))
    assert read_word(tmp_path / "even.docx").tables[0].widths == [w + 400 for w in grid]


@pytest.fixture(scope="module")
def plain(tmp_path_factory) -> tuple[Path, list[tuple[str, str, str]], dict[str, Any]]:
    path = _plain(tmp_path_factory.mktemp("plain") / "plain.docx")
    return path, _findings(path), import_docx(path).data


@pytest.mark.parametrize("producer", [pf.google_docs, pf.wps_office, pf.tables_without_grid, pf.cell_widths_in_percent],
                         ids=["google-docs", "wps", "bang-khong-luoi", "o-rong-theo-phan-tram"])
def test_an_imitated_export_reads_as_word_does(plain, tmp_path, producer):
    """Google Docs' and WPS's exports, and the tables of libraries that write no grid (the cells'
    widths in twips, or in shares of the table's width): main read a gridless table's columns as
    equal, or as nothing wide (the Quốc hiệu judged not to fit a column of 0 pt, the Tiêu ngữ's line
    not found)."""
    doc = docx.Document(str(plain[0]))
    producer(doc)
    path = tmp_path / f"{producer.__name__}.docx"
    doc.save(str(path))
    if producer is pf.wps_office:
        pf.wps_package(path)
        assert 'w:styleId="1"' in _xml(path, "word/styles.xml") and 'w:eastAsia="zh-CN"' in _xml(path)
    elif producer is pf.google_docs:
        assert 'w:name="_gjdgxs"' in _xml(path) and '.0"' in _xml(path)
    else:
        assert "<w:gridCol" not in _xml(path)
    _same(plain, path)
