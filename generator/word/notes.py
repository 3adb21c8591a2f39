"""Footnotes and endnotes in a rendered document: Word's own notes, numbered by Word (or marked
with the drafter's own mark), printed at the page's foot or at the document's end.

Why after rendering: docxtpl renders a template's footnotes part as a template of its own (once per
section), and a plan's notes belong to the body's sentences. So, as tables are (word/tables.py),
a note is a one-element placeholder in the body while the template renders (`note_slots`); the
finished package then gets the notes parts, their relationships and content types, the two styles
a note of each kind uses when the template lacks them, and a real reference run in each
placeholder's place (`with_notes`). A template that has a notes part of its own keeps its notes;
ours follow.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, NamedTuple

from lxml import etree

from .package import parse_xml
from .template_xml import R_NS, W_NS, W

NOTE_TEXT_HALF_POINTS = 20
"""A note's text: 10 pt, Word's own size for footnotes (Decree 30 sets none for them; the same 10 pt
as the electronic signature's lines, the smallest size it names)."""


@dataclass(frozen=True)
class Note:
    """A note as a document prints it: its text's runs (word.tables.Piece: text with bold, italic,
    raised or lowered looks; "\n" begins a new paragraph of the note), whether it prints at the
    document's end (an endnote) rather than the page's foot, and the drafter's own mark ("*")
    printed instead of Word's number, "" for the number."""

    runs: tuple[Any, ...] = ()
    endnote: bool = False
    mark: str = ""


class _Kind(NamedTuple):
    """What tells a footnote from an endnote in a package: the part's element names (w:footnotes,
    w:footnote, w:footnoteRef, w:footnoteReference), its relationship and content type, and the
    (name, ID) of Word's built-in styles for its text and its mark."""

    tag: str
    rel: str
    content_type: str
    text_style: tuple[str, str]
    reference_style: tuple[str, str]


_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_TYPES = "application/vnd.openxmlformats-officedocument.wordprocessingml."
FOOTNOTE = _Kind("footnote", _RELS + "footnotes", _TYPES + "footnotes+xml",
                 ("footnote text", "FootnoteText"), ("footnote reference", "FootnoteReference"))
ENDNOTE = _Kind("endnote", _RELS + "endnotes", _TYPES + "endnotes+xml",
                ("endnote text", "EndnoteText"), ("endnote reference", "EndnoteReference"))
"""Styles are found by name in the template (LibreOffice renames IDs), added under these IDs when
it has none."""

_SLOT_NS = "urn:kehoach:footnote"
_SLOT = re.compile(rb'<kh:fn xmlns:kh="urn:kehoach:footnote" n="(\d+)"/>')
_notes: ContextVar[list[tuple[Note, list[str]]] | None] = ContextVar("kehoach_footnotes", default=None)

_OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"


@contextlib.contextmanager
def note_slots() -> Iterator[list[tuple[Note, list[str]]]]:
    """Within: a note printed by runs_xml is a placeholder; the note and its paragraphs' runs XML
    are in the list yielded."""
    notes: list[tuple[Note, list[str]]] = []
    token = _notes.set(notes)
    try:
        yield notes
    finally:
        _notes.reset(token)


def note_placeholder(note: Note, paragraphs: list[str]) -> str:
    """The body's XML for a note's reference while a document is rendered (note_slots); paragraphs:
    the runs XML of each paragraph of its text. Outside a render there is no notes part to point
    into: nothing."""
    notes = _notes.get()
    if notes is None:
        return ""
    notes.append((note, paragraphs))
    return f'<kh:fn xmlns:kh="{_SLOT_NS}" n="{len(notes) - 1}"/>'


def with_notes(members: dict[str, bytes], notes: list[tuple[Note, list[str]]]) -> dict[str, bytes]:
    """The package's parts with each note placeholder a reference to a real footnote or endnote
    holding its text. Unchanged when the render made no note."""
    if not notes:
        return members
    main = _main_part(members)
    if main is None or _SLOT_NS.encode() not in members.get(main, b""):
        return members
    out = dict(members)
    folder = main.rsplit("/", 1)[0] + "/" if "/" in main else ""
    rels_name = f"{folder}_rels/{main.rsplit('/', 1)[-1]}.rels"
    refs: dict[int, bytes] = {}
    for kind in (FOOTNOTE, ENDNOTE):
        mine = [(k, note, paras) for k, (note, paras) in enumerate(notes) if (kind is ENDNOTE) == note.endnote]
        if not mine:
            continue
        notes_name = folder + _notes_target(out, rels_name, kind)
        text_id, ref_id = _styles(out, folder + "styles.xml", kind)
        root = parse_xml(out[notes_name]) if notes_name in out else _empty_notes(kind)
        taken = [int(i) for n in root.findall(W + kind.tag) if (i := n.get(f"{W}id", "")).lstrip("-").isdigit()]
        first = max([0, *taken]) + 1
        for n, (k, note, paras) in enumerate(mine):
            root.append(_note(kind, first + n, note, paras, text_id, ref_id))
            refs[k] = _reference_run(kind, first + n, note.mark, ref_id)
        out[notes_name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        out["[Content_Types].xml"] = _content_type(out["[Content_Types].xml"], "/" + notes_name, kind)
    out[main] = _SLOT.sub(lambda m: refs[int(m.group(1))], out[main])
    return out


def _reference_run(kind: _Kind, note_id: int, mark: str, ref_id: str) -> bytes:
    """The run Word prints the note's number in, or the drafter's mark after a reference that says
    a mark follows: the reference style, raised in its own right too (a style a reader's Word
    lacks still prints the number raised)."""
    custom = ' w:customMarkFollows="1"' if mark else ""
    shown = f'<w:t xml:space="preserve">{_text(mark)}</w:t>' if mark else ""
    return (f'<w:r><w:rPr><w:rStyle w:val="{_attr(ref_id)}"/><w:vertAlign w:val="superscript"/></w:rPr>'
            f'<w:{kind.tag}Reference{custom} w:id="{note_id}"/>{shown}</w:r>').encode()


def _text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


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


def _notes_target(members: dict[str, bytes], rels_name: str, kind: _Kind) -> str:
    """The notes part's name beside the main part, its relationship added when it has none."""
    root = parse_xml(members[rels_name])
    rels = list(root.iter(f"{_PKG_REL}Relationship"))
    default = f"{kind.tag}s.xml"
    for rel in rels:
        if rel.get("Type") == kind.rel and rel.get("TargetMode") != "External":
            return (rel.get("Target") or default).lstrip("/")
    ids = {rel.get("Id") for rel in rels}
    n = len(rels) + 1
    while f"rId{n}" in ids:
        n += 1
    etree.SubElement(root, f"{_PKG_REL}Relationship", Id=f"rId{n}", Type=kind.rel, Target=default)
    members[rels_name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return default


def _content_type(types: bytes, part: str, kind: _Kind) -> bytes:
    root = parse_xml(types)
    if any(o.get("PartName") == part for o in root.iter(f"{_CT}Override")):
        return types
    etree.SubElement(root, f"{_CT}Override", PartName=part, ContentType=kind.content_type)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _styles(members: dict[str, bytes], name: str, kind: _Kind) -> tuple[str, str]:
    """The IDs of the note text and note reference styles, each added when the styles part has no
    style of that name: the text 10 pt, single spaced, nothing before or after; the reference
    raised."""
    if name not in members:
        return kind.text_style[1], kind.reference_style[1]
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
    for (style_name, wanted), xml in ((kind.text_style, _TEXT_STYLE_XML), (kind.reference_style, _REFERENCE_STYLE_XML)):
        named = by_name.get(style_name)
        if named is not None:
            sid = named
        else:
            sid = wanted
            while sid in ids:
                sid += "1"
            ids.add(sid)
            based = f'<w:basedOn w:val="{_attr(normal)}"/>' if normal and xml is _TEXT_STYLE_XML else ""
            root.append(parse_xml(xml.format(ns=W_NS, id=_attr(sid), based=based, name=style_name).encode()))
            added = True
        found.append(sid)
    if added:
        members[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return found[0], found[1]


_TEXT_STYLE_XML = (
    '<w:style xmlns:w="{ns}" w:type="paragraph" w:styleId="{id}"><w:name w:val="{name}"/>'
    '{based}<w:uiPriority w:val="99"/><w:unhideWhenUsed/>'
    '<w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/><w:ind w:firstLine="0"/>'
    f'<w:jc w:val="both"/></w:pPr><w:rPr><w:sz w:val="{NOTE_TEXT_HALF_POINTS}"/>'
    f'<w:szCs w:val="{NOTE_TEXT_HALF_POINTS}"/></w:rPr></w:style>')
_REFERENCE_STYLE_XML = (
    '<w:style xmlns:w="{ns}" w:type="character" w:styleId="{id}"><w:name w:val="{name}"/>'
    '<w:uiPriority w:val="99"/><w:unhideWhenUsed/><w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>')


def _empty_notes(kind: _Kind) -> Any:
    """A notes part with the two separators Word draws between the text and the notes."""
    tag = kind.tag
    return parse_xml(
        f'<w:{tag}s xmlns:w="{W_NS}" xmlns:r="{R_NS}">'
        f'<w:{tag} w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
        f'w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:{tag}>'
        f'<w:{tag} w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" '
        f'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:{tag}>'
        f'</w:{tag}s>'.encode())


def _note(kind: _Kind, note_id: int, note: Note, paragraphs: list[str], text_id: str, ref_id: str) -> Any:
    """One note: its paragraphs (runs XML each, with the looks of its text), the first opening
    with the note's number as Word prints it (w:footnoteRef, w:endnoteRef) or the drafter's mark,
    then a space."""
    mark = (f'<w:t xml:space="preserve">{_text(note.mark)}</w:t>' if note.mark else f"<w:{kind.tag}Ref/>")
    opening = (f'<w:r><w:rPr><w:rStyle w:val="{_attr(ref_id)}"/><w:vertAlign w:val="superscript"/></w:rPr>'
               f'{mark}</w:r><w:r><w:t xml:space="preserve"> </w:t></w:r>')
    style = f'<w:pPr><w:pStyle w:val="{_attr(text_id)}"/></w:pPr>'
    body = "".join(f"<w:p>{style}{opening if k == 0 else ''}{runs}</w:p>"
                   for k, runs in enumerate(paragraphs or [""]))
    return parse_xml(f'<w:{kind.tag} xmlns:w="{W_NS}" w:id="{note_id}">{body}</w:{kind.tag}>'.encode())
