"""Issue 10: every structure a real Kế hoạch needs can be written as data and prints as Decree 30 asks.

Each test writes its own small data file (our own sentences), renders it through the library, opens
the produced .docx and asserts what a reader sees: paragraph texts and order, derived numbering,
bold and italic runs, table grids, merged cells, page orientation and numbering per section. Every
render is also checked with openxml-audit (0 schema errors) and `kehoach check` (0 errors).
"""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from openxml_audit import OpenXmlValidator

from generator.check import check_docx
from generator.cli import main
from generator.errors import DataError
from generator.plan.loader import load_plan
from generator.document.render import render_plan
from tests.word_fixtures import Doc, grid, grid_widths, header_rows, w

from tests.paths import SAMPLE, FULL

BASE: dict[str, Any] = {
    "agency": {"parent": "UBND tỉnh Sông Mây", "name": "Sở Văn hóa và Thể thao", "abbreviation": "SVHTT",
               "place": "Sông Mây"},
    "number": 7,
    "date": "2026-02-05",
    "subject": "Tổ chức giải chạy vì sức khỏe cộng đồng năm 2026",
    "sections": [{"title": "Mục đích, yêu cầu",
                  "blocks": ["Khuyến khích người dân rèn luyện thân thể mỗi ngày."]}],
    "closing": "Các phòng, đơn vị triển khai thực hiện nghiêm túc Kế hoạch này.",
    "recipients": ["UBND tỉnh", "Các phòng thuộc Sở"],
    "archive": ["VT"],
    "signer": {"name": "Đỗ Minh Quân", "title": "Giám đốc"},
}


