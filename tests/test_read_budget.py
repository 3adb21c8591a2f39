"""The read budget (limits.READ_SECONDS, READ_MEMORY) is applied by the library calls that read an
untrusted file, not only by the command line: check_file and import_file bound their reading
whoever calls them, with the message naming the file; a budget inside another leaves the outer one
in force."""

from __future__ import annotations

import signal

import pytest

from generator import limits
from generator.check import check_file
from generator.cli import main
from generator.errors import UserError
from generator.jobs.importer import import_file


@pytest.fixture
def no_memory_to_spare(monkeypatch):
    """A read budget with no address space to add: any growth while reading runs out of it."""
    monkeypatch.setattr(limits, "READ_MEMORY", 0)


def test_check_file_reads_within_the_budget(sample_docx, no_memory_to_spare):
    with pytest.raises(limits.BudgetExceeded) as info:
        check_file(sample_docx)
    assert str(info.value).startswith(f"{sample_docx}: tệp quá phức tạp")
    assert "không phải văn bản bình thường" in str(info.value)


def test_import_file_reads_within_the_budget_and_writes_nothing(sample_docx, tmp_path, no_memory_to_spare):
    out = tmp_path / "nhap.yaml"
    with pytest.raises(limits.BudgetExceeded, match="tệp quá phức tạp"):
        import_file(sample_docx, out)
    assert not out.exists()


def test_the_command_line_reports_the_librarys_budget(sample_docx, no_memory_to_spare, capsys):
    assert main(["check", str(sample_docx)]) == 2
    assert f"{sample_docx}: tệp quá phức tạp" in capsys.readouterr().err


def test_an_inner_budget_leaves_the_outer_timer_running():
    with limits.budget(60, 2**40, "ngoài"):
        with limits.read_budget("trong.docx"):
            pass
        remaining, _ = signal.getitimer(signal.ITIMER_REAL)
        assert remaining > 0
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def _many_paragraphs(path, count: int):
    """A plan whose body holds `count` more short paragraphs, written straight into document.xml (as
    a generator of hostile or runaway files would)."""
    import zipfile

    from tests.test_import_patterns import simple_body
    from tests.word_fixtures import build_plan

    base = build_plan(path.with_name("base.docx"), body=simple_body())
    import hashlib

    # Each line its own words: a part of identical lines compresses like a zip bomb, refused as one.
    paras = b"".join(f"<w:p><w:r><w:t>Dòng ngắn số {i} mã {hashlib.sha1(str(i).encode()).hexdigest()[:12]}."
                     f"</w:t></w:r></w:p>".encode() for i in range(count))
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "word/document.xml":
                at = data.index(b"<w:sectPr", data.rindex(b"</w:tbl>"))
                data = data[:at] + paras + data[at:]
            out.writestr(item, data)
    return path


def test_a_docx_with_too_many_paragraphs_to_import_is_refused_before_it_is_read(tmp_path, monkeypatch):
    """200,000 short paragraphs: within what `check` reads (limits.MAX_PARAGRAPHS), but as a data
    file more values than the loader takes (limits.MAX_YAML_NODES). Refused from the counts in the
    package's bytes, before any XML tree is built (the reader is never called) and nothing written."""
    import generator.jobs.importer as importer

    path = _many_paragraphs(tmp_path / "rat-lon.docx", 200_000)
    assert limits.MAX_IMPORT_PARAGRAPHS < 200_000 <= limits.MAX_PARAGRAPHS

    def not_read(*args, **kwargs):
        raise AssertionError("the .docx was parsed")

    monkeypatch.setattr(importer, "read_docx", not_read)
    out = tmp_path / "rat-lon.yaml"
    with pytest.raises(UserError) as info:
        import_file(path, out)
    message = str(info.value)
    assert message.startswith(f"{path}: ") and "đoạn văn" in message
    assert f"{limits.MAX_IMPORT_PARAGRAPHS:,}".replace(",", ".") in message
    assert not out.exists()
    assert main(["import", str(path), "-o", str(out)]) == 2


def test_a_docx_within_the_paragraph_budget_still_imports(tmp_path):
    path = _many_paragraphs(tmp_path / "vua.docx", 2000)
    result = import_file(path, tmp_path / "vua.yaml")
    assert result.output is not None and result.output.exists()
    assert result.text.count("Dòng ngắn số") == 2000


def test_a_docx_read_into_more_values_than_a_data_file_holds_is_refused_naming_the_docx(tmp_path, monkeypatch,
                                                                                       sample_docx):
    """Under the paragraph budget but read into more values than the loader takes: said of the .docx,
    not as a YAML mistake at a line of a data file that was never written."""
    monkeypatch.setattr(limits, "MAX_YAML_NODES", 40)
    out = tmp_path / "nhieu.yaml"
    with pytest.raises(UserError) as info:
        import_file(sample_docx, out)
    message = str(info.value)
    assert message.startswith(f"{sample_docx}: nội dung đọc được thành ") and "quá 40 giá trị" in message
    assert "Nếu đây đúng là kế hoạch, hãy tách" in message
    assert not out.exists()


def test_a_part_too_large_is_said_with_the_file_name_as_given(sample_docx, tmp_path, monkeypatch):
    """The refusal of a part of too many paragraphs writes its numbers the Vietnamese way (dots between
    thousands) without touching the rest: a file name with a comma keeps its comma."""
    named = tmp_path / "kế hoạch, bản 2.docx"
    named.write_bytes(sample_docx.read_bytes())
    monkeypatch.setattr(limits, "MAX_PARAGRAPHS", 10)
    with pytest.raises(UserError) as info:
        check_file(named)
    said = str(info.value)
    assert said.startswith(f"{named}: phần word/document.xml có ") and "(tối đa 10); quá lớn để đọc, không đọc" in said
