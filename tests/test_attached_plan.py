"""A Quyết định and the Kế hoạch it issues published as one file: the decision, then on a new page the
plan with its own header, "KẾ HOẠCH", trích yếu and "(Ban hành kèm theo Quyết định số …)" line.
`import` reads the plan as its own file would give it and says the decision once; `check` judges each
document by its own rules, none of the plan's parts taken for the decision's. The files are made here
the way agencies make them: the dossier's rendered decision and plan joined, the plan's body after the
decision's on a new page."""

from __future__ import annotations

import copy
import dataclasses
from collections import Counter
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from generator.check import check_docx
from generator.check.rules import run_rules
from generator.errors import UserError
from generator.jobs.dossier import write_dossier
from generator.jobs.importer import import_docx
from generator.recognise import read_docx
from generator.recognise.columns import tab_columns
from generator.recognise.parts import recognise
from generator.word.reader import read_word
from tests.test_dossier import SAMPLE, _final_data



@pytest.fixture(scope="module")
def dossiers(tmp_path_factory) -> dict[str, dict[str, Path]]:
    """The decision and the plan it issues, as a draft (number and day blank) and as issued."""
    tmp = tmp_path_factory.mktemp("attached")
    draft = write_dossier(SAMPLE, tmp / "draft")
    final = write_dossier(_final_data(tmp), tmp / "final", final=True)
    return {name: {d.kind: d.path for d in result.documents} for name, result in (("draft", draft), ("final", final))}


def _paragraph(*children: object) -> object:
    p = OxmlElement("w:p")
    for child in children:
        p.append(child)
    return p


def _page_break() -> object:
    run, br = OxmlElement("w:r"), OxmlElement("w:br")
    br.set(qn("w:type"), "page")
    run.append(br)
    return _paragraph(run)


def join(decision: Path, second: Path, out: Path, *, by: str = "page") -> Path:
    """The decision's file with the second document's body after it: on a new page by a page break
    typed in an empty paragraph ("page") or by a section break ("section"), or run on ("none"). The
    file's last section is the second document's (its appendix's landscape page kept); both are
    rendered from one template, so the headers they name are the same."""
    first = docx.Document(str(decision))
    body = first.element.body
    final = body.find(qn("w:sectPr"))
    other = docx.Document(str(second)).element.body
    if by == "page":
        final.addprevious(_page_break())
    elif by == "section":
        ppr = OxmlElement("w:pPr")
        ppr.append(copy.deepcopy(final))
        final.addprevious(_paragraph(ppr))
    for child in other:
        if child.tag != qn("w:sectPr"):
            final.addprevious(copy.deepcopy(child))
    body.replace(final, copy.deepcopy(other.find(qn("w:sectPr"))))
    first.save(str(out))
    return out


def _retitled(plan: Path, out: Path, title: str, cites: str = "Quyết định") -> Path:
    """The plan printed as another kind of document (its tên loại changed), issued with a document of
    the kind `cites` names (its "(Ban hành kèm theo …)" line)."""
    document = docx.Document(str(plan))
    line = next(p for p in document.paragraphs if p.text == "KẾ HOẠCH")
    line.runs[0].text = title
    for r in line.runs[1:]:
        r.text = ""
    subtitle = next(p for p in document.paragraphs if p.text.startswith("(Ban hành kèm theo"))
    for r in subtitle.runs:
        r.text = r.text.replace("Quyết định", cites)
    document.save(str(out))
    return out


PLACE_ASKED = "hãy điền agency.place"
"""The plan alone prints no place (no date line of its own): its import asks for it."""


def _placed(alone: dict, decision: Path) -> dict:
    """The plan alone's data with the place the decision printed before it in the same file prints."""
    place = read_docx(decision).date.place
    assert place and alone["agency"]["place"] == "…"
    return {**alone, "agency": {**alone["agency"], "place": place}}


