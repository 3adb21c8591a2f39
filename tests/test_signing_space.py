"""A published copy of a plan prints a stand-in where the signature goes: "(Đã ký)", "ĐÃ KÝ",
"(Đã ký và đóng dấu)", the form's "(Ký, ghi rõ họ tên, đóng dấu)". Plans downloaded from an
agency's portal are such copies. The stand-in is neither a title line nor the signer's name: check
finds what it finds on the same plan without it, and import gives the same data (the new document
leaves the space blank for the signature), with one warning that says the line was left out.
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
from tests.word_fixtures import build_plan, run_xml

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


def _plan(path: Path, edit: Callable[[Any], None] | None) -> Path:
    build_plan(path, body=BODY)
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
    assert want.data["signer"]["name"] == "Lê Thị Hạnh" and want.data["signer"]["title"] == "Phó giám đốc"
    new = [n for n in got.warnings if n not in want.warnings]
    assert len(new) == 1 and "khoảng ký" in new[0].message, new


def test_a_title_line_that_is_no_stand_in_stays_a_title(tmp_path: Path) -> None:
    # A real third title line in the same place is read as before: the stand-in is recognised by
    # what it says, not by where it stands.
    path = _plan(tmp_path / "ba-dong.docx", _in_the_space("KÝ THAY GIÁM ĐỐC", bold=True))
    lines = import_docx(path).data["signer"].get("lines", [])
    assert "KÝ THAY GIÁM ĐỐC" in lines
