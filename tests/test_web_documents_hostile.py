"""Hostile web pages against the budgets of generator/word/webdoc.py: a small file that grows while
it is made safe (one picture of an MHTML shown many times, each use written as the whole picture),
or whose parse costs time no alarm interrupts (a tag with countless attributes: libxml2's HTML
parser compares each new attribute with all before it, in C), refused before LibreOffice starts,
with a Vietnamese message and no traceback. The reference vectors (addresses, CSS, VML, fields)
are in tests/test_web_documents.py."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from xml.sax.saxutils import quoteattr

import pytest

from generator import limits
from generator.errors import UserError
from generator.word import formats, webdoc
from tests.limits_helpers import cli_error
from tests.test_web_documents import converted_text, mhtml, needs_soffice, png, server

__all__ = ["server"]  # the fixture, used by name


def picture_3kb() -> bytes:
    """A picture part of about 3 kB (a PNG with bytes after its end, which base64 cannot shrink)."""
    return png() + bytes(range(256)) * 12


def reused_picture(uses: int, picture: bytes) -> bytes:
    """An MHTML whose one picture part the page shows `uses` times, as a page may name one file
    again and again."""
    page = ("<html><body><p>Kế hoạch</p>" + '<img src="ke-hoach_files/image001.png">' * uses
            + "</body></html>").encode()
    return mhtml(page, {"image001.png": picture})


def test_a_picture_shown_many_times_is_refused_before_it_grows(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each use of a picture part is written as the whole picture (data:): 300 uses of a 3 kB picture
    make a page a hundred times the file; refused once the pictures written pass the size of a file
    kehoach reads (limits.MAX_DOCX_BYTES, here lowered), before the page is written."""
    monkeypatch.setattr(limits, "MAX_DOCX_BYTES", 256 * 1024)
    picture = picture_3kb()
    data = reused_picture(300, picture)
    assert len(data) < 64 * 1024
    with pytest.raises(UserError) as err:
        webdoc.safe_page(data, webdoc.MHT, "hinh.doc")
    message = str(err.value)
    assert message.startswith("hinh.doc: ") and "hình" in message and "không đọc" in message
    # The same picture shown a few times, as a plan does, is kept each time.
    safe = webdoc.safe_page(reused_picture(3, picture), webdoc.MHT, "hinh.doc")
    assert safe.count(b"<img") == 3 and safe.count(b"data:image/png;base64,") == 3


def test_a_picture_shown_many_times_ends_in_a_message_from_the_command(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        no_libreoffice_run: None) -> None:
    monkeypatch.setattr(limits, "MAX_DOCX_BYTES", 256 * 1024)
    bomb = tmp_path / "hinh.mht"
    bomb.write_bytes(reused_picture(300, picture_3kb()))
    for command in ("check", "import"):
        err = cli_error([command, str(bomb)], capsys)
        assert "hinh.mht" in err and "hình" in err


@pytest.mark.parametrize("form", ["html", "mht"])
@pytest.mark.parametrize("quote", ["", '"', "'"])
def test_a_tag_with_countless_attributes_is_refused_before_it_is_parsed(
        form: str, quote: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """One tag of limits.MAX_ATTRIBUTES + 1 attributes, however its values are written, is refused
    before lxml parses the page (the parse is what takes the time: asserted by making it fail)."""
    import lxml.html

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the page was parsed")

    monkeypatch.setattr(lxml.html, "document_fromstring", refuse)
    attributes = " ".join(f"a{i}={quote}1{quote}" for i in range(limits.MAX_ATTRIBUTES + 1))
    page = f"<html><body><p>Kế hoạch</p><p {attributes}>x</p></body></html>".encode()
    data = mhtml(page) if form == "mht" else page
    with pytest.raises(UserError) as err:
        webdoc.safe_page(data, form, "thuoc-tinh.doc")
    message = str(err.value)
    assert message.startswith("thuoc-tinh.doc: ") and "thuộc tính" in message
    assert f"{limits.MAX_ATTRIBUTES:,}".replace(",", ".") in message


def test_tags_with_their_usual_attributes_are_read() -> None:
    """As many attributes as a tag may have, long values and '>' or '=' inside quotes, on many tags:
    read as they are (the bound is on one tag, not on the page)."""
    attributes = " ".join(f'a{i}="x > y = z"' for i in range(limits.MAX_ATTRIBUTES))
    page = (f"<html><body><p {attributes}>Kế hoạch</p>" + "<p class=MsoNormal style='margin:0'>x</p>" * 2000
            + "</body></html>").encode()
    safe = webdoc.safe_page(page, webdoc.HTML, "x.doc")
    assert "Kế hoạch".encode() in safe and safe.count(b'class="MsoNormal"') == 2000
    assert f'a{limits.MAX_ATTRIBUTES - 1}="x &gt; y = z"'.encode() in safe


def test_the_command_says_so_for_a_tag_with_countless_attributes(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], no_libreoffice_run: None) -> None:
    page = tmp_path / "thuoc-tinh.doc"
    page.write_bytes(b"<html><body><p " + b" ".join(b"a%d=1" % i for i in range(limits.MAX_ATTRIBUTES * 4))
                     + b">x</p></body></html>")
    assert formats.kind_of(page.read_bytes(), page.name) is formats.HTML
    for command in ("check", "import"):
        err = cli_error([command, str(page)], capsys)
        assert "thuoc-tinh.doc" in err and "thuộc tính" in err


