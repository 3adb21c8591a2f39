"""Issue 22: layouts no corpus file shows, read as the printed page shows them.

Each test builds a plain plan (tests/word_fixtures.build_plan), re-lays one part of it the way some
offices do, and compares `check` and `import` with the plain plan: the same unless the printed page
differs, and then only where it differs. Every sentence here is our own.
"""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm

from generator.check import check_docx
from generator.jobs.importer import import_docx
from generator.jobs.issue import render_file
from generator.plan.loader import load_plan
from generator.plan.tasks import plan_tasks, split_units
from generator.recognise import read_docx
from generator.word.metrics import text_width_pt
from generator.plan.name_case import heading_case
from generator.text import upper_vi
from tests.word_fixtures import WPS_NS, WordTable, add_para, build_plan

BODY = [
    {"text": "I. MỤC ĐÍCH, YÊU CẦU", "bold": True},
    "1. Khuyến khích người dân rèn luyện thân thể mỗi ngày.",
    "2. Bảo đảm an toàn cho người tham gia giải chạy.",
    {"text": "II. TỔ CHỨC THỰC HIỆN", "bold": True},
    "Các phòng thuộc Sở triển khai thực hiện nghiêm túc Kế hoạch này./.",
]

APPENDIX = [
    {"text": "PHỤ LỤC", "bold": True, "align": "center"},
    {"text": "DANH MỤC CÁC GIẢI CHẠY NĂM 2026", "bold": True, "align": "center"},
    {"text": "(Kèm theo Kế hoạch số      /KH-SVHTT ngày    tháng    năm 2026 của Sở Văn hóa và Thể thao)",
     "italic": True, "align": "center"},
    WordTable([["STT", "Nội dung", "Thời gian"], ["1", "Giải chạy mùa xuân", "Tháng 3"]], [1.5, 9, 4]),
]


def _findings(path: Path) -> dict[str, tuple[str, str]]:
    return {r.rule: (r.status, r.measured) for r in check_docx(path).results}


@pytest.fixture(scope="module")
def plain(tmp_path_factory) -> tuple[Path, dict[str, tuple[str, str]], dict[str, Any]]:
    path = build_plan(tmp_path_factory.mktemp("plain") / "plain.docx", body=BODY, appendices=[APPENDIX])
    return path, _findings(path), import_docx(path).data


def _variant(plain_path: Path, tmp_path: Path, change: Any, name: str) -> Path:
    doc = docx.Document(str(plain_path))
    change(doc)
    out = tmp_path / f"{name}.docx"
    doc.save(str(out))
    return out


def _differences(a: dict[str, tuple[str, str]], b: dict[str, tuple[str, str]]) -> dict[str, Any]:
    """The rules whose verdict differs (what they measured may differ where the page does)."""
    return {k: (a.get(k), b.get(k)) for k in set(a) | set(b) if (a.get(k) or ("",))[0] != (b.get(k) or ("",))[0]}


# --- the tên loại and trích yếu typed in the header table's last row ---------------------------------


def _title_in_header_row(doc: Any, line: str) -> None:
    """The tên loại and trích yếu moved into a last row of the header table merged across it; the
    line under them drawn as that row's bottom border ("border"), as a shape anchored in the
    paragraph right under the table ("below"), or in the row itself ("in-cell")."""
    body = doc.element.body
    tbl = body.find(qn("w:tbl"))
    title, subject, gap = tbl.getnext(), tbl.getnext().getnext(), tbl.getnext().getnext().getnext()
    width = sum(int(g.get(qn("w:w"))) for g in tbl.iter(qn("w:gridCol")))
    row = parse_xml(f'<w:tr {nsdecls("w")}><w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>'
                    '<w:gridSpan w:val="2"/></w:tcPr></w:tc></w:tr>')
    tbl.append(row)
    cell = row.find(qn("w:tc"))
    cell.append(title)
    cell.append(subject)
    if line == "border":
        shape = gap.find(f"{qn('w:r')}/{qn('w:drawing')}").getparent()
        gap.remove(shape)
        cell.find(qn("w:tcPr")).append(parse_xml(
            f'<w:tcBorders {nsdecls("w")}><w:bottom w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
            "</w:tcBorders>"))
    elif line == "in-cell":
        cell.append(gap)


@pytest.mark.parametrize("line", ["below", "in-cell", "border"])
def test_the_trich_yeu_line_under_a_header_row_is_found(plain, tmp_path, line):
    path, findings, data = plain
    other = _variant(path, tmp_path, lambda d: _title_in_header_row(d, line), line)
    got = _findings(other)
    assert import_docx(other).data == data
    rule = "PL1.III.5.trich-yeu.duong-ke"
    if line == "border":
        # The page shows a line as wide as the table: found, and its length judged (it is too long).
        assert got[rule][0] == "fail" and got[rule][1].startswith("viền dưới ô bảng"), got[rule]
        del got[rule]
        assert _differences(findings, got) == {rule: (findings[rule], None)}
    else:
        assert got[rule][0] == "pass", got[rule]
        assert _differences(findings, got) == {}


