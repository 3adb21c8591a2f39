"""Plans that Word opens as its own but that are web pages or XML (generator/word/webdoc.py,
flat_opc.py, formats.py): HTML and MHTML named .doc, Word 2003 XML and Flat OPC read as the plan they
print, told by content; hostile pages and XML converted without fetching or reading anything outside
the file, refused before LibreOffice starts when they are bombs or too big.

The copies are made here from fixture plans: the rendered sample and a plan typed with python-docx,
saved as HTML by LibreOffice ("HTML (StarWriter)"), that HTML wrapped in a multipart/related message
as Word's "Single File Web Page" is, the .docx's parts written into one pkg:package (Word's "Word XML
Document"), and the typed plan's body and styles written under Word 2003's namespace (LibreOffice's
own "MS Word 2003 XML" export writes fractional twips its import reads as zero-width columns).
"""

from __future__ import annotations

import base64
import http.server
import io
import re
import shutil
import struct
import threading
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator
from email.charset import QP, Charset
from email.mime.image import MIMEImage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from pathlib import Path
from typing import Any

import pytest

from generator.check import check_docx
from generator.cli import main
from generator.errors import DataError
from generator.jobs.importer import import_docx
from generator.plan.loader import load_plan
from generator.word import formats, webdoc
from generator.word.reader import norm, read_word
from generator.word.soffice import run_soffice, soffice_or_none
from tests.limits_helpers import cli_error
from tests.test_formats import APPENDIX, BODY, libreoffice_copies, same_data
from tests.word_fixtures import Header, build_plan

needs_soffice = pytest.mark.skipif(soffice_or_none() is None, reason="chưa cài LibreOffice (soffice)")

W06 = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W03 = webdoc.WORD_2003_NS
PKG = webdoc.FLAT_OPC_NS


# --- the fixtures: one plan in each form -----------------------------------------------------------

def mhtml(html: bytes, images: dict[str, bytes] | None = None) -> bytes:
    """The page as Word's "Single File Web Page" writes it: a multipart/related message, the page
    first (quoted-printable, with its Content-Location), then its pictures."""
    message = MIMEMultipart("related", type="text/html")
    quoted = Charset("utf-8")
    quoted.body_encoding = QP
    page = MIMEText(html.decode("utf-8"), "html", quoted)  # type: ignore[arg-type]  # a Charset is accepted
    page["Content-Location"] = "file:///C:/0A1B2C3D/ke-hoach.htm"
    message.attach(page)
    for name, data in (images or {}).items():
        part = MIMEImage(data, "png")
        part["Content-Location"] = f"file:///C:/0A1B2C3D/ke-hoach_files/{name}"
        message.attach(part)
    return message.as_bytes()


def flat_opc(docx: Path) -> bytes:
    """The .docx's parts in one pkg:package, as Word's "Word XML Document" save writes them: XML parts
    as pkg:xmlData, the others base64 in pkg:binaryData, each with its content type."""
    from lxml import etree

    with zipfile.ZipFile(docx) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    types = etree.fromstring(members.pop("[Content_Types].xml"))
    ct = "{http://schemas.openxmlformats.org/package/2006/content-types}"
    defaults = {d.get("Extension").lower(): d.get("ContentType") for d in types.iter(f"{ct}Default")}
    overrides = {o.get("PartName"): o.get("ContentType") for o in types.iter(f"{ct}Override")}
    root = etree.Element(f"{{{PKG}}}package", nsmap={"pkg": PKG})
    for name, data in members.items():
        part_name = "/" + name
        kind = overrides.get(part_name) or defaults.get(name.rsplit(".", 1)[-1].lower(), "application/octet-stream")
        part = etree.SubElement(root, f"{{{PKG}}}part", {f"{{{PKG}}}name": part_name,
                                                          f"{{{PKG}}}contentType": kind})
        if name.endswith((".xml", ".rels")):
            etree.SubElement(part, f"{{{PKG}}}xmlData").append(etree.fromstring(data))
        else:
            etree.SubElement(part, f"{{{PKG}}}binaryData").text = base64.b64encode(data).decode("ascii")
    return (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            b'<?mso-application progid="Word.Document"?>\n' + etree.tostring(root, encoding="UTF-8"))


