"""The .docx as a file: byte-stable zips, and the inspection of a package before anything parses it.

Writing files is generator.word.output's (one policy for every command); its names are re-exported
here for code written before it existed."""

from __future__ import annotations

import errno
import io
import itertools
import os
import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .. import limits
from ..errors import UserError
from ..text import number_vi
from .output import AlreadyThere, atomic_write, publish  # noqa: F401 - re-exported, see above

if TYPE_CHECKING:  # lxml is imported where a part is parsed
    from lxml import etree
    from lxml.etree import _Element

FIXED_TIME = (1980, 1, 1, 0, 0, 0)

# Word expects [Content_Types].xml first; the rest in a stable order.
_FIRST = ("[Content_Types].xml", "_rels/.rels")


def deterministic_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed timestamps, attributes, compression and entry order.

    Why: python-docx stamps every member with the current time, so two renders of the same data
    would differ; a văn thư comparing the draft and the final must be able to trust a byte diff.
    """
    src = zipfile.ZipFile(io.BytesIO(data))
    return zip_members({name: src.read(name) for name in src.namelist()})


class DeflateCache:
    """The deflated form of members whose bytes are the same object zip after zip (a template's
    unchanged parts): a renderer writing thousands of documents deflates them once."""

    def __init__(self) -> None:
        self._by_name: dict[str, tuple[bytes, int, bytes]] = {}

    def get(self, name: str, data: bytes) -> tuple[int, bytes] | None:
        cached = self._by_name.get(name)
        return (cached[1], cached[2]) if cached is not None and cached[0] is data else None

    def put(self, name: str, data: bytes, crc: int, comp: bytes) -> None:
        self._by_name[name] = (data, crc, comp)


def zip_members(members: dict[str, bytes], cache: DeflateCache | None = None,
                keep: Callable[[str, bytes], bool] | None = None) -> bytes:
    """The deterministic zip of members (name -> bytes): what deterministic_zip writes, without
    first reading a zip (the renderer hands over the parts directly).

    Written directly (the bytes zipfile writes for these members: level-6 deflate, FIXED_TIME, mode
    644, the UTF-8 flag for a name that is not ASCII) so that a member keep() accepts is deflated once
    into cache and reused. zipfile itself writes what needs zip64 (more than 65,535 members or 1 GiB).
    """
    ordered = _ordered(members)
    if len(ordered) > 0xFFFF or sum(len(b) for b in members.values()) > 0x3FFFFFFF:
        return zip_members_by_zipfile(members)
    local: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for name in ordered:
        data = members[name]
        cached = cache.get(name, data) if cache is not None else None
        if cached is not None:
            crc, comp = cached
        else:
            crc = zlib.crc32(data)
            deflate = zlib.compressobj(6, zlib.DEFLATED, -15)
            comp = deflate.compress(data) + deflate.flush()
            if cache is not None and keep is not None and keep(name, data):
                cache.put(name, data, crc, comp)
        try:
            fname, flags = name.encode("ascii"), 0
        except UnicodeEncodeError:
            fname, flags = name.encode("utf-8"), 0x800
        local.append(struct.pack("<4s2B4HL2L2H", b"PK\003\004", 20, 0, flags, 8, 0, _DOS_DATE, crc,
                                 len(comp), len(data), len(fname), 0))
        local.append(fname)
        local.append(comp)
        central.append(struct.pack("<4s4B4HL2L5H2L", b"PK\001\002", 20, 0, 20, 0, flags, 8, 0, _DOS_DATE,
                                   crc, len(comp), len(data), len(fname), 0, 0, 0, 0, 0o644 << 16, offset))
        central.append(fname)
        offset += 30 + len(fname) + len(comp)
    directory = b"".join(central)
    end = struct.pack("<4s4H2LH", b"PK\005\006", 0, 0, len(ordered), len(ordered), len(directory), offset, 0)
    return b"".join(local) + directory + end


_DOS_DATE = (FIXED_TIME[0] - 1980) << 9 | FIXED_TIME[1] << 5 | FIXED_TIME[2]  # as zipfile packs FIXED_TIME


def _ordered(members: dict[str, bytes]) -> list[str]:
    names = list(members)
    return [n for n in _FIRST if n in names] + sorted(n for n in names if n not in _FIRST)


def zip_members_by_zipfile(members: dict[str, bytes]) -> bytes:
    """zip_members's bytes as Python's zipfile writes them: the writer of what needs zip64, and the
    reference zip_members is tested against (tests/test_speed.py)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in _ordered(members):
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 0
            dst.writestr(info, members[name], compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)
    return out.getvalue()


