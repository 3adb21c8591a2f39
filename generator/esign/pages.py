"""What a PDF page shows, as text lines with their boxes: for placing signatures and stamps, and for
telling what changed on a page after it was signed.

"Shows" includes the appearances of annotations (signature stamps, form fields): a reader sees them
drawn on the page, though they are not page content. shown_pages() draws them into a throwaway copy
first, so a number stamped into the Số blank, or text painted over the page by an added field, is
read like any other word.
"""

from __future__ import annotations

import io
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Any

from ..errors import UserError
from ..limits import BudgetExceeded
from .common import incremental_writer


@dataclass(frozen=True)
class Line:
    """One line of text on a page, in PDF user space (points, origin bottom-left)."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    font: str = ""
    """PostScript name of the line's first glyph's font, subset prefix removed."""
    size: float = 0.0
    """Font size of that glyph, points."""
    chars: tuple[tuple[str, float, float, float, float, float], ...] = ()
    """Every glyph: (text, x0, y0, x1, y1, baseline y)."""

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def italic(self) -> bool:
        return "italic" in self.font.lower() or "oblique" in self.font.lower()

    @property
    def bold(self) -> bool:
        return "bold" in self.font.lower()


@dataclass(frozen=True)
class Page:
    index: int
    width: float
    height: float
    lines: list[Line]

    @property
    def text(self) -> str:
        return " ".join(line.text for line in self.ordered())

    def ordered(self) -> list[Line]:
        return sorted(self.lines, key=lambda line: (-line.y1, line.x0))

    @property
    def words(self) -> list[str]:
        return self.text.split()


def read_pages(pdf: bytes, *, max_pages: int | None = None, page_numbers: set[int] | None = None,
               in_figures: bool = False, visible_only: bool = False) -> list[Page]:
    """Every text line of the pages (all, or the 0-based page_numbers) with its box (pdfminer.six),
    text in NFC. in_figures: also the text drawn by form XObjects (pdfminer keeps it apart as a
    figure otherwise), which is where annotation appearances land once flattened. visible_only:
    without the glyphs a filled shape painted later covers (see _covered_glyphs)."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTChar, LTTextLine

    hidden: dict[int, Counter[tuple[Any, ...]]] = {}
    if visible_only:
        hidden = _covered_glyphs(pdf, page_numbers)
    covered: Counter[tuple[Any, ...]] = Counter()

    def shown(glyph: Any) -> bool:
        key = _glyph_key(glyph)
        if covered[key] > 0:
            covered[key] -= 1
            return False
        return True

    def walk(obj: Any, lines: list[Line]) -> None:
        if isinstance(obj, LTTextLine):
            children = [c for c in obj if not isinstance(c, LTChar) or shown(c)]
            text = unicodedata.normalize("NFC", "".join(c.get_text() for c in children)).strip()
            if text:
                glyphs = [c for c in children if isinstance(c, LTChar)]
                first = next((c for c in glyphs if c.get_text().strip()), None)
                font = first.fontname.split("+", 1)[-1] if first else ""
                size = round(first.size, 2) if first else 0.0
                chars = tuple((unicodedata.normalize("NFC", c.get_text()), *c.bbox, c.matrix[5])
                              for c in glyphs)
                lines.append(Line(text, *obj.bbox, font=font, size=size, chars=chars))
            return
        if hasattr(obj, "__iter__"):
            for child in obj:
                walk(child, lines)

    pages = []
    try:
        wanted = sorted(page_numbers) if page_numbers is not None else None
        for position, layout in enumerate(extract_pages(io.BytesIO(pdf), maxpages=max_pages or 0,
                                                        page_numbers=wanted,
                                                        laparams=LAParams(all_texts=in_figures))):
            index = wanted[position] if wanted is not None else position
            covered = Counter(hidden.get(index, {}))
            lines: list[Line] = []
            walk(layout, lines)
            x0, y0, x1, y1 = layout.bbox
            pages.append(Page(index, x1 - x0, y1 - y0, lines))
    except (BudgetExceeded, MemoryError):
        raise  # the reader's budget ran out: not a damaged file
    except Exception as exc:  # pdfminer raises many kinds on a damaged file
        raise UserError(f"không đọc được chữ trong tệp PDF ({type(exc).__name__}: {exc})") from None
    return pages


def shown_pages(pdf: bytes, page_numbers: set[int] | None = None, *, visible_only: bool = False) -> list[Page]:
    """The pages as a reader sees them: page content and every visible annotation appearance;
    visible_only: without the words a later filled shape covers (verify: a white box taken away
    after signing shows words that were in the file, under it, all along)."""
    return read_pages(flatten_annotations(pdf, page_numbers), page_numbers=page_numbers, in_figures=True,
                      visible_only=visible_only)


def _glyph_key(glyph: Any) -> tuple[Any, ...]:
    return (glyph.get_text(), *(round(v, 2) for v in glyph.bbox))


BAND = 12.0
"""Height in points of the bands shapes are filed under, to find the shapes over a glyph quickly."""


