"""Benchmark of the plan's year on a plan of 2,000 tasks (issue 25): the progress sheet, reading it
back filled, the Báo cáo data file, its rendering, and a rollover with progress.

    python benchmarks/bench_year.py                 # 2,000 tasks in 20 groups, 12 lead units
    python benchmarks/bench_year.py --tasks 10000

The plan is made here (no agency's text): a catalogue of --tasks tasks with deadlines written the
ways offices write them; the sheet is filled in code as units would fill it (a third done, a
third in progress). Each step is one library call, timed on its own; the figures are printed.
Target: each step in seconds, not minutes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEADLINES = ["Quý I/2025", "Quí II-2025", "Tháng 6/2025", "Trước 30/9/2025", "Năm 2025", "Thường xuyên",
             "Quý IV/2025", "Theo kế hoạch của tỉnh"]


def make_plan(folder: Path, tasks: int) -> Path:
    units = [f"u{i}" for i in range(12)]
    lines = ["agency: {parent: UBND tỉnh Lâm Đồng, name: Sở Nội vụ, abbreviation: SNV, place: Lâm Đồng}",
             "number: 617", "date: 2025-02-10", "subject: Cải cách hành chính năm 2025", "units:"]
    lines += [f"  {u}: {{name: Phòng số {i + 1}}}" for i, u in enumerate(units)]
    lines += ["sections:", "  - title: Nhiệm vụ", "    blocks: [Thực hiện các nhiệm vụ tại Danh mục kèm theo.]",
              "recipients: [UBND tỉnh Lâm Đồng]", "signer: {name: Trần Văn An, title: Giám đốc}",
              "appendices:", "  - title: Danh mục", "    groups:"]
    groups = 20
    for g in range(groups):
        lines.append(f"      - title: Nhóm nhiệm vụ số {g + 1}")
        lines.append("        tasks:")
        for t in range(tasks // groups):
            n = g * (tasks // groups) + t
            lines.append(f"          - {{content: Nhiệm vụ số {n + 1} của nhóm {g + 1}, lead: [{units[n % 12]}], "
                         f"time: '{DEADLINES[n % len(DEADLINES)]}'}}")
    path = folder / "ke-hoach.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def fill(sheet: Path, out: Path) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(sheet)
    ws = wb["Tiến độ"]
    for r in range(4, ws.max_row + 1):
        k = r % 3
        if k == 0:
            ws.cell(row=r, column=5, value="Hoàn thành")
            ws.cell(row=r, column=6, value=dt.datetime(2025, 5 + r % 6, 1))
        elif k == 1:
            ws.cell(row=r, column=5, value="Đang thực hiện")
    wb.save(out)


def timed(label: str, func, *args, **kwargs):
    start = time.perf_counter()
    value = func(*args, **kwargs)
    print(f"{label:<42} {time.perf_counter() - start:7.2f} s")
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", type=int, default=2000)
    args = parser.parse_args()

    from generator.jobs.issue import issue_file
    from generator.jobs.progress import read_progress, write_progress_sheet
    from generator.jobs.report import build_report
    from generator.jobs.rollover import rollover_file
    from generator.plan.loader import load_plan

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        plan = make_plan(folder, args.tasks)
        print(f"plan of {args.tasks} tasks ({plan.stat().st_size / 1024:.0f} KB)")
        sheet = timed("kehoach progress (sheet Tiến độ)", write_progress_sheet, plan, folder / "t.xlsx").output
        timed("kehoach progress --per-unit (12 sheets)", write_progress_sheet, plan, folder / "u.xlsx",
              per_unit=True)
        fill(sheet, folder / "filled.xlsx")
        loaded = load_plan(plan)
        progress = timed("reading the filled sheet", read_progress, loaded, [folder / "filled.xlsx"])
        result = timed("kehoach report (count, write bao-cao.yaml)", build_report, plan, [folder / "filled.xlsx"],
                       dt.date(2025, 9, 30), folder / "bao-cao.yaml")
        timed("kehoach render bao-cao.yaml", issue_file, folder / "bao-cao.yaml", folder / "bao-cao.docx")
        timed("kehoach rollover --progress", rollover_file, plan, 2026, folder / "2026.yaml",
              progress=[folder / "filled.xlsx"])
        print(f"reported {len(progress.by_key)} tasks; {result.total.sentence()}; "
              f"{len(result.overdue)} overdue; report .docx {(folder / 'bao-cao.docx').stat().st_size / 1024:.0f} KB")


if __name__ == "__main__":
    main()
