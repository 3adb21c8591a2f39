"""`kehoach dossier`: the documents a plan travels with, made from the plan's own data.

A plan issued by a decision goes up with the drafting agency's Tờ trình, is issued by the
Quyết định ("Ban hành kèm theo Quyết định này Kế hoạch …"), carries "(Ban hành kèm theo Quyết định
số … ngày … của …)" under its title instead of a number of its own, and is often accompanied by the
table of comments received. Staff used to type the same names, trích yếu, legal bases, numbers and
dates into each; here the plan's `dossier:` section says only what the plan does not, and every
cross-reference (the Tờ trình's number in the Quyết định, the Quyết định's in the plan) is derived.

Each document is a plan-shaped Plan rendered with the one template, so the layout rules, the checker
and the editor treat it as they treat a plan. Drafts leave every number and day blank; final=True
prints the numbers and dates each document has received.

The set is issued in the office's order, by two authorities and on two days: the drafting agency
numbers its Tờ trình (and the table of comments that goes up with it) and submits it with the draft
decision and plan; the authority numbers its Quyết định, which issues the plan, later. So a final set
needs the Tờ trình's number and date (and the table's); without the decision's it is the submitted
set: the Tờ trình issued, the decision and the plan still drafts that cite it by its number.

Electronic issue signs before it numbers (docs/ky-so.md): unnumbered=True (with final) makes the signing
copy (bản trình ký) of each document whose turn it is and that has no number and date yet, no draft
mark, its blanks wide enough for the văn thư's stamps: the Tờ trình (and comment table) first; once
they are numbered, the decision, citing the Tờ trình by its number, and the plan issued with it, whose
"(Ban hành kèm theo Quyết định số … ngày …)" line keeps the decision's blanks, stamped with the
decision's number and day. Documents already issued are made as a final set makes them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ..document.context import number_text, short_date, signing_copy, unit_cell, unit_name
from ..errors import DataError, Problem, UserError
from ..plan.loader import Source
from ..plan.model import (
    Agency,
    Align,
    Column,
    DocType,
    Dossier,
    DossierIssue,
    IssueDate,
    Plan,
    Reference,
    Section,
    Table,
    TableBlock,
)
from ..text import shell_arg
from ..word.output import Target, check_folder, mode, target as output_target
from .issue import final_tail, for_signing, refuse_signing_flags
from .progress import said_day
from .publish import (
    check_overwrite,
    pdf_of_existing,
    place_document,
    place_with_pdf,
    same_bytes,
    signing_copy_name,
    superseded_draft,
)

KINDS = ("to-trinh", "quyet-dinh", "ke-hoach", "tong-hop-y-kien")
"""The documents of a dossier, in the order they are written and listed."""
LABELS = {"to-trinh": "Tờ trình", "quyet-dinh": "Quyết định", "ke-hoach": "Kế hoạch (kèm theo Quyết định)",
          "tong-hop-y-kien": "Bảng tổng hợp ý kiến góp ý"}

COMMENT_COLUMNS = ("STT", "Nội dung góp ý", "Đơn vị góp ý", "Ý kiến tiếp thu, giải trình")


@dataclass(frozen=True)
class DossierDocument:
    """One written document of the dossier."""

    kind: str  # one of KINDS
    path: Path
    plan: Plan  # what was rendered (the checker's and the tests' reading of it)
    pdf: Path | None = None
    kept: bool = False  # an issued document already there with these very bytes, left as it was
    signing: bool = False  # a signing copy: number and day blank for the văn thư's stamps

    @property
    def label(self) -> str:
        return LABELS[self.kind]


@dataclass(frozen=True)
class DossierResult:
    documents: list[DossierDocument]
    final: bool
    unnumbered: bool = False
    waiting: tuple[str, ...] = ()
    """Kinds whose signing copy comes later: the decision and its plan, until the Tờ trình is numbered."""
    superseded: tuple[Path, ...] = ()
    """Earlier drafts of ours (and their PDFs) beside a final of the same document: left as they are,
    named so that the văn thư removes them rather than sends one (docs/ho-so.md)."""
    waiting_on: tuple[tuple[str, str], ...] = ()
    """What they wait for: (kind, place in the data) of each submitted document still without its number
    or full date ("tong-hop-y-kien", "dossier.comment_report")."""


def _lower_first(text: str) -> str:
    """"Cải cách hành chính …" → "cải cách hành chính …" after "Kế hoạch"; a name ("Lâm Đồng …",
    "UBND …") keeps its capitals."""
    words = text.split()
    if len(words) >= 2 and words[0][:1].isupper() and not words[0].isupper() and words[1][:1].islower():
        return text[:1].lower() + text[1:]
    return text


def _date(issue: DossierIssue, plan: Plan) -> IssueDate:
    """A dossier document's date: its own, else the plan's month and year with the day blank."""
    return issue.date or plan.date.model_copy(update={"day": None})


def _issued(issue: DossierIssue, plan: Plan) -> bool:
    """Whether the văn thư has given this document its number and its full date."""
    return issue.number is not None and _date(issue, plan).complete


def _draft(issue: DossierIssue, plan: Plan, final: bool) -> tuple[int | None, IssueDate]:
    """Number and date as printed: blank number and day in a draft, whatever the data says; in a final
    set, a document not issued yet (the decision of a set just submitted) stays a draft."""
    date = _date(issue, plan)
    if final and _issued(issue, plan):
        return issue.number, date
    return None, date.model_copy(update={"day": None})


def _submitted_with(dossier: Dossier) -> list[tuple[str, DossierIssue]]:
    """The documents the drafting agency issues to submit the set: its Tờ trình, and the table of
    comments that goes up with it."""
    out: list[tuple[str, DossierIssue]] = [("submission", dossier.submission)]
    if dossier.comments:
        out.append(("comment_report", dossier.comment_report))
    return out


_KIND_AT = {"submission": "to-trinh", "decision": "quyet-dinh", "comment_report": "tong-hop-y-kien"}
"""Each document's place under dossier in the data, and its kind (KINDS)."""


