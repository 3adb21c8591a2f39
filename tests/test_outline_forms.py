"""Issue 22: the body's outline as real plans type it.

1. Numbering typed "I/", "1/", "a/" (or "I-", "1-", "1)" over "a)", "a."): read as mục, khoản and
   điểm exactly as the "I." form, rendered in Decree 30's form, with one import warning; measured
   by `kehoach check` like the plain form, the form itself one warning-level finding.
2. Parts ("Phần thứ nhất", "PHẦN I", "A.") whose mục start again at I: a part heading on the mục
   that opens it (Section.part), printed centred bold, mục numbered from I again.

Each fixture is built in code (tests/word_fixtures.build_plan) with our own sentences.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from docx.enum.text import WD_ALIGN_PARAGRAPH

from generator.check import check_docx, check_file
from generator.check.report import ERROR, FAIL, PASS, WARNING
from generator.document import template_builder
from generator.document.render import render_plan
from generator.document.template_check import check_template
from generator.jobs.importer import import_docx, import_file
from generator.plan.loader import load_plan
from generator.plan.model import Plan, section_labels
from generator.plan.tasks import plan_tasks
from tests.paths import FULL
from tests.word_fixtures import build_plan, cell_texts

PLAIN = [
    "Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh, Sở Văn hóa và Thể thao ban hành Kế hoạch như sau:",
    {"text": "I. MỤC ĐÍCH, YÊU CẦU", "bold": True},
    {"text": "1. Mục đích", "bold": True},
    "Nâng cao sức khỏe cộng đồng trong toàn tỉnh thông qua phong trào chạy bộ.",
    {"text": "2. Yêu cầu", "bold": True},
    "Tổ chức an toàn, tiết kiệm, hiệu quả.",
    {"text": "II. NỘI DUNG", "bold": True},
    {"text": "1. Thời gian, địa điểm", "bold": True},
    "Ngày 20/3/2026 tại sân vận động tỉnh.",
    "a) Chuẩn bị: các đơn vị đăng ký trước ngày 10/3/2026.",
    "b) Tổ chức: khai mạc lúc 6 giờ 30.",
    {"text": "2. Đối tượng", "bold": True},
    "Cán bộ, công chức, viên chức và người lao động.",
    {"text": "III. TỔ CHỨC THỰC HIỆN", "bold": True},
    "Các phòng thuộc Sở triển khai thực hiện Kế hoạch này./.",
]


def retyped(body: list[Any], muc: str, khoan: str, diem: str) -> list[Any]:
    """The plain body with its numbers typed with other separators: "I." → "I" + muc, and so on."""
    import re

    def one(text: str) -> str:
        text = re.sub(r"^([IVX]+)\. ", lambda m: f"{m.group(1)}{muc} ", text)
        text = re.sub(r"^(\d)\. ", lambda m: f"{m.group(1)}{khoan} ", text)
        return re.sub(r"^([a-z])\) ", lambda m: f"{m.group(1)}{diem} ", text)

    return [dict(p, text=one(p["text"])) if isinstance(p, dict) else one(p) for p in body]


def body_of(data: dict[str, Any]) -> dict[str, Any]:
    return {k: data.get(k) for k in ("grounds", "opening", "sections", "closing")}


def printed(path: Path) -> list[Any]:
    """Body paragraphs after the trích yếu as the reader sees them: text, bold, centred."""
    d = docx.Document(str(path))
    out = []
    for p in d.paragraphs:
        if not p.text.strip():
            continue
        bold = all(r.bold or (r.bold is None and p.style.font.bold) for r in p.runs if r.text.strip())
        align = p.alignment if p.alignment is not None else p.style.paragraph_format.alignment
        out.append((p.text, bold, align == WD_ALIGN_PARAGRAPH.CENTER))
    return out


@pytest.fixture(scope="module")
def plain_import(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    path = build_plan(tmp_path_factory.mktemp("plain") / "plain.docx", body=PLAIN)
    result = import_docx(path)
    assert [str(w) for w in result.warnings] == []
    return result.data


# --- 1. numbering typed with other separators -----------------------------------------------------


@pytest.mark.parametrize("muc, khoan, diem", [("/", "/", "/"), ("-", "-", "."), ("/", ")", ")"),
                                              (".", "/", ")"), ("/", ".", "/")])
def test_typed_numbering_imports_as_the_decree_form(tmp_path: Path, plain_import: dict[str, Any],
                                                    muc: str, khoan: str, diem: str) -> None:
    path = build_plan(tmp_path / "typed.docx", body=retyped(PLAIN, muc, khoan, diem))
    result = import_docx(path)
    data = result.data
    assert body_of(data) == body_of(plain_import)
    changed = [level for level, sep, decree in (("mục", muc, "."), ("khoản", khoan, "."), ("điểm", diem, ")"))
               if sep != decree]
    assert len(result.warnings) == 1, [str(w) for w in result.warnings]
    message = str(result.warnings[0])
    for level in changed:
        assert level in message
    assert "Nghị định 30" in message


def test_typed_numbering_renders_in_the_decree_form(tmp_path: Path) -> None:
    path = build_plan(tmp_path / "slash.docx", body=retyped(PLAIN, "/", "/", "/"))
    out = tmp_path / "slash.yaml"
    import_file(path, out, force=True)
    back = tmp_path / "back.docx"
    back.write_bytes(render_plan(load_plan(out)))
    texts = [t for t, _, _ in printed(back)]
    for line in ("I. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích", "II. NỘI DUNG", "a) Chuẩn bị: các đơn vị đăng ký trước "
                 "ngày 10/3/2026.", "b) Tổ chức: khai mạc lúc 6 giờ 30.", "III. TỔ CHỨC THỰC HIỆN"):
        assert line in texts
    assert not any(t.startswith(("I/", "1/", "a/", "II/")) for t in texts)
    bold = {t: b for t, b, _ in printed(back)}
    assert bold["I. MỤC ĐÍCH, YÊU CẦU"] and bold["1. Mục đích"]


def test_a_slash_in_running_text_is_no_number(tmp_path: Path, plain_import: dict[str, Any]) -> None:
    """Dates and fractions at the start of a line, a lone "1/ " line: text, where they stand."""
    body = list(PLAIN)
    body[3:3] = ["1/2 số đơn vị đã đăng ký tham gia giải chạy năm trước.",
                 "20/3 là ngày hội chạy của toàn tỉnh."]
    path = build_plan(tmp_path / "running.docx", body=body)
    result = import_docx(path)
    assert [str(w) for w in result.warnings] == []
    data = result.data
    first = data["sections"][0]["blocks"][0]["blocks"]
    assert first[:2] == ["1/2 số đơn vị đã đăng ký tham gia giải chạy năm trước.",
                         "20/3 là ngày hội chạy của toàn tỉnh."]
    assert len(data["sections"]) == 3


def test_a_numbered_list_in_parentheses_without_points_stays_text(tmp_path: Path) -> None:
    """"1)" is a khoản only where "a)" stand under it; a "1) 2)" list of its own is kept as typed."""
    body = [PLAIN[0], {"text": "I. MỤC ĐÍCH, YÊU CẦU", "bold": True},
            "1) Nâng cao sức khỏe cộng đồng.", "2) Lan tỏa phong trào rèn luyện thân thể.",
            {"text": "II. TỔ CHỨC THỰC HIỆN", "bold": True}, "Các phòng triển khai Kế hoạch này./."]
    data = import_docx(build_plan(tmp_path / "list.docx", body=body)).data
    assert data["sections"][0]["blocks"] == ["1) Nâng cao sức khỏe cộng đồng.",
                                             "2) Lan tỏa phong trào rèn luyện thân thể."]


def test_roman_lines_out_of_order_are_no_outline(tmp_path: Path) -> None:
    """Capital lines "II/", "I/" that do not count I, II, III… are not taken for mục."""
    body = [PLAIN[0], {"text": "II/ MỘT SỐ KẾT QUẢ", "bold": True}, "Đã tổ chức ba giải chạy.",
            {"text": "I/ HẠN CHẾ", "bold": True}, "Kinh phí còn hạn chế./."]
    result = import_docx(build_plan(tmp_path / "order.docx", body=body))
    assert "không tìm thấy mục" in " ".join(str(w) for w in result.warnings)


def results(report: Any) -> dict[str, Any]:
    return {r.rule: r for r in report.results}


def test_check_measures_the_typed_form_and_says_it_once(tmp_path: Path) -> None:
    plain = results(check_docx(build_plan(tmp_path / "plain.docx", body=PLAIN)))
    slash = results(check_docx(build_plan(tmp_path / "slash.docx", body=retyped(PLAIN, "/", "/", "/"))))
    assert slash["PL1.III.6.muc.thu-tu"].status == PASS
    assert slash["PL1.III.6.muc"].status == PASS
    assert slash["PL1.III.6.muc"].measured == plain["PL1.III.6.muc"].measured == "3 đoạn đạt"
    form = slash["PL1.III.6.danh-so"]
    assert (form.status, form.severity) == (FAIL, WARNING)
    assert "I/" in form.measured and "1/" in form.measured
    assert plain["PL1.III.6.danh-so"].status == PASS
    # Everything else measured alike: the form is the one difference.
    differ = {k for k in plain if (plain[k].status, plain[k].measured) != (slash[k].status, slash[k].measured)}
    assert differ == {"PL1.III.6.danh-so"}
    assert len([r for r in check_docx(tmp_path / "slash.docx").results if r.rule == "PL1.III.6.danh-so"]) == 1


# --- 2. parts whose mục start again at I ---------------------------------------------------------


PART_ONE = [{"text": "I. KẾT QUẢ ĐẠT ĐƯỢC", "bold": True}, "Đã tổ chức ba giải chạy với năm nghìn người tham gia.",
            {"text": "II. HẠN CHẾ", "bold": True}, "Kinh phí còn hạn chế."]
PART_TWO = [{"text": "I. MỤC ĐÍCH, YÊU CẦU", "bold": True}, "Nâng cao sức khỏe cộng đồng.",
            {"text": "II. TỔ CHỨC THỰC HIỆN", "bold": True}, "Các phòng thuộc Sở triển khai thực hiện Kế hoạch này./."]


def heading(text: str) -> dict[str, Any]:
    return {"text": text, "bold": True, "align": "center"}


PART_FORMS = {
    "two lines": ([heading("Phần thứ nhất"), heading("KẾT QUẢ THỰC HIỆN NĂM 2025")],
                  [heading("Phần thứ hai"), heading("KẾ HOẠCH NĂM 2026")],
                  ["Phần thứ nhất", "KẾT QUẢ THỰC HIỆN NĂM 2025"], ["Phần thứ hai", "KẾ HOẠCH NĂM 2026"]),
    "one line": ([heading("Phần thứ nhất: KẾT QUẢ THỰC HIỆN NĂM 2025")],
                 [heading("Phần thứ hai: KẾ HOẠCH NĂM 2026")],
                 "Phần thứ nhất: KẾT QUẢ THỰC HIỆN NĂM 2025", "Phần thứ hai: KẾ HOẠCH NĂM 2026"),
    "roman": ([heading("PHẦN I"), heading("KẾT QUẢ THỰC HIỆN NĂM 2025")],
              [heading("PHẦN II"), heading("KẾ HOẠCH NĂM 2026")],
              ["PHẦN I", "KẾT QUẢ THỰC HIỆN NĂM 2025"], ["PHẦN II", "KẾ HOẠCH NĂM 2026"]),
    "letters": ([{"text": "A. KẾT QUẢ THỰC HIỆN NĂM 2025", "bold": True}],
                [{"text": "B. KẾ HOẠCH NĂM 2026", "bold": True}],
                "A. KẾT QUẢ THỰC HIỆN NĂM 2025", "B. KẾ HOẠCH NĂM 2026"),
    "line break": ([heading("Phần thứ nhất\nKẾT QUẢ THỰC HIỆN NĂM 2025")],
                   [heading("Phần thứ hai\nKẾ HOẠCH NĂM 2026")],
                   ["Phần thứ nhất", "KẾT QUẢ THỰC HIỆN NĂM 2025"], ["Phần thứ hai", "KẾ HOẠCH NĂM 2026"]),
}


def parts_body(form: str) -> list[Any]:
    one, two, _, _ = PART_FORMS[form]
    return [*one, *PART_ONE, *two, *PART_TWO]


@pytest.mark.parametrize("form", list(PART_FORMS))
def test_parts_import_as_parts(tmp_path: Path, form: str) -> None:
    result = import_docx(build_plan(tmp_path / "parts.docx", body=parts_body(form)))
    assert [str(w) for w in result.warnings] == []
    data = result.data
    _, _, first, second = PART_FORMS[form]
    sections = data["sections"]
    assert [s["title"] for s in sections] == ["Kết quả đạt được", "Hạn chế", "Mục đích, yêu cầu",
                                              "Tổ chức thực hiện"]
    assert [s.get("part") for s in sections] == [first, None, second, None]
    assert "opening" not in data
    assert sections[1]["blocks"] == ["Kinh phí còn hạn chế."]


def test_parts_render_centred_bold_and_number_from_one(tmp_path: Path) -> None:
    path = build_plan(tmp_path / "parts.docx", body=parts_body("two lines"))
    out = tmp_path / "parts.yaml"
    import_file(path, out, force=True)
    back = tmp_path / "back.docx"
    back.write_bytes(render_plan(load_plan(out)))
    shown = printed(back)
    texts = [t for t, _, _ in shown]
    at = texts.index("Phần thứ nhất")
    assert texts[at:at + 3] == ["Phần thứ nhất", "KẾT QUẢ THỰC HIỆN NĂM 2025", "I. KẾT QUẢ ĐẠT ĐƯỢC"]
    at = texts.index("Phần thứ hai")
    assert texts[at:at + 3] == ["Phần thứ hai", "KẾ HOẠCH NĂM 2026", "I. MỤC ĐÍCH, YÊU CẦU"]
    assert "II. TỔ CHỨC THỰC HIỆN" in texts and "III. MỤC ĐÍCH, YÊU CẦU" not in texts
    for line in ("Phần thứ nhất", "KẾT QUẢ THỰC HIỆN NĂM 2025", "Phần thứ hai", "KẾ HOẠCH NĂM 2026"):
        assert (line, True, True) in shown
    # What `kehoach check` reads on our own output: the order restarts at each part, the part
    # headings are headings (not running text to justify).
    report = results(check_docx(back))
    assert report["PL1.III.6.muc.thu-tu"].status == PASS
    assert report["PL1.III.6.noi-dung.can-le"].status == PASS
    assert report["PL1.III.6.danh-so"].status == PASS
    # Imported again: the same parts.
    again = import_docx(back).data
    assert [s.get("part") for s in again["sections"]] == [s.get("part") for s in load_plan(out).model_dump()
                                                          ["sections"]]


def test_the_first_part_keeps_the_opening_before_it(tmp_path: Path) -> None:
    opening = "Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh, Sở ban hành Kế hoạch như sau:"
    data = import_docx(build_plan(tmp_path / "p.docx", body=[opening, *parts_body("one line")])).data
    assert data["opening"] == [opening]
    assert data["sections"][0]["part"] == "Phần thứ nhất: KẾT QUẢ THỰC HIỆN NĂM 2025"


def test_a_part_heading_without_mục_i_under_it_is_no_part(tmp_path: Path) -> None:
    """A "Phần" line over mục that go on counting (III after II) opens no part."""
    body = [*PART_FORMS["two lines"][0], *PART_ONE, heading("Phần thứ hai"),
            {"text": "III. TỔ CHỨC THỰC HIỆN", "bold": True}, "Các phòng triển khai Kế hoạch này./."]
    data = import_docx(build_plan(tmp_path / "p.docx", body=body)).data
    assert [s.get("part") for s in data["sections"]] == [["Phần thứ nhất", "KẾT QUẢ THỰC HIỆN NĂM 2025"], None,
                                                         None]


def parts_plan(tmp_path: Path) -> Path:
    path = build_plan(tmp_path / "parts.docx", body=parts_body("two lines"))
    out = tmp_path / "parts.yaml"
    import_file(path, out, force=True)
    return out


def test_a_data_file_with_parts_checks_its_order_by_part(tmp_path: Path) -> None:
    data = yaml.safe_load(parts_plan(tmp_path).read_text(encoding="utf-8"))
    # A part heading without the word "Phần": the data says it is one.
    data["sections"][2]["part"] = "KẾ HOẠCH NĂM 2026"
    path = tmp_path / "edited.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    report = results(check_file(path))
    assert report["PL1.III.6.muc.thu-tu"].status == PASS
    assert not [r for r in check_file(path).results if r.status == FAIL and r.severity == ERROR
                and r.rule.startswith("PL1.III.6.muc")]


def test_mục_labels_name_their_part(tmp_path: Path) -> None:
    plan = load_plan(parts_plan(tmp_path))
    labels = section_labels(plan.sections)
    assert labels == ["Phần thứ nhất – I. KẾT QUẢ ĐẠT ĐƯỢC", "Phần thứ nhất – II. HẠN CHẾ",
                      "Phần thứ hai – I. MỤC ĐÍCH, YÊU CẦU", "Phần thứ hai – II. TỔ CHỨC THỰC HIỆN"]
    assert len(set(labels)) == len(labels)


def test_tasks_of_two_parts_keep_their_own_mục(tmp_path: Path) -> None:
    table = {"table": {"columns": [{"title": "Nhiệm vụ"}, {"title": "Đơn vị chủ trì"}],
                       "rows": [["Tổ chức giải chạy", "Phòng Nghiệp vụ"]]}}
    data = yaml.safe_load(parts_plan(tmp_path).read_text(encoding="utf-8"))
    for k in (0, 2):
        data["sections"][k]["blocks"].append(table)
    plan = Plan.model_validate(data)
    sections = {t.section for t in plan_tasks(plan)}
    assert sections == {"Phần thứ nhất – I. KẾT QUẢ ĐẠT ĐƯỢC", "Phần thứ hai – I. MỤC ĐÍCH, YÊU CẦU"}


def test_data_written_before_parts_stays_valid_and_prints_the_same(tmp_path: Path) -> None:
    """No `part`: the numbering and the text printed are what they were."""
    data = yaml.safe_load(parts_plan(tmp_path).read_text(encoding="utf-8"))
    for s in data["sections"]:
        s.pop("part", None)
    back = tmp_path / "old.docx"
    back.write_bytes(render_plan(Plan.model_validate(data)))
    texts = [t for t, _, _ in printed(back)]
    assert ["I. KẾT QUẢ ĐẠT ĐƯỢC", "II. HẠN CHẾ", "III. MỤC ĐÍCH, YÊU CẦU", "IV. TỔ CHỨC THỰC HIỆN"] == \
        [t for t in texts if t[:1] in "IV" and ". " in t[:5]]


OLD_BLOCKS = template_builder.blocks_xml


def test_a_template_made_before_parts_still_renders_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A user's template without the part branch: it passes check-template and prints the part
    heading as a bold paragraph (its body text style), the mục numbered by part."""
    p = template_builder.p

    def old_blocks(var: str) -> str:
        return (p(f"{{%p for b in {var} %}}")
                + p('{%p if b.kind == "muc" %}') + p("{{r b.inline }}", "KHMuc")
                + p('{%p elif b.kind in ("khoan", "heading") %}') + p("{{r b.inline }}", "KHKhoan")
                + p('{%p elif b.kind == "table" %}') + p("{{p b.xml }}")
                + p("{%p else %}") + p("{{r b.inline }}", "KHNoiDung")
                + p("{%p endif %}") + p("{%p endfor %}"))

    monkeypatch.setattr(template_builder, "blocks_xml", old_blocks)
    template = tmp_path / "old-template.docx"
    template.write_bytes(template_builder.build())
    monkeypatch.setattr(template_builder, "blocks_xml", OLD_BLOCKS)
    assert "KHPhan" not in docx.Document(str(template)).element.body.xml
    assert check_template(template) == []
    back = tmp_path / "back.docx"
    back.write_bytes(render_plan(load_plan(parts_plan(tmp_path)), template))
    shown = printed(back)
    assert ("Phần thứ hai", True, False) in shown
    texts = [t for t, _, _ in shown]
    assert texts[texts.index("Phần thứ hai") + 2] == "I. MỤC ĐÍCH, YÊU CẦU"


