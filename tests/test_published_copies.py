"""What a copy of an issued plan prints that is not the plan. Plans downloaded from an agency's
portal, or received from a superior, are such copies:
- a stand-in where the signature goes: "(Đã ký)", "ĐÃ KÝ", "(Đã ký và đóng dấu)", the form's "(Ký,
  ghi rõ họ tên, đóng dấu)": neither a title line nor the signer's name;
- a bản sao's own block after the last page (Decree 30, Phụ lục I, Phần II: "SAO Y", "SAO LỤC",
  "TRÍCH SAO" with the copying office, its Số, date, signer and Nơi nhận, under a rule): not an
  appendix.
For each, check finds what it finds on the same plan without it, and import gives the same data (the
new document leaves the space blank for the signature and is no copy), with one warning that says
what was left out.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml import parse_xml

from generator.check import check_docx
from generator.jobs.importer import import_docx
from tests.word_fixtures import WordTable, add_para, build_plan, run_xml

BODY = ["I. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích", "Nâng cao sức khỏe cộng đồng trên địa bàn tỉnh năm 2026.",
        "II. NỘI DUNG", "Tổ chức giải chạy tại các huyện trong tháng 5 năm 2026./."]


def _signer_cell(doc: Any) -> Any:
    return doc.tables[-1].cell(0, 1)


def _in_the_space(mark: str, *, bold: bool = False, italic: bool = False) -> Callable[[Any], None]:
    """The stand-in typed on the middle blank line between the titles and the name."""
    def edit(doc: Any) -> None:
        blank = [p for p in _signer_cell(doc).paragraphs if not p.text.strip()][1]
        blank._p.append(parse_xml(run_xml(mark, bold=bold, italic=italic)))
    return edit


def _one_paragraph(mark: str | None) -> Callable[[Any], None]:
    """The whole signer's block typed as one paragraph with Shift+Enter, the stand-in on its own line."""
    def edit(doc: Any) -> None:
        cell = _signer_cell(doc)
        paras = cell.paragraphs
        lines = ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "", mark or "", "", "Lê Thị Hạnh"]
        first = paras[0]
        for r in list(first._p.findall(f"{{{first._p.nsmap['w']}}}r")):
            first._p.remove(r)
        first._p.append(parse_xml(run_xml("\n".join(lines), bold=True)))
        for p in paras[1:]:
            p._p.getparent().remove(p._p)
    return edit


def _plan(path: Path, edit: Callable[[Any], None] | None, appendices: list[list[Any]] | None = None) -> Path:
    build_plan(path, body=BODY, appendices=appendices)
    if edit is not None:
        doc = docx.Document(str(path))
        edit(doc)
        doc.save(str(path))
    return path


def _findings(path: Path) -> list[tuple[str, str, str]]:
    return sorted((r.rule, r.status, r.severity) for r in check_docx(path).results)


CASES = {
    "da-ky-nghieng": (_in_the_space("(Đã ký)", italic=True), None),
    "da-ky-in-hoa": (_in_the_space("ĐÃ KÝ", bold=True), None),
    "da-ky-dong-dau": (_in_the_space("(Đã ký và đóng dấu)", italic=True), None),
    "da-ky-so": (_in_the_space("[Đã ký số]", italic=True), None),
    "mau-ky-ghi-ro": (_in_the_space("(Ký, ghi rõ họ tên, đóng dấu)", italic=True), None),
    "mot-doan-xuong-dong": (_one_paragraph("(Đã ký)"), _one_paragraph(None)),
}


@pytest.mark.parametrize("name", list(CASES))
def test_a_signature_stand_in_is_neither_a_title_nor_the_name(tmp_path: Path, name: str) -> None:
    edit, plain_edit = CASES[name]
    plain = _plan(tmp_path / "plain.docx", plain_edit)
    marked = _plan(tmp_path / f"{name}.docx", edit)

    assert _findings(marked) == _findings(plain)
    want, got = import_docx(plain), import_docx(marked)
    assert got.data == want.data
    assert want.data["signer"]["name"] == "Lê Thị Hạnh" and want.data["signer"]["title"] == "Phó Giám đốc"
    new = [n for n in got.warnings if n not in want.warnings]
    assert len(new) == 1 and "khoảng ký" in new[0].message, new


def test_a_title_line_that_is_no_stand_in_stays_a_title(tmp_path: Path) -> None:
    # A real third title line in the same place is read as before: the stand-in is recognised by
    # what it says, not by where it stands.
    path = _plan(tmp_path / "ba-dong.docx", _in_the_space("KÝ THAY GIÁM ĐỐC", bold=True))
    lines = import_docx(path).data["signer"].get("lines", [])
    assert "KÝ THAY GIÁM ĐỐC" in lines


