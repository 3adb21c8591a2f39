"""`kehoach check`: audit an administrative document (.docx, or a plan's data file before rendering)
against Decree 30.

    from generator.check import check_file
    report = check_file("ke-hoach.docx")     # or "ke-hoach.yaml"
    report.document_type, report.errors, report.warnings, report.to_table(), report.to_json()

The parts of a document come from the one recogniser (generator.recognise), shared with the importer;
rules.py holds the rules (each says which document types it holds for); report.py the results.
A file that is not an administrative document (a petition, a contract, a docxtpl template) raises
NotAdministrative (a UserError: one line, exit code 2) instead of forty "not evaluated".
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from ..errors import UserError
from ..recognise import KeHoach, read_docx
from .report import Report, Result
from .rules import RULES, run_rules

DATA_SUFFIXES = (".yaml", ".yml")


class NotAdministrative(UserError):
    """The file is a readable .docx but not an administrative document."""


def check_document(doc: KeHoach, kind: str) -> Report:
    results = run_rules(doc)
    notes = [n for n in (converted_note(doc), attached_note(doc)) if n]
    if doc.attached is not None:
        results += attached_results(doc.attached)
    return Report(source=doc.source, kind=kind, results=results, document_type=doc.document_type,
                  note="\n".join(notes) or None)


def attached_name(attached: KeHoach) -> str:
    """How the findings of a document printed after the one that issues it are grouped: "Kế hoạch
    kèm theo · Quốc hiệu"."""
    return f"{attached.document_type} kèm theo"


def attached_results(attached: KeHoach) -> list[Result]:
    """The rules on the document a decision issues, printed after it in the same file, judged as its
    own file (a document issued with a decision: no Số line, its "(Ban hành kèm theo …)" line): each
    finding grouped under that document, so that none is taken for the decision's."""
    name = attached_name(attached)
    return [dataclasses.replace(r, element=f"{name} · {r.element}") for r in run_rules(attached)]


def attached_note(doc: KeHoach) -> str | None:
    """Said once: the file prints two documents, each checked by its own rules."""
    if doc.attached is None:
        return None
    return (f"tệp gồm {doc.document_type} và {doc.attached.document_type} ban hành kèm theo (từ đoạn "
            f"{doc.attached_line + 1}, trang mới): mỗi văn bản được kiểm tra theo thể thức của nó; kết quả của "
            f"văn bản kèm theo ghi ở mục “{attached_name(doc.attached)} · …”")


def converted_note(doc: KeHoach) -> str | None:
    """What the văn thư must know when LibreOffice converted the file: every measurement (fonts,
    sizes, spacing, margins) comes from the converted copy, as LibreOffice shows the file."""
    if not doc.converted_from:
        return None
    from ..word.formats import converted_note as said  # the words `import` says it in too

    return said(doc.converted_from, doc.source, "kiểm tra")


def check_docx(path: str | Path) -> Report:
    """Every rule that holds for the document's type. UserError when the file cannot be read,
    NotAdministrative when it is not an administrative document."""
    from .. import limits

    # A .docx comes from anyone: read and judged within the read budget.
    with limits.read_budget(path):
        doc = read_docx(path)
        if doc.not_administrative:
            # An annex is checked with the document it belongs to, printed in one file with it.
            advice = (f"; hãy kiểm tra tệp in {doc.annex_of} cùng phụ lục này (phụ lục in cùng tệp với văn "
                      "bản được kiểm tra cùng văn bản)") if doc.annex_of else ""
            raise NotAdministrative(f"{path}: {doc.not_administrative}{advice}")
        return check_document(doc, "docx")


def check_data(path: str | Path) -> Report:
    """The content rules on a data file, through the same derived text the template prints.
    DataError (a UserError) when the data file has mistakes."""
    from ..plan.loader import load_plan
    from .data_file import from_plan

    plan = load_plan(path)
    report = check_document(from_plan(plan, str(path)), "data")
    report.results.extend(_admin_units(plan))
    from .data_rules import cited_after_issue, hand_broken_lines

    report.results.extend(cited_after_issue(plan) + hand_broken_lines(plan))
    return report


def _admin_units(plan: object) -> list[Result]:
    """Provinces and districts abolished on 1 July 2025 still named by a document dated after it
    (a data file is a document about to be issued; an issued .docx of 2024 was right when made)."""
    from ..plan.admin_units import available, outdated_in
    from ..plan.model import Plan
    from .report import FAIL, PASS, WARNING

    assert isinstance(plan, Plan)
    d = plan.date
    if not available() or (d.year, d.month or 12) < (2025, 7):
        return []
    rule, element = "DVHC.2025.ten-don-vi", "Đơn vị hành chính"
    title = "tên tỉnh, huyện còn tồn tại sau sắp xếp đơn vị hành chính (01/7/2025)"
    found = list(outdated_in(plan.model_dump(mode="json", exclude_none=True)))
    if not found:
        return [Result(rule, element, title, WARNING, PASS)]
    from ..plan.loader import format_path

    return [Result(rule, element, title, WARNING, FAIL, measured=words, location=format_path(loc), message=msg)
            for loc, words, msg in found]


def check_file(path: str | Path) -> Report:
    """A .docx or a data file, chosen by the file's name."""
    path = Path(path)
    if path.suffix.lower() in DATA_SUFFIXES:
        return check_data(path)
    # A link that leads back to itself "does not exist" to Path.exists (ELOOP): the reader says
    # what it is.
    if not path.exists() and not path.is_symlink():
        raise UserError(f"{path}: không tìm thấy tệp")
    if path.is_dir():
        raise UserError(f"{path}: đây là thư mục, không phải tệp")
    return check_docx(path)


__all__ = ["NotAdministrative", "Report", "Result", "RULES", "check_data", "check_docx", "check_file"]
