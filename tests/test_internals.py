"""What kehoach relies on in python-docx's and docxtpl's private API (generator/word/internals.py).

Each test checks one thing we use still exists with the shape we use: attributes, signatures, and where
it matters the behaviour (what docxtpl's patch_xml makes of our tags, that Document.save writes exactly
the parts package_members collects, that the compiled template's copy of render_xml_part gives docxtpl's
output). A failure names the library, its installed version and what changed: keep the bound in
pyproject.toml, or adapt internals.py and this test together before raising it.
"""

from __future__ import annotations

import ast
import inspect
import io
import re
import tomllib
import zipfile
from importlib.metadata import version
from collections.abc import Iterator
from pathlib import Path

import jinja2
import pytest
from docx import Document
from docx.opc.coreprops import CoreProperties
from docx.opc.package import PartFactory, Unmarshaller
from docx.opc.phys_pkg import PhysPkgWriter
from docx.opc.pkgreader import PackageReader
from docx.opc.pkgwriter import PackageWriter
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.parts.document import DocumentPart
from docx.section import Section
from docxtpl import DocxTemplate
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree
from packaging.requirements import Requirement

from generator.document.render import DEFAULT_TEMPLATE, _Environment
from generator.word import internals

from tests.paths import ROOT

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def broke(lib: str, what: str, detail: str) -> str:
    """The message of a failed check: which upgrade broke what, and what to do."""
    return (f"{lib} {version(lib)} changed {what}, which generator/word/internals.py relies on: {detail}. "
            f"Keep {lib} within the bound in pyproject.toml, or adapt internals.py (and this test) "
            "before raising it.")


def params(func) -> list[str]:
    return list(inspect.signature(func).parameters)


def require(cls: type, name: str, lib: str, shape: list[str] | None = None, *, static: bool = False) -> None:
    """cls.name exists (a static method when static), with parameters named shape, in that order."""
    assert hasattr(cls, name), broke(lib, f"{cls.__name__}.{name}", "it is gone")
    if static:
        assert isinstance(inspect.getattr_static(cls, name), staticmethod), broke(
            lib, f"{cls.__name__}.{name}", "it is no longer a static method")
    if shape is not None:
        got = params(getattr(cls, name))
        assert got == shape, broke(lib, f"the signature of {cls.__name__}.{name}", f"expected ({', '.join(shape)}), "
                                   f"found ({', '.join(got)})")


# --- the bounds ------------------------------------------------------------------------------------


def _dependencies() -> dict[str, Requirement]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    reqs = [Requirement(r) for r in data["project"]["dependencies"]]
    return {r.name.lower(): r for r in reqs}


def test_every_dependency_has_an_upper_bound_and_the_installed_release_is_within_it():
    for name, req in _dependencies().items():
        assert any(s.operator in ("<", "<=", "~=", "==") for s in req.specifier), (
            f"pyproject.toml: {name} has no upper bound; bound it to the releases tested")
        assert req.specifier.contains(version(name), prereleases=True), (
            f"{name} {version(name)} is installed but pyproject.toml allows {req.specifier}: the tests are "
            "not testing a release users get")


@pytest.mark.parametrize("name", ["python-docx", "docxtpl"])
def test_libraries_whose_internals_we_use_are_bounded_to_the_tested_minor(name):
    req = _dependencies()[name]
    major, minor = (int(x) for x in version(name).split(".")[:2])
    assert not req.specifier.contains(f"{major}.{minor + 1}.0"), (
        f"pyproject.toml allows {name} {major}.{minor + 1}, untested: generator/word/internals.py uses its "
        f"private API; bound it below {major}.{minor + 1} until tests/test_internals.py passes with it")


# --- python-docx: reading and writing a package ----------------------------------------------------


