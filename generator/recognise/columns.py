"""Which top-level paragraphs are set in two columns with tab stops instead of a table.

A header (issuer and Số on the left, Quốc hiệu and date on the right) or a Nơi nhận beside the signer
is often typed with tab stops: it prints as a borderless two-column table, and the neutral reader reads
the blocks named here as one (word.reader's `columns` hook). What makes them such blocks is their
Decree 30 text (the Quốc hiệu after a tab, a "Nơi nhận:" line with the signer after a tab), so the
rule lives here, above the reader.
"""

from __future__ import annotations

from ..word.reader import BodyBlock, norm
from .lines import DASHES, NOI_NHAN_RE, QUOC_HIEU_RE, TIEU_NGU_RE, fold_hoa


def tab_columns(blocks: list[BodyBlock]) -> set[int]:
    """The indices (into the body's blocks) of the header and the signature set with tab stops."""
    return _tab_header(blocks) | _tab_signature(blocks)


def _tab_header(blocks: list[BodyBlock]) -> set[int]:
    """The header set in two columns with tab stops instead of a table: the first paragraphs, up to
    the last one whose text after a tab is the Quốc hiệu or the Tiêu ngữ or follows such a line
    with a tab (the Số and date lines), read as the rows of a borderless table."""
    top: list[int] = []
    for i, b in enumerate(blocks):
        if b.kind != "paragraph" or len(top) >= 12:
            break
        top.append(i)
    texts = [blocks[i].text for i in top]
    lines = [ln for t in texts for ln in t.split("\n")]
    if not any(QUOC_HIEU_RE.match(fold_hoa(norm(seg))) or TIEU_NGU_RE.match(norm(seg))
               for ln in lines if "\t" in ln for seg in ln.split("\t")[1:]):
        return set()
    last = max(i for i, t in enumerate(texts) if any("\t" in ln and ln.split("\t", 1)[1].strip()
                                                     for ln in t.split("\n")))
    first = next(i for i, t in enumerate(texts) if t.strip())
    return set(top[first:last + 1])


def _tab_signature(blocks: list[BodyBlock]) -> set[int]:
    """The Nơi nhận and the signer set side by side with tab stops instead of a table: from a
    "Nơi nhận:" line with text after a tab, through the recipients' dash lines, empty lines and
    lines with text after a tab (the signer's titles and name), to the last line with a tab."""
    paras = [i for i, b in enumerate(blocks) if b.kind == "paragraph"]
    for k, i in enumerate(paras):
        first = blocks[i].text.split("\n")[0]
        if not (NOI_NHAN_RE.match(norm(first)) and "\t" in first and first.split("\t", 1)[1].strip()):
            continue
        block = [i]
        for j in paras[k + 1:]:
            text = blocks[j].text
            if "\f" in text or blocks[j].ends_section:
                break
            lines = [norm(ln) for ln in text.split("\n")]
            if "\t" in text.strip(" ") or not text.strip() or all(ln[:1] in ("+", *DASHES) or not ln
                                                                for ln in lines):
                block.append(j)
                continue
            break
        while block and "\t" not in blocks[block[-1]].text.strip(" "):
            block.pop()
        return set(block)
    return set()
