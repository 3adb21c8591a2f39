"""Header lines typed with a slip still read as the part Word prints.

A clerk's slip on the line the recogniser keys on (the tên loại "KẾ HOACH", the label "So:", the date's
"ngay … nam 26", "Nơi nhân:") used to refuse the whole file or lose the part. Each case below is the
plain plan of tests/test_check_invariance with one header line retyped: import must give the clean
plan's data (what can be read is) and say the slip; check must report it by the line's form rule and
change no other finding. A small generator makes the slips (a mark left out, a mark on the next vowel,
a space left out, a closing mark) so the cause is tested, not a list of words. Near misses stay what
they are: another type ("BÁO CÁO"), another word ("KẾT LUẬN", "KẾ TOÁN"), a slip where no tên loại stands.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import docx
import pytest

from generator.check import check_docx
from generator.errors import UserError
from generator.jobs.importer import import_docx
from generator.recognise import read_docx
from generator.recognise.lines import parse_date_line, parse_number_line
from tests.test_check_invariance import _plain
from tests.word_fixtures import Header, build_plan

NUMBER = "Số: 12/KH-SVHTT"
DATE = "Sông Mây, ngày 05 tháng 3 năm 2026"
HEADER = dict(issuer=("SỞ VĂN HÓA", "VÀ THỂ THAO"), number=NUMBER, date=DATE)
LINES = {"title": "KẾ HOẠCH", "number": NUMBER, "date": DATE, "noi_nhan": "Nơi nhận:"}
VOWELS = "aăâeêioôơuưy"
TONES = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng: the marks a clerk puts on the wrong vowel


# --- the slips a clerk makes ------------------------------------------------------------------------


def _marks(c: str) -> tuple[str, str]:
    """A letter and its marks (combining characters), apart."""
    d = unicodedata.normalize("NFD", c)
    return d[0], d[1:]


def clerk_slips(text: str, span: tuple[int, int] | None = None, *, closing: bool = False) -> list[str]:
    """One slip each, in text[span] (the words that label the line): a mark left out, a tone mark put
    on the vowel next to its own in the same word, a space left out; with closing, a stray "." or ":"
    after the line. The page shows each as the line misspelt once."""
    start, end = span or (0, len(text))
    out: list[str] = []

    def put(i: int, c: str) -> str:
        return text[:i] + unicodedata.normalize("NFC", c) + text[i + 1:]

    for i in range(start, end):
        base, marks = _marks(text[i])
        for k in range(len(marks)):  # one of its marks left out ("nhận" typed "nhân", "nhạn")
            out.append(put(i, base + marks[:k] + marks[k + 1:]))
        tone = next((m for m in marks if m in TONES), "")
        for j in (i - 1, i + 1):  # the tone mark on the vowel beside it, in the same word
            if not tone or not start <= j < end or _marks(text[j])[0].lower() not in VOWELS \
                    or _marks(text[j])[1]:
                continue
            moved = put(i, base + marks.replace(tone, ""))
            out.append(moved[:j] + unicodedata.normalize("NFC", text[j] + tone) + moved[j + 1:])
        if text[i] == " ":
            out.append(text[:i] + text[i + 1:])
    if closing:
        out += [text + ".", text + ":"]
    return sorted(set(out) - {text})


# --- the fixture and what import and check make of it -------------------------------------------------


def _retype(path: Path, old: str, new: str) -> None:
    """Type `new` over the line printing `old`, in the same runs (the formatting kept)."""
    document = docx.Document(str(path))
    paras = [*document.paragraphs, *(p for t in document.tables for c in t._cells for p in c.paragraphs)]
    line = next(p for p in paras if p.text == old)
    runs = [r for r in line.runs if r.text]  # a run holding a drawn line keeps it
    runs[0].text = new
    for run in runs[1:]:
        run.text = ""
    document.save(str(path))


def _build(path: Path, line: str | None = None, text: str = "") -> Path:
    _plain(path, Header(**HEADER))  # type: ignore[arg-type]
    if line is not None:
        _retype(path, LINES[line], text)
    return path


def _findings(path: Path) -> dict[tuple[str, str], str]:
    """Every finding that is not a pass: (rule, status) → its message."""
    return {(r.rule, r.status): r.message for r in check_docx(path).results if r.status != "pass"}


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], dict[tuple[str, str], str]]:
    path = _build(tmp_path_factory.mktemp("clean") / "dung.docx")
    return import_docx(path).data, _findings(path)


def _slipped(tmp_path: Path, clean: tuple[dict[str, Any], dict[tuple[str, str], str]], line: str, text: str,
             rule: str) -> tuple[dict[str, Any], list[str], str]:
    """Import and check the plan with one line retyped: the slip's rule fails and no other finding
    changes. Returns the data, the import's warnings and the rule's message."""
    path = _build(tmp_path / "sai.docx", line, text)
    result = import_docx(path)
    found = _findings(path)
    assert set(found) - set(clean[1]) == {(rule, "fail")}, (text, sorted(set(found) ^ set(clean[1])))
    assert set(clean[1]) - set(found) == set(), text
    return result.data, [str(w) for w in result.warnings], found[(rule, "fail")]


# --- tên loại ------------------------------------------------------------------------------------------

TITLE_SLIPS = clerk_slips("KẾ HOẠCH", closing=True)


def test_the_generator_makes_the_slips_seen_in_real_files():
    assert {"KẾ HOACH", "KÊ HOẠCH", "KẾ HỌACH", "KẾHOẠCH", "KẾ HOẠCH."} <= set(TITLE_SLIPS)


@pytest.mark.parametrize("typed", TITLE_SLIPS)
def test_a_ten_loai_typed_with_a_slip_is_ke_hoach_misspelt(tmp_path, clean, typed):
    """The line under the header, in capitals, centred, bold, over the trích yếu, one slip from
    "KẾ HOẠCH": the plan is read as it is without the slip; check says the slip, once."""
    data, warnings, message = _slipped(tmp_path, clean, "title", typed, "PL1.III.5.ten-loai.hinh-thuc")
    assert data == clean[0]
    assert [w for w in warnings if "tên loại" in w and typed in w]
    doc = read_docx(tmp_path / "sai.docx")
    assert doc.document_type == "Kế hoạch" and doc.doc_type is not None and doc.doc_type.text == typed


@pytest.mark.parametrize("typed, kind", [
    ("BÁO CÁO", "Báo cáo"),  # another type: read as that type, never as a plan
    ("KẾT LUẬN", None),  # no type of Phụ lục III, whatever its letters share
    ("KẾ TOÁN", None),
    ("KẾT QUẢ", None),
])
def test_a_near_miss_stays_what_it_is(tmp_path, typed, kind):
    path = _build(tmp_path / "khac.docx", "title", typed)
    assert read_docx(path).document_type == kind
    with pytest.raises(UserError, match="không phải Kế hoạch"):
        import_docx(path)
    # A Báo cáo's tên loại is spelt right; a page with no tên loại has none to misspell.
    assert {r.status for r in check_docx(path).results if r.rule == "PL1.III.5.ten-loai.hinh-thuc"} \
        == ({"pass"} if kind else set())


@pytest.mark.parametrize("where", ["left", "plain", "lower"])
def test_a_slip_is_a_ten_loai_only_where_and_as_one_prints(tmp_path, where):
    """Likeness alone makes no title: "KẾ HOACH" set flush left, or not bold, or typed in small
    letters ("Kế hoach") is text of the page, and the file is refused as it was."""
    path = _build(tmp_path / "cho.docx", "title", "Kế hoach" if where == "lower" else "KẾ HOACH")
    document = docx.Document(str(path))
    line = next(p for p in document.paragraphs if p.text.upper() == "KẾ HOACH")
    if where == "left":
        line.alignment = 0
    if where == "plain":
        for run in line.runs:
            run.bold = False
    document.save(str(path))
    assert read_docx(path).document_type is None
    with pytest.raises(UserError, match="không tìm thấy tên loại"):
        import_docx(path)


# --- Số line ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("typed", clerk_slips(NUMBER, (0, 2)) + ["Số; 12/KH-SVHTT"])
def test_the_so_label_typed_with_a_slip_is_still_the_number_line(tmp_path, clean, typed):
    """"So:", "Sô:", "Số;": the figures and the ký hiệu after it say what the line is; it used to be
    taken for the issuer's last line, and the number and ký hiệu were lost."""
    data, _, message = _slipped(tmp_path, clean, "number", typed, "PL1.III.3.so-ky-hieu.hinh-thuc")
    assert data == clean[0]
    assert f"“{typed.split()[0].rstrip(':;')}" in message


