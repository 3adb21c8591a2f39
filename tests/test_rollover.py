"""Rollover: the sample moved to 2025 validates and renders, every stale reference is reported at
the right line, comments and key order survive, nothing is overwritten without --force."""

from __future__ import annotations

import io
import json
import re
import shutil
import unicodedata
from contextlib import redirect_stdout
from pathlib import Path

import docx
import pytest
from openxml_audit import OpenXmlValidator

from generator.cli import main
from generator.document.context import BLANK_CITED_DAY, BLANK_NUMBER
from generator.nd30 import BLANK_DAY
from generator.errors import OutputExistsError, UserError
from generator.plan.loader import load_plan
from generator.document.render import render_plan
from generator.jobs.rollover import default_output, move_years, rollover_file

from tests.paths import DATA, SAMPLE
from tests.test_attached_plan import dossiers  # noqa: F401 - the module's fixture: a dossier, draft and issued

DOSSIER = DATA / "ho-so-ke-hoach-tuyen-truyen-cchc-2026.yaml"


@pytest.fixture()
def sample(tmp_path: Path) -> Path:
    path = tmp_path / SAMPLE.name
    shutil.copy(SAMPLE, path)
    return path


def _doc_text(data: bytes) -> str:
    d = docx.Document(io.BytesIO(data))
    parts = [p.text for p in d.paragraphs]
    parts += [c.text for t in d.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


def test_rollover_of_sample_validates_and_renders(sample: Path, tmp_path: Path) -> None:
    result = rollover_file(sample, 2025)
    assert result.output == tmp_path / "ke-hoach-truyen-thong-kiem-soat-tthc-2025.yaml"
    plan = load_plan(result.output)
    assert (plan.date.year, plan.date.month, plan.date.day, plan.number) == (2025, 3, None, None)
    assert plan.subject_text.endswith("năm 2025 của Sở Khoa học và Công nghệ")
    assert plan.appendices[0].subtitle[-1].endswith("năm 2025")
    # Cited documents are other documents: never moved.
    assert str(plan.references["kh36_ubnd"].date) == "2024-02-07"
    assert "năm 2024" in plan.references["kh36_ubnd"].subject
    assert result.moved == 8

    data = render_plan(plan)
    out = tmp_path / "new.docx"
    out.write_bytes(data)
    assert OpenXmlValidator().validate(str(out)).is_valid
    text = _doc_text(data)
    assert f"Quảng Ngãi, ngày {BLANK_DAY} tháng 3 năm 2025" in text
    assert f"Số: {BLANK_NUMBER}/KH-SKHCN" in text
    assert f"(Kèm theo Kế hoạch số {BLANK_NUMBER}/KH-SKHCN ngày {BLANK_CITED_DAY}/3/2025" in text
    assert "Kế hoạch số 36/KH-UBND ngày 07/02/2024" in text  # the citation stays, and is reported
    # The only 2024 left in the document are inside citations.
    for m in re.finditer(r"2024", text):
        window = text[max(0, m.start() - 200): m.end()]
        assert re.search(r"số \d+/[A-Z-]+ ngày \d\d/\d\d?/2024|/2024 của|\bsố \d+/", window), window


def test_report_lists_every_stale_reference_of_the_sample(sample: Path) -> None:
    result = rollover_file(sample, 2025)
    got = {(i.kind, i.path) for i in result.items}
    assert got == {
        ("reference", "references.kh36_ubnd.date"),  # the province's plan: next year's replaces it
        ("reference", "references.kh254_cchc.date"),  # the agency's own CCHC plan (2023)
        ("reference", "references.kh418_ksttthc.date"),  # the agency's own TTHC plan
        ("reference", "references.nq68_cp.date"),  # Nghị quyết 68/NQ-CP (2020)
        ("period", "appendices[0].groups[2].tasks[1].content[0]"),  # giai đoạn 2020 - 2025
        ("cleared", "date"),  # the day of the plan
    }
    lines = result.output.read_text(encoding="utf-8").split("\n")
    for item in result.items:
        assert item.line is not None and item.message
        line = lines[item.line - 1]
        if item.path == "date":
            assert line.startswith("date: 2025-03")
        elif item.kind == "reference":
            assert line.strip().startswith("date: ")
        else:
            assert "giai đoạn 2020 - 2025" in line
    kh36 = next(i for i in result.items if i.path == "references.kh36_ubnd.date")
    assert "36/KH-UBND" in kh36.text and "2024" in kh36.text


def test_report_says_dates_day_first_and_drops_a_day_only_when_there_was_one(sample: Path, tmp_path: Path) -> None:
    # Staff read 07/02/2024, never 2024-02-07; the report shows dates as they type them.
    result = rollover_file(sample, 2025)
    kh36 = next(i for i in result.items if i.path == "references.kh36_ubnd.date")
    assert kh36.text == "Kế hoạch số 36/KH-UBND ngày 07/02/2024"
    date = next(i for i in result.items if i.path == "date")
    assert date.text == "20/03/2024" and "đã bỏ ngày" in date.message and "giữ tháng 3;" in date.message
    # A draft with only a month had no day to drop: the report does not say it dropped one.
    month_only = tmp_path / "nhap-2024.yaml"
    month_only.write_text(sample.read_text(encoding="utf-8").replace("date: 2024-03-20", "date: 2024-03", 1),
                          encoding="utf-8")
    date = next(i for i in rollover_file(month_only, 2025).items if i.path == "date")
    assert date.text == "03/2024" and "đã bỏ ngày" not in date.message and "tháng 3" in date.message
    assert all(not re.search(r"\b\d{4}-\d\d-\d\d\b", i.text) for i in result.items)


def _report_groups(text: str) -> dict[str, list[str]]:
    """The printed report's headings under "Cần người xem lại", each with its lines."""
    groups: dict[str, list[str]] = {}
    heading = None
    for line in text.split("\n"):
        if line.startswith("  ") and not line.startswith("    ") and line.endswith(":"):
            heading = line.strip()[:-1]
            groups[heading] = []
        elif line.startswith("    ") and heading is not None:
            groups[heading].append(line.strip())
        else:
            heading = None
    return groups


@pytest.mark.parametrize(("written", "new_date", "heading"), [
    ("date: 2024-03-20", "date: 2025-03", "Đã xóa"),  # a day dropped: something was cleared
    ("number: 125\ndate: 2024-03-20", "date: 2025-03", "Đã xóa"),
    ("date: 2024-06", "date: 2025-06", "Giữ như năm trước (chỉ chuyển năm), điền khi ban hành"),
    ("date: 06/2024", "date: 06/2025", "Giữ như năm trước (chỉ chuyển năm), điền khi ban hành"),
    ("date: '2024'", "date: '2025'", "Giữ như năm trước (chỉ chuyển năm), điền khi ban hành"),
], ids=["day", "number-and-day", "month-only", "month-only-day-first", "year-only"])
def test_each_report_line_is_under_the_heading_of_what_happened(sample: Path, tmp_path: Path, written, new_date,
                                                               heading) -> None:
    """A draft dated by its month alone loses nothing in the new year: its line is said as kept
    (its blank day still to fill), never under "Đã xóa"; a day or a number dropped is."""
    from generator.jobs.rollover import format_report

    data = tmp_path / "ke-hoach-2024.yaml"
    data.write_text(sample.read_text(encoding="utf-8").replace("date: 2024-03-20", written, 1), encoding="utf-8")
    result = rollover_file(data, 2025)
    new_lines = result.output.read_text(encoding="utf-8").split("\n")
    groups = _report_groups(format_report(result))
    dated = [line for lines in groups.values() for line in lines if ": date: " in line]
    (date_line,) = dated
    assert date_line in groups[heading]
    (item,) = [i for i in result.items if i.path == "date"]
    assert new_lines[item.line - 1].split("#")[0].strip() == new_date
    if heading == "Đã xóa":
        assert "đã bỏ ngày" in date_line
    else:
        assert "Đã xóa" not in groups or not any(": date: " in x for x in groups["Đã xóa"])
        assert "đã bỏ" not in date_line and "đã xóa" not in date_line and "năm 2025" in date_line
    # Under "Đã xóa" only what the new file no longer holds: each such line's field is empty there.
    for cleared in (i for i in result.items if i.kind == "cleared"):
        value = new_lines[cleared.line - 1].split(":", 1)[1].split("#")[0].strip()
        assert value in ("", "2025-03"), value  # a number emptied, or a date that lost its day


def test_report_names_cited_documents_as_the_plan_prints_them(tmp_path: Path) -> None:
    # A law cited by name has no number: it read "Luật số None"; the agency's own plan has no symbol
    # written: it read "Kế hoạch số 512" where the plan prints "512/KH-UBND".
    data = tmp_path / "ho-so-2026.yaml"
    shutil.copy(DOSSIER, data)
    items = {i.path: i.text for i in rollover_file(data, 2027).items if i.kind == "reference"}
    assert items["references.luat_tcchqdp.date"] == "Luật Tổ chức chính quyền địa phương ngày 16/06/2025"
    assert items["references.kh_cchc_2026.date"] == "Kế hoạch số 512/KH-UBND ngày 20/12/2025"
    assert not any("None" in t for t in items.values())


def test_number_is_cleared_and_reported(sample: Path, tmp_path: Path) -> None:
    text = sample.read_text(encoding="utf-8").replace("date: 2024-03-20", "number: 125\ndate: 2024-03-20")
    final = tmp_path / "ke-hoach-2024-final.yaml"
    final.write_text(text, encoding="utf-8")
    assert load_plan(final).number == 125
    result = rollover_file(final, 2025)
    assert result.output.name == "ke-hoach-2025-final.yaml"
    lines = result.output.read_text(encoding="utf-8").split("\n")
    assert load_plan(result.output).number is None
    cleared = [i for i in result.items if i.kind == "cleared"]
    assert {i.path for i in cleared} == {"number", "date"}
    # The key stays, empty, on its line: the report names the line where next year's number goes.
    number = next(i for i in cleared if i.path == "number")
    assert number.line is not None and lines[number.line - 1].rstrip() == "number:" and number.text == "125"


def _comments(text: str) -> list[str]:
    return [m.group(1).strip() for m in re.finditer(r"(?:^|\s)#\s?(.*)$", text, re.M)]


def test_comments_and_key_order_survive(sample: Path) -> None:
    src = sample.read_text(encoding="utf-8")
    out = rollover_file(sample, 2025).output.read_text(encoding="utf-8")
    assert _comments(src) and _comments(out) == _comments(src)
    top = lambda t: re.findall(r"^([a-z_]+):", t, re.M)  # noqa: E731
    assert top(out) == top(src)
    # Untouched lines are byte-identical: only the moved years and the date line changed.
    changed = [(a, b) for a, b in zip(src.split("\n"), out.split("\n")) if a != b]
    assert len(src.split("\n")) == len(out.split("\n"))
    for a, b in changed:
        assert a.replace("2024", "2025") == b or a.startswith("date:"), (a, b)


def test_never_overwrites(sample: Path, tmp_path: Path) -> None:
    first = rollover_file(sample, 2025)
    before = first.output.read_bytes()
    with pytest.raises(OutputExistsError):
        rollover_file(sample, 2025)
    assert first.output.read_bytes() == before
    assert rollover_file(sample, 2025, force=True).output == first.output
    with pytest.raises(UserError):
        rollover_file(sample, 2025, sample, force=True)  # never the input, even with --force
    assert sample.read_text(encoding="utf-8") == SAMPLE.read_text(encoding="utf-8")
    with pytest.raises(UserError):
        rollover_file(sample, 2024)
    assert not list(tmp_path.glob(".*.tmp"))


def test_default_output_name() -> None:
    assert default_output(Path("d/kh-2024.yaml"), 2024, 2025) == Path("d/kh-2025.yaml")
    assert default_output(Path("d/kehoach.yaml"), 2024, 2025) == Path("d/kehoach-2025.yaml")


@pytest.mark.parametrize(
    ("text", "moved", "kinds"),
    [
        ("kiểm soát TTHC năm 2024 của Sở", "kiểm soát TTHC năm 2025 của Sở", ["moved"]),
        ("Năm 2024, Sở tiếp tục", "Năm 2025, Sở tiếp tục", ["moved"]),
        ("hoàn thành trong Quý IV/2024", None, ["year"]),
        ("ban hành ngày 07/02/2024", None, ["date"]),
        ("ngày 07 tháng 02 năm 2024", None, ["date"]),
        ("một kế hoạch năm 2023 còn sót", None, ["year"]),
        ("giai đoạn 2020 - 2025", None, ["period"]),
        ("năm học 2023-2024", None, ["period"]),
        ("theo Đề án 06 và 125 hồ sơ", None, []),
        (
            "Thực hiện Kế hoạch số 36/KH-UBND ngày 07/02/2024 của UBND tỉnh về truyền thông năm 2024, "
            "Sở ban hành Kế hoạch năm 2024, như sau:",
            "Thực hiện Kế hoạch số 36/KH-UBND ngày 07/02/2024 của UBND tỉnh về truyền thông năm 2024, "
            "Sở ban hành Kế hoạch năm 2025, như sau:",
            ["citation", "moved"],
        ),
    ],
)
def test_which_years_move(text: str, moved: str | None, kinds: list[str]) -> None:
    new, _, found = move_years(text, 2024, 2025)
    assert new == (moved if moved is not None else text)
    assert [k for k, _, _ in found] == kinds


def test_cli_json_and_exit_codes(sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "moi.yaml"
    assert main(["rollover", str(sample), "--year", "2025", "-o", str(out), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["new_year"] == 2025 and report["output"] == str(out)
    assert {"kind", "path", "line", "text", "message"} <= set(report["items"][0])
    assert main(["rollover", str(sample), "--year", "2025", "-o", str(out)]) == 2
    assert "--force" in capsys.readouterr().err
    buf = io.StringIO()
    with redirect_stdout(buf):
        assert main(["rollover", str(sample), "--year", "2025", "-o", str(out), "--force"]) == 0
    text = buf.getvalue()
    assert "Cần người xem lại 6 chỗ" in text and "references.kh36_ubnd.date" in text


def test_rollover_accepts_a_date_written_as_a_mapping(tmp_path):
    data = tmp_path / "ke-hoach-2024.yaml"
    data.write_text(SAMPLE.read_text(encoding="utf-8").replace("date: 2024-03-20", "date: {year: 2024, month: 3, day: 20}", 1),
                    encoding="utf-8")
    rollover_file(data, 2025)
    assert "date: 2025-03" in (tmp_path / "ke-hoach-2025.yaml").read_text(encoding="utf-8")


def test_cells_written_as_pieces_survive_rollover(tmp_path: Path) -> None:
    """A table cell written as pieces (text and bold runs) is a list three deep in a row list, as
    `kehoach import` writes tables; ruamel writes it "-   -   - …", which must come back as YAML
    that reads the same, not an indentation error (found rolling over an imported real plan)."""
    data = SAMPLE.read_text(encoding="utf-8").replace("date: 2024-03-20", "date: 2024-03", 1)
    table = (
        "\n    blocks:\n"
        "      - table:\n"
        "          columns: [Nội dung, Thời gian]\n"
        "          rows:\n"
        "            - - - \"Rà soát \"\n"
        "                - bold: thủ tục\n"
        "                - \" năm 2024\"\n"
        "              - Quý I/2024\n"
        "            - - Ghi chú\n"
        "              - Năm 2024\n"
    )
    lines = data.split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("  - title:"))
    lines.insert(at + 1, table.rstrip("\n"))
    plan = tmp_path / "kh-2024.yaml"
    plan.write_text("\n".join(lines), encoding="utf-8")
    before = load_plan(plan)
    out = tmp_path / "kh-2025.yaml"
    rollover_file(plan, 2025, out)
    after = load_plan(out)
    rows = lambda p: [b for b in p.sections[0].blocks if getattr(b, "table", None) is not None][0].table.rows  # noqa: E731
    assert len(rows(after)) == len(rows(before)) == 2
    text = out.read_text(encoding="utf-8")
    assert "- - - " in text and "-   -" not in text
    assert '"Rà soát "' in text and "bold: thủ tục" in text and "năm 2025" in text


def test_the_dossier_numbers_and_dates_start_blank_next_year(tmp_path: Path) -> None:
    """This year's Tờ trình, Quyết định and comment table were issued; next year's plan goes up with
    new ones: their numbers and dates are cleared, each named with its line, and the dossier of the
    new draft prints them blank."""
    from generator.jobs.dossier import dossier_plans

    from tests.test_dossier import _final_data

    data = _final_data(tmp_path)  # the sample with the numbers and dates the văn thư gave
    assert load_plan(data).dossier.decision.number == 25

    result = rollover_file(data, 2027)
    new_text = result.output.read_text(encoding="utf-8")
    lines = new_text.split("\n")
    plan = load_plan(result.output)
    dossier = plan.dossier
    for issue in (dossier.submission, dossier.decision, dossier.comment_report):
        assert (issue.number, issue.date) == (None, None)
    cleared = {i.path: i for i in result.items if i.kind == "cleared"}
    assert set(cleared) >= {f"dossier.{part}.{key}" for part in ("submission", "decision", "comment_report")
                            for key in ("number", "date")}
    assert "108" in cleared["dossier.submission.number"].text and "Tờ trình" in cleared["dossier.submission.number"].text
    assert "20/01/2026" in cleared["dossier.decision.date"].text
    for path in (f"dossier.{part}.{key}" for part in ("submission", "decision", "comment_report")
                 for key in ("number", "date")):
        line = lines[cleared[path].line - 1]  # the key stays on its line, empty
        assert line.strip().startswith(path.rsplit(".", 1)[1] + ":") and not re.search(r"\d", line), (path, line)
    # Every cleared field is in the printed report, with its line.
    from generator.jobs.rollover import format_report

    report = format_report(result)
    for item in cleared.values():
        assert f"dòng {item.line}: {item.path}:" in report

    # The new year's dossier, as rendered: the numbers and days blank where they are printed.
    plans = dossier_plans(plan)
    decision = _doc_text(render_plan(plans["quyet-dinh"]))
    assert f"Số: {BLANK_NUMBER}/QĐ-UBND" in decision and "25/QĐ" not in decision
    assert f"Tờ trình số {BLANK_NUMBER}/TTr-SNV ngày {BLANK_CITED_DAY}/01/2027" in decision
    assert "108/TTr" not in decision
    attached = _doc_text(render_plan(plans["ke-hoach"]))
    assert f"(Ban hành kèm theo Quyết định số {BLANK_NUMBER}/QĐ-UBND ngày {BLANK_CITED_DAY}/01/2027" in attached
    # And a final set of the new file is refused until the văn thư gives the new numbers.
    with pytest.raises(UserError, match="dossier.submission.number"):
        dossier_plans(plan, final=True)


def test_last_years_comments_are_not_next_years(tmp_path: Path) -> None:
    """This year's comments answered this year's draft. Kept, next year's dossier printed them again
    in a new comment table ("Bảng tổng hợp … dự thảo Kế hoạch … năm 2027"), as if the new draft had
    been sent round and answered, unsaid. They are cleared like the numbers (the key stays, empty),
    named with their line and words; the new dossier has no comment table."""
    from generator.jobs.dossier import dossier_plans
    from generator.jobs.rollover import format_report

    from tests.test_dossier import _final_data

    data = _final_data(tmp_path)
    assert len(load_plan(data).dossier.comments) == 3
    result = rollover_file(data, 2027)
    plan = load_plan(result.output)
    assert plan.dossier.comments == []
    assert "tong-hop-y-kien" not in dossier_plans(plan) and "tong-hop-y-kien" in dossier_plans(load_plan(data))
    (item,) = [i for i in result.items if i.path == "dossier.comments"]
    assert item.kind == "cleared" and "3 ý kiến" in item.text and "mạng xã hội" in item.text
    line = result.output.read_text(encoding="utf-8").split("\n")[item.line - 1]
    assert line.strip() == "comments: []"
    assert f"dòng {item.line}: dossier.comments:" in format_report(result)


def test_many_long_comments_are_named_in_one_short_line(tmp_path: Path) -> None:
    """Two hundred kept comments of a page each are cleared all the same, and named by the first
    three, cut short, and how many more: one report line, not the whole table again."""
    import yaml

    from tests.test_dossier import _final_data

    data = _final_data(tmp_path)
    doc = yaml.safe_load(data.read_text(encoding="utf-8"))
    # Typed decomposed (NFD, as some keyboards send it): a cut must not leave an accent alone.
    doc["dossier"]["comments"] = [{**doc["dossier"]["comments"][0],
                                   "content": unicodedata.normalize("NFD", f"Ý kiến {i} " + "rất dài " * 300)}
                                  for i in range(200)]
    data.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = rollover_file(data, 2027)
    assert load_plan(result.output).dossier.comments == []
    (item,) = [i for i in result.items if i.path == "dossier.comments"]
    assert item.text.startswith("200 ý kiến: Ý kiến 0 rất dài") and item.text.endswith("và 197 ý kiến khác")
    assert len(item.text) < 300 and item.text.count("…") == 3 and unicodedata.is_normalized("NFC", item.text)


def test_a_plan_issued_with_a_decision_cites_a_blank_decision_next_year(tmp_path: Path) -> None:
    """Imported from Word, a plan issued with a decision keeps that decision in its subtitle (text).
    Next year's plan is issued with a new decision: number and day blank, the year moved, reported."""
    from generator.jobs.importer import import_file
    from tests.test_import_patterns import simple_body
    from tests.word_fixtures import Header, build_plan, cell_texts, norm

    original = build_plan(tmp_path / "kem-qd.docx", header=Header(parent=(), issuer=("ỦY BAN NHÂN DÂN", "TỈNH SÔNG MÂY"),
                                                                   number="", date=""),
                          subtitle="(Ban hành kèm theo Quyết định số 25/QĐ-UBND ngày 12/3/2026 của Ủy ban nhân dân "
                                   "tỉnh Sông Mây)", body=simple_body())
    data = tmp_path / "kem-qd-2026.yaml"
    import_file(original, data, force=True)
    assert load_plan(data).own_number is False
    result = rollover_file(data, 2027)
    plan = load_plan(result.output)
    assert not plan.own_number and (plan.date.year, plan.date.month, plan.date.day) == (2027, 3, None)
    cleared = {i.path: i for i in result.items if i.kind == "cleared"}
    assert "25/QĐ-UBND" in cleared["subtitle"].text and cleared["subtitle"].line is not None
    assert not [i for i in result.items if i.path == "subtitle" and i.kind != "cleared"]
    back = tmp_path / "kem-qd-2027.docx"
    back.write_bytes(render_plan(plan))
    texts = [norm(t) for t in cell_texts(back)]
    assert "(Ban hành kèm theo Quyết định số /QĐ-UBND ngày /3/2027 của Ủy ban nhân dân tỉnh Sông Mây)" in texts
    assert not any("25/QĐ" in t or "2026" in t for t in texts), [t for t in texts if "2026" in t]


def _issued_with_decision(made: dict[str, Path], tmp: Path, form: str) -> Path:
    """The issued plan the office keeps, imported as a văn thư gets it: printed after its decision in
    one file ("joined"), saved alone ("alone"), or saved alone with its line worded "(Kèm theo …)"."""
    from generator.jobs.importer import import_file
    from tests.test_attached_plan import join
    from tests.test_issued_plan_alone import _kem_theo

    source = {"joined": lambda: join(made["quyet-dinh"], made["ke-hoach"], tmp / "qd-kh.docx"),
              "alone": lambda: made["ke-hoach"],
              "kem": lambda: _kem_theo(made["ke-hoach"], tmp / "kh-kem.docx")}[form]()
    data = tmp / f"kh-{form}-2026.yaml"
    import_file(source, data, force=True)
    return data


DANH_MUC_LINES = {
    "derived": None,  # the line as kehoach derives it from the subtitle: the import leaves it out
    "typed": "(Kèm theo Kế hoạch ban hành kèm theo Quyết định số 25/QĐ-UBND ngày 20/01/2026 của UBND tỉnh Lâm Đồng)",
    "cites-decision": "(Kèm theo Quyết định số 25/QĐ-UBND ngày 20/01/2026 của Ủy ban nhân dân tỉnh Lâm Đồng)",
}
"""The danh mục's line of a plan issued with a decision, as its data may hold it."""


@pytest.mark.parametrize("line", DANH_MUC_LINES)
@pytest.mark.parametrize("form", ["joined", "alone", "kem"])
def test_next_year_plan_issued_with_a_decision_cites_no_decision_of_last_year(dossiers, tmp_path: Path,  # noqa: F811
                                                                              form: str, line: str) -> None:
    """Last year's decision is cited twice in a plan issued with it: the line under the trích yếu and
    the line of its danh mục ("(Kèm theo Kế hoạch ban hành kèm theo Quyết định số 25/QĐ-UBND …)"),
    derived from the subtitle or written in the data. Next year's plan goes out with a new decision:
    both lines cite it with number and day blank, each written line said once as cleared, and the
    rendered draft passes check (its danh mục cites what its head does)."""
    from generator.check import check_docx
    from tests.word_fixtures import cell_texts, norm

    data = _issued_with_decision(dossiers["final"], tmp_path, form)
    head = "    subtitle: Nhiệm vụ tuyên truyền cải cách hành chính năm 2026\n"
    text = data.read_text(encoding="utf-8")
    assert head in text and "reference_line" not in text
    if DANH_MUC_LINES[line]:
        data.write_text(text.replace(head, head + f"    reference_line: {DANH_MUC_LINES[line]}\n"), encoding="utf-8")
    plan = load_plan(data)
    assert plan.own_number is False and plan.appendices[0].reference_line == DANH_MUC_LINES[line]
    result = rollover_file(data, 2027)
    new = load_plan(result.output)
    cleared = {i.path for i in result.items if i.kind == "cleared"}
    assert "subtitle" in cleared
    if DANH_MUC_LINES[line]:
        assert "25/QĐ" not in new.appendices[0].reference_line and "/01/2027" in new.appendices[0].reference_line
        assert new.appendices[0].reference_line.startswith(DANH_MUC_LINES[line].split(" số ")[0])
        assert "appendices[0].reference_line" in cleared
        assert not [i for i in result.items if i.path == "appendices[0].reference_line" and i.kind != "cleared"]
    out = tmp_path / "kh-2027.docx"
    out.write_bytes(render_plan(new))
    texts = [norm(t) for t in cell_texts(out)]
    assert not any("25/QĐ" in t or "20/01/2026" in t for t in texts), [t for t in texts if "25/QĐ" in t]
    report = check_docx(out)
    assert not [r for r in report.results if r.status == "error"], [r.rule for r in report.results
                                                                    if r.status == "error"]


def test_an_issued_plan_without_a_number_of_its_own_is_no_draft_to_rollover(dossiers, tmp_path: Path) -> None:  # noqa: F811
    """A plan issued with its decision has its date and no number of its own: rollover does not call it
    a draft nor tell the user to give it a number (`render --final --number` refuses one). Undated, it
    is a draft, and the way to issue it is its date alone."""
    data = _issued_with_decision(dossiers["final"], tmp_path, "joined")
    result = rollover_file(data, 2027)
    assert not result.notes, result.notes
    undated = tmp_path / "kh-chua-ngay-2026.yaml"
    undated.write_text(data.read_text(encoding="utf-8").replace("date: '2026-01-20'", "date: '2026-01'"),
                       encoding="utf-8")
    assert not load_plan(undated).date.complete
    notes = rollover_file(undated, 2027, tmp_path / "kh-chua-ngay-2027.yaml").notes
    assert len(notes) == 1 and "--final --date" in notes[0] and "--number" not in notes[0], notes