def test_our_render_of_a_plan_with_parts_comes_back_exactly(tmp_path: Path) -> None:
    """The full-structure sample with two parts: rendered, imported with no warning, rendered again:
    the same printed text, the same data; the check finds the mục in order part by part."""
    data = yaml.safe_load(FULL.read_text(encoding="utf-8"))
    data["sections"][0]["part"] = ["Phần thứ nhất", "MỤC TIÊU CHUNG"]
    data["sections"][2]["part"] = "Phần thứ hai: TỔ CHỨC THỰC HIỆN"
    source = tmp_path / "parts.yaml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    first = tmp_path / "first.docx"
    first.write_bytes(render_plan(load_plan(source)))
    result = import_file(first, tmp_path / "one.yaml")
    assert result.warnings == []
    plan = load_plan(result.output)
    assert [s.part for s in plan.sections] == [["Phần thứ nhất", "MỤC TIÊU CHUNG"], None,
                                               ["Phần thứ hai: TỔ CHỨC THỰC HIỆN"]]
    second = tmp_path / "second.docx"
    second.write_bytes(render_plan(plan))
    assert cell_texts(first) == cell_texts(second)
    again = import_file(second, tmp_path / "two.yaml")
    assert yaml.safe_load(again.text) == yaml.safe_load(result.text)
    report = results(check_docx(first))
    assert report["PL1.III.6.muc.thu-tu"].status == PASS and report["PL1.III.6.muc"].status == PASS
    texts = cell_texts(first)
    assert texts.index("Phần thứ hai: TỔ CHỨC THỰC HIỆN") + 1 == texts.index("I. TỔ CHỨC THỰC HIỆN")