def test_a_number_with_a_letter_is_left_blank_and_said(tmp_path, clean):
    data, warnings, message = _slipped(tmp_path, clean, "number", "Số: 12a/KH-SVHTT", "PL1.III.3.so-ky-hieu.hinh-thuc")
    assert data == {k: v for k, v in clean[0].items() if k != "number"} and "number" in clean[0]
    assert data["agency"]["abbreviation"] == "SVHTT"
    assert "12a" in message and "chữ số" in message
    assert [w for w in warnings if "12a" in w and "để trống số" in w]


def test_a_year_in_the_number_is_read_and_said(tmp_path, clean):
    data, warnings, message = _slipped(tmp_path, clean, "number", "Số: 12/2026/KH-SVHTT",
                                       "PL1.III.3.so-ky-hieu.hinh-thuc")
    assert data == clean[0]
    assert "2026" in message and [w for w in warnings if "2026" in w]


@pytest.mark.parametrize("typed, said", [
    ("Số: 12/KH - SVHTT", "có dấu cách trong ký hiệu"),
    ("Số: 12/KH.SVHTT", "“KH.SVHTT” cần viết “KH-SVHTT”"),
    ("Số: 12/KH–SVHTT", "“KH–SVHTT” cần viết “KH-SVHTT”"),
    ("Số: 12/kh-svhtt", "“kh-svhtt” cần viết “KH-SVHTT”"),
])
def test_a_ky_hieu_typed_with_a_slip_keeps_its_abbreviations(tmp_path, clean, typed, said):
    """Its two parts are still read (the issuer's abbreviation used to become "CQ"): said once by
    check, warned by import."""
    data, warnings, message = _slipped(tmp_path, clean, "number", typed, "PL1.III.3.so-ky-hieu.hinh-thuc")
    assert data == clean[0] and data["agency"]["abbreviation"] == "SVHTT"
    assert message.count(said) == 1 and [w for w in warnings if said in w]