# --- reading a .docx someone else made: one guard for every reader -----------------------------
#
# Why one place: `check` and `import` read uploaded files, `render --template` and `check-template`
# read templates. A zip bomb, a package with a DTD (external entities), a duplicated member or a
# 1,000-deep style chain must be refused the same way before python-docx, docxtpl or lxml read any
# part. Call inspect_package first; it reads only the central directory and the XML parts, each
# bounded by its declared size, which zipfile enforces when reading.

_OTHER_MAIN = {
    "application/vnd.ms-word.document.macroEnabled.main+xml": (
        "tệp .docm (văn bản Word có macro)",
        "hãy mở bằng Word, chọn Lưu thành (Save As) kiểu “Word Document (*.docx)” để bỏ macro"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml": (
        "tệp .dotx (tệp mẫu của Word)",
        "hãy mở bằng Word, chọn Lưu thành (Save As) kiểu “Word Document (*.docx)”"),
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml": (
        "tệp .dotm (tệp mẫu Word có macro)",
        "hãy mở bằng Word, chọn Lưu thành (Save As) kiểu “Word Document (*.docx)” để bỏ macro"),
}
_SHEET_TODO = ("hãy chọn tệp văn bản Word; danh mục nhiệm vụ trong bảng tính thì đọc bằng kehoach import "
               "TÊN.xlsx (tệp giữ đuôi .xlsx)")
_SLIDES_TODO = "hãy chọn tệp văn bản Word (.docx)"
_OTHER_PACKAGE = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": (
        "bảng tính Excel (.xlsx)", _SHEET_TODO),
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml": ("bảng tính Excel có macro (.xlsm)", _SHEET_TODO),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml": (
        "tệp mẫu Excel (.xltx)", _SHEET_TODO),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": (
        "bài trình chiếu PowerPoint (.pptx)", _SLIDES_TODO),
    "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml": (
        "bài trình chiếu PowerPoint có macro (.pptm)", _SLIDES_TODO),
}
"""Office packages of other applications, told by their main part's content type (Word's reader
would only say it found no document in them): an Excel sheet picked beside the plan."""
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DTD = (b"<!doctype", "<!doctype".encode("utf-16-le"), "<!doctype".encode("utf-16-be"))
_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def declares_dtd(blob: bytes) -> bool:
    """Whether XML bytes declare a DTD (where entities live), in UTF-8 or UTF-16: no Office
    application writes one."""
    lowered = blob.lower()  # ASCII letters only, so UTF-16 parts are lowered too
    return any(mark in lowered for mark in _DTD)


def safe_parser() -> etree.XMLParser:
    """The lxml parser for XML a user gave us: no entities, no network, no DTD, no huge trees.

    lxml before 5.0 resolved external entities by default, so a crafted part could print
    /etc/passwd into an error excerpt; every parse of user XML goes through this parser.
    """
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           huge_tree=False, dtd_validation=False)


def parse_xml(data: bytes) -> _Element:
    """etree.fromstring with safe_parser()."""
    from lxml import etree

    return etree.fromstring(data, safe_parser())


