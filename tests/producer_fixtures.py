"""The fixture plan of tests/test_check_invariance (one header table, Quốc hiệu, body, Nơi nhận and
signature table, an appendix on a landscape page) written by programs other than Microsoft Word, each
in its own habits: LibreOffice Writer (a flat ODT typed as Writer stores it, converted by soffice),
pandoc (markdown with a reference doc), python-docx used naively by a document-management system,
and imitations of Google Docs' and WPS Office's exports where no real producer runs here.

Every sentence is the fixture's own (tests/test_check_invariance.BODY, APPENDIX, SUBJECT).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from tests.test_check_invariance import APPENDIX, BODY, EMU, SUBJECT, WP

ISSUER = ("UBND TỈNH SÔNG MÂY",)
AGENCY = ("SỞ VĂN HÓA", "VÀ THỂ THAO")
NUMBER = "Số:      /KH-SVHTT"
QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"
DATE = "Sông Mây, ngày      tháng      năm 2026"
OPENING = "Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh, Sở Văn hóa và Thể thao ban hành Kế hoạch như sau:"
# The body as an outline: (mục heading, [(khoản, [dash items])]); numbers left to the producer's lists.
OUTLINE: list[tuple[str, list[tuple[str, list[str]]]]] = [
    ("MỤC ĐÍCH, YÊU CẦU", [
        ("Khuyến khích người dân rèn luyện thân thể mỗi ngày.", []),
        ("Bảo đảm an toàn cho người tham gia giải chạy.", [
            "Bố trí lực lượng y tế dọc đường chạy;", "Chuẩn bị nước uống tại các điểm tiếp nước."]),
    ]),
    ("TỔ CHỨC THỰC HIỆN", [
        ("Các phòng chuyên môn chuẩn bị địa điểm và trang thiết bị.", []),
        ("Các đơn vị triển khai thực hiện nghiêm túc Kế hoạch này./.", []),
    ]),
]
RECIPIENTS = ("- Ủy ban nhân dân tỉnh;", "- Các phòng thuộc Sở;", "- Lưu: VT, VP.")
SIGNER = ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")
SIGNER_NAME = "Lê Thị Hạnh"
APPENDIX_TITLES = ("PHỤ LỤC", "DANH MỤC NHIỆM VỤ")
APPENDIX_REF = "(Kèm theo Kế hoạch số      /KH-SVHTT ngày      /     /2026 của Sở Văn hóa và Thể thao)"
# The catalogue: header row, then (group numeral, group name, [(stt, task, unit, time)]); "" = merged above.
CATALOGUE_HEAD = ("STT", "Nội dung", "Đơn vị chủ trì", "Thời gian")
CATALOGUE = [
    ("I", "Công tác chuẩn bị", [("1", "Khảo sát đường chạy", "Phòng Thể thao", "Tháng 3"),
                                 ("2", "Lắp đặt biển báo", "", "Tháng 4")]),
    ("II", "Tổ chức giải", [("1", "Tổ chức giải chạy", "Văn phòng", "Tháng 5")]),
]
CATALOGUE_CM = (1.2, 7.5, 4.0, 3.0)


def word_plan(path: Path) -> Path:
    """The page every producer below writes, as Word writes it: tests/test_check_invariance._plain
    with its appendix on a landscape page of its own section."""
    import docx

    from tests.word_fixtures import Header, build_plan

    build_plan(path, header=Header(issuer=AGENCY), subject=SUBJECT, body=BODY, appendices=[APPENDIX],
               appendix_landscape=[True])
    doc = docx.Document(str(path))
    for anchor in doc.element.body.iter(f"{{{WP}}}anchor"):  # as _plain: the Tiêu ngữ's line under its text
        if anchor.find(f"{{{WP}}}docPr").get("id") == "13":
            anchor.find(f"{{{WP}}}positionV/{{{WP}}}posOffset").text = str(-2 * EMU)
    doc.save(str(path))
    return path


# --- LibreOffice Writer: a flat ODT as Writer saves it ------------------------------------------------


def _odf_text(text: str) -> str:
    """Text as ODF stores it: a run of spaces after the first as <text:s text:c="n"/>."""
    out = escape(text)
    return re.sub(r"  +", lambda m: f' <text:s text:c="{len(m.group()) - 1}"/>', out)


def _p(style: str, text: str = "", span: str | None = None, shapes: str = "") -> str:
    inner = _odf_text(text)
    if span and inner:
        inner = f'<text:span text:style-name="{span}">{inner}</text:span>'
    return f'<text:p text:style-name="{style}">{shapes}{inner}</text:p>'


def _line(x_cm: float, y_cm: float, length_cm: float, z: int) -> str:
    """A line drawn with Writer's line tool, anchored to its paragraph (Insert > Shape > Line)."""
    return (f'<draw:line draw:style-name="gr1" draw:text-style-name="P0" text:anchor-type="paragraph" '
            f'draw:z-index="{z}" svg:x1="{x_cm}cm" svg:y1="{y_cm}cm" svg:x2="{x_cm + length_cm:.3f}cm" '
            f'svg:y2="{y_cm}cm"><text:p/></draw:line>')