def _missing_at(dossier: Dossier, plan: Plan, *,
                with_decision: bool = True) -> list[tuple[tuple[str, ...], str]]:
    """What a set still lacks (field path, what to write there), every document at once: the
    submitted documents', and the decision's unless with_decision is False."""
    wanted = _submitted_with(dossier)
    if with_decision:
        wanted.insert(1, ("decision", dossier.decision))
    out: list[tuple[tuple[str, ...], str]] = []
    example = f"20/03/{plan.date.year}"
    for where, issue in wanted:
        if issue.number is None:
            out.append((("dossier", where, "number"), "số văn bản"))
        if not _date(issue, plan).complete:
            out.append((("dossier", where, "date"), f"ngày ban hành đầy đủ, ví dụ {example}"))
    return out


def _missing(dossier: Dossier, plan: Plan) -> list[str]:
    return [f"{'.'.join(loc)} ({what})" for loc, what in _missing_at(dossier, plan, with_decision=False)]


def _refuse_missing(source: Source, plan: Plan) -> None:
    """A final set lacking a submitted document's number or date, or dated out of order, said at the
    lines of the data file where each goes. The decision's may come later (the submitted set)."""
    if plan.dossier is None:
        return
    problems = []
    for loc, what in _missing_at(plan.dossier, plan, with_decision=False):
        line, column = source.position(loc)
        # Where the field is not written yet, the mục that should hold it (comment_report: "dossier").
        said = ("ghi số văn thư đã cấp, ví dụ number: 15" if loc[-1] == "number"
                else f"ghi ngày văn thư đã cấp, ví dụ date: {what.rsplit(' ', 1)[-1]}")
        problems.append(Problem(source.file, line, column, ".".join(loc), None,
                                f"bản phát hành cần {'số' if loc[-1] == 'number' else 'ngày ban hành đầy đủ'} "
                                f"của văn bản này; {said}"))
    problems += _out_of_order(source, plan.dossier, plan)
    if problems:
        raise DataError(problems)