@pytest.mark.parametrize("stage", ["draft", "final"])
@pytest.mark.parametrize("by", ["page", "section"])
def test_import_reads_the_plan_the_decision_issues(dossiers, tmp_path: Path, stage: str, by: str) -> None:
    made = dossiers[stage]
    combined = join(made["quyet-dinh"], made["ke-hoach"], tmp_path / "qd-kh.docx", by=by)
    alone = import_docx(made["ke-hoach"])
    got = import_docx(combined)
    assert got.data == _placed(alone.data, made["quyet-dinh"])
    assert got.data["own_number"] is False and got.data["subtitle"].startswith("(Ban hành kèm theo Quyết định")
    said = [n for n in got.warnings if "tệp mở đầu bằng Quyết định" in n.message]
    assert len(said) == 1
    assert "chỉ nhập Kế hoạch ban hành kèm theo" in said[0].message
    if stage == "final":
        assert "Quyết định số 25/QĐ-UBND ngày 20/01/2026" in said[0].message
    # Only that line is new: the plan's own warnings, as importing it alone says them, but the place the
    # decision gave.
    assert Counter(n.message for n in got.warnings if n not in said) == Counter(
        n.message for n in alone.warnings if PLACE_ASKED not in n.message)
    assert any(PLACE_ASKED in n.message for n in alone.warnings)


def test_the_decision_dates_a_plan_whose_line_left_the_day_blank(dossiers, tmp_path: Path) -> None:
    """The decision dated when issued, the plan's "(Ban hành kèm theo …)" line still a draft's: the plan's
    date is the decision's, the rest as the plan alone gives it."""
    combined = join(dossiers["final"]["quyet-dinh"], dossiers["draft"]["ke-hoach"], tmp_path / "qd-kh.docx")
    alone = import_docx(dossiers["draft"]["ke-hoach"]).data
    got = import_docx(combined).data
    assert alone["date"] == "2026-01" and got["date"] == "2026-01-20"
    placed = _placed(alone, dossiers["final"]["quyet-dinh"])
    assert {k: v for k, v in got.items() if k != "date"} == {k: v for k, v in placed.items() if k != "date"}


def test_a_plan_run_on_after_the_signature_is_no_document_of_its_own(dossiers, tmp_path: Path) -> None:
    """Only a new page opens a second document: run on under the decision's signature, the lines stay
    the decision's (read as today)."""
    made = dossiers["final"]
    combined = join(made["quyet-dinh"], made["ke-hoach"], tmp_path / "run-on.docx", by="none")
    assert read_docx(combined).attached is None


def test_a_decision_alone_is_still_refused(dossiers) -> None:
    path = dossiers["final"]["quyet-dinh"]
    with pytest.raises(UserError) as refused:
        import_docx(path)
    assert str(refused.value) == (f"{path}: không phải Kế hoạch (đây là Quyết định); lệnh import chỉ đọc văn bản "
                                  "Kế hoạch. Kiểm tra thể thức văn bản khác bằng 'kehoach check'")


def test_a_decision_issuing_another_kind_of_document_is_refused(dossiers, tmp_path: Path) -> None:
    made = dossiers["final"]
    rules = _retitled(made["ke-hoach"], tmp_path / "quy-che.docx", "QUY CHẾ")
    combined = join(made["quyet-dinh"], rules, tmp_path / "qd-qc.docx")
    doc = read_docx(combined)
    assert doc.document_type == "Quyết định" and doc.attached is not None
    assert doc.attached.document_type == "Quy chế"
    with pytest.raises(UserError, match=r"không phải Kế hoạch \(đây là Quyết định, văn bản ban hành kèm theo là "
                                        r"Quy chế\)"):
        import_docx(combined)


def test_a_list_without_a_header_of_its_own_stays_the_decisions(dossiers, tmp_path: Path) -> None:
    """A list issued with the decision printed on a new page without a header of its own ("DANH SÁCH",
    its name, "(Ban hành kèm theo Quyết định …)", a table): the decision's appendix, as today."""
    made = dossiers["final"]
    listing = docx.Document(str(made["ke-hoach"]))
    body = listing.element.body
    for child in list(body):
        if child.tag == qn("w:tbl"):
            body.remove(child)
            break  # the header table: the list prints no header
    title = next(p for p in listing.paragraphs if p.text == "KẾ HOẠCH")
    title.runs[0].text = "DANH SÁCH"
    path = listing.save(str(tmp_path / "danh-sach.docx")) or tmp_path / "danh-sach.docx"
    combined = join(made["quyet-dinh"], path, tmp_path / "qd-ds.docx")
    doc = read_docx(combined)
    assert doc.attached is None
    with pytest.raises(UserError) as refused:
        import_docx(combined)
    assert "không phải Kế hoạch (đây là Quyết định); lệnh import chỉ đọc" in str(refused.value)


