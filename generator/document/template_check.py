"""Checking a docxtpl template before anything is rendered with it (`kehoach check-template`).

Finds what makes a template a user edited in Word fail or print the wrong thing:
- tags Word split across runs ("{" and "{" in different runs, "{%" apart from "p"): spell-check,
  formatting or revision marks slipped in while typing; fragile even where docxtpl copes;
- tags left open or closed twice in a paragraph, and blocks (for/if) that do not close;
- variables the data model does not have: the template is compared with the keys of
  generator.document.context.build_context(sample plan), following loops (`b.text` inside
  `for b in body`), so a misspelt field is found without rendering.
- anything the sandbox would refuse (names starting with "_");
- what the renderer relies on beyond the tags, checked on the template as the renderer will see it
  (after generator.word.template_xml.restore): the "KH …" styles found by name (the rule lines, the
  Tiêu ngữ, the table cells), the PAGE field in the headers, a section break before the appendices
  and, inside their loop, a landscape and a portrait section that restart page numbering; and the
  tags of every element of the plan (a template without `{{ signer.name }}` prints no signer).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes

from .. import resources
from ..errors import TemplateError
from ..word import internals

_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_STRAY = re.compile(r"\{\{|\{%|\{#|\}\}|%\}|#\}")
_PART = re.compile(r"^word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml$")
SAMPLE_DATA = resources.SAMPLE  # shipped in the package: check-template works wherever kehoach is installed
STRUCTURES_DATA = resources.STRUCTURES
"""A plan that uses every structure of the data format: with the sample, it shows every field a
template may use (a body table's `xml`, a text appendix's `body`…)."""
_JINJA_GLOBALS = {"range", "dict", "lipsum", "cycler", "joiner", "namespace", "loop"}


@dataclass(frozen=True)
class TemplateProblem:
    """One mistake in a template: the part (body, header…), the text around it, what is wrong."""

    part: str
    excerpt: str
    message: str

    def __str__(self) -> str:
        return f"{self.part}: {self.message}" + (f"\n  gần đoạn: {self.excerpt}" if self.excerpt else "")


def check_template(path: str | Path, sample: Any = None) -> list[TemplateProblem]:
    """Every problem found in the template at path; an empty list when it is fit to render.

    sample: a Plan whose context gives the variables the template may use (default: the sample
    plan shipped in the package, generator/resources/).
    """
    problems, used, parsed_all = _scan(path, sample)
    if parsed_all:  # a syntax error hides the rest of its part: missing tags would be guesses
        problems += _missing_fields(used)
    return problems


JOINT_FIELDS = {"co_signers": "người ký của cơ quan cùng ban hành (co_signers)",
                "agency.co_issuer_paragraphs": "tên cơ quan cùng ban hành (agency.co_issuers)"}
"""What a template prints a joint plan's other agencies by (văn bản liên tịch). Not required of every
template: one made before joint plans still renders a plan with one issuer and one signer."""


def joint_fields(path: str | Path) -> set[str]:
    """The joint layout's fields the template prints (JOINT_FIELDS)."""
    _, used, _ = _scan(path, None)
    return {f for f in JOINT_FIELDS if any(u == f or u.startswith((f"{f}.", f"{f}[]")) for u in used)}


def joint_layout_missing(path: str | Path, missing: list[str]) -> str:
    """The message for a joint plan given a template without (part of) the joint layout."""
    what = ", ".join(JOINT_FIELDS[f] for f in missing)
    return (f"{path}: mẫu này chưa có bố cục văn bản liên tịch, không in được {what}: văn bản tạo ra sẽ thiếu "
            "cơ quan, chữ ký của văn bản liên tịch. Lấy mẫu mới bằng 'kehoach template' (tên các cơ quan ở phần "
            "đầu, các chữ ký cạnh nhau, Nơi nhận ở dưới) rồi sửa lại định dạng trên mẫu ấy, hoặc bỏ co_signers, "
            "agency.co_issuers nếu văn bản do một cơ quan ban hành")


