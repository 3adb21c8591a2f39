"""`kehoach serve` (issue 17): the editor's HTTP API through Starlette's TestClient (no socket)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytest.importorskip("starlette")
pytest.importorskip("httpx")

import warnings  # noqa: E402

with warnings.catch_warnings():  # Starlette 1.x suggests httpx2; httpx is what the extra installs
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient  # noqa: E402

from generator.serve import HOST, server_config  # noqa: E402
from generator.serve.app import create_app  # noqa: E402
from generator.serve.preview import Previews  # noqa: E402

from tests.paths import ROOT
from tests.editor_client import TOKEN, editor_client  # noqa: E402

FULL = "ke-hoach-cau-truc-day-du.yaml"
SAMPLE = "ke-hoach-truyen-thong-kiem-soat-tthc-2024.yaml"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    for name in (FULL, SAMPLE):
        shutil.copy(ROOT / "data" / name, data / name)
    return data


@pytest.fixture
def client(folder: Path, tmp_path: Path):
    with editor_client(folder, tmp_path / "cache") as c:
        yield c


def load(client, name=FULL) -> dict:
    r = client.get("/api/file", params={"name": name})
    assert r.status_code == 200, r.text
    return r.json()


def test_lists_the_data_files(client, folder):
    (folder / "sub").mkdir()
    (folder / "sub" / "x.yml").write_text("a: 1\n", encoding="utf-8")
    (folder / "notes.txt").write_text("x", encoding="utf-8")
    names = [f["name"] for f in client.get("/api/files").json()["files"]]
    assert names == [FULL, SAMPLE, "sub/x.yml"]


def test_page_and_assets_are_served(client):
    assert "Soạn kế hoạch" in client.get("/").text
    for asset in ("/static/app.js", "/static/style.css"):
        assert client.get(asset).status_code == 200


def test_schema_is_the_plan_schema(client):
    from generator.plan.schema import plan_schema

    assert client.get("/api/schema").json() == plan_schema()


def test_load_gives_the_loader_values_and_a_digest(client):
    got = load(client)
    assert got["problems"] == []
    assert got["data"]["date"] == "2026-05"  # text, as the loader reads it
    assert got["data"]["agency"]["name"] == ["Ủy ban nhân dân", "tỉnh Hòa Bình Xanh"]
    assert len(got["digest"]) == 64


def test_validate_locates_each_problem_by_path_and_line(client):
    data = load(client)["data"]
    data["date"] = "2026-13"
    data["sections"][1]["blocks"][2]["table"]["rows"][0].append("thừa")  # wider than the table
    data["signer"]["authority"] = "XX"
    problems = client.post("/api/validate", json={"name": FULL, "data": data}).json()["problems"]
    by_path = {p["path"]: p for p in problems}
    assert by_path["date"]["message"].startswith("không có tháng 13; ngày ban hành viết dạng 20/03/2024")
    assert by_path["date"]["line"] == 13
    assert any(p.startswith("sections[1].blocks[2].table.rows[0]") for p in by_path)
    assert "signer.authority" in by_path
    assert all(p["line"] for p in problems)


def test_validate_reports_a_missing_field_at_its_path(client):
    data = load(client)["data"]
    del data["agency"]["place"]
    problems = client.post("/api/validate", json={"name": FULL, "data": data}).json()["problems"]
    assert [p["path"] for p in problems] == ["agency.place"]
    assert "thiếu" in problems[0]["message"]


def test_save_round_trip_keeps_comments_and_key_order(client, folder):
    path = folder / FULL
    before = path.read_text(encoding="utf-8")
    got = load(client)
    data = got["data"]
    data["subject"] = ["Thực hiện chương trình chuyển đổi số", "trong các cơ quan hành chính năm 2027"]
    data["sections"][0]["blocks"].append(["Câu mới có ", {"bold": "chữ đậm"}, " và ", {"italic": "nghiêng"}, "."])
    r = client.post("/api/save", json={"name": FULL, "data": data, "digest": got["digest"]})
    assert r.status_code == 200, r.text
    assert r.json()["problems"] == []
    after = path.read_text(encoding="utf-8")
    # Every comment line and end-of-line comment is still there.
    comments = [line.split("#", 1)[1] for line in before.splitlines() if "# " in line]
    for comment in comments:
        assert comment in after
    # Top-level keys in the same order.
    top = [line.split(":")[0] for line in after.splitlines() if line[:1].isalpha()]
    assert top == [line.split(":")[0] for line in before.splitlines() if line[:1].isalpha()]
    assert "  - trong các cơ quan hành chính năm 2027" in after
    assert '- - "Câu mới có "\n        - bold: chữ đậm' in after
    # Only the edited places changed.
    import difflib

    changed = [d for d in difflib.ndiff(before.splitlines(), after.splitlines()) if d[:1] in "+-"]
    assert len([d for d in changed if d.startswith("-")]) == 1  # the old second line of the subject
    # And it reads back as exactly what was saved.
    assert load(client)["data"] == data
    assert load(client)["digest"] == r.json()["digest"]


def test_unchanged_sample_saves_byte_for_byte(client, folder):
    before = (folder / SAMPLE).read_bytes()
    got = load(client, SAMPLE)
    r = client.post("/api/save", json={"name": SAMPLE, "data": got["data"], "digest": got["digest"]})
    assert r.status_code == 200
    assert (folder / SAMPLE).read_bytes() == before


def test_moving_an_item_keeps_its_comment(client, folder):
    got = load(client)
    data = got["data"]
    blocks = data["sections"][1]["blocks"][0]["blocks"]  # 1.1. and 1.2., each with a comment
    blocks.reverse()
    assert client.post("/api/save", json={"name": FULL, "data": data, "digest": got["digest"]}).status_code == 200
    text = (folder / FULL).read_text(encoding="utf-8")
    assert text.index("Chuẩn hóa dữ liệu dùng chung.") < text.index("Nâng cấp mạng nội bộ")
    assert "- clause: Chuẩn hóa dữ liệu dùng chung.             # 1.2." in text
    assert "- clause: Nâng cấp mạng nội bộ của các cơ quan.     # khoản trong khoản: 1.1." in text


def test_text_that_yaml_would_read_otherwise_stays_text(client, folder):
    got = load(client)
    data = got["data"]
    data["agency"]["abbreviation"] = "true"
    data["signer"]["name"] = "null"
    data["archive"] = ["VT", "123", "- x", "a: b", "#1"]
    r = client.post("/api/save", json={"name": FULL, "data": data, "digest": got["digest"]})
    assert r.status_code == 200, r.text
    assert load(client)["data"] == data


def test_a_file_changed_on_disk_is_not_overwritten(client, folder):
    got = load(client)
    path = folder / FULL
    path.write_text(path.read_text(encoding="utf-8") + "# sửa tay trong lúc đang mở\n", encoding="utf-8")
    changed = path.read_bytes()
    data = got["data"]
    data["closing"] = "Câu kết mới."
    r = client.post("/api/save", json={"name": FULL, "data": data, "digest": got["digest"]})
    assert r.status_code == 409
    assert "đã được sửa ở nơi khác" in r.json()["error"]
    assert path.read_bytes() == changed
    # Overwriting is a choice the user makes: force, and the hand edit's comment is even kept.
    r = client.post("/api/save", json={"name": FULL, "data": data, "digest": got["digest"], "force": True})
    assert r.status_code == 200
    text = path.read_text(encoding="utf-8")
    assert "closing: Câu kết mới." in text and "# sửa tay trong lúc đang mở" in text


@pytest.mark.parametrize("name", [
    "../secret.yaml", "/etc/passwd.yaml", "sub/../../x.yaml", "a\\..\\b.yaml", "notes.txt", "", "x.yaml\x00",
])
def test_paths_outside_the_folder_are_refused(client, name):
    for r in (client.get("/api/file", params={"name": name}),
              client.post("/api/save", json={"name": name, "data": {}, "digest": ""}),
              client.post("/api/validate", json={"name": name, "data": {}})):
        assert r.status_code in (400, 403), (name, r.status_code)
        assert r.json()["error"]


def test_symlinks_out_of_the_folder_are_refused(client, folder, tmp_path):
    outside = tmp_path / "outside.yaml"
    outside.write_text("a: 1\n", encoding="utf-8")
    (folder / "link.yaml").symlink_to(outside)
    (folder / "linkdir").symlink_to(tmp_path)
    assert "link.yaml" not in [f["name"] for f in client.get("/api/files").json()["files"]]
    assert client.get("/api/file", params={"name": "link.yaml"}).status_code == 403
    assert client.get("/api/file", params={"name": "linkdir/outside.yaml"}).status_code == 403
    r = client.post("/api/save", json={"name": "link.yaml", "data": {"a": 2}, "digest": "", "force": True})
    assert r.status_code == 403
    assert outside.read_text(encoding="utf-8") == "a: 1\n"


def test_api_needs_the_session_token(folder, tmp_path):
    app = create_app(folder, token=TOKEN, previews=Previews(tmp_path / "cache"))
    with TestClient(app, base_url=f"http://{HOST}:8030") as c:
        assert c.get("/api/files").status_code == 403
        assert c.get("/api/files", headers={"X-Kehoach-Token": "wrong"}).status_code == 403
        r = c.post("/api/save", params={"t": TOKEN}, json={"name": FULL, "data": {}, "digest": ""})
        assert r.status_code == 403  # a write needs the header, which another site cannot send
        assert c.get("/api/files", headers={"X-Kehoach-Token": TOKEN}).status_code == 200


def test_only_local_host_names_are_answered(folder, tmp_path):
    app = create_app(folder, token=TOKEN, previews=Previews(tmp_path / "cache"))
    with TestClient(app, base_url="http://evil.example:8030", headers={"X-Kehoach-Token": TOKEN}) as c:
        assert c.get("/api/files").status_code == 400  # DNS rebinding


def test_server_listens_on_this_machine_only(folder):
    config = server_config(create_app(folder), 8030)
    assert config.host == "127.0.0.1"
    assert config.port == 8030


def test_a_file_that_is_not_yaml_is_reported_with_its_line(client, folder):
    (folder / "hong.yaml").write_text("agency:\n  name: [a\n", encoding="utf-8")
    r = client.get("/api/file", params={"name": "hong.yaml"})
    assert r.status_code == 422
    problem = r.json()["problems"][0]
    assert problem["line"] and "cú pháp YAML" in problem["message"]


def test_cli_has_the_serve_command():
    from generator.cli import build_parser

    args = build_parser().parse_args(["serve", "data", "--port", "8031", "--no-browser"])
    assert (args.folder, args.port, args.no_browser) == ("data", 8031, True)
    args = build_parser().parse_args(["serve"])
    assert (args.folder, args.port, args.no_browser) == (".", 8030, False)


def _tools() -> bool:
    return bool((shutil.which("soffice") or shutil.which("libreoffice")) and shutil.which("pdftoppm"))


def test_without_libreoffice_the_preview_says_it_is_needed_for_the_preview(client, monkeypatch):
    # The clerk asked for no PDF: the page says what LibreOffice is missing for, and how to install it.
    monkeypatch.setenv("PATH", "")
    r = client.post("/api/preview", json={"name": FULL, "data": load(client)["data"]})
    assert r.status_code == 503
    error = r.json()["error"]
    assert "không tìm thấy LibreOffice (lệnh soffice) để xem trước trang in" in error
    assert "xuất PDF" not in error and "apt-get install libreoffice-writer-nogui" in error


@pytest.mark.skipif(not _tools(), reason="cần LibreOffice (soffice) và pdftoppm (poppler-utils) để xem trước trang")
def test_preview_returns_the_pages_as_png(client):
    data = load(client)["data"]
    r = client.post("/api/preview", json={"name": FULL, "data": data})
    assert r.status_code == 200, r.text
    got = r.json()
    assert got["problems"] == [] and got["pages"] >= 2
    png = client.get(f"/api/preview/{got['key']}/1.png")
    assert png.status_code == 200
    assert png.headers["content-type"] == "image/png"
    assert png.content.startswith(b"\x89PNG")
    # Same content: the cache answers (same key), no second conversion.
    again = client.post("/api/preview", json={"name": FULL, "data": data}).json()
    assert again["key"] == got["key"]
    # Images need the token too (given as ?t= by the page).
    bare = TestClient(client.app, base_url=f"http://{HOST}:8030")
    assert bare.get(f"/api/preview/{got['key']}/1.png").status_code == 403
    assert bare.get(f"/api/preview/{got['key']}/1.png", params={"t": TOKEN}).status_code == 200


@pytest.mark.skipif(not _tools(), reason="cần LibreOffice (soffice) và pdftoppm (poppler-utils) để xem trước trang")
def test_preview_draws_the_pages_on_screen_first_and_reuses_unchanged_pages(client):
    import struct

    data = load(client)["data"]
    got = client.post("/api/preview", json={"name": FULL, "data": data, "width": 640, "first": 1}).json()
    assert got["pages"] >= 3
    assert got["images"][0] and got["images"][1:] == [None] * (got["pages"] - 1)  # only the page on screen
    every = client.get(f"/api/preview/{got['key']}/images").json()["images"]
    assert every[0] == got["images"][0] and None not in every
    png = client.get(f"/api/page/{every[0]}.png")
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    assert "immutable" in png.headers["cache-control"]
    width, height = struct.unpack(">II", png.content[16:24])
    assert width == 600 and height > width  # the width asked (rounded down), an A4 page upright
    # An edit at the end of the text (Nơi nhận): the first page is the same image, a later one is new.
    data["archive"] = ["VT", "vp", "phòng mới"]
    edited = client.post("/api/preview", json={"name": FULL, "data": data, "width": 640, "first": 1}).json()
    assert edited["key"] != got["key"]
    after = client.get(f"/api/preview/{edited['key']}/images").json()["images"]
    assert after[0] == every[0]
    changed = [i for i, (a, b) in enumerate(zip(after, every)) if a != b]
    assert changed and 0 not in changed
    assert client.get(f"/api/page/{'0' * 64}.png").status_code == 404
    assert client.get("/api/page/..%2Fmeta.png").status_code == 404
    assert client.get(f"/api/preview/{'0' * 64}/images").status_code == 404


@pytest.mark.skipif(not _tools(), reason="cần LibreOffice (soffice) và pdftoppm (poppler-utils) để xem trước trang")
def test_without_the_uno_bridge_the_preview_converts_one_shot(folder, tmp_path):
    from generator import load_plan, render_plan

    previews = Previews(tmp_path / "cache", warm=False)
    try:
        made = previews.make(render_plan(load_plan(folder / FULL)), first=1)
        assert previews.office is None  # no LibreOffice kept running
        assert made["pages"] >= 3 and made["images"][0]
        assert previews.image(made["images"][0]).read_bytes().startswith(b"\x89PNG")
    finally:
        previews.close()


@pytest.mark.skipif(not _tools(), reason="cần LibreOffice (soffice) và pdftoppm (poppler-utils) để xem trước trang")
def test_each_editor_has_its_own_office_stopped_with_it(folder, tmp_path):
    import os

    from generator.esign import office

    if not office.available():
        pytest.skip("cần gói python3-uno để giữ LibreOffice chạy sẵn")
    data = load_plan_data(folder)
    pids = []
    for n in (1, 2):
        app = create_app(folder, token=TOKEN, previews=Previews(tmp_path / f"cache-{n}"))
        with TestClient(app, base_url=f"http://{HOST}:8030", headers={"X-Kehoach-Token": TOKEN}) as c:
            assert c.post("/api/preview", json={"name": FULL, "data": data}).status_code == 200
            pids.append(app.state.previews.office.pid)
            assert pids[-1] is not None
        for _ in range(100):  # the server stopped: its LibreOffice with it
            if not os.path.exists(f"/proc/{pids[-1]}") or open(f"/proc/{pids[-1]}/stat").read().split()[2] == "Z":
                break
            import time

            time.sleep(0.05)
        else:
            raise AssertionError("LibreOffice still running after the editor stopped")
    assert pids[0] != pids[1]


def load_plan_data(folder):
    from generator.plan.loader import parse_yaml

    return parse_yaml((folder / FULL).read_text(encoding="utf-8"), FULL).data


def test_preview_of_invalid_data_gives_the_problems_not_pages(client):
    data = load(client)["data"]
    data["date"] = "mai"
    got = client.post("/api/preview", json={"name": FULL, "data": data}).json()
    assert got["pages"] is None
    assert got["problems"][0]["path"] == "date"


def test_page_names_are_checked(client):
    assert client.get("/api/preview/..%2F..%2Fetc/1.png").status_code == 404
    assert client.get(f"/api/preview/{'0' * 64}/1.png").status_code == 404


# --- the three jobs: import a Word plan, next year, the final, a batch --------------------------

def _docx_of(name: str) -> bytes:
    from generator import load_plan, render_plan

    return render_plan(load_plan(ROOT / "data" / name))


def test_import_a_word_plan_into_a_new_file(client, folder):
    raw = _docx_of(SAMPLE)
    r = client.post("/api/import", params={"filename": "Kế hoạch 2024.docx"}, content=raw)
    assert r.status_code == 200, r.text
    got = r.json()
    assert got["name"] == "ke-hoach-2024.yaml"
    text = (folder / got["name"]).read_text(encoding="utf-8")
    assert text.startswith("# Nhập từ Kế hoạch 2024.docx")
    data = load(client, got["name"])
    assert data["problems"] == []
    subject = data["data"]["subject"]  # the trích yếu prints as two balanced lines: imported as two
    assert "kiểm soát thủ tục hành chính" in " ".join(subject if isinstance(subject, list) else [subject])
    # Never over a file that is there: the same upload again makes ke-hoach-2024-2.yaml.
    before = (folder / got["name"]).read_bytes()
    again = client.post("/api/import", params={"filename": "Kế hoạch 2024.docx"}, content=raw).json()
    assert again["name"] == "ke-hoach-2024-2.yaml"
    assert (folder / got["name"]).read_bytes() == before


@pytest.mark.parametrize("filename, content, message", [
    ("ke-hoach.doc", b"\xd0\xcf\x11\xe0" + b"\0" * 100, ".docx"),
    ("ke-hoach.docx", b"%PDF-1.7\n" + b"x" * 100, "PDF"),
    ("ke-hoach.docx", b"PK\x03\x04 not really a zip", ""),
])
def test_an_upload_that_is_no_word_plan_is_refused_and_nothing_written(client, folder, filename, content, message):
    before = sorted(p.name for p in folder.iterdir())
    r = client.post("/api/import", params={"filename": filename}, content=content)
    assert r.status_code in (400, 422), r.text
    assert message in r.json()["error"]
    assert sorted(p.name for p in folder.iterdir()) == before


def test_a_zip_bomb_upload_is_refused_before_it_is_read(client, folder):
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b"<w>" + b"\0" * (80 * 2**20) + b"</w>")
    r = client.post("/api/import", params={"filename": "bom.docx"}, content=buf.getvalue())
    assert r.status_code == 400
    assert "bom.docx" in r.json()["error"]
    assert not list(folder.glob("bom*"))


def test_a_document_that_is_not_a_plan_is_named(client, folder):
    import docx

    d = docx.Document()
    d.add_paragraph("QUYẾT ĐỊNH")
    d.add_paragraph("Về việc ban hành quy chế")
    import io

    buf = io.BytesIO()
    d.save(buf)
    r = client.post("/api/import", params={"filename": "qd.docx"}, content=buf.getvalue())
    assert r.status_code == 400
    assert "không phải Kế hoạch" in r.json()["error"] or "không" in r.json()["error"]
    assert not list(folder.glob("qd*"))


def test_upload_size_is_limited(client, folder, monkeypatch):
    from generator.serve import jobs

    monkeypatch.setattr(jobs, "MAX_UPLOAD", 1000)
    r = client.post("/api/import", params={"filename": "x.docx"}, content=b"PK" + b"x" * 2000)
    assert r.status_code == 413 and "quá lớn" in r.json()["error"]


def test_an_upload_name_cannot_write_yaml_into_the_file(client, folder):
    raw = _docx_of(SAMPLE)
    r = client.post("/api/import", params={"filename": "a\nagency: x\r\u2028#.docx"}, content=raw)
    assert r.status_code == 200, r.text
    text = (folder / r.json()["name"]).read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# Nhập từ aagency: x#.docx bằng lệnh `kehoach import`."


def test_writes_need_the_token_header(folder, tmp_path):
    app = create_app(folder, token=TOKEN, previews=Previews(tmp_path / "cache"))
    with TestClient(app, base_url=f"http://{HOST}:8030") as c:
        for url, kw in [("/api/import", {"content": b"PK"}), ("/api/rollover", {"json": {"name": SAMPLE, "year": 2025}}),
                        ("/api/issue", {"json": {"name": SAMPLE, "number": 1, "date": "2024-03-20"}}),
                        ("/api/batch", {"json": {"name": SAMPLE, "units": "u.yaml"}})]:
            assert c.post(url, params={"t": TOKEN}, **kw).status_code == 403
    assert sorted(p.name for p in folder.iterdir()) == [FULL, SAMPLE]


def test_rollover_makes_next_years_file_and_the_to_do_list(client, folder):
    r = client.post("/api/rollover", json={"name": SAMPLE, "year": 2025})
    assert r.status_code == 200, r.text
    got = r.json()
    assert got["name"] == "ke-hoach-truyen-thong-kiem-soat-tthc-2025.yaml"
    assert (got["old_year"], got["new_year"]) == (2024, 2025)
    assert got["items"] and all(i["path"] and i["message"] for i in got["items"])
    opened = load(client, got["name"])
    assert opened["problems"] == []
    # Each item's path is a field of the new file (what the page links to).
    kinds = {i["kind"] for i in got["items"]}
    assert "reference" in kinds and "cleared" in kinds
    # Never over a file that is there.
    before = (folder / got["name"]).read_bytes()
    r = client.post("/api/rollover", json={"name": SAMPLE, "year": 2025})
    assert r.status_code == 409 and "đã có" in r.json()["error"]
    assert (folder / got["name"]).read_bytes() == before


@pytest.mark.parametrize("year", [2023, "mười", None, True, 99999])
def test_rollover_refuses_a_wrong_year(client, folder, year):
    r = client.post("/api/rollover", json={"name": SAMPLE, "year": year})
    assert r.status_code == 400 and r.json()["error"]
    assert sorted(p.name for p in folder.iterdir()) == [FULL, SAMPLE]


def test_issue_the_final_and_download_it(client, folder):
    from generator.jobs.issue import existing_document

    r = client.post("/api/issue", json={"name": SAMPLE, "number": "125", "date": "2024-03-20", "pdf": False})
    assert r.status_code == 200, r.text
    got = r.json()
    assert got["path"] == "output/ke-hoach-truyen-thong-kiem-soat-tthc-2024-so-125.docx"
    assert got["number"] == 125 and got["warnings"] == []  # the date the data gives: nothing to say
    # Issuing is recorded in the data file, and the page is given its new digest to read it again.
    assert got["recorded"] and "number: 125" in (folder / SAMPLE).read_text(encoding="utf-8")
    assert load(client, SAMPLE)["digest"] == got["digest"] and load(client, SAMPLE)["data"]["number"] == 125
    made = folder / got["path"]
    assert existing_document(made).kind == "final"
    d = client.get(f"/api/download/{got['docx']}")
    assert d.status_code == 200
    assert d.content == made.read_bytes()
    assert "attachment" in d.headers["content-disposition"]
    # Downloads need the token (a link gives it as ?t=).
    bare = TestClient(client.app, base_url=f"http://{HOST}:8030")
    assert bare.get(f"/api/download/{got['docx']}").status_code == 403
    assert bare.get(f"/api/download/{got['docx']}", params={"t": TOKEN}).status_code == 200
    # An issued plan is never issued under another number; the page is offered the one that is there.
    again = client.post("/api/issue", json={"name": SAMPLE, "number": "126", "date": "2024-03-21"})
    assert again.status_code == 409
    assert "đã ghi số 125" in again.json()["error"] and "số 126" in again.json()["error"]
    assert client.get(f"/api/download/{again.json()['existing']['docx']}").content == made.read_bytes()


def test_issue_names_the_draft_and_signing_copy_left_beside_the_final(client, folder):
    """Issued from the page, the final's untouched draft and signing copy stay beside it, named in
    the page's words (the folder's own paths) as the command line names them, never removed."""
    from generator.jobs.issue import issue_file

    out = folder / "output"
    draft = issue_file(folder / SAMPLE, output_dir=out).docx
    signing = issue_file(folder / SAMPLE, final=True, unnumbered=True, output_dir=out).docx
    r = client.post("/api/issue", json={"name": SAMPLE, "number": "125", "date": "2024-03-20", "pdf": False})
    assert r.status_code == 200, r.text
    assert r.json()["superseded"] == [f"output/{draft.name}", f"output/{signing.name}"]
    assert draft.exists() and signing.exists()


def test_issue_says_what_is_missing(client, folder):
    r = client.post("/api/issue", json={"name": SAMPLE, "number": "", "date": ""})
    assert r.status_code == 400
    assert "số văn bản" in r.json()["error"]
    r = client.post("/api/issue", json={"name": SAMPLE, "number": "12", "date": "2024-02-30"})
    assert r.status_code == 400 and "2024-02-30" in r.json()["error"]
    assert not (folder / "output").exists() or not list((folder / "output").iterdir())


def test_messages_on_the_page_name_no_option_and_no_path_of_the_disk(client, folder):
    """The page has no --force nor --date, and the folder is the page's own: messages say what to do
    with the page (fill in Số, the date as 20/03/2024) and name files inside the folder."""
    def said(r):
        message = r.json()["error"]
        assert "--" not in message and str(folder) not in message and "/tmp" not in message, message
        return message

    missing = said(client.post("/api/issue", json={"name": SAMPLE, "number": "", "date": ""}))
    assert "số văn bản" in missing and "ô Số" in missing
    wrong = said(client.post("/api/issue", json={"name": SAMPLE, "number": "12", "date": "2024-02-30"}))
    assert "2024-02-30" in wrong
    assert client.post("/api/issue", json={"name": SAMPLE, "number": "125", "date": "2024-03-20"}).status_code == 200
    # Issued and recorded as số 125: another number is refused, naming the final that stands.
    refused = client.post("/api/issue", json={"name": SAMPLE, "number": "126", "date": "2024-03-20"})
    assert refused.status_code == 409
    message = said(refused)
    assert "output/ke-hoach-truyen-thong-kiem-soat-tthc-2024-so-125.docx" in message
    assert "đã ghi số 125" in message and "Không ghi tệp nào" in message
    outside = said(client.get("/api/file", params={"name": "../x.yaml"}))
    assert "thư mục dữ liệu" in outside


def test_page_words_keeps_the_facts():
    from generator.serve.wording import page_words

    root = Path("/home/van-thu/ke-hoach")
    assert page_words("ngày '2024-13-01' không hợp lệ: tháng không được lớn hơn 12; ví dụ --date 2024-03-20") == (
        "ngày '2024-13-01' không hợp lệ: tháng không được lớn hơn 12; ví dụ 20/03/2024")
    assert page_words(f"{root}/output/a.docx: đã có một dự thảo; dùng --force để ghi đè", root) == (
        "output/a.docx: đã có một dự thảo; không ghi đè")
    assert page_words("/var/tmp/kehoach-x/units.yaml:3:5: units[1].name: không được để trống") == (
        "units.yaml:3:5: units[1].name: không được để trống")
    assert page_words("Nghị quyết số 57-NQ/TW, Số: /KH-UBND") == "Nghị quyết số 57-NQ/TW, Số: /KH-UBND"
    unknown = page_words("tệp quá lớn. Hãy thêm --max 5 để cho phép")
    assert "--" not in unknown and unknown.startswith("tệp quá lớn.")


def test_outputs_never_follow_a_link_out_of_the_folder(client, folder, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (folder / "output").symlink_to(outside)
    r = client.post("/api/issue", json={"name": SAMPLE, "number": "5", "date": "2024-03-20"})
    assert r.status_code == 403
    assert not list(outside.iterdir())


def test_unknown_downloads_are_not_found(client):
    assert client.get("/api/download/nope").status_code == 404
    assert client.get("/api/download/..%2F..%2Fetc%2Fpasswd").status_code == 404


def test_batch_from_a_units_file_gives_a_zip(client, folder):
    import io
    import zipfile

    shutil.copy(ROOT / "data" / "don-vi-trien-khai.yaml", folder / "don-vi-trien-khai.yaml")
    listed = {f["name"]: f["units"] for f in client.get("/api/files").json()["files"]}
    assert listed["don-vi-trien-khai.yaml"] is True and listed[SAMPLE] is False
    r = client.post("/api/batch", json={"name": SAMPLE, "units": "don-vi-trien-khai.yaml"})
    assert r.status_code == 200, r.text
    got = r.json()
    assert got["folder"] == "output/don-vi-trien-khai"
    assert got["written"] and not got["failed"]
    z = client.get(f"/api/download/{got['zip']}")
    assert z.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(z.content)).namelist()
    assert names == got["written"]
    assert all((folder / got["folder"] / n).is_file() for n in names)


def test_batch_reports_a_broken_unit_and_makes_the_others(client, folder):
    (folder / "u.yaml").write_text(
        "mode: implementing\nunits:\n  - name: Sở Y tế\n    agency: {name: Sở Y tế, abbreviation: syt}\n"
        "  - name: Sở Tư pháp\n    agency: {name: Sở Tư pháp, abbreviation: STP}\n", encoding="utf-8")
    got = client.post("/api/batch", json={"name": SAMPLE, "units": "u.yaml"}).json()
    assert got["written"] == ["so-tu-phap.docx"]
    assert got["failed"][0]["label"] == "đơn vị 1 «Sở Y tế»"
    assert "chữ viết tắt" in got["failed"][0]["problems"][0]


def test_batch_refuses_a_units_file_outside_the_folder(client):
    r = client.post("/api/batch", json={"name": SAMPLE, "units": "../don-vi.yaml"})
    assert r.status_code == 403


def test_every_schema_description_is_in_vietnamese():
    """The descriptions are the editor's tooltips (and a YAML editor's): no English left in them."""
    import re

    from generator.plan.schema import plan_schema

    english = re.compile(r"\b(the|of|with|when|and|its|is|are|printed|which|one|an|by|after|under|inside|"
                         r"declared|written|cell|row|column|table|piece|unit|document|list|group)\b")
    found = []

    def walk(node, where):
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "description" and isinstance(v, str):
                    # Data keys and values the user writes (party: true, group_style: merged) are not English prose.
                    prose = re.sub(r"\{[^}]*\}|\b[a-z_]+:\s*\S+|\b(restart|continue|merged|split|left|center|right|"
                                   r"justify|landscape|portrait|true|false|blocks|references)\b", "", v)
                    if english.search(prose):
                        found.append(f"{where}: {v[:80]}")
                else:
                    walk(v, f"{where}/{k}")
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, f"{where}[{i}]")

    walk(plan_schema(), "")
    assert not found, "\n".join(found)


@pytest.mark.skipif(not shutil.which("fc-list"), reason="cần fontconfig (fc-list) để hỏi phông của máy")
def test_every_symbol_on_the_page_has_a_font_on_this_desktop():
    """A symbol no installed font draws shows as an empty box (the "⧉" of issue 28)."""
    import subprocess

    static = ROOT / "generator" / "serve" / "static"
    symbols = {c for f in ("app.js", "index.html", "style.css") for c in (static / f).read_text(encoding="utf-8")
               if ord(c) >= 0x2000 and not 0x1E00 <= ord(c) <= 0x1EFF}
    assert symbols  # the arrows, ✕, ⚠… are there to be checked
    missing = [c for c in sorted(symbols) if not subprocess.run(
        ["fc-list", f":charset={ord(c):x}", "family"], capture_output=True, text=True).stdout.strip()]
    assert not missing, f"không phông nào vẽ được: {missing}"


# --- issue 25 in the editor: the plan's year, a batch through the pool, a catalogue from a spreadsheet ---

YEAR_PLAN = "ke-hoach.yaml"


@pytest.fixture
def year_client(folder):
    from tests.year_fixtures import write_plan

    write_plan(folder, YEAR_PLAN)
    return folder


def _progress_sheet(client, tmp_path, per_unit=False) -> Path:
    r = client.post("/api/progress/sheet", json={"name": YEAR_PLAN, "per_unit": per_unit})
    assert r.status_code == 200, r.text
    got = client.get(f"/api/download/{r.json()['download']}")
    assert got.status_code == 200
    path = tmp_path / r.json()["filename"]
    path.write_bytes(got.content)
    return path


def _upload(client, path: Path, name: str | None = None) -> str:
    r = client.post("/api/progress/upload", params={"filename": name or path.name}, content=path.read_bytes())
    assert r.status_code == 200, r.text
    return r.json()["id"]


def test_the_progress_sheet_of_the_open_plan_is_downloaded_not_written(client, year_client, tmp_path):
    import openpyxl

    from generator.jobs.progress import HEADERS
    from generator.plan.loader import load_plan
    from generator.plan.tasks import plan_tasks

    before = sorted(p.name for p in year_client.iterdir())
    sheet = _progress_sheet(client, tmp_path)
    assert sheet.name == "ke-hoach-tien-do.xlsx"
    ws = openpyxl.load_workbook(sheet)["Tiến độ"]
    assert [c.value for c in ws[3]] == list(HEADERS)
    tasks = plan_tasks(load_plan(year_client / YEAR_PLAN))
    assert sorted(r[1] for r in ws.iter_rows(min_row=4, values_only=True)) == sorted(t.content for t in tasks)
    per_unit = openpyxl.load_workbook(_progress_sheet(client, tmp_path, per_unit=True))
    assert {"Văn phòng Sở", "Phòng Cải cách hành chính", "Phòng Tổ chức cán bộ"} <= set(per_unit.sheetnames)
    assert sorted(p.name for p in year_client.iterdir()) == before  # nothing written into the folder


def test_filled_sheets_give_the_counts_then_a_new_report_file_each_time(client, year_client, tmp_path):
    from generator.plan.loader import load_plan
    from tests.year_fixtures import FILLED, fill

    filled = fill(_progress_sheet(client, tmp_path), tmp_path / "van-phong.xlsx", FILLED)
    sid = _upload(client, filled)
    r = client.post("/api/progress/read", json={"name": YEAR_PLAN, "sheets": [sid], "as_of": "30/9/2025"})
    assert r.status_code == 200, r.text
    got = r.json()
    assert got["sentence"] == "hoàn thành 5/10 nhiệm vụ (đạt 50%)"
    assert {c["label"]: c["count"] for c in got["columns"]}["Quá hạn chưa hoàn thành"] == 1
    assert [o["content"] for o in got["overdue"]] == ["Công bố danh mục thủ tục hành chính"]
    r = client.post("/api/report", json={"name": YEAR_PLAN, "sheets": [sid], "as_of": "30/09/2025"})
    assert r.status_code == 200, r.text
    assert r.json()["name"] == "bao-cao-ke-hoach.yaml"
    first = (year_client / "bao-cao-ke-hoach.yaml").read_bytes()
    report = load_plan(year_client / "bao-cao-ke-hoach.yaml")
    assert report.type.value == "Báo cáo"
    assert "đã hoàn thành 5/10 nhiệm vụ (đạt 50%)" in first.decode("utf-8")
    # Made again: a new file beside it, the first (maybe written in by the drafter) untouched.
    again = client.post("/api/report", json={"name": YEAR_PLAN, "sheets": [sid], "as_of": "30/9/2025"}).json()
    assert again["name"] == "bao-cao-ke-hoach-2.yaml"
    assert (year_client / "bao-cao-ke-hoach.yaml").read_bytes() == first
    assert "kehoach render bao-cao-ke-hoach-2.yaml" in (year_client / again["name"]).read_text(encoding="utf-8")
    assert client.get("/api/file", params={"name": again["name"]}).json()["problems"] == []


def test_bad_cells_and_contradictions_are_listed_in_the_pages_words_and_nothing_made(client, year_client, tmp_path):
    from tests.year_fixtures import fill

    sheet = _progress_sheet(client, tmp_path)
    a = fill(sheet, tmp_path / "a.xlsx", {"Rà soát quy chế làm việc của Sở": ("Xong rồi", None, None),
                                          "Sắp xếp các phòng chuyên môn": ("Hoàn thành", "30/9/2025", None)})
    b = fill(sheet, tmp_path / "b.xlsx", {"Sắp xếp các phòng chuyên môn": ("Đang thực hiện", None, None)})
    ids = [_upload(client, a), _upload(client, b)]
    for url in ("/api/progress/read", "/api/report"):
        r = client.post(url, json={"name": YEAR_PLAN, "sheets": ids, "as_of": "30/9/2025"})
        assert r.status_code == 422, r.text
        messages = [p["message"] for p in r.json()["problems"]]
        assert any(m.startswith("a.xlsx: Tiến độ!E") and "Xong rồi" in m for m in messages)
        assert any("Sắp xếp các phòng chuyên môn" in m and "các bảng ghi khác nhau" in m for m in messages)
        assert not any("--" in m or "kehoach progress" in m for m in messages)
    assert not list(year_client.glob("bao-cao*"))


def test_rollover_with_the_uploaded_progress_carries_the_unfinished_tasks(client, year_client, tmp_path):
    from generator.plan.loader import load_plan
    from generator.plan.tasks import plan_tasks
    from tests.year_fixtures import FILLED, fill

    sid = _upload(client, fill(_progress_sheet(client, tmp_path), tmp_path / "t.xlsx", FILLED))
    r = client.post("/api/rollover-progress", json={"name": YEAR_PLAN, "year": 2026, "sheets": [sid]})
    assert r.status_code == 200, r.text
    got = r.json()
    kinds = {}
    for item in got["items"]:
        kinds.setdefault(item["kind"], []).append(item["text"])
    kept = {t.content for t in plan_tasks(load_plan(year_client / got["name"]))}
    # Finished one-off tasks are gone, unfinished ones kept and listed; the recurring one stays.
    assert "Số hóa hồ sơ thủ tục hành chính" not in kept and "Sắp xếp các phòng chuyên môn" not in kept
    assert {"Công bố danh mục thủ tục hành chính", "Rà soát văn bản quy phạm pháp luật",
            "Cập nhật cơ sở dữ liệu văn bản"} <= kept
    assert any("Công bố danh mục" in t for t in kinds["carried"])
    assert any("Số hóa hồ sơ" in t for t in kinds["dropped"])
    assert any("Bình Thuận" in t for t in kinds["admin"])


def _bomb(name: str) -> bytes:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr(name, b"<worksheet>" + b"\0" * (40 * 2**20) + b"</worksheet>")
    return buf.getvalue()


def test_hostile_progress_uploads_are_refused_in_vietnamese(client, year_client, monkeypatch):
    from generator.serve import year

    r = client.post("/api/progress/upload", params={"filename": "bom.xlsx"}, content=_bomb("xl/worksheets/sheet1.xml"))
    assert r.status_code == 400 and "bom.xlsx" in r.json()["error"] and "zip bomb" in r.json()["error"]
    r = client.post("/api/progress/upload", params={"filename": "tien-do.pdf"}, content=b"%PDF-1.7")
    assert r.status_code == 400 and ".xlsx" in r.json()["error"]
    r = client.post("/api/progress/read", json={"name": YEAR_PLAN, "sheets": ["khong-co"], "as_of": "30/9/2025"})
    assert r.status_code == 400 and "tải lên lại" in r.json()["error"]
    r = client.post("/api/report", json={"name": YEAR_PLAN, "sheets": [], "as_of": "30/9/2025"})
    assert r.status_code == 400 and "ít nhất một bảng" in r.json()["error"]
    monkeypatch.setattr(year, "MAX_PROGRESS_BYTES", 1000)
    r = client.post("/api/progress/upload", params={"filename": "to.xlsx"}, content=b"PK" + b"x" * 5000)
    assert r.status_code == 413 and "quá lớn" in r.json()["error"]
    assert not list(year_client.glob("*.xlsx"))


def _catalogue(path: Path, sheet: str = "Nhiệm vụ") -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Ghi chú"
    ws["A1"] = "Bảng này chỉ có một ô"
    ws = wb.create_sheet(sheet)
    ws.append(["DANH MỤC NHIỆM VỤ"])
    ws.append(["Chuyển đổi số năm 2026"])
    ws.append(["STT", "Nhiệm vụ", "Chủ trì", "Thời gian"])
    ws.append([1, "Số hóa hồ sơ lưu trữ", "Văn phòng", "Quý II/2026"])
    ws.append([2, "Xây dựng kho dữ liệu dùng chung", "Phòng Tin học", "Quý IV/2026"])
    wb.save(path)
    return path


def test_a_catalogue_uploaded_is_saved_beside_the_plan_and_linked_as_an_appendix(client, year_client, tmp_path):
    from generator.plan.loader import load_plan

    raw = _catalogue(tmp_path / "Danh mục 2026.xlsx").read_bytes()
    r = client.post("/api/catalogue/upload", params={"name": YEAR_PLAN, "filename": "Danh mục 2026.xlsx"},
                    content=raw)
    assert r.status_code == 200, r.text
    got = r.json()
    assert got["file"] == got["ref"] == "danh-muc-2026.xlsx"
    assert (year_client / got["file"]).read_bytes() == raw
    usable = [s for s in got["sheets"] if "appendix" in s]
    assert [s["sheet"] for s in usable] == ["Nhiệm vụ"]
    sheet = usable[0]
    assert sheet["columns"] == ["STT", "Nhiệm vụ", "Chủ trì", "Thời gian"] and sheet["rows"] == 2
    assert sheet["appendix"]["table"] == {"sheet": "danh-muc-2026.xlsx#Nhiệm vụ"}
    # Linked as the page does it: the plan validates and the appendix has the sheet's rows.
    data = load(client, YEAR_PLAN)
    data["data"]["appendices"].append(sheet["appendix"])
    r = client.post("/api/save", json={"name": YEAR_PLAN, "data": data["data"], "digest": data["digest"]})
    assert r.status_code == 200 and r.json()["problems"] == [], r.text
    appendix = load_plan(year_client / YEAR_PLAN).appendices[-1]
    assert "Xây dựng kho dữ liệu dùng chung" in str(appendix.table.rows)
    # The same file again: a new name, the first one kept.
    again = client.post("/api/catalogue/upload", params={"name": YEAR_PLAN, "filename": "Danh mục 2026.xlsx"},
                        content=raw).json()
    assert again["file"] == "danh-muc-2026-2.xlsx"
    assert again["sheets"][1]["appendix"]["table"]["sheet"] == "danh-muc-2026-2.xlsx#Nhiệm vụ"


def test_hostile_catalogues_are_refused_in_vietnamese_and_nothing_saved(client, year_client, tmp_path):
    r = client.post("/api/catalogue/upload", params={"name": YEAR_PLAN, "filename": "bom.xlsx"},
                    content=_bomb("xl/worksheets/sheet1.xml"))
    assert r.status_code == 400 and "zip bomb" in r.json()["error"]
    r = client.post("/api/catalogue/upload", params={"name": YEAR_PLAN, "filename": "x.ods"}, content=b"not a zip")
    assert r.status_code == 400 and "x.ods" in r.json()["error"]
    r = client.post("/api/catalogue/upload", params={"name": YEAR_PLAN, "filename": "a.docx"}, content=b"PK")
    assert r.status_code == 400 and ".xlsx, .ods hoặc .csv" in r.json()["error"]
    assert not [p for p in year_client.iterdir() if p.suffix != ".yaml"]
    # A sheet outside the folder, by its words or through a link: refused, its existence never told.
    outside = _catalogue(tmp_path / "ngoai.xlsx")
    (year_client / "lien-ket.xlsx").symlink_to(outside)
    for name in ("../ngoai.xlsx", str(outside), "lien-ket.xlsx", "sub/../../ngoai.xlsx"):
        r = client.post("/api/catalogue/file", json={"name": YEAR_PLAN, "file": name})
        assert r.status_code == 400, (name, r.text)
        assert "thư mục dữ liệu" in r.json()["error"] and str(tmp_path) not in r.json()["error"]
    inside = _catalogue(year_client / "dm.xlsx")
    r = client.post("/api/catalogue/file", json={"name": YEAR_PLAN, "file": inside.name})
    assert r.status_code == 200 and r.json()["ref"] == "dm.xlsx"


def test_batch_from_the_page_uses_the_worker_pool_and_never_forks(client, folder, monkeypatch):
    import os

    from generator.jobs import batch

    def no_fork():
        raise AssertionError("the server forked")

    monkeypatch.setattr(os, "fork", no_fork)
    monkeypatch.setattr(batch, "default_jobs", lambda: 2)
    shutil.copy(ROOT / "data" / "don-vi-trien-khai.yaml", folder / "don-vi-trien-khai.yaml")
    r = client.post("/api/batch", json={"name": SAMPLE, "units": "don-vi-trien-khai.yaml"})
    assert r.status_code == 200, r.text
    got = r.json()
    assert got["workers"] == 2 and len(got["written"]) > 1 and not got["failed"]
    import docx

    for name in got["written"]:
        text = "\n".join(p.text for p in docx.Document(str(folder / got["folder"] / name)).paragraphs)
        assert "KẾ HOẠCH" in text


def test_a_missing_or_file_folder_is_named_for_what_it_is(tmp_path: Path, capsys) -> None:
    from generator.cli import main

    assert main(["serve", str(tmp_path / "khong-co")]) == 2
    err = capsys.readouterr().err
    assert "không tìm thấy thư mục" in err and "kehoach init" in err
    (tmp_path / "kh.yaml").write_text("x: 1\n", encoding="utf-8")
    assert main(["serve", str(tmp_path / "kh.yaml")]) == 2
    assert "là một tệp, không phải thư mục" in capsys.readouterr().err
    assert not (tmp_path / "khong-co").exists()


def test_save_keeps_a_part_heading(client, folder):
    """A mục that opens a part (Section.part, from an imported plan with Phần) is saved with it:
    the part's lines in the file, and it reads back as the data sent."""
    got = load(client)
    data = got["data"]
    data["sections"][1]["part"] = ["Phần thứ hai", "KẾ HOẠCH NĂM 2027"]
    r = client.post("/api/save", json={"name": FULL, "data": data, "digest": got["digest"]})
    assert r.status_code == 200, r.text
    assert r.json()["problems"] == []
    text = (folder / FULL).read_text(encoding="utf-8")
    assert "Phần thứ hai" in text and "KẾ HOẠCH NĂM 2027" in text
    assert load(client)["data"]["sections"][1]["part"] == ["Phần thứ hai", "KẾ HOẠCH NĂM 2027"]


