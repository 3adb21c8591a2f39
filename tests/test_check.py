"""`kehoach check`: the rendered sample passes, hand-made Word-like documents are judged by what a reader
sees (styles, theme fonts or direct formatting), and each seeded defect is flagged by its own rule."""

from __future__ import annotations

import dataclasses
import io
import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Cm, Mm, Pt

from generator.check import check_data, check_docx, check_file
from generator.check.report import FAIL, NOT_EVALUATED, PASS
from generator.cli import main
from generator.word.metrics import text_width_pt
from generator.jobs.issue import render_file

from tests.paths import SAMPLE

TNR = "Times New Roman"
WPS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"


# --- a Kế hoạch as a Word user makes it ----------------------------------------------------------

@dataclass(frozen=True)
class Spec:
    mode: str = "styles"  # "styles": formatting only from styles/theme; "direct": only direct formatting
    font: str = TNR
    margins_mm: tuple = (20, 20, 30, 15)  # top, bottom, left, right
    number_line: str = "Số: 05/KH-SKHCN"
    date_line: str = "Quảng Ngãi, ngày 20 tháng 3 năm 2024"
    ref_line: str = "(Kèm theo Kế hoạch số 05/KH-SKHCN ngày 20/3/2024 của Sở Khoa học và Công nghệ)"
    tieu_ngu_line: bool = True
    page_numbers: bool = True
    title_page: bool = True
    appendix_restart: bool = True
    agency_size: float = 12
    recipient_size: float = 11
    body_year: int = 2024
    own_citation: str = "KH-SKHCN"
    last_recipient: str = "- Lưu: VT, HCTH."
    authority: str = "GIÁM ĐỐC"
    body_align: str = "both"
    end_mark: str = "./."
    attachment_note: str = " (chi tiết tại Danh mục kèm theo)"  # the body's pointer to the appendix
    appendix: str = "section"  # "section": own landscape section; "inline": after the signature, no break; "none"
    catalogue: tuple = (("1", "Tuyên truyền về kiểm soát TTHC năm 2024", "Thường xuyên"),)  # (STT, nội dung, thời gian)
    merge_groups: bool = False  # group rows as one merged cell "I. Tên nhóm", as many hand-made catalogues do


AGENCY = "SỞ KHOA HỌC VÀ CÔNG NGHỆ"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"
SUBJECT = "Truyền thông về hoạt động kiểm soát thủ tục hành chính năm 2024"
HEADER_COLS = (Cm(7.2), Cm(9.3))  # 7.2 cm keeps the 12 pt agency name on one line


def _body_texts(spec: Spec) -> list[tuple[str, str]]:
    return [
        ("text", "Thực hiện Kế hoạch số 36/KH-UBND ngày 07/02/2024 của UBND tỉnh Quảng Ngãi về truyền thông "
                 "về hoạt động kiểm soát thủ tục hành chính năm 2024, Sở Khoa học và Công nghệ ban hành "
                 "Kế hoạch thực hiện như sau:"),
        ("muc", "I. MỤC ĐÍCH, YÊU CẦU"),
        ("khoan", "1. Mục đích"),
        ("text", "- Tuyên truyền kịp thời chính sách pháp luật về công tác kiểm soát thủ tục hành chính."),
        ("text", "- Các hoạt động phải đáp ứng yêu cầu đã đề ra tại Kế hoạch số 254/" + spec.own_citation
                 + " ngày 30/12/2023 của Sở Khoa học và Công nghệ về công tác CCHC năm 2024."),
        ("muc", "II. TỔ CHỨC THỰC HIỆN"),
        ("text", f"1. Trưởng các phòng, đơn vị thuộc Sở thường xuyên kiểm tra nhiệm vụ truyền thông năm "
                 f"{spec.body_year} và báo cáo Giám đốc Sở{spec.attachment_note}."),
        ("text", "Yêu cầu các phòng, đơn vị thuộc Sở tổ chức triển khai thực hiện hiệu quả Kế hoạch này"
                 + spec.end_mark),
    ]


