"""The one output writer: every file a kehoach command makes is written here, by one policy.

The policy (docs/ghi-tep.md tells users the same):
- a file is created exclusively or replaced atomically: a reader never sees half a file, an
  interrupted run leaves the old file or the new one, and of several runs creating one name
  exactly one gets it (the others are told, AlreadyThere);
- nothing there is replaced unless the caller says so: --force, or a command's own rule (a draft
  may replace its own earlier, untouched draft); the caller's rule looked at one file, and only
  that file is replaced ("replace-seen"): one put there meanwhile, such as a final, stays;
- a command's own inputs are never replaced, not even with --force;
- every decision is taken on the real path, before anything is created: links are followed and
  ".." is applied to the folder it names, so `missing/../plan.yaml` is plan.yaml and a link to the
  input is the input (the words of a path once let `-o missing/../SOURCE` replace the source);
- the folder is checked before the work starts: a missing one is created when the file is
  written, a file in its place or a folder that cannot be written is a message naming it.

Why a Target object: commands decide first (before minutes of rendering or signing) and write
last; the Target carries what was decided, the real path and what was seen there, from the one
moment to the other, and across to a batch's worker processes (it pickles).
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import shutil
import stat
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..errors import NotWritable, OutputExistsError, UserError

How = Literal["create", "replace-seen", "replace"]
"""create: make the file, never replacing anything; replace-seen: replace the very file that was
there when the Target was made (or create, when there was none), nothing put there since;
replace: replace whatever is there (--force), except an input."""

Identity = tuple[int, int]
"""(st_dev, st_ino): which file a name leads to."""

Seen = tuple[int, int, int, int]
"""(st_dev, st_ino, st_size, st_mtime_ns) of the file at the target when it was decided on."""

NOTHING_LEFT = "không có tệp dở dang nào được để lại"


class AlreadyThere(FileExistsError):
    """The name was taken (or the file there changed) between the decision and the write."""


def mode(force: bool, may_replace: bool = False) -> How:
    """The write mode for a command's options: --force replaces, the command's rule may allow
    replacing what it looked at, else create."""
    return "replace" if force else "replace-seen" if may_replace else "create"


@dataclass(frozen=True)
class Target:
    """A file a command will write: where the bytes really go and what was there when decided."""

    named: Path
    """As the user (or the caller) wrote it: what messages show."""
    path: Path
    """The real path: folder links resolved, ".." applied, a link at the name followed."""
    seen: Seen | None
    """The file at `path` when decided; None when there was none."""
    inputs: tuple[Identity, ...] = ()
    """The command's inputs that existed, checked again just before a replace."""

    @property
    def exists(self) -> bool:
        return self.seen is not None

    @property
    def label(self) -> str:
        """The name as given, with the real one when they differ (missing/../x, a link)."""
        return _shown(self.named, self.path)

    def refuse_taken(self, force: bool, hint: str = "dùng --force để ghi đè") -> None:
        """OutputExistsError when a file is there and force was not given: said before the work."""
        if self.exists and not force:
            raise OutputExistsError(f"{self.label}: tệp đã có, không ghi đè; {hint}. Không ghi tệp nào")

    def save(self, data: bytes, *, force: bool = False) -> Path:
        """Write by the rule of the commands that make a new file: create it, or with force replace
        it. A file made at the name since the decision is kept (OutputExistsError)."""
        try:
            return self.write(data, mode(force))
        except AlreadyThere:
            raise OutputExistsError(f"{self.label}: trong lúc lệnh chạy, một tệp khác đã được tạo ở đây; "
                                    "tệp đó được giữ nguyên. Không ghi tệp nào") from None

    def write(self, data: bytes, how: How = "create") -> Path:
        """Write data to the target by `how`: written in full beside it, then given its name."""
        folder = self._folder()
        tmp = folder / f".{self.path.name}.{secrets.token_hex(8)}.tmp"
        # Named first, made inside the try: an interrupting signal cannot strand the temporary file.
        try:
            try:
                _write_durable(str(tmp), data)
            except OSError as exc:
                raise write_error(exc, self.label, folder) from None
            return self.place(tmp, how)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)  # the file keeps its new name; only the temporary one goes

    def place(self, finished: Path, how: How = "create") -> Path:
        """Give the finished file `finished` (in the target's folder or a folder in it) the
        target's name, by `how`. AlreadyThere when the name was taken meanwhile."""
        if how == "create" or (how == "replace-seen" and self.seen is None):
            return _link_into_place(finished, self.path, self.label)
        now = _seen(self.path)
        if how == "replace-seen" and now != self.seen:
            raise AlreadyThere(str(self.named))
        if now is not None and now[:2] in self.inputs:
            raise UserError(_input_message(self.label))
        try:
            os.replace(finished, self.path)
        except OSError as exc:
            raise write_error(exc, self.label, self.path.parent, held=self.path) from None
        return self.path

    @contextlib.contextmanager
    def staging(self) -> Iterator[Path]:
        """A hidden folder beside the target for files made in several steps (a .docx and its PDF),
        removed afterwards; what is placed from it moves by rename, never by copy."""
        folder = self._folder()
        try:
            work = Path(tempfile.mkdtemp(prefix=".kehoach-", dir=folder))
        except OSError as exc:
            raise write_error(exc, self.label, folder) from None
        try:
            yield work
        finally:
            shutil.rmtree(work, ignore_errors=True)

    def _folder(self) -> Path:
        """The target's folder, made when missing; refused if a link was put in its way since."""
        folder = self.path.parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise write_error(exc, self.label, _nearest(folder)) from None
        if os.path.realpath(folder) != str(folder):
            raise UserError(f"{self.label}: thư mục {folder} vừa bị thay bằng một liên kết (symlink); "
                            f"không ghi. {NOTHING_LEFT}")
        return folder


