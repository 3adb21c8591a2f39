"""PDF through LibreOffice: one soffice process per batch, every PDF checked, Vietnamese text intact,
fonts embedded. Tests that need LibreOffice or poppler skip, with the reason, when they are missing."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import threading
import time
import unicodedata
from pathlib import Path

import pytest

from generator.esign import pdf as pdf_module
from generator.cli import main
from generator.errors import UserError
from generator.jobs.issue import issue_file
from generator.esign.pdf import ConversionError, INSTALL_COMMAND, convert_to_pdf

from tests.paths import SAMPLE

needs_soffice = pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason=f"chưa cài LibreOffice (soffice); cài bằng: {INSTALL_COMMAND}",
)
needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdffonts") is None or shutil.which("pdfinfo") is None,
    reason="chưa cài poppler-utils (pdftotext, pdffonts, pdfinfo); cài bằng: apt-get install poppler-utils",
)

FONT_ALLOW_LIST = re.compile(r"^(?:[A-Z]{6}\+)?(LiberationSerif|TimesNewRoman|Tinos)[-A-Za-z]*$")

VIETNAMESE_LINES = [
    "UBND TỈNH QUẢNG NGÃI",
    "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Số: 125/KH-SKHCN",
    "Quảng Ngãi, ngày 20 tháng 3 năm 2024",
    "KẾ HOẠCH",
    "Nguyễn Văn Thành",
    "(Kèm theo Kế hoạch số 125/KH-SKHCN ngày 20/3/2024 của Sở Khoa học và Công nghệ)",
    "Trung tâm Ứng dụng và Dịch vụ khoa học và Công nghệ",
]


def pdftotext(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", out))


def page_sizes(pdf: Path) -> list[tuple[float, float]]:
    out = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True,
                         text=True, check=True).stdout
    return [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", out)]


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> dict[str, Path]:
    """The sample as draft and as final (125, 2024-03-20), converted together in one soffice run."""
    if shutil.which("soffice") is None:
        pytest.skip("chưa cài LibreOffice (soffice)")
    work = tmp_path_factory.mktemp("pdf")
    data = work / "kh.yaml"
    shutil.copy(SAMPLE, data)
    draft = issue_file(data, work / "du-thao.docx").docx
    final = issue_file(data, work / "phat-hanh.docx", final=True, number=125, date="2024-03-20").docx
    pdfs = convert_to_pdf([draft, final], work / "pdf")
    return {"draft": pdfs[0], "final": pdfs[1], "dir": work / "pdf"}


@needs_poppler
@needs_soffice
def test_final_pdf_carries_the_vietnamese_text_exactly(converted) -> None:
    text = pdftotext(converted["final"])
    missing = [line for line in VIETNAMESE_LINES if line not in text]
    assert not missing
    assert "DỰ THẢO" not in text
    draft = pdftotext(converted["draft"])
    assert "DỰ THẢO" in draft and "Số: /KH-SKHCN" in draft and "Số: 125" not in draft


@needs_poppler
@needs_soffice
def test_every_font_is_embedded_and_times_like(converted) -> None:
    for pdf in (converted["draft"], converted["final"]):
        rows = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True,
                              check=True).stdout.splitlines()[2:]
        assert rows, "no fonts listed"
        for row in rows:
            name, emb = row.split()[0], row.split()[-5]
            assert emb == "yes", row
            assert FONT_ALLOW_LIST.match(name), row


@needs_poppler
@needs_soffice
def test_pages_portrait_then_landscape_appendix(converted) -> None:
    sizes = page_sizes(converted["final"])
    assert len(sizes) >= 2
    assert sizes[0][0] < sizes[0][1]  # A4 portrait body
    assert sizes[-1][0] > sizes[-1][1]  # landscape appendix
    assert len(page_sizes(converted["draft"])) >= 2
    assert not [p for p in converted["dir"].iterdir() if p.name.startswith(".")]  # staging removed


@needs_poppler
@needs_soffice
def test_render_pdf_puts_it_beside_the_docx_and_protects_the_final(tmp_path: Path, capsys) -> None:
    data = tmp_path / "kh.yaml"
    shutil.copy(SAMPLE, data)
    args = ["render", str(data), "-o", f"{tmp_path / 'out'}/", "--final", "--number", "125",
            "--date", "2024-03-20", "--pdf"]
    assert main(args) == 0
    pdf = tmp_path / "out" / "kh-phat-hanh.pdf"
    assert (tmp_path / "out" / "kh-phat-hanh.docx").is_file() and pdf.is_file()
    assert "Số: 125/KH-SKHCN" in pdftotext(pdf)

    # The PDF of a final may already be signed: never replaced without --force, even when the
    # .docx beside it is gone.
    (tmp_path / "out" / "kh-phat-hanh.docx").unlink()
    before = pdf.read_bytes()
    assert main(args) == 2
    assert "đã có tệp PDF" in capsys.readouterr().err
    assert pdf.read_bytes() == before
    assert not (tmp_path / "out" / "kh-phat-hanh.docx").exists()
    assert main(args + ["--force"]) == 0


@needs_soffice
def test_a_file_that_fails_is_reported_and_nothing_is_written(tmp_path: Path) -> None:
    good = issue_file(_copy_sample(tmp_path), tmp_path / "good.docx").docx
    bad = tmp_path / "bad.docx"
    bad.write_bytes(good.read_bytes()[:3000])  # a truncated download: LibreOffice cannot load it
    # ... yet soffice exits 0, so only checking each PDF finds the failure.
    out = tmp_path / "pdf"
    with pytest.raises(ConversionError) as err:
        convert_to_pdf([good, bad], out)
    assert "bad.docx" in str(err.value) and "1/2" in str(err.value)
    assert "good.docx" not in str(err.value).split("LibreOffice báo")[0].split("\n", 1)[1]
    assert list(out.iterdir()) == []  # all or nothing, staging folder removed


@needs_soffice
def test_parallel_runs_do_not_collide(tmp_path: Path) -> None:
    data = _copy_sample(tmp_path)
    docs = [issue_file(data, tmp_path / f"d{i}.docx").docx for i in range(2)]
    results: dict[int, object] = {}

    def run(i: int) -> None:
        try:
            results[i] = convert_to_pdf([docs[i]], tmp_path / f"out{i}")
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(isinstance(r, list) and r[0].stat().st_size > 0 for r in results.values()), results


def test_missing_libreoffice_says_how_to_install(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setattr(pdf_module.shutil, "which", lambda name: None)
    data = _copy_sample(tmp_path)
    assert main(["render", str(data), "-o", str(tmp_path / "kh.docx"), "--pdf"]) == 2
    err = capsys.readouterr().err
    assert "không tìm thấy LibreOffice" in err and INSTALL_COMMAND in err
    assert not (tmp_path / "kh.docx").exists()  # refused before writing anything


def test_a_hung_soffice_is_stopped_at_the_timeout(tmp_path: Path) -> None:
    fake = tmp_path / "soffice"
    fake.write_text(f"#!{sys.executable}\nimport time\ntime.sleep(60)\n")
    fake.chmod(0o755)
    doc = tmp_path / "a.docx"
    doc.write_bytes(b"PK")
    start = time.monotonic()
    with pytest.raises(ConversionError, match="không xong sau"):
        convert_to_pdf([doc], tmp_path / "out", timeout=1, soffice=str(fake))
    assert time.monotonic() - start < 20
    assert list((tmp_path / "out").iterdir()) == []


def test_same_names_would_overwrite_each_other(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for d in ("a", "b"):
        (tmp_path / d / "kh.docx").write_bytes(b"PK")
    with pytest.raises(UserError, match="cùng tên"):
        convert_to_pdf([tmp_path / "a" / "kh.docx", tmp_path / "b" / "kh.docx"], tmp_path / "out",
                       soffice=sys.executable)


def _copy_sample(tmp_path: Path) -> Path:
    data = tmp_path / "kh.yaml"
    shutil.copy(SAMPLE, data)
    return data