def word_2003(docx: Path) -> bytes:
    """The .docx's body and styles under WordprocessingML 2003's namespace (the 2006 vocabulary
    descends from it: paragraphs, runs, tables with their grid and widths, sections), with the
    attributes 2003 names otherwise renamed, as Word's "Word 2003 XML Document" save begins."""
    from lxml import etree

    with zipfile.ZipFile(docx) as zf:
        body = etree.fromstring(zf.read("word/document.xml")).find(f"{{{W06}}}body")
        styles = etree.fromstring(zf.read("word/styles.xml"))
    renamed = {"hAnsi": "h-ansi", "eastAsia": "fareast"}

    def moved(el: Any) -> Any:
        new = etree.Element(f"{{{W03}}}{etree.QName(el).localname}", nsmap={"w": W03})
        for key, value in el.attrib.items():
            if key.startswith(f"{{{W06}}}"):
                local = etree.QName(key).localname
                new.set(f"{{{W03}}}{renamed.get(local, local)}", value)
        new.text = el.text
        for child in el:
            if isinstance(child.tag, str) and child.tag.startswith(f"{{{W06}}}"):
                new.append(moved(child))
        return new

    root = etree.Element(f"{{{W03}}}wordDocument", nsmap={"w": W03})
    root.append(moved(styles))
    root.append(moved(body))
    return (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            b'<?mso-application progid="Word.Document"?>\n' + etree.tostring(root, encoding="UTF-8"))


def utf16_page(html: bytes) -> bytes:
    """The page saved in UTF-16 with its byte-order mark (Word's "Unicode" encoding for web pages)."""
    text = html.decode("utf-8").replace("charset=utf-8", "charset=unicode")
    return b"\xff\xfe" + text.encode("utf-16-le")


