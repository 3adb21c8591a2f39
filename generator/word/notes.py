"""Footnotes in a rendered document: Word's own notes, numbered by Word, printed at the page's foot.

Why after rendering: docxtpl renders a template's footnotes part as a template of its own (once per
section), and a plan's notes belong to the body's sentences. So, as tables are (word/tables.py),
a note is a one-element placeholder in the body while the template renders (`note_slots`); the
finished package then gets the notes part, its relationship and content type, the two styles a
note uses when the template lacks them, and a real reference run in each placeholder's place
(`with_footnotes`). A template that has a footnotes part of its own keeps its notes; ours follow.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from lxml import etree

from .package import parse_xml
from .template_xml import R_NS, W_NS, W

NOTE_TEXT_HALF_POINTS = 20
"""A note's text: 10 pt, Word's own size for footnotes (Decree 30 sets none for them; the same 10 pt
as the electronic signature's lines, the smallest size it names)."""

_SLOT_NS = "urn:kehoach:footnote"
_SLOT = re.compile(rb'<kh:fn xmlns:kh="urn:kehoach:footnote" n="(\d+)"/>')
_notes: ContextVar[list[str] | None] = ContextVar("kehoach_footnotes", default=None)

_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
_OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

TEXT_STYLE = ("footnote text", "FootnoteText")
REFERENCE_STYLE = ("footnote reference", "FootnoteReference")
"""(name, ID) of Word's built-in styles for a note's paragraphs and its reference mark: found by
name in the template (LibreOffice renames IDs), added under these IDs when it has none."""


@contextlib.contextmanager
def note_slots() -> Iterator[list[str]]:
    """Within: a footnote printed by runs_xml is a placeholder; its text is in the list yielded."""
    notes: list[str] = []
    token = _notes.set(notes)
    try:
        yield notes
    finally:
        _notes.reset(token)


def note_placeholder(text: str) -> str:
    """The body's XML for a footnote's reference while a document is rendered (note_slots); outside
    a render there is no notes part to point into: nothing."""
    notes = _notes.get()
    if notes is None:
        return ""
    notes.append(text)
    return f'<kh:fn xmlns:kh="{_SLOT_NS}" n="{len(notes) - 1}"/>'


def with_footnotes(members: dict[str, bytes], notes: list[str]) -> dict[str, bytes]:
    """The package's parts with each note placeholder a reference to a real footnote holding its
    text. Unchanged when the render made no note."""
    if not notes:
        return members
    main = _main_part(members)
    if main is None or _SLOT_NS.encode() not in members.get(main, b""):
        return members
    out = dict(members)
    folder = main.rsplit("/", 1)[0] + "/" if "/" in main else ""
    rels_name = f"{folder}_rels/{main.rsplit('/', 1)[-1]}.rels"
    target = _footnotes_target(out, rels_name)
    notes_name = folder + target
    text_id, ref_id = _styles(out, folder + "styles.xml")
    root = parse_xml(out[notes_name]) if notes_name in out else _empty_notes()
    taken = [int(i) for n in root.findall(f"{W}footnote") if (i := n.get(f"{W}id", "")).lstrip("-").isdigit()]
    first = max([0, *taken]) + 1
    for k, text in enumerate(notes):
        root.append(_note(first + k, text, text_id, ref_id))
    out[notes_name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    out["[Content_Types].xml"] = _content_type(out["[Content_Types].xml"], "/" + notes_name)
    out[main] = _SLOT.sub(lambda m: _reference_run(first + int(m.group(1)), ref_id), out[main])
    return out


def _reference_run(note_id: int, ref_id: str) -> bytes:
    """The run Word prints the note's number in: the reference style, raised in its own right too
    (a style a reader's Word lacks still prints the number raised)."""
    return (f'<w:r><w:rPr><w:rStyle w:val="{_attr(ref_id)}"/><w:vertAlign w:val="superscript"/></w:rPr>'
            f'<w:footnoteReference w:id="{note_id}"/></w:r>').encode()


def _attr(value: str) -> str:
    """An attribute value (a style ID from the user's template may hold any character)."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _main_part(members: dict[str, bytes]) -> str | None:
    rels = members.get("_rels/.rels")
    if rels is None:
        return None
    for rel in parse_xml(rels).iter(f"{_PKG_REL}Relationship"):
        if rel.get("Type") == _OFFICE_DOCUMENT:
            return (rel.get("Target") or "").lstrip("/")
    return None


def _footnotes_target(members: dict[str, bytes], rels_name: str) -> str:
    """The notes part's name beside the main part, its relationship added when it has none."""
    root = parse_xml(members[rels_name])
    rels = list(root.iter(f"{_PKG_REL}Relationship"))
    for rel in rels:
        if rel.get("Type") == _REL and rel.get("TargetMode") != "External":
            return (rel.get("Target") or "footnotes.xml").lstrip("/")
    ids = {rel.get("Id") for rel in rels}
    n = len(rels) + 1
    while f"rId{n}" in ids:
        n += 1
    etree.SubElement(root, f"{_PKG_REL}Relationship", Id=f"rId{n}", Type=_REL, Target="footnotes.xml")
    members[rels_name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return "footnotes.xml"


def _content_type(types: bytes, part: str) -> bytes:
    from .internals import FOOTNOTES  # loaded by every render already (docxtpl)

    root = parse_xml(types)
    if any(o.get("PartName") == part for o in root.iter(f"{_CT}Override")):
        return types
    etree.SubElement(root, f"{_CT}Override", PartName=part, ContentType=FOOTNOTES)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _styles(members: dict[str, bytes], name: str) -> tuple[str, str]:
    """The IDs of the note text and note reference styles, each added when the styles part has no
    style of that name: the text 10 pt, single spaced, nothing before or after; the reference
    raised."""
    if name not in members:
        return TEXT_STYLE[1], REFERENCE_STYLE[1]
    root = parse_xml(members[name])
    by_name: dict[str, str] = {}
    ids: set[str] = set()
    normal = ""  # the default paragraph style, which a note's text is based on (its font)
    for style in root.iter(f"{W}style"):
        sid = style.get(f"{W}styleId") or ""
        ids.add(sid)
        if style.get(f"{W}type") == "paragraph" and style.get(f"{W}default") in ("1", "true", "on") and not normal:
            normal = sid
        el = style.find(f"{W}name")
        if el is not None and sid:
            by_name.setdefault((el.get(f"{W}val") or "").strip().casefold(), sid)
    found: list[str] = []
    added = False
    for (style_name, wanted), xml in ((TEXT_STYLE, _TEXT_STYLE_XML), (REFERENCE_STYLE, _REFERENCE_STYLE_XML)):
        named = by_name.get(style_name)
        if named is not None:
            sid = named
        else:
            sid = wanted
            while sid in ids:
                sid += "1"
            ids.add(sid)
            based = f'<w:basedOn w:val="{_attr(normal)}"/>' if normal and xml is _TEXT_STYLE_XML else ""
            root.append(parse_xml(xml.format(ns=W_NS, id=_attr(sid), based=based).encode()))
            added = True
        found.append(sid)
    if added:
        members[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return found[0], found[1]


_TEXT_STYLE_XML = (
    '<w:style xmlns:w="{ns}" w:type="paragraph" w:styleId="{id}"><w:name w:val="footnote text"/>'
    '{based}<w:uiPriority w:val="99"/><w:unhideWhenUsed/>'
    '<w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/><w:ind w:firstLine="0"/>'
    f'<w:jc w:val="both"/></w:pPr><w:rPr><w:sz w:val="{NOTE_TEXT_HALF_POINTS}"/>'
    f'<w:szCs w:val="{NOTE_TEXT_HALF_POINTS}"/></w:rPr></w:style>')
_REFERENCE_STYLE_XML = (
    '<w:style xmlns:w="{ns}" w:type="character" w:styleId="{id}"><w:name w:val="footnote reference"/>'
    '<w:uiPriority w:val="99"/><w:unhideWhenUsed/><w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>')


def _empty_notes() -> Any:
    """A footnotes part with the two separators Word draws between the text and the notes."""
    return parse_xml(
        f'<w:footnotes xmlns:w="{W_NS}" xmlns:r="{R_NS}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
        'w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" '
        'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
        '</w:footnotes>'.encode())


def _note(note_id: int, text: str, text_id: str, ref_id: str) -> Any:
    """One footnote: its paragraphs (one a line of the text), the first opening with the note's
    number as Word prints it (w:footnoteRef) and a space."""
    note = etree.Element(f"{W}footnote", {f"{W}id": str(note_id)})
    for k, line in enumerate(text.split("\n")):
        p = etree.SubElement(note, f"{W}p")
        ppr = etree.SubElement(p, f"{W}pPr")
        etree.SubElement(ppr, f"{W}pStyle", {f"{W}val": text_id})
        if k == 0:
            r = etree.SubElement(p, f"{W}r")
            rpr = etree.SubElement(r, f"{W}rPr")
            etree.SubElement(rpr, f"{W}rStyle", {f"{W}val": ref_id})
            etree.SubElement(rpr, f"{W}vertAlign", {f"{W}val": "superscript"})
            etree.SubElement(r, f"{W}footnoteRef")
            line = " " + line
        r = etree.SubElement(p, f"{W}r")
        t = etree.SubElement(r, f"{W}t")
        t.text = line
        t.set(_XML_SPACE, "preserve")
    return note
