"""Rendering a plan through a docxtpl template into .docx bytes.

Safety first: a sandboxed Jinja environment (a user may supply the template), autoescape on (so
"&" and "<" in the data stay text), StrictUndefined (a misspelt variable is an error, not a blank).
Speed second: the template bytes are read once and the compiled Jinja template is memoised, since
docxtpl recompiles the whole document.xml on every render (docxtpl-pitfalls.md §1.16).
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from pathlib import Path
from typing import Any

import jinja2
from docxtpl import DocxTemplate
from jinja2.sandbox import SandboxedEnvironment

from .context import build_context, symbol
from .errors import TemplateError, UserError
from .layout import finish_layout
from .model import Plan
from .package import deterministic_zip

DEFAULT_TEMPLATE = Path(__file__).resolve().parent.parent / "templates" / "kehoach.docx"


class _Environment(SandboxedEnvironment):
    """Sandboxed, strict, escaping; compiles each distinct template source once."""

    def __init__(self) -> None:
        super().__init__(autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)

    @functools.lru_cache(maxsize=16)  # noqa: B019 - one environment per template, kept for its life
    def _compiled(self, source: str) -> jinja2.Template:
        return super().from_string(source)

    def from_string(self, source, globals=None, template_class=None):  # type: ignore[override]
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
        self.env = _Environment()

    def render(self, plan: Plan, *, extra: dict[str, Any] | None = None) -> bytes:
        """The finished document's bytes: same plan, same bytes."""
        context = build_context(plan)
        if extra:
            context.update(extra)
        tpl = DocxTemplate(io.BytesIO(self.data))
        try:
            tpl.render(context, self.env, autoescape=True)
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(
                f"{self.path}: lỗi cú pháp trong mẫu: {exc.message}"
                + (f"\n  gần đoạn: {_excerpt(exc)}" if _excerpt(exc) else "")
            ) from None
        except jinja2.exceptions.SecurityError as exc:
            raise TemplateError(f"{self.path}: mẫu dùng thao tác không được phép ({exc})") from None
        except jinja2.UndefinedError as exc:
            raise TemplateError(f"{self.path}: mẫu dùng biến không có trong dữ liệu ({exc.message})") from None
        except jinja2.TemplateError as exc:
            raise TemplateError(f"{self.path}: lỗi trong mẫu: {exc}") from None
        document = tpl.docx
        finish_layout(document)
        _set_properties(document, plan)
        buf = io.BytesIO()
        document.save(buf)
        return deterministic_zip(buf.getvalue())


def _excerpt(exc: Exception) -> str:
    ctx = getattr(exc, "docx_context", None)
    if not ctx:
        return ""
    return " ".join(line.strip() for line in ctx if line.strip())[:300]


def _set_properties(document: Any, plan: Plan) -> None:
    """Core properties from the data, never from the clock, so a re-render is byte-identical."""
    props = document.core_properties
    day = plan.date.day or 1
    when = dt.datetime(plan.date.year, plan.date.month, day)
    props.title = f"{plan.type.value} {plan.subject}"[:255]
    props.subject = plan.subject[:255]
    props.author = plan.agency.name
    props.last_modified_by = plan.agency.name
    props.keywords = symbol(plan)
    props.comments = "Dự thảo" if not plan.is_final else "Bản phát hành"
    props.category = plan.type.value
    props.created = when
    props.modified = when
    props.last_printed = when
    props.revision = 1


@functools.lru_cache(maxsize=4)
def _cached_template(path: str | None) -> Template:
    return Template(path)


def render_plan(plan: Plan, template: str | Path | None = None) -> bytes:
    """Render one plan with the default or a given template."""
    return _cached_template(str(template) if template else None).render(plan)


def render_file(data: str | Path, out: str | Path | None = None, *,
                template: str | Path | None = None, output_dir: str | Path = "output") -> Path:
    """Render a plan file to a .docx: the library call behind `kehoach render`.

    out may be a file or an existing directory; by default the document goes to output_dir under
    the data file's name. Nothing is written when the data or the template has a mistake.
    """
    from .loader import load_plan
    from .package import atomic_write

    plan = load_plan(data)
    target = output_path(data, out, output_dir)
    return atomic_write(target, render_plan(plan, template))


def output_path(data: str | Path, out: str | Path | None, output_dir: str | Path = "output") -> Path:
    """Where a rendered document goes: out as given, inside out when it is a folder, else output_dir."""
    name = Path(data).with_suffix(".docx").name
    if out is None:
        return Path(output_dir) / name
    into_folder = str(out).endswith(("/", "\\"))  # before Path() drops the trailing slash
    out = Path(out)
    if into_folder or out.is_dir():
        return out / name
    if out.suffix.lower() != ".docx":
        raise UserError(f"{out}: tệp kết quả phải có đuôi .docx")
    if out.resolve() == Path(data).resolve():
        raise UserError(f"{out}: không ghi đè lên tệp dữ liệu")
    return out
