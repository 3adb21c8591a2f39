"""Whatever a user pastes into any text field either reaches the document exactly (after the
documented normalisation, generator.text.clean_text + strip) or is refused with a located message.

In the document "\\n" is a <w:br/> line break and "\\t" a <w:tab/>; python-docx's Paragraph.text
reads them back as "\\n" and "\\t", so the comparison is on the exact paragraph text.
"""

from __future__ import annotations

import copy
import io
import shutil
import subprocess
import unicodedata
from pathlib import Path
from typing import Any, Callable

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from generator.errors import DataError
from generator.plan.loader import Source, format_path, validate
from generator.document.render import Template
from generator.text import clean_text, upper_vi

BASE: dict[str, Any] = {
    "agency": {"parent": "UBND tỉnh Quảng Ngãi", "name": "Sở Khoa học và Công nghệ",
               "abbreviation": "SKHCN", "place": "Quảng Ngãi"},
    "date": "2024-03-20",
    "subject": "Truyền thông",
    "units": {"hcth": {"name": "Phòng Hành chính - Tổng hợp", "abbreviation": "HCTH"}},
    "sections": [{"title": "Mục đích", "paragraphs": ["Đoạn."],
                  "clauses": [{"title": "Khoản", "items": ["Ý."], "points": ["Điểm."]},
                              {"text": "Khoản không tiêu đề."}]}],
    "closing": "Kết.",
    "recipients": ["hcth"],
    "signer": {"name": "Nguyễn Văn Thành", "title": "Giám đốc"},
    "appendices": [{"title": "Danh mục", "subtitle": "Nội dung",
                    "columns": ["STT", "Nội dung", "Chủ trì", "Phối hợp", "Thời gian"],
                    "groups": [{"title": "Nhóm", "tasks": [{"content": "Việc.", "lead": ["hcth"],
                                                            "support": ["Đơn vị khác"],
                                                            "time": "Quý I"}]}]}],
}


def _end(text: str, mark: str) -> str:
    """The documented end-of-sentence rule: the text's own ; . , : is replaced by mark."""
    return text.rstrip().rstrip(";.,:").rstrip() + mark


def _without_marks(text: str) -> str:
    """The closing without every "./." typed at its end: "./../." is two marks run together
    ("./." + "./."), both dropped before the one the tool prints; no word is lost."""
    text = text.rstrip()
    while text.endswith("./."):
        text = text[:-3].rstrip()
    return text


# field path -> the exact paragraph text the cleaned value c must produce
FIELDS: dict[tuple, Callable[[str], str]] = {
    ("agency", "parent"): upper_vi,
    ("agency", "name"): upper_vi,
    ("agency", "place"): lambda c: f"{c}, ngày 20 tháng 3 năm 2024",
    ("subject",): lambda c: c,
    ("sections", 0, "title"): lambda c: f"I. {upper_vi(c)}",
    ("sections", 0, "paragraphs", 0): lambda c: c,
    ("sections", 0, "clauses", 0, "title"): lambda c: f"1. {c}",
    ("sections", 0, "clauses", 0, "items", 0): lambda c: f"- {c}",
    ("sections", 0, "clauses", 0, "points", 0): lambda c: f"a) {c}",
    ("sections", 0, "clauses", 1, "text"): lambda c: f"2. {c}",
    ("closing",): lambda c: _end(_without_marks(c), "./."),  # typed end marks are not doubled
    ("recipients", 0): lambda c: f"- {_end(c, ';')}",
    ("units", "hcth", "name"): lambda c: f"- {_end(c, ';')}",
    ("signer", "name"): lambda c: c,
    ("signer", "title"): upper_vi,
    ("appendices", 0, "title"): upper_vi,
    ("appendices", 0, "subtitle"): lambda c: c,
    ("appendices", 0, "columns", 1): lambda c: c,
    ("appendices", 0, "groups", 0, "title"): lambda c: c,
    ("appendices", 0, "groups", 0, "tasks", 0, "content"): lambda c: c,
    ("appendices", 0, "groups", 0, "tasks", 0, "lead", 0): lambda c: c,
    ("appendices", 0, "groups", 0, "tasks", 0, "support", 0): lambda c: c,
    ("appendices", 0, "groups", 0, "tasks", 0, "time"): lambda c: c,
}

SPECIALS = [
    "&", "<", ">", '"', "'", "&amp;", "<w:t>", "]]>", "\x00", "\x07", "\x0b", "\x0c", "\x1f", "\x7f",
    "\r\n", "\r", "\n", "\t", "\u2028", "\ufeff", "\ufffe", "\U0001f600", "👨‍👩‍👧",
    unicodedata.normalize("NFD", "Quảng Ngãi, Đường Hồ Chí Minh, ữ ỹ ặ ẫ"),
    "{{ 7*7 }}", "{% if %}", "{%p endfor %}", "{{r x }}", "{_{", "}_}", "{_%", "%_}", "{#", "#}",
    "  ", ";", ".", "./.",
]
hostile = st.lists(st.one_of(st.text(max_size=12), st.sampled_from(SPECIALS)), max_size=8).map("".join)