@pytest.fixture(scope="module")
def plans(sample_docx: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    """The fixture plans as .docx and in each form Word opens as its own, every one named .doc
    (or .xml) as portals name them: {"docx": [...], "html": [...], …}."""
    root = tmp_path_factory.mktemp("web")
    typed = build_plan(root / "go.docx", header=Header(issuer=("SỞ VĂN HÓA", "VÀ THỂ THAO")), body=BODY,
                       appendices=[APPENDIX])
    sample = root / "mau.docx"
    shutil.copyfile(sample_docx, sample)
    docx = [sample, typed]
    copies: dict[str, list[Path]] = {"docx": docx, "flatopc": [], "word2003": []}
    for p in docx:
        copies["flatopc"].append(root / f"{p.stem}-flat.xml")
        copies["flatopc"][-1].write_bytes(flat_opc(p))
    copies["word2003"] = [root / "go-2003.doc"]
    copies["word2003"][0].write_bytes(word_2003(typed))
    if soffice_or_none() is not None:
        pages = libreoffice_copies(docx, root / "html", "html:HTML (StarWriter)")
        for form, make in (("html", lambda b: b), ("mht", mhtml), ("utf16", utf16_page)):
            copies[form] = []
            for page in pages:
                named = root / form / f"{page.stem}.doc"
                named.parent.mkdir(exist_ok=True)
                named.write_bytes(make(page.read_bytes()))
                copies[form].append(named)
    return copies


def without(data: Any, keys: tuple[str, ...]) -> Any:
    """The data with the given keys removed at every level."""
    if isinstance(data, dict):
        return {k: without(v, keys) for k, v in data.items() if k not in keys}
    if isinstance(data, list):
        return [without(v, keys) for v in data]
    return data


# --- the same plan, whatever form Word opened ---------------------------------------------------------

# What the page cannot say is left out of the comparison: LibreOffice lays a page out in one page
# style (an appendix's landscape section is lost: "orientation"), and Word 2003 XML's import sets a
# table's columns from its grid as LibreOffice's XSLT filter reads it ("width"). Every text, task,
# section and table row is compared.
LAYOUT = ("width", "orientation")
FORMS = [
    pytest.param("html", formats.HTML, marks=needs_soffice),
    pytest.param("mht", formats.MHT, marks=needs_soffice),
    pytest.param("utf16", formats.HTML, marks=needs_soffice),
    pytest.param("word2003", formats.WORD_2003, marks=needs_soffice),
    pytest.param("flatopc", formats.FLAT_OPC),
]


@pytest.mark.parametrize(("form", "kind"), FORMS)
def test_each_form_imports_the_same_plan_and_checks(plans: dict[str, list[Path]], form: str,
                                                     kind: formats.Kind) -> None:
    originals = plans["docx"][1:] if form == "word2003" else plans["docx"]
    for original, copy in zip(originals, plans[form], strict=True):
        assert formats.kind_of(copy.read_bytes(), copy.name) is kind
        before = sorted(p.name for p in copy.parent.iterdir())
        want, got = import_docx(original), import_docx(copy)
        assert got.data["sections"] and got.data.get("appendices")
        assert same_data(without(want.data, LAYOUT), without(got.data, LAYOUT), 0.0) == [], (copy.name, form)
        report = check_docx(copy)
        assert report.results
        if kind.by_soffice:
            # Said once, in the words of a .doc's note, with what the file really is.
            for note in (got.note, report.note):
                assert note and kind.what in note and "LibreOffice" in note
            if copy.suffix == ".doc":
                assert f"{kind.what} (dù tên tệp có đuôi .doc)" in (report.note or "")
        else:
            # A Flat OPC file is the .docx's own parts: read as the .docx, Word's measurements.
            assert got.note is None and report.note is None
            assert same_data(want.data, got.data, 0.0) == []
            assert ({(r.rule, r.location, r.status) for r in report.results}
                    == {(r.rule, r.location, r.status) for r in check_docx(original).results})
        assert sorted(p.name for p in copy.parent.iterdir()) == before  # nothing written beside it


@needs_soffice
@pytest.mark.parametrize("form", ["html", "mht"])
def test_a_page_is_opened_as_a_text_document_with_its_page_and_fonts(plans: dict[str, list[Path]],
                                                                      form: str) -> None:
    """Writer, not Writer/Web: the page's size and margins (its @page CSS) and each paragraph's font
    and size come through as the .docx printed them (within a twip's rounding, 1 twip = 1/20 pt)."""
    for docx, copy in zip(plans["docx"], plans[form], strict=True):
        original, page = read_word(docx), read_word(copy)
        a, b = original.sections[0], page.sections[0]
        assert abs(a.width - b.width) <= 20 and abs(a.height - b.height) <= 20, (a, b)
        # Top and bottom left out: LibreOffice's HTML export counts a page header's room into them.
        for side in ("left", "right"):
            assert abs(a.margins[side] - b.margins[side]) <= 20, side

        # The body's paragraphs (LibreOffice's HTML export leaves a table cell's paragraphs without
        # the class that gives the font, so a browser shows them in its default font too).
        def looks(word: Any) -> dict[str, set[tuple[str | None, float | None]]]:
            return {norm(p.text): {(r.fmt.fonts.get("ascii"), r.fmt.size) for r in p.runs if r.text.strip()}
                    for p in word.paragraphs if norm(p.text) and p.cell is None}

        want, got = looks(original), looks(page)
        shared = want.keys() & got.keys()
        assert len(shared) >= 0.9 * len(want)
        assert {t: want[t] for t in shared} == {t: got[t] for t in shared}


def cp1258(text: str) -> bytes:
    """Text in Windows-1258, the Vietnamese code page: a letter with its vowel mark where the code page
    has one, its tone mark as a combining character (as Word writes the page in that encoding)."""
    tones = "\u0300\u0301\u0303\u0309\u0323"  # the marks Windows-1258 writes as characters of their own
    out = b""
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", char)
            letter = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tones))
            out += (letter + "".join(c for c in decomposed if c in tones)).encode("cp1258")
    return out


WORD_PAGE = """<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:w="urn:schemas-microsoft-com:office:word" xmlns="http://www.w3.org/TR/REC-html40">
<head><meta http-equiv=Content-Type content="text/html; charset=windows-1258">
<meta name=Generator content="Microsoft Word 15">
<link rel=File-List href="ke-hoach_files/filelist.xml"><link rel=themeData href="ke-hoach_files/themedata.thmx">
<!--[if gte mso 9]><xml><w:WordDocument><w:View>Print</w:View></w:WordDocument></xml><![endif]-->
<style><!--
 @font-face {font-family:"Times New Roman"; panose-1:2 2 6 3 5 4 5 2 3 4;}
 p.MsoNormal, li.MsoNormal {margin:0cm; font-size:14.0pt; font-family:"Times New Roman",serif;}
 @page WordSection1 {size:595.3pt 841.9pt; margin:56.7pt 42.55pt 56.7pt 85.05pt; mso-header-margin:35.4pt;}
 div.WordSection1 {page:WordSection1;}
--></style></head>
<body lang=VI style='tab-interval:36.0pt'><div class=WordSection1>
<p class=MsoNormal style='margin-left:36.0pt;text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span
style='mso-list:Ignore'>1.<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp; </span></span><![endif]>Mục
đích</p>
<p class=MsoNormal><!--[if !supportLists]--><span style='mso-list:Ignore'>2. </span><!--[endif]-->Yêu cầu<o:p></o:p></p>
<p class=MsoNormal><!--[if gte vml 1]><v:line id="_x0000_s1026" from="0,0" to="100pt,0"/><![endif]--><![if !vml]><img
width=134 height=2 src="ke-hoach_files/image001.gif" v:shapes="_x0000_s1026"><![endif]>Tổ chức thực hiện</p>
</div></body></html>"""