# --- appendix titles printed in capitals ------------------------------------------------------------


@pytest.mark.parametrize(("printed", "stored"), [("PHỤ LỤC", "Phụ lục"), ("PHỤ LỤC SỐ 02", "Phụ lục số 02"),
                                                 ("DANH MỤC", "Danh mục"), ("Phụ lục 2", "Phụ lục 2")])
def test_an_appendix_title_is_stored_as_decree_30_writes_it(tmp_path, printed, stored):
    appendix = [{**APPENDIX[0], "text": printed}, *APPENDIX[1:]]
    path = build_plan(tmp_path / "p.docx", body=BODY, appendices=[appendix])
    (app,) = import_docx(path).data["appendices"]
    assert app["title"] == stored
    # Rendered again, the title prints as the original printed it.
    data = tmp_path / "p.yaml"
    data.write_text(yaml.safe_dump(import_docx(path).data, allow_unicode=True), encoding="utf-8")
    out = render_file(data, tmp_path / "again.docx")
    assert printed in [p.text for p in read_docx(out).paragraphs]


# --- a Chủ trì cell: one wrapped name or a list of units, told by the page --------------------------


def test_lead_units_are_told_by_the_page_not_by_their_kind(tmp_path):
    """Units whose kind no list foresees ("Hợp tác xã", "Nhà văn hóa", "Khu") are units of their own
    when the drafter pressed Enter after a whole name with room left on the line; a line that goes
    on in lower case, or after "và", or after a line that filled the column, is the same name."""
    rows = [
        ["STT", "Nhiệm vụ", "Chủ trì", "Thời gian"],
        ["1", "Vận động hội viên", "Hợp tác xã Thành Công\nNhà văn hóa xã", "Tháng 2"],
        ["2", "Trang trí đường chạy", "Khu dân cư số 3\nĐoàn thanh niên xã", "Tháng 3"],
        ["3", "Bảo đảm trật tự", "Ủy ban nhân dân\nphường Bắc Sơn", "Tháng 3"],
        ["4", "Tập huấn trọng tài", "Sở Giáo dục và\nĐào tạo", "Tháng 4"],
        # 4 cm at 12 pt: "Ban Quản lý Vịnh Hạ" fills the column, "Long" would not fit on it.
        ["5", "Chuẩn bị khu nghỉ", "Ban Quản lý Vịnh Hạ\nLong Xanh", "Tháng 5"],
    ]
    app = [*APPENDIX[:3], WordTable(rows=rows, widths=[1.2, 7.5, 4.0, 3.3])]
    path = build_plan(tmp_path / "p.docx", body=BODY, appendices=[app])
    data = tmp_path / "p.yaml"
    data.write_text(yaml.safe_dump(import_docx(path).data, allow_unicode=True), encoding="utf-8")
    leads = [t.leads for t in plan_tasks(load_plan(data))]
    assert leads == [
        ("Hợp tác xã Thành Công", "Nhà văn hóa xã"),
        ("Khu dân cư số 3", "Đoàn thanh niên xã"),
        ("Ủy ban nhân dân phường Bắc Sơn",),
        ("Sở Giáo dục và Đào tạo",),
        ("Ban Quản lý Vịnh Hạ Long Xanh",),
    ]
    assert 0.85 * 110 < text_width_pt("Ban Quản lý Vịnh Hạ", 12) < 110  # the column: 4 of 16 cm, less margins


def test_a_full_line_goes_on_and_a_short_one_ends_the_name():
    room = text_width_pt("Khu du lịch Vịnh Hạ Long", 12) + 2
    assert split_units("Khu du lịch Vịnh Hạ Long\nXanh", room) == ("Khu du lịch Vịnh Hạ Long Xanh",)
    assert split_units("Khu du lịch Vịnh\nXanh", room) == ("Khu du lịch Vịnh", "Xanh")
    # A name that began with a kind of body stays whole (below).
    assert split_units("Ban Quản lý Vịnh\nXanh", room) == ("Ban Quản lý Vịnh Xanh",)
    # Without a width nothing tells: as typed, one name (a known kind still starts a unit).
    assert split_units("Ban Quản lý Vịnh\nXanh") == ("Ban Quản lý Vịnh Xanh",)
    assert split_units("Ban Quản lý Vịnh\nSở Y tế") == ("Ban Quản lý Vịnh", "Sở Y tế")


@pytest.mark.parametrize("cell", ["Hội Liên hiệp\nPhụ nữ tỉnh", "Bộ Chỉ huy\nQuân sự tỉnh",
                                  "Trung tâm Phục vụ\nHành chính công tỉnh", "Ủy ban Mặt trận Tổ quốc\nViệt Nam tỉnh"])
