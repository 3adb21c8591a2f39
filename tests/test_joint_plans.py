"""Joint plans (văn bản liên tịch / phối hợp of two or three agencies): every signer is held in the data
(`co_signers` beside the lead `signer`), printed side by side with the lead agency's signer on the
right and the Nơi nhận under the signatures, read back by import, and measured by the checker, each
signer on its own. A name printed in capitals under the signing space is still the name."""

from __future__ import annotations

import copy
import io
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml

from generator.check import check_docx
from generator.document.render import render_plan
from generator.errors import TemplateError
from generator.jobs.importer import import_docx
from generator.nd30.names import ABBREVIATED_LEVELS, LEVELS
from generator.plan.loader import load_plan
from generator.plan.model import Plan
from generator.text import upper_vi
from tests.paths import SAMPLE
from tests.word_fixtures import Doc, add_para, build_plan

BODY = [{"text": "I. MỤC ĐÍCH, YÊU CẦU", "bold": True}, "Nâng cao nhận thức của cán bộ về phòng chống tác hại.",
        {"text": "II. NỘI DUNG", "bold": True}, "Tổ chức tuyên truyền tại các khu dân cư trong quý II./."]
CO_SIGNER = [("TM. BAN THƯỜNG TRỰC", True), ("CHỦ TỊCH", True), ("", False), ("", False), ("", False),
             ("Nguyễn Văn An", True)]
CO_SIGNER_DATA = {"name": "Nguyễn Văn An", "authority": "TM", "collective": "Ban Thường trực", "title": "Chủ tịch"}


def _joint(tmp_path: Path, co_signer: list[tuple[str, bool]] = CO_SIGNER, name: str = "lien-tich") -> Path:
    """A joint plan typed in Word: the two signers side by side in a borderless table, the Nơi nhận
    typed under it on the left (how agencies lay out a văn bản liên tịch)."""
    path = build_plan(tmp_path / f"{name}.docx", body=BODY)
    doc = docx.Document(str(path))
    nn_cell = doc.tables[-1].cell(0, 0)
    moved = [copy.deepcopy(p._p) for p in nn_cell.paragraphs]
    for p in list(nn_cell.paragraphs):
        p._p.getparent().remove(p._p)
    for text, bold in co_signer:
        add_para(nn_cell, text, align="center", bold=bold, before=0)
    anchor = doc.tables[-1]._tbl
    for el in reversed(moved):
        anchor.addnext(el)
    doc.save(str(path))
    return path


def _joint_data(**co: Any) -> dict[str, Any]:
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    data["co_signers"] = [{**CO_SIGNER_DATA, **co}]
    return data


# --- import ----------------------------------------------------------------------------------------

def test_import_holds_the_co_signer_and_says_nothing_of_it(tmp_path: Path) -> None:
    plain = build_plan(tmp_path / "plain.docx", body=BODY)
    want, got = import_docx(plain), import_docx(_joint(tmp_path))
    assert got.data["co_signers"] == [CO_SIGNER_DATA]
    assert got.data["signer"] == want.data["signer"]
    assert {k: v for k, v in got.data.items() if k != "co_signers"} == want.data
    assert [n for n in got.warnings if n not in want.warnings] == []
    Plan.model_validate(got.data)


def test_a_name_printed_in_capitals_under_the_signing_space_is_the_name(tmp_path: Path) -> None:
    # Both the co-signer's and the lead signer's names in capitals: the blocks are still read as
    # signers (title lines, the signing space, the name), the names kept as printed.
    caps = [*CO_SIGNER[:-1], ("NGUYỄN VĂN AN", True)]
    path = _joint(tmp_path, caps, "hoa")
    doc = docx.Document(str(path))
    lead = doc.tables[-1].cell(0, 1).paragraphs[-1]
    lead.runs[0].text = "LÊ THỊ HẠNH"
    doc.save(str(path))
    data = import_docx(path).data
    assert data["signer"]["name"] == "LÊ THỊ HẠNH"
    assert data["co_signers"][0]["name"] == "NGUYỄN VĂN AN"
    assert data["recipients"] == ["Ủy ban nhân dân tỉnh", "Các phòng thuộc Sở"]
    assert "NGUYỄN VĂN AN" not in str(data["sections"]) and "Nơi nhận" not in str(data["sections"])


