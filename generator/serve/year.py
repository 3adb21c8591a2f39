"""The plan's year in the editor (issue 25): the progress sheet of the open plan to download,
filled sheets uploaded and read, the Báo cáo made from them, next year's plan with unfinished tasks
carried, and a spreadsheet catalogue uploaded into the folder as an appendix's source.

The rules are the commands' (`kehoach progress`, `report`, `rollover --progress`, `import
danh-muc.xlsx`), with the editor's for untrusted input:
- an upload is capped while it is read (the route) and judged by the spreadsheet guard (zip
  entries, sizes, ratio) before anything parses it; the parsing itself runs in a process of its
  own within the read budget (jobs.isolated), as the Word import does: a sheet that would take
  the memory of a process takes only that one;
- filled progress sheets are kept outside the folder, in the server's scratch folder, under a
  random id (the page names uploads by id, never by a path); a catalogue is saved into the
  folder, beside the plan that names it, under a free name, never over a file;
- the report is a new data file beside the plan, under a free name (the import's rule).
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import secrets
import shutil
import tempfile
import threading
import unicodedata
from pathlib import Path
from typing import Any

from .. import limits
from ..errors import UserError
from .files import Folder
from .jobs import Downloads, free_name, isolated
from .wording import page_words

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_PROGRESS_BYTES = 32 * 1024 * 1024
"""Bytes of one uploaded progress sheet (the limit `kehoach report` reads a sheet within)."""
MAX_CATALOGUE_BYTES = limits.MAX_SHEET_BYTES
"""Bytes of one uploaded catalogue (the limit of a `table: {sheet: …}` workbook)."""
CATALOGUE_SUFFIXES = (".xlsx", ".ods", ".csv")
MAX_SHEETS_SHOWN = 30
"""Sheets of an uploaded catalogue read for the page to choose from (a workbook may have hundreds)."""


class SheetProblems(UserError):
    """Filled sheets (or a catalogue) with mistakes: every one, each a line the page lists."""

    def __init__(self, message: str, problems: list[str]):
        self.problems = problems
        super().__init__(message)


def file_label(filename: str, default: str) -> str:
    """The user's file name as the page and the messages show it: its last part, no control or
    line break, at most 120 characters."""
    name = Path(filename.replace("\\", "/")).name
    label = "".join(c for c in name if unicodedata.category(c)[0] not in "CZ" or c == " ").strip()[:120]
    return label if label and label not in (".", "..") else default


# --- the uploaded progress sheets ------------------------------------------------------------------

class Uploads:
    """Filled progress sheets sent by the page, each in a folder of its own under a random id, in
    the server's scratch folder (removed with it). At most KEEP are kept, the oldest dropped."""

    KEEP = 40

    def __init__(self, scratch: Path):
        self.root = scratch / "tien-do"
        self.root.mkdir(mode=0o700, exist_ok=True)
        self._items: dict[str, Path] = {}
        self._lock = threading.Lock()

    def add(self, raw: bytes, filename: str) -> dict[str, Any]:
        from ..word.sheet_guard import open_zip

        label = file_label(filename, "tien-do.xlsx")
        if Path(label).suffix.lower() != ".xlsx":
            raise UserError(f"{label}: bảng tiến độ là tệp Excel .xlsx (tệp tải về bằng nút “Tải bảng tiến "
                            "độ”); tệp khác hãy mở bằng Excel rồi lưu lại dạng .xlsx")
        if len(raw) > MAX_PROGRESS_BYTES:
            raise UserError(f"{label}: tệp quá lớn (trên {MAX_PROGRESS_BYTES // 2**20} MB)")
        open_zip(raw, label, ".xlsx").close()  # the zip judged (bomb, entries, ratio) before it is kept
        key = secrets.token_urlsafe(12)
        folder = self.root / key
        folder.mkdir(mode=0o700)
        (folder / label).write_bytes(raw)
        with self._lock:
            self._items[key] = folder / label
            while len(self._items) > self.KEEP:
                old = self._items.pop(next(iter(self._items)))
                shutil.rmtree(old.parent, ignore_errors=True)
        return {"id": key, "name": label, "size": len(raw)}

    def paths(self, ids: Any) -> list[Path]:
        if not isinstance(ids, list) or not ids:
            raise UserError("hãy tải lên ít nhất một bảng tiến độ đã điền")
        if len(ids) > self.KEEP:
            raise UserError(f"chọn tối đa {self.KEEP} bảng tiến độ một lần")
        out = []
        with self._lock:
            for key in ids:
                path = self._items.get(key) if isinstance(key, str) else None
                if path is None or not path.is_file():
                    raise UserError("một bảng tiến độ đã tải lên không còn trên máy (trình soạn thảo đã mở lại?); "
                                    "hãy tải lên lại")
                out.append(path)
        return out


