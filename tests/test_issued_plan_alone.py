"""A plan a Quyết định issues ("Điều 1. Ban hành kèm theo Quyết định này Kế hoạch …"), saved and passed
around as a file of its own: over its tên loại the header Phụ lục III, Mẫu 1.3 gives it (the issuer's
name, Quốc hiệu and Tiêu ngữ, no Số nor date), the issuer's name alone, or nothing; under its trích yếu
"(Ban hành kèm theo Quyết định số … ngày … của …)" or "(Kèm theo …)". `import` reads it as the plan it
is, as the same plan printed after its decision in one file gives it, but for what only the decision
prints (said, each once); `check` judges it as the document issued with a decision it is. A phụ lục, a
danh mục or another kind of document stays what it was. The files are the dossier's rendered decision
and plan (tests/test_attached_plan.py), the plan's page saved alone."""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path

import docx
import pytest

from generator.check import NotAdministrative, check_docx
from generator.errors import UserError
from generator.jobs.importer import dump_yaml, import_docx
from generator.plan.loader import load_plan
from generator.recognise import read_docx
from generator.document.render import render_plan
from tests.test_attached_plan import (  # noqa: F401 - dossiers: the module's fixture
    PLACE_ASKED,
    TAKEN,
    _headerless,
    _judged,
    _retitled,
    dossiers,
    join,
)
from tests.word_fixtures import a4_document, add_para, original_text, words_kept

DECISION_NOTE = "tệp mở đầu bằng Quyết định"
"""The note of a file that prints the decision before the plan: no such note for the plan alone."""
FROM_LINE = "lấy “UBND tỉnh Lâm Đồng” từ dòng ban hành kèm theo"
"""The one note of an import that took the issuer's name from the "(Ban hành kèm theo …)" line."""
HEADERS = ["mau-1.3", "issuer", "lines", "none"]
"""The plan's header as saved alone: Mẫu 1.3's (issuer, Quốc hiệu, Tiêu ngữ), the issuer's name alone
(in the header's table, or typed as lines), none."""


def _kem_theo(plan: Path, out: Path) -> Path:
    """The plan's line under its trích yếu worded "(Kèm theo Quyết định …)", as many agencies word it."""
    document = docx.Document(str(plan))
    line = next(p for p in document.paragraphs if p.text.startswith("(Ban hành kèm theo"))
    text = line.text.replace("(Ban hành kèm theo", "(Kèm theo", 1)
    line.runs[0].text = text
    for r in line.runs[1:]:
        r.text = ""
    document.save(str(out))
    return out


def _alone(made: dict[str, Path], tmp: Path, header: str, wording: str = "ban-hanh") -> Path:
    """The plan's file with the header asked for and its line worded as asked."""
    plan = made["ke-hoach"]
    if header != "mau-1.3":
        plan = _headerless(plan, tmp / f"kh-{header}.docx", keep="" if header == "none" else header)
    return _kem_theo(plan, tmp / f"kh-{header}-kem.docx") if wording == "kem" else plan


@pytest.mark.parametrize("wording", ["ban-hanh", "kem"])
@pytest.mark.parametrize("header", HEADERS)
@pytest.mark.parametrize("stage", ["draft", "final"])
def test_a_plan_saved_alone_imports_as_printed_after_its_decision(dossiers, tmp_path: Path, stage: str,  # noqa: F811
                                                                 header: str, wording: str) -> None:
    """The data the same page gives printed after its decision in one file, but the place (the decision's
    date line prints it: asked for) and, with no header, the issuer's name (the decision's header prints
    it: taken from the line's "của …", said). Number blank and date the decision's, blank or filled as
    the line prints them; each guess said once."""
    made = dossiers[stage]
    alone = _alone(made, tmp_path, header, wording)
    got = import_docx(alone)
    joined = import_docx(join(made["quyet-dinh"], alone, tmp_path / "qd-kh.docx"))
    expected = {**joined.data, "agency": {**joined.data["agency"], "place": "…"}}
    if header == "none":
        expected["agency"] = {**expected["agency"], "name": "UBND tỉnh Lâm Đồng"}
    assert got.data == expected
    assert got.data["own_number"] is False and "number" not in got.data
    assert got.data["date"] == ("2026-01-20" if stage == "final" else "2026-01")
    assert got.data["agency"]["abbreviation"] == "UBND"
    assert got.data["subtitle"].startswith("(Kèm theo Quyết định" if wording == "kem" else "(Ban hành kèm theo")
    messages = [n.message for n in got.warnings]
    assert len([m for m in messages if PLACE_ASKED in m]) == 1
    taken = [n for n in got.warnings if FROM_LINE in n.message]
    assert len(taken) == (1 if header == "none" else 0)
    if taken:
        assert "agency.name" in taken[0].message and "của UBND" in taken[0].excerpt
    assert not [m for m in messages if DECISION_NOTE in m or "không tìm thấy tên cơ quan" in m
                or (TAKEN in m and FROM_LINE not in m)]
    # Else the plan's own notes, as the joined file says them.
    assert Counter(m for m in messages if PLACE_ASKED not in m and FROM_LINE not in m) == Counter(
        n.message for n in joined.warnings if DECISION_NOTE not in n.message and TAKEN not in n.message)


