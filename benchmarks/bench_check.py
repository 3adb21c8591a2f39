"""Benchmark of `kehoach check` on plans of 1,000, 2,000 and 4,000 tasks: the time must grow with the
size of the document, not with its square (issue 13).

    python benchmarks/bench_check.py                    # 1000, 2000, 4000 tasks
    python benchmarks/bench_check.py --tasks 500 1000 --repeat 1

Each plan is the sample plan with its appendix's list of tasks made N long (20 groups), rendered by
kehoach. Measured: CPU seconds of the whole `python -m generator check FILE.docx` process (best of
--repeat), and of check_file alone inside one process (imports and start-up left out, so a constant
cannot hide a square). Target: 4,000 tasks <= 4.6 x 1,000 tasks.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from installed import compile_package  # noqa: E402 - benchmarks/ is on sys.path as the script's folder

PLAN = ROOT / "data" / "ke-hoach-truyen-thong-kiem-soat-tthc-2024.yaml"
TARGET = 4.6


def plan_with_tasks(n: int, out: Path) -> Path:
    """The sample plan's data with n tasks in its first appendix, as a YAML file."""
    import yaml

    data = yaml.safe_load(PLAN.read_text(encoding="utf-8"))
    app = data["appendices"][0]
    model = [t for g in app["groups"] for t in g["tasks"]]
    groups = 20
    app["groups"] = [
        {"title": f"Nhóm nhiệm vụ số {g + 1}",
         "tasks": [dict(model[(g * 7 + i) % len(model)]) for i in range(n // groups + (g < n % groups))]}
        for g in range(groups)
    ]
    out.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return out


def child_cpu(argv: list[str]) -> float:
    """CPU seconds (user + system) of one child process, from its own rusage."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    # cwd: not a checkout, so that `-m generator` is the tree under ROOT and not the current folder's
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                            cwd=tempfile.gettempdir())
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):  # 1: findings, still a full check
        raise SystemExit(f"{' '.join(argv)}: exit {proc.returncode}")
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tasks", type=int, nargs="+", default=[1000, 2000, 4000])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    compile_package()  # measured as installed (benchmarks/installed.py)

    from generator.check import check_file
    from generator.plan.loader import load_plan
    from generator.document.render import render_plan

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        docs = {}
        for n in args.tasks:
            data = plan_with_tasks(n, tmp / f"plan-{n}.yaml")
            docs[n] = tmp / f"plan-{n}.docx"
            docs[n].write_bytes(render_plan(load_plan(data)))
        whole, inner = {}, {}
        for n, doc in docs.items():
            whole[n] = min(child_cpu([sys.executable, "-m", "generator", "check", str(doc), "--json"])
                           for _ in range(args.repeat))
            best = float("inf")
            for _ in range(args.repeat):
                start = time.process_time()
                check_file(doc)
                best = min(best, time.process_time() - start)
            inner[n] = best
    first = args.tasks[0]
    print(f"kehoach check, CPU giây, tốt nhất trong {args.repeat} lần (máy: {os.cpu_count()} lõi):")
    for n in args.tasks:
        print(f"  {n:>6} nhiệm vụ: cả tiến trình {whole[n]:6.2f} s ({whole[n] / whole[first]:4.2f}x)   "
              f"check_file {inner[n]:6.2f} s ({inner[n] / inner[first]:4.2f}x)")
    last = args.tasks[-1]
    ratio = whole[last] / whole[first]
    print(f"  tỉ lệ {last}/{first}: cả tiến trình {ratio:.2f}x, check_file {inner[last] / inner[first]:.2f}x "
          f"(mục tiêu <= {TARGET}x với {last // first}x số nhiệm vụ) -> {'ĐẠT' if ratio <= TARGET else 'CHƯA ĐẠT'}")


if __name__ == "__main__":
    main()