class Builder:
    """Builds the same plan either through named styles (and theme fonts) or through direct formatting."""

    def __init__(self, spec: Spec):
        self.spec = spec
        self.doc = Document()
        self.direct = spec.mode == "direct"
        if not self.direct:
            self._styles()

    # styles mode: theme fonts + paragraph/character styles, nothing direct

    def _styles(self) -> None:
        doc, font = self.doc, self.spec.font
        # The body font comes from the theme (minorHAnsi etc.), as in a Word document whose theme
        # was changed; no style names a font.
        for rel in doc.part.rels.values():
            if rel.reltype.endswith("/theme"):
                part = rel.target_part
                xml = part.blob.decode()
                xml = re.sub(r'(<a:minorFont>\s*<a:latin typeface=")[^"]*', rf"\g<1>{font}", xml)
                xml = re.sub(r'(<a:minorFont>.*?<a:ea typeface=")[^"]*', rf"\g<1>{font}", xml, flags=re.S)
                xml = re.sub(r'(<a:minorFont>.*?<a:cs typeface=")[^"]*', rf"\g<1>{font}", xml, flags=re.S)
                part._blob = xml.encode()
        normal = doc.styles["Normal"]
        normal.font.size = Pt(14)
        pf = normal.paragraph_format
        pf.space_after = Pt(0)
        pf.line_spacing = 1.0

        def pstyle(name, size, bold=False, italic=False, align="center", first=None, before=0,
                   line=1.0, left=None, right=None, border=False, base="Normal"):
            st = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            st.base_style = doc.styles[base]
            st.font.size = Pt(size)
            st.font.bold = bold
            st.font.italic = italic
            f = st.paragraph_format
            f.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "both": WD_ALIGN_PARAGRAPH.JUSTIFY,
                           "left": WD_ALIGN_PARAGRAPH.LEFT}[align]
            f.space_before = Pt(before)
            f.space_after = Pt(0)
            f.line_spacing = line
            if first is not None:
                f.first_line_indent = first
            if left is not None:
                f.left_indent, f.right_indent = left, right
            if border:
                ppr = st.element.get_or_add_pPr()
                ppr.insert(0, parse_xml(f'<w:pBdr {nsdecls("w")}><w:top w:val="single" w:sz="6" w:space="1" '
                                        'w:color="000000"/></w:pBdr>'))
            return st

        s = self.spec
        pstyle("QH", 12, bold=True)
        pstyle("TN", 13, bold=True)
        pstyle("CQ", s.agency_size)  # the agency name gets its bold from a character style
        pstyle("CQCQ", 12)
        pstyle("So", 13, before=6)
        pstyle("Ngay", 14, italic=True, before=6)
        pstyle("TenLoai", 14, bold=True, before=24)
        pstyle("TrichYeu", 14, bold=True)
        pstyle("NoiDung", 14, align="both", first=Cm(1.27), before=6, line=1.15)
        pstyle("Muc", 14, bold=True, align="both", first=Cm(1.27), before=6, line=1.15, base="NoiDung")
        pstyle("NoiNhan", 12, bold=True, italic=True, align="left", before=6)
        pstyle("NoiNhanDS", s.recipient_size, align="left")
        pstyle("ThamQuyen", 14, bold=True)
        pstyle("SoTrang", 14)
        pstyle("PLTieuDe", 14, bold=True)
        pstyle("PLKemTheo", 14, italic=True)
        pstyle("Bang", 12, align="left")
        for name, length, width in self._rules():
            side = (width - length) / 2
            pstyle(name, 6, border=True, left=Pt(side), right=Pt(side), before=3)
        cs = doc.styles.add_style("Dam", WD_STYLE_TYPE.CHARACTER)
        cs.font.bold = True

    def _rules(self) -> list[tuple[str, float, float]]:
        """(style name, line length pt, column width pt) of the lines drawn as bordered paragraphs."""
        cq_width = HEADER_COLS[0].pt - 2 * 5.4
        qh_width = HEADER_COLS[1].pt - 2 * 5.4
        text_w = (210 - self.spec.margins_mm[2] - self.spec.margins_mm[3]) / 25.4 * 72
        out = [("KeCQ", 0.4 * text_width_pt(AGENCY, self.spec.agency_size, bold=True), cq_width),
               ("KeTY", 0.4 * text_width_pt(SUBJECT, 14, bold=True), text_w)]
        if self.spec.tieu_ngu_line:
            out.append(("KeTN", text_width_pt(TIEU_NGU, 13, bold=True), qh_width))
        return out

    # one paragraph, formatted one way or the other

    def para(self, container, text, style, *, size=14, bold=False, italic=False, align="center",
             first=None, before=0, line=1.0, char_style=None, underline=False):
        p = container.add_paragraph()
        if self.direct:
            f = p.paragraph_format
            f.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "both": WD_ALIGN_PARAGRAPH.JUSTIFY,
                           "left": WD_ALIGN_PARAGRAPH.LEFT}[align]
            f.space_before, f.space_after, f.line_spacing = Pt(before), Pt(0), line
            f.first_line_indent = first if first is not None else Pt(0)
        else:
            p.style = self.doc.styles[style]
        if text:
            run = p.add_run(text)
            if self.direct:
                run.font.size = Pt(size)
                run.font.bold, run.font.italic = bold, italic
                rpr = run._r.get_or_add_rPr()
                rpr.insert(0, parse_xml(f'<w:rFonts {nsdecls("w")} w:ascii="{self.spec.font}" '
                                        f'w:hAnsi="{self.spec.font}" w:eastAsia="{self.spec.font}" '
                                        f'w:cs="{self.spec.font}"/>'))
            elif char_style:
                run.style = self.doc.styles[char_style]
            if underline:
                run.font.underline = True
        return p

    def build(self) -> bytes:
        s, doc = self.spec, self.doc
        sec = doc.sections[0]
        sec.page_width, sec.page_height = Mm(210), Mm(297)
        sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = (Mm(v) for v in s.margins_mm)
        doc._body.clear_content()

        table = doc.add_table(rows=2, cols=2)
        for row in table.rows:
            for cell, width in zip(row.cells, HEADER_COLS):
                cell.width = width
        for col, width in zip(table.columns, HEADER_COLS):
            col.width = width
        left, right = table.cell(0, 0), table.cell(0, 1)
        left._tc.remove(left.paragraphs[0]._p)
        right._tc.remove(right.paragraphs[0]._p)
        self.para(left, "UBND TỈNH QUẢNG NGÃI", "CQCQ", size=12)
        self.para(left, AGENCY, "CQ", size=s.agency_size, bold=True, char_style="Dam")
        self._line(left, "KeCQ", "vml")
        self.para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "QH", size=12, bold=True)
        self.para(right, TIEU_NGU, "TN", size=13, bold=True, underline=self.direct and s.tieu_ngu_line)
        if not self.direct and s.tieu_ngu_line:
            self.para(right, "", "KeTN")
        c = table.cell(1, 0)
        c.paragraphs[0]._p.getparent().remove(c.paragraphs[0]._p)
        self.para(c, s.number_line, "So", size=13, before=6)
        c = table.cell(1, 1)
        c.paragraphs[0]._p.getparent().remove(c.paragraphs[0]._p)
        self.para(c, s.date_line, "Ngay", size=14, italic=True, before=6)

        self.para(doc, "KẾ HOẠCH", "TenLoai", bold=True, before=24)
        self.para(doc, SUBJECT, "TrichYeu", bold=True)
        self._line(doc, "KeTY", "drawingml")
        for kind, text in _body_texts(s):
            if kind == "text":
                p = self.para(doc, text, "NoiDung", align=s.body_align, first=Cm(1.27), before=6, line=1.15)
                if not self.direct and s.body_align != "both":
                    p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
            else:
                self.para(doc, text, "Muc", bold=True, align="both", first=Cm(1.27), before=6, line=1.15)

        sig = doc.add_table(rows=1, cols=2)
        for cell, width in zip(sig.rows[0].cells, HEADER_COLS):
            cell.width = width
        nn, sg = sig.cell(0, 0), sig.cell(0, 1)
        nn._tc.remove(nn.paragraphs[0]._p)
        sg._tc.remove(sg.paragraphs[0]._p)
        self.para(nn, "Nơi nhận:", "NoiNhan", size=12, bold=True, italic=True, align="left", before=6)
        for item in ("- Văn phòng UBND tỉnh;", "- GĐ, các PGĐ Sở;", s.last_recipient):
            self.para(nn, item, "NoiNhanDS", size=s.recipient_size, align="left")
        self.para(sg, s.authority, "ThamQuyen", bold=True)
        for _ in range(4):
            self.para(sg, "", "ThamQuyen", bold=True)
        self.para(sg, "Nguyễn Văn Thành", "ThamQuyen", bold=True)

        if s.appendix != "none":
            self._appendix()
        self._page_numbers()
        buf = io.BytesIO()
        doc.save(buf)
        return buf.getvalue()

    def _appendix(self) -> None:
        """Phụ lục: by default a new landscape section numbered from 1, holding the catalogue table."""
        s, doc = self.spec, self.doc
        if s.appendix == "section":
            app = doc.add_section(WD_SECTION.NEW_PAGE)
            app.orientation = WD_ORIENT.LANDSCAPE
            app.page_width, app.page_height = Mm(297), Mm(210)
            if s.appendix_restart:
                app._sectPr.append(parse_xml(f'<w:pgNumType {nsdecls("w")} w:start="1"/>'))
        self.para(doc, "Phụ lục", "PLTieuDe", bold=True)
        self.para(doc, "NỘI DUNG CÔNG VIỆC TRUYỀN THÔNG NĂM 2024", "PLTieuDe", bold=True)
        self.para(doc, s.ref_line, "PLKemTheo", italic=True)
        if not s.catalogue:
            return
        cat = doc.add_table(rows=1 + len(s.catalogue), cols=3)
        cat.style = doc.styles["Table Grid"]
        rows = [("STT", "Nội dung công việc", "Thời gian thực hiện"), *s.catalogue]
        for r, texts in enumerate(rows):
            if s.merge_groups and re.fullmatch(r"[IVX]+", texts[0]):
                merged = cat.cell(r, 0).merge(cat.cell(r, 2))
                texts, cells = (f"{texts[0]}. {texts[1]}",), [merged]
            else:
                cells = [cat.cell(r, i) for i in range(3)]
            for cell, text in zip(cells, texts):
                for p in list(cell.paragraphs):
                    cell._tc.remove(p._p)
                self.para(cell, text, "Bang", size=12, align="left")

    def _line(self, container, style: str, shape: str) -> None:
        """Styles mode: an empty bordered paragraph; direct mode: a drawn line (VML or DrawingML)."""
        if not self.direct:
            self.para(container, "", style)
            return
        length = next(length for name, length, _ in Builder(dataclasses.replace(self.spec, mode="styles"))._rules()
                      if name == style)
        p = self.para(container, "", style, size=6)
        if shape == "vml":
            xml = (f'<w:r {nsdecls("w")} xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:line from="0,0" to="{length:.1f}pt,0" '
                   'strokeweight="0.75pt"/></w:pict></w:r>')
        else:
            emu = int(length * 12700)
            xml = (
                f'<w:r {nsdecls("w", "wp", "a")} xmlns:wps="{WPS}"><w:drawing><wp:inline><wp:extent cx="{emu}" cy="0"/>'
                '<wp:docPr id="5" name="Line"/><a:graphic><a:graphicData '
                'uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp>'
                '<wps:cNvCnPr/><wps:spPr><a:xfrm><a:off x="0" y="0"/>'
                f'<a:ext cx="{emu}" cy="0"/></a:xfrm><a:prstGeom prst="line"><a:avLst/></a:prstGeom>'
                '</wps:spPr><wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>'
            )
        p._p.append(parse_xml(xml))

    def _page_numbers(self) -> None:
        sec = self.doc.sections[0]
        sec.different_first_page_header_footer = self.spec.title_page
        if not self.spec.page_numbers:
            return
        header = sec.header
        header.is_linked_to_previous = False
        p = header.paragraphs[0]
        if self.direct:
            p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        else:
            p.style = self.doc.styles["SoTrang"]
        size = '<w:sz w:val="28"/>' if self.direct else ""
        fonts = (f'<w:rFonts w:ascii="{self.spec.font}" w:hAnsi="{self.spec.font}" w:eastAsia="{self.spec.font}" '
                 f'w:cs="{self.spec.font}"/>') if self.direct else ""
        for part in ('<w:fldChar w:fldCharType="begin"/>', '<w:instrText xml:space="preserve"> PAGE </w:instrText>',
                     '<w:fldChar w:fldCharType="separate"/>', "<w:t>2</w:t>", '<w:fldChar w:fldCharType="end"/>'):
            p._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:rPr>{fonts}{size}</w:rPr>{part}</w:r>'))
        if self.spec.title_page:
            sec.first_page_header.is_linked_to_previous = False