def test_python_docx_package_layer_reads_a_template_into_a_fresh_document():
    lib = "python-docx"
    require(PackageReader, "from_file", lib, ["pkg_file"], static=True)
    require(Unmarshaller, "unmarshal", lib, ["pkg_reader", "package", "part_factory"], static=True)
    assert callable(PartFactory), broke(lib, "docx.opc.package.PartFactory", "it is no longer callable")
    data = DEFAULT_TEMPLATE.read_bytes()
    reader = internals.package_reader(data)
    first, second = internals.main_document_part(reader), internals.main_document_part(reader)
    assert isinstance(first, DocumentPart), broke(lib, "Package.main_document_part", "not a DocumentPart")
    assert first is not second and first.element is not second.element, broke(
        lib, "Unmarshaller.unmarshal", "two unmarshals of one PackageReader share parts; each render must "
        "get its own")
    texts = [p.text for p in first.document.paragraphs]
    assert texts == [p.text for p in Document(io.BytesIO(data)).paragraphs], broke(
        lib, "the package layer", "a document unmarshalled from a PackageReader differs from Document()")


def test_python_docx_writer_steps_are_what_document_save_writes():
    lib = "python-docx"
    require(PackageWriter, "write", lib, ["pkg_file", "pkg_rels", "parts"], static=True)
    require(PackageWriter, "_write_content_types_stream", lib, ["phys_writer", "parts"], static=True)
    require(PackageWriter, "_write_pkg_rels", lib, ["phys_writer", "pkg_rels"], static=True)
    require(PackageWriter, "_write_parts", lib, ["phys_writer", "parts"], static=True)
    write = inspect.getsource(PackageWriter.write)
    steps = re.findall(r"PackageWriter\.(_write_\w+)\(", write)
    assert steps == ["_write_content_types_stream", "_write_pkg_rels", "_write_parts"], broke(
        lib, "PackageWriter.write", f"it now takes the steps {steps}; package_members repeats the three of 1.2")
    for name in ("write", "close"):
        assert hasattr(PhysPkgWriter(io.BytesIO()), name), broke(
            lib, f"PhysPkgWriter.{name}", "_MemberCollector stands in for a PhysPkgWriter with write and close")

    document = Document(str(DEFAULT_TEMPLATE))
    members = internals.package_members(document)
    buf = io.BytesIO()
    Document(str(DEFAULT_TEMPLATE)).save(buf)
    with zipfile.ZipFile(buf) as zf:
        saved = {name: zf.read(name) for name in zf.namelist()}
    assert list(members) == list(saved), broke(
        lib, "what Document.save writes", f"members or their order differ: {list(saved)} != {list(members)}")
    differ = [name for name in saved if saved[name] != members[name]]
    assert not differ, broke(lib, "what Document.save writes", f"different bytes for {differ}")


def test_python_docx_serializes_parts_and_core_properties_as_we_write_them():
    lib = "python-docx"
    document = Document(str(DEFAULT_TEMPLATE))
    part = document.part
    assert internals.serialize_part(part.element) == part.blob, broke(
        lib, "XmlPart.blob / docx.opc.oxml.serialize_part_xml", "a part's bytes are no longer serialize_part_xml's")
    core_part = part.package.part_related_by(
        "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties")
    element = parse_xml(core_part.blob)
    props = internals.core_properties(element)
    assert isinstance(props, CoreProperties)
    props.title = "Kế hoạch"
    assert "Kế hoạch" in internals.serialize_part(element).decode("utf-8"), broke(
        lib, "CoreProperties(element)", "setting a property no longer writes into the element given")


def test_python_docx_lets_the_template_builder_write_styles_headers_and_sections():
    lib = "python-docx"
    document = Document()
    styles_part = getattr(type(document.part), "_styles_part", None)
    assert isinstance(styles_part, property), broke(lib, "DocumentPart._styles_part", "it is not a property")
    assert hasattr(document.part._styles_part, "_element"), broke(
        lib, "XmlPart._element", "the styles part no longer keeps its root there")
    styles = parse_xml(f'<w:styles {W}><w:style w:type="paragraph" w:styleId="KHThu"/></w:styles>')
    internals.replace_styles(document, styles)
    assert document.styles.element is styles and b"KHThu" in document.part._styles_part.blob, broke(
        lib, "DocumentPart._styles_part._element", "replacing it no longer replaces the styles part")

    section = document.sections[0]
    assert isinstance(section, Section)
    sect = internals.section_properties(section)
    assert sect.tag == qn("w:sectPr"), broke(lib, "Section._sectPr", f"it is {sect.tag}, not w:sectPr")
    header = section.header
    header.is_linked_to_previous = False
    root = internals.header_element(header)
    assert root.tag == qn("w:hdr") and root is header.part.element, broke(
        lib, "a header's part", "header.part.element is not the w:hdr of the header's own part")


