"""Issue 13 (speed) — the behaviour the speed work must keep; speed itself is measured in benchmarks/.

- the compiled template writes the bytes of the plain docxtpl path for the same data;
- its zip writer (word/package.zip_members, with its cache of deflated parts) writes the bytes
  Python's zipfile writes;
- check finds a table's style without scanning the table; style chains memoised; a broken theme is
  tolerated;
- the units file keeps "05" and refuses `closing: yes` as a plan file does (libyaml path);
- each command imports what it uses (`import generator.cli` loads no docxtpl, no pydantic).
"""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml
from lxml import etree

from generator.jobs.batch import prepare_batch, run_batch
from generator.document.context import build_context
from generator.errors import DataError
from generator.document.seal import seal
from generator.document.layout import finish_layout
from generator.plan.loader import load_plan, parse_yaml
from generator.document.render import DEFAULT_TEMPLATE, Template, _Environment, _set_properties
from generator.word.formatting import Formatting
from generator.word.package import zip_members, zip_members_by_zipfile

from tests.paths import ROOT, DATA, FULL, SAMPLE

PLAN = SAMPLE


def plain_docxtpl(plan) -> bytes:
    """The straightforward pipeline: DocxTemplate render + layout + properties + save, zipped and
    sealed the way kehoach does."""
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(str(DEFAULT_TEMPLATE))
    tpl.render(build_context(plan), _Environment(), autoescape=True)
    finish_layout(tpl.docx)
    _set_properties(tpl.docx, plan)
    buf = io.BytesIO()
    tpl.docx.save(buf)
    plain = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    return zipfile_zip(seal({n: plain.read(n) for n in plain.namelist()}, plan))


zipfile_zip = zip_members_by_zipfile
"""The reference: the deterministic zip as Python's zipfile writes it."""


def _plans(tmp_path: Path) -> list:
    plans = [load_plan(p) for p in sorted(DATA.glob("ke-hoach-*.yaml"))]
    for units in ("don-vi-trien-khai.yaml", "don-vi-noi-bo-skhcn.yaml"):
        plans += [job.plan for job in prepare_batch(PLAN, DATA / units, tmp_path / units).jobs]
    # Text with a tab, a line break and markup-looking characters: docxtpl's listing pass and the
    # escapes must give the same bytes on both paths.
    data = yaml.safe_load(PLAN.read_text(encoding="utf-8"))
    data["closing"] = "Dòng một\tcó tab\nDòng hai & <ba> {{ không phải thẻ }} {_{ x }_}"
    data["number"], data["date"] = 125, "2024-03-20"
    # A table's cells with the same characters, a quote and tabs (docxtpl makes each a w:tab run):
    # tables are put in place after the layout pass (tables.table_slots) and must read as lxml
    # writes them, with what docxtpl does to them.
    data["sections"][0]["blocks"] = [{"table": {
        "columns": ["Cột {{ a }}", {"title": "B & <c>", "width": 2}],
        "rows": [["{_{ x }_} \"y\"", {"lines": ["một", "dòng & hai"]}], ["}}", None],
                 ["tab\tgiữa", "\tđầu và cuối\t"], [[{"bold": "đậm\tcó tab"}], ["a\tb", {"italic": "\tc"}]]]}}]
    odd = tmp_path / "odd.yaml"
    odd.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    plans.append(load_plan(odd))
    return plans


def test_compiled_template_gives_the_plain_docxtpl_bytes(tmp_path):
    template = Template()
    assert template._compiled() is not None  # the default template takes the compiled path
    plans = _plans(tmp_path)
    assert len(plans) >= 10
    for plan in plans:
        rendered = template.render(plan)
        assert rendered == plain_docxtpl(plan)
        with zipfile.ZipFile(io.BytesIO(rendered)) as zf:  # every table placeholder was filled
            assert all(b"urn:kehoach:table" not in zf.read(n) for n in zf.namelist())


def test_compiled_and_fallback_paths_agree(tmp_path):
    compiled = Template()
    fallback = Template()
    fallback._compiled_template = type("F", (), {"fallback": True})()
    for plan in _plans(tmp_path)[:4]:
        assert compiled.render(plan) == fallback.render(plan)


def test_the_default_template_skips_table_fixes_and_keeps_headers_static():
    compiled = Template()._compiled()
    assert compiled.fix_tables is False
    assert all(part.static for part in compiled.parts)


