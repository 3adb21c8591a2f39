"""Where a command's output goes: the default folder beside the data, a name derived from the data
kept inside the chosen folder. The writing itself is generator.word.output's; this module only
decides the path, so render, issue and batch name their files by one rule.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import UserError

OUTPUT = "output"
DATA_FOLDER = "data"


def default_output_dir(data: str | Path) -> Path:
    """Where documents made from a data file go when no -o says otherwise: an output/ folder beside
    the data. When the data file sits in a folder named data/ (a project laid out as the README's
    quick start: data/ and output/ side by side), output/ is beside that folder; otherwise it is in
    the data file's own folder. So `kehoach render data/x.yaml` in the project writes output/x.docx,
    and `kehoach render ~/ke-hoach/x.yaml` writes ~/ke-hoach/output/x.docx from wherever it is run.

    Decided on the real folder (a link or ".." in the path changes nothing); given back relative
    to the current folder when it is inside it, so messages show the short path a user typed.
    """
    folder = Path(os.path.abspath(data)).parent.resolve()
    target = (folder.parent if folder.name.lower() == DATA_FOLDER else folder) / OUTPUT
    here = Path.cwd().resolve()
    return Path(os.path.relpath(target, here)) if target.is_relative_to(here) else target


def output_path(data: str | Path, out: str | Path | None, output_dir: str | Path | None = None) -> Path:
    """Where a rendered document goes: out as given, inside out when it is a folder, else in
    output_dir (default: default_output_dir(data), output/ beside the data).

    A name derived from the data file always lands inside the chosen folder (see contained).
    """
    name = Path(data).with_suffix(".docx").name if Path(data).name not in ("", ".", "..") else ""
    if out is None:
        return contained(default_output_dir(data) if output_dir is None else output_dir, name)
    into_folder = str(out).endswith(("/", "\\"))  # before Path() drops the trailing slash
    out = Path(out)
    if into_folder or out.is_dir():
        return contained(out, name)
    if out.suffix.lower() != ".docx":
        # A name with no .docx may be a folder not made yet: say both ways out, the folder's too.
        raise UserError(f"{out}: tệp kết quả phải có đuôi .docx (ví dụ {out.with_suffix('.docx').name}); muốn ghi "
                        f"vào một thư mục thì thư mục đó phải có sẵn, hoặc thêm dấu / ở cuối ({out.name}/) để tạo")
    if out.resolve() == Path(data).resolve():
        raise UserError(f"{out}: không ghi đè lên tệp dữ liệu")
    return out


def resolved_path(path: Path, parent_resolved: Path) -> Path:
    """path.resolve(), for a path whose parent is known to resolve to parent_resolved: a name with
    nothing behind it (not even a dangling link) resolves to itself under its parent, without the
    look-up of every component of the path that resolve() makes."""
    return path.resolve() if os.path.lexists(path) else parent_resolved / path.name


WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)),
                     *(f"lpt{i}" for i in range(1, 10))}


def contained(directory: str | Path, name: str, root: Path | None = None) -> Path:
    """directory/name, refusing any name that would put the file somewhere else.

    Why: file names can come from data (a data file's name, a unit's name in batch output); "..",
    an absolute path, a separator, a NUL or a Windows device name must never write outside the
    folder the user chose, nor fail halfway through a batch with an OS error.
    root: directory.resolve(), when the caller has it (a batch asks for thousands of names).
    """
    bad = (
        not name
        or name in (".", "..")
        or "/" in name or "\\" in name or "\x00" in name or ":" in name
        or Path(name).is_absolute()
        or name.split(".")[0].lower() in WINDOWS_RESERVED
        or len(name.encode("utf-8")) > 255
    )
    directory = Path(directory)
    target = directory / name
    if not bad:
        root = directory.resolve() if root is None else root
        bad = resolved_path(target, root).parent != root
    if bad:
        raise UserError(f"{name!r}: tên tệp kết quả không hợp lệ, nằm ngoài thư mục {directory}; "
                        "hãy đổi tên tệp dữ liệu hoặc dùng -o TÊN.docx")
    return target
