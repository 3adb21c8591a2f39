"""The header table holding more than the header: some agencies type the tên loại, the trích yếu and
the line under it in a last row of the header table, merged across both columns. The page prints
them under the header as usual: check finds what it finds on the same plan with them typed under
the table, and import gives the same data (no warning about header text it could not place).
"""

from __future__ import annotations

import copy
from pathlib import Path

import docx

from generator.check import check_docx
from generator.jobs.importer import import_docx
from tests.word_fixtures import build_plan

BODY = [{"text": "I. MỤC ĐÍCH, YÊU CẦU", "bold": True}, "Nâng cao nhận thức của cán bộ.",
        {"text": "II. NỘI DUNG", "bold": True}, "Tổ chức giải chạy tại các huyện./."]


def _findings(path: Path) -> list[tuple[str, str, str]]:
    return sorted((r.rule, r.status, r.severity) for r in check_docx(path).results)


def test_title_and_subject_in_a_last_merged_row_of_the_header_table(tmp_path: Path) -> None:
    plain = build_plan(tmp_path / "plain.docx", body=BODY)
    inside = build_plan(tmp_path / "inside.docx", body=BODY)
    doc = docx.Document(str(inside))
    row = doc.tables[0].add_row()
    merged = row.cells[0].merge(row.cells[1])
    for p in list(merged.paragraphs):
        p._p.getparent().remove(p._p)
    paras = doc.paragraphs
    at = next(k for k, p in enumerate(paras) if p.text == "KẾ HOẠCH")
    for p in paras[at:at + 3]:  # the tên loại, the trích yếu and the paragraph holding the line under it
        merged._tc.append(copy.deepcopy(p._p))
        p._p.getparent().remove(p._p)
    doc.save(str(inside))

    assert _findings(inside) == _findings(plain)
    want, got = import_docx(plain), import_docx(inside)
    assert got.data == want.data
    assert got.data["subject"] == "Tổ chức giải chạy vì sức khỏe cộng đồng năm 2026"
    assert [str(w) for w in got.warnings] == [str(w) for w in want.warnings]
