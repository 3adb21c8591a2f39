"""Draft vs final: the văn thư's regeneration of the signed-ready document (issue 6)."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from openxml_audit import OpenXmlValidator

from generator.cli import main
from generator.document.context import BLANK_CITED_DAY, BLANK_NUMBER
from generator.nd30 import BLANK_DAY
from generator.errors import UserError
from generator.jobs.issue import (
    FINAL_SUFFIX,
    as_draft,
    document_kind,
    issue_file,
    require_final,
    with_issue,
)
from generator.plan.loader import load_plan

from tests.paths import ROOT, SAMPLE

NUMBER_LINE = "Số: 125/KH-SKHCN"
DATE_LINE = "Quảng Ngãi, ngày 20 tháng 3 năm 2024"
REFERENCE_LINE = "(Kèm theo Kế hoạch số 125/KH-SKHCN ngày 20/3/2024 của Sở Khoa học và Công nghệ)"
# A draft leaves the number and the day blank, as spaces where the văn thư writes them by hand.
DRAFT_NUMBER_LINE = f"Số: {BLANK_NUMBER}/KH-SKHCN"
DRAFT_DATE_LINE = f"Quảng Ngãi, ngày {BLANK_DAY} tháng 3 năm 2024"
DRAFT_REFERENCE_LINE = (f"(Kèm theo Kế hoạch số {BLANK_NUMBER}/KH-SKHCN ngày {BLANK_CITED_DAY}/3/2024 "
                        "của Sở Khoa học và Công nghệ)")


@pytest.fixture
def data(tmp_path: Path) -> Path:
    path = tmp_path / "kh.yaml"
    shutil.copy(SAMPLE, path)
    return path


def edited(data: Path, old: str, new: str) -> Path:
    text = data.read_text(encoding="utf-8")
    assert old in text
    data.write_text(text.replace(old, new, 1), encoding="utf-8")
    return data


def paragraphs(path: Path) -> list[tuple[str, str]]:
    """Every paragraph of the body in document order (cells included): (style id, text)."""
    body = Document(str(path)).element.body
    out = []
    for p in body.iter(qn("w:p")):
        ps = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        text = "".join(t.text or "" for t in p.iter(qn("w:t")))
        out.append((ps.get(qn("w:val")) if ps is not None else "", text))
    return out


def cells(path: Path) -> list[list[list[str]]]:
    return [[[c.text for c in row.cells] for row in t.rows] for t in Document(str(path)).tables]


def assert_valid(path: Path) -> None:
    result = OpenXmlValidator().validate(str(path))
    assert result.is_valid, [str(e) for e in getattr(result, "errors", [])][:5]


def no_temp_files(folder: Path) -> bool:
    return not [p for p in folder.iterdir() if p.name.startswith(".") and p.name.endswith(".tmp")]


# --- the document a văn thư gets ---------------------------------------------------------------

def test_final_differs_from_draft_only_in_number_date_and_mark(data: Path, tmp_path: Path) -> None:
    # The circulating draft has neither number nor day; the văn thư then gives both on the command line.
    edited(data, "date: 2024-03-20", "date: 2024-03")
    draft = issue_file(data, tmp_path / "draft.docx").docx
    final = issue_file(data, tmp_path / "final.docx", final=True, number=125, date="2024-03-20").docx
    d, f = paragraphs(draft), paragraphs(final)

    assert d[0] == ("KHDuThao", "DỰ THẢO")
    assert all(style != "KHDuThao" for style, _ in f)
    assert not any("DỰ THẢO" in text for _, text in f)
    d = d[1:]
    assert len(d) == len(f)
    changed = [(a, b) for a, b in zip(d, f) if a != b]
    assert changed == [
        (("KHSoKyHieu", DRAFT_NUMBER_LINE), ("KHSoKyHieu", NUMBER_LINE)),
        (("KHDiaDanh", DRAFT_DATE_LINE), ("KHDiaDanh", DATE_LINE)),
        (("KHPhuLucTrichDan", DRAFT_REFERENCE_LINE), ("KHPhuLucTrichDan", REFERENCE_LINE)),
    ]

    dc, fc = cells(draft), cells(final)
    assert len(dc) == len(fc)
    diff = [(ti, ri, ci, a, b)
            for ti, (dt_, ft) in enumerate(zip(dc, fc))
            for ri, (dr, fr) in enumerate(zip(dt_, ft))
            for ci, (a, b) in enumerate(zip(dr, fr)) if a != b]
    assert [(a, b) for *_, a, b in diff] == [(DRAFT_NUMBER_LINE, NUMBER_LINE), (DRAFT_DATE_LINE, DATE_LINE)]
    assert all(len(dr) == len(fr) for dt_, ft in zip(dc, fc) for dr, fr in zip(dt_, ft))

    for path in (draft, final):
        assert_valid(path)
        text = "".join(t for _, t in paragraphs(path))
        assert "{{" not in text and "{%" not in text and "None" not in text
    assert document_kind(draft) == "draft" and document_kind(final) == "final"


def test_data_with_number_and_day_prints_them_without_the_draft_mark(data: Path, tmp_path: Path) -> None:
    # Without --final the data is printed as it is: a draft is what leaves number or day out.
    edited(data, "date: 2024-03-20", "number: 125\ndate: 2024-03-20")
    made = issue_file(data, tmp_path / "d.docx").docx
    texts = [t for _, t in paragraphs(made)]
    assert NUMBER_LINE in texts and DATE_LINE in texts and REFERENCE_LINE in texts
    assert "DỰ THẢO" not in texts and document_kind(made) == "final"
    final = issue_file(data, tmp_path / "f.docx", final=True).docx  # number and date from the data
    texts = [t for _, t in paragraphs(final)]
    assert NUMBER_LINE in texts and DATE_LINE in texts and REFERENCE_LINE in texts


def test_command_line_overrides_the_data(data: Path, tmp_path: Path) -> None:
    # The draft's month gives way to the văn thư's full date, typed the Vietnamese way.
    edited(data, "date: 2024-03-20", "date: 2024-03")
    out = tmp_path / "f.docx"
    assert main(["render", str(data), "-o", str(out), "--final", "--number", "5", "--date", "9/1/2025"]) == 0
    texts = [t for _, t in paragraphs(out)]
    assert "Số: 05/KH-SKHCN" in texts  # leading zero below 10
    assert "Quảng Ngãi, ngày 09 tháng 01 năm 2025" in texts  # leading zero for day < 10 and month 1
    assert "(Kèm theo Kế hoạch số 05/KH-SKHCN ngày 09/01/2025 của Sở Khoa học và Công nghệ)" in texts


def test_draft_mark_is_configurable(data: Path, tmp_path: Path) -> None:
    edited(data, "date: 2024-03-20", "draft_mark: DỰ THẢO LẦN 2\ndate: 2024-03-20")
    assert paragraphs(issue_file(data, tmp_path / "a.docx").docx)[0] == ("KHDuThao", "DỰ THẢO LẦN 2")
    edited(data, "draft_mark: DỰ THẢO LẦN 2", "draft_mark: false")
    draft = issue_file(data, tmp_path / "b.docx").docx
    assert all(style != "KHDuThao" for style, _ in paragraphs(draft))
    assert paragraphs(draft)[0][0] == "KHCoQuanChuQuan"
    assert_valid(draft)


def test_the_mark_is_a_restylable_boxed_paragraph_in_the_template() -> None:
    styles = zipfile.ZipFile(ROOT / "templates" / "kehoach.docx").read("word/styles.xml").decode()
    start = styles.index('w:styleId="KHDuThao"')
    style = styles[start: styles.index("</w:style>", start)]
    assert '<w:name w:val="KH Dự thảo"/>' in style
    assert all(f"<w:{edge} " in style for edge in ("top", "left", "bottom", "right"))
    assert_valid(ROOT / "templates" / "kehoach.docx")


# --- refusing, with a clear message and exit 2 ----------------------------------------------------

@pytest.mark.parametrize(("args", "says"), [
    (["--final"], "thiếu số văn bản"),
    (["--final", "--number", "125", "--date", "2024-03"], "ngày ban hành đầy đủ"),
    (["--final", "--number", "abc", "--date", "2024-03-20"], "số văn bản 'abc' không hợp lệ"),
    (["--final", "--number", "0", "--date", "2024-03-20"], "số văn bản '0' không hợp lệ"),
    (["--final", "--number", "125", "--date", "2024-02-30"], "không có ngày 30"),
    (["--final", "--number", "125", "--date", "31/13/2025"], "ngày '31/13/2025' không hợp lệ: không có tháng 13"),
    (["--final", "--number", "125", "--date", "20-3"], "ví dụ --date 20/03/2024"),
    (["--number", "125"], "--number chỉ dùng cùng --final"),
])
def test_refuses_with_exit_2_and_writes_nothing(data: Path, tmp_path: Path, capsys, args, says) -> None:
    out = tmp_path / "out"
    assert main(["render", str(data), "-o", f"{out}/", *args]) == 2
    err = capsys.readouterr().err
    assert says in err and "Traceback" not in err
    assert not out.exists()


def test_final_without_full_date_in_data(data: Path, tmp_path: Path, capsys) -> None:
    edited(data, "date: 2024-03-20", "date: 2024-03")
    assert main(["render", str(data), "-o", str(tmp_path / "f.docx"), "--final", "--number", "125"]) == 2
    assert "chưa có ngày" in capsys.readouterr().err
    assert not (tmp_path / "f.docx").exists()


def test_library_functions_return_new_plans() -> None:
    plan = load_plan(SAMPLE)
    final = with_issue(plan, number="125", date="2024-03-20")
    assert (final.number, final.date.day) == (125, 20) and plan.number is None
    assert require_final(final) is final
    draft = as_draft(final)
    assert (draft.number, draft.date.day, draft.date.month) == (None, None, 3)
    with pytest.raises(UserError):
        require_final(draft)


# --- never overwrite what must not be overwritten ----------------------------------------------

def test_default_names_and_overwrite_rules(data: Path, tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    draft_data = tmp_path / "du-thao.yaml"
    shutil.copy(data, draft_data)  # the same plan, never issued
    final_args = ["render", str(data), "--final", "--number", "125", "--date", "2024-03-20"]
    draft_path = tmp_path / "output" / "kh.docx"
    final_path = tmp_path / "output" / f"kh{FINAL_SUFFIX}125.docx"  # the number is in the name

    assert main(["render", str(data)]) == 0
    assert main(["render", str(data)]) == 0  # a draft replaces the previous draft
    assert document_kind(draft_path) == "draft"

    assert main(final_args) == 0
    assert document_kind(final_path) == "final"
    first = final_path.read_bytes()
    capsys.readouterr()

    # The issued plan keeps its date: another one is refused, the final stays as it is.
    assert main(final_args[:-1] + ["2024-03-21"]) == 2
    assert "đã ghi ngày 20/03/2024" in capsys.readouterr().err
    assert final_path.read_bytes() == first

    # The same command again, or a plain render of the data that now records the issue: kept.
    assert main(final_args) == 0 and main(["render", str(data)]) == 0
    assert "giữ nguyên" in capsys.readouterr().out
    assert final_path.read_bytes() == first

    # A draft never replaces a final.
    assert main(["render", str(draft_data), "-o", str(final_path)]) == 2
    err = capsys.readouterr().err
    assert "đã có bản phát hành số 125" in err and "--force" not in err
    assert main(["render", str(draft_data), "-o", str(final_path), "--force"]) == 2
    assert "không thay bằng một dự thảo (kể cả với --force)" in capsys.readouterr().err
    assert final_path.read_bytes() == first

    # A forced re-render with the same data is byte-identical.
    assert main(final_args + ["--force"]) == 0
    assert final_path.read_bytes() == first
    assert no_temp_files(final_path.parent)


def test_draft_does_not_replace_a_file_it_did_not_make(data: Path, tmp_path: Path, capsys) -> None:
    foreign = tmp_path / "cong-van.docx"
    doc = Document()
    doc.add_paragraph("Văn bản của người dùng")
    doc.save(str(foreign))
    before = foreign.read_bytes()
    assert main(["render", str(data), "-o", str(foreign)]) == 2
    assert "không phải dự thảo do kehoach tạo" in capsys.readouterr().err
    assert foreign.read_bytes() == before
    assert main(["render", str(data), "-o", str(foreign), "--force"]) == 0
    assert document_kind(foreign) == "draft"


def test_a_failed_render_leaves_the_old_file_and_no_temporary(data: Path, tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "kh.docx"
    issue_file(data, out)
    before = out.read_bytes()

    import generator.word.output as package

    real_replace = package.os.replace

    def interrupted(src, dst):  # the rename never happens: as if the machine stopped
        raise KeyboardInterrupt

    monkeypatch.setattr(package.os, "replace", interrupted)
    edited(data, "date: 2024-03-20", "date: 2024-04-20")
    with pytest.raises(KeyboardInterrupt):
        issue_file(data, out)
    monkeypatch.setattr(package.os, "replace", real_replace)
    assert out.read_bytes() == before
    assert no_temp_files(tmp_path)


def test_a_final_names_its_untouched_draft_beside_it_and_leaves_it(data: Path, tmp_path: Path, monkeypatch,
                                                                   capsys) -> None:
    """render, then render --final: the draft (blank number, DỰ THẢO) stays at kh.docx beside
    kh-so-18.docx, a file the văn thư could send by mistake. It is named, as dossier names its stale
    drafts, and never removed; a draft edited since is the user's work and is not named; a final
    written to a name given (-o) has no draft of its default name."""
    monkeypatch.chdir(tmp_path)
    second = tmp_path / "kh2.yaml"
    shutil.copy(data, second)
    folder = tmp_path / "output"
    assert main(["render", str(data)]) == 0 and main(["render", str(second)]) == 0
    assert main(["render", str(data), "--final", "--unnumbered"]) == 0  # the copy the leader signed
    draft, edited_draft, signing = folder / "kh.docx", folder / "kh2.docx", folder / "kh-trinh-ky.docx"
    assert document_kind(signing) == "draft"
    doc = Document(str(edited_draft))
    doc.add_paragraph("Ý kiến bổ sung của phòng")
    doc.save(str(edited_draft))
    capsys.readouterr()

    final = ["--final", "--number", "18", "--date", "20/03/2024"]
    assert main(["render", str(data), *final]) == 0
    out = capsys.readouterr().out
    assert "Dự thảo, bản trình ký cũ do kehoach tạo" in out and "không xóa" in out
    assert f"  {draft}" in out.splitlines() and f"  {signing}" in out.splitlines(), out
    assert document_kind(draft) == "draft" and document_kind(folder / f"kh{FINAL_SUFFIX}18.docx") == "final"
    assert main(["render", str(data)]) == 0  # the data records the issue: the final kept, the draft named again
    assert f"  {draft}" in capsys.readouterr().out.splitlines()

    assert main(["render", str(second), *final[:1], "--number", "19", "--date", "20/03/2024"]) == 0
    out = capsys.readouterr().out
    assert "cũ do kehoach tạo" not in out and edited_draft.exists()
    third = tmp_path / "kh3.yaml"
    shutil.copy(SAMPLE, third)
    assert main(["render", str(third)]) == 0
    assert main(["render", str(third), "-o", str(tmp_path / "given.docx"), "--final", "--number", "20",
                 "--date", "20/03/2024"]) == 0
    assert "cũ do kehoach tạo" not in capsys.readouterr().out and document_kind(folder / "kh3.docx") == "draft"
