"""Plans that Word opens as its own but that are web pages or XML: told by content, and made safe
for LibreOffice to convert (word/formats.py runs the conversion).

What agency portals and e-office systems hand out as "Xuất ra Word" / "Tải về" is often not a
Word binary, and Word opens each of these silently, so the clerk takes it for a Word file:

- HTML (Word's "Save as Web Page", or a web application that writes its page with Word's
  namespaces and mso- CSS), named .doc or .htm, in UTF-8, a legacy code page or UTF-16;
- MHTML (Word's "Single File Web Page": a MIME multipart/related message holding the HTML and its
  images), named .doc or .mht;
- Word 2003 XML (WordprocessingML 2003, root w:wordDocument), named .xml or .doc;
- Flat OPC (Word's "Word XML Document": a .docx's parts in one XML file, root pkg:package),
  repacked as the .docx it holds by word/flat_opc.py, no LibreOffice.

Why the files are rewritten before LibreOffice opens them: a web page names what it shows by
address, and LibreOffice fetches it while it loads the page (measured with LibreOffice 7.4 and its
safe profile: a <link rel="stylesheet">, a CSS url() and an <img src> were each requested from a
server on loopback while a page converted), and reads a file: address from the disk the same way.
A page from anyone must not make the machine that checks it call out or read its own files. So the
page is parsed (lxml's HTML parser: no network, no entities, no DTD) and written again with every
reference to something outside the file removed: elements that only embed outside content
(scripts, frames, objects, linked stylesheets, a base address), address attributes other than a
hyperlink's web or mail target and an image carried in the file (data:, or an MHTML part inlined
as data:), and url()/@import in CSS. What a reader sees (text, tables, CSS fonts, sizes, page size
and margins) is kept. The XML kinds are parsed with the safe parser after a DTD is refused, their
XInclude elements, addresses and field instructions that include other files removed the same way.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import re
import secrets
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from .. import limits
from ..errors import UserError
from ..text import number_vi
from .package import RESAVE

if TYPE_CHECKING:
    from email.message import Message

    from lxml.etree import _Element

HTML, MHT, WORD_2003, FLAT_OPC = "html", "mht", "word2003", "flatopc"

WORD_2003_NS = "http://schemas.microsoft.com/office/word/2003/wordml"
FLAT_OPC_NS = "http://schemas.microsoft.com/office/2006/xmlPackage"

_HEAD_BYTES = 64 * 1024
"""How far the kind is looked for: a prologue (XML declaration, Word's mso-application instruction,
comments, a DOCTYPE with its internal subset) is a few hundred bytes; the rest is never decoded."""


# --- telling the kind by content ------------------------------------------------------------------

_UTF16_SAMPLE = 4096
"""The first bytes whose zeros tell UTF-16 without a byte-order mark: a couple of thousand characters."""


def text_encoding(data: bytes) -> tuple[str | None, int]:
    """The encoding a text file's bytes say they are in, by their first bytes: a byte-order mark
    (UTF-8, UTF-16) or, without one, UTF-16 told by where its zero bytes stand; with the number of
    bytes the mark takes. None: an ASCII-compatible encoding, named (if at all) inside the file.

    Without a mark: a text in Latin letters, Vietnamese too, written in UTF-16 has a zero byte in
    every character below U+0100 (spaces, digits, punctuation, a, b, c, à, ê, ô…), all on one side
    of each pair (odd positions in little-endian, even in big-endian), whatever its first
    characters are ("Ủy ban", "Đề án" open with no ASCII pair). An ASCII-compatible text has no
    zero byte; a binary file has them on both sides."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8", 3
    if data.startswith(codecs.BOM_UTF16_LE):
        return "utf-16-le", 2
    if data.startswith(codecs.BOM_UTF16_BE):
        return "utf-16-be", 2
    pairs = min(len(data), _UTF16_SAMPLE) // 2
    if pairs >= 2:
        even, odd = data[0:2 * pairs:2].count(0), data[1:2 * pairs:2].count(0)
        # One side holds the zeros of at least half the characters, the other few (a character
        # such as U+0100 or U+1E00 has its zero on the other side); a binary's zeros fill both.
        if 2 * odd >= pairs and 4 * even <= odd:
            return "utf-16-le", 0
        if 2 * even >= pairs and 4 * odd <= even:
            return "utf-16-be", 0
    return None, 0


