"""Issue 26: the plan's dossier (Tờ trình, Quyết định ban hành, the plan issued with it, the comment table)
from the plan's own data, each a Decree 30 document the checker recognises and passes."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest

from generator.check import check_docx
from generator.cli import main
from generator.errors import DataError, UserError
from generator.jobs.dossier import write_dossier
from generator.plan.loader import load_plan
from tests.paths import ROOT

SAMPLE = ROOT / "data" / "ho-so-ke-hoach-tuyen-truyen-cchc-2026.yaml"
TYPES = {"to-trinh": "Tờ trình", "quyet-dinh": "Quyết định", "ke-hoach": "Kế hoạch", "tong-hop-y-kien": "Báo cáo"}
DECISION_CITED = "Quyết định số 25/QĐ-UBND ngày 20/01/2026 của UBND tỉnh Lâm Đồng"


def _final_data(tmp_path: Path) -> Path:
    """The sample with the numbers and dates the văn thư gave (a copy: the shipped file stays)."""
    text = SAMPLE.read_text(encoding="utf-8")
    for old, new in (
        ("  submission:                             # Tờ trình; khi văn thư cấp số: number, date\n",
         "  submission:\n    number: 108\n    date: 12/01/2026\n"),
        ("  decision:                               # Quyết định ban hành; khi văn thư cấp số: number, date\n",
         "  decision:\n    number: 25\n    date: 20/01/2026\n"),
        ("  comments:                               # bảng tổng hợp ý kiến góp ý\n",
         "  comment_report:\n    number: 7\n    date: 09/01/2026\n  comments:\n"),
    ):
        assert old in text
        text = text.replace(old, new)
    data = tmp_path / "hs.yaml"
    data.write_text(text, encoding="utf-8")
    return data


@pytest.fixture(scope="module")
def final_set(tmp_path_factory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("dossier")
    result = write_dossier(_final_data(tmp), tmp / "out", final=True)
    return {d.kind: d.path for d in result.documents}


def _lines(path: Path) -> list[docx.text.paragraph.Paragraph]:
    """Every paragraph in reading order, table cells included (the header and signature tables)."""
    document = docx.Document(str(path))
    out = []
    for block in document.element.body.iterchildren():
        if block.tag.endswith("}p"):
            out.append(docx.text.paragraph.Paragraph(block, document))
        elif block.tag.endswith("}tbl"):
            table = docx.table.Table(block, document)
            for row in table.rows:
                for cell in row.cells:
                    out.extend(cell.paragraphs)
    return out


def _text(path: Path) -> list[str]:
    return [p.text for p in _lines(path) if p.text.strip()]


def test_the_draft_set_is_written_and_each_document_passes_check_as_its_type(tmp_path: Path) -> None:
    data = tmp_path / "hs.yaml"
    shutil.copy(SAMPLE, data)
    assert main(["dossier", str(data), "-o", str(tmp_path / "out")]) == 0
    written = sorted((tmp_path / "out").glob("*.docx"))
    assert [p.name for p in written] == sorted(f"hs-{k}.docx" for k in TYPES)
    for kind, type_ in TYPES.items():
        report = check_docx(tmp_path / "out" / f"hs-{kind}.docx")
        assert report.document_type == type_, kind
        assert report.errors == [], report.to_table()
        assert report.warnings == [], report.to_table()
    # A draft: every number blank, the cross-references too; the draft mark on each.
    decision = _text(tmp_path / "out" / "hs-quyet-dinh.docx")
    assert "Số:      /QĐ-UBND" in decision and "DỰ THẢO" in decision
    assert any(t.startswith("Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số      /TTr-SNV ngày") for t in decision)
    plan = _text(tmp_path / "out" / "hs-ke-hoach.docx")
    assert any(t.startswith("(Ban hành kèm theo Quyết định số      /QĐ-UBND ngày") for t in plan)
    # Drafts are made again and again while they circulate: the earlier untouched ones are replaced.
    assert main(["dossier", str(data), "-o", str(tmp_path / "out")]) == 0


def test_final_decision_cites_the_submission_and_names_the_plan(final_set: dict[str, Path]) -> None:
    paras = _lines(final_set["quyet-dinh"])
    texts = [p.text for p in paras]
    assert "Số: 25/QĐ-UBND" in texts and "Lâm Đồng, ngày 20 tháng 01 năm 2026" in texts
    assert "DỰ THẢO" not in texts
    proposal = next(p for p in paras if p.text.startswith("Theo đề nghị"))
    assert proposal.text == "Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số 108/TTr-SNV ngày 12/01/2026."
    grounds = [p for p in paras if p.text.startswith("Căn cứ ")]
    assert [g.text[-1] for g in grounds] == [";", ";"]
    assert grounds[1].text.startswith("Căn cứ Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ")
    for p in [*grounds, proposal]:  # italic through the style "KH Căn cứ"
        assert p.style.font.italic and not any(r.italic is False for r in p.runs)
    decides = next(p for p in paras if p.text == "QUYẾT ĐỊNH:")
    assert decides.style.font.bold and decides.style.paragraph_format.alignment == 1  # centred
    # The issuing authority's line under the trích yếu, before the căn cứ.
    assert texts.index("ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG") < texts.index(grounds[0].text)
    articles = [p for p in paras if p.text.startswith("Điều ")]
    runs = [[r for r in a.runs if r.text] for a in articles]
    assert [r[0].text for r in runs] == ["Điều 1. ", "Điều 2. ", "Điều 3. "]
    assert all(r[0].bold and not r[1].bold for r in runs)  # bold run-in heading, the text plain
    plan = load_plan(SAMPLE)
    assert articles[0].text == ("Điều 1. Ban hành kèm theo Quyết định này Kế hoạch tuyên truyền cải cách hành chính "
                                "năm 2026 trên địa bàn tỉnh Lâm Đồng.")
    assert plan.subject_text[1:] in articles[0].text
    assert articles[2].text.endswith("chịu trách nhiệm thi hành Quyết định này./.")
    nn = texts.index("Nơi nhận:")
    assert texts[nn + 1] == "- Như Điều 3;"


def test_final_plan_is_issued_with_the_decision_and_has_no_number_of_its_own(final_set: dict[str, Path]) -> None:
    paras = _lines(final_set["ke-hoach"])
    texts = [p.text for p in paras]
    assert not any(t.startswith("Số:") for t in texts)
    assert not any(", ngày " in t and t.startswith("Lâm Đồng") for t in texts)  # no date line of its own
    title = texts.index("KẾ HOẠCH")
    assert texts[title + 2] == f"(Ban hành kèm theo {DECISION_CITED})"
    assert f"(Kèm theo Kế hoạch ban hành kèm theo {DECISION_CITED})" in texts  # the appendix's line
    assert "DỰ THẢO" not in texts
    report = check_docx(final_set["ke-hoach"])
    assert report.document_type == "Kế hoạch" and report.errors == [] and report.warnings == [], report.to_table()
    assert report.not_evaluated == [], report.to_table(verbose=True)


def test_final_submission_and_comment_table(final_set: dict[str, Path]) -> None:
    sub = _lines(final_set["to-trinh"])
    texts = [p.text for p in sub]
    assert "Số: 108/TTr-SNV" in texts and "TỜ TRÌNH" in texts
    # The trích yếu, one paragraph broken into as many balanced lines as its column needs (issue 27):
    # read back as one text.
    at = texts.index("TỜ TRÌNH") + 1
    subject = " ".join(line.strip() for t in texts[at:at + 3] for line in t.split("\n"))
    assert subject.startswith("Về việc ban hành Kế hoạch tuyên truyền cải cách hành chính năm 2026 trên địa bàn "
                              "tỉnh Lâm Đồng"), texts[at:at + 3]
    kinh_gui = next(p for p in sub if p.text.startswith("Kính gửi"))
    assert kinh_gui.text == "Kính gửi: Ủy ban nhân dân tỉnh Lâm Đồng" and kinh_gui.style.paragraph_format.alignment == 1
    assert texts[-1 - texts[::-1].index("IV. ĐỀ XUẤT") + 2].endswith("kính trình Ủy ban nhân dân tỉnh Lâm Đồng xem xét, "
                                                                      "quyết định./.")
    table = docx.Document(str(final_set["tong-hop-y-kien"])).tables[1]
    assert [c.text for c in table.rows[0].cells] == ["STT", "Nội dung góp ý", "Đơn vị góp ý",
                                                      "Ý kiến tiếp thu, giải trình"]
    assert [r.cells[0].text for r in table.rows[1:]] == ["1", "2", "3"]
    assert table.rows[1].cells[2].text == "Sở Văn hóa, Thể thao và Du lịch"
    for kind in ("to-trinh", "tong-hop-y-kien", "quyet-dinh"):
        report = check_docx(final_set[kind])
        assert report.errors == [] and report.warnings == [], report.to_table()


def test_a_final_set_needs_the_submitted_numbers_and_is_never_replaced(tmp_path: Path, capsys) -> None:
    data = tmp_path / "hs.yaml"
    shutil.copy(SAMPLE, data)
    assert main(["dossier", str(data), "-o", str(tmp_path / "out"), "--final"]) == 2
    err = capsys.readouterr().err
    for field in ("dossier.submission.number", "dossier.submission.date", "dossier.comment_report.number"):
        assert field in err
    assert "dossier.decision" not in err  # the decision is numbered later, by the authority
    assert not (tmp_path / "out").exists()
    data = _final_data(tmp_path)
    assert main(["dossier", str(data), "-o", str(tmp_path / "out"), "--final"]) == 0
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in (tmp_path / "out").iterdir()}
    assert len(before) == 4
    # The same set made again from the same data: every issued document kept as it is.
    assert main(["dossier", str(data), "-o", str(tmp_path / "out"), "--final"]) == 0
    assert "đã có, giữ nguyên" in capsys.readouterr().out
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in (tmp_path / "out").iterdir()} == before
    # Other words under the same numbers: refused, nothing replaced.
    data.write_text(data.read_text(encoding="utf-8").replace("tuyên truyền", "truyền thông", 1), encoding="utf-8")
    assert main(["dossier", str(data), "-o", str(tmp_path / "out"), "--final"]) == 2
    assert "bản phát hành không bao giờ bị ghi đè" in capsys.readouterr().err
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in (tmp_path / "out").iterdir()} == before


def _submitted_data(tmp_path: Path) -> Path:
    """The set as the drafting agency submits it: its Tờ trình and comment table numbered and dated,
    the decision not yet (the authority signs and numbers it later)."""
    text = _final_data(tmp_path).read_text(encoding="utf-8")
    text = text.replace("  decision:\n    number: 25\n    date: 20/01/2026\n", "  decision:\n")
    data = tmp_path / "hs-trinh.yaml"
    data.write_text(text, encoding="utf-8")
    return data


def test_the_set_is_issued_in_the_offices_order_submission_first(tmp_path: Path, capsys) -> None:
    """The Tờ trình is issued and submitted before the decision exists: --final then issues the
    drafting agency's documents, and the decision and the plan stay drafts citing the Tờ trình by its
    number; once the decision is numbered, the same command issues them and keeps the Tờ trình."""
    out = tmp_path / "out"
    data = _submitted_data(tmp_path)
    assert main(["dossier", str(data), "-o", str(out), "--final"]) == 0
    said = capsys.readouterr().out
    assert "chờ số, ngày của Quyết định" in said
    names = sorted(p.name for p in out.iterdir())
    assert names == ["hs-trinh-ke-hoach.docx", "hs-trinh-quyet-dinh.docx", "hs-trinh-to-trinh-so-108.docx",
                     "hs-trinh-tong-hop-y-kien-so-07.docx"]
    sub = _text(out / "hs-trinh-to-trinh-so-108.docx")
    assert "Số: 108/TTr-SNV" in sub and "Lâm Đồng, ngày 12 tháng 01 năm 2026" in sub and "DỰ THẢO" not in sub
    dec = _text(out / "hs-trinh-quyet-dinh.docx")
    assert "Số:      /QĐ-UBND" in dec and "DỰ THẢO" in dec  # its own number blank, the draft mark on it
    assert "Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số 108/TTr-SNV ngày 12/01/2026." in dec
    plan = _text(out / "hs-trinh-ke-hoach.docx")
    assert any(t.startswith("(Ban hành kèm theo Quyết định số      /QĐ-UBND ngày") for t in plan)
    report = check_docx(out / "hs-trinh-to-trinh-so-108.docx")
    assert report.errors == [] and report.warnings == [], report.to_table()
    submitted = (out / "hs-trinh-to-trinh-so-108.docx").stat().st_mtime_ns

    # The authority signs; the văn thư gives the decision its number and date.
    data.write_text(data.read_text(encoding="utf-8").replace(
        "  decision:\n", "  decision:\n    number: 25\n    date: 20/01/2026\n", 1), encoding="utf-8")
    assert main(["dossier", str(data), "-o", str(out), "--final"]) == 0
    said = capsys.readouterr().out
    assert said.count("đã có, giữ nguyên") == 2  # the Tờ trình and the comment table, as submitted
    assert (out / "hs-trinh-to-trinh-so-108.docx").stat().st_mtime_ns == submitted
    dec = _text(out / "hs-trinh-quyet-dinh-so-25.docx")
    assert "Số: 25/QĐ-UBND" in dec and "DỰ THẢO" not in dec
    plan = _text(out / "hs-trinh-ke-hoach-kem-qd-so-25.docx")
    assert any(t.startswith(f"(Ban hành kèm theo {DECISION_CITED}") for t in plan), plan


def test_drafts_an_issued_document_leaves_behind_are_named_never_removed(tmp_path: Path, capsys) -> None:
    """After stage 2 the decision's stage-1 draft (…-quyet-dinh.docx) stood beside its final
    (…-quyet-dinh-so-25.docx), unsaid: a văn thư could send the wrong one. Each run that issues a
    document names its earlier drafts of ours still untouched (and their PDFs) as removable; none is
    removed or changed, and a draft edited since (the user's work) is not named."""
    import docx as python_docx

    out = tmp_path / "out"
    data = _submitted_data(tmp_path)
    stale_line = "nay đã có bản phát hành bên cạnh; kehoach không xóa"

    def named(said: str) -> list[str]:
        lines = said.splitlines()
        if not any(stale_line in line for line in lines):
            return []
        at = next(i for i, line in enumerate(lines) if stale_line in line)
        return sorted(Path(line.strip()).name for line in lines[at + 1:] if line.startswith("  "))

    assert main(["dossier", str(data), "-o", str(out)]) == 0  # stage 0: every document a draft
    assert named(capsys.readouterr().out) == []
    (out / "hs-trinh-to-trinh.pdf").write_bytes(b"%PDF-1.7 made with the draft\n")
    assert main(["dossier", str(data), "-o", str(out), "--final"]) == 0  # stage 1: the Tờ trình issued
    assert named(capsys.readouterr().out) == ["hs-trinh-to-trinh.docx", "hs-trinh-to-trinh.pdf",
                                              "hs-trinh-tong-hop-y-kien.docx"]
    # The plan's stage-1 draft edited in Word (saved again): the user's work, never called removable.
    edited = python_docx.Document(str(out / "hs-trinh-ke-hoach.docx"))
    edited.add_paragraph("Ghi chú của chuyên viên")
    edited.save(str(out / "hs-trinh-ke-hoach.docx"))
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    data.write_text(data.read_text(encoding="utf-8").replace(
        "  decision:\n", "  decision:\n    number: 25\n    date: 20/01/2026\n", 1), encoding="utf-8")
    assert main(["dossier", str(data), "-o", str(out), "--final"]) == 0  # stage 2: the decision issued
    said = capsys.readouterr().out
    assert named(said) == ["hs-trinh-quyet-dinh.docx", "hs-trinh-to-trinh.docx", "hs-trinh-to-trinh.pdf",
                           "hs-trinh-tong-hop-y-kien.docx"], said
    assert f"  {out / 'hs-trinh-quyet-dinh.docx'}" in said.splitlines()  # the path as it is, to act on
    after = {p.name: p.read_bytes() for p in out.iterdir()}
    assert {k: v for k, v in after.items() if k in before} == before  # nothing removed, nothing changed
    assert "DỰ THẢO" in _text(out / "hs-trinh-quyet-dinh.docx") and "Số: 25/QĐ-UBND" in _text(
        out / "hs-trinh-quyet-dinh-so-25.docx")


def test_signing_copies_an_issued_document_leaves_behind_are_named_too(tmp_path: Path, capsys) -> None:
    """Issued electronically (--final --unnumbered, then the văn thư's number): the signing copy of
    the Tờ trình, number and date blank, stood beside the issued Tờ trình unsaid, and those of the
    decision and its plan beside theirs; a văn thư could send the unnumbered one. Each is named with
    its PDF once its document is issued; none is removed, and one edited since is not named."""
    import docx as python_docx

    out = tmp_path / "out"
    data = _submitted_data(tmp_path)
    text = data.read_text(encoding="utf-8")
    numbered = {"submission": "  submission:\n    number: 108\n    date: 12/01/2026\n",
                "comment_report": "  comment_report:\n    number: 7\n    date: 09/01/2026\n"}
    blank = {"submission": "  submission:\n", "comment_report": ""}
    data.write_text(text.replace(numbered["submission"], blank["submission"])
                    .replace(numbered["comment_report"], blank["comment_report"]), encoding="utf-8")

    def named(said: str) -> list[str]:
        lines = said.splitlines()
        at = next((i for i, line in enumerate(lines) if "nay đã có bản phát hành bên cạnh" in line), None)
        return [] if at is None else sorted(Path(line.strip()).name for line in lines[at + 1:]
                                            if line.startswith("  "))

    assert main(["dossier", str(data), "-o", str(out), "--final", "--unnumbered"]) == 0  # the Tờ trình to sign
    assert named(capsys.readouterr().out) == []
    (out / "hs-trinh-to-trinh-trinh-ky.pdf").write_bytes(b"%PDF-1.7 the copy the signer signed\n")
    data.write_text(text, encoding="utf-8")  # the văn thư stamped 108 and 7: the decision's turn to sign
    assert main(["dossier", str(data), "-o", str(out), "--final", "--unnumbered"]) == 0
    said = capsys.readouterr().out
    assert named(said) == ["hs-trinh-to-trinh-trinh-ky.docx", "hs-trinh-to-trinh-trinh-ky.pdf",
                           "hs-trinh-tong-hop-y-kien-trinh-ky.docx"], said
    assert _text(out / "hs-trinh-to-trinh-trinh-ky.docx") != _text(out / "hs-trinh-to-trinh-so-108.docx")
    edited = python_docx.Document(str(out / "hs-trinh-ke-hoach-trinh-ky.docx"))
    edited.add_paragraph("Ghi chú của chuyên viên")
    edited.save(str(out / "hs-trinh-ke-hoach-trinh-ky.docx"))
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    data.write_text(text.replace("  decision:\n", "  decision:\n    number: 25\n    date: 20/01/2026\n", 1),
                    encoding="utf-8")
    assert main(["dossier", str(data), "-o", str(out), "--final"]) == 0  # the decision issued
    said = capsys.readouterr().out
    assert named(said) == ["hs-trinh-quyet-dinh-trinh-ky.docx", "hs-trinh-to-trinh-trinh-ky.docx",
                           "hs-trinh-to-trinh-trinh-ky.pdf", "hs-trinh-tong-hop-y-kien-trinh-ky.docx"], said
    after = {p.name: p.read_bytes() for p in out.iterdir()}
    assert {k: v for k, v in after.items() if k in before} == before  # nothing removed, nothing changed
    assert any(re.fullmatch(r"Số:\s+/QĐ-UBND", t) for t in _text(out / "hs-trinh-quyet-dinh-trinh-ky.docx"))


def test_a_decision_numbered_before_its_submission_is_refused(tmp_path: Path, capsys) -> None:
    text = _final_data(tmp_path).read_text(encoding="utf-8")
    text = text.replace("  submission:\n    number: 108\n    date: 12/01/2026\n", "  submission:\n")
    data = tmp_path / "hs-qd.yaml"
    data.write_text(text, encoding="utf-8")
    assert main(["dossier", str(data), "-o", str(tmp_path / "out"), "--final"]) == 2
    err = capsys.readouterr().err
    assert "dossier.submission.number" in err and "dossier.submission.date" in err
    assert not (tmp_path / "out").exists()


def test_without_comments_no_table_and_without_dossier_a_message(tmp_path: Path) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    data = tmp_path / "hs.yaml"
    data.write_text(text[:text.index("  comments:")], encoding="utf-8")
    result = write_dossier(data, tmp_path / "out")
    assert [d.kind for d in result.documents] == ["to-trinh", "quyet-dinh", "ke-hoach"]
    plain = ROOT / "data" / "ke-hoach-truyen-thong-kiem-soat-tthc-2024.yaml"
    with pytest.raises(UserError, match="chưa có mục dossier"):
        write_dossier(plain, tmp_path / "other")
    assert not (tmp_path / "other").exists()


def test_an_unknown_basis_key_is_reported_where_it_is(tmp_path: Path) -> None:
    data = tmp_path / "hs.yaml"
    data.write_text(SAMPLE.read_text(encoding="utf-8").replace("bases: [luat_tcchqdp, nd_cchc]",
                                                             "bases: [luat_tcchqdp, nd_ccch]"), encoding="utf-8")
    with pytest.raises(DataError) as exc:
        load_plan(data)
    message = str(exc.value)
    assert "dossier.decision.bases[1]" in message and "nd_ccch" in message
    # A unit key of the dossier that names no declared unit is a typo, said where it is.
    data.write_text(SAMPLE.read_text(encoding="utf-8").replace("by: so_vh", "by: so_hv"), encoding="utf-8")
    with pytest.raises(DataError) as exc:
        load_plan(data)
    assert "dossier.comments[0].by[0]" in str(exc.value) and "so_vh" in str(exc.value)


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice or pdftotext not installed")
def test_the_pages_as_a_reader_sees_them(tmp_path: Path) -> None:
    data = _final_data(tmp_path)
    result = write_dossier(data, tmp_path / "out", final=True, pdf=True)
    pages = {}
    for d in result.documents:
        assert d.pdf is not None and d.pdf.is_file()
        pages[d.kind] = subprocess.run(["pdftotext", "-layout", str(d.pdf), "-"], capture_output=True, text=True,
                                       check=True).stdout.split("\f")
    first = pages["ke-hoach"][0]
    assert "KẾ HOẠCH" in first and "Số:" not in first and "(Ban hành kèm theo Quyết định số 25/QĐ-UBND" in first
    decision = pages["quyet-dinh"][0]
    assert decision.index("QUYẾT ĐỊNH:") < decision.index("Điều 1.") < decision.index("Điều 3.")
    assert "Tờ trình số 108/TTr-SNV" in decision
    assert "Kính gửi: Ủy ban nhân dân tỉnh Lâm Đồng" in pages["to-trinh"][0]


@pytest.mark.parametrize("line", [
    # next year's file as rollover drafts it: the decision's number and day blank, its year moved
    "(Kèm theo Kế hoạch ban hành kèm theo Quyết định số      /QĐ-UBND ngày     /01/2026 của UBND tỉnh Lâm Đồng)",
    # an earlier decision, with the wording many agencies use
    "(Kèm theo Quyết định số 12/QĐ-UBND ngày 05/01/2025 của Ủy ban nhân dân tỉnh Lâm Đồng)",
])
def test_an_appendix_line_citing_the_issuing_decision_cites_the_one_the_dossier_issues(tmp_path: Path,
                                                                                      line: str) -> None:
    """A plan whose danh mục already cites a decision issuing it (imported from last year's, rolled
    over) goes out with the decision of its dossier: the danh mục's line cites that one, in its own
    wording, and the issued plan passes check (its danh mục cites what its head does)."""
    data = _final_data(tmp_path)
    text = data.read_text(encoding="utf-8")
    head = "appendices:\n  - title: Danh mục\n    subtitle: Nhiệm vụ tuyên truyền cải cách hành chính năm 2026\n"
    assert head in text
    data.write_text(text.replace(head, head + f"    reference_line: \"{line}\"\n"), encoding="utf-8")
    plan = {d.kind: d.path for d in write_dossier(data, tmp_path / "out", final=True).documents}["ke-hoach"]
    texts = [p.text for p in _lines(plan)]
    lead = line[:line.index(" số ")]
    assert f"{lead} số 25/QĐ-UBND ngày 20/01/2026 của UBND tỉnh Lâm Đồng)" in texts, [t for t in texts if "Kèm" in t]
    assert not any("12/QĐ" in t or "/01/2026 của" in t and "25/QĐ" not in t for t in texts)
    report = check_docx(plan)
    assert report.errors == [], report.to_table()