def plan_data(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def write(tmp_path: Path, data: dict[str, Any], name: str = "plan") -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def render(tmp_path: Path, data: dict[str, Any], name: str = "plan", *, audit: bool = True) -> Doc:
    """Write data, load it, render it; the produced file passes openxml-audit and `check` (0 errors)."""
    src = write(tmp_path, data, name)
    out = tmp_path / f"{name}.docx"
    out.write_bytes(render_plan(load_plan(src)))
    if audit:
        assert_clean(out)
    return Doc(out)


def assert_clean(path: Path) -> None:
    result = OpenXmlValidator().validate(str(path))
    assert result.is_valid, [str(e) for e in result.errors][:5]
    report = check_docx(path)
    assert report.errors == [], report.to_table()


def sections(doc: Doc) -> list[dict[str, Any]]:
    out = []
    for s in doc.sections():
        sz = s.find(w("pgSz"))
        num = s.find(w("pgNumType"))
        out.append({
            "landscape": sz.get(w("orient")) == "landscape" and int(sz.get(w("w"))) > int(sz.get(w("h"))),
            "portrait": sz.get(w("orient")) in (None, "portrait") and int(sz.get(w("w"))) < int(sz.get(w("h"))),
            "start": num.get(w("start")) if num is not None else None,
        })
    return out


# --- header: issuer, number, date ------------------------------------------------------------------


def test_issuer_without_parent_two_bold_lines_and_short_name_in_reference_line(tmp_path):
    data = plan_data(agency={"name": ["Ủy ban nhân dân", "tỉnh Sông Mây"], "short_name": "UBND tỉnh Sông Mây",
                             "abbreviation": "UBND", "place": "Sông Mây"},
                     appendices=[{"title": "Phụ lục", "table": {"columns": ["Nội dung"], "rows": [["Một việc"]]}}])
    doc = render(tmp_path, data)
    head = [p for p in doc.paras if p.in_table and p.text][:2]
    assert [p.text for p in head] == ["ỦY BAN NHÂN DÂN", "TỈNH SÔNG MÂY"]  # the lines given, a paragraph each
    assert all(p.bold for p in head)
    assert doc.styled("KHCoQuanChuQuan") == []  # no parent paragraph at all
    assert doc.styled("KHPhuLucTrichDan") == [
        "(Kèm theo Kế hoạch số 07/KH-UBND ngày 05/02/2026 của UBND tỉnh Sông Mây)"]


def test_running_name_defaults_to_the_joined_name_lines(tmp_path):
    data = plan_data(agency={"name": ["Ủy ban nhân dân", "tỉnh Sông Mây"], "abbreviation": "UBND", "place": "Sông Mây"},
                     appendices=[{"table": {"columns": ["Nội dung"], "rows": [["Một việc"]]}}])
    doc = render(tmp_path, data)
    line = doc.styled("KHPhuLucTrichDan")[0]
    assert line.endswith("của Ủy ban nhân dân tỉnh Sông Mây)")
    assert "của Tỉnh" not in line


def test_three_line_mttq_header_and_multi_part_symbol(tmp_path):
    data = plan_data(agency={"parent": ["Ủy ban MTTQ Việt Nam", "xã Lương Sơn"], "name": "Ban Thường trực",
                             "abbreviation": "MTTQ-BTT", "place": "Lương Sơn"},
                     number=16, signer={"name": "Hà Văn Lực", "title": "Chủ tịch", "authority": "TM",
                                        "collective": "Ban Thường trực"})
    doc = render(tmp_path, data)
    head = [p for p in doc.paras if p.in_table and p.text][:4]
    assert [p.text for p in head] == ["ỦY BAN MTTQ VIỆT NAM", "XÃ LƯƠNG SƠN", "BAN THƯỜNG TRỰC",
                                      "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]
    assert [p.bold for p in head[:3]] == [False, False, True]
    assert doc.styled("KHSoKyHieu") == ["Số: 16/KH-MTTQ-BTT"]
    assert doc.styled("KHThamQuyen")[:2] == ["TM. BAN THƯỜNG TRỰC", "CHỦ TỊCH"]


def test_a_heading_the_tool_breaks_is_one_paragraph_the_drafters_lines_one_each(tmp_path):
    # One line too wide for the page: broken by the tool into balanced lines inside ONE paragraph (as a
    # drafter types Shift+Enter), its text still the whole sentence; lines the data gives stay one
    # paragraph each. Both print the same lines and read back with the same trích yếu.
    long = ("Tổ chức giải chạy vì sức khỏe cộng đồng và ngày hội văn hóa, thể thao các dân tộc"
            " tại thành phố Sông Mây năm 2026")
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    one = render(tmp_path / "one", plan_data(subject=long))  # also: 0 errors from check
    (para,) = [p for p in one.paras if p.style == "KHTrichYeu"]
    assert len(para.lines) == 2 and " ".join(para.lines) == long
    assert para.el.findall(f".//{w('br')}") and "".join(t.text for t in para.el.iter(w("t"))) == long
    given = [para.lines[0], para.lines[1]]
    two = render(tmp_path / "two", plan_data(subject=given))
    assert [p.text for p in two.paras if p.style == "KHTrichYeu"] == given
    assert one.styled("KHTrichYeu") == two.styled("KHTrichYeu")
    for doc in (one, two):
        imported = tmp_path / f"{doc.path.stem}-{doc.path.parent.name}.yaml"
        assert main(["import", str(doc.path), "-o", str(imported)]) == 0
        assert " ".join(load_plan(imported).subject) == long


@pytest.mark.parametrize("date, number, line, number_line", [
    ("2026", None, "Sông Mây, ngày    tháng    năm 2026", "Số:      /KH-SVHTT"),
    ("2026-05", None, "Sông Mây, ngày    tháng 5 năm 2026", "Số:      /KH-SVHTT"),
    ("2026-01-09", 3, "Sông Mây, ngày 09 tháng 01 năm 2026", "Số: 03/KH-SVHTT"),
])
def test_draft_and_final_dates(tmp_path, date, number, line, number_line):
    data = plan_data(date=date, number=number)
    doc = render(tmp_path, data)
    assert doc.styled("KHDiaDanh") == [line]
    assert doc.styled("KHSoKyHieu") == [number_line]
    assert ("DỰ THẢO" in doc.texts()) == (number is None)


def test_subject_lines_subtitle_and_grounds(tmp_path):
    data = plan_data(
        subject=["Tổ chức giải chạy vì sức khỏe", "cộng đồng tại thành phố Sông Mây năm 2026"],
        subtitle="(Ban hành kèm theo Quyết định số 21/QĐ-SVHTT ngày 02/02/2026 của Sở Văn hóa và Thể thao)",
        grounds=["Căn cứ Luật Thể dục, thể thao", "Căn cứ Quyết định số 5/QĐ-UBND của UBND tỉnh;"],
        opening=["Sở Văn hóa và Thể thao ban hành Kế hoạch như sau:"],
    )
    doc = render(tmp_path, data)
    texts = doc.lines()
    i = texts.index("KẾ HOẠCH")
    assert texts[i + 1:i + 7] == [
        "Tổ chức giải chạy vì sức khỏe",
        "cộng đồng tại thành phố Sông Mây năm 2026",
        "(Ban hành kèm theo Quyết định số 21/QĐ-SVHTT ngày 02/02/2026 của Sở Văn hóa và Thể thao)",
        "Căn cứ Luật Thể dục, thể thao;",
        "Căn cứ Quyết định số 5/QĐ-UBND của UBND tỉnh;",  # a mark the writer typed is kept (import fidelity)
        "Sở Văn hóa và Thể thao ban hành Kế hoạch như sau:",
    ]
    assert doc.find("Căn cứ Luật Thể dục, thể thao;").italic
    assert doc.find("(Ban hành kèm theo Quyết định số 21/QĐ-SVHTT ngày 02/02/2026 của Sở Văn hóa và Thể thao)").style \
        == "KHTrichYeuPhu"


# --- body blocks ----------------------------------------------------------------------------------


def test_blocks_in_any_order_with_derived_numbering(tmp_path):
    sections = [
        {"title": "Mục đích, yêu cầu", "blocks": [
            "Đoạn mở đầu của mục.",
            {"items": ["Ý thứ nhất.", {"text": "Ý thứ hai có ý con.", "items": ["Ý con một.", "Ý con hai."]}]},
            {"clause": "Mục đích", "blocks": [
                "Đoạn trong khoản.",
                {"clause": "Khoản con thứ nhất."},
                {"clause": "Khoản con thứ hai.", "blocks": [{"clause": "Khoản cháu."}]},
            ]},
            {"text": "Khoản không tiêu đề có chữ ngay sau số.", "blocks": [{"items": ["Ý của khoản."]}]},
            "Đoạn sau các khoản.",
        ]},
        {"title": "Nhiệm vụ", "blocks": [
            {"points": ["Điểm một.", "Điểm hai.", "Điểm ba.", "Điểm bốn.", "Điểm năm.", "Điểm sáu.",
                        {"text": "Điểm bảy có ý.", "blocks": [{"items": ["Ý dưới điểm."]}]}]},
        ]},
    ]
    doc = render(tmp_path, plan_data(sections=sections, closing=None))
    texts = doc.texts()
    start = texts.index("I. MỤC ĐÍCH, YÊU CẦU")
    assert texts[start:] == [
        "I. MỤC ĐÍCH, YÊU CẦU",
        "Đoạn mở đầu của mục.",
        "- Ý thứ nhất.",
        "- Ý thứ hai có ý con.",
        "+ Ý con một.",
        "+ Ý con hai.",
        "1. Mục đích",
        "Đoạn trong khoản.",
        "1.1. Khoản con thứ nhất.",
        "1.2. Khoản con thứ hai.",
        "1.2.1. Khoản cháu.",
        "2. Khoản không tiêu đề có chữ ngay sau số.",
        "- Ý của khoản.",
        "Đoạn sau các khoản.",
        "II. NHIỆM VỤ",
        "a) Điểm một.",
        "b) Điểm hai.",
        "c) Điểm ba.",
        "d) Điểm bốn.",
        "đ) Điểm năm.",
        "e) Điểm sáu.",
        "g) Điểm bảy có ý.",
        "- Ý dưới điểm./.",  # no closing: the last paragraph takes the end mark
    ]
    assert doc.find("1. Mục đích").style == "KHKhoan" and doc.find("1. Mục đích").bold
    assert doc.find("2. Khoản không tiêu đề có chữ ngay sau số.").style != "KHKhoan"
    assert doc.find("I. MỤC ĐÍCH, YÊU CẦU").style == "KHMuc"


def test_body_numbering_exact_order(tmp_path):
    sections = [{"title": "Nhiệm vụ", "blocks": [
        {"clause": "Khoản một", "blocks": [{"clause": "Khoản một chấm một."}, {"clause": "Khoản một chấm hai."}]},
        {"clause": "Khoản hai"},
        "Đoạn cuối mục.",
    ]}, {"title": "Tổ chức thực hiện", "blocks": [{"clause": "Khoản của mục hai"}]}]
    doc = render(tmp_path, plan_data(sections=sections))
    texts = doc.texts()
    i = texts.index("I. NHIỆM VỤ")
    assert texts[i:i + 8] == [
        "I. NHIỆM VỤ", "1. Khoản một", "1.1. Khoản một chấm một.", "1.2. Khoản một chấm hai.", "2. Khoản hai",
        "Đoạn cuối mục.", "II. TỔ CHỨC THỰC HIỆN", "1. Khoản của mục hai",
    ]
    assert texts[i + 8] == "Các phòng, đơn vị triển khai thực hiện nghiêm túc Kế hoạch này./."


def test_parts_restart_khoan_numbering(tmp_path):
    sections = [{"title": "Nội dung", "blocks": [
        {"heading": "Phần A. Việc thường xuyên", "blocks": [{"clause": "Việc một"}, {"clause": "Việc hai"}]},
        {"heading": "Phần B. Việc đột xuất", "blocks": [{"clause": "Việc ba"}]},
        {"blocks": [{"clause": "Việc bốn"}]},
    ]}]
    doc = render(tmp_path, plan_data(sections=sections))
    texts = doc.texts()
    i = texts.index("I. NỘI DUNG")
    assert texts[i + 1:i + 7] == ["Phần A. Việc thường xuyên", "1. Việc một", "2. Việc hai",
                                  "Phần B. Việc đột xuất", "1. Việc ba", "1. Việc bốn"]
    assert doc.find("Phần A. Việc thường xuyên").bold


def test_many_points_follow_vietnamese_letter_order(tmp_path):
    points = [f"Điểm số {k}." for k in range(1, 13)]
    doc = render(tmp_path, plan_data(sections=[{"title": "Nội dung", "blocks": [{"points": points}]}]))
    letters = [t.split(")")[0] for t in doc.texts() if t.startswith(tuple("abcdđeghiklm")) and ") Điểm số" in t]
    assert letters == ["a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m"]


# --- inline emphasis and literal characters --------------------------------------------------------


def test_inline_bold_italic_runs_exactly_where_the_data_put_them(tmp_path):
    para = ["Nộp báo cáo trước ngày ", {"bold": "01/6 và 15/11"}, " hằng năm, ",
            {"italic": "qua hệ thống điện tử"}, " và ", {"bold_italic": "bản giấy có dấu"}, "."]
    sections = [{"title": "Nội dung", "blocks": [
        para,
        {"items": [[{"bold": "Chủ trì:"}, " Phòng Nghiệp vụ thể thao."]]},
        {"clause": [{"italic": "Khoản nghiêng một phần"}, " và thường"]},
    ]}]
    doc = render(tmp_path, plan_data(sections=sections))
    p = doc.find("Nộp báo cáo trước ngày 01/6 và 15/11 hằng năm, qua hệ thống điện tử và bản giấy có dấu.")
    shown = [(t, b, i) for t, b, i in p.runs if t]
    assert shown == [("Nộp báo cáo trước ngày ", False, False), ("01/6 và 15/11", True, False),
                     (" hằng năm, ", False, False), ("qua hệ thống điện tử", False, True),
                     (" và ", False, False), ("bản giấy có dấu", True, True), (".", False, False)]
    # the runs carry w:b / w:i themselves (not only through a style)
    xml_runs = [r for r in p.el.iter(w("r")) if "".join(t.text or "" for t in r.iter(w("t")))]
    assert [(r.find(f"{w('rPr')}/{w('b')}") is not None, r.find(f"{w('rPr')}/{w('i')}") is not None)
            for r in xml_runs] == [(False, False), (True, False), (False, False), (False, True),
                                   (False, False), (True, True), (False, False)]
    item = doc.find("- Chủ trì: Phòng Nghiệp vụ thể thao.")
    assert [(t, b) for t, b, _ in item.runs] == [("- ", True), ("Chủ trì:", True), (" Phòng Nghiệp vụ thể thao.", False)]
    clause = doc.find("1. Khoản nghiêng một phần và thường")
    assert [(t, i) for t, _, i in clause.runs] == [("1. ", True), ("Khoản nghiêng một phần", True),
                                                   (" và thường", False)]


def test_literal_markup_characters_print_as_themselves(tmp_path):
    literal = "Giữ nguyên *sao*, **hai sao**, _gạch_, {ngoặc}, {{ biến }}, {% lệnh %}, A & B, <thẻ> và 5 > 3."
    sections = [{"title": "Nội dung", "blocks": [
        literal,
        [{"bold": "*đậm* & <b>"}, " {_{ giữ }_}"],
        {"table": {"columns": ["Cột {một}", "Cột *hai*"], "rows": [["a & b < c", {"bold": True, "text": "_x_"}]]}},
    ]}]
    doc = render(tmp_path, plan_data(sections=sections))
    p = doc.find(literal)
    assert not any(b or i for _, b, i in p.runs)
    mixed = doc.find("*đậm* & <b> {_{ giữ }_}")
    assert [(t, b) for t, b, _ in mixed.runs] == [("*đậm* & <b>", True), (" {_{ giữ }_}", False)]
    cells = [c["text"] for row in grid(doc.body_tables()[0]) for c in row]
    assert cells == ["Cột {một}", "Cột *hai*", "a & b < c", "_x_"]


# --- body tables -------------------------------------------------------------------------------


def _table_plan(table: dict[str, Any]) -> dict[str, Any]:
    return plan_data(sections=[{"title": "Nhiệm vụ", "blocks": ["Các nhiệm vụ như sau:", {"table": table}]}])


def test_body_table_columns_widths_alignment_and_repeated_header(tmp_path):
    table = {"columns": [{"title": "TT", "width": 1, "align": "center"}, {"title": "Nội dung", "width": 6},
                         {"title": "Thời gian", "width": 3, "align": "right"}],
             "numbered": True, "rows": [["Chuẩn bị đường chạy", "Tháng 3"], ["Tổ chức giải", "Tháng 4"]]}
    doc = render(tmp_path, _table_plan(table))
    tbl = doc.body_tables()[0]
    widths = grid_widths(tbl)
    assert len(widths) == 3
    total = sum(widths)
    assert total == 9354  # the portrait text width
    for got, want in zip(widths, (1, 6, 3)):
        assert abs(got / total - want / 10) < 0.001
    rows = grid(tbl)
    assert [[c["text"] for c in r] for r in rows] == [
        ["TT", "Nội dung", "Thời gian"], ["1", "Chuẩn bị đường chạy", "Tháng 3"], ["2", "Tổ chức giải", "Tháng 4"]]
    assert header_rows(tbl) == [True, False, False]
    assert [c["jc"] for c in rows[1]] == ["center", "left", "right"]
    assert all(c["jc"] == "center" for c in rows[0])
    # the table sits between the paragraph before it and the next mục text
    assert doc.texts().index("Các nhiệm vụ như sau:") < doc.texts().index(
        "Các phòng, đơn vị triển khai thực hiện nghiêm túc Kế hoạch này./.")


def test_table_without_header_row(tmp_path):
    doc = render(tmp_path, _table_plan({"columns": ["A", "B"], "header": False, "rows": [["một", "hai"]]}))
    tbl = doc.body_tables()[0]
    assert [[c["text"] for c in r] for r in grid(tbl)] == [["một", "hai"]]
    assert header_rows(tbl) == [False]


GROUPED_ROWS = [
    {"group": "Chuẩn bị", "rows": [["Khảo sát đường chạy", "Tháng 2"], ["Đăng ký vận động viên", "Tháng 3"]]},
    {"group": "Tổ chức", "rows": [["Khai mạc giải", "Tháng 4"]]},
]


@pytest.mark.parametrize("numbering, stt", [("continue", ["1", "2", "3"]), ("restart", ["1", "2", "1"])])
def test_stt_restart_or_continue_across_groups(tmp_path, numbering, stt):
    table = {"columns": [{"title": "STT", "width": 1}, {"title": "Nội dung", "width": 6}, "Thời gian"],
             "numbered": True, "numbering": numbering, "rows": GROUPED_ROWS}
    doc = render(tmp_path, _table_plan(table))
    rows = grid(doc.body_tables()[0])[1:]
    data_rows = [r for r in rows if len(r) == 3]
    assert [r[0]["text"] for r in data_rows] == stt
    assert [r[1]["text"] for r in data_rows] == ["Khảo sát đường chạy", "Đăng ký vận động viên", "Khai mạc giải"]


def test_group_rows_merged_or_split(tmp_path):
    base = {"columns": ["STT", "Nội dung", "Thời gian"], "numbered": True, "rows": GROUPED_ROWS}
    merged = render(tmp_path, _table_plan({**base, "group_style": "merged"}), "merged")
    rows = grid(merged.body_tables()[0])
    groups = [r for r in rows if len(r) == 1]
    assert [(r[0]["text"], r[0]["span"]) for r in groups] == [("I. CHUẨN BỊ", 3), ("II. TỔ CHỨC", 3)]
    split = render(tmp_path, _table_plan({**base, "group_style": "split", "group_caps": False}), "split")
    rows = grid(split.body_tables()[0])
    groups = [r for r in rows if len(r) == 2]
    assert [[(c["text"], c["span"]) for c in r] for r in groups] == [
        [("I", 1), ("Chuẩn bị", 2)], [("II", 1), ("Tổ chức", 2)]]
    assert all(c["tc"].find(f".//{w('pStyle')}").get(w("val")) == "KHBangNhom" for r in groups for c in r)


def test_two_level_groups_and_group_number_override(tmp_path):
    rows = [{"group": "Hoạt động chính", "rows": [
        {"group": "Thi đấu", "rows": [["Chạy 5 km", "Sáng"]]},
        {"group": "Giao lưu", "rows": [["Biểu diễn võ thuật", "Chiều"]]},
    ]}, {"group": "Hậu cần", "number": "C", "rows": [["Nước uống", "Cả ngày"]]}]
    table = {"columns": ["STT", "Nội dung", "Thời gian"], "numbered": True, "numbering": "restart",
             "group_style": "merged", "rows": rows}
    doc = render(tmp_path, _table_plan(table))
    texts = [[c["text"] for c in r] for r in grid(doc.body_tables()[0])]
    assert texts == [["STT", "Nội dung", "Thời gian"], ["I. HOẠT ĐỘNG CHÍNH"], ["1. Thi đấu"],
                     ["1", "Chạy 5 km", "Sáng"], ["2. Giao lưu"], ["1", "Biểu diễn võ thuật", "Chiều"],
                     ["C. HẬU CẦN"], ["1", "Nước uống", "Cả ngày"]]


def test_merged_cells_gridspan_vmerge_lines_and_bold_cell(tmp_path):
    table = {"columns": ["Nội dung", "Chủ trì", "Phối hợp", "Thời gian"], "rows": [
        ["Dựng cổng chào", {"text": "Phòng Quản lý", "rowspan": 3}, "Công an phường", "Tháng 3"],
        ["Trang trí đường", "Đoàn Thanh niên", "Tháng 3"],
        ["Âm thanh", {"text": "Nhà văn hóa", "span": 2}],
        [{"text": "Tổng cộng ba việc", "span": 4, "bold": True, "align": "center"}],
        [{"lines": ["Dòng thứ nhất", "Dòng thứ hai"]}, None, "", "Tháng 4"],
    ]}
    doc = render(tmp_path, _table_plan(table))
    rows = grid(doc.body_tables()[0])
    assert [[(c["text"], c["span"], c["vmerge"]) for c in r] for r in rows[1:]] == [
        [("Dựng cổng chào", 1, None), ("Phòng Quản lý", 1, "restart"), ("Công an phường", 1, None), ("Tháng 3", 1, None)],
        [("Trang trí đường", 1, None), ("", 1, "continue"), ("Đoàn Thanh niên", 1, None), ("Tháng 3", 1, None)],
        [("Âm thanh", 1, None), ("", 1, "continue"), ("Nhà văn hóa", 2, None)],
        [("Tổng cộng ba việc", 4, None)],
        [("Dòng thứ nhất\nDòng thứ hai", 1, None), ("", 1, None), ("", 1, None), ("Tháng 4", 1, None)],
    ]
    total = rows[4][0]
    assert total["jc"] == "center"
    runs = [r for r in total["tc"].iter(w("r"))]
    assert runs and all(r.find(f"{w('rPr')}/{w('b')}") is not None for r in runs)
    assert len(rows[5][0]["tc"].findall(w("p"))) == 2  # two paragraphs, not one with a break
    # every row covers the whole grid
    assert all(sum(c["span"] for c in r) == 4 for r in rows)


def test_short_row_is_filled_to_the_grid(tmp_path):
    doc = render(tmp_path, _table_plan({"columns": ["A", "B", "C"], "rows": [["chỉ một ô"]]}))
    rows = grid(doc.body_tables()[0])
    assert [(c["text"], c["span"]) for c in rows[1]] == [("chỉ một ô", 1), ("", 2)]


def test_italic_and_bold_inside_table_cells(tmp_path):
    table = {"columns": ["Nội dung"], "rows": [[["Nộp ", {"bold": "trước ngày 10"}, " và ", {"italic": "gửi bản mềm"}]]]}
    doc = render(tmp_path, _table_plan(table))
    p = doc.find("Nộp trước ngày 10 và gửi bản mềm")
    assert [(t, b, i) for t, b, i in p.runs] == [("Nộp ", False, False), ("trước ngày 10", True, False),
                                                 (" và ", False, False), ("gửi bản mềm", False, True)]


# --- appendices ------------------------------------------------------------------------------------


def test_several_appendices_orientation_page_numbers_and_headings(tmp_path):
    table = {"columns": [{"title": "STT", "width": 1, "align": "center"}, {"title": "Nhiệm vụ", "width": 8},
                         {"title": "Thời hạn", "width": 2}],
             "numbered": True, "rows": [["Lập danh sách", "Tháng 3"]]}
    appendices = [
        {"subtitle": ["Danh sách nhiệm vụ", "của các phòng"], "table": table},
        {"subtitle": "Đề cương báo cáo", "blocks": [
            {"heading": "I. KẾT QUẢ"}, {"items": ["Số người tham gia."]}, {"clause": "Đánh giá chung"},
            {"clause": "Kiến nghị"}]},
        {"title": "Phụ lục", "subtitle": "Bảng đứng", "orientation": "portrait",
         "table": {"columns": ["Nội dung", "Ghi chú"], "rows": [["Một", "Hai"]]}},
        {"title": "Danh mục", "orientation": "landscape", "blocks": ["Một đoạn văn trên trang ngang."]},
    ]
    doc = render(tmp_path, plan_data(appendices=appendices))
    assert doc.styled("KHPhuLucTieuDe") == ["PHỤ LỤC I", "PHỤ LỤC II", "PHỤ LỤC III", "DANH MỤC"]
    assert doc.styled("KHPhuLucTen") == ["Danh sách nhiệm vụ", "của các phòng", "Đề cương báo cáo", "Bảng đứng"]
    derived = "(Kèm theo Kế hoạch số 07/KH-SVHTT ngày 05/02/2026 của Sở Văn hóa và Thể thao)"
    assert doc.styled("KHPhuLucTrichDan") == [derived] * 4
    secs = sections(doc)
    assert len(secs) == 5
    assert [s["landscape"] for s in secs] == [False, True, False, False, True]
    assert [s["portrait"] for s in secs] == [True, False, True, True, False]
    assert [s["start"] for s in secs] == [None, "1", "1", "1", "1"]
    # each appendix is in its own section, in order
    assert [doc.section_of(t) for t in ("PHỤ LỤC I", "PHỤ LỤC II", "PHỤ LỤC III", "DANH MỤC")] == [1, 2, 3, 4]
    texts = doc.texts()
    i = texts.index("PHỤ LỤC II")
    assert texts[i + 1:i + 7] == ["Đề cương báo cáo", derived, "I. KẾT QUẢ", "- Số người tham gia.",
                                  "1. Đánh giá chung", "2. Kiến nghị"]
    # landscape appendix table as wide as the landscape text area
    tables = doc.body_tables()
    assert sum(grid_widths(tables[0])) == 14286
    assert sum(grid_widths(tables[1])) == 9354


REFERENCE_LINE_APPENDICES = [
    {"title": "Phụ lục", "subtitle": "Không có dòng kèm theo", "reference_line": False, "blocks": ["Một đoạn."]},
    {"title": "Danh mục", "reference_line": "(Kèm theo Kế hoạch số 07/KH-SVHTT của Sở)", "blocks": ["Hai đoạn."]},
]


def test_appendix_reference_line_false_or_written(tmp_path):
    doc = render(tmp_path, plan_data(appendices=REFERENCE_LINE_APPENDICES), audit=False)
    result = OpenXmlValidator().validate(str(doc.path))
    assert result.is_valid
    assert doc.styled("KHPhuLucTrichDan") == ["(Kèm theo Kế hoạch số 07/KH-SVHTT của Sở)"]
    texts = doc.texts()
    i = texts.index("PHỤ LỤC I")
    assert texts[i:i + 3] == ["PHỤ LỤC I", "Không có dòng kèm theo", "Một đoạn."]


def test_check_reports_an_appendix_without_its_reference_line(tmp_path):
    """reference_line: false or a line in another form is what an imported original had; the
    document prints it as written and `check` says what Decree 30 asks (one finding per appendix)."""
    doc = render(tmp_path, plan_data(appendices=REFERENCE_LINE_APPENDICES), audit=False)
    errors = check_docx(doc.path).errors
    assert [e.rule for e in errors] == ["PL1.IV.phu-luc.kem-theo"] * 2


def test_appendix_title_written_as_is_and_legacy_catalogue(tmp_path):
    appendices = [
        {"title": "Phụ lục số 01", "upper": False, "subtitle": "Phân công",
         "groups": [{"title": "Nhóm việc chuẩn bị", "tasks": [
             {"content": "Lập kế hoạch chi tiết", "lead": ["Văn phòng Sở"], "support": ["Phòng A", "Phòng B"],
              "time": "Tháng 2"}]}]},
    ]
    doc = render(tmp_path, plan_data(appendices=appendices))
    assert doc.styled("KHPhuLucTieuDe") == ["Phụ lục số 01"]
    rows = grid(doc.body_tables()[0])
    assert [c["text"] for c in rows[0]] == ["STT", "Nội dung công việc", "Đơn vị chủ trì", "Đơn vị phối hợp",
                                            "Thời gian thực hiện"]
    assert [(c["text"], c["span"]) for c in rows[1]] == [("I", 1), ("Nhóm việc chuẩn bị", 4)]
    assert [c["text"] for c in rows[2]] == ["1", "Lập kế hoạch chi tiết", "Văn phòng Sở",
                                            "- Phòng A;\n- Phòng B.", "Tháng 2"]
    assert sections(doc)[1]["landscape"]


def test_draft_appendix_reference_line_blanks(tmp_path):
    data = plan_data(number=None, date="2026-05", appendices=[{"blocks": ["Nội dung phụ lục."]}])
    doc = render(tmp_path, data)
    assert doc.styled("KHPhuLucTrichDan") == [
        "(Kèm theo Kế hoạch số      /KH-SVHTT ngày     /5/2026 của Sở Văn hóa và Thể thao)"]


def test_draft_without_month_appendix_reference_line_passes_check(tmp_path):
    data = plan_data(number=None, date="2026", appendices=[{"blocks": ["Nội dung phụ lục."]}])
    doc = render(tmp_path, data, audit=False)
    # No month yet: the date reads in words ("ngày … tháng … năm 2026"), not "/ /2026".
    assert doc.styled("KHPhuLucTrichDan") == [
        "(Kèm theo Kế hoạch số      /KH-SVHTT ngày     tháng    năm 2026 của Sở Văn hóa và Thể thao)"]
    assert check_docx(doc.path).errors == []


# --- citations ----------------------------------------------------------------------------------


def test_party_law_own_and_dateless_citations(tmp_path):
    references = {
        "nq57": {"type": "Nghị quyết", "number": 57, "symbol": "NQ/TW", "party": True, "date": "2024-12-22",
                 "issuer": "Bộ Chính trị", "subject": "đột phá phát triển khoa học, công nghệ"},
        "ctr10": {"type": "Chương trình hành động", "number": 10, "symbol": "CTr/TU", "party": True,
                  "issuer": "Tỉnh ủy Sông Mây"},
        "luat": {"type": "Luật", "name": "Luật Thể dục, thể thao", "date": "2018-06-14"},
        "kh3": {"type": "Kế hoạch", "number": 3, "date": "2026-01-10"},
    }
    sections = [{"title": "Căn cứ thực hiện", "blocks": [
        ["Thực hiện ", {"cite": "nq57"}, "; ", {"cite": "ctr10"}, "."],
        ["Theo ", {"cite": "luat"}, " và ", {"cite": "kh3"}, "."],
        ["Nhắc lại ", {"cite": "nq57"}, ", rồi in đủ lần nữa ", {"cite": "nq57", "full": True}, "."],
    ]}]
    doc = render(tmp_path, plan_data(references=references, sections=sections))
    texts = doc.texts()
    i = texts.index("I. CĂN CỨ THỰC HIỆN")
    assert texts[i + 1:i + 4] == [
        ("Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa học, "
         "công nghệ; Chương trình hành động số 10-CTr/TU của Tỉnh ủy Sông Mây."),
        ("Theo Luật Thể dục, thể thao ngày 14/6/2018 và Kế hoạch số 3/KH-SVHTT ngày 10/01/2026 của Sở Văn hóa "
         "và Thể thao."),
        ("Nhắc lại Nghị quyết số 57-NQ/TW, rồi in đủ lần nữa Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính "
         "trị về đột phá phát triển khoa học, công nghệ."),
    ]


# --- signer forms -------------------------------------------------------------------------------

SIGNERS = [
    ({"title": "Giám đốc"}, ["GIÁM ĐỐC"]),
    ({"authority": "KT", "head_title": "Giám đốc", "title": "Phó Giám đốc"}, ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]),
    ({"authority": "TM", "collective": "Ủy ban nhân dân", "title": "Chủ tịch"}, ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]),
    ({"authority": "TM", "collective": "Ủy ban nhân dân", "head_title": "Chủ tịch", "title": "Phó Chủ tịch"},
     ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]),
    ({"authority": "TL", "head_title": "Giám đốc", "title": "Chánh Văn phòng"}, ["TL. GIÁM ĐỐC", "CHÁNH VĂN PHÒNG"]),
    ({"authority": "TUQ", "head_title": "Giám đốc", "title": "Trưởng phòng Nghiệp vụ"},
     ["TUQ. GIÁM ĐỐC", "TRƯỞNG PHÒNG NGHIỆP VỤ"]),
    ({"authority": "Q", "title": "Giám đốc"}, ["Q. GIÁM ĐỐC"]),
    ({"lines": ["TM. Ban Thường trực", "Chủ tịch"]}, ["TM. BAN THƯỜNG TRỰC", "CHỦ TỊCH"]),
]


