"""Vietnamese typed in legacy 8-bit fonts (TCVN3 .VnTime/.VnTimeH, VNI-Times) read as Word shows it.

The tables are checked letter by letter (all 134 Vietnamese letters beyond ASCII, both encodings);
then one plan typed in Unicode is re-encoded the ways older agency files are (every run in TCVN3, in
VNI, a TCVN3 header table in a Unicode file, the legacy font inherited from the document defaults or
the Normal style, a legacy font over text already in Unicode, a header or a signature set with tab
stops) and each must read, import and check like the Unicode plan, apart from one finding per legacy
font.
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
from generator.jobs.importer import import_docx
from generator.plan import loader
from generator.word import legacy_fonts as lf
from generator.word.formatting import RunFormat
from generator.recognise import read_docx

# --- the tables ------------------------------------------------------------------------------------


def test_there_are_134_vietnamese_letters_beyond_ascii():
    letters = lf.VIETNAMESE_LETTERS
    assert len(letters) == 134 and len({c.lower() for c in letters}) == 67
    assert "ạ" in letters and "Ữ" in letters and "đ" in letters and "Đ" in letters
    assert all(ord(c) > 0x7F for c in letters)


@pytest.mark.parametrize("letter", sorted(lf.VIETNAMESE_LETTERS))
def test_every_letter_round_trips_through_both_encodings(letter):
    # TCVN3 in an ordinary font (.VnTime): one code, or a capital then its tone alone
    code = lf.encode(letter, lf.TCVN3)
    assert all(ord(c) <= 0xFF for c in code) and not lf.is_unicode(code)
    assert lf.decode(code, lf.TCVN3) == letter
    if letter.islower():
        assert len(code) == 1  # VN3 codes every lowercase letter
    # TCVN3 in a capitals font (.VnTimeH): the lowercase code, drawn as the capital
    if letter.isupper():
        code = lf.encode(letter, lf.TCVN3, capitals=True)
        assert len(code) == 1 and lf.decode(code, lf.TCVN3, capitals=True) == letter
        assert code == lf.TCVN3_CODES[letter.lower()]
    # VNI: a base letter and a mark, or one character
    code = lf.encode(letter, lf.VNI)
    assert 1 <= len(code) <= 2 and all(ord(c) <= 0xFF for c in code)
    assert lf.decode(code, lf.VNI) == letter


def test_known_renderings_decode():
    """The Quốc hiệu and Tiêu ngữ as they look when read raw (TCVN 5712 VN3 and VNI Windows)."""
    assert lf.decode("Céng hoµ x· héi chñ nghÜa ViÖt Nam", lf.TCVN3) == "Cộng hoà xã hội chủ nghĩa Việt Nam"
    assert lf.decode("§éc lËp - Tù do - H¹nh phóc", lf.TCVN3) == "Độc lập - Tự do - Hạnh phúc"
    assert lf.decode("céng hoµ x· héi chñ nghÜa viÖt nam", lf.TCVN3, capitals=True) == \
        "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert lf.decode("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", lf.VNI) == "Cộng hòa xã hội chủ nghĩa Việt Nam"
    assert lf.decode("Ñoäc laäp - Töï do - Haïnh phuùc", lf.VNI) == "Độc lập - Tự do - Hạnh phúc"
    assert lf.decode("ñöôïc", lf.VNI) == "được"
    assert lf.decode("KEÁ HOAÏCH", lf.VNI) == "KẾ HOẠCH"


def test_a_whole_sentence_round_trips():
    text = "Ủy ban nhân dân tỉnh Đắk Lắk: KẾ HOẠCH ứng phó bão lũ, trượt lở đất năm 2026 (giai đoạn I–II)."
    for encoding in (lf.TCVN3, lf.VNI):
        assert lf.decode(lf.encode(text, encoding), encoding) == text


def test_font_names():
    for name in (".VnTime", ".VnTimeH", ".VnArial", ".VnCentury Schoolbook", ".vntime", ".VnTime Bold"):
        assert lf.font_encoding(name) == lf.TCVN3, name
    for name in ("VNI-Times", "VNI-Helve", "vni-times"):
        assert lf.font_encoding(name) == lf.VNI, name
    # Unicode fonts whose names look alike, and ordinary fonts
    for name in ("UVnTime", "VNtimes New Roman", "Times New Roman", "Arial", "", None):
        assert lf.font_encoding(name) is None, name
    assert lf.capitals_font(".VnTimeH") and lf.capitals_font(".VnArialH") and lf.capitals_font(".VnTimeH Bold")
    assert not lf.capitals_font(".VnTime") and not lf.capitals_font("VNI-Times")


def test_the_yaml_loader_uses_codes_of_the_same_tables():
    """plan/loader.py tells a YAML file in a legacy encoding by a few signature characters: each must
    be a code of these tables, and its sign of Unicode is the tables' Unicode-only letters."""
    tcvn3_codes = set("".join(lf.TCVN3_CODES.values()))
    vni_codes = set("".join(lf.VNI_CODES.values()))
    for pattern, codes in ((loader._TCVN3, tcvn3_codes), (loader._VNI, vni_codes)):
        signs = {chr(o) for o in range(0x80, 0x100) if pattern.search("a" + chr(o)) or pattern.search(chr(o) + "a")}
        assert len(signs) >= 8 and signs <= codes, sorted(signs - codes)
    assert set(loader._VIETNAMESE.pattern[1:-1]) == set(lf.UNICODE_ONLY)


