"""A catalogue whose header takes two or three rows ("Thời gian thực hiện" over "Bắt đầu | Kết thúc",
"STT" merged down beside them) is the table's head as its page prints it: import keeps the rows
above the columns' titles as the table's `header_rows` and derives STT and groups under them as
under a one-row header; render prints them with their merges (gridSpan, vMerge), bold, centred,
repeated on each page, the row of column numbers still under them; a render imported again gives
the same data; check judges the catalogue's rows as under a one-row header.

Fixtures are typed in code (tests/word_fixtures.py), in the encodings Word and other producers
store such a header: labels bold or only centred, the merged-down cell's continuation empty or
repeating its text, the rows marked to repeat or not."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from generator.check import check_docx
from generator.document.render import render_plan
from generator.errors import DataError
from generator.jobs.importer import _paragraph, import_docx
from generator.recognise import read_docx
from generator.word.tables import Piece
from tests.test_check_invariance import APPENDIX, BODY, SUBJECT
from tests.test_column_numbers import data_plan, rendered_import
from tests.word_fixtures import Doc, Header, WordTable, build_plan, grid, header_rows, w

WIDTHS = [1.2, 5.5, 2.0, 2.0, 2.5, 2.5, 1.8]
LEAVES = ["STT", "Nội dung", "Bắt đầu", "Kết thúc", "Chủ trì", "Phối hợp", "Ghi chú"]
DATA = [
    [{"text": "I", "bold": True}, {"text": "Công tác chuẩn bị", "span": 6, "bold": True}],
    ["1", "Khảo sát đường chạy", "Tháng 3", "Tháng 4", "Phòng Thể thao", "Văn phòng", ""],
    ["2", "Lắp đặt biển báo", "Tháng 4", "Tháng 5", "Văn phòng", "Phòng Thể thao", ""],
    [{"text": "II", "bold": True}, {"text": "Tổ chức giải", "span": 6, "bold": True}],
    ["1", "Tổ chức giải chạy", "Tháng 5", "Tháng 5", "Văn phòng", "", "Ngày 19/5"],
]
HEADER_ROWS = [[{"text": "STT", "rowspan": 2}, {"text": "Nội dung", "rowspan": 2},
                {"text": "Thời gian thực hiện", "span": 2}, {"text": "Đơn vị", "span": 2},
                {"text": "Ghi chú", "rowspan": 2}]]


def _head(*, bold: bool = True, repeat: str = "") -> list[list[Any]]:
    """The two header rows as typed: bold labels (or only centred ones), the cells merged down
    continued by an empty cell (or one repeating the text, which Word does not print)."""
    def label(text: str, **kw: Any) -> dict[str, Any]:
        return {"text": text, "bold": bold, "align": "center", **kw}

    def cont(text: str) -> dict[str, Any]:
        return {"text": text if repeat else "", "vmerge": "continue", "bold": bold}

    top = [label("STT", vmerge="restart"), label("Nội dung", vmerge="restart"),
           label("Thời gian thực hiện", span=2), label("Đơn vị", span=2), label("Ghi chú", vmerge="restart")]
    sub = [cont("STT"), cont("Nội dung"), label("Bắt đầu"), label("Kết thúc"), label("Chủ trì"),
           label("Phối hợp"), cont("Ghi chú")]
    return [top, sub]


def _build(path: Path, rows: list[list[Any]], *, heads: int = 2, widths: list[float] | None = None) -> Path:
    table = WordTable(rows=rows, widths=widths or WIDTHS, header_rows=heads)
    return build_plan(path, header=Header(issuer=("SỞ VĂN HÓA", "VÀ THỂ THAO")), subject=SUBJECT, body=BODY,
                      appendices=[[*APPENDIX[:-1], table]])


def _table(path: Path) -> dict[str, Any]:
    [app] = import_docx(path).data["appendices"]
    return app["table"]


def _catalogue(path: Path) -> Any:
    [tbl] = [t for t in Doc(path).body_tables() if "Khảo sát" in "".join(x.text or "" for x in t.iter(w("t")))]
    return tbl


def _settled(table: dict[str, Any]) -> dict[str, Any]:
    """A table's data but for what a render settles: its columns' widths and alignment."""
    return {**table, "columns": [c.get("title") for c in table["columns"]]}


def _without(table: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in table.items() if k not in keys}


@pytest.fixture(scope="module")
def one_row(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same catalogue under a one-row header of the columns' own titles."""
    return _build(tmp_path_factory.mktemp("one") / "one.docx", [LEAVES, *DATA], heads=1)


