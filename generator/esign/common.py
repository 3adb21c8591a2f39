"""What signing and verifying share: field names, Vietnam time, the optional libraries, quiet logs.

pyHanko and pdfminer.six are the optional extra `sign`, so rendering needs neither; every public
function of this wing calls need_sign_libs() first, which says in Vietnamese how to install them and
keeps the libraries' English warnings (cryptography's deprecation notices at import) away from the user.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import warnings
from collections.abc import Iterator
from typing import Any

from ..errors import UserError

VN_TZ = dt.timezone(dt.timedelta(hours=7), "+07:00")
"""Vietnam time (ICT, no daylight saving): the decree asks for the signing time in the Vietnamese zone."""

SIGNER_FIELD = "ChuKyNguoiKy"
AGENCY_FIELD = "ChuKyCoQuan"
ATTACHMENT_FIELD = "ChuKyCoQuanPhuLuc"
ROLE_OF_FIELD = {SIGNER_FIELD: "người có thẩm quyền ký", AGENCY_FIELD: "cơ quan ban hành",
                 ATTACHMENT_FIELD: "cơ quan ban hành (phụ lục tệp riêng)"}

INSTALL_HINT = 'pip install "kehoach[sign]"'  # works from a wheel; double quotes: Windows too


def need_sign_libs() -> None:
    import importlib.util

    silence_library_warnings()
    if not all(importlib.util.find_spec(name) for name in ("pyhanko", "pdfminer", "uharfbuzz", "PIL")):
        raise UserError("ký số cần thư viện pyHanko và pdfminer.six; hãy cài bằng lệnh: "
                        f"{INSTALL_HINT}") from None


def silence_library_warnings() -> None:
    """pyHanko imports cryptography's DSA, which prints an English CryptographyDeprecationWarning;
    Pillow and pdfminer warn in English on odd files. None of these is the user's business: what
    matters reaches the user as a report or a UserError."""
    for module in ("pyhanko", "pyhanko_certvalidator", "pdfminer", "PIL", "cryptography", "asn1crypto",
                   "fontTools"):
        warnings.filterwarnings("ignore", module=rf"{module}(\.|$)")
    warnings.filterwarnings("ignore", message=r".*(deprecated|Deprecat).*", category=UserWarning)


@contextlib.contextmanager
def quiet_pyhanko() -> Iterator[None]:
    """pyHanko logs a traceback whenever a certificate path cannot be built (always, without
    --trust), and fontTools chatters while subsetting the font; silence both meanwhile."""
    import logging

    loggers = [logging.getLogger(name) for name in ("pyhanko", "pyhanko_certvalidator", "fontTools", "pdfminer")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL + 1)
    try:
        with warnings.catch_warnings():
            silence_library_warnings()
            yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def page_of(reader: Any, widget: Any) -> int:
    """Index of the page whose /Annots hold this signature widget (matched by field name)."""
    name = widget.get("/T")
    count = int(reader.root["/Pages"]["/Count"])
    for index in range(count):
        page_ref, _resources = reader.find_page_for_modification(index)
        for annot in page_ref.get_object().get("/Annots", []):
            obj = annot.get_object()
            if obj.get("/FT") == "/Sig" and obj.get("/T") == name:
                return index
    return 0


def incremental_writer(pdf: bytes) -> Any:
    """pyHanko's incremental writer on pdf, numbering new objects above every number the file uses.

    pyHanko numbers new objects from the trailer's /Size; some tools write a /Size below their highest
    object number (pdfunite, which a văn thư uses to split an appendix off into its own file). The
    signature's fonts and forms would then take the numbers of the page's own objects, and the signed
    file would show other letters than the one signed."""
    import io

    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    xrefs = writer.prev.xrefs
    top = max((ref.idnum for revision in range(xrefs.total_revisions)
               for ref in xrefs.explicit_refs_in_revision(revision)), default=0)
    # The writer's next number is _lastobj_id + 1 (pyHanko has no public way to start it higher).
    writer._lastobj_id = max(writer._lastobj_id, top)
    return writer
