"""The progress sheet of a plan (`kehoach progress`) and the reading of filled ones.

Written: sheet "Tiến độ" (or, per unit, one sheet per lead unit), one row per task of the plan's
catalogue and task tables: STT, Nội dung, Chủ trì, Thời hạn, Tình trạng (a drop-down), Ngày hoàn
thành, Kết quả, and a hidden column holding the task's key (generator.plan.tasks), so a sheet
sorted, filtered or with rows moved still maps back to its tasks.

Read: several filled sheets at once (each unit sends its own). Every bad cell is reported as
file: Sheet!E7 with the value and the fix, every task two sheets disagree on is reported by task;
all of them together, so the văn thư sends each unit back one list.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import limits
from ..errors import OutputExistsError, UserError
from ..nd30 import day_month
from ..plan.deadlines import plan_year
from ..plan.loader import load_plan
from ..plan.model import Plan
from ..plan.tasks import PlanTask, plan_tasks
from ..text import date_dmy
from ..word.package import OWNER_MAX, AlreadyThere, owner_of, owner_user, publish, read_bounded
from ..word.sheet_guard import SheetTooBig, SheetUse, not_a_spreadsheet, open_zip, owner_file

DONE, DOING, TODO = "Hoàn thành", "Đang thực hiện", "Chưa thực hiện"
STATUSES = (DONE, DOING, TODO)
HEADERS = ("STT", "Nội dung", "Chủ trì", "Thời hạn", "Tình trạng", "Ngày hoàn thành", "Kết quả", "Mã nhiệm vụ")
KEY_COL, STATUS_COL, DATE_COL, RESULT_COL = 7, 4, 5, 6  # 0-based columns of HEADERS
SHEET_NAME = "Tiến độ"
META_SHEET = "kehoach"
FIRST_ROW = 4  # rows 1-2: title and how to fill; row 3: the headers


class ProgressError(UserError):
    """Filled sheets with mistakes; carries all of them."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def plan_label(plan: Plan) -> str:
    """"Kế hoạch số 617/KH-UBND ngày 01/12/2025" (a draft: "Kế hoạch (dự thảo) … năm 2025")."""
    from ..document.context import number_text, short_date, symbol  # wing 3, below jobs

    decision = decision_cited(plan)
    if decision is not None:
        return f"{plan.type.value} ban hành kèm theo {decision[0]}"
    if plan.number is None:
        return f"{plan.type.value} (dự thảo) {plan.subject_text}"
    return f"{plan.type.value} số {number_text(plan.number)}/{symbol(plan)} ngày {short_date(plan.date)}"


def decision_cited(plan: Plan) -> tuple[str, str | None] | None:
    """An issued plan with no number of its own (own_number: false) is cited by the decision its
    subtitle cites, "Quyết định số 25/QĐ-UBND ngày 20/01/2026" as the line prints it, and the line's
    issuer ("của …", None when not named). None for a plan with its own number, or one not issued
    yet: undated, or the decision's number or day still blank."""
    from ..document.context import issuing_decision as cited  # wing 3, below jobs

    ref = cited(plan) if plan.is_final else None
    if ref is None or not (ref.number and ref.day and ref.month):
        return None
    return f"{ref.doc_type} số {ref.number}/{ref.symbol} ngày {ref.day}/{ref.month}/{ref.year}", ref.issuer


# --- writing ------------------------------------------------------------------------------------


@dataclass
class SheetResult:
    output: Path
    tasks: int
    sheets: list[str]
    warnings: list[str] = field(default_factory=list)  # deadlines a report could not read


def _cut(text: str, limit: int) -> str:
    """text in at most limit characters, cut between words and marked "…": a name cut inside a word
    reads as another word ("… thực hiện giải quyết" cut to "… thực hiện giả", "fake")."""
    if len(text) <= limit:
        return text
    head = text[:limit - 1]
    space = head.rfind(" ")
    if space >= limit // 2:
        head = head[:space]
    return head.rstrip(" ,-–") + "…"


