"""The office's year walked as its staff walk it: the slips a văn thư and the units really make
(a status merged over several rows, "80%" typed in Excel, a sheet saved from LibreOffice as .ods,
a row added at the bottom), each read as the sheet's reader sees it or reported by its cell."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
import pytest

from generator.jobs.progress import ProgressError, read_progress, write_progress_sheet
from generator.jobs.report import build_report
from generator.plan.loader import load_plan
import yaml
from tests.ods_fixtures import ods_package
from tests.test_attached_plan import dossiers  # noqa: F401 - the module's fixture: a dossier, draft and issued
from tests.paths import ROOT
from tests.year_fixtures import AS_OF, write_plan

ROWS = ("Ban hành kế hoạch kiểm tra văn bản", "Rà soát văn bản quy phạm pháp luật", "Cập nhật cơ sở dữ liệu văn bản")


def _sheet(tmp_path: Path) -> tuple[Path, Path]:
    plan = write_plan(tmp_path)
    return plan, write_progress_sheet(plan, tmp_path / "tien-do.xlsx").output


def _docx_text(path: Path) -> str:
    import docx

    d = docx.Document(str(path))
    cells = [c.text for t in d.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in d.paragraphs] + cells)


def _rows_of(ws) -> dict[str, int]:
    return {ws.cell(row=r, column=2).value: r for r in range(4, ws.max_row + 1)}


def test_a_status_merged_over_several_rows_counts_for_every_task_it_covers(tmp_path):
    plan, sheet = _sheet(tmp_path)
    wb = openpyxl.load_workbook(sheet)
    ws = wb["Tiến độ"]
    rows = _rows_of(ws)
    first, last = rows[ROWS[0]], rows[ROWS[2]]
    assert last - first == 2  # the catalogue's first group: three rows one under the other
    ws.cell(row=first, column=5, value="Hoàn thành")
    ws.cell(row=first, column=6, value=dt.datetime(2025, 8, 1))
    ws.cell(row=first, column=7, value="Đã xong cả nhóm")
    for col in "EFG":
        ws.merge_cells(f"{col}{first}:{col}{last}")
    filled = tmp_path / "gop-o.xlsx"
    wb.save(filled)
    out = tmp_path / "bao-cao.yaml"
    result = build_report(plan, [filled], AS_OF, out)
    assert result.total.done == 3
    done = {s.task.content for s in result.states if s.report and s.report.status == "Hoàn thành"}
    assert done == set(ROWS)
    assert all(s.report.done_on == dt.date(2025, 8, 1) for s in result.states if s.task.content in ROWS)
    text = out.read_text(encoding="utf-8")
    assert "3/10 nhiệm vụ" in text


def test_numbers_and_dates_in_the_result_column_read_as_the_unit_typed_them(tmp_path):
    plan, sheet = _sheet(tmp_path)
    wb = openpyxl.load_workbook(sheet)
    ws = wb["Tiến độ"]
    rows = _rows_of(ws)
    r = rows["Số hóa hồ sơ thủ tục hành chính"]
    ws.cell(row=r, column=5, value="Đang thực hiện")
    ws.cell(row=r, column=7, value=0.8).number_format = "0%"  # Excel stores "80%" typed as 0.8
    r = rows["Khảo sát sự hài lòng của người dân"]
    ws.cell(row=r, column=5, value="Đang thực hiện")
    ws.cell(row=r, column=7, value=dt.datetime(2025, 5, 15)).number_format = "dd/mm/yyyy"
    filled = tmp_path / "so.xlsx"
    wb.save(filled)
    progress = read_progress(load_plan(plan), [filled])
    results = sorted(r.result for r in progress.by_key.values())
    assert results == ["15/5/2025", "80%"]
    out = tmp_path / "bao-cao.yaml"
    build_report(plan, [filled], AS_OF, out)
    text = out.read_text(encoding="utf-8")
    assert "80%" in text and "0.8" not in text and "00:00:00" not in text


def test_a_status_typed_as_a_percentage_is_reported_with_what_to_do(tmp_path):
    plan, sheet = _sheet(tmp_path)
    wb = openpyxl.load_workbook(sheet)
    ws = wb["Tiến độ"]
    r = _rows_of(ws)[ROWS[1]]
    ws.cell(row=r, column=5, value=0.8).number_format = "0%"
    wb.save(tmp_path / "pt.xlsx")
    with pytest.raises(ProgressError) as caught:
        read_progress(load_plan(plan), [tmp_path / "pt.xlsx"])
    (problem,) = caught.value.problems
    assert f"pt.xlsx: Tiến độ!E{r}: tình trạng “80%”" in problem
    assert "phần trăm đã làm ghi vào cột Kết quả" in problem


def _ods(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """An OpenDocument spreadsheet as LibreOffice Calc saves an .xlsx it opened: every sheet, text
    and dates as typed (the meta sheet of kehoach kept, hidden)."""
    body = ""
    for name, rows in sheets.items():
        body += f'<table:table table:name="{escape(name)}">'
        for row in rows:
            body += "<table:table-row>"
            for v in row:
                if v is None:
                    body += "<table:table-cell/>"
                elif isinstance(v, dt.datetime):
                    body += (f'<table:table-cell office:value-type="date" office:date-value="{v:%Y-%m-%d}">'
                             f"<text:p>{v:%d/%m/%Y}</text:p></table:table-cell>")
                elif isinstance(v, int):
                    body += (f'<table:table-cell office:value-type="float" office:value="{v}">'
                             f"<text:p>{v}</text:p></table:table-cell>")
                else:
                    body += f'<table:table-cell office:value-type="string"><text:p>{escape(str(v))}</text:p></table:table-cell>'
            body += "</table:table-row>"
        body += "</table:table>"
    path.write_bytes(ods_package(body))
    return path


def test_a_filled_sheet_saved_as_ods_is_read_like_the_xlsx(tmp_path):
    plan, sheet = _sheet(tmp_path)
    wb = openpyxl.load_workbook(sheet)
    ws = wb["Tiến độ"]
    rows = _rows_of(ws)
    ws.cell(row=rows[ROWS[0]], column=5, value="Hoàn thành")
    ws.cell(row=rows[ROWS[0]], column=6, value=dt.datetime(2025, 8, 1))
    ws.cell(row=rows[ROWS[1]], column=5, value="Xong")  # a slip, said by its cell as in an .xlsx
    books = {s.title: [[c.value for c in row] for row in s.iter_rows()] for s in wb.worksheets}
    ods = _ods(tmp_path / "tien-do đã điền.ods", books)
    with pytest.raises(ProgressError) as caught:
        read_progress(load_plan(plan), [ods])
    assert caught.value.problems == [f"tien-do đã điền.ods: Tiến độ!E{rows[ROWS[1]]}: tình trạng “Xong” không có "
                                     "trong danh sách; chọn một trong: Hoàn thành, Đang thực hiện, Chưa thực hiện"]
    books["Tiến độ"][rows[ROWS[1]] - 1][4] = "Đang thực hiện"
    ods = _ods(tmp_path / "tien-do đã điền.ods", books)
    progress = read_progress(load_plan(plan), [ods])
    said = {r.status: r.done_on for r in progress.by_key.values()}
    assert said == {"Hoàn thành": dt.date(2025, 8, 1), "Đang thực hiện": None}
    assert not progress.warnings  # the meta sheet read: the sheet is this plan's


def test_a_row_added_without_content_is_named_by_its_row(tmp_path):
    plan, sheet = _sheet(tmp_path)
    wb = openpyxl.load_workbook(sheet)
    ws = wb["Tiến độ"]
    below = ws.max_row + 2
    ws.cell(row=below, column=5, value="Hoàn thành")
    wb.save(tmp_path / "them.xlsx")
    with pytest.raises(ProgressError) as caught:
        read_progress(load_plan(plan), [tmp_path / "them.xlsx"])
    (problem,) = caught.value.problems
    assert problem.startswith(f"them.xlsx: Tiến độ!H{below}: hàng {below} không có mã nhiệm vụ")


def test_a_sheet_saved_as_csv_is_refused_with_the_fix(tmp_path):
    plan, _ = _sheet(tmp_path)
    csv = tmp_path / "tien-do.csv"
    csv.write_text("STT;Nội dung\n", encoding="utf-8")
    with pytest.raises(Exception, match="phải là bảng tính .xlsx") as caught:
        read_progress(load_plan(plan), [csv])
    assert "Excel Workbook" in str(caught.value)


def test_the_examples_in_messages_are_of_the_plans_year(tmp_path):
    text = write_plan(tmp_path).read_text(encoding="utf-8").replace("2025", "2027")
    plan = tmp_path / "kh-2027.yaml"
    plan.write_text(text, encoding="utf-8")
    sheet = write_progress_sheet(plan, tmp_path / "t.xlsx")
    assert any("Quý IV/2027" in w for w in sheet.warnings) and not any("2025" in w for w in sheet.warnings)
    wb = openpyxl.load_workbook(sheet.output)
    ws = wb["Tiến độ"]
    r = _rows_of(ws)[ROWS[0]]
    ws.cell(row=r, column=5, value="Hoàn thành")
    ws.cell(row=r, column=6, value="1/8/27")
    wb.save(tmp_path / "f.xlsx")
    with pytest.raises(ProgressError) as caught:
        read_progress(load_plan(plan), [tmp_path / "f.xlsx"])
    assert "ví dụ 30/06/2027" in caught.value.problems[0]


def test_last_years_filled_sheet_is_refused_for_this_years_report(tmp_path):
    from generator.jobs.rollover import rollover_file

    plan, sheet = _sheet(tmp_path)
    wb = openpyxl.load_workbook(sheet)
    ws = wb["Tiến độ"]
    ws.cell(row=_rows_of(ws)[ROWS[2]], column=5, value="Hoàn thành")  # a task next year's plan keeps
    wb.save(tmp_path / "nam-truoc.xlsx")
    new = rollover_file(plan, 2026).output
    out = tmp_path / "bao-cao-2026.yaml"
    with pytest.raises(ProgressError) as caught:
        build_report(new, [tmp_path / "nam-truoc.xlsx"], dt.date(2026, 9, 30), out)
    (problem,) = caught.value.problems
    assert problem.startswith("nam-truoc.xlsx: đây là bảng tiến độ của kế hoạch năm 2025")
    assert "không phải của kế hoạch năm 2026" in problem
    assert not out.exists()
    # A sheet written before the year was kept in it: the year its draft label names.
    meta = wb["kehoach"]
    meta["A3"] = meta["B3"] = None
    draft = yaml.safe_load(new.read_text(encoding="utf-8"))
    assert draft["number"] is None
    meta["B2"] = "Kế hoạch (dự thảo) Cải cách hành chính năm 2025"
    wb.save(tmp_path / "cu.xlsx")
    with pytest.raises(ProgressError, match="kế hoạch năm 2025"):
        read_progress(load_plan(new), [tmp_path / "cu.xlsx"])
    assert read_progress(load_plan(plan), [tmp_path / "cu.xlsx"]).by_key  # last year's report: read


def test_a_number_the_register_gives_another_document_is_refused(tmp_path):
    from generator.cli import main
    from generator.errors import OutputExistsError
    from generator.jobs.issue import issue_file

    folder = tmp_path / "Kế hoạch năm 2025"
    folder.mkdir()
    first = write_plan(folder, "kế hoạch cchc.yaml")
    text = first.read_text(encoding="utf-8").replace("number: 617\n", "")
    second = folder / "kế hoạch kiểm tra.yaml"
    second.write_text(text.replace("subject: Cải cách hành chính", "subject: Kiểm tra công vụ"), encoding="utf-8")
    done = issue_file(first, final=True, date="10/2/2025")
    assert done.metadata is not None and done.metadata.is_file()
    before = second.read_bytes()
    with pytest.raises(OutputExistsError) as caught:
        issue_file(second, final=True, number="617", date="12/2/2025")
    said = str(caught.value)
    assert "số 617/KH-SNV năm 2025 đã cấp cho văn bản khác" in said
    assert "kế hoạch cchc-so-617.docx" in said and "“Cải cách hành chính năm 2025”, ngày 10/02/2025" in said
    assert second.read_bytes() == before
    assert sorted(p.name for p in (folder / "output").iterdir()) == ["kế hoạch cchc-so-617.docx",
                                                                      "kế hoạch cchc-so-617.json"]
    assert main(["render", str(second), "--final", "--number", "617", "--date", "12/2/2025"]) == 2
    # The same document made again from its data file under a new name is that document.
    renamed = folder / "kh-cchc-2025.yaml"
    first.rename(renamed)
    assert issue_file(renamed, final=True).docx.name == "kh-cchc-2025-so-617.docx"
    # The next number is free.
    out = issue_file(second, final=True, number="618", date="12/2/2025")
    assert "618/KH-SNV" in _docx_text(out.docx) and "617/KH-SNV" not in _docx_text(out.docx)


def test_a_unit_typed_slightly_differently_is_one_unit(tmp_path):
    text = write_plan(tmp_path).read_text(encoding="utf-8")
    text = text.replace("{content: Ban hành kế hoạch kiểm tra văn bản, lead: [vp]",
                        "{content: Ban hành kế hoạch kiểm tra văn bản, lead: [Phòng Hoà giải - Pháp chế]")
    text = text.replace("{content: Rà soát văn bản quy phạm pháp luật, lead: [vp]",
                        "{content: Rà soát văn bản quy phạm pháp luật, lead: [phòng Hòa giải–Pháp chế]")
    text = text.replace("{content: Cập nhật cơ sở dữ liệu văn bản, lead: [vp]",
                        "{content: Cập nhật cơ sở dữ liệu văn bản, lead: [Phòng  Hòa giải — Pháp chế]")
    plan = tmp_path / "kh.yaml"
    plan.write_text(text, encoding="utf-8")
    sheet = write_progress_sheet(plan, tmp_path / "don-vi.xlsx", per_unit=True)
    wb = openpyxl.load_workbook(sheet.output)
    assert "Phòng Hoà giải - Pháp chế" in wb.sheetnames
    assert not [n for n in wb.sheetnames if "giải" in n and n != "Phòng Hoà giải - Pháp chế"]
    ws = wb["Phòng Hoà giải - Pháp chế"]
    assert sorted(ws.cell(row=r, column=2).value for r in range(4, ws.max_row + 1)) == sorted(ROWS)
    out = tmp_path / "bao-cao.yaml"
    filled = tmp_path / "f.xlsx"
    ws.cell(row=4, column=5, value="Đang thực hiện")
    wb.save(filled)
    build_report(plan, [filled], AS_OF, out)
    printed = out.read_text(encoding="utf-8")
    assert printed.count("Hoà giải") + printed.count("Hòa giải") == 1, printed


def test_a_final_dossier_missing_numbers_says_the_line_of_each(tmp_path, capsys):
    from generator.cli import main

    sample = ROOT / "data" / "ho-so-ke-hoach-tuyen-truyen-cchc-2026.yaml"
    data = tmp_path / "hồ sơ trình.yaml"
    data.write_bytes(sample.read_bytes())
    lines = data.read_text(encoding="utf-8").splitlines()
    submission = next(i for i, line in enumerate(lines, 1) if line.startswith("  submission:"))
    assert main(["dossier", str(data), "--final"]) == 2
    err = capsys.readouterr().err
    assert f"{data}:{submission + 1}:5: dossier.submission.number: bản phát hành cần số của văn bản này; " \
           "ghi số văn thư đã cấp, ví dụ number: 15" in err
    assert f"{data}:{submission + 1}:5: dossier.submission.date: bản phát hành cần ngày ban hành đầy đủ" in err
    assert "dossier.decision" not in err  # numbered later, by the authority: the set is submitted first
    assert "ví dụ date: 20/03/2026" in err
    assert not (tmp_path / "output").exists()


def test_rolling_over_a_plan_still_a_draft_says_so(tmp_path, capsys):
    from generator.cli import main

    text = write_plan(tmp_path).read_text(encoding="utf-8").replace("number: 617\n", "")
    draft = tmp_path / "kế hoạch 2025.yaml"
    draft.write_text(text, encoding="utf-8")
    assert main(["rollover", str(draft), "--year", "2026"]) == 0
    out = capsys.readouterr().out
    assert f"Lưu ý: {draft}: kế hoạch năm 2025 chưa có số (vẫn là dự thảo)" in out
    assert f'kehoach render "{draft}" --final --number SỐ --date NGÀY' in out
    new = yaml.safe_load((tmp_path / "kế hoạch 2026.yaml").read_text(encoding="utf-8"))
    assert new["subject"] == "Cải cách hành chính năm 2026" and new["date"] == "2026-02"
    # An issued plan rolls over without the word.
    assert main(["rollover", str(write_plan(tmp_path, "kh.yaml")), "--year", "2026"]) == 0
    assert "Lưu ý" not in capsys.readouterr().out


def _with_number_and_day(text: str) -> str:
    """The data with a number and a full date of its own at the top level."""
    import yaml

    data = yaml.safe_load(text)
    data["number"] = 12
    data["date"] = "20/01/2026"
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def test_a_dossiers_plan_is_issued_by_its_dossier_never_alone(tmp_path, capsys):
    """The plan of a dossier goes out with its decision: `render --final` (or a signing copy) of it
    alone would issue a plan numbered on its own, registered and recorded beside the dossier. It is
    refused, naming the command that issues it; the rollover of the dossier still a draft says the
    same, never `render --final --number`."""
    from generator.cli import main

    data = tmp_path / "hồ sơ 2026.yaml"
    data.write_bytes((ROOT / "data" / "ho-so-ke-hoach-tuyen-truyen-cchc-2026.yaml").read_bytes())
    before = data.read_bytes()
    for extra in (["--number", "30", "--date", "20/01/2026"], ["--unnumbered"]):
        assert main(["render", str(data), "--final", *extra]) == 2
        err = capsys.readouterr().err
        assert f"{data}: tệp có mục dossier" in err and f'kehoach dossier "{data}" --final' in err, err
    assert data.read_bytes() == before and not (tmp_path / "output").exists()
    assert main(["render", str(data)]) == 0  # a draft to read stays what it was
    capsys.readouterr()
    # A number written at the top of the data would make plain render issue the plan on its own.
    numbered = tmp_path / "hồ sơ có số.yaml"
    text = before.decode("utf-8")
    assert "\nnumber:" not in text
    numbered.write_text(_with_number_and_day(text), encoding="utf-8")
    made = set((tmp_path / "output").iterdir())
    assert main(["render", str(numbered)]) == 2
    err = capsys.readouterr().err
    assert f"{numbered}: tệp có mục dossier" in err and "bỏ dòng number:" in err, err
    assert set((tmp_path / "output").iterdir()) == made  # no final, no register entry

    assert main(["rollover", str(data), "--year", "2027"]) == 0
    out = capsys.readouterr().out
    assert f"Lưu ý: {data}: hồ sơ trình năm 2026 chưa đủ số, ngày (vẫn là dự thảo)" in out
    assert f'kehoach dossier "{data}" --final' in out and "--number SỐ" not in out


def test_a_report_from_sheets_nobody_filled_is_refused(tmp_path, capsys):
    from generator.cli import main

    plan, sheet = _sheet(tmp_path)
    out = tmp_path / "bao-cao.yaml"
    assert main(["report", str(plan), "--progress", str(sheet), "--as-of", "30/9/2025", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "tien-do.xlsx: chưa có nhiệm vụ nào được báo tình trạng" in err and "Traceback" not in err
    assert not out.exists()


def test_a_column_inserted_by_a_unit_keeps_every_answer_in_its_column(tmp_path):
    plan, sheet = _sheet(tmp_path)
    wb = openpyxl.load_workbook(sheet)
    ws = wb["Tiến độ"]
    rows = _rows_of(ws)
    ws.insert_cols(4)  # "Người thực hiện" between Chủ trì and Thời hạn: Tình trạng is now F
    ws.cell(row=3, column=4, value="Người thực hiện")
    ws.cell(row=rows[ROWS[0]], column=4, value="Nguyễn Văn B")
    ws.cell(row=rows[ROWS[0]], column=6, value="Hoàn thành")
    ws.cell(row=rows[ROWS[0]], column=7, value="1/8/2025")
    ws.cell(row=rows[ROWS[0]], column=8, value="Kế hoạch số 12")
    ws.cell(row=rows[ROWS[1]], column=6, value="Xong")
    wb.save(tmp_path / "them-cot.xlsx")
    with pytest.raises(ProgressError) as caught:
        read_progress(load_plan(plan), [tmp_path / "them-cot.xlsx"])
    assert caught.value.problems == [f"them-cot.xlsx: Tiến độ!F{rows[ROWS[1]]}: tình trạng “Xong” không có trong "
                                     "danh sách; chọn một trong: Hoàn thành, Đang thực hiện, Chưa thực hiện"]
    ws.cell(row=rows[ROWS[1]], column=6).value = None
    wb.save(tmp_path / "them-cot.xlsx")
    (said,) = read_progress(load_plan(plan), [tmp_path / "them-cot.xlsx"]).by_key.values()
    assert (said.status, said.done_on, said.result) == ("Hoàn thành", dt.date(2025, 8, 1), "Kế hoạch số 12")


def test_rollover_writes_the_draft_date_the_way_the_file_writes_dates(tmp_path):
    from generator.jobs.rollover import rollover_file

    text = write_plan(tmp_path).read_text(encoding="utf-8").replace("date: 2025-02-10", "date: 10/02/2025")
    plan = tmp_path / "kh-2025.yaml"
    plan.write_text(text, encoding="utf-8")
    new = rollover_file(plan, 2026).output
    written = new.read_text(encoding="utf-8")
    assert "\ndate: 02/2026\n" in written
    loaded = load_plan(new)
    assert (loaded.date.year, loaded.date.month, loaded.date.day) == (2026, 2, None)
    iso = write_plan(tmp_path, "iso-2025.yaml")  # written 2025-02-10: stays ISO
    assert "\ndate: 2026-02\n" in rollover_file(iso, 2026).output.read_text(encoding="utf-8")


def test_a_folder_given_as_output_gets_the_sheet_and_the_report_inside_it(tmp_path, capsys):
    from generator.cli import main

    plan = write_plan(tmp_path, "kế hoạch cchc.yaml")
    folder = tmp_path / "Gửi đơn vị"
    folder.mkdir()
    assert main(["progress", str(plan), "-o", str(folder)]) == 0
    sheet = folder / "tien-do-kế hoạch cchc.xlsx"
    assert openpyxl.load_workbook(sheet)["Tiến độ"]["E3"].value == "Tình trạng"
    wb = openpyxl.load_workbook(sheet)
    wb["Tiến độ"]["E4"] = "Đang thực hiện"
    wb.save(tmp_path / "đã điền.xlsx")
    capsys.readouterr()
    assert main(["report", str(plan), "--progress", str(tmp_path / "đã điền.xlsx"), "--as-of", "30/9/2025",
                 "-o", str(folder)]) == 0
    report = folder / "bao-cao-kế hoạch cchc.yaml"
    assert yaml.safe_load(report.read_text(encoding="utf-8"))["type"] == "Báo cáo"
    assert f'kehoach render "{report}"' in capsys.readouterr().out


def test_a_report_day_years_away_from_the_plan_is_a_warning(tmp_path):
    plan, sheet = _sheet(tmp_path)
    wb = openpyxl.load_workbook(sheet)
    wb["Tiến độ"]["E4"] = "Đang thực hiện"
    wb.save(tmp_path / "f.xlsx")
    result = build_report(plan, [tmp_path / "f.xlsx"], "30/9/2052", tmp_path / "bc.yaml")
    assert any("ngày báo cáo 30/09/2052 cách xa năm 2025 của kế hoạch" in w for w in result.warnings)
    assert result.total.by_state["overdue"] >= 1  # what the warning is about
    result = build_report(plan, [tmp_path / "f.xlsx"], "30/9/2025", tmp_path / "bc2.yaml")
    assert not any("cách xa" in w for w in result.warnings)


def test_a_sheet_made_from_the_draft_is_this_plans_after_its_issue(tmp_path):
    from generator.jobs.issue import issue_file

    text = write_plan(tmp_path).read_text(encoding="utf-8").replace("number: 617\n", "")
    plan = tmp_path / "kh.yaml"
    plan.write_text(text, encoding="utf-8")
    sheet = write_progress_sheet(plan, tmp_path / "t.xlsx").output  # sent out while still a draft
    wb = openpyxl.load_workbook(sheet)
    wb["Tiến độ"]["E4"] = "Đang thực hiện"
    wb.save(tmp_path / "f.xlsx")
    issue_file(plan, final=True, number=617, date="10/2/2025")
    issued = load_plan(plan)
    assert issued.number == 617
    progress = read_progress(issued, [tmp_path / "f.xlsx"])
    assert len(progress.by_key) == 1 and progress.warnings == []


def test_a_two_digit_year_for_rollover_is_said_as_such(tmp_path, capsys):
    from generator.cli import main

    plan = write_plan(tmp_path)
    assert main(["rollover", str(plan), "--year", "26"]) == 2
    assert "--year 26: ghi năm đủ bốn chữ số, ví dụ --year 2026" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ke-hoach.yaml"]


@pytest.mark.parametrize("text, due", [
    ("Tháng 6 - 9/2025", dt.date(2025, 9, 30)),  # a range of months, not the day 6/9
    ("Tháng 11-12/2025", dt.date(2025, 12, 31)),  # not 11/12/2025
    ("6/2025", dt.date(2025, 6, 30)), ("06/2025", dt.date(2025, 6, 30)),  # not the year's end
    ("T6/2025", dt.date(2025, 6, 30)), ("Từ 01/2025 - 12/2025", dt.date(2025, 12, 31)),
    ("Tháng 6, 30/9/2025", dt.date(2025, 9, 30)), ("Tháng 3/2025, 15/6/2025", dt.date(2025, 6, 15)),
])
def test_deadlines_staff_write_with_months_in_figures(text, due):
    from generator.plan.deadlines import read_deadline

    read = read_deadline(text, 2025)
    assert (read.kind, read.due) == ("date", due)


def test_a_task_due_in_june_written_6_2025_is_overdue_in_the_report(tmp_path):
    text = write_plan(tmp_path).read_text(encoding="utf-8").replace(
        "{content: Khảo sát sự hài lòng của người dân, lead: [cchc], time: Năm 2025}",
        "{content: Khảo sát sự hài lòng của người dân, lead: [cchc], time: 6/2025}")
    plan = tmp_path / "kh.yaml"
    plan.write_text(text, encoding="utf-8")
    sheet = write_progress_sheet(plan, tmp_path / "t.xlsx").output
    wb = openpyxl.load_workbook(sheet)
    ws = wb["Tiến độ"]
    ws.cell(row=_rows_of(ws)["Khảo sát sự hài lòng của người dân"], column=5, value="Đang thực hiện")
    wb.save(tmp_path / "f.xlsx")
    out = tmp_path / "bc.yaml"
    result = build_report(plan, [tmp_path / "f.xlsx"], AS_OF, out)
    assert "Khảo sát sự hài lòng của người dân" in [s.task.content for s in result.overdue]
    assert "Khảo sát sự hài lòng của người dân" in out.read_text(encoding="utf-8")


def test_a_declared_unit_written_by_its_abbreviation_is_that_unit(tmp_path):
    text = write_plan(tmp_path).read_text(encoding="utf-8").replace(
        "{content: Sắp xếp các phòng chuyên môn, lead: [tccb]", "{content: Sắp xếp các phòng chuyên môn, lead: [TCCB]")
    plan = tmp_path / "kh.yaml"
    plan.write_text(text, encoding="utf-8")
    sheet = write_progress_sheet(plan, tmp_path / "don-vi.xlsx", per_unit=True)
    wb = openpyxl.load_workbook(sheet.output)
    assert "TCCB" not in wb.sheetnames
    ws = wb["Phòng Tổ chức cán bộ"]
    assert sorted(ws.cell(row=r, column=2).value for r in range(4, ws.max_row + 1)) == [
        "Sắp xếp các phòng chuyên môn", "Xây dựng vị trí việc làm"]
    ws["E4"] = "Đang thực hiện"
    wb.save(tmp_path / "f.xlsx")
    out = tmp_path / "bc.yaml"
    build_report(plan, [tmp_path / "f.xlsx"], AS_OF, out)
    annex = yaml.safe_load(out.read_text(encoding="utf-8"))["appendices"][0]["table"]["rows"]
    units = [r for g in annex if isinstance(g, dict) and "đơn vị" in g.get("group", "") for r in g["rows"]]
    assert [r[1] for r in units if "cán bộ" in r[1] or r[1] == "TCCB"] == ["Phòng Tổ chức cán bộ"]
    assert next(r for r in units if r[1] == "Phòng Tổ chức cán bộ")[2] == "2"


def _dossier_with(tmp_path: Path, submitted: str, decided: str, commented: str) -> Path:
    text = (ROOT / "data" / "ho-so-ke-hoach-tuyen-truyen-cchc-2026.yaml").read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    out = []
    for line in lines:
        out.append(line)
        if line.startswith("  submission:"):
            out.append(f"    number: 108\n    date: {submitted}\n")
        elif line.startswith("  decision:"):
            out.append(f"    number: 25\n    date: {decided}\n")
        elif line.startswith("dossier:"):
            out.append(f"  comment_report: {{number: 7, date: {commented}}}\n")
    data = tmp_path / "hồ sơ trình.yaml"
    data.write_text("".join(out), encoding="utf-8")
    return data


def test_a_final_dossier_dated_out_of_order_is_refused_at_its_lines(tmp_path, capsys):
    from generator.cli import main

    data = _dossier_with(tmp_path, "22/1/2026", "2026-1-20", "25/01/2026")
    lines = data.read_text(encoding="utf-8").splitlines()
    decision_date = next(i for i, line in enumerate(lines, 1) if "date: 2026-1-20" in line)
    assert main(["dossier", str(data), "--final", "-o", str(tmp_path / "hs")]) == 2
    err = capsys.readouterr().err
    assert (f"{data}:{decision_date}:11: dossier.decision.date: Quyết định ngày 20/01/2026 trước Tờ trình ngày "
            "22/01/2026 mà nó dẫn") in err
    assert "dossier.comment_report.date: bảng tổng hợp ý kiến ngày 25/01/2026 sau Tờ trình ngày 22/01/2026" in err
    assert not (tmp_path / "hs").exists()
    data = _dossier_with(tmp_path, "12/1/2026", "2026-1-20", "09/01/2026")
    assert main(["dossier", str(data), "--final", "-o", str(tmp_path / "hs")]) == 0
    decision = next((tmp_path / "hs").glob("*quyet-dinh-so-25.docx"))
    assert "tại Tờ trình số 108/TTr-SNV ngày 12/01/2026" in _docx_text(decision)


def test_a_password_protected_filled_sheet_is_named_as_such(tmp_path):
    plan, _ = _sheet(tmp_path)
    # An encrypted .xlsx is an OLE compound file holding an "EncryptedPackage" stream.
    locked = tmp_path / "có mật khẩu.xlsx"
    locked.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "EncryptedPackage".encode("utf-16-le")
                       + b"\0" * 512)
    with pytest.raises(Exception, match="được đặt mật khẩu") as caught:
        read_progress(load_plan(plan), [locked])
    assert "bỏ mật khẩu" in str(caught.value)


def test_a_hand_typed_plan_issued_with_its_decision_goes_out_passing_check(tmp_path):
    """A plan issued with its decision typed by hand (own_number: false, its subtitle citing the decision,
    its danh mục's line left to kehoach): issued by its date alone, its danh mục cites the plan as its
    head does, by the decision, never by a number the plan does not have; the issued file passes check."""
    from generator.check import check_docx
    from generator.cli import main
    from tests.year_fixtures import write_plan_issued_with_decision

    cited = "Quyết định số 25/QĐ-SNV ngày 10/02/2025 của Sở Nội vụ"
    data = write_plan_issued_with_decision(tmp_path, date="2025-02")
    assert main(["render", str(data), "--final", "--date", "10/02/2025", "-o", str(tmp_path)]) == 0
    issued = tmp_path / "ke-hoach-kem-qd-ban-hanh.docx"
    text = _docx_text(issued)
    assert f"(Kèm theo Kế hoạch ban hành kèm theo {cited})" in text
    assert "/KH-SNV" not in text
    report = check_docx(issued)
    assert report.errors == [], report.to_table()


def test_the_year_of_a_plan_imported_with_its_decision(dossiers, tmp_path):  # noqa: F811
    """The walk from the decision and plan in one file, as the văn thư receives them: imported, the
    sheet and the report name the plan by its decision (no "dự thảo", no number it lacks), the report
    passes check; next year's draft cites a blank decision of its year and passes check too."""
    from generator.check import check_docx
    from generator.cli import main
    from generator.jobs.importer import import_file
    from generator.jobs.rollover import rollover_file
    from tests.test_attached_plan import join
    from tests.year_fixtures import fill

    made = dossiers["final"]
    data = tmp_path / "kh-2026.yaml"
    import_file(join(made["quyet-dinh"], made["ke-hoach"], tmp_path / "qd-kh.docx"), data, force=True)
    cited = "Kế hoạch ban hành kèm theo Quyết định số 25/QĐ-UBND ngày 20/01/2026"
    sheet = write_progress_sheet(data, tmp_path / "tien-do.xlsx").output
    assert openpyxl.load_workbook(sheet)["Tiến độ"]["A1"].value == f"TIẾN ĐỘ THỰC HIỆN {cited.upper()}"
    from generator.plan.tasks import plan_tasks

    task = plan_tasks(load_plan(data))[0].content
    filled = fill(sheet, tmp_path / "da-dien.xlsx", {task: ("Hoàn thành", "01/3/2026", None)})
    report = tmp_path / "bao-cao.yaml"
    build_report(data, [filled], dt.date(2026, 9, 30), report)
    assert main(["render", str(report), "-o", str(tmp_path / "bao-cao.docx")]) == 0
    text = _docx_text(tmp_path / "bao-cao.docx")
    assert f"Kết quả thực hiện {cited}" in " ".join(text.split()) and "(dự thảo)" not in text.lower()  # the report is a draft: the plan no
    assert not check_docx(tmp_path / "bao-cao.docx").errors
    nxt = rollover_file(data, 2027)
    assert not nxt.notes
    assert main(["render", str(nxt.output), "-o", str(tmp_path / "kh-2027.docx")]) == 0
    drafted = _docx_text(tmp_path / "kh-2027.docx")
    assert "Quyết định số      /QĐ-UBND ngày     /01/2027" in drafted and "25/QĐ" not in drafted
    assert not check_docx(tmp_path / "kh-2027.docx").errors


def test_a_plan_whose_dossier_is_issued_goes_on_under_its_decision(tmp_path):
    """The dossier's data file, its Tờ trình, Quyết định and comment table numbered and dated: the plan
    went out with the decision, so the year names it by that decision (progress sheet, report), never
    as a draft, and rollover asks for no number of its own. A dossier not issued yet is the draft."""
    from generator.jobs.rollover import rollover_file

    issued = _dossier_with(tmp_path, "12/1/2026", "2026-1-20", "09/01/2026")
    sheet = write_progress_sheet(issued, tmp_path / "tien-do.xlsx").output
    head = openpyxl.load_workbook(sheet)["Tiến độ"]["A1"].value
    assert head.startswith("TIẾN ĐỘ THỰC HIỆN KẾ HOẠCH BAN HÀNH KÈM THEO QUYẾT ĐỊNH SỐ 25/QĐ-UBND NGÀY 20/01/2026")
    book = openpyxl.load_workbook(sheet)
    book["Tiến độ"].cell(row=4, column=5, value="Đang thực hiện")  # one unit's answer
    book.save(tmp_path / "da-dien.xlsx")
    report = tmp_path / "bao-cao.yaml"
    build_report(issued, [tmp_path / "da-dien.xlsx"], AS_OF, report)
    written = report.read_text(encoding="utf-8")
    assert "Kế hoạch ban hành kèm theo Quyết định số 25/QĐ-UBND ngày 20/01/2026" in written
    assert "dự thảo" not in written.lower()
    rolled = rollover_file(issued, 2027, tmp_path / "nam-sau.yaml")
    assert not [n for n in rolled.notes if "chưa có số" in n or "chưa có ngày" in n], rolled.notes

    draft = ROOT / "data" / "ho-so-ke-hoach-tuyen-truyen-cchc-2026.yaml"
    head = openpyxl.load_workbook(write_progress_sheet(draft, tmp_path / "du-thao.xlsx").output)["Tiến độ"]["A1"].value
    assert "(DỰ THẢO)" in head