def _fmt(font: str | None) -> RunFormat:
    return RunFormat(fonts={"ascii": font, "hAnsi": font, "eastAsia": None, "cs": font}, size=14, bold=False,
                     italic=False, caps=False, underline=None, hidden=False)


def test_runs_are_read_by_their_font():
    runs = [("KÕ ho¹ch ", _fmt(".VnTime")), ("m² ¹", _fmt("Times New Roman")), ("·", _fmt("Symbol")),
            ("kÕ ho¹ch", _fmt(".VnTimeH")), ("ke hoach", _fmt(".VnTimeH")), ("Keá hoaïch", _fmt("VNI-Times"))]
    assert lf.as_drawn(runs) == ["Kế hoạch ", "m² ¹", "·", "KẾ HOẠCH", "KE HOACH", "Kế hoạch"]


def test_unicode_text_in_a_legacy_font_is_kept():
    assert lf.as_drawn([("Kế hoạch năm 2026", _fmt(".VnTime"))]) == ["Kế hoạch năm 2026"]
    assert lf.as_drawn([("Được giao", _fmt("VNI-Times"))]) == ["Được giao"]
    # a short run with nothing to tell ("Hà") goes with the paragraph's other runs in that font
    assert lf.as_drawn([("Hà ", _fmt(".VnTime")), ("Nội", _fmt(".VnTime"))]) == ["Hà ", "Nội"]
    assert lf.as_drawn([("Hµ ", _fmt(".VnTime")), ("Néi", _fmt(".VnTime"))]) == ["Hà ", "Nội"]
    # alone in its paragraph, it goes with the nearest runs in legacy fonts before it
    context = lf.Context()
    lf.as_drawn([("Kế hoạch", _fmt(".VnTime"))], context)
    assert lf.as_drawn([("Tháng 3", _fmt(".VnTime"))], context) == ["Tháng 3"]
    lf.as_drawn([("KÕ ho¹ch", _fmt(".VnTime"))], context)
    assert lf.as_drawn([("Sè: 12", _fmt(".VnTime"))], context) == ["Số: 12"]
    # or, at the start of the document, with the first one after it that tells
    ahead = [("1", _fmt(".VnTime")), ("Tháng", _fmt(".VnTime")), ("Năm", _fmt(".VnTime")), ("Héi", _fmt(".VnTime"))]
    context = lf.Context(lambda: iter(ahead))
    assert lf.as_drawn([("Tháng 3", _fmt(".VnTime"))], context) == ["Tháng 3"]
    assert lf.as_drawn([("Nội dung", _fmt(".VnTime")), ("Tháng 3", _fmt(".VnTime"))], context) == ["Nội dung", "Tháng 3"]
    context = lf.Context(lambda: iter([("Tháng", _fmt(".VnTime")), ("Sè", _fmt(".VnTime")), ("Néi", _fmt(".VnTime"))]))
    assert lf.as_drawn([("Sè: 12", _fmt(".VnTime"))], context) == ["Số: 12"]
    assert lf.as_drawn([("Tháng 3", _fmt(".VnTime"))], lf.Context()) == ["Thỏng 3"]  # nothing tells: as drawn


