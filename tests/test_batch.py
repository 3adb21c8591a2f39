"""Batch unit-specific copies: both cases from the samples, overrides, extracts, file names, errors,
exit codes, and byte-identity with a single render."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from openxml_audit import OpenXmlValidator

from generator.jobs.batch import RenderPool, file_names, prepare_batch, run_batch
from generator.cli import main
from generator.nd30 import BLANK_DAY
from generator.errors import DataError
from generator.plan.merge import deep_merge, merge_unit
from generator.document.render import render_plan

from tests.paths import ROOT, SAMPLE

PLAN = SAMPLE
IMPLEMENTING = ROOT / "data" / "don-vi-trien-khai.yaml"
INTERNAL = ROOT / "data" / "don-vi-noi-bo-skhcn.yaml"
BASE_AGENCY = "Sở Khoa học và Công nghệ"


# --- helpers: reading what a reader of the document sees ------------------------------------

def body_text(path: Path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


def paragraphs(path: Path) -> list[str]:
    """Every paragraph in document order, table cells included (the signature block is a table)."""
    from docx.text.paragraph import Paragraph

    doc = Document(str(path))
    return [Paragraph(p, doc).text for p in doc.element.body.iter(qn("w:p"))]


def catalogue(path: Path) -> list[list[str]]:
    """Rows of the appendix table (after its header row) as lists of distinct cell texts."""
    doc = Document(str(path))
    table = next(t for t in doc.tables if t.rows[0].cells[0].text.strip() == "STT")
    rows = []
    for row in table.rows[1:]:
        cells, seen = [], set()
        for cell in row.cells:  # a merged group row repeats the same cell object
            if id(cell._tc) not in seen:
                seen.add(id(cell._tc))
                cells.append(cell.text)
        rows.append(cells)
    return rows


def assert_valid_docx(path: Path) -> None:
    """Schema-valid, Times New Roman everywhere, A4 sections with ND30 margins, no template left."""
    assert OpenXmlValidator().validate(str(path)).is_valid, path
    with zipfile.ZipFile(path) as z:
        xml = {n: z.read(n) for n in z.namelist() if n.endswith(".xml")}
    from lxml import etree

    for name in ("word/document.xml", "word/styles.xml"):
        root = etree.fromstring(xml[name])
        for fonts in root.iter(qn("w:rFonts")):
            for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
                value = fonts.get(qn(slot))
                assert value in (None, "Times New Roman"), (name, slot, value)
    doc = Document(str(path))
    mm = 36000  # EMU per millimetre
    for section in doc.sections:
        w, h = sorted((round(section.page_width / mm), round(section.page_height / mm)))
        assert (w, h) == (210, 297)
        portrait = section.page_height > section.page_width
        top, bottom = section.top_margin / mm, section.bottom_margin / mm
        left, right = section.left_margin / mm, section.right_margin / mm
        if portrait:
            assert 19.5 <= top <= 25.5 and 19.5 <= bottom <= 25.5
            assert 29.5 <= left <= 35.5 and 14.5 <= right <= 20.5
    text = body_text(path)
    for leftover in ("{{", "{%", "}}", "%}", "None"):
        assert leftover not in text


@pytest.fixture(scope="module")
def implementing(tmp_path_factory):
    out = tmp_path_factory.mktemp("implementing")
    return run_batch(PLAN, IMPLEMENTING, out, jobs=2)


@pytest.fixture(scope="module")
def internal(tmp_path_factory):
    out = tmp_path_factory.mktemp("internal")
    return run_batch(PLAN, INTERNAL, out, jobs=1)


def written(result) -> dict[str, Path]:
    return {d.spec.name: d.path for d in result.written}


# --- case (a): implementing plans -----------------------------------------------------------

def test_implementing_sample_writes_one_valid_document_per_department(implementing):
    assert implementing.ok and implementing.warnings == []
    docs = written(implementing)
    assert set(docs) == {"Sở Tư pháp", "Sở Tài chính", "Sở Y tế"}
    assert sorted(p.name for p in docs.values()) == ["so-tai-chinh.docx", "so-tu-phap.docx", "so-y-te.docx"]
    for path in docs.values():
        assert_valid_docx(path)


def test_overrides_land_in_header_symbol_signer_recipients_and_text(implementing):
    path = written(implementing)["Sở Tư pháp"]
    paras = paragraphs(path)
    text = body_text(path)
    assert "SỞ TƯ PHÁP" in text and "UBND TỈNH QUẢNG NGÃI" in text  # name overridden, parent kept
    assert "SỞ KHOA HỌC VÀ CÔNG NGHỆ" not in text
    assert "/KH-STP" in text and "KH-SKHCN" not in text
    assert "Nguyễn Văn A" in paras and "Nguyễn Văn Thành" not in text
    # The trích yếu and the opening named the model agency: resolved to the unit's own name.
    assert any(p.endswith("năm 2024 của Sở Tư pháp") for p in paras)
    assert any("Sở Tư pháp ban hành Kế hoạch truyền thông" in p for p in paras)
    # Recipients are the unit's own list (replaced, not appended); it names Sở KHCN on purpose.
    nhan = paras[paras.index("Nơi nhận:") + 1:]
    assert nhan[:5] == ["- Văn phòng UBND tỉnh;", "- Sở Khoa học và Công nghệ;", "- GĐ, các PGĐ Sở;",
                        "- Các phòng, đơn vị thuộc Sở;", "- Lưu: VT, VP."]
    # Everywhere else the model agency's name is gone; the cited provincial plan is untouched.
    assert text.count(BASE_AGENCY) == 1
    assert "Kế hoạch số 36/KH-UBND ngày 07/02/2024 của UBND tỉnh Quảng Ngãi" in text
    # Own references overridden field by field (deep merge): number and date from the unit,
    # the subject inherited; the symbol derived from the unit's abbreviation.
    assert "Kế hoạch số 112/KH-STP ngày 28/12/2023 của Sở Tư pháp về công tác CCHC năm 2024" in text
    # Renamed units follow in the catalogue and in inherited free text.
    rows = catalogue(path)
    assert rows[1][2] == "- Các phòng, đơn vị thực hiện giải quyết TTHC;\n- Văn phòng Sở."
    assert "Văn phòng Sở và các phòng, đơn vị có liên quan" in text
    assert "Phòng Hành chính - Tổng hợp" not in text


def test_signer_authority_and_draft_date_per_unit(implementing):
    finance = paragraphs(written(implementing)["Sở Tài chính"])
    assert "KT. GIÁM ĐỐC" in finance and "PHÓ GIÁM ĐỐC" in finance and "Trần Thị B" in finance
    health = paragraphs(written(implementing)["Sở Y tế"])
    assert f"Quảng Ngãi, ngày {BLANK_DAY} tháng 3 năm 2024" in health  # date: 2024-03, a draft


def test_batch_output_is_byte_identical_to_a_single_render_of_the_merged_plan(implementing, tmp_path):
    prepared = prepare_batch(PLAN, IMPLEMENTING, tmp_path)
    for job in prepared.jobs:
        batch_bytes = next(d.path for d in implementing.written if d.spec.index == job.spec.index).read_bytes()
        assert batch_bytes == render_plan(job.plan)


def test_fast_render_path_gives_the_same_bytes_as_plain_docxtpl(tmp_path):
    """render.Template caches the template's parts and patch_xml and zips parts once; the bytes must
    be those of the straightforward pipeline: DocxTemplate + save + deterministic_zip."""
    from docxtpl import DocxTemplate

    from generator.document.context import build_context
    from generator.document.layout import finish_layout
    from generator.document.seal import seal
    from generator.word.package import deterministic_zip, zip_members
    from generator.document.render import DEFAULT_TEMPLATE, _Environment, _set_properties

    prepared = prepare_batch(PLAN, INTERNAL, tmp_path)
    for job in prepared.jobs[:2] + prepared.jobs[-1:]:
        tpl = DocxTemplate(str(DEFAULT_TEMPLATE))
        tpl.render(build_context(job.plan), _Environment(), autoescape=True)
        finish_layout(tpl.docx)
        _set_properties(tpl.docx, job.plan)
        buf = io.BytesIO()
        tpl.docx.save(buf)
        # ...plus the seal every kehoach document carries (generator.document.seal, issue 16).
        plain = zipfile.ZipFile(io.BytesIO(deterministic_zip(buf.getvalue())))
        members = {name: plain.read(name) for name in plain.namelist()}
        assert zip_members(seal(members, job.plan)) == render_plan(job.plan)


def test_parallel_and_serial_runs_write_the_same_bytes(tmp_path):
    a = run_batch(PLAN, INTERNAL, tmp_path / "a", jobs=2)
    b = run_batch(PLAN, INTERNAL, tmp_path / "b", jobs=1)
    assert [d.path.name for d in a.written] == [d.path.name for d in b.written]
    for x, y in zip(a.written, b.written):
        assert x.path.read_bytes() == y.path.read_bytes()


# --- case (b): internal copies and extracts -------------------------------------------------

def test_internal_sample_writes_valid_copies_named_after_units(internal):
    assert internal.ok and internal.warnings == []
    names = [d.path.name for d in internal.written]
    assert names == [
        "phong-hanh-chinh-tong-hop.docx",
        "phong-quan-ly-khoa-hoc.docx",
        "phong-quan-ly-cong-nghe-va-phat-trien-thi-truong.docx",
        "chi-cuc-tieu-chuan-do-luong-chat-luong.docx",
        "trung-tam-ung-dung-va-dich-vu-khoa-hoc-va-cong-nghe.docx",
    ]
    for d in internal.written:
        assert_valid_docx(d.path)
        paras = paragraphs(d.path)
        # addressed to the unit: first in Nơi nhận
        assert paras[paras.index("Nơi nhận:") + 1] == f"- {d.spec.name};"


def test_full_copy_keeps_the_whole_catalogue_unmarked(internal):
    rows = catalogue(written(internal)["Phòng Hành chính - Tổng hợp"])
    groups = [r[0] for r in rows if len(r) == 2]
    tasks = [r for r in rows if len(r) == 5]
    assert groups == ["I", "II", "III", "IV"] and len(tasks) == 11
    assert not any("(Chủ trì)" in r[1] or "(Phối hợp)" in r[1] for r in tasks)


def test_extract_keeps_exactly_the_units_rows_renumbered(internal):
    path = written(internal)["Trung tâm Ứng dụng và Dịch vụ khoa học và Công nghệ"]
    rows = catalogue(path)
    # Model plan: supports I.2 and I.3 (as one of "các phòng, đơn vị thuộc Sở"), leads III.3.
    # Groups II and IV have nothing for it and are dropped; III becomes II; STT restart per group.
    assert [r[0] for r in rows] == ["I", "1", "2", "II", "1"]
    assert rows[0][1] == "Truyền thông hỗ trợ công tác kiểm soát thủ tục hành chính"
    assert rows[1][1].startswith("Các quy định, chính sách pháp luật về hoạt động giải quyết TTHC")
    assert rows[1][1].endswith("\n(Phối hợp)")
    assert rows[2][1].startswith("Tuyên truyền về các kết quả, các mô hình") and rows[2][1].endswith("\n(Phối hợp)")
    assert rows[3][1] == "Truyền thông hỗ trợ việc rà soát, đơn giản hóa TTHC; công khai TTHC"
    assert rows[4][1].startswith("Đăng tải, niêm yết công khai") and rows[4][1].endswith("\n(Chủ trì)")
    assert rows[4][2] == "- Phòng Hành chính - Tổng hợp;\n- Trung tâm Ứng dụng và Dịch vụ khoa học và Công nghệ."
    text = body_text(path)
    assert "(Trích các nhiệm vụ Trung tâm Ứng dụng và Dịch vụ khoa học và Công nghệ chủ trì hoặc " \
           "phối hợp thực hiện)" in text
    # The body is the whole plan.
    assert "IV. TỔ CHỨC THỰC HIỆN" in paragraphs(path)


def test_extract_roles_through_collective_units_and_free_text(internal):
    rows = catalogue(written(internal)["Chi cục Tiêu chuẩn Đo lường Chất lượng"])
    tasks = [r for r in rows if len(r) == 5]
    roles = [r[1].rsplit("\n", 1)[1] for r in tasks]
    # Member of "các phòng, đơn vị thực hiện giải quyết TTHC" (lead of I.1, II.1, III.1, III.2,
    # IV.2, IV.3) and of "có liên quan"/"thuộc Sở" (support of every other task).
    assert roles == ["(Chủ trì)", "(Phối hợp)", "(Phối hợp)", "(Chủ trì)", "(Phối hợp)",
                     "(Chủ trì)", "(Chủ trì)", "(Phối hợp)", "(Phối hợp)", "(Chủ trì)", "(Chủ trì)"]


def test_extract_of_a_unit_with_no_tasks_is_written_with_a_warning(tmp_path):
    units = tmp_path / "u.yaml"
    units.write_text("mode: internal\nextract: true\nunits:\n  - unit: phong_qlkh\n", encoding="utf-8")
    result = run_batch(PLAN, units, tmp_path / "out", jobs=1)
    assert result.ok and len(result.written) == 1
    assert "không chủ trì hay phối hợp nhiệm vụ nào" in result.warnings[0]
    # No empty catalogue (a plan with an appendix of no group is not a valid plan): no appendix.
    doc = Document(str(result.written[0].path))
    assert not any(t.rows[0].cells[0].text.strip() == "STT" for t in doc.tables)
    assert "DANH MỤC" not in [p.text for p in doc.paragraphs]
    assert_valid_docx(result.written[0].path)


# --- merging --------------------------------------------------------------------------------

def test_deep_merge_merges_mappings_and_replaces_lists():
    base = {"a": {"x": 1, "y": [1, 2]}, "b": [1], "c": "t"}
    over = {"a": {"y": [3]}, "b": [], "d": None}
    assert deep_merge(base, over) == {"a": {"x": 1, "y": [3]}, "b": [], "c": "t", "d": None}
    assert base == {"a": {"x": 1, "y": [1, 2]}, "b": [1], "c": "t"}  # untouched


def test_agency_name_resolved_in_inherited_text_only():
    base = {"agency": {"name": "Sở A"}, "subject": "Kế hoạch của Sở A",
            "references": {"r": {"issuer": "Sở A"}}, "recipients": ["Sở A", "UBND"]}
    merged = merge_unit(base, {"agency": {"name": "Sở B"}, "closing": "Sở A giữ nguyên"})
    assert merged["subject"] == "Kế hoạch của Sở B"
    assert merged["recipients"] == ["Sở B", "UBND"]
    assert merged["references"]["r"]["issuer"] == "Sở A"  # a cited document's issuer is a fact
    assert merged["closing"] == "Sở A giữ nguyên"  # the unit's own words are kept


def test_a_name_kept_on_its_printed_lines_is_renamed_in_the_text():
    """A model agency's name imported on the lines Word wrapped it ("Sở Khoa học\nvà Công nghệ", one
    item or several) is the name the text says on one line: a unit's name replaces it there."""
    for name in ("Sở Khoa học\nvà Công nghệ", ["Sở Khoa học\nvà", "Công nghệ"]):
        base = {"agency": {"name": name}, "subject": "Kế hoạch của Sở Khoa học và Công nghệ"}
        merged = merge_unit(base, {"agency": {"name": "Sở Tư pháp"}})
        assert merged["subject"] == "Kế hoạch của Sở Tư pháp", name


