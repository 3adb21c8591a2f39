"""Issue 22: the same visible document read the same, however Word encodes it.

A small generator writes one plan (tests/word_fixtures.build_plan) and then re-encodes parts of it
the ways offices do, without changing what the printed page shows: lines joined into one paragraph
with manual line breaks (Shift+Enter), fonts inherited from the document defaults instead of set
on every run, formatting carried by paragraph styles instead of direct formatting, Word's automatic
numbering instead of typed numbers, non-breaking spaces. For each
encoding, `check` must give the same findings and `import` the same data as the plain encoding.
Also: on every real plan of the corpus, `check` and `import` find the same appendices, and our own
render of a plan whose trích yếu is several lines in capitals checks without an error.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from generator.check import check_docx
from generator.jobs.issue import render_file
from generator.jobs.importer import _Importer, import_docx
from generator.recognise import read_docx
from tests.word_fixtures import EMU, Header, WordTable, build_plan
from tests.paths import ROOT

CORPUS = ROOT.parent / "shared" / "corpus"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
FULL = ROOT / "generator" / "resources" / "ke-hoach-cau-truc-day-du.yaml"

BODY = [
    "Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh, Sở Văn hóa và Thể thao ban hành Kế hoạch như sau:",
    {"text": "I. MỤC ĐÍCH, YÊU CẦU", "bold": True},
    "1. Khuyến khích người dân rèn luyện thân thể mỗi ngày.",
    "2. Bảo đảm an toàn cho người tham gia giải chạy.",
    "- Bố trí lực lượng y tế dọc đường chạy;",
    "- Chuẩn bị nước uống tại các điểm tiếp nước.",
    {"text": "II. TỔ CHỨC THỰC HIỆN", "bold": True},
    "1. Các phòng chuyên môn chuẩn bị địa điểm và trang thiết bị.",
    "2. Các đơn vị triển khai thực hiện nghiêm túc Kế hoạch này./.",
]

APPENDIX = [
    {"text": "PHỤ LỤC", "bold": True, "align": "center"},
    {"text": "DANH MỤC NHIỆM VỤ", "bold": True, "align": "center"},
    {"text": "(Kèm theo Kế hoạch số      /KH-SVHTT ngày      /     /2026 của Sở Văn hóa và Thể thao)",
     "italic": True, "align": "center"},
    WordTable(rows=[
        ["STT", "Nội dung", "Đơn vị chủ trì", "Thời gian"],
        [{"text": "I", "bold": True}, {"text": "Công tác chuẩn bị", "span": 3, "bold": True}],
        ["1", "Khảo sát đường chạy", {"text": "Phòng Thể thao", "vmerge": "restart"}, "Tháng 3"],
        ["2", "Lắp đặt biển báo", {"text": "", "vmerge": "continue"}, "Tháng 4"],
        [{"text": "II", "bold": True}, {"text": "Tổ chức giải", "span": 3, "bold": True}],
        ["1", "Tổ chức giải chạy", "Văn phòng", "Tháng 5"],
    ], widths=[1.2, 7.5, 4.0, 3.0]),
]

SUBJECT = ("Tổ chức giải chạy vì sức khỏe cộng đồng", "trên địa bàn tỉnh năm 2026")


def _plain(path: Path, header: Header | None = None) -> Path:
    build_plan(path, header=header or Header(issuer=("SỞ VĂN HÓA", "VÀ THỂ THAO")), subject=SUBJECT, body=BODY,
               appendices=[APPENDIX])
    # The line under the Tiêu ngữ lands just under its text (2 pt above the date paragraph's top),
    # so that the encodings of that line below are compared with a line the reader finds.
    doc = docx.Document(str(path))
    for anchor in doc.element.body.iter(f"{{{WP}}}anchor"):
        if anchor.find(f"{{{WP}}}docPr").get("id") == "13":
            anchor.find(f"{{{WP}}}positionV/{{{WP}}}posOffset").text = str(-2 * EMU)
    doc.save(str(path))
    return path


# --- re-encodings: each changes the XML, not the printed page ---------------------------------------


def _join(paras: list[Any]) -> None:
    """Join paragraphs into the first one, a manual line break where each one began."""
    first = paras[0]
    for p in paras[1:]:
        first.append(parse_xml(f'<w:r {nsdecls("w")}><w:br/></w:r>'))
        for r in p.findall(qn("w:r")):
            first.append(r)
        p.getparent().remove(p)


def _join_pushed(paras: list[Any], spaces: int = 40) -> None:
    """Join paragraphs into the first one, the words of each pushed onto the next line by a run of
    spaces typed in the line above's formatting (as older files set a two-line name): Word wraps
    there and prints the same lines."""
    first = paras[0]
    for p in paras[1:]:
        last = first.findall(qn("w:r"))[-1]
        gap = copy.deepcopy(last)
        for child in list(gap):
            if child.tag != qn("w:rPr"):
                gap.remove(child)
        gap.append(parse_xml(f'<w:t {nsdecls("w")} xml:space="preserve">{" " * spaces}</w:t>'))
        first.append(gap)
        for r in p.findall(qn("w:r")):
            first.append(r)
        p.getparent().remove(p)


def _cell_paras(doc: Any, table: int, col: int) -> list[Any]:
    tc = doc.tables[table].rows[0].cells[col]._tc
    return tc.findall(qn("w:p"))


def quoc_hieu_and_tieu_ngu_in_one_paragraph(doc: Any) -> None:
    right = _cell_paras(doc, 0, 1)
    _join(right[:2])


def quoc_hieu_and_tieu_ngu_pushed_by_spaces(doc: Any) -> None:
    _join_pushed(_cell_paras(doc, 0, 1)[:2])


def issuer_lines_pushed_by_spaces(doc: Any) -> None:
    _join_pushed(_cell_paras(doc, 0, 0)[1:3])


def issuer_lines_in_one_paragraph(doc: Any) -> None:
    left = _cell_paras(doc, 0, 0)
    _join(left[1:3])  # the two lines of the issuer's name (the parent is the first paragraph)


def noi_nhan_in_one_paragraph(doc: Any) -> None:
    _join(_cell_paras(doc, 1, 0))


def colon_in_a_run_of_its_own(doc: Any) -> None:
    """"Nơi nhận" typed in bold italic and its ":" added after in a run of its own, bold but upright
    (a colon prints almost the same either way; the words carry the style)."""
    p = _cell_paras(doc, 1, 0)[0]
    r = p.findall(qn("w:r"))[0]
    t = r.find(qn("w:t"))
    assert t.text == "Nơi nhận:"
    t.text = "Nơi nhận"
    colon = copy.deepcopy(r)
    colon.find(qn("w:t")).text = ":"
    rpr = colon.find(qn("w:rPr"))
    for tag in ("w:i", "w:iCs"):
        el = rpr.find(qn(tag))
        if el is not None:
            rpr.remove(el)
    r.addnext(colon)


def one_run_per_word(doc: Any) -> None:
    """Every line of the header, the title and the trích yếu typed word by word: each word and each
    space between words in a run of its own (as text edited many times is stored)."""
    for p in list(doc.element.body.iter(qn("w:p")))[:14]:
        for r in p.findall(qn("w:r")):
            t = r.find(qn("w:t"))
            if t is None or len(r.findall(qn("w:t"))) != 1 or " " not in (t.text or "").strip():
                continue
            pieces = [x for w in t.text.split(" ") for x in (w, " ")][:-1]
            for piece in reversed([x for x in pieces if x]):
                new = copy.deepcopy(r)
                new.find(qn("w:t")).text = piece
                new.find(qn("w:t")).set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                r.addnext(new)
            p.remove(r)


def signer_titles_in_one_paragraph(doc: Any) -> None:
    _join(_cell_paras(doc, 1, 1)[:2])


def fonts_from_document_defaults(doc: Any) -> None:
    """Times New Roman set once in the document defaults, not on every run."""
    rpr = doc.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = parse_xml(f'<w:rFonts {nsdecls("w")}/>')
        rpr.insert(0, fonts)
    for slot in ("ascii", "hAnsi", "cs", "eastAsia"):
        fonts.set(qn(f"w:{slot}"), "Times New Roman")
    for theme in ("asciiTheme", "hAnsiTheme", "cstheme", "eastAsiaTheme"):
        fonts.attrib.pop(qn(f"w:{theme}"), None)
    for run_fonts in doc.element.body.iter(qn("w:rFonts")):
        run_fonts.getparent().remove(run_fonts)


def automatic_numbering(doc: Any) -> None:
    """The khoản "1.", "2." numbered by Word (decimal list restarting in each mục), not typed; the
    first-line indent given by the list level instead of the paragraph."""
    numbering = doc.part.numbering_part.element
    numbering.insert(0, parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90"><w:multiLevelType w:val="singleLevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/>'
        '<w:suff w:val="space"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="0" w:firstLine="720"/></w:pPr>'
        '</w:lvl></w:abstractNum>'))
    num_id = 90
    for p in doc.element.body.iter(qn("w:p")):
        text = "".join(t.text or "" for t in p.iter(qn("w:t")))
        if text.startswith("I. ") or text.startswith("II. "):
            num_id += 1  # each mục starts its list again at 1: a new list instance with a restart
            numbering.append(parse_xml(
                f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="90"/>'
                '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'))
        if len(text) > 3 and text[0].isdigit() and text[1:3] == ". ":
            first = p.find(f"{qn('w:r')}/{qn('w:t')}")
            first.text = first.text[3:]
            ppr = p.get_or_add_pPr()
            ind = ppr.find(qn("w:ind"))
            assert ind is not None and ind.get(qn("w:firstLine")) == "720"
            ppr.remove(ind)  # the first-line indent now comes from the list level, as Word lays it out
            # Word draws the number in the paragraph mark's font: formatted as a whole, the
            # paragraph's mark carries the text's font (the number is printed like the text).
            ppr.append(copy.deepcopy(p.find(f"{qn('w:r')}/{qn('w:rPr')}")))  # rPr: last in pPr
            ppr.insert(0, parse_xml(  # numPr: before spacing, indent and alignment
                f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>'))


def formatting_from_styles(doc: Any) -> None:
    """Every paragraph of the body formatted by a paragraph style (one per look: body text, mục
    heading, title…) instead of direct formatting on the paragraph and its runs."""
    from lxml import etree

    styles = doc.styles.element
    made: dict[tuple[bytes, bytes], str] = {}
    for p in list(doc.element.body.iterchildren(qn("w:p"))):
        runs = p.findall(qn("w:r"))
        if not runs or any(r.find(qn("w:t")) is None for r in runs):
            continue  # empty, or holding a drawn line: left as it is
        rprs = [r.find(qn("w:rPr")) for r in runs]
        keys = {etree.tostring(x) if x is not None else b"" for x in rprs}
        ppr = p.find(qn("w:pPr"))
        if len(keys) != 1 or ppr is None or ppr.find(qn("w:sectPr")) is not None:
            continue
        key = (etree.tostring(ppr), keys.pop())
        if key not in made:
            made[key] = f"KHKieu{len(made) + 1}"
            style = parse_xml(f'<w:style {nsdecls("w")} w:type="paragraph" w:customStyle="1" '
                              f'w:styleId="{made[key]}"><w:name w:val="{made[key]}"/></w:style>')
            style.append(copy.deepcopy(ppr))
            if rprs[0] is not None:
                style.append(copy.deepcopy(rprs[0]))
            styles.append(style)
        p.remove(ppr)
        p.insert(0, parse_xml(f'<w:pPr {nsdecls("w")}><w:pStyle w:val="{made[key]}"/></w:pPr>'))
        for r, rpr in zip(runs, rprs):
            if rpr is not None:
                r.remove(rpr)


def non_breaking_spaces(doc: Any) -> None:
    """Spaces typed as non-breaking spaces in the Số line and in running text (Ctrl+Shift+Space)."""
    for t in doc.element.body.iter(qn("w:t")):
        if t.text and (t.text.startswith("Số:") or t.text.startswith("Khuyến khích")):
            t.text = t.text.replace(" ", "\xa0")


def _texts(doc: Any) -> list[tuple[Any, str]]:
    return [(p, "".join(t.text or "" for t in p.iter(qn("w:t")))) for p in doc.element.body.iter(qn("w:p"))]


def dashes_in_lists(doc: Any) -> None:
    """"–" (en dash) and "—" typed for the "-" that opens a recipient of Nơi nhận (Word's
    AutoFormat turns "- " into "– " as one types)."""
    for k, (p, text) in enumerate(t for t in _texts(doc) if t[1].startswith("- ")):
        first = p.find(f"{qn('w:r')}/{qn('w:t')}")
        first.text = ("–" if k % 2 == 0 else "—") + first.text[1:]


def tabs_for_spaces(doc: Any) -> None:
    """A tab typed after the dash of a recipient, and tabs in the blanks of the date line."""
    for p, text in _texts(doc):
        t = p.find(f"{qn('w:r')}/{qn('w:t')}")
        if text.startswith("- "):
            t.text = "-\t" + t.text[2:]
        elif "ngày      tháng" in text:
            t.text = t.text.replace("ngày      tháng      năm", "ngày\ttháng\tnăm")


def character_styles(doc: Any) -> None:
    """The emphasis and size of the Nơi nhận label and of the signer's lines carried by character
    styles (rStyle) instead of direct run formatting."""
    styles = doc.styles.element
    made: dict[bytes, str] = {}
    from lxml import etree

    for p, text in _texts(doc):
        if not (text.startswith("Nơi nhận") or text in ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Lê Thị Hạnh")):
            continue
        for r in p.findall(qn("w:r")):
            rpr = r.find(qn("w:rPr"))
            key = etree.tostring(rpr)
            if key not in made:
                made[key] = f"KHChu{len(made) + 1}"
                style = parse_xml(f'<w:style {nsdecls("w")} w:type="character" w:customStyle="1" '
                                  f'w:styleId="{made[key]}"><w:name w:val="{made[key]}"/></w:style>')
                style.append(copy.deepcopy(rpr))
                styles.append(style)
            r.remove(rpr)
            r.insert(0, parse_xml(f'<w:rPr {nsdecls("w")}><w:rStyle w:val="{made[key]}"/></w:rPr>'))


def size_from_document_defaults(doc: Any) -> None:
    """14 pt set once in the document defaults: the body's runs carry no size of their own."""
    rpr = doc.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    for old in rpr.findall(qn("w:sz")) + rpr.findall(qn("w:szCs")):
        rpr.remove(old)
    rpr.append(parse_xml(f'<w:sz {nsdecls("w")} w:val="28"/>'))
    for p in doc.element.body.iterchildren(qn("w:p")):
        for sz in p.iter(qn("w:sz")):
            if sz.get(qn("w:val")) == "28":
                sz.getparent().remove(sz)