# --- whole plans -----------------------------------------------------------------------------------


def _plain(path: Path) -> Path:
    """The plan of the invariance tests (tests/test_check_invariance.py), typed in Unicode."""
    from tests.test_check_invariance import _plain as invariance_plain

    invariance_plain(path)
    # a symbol inserted with Insert → Symbol (w:sym) in a body line: never text to convert
    doc = docx.Document(str(path))
    p = next(p for p in doc.paragraphs if p.text.startswith("- Bố trí"))
    p._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:rPr><w:rFonts w:ascii="Times New Roman" '
                          'w:hAnsi="Times New Roman"/></w:rPr><w:sym w:font="Wingdings" w:char="F0FC"/></w:r>'))
    doc.save(str(path))
    return path


def _is_capitals(text: str) -> bool:
    return any(c.isalpha() for c in text) and text == text.upper()


def _retype(scope: Any, encoding: str, *, inherit: bool = False, keep_text: bool = False) -> set[str]:
    """Retype every run with text under scope in a legacy font, as a legacy keyboard would; lines in
    capitals in the TCVN3 capitals font (.VnTimeH), as offices set headings. inherit: the runs name
    no font (it comes from the defaults), except the capitals. keep_text: the font changes, the text
    stays Unicode. Returns the fonts used."""
    base = ".VnTime" if encoding == lf.TCVN3 else "VNI-Times"
    used = set()
    for r in scope.iter(qn("w:r")):
        ts = r.findall(qn("w:t"))
        text = "".join(t.text or "" for t in ts)
        if not text.strip():
            continue
        caps = encoding == lf.TCVN3 and _is_capitals(text)
        face = base + "H" if caps else base
        for t in ts:
            if not keep_text:
                t.text = lf.encode(t.text or "", encoding, capitals=caps)
        rfonts = r.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        if inherit and not caps:
            rfonts.getparent().remove(rfonts)
        else:
            rfonts.set(qn("w:ascii"), face)
            rfonts.set(qn("w:hAnsi"), face)
        used.add(face)
    return used


def _default_font(doc: Any, face: str, *, normal_style: bool) -> None:
    styles = doc.styles.element
    if normal_style:
        style = next(s for s in styles.iterchildren(qn("w:style")) if s.get(qn("w:styleId")) == "Normal")
        rpr = style.find(qn("w:rPr"))
        if rpr is None:
            rpr = parse_xml(f'<w:rPr {nsdecls("w")}/>')
            style.append(rpr)
    else:
        rpr = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = parse_xml(f'<w:rFonts {nsdecls("w")}/>')
        rpr.insert(0, rfonts)
    for attr in list(rfonts.attrib):
        del rfonts.attrib[attr]
    rfonts.set(qn("w:ascii"), face)
    rfonts.set(qn("w:hAnsi"), face)


def all_tcvn3(doc: Any) -> set[str]:
    return _retype(doc.element.body, lf.TCVN3)


def all_vni(doc: Any) -> set[str]:
    return _retype(doc.element.body, lf.VNI)


def tcvn3_header_table(doc: Any) -> set[str]:
    """A Unicode plan whose header table was pasted from an old file."""
    return _retype(doc.tables[0]._tbl, lf.TCVN3)


def tcvn3_from_document_defaults(doc: Any) -> set[str]:
    _default_font(doc, ".VnTime", normal_style=False)
    return _retype(doc.element.body, lf.TCVN3, inherit=True) | {".VnTime"}


