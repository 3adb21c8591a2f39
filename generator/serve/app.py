"""`kehoach serve`: the plan editor as a small Starlette app, for one person on their own machine.

Security for a local server: it listens on 127.0.0.1 only; every /api call carries the random
session token printed in the URL (a custom header, so another web site open in the same browser
cannot forge a write: browsers do not send custom headers cross-origin without asking); the Host
header must be this machine (DNS rebinding); request bodies are bounded; file names are checked
by Folder (inside the folder, no links out, .yaml only).
"""

from __future__ import annotations

import asyncio
import json
import re
import secrets
import threading
from contextlib import asynccontextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from .. import limits
from ..errors import DataError, OutputExistsError, Problem, UserError
from ..plan.sheets import only_inside
from ..plan.yamledit import compose
from ..text import number_vi
from . import connections, jobs
from .files import Folder, NotAllowed, digest
from .preview import Previews, PreviewUnavailable
from .wording import page_words
from .year_routes import year_routes

HOST = "127.0.0.1"
STATIC = Path(__file__).resolve().parent / "static"
TOKEN_HEADER = "x-kehoach-token"
MAX_BODY = 2 * limits.MAX_DATA_BYTES + 65536
"""A JSON body is larger than the YAML it becomes, but not by more than this."""

BOM = b"\xef\xbb\xbf"


def _depth(value: Any, most: int) -> bool:
    """Whether value nests deeper than most levels, found without recursion (a body nested 900
    deep must be a 400, not a RecursionError in whatever walks it next)."""
    stack = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, (dict, list)):
            if level > most:
                return True
            stack.extend((v, level + 1) for v in (item.values() if isinstance(item, dict) else item))
    return False


_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
BODY_VALUES = limits.MAX_YAML_NODES + 1000
"""Values a JSON body may hold: a data file's (the loader takes no more), and the request's own
fields. Why counted before parsing: json builds every value first; 60 MB of "{}," is 20 million
dicts, 98 s and 2.9 GB in the server's own process."""


def _values(raw: bytes) -> int:
    """About the JSON values in raw, never fewer (a value follows a comma or opens its container;
    an empty {} counts twice), counted in bytes outside the strings; the strings are only stripped
    when the quick count over all the bytes says there may be too many."""
    quick = raw.count(b",") + raw.count(b"[") + raw.count(b"{") + 1
    if quick <= BODY_VALUES:
        return quick
    bare = _JSON_STRING.sub(b'""', raw)
    return bare.count(b",") + bare.count(b"[") + bare.count(b"{") + 1


def _problem(p: Problem) -> dict[str, Any]:
    return {"path": p.path, "line": p.line, "column": p.column, "value": p.value, "message": page_words(p.message)}


class TooLarge(UserError):
    """A request body past its cap: answered 413 and the connection closed, so the rest of the
    body is never received either (kept alive, the server would go on reading it to discard)."""


class TooSlow(UserError):
    """A request body not delivered within connections.BODY_SECONDS: answered 408 and the connection
    closed (a client trickling its body would otherwise hold its connection for good)."""


class _TokenGuard:
    """Pure ASGI: /api/* needs the session token (header, or ?t= for images)."""

    def __init__(self, app: Any, token: str):
        self.app, self.token = app, token

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"].startswith("/api/"):
            request = Request(scope)
            given = request.headers.get(TOKEN_HEADER) or (
                request.query_params.get("t", "") if scope["method"] == "GET" else "")
            if not secrets.compare_digest(given.encode(), self.token.encode()):
                response = JSONResponse({"error": "phiên làm việc không hợp lệ; hãy mở lại địa chỉ "
                                                  "in ra khi chạy kehoach serve"}, status_code=403)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


