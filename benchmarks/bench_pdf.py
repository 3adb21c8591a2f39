"""PDF conversion: N copies in ONE soffice process (convert_to_pdf) vs one soffice process per file.

Both are measured in the same run on the same machine. The per-file baseline reuses one profile
that is already created, so it pays only LibreOffice's start-up per file (the fairest baseline);
the batch call pays for creating its own fresh private profile as well.

    python benchmarks/bench_pdf.py [--copies 20]

Target: ratio >= 4. Needs LibreOffice (soffice).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from installed import compile_package  # noqa: E402 - benchmarks/ is on sys.path as the script's folder

from generator.jobs.issue import issue_file  # noqa: E402
from generator.esign.pdf import convert_to_pdf, find_soffice, pdf_problem  # noqa: E402

SAMPLE = ROOT / "data" / "ke-hoach-truyen-thong-kiem-soat-tthc-2024.yaml"


def one_process_per_file(soffice: str, docs: list[Path], out: Path, profile: Path) -> None:
    for doc in docs:
        subprocess.run(
            [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
             "--convert-to", "pdf", "--outdir", str(out), str(doc)],
            check=True, capture_output=True, timeout=300,
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=20)
    args = parser.parse_args()
    compile_package()  # measured as installed (benchmarks/installed.py)
    soffice = find_soffice()
    with tempfile.TemporaryDirectory(prefix="bench-pdf-") as tmp:
        work = Path(tmp)
        data = work / "kh.yaml"
        shutil.copy(SAMPLE, data)
        first = issue_file(data, work / "docs" / "kh-00.docx").docx
        docs = [first] + [first.with_name(f"kh-{i:02d}.docx") for i in range(1, args.copies)]
        for doc in docs[1:]:
            shutil.copy(first, doc)
        profile = work / "profile"
        # Warm-up, untimed: loads LibreOffice from disk and creates the baseline's profile.
        one_process_per_file(soffice, docs[:1], work / "warm", profile)

        t0 = time.perf_counter()
        one_process_per_file(soffice, docs, work / "each", profile)
        each = time.perf_counter() - t0
        bad = [d.name for d in docs if pdf_problem(work / "each" / f"{d.stem}.pdf")]
        assert not bad, f"baseline missed {bad}"

        t0 = time.perf_counter()
        pdfs = convert_to_pdf(docs, work / "batch")
        batch = time.perf_counter() - t0
        assert len(pdfs) == len(docs)

    print(f"{args.copies} tệp .docx → PDF")
    print(f"  mỗi tệp một tiến trình soffice: {each:7.2f} s ({each / args.copies:.2f} s/tệp)")
    print(f"  một tiến trình cho cả lô:        {batch:7.2f} s ({batch / args.copies:.2f} s/tệp)")
    print(f"  nhanh hơn: {each / batch:.1f}× (mục tiêu ≥ 4×)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
