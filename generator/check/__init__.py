"""`kehoach check`: audit a Kế hoạch (.docx, or a data file before rendering) against Decree 30.

    from generator.check import check_file
    report = check_file("ke-hoach.docx")     # or "ke-hoach.yaml"
    report.errors, report.warnings, report.to_table(), report.to_json()

The parts of a plan come from the one reader (generator.word.reader), shared with the importer;
rules.py holds the rules; report.py the results.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import UserError
from ..word.reader import KeHoach, from_plan, read_docx
from .report import Report, Result
from .rules import RULES, run_rules

DATA_SUFFIXES = (".yaml", ".yml")


def check_document(doc: KeHoach, kind: str) -> Report:
    return Report(source=doc.source, kind=kind, results=run_rules(doc))


def check_docx(path: str | Path) -> Report:
    """Every rule on a .docx made by us or by hand. UserError when the file cannot be read."""
    return check_document(read_docx(path), "docx")


def check_data(path: str | Path) -> Report:
    """The content rules on a data file, through the same derived text the template prints.
    DataError (a UserError) when the data file has mistakes."""
    from ..loader import load_plan

    plan = load_plan(path)
    return check_document(from_plan(plan, str(path)), "data")


def check_file(path: str | Path) -> Report:
    """A .docx or a data file, chosen by the file's name."""
    path = Path(path)
    if path.suffix.lower() in DATA_SUFFIXES:
        return check_data(path)
    if not path.exists():
        raise UserError(f"{path}: không tìm thấy tệp")
    if path.is_dir():
        raise UserError(f"{path}: đây là thư mục, không phải tệp")
    return check_docx(path)


__all__ = ["Report", "Result", "RULES", "check_data", "check_docx", "check_file"]
