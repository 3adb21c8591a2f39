"""What a user's template may cost and how its run-time mistakes are reported.

Why: the sandbox stops a template from reaching Python's internals, not from looping 10^10 times,
building a 1 GB string, dividing by zero or computing 10**5000. Each of those must end in one
Vietnamese message naming the template (exit 2), never a traceback, a MemoryError near 3 GB or a
process that runs until someone kills it. generator.document.render hooks these in at three points: the
environment's operators (GuardedOperators), the render call (template_budget) and the error of
one part (runtime_error).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jinja2

from .. import limits
from ..errors import TemplateError
from ..text import number_vi

MAX_REPEAT = 10_000_000
"""Longest text or list `*` may build in a template ('-' * 40 is fine; 'a' * 10**9 is not)."""

MAX_POWER_BITS = 4096
"""Largest number `**` may build (about 1,200 digits; a plan's numbers have fewer than 20)."""


def budget_message(path: str | Path) -> str:
    return (f"{path}: mẫu chạy quá {limits.TEMPLATE_SECONDS} giây hoặc dùng quá "
            f"{limits.TEMPLATE_MEMORY // 2**20} MB bộ nhớ nên đã dừng (có vòng lặp quá lớn hoặc tạo "
            "chuỗi quá dài?); hãy sửa mẫu. Chưa tạo tệp nào")


@contextlib.contextmanager
def template_budget(path: str | Path) -> Iterator[None]:
    """Render a user template within limits.TEMPLATE_SECONDS and limits.TEMPLATE_MEMORY."""
    with limits.budget(limits.TEMPLATE_SECONDS, limits.TEMPLATE_MEMORY, budget_message(path)):
        yield


class GuardedOperators:
    """Mix into a SandboxedEnvironment: `*` and `**` refuse results too large to be meant."""

    intercepted_binops = frozenset(["*", "**"])

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(times, int) \
                        and len(seq) * times > MAX_REPEAT:
                    raise jinja2.TemplateRuntimeError(
                        f"phép nhân tạo chuỗi hoặc danh sách quá dài ({len(seq)} × {times}; tối đa "
                        f"{number_vi(MAX_REPEAT)} phần tử)")
        elif operator == "**" and isinstance(left, int) and isinstance(right, int) \
                and abs(left) > 1 and right > 0 and abs(left).bit_length() * right > MAX_POWER_BITS:
            raise jinja2.TemplateRuntimeError(
                f"phép lũy thừa {left}**{right} cho số quá lớn (tối đa khoảng {MAX_POWER_BITS * 3 // 10} "
                "chữ số)")
        return super().call_binop(context, operator, left, right)  # type: ignore[misc]


_REASONS = {
    ZeroDivisionError: "chia cho 0",
    OverflowError: "số quá lớn (ví dụ range() với số quá lớn)",
    TypeError: "phép tính giữa hai kiểu không hợp nhau (ví dụ cộng số với chữ)",
    ValueError: "giá trị không hợp lệ (ví dụ số quá nhiều chữ số để in ra)",
    RecursionError: "macro gọi lại chính nó quá nhiều lần",
    ArithmeticError: "lỗi tính toán",
    LookupError: "không có phần tử hoặc khóa này",
}


def template_line(exc: BaseException) -> int | None:
    """The template line where exc happened: Jinja rewrites tracebacks so the template's own
    frames carry the template's file name ("<template>") and line number."""
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def excerpt(src_xml: str, line: int | None) -> str:
    """The text around a line of a part's XML as docxtpl feeds it to Jinja (a paragraph a line)."""
    if not line:
        return ""
    from ..word.template_xml import paragraph_lines

    lines = paragraph_lines(src_xml)
    around = [re.sub(r"<[^>]+>", "", x).strip() for x in lines[max(line - 4, 0):line + 3]]
    return " ".join(x for x in around if x)[:300]


def runtime_error(exc: Exception, src_xml: str, path: str | Path) -> Exception:
    """The TemplateError to raise for an exception out of a part's render: a user's mistake when
    it happened in template code, with its excerpt; otherwise exc itself (a bug of ours)."""
    from ..errors import KehoachError

    line = template_line(exc)
    if line is None or isinstance(exc, (KehoachError, MemoryError)):
        return exc  # ours, or the budget's to report
    if isinstance(exc, jinja2.TemplateError):
        if getattr(exc, "docx_context", None) is None:  # docxtpl only locates syntax errors
            exc.docx_context = [excerpt(src_xml, line)]  # type: ignore[attr-defined]
        return exc
    reason = next((text for kind, text in _REASONS.items() if isinstance(exc, kind)), type(exc).__name__)
    near = excerpt(src_xml, line)
    return TemplateError(f"{path}: lỗi khi chạy mẫu: {reason} ({type(exc).__name__}: {str(exc)[:120]})"
                         + (f"\n  gần đoạn: {near}" if near else ""))
