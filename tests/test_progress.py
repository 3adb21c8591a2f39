"""The progress sheet: deadlines read from the words staff write, the sheet written (a row per task,
the drop-down, the hidden key), filled sheets read back with every bad cell and contradiction."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from generator.cli import main
from generator.errors import OutputExistsError
from generator.jobs.progress import (
    HEADERS,
    STATUSES,
    ProgressError,
    read_progress,
    write_progress_sheet,
)
from generator.plan.deadlines import plan_year, read_deadline
from generator.plan.loader import load_plan
from generator.plan.tasks import plan_tasks
from tests.paths import ROOT
from tests.year_fixtures import fill, write_plan

D = dt.date


@pytest.mark.parametrize("text, due", [
    ("Quý IV/2025", D(2025, 12, 31)), ("Quí IV-2025", D(2025, 12, 31)), ("quý 4 năm 2025", D(2025, 12, 31)),
    ("QUÝ I/2026", D(2026, 3, 31)), ("Trong quý I năm 2026", D(2026, 3, 31)), ("Q3/2025", D(2025, 9, 30)),
    ("Xong trong Quý II/2026", D(2026, 6, 30)), ("Quý II - III/2026", D(2026, 9, 30)),
    ("Tháng 6/2025", D(2025, 6, 30)), ("tháng 02/2024", D(2024, 2, 29)), ("Tháng 12 năm 2025", D(2025, 12, 31)),
    ("Từ tháng 3 đến tháng 6/2025", D(2025, 6, 30)), ("Trước 30/6/2025", D(2025, 6, 30)),
    ("Trước ngày 30/6/2025", D(2025, 6, 30)), ("30-6-2025", D(2025, 6, 30)), ("30.6.2025", D(2025, 6, 30)),
    ("ngày 30 tháng 6 năm 2025", D(2025, 6, 30)), ("Năm 2025", D(2025, 12, 31)),
    ("Trong năm 2026", D(2026, 12, 31)), ("2025 - 2026", D(2026, 12, 31)), ("Cuối năm 2025", D(2025, 12, 31)),
    ("6 tháng đầu năm 2025", D(2025, 6, 30)), ("6 tháng cuối năm 2025", D(2025, 12, 31)),
    ("Ban hành kế hoạch chậm nhất là ngày 15/4/2026 và tổ chức thực hiện", D(2026, 4, 15)),
    ("Ban hành trước 15/01/2026, tổ chức thực hiện trong quý II/2026", D(2026, 6, 30)),
    ("Ban hành kế hoạch trong tháng 01/2026 và tổ chức thực hiện", D(2026, 1, 31)),
    ("Từ 01/3 đến 30/6/2025", D(2025, 6, 30)), ("Quý I và quý II năm 2026", D(2026, 6, 30)),
    ("Hoàn thành trong tháng 6/2025", D(2025, 6, 30)), ("2025", D(2025, 12, 31)),
])
def test_dated_deadlines(text, due):
    d = read_deadline(text)
    assert (d.kind, d.due) == ("date", due)
    assert d.overdue(due + dt.timedelta(days=1)) and not d.overdue(due)


@pytest.mark.parametrize("text", ["Thường xuyên", "Thường xuyên trong năm", "Hằng năm", "Hàng năm",
                                  "Định kỳ hằng tháng", "Thực hiện thường xuyên khi có yêu cầu của bộ",
                                  "Trước ngày 05 của tháng liền kề"])
def test_recurring_deadlines_are_never_overdue(text):
    d = read_deadline(text)
    assert d.kind == "recurring" and not d.overdue(D(2100, 1, 1))


@pytest.mark.parametrize("text", ["Theo kế hoạch của tỉnh", "Theo hướng dẫn của Trung ương",
                                  "Trước ngày 31/01 năm liền kề", "Sau 03 tháng kể từ khi có văn bản",
                                  "Đầu năm 2026", "Bắt đầu thực hiện từ năm 2026", "31/2/2025", "Tháng 13/2025",
                                  "Quý II", "Tháng 6", "khi nào xong"])
def test_unreadable_deadlines_are_not_guessed(text):
    d = read_deadline(text)
    assert d.kind == "unreadable" and d.due is None and not d.overdue(D(2100, 1, 1))


def test_a_year_less_deadline_takes_the_plans_year_when_known():
    assert read_deadline("Quý II", 2026).due == D(2026, 6, 30)
    assert read_deadline("Trước 30/6", 2026).due == D(2026, 6, 30)
    assert read_deadline("Quý II", 2026).year_assumed
    assert read_deadline("", 2026).kind == "none"
    # The year a plan is for is the one its trích yếu names: a 2026 plan is issued in 12/2025.
    assert plan_year("Cải cách hành chính năm 2026", 2025) == 2026
    assert plan_year("Cải cách hành chính giai đoạn 2026 - 2030", 2025) is None
    assert plan_year("Tuyên truyền bầu cử", 2026) == 2026


def test_the_sheet_has_a_row_per_task_with_the_drop_down_and_a_hidden_key(tmp_path, capsys):
    plan_path = write_plan(tmp_path)
    out = tmp_path / "tien-do.xlsx"
    assert main(["progress", str(plan_path), "-o", str(out)]) == 0
    # The one deadline no report could count is said at once, before the sheet goes to the units.
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "“Theo hướng dẫn của Bộ Nội vụ” không đọc được" in err[0]
    tasks = plan_tasks(load_plan(plan_path))
    assert len(tasks) == 10  # 2 in the body's table, 8 in the catalogue
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == "Tiến độ"
    ws = wb["Tiến độ"]
    assert tuple(c.value for c in ws[3]) == HEADERS
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=4) if row[1].value]
    assert [r[1] for r in rows] == [t.content for t in tasks]
    assert [r[2] for r in rows][:3] == ["Văn phòng Sở", "Phòng Cải cách hành chính", "Văn phòng Sở"]
    assert rows[3][3] == "Quí IV-2025" and rows[0][0] == 1 and rows[-1][0] == 10
    assert len({r[7] for r in rows}) == 10 and ws.column_dimensions["H"].hidden
    (dv,) = ws.data_validations.dataValidation
    assert dv.type == "list" and dv.formula1 == '"' + ",".join(STATUSES) + '"'
    assert str(dv.sqref) == "E4:E13"
    # Never over a file: a filled sheet must not be lost to a second run.
    with pytest.raises(OutputExistsError):
        write_progress_sheet(plan_path, out)


def test_per_unit_sheets_each_hold_the_units_tasks(tmp_path):
    plan_path = write_plan(tmp_path)
    result = write_progress_sheet(plan_path, tmp_path / "don-vi.xlsx", per_unit=True)
    assert result.sheets == ["Văn phòng Sở", "Phòng Cải cách hành chính", "Phòng Tổ chức cán bộ"]
    wb = openpyxl.load_workbook(result.output)
    contents = {name: [r[1].value for r in wb[name].iter_rows(min_row=4)] for name in result.sheets}
    assert "Số hóa hồ sơ thủ tục hành chính" in contents["Văn phòng Sở"]  # two lead units: in both
    assert "Số hóa hồ sơ thủ tục hành chính" in contents["Phòng Cải cách hành chính"]
    assert contents["Phòng Tổ chức cán bộ"] == ["Sắp xếp các phòng chuyên môn", "Xây dựng vị trí việc làm"]


def test_a_long_unit_name_is_cut_between_words_for_its_sheet():
    from generator.jobs.progress import _sheet_title

    # Excel allows 31 characters; cut inside a word "giải quyết" would read "giả" (fake).
    used: set[str] = set()
    long = "Các phòng, đơn vị thực hiện giải quyết thủ tục hành chính"
    first, second = _sheet_title(long, used), _sheet_title(long, used)
    assert first == "Các phòng, đơn vị thực hiện…" and len(first) <= 31
    assert second.endswith("… (2)") and len(second) <= 31 and second.casefold() != first.casefold()
    assert all(w in long.replace(",", "").split() for w in first.rstrip("…").replace(",", "").split())
    assert _sheet_title("Văn phòng Sở", used) == "Văn phòng Sở"


def test_filled_sheets_map_back_after_sorting(tmp_path):
    plan_path = write_plan(tmp_path)
    sheet = write_progress_sheet(plan_path, tmp_path / "tien-do.xlsx").output
    filled = fill(sheet, tmp_path / "filled.xlsx", {
        "Ban hành kế hoạch kiểm tra văn bản": ("Hoàn thành", dt.datetime(2025, 8, 1), "Kế hoạch số 12"),
        "Sắp xếp các phòng chuyên môn": ("đang  thực hiện", None, None),
        "Công bố danh mục thủ tục hành chính": ("Hoàn thành", "15/7/2025", None),
    })
    plan = load_plan(plan_path)
    progress = read_progress(plan, [filled])
    by_content = {t.content: progress.by_key.get(t.key) for t in plan_tasks(plan)}
    assert by_content["Ban hành kế hoạch kiểm tra văn bản"].done_on == D(2025, 8, 1)
    assert by_content["Ban hành kế hoạch kiểm tra văn bản"].result == "Kế hoạch số 12"
    assert by_content["Sắp xếp các phòng chuyên môn"].status == "Đang thực hiện"
    assert by_content["Công bố danh mục thủ tục hành chính"].done_on == D(2025, 7, 15)
    assert by_content["Xây dựng vị trí việc làm"] is None  # not reported


def test_every_bad_cell_and_contradiction_is_reported_at_once(tmp_path):
    plan_path = write_plan(tmp_path)
    sheet = write_progress_sheet(plan_path, tmp_path / "tien-do.xlsx").output
    a = fill(sheet, tmp_path / "a.xlsx", {
        "Ban hành kế hoạch kiểm tra văn bản": ("Xong rồi", None, None),
        "Rà soát văn bản quy phạm pháp luật": ("Hoàn thành", "31/2/2025", None),
        "Khảo sát sự hài lòng của người dân": ("Đang thực hiện", "01/8/2025", None),
        "Số hóa hồ sơ thủ tục hành chính": ("Hoàn thành", "20/6/2025", None),
    })
    b = fill(sheet, tmp_path / "b.xlsx", {"Số hóa hồ sơ thủ tục hành chính": ("Đang thực hiện", None, None)})
    with pytest.raises(ProgressError) as caught:
        read_progress(load_plan(plan_path), [a, b])
    problems = caught.value.problems
    text = "\n".join(problems)
    assert len(problems) == 4, text
    wb = openpyxl.load_workbook(a)
    row_of = {r[1].value: r[1].row for r in wb["Tiến độ"].iter_rows(min_row=4)}
    assert f"a.xlsx: Tiến độ!E{row_of['Ban hành kế hoạch kiểm tra văn bản']}: tình trạng “Xong rồi”" in text
    assert "chọn một trong: Hoàn thành, Đang thực hiện, Chưa thực hiện" in text
    assert f"Tiến độ!F{row_of['Rà soát văn bản quy phạm pháp luật']}: ngày hoàn thành “31/2/2025” tháng 2/2025 không có ngày 31" in text
    assert "ví dụ 30/06/2025" in text
    # Typed 01/8/2025, said back as staff write dates: 01/08/2025.
    assert "có ngày hoàn thành 01/08/2025 nhưng tình trạng là “Đang thực hiện”" in text
    contradiction = next(p for p in problems if p.startswith("nhiệm vụ “Số hóa"))
    assert "a.xlsx" in contradiction and "b.xlsx" in contradiction and "Hoàn thành" in contradiction


def test_sheets_sent_back_under_one_name_are_told_apart(tmp_path):
    """Units send back the sheet under the name it went out with, each into a folder of its own: a
    bad cell names which of the same-named files it is in."""
    plan_path = write_plan(tmp_path)
    sheet = write_progress_sheet(plan_path, tmp_path / "tien-do.xlsx").output
    (tmp_path / "vp").mkdir()
    (tmp_path / "snv").mkdir()
    good = fill(sheet, tmp_path / "vp" / "tien-do.xlsx",
                {"Số hóa hồ sơ thủ tục hành chính": ("Đang thực hiện", None, None)})
    bad = fill(sheet, tmp_path / "snv" / "tien-do.xlsx", {"Ban hành kế hoạch kiểm tra văn bản": ("Xong", None, None)})
    with pytest.raises(ProgressError) as caught:
        read_progress(load_plan(plan_path), [good, bad])
    assert [p.split(": Tiến độ!")[0] for p in caught.value.problems] == ["tien-do.xlsx (tệp thứ 2 cùng tên)"]
    # A name given once stays the name alone.
    with pytest.raises(ProgressError) as caught:
        read_progress(load_plan(plan_path), [bad])
    assert caught.value.problems[0].startswith("tien-do.xlsx: Tiến độ!E")


def test_a_sheet_of_another_plan_is_refused_by_task(tmp_path):
    plan_path = write_plan(tmp_path)
    other = tmp_path / "other.yaml"
    other.write_text(plan_path.read_text(encoding="utf-8").replace("Sắp xếp các phòng", "Sắp xếp lại các phòng"),
                     encoding="utf-8")
    sheet = write_progress_sheet(other, tmp_path / "other.xlsx").output
    filled = fill(sheet, tmp_path / "f.xlsx", {"Sắp xếp lại các phòng chuyên môn": ("Hoàn thành", None, None)})
    with pytest.raises(ProgressError, match="không có trong kế hoạch này"):
        read_progress(load_plan(plan_path), [filled])
    # A row of a task both plans share still reads, with a word that the sheet is another plan's.
    other.write_text(other.read_text(encoding="utf-8").replace("number: 617", "number: 618"), encoding="utf-8")
    sheet = write_progress_sheet(other, tmp_path / "other-618.xlsx").output
    filled = fill(sheet, tmp_path / "g.xlsx", {"Cập nhật cơ sở dữ liệu văn bản": ("Hoàn thành", None, None)})
    progress = read_progress(load_plan(plan_path), [filled])
    assert len(progress.by_key) == 1
    assert any("bảng được tạo cho “Kế hoạch số 618/KH-SNV" in w for w in progress.warnings)


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path):
    plan = load_plan(write_plan(tmp_path))
    bogus = tmp_path / "x.xlsx"
    bogus.write_bytes(b"not a zip at all")
    with pytest.raises(Exception, match="không phải tệp Excel"):
        read_progress(plan, [bogus])


def test_the_corpus_task_matrix_gives_a_row_per_task(tmp_path):
    corpus = ROOT.parent / "shared" / "corpus" / "ke-hoach" / "lamdong-ubnd-kh-cchc-nam-2026.docx"
    if not corpus.exists():
        pytest.skip("corpus not present")
    data = tmp_path / "kh.yaml"
    assert main(["import", str(corpus), "-o", str(data)]) == 0
    tasks = plan_tasks(load_plan(data))
    # Groups written as rows ("I" in the STT cell) are groups, not tasks; every numbered row is one.
    assert len(tasks) > 40 and all(t.number.isdigit() for t in tasks)
    assert len({t.group for t in tasks}) >= 5
    out = write_progress_sheet(data, tmp_path / "t.xlsx").output
    ws = openpyxl.load_workbook(out)["Tiến độ"]
    assert sum(1 for r in ws.iter_rows(min_row=4) if r[1].value) == len(tasks)


def test_a_workbook_with_a_dtd_is_refused_before_parsing(tmp_path):
    import zipfile

    plan_path = write_plan(tmp_path)
    sheet = write_progress_sheet(plan_path, tmp_path / "t.xlsx").output
    evil = tmp_path / "evil.xlsx"
    with zipfile.ZipFile(sheet) as src, zipfile.ZipFile(evil, "w") as dst:
        for name in src.namelist():
            blob = src.read(name)
            if name == "xl/worksheets/sheet1.xml":
                blob = b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + blob
            dst.writestr(name, blob)
    with pytest.raises(Exception, match="DTD"):
        read_progress(load_plan(plan_path), [evil])


def test_sheet_names_excel_accepts(tmp_path):
    from generator.jobs.progress import _sheet_title

    used: set[str] = set()
    assert _sheet_title("Phòng Kế hoạch/Tài chính [KHTC]", used) == "Phòng Kế hoạch-Tài chính -KHTC-"
    long = "Trung tâm Xúc tiến đầu tư, thương mại và du lịch tỉnh"
    first, second = _sheet_title(long, used), _sheet_title(long + " (cũ)", used)
    assert len(first) <= 31 and len(second) <= 31 and first != second


def test_the_sheets_example_date_is_of_the_plans_year(tmp_path):
    # A 2024 plan's sheet said "ví dụ 30/6/2025": an example from another year reads as a slip.
    from tests.paths import SAMPLE

    sheet = write_progress_sheet(SAMPLE, tmp_path / "t.xlsx").output
    note = openpyxl.load_workbook(sheet)["Tiến độ"]["A2"].value
    assert "ví dụ 30/06/2024" in note


@pytest.mark.parametrize("date, head", [
    ("2025-02-10", "TIẾN ĐỘ THỰC HIỆN KẾ HOẠCH BAN HÀNH KÈM THEO QUYẾT ĐỊNH SỐ 25/QĐ-SNV NGÀY 10/02/2025"),
    ("2025-02", "TIẾN ĐỘ THỰC HIỆN KẾ HOẠCH (DỰ THẢO) CẢI CÁCH HÀNH CHÍNH NĂM 2025"),
])
def test_a_plan_issued_with_its_decision_is_named_by_the_decision_not_as_a_draft(tmp_path, date, head):
    """Issued with a decision, a plan has no number of its own: its sheet names it by the decision
    its subtitle cites, as an issued plan, not "(DỰ THẢO)"; undated, it is still the draft."""
    from tests.year_fixtures import write_plan_issued_with_decision

    plan = write_plan_issued_with_decision(tmp_path, date=date)
    sheet = write_progress_sheet(plan, tmp_path / "tien-do.xlsx").output
    assert openpyxl.load_workbook(sheet)["Tiến độ"]["A1"].value == head
