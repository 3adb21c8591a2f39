"""Appendices: where each begins after the signature, its heading, titles, reference line and the rows
of its catalogue table. The one rule of `check` and `import` (both read doc.appendices)."""

from __future__ import annotations

import re

from ..word.reader import Cell, Para, is_bold, is_centred, norm, starts_page
from .column_numbers import column_number_row, head_rows
from .lines import APPENDIX_HEAD_RE, APPENDIX_REF_RE, FORM_LABEL_RE, QUOC_HIEU_RE, TIEU_NGU_RE, fold_hoa
from .model import AppendixPart, CatalogueRow, KeHoach


def locate_appendices(doc: KeHoach, main_section: int, sig_end: int, end: int | None = None) -> None:
    """Appendices: everything after the signature (line sig_end) and before line end (a copy's own
    block), cut where an appendix heading stands (appendix_starts), added to doc.appendices with
    their catalogue rows."""
    end_all = len(doc.paragraphs) if end is None else end
    repeated = repeated_headers(doc, doc.paragraphs[sig_end + 1:end_all])
    doc.repeated_headers = [p for p in doc.paragraphs[sig_end + 1:end_all] if p.cell and p.cell.table in repeated]
    tail = [p for p in doc.paragraphs[sig_end + 1:end_all] if not (p.cell and p.cell.table in repeated)]
    starts = appendix_starts(tail)
    first_text: dict[int, int] = {}  # section -> index of its first line with text after the signature
    for p in tail:
        if p.text:
            first_text.setdefault(p.section, p.index)
    for k, (start, titled) in enumerate(starts):
        stop = starts[k + 1][0].index if k + 1 < len(starts) else end_all
        in_app = [p for p in doc.paragraphs[start.index:stop] if not (p.cell and p.cell.table in repeated)]
        sections = sorted({p.section for p in in_app})
        # An appendix has its own section when it starts one (its page numbers can restart).
        own = start.section > main_section and first_text.get(start.section) == start.index
        _appendix(doc, start.section, in_app, own_section=own, titled=titled, sections=sections)

def _appendix(doc: KeHoach, section: int, in_sec: list[Para], own_section: bool, titled: bool = True,
          sections: list[int] | None = None) -> None:
    texts = [p for p in in_sec if p.text and p.cell is None]
    first = next((p for p in in_sec if p.text), None)
    boxed_head = first is not None and first.cell is not None and titled and heading_box(
        [p for p in in_sec if p.text and p.cell is not None and p.cell.table == first.cell.table]) is not None
    if boxed_head and first is not None and first.cell is not None:
        # The head set in a table of its own (heading_box): its lines first, then the text after it.
        table = first.cell.table
        texts = [p for p in in_sec if p.text and p.cell is not None and p.cell.table == table] + texts
    if not texts:
        texts = [p for p in in_sec if p.text][:1]  # a table alone: located by its first cell
    heading = texts[0]
    ref_i = next((i for i, p in enumerate(texts[:6]) if APPENDIX_REF_RE.match(p.text)), None)
    if ref_i is not None and not titled and ref_i > 0:
        ref_i = None  # text with no appendix heading: only a first line can be its reference line
    boxed = _boxed_reference(in_sec, heading) if ref_i is None and titled else []
    if ref_i is not None:
        head = texts[:ref_i + 1]
    elif boxed:
        head = [heading, *[p for p in texts[1:6] if p.index < boxed[0].index], *boxed]
    elif titled:
        head = [heading, *_name_lines(in_sec, heading)]
    else:
        head = []
    ref = texts[ref_i] if ref_i is not None else boxed[0] if boxed else None
    if ref_i is not None and ref is not None and ref.text.startswith("(") and ")" not in ref.text \
            and ref_i + 1 < len(texts):
        # A long reference line typed as two paragraphs: one line for the rules.
        nxt = texts[ref_i + 1]
        head.append(nxt)
        ref = Para(norm(ref.text + " " + nxt.text), ref.el, ref.fmt, ref.runs + nxt.runs, ref.section,
                   ref.cell, ref.width, ref.index)
    names = head[1 if titled else 0:ref_i if ref_i is not None else -len(boxed) if boxed else len(head)]
    if boxed_head and not names:
        # The box holds the heading and the reference ("Mẫu số 01" over "(Kèm theo …)" in the top right
        # corner): the appendix's name is the centred bold lines right under the box.
        box = [p for p in texts if p.cell is not None and first is not None and first.cell is not None
               and p.cell.table == first.cell.table]
        names = _name_lines(in_sec, box[-1])
        head += names
    titles = [t for t in names if not t.text.startswith("(")]
    doc.appendices.append(AppendixPart(section, heading, titles, ref, _catalogue_rows(doc, in_sec), own_section,
                                       titled, sections or [section], names, head))
    doc.table_texts += [p for p in in_sec if p.cell is not None and p.text]


