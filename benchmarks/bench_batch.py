"""Benchmark of `kehoach batch` against the plain loop, measured in the same run.

    python benchmarks/bench_batch.py              # 200 copies: ratio; then peak memory for 1,000
    python benchmarks/bench_batch.py --copies 50 --memory-copies 0 --jobs 2

Plain loop: for each copy, DocxTemplate(path) + render (same context, autoescape) + save, one
process. Batch: generator.batch.run_batch, the whole job (read, merge and validate every unit,
render in a process pool whose workers prepare the template once, write atomically).
Targets (issue 4): ratio >= 3x on 2 cores; peak memory for 1,000 copies <= 300 MB.
Numbers are noisy when other work shares the machine: the best of --repeat runs is kept.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402
from docxtpl import DocxTemplate  # noqa: E402

from generator.batch import default_jobs, prepare_batch, run_batch  # noqa: E402
from generator.context import build_context  # noqa: E402
from generator.render import DEFAULT_TEMPLATE  # noqa: E402

PLAN = ROOT / "data" / "ke-hoach-truyen-thong-kiem-soat-tthc-2024.yaml"


def write_units(path: Path, copies: int) -> Path:
    """An implementing-plans units file with `copies` departments, in block style like the samples."""
    units = [
        {
            "name": f"Sở Thử nghiệm số {i}",
            "agency": {"name": f"Sở Thử nghiệm số {i}", "abbreviation": f"STN{i}"},
            "signer": {"name": f"Nguyễn Văn {i}", "title": "Giám đốc"},
            "references": {"kh254_cchc": {"number": i + 1}, "kh418_ksttthc": {"number": i + 2}},
        }
        for i in range(copies)
    ]
    text = yaml.safe_dump({"mode": "implementing", "units": units}, allow_unicode=True, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path


def plain_loop(contexts: list[dict], out: Path) -> float:
    start = time.perf_counter()
    for i, ctx in enumerate(contexts):
        tpl = DocxTemplate(str(DEFAULT_TEMPLATE))
        tpl.render(ctx, autoescape=True)
        tpl.save(str(out / f"plain-{i}.docx"))
    return time.perf_counter() - start


def batch_run(units: Path, out: Path, jobs: int) -> float:
    start = time.perf_counter()
    result = run_batch(PLAN, units, out, jobs=jobs)
    elapsed = time.perf_counter() - start
    assert result.ok and len(result.written) > 0, [str(f) for f in result.failed]
    return elapsed


def speed(copies: int, jobs: int, repeat: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        units = write_units(tmp / "units.yaml", copies)
        contexts = [build_context(job.plan) for job in prepare_batch(PLAN, units, tmp / "x").jobs]
        plain, batch = [], []
        for r in range(repeat):
            (tmp / f"p{r}").mkdir()
            plain.append(plain_loop(contexts, tmp / f"p{r}"))
            batch.append(batch_run(units, tmp / f"b{r}", jobs))
        p, b = min(plain), min(batch)
        print(f"{copies} bản, {jobs} tiến trình, tốt nhất trong {repeat} lần:")
        print(f"  vòng lặp thường (DocxTemplate + render + save): {p:6.2f} s  ({p / copies * 1000:5.1f} ms/bản)")
        print(f"  kehoach batch (toàn bộ việc):                    {b:6.2f} s  ({b / copies * 1000:5.1f} ms/bản)")
        print(f"  tỉ lệ: {p / b:.2f}x  (mục tiêu >= 3x trên 2 lõi)")


def memory_child(copies: int, jobs: int) -> None:
    """Runs in its own process so ru_maxrss counts this batch only."""
    with tempfile.TemporaryDirectory() as tmp:
        units = write_units(Path(tmp) / "units.yaml", copies)
        batch_run(units, Path(tmp) / "out", jobs)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"self": own, "worker": worker}))


def memory(copies: int, jobs: int) -> None:
    proc = subprocess.run([sys.executable, __file__, "--memory-child", str(copies), "--jobs", str(jobs)],
                          capture_output=True, text=True, check=True)
    m = json.loads(proc.stdout.strip().splitlines()[-1])
    total = m["self"] + jobs * m["worker"]
    print(f"bộ nhớ đỉnh, {copies} bản, {jobs} tiến trình (ru_maxrss):")
    print(f"  tiến trình chính {m['self']:.0f} MB; tiến trình con lớn nhất {m['worker']:.0f} MB")
    print(f"  tổng (chính + {jobs} × con, cận trên vì trang dùng chung được tính nhiều lần): "
          f"{total:.0f} MB  (mục tiêu <= 300 MB)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--copies", type=int, default=200)
    ap.add_argument("--memory-copies", type=int, default=1000, help="0 để bỏ qua phép đo bộ nhớ")
    ap.add_argument("--jobs", type=int, default=default_jobs())
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--memory-child", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.memory_child:
        memory_child(args.memory_child, args.jobs)
        return
    speed(args.copies, args.jobs, args.repeat)
    if args.memory_copies:
        memory(args.memory_copies, args.jobs)


if __name__ == "__main__":
    main()
