"""Draft and final: the văn thư's job of turning a circulated draft into the signed-ready document.

A draft leaves the number and the day blank (Nghị định 30, Phụ lục I) and carries the "DỰ THẢO"
mark; the final takes the number and the full date from the data or from the command line, never
carries the mark, and differs from the draft in nothing else. A final is never overwritten without
force=True: it may already be signed, on paper or digitally; and never, even so, by a final of
another number (an issued document is a record). Its default name carries its number, so two
issues never share a name. A draft may replace an earlier draft made by this tool (drafts are
regenerated many times while they circulate), nothing else (the rule and the write: jobs/publish.py,
whose names are also importable from here). Issuing also keeps the record (jobs/record.py): the
number and date go into the data file, the register's fields beside the final.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from ..errors import UserError
from ..nd30 import DOC_NUMBER_MAX, DOC_NUMBER_MIN
from ..plan.model import IssueDate, Plan
from ..text import date_dmy, shell_arg
from ..word.output import mode, target as output_target
from .publish import (
    HINT as HINT,
    Existing as Existing,
    check_overwrite as check_overwrite,
    document_kind as document_kind,
    existing_document as existing_document,
    final_label as final_label,
    pdf_of_existing,
    place_document,
    place_with_pdf,
    same_bytes,
    signing_copy_name,
    superseded_draft,
    taken_error as taken_error,
)

FINAL_SUFFIX = "-so-"
"""Default name of a final: output/<data>-so-18.docx (its number as printed, 05 for 5), beside the
draft output/<data>.docx."""
ISSUED_WITH_DECISION_SUFFIX = "-ban-hanh"
"""The final of a document issued with a decision (own_number: false) has no number of its own to name it by."""

def parse_number(value: int | str) -> int:
    """The số given by the văn thư, as an integer; a UserError in Vietnamese when it is not one."""
    text = str(value).strip()
    # ASCII digits only: "²".isdigit() is True but int("²") fails, and "١٢٥" or "１２５" are not
    # what a văn thư types for a số.
    if (isinstance(value, bool) or not re.fullmatch(r"[0-9]{1,9}", text)
            or not DOC_NUMBER_MIN <= int(text) <= DOC_NUMBER_MAX):
        raise UserError(
            f"số văn bản '{value}' không hợp lệ: phải là số nguyên dương từ {DOC_NUMBER_MIN} đến {DOC_NUMBER_MAX}, "
            "ví dụ --number 125 (số 0 ở đầu được tự thêm khi cần)"
        )
    return int(text)


def parse_date(value: str | dt.date) -> IssueDate:
    """The issue date: 20/03/2024, 20/3/2024 or 2024-03-20; 03/2024 or 2024-03 for a draft; a
    UserError in Vietnamese otherwise."""
    try:
        return IssueDate.model_validate(value)
    except ValidationError as exc:
        from ..plan.loader import vietnamese_message

        err = exc.errors()[0]
        reason = vietnamese_message(dict(err), tuple(err["loc"]))
        raise UserError(f"ngày '{value}' không hợp lệ: {reason}; ví dụ --date 20/03/2024") from None


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


def refuse_signing_flags(*, unnumbered: bool, final: bool, number: object = None, of: str = "") -> None:
    """--unnumbered asks for the signing copy: with --final, never with --number (the văn thư gives the
    number after the signature). One rule and one message for render, dossier and batch; of: whose copy
    (" của hồ sơ")."""
    if unnumbered and (not final or number is not None):
        raise UserError(f"--unnumbered đi cùng --final và không có --number: bản trình ký{of} để trống số và ngày "
                        "cho văn thư đóng sau khi ký (kehoach sign --as agency --number N --date NGÀY)")


def for_signing(plan: Plan) -> Plan:
    """The copy the competent person signs: number and day blank as in a draft, without the draft mark
    (it is the document, signed before the văn thư numbers it). One rule for render, dossier and batch;
    render it under document.context.signing_copy() for the wide blanks the stamps fit in."""
    return as_draft(plan).model_copy(update={"draft_mark": False})


def require_final(plan: Plan) -> Plan:
    """The plan itself when it has a number and a full date (only the date for a document issued with a
    decision: its number is the decision's); otherwise a UserError saying what is missing."""
    missing = []
    if plan.lacks_number:
        missing.append("số văn bản (thêm --number N, hoặc trường number trong dữ liệu)")
    if not plan.date.complete:
        missing.append(
            "ngày ban hành đầy đủ: mới có "
            + (f"tháng {plan.date.month}/{plan.date.year}" if plan.date.month else f"năm {plan.date.year}")
            + ", chưa có ngày "
            "(thêm --date NGÀY/THÁNG/NĂM, ví dụ --date 20/03/2024, hoặc ghi đủ ngày trong trường date)"
        )
    if missing:
        raise UserError("chưa tạo được bản phát hành vì còn thiếu " + "; ".join(missing))
    return plan


def issue_path(data: str | Path, out: str | Path | None, *, final: bool,
               output_dir: str | Path | None = None, number: int | None = None) -> Path:
    """Where the document goes: out as given; by default output/ beside the data
    (word.output_paths.default_output_dir), and a final's name ends in its number (-so-18), or says it is
    issued (-ban-hanh) when its number is its decision's."""
    from ..word.output_paths import output_path

    target = output_path(data, out, output_dir)
    if final and into_folder(out):
        target = target.with_name(f"{target.stem}{final_tail(number)}.docx")
    return target


def into_folder(out: str | Path | None) -> bool:
    """Whether out leaves the file's name to kehoach: none given, or a folder."""
    return out is None or Path(out).is_dir() or str(out).endswith(("/", "\\"))


def final_tail(number: int | None) -> str:
    """How a final's file name ends: its number (-so-18), or -ban-hanh when it has none of its own (a
    document issued with a decision). One rule for `render --final` and `batch --final`."""
    from ..document.context import number_text

    return f"{FINAL_SUFFIX}{number_text(number).strip()}" if number is not None else ISSUED_WITH_DECISION_SUFFIX


@dataclass(frozen=True)
class Issued:
    """What issue_file wrote."""

    docx: Path
    pdf: Path | None
    final: bool
    plan: Plan
    pdf_only: bool = False
    """The document was already there, byte for byte what this run made: only its PDF was written."""
    unchanged: bool = False
    """The final was already there, byte for byte what this run made (and its PDF, if asked for):
    nothing was written but the record."""
    metadata: Path | None = None
    """The register's fields of a final, as JSON beside it (jobs/record.py)."""
    recorded: bool = False
    """The number and date were written into the data file by this run."""
    warnings: list[str] = dataclasses.field(default_factory=list)
    """What the văn thư should look at again (an issue date in another month than the draft's)."""
    superseded: tuple[Path, ...] = ()
    """The draft of this document (and its PDF) at the draft's name beside the final, ours and untouched:
    left as it is, named so that the văn thư removes it rather than sends it (jobs/publish.py)."""


def issue_file(data: str | Path, out: str | Path | None = None, *, final: bool = False,
               number: int | str | None = None, date: str | dt.date | None = None,
               force: bool = False, pdf: bool = False, template: str | Path | None = None,
               output_dir: str | Path | None = None, unnumbered: bool = False) -> Issued:
    """Render a plan file as a draft or as the final: the library call behind `kehoach render`.

    unnumbered=True (with final): the copy the competent person signs before the văn thư gives the
    number and the date (Điều 15 of Decree 30): no draft mark, the number and the day (and the month
    when the data has none) blank everywhere they appear; `kehoach sign --as agency --number N --date D`
    stamps them into the signed PDF afterwards. It is replaceable like a draft and records nothing.

    Nothing is written when the data, the number, the date or the overwrite rule says no, nor when
    the data file already records another number. With pdf=True nothing is written until the PDF
    exists: the .docx and its PDF are made in a hidden folder beside the target and only then given
    their names, so a LibreOffice failure leaves no final without its PDF. A final already there,
    byte for byte what this data makes, is kept (only a missing PDF is made). Of several runs making
    the same final at once, exactly one writes it; the others raise OutputExistsError naming its
    number. A final, once written, is recorded: its JSON entry beside it, then number and date in
    the data file (jobs/record.py).
    """
    from ..plan.loader import load_plan
    from .record import refuse_another_number, refuse_used_number, write_metadata, write_record

    if number is not None and not final:
        raise UserError("--number chỉ dùng cùng --final: dự thảo luôn để trống số cho văn thư ghi")
    refuse_signing_flags(unnumbered=unnumbered, final=final, number=number)
    given_number = parse_number(number) if number is not None else None
    recorded = load_plan(data)
    if recorded.dossier is not None and (final or recorded.is_final):
        # The plan of a dossier goes out with its decision, numbered and dated as the decision is:
        # a final (or a signing copy) of it alone would be another document, with a number of its
        # own, registered and written into the data beside the dossier's. A number written at the
        # top of the data would make plain `render` issue that very document: refused the same.
        own = "" if final else (" (tệp ghi number: ở đầu tệp, nên kehoach render sẽ tạo một kế hoạch có số riêng; "
                                "hãy bỏ dòng number: đó)")
        raise UserError(f"{data}: tệp có mục dossier: kế hoạch ban hành kèm theo Quyết định của hồ sơ, không có số "
                        f"riêng{own}; hồ sơ phát hành theo thứ tự: số, ngày của Tờ trình (và bảng tổng hợp ý kiến) "
                        "ở dossier.submission (dossier.comment_report), rồi của Quyết định ở dossier.decision khi "
                        f"có; mỗi lần: kehoach dossier {shell_arg(data)} --final (bản trình ký: kehoach dossier "
                        f"{shell_arg(data)} --final --unnumbered; docs/ho-so.md)")
    if given_number is not None and not recorded.own_number:
        raise UserError(f"{data}: văn bản ban hành kèm theo quyết định (own_number: false) không có số riêng, số là "
                        "của quyết định ghi ở dòng (Ban hành kèm theo …); bỏ --number, chỉ cần --date ngày ban hành")
    given_date = None if date is None else date if isinstance(date, IssueDate) else parse_date(date)
    refuse_another_number(data, recorded.number, given_number, given_date, recorded.date,
                          issue_path(data, out, final=True, output_dir=output_dir, number=recorded.number)
                          if recorded.number is not None else None)
    plan = with_issue(recorded, number=given_number, date=given_date)
    warnings = _moved_date(recorded.date, given_date) if final and not unnumbered else []
    if plan.co_signers and (pdf or unnumbered):
        # kehoach sign places one competent person's signature (the block right of "Nơi nhận:"); a
        # joint plan's signatures stand side by side over the Nơi nhận (docs/huong-dan.md). Electronic
        # issue of a joint plan would need: the signature blocks found per column (titles row, names
        # row, left to right); one signer field and one agency field per agency, each seal over its
        # own signer's image; the order co-issuers' leaders first, the lead agency's leader last, then
        # the lead agency's văn thư alone stamping the number and date (its register's series) and
        # each agency's văn thư its seal; verify accepting that sequence of revisions.
        warnings.append("văn bản liên tịch: 'kehoach sign' chưa ký số được văn bản có nhiều người ký; hãy ký số "
                        "trên hệ thống quản lý văn bản của cơ quan, hoặc ký trên giấy")
    if unnumbered:
        plan = for_signing(plan)
        final = False  # replaceable like a draft; the signed PDF is the document
    # Without --final the data is printed as it is: whatever it leaves out (number, day) stays
    # blank, which is what makes a draft (issue 2); --final insists on both.
    plan = require_final(plan) if final else plan
    issued = final or plan.is_final
    path = issue_path(data, out, final=issued, output_dir=output_dir, number=plan.number)
    if unnumbered and into_folder(out):
        path = path.with_name(signing_copy_name(Path(data).stem))
    # Decided on real paths before rendering: never the data or the template, even with --force.
    docx = output_target(path, inputs=[data, template])
    if issued:
        refuse_used_number(plan, docx.path)
    pdf_out = output_target(docx.path.with_suffix(".pdf"), inputs=[data, template]) if pdf else None
    target = docx.path
    if pdf:
        from ..esign.pdf import find_soffice

        find_soffice()  # say LibreOffice is missing before writing anything

    def keep_record(done: Issued) -> Issued:
        done = dataclasses.replace(done, warnings=warnings)
        if not issued:
            return done
        meta = write_metadata(plan, done.docx, done.pdf or _existing_pdf(done.docx))
        # A final named by its number leaves the draft of the default name beside it (render, then
        # render --final): named, never removed. A final written to a name given (-o) has no draft.
        draft = done.docx.with_name(issue_path(data, out, final=False).name) if into_folder(out) else None
        stale = tuple(superseded_draft(draft)) if draft is not None and draft != done.docx else ()
        return dataclasses.replace(done, metadata=meta, recorded=write_record(data, plan), superseded=stale)

    content = None
    if issued and not force and docx.exists:
        # The same final again (a retry, or `render` of a data file that records its issue): kept
        # as it is; a PDF missing after an older run's LibreOffice failure is made from it.
        content = _render_copy(plan, template, unnumbered)
        if same_bytes(target, content):
            if pdf_out is not None and not pdf_out.exists:
                return keep_record(Issued(target, pdf_of_existing(docx, pdf_out), final, plan, pdf_only=True))
            return keep_record(Issued(target, pdf_out.path if pdf_out else None, final, plan, unchanged=True))
    how = mode(force, check_overwrite(target, pdf_out.path if pdf_out else None, final=issued, force=force,
                                      number=plan.number))
    if content is None:
        content = _render_copy(plan, template, unnumbered)
    if pdf_out is None:
        place_document(docx, how, content=content)
        return keep_record(Issued(target, None, final, plan))
    return keep_record(Issued(target, place_with_pdf(docx, pdf_out, content, how), final, plan))


def _moved_date(drafted: IssueDate, given: IssueDate | None) -> list[str]:
    """A warning when --date leaves the month and year the draft was written for: a year typed wrong
    in January is issued all the same (a plan drafted in 12/2025 for 2026 may well be issued in
    01/2026, so this is never a refusal)."""
    if given is None or (given.year, given.month) == (drafted.year, drafted.month or given.month):
        return []
    said = date_dmy(drafted.year, drafted.month)
    return [f"ngày ban hành {date_dmy(given.year, given.month, given.day)} không thuộc "
            f"{'tháng' if drafted.month else 'năm'} {said} ghi trong tệp dữ liệu; hãy kiểm tra lại "
            "ngày, năm đã gõ và năm trong trích yếu, nội dung"]


def _existing_pdf(docx: Path) -> Path | None:
    """The PDF beside a final, when an earlier run made it (its pages are the register's số trang)."""
    pdf = docx.with_suffix(".pdf")
    return pdf if pdf.is_file() else None


def _render_copy(plan: Plan, template: str | Path | None, unnumbered: bool) -> bytes:
    """render_plan, with the wide blanks of the signing copy when unnumbered."""
    from ..document.context import signing_copy
    from ..document.render import render_plan

    with signing_copy(unnumbered):
        return render_plan(plan, template)


def render_file(data: str | Path, out: str | Path | None = None, *,
                template: str | Path | None = None, output_dir: str | Path | None = None) -> Path:
    """Render a plan file to a draft .docx with the rules of `kehoach render` (no overwriting a final,
    atomic write); issue_file for finals and PDF."""
    return issue_file(data, out, template=template, output_dir=output_dir).docx