def _head(data: bytes) -> str:
    """The file's first bytes as text, enough to tell its kind (latin-1 for the ASCII-compatible
    encodings: the marks looked for are ASCII)."""
    encoding, skip = text_encoding(data)
    chunk = data[skip:skip + _HEAD_BYTES]
    if encoding and encoding.startswith("utf-16"):
        return chunk[:len(chunk) // 2 * 2].decode(encoding, "replace")
    return chunk.decode("latin-1")


# Before the first element: white space, an XML declaration and processing instructions (Word's
# <?mso-application?>), comments. Bounded repetitions and lengths: the head is searched, not parsed.
_PROLOGUE = re.compile(r"\A\s*(?:(?:<\?[^>]{0,1000}\?>|<!--.{0,4000}?-->)\s*){0,20}", re.S)
_DOCTYPE = re.compile(r"<!doctype\s+(?:[\w.-]+:)?([\w.-]+)", re.I)
_FIRST_TAG = re.compile(r"<(?:([\w.-]+):)?([\w.-]+)[\s/>]")
_HTML_TAGS = frozenset({"html", "head", "body", "meta", "title", "style", "div", "table", "p",
                        "h1", "h2", "h3", "h4", "h5", "h6"})
"""What a page may begin with: a whole page, or the fragment a web application sends as "Word"
(a <div> or <table> of the plan with its <style>), which Word opens as a page too."""
_HEADER_NAME = re.compile(r"[!-9;-~]+:")


def sniff(data: bytes) -> str | None:
    """Which of the kinds this module knows the file is (HTML, MHT, WORD_2003, FLAT_OPC), told by
    what it begins with once an optional byte-order mark and white space are skipped; None for
    anything else. A text that only mentions "<html>" further on is none of them: the first thing
    in the file must be the page, the MIME header block, or the XML root."""
    head = _head(data)
    start = _PROLOGUE.match(head)
    rest = head[start.end() if start else 0:]
    doctype = _DOCTYPE.match(rest)
    if doctype:
        name = doctype.group(1).lower()
        if name == "html":
            return HTML
        # A DOCTYPE before Word's XML root: told as the kind it heads, refused there for its DTD.
        return {"worddocument": WORD_2003, "package": FLAT_OPC}.get(name)
    tag = _FIRST_TAG.match(rest)
    if tag:
        prefix, name = tag.group(1), tag.group(2)
        if prefix is None and name.lower() in _HTML_TAGS:
            return HTML
        if name == "wordDocument" and WORD_2003_NS in head:
            return WORD_2003
        if name == "package" and FLAT_OPC_NS in head:
            return FLAT_OPC
        return None
    return MHT if _mime_related(head) else None


def _mime_related(head: str) -> bool:
    """Whether the text begins with a MIME header block (Name: value lines, folded lines, up to the
    first empty line) declaring a multipart/related message: what Word's MHTML begins with."""
    fields: list[str] = []
    for line in head.lstrip("\r\n").split("\n")[:200]:
        line = line.rstrip("\r")
        if not line.strip():
            break
        if line[0] in " \t" and fields:
            fields[-1] += " " + line.strip()
        elif _HEADER_NAME.match(line):
            fields.append(line)
        else:
            return False
    else:
        return False
    return any(re.match(r"content-type:\s*multipart/related\b", f, re.I) for f in fields)


# --- budgets, counted before LibreOffice starts ---------------------------------------------------

_HTML_PARAS = re.compile(r"<(?:p|h[1-6]|li|td|th|div|dt|dd|pre|blockquote)[\s/>]", re.I)
_XML_PARAS = re.compile(rb"<(?:[\w.-]+:)?p[\s/>]")


def source_paragraphs(data: bytes, kind: str, label: str) -> int:
    """Paragraphs LibreOffice will make of the file, counted in its text: a page's block elements
    (each table cell is a paragraph too), a Word 2003 XML's w:p. More than the .docx will hold,
    never fewer, so a runaway file is refused before LibreOffice spends minutes on it."""
    if kind in (HTML, MHT):
        return len(_HTML_PARAS.findall(page_text(data, kind, label)[0]))
    if kind == WORD_2003:
        encoding, skip = text_encoding(data)
        blob = data[skip:].decode(encoding, "replace").encode("utf-8", "replace") if encoding else data
        return len(_XML_PARAS.findall(blob))
    return 0


# --- the page as text: an HTML file, or the HTML of an MHTML ----------------------------------------

_CHARSET = re.compile(rb"""<meta[^>]{0,500}?charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)


_NO_PAGE_CHARSETS = frozenset({"punycode", "idna", "undefined", "unicode-escape", "raw-unicode-escape", "utf-7"})
"""Python's text codecs that are no charset a page is written in (no browser reads them): a page
naming one is read as if it named none. Their decoders raise errors of their own (undefined,
punycode) or take time quadratic in the text (punycode)."""


def _decoded(data: bytes, declared: str | None) -> str:
    """A page's bytes as text: its byte-order mark or UTF-16 first, then the charset its MIME part
    or its <meta> declares, else UTF-8, else Windows-1252 (what a browser assumes)."""
    encoding, skip = text_encoding(data)
    if encoding:
        return data[skip:].decode(encoding, "replace")
    named = declared
    if named is None:
        meta = _CHARSET.search(data[:_HEAD_BYTES])
        named = meta.group(1).decode("ascii", "replace") if meta else None
    candidates = [n for n in (named, "utf-8") if n]
    for name in candidates:
        try:
            if codecs.lookup(name).name in _NO_PAGE_CHARSETS:
                continue
            return data.decode(name)
        except (LookupError, UnicodeError):
            continue
    return data.decode("cp1252", "replace")


def page_text(data: bytes, kind: str, label: str) -> tuple[str, dict[str, str], str]:
    """The page's HTML as text, the images it carries (address -> data: URI, for an MHTML's
    parts) and the address the page's own references are relative to."""
    if kind == HTML:
        return _decoded(data, None), {}, ""
    return _unwrap_mhtml(data, label)


def _unwrap_mhtml(data: bytes, label: str) -> tuple[str, dict[str, str], str]:
    """The HTML part of an MHTML message (the one its start parameter names, else the first
    text/html part) and its image parts as data: URIs, by the addresses the page may use for them
    (Content-Location, cid:Content-ID)."""
    # Each part begins at a line "--boundary": counted in the bytes first, so a message of a million
    # tiny parts is refused before the parser builds an object for each.
    if data.count(b"\n--") > 4 * limits.MAX_MEMBERS:
        raise UserError(f"{label}: trang web một tệp (MHTML) có quá nhiều phần (trên {limits.MAX_MEMBERS}); "
                        "không phải văn bản bình thường, không đọc")
    _bounded_headers(data, label)
    # Imported here: the email package costs ~9 ms, and every plan loaded asks this module whether
    # its bytes are a web page (sniff); only an MHTML file is parsed as a message.
    import email
    import email.policy

    try:
        message = email.message_from_bytes(data, policy=email.policy.compat32)
        parts: list[Message] = []
        for part in message.walk():
            parts.append(part)
            if len(parts) > limits.MAX_MEMBERS:
                raise UserError(f"{label}: trang web một tệp (MHTML) có hơn {limits.MAX_MEMBERS} phần; "
                                "không phải văn bản bình thường, không đọc")
    except RecursionError:
        raise UserError(f"{label}: trang web một tệp (MHTML) lồng các phần quá sâu; không phải văn bản "
                        "bình thường, không đọc") from None
    start = (message.get_param("start") or "") if message.is_multipart() else ""
    start = str(start).strip("<>")
    pages = [p for p in parts if p.get_content_type() == "text/html"]
    chosen = next((p for p in pages if start and (p.get("Content-ID") or "").strip("<> ") == start), None)
    page = chosen or (pages[0] if pages else None)
    if page is None:
        raise UserError(f"{label}: trang web một tệp (MHTML) không có phần trang HTML nào; không đọc được. "
                        "Hãy mở bằng Word rồi Lưu thành (Save As) kiểu “Word Document (*.docx)”")
    raw = page.get_payload(decode=True)
    html = _decoded(raw if isinstance(raw, bytes) else b"", page.get_content_charset())
    base = (page.get("Content-Location") or "").strip()
    images: dict[str, str] = {}
    for part in parts:
        ctype = part.get_content_type()
        if ctype not in _PICTURES or part.is_multipart():
            continue
        body = part.get_payload(decode=True)
        if not isinstance(body, bytes) or not _is_picture(body):
            continue
        uri = f"data:{ctype};base64," + base64.b64encode(body).decode("ascii")
        location = (part.get("Content-Location") or "").strip()
        if location:
            images[_joined(base, location)] = uri
        cid = (part.get("Content-ID") or "").strip().strip("<>")
        if cid:
            images[f"cid:{cid}"] = uri
    return html, images, base


def _joined(base: str, address: str) -> str:
    """An address read relative to base, as an MHTML names its parts; one that is no URL (urllib
    refuses an unclosed "[" of an IPv6 host) as it is written."""
    try:
        return urljoin(base, address)
    except ValueError:
        return address


# A block of MIME header fields (a name and its colon, or a folded line) at the start of the message
# or after a line that may be a boundary ("--…"): every place the email parser may read headers.
# Each line is told by its first character, so the pattern never backtracks.
_HEADER_BLOCK = re.compile(rb"(?:\A|^--[^\n]*\n)((?:[!-9;-~]+:[^\n]*\n|[ \t][^\n]*\n)*)", re.M)


def _bounded_headers(data: bytes, label: str) -> None:
    """UserError when a header block of the message has more than limits.MAX_MIME_PARAMETERS
    semicolons, counted in the bytes in one pass before the email parser's quadratic search for
    parameters (what may be headers is counted: more than the parser reads, never less)."""
    for block in _HEADER_BLOCK.finditer(data):
        if block.group(1).count(b";") > limits.MAX_MIME_PARAMETERS:
            raise UserError(f"{label}: trang web một tệp (MHTML) có phần đầu (MIME header) mang hơn "
                            f"{limits.MAX_MIME_PARAMETERS} tham số; không phải văn bản bình thường, không đọc")


# --- the page made safe ------------------------------------------------------------------------------

# Elements whose only work is to bring in something outside the file: removed with what they hold.
_EMBEDDERS = frozenset({"script", "noscript", "iframe", "frame", "frameset", "object", "embed", "applet",
                        "link", "base", "audio", "video", "source", "track", "portal", "bgsound", "param"})
# Those of them that hold nothing (void in HTML): libxml2's parser, which knows only some of them as
# void, puts the rest of the page inside an unclosed <embed> or <source>, so only the tag goes.
_VOID_EMBEDDERS = frozenset({"embed", "bgsound", "source", "track", "link", "base", "param", "frame"})
# Attributes that name an address (HTML and Word's VML in pages).
_ADDRESS_ATTRIBUTES = frozenset({"src", "href", "background", "data", "codebase", "archive", "action",
                                 "formaction", "poster", "lowsrc", "dynsrc", "longdesc", "cite", "usemap",
                                 "profile", "manifest", "srcset", "classid", "xlink:href", "o:href",
                                 "ping", "content-location", "altimg", "imagesrcset"})
# Any attribute whose value is an address to a place outside the file, whatever its name.
_OUTSIDE = re.compile(r"^(?:(?:https?|ftp|ftps|file|smb|nfs|dav|davs|webdav|webdavs|ldap|jar|private|macro|"
                      r"vnd\.[\w.-]+|\.uno|sftp|ssh|gopher|ws|wss):|\\\\|//)", re.I)
_LINK_TARGET = re.compile(r"^(?:https?:|mailto:|#)", re.I)
_PICTURES = frozenset({"image/png", "image/jpeg", "image/jpg", "image/gif", "image/bmp", "image/x-ms-bmp",
                       "image/tiff", "image/webp", "image/x-wmf", "image/wmf", "image/x-emf", "image/emf"})
"""Pictures kept from the file: bitmaps and Windows metafiles, which draw what they hold. Not SVG,
a document of its own that names other files and addresses."""
_DATA_IMAGE = re.compile(r"^data:(image/[\w.+-]+);base64,", re.I)
_PICTURE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"BM", b"II*\x00", b"MM\x00*",
                  b"\xd7\xcd\xc6\x9a", b"\x01\x00\x09\x00", b"\x02\x00\x09\x00")
