"""An .ods cell's number format, as Calc shows the cell, in the terms an .xlsx cell's format is given.

Why: an .xlsx cell carries its number format ("#,##0", "0.00%", "dd/mm/yyyy"), and the sheet
reader prints a number by it (plan/sheets.number_text: 3000000 under #,##0 is 3.000.000). An .ods
cell carries no format of its own: its style (table:style-name, else its row's or its column's
table:default-cell-style-name) names a style:style whose style:data-style-name names a data style
(number:number-style, number:percentage-style, number:currency-style, number:date-style, …) in
content.xml's automatic styles or styles.xml, inherited through style:parent-style-name. The reader
(python-calamine) gives the bare value. Here each data style is translated to the Excel format code
that shows the cell the same way, so both files are printed by one formatter.

Styles are taken as the streamed parse of content.xml (sheet_guard.scan_ods) and of styles.xml
passes their elements, within the element budget of those parses; a chain of parents is followed
at most MAX_PARENTS deep (a loop of parents ends there).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

_STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
_NUMBER = "{urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0}"
_LOEXT = "{urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0}"

GENERAL = "General"
MAX_PARENTS = 16

_DATA_STYLES = {f"{_NUMBER}{kind}-style" for kind in ("number", "percentage", "currency", "date", "time",
                                                      "boolean", "text")}


def _number_code(number: Any) -> str:
    """The Excel code of an ODF number:number element: grouping as "#,##0", decimals as ".00", the
    decimals shown only when not zero (number:min-decimal-places below decimal-places) as ".##"."""
    if number is None:
        return GENERAL
    places = number.get(f"{_NUMBER}decimal-places")
    grouping = number.get(f"{_NUMBER}grouping") == "true"
    if places is None and not grouping:
        # LibreOffice's "General" (number:number with min-integer-digits only): every digit shown.
        return GENERAL
    decimals = min(_digits(places), 30)
    # ODF 1.3: of the decimal-places, min-decimal-places are always shown (0), the rest only when
    # not zero (#): Calc's "#,##0.##" shows 1234.5 as 1.234,5. Absent, every decimal is fixed.
    # LibreOffice before ODF 1.3 wrote the same attribute in its own namespace (loext).
    least = number.get(f"{_NUMBER}min-decimal-places", number.get(f"{_LOEXT}min-decimal-places"))
    fixed = min(_digits(least), decimals) if least is not None else decimals
    return ("#,##0" if grouping else "0") + ("." + "0" * fixed + "#" * (decimals - fixed) if decimals else "")


def _digits(value: str | None) -> int:
    """An attribute's count of digits; anything but ASCII digits counts none."""
    return int(value) if value is not None and value.isascii() and value.isdigit() else 0


def data_style_code(style: Any) -> str:
    """The Excel format code that shows a number as the ODF data style element `style` does."""
    kind = style.tag[len(_NUMBER):]
    if kind == "date-style":
        return "dd/mm/yyyy"
    if kind == "time-style":
        return "hh:mm"
    if kind in ("boolean-style", "text-style"):
        return GENERAL
    # A style whose body holds no number:number gives General here; OdsStyles.code then takes the
    # digits of the style it maps non-negative values to (style:map), when it names one.
    code = _number_code(style.find(f"{_NUMBER}number"))
    if kind == "percentage-style":
        return ("0" if code == GENERAL else code) + "%"
    if kind == "number-style" and any("%" in (text.text or "") for text in style.iterfind(f"{_NUMBER}text")):
        # A % written as text beside the number (Excel's 0.0"%"): shown, the value not scaled.
        return code + '"%"'
    return code


@dataclass
class OdsStyles:
    """The cell styles and data styles of one .ods, by name; `code` resolves a cell style's format."""

    data: dict[str, str] = field(default_factory=dict)
    """Data style name → Excel format code."""
    maps: dict[str, str] = field(default_factory=dict)
    """Data style name → the data style its non-negative values are shown by (style:map)."""
    cells: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    """Cell style name → (its style:data-style-name, its style:parent-style-name)."""
    default: str | None = None
    """The data style of style:default-style for table cells (a cell with no style at all)."""

    def take(self, el: Any) -> None:
        """Keep what el says of number formats, at its end event: a data style, or a table cell's style."""
        tag = el.tag
        if tag in _DATA_STYLES:
            name = el.get(f"{_STYLE}name")
            if name is None:
                return
            self.data[name] = data_style_code(el)
            mapped = next((m.get(f"{_STYLE}apply-style-name") for m in el.iterfind(f"{_STYLE}map")
                           if (m.get(f"{_STYLE}condition") or "").replace(" ", "") in ("value()>=0", "value()>0")),
                          None)
            if mapped:
                self.maps[name] = mapped
        elif tag == f"{_STYLE}style" and el.get(f"{_STYLE}family") == "table-cell":
            name = el.get(f"{_STYLE}name")
            if name is not None:
                self.cells[name] = (el.get(f"{_STYLE}data-style-name"), el.get(f"{_STYLE}parent-style-name"))
        elif tag == f"{_STYLE}default-style" and el.get(f"{_STYLE}family") == "table-cell":
            self.default = el.get(f"{_STYLE}data-style-name")

    def code(self, cell_style: str | None) -> str:
        """The Excel format code of a cell of style cell_style (None: no style, the "Default" one)."""
        name = cell_style if cell_style is not None else "Default"
        data: str | None = None
        for _ in range(MAX_PARENTS):
            if name not in self.cells:
                break
            data, parent = self.cells[name]
            if data is not None or parent is None:
                break
            name = parent
        if data is None:
            data = self.default
        if data is None:
            return GENERAL
        code = self.data.get(data, GENERAL)
        positive = self.maps.get(data)
        if code == GENERAL and positive is not None:
            code = self.data.get(positive, GENERAL)
        return code