class _Session:
    """What every handler of one editor shares: the folder, the previews, the downloads, the lock
    that makes a save one at a time; and the reading of a request (bounded body, JSON, file name)."""

    def __init__(self, folder: str | Path, previews: Previews | None) -> None:
        self.files = Folder(folder)
        self.previews = previews or Previews()
        self.save_lock = threading.Lock()
        self.downloads = jobs.Downloads()

    @staticmethod
    def file_name(payload: dict[str, Any]) -> str:
        name = payload.get("name")
        if not isinstance(name, str) or not name:
            raise UserError("thiếu tên tệp dữ liệu (trường name)")
        return name

    async def body(self, request: Request) -> dict[str, Any]:
        raw = await self.upload(request, MAX_BODY, "dữ liệu gửi lên quá lớn")
        values = await run_in_threadpool(_values, raw)
        if values > BODY_VALUES:
            most = number_vi(limits.MAX_YAML_NODES)
            raise UserError(f"dữ liệu gửi lên có quá nhiều giá trị: một tệp dữ liệu chứa tối đa {most} giá trị; "
                            "chưa đọc, chưa ghi gì")
        try:
            payload = json.loads(raw)
        except (ValueError, RecursionError):
            raise UserError("dữ liệu gửi lên không phải JSON hợp lệ") from None
        if not isinstance(payload, dict):
            raise UserError("dữ liệu gửi lên không hợp lệ")
        if _depth(payload, limits.MAX_DEPTH + 2):
            raise UserError(f"dữ liệu gửi lên lồng nhau quá sâu (tối đa {limits.MAX_DEPTH} cấp)")
        return payload

    def checked(self, name: str, data: Any) -> tuple[bytes, Any, list[Problem]]:
        """The file's new bytes with `data` written in, the plan (None if invalid), the problems:
        the same validation as `kehoach validate`, located in the text that would be saved. The
        file keeps its line ends (CRLF) and byte order mark; bytes the editor could not open again
        (over the data file limit) are refused."""
        from ..plan.loader import validate

        files = self.files
        snap = files.read(name)
        newline = snap.newline
        text, source = compose(snap.text.replace("\r\n", "\n") if newline == "\r\n" else snap.text, data,
                               str(files.path(name)))
        raw = (BOM if snap.bom else b"") + (text.replace("\n", newline) if newline != "\n" else text).encode("utf-8")
        if len(raw) > limits.MAX_DATA_BYTES:
            raise UserError(f"{name}: dữ liệu này thành tệp {len(raw) / 2**20:.0f} MB, quá giới hạn "
                            f"{limits.MAX_DATA_BYTES // 2**20} MB của tệp dữ liệu (trình soạn thảo sẽ không mở "
                            "lại được); chưa ghi — hãy chuyển bớt phụ lục lớn sang bảng tính")
        try:
            return raw, validate(source), []
        except DataError as exc:
            return raw, None, exc.problems

    @staticmethod
    async def upload(request: Request, cap: int, what: str = "tệp tải lên quá lớn") -> bytes:
        """The raw request body, refused past cap bytes while it is read (whatever Content-Length
        claims, chunked or not): never more than cap bytes are held."""
        too_big = f"{what} (trên {cap // 2**20} MB)"
        length = request.headers.get("content-length") or "0"
        if not length.isascii() or not length.isdigit() or len(length) > 18 or int(length) > cap:
            raise TooLarge(too_big)
        chunks, size = [], 0

        async def read() -> None:
            nonlocal size
            async for chunk in request.stream():
                size += len(chunk)
                if size > cap:
                    raise TooLarge(too_big)
                chunks.append(chunk)

        try:
            await asyncio.wait_for(read(), connections.BODY_SECONDS)
        except TimeoutError:
            raise TooSlow(f"dữ liệu gửi lên chưa đến đủ sau {connections.BODY_SECONDS:.0f} giây; "
                          "chưa ghi gì, hãy thử lại") from None
        return b"".join(chunks)

    async def confined(self, fn: Any, *args: Any) -> Any:
        """fn(*args) in a worker thread, reading spreadsheets only inside the folder (a data file's
        table.sheet naming a workbook elsewhere is refused, its sheet names never told)."""
        def work() -> Any:
            with only_inside(self.files.root):
                return fn(*args)

        return await run_in_threadpool(work)


