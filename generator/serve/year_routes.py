"""The editor's routes for the plan's year and spreadsheet catalogues (the jobs are in year.py).

Kept out of create_app: they need only the folder, the downloads, the uploads and create_app's
three request helpers (body: a JSON body; upload: a raw body capped while read; confined: a call
in a worker thread reading spreadsheets only inside the folder), passed in.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..errors import UserError
from . import jobs, year
from .files import Folder


def year_routes(files: Folder, downloads: jobs.Downloads, *, body: Callable[[Request], Awaitable[dict[str, Any]]],
                upload: Callable[..., Awaitable[bytes]], confined: Callable[..., Awaitable[Any]]) -> list[Route]:
    uploads = year.Uploads(downloads.scratch)

    def plan_name(payload: dict[str, Any]) -> str:
        name = payload.get("name")
        if not isinstance(name, str) or not name:
            raise UserError("thiếu tên tệp kế hoạch (trường name)")
        return name

    async def answered(fn: Any, *args: Any) -> Response:
        """fn's answer, or the sheets' problems listed (422): every bad cell, every contradiction."""
        try:
            return JSONResponse(await confined(fn, *args))
        except year.SheetProblems as exc:
            return JSONResponse({"error": str(exc), "problems": [{"path": "", "message": p} for p in exc.problems]},
                                status_code=422)

    async def progress_sheet(request: Request) -> Response:
        payload = await body(request)
        return await answered(year.progress_sheet, files, downloads, plan_name(payload),
                              bool(payload.get("per_unit")))

    async def progress_upload(request: Request) -> Response:
        raw = await upload(request, year.MAX_PROGRESS_BYTES)
        return await answered(uploads.add, raw, request.query_params.get("filename", ""))

    async def progress_read(request: Request) -> Response:
        payload = await body(request)
        return await answered(year.read_sheets, files, uploads, plan_name(payload), payload.get("sheets"),
                              payload.get("as_of"))

    async def report(request: Request) -> Response:
        payload = await body(request)
        return await answered(year.make_report, files, uploads, plan_name(payload), payload.get("sheets"),
                              payload.get("as_of"))

    async def rollover(request: Request) -> Response:
        payload = await body(request)

        def work() -> dict[str, Any]:
            sheets = uploads.paths(payload["sheets"]) if payload.get("sheets") else None
            return jobs.rollover(files, plan_name(payload), payload.get("year"), sheets)

        return await answered(work)

    async def catalogue_upload(request: Request) -> Response:
        name = request.query_params.get("name", "")
        files.path(name)  # the plan the catalogue goes beside: checked before the body is read
        raw = await upload(request, year.MAX_CATALOGUE_BYTES)
        return await answered(year.upload_catalogue, files, name, raw, request.query_params.get("filename", ""))

    async def catalogue_file(request: Request) -> Response:
        payload = await body(request)
        return await answered(year.folder_catalogue, files, plan_name(payload), payload.get("file"))

    return [
        Route("/api/progress/sheet", progress_sheet, methods=["POST"]),
        Route("/api/progress/upload", progress_upload, methods=["POST"]),
        Route("/api/progress/read", progress_read, methods=["POST"]),
        Route("/api/report", report, methods=["POST"]),
        Route("/api/rollover-progress", rollover, methods=["POST"]),
        Route("/api/catalogue/upload", catalogue_upload, methods=["POST"]),
        Route("/api/catalogue/file", catalogue_file, methods=["POST"]),
    ]
