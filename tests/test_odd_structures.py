"""Odd structures found by mutating real plans: read as Word reads them, or refused in words.

Structural fuzzing of the corpus's plans and of the project's own fixtures (parts removed, names
recased, content types and relationship targets swapped, values in other units, elements wrapped,
duplicated and moved, text typed otherwise) found these classes, each built here in code on the
fixture plan and compared with the plan whose page it shows:

- a package whose parts python-docx did not find where the Open Packaging Conventions put them: a
  part a relationship names but the zip lacks (Word recovers the rest, LibreOffice opens it), part
  names in another case or with backslashes, a part with no content type of its own ("tệp hỏng",
  or exit 70 for a footer loaded as a bare blob);
- lengths written as universal measures ("14pt", "30mm": the schema allows them), read as absent;
  numbers no Word writes ("1e400") and a shape's offset that is no integer: exit 70;
- a header or footer reference, or its relationship, naming a part that is no header or footer
  (the theme, the web settings): exit 70;
- a date line no calendar has (29/02/2025, a 13th month): the import wrote nothing.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest

from generator.check import check_docx
from generator.errors import UserError
from generator.jobs.importer import import_docx
from generator.word.reader import read_word
from tests.test_check_invariance import _plain

Members = dict[str, bytes]


def _findings(path: Path) -> list[tuple[str, str, str]]:
    return sorted((r.rule, r.status, r.severity) for r in check_docx(path).results)


def _with_footer(path: Path) -> Path:
    """The fixture plan with a footer printing the page number (a PAGE field), as offices set it."""
    doc = docx.Document(str(path))
    footer = doc.sections[0].footer
    footer.is_linked_to_previous = False
    p = footer.paragraphs[0]._p
    p.append(docx.oxml.parse_xml(
        f'<w:fldSimple {docx.oxml.ns.nsdecls("w")} w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'))
    doc.save(str(path))
    return path


def _members(path: Path) -> Members:
    with zipfile.ZipFile(path) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def _write(path: Path, members: Members) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, blob in members.items():
            zf.writestr(name, blob)
    return path


def _changed(source: Path, out: Path, change: Callable[[Members], Members]) -> Path:
    return _write(out, change(_members(source)))


@pytest.fixture(scope="module")
def plans(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("odd")
    plain = _plain(folder / "plain.docx")
    footed = _with_footer(_plain(folder / "footed.docx"))
    assert read_word(footed).sections[0].footers["default"].has_page_field
    return {"folder": folder, "plain": plain, "footed": footed,
            "plain_findings": _findings(plain), "footed_findings": _findings(footed),
            "data": import_docx(plain).data}


def _footer_part(members: Members) -> str:
    return next(n for n in members if re.fullmatch(r"word/footer\d*\.xml", n))


def test_a_part_named_but_missing_is_left_out_as_word_recovers(plans: dict[str, Any]) -> None:
    """The footer the relationships name is not in the zip: what is read is the plan without it,
    as Word shows the file once recovered (the footer's page number is then missing, and said)."""
    def drop_footer(m: Members) -> Members:
        return {n: b for n, b in m.items() if n != _footer_part(m)}

    broken = _changed(plans["footed"], plans["folder"] / "no-footer.docx", drop_footer)
    assert _findings(broken) == plans["plain_findings"]
    assert import_docx(broken).data == plans["data"]
    assert not read_word(broken).sections[0].footers


def test_styles_named_but_missing_read_with_word_defaults(plans: dict[str, Any]) -> None:
    """No styles part although the document's relationships name it: the plan's text, typed with
    direct formatting, imports the same."""
    broken = _changed(plans["plain"], plans["folder"] / "no-styles.docx",
                      lambda m: {n: b for n, b in m.items() if n != "word/styles.xml"})
    assert import_docx(broken).data == plans["data"]
    kinds = {r.rule for r in check_docx(broken).results}
    assert kinds == {r for r, _, _ in plans["plain_findings"]}


@pytest.mark.parametrize("rename", [
    pytest.param(lambda n: n.upper() if n != "[Content_Types].xml" else n, id="upper-case"),
    pytest.param(lambda n: n.replace("word/", "Word/"), id="folder-capitalised"),
    pytest.param(lambda n: n.replace("/", "\\"), id="backslashes"),
])
def test_part_names_in_another_case_or_with_backslashes(plans: dict[str, Any], rename: Callable[[str], str],
                                                        request: pytest.FixtureRequest) -> None:
    """The same parts under names Word finds too: the same findings, the footer's page number
    found, the same data."""
    odd = _changed(plans["footed"], plans["folder"] / f"{request.node.callspec.id}.docx",
                   lambda m: {rename(n): b for n, b in m.items()})
    assert "word/document.xml" not in _members(odd)
    assert _findings(odd) == plans["footed_findings"]
    assert read_word(odd).sections[0].footers["default"].has_page_field
    assert import_docx(odd).data == plans["data"]


def _drop_footer_override(m: Members) -> Members:
    footer = _footer_part(m)
    types = re.sub(rb'<Override PartName="/' + footer.encode() + rb'"[^>]*/>', b"", m["[Content_Types].xml"])
    assert types != m["[Content_Types].xml"]
    return {**m, "[Content_Types].xml": types}


def _drop_xml_default(m: Members) -> Members:
    types = re.sub(rb'<Default Extension="xml"[^>]*/>', b"", m["[Content_Types].xml"])
    assert types != m["[Content_Types].xml"]
    return {**m, "[Content_Types].xml": types}


@pytest.mark.parametrize("change", [
    pytest.param(_drop_footer_override, id="footer-override-missing"),
    pytest.param(_drop_xml_default, id="xml-default-missing"),
])
def test_a_part_without_its_content_type_is_what_its_relationship_says(
        plans: dict[str, Any], change: Callable[[Members], Members], request: pytest.FixtureRequest) -> None:
    """The footer's Override is missing and .xml defaults to application/xml: the footer is still
    a footer (its page number found), as in LibreOffice; it stopped the program (exit 70). No
    Default for .xml at all: the parts of no type (custom XML) are carried along unread, as Word
    does; python-docx stopped at them ("tệp hỏng")."""
    odd = _changed(plans["footed"], plans["folder"] / f"{request.node.callspec.id}.docx", change)
    assert _findings(odd) == plans["footed_findings"]
    assert read_word(odd).sections[0].footers["default"].has_page_field
    assert import_docx(odd).data == plans["data"]


def test_no_main_document_is_said_by_name(plans: dict[str, Any]) -> None:
    """Without the main document there is nothing to show (Word refuses it too): a Vietnamese
    message naming the file and the missing part."""
    broken = _changed(plans["plain"], plans["folder"] / "no-body.docx",
                      lambda m: {n: b for n, b in m.items() if n != "word/document.xml"})
    for read in (check_docx, import_docx):
        with pytest.raises(UserError) as caught:
            read(broken)
        message = str(caught.value)
        assert str(broken) in message and "word/document.xml" in message and "phần nội dung chính" in message


# --- values in the other forms the schema allows ----------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_LENGTHS = {  # (element, attribute) -> units a point: the lengths a plan's page is made of
    **{("ind", a): 20 for a in ("left", "right", "start", "end", "firstLine", "hanging")},
    **{("spacing", a): 20 for a in ("before", "after")},
    **{("pgSz", a): 20 for a in ("w", "h")},
    **{("pgMar", a): 20 for a in ("top", "bottom", "left", "right", "header", "footer", "gutter")},
    ("gridCol", "w"): 20, ("tab", "pos"): 20, ("sz", "val"): 2, ("szCs", "val"): 2,
}


