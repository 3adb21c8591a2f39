"""Issue 18: a template restyled in Word or LibreOffice keeps working, and `check-template` knows
when it will not.

The default template is saved through LibreOffice (which rewrites style IDs from the names, re-creates
the headers and moves section breaks) and edited the way Word edits styles (sizes, fonts, a wider
header column); both render the samples to documents that `kehoach check` passes, with the same
pages and the same text as the default template's.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Pt

from generator.check import check_file
from generator.cli import main
from generator.document.template_check import check_template
from generator.document.template_parts import RULE
from generator.word.template_xml import StyleIds, has_page_field, header_targets, restore, sections
from tests.paths import ROOT

TEMPLATE = ROOT / "templates" / "kehoach.docx"
DATA = {
    "sample": ROOT / "data" / "ke-hoach-truyen-thong-kiem-soat-tthc-2024.yaml",
    "structures": ROOT / "data" / "ke-hoach-cau-truc-day-du.yaml",
}
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
needs_office = pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdfinfo") is None
                                  or shutil.which("pdftotext") is None,
                                  reason="LibreOffice (soffice) or poppler (pdfinfo, pdftotext) not installed")


def soffice(out: Path, fmt: str, *files: Path, profile: Path) -> None:
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", fmt,
                    "--outdir", str(out), *map(str, files)], check=True, capture_output=True, timeout=300)


def word_edit(source: Path, target: Path) -> Path:
    """What an office does in Word: other sizes and fonts in the KH styles (direct on the style,
    the way Word writes them), a wider left column in the header table. No style is renamed."""
    doc = Document(source)
    doc.styles["KH Tiêu ngữ"].font.size = Pt(14)  # 13 -> 14: the rule under it must follow
    doc.styles["KH Địa danh, ngày tháng"].font.size = Pt(13)
    doc.styles["KH Nơi nhận"].font.size = Pt(12)
    for style in doc.styles:
        if style.name and style.name.startswith("KH "):
            style.font.name = "Times New Roman"  # Word writes w:rFonts ascii/hAnsi on the style
    header = doc.tables[0]
    grid = header._tbl.tblGrid.findall(f"{W}gridCol")
    left, right = int(grid[0].get(f"{W}w")), int(grid[1].get(f"{W}w"))
    grid[0].set(f"{W}w", str(left + 100))
    grid[1].set(f"{W}w", str(right - 100))
    for row in header.rows:
        for i, cell in enumerate(row.cells):
            tcw = cell._tc.tcPr.find(f"{W}tcW")
            tcw.set(f"{W}w", str(left + 100 if i == 0 else right - 100))
    doc.save(target)
    return target


@pytest.fixture(scope="module")
def office(tmp_path_factory) -> Path:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) not installed")
    return tmp_path_factory.mktemp("lo-profile")


@pytest.fixture(scope="module")
def templates(tmp_path_factory, office) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("templates")
    soffice(root / "lo", "docx", TEMPLATE, profile=office)
    return {"libreoffice": root / "lo" / "kehoach.docx",
            "word": word_edit(TEMPLATE, root / "word.docx")}


@pytest.fixture(scope="module")
def rendered(templates, tmp_path_factory, office) -> dict[tuple[str, str], Path]:
    """Every sample rendered with the default template and with each restyled one, and their PDFs."""
    out = tmp_path_factory.mktemp("rendered")
    docs: dict[tuple[str, str], Path] = {}
    for data_name, data in DATA.items():
        for tpl_name, tpl in [("default", None), *templates.items()]:
            target = out / f"{tpl_name}-{data_name}.docx"
            args = ["render", str(data), "-o", str(target)] + (["--template", str(tpl)] if tpl else [])
            assert main(args) == 0
            docs[tpl_name, data_name] = target
    soffice(out, "pdf", *docs.values(), profile=office)
    return docs


def test_libreoffice_really_rewrites_what_the_renderer_relied_on(templates) -> None:
    """The premise: if LibreOffice stopped doing this, these tests would prove nothing."""
    with zipfile.ZipFile(templates["libreoffice"]) as z:
        styles = z.read("word/styles.xml").decode()
    assert 'w:styleId="KHDuongKe"' not in styles and "KH Đường kẻ" in styles


@needs_office
@pytest.mark.parametrize("tpl_name", ["libreoffice", "word"])
def test_restyled_template_checks_clean(templates, tpl_name: str, capsys) -> None:
    assert check_template(templates[tpl_name]) == []
    assert main(["check-template", str(templates[tpl_name])]) == 0
    assert "mẫu hợp lệ" in capsys.readouterr().out


@needs_office
@pytest.mark.parametrize("data_name", list(DATA))
@pytest.mark.parametrize("tpl_name", ["libreoffice", "word"])
def test_restyled_template_renders_the_same_document(rendered, tpl_name: str, data_name: str) -> None:
    from openxml_audit import OpenXmlValidator

    doc, default = rendered[tpl_name, data_name], rendered["default", data_name]
    report = check_file(doc)
    assert not report.errors, report.to_table()
    assert len(report.results) == len(check_file(default).results)  # same rules ran: appendices found
    result = OpenXmlValidator().validate(str(doc))
    assert result.is_valid, [str(e) for e in getattr(result, "errors", [])][:10]
    assert pages(doc.with_suffix(".pdf")) == pages(default.with_suffix(".pdf"))


def pages(pdf: Path) -> list[list[str]]:
    """The words of each page, sorted: the same words on the same pages. Sorted because a wider
    header column changes the order in which pdftotext reads the two columns, not the text."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    count = int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    out = [sorted(page.split()) for page in text.split("\f")]
    out = out[:count] if len(out) > count else out
    assert len(out) == count
    return out


