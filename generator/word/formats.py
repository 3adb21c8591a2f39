"""Plans kept as .doc (Word 97-2003), .odt (LibreOffice), .rtf, or as the web pages and XML Word opens
as its own (HTML, MHTML, Word 2003 XML: word/webdoc.py), read as Word and LibreOffice show them:
LibreOffice headless converts them to a .docx that the one reader (word/reader.py) then reads as
any other. (A .docx saved as Strict Open XML needs no conversion: word/strict.py renames it; nor
does Word's Flat OPC XML, whose parts word/flat_opc.py puts back into the .docx they are.)

- The kind is told by content, never by the file's name: OLE2's magic with a WordDocument stream
  (.doc), an ODF zip whose mimetype is a text document (.odt), "{\\rtf" (.rtf), a page, a MIME
  multipart/related header or Word's XML root at the start of a text (webdoc.sniff).
- Judged before LibreOffice starts: the size (read_bounded, limits.MAX_DOCX_BYTES), a .doc's
  encryption flag and the structure that leads to it, an .odt's zip directory (bombs) and XML
  (no DTD), its encryption; nothing of an .rtf past its first bytes (LibreOffice reads the rest);
  no DTD in the XML kinds. A page or Word 2003 XML is written again without any reference to
  what is outside the file before LibreOffice opens it (webdoc.safe_page, webdoc.safe_word_2003):
  LibreOffice fetches a page's stylesheets and images while it loads it.
  LibreOffice then runs with a throw-away profile that runs no macro (word/soffice.py) within
  CONVERT_SECONDS, killed past it, and within limits.SOFFICE_MEMORY of address space.
- What LibreOffice made is read as a .docx the user gives: its size (limits.MAX_DOCX_BYTES) and the
  package inspection (zip bomb, part sizes, counts, DTD) before the reader parses it, and the
  import's paragraph budget (paragraphs below). An .rtf's or .odt's own paragraphs are counted in
  its bytes first, so a runaway one is refused before LibreOffice spends minutes on it.
- The file LibreOffice opens is a copy in a private temporary folder (LibreOffice writes a lock
  file beside what it opens): nothing is written beside the user's file, and the folder is
  removed when the conversion ends, whatever happened.
"""

from __future__ import annotations

import copy
import hashlib
import io
import re
import shutil
import struct
import threading
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import limits
from ..errors import UserError
from . import webdoc
from .package import central_directory_ok, check_members, declares_dtd, read_bounded
from .soffice import INSTALL_COMMAND, log_tail, memory_words, private_workdir, run_soffice, soffice_or_none

CONVERT_SECONDS = float(limits.READ_SECONDS)
"""A conversion may take the whole read budget of `check` and `import`, never more (a real plan
converts in one to three seconds)."""


@dataclass(frozen=True)
class Kind:
    """A format the reader reads through a conversion: LibreOffice's, or for Flat OPC the parts put
    back into their .docx (by_soffice False)."""

    key: str  # "doc" | "odt" | "rtf" | webdoc's kinds
    what: str  # in the user's words
    suffix: str  # of the private copy LibreOffice opens
    names: tuple[str, ...] = ()
    """The suffixes a file of this kind is honestly named with: another Word suffix makes the note
    say the name lies (converted_note)."""
    infilter: str | None = None
    """The LibreOffice import filter, when its own detection would choose another (a page would
    open in Writer/Web, which lays it out as a browser, not on the printed page)."""
    by_soffice: bool = True
    """False for what is read without LibreOffice (Flat OPC, put back into its .docx)."""
    marks_lost: bool = False
    """LibreOffice's .docx of this kind leaves a paragraph mark's run properties empty when the
    paragraph's text is in runs of their own, so a list number, drawn in the mark's formatting,
    prints in the style's ("1." 12 pt regular before a bold 14 pt "Mục đích") where the source
    printed it in its own (measured with LibreOffice 7.4: the .doc prints "1." bold 14 pt, the
    .docx made of it 12 pt regular; a one-run paragraph keeps its mark). The reader then draws
    the number in the formatting the paragraph's whole text shares (reader.number_format)."""