@pytest.mark.parametrize("header", HEADERS)
def test_the_import_of_a_plan_saved_alone_renders_its_words(dossiers, tmp_path: Path, header: str) -> None:  # noqa: F811
    """The imported data, place filled as the warning asks, renders; the render prints the plan's words
    (≥ 99% in order) and keeps it a plan issued with its decision (no Số line, the line under the title)."""
    alone = _alone(dossiers["final"], tmp_path, header)
    data = import_docx(alone).data
    data["agency"]["place"] = "Lâm Đồng"
    (tmp_path / "kh.yaml").write_text(dump_yaml(data, alone.name), encoding="utf-8")
    back = tmp_path / "back.docx"
    back.write_bytes(render_plan(load_plan(tmp_path / "kh.yaml")))
    assert words_kept(original_text(alone), original_text(back)) >= 0.99
    again = read_docx(back)
    assert again.document_type == "Kế hoạch" and again.number_line is None and again.attached_to is not None
    assert again.attached_to.symbol == "QĐ-UBND" and again.attached_to.number == "25"


@pytest.mark.parametrize("header", HEADERS)
def test_check_judges_a_plan_saved_alone_as_issued_with_its_decision(dossiers, tmp_path: Path,  # noqa: F811
                                                                     header: str) -> None:
    """Findings as for the same page printed after its decision: the header parts Mẫu 1.3 prints and the
    page does not, each an error said once; nothing left unevaluated; no "not administrative" refusal."""
    made = dossiers["final"]
    alone = _alone(made, tmp_path, header)
    report = check_docx(alone)
    assert report.document_type == "Kế hoạch"
    assert not [r for r in report.results if r.status == "not_evaluated"]
    combined = check_docx(join(made["quyet-dinh"], alone, tmp_path / "qd-kh.docx"))
    prefix = "Kế hoạch kèm theo · "
    issued = [dataclasses.replace(r, element=r.element.removeprefix(prefix))
              for r in combined.results if r.element.startswith(prefix)]
    assert _judged(report.results) == _judged(issued)
    left_out = {"none": {"PL1.III.1.quoc-hieu.hinh-thuc", "PL1.III.1.tieu-ngu.hinh-thuc",
                         "PL1.III.2.co-quan-ban-hanh.hinh-thuc"},
                "issuer": {"PL1.III.1.quoc-hieu.hinh-thuc", "PL1.III.1.tieu-ngu.hinh-thuc"},
                "lines": {"PL1.III.1.quoc-hieu.hinh-thuc", "PL1.III.1.tieu-ngu.hinh-thuc",
                          "PL1.III.2.co-quan-ban-hanh.duong-ke"},
                "mau-1.3": set()}[header]
    assert {r.rule for r in report.errors} == left_out
    assert all("Mẫu 1.3" in r.message for r in report.errors if r.rule.endswith("hinh-thuc"))


# --- near misses --------------------------------------------------------------------------------------

ANNEX = "in thành tệp riêng"
"""What the recogniser says of a phụ lục sent in a file of its own."""


