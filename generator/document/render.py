"""Rendering a plan through a docxtpl template into .docx bytes.

Safety first: a sandboxed Jinja environment (a user may supply the template), autoescape on (so
"&" and "<" in the data stay text), StrictUndefined (a misspelt variable is an error, not a blank).
Speed second: the template bytes are read once and the compiled Jinja template is memoised, since
docxtpl recompiles the whole document.xml on every render (python-docx-template issue #110).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import io
import os
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from docx import Document
from docx.opc.constants import CONTENT_TYPE as CT, RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml import parse_xml as docx_parse_xml
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree
from markupsafe import Markup, escape

from ..errors import TemplateError, UserError
from ..plan.model import Plan
from ..resources import TEMPLATE as DEFAULT_TEMPLATE  # shipped in the package (generator/resources/)
from ..word import internals
from ..word.formatting import Formatting
from ..word.package import inspect_package, zip_members
from ..word.tables import A4_TEXT_WIDTHS, TABLE_STYLES, fill_table_slots, table_slots
from .context import build_context, symbol
from .layout import finish_layout
from .seal import DRAFT_COMMENT, FINAL_COMMENT, seal
from .template_guard import GuardedOperators, runtime_error, template_budget
from .template_parts import package_style_ids, restore as restore_template, table_styles

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument


def _literal(value: Any) -> Any:
    """Escape a printed value so that nothing in the data is ever read as markup or as a tag.

    Why the braces: after Jinja has run, docxtpl turns "{_{", "}_}", "{_%" and "%_}" in the whole
    rendered XML into "{{", "}}", "{%", "%}" (its escape for literal tags), so data containing
    "{_{" would be changed. Braces written as character references survive that pass untouched and
    read back as "{" and "}". Values that already are markup (RichText, Listing) are left alone.
    """
    if hasattr(value, "__html__"):
        return value
    return Markup(str(escape(value)).replace("{", "&#123;").replace("}", "&#125;"))


class _Environment(GuardedOperators, SandboxedEnvironment):
    """Sandboxed, strict, escaping; compiles each distinct template source once."""

    def __init__(self) -> None:
        super().__init__(autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
                         finalize=_literal)

    @functools.lru_cache(maxsize=16)  # noqa: B019 - one environment per template, kept for its life
    def _compiled(self, source: str) -> jinja2.Template:
        return super().from_string(source)

    def from_string(self, source, globals=None, template_class=None):
        if globals is None and template_class is None and isinstance(source, str):
            return self._compiled(source)
        return super().from_string(source, globals, template_class)


class Template:
    """A docxtpl template read once and rendered many times."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path else DEFAULT_TEMPLATE
        try:
            self.data = self.path.read_bytes()
        except OSError as exc:
            raise UserError(f"{self.path}: không đọc được mẫu văn bản ({exc.strerror})") from None
        self.user = self.path.resolve() != DEFAULT_TEMPLATE.resolve()
        if self.user:  # zip bomb, DTD, .docm/.dotx: refused before python-docx reads a part
            inspect_package(self.data, str(self.path))
        self.data = restore_template(self.data)
        try:
            Document(io.BytesIO(self.data))
        except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, etree.LxmlError) as exc:
            # A renamed .doc, a broken zip, a package without a main document part.
            raise TemplateError(
                f"{self.path}: không đọc được mẫu: đây không phải tệp Word .docx hợp lệ ({exc})"
            ) from None
        if self.user:
            # A template from a user is checked as `kehoach check-template` would before it is
            # used: a split or unclosed tag would otherwise give a broken document or a crash.
            from .template_check import check_template

            problems = check_template(self.path)
            if problems:
                raise TemplateError(
                    f"{self.path}: mẫu có {len(problems)} lỗi, chưa tạo văn bản:\n"
                    + "\n".join(f"  {p}" for p in problems)
                )
        self.env = _Environment()
        self._reader: internals.PackageReader | None = None
        self._patched: dict[str, str] = {}
        self._formatting: Formatting | None = None
        self._widths: tuple[int, int] | None = None
        self._cell_styles = _cell_styles(self.data)
        self._compiled_template: _Compiled | None = None

    def _text_widths(self) -> tuple[int, int]:
        """Text-area widths (twips) of a portrait and a landscape page of this template, read from its
        first section so that a template with other margins gets tables that fit."""
        if self._widths is None:
            section = self._new_document().sections[0]
            w, h = section.page_width, section.page_height
            left, right = section.left_margin, section.right_margin
            if w is None or h is None or left is None or right is None:
                self._widths = A4_TEXT_WIDTHS  # a page the template does not size: A4's
            else:
                side = int(left.twips) + int(right.twips)
                short, long_ = sorted((int(w.twips), int(h.twips)))
                self._widths = (short - side, long_ - side)
        return self._widths

    def _new_document(self) -> DocxDocument:
        """A fresh python-docx Document from the template's parts (zip read once, parts reparsed)."""
        if self._reader is None:
            self._reader = internals.package_reader(self.data)
        part = internals.main_document_part(self._reader)
        if part.content_type != CT.WML_DOCUMENT_MAIN:
            raise UserError(f"{self.path}: không phải tệp Word (.docx)")
        return part.document

    def _docxtpl(self) -> internals.CachedDocxTemplate:
        """A docxtpl template over this one: sandboxed, its parts and patched XML read once, a
        run-time mistake in template code reported with the lines around it."""
        return internals.CachedDocxTemplate(
            self.data, new_document=self._new_document, patched=self._patched,
            on_error=lambda exc, src: runtime_error(exc, src, self.path), make_environment=_Environment)

    def _compiled(self) -> _Compiled | None:
        """The template prepared for rendering many times, or None when it has something the
        compiled path does not reproduce (footnotes, no core properties): the plain path then."""
        if self._compiled_template is None:
            self._compiled_template = _Compiled(self)
        return None if self._compiled_template.fallback else self._compiled_template

    def render(self, plan: Plan) -> bytes:
        """The finished document's bytes: same plan, same bytes."""
        with table_slots() as slots:  # tables go in after the layout pass (generator.word.tables)
            return self._render(plan, slots)

    def _render(self, plan: Plan, slots: list[str]) -> bytes:
        context = build_context(plan)
        _fit_tables(context, self._text_widths(), self._cell_styles)
        compiled = self._compiled()
        tpl = self._docxtpl() if compiled is None else None
        try:
            # A user's template runs in a time and memory budget; ours is trusted and may be large.
            with template_budget(self.path) if self.user else contextlib.nullcontext():
                if compiled is not None:
                    rendered = compiled.render(context)
                elif tpl is not None:
                    tpl.render(context, self.env, autoescape=True)
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(
                f"{self.path}: lỗi cú pháp trong mẫu: {exc.message}" + _excerpt(exc)
            ) from None
        except jinja2.exceptions.SecurityError as exc:
            raise TemplateError(
                f"{self.path}: mẫu truy cập vào phần bên trong của Python, điều này bị cấm vì lý do an "
                f"toàn; hãy chỉ dùng các biến dữ liệu ({exc})" + _excerpt(exc)
            ) from None
        except jinja2.UndefinedError as exc:
            raise TemplateError(
                f"{self.path}: mẫu dùng biến không có trong dữ liệu ({exc.message}); "
                "chạy 'kehoach check-template' để xem các biến có thể dùng" + _excerpt(exc)
            ) from None
        except jinja2.TemplateError as exc:
            raise TemplateError(f"{self.path}: lỗi trong mẫu: {exc}" + _excerpt(exc)) from None
        except etree.LxmlError as exc:
            raise TemplateError(
                f"{self.path}: mẫu tạo ra XML hỏng ({exc}); kiểm tra các thẻ {{%tr %}}, {{%p %}} "
                "bằng 'kehoach check-template'"
            ) from None
        if compiled is not None:
            return compiled.finish(rendered, plan, slots)
        assert tpl is not None and tpl.docx is not None
        document = tpl.docx
        if self._formatting is None:  # rendering never touches styles.xml: resolve it once
            self._formatting = Formatting.of(document)
        finish_layout(document, self._formatting)
        _set_properties(document, plan)
        # Sealed (seal.seal): a later run can tell this file from one edited in Word since.
        members = {name: fill_table_slots(blob, slots) for name, blob in internals.package_members(document).items()}
        return zip_members(seal(members, plan))


