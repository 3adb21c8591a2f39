"""Hostile embedded chunks (w:altChunk, generator/word/alt_chunks.py) against the budgets of one file:
chunks each within the limits of a part, that together, once spliced into the one part they stand
in, would build more XML than a part may hold; refused before any chunk's tree is built (what
costs the memory), with a Vietnamese message naming the chunks, exit 2 and no traceback. The
author's hostile cases (a page fetching, a chunk bomb, a chunk of chunks, a chunk outside the
file) are in tests/test_alt_chunks.py."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest

from generator import limits
from generator.word import alt_chunks
from generator.word.reader import norm, read_word
from tests.limits_helpers import cli_error
from tests.test_alt_chunks import DOCX_TYPE, blocks_only, body_start, plain, with_chunks

__all__ = ["plain"]  # the fixture, used by name


@pytest.fixture
def nothing_built(monkeypatch: pytest.MonkeyPatch) -> None:
    """A chunk refused by its counts must be refused before its blocks are made (the trees)."""
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a chunk's blocks were built before the chunks were counted")

    monkeypatch.setattr(alt_chunks, "_text_blocks", refuse)
    monkeypatch.setattr(alt_chunks._Package, "_docx_blocks", refuse)


def many_runs(docx: bytes, runs: int) -> bytes:
    """The .docx with one more paragraph of `runs` runs opening its body: many elements, few bytes
    each, one paragraph."""
    with zipfile.ZipFile(io.BytesIO(docx)) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    paragraph = b"<w:p>" + b"<w:r><w:t>x</w:t></w:r>" * runs + b"</w:p>"
    head, body, tail = members["word/document.xml"].partition(b"<w:body>")
    members["word/document.xml"] = head + body + paragraph + tail
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, blob in members.items():
            zf.writestr(name, blob)
    return out.getvalue()


def test_a_text_chunk_of_one_line_of_tabs_is_refused_before_it_is_built(
        plain: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any, nothing_built: None) -> None:
    """A text chunk of one line is one paragraph, but each tab in it becomes a run, a tab and a text
    (Word imports a tab as a tab): a line of tabs, a byte each, builds three elements a byte, past
    what a part may hold (limits.MAX_ELEMENTS, here lowered) with no paragraph counted against it."""
    monkeypatch.setattr(limits, "MAX_ELEMENTS", 60_000)
    docx = plain.read_bytes()
    copy = tmp_path / "tab.docx"
    copy.write_bytes(with_chunks(docx, body_start(docx), [(b"x\t" * 25_000, "text/plain", "afchunk1.txt")]))
    err = cli_error(["check", str(copy)], capsys)
    assert "tab.docx" in err and "altChunk" in err and "thẻ XML" in err and "không đọc" in err


def test_a_text_chunk_with_the_tabs_of_a_plan_is_read(plain: Path, tmp_path: Path) -> None:
    docx = plain.read_bytes()
    copy = tmp_path / "tab.docx"
    copy.write_bytes(with_chunks(docx, body_start(docx), [("Thời hạn\tQuý I\tSở".encode(), "text/plain",
                                                          "afchunk1.txt")]))
    assert "Thời hạn Quý I Sở" in [norm(p.text) for p in read_word(copy).paragraphs]


def test_docx_chunks_each_within_a_part_together_past_it_are_refused_before_they_are_built(
        plain: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any, nothing_built: None) -> None:
    """Each .docx chunk within the elements of a part (each inspected alone passes), two of them
    spliced into the document's one part past it: refused from their bytes, not after the spliced
    trees (every chunk's blocks copied into the document) are built and inspected."""
    docx = plain.read_bytes()
    start = body_start(docx)
    chunk = many_runs(blocks_only(docx, start), 30_000)
    with zipfile.ZipFile(io.BytesIO(chunk)) as zf:
        elements = zf.read("word/document.xml").count(b"<")
    monkeypatch.setattr(limits, "MAX_ELEMENTS", elements * 3 // 2)
    copy = tmp_path / "hai.docx"
    copy.write_bytes(with_chunks(docx, start, [(chunk, DOCX_TYPE, "afchunk1.docx"),
                                               (chunk, DOCX_TYPE, "afchunk2.docx")]))
    err = cli_error(["import", str(copy), "-o", str(tmp_path / "ra.yaml")], capsys)
    assert "hai.docx" in err and "altChunk" in err and "thẻ XML" in err
    assert not (tmp_path / "ra.yaml").exists()
