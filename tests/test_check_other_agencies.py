"""False alarms of `kehoach check` on documents of agencies it has no labels for (reports, Tờ trình,
Quyết định, Công văn of other offices), each reproduced here by its cause in a document built by the
test: what Word prints is right, the rule must pass; the same part really wrong still fails.
"""

from __future__ import annotations

from pathlib import Path

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
import pytest

from generator.check import check_docx
from generator.errors import UserError
from generator.jobs.importer import import_file
from generator.recognise import read_docx
from generator.word.reader import leading_width, rendered_lines
from tests.test_check_false_alarms import BODY, HEADER, LONG_BODY, _pages
from tests.word_fixtures import Header, build_plan


def _status(path: Path, rule: str) -> list[str]:
    return [r.status for r in check_docx(path).results if r.rule == rule]


# --- a centred note in brackets, its sentence's full stop after the bracket ---------------------------


def test_a_bracketed_note_with_a_full_stop_is_a_caption(tmp_path):
    """"(Số liệu cụ thể tại phụ lục kèm theo báo cáo)." centred in italics under a section of a report
    prints the same caption as one without the full stop: neither justified nor indented. A centred
    sentence of running text is still not justified."""
    note = {"text": "(Số liệu cụ thể tại các biểu kèm theo Kế hoạch này).", "italic": True, "align": "center"}
    path = build_plan(tmp_path / "note.docx", header=HEADER, body=[*BODY[:3], note, *BODY[3:]])
    assert _status(path, "PL1.III.6.noi-dung.can-le") == ["pass"]
    assert _status(path, "PL1.III.6.noi-dung.thut-dau-dong") == ["pass"]
    prose = {"text": "Số liệu cụ thể tại các biểu kèm theo Kế hoạch này.", "align": "center"}
    path = build_plan(tmp_path / "prose.docx", header=HEADER, body=[*BODY[:3], prose, *BODY[3:]])
    assert _status(path, "PL1.III.6.noi-dung.can-le") == ["fail"]


# --- Quốc hiệu left-aligned, yet printed in the middle of its column ---------------------------------


def _quoc_hieu(doc: docx.Document):
    return next(p for p in doc.tables[0].rows[0].cells[1].paragraphs if p.text.startswith("CỘNG HÒA"))


def _left_aligned(p) -> None:
    ppr = p._p.get_or_add_pPr()
    ppr.remove(ppr.find(qn("w:jc")))
    ppr.append(parse_xml(f'<w:jc {nsdecls("w")} w:val="left"/>'))


def test_quoc_hieu_pushed_to_the_middle_with_condensed_spaces(tmp_path):
    """A Quốc hiệu condensed by 0.5 pt a letter (to fit its column), left-aligned and pushed to the
    middle with spaces typed in the same condensed run: the spaces print 0.5 pt narrower each, and
    the line lands where centring puts it. Twice the spaces push it off the middle."""
    path = build_plan(tmp_path / "qh.docx", header=HEADER, body=BODY)
    doc = docx.Document(str(path))
    p = _quoc_hieu(doc)
    _left_aligned(p)
    run = p.runs[0]._r
    run.get_or_add_rPr().append(parse_xml(f'<w:spacing {nsdecls("w")} w:val="-10"/>'))
    doc.save(str(path))
    para = read_docx(path).quoc_hieu
    assert para is not None and para.fmt is not None
    room = (para.width - para.fmt.left - para.fmt.right) / 20
    slack = (room - rendered_lines(para)[0][1]) / 2
    # As many condensed spaces (2.75 pt at 13 pt) as fill the slack, more than a tolerance away from
    # it at a plain space's 3.25 pt.
    count = round(slack / 2.75)
    spaces = count
    while abs(spaces * 3.25 - slack) <= max(6.0, 0.05 * room):
        spaces += 1
    assert abs(spaces * 2.75 - slack) <= max(6.0, 0.05 * room), "the fixture's column leaves no such case"
    run.find(qn("w:t")).text = " " * spaces + run.find(qn("w:t")).text
    run.find(qn("w:t")).set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    doc.save(str(path))
    para = read_docx(path).quoc_hieu
    assert para is not None and leading_width(para) == pytest.approx(spaces * 2.75, abs=0.01)
    assert _status(path, "PL1.III.1.quoc-hieu.can-le") == ["pass"]
    run.find(qn("w:t")).text = " " * spaces + run.find(qn("w:t")).text
    doc.save(str(path))
    assert _status(path, "PL1.III.1.quoc-hieu.can-le") == ["fail"]


