"""A docxtpl template's XML, found by what survives an edit in Word or LibreOffice: no plan rules
here, the styles a plan's template must hold are named in document/template_parts.py.

A user restyles the template in Word or LibreOffice. Word keeps style IDs; LibreOffice rewrites
them from the names ("KHDuongKe" -> "KHngk"), re-creates the header parts (the appendix sections
can lose the page-number header and the different first page), and moves a section break that
sat on an empty paragraph onto the paragraph before it, which is a `{%p …%}` tag paragraph that
docxtpl deletes, taking the break with it. So:

- styles are looked up by their *name* ("KH Đường kẻ"), with the default template's ID as a
  fallback for a template whose style was renamed but kept its ID;
- `restore` undoes what LibreOffice does to sections and headers, on the template's bytes, before
  anything renders with it (a no-op for a template that needs nothing, the default included);
- `sections` and `has_page_field` let `check-template` report what cannot be restored.
"""

from __future__ import annotations

import io
import posixpath
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
W = f"{{{W_NS}}}"
R_ID = f"{{{R_NS}}}id"
HEADER_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"


@dataclass(frozen=True)
class NamedStyle:
    name: str  # what a user sees in Word's and LibreOffice's style list
    default_id: str  # the ID in templates/kehoach.docx


def _key(name: str) -> str:
    # Word compares style names without case; a name typed again may come back decomposed (NFD).
    return unicodedata.normalize("NFC", name).strip().casefold()


class StyleIds:
    """The paragraph styles of a styles part: ID by name, and the IDs that exist."""

    def __init__(self, styles_root: Any | None):
        self.by_name: dict[str, str] = {}
        self.ids: set[str] = set()
        self.elements: dict[str, Any] = {}
        if styles_root is not None:
            self._add(styles_root.iter(f"{W}style"))

    @classmethod
    def of_formatting(cls, formatting: Any) -> StyleIds:
        """From a generator.word.formatting.Formatting (its w:style elements by ID): the layout pass
        has one for every render, whatever stands in for the python-docx Document."""
        out = cls(None)
        out._add(formatting.styles.values())
        return out

    def _add(self, styles: Any) -> None:
        for style in styles:
            sid = style.get(f"{W}styleId")
            if not sid or style.get(f"{W}type", "paragraph") != "paragraph":
                continue
            self.ids.add(sid)
            self.elements.setdefault(sid, style)
            name = style.find(f"{W}name")
            if name is not None and name.get(f"{W}val"):
                self.by_name.setdefault(_key(name.get(f"{W}val")), sid)

    def find(self, style: NamedStyle) -> str | None:
        """The ID of the style with this name; else the default ID when the template has it."""
        sid = self.by_name.get(_key(style.name))
        if sid is None and style.default_id in self.ids:
            sid = style.default_id
        return sid

    def get(self, style: NamedStyle) -> str:
        """find(), or the default ID (a dangling reference `check-template` reports) when absent."""
        return self.find(style) or style.default_id

    def has_border(self, sid: str) -> bool:
        """Whether the style, or one it is based on, draws a paragraph border (the rule's line)."""
        seen: set[str] = set()
        while sid and sid not in seen:
            seen.add(sid)
            style = self.elements.get(sid)
            if style is None:
                return False
            border = style.find(f"{W}pPr/{W}pBdr")
            if border is not None and any(e.get(f"{W}val") not in (None, "nil", "none") for e in border):
                return True
            based = style.find(f"{W}basedOn")
            sid = based.get(f"{W}val") if based is not None else ""
        return False


def package_style_ids(data: bytes) -> StyleIds:
    """StyleIds of a .docx given as bytes (a template)."""
    from .package import safe_parser

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        try:
            blob = archive.read("word/styles.xml")
        except KeyError:
            return StyleIds(None)
    return StyleIds(etree.fromstring(blob, safe_parser()))


# --- page-number field ---------------------------------------------------------------------------

_PAGE = re.compile(r"^\s*PAGE(\s|\\|$)")


