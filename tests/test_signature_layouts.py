"""The Nơi nhận and the signer's block laid out without the usual two-cell table:
- a joint plan (văn bản liên tịch: an agency with the Mặt trận, a union or another agency) sets its
  signers side by side in a table and types the Nơi nhận under it, on the left; some single-signer
  plans do the same with one signer's column;
- no table at all: the signer's lines set in the right half of the page with an indent, the Nơi nhận
  typed under them or above them.
The Nơi nhận is found outside the table, the signer where the page shows it, and the body ends
above both: check finds what it finds on the same plan laid out the usual way (Nơi nhận and signer
in one table), and import gives the same data; a second signer's block is held in the data
(co_signers, tests/test_joint_plans.py), never dropped.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from docx.shared import Cm

from generator.check import check_data, check_docx
from generator.document.render import render_plan
from generator.jobs.importer import import_docx, import_file
from generator.plan.loader import load_plan
from tests.word_fixtures import add_para, build_plan

BODY = [{"text": "I. MỤC ĐÍCH, YÊU CẦU", "bold": True}, "Nâng cao nhận thức của cán bộ về phòng chống tác hại.",
        {"text": "II. NỘI DUNG", "bold": True}, "Tổ chức tuyên truyền tại các khu dân cư trong quý II./."]
CO_SIGNER = [("TM. BAN THƯỜNG TRỰC", True), ("CHỦ TỊCH", True), ("", False), ("", False), ("", False),
             ("Nguyễn Văn An", True)]


def _noi_nhan_under_the_table(doc: Any, co_signer: bool) -> None:
    """The Nơi nhận's paragraphs moved out of the signature table to just under it; its cell left
    empty or given the other signer's block."""
    nn_cell = doc.tables[-1].cell(0, 0)
    moved = [copy.deepcopy(p._p) for p in nn_cell.paragraphs]
    for p in list(nn_cell.paragraphs)[1:]:
        p._p.getparent().remove(p._p)
    first = nn_cell.paragraphs[0]
    for r in list(first.runs):
        r._r.getparent().remove(r._r)
    if co_signer:
        for text, bold in CO_SIGNER:
            add_para(nn_cell, text, align="center", bold=bold, before=0)
        first._p.getparent().remove(first._p)
    anchor = doc.tables[-1]._tbl
    for el in reversed(moved):
        anchor.addnext(el)


def _no_table(doc: Any, noi_nhan_first: bool) -> None:
    """The signature table taken away; the signer's lines typed centred with a left indent that puts
    them in the right half of the page, the Nơi nhận typed at the left margin, under or above them."""
    table = doc.tables[-1]
    cells = table.cell(0, 0), table.cell(0, 1)
    noi_nhan, signer = ([copy.deepcopy(p._p) for p in c.paragraphs] for c in cells)
    anchor = table._tbl.getprevious()
    table._tbl.getparent().remove(table._tbl)
    for el in [*noi_nhan, *signer] if noi_nhan_first else [*signer, *noi_nhan]:
        anchor.addnext(el)
        anchor = el
    for p in doc.paragraphs:
        if p._p in signer:
            p.paragraph_format.left_indent = Cm(8)


def _plans(tmp_path: Path, layout: str) -> tuple[Path, Path]:
    plain = build_plan(tmp_path / "plain.docx", body=BODY)
    other = build_plan(tmp_path / f"{layout}.docx", body=BODY)
    doc = docx.Document(str(other))
    if layout in ("lien-tich", "mot-nguoi-ky"):
        _noi_nhan_under_the_table(doc, co_signer=layout == "lien-tich")
    else:
        _no_table(doc, noi_nhan_first=layout == "noi-nhan-truoc")
    doc.save(str(other))
    return plain, other


def _findings(path: Path) -> set[tuple[str, str, str]]:
    # A set: a joint plan's co-signer is measured by the same rules, with the same outcomes.
    return {(r.rule, r.status, r.severity) for r in check_docx(path).results}


CO_SIGNER_DATA = {"name": "Nguyễn Văn An", "authority": "TM", "collective": "Ban Thường trực", "title": "Chủ tịch"}


@pytest.mark.parametrize("layout", ["lien-tich", "mot-nguoi-ky", "chu-ky-truoc", "noi-nhan-truoc"])
def test_noi_nhan_outside_the_signers_table(tmp_path: Path, layout: str) -> None:
    plain, under = _plans(tmp_path, layout)
    assert _findings(under) == _findings(plain)
    want, got = import_docx(plain), import_docx(under)
    co_signers = got.data.pop("co_signers", None)
    assert got.data == want.data
    assert co_signers == ([CO_SIGNER_DATA] if layout == "lien-tich" else None)
    assert got.data["recipients"] == ["Ủy ban nhân dân tỉnh", "Các phòng thuộc Sở"]
    assert got.data["signer"]["name"] == "Lê Thị Hạnh"
    assert [n for n in got.warnings if n not in want.warnings] == []