def _judged(results) -> Counter:
    """What a report finds, without where (the file numbers the plan's tables after the decision's)."""
    return Counter((r.rule, r.element, r.status, r.measured, r.expected) for r in results)


@pytest.mark.parametrize("by", ["page", "section"])
def test_check_judges_each_document_by_its_own_rules(dossiers, tmp_path: Path, by: str) -> None:
    """No finding from reading the two as one: the decision's findings are the decision's alone, and the
    plan's, grouped under "Kế hoạch kèm theo", are the plan's alone (as an issued-with-a-decision plan)."""
    made = dossiers["final"]
    combined = check_docx(join(made["quyet-dinh"], made["ke-hoach"], tmp_path / "qd-kh.docx", by=by))
    decision, plan = check_docx(made["quyet-dinh"]), check_docx(made["ke-hoach"])
    assert combined.document_type == "Quyết định"
    prefix = "Kế hoạch kèm theo · "
    own = [r for r in combined.results if not r.element.startswith(prefix)]
    issued = [r for r in combined.results if r.element.startswith(prefix)]
    # Every error and warning is the decision's own. What passes may differ in the page numbers only:
    # the decision alone is one page by Word's saved count, a count the combined file's part cannot use
    # (it counts both documents), so there its page number's face and size are judged too (and pass).
    assert _judged(r for r in own if r.status != "pass") == _judged(r for r in decision.results if r.status != "pass")
    extra = {r.rule for r in own} - {r.rule for r in decision.results}
    assert all(rule.startswith("PL1.II.7.so-trang") for rule in extra), extra
    assert _judged(issued) == _judged([dataclasses.replace(r, element=prefix + r.element) for r in plan.results])
    assert not combined.errors and not combined.warnings
    assert combined.note is not None and "Kế hoạch ban hành kèm theo" in combined.note


def test_places_in_the_issued_plan_are_counted_as_the_file_counts_them(dossiers, tmp_path: Path) -> None:
    """A finding in the plan printed after its decision names the section as the file numbers it (the
    plan begins the file's second section when joined by a section break), not as the plan alone would."""
    made = dossiers["final"]
    plan = docx.Document(str(made["ke-hoach"]))
    body = [p for p in plan.paragraphs if len(p.text) > 100][3]
    for run in body.runs:
        run.font.size = docx.shared.Pt(11)  # a body line in 11 pt: a size finding that names its place
    plan.save(str(tmp_path / "kh-11pt.docx"))

    def size_finding(report) -> str:
        found = [r for r in report.results if r.rule == "PL1.III.6.noi-dung.co-chu" and r.status == "fail"]
        assert len(found) == 1 and body.text[:30] in found[0].location
        return found[0].location

    assert "mục trang 1," in size_finding(check_docx(tmp_path / "kh-11pt.docx"))
    combined = join(made["quyet-dinh"], tmp_path / "kh-11pt.docx", tmp_path / "qd-kh.docx", by="section")
    assert len(docx.Document(str(combined)).sections) >= 2
    assert "mục trang 2," in size_finding(check_docx(combined))


def test_a_part_that_is_the_whole_file_reads_as_the_file(dossiers) -> None:
    """WordDocument.part: the lines of a file taken as a document of their own read as that file (every
    rule finds the same, at the same place), sections, tables and lines broken by hand included."""
    word = read_word(dossiers["final"]["ke-hoach"], columns=tab_columns)
    whole, part = recognise(word), recognise(word.part(0))
    assert Counter(dataclasses.astuple(r) for r in run_rules(part)) == \
        Counter(dataclasses.astuple(r) for r in run_rules(whole))
    assert [p.text for p in part.body] == [p.text for p in whole.body]
    assert [a.heading.text for a in part.appendices] == [a.heading.text for a in whole.appendices]