def _boxed_reference(in_sec: list[Para], heading: Para) -> list[Para]:
    """The "(Kèm theo …)" line set in a table of its own under the heading's name (a box, or a
    borderless cell to centre it): its lines, when that table's first line is one and the table holds
    nothing else; before any other table or running text."""
    lines = [p for p in in_sec if p.text and p.index > heading.index][:8]
    for p in lines:
        if p.cell is None:
            if is_centred(p) and not APPENDIX_REF_RE.match(p.text):
                continue  # the appendix's name, centred under its heading
            return []
        table = [q for q in in_sec if q.text and q.cell is not None and q.cell.table == p.cell.table]
        if not APPENDIX_REF_RE.match(p.text) or len({id(q.paragraph) for q in table}) > 2:
            return []
        return table
    return []


def _name_lines(in_sec: list[Para], heading: Para) -> list[Para]:
    """With no reference line: the appendix's name is the centred bold lines right under its heading
    (at most four paragraphs), before any table or other text."""
    out: list[Para] = []
    for p in in_sec:
        if p.index <= heading.index or not p.text:
            continue
        if p.cell is not None or not (is_centred(p) and is_bold(p)) or APPENDIX_REF_RE.match(p.text) \
                or len({id(q.paragraph) for q in [*out, p]}) > 4:
            break
        out.append(p)
    return out


ROW_NUMBER_RE = re.compile(r"^(?P<num>[IVXLC]+|\d+(?:\.\d+)*)\.?(?:\s+(?P<rest>\S.*))?$")


def _catalogue_rows(doc: KeHoach, paras: list[Para]) -> list[CatalogueRow]:
    """The table rows of an appendix section, keyed by their first cell. A group row merged into one
    cell ("I. Truyền thông …") gives its number from the start of that cell's text. A row of column
    numbers under the header ("(1) (2) …", "1 2 …") and the rows of sub-titles of a header of several
    rows are the table's head, no row of the list."""
    heads: set[int] = set()
    for table in {id(t): t for p in paras if p.cell is not None and (t := doc.table_of(p)) is not None}.values():
        at = column_number_row(table)
        if at is not None:
            heads |= {id(q) for c in table.rows[at] for q in c.paras}
        # The rows of sub-titles under a header of several rows ("Bắt đầu | Kết thúc" under "Thời
        # gian thực hiện"): head too, never a row of the list (a year "2025" over a column is no task).
        heads |= {id(q) for row in table.rows[1:head_rows(table)] for c in row for q in c.paras}
    rows: dict[tuple[int, int], list[tuple[Cell, Para]]] = {}
    for p in paras:
        if p.cell is not None and p.text and id(p.paragraph) not in heads:
            rows.setdefault((p.cell.table, p.cell.row), []).append((p.cell, p))
    out = []
    for cells in rows.values():
        first = [p for c, p in cells if c.col == cells[0][0].col]
        number = " ".join(p.text for p in first)
        rest = [p for _, p in cells if p not in first]
        m = ROW_NUMBER_RE.match(number)
        if m and m.group("rest") and not rest:  # merged: number and title in one cell
            number = m.group("num")
        out.append(CatalogueRow(number, rest[0] if rest else first[0]))
    return out


def appendix_heading(p: Para, after: list[Para], section_start: bool = False, forms: bool = False) -> bool:
    """Whether line p opens an appendix: "PHỤ LỤC …"/"DANH MỤC …" (with forms, also a form's label
    "Mẫu số 01") set apart (centred, bold, first on a new section's page, or set right: a label in
    the page's top right corner), or a bold centred title with its "(Kèm theo …)" line within the
    next three lines."""
    if p.cell is not None or not p.text:
        return False
    set_right = p.fmt is not None and p.fmt.align in ("right", "end")
    if _head_line(p.text, forms) and (is_centred(p) or is_bold(p) or section_start or set_right):
        return True
    return is_centred(p) and is_bold(p) and not p.text.startswith("(") \
        and any(APPENDIX_REF_RE.match(q.text) for q in after[:3])