def test_a_unit_that_keeps_the_model_agencys_name_is_told_it_in_words(tmp_path):
    """The warning names the agency as the page does, not as a Python list ("['Sở …']")."""
    units = tmp_path / "u.yaml"
    units.write_text("mode: implementing\nunits:\n  - name: Sở Nội vụ\n    agency: {abbreviation: SNV}\n",
                     encoding="utf-8")
    result = run_batch(PLAN, units, tmp_path / "out", jobs=1)
    named = [w for w in result.warnings if "tên cơ quan ban hành vẫn là" in w]
    assert len(named) == 1 and f"vẫn là '{BASE_AGENCY}' như kế hoạch mẫu" in named[0], named


# --- file names -----------------------------------------------------------------------------

HOSTILE = ["../../etc", "Phòng/Ban", "", "Phòng/Ban", "..", "/", "con", "Phòng Hành chính - Tổng hợp",
           "phong-ban", "\x00\n", "a" * 300]


def test_hostile_names_give_distinct_safe_names():
    names = file_names(HOSTILE)
    assert len(set(names)) == len(names)
    assert names[:4] == ["etc.docx", "phong-ban.docx", "don-vi.docx", "phong-ban-2.docx"]
    assert names[6] == "don-vi-con.docx" and names[7] == "phong-hanh-chinh-tong-hop.docx"
    assert names[8] == "phong-ban-3.docx"
    for name in names:
        assert "/" not in name and "\\" not in name and not name.startswith(".")
        assert len(name) <= 90 and name.isascii()
    assert file_names(HOSTILE) == names  # deterministic