def test_a_plan_followed_by_a_document_it_issues_is_read_and_the_other_said(dossiers, tmp_path: Path) -> None:
    """A plan, then on a new page a Quy chế "(Ban hành kèm theo Kế hoạch số …)": the plan is imported as
    alone, and the Quy chế is said, not taken for the plan's appendix nor dropped unseen."""
    made = dossiers["final"]
    rules = _retitled(made["ke-hoach"], tmp_path / "quy-che.docx", "QUY CHẾ", cites="Kế hoạch")
    # By a section break: the plan's appendix keeps its landscape page (a page break would print it in
    # the Quy chế's first section).
    combined = join(made["ke-hoach"], rules, tmp_path / "kh-qc.docx", by="section")
    got, alone = import_docx(combined), import_docx(made["ke-hoach"])
    assert got.data == alone.data
    said = [n for n in got.warnings if "Quy chế ban hành kèm theo kế hoạch" in n.message]
    assert len(said) == 1 and "không nhập" in said[0].message


def _appendix_page(decision: Path, out: Path) -> Path:
    """A page of the decision's own appendix: "PHỤ LỤC", its name and "(Kèm theo Quyết định …)" line,
    a line of content; no header (an appendix is no document of its own)."""
    document = docx.Document(str(decision))
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    for text, bold in (("PHỤ LỤC", True), ("Danh sách cơ quan phối hợp", True),
                       ("(Kèm theo Quyết định số 25/QĐ-UBND ngày 20/01/2026 của UBND tỉnh Lâm Đồng)", False),
                       ("1. Sở Văn hóa, Thể thao và Du lịch.", False)):
        line = document.add_paragraph()
        line.alignment = 1 if bold or text.startswith("(") else 3
        line.add_run(text).bold = bold
    document.save(str(out))
    return out


def test_the_decisions_own_appendix_stays_the_decisions(dossiers, tmp_path: Path) -> None:
    """The decision's appendix on a new page after its signature, then the plan on another: the appendix
    is the decision's (no document opens on its page), the plan begins where its own header does."""
    made = dossiers["final"]
    with_appendix = join(made["quyet-dinh"], _appendix_page(made["quyet-dinh"], tmp_path / "pl.docx"),
                         tmp_path / "qd-pl.docx")
    combined = join(with_appendix, made["ke-hoach"], tmp_path / "qd-pl-kh.docx")
    doc = read_docx(combined)
    assert [a.heading.text for a in doc.appendices] == ["PHỤ LỤC"]
    assert doc.attached is not None and doc.attached.document_type == "Kế hoạch"
    assert import_docx(combined).data == _placed(import_docx(made["ke-hoach"]).data, made["quyet-dinh"])


# --- a plan printed after its decision without a header of its own ---------------------------------

HEADER_RULES = ("PL1.III.1.quoc-hieu", "PL1.III.1.tieu-ngu", "PL1.III.2.co-quan-ban-hanh")
"""The rules of the header's parts a plan printed without a header of its own does not print."""
TAKEN = "kế hoạch không in tên cơ quan ban hành"
"""The one note of an import that took the issuer's name from the decision."""


def _headerless(plan: Path, out: Path, *, keep: str = "") -> Path:
    """The plan as many agencies print it after its decision: its title the first line of its page. The
    header's table removed (keep=""), or only its Quốc hiệu and Tiêu ngữ left blank (keep="issuer":
    the issuer's name alone in the table), or the issuer's name typed as lines over the title
    (keep="lines")."""
    document = docx.Document(str(plan))
    header = document.tables[0]
    if keep == "issuer":
        for p in header.rows[0].cells[1].paragraphs:
            for r in p.runs:
                r.text = ""
    else:
        if keep == "lines":
            first = document.paragraphs[0]
            for text in ("ỦY BAN NHÂN DÂN", "TỈNH LÂM ĐỒNG"):
                line = first.insert_paragraph_before()
                line.alignment = 1
                run = line.add_run(text)
                run.bold, run.font.size = True, docx.shared.Pt(13)
        header._tbl.getparent().remove(header._tbl)
    document.save(str(out))
    return out


