"""A .docx whose body is, wholly or partly, an embedded alternative-format chunk (w:altChunk) read
as Word prints it: each chunk's content put in its place before the reader walks the document.

Why: e-office "Xuất ra Word" built on the OpenXML SDK or docx4j, mail-merge services and report
generators write the plan as HTML, MHTML, RTF, plain text or a whole .docx and embed it with
<w:altChunk r:id="…"/> (relationship type aFChunk). Word imports the chunk in place when it opens
the file and prints it; python-docx, the reader and LibreOffice 7.4 see an empty page.

What Word would show, kept here:
- the chunk's kind is its part's content type (the bytes when the type is generic); HTML, MHTML,
  RTF, Word 2003 XML (and a .doc or .odt) are converted by LibreOffice through word/formats.py, the
  same safe path as a file of that kind (a page loses every reference outside it before LibreOffice
  opens it: nothing is fetched, no local file read), with one LibreOffice start for all the chunks
  of a file that open with the same filter; a .docx (or a Flat OPC) chunk is used as it is; plain
  text is one paragraph per line in the document's own Normal style, as Word imports text;
- a chunk stands wherever a paragraph may (its place is block content): the body, a table cell, a
  block content control or custom XML around it, a header or footer, a footnote or endnote, a
  comment; its blocks go there, in that part (its pictures under that part's relationships);
- the chunk document's body blocks (paragraphs, tables, their section breaks without the chunk's
  headers and footers) replace the w:altChunk; the final section of the chunk is dropped: the outer
  document's section sets the page, as in Word;
- formatting as Word imports it: a converted chunk (a page, an RTF) prints as it says; a .docx
  chunk takes the document's own style where the document has one of the same name ("Normal"),
  unless it keeps its source formatting (w:altChunkPr/w:matchSrc). The chunk's other styles are
  carried over under new ids (its document defaults as the root of its paragraph styles), its list
  definitions under new numbers, the parts its blocks name (pictures, hyperlinks) with new
  relationships. Left out: the chunk's footnotes, endnotes and comments (their marks are removed so
  that they do not show the outer document's notes), and its own headers and footers.

Bounded: at most limits.MAX_ALT_CHUNKS chunks; each chunk is a part of the inspected package (its
size and ratio judged there), a .docx chunk, and what LibreOffice made of one, is inspected as any
.docx (zip bomb, DTD, counts), the paragraphs of the chunks LibreOffice would convert are counted in
their bytes against limits.MAX_PARAGRAPHS before it starts; all the chunks together, each counted at
each use (many w:altChunk may name one part), stay within the paragraphs and elements of one part
and the inflated bytes of one file, counted before any chunk's tree is built. A chunk typed RTF is
told by its bytes (LibreOffice would open a page typed RTF as a page, unsafe). A chunk holding chunks
of its own (one level only) or pointing outside the file is refused with a Vietnamese message. The
ids a chunk's styles, relationships and parts get are ones the document does not use. The spliced
package is inspected again by the caller before it is parsed.
"""

from __future__ import annotations

import copy
import io
import posixpath
import re
import zipfile
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .. import limits
from ..errors import UserError
from ..text import number_vi
from .opc import CONTENT_TYPES, declared_types, rels_of, target_of
from .package import RESAVE, parse_xml, zip_members_by_zipfile

if TYPE_CHECKING:
    from lxml.etree import _Element

    from .formats import Kind

_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{_W_NS}}}"
_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
AFCHUNK = _DOC + "aFChunk"
_MAIN = _DOC + "officeDocument"
_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."

_DOCX_TYPES = frozenset({
    _WML + "document.main+xml", _WML + "document", _WML + "template.main+xml",
    "application/vnd.ms-word.document.macroenabled.main+xml",
    "application/vnd.ms-word.template.macroenabledtemplate.main+xml",
})
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_MHT_TYPES = frozenset({"message/rfc822", "multipart/related", "application/x-mimearchive"})
_RTF_TYPES = frozenset({"application/rtf", "text/rtf"})
_TEXT_TYPES = frozenset({"text/plain"})

_BLOCK_PARTS = frozenset({"header", "footer", "footnotes", "endnotes", "comments"})
"""The main document's parts (by relationship type) whose content is blocks, where a chunk may stand."""
_OFF = frozenset({"0", "false", "off"})
_NOTE_MARKS = frozenset(f"{_W}{t}" for t in (
    "footnoteReference", "endnoteReference", "commentReference", "commentRangeStart", "commentRangeEnd"))
"""Marks that name a note or comment by number: in the outer document the number is another's."""


def _what(name: str) -> str:
    return f"phần nội dung nhúng (altChunk) {name}".strip()


