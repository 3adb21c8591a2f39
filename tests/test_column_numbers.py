"""The row of column numbers a catalogue prints under its header ("(1) (2) (3)…", "1 2 3…", "A B 1 2…")
is part of the table's head: import keeps it as the table's `column_numbers` (no task "(2)", STT and
groups derived as without it), render prints it under the header (repeated with it, centred, italic as
typed), a render imported again gives the same data, and check judges the catalogue as without it.

Fixtures are typed in code (tests/word_fixtures.py): the catalogue of tests/test_check_invariance.py
with the row added in each form Word stores it."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from openxml_audit import OpenXmlValidator

from generator.check import check_docx
from generator.errors import DataError
from generator.document.render import render_plan
from generator.jobs.importer import import_docx
from generator.plan.loader import load_plan
from generator.plan.model import Plan
from generator.recognise import read_docx
from generator.recognise.column_numbers import column_number_row, labels_in_sequence
from tests.test_check_invariance import APPENDIX, BODY, SUBJECT
from tests.word_fixtures import Doc, Header, WordTable, build_plan, grid, header_rows, w

CATALOGUE: WordTable = APPENDIX[-1]
HEAD, DATA = CATALOGUE.rows[0], CATALOGUE.rows[1:]


def _italic(labels: list[str]) -> list[dict[str, Any]]:
    return [{"text": x, "italic": True, "bold": False, "align": "center"} for x in labels]


def _build(path: Path, rows: list[list[Any]], *, header_rows: int = 1, widths: list[float] | None = None) -> Path:
    table = WordTable(rows=rows, widths=widths or CATALOGUE.widths, header_rows=header_rows)
    return build_plan(path, header=Header(issuer=("SỞ VĂN HÓA", "VÀ THỂ THAO")), subject=SUBJECT, body=BODY,
                      appendices=[[*APPENDIX[:-1], table]])


def _table_data(path: Path) -> dict[str, Any]:
    data = import_docx(path).data
    [app] = data["appendices"]
    return app["table"]


def _texts(node: Any) -> list[str]:
    """Every string in an imported value, pieces included."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [t for v in node.values() for t in _texts(v)]
    if isinstance(node, list):
        return [t for v in node for t in _texts(v)]
    return []


@pytest.fixture(scope="module")
def without_row(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("plain") / "plain.docx", [HEAD, *DATA])


FORMS = {
    "bracketed": (["(1)", "(2)", "(3)", "(4)"], _italic(["(1)", "(2)", "(3)", "(4)"]), 1),
    "bare": (["1", "2", "3", "4"], ["1", "2", "3", "4"], 1),
    "letters-then-numbers": (["A", "B", "1", "2"], _italic(["A", "B", "1", "2"]), 1),
    "formula": (["(1)", "(2)", "(3)", "(4)=(2)+(3)"], _italic(["(1)", "(2)", "(3)", "(4)=(2)+(3)"]), 1),
    "repeated-header-row": (["(1)", "(2)", "(3)", "(4)"], _italic(["(1)", "(2)", "(3)", "(4)"]), 2),
    "stt-left-blank": (["", "(1)", "(2)", "(3)"], [""] + _italic(["(1)", "(2)", "(3)"]), 1),
}


@pytest.mark.parametrize("form", FORMS)
def test_import_keeps_the_row_as_column_numbers_and_derives_stt_and_groups(form, tmp_path, without_row):
    labels, cells, heads = FORMS[form]
    path = _build(tmp_path / f"{form}.docx", [HEAD, cells, *DATA], header_rows=heads)
    table = _table_data(path)
    printed = [x or None for x in labels]
    assert [(_texts(v) or [None])[0] if v is not None else None for v in table["column_numbers"]] == printed
    # Italic as typed: a typed-italic label is kept as an italic piece.
    if cells[-1] != labels[-1]:
        assert table["column_numbers"][-1] == [{"italic": labels[-1]}]
    # Nothing of the row among the data: no task "(2)", and the rest reads as without the row.
    assert not set(_texts(table["rows"])) & {x for x in labels if x}
    plain = _table_data(without_row)
    assert table["numbered"] is True and plain["numbered"] is True
    assert {k: v for k, v in table.items() if k != "column_numbers"} == plain
    data_plan(_with_table(import_docx(path).data, table), tmp_path)  # a plan the tool loads


def data_plan(data: dict[str, Any], tmp_path: Path, name: str = "plan.yaml") -> Plan:
    """The data as the tool loads it from its YAML file."""
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_plan(path)


def rendered_import(path: Path, tmp_path: Path) -> tuple[dict[str, Any], Path]:
    """The data `import` reads from path, and its render (tmp_path/rendered.docx), free of schema errors."""
    data = import_docx(path).data
    out = tmp_path / "rendered.docx"
    out.write_bytes(render_plan(data_plan(data, tmp_path)))
    result = OpenXmlValidator().validate(str(out))
    assert result.is_valid, [str(e) for e in result.errors][:5]
    return data, out


