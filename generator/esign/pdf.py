"""From .docx to PDF through LibreOffice headless: many files, one soffice process.

Why one process: soffice spends about a second starting up and a fraction of that per document, so
a batch converted in one call is several times faster than one call per file (benchmarks/bench_pdf.py).
Why a private profile per call: a LibreOffice user profile must not be shared by two running
processes; with its own throw-away profile, parallel runs never collide. Its temporary files go
to the same throw-away folder (TMPDIR), so a run killed at the timeout leaves nothing in /tmp.
Why every PDF is checked: soffice exits 0 even when a document fails to load or convert.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import zipfile
import zlib
from collections.abc import Iterable
from pathlib import Path

from ..errors import UserError
from ..word.package import section_count
from ..word.soffice import (  # noqa: F401  (the runner's names, re-exported for pdf's callers)
    INSTALL_COMMAND,
    SOFFICE_NAMES,
    WORKDIR_PREFIX,
    ConversionError,
    find_soffice,
    kill_group as _kill_group,
    log_tail as _tail,
    private_workdir as _private_workdir,
    run_soffice,
)

SECONDS_PER_MB = 180.0
"""Seconds allowed per MB of document text (word/document.xml, uncompressed). A plan of 10,000
tasks is an 11 MB document.xml that LibreOffice 7.4 was still laying out after 14 minutes on a
shared 2-core machine (its table layout grows faster than the text); a fixed 135 s failed it."""


def default_timeout(docs: int | Iterable[str | Path]) -> float:
    """Seconds allowed for one soffice run: start-up and a new profile, then each document, scaled
    with the size of its text (a count alone gives the old, size-blind allowance)."""
    if isinstance(docs, int):
        return 120.0 + 15.0 * docs
    paths = list(docs)
    return 120.0 + 15.0 * len(paths) + SECONDS_PER_MB * sum(_text_megabytes(p) for p in paths)


def _text_megabytes(docx: str | Path) -> float:
    try:
        with zipfile.ZipFile(docx) as zf:
            return zf.getinfo("word/document.xml").file_size / 2**20
    except (OSError, KeyError, zipfile.BadZipFile):
        return 0.0


def convert_to_pdf(docx_paths: Iterable[str | Path], out_dir: str | Path, *,
                   timeout: float | None = None, soffice: str | None = None) -> list[Path]:
    """Convert every .docx to out_dir/<name>.pdf with a single soffice process; return the PDFs.

    All or nothing: the PDFs are made in a hidden folder inside out_dir and renamed into place only
    when every one exists, is a non-empty PDF and has at least one page per section of its
    document; otherwise ConversionError names the failures and no PDF is written. Existing PDFs of
    the same names are replaced (the caller decides whether that is allowed).
    """
    paths = [Path(p) for p in docx_paths]
    if not paths:
        return []
    out_dir = Path(out_dir)
    seen: dict[str, Path] = {}
    for path in paths:
        if path.suffix.lower() != ".docx":
            raise UserError(f"{path}: chỉ chuyển được tệp .docx sang PDF")
        if not path.is_file():
            raise UserError(f"{path}: không có tệp này")
        if path.stem in seen:
            raise UserError(
                f"{path} và {seen[path.stem]} cùng tên nên hai tệp PDF sẽ đè lên nhau trong {out_dir}; "
                "hãy đổi tên một tệp"
            )
        seen[path.stem] = path
    exe = soffice or find_soffice()
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".kehoach-pdf-", dir=out_dir))
    try:
        log = run_soffice(exe, paths, staging, timeout if timeout is not None else default_timeout(paths),
                          convert_to=PDF_EXPORT_FILTER,
                          timeout_message=lambda s: f"LibreOffice không xong sau {s:.0f} giây khi xuất "
                                                    f"{len(paths)} tệp PDF nên đã bị dừng; chưa ghi tệp PDF nào")
        made = [staging / f"{p.stem}.pdf" for p in paths]
        failures = [f"{src}: {problem}" for src, pdf in zip(paths, made, strict=True)
                    if (problem := pdf_problem(pdf, min_pages=section_count(src)))]
        if failures:
            detail = "\n  ".join(failures)
            tail = _tail(log)
            raise ConversionError(
                f"LibreOffice không xuất được {len(failures)}/{len(paths)} tệp PDF "
                f"(chưa ghi tệp PDF nào):\n  {detail}" + (f"\n  LibreOffice báo: {tail}" if tail else "")
            )
        result = []
        for pdf in made:
            target = out_dir / pdf.name
            os.replace(pdf, target)
            result.append(target)
        return result
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def page_count(pdf: Path) -> int:
    """Pages of a PDF: pdfinfo (poppler) when installed, else counted from the page objects."""
    pdfinfo = shutil.which("pdfinfo")
    if pdfinfo:
        proc = subprocess.run([pdfinfo, str(pdf)], capture_output=True, text=True, timeout=60)
        m = re.search(r"^Pages:\s+(\d+)", proc.stdout, re.M)
        return int(m.group(1)) if proc.returncode == 0 and m else 0
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf.read_bytes()))


def pdf_problem(pdf: Path, *, min_pages: int = 1) -> str | None:
    """Why this file is not a usable PDF, or None when it is."""
    if not pdf.is_file():
        return "không có tệp PDF"
    size = pdf.stat().st_size
    if size == 0:
        return "tệp PDF rỗng"
    with pdf.open("rb") as fh:
        if fh.read(5) != b"%PDF-":
            return "tệp tạo ra không phải PDF"
    pages = page_count(pdf)
    if pages < min_pages:
        return f"PDF có {pages} trang, cần ít nhất {min_pages}"
    return archive_problem(pdf)


# --- PDF/A-2b: the archival form of an electronic document (issue 15) -----------------------------

PDF_EXPORT_FILTER = 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'
"""LibreOffice's PDF export with SelectPdfVersion 2 = PDF/A-2b. The JSON form of the filter options
is understood from LibreOffice 7.4 on. PDF/A-2 rather than PDF/A-1: the signature images are PNGs
with transparency, which PDF/A-1 forbids and PDF/A-2 allows; PDF/A also forces every font to be
embedded. Title and author come from the .docx core properties (render._set_properties: trích
yếu, cơ quan ban hành), which LibreOffice copies into the PDF's Info and XMP metadata."""