def _file_routes(s: _Session) -> list[Route]:
    """The data files: list, open, validate, save (never over a change made elsewhere)."""
    files = s.files

    async def list_files(request: Request) -> Response:
        listed = await s.confined(files.list)
        return JSONResponse({"folder": str(files.root), "files": listed, "pdf": jobs.pdf_available()})

    async def schema(request: Request) -> Response:
        from ..plan.schema import plan_schema

        return JSONResponse(plan_schema())

    async def load(request: Request) -> Response:
        from ..plan.loader import parse_yaml, validate

        name = request.query_params.get("name", "")

        def work() -> dict[str, Any]:
            snap = files.read(name)
            source = parse_yaml(snap.text, str(files.path(name)))  # DataError: not a form, fix by hand
            try:
                validate(source)
                problems: list[Problem] = []
            except DataError as exc:
                problems = exc.problems
            return {"name": name, "data": source.data, "digest": snap.digest,
                    "problems": [_problem(p) for p in problems]}

        return JSONResponse(await s.confined(work))

    async def check(request: Request) -> Response:
        payload = await s.body(request)
        _, _, problems = await s.confined(s.checked, s.file_name(payload), payload.get("data"))
        return JSONResponse({"problems": [_problem(p) for p in problems]})

    async def save(request: Request) -> Response:
        from ..word.output import AlreadyThere, target

        payload = await s.body(request)
        name, data = s.file_name(payload), payload.get("data")

        def work() -> Response:
            with s.save_lock:
                # Decided before reading: what is replaced is the file whose digest is compared, not
                # one another program saved in between (replace-seen).
                out = target(files.path(name))
                snap = files.read(name)
                if payload.get("digest") != snap.digest and not payload.get("force"):
                    return changed(snap.digest)
                raw, _, problems = s.checked(name, data)
                try:
                    out.write(raw, "replace" if payload.get("force") else "replace-seen")
                except AlreadyThere:
                    return changed(files.read(name).digest)
                return JSONResponse({"digest": digest(raw), "problems": [_problem(p) for p in problems]})

        def changed(now: str) -> Response:
            return JSONResponse({
                "error": f"{name}: tệp đã được sửa ở nơi khác từ khi mở nên chưa ghi, để không "
                         "mất phần sửa đó. Hãy tải lại tệp, hoặc chọn ghi đè nếu chắc chắn.",
                "digest": now}, status_code=409)

        return await s.confined(work)

    return [
        Route("/api/files", list_files),
        Route("/api/schema", schema),
        Route("/api/file", load),
        Route("/api/validate", check, methods=["POST"]),
        Route("/api/save", save, methods=["POST"]),
    ]


def _preview_routes(s: _Session) -> list[Route]:
    """The preview: the document rendered from unsaved data, its pages as images."""
    previews = s.previews

    async def preview(request: Request) -> Response:
        payload = await s.body(request)

        def work() -> Response:
            from ..document.render import render_plan

            _, plan, problems = s.checked(s.file_name(payload), payload.get("data"))
            if plan is None:
                return JSONResponse({"problems": [_problem(p) for p in problems], "pages": None})
            first = payload.get("first")
            made = previews.make(render_plan(plan), width=payload.get("width"),
                                 first=first if isinstance(first, int) and not isinstance(first, bool) else 2)
            return JSONResponse({"problems": [], **made, "check": _check_report(plan, s.file_name(payload))})

        return await s.confined(work)

    async def preview_images(request: Request) -> Response:
        found = await run_in_threadpool(previews.images, request.path_params["key"])
        if found is None:
            return JSONResponse({"error": "không có bản xem trước này"}, status_code=404)
        return JSONResponse({"images": found})

    async def page(request: Request) -> Response:
        found = await run_in_threadpool(previews.page, request.path_params["key"], request.path_params["n"])
        if found is None:
            return JSONResponse({"error": "không có trang này"}, status_code=404)
        return FileResponse(found, media_type="image/png", headers={"Cache-Control": "private, max-age=86400"})

    async def image(request: Request) -> Response:
        found = previews.image(request.path_params["name"])
        if found is None:
            return JSONResponse({"error": "không có trang này"}, status_code=404)
        # Named by its content: the same name is the same picture, for as long as the browser likes.
        return FileResponse(found, media_type="image/png",
                            headers={"Cache-Control": "private, max-age=31536000, immutable"})

    return [
        Route("/api/preview", preview, methods=["POST"]),
        Route("/api/preview/{key}/{n:int}.png", page),
        Route("/api/preview/{key}/images", preview_images),
        Route("/api/page/{name}.png", image),
    ]


