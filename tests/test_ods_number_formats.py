"""An .ods cell reads as the same cell of an .xlsx: a number by the format its style gives it (Calc
shows 3000000 styled "#,##0" as 3.000.000), whatever part of the file the style is written in."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from generator import limits
from generator.plan.sheets import SheetError, read_sheet, sheet_rows
from tests.ods_fixtures import ods_package
from tests.test_sheet_formulas import calc_installed

# Data styles as LibreOffice Calc writes them for the formats of its Format Cells dialog.
GROUPED = ('<number:number-style style:name="N1"><number:number number:decimal-places="0" '
           'number:min-decimal-places="0" number:min-integer-digits="1" number:grouping="true"/>'
           "</number:number-style>")
GROUPED_2 = ('<number:number-style style:name="N2"><number:number number:decimal-places="2" '
             'number:min-decimal-places="2" number:min-integer-digits="1" number:grouping="true"/>'
             "</number:number-style>")
FIXED_2 = ('<number:number-style style:name="N3"><number:number number:decimal-places="2" '
           'number:min-decimal-places="2" number:min-integer-digits="1"/></number:number-style>')
PERCENT = ('<number:percentage-style style:name="N4"><number:number number:decimal-places="0" '
           'number:min-decimal-places="0" number:min-integer-digits="1"/><number:text>%</number:text>'
           "</number:percentage-style>")
PERCENT_2 = ('<number:percentage-style style:name="N5"><number:number number:decimal-places="2" '
             'number:min-decimal-places="2" number:min-integer-digits="1"/><number:text>%</number:text>'
             "</number:percentage-style>")
CURRENCY = ('<number:currency-style style:name="N6"><number:number number:decimal-places="0" '
            'number:min-decimal-places="0" number:min-integer-digits="1" number:grouping="true"/>'
            '<number:text> </number:text><number:currency-symbol number:language="vi" number:country="VN">₫'
            "</number:currency-symbol></number:currency-style>")
# "#,##0;[RED]-#,##0": the positive half a style of its own, the style itself the negative half.
NEGATIVE_RED = ('<number:number-style style:name="N7P0" style:volatile="true"><number:number '
                'number:decimal-places="0" number:min-decimal-places="0" number:min-integer-digits="1" '
                'number:grouping="true"/></number:number-style>'
                '<number:number-style style:name="N7"><style:text-properties fo:color="#ff0000"/>'
                '<number:text>-</number:text><number:number number:decimal-places="0" number:min-decimal-places="0" '
                'number:min-integer-digits="1" number:grouping="true"/>'
                '<style:map style:condition="value()&gt;=0" style:apply-style-name="N7P0"/></number:number-style>')
DATE = ('<number:date-style style:name="N8"><number:day number:style="long"/><number:text>/</number:text>'
        '<number:month number:style="long"/><number:text>/</number:text><number:year number:style="long"/>'
        "</number:date-style>")
TIME = ('<number:time-style style:name="N10"><number:hours number:style="long"/><number:text>:</number:text>'
        '<number:minutes number:style="long"/></number:time-style>')
# "#,##0.##": two decimals shown only when not zero (min-decimal-places 0).
OPTIONAL_2 = ('<number:number-style style:name="N11"><number:number number:decimal-places="2" '
              'number:min-decimal-places="0" number:min-integer-digits="1" number:grouping="true"/>'
              "</number:number-style>")
# The same as LibreOffice wrote it before ODF 1.3, in its own namespace.
OPTIONAL_2_LOEXT = ('<number:number-style style:name="N12"><number:number number:decimal-places="2" '
                    'loext:min-decimal-places="0" number:min-integer-digits="1" number:grouping="true"/>'
                    "</number:number-style>")
# "0.0"%"": a number style whose text after the number is "%" (95.5 shows 95.5%, not scaled).
PERCENT_TEXT = ('<number:number-style style:name="N13"><number:number number:decimal-places="1" '
                'number:min-decimal-places="1" number:min-integer-digits="1"/><number:text>%</number:text>'
                "</number:number-style>")
GENERAL = ('<number:number-style style:name="N0"><number:number number:min-integer-digits="1"/>'
           "</number:number-style>")


def cell_style(name: str, data_style: str | None, parent: str | None = "Default") -> str:
    """A table-cell style naming data_style (None: a style that sets only the font)."""
    return (f'<style:style style:name="{name}" style:family="table-cell"'
            + (f' style:parent-style-name="{parent}"' if parent else "")
            + (f' style:data-style-name="{data_style}"' if data_style else "")
            + '><style:text-properties fo:font-weight="bold"/></style:style>')


def number_cell(value: Any, style: str | None = None, value_type: str = "float") -> str:
    styled = f' table:style-name="{style}"' if style else ""
    if value_type == "date":
        return f'<table:table-cell{styled} office:value-type="date" office:date-value="{value}"/>'
    if value_type == "string":
        return f'<table:table-cell{styled} office:value-type="string"><text:p>{value}</text:p></table:table-cell>'
    currency = ' office:currency="VND"' if value_type == "currency" else ""
    return f'<table:table-cell{styled} office:value-type="{value_type}"{currency} office:value="{value}"/>'


# (heading, .xlsx value, .xlsx number format, .ods cell, what both read as)
CASES = [
    ("grouping", 3000000, "#,##0", number_cell(3000000, "ce1"), "3.000.000"),
    ("grouping, fixed decimals", 1234.5, "#,##0.00", number_cell(1234.5, "ce2"), "1.234,50"),  # as the screen shows it
    ("optional decimals", 1234.5, "#,##0.##", number_cell(1234.5, "ce11"), "1.234,5"),  # as Calc shows it
    ("optional decimals (loext)", 1234.5, "#,##0.##", number_cell(1234.5, "ce12"), "1.234,5"),
    ("fixed decimals", 2.25, "0.00", number_cell(2.25, "ce3"), "2,25"),
    ("percent", 0.15, "0%", number_cell(0.15, "ce4", "percentage"), "15%"),
    ("percent, decimals", 0.1234, "0.00%", number_cell(0.1234, "ce5", "percentage"), "12,34%"),
    ("percent as text", 95.5, '0.0"%"', number_cell(95.5, "ce13"), "95,5%"),  # a % not scaling the value
    ("currency", 1500000, '#,##0 [$₫-42A]', number_cell(1500000, "ce6", "currency"), "1.500.000"),
    ("negative in red", -2500000, "#,##0;[Red]-#,##0", number_cell(-2500000, "ce7"), "-2.500.000"),
    ("date", dt.datetime(2026, 3, 20), "dd/mm/yyyy", number_cell("2026-03-20", "ce8", "date"), "20/3/2026"),
    # A number under a date or time style (written by a program, not Calc) shows as the day, the hour.
    ("date as a number", 46101, "dd/mm/yyyy", number_cell(46101, "ce8"), "20/3/2026"),
    ("time as a number", 0.4375, "hh:mm", number_cell(0.4375, "ce10"), "10:30"),
    ("plain number", 1234567.5, "General", number_cell(1234567.5), "1234567,5"),
    ("General style", 42, "General", number_cell(42, "ce0"), "42"),
    ("text like a number", "00123", "#,##0", number_cell("00123", "ce1", "string"), "00123"),
    ("no data style", 3000000, "General", number_cell(3000000, "ce9"), "3000000"),
]
AUTOMATIC = (GROUPED + GROUPED_2 + FIXED_2 + PERCENT + PERCENT_2 + CURRENCY + NEGATIVE_RED + DATE + TIME + GENERAL
             + OPTIONAL_2 + OPTIONAL_2_LOEXT + PERCENT_TEXT
             + "".join(cell_style(f"ce{i}", f"N{i}") for i in (*range(9), 10, 11, 12, 13))
             + cell_style("ce9", None))


def xlsx_sheet(path: Path, columns: list[tuple[str, Any, str]]) -> Path:
    """An .xlsx of one sheet "DM": a heading row, then each column's value under its number format."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "DM"
    ws.append([heading for heading, _, _ in columns])
    ws.append([value for _, value, _ in columns])
    for c, (_, _, number_format) in enumerate(columns, start=1):
        ws.cell(row=2, column=c).number_format = number_format
    book.save(path)
    return path