# Old-style tone marks ("Hoà", "Thuỷ", "Khoẻ") and new-style ("Hòa", "Thủy", "Khỏe") are one
# spelling to the reader: the key writes the mark on the first vowel of oa, oe, uy.
_TONE_MOVES = {
    f"{first}{marked}": f"{first_marked}{plain}"
    for plain, first, marks, firsts in (
        ("a", "o", "àáảãạ", "òóỏõọ"), ("e", "o", "èéẻẽẹ", "òóỏõọ"), ("y", "u", "ỳýỷỹỵ", "ùúủũụ"))
    for marked, first_marked in zip(marks, firsts, strict=True)
}
_TONE_MOVE = re.compile("|".join(_TONE_MOVES))
_DASH = re.compile(r"\s*[-‐‑‒–—―−]\s*")


def unit_key(name: str) -> str:
    """One key for the ways staff type the same unit: case, spacing, the dash ("Phòng Hành chính -
    Tổng hợp", "… – …", "…-…"), old- or new-style tone marks, a trailing ";" or "." — so a unit
    is one sheet of the progress workbook and one row of the report's count by unit."""
    text = unicodedata.normalize("NFC", name).casefold()
    text = _TONE_MOVE.sub(lambda m: _TONE_MOVES[m.group(0)], text)
    text = _DASH.sub(" - ", text)
    return " ".join(text.split()).strip(" .;,:")


def unit_names(plan: Plan) -> dict[str, str]:
    """The name of each unit the plan declares, by unit_key of every way staff may write it in a
    Chủ trì cell typed as text: its name, its key in any case ("TCCB" for tccb), its abbreviation."""
    names: dict[str, str] = {}
    for key, unit in plan.units.items():
        for alias in (unit.name, key, unit.abbreviation or ""):
            if alias:
                names.setdefault(unit_key(alias), unit.name)
    return names


def by_unit(leads: Iterable[str], names: dict[str, str]) -> Iterable[tuple[str, str]]:
    """(key, name) of each lead unit: one key for all the ways it is written (unit_key, unit_names)."""
    for lead in leads:
        name = names.get(unit_key(lead), lead)
        yield unit_key(name), name


def _sheet_title(name: str, used: set[str]) -> str:
    """An Excel sheet name: no []:*?/\\, at most 31 characters, unique."""
    base = re.sub(r"[\[\]:*?/\\]", "-", name).strip("' ") or "Đơn vị"
    title = _cut(base, 31)
    n = 2
    while title.casefold() in used or title == META_SHEET:
        suffix = f" ({n})"
        title = _cut(base, 31 - len(suffix)) + suffix
        n += 1
    used.add(title.casefold())
    return title