def tcvn3_from_normal_style(doc: Any) -> set[str]:
    _default_font(doc, ".VnTime", normal_style=True)
    return _retype(doc.element.body, lf.TCVN3, inherit=True) | {".VnTime"}


def unicode_text_in_legacy_font(doc: Any) -> set[str]:
    """Retyped with a Unicode keyboard, the font left at .VnTime."""
    for rfonts in doc.element.body.iter(qn("w:rFonts")):
        rfonts.set(qn("w:ascii"), ".VnTime")
        rfonts.set(qn("w:hAnsi"), ".VnTime")
    return {".VnTime"}


ENCODINGS: dict[str, Callable[[Any], set[str]]] = {
    "tcvn3": all_tcvn3,
    "vni": all_vni,
    "tcvn3-header": tcvn3_header_table,
    "tcvn3-defaults": tcvn3_from_document_defaults,
    "tcvn3-normal-style": tcvn3_from_normal_style,
    "unicode-in-vntime": unicode_text_in_legacy_font,
}


def _findings(path: Path) -> list[tuple[str, str, str]]:
    return sorted((r.rule, r.status, r.severity) for r in check_docx(path).results
                  if not r.rule.startswith("PL1.II.4."))


@pytest.fixture(scope="module")
def plain(tmp_path_factory) -> tuple[Path, list[str], list[tuple[str, str, str]], dict[str, Any]]:
    path = _plain(tmp_path_factory.mktemp("plain") / "plain.docx")
    read = read_docx(path)
    assert read.not_administrative is None and read.quoc_hieu is not None
    assert not check_docx(path).failed("PL1.II.4.phong-chu")
    return path, [p.text for p in read.paragraphs], _findings(path), import_docx(path).data


def _retyped(plain_path: Path, tmp_path: Path, name: str, change: Callable[[Any], set[str]]) -> tuple[Path, set[str]]:
    doc = docx.Document(str(plain_path))
    before = doc.element.xml
    used = change(doc)
    assert doc.element.xml != before
    out = tmp_path / f"{name}.docx"
    doc.save(str(out))
    return out, used


@pytest.mark.parametrize("name", list(ENCODINGS))
def test_a_plan_in_legacy_fonts_reads_imports_and_checks_like_its_unicode_original(plain, tmp_path, name):
    path, texts, findings, data = plain
    other, used = _retyped(path, tmp_path, name, ENCODINGS[name])
    if name != "unicode-in-vntime":  # the file really holds legacy codes
        raw = "".join(t.text or "" for t in docx.Document(str(other)).element.body.iter(qn("w:t")))
        assert "¹" in raw or "ï" in raw or "Õ" in raw, raw[:200]
    read = read_docx(other)
    assert [p.text for p in read.paragraphs] == texts
    assert read.quoc_hieu is not None and read.quoc_hieu.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert import_docx(other).data == data
    assert _findings(other) == findings
    fonts = [r for r in check_docx(other).failed("PL1.II.4.phong-chu")]
    legacy = [r for r in fonts if "bảng mã" in r.measured]
    assert sorted(r.measured.split(" (")[0] for r in legacy) == sorted(used)  # one finding per font
    assert legacy == fonts  # not also once per font slot
    for r in legacy:
        assert "TCVN 6909:2001" in r.expected and "Unicode" in r.message and r.location
        assert ("TCVN3" if r.measured.startswith(".Vn") else "VNI") in r.measured


def test_the_legacy_font_finding_says_where(plain, tmp_path):
    path = plain[0]
    other, _ = _retyped(path, tmp_path, "header", tcvn3_header_table)
    report = check_docx(other)
    hits = {r.measured.split(" (")[0]: r for r in report.failed("PL1.II.4.phong-chu")}
    assert set(hits) == {".VnTime", ".VnTimeH"}
    assert "bảng 1" in hits[".VnTimeH"].location  # the header table's cells
    assert "TCVN3 (ABC)" in hits[".VnTime"].message