ENCODINGS = {
    "bold": {"bold": True},
    "centred-only": {"bold": False},
    "continuation-repeats-text": {"repeat": "yes"},
}


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("repeated", [2, 0], ids=["marked-to-repeat", "not-marked"])
def test_import_keeps_the_rows_above_the_titles_and_derives_stt_and_groups(encoding, repeated, tmp_path, one_row):
    path = _build(tmp_path / "two.docx", [*_head(**ENCODINGS[encoding]), *DATA], heads=repeated)
    table = _table(path)
    assert table["header_rows"] == HEADER_ROWS
    assert [c["title"] for c in table["columns"]] == LEAVES
    assert "header" not in table  # a header, not header: false with every row as data
    # Under it, the catalogue reads as under a one-row header: STT and groups derived, no header
    # label among the rows.
    plain = _table(one_row)
    assert table["numbered"] is True and table["group_style"] == "split"
    assert table["rows"] == plain["rows"]
    assert _without(table, "header_rows") == plain
    data_plan(import_docx(path).data, tmp_path)  # a plan the tool loads


def test_a_three_row_header_and_the_column_numbers_under_it(tmp_path):
    cont = {"text": "", "vmerge": "continue"}
    rows = [
        [{"text": "STT", "vmerge": "restart"}, {"text": "Chỉ tiêu", "vmerge": "restart"},
         {"text": "Kinh phí (triệu đồng)", "span": 4}],
        [cont, cont, {"text": "Năm 2025", "span": 2}, {"text": "Năm 2026", "span": 2}],
        [cont, cont, "Kế hoạch", "Thực hiện", "Kế hoạch", "Thực hiện"],
        [{"text": f"({i})", "italic": True, "bold": False} for i in range(1, 7)],
        ["1", "Khảo sát đường chạy", "120", "110", "150", "140"],
        ["2", "Tổ chức giải chạy", "300", "290", "320", "310"],
    ]
    path = _build(tmp_path / "three.docx", rows, heads=4, widths=[1.2, 6.0, 2.0, 2.0, 2.0, 2.0])
    table = _table(path)
    assert table["header_rows"] == [
        [{"text": "STT", "rowspan": 3}, {"text": "Chỉ tiêu", "rowspan": 3},
         {"text": "Kinh phí (triệu đồng)", "span": 4}],
        [{"text": "Năm 2025", "span": 2}, {"text": "Năm 2026", "span": 2}],
    ]
    assert [c["title"] for c in table["columns"]] == ["STT", "Chỉ tiêu", "Kế hoạch", "Thực hiện", "Kế hoạch",
                                                       "Thực hiện"]
    assert table["column_numbers"] == [[{"italic": f"({i})"}] for i in range(1, 7)]
    assert table["numbered"] is True
    assert table["rows"] == [["Khảo sát đường chạy", "120", "110", "150", "140"],
                             ["Tổ chức giải chạy", "300", "290", "320", "310"]]
    # Check: the years under "Kinh phí" are head, no task "2025".
    assert [r.number for r in read_docx(path).appendices[0].rows] == ["STT", "1", "2"]

    # Rendered: three header rows and the numbers, all repeated on each page; merges as typed.
    out = tmp_path / "three-rendered.docx"
    out.write_bytes(render_plan(data_plan(import_docx(path).data, tmp_path)))
    tbl = _catalogue(out)
    g = grid(tbl)
    assert header_rows(tbl) == [True, True, True, True, False, False]
    assert [(c["text"], c["span"], c["vmerge"]) for c in g[0]] == [
        ("STT", 1, "restart"), ("Chỉ tiêu", 1, "restart"), ("Kinh phí (triệu đồng)", 4, None)]
    assert [(c["text"], c["span"], c["vmerge"]) for c in g[1]] == [
        ("", 1, "continue"), ("", 1, "continue"), ("Năm 2025", 2, None), ("Năm 2026", 2, None)]
    assert [c["vmerge"] for c in g[2]] == ["continue", "continue", None, None, None, None]
    assert [c["text"] for c in g[3]] == [f"({i})" for i in range(1, 7)]
    assert [c["text"] for c in g[4]][:2] == ["1", "Khảo sát đường chạy"]
    assert _settled(import_docx(out).data["appendices"][0]["table"]) == _settled(table)