def build_workbook(plan: Plan, tasks: list[PlanTask], *, per_unit: bool) -> tuple[bytes, list[str]]:
    """The workbook's bytes and its sheet names."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    from ..plan.deadlines import plan_year

    wb = Workbook()
    fixed = dt.datetime(2000, 1, 1)
    wb.properties.created = wb.properties.modified = fixed  # same plan, same bytes (but the zip times)
    wb.properties.creator = "kehoach"
    default = wb.active
    assert default is not None
    wb.remove(default)
    if per_unit:
        sheets: dict[str, tuple[str, list[PlanTask]]] = {}  # the same unit however typed: one sheet
        aliases = unit_names(plan)
        for t in tasks:
            for key, unit in by_unit(t.leads or ("Chưa ghi đơn vị chủ trì",), aliases):
                rows = sheets.setdefault(key, (unit, []))[1]
                if not rows or rows[-1] is not t:  # a unit written twice in one cell: one row
                    rows.append(t)
        parts = list(sheets.values())
    else:
        parts = [(SHEET_NAME, tasks)]
    used: set[str] = set()
    names = []
    label = plan_label(plan)
    # The example date is of the plan's own year: a 2027 plan's sheet saying "30/06/2025" reads as a slip.
    year = plan_year(plan.subject_text, plan.year) or plan.year
    wrap = Alignment(wrap_text=True, vertical="top")
    for unit, rows in parts:
        ws = wb.create_sheet(_sheet_title(unit, used))
        names.append(ws.title)
        ws["A1"] = f"TIẾN ĐỘ THỰC HIỆN {label.upper()}" if not per_unit else \
            f"TIẾN ĐỘ THỰC HIỆN {label.upper()} — {unit}"
        ws["A1"].font = Font(bold=True)
        ws["A2"] = ("Chọn Tình trạng trong danh sách (Hoàn thành / Đang thực hiện / Chưa thực hiện); "
                    f"Ngày hoàn thành ghi dạng ngày/tháng/năm, ví dụ 30/06/{year}. Không sửa cột Nội dung; "
                    "được sắp xếp, lọc hàng.")
        ws["A2"].font = Font(italic=True)
        for c, head in enumerate(HEADERS, 1):
            cell = ws.cell(row=3, column=c, value=head)
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        for i, t in enumerate(rows):
            r = FIRST_ROW + i
            values = (i + 1, t.content, t.lead, t.time, None, None, None, t.key)
            for c, v in enumerate(values, 1):
                cell = ws.cell(row=r, column=c, value=v)
                cell.alignment = wrap
            ws.cell(row=r, column=DATE_COL + 1).number_format = "dd/mm/yyyy"
        last = FIRST_ROW + max(len(rows), 1) - 1
        dv = DataValidation(type="list", formula1='"' + ",".join(STATUSES) + '"', allow_blank=True,
                            showErrorMessage=True, errorTitle="Tình trạng",
                            error="Chọn một trong: " + ", ".join(STATUSES))
        dv.add(f"E{FIRST_ROW}:E{last}")
        ws.add_data_validation(dv)
        for col, width in zip("ABCDEFGH", (6, 60, 28, 18, 18, 16, 40, 14), strict=True):
            ws.column_dimensions[col].width = width
        ws.column_dimensions["H"].hidden = True
        ws.freeze_panes = f"A{FIRST_ROW}"
        ws.auto_filter.ref = f"A3:H{last}"  # sorting through the filter moves the hidden key too
    meta = wb.create_sheet(META_SHEET)
    meta["A1"], meta["B1"] = "kehoach-tien-do", 1
    meta["A2"], meta["B2"] = "Kế hoạch", label
    # The year the plan is for: last year's sheet, whose tasks often read the same as this year's
    # (a rolled-over plan keeps them), must not be counted in this year's report.
    meta["A3"], meta["B3"] = "Năm", year
    meta.sheet_state = "veryHidden"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue(), names


@dataclass(frozen=True)
class ProgressWorkbook:
    """A plan's progress sheet as bytes, before anyone decides where it goes (a file, a download)."""

    blob: bytes
    sheets: list[str]
    tasks: int
    warnings: list[str]  # deadlines a report could not read


def progress_workbook(plan: Plan, label: str, *, per_unit: bool = False) -> ProgressWorkbook:
    """The progress sheet of a loaded plan; UserError naming label when it has no task."""
    tasks = plan_tasks(plan)
    if not tasks:
        raise UserError(f"{label}: kế hoạch chưa có nhiệm vụ nào (danh mục nhiệm vụ, hoặc bảng có cột Nội dung/"
                        "Nhiệm vụ và cột Chủ trì hoặc Thời gian) nên chưa có bảng tiến độ")
    blob, names = build_workbook(plan, tasks, per_unit=per_unit)
    return ProgressWorkbook(blob, names, len(tasks), unreadable_deadlines(plan, tasks))


def folder_target(data: str | Path, out: str | Path, prefix: str, suffix: str) -> Path:
    """out, or inside out when it names a folder (an existing one, or written with a trailing
    slash): <prefix><data file's name><suffix>, never outside that folder."""
    from ..word.output_paths import contained

    if str(out).endswith(("/", "\\")) or Path(out).is_dir():
        return contained(out, prefix + Path(data).stem + suffix)
    return Path(out)


def write_progress_sheet(data: str | Path, out: str | Path, *, per_unit: bool = False) -> SheetResult:
    """Write the progress sheet of a plan file; never replaces a file. The library call behind
    `kehoach progress`."""
    out = folder_target(data, out, "tien-do-don-vi-" if per_unit else "tien-do-", ".xlsx")
    if out.suffix.lower() != ".xlsx":
        raise UserError(f"{out}: bảng tiến độ phải có đuôi .xlsx (hoặc -o là một thư mục có sẵn)")
    plan = load_plan(data)
    if plan.dossier is not None:  # a plan whose dossier is issued goes out under its decision
        from .dossier import issued_plan  # dossier imports this module

        plan = issued_plan(plan)
    book = progress_workbook(plan, str(data), per_unit=per_unit)
    try:
        publish(out, book.blob, replace=False)
    except AlreadyThere:
        raise OutputExistsError(f"{out}: tệp đã có; kehoach không ghi đè bảng tiến độ (có thể đã được "
                                "điền): hãy chọn tên khác với -o") from None
    return SheetResult(out, book.tasks, book.sheets, book.warnings)


