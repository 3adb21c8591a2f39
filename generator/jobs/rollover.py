"""Rollover: this year's plan file becomes next year's draft, and a report of what a person must check.

Why a round-trip YAML library: the data file is the user's work, with their comments and their key
order; rewriting it through a plain dump would throw both away. ruamel.yaml keeps them.

What moves: "năm 2024" where it means the plan's own year (trích yếu, body text, appendix title and
subtitle, catalogue), and the issue date (to "2025-MM", a draft). What never moves: anything that
belongs to another document (the references, a citation written as text, a full date such as
"ngày 07 tháng 02 năm 2024" or "07/02/2024"); those, other years and periods ("giai đoạn 2020 -
2025", "Quý IV/2024") and the cleared number and day are reported, with field path and line.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import DataError, UserError
from ..nd30 import TYPE_ABBREVIATIONS
from ..plan.loader import Loc, format_path, load_plan, parse_yaml, paste_safe, validate
from ..plan.model import IssueDate
from ..plan.yaml_style import CONTROLS, HIDDEN, compact_nested_sequences, hide_controls, restore_controls
from ..word.output import target as output_target

if TYPE_CHECKING:
    from ruamel.yaml import YAML

YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
# "2020 - 2025", "2020–2025" and "2024/2025" (a school or fiscal year) are all periods.
PERIOD = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*[-–/]\s*((?:19|20)\d{2})(?!\d)")
FULL_DATE = re.compile(r"ngày\s*\d{0,2}\s*tháng\s*\d{1,2}\s*năm\s*$", re.IGNORECASE)
PLAN_YEAR = re.compile(r"năm\s+$", re.IGNORECASE)
# A citation written as text: "Kế hoạch số 36/KH-UBND …" up to the end of its clause.
_DOC_TYPES = "|".join([*TYPE_ABBREVIATIONS, "Văn bản"])
TEXT_CITATION = re.compile(rf"(?:{_DOC_TYPES})\s+số\s+\d+[^\s,;]*[^,;]*", re.IGNORECASE)

KINDS = {
    "reference": "văn bản được dẫn",
    "citation": "trích dẫn trong nội dung",
    "date": "ngày tháng trong nội dung",
    "year": "năm khác",
    "period": "giai đoạn",
    "cleared": "đã xóa",
}


@dataclass(frozen=True)
class StaleItem:
    """One place of the new file a person must look at."""

    kind: str  # one of KINDS
    path: str  # field path in the new file, e.g. "references.kh36_ubnd.date"
    line: int | None  # line in the new file (None when the field was removed)
    text: str  # what is there (excerpt)
    message: str  # what to do, in Vietnamese

    def __str__(self) -> str:
        where = f"dòng {self.line}" if self.line else "(đã xóa)"
        return f"{where}: {self.path}: {self.message} — {self.text}"


@dataclass
class RolloverResult:
    source: Path
    output: Path
    old_year: int
    new_year: int
    moved: int  # how many plan-year mentions were moved
    items: list[StaleItem] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "source": str(self.source), "output": str(self.output),
            "old_year": self.old_year, "new_year": self.new_year, "moved": self.moved,
            "items": [asdict(i) for i in self.items],
        }


def _yaml() -> YAML:
    from ruamel.yaml import YAML

    y = YAML()  # round-trip: comments, key order, quoting and flow style survive
    y.preserve_quotes = True
    y.width = 100_000  # never fold a long Vietnamese sentence onto several lines
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def default_output(source: Path, old_year: int, new_year: int) -> Path:
    """Replace the old year in the file name, else append "-<new year>"."""
    stem = source.stem
    if str(old_year) in stem:
        stem = stem.replace(str(old_year), str(new_year))
    else:
        stem = f"{stem}-{new_year}"
    return source.with_name(stem + source.suffix)


def rollover_file(data: str | Path, year: int, out: str | Path | None = None, *,
                  force: bool = False) -> RolloverResult:
    """Write next year's draft of a plan file; return the report. The library call behind
    `kehoach rollover`."""
    source = Path(data)
    plan = load_plan(source)  # the input must be a valid plan: we never roll a broken file over
    old_year = plan.year
    if year <= old_year:
        raise UserError(f"kế hoạch đang là năm {old_year}; năm mới phải sau năm đó, ví dụ --year {old_year + 1}")
    if not 1945 <= year <= 2200:
        raise UserError(f"năm {year} không hợp lệ")
    target = Path(out) if out else default_output(source, old_year, year)
    if target.suffix.lower() not in (".yaml", ".yml"):
        raise UserError(f"{target}: tệp dữ liệu mới phải có đuôi .yaml")
    # Decided on the real path before the work (missing/../SOURCE is the source), written last.
    output = output_target(target, inputs=[source])
    output.refuse_taken(force)

    text, pending, moved = rollover_text(source.read_text(encoding="utf-8-sig"), old_year, year)
    parsed = parse_yaml(paste_safe(text), str(target))
    try:
        validate(parsed)
    except DataError as exc:  # a bug of ours, not the user's: say so, write nothing
        raise UserError("tệp năm mới không hợp lệ (lỗi của kehoach, xin báo lại):\n"
                        + "\n".join(str(p) for p in exc.problems)) from None
    items = [
        StaleItem(kind, format_path(loc), parsed.position(loc)[0] if keep else None, excerpt, msg)
        for kind, loc, excerpt, msg, keep in pending
    ]
    output.save(text.encode("utf-8"), force=force)
    return RolloverResult(source, target, old_year, year, moved, items)


def rollover_text(text: str, old_year: int, new_year: int) -> tuple[str, list[tuple], int]:
    """The new file's text, the findings (kind, loc, excerpt, message, still-present) and the
    count of moved years. Pure: no file is touched."""
    y = _yaml()
    text, controls = _hide_controls(text)
    doc = y.load(text)
    pending: list[tuple] = []
    moved = 0

    if "number" in doc:
        pending.append(("cleared", ("number",), str(doc["number"]),
                        "số văn bản đã xóa (dự thảo); văn thư cấp số mới khi ban hành", False))
        del doc["number"]
    old_date = doc["date"]
    # The same parsing as the model: "2024-03-20", "2024-03", a date or {year:, month:, day:}.
    month = IssueDate.model_validate(dict(old_date) if hasattr(old_date, "items") else old_date).month
    doc["date"] = f"{new_year}-{month:02d}" if month else str(new_year)
    pending.append(("cleared", ("date",), str(old_date),
                    f"ngày ban hành đã bỏ ngày (dự thảo), giữ tháng {month}; điền ngày khi ban hành"
                    if month else "ngày ban hành để trống ngày, tháng (dự thảo); điền khi ban hành",
                    True))

    for key, ref in (doc.get("references") or {}).items():
        d = ref.get("date")
        ref_year = d.year if isinstance(d, dt.date) else _first_year(str(d))
        if ref_year is not None and ref_year <= old_year:
            label = f"{ref.get('type')} số {ref.get('number')}" + (
                f"/{ref['symbol']}" if ref.get("symbol") else "")
            pending.append(("reference", ("references", key, "date"), f"{label} ngày {d}",
                            f"văn bản được dẫn ban hành năm {ref_year}: kiểm tra còn hiệu lực hoặc "
                            f"thay bằng văn bản năm {new_year}", True))

    def walk(node: Any, loc: Loc) -> Any:
        nonlocal moved
        if isinstance(node, dict):
            for k in list(node.keys()):
                if loc == () and k in ("references", "date", "number", "agency", "signer", "type"):
                    continue
                if k == "cite":
                    continue
                node[k] = walk(node[k], loc + (k,))
            return node
        if isinstance(node, list):
            for i in range(len(node)):
                node[i] = walk(node[i], loc + (i,))
            return node
        if isinstance(node, str):
            new, n, found = move_years(node, old_year, new_year)
            moved += n
            pending.extend((kind, loc, excerpt, msg, True) for kind, excerpt, msg in found)
            return type(node)(new) if new != node else node  # keep the scalar's quoting style
        return node

    walk(doc, ())
    buf = io.StringIO()
    y.dump(doc, buf)
    return _restore_controls(compact_nested_sequences(buf.getvalue()), controls), pending, moved


# Control characters pasted from Word (\x0b, its line break, above all): the loader accepts them
# (loader.paste_safe) but ruamel refuses them. They ride through ruamel as private-use characters
# and come back byte for byte, so the user's file changes only where a year moved.
def _hide_controls(text: str) -> tuple[str, bool]:
    if not CONTROLS.search(text):
        return text, False
    if HIDDEN.search(text):
        raise UserError("tệp có ký tự điều khiển dán từ Word lẫn ký tự riêng (private use) nên không "
                        "chuyển năm được; hãy xóa các ký tự lạ trong tệp rồi chạy lại")
    return hide_controls(text), True


def _restore_controls(text: str, hidden: bool) -> str:
    return restore_controls(text) if hidden else text


def _first_year(text: str) -> int | None:
    m = YEAR.search(text)
    return int(m.group()) if m else None


def move_years(text: str, old_year: int, new_year: int) -> tuple[str, int, list[tuple[str, str, str]]]:
    """Move "năm <old>" meaning the plan's year; report every other year mention.

    Returns the new text, how many were moved and (kind, excerpt, message) findings.
    """
    citations = [m.span() for m in TEXT_CITATION.finditer(text)]
    periods = [m for m in PERIOD.finditer(text)]
    found: list[tuple[str, str, str]] = []
    out: list[str] = []
    last = 0
    moved = 0
    reported_spans: list[tuple[int, int]] = []

    for cstart, cend in citations:
        if YEAR.search(text, cstart, cend):
            found.append(("citation", _excerpt(text, cstart, cend),
                          "văn bản được dẫn trong nội dung: thay bằng văn bản mới nếu cần"))
    for m in periods:
        reported_spans.append(m.span())
        found.append(("period", _excerpt(text, *m.span()),
                      f"giai đoạn {m.group(1)} - {m.group(2)}: kiểm tra còn đúng cho năm {new_year}"))

    for m in YEAR.finditer(text):
        start, end = m.span()
        value = int(m.group())
        inside_citation = any(a <= start < b for a, b in citations)
        inside_period = any(a <= start < b for a, b in reported_spans)
        before = text[max(0, start - 30):start]
        if inside_citation or inside_period:
            continue
        if value == old_year and PLAN_YEAR.search(before) and not FULL_DATE.search(before):
            out.append(text[last:start] + str(new_year))
            last = end
            moved += 1
            continue
        if FULL_DATE.search(before) or re.search(r"\d/$", before):
            found.append(("date", _excerpt(text, start, end),
                          "ngày tháng trong nội dung: kiểm tra lại"))
        else:
            found.append(("year", _excerpt(text, start, end),
                          f"năm {value} không phải năm của kế hoạch: kiểm tra lại"))
    out.append(text[last:])
    return "".join(out), moved, found


def _excerpt(text: str, start: int, end: int, pad: int = 30) -> str:
    a, b = max(0, start - pad), min(len(text), end + pad)
    return ("…" if a else "") + text[a:b] + ("…" if b < len(text) else "")


def format_report(result: RolloverResult) -> str:
    """The report in Vietnamese, as the CLI prints it."""
    lines = [f"Đã tạo: {result.output} (năm {result.old_year} → {result.new_year}, "
             f"đã chuyển {result.moved} chỗ ghi năm của kế hoạch)"]
    if result.items:
        lines.append(f"Cần người xem lại {len(result.items)} chỗ:")
        for kind in KINDS:
            group = [i for i in result.items if i.kind == kind]
            if group:
                lines.append(f"  {KINDS[kind].capitalize()}:")
                lines += [f"    {i}" for i in group]
    return "\n".join(lines)