def test_the_render_prints_the_header_with_its_merges_and_imports_back_the_same(tmp_path):
    path = _build(tmp_path / "source.docx", [*_head(), *DATA])
    data, out = rendered_import(path, tmp_path)

    doc = Doc(out)
    tbl = _catalogue(out)
    g = grid(tbl)
    assert [(c["text"], c["span"], c["vmerge"]) for c in g[0]] == [
        ("STT", 1, "restart"), ("Nội dung", 1, "restart"), ("Thời gian thực hiện", 2, None),
        ("Đơn vị", 2, None), ("Ghi chú", 1, "restart")]
    assert [(c["text"], c["vmerge"]) for c in g[1]] == [
        ("", "continue"), ("", "continue"), ("Bắt đầu", None), ("Kết thúc", None), ("Chủ trì", None),
        ("Phối hợp", None), ("", "continue")]
    assert [c["text"] for c in g[2]] == ["I", "Công tác chuẩn bị"]
    assert [c["text"] for c in g[3]][:2] == ["1", "Khảo sát đường chạy"]
    # Both rows repeat on every page; their labels print bold and centred, the numbers do not.
    assert header_rows(tbl) == [True, True] + [False] * (len(g) - 2)
    labels = {"STT", "Nội dung", "Thời gian thực hiện", "Đơn vị", "Ghi chú", "Bắt đầu", "Kết thúc", "Chủ trì",
              "Phối hợp"}
    printed = [p for p in doc.paras if p.in_table and p.text in labels]
    assert sorted(p.text for p in printed) == sorted(labels)
    assert all(p.bold for p in printed)
    assert all(c["jc"] == "center" for row in g[:2] for c in row)
    assert not doc.find("Khảo sát đường chạy").bold

    # Imported again, the render gives the same table (the first pass may settle the columns' widths
    # and the STT column's alignment, which the tool sets); and from there the round trip is stable.
    again = import_docx(out).data
    assert _settled(again["appendices"][0]["table"]) == _settled(data["appendices"][0]["table"])
    twice = tmp_path / "twice.docx"
    twice.write_bytes(render_plan(data_plan(again, tmp_path, "again.yaml")))
    assert import_docx(twice).data["appendices"][0]["table"] == again["appendices"][0]["table"]
    assert [[(c["text"], c["span"], c["vmerge"]) for c in row] for row in grid(_catalogue(twice))] == \
        [[(c["text"], c["span"], c["vmerge"]) for c in row] for row in g]


def test_check_judges_the_catalogue_as_under_a_one_row_header(tmp_path, one_row):
    path = _build(tmp_path / "two.docx", [*_head(), *DATA])
    rows, plain = read_docx(path).appendices[0].rows, read_docx(one_row).appendices[0].rows
    assert [r.number for r in rows] == [r.number for r in plain] == ["STT", "I", "1", "2", "II", "1"]

    def findings(p: Path) -> list[tuple[str, str, str | None]]:
        return sorted((r.rule, r.status, r.measured) for r in check_docx(p).results)

    assert findings(path) == findings(one_row)