def unreadable_deadlines(plan: Plan, tasks: list[PlanTask]) -> list[str]:
    """A message per task whose Thời hạn names no day: a report will not count it overdue."""
    from ..plan.deadlines import plan_year, read_deadline

    year = plan_year(plan.subject_text, plan.year)
    return [f"nhiệm vụ “{_short(t.content)}”: thời hạn “{t.time}” không đọc được thành ngày nên không bao giờ "
            f"tính quá hạn; ghi rõ (ví dụ Quý IV/{year or plan.year}, Tháng 6/{year or plan.year}, "
            f"30/06/{year or plan.year}) nếu cần"
            for t in tasks if read_deadline(t.time, year).kind == "unreadable"]


# --- reading ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    """One filled row: what a unit says of a task."""

    status: str  # one of STATUSES
    done_on: dt.date | None
    result: str
    where: str  # "tien-do.xlsx: Tiến độ!E7"


@dataclass
class Progress:
    """What the filled sheets say, by task key; tasks no sheet reports are absent."""

    by_key: dict[str, Report] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip().casefold()


_STATUS = {_norm(s): s for s in STATUSES}


def parse_status(value: Any) -> str | None:
    """A Tình trạng cell: one of STATUSES (any case and spacing), "" for an empty cell, None if not."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    if not isinstance(value, str):
        return None
    return _STATUS.get(_norm(value))


def parse_day(value: Any) -> dt.date | None:
    """A Ngày hoàn thành cell: a date Excel stored, or text dd/mm/yyyy (also d/m/yyyy, dd-mm-yyyy,
    dd.mm.yyyy, yyyy-mm-dd). None when it is none of these."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 20_000 < value < 80_000:
        from openpyxl.utils.datetime import from_excel

        day = from_excel(value)
        return day.date() if isinstance(day, dt.datetime) else day if isinstance(day, dt.date) else None
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        m = re.fullmatch(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})", text)
        if m:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
        if m:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
    return None


def unreadable_day(value: Any) -> str:
    """Why parse_day found no day in value, in a văn thư's words: a calendar slip ("31/02/2025" is
    "tháng 2/2025 không có ngày 31") is named, since the fix is the number, not the form; anything
    else "không đọc được"."""
    text = str(value).strip() if isinstance(value, str) else ""
    m = re.fullmatch(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})", text)
    day, month, year = (int(g) for g in m.groups()) if m else (0, 0, 0)
    if not m:
        m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
        if m:
            year, month, day = (int(g) for g in m.groups())
    if not m:
        return "không đọc được"
    if not 1 <= month <= 12:
        return f"không có tháng {month}"
    return f"tháng {month}/{year} không có ngày {day}"


def _guard(path: Path) -> bytes:
    """The file's bytes when it is a workbook safe to open: bounded size, an ordinary zip (no zip
    bomb, no DTD in its XML). Checked before openpyxl parses anything."""
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".xlsm", ".xls", ".ods"):
        raise UserError(f"{path}: bảng tiến độ đã điền phải là bảng tính .xlsx (hoặc .xls, .ods); hãy mở tệp "
                        "bằng Excel hoặc LibreOffice rồi Lưu thành kiểu “Excel Workbook (*.xlsx)”")
    data = read_bounded(path, str(path), limits.MAX_PROGRESS_BYTES)
    if suffix in (".xls", ".ods"):
        return data  # judged by plan.sheets (sheet_guard) before its reader parses it
    if data.startswith(b"\xd0\xcf\x11\xe0"):  # an OLE file: a password-protected workbook, or an .xls renamed
        raise not_a_spreadsheet(data, str(path), suffix, path)
    if (owner := owner_file(data, str(path), path)) is not None:
        raise owner
    if not data.startswith(b"PK"):
        raise UserError(f"{path}: không phải tệp Excel .xlsx (tệp .xls cũ hoặc tệp khác?); hãy mở bằng Excel "
                        "rồi Lưu thành kiểu “Excel Workbook (*.xlsx)”")
    # The zip judged as every spreadsheet is (word.sheet_guard): entries, sizes, ratio, encryption.
    zf = open_zip(data, str(path), ".xlsx", path)
    for info in zf.infolist():
        if info.filename.lower().endswith((".xml", ".rels")):
            try:
                blob = zf.read(info)
            except Exception:  # noqa: BLE001 - a damaged member of a user's file
                raise UserError(f"{path}: phần {info.filename} bị hỏng, không đọc được") from None
            if b"<!doctype" in blob[:4096].lower() or b"<!entity" in blob.lower():
                raise UserError(f"{path}: phần {info.filename} có khai báo DTD/thực thể XML, điều Excel không "
                                "bao giờ ghi; tệp có thể độc hại, không đọc")
    return data


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _col(c: int) -> str:
    """Excel's letters of 0-based column c (A, …, Z, AA, …)."""
    from ..plan.sheets import cell_name

    return cell_name("", 0, c)[1:-1]


