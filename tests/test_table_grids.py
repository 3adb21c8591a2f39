"""One printed table, its grid stored another way (round 7 of tests/test_reading_invariance.py): what the
reader makes of it, cell by cell. The invariance test compares `check` and `import`; these look at
the tables the reader gives them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn

from generator.word.reader import Table, WordDocument, read_word
from tests.test_check_invariance import _plain
from tests.test_reading_invariance import (
    _el,
    _save,
    catalogue_split_by_a_page_break,
    header_rows_cut_apart,
    merge_continued_from_nothing,
)


@pytest.fixture(scope="module")
def plain(tmp_path_factory) -> Path:
    return _plain(tmp_path_factory.mktemp("plain") / "plain.docx")


def _rows(table: Table) -> list[list[tuple[str, int, str | None]]]:
    return [[(" ".join(p.text for p in c.paras if p.text), c.span, c.merge) for c in row] for row in table.rows]


def _lines(doc: WordDocument) -> list[tuple[str, tuple[int, int, int] | None]]:
    """Every printed line with its cell's (table, row, grid column)."""
    return [(p.text, (p.cell.table, p.cell.row, p.cell.grid_col) if p.cell else None) for p in doc.paragraphs if p.text]


def test_a_catalogue_continued_after_a_page_break_reads_as_one_table(plain, tmp_path):
    """The catalogue cut in two tables by a page break, its header row typed again on top of the
    second: one table of the same rows, cells and lines as the catalogue in one piece (the row typed
    again is left out as Word's repeated header row is), the lines indexed in order."""
    split = read_word(_save(plain, "split", catalogue_split_by_a_page_break, tmp_path / "split.docx"))
    whole = read_word(plain)
    assert len(split.tables) == len(whole.tables) == 3
    assert _rows(split.tables[2]) == _rows(whole.tables[2])
    assert [p.text for p in split.paragraphs if p.text] == [p.text for p in whole.paragraphs if p.text]
    first = split.paragraphs.index(next(p for p in split.paragraphs if p.text == "STT"))
    assert _lines(split)[first:] == _lines(whole)[first:]
    assert [p.index for p in split.paragraphs] == list(range(len(split.paragraphs)))
    assert all(split.tables[2].holds(p) for row in split.tables[2].rows for c in row for p in c.paras)


def _catalogue_twice(doc: Any, between: str | None, narrower: bool = False) -> None:
    """The catalogue followed by a copy of it: with a line of text between, or its columns narrower."""
    import copy

    tbl = doc.tables[2]._tbl
    again = copy.deepcopy(tbl)
    if narrower:
        for col in again.iter(qn("w:gridCol")):
            col.set(qn("w:w"), str(int(col.get(qn("w:w"))) - 200))
    tbl.addnext(again)
    if between is not None:
        tbl.addnext(_el(f'<w:p><w:r><w:t>{between}</w:t></w:r></w:p>'))


@pytest.mark.parametrize("between, narrower", [("Bảng 2", False), (None, True)])
def test_a_table_after_another_with_the_same_first_row_stays_its_own(plain, tmp_path, between, narrower):
    """Two tables with the same first row are one continued only when nothing prints between them and
    their columns are the same: text between, or other columns, keep them two tables."""
    path = _save(plain, "twice", lambda d: _catalogue_twice(d, between, narrower), tmp_path / "twice.docx")
    doc = read_word(path)
    assert len(doc.tables) == 4
    assert _rows(doc.tables[3])[0] == _rows(doc.tables[2])[0] == [("STT", 1, None), ("Nội dung", 1, None),
                                                                   ("Đơn vị chủ trì", 1, None), ("Thời gian", 1, None)]
    assert len(doc.tables[3].rows) == len(doc.tables[2].rows) == 6


@pytest.mark.parametrize("empty_lines", [1, 3])
def test_two_tables_on_one_page_with_the_same_first_row_stay_two(plain, tmp_path, empty_lines):
    """Two tables with the same first row and only empty lines between them, no page break: the page
    shows two tables, each under its own header row, with a gap between (two lists of one form, "Đợt 1"
    and "Đợt 2"). Only a table the page cuts, its first row typed again on the next page, is one table
    continued; joined, the second table's header row was lost and its rows run on in the first."""
    def twice(d: Any) -> None:
        _catalogue_twice(d, None)
        tbl = d.tables[2]._tbl
        for _ in range(empty_lines):
            tbl.addnext(_el("<w:p/>"))

    doc = read_word(_save(plain, "gap", twice, tmp_path / "gap.docx"))
    assert len(doc.tables) == 4
    assert _rows(doc.tables[3])[0] == _rows(doc.tables[2])[0]
    assert len(doc.tables[3].rows) == len(doc.tables[2].rows) == 6
    assert [p.text for p in doc.paragraphs].count("STT") == 2


def test_cells_of_rows_cut_at_other_grid_columns_stack_by_where_they_print(plain, tmp_path):
    """The header's Số line in a row starting one grid column in (w:gridBefore) and ending before the
    issuer's cell does: its grid column is not the issuer's, yet the two print in one column; the
    Quốc hiệu's cell does not."""
    doc = read_word(_save(plain, "cut", header_rows_cut_apart, tmp_path / "cut.docx"))
    cell = {p.text: p.cell for p in doc.paragraphs if p.cell is not None and p.cell.table == 0 and p.text}
    issuer, number, qh = cell["SỞ VĂN HÓA"], cell["Số: /KH-SVHTT"], cell["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]
    assert issuer.grid_col != number.grid_col
    assert issuer.stacks_with(number) and number.stacks_with(issuer)
    assert not qh.stacks_with(number) and not qh.stacks_with(issuer)


def test_a_merge_continued_from_nothing_prints_its_own_text(plain, tmp_path):
    """A cell marked as continuing a vertical merge where no cell above starts at its grid column (the
    first row; under a cell spanning over it) is read as a cell of its own with its text."""
    doc = read_word(_save(plain, "from-nothing", merge_continued_from_nothing, tmp_path / "nothing.docx"))
    assert [cell[1:] for cell in _rows(doc.tables[1])[0]] == [(1, "restart"), (1, "restart")]
    assert [text for text, _, merge in _rows(doc.tables[1])[0]] == [
        "Nơi nhận: - Ủy ban nhân dân tỉnh; - Các phòng thuộc Sở; - Lưu: VT, VP.",
        "KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC Lê Thị Hạnh"]
    assert _rows(doc.tables[2])[5] == [("1", 1, None), ("Tổ chức giải chạy", 1, None), ("Văn phòng", 1, "restart"),
                                       ("Tháng 5", 1, None)]
    # A continuing cell under the start of a merge still continues it.
    assert _rows(doc.tables[2])[3][2] == ("", 1, "continue")


def test_the_continued_catalogue_keeps_the_documents_tables_in_order(plain, tmp_path):
    """The tables the reader gives keep the file's order, the continued part folded into the first."""
    doc = read_word(_save(plain, "split", catalogue_split_by_a_page_break, tmp_path / "split.docx"))
    assert [t.number for t in doc.tables] == [1, 2, 3]
    assert [t.first for t in doc.tables] == sorted(t.first for t in doc.tables)
    word = docx.Document(str(tmp_path / "split.docx"))
    assert len(word.tables) == 4  # the file still holds two tables for the catalogue
