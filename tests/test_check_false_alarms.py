"""Issue 22: encodings of a correct document that fooled a rule, each built here and read by cause.

Every fixture is a plan that prints right (tests/word_fixtures.build_plan) with one part written the
way some offices write it: the rule must pass (or be evaluated) as it does for the plain plan.
"""

from __future__ import annotations

import copy

from pathlib import Path
from typing import Any

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from generator.check import check_docx
from generator.jobs.importer import import_docx
from generator.recognise import read_docx
from generator.recognise.lines import parse_reference
from tests.word_fixtures import Header, build_plan

HEADER = Header(issuer=("SỞ VĂN HÓA", "VÀ THỂ THAO"))
BODY = [
    "Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh, Sở Văn hóa và Thể thao ban hành Kế hoạch như sau:",
    {"text": "I. MỤC ĐÍCH, YÊU CẦU", "bold": True},
    "1. Khuyến khích người dân rèn luyện thân thể mỗi ngày.",
    {"text": "II. TỔ CHỨC THỰC HIỆN", "bold": True},
    "1. Các đơn vị triển khai thực hiện nghiêm túc Kế hoạch này./.",
]


def _status(path: Path, rule: str) -> list[str]:
    return [r.status for r in check_docx(path).results if r.rule == rule]


def _body_paras(doc: Any) -> list[tuple[Any, str]]:
    return [(p, "".join(t.text or "" for t in p.iter(qn("w:t")))) for p in doc.element.body.iterchildren(qn("w:p"))]


# --- muc.thu-tu -------------------------------------------------------------------------------------


def test_parts_a_b_c_and_sub_parts_are_not_mucs(tmp_path):
    """"A., B., C." parts ("C." is not mục 100), "I.1." sub-parts, and mục numbered again from I
    under each "Phần thứ …": the mục are in order."""
    body = [
        BODY[0],
        {"text": "PHẦN THỨ NHẤT. ĐÁNH GIÁ KẾT QUẢ", "bold": True},
        {"text": "I. KẾT QUẢ ĐẠT ĐƯỢC", "bold": True},
        {"text": "I.1. VỀ CÔNG TÁC CHỈ ĐẠO", "bold": True},
        "1. Các phòng đã triển khai kịp thời.",
        {"text": "II. HẠN CHẾ", "bold": True},
        "1. Một số nội dung còn chậm.",
        {"text": "PHẦN THỨ HAI. NHIỆM VỤ NĂM 2026", "bold": True},
        {"text": "I. MỤC ĐÍCH, YÊU CẦU", "bold": True},
        {"text": "A. MỤC ĐÍCH", "bold": True},
        {"text": "B. YÊU CẦU", "bold": True},
        {"text": "C. TỔ CHỨC THỰC HIỆN", "bold": True},
        "1. Các đơn vị triển khai thực hiện nghiêm túc Kế hoạch này./.",
    ]
    path = build_plan(tmp_path / "p.docx", header=HEADER, body=body)
    assert _status(path, "PL1.III.6.muc.thu-tu") == ["pass"]


def test_a_repeated_muc_number_is_still_found(tmp_path):
    body = [BODY[0], BODY[1], BODY[2], {"text": "I. TỔ CHỨC THỰC HIỆN", "bold": True}, BODY[4]]
    path = build_plan(tmp_path / "p.docx", header=HEADER, body=body)
    assert _status(path, "PL1.III.6.muc.thu-tu") == ["fail"]


# --- le-trang ----------------------------------------------------------------------------------------


def test_a_gutter_is_part_of_the_left_margin(tmp_path):
    """Left margin 20 mm plus a 10 mm gutter prints a 30 mm binding margin."""
    path = build_plan(tmp_path / "p.docx", header=HEADER, body=BODY)
    doc = docx.Document(str(path))
    mar = doc.sections[0]._sectPr.find(qn("w:pgMar"))
    mar.set(qn("w:left"), str(round(20 * 1440 / 25.4)))
    mar.set(qn("w:gutter"), str(round(10 * 1440 / 25.4)))
    doc.save(str(path))
    assert _status(path, "PL1.II.3.le-trang") == ["pass"]
    assert round(read_docx(path).sections[0].margins["left"] * 25.4 / 1440) == 30
    mar.set(qn("w:gutter"), "0")
    doc.save(str(path))
    assert _status(path, "PL1.II.3.le-trang") == ["fail"]  # without it the margin is short