@needs_office
def test_rules_follow_the_restyled_tieu_ngu(rendered) -> None:
    """The Word edit made the Tiêu ngữ 14 pt: its line is longer than with the default's 13 pt."""
    def tieu_ngu_rule(path: Path) -> int:
        doc = Document(path)
        cell = doc.tables[0].rows[0].cells[1]._tc
        paras = cell.findall(f"{W}p")
        ind = paras[-1].find(f"{W}pPr/{W}ind")
        return int(ind.get(f"{W}left"))

    assert tieu_ngu_rule(rendered["word", "sample"]) < tieu_ngu_rule(rendered["default", "sample"])
    assert tieu_ngu_rule(rendered["libreoffice", "sample"]) == tieu_ngu_rule(rendered["default", "sample"])


@needs_office
def test_table_cells_take_the_templates_style_ids(rendered) -> None:
    with zipfile.ZipFile(rendered["libreoffice", "structures"]) as z:
        document = z.read("word/document.xml").decode()
        ids = StyleIds(_parse(z.read("word/styles.xml")))
    used = set(re.findall(r'<w:pStyle w:val="([^"]+)"', document))
    assert used <= ids.ids, used - ids.ids  # no paragraph points at a style the file lacks
    assert ids.by_name["kh bảng"] in used and "KHBang" not in used


def _parse(blob: bytes):
    from lxml import etree

    return etree.fromstring(blob)


# --- templates that would render a wrong document ------------------------------------------------

def mutated(tmp_path: Path, name: str, change) -> Path:
    """The default template with change(part name, bytes) -> bytes applied to its parts."""
    src = zipfile.ZipFile(TEMPLATE)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for part in src.namelist():
            dst.writestr(part, change(part, src.read(part)))
    path = tmp_path / name
    path.write_bytes(buf.getvalue())
    return path


def _no_page_field(part: str, data: bytes) -> bytes:
    if part.startswith("word/header"):
        data = re.sub(rb'<w:r><w:fldChar w:fldCharType="begin"/>.*<w:fldChar w:fldCharType="end"/></w:r>', b"", data)
    return data


def _no_rule_style(part: str, data: bytes) -> bytes:
    if part == "word/styles.xml":
        data = re.sub(rb'<w:style [^>]*w:styleId="KHDuongKe">.*?</w:style>', b"", data)
    return data


def _rule_without_border(part: str, data: bytes) -> bytes:
    if part == "word/styles.xml":
        start = data.index(b'w:styleId="KHDuongKe"')
        end = data.index(b"</w:style>", start)
        data = data[:start] + re.sub(rb"<w:pBdr>.*?</w:pBdr>", b"", data[start:end]) + data[end:]
    return data