"""The first bytes of the pictures kept: PNG, JPEG, GIF, BMP, TIFF, WMF (placeable or not); WebP and
EMF are told further in (_is_picture)."""
_SVG_MARKS = (b"<svg", b"<?xml")
_PICTURE_HEAD = 2048


def _is_picture(data: bytes) -> bool:
    """Whether a picture's bytes are one of _PICTURES, told as LibreOffice tells a picture's format:
    by its bytes, whatever type the page declares. An SVG declared image/png was drawn by LibreOffice,
    and an <image href="file:///…"> in it read a picture from the disk. LibreOffice looks for an
    SVG's marks in the first 2048 bytes, so a picture with those there is none of ours."""
    head = data[:_PICTURE_HEAD]
    if any(mark in head.lower() for mark in _SVG_MARKS):
        return False
    return (head.startswith(_PICTURE_MAGIC) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")
            or (head[:4] == b"\x01\x00\x00\x00" and head[40:44] == b" EMF"))


def _data_picture(address: str) -> bool:
    """Whether a data: address carries a picture kept (_PICTURES, its bytes told by _is_picture)."""
    carried = _DATA_IMAGE.match(address)
    if carried is None or carried.group(1).lower() not in _PICTURES:
        return False
    return _base64_picture(address[carried.end():])


