"""`kehoach serve`: a local web editor for plan data files, with live page preview (issue 17).

Needs the optional extra: pip install "kehoach[serve]" (Starlette, uvicorn).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import tempfile
import threading
import time
import webbrowser
from pathlib import Path
from typing import Any

from ..errors import UserError

HOST = "127.0.0.1"
DEFAULT_PORT = 8030


def _require() -> None:
    try:
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        raise UserError("trình soạn thảo cần thêm thư viện; hãy cài bằng lệnh: pip install \"kehoach[serve]\"") \
            from None


def server_config(app: Any, port: int = DEFAULT_PORT) -> Any:
    """The uvicorn configuration: this machine only, never the network; h11 with a deadline for
    a request's headers and a cap on connections (connections.py); at most 3 s to finish the
    requests under way on Ctrl+C, so a client that never ends cannot hold the port."""
    import uvicorn

    from .connections import GuardedH11Protocol, connection_cap

    GuardedH11Protocol.cap = connection_cap()
    return uvicorn.Config(app, host=HOST, port=port, log_level="warning", access_log=False,
                          lifespan="on", server_header=False, http=GuardedH11Protocol,
                          timeout_keep_alive=5, timeout_graceful_shutdown=3)


def listening_socket(port: int) -> socket.socket:
    """The server's socket, bound here (not probed then bound again by uvicorn: nothing can take
    the port in between). SO_REUSEADDR: the connections of the run stopped a moment ago linger
    in TIME_WAIT for up to a minute, and must not keep the port from a new run."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if os.name != "nt":  # on Windows the option lets another program take a port in use
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((HOST, port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise UserError(f"cổng {port} đang được dùng (có thể trình soạn thảo đã chạy rồi); "
                        f"hãy chọn cổng khác, ví dụ --port {port + 1}") from None
    sock.set_inheritable(False)
    return sock


def browser_page(url: str, folder: Path) -> Path:
    """A page in folder (private to this user) that sends the browser on to url.

    Why: a browser started with the URL on its command line shows the session token to every
    user of the machine (`ps`); the page's name is all the command line carries, and only this
    user can read the page."""
    page = folder / "mo-trinh-soan-thao.html"
    html = ('<!doctype html><meta charset="utf-8"><meta name="referrer" content="no-referrer">'
            f'<meta http-equiv="refresh" content="0;url={url}"><title>kehoach</title>'
            f'<script>location.replace({json.dumps(url)})</script>'
            f'<p>Đang mở trình soạn thảo… <a href="{url}">bấm vào đây</a> nếu trang không tự mở.</p>')
    fd = os.open(page, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(html)
    return page


def run(folder: str | Path = ".", *, port: int = DEFAULT_PORT, browser: bool = True) -> int:
    _require()
    import uvicorn

    from .app import create_app

    app = create_app(folder)
    sock = listening_socket(port)
    launch = Path(tempfile.mkdtemp(prefix="kehoach-serve-open-"))
    url = f"http://{HOST}:{port}/?t={app.state.token}"
    server = uvicorn.Server(server_config(app, port))
    print(f"Trình soạn thảo kế hoạch: {url}\nThư mục dữ liệu: {app.state.folder}\n"
          "Chỉ máy này mở được địa chỉ trên. Nhấn Ctrl+C để dừng.", flush=True)

    def stop(signum: int, frame: object) -> None:
        server.should_exit = True  # the terminal was closed: stop as on Ctrl+C, cleaning up

    old_hup = signal.signal(signal.SIGHUP, stop) if hasattr(signal, "SIGHUP") and \
        threading.current_thread() is threading.main_thread() else None
    from ..esign import office

    if not office.available():
        print("Gợi ý: cài thêm cầu nối UNO của LibreOffice (sudo apt-get install python3-uno) để bản xem "
              "trước cập nhật nhanh hơn nhiều.", flush=True)
    if browser:
        page = browser_page(url, launch)

        def open_when_ready() -> None:
            for _ in range(200):
                if server.started:
                    webbrowser.open(page.as_uri())
                    return
                time.sleep(0.05)

        threading.Thread(target=open_when_ready, daemon=True).start()
    try:
        server.run(sockets=[sock])
    finally:
        # Whatever stopped the server (Ctrl+C, SIGTERM, SIGHUP, an error), the temporary folders
        # go: previews, downloads, the browser page. The lifespan does the same on a clean stop.
        app.state.previews.close()
        app.state.downloads.close()
        shutil.rmtree(launch, ignore_errors=True)
        sock.close()
        if old_hup is not None:
            signal.signal(signal.SIGHUP, old_hup)
    return 0