def test_a_body_table_above_a_noi_nhan_line_is_no_signature(tmp_path: Path) -> None:
    # The signers' table is told by its columns (capital title lines over a name), not by standing
    # above "Nơi nhận": a body table there stays in the body.
    from tests.word_fixtures import WordTable

    body = [*BODY[:-1], WordTable([["TT", "Nội dung"], ["1", "Tuyên truyền tại khu dân cư"]], [2, 12]),
            "Các phòng tổ chức thực hiện./."]
    path = build_plan(tmp_path / "bang.docx", body=body)
    doc = docx.Document(str(path))
    doc.tables[-1]._tbl.getparent().remove(doc.tables[-1]._tbl)  # no signature table at all
    add_para(doc, "Nơi nhận:", align="left", size=12, bold=True, italic=True, before=0)
    add_para(doc, "- Lưu: VT.", align="left", size=11, before=0)
    doc.save(str(path))
    data = import_docx(path).data
    assert any("table" in b for s in data["sections"] for b in s.get("blocks", []) if isinstance(b, dict))


@pytest.mark.parametrize("noi_nhan_first", [True, False], ids=["noi-nhan-truoc", "chu-ky-truoc"])
def test_a_body_sentence_that_begins_noi_nhan_stays_in_the_body(tmp_path: Path, noi_nhan_first: bool) -> None:
    # With no table, the Nơi nhận is its label on a line of its own; a sentence of the body that begins
    # with the words ("Nơi nhận hồ sơ: …") is body text, and so is everything after it.
    body = [*BODY[:-1], "Nơi nhận hồ sơ đăng ký: Văn phòng Sở, số 12 đường Trần Phú, thành phố Lào Cai.",
            "Thời hạn nhận hồ sơ: trước ngày 30 tháng 4 năm 2026.", {"text": "III. TỔ CHỨC THỰC HIỆN", "bold": True},
            BODY[-1]]
    plain = build_plan(tmp_path / "plain.docx", body=body)
    other = build_plan(tmp_path / "no-table.docx", body=body)
    doc = docx.Document(str(other))
    _no_table(doc, noi_nhan_first=noi_nhan_first)
    doc.save(str(other))
    assert _findings(other) == _findings(plain)
    want, got = import_docx(plain), import_docx(other)
    assert got.data == want.data
    assert got.data["recipients"] == ["Ủy ban nhân dân tỉnh", "Các phòng thuộc Sở"]
    assert "Thời hạn nhận hồ sơ" in str(got.data["sections"]) and len(got.data["sections"]) == 3


def test_a_body_table_right_above_the_noi_nhan_leaves_the_signer_to_be_found(tmp_path: Path) -> None:
    # The body ends with its table, the Nơi nhận typed right under it and the signer's lines in the
    # right half under the Nơi nhận: the table is not the signers' (its columns are no signer's
    # block), so it stays in the body and the signer is looked for where the page sets it.
    from tests.word_fixtures import WordTable

    body = [*BODY, WordTable([["TT", "Nội dung"], ["1", "Tuyên truyền tại khu dân cư"]], [2, 12])]
    plain = build_plan(tmp_path / "plain.docx", body=body)
    other = build_plan(tmp_path / "bang-cuoi.docx", body=body)
    doc = docx.Document(str(other))
    _no_table(doc, noi_nhan_first=True)
    doc.save(str(other))
    want, got = import_docx(plain), import_docx(other)
    assert got.data == want.data
    assert got.data["signer"]["name"] == "Lê Thị Hạnh"
    assert any("table" in b for s in got.data["sections"] for b in s.get("blocks", []) if isinstance(b, dict))


