"""The compiled docxtpl pipeline: a template prepared once and rendered many times (issue 13).

Plan-agnostic: it renders a context into a docxtpl template's parts and hands back the package's
members; what the document means (layout, properties, seal) is the caller's (document/render.py).
Every private use of docxtpl and python-docx goes through word/internals.py.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from typing import Any

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml as docx_parse_xml
from lxml import etree

from . import internals
from .formatting import Formatting
from .package import DeflateCache, zip_members

_TBL_RE = re.compile(r"<w:tbl>.*?</w:tbl>", re.DOTALL)
_TC_RE = re.compile(r"<w:tc[ >].*?</w:tc>", re.DOTALL)
_TAG_RE = re.compile(r"\{[{%#]")
_BLOCK_RE = re.compile(r"\{%-?\s*(\w+)")
_OPENERS = {"for": "endfor", "if": "endif"}


class TemplatePart:
    """One templated XML part: the source docxtpl would hand to Jinja, compiled on first use."""

    def __init__(self, name: str, src: str, encoding: str = "utf-8") -> None:
        self.name = name
        self.src = src  # after docxtpl's patch_xml, what render_xml_part receives
        self.jinja_source = internals.jinja_source(src)
        self.encoding = encoding
        self.static = _TAG_RE.search(src) is None  # no Jinja at all: the same output every time
        self.cached: bytes | None = None


class CompiledTemplate:
    """A template prepared once for many renders (issue 13).

    Done once: docxtpl's XML preprocessing (patch_xml), the Jinja compile, the formatting used by the
    layout pass, and every part that rendering does not change, kept as the bytes python-docx would
    write, with their deflated form. Per document: the Jinja render of the changing parts (body,
    headers and footers with tags, core properties), the layout pass, and a zip write.

    The output is the plain path's byte for byte (tests/test_speed.py renders both). Two steps of
    docxtpl are skipped when they provably change nothing: resolve_listing on XML with no tab, bell,
    line feed or form feed (it only rewrites those characters), and fix_tables when every Jinja tag
    in the template's tables stays inside one cell and balanced (rows keep their cells) and the
    template's tables already match their grids; tables placed from data are built by
    generator.word.tables with a grid that matches by construction.
    """

    def __init__(self, data: bytes, new_document: Callable[[], Any], make_helper: Callable[[], Any],
                 env: Any, on_error: Callable[[Exception, str], Exception]) -> None:
        """data: the template's bytes; new_document: a fresh python-docx Document of it; make_helper:
        the docxtpl template over it (internals.CachedDocxTemplate); env: the Jinja environment;
        on_error(exc, part_source): the exception to raise for a run-time error in template code."""
        self.env = env
        self.on_error = on_error
        self.fallback = False
        document = new_document()
        package = document.part.package
        if any(part.content_type == internals.FOOTNOTES for part in package.parts):
            self.fallback = True  # docxtpl renders footnotes once per section: left to the plain path
            return
        try:
            core_part = package.part_related_by(RT.CORE_PROPERTIES)
        except KeyError:
            self.fallback = True  # python-docx would make one up (with the clock): plain path
            return
        helper = make_helper()
        helper.docx = document
        self.helper = helper
        self.formatting = Formatting.of(document)
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            self.shell = internals.document_shell(zf.read(document.part.partname.membername))
        self.document_name = document.part.partname.membername
        self.body = TemplatePart(self.document_name, helper.patch_xml(helper.get_xml()))
        self.fix_tables = not self._tables_are_static(helper.get_xml())
        self.parts: list[TemplatePart] = []
        for name, xml, encoding in internals.headers_footers(helper):
            self.parts.append(TemplatePart(name, helper.patch_xml(xml), encoding))
        self.core_name = core_part.partname.membername
        self.core_xml = core_part.blob
        dynamic = {self.document_name, self.core_name, *(p.name for p in self.parts)}
        self.static = {name: blob for name, blob in internals.package_members(document).items() if name not in dynamic}
        self._deflated = DeflateCache()

    def _tables_are_static(self, raw_body: str) -> bool:
        """True when docxtpl's fix_tables cannot change any table of this template's output.

        fix_tables only acts when a row has more or fewer cells than the grid. The template's own
        tables keep their cells when no Jinja tag sits in a table outside a cell, a cell's block
        tags open and close inside it, and no tag is in cell properties (docxtpl's colspan, hm);
        and they must already match their grid. Otherwise the fix runs on every render.
        """
        for table in _TBL_RE.findall(self.body.src):
            if "<w:tbl>" in table[len("<w:tbl>"):] or "<w:tbl " in table:
                return False  # nested tables: not analysed
            outside = _TC_RE.sub("", table)
            if _TAG_RE.search(outside):
                return False
            for cell in _TC_RE.findall(table):
                props = re.search(r"<w:tcPr>.*?</w:tcPr>", cell, re.DOTALL)
                if props and _TAG_RE.search(props.group(0)):
                    return False
                depth: list[str] = []
                for word in _BLOCK_RE.findall(cell):
                    if word in _OPENERS:
                        depth.append(_OPENERS[word])
                    elif word in ("endfor", "endif"):
                        if not depth or depth.pop() != word:
                            return False
                    elif word not in ("elif", "else"):
                        return False  # set, macro, raw, hm, vm…: not analysed
                if depth:
                    return False
        if "<w:tbl " in self.body.src:
            return False
        # The template's tables as written must already match their grids.
        plain = etree.fromstring(raw_body, etree.XMLParser(recover=True))
        fixed = self.helper.fix_tables(raw_body)
        return etree.tostring(plain) == etree.tostring(fixed)

    # --- per document -----------------------------------------------------------------------

    def _render_part(self, part: TemplatePart, context: dict[str, Any]) -> str:
        """docxtpl's render_xml_part for one part, from the compiled template."""
        try:
            return internals.render_part(self.helper, self.env, part.jinja_source, context)
        except Exception as exc:  # noqa: BLE001 - on_error re-raises what is not the template's
            raise self.on_error(exc, part.src) from None

    def render(self, context: dict[str, Any]) -> list[Any]:
        """The template code's share of a render (inside a user template's budget): the body tree,
        the header/footer trees by member name, the core properties element."""
        body = self._render_part(self.body, context)
        if self.fix_tables:
            tree = self.helper.fix_tables(body)
        else:
            tree = etree.fromstring(body, etree.XMLParser(recover=True))
        internals.renumber_docpr(tree)
        parts: dict[str, Any] = {}
        for part in self.parts:
            if part.static and part.cached is not None:
                parts[part.name] = part.cached
                continue
            xml = self._render_part(part, context).encode(part.encoding)
            parts[part.name] = docx_parse_xml(xml)
            if part.static:
                part.cached = internals.serialize_part(parts[part.name])
                parts[part.name] = part.cached
        core = docx_parse_xml(self.core_xml)
        props = internals.core_properties(core)
        for prop in internals.CORE_PROPERTIES:
            initial = getattr(props, prop)
            env = self.env
            # Jinja gives text without a tag back as it is, but for line endings it rewrites (\r)
            # or drops (a last \n, unless kept): only those are rendered, as docxtpl renders all.
            plain = not (_TAG_RE.search(initial) or "\r" in initial
                         or (initial.endswith("\n") and not env.keep_trailing_newline))
            # set even when plain: setting writes the element when the template has none
            setattr(props, prop, initial if plain else env.from_string(initial).render(context))
        return [tree, parts, core]

    def finish(self, rendered: list[Any], finish_document: Callable[[DocumentView], None],
               fill: Callable[[bytes], bytes]) -> dict[str, bytes]:
        """The package's members after a render: finish_document(view) changes the body and core
        properties in place (the caller's layout pass and properties), fill(xml) puts in what the
        render left for later (table slots) in every rendered part."""
        tree, parts, core = rendered
        rendered.clear()
        root = internals.with_body(self.shell, tree)
        # No proxy of the body parsed without python-docx's element classes may outlive the move:
        # the layout pass must see CT_P & co., as it does after docxtpl's map_tree.
        del tree
        finish_document(DocumentView(root, internals.core_properties(core)))
        members = dict(self.static)
        members[self.document_name] = fill(internals.serialize_part(root))
        for name, value in parts.items():
            members[name] = value if isinstance(value, bytes) else fill(internals.serialize_part(value))
        members[self.core_name] = internals.serialize_part(core)
        return members

    def zip(self, members: dict[str, bytes]) -> bytes:
        """zip_members(members), the template's unchanged parts deflated once."""
        return zip_members(members, self._deflated, self._unchanged)

    def _unchanged(self, name: str, data: bytes) -> bool:
        """The same bytes every render: a static part, or a header whose output was kept."""
        return self.static.get(name) is data or any(part.cached is data for part in self.parts)


class DocumentView:
    """What a layout pass and the setting of core properties use of a python-docx Document: its body
    element and its core properties."""

    def __init__(self, element: Any, core_properties: Any) -> None:
        self.element = element
        self.core_properties = core_properties