# --- docxtpl ---------------------------------------------------------------------------------------

DOCXTPL_METHODS = {
    "init_docx": ["self", "reload"],
    "render_init": ["self"],
    "patch_xml": ["self", "src_xml"],
    "render_xml_part": ["self", "src_xml", "part", "context", "jinja_env"],
    "render": ["self", "context", "jinja_env", "autoescape"],
    "render_properties": ["self", "context", "jinja_env"],
    "render_footnotes": ["self", "context", "jinja_env"],
    "get_undeclared_template_variables": ["self", "jinja_env", "context"],
    "get_xml": ["self"],
    "get_part_xml": ["self", "part"],
    "get_headers_footers": ["self", "uri"],
    "get_headers_footers_encoding": ["self", "xml"],
    "resolve_listing": ["self", "xml"],
    "fix_tables": ["self", "xml"],
    "fix_docpr_ids": ["self", "tree"],
    "map_tree": ["self", "tree"],
}


@pytest.mark.parametrize("name", sorted(DOCXTPL_METHODS))
def test_docxtpl_methods_we_override_or_call_keep_their_signature(name):
    require(DocxTemplate, name, "docxtpl", DOCXTPL_METHODS[name])


def test_docxtpl_constants_and_attributes():
    lib = "docxtpl"
    rels = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
    assert (DocxTemplate.HEADER_URI, DocxTemplate.FOOTER_URI) == (rels + "header", rels + "footer"), broke(
        lib, "DocxTemplate.HEADER_URI/FOOTER_URI", "they name other relationships")
    tpl = DocxTemplate(io.BytesIO(b""))
    assert tpl.docx is None and tpl.is_rendered is False, broke(
        lib, "DocxTemplate.__init__", "it no longer starts with docx = None and is_rendered = False")
    tpl.docx = Document()
    tpl.render_init()  # with a document already there, as CachedDocxTemplate's init_docx leaves it
    assert getattr(tpl, "docx_ids_index", None) == internals.DOCPR_FIRST_ID, broke(
        lib, "render_init's docx_ids_index", "wp:docPr ids no longer start after 1000")


def test_docxtpl_builds_its_document_only_through_init_docx_and_patches_only_through_patch_xml():
    lib = "docxtpl"
    calls = {"new": 0}
    data = DEFAULT_TEMPLATE.read_bytes()

    def new_document():
        calls["new"] += 1
        return Document(io.BytesIO(data))

    patched: dict[str, str] = {}
    tpl = internals.CachedDocxTemplate(b"not a zip: docxtpl must never open it", new_document=new_document,
                                       patched=patched, on_error=lambda exc, src: exc,
                                       make_environment=_Environment)
    from generator.document.context import build_context
    from generator.plan.loader import load_plan

    context = build_context(load_plan(ROOT / "data" / "ke-hoach-truyen-thong-kiem-soat-tthc-2024.yaml"))
    tpl.render(context, _Environment(), autoescape=True)
    assert calls["new"] == 1, broke(lib, "DocxTemplate.render", f"init_docx built {calls['new']} documents")
    assert len(patched) >= 2, broke(
        lib, "DocxTemplate.render", "the body and headers are no longer patched through self.patch_xml, so "
        "CachedDocxTemplate's cache of patched XML is bypassed")
    tpl.render(context, _Environment(), autoescape=True)
    assert calls["new"] == 2, broke(lib, "DocxTemplate.init_docx(reload)", "a second render reuses the document")