# --- thut-dau-dong -------------------------------------------------------------------------------------


def test_first_line_indent_in_characters(tmp_path):
    """w:firstLineChars="250" on 14 pt text: two and a half characters, 35 pt (1.23 cm), whatever
    w:firstLine says beside it."""
    path = build_plan(tmp_path / "p.docx", header=HEADER, body=BODY)
    doc = docx.Document(str(path))
    for p, text in _body_paras(doc):
        ind = p.find(f"{qn('w:pPr')}/{qn('w:ind')}")
        if ind is not None and ind.get(qn("w:firstLine")):
            ind.set(qn("w:firstLine"), "0")
            ind.set(qn("w:firstLineChars"), "250")
    doc.save(str(path))
    assert _status(path, "PL1.III.6.noi-dung.thut-dau-dong") == ["pass"]
    para = next(q for q in read_docx(path).body if q.text.startswith("Thực hiện"))
    assert para.fmt is not None and para.fmt.first_line == 700


# --- phong-chu ------------------------------------------------------------------------------------------


def test_font_names_in_any_case_and_unset_faces(tmp_path):
    """Word matches "times new roman" to Times New Roman, and draws text in it when no face is
    named at any level (no rFonts, no theme)."""
    path = build_plan(tmp_path / "p.docx", header=HEADER, body=BODY)
    doc = docx.Document(str(path))
    for k, fonts in enumerate(doc.element.body.iter(qn("w:rFonts"))):
        if k % 2:
            for slot in ("ascii", "hAnsi", "cs"):
                fonts.set(qn(f"w:{slot}"), "times new roman")
        else:
            fonts.getparent().remove(fonts)
    for fonts in doc.styles.element.iter(qn("w:rFonts")):
        fonts.getparent().remove(fonts)
    doc.save(str(path))
    read = read_docx(path)
    assert any(r.fmt.fonts["ascii"] is None for p in read.paragraphs for r in p.visible_runs)
    assert _status(path, "PL1.II.4.phong-chu") == ["pass"]


# --- ky-hieu-thong-nhat -----------------------------------------------------------------------------


def test_reference_line_without_issuer_or_with_blank_slashes():
    ref = parse_reference("(Kèm theo Kế hoạch số      /KH-SVHTT ngày      /     /2026)")
    assert ref is not None and (ref.symbol, ref.number, ref.day, ref.month, ref.year, ref.issuer) == (
        "KH-SVHTT", None, None, None, 2026, None)
    ref = parse_reference("(Kèm theo Kế hoạch số 12/KH-SVHTT ngày 05 tháng 3 năm 2026 của Sở Văn hóa và Thể thao)")
    assert ref is not None and ref.issuer == "Sở Văn hóa và Thể thao" and ref.month == "3"


def test_an_appendix_whose_reference_names_no_issuer_is_compared(tmp_path):
    appendix = [{"text": "PHỤ LỤC", "bold": True, "align": "center"},
                {"text": "DANH SÁCH ĐIỂM TIẾP NƯỚC", "bold": True, "align": "center"},
                {"text": "(Kèm theo Kế hoạch số      /KH-SVHTT ngày      /     /2026)", "italic": True,
                 "align": "center"},
                "Điểm tiếp nước đặt tại các ngã tư trên đường chạy."]
    path = build_plan(tmp_path / "p.docx", header=HEADER, body=BODY, appendices=[appendix])
    assert _status(path, "PL1.III.3.ky-hieu-thong-nhat") == ["pass"]
    data = import_docx(path).data
    assert data["appendices"][0]["title"] == "Phụ lục"  # stored as Decree 30 writes it; printed in capitals again


def test_an_appendix_without_reference_says_so(tmp_path):
    appendix = [{"text": "PHỤ LỤC", "bold": True, "align": "center"},
                {"text": "DANH SÁCH ĐIỂM TIẾP NƯỚC", "bold": True, "align": "center"},
                "Điểm tiếp nước đặt tại các ngã tư trên đường chạy."]
    path = build_plan(tmp_path / "p.docx", header=HEADER, body=BODY, appendices=[appendix])
    found = [r for r in check_docx(path).results if r.rule == "PL1.III.3.ky-hieu-thong-nhat"]
    assert [r.status for r in found] == ["not_evaluated"]
    assert "Kèm theo" in found[0].message and "không tìm thấy phụ lục" not in found[0].message


