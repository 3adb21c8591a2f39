"""Putting a made document at its name: whether what is there may be replaced, and the write itself.

Every command that makes a Word document (render, batch, dossier) decides the same way: an issued
final is never replaced (force re-creates the same number only), a draft replaces only an untouched
draft of ours, and a PDF beside them follows its document. The write goes through the one output
writer (word/output.py); with a PDF, both are made in a hidden folder and given their names only when
both exist, so a LibreOffice failure leaves no final without its PDF. The loser of a race between
two runs is told what the winner wrote.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .. import limits
from ..document.seal import DRAFT_COMMENT, FINAL_COMMENT, SEAL, digest
from ..errors import OutputExistsError, UserError
from ..word.output import AlreadyThere, How, Target, target as output_target
from ..word.package import read_bounded


@dataclass(frozen=True)
class Existing:
    """What an existing .docx is, as far as replacing it is concerned."""

    kind: Literal["draft", "final"] | None  # made by kehoach as a draft or a final; None: not ours
    number: int | None = None  # the final's số, from its seal
    intact: bool = False  # its parts are exactly what kehoach wrote (no edit in Word since)


def existing_document(path: str | Path) -> Existing:
    """Read an existing .docx's kind, number and whether it is unchanged since kehoach wrote it."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if len(infos) > limits.MAX_MEMBERS or sum(i.file_size for i in infos) > limits.MAX_TOTAL_BYTES:
                return Existing(None)  # not something we wrote; never read a bomb to find out
            members = {i.filename: zf.read(i) for i in infos}
        core = members["docProps/core.xml"].decode("utf-8")
    except (OSError, KeyError, ValueError, RuntimeError, EOFError, NotImplementedError, zlib.error,
            zipfile.BadZipFile, UnicodeDecodeError):
        return Existing(None)
    m = re.search(r"<dc:description>([^<]*)</dc:description>", core)
    kind = {DRAFT_COMMENT: "draft", FINAL_COMMENT: "final"}.get(m.group(1) if m else "")
    ident = re.search(r"<dc:identifier>([^<]*)</dc:identifier>", core)
    found = SEAL.match(ident.group(1).strip()) if ident else None
    if kind is None or found is None:
        return Existing(kind)  # type: ignore[arg-type]
    number = int(found.group(2)) if found.group(2) != "-" else None
    return Existing(kind, number, found.group(3) == digest(members))  # type: ignore[arg-type]


def document_kind(path: str | Path) -> Literal["draft", "final"] | None:
    """Whether an existing .docx is a draft or a final made by kehoach; None for anything else."""
    return existing_document(path).kind


UNNUMBERED_SUFFIX = "-trinh-ky"
"""The copy the competent person signs (render --final --unnumbered), number and date blank."""


def signing_copy_name(stem: str) -> str:
    """The signing copy's file name: <stem>-trinh-ky.docx (render, each document of a dossier, each
    unit of a batch)."""
    return f"{stem}{UNNUMBERED_SUFFIX}.docx"


def superseded_draft(draft: Path) -> list[Path]:
    """What a final now beside it makes stale, when kehoach wrote it and nobody changed it since: the
    draft at draft, its signing copy (number and date blank, the PDF the signer was given) and their
    PDFs. The final of the same document is the one to send. A file edited since is the user's work,
    and anything else none of ours: neither is named. Never removed: a file open in Word, or attached
    to a mail, is the user's to remove. One rule for every command that issues a final beside its
    draft's name (render, batch, dossier)."""
    stale = []
    for path in (draft, draft.with_name(signing_copy_name(draft.stem))):
        # A regular file only: a pipe or a device at the name would block or be read without end.
        if not path.is_file():
            continue
        found = existing_document(path)
        if found.kind != "draft" or not found.intact:
            continue
        pdf = path.with_suffix(".pdf")
        stale += [path, *([pdf] if pdf.is_file() else [])]
    return stale


HINT = "dùng --force nếu chắc chắn muốn tạo lại (cùng dữ liệu cho ra tệp giống hệt)"


def final_label(existing: Existing) -> str:
    return f"bản phát hành số {existing.number}" if existing.number is not None else "một bản phát hành"


def same_bytes(path: Path, content: bytes) -> bool:
    """Whether path already holds exactly content: a final made again from the same data is kept as it
    is, never refused nor rewritten (same data, same bytes). Judged by what is opened, never waiting
    on it, and never more read than content's length and a byte (read_bounded): the name may have
    become a pipe since it was looked at, or be a file of gigabytes."""
    try:
        return read_bounded(path, str(path), len(content)) == content
    except UserError:
        return False


