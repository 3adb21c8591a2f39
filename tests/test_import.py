"""Import: render(sample) → import → render gives the same text, paragraph for paragraph and cell
for cell; a plan typed by hand in Word (direct formatting, typed numbering, no custom styles)
imports with the right structure and renders to the same text; what cannot be placed is warned."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from openxml_audit import OpenXmlValidator

from generator.cli import main
from generator.jobs.importer import import_docx, import_file
from generator.plan.loader import load_plan
from generator.plan.model import Emphasis, Items, Points
from generator.jobs.issue import render_file
from generator.document.render import render_plan

from tests.paths import SAMPLE


def doc_text(path: Path) -> list[tuple[str, str]]:
    """Body paragraphs' printed lines (a paragraph cut at its line breaks: two paragraphs or one
    broken by Shift+Enter print the same) and table cells, in document order; empty paragraphs and
    blank lines dropped (spacing paragraphs are layout, not text); a merged cell counted once."""
    d = docx.Document(str(path))
    out: list[tuple[str, str]] = []
    for el in d.element.body.iterchildren():
        if el.tag == qn("w:p"):
            for line in Paragraph(el, d).text.split("\n"):
                if line.strip():
                    out.append(("p", line.strip()))
        elif el.tag == qn("w:tbl"):
            for row in Table(el, d).rows:
                previous = None
                for cell in row.cells:
                    if cell._tc is previous:
                        continue
                    previous = cell._tc
                    lines = [line.strip() for line in cell.text.split("\n") if line.strip()]
                    out.append(("cell", "\n".join(lines)))
    return out


def _valid(path: Path) -> bool:
    return OpenXmlValidator().validate(str(path)).is_valid


def test_render_import_render_same_text(tmp_path: Path) -> None:
    first = render_file(SAMPLE, tmp_path / "first.docx")
    result = import_file(first, tmp_path / "imported.yaml")
    assert result.warnings == []
    plan = load_plan(result.output)
    assert [s.title for s in plan.sections] == [
        "Mục đích, yêu cầu", "Nội dung, thời gian thực hiện", "Kinh phí thực hiện", "Tổ chức thực hiện"]
    s1 = plan.sections[0].content
    assert [c.title for c in s1] == ["Mục đích", "Yêu cầu"]
    assert [len(c.content[0].items) for c in s1] == [2, 3]
    assert all(c.text and not c.title for c in plan.sections[3].content)
    assert plan.agency.name == ["Sở Khoa học và Công nghệ"]
    assert plan.agency.parent == ["UBND tỉnh Quảng Ngãi"]
    assert (plan.agency.abbreviation, plan.number, plan.date.day) == ("SKHCN", None, 20)
    assert plan.archive == ["VT", "HCTH"] and len(plan.recipients) == 3
    assert plan.signer.title == "Giám đốc" and plan.signer.authority is None
    app = plan.appendices[0]
    assert app.title == "Danh mục" and app.reference_line is None  # derived again, not copied
    table = app.table
    assert table.numbered and table.numbering == "restart" and table.group_style == "split"
    assert _text(table.columns[2].title) == "Đơn vị, cá nhân chủ trì thực hiện"
    assert [len(g.rows) for g in table.rows] == [3, 2, 3, 3]
    # The italic piece comes back as an italic piece (issue 14: import dropped italics).
    assert any(isinstance(seg, Emphasis) for c in plan.sections[3].content
               for seg in (c.text if isinstance(c.text, list) else []))

    second = render_file(result.output, tmp_path / "second.docx")
    assert _valid(second)
    a, b = doc_text(first), doc_text(second)
    assert len(a) > 90
    assert a == b


def _text(value) -> str:
    return value if isinstance(value, str) else "".join(
        v if isinstance(v, str) else next(iter(v.model_dump().values())) for v in value)


def _para(doc, text: str = "", *, bold: bool = False, italic: bool = False, center: bool = False,
          size: float | None = None, container=None):
    par = (container or doc).add_paragraph()
    if center:
        par.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if text:
        run = par.add_run(text)
        run.bold = bold or None
        run.italic = italic or None
        run.font.name = "Times New Roman"
        if size:
            run.font.size = docx.shared.Pt(size)
    return par


def _cell(cell, lines: list[tuple[str, dict]]) -> None:
    first = cell.paragraphs[0]
    for i, (text, fmt) in enumerate(lines):
        par = first if i == 0 else cell.add_paragraph()
        if fmt.get("center"):
            par.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if text:
            run = par.add_run(text)
            run.bold = fmt.get("bold") or None
            run.italic = fmt.get("italic") or None


def word_style_plan(path: Path) -> None:
    """A Kế hoạch as a clerk types it in Word: direct formatting only, numbering typed by hand."""
    doc = docx.Document()
    c, b = {"center": True}, {"center": True, "bold": True}
    head = doc.add_table(rows=2, cols=2)
    _cell(head.cell(0, 0), [("UBND TỈNH QUẢNG NGÃI", c), ("SỞ KHOA HỌC VÀ CÔNG NGHỆ", b)])
    _cell(head.cell(0, 1), [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", b), ("Độc lập - Tự do - Hạnh phúc", b),
                            ("", c)])
    _cell(head.cell(1, 0), [("Số: 05/KH-SKHCN", c)])
    _cell(head.cell(1, 1), [("Quảng Ngãi, ngày 09 tháng 02 năm 2025", {"center": True, "italic": True})])
    _para(doc)
    _para(doc, "KẾ HOẠCH", bold=True, center=True)
    _para(doc, "Triển khai chuyển đổi số năm 2025", bold=True, center=True)
    _para(doc, "của Sở Khoa học và Công nghệ", bold=True, center=True)
    _para(doc, "-----------", center=True)
    _para(doc, "Căn cứ Quyết định số 12/QĐ-UBND ngày 05/01/2025 của UBND tỉnh Quảng Ngãi;", italic=True)
    _para(doc, "Căn cứ tình hình thực tế của Sở.", italic=True)
    _para(doc, "Sở Khoa học và Công nghệ ban hành Kế hoạch triển khai chuyển đổi số năm 2025, như sau:")
    _para(doc, "I. MỤC ĐÍCH, YÊU CẦU", bold=True)
    _para(doc, "1. Mục đích", bold=True)
    _para(doc, "- Nâng cao hiệu quả quản lý bằng công nghệ số.")
    _para(doc, "- Phục vụ người dân, doanh nghiệp tốt hơn.")
    _para(doc, "2. Yêu cầu", bold=True)
    _para(doc, "Các yêu cầu cụ thể như sau:")
    _para(doc, "a) Đúng tiến độ;")
    _para(doc, "b) Tiết kiệm, hiệu quả;")
    _para(doc, "c) Báo cáo Giám đốc Sở kết quả thực hiện.")
    _para(doc, "II. NỘI DUNG THỰC HIỆN", bold=True)
    _para(doc, "Chi tiết tại Phụ lục kèm theo Kế hoạch này.")
    _para(doc, "III. TỔ CHỨC THỰC HIỆN", bold=True)
    _para(doc, "1. Phòng Hành chính - Tổng hợp chủ trì theo dõi, đôn đốc thực hiện Kế hoạch.")
    _para(doc, "2. Các phòng, đơn vị thuộc Sở triển khai nhiệm vụ được giao.")
    _para(doc, "Trên đây là Kế hoạch triển khai chuyển đổi số năm 2025 của Sở./.")
    sig = doc.add_table(rows=1, cols=2)
    _cell(sig.cell(0, 0), [("Nơi nhận:", {"bold": True, "italic": True}), ("- UBND tỉnh (b/c);", {}),
                           ("- GĐ, các PGĐ Sở;", {}), ("- Lưu: VT, HCTH.", {})])
    _cell(sig.cell(0, 1), [("KT. GIÁM ĐỐC", b), ("PHÓ GIÁM ĐỐC", b), ("", c), ("", c), ("", c),
                           ("Trần Thị Bình", b)])
    _para(doc).add_run().add_break(WD_BREAK.PAGE)
    _para(doc, "PHỤ LỤC", bold=True, center=True)
    _para(doc, "DANH MỤC NHIỆM VỤ CHUYỂN ĐỔI SỐ NĂM 2025", bold=True, center=True)
    _para(doc, "(Kèm theo Kế hoạch số 05/KH-SKHCN ngày 09/02/2025 của Sở Khoa học và Công nghệ)",
          italic=True, center=True)
    cat = doc.add_table(rows=1, cols=5)
    for i, name in enumerate(["TT", "Nhiệm vụ", "Chủ trì", "Phối hợp", "Thời gian"]):
        _cell(cat.rows[0].cells[i], [(name, b)])

    def group(num: str, title: str) -> None:
        row = cat.add_row()
        merged = row.cells[1].merge(row.cells[4])
        _cell(row.cells[0], [(num, b)])
        _cell(merged, [(title, {"bold": True})])

    def task(num: str, content: str, lead: list[str], support: list[str], time: str) -> None:
        row = cat.add_row()
        _cell(row.cells[0], [(num, c)])
        _cell(row.cells[1], [(content, {})])
        _cell(row.cells[2], [(x, {}) for x in lead])
        _cell(row.cells[3], [(x, {}) for x in support])
        _cell(row.cells[4], [(time, c)])

    group("I", "Hạ tầng số")
    task("1", "Nâng cấp mạng nội bộ của Sở.", ["Phòng Hành chính - Tổng hợp"],
         ["- Trung tâm Ứng dụng;", "- Phòng Quản lý công nghệ."], "Quý II/2025")
    task("2", "Trang bị chữ ký số cho lãnh đạo.", ["Phòng Hành chính - Tổng hợp"], [], "Tháng 3/2025")
    group("II", "Dữ liệu số")
    task("1", "Số hóa hồ sơ lưu trữ.", ["- Phòng Hành chính - Tổng hợp;", "- Trung tâm Ứng dụng."],
         ["Các phòng, đơn vị thuộc Sở"], "Cả năm")
    doc.save(str(path))


def test_word_style_plan_imports_with_structure(tmp_path: Path) -> None:
    source = tmp_path / "ke-hoach-word.docx"
    word_style_plan(source)
    result = import_file(source)
    assert result.output == tmp_path / "ke-hoach-word.yaml"
    assert result.warnings == []
    plan = load_plan(result.output)
    assert plan.agency.model_dump() == {"parent": ["UBND tỉnh Quảng Ngãi"], "name": ["Sở Khoa học và Công nghệ"],
                                        "co_issuers": [], "short_name": None, "abbreviation": "SKHCN",
                                        "place": "Quảng Ngãi"}
    assert (plan.number, plan.date.year, plan.date.month, plan.date.day) == (5, 2025, 2, 9)
    # The trích yếu keeps the drafter's two lines.
    assert plan.subject == ["Triển khai chuyển đổi số năm 2025", "của Sở Khoa học và Công nghệ"]
    assert len(plan.grounds) == 2 and len(plan.opening) == 1
    assert plan.grounds[0].endswith(";") and plan.grounds[1].endswith(".")  # punctuation as written
    s1, s2, s3 = plan.sections
    c1, c2 = s1.content
    assert s1.title == "Mục đích, yêu cầu" and (c1.title, c2.title) == ("Mục đích", "Yêu cầu")
    assert isinstance(c1.content[0], Items) and len(c1.content[0].items) == 2
    assert c2.content[0] == "Các yêu cầu cụ thể như sau:"
    points = c2.content[1]
    assert isinstance(points, Points) and points.points[0] == "Đúng tiến độ;" and len(points.points) == 3
    assert s2.content == ["Chi tiết tại Phụ lục kèm theo Kế hoạch này."]
    assert [c.title for c in s3.content] == [None, None]
    assert s3.content[0].text.startswith("Phòng Hành chính - Tổng hợp chủ trì")
    assert plan.closing == "Trên đây là Kế hoạch triển khai chuyển đổi số năm 2025 của Sở./."
    assert plan.recipients == ["UBND tỉnh (b/c)", "GĐ, các PGĐ Sở"] and plan.archive == ["VT", "HCTH"]
    assert (plan.signer.authority, plan.signer.head_title, plan.signer.name) == (
        "KT", "Giám đốc", "Trần Thị Bình")
    assert plan.signer.title.upper() == "PHÓ GIÁM ĐỐC"
    (app,) = plan.appendices
    assert (app.title, app.subtitle) == ("Phụ lục", ["DANH MỤC NHIỆM VỤ CHUYỂN ĐỔI SỐ NĂM 2025"])
    assert app.reference_line is None and not app.landscape
    table = app.table
    assert [_text(c.title) for c in table.columns] == ["TT", "Nhiệm vụ", "Chủ trì", "Phối hợp", "Thời gian"]
    assert [_text(g.group) for g in table.rows] == ["Hạ tầng số", "Dữ liệu số"]
    assert table.numbered and table.numbering == "restart" and not table.group_caps
    row = table.rows[0].rows[0]
    assert row[0] == "Nâng cấp mạng nội bộ của Sở." and row[1] == "Phòng Hành chính - Tổng hợp"
    assert row[2].lines == ["- Trung tâm Ứng dụng;", "- Phòng Quản lý công nghệ."] and row[3] == "Quý II/2025"
    assert table.rows[0].rows[1][2] is None

    rendered = tmp_path / "rendered.docx"
    rendered.write_bytes(render_plan(plan))
    assert _valid(rendered)
    # Same text, except the hand-typed line under the trích yếu (our template draws a border).
    expected = [x for x in doc_text(source) if x[1] != "-----------"]
    assert doc_text(rendered) == expected


def test_what_cannot_be_placed_is_warned_not_dropped(tmp_path: Path) -> None:
    source = tmp_path / "word.docx"
    word_style_plan(source)
    doc = docx.Document(str(source))
    paras = [p for p in doc.paragraphs]
    anchor = next(p for p in paras if p.text == "Chi tiết tại Phụ lục kèm theo Kế hoạch này.")
    # A dash item directly under a mục, a point out of order, a khoản number that skips one, a
    # table inside the body, a row the catalogue does not know, a paragraph after the last table.
    anchor.insert_paragraph_before("- Ý không thuộc khoản nào.")
    anchor.insert_paragraph_before("c) Điểm lạc thứ tự.")
    anchor.insert_paragraph_before("3. Khoản nhảy số.")
    table = doc.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Bảng trong nội dung"
    anchor._p.addnext(table._tbl)
    catalogue = doc.tables[-1] if doc.tables[-1] is not table else doc.tables[-2]
    row = catalogue.add_row()
    row.cells[1].text = "Ghi chú: số liệu ước tính"
    doc.add_paragraph("Ghi chú cuối văn bản")
    doc.save(str(source))

    result = import_docx(source)
    messages = [(w.where, w.excerpt) for w in result.warnings]
    assert any(e == "c) Điểm lạc thứ tự." and w.startswith("đoạn ") for w, e in messages)
    assert any(e == "3. Khoản nhảy số." and w.startswith("đoạn ") for w, e in messages)
    # Every word lands in the data, in its place: render and compare with the original.
    out = tmp_path / "out.yaml"
    imported = import_file(source, out)
    plan = load_plan(imported.output)
    assert isinstance(plan.sections[1].content[0], Items)  # "-" directly under a mục is an item
    rendered = tmp_path / "out.docx"
    rendered.write_bytes(render_plan(plan))
    texts = [t for _, t in doc_text(rendered)]
    i = texts.index("- Ý không thuộc khoản nào.")
    assert texts[i + 1: i + 4] == ["c) Điểm lạc thứ tự.", "3. Khoản nhảy số.", "Chi tiết tại Phụ lục kèm theo Kế hoạch này."]
    assert "Bảng trong nội dung" in texts and "Ghi chú: số liệu ước tính" in texts
    assert "Ghi chú cuối văn bản" in texts
    original = {t for _, t in doc_text(source)} - {"-----------", ""}
    assert original <= set(texts)


def test_cli_import(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    source = tmp_path / "kh.docx"
    word_style_plan(source)
    out = tmp_path / "kh.yaml"
    assert main(["import", str(source), "-o", str(out)]) == 0
    assert "Đã tạo" in capsys.readouterr().out
    before = out.read_bytes()
    assert main(["import", str(source), "-o", str(out)]) == 2
    assert "--force" in capsys.readouterr().err
    assert out.read_bytes() == before
    assert main(["import", str(source), "-o", str(out), "--force"]) == 0
    not_docx = tmp_path / "x.docx"
    not_docx.write_text("không phải docx")
    assert main(["import", str(not_docx), "-o", str(tmp_path / "x.yaml")]) == 2
    assert "không đọc được" in capsys.readouterr().err
    assert not (tmp_path / "x.yaml").exists()


def test_a_data_file_given_to_import_is_named_for_what_it_is(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture) -> None:
    data = tmp_path / "kh.yaml"
    data.write_bytes(SAMPLE.read_bytes())
    assert main(["import", str(data)]) == 2
    err = capsys.readouterr().err
    assert "không phải văn bản Word" in err and f"kehoach render {data}" in err and "tệp gốc" not in err
    assert data.read_bytes() == SAMPLE.read_bytes()
    # A Word document named .yaml is no data file: the input is never the output, as always.
    word = tmp_path / "kh2.yaml"
    word_style_plan(word)
    before = word.read_bytes()
    assert main(["import", str(word)]) == 2
    assert "tệp gốc" in capsys.readouterr().err and word.read_bytes() == before


def test_import_then_rollover(tmp_path: Path) -> None:
    """An imported plan (citations as plain text) rolls over too: the cited year stays."""
    from generator.jobs.rollover import rollover_file

    first = render_file(SAMPLE, tmp_path / "ke-hoach-2024.docx")
    imported = import_file(first).output
    result = rollover_file(imported, 2025)
    plan = load_plan(result.output)
    assert plan.opening[0].startswith("Thực hiện Kế hoạch số 36/KH-UBND ngày 07/02/2024")
    assert plan.opening[0].endswith("kiểm soát TTHC năm 2025, như sau:")
    assert any(i.kind == "citation" and i.path == "opening[0]" for i in result.items)


def test_tracked_insertions_and_content_controls_are_read_not_dropped():
    from docx import Document
    from docx.oxml import parse_xml

    from generator.word.reader import visible_text

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    p = parse_xml(
        f'<w:p {w}><w:r><w:t xml:space="preserve">Thực hiện </w:t></w:r>'
        '<w:ins w:id="1" w:author="a"><w:r><w:t>Kế hoạch</w:t></w:r></w:ins>'
        '<w:del w:id="2" w:author="a"><w:r><w:delText>bỏ</w:delText></w:r></w:del>'
        '<w:sdt><w:sdtContent><w:r><w:t xml:space="preserve"> số 36</w:t></w:r></w:sdtContent></w:sdt></w:p>'
    )
    Document()  # python-docx's element classes are registered
    assert visible_text(p) == "Thực hiện Kế hoạch số 36"


def test_table_before_the_first_muc_goes_first_in_it(tmp_path: Path) -> None:
    """A table between the opening and mục I has no block to sit in: it is kept, first in mục I,
    with a warning naming it, and the mục numbering stays I., II., III."""
    source = tmp_path / "bang-dau.docx"
    word_style_plan(source)
    doc = docx.Document(str(source))
    anchor = next(p for p in doc.paragraphs if p.text.startswith("Sở Khoa học và Công nghệ ban hành"))
    table = doc.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Bảng trước mục một"
    table.cell(0, 1).text = "Giá trị"
    anchor._p.addnext(table._tbl)
    doc.save(str(source))
    result = import_file(source, tmp_path / "bang-dau.yaml")
    assert [(w.where, w.excerpt) for w in result.warnings] == [("bảng 2", "Bảng trước mục một")]
    plan = load_plan(result.output)
    assert [s.title for s in plan.sections] == ["Mục đích, yêu cầu", "Nội dung thực hiện", "Tổ chức thực hiện"]
    rendered = tmp_path / "bang-dau.docx.out.docx"
    rendered.write_bytes(render_plan(plan))
    texts = [t for _, t in doc_text(rendered)]
    assert texts.index("I. MỤC ĐÍCH, YÊU CẦU") < texts.index("Bảng trước mục một") < texts.index("1. Mục đích")