@pytest.mark.parametrize("names", [
    ["[Content_Types].xml", "_rels/.rels", "word/document.xml", "a/b.xml"],
    ["z.xml", "tệp/ư.xml", "_rels/.rels"],
    ["empty.xml"],
])
def test_zip_writer_matches_zip_members(names):
    compiled = Template()._compiled()
    members = {n: b"" if n == "empty.xml" else (n * 300).encode("utf-8") + bytes(range(256)) for n in names}
    assert compiled.zip(members) == zip_members(members) == zipfile_zip(members)
    assert compiled.zip(dict(compiled.static)) == zipfile_zip(dict(compiled.static))
    assert compiled.zip(dict(compiled.static)) == zipfile_zip(dict(compiled.static))  # from the cache


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _styles() -> etree._Element:
    return etree.fromstring(
        f'<w:styles xmlns:w="{W}">'
        '<w:style w:type="table" w:default="1" w:styleId="Grid"><w:rPr><w:b/></w:rPr></w:style>'
        '<w:style w:type="paragraph" w:styleId="A"><w:basedOn w:val="B"/></w:style>'
        '<w:style w:type="paragraph" w:styleId="B"><w:basedOn w:val="A"/></w:style>'
        '</w:styles>')


def test_table_style_lookup_does_not_scan_rows():
    rows = "".join(f"<w:tr><w:tc><w:p><w:r><w:t>{i}</w:t></w:r></w:p></w:tc></w:tr>" for i in range(50))
    tbl = etree.fromstring(f'<w:tbl xmlns:w="{W}"><w:tblPr/><w:tblGrid/>{rows}'
                           '<w:tblPr><w:tblStyle w:val="Late"/></w:tblPr></w:tbl>')
    fmt = Formatting(_styles())
    p = tbl.find(f".//{{{W}}}p")
    assert fmt._table_style(p) == "Grid"  # the default: a tblPr after the rows is not the table's
    assert fmt.run(p, p.find(f"{{{W}}}r")).bold  # from the default table style
    styled = etree.fromstring(f'<w:tbl xmlns:w="{W}"><w:tblPr><w:tblStyle w:val="X"/></w:tblPr>{rows}</w:tbl>')
    assert fmt._table_style(styled.find(f".//{{{W}}}p")) == "X"


def test_style_chain_is_memoised_and_stops_at_a_loop():
    fmt = Formatting(_styles())
    first = fmt.chain("A")
    assert [s.get(f"{{{W}}}styleId") for s in first] == ["A", "B"]
    assert fmt.chain("A") is first


def test_broken_theme_is_tolerated():
    class Rel:
        reltype = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme"
        is_external = False
        target_part = type("P", (), {"blob": b"<a:theme xmlns:a='x'><unclosed"})()

    class Doc:
        styles = type("S", (), {"element": _styles()})()
        part = type("DP", (), {"rels": {"rId1": Rel()}})()

    assert Formatting.of(Doc()).theme == {}


# --- units file through libyaml: the keep-as-text rule -------------------------------------------

def test_plain_scalars_keep_their_text():
    text = "a: 05\nb: yes\nc: 2024-02-07\nd: 1.5\ne: 12\nf: true\ng: '05'\n"
    assert parse_yaml(text, "x.yaml").data == {"a": "05", "b": "yes", "c": "2024-02-07", "d": "1.5", "e": 12, "f": True, "g": "05"}