def test_a_name_in_capitals_with_no_table_is_the_name(tmp_path: Path) -> None:
    # No table: the signer's lines set in the right half with an indent, the name in capitals.
    from docx.shared import Cm

    path = build_plan(tmp_path / "khong-bang.docx", body=BODY, signer_name="LÊ THỊ HẠNH")
    doc = docx.Document(str(path))
    table = doc.tables[-1]
    noi_nhan, signer = ([copy.deepcopy(p._p) for p in c.paragraphs] for c in (table.cell(0, 0), table.cell(0, 1)))
    anchor = table._tbl.getprevious()
    table._tbl.getparent().remove(table._tbl)
    for el in [*signer, *noi_nhan]:
        anchor.addnext(el)
        anchor = el
    for p in doc.paragraphs:
        if p._p in signer:
            p.paragraph_format.left_indent = Cm(8)
    doc.save(str(path))
    data = import_docx(path).data
    assert data["signer"]["name"] == "LÊ THỊ HẠNH"
    assert data["signer"]["authority"] == "KT"
    assert data["recipients"] == ["Ủy ban nhân dân tỉnh", "Các phòng thuộc Sở"]
    assert "LÊ THỊ HẠNH" not in str(data["sections"])


def test_a_body_line_in_capitals_is_no_name(tmp_path: Path) -> None:
    # Capital lines with no signing space between them (a heading over another) are no signer's block.
    body = [*BODY[:-1], {"text": "III. TỔ CHỨC THỰC HIỆN", "bold": True, "align": "center"},
            {"text": "PHÂN CÔNG NHIỆM VỤ", "bold": True, "align": "center"}, BODY[-1]]
    path = build_plan(tmp_path / "tieu-de.docx", body=body)
    data = import_docx(path).data
    assert "PHÂN CÔNG NHIỆM VỤ" in str(data["sections"]) and "co_signers" not in data


# --- render ----------------------------------------------------------------------------------------

def _rendered(tmp_path: Path, data: dict[str, Any], name: str = "joint.docx") -> Path:
    out = tmp_path / name
    out.write_bytes(render_plan(Plan.model_validate(data)))
    return out


def _signature_table(path: Path) -> Any:
    return next(t for t in docx.Document(str(path)).tables if "Nguyễn Văn Thành" in t._tbl.xml)


def _columns(table: Any) -> list[list[str]]:
    """Each column's printed lines, top to bottom."""
    return [[p.text for row in table.rows for p in row.cells[k].paragraphs if p.text]
            for k in range(len(table.columns))]


def test_render_prints_each_signer_side_by_side_the_lead_on_the_right(tmp_path: Path) -> None:
    out = _rendered(tmp_path, _joint_data())
    sig = _signature_table(out)
    assert len(sig.columns) == 2
    left, right = _columns(sig)
    assert left == ["TM. BAN THƯỜNG TRỰC", "CHỦ TỊCH", "Nguyễn Văn An"]
    assert right == ["GIÁM ĐỐC", "Nguyễn Văn Thành"]
    # The names on one line whatever the number of title lines above them: in the same row.
    assert [c.text.strip() for c in sig.rows[-1].cells] == ["Nguyễn Văn An", "Nguyễn Văn Thành"]
    printed = Doc(out)
    for text in ("TM. BAN THƯỜNG TRỰC", "CHỦ TỊCH", "Nguyễn Văn An", "GIÁM ĐỐC", "Nguyễn Văn Thành"):
        assert printed.find(text).bold, text
    # The Nơi nhận under the signatures, at the left margin, outside the table.
    nn = printed.find("Nơi nhận:")
    assert not nn.in_table and nn.bold and nn.italic
    texts = printed.texts(tables=True)
    assert texts.index("Nơi nhận:") > texts.index("Nguyễn Văn Thành")
    assert printed.after("Nơi nhận:", 1)[0].startswith("- ")


