"""Issue 22: layouts no corpus file shows, read as the printed page shows them.

Each test builds a plain plan (tests/word_fixtures.build_plan), re-lays one part of it the way some
offices do, and compares `check` and `import` with the plain plan: the same unless the printed page
differs, and then only where it differs. Every sentence here is our own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from generator.check import check_docx
from generator.jobs.importer import import_docx
from generator.jobs.issue import render_file
from generator.plan.loader import load_plan
from generator.plan.tasks import plan_tasks, split_units
from generator.recognise import read_docx
from generator.word.metrics import text_width_pt
from tests.word_fixtures import WordTable, build_plan

BODY = [
    {"text": "I. MỤC ĐÍCH, YÊU CẦU", "bold": True},
    "1. Khuyến khích người dân rèn luyện thân thể mỗi ngày.",
    "2. Bảo đảm an toàn cho người tham gia giải chạy.",
    {"text": "II. TỔ CHỨC THỰC HIỆN", "bold": True},
    "Các phòng thuộc Sở triển khai thực hiện nghiêm túc Kế hoạch này./.",
]

APPENDIX = [
    {"text": "PHỤ LỤC", "bold": True, "align": "center"},
    {"text": "DANH MỤC CÁC GIẢI CHẠY NĂM 2026", "bold": True, "align": "center"},
    {"text": "(Kèm theo Kế hoạch số      /KH-SVHTT ngày    tháng    năm 2026 của Sở Văn hóa và Thể thao)",
     "italic": True, "align": "center"},
    WordTable([["STT", "Nội dung", "Thời gian"], ["1", "Giải chạy mùa xuân", "Tháng 3"]], [1.5, 9, 4]),
]


def _findings(path: Path) -> dict[str, tuple[str, str]]:
    return {r.rule: (r.status, r.measured) for r in check_docx(path).results}


@pytest.fixture(scope="module")
def plain(tmp_path_factory) -> tuple[Path, dict[str, tuple[str, str]], dict[str, Any]]:
    path = build_plan(tmp_path_factory.mktemp("plain") / "plain.docx", body=BODY, appendices=[APPENDIX])
    return path, _findings(path), import_docx(path).data


def _variant(plain_path: Path, tmp_path: Path, change: Any, name: str) -> Path:
    doc = docx.Document(str(plain_path))
    change(doc)
    out = tmp_path / f"{name}.docx"
    doc.save(str(out))
    return out


def _differences(a: dict[str, tuple[str, str]], b: dict[str, tuple[str, str]]) -> dict[str, Any]:
    return {k: (a.get(k), b.get(k)) for k in set(a) | set(b) if a.get(k) != b.get(k)}


# --- the tên loại and trích yếu typed in the header table's last row ---------------------------------


def _title_in_header_row(doc: Any, line: str) -> None:
    """The tên loại and trích yếu moved into a last row of the header table merged across it; the
    line under them drawn as that row's bottom border ("border"), as a shape anchored in the
    paragraph right under the table ("below"), or in the row itself ("in-cell")."""
    body = doc.element.body
    tbl = body.find(qn("w:tbl"))
    title, subject, gap = tbl.getnext(), tbl.getnext().getnext(), tbl.getnext().getnext().getnext()
    width = sum(int(g.get(qn("w:w"))) for g in tbl.iter(qn("w:gridCol")))
    row = parse_xml(f'<w:tr {nsdecls("w")}><w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>'
                    '<w:gridSpan w:val="2"/></w:tcPr></w:tc></w:tr>')
    tbl.append(row)
    cell = row.find(qn("w:tc"))
    cell.append(title)
    cell.append(subject)
    if line == "border":
        shape = gap.find(f"{qn('w:r')}/{qn('w:drawing')}").getparent()
        gap.remove(shape)
        cell.find(qn("w:tcPr")).append(parse_xml(
            f'<w:tcBorders {nsdecls("w")}><w:bottom w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
            "</w:tcBorders>"))
    elif line == "in-cell":
        cell.append(gap)


@pytest.mark.parametrize("line", ["below", "in-cell", "border"])
def test_the_trich_yeu_line_under_a_header_row_is_found(plain, tmp_path, line):
    path, findings, data = plain
    other = _variant(path, tmp_path, lambda d: _title_in_header_row(d, line), line)
    got = _findings(other)
    assert import_docx(other).data == data
    rule = "PL1.III.5.trich-yeu.duong-ke"
    if line == "border":
        # The page shows a line as wide as the table: found, and its length judged (it is too long).
        assert got[rule][0] == "fail" and got[rule][1].startswith("viền dưới ô bảng"), got[rule]
        del got[rule]
        assert _differences(findings, got) == {rule: (findings[rule], None)}
    else:
        assert got[rule][0] == "pass", got[rule]
        assert _differences(findings, got) == {}


# --- appendix titles printed in capitals ------------------------------------------------------------


@pytest.mark.parametrize(("printed", "stored"), [("PHỤ LỤC", "Phụ lục"), ("PHỤ LỤC SỐ 02", "Phụ lục số 02"),
                                                 ("DANH MỤC", "Danh mục"), ("Phụ lục 2", "Phụ lục 2")])
def test_an_appendix_title_is_stored_as_decree_30_writes_it(tmp_path, printed, stored):
    appendix = [{**APPENDIX[0], "text": printed}, *APPENDIX[1:]]
    path = build_plan(tmp_path / "p.docx", body=BODY, appendices=[appendix])
    (app,) = import_docx(path).data["appendices"]
    assert app["title"] == stored
    # Rendered again, the title prints as the original printed it.
    data = tmp_path / "p.yaml"
    data.write_text(yaml.safe_dump(import_docx(path).data, allow_unicode=True), encoding="utf-8")
    out = render_file(data, tmp_path / "again.docx")
    assert printed in [p.text for p in read_docx(out).paragraphs]


# --- a Chủ trì cell: one wrapped name or a list of units, told by the page --------------------------


def test_lead_units_are_told_by_the_page_not_by_their_kind(tmp_path):
    """Units whose kind no list foresees ("Hợp tác xã", "Nhà văn hóa", "Khu") are units of their own
    when the drafter pressed Enter after a whole name with room left on the line; a line that goes
    on in lower case, or after "và", or after a line that filled the column, is the same name."""
    rows = [
        ["STT", "Nhiệm vụ", "Chủ trì", "Thời gian"],
        ["1", "Vận động hội viên", "Hợp tác xã Thành Công\nNhà văn hóa xã", "Tháng 2"],
        ["2", "Trang trí đường chạy", "Khu dân cư số 3\nĐoàn thanh niên xã", "Tháng 3"],
        ["3", "Bảo đảm trật tự", "Ủy ban nhân dân\nphường Bắc Sơn", "Tháng 3"],
        ["4", "Tập huấn trọng tài", "Sở Giáo dục và\nĐào tạo", "Tháng 4"],
        # 4 cm at 12 pt: "Ban Quản lý Vịnh Hạ" fills the column, "Long" would not fit on it.
        ["5", "Chuẩn bị khu nghỉ", "Ban Quản lý Vịnh Hạ\nLong Xanh", "Tháng 5"],
    ]
    app = [*APPENDIX[:3], WordTable(rows=rows, widths=[1.2, 7.5, 4.0, 3.3])]
    path = build_plan(tmp_path / "p.docx", body=BODY, appendices=[app])
    data = tmp_path / "p.yaml"
    data.write_text(yaml.safe_dump(import_docx(path).data, allow_unicode=True), encoding="utf-8")
    leads = [t.leads for t in plan_tasks(load_plan(data))]
    assert leads == [
        ("Hợp tác xã Thành Công", "Nhà văn hóa xã"),
        ("Khu dân cư số 3", "Đoàn thanh niên xã"),
        ("Ủy ban nhân dân phường Bắc Sơn",),
        ("Sở Giáo dục và Đào tạo",),
        ("Ban Quản lý Vịnh Hạ Long Xanh",),
    ]
    assert 0.85 * 110 < text_width_pt("Ban Quản lý Vịnh Hạ", 12) < 110  # the column: 4 of 16 cm, less margins


def test_a_full_line_goes_on_and_a_short_one_ends_the_name():
    room = text_width_pt("Ban Quản lý Vịnh Hạ Long", 12) + 2
    assert split_units("Ban Quản lý Vịnh Hạ Long\nXanh", room) == ("Ban Quản lý Vịnh Hạ Long Xanh",)
    assert split_units("Ban Quản lý Vịnh\nXanh", room) == ("Ban Quản lý Vịnh", "Xanh")
    # Without a width nothing tells: as typed, one name (a known kind still starts a unit).
    assert split_units("Ban Quản lý Vịnh\nXanh") == ("Ban Quản lý Vịnh Xanh",)
    assert split_units("Ban Quản lý Vịnh\nSở Y tế") == ("Ban Quản lý Vịnh", "Sở Y tế")