def test_the_rollover_list_links_only_to_fields_of_the_new_file(client, year_client, tmp_path):
    """The page lists the rollover's places to look at, each a link to its field of the new file. A
    finished task left out has no field there: its path was last year's, and in the new file it names
    the row that moved up into its place (another task). It is listed by where it stood, unlinked;
    every linked item's field holds what the item says."""
    import json
    import re

    from generator.plan.loader import load_source
    from tests.year_fixtures import FILLED, fill

    sid = _upload(client, fill(_progress_sheet(client, tmp_path), tmp_path / "t.xlsx", FILLED))
    got = client.post("/api/rollover-progress", json={"name": YEAR_PLAN, "year": 2026, "sheets": [sid]}).json()
    new = load_source(year_client / got["name"])
    dropped = [i for i in got["items"] if i["kind"] == "dropped" and i["text"] != "(bảng)"]
    assert dropped and all(not i["path"] and i["line"] is None and i["was"].startswith("dòng ") for i in dropped)
    linked = [i for i in got["items"] if i["path"]]
    assert linked and all(i["line"] for i in linked)
    for item in linked:
        if item["kind"] == "carried":
            # A task's row: its field in the new file is that task, word for word.
            loc = tuple(int(k) if k.isdigit() else k for k in re.findall(r"[^.\[\]]+", item["path"]))
            assert item["text"] in json.dumps(_at(new.data, loc), ensure_ascii=False), item