@dataclass
class PackageInfo:
    """What inspect_package found that a reader may care about (the dangers were refused)."""

    names: list[str]
    external: list[str] = field(default_factory=list)
    """External relationships other than web and mail links: "image → http://…"."""
    macros: bool = False
    """A vbaProject.bin part (Word macros) is present."""
    paragraphs: int = 0
    """Paragraphs in all the XML parts (body, headers, footnotes…), counted in the bytes."""


OWNER_MAX = 512
"""Word's owner file is 162 bytes (Excel's 165): a file this small is never a document."""
_OWNER_LOOK = 5000
"""Names of the lock file's folder looked at for the document it stands for."""


def owner_of(name: str, path: Path | None, whole: bytes) -> Path | None | bool:
    """Whether `whole` is the owner ("lock") file Word (or Excel) writes beside a file it has open, and
    the document it stands for when one is beside it: False when it is not one, None when the
    document is not found. Word names it "~$" and the document's name (a long name loses its first
    two letters to the mark: ke-hoach.docx → ~$-hoach.docx), and writes the user's name in it: a
    byte counting the name's letters, the name, then at byte 54 the same count before the name in
    UTF-16. A clerk picks it in a file list because it sits beside the document with its suffix.
    Excel writes the same file beside a workbook (~$tien-do.xlsx): one recognition for both."""
    if len(whole) > OWNER_MAX or whole.startswith(b"PK"):
        return False
    named = name.startswith("~$")
    n = whole[0] if whole else 0
    laid_out = 0 < n < 54 and len(whole) >= 56 + 2 * n and whole[54] == n and whole[55] == 0
    if not (named or laid_out):
        return False
    if path is None or not named:
        return None
    tail = path.name[2:]
    try:  # a folder's first names only: this is an explanation, never worth a long listing
        with os.scandir(path.parent) as entries:
            beside = [Path(e.path) for e in itertools.islice(entries, _OWNER_LOOK)
                      if e.name != path.name and not e.name.startswith("~$") and e.name.endswith(tail)
                      and len(e.name) - len(tail) <= 2 and e.is_file()]
    except OSError:
        beside = []
    return beside[0] if len(beside) == 1 else None


@dataclass(frozen=True)
class OwnerApp:
    """The program whose owner file a clerk picked, in the words its message uses."""

    app: str  # "Word"
    kind: str  # what it has open: "văn bản"


WORD_OWNER = OwnerApp("Word", "văn bản")
EXCEL_OWNER = OwnerApp("Excel", "bảng tính")


def owner_file_said(label: str, path: Path | None, whole: bytes, app: OwnerApp) -> str | None:
    """What to tell a clerk who gave an owner file (owner_of) instead of the file it stands for:
    that it is the lock file, who has the file open when its bytes name them, and which file to give
    instead; None when `whole` is no owner file."""
    name = (path or Path(label)).name
    owner = owner_of(name, path, whole)
    if owner is False:
        return None
    kind = app.kind
    instead = (f"{kind} là tệp {owner.name} cùng thư mục" if isinstance(owner, Path)
               else f"{kind} là tệp cùng thư mục có tên giống tên này, không có ~$ ở đầu"
               if name.startswith("~$") else f"{kind} là tệp {app.app} đang mở")
    user = owner_user(whole)
    who = f" (người đang mở: {user})" if user else ""
    return (f"{label}: đây là tệp khóa tạm {app.app} tạo bên cạnh một {kind} đang mở{who}, không phải "
            f"{kind}; {instead}. Hãy chọn tệp {kind} đó (tệp khóa tự mất khi đóng {app.app})")


def owner_user(whole: bytes) -> str:
    """The user's name an owner file holds: the UTF-16 copy at byte 56 (its count at 54), else the
    ANSI one after the first byte; empty when neither reads as a name."""
    n = whole[0] if whole else 0
    if 0 < n < 54 and len(whole) >= 56 + 2 * n and whole[54] == n:
        name = whole[56:56 + 2 * n].decode("utf-16-le", "replace")
    elif 0 < n < 54 and len(whole) > n:
        name = whole[1:1 + n].decode("cp1252", "replace")
    else:
        return ""
    name = " ".join(name.split())
    return name if name.isprintable() and "\ufffd" not in name else ""


