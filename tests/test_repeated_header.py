"""Some agencies open each appendix's page with the document's header again: the issuer beside the
Quốc hiệu and Tiêu ngữ, as if the appendix were a document of its own. That table is the page's
heading, not an appendix nor an appendix's content: check finds what it finds on the same plan
without it (the appendix heading, its reference line and its own page numbers are read where they
are), and import gives the same data, saying it left the repeated header out.
"""

from __future__ import annotations

import copy
from pathlib import Path

import docx
import pytest

from generator.check import check_docx
from generator.jobs.importer import import_docx
from tests.word_fixtures import WordTable, build_plan

BODY = [{"text": "I. MỤC ĐÍCH, YÊU CẦU", "bold": True}, "Nâng cao nhận thức của cán bộ.",
        {"text": "II. NỘI DUNG", "bold": True}, "Tổ chức giải chạy tại các huyện (chi tiết tại các Phụ lục)./."]


def _appendix(k: int) -> list[object]:
    return [{"text": f"Phụ lục {k}", "bold": True, "align": "center"},
            {"text": "DANH SÁCH ĐIỂM TỔ CHỨC", "bold": True, "align": "center"},
            {"text": "(Kèm theo Kế hoạch số 12/KH-SVHTT ngày 15 tháng 3 năm 2026 của Sở Văn hóa và Thể thao)",
             "italic": True, "align": "center"},
            WordTable([["TT", "Địa điểm"], ["1", "Sân vận động tỉnh"], ["2", "Quảng trường trung tâm"]], [2, 12])]


def _build(path: Path, count: int, landscape: bool, repeat: bool) -> Path:
    build_plan(path, body=BODY, appendices=[_appendix(k + 1) for k in range(count)],
               appendix_landscape=[True] * count if landscape else None)
    if repeat:
        doc = docx.Document(str(path))
        header = doc.tables[0]._tbl
        for p in doc.paragraphs:
            if p.text.startswith("Phụ lục "):
                p._p.addprevious(copy.deepcopy(header))
        doc.save(str(path))
    return path


def _findings(path: Path) -> list[tuple[str, str, str]]:
    return sorted((r.rule, r.status, r.severity) for r in check_docx(path).results)


@pytest.mark.parametrize("count,landscape", [(1, False), (2, True)], ids=["mot-phu-luc", "hai-phu-luc-trang-ngang"])
def test_a_header_repeated_atop_an_appendix_page_is_its_heading_only(tmp_path: Path, count: int,
                                                                      landscape: bool) -> None:
    plain = _build(tmp_path / "plain.docx", count, landscape, repeat=False)
    repeated = _build(tmp_path / "repeated.docx", count, landscape, repeat=True)
    assert _findings(repeated) == _findings(plain)
    want, got = import_docx(plain), import_docx(repeated)
    assert got.data == want.data
    assert [a["title"] for a in got.data["appendices"]] == [f"Phụ lục {k + 1}" for k in range(count)]
    new = [n for n in got.warnings if n not in want.warnings]
    assert len(new) == count and all("lặp lại" in n.message for n in new), new


@pytest.mark.parametrize("issuer,form_title", [
    ("(1)……………", "BIÊN BẢN HỘI NGHỊ HIỆP THƯƠNG"), ("SỞ VĂN HÓA VÀ THỂ THAO", "BIÊN BẢN HỘI NGHỊ HIỆP THƯƠNG"),
    ("SỞ VĂN HÓA VÀ THỂ THAO", "DANH MỤC HỒ SƠ ĐỀ NGHỊ CẤP GIẤY CHỨNG NHẬN")],
    ids=["de-trong", "co-quan-that", "co-quan-that-danh-muc"])
def test_a_forms_header_inside_an_appendix_is_its_content(tmp_path: Path, issuer: str, form_title: str) -> None:
    # An appendix of forms (biên bản to fill in) prints a header on each form, under the appendix's
    # own heading: that is what the appendix holds, and import keeps every word of it, even when the
    # form's title reads like an appendix's ("DANH MỤC …"): the header is on the appendix's page, not atop it.
    form = WordTable([[f"{issuer}\n-------", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"]],
                     [6, 10], header_rows=0)
    app = [*_appendix(1)[:3], form, {"text": form_title, "bold": True, "align": "center"},
           "Hôm nay, vào lúc … giờ, ngày … tháng … năm 2026."]
    path = build_plan(tmp_path / "mau.docx", body=BODY, appendices=[app])
    result = import_docx(path)
    text = str(result.data["appendices"])
    # (an appendix title is stored as Decree 30 writes it, and printed in capitals again)
    assert issuer in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and form_title in text.upper()
    assert not any("lặp lại" in n.message for n in result.warnings), result.warnings
