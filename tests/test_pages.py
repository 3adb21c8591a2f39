"""What the printed pages show (issue 27), read off LibreOffice's PDF by text positions: no page
that holds only its number, no appendix group row last on a page, dates in an appendix made from
a spreadsheet never split, cells with Word's default margins. Plans are built here from data."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.document.render import render_plan
from generator.plan.loader import Source, validate

from tests.paths import SAMPLE

needs_office = pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                                  reason="LibreOffice and poppler-utils are needed to see the pages")


def sample_data() -> dict[str, Any]:
    return yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))


def render(data: dict[str, Any]) -> bytes:
    return render_plan(validate(Source("plan.yaml", data)))


def to_pdfs(tmp_path: Path, docs: dict[str, bytes]) -> dict[str, Path]:
    """Every document converted by one LibreOffice run."""
    for name, data in docs.items():
        (tmp_path / f"{name}.docx").write_bytes(data)
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to",
                    "pdf", "--outdir", str(tmp_path), *(str(tmp_path / f"{n}.docx") for n in docs)],
                   check=True, capture_output=True, timeout=600)
    return {n: tmp_path / f"{n}.pdf" for n in docs}


Line = tuple[float, str]  # (top in points, the words of the line)


def page_lines(pdf: Path) -> list[list[Line]]:
    """Each page's lines, top to bottom: words of one baseline joined."""
    bbox = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    pages: list[list[Line]] = []
    for page in re.findall(r"<page .*?</page>", bbox, re.S):
        rows: dict[int, list[tuple[float, str]]] = {}
        for x, y, word in re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', page):
            rows.setdefault(round(float(y)), []).append((float(x), word))
        pages.append([(float(y), " ".join(w for _, w in sorted(ws))) for y, ws in sorted(rows.items())])
    return pages


def only_number(page: list[Line]) -> bool:
    return all(text.isdigit() for _, text in page)


@needs_office
def test_no_page_holds_only_its_number(tmp_path: Path) -> None:
    """The signature table ends at every height near the page bottom in turn (one recipient more
    each time); the section break before the landscape appendix never takes a page of its own."""
    docs = {}
    for n in range(40, 52):
        data = sample_data()
        data["recipients"] += [f"Đơn vị nhận thứ {i}" for i in range(n)]
        docs[f"r{n}"] = render(data)
    seen_bottom = False
    for name, pdf in to_pdfs(tmp_path, docs).items():
        pages = page_lines(pdf)
        assert not any(only_number(p) for p in pages), f"{name}: a page with only its number"
        signature = next(p for p in pages if any("Nguyễn Văn Thành" in t for _, t in p))
        seen_bottom |= signature[-1][0] > 842 - 56.7 - 30  # the signature ends near the bottom margin
    assert seen_bottom  # the sweep did reach the page bottom


def catalogue(groups: int, short: int = 0) -> dict[str, Any]:
    tasks = [
        {"content": "Tổ chức tuyên truyền, phổ biến nội dung kế hoạch đến cán bộ, công chức và người dân "
                    "trên địa bàn bằng nhiều hình thức phù hợp", "lead": ["hcth"], "time": "Quý II/2025"},
        {"content": "Rà soát, đánh giá kết quả thực hiện", "lead": ["hcth"], "time": "15/11/2025"},
    ]
    return {"title": "Phụ lục", "subtitle": "Danh mục nhiệm vụ",
            "groups": [{"title": f"Nhóm nhiệm vụ thứ {g + 1} về hợp tác và thu hút đầu tư",
                        "tasks": tasks * (1 + g % 3)} for g in range(groups)]
            if not short else
            [{"title": "Nhóm đầu", "tasks": [{"content": f"Việc {i}", "time": "2025"} for i in range(short)]}]
            + [{"title": f"Nhóm nhiệm vụ thứ {g + 1} về hợp tác và thu hút đầu tư",
                "tasks": tasks * (1 + g % 3)} for g in range(groups)]}


@needs_office
def test_no_group_row_ends_a_page(tmp_path: Path) -> None:
    docs = {}
    for k in range(12):  # the first group one short row longer each time: every row meets a page end
        data = sample_data()
        data["appendices"] = [catalogue(10, short=k + 1)]
        docs[f"g{k}"] = render(data)
    checked = 0
    for name, pdf in to_pdfs(tmp_path, docs).items():
        pages = page_lines(pdf)
        for i, page in enumerate(pages[:-1]):
            text = [t for _, t in page if not t.isdigit()]
            if any("Nhóm nhiệm vụ thứ" in t for t in text):
                checked += 1
                assert "Nhóm nhiệm vụ thứ" not in text[-1] and "thu hút đầu tư" not in text[-1], (
                    f"{name}: page {i + 1} ends with a group row: {text[-1]}")
    assert checked


