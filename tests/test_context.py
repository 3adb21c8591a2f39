"""Derived strings (generator.document.context, generator.text) on small plans: the values a văn thư would
otherwise type by hand and get wrong."""

from __future__ import annotations

import pytest
from lxml import etree

from generator.document.context import (
    appendix_reference_line,
    build_context,
    date_line,
    number_line,
    signer_lines,
)
from generator.plan.model import Plan, Signer
from generator.text import roman, upper_vi
from tests.docx_props import Styles, W_NS


def make_plan(**overrides) -> Plan:
    data = {
        "agency": {"parent": "UBND tỉnh Quảng Ngãi", "name": "Sở Khoa học và Công nghệ",
                   "abbreviation": "SKHCN", "place": "Quảng Ngãi"},
        "date": "2024-03-20",
        "subject": "Truyền thông về hoạt động kiểm soát TTHC năm 2024",
        "sections": [{"title": "Mục đích, yêu cầu", "paragraphs": ["Nội dung."]}],
        "closing": "Yêu cầu thực hiện.",
        "recipients": ["Như trên"],
        "signer": {"name": "Nguyễn Văn Thành", "title": "Giám đốc"},
        "appendices": [{"title": "Danh mục", "groups": [{"title": "Nhóm", "tasks": [{"content": "Việc."}]}]}],
    }
    data.update(overrides)
    return Plan.model_validate(data)


def test_number_gets_leading_zero():
    assert number_line(make_plan(number=5)) == "Số: 05/KH-SKHCN"
    assert number_line(make_plan(number=125)) == "Số: 125/KH-SKHCN"


@pytest.mark.parametrize("date,expected", [
    ("2025-02-05", "Quảng Ngãi, ngày 05 tháng 02 năm 2025"),
    ("2024-03-15", "Quảng Ngãi, ngày 15 tháng 3 năm 2024"),
    ("2024-01-09", "Quảng Ngãi, ngày 09 tháng 01 năm 2024"),
    ("2024-12-31", "Quảng Ngãi, ngày 31 tháng 12 năm 2024"),
    ("2024-10-01", "Quảng Ngãi, ngày 01 tháng 10 năm 2024"),
])
def test_date_line_leading_zeros(date, expected):
    assert date_line(make_plan(date=date)) == expected


def test_final_appendix_reference_line():
    plan = make_plan(number=5, date="2025-02-05")
    assert appendix_reference_line(plan) == (
        "(Kèm theo Kế hoạch số 05/KH-SKHCN ngày 05/02/2025 của Sở Khoa học và Công nghệ)")


def test_draft_leaves_number_and_day_blank_everywhere():
    plan = make_plan(date="2024-03")  # no number, no day
    assert not plan.is_final
    ctx = build_context(plan)
    assert ctx["number_line"].startswith("Số: ") and ctx["number_line"].endswith("/KH-SKHCN")
    assert ctx["number_line"][len("Số:"):-len("/KH-SKHCN")].isspace()
    assert ctx["date_line"].startswith("Quảng Ngãi, ngày ")
    day = ctx["date_line"][len("Quảng Ngãi, ngày"):ctx["date_line"].index("tháng")]
    assert day.isspace() and len(day) >= 4
    assert ctx["date_line"].endswith(" tháng 3 năm 2024")
    line = ctx["appendices"][0]["reference_line"]
    head, tail = "(Kèm theo Kế hoạch số", "/3/2024 của Sở Khoa học và Công nghệ)"
    assert line.startswith(head) and line.endswith(tail)
    middle = line[len(head):-len(tail)]  # "      /KH-SKHCN ngày    "
    number, rest = middle.split("/KH-SKHCN ngày")
    assert number.isspace() and rest.isspace() and len(rest) >= 2
    assert not any(c.isdigit() for c in middle)


def test_draft_without_number_keeps_the_day():
    ctx = build_context(make_plan(date="2024-03-20"))
    assert ctx["date_line"] == "Quảng Ngãi, ngày 20 tháng 3 năm 2024"
    assert "ngày 20/3/2024" in ctx["appendices"][0]["reference_line"]


def test_draft_blank_widths_as_specified():
    ctx = build_context(make_plan(date="2024-03"))
    assert ctx["number_line"] == "Số:      /KH-SKHCN"
    assert ctx["date_line"] == "Quảng Ngãi, ngày    tháng 3 năm 2024"


@pytest.mark.parametrize("n,expected", [(1, "I"), (2, "II"), (3, "III"), (4, "IV"), (5, "V"),
                                        (9, "IX"), (14, "XIV"), (40, "XL"), (90, "XC"), (2024, "MMXXIV")])
def test_roman(n, expected):
    assert roman(n) == expected