@pytest.mark.parametrize("stage", ["draft", "final"])
@pytest.mark.parametrize("by", ["page", "section"])
def test_import_reads_a_plan_printed_without_a_header_of_its_own(dossiers, tmp_path: Path, stage: str,
                                                                 by: str) -> None:
    """The plan's title the first line of its page: the plan is read as when it prints its header, the
    issuer's name taken from the decision, and that said once."""
    made = dossiers[stage]
    bare = _headerless(made["ke-hoach"], tmp_path / "kh.docx")
    doc = read_docx(join(made["quyet-dinh"], bare, tmp_path / "qd-kh.docx", by=by))
    assert doc.document_type == "Quyết định" and doc.attached is not None
    assert doc.attached.document_type == "Kế hoạch" and doc.attached.issuer_lines == []
    assert doc.appendices == [] and [a.heading.text for a in doc.attached.appendices] == ["DANH MỤC"]
    with_header = import_docx(join(made["quyet-dinh"], made["ke-hoach"], tmp_path / "qd-kh-head.docx", by=by))
    got = import_docx(tmp_path / "qd-kh.docx")
    assert got.data == with_header.data == _placed(import_docx(made["ke-hoach"]).data, made["quyet-dinh"])
    taken = [n for n in got.warnings if TAKEN in n.message]
    assert len(taken) == 1 and "ỦY BAN NHÂN DÂN / TỈNH LÂM ĐỒNG" in taken[0].excerpt
    assert "từ Quyết định" in taken[0].message and "agency.name" in taken[0].message
    # Else what the plan with its header says: the decision once, the plan's own notes.
    decision = [n for n in got.warnings if "tệp mở đầu bằng Quyết định" in n.message]
    assert len(decision) == 1
    assert Counter(n.message for n in got.warnings if n not in taken + decision) == Counter(
        n.message for n in with_header.warnings if "tệp mở đầu bằng Quyết định" not in n.message)


@pytest.mark.parametrize("keep", ["issuer", "lines"])
def test_a_plan_printing_only_its_issuers_name_is_read_with_it(dossiers, tmp_path: Path, keep: str) -> None:
    """The issuer's name over the title, no Quốc hiệu: the plan's own name is read (nothing taken from the
    decision), as a header, not as lines between the header and the title."""
    made = dossiers["final"]
    combined = join(made["quyet-dinh"], _headerless(made["ke-hoach"], tmp_path / "kh.docx", keep=keep),
                    tmp_path / "qd-kh.docx")
    issued = read_docx(combined).attached
    assert issued is not None and issued.quoc_hieu is None
    assert [p.text for p in issued.issuer_lines] == ["ỦY BAN NHÂN DÂN", "TỈNH LÂM ĐỒNG"]
    assert issued.before_title == []
    got = import_docx(combined)
    assert got.data == _placed(import_docx(made["ke-hoach"]).data, made["quyet-dinh"])
    assert not [n for n in got.warnings if TAKEN in n.message or "không thuộc thành phần nào" in n.message]
    found = {r.rule for r in check_docx(combined).errors}
    assert found == {"PL1.III.1.quoc-hieu.hinh-thuc", "PL1.III.1.tieu-ngu.hinh-thuc"} | (
        {"PL1.III.2.co-quan-ban-hanh.duong-ke"} if keep == "lines" else set())  # typed lines: none drawn under


@pytest.mark.parametrize("by", ["page", "section"])
def test_check_finds_the_header_parts_an_attached_plan_does_not_print(dossiers, tmp_path: Path, by: str) -> None:
    """The decision judged as alone; the plan as with its header but for the header's parts: each said
    once as missing (Phụ lục III, Mẫu 1.3 prints them atop the document a decision issues), none left
    unevaluated, no size or case judged on a line not printed."""
    made = dossiers["final"]
    bare = _headerless(made["ke-hoach"], tmp_path / "kh.docx")
    combined = check_docx(join(made["quyet-dinh"], bare, tmp_path / "qd-kh.docx", by=by))
    with_header = check_docx(join(made["quyet-dinh"], made["ke-hoach"], tmp_path / "qd-kh-head.docx", by=by))
    prefix = "Kế hoạch kèm theo · "
    own = [r for r in combined.results if not r.element.startswith(prefix)]
    assert _judged(own) == _judged(r for r in with_header.results if not r.element.startswith(prefix))
    decision = check_docx(made["quyet-dinh"])
    assert _judged(r for r in own if r.status != "pass") == _judged(r for r in decision.results if r.status != "pass")
    issued = [r for r in combined.results if r.element.startswith(prefix)]
    assert not [r for r in issued if r.status == "not_evaluated"]
    header = [r for r in issued if r.rule.startswith(HEADER_RULES)]
    assert sorted(r.rule for r in header) == ["PL1.III.1.quoc-hieu.hinh-thuc", "PL1.III.1.tieu-ngu.hinh-thuc",
                                              "PL1.III.2.co-quan-ban-hanh.hinh-thuc"]
    assert all(r.status == "fail" and r.severity == "error" and "Mẫu 1.3" in r.message
               and "Quyết định 25/QĐ-UBND" in r.message and "“KẾ HOẠCH”" in r.location for r in header)
    assert _judged(r for r in issued if not r.rule.startswith(HEADER_RULES)) == _judged(
        r for r in with_header.results if r.element.startswith(prefix) and not r.rule.startswith(HEADER_RULES))
    assert {r.rule for r in combined.errors} == {r.rule for r in header}


