"""A plan saved as Word's "Word XML Document" (Flat OPC: every part of a .docx in one XML file, root
pkg:package) read as the .docx it holds.

Why no LibreOffice: the file is the .docx's own parts, each named with its content type, as XML
(pkg:xmlData) or base64 (pkg:binaryData). Put back into a zip they are the .docx Word would have
saved, read by the one reader as any other, with Word's own measurements; the package inspection
(word/package.inspect_package: sizes, counts, DTD, external relationships) then judges that zip
like any .docx a user gives. The XML file itself is judged first: its size (read_bounded), no DTD
(formats.kind_of), parsed by the safe parser, its part count and names bounded here.
"""

from __future__ import annotations

import base64
import binascii
from xml.sax.saxutils import quoteattr

from .. import limits
from ..errors import UserError
from .package import RESAVE
from .webdoc import FLAT_OPC_NS

_PKG = f"{{{FLAT_OPC_NS}}}"


def package_of(data: bytes, label: str) -> bytes:
    """The .docx (zip bytes) whose parts the Flat OPC file holds; UserError (Vietnamese, naming the
    file) when it is broken or holds what no Word package does."""
    from lxml import etree

    from .package import parse_xml, zip_members

    try:
        root = parse_xml(data)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise UserError(f"{label}: tệp Word XML (Flat OPC) bị hỏng, không đọc được "
                        f"({str(exc).splitlines()[0][:120]}); {RESAVE}") from None
    if root.tag != f"{_PKG}package":
        raise UserError(f"{label}: tệp XML không phải văn bản Word XML (Flat OPC); không đọc được")
    parts = root.findall(f"{_PKG}part")
    if len(parts) > limits.MAX_MEMBERS:
        raise UserError(f"{label}: tệp có {len(parts)} phần (tối đa {limits.MAX_MEMBERS}); không đọc")
    members: dict[str, bytes] = {}
    types: list[tuple[str, str]] = []
    for part in parts:
        name = (part.get(f"{_PKG}name") or "").strip()
        member = name.lstrip("/")
        if (not name.startswith("/") or not member or "\\" in member or member in members
                or any(piece in ("", ".", "..") for piece in member.split("/"))
                or member.lower() == "[content_types].xml"):
            raise UserError(f"{label}: tệp Word XML (Flat OPC) có phần tên “{name[:80]}” không hợp lệ hoặc "
                            f"lặp lại; tệp hỏng, {RESAVE}")
        xml, binary = part.find(f"{_PKG}xmlData"), part.find(f"{_PKG}binaryData")
        if xml is not None and len(xml):
            blob = etree.tostring(xml[0], xml_declaration=True, encoding="UTF-8", standalone=True)
        elif binary is not None:
            try:
                blob = base64.b64decode("".join((binary.text or "").split()), validate=True)
            except (binascii.Error, ValueError):
                raise UserError(f"{label}: phần {name[:80]} của tệp Word XML (Flat OPC) bị hỏng (dữ liệu "
                                f"base64 sai); {RESAVE}") from None
        else:
            blob = b""
        members[member] = blob
        types.append((name, part.get(f"{_PKG}contentType") or "application/octet-stream"))
    members["[Content_Types].xml"] = _content_types(types)
    return zip_members(members)


def _content_types(types: list[tuple[str, str]]) -> bytes:
    """The package's [Content_Types].xml: each part's type as the Flat OPC file names it."""
    overrides = "".join(f"<Override PartName={quoteattr(name)} ContentType={quoteattr(kind)}/>"
                        for name, kind in types)
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f"{overrides}</Types>").encode()
