"""A .docx package's parts found as Word and LibreOffice find them, before python-docx opens it.

Why: python-docx looks each part up by the exact zip member name its relationship gives, trusts
[Content_Types].xml for what a part is, and stops at the first part a relationship names that the
zip lacks. Office applications are more forgiving, and files from other producers or hand-repaired
zips rely on it:
- part names are compared without regard to ASCII case (Open Packaging Conventions, ECMA-376
  part 2 §9.1.1.1.2), and zip tools on Windows may store "word\\document.xml" with backslashes;
- a part a relationship names but the zip lacks (a header, the styles, a picture removed by a
  tool) is left out: Word offers to recover the rest, LibreOffice opens the rest silently;
- a part with no content type of its own, or a generic one ("application/xml"), is what its
  relationship says it is: python-docx would load a header as a bare blob without a tree, and
  stop at a part of no type at all.

The result is the same package renamed and mended (or None when nothing needed it), inspected
again by the caller before it is parsed. Only the main document itself is required: without it
there is nothing to show, said in Vietnamese.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..errors import UserError
from .package import parse_xml, zip_members_by_zipfile

if TYPE_CHECKING:
    from lxml.etree import _Element

_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships/"
_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."
_MAIN_REL = _DOC + "officeDocument"
CONTENT_TYPES = "[Content_Types].xml"

# What a part is, by the relationship that names it (the content types Word writes for them).
_TYPE_OF_REL = {
    _MAIN_REL: _WML + "document.main+xml",
    _DOC + "styles": _WML + "styles+xml",
    _DOC + "stylesWithEffects": "application/vnd.ms-word.stylesWithEffects+xml",
    _DOC + "numbering": _WML + "numbering+xml",
    _DOC + "settings": _WML + "settings+xml",
    _DOC + "webSettings": _WML + "webSettings+xml",
    _DOC + "fontTable": _WML + "fontTable+xml",
    _DOC + "header": _WML + "header+xml",
    _DOC + "footer": _WML + "footer+xml",
    _DOC + "footnotes": _WML + "footnotes+xml",
    _DOC + "endnotes": _WML + "endnotes+xml",
    _DOC + "comments": _WML + "comments+xml",
    _DOC + "theme": "application/vnd.openxmlformats-officedocument.theme+xml",
    _DOC + "extended-properties": "application/vnd.openxmlformats-officedocument.extended-properties+xml",
    _DOC + "custom-properties": "application/vnd.openxmlformats-officedocument.custom-properties+xml",
    _PKG + "metadata/core-properties": "application/vnd.openxmlformats-package.core-properties+xml",
}
# Pictures by their extension, for a package whose Default entry for it is missing.
_PICTURES = {
    "png": "image/png", "jpeg": "image/jpeg", "jpg": "image/jpeg", "jpe": "image/jpeg", "gif": "image/gif",
    "bmp": "image/bmp", "tif": "image/tiff", "tiff": "image/tiff", "emf": "image/x-emf", "wmf": "image/x-wmf",
    "svg": "image/svg+xml",
}
_GENERIC = {"", "application/xml", "text/xml", "application/octet-stream"}


def rels_of(part: str) -> str:
    """The zip name of a part's relationships ("" for the package itself)."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def target_of(source: str, ref: str) -> str:
    """The zip name a relationship's internal target resolves to, from its source part's folder."""
    ref = ref.replace("\\", "/").split("#", 1)[0]
    joined = ref if ref.startswith("/") else posixpath.join("/" + posixpath.dirname(source), ref)
    return posixpath.normpath(joined).lstrip("/")