def _landscape_appendix_on_portrait(part: str, data: bytes) -> bytes:
    if part == "word/document.xml":
        data = data.replace(b'<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/>',
                            b'<w:pgSz w:w="11906" w:h="16838"/>', 1)
    return data


def _no_restart(part: str, data: bytes) -> bytes:
    return data.replace(b'<w:pgNumType w:start="1"/>', b"", 2) if part == "word/document.xml" else data


def _no_break_before_appendices(part: str, data: bytes) -> bytes:
    if part == "word/document.xml":
        data = re.sub(rb"<w:p><w:pPr>(?:<w:spacing[^>]*/>)?(?:<w:rPr>.*?</w:rPr>)?<w:sectPr>.*?</w:sectPr></w:pPr></w:p>",
                      b"", data, count=1)
    return data


def _no_signer_name(part: str, data: bytes) -> bytes:
    return data.replace(b"{{ signer.name }}", b"Nguyen Van A") if part == "word/document.xml" else data


def _numbered_first_page(part: str, data: bytes) -> bytes:
    return data.replace(b"<w:titlePg/>", b"", 1) if part == "word/document.xml" else data


@pytest.mark.parametrize(("change", "says"), [
    (_no_page_field, "không có trường số trang (PAGE)"),
    (_no_rule_style, "mẫu không có kiểu 'KH Đường kẻ'"),
    (_no_rule_style, "có đoạn dùng kiểu mã 'KHDuongKe' mà mẫu không còn"),
    (_rule_without_border, "kiểu 'KH Đường kẻ' không còn đường viền"),
    (_landscape_appendix_on_portrait, "phụ lục khổ ngang (landscape: true) sẽ không in trên trang ngang"),
    (_no_restart, "không đánh lại số trang từ 1"),
    (_no_break_before_appendices, "không có dấu ngắt phần (section break) giữa phần ký và vòng lặp phụ lục"),
    (_no_signer_name, "mẫu không dùng {{ signer.name }}"),
    (_numbered_first_page, "trang 1 sẽ có số trang"),
], ids=lambda v: getattr(v, "__name__", "")[1:] if callable(v) else "")
def test_check_template_says_what_is_missing_and_how_to_fix(tmp_path: Path, capsys, change, says) -> None:
    tpl = mutated(tmp_path, "t.docx", change)
    assert main(["check-template", str(tpl)]) == 2
    err = capsys.readouterr().err
    assert says in err, err
    assert "hãy" in err  # every message says how to fix it
    out = tmp_path / "o.docx"
    assert main(["render", str(DATA["sample"]), "--template", str(tpl), "-o", str(out)]) == 2
    assert not out.exists()


def test_default_template_and_a_copy_of_it_are_clean(tmp_path: Path) -> None:
    assert check_template(TEMPLATE) == []
    copy = tmp_path / "copy.docx"
    copy.write_bytes(TEMPLATE.read_bytes())
    a, b = tmp_path / "a.docx", tmp_path / "b.docx"
    assert main(["render", str(DATA["structures"]), "-o", str(a)]) == 0
    assert main(["render", str(DATA["structures"]), "-o", str(b), "--template", str(copy)]) == 0
    assert a.read_bytes() == b.read_bytes()  # nothing is "restored" in a template that needs nothing


def test_restore_is_the_identity_on_the_default_template() -> None:
    data = TEMPLATE.read_bytes()
    assert restore(data) is data