TEMPLATE = Template()


def set_at(data: dict, path: tuple, value: Any) -> dict:
    data = copy.deepcopy(data)
    node = data
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return data


def paragraphs(docx_bytes: bytes) -> list[str]:
    """Every paragraph of body and tables, headers included, with <w:br/> as \\n, <w:tab/> as \\t."""
    doc = Document(io.BytesIO(docx_bytes))
    out = [Paragraph(p, None).text for p in doc.element.body.iter(qn("w:p"))]
    for section in doc.sections:
        out += [p.text for p in section.header.paragraphs]
    return out


def _broken_into_lines(expected: str, texts: list[str]) -> bool:
    """A header name, trích yếu or column heading wider than its column prints as up to three
    balanced lines, broken between words (issue 27): one paragraph cut by line breaks (or the lines
    the data gave, a paragraph each); their words, in order, are the value's."""
    words = expected.split()
    return any("\n" in t and t.split() == words for t in texts) or any(
        " ".join(texts[i:i + k]).split() == words for k in (2, 3) for i in range(len(texts)))


def render_or_refuse(data: dict, path: tuple) -> bytes | None:
    """The document's bytes, or None after checking the refusal names the field."""
    try:
        plan = validate(Source("plan.yaml", data))
    except DataError as exc:
        where = format_path(path)
        assert any(p.path and (where.startswith(p.path) or p.path.startswith(where))
                   for p in exc.problems), [str(p) for p in exc.problems]
        return None
    return TEMPLATE.render(plan)


@pytest.mark.parametrize("path", list(FIELDS), ids=format_path)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=hostile)
@example(value="./../.")  # two typed end marks run together: one printed, as for "./."
@example(value="Kết thúc./../.")
def test_any_text_in_any_field(path: tuple, value: str) -> None:
    if path == ("recipients", 0) and clean_text(value).strip() == "hcth":
        return  # that is the declared key itself
    data = set_at(BASE, path, value)
    docx = render_or_refuse(data, path)
    cleaned = clean_text(value).strip()
    if docx is None:
        return
    assert cleaned, "an empty value must be refused, not rendered"
    expected = FIELDS[path](cleaned)
    texts = paragraphs(docx)
    assert expected in texts or _broken_into_lines(expected, texts), (expected, [t for t in texts if t][:40])
    if "{{" not in cleaned and "{%" not in cleaned:  # a removed control character can join braces
        assert not any("{{" in t or "{%" in t for t in texts), "no template tag survives"


def test_clean_text_documented_normalisation() -> None:
    nfd = unicodedata.normalize("NFD", "Quảng Ngãi")
    assert clean_text(nfd) == "Quảng Ngãi"
    assert clean_text("a\r\nb\rc\x0bd\u2028e") == "a\nb\nc\nd\ne"
    assert clean_text("a\x00b\x07c\x0cd\x7fe\ufffef") == "abcdef"
    assert clean_text("a\tb") == "a\tb"


def test_template_lookalikes_printed_literally() -> None:
    data = copy.deepcopy(BASE)
    looks = ["{{ 7*7 }}", "{% if %}", "{%p endfor %}", "{{r x }}", "{_{ a }_}", "{{ cycler.__init__ }}"]
    data["sections"][0]["paragraphs"] = looks
    texts = paragraphs(TEMPLATE.render(validate(Source("plan.yaml", data))))
    for text in looks:
        assert text in texts
    assert "49" not in "".join(texts)


def test_line_breaks_and_tabs_in_xml() -> None:
    data = set_at(BASE, ("subject",), "dòng 1\r\ndòng 2\x0bdòng\t3")
    docx = TEMPLATE.render(validate(Source("plan.yaml", data)))
    doc = Document(io.BytesIO(docx))
    para = next(p for p in doc.paragraphs if p.text.startswith("dòng 1"))
    xml = para._p.xml
    assert xml.count("<w:br/>") == 2 and xml.count("<w:tab/>") == 1
    # a heading's line breaks print after the space between the words (context.spaced_breaks)
    assert para.text == "dòng 1 \ndòng 2 \ndòng\t3"


def _big_plan() -> dict:
    data = copy.deepcopy(BASE)
    long_text = ("Nội dung dài & <đặc biệt> " * 800)[:20_000]
    data["subject"] = long_text
    data["sections"][0]["paragraphs"] = [long_text]
    task = {"content": "Việc & <x>", "lead": ["hcth"], "support": [], "time": "Thường xuyên"}
    data["appendices"][0]["groups"] = [
        {"title": f"Nhóm {g}", "tasks": [dict(task, content=f"Việc {g}.{i} & <x>") for i in range(200)]}
        for g in range(10)
    ]
    return data


def test_long_text_and_2000_tasks(tmp_path: Path) -> None:
    from openxml_audit import OpenXmlValidator

    data = _big_plan()
    docx = TEMPLATE.render(validate(Source("plan.yaml", data)))
    texts = paragraphs(docx)
    assert data["subject"].strip() in texts
    present = set(texts)
    assert all(f"Việc {g}.{i} & <x>" in present for g in range(10) for i in range(200))
    out = tmp_path / "big.docx"
    out.write_bytes(docx)
    assert OpenXmlValidator().validate(str(out)).is_valid