def writer_fodt(*, recipients_listed: bool = False, chapter_numbering: bool = False) -> str:
    """The plan typed in LibreOffice Writer: paragraph and character styles of Writer's own (bold
    and italic in automatic text styles, sizes in paragraph styles), the body numbered by one Writer
    list (I., 1. nested) and a bullet list for the dashes, lines drawn with the line tool, tables
    without borders for the header and the signature, the appendix on a landscape page style.
    recipients_listed: the Nơi nhận's recipients as a Writer list with a dash for its bullet;
    chapter_numbering: the mục headings in Writer's "Heading 1" numbered by Tools > Chapter Numbering
    (the outline style), each mục's khoản a list of its own that starts again at 1."""
    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
          'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
          'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
          'xmlns:loext="urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0"')

    def pstyle(name: str, *, align: str = "center", size: float = 14, before: float = 0, after: float = 0,
               indent: float | None = 0, parent: str = "Standard", master: str = "") -> str:
        m = f' style:master-page-name="{master}"' if master else ""
        # A list's paragraphs take their indents from the list level: their style sets none.
        ind = f' fo:text-indent="{indent}cm"' if indent is not None else ""
        return (f'<style:style style:name="{name}" style:family="paragraph" style:parent-style-name="{parent}"{m}>'
                f'<style:paragraph-properties fo:text-align="{align}" fo:margin-top="{before}pt" '
                f'fo:margin-bottom="{after}pt"{ind} fo:line-height="100%"/>'
                f'<style:text-properties fo:font-size="{size}pt" style:font-size-asian="{size}pt" '
                f'style:font-size-complex="{size}pt"/></style:style>')

    def tstyle(name: str, bold: bool, italic: bool) -> str:
        props = ""
        if bold:
            props += 'fo:font-weight="bold" style:font-weight-asian="bold" style:font-weight-complex="bold" '
        if italic:
            props += 'fo:font-style="italic" style:font-style-asian="italic" style:font-style-complex="italic" '
        return f'<style:style style:name="{name}" style:family="text"><style:text-properties {props}/></style:style>'

    def table_style(name: str, widths: tuple[float, ...], border: bool) -> str:
        cols = "".join(f'<style:style style:name="{name}.{chr(65 + k)}" style:family="table-column">'
                       f'<style:table-column-properties style:column-width="{w}cm"/></style:style>'
                       for k, w in enumerate(widths))
        edge = "0.5pt solid #000000" if border else "none"
        return (f'<style:style style:name="{name}" style:family="table"><style:table-properties '
                f'style:width="{sum(widths):.2f}cm" table:align="center"/></style:style>{cols}'
                f'<style:style style:name="{name}.C" style:family="table-cell"><style:table-cell-properties '
                f'fo:padding="0.1cm" fo:border="{edge}"/></style:style>')

    def table(name: str, widths: tuple[float, ...], rows: list[str]) -> str:
        cols = "".join(f'<table:table-column table:style-name="{name}.{chr(65 + k)}"/>' for k in range(len(widths)))
        return f'<table:table table:name="{name}" table:style-name="{name}">{cols}{"".join(rows)}</table:table>'

    def cell(name: str, paras: str, attrs: str = "") -> str:
        return f'<table:table-cell table:style-name="{name}.C" office:value-type="string"{attrs}>{paras}</table:table-cell>'

    covered = "<table:covered-table-cell/>"
    styles = "".join([
        pstyle("Pc13", size=13), pstyle("Pc14", size=14), pstyle("Pc6", size=6),
        pstyle("Pnum", size=13, before=6), pstyle("Pdate", size=14, before=12), pstyle("Ptitle", size=14, before=12),
        pstyle("Pbody", align="justify", size=14, before=6, indent=1.27),
        pstyle("Plist", align="justify", size=14, before=6, indent=None),
        pstyle("Pnn", align="start", size=12), pstyle("Prc", align="start", size=11),
        pstyle("Prcl", align="start", size=11, indent=None),
        pstyle("Papp", size=14, before=6, master="Ngang"), pstyle("Pappc", size=14, before=6),
        pstyle("Ph", size=13, before=2, after=2), pstyle("Pt", align="start", size=13, before=2, after=2),
        tstyle("Tb", True, False), tstyle("Ti", False, True), tstyle("Tbi", True, True),
        table_style("Dau", (6.5, 10.5), False), table_style("Ky", (8.0, 8.5), False),
        table_style("Muc", CATALOGUE_CM, True),
        '<style:style style:name="gr1" style:family="graphic"><style:graphic-properties svg:stroke-width="0.018cm" '
        'svg:stroke-color="#000000" draw:stroke="solid" style:wrap="none" style:vertical-pos="from-top" '
        'style:vertical-rel="paragraph" style:horizontal-pos="from-left" style:horizontal-rel="paragraph"/></style:style>',
    ])
    lists = (
        '<text:list-style style:name="DanhSo">'
        '<text:list-level-style-number text:level="1" text:style-name="Tb" style:num-suffix="." style:num-format="I">'
        '<style:list-level-properties text:list-level-position-and-space-mode="label-alignment">'
        '<style:list-level-label-alignment text:label-followed-by="space" fo:text-indent="1.27cm" fo:margin-left="0cm"/>'
        '</style:list-level-properties></text:list-level-style-number>'
        '<text:list-level-style-number text:level="2" style:num-suffix="." style:num-format="1">'
        '<style:list-level-properties text:list-level-position-and-space-mode="label-alignment">'
        '<style:list-level-label-alignment text:label-followed-by="space" fo:text-indent="1.27cm" fo:margin-left="0cm"/>'
        '</style:list-level-properties></text:list-level-style-number>'
        '<text:list-level-style-bullet text:level="3" text:bullet-char="-">'
        '<style:list-level-properties text:list-level-position-and-space-mode="label-alignment">'
        '<style:list-level-label-alignment text:label-followed-by="space" fo:text-indent="1.27cm" fo:margin-left="0cm"/>'
        '</style:list-level-properties></text:list-level-style-bullet></text:list-style>'
        '<text:list-style style:name="KhoanSo">'
        '<text:list-level-style-number text:level="1" style:num-suffix="." style:num-format="1">'
        '<style:list-level-properties text:list-level-position-and-space-mode="label-alignment">'
        '<style:list-level-label-alignment text:label-followed-by="space" fo:text-indent="1.27cm" fo:margin-left="0cm"/>'
        '</style:list-level-properties></text:list-level-style-number>'
        '<text:list-level-style-bullet text:level="2" text:bullet-char="-">'
        '<style:list-level-properties text:list-level-position-and-space-mode="label-alignment">'
        '<style:list-level-label-alignment text:label-followed-by="space" fo:text-indent="1.27cm" fo:margin-left="0cm"/>'
        '</style:list-level-properties></text:list-level-style-bullet></text:list-style>'
        '<text:outline-style style:name="Outline"><text:outline-level-style text:level="1" style:num-suffix="." '
        'style:num-format="I"><style:list-level-properties text:list-level-position-and-space-mode="label-alignment">'
        '<style:list-level-label-alignment text:label-followed-by="space" fo:text-indent="1.27cm" fo:margin-left="0cm"/>'
        '</style:list-level-properties></text:outline-level-style></text:outline-style>'
        '<style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph" '
        'style:parent-style-name="Standard" style:default-outline-level="1" style:class="text">'
        '<style:paragraph-properties fo:text-align="justify" fo:margin-top="6pt" fo:margin-bottom="0pt" '
        'fo:line-height="100%"/><style:text-properties fo:font-size="14pt" style:font-size-complex="14pt" '
        'fo:font-weight="bold" style:font-weight-complex="bold"/></style:style>'
        '<text:list-style style:name="Gach"><text:list-level-style-bullet text:level="1" text:bullet-char="-">'
        '<style:list-level-properties text:list-level-position-and-space-mode="label-alignment">'
        '<style:list-level-label-alignment text:label-followed-by="space" fo:text-indent="0cm" fo:margin-left="0cm"/>'
        '</style:list-level-properties></text:list-level-style-bullet></text:list-style>')

    header = table("Dau", (6.5, 10.5), ['<table:table-row>' + cell("Dau", "".join([
        *(_p("Pc13", t) for t in ISSUER),
        _p("Pc13", AGENCY[0], "Tb"),
        _p("Pc13", AGENCY[1], "Tb", _line(2.05, 0.6, 2.1, 0)),
        _p("Pnum", NUMBER)])) + cell("Dau", "".join([
            _p("Pc13", QUOC_HIEU, "Tb"),
            _p("Pc14", TIEU_NGU, "Tb", _line(2.0, 0.62, 6.0, 1)),
            _p("Pdate", DATE, "Ti")])) + '</table:table-row>'])
    title = [_p("Ptitle", "KẾ HOẠCH", "Tb"), _p("Pc14", SUBJECT[0], "Tb"),
             _p("Pc14", SUBJECT[1], "Tb", _line(6.1, 0.66, 4.2, 2))]
    items = []
    for heading, khoans in OUTLINE:
        sub = []
        for khoan, dashes in khoans:
            inner = ""
            if dashes:
                inner = "<text:list>" + "".join(f"<text:list-item>{_p('Plist', d)}</text:list-item>" for d in dashes) \
                    + "</text:list>"
            sub.append(f"<text:list-item>{_p('Plist', khoan)}{inner}</text:list-item>")
        items.append(f'<text:list-item>{_p("Plist", heading, "Tb")}<text:list>{"".join(sub)}</text:list></text:list-item>')
    body = [_p("Pbody", OPENING), f'<text:list text:style-name="DanhSo">{"".join(items)}</text:list>']
    if chapter_numbering:
        body = [_p("Pbody", OPENING)]
        for heading, khoans in OUTLINE:
            body.append(f'<text:h text:style-name="Heading_20_1" text:outline-level="1">{escape(heading)}</text:h>')
            body.append('<text:list text:style-name="KhoanSo">' + "".join(
                f"<text:list-item>{_p('Plist', khoan)}" + (
                    "<text:list>" + "".join(f"<text:list-item>{_p('Plist', d)}</text:list-item>" for d in dashes)
                    + "</text:list>" if dashes else "") + "</text:list-item>" for khoan, dashes in khoans)
                + "</text:list>")
    signature = table("Ky", (8.0, 8.5), ['<table:table-row>' + cell("Ky", "".join([
        _p("Pnn", "Nơi nhận:", "Tbi"), *(
            ['<text:list text:style-name="Gach">' + "".join(
                f"<text:list-item>{_p('Prcl', r[2:])}</text:list-item>" for r in RECIPIENTS) + "</text:list>"]
            if recipients_listed else (_p("Prc", r) for r in RECIPIENTS))])) + cell("Ky", "".join([
            *(_p("Pc14", s, "Tb") for s in SIGNER), _p("Pc14"), _p("Pc14"), _p("Pc14"),
            _p("Pc14", SIGNER_NAME, "Tb")])) + '</table:table-row>'])
    rows = ['<table:table-header-rows><table:table-row>'
            + "".join(cell("Muc", _p("Ph", h, "Tb")) for h in CATALOGUE_HEAD)
            + '</table:table-row></table:table-header-rows>']
    for numeral, group, tasks in CATALOGUE:
        rows.append('<table:table-row>' + cell("Muc", _p("Pt", numeral, "Tb"))
                    + cell("Muc", _p("Pt", group, "Tb"), ' table:number-columns-spanned="3"') + covered * 2
                    + '</table:table-row>')
        for k, (stt, task, unit, time) in enumerate(tasks):
            merged_down = k + 1 < len(tasks) and tasks[k + 1][2] == ""
            unit_cell = covered if unit == "" else cell(
                "Muc", _p("Pt", unit), ' table:number-rows-spanned="2"' if merged_down else "")
            rows.append('<table:table-row>' + cell("Muc", _p("Pt", stt)) + cell("Muc", _p("Pt", task))
                        + unit_cell + cell("Muc", _p("Pt", time)) + '</table:table-row>')
    appendix = [_p("Papp", APPENDIX_TITLES[0], "Tb"), _p("Pappc", APPENDIX_TITLES[1], "Tb"),
                _p("Pappc", APPENDIX_REF, "Ti"), table("Muc", CATALOGUE_CM, rows)]
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document {ns} office:version="1.3" '
            'office:mimetype="application/vnd.oasis.opendocument.text">'
            '<office:font-face-decls><style:font-face style:name="Times New Roman" '
            "svg:font-family=\"'Times New Roman'\" style:font-family-generic=\"roman\"/></office:font-face-decls>"
            '<office:styles><style:default-style style:family="paragraph"><style:text-properties '
            'style:font-name="Times New Roman" style:font-name-asian="Times New Roman" '
            'style:font-name-complex="Times New Roman" fo:font-size="14pt" fo:language="vi" fo:country="VN"/>'
            '</style:default-style><style:style style:name="Standard" style:family="paragraph" style:class="text"/>'
            f'{lists}</office:styles>'
            '<office:automatic-styles>'
            '<style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="21cm" '
            'fo:page-height="29.7cm" style:print-orientation="portrait" fo:margin-top="2cm" fo:margin-bottom="2cm" '
            'fo:margin-left="3cm" fo:margin-right="1.5cm"/></style:page-layout>'
            '<style:page-layout style:name="pm2"><style:page-layout-properties fo:page-width="29.7cm" '
            'fo:page-height="21cm" style:print-orientation="landscape" fo:margin-top="2cm" fo:margin-bottom="2cm" '
            'fo:margin-left="3cm" fo:margin-right="1.5cm"/></style:page-layout>'
            f'{styles}</office:automatic-styles>'
            '<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1"/>'
            '<style:master-page style:name="Ngang" style:page-layout-name="pm2"/></office:master-styles>'
            f'<office:body><office:text>{header}{"".join(title)}{"".join(body)}{signature}{"".join(appendix)}'
            '</office:text></office:body></office:document>')