def _scan(path: str | Path, sample: Any) -> tuple[list[TemplateProblem], set[str], bool]:
    """The template's problems, the context fields it reads, and whether every part parsed."""
    from ..word.package import inspect_package
    from ..word.template_xml import XmlSyntaxError, parse_part, part_text

    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TemplateError(f"{path}: không đọc được mẫu ({exc.strerror})") from None
    # Zip bombs, DTDs (entities), .docm/.dotx, broken theme: refused before any part is parsed.
    package = inspect_package(data, str(path))
    from ..word.template_xml import restore

    data = restore(data)  # judged as the renderer will use it: what LibreOffice moved is put back
    archive = zipfile.ZipFile(io.BytesIO(data))
    parts = sorted(n for n in archive.namelist() if _PART.match(n))
    if "word/document.xml" not in parts:
        raise TemplateError(f"{path}: không phải tệp Word .docx (thiếu word/document.xml)")


    problems: list[TemplateProblem] = _package_problems(package)
    sources: list[tuple[str, str]] = []
    patcher = internals.patcher()
    for name in parts:
        label = _label(name)
        try:
            root = parse_part(archive.read(name))
        except XmlSyntaxError as exc:
            problems.append(TemplateProblem(label, "", f"XML hỏng ({exc})"))
            continue
        problems += _run_problems(root, label)
        xml = part_text(root)
        sources.append((label, patcher.patch_xml(xml)))

    problems += _layout_problems(archive)
    env = _environment()
    shape = _context_shape(sample)
    used: set[str] = set()
    parsed_all = True
    for label, src in sources:
        src = internals.jinja_source(src)  # as docxtpl hands it to Jinja: one paragraph per line
        try:
            tree = env.parse(src)
        except jinja2.TemplateSyntaxError as exc:
            problems.append(TemplateProblem(label, _line_text(src, exc.lineno),
                                            f"lỗi cú pháp thẻ: {exc.message}"))
            parsed_all = False
            continue
        walker = _Variables(shape)
        for lineno, message in walker.check(tree):
            problems.append(TemplateProblem(label, _line_text(src, lineno), message))
        used |= walker.used
    return problems, used, parsed_all


# --- what the renderer relies on besides the tags ----------------------------------------------

_HOW_TO_GET_IT_BACK = "hoặc lấy lại mẫu gốc bằng 'kehoach template' rồi sửa lại từ đó"
_STYLE_USE = {
    "KH Đường kẻ": "đường kẻ dưới Tiêu ngữ, dưới tên cơ quan và dưới trích yếu",
    "KH Tiêu ngữ": "Tiêu ngữ (đường kẻ dưới Tiêu ngữ dài bằng dòng chữ)",
    "KH Bảng tiêu đề": "hàng tiêu đề của bảng",
    "KH Bảng nhóm": "hàng nhóm (I, II, …) của bảng",
    "KH Bảng số thứ tự": "cột số thứ tự của bảng",
    "KH Bảng": "chữ trong ô bảng",
}


def _layout_problems(archive: zipfile.ZipFile) -> list[TemplateProblem]:
    """Styles, page numbers and sections: what makes a template print a wrong document though
    every tag in it is right."""
    from ..word.template_xml import StyleIds, XmlSyntaxError, document_body, header_targets, parse_part

    def parse(name: str) -> Any:
        try:
            return parse_part(archive.read(name))
        except (KeyError, XmlSyntaxError):
            return None  # a broken part is reported with the tags; a missing one is allowed

    doc = parse("word/document.xml")
    body = document_body(doc) if doc is not None else None
    if body is None:
        return []
    ids = StyleIds(parse("word/styles.xml"))
    headers = {rid: (name, parse(name)) for rid, name in header_targets(parse("word/_rels/document.xml.rels")).items()}
    out = _style_problems(ids, doc, [root for _, root in headers.values() if root is not None])
    out += _page_number_problems(body, headers)
    out += _section_problems(body)
    return out