# --- the compiled template ----------------------------------------------------------------------

_TBL_RE = re.compile(r"<w:tbl>.*?</w:tbl>", re.DOTALL)
_TC_RE = re.compile(r"<w:tc[ >].*?</w:tc>", re.DOTALL)
_TAG_RE = re.compile(r"\{[{%#]")
_BLOCK_RE = re.compile(r"\{%-?\s*(\w+)")
_OPENERS = {"for": "endfor", "if": "endif"}


class _Part:
    """One templated XML part: the source docxtpl would hand to Jinja, compiled on first use."""

    def __init__(self, name: str, src: str, encoding: str = "utf-8") -> None:
        self.name = name
        self.src = src  # after docxtpl's patch_xml, what render_xml_part receives
        self.jinja_source = internals.jinja_source(src)
        self.encoding = encoding
        self.static = _TAG_RE.search(src) is None  # no Jinja at all: the same output every time
        self.cached: bytes | None = None


class _Compiled:
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

    def __init__(self, owner: Template) -> None:
        self.owner = owner
        self.fallback = False
        document = owner._new_document()
        package = document.part.package
        if any(part.content_type == internals.FOOTNOTES for part in package.parts):
            self.fallback = True  # docxtpl renders footnotes once per section: left to the plain path
            return
        try:
            core_part = package.part_related_by(RT.CORE_PROPERTIES)
        except KeyError:
            self.fallback = True  # python-docx would make one up (with the clock): plain path
            return
        helper = owner._docxtpl()
        helper.docx = document
        self.helper = helper
        self.formatting = Formatting.of(document)
        with zipfile.ZipFile(io.BytesIO(owner.data)) as zf:
            self.shell = internals.document_shell(zf.read(document.part.partname.membername))
        self.document_name = document.part.partname.membername
        self.body = _Part(self.document_name, helper.patch_xml(helper.get_xml()))
        self.fix_tables = not self._tables_are_static(helper.get_xml())
        self.parts: list[_Part] = []
        for name, xml, encoding in internals.headers_footers(helper):
            self.parts.append(_Part(name, helper.patch_xml(xml), encoding))
        self.core_name = core_part.partname.membername
        self.core_xml = core_part.blob
        dynamic = {self.document_name, self.core_name, *(p.name for p in self.parts)}
        self.static = {name: blob for name, blob in internals.package_members(document).items() if name not in dynamic}
        self._deflated: dict[str, tuple[bytes, int, bytes]] = {}

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

    def _render_part(self, part: _Part, context: dict[str, Any]) -> str:
        """docxtpl's render_xml_part for one part, from the compiled template."""
        owner = self.owner
        try:
            return internals.render_part(self.helper, owner.env, part.jinja_source, context)
        except Exception as exc:  # noqa: BLE001 - runtime_error re-raises what is not the template's
            raise runtime_error(exc, part.src, owner.path) from None

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
            env = self.owner.env
            # Jinja gives text without a tag back as it is, but for line endings it rewrites (\r)
            # or drops (a last \n, unless kept): only those are rendered, as docxtpl renders all.
            plain = not (_TAG_RE.search(initial) or "\r" in initial
                         or (initial.endswith("\n") and not env.keep_trailing_newline))
            # set even when plain: setting writes the element when the template has none
            setattr(props, prop, initial if plain else env.from_string(initial).render(context))
        return [tree, parts, core]

    def finish(self, rendered: list[Any], plan: Plan, slots: list[str]) -> bytes:
        """Layout, properties, tables put in place, seal and zip: the rest of Template.render."""
        tree, parts, core = rendered
        rendered.clear()
        root = internals.with_body(self.shell, tree)
        # No proxy of the body parsed without python-docx's element classes may outlive the move:
        # the layout pass must see CT_P & co., as it does after docxtpl's map_tree.
        del tree
        finish_layout(_Document(root, None), self.formatting)
        _set_properties(_Document(None, internals.core_properties(core)), plan)
        members = dict(self.static)
        members[self.document_name] = fill_table_slots(internals.serialize_part(root), slots)
        for name, value in parts.items():
            members[name] = value if isinstance(value, bytes) else fill_table_slots(internals.serialize_part(value),
                                                                                    slots)
        members[self.core_name] = internals.serialize_part(core)
        return self.zip(seal(members, plan))

    def zip(self, members: dict[str, bytes]) -> bytes:
        """zip_members(members), byte for byte, with the unchanged parts deflated once."""
        names = list(members)
        ordered = [n for n in _ZIP_FIRST if n in names] + sorted(n for n in names if n not in _ZIP_FIRST)
        if len(ordered) > 0xFFFF or sum(len(b) for b in members.values()) > 0x3FFFFFFF:
            return zip_members(members)  # zip64 territory: leave it to zipfile
        local: list[bytes] = []
        central: list[bytes] = []
        offset = 0
        for name in ordered:
            data = members[name]
            cached = self._deflated.get(name)
            if cached is not None and cached[0] is data:
                crc, comp = cached[1], cached[2]
            else:
                crc = zlib.crc32(data)
                deflate = zlib.compressobj(6, zlib.DEFLATED, -15)
                comp = deflate.compress(data) + deflate.flush()
                if self.static.get(name) is data or any(part.cached is data for part in self.parts):
                    self._deflated[name] = (data, crc, comp)  # the same bytes every time: deflated once
            try:
                fname, flags = name.encode("ascii"), 0
            except UnicodeEncodeError:
                fname, flags = name.encode("utf-8"), 0x800
            local.append(struct.pack("<4s2B4HL2L2H", b"PK\003\004", 20, 0, flags, 8, 0, _DOS_DATE, crc,
                                     len(comp), len(data), len(fname), 0))
            local.append(fname)
            local.append(comp)
            central.append(struct.pack("<4s4B4HL2L5H2L", b"PK\001\002", 20, 0, 20, 0, flags, 8, 0, _DOS_DATE,
                                       crc, len(comp), len(data), len(fname), 0, 0, 0, 0, 0o644 << 16, offset))
            central.append(fname)
            offset += 30 + len(fname) + len(comp)
        directory = b"".join(central)
        end = struct.pack("<4s4H2LH", b"PK\005\006", 0, 0, len(ordered), len(ordered), len(directory), offset, 0)
        return b"".join(local) + directory + end


