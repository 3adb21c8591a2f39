"""Hostile embedded chunks (w:altChunk, generator/word/alt_chunks.py), through the reader and the
commands. Budgets: chunks each within the limits of a part or a file that together, once spliced
into the one part they stand in (body, styles, numbering), would build more than a part may hold
(elements, paragraphs of a .doc chunk, styles, list definitions), or one part named by many chunks,
refused before what costs the memory is built, with a Vietnamese message naming the chunks, exit 2
and no traceback. Integrity: the ids a chunk's pictures, relationships and styles are given are
ones the document does not use. A page chunk nested deeper than the HTML parser builds is refused,
not read in part; a page typed RTF is made safe before LibreOffice opens it. The author's hostile
cases (a page fetching, a chunk bomb, a chunk of chunks, a chunk outside the file) are in
tests/test_alt_chunks.py."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest

from generator import limits
from generator.errors import UserError
from generator.word import alt_chunks
from generator.word.reader import norm, read_word
from tests.limits_helpers import cli_error
from tests.test_alt_chunks import DOCX_TYPE, blocks_only, body_start, part_chunk, plain, with_chunks
from tests.test_web_documents import needs_soffice, png, server

__all__ = ["plain", "server"]  # the fixtures, used by name


@pytest.fixture
def nothing_built(monkeypatch: pytest.MonkeyPatch) -> None:
    """A chunk refused by its counts must be refused before its blocks are made (the trees)."""
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a chunk's blocks were built before the chunks were counted")

    monkeypatch.setattr(alt_chunks, "_text_blocks", refuse)
    monkeypatch.setattr(alt_chunks._Package, "_docx_blocks", refuse)


def many_runs(docx: bytes, runs: int) -> bytes:
    """The .docx with one more paragraph of `runs` runs opening its body: many elements, few bytes
    each, one paragraph."""
    with zipfile.ZipFile(io.BytesIO(docx)) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    paragraph = b"<w:p>" + b"<w:r><w:t>x</w:t></w:r>" * runs + b"</w:p>"
    head, body, tail = members["word/document.xml"].partition(b"<w:body>")
    members["word/document.xml"] = head + body + paragraph + tail
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, blob in members.items():
            zf.writestr(name, blob)
    return out.getvalue()


def test_a_text_chunk_of_one_line_of_tabs_is_refused_before_it_is_built(
        plain: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any, nothing_built: None) -> None:
    """A text chunk of one line is one paragraph, but each tab in it becomes a run, a tab and a text
    (Word imports a tab as a tab): a line of tabs, a byte each, builds three elements a byte, past
    what a part may hold (limits.MAX_ELEMENTS, here lowered) with no paragraph counted against it."""
    monkeypatch.setattr(limits, "MAX_ELEMENTS", 60_000)
    docx = plain.read_bytes()
    copy = tmp_path / "tab.docx"
    copy.write_bytes(with_chunks(docx, body_start(docx), [(b"x\t" * 25_000, "text/plain", "afchunk1.txt")]))
    err = cli_error(["check", str(copy)], capsys)
    assert "tab.docx" in err and "altChunk" in err and "thẻ XML" in err and "không đọc" in err


def test_a_text_chunk_with_the_tabs_of_a_plan_is_read(plain: Path, tmp_path: Path) -> None:
    docx = plain.read_bytes()
    copy = tmp_path / "tab.docx"
    copy.write_bytes(with_chunks(docx, body_start(docx), [("Thời hạn\tQuý I\tSở".encode(), "text/plain",
                                                          "afchunk1.txt")]))
    assert "Thời hạn Quý I Sở" in [norm(p.text) for p in read_word(copy).paragraphs]


def test_docx_chunks_each_within_a_part_together_past_it_are_refused_before_they_are_built(
        plain: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any, nothing_built: None) -> None:
    """Each .docx chunk within the elements of a part (each inspected alone passes), two of them
    spliced into the document's one part past it: refused from their bytes, not after the spliced
    trees (every chunk's blocks copied into the document) are built and inspected."""
    docx = plain.read_bytes()
    start = body_start(docx)
    chunk = many_runs(blocks_only(docx, start), 30_000)
    with zipfile.ZipFile(io.BytesIO(chunk)) as zf:
        elements = zf.read("word/document.xml").count(b"<")
    monkeypatch.setattr(limits, "MAX_ELEMENTS", elements * 3 // 2)
    copy = tmp_path / "hai.docx"
    copy.write_bytes(with_chunks(docx, start, [(chunk, DOCX_TYPE, "afchunk1.docx"),
                                               (chunk, DOCX_TYPE, "afchunk2.docx")]))
    err = cli_error(["import", str(copy), "-o", str(tmp_path / "ra.yaml")], capsys)
    assert "hai.docx" in err and "altChunk" in err and "thẻ XML" in err
    assert not (tmp_path / "ra.yaml").exists()


# --- the ids a chunk's parts, styles and relationships are given in the document --------------------

def members_of(docx: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(docx)) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def zipped(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, blob in members.items():
            zf.writestr(name, blob)
    return out.getvalue()


def picture_chunk(tmp_path: Path, text: str, *pictures: bytes) -> bytes:
    """A .docx chunk of one paragraph and each picture below it, every picture its own part (the
    second and later in a folder of their own, under the first one's name)."""
    import docx as python_docx

    made = python_docx.Document()
    made.add_paragraph(text)
    for k, picture in enumerate(pictures):
        path = tmp_path / f"hinh{k}.png"
        path.write_bytes(picture)
        made.add_picture(str(path))
    out = io.BytesIO()
    made.save(out)
    members = members_of(out.getvalue())
    rels = members["word/_rels/document.xml.rels"].decode()
    for k in range(1, len(pictures)):
        # python-docx names the k-th picture imageK+1.png: moved to media/k/image1.png, as a merge
        # of documents may keep each document's pictures in a folder of its own.
        members[f"word/media/{k}/image1.png"] = members.pop(f"word/media/image{k + 1}.png")
        rels = rels.replace(f'Target="media/image{k + 1}.png"', f'Target="media/{k}/image1.png"')
    members["word/_rels/document.xml.rels"] = rels.encode()
    return zipped(members)


def pictures_shown(docx: bytes) -> list[bytes]:
    """The bytes of each picture the document's body shows, in order, through its relationships."""
    from lxml import etree

    members = members_of(docx)
    rels = etree.fromstring(members["word/_rels/document.xml.rels"])
    by_id = {rel.get("Id"): rel.get("Target") for rel in rels}
    assert len(by_id) == len(rels), "two relationships of one id"
    ids = re.findall(rb'r:embed="([^"]+)"', members["word/document.xml"])
    return [members["word/" + by_id[i.decode()]] for i in ids]


def test_two_pictures_of_one_name_in_a_chunk_stay_two_pictures(plain: Path, tmp_path: Path) -> None:
    first, second = png(80, 8), png(10, 10)
    docx = plain.read_bytes()
    copy = with_chunks(docx, body_start(docx), [(picture_chunk(tmp_path, "Đoạn nhúng có hình", first, second),
                                                 DOCX_TYPE, "afchunk1.docx")])
    spliced = alt_chunks.in_place(copy, "x")
    assert spliced is not None
    assert pictures_shown(spliced[0]) == [first, second]


def test_a_picture_of_a_chunk_in_a_footnote_is_the_footnotes_own(plain: Path, tmp_path: Path) -> None:
    """A chunk in a footnote shows its picture there: related from the notes part (a relationship
    id means the part's own relationships), the picture's bytes the chunk's."""
    from lxml import etree

    picture = png(40, 6)
    copy = part_chunk(plain.read_bytes(), picture_chunk(tmp_path, "Sơ đồ tuyến đường", picture), DOCX_TYPE,
                      "footnotes")
    spliced = alt_chunks.in_place(copy, "x")
    assert spliced is not None
    members = members_of(spliced[0])
    rels = {rel.get("Id"): rel.get("Target") for rel in etree.fromstring(members["word/_rels/footnotes9.xml.rels"])}
    ids = re.findall(rb'r:embed="([^"]+)"', members["word/footnotes9.xml"])
    assert [members["word/" + rels[i.decode()]] for i in ids] == [picture]
    assert b"altChunk" not in members["word/footnotes9.xml"]


def test_a_chunks_relationship_takes_no_id_the_document_gives_its_header(plain: Path, tmp_path: Path) -> None:
    """The document's page header related under the id the first chunk picture would be given
    ("rIdChunk1x0"): the header is still the document's, printed on its page, and the picture the chunk's."""
    import docx as python_docx

    made = python_docx.Document(str(plain))
    made.sections[-1].header.paragraphs[0].text = "ĐẦU TRANG CỦA VĂN BẢN"
    out = io.BytesIO()
    made.save(out)
    members = members_of(out.getvalue())
    rels = members["word/_rels/document.xml.rels"].decode()
    header_id = re.search(r'Id="(\w+)" Type="[^"]+/header"', rels)
    assert header_id is not None
    old = header_id.group(1)
    members["word/_rels/document.xml.rels"] = rels.replace(f'Id="{old}"', 'Id="rIdChunk1x0"').encode()
    members["word/document.xml"] = members["word/document.xml"].replace(f'r:id="{old}"'.encode(),
                                                                        b'r:id="rIdChunk1x0"')
    docx = zipped(members)
    picture = png(80, 8)
    copy = tmp_path / "dau-trang.docx"
    copy.write_bytes(with_chunks(docx, body_start(docx), [(picture_chunk(tmp_path, "Đoạn nhúng có hình", picture),
                                                          DOCX_TYPE, "afchunk1.docx")]))
    header = read_word(copy).sections[-1].headers.get("default")
    assert header is not None and norm(header.text) == "ĐẦU TRANG CỦA VĂN BẢN"
    spliced = alt_chunks.in_place(copy.read_bytes(), "x")
    assert spliced is not None and pictures_shown(spliced[0]) == [picture]


def test_a_chunks_styles_take_no_id_the_document_has(plain: Path, tmp_path: Path) -> None:
    """The document has a style of the id the chunk's defaults would be given ("Chunk1Defaults",
    bold 30 pt): the chunk's own style, based on its defaults, prints as the chunk says (9 pt, not
    bold), and the document's style is still its own."""
    import docx as python_docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt

    made = python_docx.Document()
    own = made.styles.add_style("Ghi chú riêng", WD_STYLE_TYPE.PARAGRAPH)
    own.font.size = Pt(9)
    made.add_paragraph("Đoạn kiểu riêng của phần nhúng", style="Ghi chú riêng")
    chunk = io.BytesIO()
    made.save(chunk)
    members = members_of(plain.read_bytes())
    members["word/styles.xml"] = members["word/styles.xml"].replace(b"</w:styles>", (
        '<w:style w:type="paragraph" w:styleId="Chunk1Defaults"><w:name w:val="Tiêu đề riêng"/>'
        '<w:rPr><w:b/><w:sz w:val="60"/></w:rPr></w:style></w:styles>').encode())
    docx = zipped(members)
    copy = tmp_path / "kieu.docx"
    copy.write_bytes(with_chunks(docx, body_start(docx), [(chunk.getvalue(), DOCX_TYPE, "afchunk1.docx")]))
    p = next(p for p in read_word(copy).paragraphs if norm(p.text) == "Đoạn kiểu riêng của phần nhúng")
    assert (p.runs[0].fmt.size, p.runs[0].fmt.bold) == (9.0, False)
    spliced = alt_chunks.in_place(copy.read_bytes(), "x")
    assert spliced is not None
    styles = members_of(spliced[0])["word/styles.xml"]
    assert styles.count(b'w:styleId="Chunk1Defaults"') == 1 and "Tiêu đề riêng".encode() in styles


@needs_soffice
def test_the_paragraphs_of_doc_chunks_are_counted_in_their_converted_copies(
        plain: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any, nothing_built: None) -> None:
    """A .doc chunk's text sits behind its piece table, so its paragraphs are not counted in its
    bytes (formats.source_paragraphs): counted in what LibreOffice made of it, against the budget of
    the file's chunks, before they are spliced. Two .doc chunks, each within the paragraphs of a
    part, together past it."""
    from generator.word import formats
    from generator.word.package import inspect_package
    from tests.test_formats import libreoffice_copies

    docx = plain.read_bytes()
    start = body_start(docx)
    (tmp_path / "phan.docx").write_bytes(blocks_only(docx, start))
    doc = libreoffice_copies([tmp_path / "phan.docx"], tmp_path / "doc", "doc:MS Word 97")[0].read_bytes()
    each = inspect_package(formats.convert(doc, formats.DOC, "x")).paragraphs
    copy = tmp_path / "doc-nhung.docx"
    copy.write_bytes(with_chunks(docx, start, [(doc, "application/octet-stream", "afchunk1.bin"),
                                               (doc, "application/octet-stream", "afchunk2.bin")]))
    outer = max(blob.count(b"<w:p>") + blob.count(b"<w:p ") for blob in members_of(copy.read_bytes()).values())
    monkeypatch.setattr(limits, "MAX_PARAGRAPHS", max(outer, each))
    assert 2 * each > limits.MAX_PARAGRAPHS
    err = cli_error(["check", str(copy)], capsys)
    assert "doc-nhung.docx" in err and "các phần nội dung nhúng (altChunk) có hơn" in err and "đoạn văn" in err


def one_part_many_times(docx: bytes, blob: bytes, ctype: str, name: str, uses: int) -> bytes:
    """The document with `uses` w:altChunk all naming one part (one relationship): the part is in the
    file once, read and spliced at each use."""
    from lxml import etree

    from tests.test_alt_chunks import W

    made = with_chunks(docx, body_start(docx), [(blob, ctype, name)])
    members = members_of(made)
    root = etree.fromstring(members["word/document.xml"])
    chunk = next(root.iter(f"{{{W}}}altChunk"))
    for _ in range(uses - 1):
        chunk.addnext(etree.fromstring(etree.tostring(chunk)))
    members["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return zipped(members)


@pytest.mark.parametrize(("blob", "ctype", "name"), [
    (("Kế hoạch " * 40_000).encode(), "text/plain", "afchunk1.txt"),
    (("<html><body><p>" + "Kế hoạch " * 40_000 + "</p></body></html>").encode(), "text/html", "afchunk1.htm"),
])
def test_one_part_named_by_many_chunks_is_counted_at_each_use(
        blob: bytes, ctype: str, name: str, plain: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: Any, nothing_built: None, no_libreoffice_run: None) -> None:
    """A part of one long line (few paragraphs, few elements) in the file once, named by many chunks:
    each use is read, converted and spliced, so the file's chunks put into the document the part's
    bytes at each use; refused once past what a file may inflate to (limits.MAX_TOTAL_BYTES, here
    lowered), before LibreOffice starts and before any chunk is built."""
    monkeypatch.setattr(limits, "MAX_TOTAL_BYTES", 4 * 2**20)
    assert 8 * len(blob) < limits.MAX_TOTAL_BYTES < 20 * len(blob)
    copy = tmp_path / "lap.docx"
    copy.write_bytes(one_part_many_times(plain.read_bytes(), blob, ctype, name, 20))
    err = cli_error(["check", str(copy)], capsys)
    assert "lap.docx" in err and "altChunk" in err and "nhúng lại" in err


def test_one_part_named_by_a_few_chunks_is_printed_at_each_use(plain: Path, tmp_path: Path) -> None:
    copy = tmp_path / "lap.docx"
    copy.write_bytes(one_part_many_times(plain.read_bytes(), "Dòng nhúng lại".encode(), "text/plain",
                                         "afchunk1.txt", 3))
    assert [norm(p.text) for p in read_word(copy).paragraphs].count("Dòng nhúng lại") == 3


# --- a page chunk nested deeper than the HTML parser builds -----------------------------------------

def nested_page(levels: int, tags: tuple[str, str] = ("<div>", "</div>")) -> bytes:
    opening, closing = tags
    return ("<html><body>" + opening * levels + "<p>Chữ nằm sâu</p>" + closing * levels + "</body></html>").encode()


@pytest.mark.parametrize("form", ["html", "mht"])
@pytest.mark.parametrize("tags", [("<div>", "</div>"), ("<b><i>", ""), ("<ul><li>", "")])
def test_a_page_nested_deeper_than_the_parser_builds_is_refused_not_read_in_part(
        form: str, tags: tuple[str, str]) -> None:
    """libxml2's HTML parser leaves out, with no exception, all that lies deeper than 256 levels (a
    browser and Word show it): the page is refused with a Vietnamese message, not read without it."""
    from generator.word import webdoc
    from tests.test_web_documents import mhtml

    page = nested_page(300, tags)
    with pytest.raises(UserError) as err:
        webdoc.safe_page(page if form == "html" else mhtml(page), webdoc.HTML if form == "html" else webdoc.MHT,
                         "sau.htm")
    assert str(err.value).startswith("sau.htm: ") and "lồng nhau quá sâu" in str(err.value)
    # Nested as deep as pages are, it is read whole.
    shallow = nested_page(100, tags)
    made = webdoc.safe_page(shallow if form == "html" else mhtml(shallow),
                            webdoc.HTML if form == "html" else webdoc.MHT, "sau.htm")
    assert "Chữ nằm sâu".encode() in made


def test_a_page_chunk_nested_too_deep_is_refused_before_libreoffice(
        plain: Path, tmp_path: Path, capsys: Any, no_libreoffice_run: None) -> None:
    docx = plain.read_bytes()
    copy = tmp_path / "sau.docx"
    copy.write_bytes(with_chunks(docx, body_start(docx), [(nested_page(300), "text/html", "afchunk1.htm")]))
    err = cli_error(["import", str(copy), "-o", str(tmp_path / "ra.yaml")], capsys)
    assert "sau.docx" in err and "altChunk" in err and "lồng nhau quá sâu" in err
    assert not (tmp_path / "ra.yaml").exists()


# --- a chunk whose content type lies ---------------------------------------------------------------

@needs_soffice
@pytest.mark.parametrize("ctype", ["application/rtf", "text/rtf"])
def test_a_page_typed_rtf_fetches_nothing_and_reads_no_local_file(
        ctype: str, plain: Path, tmp_path: Path, server: tuple[str, list[str]]) -> None:
    """A chunk whose part says RTF but holds a page: LibreOffice, given it as an RTF (no import filter
    named), opens it as the page it looks like; it must be the page made safe (webdoc) that it opens."""
    from tests.test_web_documents import hostile_page

    url, hits = server
    secret = tmp_path / "bi-mat.txt"
    secret.write_text("MẬT-KHẨU-KHÔNG-ĐƯỢC-ĐỌC", encoding="utf-8")
    docx = plain.read_bytes()
    copy = tmp_path / "rtf-gia.docx"
    copy.write_bytes(with_chunks(docx, body_start(docx), [(hostile_page(url, secret), ctype, "afchunk1.rtf")]))
    text = " ".join(p.text for p in read_word(copy).paragraphs)
    assert "Kế hoạch" in text and "MẬT-KHẨU" not in text
    assert hits == []


def test_the_styles_chunks_carry_are_counted_before_they_are_copied(
        plain: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    """Each .docx chunk within the styles of a file, carrying its styles (each paragraph in one of its
    own) into the document's one styles part: refused once the document would hold more than a file
    may (limits.MAX_STYLES, here lowered), by the chunks' budget, not after every chunk has copied
    its styles."""
    import docx as python_docx
    from docx.enum.style import WD_STYLE_TYPE

    def chunk_of_styles(name: str) -> bytes:
        made = python_docx.Document()
        for k in range(20):
            made.styles.add_style(f"{name} {k}", WD_STYLE_TYPE.PARAGRAPH)
            made.add_paragraph(f"Đoạn {k}", style=f"{name} {k}")
        out = io.BytesIO()
        made.save(out)
        return out.getvalue()

    # Two chunks of styles of their own names (a chunk's style of a name the document has, one an
    # earlier chunk carried included, is the document's: nothing carried).
    first, second = chunk_of_styles("Kiểu riêng"), chunk_of_styles("Kiểu khác")
    docx = plain.read_bytes()

    def styles(blob: bytes) -> int:
        return members_of(blob)["word/styles.xml"].count(b"<w:style ")

    monkeypatch.setattr(limits, "MAX_STYLES", max(styles(first), styles(docx) + 30))
    assert styles(docx) + 2 * 21 > limits.MAX_STYLES
    copy = tmp_path / "kieu.docx"
    copy.write_bytes(with_chunks(docx, body_start(docx), [(first, DOCX_TYPE, "afchunk1.docx"),
                                                          (second, DOCX_TYPE, "afchunk2.docx")]))
    err = cli_error(["check", str(copy)], capsys)
    assert "kieu.docx" in err and "altChunk" in err and "kiểu định dạng" in err


def chunk_of_lists(lists: int) -> bytes:
    """A .docx chunk of `lists` paragraphs, each the first item of a list of its own (nine levels
    defined, as Word defines every list): its list definitions outweigh its body."""
    import docx as python_docx

    from tests.test_alt_chunks import W

    made = python_docx.Document()
    made.add_paragraph("Danh sách")
    out = io.BytesIO()
    made.save(out)
    members = members_of(out.getvalue())
    assert "word/numbering.xml" in members
    levels = "".join(f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%{i + 1}."/>'
                     f'<w:pPr><w:ind w:left="{720 * (i + 1)}" w:hanging="360"/></w:pPr></w:lvl>' for i in range(9))
    abstracts = "".join(f'<w:abstractNum w:abstractNumId="{k}">{levels}</w:abstractNum>' for k in range(lists))
    nums = "".join(f'<w:num w:numId="{k + 1}"><w:abstractNumId w:val="{k}"/></w:num>' for k in range(lists))
    members["word/numbering.xml"] = f'<w:numbering xmlns:w="{W}">{abstracts}{nums}</w:numbering>'.encode()
    paragraphs = "".join(f'<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="{k + 1}"/></w:numPr></w:pPr>'
                         f'<w:r><w:t>Mục {k}</w:t></w:r></w:p>' for k in range(lists))
    members["word/document.xml"] = members["word/document.xml"].replace(b"<w:body>", b"<w:body>" + paragraphs.encode())
    return zipped(members)


def test_the_list_definitions_chunks_carry_are_counted_before_they_are_copied(
        plain: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    """Two .docx chunks, each within the elements of a part (its numbering part the largest), whose
    list definitions together, carried into the document's one numbering part, are past it: refused
    by the chunks' budget as they are copied, not once the whole spliced part is built."""
    chunk = chunk_of_lists(250)
    docx = plain.read_bytes()
    largest = max(blob.count(b"<") for blob in [*members_of(chunk).values(), *members_of(docx).values()])
    assert members_of(chunk)["word/numbering.xml"].count(b"<") == largest
    monkeypatch.setattr(limits, "MAX_ELEMENTS", largest * 5 // 4)
    copy = tmp_path / "ds.docx"
    copy.write_bytes(with_chunks(docx, body_start(docx), [(chunk, DOCX_TYPE, "afchunk1.docx"),
                                                          (chunk, DOCX_TYPE, "afchunk2.docx")]))
    err = cli_error(["check", str(copy)], capsys)
    assert "ds.docx" in err and "altChunk" in err and "danh sách đánh số" in err
    # One such chunk is read, its lists numbered.
    copy.write_bytes(with_chunks(docx, body_start(docx), [(chunk, DOCX_TYPE, "afchunk1.docx")]))
    numbered = [norm(p.text) for p in read_word(copy).paragraphs if "Mục" in p.text]
    assert len(numbered) == 250 and numbered[0].startswith("1.")