def _as_of(text: Any) -> dt.date:
    from ..jobs.report import parse_as_of

    if not isinstance(text, str) or not text.strip() or len(text) > 40:
        raise UserError("hãy ghi ngày báo cáo (tính đến ngày), ví dụ 30/9/2025")
    return parse_as_of(text)


# --- the progress sheet to download ----------------------------------------------------------------

def progress_sheet(files: Folder, downloads: Downloads, name: str, per_unit: bool) -> dict[str, Any]:
    """The open plan's progress sheet, made to be downloaded (never written into the folder)."""
    from ..jobs.progress import progress_workbook
    from ..plan.loader import load_plan

    source = files.path(name)
    files.read(name)  # the size and encoding checks of opening it
    book = progress_workbook(load_plan(source), name, per_unit=per_unit)
    fd, tmp = tempfile.mkstemp(prefix="tien-do-", suffix=".xlsx", dir=downloads.scratch)
    with open(fd, "wb") as fh:
        fh.write(book.blob)
    filename = f"{Path(name).stem}-tien-do{'-don-vi' if per_unit else ''}.xlsx"
    return {"download": downloads.add(Path(tmp), filename, XLSX), "filename": filename, "tasks": book.tasks,
            "sheets": book.sheets, "warnings": [page_words(w, files.root) for w in book.warnings]}


# --- reading filled sheets, in a process of its own -------------------------------------------------

def _summary(states: list[Any]) -> dict[str, Any]:
    from ..jobs.report import COLUMNS, OVERDUE, Counts

    total = Counts()
    for s in states:
        total.add(s.state)
    return {
        "total": total.total, "done": total.done, "rate": total.rate, "sentence": total.sentence(),
        "columns": [{"label": label, "count": total.by_state[key]} for key, label in COLUMNS.items()],
        "overdue": [{"content": s.task.content, "lead": s.task.lead.replace("\n", ", "), "time": s.task.time}
                    for s in states if s.state == OVERDUE],
        "unreported": sum(1 for s in states if s.report is None),
    }


def _read_in_child(root: str, plan_path: str, sheets: list[str], as_of: str) -> dict[str, Any]:
    from ..jobs.progress import ProgressError, read_progress, unreadable_deadlines
    from ..jobs.report import task_states
    from ..plan.loader import load_plan
    from ..plan.sheets import only_inside
    from ..plan.tasks import plan_tasks

    day = dt.date.fromisoformat(as_of)
    with only_inside(root):  # the plan's own `sheet:` tables: the folder's, as in the server
        plan = load_plan(plan_path)
    tasks = plan_tasks(plan)
    if not tasks:
        raise UserError(f"{Path(plan_path).name}: kế hoạch chưa có nhiệm vụ nào để báo cáo")
    try:
        progress = read_progress(plan, sheets, tasks=tasks, as_of=day)
    except ProgressError as exc:
        return {"problems": exc.problems}
    return {**_summary(task_states(plan, tasks, progress, day)),
            "warnings": progress.warnings + unreadable_deadlines(plan, tasks)}