def write_writer_plan(folder: Path, *, recipients_listed: bool = False, chapter_numbering: bool = False) -> Path:
    """The Writer plan converted to .docx by soffice, as an office saving "Word 2007-365" does."""
    from generator.word.soffice import run_soffice, soffice_or_none

    exe = soffice_or_none()
    assert exe is not None
    source = folder / "writer.fodt"
    source.write_text(writer_fodt(recipients_listed=recipients_listed, chapter_numbering=chapter_numbering),
                      encoding="utf-8")
    run_soffice(exe, [source], folder, 180, convert_to="docx:MS Word 2007 XML",
                timeout_message=lambda s: f"soffice > {s} s")
    return folder / "writer.docx"




# --- pandoc: HTML with custom styles, a reference doc, a Lua filter for what HTML cannot say ----------


PANDOC_FILTER = r"""
-- What the generating system's HTML cannot say, written as Word XML: a line drawn under a heading
-- (<span class="duong-ke" data-dai="pt" data-x="pt" data-y="pt">) and the end of a portrait section
-- before a landscape appendix (<div class="ngat-phan">).
local n = 20
function Span(el)
  if el.classes:includes("duong-ke") then
    n = n + 1
    local emu = math.floor(tonumber(el.attributes["dai"]) * 12700)
    local x = math.floor(tonumber(el.attributes["x"]) * 12700)
    local y = math.floor(tonumber(el.attributes["y"]) * 12700)
    return pandoc.RawInline("openxml", string.format([[<w:r><w:drawing><wp:anchor distT="0" distB="0" distL="114300" distR="114300" simplePos="0" relativeHeight="1" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="column"><wp:posOffset>%d</wp:posOffset></wp:positionH><wp:positionV relativeFrom="paragraph"><wp:posOffset>%d</wp:posOffset></wp:positionV><wp:extent cx="%d" cy="0"/><wp:wrapNone/><wp:docPr id="%d" name="Line %d"/><a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:cNvCnPr/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="%d" cy="0"/></a:xfrm><a:prstGeom prst="line"><a:avLst/></a:prstGeom><a:ln w="9525"><a:solidFill><a:srgbClr val="000000"/></a:solidFill></a:ln></wps:spPr><wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>]], x, y, emu, n, n, emu))
  end
end
function Div(el)
  if el.classes:includes("ngat-phan") then
    return pandoc.RawBlock("openxml", [[<w:p><w:pPr><w:sectPr><w:type w:val="nextPage"/><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="851" w:bottom="1134" w:left="1701" w:header="567" w:footer="567" w:gutter="0"/></w:sectPr></w:pPr></w:p>]])
  end
end
"""