@dataclass
class _Chunk:
    """One w:altChunk: where it stands, and what it holds once read."""

    element: Any
    owner: str  # the part holding it (the main document, a header, a footer, the notes, the comments)
    part: str  # the chunk's part name
    data: bytes
    kind: str  # "docx" | "text" | "soffice"
    converted: Kind | None = None
    docx: bytes | None = None


def in_place(data: bytes, label: str) -> tuple[bytes, str | None] | None:
    """The package (its bytes, already inspected and mended as Word opens it) with each w:altChunk
    of its main document, headers, footers, notes and comments (wherever it stands in them: the
    body, a cell, a content control, custom XML) replaced by the chunk's content, and what LibreOffice
    converted on the way (in the user's words) or None; None when the package holds no chunk.
    UserError (Vietnamese, naming the file) for a chunk refused, or a part that does not parse."""
    from lxml import etree

    try:
        return _in_place(data, label)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise UserError(f"{label}: tệp .docx bị hỏng, không đọc được ({_reason(exc)}); {RESAVE}") from None


def _reason(exc: Exception) -> str:
    """What a parser said, its first line, short."""
    return str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__


def _in_place(data: bytes, label: str) -> tuple[bytes, str | None] | None:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        # The XML parts first (as the inspection read them): a package without chunks, nearly every
        # one, costs no read of its pictures.
        members = {i.filename: zf.read(i) for i in infos if i.filename.lower().endswith((".xml", ".rels"))}
        package = _Package(members, label)
        owners = package.owners()
        if not any(b"altChunk" in members.get(name, b"") for name in owners):
            return None
        members.update({i.filename: zf.read(i) for i in infos if i.filename not in members})
    holding = [name for name in owners if b"altChunk" in members.get(name, b"")]
    # Counted as they stand, before any is judged: judging one (its relationship, its part, its
    # type) costs some microseconds, and a part may hold a million w:altChunk in a few megabytes.
    count = sum(1 for name in holding for _ in package.tree(name).iter(f"{_W}altChunk"))
    if count > limits.MAX_ALT_CHUNKS:
        raise UserError(f"{label}: tệp có {number_vi(count)} phần nội dung nhúng (altChunk) (tối đa "
                        f"{number_vi(limits.MAX_ALT_CHUNKS)}); tệp không bình thường, không đọc")
    chunks = [c for name in holding for c in package.chunks_of(name)]
    _read_chunks(chunks, label)
    for n, chunk in enumerate(chunks, 1):
        package.splice(chunk, n)
    package.write_back()
    kinds = sorted({c.converted.what for c in chunks if c.converted is not None})
    through = f"tệp .docx có phần nội dung nhúng (altChunk) là {', '.join(kinds)}" if kinds else None
    return zip_members_by_zipfile(package.members), through


def _read_chunks(chunks: list[_Chunk], label: str) -> None:
    """Each chunk's .docx: as it is, from its Flat OPC, or converted by LibreOffice (one start for all,
    after every chunk was judged by its bytes); plain text stays text. The chunks together hold at
    most limits.MAX_PARAGRAPHS paragraphs and, for the packages among them, limits.MAX_TOTAL_BYTES
    once inflated: each is within the limits of a file, all of them must be too."""
    from . import formats
    from .flat_opc import package_of

    to_convert: list[_Chunk] = []
    budget = _Budget(label)
    for chunk in chunks:
        where = f"{label}: {_what(chunk.part)}"
        if chunk.kind == "soffice":
            kind = formats.kind_of(chunk.data, where) if chunk.converted is None else chunk.converted
            if kind is formats.FLAT_OPC:
                chunk.kind, chunk.data = "docx", package_of(chunk.data, where)
            elif kind is None:
                raise UserError(f"{where} không phải loại Word nhập được (HTML, MHTML, RTF, văn bản thuần, "
                                f".docx) nên kehoach không đọc được; Word sẽ báo lỗi hoặc bỏ trống chỗ đó; {RESAVE}")
            else:
                chunk.converted = kind
                budget.grown(len(chunk.data))
                budget.paragraphs(formats.source_paragraphs(chunk.data, kind, where))
                to_convert.append(chunk)
        if chunk.kind == "docx":
            budget.inflated(chunk.data)
            chunk.docx = _docx_chunk(chunk.data, where, budget)
        elif chunk.kind == "text":
            budget.grown(len(chunk.data))
            text = _text_of(chunk.data)
            lines = len(_LINES.findall(text)) + 1
            budget.paragraphs(lines)
            # Each line is a paragraph, a run and a text; each tab a run, a tab and a text more
            # (_text_blocks): one line of tabs is a few bytes an element, counted before it is built.
            budget.elements(3 * lines + 3 * text.count("\t"))
    made = formats.convert_all([(c.data, c.converted) for c in to_convert if c.converted is not None],
                               f"{label}, {_what('')}")
    for chunk, docx in zip(to_convert, made, strict=True):
        # What LibreOffice made of a chunk is judged as a .docx the user gives before it is parsed
        # (as a converted file is, word/reader.py); its paragraphs were counted in its source,
        # except a .doc's, whose text only its converted copy shows (formats.source_paragraphs).
        where = f"{label}: {_what(chunk.part)}"
        budget.inflated(docx)
        chunk.docx = _docx_chunk(docx, where, budget, paragraphs=chunk.converted is formats.DOC)