def test_hostile_unit_names_are_written_inside_the_output_dir(tmp_path):
    units = tmp_path / "u.yaml"
    entries = "".join(
        f"  - name: {name!r}\n    agency: {{name: Sở Số {i}, abbreviation: S{i}}}\n"
        f"    signer: {{name: Người Ký {i}, title: Giám đốc}}\n"
        f"    references: {{kh254_cchc: {{number: {i + 1}}}, kh418_ksttthc: {{number: {i + 1}}}}}\n"
        for i, name in enumerate(["../../etc", "Phòng/Ban", "", "Phòng/Ban"])
    )
    units.write_text("mode: implementing\nunits:\n" + entries, encoding="utf-8")
    out = tmp_path / "deep" / "out"
    result = run_batch(PLAN, units, out, jobs=2)
    assert result.ok, [str(f) for f in result.failed]
    paths = [d.path for d in result.written]
    assert len({p.resolve() for p in paths}) == 4
    for p in paths:
        assert p.resolve().parent == out.resolve() and p.is_file()
    assert sorted(p.name for p in out.iterdir()) == sorted(["etc.docx", "phong-ban.docx", "don-vi.docx",
                                                            "phong-ban-2.docx"])
    assert not (tmp_path / "etc.docx").exists() and not (tmp_path / "deep" / "etc.docx").exists()