def read_progress(plan: Plan, sheets: Iterable[str | Path], *, tasks: list[PlanTask] | None = None,
                  as_of: dt.date | None = None) -> Progress:
    """What the filled sheets say about the plan's tasks. ProgressError listing every bad cell and
    every contradiction when there is one."""
    tasks = plan_tasks(plan) if tasks is None else tasks
    known = {t.key: t for t in tasks}
    reports: dict[str, list[Report]] = {}
    problems: list[str] = []
    out = Progress()
    paths = _sheet_files([Path(s) for s in sheets], out.warnings)
    example_year = as_of.year if as_of else plan_year(plan.subject_text, plan.year) or plan.year
    if not paths:
        raise UserError("cần ít nhất một bảng tiến độ đã điền (--progress TỆP.xlsx)")
    names = Counter(p.name for p in paths)
    seen: Counter[str] = Counter()
    for path in paths:
        # Units send back the sheet under the name it was sent with, each in a folder of its own:
        # a name given twice is told apart by its place in the list (a page's uploads have no folder
        # worth showing).
        seen[path.name] += 1
        label = path.name if names[path.name] == 1 else f"{path.name} (tệp thứ {seen[path.name]} cùng tên)"
        data = _guard(path)
        with limits.read_budget(path, what="bảng tính", kind="bảng tiến độ"):
            found = _read_book(path, label, data, known, reports, problems, out.warnings, as_of,
                               plan_label(plan), example_year, plan_year(plan.subject_text, plan.year),
                               f"{plan.type.value} (dự thảo) {plan.subject_text}")
        if not found:
            problems.append(f"{label}: không có trang tính nào có cột Tình trạng và cột Mã nhiệm vụ (ẩn) của "
                            "kehoach; hãy điền bảng do lệnh kehoach progress tạo, không chép sang bảng khác")
        out.sheets.append(str(path))
    for key, said in reports.items():
        # Sheets agree when they give one status and at most one day (a unit may leave the day out).
        statuses = {r.status for r in said}
        days = {r.done_on for r in said if r.done_on is not None}
        if len(statuses) > 1 or len(days) > 1:
            t = known[key]
            lines = "; ".join(f"{r.where} = {r.status or '(trống)'}"
                              + (f" ngày {said_day(r.done_on)}" if r.done_on else "") for r in said)
            lead = t.lead.replace("\n", ", ") or "không ghi"
            problems.append(f"nhiệm vụ “{_short(t.content)}” (Chủ trì: {lead}): các bảng ghi khác nhau: {lines}; "
                            "hãy thống nhất với đơn vị rồi sửa cho giống nhau")
            continue
        results = [r.result for r in said if r.result]
        merged = "\n".join(dict.fromkeys(results))
        out.by_key[key] = Report(said[0].status, next(iter(days), None), merged, said[0].where)
    if problems:
        raise ProgressError(problems)
    return out


_SHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
_FOLDER_MOST = 1000
"""Sheets read from one folder: a unit's reply each, a province has a few hundred units."""