def _annex_file(path: Path, lines: list[str], cites: str = "Kế hoạch số 12/KH-UBND") -> Path:
    """A page typed with no header: the given heading lines, bold and centred, then "(Kèm theo <cites>
    ngày … của …)" and a line of content."""
    document = a4_document()
    for text in lines:
        add_para(document, text, align="center", bold=True, before=0)
    add_para(document, f"(Kèm theo {cites} ngày 05/3/2026 của Ủy ban nhân dân tỉnh Lâm Đồng)",
             align="center", italic=True, before=0)
    add_para(document, "1. Sở Nội vụ chủ trì, phối hợp các sở, ngành thực hiện.")
    document.save(str(path))
    return path


@pytest.mark.parametrize("lines", [["PHỤ LỤC", "Phân công thực hiện"], ["DANH MỤC", "Các nhiệm vụ năm 2026"],
                                   ["PHỤ LỤC", "KẾ HOẠCH", "Phân công thực hiện"],
                                   ["KẾ HOẠCH CHI TIẾT", "Tuyên truyền năm 2026"]])
def test_an_annex_of_a_plan_saved_alone_is_still_sent_to_its_plan(tmp_path: Path, lines: list[str]) -> None:
    """A phụ lục, a danh mục, a phụ lục over a plan's name or a plan's detail ("(Kèm theo Kế hoạch số …)",
    no header): part of the plan it names, as today; both commands name the file to give instead."""
    path = _annex_file(tmp_path / "pl.docx", lines)
    doc = read_docx(path)
    assert doc.annex_of == "Kế hoạch số 12/KH-UBND" and doc.not_administrative is not None
    with pytest.raises(UserError) as refused:
        import_docx(path)
    assert ANNEX in str(refused.value) and "hãy nhập tệp in Kế hoạch số 12/KH-UBND cùng phụ lục này" in str(
        refused.value)
    with pytest.raises(NotAdministrative, match="hãy kiểm tra tệp in Kế hoạch số 12/KH-UBND cùng phụ lục này"):
        check_docx(path)


def test_a_list_a_decision_issues_saved_alone_is_still_an_annex(tmp_path: Path) -> None:
    """A "DANH MỤC" "(Ban hành kèm theo Quyết định số …)" with no header: no tên loại, the decision's
    annex, refused as today."""
    path = _annex_file(tmp_path / "dm.docx", ["DANH MỤC", "Thủ tục hành chính"], cites="Quyết định số 25/QĐ-UBND")
    with pytest.raises(UserError, match=f"tài liệu kèm theo Quyết định số 25/QĐ-UBND, {ANNEX}"):
        import_docx(path)


@pytest.mark.parametrize("header", ["issuer", "none"])
def test_rules_a_decision_issues_saved_alone_are_no_plan(dossiers, tmp_path: Path, header: str) -> None:  # noqa: F811
    """A Quy chế issued with a decision, saved alone without its header: a Quy chế, not a plan."""
    made = dossiers["final"]
    bare = _headerless(made["ke-hoach"], tmp_path / "kh.docx", keep="" if header == "none" else header)
    rules = _retitled(bare, tmp_path / "quy-che.docx", "QUY CHẾ")
    assert read_docx(rules).document_type == "Quy chế"
    with pytest.raises(UserError, match=r"không phải Kế hoạch \(đây là Quy chế\); lệnh import chỉ đọc"):
        import_docx(rules)


def test_a_plan_with_its_own_number_line_reads_as_before(dossiers, tmp_path: Path) -> None:  # noqa: F811
    """A plan whose header prints its own "Số: …/KH-…" line over a "(Ban hành kèm theo …)" line: its own
    number, not the decision's, as today (the line only relates it to the decision)."""
    made = dossiers["final"]
    document = docx.Document(str(made["ke-hoach"]))
    left = document.tables[0].rows[0].cells[0]
    left.add_paragraph().add_run("Số: 31/KH-UBND")
    document.save(str(tmp_path / "kh-so.docx"))
    doc = read_docx(tmp_path / "kh-so.docx")
    assert doc.number_line is not None and doc.attached_to is None
    got = import_docx(tmp_path / "kh-so.docx").data
    assert got["number"] == 31 and "own_number" not in got


CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "khac"


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not here")
def test_the_real_outline_sent_with_a_plan_is_still_sent_to_its_plan() -> None:
    """A real đề cương "(Kèm theo Kế hoạch số …)" in a file of its own: the message it gets today."""
    path = CORPUS / "lamdong-ubnd-de-cuong-bao-cao-kem-kh.docx"
    if not path.is_file():
        pytest.skip("the corpus file is not here")
    with pytest.raises(UserError) as refused:
        import_docx(path)
    assert f"đây là tài liệu kèm theo Kế hoạch số …/KH-UBND, {ANNEX}" in str(refused.value)
    assert "hãy nhập tệp in Kế hoạch số …/KH-UBND cùng phụ lục này" in str(refused.value)


def test_a_line_that_names_no_issuer_leaves_the_name_to_the_clerk(dossiers, tmp_path: Path) -> None:  # noqa: F811
    """No header and a line without "của …": nothing on the page names the issuer; the name is left for
    the văn thư, said once with the field to fill. The rest reads as with the name."""
    made = dossiers["final"]
    bare = docx.Document(str(_headerless(made["ke-hoach"], tmp_path / "kh.docx")))
    line = next(p for p in bare.paragraphs if p.text.startswith("(Ban hành kèm theo"))
    line.runs[0].text = line.text.split(" của ")[0] + ")"
    for r in line.runs[1:]:
        r.text = ""
    bare.save(str(tmp_path / "kh-no-issuer.docx"))
    got = import_docx(tmp_path / "kh-no-issuer.docx")
    named = import_docx(tmp_path / "kh.docx")
    asked = [n for n in got.warnings if "không tìm thấy tên cơ quan ban hành" in n.message]
    assert len(asked) == 1 and "hãy điền agency.name" in asked[0].message
    assert got.data["agency"]["name"] == "Cơ quan ban hành"
    assert got.data["subtitle"] == "(Ban hành kèm theo Quyết định số 25/QĐ-UBND ngày 20/01/2026)"
    # The danh mục's line names the issuer the subtitle no longer names: kept as printed, where the
    # plan with the name derives it from its subtitle (the data keeps it in one place).
    line = "(Kèm theo Kế hoạch ban hành kèm theo Quyết định số 25/QĐ-UBND ngày 20/01/2026 của UBND tỉnh Lâm Đồng)"
    assert [a.get("reference_line") for a in got.data["appendices"]] == [line]
    assert [a.get("reference_line") for a in named.data["appendices"]] == [None]

    def rest(data: dict) -> dict:
        return {k: [{**a, "reference_line": None} for a in v] if k == "appendices" else v
                for k, v in data.items() if k not in ("agency", "subtitle")}

    assert rest(got.data) == rest(named.data)


@pytest.mark.parametrize("title", ["KẾ HOẠCH HÀNH ĐỘNG", "K Ế  H O Ạ C H"])
def test_a_plan_saved_alone_titled_as_plans_are_titled(dossiers, tmp_path: Path, title: str) -> None:  # noqa: F811
    """A title the recogniser reads as a plan's (qualified, or spaced out): read as the same file
    printed after its decision reads it."""
    made = dossiers["final"]
    alone = _retitled(_headerless(made["ke-hoach"], tmp_path / "kh.docx"), tmp_path / "kh-title.docx", title)
    got = import_docx(alone)
    joined = import_docx(join(made["quyet-dinh"], alone, tmp_path / "qd-kh.docx")).data
    assert got.data == {**joined, "agency": {**joined["agency"], "place": "…", "name": "UBND tỉnh Lâm Đồng"}}


def test_a_draft_mark_over_the_title_still_opens_the_plan(dossiers, tmp_path: Path) -> None:  # noqa: F811
    """"DỰ THẢO" typed over the title of a plan saved alone without a header: a draft's mark, no heading
    of an annex; the plan is read as without it."""
    made = dossiers["draft"]
    bare = _headerless(made["ke-hoach"], tmp_path / "kh.docx")
    marked = docx.Document(str(bare))
    title = next(p for p in marked.paragraphs if p.text == "KẾ HOẠCH")
    title.insert_paragraph_before().add_run("DỰ THẢO").bold = True
    marked.save(str(tmp_path / "kh-du-thao.docx"))
    doc = read_docx(tmp_path / "kh-du-thao.docx")
    assert doc.not_administrative is None and doc.document_type == "Kế hoạch"
    assert len(doc.draft_marks) == len(read_docx(bare).draft_marks) + 1  # the typed line is a mark
    assert import_docx(tmp_path / "kh-du-thao.docx").data == import_docx(bare).data
