"""Draft and final: the văn thư's job of turning a circulated draft into the signed-ready document.

A draft leaves the number and the day blank (Nghị định 30, Phụ lục I) and carries the "DỰ THẢO"
mark; the final takes the number and the full date from the data or from the command line, never
carries the mark, and differs from the draft in nothing else. A final is never overwritten without
force=True: it may already be signed, on paper or digitally. A draft may replace an earlier draft
made by this tool (drafts are regenerated many times while they circulate), nothing else.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import ValidationError

from ..document.seal import DRAFT_COMMENT, FINAL_COMMENT, SEAL, digest
from ..errors import OutputExistsError, UserError
from ..plan.model import IssueDate, Plan

FINAL_SUFFIX = "-phat-hanh"
UNNUMBERED_SUFFIX = "-trinh-ky"
"""The copy the competent person signs (render --final --unnumbered), number and date blank."""
"""Default name of a final: output/<data>-phat-hanh.docx, beside the draft output/<data>.docx."""

MAX_NUMBER = 99999


def parse_number(value: int | str) -> int:
    """The số given by the văn thư, as an integer; a UserError in Vietnamese when it is not one."""
    text = str(value).strip()
    # ASCII digits only: "²".isdigit() is True but int("²") fails, and "١٢٥" or "１２５" are not
    # what a văn thư types for a số.
    if isinstance(value, bool) or not re.fullmatch(r"[0-9]{1,9}", text) or not 1 <= int(text) <= MAX_NUMBER:
        raise UserError(
            f"số văn bản '{value}' không hợp lệ: phải là số nguyên dương từ 1 đến {MAX_NUMBER}, "
            "ví dụ --number 125 (số 0 ở đầu được tự thêm khi cần)"
        )
    return int(text)


def parse_date(value: str | dt.date) -> IssueDate:
    """The issue date: 2024-03-20, or 2024-03 for a draft; a UserError in Vietnamese otherwise."""
    try:
        return IssueDate.model_validate(value)
    except ValidationError as exc:
        from ..plan.loader import vietnamese_message

        err = exc.errors()[0]
        reason = vietnamese_message(dict(err), tuple(err["loc"]))
        raise UserError(f"ngày '{value}' không hợp lệ: {reason}; ví dụ --date 2024-03-20") from None


def with_issue(plan: Plan, *, number: int | str | None = None,
               date: str | dt.date | IssueDate | None = None) -> Plan:
    """The plan with the number and date the văn thư gives on the command line, replacing the data's."""
    update: dict[str, object] = {}
    if number is not None:
        update["number"] = parse_number(number)
    if date is not None:
        update["date"] = date if isinstance(date, IssueDate) else parse_date(date)
    return plan.model_copy(update=update) if update else plan


def as_draft(plan: Plan) -> Plan:
    """The plan as a draft: number and day blank, whatever the data already says."""
    return plan.model_copy(update={"number": None, "date": plan.date.model_copy(update={"day": None})})


def require_final(plan: Plan) -> Plan:
    """The plan itself when it has a number and a full date; otherwise a UserError saying what is missing."""
    missing = []
    if plan.number is None:
        missing.append("số văn bản (thêm --number N, hoặc trường number trong dữ liệu)")
    if not plan.date.complete:
        missing.append(
            "ngày ban hành đầy đủ: mới có "
            + (f"tháng {plan.date.month}/{plan.date.year}" if plan.date.month else f"năm {plan.date.year}")
            + ", chưa có ngày "
            "(thêm --date NĂM-THÁNG-NGÀY, ví dụ --date 2024-03-20, hoặc ghi đủ ngày trong trường date)"
        )
    if missing:
        raise UserError("chưa tạo được bản phát hành vì còn thiếu " + "; ".join(missing))
    return plan


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
            if len(infos) > 2000 or sum(i.file_size for i in infos) > 512 * 2**20:
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