def test_a_table_between_a_part_heading_and_its_mục_keeps_the_order(tmp_path: Path) -> None:
    """Whatever stands between a part heading and mục I: every word kept, in print order."""
    from tests.word_fixtures import WordTable

    table = WordTable([["Chỉ tiêu", "Kết quả"], ["Số giải chạy", "3"]], [8, 8])
    body = [*PART_FORMS["two lines"][0], *PART_ONE, heading("Phần thứ hai"), table, *PART_TWO]
    path = build_plan(tmp_path / "p.docx", body=body)
    out = tmp_path / "p.yaml"
    import_file(path, out, force=True)
    back = tmp_path / "back.docx"
    back.write_bytes(render_plan(load_plan(out)))
    texts = cell_texts(back)
    assert texts.index("Phần thứ hai") < texts.index("Số giải chạy") < texts.index("Nâng cao sức khỏe cộng đồng.")
    # The mục printed "I." stays "I." (never renumbered silently), each step said in a warning.
    assert "I. MỤC ĐÍCH, YÊU CẦU" in texts and "III. MỤC ĐÍCH, YÊU CẦU" not in texts
    warnings = " ".join(str(w) for w in import_docx(path).warnings)
    assert "tiêu đề phần" in warnings and "không liền mạch" in warnings


def test_a_slash_list_restarting_in_each_decree_khoan_stays_text(tmp_path: Path) -> None:
    """Khoản typed "1." (Decree 30's form) with a "1/ 2/ 3/" list in each: the list is the khoản's
    text, as typed; the khoản keep their place (the list once took it, "2. Yêu cầu" became text)."""
    lists = [["1/ Nâng cao sức khỏe cộng đồng.", "2/ Lan tỏa phong trào rèn luyện.", "3/ Tăng cường đoàn kết."],
             ["1/ Tổ chức an toàn.", "2/ Tiết kiệm, hiệu quả.", "3/ Đúng thời gian."]]
    body = [PLAIN[0], {"text": "I. MỤC ĐÍCH, YÊU CẦU", "bold": True},
            {"text": "1. Mục đích", "bold": True}, "Các nhiệm vụ gồm:", *lists[0],
            {"text": "2. Yêu cầu", "bold": True}, "Yêu cầu gồm:", *lists[1],
            {"text": "II. TỔ CHỨC THỰC HIỆN", "bold": True}, "Các phòng triển khai Kế hoạch này./."]
    path = build_plan(tmp_path / "lists.docx", body=body)
    result = import_docx(path)
    assert [str(w) for w in result.warnings] == []
    # Nor does the checker say the khoản are typed "1/": they are typed as the Decree asks.
    assert results(check_docx(path))["PL1.III.6.danh-so"].status == PASS
    assert result.data["sections"][0]["blocks"] == [
        {"clause": "Mục đích", "blocks": ["Các nhiệm vụ gồm:", *lists[0]]},
        {"clause": "Yêu cầu", "blocks": ["Yêu cầu gồm:", *lists[1]]}]