def test_roman_rejects_zero():
    with pytest.raises(ValueError):
        roman(0)


def test_sections_and_groups_numbered_in_roman():
    plan = make_plan(sections=[{"title": t} for t in ("Một", "Hai", "Ba", "Bốn", "Năm")])
    muc = [b["text"] for b in build_context(plan)["body"] if b["kind"] == "muc"]
    assert muc == ["I. MỘT", "II. HAI", "III. BA", "IV. BỐN", "V. NĂM"]


@pytest.mark.parametrize("text,expected", [
    ("Ủy ban nhân dân", "ỦY BAN NHÂN DÂN"),
    ("đ", "Đ"),
    ("Độc lập", "ĐỘC LẬP"),
    ("Sở Khoa học và Công nghệ", "SỞ KHOA HỌC VÀ CÔNG NGHỆ"),
    ("ữ ỹ ặ ẫ ờ", "Ữ Ỹ Ặ Ẫ Ờ"),
    ("U\u0309y ban", "ỦY BAN"),  # decomposed input comes out precomposed
])
def test_upper_keeps_diacritics(text, expected):
    assert upper_vi(text) == expected


def test_agency_names_upper_cased_in_context():
    ctx = build_context(make_plan(agency={"parent": "Ủy ban nhân dân huyện Đức Phổ",
                                          "name": "Phòng Tư pháp", "abbreviation": "PTP",
                                          "place": "Đức Phổ"}))
    assert ctx["agency"] == {"parent": "ỦY BAN NHÂN DÂN HUYỆN ĐỨC PHỔ", "name": "PHÒNG TƯ PHÁP",
                             # wider than the header column at 12 pt: broken between words, balanced
                             "parent_lines": ["ỦY BAN NHÂN DÂN", "HUYỆN ĐỨC PHỔ"], "name_lines": ["PHÒNG TƯ PHÁP"],
                             # one line given, broken by the tool: one paragraph, a line break after the
                             # space between the lines
                             "parent_paragraphs": ["ỦY BAN NHÂN DÂN \nHUYỆN ĐỨC PHỔ"],
                             "name_paragraphs": ["PHÒNG TƯ PHÁP"], "co_issuer_paragraphs": []}


@pytest.mark.parametrize("signer,lines", [
    ({"title": "Giám đốc"}, ["GIÁM ĐỐC"]),
    ({"authority": "KT", "head_title": "Giám đốc", "title": "Phó Giám đốc"}, ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]),
    ({"authority": "TM", "collective": "Ủy ban nhân dân", "title": "Chủ tịch"},
     ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]),
    ({"authority": "TM", "collective": "Ủy ban nhân dân", "head_title": "Chủ tịch", "title": "Phó Chủ tịch"},
     ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]),
    ({"authority": "TL", "head_title": "Giám đốc", "title": "Chánh Văn phòng"},
     ["TL. GIÁM ĐỐC", "CHÁNH VĂN PHÒNG"]),
    ({"authority": "TUQ", "head_title": "Giám đốc", "title": "Trưởng phòng Hành chính - Tổng hợp"},
     ["TUQ. GIÁM ĐỐC", "TRƯỞNG PHÒNG HÀNH CHÍNH - TỔNG HỢP"]),
    ({"authority": "Q", "title": "Giám đốc"}, ["Q. GIÁM ĐỐC"]),
], ids=["head", "KT", "TM-2", "TM-3", "TL", "TUQ", "Q"])
def test_signer_lines(signer, lines):
    s = Signer.model_validate({"name": "Nguyễn Văn A", **signer})
    assert signer_lines(s) == lines
    plan = make_plan(signer={"name": "Nguyễn Văn A", **signer})
    assert build_context(plan)["signer"] == {"lines": lines, "name": "Nguyễn Văn A"}


def test_citation_full_first_then_short():
    plan = make_plan(
        references={
            "kh36": {"type": "Kế hoạch", "number": 36, "symbol": "KH-UBND", "date": "2024-02-07",
                     "issuer": "UBND tỉnh Quảng Ngãi", "subject": "truyền thông về kiểm soát TTHC"},
            "kh254": {"type": "Kế hoạch", "number": 254, "date": "2023-12-30", "subject": "công tác CCHC"},
        },
        opening=[["Thực hiện ", {"cite": "kh36"}, ", như sau:"]],
        sections=[{"title": "Mục đích", "paragraphs": [
            ["Theo ", {"cite": "kh36"}, " và ", {"cite": "kh254"}, "."],
            ["Xem lại ", {"cite": "kh254"}, "."],
        ]}],
        appendices=[{"groups": [{"title": "Nhóm", "tasks": [{"content": ["Theo ", {"cite": "kh36"}]}]}]}],
    )
    ctx = build_context(plan)
    assert ctx["opening"] == ["Thực hiện Kế hoạch số 36/KH-UBND ngày 07/02/2024 của UBND tỉnh Quảng Ngãi "
                              "về truyền thông về kiểm soát TTHC, như sau:"]
    paras = [b["text"] for b in ctx["body"] if b["kind"] == "para"]
    # The agency's own plan: ký hiệu and issuer derived from the agency.
    assert paras == ["Theo Kế hoạch số 36/KH-UBND và Kế hoạch số 254/KH-SKHCN ngày 30/12/2023 của "
                     "Sở Khoa học và Công nghệ về công tác CCHC.",
                     "Xem lại Kế hoạch số 254/KH-SKHCN."]
    assert ctx["appendices"][0]["groups"][0]["tasks"][0]["content"] == "Theo Kế hoạch số 36/KH-UBND"