def has_page_field(root: Any) -> bool:
    """Whether a header part holds a PAGE field, complex (fldChar/instrText, instruction possibly
    split over runs) or simple (fldSimple)."""
    for simple in root.iter(f"{W}fldSimple"):
        if _PAGE.match(simple.get(f"{W}instr", "")):
            return True
    instr: list[str] | None = None
    for el in root.iter(f"{W}fldChar", f"{W}instrText"):
        if el.tag == f"{W}instrText":
            if instr is not None:
                instr.append(el.text or "")
            continue
        kind = el.get(f"{W}fldCharType")
        if kind == "begin":
            instr = []
        elif instr is not None:  # separate or end: the instruction is complete
            if _PAGE.match("".join(instr)):
                return True
            instr = None
    return False


# --- sections -------------------------------------------------------------------------------------

@dataclass
class Section:
    """One w:sectPr of the template's body, with the header parts it shows (inherited included)."""

    sect_pr: Any
    paragraph: Any | None  # the body paragraph carrying it; None for the body's last sectPr
    default_header: str | None  # part name, e.g. "word/header1.xml"
    first_header: str | None
    title_pg: bool

    @property
    def landscape(self) -> bool:
        return is_landscape(self.sect_pr)

    @property
    def restarts(self) -> bool:
        return restarts_numbering(self.sect_pr)


def is_landscape(sect: Any) -> bool:
    """A page wider than high (what Word and LibreOffice print), else the orient attribute."""
    size = sect.find(f"{W}pgSz")
    if size is None:
        return False
    try:
        return int(size.get(f"{W}w")) > int(size.get(f"{W}h"))
    except (TypeError, ValueError):
        return size.get(f"{W}orient") == "landscape"


def restarts_numbering(sect: Any) -> bool:
    num = sect.find(f"{W}pgNumType")
    return num is not None and num.get(f"{W}start") == "1"


def header_targets(rels_root: Any | None) -> dict[str, str]:
    """rId -> part name of every header relationship of the main document."""
    out: dict[str, str] = {}
    if rels_root is None:
        return out
    for rel in rels_root:
        if rel.get("Type") == HEADER_REL and rel.get("TargetMode") != "External":
            target = posixpath.normpath(posixpath.join("word", rel.get("Target", "")))
            out[rel.get("Id")] = target.lstrip("/")
    return out


def sections(body: Any, headers: dict[str, str]) -> list[Section]:
    """The body's sections in order; a section without a header reference of a kind shows the
    previous section's (ECMA-376 §17.10.5), so it is resolved here once."""
    out: list[Section] = []
    default = first = None
    for el in body:
        if el.tag == f"{W}p":
            sect, para = el.find(f"{W}pPr/{W}sectPr"), el
        elif el.tag == f"{W}sectPr":
            sect, para = el, None
        else:
            continue
        if sect is None:
            continue
        for ref in sect.findall(f"{W}headerReference"):
            kind = ref.get(f"{W}type", "default")
            if kind == "default":
                default = headers.get(ref.get(R_ID))
            elif kind == "first":
                first = headers.get(ref.get(R_ID))
        title = sect.find(f"{W}titlePg")
        title_pg = title is not None and title.get(f"{W}val") not in ("0", "false", "off")
        out.append(Section(sect, para, default, first, title_pg))
    return out


# --- restoring what LibreOffice changes --------------------------------------------------------

_BLOCK_TAG = re.compile(r"\{%p|\{\{p")
_AFTER_TITLE_PG = ("textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings", "sectPrChange")


