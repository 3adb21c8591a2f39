"""Every use of python-docx's and docxtpl's private or undocumented API, in one place.

Why one place: these are not promises of either library. A minor release may rename a private method,
change what docxtpl's patch_xml makes of a tag, or move a helper, and the damage would be silent: a
different output, or a crash only on some templates. pyproject.toml bounds both libraries to the minor
versions tested, and tests/test_internals.py checks everything below still has the shape we use, with a
message naming the upgrade that broke it. Code outside this module uses python-docx and docxtpl only
through their documented API (Document, styles, core_properties, DocxTemplate.render…).

What we rely on, and why:
- python-docx's package layer (PackageReader, Unmarshaller, PartFactory, Package): a fresh Document from
  a template's parts without unzipping the template again for every render (issue 13).
- PackageWriter._write_content_types_stream, _write_pkg_rels and _write_parts: the parts Document.save
  would write, as bytes by member name, zipped once by us (stable order, fixed time).
- serialize_part_xml and CoreProperties(element): a part's bytes and its core properties for the
  compiled template, which works on elements without a Package.
- DocumentPart._styles_part, a header's part, Section._sectPr: the template builder replaces the whole
  styles part and writes the headers' XML.
- DocxTemplate.init_docx, patch_xml, render_xml_part, get_xml, get_part_xml, get_headers_footers,
  get_headers_footers_encoding, resolve_listing, fix_tables, HEADER_URI, FOOTER_URI, and the steps of
  render_xml_part and fix_docpr_ids that the compiled template reproduces (render_part, renumber_docpr).

This module knows docxtpl and python-docx, not plans: it imports nothing of ours.
"""

from __future__ import annotations

import copy
import io
import re
from collections.abc import Callable, Iterator
from typing import Any, cast

import jinja2
from docx.document import Document as DocxDocument
from docx.opc.coreprops import CoreProperties
from docx.opc.oxml import serialize_part_xml
from docx.opc.package import PartFactory, Unmarshaller
from docx.opc.packuri import PackURI
from docx.opc.phys_pkg import PhysPkgWriter
from docx.opc.pkgreader import PackageReader
from docx.opc.pkgwriter import PackageWriter
from docx.oxml import parse_xml
from docx.oxml.coreprops import CT_CoreProperties
from docx.oxml.document import CT_Document
from docx.oxml.ns import nsmap as docx_nsmap
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.package import Package
from docx.parts.document import DocumentPart
from docx.section import Section, _Header
from docxtpl import DocxTemplate
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

__all__ = [
    "CORE_PROPERTIES", "CachedDocxTemplate", "DOCPR_FIRST_ID", "FOOTNOTES", "HEADER_FOOTER_URIS",
    "PackageReader", "SandboxedDocxTemplate", "core_properties", "document_shell", "header_element",
    "headers_footers", "jinja_source", "main_document_part", "package_members", "package_reader", "patcher",
    "render_part", "renumber_docpr", "replace_styles", "section_properties", "serialize_part", "with_body",
]

# --- python-docx: reading and writing a package ---------------------------------------------------


def package_reader(data: bytes) -> PackageReader:
    """The template's package read once: its parts' blobs and relationships (docx.opc.pkgreader)."""
    return PackageReader.from_file(io.BytesIO(data))


def main_document_part(reader: PackageReader) -> DocumentPart:
    """A fresh package unmarshalled from reader (every part parsed anew) and its main document part.

    The caller checks the part's content_type before it takes .document: a package whose main part is
    not a WordprocessingML document has no Document to give."""
    package = Package()
    Unmarshaller.unmarshal(reader, package, PartFactory)
    return package.main_document_part  # a DocumentPart only when its content type says so


class _MemberCollector:
    """Takes the place of python-docx's zip writer (PhysPkgWriter): keeps each part's bytes by member
    name, so the package is zipped once, deterministically, instead of zipped, unzipped and zipped again."""

    def __init__(self) -> None:
        self.members: dict[str, bytes] = {}

    def write(self, pack_uri: PackURI, blob: bytes) -> None:
        self.members[pack_uri.membername] = blob

    def close(self) -> None:
        pass