def build(tmp_path: Path, name: str = "plan", **changes) -> Path:
    spec = Spec(**changes)
    path = tmp_path / f"{name}.docx"
    path.write_bytes(Builder(spec).build())
    return path


def failing(report) -> set[str]:
    return {r.rule for r in report.results if r.status == FAIL}


def errors(report) -> set[str]:
    return {r.rule for r in report.errors}


# --- the rendered sample ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sample_docx(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample") / "sample.docx"
    return render_file(SAMPLE, out)


def test_rendered_sample_has_no_error_and_no_warning(sample_docx):
    report = check_docx(sample_docx)
    assert report.errors == [] and report.warnings == [], report.to_table()
    assert report.not_evaluated == [], [r.rule for r in report.not_evaluated]
    rules = {r.rule for r in report.results}
    # Every element was found and judged, not skipped.
    for rid in ("PL1.II.3.le-trang", "PL1.II.4.phong-chu", "PL1.III.1.quoc-hieu.mot-dong",
                "PL1.III.1.tieu-ngu.duong-ke", "PL1.III.2.co-quan-ban-hanh.duong-ke", "PL1.III.5.trich-yeu.duong-ke",
                "PL1.III.4.ngay-thang", "PL1.III.6.dau-ket", "PL1.III.9.noi-nhan.hinh-thuc",
                "PL1.II.7.so-trang.trang-dau", "PL1.IV.phu-luc.so-trang", "PL1.III.3.ky-hieu-thong-nhat",
                "PL1.III.6.nam", "PL1.III.3.ky-hieu-co-quan", "PL3.ten-loai-viet-tat"):
        assert rid in rules


