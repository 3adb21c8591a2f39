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

from tests.test_check_invariance import SUBJECT

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


def writer_fodt() -> str:
    """The plan typed in LibreOffice Writer: paragraph and character styles of Writer's own (bold
    and italic in automatic text styles, sizes in paragraph styles), the body numbered by one Writer
    list (I., 1. nested) and a bullet list for the dashes, lines drawn with the line tool, tables
    without borders for the header and the signature, the appendix on a landscape page style."""
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
    signature = table("Ky", (8.0, 8.5), ['<table:table-row>' + cell("Ky", "".join([
        _p("Pnn", "Nơi nhận:", "Tbi"), *(_p("Prc", r) for r in RECIPIENTS)])) + cell("Ky", "".join([
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


def write_writer_plan(folder: Path) -> Path:
    """The Writer plan converted to .docx by soffice, as an office saving "Word 2007-365" does."""
    from generator.word.soffice import run_soffice, soffice_or_none

    exe = soffice_or_none()
    assert exe is not None
    source = folder / "writer.fodt"
    source.write_text(writer_fodt(), encoding="utf-8")
    run_soffice(exe, [source], folder, 180, convert_to="docx:MS Word 2007 XML",
                timeout_message=lambda s: f"soffice > {s} s")
    return folder / "writer.docx"


__all__: list[Any] = ["writer_fodt", "write_writer_plan"]
