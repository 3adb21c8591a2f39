"""The Báo cáo kết quả thực hiện: counted from filled sheets, rendered as an ND30 Báo cáo that
`kehoach check` recognises with no error; rollover with progress; the 2025 administrative changes."""

from __future__ import annotations

import io
import re

import docx
import pytest
import yaml

from generator.check import check_docx, check_file
from generator.cli import main
from generator.jobs.progress import write_progress_sheet
from generator.jobs.report import ON_TIME, OVERDUE, build_report, percent
from generator.plan.loader import load_plan
from generator.plan.tasks import plan_tasks
from tests.year_fixtures import AS_OF, FILLED, fill, write_plan


def _document_text(path) -> tuple[str, list[list[list[str]]]]:
    d = docx.Document(io.BytesIO(path.read_bytes()))
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in d.tables]
    return "\n".join(p.text for p in d.paragraphs), tables


@pytest.fixture()
def filled(tmp_path):
    """The plan, and its per-unit sheet filled by each unit (each fills only its own tasks)."""
    plan_path = write_plan(tmp_path)
    sheet = write_progress_sheet(plan_path, tmp_path / "don-vi.xlsx", per_unit=True)
    out = []
    tasks = plan_tasks(load_plan(plan_path))
    for name in sheet.sheets:
        mine = {t.content for t in tasks if name in t.leads}
        out.append(fill(sheet.output, tmp_path / f"{name}.xlsx",
                        {k: v for k, v in FILLED.items() if k in mine}, sheet_name=name))
    return plan_path, out


def test_vietnamese_percentages():
    assert percent(11, 49) == "22,45"
    assert percent(1, 3) == "33,33"
    assert percent(5, 10) == "50"
    assert percent(1, 8) == "12,5"
    assert percent(0, 0) == "0"


def test_counts_of_the_report(filled, tmp_path):
    plan_path, sheets = filled
    result = build_report(plan_path, sheets, AS_OF, tmp_path / "bao-cao.yaml")
    t = result.total
    assert t.total == 10 and t.done == 5 and t.rate == "50"
    assert t.by_state == {"on_time": 4, "late": 1, "doing": 2, "todo": 2, "overdue": 1}
    assert [s.task.content for s in result.overdue] == ["Công bố danh mục thủ tục hành chính"]
    # The deadline it could not read is reported, not guessed.
    (unread,) = result.unreadable
    assert unread.task.content == "Xây dựng vị trí việc làm" and unread.state != OVERDUE
    assert any("Theo hướng dẫn của Bộ Nội vụ" in w and "không đọc được" in w for w in result.warnings)
    states = {s.task.content: s.state for s in result.states}
    assert states["Cập nhật cơ sở dữ liệu văn bản"] == ON_TIME  # recurring, done without a day
    data = yaml.safe_load((tmp_path / "bao-cao.yaml").read_text(encoding="utf-8"))
    assert data["type"] == "Báo cáo"
    assert data["subject"][0] == "Kết quả thực hiện Kế hoạch số 617/KH-SNV ngày 10/02/2025"