_ZIP_FIRST = ("[Content_Types].xml", "_rels/.rels")
"""generator.word.package.zip_members's order: these first, then the rest by name."""
_DOS_DATE = (1980 - 1980) << 9 | 1 << 5 | 1  # FIXED_TIME, 1980-01-01 00:00:00, as zipfile packs it


class _Document:
    """What finish_layout and _set_properties use of a python-docx Document."""

    def __init__(self, element: Any, core_properties: Any) -> None:
        self.element = element
        self.core_properties = core_properties


def _table_blocks(context: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every table block of the context (body, appendix tables, tables in text appendices)."""
    blocks = [*context["body"]]
    for app in context["appendices"]:
        blocks += [app["table"], *app["body"]]
    for block in blocks:
        if block and block.get("kind") == "table":
            yield block


def _fit_tables(context: dict[str, Any], widths: tuple[int, int], styles: dict[str, str]) -> None:
    """Size every table to its page's text area (portrait for the body, the appendix's own
    orientation for an appendix) and give its cells the template's styles, as this template has them."""
    portrait, landscape = widths
    for block in _table_blocks(context):
        spec = block["xml"]
        spec.text_width = landscape if spec.landscape else portrait
        spec.styles = dict(styles)


def _cell_styles(data: bytes) -> dict[str, str]:
    """Role -> the template's ID of each table cell style, found by the style's name (LibreOffice
    rewrites IDs when it saves a template; names survive)."""
    try:
        return table_styles(package_style_ids(data))
    except (zipfile.BadZipFile, etree.LxmlError):
        return dict(TABLE_STYLES)  # an unreadable template is refused by the caller