def _pandoc_reference(path: Path) -> Path:
    """The reference doc a system hands pandoc: pandoc's own, its styles set for Decree 30 (Times New
    Roman 14 pt, justified body with a first-line indent) plus one paragraph style per kind of
    centred or small line, and the last section (the appendix) a landscape A4 page."""
    import subprocess

    import docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Mm, Pt

    default = subprocess.run(["pandoc", "--print-default-data-file", "reference.docx"], check=True,
                             capture_output=True).stdout
    path.write_bytes(default)
    doc = docx.Document(str(path))
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = "Times New Roman", Pt(14)
    normal.element.rPr.rFonts.set(f"{{{_W}}}cs", "Times New Roman")
    normal.paragraph_format.space_after = Pt(0)
    for name in ("Body Text", "First Paragraph"):
        f = doc.styles[name].paragraph_format
        f.alignment, f.first_line_indent = WD_ALIGN_PARAGRAPH.JUSTIFY, Cm(1.27)
        f.space_before, f.space_after, f.line_spacing = Pt(6), Pt(0), 1.0
    for name, align, size, before, after in (
            ("Giua13", "center", 13, 0, 0), ("Giua14", "center", 14, 0, 0), ("So", "center", 13, 6, 0),
            ("Ngay", "center", 14, 12, 0), ("Ten loai", "center", 14, 12, 0), ("Nho6", "center", 6, 0, 0),
            ("Noi nhan", "left", 12, 0, 0), ("Nhan", "left", 11, 0, 0), ("O bang", "left", 13, 2, 2),
            ("O bang giua", "center", 13, 2, 2), ("Phu luc", "center", 14, 6, 0)):
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        f = style.paragraph_format
        f.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "left": WD_ALIGN_PARAGRAPH.LEFT}[align]
        f.space_before, f.space_after, f.line_spacing = Pt(before), Pt(after), 1.0
        style.font.size = Pt(size)
    sec = doc.sections[0]
    sec.orientation, sec.page_width, sec.page_height = WD_ORIENT.LANDSCAPE, Mm(297), Mm(210)
    sec.top_margin = sec.bottom_margin = Mm(20)
    sec.left_margin, sec.right_margin = Mm(30), Mm(15)
    doc.save(str(path))
    return path


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def pandoc_html(*, lists: bool = False) -> str:
    """The plan as the system's HTML: each line a <p> in a custom-style div, bold and italic as
    <strong> and <em>, the header and signature as two-cell tables, the catalogue with colspan and
    rowspan, the numbers typed; lists: the body's numbers and dashes as HTML lists (<ol type="I">,
    a nested <ol>, a <ul>), numbered by pandoc."""
    def div(style: str, *paras: str) -> str:
        return f'<div custom-style="{style}">{"".join(f"<p>{p}</p>" for p in paras)}</div>'

    def b(text: str) -> str:
        return f"<strong>{escape(text)}</strong>"

    def line(length: float, x: float, y: float) -> str:
        return f'<span class="duong-ke" data-dai="{length}" data-x="{x}" data-y="{y}"></span>'

    def nbsp(text: str) -> str:
        """HTML collapses a run of spaces: the blanks left for the number and the day are typed as
        no-break spaces after a space, as a system's template keeps them."""
        return re.sub(r" {2,}", lambda m: " " + "\u00a0" * (len(m.group()) - 1), escape(text))

    # A cell's paragraphs take its column's alignment (pandoc writes w:jc "left" for a column without one).
    header = ('<table><colgroup><col width="38%"/><col width="62%"/></colgroup><tr><td align="center">'
              + div("Giua13", *(escape(t) for t in ISSUER), *(b(t) for t in AGENCY))
              + div("Nho6", line(60, 60, 1)) + div("So", nbsp(NUMBER)) + '</td><td align="center">'
              + div("Giua13", b(QUOC_HIEU)) + div("Giua14", b(TIEU_NGU))
              + div("Ngay", line(170, 60, -2) + f"<em>{nbsp(DATE)}</em>") + "</td></tr></table>")
    title = (div("Ten loai", b("KẾ HOẠCH")) + div("Giua14", *(b(s) for s in SUBJECT))
             + div("Giua14", line(120, 170, 2)))
    body = [f"<p>{escape(OPENING)}</p>"]
    if lists:
        body.append('<ol type="I">' + "".join(
            f"<li>{b(heading)}<ol>" + "".join(
                f"<li>{escape(khoan)}" + ("<ul>" + "".join(f"<li>{escape(d)}</li>" for d in dashes) + "</ul>"
                                          if dashes else "") + "</li>" for khoan, dashes in khoans) + "</ol></li>"
            for heading, khoans in OUTLINE) + "</ol>")
    for k, (heading, khoans) in enumerate(OUTLINE if not lists else []):
        body.append(f"<p>{b(('I', 'II')[k] + '. ' + heading)}</p>")
        for j, (khoan, dashes) in enumerate(khoans):
            body.append(f"<p>{j + 1}. {escape(khoan)}</p>")
            body.extend(f"<p>- {escape(d)}</p>" for d in dashes)
    signature = ('<table><colgroup><col width="50%"/><col width="50%"/></colgroup><tr><td align="left">'
                 + div("Noi nhan", "<strong><em>Nơi nhận:</em></strong>")
                 + div("Nhan", *(escape(r) for r in RECIPIENTS)) + '</td><td align="center">'
                 # pandoc drops an empty paragraph: the signing space is kept by lines of a no-break space.
                 + div("Giua14", *(b(s) for s in SIGNER), *["\u00a0"] * 3, b(SIGNER_NAME)) + "</td></tr></table>")
    total = sum(CATALOGUE_CM)
    rows = ["<tr>" + "".join(f"<th align=\"center\">{div('O bang giua', b(h))}</th>" for h in CATALOGUE_HEAD) + "</tr>"]
    for numeral, group, tasks in CATALOGUE:
        rows.append(f'<tr><td>{div("O bang", b(numeral))}</td><td colspan="3">{div("O bang", b(group))}</td></tr>')
        for k, (stt, task, unit, time) in enumerate(tasks):
            merged_down = k + 1 < len(tasks) and tasks[k + 1][2] == ""
            unit_cell = "" if unit == "" else (
                f'<td{" rowspan=" + chr(34) + "2" + chr(34) if merged_down else ""}>{div("O bang", escape(unit))}</td>')
            rows.append(f"<tr><td>{div('O bang', stt)}</td><td>{div('O bang', escape(task))}</td>{unit_cell}"
                        f"<td>{div('O bang', escape(time))}</td></tr>")
    catalogue = ("<table><colgroup>" + "".join(f'<col width="{w * 100 / total:.1f}%"/>' for w in CATALOGUE_CM)
                 + "</colgroup>" + "".join(rows) + "</table>")
    appendix = (div("Phu luc", *(b(t) for t in APPENDIX_TITLES), f"<em>{nbsp(APPENDIX_REF)}</em>") + catalogue)
    return (f'<html><head><meta charset="utf-8"/></head><body>{header}{title}'
            f'{"".join(body)}{signature}<div class="ngat-phan"></div>{appendix}</body></html>')