def _base64_picture(text: str) -> bool:
    """Whether base64 text (white space allowed, as Word 2003 XML wraps its w:binData) holds a
    picture kept (_is_picture), told by its first bytes."""
    # _PICTURE_HEAD bytes in whole base64 groups (white space before them bounded: a line a group)
    start = "".join(text[:_PICTURE_HEAD * 4].split())[:(_PICTURE_HEAD + 2) // 3 * 4]
    try:
        head = base64.b64decode(start[:len(start) // 4 * 4])
    except (binascii.Error, ValueError):
        return False
    return _is_picture(head)
_CSS_FETCH = re.compile(r"url\s*\(|@import|image-set\s*\(|expression\s*\(|-moz-binding|behavior\s*:", re.I)
_CSS_URL = re.compile(r"""url\s*\((?:[^)"'\\]|\\.|"[^"]*"|'[^']*')*\)""", re.I | re.S)
_CSS_IMPORT = re.compile(r"@import[^;]*;?", re.I)
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})\s?|\\(.)", re.S)


def _unescaped(css: str) -> str:
    def one(m: re.Match[str]) -> str:
        if m.group(1):
            code = int(m.group(1), 16)
            return chr(code) if 0 < code <= 0x10FFFF else "\ufffd"
        return m.group(2)

    return _CSS_ESCAPE.sub(one, css)


def safe_css(css: str) -> str:
    """CSS with nothing that loads an address: url() becomes none, @import goes. CSS written to hide
    a fetch behind escapes (never what a writer of Word pages does) is dropped whole."""
    if not _CSS_FETCH.search(_unescaped(css)):
        return css
    cleaned = _CSS_IMPORT.sub("", _CSS_URL.sub("none", css))
    return "" if _CSS_FETCH.search(_unescaped(cleaned)) else cleaned


_FONT_FAMILY = re.compile(r"(font-family\s*:\s*)([^;}]*)", re.I)
_FAMILY = re.compile(r"\"[^\"]*\"|'[^']*'|[^,]+")


def first_family(families: str) -> str:
    """The first of a CSS list of font families ("Times New Roman", serif): the font Word draws the
    text in. LibreOffice keeps the whole list as one font name ("Times New Roman;serif"), a font no
    reader of the .docx knows; the page's alternatives are for machines without the first."""
    important = "!important" in families.lower()
    found = _FAMILY.findall(families.replace("!important", "").replace("!IMPORTANT", ""))
    first = next((f.strip() for f in found if f.strip()), families.strip())
    return first + (" !important" if important else "")


def _first_families(css: str) -> str:
    return _FONT_FAMILY.sub(lambda m: m.group(1) + first_family(m.group(2)), css)


_NAMED_PAGE = re.compile(r"@page\s+([\w-]+)\s*\{([^{}]*)\}", re.I)
_UNNAMED_PAGE = re.compile(r"@page\s*\{", re.I)
_PAGE_USE = re.compile(r"(?<![\w-])page\s*:\s*([\w-]+)", re.I)


def page_rule(css: str) -> str:
    """A style sheet with Word's page setup also said the way LibreOffice reads it.

    Word writes each section's page (size, margins) as a named rule, @page WordSection1 {…}, that
    the section's div takes (div.WordSection1 {page:WordSection1}); LibreOffice's HTML import reads
    only the unnamed @page {…}, so the page came out at its defaults (2 cm margins where the plan
    has 3 cm on the left). The rule of the first page the sheet uses is repeated unnamed, unless
    the sheet has an unnamed rule of its own."""
    if _UNNAMED_PAGE.search(css):
        return css
    rules = {m.group(1).lower(): m.group(2) for m in _NAMED_PAGE.finditer(css)}
    use = _PAGE_USE.search(css)
    body = rules.get(use.group(1).lower()) if use else None
    return f"{css}\n@page {{{body}}}\n" if body else css


_TAG_OPEN = re.compile(r"<[A-Za-z][^\s/>]*")
# One attribute of a start tag: separators, a name, then an optional value, quoted or not. Every
# piece is told by its first character, so a match never backtracks.
_ATTRIBUTE = re.compile(r"""[\s/]*[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]*))?""")


def _bounded_tags(html: str, label: str) -> None:
    """UserError when the page has more tags than limits.MAX_ELEMENTS (counted as in a .docx's XML
    part: its '<'), or one tag more than limits.MAX_ATTRIBUTES attributes, counted in the text in
    one pass (a scan resumes after the attributes it counted, so '<' inside values are never
    counted twice), before the HTML parser builds them (six million tags: 25 s and 2.3 GB) or spends
    quadratic time on a tag's attributes."""
    tags = html.count("<")
    if tags > limits.MAX_ELEMENTS:
        raise UserError(f"{label}: trang web có {number_vi(tags)} thẻ HTML (tối đa {number_vi(limits.MAX_ELEMENTS)}); "
                        "quá lớn để đọc, không đọc")
    pos = 0
    while tag := _TAG_OPEN.search(html, pos):
        pos, count = tag.end(), 0
        while attribute := _ATTRIBUTE.match(html, pos):
            pos, count = attribute.end(), count + 1
            if count > limits.MAX_ATTRIBUTES:
                raise UserError(f"{label}: trang web có thẻ <{tag.group()[1:40]}> mang hơn "
                                f"{number_vi(limits.MAX_ATTRIBUTES)} thuộc tính "
                                "(Word viết không quá vài chục); không phải văn bản bình thường, không đọc")


def _settable(text: str) -> str:
    """Text lxml accepts as an element's text or attribute: the control characters XML has no
    place for (a page may hold them; libxml2's HTML parser keeps them) out."""
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]+", "", text)