def test_a_plan_without_a_header_run_on_after_the_signature_stays_the_decisions(dossiers, tmp_path: Path) -> None:
    """Without a new page the title and its "(Ban hành kèm theo …)" line open no document."""
    made = dossiers["final"]
    combined = join(made["quyet-dinh"], _headerless(made["ke-hoach"], tmp_path / "kh.docx"),
                    tmp_path / "run-on.docx", by="none")
    assert read_docx(combined).attached is None
    with pytest.raises(UserError, match=r"không phải Kế hoạch \(đây là Quyết định\); lệnh import chỉ đọc"):
        import_docx(combined)


def test_a_title_on_a_new_page_without_its_kem_theo_line_opens_no_document(dossiers, tmp_path: Path) -> None:
    """"KẾ HOẠCH" and a name on a new page after the signature, but no "(Ban hành kèm theo Quyết định …)"
    line under them: nothing says the decision issues it; the decision's, as today."""
    made = dossiers["final"]
    bare = docx.Document(str(_headerless(made["ke-hoach"], tmp_path / "kh.docx")))
    line = next(p for p in bare.paragraphs if p.text.startswith("(Ban hành kèm theo"))
    line._p.getparent().remove(line._p)
    bare.save(str(tmp_path / "kh-no-line.docx"))
    combined = join(made["quyet-dinh"], tmp_path / "kh-no-line.docx", tmp_path / "qd-kh.docx")
    assert read_docx(combined).attached is None
    with pytest.raises(UserError, match=r"không phải Kế hoạch \(đây là Quyết định\)"):
        import_docx(combined)


def _page_of_lines(decision: Path, out: Path, lines: list[tuple[str, bool]], *, table: str = "") -> Path:
    """The decision's file emptied and given these lines (text, bold), centred, after a table of one cell
    holding `table` when given (a heading set in a table), as a page to join after a decision."""
    document = docx.Document(str(decision))
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    if table:
        cell = document.add_table(rows=1, cols=2).rows[0].cells
        cell[0].paragraphs[0].add_run(table).bold = True
        cell[1].paragraphs[0].add_run("Nội dung công việc")
    for text, bold in lines:
        line = document.add_paragraph()
        line.alignment = 1
        line.add_run(text).bold = bold
    document.save(str(out))
    return out


def test_a_ke_hoach_in_a_table_on_the_decisions_appendix_page_opens_no_document(dossiers, tmp_path: Path) -> None:
    """A page after the signature whose table holds "KẾ HOẠCH" in capitals, then a "(Kèm theo Quyết định
    …)" line: the words are the table's, no title over the page; the decision's appendix stays its."""
    made = dossiers["final"]
    page = _page_of_lines(made["quyet-dinh"], tmp_path / "pl.docx", [
        ("(Ban hành kèm theo Quyết định số 25/QĐ-UBND ngày 20/01/2026 của UBND tỉnh Lâm Đồng)", False),
        ("1. Sở Nội vụ chủ trì.", False)], table="KẾ HOẠCH")
    combined = join(made["quyet-dinh"], page, tmp_path / "qd-pl.docx")
    assert read_docx(combined).attached is None
    with pytest.raises(UserError, match=r"không phải Kế hoạch \(đây là Quyết định\)"):
        import_docx(combined)


