"""Builds templates/kehoach.docx, the default docxtpl template, from the numbers of nd30-format.md.

Why a builder: the template is a real Word document a user may open and restyle, but the committed
file must be reproducible and reviewable. Run `python -m generator.document.template_builder` after changing
this file; a test fails when the committed template and a fresh build differ.

Everything a user would restyle lives in named paragraph styles ("KH …"): change a style once in
Word and every paragraph of that kind follows.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from dataclasses import dataclass
from html import escape as _html_escape
from pathlib import Path

from ..nd30 import QUOC_HIEU, TIEU_NGU
from ..nd30.figures import (
    A4_TWIPS,
    FIRST_LINE_WRITTEN_TWIPS,
    LINE_SPACING_WRITTEN_240THS,
    MARGIN_TWIPS,
    PARAGRAPH_GAP_MIN_TWIPS,
    SIZE_PT,
    TEXT_WIDTH_TWIPS,
)


def escape(text: str) -> str:
    """xml.sax.saxutils.escape's three replacements (&, <, >): that module imports urllib, email and
    http (~35 ms), paid by every render and data-file check that reads this module's widths."""
    return _html_escape(text, quote=False)


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NSDECL = f'xmlns:w="{W_NS}" xmlns:r="{R_NS}"'

FONT = "Times New Roman"

# Page geometry (nd30-format.md §1; the figures and their articles in nd30/figures.py).
PAGE_W, PAGE_H = A4_TWIPS
MARGIN = MARGIN_TWIPS
TEXT_W = TEXT_WIDTH_TWIPS

# The two-column grid of page 1 (ô 2/3 left, ô 1/4 right). 6.8 cm leaves room for a 12 pt bold
# agency name of about 30 capitals on one line; 9.7 cm holds the 12 pt Quốc hiệu on one line.
HEADER_COLS = (3855, TEXT_W - 3855)



@dataclass(frozen=True)
class Style:
    id: str
    name: str
    size: float = 14
    bold: bool = False
    italic: bool = False
    align: str = "both"
    first_line: int = 0
    before: int = 0
    after: int = 0
    line: int = 240
    based_on: str = "Normal"
    keep_next: bool = False
    rule: bool = False  # a solid line along the top edge: the lines under agency name, trích yếu
    box: bool = False  # a border on all four sides: the "DỰ THẢO" mark
    indent: tuple[int, int] | None = None  # left/right indents (twips), for a box narrower than the page
    hanging: int = 0  # hanging indent (twips): wrapped lines of "- …" align after the dash