def _universal(blob: bytes, unit: str) -> bytes:
    """Every length of _LENGTHS written as a universal measure ("14pt", "2.54cm"), as Strict files and
    other producers write them (ST_TwipsMeasure, ST_HpsMeasure…): the same page."""
    from lxml import etree

    per_unit = {"pt": 1.0, "mm": 72 / 25.4, "in": 72.0}[unit]
    root = etree.fromstring(blob)
    for el in root.iter():
        if not isinstance(el.tag, str) or not el.tag.startswith(f"{{{W_NS}}}"):
            continue
        local = etree.QName(el).localname
        for name, value in el.attrib.items():
            per_pt = _LENGTHS.get((local, etree.QName(name).localname))
            if per_pt and value.lstrip("-").isdigit() and etree.QName(name).namespace == W_NS:
                el.set(name, f"{int(value) / per_pt / per_unit:.6f}{unit}")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


@pytest.mark.parametrize("unit", ["pt", "mm", "in"])
def test_lengths_as_universal_measures_read_as_numbers(plans: dict[str, Any], unit: str) -> None:
    """Font sizes, indents, spacing, margins, page size, grid and tab stops written "14pt", "30mm",
    "0.5in" instead of half-points and twips: the same findings (sizes, margins and indents are
    measured, not only found) and the same data. They were read as absent (sizes unknown, margins 0)."""
    def change(m: Members) -> Members:
        return {n: _universal(b, unit) if n in ("word/document.xml", "word/styles.xml") else b
                for n, b in m.items()}

    odd = _changed(plans["plain"], plans["folder"] / f"universal-{unit}.docx", change)
    assert b'w:val="14.000000pt"' in _members(odd)["word/document.xml"] or unit != "pt"
    assert _findings(odd) == plans["plain_findings"]
    assert import_docx(odd).data == plans["data"]


