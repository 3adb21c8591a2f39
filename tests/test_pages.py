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