def test_quoc_hieu_left_aligned_filling_its_column(tmp_path):
    """A Quốc hiệu left-aligned in a column it fills within a few points prints where centring would
    put it; in a column with room to spare it prints at the left, off the middle."""
    def with_indent(name: str, spare_pt: float) -> Path:
        path = build_plan(tmp_path / name, header=HEADER, body=BODY)
        para = read_docx(path).quoc_hieu
        assert para is not None
        room = para.width / 20
        indent = round((room - rendered_lines(para)[0][1] - spare_pt) * 20)
        doc = docx.Document(str(path))
        p = _quoc_hieu(doc)
        _left_aligned(p)
        p._p.get_or_add_pPr().append(parse_xml(f'<w:ind {nsdecls("w")} w:right="{indent}"/>'))
        doc.save(str(path))
        return path

    assert _status(with_indent("full.docx", 5), "PL1.III.1.quoc-hieu.can-le") == ["pass"]
    assert _status(with_indent("spare.docx", 40), "PL1.III.1.quoc-hieu.can-le") == ["fail"]


# --- a page number that a one-page document never prints ----------------------------------------------


def _number_from_page_2(path: Path, font: str = "Calibri", half_points: int = 22) -> None:
    """A page number in the page header, shown from page 2 ("different first page"), in the face and
    size the office's template left it (Calibri 11 pt)."""
    doc = docx.Document(str(path))
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    section.header.is_linked_to_previous = False
    p = section.header.paragraphs[0]._p
    p.get_or_add_pPr().append(parse_xml(f'<w:jc {nsdecls("w")} w:val="center"/>'))
    rpr = f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}"/><w:sz w:val="{half_points}"/></w:rPr>'
    for xml in ('<w:fldChar w:fldCharType="begin"/>', '<w:instrText xml:space="preserve"> PAGE </w:instrText>',
                '<w:fldChar w:fldCharType="separate"/>', "<w:t>2</w:t>", '<w:fldChar w:fldCharType="end"/>'):
        p.append(parse_xml(f'<w:r {nsdecls("w")}>{rpr}{xml}</w:r>'))
    doc.save(str(path))


def test_a_one_page_letter_never_prints_its_page_number(tmp_path):
    """A one-page Công văn whose template sets the page number in Calibri 11 pt from page 2: there is
    no page 2, nothing of the number is on paper (LibreOffice prints one page), so neither its face
    nor its size is a defect. The same number on a plan of several pages prints, and is one."""
    short = build_plan(tmp_path / "short.docx", header=HEADER, body=BODY)
    _number_from_page_2(short)
    assert _pages(short) in (None, 1)
    assert read_docx(short).one_page
    assert _status(short, "PL1.II.4.phong-chu") == ["pass"]
    assert [s for r in check_docx(short).results if r.rule.startswith("PL1.II.7.") for s in [r.status]
            if s != "pass"] == []
    long_ = build_plan(tmp_path / "long.docx", header=HEADER, body=LONG_BODY)
    _number_from_page_2(long_)
    assert _pages(long_) in (None, 2, 3, 4)
    assert "fail" in _status(long_, "PL1.II.4.phong-chu")
    assert _status(long_, "PL1.II.7.so-trang.co-chu") == ["fail"]
    assert _status(long_, "PL1.II.7.so-trang.trang-dau") == ["pass"]


# --- a Quyết định naming the document it issues before "kèm theo Quyết định này" ------------------------