@needs_soffice
def test_a_page_word_saved_in_a_legacy_code_page_reads_as_word_shows_it(tmp_path: Path) -> None:
    """Word's "Save as Web Page" in Windows-1258: its downlevel list numbers kept, its conditional
    comments and linked files gone, its page setup (a named @page rule the section's div takes)
    read, each paragraph in the font its class gives."""
    data = cp1258(WORD_PAGE)
    assert formats.kind_of(data, "ke-hoach.doc") is formats.HTML
    made = tmp_path / "ban-chuyen.docx"
    made.write_bytes(formats.convert(data, formats.HTML, "ke-hoach.doc"))
    word = read_word(made)
    assert [norm(p.text) for p in word.paragraphs] == ["1. Mục đích", "2. Yêu cầu", "Tổ chức thực hiện"]
    section = word.sections[0]
    assert (section.width, section.height) == (11906, 16838)
    assert section.margins["left"] == 1701 and section.margins["right"] == 851  # 85.05 pt, 42.55 pt
    assert section.margins["top"] == 1134 and section.margins["bottom"] == 1134
    assert {(r.fmt.fonts.get("ascii"), r.fmt.size) for r in word.paragraphs[2].runs if r.text.strip()} \
        == {("Times New Roman", 14.0)}


@needs_soffice
def test_cli_imports_and_checks_a_page_named_doc(plans: dict[str, list[Path]], tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    doc = tmp_path / "ke-hoach.doc"
    shutil.copyfile(plans["mht"][1], doc)
    assert main(["import", str(doc)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ke-hoach.doc", "ke-hoach.yaml"]
    assert "Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh" in (tmp_path / "ke-hoach.yaml").read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["check", str(doc)]) in (0, 1)
    out = capsys.readouterr().out
    assert "Lưu ý: đây là trang web một tệp (MHTML)" in out and "(dù tên tệp có đuôi .doc)" in out


# --- told by content -------------------------------------------------------------------------------------

def test_kinds_are_told_by_their_first_bytes() -> None:
    page = b'<html xmlns:w="urn:schemas-microsoft-com:office:word"><body><p>x</p></body></html>'
    assert webdoc.sniff(page) == webdoc.HTML
    assert webdoc.sniff(b"\xef\xbb\xbf\r\n  <!DOCTYPE html><html>") == webdoc.HTML
    assert webdoc.sniff(b"\xff\xfe" + "<html><body>".encode("utf-16-le")) == webdoc.HTML
    assert webdoc.sniff("\n<html><body>".encode("utf-16-be")) == webdoc.HTML  # no mark: told by its zeros


@pytest.mark.parametrize("text", ["Kế hoạch tuyên truyền", "Ủy ban nhân dân", "<html><body>", "Ā Ḁ Đà Nẵng x"])
def test_utf16_without_a_mark_is_told_by_where_its_zeros_stand(text: str) -> None:
    """Whatever its first characters, UTF-16 of Latin (Vietnamese) text has its zero bytes on one side
    of each pair; UTF-8 text has none, and a binary file has them on both sides."""
    assert webdoc.text_encoding(text.encode("utf-16-le")) == ("utf-16-le", 0)
    assert webdoc.text_encoding(text.encode("utf-16-be")) == ("utf-16-be", 0)
    assert webdoc.text_encoding(text.encode("utf-16")) == ("utf-16-le", 2)
    assert webdoc.text_encoding(text.encode("utf-8")) == (None, 0)
    assert webdoc.text_encoding(text.encode("utf-8-sig")) == ("utf-8", 3)


def test_binary_heads_are_no_utf16() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16) + b"\x3e\x00\x03\x00\xfe\xff\x09\x00" + bytes(480)
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    for head in (ole, zipped.getvalue(), png(8, 8), b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"):
        assert webdoc.text_encoding(head) == (None, 0)
    assert webdoc.sniff(b'<?xml version="1.0"?>\n<!-- saved -->\n<html xmlns="http://www.w3.org/1999/xhtml">') \
        == webdoc.HTML
    assert webdoc.sniff(b"MIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n\tboundary=\"b\"\r\n\r\n--b") \
        == webdoc.MHT
    assert webdoc.sniff(b'<?xml version="1.0"?><?mso-application progid="Word.Document"?>'
                        b'<w:wordDocument xmlns:w="' + W03.encode() + b'">') == webdoc.WORD_2003
    assert webdoc.sniff(b'<?xml version="1.0"?><pkg:package xmlns:pkg="' + PKG.encode() + b'">') == webdoc.FLAT_OPC
    assert webdoc.sniff(b"\r\n<style>p{margin:0}</style><table><tr><td>x</td></tr></table>") == webdoc.HTML
    assert webdoc.sniff(b"<div class=WordSection1><p>x</p></div>") == webdoc.HTML
    # Text that only mentions a page, YAML, a MIME header that is no web page, other XML: none of them.
    for other in (b"Ghi chu: xem <html> va <body> trong trang.\n<html><body>x</body></html>",
                  "tên: Kế hoạch\nghi_chú: \"<html>\"\n".encode(),
                  b"MIME-Version: 1.0\nContent-Type: text/plain\n\nhello",
                  b"agency:\n  name: So <html>\n",
                  b'<?xml version="1.0"?><root xmlns:w="' + W03.encode() + b'"/>',
                  b"", b"   \n"):
        assert webdoc.sniff(other) is None, other
        assert formats.kind_of(other, "x.doc") is None


def test_a_text_mentioning_html_is_still_not_a_document(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = tmp_path / "ghi-chu.doc"
    text.write_text("Ghi chú cuộc họp\nMẫu trang: <html><body>Kế hoạch</body></html>\n", encoding="utf-8")
    assert main(["import", str(text)]) == 2
    err = capsys.readouterr().err
    assert "không phải văn bản Word" in err and "Traceback" not in err


def test_a_page_given_where_the_data_is_wanted_is_said_to_be_a_document(tmp_path: Path) -> None:
    page = tmp_path / "ke-hoach.yaml"
    page.write_bytes(b"\xef\xbb\xbf<html><head><meta charset=utf-8></head><body><p>K\xe1\xba\xbf ho\xe1\xba\xa1ch"
                     b"</p></body></html>")
    with pytest.raises(DataError) as err:
        load_plan(page)
    assert "đây là một văn bản" in str(err.value) and "kehoach import" in str(err.value)


# --- hostile files: nothing fetched, nothing read, bombs refused before LibreOffice --------------------

class _Counting(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        type(self).hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"p { color: red }")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    """A web server on loopback that counts the requests it gets."""
    hits: list[str] = []
    handler = type("Handler", (_Counting,), {"hits": hits})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", hits
    finally:
        httpd.shutdown()
        httpd.server_close()


def hostile_page(url: str, secret: Path) -> bytes:
    """A page that names, in every way a page can, what is outside it: the server's addresses and a
    local file (absolute, relative, and hidden behind a CSS escape)."""
    up = "../" * 12 + str(secret).lstrip("/")
    return f"""<html xmlns:w="urn:schemas-microsoft-com:office:word"><head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<link rel="stylesheet" href="{url}/link.css"><base href="{url}/base/">
<style>@import url("{url}/import.css"); body {{ background: url({url}/bg.png) }}
p.a {{ background-image: \\75 rl({url}/escaped.png) }}</style>
<script src="{url}/script.js"></script></head>
<body background="{url}/body.png" style="background-image:url('{url}/inline.png')">
<p>Kế hoạch <img src="{url}/img.png"> <img src="file://{secret}"> <img src="{up}">
<img src="  {url}/spaced.png"> <a href="file://{secret}">tệp</a></p>
<iframe src="{url}/frame.html"></iframe><object data="{url}/object"></object><embed src="{url}/embed">
<table background="{url}/table.png"><tr><td>Ô</td></tr></table>
<svg><image href="{url}/svg.png"/></svg><video poster="{url}/poster.png"></video>
</body></html>""".encode()


def converted_text(docx: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(docx)) as zf:
        return b"".join(zf.read(i) for i in zf.infolist())


@needs_soffice
def test_the_hostile_page_as_given_would_make_libreoffice_fetch(server: tuple[str, list[str]],
                                                                tmp_path: Path) -> None:
    """The control: LibreOffice itself, given the page unchanged, calls the server (so the test
    below, which finds no call, measures the page made safe, not a LibreOffice that never fetches)."""
    url, hits = server
    page = tmp_path / "trang.html"
    page.write_bytes(hostile_page(url, tmp_path / "bi-mat.txt"))
    exe = soffice_or_none()
    assert exe is not None
    run_soffice(exe, [page], tmp_path / "out", 120, convert_to="docx:MS Word 2007 XML",
                timeout_message=str, infilter="HTML (StarWriter)")
    assert hits


@needs_soffice
@pytest.mark.parametrize("form", ["html", "mht", "utf16"])
def test_a_hostile_page_fetches_nothing_and_reads_no_local_file(server: tuple[str, list[str]], tmp_path: Path,
                                                               form: str) -> None:
    url, hits = server
    secret = tmp_path / "bi-mat.txt"
    secret.write_text("NOI-DUNG-BI-MAT-123", encoding="utf-8")
    page = hostile_page(url, secret)
    data = {"html": page, "mht": mhtml(page), "utf16": utf16_page(page)}[form]
    kind = formats.kind_of(data, "trang.doc")
    assert kind is not None
    made = formats.convert(data, kind, "trang.doc")
    assert hits == []
    inside = converted_text(made)
    assert b"NOI-DUNG-BI-MAT-123" not in inside and str(secret).encode() not in inside
    assert b"127.0.0.1" not in inside
    assert "Kế hoạch".encode() in inside  # the text is kept


@needs_soffice
def test_a_hostile_word_2003_xml_fetches_nothing(server: tuple[str, list[str]], tmp_path: Path) -> None:
    url, hits = server
    secret = tmp_path / "bi-mat.txt"
    secret.write_text("NOI-DUNG-BI-MAT-456", encoding="utf-8")
    xml = f"""<?xml version="1.0" encoding="UTF-8"?><?mso-application progid="Word.Document"?>
<w:wordDocument xmlns:w="{W03}" xmlns:v="urn:schemas-microsoft-com:vml"
 xmlns:xi="http://www.w3.org/2001/XInclude"><w:body>
<w:p><w:r><w:t>Kế hoạch</w:t></w:r></w:p>
<xi:include href="{secret}" parse="text"/>
<w:p><w:r><w:pict><v:shape style="width:10pt;height:10pt"><v:imagedata src="{url}/img.png"/></v:shape></w:pict></w:r></w:p>
<w:p><w:fldSimple w:instr="INCLUDETEXT &quot;{secret}&quot;"><w:r><w:t>kết quả</w:t></w:r></w:fldSimple></w:p>
<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>INCLUDEPICTURE "</w:instrText></w:r>
<w:r><w:instrText>{url}/field.png"</w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>
<w:p><w:hlink w:dest="file://{secret}"><w:r><w:t>liên kết</w:t></w:r></w:hlink></w:p>
</w:body></w:wordDocument>""".encode()
    kind = formats.kind_of(xml, "x.xml")
    assert kind is formats.WORD_2003
    inside = converted_text(formats.convert(xml, kind, "x.xml"))
    assert hits == []
    assert b"NOI-DUNG-BI-MAT-456" not in inside and str(secret).encode() not in inside and b"127.0.0.1" not in inside
    assert "Kế hoạch".encode() in inside and "kết quả".encode() in inside


def png(width: int = 40, height: int = 4) -> bytes:
    """A small black PNG (a drawn line's picture)."""
    raw = b"".join(b"\0" + b"\0\0\0" * width for _ in range(height))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


@needs_soffice
def test_a_picture_the_mhtml_carries_is_kept(server: tuple[str, list[str]]) -> None:
    """An image part of the message (named by the page relative to its own Content-Location) is in
    the file, so it is kept (inlined as data:), while a picture on a server is not fetched."""
    url, hits = server
    page = ('<html><body><p>Kế hoạch <img src="ke-hoach_files/image001.png" width=40 height=4>'
            f'<img src="{url}/xa.png"></p></body></html>').encode()
    made = formats.convert(mhtml(page, {"image001.png": png()}), formats.MHT, "x.doc")
    with zipfile.ZipFile(io.BytesIO(made)) as zf:
        media = [n for n in zf.namelist() if n.startswith("word/media/")]
    assert len(media) == 1 and hits == []


BOMB = ('<!DOCTYPE {root} [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>')


@pytest.mark.parametrize(("root", "body"), [
    ("w:wordDocument", f'<w:wordDocument xmlns:w="{W03}"><w:body><w:p><w:r><w:t>&d;</w:t></w:r></w:p></w:body>'
                       "</w:wordDocument>"),
    ("pkg:package", f'<pkg:package xmlns:pkg="{PKG}"><pkg:part pkg:name="/x.xml"><pkg:xmlData><x>&d;</x>'
                    "</pkg:xmlData></pkg:part></pkg:package>"),
    ("w:wordDocument", f'<w:wordDocument xmlns:w="{W03}"><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body>'
                       "</w:wordDocument>"),
], ids=["word2003-bomb", "flatopc-bomb", "word2003-external"])
def test_an_entity_bomb_in_word_xml_is_refused_before_libreoffice(
        root: str, body: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], no_libreoffice_run: None) -> None:
    dtd = BOMB.format(root=root) if "&d;" in body else f'<!DOCTYPE {root} [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    for encoding in ("utf-8", "utf-16"):
        bomb = tmp_path / "bom.xml"
        bomb.write_bytes(('<?xml version="1.0" encoding="' + encoding + '"?>\n'
                          '<?mso-application progid="Word.Document"?>\n' + dtd + body).encode(encoding))
        for command in ("check", "import"):
            err = cli_error([command, str(bomb)], capsys)
            assert "bom.xml" in err and "DTD" in err and "không đọc" in err


def test_a_page_over_the_paragraph_budget_is_refused_before_libreoffice(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], no_libreoffice_run: None) -> None:
    from generator import limits

    big = tmp_path / "lon.doc"
    big.write_bytes(b"<html><body>" + b"<p>x</p>" * (limits.MAX_IMPORT_PARAGRAPHS + 1) + b"</body></html>")
    err = cli_error(["import", str(big)], capsys)
    assert "lon.doc" in err and "100.001 đoạn văn" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lon.doc"]


def test_a_page_over_the_size_limit_is_refused_before_converting(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        no_libreoffice_run: None) -> None:
    from generator import limits

    monkeypatch.setattr(limits, "MAX_DOCX_BYTES", 4096)
    big = tmp_path / "lon.mht"
    big.write_bytes(mhtml(b"<html><body>" + b"<p>Ke hoach</p>" * 1000 + b"</body></html>"))
    for command in ("check", "import"):
        err = cli_error([command, str(big)], capsys)
        assert "lon.mht" in err and "quá lớn" in err


def test_an_mhtml_of_countless_parts_is_refused_before_it_is_parsed(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], no_libreoffice_run: None) -> None:
    from generator import limits

    parts = b"".join(b"--b\r\nContent-Type: image/png\r\n\r\nx\r\n" for _ in range(4 * limits.MAX_MEMBERS + 1))
    many = tmp_path / "nhieu.mht"
    many.write_bytes(b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="b"\r\n\r\n' + parts
                     + b"--b--\r\n")
    for command in ("check", "import"):
        err = cli_error([command, str(many)], capsys)
        assert "nhieu.mht" in err and "quá nhiều phần" in err