def _style_problems(ids: Any, doc: Any, header_roots: list[Any]) -> list[TemplateProblem]:
    from ..word.template_xml import style_references
    from .template_parts import REQUIRED, RULE

    out = []
    for style in REQUIRED:
        if ids.find(style) is None:
            out.append(TemplateProblem("kiểu định dạng", "", (
                f"mẫu không có kiểu '{style.name}' ({_STYLE_USE[style.name]}), văn bản tạo ra sẽ sai "
                f"định dạng; hãy tạo lại kiểu đoạn văn đúng tên '{style.name}' (Word: Home → Styles → "
                f"Create a Style; LibreOffice: Styles → New Style) {_HOW_TO_GET_IT_BACK}")))
    rule = ids.find(RULE)
    if rule is not None:
        if not ids.has_border(rule):
            out.append(TemplateProblem("kiểu định dạng", "", (
                f"kiểu '{RULE.name}' không còn đường viền: văn bản sẽ không có đường kẻ dưới Tiêu ngữ, "
                "tên cơ quan và trích yếu; hãy sửa kiểu, thêm viền trên (Word: Modify → Format → "
                "Border; LibreOffice: Edit Style → Borders)")))
        if rule not in style_references(doc):
            out.append(TemplateProblem("thân văn bản", "", (
                f"không đoạn nào dùng kiểu '{RULE.name}': văn bản sẽ thiếu đường kẻ dưới Tiêu ngữ, "
                "tên cơ quan và trích yếu; hãy thêm một đoạn trống kiểu này ngay dưới mỗi phần đó")))
    missing: dict[str, None] = {}
    for root in (doc, *header_roots):
        for sid in style_references(root):
            if sid not in ids.ids:
                missing.setdefault(sid)
    for sid in missing:
        out.append(TemplateProblem("kiểu định dạng", "", (
            f"có đoạn dùng kiểu mã '{sid}' mà mẫu không còn (kiểu đã bị xóa): Word và LibreOffice sẽ in "
            f"các đoạn đó bằng kiểu Normal; hãy chọn lại kiểu cho các đoạn đó {_HOW_TO_GET_IT_BACK}")))
    return out


_INSERT_PAGE = ("hãy nhấp đúp vào lề trên để mở đầu trang rồi chèn số trang ở giữa (Word: Insert → Page "
                "Number → Top of Page → Plain Number 2; LibreOffice: Insert → Field → Page Number)")


def _page_number_problems(body: Any, headers: dict[str, tuple[str, Any]]) -> list[TemplateProblem]:
    from ..word.template_xml import has_page_field, sections

    found = sections(body, {rid: name for rid, (name, _) in headers.items()})
    if not found:
        return []
    numbered = {name for name, root in headers.values() if root is not None and has_page_field(root)}
    first = found[0]
    out = []
    if not numbered:
        return [TemplateProblem("đầu trang", "", (
            "mẫu không có trường số trang (PAGE) trong đầu trang: văn bản nhiều trang sẽ không được "
            f"đánh số trang (Nghị định 30: số trang ở giữa, phía trên); {_INSERT_PAGE}"))]
    if first.default_header not in numbered:
        out.append(TemplateProblem("đầu trang", "", (
            "đầu trang của thân văn bản không có trường số trang (PAGE): từ trang 2 sẽ không có số "
            f"trang; {_INSERT_PAGE}")))
    if not first.title_pg or (first.first_header in numbered):
        out.append(TemplateProblem("đầu trang", "", (
            "trang 1 sẽ có số trang (Nghị định 30: không đánh số trang 1); hãy mở đầu trang, chọn "
            "Different First Page (LibreOffice: Format → Title Page, hoặc bỏ chọn Same content on "
            "first page) và để trống đầu trang của trang đầu")))
    return out


_STMT = re.compile(r"\{%p\s*(for|if|elif|else|endif|endfor)\b(.*?)%\}", re.DOTALL)


