"""A document and the one it issues, printed in one file: a Quyết định ("Điều 1. Ban hành kèm theo
Quyết định này Kế hoạch …", its signature, Nơi nhận), then on a new page the plan it issues, with its
own header, tên loại and "(Ban hành kèm theo Quyết định số … ngày … của …)" line (Phụ lục III, Mẫu
1.3). Agencies publish them so; read as one document, the plan's header and signature would be stray
parts of the decision. Told by what the page shows: after the decision's signature a new page (a page
break, "page break before", a section starting a page) that opens a document of its own, whose
"(Ban hành kèm theo …)" line cites a document of the decision's type. Each is then recognised as if
it were its own file (word.reader's `WordDocument.part`): the decision, with the other in its
`attached`."""

from __future__ import annotations

from ..text import upper_vi
from ..word.reader import Para, WordDocument, starts_page
from .lines import parse_reference, recognise_type
from .model import KeHoach
from .parts import recognise

LOOK_AHEAD = 40
"""Lines of the new page searched for the "(Ban hành kèm theo …)" line before the second document is
recognised at all (its header and title stand well within them); a file with none is read as today."""


def recognise_file(word: WordDocument) -> KeHoach:
    """The document a file prints; a decision followed by the document it issues gives the decision,
    recognised on its own lines, with that document in `attached` (recognised on its own lines too)."""
    doc = recognise(word)
    start = _new_page_after_signature(doc, word)
    if start is None or not _opens_document(word.paragraphs[start:start + LOOK_AHEAD], doc.document_type):
        return doc
    attached = recognise(word.part(start))
    ref = attached.attached_to
    if attached.not_administrative or attached.doc_type is None or ref is None \
            or upper_vi(ref.doc_type) != upper_vi(doc.document_type or ""):
        return doc  # an appendix of the decision, or a page that is no document of its own
    head = recognise(word.part(0, start))
    head.attached, head.attached_line = attached, start
    return head


def _signature_end(doc: KeHoach) -> int | None:
    """The last line of the signature and Nơi nhận (the whole table that holds them); None when the
    document is not signed: a second document can only follow a signed one."""
    parts = [p for p in [doc.noi_nhan, *doc.recipients, *doc.signer_lines, doc.signer_name, *doc.after_name,
                         *doc.signature_stand_ins, *(q for s in doc.co_signers for q in s.paras)] if p is not None]
    if doc.signer_name is None or not parts:
        return None
    ends = [t.last if (t := doc.table_of(p)) is not None else p.index for p in parts]
    return max(ends)


def _new_page_after_signature(doc: KeHoach, word: WordDocument) -> int | None:
    """The first line of the page that begins after the signature, when the first text after the
    signature is printed on it: a break that starts the page (a page break before any text of its
    line, "page break before"), or a section that starts a new page. None when text follows the
    signature on its page (an appendix run on, a note), or nothing follows it."""
    end = _signature_end(doc)
    if end is None:
        return None
    after = word.paragraphs[end + 1:]
    first = next((p for p in after if p.text), None)
    if first is None:
        return None
    last = word.paragraphs[end]
    if first.section != last.section:
        sections = word.sections
        opened = sections[min(first.section, len(sections) - 1)]
        if opened.continuous:
            return None
        return next(p.index for p in after if p.section == first.section)
    breaks = [p for p in after if p.index <= first.index and starts_page(p)]
    if not breaks:
        return None
    at = breaks[-1]
    if at.text and not _break_before_text(at):
        return None  # the page breaks after this line's text: it stays on the signature's page
    return at.index


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