# --- errors ---------------------------------------------------------------------------------

BAD_UNITS = """\
mode: implementing
units:
  - name: Sở Tư pháp
    agency: {name: Sở Tư pháp, abbreviation: STP}
    signer: {name: Nguyễn Văn A, title: Giám đốc}
    references: {kh254_cchc: {number: 1}, kh418_ksttthc: {number: 2}}
  - name: Sở Y tế
    agency:
      name: Sở Y tế
      abbreviation: syt
    signr: Lê Văn C
  - name: Sở Tài chính
    agency: {name: Sở Tài chính, abbreviation: STC}
    signer: {name: Trần Thị B, title: Giám đốc}
    references: {kh254_cchc: {number: 3}, kh418_ksttthc: {number: 4}}
"""


def test_bad_unit_gives_located_errors_and_the_others_are_written(tmp_path):
    units = tmp_path / "units.yaml"
    units.write_text(BAD_UNITS, encoding="utf-8")
    result = run_batch(PLAN, units, tmp_path / "out", jobs=2)
    assert [d.spec.name for d in result.written] == ["Sở Tư pháp", "Sở Tài chính"]
    assert [f.spec.name for f in result.failed] == ["Sở Y tế"]
    problems = {p.path: p for p in result.failed[0].problems}
    abbr = problems["units[1].agency.abbreviation"]
    assert (abbr.file, abbr.line, abbr.column) == (str(units), 10, 21)
    typo = problems["units[1].signr"]
    assert typo.line == 11 and "signer" in typo.message
    assert "Sở Y tế" in str(result.failed[0])
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["so-tai-chinh.docx", "so-tu-phap.docx"]