@pytest.mark.parametrize("void", ["embed", "bgsound", "source", "track", "link", "base", "param", "frame"])
def test_an_unclosed_void_embedder_takes_only_itself(void: str) -> None:
    """An element that embeds from outside but holds nothing (void in HTML), written without an end
    tag as HTML allows: it goes, and the text after it stays (libxml2's parser puts that text inside
    the elements it does not know as void)."""
    page = (f'<html><body><p>Kế hoạch</p><{void} src="http://127.0.0.1:9/x" href="x_files/y.css">'
            "<p>Mục đích, yêu cầu</p><table><tr><td>Ô</td></tr></table></body></html>").encode()
    safe = webdoc.safe_page(page, webdoc.HTML, "x.doc").decode()
    assert f"<{void}" not in safe and "127.0.0.1" not in safe and "x_files" not in safe
    assert "<p>Kế hoạch</p>" in safe and "<p>Mục đích, yêu cầu</p>" in safe and "<td>Ô</td>" in safe


W03 = webdoc.WORD_2003_NS


def word_2003_fields(*paragraphs: str) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?><?mso-application progid="Word.Document"?>'
            f'<?xml-stylesheet type="text/xsl" href="http://127.0.0.1:9/x.xsl"?>'
            f'<w:wordDocument xmlns:w="{W03}"><w:body><w:p><w:r><w:t>Kế hoạch</w:t></w:r></w:p>'
            + "".join(f"<w:p>{p}</w:p>" for p in paragraphs) + "</w:body></w:wordDocument>").encode()


def field(*pieces: str, result: str = "kết quả", nested: str = "") -> str:
    """A field as Word writes it in runs: begin, its instruction in pieces (and a field nested in
    it), separate, its printed result, end."""
    def run(inner: str) -> str:
        return f"<w:r>{inner}</w:r>"
    return (run('<w:fldChar w:fldCharType="begin"/>') + "".join(run(f"<w:instrText>{p}</w:instrText>") for p in pieces)
            + nested + run('<w:fldChar w:fldCharType="separate"/>') + run(f"<w:t>{result}</w:t>")
            + run('<w:fldChar w:fldCharType="end"/>'))