def ods_sheet(path: Path, headings: list[str], row: str, automatic: str = "", common: str | None = None,
              columns: str = "", row_attributes: str = "") -> Path:
    head = "".join(number_cell(h, value_type="string") for h in headings)
    path.write_bytes(ods_package(f'<table:table table:name="DM">{columns}<table:table-row>{head}</table:table-row>'
                                 f"<table:table-row{row_attributes}>{row}</table:table-row></table:table>",
                                 automatic, common))
    return path


def test_each_ods_number_format_reads_as_the_same_xlsx_cell(tmp_path: Path) -> None:
    headings = [heading for heading, *_ in CASES]
    xlsx = xlsx_sheet(tmp_path / "dm.xlsx", [(heading, value, fmt) for heading, value, fmt, _, _ in CASES])
    ods = ods_sheet(tmp_path / "dm.ods", headings, "".join(cell for *_, cell, _ in CASES), AUTOMATIC)
    expected = [headings, [shown for *_, shown in CASES]]
    assert sheet_rows(xlsx).rows == expected
    assert sheet_rows(ods).rows == expected
    # The appendix table a catalogue becomes holds the same texts.
    assert read_sheet(ods).table == read_sheet(xlsx).table


@pytest.mark.skipif(not calc_installed(), reason="cần LibreOffice Calc (soffice) để lưu bảng tính")
def test_the_xlsx_saved_as_ods_by_libreoffice_reads_the_same(tmp_path: Path) -> None:
    """The styles LibreOffice itself writes when it saves each format as .ods."""
    (tmp_path / "src").mkdir()
    source = xlsx_sheet(tmp_path / "src" / "dm.xlsx", [(heading, value, fmt) for heading, value, fmt, _, _ in CASES])
    run = subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'lo'}", "--headless",
                          "--convert-to", "ods", "--outdir", str(tmp_path), str(source)],
                         capture_output=True, text=True, timeout=300)
    saved = tmp_path / "dm.ods"
    assert run.returncode == 0 and saved.exists(), run.stderr
    assert sheet_rows(saved).rows == [[heading for heading, *_ in CASES], [shown for *_, shown in CASES]]


