"""The editor's HTTP surface under a red-team pass (kehoach serve, generator/serve/): what a request
may cost, where it may read or write, and that the editor answers in Vietnamese and stays up.
Cases already held by tests/test_serve_hostile.py (slow headers and bodies, the connection cap, a
chunked body, named pipes, linked finals) are not repeated. No assertion on time: what is bounded
is shown by what is refused before it is parsed."""

from __future__ import annotations

import io
import os
import shutil
import zipfile
from pathlib import Path

import pytest

from generator import limits
from tests.paths import ROOT

pytest.importorskip("starlette")
pytest.importorskip("httpx")

from tests.editor_client import editor_client  # noqa: E402

FULL = "ke-hoach-cau-truc-day-du.yaml"


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


def everything(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


SST_TYPE = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def workbook(shared: int, part: str = "xl/sharedStrings.xml") -> bytes:
    """A small catalogue whose shared string table holds `shared` distinct strings no cell uses (Excel
    writes only the strings its cells use): openpyxl and calamine read them all before any cell."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["STT", "Nội dung", "Đơn vị chủ trì"])
    sheet.append([1, "Tổ chức hội nghị", "Văn phòng"])
    buf = io.BytesIO()
    book.save(buf)
    strings = b"".join(b"<si><t>%x</t></si>" % (i * 2654435761 % 2**32) for i in range(shared))
    sst = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
           b'spreadsheetml/2006/main" count="%d" uniqueCount="%d">%s</sst>' % (shared, shared, strings))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == "[Content_Types].xml":  # declared by its content type, as readers find it
                data = data.replace(b"</Types>", b'<Override ContentType="%s" PartName="/%s"/></Types>'
                                    % (SST_TYPE, part.encode()))
            if name != "xl/sharedStrings.xml":
                dst.writestr(name, data)
        dst.writestr(part, sst)
    return out.getvalue()


# --- spreadsheets: a shared string table no sheet uses -------------------------------------------

def test_a_catalogue_with_a_shared_string_bomb_is_refused_before_it_is_read(client, folder: Path) -> None:
    """More shared strings than limits.MAX_SHARED_STRINGS: refused from the count in the bytes (read,
    it took half a minute and 300 MB in the child for 1.5 million), nothing saved in the folder."""
    before = everything(folder)
    raw = workbook(limits.MAX_SHARED_STRINGS + 1000)
    assert len(raw) < 8 * 2**20  # small on the wire, and no zip bomb by its ratio
    r = client.post(f"/api/catalogue/upload?name={FULL}&filename=danh-muc.xlsx", content=raw)
    assert r.status_code == 400, r.text
    message = r.json()["error"]
    assert message.startswith("danh-muc.xlsx: ") and "chuỗi" in message
    assert f"{limits.MAX_SHARED_STRINGS:,}".replace(",", ".") in message
    assert everything(folder) == before
    assert client.get("/api/files").status_code == 200


def test_a_progress_sheet_with_a_shared_string_bomb_is_refused_when_uploaded(client, folder: Path) -> None:
    """The table under another name, found by its content type as the readers find it."""
    raw = workbook(limits.MAX_SHARED_STRINGS + 1000, part="xl/chuoi.xml")
    r = client.post("/api/progress/upload?filename=tien-do.xlsx", content=raw)
    assert r.status_code == 400, r.text
    assert r.json()["error"].startswith("tien-do.xlsx: ")


def test_a_catalogue_with_a_normal_shared_string_table_still_reads(client, folder: Path) -> None:
    r = client.post(f"/api/catalogue/upload?name={FULL}&filename=danh-muc.xlsx", content=workbook(2000))
    assert r.status_code == 200, r.text
    assert (folder / "danh-muc.xlsx").is_file()
    sheet = r.json()["sheets"][0]
    assert sheet["columns"][:2] == ["STT", "Nội dung"] and sheet["rows"] == 1


# --- many requests at once: the processes that read files are few ----------------------------------

def wait_for(go: str, marker: str) -> str:
    """In a reader process: say it started, then wait until told to end (failsafe: two minutes)."""
    import time

    Path(marker).write_text(str(os.getpid()))
    for _ in range(1200):
        if Path(go).exists():
            return "done"
        time.sleep(0.1)
    return "gave up"


def test_readers_run_a_few_at_a_time_and_the_rest_are_told_to_wait(tmp_path: Path, monkeypatch) -> None:
    """Each import, catalogue or progress read runs in a process of its own with the read budget;
    many parallel requests must not start as many processes (each may take limits.READ_MEMORY):
    past jobs.MAX_READERS a request is answered that the editor is busy, in Vietnamese."""
    import threading

    from generator.serve import jobs

    monkeypatch.setattr(jobs, "BUSY_SECONDS", 0)
    go = tmp_path / "go"
    answers: list[str] = []
    threads = [threading.Thread(target=lambda i=i: answers.append(
        jobs.isolated(wait_for, str(go), str(tmp_path / f"started-{i}")))) for i in range(jobs.MAX_READERS)]
    for t in threads:
        t.start()
    try:
        for _ in range(1200):  # failsafe against a hang, not a timing assertion
            if len(list(tmp_path.glob("started-*"))) == jobs.MAX_READERS:
                break
            threading.Event().wait(0.1)
        assert len(list(tmp_path.glob("started-*"))) == jobs.MAX_READERS
        with pytest.raises(jobs.Busy) as info:
            jobs.isolated(wait_for, str(go), str(tmp_path / "one-too-many"))
        assert "đang đọc" in str(info.value) and "thử lại" in str(info.value)
        assert not (tmp_path / "one-too-many").exists()  # no process was started for it
    finally:
        go.touch()
        for t in threads:
            t.join(120)
    assert answers == ["done"] * jobs.MAX_READERS
    assert jobs.isolated(wait_for, str(go), str(tmp_path / "after")) == "done"  # slots given back


def test_a_busy_editor_answers_503_in_vietnamese_and_writes_nothing(client, folder: Path, monkeypatch) -> None:
    import threading

    from generator import load_plan, render_plan
    from generator.serve import jobs

    taken = threading.BoundedSemaphore(1)
    taken.acquire()  # every reader busy
    monkeypatch.setattr(jobs, "_readers", taken)
    monkeypatch.setattr(jobs, "BUSY_SECONDS", 0)
    before = everything(folder)
    r = client.post("/api/import?filename=ke-hoach.docx", content=render_plan(load_plan(folder / FULL)))
    assert r.status_code == 503 and "thử lại" in r.json()["error"]
    assert everything(folder) == before
    assert client.get("/api/files").status_code == 200


# --- JSON bodies: no more values than a data file may hold -------------------------------------------

def test_a_json_body_of_millions_of_values_is_refused_before_it_is_parsed(client, folder: Path, monkeypatch) -> None:
    """60 MB of "{}," was 20 million dicts: 98 s and 2.9 GB in the server's own process before the
    answer. A body with more values than a data file holds (limits.MAX_YAML_NODES) is refused from
    a count in its bytes; json never builds it."""
    from types import SimpleNamespace

    from generator.serve import app as app_module

    count = limits.MAX_YAML_NODES + 5000
    body = b'{"name":"' + FULL.encode() + b'","data":[' + b"{}," * count + b"{}]}"

    def not_parsed(*args, **kwargs):
        raise AssertionError("the body was parsed")

    monkeypatch.setattr(app_module, "json", SimpleNamespace(loads=not_parsed))
    before = everything(folder)
    for route in ("/api/validate", "/api/save", "/api/preview"):
        r = client.post(route, content=body, headers={"Content-Type": "application/json"})
        assert r.status_code == 400, (route, r.text)
        message = r.json()["error"]
        assert "giá trị" in message and f"{limits.MAX_YAML_NODES:,}".replace(",", ".") in message
    monkeypatch.undo()
    assert everything(folder) == before
    assert client.get("/api/files").status_code == 200


def test_commas_and_brackets_inside_texts_are_not_values(client, folder: Path) -> None:
    """Counted outside the strings: a long text full of commas is one value."""
    loaded = client.get(f"/api/file?name={FULL}").json()
    data = loaded["data"]
    data["title"] = "Kế hoạch, [thử], {một}, " * (limits.MAX_YAML_NODES // 2) + "\\\" cuối"
    r = client.post("/api/validate", json={"name": FULL, "data": data})
    assert r.status_code == 200, r.text[:300]