def _job_routes(s: _Session) -> list[Route]:
    """The jobs a user runs from the page (import, rollover, issue, batch) and their downloads."""
    files, downloads = s.files, s.downloads

    async def import_word(request: Request) -> Response:
        raw = await s.upload(request, jobs.MAX_UPLOAD)
        got = await s.confined(jobs.import_upload, files, raw, request.query_params.get("filename", ""))
        return JSONResponse(got)

    async def rollover(request: Request) -> Response:
        payload = await s.body(request)
        return JSONResponse(await s.confined(jobs.rollover, files, s.file_name(payload), payload.get("year")))

    async def issue(request: Request) -> Response:
        payload = await s.body(request)
        return JSONResponse(await s.confined(
            jobs.issue, files, downloads, s.file_name(payload), payload.get("number"), payload.get("date"),
            bool(payload.get("pdf"))))

    async def batch(request: Request) -> Response:
        payload = await s.body(request)
        units = payload.get("units")
        if not isinstance(units, str) or not units:
            raise UserError("hãy chọn tệp đơn vị (trường units)")
        return JSONResponse(await s.confined(
            jobs.batch, files, downloads, s.file_name(payload), units, bool(payload.get("pdf"))))

    async def download(request: Request) -> Response:
        found = downloads.get(request.path_params["key"])
        if found is None or not (files.contains(found.path) or downloads.holds(found.path)):
            return JSONResponse({"error": "không còn tệp này; hãy tạo lại"}, status_code=404)
        return FileResponse(found.path, media_type=found.media_type, filename=found.filename,
                            headers={"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"})

    return [
        Route("/api/import", import_word, methods=["POST"]),
        Route("/api/rollover", rollover, methods=["POST"]),
        Route("/api/issue", issue, methods=["POST"]),
        Route("/api/batch", batch, methods=["POST"]),
        Route("/api/download/{key}", download),
    ]


def _error_handlers(s: _Session) -> dict[Any, Any]:
    """Every refusal as a JSON answer in the page's words; a bug of ours never shows a traceback."""
    files = s.files

    async def user_error(request: Request, exc: Exception) -> Response:
        if isinstance(exc, DataError):
            return JSONResponse({"error": page_words(str(exc.problems[0].message) if exc.problems else str(exc),
                                                     files.root),
                                 "problems": [_problem(p) for p in exc.problems]}, status_code=422)
        if isinstance(exc, jobs.Refused):
            return JSONResponse(exc.answer, status_code=409)
        if isinstance(exc, (TooLarge, TooSlow)):
            return JSONResponse({"error": str(exc)}, status_code=413 if isinstance(exc, TooLarge) else 408,
                                headers={"Connection": "close"})
        status = (403 if isinstance(exc, NotAllowed) else 503 if isinstance(exc, (PreviewUnavailable, jobs.Busy))
                  else 409 if isinstance(exc, OutputExistsError) else 400)
        return JSONResponse({"error": page_words(str(exc), files.root)}, status_code=status)

    async def too_deep(request: Request, exc: Exception) -> Response:
        return JSONResponse({"error": "dữ liệu lồng nhau quá sâu hoặc quá lớn để xử lý; chưa ghi gì"},
                            status_code=400)

    async def gone(request: Request, exc: Exception) -> Response:
        return Response(status_code=400)  # the client left mid-body (or was closed to make room): no one reads this

    async def unexpected(request: Request, exc: Exception) -> Response:
        # A bug of ours: the page gets a message, never a traceback (the log keeps it).
        return JSONResponse({"error": f"lỗi không mong đợi của kehoach ({type(exc).__name__}); chưa ghi gì. "
                                      "Xin báo lại kèm thao tác vừa làm"}, status_code=500)

    return {UserError: user_error, RecursionError: too_deep, MemoryError: too_deep,
            ClientDisconnect: gone, Exception: unexpected}


def create_app(folder: str | Path, *, token: str | None = None, previews: Previews | None = None,
               allowed_hosts: tuple[str, ...] = (HOST, "localhost")) -> Starlette:
    session = _Session(folder, previews)
    token = token or secrets.token_urlsafe(24)

    async def index(request: Request) -> Response:
        return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-store"})

    @asynccontextmanager
    async def lifespan(app: Starlette):
        yield
        session.previews.close()
        session.downloads.close()

    app = Starlette(
        routes=[
            Route("/", index),
            Route("/favicon.ico", lambda request: Response(status_code=204)),
            *_file_routes(session),
            *_preview_routes(session),
            *_job_routes(session),
            *year_routes(session.files, session.downloads, body=session.body, upload=session.upload,
                         confined=session.confined),
            Mount("/static", StaticFiles(directory=STATIC), name="static"),
        ],
        middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts)),
                    Middleware(_TokenGuard, token=token)],
        exception_handlers=_error_handlers(session),
        lifespan=lifespan,
    )
    app.state.token = token
    app.state.folder = session.files.root
    app.state.previews = session.previews
    app.state.downloads = session.downloads
    return app


def _check_report(plan: Any, name: str) -> list[dict[str, Any]]:
    """The `kehoach check` findings on the data (content rules), failures only."""
    try:
        from ..check import check_document
        from ..check.data_file import from_plan

        report = check_document(from_plan(plan, name), "data")
    except Exception:  # noqa: BLE001 - the check is advice beside the preview, never a blocker
        return []
    return [asdict(r) for r in report.results if r.status == "fail"]