def package_members(document: DocxDocument) -> dict[str, bytes]:
    """The parts python-docx's Document.save would zip, in the order it would write them.

    PackageWriter.write does exactly these three steps into a PhysPkgWriter; OpcPackage.save calls
    before_marshal on every part first."""
    package = document.part.package
    for part in package.parts:
        part.before_marshal()
    collector = _MemberCollector()
    phys = cast(PhysPkgWriter, collector)  # duck-typed: write(pack_uri, blob) and close()
    PackageWriter._write_content_types_stream(phys, package.parts)
    PackageWriter._write_pkg_rels(phys, package.rels)
    PackageWriter._write_parts(phys, package.parts)
    return collector.members


def serialize_part(element: etree._Element) -> bytes:
    """A part's bytes as python-docx writes an XML part (XmlPart.blob)."""
    return serialize_part_xml(element)


def core_properties(element: BaseOxmlElement) -> CoreProperties:
    """The core properties of a docProps/core.xml element parsed with docx.oxml.parse_xml."""
    return CoreProperties(cast(CT_CoreProperties, element))


# --- python-docx: what the template builder writes directly ----------------------------------------


def replace_styles(document: DocxDocument, styles: BaseOxmlElement) -> None:
    """Make styles (a w:styles element) the whole styles part of document."""
    document.part._styles_part._element = styles


def header_element(header: _Header) -> etree._Element:
    """The w:hdr root of a header's own part (created when the header was linked to the previous)."""
    return header.part.element


def section_properties(section: Section) -> etree._Element:
    """The w:sectPr element behind a Section."""
    return section._sectPr


# --- docxtpl ---------------------------------------------------------------------------------------

HEADER_FOOTER_URIS = (DocxTemplate.HEADER_URI, DocxTemplate.FOOTER_URI)
"""The relationship types whose parts docxtpl renders after the body, in its order (render)."""

CORE_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")
"""The core properties docxtpl renders through Jinja, in its order (DocxTemplate.render_properties)."""

FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
"""The content type of the parts docxtpl's render_footnotes renders (once per section)."""

DOCPR_FIRST_ID = 1000
"""render_init's docx_ids_index: fix_docpr_ids numbers the body's wp:docPr from DOCPR_FIRST_ID + 1."""

_NEWLINE_P = re.compile(r"<w:p([ >])")
_NEWLINE_P_BACK = re.compile(r"\n<w:p([ >])")
_LISTING_CHARS = re.compile("[\t\a\n\f]")


def patcher() -> DocxTemplate:
    """A DocxTemplate with no file, for patch_xml alone (it only needs the class's regexes)."""
    return DocxTemplate.__new__(DocxTemplate)


def _sandboxed(env: jinja2.Environment | None, make: Callable[[], SandboxedEnvironment]) -> SandboxedEnvironment:
    if isinstance(env, SandboxedEnvironment):
        return env
    return make()


class SandboxedDocxTemplate(DocxTemplate):
    """DocxTemplate that never builds a plain jinja2 Environment.

    docxtpl falls back to an unsandboxed Environment()/Template() when no environment is given
    (render, render_properties, render_footnotes, get_undeclared_template_variables; docxtpl
    issue #632): a template from a user could then run code. Every entry point here forces a sandbox,
    make_environment() when none is given.
    """

    def __init__(self, template_file: Any, make_environment: Callable[[], SandboxedEnvironment]) -> None:
        super().__init__(template_file)
        self.make_environment = make_environment

    def render(self, context, jinja_env=None, autoescape=True):
        super().render(context, _sandboxed(jinja_env, self.make_environment), autoescape=True)

    def render_xml_part(self, src_xml, part, context, jinja_env=None):
        return super().render_xml_part(src_xml, part, context, _sandboxed(jinja_env, self.make_environment))

    def render_properties(self, context, jinja_env=None):
        super().render_properties(context, _sandboxed(jinja_env, self.make_environment))

    def render_footnotes(self, context, jinja_env=None):
        super().render_footnotes(context, _sandboxed(jinja_env, self.make_environment))

    def get_undeclared_template_variables(self, jinja_env=None, context=None):
        return super().get_undeclared_template_variables(_sandboxed(jinja_env, self.make_environment), context)