BODY_INDENT = FIRST_LINE_WRITTEN_TWIPS
GAP = PARAGRAPH_GAP_MIN_TWIPS  # 6 pt between paragraphs
BODY_LINE = LINE_SPACING_WRITTEN_240THS
PT = {k: v.written for k, v in SIZE_PT.items()}
# The draft mark: a small box at the top right of page 1, in the flow above the header table, so a
# user can move or restyle it in Word like any other paragraph (left indent sets the box width).
DRAFT_MARK_WIDTH = 2268  # 4 cm
STYLES = [
    Style("KHDuThao", "KH Dự thảo", size=13, bold=True, align="center", after=120,
          box=True, indent=(TEXT_W - DRAFT_MARK_WIDTH, 0)),
    Style("KHCoQuanChuQuan", "KH Cơ quan chủ quản", size=PT["agency"], align="center"),
    Style("KHCoQuanBanHanh", "KH Cơ quan ban hành", size=PT["agency"], bold=True, align="center"),
    Style("KHQuocHieu", "KH Quốc hiệu", size=PT["quoc_hieu"], bold=True, align="center"),
    Style("KHTieuNgu", "KH Tiêu ngữ", size=PT["tieu_ngu"], bold=True, align="center"),
    Style("KHDuongKe", "KH Đường kẻ", size=6, align="center", before=60, rule=True),
    Style("KHSoKyHieu", "KH Số, ký hiệu", size=PT["number"], align="center", before=GAP),
    Style("KHDiaDanh", "KH Địa danh, ngày tháng", size=PT["place_date"], italic=True, align="center", before=GAP),
    Style("KHTenLoai", "KH Tên loại", size=PT["doc_type"], bold=True, align="center", before=480, keep_next=True),
    Style("KHTrichYeu", "KH Trích yếu", size=PT["subject"], bold=True, align="center", keep_next=True),
    Style("KHTrichYeuPhu", "KH Dòng dưới trích yếu", size=PT["subject"], italic=True, align="center", keep_next=True),
    Style("KHKinhGui", "KH Kính gửi", size=14, align="center", before=240, after=120),
    Style("KHThamQuyenBanHanh", "KH Thẩm quyền ban hành", size=14, bold=True, align="center", before=240,
          after=120, keep_next=True),
    Style("KHQuyetDinh", "KH Quyết định", size=14, bold=True, align="center", before=240, after=120,
          keep_next=True),
    Style("KHCanCu", "KH Căn cứ", size=PT["body"], italic=True, first_line=BODY_INDENT, before=GAP),
    Style("KHNoiDung", "KH Nội dung", size=PT["body"], first_line=BODY_INDENT, before=GAP, line=BODY_LINE),
    # A part's heading (Phần thứ nhất, its name): centred bold over its first mục, kept with it.
    Style("KHPhan", "KH Phần", size=PT["body"], bold=True, align="center", before=GAP, line=BODY_LINE,
          keep_next=True),
    Style("KHMuc", "KH Mục", size=PT["body"], bold=True, first_line=BODY_INDENT, before=GAP, line=BODY_LINE,
          based_on="KHNoiDung", keep_next=True),
    Style("KHKhoan", "KH Khoản", size=PT["body"], bold=True, first_line=BODY_INDENT, before=GAP, line=BODY_LINE,
          based_on="KHNoiDung", keep_next=True),
    Style("KHNoiNhan", "KH Nơi nhận", size=PT["recipients_heading"], bold=True, italic=True, align="left"),
    Style("KHNoiNhanDS", "KH Nơi nhận danh sách", size=PT["recipients"], align="left", hanging=170),
    Style("KHThamQuyen", "KH Thẩm quyền ký", size=PT["signer"], bold=True, align="center"),
    Style("KHNguoiKy", "KH Người ký", size=PT["signer"], bold=True, align="center"),
    Style("KHPhuLucTieuDe", "KH Phụ lục tiêu đề", size=PT["appendix"], bold=True, align="center"),
    Style("KHPhuLucTen", "KH Phụ lục tên", size=PT["appendix"], bold=True, align="center"),
    Style("KHPhuLucTrichDan", "KH Phụ lục dòng kèm theo", size=PT["appendix"], italic=True, align="center",
          after=240),
    Style("KHBangTieuDe", "KH Bảng tiêu đề", size=12, bold=True, align="center"),
    Style("KHBangNhom", "KH Bảng nhóm", size=12, bold=True, align="left"),
    Style("KHBangSo", "KH Bảng số thứ tự", size=12, align="center"),
    Style("KHBang", "KH Bảng", size=12, align="left"),
    Style("KHSoTrang", "KH Số trang", size=PT["page_number"], align="center"),
]


def _rfonts() -> str:
    return f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/>'