def test_three_agencies_three_columns(tmp_path: Path) -> None:
    data = _joint_data()
    data["co_signers"].append({"name": "Trần Thị Bình", "title": "Bí thư"})
    out = _rendered(tmp_path, data)
    sig = _signature_table(out)
    assert [c[-1] for c in _columns(sig)] == ["Nguyễn Văn An", "Trần Thị Bình", "Nguyễn Văn Thành"]
    assert [c[0] for c in _columns(sig)] == ["TM. BAN THƯỜNG TRỰC", "BÍ THƯ", "GIÁM ĐỐC"]


def test_a_joint_render_reads_back_and_checks_like_the_plain_one(tmp_path: Path) -> None:
    plain = tmp_path / "plain.docx"
    plain.write_bytes(render_plan(load_plan(SAMPLE)))
    joint = _rendered(tmp_path, _joint_data())

    def findings(path: Path) -> set[tuple[str, str, str]]:
        # Each signer is measured: the joint plan has the same rules and outcomes, more of them.
        return {(r.rule, r.status, r.severity) for r in check_docx(path).results}

    assert findings(joint) == findings(plain)
    joint_results = check_docx(joint).results
    assert not [r for r in joint_results if r.status == "fail" and r.rule.startswith(("PL1.III.7", "PL1.III.9"))]
    assert {r.element for r in joint_results if r.rule == "PL1.III.7.ho-ten.kieu-chu"} == {"Người ký", "Người ký liên tịch"}
    back = import_docx(joint).data
    assert back["co_signers"] == [CO_SIGNER_DATA]
    assert back["signer"] == import_docx(plain).data["signer"]
    assert back["recipients"] == import_docx(plain).data["recipients"]


def test_the_template_has_no_joint_layout_a_one_signer_plan_renders_a_joint_one_is_refused(tmp_path: Path) -> None:
    # A user's template made before joint plans: the one-signer table only. It keeps rendering plans
    # with one signer; a joint plan is refused with what to do, not printed without its co-signer.
    from generator.document.template_builder import build

    data = build()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("word/document.xml").decode()
        start = xml.index("{%p if co_signers %}")
        inner = xml.index("{%p else %}", start)  # two or three agencies
        else_at = xml.index("{%p else %}", inner + 1)  # one signer
        end = xml.index("{%p endif %}", else_at)
        # Cut the tag paragraphs and the joint branch, keep the one-signer table.
        p_start = xml.rindex("<w:p>", 0, start)
        p_else_end = xml.index("</w:p>", else_at) + len("</w:p>")
        p_end_start = xml.rindex("<w:p>", 0, end)
        p_end_end = xml.index("</w:p>", end) + len("</w:p>")
        old = xml[:p_start] + xml[p_else_end:p_end_start] + xml[p_end_end:]
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
            for item in z.infolist():
                out.writestr(item, old if item.filename == "word/document.xml" else z.read(item.filename))
    template = tmp_path / "mau-cu.docx"
    template.write_bytes(buf.getvalue())
    assert "co_signers" not in old
    one = tmp_path / "mot.docx"
    one.write_bytes(render_plan(load_plan(SAMPLE), template))
    assert "Nguyễn Văn Thành" in Doc(one).texts(tables=True)
    with pytest.raises(TemplateError) as err:
        render_plan(Plan.model_validate(_joint_data()), template)
    message = str(err.value)
    assert "liên tịch" in message and "co_signers" in message and "kehoach template" in message


def test_old_data_stays_valid_and_too_many_co_signers_is_said() -> None:
    assert load_plan(SAMPLE).co_signers == []
    data = _joint_data()
    data["co_signers"] *= 3
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        Plan.model_validate(data)


# --- check -----------------------------------------------------------------------------------------