def test_every_unit_is_validated_before_anything_is_written(tmp_path, monkeypatch):
    import generator.jobs.batch as batch

    order = []
    real_prepare, real_render = batch._prepare_unit, batch._render_one
    monkeypatch.setattr(batch, "_prepare_unit", lambda *a: order.append("validate") or real_prepare(*a))
    monkeypatch.setattr(batch, "_render_one", lambda *a: order.append("write") or real_render(*a))
    units = tmp_path / "units.yaml"
    units.write_text(BAD_UNITS, encoding="utf-8")
    run_batch(PLAN, units, tmp_path / "out", jobs=1)
    assert order == ["validate"] * 3 + ["write"] * 2


def test_internal_unit_key_errors_point_into_the_units_file(tmp_path):
    units = tmp_path / "u.yaml"
    units.write_text("mode: internal\nunits:\n  - unit: hcth\n  - unit: hctth\n"
                     "  - unit: phong_qlkh\n    member_of: [phong_thuoc_s]\n", encoding="utf-8")
    result = run_batch(PLAN, units, tmp_path / "out", jobs=1)
    assert [d.spec.unit for d in result.written] == ["hcth"]
    (a,), (b,) = (f.problems for f in result.failed)
    assert (a.path, a.line) == ("units[1].unit", 4) and "'hcth'" in a.message
    assert (b.path, b.line) == ("units[2].member_of[0]", 6) and "'phong_thuoc_so'" in b.message


def test_a_broken_units_file_stops_everything(tmp_path):
    units = tmp_path / "u.yaml"
    units.write_text("mode: implementin\nunit: []\n", encoding="utf-8")
    with pytest.raises(DataError) as exc:
        run_batch(PLAN, units, tmp_path / "out")
    paths = {p.path for p in exc.value.problems}
    assert {"mode", "unit"} <= paths
    assert not (tmp_path / "out").exists()


# --- command line ---------------------------------------------------------------------------