class CachedDocxTemplate(SandboxedDocxTemplate):
    """DocxTemplate that skips the work whose result is the same on every render.

    Why: in a batch the same template is rendered hundreds of times. patch_xml is a pure function
    of the template's XML (identical each time) and reading the zip gives the same part blobs each
    time, so both are done once per template (new_document and patched are the template's); the parts
    are still parsed afresh for every render, so no render sees another's changes. on_error(exc, src)
    gives the exception to raise for one out of a part's render (a located message for a template's
    own run-time mistake). prepared(xml) gives patch_xml's result for xml when it was made beforehand
    (the caller's, for its packaged template), else None.
    """

    def __init__(self, data: bytes, *, new_document: Callable[[], DocxDocument], patched: dict[str, str],
                 on_error: Callable[[Exception, str], Exception],
                 make_environment: Callable[[], SandboxedEnvironment],
                 prepared: Callable[[str], str | None] = lambda raw: None) -> None:
        super().__init__(io.BytesIO(data), make_environment)
        self._new = new_document
        self._patched = patched
        self._prepared = prepared
        self._on_error = on_error

    docx: DocxDocument | None  # set by DocxTemplate.__init__ and init_docx
    is_rendered: bool

    def init_docx(self, reload: bool = True) -> None:
        if not self.docx or (self.is_rendered and reload):
            self.docx = self._new()
            self.is_rendered = False

    def render_xml_part(self, src_xml, part, context, jinja_env=None):
        try:
            return super().render_xml_part(src_xml, part, context, jinja_env)
        except Exception as exc:  # noqa: BLE001 - on_error re-raises what is not the template's
            raise self._on_error(exc, src_xml) from None

    def patch_xml(self, src_xml: str) -> str:
        out = self._patched.get(src_xml)
        if out is None:
            # prepared(src_xml): patch_xml's result made beforehand for this very XML, or None
            out = self._patched[src_xml] = self._prepared(src_xml) or super().patch_xml(src_xml)
        return out


def headers_footers(helper: DocxTemplate) -> Iterator[tuple[str, str, str]]:
    """(member name, XML as docxtpl hands it to patch_xml, encoding) of each header and footer part
    docxtpl renders, in its order."""
    for uri in HEADER_FOOTER_URIS:
        for _, part in helper.get_headers_footers(uri):
            xml = helper.get_part_xml(part)
            yield part.partname.membername, xml, helper.get_headers_footers_encoding(xml)


def jinja_source(patched: str) -> str:
    """What docxtpl's render_xml_part hands to Jinja for a patched part: a paragraph a line."""
    return _NEWLINE_P.sub(r"\n<w:p\1", patched)


def render_part(helper: DocxTemplate, env: jinja2.Environment, source: str, context: dict[str, Any]) -> str:
    """docxtpl's render_xml_part for a part whose jinja_source is source, from env's compiled template.

    The same steps in the same order: Jinja, the lines around a located error attached as docx_context,
    paragraphs joined back, docxtpl's escaped braces restored, listing characters resolved (skipped
    when there is none: resolve_listing only rewrites tab, bell, line feed and form feed)."""
    try:
        dst = env.from_string(source).render(context)
    except jinja2.TemplateError as exc:
        if getattr(exc, "lineno", None) is not None:
            line_number = max(exc.lineno - 4, 0)  # type: ignore[attr-defined]
            exc.docx_context = map(  # type: ignore[attr-defined]
                lambda x: re.sub(r"<[^>]+>", "", x),
                source.splitlines()[line_number:(line_number + 7)],
            )
        raise
    dst = _NEWLINE_P_BACK.sub(r"<w:p\1", dst)
    dst = dst.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
    if _LISTING_CHARS.search(dst):
        dst = helper.resolve_listing(dst)
    return dst


def document_shell(document_xml: bytes) -> CT_Document:
    """The document part's root parsed once from document_xml, its w:body emptied: with_body copies
    it for every document instead of parsing the template's whole body again each time."""
    root = cast(CT_Document, parse_xml(document_xml))
    body = cast(etree._Element, root.body)
    for child in list(body):
        body.remove(child)
    return root


def with_body(shell: CT_Document, body: etree._Element) -> CT_Document:
    """A copy of shell (document_shell) with body in place of its w:body: docxtpl's map_tree, on the
    part's bytes rather than on a Document. The copy keeps python-docx's element classes (lxml
    copies a tree with its parser) and the shell stays untouched, so templates may be shared."""
    root = copy.deepcopy(shell)
    cast(etree._Element, root).replace(cast(etree._Element, root.body), body)
    return root


def renumber_docpr(tree: etree._Element) -> None:
    """docxtpl's fix_docpr_ids on a freshly rendered body: every wp:docPr numbered from 1001."""
    ids = DOCPR_FIRST_ID
    # tree is the root of its own document: its iteration is docxtpl's //wp:docPr, in C
    for elt in tree.iter(f"{{{docx_nsmap['wp']}}}docPr"):
        ids += 1
        elt.attrib["id"] = str(ids)