def _out_of_order(source: Source, dossier: Dossier, plan: Plan) -> list[Problem]:
    """Dates a set cannot carry: the Quyết định proposes on the Tờ trình ("Theo đề nghị … tại Tờ
    trình số … ngày …"), so it is not dated before it; the comment table goes up with the Tờ trình,
    so it is not dated after it."""
    def day(issue: DossierIssue) -> dt.date | None:
        d = _date(issue, plan)
        return dt.date(d.year, d.month, d.day) if d.complete and d.month and d.day else None

    submitted, decided = day(dossier.submission), day(dossier.decision)
    at = source.position(("dossier", "submission", "date"))[0]
    fix = f"dossier.submission.date, dòng {at}" if at else "dossier.submission.date"
    problems = []
    if submitted and decided and decided < submitted:
        line, column = source.position(("dossier", "decision", "date"))
        problems.append(Problem(
            source.file, line, column, "dossier.decision.date", None,
            f"Quyết định ngày {said_day(decided)} trước Tờ trình ngày {said_day(submitted)} mà nó dẫn (“Theo đề "
            f"nghị … tại Tờ trình số … ngày …”); sửa ngày của Quyết định hoặc của Tờ trình ({fix})"))
    commented = day(dossier.comment_report) if dossier.comments else None
    if submitted and commented and commented > submitted:
        line, column = source.position(("dossier", "comment_report", "date"))
        problems.append(Problem(
            source.file, line, column, "dossier.comment_report.date", None,
            f"bảng tổng hợp ý kiến ngày {said_day(commented)} sau Tờ trình ngày {said_day(submitted)} mà nó gửi "
            f"kèm; sửa ngày của bảng tổng hợp hoặc của Tờ trình ({fix})"))
    return problems


def _own_references(plan: Plan, drafter: Agency) -> dict[str, Reference]:
    """The plan's references as another agency cites them: a document of the plan's issuer written
    without ký hiệu or issuer gets both from the plan, not from the agency now citing it."""
    from ..document.context import reference_symbol

    out = {}
    for key, ref in plan.references.items():
        if ref.number is not None and (ref.symbol is None or ref.issuer is None):
            ref = ref.model_copy(update={"symbol": reference_symbol(plan, ref),
                                         "issuer": ref.issuer or plan.agency.running_name})
        out[key] = ref
    return out


def _cited(type_: str, number: int | None, symbol: str, date: IssueDate, issuer: str) -> str:
    """"Quyết định số 25/QĐ-UBND ngày 12/3/2026 của UBND tỉnh …", blanks where a draft has none."""
    return f"{type_} số {number_text(number)}/{symbol} ngày {short_date(date)} của {issuer}"


def _appendix_line(line: Literal[False] | str | None, kind_name: str, dec_symbol: str,
                   decision_cited: str) -> Literal[False] | str:
    """An appendix's line in the plan the dossier issues: "(Kèm theo Kế hoạch ban hành kèm theo <the
    decision>)" when it has none. A line that already cites a decision of the issuer's ("…Quyết định số
    /QĐ-UBND ngày /01/2027" as rollover drafts it, or last year's) cites the one issued now, in its own
    wording: the plan's head cites this decision, and its appendices cite what its head does. A line
    citing another document, or none asked for (false), stays as written."""
    from ..recognise.lines import parse_reference

    if line is False:
        return line
    if line is None:
        return f"(Kèm theo {kind_name} ban hành kèm theo {decision_cited})"
    ref = parse_reference(line)
    decision = DocType.quyet_dinh.value
    if ref is None or ref.symbol != dec_symbol or not ref.doc_type.lower().endswith(decision.lower()):
        return line
    return f"{ref.lead[:-len(decision)]}{decision_cited})"


def dossier_plans(plan: Plan, *, final: bool = False, unnumbered: bool = False) -> dict[str, Plan]:
    """The dossier's documents as plans, by kind (KINDS): what `write_dossier` renders.

    UserError when the plan has no dossier section, or (final) when a submitted document's number or
    date is missing (the decision's may come later: its documents then stay drafts).

    unnumbered: the signing copies (see the module's docstring): every document not issued yet as
    for_signing makes it, the decision's blanks cited wide; the decision and its plan only once the
    submitted documents are issued (before, they would cite a Tờ trình without its number)."""
    if unnumbered:
        # The citations of a document not issued yet are written here, so the wide blanks too.
        with signing_copy():
            out = _dossier_plans(plan, final=True, unnumbered=True)
        if plan.dossier is not None and _missing_at(plan.dossier, plan, with_decision=False):
            del out["quyet-dinh"], out["ke-hoach"]
        return {kind: doc if doc.is_final else for_signing(doc) for kind, doc in out.items()}
    return _dossier_plans(plan, final=final, unnumbered=False)