def test_empty_lists_where_allowed(tmp_path: Path) -> None:
    from openxml_audit import OpenXmlValidator

    data = copy.deepcopy(BASE)
    data["sections"] = [{"title": "Mục"}]
    data["appendices"] = [{"groups": [{"title": "Nhóm chưa có nhiệm vụ", "tasks": []}]}]
    data["closing"] = None
    data["units"] = {}
    data["recipients"] = ["Văn phòng UBND tỉnh"]
    docx = TEMPLATE.render(validate(Source("plan.yaml", data)))
    out = tmp_path / "empty.docx"
    out.write_bytes(docx)
    assert OpenXmlValidator().validate(str(out)).is_valid
    data["appendices"] = []
    docx = TEMPLATE.render(validate(Source("plan.yaml", data)))
    assert any(t.startswith("I. MỤC") for t in paragraphs(docx))
    # An appendix without any group, or a plan without any mục, is a mistake, not an empty page.
    for key, value in (("appendices", [{"groups": []}]), ("sections", [])):
        broken = {**data, key: value}
        with pytest.raises(DataError) as exc:
            validate(Source("plan.yaml", broken))
        assert any("cần ít nhất một" in p.message for p in exc.value.problems)


SAMPLE_VALUES = [
    "Tom & Jerry <select> \"trích\" 'dẫn'",
    "a\x00b\x0bc\x0cd\r\ne\tf",
    unicodedata.normalize("NFD", "Kế hoạch Quảng Ngãi ữ ỹ ặ ẫ") + " 😀",
    "{{ 7*7 }} {% if %} {_{ x }_}",
]


def _hostile_docs(tmp_path: Path) -> list[tuple[Path, list[str]]]:
    docs = []
    for i, value in enumerate(SAMPLE_VALUES):
        data = copy.deepcopy(BASE)
        for path in FIELDS:
            if path not in (("recipients", 0),):
                data = set_at(data, path, value)
        plan = validate(Source("plan.yaml", data))
        out = tmp_path / f"hostile{i}.docx"
        out.write_bytes(TEMPLATE.render(plan))
        docs.append((out, [clean_text(value).strip()]))
    return docs


def test_sample_is_schema_valid(tmp_path: Path) -> None:
    from openxml_audit import OpenXmlValidator

    validator = OpenXmlValidator()
    for path, _ in _hostile_docs(tmp_path):
        result = validator.validate(str(path))
        assert result.is_valid, [str(e) for e in getattr(result, "errors", [])][:5]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed")
def test_libreoffice_reads_hostile_sample(tmp_path: Path) -> None:
    docs = _hostile_docs(tmp_path)
    profile = tmp_path / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), *[str(p) for p, _ in docs]],
                   check=True, capture_output=True, timeout=240)
    for path, expected in docs:
        pdf = path.with_suffix(".pdf")
        assert pdf.exists() and pdf.stat().st_size > 0
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                              text=True, check=True).stdout
        flat = " ".join(unicodedata.normalize("NFC", text).split())
        for value in expected:
            # Line breaks and tabs become spaces in the PDF's text; the words must all be there.
            for word in value.split():
                if not unicodedata.category(word[0]).startswith("S"):  # emoji may lack a font
                    assert word in flat, (word, path.name)


def test_raw_word_controls_pasted_into_the_yaml_file_render(tmp_path):
    """Word's \\x0b, other controls and a zero-width space pasted straight into the file (not as
    YAML escapes): the YAML reader would refuse them, the loader cleans them first."""
    from generator.cli import main

    sample = Path(__file__).resolve().parent.parent / "data" / "ke-hoach-truyen-thong-kiem-soat-tthc-2024.yaml"
    text = sample.read_text(encoding="utf-8").replace(
        "Bảo đảm công khai, minh bạch", "Bảo đảm công khai,\x0bminh\x01 bạch\u200b", 1)
    data = tmp_path / "dan-tu-word.yaml"
    data.write_text(text, encoding="utf-8")
    out = tmp_path / "out.docx"
    assert main(["render", str(data), "-o", str(out)]) == 0
    texts = [p.text for p in Document(str(out)).paragraphs]
    assert any(t.startswith("- Bảo đảm công khai,\nminh bạch các thông tin") for t in texts)


def test_no_character_a_user_types_turns_text_bold_or_italic():
    """Emphasis travels as runs from the model ({bold: …}, {italic: …}), never as characters in
    the text: private-use characters, asterisks and underscores print as typed, upright."""
    data = copy.deepcopy(BASE)
    typed = "a\ue000b\ue001c *d* _e_ {f}"
    data["sections"] = [{"title": "Mục", "paragraphs": [typed]}]
    docx = TEMPLATE.render(validate(Source("plan.yaml", data)))
    from io import BytesIO

    from docx import Document

    para = next(p for p in Document(BytesIO(docx)).paragraphs if "*d*" in p.text)
    assert para.text == typed
    assert all(not r.bold and not r.italic for r in para.runs)