def test_cli_exit_codes_and_summary(tmp_path, capsys):
    assert main(["batch", str(PLAN), "--units", str(INTERNAL), "-o", str(tmp_path / "ok")]) == 0
    out, err = capsys.readouterr()
    assert "5 văn bản đã tạo" in out and err == ""  # stderr is not a terminal: no progress bar
    units = tmp_path / "units.yaml"
    units.write_text(BAD_UNITS, encoding="utf-8")
    assert main(["batch", str(PLAN), "--units", str(units), "-o", str(tmp_path / "bad"), "--quiet"]) == 2
    out, err = capsys.readouterr()
    assert "Đã tạo" not in out
    assert f"lỗi: đơn vị 2 «Sở Y tế»: {units}:10:21: units[1].agency.abbreviation" in err
    assert "2 văn bản đã tạo" in err and "1 đơn vị lỗi" in err
    assert main(["batch", str(PLAN), "--units", str(tmp_path / "missing.yaml")]) == 2
    assert "không tìm thấy tệp" in capsys.readouterr().err


def test_cli_rejects_bad_jobs(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["batch", str(PLAN), "--units", str(INTERNAL), "--jobs", "0"])
    assert exc.value.code == 2


def test_cli_as_a_process_writes_no_progress_bar_when_piped(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "batch", str(PLAN), "--units", str(IMPLEMENTING),
         "-o", str(tmp_path), "--jobs", "2"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert proc.stdout.count("Đã tạo:") == 3


def test_progress_callback_counts_every_document(tmp_path):
    calls = []
    run_batch(PLAN, INTERNAL, tmp_path, jobs=2, progress=lambda done, total: calls.append((done, total)))
    assert calls[0] == (0, 5) and calls[-1] == (5, 5)
    assert [c[0] for c in calls] == list(range(6))


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_cli_shows_a_progress_bar_on_a_terminal_unless_quiet(tmp_path, monkeypatch):
    term = _Terminal()
    monkeypatch.setattr(sys, "stderr", term)
    assert main(["batch", str(PLAN), "--units", str(INTERNAL), "-o", str(tmp_path / "a"), "--jobs", "1"]) == 0
    assert "5/5" in term.getvalue()
    term = _Terminal()
    monkeypatch.setattr(sys, "stderr", term)
    assert main(["batch", str(PLAN), "--units", str(INTERNAL), "-o", str(tmp_path / "b"), "--quiet"]) == 0
    assert term.getvalue() == ""


def test_every_batch_output_passes_kehoach_check(implementing, internal):
    from generator.check import check_docx

    for result in (implementing, internal):
        for done in result.written:
            report = check_docx(done.path)
            assert not report.errors and not report.warnings, (done.path.name, report.to_table())


@pytest.mark.skipif(shutil.which("soffice") is None, reason="cần LibreOffice (soffice) để xuất PDF")
def test_batch_pdf_writes_one_pdf_per_document_with_the_units_text(tmp_path):
    out = tmp_path / "out"
    assert main(["batch", str(PLAN), "--units", str(IMPLEMENTING), "-o", str(out), "--pdf", "-q"]) == 0
    docx = sorted(out.glob("*.docx"))
    pdfs = sorted(out.glob("*.pdf"))
    assert [p.stem for p in pdfs] == [d.stem for d in docx] and len(pdfs) == 3
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(out / "so-tu-phap.pdf"), "-"], capture_output=True,
                              text=True, check=True).stdout
        assert "SỞ TƯ PHÁP" in text and "KH-STP" in text


def test_every_internal_extract_of_the_sample_is_a_valid_plan() -> None:
    """An extract is a plan like any other (issue 14): for every unit of the sample, with and
    without `member_of`, the copy validates again from its own data and renders; a unit with no
    task gets no empty catalogue (which would fail `appendices.0.groups`)."""
    from generator.plan.extract import extract_is_empty, internal_copy
    from generator.plan.loader import load_plan
    from generator.plan.model import Plan
    from generator.document.render import render_plan

    plan = load_plan(ROOT / "data" / "ke-hoach-truyen-thong-kiem-soat-tthc-2024.yaml")
    empties = []
    for unit in plan.units:
        for member_of in ((), ("phong_thuoc_so", "phong_lien_quan")):
            copy = internal_copy(plan, unit, extract=True, member_of=member_of)
            again = Plan.model_validate(copy.model_dump(exclude_unset=True))
            assert [len(a.groups or []) for a in again.appendices] == [len(a.groups or []) for a in copy.appendices]
            if extract_is_empty(plan, copy):
                empties.append(unit)
                assert copy.appendices == []
            assert render_plan(copy)
    assert "vp_ubnd" in empties and "hcth" not in empties