def _report_in_child(root: str, plan_path: str, sheets: list[str], as_of: str, out: str) -> dict[str, Any]:
    from ..jobs.progress import ProgressError
    from ..jobs.report import build_report
    from ..plan.sheets import only_inside

    try:
        with only_inside(root):
            result = build_report(plan_path, sheets, dt.date.fromisoformat(as_of), out)
    except ProgressError as exc:
        return {"problems": exc.problems}
    return {**_summary(result.states), "warnings": result.warnings,
            "text": Path(out).read_text(encoding="utf-8")}


def _problems(files: Folder, got: dict[str, Any]) -> None:
    if "problems" in got:
        problems = [page_words(p, files.root) for p in got["problems"]]
        raise SheetProblems(f"bảng tiến độ có {len(problems)} chỗ cần sửa; chưa tính, chưa tạo gì", problems)


def read_sheets(files: Folder, uploads: Uploads, name: str, ids: Any, as_of: Any) -> dict[str, Any]:
    """What the uploaded sheets say of the open plan's tasks on the report's day: the counts, the
    overdue tasks; or every bad cell and every contradiction (SheetProblems)."""
    source = files.path(name)
    files.read(name)
    day = _as_of(as_of)
    got = isolated(_read_in_child, str(files.root), str(source), [str(p) for p in uploads.paths(ids)],
                   day.isoformat())
    _problems(files, got)
    return {**got, "as_of": day.isoformat(), "warnings": [page_words(w, files.root) for w in got["warnings"]]}


def make_report(files: Folder, uploads: Uploads, name: str, ids: Any, as_of: Any) -> dict[str, Any]:
    """The Báo cáo data file, new, beside the plan: bao-cao-<plan>.yaml or the next free name."""
    source = files.path(name)
    files.read(name)
    day = _as_of(as_of)
    stem = f"bao-cao-{Path(name).stem}"
    with tempfile.TemporaryDirectory(prefix="kehoach-report-") as work:
        made = Path(work) / f"{stem}.yaml"
        got = isolated(_report_in_child, str(files.root), str(source), [str(p) for p in uploads.paths(ids)],
                       day.isoformat(), str(made))
    _problems(files, got)
    text = got.pop("text")
    folder = Path(name).parent.as_posix()
    prefix = "" if folder == "." else folder + "/"

    def data(new: str) -> bytes:  # the header's "kehoach render NAME" names the file as it is called
        return text.replace(f"kehoach render {stem}.yaml", f"kehoach render {Path(new).name}", 1).encode("utf-8")

    new = free_name(files, prefix + stem, data)
    return {**got, "name": new, "as_of": day.isoformat(),
            "warnings": [page_words(w, files.root) for w in got["warnings"]]}


# --- a catalogue kept in a spreadsheet -----------------------------------------------------------

def _catalogue_in_child(path: str, ref: str, root: str | None) -> dict[str, Any]:
    """Each sheet of the workbook (the first MAX_SHEETS_SHOWN) read as an appendix table, or why not.
    root: the folder the workbook must stay in (a file of the folder, swapped for a link meanwhile)."""
    import contextlib

    from ..plan.sheets import only_inside

    if root and not Path(path).resolve().is_relative_to(root):
        raise UserError(f"{ref}: chỉ dùng được bảng tính nằm trong thư mục dữ liệu")
    with only_inside(root) if root else contextlib.nullcontext():
        return _catalogue_sheets(path, ref)