def _head_line(text: str, forms: bool) -> bool:
    return len(text) < 120 and bool(APPENDIX_HEAD_RE.match(text) or (forms and FORM_LABEL_RE.match(text)))


def heading_box(lines: list[Para], forms: bool = True) -> Para | None:
    """The heading line of a table that only sets an appendix's head (a box round "PHỤ LỤC", its
    name and its "(Kèm theo …)" line; or "Mẫu số 01" and the reference set in a borderless table's
    right cell): one row, at most six lines, its first line a heading, every other a name line
    (centred) or the reference line. None for any other table."""
    if not lines or len(lines) > 6 or len({q.cell.row for q in lines if q.cell is not None}) != 1:
        return None
    first = lines[0]
    if not _head_line(first.text, forms):
        return None
    if all(is_centred(q) or APPENDIX_REF_RE.match(q.text) or q.paragraph is first.paragraph for q in lines[1:]):
        return first
    return None


def repeated_headers(doc: KeHoach, tail: list[Para]) -> set[int]:
    """The tables after the signature that repeat the document's header (this issuer's name beside
    the Quốc hiệu and Tiêu ngữ), as some agencies open each appendix's page, right before its
    heading: the page's heading, not an appendix nor its content. A form's header inside an appendix
    (a blank "(1)……" issuer, or any header under the appendix's own heading) is content and stays."""
    issuer = {norm(p.text) for p in doc.issuer_lines if p.text}
    texts = [p for p in tail if p.text]
    out: set[int] = set()
    for table in {p.cell.table for p in texts if p.cell is not None}:
        lines = [p for p in texts if p.cell is not None and p.cell.table == table]
        national = any(QUOC_HIEU_RE.match(fold_hoa(p.text)) or TIEU_NGU_RE.match(p.text) for p in lines)
        own = bool(issuer) and issuer <= {norm(p.text) for p in lines}
        after = [p for p in texts if p.index > lines[-1].index and not (p.cell and p.cell.table == table)][:4]
        # Atop its page: a page or section starts between the text before it and its first line (or
        # nothing stands before it). A header under an appendix's heading on the same page is a form's.
        before = [p for p in texts if p.index < lines[0].index][-1:]
        gap = [p for p in tail if (before[0].index if before else -1) < p.index <= lines[0].index]
        top = not before or before[0].section != lines[0].section or any(starts_page(p) for p in gap) \
            or bool(before[0].runs) and before[0].runs[-1].text.endswith("\f")  # the break typed after its text
        if national and own and top and after \
                and appendix_heading(after[0], after[1:], after[0].section != lines[-1].section):
            out.add(table)
    return out


def appendix_starts(tail: list[Para]) -> list[tuple[Para, bool]]:
    """Where the appendices begin in the lines after the signature, and whether each has a heading:
    the one rule of `check` and `import`. The centred lines right under a heading are its name
    ("PHỤ LỤC" / "DANH MỤC …" / "(Trích …)"), not a second appendix; a new section continues the appendix
    before it unless it opens with a heading; text after the signature with no heading at all is
    one appendix without a title (its words are kept and checked)."""
    items: list[Para] = []
    seen_tables: set[int] = set()
    boxes: dict[int, Para] = {}  # a table that only sets an appendix's head: its heading line
    for p in tail:
        if not p.text:
            continue
        if p.cell is not None:
            if p.cell.table in seen_tables:
                continue
            seen_tables.add(p.cell.table)
            heading = heading_box([q for q in tail if q.text and q.cell is not None and q.cell.table == p.cell.table])
            if heading is not None:
                boxes[id(heading)] = heading
                p = heading
        items.append(p)
    starts: list[tuple[Para, bool]] = []
    title_block = False  # in the centred lines under a heading, before its "(Kèm theo …)" line
    held = False  # a "PHỤ LỤC" heading stands above: a form's label under it is that appendix's content
    for i, p in enumerate(items):
        prev = items[i - 1] if i else None
        section_start = prev is None or p.section != prev.section
        title_block = title_block and not section_start and p.cell is None and is_centred(p) \
            and not APPENDIX_REF_RE.match(p.text)
        if title_block:
            continue
        if (id(p) in boxes and _head_line(p.text, not held)) \
                or appendix_heading(p, items[i + 1:i + 4], section_start, forms=not held):
            starts.append((p, True))
            title_block = True
            held = held or bool(APPENDIX_HEAD_RE.match(p.text))
        elif not starts:
            starts.append((p, False))
    return starts