def test_implementing_unit_keeps_the_model_agencys_documents_and_is_told(tmp_path):
    """Issue 14: a unit that inherits the model agency's own plans cites them as they are
    ("254/KH-SKHCN … của Sở Khoa học và Công nghệ"), not as a "254/KH-SNV … của Sở Nội vụ" that
    does not exist; it is warned about them and about the model agency's own phòng it still lists."""
    units = tmp_path / "u.yaml"
    units.write_text("mode: implementing\nunits:\n  - name: Sở Nội vụ\n"
                     "    agency: {name: Sở Nội vụ, abbreviation: SNV}\n"
                     "    signer: {name: Lê Thị Hoa, title: Giám đốc}\n", encoding="utf-8")
    result = run_batch(PLAN, units, tmp_path / "out", jobs=1)
    assert result.ok and len(result.written) == 1
    text = " ".join(p.text for p in Document(str(result.written[0].path)).paragraphs)
    assert "Kế hoạch số 254/KH-SKHCN ngày 30/12/2023 của Sở Khoa học và Công nghệ" in text
    assert "254/KH-SNV" not in text and "418/KH-SNV" not in text
    warned = " ".join(result.warnings)
    assert "'kh254_cchc' (Kế hoạch số 254/KH-SKHCN) là văn bản của Sở Khoa học và Công nghệ" in warned
    assert "còn dùng đơn vị của cơ quan mẫu: 'Phòng Hành chính - Tổng hợp'" in warned
    # A unit that names its own plan under the same key cites its own.
    units.write_text(units.read_text(encoding="utf-8")
                     + "    references: {kh254_cchc: {number: 77, date: 2023-12-20}}\n"
                     + "    units: {hcth: {name: Văn phòng Sở, abbreviation: VP}}\n", encoding="utf-8")
    result = run_batch(PLAN, units, tmp_path / "out2", jobs=1)
    text = " ".join(p.text for p in Document(str(result.written[0].path)).paragraphs)
    assert "Kế hoạch số 77/KH-SNV ngày 20/12/2023 của Sở Nội vụ" in text
    assert not any("kh254_cchc" in w or "đơn vị của cơ quan mẫu" in w for w in result.warnings)


_STOPPED_WHILE_WARMING = """
import time
import generator.jobs.batch as batch

def slow_template(*args, **kwargs):  # the (forked) workers are surely warming up when stopped
    time.sleep(30)

batch.Template = slow_template
pool = batch.RenderPool(2)
workers = list(pool.pool._processes.values())
time.sleep(1.0)  # in the initializer, past its signal set-up

def interrupted(*args, **kwargs):
    raise KeyboardInterrupt

pool.pool.shutdown = interrupted
try:
    with pool:
        pass
except KeyboardInterrupt:
    pass
deadline = time.monotonic() + 10
while any(w.is_alive() for w in workers) and time.monotonic() < deadline:
    time.sleep(0.05)
print("alive", sum(w.is_alive() for w in workers))
"""