def _at(data, loc):
    for key in loc:
        data = data[key]
    return data


@pytest.mark.parametrize("name", ["ho-so-ke-hoach-tuyen-truyen-cchc-2026.yaml", "hồ sơ (bản 2).yaml"])
def test_issuing_a_dossiers_plan_from_the_page_is_refused_in_the_pages_words(client, folder, name, capsys):
    """A dossier's plan is issued with its decision, a set the page does not make. Its Phát hành is
    refused as the command line refuses it, the facts kept (no number of its own, the order of the
    set, the data's fields), and what to do said in the page's words: no command, no option, no path
    (a file name that the shell quotes too); the command line keeps its command."""
    shutil.copy(ROOT / "data" / "ho-so-ke-hoach-tuyen-truyen-cchc-2026.yaml", folder / name)
    for number, date in (("18", "2026-03-20"), ("", "")):
        r = client.post("/api/issue", json={"name": name, "number": number, "date": date})
        assert r.status_code == 400, r.text
        said = r.json()["error"]
        assert said.startswith(f"{name}: tệp có mục dossier") and "không có số riêng" in said, said
        assert "dossier.submission" in said and "nút Phát hành" in said and "bộ hồ sơ" in said, said
        assert "--" not in said and "kehoach " not in said and "docs/" not in said and str(folder) not in said, said
        assert said.count("(") == said.count(")"), said
    assert not (folder / "output").exists() or not list((folder / "output").iterdir())

    from generator.cli import main

    assert main(["render", str(folder / name), "--final", "--number", "18", "--date", "20/03/2026"]) == 2
    err = capsys.readouterr().err
    assert "tệp có mục dossier" in err and "kehoach dossier" in err and "--final --unnumbered" in err, err