def test_a_plans_title_quoted_in_the_decisions_body_opens_no_document(dossiers, tmp_path: Path) -> None:
    """A decision whose article sets out the plan's name as a title, on a page of its own, with its
    "(Ban hành kèm theo …)" line, before the decision's signature: the decision's text. Only a page
    begun after the signature opens a document; the decision's findings are the decision's."""
    made = dossiers["final"]
    decision = docx.Document(str(made["quyet-dinh"]))
    signature = decision.tables[-1]._tbl
    signature.addprevious(_page_break())
    for text, bold in (("KẾ HOẠCH", True), ("Tuyên truyền cải cách hành chính năm 2026", True),
                       ("(Ban hành kèm theo Quyết định số 25/QĐ-UBND ngày 20/01/2026 của UBND tỉnh Lâm Đồng)",
                        False)):
        line = decision.add_paragraph()
        line.alignment = 1
        line.add_run(text).bold = bold
        signature.addprevious(line._p)
    decision.save(str(tmp_path / "qd-quoted.docx"))
    doc = read_docx(tmp_path / "qd-quoted.docx")
    assert doc.document_type == "Quyết định" and doc.attached is None and doc.signer_name is not None
    with pytest.raises(UserError, match=r"không phải Kế hoạch \(đây là Quyết định\)"):
        import_docx(tmp_path / "qd-quoted.docx")
    assert not [r for r in check_docx(tmp_path / "qd-quoted.docx").results if r.element.startswith("Kế hoạch kèm theo")]


def test_a_decision_issuing_rules_printed_without_a_header_says_so(dossiers, tmp_path: Path) -> None:
    """A Quy chế printed after its decision without a header is the decision's Quy chế, not a plan."""
    made = dossiers["final"]
    rules = _retitled(_headerless(made["ke-hoach"], tmp_path / "kh.docx"), tmp_path / "quy-che.docx", "QUY CHẾ")
    combined = join(made["quyet-dinh"], rules, tmp_path / "qd-qc.docx")
    doc = read_docx(combined)
    assert doc.attached is not None and doc.attached.document_type == "Quy chế"
    with pytest.raises(UserError, match=r"không phải Kế hoạch \(đây là Quyết định, văn bản ban hành kèm theo là "
                                        r"Quy chế\)"):
        import_docx(combined)


@pytest.mark.parametrize("title", ["KẾ HOẠCH", "KẾ HOẠCH HÀNH ĐỘNG"])
def test_a_plan_without_a_header_on_a_page_begun_by_page_break_before(dossiers, tmp_path: Path, title: str) -> None:
    """The new page set on the title's paragraph ("page break before", no break typed) and the title as
    the recogniser reads titles: read as the plan alone gives it, the issuer's name the decision's."""
    made = dossiers["final"]
    retitled = _retitled(_headerless(made["ke-hoach"], tmp_path / "kh.docx"), tmp_path / "kh-title.docx", title)
    path = join(made["quyet-dinh"], retitled, tmp_path / "qd-kh.docx", by="none")
    document = docx.Document(str(path))
    next(p for p in document.paragraphs if p.text == title).paragraph_format.page_break_before = True
    document.save(str(path))
    doc = read_docx(path)
    assert doc.attached is not None and doc.attached.document_type == "Kế hoạch"
    assert doc.attached.doc_type is not None and doc.attached.doc_type.text == title
    got = import_docx(path)
    assert len([n for n in got.warnings if TAKEN in n.message]) == 1
    alone = import_docx(_retitled(made["ke-hoach"], tmp_path / "alone.docx", title)).data
    assert got.data == _placed(alone, made["quyet-dinh"])


def test_a_phu_luc_heading_over_a_title_keeps_the_page_the_decisions(dossiers, tmp_path: Path) -> None:
    """"PHỤ LỤC" over "KẾ HOẠCH", a name and the "(Kèm theo Quyết định …)" line: the decision's appendix
    that details a plan (its heading says so), not a plan the decision issues, nor the heading a name."""
    made = dossiers["final"]
    page = _page_of_lines(made["quyet-dinh"], tmp_path / "pl.docx", [
        ("PHỤ LỤC", True), ("KẾ HOẠCH", True), ("Phân công thực hiện", True),
        ("(Kèm theo Quyết định số 25/QĐ-UBND ngày 20/01/2026 của UBND tỉnh Lâm Đồng)", False),
        ("1. Sở Nội vụ chủ trì.", False)])
    combined = join(made["quyet-dinh"], page, tmp_path / "qd-pl.docx")
    doc = read_docx(combined)
    assert doc.attached is None and [a.heading.text for a in doc.appendices] == ["PHỤ LỤC"]
