"""What a plan prints in notes and raised text, read as printed.

Real plans print the same page in several ways: an exponent raised by Word's Font → Advanced →
Position ("Raised by 3 pt", w:position) at a smaller size rather than by w:vertAlign; a note at the
document's end (an endnote, numbered i, ii, iii) rather than the page's foot; a note marked with
the drafter's own sign ("*", w:customMarkFollows) rather than a number; a note's text with words in
bold or italics. Each must come into the data as it prints, render as Word prints it (real parts,
real marks), print so in LibreOffice's PDF, pass the schema audit, and leave `check` quiet about the
small raised runs. Fixtures are built here (python-docx and XML), with our own sentences.
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
from generator.jobs.importer import import_file
from generator.plan.loader import load_plan
from tests.test_sup_footnotes import import_and_render
from tests.word_fixtures import add_notes, build_plan, note_xml, paragraph_holding

OPENING = "Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh, Sở Văn hóa và Thể thao ban hành Kế hoạch như sau:"
CLOSING = "Các phòng, đơn vị triển khai thực hiện nghiêm túc Kế hoạch này./."
SIGNER = "Lê Thị Hạnh"
ENDNOTE_MARKED = "Chỉ thị số 3/CT-UBND ngày 10/01/2026 của Chủ tịch Ủy ban nhân dân tỉnh."
ENDNOTE = "Công văn số 45/UBND-VX ngày 20/02/2026 của Ủy ban nhân dân tỉnh."
TNR = '<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman"/>'

RAISED = ["Sân rộng 500 m", {"sup": "2"}, ", mở cửa từ 8h", {"sup": "30"}, " hằng ngày, giảm khí CO", {"sub": "2"},
          " và nâng cả dòng chữ hết."]
"""The data of the raised paragraph: the small raised and lowered runs as {sup} and {sub}; the
full-size raised words ("nâng cả dòng chữ") stay words of the sentence."""

NOTED = [
    "Theo Quyết định số 12/QĐ-UBND",
    {"footnote": ["Xem ", {"italic": "Quyết định số 12/QĐ-UBND "}, "và ", {"bold": "Phụ lục I "}, "kèm theo."],
     "mark": "*"},
    " và Chỉ thị số 3/CT-UBND", {"endnote": ENDNOTE_MARKED, "mark": "†"},
    " cùng Công văn số 45/UBND-VX", {"endnote": ENDNOTE},
    " của tỉnh.",
]
"""The data of the noted paragraph: a footnote with its own mark and bold and italic words, an
endnote with its own mark, an endnote Word numbers."""


def _run(text: str, rpr: str = "", size: float = 14) -> str:
    return (f'<w:r><w:rPr>{rpr}{TNR}<w:sz w:val="{int(size * 2)}"/></w:rPr>'
            f'<w:t xml:space="preserve">{text}</w:t></w:r>')


def _raised_runs(encoding: str) -> list[str]:
    """The raised paragraph's runs, its small raised and lowered text made in one of the ways Word
    prints the same: w:vertAlign, a raise by position set on the run, or through a character style."""
    up, down = {
        "vertAlign": ('<w:vertAlign w:val="superscript"/>', '<w:vertAlign w:val="subscript"/>'),
        "position": ('<w:position w:val="6"/>', '<w:position w:val="-4"/>'),
        "style": ('<w:rStyle w:val="Nang"/>', '<w:rStyle w:val="Ha"/>'),
    }[encoding]
    small = 9 if encoding != "vertAlign" else 14  # a raise by position sets its own smaller size
    return [_run("Sân rộng 500 m"), _run("2", up, small), _run(", mở cửa từ 8h"), _run("30", up, small + 1),
            _run(" hằng ngày, giảm khí CO"), _run("2", down, small), _run(" và "),
            _run("nâng cả dòng chữ", '<w:position w:val="6"/>'), _run(" hết.")]


def _noted_runs(style_emphasis: bool) -> tuple[list[str], list[str], list[str]]:
    """The noted paragraph's runs, its footnote's and its endnotes' XML. The footnote's mark "*" is
    typed after the reference in its run, the first endnote's "†" in the run after it (both ways
    Word files hold a custom mark); the note's italic and bold words by direct formatting or
    through character styles (style_emphasis)."""
    italic, bold = (('<w:rStyle w:val="NhanManh"/>', '<w:rStyle w:val="Dam"/>') if style_emphasis
                    else ("<w:i/>", "<w:b/>"))
    body = [
        _run("Theo Quyết định số 12/QĐ-UBND"),
        '<w:r><w:rPr><w:rStyle w:val="NoteRef"/></w:rPr><w:footnoteReference w:customMarkFollows="1" w:id="1"/>'
        '<w:t>*</w:t></w:r>',
        _run(" và Chỉ thị số 3/CT-UBND"),
        '<w:r><w:rPr><w:rStyle w:val="NoteRef"/></w:rPr><w:endnoteReference w:customMarkFollows="1" w:id="1"/></w:r>',
        '<w:r><w:rPr><w:rStyle w:val="NoteRef"/></w:rPr><w:t>†</w:t></w:r>',
        _run(" cùng Công văn số 45/UBND-VX"),
        '<w:r><w:rPr><w:rStyle w:val="NoteRef"/></w:rPr><w:endnoteReference w:id="2"/></w:r>',
        _run(" của tỉnh."),
    ]
    footnote = note_xml("footnote", 1, _run("Xem ", size=10) + _run("Quyết định số 12/QĐ-UBND", italic, 10)
                        + _run(" và ", size=10) + _run("Phụ lục I", bold, 10) + _run(" kèm theo.", size=10), mark="*")
    endnotes = [note_xml("endnote", 1, _run(ENDNOTE_MARKED, size=10), mark="†"),
                note_xml("endnote", 2, _run(ENDNOTE, size=10))]
    return body, [footnote], endnotes


STYLES = [
    '<w:style w:type="character" w:styleId="Nang"><w:name w:val="Nâng"/><w:rPr><w:position w:val="6"/></w:rPr></w:style>',
    '<w:style w:type="character" w:styleId="Ha"><w:name w:val="Hạ"/><w:rPr><w:position w:val="-4"/></w:rPr></w:style>',
    '<w:style w:type="character" w:styleId="NhanManh"><w:name w:val="Nhấn mạnh"/><w:rPr><w:i/></w:rPr></w:style>',
    '<w:style w:type="character" w:styleId="Dam"><w:name w:val="Đậm"/><w:rPr><w:b/></w:rPr></w:style>',
    '<w:style w:type="character" w:styleId="NoteRef"><w:name w:val="Note mark"/>'
    '<w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>',
    '<w:style w:type="paragraph" w:styleId="NoteText"><w:name w:val="Note body"/><w:rPr><w:sz w:val="20"/></w:rPr>'
    '</w:style>',
]


def plan_with_notes(path: Path, encoding: str = "position", style_emphasis: bool = False) -> Path:
    """A plan typed in Word whose second body paragraph holds raised and lowered text, the third
    the notes (see _raised_runs, _noted_runs)."""
    build_plan(path, body=[OPENING, {"text": "I. MỤC ĐÍCH, YÊU CẦU", "bold": True}, "NÂNG", "GHI CHÚ",
                           {"text": "II. TỔ CHỨC THỰC HIỆN", "bold": True}, CLOSING], signer_name=SIGNER)
    doc = Document(str(path))
    for style in STYLES:
        doc.styles.element.append(parse_xml(style.replace("<w:style ", f'<w:style {nsdecls("w")} ', 1)))
    body, footnotes, endnotes = _noted_runs(style_emphasis)
    for text, runs in (("NÂNG", _raised_runs(encoding)), ("GHI CHÚ", body)):
        p = next(p for p in doc.paragraphs if p.text == text)._p
        for r in p.findall(qn("w:r")):
            p.remove(r)
        for run in runs:
            p.append(parse_xml(run.replace("<w:r>", f'<w:r {nsdecls("w")}>', 1)))
    doc.save(str(path))
    return add_notes(path, footnotes=footnotes, endnotes=endnotes)


def _paragraphs(data: dict[str, Any]) -> tuple[list[Any] | None, list[Any] | None]:
    """The data's raised paragraph (the one holding a {sup}) and its noted one (holding a note)."""
    return (paragraph_holding(data, lambda x: isinstance(x, dict) and "sup" in x),
            paragraph_holding(data, lambda x: isinstance(x, dict) and x.keys() & {"footnote", "endnote"}))


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any], Path]:
    return import_and_render(plan_with_notes(tmp_path_factory.mktemp("notes") / "goc.docx"))


