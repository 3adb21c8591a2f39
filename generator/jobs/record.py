"""The record of an issued document: what issuing writes besides the final itself.

An issued document is a record (Decree 30): its number and date belong to the plan from then on,
and the văn thư registers it in the agency's e-office system. So issuing
- writes `number` and `date` into the plan's data file (the round-trip writer of plan/yamledit:
  comments, key order, quoting and line ends kept), after the final is written, never before; a
  data file that already holds another number is refused before anything is made;
- writes beside each final a JSON file with the fields the register asks for (Decree 30, Phụ lục
  VI: số, ký hiệu, ngày, tên loại, trích yếu, cơ quan ban hành, người ký, nơi nhận, số trang …),
  taken from the same strings the document prints, so the entry is never retyped.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from ..document.context import date_line, number_line, recipient_lines, signer_lines, symbol
from ..errors import OutputExistsError, UserError
from ..plan.model import IssueDate, Plan, date_parts
from ..text import date_dmy, two_digits

METADATA_SUFFIX = ".json"
DECREE = "Nghị định 30/2020/NĐ-CP, Phụ lục VI"


# --- the data file ------------------------------------------------------------------------------

def refuse_another_number(data: str | Path, plan_number: int | None, given: int | None,
                          given_date: IssueDate | None, data_date: IssueDate,
                          final: Path | None = None) -> None:
    """Before anything is made: a data file that records number N issues N, nothing else.

    plan_number and data_date are what the data file says; given and given_date what the văn thư
    typed; final, where that number's final is, when it is there. A data file holding a number and
    a full date is an issued plan: its date stays too."""
    if plan_number is None:
        return
    there = f" (bản phát hành số {plan_number}: {final})" if final is not None and final.is_file() else ""
    fix = (f"nếu số {plan_number} ghi nhầm, hãy sửa hoặc xóa dòng number trong {data} rồi chạy lại; "
           "muốn một văn bản mới thì chép tệp dữ liệu ra tên khác")
    if given is not None and given != plan_number:
        raise OutputExistsError(f"{data}: tệp dữ liệu đã ghi số {plan_number}{there}, văn bản đã phát hành; "
                                f"không phát hành số {given} từ tệp này; {fix}. Không ghi tệp nào")
    if given_date is not None and data_date.complete and given_date != data_date:
        raise OutputExistsError(f"{data}: văn bản số {plan_number}{there} đã ghi ngày {short(data_date)}, "
                                f"không đổi sang ngày {short(given_date)}; {fix}. Không ghi tệp nào")


MAX_REGISTER_ENTRIES = 5000
"""Register entries read from a folder before issuing: an agency's year of documents, bounded."""


def refuse_used_number(plan: Plan, target: Path) -> None:
    """Before anything is made: a number the register beside the final already gives to another
    document. Decree 30 numbers an agency's documents in one series a year: 18/KH-SKHCN of 2024 is
    one document, so a second one under it (a number typed twice, the same number given to two
    plans) is refused, naming the entry that holds it. The register read is the JSON entries that
    issuing wrote in the final's folder (write_metadata), the same document made again excepted."""
    from ..word.package import read_bounded

    if not plan.own_number:
        return  # its number is the decision's (issued with it): nothing of its own to take twice
    assert plan.number is not None
    wanted = number_line(plan).removeprefix("Số:").strip()
    folder = target.parent
    day = dt.date(plan.date.year, plan.date.month, plan.date.day).isoformat()  # type: ignore[arg-type]
    try:
        entries = sorted(folder.glob("*" + METADATA_SUFFIX))[:MAX_REGISTER_ENTRIES]
    except OSError:
        return  # a folder not there yet holds no entry
    for entry in entries:
        if entry.name == metadata_path(target).name:
            continue  # this very document, made again
        try:
            said = json.loads(read_bounded(entry, str(entry), 1024 * 1024))
        except (UserError, ValueError):
            continue  # not a register entry of ours (or not readable): not ours to judge
        if not isinstance(said, dict) or said.get("nguon") != DECREE:
            continue
        if said.get("trich_yeu") == plan.subject_text and said.get("ngay") == day:
            continue  # the same document made again under another name (a data file renamed)
        if said.get("so_ky_hieu") == wanted and said.get("nam") == plan.date.year:
            other = said.get("tep") or entry.name
            try:
                when = dt.date.fromisoformat(str(said.get("ngay")))
                on = f", ngày {date_dmy(when.year, when.month, when.day)}"
            except ValueError:
                on = ""
            raise OutputExistsError(
                f"số {wanted} năm {plan.date.year} đã cấp cho văn bản khác: {folder / str(other)} "
                f"(“{said.get('trich_yeu', '')}”{on}, sổ đăng ký {entry}); mỗi số chỉ "
                f"cấp cho một văn bản trong năm: hãy lấy số tiếp theo trong sổ của văn thư. Nếu văn bản kia đã "
                f"hủy, chuyển tệp {entry.name} ra khỏi thư mục rồi chạy lại. Không ghi tệp nào")


def short(date: IssueDate) -> str:
    """The date as messages show it (20/03/2024; a date without its day as 03/2024)."""
    return date_dmy(date.year, date.month, date.day)