def test_khoan_typed_slash_in_a_later_muc_are_still_khoan(tmp_path: Path) -> None:
    """A plan put together from two drafts: mục I types khoản "1.", mục II types them "1/": the
    "1/" lines stand under no "1." of their mục, so they are khoản, printed "1." again."""
    body = [PLAIN[0], {"text": "I. MỤC ĐÍCH, YÊU CẦU", "bold": True},
            {"text": "1. Mục đích", "bold": True}, "Nâng cao sức khỏe cộng đồng.",
            {"text": "2. Yêu cầu", "bold": True}, "Tổ chức an toàn.",
            {"text": "II. NỘI DUNG", "bold": True},
            {"text": "1/ Thời gian", "bold": True}, "Ngày 20/3/2026.",
            {"text": "2/ Địa điểm", "bold": True}, "Sân vận động tỉnh.",
            {"text": "3/ Đối tượng", "bold": True}, "Cán bộ, công chức.",
            {"text": "III. TỔ CHỨC THỰC HIỆN", "bold": True}, "Các phòng triển khai Kế hoạch này./."]
    data = import_docx(build_plan(tmp_path / "mixed.docx", body=body)).data
    assert [b["clause"] for b in data["sections"][1]["blocks"]] == ["Thời gian", "Địa điểm", "Đối tượng"]
    assert [b["clause"] for b in data["sections"][0]["blocks"]] == ["Mục đích", "Yêu cầu"]