@pytest.mark.parametrize("encoding", ["vertAlign", "position", "style"])
def test_raised_by_position_imports_as_superscript_as_vertalign_does(tmp_path, encoding):
    """The same page three ways: the small raised and lowered runs come in as {sup} and {sub}
    whether Word raises them by vertAlign, by a position on the run or through a character
    style; full-size raised words stay words."""
    original = plan_with_notes(tmp_path / "goc.docx", encoding)
    data = yaml.safe_load(import_file(original, tmp_path / "goc.yaml", force=True).text)
    assert _paragraphs(data)[0] == RAISED


@pytest.mark.parametrize("style_emphasis", [False, True])
def test_notes_import_with_their_kind_mark_and_looks(tmp_path, style_emphasis):
    """A footnote with its own mark and bold and italic words, an endnote whose mark is the run
    after its reference, an endnote Word numbers: each comes in as it prints, the looks whether
    set on the runs or through character styles."""
    original = plan_with_notes(tmp_path / "goc.docx", style_emphasis=style_emphasis)
    data = yaml.safe_load(import_file(original, tmp_path / "goc.yaml", force=True).text)
    assert _paragraphs(data)[1] == NOTED


def test_reader_gives_the_marks_and_leaves_them_out_of_the_line(tmp_path):
    """The neutral reader: a custom mark is the note's, not a word of the line; the small raised
    runs are superscript and subscript; a 1 pt nudge of a small word or a raise of full-size
    words is no superscript."""
    from generator.word.reader import read_word

    path = plan_with_notes(tmp_path / "goc.docx")
    doc = Document(str(path))
    p = next(p for p in doc.paragraphs if p.text.startswith("Sân rộng"))._p
    p.append(parse_xml(_run(" nhích", '<w:position w:val="2"/>', 9).replace("<w:r>", f'<w:r {nsdecls("w")}>', 1)))
    doc.save(str(path))  # python-docx keeps the notes parts it does not know
    read = read_word(path)
    noted = next(q for q in read.paragraphs if q.text.startswith("Theo Quyết định"))
    assert noted.text == ("Theo Quyết định số 12/QĐ-UBND và Chỉ thị số 3/CT-UBND cùng Công văn số 45/UBND-VX "
                          "của tỉnh.")
    assert [(r.note.mark, r.note.endnote) for r in noted.runs if r.note] == [("*", False), ("†", True), ("", True)]
    raised = next(q for q in read.paragraphs if q.text.startswith("Sân rộng"))
    assert [(r.text, r.fmt.vert_align) for r in raised.runs if r.fmt.position] == [
        ("2", "superscript"), ("30", "superscript"), ("2", "subscript"), ("nâng cả dòng chữ", None), (" nhích", None)]