def test_final_version_with_small_number_and_early_date_passes(tmp_path):
    text = SAMPLE.read_text(encoding="utf-8").replace("date: 2024-03-20", "number: 5\ndate: 2024-02-05")
    data = tmp_path / "final.yaml"
    data.write_text(text, encoding="utf-8")
    out = render_file(data, tmp_path / "final.docx")
    report = check_docx(out)
    assert report.errors == [] and report.warnings == [], report.to_table()
    line = next(r for r in report.results if r.rule == "PL1.III.3.so-ky-hieu.hinh-thuc")
    assert line.measured == "Số: 05/KH-SKHCN"


# --- Word-like documents ------------------------------------------------------------------------

@pytest.mark.parametrize("mode", ["styles", "direct"])
def test_correct_word_document_passes(tmp_path, mode):
    report = check_docx(build(tmp_path, mode=mode))
    assert report.errors == [] and report.warnings == [], report.to_table()
    assert report.not_evaluated == []
    lines = {r.rule: r.measured for r in report.results if r.rule.endswith("duong-ke")}
    if mode == "styles":
        assert all("viền trên" in m for m in lines.values())
    else:
        assert "gạch chân" in lines["PL1.III.1.tieu-ngu.duong-ke"]
        assert "đường kẻ vẽ" in lines["PL1.III.2.co-quan-ban-hanh.duong-ke"]
        assert "đường kẻ vẽ" in lines["PL1.III.5.trich-yeu.duong-ke"]


def test_styles_mode_really_has_no_direct_formatting(tmp_path):
    """The styles fixture must get its formatting from styles and the theme only, or the test above
    would prove nothing about style resolution."""
    xml = zipfile.ZipFile(build(tmp_path)).read("word/document.xml").decode()
    for tag in ("w:sz ", "w:b/", "w:i/", "w:rFonts", "w:jc ", "w:ind ", "w:spacing "):
        assert f"<{tag}" not in xml, tag
    styles = zipfile.ZipFile(build(tmp_path)).read("word/styles.xml").decode()
    assert "Times New Roman" not in styles  # the font comes from theme1.xml