PATCHED = {
    # {%p %}: the paragraph holding the tag gives way to the tag.
    '<w:p><w:r><w:t xml:space="preserve">{%p if draft_mark %}</w:t></w:r></w:p><w:p><w:r><w:t>x</w:t></w:r></w:p>'
    '<w:p><w:r><w:t xml:space="preserve">{%p endif %}</w:t></w:r></w:p>':
    '{% if draft_mark %}<w:p><w:r><w:t xml:space="preserve">x</w:t></w:r></w:p>{% endif %}',
    # {{p }}: the whole paragraph is the value (tables and blocks from generator.word.tables).
    '<w:p><w:pPr><w:pStyle w:val="A"/></w:pPr><w:r><w:t xml:space="preserve">{{p b.xml }}</w:t></w:r></w:p>':
    '{{ b.xml }}',
    # {{r }}: the run is closed around the value (bold and italic runs of the context).
    '<w:p><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">{{r g }}</w:t></w:r></w:p>':
    '<w:p><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve"></w:t></w:r>{{ g }}'
    '<w:r><w:t xml:space="preserve"></w:t></w:r></w:p>',
    # A tag Word split across runs is joined.
    '<w:p><w:r><w:t>{{ signer.</w:t></w:r><w:r><w:rPr><w:i/></w:rPr><w:t>name }}</w:t></w:r></w:p>':
    '<w:p><w:r><w:t xml:space="preserve">{{ signer.name }}</w:t></w:r></w:p>',
    # {%tr %}: the row gives way to the tag.
    '<w:tbl><w:tr><w:tc><w:p><w:r><w:t>{%tr for r in rows %}</w:t></w:r></w:p></w:tc></w:tr><w:tr><w:tc><w:p>'
    '<w:r><w:t>{{ r }}</w:t></w:r></w:p></w:tc></w:tr><w:tr><w:tc><w:p><w:r><w:t>{%tr endfor %}</w:t></w:r>'
    '</w:p></w:tc></w:tr></w:tbl>':
    '<w:tbl>{% for r in rows %}<w:tr><w:tc><w:p><w:r><w:t xml:space="preserve">{{ r }}</w:t></w:r></w:p></w:tc>'
    '</w:tr>{% endfor %}</w:tbl>',
    # Word's smart quotes and escaped comparisons inside a tag read as Jinja.
    '<w:p><w:r><w:t>{%p if b.kind == “muc” and x &gt; 1 %}</w:t></w:r></w:p>':
    '{% if b.kind == "muc" and x > 1 %}',
}


@pytest.mark.parametrize("source", list(PATCHED))
def test_docxtpl_patch_xml_gives_the_xml_we_expect_for_our_tags(source):
    got = internals.patcher().patch_xml(source)
    assert got == PATCHED[source], broke(
        "docxtpl", "patch_xml", f"for {source!r} it now gives {got!r}, not {PATCHED[source]!r} (the compiled "
        "template, check-template and the default template's tags depend on it)")


CONTEXTS = [
    {"x": "chữ & <b>", "rows": ["a"], "draft_mark": "DỰ THẢO"},
    {"x": "Dòng một\tcó tab\nDòng hai\fsau ngắt trang\achữ", "rows": [], "draft_mark": ""},
    {"x": "{_{ không phải thẻ }_} {_% x %_}", "rows": ["1", "2"], "draft_mark": None},
]


@pytest.mark.parametrize("context", CONTEXTS)
def test_the_compiled_templates_render_part_is_docxtpls_render_xml_part(context):
    lib = "docxtpl"
    helper = DocxTemplate(str(DEFAULT_TEMPLATE))
    helper.init_docx()
    sources = [f'<w:body {W}><w:p><w:r><w:t xml:space="preserve">{{{{ x }}}}</w:t></w:r></w:p>'
               '{% for r in rows %}<w:p><w:r><w:t>{{ r }}</w:t></w:r></w:p>{% endfor %}</w:body>',
               internals.patcher().patch_xml(helper.get_xml())]
    from generator.document.context import build_context
    from generator.plan.loader import load_plan

    full = build_context(load_plan(ROOT / "data" / "ke-hoach-truyen-thong-kiem-soat-tthc-2024.yaml"))
    for i, src in enumerate(sources):
        ctx = context if i == 0 else {**full, "closing_inline": context["x"]}
        expected = helper.render_xml_part(src, helper.docx.part, ctx, _Environment())
        got = internals.render_part(helper, _Environment(), internals.jinja_source(src), ctx)
        assert got == expected, broke(lib, "render_xml_part", "its steps (paragraph lines, escaped braces, "
                                      "resolve_listing) differ from internals.render_part's copy")