@pytest.mark.parametrize("signer, lines", SIGNERS, ids=["head", "KT", "TM", "TM-KT", "TL", "TUQ", "Q", "lines"])
def test_signer_forms(tmp_path, signer, lines):
    doc = render(tmp_path, plan_data(signer={"name": "Đỗ Minh Quân", **signer}))
    assert [t for t in doc.styled("KHThamQuyen") if t] == lines
    assert doc.styled("KHNguoiKy") == ["Đỗ Minh Quân"]
    assert all(doc.find(t).bold for t in lines)


# --- validate messages -------------------------------------------------------------------------------


def _problems(tmp_path: Path, data: dict[str, Any]) -> list[Any]:
    with pytest.raises(DataError) as exc:
        load_plan(write(tmp_path, data, "bad"))
    return exc.value.problems


def test_validate_appendix_with_both_table_and_blocks(tmp_path):
    data = plan_data(appendices=[{"table": {"columns": ["A"], "rows": [["x"]]}, "blocks": ["y"]}])
    (p,) = _problems(tmp_path, data)
    assert p.path == "appendices[0]" and p.line is not None
    assert "đúng một trong" in p.message and "table" in p.message and "blocks" in p.message


def test_validate_misspelt_key_in_a_heading_block_suggests_blocks(tmp_path):
    data = plan_data(sections=[{"title": "Nội dung", "blocks": [{"heading": "Phần một", "blokcs": ["x"]}]}])
    (p,) = _problems(tmp_path, data)
    assert "'blokcs'" in p.message and "có phải ý bạn là 'blocks'" in p.message
    assert p.line is not None and p.file.endswith("bad.yaml")


