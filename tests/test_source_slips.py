"""Slips in a source plan that its page shows: a mục number typed twice or skipped, a post printed
under the signer's name. `kehoach check` calls them errors; `kehoach import` reads what the lines
are (a mục's heading, the signer's post), says the slip once, and the document rendered from the
data passes the same check: import → render is the way to the Decree 30 form, not a copy of the slip.
"""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
import yaml

from generator.check import check_docx
from generator.document.render import render_plan
from generator.jobs.importer import import_file
from generator.plan.loader import load_plan
from tests.word_fixtures import add_para, build_plan


def _body(numbers: tuple[str, str, str]) -> list[object]:
    first, second, third = numbers
    return ["Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh, Sở ban hành Kế hoạch như sau:",
            {"text": f"{first}. MỤC ĐÍCH, YÊU CẦU", "bold": True},
            "Nâng cao nhận thức của cán bộ, công chức về cải cách hành chính.",
            {"text": f"{second}. NỘI DUNG THỰC HIỆN", "bold": True},
            "Tổ chức tuyên truyền tại các khu dân cư trong quý II.",
            {"text": f"{third}. TỔ CHỨC THỰC HIỆN", "bold": True},
            "Các phòng, đơn vị triển khai thực hiện nghiêm túc Kế hoạch này./."]


def _import_and_render(tmp_path: Path, original: Path) -> tuple[dict, list, Path]:
    out = tmp_path / "ke-hoach.yaml"
    result = import_file(original, out, force=True)
    back = tmp_path / "back.docx"
    back.write_bytes(render_plan(load_plan(out)))
    return yaml.safe_load(out.read_text(encoding="utf-8")), result.warnings, back


def _errors(path: Path) -> set[str]:
    return {r.rule for r in check_docx(path).results if r.status == "fail" and r.severity == "error"}


@pytest.mark.parametrize("numbers", [("I", "II", "II"), ("I", "II", "IV"), ("I", "I", "III")])
def test_a_mucs_number_out_of_turn_is_still_a_muc(tmp_path: Path, numbers: tuple[str, str, str]) -> None:
    original = build_plan(tmp_path / "goc.docx", body=_body(numbers))
    assert "PL1.III.6.muc.thu-tu" in _errors(original)  # the source's slip, as the checker sees it
    data, warnings, back = _import_and_render(tmp_path, original)
    assert [s["title"] for s in data["sections"]] == ["Mục đích, yêu cầu", "Nội dung thực hiện",
                                                     "Tổ chức thực hiện"]
    slips = [w for w in warnings if "ở vị trí mục" in str(w)]
    assert len(slips) == 1, warnings
    headings = [p.text for p in docx.Document(str(back)).paragraphs if p.text.endswith("THỰC HIỆN")
                or p.text.endswith("YÊU CẦU")]
    assert headings == ["I. MỤC ĐÍCH, YÊU CẦU", "II. NỘI DUNG THỰC HIỆN", "III. TỔ CHỨC THỰC HIỆN"]
    assert "PL1.III.6.muc.thu-tu" not in _errors(back)


def _a_line_under_the_name(tmp_path: Path, signer: tuple[str, str], line: str) -> Path:
    """A plan whose signer's block prints line under the signer's name."""
    original = build_plan(tmp_path / "goc.docx", body=_body(("I", "II", "III")), signer=signer,
                          signer_name="Nguyễn Văn Hòa")
    word = docx.Document(str(original))
    add_para(word.tables[-1].cell(0, 1), line, align="center", bold=True, before=0)
    word.save(str(original))
    return original