def test_the_rendered_report_is_a_bao_cao_with_the_counts_and_no_error(filled, tmp_path):
    plan_path, sheets = filled
    data = tmp_path / "bao-cao.yaml"
    assert main(["report", str(plan_path), "--progress", *map(str, sheets), "--as-of", "30/9/2025",
                 "-o", str(data)]) == 0
    out = tmp_path / "bao-cao.docx"
    assert main(["render", str(data), "-o", str(out)]) == 0
    text, tables = _document_text(out)
    assert "BÁO CÁO" in text
    assert "Kết quả thực hiện Kế hoạch số 617/KH-SNV ngày 10/02/2025" in text
    cells = " ".join(c for t in tables for r in t for c in r)  # the header block is a table
    assert "Số:      /BC-SNV" in cells and "ngày    tháng 9 năm 2025" in cells
    assert "đã hoàn thành 5/10 nhiệm vụ (đạt 50%)" in text
    # Results mirror the plan's groups: "Cải cách thể chế" has 3 tasks, one done.
    assert "Cải cách thể chế" in text and "Đã hoàn thành 1/3 nhiệm vụ (đạt 33,33%)." in text
    # The overdue task is listed with its lead unit.
    overdue = next(t for t in tables if t[0][:3] == ["STT", "Nhiệm vụ", "Đơn vị chủ trì"])
    assert overdue[1][1:4] == ["Công bố danh mục thủ tục hành chính", "Phòng Cải cách hành chính", "Tháng 6/2025"]
    # The statistics annex, by group and by lead unit, with the total.
    annex = next(t for t in tables if t[0][1] == "Nhóm nhiệm vụ, đơn vị chủ trì")
    rows = {r[1]: r[2:] for r in annex[1:]}
    assert rows["Cải cách thể chế"] == ["3", "1", "0", "1", "1", "0", "33,33%"]
    assert rows["Phòng Cải cách hành chính"] == ["4", "1", "1", "0", "1", "1", "50%"]
    assert annex[-1][0] == "Tổng cộng" and annex[-1][2:] == ["10", "4", "1", "2", "2", "1", "50%"]
    report = check_docx(out)
    assert report.document_type == "Báo cáo"
    assert not report.errors, [(r.rule, r.message) for r in report.errors]
    assert check_file(data).document_type == "Báo cáo" and not check_file(data).errors


def test_a_report_is_never_written_over_a_file(filled, tmp_path):
    plan_path, sheets = filled
    data = tmp_path / "bao-cao.yaml"
    data.write_text("# đã viết đánh giá\n", encoding="utf-8")
    assert main(["report", str(plan_path), "--progress", *map(str, sheets), "--as-of", "2025-09-30",
                 "-o", str(data)]) == 2
    assert data.read_text(encoding="utf-8") == "# đã viết đánh giá\n"


def test_an_as_of_day_the_calendar_lacks_is_named_not_called_unreadable(filled, tmp_path, capsys):
    # "31/02/2025" is read; its fix is the day, so the message says which day February lacks.
    plan_path, sheets = filled
    for typed, said in (("31/02/2025", "tháng 2/2025 không có ngày 31"), ("15/13/2025", "không có tháng 13"),
                        ("cuối quý", "không đọc được")):
        assert main(["report", str(plan_path), "--progress", *map(str, sheets), "--as-of", typed,
                     "-o", str(tmp_path / "b.yaml")]) == 2
        err = capsys.readouterr().err
        assert f"ngày báo cáo “{typed}” {said}; ghi dạng ngày/tháng/năm" in err, err
        assert "Traceback" not in err
    assert not (tmp_path / "b.yaml").exists()


def test_bad_cells_stop_the_report_with_every_problem(tmp_path, capsys):
    plan_path = write_plan(tmp_path)
    sheet = write_progress_sheet(plan_path, tmp_path / "t.xlsx").output
    bad = fill(sheet, tmp_path / "bad.xlsx", {"Sắp xếp các phòng chuyên môn": ("OK", "hôm qua", None),
                                               "Xây dựng vị trí việc làm": ("Hoàn thành", "1/10/2025", None)})
    assert main(["report", str(plan_path), "--progress", str(bad), "--as-of", "30/9/2025",
                 "-o", str(tmp_path / "b.yaml")]) == 2
    err = capsys.readouterr().err
    assert "tình trạng “OK”" in err and "ngày hoàn thành “hôm qua” không đọc được" in err
    assert "sau ngày báo cáo 30/09/2025" in err and "3 lỗi trong bảng tiến độ" in err
    assert not (tmp_path / "b.yaml").exists()