def _covered_glyphs(pdf: bytes, page_numbers: set[int] | None) -> dict[int, Counter[tuple[Any, ...]]]:
    """Per page, the glyphs a filled shape painted after them covers (its box holds the glyph's
    centre): what a reader does not see though the text is in the file. A Shadow Attack hides words
    under an overlay at signing and takes the overlay away after. Images are not judged (their
    transparency is in their pixels), nor clipping: a glyph is only ever kept, never made up."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar, LTCurve

    out: dict[int, Counter[tuple[Any, ...]]] = {}
    wanted = sorted(page_numbers) if page_numbers is not None else None
    for position, layout in enumerate(extract_pages(io.BytesIO(pdf), page_numbers=wanted, laparams=None)):
        glyphs: list[tuple[int, Any]] = []
        bands: dict[int, list[tuple[int, tuple[float, float, float, float]]]] = {}
        order = 0
        stack: list[Any] = [iter(layout)]
        while stack:  # the page's items in painting order, forms' items where the form is drawn
            item = next(stack[-1], None)
            if item is None:
                stack.pop()
                continue
            order += 1
            if isinstance(item, LTChar):
                if item.get_text().strip():
                    glyphs.append((order, item))
            elif isinstance(item, LTCurve):
                if item.fill and item.width > 0 and item.height > 0:
                    for band in range(int(item.y0 // BAND), int(item.y1 // BAND) + 1):
                        bands.setdefault(band, []).append((order, item.bbox))
            elif hasattr(item, "__iter__") and len(stack) < 32:
                stack.append(iter(item))
        hidden: Counter[tuple[Any, ...]] = Counter()
        for drawn, glyph in glyphs:
            cx, cy = (glyph.x0 + glyph.x1) / 2, (glyph.y0 + glyph.y1) / 2
            if any(later > drawn and x0 <= cx <= x1 and y0 <= cy <= y1
                   for later, (x0, y0, x1, y1) in bands.get(int(cy // BAND), ())):
                hidden[_glyph_key(glyph)] += 1
        out[wanted[position] if wanted is not None else position] = hidden
    return out


HIDDEN_FLAGS = 0b100011
"""Annotation flags Invisible (1), Hidden (2), NoView (32): not drawn on screen."""


def flatten_annotations(pdf: bytes, page_numbers: set[int] | None = None) -> bytes:
    """A copy of the PDF whose pages also draw their annotations' normal appearances (as PDF 32000
    12.5.5 says a reader places them: the appearance's box mapped onto /Rect). The input is
    untouched; only text extraction reads the copy."""
    from pyhanko.pdf_utils import generic

    writer = incremental_writer(pdf)
    count = int(writer.root["/Pages"]["/Count"])
    touched = False
    for index in range(count):
        if page_numbers is not None and index not in page_numbers:
            continue
        page_ref, _ = writer.find_page_for_modification(index)
        page = page_ref.get_object()
        drawn: list[bytes] = []
        xobjects = generic.DictionaryObject()
        for number, annot_ref in enumerate(page.get("/Annots", []) or []):
            try:
                annot = annot_ref.get_object()
                if int(annot.get("/F", 0)) & HIDDEN_FLAGS:
                    continue
                appearance = annot["/AP"]["/N"]
                if isinstance(appearance.get_object(), generic.DictionaryObject) and not isinstance(
                        appearance.get_object(), generic.StreamObject):
                    state = annot.get("/AS")
                    appearance = appearance.get_object()[state] if state else None
                if appearance is None:
                    continue
                form = appearance.get_object()
                rect = [float(v) for v in annot["/Rect"]]
                bbox = [float(v) for v in form.get("/BBox", rect)]
            except (KeyError, TypeError, ValueError, AttributeError):
                continue
            rx0, ry0, rx1, ry1 = _box(rect)
            bx0, by0, bx1, by1 = _box(bbox)
            if bx1 - bx0 <= 0 or by1 - by0 <= 0 or rx1 - rx0 <= 0 or ry1 - ry0 <= 0:
                continue
            sx, sy = (rx1 - rx0) / (bx1 - bx0), (ry1 - ry0) / (by1 - by0)
            name = f"/KehoachAnnot{number}"
            xobjects[generic.NameObject(name)] = appearance if isinstance(appearance, generic.IndirectObject) \
                else writer.add_object(form)
            drawn.append(f"q {sx:.6f} 0 0 {sy:.6f} {rx0 - bx0 * sx:.4f} {ry0 - by0 * sy:.4f} cm {name} Do Q"
                         .encode())
        if not drawn:
            continue
        resources = page.get("/Resources")
        resources = generic.DictionaryObject() if resources is None else resources.get_object()
        merged = generic.DictionaryObject(dict(resources))
        existing = resources.get("/XObject")
        all_xobjects = generic.DictionaryObject(dict(existing.get_object()) if existing is not None else {})
        all_xobjects.update(xobjects)
        merged[generic.NameObject("/XObject")] = all_xobjects
        page[generic.NameObject("/Resources")] = merged
        extra = generic.StreamObject(stream_data=b"\nQ " + b"\n".join(drawn) + b"\n")
        opening = generic.StreamObject(stream_data=b"q\n")
        contents = page.get("/Contents")
        parts: list[Any] = [writer.add_object(opening)]
        if contents is not None:
            raw = page.raw_get("/Contents")
            if isinstance(contents.get_object(), generic.ArrayObject):
                parts += list(contents.get_object())
            else:
                parts.append(raw)
        parts.append(writer.add_object(extra))
        page[generic.NameObject("/Contents")] = generic.ArrayObject(parts)
        writer.update_container(page)
        touched = True
    if not touched:
        return pdf
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _box(v: list[float]) -> tuple[float, float, float, float]:
    """A PDF rectangle in its normal form: any two opposite corners are allowed."""
    return min(v[0], v[2]), min(v[1], v[3]), max(v[0], v[2]), max(v[1], v[3])