def trich_yeu_one_paragraph(doc: Any) -> None:
    """The two lines of the trích yếu typed as one paragraph with a manual line break."""
    paras = [p for p, text in _texts(doc) if text in SUBJECT]
    assert len(paras) == 2
    _join(paras)


def tieu_ngu_line_from_the_page_top(doc: Any) -> None:
    """The same line placed from the page's edges in both directions (Word's "relative to page"):
    20 mm of top margin, the Quốc hiệu's line (13 pt × 1.15) and the Tiêu ngữ's (14 pt × 1.15), 1 pt
    under it; across, as in tieu_ngu_line_from_the_margin."""
    tieu_ngu_line_from_the_margin(doc)
    anchor = next(a for a in doc.element.body.iter(f"{{{WP}}}anchor") if a.find(f"{{{WP}}}docPr").get("id") == "13")
    pv = anchor.find(f"{{{WP}}}positionV")
    pv.set("relativeFrom", "page")
    pv.find(f"{{{WP}}}posOffset").text = str(int((20 / 25.4 * 72 + 13 * 1.15 + 14 * 1.15 + 1) * EMU))


def _tieu_ngu_line(doc: Any) -> tuple[Any, Any]:
    """The Tiêu ngữ paragraph and the anchor of the line drawn under it (removed)."""
    tn = next(p for p, text in _texts(doc) if text.startswith("Độc lập"))
    anchor = next(a for a in doc.element.body.iter(f"{{{WP}}}anchor") if a.find(f"{{{WP}}}docPr").get("id") == "13")
    run = next(anchor.iterancestors(qn("w:r")))
    run.getparent().remove(run)
    return tn, anchor