def _sheet_files(given: list[Path], notes: list[str]) -> list[Path]:
    """The sheets to read: each file given, and the spreadsheets in a folder given (the folder the
    units' replies were saved in). Excel's owner file (~$tien-do.xlsx, beside a workbook someone
    has open) found in a folder, or given beside the workbook it stands for (a shell's *.xlsx
    picks both), is left out with a note: the workbook itself is read; given alone, _guard says
    what it is."""
    files: list[Path] = []
    for path in given:
        if not path.is_dir():
            files.append(path)
            continue
        try:
            with os.scandir(path) as entries:
                found = sorted(Path(e.path) for e in itertools.islice(entries, _FOLDER_MOST + 1)
                               if e.name.lower().endswith(_SHEET_SUFFIXES) and e.is_file())
        except OSError as exc:
            raise UserError(f"{path}: không đọc được thư mục ({exc.strerror or exc})") from None
        if len(found) > _FOLDER_MOST:
            raise UserError(f"{path}: thư mục có hơn {_FOLDER_MOST} bảng tính; hãy để riêng các bảng tiến độ "
                            "đã điền vào một thư mục")
        owners = {p: who for p in found if (who := _owner_file_user(p)) is not None}
        notes.extend(f"{p}: bỏ qua tệp khóa tạm Excel (bảng tính cùng tên trong thư mục đang được mở"
                     + (f" bởi {who}" if who else "") + "); nếu bảng đó vừa được sửa, hãy lưu và đóng Excel "
                     "rồi chạy lại" for p, who in owners.items())
        sheets = [p for p in found if p not in owners]
        if not sheets:
            raise UserError(f"{path}: thư mục không có bảng tính nào ({', '.join(_SHEET_SUFFIXES)}); hãy chọn "
                            "thư mục chứa các bảng tiến độ đã điền")
        files += sheets
    named = {p.name for p in files}
    kept = []
    for p in files:
        if p.name.startswith("~$") and any(n != p.name and n.endswith(p.name[2:]) for n in named) \
                and _owner_file_user(p) is not None:
            notes.append(f"{p}: bỏ qua tệp khóa tạm Excel; bảng tính nó đứng thay đã có trong danh sách")
        else:
            kept.append(p)
    return kept


def _owner_file_user(path: Path) -> str | None:
    """Who has the workbook open when path is Excel's owner file (word.package.owner_of: its name
    and the few bytes it holds; "" when it names nobody readable); None when it is not one."""
    try:
        head = read_bounded(path, str(path), OWNER_MAX + 1, head=True)
    except UserError:
        return None
    return owner_user(head) if owner_of(path.name, None, head) is not False else None


def said_day(day: dt.date) -> str:
    """A day as a message shows it to staff: 01/08/2025 (the document's own text keeps vi_day)."""
    return date_dmy(day.year, day.month, day.day)


def vi_day(day: dt.date) -> str:
    """"30/6/2025": the numeric date of Phụ lục I (0 before days below 10 and months 1, 2)."""
    d, m = day_month(day.day, day.month)
    return f"{d}/{m}/{day.year}"


def _short(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n - 1] + "…"


PROGRESS_SHEET = SheetUse("quá lớn so với một bảng tiến độ",
                          "Bảng do lệnh kehoach progress tạo chỉ có một hàng cho mỗi nhiệm vụ của kế hoạch: hãy "
                          "điền vào bảng đó, không chép bảng tính khác vào")
"""A filled progress sheet refused for its size, in its own words (not a catalogue's)."""