def restore(data: bytes) -> bytes:
    """The template with its section breaks and page-number headers as the renderer needs them;
    data itself (the same object) when nothing needs restoring, so the default template and any
    template saved by Word render exactly as before."""
    from .package import safe_parser, zip_members

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        doc_xml = archive.read("word/document.xml")
        rels_xml = archive.read("word/_rels/document.xml.rels")
    except (zipfile.BadZipFile, KeyError):
        return data  # not for us to judge here: the caller reports an unreadable template
    try:
        root = etree.fromstring(doc_xml, safe_parser())
        rels = etree.fromstring(rels_xml, safe_parser())
    except etree.XMLSyntaxError:
        return data
    body = root.find(f"{W}body")
    if body is None:
        return data
    changed = _free_breaks_from_tags(body)
    changed |= _restore_headers(body, rels, archive)
    changed |= _on_off_only(root)
    fonts = _font_table(archive)
    if not changed and fonts is None:
        return data
    members = {name: archive.read(name) for name in archive.namelist()}
    if changed:
        members["word/document.xml"] = _serialise(root)
    if fonts is not None:
        members["word/fontTable.xml"] = _serialise(fonts)
    return zip_members(members)


def _serialise(root: Any) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


_ON_OFF_ONLY = (f"{W}cantSplit", f"{W}tblHeader")
"""Row properties whose w:val the schema limits to "on"/"off"; LibreOffice writes "true"/"false",
which every document rendered from its template would carry as a schema error."""


def _on_off_only(root: Any) -> bool:
    changed = False
    for el in root.iter(*_ON_OFF_ONLY):
        val = el.get(f"{W}val")
        if val in ("true", "1", "false", "0"):
            el.set(f"{W}val", "on" if val in ("true", "1") else "off")
            changed = True
    return changed


CHARACTER_SETS = {"Big5", "GBK", "KS_C-5601-1992", "iso-8859-1", "iso-8859-9", "ks_c-5601-1987", "macintosh",
                  "shift_jis", "windows-1250", "windows-1251", "windows-1253", "windows-1255", "windows-1256",
                  "windows-1257", "windows-1258", "windows-874"}
"""The values the schema allows for w:charset/@w:characterSet (an optional hint next to w:val)."""


def _font_table(archive: zipfile.ZipFile) -> Any | None:
    """The font table without the character-set names the schema does not know ("utf-8",
    "windows-1252", written by LibreOffice); None when it has none."""
    from .package import safe_parser

    try:
        root = etree.fromstring(archive.read("word/fontTable.xml"), safe_parser())
    except (KeyError, etree.XMLSyntaxError):
        return None
    changed = False
    for charset in root.iter(f"{W}charset"):
        if charset.get(f"{W}characterSet") not in (None, *CHARACTER_SETS):
            del charset.attrib[f"{W}characterSet"]
            changed = True
    return root if changed else None


def _text(para: Any) -> str:
    return "".join(t.text or "" for t in para.iter(f"{W}t"))


def _free_breaks_from_tags(body: Any) -> bool:
    """A section break on a `{%p …%}` or `{{p …}}` paragraph would be deleted with the tag: it goes
    on an empty paragraph of its own right after it, where the section ended (LibreOffice drops the
    empty paragraph a break rode on and moves the break onto the paragraph before)."""
    changed = False
    for para in list(body.iterchildren(f"{W}p")):
        sect = para.find(f"{W}pPr/{W}sectPr")
        if sect is None or not _BLOCK_TAG.search(_text(para)):
            continue
        holder = etree.Element(f"{W}p")
        etree.SubElement(holder, f"{W}pPr").append(sect)  # moves the break off the tag paragraph
        para.addnext(holder)
        changed = True
    return changed


def _restore_headers(body: Any, rels: Any, archive: zipfile.ZipFile) -> bool:
    """Every section shows the page number the way the first one does: its default header holds the
    PAGE field and, when the first section has a different first page, so do the others (page 1 of
    an appendix is not numbered either). LibreOffice re-creates headers per page style and the
    appendix sections can come back with an empty header and no different first page."""
    from .package import safe_parser

    headers = header_targets(rels)
    found = sections(body, headers)
    if len(found) < 2:
        return False
    page: dict[str, bool] = {}
    for name in set(headers.values()):
        try:
            page[name] = has_page_field(etree.fromstring(archive.read(name), safe_parser()))
        except (KeyError, etree.XMLSyntaxError):
            page[name] = False
    rid_of = {name: rid for rid, name in sorted(headers.items(), reverse=True)}
    first = found[0]
    numbered = first.default_header if page.get(first.default_header or "") else next(
        (s.default_header for s in found if page.get(s.default_header or "")), None)
    if numbered is None:
        return False  # no PAGE field anywhere: nothing to restore from, check-template says so
    changed = False
    for section in found[1:]:
        if not page.get(section.default_header or ""):
            _set_reference(section.sect_pr, "default", rid_of[numbered])
            changed = True
        if first.title_pg and not section.title_pg:
            if first.first_header and section.first_header is None:
                _set_reference(section.sect_pr, "first", rid_of[first.first_header])
            _add_title_pg(section.sect_pr)
            changed = True
    return changed