def _part(path: Path, name: str) -> Any:
    with zipfile.ZipFile(path) as z:
        return parse_xml(z.read(name))


def _notes_of(root: Any, kind: str) -> dict[str, Any]:
    return {n.get(qn("w:id")): n for n in root.findall(qn(f"w:{kind}")) if n.get(qn("w:type")) is None}


def _text(el: Any) -> str:
    return "".join(t.text or "" for t in el.iter(qn("w:t")))


def test_render_writes_real_notes_with_their_marks_and_looks(imported):
    _, _, back = imported
    body = _part(back, "word/document.xml")
    footnotes = _notes_of(_part(back, "word/footnotes.xml"), "footnote")
    endnotes = _notes_of(_part(back, "word/endnotes.xml"), "endnote")
    with zipfile.ZipFile(back) as z:
        rels = z.read("word/_rels/document.xml.rels").decode()
        types = z.read("[Content_Types].xml").decode()
    assert re.search(r'Type="[^"]+/endnotes" Target="endnotes.xml"', rels)
    assert 'PartName="/word/endnotes.xml"' in types
    refs = [(r.tag.split("}")[1], r.get(qn("w:id")), r.get(qn("w:customMarkFollows")), _text(r.getparent()))
            for r in body.iter(qn("w:footnoteReference"), qn("w:endnoteReference"))]
    assert [(tag, custom, shown) for tag, _, custom, shown in refs] == [
        ("footnoteReference", "1", "*"), ("endnoteReference", "1", "†"), ("endnoteReference", None, "")]
    fn, en1, en2 = footnotes[refs[0][1]], endnotes[refs[1][1]], endnotes[refs[2][1]]
    # each note opens with its mark as the body prints it: the drafter's, or Word's number
    assert _text(fn).startswith("* ") and fn.find(f".//{qn('w:footnoteRef')}") is None
    assert _text(en1).strip() == f"† {ENDNOTE_MARKED}"
    assert en2.find(f".//{qn('w:endnoteRef')}") is not None and _text(en2).strip() == ENDNOTE
    # the note's words keep their looks: run by run (text, bold, italic)
    looks = [(_text(r), r.find(f"{qn('w:rPr')}/{qn('w:b')}") is not None, r.find(f"{qn('w:rPr')}/{qn('w:i')}") is not None)
             for r in fn.iter(qn("w:r")) if _text(r).strip()]
    assert looks[0] == ("*", False, False) and looks[1:] == [
        ("Xem ", False, False), ("Quyết định số 12/QĐ-UBND ", False, True), ("và ", False, False),
        ("Phụ lục I ", True, False), ("kèm theo.", False, False)]
    # the endnote's paragraphs in Word's endnote text style
    styles = {s.get(qn("w:styleId")): s.find(qn("w:name")).get(qn("w:val"))
              for s in _part(back, "word/styles.xml").findall(qn("w:style"))}
    assert {styles[p.get(qn("w:val"))] for n in (en1, en2) for p in n.iter(qn("w:pStyle"))} == {"endnote text"}