def _address(value: str) -> str:
    """An attribute's value as an address is read: control characters and white space out."""
    return re.sub(r"[\x00-\x20\x7f]+", "", value)


def safe_page(data: bytes, kind: str, label: str) -> bytes:
    """The page (an HTML file, or the HTML of an MHTML with its images inlined) written again in
    UTF-8 with nothing in it that makes LibreOffice fetch or read anything outside the file, each
    list of font families reduced to the one Word draws (first_family), Word's page setup said as
    LibreOffice reads it (page_rule)."""
    import lxml.html
    from lxml import etree

    html, images, base = page_text(data, kind, label)
    _bounded_tags(html, label)
    parser = lxml.html.HTMLParser(encoding="utf-8", no_network=True, remove_comments=True, remove_pis=True,
                                  huge_tree=False, default_doctype=False)
    try:
        root = lxml.html.document_fromstring(html.encode("utf-8", "replace"), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise UserError(f"{label}: trang web (HTML) bị hỏng, không đọc được ({str(exc)[:120]}); "
                        f"{RESAVE}") from None
    # libxml2 stops building the tree past 256 levels (without huge_tree, which stays off for
    # hostile input) and leaves out, without an exception, all that lies deeper: text a browser
    # and Word show would be missing from what is read, so the page is refused, not read in part.
    if any("excessive depth" in e.message.lower() for e in parser.error_log):
        raise UserError(f"{label}: trang web (HTML) có thẻ lồng nhau quá sâu (hơn 256 cấp: khung trong khung, "
                        f"bảng trong bảng); phần nằm sâu hơn không đọc được nên tệp không bình thường, không "
                        f"đọc; {RESAVE}")
    inlined = 0  # characters of the MHTML's pictures written into the page so far
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            continue
        tag = el.tag.lower()
        # A meta element that says what an HTTP server would (http-equiv: a refresh to an address,
        # a link, the charset) or the charset goes whatever it names and however it is spelt (a
        # list of names let " refresh" through); the page's charset is said again below.
        if tag in _EMBEDDERS or (tag == "meta" and (el.get("http-equiv") is not None
                                                    or el.get("charset") is not None)):
            if tag in _VOID_EMBEDDERS:
                el.drop_tag()  # what the parser put inside is visited in its turn
            else:
                el.drop_tree()
            continue
        for name in list(el.attrib):
            value = el.attrib[name]
            lname = name.lower()
            where = _address(value)
            if lname == "style":
                cleaned = _first_families(safe_css(value))
                if cleaned != value:
                    el.attrib[name] = _settable(cleaned)
                continue
            if lname in _ADDRESS_ATTRIBUTES:
                if tag == "a" and lname == "href" and _LINK_TARGET.match(where):
                    continue
                if tag == "img" and lname == "src":
                    inline = images.get(_joined(base, where)) or images.get(where)
                    if inline:
                        # Each use is the whole picture again: a small file that shows one picture
                        # countless times would grow without bound.
                        inlined += len(inline)
                        if inlined > limits.MAX_DOCX_BYTES:
                            # Here, not at the top: every plan loaded asks sniff() whether it is a web
                            # page, and soffice brings subprocess, which loading never needs.
                            from .soffice import memory_words

                            raise UserError(
                                f"{label}: trang web một tệp (MHTML) hiện lại các hình nó mang nhiều lần, đến mức "
                                f"phải ghi ra hơn {memory_words(limits.MAX_DOCX_BYTES)} hình; không phải văn bản "
                                "bình thường, không đọc")
                        el.attrib[name] = inline
                        continue
                    if _data_picture(where):
                        continue
                del el.attrib[name]
            elif _OUTSIDE.match(where):
                del el.attrib[name]
        if tag == "img" and el.get("src") is None:
            el.drop_tree()  # an image whose picture is outside the file: nothing to draw
        elif tag == "style" and el.text:
            # Written back as raw text: "</" goes, so that no reader ends the sheet before its end
            # tag (LibreOffice ends it at "</style!>", libxml2 does not, and what followed was
            # read as the page's own <link> and <img>).
            el.text = _settable(page_rule(_first_families(safe_css(el.text)))).replace("</", "<\\/")
        elif tag == "font" and el.get("face"):
            el.set("face", _settable(first_family(el.get("face") or "").strip("\"'")))
    head = root.find("head")
    if head is None:
        head = lxml.html.Element("head")
        root.insert(0, head)
    # The page is written in UTF-8 whatever it was read in: said first in its head, the old
    # declarations gone. libxml2's HTML writer leaves out a charset meta element, so a placeholder
    # no page can hold (a random name) is written and replaced in the text.
    mark = f"kehoach-{secrets.token_hex(8)}"
    head.insert(0, lxml.html.Element("meta", {"name": mark}))
    text = lxml.html.tostring(root, encoding="unicode", method="html", doctype="<!DOCTYPE html>")
    charset = '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
    return text.replace(f'<meta name="{mark}">', charset, 1).encode()


# --- Word 2003 XML made safe --------------------------------------------------------------------------

_XINCLUDE = ("http://www.w3.org/2001/XInclude", "http://www.w3.org/2003/XInclude")
# A field that includes another file, as the instruction begins or as a field nested in it ({ … }).
_INCLUDING_FIELD = re.compile(r"(?:^|\{)\s*(?:INCLUDEPICTURE|INCLUDETEXT|INCLUDE|IMPORT|LINK|DDE|DDEAUTO|"
                              r"HYPERLINK)\b", re.I)
_ADDRESS_IN_TEXT = re.compile(r"(?:https?|ftps?|file|smb)\s*:|\\\\", re.I)
_WORDML_PICTURE = re.compile(r"^(?:wordml://|#)", re.I)


def safe_word_2003(data: bytes, label: str) -> bytes:
    """A Word 2003 XML file (its DTD refused before: formats.kind_of) written again with nothing
    that names a file or address outside it: XInclude elements, addresses in any attribute (a
    picture's src only as the wordml:// name of a picture the file carries), and the instructions
    of fields that include another file (INCLUDEPICTURE, INCLUDETEXT, LINK, DDE…: their printed
    result stays), and what it carries that is no picture (w:binData: an SVG, an OLE object)."""
    from lxml import etree

    from .package import parse_xml

    try:
        root = parse_xml(data)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise UserError(f"{label}: tệp Word 2003 XML bị hỏng, không đọc được ({str(exc).splitlines()[0][:120]}); "
                        f"{RESAVE}") from None
    if root.tag != f"{{{WORD_2003_NS}}}wordDocument":
        raise UserError(f"{label}: tệp XML không phải văn bản Word 2003 XML; không đọc được")
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            continue
        if el.tag.startswith(tuple(f"{{{ns}}}" for ns in _XINCLUDE)):
            _drop(el)
            continue
        # What the file carries is read by LibreOffice for what its bytes are: an SVG that reads a
        # picture from the disk, an OLE object (oledata.mso) that may link a file. Only pictures stay.
        if el.tag == f"{{{WORD_2003_NS}}}binData" and not _base64_picture(el.text or ""):
            _drop(el)
            continue
        for name in list(el.attrib):
            where = _address(el.attrib[name])
            local = name.rsplit("}", 1)[-1].lower()
            if local == "instr" and _INCLUDING_FIELD.search(el.attrib[name]):
                el.attrib[name] = ""
            elif local in ("src", "href") and not _WORDML_PICTURE.match(where):
                del el.attrib[name]
            elif _OUTSIDE.match(where):
                del el.attrib[name]
    # A field's instruction may be split over several runs, anywhere in a word ("INCLUDEPIC" |
    # "TURE …"): read whole, and all its pieces go when it includes a file or names an address.
    for pieces in _field_instructions(root):
        instruction = "".join(piece.text or "" for piece in pieces)
        if _INCLUDING_FIELD.search(instruction) or _ADDRESS_IN_TEXT.search(instruction):
            for piece in pieces:
                piece.text = ""
    # The root alone: what stands before it (an <?xml-stylesheet href?> naming an address) is no
    # part of Word's document but its own mark, written again.
    return (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<?mso-application progid="Word.Document"?>\n'
            + bytes(etree.tostring(root, encoding="UTF-8")))


def _field_instructions(root: _Element) -> list[list[_Element]]:
    """The w:instrText pieces of each field, in the order Word reads them: from its begin w:fldChar
    to its end, a field nested in its instruction apart; a piece outside any field alone."""
    mark, piece = f"{{{WORD_2003_NS}}}fldChar", f"{{{WORD_2003_NS}}}instrText"
    kind = f"{{{WORD_2003_NS}}}fldCharType"
    fields: list[list[_Element]] = []
    open_fields: list[list[_Element]] = []
    for el in root.iter(mark, piece):
        if el.tag == piece:
            if open_fields:
                open_fields[-1].append(el)
            else:
                fields.append([el])
        elif el.get(kind) == "begin":
            open_fields.append([])
        elif el.get(kind) == "end" and open_fields:
            fields.append(open_fields.pop())
    return fields + open_fields


def _drop(el: _Element) -> None:
    parent = el.getparent()
    if parent is not None:
        parent.remove(el)