class _Budget:
    """What the chunks of one file add up to, refused past the limits of one file."""

    def __init__(self, label: str):
        self.label = label
        self.count = 0
        self.size = 0
        self.tags = 0

    def paragraphs(self, n: int) -> None:
        self.count += n
        if self.count > limits.MAX_PARAGRAPHS:
            raise UserError(f"{self.label}: các phần nội dung nhúng (altChunk) có hơn "
                            f"{number_vi(limits.MAX_PARAGRAPHS)} đoạn văn; quá lớn để đọc, không đọc")

    def elements(self, n: int) -> None:
        """The XML elements the chunks put into the document, before their trees are built: each
        chunk is within a part's limit, and all of them spliced into one part must be too."""
        self.tags += n
        if self.tags > limits.MAX_ELEMENTS:
            raise UserError(f"{self.label}: các phần nội dung nhúng (altChunk) có hơn "
                            f"{number_vi(limits.MAX_ELEMENTS)} thẻ XML; quá lớn để đọc, không đọc")

    def inflated(self, data: bytes) -> None:
        """A package chunk's size once inflated, from its zip directory, before any member is read."""
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                size = sum(i.file_size for i in zf.infolist())
        except (zipfile.BadZipFile, ValueError, OSError, EOFError):
            return  # not a zip: the package inspection says what it is
        self.grown(size)

    def grown(self, n: int) -> None:
        """n bytes more that the chunks put into the document (a page's, a text's, a package's once
        inflated), counted each time a chunk is used: many w:altChunk may name one part, and each
        is read, converted and spliced again."""
        self.size += n
        if self.size > limits.MAX_TOTAL_BYTES:
            raise UserError(f"{self.label}: các phần nội dung nhúng (altChunk) giải nén ra hơn "
                            f"{limits.MAX_TOTAL_BYTES // 2**20} MB (tính cả mỗi lần một phần được nhúng lại); "
                            "đây là tệp nén độc hại (zip bomb) hoặc quá lớn, không đọc")


def _docx_chunk(data: bytes, where: str, budget: _Budget, *, paragraphs: bool = True) -> bytes:
    """A chunk that is a .docx, judged as any .docx the user gives (bombs, DTD, counts), read under
    Transitional names when saved as Strict, its parts found as Word finds them; refused when it
    holds chunks of its own (one level is read). Its paragraphs (unless counted already, in the
    source LibreOffice converted) and its body's elements go into the budget of the file's chunks."""
    from .opc import as_word_opens
    from .package import inspect_package
    from .strict import as_transitional

    found = inspect_package(data, where).paragraphs
    if paragraphs:
        budget.paragraphs(found)
    for mend in (as_transitional, lambda d: as_word_opens(d, where)):
        mended = mend(data)
        if mended is not None:
            inspect_package(mended, where)
            data = mended
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        inner = _Package({i.filename: zf.read(i) for i in zf.infolist() if not i.is_dir()}, where)
    budget.elements(inner.members.get(inner.main, b"").count(b"<"))
    if any(b"altChunk" in inner.members.get(name, b"") and inner.chunks_of(name, judge=False)
           for name in inner.owners()):
        raise UserError(f"{where} lại chứa phần nội dung nhúng khác bên trong; kehoach chỉ đọc một cấp "
                        f"nhúng, không đọc; {RESAVE}")
    return data