def _excerpt(exc: Exception) -> str:
    """"\n  gần đoạn: …": the template text around the error (docxtpl attaches it, tags stripped)."""
    ctx = getattr(exc, "docx_context", None)
    if ctx is None:
        return ""
    # docxtpl stores a one-shot iterator; keep the lines so a second look still finds them.
    lines = list(ctx)
    exc.docx_context = lines  # type: ignore[attr-defined]
    text = " ".join(line.strip() for line in lines if line.strip())
    if not text:
        return ""
    return f"\n  gần đoạn: {text[:300]}"


def _set_properties(document: Any, plan: Plan) -> None:
    """Core properties from the data, never from the clock, so a re-render is byte-identical."""
    props = document.core_properties
    day = plan.date.day or 1
    when = dt.datetime(plan.date.year, plan.date.month or 1, day)
    props.title = f"{plan.type.value} {plan.subject_text}"[:255]
    props.subject = plan.subject_text[:255]
    props.author = plan.agency.full_name[:255]
    props.last_modified_by = plan.agency.full_name[:255]
    props.keywords = symbol(plan)[:255]
    props.comments = FINAL_COMMENT if plan.is_final else DRAFT_COMMENT
    props.category = plan.type.value
    props.created = when
    props.modified = when
    props.last_printed = when
    props.revision = 1


