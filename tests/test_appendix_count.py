"""Plans with no appendix and with several: the section layout follows the data."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from openxml_audit import OpenXmlValidator

from generator.document.render import render_plan


def _sections(data: bytes):
    doc = Document(io.BytesIO(data))
    return doc, list(doc.sections)


def test_plan_without_appendix_is_one_portrait_section_without_a_blank_page(sample_plan, tmp_path):
    data = render_plan(sample_plan.model_copy(update={"appendices": []}))
    doc, sections = _sections(data)
    assert [s.orientation for s in sections] == [WD_ORIENT.PORTRAIT]
    assert sections[0].different_first_page_header_footer
    # The document ends with the signature table's content, not an empty trailing section.
    body = doc.element.body
    assert body[-1].tag == qn("w:sectPr")
    assert not any("DANH MỤC" in p.text for p in doc.paragraphs)
    out = tmp_path / "noapp.docx"
    out.write_bytes(data)
    assert OpenXmlValidator().validate(str(out)).is_valid


def test_two_appendices_are_numbered_and_each_restarts_page_numbers(sample_plan, tmp_path):
    app = sample_plan.appendices[0].model_copy(update={"title": "Phụ lục"})
    data = render_plan(sample_plan.model_copy(update={"appendices": [app, app]}))
    doc, sections = _sections(data)
    assert [s.orientation for s in sections] == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE, WD_ORIENT.LANDSCAPE]
    for s in sections[1:]:
        start = s._sectPr.find(qn("w:pgNumType"))
        assert start is not None and start.get(qn("w:start")) == "1"
        assert s.different_first_page_header_footer
    texts = [p.text for p in doc.paragraphs]
    assert "PHỤ LỤC I" in texts and "PHỤ LỤC II" in texts
    assert len(doc.tables) == 2 + 2  # header and signature tables, then one catalogue per appendix
    out = tmp_path / "two.docx"
    out.write_bytes(data)
    assert OpenXmlValidator().validate(str(out)).is_valid