@pytest.mark.parametrize("value", ["1e400", "-1e400", "inf", "NaN", "12pt3", "auto"])
def test_numbers_no_word_writes_are_none_not_a_stop(plans: dict[str, Any], value: str) -> None:
    """A margin, an indent, a cell width or a font size Word cannot read ("1e400" overflows, "NaN"):
    read as not given, as LibreOffice does; "1e400" stopped the program (exit 70)."""
    def change(m: Members) -> Members:
        xml = re.sub(rb'(w:(?:left|right|top|w|val|firstLine))="\d+"', rb'\1="' + value.encode() + rb'"',
                     m["word/document.xml"])
        return {**m, "word/document.xml": xml}

    odd = _changed(plans["plain"], plans["folder"] / f"number-{value}.docx", change)
    findings = dict(((r, s) for r, s, _ in _findings(odd)))
    assert findings.keys() == dict(((r, s) for r, s, _ in plans["plain_findings"])).keys()
    data = import_docx(odd).data
    assert data["subject"] == plans["data"]["subject"] and data["signer"] == plans["data"]["signer"]


@pytest.mark.parametrize("value", ["12pt", "", "1e3"])
def test_a_drawn_line_placed_by_no_integer_is_not_a_stop(plans: dict[str, Any], value: str) -> None:
    """A line's offset (wp:posOffset, an integer of EMU) or its extent written otherwise: the line is
    taken as not placed, the rest read as before; it stopped the program (exit 70)."""
    def change(m: Members) -> Members:
        xml = re.sub(rb"<wp:posOffset>-?\d+</wp:posOffset>", b"<wp:posOffset>" + value.encode() + b"</wp:posOffset>",
                     m["word/document.xml"])
        xml = re.sub(rb'(<wp:extent cx=")\d+', rb"\g<1>" + value.encode(), xml, count=1)
        assert xml != m["word/document.xml"]
        return {**m, "word/document.xml": xml}

    odd = _changed(plans["plain"], plans["folder"] / f"offset-{value}.docx", change)
    assert {r for r, _, _ in _findings(odd)} == {r for r, _, _ in plans["plain_findings"]}
    assert import_docx(odd).data["subject"] == plans["data"]["subject"]


# --- a date no calendar has ----------------------------------------------------------------------