@pytest.mark.parametrize("pieces", [
    ("INCLUDEPIC", 'TURE "/home/a/bi-mat.png" \\d'),  # split inside the field's name, a local path
    ("INCL", "UDETEXT ", '"C:\\\\Tai lieu\\\\bi-mat.doc"'),
    (" include", "text bi-mat.txt"),
    ("QUOTE { ", 'INCLUDETEXT "/etc/bi-mat" }'),  # written nested in braces
])
def test_a_word_2003_field_that_includes_a_file_goes_however_its_instruction_is_split(
        pieces: tuple[str, ...]) -> None:
    """The instruction of a field is read whole across its runs, as Word reads it: when it includes a
    file, every piece goes, and the printed result stays."""
    from lxml import etree

    data = word_2003_fields(field(*pieces, result="kết quả 1"),
                            field("QUOTE ", nested=field(*pieces, result="lồng"), result="ngoài"),
                            f"<w:fldSimple w:instr={quoteattr('QUOTE { ' + ''.join(pieces) + ' }')}><w:r><w:t>đơn</w:t></w:r>"
                            "</w:fldSimple>",
                            field("PAGE ", result="3"))
    safe = webdoc.safe_word_2003(data, "x.xml")
    root = etree.fromstring(safe)
    instructions = [t.text or "" for t in root.iter(f"{{{W03}}}instrText")]
    assert instructions[-1] == "PAGE "  # a field that includes nothing keeps its instruction
    assert not re.search(r"bi-mat|include", " ".join(instructions) + safe.decode(), re.I)
    text = "".join(t.text or "" for t in root.iter(f"{{{W03}}}t"))
    assert text == "Kế hoạchkết quả 1lồngngoàiđơn3"


def test_a_word_2003_file_keeps_no_style_sheet_address_before_its_root() -> None:
    safe = webdoc.safe_word_2003(word_2003_fields(), "x.xml")
    assert b"127.0.0.1" not in safe and b"xml-stylesheet" not in safe
    assert b'<?mso-application progid="Word.Document"?>' in safe
    assert formats.kind_of(safe, "x.xml") is formats.WORD_2003


def mime_header(content_type: str, part_type: str = "text/html") -> bytes:
    return (f"MIME-Version: 1.0\r\nContent-Type: {content_type}\r\n\r\n--b\r\nContent-Type: {part_type}\r\n\r\n"
            "<html><body><p>Kế hoạch</p></body></html>\r\n--b--\r\n").encode()


@pytest.mark.parametrize("data", [
    mime_header('multipart/related; boundary="b"; start="' + ";" * 20_000),  # an unclosed quote
    mime_header('multipart/related; boundary="b"' + "; a=1" * 5_000),
    mime_header('multipart/related;\r\n boundary="b";\r\n start="' + ";\r\n " * 150 + '"'),  # folded
    mime_header('multipart/related; boundary="b"', 'text/html; charset="' + ";" * 20_000),  # a part's
], ids=["unclosed", "many", "folded", "part"])
def test_an_mhtml_header_of_countless_parameters_is_refused_before_it_is_parsed(
        data: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    """Python's email package reads a header's parameters in time quadratic in their number: a
    header of countless semicolons is refused before the message is parsed (asserted by making the
    parse fail)."""
    import email

    assert webdoc.sniff(data) == webdoc.MHT

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the message was parsed")

    monkeypatch.setattr(email, "message_from_bytes", refuse)
    with pytest.raises(UserError) as err:
        webdoc.safe_page(data, webdoc.MHT, "dau.mht")
    assert str(err.value).startswith("dau.mht: ") and "MIME" in str(err.value)


def test_an_mhtml_with_the_parameters_word_writes_is_read() -> None:
    """Word's headers (a boundary, a type, a start, a charset), and a page whose text has lines that
    begin with "--" and CSS full of semicolons, are read."""
    css = "p.MsoNormal{margin:0cm;font-size:14.0pt;font-family:\"Times New Roman\";}\r\n" * 100
    page = mime_header('multipart/related; type="text/html"; boundary="b"; start="<p1>"',
                       'text/html; charset="utf-8"').replace(
        b"<html><body>", b"<html><head><style>\r\n<!--\r\n" + css.encode() + b"-->\r\n</style></head><body>")
    assert b";" * 2 not in page and page.count(b";") > limits.MAX_MIME_PARAMETERS
    safe = webdoc.safe_page(page, webdoc.MHT, "x.mht")
    assert "<p>Kế hoạch</p>".encode() in safe and b"font-size:14.0pt" in safe


@pytest.mark.parametrize("charset", ["punycode", "undefined", "idna", "unicode_escape", "utf-7", "rot13", "zlib"])
@pytest.mark.parametrize("form", ["html", "mht"])
def test_a_page_naming_a_python_codec_as_its_charset_is_read_as_naming_none(form: str, charset: str) -> None:
    """A charset no page is written in but Python knows (some raise errors of their own, punycode
    takes quadratic time): the page is read as UTF-8, as when it names none, with no traceback."""
    text = "Kế hoạch số 12/KH-UBND"
    page = (f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}"></head>'
            f"<body><p>{text}</p></body></html>").encode()
    if form == "mht":
        data = mime_header('multipart/related; boundary="b"', f"text/html; charset={charset}").replace(
            "<html><body><p>Kế hoạch</p></body></html>".encode(), page)
    else:
        data = page
    safe = webdoc.safe_page(data, form, "x.doc").decode()
    assert f"<p>{text}</p>" in safe and charset not in safe