def issue_path(data: str | Path, out: str | Path | None, *, final: bool,
               output_dir: str | Path = "output") -> Path:
    """Where the document goes: out as given; by default a final's name ends in -phat-hanh."""
    from ..document.render import output_path

    target = output_path(data, out, output_dir)
    into_folder = out is None or Path(out).is_dir() or str(out).endswith(("/", "\\"))
    if final and into_folder:
        target = target.with_name(f"{Path(data).stem}{FINAL_SUFFIX}.docx")
    return target


HINT = "dùng --force nếu chắc chắn muốn tạo lại (cùng dữ liệu cho ra tệp giống hệt)"


def final_label(existing: Existing) -> str:
    return f"bản phát hành số {existing.number}" if existing.number is not None else "một bản phát hành"


def check_overwrite(docx: Path, pdf: Path | None, *, final: bool, force: bool) -> bool:
    """Refuse, before anything is written, to replace what a văn thư would not want replaced.

    Returns whether docx may be replaced (an untouched draft of ours, or --force); when False the
    document must be created without replacing anything (publish(replace=False)), so a final
    another run makes meanwhile is never overwritten.
    """
    if force:
        return True
    replace = False
    if docx.exists():
        existing = existing_document(docx)
        if final or existing.kind != "draft":
            what = {"final": final_label(existing), "draft": "một dự thảo"}.get(
                existing.kind or "", "một tệp không phải dự thảo do kehoach tạo")
            rule = ("bản phát hành không bao giờ bị ghi đè" if final
                    else "dự thảo chỉ ghi đè lên dự thảo cũ")
            raise OutputExistsError(f"{docx}: đã có {what}; {rule}. Không ghi tệp nào; {HINT}")
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


@dataclass(frozen=True)
class Issued:
    """What issue_file wrote."""

    docx: Path
    pdf: Path | None
    final: bool
    plan: Plan
    pdf_only: bool = False
    """The document was already there, byte for byte what this run made: only its PDF was written."""


def issue_file(data: str | Path, out: str | Path | None = None, *, final: bool = False,
               number: int | str | None = None, date: str | dt.date | None = None,
               force: bool = False, pdf: bool = False, template: str | Path | None = None,
               output_dir: str | Path = "output", unnumbered: bool = False) -> Issued:
    """Render a plan file as a draft or as the final: the library call behind `kehoach render`.

    unnumbered=True (with final): the copy the competent person signs before the văn thư gives the
    number and the date (Điều 15 of Decree 30): no draft mark, the number and the day (and the month
    when the data has none) blank everywhere they appear; `kehoach sign --as agency --number N --date D`
    stamps them into the signed PDF afterwards. It is replaceable like a draft.

    Nothing is written when the data, the number, the date or the overwrite rule says no. With
    pdf=True nothing is written until the PDF exists: the .docx and its PDF are made in a hidden
    folder beside the target and only then given their names, so a LibreOffice failure leaves no
    final without its PDF. A final whose PDF is missing (from an older run) gets just the PDF when
    the same data makes the same bytes. Of several runs making the same final at once, exactly one
    writes it; the others raise OutputExistsError naming its number.
    """
    from ..plan.loader import load_plan

    if number is not None and not final:
        raise UserError("--number chỉ dùng cùng --final: dự thảo luôn để trống số cho văn thư ghi")
    if unnumbered and (not final or number is not None):
        raise UserError("--unnumbered đi cùng --final và không có --number: bản trình ký để trống số và ngày "
                        "cho văn thư đóng sau khi ký (kehoach sign --as agency --number N --date NGÀY)")
    plan = with_issue(load_plan(data), number=number, date=date)
    if unnumbered:
        plan = as_draft(plan).model_copy(update={"draft_mark": False})
        final = False  # replaceable like a draft; the signed PDF is the document
    # Without --final the data is printed as it is: whatever it leaves out (number, day) stays
    # blank, which is what makes a draft (issue 2); --final insists on both.
    plan = require_final(plan) if final else plan
    target = issue_path(data, out, final=final, output_dir=output_dir)
    if unnumbered and (out is None or Path(out).is_dir() or str(out).endswith(("/", "\\"))):
        target = target.with_name(f"{Path(data).stem}{UNNUMBERED_SUFFIX}.docx")
    pdf_target = target.with_suffix(".pdf") if pdf else None
    if pdf:
        from ..esign.pdf import find_soffice

        find_soffice()  # say LibreOffice is missing before writing anything
    content = None
    if pdf_target is not None and not force and target.exists() and not pdf_target.exists():
        # A retry after a PDF failure of an older run: the final is there, its PDF is not.
        content = _render_copy(plan, template, unnumbered)
        if (final or plan.is_final) and _same_bytes(target, content):
            return Issued(target, _pdf_only(target, pdf_target), final, plan, pdf_only=True)
    replace = check_overwrite(target, pdf_target, final=final, force=force)
    if content is None:
        content = _render_copy(plan, template, unnumbered)
    if pdf_target is None:
        _publish(target, content, replace)
        return Issued(target, None, final, plan)
    return Issued(target, _publish_with_pdf(target, pdf_target, content, replace, force), final, plan)