def test_rollover_with_progress_carries_exactly_the_unfinished_tasks(filled, tmp_path, capsys):
    plan_path, sheets = filled
    new = tmp_path / "ke-hoach-2026.yaml"
    assert main(["rollover", str(plan_path), "--year", "2026", "-o", str(new), "--progress", *map(str, sheets)]) == 0
    out = capsys.readouterr().out
    old_tasks = plan_tasks(load_plan(plan_path))
    kept = [t.content for t in plan_tasks(load_plan(new))]
    unfinished = [t.content for t in old_tasks if FILLED.get(t.content, ("",))[0] != "Hoàn thành"]
    recurring_done = ["Cập nhật cơ sở dữ liệu văn bản"]  # done, but it recurs next year
    assert sorted(kept) == sorted(unfinished + recurring_done)
    assert len(unfinished) == 5
    from generator.jobs.rollover import rollover_file  # the library call says the same, per task
    result = rollover_file(plan_path, 2026, tmp_path / "again.yaml", progress=sheets)
    carried = [i for i in result.items if i.kind == "carried"]
    dropped = [i for i in result.items if i.kind == "dropped"]
    assert sorted(i.text for i in carried) == sorted(unfinished)
    (table,) = [i for i in dropped if i.text == "(bảng)"]  # the body's table lost both its rows
    assert table.path == "sections[1].blocks[0].table" and "xóa bảng" in table.message
    dropped = [i for i in dropped if i is not table]
    assert sorted(i.text for i in dropped) == sorted(
        ["Rà soát quy chế làm việc của Sở", "Phối hợp với UBND huyện Bắc Bình kiểm tra một cửa",
         "Số hóa hồ sơ thủ tục hành chính", "Sắp xếp các phòng chuyên môn"])
    lines = (tmp_path / "again.yaml").read_text(encoding="utf-8").splitlines()
    for item in carried:  # each carried task is reported at its line in the new file
        assert item.text[:20] in lines[item.line - 1]
    assert "Nhiệm vụ chưa hoàn thành, chuyển sang năm mới" in out


def test_rollover_says_where_each_removed_task_stood(filled, tmp_path, capsys):
    """A finished task left out of next year's file has no line there: the report said "(đã xóa)" as
    its place. It says, as its other lines do, the line where the row stood in last year's file,
    then its section, group and STT as the plan prints them."""
    plan_path, sheets = filled
    assert main(["rollover", str(plan_path), "--year", "2026", "-o", str(tmp_path / "moi.yaml"),
                 "--progress", *map(str, sheets)]) == 0
    out = capsys.readouterr().out
    assert "(đã xóa)" not in out
    old_lines = plan_path.read_text(encoding="utf-8").splitlines()
    gone = {t.content: t for t in plan_tasks(load_plan(plan_path))
            if FILLED.get(t.content, ("",))[0] == "Hoàn thành" and t.content != "Cập nhật cơ sở dữ liệu văn bản"}
    assert len(gone) == 4
    for content, task in gone.items():
        (said,) = [line for line in out.splitlines() if line.endswith(f"— {content}")]
        m = re.match(rf"\s+dòng (\d+) của {re.escape(plan_path.name)} \((.+)\): ", said)
        assert m, said
        assert content in old_lines[int(m.group(1)) - 1], (said, old_lines[int(m.group(1)) - 1])
        place = ", ".join(x for x in (task.where, f"STT {task.number}" if task.number else "") if x)
        assert m.group(2) == place and task.section in place, said