def test_a_legal_document_prints_its_year_in_the_number():
    """"Số: 12/2026/QĐ-UBND" is a legal document's form (Luật ban hành văn bản QPPL): no slip."""
    assert parse_number_line("Số: 12/2026/QĐ-UBND").slip == ""  # type: ignore[union-attr]
    assert parse_number_line("Số: 12/2026/KH-UBND").slip  # type: ignore[union-attr]


# --- date line -------------------------------------------------------------------------------------------

DATE_WORDS = [(DATE.index(w), DATE.index(w) + len(w)) for w in ("ngày", "tháng", "năm")]


@pytest.mark.parametrize("typed", sorted({s for span in DATE_WORDS for s in clerk_slips(DATE, span)})
                         + ["Sông Mây, ngày 05 tháng 3 năm 26", "Sông Mây ngày 05 tháng 3 năm 2026",
                            "Sông Mây, ngày 05 tháng 3, năm 2026"])
def test_a_date_line_typed_with_a_slip_still_gives_the_date(tmp_path, clean, typed):
    data, warnings, message = _slipped(tmp_path, clean, "date", typed, "PL1.III.4.ngay-thang")
    assert data == clean[0]  # the place and the date 2026-03-05 read
    slip = parse_date_line(typed).slip  # type: ignore[union-attr]
    assert slip and slip in message and [w for w in warnings if slip in w]


def test_a_two_digit_year_is_read_in_this_century():
    line = parse_date_line("Sông Mây, ngày 05 tháng 3 năm 26")
    assert line is not None and line.year == 2026 and "2026" in line.slip
    assert parse_date_line("Sông Mây, ngày 05 tháng 3 năm 20266") is None  # no year: not read


@pytest.mark.parametrize("ground", [
    "Căn cứ Quyết định số 12/QĐ-SVHTT ngày 05 tháng 3 năm 2026.",
    "Thực hiện Kế hoạch số 08/KH-UBND ngày 01 tháng 3 năm 2026",
])
def test_a_ground_line_ending_in_a_date_is_no_date_line(tmp_path, ground):
    """A "Căn cứ …" line between the header and the tên loại (as Ủy ban plans print them) that ends in
    the date of the document it cites, under a header that prints no date (the plan a decision issues,
    Phụ lục III Mẫu 1.3): no date line with its comma left out, its "place" a citation. Taken for one,
    the plan lost its "(Ban hành kèm theo …)" decision and was judged as having a date of its own."""
    path = build_plan(tmp_path / "p.docx", header=Header(issuer=("SỞ VĂN HÓA", "VÀ THỂ THAO"), number="", date=""),
                      subtitle="(Ban hành kèm theo Quyết định số 12/QĐ-SVHTT ngày 05/3/2026 của Sở Văn hóa và "
                               "Thể thao)")
    word = docx.Document(str(path))
    line = word.add_paragraph(ground)
    line.paragraph_format.first_line_indent = docx.shared.Cm(1.27)
    word.tables[0]._tbl.addnext(line._p)  # right under the header table, over the tên loại
    word.save(str(path))
    doc = read_docx(path)
    assert doc.date_line is None and [p.text for p in doc.before_title] == [ground]
    assert doc.attached_to is not None and doc.attached_to.symbol == "QĐ-SVHTT"
    assert import_docx(path).data.get("own_number") is False