NEAR_MISSES = {
    # A one-row header, then a first data row typed in bold: no header of two rows.
    "bold-first-data-row": [LEAVES, [{"text": "1", "bold": True}, {"text": "Khảo sát đường chạy", "bold": True},
                                     *(["Tháng 3", "Tháng 4", "Phòng Thể thao", "Văn phòng", ""])], *DATA[2:3]],
    # A cell of the first row merged down into the data (a unit over two tasks): content, no header.
    "merge-runs-into-the-data": [
        [{"text": "STT", "vmerge": "restart"}, "Nội dung", "Bắt đầu", "Kết thúc", "Chủ trì", "Phối hợp", "Ghi chú"],
        [{"text": "", "vmerge": "continue"}, "Khảo sát đường chạy", "Tháng 3", "Tháng 4", "Phòng Thể thao",
         "Văn phòng", ""],
        [{"text": "", "vmerge": "continue"}, "Lắp đặt biển báo", "Tháng 4", "Tháng 5", "Văn phòng", "", ""]],
    # Plain (neither bold nor centred) text over the sub-titles: not printed as a header's labels.
    "plain-text-over-sub-titles": [
        [{"text": "STT", "vmerge": "restart", "bold": False, "align": "left"},
         {"text": "Nội dung", "vmerge": "restart", "bold": False, "align": "left"},
         {"text": "Thời gian thực hiện", "span": 2, "bold": False, "align": "left"},
         {"text": "Đơn vị", "span": 2, "bold": False, "align": "left"},
         {"text": "Ghi chú", "vmerge": "restart", "bold": False, "align": "left"}],
        [{"text": "", "vmerge": "continue"}, {"text": "", "vmerge": "continue"},
         *({"text": t, "bold": False, "align": "left"} for t in ["Bắt đầu", "Kết thúc", "Chủ trì", "Phối hợp"]),
         {"text": "", "vmerge": "continue"}],
        *DATA[1:3]],
}


@pytest.mark.parametrize("case", NEAR_MISSES)
def test_near_misses_keep_no_header_rows(case, tmp_path):
    path = _build(tmp_path / f"{case}.docx", NEAR_MISSES[case], heads=0)
    table = _table(path)
    assert "header_rows" not in table
    if case == "bold-first-data-row":
        # The one-row header as before; the bold row is data, its emphasis kept.
        assert [c["title"] for c in table["columns"]] == LEAVES
        assert table["rows"][0][0] == [{"bold": "Khảo sát đường chạy"}]
    else:
        # As today: no header, every row kept as data.
        assert table["header"] is False
        assert len(table["rows"]) == len(NEAR_MISSES[case])


def test_a_header_that_does_not_fit_is_said_in_vietnamese(tmp_path):
    data = import_docx(_build(tmp_path / "two.docx", [*_head(), *DATA])).data
    table = data["appendices"][0]["table"]
    data_plan(data, tmp_path)

    def error(rows: Any, **extra: Any) -> str:
        bad = copy.deepcopy(data)
        bad["appendices"][0]["table"].update(header_rows=rows, **extra)
        with pytest.raises(DataError) as err:
            data_plan(bad, tmp_path, "bad.yaml")
        return str(err.value)

    msg = error([table["header_rows"][0][:3]])
    assert "hàng tiêu đề thứ 1 có ô cho 4 trong 7 cột" in msg and "header_rows" in msg
    wide = copy.deepcopy(table["header_rows"])
    wide[0][2]["span"] = 4
    assert "hàng tiêu đề thứ 1 vượt quá 7 cột" in error(wide)
    deep = copy.deepcopy(table["header_rows"])
    deep[0][0]["rowspan"] = 3
    assert "ô gộp xuống 3 hàng" in error(deep) and "rowspan tối đa 2" in error(deep)
    assert "header: false" in error(table["header_rows"], header=False)


@pytest.mark.parametrize("style_bold", [True, False], ids=["in-a-header-cell", "in-a-data-cell"])
def test_emphasised_text_after_a_raised_piece_is_a_piece_of_its_own(style_bold):
    # "từ 8ʰ30" in bold italic, as a merged-down header cell types it: the raised "h" carries its
    # emphasis as flags, and "30" after it is a new piece (it crashed import, adding text to a flag).
    runs = [Piece("- Sáng: từ 8", True, True), Piece("h", True, True, "superscript"), Piece("30", True, True)]
    value = _paragraph(runs, style_bold=style_bold)
    key = "italic" if style_bold else "bold_italic"
    assert value[0] == {key: "- Sáng: từ 8"} and value[2] == {key: "30"}
    assert value[1]["sup"] == "h" and value[1]["italic"] is True