def test_render_prints_position_raised_text_as_superscript(imported):
    _, _, back = imported
    runs = [(_text(r), (va.get(qn("w:val")) if (va := r.find(f"{qn('w:rPr')}/{qn('w:vertAlign')}")) is not None
                        else None))
            for r in _part(back, "word/document.xml").iter(qn("w:r")) if _text(r)]
    at = [t for t, _ in runs].index("Sân rộng 500 m")
    assert runs[at:at + 7] == [("Sân rộng 500 m", None), ("2", "superscript"), (", mở cửa từ 8h", None),
                               ("30", "superscript"), (" hằng ngày, giảm khí CO", None), ("2", "subscript"),
                               (" và nâng cả dòng chữ hết.", None)]


def test_render_passes_the_audit_and_round_trips(imported, tmp_path):
    _, data, back = imported
    result = OpenXmlValidator().validate(str(back))
    assert result.is_valid, [str(e) for e in result.errors][:5]
    again = yaml.safe_load(import_file(back, tmp_path / "lai.yaml", force=True).text)
    assert _paragraphs(again) == (RAISED, NOTED)


def test_check_raises_no_size_alarm_on_position_raised_runs(tmp_path):
    """The 9 pt raised digits beside 14 pt text print as superscripts: no size finding; the same
    digits at 9 pt on the line are body text at a wrong size."""
    original = plan_with_notes(tmp_path / "goc.docx")
    report = check_docx(original)
    assert report.failed("PL1.III.6.noi-dung.co-chu") == [], report.to_table()
    with zipfile.ZipFile(original) as z:
        members = {n: z.read(n) for n in z.namelist()}
    members["word/document.xml"] = members["word/document.xml"].replace(b'<w:position w:val="6"/>', b"")
    flat = tmp_path / "phang.docx"
    with zipfile.ZipFile(flat, "w", zipfile.ZIP_DEFLATED) as z:
        for name, blob in members.items():
            z.writestr(name, blob)
    assert check_docx(flat).failed("PL1.III.6.noi-dung.co-chu") != []


def test_check_of_the_rendered_plan_is_clean(imported):
    _, _, back = imported
    report = check_docx(back)
    assert report.errors == [] and report.warnings == [], report.to_table()


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="cần LibreOffice (soffice) và pdftotext")
def test_libreoffice_prints_each_note_where_its_kind_goes(imported, tmp_path):
    """The footnote at the page's foot after its "*"; the endnotes at the document's end, after
    the signer's name: the marked one after "†", the other numbered i."""
    _, _, back = imported
    subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(back)],
                   check=True, capture_output=True, timeout=180)
    raw = subprocess.run(["pdftotext", "-layout", str(tmp_path / f"{back.stem}.pdf"), "-"], check=True,
                         capture_output=True, text=True).stdout
    pages = [re.sub(r"\s+", " ", text) for text in raw.split("\f") if text.strip()]  # a form feed ends each page
    first, last = pages[0], pages[-1]
    footnote = "* Xem Quyết định số 12/QĐ-UBND và Phụ lục I kèm theo."
    assert footnote in first and footnote not in last  # at the foot of the page that cites it
    assert f"† {ENDNOTE_MARKED}" in last and f"i {ENDNOTE}" in last  # at the end, numbered i
    assert ENDNOTE not in first and ENDNOTE_MARKED not in first
    assert "12/QĐ-UBND* và" in first and "3/CT-UBND† cùng" in first and "45/UBND-VXi của" in first
    assert "500 m2" in first and "CO2" in first


@pytest.mark.parametrize(("change", "said"), [
    ("mark: '*'", "mark: '12345678901'"),
    ("endnote: Công", "endnot: Công"),
], ids=["dau-qua-dai", "sai-ten-truong"])
def test_a_mistake_in_a_note_is_said_at_its_line_in_vietnamese(imported, tmp_path, change, said):
    """A mark longer than Word takes, a misspelt endnote key: refused at their line, in Vietnamese,
    naming the field and the fix."""
    from generator.errors import DataError

    data_file, _, _ = imported
    text = data_file.read_text(encoding="utf-8")
    assert change in text
    wrong = tmp_path / "sai.yaml"
    wrong.write_text(text.replace(change, said, 1), encoding="utf-8")
    with pytest.raises(DataError) as exc:
        load_plan(wrong)
    message = str(exc.value)
    line = next(k for k, row in enumerate(wrong.read_text(encoding="utf-8").splitlines(), 1) if said in row)
    assert f"sai.yaml:{line}:" in message
    expected = "dấu chú thích dài 11 ký tự, tối đa 10" if "mark" in said else "có phải ý bạn là 'endnote'"
    assert expected in message and "Traceback" not in message