class _Package:
    """The outer package's members, and the parts a splice edits, parsed once and written back."""

    def __init__(self, members: dict[str, bytes], label: str):
        self.members = members
        self.label = label
        self.trees: dict[str, _Element] = {}
        self.main = self._main()
        self.types_declared = declared_types(self.tree(CONTENT_TYPES) if CONTENT_TYPES in members else None)
        self.gone: set[str] = set()
        self.style_ids: set[str] | None = None
        self.num_ids: tuple[int, int] | None = None
        self.carried = 0  # elements of the chunks' styles and list definitions copied so far

    def _copied(self, el: _Element) -> _Element:
        """A chunk's style or list definition copied into the document's styles or numbering part,
        its elements counted first: each chunk's parts are within a part's limit, the definitions
        all chunks carry into the document's one part must be too (limits.MAX_ELEMENTS)."""
        self.carried += sum(1 for _ in el.iter())
        if self.carried > limits.MAX_ELEMENTS:
            raise UserError(f"{self.label}: các phần nội dung nhúng (altChunk) đưa vào văn bản kiểu định dạng "
                            f"và danh sách đánh số hơn {number_vi(limits.MAX_ELEMENTS)} thẻ XML; quá lớn để "
                            "đọc, không đọc")
        return copy.deepcopy(el)

    def tree(self, name: str) -> _Element:
        """The part parsed; one that does not parse is said by its name, in the package's words (a
        chunk's part after the chunk's own name: the outer file's name alone says nothing of it)."""
        from lxml import etree

        if name not in self.trees:
            try:
                self.trees[name] = parse_xml(self.members[name])
            except (etree.XMLSyntaxError, ValueError) as exc:
                raise UserError(f"{self.label}: phần {name} bị hỏng, không đọc được ({_reason(exc)}); "
                                f"{RESAVE}") from None
        return self.trees[name]

    def _main(self) -> str:
        if "_rels/.rels" in self.members:
            for rel in self.tree("_rels/.rels").iter(f"{_REL_NS}Relationship"):
                if rel.get("Type") == _MAIN and (rel.get("TargetMode") or "").lower() != "external":
                    return target_of("", rel.get("Target") or "")
        return "word/document.xml"

    def rels(self, owner: str) -> _Element:
        name = rels_of(owner)
        if name not in self.members:
            self.members[name] = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
                                  b'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>')
        return self.tree(name)

    def owners(self) -> list[str]:
        """The main document and the parts of its own that hold block content, as the body does: its
        headers and footers, footnotes, endnotes and comments (ECMA-376 17.17.2.1: w:altChunk is
        block content, allowed wherever a paragraph is: the body, a cell, a block content control
        or custom XML, a header or footer, a note, a comment). Word imports a chunk in each."""
        out = [self.main]
        if rels_of(self.main) in self.members:
            for rel in self.rels(self.main).iter(f"{_REL_NS}Relationship"):
                if (rel.get("Type") or "").rsplit("/", 1)[-1] in _BLOCK_PARTS and (
                        rel.get("TargetMode") or "").lower() != "external":
                    part = target_of(self.main, rel.get("Target") or "")
                    if part in self.members and part not in out:
                        out.append(part)
        return out

    def chunks_of(self, owner: str, *, judge: bool = True) -> list[_Chunk]:
        """The chunks of one part, each with its bytes and kind; a chunk naming no part is no chunk
        (Word shows nothing there) and goes; one pointing outside the file is refused."""
        root = self.tree(owner)
        found = list(root.iter(f"{_W}altChunk"))
        if not judge:
            return [_Chunk(el, owner, "", b"", "") for el in found]
        by_id = {rel.get("Id"): rel for rel in self.rels(owner).iter(f"{_REL_NS}Relationship")}
        out = []
        for el in found:
            rel = by_id.get(el.get(f"{{{_R_NS}}}id"))
            if rel is not None and (rel.get("TargetMode") or "").lower() == "external":
                raise UserError(f"{self.label}: {_what('')} trỏ ra ngoài tệp ({(rel.get('Target') or '')[:120]}); "
                                "kehoach không tải gì từ ngoài tệp, không đọc; hãy mở bằng Word rồi Lưu thành "
                                "(Save As) kiểu “Word Document (*.docx)” trên máy tin cậy")
            part = target_of(owner, rel.get("Target") or "") if rel is not None else ""
            if rel is None or part not in self.members:
                _remove(el)
                continue
            ctype = self.types_declared(part).split(";", 1)[0].strip().lower()
            blob = self.members[part]
            out.append(_Chunk(el, owner, part, blob, *_kind(ctype, blob)))
        return out

    # --- splicing ----------------------------------------------------------------------------------

    def splice(self, chunk: _Chunk, n: int) -> None:
        """The chunk's blocks in the place of its w:altChunk, with the styles, lists and parts they need."""
        if chunk.kind == "text":
            blocks = _text_blocks(chunk.data)
        else:
            assert chunk.docx is not None
            # Word keeps a chunk's own formatting when it says so (w:matchSrc); a page, an RTF… is
            # formatted by what it says (Word's import of it), so its converted styles are its own.
            match = chunk.element.find(f"{_W}altChunkPr/{_W}matchSrc")
            own = chunk.converted is not None or (match is not None and match.get(f"{_W}val", "1") not in _OFF)
            blocks = self._docx_blocks(chunk.docx, chunk, n, own)
        el = chunk.element
        parent = el.getparent()
        for block in blocks:
            el.addprevious(block)
        _remove(el)
        # A cell ends with a paragraph (Word's rule): a chunk ending in a table, or empty, gets one.
        if parent is not None and parent.tag == f"{_W}tc" and (len(parent) == 0 or parent[-1].tag != f"{_W}p"):
            parent.append(parent.makeelement(f"{_W}p", {}))
        self._forget(chunk)

    def _forget(self, chunk: _Chunk) -> None:
        """The chunk's relationship and part go: the package read holds what Word shows."""
        rid = chunk.element.get(f"{{{_R_NS}}}id")
        for rel in list(self.rels(chunk.owner).iter(f"{_REL_NS}Relationship")):
            if rel.get("Id") == rid:
                _remove(rel)
        if chunk.part and not any(
                c.get(f"{{{_R_NS}}}id") == rid for c in self.tree(chunk.owner).iter(f"{_W}altChunk")):
            self.gone.add(chunk.part)

    def _docx_blocks(self, docx: bytes, chunk: _Chunk, n: int, own: bool) -> list[_Element]:
        owner = chunk.owner
        with zipfile.ZipFile(io.BytesIO(docx)) as zf:
            inner = _Package({i.filename: zf.read(i) for i in zf.infolist() if not i.is_dir()},
                             f"{self.label}: {_what(chunk.part)}")
        body = inner.tree(inner.main).find(f"{_W}body")
        if body is None:
            return []
        blocks = [copy.deepcopy(b) for b in body if b.tag != f"{_W}sectPr"]
        for block in blocks:
            for el in list(block.iter(*_NOTE_MARKS)):
                _remove(el)
            # A section break of the chunk keeps its page, not the chunk's headers and footers.
            for sect in block.iter(f"{_W}sectPr"):
                for ref in sect.findall(f"{_W}headerReference") + sect.findall(f"{_W}footerReference"):
                    _remove(ref)
        carried = self._carry_styles(inner, blocks, n, own)
        self._carry_numbering(inner, [*blocks, *carried])
        self._carry_parts(inner, blocks, owner, n)
        return blocks

    def _carry_styles(self, inner: _Package, blocks: list[_Element], n: int, own: bool) -> list[_Element]:
        """The styles the blocks use, with their basedOn chains, carried under new ids (the chunk's
        document defaults the root of its paragraph styles); the styles carried. Unless the chunk
        keeps its own formatting (own), a style the document has by the same name is the document's,
        as Word imports a .docx chunk ("use destination styles")."""
        styles_name = inner.part_of(inner.main, "styles")
        if styles_name is None:
            return []
        source = inner.tree(styles_name)
        by_id = {st.get(f"{_W}styleId"): st for st in source.findall(f"{_W}style")}
        defaults = {st.get(f"{_W}type"): st.get(f"{_W}styleId") for st in by_id.values()
                    if st.get(f"{_W}default") in ("1", "true", "on")}
        target = self.styles()
        # The ids given to the chunk's styles are used by no style of the document nor of the chunk:
        # a document that already has "Chunk1Defaults" keeps its own style, and the chunk its own.
        taken = {st.get(f"{_W}styleId") or "" for st in target.findall(f"{_W}style")} | {k or "" for k in by_id}
        root_id = _unused(f"Chunk{n}Defaults", taken)
        # Paragraphs and tables with no style take the chunk's default one, named: in the outer
        # document "no style" would mean its own default.
        for block in blocks:
            for p in block.iter(f"{_W}p"):
                if p.find(f"{_W}pPr/{_W}pStyle") is None:
                    _set_first(p, "pPr", "pStyle", defaults.get("paragraph") or root_id)
            for tbl in block.iter(f"{_W}tbl"):
                table_default = defaults.get("table")
                if tbl.find(f"{_W}tblPr/{_W}tblStyle") is None and table_default:
                    _set_first(tbl, "tblPr", "tblStyle", table_default)
        theirs = {} if own else {_style_key(st): st.get(f"{_W}styleId") or "" for st in target.findall(f"{_W}style")}
        rename: dict[str, str] = {}
        used: list[str] = []  # the chunk's styles carried over
        todo = [el.get(f"{_W}val") or "" for block in blocks
                for el in block.iter(f"{_W}pStyle", f"{_W}rStyle", f"{_W}tblStyle")]
        while todo:
            sid = todo.pop()
            if sid in rename or sid not in by_id:
                continue
            same = theirs.get(_style_key(by_id[sid]))
            if same is not None:
                rename[sid] = same
                continue
            rename[sid] = _unused(f"Chunk{n}{re.sub(r'[^A-Za-z0-9]', '', sid)}{len(rename)}", taken)
            used.append(sid)
            todo += [el.get(f"{_W}val") or "" for el in by_id[sid].iter(f"{_W}basedOn", f"{_W}link", f"{_W}pStyle")]
        # Each chunk carries up to a file's styles: counted with the document's before they are
        # copied, as the spliced styles part will be (package.inspect_package), not after hundreds
        # of chunks have each copied theirs.
        if len(target.findall(f"{_W}style")) + len(used) + 1 > limits.MAX_STYLES:
            raise UserError(f"{self.label}: các phần nội dung nhúng (altChunk) đưa vào văn bản hơn "
                            f"{number_vi(limits.MAX_STYLES)} kiểu định dạng; tệp không bình thường, không đọc")
        for block in blocks:
            for el in block.iter(f"{_W}pStyle", f"{_W}rStyle", f"{_W}tblStyle"):
                val = el.get(f"{_W}val") or ""
                if val in rename or val == root_id:
                    el.set(f"{_W}val", rename.get(val, val))
                else:  # a style the chunk does not define: Word falls back to its default
                    _remove(el)
        doc_defaults = source.find(f"{_W}docDefaults")
        root = target.makeelement(f"{_W}style", {f"{_W}type": "paragraph", f"{_W}styleId": root_id})
        root.append(target.makeelement(f"{_W}name", {f"{_W}val": f"Chunk {n} defaults"}))
        for tag in ("pPr", "rPr"):
            found = doc_defaults.find(f"{_W}{tag}Default/{_W}{tag}") if doc_defaults is not None else None
            if found is not None:
                root.append(copy.deepcopy(found))
        target.append(root)
        carried = [root]
        for sid in used:
            st = self._copied(by_id[sid])
            st.set(f"{_W}styleId", rename[sid])
            st.attrib.pop(f"{_W}default", None)
            for el in list(st.iter(f"{_W}basedOn", f"{_W}link", f"{_W}next", f"{_W}pStyle")):
                val = el.get(f"{_W}val") or ""
                if val in rename:
                    el.set(f"{_W}val", rename[val])
                else:
                    _remove(el)
            if st.find(f"{_W}basedOn") is None and st.get(f"{_W}type") == "paragraph":
                based = st.makeelement(f"{_W}basedOn", {f"{_W}val": root_id})
                name = st.find(f"{_W}name")
                (name.addnext(based) if name is not None else st.insert(0, based))
            target.append(st)
            carried.append(st)
        return carried

    def _carry_numbering(self, inner: _Package, elements: list[_Element]) -> None:
        """The chunk's lists under numbers the outer document does not use, in its blocks and in the
        styles just carried (a heading style may number its paragraphs)."""
        numbering_name = inner.part_of(inner.main, "numbering")
        refs = [el for where in elements for el in where.iter(f"{_W}numId")]
        if numbering_name is None or not refs:
            return
        source = inner.tree(numbering_name)
        nums = {el.get(f"{_W}numId"): el for el in source.findall(f"{_W}num")}
        abstracts = {el.get(f"{_W}abstractNumId"): el for el in source.findall(f"{_W}abstractNum")}
        target = self.numbering()
        next_num, next_abstract = self._num_ids(target)
        renumbered: dict[str, str] = {}
        abstract_renumbered: dict[str, str] = {}
        for ref in refs:
            old = ref.get(f"{_W}val") or ""
            if old == "0":
                continue
            if old not in renumbered:
                num = nums.get(old)
                link = num.find(f"{_W}abstractNumId") if num is not None else None
                abstract = abstracts.get(link.get(f"{_W}val")) if link is not None else None
                if num is None or link is None or abstract is None:
                    renumbered[old] = "0"  # a list the chunk does not define: no number, as in Word
                else:
                    old_abstract = link.get(f"{_W}val") or ""
                    if old_abstract not in abstract_renumbered:
                        abstract_renumbered[old_abstract] = str(next_abstract)
                        new_abstract = self._copied(abstract)
                        new_abstract.set(f"{_W}abstractNumId", str(next_abstract))
                        for el in list(new_abstract.iter(f"{_W}numStyleLink", f"{_W}styleLink", f"{_W}nsid")):
                            _remove(el)
                        first_num = target.find(f"{_W}num")
                        (first_num.addprevious(new_abstract) if first_num is not None else target.append(new_abstract))
                        next_abstract += 1
                    new_num = self._copied(num)
                    new_num.set(f"{_W}numId", str(next_num))
                    new_link = new_num.find(f"{_W}abstractNumId")
                    if new_link is not None:
                        new_link.set(f"{_W}val", abstract_renumbered[old_abstract])
                    target.append(new_num)
                    renumbered[old] = str(next_num)
                    next_num += 1
            ref.set(f"{_W}val", renumbered[old])
        self.num_ids = (next_num, next_abstract)

    def _num_ids(self, target: _Element) -> tuple[int, int]:
        if self.num_ids is None:
            def top(tag: str, attr: str) -> int:
                values = [int(v) for el in target.findall(f"{_W}{tag}") if (v := el.get(f"{_W}{attr}", "")).isdigit()]
                return max(values, default=0) + 1
            self.num_ids = (top("num", "numId"), top("abstractNum", "abstractNumId"))
        return self.num_ids

    def _carry_parts(self, inner: _Package, blocks: list[_Element], owner: str, n: int) -> None:
        """The parts the blocks name (pictures, a chart, hyperlinks' addresses) under relationships
        of the part the chunk stood in."""
        rid_attrs = [(el, name) for block in blocks for el in block.iter()
                     for name in el.attrib if name.startswith(f"{{{_R_NS}}}")]
        if not rid_attrs:
            return
        inner_rels = {rel.get("Id"): rel for rel in inner.rels(inner.main).iter(f"{_REL_NS}Relationship")}
        rels = self.rels(owner)
        # New relationship ids and part names are ones the package does not use: an id the document
        # already gives its header (or a part it has) stays its own, not the chunk's picture.
        rel_ids = {rel.get("Id") or "" for rel in rels.iter(f"{_REL_NS}Relationship")}
        new_ids: dict[str, str] = {}
        for el, name in rid_attrs:
            old = el.get(name) or ""
            if old not in new_ids:
                rel = inner_rels.get(old)
                if rel is None:
                    new_ids[old] = ""
                else:
                    new_id = _unused(f"rIdChunk{n}x{len(new_ids)}", rel_ids)
                    attrs = {"Id": new_id, "Type": rel.get("Type") or ""}
                    if (rel.get("TargetMode") or "").lower() == "external":
                        attrs.update(Target=rel.get("Target") or "", TargetMode="External")
                    else:
                        part = target_of(inner.main, rel.get("Target") or "")
                        if part not in inner.members:
                            new_ids[old] = ""
                            continue
                        # Named by its whole path in the chunk: two pictures of one name in two
                        # folders are two parts.
                        moved = _unused(f"word/chunk{n}/{part}", self.members)
                        self.members[moved] = inner.members[part]
                        self._declare(moved, inner.types_declared(part) or "application/octet-stream")
                        attrs["Target"] = posixpath.relpath(moved, posixpath.dirname(owner))
                    rels.append(rels.makeelement(f"{_REL_NS}Relationship", attrs))
                    new_ids[old] = new_id
            if new_ids[old]:
                el.set(name, new_ids[old])
            else:
                del el.attrib[name]

    # --- the outer package's shared parts ------------------------------------------------------

    def part_of(self, owner: str, kind: str) -> str | None:
        if rels_of(owner) not in self.members:
            return None
        for rel in self.rels(owner).iter(f"{_REL_NS}Relationship"):
            if rel.get("Type") == _DOC + kind and (rel.get("TargetMode") or "").lower() != "external":
                part = target_of(owner, rel.get("Target") or "")
                if part in self.members:
                    return part
        return None

    def _shared(self, kind: str, root_tag: str) -> _Element:
        """The outer document's styles or numbering part, made when it has none."""
        name = self.part_of(self.main, kind)
        if name is None:
            name = _unused(f"word/{kind}.xml", self.members)
            self.members[name] = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:{root_tag} '
                                  f'xmlns:w="{_W_NS}"/>').encode()
            rels = self.rels(self.main)
            rels.append(rels.makeelement(f"{_REL_NS}Relationship", {
                "Id": _unused(f"rIdChunk{kind}", {r.get("Id") or "" for r in rels.iter(f"{_REL_NS}Relationship")}),
                "Type": _DOC + kind,
                "Target": posixpath.relpath(name, posixpath.dirname(self.main))}))
            self._declare(name, f"{_WML}{kind}+xml")
        return self.tree(name)

    def styles(self) -> _Element:
        return self._shared("styles", "styles")

    def numbering(self) -> _Element:
        return self._shared("numbering", "numbering")

    def _declare(self, name: str, ctype: str) -> None:
        types = self.tree(CONTENT_TYPES)
        types.append(types.makeelement(f"{_CT_NS}Override", {"PartName": "/" + name, "ContentType": ctype}))

    def write_back(self) -> None:
        from lxml import etree

        for name in self.gone:
            self.members.pop(name, None)
        if CONTENT_TYPES in self.trees and self.gone:
            gone = {"/" + name.lower() for name in self.gone}
            types = self.trees[CONTENT_TYPES]
            for el in list(types.findall(f"{_CT_NS}Override")):
                if (el.get("PartName") or "").lower() in gone:
                    _remove(el)
        for name, root in self.trees.items():
            self.members[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _style_key(st: _Element) -> tuple[str, str]:
    """A style as Word matches a chunk's with the document's: its kind and its name, case aside."""
    name = st.find(f"{_W}name")
    named = name.get(f"{_W}val") if name is not None else None
    return st.get(f"{_W}type") or "paragraph", (named or st.get(f"{_W}styleId") or "").strip().lower()


def _kind(ctype: str, blob: bytes) -> tuple[str, Kind | None]:
    """How a chunk is read, by its content type as Word reads it; by its bytes when the type says
    nothing (a generic or unknown type): "docx", "text", or "soffice" with the kind when known."""
    from . import formats

    if ctype in _DOCX_TYPES:
        return "docx", None
    if ctype in _HTML_TYPES:
        return "soffice", formats.HTML
    if ctype in _MHT_TYPES:
        return "soffice", formats.MHT
    if ctype in _RTF_TYPES:
        # Told by its bytes all the same: LibreOffice opens an RTF with no filter named (formats.RTF)
        # and reads what it is given as what it looks like, so a page typed RTF would be opened as a
        # page that no one made safe (fetching what it names); formats.kind_of says RTF for an RTF.
        return "soffice", None
    if ctype in _TEXT_TYPES:
        return "text", None
    if blob.startswith(b"PK") and b"word/" in blob[:4096]:
        return "docx", None
    return "soffice", None  # told by its bytes (formats.kind_of) when the chunks are read


_LINES = re.compile(r"\r\n|\r|\n")


def _text_of(data: bytes) -> str:
    """A text chunk's lines as Word reads them: its byte-order mark or UTF-16 (told by where its
    zero bytes stand, webdoc.text_encoding), else UTF-8, else Windows-1252; control characters XML
    cannot hold dropped, the last line's end too."""
    from .webdoc import text_encoding

    encoding, skip = text_encoding(data)
    body = data[skip:]
    if encoding and encoding.startswith("utf-16"):
        # Told UTF-16 by its bytes: a stray byte at its end (a text cut or padded) is no character,
        # and the rest is still UTF-16, not Windows-1252.
        body = body[:len(body) // 2 * 2]
    try:
        text = body.decode(encoding or "utf-8", "replace" if encoding else "strict")
    except UnicodeDecodeError:
        text = body.decode("cp1252", "replace")
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", text).rstrip("\r\n")


def _text_blocks(data: bytes) -> list[_Element]:
    """Plain text as Word imports it: one paragraph a line, tabs kept, in the document's own style."""
    from lxml import etree

    out = []
    for line in _LINES.split(_text_of(data)):
        p = etree.Element(f"{_W}p", nsmap={"w": _W_NS})
        for k, piece in enumerate(line.split("\t")):
            r = etree.SubElement(p, f"{_W}r")
            if k:
                etree.SubElement(r, f"{_W}tab")
            t = etree.SubElement(r, f"{_W}t")
            t.text = piece
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        out.append(p)
    return out


def _unused(name: str, taken: set[str] | dict[str, bytes]) -> str:
    """name, or name with a number added, used by nothing in taken (compared without case, as Word
    compares part names and style ids); added to taken when it is a set."""
    lower = {t.lower() for t in taken}
    out, k = name, 1
    while out.lower() in lower:
        k += 1
        stem, dot, ext = name.rpartition(".") if "/" in name and "." in posixpath.basename(name) else (name, "", "")
        out = f"{stem}-{k}{dot}{ext}"
    if isinstance(taken, set):
        taken.add(out)
    return out


def _set_first(el: _Element, props: str, child: str, value: str) -> None:
    """el's props element (made first when missing) with child set to value, as its first child."""
    pr = el.find(f"{_W}{props}")
    if pr is None:
        pr = el.makeelement(f"{_W}{props}", {})
        el.insert(0, pr)
    pr.insert(0, pr.makeelement(f"{_W}{child}", {f"{_W}val": value}))


def _remove(el: _Element) -> None:
    parent = el.getparent()
    if parent is not None:
        parent.remove(el)