@pytest.mark.parametrize("cm", [2.5, 3.0, 4.0, 5.0, 7.0])
def test_a_name_that_began_with_a_kind_is_not_ended_by_a_short_line(cell, cm):
    # Drafters break such names where they like: at any column width the cell names one unit.
    room = cm / 2.54 * 72 - 10.8
    assert split_units(cell, room) == (cell.replace("\n", " "),)


# --- re-layouts of the same page: import and check as for the plain plan -----------------------------


def _text(el: Any) -> str:
    return "".join(t.text or "" for t in el.iter(qn("w:t")))


def _body_paragraph(doc: Any, start: str) -> Any:
    return next(p for p in doc.element.body.iter(qn("w:p")) if _text(p).startswith(start))


def _retype(p: Any, text: str) -> None:
    """A paragraph's text replaced, its first run's formatting kept."""
    for t in p.iter(qn("w:t")):
        t.text = ""
    p.find(f".//{qn('w:t')}").text = text


def _draft_line(doc: Any) -> None:
    """"DỰ THẢO" typed on a line of its own above the header table, set right."""
    doc.element.body.find(qn("w:tbl")).addprevious(
        add_para(doc, [("b", "DỰ THẢO")], align="right", size=13, before=0)._p)


def _draft_box(doc: Any) -> None:
    """"Dự thảo lần 2" in a bordered box (a paragraph with borders all round, indented right)."""
    p = add_para(doc, [("b", "Dự thảo lần 2")], align="center", size=13, before=0)
    p.paragraph_format.left_indent = Cm(13)
    p._p.get_or_add_pPr().append(parse_xml(
        f'<w:pBdr {nsdecls("w")}>' + "".join(f'<w:{e} w:val="single" w:sz="4" w:space="1" w:color="auto"/>'
                                             for e in ("top", "left", "bottom", "right")) + "</w:pBdr>"))
    doc.element.body.find(qn("w:tbl")).addprevious(p._p)


def _draft_text_box(doc: Any) -> None:
    """"DỰ THẢO" in a text box placed from the page's top right corner, anchored in a header cell."""
    cell_p = doc.element.body.find(qn("w:tbl")).find(qn("w:tr")).findall(qn("w:tc"))[1].find(qn("w:p"))
    inner = ('<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:rFonts w:ascii="Times New Roman" '
             'w:hAnsi="Times New Roman"/><w:b/><w:sz w:val="26"/></w:rPr><w:t>DỰ THẢO</w:t></w:r></w:p>')
    cx, cy = 30 * 36000, 8 * 36000
    cell_p.append(parse_xml(
        f'<w:r {nsdecls("w", "wp", "a")} xmlns:wps="{WPS_NS}"><w:drawing><wp:anchor distT="0" distB="0" '
        'distL="0" distR="0" simplePos="0" relativeHeight="3" behindDoc="0" locked="0" layoutInCell="1" '
        'allowOverlap="1"><wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="page"><wp:posOffset>'
        f'{160 * 36000}</wp:posOffset></wp:positionH><wp:positionV relativeFrom="page"><wp:posOffset>{8 * 36000}'
        f'</wp:posOffset></wp:positionV><wp:extent cx="{cx}" cy="{cy}"/><wp:wrapNone/><wp:docPr id="77" '
        f'name="Text Box 77"/><a:graphic><a:graphicData uri="{WPS_NS}"><wps:wsp><wps:cNvSpPr txBox="1"/>'
        f'<wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect">'
        f'<a:avLst/></a:prstGeom></wps:spPr><wps:txbx><w:txbxContent>{inner}</w:txbxContent></wps:txbx>'
        "<wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>"))


@pytest.mark.parametrize("mark", [_draft_line, _draft_box, _draft_text_box], ids=["line", "box", "text-box"])
def test_a_draft_marker_is_no_part_of_the_plan(plain, tmp_path, mark):
    path, findings, data = plain
    other = _variant(path, tmp_path, mark, mark.__name__)
    result = import_docx(other)
    assert result.data == data
    assert not [n for n in result.warnings if "THẢO" in upper_vi(n.excerpt)], result.warnings
    assert _differences(findings, _findings(other)) == {}
    assert [upper_vi(p.text) for p in read_docx(other).draft_marks] in (["DỰ THẢO"], ["DỰ THẢO LẦN 2"])


def _grounds_before_the_title(doc: Any) -> None:
    title = doc.element.body.find(qn("w:tbl")).getnext()
    for text in ("Căn cứ Luật Thể dục, thể thao ngày 29 tháng 11 năm 2006;",
                 "Căn cứ Quyết định số 12/QĐ-UBND ngày 05/01/2026 của Ủy ban nhân dân tỉnh;"):
        title.addprevious(add_para(doc, [("i", text)], size=14, first=Cm(1.27))._p)