@pytest.mark.parametrize("name", ["/../../etc/x.xml", "/word/../../x.xml", "word/document.xml", "/a\\b.xml"])
def test_a_flat_opc_part_named_outside_its_package_is_refused(tmp_path: Path, name: str,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    xml = tmp_path / "ke-hoach.xml"
    xml.write_bytes(f'<?xml version="1.0"?><pkg:package xmlns:pkg="{PKG}"><pkg:part pkg:name="{name}" '
                    'pkg:contentType="application/xml"><pkg:xmlData><x/></pkg:xmlData></pkg:part>'
                    "</pkg:package>".encode())
    err = cli_error(["import", str(xml)], capsys)
    assert "ke-hoach.xml" in err and "không hợp lệ" in err


def test_a_list_of_font_families_is_read_as_the_font_word_draws() -> None:
    page = (b'<html><head><style>p.MsoNormal { font-family: "Times New Roman", serif; mso-fareast-font-family: '
            b'"Times New Roman" }</style></head><body><p class=MsoNormal style="font-family:\'Times New Roman\','
            b'serif !important">x</p><font face="Times New Roman, serif">y</font></body></html>')
    safe = webdoc.safe_page(page, webdoc.HTML, "x.doc").decode()
    assert "serif" not in safe.replace("Times New Roman", "")
    assert 'font-family: "Times New Roman";' in safe and "font-family:'Times New Roman' !important" in safe
    assert 'face="Times New Roman"' in safe


def test_only_a_picture_the_page_carries_is_kept() -> None:
    """A bitmap written into the page (data:) is kept; SVG, a document that may name addresses of
    its own, is not, nor a picture anywhere else."""
    svg = base64.b64encode(b'<svg xmlns="http://www.w3.org/2000/svg"><image href="http://127.0.0.1:9/x.png"/></svg>')
    dot = base64.b64encode(png())
    page = (b'<html><body><p>x<img src="data:image/png;base64,' + dot + b'"><img src="data:image/svg+xml;base64,'
            + svg + b'"><img src="data:text/html;base64,PGI+"><img src="x_files/image001.png"></p></body></html>')
    safe = webdoc.safe_page(page, webdoc.HTML, "x.doc")
    assert safe.count(b"<img") == 1 and dot in safe and svg not in safe


def test_safe_css_removes_every_fetch() -> None:
    assert webdoc.safe_css("p { font-family: \"\\.VnTime\"; margin: 1cm }") == \
        "p { font-family: \"\\.VnTime\"; margin: 1cm }"  # an escape that fetches nothing is kept
    cleaned = webdoc.safe_css("@import 'x.css'; p { background: URL( \"http://a/b\" ) } q { color: red }")
    assert "http" not in cleaned and "import" not in cleaned.lower() and "color: red" in cleaned
    assert webdoc.safe_css("p { background: \\75 rl(http://a/b) }") == ""  # hidden behind an escape
    assert not re.search("url|http", webdoc.safe_css("p{background:u\\rl(http://a)}"), re.I)


# --- the editor imports them as the command does ----------------------------------------------------

@pytest.fixture
def editor(tmp_path: Path) -> Iterator[tuple[Any, Path]]:
    pytest.importorskip("starlette")
    pytest.importorskip("httpx")
    from tests.editor_client import editor_client

    folder = tmp_path / "data"
    folder.mkdir()
    with editor_client(folder, tmp_path / "cache") as client:
        yield client, folder


def test_the_editor_imports_a_flat_opc_without_libreoffice(editor: tuple[Any, Path], plans: dict[str, list[Path]],
                                                           monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from generator.jobs.importer import import_file

    client, folder = editor
    monkeypatch.setattr(formats, "soffice_or_none", lambda: None)  # Flat OPC is read as its .docx
    flat = plans["flatopc"][1]
    r = client.post("/api/import", params={"filename": "Kế hoạch.xml"}, content=flat.read_bytes())
    assert r.status_code == 200, r.text
    made = (folder / r.json()["name"]).read_text(encoding="utf-8")
    assert made.startswith("# Nhập từ Kế hoạch.xml")
    assert made.split("\n", 1)[1] == import_file(plans["docx"][1], tmp_path / "cli.yaml").text.split("\n", 1)[1]


@needs_soffice
def test_the_editor_imports_a_page_named_doc(editor: tuple[Any, Path], plans: dict[str, list[Path]]) -> None:
    client, folder = editor
    r = client.post("/api/import", params={"filename": "ke-hoach.doc"}, content=plans["mht"][1].read_bytes())
    assert r.status_code == 200, r.text
    assert "MHTML" in r.json().get("note", "")
    assert "Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh" in (folder / r.json()["name"]).read_text(encoding="utf-8")
    assert sorted(p.name for p in folder.iterdir()) == [r.json()["name"]]


def test_the_editor_refuses_a_word_xml_bomb_before_a_process(editor: tuple[Any, Path],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.serve import jobs

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the import process was started for a file that should have been refused first")

    monkeypatch.setattr(jobs, "isolated", refuse)
    client, folder = editor
    bomb = (BOMB.format(root="w:wordDocument") + f'<w:wordDocument xmlns:w="{W03}"><w:body><w:p><w:r><w:t>&d;'
            "</w:t></w:r></w:p></w:body></w:wordDocument>").encode()
    r = client.post("/api/import", params={"filename": "bom.doc"}, content=bomb)
    assert r.status_code == 400
    assert r.json()["error"].startswith("bom.doc: tệp Word 2003 XML có khai báo DTD")
    assert list(folder.iterdir()) == []