def _style_xml(s: Style) -> str:
    half = int(s.size * 2)
    ppr = "<w:pPr>"
    if s.keep_next:
        ppr += "<w:keepNext/>"
    if s.rule:
        ppr += '<w:pBdr><w:top w:val="single" w:sz="6" w:space="1" w:color="000000"/></w:pBdr>'
    if s.box:
        ppr += "<w:pBdr>" + "".join(
            f'<w:{edge} w:val="single" w:sz="8" w:space="1" w:color="000000"/>'
            for edge in ("top", "left", "bottom", "right")) + "</w:pBdr>"
    ppr += f'<w:spacing w:before="{s.before}" w:after="{s.after}" w:line="{s.line}" w:lineRule="auto"/>'
    if s.hanging:
        ppr += f'<w:ind w:left="{s.hanging}" w:hanging="{s.hanging}"/>'
    elif s.indent:
        ppr += f'<w:ind w:left="{s.indent[0]}" w:right="{s.indent[1]}" w:firstLine="0"/>'
    else:
        ppr += f'<w:ind w:firstLine="{s.first_line}"/>' if s.first_line else '<w:ind w:firstLine="0"/>'
    ppr += f'<w:jc w:val="{s.align}"/></w:pPr>'
    rpr = "<w:rPr>" + _rfonts()
    rpr += "<w:b/><w:bCs/>" if s.bold else '<w:b w:val="0"/><w:bCs w:val="0"/>'
    rpr += "<w:i/><w:iCs/>" if s.italic else '<w:i w:val="0"/><w:iCs w:val="0"/>'
    rpr += f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/></w:rPr>'
    return (
        f'<w:style w:type="paragraph" w:customStyle="1" w:styleId="{s.id}">'
        f'<w:name w:val="{escape(s.name)}"/><w:basedOn w:val="{s.based_on}"/>'
        f'<w:next w:val="{s.id}"/><w:qFormat/>{ppr}{rpr}</w:style>'
    )


def styles_xml() -> str:
    """styles.xml: docDefaults and Normal in Times New Roman 14, then the KH styles."""
    return (
        f'<w:styles {NSDECL}>'
        "<w:docDefaults><w:rPrDefault><w:rPr>" + _rfonts() +
        '<w:sz w:val="28"/><w:szCs w:val="28"/><w:lang w:val="vi-VN" w:eastAsia="en-US" w:bidi="ar-SA"/>'
        "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>"
        '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>'
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>'
        '<w:rPr>' + _rfonts() + '<w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr></w:style>'
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/>'
        '<w:unhideWhenUsed/></w:style>'
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
        '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/>'
        '<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
        '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>'
        '<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/>'
        '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/></w:style>'
        '<w:style w:type="paragraph" w:styleId="Header"><w:name w:val="header"/><w:basedOn w:val="Normal"/>'
        '<w:pPr><w:tabs><w:tab w:val="center" w:pos="4680"/><w:tab w:val="right" w:pos="9360"/></w:tabs>'
        '</w:pPr></w:style>'
        + "".join(_style_xml(s) for s in STYLES)
        + "</w:styles>"
    )


RULE_INDENT = '<w:ind w:left="0" w:right="0" w:firstLine="0"/>'
"""A rule's indents, set per document by the layout pass to centre a line of the right length; the
template holds the element so that each render only sets its values."""


def p(text: str = "", style: str | None = None, ppr_extra: str = "") -> str:
    """A paragraph; its text (Jinja tags included) sits in a single run so Word cannot split a tag."""
    ppr = ""
    if style or ppr_extra:
        ppr = "<w:pPr>" + (f'<w:pStyle w:val="{style}"/>' if style else "") + ppr_extra + "</w:pPr>"
    run = f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>' if text else ""
    return f"<w:p>{ppr}{run}</w:p>"


def tc(width: int, content: str, span: int = 1, valign: str | None = None) -> str:
    pr = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if span > 1:
        pr += f'<w:gridSpan w:val="{span}"/>'
    if valign:
        pr += f'<w:vAlign w:val="{valign}"/>'
    return f"<w:tc><w:tcPr>{pr}</w:tcPr>{content}</w:tc>"


