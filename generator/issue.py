"""Draft and final: the văn thư's job of turning a circulated draft into the signed-ready document.

A draft leaves the number and the day blank (Nghị định 30, Phụ lục I) and carries the "DỰ THẢO"
mark; the final takes the number and the full date from the data or from the command line, never
carries the mark, and differs from the draft in nothing else. A final is never overwritten without
force=True: it may already be signed, on paper or digitally. A draft may replace an earlier draft
made by this tool (drafts are regenerated many times while they circulate), nothing else.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import ValidationError

from .errors import OutputExistsError, UserError
from .model import IssueDate, Plan

FINAL_SUFFIX = "-phat-hanh"
"""Default name of a final: output/<data>-phat-hanh.docx, beside the draft output/<data>.docx."""

DRAFT_COMMENT, FINAL_COMMENT = "Dự thảo", "Bản phát hành"
"""The document's "comments" core property (render._set_properties): how we recognise our drafts."""

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
        from .loader import vietnamese_message

        err = exc.errors()[0]
        reason = vietnamese_message(err, tuple(err["loc"]))
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
            f"ngày ban hành đầy đủ: mới có tháng {plan.date.month}/{plan.date.year}, chưa có ngày "
            "(thêm --date NĂM-THÁNG-NGÀY, ví dụ --date 2024-03-20, hoặc ghi đủ ngày trong trường date)"
        )
    if missing:
        raise UserError("chưa tạo được bản phát hành vì còn thiếu " + "; ".join(missing))
    return plan


def document_kind(path: str | Path) -> Literal["draft", "final"] | None:
    """Whether an existing .docx is a draft or a final made by kehoach; None for anything else."""
    try:
        with zipfile.ZipFile(path) as zf:
            core = zf.read("docProps/core.xml").decode("utf-8")
    except (OSError, KeyError, zipfile.BadZipFile, UnicodeDecodeError):
        return None
    m = re.search(r"<dc:description>([^<]*)</dc:description>", core)
    comment = m.group(1) if m else None
    return {DRAFT_COMMENT: "draft", FINAL_COMMENT: "final"}.get(comment or "")


def issue_path(data: str | Path, out: str | Path | None, *, final: bool,
               output_dir: str | Path = "output") -> Path:
    """Where the document goes: out as given; by default a final's name ends in -phat-hanh."""
    from .render import output_path

    target = output_path(data, out, output_dir)
    into_folder = out is None or Path(out).is_dir() or str(out).endswith(("/", "\\"))
    if final and into_folder:
        target = target.with_name(f"{Path(data).stem}{FINAL_SUFFIX}.docx")
    return target


def check_overwrite(docx: Path, pdf: Path | None, *, final: bool, force: bool) -> None:
    """Refuse, before anything is written, to replace what a văn thư would not want replaced."""
    if force:
        return
    hint = "dùng --force nếu chắc chắn muốn tạo lại (cùng dữ liệu cho ra tệp giống hệt)"
    if docx.exists():
        kind = document_kind(docx)
        if final or kind != "draft":
            what = {"final": "một bản phát hành", "draft": "một dự thảo"}.get(
                kind or "", "một tệp không phải dự thảo do kehoach tạo")
            rule = ("bản phát hành không bao giờ bị ghi đè" if final
                    else "dự thảo chỉ ghi đè lên dự thảo cũ")
            raise OutputExistsError(f"{docx}: đã có {what}; {rule}. Không ghi tệp nào; {hint}")
    if pdf is not None and pdf.exists() and (final or not docx.exists()):
        raise OutputExistsError(
            f"{pdf}: đã có tệp PDF (có thể đã ký số); không ghi đè. Không ghi tệp nào; {hint}"
        )


@dataclass(frozen=True)
class Issued:
    """What issue_file wrote."""

    docx: Path
    pdf: Path | None
    final: bool
    plan: Plan


def issue_file(data: str | Path, out: str | Path | None = None, *, final: bool = False,
               number: int | str | None = None, date: str | dt.date | None = None,
               force: bool = False, pdf: bool = False, template: str | Path | None = None,
               output_dir: str | Path = "output") -> Issued:
    """Render a plan file as a draft or as the final: the library call behind `kehoach render`.

    Nothing is written when the data, the number, the date or the overwrite rule says no; the .docx
    (and the PDF beside it when pdf=True) are each written atomically.
    """
    from .loader import load_plan
    from .word.package import atomic_write
    from .render import render_plan

    if number is not None and not final:
        raise UserError("--number chỉ dùng cùng --final: dự thảo luôn để trống số cho văn thư ghi")
    plan = with_issue(load_plan(data), number=number, date=date)
    # Without --final the data is printed as it is: whatever it leaves out (number, day) stays
    # blank, which is what makes a draft (issue 2); --final insists on both.
    plan = require_final(plan) if final else plan
    target = issue_path(data, out, final=final, output_dir=output_dir)
    pdf_target = target.with_suffix(".pdf") if pdf else None
    check_overwrite(target, pdf_target, final=final, force=force)
    if pdf:
        from .pdf import find_soffice

        find_soffice()  # say LibreOffice is missing before writing anything
    content = render_plan(plan, template)
    atomic_write(target, content)
    made_pdf = None
    if pdf:
        from .pdf import convert_to_pdf

        made_pdf = convert_to_pdf([target], target.parent)[0]
    return Issued(target, made_pdf, final, plan)
