"""The editor imports what `kehoach import` imports (issue 22): a .docx, and a .doc, .odt or .rtf that
LibreOffice converts, judged by content, refused with the command's messages before a process
starts, and nothing written in the folder but the new data file.

The .doc/.odt/.rtf are made here by LibreOffice from the rendered sample plan.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytest.importorskip("starlette")
pytest.importorskip("httpx")


from generator.word import formats  # noqa: E402
from generator.word.soffice import run_soffice, soffice_or_none  # noqa: E402
from tests.editor_client import editor_client  # noqa: E402

needs_soffice = pytest.mark.skipif(soffice_or_none() is None, reason="chưa cài LibreOffice (soffice)")
FORMS = {"doc": "doc:MS Word 97", "odt": "odt", "rtf": "rtf:Rich Text Format"}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    return data


@pytest.fixture
def client(folder: Path, tmp_path: Path):
    with editor_client(folder, tmp_path / "cache") as c:
        yield c


@pytest.fixture(scope="module")
def copies(sample_docx: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sample plan as LibreOffice saves it in each form: {"doc": …/ke-hoach.doc, …}."""
    root = tmp_path_factory.mktemp("serve-formats")
    exe = soffice_or_none()
    assert exe is not None
    made = {}
    for form, target in FORMS.items():
        out = root / form
        out.mkdir()
        run_soffice(exe, [sample_docx], out, 300, convert_to=target, timeout_message=lambda s: f"soffice > {s} s")
        made[form] = out / f"{sample_docx.stem}.{form}"
        assert made[form].is_file() and made[form].stat().st_size > 0
    return made


@pytest.fixture
def no_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """A file refused by what it is must be refused before the import process starts."""
    from generator.serve import jobs

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the import process was started for a file that should have been refused first")

    monkeypatch.setattr(jobs, "isolated", refuse)


@needs_soffice
@pytest.mark.parametrize("form", list(FORMS))
def test_the_editor_imports_each_form_as_the_command_does(client, folder: Path, tmp_path: Path,
                                                          copies: dict[str, Path], form: str) -> None:
    from generator.jobs.importer import import_file

    filename = f"Kế hoạch 2024.{form}"
    r = client.post("/api/import", params={"filename": filename}, content=copies[form].read_bytes())
    assert r.status_code == 200, r.text
    assert r.json()["name"] == "ke-hoach-2024.yaml"
    assert sorted(p.name for p in folder.iterdir()) == ["ke-hoach-2024.yaml"]  # nothing else written
    made = (folder / "ke-hoach-2024.yaml").read_text(encoding="utf-8")
    assert made.startswith(f"# Nhập từ {filename} bằng lệnh")
    # The very data file `kehoach import` writes from the same file under the same name.
    cli = tmp_path / "cli"
    cli.mkdir()
    shutil.copyfile(copies[form], cli / filename)
    assert made == import_file(cli / filename, cli / "out.yaml").text
    loaded = client.get("/api/file", params={"name": "ke-hoach-2024.yaml"}).json()
    assert loaded["problems"] == []
    subject = loaded["data"]["subject"]
    assert "kiểm soát thủ tục hành chính" in " ".join(subject if isinstance(subject, list) else [subject])


@needs_soffice
def test_a_file_is_judged_by_content_not_by_its_name(client, folder: Path, copies: dict[str, Path]) -> None:
    r = client.post("/api/import", params={"filename": "ke-hoach.docx"}, content=copies["rtf"].read_bytes())
    assert r.status_code == 200, r.text
    assert (folder / r.json()["name"]).read_text(encoding="utf-8").startswith("# Nhập từ ke-hoach.docx")


def test_without_libreoffice_the_page_says_both_ways(client, folder: Path, monkeypatch: pytest.MonkeyPatch,
                                                     no_process: None) -> None:
    monkeypatch.setattr(formats, "soffice_or_none", lambda: None)
    r = client.post("/api/import", params={"filename": "Kế hoạch cũ.rtf"}, content=b"{\\rtf1\\ansi Ke hoach}")
    assert r.status_code == 400
    error = r.json()["error"]
    assert error.startswith("Kế hoạch cũ.rtf: tệp RTF, không phải .docx")
    assert "Lưu thành (Save As)" in error and "cài LibreOffice" in error
    assert list(folder.iterdir()) == []


def test_a_word_lock_file_uploaded_is_said_as_such(client, folder: Path, no_process: None) -> None:
    # Picked in the browser's file dialog beside the plan open in Word: named as Word's lock file.
    from tests.word_fixtures import word_owner_file

    r = client.post("/api/import", params={"filename": "~$-hoach 2026.docx"}, content=word_owner_file("Van Thu"))
    assert r.status_code == 400
    error = r.json()["error"]
    assert error.startswith("~$-hoach 2026.docx: đây là tệp khóa tạm Word") and "tệp hỏng" not in error
    assert list(folder.iterdir()) == []


def test_an_opendocument_that_is_not_text_is_refused_before_a_process(client, folder: Path,
                                                                      no_process: None) -> None:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", "<office:document-content/>")
    r = client.post("/api/import", params={"filename": "bang.odt"}, content=buf.getvalue())
    assert r.status_code == 400
    assert r.json()["error"].startswith("bang.odt: tệp OpenDocument loại “application/vnd.oasis.opendocument.spreadsheet”")
    assert list(folder.iterdir()) == []


def test_a_broken_doc_is_refused_before_a_process(client, folder: Path, no_process: None) -> None:
    bad = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 40
    r = client.post("/api/import", params={"filename": "cu.doc"}, content=bad)
    assert r.status_code == 400
    error = r.json()["error"]
    assert error.startswith("cu.doc: tệp .doc cũ (Word 97-2003) bị hỏng") and "Lưu thành" in error
    assert list(folder.iterdir()) == []


@needs_soffice
def test_a_conversion_that_fails_names_the_uploaded_file(client, folder: Path) -> None:
    """What the import process says of its private copy is said of the user's file."""
    r = client.post("/api/import", params={"filename": "Hỏng.rtf"}, content=b"{\\rtf1\\ansi " + b"\0\xff" * 500)
    assert r.status_code == 400
    error = r.json()["error"]
    assert "kehoach-import-" not in error
    assert list(folder.iterdir()) == []
    assert error.startswith("Hỏng.rtf: LibreOffice không chuyển được tệp RTF"), error


def test_the_page_offers_the_forms_it_reads(client) -> None:
    page = client.get("/").text
    accept = page.split('id="import-file"', 1)[1].split("accept=", 1)[1].split('"')[1]
    assert {".docx", ".doc", ".odt", ".rtf"} <= set(accept.split(","))


def test_a_strict_docx_is_imported_as_the_command_does(client, folder: Path, tmp_path: Path, sample_docx: Path) -> None:
    from generator.jobs.importer import import_file
    from tests.test_formats import strict_copy

    strict = strict_copy(sample_docx, tmp_path / "Kế hoạch strict.docx")
    r = client.post("/api/import", params={"filename": strict.name}, content=strict.read_bytes())
    assert r.status_code == 200, r.text
    made = (folder / r.json()["name"]).read_text(encoding="utf-8")
    assert made == import_file(strict, tmp_path / "cli.yaml").text
    assert sorted(p.name for p in folder.iterdir()) == [r.json()["name"]]