def test_an_ascii_page_naming_punycode_is_read_without_a_traceback() -> None:
    """An ASCII page punycode's decoder rejects with an error of its own (no UnicodeDecodeError)."""
    page = b'<html><head><meta charset="punycode"></head><body><p>Ke hoach-b9b9b9</p></body></html>'
    with pytest.raises(UnicodeError):
        page.decode("punycode")
    assert b"<p>Ke hoach-b9b9b9</p>" in webdoc.safe_page(page, webdoc.HTML, "x.doc")


@pytest.mark.parametrize(("page_at", "picture_at", "src", "shown"), [
    ("http://[x/ke-hoach.htm", "http://[x/image001.png", "image001.png", 0),  # an unclosed IPv6 bracket
    ("file:///C:/ke-hoach.htm", "file:///C:/image001.png", "http://[::1/image001.png", 0),
    ("http://[x/ke-hoach.htm", "file:///C:/image001.png", "file:///C:/image001.png", 1),
])
def test_an_mhtml_naming_its_parts_by_addresses_that_are_no_urls_is_read(page_at: str, picture_at: str,
                                                                         src: str, shown: int) -> None:
    """Addresses urllib refuses (ValueError), in a Content-Location or a picture's src: no traceback;
    a picture the page names by the address the message carries it under is still shown."""
    from email.mime.image import MIMEImage
    from email.mime.multipart import MIMEMultipart
    from email.mime.text import MIMEText

    message = MIMEMultipart("related", type="text/html")
    page = MIMEText(f'<html><body><p>Kế hoạch<img src="{src}"></p></body></html>', "html", "utf-8")
    page["Content-Location"] = page_at
    message.attach(page)
    picture = MIMEImage(png(), "png")
    picture["Content-Location"] = picture_at
    message.attach(picture)
    safe = webdoc.safe_page(message.as_bytes(), webdoc.MHT, "x.mht").decode()
    assert "Kế hoạch" in safe and "[" not in safe
    assert safe.count("data:image/png;base64,") == shown


ENDS = ["</style!>", "</stylex>", "</style/x>", "</ style>", "</style\x0b>", "</STYLE\x01>"]


@pytest.mark.parametrize("end", ENDS)
def test_a_style_sheet_ends_only_at_its_own_end_tag(end: str) -> None:
    """What libxml2 keeps as a style sheet's text, "</style!>" and the like included, is written so
    that no reader ends the sheet before its end tag: LibreOffice ended it at "</style!>" and read
    what followed as the page's own <link> (fetched) and <img> (linked from the converted .docx)."""
    page = (f"<html><head><style>p {{ margin:0 }}{end}<link rel=stylesheet href=\"http://127.0.0.1:9/a.css\">"
            '<img src="file:///etc/hinh.png"></style></head><body><p>Kế hoạch</p></body></html>').encode()
    safe = webdoc.safe_page(page, webdoc.HTML, "x.doc").decode()
    sheet = safe.split("<style>", 1)[1]
    assert sheet.lower().index("</") == sheet.lower().index("</style>")  # the sheet's first "</" is its end
    assert "<p>Kế hoạch</p>" in safe and "margin:0" in safe


@pytest.mark.parametrize("value", ["color:red\x0bbackground:url(x)", "a:b\x01;font-family:'Times New Roman', serif"])
def test_control_characters_in_a_rewritten_style_are_no_traceback(value: str) -> None:
    page = f'<html><body><p style="{value}">Kế hoạch</p><font face="Arial\x0b, serif">x</font></body></html>'
    safe = webdoc.safe_page(page.encode(), webdoc.HTML, "x.doc").decode()
    assert "Kế hoạch" in safe and "url(" not in safe and not re.search("[\x00-\x08\x0b\x0c]", safe)