def write_pandoc_plan(folder: Path, *, lists: bool = False) -> Path:
    """The plan written by pandoc from the system's HTML, with its reference doc and filter."""
    import subprocess

    reference = _pandoc_reference(folder / "pandoc-reference.docx")
    (folder / "pandoc.html").write_text(pandoc_html(lists=lists), encoding="utf-8")
    (folder / "duong-ke.lua").write_text(PANDOC_FILTER, encoding="utf-8")
    out = folder / "pandoc.docx"
    subprocess.run(["pandoc", "-f", "html", "-t", "docx", "--reference-doc", str(reference),
                    "--lua-filter", str(folder / "duong-ke.lua"), "-o", str(out), str(folder / "pandoc.html")],
                   check=True, capture_output=True, timeout=120)
    return out


# --- python-docx used naively, as a document-management system writes a plan -------------------------


def write_naive_plan(folder: Path) -> Path:
    """The plan as a generating system writes it with python-docx's plain API: the default template
    (Calibri 11 in its styles, left as they are), every run given its font, size, bold and italic
    directly (python-docx names the font for ascii and hAnsi only), every paragraph its alignment
    and spacing (6 pt before a body paragraph, none elsewhere): the space between parts is made by
    empty paragraphs (in the template's Calibri 11). No shapes: the Tiêu ngữ underlined, the issuer's line a row of
    underscores. Tables by add_table (an even grid over the page; widths set on each cell), merges
    by cell.merge, the appendix in a landscape section of its own."""
    import docx
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Mm, Pt

    align = {"center": WD_ALIGN_PARAGRAPH.CENTER, "left": WD_ALIGN_PARAGRAPH.LEFT,
             "both": WD_ALIGN_PARAGRAPH.JUSTIFY}
    doc = docx.Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin = sec.bottom_margin = Mm(20)
    sec.left_margin, sec.right_margin = Mm(30), Mm(15)

    def para(container: Any, text: str = "", *, how: str = "center", size: float = 14, bold: bool = False,
             italic: bool = False, underline: bool = False, indent: bool = False) -> Any:
        p = container.add_paragraph()
        f = p.paragraph_format
        # The body's paragraphs 6 pt apart as Decree 30 asks; everything else set close.
        f.alignment, f.space_before, f.space_after, f.line_spacing = align[how], Pt(6 if indent else 0), Pt(0), 1.0
        if indent:
            f.first_line_indent = Cm(1.27)
        if text:
            r = p.add_run(text)
            r.font.name, r.font.size = "Times New Roman", Pt(size)
            r.bold, r.italic, r.underline = bold or None, italic or None, underline or None
        return p

    def cells(table: Any, widths: tuple[float, ...]) -> None:
        for row in table.rows:
            for c, w in zip(row.cells, widths):
                c.width = Cm(w)

    head = doc.add_table(rows=1, cols=2)
    cells(head, (6.5, 10.5))
    left, right = head.cell(0, 0), head.cell(0, 1)
    for c in (left, right):
        c._tc.remove(c.paragraphs[0]._p)
    for t in ISSUER:
        para(left, t, size=13)
    for t in AGENCY:
        para(left, t, size=13, bold=True)
    para(left, "_" * 12, size=13)
    para(left, NUMBER, size=13)
    para(right, QUOC_HIEU, size=13, bold=True)
    para(right, TIEU_NGU, size=14, bold=True, underline=True)
    para(right)
    para(right, DATE, size=14, italic=True)
    para(doc)
    para(doc, "KẾ HOẠCH", bold=True)
    for s in SUBJECT:
        para(doc, s, bold=True)
    para(doc, "_" * 16)
    para(doc)
    para(doc, OPENING, how="both", indent=True)
    for k, (heading, khoans) in enumerate(OUTLINE):
        para(doc, f"{('I', 'II')[k]}. {heading}", how="both", bold=True, indent=True)
        for j, (khoan, dashes) in enumerate(khoans):
            para(doc, f"{j + 1}. {khoan}", how="both", indent=True)
            for d in dashes:
                para(doc, f"- {d}", how="both", indent=True)
    para(doc)
    sig = doc.add_table(rows=1, cols=2)
    nn, sg = sig.cell(0, 0), sig.cell(0, 1)
    for c in (nn, sg):
        c._tc.remove(c.paragraphs[0]._p)
    para(nn, "Nơi nhận:", how="left", size=12, bold=True, italic=True)
    for r in RECIPIENTS:
        para(nn, r, how="left", size=11)
    for s in SIGNER:
        para(sg, s, bold=True)
    for _ in range(3):
        para(sg)
    para(sg, SIGNER_NAME, bold=True)

    new = doc.add_section(WD_SECTION.NEW_PAGE)
    new.orientation, new.page_width, new.page_height = WD_ORIENT.LANDSCAPE, Mm(297), Mm(210)
    para(doc, APPENDIX_TITLES[0], bold=True)
    para(doc, APPENDIX_TITLES[1], bold=True)
    para(doc, APPENDIX_REF, italic=True)
    para(doc)
    nrows = 1 + sum(1 + len(tasks) for _, _, tasks in CATALOGUE)
    cat = doc.add_table(rows=nrows, cols=4)
    cat.style = "Table Grid"
    cells(cat, CATALOGUE_CM)

    def put(ri: int, ci: int, text: str, *, bold: bool = False, how: str = "left") -> None:
        c = cat.cell(ri, ci)
        c._tc.remove(c.paragraphs[0]._p)
        para(c, text, how=how, size=13, bold=bold)

    for ci, h in enumerate(CATALOGUE_HEAD):
        put(0, ci, h, bold=True, how="center")
    ri = 1
    for numeral, group, tasks in CATALOGUE:
        put(ri, 0, numeral, bold=True)
        merged = cat.cell(ri, 1).merge(cat.cell(ri, 3))
        merged._tc.remove(merged.paragraphs[0]._p)
        for extra in merged.paragraphs:
            merged._tc.remove(extra._p)
        para(merged, group, how="left", size=13, bold=True)
        ri += 1
        for k, (stt, task, unit, time) in enumerate(tasks):
            put(ri, 0, stt)
            put(ri, 1, task)
            put(ri, 3, time)
            if unit:
                put(ri, 2, unit)
                if k + 1 < len(tasks) and tasks[k + 1][2] == "":
                    cat.cell(ri, 2).merge(cat.cell(ri + 1, 2))
            ri += 1
    out = folder / "naive.docx"
    doc.save(str(out))
    return out