def _units(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "units.yaml"
    path.write_text("mode: implementing\nunits:\n" + body, encoding="utf-8")
    return path


def test_units_file_keeps_a_leading_zero(tmp_path):
    units = _units(tmp_path, "  - name: Sở Tư pháp\n    agency: {name: Sở Tư pháp, abbreviation: STP}\n"
                             "    signer: {name: Nguyễn Văn A, title: Giám đốc}\n    number: 05\n")
    src = parse_yaml(units.read_text(encoding="utf-8"), str(units))
    assert src.data["units"][0]["number"] == "05"


def test_closing_yes_reads_the_same_in_a_units_file_as_in_a_plan_file(tmp_path):
    """`closing: yes` is the word "yes" in a plan file (keep-as-text); the units file used to make
    it the boolean true. Same rules in both paths: whatever the plan file gives, the unit gives."""
    plan_text = PLAN.read_text(encoding="utf-8")
    bad_plan = tmp_path / "plan.yaml"
    bad_plan.write_text("\n".join("closing: yes" if line.startswith("closing:") else line
                                  for line in plan_text.splitlines()) + "\n", encoding="utf-8")
    try:
        expected: object = load_plan(bad_plan).closing
    except DataError as exc:
        expected = sorted(p.message for p in exc.problems if p.path == "closing")
    units = _units(tmp_path, "  - name: Sở Tư pháp\n    agency: {name: Sở Tư pháp, abbreviation: STP}\n"
                             "    signer: {name: Nguyễn Văn A, title: Giám đốc}\n    closing: yes\n")
    prepared = prepare_batch(PLAN, units, tmp_path / "out")
    if prepared.jobs:
        assert prepared.jobs[0].plan.closing == expected
    else:
        got = sorted(p.message for p in prepared.failed[0].problems if p.path.endswith("closing"))
        assert got == expected


def test_a_batch_hands_out_each_unit_once_and_keeps_none(tmp_path):
    prepared = prepare_batch(PLAN, DATA / "don-vi-trien-khai.yaml", tmp_path / "x")
    assert all(isinstance(job.packed, bytes) for job in prepared.jobs)
    from generator.jobs.batch import RenderPool

    jobs = list(prepared.jobs)
    (tmp_path / "x").mkdir()
    with RenderPool(1) as pool:
        done = [unit for unit, error in pool.render(jobs) if error is None]
    assert len(done) == len(prepared.jobs) and jobs == [None] * len(jobs)
    result = run_batch(PLAN, DATA / "don-vi-trien-khai.yaml", tmp_path / "y", jobs=1)
    assert result.ok and not any(hasattr(d, "plan") for d in result.written)


# --- cold start -------------------------------------------------------------------------------

def test_the_command_line_imports_only_what_a_command_uses():
    code = ("import sys, generator.cli; generator.cli.build_parser(); "
            "print(sorted(m for m in ('docxtpl', 'docx', 'pydantic', 'jinja2', 'lxml', 'yaml') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=ROOT).stdout.strip()
    assert out == "[]"
    code = ("import sys, generator.check; print(sorted(m for m in ('docxtpl', 'jinja2', 'pydantic', "
            "'generator.plan.model', 'generator.document.context') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=ROOT).stdout.strip()
    assert out == "[]"  # checking a Word file needs neither the template engine nor the plan model


def _fresh(code: str) -> str:
    """What code prints in a new interpreter: what a command's own process has built and imported."""
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          cwd=ROOT).stdout.strip()


@pytest.mark.parametrize("plan", [SAMPLE, FULL], ids=["sample", "full"])
def test_rendering_a_loaded_plan_builds_no_validator_again(plan):
    # pydantic reuses a nested model's core schema in the Plan's only when that model was built
    # first (plan/model.py build_plan_validator): the catalogue's Table, Columns and Groups the
    # context constructs are then ready, and rendering builds nothing more.
    code = ("import generator.plan.model as m\n"
            "from generator.plan.loader import load_plan\n"
            "from generator.document.render import render_plan\n"
            "built = lambda: sorted(c.__name__ for c in vars(m).values()\n"
            "    if isinstance(c, type) and issubclass(c, m.Model) and c.__pydantic_complete__)\n"
            f"plan = load_plan({str(plan)!r}); before = built()\n"
            "data = render_plan(plan)\n"
            "print(before == built(), 'Table' in before, len(data) > 0)")
    assert _fresh(code) == "True True True"


def test_the_plan_schema_is_the_same_whichever_model_is_built_first():
    # The order build_plan_validator imposes must change nothing a user sees: the JSON Schema of
    # `kehoach schema` (made from the core schema) comes out byte for byte the same.
    code = ("import json, generator.plan.model as m\n"
            "{}\n"
            "print(json.dumps(m.Plan.model_json_schema(), ensure_ascii=False, sort_keys=False))")
    alone = _fresh(code.format("pass"))
    ordered = _fresh(code.format("m.build_plan_validator()"))
    assert '"$defs"' in alone and '"Table"' in alone
    assert ordered == alone


def test_loading_a_plan_imports_neither_subprocess_nor_lxml():
    # webdoc.sniff runs on every plan loaded; soffice (and its subprocess) only converts documents.
    # legacy_fonts (its letters) and word/tables (MAX_HEADER_ROWS) reach formatting and notes only
    # when they read runs or write a note: neither lxml nor the notes are a plan's loading.
    code = ("import sys\nfrom generator.plan.loader import load_plan\n"
            f"load_plan({str(SAMPLE)!r})\n"
            "print(sorted(m for m in ('subprocess', 'generator.word.soffice', 'lxml.etree', 'generator.word.notes')"
            " if m in sys.modules))")
    assert _fresh(code) == "[]"


def test_checking_a_data_file_locates_no_parts_of_a_word_file():
    # check_data reads the plan's derived lines with the recogniser's `lines` and `model` only; the
    # modules that locate the parts of a Word file (attached, parts, appendices) are check_docx's.
    code = ("import sys\nfrom generator.check import check_file\n"
            f"report = check_file({str(SAMPLE)!r})\n"
            "print(len(report.results) > 0, sorted(m for m in ('generator.recognise.attached', "
            "'generator.recognise.parts', 'generator.recognise.appendices') if m in sys.modules))")
    assert _fresh(code) == "True []"