def tieu_ngu_line_as_border(doc: Any) -> None:
    """The line under the Tiêu ngữ as the paragraph's bottom border, its length set by indents."""
    tn, anchor = _tieu_ngu_line(doc)
    length = int(anchor.find(f"{{{WP}}}extent").get("cx")) / EMU * 20  # twips
    room = 5953 - 2 * 108
    # a point to spare on each side: the drawn line is as long as the text, and a text column no wider
    # than its text would wrap it in Word
    side = int((room - length) / 2) - 20
    ppr = tn.find(qn("w:pPr"))
    ppr.append(parse_xml(f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="6" w:space="1" '
                         'w:color="auto"/></w:pBdr>'))
    ppr.append(parse_xml(f'<w:ind {nsdecls("w")} w:left="{side}" w:right="{side}"/>'))
    order = ["pStyle", "keepNext", "numPr", "pBdr", "spacing", "ind", "jc", "rPr"]
    for child in sorted(ppr, key=lambda c: order.index(c.tag.split("}")[1]) if c.tag.split("}")[1] in order else 99):
        ppr.append(child)


def tieu_ngu_line_from_the_margin(doc: Any) -> None:
    """The same drawn line placed from the page's left edge rather than from its column."""
    anchor = next(a for a in doc.element.body.iter(f"{{{WP}}}anchor") if a.find(f"{{{WP}}}docPr").get("id") == "13")
    ph = anchor.find(f"{{{WP}}}positionH")
    x = int(ph.find(f"{{{WP}}}posOffset").text)
    ph.set("relativeFrom", "page")
    # page edge → left margin (30 mm) → the right column (6.5 cm) → its cell margin (108 twips)
    ph.find(f"{{{WP}}}posOffset").text = str(x + int((30 / 25.4 * 72 + 6.5 / 2.54 * 72 + 108 / 20) * EMU))


