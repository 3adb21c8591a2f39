"""Red team on round 8's code: a spreadsheet's header rows (merges), w:altChunk in notes and comments,
UTF-16 text told without a byte-order mark, header lines of no-break spaces, a dossier issued in two
stages. Each attack is the file a hostile or careless user could give, and each test asserts what the
user gets: the message (where, what, the fix), the exit code, the files left as they were."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from generator.plan.sheets import BadCells, read_sheet
from tests.limits_helpers import import_refused, run_limited
from tests.test_alt_chunks import plain

__all__ = ["plain"]  # the fixture, used by name

GB = 2**30


def _xlsx(rows: list[list[object]], merges: list[str]) -> bytes:
    """A workbook of sheet "DM" holding rows, with merge records written as given (A1 refs), even
    those Excel itself would never write (overlapping, thousands of them)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "DM"
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    records = "".join(f'<mergeCell ref="{ref}"/>' for ref in merges)
    src = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    patched = io.BytesIO()
    with zipfile.ZipFile(patched, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == "xl/worksheets/sheet1.xml" and merges:
                data = data.replace(b"</sheetData>",
                                    f'</sheetData><mergeCells count="{len(merges)}">{records}</mergeCells>'.encode())
            dst.writestr(name, data)
    return patched.getvalue()



# --- a spreadsheet's header rows ------------------------------------------------------------------

def test_a_chain_of_merges_down_the_sheet_is_refused_at_the_header_limit(tmp_path: Path) -> None:
    """A1:A2, B2:B3, A3:A4, … down 40,000 rows: each merge carries the header one row lower. The
    header was followed to the sheet's end, every row a scan of all merges (40,000 rows: minutes);
    it is said at the merge that takes the header past its 4 rows, the rows below not looked at."""
    n = 40_000
    rows: list[list[object]] = [["STT", "Nội dung", "Ghi chú"]] + [[None, None, "x"] for _ in range(n)]
    merges = [f"{'AB'[i % 2]}{i + 1}:{'AB'[i % 2]}{i + 2}" for i in range(n)]
    err = import_refused(tmp_path, "chuoi.xlsx", _xlsx(rows, merges))
    assert "chuoi.xlsx" in err and "DM!A5" in err, err
    assert "tối đa 4" in err and "không gộp xuống hàng dữ liệu" in err, err


@pytest.mark.parametrize(("merges", "at", "first"), [
    (["A1:A2", "B1:C1", "C1:D1"], "DM!C1", "B1"),  # two titles merged across one same cell
    (["A1:A2", "B1:C1", "B1:B2"], "DM!B1", "B1"),  # two merges from one first cell
    (["A1:A2", "B2:D3", "C1:C2"], "DM!C1", "B2"),  # a merge down into another's area
], ids=["across", "same-first-cell", "down-into"])
def test_overlapping_header_merges_are_said_at_their_cells(tmp_path: Path, merges: list[str], at: str,
                                                            first: str) -> None:
    """Merges sharing a cell (no sheet Excel or LibreOffice saves; Excel repairs the file by dropping
    them) made a header row cover 3 of 4 columns, refused later at the data file's 'header_rows' with
    a fix ('add cells or span') no sheet can follow. Said at the sheet's cells, before anything is read
    as a header: the merge, the one it overlaps, the fix."""
    rows: list[list[object]] = [["STT", "Thời gian", None, None], [None, "Bắt đầu", "Kết thúc", "Ghi chú"],
                                [None, None, None, None], [1, "Tháng 3", "Tháng 4", "x"]]
    path = tmp_path / "chong.xlsx"
    path.write_bytes(_xlsx(rows, merges))
    with pytest.raises(BadCells) as caught:
        read_sheet(path)
    said = str(caught.value)
    assert f"{at}: vùng gộp bắt đầu ở ô này chồng lên vùng gộp bắt đầu ở ô {first}" in said, said
    assert "hãy bỏ gộp cả hai" in said
    assert "header_rows" not in said
    err = import_refused(tmp_path, "chong2.xlsx", _xlsx(rows, merges))
    assert at in err and f"ô {first}" in err, err



def test_a_header_merge_from_an_empty_column_left_of_the_table_is_said_at_its_cell(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The table starts at column B; a header cell merged from the empty column A over "STT" (Excel
    prints A1's nothing there). The header row covered 2 of the table's 3 columns and the plan was
    refused at its 'header_rows' with a fix for YAML; now said at the sheet's cell, as a merge past
    the table's last column is, and nothing rendered."""
    from generator.cli import main
    from tests.paths import SHEET_PLAN

    rows: list[list[object]] = [[None, "STT", "Thời gian", None], [None, None, "Bắt đầu", "Kết thúc"],
                                [None, 1, "Tháng 3", "Tháng 4"]]
    (tmp_path / "trai.xlsx").write_bytes(_xlsx(rows, ["A1:B2", "C1:D1"]))
    data = tmp_path / "kh.yaml"
    data.write_text(SHEET_PLAN % "trai.xlsx#DM", encoding="utf-8")
    out = tmp_path / "kh.docx"
    assert main(["render", str(data), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "trai.xlsx: ô DM!A1: ô tiêu đề gộp 2 cột, bắt đầu từ cột trống bên trái bảng" in err, err
    assert "header_rows" not in err and not out.exists()




@pytest.mark.parametrize("merges", [["F1:G1"], ["F1:G3"], ["E1:E2", "F1:F2"], ["A1:A2"]],
                         ids=["across", "across-and-down", "down-beside", "left-down"])
def test_empty_merges_beside_the_table_are_not_its_header(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                          merges: list[str]) -> None:
    """Empty cells merged beside the table (formatting left right of its last column, or left of its
    first): Excel prints nothing there. Their first cell, outside the table's columns, crashed the
    reader (IndexError: 'lỗi bên trong kehoach'), and one merged down took the first task into the
    header. The table is read as the page shows it: one header row, the task a row of the plan."""
    from generator.cli import main
    from tests.paths import SHEET_PLAN

    left = merges == ["A1:A2"]
    rows: list[list[object]] = [["STT", "Nội dung", "Thời gian"], [1, "Khảo sát", "Quý I"]]
    if left:
        rows = [[None, *r] for r in rows]
    (tmp_path / "ben.xlsx").write_bytes(_xlsx(rows, merges))
    table = read_sheet(tmp_path / "ben.xlsx").table
    assert [c["title"] for c in table["columns"]] == ["STT", "Nội dung", "Thời gian"]
    assert "header_rows" not in table and table["rows"] == [["Khảo sát", "Quý I"]]
    data = tmp_path / "kh.yaml"
    data.write_text(SHEET_PLAN % "ben.xlsx#DM", encoding="utf-8")
    assert main(["render", str(data), "-o", str(tmp_path / "kh.docx")]) == 0, capsys.readouterr().err
    import docx

    printed = [[c.text for c in row.cells] for row in docx.Document(str(tmp_path / "kh.docx")).tables[-1].rows]
    assert printed == [["STT", "Nội dung", "Thời gian"], ["1", "Khảo sát", "Quý I"]]



def test_a_header_cell_merged_to_the_sheets_last_column_is_said_in_vietnamese_figures(tmp_path: Path) -> None:
    """B1:XFD1, the header's second title merged across every column Excel has (16,383 of them,
    within the cells a sheet may hold): said at its cell, its count written as Vietnamese write it."""
    path = tmp_path / "rong.xlsx"
    path.write_bytes(_xlsx([["STT", "Nội dung", "Thời gian"], [1, "Khảo sát", "Quý I"]], ["B1:XFD1"]))
    with pytest.raises(BadCells) as caught:
        read_sheet(path)
    assert "DM!B1: ô tiêu đề gộp 16.383 cột, vượt quá cột cuối có chữ của bảng" in str(caught.value)


# --- w:altChunk in notes and comments -----------------------------------------------------------

def _with_part(docx: bytes, name: str, change) -> bytes:
    """The package with one member's bytes changed by change(bytes) -> bytes, stored uncompressed
    (no ratio for the zip bomb rule to see: the parts' own limits are what stops it)."""
    with zipfile.ZipFile(io.BytesIO(docx)) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    members[name] = change(members[name])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zf:
        for member, blob in members.items():
            zf.writestr(member, blob)
    return out.getvalue()


@pytest.mark.parametrize("rid", ["rIdAlt1", "rIdNone"], ids=["naming-a-part", "naming-nothing"])
def test_a_footnotes_part_of_a_million_chunks_is_refused_before_any_is_judged(
        plain: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rid: str) -> None:
    """A footnote of 10^6 w:altChunk (23 MB stored, within a part's limits): each was judged (its
    relationship, its part, its type; about 25 microseconds) before they were counted, and those
    naming no part were dropped one by one and the file read. Counted as they stand, before any is
    judged, and refused: the file, the count, the limit."""
    from generator import limits
    from generator.errors import UserError
    from generator.word import alt_chunks
    from generator.word.reader import read_word
    from tests.test_alt_chunks import part_chunk

    def judged(*args: object, **kwargs: object) -> None:
        raise AssertionError("a chunk was judged before the chunks were counted")

    docx = part_chunk(plain.read_bytes(), "Ghi chú".encode(), "text/plain", "footnotes")
    one = b'<w:altChunk r:id="rIdAlt1"/>'
    many = _with_part(docx, "word/footnotes9.xml", lambda b: b.replace(one, one.replace(b"rIdAlt1", rid.encode())
                                                                        * 1_000_000))
    path = tmp_path / "chu-thich.docx"
    path.write_bytes(many)
    monkeypatch.setattr(alt_chunks._Package, "chunks_of", judged)
    with pytest.raises(UserError) as caught:
        read_word(path)
    assert str(caught.value) == (f"{path}: tệp có 1.000.000 phần nội dung nhúng (altChunk) (tối đa "
                                 f"{limits.MAX_ALT_CHUNKS}); tệp không bình thường, không đọc")


@pytest.mark.parametrize(("target", "words"), [
    ("comments9.xml", "word/comments9.xml không phải loại Word nhập được"),
    ("../[Content_Types].xml", "[Content_Types].xml không phải loại Word nhập được"),
], ids=["itself", "the-content-types"])
def test_a_chunk_in_a_comment_naming_its_own_part_or_the_packages_is_refused_by_name(
        plain: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], target: str, words: str) -> None:
    """A comment's chunk whose relationship names the comments part itself (a chunk holding itself)
    or the package's content types: no loop, no part taken as a document; exit 2 naming the part."""
    from tests.limits_helpers import cli_error
    from tests.test_alt_chunks import part_chunk

    docx = part_chunk(plain.read_bytes(), "Cần bổ sung".encode(), "text/plain", "comments")
    bad = _with_part(docx, "word/_rels/comments9.xml.rels",
                     lambda b: b.replace(b'Target="afchunk9.txt"', f'Target="{target}"'.encode()))
    path = tmp_path / "y-kien.docx"
    path.write_bytes(bad)
    err = cli_error(["check", str(path)], capsys)
    assert "y-kien.docx" in err and words in err, err


@pytest.mark.parametrize("target", ["../../../../etc/passwd", "/etc/passwd", "../customXml/item9.xml"])
def test_a_chunk_in_a_comment_naming_a_part_outside_the_package_shows_nothing(
        plain: Path, tmp_path: Path, target: str) -> None:
    """A comment's chunk naming a file outside the package (or a part it does not have): nothing
    read from disk (Word shows nothing there), the comment read without it, the rest of the plan as
    before."""
    from generator.word.reader import norm, read_word
    from tests.test_alt_chunks import part_chunk

    docx = part_chunk(plain.read_bytes(), "Cần bổ sung".encode(), "text/plain", "comments")
    bad = _with_part(docx, "word/_rels/comments9.xml.rels",
                     lambda b: b.replace(b'Target="afchunk9.txt"', f'Target="{target}"'.encode()))
    path = tmp_path / "ngoai.docx"
    path.write_bytes(bad)
    doc = read_word(path)
    texts = [norm(p.text) for p in doc.paragraphs]
    assert not any("root:" in t for t in texts)
    assert [norm(p.text) for p in read_word(plain).paragraphs] == texts



@pytest.mark.parametrize(("blob", "shown"), [
    ("Ủy ban nhân dân tỉnh".encode("utf-16-le") + b"\n", "Ủy ban nhân dân tỉnh"),  # odd length: a stray byte
    ("Ủy ban nhân dân tỉnh".encode("utf-16-be") + b"\n", "Ủy ban nhân dân tỉnh"),
    ("Kế hoạch năm 2026".encode("utf-8") + b"\x00" * 3000, "Kế hoạch năm 2026"),  # padded with zeros
    (b"".join(bytes([c]) + b"\x00\x00\x00" for c in b"Ke hoach 2026"), "Ke hoach 2026"),  # a zero every 4 bytes
    ("Kế hoạch".encode("utf-16-le") + bytes(range(256)) * 40, None),  # zeros on both sides: binary
], ids=["utf16le-odd", "utf16be-odd", "utf8-zero-padded", "zeros-every-fourth", "binary"])
def test_text_chunks_with_zero_bytes_are_told_utf16_only_by_where_the_zeros_stand(
        plain: Path, tmp_path: Path, blob: bytes, shown: str | None) -> None:
    """Text chunks with zero bytes: UTF-16 without a mark, cut to an odd length, is read whole; a UTF-8
    text padded with zeros or with a zero every fourth byte is no UTF-16 (its zeros are on both sides
    of the pairs) and reads as its letters; a binary's zeros on both sides never make UTF-16 text of
    it. No replacement character in a text told right, no control character in any."""
    from generator.word.reader import norm, read_word
    from tests.test_alt_chunks import body_start, with_chunks

    docx = plain.read_bytes()
    path = tmp_path / "chu.docx"
    path.write_bytes(with_chunks(docx, body_start(docx), [(blob, "text/plain", "afchunk1.txt")]))
    texts = [norm(p.text) for p in read_word(path).paragraphs]
    assert not any(ch in t for t in texts for ch in "\x00\x01\x02")
    if shown is not None:
        assert shown in texts, texts
        assert not any("\ufffd" in t for t in texts)
    else:
        assert not any("Kế hoạch" in t for t in texts)  # not read as UTF-16: its letters apart


# --- a dossier issued in two stages -----------------------------------------------------------------

def _stage_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, Path]:
    """The set as submitted (the Tờ trình and comment table final, the decision a draft), then the
    decision numbered in the data: (data file, output folder), ready for the second stage."""
    from generator.cli import main
    from tests.test_dossier import _submitted_data

    out = tmp_path / "out"
    data = _submitted_data(tmp_path)
    assert main(["dossier", str(data), "-o", str(out), "--final"]) == 0
    capsys.readouterr()
    data.write_text(data.read_text(encoding="utf-8").replace(
        "  decision:\n", "  decision:\n    number: 25\n    date: 20/01/2026\n", 1), encoding="utf-8")
    return data, out


def _tree(folder: Path) -> dict[str, tuple[bool, bytes | str]]:
    """Each entry of folder: a symlink by its target, a file by its bytes."""
    return {p.name: (True, str(p.readlink())) if p.is_symlink() else (False, p.read_bytes())
            for p in sorted(folder.iterdir()) if not p.is_fifo()}


def test_an_issued_tờ_trình_replaced_by_a_link_to_the_data_between_stages(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Between the two stages the issued Tờ trình's name is made a symlink to the data file: its real
    path is the data, which is never written nor taken for the issued document (its bytes differ).
    Refused before anything is written: exit 2, the data and every file as they were."""
    from generator.cli import main

    data, out = _stage_one(tmp_path, capsys)
    issued = out / "hs-trinh-to-trinh-so-108.docx"
    issued.unlink()
    issued.symlink_to(data)
    before, text = _tree(out), data.read_bytes()
    assert main(["dossier", str(data), "-o", str(out), "--final"]) == 2
    err = capsys.readouterr().err
    assert "hs-trinh-to-trinh-so-108.docx" in err and "Traceback" not in err
    assert data.read_bytes() == text and _tree(out) == before


def test_an_output_folder_linked_to_the_datas_folder_writes_beside_it_and_never_over_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """-o a symlink to the data's own folder: the set is written there by its real path, under its own
    names; the data file stays as it was, and the second stage keeps the issued Tờ trình there."""
    from generator.cli import main
    from tests.test_dossier import _submitted_data

    data = _submitted_data(tmp_path)
    text = data.read_bytes()
    link = tmp_path / "ra"
    link.symlink_to(tmp_path, target_is_directory=True)
    assert main(["dossier", str(data), "-o", str(link), "--final"]) == 0
    capsys.readouterr()
    issued = tmp_path / "hs-trinh-to-trinh-so-108.docx"
    first = issued.read_bytes()
    assert data.read_bytes() == text
    data.write_text(text.decode("utf-8").replace("  decision:\n", "  decision:\n    number: 25\n    "
                                                 "date: 20/01/2026\n", 1), encoding="utf-8")
    again = data.read_bytes()
    assert main(["dossier", str(data), "-o", str(link), "--final"]) == 0
    assert "đã có, giữ nguyên" in capsys.readouterr().out
    assert issued.read_bytes() == first and data.read_bytes() == again
    assert (tmp_path / "hs-trinh-quyet-dinh-so-25.docx").is_file()


@pytest.mark.parametrize("what", ["fifo", "sparse"])
def test_a_pipe_or_a_huge_sparse_file_at_the_issued_name_is_neither_waited_on_nor_read(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], what: str) -> None:
    """The second stage finds a named pipe (nobody writing: reading it would wait for ever) or a
    10 GB sparse file at the issued Tờ trình's name: no same-bytes read of it, refused (a pipe is no
    file to write to) or kept from being replaced (it is not the document issued); exit 2, the
    files as they were. Run in a child killed after 120 s: a read of either would not return."""
    import os

    data, out = _stage_one(tmp_path, capsys)
    issued = out / "hs-trinh-to-trinh-so-108.docx"
    issued.unlink()
    if what == "fifo":
        os.mkfifo(issued)
    else:
        with issued.open("wb") as f:
            f.truncate(10 * GB)
    before = _tree(out) if what == "fifo" else None
    run = run_limited(["dossier", data, "-o", out, "--final"], memory=GB, timeout=120)
    assert run.code == 2, (run.code, run.err[-2000:])
    assert "hs-trinh-to-trinh-so-108.docx" in run.err and "Traceback" not in run.err
    if what == "fifo":
        assert issued.is_fifo() and _tree(out) == before
    else:
        assert issued.stat().st_size == 10 * GB and issued.stat().st_blocks == 0
        assert not (out / "hs-trinh-quyet-dinh-so-25.docx").exists()


def test_same_bytes_judges_what_it_opens_not_the_name_it_looked_at(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The name was a regular file of the issued document's size when looked at (its stat), and is a
    named pipe by the time it is read, a writer at its other end feeding the issued bytes: a pipe is
    no issued document (it was taken for one, kept, its PDF printed from it), and a pipe with no
    writer would have been waited on for ever. Judged by what is opened, never blocking: not kept."""
    import os
    import threading

    from generator.jobs.publish import same_bytes

    content = b"PK\x03\x04 issued document bytes" * 100
    pipe = tmp_path / "kh-to-trinh-so-108.docx"
    os.mkfifo(pipe)
    regular = tmp_path / "seen.docx"
    regular.write_bytes(content)
    real_stat = Path.stat

    def seen_as_regular(self: Path, *args: object, **kwargs: object) -> os.stat_result:
        return real_stat(regular) if self == pipe else real_stat(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "stat", seen_as_regular)

    def feed() -> None:
        try:
            with open(pipe, "wb") as writer:  # waits for a reader, then writes the issued bytes
                writer.write(content)
        except OSError:
            pass  # the reader closed without reading: what should happen

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    try:
        assert same_bytes(pipe, content) is False
    finally:
        # Release the writer if nobody opened the pipe for reading.
        fd = os.open(pipe, os.O_RDONLY | os.O_NONBLOCK)
        writer.join(5)
        os.close(fd)
        monkeypatch.undo()
    assert pipe.is_fifo() and regular.read_bytes() == content
    huge = tmp_path / "lon.docx"
    with huge.open("wb") as f:
        f.truncate(10 * GB)
    assert same_bytes(huge, content) is False and huge.stat().st_blocks == 0
    assert same_bytes(regular, content) is True