def test_grounds_printed_before_the_title_are_imported_as_grounds(plain, tmp_path):
    """Some Ủy ban plans print their "Căn cứ …" lines between the header and KẾ HOẠCH: they were
    dropped without a word; they are the plan's grounds."""
    path, findings, data = plain
    other = _variant(path, tmp_path, _grounds_before_the_title, "can-cu")
    got = import_docx(other).data
    assert got.pop("grounds") == ["Căn cứ Luật Thể dục, thể thao ngày 29 tháng 11 năm 2006;",
                                  "Căn cứ Quyết định số 12/QĐ-UBND ngày 05/01/2026 của Ủy ban nhân dân tỉnh;"]
    assert got == data
    assert _differences(findings, _findings(other)) == {}


def test_three_header_lines_give_two_parents_each_cased_alone(plain, tmp_path):
    """UBND TỈNH … / SỞ … / PHÒNG …: the two parent lines are two names, each cased as Phụ lục II
    writes it (the Sở's name was cased as the rest of the province's and came out "sở văn hóa")."""
    def three_lines(doc: Any) -> None:
        left = doc.element.body.find(qn("w:tbl")).find(qn("w:tr")).find(qn("w:tc"))
        parent, issuer = left.findall(qn("w:p"))[:2]
        second = parse_xml(etree_tostring(parent))
        _retype(second, "SỞ VĂN HÓA VÀ THỂ THAO")
        parent.addnext(second)
        _retype(issuer, "PHÒNG QUẢN LÝ THỂ THAO")

    path, findings, data = plain
    other = _variant(path, tmp_path, three_lines, "ba-dong")
    agency = import_docx(other).data["agency"]
    assert agency["parent"] == ["UBND tỉnh Sông Mây", "Sở Văn hóa và Thể thao"]
    assert " ".join(agency["name"].split()) == "Phòng Quản lý thể thao"  # wrapped in its column as printed
    assert _differences(findings, _findings(other)) == {}


def etree_tostring(el: Any) -> str:
    from lxml import etree

    return etree.tostring(el, encoding="unicode")


def _reference_in_a_table(doc: Any) -> None:
    """The appendix's "(Kèm theo …)" line, in italics, set in a one-cell table under its name."""
    ref = next(p for p in doc.element.body.iter(qn("w:p")) if _text(p).startswith("(Kèm theo"))
    box = parse_xml(f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblW w:w="9000" w:type="dxa"/><w:jc w:val="center"/>'
                    '</w:tblPr><w:tblGrid><w:gridCol w:w="9000"/></w:tblGrid><w:tr><w:tc><w:tcPr>'
                    '<w:tcW w:w="9000" w:type="dxa"/></w:tcPr></w:tc></w:tr></w:tbl>')
    ref.addprevious(box)
    box.find(f".//{qn('w:tc')}").append(ref)


def test_an_appendix_reference_line_in_a_table_is_its_reference_line(plain, tmp_path):
    path, findings, data = plain
    other = _variant(path, tmp_path, _reference_in_a_table, "kem-theo-trong-bang")
    assert import_docx(other).data == data
    assert _differences(findings, _findings(other)) == {}
    (app,) = read_docx(other).appendices
    assert app.reference is not None and app.reference.text.startswith("(Kèm theo")


@pytest.mark.parametrize("heading", ["Biểu mẫu số 01", "Mẫu số 01", "BIỂU 1", "BIỂU MẪU SỐ 02"])
def test_an_appendix_headed_as_a_form_is_an_appendix(plain, tmp_path, heading):
    path, findings, data = plain
    other = _variant(path, tmp_path, lambda d: _retype(
        next(p for p in d.element.body.iter(qn("w:p")) if _text(p) == "PHỤ LỤC"), heading), "bieu")
    got = import_docx(other).data
    (app,) = got["appendices"]
    assert app.pop("title") == heading_case(heading) and app.pop("upper", True) == (upper_vi(heading) == heading)
    assert {k: v for k, v in data["appendices"][0].items() if k != "title"} == app
    assert _differences(findings, _findings(other)) == {}


def _signature_paragraphs(doc: Any) -> tuple[Any, list[Any], list[Any]]:
    """The signature table, the Nơi nhận cell's paragraphs and the signer's, each signer's line set
    in the right half of the page by a left indent when it leaves the table."""
    sig = doc.tables[1]._tbl
    nn, sg = sig.find(qn("w:tr")).findall(qn("w:tc"))
    signer = sg.findall(qn("w:p"))
    for p in signer:
        p.find(qn("w:pPr")).append(parse_xml(f'<w:ind {nsdecls("w")} w:left="4800"/>'))
    return sig, nn.findall(qn("w:p")), signer


