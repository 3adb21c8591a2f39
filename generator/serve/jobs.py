"""The editor's three jobs: import a Word plan, roll a plan over to next year, issue the final, run
a batch. Each is the library call behind the matching command, with the command's rules:

- an uploaded .docx is inspected (zip bomb, DTD, sizes, depth) before anything reads it, then read
  in a separate process within the CLI's time and memory budget (limits.READ_SECONDS/READ_MEMORY:
  a budget needs a main thread and a process of its own; the server's threads have neither);
- a new data file (import, rollover) is created under a free name in the folder, never over a file
  that is there (generator.word.output, mode create: of two runs at once, one gets the name);
- finals, PDFs and batch results go to FOLDER/output/, by the render rules (a final is never
  overwritten; issuing records number and date in the data file), in the sub-folders the data
  file is in (output/2024/x-so-18.docx for 2024/x.yaml): two plans of one name in two folders
  never share a final; the browser downloads them by a random id, never by a path it names.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import secrets
import shutil
import tempfile
import threading
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .. import limits
from ..errors import DataError, OutputExistsError, UserError
from .files import Folder
from .wording import page_words

MAX_UPLOAD = limits.MAX_DOCX_BYTES
"""Bytes of one uploaded .docx (the same limit as a .docx given to `kehoach import`)."""

READ_TIMEOUT = limits.READ_SECONDS + 30
"""The parent's own deadline for the import process, beyond the budget the child keeps."""

MAX_READERS = 2
"""Reader processes (import, catalogue, progress, report) running at once. Each may take
limits.READ_MEMORY and a LibreOffice of limits.SOFFICE_MEMORY: without a cap, 16 parallel uploads
started 16 processes (a GB of memory for plain plans, many times that for heavy files). One person
runs one job at a time; the second slot lets a catalogue be read while an import runs."""

BUSY_SECONDS = 10.0
"""How long a request waits for a free reader before it is told the editor is busy (a double click
waits its turn; a flood of requests does not hold the server's threads for minutes)."""

_readers = threading.BoundedSemaphore(MAX_READERS)


class Busy(UserError):
    """Every reader process is taken: try again when they are done (answered 503)."""


@dataclass(frozen=True)
class Download:
    path: Path
    filename: str
    media_type: str