def test_a_date_line_without_its_comma_names_a_place():
    """The comma after the place left out: the line still reads as the date where what stands before
    "ngày" is a place's name; a place's name holds no "/" (a number and ký hiệu of a document cited)."""
    for typed, place in (("Sông Mây ngày 05 tháng 3 năm 2026", "Sông Mây"),
                         ("Thành phố Hồ Chí Minh ngày 05 tháng 3 năm 2026", "Thành phố Hồ Chí Minh"),
                         ("Quận 1 ngày 05 tháng 3 năm 2026", "Quận 1")):
        line = parse_date_line(typed)
        assert line is not None and line.place == place and line.slip == "thiếu dấu phẩy sau địa danh", typed
    assert parse_date_line("Căn cứ Quyết định số 12/QĐ-SVHTT ngày 05 tháng 3 năm 2026.") is None
    assert parse_date_line("Căn cứ Nghị quyết số 57-NQ/TW ngày 22 tháng 12 năm 2024") is None


# --- Nơi nhận --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("typed", clerk_slips("Nơi nhận:", (0, 8)) + ["Noi nhan:", "Nơi nhận", "Nơi nhận;"])
def test_noi_nhan_typed_with_a_slip_keeps_the_recipients_and_the_signer(tmp_path, clean, typed):
    """"Nơi nhân:" used to lose the Nơi nhận, its list and the signer's block (the signer left blank)."""
    data, _, message = _slipped(tmp_path, clean, "noi_nhan", typed, "PL1.III.9.noi-nhan.hinh-thuc")
    assert data == clean[0]
    assert typed in message


# --- a công văn's "V/v" ----------------------------------------------------------------------------------

@pytest.mark.parametrize("typed", clerk_slips("Về việc tổ chức giải chạy", (0, 7)) + ["V.v tổ chức giải chạy",
                                                                                    "Vv tổ chức giải chạy"])
def test_a_cong_van_subject_typed_with_a_slip_is_still_its_trich_yeu(tmp_path, typed):
    """"Vê việc …", "V.v …" under the Số line used to lose the công văn's trích yếu (its format rules
    not evaluated on it); now it is read and its form rule says the slip."""
    def build(vv: str) -> Path:
        return build_plan(tmp_path / "cv.docx", header=Header(number="Số: 12/SVHTT-VP", vv=vv), title="",
                          subject=(), body=["Kính gửi: Ủy ban nhân dân tỉnh", "Sở đề nghị như sau./."])

    clean_path = build("V/v tổ chức giải chạy")
    clean_found = _findings(clean_path)
    path = build(typed)
    doc = read_docx(path)
    assert doc.document_type == "Công văn" and [p.text for p in doc.subject_lines] == [typed]
    found = _findings(path)
    assert set(found) - set(clean_found) == {("PL1.III.5.trich-yeu-cong-van.hinh-thuc", "fail")}
    assert set(clean_found) - set(found) == set()


@pytest.mark.parametrize("typed", ["VÀ THỂ THAO.", "VÀ THỂ THAO:", "VÀ THỂ THAO ;"])
def test_an_issuer_line_closed_by_a_stray_mark_is_the_name_without_it(tmp_path, clean, typed):
    """A full stop typed after the issuer's name: the name is read without it (the re-rendered plan
    prints none, as Decree 30's header does), and import says what it dropped."""
    path = _plain(tmp_path / "sai.docx", Header(**HEADER))  # type: ignore[arg-type]
    _retype(path, "VÀ THỂ THAO", typed)
    result = import_docx(path)
    assert result.data == clean[0]
    assert [str(w) for w in result.warnings if "dấu câu ở cuối dòng" in str(w) and typed in str(w)]


@pytest.mark.parametrize("typed", ["KẾ HOACH HÀNH ĐỘNG", "KÊ HOẠCH HÀNH ĐỘNG", "KẾ HỌACH LIÊN TỊCH"])
def test_a_title_going_on_after_its_misspelt_name_reads_as_that_title(tmp_path, typed):
    """The tên loại's name with a slip, then more words ("KẾ HOACH HÀNH ĐỘNG"): read as the same title
    typed right, its words after the name opening the trích yếu; check adds the slip, nothing else."""
    right = " ".join(["KẾ HOẠCH", *typed.split()[2:]])
    reference = _build(tmp_path / "dung.docx", "title", right)
    slipped = _build(tmp_path / "sai.docx", "title", typed)
    assert import_docx(slipped).data == import_docx(reference).data
    found, clean_found = _findings(slipped), _findings(reference)
    assert set(found) - set(clean_found) == {("PL1.III.5.ten-loai.hinh-thuc", "fail")}
    assert set(clean_found) - set(found) == set()
    assert read_docx(slipped).document_type == "Kế hoạch"


@pytest.mark.parametrize("typed", ["KẾ TOÁN HÀNH CHÍNH", "KẾT LUẬN THANH TRA"])
def test_other_words_going_on_stay_no_title(tmp_path, typed):
    with pytest.raises(UserError, match="tên loại"):
        import_docx(_build(tmp_path / "sai.docx", "title", typed))
