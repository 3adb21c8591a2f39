"""A document and the one it issues, printed in one file: a Quyết định ("Điều 1. Ban hành kèm theo
Quyết định này Kế hoạch …", its signature, Nơi nhận), then on a new page the plan it issues, with its
own header, tên loại and "(Ban hành kèm theo Quyết định số … ngày … của …)" line (Phụ lục III, Mẫu
1.3), or, as many agencies print it, without the header (its tên loại the first line of the page) or
with the issuer's name alone. Read as one document, the plan's lines would be stray parts of the
decision. Told by what the page shows: after the decision's signature a new page (a page break, "page
break before", a section starting a page) that opens with a document's header or its tên loại, whose
"(Ban hành kèm theo …)" line cites a document of the decision's type (a list or a phụ lục has no tên
loại: the decision's appendix). Each is then recognised as if it were its own file (word.reader's
`WordDocument.part`): the decision, with the other in its `attached`."""

from __future__ import annotations

from collections.abc import Iterator

from ..text import upper_vi
from ..word.reader import Para, WordDocument, starts_page
from .lines import parse_reference, recognise_type
from .model import KeHoach
from .parts import opens_with_header, recognise

LOOK_AHEAD = 20
"""Lines with text at the top of a new page searched for a tên loại and the "(Ban hành kèm theo …)" line
before the page is recognised as a document at all (a header, a draft's mark, the title and trích yếu
stand well within them)."""


def recognise_file(word: WordDocument) -> KeHoach:
    """The document a file prints; a decision followed by the document it issues gives the decision,
    recognised on its own lines (its appendices included), with that document in `attached`
    (recognised on its own lines too)."""
    doc = recognise(word)
    for start in _pages_after_signature(doc, word):
        top = [p for p in word.paragraphs[start:start + 4 * LOOK_AHEAD] if p.text][:LOOK_AHEAD]
        if not _opens_document(top, doc.document_type):
            continue  # an appendix's page: its "(Kèm theo …)" line has no tên loại over it
        attached = recognise(word.part(start))
        ref = attached.attached_to
        if attached.doc_type is None or ref is None or upper_vi(ref.doc_type) != upper_vi(doc.document_type or "") \
                or not opens_with_header(attached):
            continue  # no document of its own here (no tên loại, its own Số line, or it begins lower down)
        if attached.not_administrative:
            # Not an administrative document (a contract, the Party's). One printed without a header of
            # its own, its tên loại opening the page, is one all the same (parts.issued_alone).
            continue
        head = recognise(word.part(0, start))
        head.attached, head.attached_line = attached, start
        return head
    return doc


def _signature_end(doc: KeHoach) -> int | None:
    """The last line of the signature and Nơi nhận (the whole table that holds them); None when the
    document is not signed: a second document can only follow a signed one."""
    parts = [p for p in [doc.noi_nhan, *doc.recipients, *doc.signer_lines, doc.signer_name, *doc.after_name,
                         *doc.signature_stand_ins, *(q for s in doc.co_signers for q in s.paras)] if p is not None]
    if doc.signer_name is None or not parts:
        return None
    ends = [t.last if (t := doc.table_of(p)) is not None else p.index for p in parts]
    return max(ends)


def _pages_after_signature(doc: KeHoach, word: WordDocument) -> Iterator[int]:
    """The first line of each page begun after the signature, in order: by a page break before any text
    of its line ("page break before", or typed first), a page break typed after a line's text (the page
    begins with the next line), or a section that starts a new page (not a continuous one)."""
    end = _signature_end(doc)
    if end is None:
        return
    sections = word.sections
    lines = word.paragraphs
    for k in range(end + 1, len(lines)):
        p, before = lines[k], lines[k - 1]
        new_section = p.section != before.section and not sections[min(p.section, len(sections) - 1)].continuous
        if new_section or (starts_page(p) and _break_before_text(p)):
            yield k
        elif k > end + 1 and starts_page(before) and not _break_before_text(before):
            yield k


def _break_before_text(p: Para) -> bool:
    """Whether a line's page starts before its text: a typed page break with no text ahead of it, or
    none typed (the page break set before the paragraph)."""
    typed = "".join(r.text for r in p.runs)
    return "\f" not in typed or not typed.split("\f", 1)[0].strip()


def _opens_document(lines: list[Para], doc_type: str | None) -> bool:
    """Whether the lines hold a tên loại line and a "(Ban hành kèm theo <type> số …)" line citing a
    document of this type (parsed as the recogniser parses a subtitle): the cheap sign, before the
    page is recognised, that it opens a document of its own (an appendix's "(Kèm theo …)" line has
    no tên loại over it)."""
    if doc_type is None or not any(recognise_type(p.text) for p in lines if p.text):
        return False
    refs = (parse_reference(p.text) for p in lines if p.text.startswith("("))
    return any(r is not None and upper_vi(r.doc_type) == upper_vi(doc_type) for r in refs)
