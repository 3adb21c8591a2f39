"""Benchmark of `kehoach batch` against the plain docxtpl loop, measured in one run (issue 13).

    python benchmarks/bench_batch.py                          # 300 copies; memory for 1,000 and 10,000
    python benchmarks/bench_batch.py --copies 100 --memory-copies 1000 --repeat 1

Plain loop: one process that reads the model plan and the units file (generator.jobs.batch.prepare_batch,
the same reading and validation the batch does), builds every context with our build_context, then
for each copy DocxTemplate(template).render(context, autoescape=True).save(path).
Batch: one `python -m generator batch DATA --units UNITS -o DIR --quiet` process.

- per core: CPU seconds (user + system) of the whole processes, plain loop vs batch --jobs 1;
- whole machine: wall seconds, plain loop (one core) vs batch with its default --jobs;
- memory: peak of the summed PSS (and of the summed RSS, which counts pages the forked workers share
  with the main process once per process) of the batch's process tree, sampled every 20 ms, for
  --memory-copies (default 1,000 and 10,000; 10,000 takes a minute or two here).
Targets: per core >= 4x; memory < 300 MB for 10,000 copies. Best of --repeat runs is kept.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from installed import compile_package  # noqa: E402 - benchmarks/ is on sys.path as the script's folder

PLAN = ROOT / "data" / "ke-hoach-truyen-thong-kiem-soat-tthc-2024.yaml"
TARGET = 4.0
MEMORY_TARGET_MB = 300


def write_units(path: Path, copies: int) -> Path:
    """An implementing-plans units file with `copies` departments, in block style like the samples."""
    import yaml

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


def plain_child(units: str, out: str) -> None:
    """The plain loop, run as its own process (--plain-child)."""
    from docxtpl import DocxTemplate

    from generator.jobs.batch import prepare_batch
    from generator.document.context import build_context
    from generator.document.render import DEFAULT_TEMPLATE

    contexts = [build_context(job.plan) for job in prepare_batch(PLAN, units, Path(out) / "x").jobs]
    for i, ctx in enumerate(contexts):
        tpl = DocxTemplate(str(DEFAULT_TEMPLATE))
        tpl.render(ctx, autoescape=True)
        tpl.save(str(Path(out) / f"plain-{i}.docx"))


class TreeMemory:
    """Peaks of the summed RSS and summed PSS of a process and all its descendants, sampled from /proc.

    RSS counts a page shared by the main process and its forked workers once per process; PSS
    divides it among them, so the PSS sum is the memory the tree really takes."""

    def __init__(self, pid: int, every: float = 0.02) -> None:
        self.pid, self.every, self.peak, self._stop = pid, every, 0, threading.Event()
        self.peak_pss = 0
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _tree(self) -> list[int]:
        children: dict[int, list[int]] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/stat") as fh:
                        ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    continue
                children.setdefault(ppid, []).append(int(entry))
        out, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            out.append(pid)
            todo.extend(children.get(pid, []))
        return out

    def _run(self) -> None:
        while not self._stop.is_set():
            rss = pss = 0
            for pid in self._tree():
                try:
                    with open(f"/proc/{pid}/smaps_rollup") as fh:
                        for line in fh:
                            if line.startswith("Rss:"):
                                rss += int(line.split()[1]) * 1024
                            elif line.startswith("Pss:"):
                                pss += int(line.split()[1]) * 1024
                except (OSError, IndexError, ValueError):
                    pass
            self.peak = max(self.peak, rss)
            self.peak_pss = max(self.peak_pss, pss)
            time.sleep(self.every)

    def stop(self) -> tuple[float, float]:
        self._stop.set()
        self._thread.join()
        return self.peak / 2**20, self.peak_pss / 2**20


def run(argv: list[str], memory: bool = False) -> tuple[float, float, tuple[float, float]]:
    """(CPU seconds of the process and its waited-for children, wall seconds, peak tree (RSS, PSS) MB)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    before = os.times()
    start = time.perf_counter()
    # cwd outside any checkout, so that `-m generator` is the tree under ROOT; the batch's warnings
    # (one per unit) go to a file, shown only if the run fails
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(argv, env=env, cwd=tempfile.gettempdir(), stdout=subprocess.DEVNULL, stderr=err)
        watch = TreeMemory(proc.pid) if memory else None
        code = proc.wait()
        wall = time.perf_counter() - start
        peak = watch.stop() if watch else (0.0, 0.0)
        after = os.times()
        if code != 0:
            err.seek(0)
            raise SystemExit(f"{' '.join(argv)}: exit {code}\n{err.read().decode('utf-8', 'replace')[-2000:]}")
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return cpu, wall, peak


def batch_argv(units: Path, out: Path, jobs: int | None) -> list[str]:
    argv = [sys.executable, "-m", "generator", "batch", str(PLAN), "--units", str(units), "-o", str(out), "--quiet"]
    return argv + (["--jobs", str(jobs)] if jobs else [])


def speed(copies: int, repeat: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        units = write_units(tmp / "units.yaml", copies)
        plain, one, many = [], [], []
        for r in range(repeat):
            (tmp / f"p{r}").mkdir()
            plain.append(run([sys.executable, __file__, "--plain-child", str(units), str(tmp / f"p{r}")]))
            one.append(run(batch_argv(units, tmp / f"b{r}", 1)))
            many.append(run(batch_argv(units, tmp / f"m{r}", None)))
        p_cpu, b_cpu = min(x[0] for x in plain), min(x[0] for x in one)
        p_wall, m_wall = min(x[1] for x in plain), min(x[1] for x in many)
        jobs = _default_jobs()
        print(f"{copies} bản, tốt nhất trong {repeat} lần, máy {os.cpu_count()} lõi ({_cpu_name()}):")
        print(f"  mỗi lõi (CPU giây, cả tiến trình): vòng lặp docxtpl {p_cpu:6.2f} s ({p_cpu / copies * 1000:5.1f} ms/bản), "
              f"kehoach batch --jobs 1 {b_cpu:6.2f} s ({b_cpu / copies * 1000:5.1f} ms/bản) -> {p_cpu / b_cpu:.2f}x "
              f"(mục tiêu >= {TARGET:g}x)")
        print(f"  cả máy (giây đồng hồ): vòng lặp docxtpl {p_wall:6.2f} s, kehoach batch ({jobs} tiến trình) "
              f"{m_wall:6.2f} s -> {p_wall / m_wall:.2f}x")


def memory(copies: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        units = write_units(tmp / "units.yaml", copies)
        cpu, wall, (rss, pss) = run(batch_argv(units, tmp / "out", None), memory=True)
    print(f"  bộ nhớ đỉnh cả cây tiến trình, {copies} bản, {_default_jobs()} tiến trình con: PSS {pss:4.0f} MB, "
          f"RSS cộng dồn {rss:4.0f} MB ({wall:.0f} s) (mục tiêu < {MEMORY_TARGET_MB} MB)")


def _default_jobs() -> int:
    from generator.jobs.batch import default_jobs

    return default_jobs()


def _cpu_name() -> str:
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "?"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--copies", type=int, default=300)
    ap.add_argument("--memory-copies", type=int, nargs="*", default=[1000, 10000],
                    help="số bản cho phép đo bộ nhớ; để trống để bỏ qua")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--plain-child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.plain_child:
        plain_child(*args.plain_child)
        return
    compile_package()  # measured as installed (benchmarks/installed.py)
    if args.copies:
        speed(args.copies, args.repeat)
    for n in args.memory_copies:
        memory(n)


if __name__ == "__main__":
    main()
