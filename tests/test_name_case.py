"""Names printed in capitals, written back in the case Decree 30 (Phụ lục II) gives them.

The names below are invented in the shape real headers have (kinds of body, coordinated fields,
a place after its level word, acronyms); none is copied from a document.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator.jobs.importer import import_file
from generator.nd30.names import abbreviates_a_level
from generator.plan import admin_units
from generator.plan.loader import load_plan
from generator.document.render import render_plan
from generator.plan.name_case import agency_case, heading_case, lines_case, title_case
from generator.text import upper_vi
from tests.word_fixtures import Doc, Header, build_plan

NAMES = [
    # kind + one field
    ("SỞ Y TẾ", "Sở Y tế"),
    ("SỞ NỘI VỤ", "Sở Nội vụ"),
    # a field with two coordinated parts, and with three
    ("SỞ VĂN HÓA VÀ THỂ THAO", "Sở Văn hóa và Thể thao"),
    ("SỞ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN", "Sở Nông nghiệp và Phát triển nông thôn"),
    ("SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", "Sở Lao động - Thương binh và Xã hội"),
    ("PHÒNG VĂN HÓA, THỂ THAO VÀ DU LỊCH", "Phòng Văn hóa, Thể thao và Du lịch"),
    # a place after its level word: the level in lower case, every syllable of the place capital
    ("ỦY BAN NHÂN DÂN TỈNH SÔNG MÂY", "Ủy ban nhân dân tỉnh Sông Mây"),
    ("UBND TỈNH SÔNG MÂY", "UBND tỉnh Sông Mây"),
    ("UBND THÀNH PHỐ BẾN ĐÁ", "UBND thành phố Bến Đá"),
    ("UBND TỈNH HÒA BÌNH XANH", "UBND tỉnh Hòa Bình Xanh"),  # longer than a place the data knows
    ("BẢO HIỂM XÃ HỘI TỈNH BÀ RỊA - VŨNG TÀU", "Bảo hiểm xã hội tỉnh Bà Rịa - Vũng Tàu"),
    ("HỘI ĐỒNG NHÂN DÂN PHƯỜNG 7", "Hội đồng nhân dân phường 7"),
    ("TRUNG TÂM Y TẾ HUYỆN ĐỒNG CỎ", "Trung tâm Y tế huyện Đồng Cỏ"),
    # a body inside a body, and a level word with no place after it
    ("VĂN PHÒNG ỦY BAN NHÂN DÂN TỈNH", "Văn phòng Ủy ban nhân dân tỉnh"),
    ("VĂN PHÒNG SỞ CÔNG THƯƠNG", "Văn phòng Sở Công Thương"),
    # acronyms kept, "&" included; Roman numerals kept; "khu vực" is a scope, not a field
    ("SỞ TT&TT TỈNH SÔNG MÂY", "Sở TT&TT tỉnh Sông Mây"),
    ("TRƯỜNG THPT SỐ 2 HUYỆN ĐỒNG CỎ", "Trường THPT số 2 huyện Đồng Cỏ"),
    ("CHI CỤC THUẾ KHU VỰC III", "Chi cục Thuế khu vực III"),
    ("KHO BẠC NHÀ NƯỚC KHU VỰC XII", "Kho bạc Nhà nước khu vực XII"),
    # Ban Chỉ đạo and its field; "phòng, chống" is one verb
    ("BAN CHỈ ĐẠO CHUYỂN ĐỔI SỐ TỈNH SÔNG MÂY", "Ban Chỉ đạo Chuyển đổi số tỉnh Sông Mây"),
    ("BAN CHỈ ĐẠO PHÒNG, CHỐNG DỊCH BỆNH", "Ban Chỉ đạo Phòng, chống dịch bệnh"),
    # a commune's MTTQ bodies; proper names inside
    ("ỦY BAN MTTQ VIỆT NAM XÃ LÚA VÀNG", "Ủy ban MTTQ Việt Nam xã Lúa Vàng"),
    ("BAN THƯỜNG TRỰC ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM XÃ LÚA VÀNG",
     "Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam xã Lúa Vàng"),
    ("ĐOÀN THANH NIÊN CỘNG SẢN HỒ CHÍ MINH PHƯỜNG BẾN ĐÁ", "Đoàn Thanh niên Cộng sản Hồ Chí Minh phường Bến Đá"),
    ("ĐẢNG ỦY XÃ LÚA VÀNG", "Đảng ủy xã Lúa Vàng"),
    ("UỶ BAN NHÂN DÂN XÃ LÚA VÀNG", "Uỷ ban nhân dân xã Lúa Vàng"),  # the old accent placement kept
    ("UBND TP. BẾN ĐÁ", "UBND TP. Bến Đá"),
    ("TRUNG TÂM Y TẾ TX. BẾN ĐÁ", "Trung tâm Y tế TX. Bến Đá"),  # an abbreviated level: its place follows
    # associations: their kind (Hội, Liên hiệp) and their field capitalised, the bodies a federation
    # gathers after "các" a kind with its field (Phụ lục II: "chỉ loại hình cơ quan, tổ chức; chức
    # năng, lĩnh vực hoạt động")
    ("HỘI NÔNG DÂN XÃ LÚA VÀNG", "Hội Nông dân xã Lúa Vàng"),
    ("HỘI LIÊN HIỆP PHỤ NỮ HUYỆN ĐỒNG CỎ", "Hội Liên hiệp Phụ nữ huyện Đồng Cỏ"),
    ("LIÊN HIỆP CÁC HỘI VĂN HỌC NGHỆ THUẬT TỈNH SÔNG MÂY", "Liên hiệp các Hội Văn học nghệ thuật tỉnh Sông Mây"),
    ("LIÊN HIỆP CÁC HỘI KHOA HỌC VÀ KỸ THUẬT TỈNH SÔNG MÂY", "Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Sông Mây"),
    ("BAN QUẢN LÝ DỰ ÁN THUỘC SỞ Y TẾ", "Ban Quản lý dự án thuộc Sở Y tế"),
    # ... but a common noun for bodies or members after a joining word is a word ("các đoàn thể")
    ("VĂN PHÒNG CÁC ĐOÀN THỂ XÃ LÚA VÀNG", "Văn phòng các đoàn thể xã Lúa Vàng"),
    ("BAN CHỈ ĐẠO VỀ ĐỘI NGŨ CÁN BỘ", "Ban Chỉ đạo về đội ngũ cán bộ"),
    # after "về" the field a body works on, whatever word of a kind it opens with ("quỹ", "đài")
    ("BAN CHỈ ĐẠO VỀ QUỸ ĐẤT", "Ban Chỉ đạo về quỹ đất"),
    ("HỘI ĐỒNG TƯ VẤN VỀ ĐÀI TƯỞNG NIỆM", "Hội đồng Tư vấn về đài tưởng niệm"),
    # a kind that names its level is followed by the place alone; a field that happens to share a
    # place's words is no place
    ("TỈNH ĐOÀN QUẢNG NGÃI", "Tỉnh đoàn Quảng Ngãi"),
    ("HUYỆN ỦY MỘ ĐỨC", "Huyện ủy Mộ Đức"),
    ("SỞ VĂN HÓA VÀ THỂ THAO", "Sở Văn hóa và Thể thao"),
]


@pytest.mark.parametrize(("printed", "expected"), NAMES)
def test_agency_names_in_the_case_of_phu_luc_ii(printed, expected):
    assert agency_case(printed) == expected
    assert upper_vi(expected) == printed  # only the case changes, never a letter


POSTS = [
    ("GIÁM ĐỐC", "Giám đốc"),
    ("PHÓ GIÁM ĐỐC", "Phó Giám đốc"),
    ("CHỦ TỊCH", "Chủ tịch"),
    ("PHÓ CHỦ TỊCH", "Phó Chủ tịch"),
    ("TRƯỞNG BAN", "Trưởng ban"),
    ("PHÓ TRƯỞNG BAN", "Phó Trưởng ban"),
    ("CHÁNH VĂN PHÒNG", "Chánh Văn phòng"),
    ("HIỆU TRƯỞNG", "Hiệu trưởng"),
    ("GIÁM ĐỐC SỞ TƯ PHÁP", "Giám đốc Sở Tư pháp"),
    ("PHÓ CHỦ TỊCH THƯỜNG TRỰC", "Phó Chủ tịch thường trực"),
]


@pytest.mark.parametrize(("printed", "expected"), POSTS)
def test_posts_in_running_text_case(printed, expected):
    assert title_case(printed) == expected
    # A known post follows the rule whatever a sentence writes ("phó giám đốc các sở" is a common noun).
    assert title_case(printed, f"Giao {expected.lower()} các đơn vị. {expected.upper()}") == expected


HEADINGS = [
    ("MỤC ĐÍCH, YÊU CẦU", "Mục đích, yêu cầu"),
    ("TỔ CHỨC THỰC HIỆN", "Tổ chức thực hiện"),
    ("NHIỆM VỤ CỦA UBND CÁC XÃ NĂM 2026", "Nhiệm vụ của UBND các xã năm 2026"),
    ("PHÁT TRIỂN VĂN HÓA Ở VIỆT NAM", "Phát triển văn hóa ở Việt Nam"),
    # Acronyms shaped like no Vietnamese syllable: two runs of vowels, a final consonant none ends
    # with, a letter Vietnamese lacks. Words of one syllable each (ỨNG, TUYẾN) stay words.
    ("KẾT QUẢ CHỈ SỐ PAPI, SIPAS NĂM 2024", "Kết quả chỉ số PAPI, SIPAS năm 2024"),
    ("DANH MỤC DỰ ÁN ODA VÀ SẢN PHẨM OCOP", "Danh mục dự án ODA và sản phẩm OCOP"),
    ("CHỈ SỐ PAR INDEX, PCI; GIA NHẬP WTO", "Chỉ số PAR INDEX, PCI; gia nhập WTO"),
    ("PHÒNG, CHỐNG DỊCH COVID-19 Ở CÁC TRƯỜNG", "Phòng, chống dịch COVID-19 ở các trường"),
    ("TRIỂN KHAI ỨNG DỤNG TRỰC TUYẾN", "Triển khai ứng dụng trực tuyến"),
    # Loanwords spelled the Vietnamese way (a tone mark, a hat, syllables joined by "-") are words,
    # whatever their letters: an acronym is written in bare Latin capitals.
    ("LẮP ĐẶT PANÔ, PA-NÔ VÀ KI-ỐT TUYÊN TRUYỀN", "Lắp đặt panô, pa-nô và ki-ốt tuyên truyền"),
    ("IN MAKÉT CỔ ĐỘNG; DÂN TỘC BA-NA", "In makét cổ động; dân tộc ba-na"),
]


@pytest.mark.parametrize(("printed", "expected"), HEADINGS)
def test_headings_in_sentence_case(printed, expected):
    assert heading_case(printed) == expected


@pytest.mark.skipif(not admin_units.available(), reason="vietnamadminunits' data is not installed")
def test_a_known_place_in_a_heading_keeps_its_capitals():
    # In a heading only a place the units' data knows is capitalised ("tỉnh" alone stays lower).
    assert heading_case("TRIỂN KHAI TRÊN ĐỊA BÀN TỈNH LÀO CAI") == "Triển khai trên địa bàn tỉnh Lào Cai"
    assert heading_case("TRIỂN KHAI TRÊN ĐỊA BÀN TỈNH") == "Triển khai trên địa bàn tỉnh"


@pytest.mark.skipif(not admin_units.available(), reason="vietnamadminunits' data is not installed")
def test_a_syllable_of_a_place_name_is_no_acronym():
    # The Central Highlands' names break the usual syllable's shape (Đắk Mil, Cư Jút, Krông Nô): a
    # syllable the units' data names a place with is a word, never kept in capitals as an acronym.
    out = heading_case("PHÁT TRIỂN CÀ PHÊ ĐẮK MIL, CƯ JÚT VÀ KRÔNG NÔ").split()
    assert not {"MIL", "MIL,", "JÚT", "KRÔNG"} & set(out), out
    assert heading_case("KẾT QUẢ CHỈ SỐ PAPI VÀ SẢN PHẨM OCOP") == "Kết quả chỉ số PAPI và sản phẩm OCOP"


def test_stray_words_elsewhere_do_not_change_a_name():
    # A person's name, a sentence start and a lower-case common noun say nothing of the body's name.
    written = ("Ông Nguyễn Văn An phát biểu. Thể thao quần chúng phát triển. Các ủy ban nhân dân "
               "các cấp phối hợp. An toàn là trên hết.")
    assert agency_case("SỞ VĂN HÓA VÀ THỂ THAO", written) == "Sở Văn hóa và Thể thao"
    assert agency_case("ỦY BAN NHÂN DÂN TỈNH SÔNG MÂY", written) == "Ủy ban nhân dân tỉnh Sông Mây"
    # The place is capitalised although the text never writes it.
    assert agency_case("UBND TỈNH AN GIANG", "Giao UBND tỉnh chủ trì.") == "UBND tỉnh An Giang"


def test_the_whole_name_as_the_text_writes_it_wins():
    written = "Giao Ban Quản lý Dự án Đầu tư Xây dựng chủ trì; Ban Quản lý Dự án Đầu tư Xây dựng báo cáo."
    assert agency_case("BAN QUẢN LÝ DỰ ÁN ĐẦU TƯ XÂY DỰNG") == "Ban Quản lý dự án đầu tư xây dựng"
    assert agency_case("BAN QUẢN LÝ DỰ ÁN ĐẦU TƯ XÂY DỰNG", written) == "Ban Quản lý Dự án Đầu tư Xây dựng"
    # Only as whole words: a longer name that contains it is another body.
    assert agency_case("SỞ Y TẾ", "Giao Sở Y Tếxyz.") == "Sở Y tế"


def test_lines_of_one_name_are_cased_as_one_name():
    assert lines_case(["ỦY BAN NHÂN DÂN", "TỈNH SÔNG MÂY"], agency_case) == ["Ủy ban nhân dân", "tỉnh Sông Mây"]
    assert lines_case(["SỞ VĂN HÓA VÀ", "THỂ   THAO"], agency_case) == ["Sở Văn hóa và", "Thể   thao"]
    assert lines_case(["SỞ Y TẾ"], agency_case, "Sở Y tế chủ trì") == ["Sở Y tế"]
    # A federation's name cut before or after "các": the bodies it gathers keep their capital.
    assert lines_case(["LIÊN HIỆP CÁC", "HỘI VĂN HỌC NGHỆ THUẬT"], agency_case) \
        == ["Liên hiệp các", "Hội Văn học nghệ thuật"]
    assert lines_case(["LIÊN HIỆP", "CÁC HỘI VĂN HỌC NGHỆ THUẬT"], agency_case) \
        == ["Liên hiệp", "các Hội Văn học nghệ thuật"]
    # A level written short ending a line: its place, on the next, is a place.
    assert lines_case(["TRUNG TÂM Y TẾ TP.", "BẾN ĐÁ"], agency_case) == ["Trung tâm Y tế TP.", "Bến Đá"]


def test_a_parent_over_its_part_is_cased_name_by_name():
    """A parent with no place over a body that is its part prints two names: the second line's kind is
    a name's first word ("Cục", "Chi nhánh"), as it is when the parent ends with its place; a name
    wrapped before its place or mid-phrase stays one name."""
    assert lines_case(["BỘ Y TẾ", "CỤC QUẢN LÝ DƯỢC"], agency_case) == ["Bộ Y tế", "Cục Quản lý dược"]
    assert lines_case(["NGÂN HÀNG CHÍNH SÁCH XÃ HỘI", "CHI NHÁNH TỈNH SÔNG MÂY"], agency_case)[1] \
        == "Chi nhánh tỉnh Sông Mây"
    assert lines_case(["ỦY BAN NHÂN DÂN TỈNH", "SÔNG MÂY", "SỞ Y TẾ"], agency_case) \
        == ["Ủy ban nhân dân tỉnh", "Sông Mây", "Sở Y tế"]
    assert lines_case(["TRUNG TÂM Y TẾ", "HUYỆN SÔNG MÂY"], agency_case) == ["Trung tâm Y tế", "huyện Sông Mây"]


def test_text_already_in_mixed_case_is_kept():
    assert agency_case("Sở Văn hóa và thể thao") == "Sở Văn hóa và thể thao"
    assert title_case("Phó giám đốc") == "Phó giám đốc"


# --- through the importer ------------------------------------------------------------------------

BODY_NEVER_NAMES = [
    "Ông Nguyễn Văn An, chuyên viên, theo dõi việc thực hiện Kế hoạch này.",
    {"text": "I. MỤC ĐÍCH, YÊU CẦU", "bold": True},
    "Thể thao quần chúng được quan tâm; an toàn cho người tham gia.",
    {"text": "II. TỔ CHỨC THỰC HIỆN", "bold": True},
    "Các đơn vị thực hiện nghiêm túc Kế hoạch này./.",
]


def _import(tmp_path: Path, path: Path) -> dict:
    out = tmp_path / f"{path.stem}.yaml"
    result = import_file(path, out, force=True)
    return yaml.safe_load(result.text)


def test_import_when_the_body_never_writes_the_names(tmp_path):
    header = Header(parent=("UBND TỈNH SÔNG MÂY",), issuer=("SỞ VĂN HÓA VÀ THỂ THAO",))
    path = build_plan(tmp_path / "khong-viet-ten.docx", header=header, body=BODY_NEVER_NAMES,
                      recipients=("- Như trên;", "- Lưu: VT."), signer=("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"))
    data = _import(tmp_path, path)
    agency = data["agency"]
    parent = agency["parent"] if isinstance(agency["parent"], str) else " ".join(agency["parent"])
    name = agency["name"] if isinstance(agency["name"], str) else " ".join(agency["name"])
    assert " ".join(parent.split()) == "UBND tỉnh Sông Mây"
    assert " ".join(name.split()) == "Sở Văn hóa và Thể thao"
    assert data["signer"]["head_title"] == "Giám đốc"
    assert data["signer"]["title"] == "Phó Giám đốc"
    assert [s["title"] for s in data["sections"]] == ["Mục đích, yêu cầu", "Tổ chức thực hiện"]
    # Rendered again, the signature and the header print them in capitals, as the original did.
    back = tmp_path / "back.docx"
    back.write_bytes(render_plan(load_plan(tmp_path / "khong-viet-ten.yaml")))
    texts = " ".join(" ".join(Doc(back).lines(tables=True)).split())
    for printed in ("UBND TỈNH SÔNG MÂY", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "I. MỤC ĐÍCH, YÊU CẦU"):
        assert printed in texts


def test_import_where_the_body_writes_the_name_its_own_way(tmp_path):
    header = Header(parent=("UBND TỈNH SÔNG MÂY",), issuer=("BAN QUẢN LÝ DỰ ÁN", "ĐẦU TƯ XÂY DỰNG"),
                    number="Số:      /KH-BQLDA")
    body = ["Ban Quản lý Dự án Đầu tư Xây dựng ban hành Kế hoạch như sau:", *BODY_NEVER_NAMES[1:]]
    path = build_plan(tmp_path / "viet-ten.docx", header=header, body=body,
                      recipients=("- Như trên;", "- Lưu: VT."), signer=("TRƯỞNG BAN",))
    data = _import(tmp_path, path)
    assert data["agency"]["name"] == ["Ban Quản lý Dự án", "Đầu tư Xây dựng"]
    assert data["signer"]["title"] == "Trưởng ban"


def test_import_of_a_commune_mttq_header(tmp_path):
    header = Header(parent=("ỦY BAN MTTQ VIỆT NAM", "XÃ LÚA VÀNG"), issuer=("BAN THƯỜNG TRỰC",),
                    number="Số: 16/KH-MTTQ-BTT", date="Lúa Vàng, ngày 12 tháng 02 năm 2026")
    path = build_plan(tmp_path / "mttq.docx", header=header, body=BODY_NEVER_NAMES,
                      recipients=("- Như trên;", "- Lưu: VT."), signer=("TM. BAN THƯỜNG TRỰC", "CHỦ TỊCH"))
    data = _import(tmp_path, path)
    assert data["agency"]["parent"] == ["Ủy ban MTTQ Việt Nam", "xã Lúa Vàng"]
    assert data["agency"]["name"] == "Ban Thường trực"
    assert data["signer"]["collective"] == "Ban Thường trực"
    assert data["signer"]["title"] == "Chủ tịch"


def test_only_the_levels_names_write_short_keep_their_dot():
    # "TP." and "TX." abbreviate a level; "Q." is the signer's "Quyền", "H." an initial: no level.
    assert all(abbreviates_a_level(w) for w in ("TP.", "TX.", "Tp.", "TP.,", "(TX."))
    assert not any(abbreviates_a_level(w) for w in ("TP", "Q.", "H.", "TT.", "HÓA."))


def _printed(name: str | list[str]) -> list[str]:
    """A name's data as the lines it prints on (a list of lines, each a text with line breaks)."""
    return [line for text in ([name] if isinstance(name, str) else name) for line in text.split("\n")]