def _read_book(path: Path, label: str, data: bytes, known: dict[str, PlanTask],
               reports: dict[str, list[Report]], problems: list[str], warnings: list[str],
               as_of: dt.date | None, expected: str, example_year: int, year: int | None,
               draft_label: str = "") -> bool:
    """Read one workbook's rows into reports and problems. draft_label: the label the plan had as a
    draft (a sheet made before its issue is still this plan's)."""
    from ..plan.sheets import uncomputed_problems, workbook_sheets

    found = False
    try:
        sheets = workbook_sheets(path, data)
    except SheetTooBig as exc:
        raise exc.said_as(PROGRESS_SHEET) from None  # the size refusal in a progress sheet's words
    for ws in sheets:
        if ws.name != META_SHEET:
            continue
        rows = ws.rows
        # The plan the sheet was made for: another plan's sheet is worth a word even when
        # some of its tasks read the same (the keys still decide which task a row is).
        written = rows[1][1] if len(rows) > 1 and len(rows[1]) > 1 else ""
        said_year = rows[2][1] if len(rows) > 2 and len(rows[2]) > 1 and rows[2][0] == "Năm" else ""
        # A sheet made before the year was written down: the year its label's trích yếu names.
        sheet_year = int(said_year) if said_year.isdigit() else plan_year(written, 0) if written else None
        if year and sheet_year and sheet_year != year:
            problems.append(f"{label}: đây là bảng tiến độ của kế hoạch năm {sheet_year} (“{written}”), không phải "
                            f"của kế hoạch năm {year} đang báo cáo; hãy gửi đơn vị bảng của năm {year} (kehoach "
                            "progress) hoặc bỏ tệp này")
            return True
        if expected and written and written not in (expected, draft_label):
            warnings.append(f"{label}: bảng được tạo cho “{written}”, không phải “{expected}”; kiểm tra "
                            "đúng bảng của kế hoạch này")
    for ws in sheets:
        rows = ws.rows
        if ws.name == META_SHEET:
            continue
        head = _header(rows)
        if head is None:
            continue
        found = True
        header_row, at = head
        letters = [_col(c) if c >= 0 else "?" for c in at]
        filled = {at[c] for c in (STATUS_COL, DATE_COL, RESULT_COL) if at[c] >= 0}
        _fill_merged(rows, ws.merged, filled)
        bad_cells = {(r, c): value for r, c, value, _ in ws.problems if c in filled}
        # A formula in a column read here whose value the file does not hold reads empty: a date
        # computed by =DATE(…) would be "không ghi ngày", a status "not reported". Said at its cell;
        # its row is not read further (what it says is not known).
        uncomputed = [cell for cell in ws.uncomputed if cell[0] >= header_row and cell[1] in at]
        problems.extend(f"{label}: {ws.name}!{_col(c)}{r + 1}: {message}"
                        for r, c, _, message in uncomputed_problems(uncomputed))
        unknown = {(r, c) for r, c, *_ in uncomputed}
        # A merged cell's value stands for every row it covers (_fill_merged): not known in any of them.
        unknown_rows = {r for r, _ in unknown} | {r for (r0, c0), (r1, _c1) in ws.merged if (r0, c0) in unknown
                                                  for r in range(r0, r1 + 1)}
        for r0 in range(header_row, len(rows)):
            r = r0 + 1
            if r > limits.MAX_PROGRESS_ROWS + 10:
                problems.append(f"{label}: {ws.name}: quá {limits.MAX_PROGRESS_ROWS} hàng; không phải bảng tiến "
                                "độ của một kế hoạch")
                break
            if r0 in unknown_rows:
                continue
            row = rows[r0]
            cells = [row[c] if 0 <= c < len(row) else "" for c in at]
            errors = [(c, v) for (er, c), v in bad_cells.items() if er == r0]
            if errors and cells[KEY_COL]:
                problems.extend(f"{label}: {ws.name}!{_col(c)}{r}: ô có lỗi công thức “{v}”; hãy sửa hoặc "
                                "ghi thẳng giá trị" for c, v in errors)
                continue
            _read_row(label, ws.name, r, cells, known, reports, problems, warnings, as_of, example_year, letters)
    return found


_NEEDED = (STATUS_COL, KEY_COL)  # without these a row says nothing of a known task


def _header(rows: list[list[str]]) -> tuple[int, list[int]] | None:
    """The header row (0-based) among the first ten and the column of each of HEADERS in it (-1
    when absent), found by its words: a unit that inserted a column (Ghi chú, Người thực hiện)
    or a title row above still has every answer read from its own column."""
    wanted = {_norm(h): i for i, h in enumerate(HEADERS)}
    for r0, row in enumerate(rows[:10]):
        at = [-1] * len(HEADERS)
        for c, text in enumerate(row):
            i = wanted.get(_norm(text)) if text else None
            if i is not None and at[i] < 0:
                at[i] = c
        if all(at[i] >= 0 for i in _NEEDED):
            return r0 + 1, at
    return None