# --- imitations: Google Docs' and WPS Office's exports, on the plain Word fixture ---------------------
# No real Google Docs nor WPS runs here: each function re-encodes tests/test_check_invariance._plain
# the way that program's .docx writes the same page (as tests/test_reading_invariance re-encodes it).


def _w(tag: str) -> str:
    return f"{{{_W}}}{tag}"


def _el(parent: Any, tag: str, attrs: dict[str, str] | None = None, *, first: bool = False) -> Any:
    from lxml import etree

    el = etree.Element(_w(tag), {_w(k): v for k, v in (attrs or {}).items()})
    if first:
        parent.insert(0, el)
    else:
        parent.append(el)
    return el


def _child(parent: Any, tag: str, *, first: bool = False) -> Any:
    found = parent.find(_w(tag))
    return found if found is not None else _el(parent, tag, first=first)


_ORDER_PPR = ["pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
              "pBdr", "shd", "tabs", "spacing", "ind", "jc", "rPr", "sectPr"]
_ORDER_RPR = ["rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "vanish", "color",
              "kern", "sz", "szCs", "u", "lang", "rtl"]


def _sort(parent: Any, order: list[str]) -> None:
    def key(child: Any) -> int:
        name = child.tag.split("}")[1]
        return order.index(name) if name in order else len(order)

    for child in sorted(parent, key=key):
        parent.append(child)


def google_docs(doc: Any) -> None:
    """As Google Docs exports: every paragraph with its spacing, indents (0 when none) and
    alignment written out and its mark's run properties; every run with the four font slots named,
    on/off values "1", and w:rtl "0"; the first paragraph carrying the "_gjdgxs" bookmark; tables
    in a style of the document's own ("Table1"), fixed layout, lengths in decimals, the table's
    look "0600"; the page A4 as Google measures it (11909 × 16834) with decimal margins."""
    from docx.oxml.ns import qn

    body = doc.element.body
    for p in body.iter(qn("w:p")):
        ppr = _child(p, "pPr", first=True)
        sp = _child(ppr, "spacing")
        for k, v in (("before", "0"), ("after", "0"), ("line", "240"), ("lineRule", "auto")):
            if sp.get(_w(k)) is None:
                sp.set(_w(k), v)
        ind = _child(ppr, "ind")
        for k in ("left", "right"):
            if ind.get(_w(k)) is None:
                ind.set(_w(k), "0")
        if ind.get(_w("firstLine")) is None and ind.get(_w("hanging")) is None:
            ind.set(_w("firstLine"), "0")
        _child(ppr, "jc").set(_w("val"), (ppr.find(_w("jc")).get(_w("val")) or "left"))
        runs = [r for r in p.iter(qn("w:r")) if r.find(qn("w:t")) is not None]
        mark = _child(ppr, "rPr")
        if runs and runs[0].find(qn("w:rPr")) is not None and not len(mark):
            for child in runs[0].find(qn("w:rPr")):
                mark.append(__import__("copy").deepcopy(child))
        _sort(ppr, _ORDER_PPR)
    for rpr in body.iter(qn("w:rPr")):
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is not None:
            name = fonts.get(qn("w:ascii")) or fonts.get(qn("w:hAnsi"))
            for slot in ("ascii", "cs", "eastAsia", "hAnsi"):
                fonts.set(_w(slot), name)
        for tag in ("b", "bCs", "i", "iCs"):
            el = rpr.find(_w(tag))
            if el is not None and el.get(_w("val")) is None:
                el.set(_w("val"), "1")
        _child(rpr, "rtl").set(_w("val"), "0")
        _sort(rpr, _ORDER_RPR)
    first = next(body.iter(qn("w:p")))
    start = _el(first, "bookmarkStart", {"colFirst": "0", "colLast": "0", "name": "_gjdgxs", "id": "0"})
    first.remove(start)
    ppr = first.find(qn("w:pPr"))
    ppr.addnext(start)
    start.addnext(_el(first, "bookmarkEnd", {"id": "0"}))
    for tbl in body.iter(qn("w:tbl")):
        tblpr = _child(tbl, "tblPr", first=True)
        style = tblpr.find(qn("w:tblStyle"))
        if style is None:
            style = _el(tblpr, "tblStyle", first=True)
        style.set(_w("val"), "Table1")
        _child(tblpr, "tblLayout").set(_w("type"), "fixed")
        look = _child(tblpr, "tblLook")
        look.attrib.clear()
        look.set(_w("val"), "0600")
        grid = [int(g.get(qn("w:w"))) for g in tbl.iter(qn("w:gridCol"))]
        tblw = _child(tblpr, "tblW")
        tblw.set(_w("w"), f"{sum(grid)}.0")
        tblw.set(_w("type"), "dxa")
        _sort(tblpr, ["tblStyle", "tblpPr", "tblW", "jc", "tblInd", "tblBorders", "tblLayout", "tblCellMar",
                      "tblLook"])
        for g in tbl.iter(qn("w:gridCol")):
            g.set(qn("w:w"), f"{int(g.get(qn('w:w')))}.0")
        for tcw in tbl.iter(qn("w:tcW")):
            tcw.set(qn("w:w"), f"{int(tcw.get(qn('w:w')))}.0")
    from docx.oxml import parse_xml

    doc.styles.element.append(parse_xml(
        f'<w:style xmlns:w="{_W}" w:type="table" w:styleId="Table1"><w:name w:val="Table1"/>'
        '<w:basedOn w:val="TableNormal"/><w:tblPr><w:tblStyleRowBandSize w:val="1"/>'
        '<w:tblStyleColBandSize w:val="1"/><w:tblCellMar><w:top w:w="100.0" w:type="dxa"/>'
        '<w:left w:w="108.0" w:type="dxa"/><w:bottom w:w="100.0" w:type="dxa"/><w:right w:w="108.0" w:type="dxa"/>'
        '</w:tblCellMar></w:tblPr></w:style>'))
    for sect in body.iter(qn("w:sectPr")):
        size = sect.find(qn("w:pgSz"))
        landscape = int(size.get(qn("w:w"))) > int(size.get(qn("w:h")))
        size.set(qn("w:w"), "16834" if landscape else "11909")
        size.set(qn("w:h"), "11909" if landscape else "16834")
        mar = sect.find(qn("w:pgMar"))
        for side, cm in (("top", 2.0), ("bottom", 2.0), ("left", 3.0), ("right", 1.5)):
            mar.set(qn(f"w:{side}"), repr(cm / 2.54 * 1440))


