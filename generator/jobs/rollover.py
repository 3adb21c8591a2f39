"""Rollover: this year's plan file becomes next year's draft, and a report of what a person must check.

Why a round-trip YAML library: the data file is the user's work, with their comments and their key
order; rewriting it through a plain dump would throw both away. ruamel.yaml keeps them.

What moves: "năm 2024" where it means the plan's own year (trích yếu, body text, appendix title and
subtitle, catalogue), and the issue date (to "2025-MM", a draft). What never moves: anything that
belongs to another document (the references, a citation written as text, a full date such as
"ngày 07 tháng 02 năm 2024" or "07/02/2024"); those, other years and periods ("giai đoạn 2020 -
2025", "Quý IV/2024") and the cleared number and day are reported, with field path and line.
The numbers and dates of this year's dossier (Tờ trình, Quyết định, comment table) are cleared too:
next year's plan goes up with new documents; so are the comments on this year's draft. A cleared
field keeps its key, empty, on its line.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import DataError, InternalError, UserError
from ..nd30 import TYPE_ABBREVIATIONS
from ..plan.loader import Loc, format_path, load_plan, parse_yaml, paste_safe, validate
from ..plan.model import IssueDate, is_party_symbol
from ..plan.yaml_style import CONTROLS, HIDDEN, compact_nested_sequences, hide_controls, restore_controls
from ..text import date_dmy, shell_arg
from ..word.output import target as output_target

if TYPE_CHECKING:
    from ruamel.yaml import YAML

YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
# "2020 - 2025", "2020–2025" and "2024/2025" (a school or fiscal year) are all periods.
PERIOD = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*[-–/]\s*((?:19|20)\d{2})(?!\d)")
FULL_DATE = re.compile(r"ngày\s*\d{0,2}\s*tháng\s*\d{1,2}\s*năm\s*$", re.IGNORECASE)
PLAN_YEAR = re.compile(r"năm\s+$", re.IGNORECASE)
# A milestone of a series ("đến năm 2025", "đến hết năm 2025: Có ≥ 30% …", "trước năm 2025"): the
# year is the target's, set by a strategy or a resolution, not the plan's own; it stays.
MILESTONE = re.compile(r"(?:đến|tới|trước|sau|từ)\s+(?:hết\s+|cuối\s+|đầu\s+)?năm\s+$", re.IGNORECASE)
# A title quoted in the text ("Chiến lược … đến năm 2025" in quotation marks): another document's words.
QUOTED = re.compile(r"[“\"«][^”\"»]{3,}[”\"»]")
# A citation written as text: "Kế hoạch số 36/KH-UBND …" up to the end of its clause.
_DOC_TYPES = "|".join([*TYPE_ABBREVIATIONS, "Văn bản"])
TEXT_CITATION = re.compile(rf"(?:{_DOC_TYPES})\s+số\s+\d+[^\s,;]*[^,;]*", re.IGNORECASE)

KINDS = {
    "moved": "đã chuyển sang năm mới",
    "milestone": "mốc năm của lộ trình (giữ nguyên)",
    "reference": "văn bản được dẫn",
    "citation": "trích dẫn trong nội dung",
    "date": "ngày tháng trong nội dung",
    "year": "năm khác",
    "period": "giai đoạn",
    "cleared": "đã xóa",
    "kept": "giữ như năm trước (chỉ chuyển năm), điền khi ban hành",
    "carried": "nhiệm vụ chưa hoàn thành, chuyển sang năm mới",
    "dropped": "nhiệm vụ một lần đã hoàn thành, bỏ khỏi năm mới",
    "admin": "đơn vị hành chính không còn từ 01/7/2025",
}


@dataclass(frozen=True)
class StaleItem:
    """One place of the new file a person must look at."""

    kind: str  # one of KINDS
    path: str  # field path in the new file, e.g. "references.kh36_ubnd.date"
    line: int | None  # line in the new file (None when the field was removed)
    text: str  # what is there (excerpt)
    message: str  # what to do, in Vietnamese
    was: str = ""  # where a removed task stood: its line in last year's file, its group and row

    def __str__(self) -> str:
        where = f"dòng {self.line}" if self.line else self.was or "(đã xóa)"
        return f"{where}: {self.path}: {self.message} — {self.text}"


@dataclass
class RolloverResult:
    source: Path
    output: Path
    old_year: int
    new_year: int
    moved: int  # how many plan-year mentions were moved
    items: list[StaleItem] = field(default_factory=list)
    changes: list[StaleItem] = field(default_factory=list)  # each year moved, where (kind "moved")
    notes: list[str] = field(default_factory=list)  # about this year's file itself (a draft rolled over)

    def to_json(self) -> dict[str, Any]:
        return {
            "source": str(self.source), "output": str(self.output),
            "old_year": self.old_year, "new_year": self.new_year, "moved": self.moved,
            "items": [asdict(i) for i in self.items], "changes": [asdict(i) for i in self.changes],
            "notes": self.notes,
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
                  force: bool = False, progress: list[str | Path] | None = None) -> RolloverResult:
    """Write next year's draft of a plan file; return the report. The library call behind
    `kehoach rollover`. With filled progress sheets, finished one-off tasks are left out of the new
    file and unfinished ones are reported for review (see _task_fates)."""
    source = Path(data)
    plan = load_plan(source)  # the input must be a valid plan: we never roll a broken file over
    old_year = plan.year
    if 0 <= year < 100:
        raise UserError(f"--year {year}: ghi năm đủ bốn chữ số, ví dụ --year {old_year + 1}")
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

    drops: list[Loc] = []
    fates: list[tuple] = []
    if progress:
        drops, fates = _task_fates(plan, progress)
    old_text = source.read_text(encoding="utf-8-sig")
    text, pending, moved = rollover_text(old_text, old_year, year, drop=drops)
    parsed = parse_yaml(paste_safe(text), str(target))
    try:
        validate(parsed)
    except DataError as exc:  # a bug of ours, not the user's: say so, write nothing
        raise InternalError("tệp năm mới không hợp lệ (lỗi của kehoach, xin báo lại):\n"
                        + "\n".join(str(p) for p in exc.problems)) from None
    removed = [loc for kind, loc, *_ in pending if kind == "removed" and loc[0] != "emptied"]
    emptied = [_shifted(loc[1:], removed) for kind, loc, *_ in pending if kind == "removed" and loc[0] == "emptied"]
    fates += [("dropped", loc, "(bảng)", "mọi nhiệm vụ của bảng đã hoàn thành và được bỏ: xóa bảng hoặc ghi "
               "nhiệm vụ năm mới vào đó", True) for loc in emptied]
    pending = [p for p in pending if p[0] != "removed"] + [
        (kind, _shifted(loc, removed) if keep else loc, excerpt, msg, keep, *place)
        for kind, loc, excerpt, msg, keep, *place in fates]
    pending += _admin_findings(parsed.data)
    old = parse_yaml(paste_safe(old_text), str(source)) if any(len(p) > 5 for p in pending) else None
    items = [
        StaleItem(kind, format_path(loc), parsed.position(loc, key=kind == "cleared")[0] if keep else None,
                  excerpt, msg, _was(old, source, loc, place[0]) if old is not None and place else "")
        for kind, loc, excerpt, msg, keep, *place in pending
    ]
    output.save(text.encode("utf-8"), force=force)
    changes = [i for i in items if i.kind == "moved"]
    notes = []
    typed = shell_arg(source)
    dossier_draft = False
    if plan.dossier is not None:  # a plan whose dossier is issued goes out under its decision
        from .dossier import issued_plan  # it imports the render context: only for a dossier's plan

        issued = issued_plan(plan)
        dossier_draft = issued is plan  # some number or date of the dossier still blank
        plan = issued
    if dossier_draft:
        # Issued by its decision, the plan's issue is the dossier's numbers and dates: `render
        # --final` would issue another document, a plan numbered on its own.
        notes.append(f"{source}: hồ sơ trình năm {old_year} chưa đủ số, ngày (vẫn là dự thảo). Nếu kế hoạch đã "
                     "ban hành kèm theo quyết định, hãy ghi số, ngày văn thư đã cấp vào mục dossier của tệp này "
                     "(submission, decision, và comment_report khi có ý kiến góp ý: number:, date:) rồi tạo bản "
                     f"phát hành (kehoach dossier {typed} --final) để báo cáo năm {old_year} dẫn đúng quyết định; "
                     "nếu có tệp khác đã ghi số, hãy chuyển năm từ tệp đó")
    elif not plan.own_number and not plan.is_final:
        # Issued with a decision, it has no number of its own: its date alone issues it (render
        # refuses --number for it), and the report names it by the decision.
        notes.append(f"{source}: kế hoạch năm {old_year} chưa có ngày ban hành (vẫn là dự thảo). Nếu kế hoạch đã "
                     f"ban hành kèm theo quyết định, hãy ghi ngày vào tệp này (kehoach render {typed} --final --date "
                     f"NGÀY) và số, ngày của quyết định ở dòng subtitle để báo cáo năm {old_year} dẫn đúng; nếu có "
                     "tệp khác đã ghi ngày, hãy chuyển năm từ tệp đó")
    elif plan.lacks_number:
        # This year's plan never recorded its issue: either the wrong file (the draft beside the
        # issued copy) or the issue not written back; both matter before next year starts from it.
        notes.append(f"{source}: kế hoạch năm {old_year} chưa có số (vẫn là dự thảo). Nếu kế hoạch đã ban hành, "
                     f"hãy ghi số, ngày vào tệp này (kehoach render {typed} --final --number SỐ --date NGÀY) để "
                     f"báo cáo năm {old_year} dẫn đúng số; nếu có tệp khác đã ghi số, hãy chuyển năm từ tệp đó")
    return RolloverResult(source, target, old_year, year, moved, [i for i in items if i.kind != "moved"], changes,
                          notes)


def rollover_text(text: str, old_year: int, new_year: int, *,
                  drop: list[Loc] | None = None) -> tuple[str, list[tuple], int]:
    """The new file's text, the findings (kind, loc, excerpt, message, still-present) and the
    count of moved years. Pure: no file is touched. drop: rows of tasks to leave out (their data
    file paths); a group or catalogue left empty goes too, each reported as ("removed", loc, …)."""
    y = _yaml()
    text, controls = _hide_controls(text)
    doc = y.load(text)
    pending: list[tuple] = []
    moved = 0
    if drop:
        pending += [("removed", loc, "", "", False) for loc in _drop_rows(doc, drop)]

    if doc.get("number") is not None:
        pending.append(("cleared", ("number",), str(doc["number"]),
                        "số văn bản đã xóa (dự thảo); văn thư cấp số mới khi ban hành", True))
        doc["number"] = None  # the key stays, empty: the line where next year's number goes
    old_date = doc["date"]
    # The same parsing as the model: "2024-03-20", "2024-03", a date or {year:, month:, day:}.
    was = IssueDate.model_validate(dict(old_date) if hasattr(old_date, "items") else old_date)
    month = was.month
    doc["date"] = _draft_date(old_date, month, new_year)
    # Said as staff write dates (20/03/2024), and under "đã xóa" only when there was a day to drop: a
    # draft dated by its month alone loses nothing, its year moves and its blank day stays blank.
    if was.day:
        kind, said = "cleared", f"ngày ban hành đã bỏ ngày (dự thảo), giữ tháng {month}; điền ngày khi ban hành"
    elif month:
        kind, said = "kept", (f"ngày ban hành vẫn chưa có ngày như năm trước (dự thảo), giữ tháng {month}, "
                              f"năm {new_year}; điền ngày khi ban hành")
    else:
        kind, said = "kept", (f"ngày ban hành vẫn chưa có ngày, tháng như năm trước (dự thảo), năm {new_year}; "
                              "điền khi ban hành")
    pending.append((kind, ("date",), date_dmy(was.year, was.month, was.day), said, True))

    pending += _clear_dossier(doc.get("dossier"))

    for key, ref in (doc.get("references") or {}).items():
        d = ref.get("date")
        ref_year = d.year if isinstance(d, dt.date) else _first_year(str(d))
        if ref_year is not None and ref_year <= old_year:
            label = _reference_label(ref, doc.get("agency") or {})
            pending.append(("reference", ("references", key, "date"), f"{label} ngày {_said_date(d)}",
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
    pending = _clear_issuing_decision(doc, new_year, pending)
    buf = io.StringIO()
    y.dump(doc, buf)
    return _restore_controls(compact_nested_sequences(buf.getvalue()), controls), pending, moved


# The documents of the dossier (plan.model.Dossier) that the văn thư numbers: this year's Tờ trình,
# Quyết định and comment table are issued; next year's are new documents with new numbers and dates.
DOSSIER_ISSUES = {"submission": "Tờ trình", "decision": "Quyết định ban hành", "comment_report": "Bảng tổng hợp ý kiến"}


_DAY_FIRST = re.compile(r"(?:\d{1,2}\s*([/.-])\s*)?(\d{1,2})\s*([/.-])\s*\d{4}")


def _draft_date(old: Any, month: int | None, new_year: int) -> str:
    """Next year's draft date (month and year, no day) in the form the file wrote this year's:
    "03/2025" where it wrote 20/03/2024 or 03/2024 (its separator, its zeros), else "2025-03"."""
    if not month:
        return str(new_year)
    m = _DAY_FIRST.fullmatch(str(old).strip()) if isinstance(old, str) else None
    if m:
        padded = m.group(2).startswith("0") or (m.group(0)[:1] == "0")
        return f"{month:02d}{m.group(3)}{new_year}" if padded or month >= 10 else f"{month}{m.group(3)}{new_year}"
    return f"{new_year}-{month:02d}"


_COMMENTS_NAMED, _COMMENT_CHARS = 3, 60
"""Last year's comments named in the report when they are cleared: the first three, sixty
characters of each."""


def _clear_dossier(dossier: Any) -> list[tuple]:
    """Empty the number and date of every dossier document (the keys stay, so the report names the
    line where next year's go); one "cleared" finding each. An empty date is the model's default:
    the plan's month and year with the day blank."""
    found: list[tuple] = []
    if not hasattr(dossier, "get"):
        return found
    for part, label in DOSSIER_ISSUES.items():
        issue = dossier.get(part)
        if not hasattr(issue, "get"):
            continue
        for key, what in (("number", "số"), ("date", "ngày")):
            if issue.get(key) is None:
                continue
            old = issue[key]
            issue[key] = None
            found.append(("cleared", ("dossier", part, key), f"{label} {what} {old}",
                          f"{what} {label} của năm trước đã xóa; {label} năm mới được cấp {what} khi ban hành",
                          True))
    # Last year's comments were on last year's draft: kept, next year's dossier would print them in
    # its comment table as if the new draft had been sent round and answered. The key stays, empty.
    comments = dossier.get("comments")
    if comments:
        # Named by the first few, each cut short: a report line, however many comments were kept.
        # NFC first: a cut between a letter and its combining accent would print the accent alone.
        texts = [" ".join(unicodedata.normalize("NFC", str(c.get("content", "") if hasattr(c, "get") else c))
                          .split()).rstrip(" .") for c in comments[:_COMMENTS_NAMED]]
        said = " / ".join(t if len(t) <= _COMMENT_CHARS else t[:_COMMENT_CHARS].rstrip() + "…" for t in texts)
        if len(comments) > _COMMENTS_NAMED:
            said += f" và {len(comments) - _COMMENTS_NAMED} ý kiến khác"
        found.append(("cleared", ("dossier", "comments"), f"{len(comments)} ý kiến: {said}",
                      "ý kiến góp ý dự thảo năm trước đã xóa (bảng tổng hợp năm mới không in lại); ghi ý kiến "
                      "góp ý dự thảo năm mới khi có", True))
        dossier["comments"] = []  # a new value, not the list emptied: ruamel would print that one apart
    return found


def _clear_issuing_decision(doc: Any, new_year: int, pending: list[tuple]) -> list[tuple]:
    """A plan issued with a decision (own_number: false, as `kehoach import` reads one) cites that
    decision in its subtitle, written as text ("(Ban hành kèm theo …)" or "(Kèm theo …)"), and its
    appendices' lines cite it again ("(Kèm theo Kế hoạch ban hành kèm theo Quyết định số …)"). Next
    year's plan is issued with a new decision: in each line that cites it, its number and day go blank,
    its year moves (the month stays, as the plan's date keeps its month). Each line's other findings
    give way to one "cleared"."""
    subtitle = doc.get("subtitle")
    if doc.get("own_number") is not False or not isinstance(subtitle, str):
        return pending
    # Imported past the test above: the recogniser's lines cost time to import, and most plans have
    # their own number (nothing here for them).
    from ..recognise.lines import parse_reference

    ref = parse_reference(subtitle)
    if ref is None:
        return pending
    lines: list[tuple[Loc, Any]] = [(("subtitle",), doc)]
    appendices = doc.get("appendices")
    for i, app in enumerate(appendices if isinstance(appendices, list) else []):
        line = app.get("reference_line") if hasattr(app, "get") else None
        cited = parse_reference(line) if isinstance(line, str) else None
        # The same decision: an appendix of a plan may cite another document, which stays as written.
        if cited is not None and (cited.number, cited.symbol, cited.year) == (ref.number, ref.symbol, ref.year):
            lines.append((("appendices", i, "reference_line"), app))
    found = []
    for loc, node in lines:
        old = node[loc[-1]]
        node[loc[-1]] = type(old)(_blank_decision(parse_reference(old), new_year))  # the scalar's quoting kept
        found.append(("cleared", loc, old, f"số, ngày của {ref.doc_type} ban hành kế hoạch năm trước đã xóa: kế "
                      f"hoạch năm {new_year} ban hành kèm theo {ref.doc_type} mới; ghi số, ngày khi có", True))
    cleared = {loc for loc, _ in lines}
    return [p for p in pending if p[1] not in cleared] + found


def _blank_decision(ref: Any, new_year: int) -> str:
    """A line citing the decision that issues the plan, worded as it was ("(Kèm theo Kế hoạch ban hành
    kèm theo Quyết định", "(Ban hành kèm theo Quyết định"), citing next year's: number and day blank."""
    from ..document.context import number_text, short_date

    date = IssueDate(year=new_year, month=int(ref.month) if ref.month else None)
    return (f"{ref.lead} số {number_text(None)}/{ref.symbol} ngày {short_date(date)}"
            + (f" của {ref.issuer}" if ref.issuer else "") + ")")


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


def _reference_label(ref: Any, agency: Any) -> str:
    """A cited document named as the plan prints it: "Kế hoạch số 36/KH-UBND", a Party document
    "Nghị quyết số 57-NQ/TW", the agency's own document with the symbol it takes ("số 254/KH-SKHCN"),
    a law without number by its name ("Luật Tổ chức chính quyền địa phương", never "số None")."""
    kind = str(ref.get("type") or "Văn bản")
    if ref.get("number") is None:
        return str(ref.get("name") or kind)
    symbol = str(ref["symbol"]) if ref.get("symbol") else None
    if symbol is None and agency.get("abbreviation"):
        abbr = TYPE_ABBREVIATIONS.get(kind, "")
        symbol = f"{abbr}-{agency['abbreviation']}" if abbr else str(agency["abbreviation"])
    sep = "-" if is_party_symbol(symbol, bool(ref.get("party"))) else "/"
    return f"{kind} số {ref.get('number')}" + (f"{sep}{symbol}" if symbol else "")


def _said_date(value: Any) -> str:
    """A cited document's date as a message shows it (07/02/2024), whatever form the file wrote."""
    try:
        d = IssueDate.model_validate(dict(value) if hasattr(value, "items") else value)
    except ValueError:
        return str(value)
    return date_dmy(d.year, d.month, d.day)


def _first_year(text: str) -> int | None:
    m = YEAR.search(text)
    return int(m.group()) if m else None


def move_years(text: str, old_year: int, new_year: int) -> tuple[str, int, list[tuple[str, str, str]]]:
    """Move "năm <old>" meaning the plan's year; report every other year mention.

    Returns the new text, how many were moved and (kind, excerpt, message) findings.
    """
    citations = [m.span() for m in TEXT_CITATION.finditer(text)]
    quoted = [m.span() for m in QUOTED.finditer(text)]
    periods = [m for m in PERIOD.finditer(text)]
    found: list[tuple[str, str, str]] = []
    out: list[str] = []
    last = 0
    moved = 0
    reported_spans: list[tuple[int, int]] = []

    for cstart, cend in citations + [q for q in quoted if not any(a <= q[0] < b for a, b in citations)]:
        if YEAR.search(text, cstart, cend):
            found.append(("citation", _excerpt(text, cstart, cend),
                          "văn bản được dẫn trong nội dung (số, tên văn bản): giữ nguyên năm; thay bằng văn "
                          "bản mới nếu cần"))
    for m in periods:
        reported_spans.append(m.span())
        found.append(("period", _excerpt(text, *m.span()),
                      f"giai đoạn {m.group(1)} - {m.group(2)}: kiểm tra còn đúng cho năm {new_year}"))

    for m in YEAR.finditer(text):
        start, end = m.span()
        value = int(m.group())
        inside_citation = any(a <= start < b for a, b in citations + quoted)
        inside_period = any(a <= start < b for a, b in reported_spans)
        before = text[max(0, start - 30):start]
        if inside_citation or inside_period:
            continue
        if MILESTONE.search(before):
            found.append(("milestone", _excerpt(text, start, end),
                          f"năm {value} là mốc của lộ trình (đến năm, đến hết năm), không phải năm của kế "
                          "hoạch: đã giữ nguyên; kiểm tra lại"))
            continue
        if value == old_year and PLAN_YEAR.search(before) and not FULL_DATE.search(before):
            out.append(text[last:start] + str(new_year))
            last = end
            moved += 1
            found.append(("moved", _excerpt(text, start, end), f"năm {old_year} → {new_year}"))
            continue
        if FULL_DATE.search(before) or re.search(r"\d/$", before):
            found.append(("date", _excerpt(text, start, end),
                          "ngày tháng trong nội dung: kiểm tra lại"))
        else:
            found.append(("year", _excerpt(text, start, end),
                          f"năm {value} không phải năm của kế hoạch: kiểm tra lại"))
    out.append(text[last:])
    return "".join(out), moved, found


def _was(old: Any, source: Path, loc: Loc, place: str) -> str:
    """Where a task no longer in the new file stood, said as the report's other lines are: its line
    in last year's file (the new file has none to give), then its group and row as printed."""
    if loc == ("sections",):  # a row of a catalogue kept in a spreadsheet (sheet:): no line of the file
        return f"hàng trong bảng tính ({place})"
    line = old.position(loc)[0]
    return (f"dòng {line} của {source.name}" if line else source.name) + f" ({place})"


def _excerpt(text: str, start: int, end: int, pad: int = 30) -> str:
    a, b = max(0, start - pad), min(len(text), end + pad)
    return ("…" if a else "") + text[a:b] + ("…" if b < len(text) else "")


def format_report(result: RolloverResult) -> str:
    """The report in Vietnamese, as the CLI prints it."""
    lines = [f"Đã tạo: {result.output} (năm {result.old_year} → {result.new_year}, "
             f"đã chuyển {result.moved} chỗ ghi năm của kế hoạch)"]
    lines += [f"Lưu ý: {note}" for note in result.notes]
    if result.changes:
        lines.append("Đã chuyển năm ở:")
        lines += [f"    {i}" for i in result.changes]
    if result.items:
        lines.append(f"Cần người xem lại {len(result.items)} chỗ:")
        for kind in KINDS:
            group = [i for i in result.items if i.kind == kind]
            if group:
                lines.append(f"  {KINDS[kind].capitalize()}:")
                lines += [f"    {i}" for i in group]
    return "\n".join(lines)


# --- tasks carried into the new year (kehoach rollover --progress) --------------------------------


def _task_fates(plan: Any, sheets: list[str | Path]) -> tuple[list[Loc], list[tuple]]:
    """Which rows to leave out of the new file and what to report about each task.

    Unfinished tasks stay and are reported ("carried"): their content and deadline need a look for
    the new year. Finished one-off tasks are left out ("dropped"). Finished recurring tasks
    ("Thường xuyên", "Hằng năm") stay without a word: they recur next year as well."""
    from ..plan.deadlines import plan_year, read_deadline
    from ..plan.tasks import plan_tasks
    from .progress import DONE, read_progress, said_day

    tasks = plan_tasks(plan)
    progress = read_progress(plan, sheets, tasks=tasks)
    year = plan_year(plan.subject_text, plan.year)
    drops: list[Loc] = []
    fates: list[tuple] = []
    for t in tasks:
        report = progress.by_key.get(t.key)
        status = report.status if report else "chưa báo cáo"
        excerpt = _excerpt(t.content, 0, min(len(t.content), 60), pad=0)
        recurring = read_deadline(t.time, year).kind == "recurring"
        if status != DONE:
            if t.loc is not None:
                lead = t.lead.replace("\n", ", ") or "không ghi"
                fates.append(("carried", t.loc, excerpt, f"chưa hoàn thành ({status}; Chủ trì: {lead}); đã giữ "
                              "trong kế hoạch mới: xem lại nội dung và thời hạn", True))
            continue
        if recurring:
            continue
        day = f" ngày {said_day(report.done_on)}" if report and report.done_on else ""
        place = ", ".join(x for x in (t.where, f"STT {t.number}" if t.number else "") if x)
        if t.loc is not None and t.removable:
            drops.append(t.loc)
            fates.append(("dropped", t.loc, excerpt, f"đã hoàn thành{day}: đã bỏ khỏi kế hoạch mới", False, place))
        elif t.loc is not None:
            fates.append(("dropped", t.loc, excerpt, f"đã hoàn thành{day} nhưng hàng có ô gộp với hàng khác nên "
                          "không tự bỏ được: hãy xóa tay nếu không làm tiếp", True))
        else:
            fates.append(("dropped", ("sections",), excerpt, f"đã hoàn thành{day}; nhiệm vụ lấy từ bảng tính "
                          "(sheet:) nên hãy xóa hàng đó trong bảng tính", False, place))
    return drops, fates


def _drop_rows(doc: Any, drops: list[Loc]) -> list[Loc]:
    """Delete the rows at drops (deepest and last first, so earlier paths stay right); a group or
    a catalogue appendix left with no task is deleted too. Returns every deleted path, and the
    tables left with no row as ("emptied", table) entries."""
    removed: list[Loc] = []
    emptied: list[Loc] = []

    def node_at(loc: Loc) -> Any:
        node = doc
        for part in loc:
            node = node[part]
        return node

    for loc in sorted(drops, key=lambda loc: [(0, p) if isinstance(p, int) else (1, str(p)) for p in loc],
                      reverse=True):
        try:
            del node_at(loc[:-1])[loc[-1]]
        except (KeyError, IndexError, TypeError):
            continue  # the file's shape differs from the model's (written the old way): leave it
        removed.append(loc)
        if loc[-2:-1] == ("rows",) and loc[-3:-2] == ("table",) and not len(node_at(loc[:-1])):
            emptied.append(loc[:-2])
        # Upwards: a group left empty ({group: …, rows: []} or {title: …, tasks: []}) goes too.
        parent = loc[:-1]
        while len(parent) >= 2 and parent[-1] in ("rows", "tasks") and isinstance(parent[-2], int):
            holder = node_at(parent)
            if len(holder):
                break
            owner = parent[:-1]  # the group: (…, "rows", i) or ("appendices", a, "groups", g)
            container = node_at(owner[:-1])
            if owner[-2] == "groups" and len(container) == 1:
                # The catalogue's last group: the appendix has nothing left to list and goes.
                app = owner[:-2]
                del node_at(app[:-1])[app[-1]]
                removed.append(app)
                break
            del container[owner[-1]]
            removed.append(owner)
            parent = owner[:-1]
    return removed + [("emptied", *table) for table in emptied]


def _shifted(loc: Loc, removed: list[Loc]) -> Loc:
    """loc after the removal of the rows at removed (an earlier sibling moves it up by one)."""
    out = list(loc)
    for gone in removed:
        n = len(gone) - 1
        index, orig, at = gone[-1], loc[n] if n < len(loc) else None, out[n] if n < len(out) else None
        if loc[:n] == gone[:-1] and isinstance(index, int) and isinstance(orig, int) and isinstance(at, int) \
                and index < orig:
            out[n] = at - 1
    return tuple(out)


def _admin_findings(data: Any) -> list[tuple]:
    """Provinces and districts named in the new file that no longer exist after 1 July 2025."""
    from ..plan.admin_units import outdated_in

    return [("admin", loc, excerpt, message, True) for loc, excerpt, message in outdated_in(data)]