@pytest.mark.parametrize("mode", ["styles", "direct"])
@pytest.mark.parametrize("changes, rule", [
    ({"font": "Arial"}, "PL1.II.4.phong-chu"),
    ({"margins_mm": (20, 20, 25, 15)}, "PL1.II.3.le-trang"),
    ({"date_line": "Quảng Ngãi, ngày 5 tháng 2 năm 2024",
      "ref_line": "(Kèm theo Kế hoạch số 05/KH-SKHCN ngày 05/02/2024 của Sở Khoa học và Công nghệ)"},
     "PL1.III.4.ngay-thang"),
    ({"tieu_ngu_line": False}, "PL1.III.1.tieu-ngu.duong-ke"),
    ({"ref_line": "(Kèm theo Kế hoạch số 05/KH-SKHCNN ngày 20/3/2024 của Sở Khoa học và Công nghệ)"},
     "PL1.III.3.ky-hieu-thong-nhat"),
    ({"agency_size": 14}, "PL1.III.2.co-quan-ban-hanh.co-chu"),
    ({"recipient_size": 13}, "PL1.III.9.noi-nhan.danh-sach.co-chu"),
    ({"own_citation": "KH-SKHCCN"}, "PL1.III.3.ky-hieu-co-quan"),
    ({"number_line": "Số: 5/KH-SKHCN",
      "ref_line": "(Kèm theo Kế hoạch số 5/KH-SKHCN ngày 20/3/2024 của Sở Khoa học và Công nghệ)"},
     "PL1.III.3.so-ky-hieu.hinh-thuc"),
    ({"number_line": "Số: 05/QĐ-SKHCN",
      "ref_line": "(Kèm theo Kế hoạch số 05/QĐ-SKHCN ngày 20/3/2024 của Sở Khoa học và Công nghệ)"},
     "PL3.ten-loai-viet-tat"),
    ({"title_page": False}, "PL1.II.7.so-trang.trang-dau"),
    ({"appendix_restart": False}, "PL1.IV.phu-luc.so-trang"),
    ({"last_recipient": "- Lưu: VT, HCTH"}, "PL1.III.9.noi-nhan.hinh-thuc"),
    ({"authority": "KT GIÁM ĐỐC"}, "PL1.III.7.tham-quyen.hinh-thuc"),
    ({"body_align": "left"}, "PL1.III.6.noi-dung.can-le"),
    ({"end_mark": "."}, "PL1.III.6.dau-ket"),
])
def test_each_defect_is_flagged_by_its_rule_and_nothing_else(tmp_path, mode, changes, rule):
    report = check_docx(build(tmp_path, mode=mode, **changes))
    assert failing(report) == {rule}, report.to_table()
    assert errors(report) == {rule}


@pytest.mark.parametrize("mode", ["styles", "direct"])
def test_missing_page_numbers(tmp_path, mode):
    report = check_docx(build(tmp_path, mode=mode, page_numbers=False))
    # The appendix's own numbering fails with it: it has no page number either.
    assert failing(report) == {"PL1.II.7.so-trang.vi-tri", "PL1.IV.phu-luc.so-trang"}, report.to_table()
    vi_tri = report.failed("PL1.II.7.so-trang.vi-tri")[0]
    assert vi_tri.measured == "không có số trang"
    # What depends on the missing number is not evaluated, never passed.
    status = {r.rule: r.status for r in report.results}
    assert status["PL1.II.7.so-trang.can-le"] == NOT_EVALUATED


@pytest.mark.parametrize("mode", ["styles", "direct"])
def test_old_year_in_body_is_a_warning_but_cited_dates_are_not(tmp_path, mode):
    report = check_docx(build(tmp_path, mode=mode, body_year=2023))
    assert failing(report) == {"PL1.III.6.nam"}, report.to_table()
    hit = report.failed("PL1.III.6.nam")
    assert len(hit) == 1 and hit[0].severity == "warning" and hit[0].measured == "“năm 2023”"
    assert "Trưởng các phòng" in hit[0].location
    assert report.errors == []


@pytest.mark.parametrize("citation", [
    "Kết luận số 45-KL/TW ngày 01 tháng 02 năm 2025 của Ban Bí thư",
    "Chỉ thị số 11-CT/TU ngày 03 tháng 3 năm 2025 của Ban Thường vụ Tỉnh ủy",
    "Quy định số 05-QĐi/TW ngày 20 tháng 01 năm 2025 của Bộ Chính trị",
])
def test_a_party_document_cited_by_its_number_is_a_citation(tmp_path, citation):
    # State plans cite the Party's resolutions, conclusions and directives by the Party's numbering
    # (number-type/issuer): their dates name those documents, not a year the plan forgot to move.
    from tests.word_fixtures import build_plan

    body = ["I. MỤC ĐÍCH, YÊU CẦU", f"Các phòng triển khai {citation}, bảo đảm đúng tiến độ đề ra.",
            "II. NỘI DUNG", "Tổ chức giải chạy tại các huyện trong quý II./."]
    cited = check_docx(build_plan(tmp_path / "cited.docx", body=body))
    assert not cited.failed("PL1.III.6.nam"), cited.to_table()
    assert not cited.failed("PL1.III.3.ky-hieu-co-quan"), cited.to_table()
    # The same year outside a citation is still last year's, left behind.
    body[1] = "Các phòng tiếp tục các nhiệm vụ năm 2025 chưa hoàn thành, bảo đảm đúng tiến độ đề ra."
    stale = check_docx(build_plan(tmp_path / "stale.docx", body=body)).failed("PL1.III.6.nam")
    assert [r.measured for r in stale] == ["“năm 2025”"]


def test_citation_of_own_document_with_other_abbreviation_names_it(tmp_path):
    report = check_docx(build(tmp_path, own_citation="KH-SKHCCN"))
    hit = report.failed("PL1.III.3.ky-hieu-co-quan")[0]
    assert hit.measured == "KH-SKHCCN" and hit.expected == "KH-SKHCN" and hit.severity == "error"


def test_arial_reports_the_font_and_its_slots(tmp_path):
    report = check_docx(build(tmp_path, mode="direct", font="Arial"))
    hit = report.failed("PL1.II.4.phong-chu")
    # One result per face and slot the text is drawn with: Vietnamese uses ascii and hAnsi only.
    assert sorted(h.measured.split(")")[0] for h in hit) == ["Arial (ô phông ascii", "Arial (ô phông hAnsi"]


def test_theme_font_is_resolved(tmp_path):
    """A document whose body font comes only from the theme (minorHAnsi) is judged by that font."""
    report = check_docx(build(tmp_path, mode="styles", font="Calibri"))
    assert report.failed("PL1.II.4.phong-chu")[0].measured.startswith("Calibri")