@pytest.mark.parametrize("level", ["TP.", "TX."])
@pytest.mark.parametrize("typed", [None, "break"], ids=["hai-doan", "xuong-dong"])
def test_import_keeps_the_dot_of_a_level_written_short(tmp_path, level, typed):
    """A name cut after a level written short ("TRUNG TÂM Y TẾ TP." over "BẾN ĐÁ"), as two
    paragraphs or one with a line break: the dot is the abbreviation's, kept, and no slip is said;
    the place on the next line is a place. Rendered again, the header prints it as the original."""
    header = Header(parent=("SỞ Y TẾ TỈNH SÔNG MÂY",), issuer=(f"TRUNG TÂM Y TẾ {level}", "BẾN ĐÁ"),
                    issuer_one_paragraph=typed, number="Số:      /KH-TTYT")
    path = build_plan(tmp_path / "ttyt.docx", header=header, body=BODY_NEVER_NAMES,
                      recipients=("- Như trên;", "- Lưu: VT."), signer=("GIÁM ĐỐC",))
    result = import_file(path, tmp_path / "ttyt.yaml", force=True)
    data = yaml.safe_load(result.text)
    assert _printed(data["agency"]["name"]) == [f"Trung tâm Y tế {level}", "Bến Đá"]
    assert not [w for w in result.warnings if "dấu câu" in str(w)], result.warnings
    back = tmp_path / "back.docx"
    back.write_bytes(render_plan(load_plan(tmp_path / "ttyt.yaml")))
    lines = Doc(back).lines(tables=True)
    assert f"TRUNG TÂM Y TẾ {level}" in lines and "BẾN ĐÁ" in lines