def _section_problems(body: Any) -> list[TemplateProblem]:
    """Where the section breaks sit among the {%p …%} tags of the body: one before the appendix
    loop, and inside it breaks that give a landscape appendix a landscape page, a portrait one a
    portrait page, each starting its page numbers at 1."""
    from ..word.template_xml import body_paragraphs, is_landscape, restarts_numbering

    stack: list[tuple[str, Any]] = []  # ("for", loop variable or None) / ("if", landscape? or None)
    loop_var: str | None = None
    seen_loop = main_break = False
    breaks: dict[bool, list[Any]] = {True: [], False: []}
    for text, sect in body_paragraphs(body):
        for m in _STMT.finditer(text):
            word, rest = m.group(1), m.group(2)
            if word == "for":
                hit = re.match(r"\s*(\w+)\s+in\s+appendices\b", rest)
                stack.append(("for", hit.group(1) if hit else None))
                if hit:
                    seen_loop, loop_var = True, hit.group(1)
            elif word == "if":
                stack.append(("if", _landscape_test(rest, loop_var)))
            elif word in ("elif", "else") and stack and stack[-1][0] == "if":
                value = stack[-1][1]
                stack[-1] = ("if", None if word == "elif" or value is None else not value)
            elif word in ("endif", "endfor") and stack:
                stack.pop()
        if sect is None:
            continue
        in_loop = any(kind == "for" and value for kind, value in stack)
        if not in_loop:
            main_break = main_break or not seen_loop
            continue
        branch = next((value for kind, value in reversed(stack) if kind == "if" and value is not None), None)
        for case in (True, False):
            if branch is None or branch == case:
                breaks[case].append(sect)
    if not seen_loop:
        return []  # reported with the tags: the template prints no appendix at all
    where = "thân văn bản"
    out = []
    if not main_break:
        out.append(TemplateProblem(where, "{%p for a in appendices %}", (
            "không có dấu ngắt phần (section break) giữa phần ký và vòng lặp phụ lục: phụ lục sẽ không "
            "sang trang mới, không đánh lại số trang, không in khổ ngang; hãy đặt con trỏ vào đoạn "
            "trống ngay trước thẻ {%p for a in appendices %} và chọn Layout → Breaks → Next Page "
            "(LibreOffice: Insert → More Breaks → Manual Break → Page Break, chọn một Page Style)")))
    for case, kind, page in ((True, "khổ ngang (landscape: true)", "ngang"),
                             (False, "khổ dọc", "dọc")):
        found = breaks[case]
        if not found:
            out.append(TemplateProblem(where, "{%p for a in appendices %}", (
                f"trong vòng lặp phụ lục không có dấu ngắt phần nào cho phụ lục {kind}: mọi phụ lục "
                "sẽ chung một phần, không đánh số trang riêng; mỗi phụ lục phải kết thúc bằng một đoạn "
                "trống mang dấu ngắt phần (Next Page), như mẫu gốc")))
            continue
        if any(is_landscape(sect) != case for sect in found):
            out.append(TemplateProblem(where, "{%p if a.landscape %}", (
                f"phụ lục {kind} sẽ không in trên trang {page}: phần (section) của nó trong vòng lặp "
                f"phụ lục phải đặt hướng trang {page} (Layout → Orientation; LibreOffice: Format → "
                "Page Style → Page → Orientation), trong nhánh {%p if a.landscape %} là ngang, "
                "nhánh {%p else %} là dọc")))
        if not restarts_numbering(found[0]):
            out.append(TemplateProblem(where, "{%p for a in appendices %}", (
                f"phụ lục {kind} không đánh lại số trang từ 1 (Nghị định 30: số trang phụ lục đánh "
                "riêng); trong phần của phụ lục chọn Insert → Page Number → Format Page Numbers → "
                "Start at 1 (LibreOffice: Format → Title Page → Reset page numbering)")))
    return out


def _landscape_test(condition: str, var: str | None) -> bool | None:
    """True for `a.landscape`, False for `not a.landscape`; None for any other test."""
    if not var:
        return None
    cond = " ".join(condition.split())
    if re.fullmatch(rf"{re.escape(var)}\.landscape", cond):
        return True
    if re.fullmatch(rf"not {re.escape(var)}\.landscape", cond):
        return False
    return None


REQUIRED_FIELDS: list[tuple[str, tuple[str, ...]]] = [
    ("dấu DỰ THẢO", ("draft_mark",)),
    ("tên cơ quan chủ quản", ("agency.parent_paragraphs", "agency.parent_lines", "agency.parent")),
    ("tên cơ quan ban hành", ("agency.name_paragraphs", "agency.name_lines", "agency.name")),
    ("số, ký hiệu", ("number_line",)),
    ("địa danh, ngày tháng", ("date_line",)),
    ("tên loại văn bản", ("doc_type",)),
    ("trích yếu", ("subject_paragraphs", "subject_lines", "subject")),
    ("dòng dưới trích yếu", ("subtitle_inline", "subtitle")),
    ("căn cứ", ("grounds_inline", "grounds")),
    ("đoạn mở đầu", ("opening_inline", "opening")),
    ("nội dung", ("body[].inline", "body[].text")),
    ("bảng trong nội dung", ("body[].xml",)),
    ("đoạn kết", ("closing_inline", "closing")),
    ("nơi nhận", ("recipients",)),
    ("thẩm quyền ký", ("signer.lines",)),
    ("họ tên người ký", ("signer.name",)),
    ("phụ lục", ("appendices",)),
    ("tên phụ lục", ("appendices[].title",)),
    ("bảng của phụ lục", ("appendices[].table",)),
    ("nội dung phụ lục dạng văn bản", ("appendices[].body",)),
]
"""Every element of a plan that the data may hold, with the fields a template may print it by: a
template that uses none of them leaves that element out of the document without a word."""