@functools.lru_cache(maxsize=4)
def _cached_template(path: str | None, _stamp: tuple[int, int] | None = None) -> Template:
    return Template(path)


def _stamp(path: str | Path | None) -> tuple[int, int] | None:
    """A template edited since it was cached must be read again (same path, new content)."""
    try:
        st = Path(path or DEFAULT_TEMPLATE).stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


def render_plan(plan: Plan, template: str | Path | None = None) -> bytes:
    """Render one plan with the default or a given template."""
    return _cached_template(str(template) if template else None, _stamp(template)).render(plan)


OUTPUT = "output"
DATA_FOLDER = "data"


def default_output_dir(data: str | Path) -> Path:
    """Where documents made from a data file go when no -o says otherwise: an output/ folder beside
    the data. When the data file sits in a folder named data/ (a project laid out as the README's
    quick start: data/ and output/ side by side), output/ is beside that folder; otherwise it is in
    the data file's own folder. So `kehoach render data/x.yaml` in the project writes output/x.docx,
    and `kehoach render ~/ke-hoach/x.yaml` writes ~/ke-hoach/output/x.docx from wherever it is run.

    Decided on the real folder (a link or ".." in the path changes nothing); given back relative
    to the current folder when it is inside it, so messages show the short path a user typed.
    """
    folder = Path(os.path.abspath(data)).parent.resolve()
    target = (folder.parent if folder.name.lower() == DATA_FOLDER else folder) / OUTPUT
    here = Path.cwd().resolve()
    return Path(os.path.relpath(target, here)) if target.is_relative_to(here) else target


def output_path(data: str | Path, out: str | Path | None, output_dir: str | Path | None = None) -> Path:
    """Where a rendered document goes: out as given, inside out when it is a folder, else in
    output_dir (default: default_output_dir(data), output/ beside the data).

    A name derived from the data file always lands inside the chosen folder (see contained).
    """
    name = Path(data).with_suffix(".docx").name if Path(data).name not in ("", ".", "..") else ""
    if out is None:
        return contained(default_output_dir(data) if output_dir is None else output_dir, name)
    into_folder = str(out).endswith(("/", "\\"))  # before Path() drops the trailing slash
    out = Path(out)
    if into_folder or out.is_dir():
        return contained(out, name)
    if out.suffix.lower() != ".docx":
        raise UserError(f"{out}: tệp kết quả phải có đuôi .docx")
    if out.resolve() == Path(data).resolve():
        raise UserError(f"{out}: không ghi đè lên tệp dữ liệu")
    return out


def resolved_path(path: Path, parent_resolved: Path) -> Path:
    """path.resolve(), for a path whose parent is known to resolve to parent_resolved: a name with
    nothing behind it (not even a dangling link) resolves to itself under its parent, without the
    look-up of every component of the path that resolve() makes."""
    return path.resolve() if os.path.lexists(path) else parent_resolved / path.name


WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)),
                     *(f"lpt{i}" for i in range(1, 10))}


def contained(directory: str | Path, name: str, root: Path | None = None) -> Path:
    """directory/name, refusing any name that would put the file somewhere else.

    Why: file names can come from data (a data file's name, a unit's name in batch output); "..",
    an absolute path, a separator, a NUL or a Windows device name must never write outside the
    folder the user chose, nor fail halfway through a batch with an OS error.
    root: directory.resolve(), when the caller has it (a batch asks for thousands of names).
    """
    bad = (
        not name
        or name in (".", "..")
        or "/" in name or "\\" in name or "\x00" in name or ":" in name
        or Path(name).is_absolute()
        or name.split(".")[0].lower() in WINDOWS_RESERVED
        or len(name.encode("utf-8")) > 255
    )
    directory = Path(directory)
    target = directory / name
    if not bad:
        root = directory.resolve() if root is None else root
        bad = resolved_path(target, root).parent != root
    if bad:
        raise UserError(f"{name!r}: tên tệp kết quả không hợp lệ, nằm ngoài thư mục {directory}; "
                        "hãy đổi tên tệp dữ liệu hoặc dùng -o TÊN.docx")
    return target