def test_a_ctrl_c_while_the_workers_warm_up_prints_no_traceback():
    # Ctrl-C right after a batch starts: the workers are still reading the template when they are
    # told to stop. They leave quietly: the user sees no traceback from them (run as its own
    # program: under pytest a worker's log would go to pytest's handlers, not to the terminal).
    result = subprocess.run([sys.executable, "-c", _STOPPED_WHILE_WARMING], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "alive 0" in result.stdout
    assert "Traceback" not in result.stderr and "initializer" not in result.stderr, result.stderr


def test_a_stop_while_a_worker_binds_to_its_parent_leaves_quietly(monkeypatch):
    # SIGTERM lands once the worker's handler is set but before it reads the template (the
    # handler's SystemExit raised in _bind_to_parent): the worker leaves at once like one stopped
    # while warming up, not through concurrent.futures' "Exception in initializer" traceback.
    import generator.jobs.batch as batch

    class Left(Exception):
        pass

    def stopped(parent: int) -> None:
        raise SystemExit(1)

    def leave(code: int) -> None:
        raise Left(code)

    monkeypatch.setattr(batch, "_bind_to_parent", stopped)
    monkeypatch.setattr(batch.os, "_exit", leave)
    with pytest.raises(Left):
        batch._init_worker(None, None, parent=1)


def test_a_ctrl_c_while_the_pool_stops_ends_its_workers(monkeypatch):
    # Ctrl-C landing while the batch waits for its workers to stop (a units file refused while they
    # were still warming up, or a second Ctrl-C) cut the shutdown short; the workers, which ignore
    # SIGINT, stayed waiting on their queue and kehoach hung at exit joining them. Now they are ended.
    import os

    pool = RenderPool(2)
    executor = pool.pool
    assert executor is not None
    executor.submit(os.getpid).result(timeout=60)  # the workers are up and idle
    workers = list(executor._processes.values())  # type: ignore[attr-defined]
    assert workers and all(w.is_alive() for w in workers)
    real_shutdown = executor.shutdown

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(executor, "shutdown", interrupted)
    try:
        with pytest.raises(KeyboardInterrupt):
            with pool:
                pass
        # The executor's own thread reaps dead workers too; a poll racing it can read a dead worker
        # as alive for an instant, so a worker counts as left only if it is still there after a while.
        deadline = time.monotonic() + 10
        while any(w.is_alive() for w in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(w.is_alive() for w in workers), "workers left waiting: kehoach would hang at exit"
    finally:
        for w in workers:
            if w.is_alive():
                w.kill()
        real_shutdown(wait=True)


@pytest.mark.parametrize("kind", ["missing", "folder"])
def test_a_wrong_units_path_is_said_before_any_worker_starts(tmp_path, capsys, monkeypatch, kind):
    import generator.jobs.batch as batch_module

    def no_pool(*args, **kwargs):
        raise AssertionError("the worker pool started for a units path that is no file")

    monkeypatch.setattr(batch_module, "RenderPool", no_pool)
    units = tmp_path / "don-vi.xlsx"
    if kind == "folder":
        units.mkdir()
    assert main(["batch", str(PLAN), "--units", str(units), "-o", str(tmp_path / "out")]) == 2
    assert ("không tìm thấy tệp" if kind == "missing" else "thư mục") in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_a_ctrl_c_while_the_pdfs_are_made_says_what_is_done_and_how_to_finish(tmp_path, capsys, monkeypatch):
    """Ctrl-C while `batch --pdf` renames the PDFs into place: every .docx is there, some PDFs not. The
    văn thư is told so (exit 130, nothing half-written), which documents still lack their PDF, and
    that the same command, run again, makes them; run again, it does."""
    import generator.esign.pdf as pdf_module
    import generator.word.output as output_module

    def fake_convert(paths, out_dir, **kwargs):  # LibreOffice's work, without LibreOffice
        made = []
        for path in paths:
            pdf = Path(out_dir) / f"{Path(path).stem}.pdf"
            pdf.write_bytes(b"%PDF-1.7 fake")
            made.append(pdf)
        return made

    monkeypatch.setattr(pdf_module, "find_soffice", lambda *a, **k: "soffice")
    monkeypatch.setattr(pdf_module, "convert_to_pdf", fake_convert)
    real_place = output_module.Target.place
    placed: list[Path] = []

    def place_then_stop(self, finished, how="create"):
        if placed and finished.suffix == ".pdf":
            raise KeyboardInterrupt  # the second PDF: as if Ctrl-C landed here
        result = real_place(self, finished, how)
        if finished.suffix == ".pdf":
            placed.append(result)
        return result

    monkeypatch.setattr(output_module.Target, "place", place_then_stop)
    out = tmp_path / "ra"
    argv = ["batch", str(PLAN), "--units", str(INTERNAL), "-o", str(out), "--pdf", "--jobs", "1", "-q"]
    capsys.readouterr()
    assert main(argv) == 130
    err = capsys.readouterr().err
    docs = sorted(out.glob("*.docx"))
    pdfs = sorted(out.glob("*.pdf"))
    assert len(docs) == 5 and len(pdfs) == 1 and not list(out.glob(".*")), (docs, pdfs)
    assert f"Đã tạo đủ 5 văn bản .docx trong {out}; 1 văn bản đã có PDF, 4 văn bản chưa có PDF:" in err, err
    listed = {line.strip() for line in err.splitlines() if line.startswith("  ")}
    assert {str(d) for d in docs if d.with_suffix(".pdf") not in pdfs} <= listed
    assert str(pdfs[0].with_suffix(".docx")) not in listed
    assert "Chạy lại đúng lệnh này để tạo nốt các tệp PDF" in err
    again = next(line.strip() for line in err.splitlines() if line.strip().startswith("kehoach batch"))
    assert again.split() == ["kehoach", *argv]
    assert "Đã dừng; không có tệp dở dang nào được ghi." in err and "Traceback" not in err

    monkeypatch.setattr(output_module.Target, "place", real_place)
    assert main(again.split()[1:]) == 0  # the same command finishes the work
    assert sorted(p.with_suffix(".docx") for p in out.glob("*.pdf")) == sorted(out.glob("*.docx"))
