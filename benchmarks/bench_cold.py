"""Cold start of every `kehoach` command against a bare `python -c "import docxtpl"` (issue 13).

    python benchmarks/bench_cold.py [--repeat 7]

Each command runs once per repeat as a fresh process on a small real input (the sample plan, its
document, a units file of two departments...); CPU seconds (user + system) of the whole process,
median of --repeat. Target: every command <= 2x the bare import.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from installed import compile_package  # noqa: E402 - benchmarks/ is on sys.path as the script's folder
PLAN = ROOT / "data" / "ke-hoach-truyen-thong-kiem-soat-tthc-2024.yaml"
TARGET = 2.0


def cpu(argv: list[str], repeat: int, cwd: Path) -> float:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    runs = []
    for _ in range(repeat):
        proc = subprocess.Popen(argv, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                stdin=subprocess.DEVNULL)
        _, _, usage = os.wait4(proc.pid, 0)
        runs.append(usage.ru_utime + usage.ru_stime)
    return statistics.median(runs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    compile_package()  # measured as installed (benchmarks/installed.py)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        py = [sys.executable]
        kh = py + ["-m", "generator"]
        docx = tmp / "kh.docx"
        subprocess.run(kh + ["render", str(PLAN), "-o", str(docx)], check=True, cwd=tmp, capture_output=True,
                       env=dict(os.environ, PYTHONPATH=str(ROOT)))
        units = tmp / "units.yaml"
        units.write_text("mode: implementing\nunits:\n" + "".join(
            f"  - name: Sở Thử {i}\n    agency: {{name: Sở Thử {i}, abbreviation: ST{i}}}\n"
            f"    signer: {{name: Nguyễn Văn {i}, title: Giám đốc}}\n" for i in range(2)), encoding="utf-8")
        (tmp / "pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
        template = ROOT / "templates" / "kehoach.docx"
        commands = {
            "render": ["render", str(PLAN), "-o", str(tmp / "r.docx"), "--force"],
            "validate": ["validate", str(PLAN)],
            "check (.docx)": ["check", str(docx)],
            "check (.yaml)": ["check", str(PLAN)],
            "batch (2 bản, --jobs 1)": ["batch", str(PLAN), "--units", str(units), "-o", str(tmp / "b"),
                                         "--jobs", "1", "--quiet", "--force"],
            "schema": ["schema"],
            "rollover": ["rollover", str(PLAN), "--year", "2025", "-o", str(tmp / "n.yaml"), "--force"],
            "import": ["import", str(docx), "-o", str(tmp / "i.yaml"), "--force"],
            "check-template": ["check-template", str(template)],
            "verify": ["verify", str(tmp / "pdf")],
            "--help": ["--help"],
        }
        base = cpu(py + ["-c", "import docxtpl"], args.repeat, tmp)
        print(f"khởi động lạnh, CPU giây (trung vị {args.repeat} lần), máy {os.cpu_count()} lõi; "
              f"python -c 'import docxtpl': {base:.3f} s")
        worst = 0.0
        for name, argv in commands.items():
            t = cpu(kh + argv, args.repeat, tmp)
            worst = max(worst, t / base)
            print(f"  {name:26s} {t:6.3f} s  {t / base:4.2f}x")
        print(f"  lớn nhất {worst:.2f}x (mục tiêu <= {TARGET:g}x) -> {'ĐẠT' if worst <= TARGET else 'CHƯA ĐẠT'}")
        shutil.rmtree(tmp / "b", ignore_errors=True)


if __name__ == "__main__":
    main()
