"""A .doc, .odt or .rtf converted by LibreOffice is read within the same limits as a .docx the user
gives (generator/word/formats.py): the import paragraph budget (limits.MAX_IMPORT_PARAGRAPHS), the
size of the .docx read, and every check of the package inspection apply to the converted copy; an
.rtf or .odt over the paragraph budget is refused from its own bytes before LibreOffice starts. And
`import` says once that it read a converted copy, in the words `check` says it."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from generator import limits
from generator.cli import main
from generator.errors import UserError
from generator.jobs.importer import import_file
from generator.word import formats
from generator.word.soffice import soffice_or_none
from tests.word_fixtures import build_plan

needs_soffice = pytest.mark.skipif(soffice_or_none() is None, reason="chưa cài LibreOffice (soffice)")

BODY = [
    "Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh, Sở Văn hóa và Thể thao ban hành Kế hoạch như sau:",
    {"text": "I. MỤC ĐÍCH, YÊU CẦU", "bold": True},
    "1. Khuyến khích người dân rèn luyện thân thể mỗi ngày.",
    {"text": "II. TỔ CHỨC THỰC HIỆN", "bold": True},
    "1. Các đơn vị triển khai thực hiện nghiêm túc Kế hoạch này./.",
]


def big_rtf(path: Path, count: int) -> Path:
    """An .rtf of `count` short paragraphs, as a generator of runaway files writes one."""
    body = "".join(f"\\pard D\\'f2ng s\\'f4 {i}\\par\n" for i in range(count))
    path.write_text("{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Times New Roman;}}\n" + body + "}", encoding="ascii")
    return path


def big_odt(path: Path, count: int) -> Path:
    """An OpenDocument text of `count` paragraphs (distinct words, so no part compresses like a bomb)."""
    paras = "".join(f"<text:p>Dòng số {i} mã {i * 7919 % 1000003}</text:p>" for i in range(count))
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               f"<office:body><office:text>{paras}</office:text></office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.text"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        zf.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        zf.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return path


def _refused_as_too_many(path: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(UserError) as info:
        import_file(path, out)
    message = str(info.value)
    assert message.startswith(f"{path}: ") and "đoạn văn" in message
    assert f"{limits.MAX_IMPORT_PARAGRAPHS:,}".replace(",", ".") in message
    assert not out.exists()
    assert main(["import", str(path), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and message in err
    return message


@pytest.mark.parametrize("make", [big_rtf, big_odt], ids=["rtf", "odt"])
def test_an_rtf_or_odt_over_the_paragraph_budget_is_refused_before_libreoffice(
        make, tmp_path: Path, no_libreoffice_run: None, capsys: pytest.CaptureFixture[str]) -> None:
    """200,000 paragraphs: the message a .docx of as many gets, from the file's own bytes."""
    path = make(tmp_path / f"rat-lon.{make.__name__[4:]}", 200_000)
    message = _refused_as_too_many(path, tmp_path / "rat-lon.yaml", capsys)
    assert "200.000 đoạn văn" in message


@needs_soffice
def test_the_converted_copy_is_counted_as_a_docx_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """Paragraphs an .rtf's own count cannot see (table cells LibreOffice writes as paragraphs) are
    counted in the .docx LibreOffice made, before the reader reads it; the conversion is made once."""
    monkeypatch.setattr(limits, "MAX_IMPORT_PARAGRAPHS", 40)
    row = "\\trowd\\cellx3000\\cellx6000 a\\cell b\\cell\\row\n"
    path = tmp_path / "bang.rtf"
    path.write_text("{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Times New Roman;}}\n" + row * 30 + "\\par}", encoding="ascii")
    runs: list[object] = []
    real = formats.run_soffice
    monkeypatch.setattr(formats, "run_soffice", lambda *a, **k: runs.append(a) or real(*a, **k))
    _refused_as_too_many(path, tmp_path / "bang.yaml", capsys)
    assert len(runs) <= 2  # one for import_file, one for the command line (no second for the reader)


@needs_soffice
def test_a_converted_copy_larger_than_a_docx_may_be_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The size limit of a .docx read (limits.MAX_DOCX_BYTES) holds for what LibreOffice made too."""
    data = ("{\\rtf1\\ansi " + "".join(f"D\\'f2ng {i} " for i in range(3000)) + "\\par}").encode("ascii")
    monkeypatch.setattr(limits, "MAX_DOCX_BYTES", 2000)  # a real conversion of this is several times more
    with pytest.raises(UserError) as info:
        formats.convert(data, formats.RTF, "nho.rtf")
    assert str(info.value).startswith("nho.rtf: tệp quá lớn") and "LibreOffice" in str(info.value)


@needs_soffice
def test_import_says_once_that_it_read_a_converted_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    """The words `check` says, once, and nothing about it for a .docx; the file converted once for
    both the paragraph count and the reading."""
    from generator.check import check_docx

    docx = build_plan(tmp_path / "ke-hoach.docx", body=BODY)
    rtf = tmp_path / "rtf" / "ke-hoach.rtf"
    rtf.parent.mkdir()
    from generator.word.soffice import run_soffice

    run_soffice(soffice_or_none() or "", [docx], rtf.parent, 300, convert_to="rtf", timeout_message=str)
    runs: list[object] = []
    real = formats.run_soffice
    monkeypatch.setattr(formats, "run_soffice", lambda *a, **k: runs.append(a) or real(*a, **k))
    result = import_file(rtf, tmp_path / "tu-rtf.yaml")
    assert len(runs) == 1
    assert result.note and "tệp RTF" in result.note and "LibreOffice" in result.note
    report = check_docx(rtf)
    assert report.note is not None
    # The same words, but for what was done with the copy (checked / imported).
    shared = report.note.split(" rồi ")[0]
    assert result.note.startswith(shared)
    assert import_file(docx, tmp_path / "tu-docx.yaml").note is None

    capsys.readouterr()
    assert main(["import", str(rtf), "-o", str(tmp_path / "lan-hai.yaml")]) == 0
    captured = capsys.readouterr()
    said = captured.out + captured.err
    assert said.count("Lưu ý: đây là tệp RTF") == 1
    assert "Traceback" not in said
