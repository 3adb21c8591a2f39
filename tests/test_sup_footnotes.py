"""Raised and lowered text and footnotes survive import → data → render.

A plan typed in Word prints "m²" (a raised run, by direct formatting or through a character style),
"CO₂" (a lowered run) and cites documents with footnotes and endnotes (a reference mark in the body,
the note in word/footnotes.xml or word/endnotes.xml). The fixture is built here with python-docx and
XML, with our own sentences; the import must keep each at its place as {sup}, {sub}, {footnote} and
{endnote} pieces, the render must print them as Word does (real superscript and subscript runs, a
real footnote and a real endnote whose references point at their text), LibreOffice must print the
notes, and `check` must not take them for body text at a wrong size.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from openxml_audit import OpenXmlValidator

from generator.check import check_docx
from generator.document.render import render_plan
from generator.jobs.importer import import_file
from generator.plan.loader import load_plan
from tests.word_fixtures import add_notes, build_plan, note_xml, notes_part, paragraph_holding

OPENING = "Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh, Sở Văn hóa và Thể thao ban hành Kế hoạch như sau:"
CLOSING = "Các phòng, đơn vị triển khai thực hiện nghiêm túc Kế hoạch này./."
FOOTNOTE = "Quyết định số 123/QĐ-UBND ngày 05/3/2026 của Ủy ban nhân dân tỉnh về sân tập."
ENDNOTE = "Chỉ thị số 05/CT-UBND ngày 10/01/2026 của Chủ tịch Ủy ban nhân dân tỉnh."
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
TNR = '<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman"/>'

EXPECTED = [
    "Sân tập rộng 500 m", {"sup": "2"}, ", mở cửa từ 8h", {"sup": "30", "bold": True, "italic": True}, " hằng ngày, giảm khí CO", {"sub": "2"},
    " theo Quyết định số 123/QĐ-UBND", {"footnote": FOOTNOTE}, " và Chỉ thị số 05/CT-UBND", {"endnote": ENDNOTE},
    " của tỉnh.",
]


def _run(text: str, rpr: str = "", size: int = 14) -> Any:
    return parse_xml(f'<w:r {nsdecls("w")}><w:rPr>{rpr}{TNR}<w:sz w:val="{size * 2}"/></w:rPr>'
                     f'<w:t xml:space="preserve">{text}</w:t></w:r>')


def _mark(tag: str, note_id: int, style: str) -> Any:
    return parse_xml(f'<w:r {nsdecls("w")}><w:rPr><w:rStyle w:val="{style}"/></w:rPr><w:{tag} w:id="{note_id}"/></w:r>')


def plan_with_marks(path: Path) -> Path:
    """A plan whose second body paragraph holds a superscript by direct formatting (set at 9 pt, as
    drafters shrink an exponent by hand), one through a character style (bold italic too), a
    subscript, a footnote's mark and an endnote's."""
    build_plan(path, body=[OPENING, {"text": "I. MỤC ĐÍCH, YÊU CẦU", "bold": True}, "ĐÁNH DẤU",
                           {"text": "II. TỔ CHỨC THỰC HIỆN", "bold": True}, CLOSING])
    doc = Document(str(path))
    styles = doc.styles.element
    styles.append(parse_xml(f'<w:style {nsdecls("w")} w:type="character" w:styleId="GioPhut"><w:name w:val="Giờ phút"/>'
                            '<w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>'))
    styles.append(parse_xml(f'<w:style {nsdecls("w")} w:type="character" w:styleId="NoteRef"><w:name w:val="Note mark"/>'
                            '<w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>'))
    styles.append(parse_xml(f'<w:style {nsdecls("w")} w:type="paragraph" w:styleId="NoteText"><w:name w:val="Note body"/>'
                            '<w:rPr><w:sz w:val="20"/></w:rPr></w:style>'))
    p = next(p for p in doc.paragraphs if p.text == "ĐÁNH DẤU")._p
    for r in p.findall(qn("w:r")):
        p.remove(r)
    for el in (_run("Sân tập rộng 500 m"), _run("2", '<w:vertAlign w:val="superscript"/>', size=9),
               _run(", mở cửa từ 8h"), _run("30", '<w:rStyle w:val="GioPhut"/><w:b/><w:i/>'),
               _run(" hằng ngày, giảm khí CO"), _run("2", '<w:vertAlign w:val="subscript"/>'),
               _run(" theo Quyết định số 123/QĐ-UBND"), _mark("footnoteReference", 1, "NoteRef"),
               _run(" và Chỉ thị số 05/CT-UBND"), _mark("endnoteReference", 1, "NoteRef"), _run(" của tỉnh.")):
        p.append(el)
    doc.save(str(path))
    # The notes parts, their relationships and content types, as Word writes them.
    run = '<w:r><w:t xml:space="preserve">{}</w:t></w:r>'
    return add_notes(path, footnotes=[note_xml("footnote", 1, run.format(FOOTNOTE))],
                     endnotes=[note_xml("endnote", 1, run.format(ENDNOTE))])


def _find_pieces(node: Any) -> list[Any] | None:
    """The paragraph of the data that holds a {sup} piece."""
    return paragraph_holding(node, lambda x: isinstance(x, dict) and "sup" in x)


def import_and_render(original: Path) -> tuple[Path, dict[str, Any], Path]:
    """A plan typed in Word imported beside itself, and the data rendered again: the data file, its
    data, the render."""
    data_file = original.with_suffix(".yaml")
    result = import_file(original, data_file, force=True)
    back = original.with_suffix(".back.docx")
    back.write_bytes(render_plan(load_plan(data_file)))
    return data_file, yaml.safe_load(result.text), back


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any], Path]:
    return import_and_render(plan_with_marks(tmp_path_factory.mktemp("supfoot") / "goc.docx"))


def test_import_keeps_raised_lowered_text_and_notes_at_their_place(imported):
    _, data, _ = imported
    assert _find_pieces(data) == EXPECTED


def _runs(path: Path) -> list[tuple[str, str | None, bool]]:
    """(text, w:vertAlign, holds a footnote's or an endnote's reference) of every body run, in order."""
    doc = Document(str(path))
    out = []
    for r in doc.element.body.iter(qn("w:r")):
        va = r.find(f"{qn('w:rPr')}/{qn('w:vertAlign')}")
        out.append(("".join(t.text or "" for t in r.iter(qn("w:t"))), va.get(qn("w:val")) if va is not None else None,
                    r.find(qn("w:footnoteReference")) is not None or r.find(qn("w:endnoteReference")) is not None))
    return out


def _emphasis(path: Path, text: str) -> tuple[bool, bool]:
    """(bold, italic) as set on the body run that prints text."""
    run = next(r for r in Document(str(path)).element.body.iter(qn("w:r"))
               if "".join(t.text or "" for t in r.iter(qn("w:t"))) == text)
    return (run.find(f"{qn('w:rPr')}/{qn('w:b')}") is not None, run.find(f"{qn('w:rPr')}/{qn('w:i')}") is not None)


def test_render_prints_real_superscript_subscript_and_footnotes(imported):
    _, _, back = imported
    runs = _runs(back)
    texts = [t for t, _, _ in runs]
    at = texts.index("Sân tập rộng 500 m")
    assert runs[at + 1] == ("2", "superscript", False)
    assert runs[at + 3] == ("30", "superscript", False) and _emphasis(back, "30") == (True, True)
    assert runs[at + 5] == ("2", "subscript", False)
    assert runs[at + 7] == ("", "superscript", True) and runs[at + 9] == ("", "superscript", True)

    with zipfile.ZipFile(back) as z:
        body = z.read("word/document.xml").decode()
        notes = parse_xml(z.read("word/footnotes.xml"))
        rels = z.read("word/_rels/document.xml.rels").decode()
        types = z.read("[Content_Types].xml").decode()
        styles = parse_xml(z.read("word/styles.xml"))
    assert re.search(r'Type="[^"]+/footnotes" Target="footnotes.xml"', rels)
    assert 'PartName="/word/footnotes.xml"' in types
    text_of = {n.get(qn("w:id")): "".join(t.text or "" for t in n.iter(qn("w:t"))).strip()
               for n in notes.findall(qn("w:footnote")) if n.get(qn("w:type")) is None}
    refs = re.findall(r'<w:footnoteReference w:id="(-?\d+)"/>', body)
    assert [text_of[i] for i in refs] == [FOOTNOTE]  # each reference points at its text
    with zipfile.ZipFile(back) as z:
        endnotes = parse_xml(z.read("word/endnotes.xml"))
    end_of = {n.get(qn("w:id")): "".join(t.text or "" for t in n.iter(qn("w:t"))).strip()
              for n in endnotes.findall(qn("w:endnote")) if n.get(qn("w:type")) is None}
    assert [end_of[i] for i in re.findall(r'<w:endnoteReference w:id="(-?\d+)"/>', body)] == [ENDNOTE]
    assert re.search(r'Type="[^"]+/endnotes" Target="endnotes.xml"', rels)
    assert 'PartName="/word/endnotes.xml"' in types
    # the note's paragraphs in the footnote text style, 10 pt; the marks in the reference style
    by_id = {s.get(qn("w:styleId")): s for s in styles.findall(qn("w:style"))}
    para_styles = {p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}").get(qn("w:val"))
                   for n in notes.findall(qn("w:footnote")) if n.get(qn("w:type")) is None for p in n.iter(qn("w:p"))}
    assert len(para_styles) == 1
    text_style = by_id[para_styles.pop()]
    assert text_style.find(qn("w:name")).get(qn("w:val")) == "footnote text"
    assert text_style.find(f"{qn('w:rPr')}/{qn('w:sz')}").get(qn("w:val")) == "20"
    assert 'w:rStyle w:val="FootnoteReference"' in body and "FootnoteReference" in by_id


def test_render_passes_openxml_audit_and_check(imported):
    _, _, back = imported
    result = OpenXmlValidator().validate(str(back))
    assert result.is_valid, [str(e) for e in result.errors][:5]
    report = check_docx(back)
    assert report.errors == [], report.to_table()
    assert report.warnings == [], report.to_table()


def test_round_trip_gives_the_same_data(imported, tmp_path):
    _, data, back = imported
    again = import_file(back, tmp_path / "lai.yaml", force=True)
    assert _find_pieces(yaml.safe_load(again.text)) == EXPECTED
    # Everything but the agency's name, whose two lines come back written as a list (how the header's
    # lines are kept is not what this test is about).
    first = {k: v for k, v in data.items() if k != "agency"}
    second = {k: v for k, v in yaml.safe_load(again.text).items() if k != "agency"}
    assert second == first


def test_the_pieces_load_as_their_models_and_a_misspelt_key_is_named(tmp_path):
    """The imported data loads: raised, lowered and note pieces as their models; a misspelt key is
    refused by its name."""
    from generator.errors import DataError
    from generator.plan.model import Endnote, Footnote, Subscript, Superscript

    data_file, _, _ = plan_with_marks_data(tmp_path)
    plan = load_plan(data_file)
    pieces = _find_model_pieces(plan)
    assert [type(p) for p in pieces if not isinstance(p, str)] == [Superscript, Superscript, Subscript, Footnote,
                                                                    Endnote]
    bad = data_file.read_text(encoding="utf-8").replace("sup: '30'", "supp: '30'")
    wrong = tmp_path / "sai.yaml"
    wrong.write_text(bad, encoding="utf-8")
    with pytest.raises(DataError) as exc:
        load_plan(wrong)
    assert "supp" in str(exc.value)


def plan_with_marks_data(tmp_path: Path) -> tuple[Path, dict[str, Any], Path]:
    original = plan_with_marks(tmp_path / "goc.docx")
    data_file = tmp_path / "goc.yaml"
    result = import_file(original, data_file, force=True)
    return data_file, yaml.safe_load(result.text), original


def _find_model_pieces(plan: Any) -> list[Any]:
    from generator.plan.model import Superscript

    found = paragraph_holding(plan, lambda x: isinstance(x, Superscript))
    assert found is not None
    return found


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="cần LibreOffice (soffice) và pdftotext")
def test_libreoffice_prints_the_note_at_the_page_foot(imported, tmp_path):
    _, _, back = imported
    subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(back)],
                   check=True, capture_output=True, timeout=180)
    pdf = tmp_path / f"{back.stem}.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    squashed = re.sub(r"\s+", " ", text)
    # the notes' text, each after its number, below the body text that cites them: the footnote
    # numbered 1, the endnote i (Word's and LibreOffice's numbering of endnotes)
    assert f"1 {FOOTNOTE}" in squashed and f"i {ENDNOTE}" in squashed
    assert squashed.index("của tỉnh.") < squashed.index(FOOTNOTE)
    # the raised and lowered digits are printed where they stand (pdftotext puts them on the line)
    assert "500 m2" in squashed and "CO2" in squashed


def test_reader_gives_the_note_at_its_mark_and_the_line_its_words_only(tmp_path):
    """The neutral reader: the marks carry their notes' text (the footnote's and the endnote's), the
    line's text holds the sentence's words only, as a reader of the page reads the line."""
    from generator.word.reader import read_word

    doc = read_word(plan_with_marks(tmp_path / "goc.docx"))
    line = next(p for p in doc.paragraphs if p.text.startswith("Sân tập"))
    assert line.text == ("Sân tập rộng 500 m2, mở cửa từ 8h30 hằng ngày, giảm khí CO2 theo Quyết định số "
                         "123/QĐ-UBND và Chỉ thị số 05/CT-UBND của tỉnh.")
    assert [(r.note.text, r.note.endnote) for r in line.runs if r.note is not None] == [(FOOTNOTE, False),
                                                                                        (ENDNOTE, True)]
    assert [(r.text, r.fmt.vert_align) for r in line.runs if r.fmt.vert_align and r.text] == [
        ("2", "superscript"), ("30", "superscript"), ("2", "subscript")]


def test_a_template_with_its_own_footnotes_part_gets_the_notes_after_its_own(imported, tmp_path):
    """A template holding a footnotes part is rendered by docxtpl's own path (word/engine.py): the
    plan's notes follow the part's separators, each reference pointing at its text."""
    from generator.resources import TEMPLATE

    data_file, _, _ = imported
    with zipfile.ZipFile(TEMPLATE) as z:
        members = {n: z.read(n) for n in z.namelist()}
    members["word/footnotes.xml"] = notes_part("footnote", [note_xml(
        "footnote", 7, '<w:r><w:t xml:space="preserve">Chú thích sẵn có của mẫu.</w:t></w:r>')])
    members["word/_rels/document.xml.rels"] = members["word/_rels/document.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rIdFn" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/footnotes" Target="footnotes.xml"/></Relationships>')
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-'
        b'officedocument.wordprocessingml.footnotes+xml"/></Types>')
    template = tmp_path / "mau.docx"
    with zipfile.ZipFile(template, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    out = tmp_path / "ra.docx"
    out.write_bytes(render_plan(load_plan(data_file), template))
    with zipfile.ZipFile(out) as z:
        body = z.read("word/document.xml").decode()
        notes = parse_xml(z.read("word/footnotes.xml"))
    text_of = {n.get(qn("w:id")): "".join(t.text or "" for t in n.iter(qn("w:t"))).strip()
               for n in notes.findall(qn("w:footnote")) if n.get(qn("w:type")) is None}
    refs = re.findall(r'<w:footnoteReference w:id="(-?\d+)"/>', body)
    assert [text_of[i] for i in refs] == [FOOTNOTE]
    assert text_of["7"] == "Chú thích sẵn có của mẫu." and int(min(refs)) > 7
    assert OpenXmlValidator().validate(str(out)).is_valid


def test_check_does_not_take_a_small_raised_digit_for_body_text_at_a_wrong_size(tmp_path):
    """The Word-typed plan's "m²" has its "2" set at 9 pt by hand: the body's size is still 14 pt.
    A body run at a wrong size on the line is still found."""
    original = plan_with_marks(tmp_path / "goc.docx")
    assert check_docx(original).failed("PL1.III.6.noi-dung.co-chu") == []

    with zipfile.ZipFile(original) as z:
        members = {n: z.read(n) for n in z.namelist()}
    members["word/document.xml"] = members["word/document.xml"].replace(
        '<w:sz w:val="28"/></w:rPr><w:t xml:space="preserve">, mở cửa'.encode(),
        '<w:sz w:val="18"/></w:rPr><w:t xml:space="preserve">, mở cửa'.encode())
    small = tmp_path / "nho.docx"
    with zipfile.ZipFile(small, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    assert check_docx(small).failed("PL1.III.6.noi-dung.co-chu") != []