_OBJ = re.compile(rb"(?<![0-9])\d+\s+\d+\s+obj\b(.*?)(?:\bstream\r?\n|\bendobj\b)", re.S)
_STREAM = re.compile(rb"<<(.*?)>>\s*stream\r?\n", re.S)
_EMBEDDED_FONT_FILE = re.compile(rb"/FontFile[23]?\b")
_SIMPLE_FONT = re.compile(rb"/Subtype\s*/(?:Type1|MMType1|TrueType)\b")


def _object_dicts(data: bytes) -> list[bytes]:
    """The dictionaries of every object, including those packed in object streams (PDF 1.5+).

    A small reader of our own rather than a PDF library so that `render --pdf` needs nothing beyond
    LibreOffice; the dictionary part of an object ends where its stream data starts, so font
    programs (binary) are never scanned as dictionaries.
    """
    dicts = [m.group(1) for m in _OBJ.finditer(data)]
    for m in _STREAM.finditer(data):
        head = m.group(1)
        if b"/ObjStm" not in head:
            continue
        length = re.search(rb"/Length\s+(\d+)(?!\s+\d+\s+R)", head)
        start = m.end()
        raw = data[start:start + int(length.group(1))] if length else data[start:data.find(b"endstream", start)]
        try:
            dicts.append(zlib.decompress(raw) if b"/FlateDecode" in head else raw)
        except zlib.error:
            continue
    return dicts


def archive_problem(pdf: Path) -> str | None:
    """Why this PDF is not the PDF/A-2b we promise (identification in the XMP metadata, every font
    embedded), or None when it is."""
    data = pdf.read_bytes()
    part = re.search(rb"<pdfaid:part>\s*(\d)\s*</pdfaid:part>|pdfaid:part=\"(\d)\"", data)
    level = re.search(rb"<pdfaid:conformance>\s*([ABU])\s*</pdfaid:conformance>|pdfaid:conformance=\"([ABU])\"",
                      data)
    if not part or (part.group(1) or part.group(2)) != b"2" or not level:
        return ("PDF không mang nhận dạng PDF/A-2 trong siêu dữ liệu XMP (cần LibreOffice 7.4 trở lên "
                "để xuất PDF/A)")
    dicts = _object_dicts(data)
    missing = []
    for d in dicts:
        if re.search(rb"/Type\s*/FontDescriptor\b", d) and not _EMBEDDED_FONT_FILE.search(d):
            name = re.search(rb"/FontName\s*/([^\s/<>\[\]()]+)", d)
            missing.append(name.group(1).decode("latin-1") if name else "?")
        elif (re.search(rb"/Type\s*/Font\b", d) and _SIMPLE_FONT.search(d)
              and b"/FontDescriptor" not in d):
            name = re.search(rb"/BaseFont\s*/([^\s/<>\[\]()]+)", d)
            missing.append(name.group(1).decode("latin-1") if name else "?")
    if missing:
        return "PDF có phông chưa được nhúng: " + ", ".join(sorted(set(missing)))
    return None


def archive_info(pdf: Path) -> dict[str, str | None]:
    """PDF/A part and conformance, title and author as written in the XMP metadata, of a PDF kehoach
    made (the tests read what LibreOffice wrote; never given a user's file)."""
    data = pdf.read_bytes()
    start, end = data.find(b"<x:xmpmeta"), data.find(b"</x:xmpmeta>")
    xmp = data[start:end].decode("utf-8", "replace") if start >= 0 < end else ""

    def first(pattern: str) -> str | None:
        m = re.search(pattern, xmp, re.S)
        return m.group(1).strip() if m else None

    return {
        "part": first(r"<pdfaid:part>(.*?)</pdfaid:part>"),
        "conformance": first(r"<pdfaid:conformance>(.*?)</pdfaid:conformance>"),
        "title": first(r"<dc:title>.*?<rdf:li[^>]*>(.*?)</rdf:li>"),
        "author": first(r"<dc:creator>.*?<rdf:li[^>]*>(.*?)</rdf:li>"),
    }