def _missing_fields(used: set[str]) -> list[TemplateProblem]:
    def uses(path: str) -> bool:
        return any(u == path or u.startswith((f"{path}.", f"{path}[]")) for u in used)

    out = []
    for label, paths in REQUIRED_FIELDS:
        if not any(uses(p) for p in paths):
            tag = "{{ " + paths[0].replace("[]", "") + " }}"
            out.append(TemplateProblem("thẻ", "", (
                f"mẫu không dùng {tag}: {label} có trong dữ liệu sẽ không có trong văn bản; hãy "
                f"chép đoạn chứa thẻ đó từ mẫu gốc ('kehoach template')")))
    return out


def _package_problems(package: Any) -> list[TemplateProblem]:
    """What a template must not carry into every document made from it."""
    out = []
    if package.macros:
        out.append(TemplateProblem("tệp mẫu", "", (
            "mẫu chứa macro (vbaProject.bin), sẽ bị chép vào mọi văn bản tạo ra; hãy lưu lại mẫu "
            "bằng Word kiểu “Word Document (*.docx)” để bỏ macro")))
    for target in package.external:
        out.append(TemplateProblem("tệp mẫu", target, (
            "mẫu có liên kết ra ngoài mà Word tự mở khi mở văn bản (ảnh, khung, mẫu đính kèm từ "
            "mạng hoặc từ ổ đĩa khác: có thể theo dõi người đọc hoặc lộ mật khẩu Windows), sẽ bị "
            "chép vào mọi văn bản; hãy xóa hoặc chèn trực tiếp vào mẫu (Insert → Picture → "
            "This Device)")))
    return out


def _environment() -> jinja2.Environment:
    from jinja2.sandbox import SandboxedEnvironment

    return SandboxedEnvironment(autoescape=True, undefined=jinja2.StrictUndefined)


def _label(name: str) -> str:
    stem = name.removeprefix("word/").removesuffix(".xml")
    return {"document": "thân văn bản"}.get(stem, stem)


def _strip(xml: str) -> str:
    return re.sub(r"<[^>]+>", "", xml).strip()


def _line_text(src: str, lineno: int | None, limit: int = 300) -> str:
    """The paragraph at lineno with the non-empty paragraphs around it, so a user can find it."""
    if not lineno:
        return ""
    lines = src.splitlines()
    if not 0 < lineno <= len(lines):
        return ""
    around = [_strip(line) for line in lines[max(lineno - 3, 0):lineno + 2]]
    return " … ".join(t for t in around if t.strip())[:limit]


def _run_problems(root: Any, label: str) -> list[TemplateProblem]:
    """Split and unbalanced tags, paragraph by paragraph, on the text as Word stores it."""
    from ..word.template_xml import paragraph_pieces

    out: list[TemplateProblem] = []
    for pieces in paragraph_pieces(root):  # (index of the w:t it came from, character)
        text = "".join(c for _, c in pieces)
        if "{" not in text and "}" not in text:
            continue
        excerpt = text.strip()[:200]
        covered = [False] * len(text)
        for m in _TAG.finditer(text):
            for k in range(m.start(), m.end()):
                covered[k] = True
            tag = m.group(0)
            if len({pieces[k][0] for k in range(m.start(), m.end())}) > 1:
                out.append(TemplateProblem(label, excerpt, (
                    f"thẻ {tag!r} bị Word tách thành nhiều đoạn định dạng (run); hãy xóa thẻ, gõ lại "
                    "liền một lần rồi chọn thẻ và bấm Clear Formatting (xóa định dạng)")))
            elif re.match(r"\{%\s+(p|tr|tc|r)\s", tag):
                out.append(TemplateProblem(label, excerpt, (
                    f"thẻ {tag!r}: chữ '{tag.split()[1]}' phải viết liền sau '{{%', ví dụ "
                    f"'{{%{tag.split()[1]} …'")))
        blocks = [m.group(0) for m in _TAG.finditer(text) if re.match(r"\{%(p|tr|tc)\s", m.group(0))]
        if blocks:
            rest = _TAG.sub("", text).strip()
            if len(blocks) > 1 or rest:
                out.append(TemplateProblem(label, excerpt, (
                    f"đoạn có thẻ {blocks[0]!r} bị xóa cả đoạn khi tạo văn bản: thẻ này phải đứng một "
                    "mình trong đoạn (hàng, ô), không kèm chữ hay thẻ {%p/{%tr khác")))
        for m in _STRAY.finditer(text):
            if not covered[m.start()]:
                out.append(TemplateProblem(label, excerpt, (
                    f"'{m.group(0)}' không có phần đóng/mở tương ứng trong cùng đoạn; mỗi thẻ "
                    "{{ … }} hoặc {% … %} phải nằm gọn trong một đoạn văn")))
                break
        for m in re.finditer(r"\{\s+\{|\{\s+%|\}\s+\}|%\s+\}", text):
            if not covered[m.start()]:
                out.append(TemplateProblem(label, excerpt, (
                    f"'{m.group(0)}' có dấu cách giữa hai ký tự của thẻ; hãy viết liền '{{{{', '{{%', "
                    "'}}', '%}'")))
                break
    return out