def test_validate_knows_the_keys_of_paragraph_pieces(tmp_path):
    """A paragraph's pieces ({cite}, {italic}, …) are reached through the named Paragraph alias: a
    misspelt piece key gets its one suggestion, a piece key written elsewhere is placed, and no
    "missing field" is added (issue 13 made Paragraph a TypeAliasType)."""
    ref = "kh12"
    references = {ref: {"type": "Kế hoạch", "number": 12, "date": "2026-01-10", "subject": "Chạy bộ"}}
    signer = {**BASE["signer"], "cite": ref}
    problems = _problems(tmp_path, plan_data(references=references, signer=signer,
                                             opening=[["Thực hiện ", {"citex": ref}]]))
    found = {p.path: p.message for p in problems}
    assert sorted(found) == ["opening[0][1].citex", "signer.cite"]  # nothing else, no "thiếu trường"
    assert found["opening[0][1].citex"].endswith("có phải ý bạn là 'cite'?")
    assert "không dùng được ở chỗ này" in found["signer.cite"]


def test_validate_table_column_and_numbering_mistakes(tmp_path):
    table = {"columns": [{"title": "A", "widht": 2}], "numbering": "restrat", "rows": []}
    data = plan_data(sections=[{"title": "Nội dung", "blocks": [{"table": table}]}])
    problems = _problems(tmp_path, data)
    messages = " | ".join(p.message for p in problems)
    assert "có phải ý bạn là 'width'" in messages
    assert "chỉ nhận một trong các giá trị: 'restart' hoặc 'continue'" in messages
    assert all(p.line is not None for p in problems)


