"""An independent oracle for the checker: LibreOffice lays the fixture out and prints it to PDF; what
the PDF shows (where the lines are and how long, glyph sizes, bold faces) must agree with what the
checker says about the same parts. Skipped when soffice is not installed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from generator.check import check_docx

from test_check_real_files import build  # tests/ is on sys.path (rootdir conftest)

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
MM = 25.4 / 72


def _pdf(docx: Path) -> Path:
    out = docx.parent / "pdf"
    subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{docx.parent}/lo",
                    "--convert-to", "pdf", "--outdir", str(out), str(docx)],
                   check=True, capture_output=True, timeout=180)
    return out / (docx.stem + ".pdf")


def _page_one(pdf: Path):
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar, LTCurve, LTTextContainer, LTTextLine

    page = next(iter(extract_pages(str(pdf))))
    texts, rules = [], []

    def walk(obj):
        if isinstance(obj, LTTextLine):
            chars = [c for c in obj if isinstance(c, LTChar)]
            texts.append((obj.get_text().strip(), obj.x0, obj.x1, obj.y0, obj.y1, chars))
            return
        if isinstance(obj, LTCurve) and abs(obj.y1 - obj.y0) < 1.5 and obj.x1 - obj.x0 > 5:
            rules.append((obj.x0, obj.x1, (obj.y0 + obj.y1) / 2))
        if isinstance(obj, LTTextContainer) or hasattr(obj, "__iter__"):
            for child in obj:
                walk(child)

    for obj in page:
        walk(obj)
    return texts, rules


def _line_below(texts, rules, text):
    """The PDF rule nearest under the printed line holding text, and that line."""
    line = next(t for t in texts if text in t[0])
    below = [r for r in rules if r[2] < line[3] + 2 and line[3] - r[2] < 20
             and r[0] < line[2] and r[1] > line[1]]
    return line, (max(below, key=lambda r: r[2]) if below else None)


@pytest.fixture(scope="module")
def laid_out(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("oracle")
    docx = build(tmp, "oracle")
    return check_docx(docx), _page_one(_pdf(docx))


def test_lines_the_checker_found_are_where_the_pdf_draws_them(laid_out):
    report, (texts, rules) = laid_out
    for rid, text, element in (("PL1.III.1.tieu-ngu.duong-ke", "Độc lập", ["Độc lập"]),
                               ("PL1.III.2.co-quan-ban-hanh.duong-ke", "TỈNH HÒA", ["ỦY BAN NHÂN DÂN", "TỈNH HÒA"]),
                               ("PL1.III.5.trich-yeu.duong-ke", "Tổ chức ngày hội", ["Tổ chức ngày hội"])):
        result = next(r for r in report.results if r.rule == rid)
        _, rule = _line_below(texts, rules, text)
        # the element's longest printed line, as the checker measures it
        line = max((t for t in texts if any(e in t[0] for e in element)), key=lambda t: t[2] - t[1])
        assert rule is not None, (rid, "the PDF shows no line under", text)
        pdf_mm = (rule[1] - rule[0]) * MM
        checker_mm = float(result.measured.split("dài ")[1].split(" mm")[0])
        assert abs(pdf_mm - checker_mm) <= 1.0, (rid, pdf_mm, checker_mm)
        # The ratio the checker judged, against the printed text's width in the PDF.
        text_mm = (line[2] - line[1]) * MM
        ratio = int(result.measured.split("= ")[1].split("%")[0]) / 100
        assert abs(pdf_mm / text_mm - ratio) <= 0.06, (rid, pdf_mm / text_mm, ratio)


def test_quoc_hieu_on_one_line_in_the_pdf_as_the_checker_says(tmp_path):
    for name, col in (("fits", 10.5), ("wraps", 9.4)):
        docx = build(tmp_path, name, qh_col_cm=col)
        status = next(r.status for r in check_docx(docx).results if r.rule == "PL1.III.1.quoc-hieu.mot-dong")
        texts, _ = _page_one(_pdf(docx))
        one_line = any("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in t[0] for t in texts)
        assert (status == "pass") == one_line, (name, status)


def test_glyph_sizes_and_weights_agree(laid_out):
    report, (texts, _) = laid_out
    for text, rule, size, bold in (("CỘNG HÒA", "PL1.III.1.quoc-hieu.co-chu", 13, True),
                                   ("Độc lập", "PL1.III.1.tieu-ngu.co-chu", 14, True),
                                   ("Số:", "PL1.III.3.so-ky-hieu.co-chu", 13, False)):
        line = next(t for t in texts if text in t[0])
        chars = [c for c in line[5] if c.get_text().strip()]
        assert all(abs(c.size - size) < 0.6 for c in chars), (text, {round(c.size, 1) for c in chars})
        assert all(("Bold" in c.fontname) == bold for c in chars), (text, {c.fontname for c in chars})
        assert next(r for r in report.results if r.rule == rule).status == "pass"


def test_missing_lines_are_missing_in_the_pdf_too(tmp_path):
    docx = build(tmp_path, "bare", lines="none")
    report = check_docx(docx)
    texts, rules = _page_one(_pdf(docx))
    for rid, text in (("PL1.III.1.tieu-ngu.duong-ke", "Độc lập"), ("PL1.III.2.co-quan-ban-hanh.duong-ke", "TỈNH HÒA")):
        assert _line_below(texts, rules, text)[1] is None
        assert report.failed(rid)


# How each line's spaces are typed: before its text, after it. Plain spaces at a line's end hang past
# the margin; no-break ones (and plain ones before them) are laid out as part of the line.
SPACED = {"A": ("", ""), "B": ("", "\xa0" * 10), "C": ("", " " * 10), "D": ("", "\xa0" * 5 + " " * 5),
          "E": ("", " " * 5 + "\xa0" * 5), "F": ("\xa0" * 10, ""), "G": (" " * 10, ""), "H": ("", "\xa0" * 8),
          "I": (" " * 40, "")}  # a signer's name pushed right by spaces typed before it


@pytest.mark.parametrize("align", ["center", "right", "left"])
def test_a_lines_spaces_place_its_text_where_the_pdf_prints_it(tmp_path, align):
    """Centred (or right-aligned) header lines with no-break spaces typed after the text: LibreOffice
    moves the text left by half their width (all of it, set right); plain spaces at the end hang
    and move nothing; spaces before the text move it right by half theirs (all of it, set left: a
    signer's name pushed right by spaces). The reader's middle of each line and its printed width are
    the PDF's, within a point of metrics."""
    import docx as python_docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    from generator.word.reader import middle, read_word, rendered_lines

    doc = python_docx.Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height, sec.left_margin, sec.right_margin = Mm(210), Mm(297), Mm(30), Mm(15)
    doc._body.clear_content()
    for label, (before, after) in SPACED.items():
        p = doc.add_paragraph()
        p.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT,
                       "left": WD_ALIGN_PARAGRAPH.LEFT}[align]
        run = p.add_run(f"{before}SỞ VĂN HÓA {label}{after}")
        run.font.size, run.font.name, run.bold = Pt(13), "Times New Roman", label == "H"
    path = tmp_path / f"spaces-{align}.docx"
    doc.save(str(path))
    texts, _ = _page_one(_pdf(path))
    word = read_word(path)
    left_pt = 30 / MM
    for label in SPACED:
        para = next(p for p in word.paragraphs if p.text.endswith(f" {label}"))
        line = next(t for t in texts if t[0].endswith(f" {label}"))
        inked = [c for c in line[5] if c.get_text().strip()]
        x0, x1 = inked[0].x0, inked[-1].x1
        centre = middle(para, word.section_width(para.section))
        assert centre is not None
        assert abs(left_pt + centre / 20 - (x0 + x1) / 2) <= 1.0, (label, left_pt + centre / 20, (x0 + x1) / 2)
        assert abs(rendered_lines(para)[0][1] - (x1 - x0)) <= 1.0, (label, rendered_lines(para), x1 - x0)
