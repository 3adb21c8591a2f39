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

ROOT = Path(__file__).resolve().parent.parent
FULL = "ke-hoach-cau-truc-day-du.yaml"
SAMPLE = "ke-hoach-truyen-thong-kiem-soat-tthc-2024.yaml"
TOKEN = "test-token"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    for name in (FULL, SAMPLE):
        shutil.copy(ROOT / "data" / name, data / name)
    return data


@pytest.fixture
def client(folder: Path, tmp_path: Path):
    app = create_app(folder, token=TOKEN, previews=Previews(tmp_path / "cache"))
    with TestClient(app, base_url=f"http://{HOST}:8030", headers={"X-Kehoach-Token": TOKEN}) as c:
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
    from generator.schema import plan_schema

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
    assert by_path["date.month"]["message"] == "không được lớn hơn 12"
    assert by_path["date.month"]["line"] == 13
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


def test_preview_of_invalid_data_gives_the_problems_not_pages(client):
    data = load(client)["data"]
    data["date"] = "mai"
    got = client.post("/api/preview", json={"name": FULL, "data": data}).json()
    assert got["pages"] is None
    assert got["problems"][0]["path"] == "date"


def test_page_names_are_checked(client):
    assert client.get("/api/preview/..%2F..%2Fetc/1.png").status_code == 404
    assert client.get(f"/api/preview/{'0' * 64}/1.png").status_code == 404
