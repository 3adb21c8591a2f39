"""The editor's preview of an edit vs a plain `soffice --convert-to pdf` of the same plan (issue 28).

Side by side in one run, each edit measured both ways, alternately:
- preview: POST /api/preview through the page's own API (validation, render, PDF by the editor's
  warm LibreOffice, the pages on screen drawn as PNG, the check), as the page sends it; then, apart,
  the rest of the pages (GET /api/preview/<key>/images), which the page asks for after showing the first;
- soffice: the same edited plan's .docx converted by a new `soffice --convert-to pdf` process with a
  profile already created (its fairest form: start-up and conversion, no rasterising, no check).

    python benchmarks/bench_preview.py [--edits 9] [--plan data/….yaml] [--one-shot]

Target: median preview ≤ 0.5 × median soffice. Needs LibreOffice, pdftoppm and python3-uno (without
the UNO bridge the editor falls back to one-shot conversions and the figure says so).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.document.render import render_plan  # noqa: E402
from generator.esign import office  # noqa: E402
from generator.esign.pdf import find_soffice  # noqa: E402
from generator.plan.loader import load_plan  # noqa: E402
from generator.serve.app import create_app  # noqa: E402
from generator.serve.preview import Previews  # noqa: E402

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient  # noqa: E402

SAMPLE = ROOT / "data" / "ke-hoach-truyen-thong-kiem-soat-tthc-2024.yaml"
TOKEN = "bench"


def plain_soffice(soffice: str, docx: Path, out: Path, profile: Path) -> float:
    t0 = time.perf_counter()
    subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                    "--convert-to", "pdf", "--outdir", str(out), str(docx)],
                   check=True, capture_output=True, timeout=300)
    took = time.perf_counter() - t0
    if not (out / f"{docx.stem}.pdf").is_file():
        raise SystemExit("soffice made no PDF")
    return took


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=9)
    parser.add_argument("--plan", type=Path, default=SAMPLE)
    parser.add_argument("--width", type=int, default=600, help="pixels across a page on screen")
    parser.add_argument("--one-shot", action="store_true",
                        help="the fallback without python3-uno: a new LibreOffice per preview (for comparison)")
    args = parser.parse_args()
    soffice = find_soffice()
    warm = office.available() and not args.one_shot
    with tempfile.TemporaryDirectory(prefix="bench-preview-") as tmp:
        work = Path(tmp)
        folder = work / "data"
        folder.mkdir()
        name = args.plan.name
        shutil.copy(args.plan, folder / name)
        profile = work / "profile"
        app = create_app(folder, token=TOKEN, previews=Previews(work / "cache", warm=warm))
        with TestClient(app, base_url="http://127.0.0.1:8030", headers={"X-Kehoach-Token": TOKEN}) as client:
            data = client.get("/api/file", params={"name": name}).json()["data"]
            subject = data["subject"]

            def edited(i: int) -> dict:
                got = dict(data)
                got["subject"] = (subject if isinstance(subject, list) else [subject])[:-1] + [
                    f"{(subject if isinstance(subject, list) else [subject])[-1]} (sửa {i})"]
                return got

            def preview(d: dict) -> tuple[float, float, int]:
                t0 = time.perf_counter()
                r = client.post("/api/preview", json={"name": name, "data": d, "width": args.width, "first": 2})
                shown = time.perf_counter() - t0
                got = r.json()
                if r.status_code != 200 or not got.get("key"):
                    raise SystemExit(f"preview failed: {r.status_code} {r.text[:300]}")
                rest = client.get(f"/api/preview/{got['key']}/images")
                if rest.status_code != 200 or None in rest.json()["images"]:
                    raise SystemExit("preview pages missing")
                return shown, time.perf_counter() - t0, got["pages"]

            # Warm-up, untimed: the editor's LibreOffice starts, the baseline's profile is created.
            preview(edited(0))
            docx = work / "ke-hoach.docx"
            docx.write_bytes(render_plan(load_plan(folder / name)))
            plain_soffice(soffice, docx, work / "out", profile)

            shown, whole, plain = [], [], []
            pages = 0
            for i in range(1, args.edits + 1):
                d = edited(i)
                a, b, pages = preview(d)
                shown.append(a)
                whole.append(b)
                # The same edited plan, as a .docx for the baseline (rendered outside the timing).
                from generator.plan.loader import validate
                from generator.plan.yamledit import compose

                _, source = compose((folder / name).read_text(encoding="utf-8"), d, str(folder / name))
                docx.write_bytes(render_plan(validate(source)))
                plain.append(plain_soffice(soffice, docx, work / "out", profile))
    m_shown, m_whole, m_plain = (statistics.median(x) for x in (shown, whole, plain))
    print(f"plan: {args.plan.name}, {pages} pages, {args.edits} edits, page width {args.width} px, "
          f"warm LibreOffice: {'yes' if warm else 'NO (one-shot conversions: ' + ('--one-shot' if args.one_shot else 'python3-uno missing') + ')'}")
    print(f"preview of an edit (pages on screen shown): median {m_shown:.3f} s "
          f"(min {min(shown):.3f}, max {max(shown):.3f})")
    print(f"preview of an edit, every page drawn:       median {m_whole:.3f} s")
    print(f"plain soffice --convert-to pdf:             median {m_plain:.3f} s "
          f"(min {min(plain):.3f}, max {max(plain):.3f})")
    ratio = m_shown / m_plain
    print(f"ratio preview / soffice: {ratio:.2f}x (every page: {m_whole / m_plain:.2f}x); target <= 0.5x: "
          f"{'met' if ratio <= 0.5 else 'NOT met'}")
    return 0 if ratio <= 0.5 else 1


if __name__ == "__main__":
    sys.exit(main())