def test_elements_that_cannot_be_found_are_not_evaluated(tmp_path):
    """An administrative document (Quốc hiệu, issuer, Số) lacking its other parts: those are not
    evaluated, never passed."""
    doc = Document()
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).paragraphs[0].add_run("SỞ KHOA HỌC VÀ CÔNG NGHỆ").bold = True
    table.cell(0, 1).paragraphs[0].add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").bold = True
    table.cell(1, 0).paragraphs[0].add_run("Số: 05/KH-SKHCN")
    doc.add_paragraph("Một đoạn văn bản không theo thể thức.")
    path = tmp_path / "bare.docx"
    doc.save(path)
    report = check_docx(path)
    status = {}
    for r in report.results:
        status.setdefault(r.rule, set()).add(r.status)
    for rid in ("PL1.III.1.tieu-ngu.co-chu", "PL1.III.4.ngay-thang", "PL1.III.9.noi-nhan.hinh-thuc", "PL1.III.6.nam"):
        assert status[rid] == {NOT_EVALUATED}, rid
    assert PASS not in status["PL1.III.1.tieu-ngu.duong-ke"]


# --- data files -------------------------------------------------------------------------------------

def test_sample_data_passes_the_content_rules():
    report = check_data(SAMPLE)
    assert report.kind == "data" and report.errors == [] and report.warnings == []
    rules = {r.rule for r in report.results}
    assert {"PL1.III.6.nam", "PL1.III.3.ky-hieu-co-quan", "PL1.III.9.noi-nhan.hinh-thuc",
            "PL1.III.3.ky-hieu-thong-nhat"} <= rules
    assert not any(r.rule.endswith(".co-chu") for r in report.results)  # no formatting in a data file


def test_data_file_with_seed_mistakes(tmp_path):
    text = SAMPLE.read_text(encoding="utf-8")
    text = text.replace("    number: 254                        # văn bản của chính Sở: ký hiệu tự suy ra KH-SKHCN",
                        "    number: 254\n    symbol: KH-SKHCCN")
    text = text.replace("kiểm soát TTHC năm 2024 và báo cáo Giám đốc Sở", "kiểm soát TTHC năm 2023 và báo cáo Giám đốc Sở")
    data = tmp_path / "seed.yaml"
    data.write_text(text, encoding="utf-8")
    report = check_file(data)
    assert failing(report) == {"PL1.III.6.nam", "PL1.III.3.ky-hieu-co-quan"}, report.to_table()
    assert report.failed("PL1.III.6.nam")[0].measured == "“năm 2023”"
    assert main(["check", str(data)]) == 1


# --- the command line -------------------------------------------------------------------------------