def test_restore_frees_a_section_break_from_a_tag_paragraph(tmp_path: Path) -> None:
    """What LibreOffice does: the empty paragraph a break rode on is dropped, the break moves onto the
    `{%p if a.landscape %}` paragraph, which docxtpl deletes."""
    def move_breaks(part: str, data: bytes) -> bytes:
        if part != "word/document.xml":
            return data
        return re.sub(rb'(<w:p><w:r><w:t xml:space="preserve">\{%p (?:if a\.landscape|else) %\}</w:t></w:r>)</w:p>'
                      rb"<w:p><w:pPr>(?:<w:spacing[^>]*/>)?(?:<w:rPr>.*?</w:rPr>)?(<w:sectPr>.*?</w:sectPr>)</w:pPr></w:p>",
                      lambda m: m.group(1).replace(b"<w:p>", b"<w:p><w:pPr>" + m.group(2) + b"</w:pPr>", 1) + b"</w:p>",
                      data)
    tpl = mutated(tmp_path, "moved.docx", move_breaks)
    moved = zipfile.ZipFile(tpl).read("word/document.xml")
    assert moved.count(b"</w:sectPr></w:pPr><w:r><w:t xml:space=\"preserve\">{%p ") == 2
    assert check_template(tpl) == []
    restored = zipfile.ZipFile(io.BytesIO(restore(tpl.read_bytes()))).read("word/document.xml")
    original = zipfile.ZipFile(TEMPLATE).read("word/document.xml")
    assert restored.count(b"<w:sectPr>") == original.count(b"<w:sectPr>")
    a, b = tmp_path / "a.docx", tmp_path / "b.docx"
    assert main(["render", str(DATA["structures"]), "-o", str(a)]) == 0
    assert main(["render", str(DATA["structures"]), "-o", str(b), "--template", str(tpl)]) == 0
    assert _sections(a) == _sections(b)


def test_restore_gives_appendix_sections_back_their_page_numbers(tmp_path: Path) -> None:
    """What LibreOffice does to the headers: the appendix sections come back with an empty header of
    their own and no different first page; the renderer numbers them as the body is numbered."""
    def empty_appendix_headers(part: str, data: bytes) -> bytes:
        if part == "word/_rels/document.xml.rels":
            return data.replace(b"</Relationships>", b'<Relationship Id="rIdEmpty" Type="http://schemas.'
                                b'openxmlformats.org/officeDocument/2006/relationships/header" '
                                b'Target="header9.xml"/></Relationships>')
        if part == "[Content_Types].xml":
            return data.replace(b"</Types>", b'<Override PartName="/word/header9.xml" ContentType="application/'
                                b'vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/></Types>')
        if part != "word/document.xml":
            return data

        def strip(m: re.Match) -> bytes:
            sect = re.sub(rb'<w:headerReference w:type="first" r:id="[^"]+"/>', b"", m.group(0))
            sect = re.sub(rb'(<w:headerReference w:type="default" r:id=")[^"]+', rb"\1rIdEmpty", sect)
            return sect.replace(b"<w:titlePg/>", b"")
        sects = list(re.finditer(rb"<w:sectPr>.*?</w:sectPr>", data))
        for m in reversed(sects[1:3]):  # the landscape and the portrait appendix section
            data = data[:m.start()] + strip(m) + data[m.end():]
        return data

    tpl = mutated(tmp_path, "headers.docx", empty_appendix_headers)
    with zipfile.ZipFile(tpl, "a") as z:
        z.writestr("word/header9.xml", zipfile.ZipFile(TEMPLATE).read("word/header2.xml"))
    assert _sections(tpl)[1:3] == [(True, True, False, False), (False, True, False, False)]
    assert check_template(tpl) == []
    a, b = tmp_path / "a.docx", tmp_path / "b.docx"
    assert main(["render", str(DATA["structures"]), "-o", str(a)]) == 0
    assert main(["render", str(DATA["structures"]), "-o", str(b), "--template", str(tpl)]) == 0
    assert _sections(a) == _sections(b)
    assert not check_file(b).errors


def _sections(path: Path) -> list[tuple[bool, bool, bool, bool]]:
    """(landscape, restarts numbering, page-number header, different first page) per section."""
    from lxml import etree

    with zipfile.ZipFile(path) as z:
        body = etree.fromstring(z.read("word/document.xml")).find(f"{W}body")
        headers = header_targets(etree.fromstring(z.read("word/_rels/document.xml.rels")))
        numbered = {n for n in headers.values() if has_page_field(etree.fromstring(z.read(n)))}
    return [(s.landscape, s.restarts, s.default_header in numbered, s.title_pg)
            for s in sections(body, headers)]