def table(cols: tuple[int, ...], rows: list[str], borders: bool, cell_margin: int | None = None) -> str:
    edge = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="000000"/>' if borders else '<w:{0} w:val="nil"/>'
    tbl_borders = "".join(edge.format(e) for e in ("top", "left", "bottom", "right", "insideH", "insideV"))
    mar = ""
    if cell_margin is not None:
        mar = (f'<w:tblCellMar><w:left w:w="{cell_margin}" w:type="dxa"/>'
               f'<w:right w:w="{cell_margin}" w:type="dxa"/></w:tblCellMar>')
    return (
        f'<w:tbl><w:tblPr><w:tblW w:w="{sum(cols)}" w:type="dxa"/><w:tblInd w:w="0" w:type="dxa"/>'
        f'<w:tblBorders>{tbl_borders}</w:tblBorders><w:tblLayout w:type="fixed"/>{mar}'
        '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
        'w:noHBand="0" w:noVBand="0"/></w:tblPr>'
        "<w:tblGrid>" + "".join(f'<w:gridCol w:w="{c}"/>' for c in cols) + "</w:tblGrid>"
        + "".join(rows) + "</w:tbl>"
    )


def tr(cells: str, header: bool = False, cant_split: bool = False) -> str:
    pr = ""
    if cant_split:
        pr += "<w:cantSplit/>"
    if header:
        pr += "<w:tblHeader/>"
    return f"<w:tr>{f'<w:trPr>{pr}</w:trPr>' if pr else ''}{cells}</w:tr>"


def sect_pr(default_hdr: str, first_hdr: str, *, landscape: bool, restart: bool) -> str:
    w, h = (PAGE_H, PAGE_W) if landscape else (PAGE_W, PAGE_H)
    orient = ' w:orient="landscape"' if landscape else ""
    m = MARGIN
    return (
        f'<w:sectPr><w:headerReference w:type="default" r:id="{default_hdr}"/>'
        f'<w:headerReference w:type="first" r:id="{first_hdr}"/>'
        '<w:type w:val="nextPage"/>'
        f'<w:pgSz w:w="{w}" w:h="{h}"{orient}/>'
        f'<w:pgMar w:top="{m["top"]}" w:right="{m["right"]}" w:bottom="{m["bottom"]}" '
        f'w:left="{m["left"]}" w:header="{m["header"]}" w:footer="{m["footer"]}" w:gutter="0"/>'
        + ('<w:pgNumType w:start="1"/>' if restart else "")
        + '<w:cols w:space="720"/><w:titlePg/><w:docGrid w:linePitch="360"/></w:sectPr>'
    )


BREAK_PPR = ('<w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>'
             '<w:rPr><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr>')
"""The paragraph that carries a section break after a table (the signature, an appendix's table) is
one point high: a full-size empty line after a table that ends at the page bottom gets a page of its
own in Word, a page with only its number. Word and LibreOffice both honour an exact 1 pt line; the
paragraph cannot go (a section break needs a paragraph, and none may follow a table in its cell)."""


def section_break(sect: str) -> str:
    return p("", None, BREAK_PPR + sect)


def blocks_xml(var: str) -> str:
    """The loop over a list of body blocks (the body, a text appendix): one paragraph per block in
    the style of its kind; a table block is a whole w:tbl written by the renderer ({{p …}})."""
    return (
        p(f"{{%p for b in {var} %}}")
        + p('{%p if b.kind == "muc" %}') + p("{{r b.inline }}", "KHMuc")
        + p('{%p elif b.kind == "part" %}') + p("{{r b.inline }}", "KHPhan")
        + p('{%p elif b.kind in ("khoan", "heading") %}') + p("{{r b.inline }}", "KHKhoan")
        + p('{%p elif b.kind == "table" %}') + p("{{p b.xml }}")
        + p("{%p else %}") + p("{{r b.inline }}", "KHNoiDung")
        + p("{%p endif %}") + p("{%p endfor %}")
    )


def signer_cell(width: int, signer: str) -> str:
    """One signer's column: authority and title lines, the signing space, the name."""
    return tc(width, p(f"{{%p for line in {signer}.lines %}}") + p("{{ line }}", "KHThamQuyen")
              + p("{%p endfor %}") + p("", "KHThamQuyen") * 5 + p(f"{{{{ {signer}.name }}}}", "KHNguoiKy"))


