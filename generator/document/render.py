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
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from docx import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.exceptions import PackageNotFoundError
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from ..errors import TemplateError, UserError
from ..plan.model import Plan
from ..resources import TEMPLATE as DEFAULT_TEMPLATE  # shipped in the package (generator/resources/)
from ..word import internals
from ..word.engine import CompiledTemplate, DocumentView
from ..word.formatting import Formatting
from ..word.notes import Note, note_slots, with_notes
from ..word.package import inspect_package, zip_members
from ..word.tables import A4_TEXT_WIDTHS, TABLE_STYLES, fill_table_slots, table_slots
from ..word.template_xml import XmlError, package_style_ids, restore as restore_template
from . import template_prebuilt
from .context import build_context, symbol
from .layout import finish_layout
from .seal import DRAFT_COMMENT, FINAL_COMMENT, seal
from .template_guard import GuardedOperators, runtime_error, template_budget
from .template_parts import table_styles

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

    def compile(self, source, name=None, filename=None, raw=False, defer_init=False):
        # The default template's parts come compiled beforehand (template_prebuilt): Jinja's lexing,
        # parsing and code writing skipped, about 12 ms of every cold render; Python compiles the
        # code as Jinja's compile does (_compile, under its "<template>" file name).
        if isinstance(source, str) and name is None and filename is None and not raw and not defer_init:
            code = template_prebuilt.code(source, self)
            if code is not None:
                return self._compile(code, "<template>")
        return super().compile(source, name, filename, raw, defer_init)

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
        except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, XmlError) as exc:
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
        self._compiled_template: CompiledTemplate | None = None
        self._joint_fields: set[str] | None = None

    def _joint_layout(self) -> set[str]:
        """The joint plan's fields this template prints (a user's template made before joint plans
        has none: it still renders plans with one issuer and one signer)."""
        if self._joint_fields is None:
            from .template_check import JOINT_FIELDS, joint_fields

            self._joint_fields = joint_fields(self.path) if self.user else set(JOINT_FIELDS)
        return self._joint_fields

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
        """A docxtpl template over this one: sandboxed, its parts and patched XML read once (the
        default template's patched beforehand, template_prebuilt), a run-time mistake in template
        code reported with the lines around it."""
        return internals.CachedDocxTemplate(
            self.data, new_document=self._new_document, patched=self._patched,
            prepared=lambda raw: template_prebuilt.patched(raw, self.env),
            on_error=lambda exc, src: runtime_error(exc, src, self.path), make_environment=_Environment)

    def docxtpl_helper(self) -> internals.CachedDocxTemplate:
        """The docxtpl template over a fresh document of this one, as CompiledTemplate reads its
        parts (template_prebuilt makes its file from these)."""
        helper = self._docxtpl()
        helper.docx = self._new_document()
        return helper

    def _compiled(self) -> CompiledTemplate | None:
        """The template prepared for rendering many times, or None when it has something the
        compiled path does not reproduce (footnotes, no core properties): the plain path then."""
        if self._compiled_template is None:
            self._compiled_template = CompiledTemplate(
                self.data, self._new_document, self._docxtpl, self.env,
                on_error=lambda exc, src: runtime_error(exc, src, self.path))
        return None if self._compiled_template.fallback else self._compiled_template

    def render(self, plan: Plan) -> bytes:
        """The finished document's bytes: same plan, same bytes."""
        # Tables go in after the layout pass (generator.word.tables); footnotes, with their part, in
        # the finished package (generator.word.notes).
        with table_slots() as slots, note_slots() as notes:
            return self._render(plan, slots, notes)

    def _render(self, plan: Plan, slots: list[str], notes: list[tuple[Note, list[str]]]) -> bytes:
        needed = [f for f, given in (("co_signers", plan.co_signers), ("agency.co_issuer_paragraphs",
                                                                        plan.agency.co_issuers)) if given]
        missing = [f for f in needed if f not in self._joint_layout()]
        if missing:
            from .template_check import joint_layout_missing

            raise TemplateError(joint_layout_missing(self.path, missing))
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
        except XmlError as exc:
            raise TemplateError(
                f"{self.path}: mẫu tạo ra XML hỏng ({exc}); kiểm tra các thẻ {{%tr %}}, {{%p %}} "
                "bằng 'kehoach check-template'"
            ) from None
        if compiled is not None:
            formatting = compiled.formatting

            def finish_document(document: DocumentView) -> None:
                finish_layout(document, formatting)
                _set_properties(document, plan)

            members = compiled.finish(rendered, finish_document, lambda xml: fill_table_slots(xml, slots))
            members = with_notes(members, notes)
            # Sealed (seal.seal): a later run can tell this file from one edited in Word since.
            return compiled.zip(seal(members, plan))
        assert tpl is not None and tpl.docx is not None
        document = tpl.docx
        if self._formatting is None:  # rendering never touches styles.xml: resolve it once
            self._formatting = Formatting.of(document)
        finish_layout(document, self._formatting)
        _set_properties(document, plan)
        # Sealed (seal.seal): a later run can tell this file from one edited in Word since.
        members = {name: fill_table_slots(blob, slots) for name, blob in internals.package_members(document).items()}
        return zip_members(seal(with_notes(members, notes), plan))


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
    except (zipfile.BadZipFile, XmlError):
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