# --- noi-nhan: a list dash typed by Word's AutoFormat -------------------------------------------------


def test_recipients_with_en_dashes_pass_and_import(tmp_path):
    path = build_plan(tmp_path / "p.docx", header=HEADER, body=BODY,
                      recipients=("– Ủy ban nhân dân tỉnh;", "— Các phòng thuộc Sở;", "– Lưu: VT, VP."))
    assert _status(path, "PL1.III.9.noi-nhan.hinh-thuc") == ["pass"]
    data = import_docx(path).data
    assert data["recipients"] == ["Ủy ban nhân dân tỉnh", "Các phòng thuộc Sở"] and data["archive"] == ["VT", "VP"]


def test_a_recipient_without_any_dash_still_fails(tmp_path):
    path = build_plan(tmp_path / "p.docx", header=HEADER, body=BODY,
                      recipients=("– Ủy ban nhân dân tỉnh;", "Các phòng thuộc Sở;", "– Lưu: VT, VP."))
    assert _status(path, "PL1.III.9.noi-nhan.hinh-thuc") == ["fail"]



def test_the_drafters_initials_after_luu_are_not_the_lists_size(tmp_path):
    """"- Lưu: VT, VP." followed by the drafter's initials in 8 pt superscript: the list is 11 pt."""
    path = build_plan(tmp_path / "p.docx", header=HEADER, body=BODY)
    doc = docx.Document(str(path))
    luu = next(p for p, _ in ((q, "".join(t.text or "" for t in q.iter(qn("w:t"))))
                               for q in doc.element.body.iter(qn("w:p"))) if _.startswith("- Lưu"))
    run = copy.deepcopy(luu.find(qn("w:r")))
    run.find(qn("w:t")).text = "Hạnh"
    rpr = run.find(qn("w:rPr"))
    rpr.find(qn("w:sz")).set(qn("w:val"), "16")
    rpr.append(parse_xml(f'<w:vertAlign {nsdecls("w")} w:val="superscript"/>'))
    luu.append(run)
    doc.save(str(path))
    assert _status(path, "PL1.III.9.noi-nhan.danh-sach.co-chu") == ["pass"]


# --- kieu-chu: a punctuation mark set apart in its own run ---------------------------------------------


def _heading_runs(path: Path, pieces: list[tuple[str, bool, bool]]) -> None:
    """"Nơi nhận:" typed as the given runs (text, bold, italic), 12 pt."""
    from tests.word_fixtures import run_xml

    doc = docx.Document(str(path))
    p = next(q for q in doc.element.body.iter(qn("w:p"))
             if "".join(t.text or "" for t in q.iter(qn("w:t"))) == "Nơi nhận:")
    for r in p.findall(qn("w:r")):
        p.remove(r)
    for text, bold, italic in pieces:
        p.append(parse_xml(run_xml(text, size=12, bold=bold, italic=italic)))
    doc.save(str(path))


def test_an_upright_colon_after_italic_words_prints_as_italic(tmp_path):
    """"Nơi nhận" bold italic and its ":" in a run of its own, bold but upright (as offices type it),
    or with a space after it in yet another run: the words carry the style, as for one italic run."""
    rule = "PL1.III.9.noi-nhan.kieu-chu"
    for k, pieces in enumerate([
        [("Nơi nhận:", True, True)],
        [("Nơi nhận", True, True), (":", True, False)],
        [("Nơi ", True, True), ("nhận", True, True), (":", False, False), ("  ", False, False)],
    ]):
        path = build_plan(tmp_path / f"p{k}.docx", header=HEADER, body=BODY)
        _heading_runs(path, pieces)
        assert read_docx(path).noi_nhan.text == "Nơi nhận:"
        assert _status(path, rule) == ["pass"], pieces


def test_upright_words_with_an_italic_colon_still_fail(tmp_path):
    """The page really is wrong: the words upright, only the colon italic (or half the words upright)."""
    rule = "PL1.III.9.noi-nhan.kieu-chu"
    for k, pieces in enumerate([
        [("Nơi nhận", True, False), (":", True, True)],
        [("Nơi ", True, True), ("nhận:", True, False)],
    ]):
        path = build_plan(tmp_path / f"p{k}.docx", header=HEADER, body=BODY)
        _heading_runs(path, pieces)
        assert _status(path, rule) == ["fail"], pieces


