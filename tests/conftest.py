"""Shared fixtures: the sample plan, rendered once per test session (rendering and LibreOffice are
the slow parts, and every test reads the same document)."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest

from generator.cli import main
from generator.plan.loader import load_plan
from generator.document.render import render_plan
from tests.docx_props import Package

from tests.paths import DATA, SAMPLE

SEED = Path(__file__).resolve().parent / "data" / "seed-000.txt"
"""Copy of /work/shared/seeds/000_d9c92f5e2cd11235.txt: the hand-made Word file the sample replaces."""


@pytest.fixture(scope="session")
def sample_path() -> Path:
    return SAMPLE


@pytest.fixture(scope="session")
def sample_plan():
    return load_plan(SAMPLE)


@pytest.fixture(scope="session")
def sample_bytes(sample_plan) -> bytes:
    """The sample rendered through the library (generator.document.render.render_plan)."""
    return render_plan(sample_plan)


@pytest.fixture(scope="session")
def sample_docx(tmp_path_factory) -> Path:
    """The sample rendered through the command line (generator.cli.main) to a file."""
    out = tmp_path_factory.mktemp("sample") / "ke-hoach.docx"
    assert main(["render", str(SAMPLE), "-o", str(out)]) == 0
    return out


@pytest.fixture(scope="session")
def sample_package(sample_bytes) -> Package:
    return Package(sample_bytes)


@pytest.fixture(scope="session")
def sample_document(sample_bytes):
    return docx.Document(io.BytesIO(sample_bytes))


@pytest.fixture(autouse=True, scope="session")
def _shipped_data_files_stay_as_they_are():
    """Issuing writes number and date into the data file (issue 24): a test that issues from the
    repository's own samples instead of a copy would change them. Fail the session if one did."""
    files = sorted(DATA.glob("*.yaml"))
    before = {f: f.read_bytes() for f in files}
    yield
    changed = [f.name for f in files if f.read_bytes() != before[f]]
    assert not changed, f"a test changed the shipped data files {changed}; issue from a copy (tmp_path)"


@pytest.fixture
def no_libreoffice_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """A file refused by its own bytes or structure must be refused before LibreOffice starts."""
    from generator.word import formats

    def refuse(*args: object, **kwargs: object) -> str:
        raise AssertionError("LibreOffice was started for a file that should have been refused first")

    monkeypatch.setattr(formats, "run_soffice", refuse)