def test_a_final_kept_by_a_batch_is_said_kept_not_made(client, folder):
    """A plan issued from the page, then its units made twice: the second time every unit's final is
    already there, the same as its data gives, and kept (batch --final and render say 'giữ nguyên').
    The page counted them as made; the answer now lists them apart, and the zip still holds them."""
    import io
    import zipfile

    shutil.copy(ROOT / "data" / "don-vi-noi-bo-skhcn.yaml", folder / "u.yaml")
    r = client.post("/api/issue", json={"name": SAMPLE, "number": 5, "date": "2024-03-20", "pdf": False})
    assert r.status_code == 200, r.text
    first = client.post("/api/batch", json={"name": SAMPLE, "units": "u.yaml"}).json()
    assert len(first["written"]) == 5 and first["kept"] == [] and not first["failed"], first
    again = client.post("/api/batch", json={"name": SAMPLE, "units": "u.yaml"}).json()
    assert again["written"] == [] and again["kept"] == first["written"] and not again["failed"], again
    z = client.get(f"/api/download/{again['zip']}")
    assert sorted(zipfile.ZipFile(io.BytesIO(z.content)).namelist()) == sorted(first["written"])


def test_every_rollover_item_comes_with_its_vietnamese_label(client, folder):
    """The page labelled the rollover's kinds from a copy of its own; a kind it did not know (the
    series milestone, the dossier's comments cleared) showed as its English key. Each item now
    carries the rollover's own label."""
    from generator.jobs.rollover import KINDS

    path = folder / SAMPLE
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("theo nội dung, hình thức và thời gian", "theo lộ trình đến năm 2025, nội dung, "
                                 "hình thức và thời gian", 1), encoding="utf-8")
    got = client.post("/api/rollover", json={"name": SAMPLE, "year": 2025}).json()
    kinds = {i["kind"] for i in got["items"]}
    assert {"milestone", "reference", "cleared"} <= kinds, kinds
    for item in got["items"]:
        said = KINDS[item["kind"]]
        assert item["label"] == said[:1].upper() + said[1:], item
        assert item["label"] != item["kind"] and not item["label"].isascii()