def _dossier_plans(plan: Plan, *, final: bool, unnumbered: bool) -> dict[str, Plan]:
    dossier = plan.dossier
    if dossier is None:
        raise UserError("tệp dữ liệu chưa có mục dossier (hồ sơ trình: cơ quan soạn thảo, Tờ trình, Quyết định); "
                        "xem docs/ho-so.md")
    if final and not unnumbered:
        missing = _missing(dossier, plan)
        if missing:
            raise UserError("chưa tạo được bộ hồ sơ phát hành vì còn thiếu: " + "; ".join(missing)
                            + ". Ghi số, ngày văn thư đã cấp vào tệp dữ liệu rồi chạy lại (số, ngày của Quyết "
                            "định ghi sau, khi cấp có thẩm quyền ký ban hành)")
    drafter, sub, dec = dossier.drafter, dossier.submission, dossier.decision
    kind_name = plan.type.value  # "Kế hoạch"
    about = _lower_first(plan.subject_text)
    sub_number, sub_date = _draft(sub, plan, final)
    dec_number, dec_date = _draft(dec, plan, final)
    sub_symbol = f"{DocType.to_trinh.abbreviation}-{drafter.abbreviation}"
    dec_symbol = f"{DocType.quyet_dinh.abbreviation}-{plan.agency.abbreviation}"
    decision_cited = _cited(DocType.quyet_dinh.value, dec_number, dec_symbol, dec_date, plan.agency.running_name)
    cited_refs = _own_references(plan, drafter)
    common: dict[str, Any] = {"units": plan.units, "draft_mark": plan.draft_mark, "dossier": None}

    # Kính gửi names the authority in full ("Ủy ban nhân dân tỉnh …"), as a Tờ trình addresses it.
    addressee = list(sub.addressee or [plan.agency.full_name])
    to_names = ", ".join(unit_name(plan, a) for a in addressee)
    submission = Plan(
        type=DocType.to_trinh, agency=drafter, number=sub_number, date=sub_date,
        subject=list(sub.subject or [f"Về việc ban hành {kind_name} {about}"]),
        addressee=addressee, references=cited_refs, sections=list(sub.sections),
        closing=sub.closing or f"{drafter.running_name} kính trình {to_names} xem xét, quyết định.",
        recipients=list(sub.recipients), archive=list(sub.archive), signer=sub.signer, **common)

    signer = sub.signer
    proposer = dec.proposer or " ".join(
        x for x in ((signer.head_title if signer.authority in ("KT", "TL", "TUQ", "Q") else signer.title) or "",
                    drafter.running_name) if x)
    grounds: list[Any] = [["Căn cứ ", {"cite": key, "full": True}] for key in dec.bases]
    grounds.append(f"Theo đề nghị của {proposer} tại Tờ trình số {number_text(sub_number)}/{sub_symbol} "
                   f"ngày {short_date(sub_date)}.")
    executors = ", ".join(unit_name(plan, e) for e in dec.executors)
    decision = Plan(
        # The lead agency decides, its signer signs by default: a joint plan's other agencies are not
        # the decision's issuers.
        type=DocType.quyet_dinh, agency=plan.agency.model_copy(update={"co_issuers": []}), number=dec_number,
        date=dec_date,
        subject=[f"Ban hành {kind_name} {about}"],
        authority=dec.authority or plan.agency.full_name, references=plan.references, grounds=grounds,
        sections=[Section(title=f"Ban hành kèm theo Quyết định này {kind_name} {about}."),
                  Section(title=dec.effect),
                  Section(title=f"{executors} chịu trách nhiệm thi hành Quyết định này.")],
        recipients=["Như Điều 3", *dec.recipients], archive=list(dec.archive), signer=dec.signer or plan.signer,
        **common)

    # The plan itself, issued with the decision: no number or date line of its own, the decision
    # cited under its title and on its appendices' reference lines.
    appendices = [app.model_copy(update={"reference_line": _appendix_line(app.reference_line, kind_name,
                                                                          dec_symbol, decision_cited)})
                  for app in plan.appendices]
    attached = plan.model_copy(update={
        "own_number": False, "number": None, "date": dec_date,
        "subtitle": f"(Ban hành kèm theo {decision_cited})", "appendices": appendices, "dossier": None})

    out = {"to-trinh": submission, "quyet-dinh": decision, "ke-hoach": attached}
    if dossier.comments:
        out["tong-hop-y-kien"] = _comment_report(plan, dossier, final, cited_refs, common)
    return out