def test_a_syntax_error_is_located_as_docxtpl_locates_it():
    helper = DocxTemplate(str(DEFAULT_TEMPLATE))
    helper.init_docx()
    src = f'<w:body {W}>' + "".join(f"<w:p><w:r><w:t>{i}</w:t></w:r></w:p>" for i in range(9)) + \
        "<w:p><w:r><w:t>{% if %}</w:t></w:r></w:p></w:body>"
    with pytest.raises(jinja2.TemplateSyntaxError) as theirs:
        helper.render_xml_part(src, helper.docx.part, {}, _Environment())
    with pytest.raises(jinja2.TemplateSyntaxError) as ours:
        internals.render_part(helper, _Environment(), internals.jinja_source(src), {})
    assert list(theirs.value.docx_context) == list(ours.value.docx_context), broke(
        "docxtpl", "render_xml_part's docx_context", "the lines it attaches to an error differ from ours")


def test_docxtpl_hands_jinja_the_source_alone_so_our_environment_caches_it():
    seen: list[tuple] = []

    class Recording(_Environment):
        def from_string(self, source, globals=None, template_class=None):
            seen.append((globals, template_class))
            return super().from_string(source, globals, template_class)

    helper = DocxTemplate(str(DEFAULT_TEMPLATE))
    helper.init_docx()
    helper.render_xml_part(f'<w:p {W}><w:r><w:t>{{{{ x }}}}</w:t></w:r></w:p>', helper.docx.part, {"x": 1},
                           Recording())
    assert seen == [(None, None)], broke(
        "docxtpl", "render_xml_part", f"it calls jinja_env.from_string with {seen}, so render._Environment's "
        "cache of compiled templates is bypassed")
    require(jinja2.Environment, "from_string", "jinja2", ["self", "source", "globals", "template_class"])


def test_docxtpl_renders_the_core_properties_we_copy_in_its_order():
    order: list[str] = []

    class Recording(SandboxedEnvironment):
        def from_string(self, source, globals=None, template_class=None):
            order.append(source)
            return super().from_string(source, globals, template_class)

    helper = DocxTemplate(str(DEFAULT_TEMPLATE))
    helper.init_docx()
    props = helper.docx.core_properties
    for name in ("author", "category", "comments", "content_status", "identifier", "keywords", "language",
                 "last_modified_by", "subject", "title", "version"):
        setattr(props, name, name)
    helper.render_properties({}, Recording())
    assert tuple(order) == internals.CORE_PROPERTIES, broke(
        "docxtpl", "render_properties", f"it renders {order}, not {list(internals.CORE_PROPERTIES)}")


def test_docxtpl_footnotes_docpr_ids_and_body_replacement_are_what_we_reproduce():
    lib = "docxtpl"
    source = inspect.getsource(DocxTemplate.render_footnotes)
    assert internals.FOOTNOTES in "".join(re.findall(r'"([^"]*)"', source)), broke(
        lib, "render_footnotes", "it renders other parts than footnotes (the compiled template leaves "
        "templates with footnotes to docxtpl and must know which)")

    tree = etree.fromstring(
        '<w:body xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing">'
        '<wp:docPr id="7"/><w:p><wp:docPr id="7"/></w:p></w:body>')
    theirs = etree.fromstring(etree.tostring(tree))
    helper = DocxTemplate(str(DEFAULT_TEMPLATE))
    helper.render_init()
    helper.fix_docpr_ids(theirs)
    internals.renumber_docpr(tree)
    assert etree.tostring(tree) == etree.tostring(theirs), broke(lib, "fix_docpr_ids", "ids are numbered otherwise")

    body = etree.fromstring(f'<w:body {W}><w:p><w:r><w:t>mới</w:t></w:r></w:p></w:body>')
    helper.map_tree(etree.fromstring(etree.tostring(body)))
    with zipfile.ZipFile(DEFAULT_TEMPLATE) as zf:
        shell = internals.document_shell(zf.read("word/document.xml"))
    ours = internals.with_body(shell, body)
    assert len(shell.body) == 0, "the shell is copied, never filled"
    assert internals.serialize_part(ours) == helper.docx.part.blob, broke(
        lib, "map_tree", "the body is no longer replaced in the document part's root")


