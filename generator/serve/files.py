"""The data files the editor may touch: only .yaml files inside the folder it was started on."""

from __future__ import annotations

import hashlib
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from ..errors import UserError
from ..word.package import NotRegular, read_bounded

SUFFIXES = (".yaml", ".yml")
MAX_DEPTH = 4
"""Sub-folders listed below the folder (data/2024/…), not the whole disk under a home folder."""
OUTPUT = "output"
"""FOLDER/output: the documents made from the page (finals, PDFs, batches), as the CLI's default."""
SKIP_DIRS = {"node_modules", "__pycache__", OUTPUT, "venv", ".venv"}
UNITS_FILE = re.compile(r"^mode:|^units:[ \t]*(#.*)?\r?\n(\s*#.*\r?\n)*\s*- ", re.M)


class NotAllowed(UserError):
    """A path outside the folder, a link out of it, or not a data file."""


@dataclass(frozen=True)
class Snapshot:
    """A data file's text as read, and the digest that says whether it changed since."""

    text: str
    """The file's text without its byte order mark; line ends as they are in the file."""
    digest: str
    bom: bool = False
    """The file began with a UTF-8 byte order mark (Notepad writes one): saving keeps it."""

    @property
    def newline(self) -> str:
        """The file's line end: CRLF when most lines end so (a file written on Windows)."""
        crlf = self.text.count("\r\n")
        return "\r\n" if crlf and crlf * 2 >= self.text.count("\n") else "\n"


def digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


class Folder:
    def __init__(self, root: str | Path):
        self.root = Path(root).resolve()
        if not self.root.exists():
            raise UserError(f"{root}: không tìm thấy thư mục này; hãy gõ đúng tên thư mục chứa các tệp kế hoạch "
                            "(ví dụ: kehoach serve data) hoặc tạo một thư mục mới bằng kehoach init TÊN-THƯ-MỤC")
        if not self.root.is_dir():
            raise UserError(f"{root}: là một tệp, không phải thư mục; hãy chỉ thư mục chứa tệp đó "
                            "(ví dụ: kehoach serve data)")

    def path(self, name: object) -> Path:
        """The file `name` (relative, with "/") inside the folder, or NotAllowed."""
        if not isinstance(name, str) or not name or "\x00" in name or "\\" in name or len(name) > 1000:
            raise NotAllowed("tên tệp không hợp lệ")
        rel = Path(name)
        if rel.is_absolute() or any(part in ("..", "") for part in name.split("/")):
            raise NotAllowed(f"{name}: chỉ được mở tệp trong thư mục {self.root}")
        if rel.suffix.lower() not in SUFFIXES:
            raise NotAllowed(f"{name}: chỉ mở được tệp dữ liệu .yaml")
        target = self.root / rel
        resolved = target.resolve()
        if not resolved.is_relative_to(self.root):
            raise NotAllowed(f"{name}: tệp này trỏ ra ngoài thư mục {self.root}; không mở")
        if any(p.is_symlink() for p in [target, *target.parents] if p.is_relative_to(self.root)
               and p != self.root):
            raise NotAllowed(f"{name}: là liên kết (symlink); chỉ mở tệp thật trong thư mục")
        return target

    def output_dir(self, *parts: str) -> Path:
        """FOLDER/output[/part…], where the documents made from the page go: a real folder inside
        FOLDER (a link named output pointing elsewhere is refused), created when missing."""
        target = self.root / OUTPUT
        for part in parts:
            if not part or part in (".", "..") or "/" in part or "\\" in part or "\x00" in part:
                raise NotAllowed(f"{part}: tên thư mục kết quả không hợp lệ")
            target = target / part
        for p in [target, *target.parents]:
            if p.is_relative_to(self.root) and p != self.root and p.is_symlink():
                raise NotAllowed(f"{p}: là liên kết (symlink); chỉ ghi vào thư mục thật trong {self.root}")
        try:
            target.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            from ..word.output import write_error

            raise write_error(exc, str(target), self.root) from None
        if not target.resolve().is_relative_to(self.root):
            raise NotAllowed(f"{target}: trỏ ra ngoài thư mục {self.root}; không ghi")
        return target

    def list(self) -> list[dict]:
        out: list[dict] = []
        for dirpath, dirnames, filenames in os.walk(self.root):
            here = Path(dirpath)
            depth = len(here.relative_to(self.root).parts)
            dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d not in SKIP_DIRS
                                 and depth < MAX_DEPTH and not (here / d).is_symlink())
            for f in sorted(filenames):
                p = here / f
                if f.startswith(".") or p.suffix.lower() not in SUFFIXES or p.is_symlink():
                    continue
                try:
                    st = p.stat()
                except OSError:
                    continue
                if not stat.S_ISREG(st.st_mode):
                    continue  # a named pipe or device called x.yaml: opening it would wait forever
                out.append({"name": p.relative_to(self.root).as_posix(), "size": st.st_size,
                            "mtime": st.st_mtime, "units": _looks_like_units(p)})
        return out

    def contains(self, path: Path) -> bool:
        """path is a regular file inside the folder, reached by no link (a final to offer, a download)."""
        if any(p.is_symlink() for p in [path, *path.parents] if p.is_relative_to(self.root) and p != self.root):
            return False
        try:
            return path.resolve().is_relative_to(self.root) and stat.S_ISREG(path.stat().st_mode)
        except OSError:
            return False

    def read(self, name: str) -> Snapshot:
        from .. import limits

        path = self.path(name)
        raw = read_regular(path, name, limits.MAX_DATA_BYTES)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            from ..plan.loader import load_source

            load_source(path)  # its DataError says which encoding it is and how to convert it
            raise UserError(f"{name}: tệp không phải UTF-8; hãy lưu lại với bảng mã UTF-8") from None
        return Snapshot(text, digest(raw), raw.startswith(b"\xef\xbb\xbf"))


def read_regular(path: Path, label: str, limit: int, *, head: bool = False) -> bytes:
    """word.package.read_bounded, with a folder, pipe or device refused as NotAllowed (403): a named
    pipe called ke-hoach.yaml must never hold one of the server's threads forever."""
    try:
        return read_bounded(path, label, limit, head=head)
    except NotRegular as exc:
        raise NotAllowed(str(exc).replace("không đọc", "không mở")) from None


def _looks_like_units(path: Path) -> bool:
    """A units file of `kehoach batch` (mode: …, or units: as a list), from its first 64 KB."""
    try:
        head = read_regular(path, path.name, 65536, head=True)
    except UserError:
        return False
    return bool(UNITS_FILE.search(head.decode("utf-8", "replace")))