def _render_copy(plan: Plan, template: str | Path | None, unnumbered: bool) -> bytes:
    """render_plan, with the wide blanks of the signing copy when unnumbered."""
    from ..document.context import signing_copy
    from ..document.render import render_plan

    with signing_copy(unnumbered):
        return render_plan(plan, template)


def render_file(data: str | Path, out: str | Path | None = None, *,
                template: str | Path | None = None, output_dir: str | Path = "output") -> Path:
    """Render a plan file to a draft .docx with the rules of `kehoach render` (no overwriting a final,
    atomic write); issue_file for finals and PDF."""
    return issue_file(data, out, template=template, output_dir=output_dir).docx


def _same_bytes(path: Path, content: bytes) -> bool:
    try:
        return path.stat().st_size == len(content) and path.read_bytes() == content
    except OSError:
        return False


def _publish(target: Path, content: bytes, replace: bool) -> None:
    from ..word.package import AlreadyThere, publish

    try:
        publish(target, content, replace=replace)
    except AlreadyThere:
        raise taken_error(target) from None


def _staging(target: Path) -> Path:
    from ..word.package import _parent

    return Path(tempfile.mkdtemp(prefix=".kehoach-", dir=_parent(target)))


def _publish_with_pdf(target: Path, pdf_target: Path, content: bytes, replace: bool,
                      force: bool) -> Path:
    """The .docx and its PDF made in a hidden folder beside target, then put in place: the .docx
    first (the race is decided there), then the PDF."""
    from ..esign.pdf import convert_to_pdf
    from ..word.package import AlreadyThere, atomic_write, link_into_place

    staging = _staging(target)
    try:
        staged = atomic_write(staging / target.name, content)
        made = convert_to_pdf([staged], staging)[0]
        if replace:
            os.replace(staged, target)
        else:
            try:
                link_into_place(staged, target)
            except AlreadyThere:
                raise taken_error(target) from None
        # The PDF may replace only the PDF of a draft we just replaced, or anything under --force.
        if replace or force:
            os.replace(made, pdf_target)
        else:
            try:
                link_into_place(made, pdf_target)
            except AlreadyThere:
                raise OutputExistsError(f"{pdf_target}: một lệnh khác vừa tạo tệp PDF này; giữ nguyên. "
                                        f"Tệp {target} đã được tạo") from None
        return pdf_target
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _pdf_only(target: Path, pdf_target: Path) -> Path:
    """The missing PDF of an existing final, made from that very file."""
    from ..esign.pdf import convert_to_pdf
    from ..word.package import AlreadyThere, link_into_place

    staging = _staging(target)
    try:
        made = convert_to_pdf([target], staging)[0]
        try:
            return link_into_place(made, pdf_target)
        except AlreadyThere:
            raise OutputExistsError(f"{pdf_target}: một lệnh khác vừa tạo tệp PDF này; giữ nguyên") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