@dataclass(frozen=True)
class Sources:
    """A command's inputs, resolved once: a batch decides on thousands of targets against them."""

    given: tuple[str, ...]
    real: tuple[str, ...]
    idents: tuple[Identity | None, ...]


def sources(inputs: Iterable[str | Path | None]) -> Sources:
    given = tuple(str(p) for p in inputs if p is not None)
    real = tuple(os.path.realpath(p) for p in given)
    return Sources(given, real, tuple(_identity(r) for r in real))


def target(path: str | Path, *, inputs: Iterable[str | Path | None] | Sources = (),
           folder: Path | None = None) -> Target:
    """Decide on a file to write, creating nothing: its real path, not a folder nor a device, not
    one of `inputs` (the command's own files, never replaced), its folder one that can be written.
    UserError (exit 2, Vietnamese, naming the path) otherwise.

    folder: the real path of path's folder when the caller has resolved and checked it already
    (check_folder): a batch decides thousands of names in one folder."""
    named = Path(path)
    text = str(path)
    if not text or text.endswith(("/", "\\")) or named.name in ("", ".", ".."):
        raise UserError(f"{text or '(trống)'}: hãy ghi tên tệp kết quả, không phải thư mục")
    at = (folder if folder is not None else Path(os.path.realpath(named.parent))) / named.name
    real = at
    if os.path.islink(at):
        real = Path(os.path.realpath(at))
        if not real.is_file():
            raise UserError(f"{named}: là liên kết (symlink) tới {real}, không phải tới một tệp có sẵn; "
                            "không ghi theo liên kết này. Hãy cho tên tệp khác")
    seen = _seen(real)
    shown = _shown(named, real)
    if seen is not None:
        mode_bits = os.stat(real).st_mode
        if stat.S_ISDIR(mode_bits):
            raise UserError(f"{shown}: đây là một thư mục; hãy ghi tên tệp kết quả, ví dụ "
                            f"{named / 'ten-tep'}")
        if not stat.S_ISREG(mode_bits):
            raise UserError(f"{shown}: không phải tệp thường (thiết bị, ống dẫn…); không ghi vào đó")
    srcs = inputs if isinstance(inputs, Sources) else sources(inputs)
    for given, source, ident in zip(srcs.given, srcs.real, srcs.idents, strict=True):
        if str(real) == source or (seen is not None and seen[:2] == ident):
            raise UserError(_input_message(shown, given))
    if folder is None or real.parent != folder:
        _check_folder(real.parent, shown)
    return Target(named, real, seen, tuple(i for i in srcs.idents if i is not None))


def write_file(path: str | Path, data: bytes, *, force: bool = False,
               inputs: Iterable[str | Path | None] | Sources = (), hint: str = "dùng --force để ghi đè") -> Path:
    """Decide and write in one call: create `path`, or with force replace it; never an input.
    hint: what to do when the file is there (a command without --force says its own)."""
    out = target(path, inputs=inputs)
    out.refuse_taken(force, hint)
    return out.save(data, force=force)


def atomic_write(path: str | Path, data: bytes) -> Path:
    """Replace (or create) path with data atomically: for a file that is the command's to rewrite
    (the editor saving the file it opened)."""
    return target(path).write(data, "replace")


def publish(path: str | Path, data: bytes, *, replace: bool) -> Path:
    """Write data to path atomically; with replace=False only if the name is free (AlreadyThere)."""
    return target(path).write(data, "replace" if replace else "create")


def check_folder(folder: str | Path) -> Path:
    """A folder that outputs will be written into, checked before any work: its real path.
    Nothing is created; a missing folder is made when the first file is written."""
    real = Path(os.path.realpath(folder))
    if real.exists() and not real.is_dir():
        raise UserError(f"{folder}: đã có một tệp trùng tên, không phải thư mục; hãy chọn thư mục kết quả khác (-o)")
    _check_folder(real, str(folder))
    return real