def test_headers_and_footers_are_the_parts_docxtpl_renders():
    helper = DocxTemplate(str(DEFAULT_TEMPLATE))
    helper.init_docx()
    ours = [name for name, _, _ in internals.headers_footers(helper)]
    theirs = [part.partname.membername for uri in (helper.HEADER_URI, helper.FOOTER_URI)
              for _, part in helper.get_headers_footers(uri)]
    assert ours == theirs and ours, broke("docxtpl", "get_headers_footers", f"{theirs} != {ours}")


# --- the house rules -------------------------------------------------------------------------------

PRIVATE = re.compile(
    r"(?<!self)(?<!cls)\.(_element|_sectPr|_styles_part|_write_\w+|_part|_blob|_body|_p|_tbl|_tc|_r|_parent|_target)\b"
    r"|from docx\.opc\.(pkgwriter|pkgreader|package|oxml|phys_pkg|coreprops) import"
    r"|from docx\.(package|section) import")


def test_private_api_is_used_only_in_internals():
    found = []
    for path in sorted((ROOT / "generator").rglob("*.py")):
        if path.name == "internals.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            if PRIVATE.search(code) and not code.lstrip().startswith(('"', "'")):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, ("python-docx/docxtpl private API outside generator/word/internals.py (move it there, "
                       "with a check in tests/test_internals.py):\n" + "\n".join(found))


# The wings of the package, lowest first: a module imports only its own wing and the wings below it
# (docs/architecture.md). The base modules hold what every wing needs: the error family, text helpers,
# the budgets for untrusted input and Decree 30's fixed texts.
LAYERS = [
    {"errors", "text", "limits", "nd30", "resources"},
    {"word"},
    {"recognise"},
    {"plan"},
    {"document"},
    {"esign"},
    {"check"},
    {"jobs"},
    {"serve"},
    {"cli", "cli_docs", "__init__", "__main__"},
]


def _wing_rank(module: str) -> tuple[str, int]:
    parts = module.split(".")
    wing = parts[1] if len(parts) > 1 else "__init__"
    rank = next((n for n, wings in enumerate(LAYERS) if wing in wings), None)
    assert rank is not None, f"{module}: wing {wing!r} is not placed in LAYERS (tests/test_internals.py)"
    return wing, rank


def _is_module(name: str) -> bool:
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _imports(path: Path) -> Iterator[tuple[str, int]]:
    """(absolute generator module imported, line) for every import in a module, lazy ones included."""
    rel = path.relative_to(ROOT).with_suffix("").parts
    module = ".".join(rel[:-1] if rel[-1] == "__init__" else rel)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            # `from . import x` names a module when x is one, else an attribute of the package
            names = [target] if node.module else [
                f"{target}.{a.name}" if _is_module(f"{target}.{a.name}") else target for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        for name in names:
            if name.startswith("generator.") or name == "generator":
                yield name, node.lineno


def test_wings_import_only_downwards():
    upward = []
    for path in sorted((ROOT / "generator").rglob("*.py")):
        rel = path.relative_to(ROOT).with_suffix("").parts
        here, rank = _wing_rank(".".join(rel))
        for target, line in _imports(path):
            if target == "generator":
                continue
            there, target_rank = _wing_rank(target)
            if there != here and target_rank > rank:
                upward.append(f"{path.relative_to(ROOT)}:{line} ({here}) imports {target} ({there})")
    assert not upward, "an import goes up the wings (move the shared piece down):\n" + "\n".join(upward)