class _Package:
    def __init__(self, members: dict[str, bytes], label: str):
        self.label = label
        self.members = members
        self.changed = False
        self.by_lower: dict[str, str] = {}
        for name in list(members):
            fixed = name.replace("\\", "/").lstrip("/")
            if fixed != name:
                members[fixed] = members.pop(name)
                self.changed = True
            self.by_lower.setdefault(fixed.lower(), fixed)

    def find(self, name: str) -> str | None:
        """The member a part name means, the name as written (renamed to it when only its case
        differs), or None."""
        if name in self.members:
            return name
        actual = self.by_lower.get(name.lower())
        if actual is None or actual not in self.members:
            return None
        self.members[name] = self.members.pop(actual)
        self.by_lower[name.lower()] = name
        self.changed = True
        return name

    def mend(self) -> None:
        ct_name = self.find(CONTENT_TYPES)
        types = parse_xml(self.members[ct_name]) if ct_name else None
        declared = declared_types(types)
        wanted: dict[str, str] = {}
        todo, seen = [""], set()
        while todo:
            source = todo.pop()
            if source in seen:
                continue
            seen.add(source)
            rels_name = self.find(rels_of(source) if source else "_rels/.rels")
            if rels_name is None:
                continue
            rels = parse_xml(self.members[rels_name])
            edited = False
            for rel in list(rels.iter(f"{_REL_NS}Relationship")):
                if (rel.get("TargetMode") or "").lower() == "external":
                    continue
                kind = rel.get("Type") or ""
                part = self.find(target_of(source, rel.get("Target") or ""))
                if part is None:
                    if kind == _MAIN_REL:
                        raise UserError(f"{self.label}: tệp hỏng: thiếu phần nội dung chính ({rel.get('Target')}) "
                                        "nên không có gì để đọc (Word cũng không mở được); hãy xin lại tệp gốc")
                    parent = rel.getparent()
                    if parent is not None:
                        parent.remove(rel)
                    edited = True
                    continue
                if part.endswith(".xml") or kind in _TYPE_OF_REL:
                    todo.append(part)
                if declared(part) in _GENERIC:
                    # Known parts by their relationship; any other part with no type at all gets a
                    # neutral one by its extension, to be carried along unread, as Word does.
                    ext = part.rsplit(".", 1)[-1].lower()
                    kind = _TYPE_OF_REL.get(kind) or (declared(part) or _PICTURES.get(ext) or (
                        "application/xml" if ext == "xml" else "application/octet-stream"))
                    if kind != declared(part):
                        wanted[part] = kind
            if edited:
                self.members[rels_name] = _bytes(rels)
                self.changed = True
        if wanted and types is not None and ct_name is not None:
            from lxml import etree

            wanted_lower = {name.lower() for name in wanted}
            # One pass over the entries (a hostile list may hold millions): each mended part's old
            # Override replaced by its type.
            for old in types.findall(f"{_CT_NS}Override"):
                if (old.get("PartName") or "").lstrip("/").lower() in wanted_lower:
                    types.remove(old)
            for name, kind in wanted.items():
                etree.SubElement(types, f"{_CT_NS}Override", PartName="/" + name, ContentType=kind)
            self.members[ct_name] = _bytes(types)
            self.changed = True


def declared_types(types: _Element | None) -> Callable[[str], str]:
    """The content type [Content_Types].xml gives a part ("" for none), names without case."""
    overrides: dict[str, str] = {}
    defaults: dict[str, str] = {}
    for el in types if types is not None else ():
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == f"{_CT_NS}Override":
            overrides[(el.get("PartName") or "").lower().lstrip("/")] = el.get("ContentType") or ""
        elif tag == f"{_CT_NS}Default":
            defaults[(el.get("Extension") or "").lower()] = el.get("ContentType") or ""

    def declared(name: str) -> str:
        low = name.lower()
        if low in overrides:
            return overrides[low]
        return defaults.get(low.rsplit(".", 1)[-1], "")

    return declared


def _bytes(root: _Element) -> bytes:
    from lxml import etree

    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def as_word_opens(data: bytes, label: str) -> bytes | None:
    """The package (its bytes, already inspected) with its parts found as Word finds them, or None
    when python-docx finds them as they are."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist() if not i.is_dir()}
    package = _Package(members, label)
    package.mend()
    return zip_members_by_zipfile(package.members) if package.changed else None