def date_as_written(previous: Any, date: IssueDate) -> str:
    """The date in the form the data file already uses for it: 22/03/2024 (with its separator and
    its zeros) where it wrote 20/03/2024 or 03/2024, else 2024-03-22."""
    text = str(previous).strip() if isinstance(previous, (str, int)) else ""
    if date_parts(text) is not None and not re.fullmatch(r"\d{4}(-.*)?", text):
        sep = next(c for c in text if c in "/.-")
        padded = any(len(p) == 2 and p.startswith("0") for p in re.split(r"\s*[/.-]\s*", text)[:-1])
        d, m = (two_digits(date.day or 0), two_digits(date.month or 0)) if padded \
            else (str(date.day), str(date.month))
        return f"{d}{sep}{m}{sep}{date.year}"
    return dt.date(date.year, date.month or 1, date.day or 1).isoformat()


def write_record(data: str | Path, plan: Plan) -> bool:
    """number and date of an issued plan written into its data file; False when it already says so.

    Called after the final is written. The file is read again here and changed only in these two
    fields; if it changes while we work (an editor saving), the work is done again on the new text,
    so nothing a person wrote is lost."""
    from ..plan.loader import load_source
    from ..plan.yamledit import set_fields
    from ..word.package import atomic_write

    assert plan.is_final
    path = Path(data)
    for _ in range(3):
        raw = path.read_bytes()
        got = load_source(path).data
        got = got if isinstance(got, dict) else {}
        fields: dict[str, Any] = {}
        if plan.own_number and (got.get("number") is None or _as_int(got.get("number")) != plan.number):
            fields["number"] = plan.number
        try:
            same_date = IssueDate.model_validate(got.get("date")) == plan.date
        except ValueError:
            same_date = False
        if not same_date:
            fields["date"] = date_as_written(got.get("date"), plan.date)
        if not fields:
            return False
        new = set_fields(raw, fields, str(path), before="date")
        if path.read_bytes() == raw:  # nobody wrote it meanwhile
            atomic_write(path, new)
            return True
    raise UserError(f"{data}: tệp dữ liệu đang được sửa ở nơi khác nên chưa ghi được số và ngày; bản phát hành "
                    f"đã tạo. Hãy thêm tay 'number: {plan.number}' và 'date: {short(plan.date)}'")


def _as_int(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except ValueError:
        return None


# --- the register's entry -----------------------------------------------------------------------

def metadata(plan: Plan, docx: Path, pdf: Path | None = None) -> dict[str, Any]:
    """The fields of Phụ lục VI for one issued document, as the document prints them.

    số trang: counted in the PDF that LibreOffice made (what a reader sees) when there is one;
    without a PDF it is left null rather than guessed from the Word file."""
    assert plan.number is not None and plan.date.complete
    pages = None
    if pdf is not None:
        from ..esign.pdf import page_count

        pages = page_count(pdf)
    agency = plan.agency
    return {
        "nguon": DECREE,
        "ten_loai": plan.type.value,
        "so": plan.number,
        "ky_hieu": symbol(plan),
        "so_ky_hieu": number_line(plan).removeprefix("Số:").strip(),
        "ngay": dt.date(plan.date.year, plan.date.month, plan.date.day).isoformat(),  # type: ignore[arg-type]
        "dong_ngay": date_line(plan),
        "nam": plan.date.year,
        "co_quan_chu_quan": " ".join(" ".join(agency.parent or []).split()) or None,
        "co_quan_ban_hanh": agency.full_name,  # its lines joined, a line broken in two read as one
        "trich_yeu": plan.subject_text,
        "ngon_ngu": "Tiếng Việt",
        "so_trang": pages,
        "chuc_vu_nguoi_ky": ", ".join(signer_lines(plan.signer)),
        "nguoi_ky": plan.signer.name,
        # A joint plan: the other agencies' signers, as printed left of the lead one.
        **({"nguoi_ky_lien_tich": [{"chuc_vu_nguoi_ky": ", ".join(signer_lines(s)), "nguoi_ky": s.name}
                                   for s in plan.co_signers]} if plan.co_signers else {}),
        "noi_nhan": [line.removeprefix("- ").rstrip(";.") for line in recipient_lines(plan)[:-1]],
        "luu": recipient_lines(plan)[-1].removeprefix("- Lưu:").strip().rstrip("."),
        "tep": docx.name,
        "tep_pdf": pdf.name if pdf is not None else None,
    }


def metadata_path(docx: Path) -> Path:
    return docx.with_suffix(METADATA_SUFFIX)


def write_metadata(plan: Plan, docx: Path, pdf: Path | None = None) -> Path | None:
    """The JSON beside the final (same name, .json). It describes that file only, so it follows it:
    written again when the final is made again (same number, --force). None for a document issued with
    a decision (own_number: false): the register holds the decision, under whose number it goes out."""
    from ..word.package import atomic_write

    if not plan.own_number:
        return None
    text = json.dumps(metadata(plan, docx, pdf), ensure_ascii=False, indent=2) + "\n"
    return atomic_write(metadata_path(docx), text.encode("utf-8"))


def add_pages(docx: Path, pdf: Path) -> None:
    """The page count of the PDF made after the final (a batch converts all its documents at once)
    added to the final's JSON."""
    from ..esign.pdf import page_count
    from ..word.package import atomic_write

    path = metadata_path(docx)
    if not path.is_file() or not pdf.is_file():
        return
    entry = json.loads(path.read_text(encoding="utf-8"))
    entry.update(so_trang=page_count(pdf), tep_pdf=pdf.name)
    atomic_write(path, (json.dumps(entry, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