def _copy_block(form: str, *, rule: str | None = "_" * 48) -> Callable[[Any], None]:
    """The copying office's block on the page after the document: a rule typed as underscores, then
    a table: its name, the copy's Số and its Nơi nhận on the left; the form, place and date, the
    signer on the right."""
    def edit(doc: Any) -> None:
        if rule is not None:
            add_para(doc, rule, align="center", size=13)
        t = doc.add_table(rows=1, cols=2)
        left, right = t.cell(0, 0), t.cell(0, 1)
        for c in (left, right):
            c._tc.remove(c.paragraphs[0]._p)
        for text, kw in [("VĂN PHÒNG ỦY BAN NHÂN DÂN", {"bold": True}), ("Số: 15/SY-VP", {}),
                         ("Nơi nhận:", {"bold": True, "italic": True, "size": 12}),
                         ("- Các sở, ban, ngành;", {"size": 11}), ("- Lưu: VT.", {"size": 11})]:
            add_para(left, text, align="left" if "size" in kw else "center", before=0, **kw)
        for text, kw in [(form, {"bold": True}), ("Hà Nội, ngày 20 tháng 3 năm 2026", {"italic": True}),
                         ("TL. CHỦ TỊCH", {"bold": True}), ("CHÁNH VĂN PHÒNG", {"bold": True}), ("", {}),
                         ("Trần Văn Bình", {"bold": True})]:
            add_para(right, text, align="center", before=0, **kw)
    return edit


APPENDIX = [[{"text": "Phụ lục", "bold": True, "align": "center"},
             {"text": "DANH SÁCH ĐIỂM TỔ CHỨC", "bold": True, "align": "center"},
             {"text": "(Kèm theo Kế hoạch số 12/KH-SVHTT ngày 15 tháng 3 năm 2026)", "italic": True,
              "align": "center"},
             WordTable([["TT", "Địa điểm"], ["1", "Sân vận động tỉnh"], ["2", "Quảng trường trung tâm"]], [2, 12])]]

COPIES = {
    "sao-y": (_copy_block("SAO Y"), None),
    "sao-y-ban-chinh": (_copy_block("SAO Y BẢN CHÍNH", rule=None), None),
    "trich-sao-sau-phu-luc": (_copy_block("TRÍCH SAO"), APPENDIX),
}


@pytest.mark.parametrize("name", list(COPIES))
def test_a_copys_own_block_is_not_an_appendix(tmp_path: Path, name: str) -> None:
    edit, appendices = COPIES[name]
    plain = _plan(tmp_path / "plain.docx", None, appendices)
    copy = _plan(tmp_path / f"{name}.docx", edit, appendices)

    assert _findings(copy) == _findings(plain)
    want, got = import_docx(plain), import_docx(copy)
    assert got.data == want.data
    assert len(got.data.get("appendices", [])) == len(appendices or [])
    new = [n for n in got.warnings if n not in want.warnings]
    assert len(new) == 1 and "bản sao" in new[0].message, new


def test_a_copy_form_word_in_an_appendix_table_is_no_copy(tmp_path: Path) -> None:
    # The words alone make no copy: a table after the signature that names "SAO Y" in a cell but
    # has no Số and no Nơi nhận of its own stays an appendix.
    path = tmp_path / "bang.docx"
    build_plan(path, body=BODY, appendices=[[{"text": "Phụ lục", "bold": True, "align": "center"},
                                             WordTable([["Hình thức", "Số bản"], ["SAO Y", "5"]], [8, 6])]])
    result = import_docx(path)
    # The table itself is imported: an appendix of its heading alone would still count one.
    assert [a.get("table", {}).get("rows") for a in result.data["appendices"]] == [[["SAO Y", "5"]]]
    assert not any("bản sao" in n.message for n in result.warnings), result.warnings


def test_a_distribution_list_naming_the_copy_form_is_an_appendix(tmp_path: Path) -> None:
    # An appendix's list of who receives what: "Nơi nhận" over a column, "SAO Y" in a row. It has a
    # copy block's words but not its layout (the form over the copy's place and date): every row is
    # imported, and no copy is said.
    rows = [["TT", "Nơi nhận", "Hình thức", "Số bản"], ["1", "Sở Tài chính", "SAO Y", "02"],
            ["2", "Sở Nội vụ", "BẢN CHÍNH", "01"]]
    app = [*APPENDIX[0][:3], WordTable(rows, [2, 6, 4, 3])]
    result = import_docx(_plan(tmp_path / "phat-hanh.docx", None, [app]))
    assert result.data["appendices"][0]["table"]["rows"] == [r[1:] for r in rows[1:]]
    assert not any("bản sao" in n.message for n in result.warnings), result.warnings


def test_an_extract_inside_the_document_cuts_no_later_appendix(tmp_path: Path) -> None:
    # A copy's own block ends the document: a "TRÍCH SAO" block closing an extract that is attached as
    # an appendix, with another appendix after it on its own page, is no copy's block (taken as one,
    # it ran to the end and every later appendix was neither imported nor checked).
    from tests.word_fixtures import page_break

    from generator.recognise import read_docx

    path = _plan(tmp_path / "trich-giua.docx", _copy_block("TRÍCH SAO"), APPENDIX)
    doc = docx.Document(str(path))
    page_break(doc)
    add_para(doc, "Phụ lục II", align="center", bold=True)
    add_para(doc, "BẢNG PHÂN CÔNG THỰC HIỆN", align="center", bold=True)
    add_para(doc, "(Kèm theo Kế hoạch số 12/KH-SVHTT ngày 15 tháng 3 năm 2026)", align="center", italic=True)
    add_para(doc, "Phòng Nghiệp vụ chủ trì tổ chức giải chạy tại các huyện.")
    doc.save(str(path))
    assert read_docx(path).copy_block == []
    assert len(read_docx(path).appendices) == 2
    result = import_docx(path)
    assert "Phòng Nghiệp vụ chủ trì tổ chức giải chạy tại các huyện." in str(result.data.get("appendices"))
    assert not any("bản sao" in n.message for n in result.warnings), result.warnings
