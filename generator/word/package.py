"""The .docx as a file: byte-stable zips and writes that never leave half a file behind."""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from pathlib import Path

from ..errors import UserError

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


def zip_members(members: dict[str, bytes]) -> bytes:
    """The deterministic zip of members (name -> bytes): what deterministic_zip writes, without
    first reading a zip (the renderer hands over the parts directly)."""
    names = list(members)
    ordered = [n for n in _FIRST if n in names] + sorted(n for n in names if n not in _FIRST)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in ordered:
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 0
            dst.writestr(info, members[name], compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)
    return out.getvalue()


def atomic_write(path: str | Path, data: bytes) -> Path:
    """Write data to path through a temporary file in the same folder, then rename.

    An interrupted run leaves either the old file or the new one, never a truncated document.
    """
    path = Path(path)
    if path.is_dir():
        raise UserError(f"{path}: đây là một thư mục; hãy ghi tên tệp kết quả, ví dụ {path / 'ten-tep'}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise UserError(f"{path}: không tạo được tệp ở đây ({exc.strerror or exc}); "
                        "hãy chọn thư mục khác hoặc kiểm tra quyền ghi") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(exc, OSError):  # disk full, permissions: the user's to fix, not a crash
            raise UserError(f"{path}: không ghi được tệp ({exc.strerror or exc}); "
                            "không có tệp dở dang nào được để lại") from None
        raise
    return path
