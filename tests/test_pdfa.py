"""`kehoach render --final --pdf` makes an archival PDF (PDF/A-2b): every font embedded, the PDF/A
identification in the XMP metadata, title and author from the data (issue 15)."""

from __future__ import annotations

import re
import shutil
import subprocess
import zlib

import pytest

from generator.cli import main
from generator.esign.pdf import PDF_EXPORT_FILTER, archive_info, archive_problem

from tests.paths import SAMPLE

SUBJECT = "Truyền thông về hoạt động kiểm soát thủ tục hành chính năm 2024 của Sở Khoa học và Công nghệ"


@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdffonts") and shutil.which("pdfinfo")),
                    reason="cần LibreOffice và poppler-utils; cài bằng: apt-get install "
                           "libreoffice-writer-nogui fonts-liberation2 poppler-utils")
def test_final_pdf_is_pdfa_2b_with_fonts_embedded_and_title_author_from_data(tmp_path, capsys) -> None:
    data = tmp_path / "kh.yaml"
    shutil.copy(SAMPLE, data)
    assert main(["render", str(data), "--final", "--number", "125", "--date", "2024-03-20", "--pdf",
                 "-o", str(tmp_path / "kh.docx")]) == 0
    pdf = tmp_path / "kh.pdf"

    # Fonts: poppler's own reading, not ours.
    rows = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert rows, "no fonts listed"
    for row in rows:
        assert row.split()[-5] == "yes", f"font not embedded: {row}"

    # PDF/A identification and the document's own title/author, in the XMP metadata and the Info.
    info = archive_info(pdf)
    assert (info["part"], info["conformance"]) == ("2", "B")
    assert info["title"] == f"Kế hoạch {SUBJECT}"
    assert info["author"] == "Sở Khoa học và Công nghệ"
    pdfinfo = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Title:\s+Kế hoạch Truyền thông", pdfinfo, re.M)
    assert re.search(r"^Author:\s+Sở Khoa học và Công nghệ$", pdfinfo, re.M)
    assert archive_problem(pdf) is None


def _pdf(objects: list[bytes], xmp: bytes | None) -> bytes:
    """A small PDF with the given objects (numbered from 1) and, optionally, an XMP packet."""
    out = b"%PDF-1.7\n"
    if xmp is not None:
        objects = [*objects, b"<< /Type /Metadata /Subtype /XML /Length %d >>\nstream\n" % len(xmp) + xmp
                   + b"\nendstream"]
    for number, body in enumerate(objects, 1):
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    return out + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"


XMP_2B = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description '
          b'xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"><pdfaid:part>2</pdfaid:part>'
          b'<pdfaid:conformance>B</pdfaid:conformance></rdf:Description></rdf:RDF></x:xmpmeta>')
CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
PAGES = b"<< /Type /Pages /Kids [] /Count 0 >>"


def test_archive_check_names_a_font_that_is_not_embedded(tmp_path) -> None:
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(_pdf([CATALOG, PAGES, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
                          b"<< /Type /FontDescriptor /FontName /ABCDEF+TimesNewRomanPSMT /Flags 32 >>",
                          b"<< /Type /FontDescriptor /FontName /Good /FontFile2 9 0 R >>"], XMP_2B))
    problem = archive_problem(pdf)
    assert problem and "Helvetica" in problem and "TimesNewRomanPSMT" in problem and "Good" not in problem


def test_archive_check_reads_fonts_inside_object_streams(tmp_path) -> None:
    packed = zlib.compress(b"1 0 << /Type /Font /Subtype /TrueType /BaseFont /Arial >>")
    stream = (b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n" % len(packed)
              + packed + b"\nendstream")
    pdf = tmp_path / "b.pdf"
    pdf.write_bytes(_pdf([CATALOG, PAGES, stream], XMP_2B))
    assert "Arial" in (archive_problem(pdf) or "")


def test_archive_check_requires_the_pdfa_identification(tmp_path) -> None:
    pdf = tmp_path / "c.pdf"
    pdf.write_bytes(_pdf([CATALOG, PAGES], None))
    assert "PDF/A-2" in (archive_problem(pdf) or "")


def test_export_filter_asks_libreoffice_for_pdfa_2() -> None:
    assert PDF_EXPORT_FILTER.startswith("pdf:writer_pdf_Export:")
    assert '"SelectPdfVersion":{"type":"long","value":"2"}' in PDF_EXPORT_FILTER