DECISION_HEADER = Header(parent=("UBND TỈNH SÔNG MÂY",), issuer=("SỞ VĂN HÓA VÀ THỂ THAO",),
                         number="Số:      /QĐ-SVHTT")


def _decision(tmp_path: Path, name: str, article_1: str) -> Path:
    body = [
        {"text": "GIÁM ĐỐC SỞ VĂN HÓA VÀ THỂ THAO", "bold": True, "align": "center"},
        {"text": "Căn cứ Luật Thể dục, thể thao ngày 29 tháng 11 năm 2006;", "italic": True},
        {"text": "QUYẾT ĐỊNH:", "bold": True, "align": "center"},
        article_1,
        "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.",
        "Điều 3. Chánh Văn phòng Sở và các đơn vị liên quan chịu trách nhiệm thi hành Quyết định này./.",
    ]
    return build_plan(tmp_path / name, header=DECISION_HEADER, title="QUYẾT ĐỊNH",
                      subject=("Về việc công nhận Điều lệ Câu lạc bộ Thể thao Sông Mây",), body=body,
                      recipients=("- Như Điều 3;", "- Lưu: VT, VP."))


def test_a_decision_names_what_it_issues_before_kem_theo(tmp_path):
    """"Điều 1. Công nhận Điều lệ … ban hành kèm theo Quyết định này": the Điều lệ is the document the
    decision issues (a document of its own, often its own file), named before the words instead of
    after them ("Ban hành kèm theo Quyết định này Quy chế …"): no appendix is missing. A decision that
    points to its list of units "kèm theo Quyết định này" and holds none is still warned about."""
    rule = "PL1.IV.phu-luc.dan-chieu"
    issued = _decision(tmp_path, "dieu-le.docx", "Điều 1. Công nhận Điều lệ (sửa đổi, bổ sung) của Câu lạc bộ "
                       "Thể thao Sông Mây ban hành kèm theo Quyết định này.")
    assert check_docx(issued).document_type == "Quyết định"
    assert _status(issued, rule) == ["pass"]
    approved = _decision(tmp_path, "ke-hoach.docx", "Điều 1. Phê duyệt Kế hoạch tổ chức giải chạy năm 2026 "
                         "kèm theo Quyết định này.")
    assert _status(approved, rule) == ["pass"]
    listed = _decision(tmp_path, "danh-sach.docx", "Điều 1. Công nhận danh sách 12 câu lạc bộ thể thao cơ sở "
                       "kèm theo Quyết định này.")
    assert _status(listed, rule) == ["fail"]
    detailed = _decision(tmp_path, "chi-tiet.docx", "Điều 1. Phê duyệt Kế hoạch tổ chức giải chạy năm 2026 "
                         "(chi tiết tại Phụ lục kèm theo Quyết định này).")
    assert _status(detailed, rule) == ["fail"]


# --- an annex in a file of its own --------------------------------------------------------------------