def test_a_merged_province_rolled_to_2026_is_named_with_what_it_became(tmp_path, capsys):
    plan_path = write_plan(tmp_path)
    new = tmp_path / "2026.yaml"
    assert main(["rollover", str(plan_path), "--year", "2026", "-o", str(new)]) == 0
    out = capsys.readouterr().out
    assert "tỉnh Bình Thuận không còn từ 01/7/2025: nay thuộc tỉnh Lâm Đồng" in out
    assert "huyện Hàm Thuận Bắc không còn từ 01/7/2025 (bỏ cấp huyện); địa bàn nay thuộc tỉnh Lâm Đồng" in out
    assert "địa danh Bình Thuận" in out
    # check on the new data file (a 2026 draft) names them too; on the 2025 plan of February, not.
    report = check_file(new)
    found = [r for r in report.warnings if r.rule == "DVHC.2025.ten-don-vi"]
    assert {r.measured for r in found} >= {"UBND tỉnh Bình Thuận".split(" ", 1)[1], "huyện Hàm Thuận Bắc"}
    assert all("Lâm Đồng" in r.message for r in found)
    assert not [r for r in check_file(plan_path).warnings if r.rule == "DVHC.2025.ten-don-vi"]


def test_a_catalogue_left_without_tasks_goes_with_its_groups(tmp_path):
    from generator.jobs.rollover import rollover_text
    from generator.plan.loader import parse_yaml, validate

    plan_path = write_plan(tmp_path)
    catalogue = [t.loc for t in plan_tasks(load_plan(plan_path)) if t.loc and t.loc[0] == "appendices"]
    text, pending, _ = rollover_text(plan_path.read_text(encoding="utf-8"), 2025, 2026, drop=catalogue)
    data = validate(parse_yaml(text, "new.yaml"))
    assert data.appendices == [] and len(plan_tasks(data)) == 2
    assert ("removed", ("appendices", 0), "", "", False) in pending


def test_an_overdue_task_with_two_lead_units_is_one_line_naming_both(tmp_path, capsys):
    plan_path = write_plan(tmp_path)
    sheet = write_progress_sheet(plan_path, tmp_path / "t.xlsx").output
    late = fill(sheet, tmp_path / "late.xlsx", {"Số hóa hồ sơ thủ tục hành chính": ("Đang thực hiện", None, None)})
    assert main(["report", str(plan_path), "--progress", str(late), "--as-of", "30/9/2025",
                 "-o", str(tmp_path / "b.yaml")]) == 0
    lines = capsys.readouterr().out.splitlines()
    line = next(x for x in lines if "Số hóa hồ sơ thủ tục hành chính" in x)
    assert line.startswith("  quá hạn chưa hoàn thành: ") and "thời hạn: Trước 30/6/2025" in line
    units = [u.name for u in load_plan(plan_path).units.values()]
    named = [u for u in units if u in line]
    assert len(named) == 2, (line, units)  # both lead units, on the task's own line
    assert all(x.startswith(("Đã tạo", "  quá hạn", "Viết phần")) for x in lines), lines


def test_a_mucs_results_are_a_khoan_titled_as_the_muc_without_its_numeral(tmp_path):
    # Tasks of a table in mục "II. NHIỆM VỤ" were reported under "2.1. II. NHIỆM VỤ" (two numbers,
    # capitals of a mục): a khoản of the report takes the mục's own title.
    import shutil

    from tests.paths import FULL

    plan_path = tmp_path / "day-du.yaml"
    shutil.copy(FULL, plan_path)
    sheet = write_progress_sheet(plan_path, tmp_path / "t.xlsx").output
    import openpyxl

    book = openpyxl.load_workbook(sheet)  # one task reported: a report needs a filled sheet
    book["Tiến độ"]["E4"] = "Đang thực hiện"
    book.save(sheet)
    assert main(["report", str(plan_path), "--progress", str(sheet), "--as-of", "30/06/2026",
                 "-o", str(tmp_path / "b.yaml")]) == 0
    data = yaml.safe_load((tmp_path / "b.yaml").read_text(encoding="utf-8"))
    by_result = data["sections"][0]["blocks"][1]["blocks"]
    titles = [b["clause"] for b in by_result]
    section_title = load_plan(plan_path).sections[1].title
    assert section_title in titles, titles
    assert not any(t.split(".")[0] in ("I", "II", "III", "IV") for t in titles), titles
    # The statistics annex names the group the same way.
    annex = data["appendices"][0]["table"]["rows"]
    names = [r[1] for g in annex if isinstance(g, dict) for r in g.get("rows", []) if isinstance(r, list)]
    assert section_title in names and "II. NHIỆM VỤ" not in names, names