def test_check_measures_each_signer(tmp_path: Path) -> None:
    # The co-signer's authority written "TM " without its dot, its name not bold: said for that signer,
    # the lead signer's lines still pass.
    bad = [("TM BAN THƯỜNG TRỰC", True), ("CHỦ TỊCH", True), ("", False), ("", False), ("", False),
           ("Nguyễn Văn An", False)]
    results = check_docx(_joint(tmp_path, bad, "sai")).results
    failed = [r for r in results if r.status == "fail"]
    form = [r for r in failed if r.rule == "PL1.III.7.tham-quyen.hinh-thuc"]
    assert len(form) == 1 and "TM BAN THƯỜNG TRỰC" in form[0].measured
    weight = [r for r in failed if r.rule == "PL1.III.7.ho-ten.kieu-chu"]
    assert len(weight) == 1 and "liên tịch" in weight[0].element
    good = check_docx(_joint(tmp_path)).results
    assert not [r for r in good if r.rule.startswith("PL1.III.7") and r.status == "fail"]


def test_corpus_single_signer_plans_have_no_co_signer() -> None:
    corpus = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "ke-hoach"
    if not corpus.is_dir():
        pytest.skip("corpus absent")
    for path in sorted(corpus.glob("*.docx")):
        try:
            data = import_docx(path).data
        except Exception:  # noqa: BLE001 - a file the importer refuses is another test's matter
            continue
        assert "co_signers" not in data, path.name




# --- what uses the signer ----------------------------------------------------------------------------