@pytest.mark.parametrize(("printed", "kept", "dropped"), [
    ("ngày 29 tháng 02 năm 2025", "2025-02", "ngày"),
    ("ngày 31 tháng 4 năm 2026", "2026-04", "ngày"),
    ("ngày 15 tháng 13 năm 2026", "2026", "tháng"),
    ("ngày 00 tháng 00 năm 2026", "2026", "tháng"),
])
def test_an_impossible_date_imports_the_rest(tmp_path: Path, printed: str, kept: str, dropped: str) -> None:
    """A typing slip in the date line (29/02 of a year that has none, a 13th month): the page shows
    it as typed; the import keeps the year and month the model takes, says what it left out, and
    imports the plan. It wrote nothing ("dữ liệu đọc được chưa hợp lệ"): the whole file was lost."""
    from generator.jobs.importer import import_file
    from generator.plan.loader import load_plan
    from tests.word_fixtures import Header

    path = _plain(tmp_path / "slip.docx", Header(issuer=("SỞ VĂN HÓA", "VÀ THỂ THAO"),
                                                 date=f"Sông Mây, {printed}"))
    result = import_file(path, tmp_path / "slip.yaml")
    assert result.data["date"] == kept
    note = next(n for n in result.warnings if "không có thật" in n.message)
    assert kept in note.message and printed.split(" năm")[0].split()[-1] in note.excerpt
    plan = load_plan(tmp_path / "slip.yaml")
    assert plan.agency.place == "Sông Mây"
    assert (plan.date.year, plan.date.day) == (int(kept[:4]), None)
    assert dropped == "tháng" or plan.date.month == int(kept[5:])


def test_a_year_no_plan_can_have_is_said_and_the_rest_imported(tmp_path: Path) -> None:
    from generator.jobs.importer import import_file
    from tests.word_fixtures import Header

    path = _plain(tmp_path / "year.docx", Header(issuer=("SỞ VĂN HÓA", "VÀ THỂ THAO"),
                                                 date="Sông Mây, ngày 1 tháng 1 năm 1899"))
    result = import_file(path, tmp_path / "year.yaml")
    assert any("năm 1899" in n.message and "hãy sửa date" in n.message for n in result.warnings)
    assert result.data["subject"] == import_docx(_plain(tmp_path / "plain.docx")).data["subject"]


# --- a reference to the wrong part ----------------------------------------------------------------

@pytest.mark.parametrize("target", ["theme", "fontTable", "styles"])
def test_a_footer_reference_naming_another_part_prints_no_footer(plans: dict[str, Any], target: str) -> None:
    """The section's footer reference names the theme, the font table or the styles (a tool's slip
    with relationship ids): no footer is printed there, as LibreOffice shows it, and the rest reads as
    the plan without a footer. A theme or font table there stopped the program (exit 70)."""
    def change(m: Members) -> Members:
        rels = m["word/_rels/document.xml.rels"].decode()
        rid = next(i for i, kind in re.findall(r'Id="(\w+)"[^>]*Type="[^"]+/(\w+)"', rels) if kind == target)
        xml = re.sub(rb'(<w:footerReference [^>]*r:id=")\w+', rb"\g<1>" + rid.encode(), m["word/document.xml"])
        assert xml != m["word/document.xml"]
        return {**m, "word/document.xml": xml}

    odd = _changed(plans["footed"], plans["folder"] / f"footer-is-{target}.docx", change)
    assert not read_word(odd).sections[0].footers
    assert _findings(odd) == plans["plain_findings"]
    assert import_docx(odd).data == plans["data"]


def test_a_footer_relationship_to_another_part_prints_no_footer(plans: dict[str, Any]) -> None:
    """The footer's relationship targets the web settings part (its id right, its target wrong): no
    footer there, the rest read as the plan without one; it stopped the program (exit 70)."""
    def change(m: Members) -> Members:
        footer = _footer_part(m).split("/", 1)[1]
        rels = m["word/_rels/document.xml.rels"]
        changed = rels.replace(f'Target="{footer}"'.encode(), b'Target="webSettings.xml"')
        assert changed != rels
        return {**m, "word/_rels/document.xml.rels": changed}

    odd = _changed(plans["footed"], plans["folder"] / "footer-targets-websettings.docx", change)
    assert not read_word(odd).sections[0].footers
    assert _findings(odd) == plans["plain_findings"]
    assert import_docx(odd).data == plans["data"]
