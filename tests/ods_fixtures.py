"""OpenDocument spreadsheets written as LibreOffice Calc writes them, from their tables' XML: the one
package writer the sheet tests share."""

from __future__ import annotations

import io
import zipfile

NAMESPACES = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
              'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
              'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
              'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
              'xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" '
              'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
              'xmlns:loext="urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0"')


def ods_package(tables: str, automatic: str = "", common: str | None = None) -> bytes:
    """An .ods holding `tables` (one or more <table:table> elements) in its spreadsheet; `automatic`
    the styles content.xml holds before them (office:automatic-styles), `common` those of a
    styles.xml (office:styles; no styles.xml when None)."""
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {NAMESPACES} office:version="1.2">'
               f"<office:automatic-styles>{automatic}</office:automatic-styles>"
               f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>"
               "</office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                + ('<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>'
                   if common is not None else "")
                + "</manifest:manifest>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content)
        if common is not None:
            z.writestr("styles.xml", f'<?xml version="1.0" encoding="UTF-8"?><office:document-styles {NAMESPACES} '
                                     f'office:version="1.2"><office:styles>{common}</office:styles>'
                                     "</office:document-styles>")
        z.writestr("META-INF/manifest.xml", manifest)
    return out.getvalue()