def _signer_first(doc: Any) -> None:
    """The signer's block first, in the right half; the Nơi nhận under it, full width, no table."""
    sig, recipients, signer = _signature_paragraphs(doc)
    for p in [*signer, *recipients]:
        sig.addprevious(p)
    sig.getparent().remove(sig)


def _noi_nhan_own_table(doc: Any) -> None:
    """The signer's block in the right half above a one-column table that holds the Nơi nhận."""
    sig, _, signer = _signature_paragraphs(doc)
    for p in signer:
        sig.addprevious(p)
    row = sig.find(qn("w:tr"))
    row.remove(row.findall(qn("w:tc"))[1])
    grid = sig.find(qn("w:tblGrid"))
    grid.remove(grid.findall(qn("w:gridCol"))[1])


def _png(width: int = 40, height: int = 20) -> io.BytesIO:
    raw = b"".join(b"\x00" + b"\x00\x00\xff" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return io.BytesIO(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
                      + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def _pictures(doc: Any) -> None:
    """A logo above the issuer's lines; a signature image and a seal (behind the text, placed from
    its paragraph) in the signing space."""
    left = doc.tables[0].rows[0].cells[0]
    logo = left.add_paragraph()
    logo.add_run().add_picture(_png(), width=Cm(1.5))
    left.paragraphs[0]._p.addprevious(logo._p)
    empty = [p for p in doc.tables[1].rows[0].cells[1].paragraphs if not p.text.strip()]
    empty[0].add_run().add_picture(_png(), width=Cm(3))
    empty[1].add_run().add_picture(_png(), width=Cm(3.5))
    inline = empty[1]._p.findall(f".//{qn('wp:inline')}")[-1]
    xml = etree_tostring(inline).replace(
        "<wp:inline", '<wp:anchor simplePos="0" relativeHeight="5" behindDoc="1" locked="0" layoutInCell="1" '
        'allowOverlap="1"', 1).replace("</wp:inline>", "</wp:anchor>")
    xml = xml.replace("<wp:extent", '<wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="column"><wp:posOffset>'
                      "-300000</wp:posOffset></wp:positionH><wp:positionV relativeFrom=\"paragraph\"><wp:posOffset>"
                      "-400000</wp:posOffset></wp:positionV><wp:extent", 1).replace("<wp:docPr", "<wp:wrapNone/><wp:docPr", 1)
    inline.getparent().replace(inline, parse_xml(xml))


def _notes(doc: Any) -> None:
    """A footnote and an endnote in the body, their marks right after a word."""
    main = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    for kind, start, after, note in (
            ("footnote", "1. Khuyến khích", "thân thể", "Theo số liệu điều tra dân số năm 2025 của tỉnh."),
            ("endnote", "2. Bảo đảm", "an toàn", "Theo hướng dẫn của ngành y tế về sơ cứu.")):
        xml = (f'<w:{kind}s {main}><w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
               f'</w:{kind}><w:{kind} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
               f'</w:r></w:p></w:{kind}><w:{kind} w:id="1"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/>'
               f'</w:rPr><w:{kind}Ref/></w:r><w:r><w:t xml:space="preserve"> {note}</w:t></w:r></w:p></w:{kind}>'
               f"</w:{kind}s>")
        part = Part(PackURI(f"/word/{kind}s.xml"),
                    f"application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}s+xml", xml.encode(),
                    doc.part.package)
        doc.part.relate_to(part, f"http://schemas.openxmlformats.org/officeDocument/2006/relationships/{kind}s")
        p = _body_paragraph(doc, start)
        run = p.findall(qn("w:r"))[-1]
        t = run.find(qn("w:t"))
        text, cut = t.text, t.text.index(after) + len(after)
        t.text = text[:cut]
        rest = parse_xml(etree_tostring(run))
        rest.find(qn("w:t")).text = text[cut:]
        mark = parse_xml(f'<w:r {nsdecls("w")}><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
                         f'<w:{kind}Reference w:id="1"/></w:r>')
        run.addnext(mark)
        mark.addnext(rest)


def _issuer_in_a_text_box(doc: Any) -> None:
    """The header's issuer side (agency lines, Số) typed in a text box set in its cell."""
    left = doc.element.body.find(qn("w:tbl")).find(qn("w:tr")).find(qn("w:tc"))
    width = int(left.find(f"{qn('w:tcPr')}/{qn('w:tcW')}").get(qn("w:w")))
    paras = left.findall(qn("w:p"))
    inner = "".join(etree_tostring(p) for p in paras)
    for p in paras:
        left.remove(p)
    cx, cy = width * 635, 1000000
    left.append(parse_xml(
        f'<w:p {nsdecls("w")}><w:pPr><w:spacing w:before="0" w:after="0"/></w:pPr><w:r {nsdecls("w", "wp", "a")} '
        f'xmlns:wps="{WPS_NS}"><w:drawing><wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" '
        'relativeHeight="2" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        '<wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH><wp:positionV '
        f'relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV><wp:extent cx="{cx}" cy="{cy}"/>'
        '<wp:wrapTopAndBottom/><wp:docPr id="90" name="Text Box 90"/><a:graphic><a:graphicData '
        f'uri="{WPS_NS}"><wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" '
        f'cy="{cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln>'
        f"</wps:spPr><wps:txbx><w:txbxContent>{inner}</w:txbxContent></wps:txbx><wps:bodyPr lIns=\"68580\" "
        'tIns="0" rIns="68580" bIns="0"/></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r></w:p>'))


@pytest.mark.parametrize("change", [_signer_first, _noi_nhan_own_table, _pictures, _issuer_in_a_text_box],
                         ids=["ky-truoc-noi-nhan", "noi-nhan-bang-rieng", "hinh-anh", "co-quan-trong-khung"])
def test_the_same_plan_laid_out_otherwise_reads_the_same(plain, tmp_path, change):
    """The signer's block first and the Nơi nhận under it; the Nơi nhận in a table of its own (the
    signer was lost into the body); a logo and a signature and seal image; the issuer's side in a
    text box."""
    path, findings, data = plain
    other = _variant(path, tmp_path, change, change.__name__)
    assert import_docx(other).data == data
    assert _differences(findings, _findings(other)) == {}


def _without_notes(value: Any) -> Any:
    """The data with its {footnote} and {endnote} pieces taken out, the text around each joined again."""
    if isinstance(value, dict):
        return {k: _without_notes(v) for k, v in value.items()}
    if not isinstance(value, list):
        return value
    def note(x: Any) -> bool:
        return isinstance(x, dict) and ("footnote" in x or "endnote" in x)

    if not any(note(x) for x in value):
        return [_without_notes(x) for x in value]
    joined: list[Any] = []
    for x in value:
        if note(x):
            continue
        if joined and isinstance(x, str) and isinstance(joined[-1], str):
            joined[-1] += x
        else:
            joined.append(x)
    return joined[0] if len(joined) == 1 and isinstance(joined[0], str) else joined


def test_footnotes_and_endnotes_are_kept_at_their_marks_and_glue_to_no_word(plain, tmp_path):
    """A footnote and an endnote: each note's text is a {footnote} or {endnote} piece at its mark
    (an endnote stays one: it prints at the document's end), its words no body words; without them
    the data is the plain plan's, and check finds the same."""
    path, findings, data = plain
    other = _variant(path, tmp_path, _notes, "_notes")
    got = import_docx(other).data
    assert _without_notes(got) == data
    blocks = got["sections"][0]["blocks"]
    assert blocks[0]["text"] == ["Khuyến khích người dân rèn luyện thân thể",
                                 {"footnote": "Theo số liệu điều tra dân số năm 2025 của tỉnh."}, " mỗi ngày."]
    assert blocks[1]["text"] == ["Bảo đảm an toàn", {"endnote": "Theo hướng dẫn của ngành y tế về sơ cứu."},
                                 " cho người tham gia giải chạy."]
    assert _differences(findings, _findings(other)) == {}


def test_an_acronym_with_a_vowel_stays_in_capitals_in_a_title():
    """A title in capitals cased as Decree 30 writes it keeps its acronyms: KTAT, TAND, TTYT start
    or end with two consonants no Vietnamese syllable has."""
    assert heading_case("PHÂN CÔNG HUẤN LUYỆN KTAT VLNCN CHO TAND VÀ TTYT") == \
        "Phân công huấn luyện KTAT VLNCN cho TAND và TTYT"
    assert heading_case("KHUYẾN KHÍCH NGHIÊN CỨU TRƯỜNG HỢP NGOẠI LỆ") == "Khuyến khích nghiên cứu trường hợp ngoại lệ"


@pytest.mark.parametrize(("lines", "addressee"), [
    (["Kính gửi: Các phòng, đơn vị thuộc Sở."], ["Các phòng, đơn vị thuộc Sở."]),
    (["Kính gửi:", "- Các phòng thuộc Sở;", "- Trung tâm Huấn luyện thể thao tỉnh."],
     ["Các phòng thuộc Sở", "Trung tâm Huấn luyện thể thao tỉnh"])])
def test_a_kinh_gui_line_in_a_plan_is_its_addressee(plain, tmp_path, lines, addressee):
    """A plan that prints "Kính gửi" under its trích yếu: the addressees, printed again as the
    plan's Kính gửi (they were imported as the opening's running text)."""
    def addressed(doc: Any) -> None:
        at = doc.element.body.find(qn("w:tbl")).getnext().getnext().getnext()
        for text in reversed(lines):
            at.addnext(add_para(doc, text, align="center" if text.startswith("Kính") else "left", before=6)._p)

    path, findings, data = plain
    other = _variant(path, tmp_path, addressed, "kinh-gui")
    got = import_docx(other).data
    assert got.pop("addressee") == addressee
    assert got == data
    assert _differences(findings, _findings(other)) == {}
    again = tmp_path / "again.yaml"
    again.write_text(yaml.safe_dump(import_docx(other).data, allow_unicode=True), encoding="utf-8")
    printed = [p.text for p in read_docx(render_file(again, tmp_path / "again.docx")).paragraphs]
    assert all(line in printed for line in lines), printed


# --- an appendix's head set otherwise -----------------------------------------------------------------


def _appendix_head(doc: Any) -> tuple[Any, Any, Any]:
    """The appendix's heading, name and reference paragraphs."""
    paras = list(doc.element.body.iter(qn("w:p")))
    i = next(k for k, p in enumerate(paras) if _text(p) == "PHỤ LỤC")
    return paras[i], paras[i + 1], paras[i + 2]


def _head_boxed(doc: Any) -> None:
    """Heading, name and reference line in a bordered one-cell table."""
    heading, name, ref = _appendix_head(doc)
    box = parse_xml(f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblW w:w="9000" w:type="dxa"/><w:jc w:val="center"/>'
                    "<w:tblBorders>" + "".join(f'<w:{e} w:val="single" w:sz="4"/>' for e in
                                              ("top", "left", "bottom", "right")) + "</w:tblBorders></w:tblPr>"
                    '<w:tblGrid><w:gridCol w:w="9000"/></w:tblGrid><w:tr><w:tc><w:tcPr><w:tcW w:w="9000" '
                    'w:type="dxa"/></w:tcPr></w:tc></w:tr></w:tbl>')
    heading.addprevious(box)
    for p in (heading, name, ref):
        box.find(f".//{qn('w:tc')}").append(p)


def _head_in_the_right_cell(doc: Any) -> None:
    """Heading and reference line in the right cell of a borderless two-cell table (top right corner
    of the page, as forms are headed); the name centred under the table."""
    heading, name, ref = _appendix_head(doc)
    box = parse_xml(f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblW w:w="9600" w:type="dxa"/></w:tblPr><w:tblGrid>'
                    '<w:gridCol w:w="4000"/><w:gridCol w:w="5600"/></w:tblGrid><w:tr><w:tc><w:tcPr><w:tcW w:w="4000" '
                    'w:type="dxa"/></w:tcPr><w:p/></w:tc><w:tc><w:tcPr><w:tcW w:w="5600" w:type="dxa"/></w:tcPr>'
                    "</w:tc></w:tr></w:tbl>")
    heading.addprevious(box)
    cell = box.findall(f".//{qn('w:tc')}")[1]
    cell.append(heading)
    cell.append(ref)


def _heading_and_name_one_paragraph(doc: Any) -> None:
    """"PHỤ LỤC" and the name in one paragraph, cut by a manual line break."""
    heading, name, _ = _appendix_head(doc)
    heading.append(parse_xml(f'<w:r {nsdecls("w")}><w:br/></w:r>'))
    for run in name.findall(qn("w:r")):
        heading.append(run)
    name.getparent().remove(name)


@pytest.mark.parametrize("change", [_head_boxed, _head_in_the_right_cell, _heading_and_name_one_paragraph],
                         ids=["trong-khung", "o-ben-phai", "mot-doan"])
def test_an_appendix_head_set_in_a_table_or_one_paragraph_reads_the_same(plain, tmp_path, change):
    """The appendix was taken for one with no heading ("không có tiêu đề PHỤ LỤC", no Kèm theo line),
    or its heading line took the name's words with it."""
    path, findings, data = plain
    other = _variant(path, tmp_path, change, change.__name__)
    result = import_docx(other)
    assert result.data == data
    assert result.warnings == []
    assert _differences(findings, _findings(other)) == {}


def test_a_form_label_set_right_heads_its_appendix(plain, tmp_path):
    """"Mẫu số 01" in the top right corner (set right, not bold), the form's name centred under it:
    one appendix headed "Mẫu số 01" whose name is the centred line (it was two appendices). The
    label prints neither centred nor bold: the checker says so, nothing else."""
    path, findings, data = plain
    other = _variant(path, tmp_path, lambda d: _set_right_label(d, "Mẫu số 01"), "mau-so")
    (app,) = import_docx(other).data["appendices"]
    assert (app.pop("title"), app.pop("upper")) == ("Mẫu số 01", False)
    assert app == {k: v for k, v in data["appendices"][0].items() if k != "title"}
    got = _findings(other)
    assert {k for k in _differences(findings, got)} == {"PL1.IV.phu-luc.tieu-de.can-le", "PL1.IV.phu-luc.tieu-de.kieu-chu"}


def _set_right_label(doc: Any, text: str) -> None:
    heading = _appendix_head(doc)[0]
    _retype(heading, text)
    heading.find(qn("w:pPr")).find(qn("w:jc")).set(qn("w:val"), "right")
    for b in list(heading.iter(qn("w:b"))) + list(heading.iter(qn("w:bCs"))):
        b.getparent().remove(b)


def test_a_days_programme_in_the_body_is_no_task_table(tmp_path):
    """"Thời gian | Nội dung" with times of day is the day's programme: imported as a table, not
    counted as tasks; the same columns with months are tasks."""
    programme = WordTable([["Thời gian", "Nội dung"], ["6 giờ 00", "Tập trung vận động viên"],
                           ["6h30 - 7h00", "Khai mạc giải chạy"]], [4, 12])
    tasks = WordTable([["Thời gian", "Nội dung"], ["Tháng 3", "Khảo sát đường chạy"],
                       ["Tháng 4", "Lắp đặt biển báo"]], [4, 12])
    path = build_plan(tmp_path / "p.docx", body=[*BODY[:3], programme, *BODY[3:4], tasks, *BODY[4:]])
    data = tmp_path / "p.yaml"
    data.write_text(yaml.safe_dump(import_docx(path).data, allow_unicode=True), encoding="utf-8")
    plan = load_plan(data)
    assert [t.content for t in plan_tasks(plan)] == ["Khảo sát đường chạy", "Lắp đặt biển báo"]


def test_form_labels_under_a_phu_luc_are_its_content(tmp_path):
    """An appendix of forms: "PHỤ LỤC" over forms each labelled "Mẫu số 0x" (set right, in italics):
    one appendix holding the forms, not one appendix per form."""
    app = [*APPENDIX[:3],
           {"text": "Mẫu số 01/HN", "italic": True, "align": "right"},
           {"text": "BIÊN BẢN HỘI NGHỊ", "bold": True, "align": "center"}, "Hôm nay, vào lúc … giờ …",
           {"text": "Mẫu số 02/HN", "italic": True, "align": "right"},
           {"text": "DANH SÁCH ĐẠI BIỂU", "bold": True, "align": "center"}, "Gồm các ông, bà có tên sau …"]
    path = build_plan(tmp_path / "p.docx", body=BODY, appendices=[app])
    assert len(read_docx(path).appendices) == 1
    (got,) = import_docx(path).data["appendices"]
    assert "Mẫu số 02/HN" in str(got["blocks"])


# --- the place and date under the header table -------------------------------------------------------


def _date_under_the_table(doc: Any) -> None:
    """The place and date typed under the header table, set right."""
    tbl = doc.element.body.find(qn("w:tbl"))
    right = tbl.find(qn("w:tr")).findall(qn("w:tc"))[1]
    date = right.findall(qn("w:p"))[-1]
    right.remove(date)
    date.find(qn("w:pPr")).find(qn("w:jc")).set(qn("w:val"), "right")
    tbl.addnext(date)


def _number_and_date_in_a_second_table(doc: Any) -> None:
    """The Số and the date in a borderless table of their own right under the header table."""
    tbl = doc.element.body.find(qn("w:tbl"))
    left, right = tbl.find(qn("w:tr")).findall(qn("w:tc"))
    number, date = left.findall(qn("w:p"))[-1], right.findall(qn("w:p"))[-1]
    widths = [g.get(qn("w:w")) for g in tbl.iter(qn("w:gridCol"))]
    second = parse_xml(f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid>'
                       + "".join(f'<w:gridCol w:w="{w}"/>' for w in widths) + "</w:tblGrid><w:tr>"
                       + "".join(f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/></w:tcPr></w:tc>' for w in widths)
                       + "</w:tr></w:tbl>")
    tbl.addnext(second)
    a, b = second.findall(f".//{qn('w:tc')}")
    a.append(number)
    b.append(date)


def test_the_date_under_the_header_table_is_the_date(plain, tmp_path):
    """It was not found (no place, no date: "không tìm thấy dòng địa danh, ngày tháng"); set right, it
    prints off its place under the Quốc hiệu, and the checker says only that."""
    path, findings, data = plain
    other = _variant(path, tmp_path, _date_under_the_table, "ngay-duoi-bang")
    assert import_docx(other).data == data
    assert set(_differences(findings, _findings(other))) == {"PL1.III.4.ngay-thang.can-le"}


def test_number_and_date_in_a_second_table_read_as_the_header(plain, tmp_path):
    path, findings, data = plain
    other = _variant(path, tmp_path, _number_and_date_in_a_second_table, "so-ngay-bang-2")
    assert import_docx(other).data == data
    assert _differences(findings, _findings(other)) == {}