@pytest.mark.parametrize("layout", ["header_with_tab_stops", "signature_with_tab_stops"])
def test_parts_set_with_tab_stops_are_found_in_tcvn3(plain, tmp_path, layout):
    """A header or a Nơi nhận and signer set with tab stops is recognised by its text (the Quốc hiệu,
    "Nơi nhận:"): that text must be read converted too."""
    import tests.test_check_invariance as invariance

    arrange = getattr(invariance, layout)
    reference, _ = _retyped(plain[0], tmp_path, "tabs", lambda d: arrange(d) or set())
    other, used = _retyped(plain[0], tmp_path, "tabs-tcvn3", lambda d: arrange(d) or all_tcvn3(d))
    assert used
    ref, read = read_docx(reference), read_docx(other)
    assert ref.quoc_hieu is not None and ref.signer_name is not None and len(ref.tables) >= 2
    assert [p.text for p in read.paragraphs] == [p.text for p in ref.paragraphs]
    assert len(read.tables) == len(ref.tables)  # the lines in columns are read as a table in both
    assert read.quoc_hieu is not None and read.quoc_hieu.text == ref.quoc_hieu.text
    assert [p.text for p in read.issuer_lines] == [p.text for p in ref.issuer_lines]
    assert read.signer_name is not None and read.signer_name.text == ref.signer_name.text
    assert _findings(other) == _findings(reference)
    assert import_docx(other).data == import_docx(reference).data


def test_a_symbol_in_a_legacy_run_is_not_text(plain, tmp_path):
    # A w:sym prints its own font's glyph, whatever the run's font: in a legacy run it is not read
    # as TCVN3 text, and the page reads as the same page with Unicode fonts.
    texts = []
    for name, retype in (("unicode", None), ("tcvn3", all_tcvn3)):
        doc = docx.Document(str(plain[0]))
        sym = next(r for r in doc.element.body.iter(qn("w:r")) if r.find(qn("w:sym")) is not None)
        legacy_sym = copy.deepcopy(sym)
        legacy_sym.find(f"{qn('w:rPr')}/{qn('w:rFonts')}").set(qn("w:hAnsi"), ".VnTime")
        sym.addnext(legacy_sym)
        if retype is not None:
            retype(doc)
        other = tmp_path / f"sym-{name}.docx"
        doc.save(str(other))
        texts.append([p.text for p in read_docx(other).paragraphs])
    assert texts[0] == texts[1]
    assert sum(a != b for a, b in zip(texts[0], plain[1], strict=True)) == 1  # only the symbol's line


def test_import_writes_unicode_and_the_render_uses_the_template_font(plain, tmp_path):
    """`kehoach import` of a TCVN3 plan writes Unicode data (the YAML loader would refuse legacy
    codes); the plan rendered from it is in the template's Unicode font."""
    from generator.jobs.importer import import_file
    from generator.jobs.issue import render_file

    other, _ = _retyped(plain[0], tmp_path, "tcvn3", all_tcvn3)
    result = import_file(other, tmp_path / "ke-hoach.yaml")
    text = Path(result.output).read_text(encoding="utf-8")
    assert "Tổ chức giải chạy vì sức khỏe cộng đồng" in text and "Khảo sát đường chạy" in text
    assert loader.legacy_encoding(text) is None and "¹" not in text
    out = render_file(result.output, tmp_path / "ke-hoach.docx")
    rendered = docx.Document(str(out))
    faces = {rf.get(qn(f"w:{slot}")) for part in (rendered.element.body, rendered.styles.element)
             for rf in part.iter(qn("w:rFonts")) for slot in ("ascii", "hAnsi")} - {None}
    assert faces and not any(lf.font_encoding(f) for f in faces), faces
    assert not check_docx(out).failed("PL1.II.4.phong-chu")
    body = " ".join(p.text for p in read_docx(out).paragraphs)
    assert "Bảo đảm an toàn cho người tham gia giải chạy." in body
