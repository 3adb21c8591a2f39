"""`kehoach serve` under hostile clients and odd folders (issue 30).

Clients on real sockets against the real server in a child process (the hostile ones cannot be
played through TestClient); folder and request cases through TestClient. No assertion on time:
socket timeouts below are failsafes that turn a hang into a failure."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import pytest

from tests.paths import ROOT, SHEET_PLAN

pytest.importorskip("starlette")
pytest.importorskip("httpx")


from generator.serve import HOST  # noqa: E402
from tests.editor_client import editor_client  # noqa: E402

FULL = "ke-hoach-cau-truc-day-du.yaml"

PLAN = SHEET_PLAN

_SERVE = """
import sys
exec(sys.argv.pop(1))
from generator.cli import main
sys.exit(main())
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Server:
    """`kehoach serve FOLDER --port P` in a child process; setup is Python run first in it."""

    def __init__(self, folder: Path, tmp: Path, *, setup: str = "", nofile: int | None = None,
                 browser: Path | None = None, port: int | None = None):
        self.port = port or free_port()
        self.tmp = tmp
        env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(tmp)}
        if browser:
            env["BROWSER"] = str(browser)

        def limit() -> None:
            # Started as from a terminal, where Ctrl+C reaches it: a test run launched in the
            # background of a script (`pytest &`) has SIGINT ignored, which a child would inherit,
            # and the server would then stop on SIGINT without the 130 of a Ctrl+C.
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            if nofile:
                import resource

                resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, nofile))

        args = [sys.executable, "-c", _SERVE, setup, "serve", str(folder), "--port", str(self.port)]
        if not browser:
            args.append("--no-browser")
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                                     preexec_fn=limit, start_new_session=True)
        line = self.proc.stdout.readline()
        assert "http://" in line, (line, self.proc.stderr.read() if self.proc.poll() is not None else "")
        self.url = line.split()[-1]
        self.token = self.url.split("t=", 1)[1]

    def get(self, path: str, timeout: float = 60) -> tuple[int, dict]:
        req = urllib.request.Request(f"http://{HOST}:{self.port}{path}", headers={"X-Kehoach-Token": self.token})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read())

    def post(self, path: str, payload: dict, timeout: float = 120) -> tuple[int, dict]:
        req = urllib.request.Request(f"http://{HOST}:{self.port}{path}", data=json.dumps(payload).encode(),
                                     headers={"X-Kehoach-Token": self.token, "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read())

    def stop(self, sig: int = signal.SIGINT) -> tuple[int, str]:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            _, err = self.proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            _, err = self.proc.communicate()
        return self.proc.returncode, err


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(ROOT / "data" / FULL, data / FULL)
    return data


@pytest.fixture
def client(folder: Path, tmp_path: Path):
    with editor_client(folder, tmp_path / "cache") as c:
        yield c


def slow_client(port: int) -> socket.socket:
    s = socket.create_connection((HOST, port), timeout=30)
    s.sendall(b"GET /api/files HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")  # and never the rest
    return s


# --- hostile clients on real sockets ----------------------------------------------------------------

def test_300_slow_clients_do_not_stop_a_normal_request(folder: Path, tmp_path: Path) -> None:
    """With 256 descriptors (hard limit) the server once ran out and logged tracebacks without end;
    now the oldest idle connection makes room, a person's request is answered, the log stays quiet."""
    (tmp_path / "t").mkdir()
    server = Server(folder, tmp_path / "t", nofile=256)
    slow = []
    try:
        for _ in range(300):
            try:
                slow.append(slow_client(server.port))
            except OSError:
                pass
        status, got = server.get("/api/files")
        assert status == 200 and got["files"][0]["name"] == FULL
    finally:
        for s in slow:
            s.close()
        code, err = server.stop()
    assert "Too many open files" not in err and "Traceback" not in err and len(err) < 4000, err[-2000:]
    assert code == 130


def test_slow_bodies_do_not_stop_a_normal_request_either(folder: Path, tmp_path: Path) -> None:
    (tmp_path / "t").mkdir()
    server = Server(folder, tmp_path / "t", nofile=256)
    slow = []
    try:
        for _ in range(300):
            try:
                s = socket.create_connection((HOST, server.port), timeout=30)
                s.sendall(b"POST /api/validate HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Kehoach-Token: "
                          + server.token.encode() + b"\r\nContent-Length: 1000000\r\n\r\n{")
                slow.append(s)
            except OSError:
                pass
        assert server.get("/api/files")[0] == 200
    finally:
        for s in slow:
            s.close()
        code, err = server.stop()
    assert "Traceback" not in err and len(err) < 4000, err[-2000:]


def test_a_body_that_never_finishes_is_answered_and_closed(folder: Path, tmp_path: Path) -> None:
    # Headers in, then the body a byte now and never the rest: the connection is not held for good.
    (tmp_path / "t").mkdir()
    server = Server(folder, tmp_path / "t", setup="import generator.serve.connections as c; c.BODY_SECONDS = 1")
    try:
        s = socket.create_connection((HOST, server.port), timeout=60)  # failsafe: answered after BODY_SECONDS
        s.sendall(b"POST /api/validate HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Kehoach-Token: "
                  + server.token.encode() + b"\r\nContent-Length: 1000\r\n\r\n{")
        answer = b""
        while chunk := s.recv(4096):
            answer += chunk
        s.close()
        head, _, body = answer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 408") and b"connection: close" in head.lower()
        assert "chưa đến đủ" in json.loads(body)["error"]
        assert server.get("/api/files")[0] == 200
    finally:
        code, err = server.stop()
    assert "Traceback" not in err


def test_an_ods_bomb_named_by_a_plan_does_not_kill_the_editor(folder: Path, tmp_path: Path) -> None:
    """900 bytes declaring 99 million cells once aborted the whole server (the reader's allocation
    failure is no exception): now a located problem, and the server answers the next request."""
    from tests.test_sheet_limits import ods_bytes

    (folder / "bom.ods").write_bytes(ods_bytes(
        '<table:table-row table:number-rows-repeated="10000"><table:table-cell office:value-type="string" '
        'table:number-columns-repeated="9900"><text:p>a</text:p></table:table-cell></table:table-row>'))
    (folder / "kh.yaml").write_text(PLAN % "bom.ods", encoding="utf-8")
    (tmp_path / "t").mkdir()
    server = Server(folder, tmp_path / "t")
    try:
        status, got = server.get("/api/file?name=kh.yaml")
        assert status == 200
        status, got = server.post("/api/validate", {"name": "kh.yaml", "data": got["data"]})
        assert status == 200 and "quá lớn để làm phụ lục" in got["problems"][0]["message"]
        assert server.get("/api/files")[0] == 200 and server.proc.poll() is None
    finally:
        code, err = server.stop()
    assert code == 130 and "Traceback" not in err


def test_a_connection_that_never_finishes_its_headers_is_closed(folder: Path, tmp_path: Path) -> None:
    (tmp_path / "t").mkdir()
    server = Server(folder, tmp_path / "t", setup="import generator.serve.connections as c; c.HEADER_SECONDS = 1")
    try:
        s = slow_client(server.port)
        s.settimeout(60)  # failsafe: the server closes it after HEADER_SECONDS
        assert s.recv(100) == b""
        s.close()
        assert server.get("/api/files")[0] == 200
    finally:
        server.stop()


def test_a_chunked_body_is_refused_while_it_is_read(folder: Path, tmp_path: Path) -> None:
    (tmp_path / "t").mkdir()
    server = Server(folder, tmp_path / "t", setup="import generator.serve.app as a; a.MAX_BODY = 1 << 20")
    sent = 0
    answer = b""
    try:
        s = socket.create_connection((HOST, server.port), timeout=60)
        s.sendall(b"POST /api/validate HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Kehoach-Token: " + server.token.encode()
                  + b"\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
        chunk = b"%x\r\n" % (256 * 1024) + b" " * (256 * 1024) + b"\r\n"
        try:
            while sent < 400 * 2**20:
                s.sendall(chunk)
                sent += 256 * 1024
        except OSError:  # the server answered and closed while we were still sending
            pass
        s.settimeout(60)
        try:
            while part := s.recv(65536):
                answer += part
        except OSError:
            pass
        s.close()
    finally:
        server.stop()
    assert sent < 100 * 2**20, sent  # far from the 400 MB the client meant to send
    assert b" 413 " in answer.split(b"\r\n")[0] and "quá lớn".encode() in answer


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGHUP])
def test_browser_gets_no_token_on_its_command_line_and_nothing_is_left(folder, tmp_path, sig) -> None:
    """The browser is handed a private page that forwards to the URL; after Ctrl+C or a closed
    terminal the temporary folders are gone and the same port serves again at once."""
    record = tmp_path / "argv.txt"
    browser = tmp_path / "browser.sh"
    browser.write_text(f"#!/bin/sh\necho \"$@\" > {record}\n")
    browser.chmod(0o755)
    temp = tmp_path / "t"
    temp.mkdir()
    server = Server(folder, temp, browser=browser)
    try:
        for _ in range(600):  # failsafe loop: the browser is started once the server is up
            if record.exists() and record.read_text().strip():
                break
            threading.Event().wait(0.05)
        argv = record.read_text().strip()
        assert server.token not in argv and argv.startswith("file://")
        page = Path(argv[len("file://"):])
        assert oct(page.stat().st_mode & 0o777) == "0o600" and server.url in page.read_text(encoding="utf-8")
        assert server.get("/api/files")[0] == 200  # a connection the server closes on stopping
        assert {p.name.split("-")[2] for p in temp.iterdir()} >= {"open", "files"}
    finally:
        code, err = server.stop(sig)
    assert list(temp.iterdir()) == [] and "Traceback" not in err
    again = Server(folder, temp, port=server.port)  # no "port in use" for a minute of TIME_WAIT
    try:
        assert again.get("/api/files")[0] == 200
    finally:
        again.stop()


# --- odd folders and odd requests ---------------------------------------------------------------------

@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a Unix thing")
def test_a_named_pipe_called_yaml_is_skipped_and_never_opened(client, folder) -> None:
    os.mkfifo(folder / "ong.yaml")
    got: dict = {}

    def ask() -> None:
        got["files"] = client.get("/api/files").json()["files"]
        got["file"] = client.get("/api/file", params={"name": "ong.yaml"})

    asking = threading.Thread(target=ask, daemon=True)
    asking.start()
    asking.join(60)  # failsafe: opening the pipe would block until a writer comes
    assert not asking.is_alive()
    assert [f["name"] for f in got["files"]] == [FULL]
    assert got["file"].status_code == 403 and "không phải tệp thường" in got["file"].json()["error"]


def test_a_linked_final_outside_the_folder_is_never_offered(client, folder, tmp_path) -> None:
    from generator.jobs.issue import issue_path

    outside = tmp_path / "cua-nguoi-khac.docx"
    outside.write_bytes(b"not yours")
    target = issue_path(folder / FULL, None, final=True, output_dir=folder / "output", number=12)  # where final 12 goes
    target.parent.mkdir(parents=True, exist_ok=True)
    target.symlink_to(outside)
    r = client.post("/api/issue", json={"name": FULL, "number": "12", "date": "2026-05-04"})
    assert r.status_code in (400, 403, 409) and "existing" not in r.json()
    assert outside.read_bytes() == b"not yours"


def test_table_sheet_reads_only_workbooks_inside_the_folder(client, folder, tmp_path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "Luong-bi-mat"
    wb.save(tmp_path / "ngoai.xlsx")
    for ref in ("../ngoai.xlsx#Khác", str(tmp_path / "ngoai.xlsx") + "#Khác", "../khong-co.xlsx"):
        (folder / "sheet.yaml").write_text(PLAN % ref, encoding="utf-8")
        data = client.get("/api/file", params={"name": "sheet.yaml"}).json()
        got = client.post("/api/validate", json={"name": "sheet.yaml", "data": data["data"]}).json()
        messages = " ".join(p["message"] for p in got["problems"])
        assert "chỉ đọc được bảng tính nằm trong thư mục" in messages
        assert "Luong-bi-mat" not in json.dumps(got, ensure_ascii=False) and "không tìm thấy" not in messages


@pytest.mark.parametrize("year", ["²", "9" * 5000, "２０２７", 10**400, "2027.5", True])
def test_odd_years_are_a_400_in_vietnamese(client, year) -> None:
    r = client.post("/api/rollover", json={"name": FULL, "year": year})
    assert r.status_code == 400 and "năm mới phải là một số" in r.json()["error"]


def test_json_nested_900_deep_is_a_400(client) -> None:
    deep = "[" * 900 + "]" * 900
    body = '{"name": "%s", "data": {"subject": %s}}' % (FULL, deep)
    for url in ("/api/validate", "/api/save", "/api/preview"):
        r = client.post(url, content=body, headers={"Content-Type": "application/json"})
        assert r.status_code == 400 and "lồng nhau quá sâu" in r.json()["error"], (url, r.text[:300])


def test_saving_refuses_a_file_the_editor_could_not_open(client, folder, monkeypatch) -> None:
    from generator import limits

    monkeypatch.setattr(limits, "MAX_DATA_BYTES", 20_000)
    got = client.get("/api/file", params={"name": FULL}).json()
    before = hashlib.sha256((folder / FULL).read_bytes()).hexdigest()
    data = got["data"]
    data["sections"][0]["blocks"].append("chữ " * 5000)
    r = client.post("/api/save", json={"name": FULL, "data": data, "digest": got["digest"]})
    assert r.status_code == 400 and "quá giới hạn" in r.json()["error"] and "không mở lại được" in r.json()["error"]
    assert hashlib.sha256((folder / FULL).read_bytes()).hexdigest() == before
    data["sections"][0]["blocks"][-1] = "chữ " * 500  # under the limit: saved, and opens again
    r = client.post("/api/save", json={"name": FULL, "data": data, "digest": got["digest"]})
    assert r.status_code == 200 and client.get("/api/file", params={"name": FULL}).status_code == 200


def test_saving_a_crlf_file_with_a_bom_keeps_both(client, folder) -> None:
    path = folder / FULL
    original = b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n")
    path.write_bytes(original)
    got = client.get("/api/file", params={"name": FULL}).json()
    r = client.post("/api/save", json={"name": FULL, "data": got["data"], "digest": got["digest"]})
    assert r.status_code == 200 and path.read_bytes() == original  # unchanged: byte for byte
    data = got["data"]
    data["subject"] = "Một tên mới"
    r = client.post("/api/save", json={"name": FULL, "data": data, "digest": r.json()["digest"]})
    raw = path.read_bytes()
    assert r.status_code == 200 and raw.startswith(b"\xef\xbb\xbf")
    assert raw.count(b"\n") == raw.count(b"\r\n") and "Một tên mới".encode() in raw