def issued_plan(plan: Plan) -> Plan:
    """The plan as the year goes on with it: once its dossier is issued (every document numbered and
    dated), the plan the decision issues (no number of its own, dated, its subtitle citing the
    decision), which progress, report and rollover name by that decision; any other plan as it is."""
    if plan.dossier is None or _missing_at(plan.dossier, plan):
        return plan
    return dossier_plans(plan, final=True)["ke-hoach"]


def _comment_report(plan: Plan, dossier: Dossier, final: bool, refs: dict[str, Reference],
                    common: dict[str, Any]) -> Plan:
    """The table of comments received as a Báo cáo of the drafting agency."""
    drafter = dossier.drafter
    number, date = _draft(dossier.comment_report, plan, final)
    about = _lower_first(plan.subject_text)
    by_units = {u for c in dossier.comments for u in c.by}
    widths = (1.2, 6, 3.5, 6)
    aligns: tuple[Align, ...] = ("center", "left", "left", "left")
    table = Table(columns=[Column(title=t, width=w, align=a) for t, w, a in zip(COMMENT_COLUMNS, widths, aligns,
                                                                                  strict=True)],
                  numbered=True,
                  rows=[[c.content, unit_cell(plan, list(c.by)), c.response] for c in dossier.comments])
    addressee = list(dossier.submission.addressee or [plan.agency.full_name])
    return Plan(
        type=DocType.bao_cao, agency=drafter, number=number, date=date,
        subject=[f"Tổng hợp, tiếp thu, giải trình ý kiến góp ý dự thảo {plan.type.value} {about}"],
        references=refs,
        sections=[Section(title="Kết quả lấy ý kiến",
                          paragraphs=[f"{drafter.running_name} đã nhận được {len(dossier.comments)} ý kiến góp ý "
                                      f"của {len(by_units)} cơ quan, đơn vị đối với dự thảo {plan.type.value} "
                                      f"{about}."]),
                  Section(title="Tổng hợp, tiếp thu, giải trình ý kiến góp ý",
                          blocks=[TableBlock(table=table)])],
        closing=f"Trên đây là tổng hợp, tiếp thu, giải trình ý kiến góp ý của {drafter.running_name}.",
        recipients=addressee, archive=list(dossier.submission.archive), signer=dossier.submission.signer,
        **common)


def _name(stem: str, kind: str, plan: Plan, decision: Plan | None, *, signing: bool = False) -> str:
    """stem-to-trinh.docx; a final carries its number (stem-to-trinh-so-108.docx), the plan the
    decision's (stem-ke-hoach-kem-qd-so-25.docx); a signing copy is named as render names one
    (stem-to-trinh-trinh-ky.docx). Each document by its own state: in a set just submitted, the Tờ
    trình is a final and the decision a draft."""
    if not plan.is_final:
        return _unissued_name(stem, kind, signing=signing)
    if kind == "ke-hoach":
        assert decision is not None  # the plan is issued with its decision
        return f"{stem}-{kind}-kem-qd{final_tail(decision.number)}.docx"
    return f"{stem}-{kind}{final_tail(plan.number)}.docx"


def _unissued_name(stem: str, kind: str, *, signing: bool = False) -> str:
    """A document's name before it has its number: its draft's, or its signing copy's."""
    return signing_copy_name(f"{stem}-{kind}") if signing else f"{stem}-{kind}.docx"