@needs_soffice
@pytest.mark.parametrize("end", ["</style!>", "</stylex>"])
def test_what_follows_a_false_style_end_fetches_nothing(end: str, server: tuple[str, list[str]],
                                                        tmp_path: Path) -> None:
    url, hits = server
    page = (f"<html><head><style>p {{ margin:0 }}{end}<link rel=stylesheet href=\"{url}/a.css\">"
            f'<img src="{url}/b.png" width=10 height=10></style></head><body><p>Kế hoạch</p></body></html>').encode()
    made = formats.convert(page, formats.HTML, "x.doc")
    assert hits == []
    inside = converted_text(made)
    assert b"127.0.0.1" not in inside and "Kế hoạch".encode() in inside


def svg_reading(path: Path) -> bytes:
    """An SVG drawing, in a white square, the picture at path on the disk."""
    return ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="40" '
            f'height="40"><rect width="40" height="40" fill="white"/><image xlink:href="{path.as_uri()}" '
            'width="40" height="40"/></svg>').encode()


DECLARED = ["image/png", "image/jpeg", "image/gif", "image/x-wmf"]


@pytest.mark.parametrize("declared", DECLARED)
def test_a_picture_is_told_by_its_bytes_not_by_the_type_the_page_declares(declared: str) -> None:
    """An SVG (or XML, or anything but a bitmap or metafile) declared as a bitmap is no picture the
    page carries, in a data: address or an MHTML part; the bitmaps of each kind are kept."""
    import base64

    svg = svg_reading(Path("/etc/hinh.png"))
    bitmaps = [png(), b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
               b"\xd7\xcd\xc6\x9a" + bytes(40)]
    for blob, kept in [(svg, False), (b'<?xml version="1.0"?>' + svg, False), (b"BM" + bytes(12) + svg, False),
                       (b"BM" + b"\x01" * 12 + b" " * 1500 + svg, False),  # where LibreOffice still looks
                       (b"\x1f\x8b\x08\x00", False), *((bitmap, True) for bitmap in bitmaps)]:
        uri = f"data:{declared};base64," + base64.b64encode(blob).decode()
        safe = webdoc.safe_page(f'<html><body><p>Kế hoạch<img src="{uri}"></p></body></html>'.encode(),
                                webdoc.HTML, "x.doc")
        assert (b"<img" in safe) is kept, blob[:20]
        message = mhtml(b'<html><body><p>x<img src="ke-hoach_files/image001.png"></p></body></html>',
                        {"image001.png": blob}).replace(b"Content-Type: image/png", f"Content-Type: {declared}".encode())
        safe = webdoc.safe_page(message, webdoc.MHT, "x.mht")
        assert (b"<img" in safe) is kept, blob[:20]


@needs_soffice
def test_an_svg_declared_a_bitmap_reads_no_picture_from_the_disk(tmp_path: Path) -> None:
    """The control first: LibreOffice, given the page as it is, draws the SVG and with it the
    picture the SVG names on the disk (black where the square is white); made safe, nothing is drawn."""
    import base64
    import io
    import zipfile

    black = tmp_path / "den.png"
    black.write_bytes(png(40, 40))
    uri = "data:image/png;base64," + base64.b64encode(svg_reading(black)).decode()
    page = f'<html><body><p>Kế hoạch<img src="{uri}" width=40 height=40></p></body></html>'.encode()
    raw = tmp_path / "trang.html"
    raw.write_bytes(page)
    exe = formats.soffice_or_none()
    assert exe is not None
    formats.run_soffice(exe, [raw], tmp_path / "out", 120, convert_to="docx:MS Word 2007 XML",
                        timeout_message=str, infilter="HTML (StarWriter)")
    image = pytest.importorskip("PIL.Image")

    with zipfile.ZipFile(tmp_path / "out" / "trang.docx") as zf:
        drawn = [image.open(io.BytesIO(zf.read(n))).convert("L") for n in zf.namelist() if n.startswith("word/media/")]
    assert drawn and drawn[0].getextrema()[0] == 0  # the picture on the disk was read
    with zipfile.ZipFile(io.BytesIO(formats.convert(page, formats.HTML, "x.doc"))) as zf:
        assert not [n for n in zf.namelist() if n.startswith("word/media/")]
        assert "Kế hoạch".encode() in zf.read("word/document.xml")