def test_closing_gets_end_mark():
    assert build_context(make_plan(closing="Yêu cầu thực hiện."))["closing"] == "Yêu cầu thực hiện./."
    ctx = build_context(make_plan(closing=None))
    assert ctx["closing"] == "" and ctx["body"][-1]["text"] == "Nội dung./."


def test_closing_typed_with_end_mark_is_not_doubled():
    assert build_context(make_plan(closing="Yêu cầu thực hiện./."))["closing"] == "Yêu cầu thực hiện./."


@pytest.mark.parametrize("last", ["đạt hiệu quả./.", "đạt hiệu quả./. ", "đạt hiệu quả./../."])
def test_last_body_paragraph_typed_with_end_mark_is_not_doubled(last):
    # No closing: the end mark goes on the body's last paragraph, which an imported plan often
    # already ends with it (the text of last year's file).
    plan = make_plan(closing=None, sections=[{"title": "Tổ chức thực hiện", "blocks": [f"Các phòng {last}"]}])
    assert build_context(plan)["body"][-1]["text"] == "Các phòng đạt hiệu quả./."


def test_recipients_end_marks():
    plan = make_plan(units={"hcth": {"name": "Phòng Hành chính - Tổng hợp", "abbreviation": "HCTH"}},
                     recipients=["Văn phòng UBND tỉnh", "GĐ, các PGĐ Sở;"], archive=["VT", "hcth"])
    assert build_context(plan)["recipients"] == [
        "- Văn phòng UBND tỉnh;", "- GĐ, các PGĐ Sở;", "- Lưu: VT, HCTH."]


# The effective-formatting resolver the format tests rely on, on a hand-made styles part.
STYLES_XML = f"""<w:styles xmlns:w="{W_NS}">
<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman"
 w:eastAsia="Times New Roman" w:cs="Times New Roman"/><w:sz w:val="28"/></w:rPr></w:rPrDefault>
 <w:pPrDefault><w:pPr><w:jc w:val="left"/></w:pPr></w:pPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"/>
<w:style w:type="paragraph" w:styleId="Base"><w:basedOn w:val="Normal"/><w:pPr><w:jc w:val="center"/></w:pPr>
 <w:rPr><w:b/><w:sz w:val="24"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Child"><w:basedOn w:val="Base"/><w:rPr><w:i/></w:rPr></w:style>
<w:style w:type="character" w:styleId="Theme"><w:rPr><w:rFonts w:asciiTheme="minorHAnsi"/></w:rPr></w:style>
</w:styles>"""


def _para(xml: str):
    return etree.fromstring(f'<w:p xmlns:w="{W_NS}">{xml}</w:p>')


def test_resolver_follows_based_on_and_defaults():
    styles = Styles(etree.fromstring(STYLES_XML))
    p = _para('<w:pPr><w:pStyle w:val="Child"/></w:pPr><w:r><w:t>x</w:t></w:r>'
              '<w:r><w:rPr><w:b w:val="0"/><w:sz w:val="26"/></w:rPr><w:t>y</w:t></w:r>'
              '<w:r><w:rPr><w:rStyle w:val="Theme"/></w:rPr><w:t>z</w:t></w:r>')
    x, y, z = p.findall(f"{{{W_NS}}}r")
    px = styles.run(x)
    assert (px.size, px.bold, px.italic, px.fonts["cs"]) == (12, True, True, "Times New Roman")
    py = styles.run(y)
    assert (py.size, py.bold, py.italic) == (13, False, True)
    assert styles.run(z).fonts["ascii"] == "theme:minorHAnsi"
    assert styles.paragraph(p).jc == "center"
    plain = _para('<w:r><w:t>n</w:t></w:r>')
    assert styles.paragraph(plain).jc == "left" and styles.run(plain[0]).size == 14