def _fill_merged(rows: list[list[str]], merged: list[tuple[tuple[int, int], tuple[int, int]]],
                 columns: set[int]) -> None:
    """A Tình trạng, Ngày hoàn thành or Kết quả cell (columns) merged over several rows says its
    value for every row it covers, as the reader of the sheet sees it; the file keeps it in the
    top cell only, so rows under it would read as not reported."""
    for (r0, c0), (r1, _c1) in merged:
        if c0 not in columns or r0 >= len(rows) or c0 >= len(rows[r0]):
            continue
        value = rows[r0][c0]
        for r in range(r0 + 1, min(r1, len(rows) - 1) + 1):
            row = rows[r]
            if len(row) <= c0:
                row.extend([""] * (c0 + 1 - len(row)))
            row[c0] = value


def _read_row(label: str, sheet: str, r: int, cells: list[Any], known: dict[str, PlanTask],
              reports: dict[str, list[Report]], problems: list[str], warnings: list[str],
              as_of: dt.date | None, example_year: int, letters: list[str]) -> None:
    key = _cell_text(cells[KEY_COL])
    where = f"{label}: {sheet}!"
    if not any(_cell_text(c) for c in cells):
        return
    if not key:
        if any(_cell_text(cells[c]) for c in (STATUS_COL, DATE_COL, RESULT_COL)):
            what = f"hàng “{_short(_cell_text(cells[1]))}”" if _cell_text(cells[1]) else f"hàng {r}"
            problems.append(f"{where}{letters[KEY_COL]}{r}: {what} không có mã nhiệm vụ (cột "
                            f"{letters[KEY_COL]} ẩn) nên không biết là nhiệm vụ nào; đừng thêm hàng mới, hãy điền "
                            "vào hàng của nhiệm vụ đó")
        return
    task = known.get(key)
    if task is None and any(_cell_text(cells[c]) for c in (STATUS_COL, DATE_COL, RESULT_COL)):
        problems.append(f"{where}{letters[KEY_COL]}{r}: nhiệm vụ “{_short(_cell_text(cells[1]))}” (mã {key}) không "
                        "có trong kế hoạch này: bảng của kế hoạch khác, hoặc nội dung nhiệm vụ đã sửa sau khi phát "
                        "bảng; hãy tạo lại bảng bằng kehoach progress rồi chép tình trạng sang")
    if task is None:
        return  # a row left empty says nothing, whatever task it was
    raw_status, raw_day = cells[STATUS_COL], cells[DATE_COL]
    status = parse_status(raw_status)
    bad = False
    if status is None:
        problems.append(f"{where}{letters[STATUS_COL]}{r}: tình trạng “{_cell_text(raw_status)}” không có trong danh "
                        f"sách; chọn một trong: {', '.join(STATUSES)}"
                        + ("; phần trăm đã làm ghi vào cột Kết quả" if _cell_text(raw_status).endswith("%") else ""))
        bad = True
    day = None
    if _cell_text(raw_day):
        day = parse_day(raw_day)
        if day is None:
            problems.append(f"{where}{letters[DATE_COL]}{r}: ngày hoàn thành “{_cell_text(raw_day)}” "
                            f"{unreadable_day(raw_day)}; "
                            f"ghi dạng ngày/tháng/năm, ví dụ 30/06/{example_year}")
            bad = True
        elif status not in (DONE, None):
            problems.append(f"{where}{letters[DATE_COL]}{r}: có ngày hoàn thành {said_day(day)} nhưng tình trạng là "
                            f"“{status or '(trống)'}”; chọn Hoàn thành hoặc xóa ngày")
            bad = True
        elif as_of is not None and day > as_of:
            problems.append(f"{where}{letters[DATE_COL]}{r}: ngày hoàn thành {said_day(day)} sau ngày báo cáo "
                            f"{said_day(as_of)}; kiểm tra lại ngày")
            bad = True
    if bad or not status:
        return  # an empty status: the unit has not reported this task
    if status == DONE and day is None:
        warnings.append(f"{where}{letters[DATE_COL]}{r}: nhiệm vụ “{_short(task.content)}” hoàn thành nhưng không ghi "
                        "ngày; được tính là đúng hạn")
    result = _cell_text(cells[RESULT_COL])
    reports.setdefault(key, []).append(Report(status, day, result, f"{where}{letters[STATUS_COL]}{r}"))