def write_dossier(data: str | Path, out_dir: str | Path | None = None, *, final: bool = False, pdf: bool = False,
                  force: bool = False, template: str | Path | None = None,
                  unnumbered: bool = False) -> DossierResult:
    """Write the dossier of a plan data file into out_dir (default: output/ beside the data).

    Every document is rendered and every target decided before anything is written (never the data
    or the template; a draft replaces only its own untouched earlier draft, a final nothing, unless
    force; a final already there with the same bytes is kept: the Tờ trình issued with the submitted
    set, when the set is made again once the decision has its number), then each is written through
    the one output writer.

    unnumbered (with final): the signing copies of the documents whose turn it is (module docstring),
    replaceable like drafts; the documents already issued as a final set makes them. UserError when
    every document is issued already (nothing left to sign).
    """
    from ..document.render import render_plan
    from ..plan.loader import load_source, validate
    from ..word.output_paths import default_output_dir

    refuse_signing_flags(unnumbered=unnumbered, final=final, of=" của hồ sơ")
    source = load_source(data)
    plan = validate(source)
    if unnumbered:
        # Signed before numbered: only dates already given are checked against each other.
        order = _out_of_order(source, plan.dossier, plan) if plan.dossier is not None else []
        if order:
            raise DataError(order)
    elif final:
        _refuse_missing(source, plan)
    plans = dossier_plans(plan, final=final, unnumbered=unnumbered)
    signing = {kind for kind, doc in plans.items() if unnumbered and not doc.is_final}
    if unnumbered and not signing:
        raise UserError(f"{data}: mọi văn bản của hồ sơ đã có số và ngày ban hành, không còn bản trình ký nào; "
                        f"tạo bản phát hành: kehoach dossier {shell_arg(data)} --final")
    folder = Path(out_dir) if out_dir is not None else default_output_dir(data)
    check_folder(folder)
    if pdf:
        from ..esign.pdf import find_soffice

        find_soffice()
    stem = Path(data).stem
    # Every document rendered before the first is written: a template or data mistake found while
    # rendering the third leaves no set of two behind.
    # An issued document is rendered as a final set renders it (same data, same bytes: kept).
    contents = {}
    for kind, doc in plans.items():
        with signing_copy(kind in signing):
            contents[kind] = render_plan(doc, template)
    decided: list[tuple[str, Target, Target | None, bool | None]] = []
    for kind, doc in plans.items():
        docx = output_target(folder / _name(stem, kind, doc, plans.get("quyet-dinh"), signing=kind in signing),
                             inputs=[data, template])
        pdf_out = output_target(docx.path.with_suffix(".pdf"), inputs=[data, template]) if pdf else None
        if doc.is_final and not force and same_bytes(docx.path, contents[kind]):
            decided.append((kind, docx, pdf_out, None))  # already issued, as it is: kept
            continue
        may_replace = check_overwrite(docx.path, pdf_out.path if pdf_out else None, final=doc.is_final,
                                      force=force, number=doc.number)
        decided.append((kind, docx, pdf_out, may_replace))
    written = []
    for kind, docx, pdf_out, replace in decided:
        doc, content = plans[kind], contents[kind]
        if replace is None:
            # Kept; its PDF, when asked and not made with it, printed from the issued file itself.
            made = None if pdf_out is None else pdf_out.path if pdf_out.exists else pdf_of_existing(docx, pdf_out)
            written.append(DossierDocument(kind, docx.path, doc, made, kept=True))
            continue
        how = mode(force, replace)
        made = None
        if pdf_out is None:
            place_document(docx, how, content=content)
        else:
            made = place_with_pdf(docx, pdf_out, content, how)
        written.append(DossierDocument(kind, docx.path, doc, made, signing=kind in signing))
    waiting = tuple(k for k in ("quyet-dinh", "ke-hoach") if unnumbered and k not in plans)
    # A document issued (now or earlier) makes its draft of an earlier stage stale: the decision's
    # stage-1 draft beside its final, the Tờ trình's first draft beside the submitted one, and their
    # signing copies (number and date blank, the PDF the signer was given), as easily sent by mistake.
    superseded = tuple(p for doc in written if doc.plan.is_final
                       for p in superseded_draft(doc.path.parent / _unissued_name(stem, doc.kind)))
    lacking = _missing_at(plan.dossier, plan, with_decision=False) if waiting and plan.dossier is not None else []
    waiting_on = tuple(dict.fromkeys((_KIND_AT[loc[1]], ".".join(loc[:2])) for loc, _ in lacking))
    return DossierResult(written, final, unnumbered, waiting, superseded, waiting_on)