def test_a_sample_letter_in_an_appendix_lends_no_noi_nhan_to_the_plan(tmp_path: Path) -> None:
    # The plan's own signature table has no Nơi nhận (forgotten: check says so); its appendix holds a
    # sample letter with a Nơi nhận and a signer set in the right half. The document's Nơi nhận stands
    # before its appendices: the sample stays the appendix's content, and is neither body nor signer.
    sample = [{"text": "Phụ lục", "bold": True, "align": "center"},
              {"text": "MẪU CÔNG VĂN ĐĂNG KÝ", "bold": True, "align": "center"},
              {"text": "(Kèm theo Kế hoạch số 12/KH-SVHTT ngày 15 tháng 3 năm 2026)", "italic": True, "align": "center"},
              "Đơn vị đăng ký tham gia giải chạy với 20 vận động viên.",
              {"text": "Nơi nhận:", "align": "left"}, {"text": "- Như trên;", "align": "left"},
              {"text": "- Lưu: VT.", "align": "left"},
              {"text": "GIÁM ĐỐC", "bold": True, "align": "center"}, {"text": "Nguyễn Văn A", "bold": True, "align": "center"}]
    path = build_plan(tmp_path / "mau.docx", body=BODY, appendices=[sample])
    doc = docx.Document(str(path))
    for p in doc.paragraphs:
        if p.text in ("GIÁM ĐỐC", "Nguyễn Văn A"):
            p.paragraph_format.left_indent = Cm(8)
    nn_cell = next(t for t in doc.tables if t.cell(0, 0).text.startswith("Nơi nhận")).cell(0, 0)
    for p in nn_cell.paragraphs[1:]:
        p._p.getparent().remove(p._p)
    for r in nn_cell.paragraphs[0].runs:
        r._r.getparent().remove(r._r)
    doc.save(str(path))
    data = import_docx(path).data
    assert "Tổ chức tuyên truyền" in str(data["sections"])
    assert not any(w in str(data["sections"]) for w in ("MẪU CÔNG VĂN", "Đơn vị đăng ký", "Như trên"))
    assert len(data["appendices"]) == 1 and "Nguyễn Văn A" in str(data["appendices"])
    assert data["signer"]["name"] != "Nguyễn Văn A" and "Như trên" not in data["recipients"]


def test_a_co_signer_over_the_noi_nhan_in_the_signers_table_is_held(tmp_path: Path) -> None:
    # The joint plan's table holds both signers side by side and, in its second row, the Nơi nhận
    # under the left one: the left block is a co-signer's, held like the one over a Nơi nhận typed
    # under the table.
    plain = build_plan(tmp_path / "plain.docx", body=BODY)
    path = build_plan(tmp_path / "hai-hang.docx", body=BODY)
    doc = docx.Document(str(path))
    table = doc.tables[-1]
    top = table.cell(0, 0)
    below = table.add_row().cells[0]
    below._tc.remove(below.paragraphs[0]._p)
    for p in list(top.paragraphs):
        below._tc.append(p._p)
    for text, bold in CO_SIGNER:
        add_para(top, text, align="center", bold=bold, before=0)
    doc.save(str(path))
    want, got = import_docx(plain), import_docx(path)
    assert got.data.pop("co_signers") == [CO_SIGNER_DATA]
    assert got.data == want.data
    assert [n for n in got.warnings if n not in want.warnings] == []


# --- what is printed by the name ------------------------------------------------------------------------

def _signer_with(tmp_path: Path, over: str | None = None, under: tuple[str, ...] = (),
                 name: str = "Nguyễn Văn Hòa", signer: tuple[str, ...] = ("CHỈ HUY TRƯỞNG",)) -> Path:
    """A plan whose signer's cell prints a line right over the name (under the signing space) and
    lines under it, each a paragraph of its own in the name's bold 14 pt, as typed in Word."""
    path = build_plan(tmp_path / "goc.docx", body=BODY, signer=signer, signer_name=name)
    doc = docx.Document(str(path))
    cell = doc.tables[-1].cell(0, 1)
    name_p = cell.paragraphs[-1]
    if over is not None:
        name_p._p.addprevious(add_para(cell, over, align="center", bold=True, before=0)._p)
    for text in under:
        add_para(cell, text, align="center", bold=True, before=0)
    doc.save(str(path))
    return path


def _import_and_render(tmp_path: Path, original: Path) -> tuple[dict[str, Any], list[str], Path]:
    out = tmp_path / "ke-hoach.yaml"
    result = import_file(original, out, force=True)
    back = tmp_path / "back.docx"
    back.write_bytes(render_plan(load_plan(out)))
    return yaml.safe_load(out.read_text(encoding="utf-8")), [str(w) for w in result.warnings], back


def _signer_results(path: Path) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for r in check_docx(path).results:
        if r.rule.startswith("PL1.III.7."):
            out.setdefault(r.rule, []).append(r)
    return out


def _cell_lines(path: Path) -> list[str]:
    """The signer's cell as printed: its lines (a paragraph cut at its line breaks), empty ones dropped."""
    cell = docx.Document(str(path)).tables[-1].cell(0, 1)
    return [x.strip() for p in cell.paragraphs for x in p.text.split("\n") if x.strip()]