def _set_reference(sect: Any, kind: str, rid: str) -> None:
    for ref in sect.findall(f"{W}headerReference"):
        if ref.get(f"{W}type", "default") == kind:
            ref.set(R_ID, rid)
            return
    ref = etree.Element(f"{W}headerReference")
    ref.set(f"{W}type", kind)
    ref.set(R_ID, rid)
    sect.insert(0, ref)  # header and footer references come first in a sectPr


def _add_title_pg(sect: Any) -> None:
    for old in sect.findall(f"{W}titlePg"):
        sect.remove(old)
    title = etree.Element(f"{W}titlePg")
    for el in sect:
        if etree.QName(el).localname in _AFTER_TITLE_PG:
            el.addprevious(title)
            return
    sect.append(title)


# --- reading a template's parts for check-template ----------------------------------------------
#
# Why here: nothing outside word/ touches lxml or w: names; check-template judges what a user typed
# in the template (tags, styles, section breaks) through these, by what they mean.

XmlSyntaxError = etree.XMLSyntaxError
"""A part that is not well-formed XML (callers outside word/ catch it without importing lxml)."""
XmlError = etree.LxmlError
"""Any failure of the XML library: a broken part, or XML a template's code rendered broken."""


def parse_part(blob: bytes) -> Any:
    """A part's root, parsed without entities or network (word.package.safe_parser)."""
    from .package import safe_parser

    return etree.fromstring(blob, safe_parser())


def part_text(root: Any) -> str:
    """The part's XML as text (what docxtpl patches and hands to Jinja)."""
    return etree.tostring(root, encoding="unicode")


def document_body(root: Any) -> Any | None:
    return root.find(f"{W}body")


def style_references(root: Any) -> Iterator[str]:
    """The style ID every paragraph of the part refers to, in order (repeats included)."""
    for ps in root.iter(f"{W}pStyle"):
        sid = ps.get(f"{W}val")
        if sid:
            yield sid


def body_paragraphs(body: Any) -> Iterator[tuple[str, Any | None]]:
    """Each paragraph directly in the body: its text as stored, and its section break (or None)."""
    for el in body.iterchildren(f"{W}p"):
        yield "".join(t.text or "" for t in el.iter(f"{W}t")), el.find(f"{W}pPr/{W}sectPr")


def paragraph_pieces(root: Any) -> Iterator[list[tuple[int, str]]]:
    """Per paragraph of the part, its characters as Word stores them, each with the index of the
    text element (w:t) it sits in: a tag whose characters come from two w:t was split by Word.
    Text of a paragraph nested in this one (a text box) belongs to that paragraph."""
    for para in root.iter(f"{W}p"):
        pieces: list[tuple[int, str]] = []
        for i, t in enumerate(para.iter(f"{W}t")):
            if t.getparent() is not None and _enclosing_p(t) is para:
                pieces += [(i, c) for c in (t.text or "")]
        yield pieces


def _enclosing_p(el: Any) -> Any:
    el = el.getparent()
    while el is not None and el.tag != f"{W}p":
        el = el.getparent()
    return el


def paragraph_lines(src_xml: str) -> list[str]:
    """A part's XML a paragraph a line (each w:p starts a line), as docxtpl numbers the lines it
    feeds to Jinja: a template error's line number finds its paragraph."""
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", src_xml).splitlines()