DOC = Kind("doc", "tệp .doc cũ (Word 97-2003)", ".doc", (".doc", ".dot"), marks_lost=True)
ODT = Kind("odt", "văn bản OpenDocument .odt (LibreOffice)", ".odt", (".odt", ".ott"))
RTF = Kind("rtf", "tệp RTF", ".rtf", (".rtf",))
HTML = Kind(webdoc.HTML, "trang web (HTML) mà Word mở như văn bản", ".html", (".htm", ".html", ".xhtml"),
            infilter="HTML (StarWriter)")
MHT = Kind(webdoc.MHT, "trang web một tệp (MHTML) mà Word mở như văn bản", ".html", (".mht", ".mhtml"),
           infilter="HTML (StarWriter)")
WORD_2003 = Kind(webdoc.WORD_2003, "tệp Word 2003 XML", ".xml", (".xml",), infilter="MS Word 2003 XML")
FLAT_OPC = Kind(webdoc.FLAT_OPC, "tệp Word XML (Flat OPC)", ".xml", (".xml",), by_soffice=False)
KINDS = (DOC, ODT, RTF, HTML, MHT, WORD_2003, FLAT_OPC)
_WEB = {k.key: k for k in (HTML, MHT, WORD_2003, FLAT_OPC)}
_WORD_NAMES = frozenset({".doc", ".docx", ".docm", ".dot", ".dotx", ".odt", ".ott", ".rtf", ".htm", ".html",
                         ".mht", ".mhtml", ".xml", ".xhtml"})
"""Suffixes that name a Word-like kind: a file named with one it is not gets "(dù tên tệp có đuôi …)"."""

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODF_TEXT = ("application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.text-template")
_RESAVE = "hãy mở bằng Word (hoặc LibreOffice) rồi Lưu thành (Save As) kiểu “Word Document (*.docx)”"


@dataclass
class Converted:
    """A file as the reader reads it: the .docx bytes and, when LibreOffice made them, from what."""

    data: bytes
    kind: Kind | None = None


def readable(path: Path, label: str) -> Converted:
    """The user's file as .docx bytes: as it is when it is a (transitional) .docx or anything this
    module does not convert (the package inspection says what it is), else converted by
    LibreOffice. UserError (Vietnamese, naming the file) when it cannot be."""
    data = read_bounded(path, label, limits.MAX_DOCX_BYTES)  # the size limit, before anything else
    kind = kind_of(data, label)
    if kind is None:
        return Converted(data)
    if not kind.by_soffice:
        return Converted(_unpacked(data, label))
    return _converted(data, kind, label)


def _unpacked(data: bytes, label: str) -> bytes:
    """A Flat OPC file's .docx (the one kind read without LibreOffice)."""
    from .flat_opc import package_of

    return package_of(data, label)


_kept: tuple[bytes, Converted] | None = None
"""A conversion made to count the paragraphs of a file (paragraphs below), handed to the next
read of the same bytes and forgotten then: `import` counts the converted copy before the reader
reads it, and LibreOffice converts the file once, not twice. Used once, so a later read (another
LibreOffice, another memory limit) converts again."""
_kept_lock = threading.Lock()


def _converted(data: bytes, kind: Kind, label: str) -> Converted:
    global _kept
    digest = hashlib.sha256(data).digest()
    with _kept_lock:
        kept, _kept = _kept, None
    if kept is not None and kept[0] == digest:
        return kept[1]
    return Converted(convert(data, kind, label), kind)


def paragraphs(path: Path, label: str, *, enough: int | None = None) -> int:
    """Paragraphs the reader will read from the file (body, tables, headers, notes), counted in
    bytes before any XML is parsed: in the .docx package as inspect_package counts them, and for a
    .doc, .odt or .rtf in the .docx LibreOffice makes of it, exactly as in a .docx the user gives
    (that copy is kept for the next read of the file: converted once). When an .rtf's or .odt's own
    bytes already hold more than `enough`, that count is returned and LibreOffice never starts."""
    global _kept
    from .package import inspect_package

    data = read_bounded(path, label, limits.MAX_DOCX_BYTES)
    kind = kind_of(data, label)
    if kind is None:
        return inspect_package(data, label, path=path).paragraphs
    if not kind.by_soffice:
        return inspect_package(_unpacked(data, label), label).paragraphs
    own = source_paragraphs(data, kind, label)
    if enough is not None and own > enough:
        return own
    made = _converted(data, kind, label)
    count = inspect_package(made.data, label).paragraphs
    if enough is None or count <= enough:  # to be read next: kept for that read
        with _kept_lock:
            _kept = (hashlib.sha256(data).digest(), made)
    return count