def test_the_command_lines_words_never_reach_the_page(client, folder):
    """Messages the library says to the command line name its commands: the joint plan's warning
    ('kehoach sign'), a units file's ('kehoach init'), a document given as data ('kehoach import
    … -o …'). On the page each is said with what the page has: its buttons, or kehoach itself."""
    import re

    from generator.serve.jobs import pdf_available

    (folder / "u.yaml").write_text("- chỉ một danh sách\n", encoding="utf-8")
    r = client.post("/api/batch", json={"name": SAMPLE, "units": "u.yaml"})
    said = [r.json()["error"]]
    assert r.status_code == 422 and "ô Tệp đơn vị một tệp có mục units" in said[-1], r.text
    (folder / "ke-hoach-cu.yaml").write_bytes((ROOT / "templates" / "kehoach.docx").read_bytes())
    r = client.get("/api/file", params={"name": "ke-hoach-cu.yaml"})
    said.append(r.text)
    assert "bằng nút “Nhập từ Word…”, rồi mở tệp dữ liệu đó" in r.text, r.text
    # Said of a joint plan issued with its PDF, which kehoach cannot sign (needs LibreOffice).
    if pdf_available():
        joint = folder / "lien-tich.yaml"
        joint.write_text((folder / SAMPLE).read_text(encoding="utf-8") + "co_signers:\n  - {name: Nguyễn Văn An, "
                         "authority: TM, collective: Ban Thường trực, title: Chủ tịch}\n", encoding="utf-8")
        r = client.post("/api/issue", json={"name": joint.name, "number": 5, "date": "2024-03-20", "pdf": True})
        assert r.status_code == 200, r.text
        said += r.json()["warnings"]
        assert any(w.startswith("văn bản liên tịch: kehoach chưa ký số được văn bản có nhiều người ký; hãy ký số")
                   for w in r.json()["warnings"]), r.json()["warnings"]
    for text in said:
        # A command is "kehoach" and an ASCII word; "kehoach chưa …" is the program.
        assert not re.search(r"kehoach [a-z][a-z-]*(?!\w)|--[a-z]|\s-o\s", text), text
