"""A .docx saved as "Strict Open XML Document" read as the Transitional one Word shows the same.

Why: Word's Save As offers Strict Open XML (ISO/IEC 29500 Strict). Such a file prints exactly like
the usual .docx but names its XML and its relationships with other addresses (purl.oclc.org/ooxml/…);
python-docx finds no main document in it and the reader knows none of its tags, so the file was
refused as "not a Word document" although Word and LibreOffice open it. The addresses are renamed
to their Transitional ones, member by member, before anything parses the package; the values Strict
writes differently (alignment "start"/"end") are read by word.formatting.
"""

from __future__ import annotations

import io
import zipfile

from .package import zip_members_by_zipfile

_STRICT = b"http://purl.oclc.org/ooxml/"
_TRANSITIONAL = b"http://schemas.openxmlformats.org/"

# Strict address -> Transitional address, longest first (relationship types and namespaces).
_RENAMES: tuple[tuple[bytes, bytes], ...] = tuple(sorted((
    (b"wordprocessingml/main", b"wordprocessingml/2006/main"),
    (b"officeDocument/relationships/extendedProperties", b"officeDocument/2006/relationships/extended-properties"),
    (b"officeDocument/relationships", b"officeDocument/2006/relationships"),
    (b"officeDocument/math", b"officeDocument/2006/math"),
    (b"officeDocument/extendedProperties", b"officeDocument/2006/extended-properties"),
    (b"officeDocument/customProperties", b"officeDocument/2006/custom-properties"),
    (b"officeDocument/docPropsVTypes", b"officeDocument/2006/docPropsVTypes"),
    (b"officeDocument/customXml", b"officeDocument/2006/customXml"),
    (b"officeDocument/sharedTypes", b"officeDocument/2006/sharedTypes"),
    (b"officeDocument/bibliography", b"officeDocument/2006/bibliography"),
    (b"drawingml/main", b"drawingml/2006/main"),
    (b"drawingml/wordprocessingDrawing", b"drawingml/2006/wordprocessingDrawing"),
    (b"drawingml/picture", b"drawingml/2006/picture"),
    (b"drawingml/chart", b"drawingml/2006/chart"),
    (b"drawingml/diagram", b"drawingml/2006/diagram"),
    (b"drawingml/chartDrawing", b"drawingml/2006/chartDrawing"),
    (b"drawingml/lockedCanvas", b"drawingml/2006/lockedCanvas"),
    (b"schemaLibrary/main", b"schemaLibrary/2006/main"),
), key=lambda pair: -len(pair[0])))


def is_strict(data: bytes) -> bool:
    """Whether a package (its bytes, already inspected) is Strict: its root relationships name the
    main document with a Strict relationship type."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            rels = zf.read("_rels/.rels")
    except (KeyError, zipfile.BadZipFile, ValueError, OSError):
        return False
    return _STRICT + b"officeDocument/relationships/officeDocument" in rels


def as_transitional(data: bytes) -> bytes | None:
    """The package (its bytes) renamed to Transitional addresses when it is Strict, else None."""
    if not is_strict(data):
        return None
    members: dict[str, bytes] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for info in zf.infolist():
            blob = zf.read(info)
            if info.filename.endswith((".xml", ".rels")) and _STRICT in blob:
                blob = _rename(blob)
            members[info.filename] = blob
    return zip_members_by_zipfile(members)


def _rename(blob: bytes) -> bytes:
    for strict, transitional in _RENAMES:
        blob = blob.replace(_STRICT + strict, _TRANSITIONAL + transitional)
    return blob
