"""The invariance encodings of tests/test_reading_invariance.py applied the way real plans are made:
what a real file holds that the plain fixture does not (a header table of several rows, a text box's
own inner margins…) and which, read wrongly, changed `check` findings or `import` data while the
printed page stayed the same. Each test reproduces the pattern in a fixture; none reads the corpus's
text."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from generator.check import check_docx
from generator.jobs.importer import import_docx
from generator.word.reader import read_word
from tests.test_check_invariance import _plain
from tests.test_reading_invariance import header_in_the_page_header, header_in_vml_text_boxes

VML_TEXTBOX = "{urn:schemas-microsoft-com:vml}textbox"


@pytest.fixture(scope="module")
def plain(tmp_path_factory) -> Path:
    return _plain(tmp_path_factory.mktemp("plain") / "plain.docx")


def _header_cells(doc: Any) -> list[int]:
    tbl = doc.tables[0]._tbl
    return [int(tc.find(f"{qn('w:tcPr')}/{qn('w:tcW')}").get(qn("w:w"))) for tc in tbl.iter(qn("w:tc"))]


@pytest.mark.parametrize(("inset", "margins"), [
    ("0,0,0,0", 0),
    ("5.4pt,0,5.4pt,0", 216),
    ("1.44pt,.72pt,1.44pt,.72pt", 58),
    (".05in", 72 + 144),  # the right margin left out: Word's 0.1 inch
    (None, 288),  # no inset at all: 0.1 inch each side
])
def test_a_vml_text_box_leaves_its_own_inner_margins(plain, tmp_path, inset, margins):
    """A VML text box's text runs between the inner margins its v:textbox inset names (Format Text
    Box > Text Box > Internal margin), not always Word's default 0.1 inch: read with the default, a
    header box set with Word's table cell margins (5.4 pt) was 3.6 pt narrower than it prints, and
    the Quốc hiệu that fits on one line was reported broken, the issuer's name imported broken."""
    doc = docx.Document(str(plain))
    widths = _header_cells(doc)
    header_in_vml_text_boxes(doc)
    for box in doc.element.body.iter(VML_TEXTBOX):
        if inset is None:
            box.attrib.pop("inset", None)
        else:
            box.set("inset", inset)
    path = tmp_path / "boxes.docx"
    doc.save(str(path))
    read = [c.paras[0].cell.width for c in read_word(path).tables[0].rows[0]]
    assert read == [w - margins for w in widths]


def _numbered_from_page_two(path: Path, out: Path) -> Path:
    """The plain plan with its page numbers as Decree 30 sets them: a PAGE field centred in the
    header, none on page 1 (Different First Page, its header empty)."""
    doc = docx.Document(str(path))
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    para = section.header.paragraphs[0]
    para.alignment = 1
    para._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE "><w:r><w:rPr><w:sz w:val="28"/></w:rPr>'
                             '<w:t>2</w:t></w:r></w:fldSimple>'))
    doc.save(str(out))
    return out


def _page_one_finding(path: Path) -> str:
    return next(r.status for r in check_docx(path).results if r.rule == "PL1.II.7.so-trang.trang-dau")


def test_the_header_table_in_the_first_pages_own_header_prints_no_page_number(plain, tmp_path):
    """The plan's header table (issuer, Quốc hiệu, Số, date) put in page 1's own header, as some
    agencies' templates do: that header prints text but no page number, so page 1 still shows none
    (it was reported as "trang đầu riêng nhưng có số trang" for having any text)."""
    numbered = _numbered_from_page_two(plain, tmp_path / "numbered.docx")
    doc = docx.Document(str(numbered))
    header_in_the_page_header(doc)
    moved = tmp_path / "moved.docx"
    doc.save(str(moved))
    assert _page_one_finding(numbered) == _page_one_finding(moved) == "pass"


def test_a_page_number_typed_in_the_first_pages_header_is_still_one(plain, tmp_path):
    numbered = _numbered_from_page_two(plain, tmp_path / "numbered.docx")
    doc = docx.Document(str(numbered))
    doc.sections[0].first_page_header.paragraphs[0].text = "- 1 -"
    typed = tmp_path / "typed.docx"
    doc.save(str(typed))
    assert _page_one_finding(typed) == "fail"


CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "ke-hoach"


def _one_row_headers() -> list[Path]:
    """The corpus plans whose header is one table row (issuer | Quốc hiệu): the shape the encodings
    below move as a whole."""
    if not CORPUS.is_dir():
        return []
    return [f for f in sorted(CORPUS.glob("*.docx"))
            if len(docx.Document(str(f)).tables[0]._tbl.findall(qn("w:tr"))) == 1]


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the corpus of real plans (../shared/corpus) is not here")
@pytest.mark.parametrize("encoding", [header_in_vml_text_boxes, header_in_the_page_header])
def test_real_plans_read_the_same_with_their_header_moved_as_word_prints_it(tmp_path, encoding):
    """Real plans, their header table set as VML text boxes or put in page 1's own header: the page
    is the same, so are the findings and the imported data."""
    from tests.test_reading_invariance import _findings

    files = _one_row_headers()
    assert files
    for f in files:
        doc = docx.Document(str(f))
        encoding(doc)
        moved = tmp_path / f.name
        doc.save(str(moved))
        assert _findings(moved) == _findings(f), f.name
        assert _data(moved) == _data(f), f.name


def _data(path: Path) -> Any:
    return json.loads(json.dumps(import_docx(path).data, ensure_ascii=False, default=str))