def test_import_drops_a_stray_mark_closing_a_name(tmp_path):
    # A dot after a word that abbreviates nothing is a slip the page shows: dropped, and said.
    header = Header(parent=("UBND TP. BẾN ĐÁ",), issuer=("SỞ Y TẾ.",), number="Số:      /KH-SYT")
    path = build_plan(tmp_path / "syt.docx", header=header, body=BODY_NEVER_NAMES,
                      recipients=("- Như trên;", "- Lưu: VT."), signer=("GIÁM ĐỐC",))
    result = import_file(path, tmp_path / "syt.yaml", force=True)
    data = yaml.safe_load(result.text)
    assert data["agency"]["name"] == "Sở Y tế"
    assert data["agency"]["parent"] == "UBND TP. Bến Đá"
    assert len([w for w in result.warnings if "dấu câu" in str(w)]) == 1, result.warnings


def test_import_of_a_federation_of_associations(tmp_path):
    header = Header(parent=("UBND TỈNH SÔNG MÂY",), issuer=("LIÊN HIỆP CÁC HỘI", "VĂN HỌC NGHỆ THUẬT"),
                    number="Số:      /KH-LHH")
    path = build_plan(tmp_path / "lhh.docx", header=header, body=BODY_NEVER_NAMES,
                      recipients=("- Như trên;", "- Lưu: VT."), signer=("CHỦ TỊCH",))
    data = _import(tmp_path, path)
    assert " ".join(_printed(data["agency"]["name"])) == "Liên hiệp các Hội Văn học nghệ thuật"