# --- duong-ke: the printed width of a line of words ------------------------------------------------------


def _issuer_line(path: Path, length_pt: float) -> None:
    """The line under the issuer (shape 11) set to length_pt."""
    from tests.word_fixtures import EMU

    doc = docx.Document(str(path))
    wp = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
    a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    anchor = next(x for x in doc.element.body.iter(f"{{{wp}}}anchor") if x.find(f"{{{wp}}}docPr").get("id") == "11")
    anchor.find(f"{{{wp}}}extent").set("cx", str(int(length_pt * EMU)))
    next(anchor.iter(f"{{{a}}}ext")).set("cx", str(int(length_pt * EMU)))
    doc.save(str(path))


def test_a_line_of_words_is_as_wide_as_all_its_spaces(tmp_path):
    """An issuer's line of words prints as wide as every letter and every space between its words
    (LibreOffice draws "SỞ THÔNG TIN VÀ TRUYỂN THÔNG", 12 pt bold, 209.5 pt wide: the sum of the
    advances). A line under it of 50.5 % of its longest line is half the text: it passes whether the
    name is typed as two paragraphs, one paragraph with a manual line break, or one line with each word
    and each space in a run of its own; at 53 % it fails."""
    from generator.word.metrics import text_width_pt
    from generator.word.reader import text_width

    lines = ("SỞ VĂN HÓA", "VÀ THỂ THAO")
    width = max(text_width_pt(x, 13, bold=True) for x in lines)
    rule = "PL1.III.2.co-quan-ban-hanh.duong-ke"
    for k, header in enumerate([Header(issuer=lines), Header(issuer=lines, issuer_one_paragraph="break")]):
        path = build_plan(tmp_path / f"p{k}.docx", header=header, body=BODY)
        _issuer_line(path, 0.505 * width)
        doc = read_docx(path)
        assert abs(text_width(doc.issuer_lines) - width) < 0.01
        assert _status(path, rule) == ["pass"]
        _issuer_line(path, 0.53 * width)
        assert _status(path, rule) == ["fail"]
    # one run per word, the spaces in runs of their own
    name = "SỞ VĂN HÓA THỂ THAO"
    width = text_width_pt(name, 13, bold=True)
    path = build_plan(tmp_path / "w.docx", header=Header(issuer=(name,)), body=BODY)
    doc = docx.Document(str(path))
    p = next(q for q in doc.element.body.iter(qn("w:p")) if "".join(t.text or "" for t in q.iter(qn("w:t"))) == name)
    r = p.find(qn("w:r"))
    for piece in reversed([x for w in name.split(" ") for x in (w, " ")][:-1]):
        new = copy.deepcopy(r)
        new.find(qn("w:t")).text = piece
        r.addnext(new)
    p.remove(r)
    doc.save(str(path))
    _issuer_line(path, 0.505 * width)
    assert abs(text_width(read_docx(path).issuer_lines) - width) < 0.01
    assert _status(path, rule) == ["pass"]


# --- so-trang: a document that prints on one page has no page number to show ---------------------------


def _saved_stats(path: Path, pages: int, words: int, characters: int | None = None) -> None:
    """docProps/app.xml rewritten as Word writes it after counting the document (characters: those
    it counted, by default the body's as it is now, without spaces)."""
    import zipfile

    if characters is None:
        body = docx.Document(str(path)).element.body
        characters = sum(len("".join((t.text or "").split())) for t in body.iter(qn("w:t")))

    src = path.read_bytes()
    tmp = path.with_suffix(".tmp")
    import io

    with zipfile.ZipFile(io.BytesIO(src)) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "docProps/app.xml":
                data = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
                        f'<Pages>{pages}</Pages><Words>{words}</Words><Characters>{characters}</Characters>'
                        '</Properties>').encode()
            zout.writestr(item, data)
    tmp.replace(path)


def _header_without_number(path: Path) -> None:
    """A default header part holding one empty paragraph (as Word leaves one after a number is deleted)."""
    doc = docx.Document(str(path))
    doc.sections[0].header.is_linked_to_previous = False
    doc.sections[0].header.paragraphs[0].text = ""
    doc.save(str(path))