def _joint_file(tmp_path: Path) -> Path:
    path = tmp_path / "lien-tich.yaml"
    path.write_text(yaml.safe_dump(_joint_data(), allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_register_entry_names_every_signer(tmp_path: Path) -> None:
    from generator.jobs.issue import with_issue
    from generator.jobs.record import metadata
    from generator.recognise import read_docx

    plan = with_issue(Plan.model_validate(_joint_data()), number=5, date="02/03/2024")
    out = tmp_path / "kh.docx"
    out.write_bytes(render_plan(plan))
    entry = metadata(plan, out)
    doc = read_docx(out)
    assert entry["nguoi_ky"] == doc.signer_name.text
    [co] = doc.co_signers
    assert entry["nguoi_ky_lien_tich"] == [{"chuc_vu_nguoi_ky": ", ".join(p.text for p in co.lines),
                                           "nguoi_ky": co.name.text}]
    assert "nguoi_ky_lien_tich" not in metadata(with_issue(load_plan(SAMPLE), number=5, date="02/03/2024"), out)


def test_the_signing_copy_of_a_joint_plan_says_kehoach_sign_cannot_sign_it(tmp_path: Path) -> None:
    from generator.jobs.issue import issue_file

    done = issue_file(_joint_file(tmp_path), tmp_path / "trinh-ky.docx", final=True, unnumbered=True)
    assert any("liên tịch" in w and "kehoach sign" in w for w in done.warnings), done.warnings
    assert "Nguyễn Văn An" in Doc(done.docx).texts(tables=True)


def test_batch_says_a_unit_keeps_the_model_plans_co_signers(tmp_path: Path) -> None:
    from generator.jobs.batch import run_batch

    units = tmp_path / "u.yaml"
    units.write_text("mode: implementing\nunits:\n  - name: Sở Nội vụ\n    agency: {abbreviation: SNV}\n",
                     encoding="utf-8")
    result = run_batch(_joint_file(tmp_path), units, tmp_path / "out", jobs=1)
    said = [w for w in result.warnings if "cùng ban hành" in w]
    assert len(said) == 1 and "Nguyễn Văn An" in said[0] and "co_signers" in said[0], result.warnings


# --- the header: each issuing agency ------------------------------------------------------------

def _joint_with_header(tmp_path: Path, parent: tuple[str, ...], issuer: tuple[str, ...], name: str) -> Path:
    from tests import word_fixtures

    path = _joint(tmp_path, name=name)
    plain = word_fixtures.build_plan(tmp_path / f"{name}-dau.docx", body=BODY,
                                     header=word_fixtures.Header(parent=parent, issuer=issuer))
    # The joint plan's header replaced by one that names every issuing agency.
    doc, head = docx.Document(str(path)), docx.Document(str(plain))
    doc.tables[0]._tbl.getparent().replace(doc.tables[0]._tbl, copy.deepcopy(head.tables[0]._tbl))
    doc.save(str(path))
    return path


@pytest.mark.parametrize(("parent", "issuer", "want"), [
    # A parent in regular weight over two bold names.
    (("UBND TỈNH LÀO CAI",), ("SỞ Y TẾ", "HỘI CHỮ THẬP ĐỎ TỈNH"),
     {"parent": "UBND tỉnh Lào Cai", "name": "Sở Y tế", "co_issuers": ["Hội Chữ thập đỏ tỉnh"]}),
    # Two bold names and no parent: the first is no parent (it would print in regular weight).
    ((), ("ỦY BAN NHÂN DÂN XÃ AN BÌNH", "BAN THƯỜNG TRỰC ỦY BAN MTTQ"),
     {"name": "Ủy ban nhân dân xã An Bình", "co_issuers": ["Ban Thường trực Ủy ban MTTQ"]}),
    # A name whose last line starts like a place ("TỈNH ĐOÀN") is another agency when the page has
    # one signer more; a name over two lines stays one.
    (("UBND TỈNH LÀO CAI",), ("SỞ VĂN HÓA, THỂ THAO", "VÀ DU LỊCH", "TỈNH ĐOÀN"),
     {"parent": "UBND tỉnh Lào Cai", "name": ["Sở Văn hóa, Thể thao", "và Du lịch"], "co_issuers": ["Tỉnh đoàn"]}),
], ids=["chu-quan", "khong-chu-quan", "ten-hai-dong"])
def test_import_names_every_issuing_agency(tmp_path: Path, parent: tuple[str, ...], issuer: tuple[str, ...],
                                           want: dict[str, Any]) -> None:
    path = _joint_with_header(tmp_path, parent, issuer, "dau")
    agency = import_docx(path).data["agency"]
    # A name Word wraps in the narrow column is kept on its printed lines ("…\n…"): read as one.
    assert {k: yaml.safe_load(yaml.safe_dump(agency[k]).replace("\\n", " ")) for k in want} == want
    assert "parent" in agency or not parent
    # Every issuer is judged as one (bold): no false alarm on the weight of a "parent".
    results = check_docx(path).results
    assert not [r for r in results if r.rule.startswith("PL1.III.2") and r.status == "fail"]


# Every level of Phụ lục II's list as a header prints it (a level written short with its dot), and as
# running text writes it (in lower case; the abbreviation as printed).
PRINTED_LEVELS = [(level + ".", level + ".") if level in ABBREVIATED_LEVELS else (upper_vi(level), level)
                  for level in LEVELS]


@pytest.mark.parametrize(("level", "written"), PRINTED_LEVELS)
def test_a_line_opening_with_a_level_goes_on_the_name_above(tmp_path: Path, level: str, written: str) -> None:
    """The lead agency's name over two bold lines, its second opening with the place's level
    ("ỦY BAN NHÂN DÂN" / "TP. BẾN ĐÁ"), and a co-issuer under it: two issuers, whatever the level and
    however it is written, the second line no agency of its own."""
    path = _joint_with_header(tmp_path, (), ("ỦY BAN NHÂN DÂN", f"{level} BẾN ĐÁ", "HỘI NÔNG DÂN"), "cap")
    agency = import_docx(path).data["agency"]
    assert agency["name"] == ["Ủy ban nhân dân", f"{written} Bến Đá"]
    assert agency["co_issuers"] == ["Hội Nông dân"]
    assert "parent" not in agency


def test_render_prints_each_issuing_agency_in_bold_under_the_lead(tmp_path: Path) -> None:
    data = _joint_data()
    data["agency"]["co_issuers"] = ["Hội Nông dân tỉnh Quảng Ngãi"]
    out = _rendered(tmp_path, data)
    printed = Doc(out)
    names = [p for p in printed.paras if p.style == "KHCoQuanBanHanh"]
    assert [" ".join(p.text.split()) for p in names] == ["SỞ KHOA HỌC VÀ CÔNG NGHỆ", "HỘI NÔNG DÂN TỈNH QUẢNG NGÃI"]
    assert all(p.bold for p in names)
    back = import_docx(out).data
    # Read back on the lines it prints on (the renderer broke it in two balanced lines).
    [co_issuer] = back["agency"]["co_issuers"]
    assert " ".join(co_issuer if isinstance(co_issuer, list) else [co_issuer]) == "Hội Nông dân tỉnh Quảng Ngãi"
    assert back["agency"]["name"] == "Sở Khoa học và Công nghệ"
    report = check_docx(out)
    assert not [r for r in report.results if r.is_error], [r for r in report.results if r.is_error]


def test_a_joint_data_file_is_checked_for_every_signer(tmp_path: Path) -> None:
    from generator.check import check_data

    report = check_data(_joint_file(tmp_path))
    assert {r.element for r in report.results if r.rule.startswith("PL1.III.7")} == {"Người ký", "Người ký liên tịch"}
    assert not [r for r in report.results if r.is_error]


def test_the_decision_issuing_a_joint_plan_is_the_lead_agencys(tmp_path: Path) -> None:
    # Dossier: the Quyết định is the lead agency's and its signer signs it by default; the joint plan's
    # other agencies are not the decision's issuers.
    from generator.jobs.dossier import dossier_plans

    data = yaml.safe_load((Path(__file__).parent.parent / "data" / "ho-so-ke-hoach-tuyen-truyen-cchc-2026.yaml")
                          .read_text(encoding="utf-8"))
    data["agency"]["co_issuers"] = ["Hội Nông dân tỉnh Lâm Đồng"]
    data["co_signers"] = [CO_SIGNER_DATA]
    plans = dossier_plans(Plan.model_validate(data))
    decision = next(p for p in plans.values() if p.type.value == "Quyết định")
    assert decision.agency.co_issuers == [] and decision.co_signers == []
    assert decision.signer == Plan.model_validate(data).signer


def test_the_signing_space_is_measured_for_each_signer(tmp_path: Path) -> None:
    # The co-signer's name typed right under its title: no room to sign and seal; the lead signer's
    # block (three empty lines) and a correct joint render leave room.
    cramped = [("TM. BAN THƯỜNG TRỰC", True), ("CHỦ TỊCH", True), ("Nguyễn Văn An", True)]
    results = check_docx(_joint(tmp_path, cramped, "sat")).results
    space = {r.element: r for r in results if r.rule == "PL1.III.7.khoang-ky"}
    assert space["Người ký liên tịch"].status == "fail" and space["Người ký liên tịch"].measured == "0.0 dòng"
    assert space["Người ký"].status == "pass"
    rendered = check_docx(_rendered(tmp_path, _joint_data())).results
    assert [r.status for r in rendered if r.rule == "PL1.III.7.khoang-ky"] == ["pass", "pass"]


def test_four_signers_keep_the_two_co_signers_nearest_the_lead_and_say_the_other(tmp_path: Path) -> None:
    path = build_plan(tmp_path / "bon.docx", body=BODY)
    doc = docx.Document(str(path))
    table = doc.tables[-1]
    moved = [copy.deepcopy(p._p) for p in table.cell(0, 0).paragraphs]
    for _ in range(2):
        table.add_column(docx.shared.Cm(4))
    people = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"]
    for k, who in enumerate(people):
        cell = table.cell(0, k)
        for p in list(cell.paragraphs):
            p._p.getparent().remove(p._p)
        for text, bold in [*CO_SIGNER[:-1], (who, True)]:
            add_para(cell, text, align="center", bold=bold, before=0)
    # The lead signer's block moves to the last column.
    lead = build_plan(tmp_path / "lead.docx", body=BODY)
    src = docx.Document(str(lead)).tables[-1].cell(0, 1)
    last = table.cell(0, 3)
    for p in list(last.paragraphs):
        p._p.getparent().remove(p._p)
    for p in src.paragraphs:
        last._tc.append(copy.deepcopy(p._p))
    anchor = table._tbl
    for el in reversed(moved):
        anchor.addnext(el)
    doc.save(str(path))
    got = import_docx(path)
    assert [s["name"] for s in got.data["co_signers"]] == people[1:]
    assert got.data["signer"]["name"] == "Lê Thị Hạnh"
    said = [n for n in got.warnings if "liên tịch" in n.message]
    assert len(said) == 1 and "Nguyễn Văn An" in said[0].excerpt
    Plan.model_validate(got.data)