def write_error(exc: OSError, label: str, folder: Path, tail: str = NOTHING_LEFT, *,
                held: Path | None = None) -> UserError:
    """What a failed write means to the user, naming the folder: one message per cause. `held`:
    the file being replaced, when it is one; refused while the folder may be written, it is the
    file that will not go: Windows keeps a file open in Word or a PDF reader (or marked read-only)
    from being replaced, and that is what the user must act on, not the folder's rights."""
    code = exc.errno
    if (code in (errno.EACCES, errno.EPERM) and held is not None and held.exists()
            and os.access(folder, os.W_OK | os.X_OK)):
        why = (f"tệp {held.name} đang mở trong chương trình khác (Word, trình đọc PDF…) hoặc được đặt chỉ "
               "đọc nên không thay được; hãy đóng tệp đó (hoặc bỏ chỉ đọc) rồi chạy lại")
    elif code in (errno.EACCES, errno.EPERM):
        return NotWritable(f"{label}: không có quyền ghi vào thư mục {folder}; hãy chọn thư mục khác",
                           f" hoặc nhờ quản trị cấp quyền ghi; {tail}")
    elif code == errno.EROFS:
        return NotWritable(f"{label}: thư mục {folder} nằm trên ổ chỉ đọc (read-only); hãy chọn thư mục khác",
                           f"; {tail}")
    elif code in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        why = f"ổ đĩa chứa thư mục {folder} đã đầy (hoặc hết hạn mức); hãy giải phóng chỗ trống rồi chạy lại"
    elif code == errno.ENOTDIR:
        why = f"một phần của đường dẫn {folder} là tệp, không phải thư mục"
    elif code == errno.ENAMETOOLONG:
        why = "tên tệp hoặc đường dẫn quá dài; hãy đặt tên ngắn hơn"
    else:
        why = f"không ghi được vào thư mục {folder} ({exc.strerror or exc})"
    return UserError(f"{label}: {why}; {tail}")


# --- the steps ------------------------------------------------------------------------------------

def _shown(named: Path, real: Path) -> str:
    """The name as given, with the real one when the words hide it (a link, a "..")."""
    if os.path.abspath(named) == str(real) and ".." not in named.parts:
        return str(named)
    return f"{named} (tức {real})"


def _input_message(shown: str, given: str | Path | None = None) -> str:
    same = given is None or str(given) == shown.split(" (tức ")[0]
    what = "là tệp gốc (tệp đầu vào) của lệnh này" if same else f"trùng với tệp gốc {given} của lệnh này"
    return (f"{shown}: {what}; không bao giờ ghi đè tệp gốc, kể cả với --force. Hãy chọn tên khác "
            "bằng -o. Không ghi tệp nào")


def _seen(path: Path) -> Seen | None:
    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        raise UserError(f"{path}: không xem được tệp ({exc.strerror or exc})") from None
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns


def _identity(path: str) -> Identity | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _nearest(folder: Path) -> Path:
    """The folder itself or the closest one above it that exists."""
    while not os.path.lexists(folder) and folder.parent != folder:
        folder = folder.parent
    return folder


def _check_folder(folder: Path, shown: str) -> None:
    """The folder exists and can be written, or is missing below a folder that can: decided on
    the nearest existing one, which is where the first write (or mkdir) happens."""
    here = _nearest(folder)
    if not here.is_dir():
        raise UserError(f"{shown}: {here} là một tệp, không phải thư mục; không tạo được tệp ở đây. "
                        "Hãy chọn thư mục khác")
    if not os.access(here, os.W_OK | os.X_OK):
        code = errno.EROFS if _read_only_mount(here) else errno.EACCES
        raise write_error(OSError(code, os.strerror(code)), shown, here, "không ghi tệp nào")


def _read_only_mount(folder: Path) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):  # no statvfs on Windows
        return False


def _write_durable(tmp: str, data: bytes) -> None:
    """Create tmp (never an existing file), write data and fsync it: the bytes are on disk before
    any name points to them."""
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    finally:
        os.close(fd)
    os.chmod(tmp, 0o644)  # by path: os.fchmod does not exist on Windows before Python 3.13


def _link_into_place(source: Path, path: Path, label: str) -> Path:
    """Give the finished file `source` the name `path`, AlreadyThere if it is taken.

    Why link: check-then-rename lets two runs that both saw "no file yet" each rename their copy
    into place, the last one silently winning. A hard link fails with EEXIST when the name is
    taken, so of any number of runs exactly one creates the file. Where hard links are not
    supported, O_EXCL gives the same exclusion (the bytes then appear while they are copied).
    """
    try:
        os.link(source, path)
        return path
    except FileExistsError:
        raise AlreadyThere(str(path)) from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
            raise write_error(exc, label, path.parent) from None
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        raise AlreadyThere(str(path)) from None
    except OSError as exc:
        raise write_error(exc, label, path.parent) from None
    try:
        with os.fdopen(fd, "wb") as fh, open(source, "rb") as src:
            while chunk := src.read(1 << 20):
                fh.write(chunk)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        os.unlink(path)
        raise
    return path
