"""Page images of a plan as it will print: render → PDF by LibreOffice → PNG pages (pdftoppm).

Why it is quick enough to follow the typing (issue 28):
- the PDF comes from a LibreOffice kept running for this editor (esign/office.py), not a new one
  per preview; where that cannot run (no UNO bridge), the one-shot conversion of pdf.py is used;
- pages are drawn at the width the page shows them (screen resolution, not print), and only the
  first ones (those on screen) before the answer; the others when the page asks for them next;
- every image is named by the digest of its PNG, so a page that did not change is the same image:
  the browser keeps it and fetches only the pages that changed.

States are cached by the digest of the rendered .docx and the width, so going back to an earlier
state, or a change that does not alter the document, costs nothing. One conversion at a time
(the browser keeps showing the last good pages while a new set is made).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import struct
import subprocess
import tempfile
import threading
import zlib
from pathlib import Path
from typing import Any

from ..errors import UserError

WIDTH = 600
"""Pixels across a page when the browser does not say (a preview panel beside the form)."""
MIN_WIDTH, MAX_WIDTH, WIDTH_STEP = 300, 2000, 50
FIRST = 2
"""Pages drawn before the answer when the browser does not say which are on screen."""
TIMEOUT = 90.0
KEEP = 24
"""Rendered states kept on disk (a few MB of small PNGs)."""


class PreviewUnavailable(UserError):
    """LibreOffice or pdftoppm is not installed."""


def screen_width(width: Any) -> int:
    """The width asked by the browser, bounded and rounded (so nearby widths share images)."""
    if isinstance(width, bool) or not isinstance(width, (int, float)):
        return WIDTH
    w = int(min(max(width, MIN_WIDTH), MAX_WIDTH))
    return max(MIN_WIDTH, w - w % WIDTH_STEP)


_PPM = re.compile(rb"P6\s+(\d+)\s+(\d+)\s+255\s")


def ppm_to_png(ppm: bytes) -> bytes:
    """A PNG of pdftoppm's raw picture: grey when every pixel is grey (a page of black text), quick
    compression (the image goes to a browser on this machine, and it is made at every edit)."""
    m = _PPM.match(ppm)
    if not m:
        raise UserError("không tạo được ảnh trang từ bản PDF vừa tạo")
    width, height = int(m.group(1)), int(m.group(2))
    pixels = ppm[m.end():m.end() + width * height * 3]
    if len(pixels) != width * height * 3:
        raise UserError("không tạo được ảnh trang từ bản PDF vừa tạo")
    red = pixels[0::3]
    grey = red == pixels[1::3] == pixels[2::3]
    body, channels = (red, 1) if grey else (pixels, 3)
    stride = width * channels
    rows = b"".join(b"\x00" + body[i * stride:(i + 1) * stride] for i in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0 if grey else 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 3))
            + chunk(b"IEND", b""))


class Previews:
    def __init__(self, cache: Path | None = None, *, warm: bool | None = None):
        """warm: use a LibreOffice kept running (None: when this machine can run one)."""
        self._own = cache is None
        self.cache = Path(cache or tempfile.mkdtemp(prefix="kehoach-serve-"))
        self.cache.mkdir(parents=True, exist_ok=True)
        (self.cache / "img").mkdir(exist_ok=True)
        self._lock = threading.Lock()
        self._order: list[str] = []
        self._warm = warm
        self._office: Any = None
        self._closed = False

    # --- tools -------------------------------------------------------------------------------------

    def tools(self) -> str | None:
        """Why a preview cannot be made here, or None."""
        from ..esign.pdf import find_soffice

        try:
            find_soffice("xem trước trang in")
        except UserError as exc:
            return str(exc)
        if not shutil.which("pdftoppm"):
            return ("không tìm thấy lệnh pdftoppm để tạo ảnh trang; hãy cài bằng lệnh: "
                    "sudo apt-get install poppler-utils")
        return None

    @property
    def office(self) -> Any:
        """This editor's own warm LibreOffice (esign.office.Office), or None for one-shot conversions."""
        if self._office is None and not self._closed:
            from ..esign import office

            if self._warm if self._warm is not None else office.available():
                self._office = office.Office()
        return self._office

    def _to_pdf(self, src: Path, work: Path) -> Path:
        office = self.office
        if office is not None:
            return office.convert(src, work / "ke-hoach.pdf", timeout=TIMEOUT)
        from ..esign.pdf import convert_to_pdf

        (pdf,) = convert_to_pdf([src], work, timeout=TIMEOUT)
        return pdf

    # --- states ------------------------------------------------------------------------------------

    @staticmethod
    def _valid_key(key: str) -> bool:
        return len(key) == 64 and all(c in "0123456789abcdef" for c in key)

    def _meta(self, key: str) -> dict[str, Any] | None:
        try:
            meta = json.loads((self.cache / key / "meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return meta if isinstance(meta, dict) else None

    def _save_meta(self, key: str, meta: dict[str, Any]) -> None:
        tmp = self.cache / key / "meta.json.tmp"
        tmp.write_text(json.dumps(meta), encoding="utf-8")
        tmp.replace(self.cache / key / "meta.json")

    def make(self, docx: bytes, *, width: Any = None, first: int = FIRST) -> dict[str, Any]:
        """{"key", "pages", "images"}: this document's state, made if not cached; the first
        `first` pages drawn (their image names in "images", None for the pages not drawn yet)."""
        w = screen_width(width)
        key = hashlib.sha256(docx + f"|{w}".encode()).hexdigest()
        with self._lock:
            meta = self._meta(key)
            if meta is None:
                problem = self.tools()
                if problem:
                    raise PreviewUnavailable(problem)
                work = Path(tempfile.mkdtemp(prefix="work-", dir=self.cache))
                try:
                    src = work / "ke-hoach.docx"
                    src.write_bytes(docx)
                    pdf = self._to_pdf(src, work)
                    from ..esign.pdf import page_count

                    pages = page_count(pdf)
                    if pages < 1:
                        raise UserError("không đọc được bản PDF vừa tạo để vẽ trang")
                    final = self.cache / key
                    final.mkdir()
                    pdf.rename(final / "ke-hoach.pdf")
                finally:
                    shutil.rmtree(work, ignore_errors=True)
                meta = {"pages": pages, "width": w, "images": [None] * pages}
                self._save_meta(key, meta)
            self._touch(key)
            self._draw(key, meta, range(1, min(max(first, 1), meta["pages"]) + 1))
            return {"key": key, "pages": meta["pages"], "images": meta["images"]}

    def images(self, key: str) -> list[str] | None:
        """Every page's image name of a state (drawing those not drawn yet), or None if unknown."""
        if not self._valid_key(key):
            return None
        with self._lock:
            meta = self._meta(key)
            if meta is None:
                return None
            self._draw(key, meta, range(1, meta["pages"] + 1))
            return list(meta["images"])

    def image(self, name: str) -> Path | None:
        """A page image by its name (the digest of its PNG)."""
        if not self._valid_key(name):
            return None
        path = self.cache / "img" / f"{name}.png"
        return path if path.is_file() else None

    def page(self, key: str, number: int) -> Path | None:
        """Page `number` of a state, drawn if needed."""
        if not self._valid_key(key):
            return None
        with self._lock:
            meta = self._meta(key)
            if meta is None or not 1 <= number <= meta["pages"]:
                return None
            self._draw(key, meta, [number])
            name = meta["images"][number - 1]
        return self.image(name) if name else None

    def _draw(self, key: str, meta: dict[str, Any], numbers: Any) -> None:
        """Draw the pages `numbers` not drawn yet (one pdftoppm run for a consecutive range)."""
        todo = [n for n in numbers if meta["images"][n - 1] is None]
        if not todo:
            return
        lo, hi = min(todo), max(todo)
        work = Path(tempfile.mkdtemp(prefix="draw-", dir=self.cache))
        try:
            try:
                # Raw pixels (PPM), made PNG below: pdftoppm's own PNG writer takes most of its time.
                subprocess.run(["pdftoppm", "-f", str(lo), "-l", str(hi), "-scale-to-x", str(meta["width"]),
                                "-scale-to-y", "-1", str(self.cache / key / "ke-hoach.pdf"),
                                str(work / "page")], check=True, capture_output=True, timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                raise UserError("tạo ảnh trang quá lâu; đang hiện bản xem trước gần nhất") from None
            except subprocess.CalledProcessError:
                raise UserError("không tạo được ảnh trang từ bản PDF vừa tạo") from None
            for ppm in work.glob("page-*.ppm"):
                n = int(ppm.stem.rsplit("-", 1)[1])
                if not lo <= n <= hi or meta["images"][n - 1] is not None:
                    continue
                png = ppm_to_png(ppm.read_bytes())
                name = hashlib.sha256(png).hexdigest()
                target = self.cache / "img" / f"{name}.png"
                if not target.exists():
                    tmp = work / f"{name}.png"
                    tmp.write_bytes(png)
                    tmp.replace(target)
                meta["images"][n - 1] = name
        finally:
            shutil.rmtree(work, ignore_errors=True)
        self._save_meta(key, meta)

    def _touch(self, key: str) -> None:
        if key in self._order:
            self._order.remove(key)
        self._order.append(key)
        while len(self._order) > KEEP:
            shutil.rmtree(self.cache / self._order.pop(0), ignore_errors=True)
            self._sweep_images()

    def _sweep_images(self) -> None:
        """Remove the images no kept state names any more."""
        used: set[str] = set()
        for key in self._order:
            meta = self._meta(key)
            if meta:
                used.update(n for n in meta["images"] if n)
        for png in (self.cache / "img").glob("*.png"):
            if png.stem not in used:
                png.unlink(missing_ok=True)

    def close(self) -> None:
        """Stop this editor's LibreOffice and remove the images (when the cache is ours)."""
        with self._lock:
            self._closed = True
            if self._office is not None:
                self._office.close()
                self._office = None
        if self._own:
            shutil.rmtree(self.cache, ignore_errors=True)