@needs_office
def test_dates_in_a_spreadsheet_appendix_are_never_split(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["STT", "Nội dung", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"])
    long = ("Xây dựng, triển khai nền tảng số dùng chung phục vụ quản lý, điều hành và cung cấp dịch "
            "vụ công trực tuyến toàn trình cho người dân, doanh nghiệp trên địa bàn")
    for i in range(1, 9):
        ws.append([i, long, "Sở Khoa học và Công nghệ, các sở, ban, ngành liên quan",
                   "UBND các xã, phường và đơn vị có liên quan", "15/11/2025" if i % 2 else "Quý II/2025"])
    path = tmp_path / "dm.xlsx"
    wb.save(path)
    data = sample_data()
    data["appendices"] = [{"title": "Phụ lục", "subtitle": "Danh mục", "table": {"sheet": str(path)}}]
    from generator.plan.loader import load_plan

    plan_file = tmp_path / "plan.yaml"
    plan_file.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    docx = render_plan(load_plan(plan_file))
    pdf = to_pdfs(tmp_path, {"excel": docx})["excel"]
    words = [t for page in page_lines(pdf) for _, t in page]
    joined = "\n".join(words)
    assert joined.count("15/11/2025") == 4 and joined.count("Quý II/2025") == 4, joined[-800:]
    from docx import Document
    from io import BytesIO

    table = Document(BytesIO(docx)).tables[-1]
    stt = [row.cells[0].paragraphs[0] for row in table.rows[1:]]
    assert all(p.alignment == 1 for p in stt)  # centred
    mar = table._tbl.tblPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblCellMar")
    assert [int(m.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}w")) for m in mar] == [108, 108]


def test_section_breaks_ride_on_one_point_lines_and_output_is_valid(tmp_path: Path) -> None:
    """Word gives a full-size empty line after a table ending at the page bottom a page of its
    own; the break paragraph is 1 pt high (exact line), which Word and LibreOffice both honour."""
    from io import BytesIO

    from docx import Document
    from docx.oxml.ns import qn
    from openxml_audit import OpenXmlValidator

    data = sample_data()
    data["appendices"] = [catalogue(3)]
    docx = render(data)
    body = Document(BytesIO(docx)).element.body
    breaks = [p for p in body.iterchildren(qn("w:p")) if p.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None]
    assert breaks
    for p in breaks:
        spacing = p.find(f"{qn('w:pPr')}/{qn('w:spacing')}")
        assert spacing.get(qn("w:lineRule")) == "exact" and int(spacing.get(qn("w:line"))) <= 20
    groups = [tr for tr in body.iter(qn("w:tr")) if "Nhóm nhiệm vụ thứ" in "".join(tr.itertext())]
    assert groups and all(p.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None
                          for tr in groups for p in tr.iter(qn("w:p")))
    out = tmp_path / "plan.docx"
    out.write_bytes(docx)
    assert OpenXmlValidator().validate(str(out)).is_valid


# --- line breaking: names and the trích yếu (printed pages) ----------------------------------------

DISTRICT = {"parent": "Ủy ban nhân dân huyện Bình Sơn", "name": "Phòng Văn hóa và Thông tin",
            "abbreviation": "VHTT", "place": "Bình Sơn"}
SUBJECT = ("Triển khai thực hiện chuyển đổi số, phát triển hạ tầng số của Ủy ban nhân dân huyện Bình Sơn "
           "và các cơ quan, đơn vị trên địa bàn năm 2025")


def district_plan() -> dict[str, Any]:
    data = sample_data()
    data["agency"] = dict(DISTRICT)
    data["subject"] = SUBJECT
    data.pop("appendices")
    return data


@needs_office
def test_names_and_subject_break_between_words_in_balanced_lines(tmp_path: Path) -> None:
    pdf = to_pdfs(tmp_path, {"huyen": render(district_plan())})["huyen"]
    page = page_lines(pdf)[0]
    texts = [t for _, t in page]
    header = [t for t in texts if t.isupper() and "CỘNG HÒA" not in t and "KẾ HOẠCH" not in t]
    # Each name on two lines of two or more words, in the header's left column (the line's words
    # before the national motto's, which share the baseline).
    left = [t.split(" CỘNG HÒA")[0].split(" Độc lập")[0] for t in texts
            if t.startswith(("ỦY BAN", "HUYỆN", "PHÒNG", "VÀ THÔNG"))]
    assert left == ["ỦY BAN NHÂN DÂN", "HUYỆN BÌNH SƠN", "PHÒNG VĂN HÓA", "VÀ THÔNG TIN"], header
    assert all(len(x.split()) > 1 for x in left)
    start = next(i for i, t in enumerate(texts) if t == "KẾ HOẠCH")
    subject = texts[start + 1:start + 4]
    joined = " ".join(subject)
    assert joined.startswith(SUBJECT[:40]) or SUBJECT.startswith(joined[:40])
    for upper, lower in zip(subject, subject[1:], strict=False):
        last, first = upper.split()[-1], lower.split()[0]
        assert (last, first) not in {("Ủy", "ban"), ("nhân", "dân"), ("Bình", "Sơn"), ("chuyển", "đổi")}, subject
        assert len(lower.split()) > 1
    widths = [len(x) for x in subject if x in SUBJECT]
    assert max(widths) - min(widths) < 0.5 * max(widths)  # balanced, not a full line and a stub


def test_a_hand_broken_line_wider_than_its_column_is_named(tmp_path: Path) -> None:
    from generator.check import check_data

    data = district_plan()
    data["subject"] = ["Kế hoạch chuyển đổi số của các cơ quan hành chính nhà nước và sự nghiệp trên địa bàn "
                       "huyện NGHIỆP", "năm 2025"]
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    found = [r for r in check_data(path).results if r.rule == "DL.dong-tieu-de.vua-cot" and r.status == "fail"]
    assert [(r.location, r.measured.split()[-1]) for r in found] == [("subject[1]", "NGHIỆP")]
    data["subject"] = ["Kế hoạch chuyển đổi số", "năm 2025"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert not [r for r in check_data(path).results if r.rule == "DL.dong-tieu-de.vua-cot" and r.status == "fail"]


# --- citations: own verb, grouped, Party numbers; the issue date against cited dates ----------------

def cited_plan(date: str = "2025-03-20") -> dict[str, Any]:
    data = sample_data()
    data["date"] = date
    data["references"].update({
        "cl": {"type": "Quyết định", "number": 1132, "symbol": "QĐ-TTg", "date": "2024-10-10",
               "issuer": "Thủ tướng Chính phủ", "verb": "phê duyệt", "subject": "Chiến lược hạ tầng số"},
        "q36": {"type": "Quyết định", "number": 36, "symbol": "QĐ-TTg", "date": "2025-01-07",
                "issuer": "Thủ tướng Chính phủ", "subject": "chuyển đổi số"},
        "q1569": {"type": "Quyết định", "number": 1569, "symbol": "QĐ-TTg", "date": "2024-12-12",
                  "issuer": "Thủ tướng Chính phủ", "subject": "dữ liệu số"},
        "nq57": {"type": "Nghị quyết", "number": 57, "symbol": "NQ/TW", "date": "2024-12-22",
                 "issuer": "Bộ Chính trị", "subject": "đột phá phát triển khoa học, công nghệ"},
    })
    data["grounds"] = [["Căn cứ ", {"cite": "cl"}], ["Căn cứ ", {"cite": ["q36", "q1569"]}],
                       ["Căn cứ ", {"cite": "nq57", "verb": "bàn về"}]]
    data["opening"] = [["Thực hiện ", {"cite": ["q36", "nq57"]}, ", Sở ban hành Kế hoạch."]]
    return data


def test_citations_without_ve_grouped_and_party_numbers() -> None:
    from generator.document.context import build_context

    ctx = build_context(validate(Source("plan.yaml", cited_plan())))
    grounds, opening = ctx["grounds"], ctx["opening"][0]
    assert grounds[0] == ("Căn cứ Quyết định số 1132/QĐ-TTg ngày 10/10/2024 của Thủ tướng Chính phủ "
                          "phê duyệt Chiến lược hạ tầng số;")
    assert grounds[1] == ("Căn cứ các Quyết định: số 36/QĐ-TTg ngày 07/01/2025 của Thủ tướng Chính phủ về "
                          "chuyển đổi số; và số 1569/QĐ-TTg ngày 12/12/2024 của Thủ tướng Chính phủ về dữ liệu số;")
    # No party: true in the data: the symbol with "/" is the Party's, joined with "-".
    assert grounds[2].startswith("Căn cứ Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị bàn về đột phá")
    assert opening.startswith("Thực hiện Quyết định số 36/QĐ-TTg; và Nghị quyết số 57-NQ/TW,")


def test_grouped_citation_with_an_unknown_key_is_reported() -> None:
    from generator.errors import DataError

    data = cited_plan()
    data["grounds"][1] = ["Căn cứ ", {"cite": ["q36", "q99"]}]
    with pytest.raises(DataError) as err:
        validate(Source("plan.yaml", data))
    assert "q99" in str(err.value)


def test_check_warns_when_the_plan_is_dated_before_a_document_it_cites(tmp_path: Path) -> None:
    from generator.check import check_data

    def dated(date: str) -> list[Any]:
        path = tmp_path / "plan.yaml"
        path.write_text(yaml.safe_dump(cited_plan(date), allow_unicode=True), encoding="utf-8")
        return [r for r in check_data(path).results if r.rule == "DL.ngay-ban-hanh.sau-van-ban-dan"]

    early = [r for r in dated("2025-01-05") if r.status == "fail"]
    assert [r.location for r in early] == ["references.q36.date"] and "07/01/2025" in early[0].message
    assert all(r.status == "pass" for r in dated("2025-03-20"))
    assert all(r.status == "pass" for r in dated("2025-01"))  # a draft of January may still follow 07/01


# --- rollover --------------------------------------------------------------------------------------

def test_rollover_keeps_milestones_and_titles_lists_changes_and_party_numbers(tmp_path: Path) -> None:
    from generator.jobs.rollover import format_report, rollover_file

    data = cited_plan()
    data["references"]["ct10"] = {"type": "Chương trình", "number": 10, "symbol": "CTr/TU",
                                  "date": "2021-06-01", "issuer": "Tỉnh ủy", "subject": "chuyển đổi số"}
    data["subject"] = "Chuyển đổi số năm 2025"
    data["sections"][0]["blocks"] = [
        "Đến hết năm 2025: Có ≥ 30% doanh nghiệp nhỏ và vừa dùng nền tảng số; đến năm 2030: 60%.",
        "Triển khai “Chiến lược hạ tầng số đến năm 2025” trong năm 2025.",
        ["Thực hiện ", {"cite": "ct10"}, " giai đoạn 2021-2025."],
    ]
    src = tmp_path / "kh-2025.yaml"
    src.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = rollover_file(src, 2026)
    new = result.output.read_text(encoding="utf-8")
    assert "Đến hết năm 2025: Có ≥ 30%" in new and "Chiến lược hạ tầng số đến năm 2025" in new
    assert "Chuyển đổi số năm 2026" in new and "trong năm 2026" in new
    milestones = [i for i in result.items if i.kind == "milestone"]
    assert milestones and all(i.path.startswith("sections") and i.line for i in milestones)
    assert "subject" in {i.path for i in result.changes}
    assert len(result.changes) == result.moved and all(i.line for i in result.changes)
    report = format_report(result)
    assert "57-NQ/TW" in report and "10-CTr/TU" in report and "57/NQ/TW" not in report
    assert all(f"dòng {i.line}" in report for i in result.changes)


def test_an_older_template_gets_its_section_breaks_flattened(tmp_path: Path) -> None:
    """A user's template restyled from an older one has full-size break paragraphs: the layout pass
    makes those after a table 1 pt high, and the file stays valid."""
    import zipfile
    from io import BytesIO

    from docx import Document
    from docx.oxml.ns import qn
    from openxml_audit import OpenXmlValidator

    from generator.document.render import Template
    from generator.resources import TEMPLATE as packaged

    old = tmp_path / "cu.docx"
    with zipfile.ZipFile(packaged) as src, zipfile.ZipFile(old, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                data = re.sub(rb'<w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>'
                              rb"<w:rPr><w:sz w:val=\"2\"/><w:szCs w:val=\"2\"/></w:rPr>", b"", data)
                assert b'w:line="20"' not in data
            out.writestr(item, data)
    docx = Template(old).render(validate(Source("plan.yaml", sample_data())))
    body = Document(BytesIO(docx)).element.body
    after_table = [p for p in body.iterchildren(qn("w:p"))
                   if p.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None and p.getprevious().tag == qn("w:tbl")]
    assert after_table
    for p in after_table:
        spacing = p.find(f"{qn('w:pPr')}/{qn('w:spacing')}")
        assert spacing.get(qn("w:line")) == "20" and spacing.get(qn("w:lineRule")) == "exact"
    out = tmp_path / "plan.docx"
    out.write_bytes(docx)
    assert OpenXmlValidator().validate(str(out)).is_valid


@needs_office
def test_column_headings_print_on_the_balanced_lines_we_break_them_into(tmp_path: Path) -> None:
    # A heading wider than its column is one paragraph cut by line breaks between words ("Đơn vị, cá
    # nhân / chủ trì thực hiện"), not left to Word, which wraps wherever the column ends; the reader
    # sees exactly those lines: each whole on one baseline, the next one below it.
    import docx as python_docx

    data = render(sample_data())
    (tmp_path / "plan.docx").write_bytes(data)
    headings = []
    for table in python_docx.Document(str(tmp_path / "plan.docx")).tables:
        if len(table.columns) > 2:  # the catalogue, not the header and signature grids
            headings += [c.text for c in table.rows[0].cells if "\n" in c.text]
    assert headings, "the sample's catalogue has headings wider than their columns"
    pdf = to_pdfs(tmp_path, {"plan": data})["plan"]
    lines = [text for page in page_lines(pdf) for _, text in page]
    for heading in headings:
        printed = [line.strip() for line in heading.split("\n")]
        assert len(printed) > 1 and all(len(x.split()) > 1 for x in printed), printed
        first = next(i for i, text in enumerate(lines) if printed[0] in text)
        # each following line whole on a baseline just below the one before (one-line headings of
        # the row, centred, may print on the baseline between)
        prev = first
        for line in printed[1:]:
            below = [i for i in (prev + 1, prev + 2) if i < len(lines) and line in lines[i]]
            assert below, (printed, lines[first:first + 2 * len(printed)])
            prev = below[0]


@needs_office
def test_a_line_ended_by_a_line_break_in_a_justified_paragraph_is_not_spread(tmp_path: Path) -> None:
    # A body paragraph with a break the data gives (an imported Shift+Enter): its short first line
    # prints with ordinary spaces, not stretched to the right margin (the template's
    # doNotExpandShiftReturn; Word and LibreOffice both honour it).
    data = sample_data()
    data["closing"] = "Giao Văn phòng theo dõi\nvà báo cáo kết quả thực hiện Kế hoạch này"
    pdf = to_pdfs(tmp_path, {"plan": render(data)})["plan"]
    bbox = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    words = [(float(x0), float(x1), w) for x0, x1, w in
             re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>([^<]*)</word>', bbox)]
    at = next(i for i in range(len(words) - 3) if [w for *_, w in words[i:i + 4]] == ["Giao", "Văn", "phòng", "theo"])
    line = words[at:at + 5]
    gaps = [b[0] - a[1] for a, b in zip(line, line[1:])]
    assert line[-1][2] == "dõi" and max(gaps) < 8, (line, gaps)  # an ordinary space is about 3.5 pt


def test_a_name_kept_on_the_lines_word_wrapped_it_is_measured_line_by_line(tmp_path: Path) -> None:
    """An issuer name imported on the lines Word wrapped it ("…\\n…", in one item or beside another
    line): each printed line fits, so no warning; a printed line that does not fit is still named,
    even when the name is one item."""
    from generator.check import check_data

    def warned(name: Any) -> list[str]:
        data = district_plan()
        data["agency"]["name"] = name
        path = tmp_path / "plan.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        return [r.location for r in check_data(path).results
                if r.rule == "DL.dong-tieu-de.vua-cot" and r.status == "fail"]

    wrapped = "Ban chỉ đạo chuyển\nđổi số và cải cách\nhành chính"
    assert warned([wrapped, "Tỉnh Sông Mây"]) == []
    assert warned(wrapped) == []
    too_long = "Ban chỉ đạo chuyển đổi số và cải cách hành chính\ntỉnh Sông Mây"
    assert warned([too_long, "Tỉnh Sông Mây"]) == ["agency.name[1]"]
    assert warned(too_long) == ["agency.name[1]"]