RESAVE = "hãy mở bằng Word rồi Lưu thành (Save As) kiểu “Word Document (*.docx)”"
"""What a clerk does with a file kehoach cannot read but Word can: save it again as a .docx."""


def _sniff(head: bytes, whole: bytes, label: str, path: Path | None = None) -> UserError:
    """Why bytes that are not a zip are not a .docx, in the words a clerk can act on; `path` the
    file they were read from, when they were (an upload has only its name, in label)."""
    said = owner_file_said(label, path, whole, WORD_OWNER)
    if said is not None:
        return UserError(said)
    if head.startswith(_OLE):
        if "EncryptedPackage".encode("utf-16-le") in whole:
            return UserError(
                f"{label}: tệp Word được đặt mật khẩu (mã hóa), không đọc được; hãy mở bằng Word, "
                "vào Tệp → Thông tin → Bảo vệ tài liệu → Mã hóa bằng mật khẩu, xóa mật khẩu rồi lưu lại")
        return UserError(f"{label}: tệp .doc cũ (Word 97-2003), không phải .docx; hãy mở bằng Word "
                         "rồi Lưu thành (Save As) kiểu “Word Document (*.docx)”")
    if head.startswith(b"%PDF"):
        # Portals publish the issued plan as a PDF: what a clerk can act on is the Word file it was
        # printed from; a signed PDF is for `verify`, which says who signed it.
        return UserError(f"{label}: đây là tệp PDF, không phải văn bản Word .docx; hãy chọn tệp văn bản Word "
                         "(.docx, .doc) đã dùng để in ra tệp PDF này. Xem chữ ký số trong tệp PDF bằng "
                         "'kehoach verify'")
    if head.startswith(b"{\\rtf"):
        return UserError(f"{label}: tệp RTF, không phải .docx; hãy mở bằng Word rồi Lưu thành kiểu "
                         "“Word Document (*.docx)”")
    return UserError(f"{label}: không mở được tệp: tệp hỏng hoặc không phải văn bản Word .docx (đổi "
                     "tên từ loại tệp khác?) nên không đọc được")


class NotRegular(UserError):
    """A folder, named pipe or device where a file was expected."""