def test_cli_exit_codes_and_output(tmp_path, sample_docx, capsys):
    assert main(["check", str(sample_docx)]) == 0
    out = capsys.readouterr().out
    # A sound document is one line: the summary; --verbose lists every rule, passes included.
    assert out.splitlines() == [f"{sample_docx} (Kế hoạch): KHÔNG CÓ LỖI — 0 lỗi, 0 cảnh báo, "
                                "0 chưa đánh giá, 88 đạt (88 quy tắc)"], out
    assert main(["check", str(sample_docx), "--verbose"]) == 0
    out = capsys.readouterr().out
    assert "■ Quốc hiệu" in out and out.count("✓ đạt") == 88 and "0 lỗi, 0 cảnh báo" in out.splitlines()[-1]

    bad = build(tmp_path, margins_mm=(20, 20, 25, 15))
    assert main(["check", str(bad), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    fails = [r for r in data["results"] if r["status"] == "fail"]
    # One result per section: the appendix section inherited the wrong margin.
    assert data["summary"]["errors"] == 2 and {r["rule"] for r in fails} == {"PL1.II.3.le-trang"}
    assert "trái 25.0" in fails[0]["measured"] and fails[0]["location"] == "mục trang 1 (phần chính, khổ dọc)"

    warn_only = build(tmp_path, name="warn", body_year=2023)
    assert main(["check", str(warn_only)]) == 0  # warnings alone do not fail the check
    out = capsys.readouterr().out
    # Without --verbose: the warning, where it is, and the summary; no passing rule.
    assert "✗ CẢNH BÁO" in out and "PL1.III.6.nam" in out and "năm 2023" in out and "✓ đạt" not in out
    assert out.splitlines()[-1].endswith("(Kế hoạch): KHÔNG CÓ LỖI — 0 lỗi, 1 cảnh báo, 0 chưa đánh giá, "
                                         f"{len(check_file(warn_only).results) - 1} đạt "
                                         f"({len(check_file(warn_only).results)} quy tắc)"), out

    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    assert main(["check", str(broken)]) == 2
    assert "không đọc được" in capsys.readouterr().err
    assert main(["check", str(tmp_path / "missing.docx")]) == 2
    bad_yaml = tmp_path / "bad.yaml"
    bad_yaml.write_text("agency: [\n", encoding="utf-8")
    assert main(["check", str(bad_yaml)]) == 2


def test_an_unforeseen_construct_is_not_evaluated_not_a_crash(tmp_path, monkeypatch):
    from generator.check import rules

    def broken(doc):
        raise ValueError("boom")

    monkeypatch.setattr(rules, "RULES", rules.RULES + [rules.Rule(broken, content=False)])
    report = check_docx(build(tmp_path))
    odd = [r for r in report.results if r.rule == "broken"]
    assert len(odd) == 1 and odd[0].status == NOT_EVALUATED and "boom" in odd[0].message


# --- which section a per-section result is about ----------------------------------------------------

def test_table_names_the_section_of_each_per_section_result(tmp_path):
    report = check_docx(build(tmp_path))
    table = report.to_table()
    for rid in ("PL1.II.1.kho-giay", "PL1.II.2.huong-giay", "PL1.II.3.le-trang"):
        lines = [line for line in table.splitlines() if f" {rid} " in line]
        assert len(lines) == 2, lines
        assert lines[0].endswith("tại: mục trang 1 (phần chính, khổ dọc)"), lines[0]
        assert lines[1].endswith("tại: mục trang 2 (phụ lục, khổ ngang)"), lines[1]
    # A rule evaluated once keeps its line short.
    font = next(line for line in table.splitlines() if " PL1.II.4.phong-chu " in line)
    assert "tại:" not in font


def test_failures_per_section_say_which_section(tmp_path):
    report = check_docx(build(tmp_path, margins_mm=(20, 20, 25, 15)))
    assert [r.location for r in report.failed("PL1.II.3.le-trang")] == [
        "mục trang 1 (phần chính, khổ dọc)", "mục trang 2 (phụ lục, khổ ngang)"]
    table = report.to_table()
    assert "tại: mục trang 1 (phần chính, khổ dọc)" in table and "tại: mục trang 2 (phụ lục, khổ ngang)" in table
    # The page-number rules read the first section's header and say so.
    report = check_docx(build(tmp_path, name="nopage", page_numbers=False))
    assert report.failed("PL1.II.7.so-trang.vi-tri")[0].location == "mục trang 1 (phần chính, khổ dọc), đầu trang"
    assert report.failed("PL1.IV.phu-luc.so-trang")[0].location.startswith("mục trang 2 (phụ lục, khổ ngang)")


# --- an appendix the body points to, and the catalogue's groups ---------------------------------------

def _status(report, rule: str) -> list[str]:
    return [r.status for r in report.results if r.rule == rule]


@pytest.mark.parametrize("mode", ["styles", "direct"])
def test_body_points_to_an_appendix_the_document_lacks(tmp_path, mode):
    report = check_docx(build(tmp_path, mode=mode, appendix="none"))
    assert failing(report) == {"PL1.IV.phu-luc.dan-chieu"}, report.to_table()
    hit = report.failed("PL1.IV.phu-luc.dan-chieu")
    assert len(hit) == 1 and hit[0].severity == "warning" and report.errors == []
    assert hit[0].measured == "“(chi tiết tại Danh mục kèm theo)”"
    assert "Trưởng các phòng" in hit[0].location
    # The same document with its appendix, or without the pointer, is fine.
    assert _status(check_docx(build(tmp_path, name="with", mode=mode)), "PL1.IV.phu-luc.dan-chieu") == [PASS]
    plain = check_docx(build(tmp_path, name="plain", mode=mode, appendix="none", attachment_note=""))
    assert failing(plain) == set() and _status(plain, "PL1.IV.phu-luc.dan-chieu") == [PASS]


def test_appendix_after_the_signature_in_the_same_section_is_found(tmp_path):
    """An appendix pushed to a new page inside the body's section is still the appendix: the body's
    pointer is satisfied, and its numbering cannot restart at 1."""
    report = check_docx(build(tmp_path, appendix="inline"))
    assert _status(report, "PL1.IV.phu-luc.dan-chieu") == [PASS]
    assert failing(report) == {"PL1.IV.phu-luc.so-trang"}, report.to_table()
    assert report.failed("PL1.IV.phu-luc.so-trang")[0].measured == "nối tiếp phần chính"


def _data(tmp_path: Path, text: str, name: str = "plan") -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _without_appendices(text: str) -> str:
    return text[:text.index("\nappendices:")] + "\n"


SAMPLE_POINTER = "được ban hành kèm theo Kế hoạch này."


@pytest.mark.parametrize("sentence, flagged", [
    (SAMPLE_POINTER, True),
    ("được ban hành (chi tiết tại Phụ lục I).", True),
    ("theo Phụ lục kèm theo.", True),
    ("theo Danh mục kèm theo Quyết định số 1085/QĐ-UBND của UBND tỉnh.", False),  # another document's
    ("được ban hành (chi tiết tại Mục II).", False),  # a part of this text
    ("được ban hành.", False),
])
def test_data_file_without_appendices_that_the_body_points_to(tmp_path, sentence, flagged, capsys):
    text = SAMPLE.read_text(encoding="utf-8")
    assert SAMPLE_POINTER in text
    data = _data(tmp_path, _without_appendices(text.replace(SAMPLE_POINTER, sentence)))
    report = check_data(data)
    assert failing(report) == ({"PL1.IV.phu-luc.dan-chieu"} if flagged else set()), report.to_table()
    if flagged:
        hit = report.failed("PL1.IV.phu-luc.dan-chieu")[0]
        assert hit.location.startswith("“Hoạt động truyền thông") and hit.severity == "warning"
        assert main(["check", str(data)]) == 0  # a warning does not fail the check
        assert "PL1.IV.phu-luc.dan-chieu" in capsys.readouterr().out
    # The sample itself points to its Danh mục and has it.
    assert _status(check_data(SAMPLE), "PL1.IV.phu-luc.dan-chieu") == [PASS]


@pytest.mark.parametrize("mode", ["styles", "direct"])
@pytest.mark.parametrize("merge_groups", [False, True])
def test_catalogue_group_without_a_task(tmp_path, mode, merge_groups):
    rows = (("I", "Truyền thông hỗ trợ kiểm soát TTHC", ""), ("1", "Tuyên truyền về kiểm soát TTHC", "Thường xuyên"),
            ("II", "Truyền thông về dịch vụ công trực tuyến", ""))
    report = check_docx(build(tmp_path, mode=mode, catalogue=rows, merge_groups=merge_groups))
    assert failing(report) == {"PL1.IV.phu-luc.nhom-nhiem-vu"}, report.to_table()
    hit = report.failed("PL1.IV.phu-luc.nhom-nhiem-vu")
    assert len(hit) == 1 and hit[0].severity == "warning" and report.errors == []
    assert hit[0].measured == "nhóm II không có nhiệm vụ nào"
    assert "hàng 4" in hit[0].location and "dịch vụ công trực tuyến" in hit[0].location
    full = check_docx(build(tmp_path, name="full", mode=mode, merge_groups=merge_groups,
                            catalogue=rows + (("1", "Tuyên truyền cách thức thực hiện", "Thường xuyên"),)))
    res = [r for r in full.results if r.rule == "PL1.IV.phu-luc.nhom-nhiem-vu"]
    assert failing(full) == set() and [r.status for r in res] == [PASS] and res[0].measured == "2 nhóm, 2 nhiệm vụ"


def test_catalogue_that_cannot_be_read_is_not_evaluated(tmp_path):
    report = check_docx(build(tmp_path, catalogue=()))
    assert _status(report, "PL1.IV.phu-luc.nhom-nhiem-vu") == [NOT_EVALUATED]
    # Numbered tasks without groups are a catalogue too: nothing to complain about.
    ungrouped = [r for r in check_docx(build(tmp_path, name="flat")).results if r.rule == "PL1.IV.phu-luc.nhom-nhiem-vu"]
    assert [r.status for r in ungrouped] == [PASS] and ungrouped[0].measured == "1 nhiệm vụ, không chia nhóm"


def test_empty_group_in_data_file_and_in_its_rendered_document(tmp_path):
    text = SAMPLE.read_text(encoding="utf-8").rstrip("\n") + "\n      - title: Nhóm chưa có nhiệm vụ\n"
    data = _data(tmp_path, text)
    for report in (check_data(data), check_docx(render_file(data, tmp_path / "plan.docx"))):
        assert failing(report) == {"PL1.IV.phu-luc.nhom-nhiem-vu"}, report.to_table()
        hit = report.failed("PL1.IV.phu-luc.nhom-nhiem-vu")
        assert len(hit) == 1 and hit[0].measured == "nhóm V không có nhiệm vụ nào"
        assert "Nhóm chưa có nhiệm vụ" in hit[0].location


# --- the leading-zero rule comes from the renderer ------------------------------------------------------

def test_date_rules_accept_exactly_what_the_renderer_prints():
    """For every day and month, the date line and the appendix reference line pass when written as
    nd30.day_month prints them and fail when written otherwise."""
    from generator.check import rules
    from generator.recognise.model import AppendixPart as Appendix, KeHoach
    from generator.word.reader import Para
    from generator.nd30 import day_month

    def results(date: str, ref: str) -> dict[str, str]:
        doc = KeHoach(source="t", formatted=False, date_line=Para(f"Quảng Ngãi, {date}"),
                      number_line=Para("Số: 05/KH-SKHCN"))
        doc.appendices.append(Appendix(1, Para("DANH MỤC"), [], Para(
            f"(Kèm theo Kế hoạch số 05/KH-SKHCN ngày {ref} của Sở Khoa học và Công nghệ)")))
        out = rules.date_line(doc) + rules.appendices(doc)
        return {r.rule: r.status for r in out}

    for month in range(1, 13):
        for day in (None, *range(1, 32)):
            d, m = day_month(day, month)
            day_text = "" if day is None else d
            got = results(f"ngày {day_text} tháng {m} năm 2024", f"{day_text}/{m}/2024")
            assert got == {"PL1.III.4.ngay-thang": PASS, "PL1.IV.phu-luc.kem-theo": PASS,
                           "PL1.III.3.ky-hieu-thong-nhat": PASS}, (day, month, got)
            if month < 10:  # the other way to write the month: with or without its 0
                other_m = str(month) if m != str(month) else f"{month:02d}"
                got = results(f"ngày {day_text} tháng {other_m} năm 2024", f"{day_text}/{other_m}/2024")
                assert got["PL1.III.4.ngay-thang"] == FAIL and got["PL1.IV.phu-luc.kem-theo"] == FAIL, (day, month)
            if day is not None and d != str(day):
                got = results(f"ngày {day} tháng {m} năm 2024", f"{day}/{m}/2024")
                assert got["PL1.III.4.ngay-thang"] == FAIL and got["PL1.IV.phu-luc.kem-theo"] == FAIL, (day, month)


def test_leading_zero_messages(tmp_path):
    report = check_docx(build(tmp_path, date_line="Quảng Ngãi, ngày 5 tháng 03 năm 2024",
                              ref_line="(Kèm theo Kế hoạch số 05/KH-SKHCN ngày 5/03/2024 của Sở Khoa học và Công nghệ)"))
    assert failing(report) == {"PL1.III.4.ngay-thang", "PL1.IV.phu-luc.kem-theo"}, report.to_table()
    for rid in ("PL1.III.4.ngay-thang", "PL1.IV.phu-luc.kem-theo"):
        message = report.failed(rid)[0].message
        assert "ngày 5 phải viết 05" in message and "tháng 03 phải viết 3 (chỉ tháng 1, 2 có số 0)" in message