def test_validate_signer_kt_without_head_title_is_vietnamese(tmp_path):
    data = plan_data(signer={"name": "Đỗ Minh Quân", "title": "Phó Giám đốc", "authority": "KT"})
    (p,) = _problems(tmp_path, data)
    assert p.path == "signer" and "head_title" in p.message and "chức vụ của người đứng đầu" in p.message


def test_validate_unknown_key_in_an_items_block_is_named_and_located(tmp_path):
    data = plan_data(sections=[{"title": "Nội dung", "blocks": [{"items": ["Một ý."], "colour": "đỏ"}]}])
    src = write(tmp_path, data, "bad")
    line = next(i for i, t in enumerate(src.read_text(encoding="utf-8").splitlines(), 1) if "colour" in t)
    with pytest.raises(DataError) as exc:
        load_plan(src)
    (p,) = exc.value.problems
    assert p.path == "sections[0].blocks[0].colour"
    assert "'colour'" in p.message
    assert p.line == line


def test_validate_unknown_key_in_a_nested_block_has_the_right_path(tmp_path):
    data = plan_data(sections=[{"title": "Nội dung", "blocks": [
        {"clause": "Khoản một", "blocks": [{"itemz": ["a"]}]}]}])
    src = write(tmp_path, data, "bad")
    line = next(i for i, t in enumerate(src.read_text(encoding="utf-8").splitlines(), 1) if "itemz" in t)
    with pytest.raises(DataError) as exc:
        load_plan(src)
    (p,) = exc.value.problems
    assert "có phải ý bạn là 'items'" in p.message
    assert p.path == "sections[0].blocks[0].blocks[0].itemz"
    assert p.line == line


