"""`kehoach serve`: a local web editor for plan data files, with live page preview (issue 17).

Needs the optional extra: pip install 'kehoach[serve]' (Starlette, uvicorn).
"""

from __future__ import annotations

import socket
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
        raise UserError("trình soạn thảo cần thêm thư viện; hãy cài bằng lệnh: pip install 'kehoach[serve]'") \
            from None


def server_config(app: Any, port: int = DEFAULT_PORT) -> Any:
    """The uvicorn configuration: this machine only, never the network."""
    import uvicorn

    return uvicorn.Config(app, host=HOST, port=port, log_level="warning", access_log=False,
                          lifespan="on", server_header=False)


def run(folder: str | Path = ".", *, port: int = DEFAULT_PORT, browser: bool = True) -> int:
    _require()
    import uvicorn

    from .app import create_app

    app = create_app(folder)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((HOST, port))
        except OSError:
            raise UserError(f"cổng {port} đang được dùng (có thể trình soạn thảo đã chạy rồi); "
                            f"hãy chọn cổng khác, ví dụ --port {port + 1}") from None
    url = f"http://{HOST}:{port}/?t={app.state.token}"
    server = uvicorn.Server(server_config(app, port))
    print(f"Trình soạn thảo kế hoạch: {url}\nThư mục dữ liệu: {app.state.folder}\n"
          "Chỉ máy này mở được địa chỉ trên. Nhấn Ctrl+C để dừng.", flush=True)
    from ..esign import office

    if not office.available():
        print("Gợi ý: cài thêm cầu nối UNO của LibreOffice (sudo apt-get install python3-uno) để bản xem "
              "trước cập nhật nhanh hơn nhiều.", flush=True)
    if browser:
        def open_when_ready() -> None:
            for _ in range(200):
                if server.started:
                    webbrowser.open(url)
                    return
                time.sleep(0.05)

        threading.Thread(target=open_when_ready, daemon=True).start()
    server.run()
    return 0