def _pages(path: Path) -> int | None:
    """Pages LibreOffice prints, None without soffice."""
    import shutil
    import subprocess

    if shutil.which("soffice") is None or shutil.which("pdfinfo") is None:
        return None
    out = path.parent / "pdf"
    subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{path.parent}/lo",
                    "--convert-to", "pdf", "--outdir", str(out), str(path)], capture_output=True, timeout=180)
    info = subprocess.run(["pdfinfo", str(out / (path.stem + ".pdf"))], capture_output=True, text=True).stdout
    return int(next(x.split()[-1] for x in info.splitlines() if x.startswith("Pages:")))


LONG_BODY = BODY[:1] + [f"{k}. Các đơn vị tổ chức cho cán bộ, công chức, viên chức và người lao động tham gia giải "
                        "chạy, bảo đảm an toàn, tiết kiệm, đúng thời gian và địa điểm đã được phân công." for k in
                        range(1, 41)] + BODY[1:]


def test_a_one_page_document_needs_no_page_number(tmp_path):
    """A plan that prints on one page (LibreOffice prints one), without any PAGE field: by the estimate
    alone (the file's statistics a template's "1 page, 0 words"), with Word's own count of one page,
    and with an empty header part: page numbers start on page 2, there is none to show."""
    rule = "PL1.II.7.so-trang.vi-tri"
    plain = build_plan(tmp_path / "plain.docx", header=HEADER, body=BODY)
    pages = _pages(plain)
    assert pages in (None, 1)
    assert _status(plain, rule) == ["pass"]
    counted = build_plan(tmp_path / "counted.docx", header=HEADER, body=BODY)
    _saved_stats(counted, 1, 140)
    assert read_docx(counted).one_page and _status(counted, rule) == ["pass"]
    empty_header = build_plan(tmp_path / "header.docx", header=HEADER, body=BODY)
    _header_without_number(empty_header)
    assert _status(empty_header, rule) == ["pass"]
    assert [r.rule for r in check_docx(plain).results if r.rule.startswith("PL1.II.7.") and r.status != "pass"] == []


def test_a_longer_document_without_page_numbers_still_fails(tmp_path):
    """The page really is wrong: a plan of several pages with no PAGE field, even when the file's
    statistics (stale, or a template's) say one page; and a one-page plan followed by an appendix."""
    rule = "PL1.II.7.so-trang.vi-tri"
    long_ = build_plan(tmp_path / "long.docx", header=HEADER, body=LONG_BODY)
    pages = _pages(long_)
    assert pages is None or pages >= 2
    assert _status(long_, rule) == ["fail"]
    _saved_stats(long_, 1, 900)
    assert _status(long_, rule) == ["fail"]
    # Just over a page (estimated at about one), filled into a template Word counted at one page
    # of a few hundred characters: the count is of the template, not of this text.
    filled = build_plan(tmp_path / "filled.docx", header=HEADER, body=LONG_BODY[:8] + BODY[1:])
    pages = _pages(filled)
    assert pages is None or pages >= 2
    _saved_stats(filled, 1, 140, characters=600)
    assert not read_docx(filled).one_page and _status(filled, rule) == ["fail"]
    appended = build_plan(tmp_path / "app.docx", header=HEADER, body=BODY,
                          appendices=[[{"text": "Phụ lục", "bold": True, "align": "center"}, "Danh sách đơn vị."]])
    assert _status(appended, rule) == ["fail"]


def test_a_picture_in_the_text_counts_in_the_one_page_estimate(tmp_path):
    """A plan of a few lines with a chart set in line, 14 cm tall (LibreOffice prints two pages), and
    no PAGE field: the page really is wrong. The estimate saw the picture's paragraph as one empty
    line and called the plan one page."""
    import struct
    import zlib

    from docx.shared import Cm

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    image = tmp_path / "bieu-do.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
                      + chunk(b"IDAT", zlib.compress(b"".join(b"\x00" + b"\x00\x00\xff" * 4 for _ in range(4))))
                      + chunk(b"IEND", b""))
    path = build_plan(tmp_path / "bieu-do.docx", header=HEADER, body=BODY)
    doc = docx.Document(str(path))
    anchor = next(p for p in doc.paragraphs if p.text.startswith("1. Khuyến khích"))
    anchor.insert_paragraph_before("").add_run().add_picture(str(image), width=Cm(12), height=Cm(14))
    doc.save(str(path))
    pages = _pages(path)
    assert pages is None or pages >= 2
    assert not read_docx(path).one_page
    assert _status(path, "PL1.II.7.so-trang.vi-tri") == ["fail"]
