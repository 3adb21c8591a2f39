"""A date stored as a number reads as the day the screen shows: the number counts days from the
workbook's own base day (an .ods's table:null-date: 1899-12-30 by default, 1904-01-01 with Calc's
option "1904", 1900-01-01 from StarCalc; an .xlsx's <workbookPr date1904="1"/> from Excel for Mac),
not always from 1899-12-30."""

from __future__ import annotations

import csv
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest

from generator.plan.sheets import read_sheet, sheet_rows
from tests.ods_fixtures import ods_package
from tests.test_ods_number_formats import DATE, cell_style, number_cell
from tests.test_sheet_formulas import calc_installed

SERIAL = 46101  # 20/3/2026 counted from 1899-12-30

# (the document's null date as written, None for none, what SERIAL under a date style shows)
NULL_DATES = [
    (None, "20/3/2026"),
    ("1899-12-30", "20/3/2026"),
    ("1904-01-01", "21/3/2030"),  # Calc's option "1904"
    ("1900-01-01", "22/3/2026"),  # StarCalc's
    ("1904-01-01T00:00:00", "21/3/2030"),  # ODF allows a date-time there
    ("không phải ngày", "20/3/2026"),  # no date: Calc's default
]


def dated_ods(path: Path, null_date: str | None, by_column: bool = False) -> Path:
    """An .ods "DM": a heading row, then a task, SERIAL under a date style (the cell's own style, or
    its column's default cell style) and a date Calc stores as its ISO day (office:date-value,
    which no base day changes)."""
    settings = ("" if null_date is None else
                f'<table:calculation-settings><table:null-date table:date-value="{null_date}"/>'
                "</table:calculation-settings>")
    columns = ('<table:table-column/><table:table-column table:default-cell-style-name="ce8"/>'
               '<table:table-column/>' if by_column else "")
    head = "".join(number_cell(h, value_type="string") for h in ("Nội dung", "Thời hạn", "Ngày ban hành"))
    row = (number_cell("Khảo sát", value_type="string") + number_cell(SERIAL, None if by_column else "ce8")
           + number_cell("2026-03-20", "ce8", "date"))
    path.write_bytes(ods_package(f'{settings}<table:table table:name="DM">{columns}<table:table-row>{head}'
                                 f"</table:table-row><table:table-row>{row}</table:table-row></table:table>",
                                 DATE + cell_style("ce8", "N8")))
    return path


@pytest.mark.parametrize("by_column", [False, True], ids=["cell style", "column style"])
@pytest.mark.parametrize(("null_date", "shown"), NULL_DATES)
def test_an_ods_date_stored_as_a_number_counts_from_the_documents_null_date(
        tmp_path: Path, null_date: str | None, shown: str, by_column: bool) -> None:
    path = dated_ods(tmp_path / "dm.ods", null_date, by_column)
    assert sheet_rows(path).rows[1] == ["Khảo sát", shown, "20/3/2026"]
    assert read_sheet(path).table["rows"] == [["Khảo sát", shown, "20/3/2026"]]


def dated_xlsx(path: Path, date1904: str | None) -> Path:
    """An .xlsx "DM" holding SERIAL under dd/mm/yyyy; date1904 the workbookPr attribute's value as
    written (Excel for Mac writes "1", the schema also allows "true"), None for none."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "DM"
    ws.append(["Nội dung", "Thời hạn"])
    ws.append(["Khảo sát", SERIAL])
    ws["B2"].number_format = "dd/mm/yyyy"
    book.save(path)
    if date1904 is not None:
        with zipfile.ZipFile(path) as z:
            parts = {name: z.read(name) for name in z.namelist()}
        workbook = parts["xl/workbook.xml"]
        assert b"<workbookPr/>" in workbook
        parts["xl/workbook.xml"] = workbook.replace(b"<workbookPr/>", f'<workbookPr date1904="{date1904}"/>'.encode())
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in parts.items():
                z.writestr(name, data)
    return path


@pytest.mark.parametrize(("date1904", "shown"), [(None, "20/3/2026"), ("0", "20/3/2026"), ("1", "21/3/2030"),
                                                 ("true", "21/3/2030")])
def test_an_xlsx_date_counts_from_1904_in_a_date1904_workbook(tmp_path: Path, date1904: str | None,
                                                                shown: str) -> None:
    path = dated_xlsx(tmp_path / "dm.xlsx", date1904)
    assert sheet_rows(path).rows[1] == ["Khảo sát", shown]
    assert read_sheet(path).table["rows"] == [["Khảo sát", shown]]


@pytest.mark.skipif(not calc_installed(), reason="cần LibreOffice Calc (soffice) để đọc bảng tính")
def test_each_date_reads_as_libreoffice_shows_it(tmp_path: Path) -> None:
    """What the screen shows, from Calc itself: each file saved as CSV by LibreOffice holds the day
    the reader gives (its options: UTF-8, English (US) dates MM/DD/YYYY whatever the cell's format,
    so the day is read the same from every file)."""
    files = [dated_ods(tmp_path / f"nd{i}.ods", null_date) for i, (null_date, _) in enumerate(NULL_DATES)]
    files += [dated_xlsx(tmp_path / "mac.xlsx", "1"), dated_xlsx(tmp_path / "win.xlsx", None)]
    run = subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'lo'}", "--headless", "--convert-to",
                          "csv:Text - txt - csv (StarCalc):44,34,76,1,,1033,false,true,false", "--outdir", str(tmp_path / "csv"),
                          *map(str, files)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    for path in files:
        with (tmp_path / "csv" / f"{path.stem}.csv").open(encoding="utf-8") as f:
            calc = list(csv.reader(f))[1][1]
        month, day, year = (int(part) for part in calc.split("/"))
        assert sheet_rows(path).rows[1][1] == f"{day}/{month}/{year}", path.name