class Downloads:
    """Files made for the user to download, each under a random id (the browser never names a path)."""

    KEEP = 200

    def __init__(self) -> None:
        self._items: dict[str, Download] = {}
        self._lock = threading.Lock()
        self.scratch = Path(tempfile.mkdtemp(prefix="kehoach-serve-files-"))
        """Files made only to be downloaded (a batch's zip); removed when the server stops."""

    def close(self) -> None:
        shutil.rmtree(self.scratch, ignore_errors=True)

    def add(self, path: Path, filename: str | None = None, media_type: str | None = None) -> str:
        key = secrets.token_urlsafe(18)
        media = media_type or {".pdf": "application/pdf", ".zip": "application/zip"}.get(
            path.suffix.lower(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        with self._lock:
            self._items[key] = Download(path, filename or path.name, media)
            while len(self._items) > self.KEEP:
                self._items.pop(next(iter(self._items)))
        return key

    def holds(self, path: Path) -> bool:
        """path is a regular file made here to be downloaded (a batch's zip), reached by no link."""
        import stat

        try:
            return (not path.is_symlink() and path.resolve().is_relative_to(self.scratch.resolve())
                    and stat.S_ISREG(path.stat().st_mode))
        except OSError:
            return False

    def get(self, key: str) -> Download | None:
        with self._lock:
            return self._items.get(key)


def pdf_available() -> bool:
    from ..esign.pdf import find_soffice

    try:
        find_soffice()
        return True
    except UserError:
        return False


# --- running a reader in a process of its own -------------------------------------------------------

def _child(conn: Any, fn: Any, args: tuple) -> None:
    """In the child: run fn within the read budget; send ("ok", value) or ("error", message, problems)."""
    try:
        minutes = limits.READ_SECONDS // 60
        with limits.budget(limits.READ_SECONDS, limits.READ_MEMORY,
                           f"tệp quá phức tạp, đọc quá {minutes} phút hoặc quá "
                           f"{limits.READ_MEMORY // 2**30} GB bộ nhớ nên đã dừng; không phải văn bản bình thường"):
            value = fn(*args)
        conn.send(("ok", value))
    except DataError as exc:
        conn.send(("error", str(exc), [asdict(p) for p in exc.problems]))
    except UserError as exc:
        conn.send(("error", str(exc), []))
    except BaseException as exc:  # noqa: BLE001 - a reader's crash is a message, never a dead server
        conn.send(("error", f"không đọc được tệp ({type(exc).__name__})", []))
    finally:
        conn.close()


def isolated(fn: Any, *args: Any, timeout: float = READ_TIMEOUT) -> Any:
    """fn(*args) in a fresh process (spawn: no locks of this threaded server inherited), at most
    MAX_READERS at once; UserError when none is free within BUSY_SECONDS."""
    if not _readers.acquire(timeout=BUSY_SECONDS):
        raise Busy(f"trình soạn thảo đang đọc {MAX_READERS} tệp khác cùng lúc; hãy đợi chúng xong rồi "
                        "thử lại (chưa đọc, chưa ghi gì)")
    try:
        return _isolated(fn, args, timeout)
    finally:
        _readers.release()


def _isolated(fn: Any, args: tuple, timeout: float) -> Any:
    ctx = multiprocessing.get_context("spawn")
    receive, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(send, fn, args), daemon=True)
    proc.start()
    send.close()
    try:
        if not receive.poll(timeout):
            raise UserError("đọc tệp quá lâu nên đã dừng; không phải văn bản bình thường")
        try:
            answer = receive.recv()
        except (EOFError, OSError):
            raise UserError("tiến trình đọc tệp bị dừng bất thường (tệp quá lớn hoặc hỏng?); "
                            "không đọc được") from None
    finally:
        receive.close()
        if proc.is_alive():
            proc.kill()
        proc.join(5)
    if answer[0] == "ok":
        return answer[1]
    if answer[2]:
        from ..errors import Problem

        raise DataError([Problem(**p) for p in answer[2]])
    raise UserError(answer[1])


# --- import ----------------------------------------------------------------------------------------

def _import_in_child(source: str, target: str) -> dict[str, Any]:
    from ..jobs.importer import import_file

    result = import_file(source, target)
    return {"text": result.text, "warnings": [str(w) for w in result.warnings], "note": result.note}


def free_name(files: Folder, stem: str, data: bytes | Callable[[str], bytes]) -> str:
    """Create the data file stem.yaml, or stem-2.yaml, stem-3.yaml… whichever is free; never replace.
    data may be made for the name found (a header naming its own file)."""
    from ..word.output import AlreadyThere, target

    for n in range(1, 1000):
        name = f"{stem}.yaml" if n == 1 else f"{stem}-{n}.yaml"
        path = files.path(name)
        if os.path.lexists(path):
            continue
        try:
            target(path).write(data(name) if callable(data) else data)
        except AlreadyThere:  # taken between the look and the write
            continue
        return name
    raise UserError(f"thư mục đã có quá nhiều tệp tên {stem}…; hãy đổi tên tệp tải lên")


def import_upload(files: Folder, raw: bytes, filename: str) -> dict[str, Any]:
    """The uploaded Word plan imported into a new data file, as `kehoach import` imports it: judged
    by content, not by its name (a .docx, Strict .docx, Flat OPC XML, or a .doc, .odt, .rtf, web page
    or Word 2003 XML that LibreOffice converts), checked here before a process starts, read (and
    converted) in a process of its own."""
    from ..text import slugify
    from ..word.formats import converter, kind_of
    from ..word.package import inspect_package

    # The name goes into the new file's first comment: no line break (nor any control) may ride in.
    label = "".join(c for c in Path(filename.replace("\\", "/")).name
                    if unicodedata.category(c)[0] not in "CZ" or c == " ")[:200].strip() or "tệp tải lên.docx"
    if len(raw) > MAX_UPLOAD:
        raise UserError(f"{label}: tệp quá lớn (trên {MAX_UPLOAD // 2**20} MB)")
    kind = kind_of(raw, label)  # an encrypted or broken .doc/.odt is refused here, as by the command
    if kind is None:
        inspect_package(raw, label)  # refused here, before a process starts, when it is no Word file
    elif kind.by_soffice:
        converter(kind, label)  # no LibreOffice: said now, naming the user's file
    stem = slugify(Path(label).stem, "ke-hoach-nhap")
    with tempfile.TemporaryDirectory(prefix="kehoach-import-") as work:
        # The suffix of what it is (the reader judges by content; a name ending .xlsx must not make
        # the importer take it for a spreadsheet).
        source = Path(work) / f"{stem}{kind.suffix if kind else '.docx'}"
        source.write_bytes(raw)
        try:
            got = isolated(_import_in_child, str(source), str(Path(work) / f"{stem}.yaml"))
        except (DataError, Busy):
            raise
        except UserError as exc:  # the child names the private copy: say the user's file instead
            raise UserError(str(exc).replace(str(source), label)) from None
    text = got["text"].replace(source.name, label, 1)  # the header comment names the user's file
    data = text.encode("utf-8")
    name = free_name(files, stem, data)
    return {"name": name, "warnings": [page_words(w) for w in got["warnings"]],
            **({"note": page_words(got["note"])} if got.get("note") else {})}


# --- rollover --------------------------------------------------------------------------------------

def rollover(files: Folder, name: str, year: Any, sheets: list[Path] | None = None) -> dict[str, Any]:
    """Next year's draft beside the plan; with filled progress sheets (uploaded, see year.py), the
    unfinished tasks carried and the finished one-off ones left out, the sheets read in a process
    of their own."""
    from ..jobs.rollover import default_output, rollover_file
    from ..word.output import AlreadyThere, target as output_target

    # ASCII digits only and at most four: "²" is a digit to str.isdigit but no number to int(), and a
    # 5,000-digit year is past what int() converts.
    text = str(year).strip() if isinstance(year, (int, str)) and not isinstance(year, bool) else ""
    if not re.fullmatch(r"[0-9]{1,4}", text):
        raise UserError("năm mới phải là một số có bốn chữ số, ví dụ 2025")
    year = int(text)
    source = files.path(name)
    files.read(name)  # the same size and encoding checks as opening it
    with tempfile.TemporaryDirectory(prefix="kehoach-rollover-") as work:
        if sheets:
            from .year import rollover_with_progress

            result = rollover_with_progress(files, source, int(year), Path(work) / "nam-moi.yaml", sheets)
        else:
            result = rollover_file(source, int(year), Path(work) / "nam-moi.yaml")
        data = result.output.read_bytes()
    target = default_output(source, result.old_year, result.new_year)
    new_name = target.relative_to(files.root).as_posix()
    try:
        output_target(files.path(new_name), inputs=[source]).write(data)
    except AlreadyThere:
        raise OutputExistsError(f"{new_name}: tệp đã có, không ghi đè; hãy mở tệp đó, hoặc đổi tên nó "
                                "rồi chuyển năm lại") from None
    return {"name": new_name, "old_year": result.old_year, "new_year": result.new_year,
            "moved": result.moved, "items": [_to_look_at(i) for i in result.items]}


def _to_look_at(item: Any) -> dict[str, Any]:
    """A place of the new file the page lists, linked to its field by path. A task the rollover left
    out has no field in the new file: its path is last year's, and there it names the row that moved
    up into its place (another task). It is listed by where it stood (was), with no path to link."""
    from ..jobs.rollover import KINDS

    got = asdict(item)
    # The kind's label is the rollover's own (one list): a kind added there is never shown as its key.
    label = KINDS.get(item.kind, "")
    got["label"] = label[:1].upper() + label[1:]
    if item.line is None and item.was:
        got["path"] = ""
    return got


# --- the final -------------------------------------------------------------------------------------

def issue(files: Folder, downloads: Downloads, name: str, number: Any, date: Any, pdf: bool) -> dict[str, Any]:
    from ..jobs.issue import issue_file, issue_path

    source = files.path(name)
    files.read(name)
    out = files.output_dir(*Path(name).parent.parts)  # the data file's own sub-folders: one final per plan
    number = None if number in (None, "") else number
    date = None if date in (None, "") else date
    if (number is not None and not isinstance(number, (int, str))) or (date is not None and not isinstance(date, str)):
        raise UserError("số hoặc ngày gửi lên không hợp lệ")
    try:
        done = issue_file(source, final=True, number=number, date=date, pdf=bool(pdf), output_dir=out)
    except OutputExistsError as exc:
        from ..jobs.issue import parse_number
        from ..plan.loader import load_plan

        there = issue_path(source, None, final=True, output_dir=out,
                           number=load_plan(source).number or (parse_number(number) if number is not None else None))
        answer: dict[str, Any] = {"error": page_words(str(exc), files.root)}
        if _own_final(files, there):  # never a link to a file elsewhere, offered as "the existing final"
            answer["existing"] = {"docx": downloads.add(there), "name": there.name}
        raise Refused(answer) from None
    got: dict[str, Any] = {"docx": downloads.add(done.docx), "docx_name": done.docx.name,
                           "path": done.docx.relative_to(files.root).as_posix(), "number": done.plan.number,
                           # Issuing wrote number and date into the data file: the page reads it again.
                           "recorded": done.recorded, "digest": files.read(name).digest,
                           "unchanged": done.unchanged or done.pdf_only,
                           "warnings": [page_words(w, files.root) for w in done.warnings],
                           # Earlier drafts and signing copies now beside the final: named, as the
                           # command line names them, never removed (jobs/publish.superseded_draft).
                           "superseded": [_in_folder(files, p) for p in done.superseded]}
    if done.pdf is not None:
        got.update(pdf=downloads.add(done.pdf), pdf_name=done.pdf.name)
    if done.metadata is not None:
        got.update(metadata=downloads.add(done.metadata, media_type="application/json"),
                   metadata_name=done.metadata.name)
    return got


def _in_folder(files: Folder, path: Path) -> str:
    """A file kehoach wrote, as the page names files: by its path in the folder (its name alone,
    should it stand elsewhere: the page never shows a path of the disk)."""
    return path.relative_to(files.root).as_posix() if path.is_relative_to(files.root) else path.name


def _own_final(files: Folder, path: Path) -> bool:
    """Whether the file at a final's name may be offered as "the final that is there": a real file
    of the folder (not a link to anything outside it) that kehoach made as a final."""
    from ..jobs.issue import document_kind

    return (path.is_file() and not path.is_symlink() and path.resolve().is_relative_to(files.root)
            and document_kind(path) == "final")


class Refused(OutputExistsError):
    """An answer the page shows as a refusal, with more than the message (what is already there)."""

    def __init__(self, answer: dict[str, Any]):
        self.answer = answer
        super().__init__(answer["error"])


# --- batch -----------------------------------------------------------------------------------------

def batch(files: Folder, downloads: Downloads, name: str, units: str, pdf: bool) -> dict[str, Any]:
    from ..jobs.batch import run_batch

    if units == name:
        raise UserError("hãy chọn tệp đơn vị (tệp có mục units), không phải chính kế hoạch mẫu")
    files.read(name)
    files.read(units)
    out = files.output_dir(*Path(units).parent.parts, Path(units).stem)
    # The command's worker pool, its processes spawned, never forked: a fork of this threaded
    # server would copy the other threads' locks (held by a preview, a save) into each worker.
    from ..jobs.batch import default_jobs
    from .year import spawn_context

    workers = default_jobs()
    result = run_batch(files.path(name), files.path(units), out, jobs=workers, pdf=bool(pdf),
                       mp_context=spawn_context())
    got: dict[str, Any] = {
        "folder": out.relative_to(files.root).as_posix(), "workers": workers,
        # A final already there and the same as its data gives is kept, not made: said apart, as
        # the command line and the page's own Phát hành say it.
        "written": [d.path.name for d in result.written if not d.kept],
        "kept": [d.path.name for d in result.written if d.kept],
        "pdfs": [p.name for p in result.pdfs],
        "failed": [{"label": f.spec.label, "problems": [page_words(str(p), files.root) for p in f.problems]}
                   for f in result.failed],
        "warnings": [page_words(w, files.root) for w in result.warnings],
    }
    if result.written:
        fd, tmp = tempfile.mkstemp(prefix="batch-", suffix=".zip", dir=downloads.scratch)
        with open(fd, "wb") as fh, zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in [d.path for d in result.written] + list(result.pdfs):
                zf.write(path, path.name)
        got["zip"] = downloads.add(Path(tmp), f"{Path(units).stem}.zip", "application/zip")
    return got