_RTF_BREAKS = re.compile(rb"\\(?:par|cell)(?![A-Za-z])")
_ODF_PARAS = re.compile(rb"<text:[ph][\s/>]")


def source_paragraphs(data: bytes, kind: Kind, label: str = "tệp") -> int:
    """Paragraphs of an .rtf (\\par, and \\cell: each cell is a paragraph of the .docx), an .odt
    (text:p and text:h of its content and styles), a page or a Word 2003 XML (webdoc), counted in
    the file's bytes: what LibreOffice will make paragraphs of. 0 for a .doc, whose text sits
    behind its piece table: its converted copy is counted."""
    if kind.key in _WEB:
        return webdoc.source_paragraphs(data, kind.key, label)
    if kind is RTF:
        return len(_RTF_BREAKS.findall(data))
    if kind is ODT:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:  # judged by _zip_kind before (bombs, DTD)
            names = set(zf.namelist())
            return sum(len(_ODF_PARAS.findall(zf.read(name))) for name in ("content.xml", "styles.xml")
                       if name in names)
    return 0


def kind_of(data: bytes, label: str) -> Kind | None:
    """Which format must be converted, by content; None for what the reader opens itself.
    UserError for a .doc or .odt that no conversion can read (encrypted, broken, not text), and for
    Word XML that declares a DTD (entities: never written by Word)."""
    if data.startswith(_OLE):
        return DOC if _word_stream(data, label) else None
    if data.startswith(b"{\\rtf"):
        return RTF
    if data.startswith(b"PK"):
        return _zip_kind(data, label)
    key = webdoc.sniff(data)
    if key is None:
        return None
    kind = _WEB[key]
    if key in (webdoc.WORD_2003, webdoc.FLAT_OPC) and declares_dtd(data):
        raise UserError(f"{label}: {kind.what} có khai báo DTD/thực thể XML (<!DOCTYPE>), điều Word không bao "
                        "giờ ghi; tệp có thể độc hại, không đọc")
    return kind


# --- .doc: the OLE2 compound file, read only as far as the Word stream's first bytes ---------------

_FREE_SECT = 0xFFFFFFFF
_END_OF_CHAIN = 0xFFFFFFFE
_MAX_SECT = 0xFFFFFFFA
_DIR_ENTRY = 128
_FIB_IDENTS = (0xA5EC, 0xA5DC)  # Word 97 and later; Word 6/95
_F_ENCRYPTED, _F_OBFUSCATED = 0x0100, 0x8000


class _Broken(Exception):
    """The compound file's structure does not hold together."""


def _word_stream(data: bytes, label: str) -> bool:
    """Whether an OLE2 file is a Word document LibreOffice can convert: True, or False when it is
    another OLE2 file (an encrypted .docx, a spreadsheet) left to the package inspection's
    message. UserError for an encrypted or broken .doc."""
    if "EncryptedPackage".encode("utf-16-le") in data:
        return False  # a password-protected .docx/.xlsx: package.py says how to remove it
    try:
        fib = _fib(data)
    except (_Broken, struct.error, IndexError):
        raise UserError(f"{label}: {DOC.what} bị hỏng: cấu trúc tệp không đọc được nên không "
                        f"chuyển được; {_RESAVE} nếu Word mở được tệp") from None
    if fib is None:
        raise UserError(f"{label}: tệp Office cũ nhưng không phải văn bản Word (có thể là bảng tính .xls "
                        "hay trình chiếu .ppt đã đổi tên); kehoach chỉ đọc văn bản Word")
    ident, flags = struct.unpack_from("<H8xH", fib)
    if ident not in _FIB_IDENTS:
        raise UserError(f"{label}: {DOC.what} bị hỏng: phần văn bản không có dấu hiệu của Word "
                        f"nên không chuyển được; {_RESAVE} nếu Word mở được tệp")
    if flags & (_F_ENCRYPTED | _F_OBFUSCATED):
        raise UserError(f"{label}: tệp .doc được đặt mật khẩu (mã hóa), không đọc được; hãy mở bằng Word, "
                        "vào Tệp → Thông tin → Bảo vệ tài liệu → Mã hóa bằng mật khẩu, xóa mật khẩu rồi "
                        "Lưu thành kiểu “Word Document (*.docx)”")
    return True


