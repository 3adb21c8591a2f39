"""Word boundaries for heading lines (generator.document.line_breaks): the dictionary segmenter
against hand-labelled agency names and trích yếu lines, and against underthesea's CRF model.

Each labelled line is written with "_" between syllables of one word (a break there is a word
cut in two) and " | " where a văn thư may break (a break there must be possible); a plain space
says nothing (either reading is fine). The lines are made up for the test, in the shape of real
headings (agency names, places, decisions cited), not taken from any document.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from generator.document import line_breaks
from generator.resources import sealed, unsealed
from generator.document.line_breaks import balanced_lines, columns, key, words

LABELLED = [
    "ỦY_BAN NHÂN_DÂN | HUYỆN | BÌNH_SƠN",
    "PHÒNG VĂN_HÓA | VÀ | THÔNG_TIN",
    "Sở | Khoa_học | và | Công_nghệ",
    "ỦY_BAN NHÂN_DÂN | TỈNH | QUẢNG_NGÃI",
    "SỞ | TÀI_NGUYÊN | VÀ | MÔI_TRƯỜNG",
    "SỞ | GIÁO_DỤC | VÀ | ĐÀO_TẠO",
    "SỞ | LAO_ĐỘNG | - | THƯƠNG_BINH | VÀ | XÃ_HỘI",
    "BAN | THƯỜNG_TRỰC | ỦY_BAN | MẶT_TRẬN | TỔ_QUỐC | VIỆT_NAM | XÃ | TỊNH_PHONG",
    "UBND | THÀNH_PHỐ | HỒ_CHÍ_MINH",
    "ỦY_BAN NHÂN_DÂN | THỊ_XÃ | ĐỨC_PHỔ",
    "VĂN_PHÒNG | ỦY_BAN NHÂN_DÂN | TỈNH",
    "TRUNG_TÂM | PHỤC_VỤ | HÀNH_CHÍNH CÔNG | TỈNH",
    "PHÒNG | TÀI_CHÍNH | - | KẾ_HOẠCH | HUYỆN | SƠN_TỊNH",
    "HỘI_ĐỒNG NHÂN_DÂN | HUYỆN | TƯ_NGHĨA",
    "BAN_CHỈ_ĐẠO | CHUYỂN_ĐỔI SỐ | TỈNH",
    "SỞ | NÔNG_NGHIỆP | VÀ | PHÁT_TRIỂN | NÔNG_THÔN",
    "ỦY_BAN NHÂN_DÂN | XÃ | HÒA_BÌNH",
    "Sở | Thông_tin | và | Truyền_thông | tỉnh | Thừa_Thiên_Huế",
    "Kế_hoạch | truyền_thông | về | hoạt_động | kiểm_soát | thủ_tục | hành_chính | năm | 2024",
    "Kế_hoạch | chuyển_đổi số | của | Ủy_ban nhân_dân | huyện | Bình_Sơn | năm | 2025",
    "Kế_hoạch | thực_hiện | Quyết_định số | 1132/QĐ-TTg | của | Thủ_tướng | Chính_phủ",
    "Kế_hoạch | cải_cách | hành_chính | nhà_nước | giai_đoạn | 2021 | - | 2025",
    "Kế_hoạch | tổ_chức | các | hoạt_động | hưởng_ứng | Ngày | Chuyển_đổi số | quốc_gia",
    "Kế_hoạch | triển_khai | Đề_án | phát_triển | ứng_dụng | dữ_liệu | về | dân_cư, | định_danh | và | xác_thực"
    " | điện_tử",
    "Kế_hoạch | tuyên_truyền | phổ_biến | giáo_dục | pháp_luật | trên | địa_bàn | thành_phố",
    "Kế_hoạch | phòng, | chống | thiên_tai | và | tìm_kiếm | cứu_nạn | năm | 2025",
    "Kế_hoạch | kiểm_tra | công_tác | văn_thư, | lưu_trữ | tại | các | cơ_quan, | đơn_vị",
    "Kế_hoạch | đẩy_mạnh | thanh_toán | không | dùng | tiền_mặt | trong | thu | phí, | lệ_phí",
    "Kế_hoạch | bảo_đảm | an_toàn | thông_tin mạng | trong | cơ_quan | nhà_nước",
    "Kế_hoạch | nâng_cao | chỉ_số | hài_lòng | của | người_dân, | doanh_nghiệp | đối_với | sự | phục_vụ | của"
    " | cơ_quan hành_chính",
    "Kế_hoạch | thực_hiện | Chương_trình | mục_tiêu | quốc_gia | xây_dựng | nông_thôn | mới",
]


KNOWN_MISSES = {"cut: cứu | nạn"}
"""Words neither Viet74K nor the CRF model knows ("cứu nạn"): a break may fall inside them."""


def parse(labelled: str) -> tuple[str, set[int], set[int]]:
    """The line as written, the syllable gaps that must not break, those that must be able to.
    Gap g lies between syllable g-1 and syllable g."""
    joined, breaks = set(), set()
    syllables: list[str] = []
    for piece in labelled.split(" "):
        if piece == "|":
            breaks.add(len(syllables))
            continue
        parts = piece.split("_")
        joined.update(range(len(syllables) + 1, len(syllables) + len(parts)))
        syllables += parts
    return " ".join(syllables), joined, breaks


def gaps(segmented: tuple[str, ...]) -> set[int]:
    """The syllable gaps a segmentation may break at."""
    out, count = set(), 0
    for word in segmented[:-1]:
        count += len(word.split())
        out.add(count)
    return out


def mistakes(segment, labelled: str) -> list[str]:
    text, joined, breaks = parse(labelled)
    found = gaps(segment(text.split()))
    syllables = text.split()
    return ([f"cut: {syllables[g - 1]} | {syllables[g]}" for g in sorted(found & joined)]
            + [f"no break: {syllables[g - 1]} {syllables[g]}" for g in sorted(breaks - found)])


def dictionary(syllables: list[str]) -> tuple[str, ...]:
    lexicon = line_breaks._lexicon()
    assert lexicon is not None
    return line_breaks._longest_match(syllables, lexicon)


needs_lexicon = pytest.mark.skipif(line_breaks._lexicon() is None, reason="underthesea without Viet74K")


@needs_lexicon
@pytest.mark.parametrize("labelled", LABELLED)
def test_the_dictionary_keeps_words_whole_and_breaks_between_them(labelled: str) -> None:
    assert set(mistakes(dictionary, labelled)) <= KNOWN_MISSES


@needs_lexicon
def test_the_dictionary_does_at_least_as_well_as_the_crf_model() -> None:
    pytest.importorskip("underthesea")
    crf = {line: mistakes(line_breaks._crf_words, line) for line in LABELLED}
    ours = {line: mistakes(dictionary, line) for line in LABELLED}
    # Measured when written: the CRF cuts "HỒ | CHÍ MINH", "THỊ XÃ ĐỨC | PHỔ", "Thừa | Thiên Huế",
    # "nâng | cao", "xác | thực điện tử", "cứu | nạn" (8 mistakes); the dictionary only "cứu | nạn".
    assert sum(map(len, ours.values())) <= sum(map(len, crf.values())), {k: v for k, v in crf.items() if v}


@needs_lexicon
def test_both_tone_spellings_are_one_word() -> None:
    assert key("HÓA") == key("hoá") == "hoá"
    assert key("Thủy") == key("thuỷ") == "thuỷ"
    assert key("khỏe") == key("khoẻ")
    assert key("hoàng") == "hoàng"  # a closed syllable has one spelling: untouched
    assert words("Sở Văn hóa, Thể thao và Du lịch") == ("Sở", "Văn hóa,", "Thể thao", "và", "Du lịch")
    assert words("Sở Văn hoá, Thể thao và Du lịch") == ("Sở", "Văn hoá,", "Thể thao", "và", "Du lịch")
    assert "THỦY LỢI" in words("CHI CỤC THỦY LỢI TỈNH") and "THUỶ LỢI" in words("CHI CỤC THUỶ LỢI TỈNH")


@needs_lexicon
def test_no_word_runs_across_punctuation() -> None:
    assert words("công tác phòng, chống tham nhũng") == ("công tác", "phòng,", "chống", "tham nhũng")
    assert words("(Sở Nội vụ) thông tin") == ("(Sở", "Nội vụ)", "thông tin")
    assert words("theo Quyết định 1132/QĐ-TTg") == ("theo", "Quyết định", "1132/QĐ-TTg")


@needs_lexicon
def test_a_place_name_stays_whole_after_its_unit() -> None:
    assert words("ỦY BAN NHÂN DÂN HUYỆN BÌNH SƠN TỈNH QUẢNG NGÃI")[-4:] == ("HUYỆN", "BÌNH SƠN", "TỈNH",
                                                                          "QUẢNG NGÃI")
    assert words("trên địa bàn huyện năm 2025")[-3:] == ("huyện", "năm", "2025")  # no name: nothing joined
    assert "XÃ HỘI" in words("SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI")  # "xã" of "xã hội" is no unit


@needs_lexicon
def test_a_render_does_not_import_underthesea() -> None:
    """The point of the dictionary: underthesea's __init__ (joblib, the CRF model) stays unloaded."""
    code = ("import sys\nfrom generator.document.line_breaks import words\n"
            "assert words('ỦY BAN NHÂN DÂN HUYỆN BÌNH SƠN') == ('ỦY BAN NHÂN DÂN', 'HUYỆN', 'BÌNH SƠN')\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('underthesea', 'joblib')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_without_the_dictionary_the_crf_model_segments(monkeypatch: pytest.MonkeyPatch) -> None:
    if importlib.util.find_spec("underthesea") is None:
        pytest.skip("underthesea not installed")
    monkeypatch.setattr(line_breaks, "_lexicon", lambda: None)
    words.cache_clear()
    try:
        assert words("ỦY BAN NHÂN DÂN HUYỆN BÌNH SƠN") == ("ỦY BAN", "NHÂN DÂN", "HUYỆN", "BÌNH SƠN")
    finally:
        words.cache_clear()


def test_an_agency_name_breaks_into_two_balanced_lines() -> None:
    agency = columns()["agency"]
    assert balanced_lines("ỦY BAN NHÂN DÂN HUYỆN BÌNH SƠN", agency) == ["ỦY BAN NHÂN DÂN", "HUYỆN BÌNH SƠN"]
    assert balanced_lines("PHÒNG VĂN HÓA VÀ THÔNG TIN", agency) == ["PHÒNG VĂN HÓA", "VÀ THÔNG TIN"]


# --- the dictionary's keys made beforehand (generator/resources/viet74k-keys.txt) ----------------

needs_source = pytest.mark.skipif(line_breaks._lexicon_source() is None, reason="underthesea without Viet74K")


@needs_source
def test_the_prebuilt_keys_are_those_of_the_installed_dictionary() -> None:
    """The shipped file is what the script makes from this underthesea's Viet74K.txt: a change to
    key() or lexicon_keys() (or a new underthesea) leaves it stale, and this says how to remake it."""
    source = line_breaks._lexicon_source()
    assert source is not None
    expected = line_breaks.prebuilt_text(source.read_bytes())
    shipped = unsealed(line_breaks.PREBUILT)
    assert shipped is not None, "generator/resources/viet74k-keys.txt is damaged: run `python -m generator.document.line_breaks`"
    # The header ends with the dictionary's sha256, then that of all the keys are made from.
    if shipped.partition("\n")[0].split()[-2] != expected.partition("\n")[0].split()[-2]:
        # A fresh install took another underthesea whose Viet74K differs: the file is not used (next
        # test), the dictionary is keyed as before; the repository is not wrong at this commit. A
        # change here (FIXED_WORDS, key()) with the same dictionary is stale: said below.
        pytest.skip("viet74k-keys.txt made from another Viet74K.txt: not used here; "
                    "run `python -m generator.document.line_breaks` to ship this one's")
    assert shipped == expected, (
        "generator/resources/viet74k-keys.txt is stale: run `python -m generator.document.line_breaks`")


@needs_source
def test_a_word_added_here_without_remaking_is_stale_not_another_dictionary(monkeypatch: pytest.MonkeyPatch) -> None:
    """A word added to FIXED_WORDS leaves the shipped keys stale: the check above fails and says how
    to remake them. Only a file made from another underthesea's Viet74K.txt is skipped as not used
    here: the repository is wrong in the first case, not in the second."""
    monkeypatch.setattr(line_breaks, "FIXED_WORDS", [*line_breaks.FIXED_WORDS, "phòng khám đa khoa"])
    try:
        test_the_prebuilt_keys_are_those_of_the_installed_dictionary()
    except AssertionError as exc:
        assert "is stale" in str(exc)
    except pytest.skip.Exception:
        pytest.fail("a FIXED_WORDS change was skipped as a file made from another Viet74K.txt")
    else:
        pytest.fail("a FIXED_WORDS change left the shipped keys passing as fresh")


@needs_source
def test_the_prebuilt_lexicon_is_the_one_keyed_from_the_source(monkeypatch: pytest.MonkeyPatch,
                                                               tmp_path: Path) -> None:
    source = line_breaks._lexicon_source()
    assert source is not None
    line_breaks._lexicon.cache_clear()
    try:
        shipped = line_breaks._lexicon()
        # A file made from another Viet74K (another hash) is not used: the source is keyed instead.
        stale = tmp_path / "keys.txt"
        stale.write_text(sealed(line_breaks._PREBUILT_HEADER + "0" * 64 + "\nxyz abc\n"), encoding="utf-8")
        monkeypatch.setattr(line_breaks, "PREBUILT", stale)
        line_breaks._lexicon.cache_clear()
        keyed = line_breaks._lexicon()
    finally:
        monkeypatch.undo()
        line_breaks._lexicon.cache_clear()
    assert shipped is not None and keyed is not None and "xyz abc" not in keyed
    assert shipped.text == keyed.text
    assert all(k in shipped for k in ("uỷ ban", "nhân dân", "việt nam", "văn hoá", "người dân"))


@needs_source
def test_a_word_added_to_fixed_words_leaves_the_prebuilt_keys_unused(monkeypatch: pytest.MonkeyPatch) -> None:
    """The shipped keys name what they were made from, FIXED_WORDS included: a word added there
    without making the file again is keyed at run time, never missing from the lookups."""
    source = line_breaks._lexicon_source()
    assert source is not None
    monkeypatch.setattr(line_breaks, "FIXED_WORDS", [*line_breaks.FIXED_WORDS, "xã đoàn kết"])
    line_breaks._lexicon.cache_clear()
    try:
        assert line_breaks._prebuilt(line_breaks.source_digest(source.read_bytes())) is None
        lexicon = line_breaks._lexicon()
        assert lexicon is not None and key("xã đoàn kết") in lexicon
    finally:
        monkeypatch.undo()
        line_breaks._lexicon.cache_clear()


@needs_source
@pytest.mark.parametrize("labelled", LABELLED)
def test_only_entries_a_lookup_can_equal_are_kept(labelled: str) -> None:
    """Every entry of the dictionary (single syllables and sayings too) segments each line as the
    kept ones do: a lookup joins 2..MAX_SYLLABLES syllables, so the rest never matched."""
    source = line_breaks._lexicon_source()
    assert source is not None
    every = set(map(str.strip, key(source.read_text(encoding="utf-8")).splitlines()))
    every.update(key(w) for w in line_breaks.FIXED_WORDS)
    kept = line_breaks._lexicon()
    assert kept is not None and set(kept) < every
    syllables = parse(labelled)[0].split()
    assert line_breaks._longest_match(syllables, frozenset(every)) == line_breaks._longest_match(syllables, kept)


@given(st.lists(st.text(alphabet="ab đơ\u0300", max_size=6), max_size=40), st.lists(st.text(alphabet="ab đơ\u0300", max_size=6), max_size=20))
def test_sorted_keys_hold_what_a_set_holds(keys: list[str], probes: list[str]) -> None:
    """The binary search in the sorted text finds exactly the keys a set of them holds."""
    keys = [k for k in keys if "\n" not in k]
    held = line_breaks.SortedKeys(keys)
    for probe in [*keys, *probes, "", "zzz", "\x00"]:
        assert (probe in held) == (probe in set(keys)), probe
    assert list(held) == sorted(set(keys))