def _catalogue_sheets(path: str, ref: str) -> dict[str, Any]:
    from ..errors import DataError
    from ..jobs.importer import import_sheet, sheet_names

    names = sheet_names(path)
    out: list[dict[str, Any]] = []
    for sheet in names[:MAX_SHEETS_SHOWN]:
        try:
            got = import_sheet(path, None if Path(path).suffix.lower() == ".csv" else sheet)
        except DataError as exc:
            out.append({"sheet": sheet, "problems": [
                (f"{p.path}: " if p.path else "") + p.message + (f" (ô ghi “{p.value}”)" if p.value else "")
                for p in exc.problems]})
            continue
        except UserError as exc:
            out.append({"sheet": sheet, "problems": [str(exc)]})
            continue
        appendix = got.data["appendices"][0]
        table = appendix["table"]
        source = ref if Path(path).suffix.lower() == ".csv" else f"{ref}#{sheet}"
        out.append({"sheet": sheet, "title": appendix.get("title"), "subtitle": appendix.get("subtitle"),
                    "columns": [c.get("title") or "" for c in table.get("columns", [])],
                    "rows": _count_rows(table.get("rows", [])),
                    "warnings": [n.message for n in got.warnings],
                    "appendix": {**{k: v for k, v in appendix.items() if k != "table"}, "table": {"sheet": source}}})
    return {"sheets": out, "more": max(0, len(names) - MAX_SHEETS_SHOWN)}


def _count_rows(rows: list[Any]) -> int:
    n = 0
    stack = list(rows)
    while stack:
        row = stack.pop()
        if isinstance(row, dict) and "rows" in row:
            stack.extend(row["rows"])
        else:
            n += 1
    return n


def _read_catalogue(files: Folder, path: Path, ref: str, inside: bool = False) -> dict[str, Any]:
    got = isolated(_catalogue_in_child, str(path), ref, str(files.root) if inside else None)
    if not any("appendix" in s for s in got["sheets"]):
        problems = [page_words(f"trang tính '{s['sheet']}': {p}", files.root)
                    for s in got["sheets"] for p in s.get("problems", [])]
        raise SheetProblems(f"{Path(ref).name}: không trang tính nào đọc được thành phụ lục; chưa lưu gì",
                            problems or ["bảng tính không có trang tính nào"])
    for s in got["sheets"]:
        s["problems"] = [page_words(p, files.root) for p in s.get("problems", [])]
        s["warnings"] = [page_words(w, files.root) for w in s.get("warnings", [])]
    return got


def upload_catalogue(files: Folder, name: str, raw: bytes, filename: str) -> dict[str, Any]:
    """An uploaded spreadsheet judged, read in a process of its own, then saved beside the plan
    under a free name; the page links one of its sheets as an appendix (table: {sheet: …})."""
    from ..word.sheet_guard import open_zip

    plan = files.path(name)
    label = file_label(filename, "danh-muc.xlsx")
    suffix = Path(label).suffix.lower()
    if suffix not in CATALOGUE_SUFFIXES:
        raise UserError(f"{label}: chỉ nhận bảng tính .xlsx, .ods hoặc .csv (tệp .xls cũ hãy mở bằng Excel rồi lưu "
                        "lại dạng .xlsx)")
    cap = limits.MAX_DATA_BYTES if suffix == ".csv" else MAX_CATALOGUE_BYTES
    if len(raw) > cap:
        raise UserError(f"{label}: tệp quá lớn (trên {cap // 2**20} MB)")
    if suffix != ".csv":
        open_zip(raw, label, suffix).close()  # judged before any process parses it
    with tempfile.TemporaryDirectory(prefix="kehoach-sheet-") as work:
        probe = Path(work) / label
        probe.write_bytes(raw)
        got = _read_catalogue(files, probe, label)
    from ..text import slugify

    stem = slugify(Path(label).stem, "danh-muc")
    saved = _free_file(files, plan.parent, stem, suffix, raw)
    ref = saved.relative_to(plan.parent).as_posix()
    if ref != label:  # the sheets' sources name the file as saved
        for s in got["sheets"]:
            if "appendix" in s:
                sheet = s["appendix"]["table"]["sheet"]
                s["appendix"]["table"]["sheet"] = ref + sheet[len(label):]
    return {**got, "file": saved.relative_to(files.root).as_posix(), "ref": ref}