def _grid_split(doc: Any, cut: Callable[[int], int]) -> None:
    """Every table's grid columns each cut in two (the first part cut(width) wide), every cell
    spanning both parts: edges no cell starts or ends at, so the page is the same. Word's grid holds
    such edges when a row's cells were dragged a little off the others', or after a deleted column."""
    for tbl in doc.element.body.iter(qn("w:tbl")):
        for gc in tbl.findall(f"{qn('w:tblGrid')}/{qn('w:gridCol')}"):
            width = int(gc.get(qn("w:w")))
            gc.set(qn("w:w"), str(cut(width)))
            gc.addnext(parse_xml(f'<w:gridCol {nsdecls("w")} w:w="{width - cut(width)}"/>'))
        for tc in tbl.iter(qn("w:tc")):
            if next(tc.iterancestors(qn("w:tbl"))) is not tbl:
                continue
            tcpr = tc.find(qn("w:tcPr"))
            span = tcpr.find(qn("w:gridSpan"))
            if span is None:
                span = parse_xml(f'<w:gridSpan {nsdecls("w")} w:val="1"/>')
                tcpr.find(qn("w:tcW")).addnext(span)
            span.set(qn("w:val"), str(2 * int(span.get(qn("w:val")))))


@pytest.mark.parametrize("cut", [lambda w: w // 2, lambda w: w - 15], ids=["halves", "sliver"])
def test_grid_edges_no_cell_uses_print_no_column(plain, tmp_path, cut):
    """A table whose grid has edges no cell starts or ends at reads as the columns the page shows:
    the catalogue imported with its own columns and titles (it was read with twice as many
    columns, untitled, each cell spanning two)."""
    from tests.test_reading_invariance import _findings

    doc = docx.Document(str(plain))
    _grid_split(doc, cut)
    split = tmp_path / "split.docx"
    doc.save(str(split))
    assert _data(split) == _data(plain)
    assert _findings(split) == _findings(plain)


def _grid_column_every_row_skips(doc: Any) -> int:
    """Each table set flush from its left (not centred) given an empty grid column at its left that
    every row skips (w:gridBefore with its w:wBefore), the table moved left by as much (w:tblInd):
    its cells print where they did. The number of tables changed."""
    changed = 0
    for tbl in doc.element.body.iter(qn("w:tbl")):
        tblpr = tbl.find(qn("w:tblPr"))
        jc = tblpr.find(qn("w:jc"))
        if jc is not None and jc.get(qn("w:val")) in ("center", "right"):
            continue
        tbl.find(qn("w:tblGrid")).insert(0, parse_xml(f'<w:gridCol {nsdecls("w")} w:w="300"/>'))
        ind = tblpr.find(qn("w:tblInd"))
        if ind is None:
            ind = parse_xml(f'<w:tblInd {nsdecls("w")} w:w="0" w:type="dxa"/>')
            (tblpr.find(qn("w:tblW")) if tblpr.find(qn("w:tblW")) is not None else tblpr[0]).addnext(ind)
        ind.set(qn("w:w"), str(int(ind.get(qn("w:w"))) - 300))
        for tr in tbl.findall(qn("w:tr")):
            trpr = tr.find(qn("w:trPr"))
            if trpr is None:
                trpr = parse_xml(f'<w:trPr {nsdecls("w")}/>')
                tr.insert(0, trpr)
            trpr.insert(0, parse_xml(f'<w:gridBefore {nsdecls("w")} w:val="1"/>'))
            trpr.insert(1, parse_xml(f'<w:wBefore {nsdecls("w")} w:w="300" w:type="dxa"/>'))
        changed += 1
    return changed


def test_a_grid_column_every_row_skips_prints_no_column(plain, tmp_path):
    """A table whose rows all begin one grid column in (w:gridBefore: Word's way to indent rows)
    reads as the columns its cells print in, from where they begin (the catalogue was imported
    with an empty first column and its titles dropped)."""
    from tests.test_reading_invariance import _findings

    doc = docx.Document(str(plain))
    for jc in list(doc.element.body.iter(qn("w:jc"))):  # every table set from the left, the reference too
        if jc.getparent().tag == qn("w:tblPr"):
            jc.getparent().remove(jc)
    flush = tmp_path / "flush.docx"
    doc.save(str(flush))
    assert _grid_column_every_row_skips(doc) == len(doc.tables)
    moved = tmp_path / "moved.docx"
    doc.save(str(moved))
    assert _data(moved) == _data(flush)
    assert _findings(moved) == _findings(flush)


@pytest.mark.parametrize(("caps", "written", "name"), [
    ("ỦY BAN BẦU CỬ XÃ PHỐ BẢNG", "theo chỉ đạo của Uỷ ban bầu cử xã Phố Bảng, tiểu ban", "Uỷ ban bầu cử xã Phố Bảng"),
    ("UỶ BAN NHÂN DÂN TỈNH", "báo cáo Ủy ban nhân dân tỉnh kết quả", "Ủy ban nhân dân tỉnh"),
    ("SỞ VĂN HOÁ", "Sở Văn hóa phối hợp", "Sở Văn hóa"),
])
def test_a_name_is_found_in_the_text_whichever_way_its_tone_marks_sit(caps, written, name):
    """The header in capitals with one placement of tone marks ("ỦY", "HOÁ"), the running text with
    the other ("Uỷ", "hóa": typed with another input method's setting): the same words, so the
    text's own writing of the name gives its case (it was missed, and the rules' guess imported
    "Ủy ban Bầu cử")."""
    from generator.plan.name_case import as_written

    assert as_written(caps, written) == name