def tieu_ngu_line_as_underscores(doc: Any) -> None:
    """The line under the Tiêu ngữ typed as a centred line of underscores in the next paragraph."""
    tn, anchor = _tieu_ngu_line(doc)
    line = copy.deepcopy(tn)
    runs = line.findall(qn("w:r"))
    for r in runs[1:]:
        line.remove(r)
    runs[0].find(qn("w:t")).text = "_" * 26
    b = runs[0].find(f"{qn('w:rPr')}/{qn('w:b')}")
    if b is not None:
        b.getparent().remove(b)
    tn.addnext(line)
    # the underscores print at the foot of their line: the line box moves up to sit under the text
    ppr = line.find(qn("w:pPr"))
    ppr.find(qn("w:spacing")).set(qn("w:line"), "120")
    ppr.find(qn("w:spacing")).set(qn("w:lineRule"), "exact")
    date = tn.getnext().getnext()
    date.find(f"{qn('w:pPr')}/{qn('w:spacing')}").set(qn("w:before"), "120")



WPS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _boxes_for_table(doc: Any, table: int, first_id: int) -> None:
    """A table of one row replaced by text boxes, one per cell, anchored in one empty paragraph where
    the table stood, each as wide as its cell and placed where the cell was (DrawingML, with the
    VML copy Word writes for older readers in mc:Fallback)."""
    tbl = doc.tables[table]._tbl
    anchor_p = parse_xml(f'<w:p {nsdecls("w")}><w:pPr><w:spacing w:before="0" w:after="0"/></w:pPr></w:p>')
    x = 0
    for k, tc in enumerate(tbl.findall(f"{qn('w:tr')}/{qn('w:tc')}")):
        width = int(tc.find(f"{qn('w:tcPr')}/{qn('w:tcW')}").get(qn("w:w")))
        paras = "".join(etree_tostring(q) for q in tc.findall(qn("w:p")))
        cx, off = width * EMU // 20, x * EMU // 20
        anchor_p.append(parse_xml(
            f'<w:r {nsdecls("w", "wp", "a")} xmlns:wps="{WPS}" xmlns:mc="{MC}" xmlns:v="urn:schemas-microsoft-com:vml">'
            '<mc:AlternateContent>'
            '<mc:Choice Requires="wps"><w:drawing><wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" '
            'relativeHeight="2" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
            f'<wp:positionH relativeFrom="column"><wp:posOffset>{off}</wp:posOffset></wp:positionH>'
            '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
            f'<wp:extent cx="{cx}" cy="1300000"/><wp:wrapTopAndBottom/>'
            f'<wp:docPr id="{first_id + k}" name="Text Box {first_id + k}"/><a:graphic>'
            f'<a:graphicData uri="{WPS}"><wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/>'
            f'<a:ext cx="{cx}" cy="1300000"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/>'
            f'<a:ln><a:noFill/></a:ln></wps:spPr><wps:txbx><w:txbxContent>{paras}</w:txbxContent></wps:txbx>'
            '<wps:bodyPr rot="0" vert="horz" wrap="square" lIns="68580" tIns="0" rIns="68580" bIns="0"/>'
            '</wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict>'
            f'<v:rect style="position:absolute;margin-left:{x / 20}pt;width:{width / 20}pt;height:102pt" '
            f'stroked="f"><v:textbox><w:txbxContent>{paras}</w:txbxContent></v:textbox></v:rect></w:pict>'
            '</mc:Fallback></mc:AlternateContent></w:r>'))
        x += width
    tbl.addprevious(anchor_p)
    tbl.getparent().remove(tbl)


def etree_tostring(el: Any) -> str:
    from lxml import etree

    return etree.tostring(el, encoding="unicode")


def header_in_text_boxes(doc: Any) -> None:
    _boxes_for_table(doc, 0, 40)


def signature_in_text_boxes(doc: Any) -> None:
    _boxes_for_table(doc, 1, 50)