def test_the_report_of_a_plan_issued_with_its_decision_cites_the_decision_not_a_draft(tmp_path):
    """A plan issued with a Quyết định (own_number: false) has no number of its own: the report cites it
    as "Kế hoạch ban hành kèm theo Quyết định số …" (its subtitle's decision), as the issued plan it is,
    never as a draft named by its trích yếu; a sheet made before it was dated is still its sheet."""
    from tests.year_fixtures import write_plan_issued_with_decision

    draft = write_plan_issued_with_decision(tmp_path, "du-thao.yaml", date="2025-02")
    plan_path = write_plan_issued_with_decision(tmp_path)
    sheet = fill(write_progress_sheet(draft, tmp_path / "tien-do.xlsx").output, tmp_path / "da-dien.xlsx", FILLED)
    data = tmp_path / "bao-cao.yaml"
    result = build_report(plan_path, [sheet], AS_OF, data)
    assert not [w for w in result.warnings if "không phải" in w], result.warnings
    written = data.read_text(encoding="utf-8")
    assert "dự thảo" not in written.lower()
    out = tmp_path / "bao-cao.docx"
    assert main(["render", str(data), "-o", str(out)]) == 0
    text, _ = _document_text(out)
    cited = "Kế hoạch ban hành kèm theo Quyết định số 25/QĐ-SNV ngày 10/02/2025"
    assert f"Kết quả thực hiện {cited}" in " ".join(text.split()), text[:400]  # on lines that fit
    assert f"Thực hiện {cited} của Sở Nội vụ về cải cách hành chính năm 2025," in text
    report = check_docx(out)
    assert report.document_type == "Báo cáo" and not report.errors, [(r.rule, r.message) for r in report.errors]


def test_the_reports_trich_yeu_is_in_lines_that_fit_as_a_van_thu_breaks_it(filled, tmp_path):
    """The trích yếu is written as lines ("Kết quả thực hiện Kế hoạch số …" / "về <the plan's trích
    yếu>"), which print as given: with the plan's whole trích yếu the second was wider than its
    column, so Word wrapped it anywhere ("… của Sở / Khoa học và Công nghệ") and `kehoach check` of
    the very file `kehoach report` wrote warned about it. Each line now fits; none is lost."""
    plan_path, sheets = filled
    about = "cải cách hành chính năm 2025 của Sở Nội vụ trên địa bàn tỉnh Quảng Ngãi gắn với chuyển đổi số"
    plan_path.write_text(plan_path.read_text(encoding="utf-8").replace(
        "subject: Cải cách hành chính năm 2025\n", f"subject: {about[:1].upper() + about[1:]}\n", 1), encoding="utf-8")
    data = tmp_path / "bao-cao.yaml"
    build_report(plan_path, sheets, AS_OF, data)
    lines = yaml.safe_load(data.read_text(encoding="utf-8"))["subject"]
    assert len(lines) >= 3 and lines[0] == "Kết quả thực hiện Kế hoạch số 617/KH-SNV ngày 10/02/2025"
    assert " ".join(lines[1:]) == f"về {about}"
    findings = check_file(data)
    assert not [r for r in findings.warnings + findings.errors if "dong-tieu-de" in r.rule], \
        [(r.rule, r.message) for r in findings.warnings]
    out = tmp_path / "bao-cao.docx"
    assert main(["render", str(data), "-o", str(out)]) == 0
    paragraphs = [p.text for p in docx.Document(io.BytesIO(out.read_bytes())).paragraphs]
    at = paragraphs.index(lines[0])
    assert paragraphs[at:at + len(lines)] == lines  # one paragraph per line, as the data gives them