# --- variables -------------------------------------------------------------------------------

_UNKNOWN = object()
"""Shape of a value whose fields we do not know (a filter's result, a call): not checked further."""


def _context_shape(sample: Any) -> Any:
    from .context import build_context

    if sample is None:
        from ..plan.loader import load_plan

        return _merge(_shape(build_context(load_plan(SAMPLE_DATA))),
                      _shape(build_context(load_plan(STRUCTURES_DATA))))
    return _shape(build_context(sample))


def _shape(value: Any) -> Any:
    """A dict of field -> shape, [element shape] for lists, or "" for text and numbers."""
    if isinstance(value, dict):
        return {str(k): _shape(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        merged: Any = None
        for item in value:
            merged = _merge(merged, _shape(item))
        return [merged if merged is not None else _UNKNOWN]
    return ""


def _merge(a: Any, b: Any) -> Any:
    if a is None:
        return b
    if isinstance(a, dict) and isinstance(b, dict):
        return {k: _merge(a.get(k), b.get(k)) if k in a and k in b else a.get(k, b.get(k))
                for k in {*a, *b}}
    if isinstance(a, list) and isinstance(b, list):
        return [_merge(a[0], b[0])]
    return a


class _Variables:
    """Walks a parsed template with the names in scope and the shape each one has."""

    def __init__(self, context: dict[str, Any]):
        self.context = context
        self.found: list[tuple[int, str]] = []
        self.used: set[str] = set()
        """Context fields the template reads, as paths: "signer.name", "body[].xml"."""
        self._paths: dict[int, str] = {}
        for key, value in context.items():
            self._index(value, key)

    def _index(self, shape: Any, path: str) -> None:
        if isinstance(shape, dict):
            self._paths[id(shape)] = path
            for key, value in shape.items():
                self._index(value, f"{path}.{key}")
        elif isinstance(shape, list):
            self._paths[id(shape)] = path
            self._index(shape[0], f"{path}[]")

    def check(self, tree: nodes.Template) -> list[tuple[int, str]]:
        self._body(tree.body, dict(self.context))
        return list(dict.fromkeys(self.found))  # each finding once, in the order found

    def _body(self, body: list[nodes.Node], scope: dict[str, Any]) -> None:
        for node in body:
            self._stmt(node, scope)

    def _stmt(self, node: nodes.Node, scope: dict[str, Any]) -> None:
        if isinstance(node, nodes.For):
            items = self._expr(node.iter, scope)
            inner = dict(scope)
            element = items[0] if isinstance(items, list) else _UNKNOWN
            self._bind(node.target, element, inner)
            inner["loop"] = _UNKNOWN
            if node.test is not None:
                self._expr(node.test, inner)
            self._body(node.body, inner)
            self._body(node.else_, scope)
        elif isinstance(node, nodes.If):
            self._expr(node.test, scope)
            self._body(node.body, scope)
            for elif_ in node.elif_:
                self._stmt(elif_, scope)
            self._body(node.else_, scope)
        elif isinstance(node, nodes.Assign):
            self._bind(node.target, self._expr(node.node, scope), scope)
        elif isinstance(node, (nodes.Macro, nodes.CallBlock)):
            inner = dict(scope)
            for arg in getattr(node, "args", []):
                inner[arg.name] = _UNKNOWN
            inner.update({"caller": _UNKNOWN, "varargs": _UNKNOWN, "kwargs": _UNKNOWN})
            if isinstance(node, nodes.Macro):
                scope[node.name] = _UNKNOWN
            self._body(node.body, inner)
        elif isinstance(node, (nodes.Include, nodes.Extends, nodes.Import, nodes.FromImport)):
            # docxtpl renders each part from a string, with no loader: these fail at render.
            word = {nodes.Include: "include", nodes.Extends: "extends"}.get(type(node), "import")
            self.found.append((node.lineno, (
                f"thẻ {{% {word} %}} không dùng được trong mẫu .docx (mỗi phần văn bản là một mẫu "
                "riêng, không nạp được tệp khác); hãy chép nội dung cần dùng vào thẳng mẫu")))
        elif isinstance(node, nodes.With):
            inner = dict(scope)
            for target, value in zip(node.targets, node.values, strict=False):
                self._bind(target, self._expr(value, scope), inner)
            self._body(node.body, inner)
        else:
            for child in node.iter_child_nodes():
                if isinstance(child, nodes.Expr):
                    self._expr(child, scope)
                else:
                    self._stmt(child, scope)

    def _bind(self, target: nodes.Node, shape: Any, scope: dict[str, Any]) -> None:
        if isinstance(target, nodes.Name):
            scope[target.name] = shape
        elif isinstance(target, nodes.Tuple):
            for item in target.items:
                self._bind(item, _UNKNOWN, scope)

    def _expr(self, node: nodes.Node, scope: dict[str, Any]) -> Any:
        if isinstance(node, nodes.Name):
            if node.name.startswith("_"):
                self.found.append((node.lineno, f"tên '{node.name}' bị cấm (bắt đầu bằng '_')"))
                return _UNKNOWN
            if node.name in scope:
                if node.name in self.context and scope[node.name] is self.context[node.name]:
                    self.used.add(node.name)
                return scope[node.name]
            if node.name in _JINJA_GLOBALS:
                return _UNKNOWN
            self.found.append((node.lineno, _unknown(node.name, None, list(scope))))
            return _UNKNOWN
        if isinstance(node, (nodes.Getattr, nodes.Getitem)):
            base = self._expr(node.node, scope)
            if isinstance(node, nodes.Getattr):
                key: Any = node.attr
            else:
                if not isinstance(node.arg, nodes.Const):
                    self._expr(node.arg, scope)
                    return _UNKNOWN
                key = node.arg.value
            if isinstance(key, str) and key.startswith("_"):
                self.found.append((node.lineno, (
                    f"'{key}' là phần bên trong của Python, bị cấm vì lý do an toàn; "
                    "chỉ dùng các trường dữ liệu")))
                return _UNKNOWN
            if id(base) in self._paths and isinstance(key, str):
                self.used.add(f"{self._paths[id(base)]}.{key}")
            if isinstance(base, dict):
                if key in base:
                    return base[key]
                self.found.append((node.lineno, _unknown(str(key), _dotted(node.node), list(base))))
                return _UNKNOWN
            if isinstance(base, list) and isinstance(key, int):
                return base[0]
            return _UNKNOWN
        if isinstance(node, nodes.Filter) and node.name == "attr":
            names = [a.value for a in node.args if isinstance(a, nodes.Const)]
            if any(isinstance(n, str) and n.startswith("_") for n in names):
                self.found.append((node.lineno, (
                    f"'attr({names[0]!r})' truy cập phần bên trong của Python, bị cấm vì lý do an toàn")))
        for child in node.iter_child_nodes():
            self._expr(child, scope)
        return _UNKNOWN


def _dotted(node: nodes.Node) -> str | None:
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        inner = _dotted(node.node)
        return f"{inner}.{node.attr}" if inner else None
    return None


def _unknown(name: str, owner: str | None, known: list[str]) -> str:
    import difflib

    where = f"'{owner}' không có trường '{name}'" if owner else f"biến '{name}' không có trong dữ liệu"
    close = difflib.get_close_matches(name, [k for k in known if k != "loop"], n=1, cutoff=0.6)
    hint = f"; có phải ý bạn là '{close[0]}'?" if close else (
        f"; các trường có: {', '.join(sorted(k for k in known if k != 'loop'))}" if owner else "")
    return where + hint