def read_bounded(path: Path, label: str, limit: int = limits.MAX_DOCX_BYTES, *, head: bool = False,
                 too_big: str = "kehoach chỉ đọc tệp đến cỡ này", kind: str = "tệp") -> bytes:
    """A regular file's bytes, refusing more than limit without reading more than that (or, with
    head, its first limit bytes): a user's file, an upload, a file in the editor's folder. Missing
    files and read errors are Vietnamese UserErrors; anything but a regular file is NotRegular.
    kind names the file the command wanted ("tệp PDF"): a folder is said not to be one.

    Opened without blocking and judged by fstat of what was opened, not by its name (which could
    change in between): a named pipe called ke-hoach.docx must never hang a reader."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise UserError(f"{label}: không tìm thấy tệp") from None
    except IsADirectoryError:
        raise NotRegular(f"{label}: đây là thư mục, không phải {kind}") from None
    except OSError as exc:
        # What the system says in English, said as the user can act on it: a link that leads back
        # to itself, a socket (opened, it is no file), a file the account may not read.
        if exc.errno == errno.ELOOP:
            raise UserError(f"{label}: là liên kết (symlink) vòng quanh, trỏ về chính nó, không tới tệp nào; "
                            "hãy chọn đúng tệp") from None
        if exc.errno == errno.ENXIO:
            raise NotRegular(f"{label}: không phải tệp thường (thư mục, ống dẫn hay thiết bị); không đọc") from None
        if exc.errno in (errno.EACCES, errno.EPERM):
            raise UserError(f"{label}: không có quyền đọc tệp; hãy chép tệp sang thư mục của mình hoặc nhờ "
                            "người quản trị cấp quyền đọc") from None
        raise UserError(f"{label}: không đọc được tệp ({exc.strerror or exc})") from None
    # Judged before fdopen: POSIX opens a folder for reading without EISDIR, and it is fdopen that
    # then raises IsADirectoryError, which no caller expects (import ended as an internal error).
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise NotRegular(f"{label}: đây là thư mục, không phải {kind}" if stat.S_ISDIR(mode) else
                         f"{label}: không phải tệp thường (thư mục, ống dẫn hay thiết bị); không đọc")
    with os.fdopen(fd, "rb") as fh:
        try:
            data = fh.read(limit + 1)
        except OSError as exc:
            raise UserError(f"{label}: không đọc được tệp ({exc.strerror or exc})") from None
    if head:
        return data[:limit]
    if len(data) > limit:
        raise UserError(f"{label}: tệp quá lớn (trên {limit // 2**20} MB); {too_big}")
    return data


def central_directory_ok(data: bytes) -> bool:
    """Entry count and size of the central directory from the end record, before zipfile builds
    one object per entry (a directory of a million entries is itself a memory bomb)."""
    at = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if at < 0 or at + 22 > len(data):
        return True  # not a zip at all: zipfile says so
    entries, cd_size = struct.unpack_from("<HI", data, at + 10)
    return entries <= limits.MAX_MEMBERS and cd_size <= limits.MAX_MEMBERS * 1024


def inspect_package(source: str | Path | bytes, label: str | None = None, *,
                    path: Path | None = None) -> PackageInfo:
    """Refuse a .docx that is not one, is dangerous or too costly to read; else describe it.

    UserError (exit 2, Vietnamese, naming the file) for: not a zip (a .doc, a password-protected
    file, a PDF…), a .docm/.dotx/.dotm, duplicated or encrypted members, too many parts, declared
    sizes or compression ratios of a zip bomb, a DTD in any XML part (entities), too many
    paragraphs or elements in a part, a broken theme or styles part, too many styles or a basedOn
    chain too deep. Nothing here builds a python-docx Document. `path`: the file bytes were read
    from, to name the document beside a Word lock file given in its place.
    """
    if isinstance(source, (bytes, bytearray)):
        data = bytes(source)
        label = label or "tệp .docx"
    else:
        label = label or str(source)
        path = path or Path(source)
        data = read_bounded(path, label)
    if not data.startswith(b"PK"):
        raise _sniff(data[:16], data, label, path)
    if not central_directory_ok(data):
        raise UserError(f"{label}: tệp có quá nhiều phần (trên {limits.MAX_MEMBERS}); không phải văn bản "
                        "Word bình thường, không đọc")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise _sniff(data[:16], data, label, path) from None
    infos = zf.infolist()
    names = [i.filename for i in infos]
    _check_members(infos, label)
    info = PackageInfo(names)
    xml_parts: dict[str, bytes] = {}
    for item in infos:
        lower = item.filename.lower()
        if lower.endswith("vbaproject.bin"):
            info.macros = True
        if not lower.endswith((".xml", ".rels")):
            continue
        try:
            blob = zf.read(item)
        except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError,
                RuntimeError, zlib.error):
            raise UserError(f"{label}: phần {item.filename} bị hỏng (nén sai hoặc dữ liệu không khớp); "
                            "tệp hỏng, không đọc được") from None
        if declares_dtd(blob):
            raise UserError(f"{label}: phần {item.filename} có khai báo DTD/thực thể XML (<!DOCTYPE>), "
                            "điều Word không bao giờ ghi; tệp có thể độc hại, không đọc")
        xml_parts[item.filename] = blob
    _check_main_type(xml_parts.get("[Content_Types].xml"), label)
    for name, blob in xml_parts.items():
        info.paragraphs += _check_counts(name, blob, label)
        if name.startswith("word/theme/"):
            _parse_or_refuse(blob, name, label, "phần giao diện (theme) của tệp")
        elif name.endswith(".rels"):
            info.external += _external_targets(_parse_or_refuse(blob, name, label, "phần liên kết"))
    styles = xml_parts.get("word/styles.xml")
    if styles is not None:
        _check_styles(_parse_or_refuse(styles, "word/styles.xml", label, "phần kiểu định dạng (styles)"),
                      label)
    return info


def _check_members(infos: list[zipfile.ZipInfo], label: str) -> None:
    if len(infos) > limits.MAX_MEMBERS:
        raise UserError(f"{label}: tệp có {len(infos)} phần (tối đa {limits.MAX_MEMBERS}); không đọc")
    check_members(infos, label)


def check_members(infos: list[zipfile.ZipInfo], label: str, *, app: str = "Word",
                  error: type[UserError] = UserError) -> None:
    """Each entry of an Office zip (.docx, .xlsx, .ods) judged from its directory, before anything is
    inflated: no name twice, no encryption, a method Office writes, and the declared sizes and
    compression ratio within limits (a zip bomb is refused here). app names who should save the file
    again in the messages."""
    seen: set[str] = set()
    total = 0
    for item in infos:
        if item.filename in seen:
            raise error(f"{label}: phần {item.filename} xuất hiện hai lần trong tệp nén; tệp hỏng hoặc bị "
                        f"sửa bằng công cụ khác, hãy mở bằng {app} rồi lưu lại")
        seen.add(item.filename)
        if item.flag_bits & 0x1:
            raise error(f"{label}: tệp nén được đặt mật khẩu (mã hóa), không đọc được; hãy bỏ mật khẩu rồi "
                        f"lưu lại bằng {app}")
        if item.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise error(f"{label}: phần {item.filename} nén theo cách {app} không dùng; tệp không phải "
                        "tệp bình thường, không đọc")
        size = item.file_size
        total += size
        ratio = size / max(item.compress_size, 1)
        if size > limits.MAX_PART_BYTES or total > limits.MAX_TOTAL_BYTES or (
                size > limits.RATIO_FLOOR and ratio > limits.MAX_RATIO):
            raise error(
                f"{label}: phần {item.filename} giải nén ra {size / 2**20:.0f} MB (nén {ratio:.0f} lần); "
                f"vượt giới hạn ({limits.MAX_PART_BYTES // 2**20} MB mỗi phần, "
                f"{limits.MAX_TOTAL_BYTES // 2**20} MB cả tệp, nén tối đa {limits.MAX_RATIO} lần): "
                "đây là tệp nén độc hại (zip bomb) hoặc quá lớn, không đọc")


def _check_main_type(content_types: bytes | None, label: str) -> None:
    if content_types is None:
        raise UserError(f"{label}: không phải tệp Word .docx (thiếu [Content_Types].xml)")
    root = _parse_or_refuse(content_types, "[Content_Types].xml", label, "danh mục loại nội dung")
    for el in root:
        part = (el.get("PartName") or "").lower()
        kind = el.get("ContentType") or ""
        if part == "/word/document.xml" and kind in _OTHER_MAIN:
            what, todo = _OTHER_MAIN[kind]
            raise UserError(f"{label}: đây là {what}, không phải văn bản .docx; {todo}")
        if kind in _OTHER_PACKAGE:
            what, todo = _OTHER_PACKAGE[kind]
            raise UserError(f"{label}: đây là {what}, không phải văn bản Word .docx; {todo}")


def _parse_or_refuse(blob: bytes, name: str, label: str, what: str) -> _Element:
    from lxml import etree

    try:
        return parse_xml(blob)
    except (etree.XMLSyntaxError, ValueError) as exc:
        reason = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        raise UserError(f"{label}: {what} ({name}) bị hỏng, không đọc được ({reason}); hãy mở bằng Word "
                        "rồi lưu lại") from None


def _check_counts(name: str, blob: bytes, label: str) -> int:
    """Element counts from the bytes, before any tree is built (bytes.count is fast and flat); the
    part's paragraphs."""
    paragraphs = blob.count(b"<w:p>") + blob.count(b"<w:p/>") + blob.count(b"<w:p ")
    if paragraphs > limits.MAX_PARAGRAPHS:
        raise UserError(f"{label}: phần {name} có {number_vi(paragraphs)} đoạn văn (tối đa "
                        f"{number_vi(limits.MAX_PARAGRAPHS)}); quá lớn để đọc, không đọc")
    elements = blob.count(b"<")
    if elements > limits.MAX_ELEMENTS:
        raise UserError(f"{label}: phần {name} có {number_vi(elements)} thẻ XML (tối đa "
                        f"{number_vi(limits.MAX_ELEMENTS)}); quá lớn để đọc, không đọc")
    if b"<w:tbl" in blob:
        depth = deepest = 0
        for m in _TABLE_TAG.finditer(blob):
            depth += -1 if m.group(1) else 1
            deepest = max(deepest, depth)
        if deepest > limits.MAX_TABLE_DEPTH:
            raise UserError(f"{label}: phần {name} có bảng lồng trong bảng {deepest} cấp (tối đa "
                            f"{limits.MAX_TABLE_DEPTH}); tệp không bình thường, không đọc")
    return paragraphs