def test_an_annex_in_its_own_file_is_said_to_belong_to_its_document(tmp_path):
    """A statistics annex or a report outline sent as a file of its own: its heading, then "(Kèm theo
    Báo cáo số … ngày … của …)", typed over two paragraphs; no Quốc hiệu, number or issuer of its own.
    The checker says which document it belongs to instead of only that it is no administrative
    document, and both commands name the file to give instead (the document printed with its annex);
    a file with no such line is refused as before."""
    from generator.check import NotAdministrative
    from tests.word_fixtures import a4_document, add_para

    def annex(name: str, reference: list[str]) -> Path:
        doc = a4_document()
        add_para(doc, "PHỤ LỤC", align="center", bold=True, before=0)
        add_para(doc, "BIỂU THỐNG KÊ SỐ LIỆU NĂM 2026", align="center", bold=True, before=0)
        for line in reference:
            add_para(doc, line, align="center", italic=True, before=0)
        add_para(doc, "1. Số văn bản đã ban hành: 12 văn bản.")
        path = tmp_path / name
        doc.save(str(path))
        return path

    own = annex("phu-luc.docx", ["(Kèm theo Báo cáo số      /BC-SVHTT ngày      tháng 12 năm 2026",
                                 "của Sở Văn hóa và Thể thao)"])
    with pytest.raises(NotAdministrative, match=r"tài liệu kèm theo Báo cáo số …/BC-SVHTT, in thành tệp riêng"):
        check_docx(own)
    # import: a report's annex is no plan, and check would not judge it alone either: not sent there
    with pytest.raises(UserError) as refused:
        import_file(own, tmp_path / "phu-luc.yaml")
    assert "không phải Kế hoạch" in str(refused.value) and "kehoach check" not in str(refused.value)
    # a plan's annex: both commands name the file to give instead, the plan printed with its annex
    plans = annex("de-cuong.docx", ["(Kèm theo Kế hoạch số      /KH-UBND ngày      tháng 12 năm 2026",
                                    "của Ủy ban nhân dân tỉnh)"])
    with pytest.raises(NotAdministrative, match=r"hãy kiểm tra tệp in Kế hoạch số …/KH-UBND cùng phụ lục này"):
        check_docx(plans)
    with pytest.raises(UserError) as refused:
        import_file(plans, tmp_path / "de-cuong.yaml")
    assert "hãy nhập tệp in Kế hoạch số …/KH-UBND cùng phụ lục này" in str(refused.value)
    assert "kehoach check" not in str(refused.value) and not (tmp_path / "de-cuong.yaml").exists()
    loose = annex("ghi-chu.docx", ["(Số liệu tạm tính đến hết tháng 11)"])
    with pytest.raises(NotAdministrative, match="không phải văn bản hành chính"):
        check_docx(loose)


# --- the other agencies' documents of the corpus ----------------------------------------------------------

OTHERS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "khac"
PRINTED_RIGHT = [
    # (file, rule) the page shows right, each once a false alarm (by the causes above)
    ("lamdong-ubnd-bc-cchc-quy-i-2026.docx", "PL1.III.1.quoc-hieu.can-le"),  # condensed spaces
    ("laocai-sct-cv-3915.docx", "PL1.III.1.quoc-hieu.can-le"),  # fills its column
    ("laocai-sct-cv-3915.docx", "PL1.II.4.phong-chu"),  # a one-page letter's unprinted page number
    ("laocai-sct-cv-3915.docx", "PL1.II.7.so-trang.co-chu"),
    ("lamdong-ubnd-bc-cchc-2025.docx", "PL1.III.6.noi-dung.can-le"),  # "(…)." centred note
    ("binhthuan-ubnd-qd-ban-hanh-kem-theo.docx", "PL1.IV.phu-luc.dan-chieu"),  # "Công nhận Điều lệ … kèm theo"
]


@pytest.mark.skipif(not OTHERS.exists(), reason="../shared/corpus is absent")
@pytest.mark.parametrize("name, rule", PRINTED_RIGHT)
def test_other_agencies_parts_printed_right_pass(name, rule):
    path = OTHERS / name
    if not path.exists():
        pytest.skip(f"{name} is not in the corpus")
    statuses = [r.status for r in check_docx(path).results if r.rule == rule]
    assert "fail" not in statuses, (name, rule, statuses)


def test_a_page_number_in_a_legacy_font_is_another_face_not_another_encoding(tmp_path):
    """A page number left in VNI-Times by an old template prints digits, the same bytes in every
    encoding: the finding names the face (not Times New Roman), without telling the văn thư to convert
    the text with Unikey. A plan whose Vietnamese text is typed in that font keeps the encoding finding
    (tests/test_legacy_fonts.py)."""
    path = build_plan(tmp_path / "vni.docx", header=HEADER, body=LONG_BODY)
    _number_from_page_2(path, font="VNI-Times", half_points=28)
    fonts = [r for r in check_docx(path).results if r.rule == "PL1.II.4.phong-chu" and r.status == "fail"]
    assert [r.measured for r in fonts] == ["VNI-Times (ô phông ascii) ở 1 đoạn"]
    assert "Unikey" not in fonts[0].message
