"""Page images of a plan as it will print: render → LibreOffice PDF → PNG pages (pdftoppm).

Cached by the digest of the rendered .docx, so going back to an earlier state, or a change that
does not alter the document, costs nothing. One conversion at a time (LibreOffice is the slow
part and several at once would only slow each other down); the browser keeps showing the last
good pages while a new set is made.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

from ..errors import UserError

RESOLUTION = 60
TIMEOUT = 90.0
KEEP = 24
"""Rendered states kept on disk (a few MB of small PNGs)."""


class PreviewUnavailable(UserError):
    """LibreOffice or pdftoppm is not installed."""


class Previews:
    def __init__(self, cache: Path | None = None):
        self._own = cache is None
        self.cache = Path(cache or tempfile.mkdtemp(prefix="kehoach-serve-"))
        self.cache.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._order: list[str] = []

    def tools(self) -> str | None:
        """Why a preview cannot be made here, or None."""
        from ..esign.pdf import find_soffice

        try:
            find_soffice()
        except UserError as exc:
            return str(exc)
        if not shutil.which("pdftoppm"):
            return ("không tìm thấy lệnh pdftoppm để tạo ảnh trang; hãy cài bằng lệnh: "
                    "sudo apt-get install poppler-utils")
        return None

    def pages(self, key: str) -> list[Path]:
        folder = self.cache / key
        return sorted(folder.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))

    def page(self, key: str, number: int) -> Path | None:
        if not (len(key) == 64 and all(c in "0123456789abcdef" for c in key)):
            return None
        pages = self.pages(key)
        return pages[number - 1] if 1 <= number <= len(pages) else None

    def make(self, docx: bytes) -> tuple[str, int]:
        """The cache key and page count of this document's pages, made if not cached yet."""
        key = hashlib.sha256(docx).hexdigest()
        with self._lock:
            if self.pages(key):
                self._touch(key)
                return key, len(self.pages(key))
            problem = self.tools()
            if problem:
                raise PreviewUnavailable(problem)
            from ..esign.pdf import convert_to_pdf

            work = Path(tempfile.mkdtemp(prefix="work-", dir=self.cache))
            try:
                src = work / "ke-hoach.docx"
                src.write_bytes(docx)
                (pdf,) = convert_to_pdf([src], work, timeout=TIMEOUT)
                try:
                    subprocess.run(["pdftoppm", "-r", str(RESOLUTION), "-png", str(pdf), str(work / "page")],
                                   check=True, capture_output=True, timeout=TIMEOUT)
                except subprocess.TimeoutExpired:
                    raise UserError("tạo ảnh trang quá lâu; đang hiện bản xem trước gần nhất") from None
                except subprocess.CalledProcessError as exc:
                    raise UserError(f"không tạo được ảnh trang ({exc.stderr.decode(errors='replace')[-200:]})") \
                        from None
                final = self.cache / key
                final.mkdir()
                for i, png in enumerate(sorted(work.glob("page-*.png"),
                                               key=lambda p: int(p.stem.rsplit("-", 1)[1])), 1):
                    png.rename(final / f"page-{i}.png")
                pdf.rename(final / "ke-hoach.pdf")
            finally:
                shutil.rmtree(work, ignore_errors=True)
            self._touch(key)
            return key, len(self.pages(key))

    def _touch(self, key: str) -> None:
        if key in self._order:
            self._order.remove(key)
        self._order.append(key)
        while len(self._order) > KEEP:
            shutil.rmtree(self.cache / self._order.pop(0), ignore_errors=True)

    def close(self) -> None:
        if self._own:
            shutil.rmtree(self.cache, ignore_errors=True)