_TABLE_TAG = re.compile(rb"<(/?)w:tbl[\s>]")
"""A table's start or end tag (not w:tblPr, w:tblGrid…), for its nesting depth before parsing."""


def _check_styles(root: _Element, label: str) -> None:
    """Count styles and the longest basedOn chain without following any chain twice (memoised),
    so a hostile chain costs one pass, not one pass per style."""
    based: dict[str, str | None] = {}
    for st in root.iter(f"{_W}style"):
        b = st.find(f"{_W}basedOn")
        based[st.get(f"{_W}styleId") or ""] = b.get(f"{_W}val") if b is not None else None
    if len(based) > limits.MAX_STYLES:
        raise UserError(f"{label}: có {len(based)} kiểu định dạng (tối đa {limits.MAX_STYLES}); "
                        "tệp không bình thường, không đọc")
    depth: dict[str, int] = {}
    for start in based:
        path: list[str] = []
        sid: str | None = start
        while sid is not None and sid in based and sid not in depth and sid not in path:
            path.append(sid)
            sid = based[sid]
        below = depth.get(sid, 0) if sid is not None else 0
        for k in reversed(path):
            below += 1
            depth[k] = below
            if below > limits.MAX_STYLE_DEPTH:
                raise UserError(
                    f"{label}: kiểu định dạng '{start}' kế thừa (basedOn) qua hơn "
                    f"{limits.MAX_STYLE_DEPTH} cấp; tệp không bình thường, không đọc")


_LINK_SCHEMES = ("http://", "https://", "mailto:")


def _external_targets(rels: _Element) -> list[str]:
    """External relationships Word would follow by itself (images, frames, an attached template,
    OLE links), and links to files: "loại → đích". Web and mail hyperlinks are left alone: they are
    only followed when a reader clicks them."""
    out = []
    for rel in rels.iter(f"{_REL_NS}Relationship"):
        if (rel.get("TargetMode") or "").lower() != "external":
            continue
        kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
        target = rel.get("Target") or ""
        if kind == "hyperlink" and target.lower().startswith(_LINK_SCHEMES):
            continue
        out.append(f"{kind} → {target[:120]}")
    return out


def section_count(docx: Path) -> int:
    """Sections in a .docx; each starts a new page in our documents, so the PDF has at least this many."""
    try:
        with zipfile.ZipFile(docx) as zf:
            xml = zf.read("word/document.xml")
    except (OSError, KeyError, zipfile.BadZipFile):
        return 1
    return max(1, xml.count(b"<w:sectPr"))