def header_with_tab_stops(doc: Any) -> None:
    """The header table replaced by lines set in two columns with centre tab stops at the middle of
    each former column ("\tLEFT\tRIGHT"), as older files do; the drawn lines anchored in the lines
    they sit under, placed from the text column."""
    tbl = doc.tables[0]._tbl
    left, right = (tc.findall(qn("w:p")) for tc in tbl.findall(f"{qn('w:tr')}/{qn('w:tc')}"))
    widths = [int(tc.find(f"{qn('w:tcPr')}/{qn('w:tcW')}").get(qn("w:w")))
              for tc in tbl.findall(f"{qn('w:tr')}/{qn('w:tc')}")]
    stops = (widths[0] // 2, widths[0] + widths[1] // 2)
    pairs = [(left[0], right[0]), (left[1], right[1]), (left[2], None), (left[3], None), (left[4], right[2])]
    for anchor in tbl.iter(f"{{{WP}}}anchor"):  # the lines: dropped here, drawn again below
        run = next(anchor.iterancestors(qn("w:r")))
        run.getparent().remove(run)
    tab = f'<w:r {nsdecls("w")}><w:tab/></w:r>'
    made = []
    for a, b in pairs:
        p = parse_xml(f'<w:p {nsdecls("w")}><w:pPr><w:tabs><w:tab w:val="center" w:pos="{stops[0]}"/>'
                      f'<w:tab w:val="center" w:pos="{stops[1]}"/></w:tabs><w:spacing w:before="0" w:after="0" '
                      'w:line="240" w:lineRule="auto"/><w:jc w:val="left"/></w:pPr></w:p>')
        runs = a.findall(qn("w:r"))
        if runs or b is not None:
            p.append(parse_xml(tab))
        for r in runs:
            p.append(r)
        if b is not None:
            p.append(parse_xml(tab))
            for r in b.findall(qn("w:r")):
                p.append(r)
        made.append(p)
    for p in made:
        tbl.addprevious(p)
    tbl.getparent().remove(tbl)
    # the agency's line in the spacer line, the Tiêu ngữ's just under its line (14 pt × 1.15)
    margin = 108 / 20
    _line(made[3], 60, 60 + margin, 1, 61)
    _line(made[1], 170, 60 + margin + widths[0] / 20, 16, 62)


def _line(p: Any, length: float, x: float, y: float, shape_id: int) -> None:
    from tests.word_fixtures import anchored_line

    class _P:  # anchored_line takes a python-docx paragraph
        _p = p

    anchored_line(_P, length, x_pt=x, y_pt=y, shape_id=shape_id)



def signer_name_under_the_table(doc: Any) -> None:
    """The signer's name typed after the signature table, put in the signer's column with a centre
    tab stop (the three empty lines of the signature space move with it)."""
    tbl = doc.tables[1]._tbl
    left, right = (tc for tc in tbl.findall(f"{qn('w:tr')}/{qn('w:tc')}"))
    widths = [int(tc.find(f"{qn('w:tcPr')}/{qn('w:tcW')}").get(qn("w:w"))) for tc in (left, right)]
    paras = right.findall(qn("w:p"))
    name = paras[-1]
    for p in paras[2:]:
        right.remove(p)
    stop = widths[0] + widths[1] // 2
    ppr = name.find(qn("w:pPr"))
    ppr.find(qn("w:jc")).set(qn("w:val"), "left")
    ppr.insert(0, parse_xml(f'<w:tabs {nsdecls("w")}><w:tab w:val="center" w:pos="{stop}"/></w:tabs>'))
    name.find(qn("w:r")).addprevious(parse_xml(f'<w:r {nsdecls("w")}><w:tab/></w:r>'))
    tbl.addnext(name)
    for p in paras[2:-1]:
        name.addprevious(p)



def catalogue_with_old_merges(doc: Any) -> None:
    """The catalogue's group rows merged across with Word's older w:hMerge cells instead of gridSpan,
    and the vertical merge's continuing cell written with its explicit val="continue"."""
    tbl = doc.tables[2]._tbl
    for tc in list(tbl.iter(qn("w:tc"))):
        pr = tc.find(qn("w:tcPr"))
        span = pr.find(qn("w:gridSpan"))
        vm = pr.find(qn("w:vMerge"))
        if vm is not None and vm.get(qn("w:val")) is None:
            vm.set(qn("w:val"), "continue")
        if span is None:
            continue
        n = int(span.get(qn("w:val")))
        pr.remove(span)
        pr.append(parse_xml(f'<w:hMerge {nsdecls("w")} w:val="restart"/>'))
        for _ in range(n - 1):
            tc.addnext(parse_xml(f'<w:tc {nsdecls("w")}><w:tcPr><w:tcW w:w="0" w:type="auto"/><w:hMerge/></w:tcPr>'
                                 '<w:p/></w:tc>'))



def signature_with_tab_stops(doc: Any) -> None:
    """The signature table replaced by lines: "Nơi nhận:" then a tab to a centre stop in the middle
    of the former right column and the authority; recipients typed from the left, the next title
    after a tab beside the first recipient; the name after a tab under the signature space."""
    tbl = doc.tables[1]._tbl
    left, right = (tc.findall(qn("w:p")) for tc in tbl.findall(f"{qn('w:tr')}/{qn('w:tc')}"))
    widths = [int(tc.find(f"{qn('w:tcPr')}/{qn('w:tcW')}").get(qn("w:w")))
              for tc in tbl.findall(f"{qn('w:tr')}/{qn('w:tc')}")]
    stop = widths[0] + widths[1] // 2
    tab = f'<w:r {nsdecls("w")}><w:tab/></w:r>'
    rows = [(left[0], right[0]), (left[1], right[1]), (left[2], None), (left[3], None), (None, right[2]),
            (None, right[3]), (None, right[4]), (None, right[5])]
    made = []
    for a, b in rows:
        base = a if a is not None else b
        p = parse_xml(f'<w:p {nsdecls("w")}/>')
        ppr = copy.deepcopy(base.find(qn("w:pPr")))
        ppr.find(qn("w:jc")).set(qn("w:val"), "left")
        ppr.insert(0, parse_xml(f'<w:tabs {nsdecls("w")}><w:tab w:val="center" w:pos="{stop}"/></w:tabs>'))
        p.append(ppr)
        for r in a.findall(qn("w:r")) if a is not None else ():
            p.append(r)
        if b is not None and b.findall(qn("w:r")):
            p.append(parse_xml(tab))
            for r in b.findall(qn("w:r")):
                p.append(r)
        made.append(p)
    for p in made:
        tbl.addprevious(p)
    tbl.getparent().remove(tbl)



def fonts_from_the_theme(doc: Any) -> None:
    """Times New Roman named once, as the theme's body font (theme1.xml), and taken by the document
    defaults through w:asciiTheme="minorHAnsi": no run names a face."""
    from lxml import etree

    fonts_from_document_defaults(doc)
    rfonts = doc.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
    for slot in ("ascii", "hAnsi", "cs", "eastAsia"):
        rfonts.attrib.pop(qn(f"w:{slot}"), None)
    for attr in ("asciiTheme", "hAnsiTheme"):
        rfonts.set(qn(f"w:{attr}"), "minorHAnsi")
    rfonts.set(qn("w:cstheme"), "minorBidi")
    theme = next(r.target_part for r in doc.part.rels.values() if r.reltype.endswith("/theme"))
    root = etree.fromstring(theme.blob)
    a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    for kind in ("majorFont", "minorFont"):
        for script in ("latin", "cs"):
            root.find(f".//{{{a}}}{kind}/{{{a}}}{script}").set("typeface", "Times New Roman")
    theme._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def issuer_line_as_border(doc: Any) -> None:
    """The line under the issuer's name as the bottom border of its last line, as long as the drawn
    line by the paragraph's indents (the empty paragraph that held the shape is gone)."""
    left = _cell_paras(doc, 0, 0)
    spacer = left[3]
    anchor = next(spacer.iter(f"{{{WP}}}anchor"))
    length = int(anchor.find(f"{{{WP}}}extent").get("cx")) / EMU * 20
    width = int(doc.tables[0]._tbl.find(f"{qn('w:tr')}/{qn('w:tc')}/{qn('w:tcPr')}/{qn('w:tcW')}").get(qn("w:w")))
    # The indents leave the text its room: narrower than its words, the paragraph would print
    # them on more lines ("VÀ THỂ" / "THAO"), another page.
    from generator.word.metrics import text_width_pt

    words = text_width_pt("".join(t.text or "" for t in left[2].iter(qn("w:t"))), 13, bold=True) * 20
    side = int((width - 216 - max(length, words + 20)) / 2)
    spacer.getparent().remove(spacer)
    ppr = left[2].find(qn("w:pPr"))
    ppr.find(qn("w:spacing")).addprevious(parse_xml(
        f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="6" w:space="1" w:color="auto"/></w:pBdr>'))
    ppr.find(qn("w:jc")).addprevious(parse_xml(f'<w:ind {nsdecls("w")} w:left="{side}" w:right="{side}"/>'))



def tieu_ngu_underlined(doc: Any) -> None:
    """The line under the Tiêu ngữ as the text's own underline (Ctrl+U) instead of a drawn line."""
    tn, _ = _tieu_ngu_line(doc)
    for rpr in tn.iter(qn("w:rPr")):
        rpr.find(qn("w:sz")).addnext(parse_xml(f'<w:u {nsdecls("w")} w:val="single"/>'))  # u follows sz


ENCODINGS: dict[str, Callable[[Any], None]] = {
    "quoc-hieu-tieu-ngu-mot-doan": quoc_hieu_and_tieu_ngu_in_one_paragraph,
    "co-quan-mot-doan": issuer_lines_in_one_paragraph,
    "quoc-hieu-tieu-ngu-day-bang-dau-cach": quoc_hieu_and_tieu_ngu_pushed_by_spaces,
    "co-quan-day-bang-dau-cach": issuer_lines_pushed_by_spaces,
    "noi-nhan-mot-doan": noi_nhan_in_one_paragraph,
    "chuc-vu-mot-doan": signer_titles_in_one_paragraph,
    "noi-nhan-dau-hai-cham-rieng": colon_in_a_run_of_its_own,
    "moi-tu-mot-run": one_run_per_word,
    "phong-chu-mac-dinh": fonts_from_document_defaults,
    "danh-so-tu-dong": automatic_numbering,
    "dinh-dang-bang-kieu": formatting_from_styles,
    "khoang-trang-cung": non_breaking_spaces,
    "gach-noi-dai": dashes_in_lists,
    "tab-thay-dau-cach": tabs_for_spaces,
    "kieu-ky-tu": character_styles,
    "co-chu-mac-dinh": size_from_document_defaults,
    "trich-yeu-mot-doan": trich_yeu_one_paragraph,
    "tieu-ngu-vien-doan": tieu_ngu_line_as_border,
    "tieu-ngu-duong-ke-tu-le-trang": tieu_ngu_line_from_the_margin,
    "tieu-ngu-gach-duoi": tieu_ngu_line_as_underscores,
    "tieu-ngu-gach-chan": tieu_ngu_underlined,
    "tieu-ngu-duong-ke-tu-dau-trang": tieu_ngu_line_from_the_page_top,
    "phan-dau-trong-khung": header_in_text_boxes,
    "phan-dau-diem-dung-tab": header_with_tab_stops,
    "phan-ky-trong-khung": signature_in_text_boxes,
    "ho-ten-duoi-bang": signer_name_under_the_table,
    "phan-ky-diem-dung-tab": signature_with_tab_stops,
    "phong-chu-theo-theme": fonts_from_the_theme,
    "co-quan-vien-doan": issuer_line_as_border,
    "bang-gop-o-kieu-cu": catalogue_with_old_merges,
}


def _findings(path: Path) -> list[tuple[str, str, str]]:
    report = check_docx(path)
    return sorted((r.rule, r.status, r.severity) for r in report.results)


@pytest.fixture(scope="module")
def plain(tmp_path_factory) -> tuple[Path, list[tuple[str, str, str]], dict[str, Any]]:
    path = _plain(tmp_path_factory.mktemp("plain") / "plain.docx")
    return path, _findings(path), import_docx(path).data


@pytest.mark.parametrize("name", list(ENCODINGS))
def test_same_page_other_encoding_reads_the_same(plain, tmp_path, name):
    path, findings, data = plain
    doc = docx.Document(str(path))
    before = doc.element.xml + doc.styles.element.xml
    ENCODINGS[name](doc)
    assert doc.element.xml + doc.styles.element.xml != before  # the encoding really changed
    other = tmp_path / f"{name}.docx"
    doc.save(str(other))
    assert _findings(other) == findings
    assert import_docx(other).data == data


def test_the_style_encoding_moves_the_formatting(plain):
    doc = docx.Document(str(plain[0]))
    formatting_from_styles(doc)
    styled = [p for p in doc.element.body.iterchildren(qn("w:p"))
              if p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}") is not None]
    assert len(styled) >= 8
    assert not any(r.find(qn("w:rPr")) is not None for p in styled for r in p.findall(qn("w:r")))


def test_the_plain_encoding_is_read_whole(plain):
    """The reference itself is read completely, so equal findings mean something."""
    path, findings, data = plain
    doc = read_docx(path)
    assert doc.not_administrative is None
    assert [p.text for p in doc.issuer_lines] == ["SỞ VĂN HÓA", "VÀ THỂ THAO"]
    assert doc.quoc_hieu is not None and doc.tieu_ngu is not None and doc.tieu_ngu is not doc.quoc_hieu
    assert [s["title"] for s in data["sections"]] == ["Mục đích, yêu cầu", "Tổ chức thực hiện"]
    assert [b["text"] for b in data["sections"][0]["blocks"]][:2] == [
        "Khuyến khích người dân rèn luyện thân thể mỗi ngày.", "Bảo đảm an toàn cho người tham gia giải chạy."]
    assert data["agency"]["name"] == ["Sở Văn hóa", "và Thể thao"]
    assert len(data["recipients"]) == 2 and data["archive"] == ["VT", "VP"]
    assert ("PL1.III.1.quoc-hieu.co-chu", "pass", "error") in findings
    assert ("PL1.III.9.noi-nhan.hinh-thuc", "pass", "error") in findings
    assert ("PL1.III.1.tieu-ngu.duong-ke", "pass", "error") in findings  # its line is found
    assert [p.text for p in doc.subject_lines] == list(SUBJECT)
    table = data["appendices"][0]["table"]  # the catalogue's groups and merged cell are read
    assert [g["group"] for g in table["rows"]] == ["Công tác chuẩn bị", "Tổ chức giải"], table
    assert table["rows"][0]["rows"][0][1] == {"text": "Phòng Thể thao", "rowspan": 2}
    assert ("PL1.IV.phu-luc.nhom-nhiem-vu", "pass", "warning") in findings
    assert ("PL1.III.7.tham-quyen.hinh-thuc", "pass", "error") in findings


def test_a_line_keeps_its_own_formatting_and_the_paragraph_its_spacing(tmp_path):
    """Quốc hiệu (13 pt) and Tiêu ngữ (14 pt) in one paragraph: two lines, each with its runs; the
    space before belongs to the first line only."""
    path = _plain(tmp_path / "p.docx")
    doc = docx.Document(str(path))
    quoc_hieu_and_tieu_ngu_in_one_paragraph(doc)
    doc.tables[0].rows[0].cells[1].paragraphs[0].paragraph_format.space_before = docx.shared.Pt(6)
    doc.save(str(path))
    read = read_docx(path)
    qh, tn = read.quoc_hieu, read.tieu_ngu
    assert qh is not None and tn is not None
    assert qh.paragraph is tn.paragraph and (qh.line_no, tn.line_no) == (0, 1)
    assert {r.fmt.size for r in qh.runs} == {13} and {r.fmt.size for r in tn.runs} == {14}
    assert qh.fmt is not None and tn.fmt is not None and (qh.fmt.before, tn.fmt.before) == (120, 0)


def test_a_page_break_is_not_a_line_break(tmp_path):
    path = _plain(tmp_path / "p.docx")
    doc = docx.Document(str(path))
    body = doc.element.body
    p = next(p for p in body.iter(qn("w:p")) if "".join(t.text or "" for t in p.iter(qn("w:t"))).startswith("2. Bảo"))
    run = copy.deepcopy(p.find(qn("w:r")))
    for child in list(run):
        if child.tag != qn("w:rPr"):
            run.remove(child)
    run.append(parse_xml(f'<w:br {nsdecls("w")} w:type="page"/>'))
    p.find(qn("w:r")).addprevious(run)
    doc.save(str(path))
    read = read_docx(path)
    hits = [q for q in read.paragraphs if "Bảo đảm an toàn" in q.text]
    assert len(hits) == 1 and hits[0].text.startswith("2. Bảo đảm")


# --- our own render read back ------------------------------------------------------------------------


def test_own_render_with_a_trich_yeu_of_several_capital_lines_has_no_error(tmp_path):
    text = FULL.read_text(encoding="utf-8")
    before = "  - Thực hiện chương trình chuyển đổi số\n  - trong các cơ quan hành chính năm 2026\n"
    assert before in text
    caps = ("  - THỰC HIỆN CHƯƠNG TRÌNH CHUYỂN ĐỔI SỐ\n  - TRONG CÁC CƠ QUAN HÀNH CHÍNH\n"
            "  - TỈNH HÒA BÌNH XANH NĂM 2026\n")
    data = tmp_path / "caps.yaml"
    data.write_text(text.replace(before, caps), encoding="utf-8")
    out = render_file(data, tmp_path / "caps.docx")
    read = read_docx(out)
    assert [p.text for p in read.subject_lines] == [
        "THỰC HIỆN CHƯƠNG TRÌNH CHUYỂN ĐỔI SỐ", "TRONG CÁC CƠ QUAN HÀNH CHÍNH", "TỈNH HÒA BÌNH XANH NĂM 2026"]
    report = check_docx(out)
    assert report.errors == [], report.to_table()
    line = [r for r in report.results if r.rule == "PL1.III.5.trich-yeu.duong-ke"]
    assert [r.status for r in line] == ["pass"]


# --- the real plans: one recogniser of appendices --------------------------------------------------


PLANS = sorted((CORPUS / "ke-hoach").glob("*.docx")) if (CORPUS / "ke-hoach").is_dir() else []


@pytest.mark.skipif(not PLANS, reason="corpus not present")
def test_check_and_import_find_the_same_appendices_in_every_real_plan():
    differ = {}
    for path in PLANS:
        doc = read_docx(path)
        data = _Importer(doc).read()
        found = [a.heading.text for a in doc.appendices]
        imported = [a.get("title") for a in data.get("appendices", [])]
        if len(found) != len(imported):
            differ[path.name] = (found, imported)
    assert differ == {}


# --- what Word prints: an entry of Nơi nhận broken by hand ------------------------------------------


def _noi_nhan_form(tmp_path: Path, recipients: tuple[str, ...]) -> str:
    path = build_plan(tmp_path / "nn.docx", body=BODY, recipients=recipients)
    return next(r.status for r in check_docx(path).results if r.rule == "PL1.III.9.noi-nhan.hinh-thuc")


def test_a_recipient_broken_onto_two_lines_by_hand_is_one_entry(tmp_path):
    """Enter before the column's end prints like a wrapped line: the entry closes with ";" on its
    second line, and the importer keeps it as one recipient."""
    broken = ("- Ủy ban nhân dân tỉnh, Ban Thường trực", "Ủy ban Mặt trận Tổ quốc tỉnh;",
              "- Các phòng thuộc Sở;", "- Lưu: VT, VP.")
    assert _noi_nhan_form(tmp_path, broken) == "pass"
    data = import_docx(tmp_path / "nn.docx").data
    assert data["recipients"][0] == "Ủy ban nhân dân tỉnh, Ban Thường trực Ủy ban Mặt trận Tổ quốc tỉnh"


def test_a_recipient_without_its_dash_after_a_closed_entry_is_still_wrong(tmp_path):
    assert _noi_nhan_form(tmp_path, ("- Ủy ban nhân dân tỉnh;", "Các phòng thuộc Sở;", "- Lưu: VT, VP.")) == "fail"


@pytest.mark.parametrize("spacing, before", [
    ('w:before="120"', 120),
    ('w:beforeAutospacing="1" w:before="0"', 280),  # pasted from a web page: "Auto" prints 14 pt
    ('w:beforeLines="50" w:before="0"', 120),  # half a line: lines win over points
])
def test_space_before_as_word_prints_it(tmp_path, spacing, before):
    path = _plain(tmp_path / "p.docx")
    doc = docx.Document(str(path))
    p = next(p for p in doc.element.body.iterchildren(qn("w:p"))
             if "".join(t.text or "" for t in p.iter(qn("w:t"))).startswith("2. Bảo"))
    ppr = p.get_or_add_pPr()
    ppr.remove(ppr.find(qn("w:spacing")))
    ppr.insert(0, parse_xml(f'<w:spacing {nsdecls("w")} {spacing}/>'))
    doc.save(str(path))
    para = next(q for q in read_docx(path).paragraphs if q.text.startswith("2. Bảo"))
    assert para.fmt is not None and para.fmt.before == before


@pytest.mark.parametrize("how", ["paragraphs", "line-break"])
def test_a_quoc_hieu_broken_onto_two_lines_is_found_and_flagged(tmp_path, how):
    """Broken by hand in a narrow column, the Quốc hiệu is still the Quốc hiệu (the import reads the
    plan as before) but it is not on one line (the checker says so, and only that changes)."""
    plain_path = _plain(tmp_path / "plain.docx")
    path = _plain(tmp_path / "qh.docx", header=Header(
        issuer=("SỞ VĂN HÓA", "VÀ THỂ THAO"), quoc_hieu="CỘNG HÒA XÃ HỘI CHỦ NGHĨA\nVIỆT NAM"))
    if how == "paragraphs":  # the break typed as Enter: two paragraphs
        doc = docx.Document(str(path))
        p = _cell_paras(doc, 0, 1)[0]
        second = copy.deepcopy(p)
        for r in p.findall(qn("w:r")):
            for br in r.findall(qn("w:br")):
                parent = br.getparent()
                cut = list(parent).index(br)
                for child in list(parent)[cut:]:
                    parent.remove(child)
        for r in second.findall(qn("w:r")):
            br = r.find(qn("w:br"))
            if br is not None:
                for child in list(r):
                    if child.tag != qn("w:rPr"):
                        r.remove(child)
                        if child is br:
                            break
        p.addnext(second)
        doc.save(str(path))
    read = read_docx(path)
    assert read.quoc_hieu is not None and read.quoc_hieu.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert [p.text for p in read.quoc_hieu_lines] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA", "VIỆT NAM"]
    assert import_docx(path).data == import_docx(plain_path).data
    changed = set(_findings(path)) ^ set(_findings(plain_path))
    assert changed == {("PL1.III.1.quoc-hieu.mot-dong", "pass", "error"),
                       ("PL1.III.1.quoc-hieu.mot-dong", "fail", "error")}


def _tab_set_quoc_hieu(path: Path, half_points: int) -> Path:
    """The plain plan with its header set with tab stops and the Quốc hiệu at the given size."""
    _plain(path)
    doc = docx.Document(str(path))
    header_with_tab_stops(doc)
    for r in doc.element.body.iter(qn("w:r")):
        if "CỘNG HÒA" in "".join(t.text or "" for t in r.iter(qn("w:t"))):
            r.find(qn("w:rPr")).find(qn("w:sz")).set(qn("w:val"), str(half_points))
    doc.save(str(path))
    return path


def _printed_first_lines(path: Path) -> list[str] | None:
    """The first printed lines of page 1 as LibreOffice lays them out; None without soffice."""
    import shutil
    import subprocess

    if shutil.which("soffice") is None or shutil.which("pdftotext") is None:
        return None
    subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{path.parent}/lo",
                    "--convert-to", "pdf", "--outdir", str(path.parent), str(path)], capture_output=True, timeout=180)
    text = subprocess.run(["pdftotext", "-layout", "-l", "1", str(path.with_suffix(".pdf")), "-"],
                          capture_output=True, text=True).stdout
    return [line.strip() for line in text.splitlines() if line.strip()][:3]


@pytest.mark.parametrize("half_points, one_line", [(26, True), (28, True), (30, False)])
def test_a_quoc_hieu_at_a_centre_tab_stop_moves_left_before_it_wraps(tmp_path, half_points, one_line):
    """A Quốc hiệu set at a centre tab stop near the right margin (the header typed with tab stops) is
    wider than twice the room its stop leaves on its right; Word (and LibreOffice) move it left to keep
    it inside the margin, so at 13 and 14 pt it prints on one line after "UBND TỈNH SÔNG MÂY". At
    15 pt it no longer fits between that text and the margin and wraps: the rule fires."""
    path = _tab_set_quoc_hieu(tmp_path / f"qh{half_points}.docx", half_points)
    lines = _printed_first_lines(path)
    if lines is not None:
        assert lines[0].endswith("VIỆT NAM") is one_line, lines
    status = [r.status for r in check_docx(path).results if r.rule == "PL1.III.1.quoc-hieu.mot-dong"]
    assert status == ["pass" if one_line else "fail"]