def test_a_syllable_that_looks_like_a_roman_numeral():
    assert heading_case("PHẠM VI, ĐỐI TƯỢNG ÁP DỤNG") == "Phạm vi, đối tượng áp dụng"
    assert agency_case("CHI CỤC THUẾ KHU VỰC VI") == "Chi cục Thuế khu vực VI"
    assert heading_case("KẾT QUẢ HỘI NGHỊ LẦN THỨ XI") == "Kết quả hội nghị lần thứ XI"


def test_a_body_named_in_a_heading_as_sentences_write_it():
    written = ("Giao Sở Văn hóa và Thể thao chủ trì. Thể thao quần chúng phát triển. "
               "Ông Nguyễn Văn An theo dõi.")
    assert heading_case("TRÁCH NHIỆM CỦA SỞ VĂN HÓA VÀ THỂ THAO", written) == \
        "Trách nhiệm của Sở Văn hóa và Thể thao"
    # A sentence's first words and a person's name are no body's name.
    assert heading_case("PHÁT TRIỂN THỂ THAO QUẦN CHÚNG", written) == "Phát triển thể thao quần chúng"
    assert heading_case("NÂNG CAO VĂN HÓA CƠ SỞ", written) == "Nâng cao văn hóa cơ sở"


def test_paragraphs_are_sentences_of_their_own():
    # written holds one paragraph a line (table cells side by side are no sentence).
    written = "Nội dung\nThời gian thực hiện\nCác đơn vị chuẩn bị.\nGiao Sở Y tế chủ trì."
    assert heading_case("NỘI DUNG, THỜI GIAN THỰC HIỆN", written) == "Nội dung, thời gian thực hiện"
    assert heading_case("TRÁCH NHIỆM CỦA SỞ Y TẾ", written) == "Trách nhiệm của Sở Y tế"