def test_validate_row_with_more_cells_than_columns(tmp_path):
    table = {"columns": ["A", "B"], "rows": [["một", "hai", "ba thừa"]]}
    data = plan_data(sections=[{"title": "Nội dung", "blocks": [{"table": table}]}])
    src = write(tmp_path, data, "bad")
    try:
        plan = load_plan(src)
    except DataError as exc:
        (p,) = exc.problems
        assert p.path.startswith("sections[0].blocks[0].table.rows[0]") and p.line is not None
        return
    # accepted: then at least nothing may be lost
    out = tmp_path / "bad.docx"
    out.write_bytes(render_plan(plan))
    assert "ba thừa" in " ".join(Doc(out).texts(tables=True))


# --- schema, existing data, commands on the full sample -----------------------------------------------


def _schema(tmp_path: Path) -> dict[str, Any]:
    out = tmp_path / "schema.json"
    assert main(["schema", "-o", str(out)]) == 0
    return json.loads(out.read_text(encoding="utf-8"))


def test_json_schema_describes_the_new_structures(tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    schema = _schema(tmp_path)
    defs = schema["$defs"]
    assert {"Table", "Column", "Group", "Items", "Points", "Heading", "TableBlock", "CellSpec", "Bold",
            "BoldItalic"} <= set(defs)

    def check(name: str, value: Any) -> None:
        jsonschema.validate(value, {"$defs": defs, "$ref": f"#/$defs/{name}"})

    check("Table", {"columns": [{"title": "STT", "width": 1, "align": "center"}, {"title": "Nội dung"}], "numbered": True,
                    "numbering": "restart", "group_style": "merged",
                    "rows": [{"group": "Nhóm", "rows": [["a", {"text": "b", "rowspan": 2}]]}]})
    check("Appendix", {"title": "Phụ lục số 01", "upper": False, "orientation": "portrait",
                       "blocks": [{"heading": "I. KẾT QUẢ"}, "Một đoạn."]})
    check("Signer", {"name": "A", "lines": ["TM. Ban Thường trực", "Chủ tịch"]})
    with pytest.raises(jsonschema.ValidationError):
        check("Table", {"columns": ["A"], "numbering": "tiếp"})
    with pytest.raises(jsonschema.ValidationError):
        check("Appendix", {"orientation": "ngang", "blocks": ["x"]})


SHORTHANDS = [
    ("Column", "Nội dung"),                               # a column given as its title
    ("Clause", {"clause": "Mục đích", "blocks": ["x"]}),   # a khoản written among blocks
    ("Plan", None),                                        # date "2026-05" (see below)
    ("Agency", {"name": "Sở Văn hóa và Thể thao", "abbreviation": "SVHTT", "place": "Sông Mây"}),
    ("Reference", {"type": "Kế hoạch", "number": 36}),
    ("Heading", {"blocks": [{"items": ["Một ý."]}]}),       # an items block
]


@pytest.mark.parametrize("name, value", SHORTHANDS, ids=["column-string", "clause-key", "date-text",
                                                         "name-one-string", "number-int", "items-block"])
def test_json_schema_accepts_the_short_forms_the_loader_accepts(tmp_path, name, value):
    jsonschema = pytest.importorskip("jsonschema")
    defs = _schema(tmp_path)["$defs"]
    if name == "Plan":
        name, value = "IssueDate", "2026-05"
    jsonschema.validate(value, {"$defs": defs, "$ref": f"#/$defs/{name}"})


def _schema_errors(tmp_path: Path, path: Path) -> list[str]:
    jsonschema = pytest.importorskip("jsonschema")
    from generator.plan.loader import load_source

    validator = jsonschema.Draft202012Validator(_schema(tmp_path))
    return [".".join(map(str, e.path)) for e in validator.iter_errors(load_source(path).data)]


def test_json_schema_accepts_the_full_sample(tmp_path):
    assert _schema_errors(tmp_path, FULL) == []


def test_json_schema_accepts_the_existing_sample(tmp_path):
    assert _schema_errors(tmp_path, SAMPLE) == []


def test_existing_sample_renders_byte_identically(tmp_path):
    first = render_plan(load_plan(SAMPLE))
    second = render_plan(load_plan(SAMPLE))
    assert first == second
    out = tmp_path / "sample.docx"
    out.write_bytes(first)
    assert_clean(out)
    doc = Doc(out)
    assert doc.styled("KHCoQuanChuQuan") == ["UBND TỈNH QUẢNG NGÃI"]
    assert doc.styled("KHCoQuanBanHanh") == ["SỞ KHOA HỌC VÀ CÔNG NGHỆ"]
    assert doc.styled("KHMuc")[0] == "I. MỤC ĐÍCH, YÊU CẦU"


def test_full_sample_renders_every_structure(tmp_path):
    out = tmp_path / "full.docx"
    assert main(["render", str(FULL), "-o", str(out)]) == 0
    assert_clean(out)
    doc = Doc(out)
    assert doc.styled("KHCoQuanBanHanh") == ["ỦY BAN NHÂN DÂN", "TỈNH HÒA BÌNH XANH"]
    assert [t for t in doc.styled("KHThamQuyen") if t] == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    assert ("01/6 và 15/11", True, False) in doc.find("b) Báo cáo kết quả trước ngày 01/6 và 15/11 hằng năm.").runs
    assert [s["landscape"] for s in sections(doc)] == [False, True, False]
    assert re_render_same(FULL)


def re_render_same(path: Path) -> bool:
    return render_plan(load_plan(path)) == render_plan(load_plan(path))


def test_check_data_mode_on_full_sample(capsys):
    assert main(["check", str(FULL)]) == 0
    out = capsys.readouterr().out
    assert out.strip()


def test_rollover_full_sample(tmp_path, capsys):
    src = tmp_path / "ke-hoach-cau-truc-day-du-2026.yaml"
    shutil.copy(FULL, src)
    out = tmp_path / "nam-sau.yaml"
    assert main(["rollover", str(src), "--year", "2027", "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    plan = load_plan(out)
    assert plan.subject == ["Thực hiện chương trình chuyển đổi số", "trong các cơ quan hành chính năm 2027"]
    assert plan.appendices[0].subtitle == ["PHÂN CÔNG NHIỆM VỤ NĂM 2027"]
    assert plan.number is None and plan.date.year == 2027 and plan.date.day is None
    assert str(plan.references["nq57"].date) == "2024-12-22"  # other documents keep their years
    assert "party: true" in text and "numbering: continue" in text and "# STT nối tiếp" in text
    # the table cell "Năm 2026" in the appendix moves with the plan's year
    table_rows = plan.appendices[0].table.rows
    assert table_rows[1].rows[1][2] == "Năm 2027"
    docx_out = tmp_path / "nam-sau.docx"
    docx_out.write_bytes(render_plan(plan))
    assert_clean(docx_out)


def test_batch_overrides_on_full_sample(tmp_path, capsys):
    src = tmp_path / "mau.yaml"
    shutil.copy(FULL, src)
    units = tmp_path / "don-vi.yaml"
    units.write_text(yaml.safe_dump({"mode": "implementing", "units": [
        {"name": "UBND huyện Suối Bạc",
         "agency": {"name": ["Ủy ban nhân dân", "huyện Suối Bạc"], "short_name": "UBND huyện Suối Bạc",
                    "place": "Suối Bạc"},
         "signer": {"name": "Phạm Thu Hà", "title": "Chủ tịch", "authority": None, "collective": None,
                    "head_title": None}},
        {"name": "UBND huyện Đá Trắng", "agency": {"name": "UBND huyện Đá Trắng", "place": "Đá Trắng"},
         "signer": {"name": "Vũ Văn Tám", "title": "Chủ tịch", "authority": None, "collective": None,
                    "head_title": None}},
    ]}, allow_unicode=True, sort_keys=False), encoding="utf-8")
    outdir = tmp_path / "out"
    assert main(["batch", str(src), "--units", str(units), "-o", str(outdir), "--quiet", "--jobs", "1"]) == 0
    files = sorted(outdir.glob("*.docx"))
    assert len(files) == 2
    by_name = {f.stem: Doc(f) for f in files}
    suoi = next(d for n, d in by_name.items() if "suoi" in n)
    assert suoi.styled("KHCoQuanBanHanh") == ["ỦY BAN NHÂN DÂN", "HUYỆN SUỐI BẠC"]
    assert suoi.styled("KHPhuLucTrichDan")[0].endswith("của UBND huyện Suối Bạc)")
    assert [t for t in suoi.styled("KHThamQuyen") if t] == ["CHỦ TỊCH"]
    # the body's structures survive the merge
    assert "1.2. Chuẩn hóa dữ liệu dùng chung." in suoi.texts()
    assert [s["landscape"] for s in sections(suoi)] == [False, True, False]
    for f in files:
        assert_clean(f)


def test_batch_internal_extract_on_full_sample(tmp_path, capsys):
    src = tmp_path / "mau.yaml"
    shutil.copy(FULL, src)
    units = tmp_path / "noi-bo.yaml"
    units.write_text(yaml.safe_dump({"mode": "internal", "extract": True, "units": [{"unit": "so_nv"}]},
                                    allow_unicode=True), encoding="utf-8")
    outdir = tmp_path / "out"
    rc = main(["batch", str(src), "--units", str(units), "-o", str(outdir), "--quiet", "--jobs", "1"])
    assert rc == 0
    (f,) = sorted(outdir.glob("*.docx"))
    doc = Doc(f)
    assert doc.styled("KHNoiNhanDS")[0] == "- Sở Nội vụ;"
    # a table appendix has no tasks to pick from: it is sent whole (extract.extract_appendix)
    tables = doc.body_tables()
    assert [[c["text"] for c in r] for r in grid(tables[-1])][1:3] == [["I. HẠ TẦNG"],
                                                                       ["1", "Nâng cấp đường truyền", "Sở Tài chính", "Quý II"]]
    assert "Nêu khó khăn, vướng mắc và đề xuất." in doc.texts()
    assert_clean(f)


# --- LibreOffice ---------------------------------------------------------------------------------


def test_libreoffice_opens_renders_page_orientation_and_text(tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice or not shutil.which("pdfinfo") or not shutil.which("pdftotext"):
        pytest.skip("LibreOffice or poppler-utils not installed")
    out = tmp_path / "full.docx"
    out.write_bytes(render_plan(load_plan(FULL)))
    mttq = render(tmp_path, plan_data(
        agency={"parent": ["Ủy ban MTTQ Việt Nam", "xã Lương Sơn"], "name": "Ban Thường trực",
                "abbreviation": "MTTQ-BTT", "place": "Lương Sơn"},
        appendices=[{"blocks": ["Phụ lục văn bản."]}, {"table": {"columns": ["A", "B"], "rows": [["x", "y"]]}}]),
        "mttq")
    profile = tmp_path / "lo-profile"
    r = subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(tmp_path / "pdf"), str(out), str(mttq.path)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    for name, expect in (("full", ["portrait", "landscape", "portrait"]), ("mttq", ["portrait", "portrait", "landscape"])):
        pdf = tmp_path / "pdf" / f"{name}.pdf"
        assert pdf.exists()
        info = subprocess.run(["pdfinfo", "-f", "1", "-l", "99", str(pdf)], capture_output=True, text=True).stdout
        pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
        sizes = [line.split(":", 1)[1] for line in info.splitlines() if line.startswith("Page") and "size" in line]
        assert len(sizes) == pages >= 3
        orient = ["landscape" if float(s.split()[0]) > float(s.split()[2]) else "portrait" for s in sizes]
        assert orient[0] == "portrait" and orient[-1] == expect[-1]
        # orientation changes exactly where the appendices start
        assert [o for k, o in enumerate(orient) if k == 0 or o != orient[k - 1]] == \
            [o for k, o in enumerate(expect) if k == 0 or o != expect[k - 1]]
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        assert "KẾ HOẠCH" in text
    full_text = subprocess.run(["pdftotext", str(tmp_path / "pdf" / "full.pdf"), "-"], capture_output=True,
                               text=True).stdout
    assert "1.2. Chuẩn hóa dữ liệu dùng chung." in full_text
    assert "PHÂN CÔNG NHIỆM VỤ NĂM 2026" in full_text


@pytest.mark.parametrize("number", ["²", "١٢", "12a", "-5"])
def test_a_number_that_is_no_number_is_said_in_vietnamese(tmp_path, number):
    """Issue 30: "²" is a digit to str.isdigit() but int() refuses it; the message must still be ours."""
    (p,) = _problems(tmp_path, plan_data(number=number, date="2024-03-20"))
    assert p.path == "number" and p.line is not None
    assert "số" in p.message and "invalid" not in p.message and "literal" not in p.message, p.message
