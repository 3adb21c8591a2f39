"""Issue 11: `kehoach import` keeps everything a real plan holds.

Each test builds a Word file the way offices lay plans out in Word (tests/word_fixtures.py: header
table, lines drawn as shapes anchored in other paragraphs, typed numbering, direct formatting), with
our own sentences, imports it, renders the data again and compares: every non-empty paragraph and
cell of the original appears in the re-render, in order (whitespace-normalised), and every bold or
italic span of three words or more keeps its emphasis. Then it asserts the structure the data got.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import re

import docx
import pytest
import yaml

from generator.cli import main
from generator.errors import UserError
from generator.jobs.importer import import_docx, import_file
from generator.plan.loader import load_plan
from generator.document.render import render_plan
from tests.word_fixtures import (
    Doc,
    Header,
    WordTable,
    blocks,
    build_plan,
    cell_texts,
    emphasis_lost,
    emphasis_spans,
    header_and_rest,
    in_order,
    norm,
    words_kept,
)

from tests.paths import ROOT, SAMPLE, FULL

CORPUS = ROOT.parent / "shared" / "corpus"

OPENING = "Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh, Sở Văn hóa và Thể thao ban hành Kế hoạch như sau:"
CLOSING = "Các phòng, đơn vị triển khai thực hiện nghiêm túc Kế hoạch này./."


def simple_body(*middle: Any) -> list[Any]:
    return [OPENING, {"text": "I. MỤC ĐÍCH, YÊU CẦU", "bold": True},
            "Khuyến khích người dân rèn luyện thân thể mỗi ngày.", *middle,
            {"text": "II. TỔ CHỨC THỰC HIỆN", "bold": True}, CLOSING]


def roundtrip(tmp_path: Path, original: Path) -> tuple[dict[str, Any], list[Any], Path]:
    """import → data file → render; asserts text and emphasis kept. Returns data, warnings, re-render."""
    out = tmp_path / f"{original.stem}.yaml"
    result = import_file(original, out, force=True)
    plan = load_plan(out)
    back = tmp_path / f"{original.stem}.back.docx"
    back.write_bytes(render_plan(plan))
    head, rest = header_and_rest(original)
    after = blocks(back)
    assert head and rest, "the fixture has a header table and text"
    # the header table's paragraphs: all there (the two columns may be laid out in another order)
    missing = [t for t in head if in_order([t], after)]
    assert missing == [], f"header text not kept: {missing}"
    missing = in_order(rest, after)
    assert missing == [], f"not kept in order: {missing}"
    lost = emphasis_lost(original, back)
    assert lost == [], f"emphasis lost: {lost}"
    return yaml.safe_load(result.text), result.warnings, back


def para_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "".join(para_text(v) for v in value)
    if isinstance(value, dict):
        return "".join(para_text(v) for k, v in value.items() if k in ("text", "bold", "italic", "bold_italic"))
    return ""


def name_text(data: dict[str, Any]) -> str:
    """The issuer's name as one text: its lines, as the page printed them, joined (the fixture's
    "SỞ VĂN HÓA VÀ THỂ THAO" is wider than its column, and Word wraps it)."""
    name = data["agency"]["name"]
    return " ".join(" ".join(name).split()) if isinstance(name, list) else " ".join(name.split())


def all_texts(node: Any) -> list[str]:
    """Every text of a piece of plan data, depth first, in order (numbers and markers not included)."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, list):
        if node and all(isinstance(x, (str, dict)) and (isinstance(x, str) or set(x) <= {"bold", "italic",
                        "bold_italic", "cite"}) for x in node) and any(isinstance(x, dict) for x in node):
            return [para_text(node)]  # a paragraph made of pieces
        return [t for x in node for t in all_texts(x)]
    if isinstance(node, dict):
        out = []
        for key in ("heading", "clause", "text", "group"):
            if key in node and node[key] is not None:
                out.append(para_text(node[key]))
        for key in ("items", "points", "blocks", "rows"):
            if key in node:
                out += all_texts(node[key])
        return out
    return []


# --- header and date -------------------------------------------------------------------------------


def test_blank_day_and_month_is_a_draft_of_the_year(tmp_path):
    path = build_plan(tmp_path / "nhap.docx", header=Header(date="Sông Mây, ngày     tháng     năm 2026"),
                      body=simple_body())
    data, warnings, back = roundtrip(tmp_path, path)
    assert data["date"] == "2026" and "number" not in data
    assert data["agency"]["place"] == "Sông Mây"
    assert data["agency"]["abbreviation"] == "SVHTT"
    assert Doc(back).styled("KHDiaDanh") == ["Sông Mây, ngày    tháng    năm 2026"]
    assert Doc(back).styled("KHSoKyHieu") == ["Số:      /KH-SVHTT"]
    assert warnings == []


def test_signed_date_and_number(tmp_path):
    path = build_plan(tmp_path / "ky.docx", header=Header(number="Số: 15/KH-SVHTT",
                                                          date="Sông Mây, ngày 09 tháng 3 năm 2026"),
                      body=simple_body())
    data, warnings, _ = roundtrip(tmp_path, path)
    assert (data["number"], data["date"]) == (15, "2026-03-09")