def test_common_nouns_capitalised_in_sentences_stay_lower_in_a_heading():
    written = "Đẩy mạnh phong trào Thi đua yêu nước; tăng cường công tác Kiểm tra, Giám sát."
    assert heading_case("NỘI DUNG THI ĐUA VÀ KIỂM TRA, GIÁM SÁT", written) == "Nội dung thi đua và kiểm tra, giám sát"


def test_a_heading_that_starts_with_a_body():
    assert heading_case("SỞ Y TẾ VÀ CÁC ĐƠN VỊ", "Giao Sở Y tế chủ trì.") == "Sở Y tế và các đơn vị"


def test_a_word_shaped_like_an_acronym_is_the_word_the_text_writes():
    # VIDEO, EMAIL and PAPI look alike letter by letter; the plan's own sentences tell them apart.
    written = ("Tuyên truyền qua video, email và trang Facebook của Sở; nâng cao chỉ số PAPI của tỉnh, "
               "trong phạm vi toàn tỉnh.")
    assert heading_case("TUYÊN TRUYỀN QUA VIDEO, EMAIL, FACEBOOK", written) == \
        "Tuyên truyền qua video, email, Facebook"
    assert heading_case("NÂNG CAO CHỈ SỐ PAPI", written) == "Nâng cao chỉ số PAPI"
    assert heading_case("KHU VỰC VI", written) == "Khu vực VI"  # a Roman numeral, though "phạm vi" is a word