def check_overwrite(docx: Path, pdf: Path | None, *, final: bool, force: bool,
                    number: int | None = None) -> bool:
    """Refuse, before anything is written, to replace what a văn thư would not want replaced.

    Returns whether docx may be replaced (an untouched draft of ours, or --force): the caller's
    rule for generator.word.output (mode(force, this)). A draft is replaced only if it is still
    the file looked at here (replace-seen); when False the document is created without replacing
    anything, so a final another run makes meanwhile is never overwritten. number: the số of the
    document to write; a final of another number is refused even with force (force re-creates the
    same final only).
    """
    if force:
        existing = existing_document(docx) if docx.exists() else Existing(None)
        if existing.kind == "final" and existing.number is not None and existing.number != number:
            raise OutputExistsError(
                f"{docx}: đã có bản phát hành số {existing.number}; không thay bằng "
                + (f"văn bản số {number}" if number is not None else "một dự thảo")
                + " (kể cả với --force): văn bản đã phát hành là hồ sơ, giữ nguyên. Hãy ghi ra tên khác (-o). "
                "Không ghi tệp nào")
        return True
    replace = False
    if docx.exists():
        existing = existing_document(docx)
        if final or existing.kind != "draft":
            what = {"final": final_label(existing), "draft": "một dự thảo"}.get(
                existing.kind or "", "một tệp không phải dự thảo do kehoach tạo")
            rule = ("bản phát hành không bao giờ bị ghi đè" if final
                    else "dự thảo chỉ ghi đè lên dự thảo cũ")
            other = (f" (văn bản này số {number})" if final and existing.number is not None
                     and number is not None and existing.number != number else "")
            # --force re-creates a final of the same number only: never offered for anything else.
            hint = HINT if existing.kind != "final" or (final and not other) else "hãy ghi ra tên khác (-o)"
            raise OutputExistsError(f"{docx}: đã có {what}{other}; {rule}. Không ghi tệp nào; {hint}")
        if not existing.intact:
            raise OutputExistsError(
                f"{docx}: dự thảo này đã được sửa (hoặc lưu lại bằng Word) sau khi kehoach tạo; ghi đè "
                "sẽ làm mất phần đã sửa. Hãy chép phần sửa vào tệp dữ liệu, hoặc đổi tên tệp cũ, hoặc "
                f"dùng --force để vẫn ghi đè. Không ghi tệp nào")
        replace = True
    if pdf is not None and pdf.exists() and (final or not docx.exists()):
        raise OutputExistsError(
            f"{pdf}: đã có tệp PDF (có thể đã ký số); không ghi đè. Không ghi tệp nào; {HINT}"
        )
    return replace


def taken_error(docx: Path) -> OutputExistsError:
    """For the run that lost a race: the name was free when we looked and is taken now."""
    existing = existing_document(docx)
    what = final_label(existing) if existing.kind == "final" else (
        "một dự thảo" if existing.kind == "draft" else "một tệp khác")
    return OutputExistsError(
        f"{docx}: trong lúc lệnh này chạy, một lệnh khác đã tạo {what} ở đây; tệp đó được giữ nguyên. "
        f"Không ghi tệp nào; {HINT}")


def place_document(docx: Target, how: How, *, content: bytes = b"", staged: Path | None = None) -> None:
    """content (or the finished file `staged`) given docx's name; the loser of a race is told."""
    try:
        docx.write(content, how) if staged is None else docx.place(staged, how)
    except AlreadyThere:
        raise taken_error(docx.path) from None


def place_with_pdf(docx: Target, pdf: Target, content: bytes, how: How) -> Path:
    """The .docx and its PDF made in a hidden folder beside the target, then put in place: the
    .docx first (the race is decided there), then the PDF, by the same rule (the PDF of a draft
    we replace may be replaced, anything under --force; else created, never replacing)."""
    from ..esign.pdf import convert_to_pdf

    with docx.staging() as staging:
        staged = output_target(staging / docx.path.name).write(content)
        made = convert_to_pdf([staged], staging)[0]
        place_document(docx, how, staged=staged)
        try:
            return pdf.place(made, how)
        except AlreadyThere:
            raise OutputExistsError(f"{pdf.path}: một lệnh khác vừa tạo tệp PDF này; giữ nguyên. "
                                    f"Tệp {docx.path} đã được tạo") from None


def pdf_of_existing(docx: Target, pdf: Target) -> Path:
    """The missing PDF of an existing final, made from that very file."""
    from ..esign.pdf import convert_to_pdf

    with pdf.staging() as staging:
        made = convert_to_pdf([docx.path], staging)[0]
        try:
            return pdf.place(made, "create")
        except AlreadyThere:
            raise OutputExistsError(f"{pdf.path}: một lệnh khác vừa tạo tệp PDF này; giữ nguyên") from None