def _fib(data: bytes) -> bytes | None:
    """The first 32 bytes of the WordDocument stream (Word's File Information Block), or None when
    the compound file has no such stream. Every chain is bounded by the file's sector count."""
    if len(data) < 512 or data[0x1C:0x1E] != b"\xfe\xff":
        raise _Broken
    shift = struct.unpack_from("<H", data, 0x1E)[0]
    if shift not in (9, 12):
        raise _Broken
    size = 1 << shift
    sectors = (len(data) - size) // size  # sector n starts at (n + 1) * size; the header fills sector -1
    fat_count, first_dir = struct.unpack_from("<II", data, 0x2C)
    cutoff, _first_mini, _mini_count, first_difat, difat_count = struct.unpack_from("<IIIII", data, 0x38)

    def sector(n: int) -> bytes:
        if n >= sectors:
            raise _Broken
        return data[(n + 1) * size:(n + 2) * size]

    # The table's sectors are listed (at most one per sector of the file: a crafted DIFAT chain
    # stops there), the table itself is never built: each step of the directory chain reads its
    # one entry, so memory stays a fraction of the file's size whatever the header claims.
    per = size // 4
    fat_sectors = [n for n in struct.unpack_from("<109I", data, 0x4C) if n <= _MAX_SECT]
    n, seen = first_difat, 0
    while n <= _MAX_SECT and seen < min(difat_count, sectors) and len(fat_sectors) <= sectors:
        entries = struct.unpack(f"<{per}I", sector(n))
        fat_sectors += [e for e in entries[:-1] if e <= _MAX_SECT]
        n, seen = entries[-1], seen + 1
    if not fat_sectors or len(fat_sectors) > sectors or fat_count > sectors:
        raise _Broken

    def next_of(n: int) -> int:
        if n // per >= len(fat_sectors):
            raise _Broken  # a sector past the table
        return int(struct.unpack_from("<I", sector(fat_sectors[n // per]), (n % per) * 4)[0])

    n, steps = first_dir, 0
    while n <= _MAX_SECT:
        if steps > sectors:
            raise _Broken  # a loop in the chain
        block = sector(n)
        for at in range(0, size, _DIR_ENTRY):
            entry = block[at:at + _DIR_ENTRY]
            name_len = struct.unpack_from("<H", entry, 0x40)[0]
            name = entry[:max(0, min(name_len, 64) - 2)].decode("utf-16-le", "replace")
            if entry[0x42] == 2 and name == "WordDocument":
                start, length = struct.unpack_from("<II", entry, 0x74)
                if length < 32:
                    raise _Broken
                if length < cutoff:
                    # In the mini stream (a Word stream is never this small in practice): not
                    # judged here; LibreOffice says whether it can read it.
                    return b"\xec\xa5" + b"\0" * 30
                return sector(start)[:32]
        n, steps = next_of(n), steps + 1
    if n not in (_END_OF_CHAIN, _FREE_SECT):
        raise _Broken
    return None


# --- zip: an OpenDocument text ----------------------------------------------------------------------

def _zip_kind(data: bytes, label: str) -> Kind | None:
    if not central_directory_ok(data):
        return None  # too many entries to even list: the package inspection refuses it
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        return None  # the package inspection says what is wrong
    if len(infos) > limits.MAX_MEMBERS:
        return None
    names = {i.filename for i in infos}
    try:
        if "mimetype" in names and "content.xml" in names:
            return _odf_kind(zf, infos, label)
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError, RuntimeError):
        raise UserError(f"{label}: tệp nén bị hỏng, không đọc được; {_RESAVE}") from None
    return None


def _odf_kind(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], label: str) -> Kind:
    check_members(infos, label, app="LibreOffice")  # bombs and encrypted entries, from the directory
    mimetype = zf.read("mimetype")[:200].decode("ascii", "replace").strip()
    if mimetype not in _ODF_TEXT:
        raise UserError(f"{label}: tệp OpenDocument loại “{mimetype}”, không phải văn bản (.odt); kehoach "
                        "chỉ đọc văn bản")
    for item in infos:
        if not item.filename.lower().endswith((".xml", ".rdf")):
            continue
        blob = zf.read(item)
        if declares_dtd(blob):
            raise UserError(f"{label}: phần {item.filename} có khai báo DTD/thực thể XML (<!DOCTYPE>), điều "
                            "LibreOffice không bao giờ ghi; tệp có thể độc hại, không đọc")
        if item.filename == "META-INF/manifest.xml" and b"encryption-data" in blob:
            raise UserError(f"{label}: văn bản .odt được đặt mật khẩu, không đọc được; hãy mở bằng "
                            "LibreOffice, bỏ mật khẩu (Tệp → Thuộc tính → Bảo mật) rồi lưu lại")
    return ODT


def converted_note(what: str, source: str, verb: str) -> str:
    """What the văn thư must know when LibreOffice converted the file (what: Kind.what), said once by
    `check` and `import` in the same words, verb saying what each did with the copy ("kiểm tra",
    "nhập"): every measurement (fonts, sizes, spacing, margins) comes from the converted copy."""
    # A .doc renamed .docx, a web page named .doc (often by a portal or a colleague): its name would
    # make the note read wrong.
    suffix = Path(source).suffix.lower()
    kind = next((k for k in KINDS if k.what == what), None)
    lies = suffix in _WORD_NAMES and kind is not None and suffix not in kind.names
    named = f" (dù tên tệp có đuôi {suffix})" if lies else ""
    return (f"đây là {what}{named}; kehoach đã chuyển sang .docx bằng LibreOffice (bản tạm, đã xóa, "
            f"không ghi gì cạnh tệp gốc) rồi {verb} bản chuyển đó, nên số đo (phông, cỡ chữ, khoảng cách, "
            "lề) là số đo trên bản chuyển như LibreOffice hiển thị; muốn kết quả sát nhất, hãy mở bằng Word "
            f"rồi lưu thành .docx và {verb} lại")


# --- the conversion ---------------------------------------------------------------------------------

def converter(kind: Kind, label: str) -> str:
    """The LibreOffice that converts a file of this kind, or UserError saying how to do without it
    (asked before a conversion starts, by convert and by the editor before it starts a process)."""
    exe = soffice_or_none()
    if exe is None:
        raise UserError(f"{label}: {kind.what}, không phải .docx; {_RESAVE}, hoặc cài LibreOffice để "
                        f"kehoach tự chuyển (sudo {INSTALL_COMMAND})")
    return exe


def convert(data: bytes, kind: Kind, label: str, *, soffice: str | None = None,
            timeout: float | None = None) -> bytes:
    """The file's bytes converted by LibreOffice headless to a transitional .docx, in a private
    temporary folder removed before returning. UserError when LibreOffice is not installed, fails
    or takes longer than timeout (ConversionError; CONVERT_SECONDS when not given)."""
    return convert_all([(data, kind)], label, soffice=soffice, timeout=timeout)[0]


def convert_all(files: list[tuple[bytes, Kind]], label: str, *, soffice: str | None = None,
                timeout: float | None = None) -> list[bytes]:
    """Each file (its bytes and kind) converted as convert does, in order, with one LibreOffice
    start for all the files that open with the same import filter: the pieces of one document (its
    embedded chunks, word/alt_chunks.py) cost one start, not one each. timeout is for each start."""
    if not files:
        return []
    exe = soffice or converter(files[0][1], label)
    made: list[bytes | None] = [None] * len(files)
    groups: dict[str | None, list[int]] = {}
    for i, (_, kind) in enumerate(files):
        groups.setdefault(kind.infilter, []).append(i)
    for infilter, indices in groups.items():
        # Named with our pid like LibreOffice's own work folder: a run killed with SIGKILL leaves the
        # user's copy behind, and the next run removes it (soffice.private_workdir).
        work = private_workdir()
        try:
            sources = []
            for i in indices:
                data, kind = files[i]
                source = work / (f"van-ban{kind.suffix}" if len(files) == 1 else f"van-ban-{i}{kind.suffix}")
                # What LibreOffice opens of a page or a Word 2003 XML: the file without its references to
                # anything outside it (webdoc), so nothing is fetched from the network nor read from disk.
                if kind in (HTML, MHT):
                    data = webdoc.safe_page(data, kind.key, label)
                elif kind is WORD_2003:
                    data = webdoc.safe_word_2003(data, label)
                source.write_bytes(data)
                sources.append(source)
            what = files[indices[0]][1].what
            out = work / "docx"
            out.mkdir()
            log = run_soffice(
                exe, sources, out, CONVERT_SECONDS if timeout is None else timeout,
                convert_to="docx:MS Word 2007 XML", infilter=infilter,
                timeout_message=_timeout_words(label, what), crash_message=_crash_words(label, what))
            for i, source in zip(indices, sources, strict=True):
                made[i] = _made(out / f"{source.stem}.docx", files[i][1], label, log)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return [tables_out_of_frames(docx, label) for docx in made if docx is not None]


def _timeout_words(label: str, what: str) -> Callable[[float], str]:
    return lambda s: (f"{label}: LibreOffice chuyển {what} sang .docx không xong sau {s:.0f} giây nên đã bị "
                      f"dừng; tệp quá phức tạp hoặc hỏng; {_RESAVE}")


def _crash_words(label: str, what: str) -> Callable[[str], str]:
    return lambda gb: (f"{label}: LibreOffice dừng giữa chừng khi chuyển {what} sang .docx: tệp cần quá {gb} bộ "
                       f"nhớ (giới hạn để một tệp lạ không chiếm hết máy) hoặc hỏng; chưa ghi tệp nào; {_RESAVE}")


def _made(made: Path, kind: Kind, label: str, log: str) -> bytes:
    """What LibreOffice wrote of one file, bounded as a .docx the user gives (limits.MAX_DOCX_BYTES:
    a small file can convert to a big one); UserError when it wrote nothing usable."""
    result = read_bounded(made, label, limits.MAX_DOCX_BYTES, too_big=(
        f"bản .docx LibreOffice chuyển từ {kind.what} này vượt cỡ kehoach đọc; {_RESAVE} rồi kiểm tra "
        "lại")) if made.is_file() else b""
    if not result.startswith(b"PK"):
        tail = log_tail(log)
        raise UserError(f"{label}: LibreOffice không chuyển được {kind.what} sang .docx (tệp hỏng, đặt mật "
                        "khẩu, không phải văn bản, hoặc cần quá "
                        f"{memory_words(limits.SOFFICE_MEMORY)} bộ nhớ); {_RESAVE}"
                        + (f" (LibreOffice báo: {tail})" if tail else ""))
    return result


# --- what LibreOffice changed, put back as Word has it -----------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"


def tables_out_of_frames(docx: bytes, label: str) -> bytes:
    """The converted .docx with each table LibreOffice put in a frame set back in the text flow.

    Why: Word's floating table (a table positioned with w:tblpPr, as many agencies set the header
    block of page 1) becomes a LibreOffice frame when a .doc is read, and LibreOffice writes that
    frame to .docx as a text box holding the table. Word lays a floating table out at the paragraph
    that follows it; the frame is anchored in that paragraph, so the table goes back just before it
    and the frame goes. Only frames that hold one table and nothing else with text are unwrapped.

    The shapes anchored in that table's cells (the lines drawn under its names and headings)
    go back into their cells too: a DrawingML text box cannot hold anchored shapes, so LibreOffice
    writes them out of the frame, into its anchor paragraph, at the offsets they had in their cell
    paragraph (Word would print them there, over the page's first lines), and keeps them in place
    only in the frame's VML copy (mc:Fallback). Each shape moves to the cell paragraph where that
    copy has it (_shapes_back).
    """
    from .package import inspect_package, parse_xml, zip_members

    inspect_package(docx, label)  # LibreOffice wrote it from the user's file: judged before parsing
    with zipfile.ZipFile(io.BytesIO(docx)) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    xml = members.get("word/document.xml")
    if xml is None or b"txbxContent" not in xml:
        return docx
    from lxml import etree

    root = parse_xml(xml)
    moved = 0
    for content in list(root.iter(f"{_W}txbxContent")):
        if content.getparent() is None or any(a.tag == f"{_MC}Fallback" for a in content.iterancestors()):
            continue
        tables = [c for c in content if c.tag == f"{_W}tbl"]
        rest = [c for c in content if c.tag != f"{_W}tbl"]
        if len(tables) != 1 or any("".join(c.itertext()).strip() for c in rest):
            continue
        run = next((a for a in content.iterancestors(f"{_W}r")), None)
        para = run.getparent() if run is not None else None
        if run is None or para is None or para.tag != f"{_W}p" or para.getparent() is None:
            continue
        holder = next(c for c in run if any(d is content for d in c.iter(f"{_W}txbxContent")))
        _shapes_back(holder, tables[0], para)
        para.addprevious(tables[0])
        run.remove(holder)
        moved += 1
    if not moved:
        return docx
    members["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return zip_members(members)


_V = "urn:schemas-microsoft-com:vml"


def _shape_key(el: Any) -> tuple:
    """A VML shape as a comparable value: its tag, attributes and those of everything in it (the two
    copies LibreOffice writes of one shape are equal, their places aside)."""
    return tuple((d.tag, tuple(sorted(d.attrib.items()))) for d in el.iter())


def _shapes_back(holder: Any, table: Any, anchor: Any) -> None:
    """The shapes of the frame's table that LibreOffice wrote into the frame's anchor paragraph
    (tables_out_of_frames) put back into the cell paragraphs where the frame's VML copy
    (holder's mc:Fallback) draws them. Nothing moves unless both copies of the table have the same
    rows, cells and paragraphs, and each shape is found once in the anchor paragraph."""
    from lxml import etree

    fallback = holder.find(f"{_MC}Fallback") if holder.tag == f"{_MC}AlternateContent" else None
    if fallback is None:
        return
    copies = [c for content in fallback.iter(f"{_W}txbxContent") for c in content if c.tag == f"{_W}tbl"]
    if len(copies) != 1 or _layout(copies[0]) != _layout(table):
        return
    # The shapes drawn in the anchor paragraph, by their VML copy (out of the frame itself).
    loose: dict[tuple, list[Any]] = {}
    for alt in anchor.iter(f"{_MC}AlternateContent"):
        # The anchor paragraph's own shapes: not the frame, nor anything inside another text box.
        if alt is holder or next(alt.iterancestors(f"{_W}p"), None) is not anchor:
            continue
        for fb in alt.findall(f"{_MC}Fallback"):
            for shape in fb.iter(f"{{{_V}}}line", f"{{{_V}}}shape", f"{{{_V}}}rect"):
                loose.setdefault(_shape_key(shape), []).append(alt)
    if not loose:
        return
    cells_here = _paragraphs_by_place(table)
    for place, para in _paragraphs_by_place(copies[0]).items():
        for shape in para.iter(f"{{{_V}}}line", f"{{{_V}}}shape", f"{{{_V}}}rect"):
            found = loose.get(_shape_key(shape), [])
            if len(found) != 1 or found[0].getparent() is None:
                continue
            alt = found[0]
            run = alt.getparent()
            if run is None or run.tag != f"{_W}r":
                continue
            new_run = etree.Element(f"{_W}r")
            rpr = run.find(f"{_W}rPr")
            if rpr is not None:
                new_run.append(copy.deepcopy(rpr))
            new_run.append(alt)  # moves it out of the anchor paragraph
            cells_here[place].append(new_run)


def _layout(table: Any) -> list[list[int]]:
    """A table's rows, each the number of paragraphs in each of its cells."""
    return [[len(tc.findall(f"{_W}p")) for tc in tr.findall(f"{_W}tc")] for tr in table.findall(f"{_W}tr")]


def _paragraphs_by_place(table: Any) -> dict[tuple[int, int, int], Any]:
    return {(r, c, k): p for r, tr in enumerate(table.findall(f"{_W}tr"))
            for c, tc in enumerate(tr.findall(f"{_W}tc")) for k, p in enumerate(tc.findall(f"{_W}p"))}