def wps_office(doc: Any) -> None:
    """As WPS Office writes: styles under numeric ids ("1" Normal, "2" Default Paragraph Font, "3"
    Normal Table…) and the body's paragraphs in "Normal (Web)" with the web spacing turned off
    where they set their own; every run with w:kern, a Chinese East Asian language and the
    eastAsia font hint (its font slots all naming the run's font); WPS's own namespace on the
    document, declared ignorable; its compatibility settings."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    styles = doc.styles.element
    ids: dict[str, str] = {}
    for k, st in enumerate(styles.findall(qn("w:style")), 1):
        ids[st.get(qn("w:styleId"))] = str(k)
    web = str(len(ids) + 1)
    styles.append(parse_xml(
        f'<w:style xmlns:w="{_W}" w:type="paragraph" w:styleId="{web}"><w:name w:val="Normal (Web)"/>'
        f'<w:basedOn w:val="Normal"/><w:uiPriority w:val="0"/><w:pPr><w:spacing w:before="100" '
        'w:beforeAutospacing="1" w:after="100" w:afterAutospacing="1"/><w:jc w:val="left"/></w:pPr>'
        '<w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="Times New Roman" '
        'w:cs="Times New Roman"/><w:sz w:val="24"/><w:szCs w:val="24"/><w:lang w:val="en-US" '
        'w:eastAsia="zh-CN"/></w:rPr></w:style>'))
    ids["Normal (Web)"] = web
    for el in list(styles.iter()) + list(doc.element.iter()):
        for attr in ("styleId",):
            if el.get(qn(f"w:{attr}")) in ids:
                el.set(qn(f"w:{attr}"), ids[el.get(qn(f"w:{attr}"))])
        if el.tag in (qn("w:basedOn"), qn("w:next"), qn("w:link"), qn("w:pStyle"), qn("w:rStyle"),
                      qn("w:tblStyle")) and el.get(qn("w:val")) in ids:
            el.set(qn("w:val"), ids[el.get(qn("w:val"))])
    body = doc.element.body
    for p in body.iterchildren(qn("w:p")):
        ppr = _child(p, "pPr", first=True)
        if ppr.find(qn("w:pStyle")) is None and p.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is None:
            _el(ppr, "pStyle", {"val": web}, first=True)
            sp = _child(ppr, "spacing")
            sp.set(_w("beforeAutospacing"), "0")
            sp.set(_w("afterAutospacing"), "0")
            for k in ("before", "after"):
                if sp.get(_w(k)) is None:
                    sp.set(_w(k), "0")
            if ppr.find(qn("w:jc")) is None:
                _el(ppr, "jc", {"val": "left"})
            _sort(ppr, _ORDER_PPR)
    for rpr in body.iter(qn("w:rPr")):
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is not None:
            name = fonts.get(qn("w:ascii")) or fonts.get(qn("w:hAnsi"))
            fonts.set(_w("hint"), "eastAsia")
            for slot in ("ascii", "cs", "eastAsia", "hAnsi"):
                fonts.set(_w(slot), name)
        _child(rpr, "kern").set(_w("val"), "2")
        lang = _child(rpr, "lang")
        lang.set(_w("val"), "en-US")
        lang.set(_w("eastAsia"), "zh-CN")
        _sort(rpr, _ORDER_RPR)
    settings = doc.settings.element
    compat = _child(settings, "compat")
    for tag in ("spaceForUL", "balanceSingleByteDoubleByteWidth", "doNotLeaveBackslashAlone", "ulTrailSpace",
                "doNotExpandShiftReturn", "adjustLineHeightInTable", "useFELayout"):
        compat.insert(0, _el(compat, tag))


def wps_package(path: Path) -> None:
    """The saved file's document part as WPS declares it: its own namespace, ignorable by Word."""
    import zipfile

    from generator.word.package import zip_members_by_zipfile

    with zipfile.ZipFile(path) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    xml = members["word/document.xml"].decode("utf-8")
    head = xml.index("<w:document ") + len("<w:document ")
    xml = xml[:head] + 'xmlns:wpsCustomData="http://www.wps.cn/officeDocument/2013/wpsCustomData" ' + xml[head:]
    xml = re.sub(r'mc:Ignorable="([^"]*)"', r'mc:Ignorable="\1 wpsCustomData"', xml, count=1)
    if "wpsCustomData\"" not in xml:
        xml = xml.replace("<w:document ", '<w:document mc:Ignorable="wpsCustomData" ', 1)
    members["word/document.xml"] = xml.encode("utf-8")
    path.write_bytes(zip_members_by_zipfile(members))


def tables_without_grid(doc: Any) -> None:
    """As a system writing tables with the OpenXML SDK or docx4j by hand: no grid columns (an empty
    w:tblGrid), each cell's width on the cell."""
    from docx.oxml.ns import qn

    for grid in doc.element.body.iter(qn("w:tblGrid")):
        for col in list(grid):
            grid.remove(col)