def test_cong_hoa_spelled_hoa_with_old_accent(tmp_path):
    path = build_plan(tmp_path / "hoa.docx", header=Header(quoc_hieu="CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
                      body=simple_body())
    data, warnings, _ = roundtrip(tmp_path, path)
    assert name_text(data) == "Sở Văn hóa và Thể thao"
    assert not any("phần đầu" in str(w) for w in warnings)


@pytest.mark.parametrize("quoc_hieu, tieu_ngu", [
    ("CỘNG HÒA XÃ HỘI CHỦ NGHỈA VIỆT NAM", None),  # a wrong tone mark
    ("CỘNG HÒA XÃ HÔI CHỦ NGHĨA VIỆT NAM", None),  # a missing one
    ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆTNAM", None),  # a missing space
    ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM.", "Độc lập - Tự do - Hạnh phúc."),  # closing periods
    (None, "Độc lâp - Tự do - Hạnh phúc"),
])
def test_a_quoc_hieu_or_tieu_ngu_typed_with_a_slip_is_that_line_misspelt(tmp_path, quoc_hieu, tieu_ngu):
    """The page shows the Quốc hiệu (or the Tiêu ngữ) with one slip: still that line of the header. Import
    reads the plan as it reads one without the slip (the render prints the lines right); check reports
    the slip, once, as the line's form (not "no Quốc hiệu", not a refusal of the whole file)."""
    from generator.check import check_docx

    clean = build_plan(tmp_path / "dung.docx", body=simple_body())
    path = build_plan(tmp_path / "sai.docx", header=Header(quoc_hieu=quoc_hieu or Header.quoc_hieu),
                      body=simple_body())
    if tieu_ngu:
        document = docx.Document(str(path))
        line = next(p for t in document.tables for c in t._cells for p in c.paragraphs if p.text.startswith("Độc lập"))
        line.runs[0].text = tieu_ngu
        for run in line.runs[1:]:
            run.text = ""
        document.save(str(path))
    assert import_docx(path).data == import_docx(clean).data
    failed = {r.rule for r in check_docx(path).results if r.status == "fail"} - \
        {r.rule for r in check_docx(clean).results if r.status == "fail"}
    assert failed == {rule for rule, typed in (("PL1.III.1.quoc-hieu.hinh-thuc", quoc_hieu),
                                               ("PL1.III.1.tieu-ngu.hinh-thuc", tieu_ngu)) if typed}


@pytest.mark.parametrize("layout", ["wrap", "break"])
def test_issuer_in_one_paragraph(tmp_path, layout):
    header = Header(parent=(), issuer=("ỦY BAN NHÂN DÂN", "TỈNH SÔNG MÂY"), issuer_one_paragraph=layout,
                    number="Số:      /KH-UBND")
    path = build_plan(tmp_path / f"mot-doan-{layout}.docx", header=header, body=simple_body())
    data, warnings, _ = roundtrip(tmp_path, path)
    agency = data["agency"]
    assert "parent" not in agency
    assert [norm(x).upper() for x in agency["name"]] == ["ỦY BAN NHÂN DÂN", "TỈNH SÔNG MÂY"]


def test_two_line_issuer_without_parent(tmp_path):
    header = Header(parent=(), issuer=("ỦY BAN NHÂN DÂN", "TỈNH SÔNG MÂY"), number="Số:      /KH-UBND")
    path = build_plan(tmp_path / "ubnd.docx", header=header, body=simple_body(),
                      signer=("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"))
    data, warnings, back = roundtrip(tmp_path, path)
    agency = data["agency"]
    assert "parent" not in agency
    assert isinstance(agency["name"], list) and len(agency["name"]) == 2
    assert agency["name"][1].lower() == "tỉnh sông mây"
    assert {k: str(v).lower() for k, v in data["signer"].items()} == {
            "name": "lê thị hạnh", "authority": "tm", "collective": "ủy ban nhân dân", "head_title": "chủ tịch",
            "title": "phó chủ tịch"}
    plan = load_plan(tmp_path / "ubnd.yaml")
    assert plan.agency.parent is None


def test_three_line_mttq_header(tmp_path):
    header = Header(parent=("ỦY BAN MTTQ VIỆT NAM", "XÃ LƯƠNG SƠN"), issuer=("BAN THƯỜNG TRỰC",),
                    number="Số: 16/KH-MTTQ-BTT", date="Lương Sơn, ngày 12 tháng 02 năm 2026")
    path = build_plan(tmp_path / "mttq.docx", header=header, body=simple_body(),
                      signer=("TM. BAN THƯỜNG TRỰC", "CHỦ TỊCH"))
    data, warnings, back = roundtrip(tmp_path, path)
    agency = data["agency"]
    assert [x.upper() for x in agency["parent"]] == ["ỦY BAN MTTQ VIỆT NAM", "XÃ LƯƠNG SƠN"]
    assert agency["name"].upper() == "BAN THƯỜNG TRỰC"
    assert agency["abbreviation"] == "MTTQ-BTT" and data["number"] == 16 and data["date"] == "2026-02-12"
    assert data["signer"]["authority"] == "TM"
    plan = load_plan(tmp_path / "mttq.yaml")
    assert plan.signer.collective.upper() == "BAN THƯỜNG TRỰC"


def test_parent_acronym_and_place_name_keep_their_case(tmp_path):
    path = build_plan(tmp_path / "viet-tat.docx", body=simple_body())
    data = import_docx(path).data
    assert data["agency"]["parent"] == "UBND tỉnh Sông Mây"


@pytest.mark.parametrize("lines", ["anchored", "number_row", "vml", "none"])
def test_lines_drawn_as_shapes_anywhere(tmp_path, lines):
    path = build_plan(tmp_path / f"duong-ke-{lines}.docx", header=Header(lines=lines), body=simple_body())
    data, warnings, _ = roundtrip(tmp_path, path)
    assert name_text(data) == "Sở Văn hóa và Thể thao"
    assert data["subject"] == "Tổ chức giải chạy vì sức khỏe cộng đồng năm 2026"
    assert [s["title"] for s in data["sections"]] == ["Mục đích, yêu cầu", "Tổ chức thực hiện"]
    assert warnings == []


# --- body -------------------------------------------------------------------------------------


def test_numbering_typed_without_space(tmp_path):
    body = [OPENING, {"text": "I.MỤC ĐÍCH, YÊU CẦU", "bold": True}, {"text": "1.Mục đích", "bold": True},
            "Khuyến khích người dân rèn luyện thân thể mỗi ngày.",
            {"text": "II.TỔ CHỨC THỰC HIỆN", "bold": True}, CLOSING]
    path = build_plan(tmp_path / "khong-cach.docx", body=body)
    data, warnings, _ = roundtrip(tmp_path, path)
    assert [s["title"] for s in data["sections"]] == ["Mục đích, yêu cầu", "Tổ chức thực hiện"]


def test_bold_and_italic_inside_sentences(tmp_path):
    body = simple_body(
        ["Báo cáo kết quả ", ("b", "trước ngày 15 tháng 11 hằng năm"), " về Sở Văn hóa và Thể thao."],
        ["Tổ chức giải chạy ", ("i", "gắn với tuyên truyền phòng chống tác hại thuốc lá"), " trong toàn tỉnh."],
        ["Phần ", ("bi", "vừa đậm vừa nghiêng ở đây"), " rồi chữ thường."],
    )
    path = build_plan(tmp_path / "nhan-manh.docx", body=body)
    data, warnings, back = roundtrip(tmp_path, path)
    blocks = data["sections"][0]["blocks"]
    pieces = [seg for b in blocks if isinstance(b, list) for seg in b if isinstance(seg, dict)]
    kinds = {next(iter(seg)): norm(next(iter(seg.values()))) for seg in pieces}
    assert kinds == {"bold": "trước ngày 15 tháng 11 hằng năm", "italic": "gắn với tuyên truyền phòng chống tác hại thuốc lá",
                     "bold_italic": "vừa đậm vừa nghiêng ở đây"}


def test_dash_and_plus_items(tmp_path):
    body = simple_body(
        "- Tổ chức giải chạy ở các huyện.",
        "+ Huyện Suối Bạc tổ chức vào tháng 3.",
        "+ Huyện Đá Trắng tổ chức vào tháng 4.",
        "- Tuyên truyền trên báo, đài địa phương.",
    )
    path = build_plan(tmp_path / "gach.docx", body=body)
    data, warnings, _ = roundtrip(tmp_path, path)
    items = next(b for b in data["sections"][0]["blocks"] if isinstance(b, dict) and "items" in b)["items"]
    assert items == [{"text": "Tổ chức giải chạy ở các huyện.",
                      "items": ["Huyện Suối Bạc tổ chức vào tháng 3.", "Huyện Đá Trắng tổ chức vào tháng 4."]},
                     "Tuyên truyền trên báo, đài địa phương."]


def test_clauses_points_and_paragraph_after_clauses(tmp_path):
    body = [OPENING, {"text": "I. NHIỆM VỤ", "bold": True},
            {"text": "1. Công tác chuẩn bị", "bold": True},
            "a) Khảo sát đường chạy.", "b) Đăng ký vận động viên.",
            {"text": "2. Công tác tổ chức", "bold": True},
            "2.1. Bố trí lực lượng bảo đảm an toàn.",
            "2.2. Bố trí xe cứu thương.",
            "Đoạn viết sau các khoản con.",
            {"text": "II. TỔ CHỨC THỰC HIỆN", "bold": True}, CLOSING]
    path = build_plan(tmp_path / "khoan.docx", body=body)
    data, warnings, _ = roundtrip(tmp_path, path)
    blocks = data["sections"][0]["blocks"]
    assert warnings == []
    assert blocks[0] == {"clause": "Công tác chuẩn bị",
                         "blocks": [{"points": ["Khảo sát đường chạy.", "Đăng ký vận động viên."]}]}
    # in Word a paragraph after a khoản cannot be told from one inside it: it stays with the khoản
    assert blocks[1]["clause"] == "Công tác tổ chức"
    inner = blocks[1]["blocks"]
    assert [para_text(b.get("clause") or b.get("text")) for b in inner] == [
        "Bố trí lực lượng bảo đảm an toàn.", "Bố trí xe cứu thương."]
    assert all_texts(blocks[1])[-1] == "Đoạn viết sau các khoản con."


def test_numbering_that_skips_is_kept_as_text_with_a_located_warning(tmp_path):
    body = [OPENING, {"text": "I. NHIỆM VỤ", "bold": True},
            {"text": "1. Công tác chuẩn bị", "bold": True},
            "Khảo sát đường chạy và lập dự toán.",
            {"text": "3. Công tác tổng kết", "bold": True},
            "Tổng kết, khen thưởng sau giải.",
            {"text": "II. TỔ CHỨC THỰC HIỆN", "bold": True}, CLOSING]
    path = build_plan(tmp_path / "nhay-so.docx", body=body)
    data, warnings, back = roundtrip(tmp_path, path)
    assert any(w.where.startswith("đoạn ") and "3. Công tác tổng kết" in w.excerpt for w in warnings), \
        [str(w) for w in warnings]
    assert any(norm(t) == "3. Công tác tổng kết" for t in cell_texts(back))
    number = int(next(w for w in warnings if "3. Công tác" in w.excerpt).where.split()[1])
    assert number > 5  # counted from the top of the document, header table paragraphs included


def test_table_inside_the_body(tmp_path):
    table = WordTable(rows=[["TT", "Nội dung", "Thời gian"], ["1", "Khảo sát đường chạy", "Tháng 2"],
                            ["2", "Tổ chức giải", "Tháng 4"]], widths=[1.2, 10, 4])
    body = simple_body("Các việc cụ thể như sau:", table, "Đoạn sau bảng vẫn thuộc mục I.")
    path = build_plan(tmp_path / "bang.docx", body=body)
    data, warnings, back = roundtrip(tmp_path, path)
    blocks = data["sections"][0]["blocks"]
    kinds = ["table" if isinstance(b, dict) and "table" in b else para_text(b) for b in blocks]
    assert kinds == ["Khuyến khích người dân rèn luyện thân thể mỗi ngày.", "Các việc cụ thể như sau:", "table",
                     "Đoạn sau bảng vẫn thuộc mục I."]
    table = next(b["table"] for b in blocks if isinstance(b, dict) and "table" in b)
    assert len(table["columns"]) == 3


# --- appendices --------------------------------------------------------------------------------


def _appendix_head(title: str, name: str) -> list[Any]:
    return [{"text": title, "bold": True, "align": "center"}, {"text": name, "bold": True, "align": "center"},
            {"text": "(Kèm theo Kế hoạch số      /KH-SVHTT ngày      tháng      năm 2026 của Sở Văn hóa và Thể thao)",
             "italic": True, "align": "center"}]


def _table_of(data: dict[str, Any], k: int = 0) -> dict[str, Any]:
    app = data["appendices"][k]
    assert "table" in app, app
    return app["table"]


def _flat_rows(rows: list[Any]) -> list[Any]:
    out = []
    for r in rows:
        if isinstance(r, dict) and "group" in r:
            out.append(("group", para_text(r["group"])))
            out += _flat_rows(r.get("rows", []))
        else:
            out.append(r)
    return out


GROUPED = [
    ["STT", "Nhiệm vụ", "Chủ trì", "Phối hợp", "Thời gian"],
    [{"text": "I. CHUẨN BỊ", "span": 5, "bold": True}],
    ["1", "Khảo sát đường chạy", "Phòng Nghiệp vụ", "Công an", "Tháng 2"],
    ["2", "Lập dự toán kinh phí", "Phòng Nghiệp vụ", "Sở Tài chính", "Tháng 2"],
    [{"text": "II. TỔ CHỨC", "span": 5, "bold": True}],
    ["3", "Khai mạc giải chạy", "Văn phòng Sở", {"text": "Đoàn Thanh niên\nHội Phụ nữ"}, "Tháng 4"],
]


def test_appendix_table_with_merged_group_rows_and_running_stt(tmp_path):
    app = _appendix_head("PHỤ LỤC", "PHÂN CÔNG NHIỆM VỤ") + [WordTable(rows=GROUPED, widths=[1.2, 9, 4, 4, 3])]
    path = build_plan(tmp_path / "pl-bang.docx", body=simple_body(), appendices=[app],
                      appendix_landscape=[True])
    data, warnings, back = roundtrip(tmp_path, path)
    table = _table_of(data)
    assert len(table["columns"]) == 5
    assert (table.get("numbered"), table.get("numbering"), table.get("group_style")) == (True, "continue", "merged")
    assert [(g["group"].upper(), len(g["rows"])) for g in table["rows"]] == [("CHUẨN BỊ", 2), ("TỔ CHỨC", 1)]
    assert table["rows"][1]["rows"][0] == ["Khai mạc giải chạy", "Văn phòng Sở",
                                           {"lines": ["Đoàn Thanh niên", "Hội Phụ nữ"]}, "Tháng 4"]
    assert data["appendices"][0].get("orientation", "landscape") == "landscape"
    plan = load_plan(tmp_path / "pl-bang.yaml")
    assert plan.appendices[0].landscape


def test_appendix_table_with_gridspan_and_vmerge(tmp_path):
    rows = [
        ["Nội dung", "Chủ trì", "Phối hợp", "Thời gian"],
        ["Khảo sát đường chạy", {"text": "Phòng Nghiệp vụ", "vmerge": "restart"}, "Công an", "Tháng 2"],
        ["Lập dự toán kinh phí", {"vmerge": "continue"}, "Sở Tài chính", "Tháng 2"],
        ["Khai mạc giải chạy", {"text": "Văn phòng Sở và Đoàn Thanh niên", "span": 2}, "Tháng 4"],
    ]
    app = _appendix_head("PHỤ LỤC", "PHÂN CÔNG") + [WordTable(rows=rows, widths=[9, 4, 4, 3])]
    path = build_plan(tmp_path / "pl-gop.docx", body=simple_body(), appendices=[app])
    data, warnings, back = roundtrip(tmp_path, path)
    rows_data = _table_of(data)["rows"]
    assert rows_data[0][1] == {"text": "Phòng Nghiệp vụ", "rowspan": 2}
    assert rows_data[1] == ["Lập dự toán kinh phí", "Sở Tài chính", "Tháng 2"]
    assert rows_data[2][1] == {"text": "Văn phòng Sở và Đoàn Thanh niên", "span": 2}


def test_appendix_numbered_grouped_table_with_rowspan(tmp_path):
    rows = [list(r) for r in GROUPED]
    rows[2] = ["1", "Khảo sát đường chạy", {"text": "Phòng Nghiệp vụ", "vmerge": "restart"}, "Công an", "Tháng 2"]
    rows[3] = ["2", "Lập dự toán kinh phí", {"vmerge": "continue"}, "Sở Tài chính", "Tháng 2"]
    app = _appendix_head("PHỤ LỤC", "PHÂN CÔNG NHIỆM VỤ") + [WordTable(rows=rows, widths=[1.2, 9, 4, 4, 3])]
    path = build_plan(tmp_path / "pl-bang-gop.docx", body=simple_body(), appendices=[app])
    data, warnings, back = roundtrip(tmp_path, path)
    table = _table_of(data)
    assert (table.get("numbered"), table.get("numbering"), table.get("group_style")) == (True, "continue", "merged")
    assert table["rows"][0]["rows"][0][1] == {"text": "Phòng Nghiệp vụ", "rowspan": 2}


def test_appendix_table_stt_restarting_per_group_split_style(tmp_path):
    rows = [
        ["STT", "Nội dung", "Thời gian"],
        [{"text": "I", "bold": True, "align": "center"}, {"text": "Chuẩn bị", "span": 2, "bold": True}],
        ["1", "Khảo sát", "Tháng 2"], ["2", "Dự toán", "Tháng 2"],
        [{"text": "II", "bold": True, "align": "center"}, {"text": "Tổ chức", "span": 2, "bold": True}],
        ["1", "Khai mạc", "Tháng 4"],
    ]
    app = _appendix_head("PHỤ LỤC", "DANH MỤC VIỆC") + [WordTable(rows=rows, widths=[1.2, 10, 4])]
    path = build_plan(tmp_path / "pl-lai.docx", body=simple_body(), appendices=[app])
    data, warnings, back = roundtrip(tmp_path, path)
    table = _table_of(data)
    assert table.get("numbered") is True and table.get("numbering") == "restart"
    assert table.get("group_style", "split") == "split"


@pytest.mark.parametrize("ncols", [3, 4, 6, 8])
def test_appendix_table_of_any_width_without_groups(tmp_path, ncols):
    head = ["TT"] + [f"Cột thứ {k}" for k in range(2, ncols + 1)]
    body_rows = [[str(r)] + [f"Ô {r}.{k}" for k in range(2, ncols + 1)] for r in (1, 2, 3)]
    app = _appendix_head("PHỤ LỤC", f"BẢNG {ncols} CỘT") + [WordTable(rows=[head, *body_rows], widths=[1] + [3] * (ncols - 1))]
    path = build_plan(tmp_path / f"pl-{ncols}.docx", body=simple_body(), appendices=[app])
    data, warnings, back = roundtrip(tmp_path, path)
    table = _table_of(data)
    assert len(table["columns"]) == ncols
    assert len(_flat_rows(table["rows"])) == 3


def test_text_appendix_and_several_appendices(tmp_path):
    text_app = _appendix_head("PHỤ LỤC I", "ĐỀ CƯƠNG BÁO CÁO KẾT QUẢ") + [
        {"text": "I. KẾT QUẢ THỰC HIỆN", "bold": True}, "- Số người tham gia giải.", "- Số giải thưởng đã trao.",
        {"text": "II. KIẾN NGHỊ", "bold": True}, "Nêu khó khăn, vướng mắc và đề xuất."]
    table_app = _appendix_head("PHỤ LỤC II", "DANH SÁCH ĐƠN VỊ") + [
        WordTable(rows=[["STT", "Đơn vị", "Số người"], ["1", "Phường Bến Đá", "120"], ["2", "Xã Suối Bạc", "80"]],
                  widths=[1.2, 9, 4])]
    path = build_plan(tmp_path / "hai-pl.docx", body=simple_body(), appendices=[text_app, table_app],
                      appendix_landscape=[False, True])
    data, warnings, back = roundtrip(tmp_path, path)
    apps = data["appendices"]
    assert len(apps) == 2
    assert "blocks" in apps[0] and "table" in apps[1]
    assert all_texts(apps[0]["blocks"]) == ["I. KẾT QUẢ THỰC HIỆN", "Số người tham gia giải.",
                                            "Số giải thưởng đã trao.", "II. KIẾN NGHỊ",
                                            "Nêu khó khăn, vướng mắc và đề xuất."]
    assert [a["title"].upper() for a in apps] == ["PHỤ LỤC I", "PHỤ LỤC II"]
    plan = load_plan(tmp_path / "hai-pl.yaml")
    assert [a.landscape for a in plan.appendices] == [False, True]


# --- not a Kế hoạch ------------------------------------------------------------------------------


@pytest.mark.parametrize("title, subject, what", [
    ("QUYẾT ĐỊNH", ("Về việc tổ chức giải chạy năm 2026",), "Quyết định"),
    ("", (), "Công văn"),
    ("BÁO CÁO", ("Kết quả giải chạy năm 2026",), "Báo cáo"),
])
def test_not_a_plan_exits_2_naming_the_type(tmp_path, capsys, title, subject, what):
    number = {"Quyết định": "Số:      /QĐ-SVHTT", "Công văn": "Số:      /SVHTT-VP", "Báo cáo": "Số:      /BC-SVHTT"}[what]
    vv = "V/v tổ chức giải chạy năm 2026" if what == "Công văn" else None
    body = [{"text": "Kính gửi: Các phòng, đơn vị thuộc Sở.", "align": "center"}] if vv else []
    path = build_plan(tmp_path / "khac.docx", header=Header(number=number, vv=vv), title=title, subject=subject,
                      body=body + simple_body())
    with pytest.raises(UserError) as exc:
        import_docx(path)
    assert f"đây là {what}" in str(exc.value)
    assert main(["import", str(path), "-o", str(tmp_path / "khac.yaml")]) == 2
    err = capsys.readouterr().err
    assert "không phải Kế hoạch" in err and what in err
    assert not (tmp_path / "khac.yaml").exists()


@pytest.mark.parametrize("title, more", [("KẾ HOẠCH HÀNH ĐỘNG", "HÀNH ĐỘNG"), ("KẾ HOẠCH LIÊN TỊCH", "LIÊN TỊCH"),
                                         ("K Ế  H O Ạ C H", ""), ("KẾ HOẠCH (DỰ THẢO)", "")])
def test_a_title_that_goes_on_after_ke_hoach_is_a_plan(tmp_path, title, more):
    """"KẾ HOẠCH HÀNH ĐỘNG" on the title line (action and joint plans print so): a plan, not "no tên loại
    KẾ HOẠCH". Its words after the tên loại open the trích yếu (said), so none is lost; check reads the
    type from it whatever its spacing (the ký hiệu's KH judged, not left unevaluated)."""
    from generator.check import check_docx

    subject = ("Thực hiện Nghị quyết số 57-NQ/TW của Bộ Chính trị",)
    path = build_plan(tmp_path / "hd.docx", title=title, subject=subject, body=simple_body())
    result = import_docx(path)
    assert result.data["subject"] == ([more, *subject] if more else subject[0])
    assert any(f"tên loại in kèm “{more}”" in str(w) for w in result.warnings) == bool(more)
    report = check_docx(path)
    assert report.document_type == "Kế hoạch"
    assert [r.status for r in report.results if r.rule == "PL3.ten-loai-viet-tat"] == ["pass"]


def test_not_an_administrative_document_exits_2(tmp_path, capsys):
    import docx

    doc = docx.Document()
    doc.add_paragraph("Danh sách món ăn cho buổi liên hoan cuối năm")
    doc.add_paragraph("Bánh chưng, giò lụa, dưa hành và canh măng.")
    path = tmp_path / "thuc-don.docx"
    doc.save(str(path))
    assert main(["import", str(path), "-o", str(tmp_path / "thuc-don.yaml")]) == 2
    err = capsys.readouterr().err
    assert "không phải Kế hoạch" in err
    assert not (tmp_path / "thuc-don.yaml").exists()


def test_a_party_document_is_said_to_be_the_partys(tmp_path, capsys):
    """"ĐẢNG CỘNG SẢN VIỆT NAM" where the Quốc hiệu stands (a Party committee's plan, "Số 12-KH/ĐU"): its
    form is the Party's, not Decree 30's. Both commands say so, and import does not send it to check."""
    from generator.check import check_docx

    header = Header(parent=("ĐẢNG BỘ TỈNH SÔNG MÂY",), issuer=("ĐẢNG ỦY SỞ VĂN HÓA",),
                    quoc_hieu="ĐẢNG CỘNG SẢN VIỆT NAM", number="Số 12-KH/ĐU")
    path = build_plan(tmp_path / "dang.docx", header=header, body=simple_body())
    with pytest.raises(UserError, match="văn bản của Đảng"):
        check_docx(path)
    assert main(["import", str(path), "-o", str(tmp_path / "dang.yaml")]) == 2
    err = capsys.readouterr().err
    assert "văn bản của Đảng" in err and "kehoach check" not in err
    assert not (tmp_path / "dang.yaml").exists()


# --- our own renders come back exactly ------------------------------------------------------------


@pytest.mark.parametrize("source", [FULL, SAMPLE], ids=["full", "sample"])
def test_round_trip_of_our_own_render_is_exact(tmp_path, source):
    first = tmp_path / "first.docx"
    first.write_bytes(render_plan(load_plan(source)))
    result = import_file(first, tmp_path / "one.yaml")
    assert result.warnings == []
    second = tmp_path / "second.docx"
    second.write_bytes(render_plan(load_plan(result.output)))
    assert cell_texts(first) == cell_texts(second)
    assert emphasis_spans(first) == emphasis_spans(second)
    again = import_file(second, tmp_path / "two.yaml")
    assert yaml.safe_load(again.text) == yaml.safe_load(result.text)


def test_round_trip_of_full_sample_keeps_its_structures(tmp_path):
    first = tmp_path / "first.docx"
    first.write_bytes(render_plan(load_plan(FULL)))
    plan = load_plan(import_file(first, tmp_path / "full.yaml").output)
    assert plan.agency.parent is None and plan.agency.name == ["Ủy ban nhân dân", "tỉnh Hòa Bình Xanh"]
    assert plan.date.year == 2026 and plan.date.month == 5 and plan.date.day is None
    assert plan.signer.authority == "TM" and plan.signer.head_title.upper() == "CHỦ TỊCH"
    assert len(plan.grounds) == 2 and plan.subtitle is not None
    app1, app2 = plan.appendices
    assert app1.table is not None and app1.landscape and len(app1.table.columns) == 4
    assert app2.blocks is not None and not app2.landscape


def test_round_trip_of_full_sample_gives_the_same_data(tmp_path):
    first = tmp_path / "first.docx"
    first.write_bytes(render_plan(load_plan(FULL)))
    plan = load_plan(import_file(first, tmp_path / "full.yaml").output)
    assert plan.agency.short_name == "UBND tỉnh Hòa Bình Xanh"
    assert [a.reference_line for a in plan.appendices] == [None, None]
    table = plan.appendices[0].table
    assert (table.numbered, table.numbering, table.group_style) == (True, "continue", "merged")


# --- the corpus --------------------------------------------------------------------------------


def test_corpus_plans_keep_their_words(tmp_path):
    files = sorted((CORPUS / "ke-hoach").glob("*.docx")) if CORPUS.is_dir() else []
    if not files:
        pytest.skip("../shared/corpus/ke-hoach is absent")
    low = {}
    for f in files:
        out = tmp_path / f"{f.stem}.yaml"
        import_file(f, out, force=True)
        back = tmp_path / f"{f.stem}.docx"
        back.write_bytes(render_plan(load_plan(out)))
        # The header table's two columns may be laid out in another order (a Số line in a second
        # row of the original sits under the issuer in ours): its words count as a whole, the rest in order.
        head, rest = header_and_rest(f)
        after = blocks_of(back)
        head_words = [w for w in " ".join(head).split() if any(c.isalnum() for c in w)]
        rest_words = [w for w in " ".join(rest).split() if any(c.isalnum() for c in w)]
        found = Counter(" ".join(after).split())
        kept_head = sum(min(n, found[w]) for w, n in Counter(head_words).items())
        share = (kept_head + words_kept(rest, after) * len(rest_words)) / max(1, len(head_words) + len(rest_words))
        if share < 0.995:
            low[f.name] = round(share, 4)
    assert low == {}


def blocks_of(path: Path) -> list[str]:
    return blocks(path)


# --- a plan issued with a decision (no number line of its own) ----------------------------------------

ISSUED_WITH = "(Ban hành kèm theo Quyết định số 25/QĐ-UBND ngày 12/3/2026 của Ủy ban nhân dân tỉnh Sông Mây)"


def _number_lines(path: Path) -> list[str]:
    """The "Số: …/…" lines of a document (a header cell's text runs its paragraphs together)."""
    return [m.group() for t in cell_texts(path) for m in re.finditer(r"\bSố\s*:\s*\d*\s*/\S+", norm(t))]


@pytest.mark.parametrize("cited, date", [
    (ISSUED_WITH, "2026-03-12"),
    # A decision still being drafted: number and day blank; the month is the plan's month.
    ("(Ban hành kèm theo Quyết định số       /QĐ-UBND ngày      /12/2025 của Ủy ban nhân dân tỉnh Sông Mây)",
     "2025-12"),
])
def test_a_plan_issued_with_a_decision_has_no_number_of_its_own(tmp_path, cited, date):
    header = Header(parent=(), issuer=("ỦY BAN NHÂN DÂN", "TỈNH SÔNG MÂY"), number="", date="")
    appendix = [{"text": "DANH MỤC NHIỆM VỤ", "bold": True, "align": "center"},
                {"text": "(Kèm theo Kế hoạch ban hành kèm theo Quyết định số 25/QĐ-UBND ngày 12/3/2026 của Ủy ban "
                         "nhân dân tỉnh Sông Mây)", "italic": True, "align": "center"},
                "Tổ chức giải chạy tại trung tâm tỉnh vào tháng 5."]
    path = build_plan(tmp_path / "kem-qd.docx", header=header, subtitle=cited, body=simple_body(),
                      signer=("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"), appendices=[appendix])
    assert _number_lines(path) == []  # the original: no Số line, no date line
    data, warnings, back = roundtrip(tmp_path, path)
    assert data["own_number"] is False and "number" not in data
    assert data["date"] == date  # the decision's date: the plan has none of its own
    assert norm(data["subtitle"]) == norm(cited)
    assert data["agency"]["abbreviation"] == "UBND"  # from the decision's ký hiệu QĐ-UBND
    assert [w.message for w in warnings if "Số" in w.message] == []
    plan = load_plan(tmp_path / "kem-qd.yaml")
    assert not plan.own_number
    # Rendered again: the line under the trích yếu, and neither a Số line nor a date line.
    texts = [norm(t) for t in cell_texts(back)]
    assert _number_lines(back) == []
    assert not any(re.search(r", ngày .* năm \d{4}$", t) for t in texts), texts[:12]
    title = texts.index("KẾ HOẠCH")
    assert texts[title + 2] == norm(cited)
    assert any(t.startswith("(Kèm theo Kế hoạch ban hành kèm theo Quyết định số 25/QĐ-UBND") for t in texts)


def test_our_own_attached_plan_imports_as_attached(tmp_path):
    """kehoach dossier's plan issued with the decision, imported: the same subtitle and date, no number."""
    from generator.jobs.dossier import dossier_plans

    source = load_plan(ROOT / "data" / "ho-so-ke-hoach-tuyen-truyen-cchc-2026.yaml")
    attached = dossier_plans(source)["ke-hoach"]
    original = tmp_path / "kem.docx"
    original.write_bytes(render_plan(attached))
    import_file(original, tmp_path / "kem.yaml", force=True)
    plan = load_plan(tmp_path / "kem.yaml")
    assert not plan.own_number and plan.number is None
    assert (plan.date.year, plan.date.month) == (attached.date.year, attached.date.month)
    back = tmp_path / "back.docx"
    back.write_bytes(render_plan(plan))
    assert _number_lines(original) == [] and _number_lines(back) == []

    def issued_with(path: Path) -> list[str]:
        return [norm(t) for t in cell_texts(path) if norm(t).startswith("(Ban hành kèm theo Quyết định")]

    assert issued_with(back) == issued_with(original) and len(issued_with(back)) == 1


def test_a_corpus_plan_citing_what_it_is_issued_with_keeps_what_it_shows(tmp_path):
    """laocai-sct-kh-de-an-08 prints "(Ban hành kèm theo Nghị quyết số 35-NQ/TU …)" under its trích yếu
    AND its own Số and date lines: the import keeps both, as the page shows them."""
    original = CORPUS / "ke-hoach" / "laocai-sct-kh-de-an-08.docx"
    if not original.is_file():
        pytest.skip("../shared/corpus/ke-hoach is absent")
    result = import_file(original, tmp_path / "de-an.yaml", force=True)
    data = yaml.safe_load(result.text)
    has_number_line = bool(_number_lines(original))
    assert data.get("own_number", True) is has_number_line
    assert data["subtitle"].startswith("(Ban hành kèm theo")
    back = tmp_path / "de-an.docx"
    back.write_bytes(render_plan(load_plan(tmp_path / "de-an.yaml")))
    assert bool(_number_lines(back)) is has_number_line
    assert any(norm(t) == norm(data["subtitle"]) for t in cell_texts(back))


def test_an_end_mark_typed_as_its_own_paragraph_goes_after_the_last_word(tmp_path):
    # Some offices type "./." on a line of its own under the last khoản. Kept as the closing, it
    # printed alone on a line (a one-page plan spilled onto a second page); the decree puts it right
    # after the last word, where the renderer puts it.
    last = "2. Văn phòng Sở bảo đảm hậu cần cho các đội tham gia."
    path = build_plan(tmp_path / "dau-ket.docx", body=[
        OPENING, {"text": "I. TỔ CHỨC THỰC HIỆN", "bold": True},
        "1. Phòng Nghiệp vụ chủ trì xây dựng điều lệ giải.", last, "./."])
    out = tmp_path / "dau-ket.yaml"
    import_file(path, out, force=True)
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert "closing" not in data
    back = tmp_path / "dau-ket.back.docx"
    back.write_bytes(render_plan(load_plan(out)))
    after = blocks(back)
    assert "./." not in after
    assert norm(last).removesuffix(".") + "./." in [norm(b) for b in after], after


def test_a_plan_whose_number_line_is_missing_by_mistake_is_not_made_attached(tmp_path):
    """A plan that cites a decision under its trích yếu and prints its own place and date, but whose
    Số line was deleted by mistake, is a plan with its own number (Mẫu 1.3's attached plan has neither a
    Số line nor a date line): not silently made an attached plan with the decision's date."""
    from generator.check import check_docx

    cited = ISSUED_WITH
    header = Header(number="", date="Sông Mây, ngày 15 tháng 4 năm 2026")
    path = build_plan(tmp_path / "thieu-so.docx", header=header, subtitle=cited, body=simple_body())
    # Told what is missing, as for any plan without its Số line: import reads the rest and says so; check
    # reports the missing line (an error of the page), not that the file is no administrative document.
    result = import_docx(path)
    data = result.data
    assert "own_number" not in data and data["date"] == "2026-04-15"
    assert any("không tìm thấy dòng 'Số: …/KH-…'" in str(w) for w in result.warnings)
    found = [r for r in check_docx(path).results if r.rule == "PL1.III.3.so-ky-hieu.hinh-thuc"]
    assert [r.status for r in found] == ["fail"] and "không có dòng “Số: …/…”" in found[0].message


def test_a_plan_missing_one_header_part_is_read_and_the_part_said(tmp_path):
    """A plan whose tên loại stands under its Quốc hiệu is an administrative document even when one other
    header part is not found (the issuer left out): import reads it with a warning, check judges it.
    Without two of them (no Số line and no issuer) it is refused, as any file that is no document."""
    from generator.check import check_docx

    no_issuer = build_plan(tmp_path / "khong-co-quan.docx", header=Header(parent=(), issuer=()), body=simple_body())
    result = import_docx(no_issuer)
    assert any("không tìm thấy tên cơ quan ban hành" in str(w) for w in result.warnings)
    assert all_texts(result.data["sections"])  # the body is read
    assert check_docx(no_issuer).document_type == "Kế hoạch"
    neither = build_plan(tmp_path / "thieu-hai.docx", header=Header(parent=(), issuer=(), number=""),
                         body=simple_body())
    with pytest.raises(UserError, match="không thấy số, ký hiệu, tên cơ quan ban hành"):
        import_docx(neither)


@pytest.mark.parametrize("line, place, slip", [
    ("ngày 05 tháng 3 năm 2026", "…", "thiếu địa danh"),
    ("Sông Mây, 05/3/2026", "Sông Mây", "viết bằng số"),
    ("Sông Mây, ngày 05-03-2026", "Sông Mây", "viết bằng số"),
])
def test_a_date_line_with_a_slip_still_gives_its_date(tmp_path, line, place, slip):
    """A date line that leaves the place out or gives the date in figures still says the date: import
    reads it and warns; check reports the slip (one finding, not a leading-zero one for figures)."""
    from generator.check import check_docx

    path = build_plan(tmp_path / "ngay.docx", header=Header(date=line), body=simple_body())
    result = import_docx(path)
    assert result.data["date"] == "2026-03-05" and result.data["agency"]["place"] == place
    assert any(slip in str(w) for w in result.warnings), result.warnings
    found = [r for r in check_docx(path).results if r.rule == "PL1.III.4.ngay-thang" and r.status == "fail"]
    assert len(found) == 1 and slip in found[0].message and "phải viết" not in found[0].message.replace(
        "cần viết", ""), found[0].message


def test_our_render_of_a_plan_without_its_place_says_the_place_is_blank(tmp_path):
    """Import writes "…" for a place the plan leaves out; check of the render says that place is still
    to be written, not that it must start with a capital."""
    from generator.check import check_docx

    path = build_plan(tmp_path / "ngay.docx", header=Header(date="ngày 05 tháng 3 năm 2026"), body=simple_body())
    out = tmp_path / "ngay.yaml"
    import_file(path, out, force=True)
    back = tmp_path / "ngay.back.docx"
    back.write_bytes(render_plan(load_plan(out)))
    found = [r for r in check_docx(back).results if r.rule == "PL1.III.4.ngay-thang" and r.status == "fail"]
    assert len(found) == 1 and "địa danh còn để trống" in found[0].message and "viết hoa" not in found[0].message


@pytest.mark.parametrize("number", ["0", "1234567"])
def test_a_number_out_of_range_is_left_blank_with_a_warning(tmp_path, number):
    """"Số: 0/…" or a seven-figure number (a slip): the plan is imported without a number, said; the data
    file is valid and renders."""
    path = build_plan(tmp_path / "so.docx", header=Header(number=f"Số: {number}/KH-SVHTT"), body=simple_body())
    out = tmp_path / "so.yaml"
    result = import_file(path, out, force=True)
    assert "number" not in yaml.safe_load(out.read_text(encoding="utf-8"))
    assert any(f"số {number} ngoài khoảng" in str(w) for w in result.warnings)
    assert render_plan(load_plan(out))


def test_a_column_heading_typed_on_two_lines_keeps_them(tmp_path):
    """A column heading the drafter typed as two paragraphs ("Thời hạn" / "(tháng/năm)") in a column
    wide enough for one line prints on two lines again after import; one the tool broke with line
    breaks is read as one name (and broken for its column again)."""
    import docx as python_docx

    data = yaml.safe_load(FULL.read_text(encoding="utf-8"))
    heading = {"lines": ["Thời hạn", "(tháng/năm)"]}

    def tables(node: Any) -> Any:
        if isinstance(node, dict):
            if "columns" in node:
                yield node
            node = list(node.values())
        for child in node if isinstance(node, list) else []:
            yield from tables(child)

    table = next(tables(data))
    table["columns"][-1]["title"] = heading
    table["columns"][-1]["width"] = 4
    source = tmp_path / "plan.yaml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    original = tmp_path / "plan.docx"
    original.write_bytes(render_plan(load_plan(source)))
    import_file(original, tmp_path / "back.yaml", force=True)
    back = tmp_path / "back.docx"
    back.write_bytes(render_plan(load_plan(tmp_path / "back.yaml")))

    def titles(path: Path) -> list[list[str]]:
        return [[p.text for p in c.paragraphs] for t in python_docx.Document(str(path)).tables
                for c in t.rows[0].cells if "(tháng/năm)" in c.text]

    assert titles(original) == [["Thời hạn", "(tháng/năm)"]]
    assert titles(back) == titles(original)

    def all_headings(path: Path) -> list[str]:
        return [c.text for t in python_docx.Document(str(path)).tables if len(t.columns) > 2 for c in t.rows[0].cells]

    assert any("\n" in h for h in all_headings(original))  # headings the tool broke ...
    assert all_headings(back) == all_headings(original)  # ... broken on the same lines again


# --- cells, issuer lines, deep numbering (known import defects, fixed by their cause) --------------


def test_a_lead_cell_typed_on_two_lines_is_one_unit_when_its_name_wraps(tmp_path):
    """A Chủ trì cell whose one unit name the drafter broke over two lines (two paragraphs, or a
    manual line break) names one unit; a cell listing two units, one per line, each a whole name
    starting with an agency word, or with ";" / "-" bullets, names two. The page is kept as typed."""
    from generator.plan.tasks import plan_tasks

    rows = [
        ["STT", "Nhiệm vụ", "Chủ trì", "Phối hợp", "Thời gian"],
        ["1", "Tập huấn giáo viên", "Sở Giáo dục và\nĐào tạo", "Công an tỉnh", "Tháng 2"],
        ["2", "Hỗ trợ người lao động", {"text": "Sở Lao động - Thương binh và\nXã hội", "breaks": True},
         "Sở Tài chính", "Tháng 3"],
        ["3", "Khám sức khỏe vận động viên", "Sở Y tế\nSở Tài chính", "Công an tỉnh", "Tháng 3"],
        ["4", "Quảng bá giải chạy", "- Sở Văn hóa, Thể thao và\nDu lịch;\n- Công an tỉnh.", "", "Tháng 4"],
        ["5", "Chuẩn bị đường chạy", "Ủy ban nhân dân\ncác xã, phường", "", "Tháng 4"],
        ["6", "Tổng hợp kết quả", "Văn phòng Sở;\nPhòng Nghiệp vụ", "", "Tháng 5"],
        ["7", "Bố trí điểm sơ cứu", {"text": "Trung tâm Y tế\nBan Quản lý khu du lịch", "breaks": True},
         "", "Tháng 5"],
        ["8", "Hỗ trợ người lao động tham gia", "Sở Tài chính\nBảo hiểm xã hội tỉnh\nLiên minh Hợp tác xã tỉnh\n"
         "Điện lực tỉnh", "", "Tháng 6"],
    ]
    app = _appendix_head("PHỤ LỤC", "PHÂN CÔNG NHIỆM VỤ") + [WordTable(rows=rows, widths=[1.2, 7, 4, 4, 3])]
    path = build_plan(tmp_path / "chu-tri.docx", body=simple_body(), appendices=[app])
    data, warnings, back = roundtrip(tmp_path, path)  # the cells print as typed, line for line
    leads = [t.leads for t in plan_tasks(load_plan(tmp_path / "chu-tri.yaml"))]
    assert leads == [
        ("Sở Giáo dục và Đào tạo",),
        ("Sở Lao động - Thương binh và Xã hội",),
        ("Sở Y tế", "Sở Tài chính"),
        ("Sở Văn hóa, Thể thao và Du lịch", "Công an tỉnh"),
        ("Ủy ban nhân dân các xã, phường",),
        ("Văn phòng Sở", "Phòng Nghiệp vụ"),
        ("Trung tâm Y tế", "Ban Quản lý khu du lịch"),
        ("Sở Tài chính", "Bảo hiểm xã hội tỉnh", "Liên minh Hợp tác xã tỉnh", "Điện lực tỉnh"),
    ]


def test_a_long_issuer_name_on_one_line_keeps_the_lines_the_page_shows(tmp_path):
    """An issuer with no parent line, its long name typed as one paragraph that Word wraps in its
    column ("SỞ GIÁO DỤC VÀ ĐÀO TẠO" / "TỈNH SÔNG MÂY"): the data keeps it one paragraph broken
    where the page breaks it, no parent is made up, and the render prints the same lines in one
    paragraph (read back: the same issuer)."""
    from generator.recognise import read_docx

    header = Header(parent=(), issuer=("SỞ GIÁO DỤC VÀ ĐÀO TẠO TỈNH SÔNG MÂY",))
    path = build_plan(tmp_path / "mot-dong.docx", header=header, body=simple_body())
    data, warnings, back = roundtrip(tmp_path, path)
    agency = data["agency"]
    assert "parent" not in agency
    assert agency["name"].upper().split("\n") == ["SỞ GIÁO DỤC VÀ ĐÀO TẠO", "TỈNH SÔNG MÂY"]
    again = read_docx(back)
    assert len({id(p.paragraph) for p in again.issuer_lines}) == 1
    assert [p.text for p in again.parent_lines] == []
    assert [p.text for p in again.issuer_lines] == ["SỞ GIÁO DỤC VÀ ĐÀO TẠO", "TỈNH SÔNG MÂY"]
    # A name that fits its column stays one line.
    short = build_plan(tmp_path / "ngan.docx", header=Header(parent=(), issuer=("SỞ Y TẾ TỈNH SÔNG MÂY",)),
                       body=simple_body())
    data, _, _ = roundtrip(tmp_path, short)
    assert data["agency"]["name"].upper() == "SỞ Y TẾ TỈNH SÔNG MÂY"


@pytest.mark.skipif(__import__("shutil").which("soffice") is None, reason="cần LibreOffice (soffice)")
def test_the_issuer_lines_kept_are_the_lines_libreoffice_prints(tmp_path):
    import subprocess

    header = Header(parent=(), issuer=("SỞ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN TỈNH SÔNG MÂY",))
    path = build_plan(tmp_path / "dai.docx", header=header, body=simple_body())
    data = yaml.safe_load(import_file(path, tmp_path / "dai.yaml", force=True).text)
    subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)], check=True,
                   capture_output=True, timeout=180)
    text = subprocess.run(["pdftotext", "-layout", "-l", "1", str(tmp_path / "dai.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    # The left column of the header: what pdftotext -layout prints before the wide gap.
    printed = [re.split(r"\s{3,}", line.strip())[0] for line in text.splitlines() if line.strip()][:4]
    lines = data["agency"]["name"].split("\n")
    assert [x.upper() for x in lines] == printed[:len(lines)], printed
    # Rendered on those lines, the name is read back as the issuer's: a line ending in "VÀ" is no
    # parent agency.
    from generator.recognise import read_docx

    back = tmp_path / "dai.back.docx"
    back.write_bytes(render_plan(load_plan(tmp_path / "dai.yaml")))
    again = read_docx(back)
    assert ([p.text for p in again.parent_lines], [p.text for p in again.issuer_lines]) == ([], printed[:3])


def _numbered_deep(levels: int) -> list[str]:
    return [f"{'.'.join(['1'] * d)}. Nội dung cấp {d} của kế hoạch." for d in range(1, levels + 1)]


def test_typed_numbering_deeper_than_the_plan_holds_is_kept_as_text_with_one_warning(tmp_path):
    from generator.jobs.importer import MAX_IMPORT_LEVELS

    deep = _numbered_deep(40)
    path = build_plan(tmp_path / "sau.docx", body=simple_body(*deep))
    data, warnings, back = roundtrip(tmp_path, path)  # every word printed again, in order
    texts = [str(w) for w in warnings if "cấp" in w.message]
    assert len(texts) == 1, [str(w) for w in warnings]
    assert texts[0].startswith("đoạn ") and str(MAX_IMPORT_LEVELS) in texts[0]

    def depth(node: Any) -> int:
        if isinstance(node, dict):
            return max([depth(v) + (1 if k == "blocks" else 0) for k, v in node.items()] or [0])
        if isinstance(node, list):
            return max([depth(v) for v in node] or [0])
        return 0

    assert depth(data["sections"][0]) <= MAX_IMPORT_LEVELS + 1  # the mục, then the scopes under it
    assert all_texts(data["sections"][0]["blocks"])[-1] == deep[-1]  # the deepest kept whole, number too


def test_nine_levels_of_automatic_numbering_import_within_the_model(tmp_path):
    """Word's multilevel list holds nine levels ("1." … "1.1.1.1.1.1.1.1.1."): all import, the ones
    past what the plan nests kept as text at the deepest level."""
    import docx as python_docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    path = build_plan(tmp_path / "tu-dong.docx", body=simple_body(*_numbered_deep(9) * 3))
    doc = python_docx.Document(str(path))
    numbering = doc.part.numbering_part.element
    lvls = "".join(
        f'<w:lvl w:ilvl="{k}"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        f'<w:lvlText w:val="{".".join(f"%{j + 1}" for j in range(k + 1))}."/><w:suff w:val="space"/>'
        '<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="0" w:firstLine="720"/></w:pPr></w:lvl>' for k in range(9))
    numbering.insert(0, parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
                                  f'<w:multiLevelType w:val="multilevel"/>{lvls}</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="91"><w:abstractNumId w:val="90"/></w:num>'))
    for p in doc.element.body.iter(qn("w:p")):
        first = p.find(f"{qn('w:r')}/{qn('w:t')}")
        if first is not None and re.match(r"^(1\.)+ Nội dung cấp", first.text or ""):
            number, first.text = first.text.split(" ", 1)
            p.get_or_add_pPr().insert(0, parse_xml(
                f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{number.count(".") - 1}"/><w:numId w:val="91"/></w:numPr>'))
    doc.save(str(path))
    out = tmp_path / "tu-dong.yaml"
    result = import_file(path, out, force=True)
    plan = load_plan(out)
    back = tmp_path / "tu-dong.back.docx"
    back.write_bytes(render_plan(plan))
    printed = [norm(t) for t in blocks(back)]
    # Word printed 1., 1.1., … then 2., 2.1., … and 3.…: every paragraph is there with its number.
    for n in ("1", "2", "3"):
        for d in range(1, 10):
            number = ".".join([n] + ["1"] * (d - 1)) + "."
            assert f"{number} Nội dung cấp {d} của kế hoạch." in printed, number
    assert [str(w) for w in result.warnings if "cấp" in w.message] == []  # nine levels: within the plan


def test_parts_numbered_from_one_under_their_headings_stay_side_by_side(tmp_path):
    """Forms and outlines give each bold heading its own "1.", "2.": forty such parts imported as
    forty parts side by side (they nested one in the other, past the data file's 64 levels, and
    the import was refused with "lồng nhau quá 64 cấp")."""
    body = []
    for k in range(1, 41):
        body += [{"text": f"Phần việc thứ {k}", "bold": True}, f"1. Việc đầu tiên của phần {k}.",
                 f"2. Việc thứ hai của phần {k}."]
    path = build_plan(tmp_path / "phan.docx", body=simple_body(*body))
    data, warnings, back = roundtrip(tmp_path, path)

    def headed(node: Any, level: int = 0) -> list[tuple[int, Any]]:
        if isinstance(node, list):
            return [h for x in node for h in headed(x, level)]
        if not isinstance(node, dict):
            return []
        here = [(level, node)] if "heading" in node else []
        return here + headed(node.get("blocks", []), level + 1)

    found = headed(data["sections"][0]["blocks"])
    assert len(found) == 40
    # The first heading's khoản are the mục's own; each other heading holds its two, and the parts
    # stand side by side: all at one level, not one inside the other.
    assert all(len(h.get("blocks", [])) == 2 for _, h in found[1:])
    assert len({level for level, _ in found[1:]}) == 1, [level for level, _ in found]


@pytest.mark.parametrize("issuer", ["SỞ GIÁO DỤC VÀ ĐÀO TẠO TỈNH SÔNG MÂY", "ỦY BAN NHÂN DÂN TỈNH SÔNG MÂY",
                                    "BAN CHỈ ĐẠO CHUYỂN ĐỔI SỐ TỈNH SÔNG MÂY"])
def test_our_render_of_a_wrapped_issuer_name_checks_clean(tmp_path, issuer):
    """Imported and rendered, an issuer name Word wrapped (at "TỈNH", even inside a word as in
    "CHUYỂN" / "ĐỔI") prints as one paragraph on the same lines, and the checker reads it as the
    issuer's name: no parent agency found in its first line, no error."""
    from generator.check import check_docx
    from generator.recognise import read_docx

    path = build_plan(tmp_path / "cq.docx", header=Header(parent=(), issuer=(issuer,)), body=simple_body())
    data, _, back = roundtrip(tmp_path, path)
    assert "\n" in data["agency"]["name"]
    again = read_docx(back)
    assert again.parent_lines == [] and " ".join(p.text for p in again.issuer_lines) == issuer
    assert [r.rule for r in check_docx(back).errors] == []


def test_a_wrapped_name_is_cased_as_one_name_not_line_by_line(tmp_path):
    """An issuer name Word wraps ("BAN CHỈ ĐẠO CHUYỂN" / "ĐỔI SỐ VÀ CẢI CÁCH" / …) is cased as one
    name, its printed lines kept. Cased line by line, each line's first word got a capital
    ("chuyển Đổi Số", "Hành chính") that the running text (the name in a sentence, the register, a
    batch's renaming) then printed."""
    from generator.text import upper_vi

    issuer = "BAN CHỈ ĐẠO CHUYỂN ĐỔI SỐ VÀ CẢI CÁCH HÀNH CHÍNH TỈNH SÔNG MÂY"
    said = "Ban Chỉ đạo chuyển đổi số và cải cách hành chính tỉnh Sông Mây"
    for body in (simple_body(f"{said} chủ trì, phối hợp với các đơn vị tổ chức thực hiện."), simple_body()):
        path = build_plan(tmp_path / "bcd.docx", header=Header(parent=(), issuer=(issuer,)), body=body)
        name = yaml.safe_load(import_file(path, tmp_path / "bcd.yaml", force=True).text)["agency"]["name"]
        assert "\n" in name and upper_vi(name.replace("\n", " ")) == issuer
        # The body's case when it says the name; else no capital where a line starts ("Đổi", "Hành").
        assert (" ".join(name.split()) == said if len(body) > len(simple_body()) else
                all(line[0].islower() for line in name.split("\n")[1:] if not line.startswith("Mây"))), name


@pytest.mark.parametrize(("reference", "said"), [
    (None, "không có dòng “(Kèm theo"),
    ("ban hành kèm theo Kế hoạch tổ chức giải chạy năm 2026", "không theo dạng"),
    ("(Kèm theo Kế hoạch số      /KH-SVHTT ngày      tháng      năm 2026 của Sở Văn hóa và Thể thao)", None),
])
def test_an_appendix_line_a_render_would_fail_is_said_at_import(tmp_path, reference, said):
    # The data keeps the page's line (or its absence), which Decree 30's appendix rule refuses: the
    # import says so, and how to get the tool's own line, rather than leave it to a later check.
    head = _appendix_head("PHỤ LỤC", "PHÂN CÔNG NHIỆM VỤ")[:2]
    if reference is not None:
        head.append({"text": reference, "italic": True, "align": "center"})
    app = head + [WordTable(rows=[list(r) for r in GROUPED], widths=[1.2, 9, 4, 4, 3])]
    path = build_plan(tmp_path / "pl.docx", body=simple_body(), appendices=[app])
    warnings = [str(w) for w in import_file(path, tmp_path / "pl.yaml").warnings]
    about = [w for w in warnings if "reference_line" in w]
    if said is None:
        assert about == [], warnings
    else:
        assert len(about) == 1 and said in about[0], warnings


@pytest.mark.parametrize(("names", "parent", "issuer"), [
    (("UBND XÃ LƯƠNG MINH", "PHÒNG VĂN HÓA - XÃ HỘI"), "UBND xã Lương Minh", "Phòng Văn hóa - Xã hội"),
    (("UBND HUYỆN SÔNG MÂY", "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO"), "UBND huyện Sông Mây", "Phòng Giáo dục và Đào tạo"),
    (("ỦY BAN MTTQ VIỆT NAM XÃ LƯƠNG MINH", "BAN THƯỜNG TRỰC"), "Ủy ban MTTQ Việt Nam xã Lương Minh",
     "Ban Thường trực"),
    (("ĐẢNG ỦY XÃ LƯƠNG MINH", "VĂN PHÒNG"), "Đảng ủy xã Lương Minh", "Văn phòng"),
    (("SỞ VĂN HÓA, THỂ THAO", "VÀ DU LỊCH"), None, "Sở Văn hóa, Thể thao và Du lịch"),
    (("SỞ LAO ĐỘNG - THƯƠNG BINH VÀ", "XÃ HỘI"), None, "Sở Lao động - Thương binh và Xã hội"),
    (("BAN CHỈ ĐẠO TỈNH LÀO CAI", "VỀ PHÒNG, CHỐNG TỘI PHẠM"), None,
     "Ban Chỉ đạo tỉnh Lào Cai về phòng, chống tội phạm"),
])
def test_a_parent_and_issuer_joined_by_shift_enter_import_as_their_two_paragraphs(tmp_path, names, parent, issuer):
    """A parent ending with its place ("… XÃ LƯƠNG MINH") and the body under it ("PHÒNG …", "BAN …"),
    both bold, typed in one paragraph with Shift+Enter print as the two paragraphs they could be: two
    names, the same data and findings. A name cut mid-phrase ("… THỂ THAO" / "VÀ DU LỊCH", "… VÀ" /
    "XÃ HỘI") stays one name."""
    from generator.check import check_docx

    agencies, findings = [], []
    for layout in (None, "break"):
        header = Header(parent=(), issuer=names, issuer_one_paragraph=layout)
        path = build_plan(tmp_path / f"hai-ten-{layout}.docx", header=header, body=simple_body())
        agencies.append(import_docx(path).data["agency"])
        findings.append(sorted((r.rule, r.status) for r in check_docx(path).results))
    assert agencies[0] == agencies[1] and findings[0] == findings[1]
    def one_line(value: Any) -> str | None:  # a name as printed, on however many lines
        return None if value is None else " ".join(" ".join(value if isinstance(value, list) else [value]).split())

    assert (one_line(agencies[1].get("parent")), one_line(agencies[1]["name"])) == (parent, issuer)


@pytest.mark.parametrize("form", ["{}", "{}.", "{})", "{:02d}", "{:02d}."])
@pytest.mark.parametrize("groups", [False, True])
def test_a_catalogues_stt_typed_with_a_mark_or_a_zero_is_its_numbering(tmp_path, form, groups):
    """A catalogue's STT typed "1.", "1)" or "01" prints a numbered list as "1" does: the import
    derives the same numbering (numbered, the group rows, restart or continue), the rows without
    their numbers, and the re-render prints the count down the column."""
    from generator.word.reader import read_word

    rows: list[list[Any]] = [["STT", "Nội dung", "Thời gian"]]
    tasks = [("Khảo sát đường chạy", "Tháng 2"), ("Lập dự toán", "Tháng 3"), ("Khai mạc", "Tháng 4")]
    if groups:
        rows.append([{"text": "I", "bold": True, "align": "center"}, {"text": "Chuẩn bị", "span": 2, "bold": True}])
    rows += [[form.format(k), *task] for k, task in enumerate(tasks[:2], 1)]
    if groups:
        rows.append([{"text": "II", "bold": True, "align": "center"}, {"text": "Tổ chức", "span": 2, "bold": True}])
    rows.append([form.format(1 if groups else 3), *tasks[2]])
    app = _appendix_head("PHỤ LỤC", "DANH MỤC VIỆC") + [WordTable(rows=rows, widths=[1.2, 10, 4])]
    path = build_plan(tmp_path / "stt.docx", body=simple_body(), appendices=[app])
    table = _table_of(import_docx(path).data)
    assert table.get("numbered") is True
    assert [r for r in _flat_rows(table["rows"]) if isinstance(r, list)] == [list(t) for t in tasks]
    if groups:
        assert table.get("numbering") == "restart" and [g["group"] for g in table["rows"]] == ["Chuẩn bị", "Tổ chức"]
    out = tmp_path / "stt.yaml"
    import_file(path, out, force=True)
    back = tmp_path / "stt-back.docx"
    back.write_bytes(render_plan(load_plan(out)))
    catalogue = read_word(back).tables[-1]
    firsts = [" ".join(p.text for p in row[0].paras) for row in catalogue.rows[1:] if len(row) == 3]
    mark = form.format(1)[-1] if form.endswith((".", ")")) else ""  # the page's "1." prints again
    assert firsts == [f"{n}{mark}" for n in ([1, 2, 1] if groups else [1, 2, 3])]


@pytest.mark.parametrize("bold_as", ["pieces", "cell"])
def test_a_bold_stt_is_still_its_numbering_and_prints_bold(tmp_path, bold_as):
    """An STT typed bold (luongminh's "Stt" columns) prints a count as a plain one does: the import
    derives the numbering, keeps the bold as the column's look, and the re-render prints the numbers
    bold in the form typed ("1."), every other cell as it was."""
    from generator.plan.table_rows import numbered_groups
    from generator.word.reader import read_word

    tasks = [("Khảo sát đường chạy", "Tháng 2"), ("Lập dự toán", "Tháng 3"), ("Khai mạc", "Tháng 4")]
    rows: list[list[Any]] = [["STT", "Nội dung", "Thời gian"]]
    rows += [[{"text": f"{k}.", "bold": True}, *task] for k, task in enumerate(tasks, 1)]
    app = _appendix_head("PHỤ LỤC", "DANH MỤC VIỆC") + [WordTable(rows=rows, widths=[1.2, 10, 4])]
    path = build_plan(tmp_path / "stt-dam.docx", body=simple_body(), appendices=[app])
    table = _table_of(import_docx(path).data)
    assert (table.get("numbered"), table.get("number_format"), table.get("number_bold")) == (True, "1.", True)
    assert table["rows"] == [list(t) for t in tasks]
    out = tmp_path / "stt-dam.yaml"
    import_file(path, out, force=True)
    back = tmp_path / "stt-dam-back.docx"
    back.write_bytes(render_plan(load_plan(out)))
    catalogue = read_word(back).tables[-1]
    numbers = [row[0].paras[0] for row in catalogue.rows[1:]]
    assert [p.text for p in numbers] == ["1.", "2.", "3."]
    assert all(r.fmt.bold for p in numbers for r in p.runs if r.text.strip())
    assert not any(r.fmt.bold for row in catalogue.rows[1:] for r in row[1].paras[0].runs)
    # The same column written either way the data can say bold: pieces, or a cell's option.
    cell = (lambda k: [{"bold": f"{k}."}]) if bold_as == "pieces" else (lambda k: {"text": f"{k}.", "bold": True})
    derived = numbered_groups([{"title": "STT"}, {"title": "Nội dung"}], [[cell(k), t] for k, (t, _) in
                                                                         enumerate(tasks, 1)])
    assert derived is not None and derived["number_bold"] is True and derived["number_format"] == "1."
    # A cell merged down is no number the tool prints, bold or not.
    merged = {"text": "1.", "bold": True, "rowspan": 2}
    assert numbered_groups([{"title": "STT"}, {"title": "Nội dung"}], [[merged, "a"], ["b"]]) is None
