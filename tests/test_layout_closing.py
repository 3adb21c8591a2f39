"""The closing paragraph and the signature block (issue 10, layout defects): a short closing goes to
the next page with the signature; a long one is not moved whole (LibreOffice would leave half a
page empty), so its last lines stand above the signature. Nơi nhận lines hang after "- "."""

from __future__ import annotations

import re
import shutil
import subprocess
from io import BytesIO
from pathlib import Path

import pytest
import yaml
from docx import Document
from docx.oxml.ns import qn

from generator.plan.loader import Source, validate
from generator.document.render import render_plan

from tests.paths import SAMPLE

SENTENCE = ("Các phòng, đơn vị thuộc Sở tổ chức triển khai thực hiện nghiêm túc, hiệu quả các nội dung "
            "được giao tại Kế hoạch này; ")


def plan(closing: str, extra_recipients: int = 0, appendices: bool = False, table: bool = False) -> bytes:
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    data["closing"] = closing
    if table:  # a data table before the signature whose text also says "Nơi nhận"
        data["sections"][-1].setdefault("blocks", []).append(
            {"table": {"columns": ["Nơi nhận báo cáo", "Hạn"], "rows": [["Sở Nội vụ", "15/12"]]}})
    data["recipients"] += [f"Đơn vị nhận thứ {i}" for i in range(extra_recipients)]
    if not appendices:
        data.pop("appendices")
    return render_plan(validate(Source("plan.yaml", data)))


def closing_keeps_next(docx: bytes) -> bool:
    body = Document(BytesIO(docx)).element.body
    table = next(t for t in body.iterchildren(qn("w:tbl")) if "Nơi nhận" in "".join(t.itertext()))
    closing = table.getprevious()
    return closing.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None


def test_short_closing_keeps_with_the_signature_long_one_does_not() -> None:
    assert closing_keeps_next(plan("Yêu cầu các phòng, đơn vị thực hiện nghiêm túc Kế hoạch này."))
    assert not closing_keeps_next(plan((SENTENCE * 5).strip()))


def test_a_data_table_that_says_noi_nhan_is_not_taken_for_the_signature() -> None:
    """The layout pass looks for the signature table; a table of the body is not it, whatever its
    text (tables from data are put in place after that pass: generator.word.tables)."""
    def keeps(docx: bytes) -> bool:
        body = Document(BytesIO(docx)).element.body
        signature = [t for t in body.iterchildren(qn("w:tbl")) if "".join(t.itertext()).startswith("Nơi nhận:")]
        return signature[0].getprevious().find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None

    assert keeps(plan("Yêu cầu các phòng, đơn vị thực hiện nghiêm túc Kế hoạch này.", table=True))
    assert not keeps(plan((SENTENCE * 5).strip(), table=True))


def test_recipient_lines_hang_after_the_dash() -> None:
    doc = Document(BytesIO(plan("Kết thúc.")))
    # The recipients sit in the signature table's left cell, one "- …;" paragraph each.
    cell_paras = [p for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs
                  if p.text.startswith("- ")]
    assert cell_paras
    ind = cell_paras[0].style.element.find(f"{qn('w:pPr')}/{qn('w:ind')}")
    assert ind is not None and int(ind.get(qn("w:hanging"))) == int(ind.get(qn("w:left"))) > 0


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice and poppler-utils are needed to see the pages")
def test_long_closing_leaves_no_half_empty_page(tmp_path: Path) -> None:
    """What a reader sees: page 2 is filled to its bottom margin, and page 3 starts with the end
    of the closing, then the signature block."""
    out = tmp_path / "dai.docx"
    out.write_bytes(plan((SENTENCE * 5).strip(), extra_recipients=8))
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to",
                    "pdf", "--outdir", str(tmp_path), str(out)], check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "dai.pdf"
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True,
                                                             text=True).stdout).group(1))
    bbox = subprocess.run(["pdftotext", "-bbox", "-f", str(pages - 1), "-l", str(pages - 1), str(pdf), "-"],
                          capture_output=True, text=True).stdout
    last_y = max(float(y) for y in re.findall(r'yMax="([\d.]+)"', bbox))
    bottom = 842 - 20 / 25.4 * 72  # A4 height minus the 20 mm bottom margin, in points
    assert last_y > bottom - 2 * 14 * 1.2 * 1.1, f"page {pages - 1} ends at {last_y:.0f} pt of {bottom:.0f}"
    last_page = subprocess.run(["pdftotext", "-layout", "-f", str(pages), "-l", str(pages), str(pdf), "-"],
                               capture_output=True, text=True).stdout
    lines = [x.strip() for x in last_page.splitlines() if x.strip() and not x.strip().isdigit()]
    assert "Nơi nhận" not in lines[0] and lines[0].split()[0].islower()  # the closing goes on here
    assert any("./." in x for x in lines[: lines.index(next(x for x in lines if "Nơi nhận" in x))])