@pytest.mark.parametrize("over, under, name, printed", [
    ("Đại tá", (), "Nguyễn Văn Hòa", ["Đại tá", "Nguyễn Văn Hòa"]),
    ("THƯỢNG TÁ", (), "Nguyễn Văn Hòa", ["THƯỢNG TÁ", "Nguyễn Văn Hòa"]),
    (None, ("Trung tá",), "Nguyễn Văn Hòa", ["Nguyễn Văn Hòa", "Trung tá"]),
    (None, ("", "THIẾU TƯỚNG"), "Nguyễn Văn Hòa", ["Nguyễn Văn Hòa", "THIẾU TƯỚNG"]),  # in capitals, spaced
    (None, (), "Thiếu tướng Nguyễn Văn Hòa", ["Thiếu tướng Nguyễn Văn Hòa"]),
])
def test_a_rank_printed_by_the_name_is_the_names_not_a_post(tmp_path: Path, over: str | None,
                                                            under: tuple[str, ...], name: str,
                                                            printed: list[str]) -> None:
    # Decree 30 (Phụ lục I, II.7.c) lets armed-forces units write the rank before the signer's name;
    # on a line of its own over or under the name it is still the name's: no post moved into the
    # title, no line after the name, and the plan rendered from the data prints it where it stood.
    from generator.recognise import read_docx

    original = _signer_with(tmp_path, over, under, name)
    doc = read_docx(original)
    assert [p.text for p in doc.signer_lines] == ["CHỈ HUY TRƯỞNG"]
    assert not doc.after_name
    data, warnings, back = _import_and_render(tmp_path, original)
    assert data["signer"]["title"] == "Chỉ huy trưởng"
    assert data["signer"]["name"].split("\n") == printed
    assert not [w for w in warnings if "họ tên người ký" in w], warnings
    assert _cell_lines(back)[-len(printed):] == printed
    for path in (original, back):
        found = _signer_results(path)
        assert "PL1.III.7.ho-ten.vi-tri" not in found, path
        for rule in ("PL1.III.7.ho-ten.hinh-thuc", "PL1.III.7.tham-quyen.hinh-thuc", "PL1.III.7.khoang-ky"):
            assert [r.status for r in found[rule]] == ["pass"], (path, rule, found[rule])
    # The data file checked before it is rendered reads the name's lines the same way.
    (name_rule,) = [r for r in check_data(tmp_path / "ke-hoach.yaml").results if r.rule == "PL1.III.7.ho-ten.hinh-thuc"]
    assert name_rule.status == "pass", name_rule


def test_an_academic_title_over_the_name_is_the_names_and_said(tmp_path: Path) -> None:
    # "TS." on its own line over the name: the name's (not the name itself, not a title line); the
    # checker says what Decree 30 says of it (the head of a school, hospital or institute decides).
    original = _signer_with(tmp_path, "TS.", signer=("GIÁM ĐỐC",))
    data, _, back = _import_and_render(tmp_path, original)
    assert data["signer"]["name"].split("\n") == ["TS.", "Nguyễn Văn Hòa"]
    for path in (original, back):
        found = _signer_results(path)
        assert "PL1.III.7.ho-ten.vi-tri" not in found
        (name,) = found["PL1.III.7.ho-ten.hinh-thuc"]
        assert name.status == "fail" and name.measured == "TS. / Nguyễn Văn Hòa"
        assert "giáo dục" in name.message


@pytest.mark.parametrize("line, kind_said, kept", [
    ("(ĐÓNG DẤU)", "ghi chú", True),
    ("Phó Bí thư Đảng ủy xã", "dòng in dưới họ tên", True),
    ("ĐT: 0912 345 678", "số điện thoại", False),
    ("Email: vanphong@sotnmt.gov.vn", "số điện thoại, thư điện tử", False),
])
def test_a_line_under_the_name_read_alike_by_check_and_import(tmp_path: Path, line: str, kind_said: str,
                                                               kept: bool) -> None:
    # Decree 30 closes the block with the name. What the line is, the checker and the importer read
    # alike (recognise.lines.under_name): a note or other text is kept under the name and the import
    # says the error check will report on the rendered plan, with its fix; the drafter's telephone
    # or e-mail is no part of the signature: not imported, said, and the rendered plan passes.
    original = _signer_with(tmp_path, under=(line,), signer=("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"))
    (place,) = _signer_results(original)["PL1.III.7.ho-ten.vi-tri"]
    assert place.status == "fail" and place.measured == line and kind_said in place.message
    data, warnings, back = _import_and_render(tmp_path, original)
    assert data["signer"]["title"] == "Phó Giám đốc"  # never moved into the title
    said = [w for w in warnings if line in w]
    assert len(said) == 1, warnings
    if kept:
        assert data["signer"]["name"].split("\n") == ["Nguyễn Văn Hòa", line]
        assert _cell_lines(back)[-2:] == ["Nguyễn Văn Hòa", line]
        assert "PL1.III.7.ho-ten.vi-tri" in said[0] and "signer.name" in said[0]
        assert [r.status for r in _signer_results(back)["PL1.III.7.ho-ten.vi-tri"]] == ["fail"]
    else:
        assert data["signer"]["name"] == "Nguyễn Văn Hòa"
        assert "không nhập" in said[0]
        assert _cell_lines(back)[-1] == "Nguyễn Văn Hòa"
        assert "PL1.III.7.ho-ten.vi-tri" not in _signer_results(back)