def word_2003_picture(blob: bytes) -> bytes:
    """A Word 2003 XML file showing the picture it carries (w:binData, base64 wrapped in lines)."""
    import base64

    wrapped = "\n".join(textwrap.wrap(base64.b64encode(blob).decode(), 76))
    return word_2003_fields(
        f'<w:r><w:pict><w:binData w:name="wordml://02000001.png">{wrapped}</w:binData><v:shape '
        'xmlns:v="urn:schemas-microsoft-com:vml" style="width:30pt;height:30pt"><v:imagedata '
        'src="wordml://02000001.png"/></v:shape></w:pict></w:r>')


def test_a_word_2003_file_keeps_only_the_pictures_it_carries() -> None:
    """A w:binData whose bytes are no bitmap or metafile (an SVG naming a file on the disk, an OLE
    object) goes; a picture stays."""
    svg = svg_reading(Path("/etc/hinh.png"))
    for blob, kept in [(svg, False), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), False), (png(), True)]:
        safe = webdoc.safe_word_2003(word_2003_picture(blob), "x.xml")
        assert (b"binData" in safe) is kept and "Kế hoạch".encode() in safe


@needs_soffice
def test_an_svg_a_word_2003_file_carries_reads_no_picture_from_the_disk(tmp_path: Path) -> None:
    image = pytest.importorskip("PIL.Image")
    import io
    import zipfile

    black = tmp_path / "den.png"
    black.write_bytes(png(40, 40))
    made = formats.convert(word_2003_picture(svg_reading(black)), formats.WORD_2003, "x.xml")
    with zipfile.ZipFile(io.BytesIO(made)) as zf:
        drawn = [image.open(io.BytesIO(zf.read(n))).convert("L") for n in zf.namelist() if n.startswith("word/media/")]
        assert "Kế hoạch".encode() in zf.read("word/document.xml")
    assert all(picture.getextrema()[0] > 0 for picture in drawn)  # nothing black: the disk's picture unread


@pytest.mark.parametrize("equiv", [" refresh", "refresh ", "REFRESH\t", "Link", "x-dns-prefetch-control", ""])
def test_a_meta_saying_what_a_server_would_goes_whatever_its_spelling(equiv: str) -> None:
    page = (f'<html><head><meta http-equiv="{equiv}" content="0; url=http://127.0.0.1:9/r">'
            '<meta name="ProgId" content="Word.Document"></head><body><p>Kế hoạch</p></body></html>').encode()
    safe = webdoc.safe_page(page, webdoc.HTML, "x.doc").decode()
    assert "127.0.0.1" not in safe and safe.count("http-equiv") == 1  # the charset, said once
    assert '<meta name="ProgId" content="Word.Document">' in safe and "<p>Kế hoạch</p>" in safe


@pytest.mark.parametrize("form", ["html", "mht"])
def test_a_page_of_countless_tags_is_refused_before_it_is_parsed(form: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """More tags than a .docx's part may hold (limits.MAX_ELEMENTS, here lowered), counted as there
    (each '<'), however few of them are paragraphs: refused before lxml builds them."""
    import lxml.html

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the page was parsed")

    monkeypatch.setattr(limits, "MAX_ELEMENTS", 1000)
    page = b"<html><body><p>K\xe1\xba\xbf ho\xe1\xba\xa1ch</p>" + b"<i>x</i>" * 500 + b"</body></html>"
    assert webdoc.source_paragraphs(page, webdoc.HTML, "x") == 1
    data = mhtml(page) if form == "mht" else page
    monkeypatch.setattr(lxml.html, "document_fromstring", refuse)
    with pytest.raises(UserError) as err:
        webdoc.safe_page(data, form, "the.doc")
    assert str(err.value) == "the.doc: trang web có 1.006 thẻ HTML (tối đa 1.000); quá lớn để đọc, không đọc"