def one_signer_signature() -> str:
    """Nơi nhận on the left, the signer on the right, in one borderless table (ô 9b, 7a–7c)."""
    return table(HEADER_COLS, [tr(
        tc(HEADER_COLS[0], p("Nơi nhận:", "KHNoiNhan") + p("{%p for r in recipients %}")
           + p("{{ r }}", "KHNoiNhanDS") + p("{%p endfor %}"))
        + signer_cell(HEADER_COLS[1], "signer"),
        cant_split=True,
    )], borders=False, cell_margin=0)


def joint_signature() -> str:
    """A joint plan (văn bản liên tịch): one column per signing agency side by side, the lead agency's
    signer on the right, the others left of it in the data's order; the Nơi nhận under the signatures
    at the left margin, as agencies lay out a joint document. The titles and the signing space in one
    row, the names in the next: the names stand on one line however many title lines each signer has
    (the rows kept together by keepNext on the first). Two tables chosen by a paragraph tag (two or
    three agencies), not by {%tc %} tags: the template's tables stay static (engine._tables_are_static)."""
    keep = "<w:keepNext/>"
    out = p("{%p if co_signers|length == 1 %}")
    for count in (2, 3):
        if count == 3:
            out += p("{%p else %}")
        widths = tuple(TEXT_W // count for _ in range(count - 1)) + (TEXT_W - TEXT_W // count * (count - 1),)
        signers = [f"co_signers[{k}]" for k in range(count - 1)] + ["signer"]
        titles = "".join(tc(w, p(f"{{%p for line in {s}.lines %}}") + p("{{ line }}", "KHThamQuyen", keep)
                            + p("{%p endfor %}") + p("", "KHThamQuyen", keep) * 5)
                         for w, s in zip(widths, signers, strict=True))
        names = "".join(tc(w, p(f"{{{{ {s}.name }}}}", "KHNguoiKy")) for w, s in zip(widths, signers, strict=True))
        out += table(widths, [tr(titles, cant_split=True), tr(names, cant_split=True)], borders=False, cell_margin=0)
    out += p("{%p endif %}")
    return (out + p("Nơi nhận:", "KHNoiNhan", '<w:spacing w:before="240"/>') + p("{%p for r in recipients %}")
            + p("{{ r }}", "KHNoiNhanDS") + p("{%p endfor %}"))


def body_xml(default_hdr: str, first_hdr: str) -> str:
    # Only a draft carries the mark; the context leaves draft_mark empty for a final.
    draft_mark = (p("{%p if draft_mark %}") + p("{{ draft_mark }}", "KHDuThao") + p("{%p endif %}"))
    names_row = tr(tc(HEADER_COLS[0],
                      # The drafter's lines one paragraph each, a name the tool broke one paragraph
                      # with line breaks (context.heading_paragraphs).
                      p("{%p for line in agency.parent_paragraphs %}") + p("{{ line }}", "KHCoQuanChuQuan")
                      + p("{%p endfor %}")
                      + p("{%p for line in agency.name_paragraphs %}") + p("{{ line }}", "KHCoQuanBanHanh")
                      + p("{%p endfor %}")
                      # A joint plan: the other issuing agencies under the lead one (văn bản liên tịch).
                      + p("{%p for line in agency.co_issuer_paragraphs %}") + p("{{ line }}", "KHCoQuanBanHanh")
                      + p("{%p endfor %}")
                      + p("", "KHDuongKe", RULE_INDENT))
                   + tc(HEADER_COLS[1], p(QUOC_HIEU, "KHQuocHieu") + p(TIEU_NGU, "KHTieuNgu")
                        + p("", "KHDuongKe", RULE_INDENT)))
    # A document issued with a decision has no number or date of its own (Phụ lục III, Mẫu 1.3):
    # its header is the names row alone. Two tables chosen by a paragraph tag, not a row tag: a
    # {%tr %} would make docxtpl rebuild every table of every render (render._tables_are_static).
    header_table = (
        p("{%p if number_line %}")
        + table(HEADER_COLS, [names_row,
                              tr(tc(HEADER_COLS[0], p("{{ number_line }}", "KHSoKyHieu"))
                                 + tc(HEADER_COLS[1], p("{{ date_line }}", "KHDiaDanh")))],
                borders=False, cell_margin=0)
        + p("{%p else %}")
        + table(HEADER_COLS, [names_row], borders=False, cell_margin=0)
        + p("{%p endif %}")
    )

    title = (
        p("{{ doc_type }}", "KHTenLoai")
        # The drafter decides where the trích yếu breaks (a paragraph per line given), else one
        # paragraph in balanced lines (context.heading_paragraphs).
        + p("{%p for line in subject_paragraphs %}") + p("{{ line }}", "KHTrichYeu") + p("{%p endfor %}")
        # "(Ban hành kèm theo …)" belongs to the trích yếu: the line goes under it (as agencies do).
        + p("{%p if subtitle %}") + p("{{r subtitle_inline }}", "KHTrichYeuPhu") + p("{%p endif %}")
        + p("", "KHDuongKe", RULE_INDENT)
        # Tờ trình: "Kính gửi: …" under the trích yếu; Quyết định: the issuing authority's line.
        + p("{%p for line in addressee_lines %}") + p("{{ line }}", "KHKinhGui") + p("{%p endfor %}")
        + p("{%p if authority %}") + p("{{ authority }}", "KHThamQuyenBanHanh") + p("{%p endif %}")
    )
    body = (
        p("{%p for g in grounds_inline %}") + p("{{r g }}", "KHCanCu") + p("{%p endfor %}")
        + p("{%p if decision_line %}") + p("{{ decision_line }}", "KHQuyetDinh") + p("{%p endif %}")
        + p("{%p for o in opening_inline %}") + p("{{r o }}", "KHNoiDung") + p("{%p endfor %}")
        + blocks_xml("body")
        + p("{%p if closing %}")
        # keepNext: the signature block never stands alone on a page without body text.
        + p("{{r closing_inline }}", "KHNoiDung", '<w:keepNext/><w:spacing w:after="240"/>') + p("{%p endif %}")
    )
    signature = (p("{%p if co_signers %}") + joint_signature() + p("{%p else %}")
                 + one_signer_signature() + p("{%p endif %}"))
    main_break = section_break(sect_pr(default_hdr, first_hdr, landscape=False, restart=False))

    appendices = (
        p("{%p for a in appendices %}")
        + p("{{ a.title }}", "KHPhuLucTieuDe")
        + p("{%p for line in a.subtitle_lines %}") + p("{{ line }}", "KHPhuLucTen") + p("{%p endfor %}")
        + p("{%p if a.reference_line %}") + p("{{ a.reference_line }}", "KHPhuLucTrichDan") + p("{%p endif %}")
        + p("{%p if a.table %}") + p("{{p a.table.xml }}") + p("{%p endif %}")
        + blocks_xml("a.body")
        # Every appendix ends its own section, landscape or portrait as its data says. The break
        # rides on an untagged paragraph: docxtpl deletes tagged ones, and the section would go
        # with it (docxtpl-pitfalls.md §1.8). The empty section left after the last appendix is
        # removed by the layout step.
        + p("{%p if a.landscape %}")
        + section_break(sect_pr(default_hdr, first_hdr, landscape=True, restart=True))
        + p("{%p else %}")
        + section_break(sect_pr(default_hdr, first_hdr, landscape=False, restart=True))
        + p("{%p endif %}")
        + p("{%p endfor %}")
        + p("")
    )
    final = sect_pr(default_hdr, first_hdr, landscape=True, restart=True)
    return (f"<w:body {NSDECL}>" + draft_mark + header_table + title + body + signature + main_break
            + appendices + final + "</w:body>")


PAGE_FIELD = (
    '<w:p><w:pPr><w:pStyle w:val="KHSoTrang"/></w:pPr>'
    '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
    '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    '<w:r><w:t>2</w:t></w:r>'
    '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
)


def build() -> bytes:
    # Imported here, not at the top: the line breaker reads this module's column widths and styles
    # (line_breaks.columns) on every render and data-file check; python-docx and the Word layer
    # cost ~45 ms to import that only building the template needs.
    from docx import Document
    from docx.oxml import parse_xml

    from ..word import internals
    from ..word.package import deterministic_zip

    doc = Document()
    pkg_part = doc.part
    # Drop stylesWithEffects and friends from python-docx's default: Word reads a stale copy
    # that differs from styles.xml as unreadable content.
    for rid, rel in list(pkg_part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            del pkg_part.rels[rid]
    # python-docx's default carries a thumbnail of an empty page: file browsers would show it.
    package_rels = pkg_part.package.rels
    for rid, rel in list(package_rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            del package_rels[rid]

    styles_el = parse_xml(styles_xml())
    internals.replace_styles(doc, styles_el)  # replace the whole styles part

    # A line ended by a line break (Shift+Enter) in a justified paragraph is not stretched to the
    # margin: Word's option "Don't expand character spaces on a line ending with Shift+Return",
    # which LibreOffice honours too. Headings the tool breaks are centred; a body paragraph with a
    # break the data gives (an imported one) would otherwise print its first line spread out.
    compat = doc.settings.element.find(f"{{{W_NS}}}compat")
    compat.insert(0, parse_xml(f"<w:doNotExpandShiftReturn {NSDECL}/>"))  # first in CT_Compat's order

    section = doc.sections[0]
    section.different_first_page_header_footer = True
    default_header = section.header
    default_header.is_linked_to_previous = False
    first_header = section.first_page_header
    first_header.is_linked_to_previous = False
    default_root = internals.header_element(default_header)
    default_root.clear()
    default_root.append(parse_xml(PAGE_FIELD.replace("<w:p>", f"<w:p {NSDECL}>", 1)))
    first_root = internals.header_element(first_header)
    first_root.clear()
    first_root.append(parse_xml(f'<w:p {NSDECL}><w:pPr><w:pStyle w:val="KHSoTrang"/></w:pPr></w:p>'))

    sect = internals.section_properties(section)
    rid_default = rid_first = None
    for ref in sect.findall(f"{{{W_NS}}}headerReference"):
        if ref.get(f"{{{W_NS}}}type") == "default":
            rid_default = ref.get(f"{{{R_NS}}}id")
        elif ref.get(f"{{{W_NS}}}type") == "first":
            rid_first = ref.get(f"{{{R_NS}}}id")
    assert rid_default and rid_first

    body = doc.element.body
    new_body = parse_xml(body_xml(rid_default, rid_first))
    doc.element.replace(body, new_body)

    props = doc.core_properties
    props.title = "Mẫu Kế hoạch (kehoach)"
    props.author = "kehoach"
    props.last_modified_by = "kehoach"
    props.comments = "Mẫu docxtpl của kehoach; sửa định dạng qua các kiểu (style) KH …"
    props.revision = 1
    props.created = props.modified = dt.datetime(2024, 1, 1)

    buf = io.BytesIO()
    doc.save(buf)
    return deterministic_zip(buf.getvalue())


DEFAULT_TEMPLATE = Path(__file__).resolve().parents[2] / "templates" / "kehoach.docx"
"""The editable source in the project folder; the renderer reads its copy shipped in the package."""


def main() -> None:
    from ..resources import TEMPLATE

    data = build()
    for target in [Path(sys.argv[1])] if len(sys.argv) > 1 else [DEFAULT_TEMPLATE, TEMPLATE]:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        print(target)
    if len(sys.argv) == 1:  # the packaged template changed: its parts prepared beforehand follow it
        from .template_prebuilt import write_prebuilt

        print(write_prebuilt())


if __name__ == "__main__":
    main()