def folder_catalogue(files: Folder, name: str, file: Any) -> dict[str, Any]:
    """A spreadsheet already in the folder (beside the plan or below it), read for linking."""
    plan = files.path(name)
    path = spreadsheet_path(files, file)
    try:
        ref = path.relative_to(plan.parent).as_posix()
    except ValueError:
        raise UserError(f"{file}: bảng tính phải nằm cùng thư mục với tệp kế hoạch (hoặc thư mục con của nó) "
                        "để kế hoạch dẫn tới được") from None
    return {**_read_catalogue(files, path, ref, inside=True), "file": path.relative_to(files.root).as_posix(),
            "ref": ref}


def spreadsheet_path(files: Folder, name: Any) -> Path:
    """A spreadsheet of the folder by its name there: refused (UserError, 400) outside the folder,
    through a link, or when it is no spreadsheet."""
    if not isinstance(name, str) or not name or "\x00" in name or "\\" in name or len(name) > 1000:
        raise UserError("tên bảng tính không hợp lệ")
    if Path(name).is_absolute() or any(part in ("..", "", ".") for part in name.split("/")):
        raise UserError(f"{name}: chỉ dùng được bảng tính nằm trong thư mục dữ liệu")
    if Path(name).suffix.lower() not in CATALOGUE_SUFFIXES:
        raise UserError(f"{name}: chỉ dùng được bảng tính .xlsx, .ods hoặc .csv")
    path = files.root / name
    if any(p.is_symlink() for p in [path, *path.parents] if p.is_relative_to(files.root) and p != files.root) \
            or not path.resolve().is_relative_to(files.root):
        raise UserError(f"{name}: là liên kết ra ngoài thư mục dữ liệu; chỉ dùng bảng tính thật trong thư mục")
    if not path.is_file():
        raise UserError(f"{name}: không có bảng tính này trong thư mục dữ liệu")
    return path


def _free_file(files: Folder, folder: Path, stem: str, suffix: str, data: bytes) -> Path:
    """folder/stem.suffix, or stem-2, stem-3…: the first free name, created, never replacing."""
    from ..word.output import AlreadyThere, target

    if not folder.resolve().is_relative_to(files.root):
        raise UserError("thư mục của kế hoạch nằm ngoài thư mục dữ liệu; không lưu")
    for n in range(1, 1000):
        path = folder / (f"{stem}{suffix}" if n == 1 else f"{stem}-{n}{suffix}")
        if path.exists() or path.is_symlink():
            continue
        try:
            target(path).write(data)
        except AlreadyThere:
            continue
        return path
    raise UserError(f"thư mục đã có quá nhiều tệp tên {stem}…; hãy đổi tên tệp tải lên")


# --- next year with the progress ------------------------------------------------------------------

def _rollover_in_child(root: str, source: str, year: int, out: str, sheets: list[str]) -> dict[str, Any]:
    from ..jobs.progress import ProgressError
    from ..jobs.rollover import rollover_file
    from ..plan.sheets import only_inside

    try:
        with only_inside(root):
            result = rollover_file(source, year, out, progress=list(sheets))
    except ProgressError as exc:
        return {"problems": exc.problems}
    return result.to_json()


def rollover_with_progress(files: Folder, source: Path, year: int, out: Path, sheets: list[Path]) -> Any:
    """rollover_file with filled sheets, read in a process of its own; its result as rollover_file's."""
    from ..jobs.rollover import RolloverResult, StaleItem

    got = isolated(_rollover_in_child, str(files.root), str(source), year, str(out), [str(p) for p in sheets])
    _problems(files, got)  # else the child wrote the new file at out
    return RolloverResult(Path(got["source"]), out, got["old_year"], got["new_year"], got["moved"],
                          [StaleItem(**i) for i in got["items"]])


def spawn_context() -> Any:
    """The context of every process the server starts: spawn, never fork (a fork copies the
    server's threads' locks, held or not, into the child)."""
    return multiprocessing.get_context("spawn")
