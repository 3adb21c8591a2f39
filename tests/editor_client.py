"""The editor (`kehoach serve`) as the tests call it: the app over a test folder, the session token
sent in the header as the page sends it. One place for the HTTP editor tests' client."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

TOKEN = "test-token"


@contextmanager
def editor_client(folder: Path, cache: Path) -> Iterator[Any]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # httpx/starlette version notices
        from starlette.testclient import TestClient

    from generator.serve import HOST
    from generator.serve.app import create_app
    from generator.serve.preview import Previews

    app = create_app(folder, token=TOKEN, previews=Previews(cache))
    with TestClient(app, base_url=f"http://{HOST}:8030", headers={"X-Kehoach-Token": TOKEN}) as c:
        yield c