def _with_table(data: dict[str, Any], table: dict[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(data)
    data["appendices"][0]["table"] = table
    return data


def test_the_render_prints_the_row_under_the_header_and_imports_back_the_same(tmp_path):
    labels = ["(1)", "(2)", "(3)", "(4)"]
    path = _build(tmp_path / "source.docx", [HEAD, _italic(labels), *DATA])
    data, out = rendered_import(path, tmp_path)

    doc = Doc(out)
    [tbl] = [t for t in doc.body_tables() if "Khảo sát đường chạy" in "".join(x.text or "" for x in t.iter(w("t")))]
    rows = grid(tbl)
    assert [c["text"] for c in rows[0]] == HEAD
    assert [c["text"] for c in rows[1]] == labels
    assert [c["text"] for c in rows[2]][:2] == ["I", "Công tác chuẩn bị"]
    assert header_rows(tbl)[:3] == [True, True, False]  # repeated with the header on every page
    assert all(c["jc"] == "center" for c in rows[1])
    runs = [(p.text, p.bold, p.italic) for p in doc.paras if p.in_table and p.text in labels]
    assert runs == [(x, False, True) for x in labels]

    # Imported again, the render gives the labels back; and from there the round trip is stable (the
    # first pass may settle the STT column's alignment: the tool centres its numbers).
    again = import_docx(out).data
    assert again["appendices"][0]["table"]["column_numbers"] == data["appendices"][0]["table"]["column_numbers"]
    twice = tmp_path / "twice.docx"
    twice.write_bytes(render_plan(data_plan(again, tmp_path)))
    assert import_docx(twice).data["appendices"][0]["table"] == again["appendices"][0]["table"]


def test_the_default_renders_no_row_and_a_wrong_count_is_said_in_vietnamese(tmp_path, without_row):
    data = import_docx(without_row).data
    assert "column_numbers" not in data["appendices"][0]["table"]
    out = tmp_path / "plain.docx"
    out.write_bytes(render_plan(data_plan(data, tmp_path)))
    [tbl] = [t for t in Doc(out).body_tables() if "Khảo sát" in "".join(x.text or "" for x in t.iter(w("t")))]
    assert header_rows(tbl)[:2] == [True, False]
    data["appendices"][0]["table"]["column_numbers"] = ["(1)", "(2)"]
    with pytest.raises(DataError) as err:
        data_plan(data, tmp_path)
    assert "column_numbers có 2 nhãn mà bảng có 4 cột" in str(err.value)


def test_a_spanned_header_counts_its_grid_columns(tmp_path):
    head = [{"text": "STT", "vmerge": "restart"}, {"text": "Nội dung", "vmerge": "restart"},
            {"text": "Đơn vị thực hiện", "span": 2}, {"text": "Thời gian", "vmerge": "restart"}]
    sub = [{"text": "", "vmerge": "continue"}, {"text": "", "vmerge": "continue"}, "Chủ trì", "Phối hợp",
           {"text": "", "vmerge": "continue"}]
    numbers = _italic(["(1)", "(2)", "(3)", "(4)", "(5)"])
    data = [["1", "Khảo sát đường chạy", "Phòng Thể thao", "Văn phòng", "Tháng 3"],
            ["2", "Tổ chức giải chạy", "Văn phòng", "Phòng Thể thao", "Tháng 5"]]
    widths = [1.2, 6.5, 3.0, 3.0, 2.5]
    path = _build(tmp_path / "spanned.docx", [head, sub, numbers, *data], header_rows=3, widths=widths)
    doc = read_docx(path)
    [app] = doc.appendices
    table = doc.table_of(app.rows[0].para)
    assert table is not None and column_number_row(table) == 2
    plain = read_docx(_build(tmp_path / "spanned-plain.docx", [head, sub, *data], header_rows=2, widths=widths))
    assert [r.number for r in app.rows] == [r.number for r in plain.appendices[0].rows]
    assert "(1)" not in [r.number for r in app.rows]
    # Four labels, one spanning two columns, under a header of five grid columns: not the row.
    four = _italic(["(1)", "(2)", "(3)", "(4)"])
    four[2]["span"] = 2
    short = _build(tmp_path / "short.docx", [head, sub, four, *data],
                   header_rows=3, widths=widths)
    t2 = read_docx(short)
    assert column_number_row(t2.table_of(t2.appendices[0].rows[0].para)) is None


def test_a_first_data_row_numbered_1_is_no_row_of_column_numbers(tmp_path):
    rows = [HEAD, ["1", "Tuyên truyền về giải chạy", "Sở Văn hóa và Thể thao", "Tháng 3"],
            ["2", "Khảo sát đường chạy", "Phòng Thể thao", "Tháng 4"]]
    path = _build(tmp_path / "near.docx", rows)
    table = _table_data(path)
    assert "column_numbers" not in table
    assert table["numbered"] is True
    assert table["rows"][0][0] == "Tuyên truyền về giải chạy"
    doc = read_docx(path)
    assert [r.number for r in doc.appendices[0].rows] == ["STT", "1", "2"]


FIGURES_HEAD = ["STT", "Số cuộc", "Số người", "Số tin bài"]
FIGURES_WIDTHS = [1.2, 4.4, 4.4, 4.4]


def _numbers_row_read(tmp_path: Path, name: str, rows: list[list[Any]]) -> tuple[int | None, list[str]]:
    """The column-numbers row check and import find in a catalogue under FIGURES_HEAD, and the STT
    numbers of the list check reads."""
    path = _build(tmp_path / f"{name}.docx", [FIGURES_HEAD, *rows], widths=FIGURES_WIDTHS)
    doc = read_docx(path)
    [app] = doc.appendices
    table = doc.table_of(app.rows[0].para)
    assert table is not None
    return column_number_row(table), [r.number for r in app.rows]


@pytest.mark.parametrize("first", [["1", "2", "3", "4"], ["1", "2", "3", ""],
                                   ["1", "2", "3", "\u00a04 "]])
def test_a_first_task_of_plain_figures_counting_on_is_a_task(tmp_path, first):
    """A first data row "1 | 2 | 3 | 4" (figures beside STT 1) over a row numbered 2: the list counts
    on from it, so it is its first task, in check and import, whatever spacing the figures carry."""
    rows = [first, ["2", "5", "6", "7"], ["3", "8", "9", "10"]]
    at, numbers = _numbers_row_read(tmp_path, "figures", rows)
    assert at is None
    assert numbers == ["STT", first[0], "2", "3"]
    table = _table_data(tmp_path / "figures.docx")
    assert "column_numbers" not in table
    assert table["numbered"] is True and [r[0] for r in table["rows"]] == [first[1], "5", "8"]


def test_a_row_of_figures_with_one_missing_is_data_without_a_list_starting_under_it(tmp_path):
    """"1 | 2 | 3 | (blank)" over a group heading: nothing on the page says it numbers the columns
    (a figure missing, no list starting at 1 under it): data, not the columns' numbers."""
    at, _ = _numbers_row_read(tmp_path, "gap", [["1", "2", "3", ""], [{"text": "I", "bold": True},
                                                                       {"text": "Kết quả", "span": 3, "bold": True}]])
    assert at is None


@pytest.mark.parametrize("labels", [["1", "2", "3", "4"], ["1", "2", "3", ""], ["", "1", "2", "3"],
                                    ["(1)", "(2)", "(3)", "(4)"]])
def test_plain_numbers_over_a_list_starting_at_1_are_column_numbers(tmp_path, labels):
    """The list under the row starts at 1: the row numbers the columns, a figure missing or not."""
    at, numbers = _numbers_row_read(tmp_path, "restart", [labels, ["1", "5", "6", "7"], ["2", "8", "9", "10"]])
    assert at == 1
    assert numbers == ["STT", "1", "2"]


@pytest.mark.parametrize("labels", [["1", "2", "3", "4"], ["", "1", "2", "3"]])
def test_plain_numbers_over_every_column_are_column_numbers_over_a_group(tmp_path, labels):
    """1..n over every column (the STT column's left blank or not) over a group heading "I": the
    columns' numbers, as a clerk types them."""
    group = [{"text": "I", "bold": True}, {"text": "Kết quả", "span": 3, "bold": True}]
    at, _ = _numbers_row_read(tmp_path, "group", [labels, group, ["1", "5", "6", "7"]])
    assert at == 1


@pytest.mark.parametrize("texts, expected", [
    (["(1)", "(2)", "(3)"], True), (["1", "2", "3"], True), (["A", "B", "1", "2"], True),
    (["", "(1)", "(2)"], True), (["(1)", "(2)", "(3)=(1)x(2)"], True),
    (["1", "Tuyên truyền", "Sở Nội vụ"], False), (["1", "", ""], False), (["(1)", "(3)", "(2)"], False),
    (["B", "C"], False), (["1", "A"], False), (["2", "3"], False),
])
def test_labels_in_sequence(texts, expected):
    assert labels_in_sequence(texts) is expected


@pytest.mark.parametrize("form", ["bracketed", "bare", "letters-then-numbers"])
def test_check_judges_the_catalogue_as_without_the_row(form, tmp_path, without_row):
    labels, cells, heads = FORMS[form]
    path = _build(tmp_path / f"{form}.docx", [HEAD, cells, *DATA], header_rows=heads)
    with_doc, plain_doc = read_docx(path), read_docx(without_row)
    assert [r.number for r in with_doc.appendices[0].rows] == [r.number for r in plain_doc.appendices[0].rows]

    def findings(p: Path) -> list[tuple[str, str, str | None]]:
        return sorted((r.rule, r.status, r.measured) for r in check_docx(p).results)

    assert findings(path) == findings(without_row)
