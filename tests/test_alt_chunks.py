"""A .docx whose body is an embedded chunk (w:altChunk, generator/word/alt_chunks.py) read as Word
prints it: the chunk's content in its place, through the one reader, for `check` and `import`.

The fixtures are made here from the typed fixture plan (tests/word_fixtures.build_plan): (a) its body
after the header moved into an HTML chunk (LibreOffice's HTML export of those very blocks), (b) the
whole document as one HTML chunk, (c) the body after the header as a .docx chunk, (d) as an MHTML
chunk (the HTML of (a) wrapped as Word's "Single File Web Page"), (e) as RTF, and as plain text. The outer
document keeps its own section (the page). Hostile chunks: a page naming addresses outside it, a
chunk bomb, a chunk holding a chunk, a chunk outside the file, a kind Word cannot import.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from generator import limits
from generator.check import check_docx
from generator.errors import UserError
from generator.jobs.importer import import_docx
from generator.recognise import read_docx
from generator.word import alt_chunks, formats
from generator.word.reader import is_bold, norm, read_word
from generator.word.soffice import soffice_or_none
from tests.limits_helpers import cli_error
from tests.test_formats import APPENDIX, BODY, libreoffice_copies, parts, same_data
from tests.test_web_documents import hostile_page, mhtml, server, without
from tests.word_fixtures import Header, build_plan

__all__ = ["server"]  # the fixture, used by name

needs_soffice = pytest.mark.skipif(soffice_or_none() is None, reason="chưa cài LibreOffice (soffice)")

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
LAYOUT = ("width", "orientation")
"""What an HTML chunk cannot say (as for a page opened as a document, tests/test_web_documents.py):
LibreOffice's HTML export keeps no table widths in twips nor an appendix's own page."""


# --- the fixtures ---------------------------------------------------------------------------------

def body_start(docx: bytes) -> int:
    """The index of the body's first block after the header (the paragraph that opens the plan's text)."""
    body = etree.fromstring(zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml")).find(f"{{{W}}}body")
    texts = ["".join(t.text or "" for t in b.iter(f"{{{W}}}t")) for b in body]
    return next(i for i, t in enumerate(texts) if t.startswith(BODY[0][:20]))


def _edited(docx: bytes, edit: Any) -> bytes:
    """The package with its document's body edited in place (edit(body, members, content types))."""
    with zipfile.ZipFile(io.BytesIO(docx)) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    root = etree.fromstring(members["word/document.xml"])
    types = etree.fromstring(members["[Content_Types].xml"])
    edit(root.find(f"{{{W}}}body"), members, types)
    members["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    members["[Content_Types].xml"] = etree.tostring(types, xml_declaration=True, encoding="UTF-8", standalone=True)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, blob in members.items():
            zf.writestr(name, blob)
    return out.getvalue()


def blocks_only(docx: bytes, start: int) -> bytes:
    """The document with only its body's blocks from start on (its last section kept): the chunk of them."""
    def edit(body: Any, members: dict[str, bytes], types: Any) -> None:
        for block in [b for b in body if b.tag != f"{{{W}}}sectPr"][:start]:
            body.remove(block)
    return _edited(docx, edit)


def wrapped(chunk: Any, where: str) -> Any:
    """chunk inside the containers of block content where names, outermost first ("body": none;
    "cell/sdt": a block content control in a table cell); the outermost."""
    el = chunk
    for kind in reversed(where.split("/")) if where != "body" else []:
        if kind == "cell":
            outer = etree.Element(f"{{{W}}}tbl")
            etree.SubElement(etree.SubElement(outer, f"{{{W}}}tr"), f"{{{W}}}tc").append(el)
        elif kind == "sdt":
            outer = etree.Element(f"{{{W}}}sdt")
            etree.SubElement(outer, f"{{{W}}}sdtContent").append(el)
        else:
            assert kind == "customXml"
            outer = etree.Element(f"{{{W}}}customXml", {f"{{{W}}}element": "keHoach"})
            outer.append(el)
        el = outer
    return el


def with_chunks(docx: bytes, start: int, chunks: list[tuple[bytes, str, str]], *, where: str = "body") -> bytes:
    """The document with its body's blocks from start on replaced by chunks (bytes, content type, part
    name), each a w:altChunk naming its part by an aFChunk relationship, as the OpenXML SDK writes them."""
    def edit(body: Any, members: dict[str, bytes], types: Any) -> None:
        blocks = [b for b in body if b.tag != f"{{{W}}}sectPr"]
        for block in blocks[start:]:
            body.remove(block)
        rels = etree.fromstring(members["word/_rels/document.xml.rels"])
        anchor = body.find(f"{{{W}}}sectPr")
        for k, (blob, ctype, name) in enumerate(chunks, 1):
            rels.append(etree.Element(f"{{{RELS}}}Relationship", Id=f"rIdAlt{k}", Type=alt_chunks.AFCHUNK,
                                      Target=name))
            members[f"word/{name}"] = blob
            types.append(etree.Element(f"{{{CT}}}Override", PartName=f"/word/{name}", ContentType=ctype))
            chunk = etree.Element(f"{{{W}}}altChunk", {f"{{{R}}}id": f"rIdAlt{k}"}, nsmap={"r": R})
            anchor.addprevious(wrapped(chunk, where))
        members["word/_rels/document.xml.rels"] = etree.tostring(rels, xml_declaration=True, encoding="UTF-8",
                                                                standalone=True)
    return _edited(docx, edit)


def external_chunk(docx: bytes, target: str) -> bytes:
    """The document with a chunk whose relationship points outside the file."""
    def edit(body: Any, members: dict[str, bytes], types: Any) -> None:
        rels = etree.fromstring(members["word/_rels/document.xml.rels"])
        rels.append(etree.Element(f"{{{RELS}}}Relationship", Id="rIdOut", Type=alt_chunks.AFCHUNK, Target=target,
                                  TargetMode="External"))
        members["word/_rels/document.xml.rels"] = etree.tostring(rels)
        body.find(f"{{{W}}}sectPr").addprevious(
            etree.Element(f"{{{W}}}altChunk", {f"{{{R}}}id": "rIdOut"}, nsmap={"r": R}))
    return _edited(docx, edit)


PART_TYPES = {"header": ("hdr", "header+xml"), "footer": ("ftr", "footer+xml"),
              "footnotes": ("footnotes", "footnotes+xml"), "endnotes": ("endnotes", "endnotes+xml"),
              "comments": ("comments", "comments+xml")}


def part_chunk(docx: bytes, chunk: bytes, ctype: str, kind: str = "header") -> bytes:
    """The document with a page header (footer) whose only content is a chunk, as a generator writes
    a letterhead, or a footnote (endnote, comment) on the body's first line that is a chunk: the
    part, its relationships, its reference from the section or the line."""
    def edit(body: Any, members: dict[str, bytes], types: Any) -> None:
        root, ctype_of_part = PART_TYPES[kind]
        rels = etree.fromstring(members["word/_rels/document.xml.rels"])
        rels.append(etree.Element(f"{{{RELS}}}Relationship", Id="rIdOwn", Target=f"{kind}9.xml",
                                  Type=f"http://schemas.openxmlformats.org/officeDocument/2006/relationships/{kind}"))
        members["word/_rels/document.xml.rels"] = etree.tostring(rels)
        alt = '<w:altChunk r:id="rIdAlt1"/>'
        one = kind.rstrip("s")
        content = {"header": alt, "footer": alt,
                   "comments": f'<w:comment w:id="1" w:author="Chuyên viên">{alt}</w:comment>'}.get(
            kind, f'<w:{one} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{one}>'
                  f'<w:{one} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r>'
                  f'</w:p></w:{one}><w:{one} w:id="1">{alt}</w:{one}>')
        members[f"word/{kind}9.xml"] = f'<w:{root} xmlns:w="{W}" xmlns:r="{R}">{content}</w:{root}>'.encode()
        members[f"word/_rels/{kind}9.xml.rels"] = (
            f'<Relationships xmlns="{RELS}"><Relationship Id="rIdAlt1" Type="{alt_chunks.AFCHUNK}" '
            'Target="afchunk9.txt"/></Relationships>').encode()
        members["word/afchunk9.txt"] = chunk
        for name, part_type in ((f"{kind}9.xml", f"application/vnd.openxmlformats-officedocument."
                                                 f"wordprocessingml.{ctype_of_part}"), ("afchunk9.txt", ctype)):
            types.append(etree.Element(f"{{{CT}}}Override", PartName=f"/word/{name}", ContentType=part_type))
        if kind in ("header", "footer"):
            sect = body.find(f"{{{W}}}sectPr")
            sect.insert(0, etree.Element(f"{{{W}}}{kind}Reference", {f"{{{W}}}type": "default", f"{{{R}}}id": "rIdOwn"}))
        else:  # the mark at the end of the body's first line
            line = body.find(f"{{{W}}}p")
            mark = "commentReference" if kind == "comments" else f"{one}Reference"
            etree.SubElement(etree.SubElement(line, f"{{{W}}}r"), f"{{{W}}}{mark}", {f"{{{W}}}id": "1"})
    return _edited(docx, edit)


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("alt")
    return build_plan(root / "go.docx", header=Header(issuer=("SỞ VĂN HÓA", "VÀ THỂ THAO")), body=BODY,
                      appendices=[APPENDIX])


@pytest.fixture(scope="module")
def chunked(plain: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The plain plan with chunks in every form: {"a-html": …, "b-html-whole": …, "c-docx": …, "d-mht": …,
    "e-rtf": …}."""
    root = tmp_path_factory.mktemp("chunked")
    docx = plain.read_bytes()
    start = body_start(docx)
    tail = blocks_only(docx, start)
    out = {"c-docx": with_chunks(docx, start, [(tail, DOCX_TYPE, "afchunk1.docx")])}
    if soffice_or_none() is not None:
        (root / "tail.docx").write_bytes(tail)
        (root / "whole.docx").write_bytes(docx)
        tail_html, whole_html = (p.read_bytes() for p in libreoffice_copies(
            [root / "tail.docx", root / "whole.docx"], root / "html", "html:HTML (StarWriter)"))
        tail_rtf = libreoffice_copies([root / "tail.docx"], root / "rtf", "rtf:Rich Text Format")[0].read_bytes()
        out["e-rtf"] = with_chunks(docx, start, [(tail_rtf, "application/rtf", "afchunk1.rtf")])
        out["a-html"] = with_chunks(docx, start, [(tail_html, "text/html", "afchunk1.htm")])
        out["b-html-whole"] = with_chunks(docx, 0, [(whole_html, "text/html", "afchunk1.htm")])
        out["d-mht"] = with_chunks(docx, start, [(mhtml(tail_html), "message/rfc822", "afchunk1.mht")])
    paths = {}
    for name, blob in out.items():
        paths[name] = root / f"{name}.docx"
        paths[name].write_bytes(blob)
    return paths


def words(path: Path) -> Counter[str]:
    return Counter(w for p in read_word(path).paragraphs for w in norm(p.text).split())


def kept(plain: Path, copy: Path) -> float:
    """The share of the plain document's words the copy reads (each word as many times as it prints)."""
    want = words(plain)
    return sum((want & words(copy)).values()) / sum(want.values())


FORMS = [
    pytest.param("a-html", marks=needs_soffice),
    pytest.param("b-html-whole", marks=needs_soffice),
    "c-docx",
    pytest.param("d-mht", marks=needs_soffice),
    pytest.param("e-rtf", marks=needs_soffice),
]


# --- the same plan, whatever the chunk ------------------------------------------------------------------

@pytest.mark.parametrize("form", FORMS)
def test_a_chunked_plan_reads_as_the_plain_one(plain: Path, chunked: dict[str, Path], form: str,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    copy = chunked[form]
    assert kept(plain, copy) >= 0.99
    want, got = import_docx(plain), import_docx(copy)
    assert got.data["sections"] and got.data.get("appendices")
    keys = () if form == "c-docx" else LAYOUT
    assert same_data(without(want.data, keys), without(got.data, keys), 0.0) == []
    assert parts(read_docx(copy)) == parts(read_docx(plain))
    # Bold and italic as printed: every line of the plain plan reads with the same weight and slant.
    looks = {norm(p.text): (is_bold(p), p.runs[0].fmt.italic if p.runs else None)
             for p in read_word(plain).paragraphs if norm(p.text)}
    got_looks = {norm(p.text): (is_bold(p), p.runs[0].fmt.italic if p.runs else None)
                 for p in read_word(copy).paragraphs if norm(p.text)}
    shared = looks.keys() & got_looks.keys()
    assert len(shared) >= 0.95 * len(looks)
    assert {t: got_looks[t] for t in shared} == {t: looks[t] for t in shared}
    # The same file read as the reader read it before this module: refused as broken (python-docx
    # parses a .docx chunk, typed as a main document, as XML) or without the chunk's words.
    monkeypatch.setattr(alt_chunks, "in_place", lambda data, label: None)
    try:
        before = kept(plain, copy)
    except UserError:
        before = 0.0
    assert before < (0.5 if form != "b-html-whole" else 0.01)


def test_a_docx_chunk_checks_as_the_plain_plan(plain: Path, chunked: dict[str, Path]) -> None:
    """The same page (the outer section) and the chunk's own formatting: the same findings, the same
    fonts and sizes on every line, and no note (nothing went through LibreOffice)."""
    copy = chunked["c-docx"]
    report, original = check_docx(copy), check_docx(plain)
    assert report.note is None
    assert ({(r.rule, r.location, r.status) for r in report.results}
            == {(r.rule, r.location, r.status) for r in original.results})

    def looks(path: Path) -> list[tuple[str, set[tuple[str | None, float | None]]]]:
        return [(norm(p.text), {(r.fmt.fonts.get("ascii"), r.fmt.size) for r in p.runs if r.text.strip()})
                for p in read_word(path).paragraphs if norm(p.text)]

    assert looks(copy) == looks(plain)


@needs_soffice
def test_a_chunk_libreoffice_converted_is_said(chunked: dict[str, Path]) -> None:
    for form in ("a-html", "d-mht"):
        report, imported = check_docx(chunked[form]), import_docx(chunked[form])
        for note in (report.note, imported.note):
            assert note and "altChunk" in note and "LibreOffice" in note


def test_a_chunk_in_a_table_cell_and_a_text_chunk(plain: Path, tmp_path: Path) -> None:
    """Plain text is one paragraph a line (tabs kept), in the document's own style, here in the table
    cell that holds the chunk; no LibreOffice."""
    docx = plain.read_bytes()
    start = body_start(docx)
    lines = ["Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh:", "1.\tKhảo sát đường chạy;", "2. Lắp đặt biển báo."]
    text = "\r\n".join(lines).encode("utf-16")  # with its byte-order mark, as Notepad saves "Unicode"
    copy = tmp_path / "text.docx"
    copy.write_bytes(with_chunks(docx, start, [(text, "text/plain", "afchunk1.txt")], where="cell"))
    shown = [norm(p.text) for p in read_word(copy).paragraphs if norm(p.text)]
    assert shown[-3:] == [norm(t.replace("\t", " ")) for t in lines]
    spliced, through = alt_chunks.in_place(copy.read_bytes(), "x") or (b"", "")
    assert through is None  # no LibreOffice for text
    with zipfile.ZipFile(io.BytesIO(spliced)) as zf:
        body = etree.fromstring(zf.read("word/document.xml"))
    cell = list(body.iter(f"{{{W}}}tc"))[-1]  # the cell the chunk stood in
    assert [c.tag for c in cell] == [f"{{{W}}}p"] * 3
    assert cell[1].find(f"{{{W}}}r/{{{W}}}tab") is not None


def match_source(docx: bytes) -> bytes:
    """The document with each chunk told to keep its own formatting (w:altChunkPr/w:matchSrc)."""
    def edit(body: Any, members: dict[str, bytes], types: Any) -> None:
        for chunk in body.iter(f"{{{W}}}altChunk"):
            etree.SubElement(etree.SubElement(chunk, f"{{{W}}}altChunkPr"), f"{{{W}}}matchSrc")
    return _edited(docx, edit)


def test_a_docx_chunk_takes_the_documents_styles_unless_it_keeps_its_own(plain: Path, tmp_path: Path) -> None:
    """As Word imports a .docx chunk: a style the document has by the same name (Normal) prints in
    the document's formatting, a style only the chunk has in the chunk's; with w:matchSrc every
    style prints in the chunk's."""
    import docx as python_docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt

    made = python_docx.Document()
    made.styles["Normal"].font.name, made.styles["Normal"].font.size = "Arial", Pt(11)
    own = made.styles.add_style("Ghi chú riêng", WD_STYLE_TYPE.PARAGRAPH)
    own.font.name, own.font.size, own.font.bold = "Courier New", Pt(9), True
    made.add_paragraph("Đoạn kiểu thường của phần nhúng")
    made.add_paragraph("Đoạn kiểu riêng của phần nhúng", style="Ghi chú riêng")
    chunk = io.BytesIO()
    made.save(chunk)
    docx = plain.read_bytes()
    start = body_start(docx)
    # What the document's own Normal prints: a paragraph of no style and no formatting typed in it.
    typed = python_docx.Document(str(plain))
    typed.add_paragraph("Đoạn kiểu thường của văn bản")
    typed.save(str(tmp_path / "typed.docx"))

    def looks(path: Path, text: str) -> tuple[str | None, float | None, bool]:
        p = next(p for p in read_word(path).paragraphs if norm(p.text) == text)
        return p.runs[0].fmt.fonts.get("ascii"), p.runs[0].fmt.size, p.runs[0].fmt.bold

    documents = looks(tmp_path / "typed.docx", "Đoạn kiểu thường của văn bản")
    assert documents[:2] != ("Arial", 11.0)
    destination, source = tmp_path / "dich.docx", tmp_path / "nguon.docx"
    destination.write_bytes(with_chunks(docx, start, [(chunk.getvalue(), DOCX_TYPE, "afchunk1.docx")]))
    source.write_bytes(match_source(destination.read_bytes()))
    assert looks(destination, "Đoạn kiểu thường của phần nhúng") == documents
    assert looks(source, "Đoạn kiểu thường của phần nhúng") == ("Arial", 11.0, False)
    for path in (destination, source):
        assert looks(path, "Đoạn kiểu riêng của phần nhúng") == ("Courier New", 9.0, True)


def test_a_docx_chunk_keeps_its_lists_and_pictures(plain: Path, tmp_path: Path) -> None:
    """The chunk's automatic numbers and a picture it shows are carried with it."""
    import docx as python_docx

    from tests.test_web_documents import png

    made = python_docx.Document()
    made.add_paragraph("Nhiệm vụ thứ nhất", style="List Number")
    made.add_paragraph("Nhiệm vụ thứ hai", style="List Number")
    picture = tmp_path / "p.png"
    picture.write_bytes(png(80, 8))
    made.add_picture(str(picture))
    chunk = io.BytesIO()
    made.save(chunk)
    docx = plain.read_bytes()
    copy = tmp_path / "lists.docx"
    copy.write_bytes(with_chunks(docx, body_start(docx), [(chunk.getvalue(), DOCX_TYPE, "afchunk1.docx")]))
    word = read_word(copy)
    numbered = [p for p in word.paragraphs if "Nhiệm vụ thứ" in p.text]
    assert [re.sub(r"\s+", " ", p.text).strip()[:2] for p in numbered] == ["1.", "2."]
    with zipfile.ZipFile(copy) as zf:
        chunk_rels = zf.read("word/_rels/document.xml.rels").decode()
    spliced = alt_chunks.in_place(copy.read_bytes(), "x")
    assert spliced is not None
    with zipfile.ZipFile(io.BytesIO(spliced[0])) as zf:
        rels = zf.read("word/_rels/document.xml.rels").decode()
        pictures = [n for n in zf.namelist() if n.startswith("word/chunk1/") and n.endswith(".png")]
        assert pictures and zf.read(pictures[0]) == picture.read_bytes()
        assert "aFChunk" in chunk_rels and "aFChunk" not in rels


@pytest.mark.parametrize("where", ["sdt", "customXml", "cell/sdt", "sdt/customXml", "customXml/cell"])
def test_a_chunk_inside_block_content_is_read_in_its_place(plain: Path, tmp_path: Path, where: str,
                                                           no_libreoffice_run: None) -> None:
    """A chunk in a block content control, in custom XML, in a cell, one inside another: Word prints
    it where it stands, so its lines end the body, inside the container that held it."""
    docx = plain.read_bytes()
    lines = ["Giao Phòng Văn hóa chủ trì thực hiện.", "Thời gian: Quý II năm 2025."]
    copy = tmp_path / "khoi.docx"
    copy.write_bytes(with_chunks(docx, body_start(docx), [("\n".join(lines).encode(), "text/plain", "afchunk1.txt")],
                                 where=where))
    shown = [norm(p.text) for p in read_word(copy).paragraphs if norm(p.text)]
    assert shown[-2:] == lines
    spliced = alt_chunks.in_place(copy.read_bytes(), "x")
    assert spliced is not None
    with zipfile.ZipFile(io.BytesIO(spliced[0])) as zf:
        body = etree.fromstring(zf.read("word/document.xml"))
    assert not list(body.iter(f"{{{W}}}altChunk"))
    inner = {"sdt": "sdtContent", "customXml": "customXml", "cell": "tc"}[where.split("/")[-1]]
    holder = list(body.iter(f"{{{W}}}{inner}"))[-1]
    assert ["".join(t.text or "" for t in p.iter(f"{{{W}}}t")) for p in holder.iter(f"{{{W}}}p")] == lines


def note_texts(path: Path) -> dict[str, str]:
    """The text of each footnote and endnote the document's lines mark, by "footnotes" or "endnotes"."""
    return {("endnotes" if r.note.endnote else "footnotes"): norm(r.note.text)
            for p in read_word(path).paragraphs for r in p.runs if r.note is not None}


@pytest.mark.parametrize("kind", ["header", "footer", "footnotes", "endnotes"])
def test_a_chunk_in_a_header_footer_or_note_is_read_there(plain: Path, tmp_path: Path, kind: str,
                                                          no_libreoffice_run: None) -> None:
    text = "Theo Quyết định số 12/QĐ-UBND ngày 03/3/2025"
    copy = tmp_path / f"{kind}.docx"
    copy.write_bytes(part_chunk(plain.read_bytes(), text.encode(), "text/plain", kind))
    if kind in ("header", "footer"):
        part = getattr(read_word(copy).sections[-1], kind + "s")["default"]
        assert norm(part.text) == text
    else:
        assert note_texts(copy) == {kind: text}


def test_a_docx_chunk_in_a_footnote_keeps_its_words_and_looks(plain: Path, tmp_path: Path) -> None:
    """A .docx chunk in a footnote: its paragraph, bold as its run says, is the note's text."""
    import docx as python_docx

    made = python_docx.Document()
    made.add_paragraph().add_run("Số liệu năm 2024").bold = True
    out = io.BytesIO()
    made.save(out)
    copy = tmp_path / "chu-thich.docx"
    copy.write_bytes(part_chunk(plain.read_bytes(), out.getvalue(), DOCX_TYPE, "footnotes"))
    notes = [r.note for p in read_word(copy).paragraphs for r in p.runs if r.note is not None]
    assert [norm(n.text) for n in notes] == ["Số liệu năm 2024"]
    assert all(r.fmt.bold for p in notes[0].paras for r in p.runs if r.text.strip())


def test_a_chunk_in_a_comment_is_put_in_the_comment(plain: Path, tmp_path: Path, no_libreoffice_run: None) -> None:
    """Comments are block content too: the chunk's lines are the comment's paragraphs, its part gone."""
    spliced = alt_chunks.in_place(part_chunk(plain.read_bytes(), "Cần bổ sung\nkinh phí".encode(), "text/plain",
                                             "comments"), "x")
    assert spliced is not None
    with zipfile.ZipFile(io.BytesIO(spliced[0])) as zf:
        comments = etree.fromstring(zf.read("word/comments9.xml"))
        assert "word/afchunk9.txt" not in zf.namelist()
    comment = comments.find(f"{{{W}}}comment")
    assert [c.tag for c in comment] == [f"{{{W}}}p"] * 2
    assert ["".join(t.text or "" for t in p.iter(f"{{{W}}}t")) for p in comment] == ["Cần bổ sung", "kinh phí"]


TEXT_FORMS = {
    "utf-8": lambda t: t.encode("utf-8"),
    "utf-8 với BOM": lambda t: t.encode("utf-8-sig"),
    "utf-16-le với BOM": lambda t: t.encode("utf-16"),  # Notepad's "Unicode"
    "utf-16-be với BOM": lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"),
    "utf-16-le không BOM": lambda t: t.encode("utf-16-le"),  # what .NET's Encoding.Unicode.GetBytes writes
    "utf-16-be không BOM": lambda t: t.encode("utf-16-be"),
    "utf-16-le không BOM, byte lẻ cuối": lambda t: t.encode("utf-16-le") + b"\x0d",
}


@pytest.mark.parametrize("form", TEXT_FORMS)
@pytest.mark.parametrize("lines", [["Kế hoạch tuyên truyền năm 2025", "Ủy ban nhân dân xã"],
                                   ["Ủy ban nhân dân xã", "ĐỀ ÁN"], ["Kế hoạch"]])
def test_a_text_chunk_reads_the_same_in_every_encoding(plain: Path, tmp_path: Path, form: str, lines: list[str],
                                                       no_libreoffice_run: None) -> None:
    """The text as Word shows it, whatever encodes it: UTF-16 without a byte-order mark told by where
    its zero bytes stand even when its first characters are no ASCII ("Kế", "Ủy")."""
    docx = plain.read_bytes()
    copy = tmp_path / "text.docx"
    blob = TEXT_FORMS[form]("\r\n".join(lines))
    copy.write_bytes(with_chunks(docx, body_start(docx), [(blob, "text/plain", "afchunk1.txt")]))
    shown = [norm(p.text) for p in read_word(copy).paragraphs if norm(p.text)]
    assert shown[-len(lines):] == lines


def test_a_broken_docx_chunk_is_named_with_what_is_broken(plain: Path, tmp_path: Path, capsys: Any) -> None:
    """A .docx chunk whose own document does not parse: the message names the chunk's part, the part
    of it that is broken and the parser's reason, not the outer file alone; exit 2, no traceback."""
    import docx as python_docx

    made = python_docx.Document()
    made.add_paragraph("Nội dung nhúng")
    out = io.BytesIO()
    made.save(out)
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    members["word/document.xml"] = members["word/document.xml"].replace(b"</w:body>", b"</w:bod>")
    chunk = io.BytesIO()
    with zipfile.ZipFile(chunk, "w") as zf:
        for name, blob in members.items():
            zf.writestr(name, blob)
    docx = plain.read_bytes()
    copy = tmp_path / "nhung-hong.docx"
    copy.write_bytes(with_chunks(docx, body_start(docx), [(chunk.getvalue(), DOCX_TYPE, "afchunk7.docx")]))
    err = cli_error(["check", str(copy)], capsys)
    assert "nhung-hong.docx: phần nội dung nhúng (altChunk) word/afchunk7.docx: phần word/document.xml bị hỏng" in err
    assert "mismatch" in err and "Traceback" not in err


def test_a_broken_document_holding_a_chunk_is_said_broken(plain: Path, tmp_path: Path, capsys: Any) -> None:
    copy = tmp_path / "hong.docx"
    docx = plain.read_bytes()
    made = with_chunks(docx, body_start(docx), [("Kế hoạch".encode(), "text/plain", "afchunk1.txt")])
    with zipfile.ZipFile(io.BytesIO(made)) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    members["word/document.xml"] = members["word/document.xml"].replace(b"</w:body>", b"</w:bod>")
    with zipfile.ZipFile(copy, "w") as zf:
        for name, blob in members.items():
            zf.writestr(name, blob)
    assert "bị hỏng" in cli_error(["check", str(copy)], capsys)


# --- hostile chunks -------------------------------------------------------------------------------------

@needs_soffice
def test_a_page_chunk_fetches_nothing_and_reads_no_local_file(plain: Path, tmp_path: Path,
                                                              server: tuple[str, list[str]],
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    url, hits = server
    secret = tmp_path / "bi-mat.txt"
    secret.write_text("MẬT-KHẨU-KHÔNG-ĐƯỢC-ĐỌC", encoding="utf-8")
    docx = plain.read_bytes()
    start = body_start(docx)
    page = hostile_page(url, secret)
    copy = tmp_path / "hostile.docx"
    copy.write_bytes(with_chunks(docx, start, [(page, "text/html", "afchunk1.htm"),
                                               (mhtml(page), "message/rfc822", "afchunk2.mht")]))
    starts: list[object] = []
    run = formats.run_soffice
    monkeypatch.setattr(formats, "run_soffice", lambda *a, **k: starts.append(a) or run(*a, **k))
    word = read_word(copy)
    text = " ".join(p.text for p in word.paragraphs)
    assert text.count("Kế hoạch") >= 2  # both chunks read
    assert len(starts) == 1  # one LibreOffice for the page and the MHTML (the same import filter)
    assert "MẬT-KHẨU" not in text
    assert hits == []


def test_a_chunk_outside_the_file_is_refused_and_not_fetched(plain: Path, tmp_path: Path,
                                                            server: tuple[str, list[str]], capsys: Any) -> None:
    url, hits = server
    copy = tmp_path / "ngoai.docx"
    copy.write_bytes(external_chunk(plain.read_bytes(), f"{url}/chunk.htm"))
    err = cli_error(["check", str(copy)], capsys)
    assert "altChunk" in err and "ngoài tệp" in err
    assert hits == []


def test_a_chunk_bomb_is_refused_before_libreoffice(plain: Path, tmp_path: Path, no_libreoffice_run: None) -> None:
    docx = plain.read_bytes()
    start = body_start(docx)
    bomb = b"<html><body>" + b"<p>x</p>" * (limits.MAX_PARAGRAPHS + 1) + b"</body></html>"
    copy = tmp_path / "bom.docx"
    copy.write_bytes(with_chunks(docx, start, [(bomb, "text/html", "afchunk1.htm")]))
    with pytest.raises(UserError, match="altChunk.*đoạn văn"):
        read_word(copy)
    lines = b"x\n" * (limits.MAX_PARAGRAPHS + 1)  # a text chunk of lines: counted before it is built
    copy.write_bytes(with_chunks(docx, start, [(lines, "text/plain", "afchunk1.txt")]))
    with pytest.raises(UserError, match="altChunk.*đoạn văn"):
        read_word(copy)
    many = [(b"<p>x</p>", "text/html", f"afchunk{k}.htm") for k in range(limits.MAX_ALT_CHUNKS + 1)]
    copy.write_bytes(with_chunks(docx, start, many))
    with pytest.raises(UserError, match=f"tối đa {limits.MAX_ALT_CHUNKS}"):
        read_word(copy)


def test_docx_chunks_inflating_past_a_file_are_refused_before_they_are_read(
        plain: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each .docx chunk within the limits of a file, all of them together past it: refused from
    their zip directories (a small outer file of many chunks each inflating to the limit)."""
    docx = plain.read_bytes()
    start = body_start(docx)
    tail = blocks_only(docx, start)
    inflated = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(tail)).infolist())
    outer = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(docx)).infolist())
    monkeypatch.setattr(limits, "MAX_TOTAL_BYTES", outer + 2 * len(tail) + inflated)
    copies = limits.MAX_TOTAL_BYTES // inflated + 1
    copy = tmp_path / "nhieu.docx"
    copy.write_bytes(with_chunks(docx, start, [(tail, DOCX_TYPE, f"afchunk{k}.docx") for k in range(copies)]))
    with pytest.raises(UserError, match="altChunk.*giải nén"):
        read_word(copy)
    monkeypatch.setattr(limits, "MAX_TOTAL_BYTES", limits.MAX_TOTAL_BYTES * copies)
    assert kept(plain, copy) >= 0.99  # the same chunks within the limit are read


def test_a_docx_chunk_is_inspected_as_any_docx(plain: Path, tmp_path: Path, no_libreoffice_run: None) -> None:
    """A .docx chunk with a DTD (entities) in a part is refused as a .docx given alone would be."""
    docx = plain.read_bytes()
    start = body_start(docx)
    tail = blocks_only(docx, start)
    with zipfile.ZipFile(io.BytesIO(tail)) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    members["word/document.xml"] = members["word/document.xml"].replace(
        b"?>", b'?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>', 1)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, blob in members.items():
            zf.writestr(name, blob)
    copy = tmp_path / "dtd.docx"
    copy.write_bytes(with_chunks(docx, start, [(out.getvalue(), DOCX_TYPE, "afchunk1.docx")]))
    with pytest.raises(UserError, match="altChunk.*DTD"):
        read_word(copy)


def test_a_chunk_holding_a_chunk_is_refused(plain: Path, tmp_path: Path, capsys: Any) -> None:
    docx = plain.read_bytes()
    start = body_start(docx)
    inner = with_chunks(blocks_only(docx, start), 0, [("Kế hoạch".encode(), "text/plain", "afchunk1.txt")])
    copy = tmp_path / "long.docx"
    copy.write_bytes(with_chunks(docx, start, [(inner, DOCX_TYPE, "afchunk1.docx")]))
    err = cli_error(["import", str(copy), "-o", str(tmp_path / "ra.yaml")], capsys)
    assert "altChunk" in err and "một cấp" in err
    assert not (tmp_path / "ra.yaml").exists()


def test_a_chunk_of_a_kind_word_cannot_import_is_named(plain: Path, tmp_path: Path, no_libreoffice_run: None) -> None:
    from tests.test_web_documents import png

    docx = plain.read_bytes()
    copy = tmp_path / "anh.docx"
    copy.write_bytes(with_chunks(docx, body_start(docx), [(png(), "image/png", "afchunk1.png")]))
    with pytest.raises(UserError, match=r"word/afchunk1\.png.*Lưu thành"):
        read_word(copy)