# The one format, "#,##0", given to the cell from each place an .ods may hold it.
PLACES = {
    "the cell's automatic style": dict(automatic=GROUPED + cell_style("ce1", "N1"), cell_style="ce1"),
    "a named style of styles.xml, through its parent": dict(
        automatic=cell_style("ce1", None, parent="Tiền"), common=GROUPED + cell_style("Tiền", "N1"),
        cell_style="ce1"),
    "the Default cell style": dict(common=GROUPED + cell_style("Default", "N1", parent=None)),
    "the table-cell default style": dict(
        common=GROUPED + '<style:default-style style:family="table-cell" style:data-style-name="N1"/>'),
    "its column's default cell style": dict(
        automatic=GROUPED + cell_style("ce1", "N1"),
        columns='<table:table-column table:default-cell-style-name="ce1" table:number-columns-repeated="2"/>'),
    "its row's default cell style": dict(automatic=GROUPED + cell_style("ce1", "N1"),
                                         row_attributes=' table:default-cell-style-name="ce1"'),
}


@pytest.mark.parametrize("place", list(PLACES))
def test_a_grouped_number_reads_grouped_wherever_the_ods_gives_its_style(tmp_path: Path, place: str) -> None:
    given = dict(PLACES[place])
    style = given.pop("cell_style", None)
    row = number_cell(3000000, style) + number_cell(1234567, style)
    ods = ods_sheet(tmp_path / "dm.ods", ["Kinh phí", "Đối ứng"], row, **given)
    xlsx = xlsx_sheet(tmp_path / "dm.xlsx", [("Kinh phí", 3000000, "#,##0"), ("Đối ứng", 1234567, "#,##0")])
    assert sheet_rows(ods).rows == sheet_rows(xlsx).rows == [["Kinh phí", "Đối ứng"], ["3.000.000", "1.234.567"]]


def test_repeated_cells_take_each_columns_own_format(tmp_path: Path) -> None:
    """One cell element repeated over four columns, of which the middle two are styled "#,##0" and
    the last "0%": each cell prints by its own column's style, not the first column's."""
    columns = ('<table:table-column/>'
               '<table:table-column table:default-cell-style-name="ce1" table:number-columns-repeated="2"/>'
               '<table:table-column table:default-cell-style-name="ce4"/>')
    cell = '<table:table-cell office:value-type="float" office:value="3000000" table:number-columns-repeated="4"/>'
    ods = ods_sheet(tmp_path / "dm.ods", ["A", "B", "C", "D"], cell, GROUPED + PERCENT + cell_style("ce1", "N1")
                    + cell_style("ce4", "N4"), columns=columns)
    xlsx = xlsx_sheet(tmp_path / "dm.xlsx", [("A", 3000000, "General"), ("B", 3000000, "#,##0"),
                                             ("C", 3000000, "#,##0"), ("D", 3000000, "0%")])
    assert sheet_rows(ods).rows[1] == sheet_rows(xlsx).rows[1] == ["3000000", "3.000.000", "3.000.000", "300000000%"]


def test_a_loop_of_parent_styles_reads_the_number_unformatted(tmp_path: Path) -> None:
    automatic = cell_style("ce1", None, parent="ce2") + cell_style("ce2", None, parent="ce1")
    ods = ods_sheet(tmp_path / "dm.ods", ["A", "B"], number_cell(3000000, "ce1") + number_cell(5, "ce2"), automatic)
    assert sheet_rows(ods).rows[1] == ["3000000", "5"]


def test_a_damaged_or_oversized_styles_part_is_refused_in_words(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    row = number_cell(3000000, "ce1") + number_cell(5)
    ods = ods_sheet(tmp_path / "dm.ods", ["A", "B"], row, cell_style("ce1", "N1"), common=GROUPED + "<style:style")
    with pytest.raises(SheetError, match=r"dm\.ods: nội dung bảng tính \(styles\.xml\) bị hỏng"):
        sheet_rows(ods)
    ods_sheet(tmp_path / "dm.ods", ["A", "B"], row, cell_style("ce1", "N1"), common=GROUPED * 40)
    monkeypatch.setattr(limits, "MAX_ELEMENTS", 50)
    with pytest.raises(SheetError, match=r"dm\.ods: styles\.xml có quá nhiều thẻ XML"):
        sheet_rows(ods)


def test_a_number_no_calendar_holds_under_a_date_style_reads_as_the_number(tmp_path: Path) -> None:
    ods = ods_sheet(tmp_path / "dm.ods", ["A", "B"], number_cell("1e20", "ce8") + number_cell(46101, "ce8"),
                    DATE + cell_style("ce8", "N8"))
    assert sheet_rows(ods).rows[1] == ["100000000000000000000", "20/3/2026"]