def test_a_post_printed_under_the_signers_name_goes_above_the_signature(tmp_path: Path) -> None:
    original = _a_line_under_the_name(tmp_path, ("TM. TIỂU BAN", "TRƯỞNG TIỂU BAN"), "TRƯỞNG PHÒNG VĂN HÓA - THÔNG TIN")
    assert "PL1.III.7.ho-ten.vi-tri" in _errors(original)
    data, warnings, back = _import_and_render(tmp_path, original)
    assert data["signer"]["name"] == "Nguyễn Văn Hòa"
    assert data["signer"]["title"].split("\n")[1].upper() == "TRƯỞNG PHÒNG VĂN HÓA - THÔNG TIN"
    assert any("dưới họ tên" in str(w) for w in warnings)
    cell = [p.text for p in docx.Document(str(back)).tables[-1].cell(0, 1).paragraphs if p.text.strip()]
    assert cell[-1] == "Nguyễn Văn Hòa"
    assert "TRƯỞNG PHÒNG VĂN HÓA - THÔNG TIN" in "\n".join(cell[:-1]).split("\n")
    assert "PL1.III.7.ho-ten.vi-tri" not in _errors(back)


def test_a_number_printed_on_a_line_not_read_as_a_muc_is_no_skip(tmp_path: Path) -> None:
    # "III. Kinh phí thực hiện" (not in capitals) is kept as text in mục II; "IV." after it is no
    # skipped number: read as mục III it would print a second "III." under the literal one.
    body = _body(("I", "II", "IV"))
    body[5:5] = [{"text": "III. Kinh phí thực hiện", "bold": True}, "Từ nguồn ngân sách của Sở."]
    original = build_plan(tmp_path / "goc.docx", body=body)
    assert "PL1.III.6.muc.thu-tu" not in _errors(original)  # the page counts I, II, III, IV
    data, warnings, back = _import_and_render(tmp_path, original)
    assert not [w for w in warnings if "ở vị trí mục" in str(w)], warnings
    numbers = [p.text.split(".")[0] for p in docx.Document(str(back)).paragraphs
               if p.text.startswith(("I.", "II.", "III.", "IV.", "V."))]
    assert len(numbers) == len(set(numbers)), numbers


def test_a_roman_list_in_capitals_inside_a_muc_stays_in_it(tmp_path: Path) -> None:
    # A report's outline typed inside mục II ("I. KẾT QUẢ…", "II. TỒN TẠI…") is a count of its own,
    # started again at I: its "II." is no mục II typed twice.
    body = _body(("I", "II", "III"))
    body[4:4] = ["Báo cáo theo đề cương sau:", "I. KẾT QUẢ ĐẠT ĐƯỢC", "II. TỒN TẠI, HẠN CHẾ"]
    original = build_plan(tmp_path / "goc.docx", body=body)
    data, warnings, back = _import_and_render(tmp_path, original)
    assert [s["title"] for s in data["sections"]] == ["Mục đích, yêu cầu", "Nội dung thực hiện",
                                                     "Tổ chức thực hiện"]
    assert not [w for w in warnings if "ở vị trí mục" in str(w)], warnings


def test_a_note_in_brackets_under_the_signers_name_is_no_post(tmp_path: Path) -> None:
    # "(ĐÓNG DẤU)" printed under the name is a note to the reader, in capitals or not: moved to the
    # title it would print "PHÓ CHỦ TỊCH / (ĐÓNG DẤU)" as the signer's office.
    original = _a_line_under_the_name(tmp_path, ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"), "(ĐÓNG DẤU)")
    data, _, _ = _import_and_render(tmp_path, original)
    assert data["signer"]["title"] == "Phó Chủ tịch"
    assert data["signer"]["name"].split("\n") == ["Nguyễn Văn Hòa", "(ĐÓNG DẤU)"]


def test_a_post_in_name_case_under_the_name_leaves_the_name_under_the_signing_space(tmp_path: Path) -> None:
    # "Phó Bí thư Đảng ủy xã" printed under the name, in name case: the name is still the line under
    # the empty lines the leader signs in, and import and check read the same name.
    from generator.recognise import read_docx

    original = _a_line_under_the_name(tmp_path, ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"), "Phó Bí thư Đảng ủy xã")
    signer_name = read_docx(original).signer_name
    assert signer_name is not None and signer_name.text == "Nguyễn Văn Hòa"
    data, warnings, _ = _import_and_render(tmp_path, original)
    assert data["signer"]["name"].split("\n") == ["Nguyễn Văn Hòa", "Phó Bí thư Đảng ủy xã"]
    assert data["signer"]["title"] == "Chủ tịch"
