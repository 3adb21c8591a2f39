"""A real-looking plan with dated tasks (written here, not copied from any agency's document): a
2025 plan of a province merged on 1 July 2025, with a task catalogue of three groups and a task
table in the body, deadlines written the ways offices write them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

PLAN = """\
agency:
  parent: UBND tỉnh Bình Thuận
  name: Sở Nội vụ
  abbreviation: SNV
  place: Bình Thuận
number: 617
date: 2025-02-10
subject: Cải cách hành chính năm 2025
units:
  vp: {name: Văn phòng Sở, abbreviation: VP}
  tccb: {name: Phòng Tổ chức cán bộ, abbreviation: TCCB}
  cchc: {name: Phòng Cải cách hành chính, abbreviation: CCHC}
sections:
  - title: Mục đích, yêu cầu
    blocks:
      - Nâng cao chất lượng phục vụ người dân và doanh nghiệp.
  - title: Nhiệm vụ trọng tâm
    blocks:
      - table:
          columns:
            - {title: STT, width: 1, align: center}
            - {title: Nội dung, width: 6}
            - {title: Chủ trì, width: 3}
            - {title: Thời hạn, width: 2, align: center}
          numbered: true
          rows:
            - [Rà soát quy chế làm việc của Sở, Văn phòng Sở, Quý I/2025]
            - [Phối hợp với UBND huyện Bắc Bình kiểm tra một cửa, Phòng Cải cách hành chính, Tháng 6/2025]
  - title: Tổ chức thực hiện
    blocks:
      - Các phòng và UBND huyện Hàm Thuận Bắc báo cáo kết quả về Văn phòng Sở trước ngày 15 hằng tháng.
recipients: [UBND tỉnh Bình Thuận, vp]
archive: [VT, vp]
signer: {name: Trần Văn An, title: Giám đốc}
appendices:
  - title: Danh mục
    subtitle: Nhiệm vụ cải cách hành chính năm 2025
    groups:
      - title: Cải cách thể chế
        tasks:
          - {content: Ban hành kế hoạch kiểm tra văn bản, lead: [vp], time: Quý IV/2025}
          - {content: Rà soát văn bản quy phạm pháp luật, lead: [vp], time: Quí IV-2025}
          - {content: Cập nhật cơ sở dữ liệu văn bản, lead: [vp], time: Thường xuyên}
      - title: Cải cách thủ tục hành chính
        tasks:
          - {content: Công bố danh mục thủ tục hành chính, lead: [cchc], time: Tháng 6/2025}
          - {content: Số hóa hồ sơ thủ tục hành chính, lead: [cchc, vp], time: Trước 30/6/2025}
          - {content: Khảo sát sự hài lòng của người dân, lead: [cchc], time: Năm 2025}
      - title: Cải cách tổ chức bộ máy
        tasks:
          - {content: Sắp xếp các phòng chuyên môn, lead: [tccb], time: Quý III/2025}
          - {content: Xây dựng vị trí việc làm, lead: [tccb], time: Theo hướng dẫn của Bộ Nội vụ}
"""

AS_OF = dt.date(2025, 9, 30)

FILLED = {  # what the units report on 30/9/2025, and how each task then counts
    "Rà soát quy chế làm việc của Sở": ("Hoàn thành", "15/3/2025", "Quy chế số 05"),  # on time
    "Phối hợp với UBND huyện Bắc Bình kiểm tra một cửa": ("Hoàn thành", "10/7/2025", None),  # late
    "Ban hành kế hoạch kiểm tra văn bản": ("Đang thực hiện", None, None),  # in progress
    "Cập nhật cơ sở dữ liệu văn bản": ("Hoàn thành", None, None),  # recurring: on time
    "Công bố danh mục thủ tục hành chính": ("Đang thực hiện", None, None),  # overdue since 30/6
    "Số hóa hồ sơ thủ tục hành chính": ("Hoàn thành", "25/6/2025", "100% hồ sơ"),  # on time
    "Khảo sát sự hài lòng của người dân": ("Chưa thực hiện", None, None),  # not started, not due
    "Sắp xếp các phòng chuyên môn": ("Hoàn thành", "30/9/2025", None),  # on time
    "Xây dựng vị trí việc làm": ("Đang thực hiện", None, None),  # unreadable deadline: never overdue
}  # "Rà soát văn bản quy phạm pháp luật" is not reported: not started, not due


def write_plan(folder: Path, name: str = "ke-hoach.yaml") -> Path:
    path = folder / name
    path.write_text(PLAN, encoding="utf-8")
    return path


def fill(sheet: Path, out: Path, rows: dict[str, tuple[str | None, object, str | None]],
         sheet_name: str = "Tiến độ") -> Path:
    """Fill a progress sheet as a unit would in Excel: by task content, after sorting the rows
    (Z to A) so that the hidden key, not the row, must carry each answer."""
    import openpyxl

    wb = openpyxl.load_workbook(sheet)
    ws = wb[sheet_name]
    body = [[c.value for c in row] for row in ws.iter_rows(min_row=4)]
    body.sort(key=lambda r: str(r[1]), reverse=True)
    for i, values in enumerate(body):
        for j, v in enumerate(values):
            ws.cell(row=4 + i, column=j + 1, value=v)
    for r in range(4, 4 + len(body)):
        content = ws.cell(row=r, column=2).value
        if content in rows:
            status, day, result = rows[content]
            ws.cell(row=r, column=5, value=status)
            ws.cell(row=r, column=6, value=day)
            ws.cell(row=r, column=7, value=result)
    wb.save(out)
    return out


ISSUED_WITH_DECISION = "(Ban hành kèm theo Quyết định số 25/QĐ-SNV ngày 10/02/2025 của Sở Nội vụ)"
"""The line under the trích yếu of the same plan issued with a decision, typed by hand."""


def write_plan_issued_with_decision(folder: Path, name: str = "ke-hoach-kem-qd.yaml", *, date: str = "2025-02-10") -> Path:
    """The plan issued with a Quyết định (own_number: false, its subtitle citing the decision), as a
    văn thư types it: no number of its own, the decision's date (a draft: the month alone)."""
    text = PLAN.replace("number: 617\ndate: 2025-02-10\n",
                        f"own_number: false\ndate: {date}\n").replace(
        "subject: Cải cách hành chính năm 2025\n",
        f"subject: Cải cách hành chính năm 2025\nsubtitle: \"{ISSUED_WITH_DECISION}\"\n")
    assert "own_number" in text and "subtitle" in text
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path