def test_layout_finds_rules_by_style_name(tmp_path: Path) -> None:
    """Style IDs renamed everywhere (as LibreOffice does), names kept: the lines are still sized."""
    def rename(part: str, data: bytes) -> bytes:
        for old, new in ((b"KHDuongKe", b"KHngk"), (b"KHTieuNgu", b"KHTiung"), (b"KHTrichYeuPhu", b"KHDngdi"),
                         (b"KHBangTieuDe", b"KHBngtiu"), (b"KHBangNhom", b"KHBngnhm"), (b"KHBangSo", b"KHBngs"),
                         (b'"KHBang"', b'"KHBng"')):
            data = data.replace(old, new)
        return data
    tpl = mutated(tmp_path, "renamed.docx", rename)
    assert check_template(tpl) == []
    a, b = tmp_path / "a.docx", tmp_path / "b.docx"
    assert main(["render", str(DATA["structures"]), "-o", str(a)]) == 0
    assert main(["render", str(DATA["structures"]), "-o", str(b), "--template", str(tpl)]) == 0
    assert not check_file(b).errors

    def normalised(path: Path) -> bytes:
        return rename("", zipfile.ZipFile(path).read("word/document.xml"))
    assert normalised(a) == normalised(b)  # same document but for the IDs


# --- getting the template out for editing ----------------------------------------------------------

def test_template_command_writes_an_editable_copy_next_to_the_data(tmp_path: Path, capsys) -> None:
    data = tmp_path / "ke-hoach.yaml"
    data.write_bytes(DATA["sample"].read_bytes())
    assert main(["template", str(data)]) == 0
    copy = tmp_path / "mau-kehoach.docx"
    assert copy.read_bytes() == TEMPLATE.read_bytes()
    out = capsys.readouterr().out
    assert f"kehoach render {data} --template {copy}" in out
    copy.write_bytes(b"restyled by the office")
    assert main(["template", str(data)]) == 2  # never over an existing (restyled) template
    assert "không ghi đè" in capsys.readouterr().err
    assert copy.read_bytes() == b"restyled by the office"
    assert main(["template", str(tmp_path / "khac.docx")]) == 0
    assert main(["template", str(tmp_path / "khac.txt")]) == 2
    assert main(["template", str(tmp_path / "khong-co" / "t.docx")]) == 2


# --- the committed template: semantics, not bytes --------------------------------------------------

def semantics(data: bytes) -> dict:
    """What the renderer relies on in a template, not how it looks: style names, the tags in order
    per part, each section's layout and headers, the rule paragraphs."""
    from lxml import etree

    z = zipfile.ZipFile(io.BytesIO(restore(data)))
    ids = StyleIds(etree.fromstring(z.read("word/styles.xml")))
    doc = etree.fromstring(z.read("word/document.xml"))
    body = doc.find(f"{W}body")
    headers = header_targets(etree.fromstring(z.read("word/_rels/document.xml.rels")))
    numbered = {n for n in headers.values() if has_page_field(etree.fromstring(z.read(n)))}
    tags = re.findall(r"\{\{.*?\}\}|\{%.*?%\}", "".join(t.text or "" for t in doc.iter(f"{W}t")))
    names = {n for n in ids.by_name if n.startswith("kh ")}
    rule = ids.find(RULE)
    return {
        "styles": names,
        "tags": tags,
        "sections": [(s.landscape, s.restarts, s.default_header in numbered, s.title_pg)
                     for s in sections(body, headers)],
        "rules": sum(1 for ps in doc.iter(f"{W}pStyle") if ps.get(f"{W}val") == rule),
    }


def test_committed_template_means_what_the_builder_builds() -> None:
    """A maintainer may restyle templates/kehoach.docx in Word or LibreOffice: sizes, fonts, widths
    may change; every style, tag, section and page-number field must stay."""
    from generator.document.template_builder import STYLES, build

    committed, fresh = semantics(TEMPLATE.read_bytes()), semantics(build())
    assert committed == fresh
    assert {s.name.casefold() for s in STYLES} <= committed["styles"]
    assert check_template(TEMPLATE) == []


@needs_office
def test_a_template_restyled_in_libreoffice_keeps_the_semantics(templates) -> None:
    assert semantics(templates["libreoffice"].read_bytes()) == semantics(TEMPLATE.read_bytes())
    assert semantics(templates["word"].read_bytes()) == semantics(TEMPLATE.read_bytes())
