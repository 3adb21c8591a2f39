"""The editor's outputs (issue 30): two plans of one name in two folders never share a final, and the
page is offered only a plan's own final, never a link out of the folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytest.importorskip("starlette")

from generator.jobs.issue import existing_document  # noqa: E402
from tests.test_serve import ROOT, SAMPLE, client, folder  # noqa: E402, F401 - fixtures


def _issue(client, name: str, number: int):  # noqa: F811 - a parameter named like the fixture
    return client.post("/api/issue", json={"name": name, "number": str(number), "date": "2024-03-20"})


def test_two_plans_of_one_name_in_two_folders_get_two_finals(client, folder: Path) -> None:  # noqa: F811
    for sub in ("phong-a", "phong-b"):
        (folder / sub).mkdir()
        shutil.copy(ROOT / "data" / SAMPLE, folder / sub / SAMPLE)
    first = _issue(client, f"phong-a/{SAMPLE}", 5)
    assert first.status_code == 200, first.text
    second = _issue(client, f"phong-b/{SAMPLE}", 6)
    assert second.status_code == 200, second.text
    a, b = folder / first.json()["path"], folder / second.json()["path"]
    assert a != b and a.parent.name == "phong-a" and b.parent.name == "phong-b"
    assert (existing_document(a).number, existing_document(b).number) == (5, 6)
    # A top-level plan of the same name keeps the plain name, and a third final of its own.
    top = _issue(client, SAMPLE, 7)
    assert top.status_code == 200 and top.json()["path"] == f"output/{Path(SAMPLE).stem}-so-07.docx"
    assert existing_document(a).number == 5 and existing_document(b).number == 6
    # Issuing b again is refused, and what is offered is b's own final, not a's.
    again = _issue(client, f"phong-b/{SAMPLE}", 8)
    assert again.status_code == 409
    offered = client.get(f"/api/download/{again.json()['existing']['docx']}")
    assert offered.content == b.read_bytes() != a.read_bytes()


def test_a_linked_final_outside_the_folder_is_never_offered(client, folder: Path, tmp_path: Path) -> None:  # noqa: F811
    outside = tmp_path / "ngoai"
    outside.mkdir()
    secret = outside / "khac.docx"
    shutil.copy(ROOT / "data" / SAMPLE, outside / SAMPLE)
    from generator.jobs.issue import issue_file

    issue_file(outside / SAMPLE, secret, final=True, number=9, date="2024-03-20")
    before = secret.read_bytes()
    (folder / "output").mkdir()
    (folder / "output" / f"{Path(SAMPLE).stem}-so-10.docx").symlink_to(secret)  # where final 10 goes
    r = _issue(client, SAMPLE, 10)
    assert r.status_code == 409 and "existing" not in r.json()
    assert secret.read_bytes() == before


def test_a_batch_goes_to_the_units_files_own_folder(client, folder: Path) -> None:  # noqa: F811
    (folder / "phong-a").mkdir()
    shutil.copy(ROOT / "data" / "don-vi-trien-khai.yaml", folder / "phong-a" / "don-vi-trien-khai.yaml")
    r = client.post("/api/batch", json={"name": SAMPLE, "units": "phong-a/don-vi-trien-khai.yaml"})
    assert r.status_code == 200, r.text
    got = r.json()
    assert got["folder"] == "output/phong-a/don-vi-trien-khai" and got["written"]
    assert all((folder / got["folder"] / n).is_file() for n in got["written"])


def test_a_save_never_replaces_what_another_program_saved_meanwhile(client, folder: Path, monkeypatch) -> None:  # noqa: F811
    """Another editor saves the file between the page's digest check and its write: kept, 409."""
    from generator.serve.files import Folder

    got = client.get("/api/file", params={"name": SAMPLE}).json()
    path = folder / SAMPLE
    theirs = path.read_text(encoding="utf-8").replace("năm 2024", "năm 2024 (bản sửa ở Word)", 1)
    real_read = Folder.read

    def read_then_someone_saves(self, name):
        snap = real_read(self, name)
        monkeypatch.setattr(Folder, "read", real_read)  # once
        other = path.with_name(".other.tmp")
        other.write_text(theirs, encoding="utf-8")
        other.replace(path)  # saved the way editors save: a new file renamed into place
        return snap

    monkeypatch.setattr(Folder, "read", read_then_someone_saves)
    data = got["data"]
    data["subject"] = ["Một trích yếu khác"]
    r = client.post("/api/save", json={"name": SAMPLE, "data": data, "digest": got["digest"]})
    assert r.status_code == 409 and "đã được sửa ở nơi khác" in r.json()["error"]
    assert path.read_text(encoding="utf-8") == theirs