def cell_widths_in_percent(doc: Any) -> None:
    """As a converter from HTML writes tables: no grid, each cell's width a share of the table's
    (w:tcW type "pct", fiftieths of a percent), the table's width in twips."""
    from docx.oxml.ns import qn

    for tbl in doc.element.body.iter(qn("w:tbl")):
        grid = tbl.find(qn("w:tblGrid"))
        total = sum(int(g.get(qn("w:w"))) for g in grid)
        for tcw in tbl.iter(qn("w:tcW")):
            tcw.set(qn("w:w"), str(round(int(tcw.get(qn("w:w"))) * 5000 / total)))
            tcw.set(qn("w:type"), "pct")
        for col in list(grid):
            grid.remove(col)
        tblw = tbl.find(f"{qn('w:tblPr')}/{qn('w:tblW')}")
        if tblw is None:
            tblw = _el(tbl.find(qn("w:tblPr")), "tblW")
        tblw.set(qn("w:w"), str(total))
        tblw.set(qn("w:type"), "dxa")


# --- HTML converted by LibreOffice: a portal's export ---------------------------------------------------


def portal_html() -> str:
    """The plan as a portal's HTML export: inline CSS for fonts, sizes, alignment and spacing,
    borderless tables for the header and the signature (widths in percent), a bordered catalogue,
    the lines under the headings as <hr> of the heading's width, the numbers typed. LibreOffice's
    HTML import prints every <hr> across the whole column (a paragraph of its "Horizontal Line"
    style, a bottom border) and lays the catalogue out without its <col> widths: another page."""
    tnr = "font-family:'Times New Roman'"

    def p(text: str, *, size: float = 14, align: str = "center", before: float = 0, bold: bool = False,
          italic: bool = False, indent: bool = False) -> str:
        style = (f"{tnr};font-size:{size}pt;text-align:{align};margin:{before}pt 0 0 0;line-height:100%"
                 + (";text-indent:1.27cm" if indent else ""))
        inner = escape(text).replace("  ", "&nbsp; ")
        if bold:
            inner = f"<b>{inner}</b>"
        if italic:
            inner = f"<i>{inner}</i>"
        return f'<p style="{style}">{inner}</p>'

    def rule(width_pt: float) -> str:
        return f'<hr align="center" width="{round(width_pt * 4 / 3)}" size="1" noshade/>'

    header = ('<table width="100%" border="0" cellpadding="0" cellspacing="0"><tr><td width="38%" valign="top">'
              + "".join(p(t, size=13) for t in ISSUER) + "".join(p(t, size=13, bold=True) for t in AGENCY)
              + rule(60) + p(NUMBER, size=13, before=6) + '</td><td width="62%" valign="top">'
              + p(QUOC_HIEU, size=13, bold=True) + p(TIEU_NGU, bold=True) + rule(170)
              + p(DATE, italic=True, before=10) + "</td></tr></table>")
    title = p("KẾ HOẠCH", bold=True, before=12) + "".join(p(s, bold=True) for s in SUBJECT) + rule(120) + p("")
    body = [p(OPENING, align="justify", before=6, indent=True)]
    for k, (heading, khoans) in enumerate(OUTLINE):
        body.append(p(f"{('I', 'II')[k]}. {heading}", align="justify", before=6, bold=True, indent=True))
        for j, (khoan, dashes) in enumerate(khoans):
            body.append(p(f"{j + 1}. {khoan}", align="justify", before=6, indent=True))
            body.extend(p(f"- {d}", align="justify", before=6, indent=True) for d in dashes)
    signature = ('<table width="100%" border="0" cellpadding="0" cellspacing="0"><tr>'
                 '<td width="50%" valign="top">' + p("Nơi nhận:", size=12, align="left", bold=True,
                                                                italic=True)
                 + "".join(p(r, size=11, align="left") for r in RECIPIENTS)
                 + '</td><td width="50%" valign="top">' + "".join(p(s, bold=True) for s in SIGNER)
                 + p("\u00a0") * 3 + p(SIGNER_NAME, bold=True) + "</td></tr></table>")
    cell = "border:0.75pt solid #000;padding:2pt 5pt;vertical-align:top"
    total = sum(CATALOGUE_CM)
    rows = ["<tr>" + "".join(f'<td style="{cell}">{p(h, size=13, bold=True)}</td>' for h in CATALOGUE_HEAD) + "</tr>"]
    for numeral, group, tasks in CATALOGUE:
        rows.append(f'<tr><td style="{cell}">{p(numeral, size=13, align="left", bold=True)}</td>'
                    f'<td colspan="3" style="{cell}">{p(group, size=13, align="left", bold=True)}</td></tr>')
        for k, (stt, task, unit, time) in enumerate(tasks):
            span = ' rowspan="2"' if k + 1 < len(tasks) and tasks[k + 1][2] == "" else ""
            unit_cell = "" if unit == "" else f'<td{span} style="{cell}">{p(unit, size=13, align="left")}</td>'
            rows.append(f'<tr><td style="{cell}">{p(stt, size=13, align="left")}</td>'
                        f'<td style="{cell}">{p(task, size=13, align="left")}</td>{unit_cell}'
                        f'<td style="{cell}">{p(time, size=13, align="left")}</td></tr>')
    catalogue = ('<table width="100%" cellspacing="0" style="border-collapse:collapse"><colgroup>'
                 + "".join(f'<col width="{w * 100 / total:.1f}%"/>' for w in CATALOGUE_CM) + "</colgroup>"
                 + "".join(rows) + "</table>")
    appendix = ('<p style="page-break-before:always;margin:0"></p>' + p(APPENDIX_TITLES[0], bold=True, before=6)
                + p(APPENDIX_TITLES[1], bold=True, before=6) + p(APPENDIX_REF, italic=True, before=6) + catalogue)
    return ('<!DOCTYPE html><html><head><meta charset="utf-8"/><style>@page { size: 21cm 29.7cm; '
            'margin: 2cm 1.5cm 2cm 3cm }</style></head><body>' + header + title + "".join(body) + signature
            + appendix + "</body></html>")


def write_portal_plan(folder: Path) -> Path:
    """The portal's HTML opened in LibreOffice Writer and saved as .docx."""
    from generator.word.soffice import run_soffice, soffice_or_none

    exe = soffice_or_none()
    assert exe is not None
    source = folder / "portal.html"
    source.write_text(portal_html(), encoding="utf-8")
    run_soffice(exe, [source], folder, 180, convert_to="docx:MS Word 2007 XML",
                timeout_message=lambda s: f"soffice > {s} s")
    return folder / "portal.docx"
