"""A plan's data file as the checker's document model: the derived strings, no formatting.

Why here: the content rules (numbering, ký hiệu, dates, recipients) apply to a data file before any
Word file exists; the reader in generator.word knows Word files only, and generator.recognise what it reads.
"""

from __future__ import annotations

from typing import Any

from ..document.context import build_context
from ..nd30 import QUOC_HIEU
from ..plan.model import Plan
from ..recognise.lines import is_name_prefix_line, recognise_type
from ..recognise.model import AppendixPart, CatalogueRow, KeHoach, SignerPart
from ..word.reader import Para, norm


def from_plan(plan: Plan, source: str) -> KeHoach:
    """The same model built from a plan's derived strings (no formatting): for the content rules."""
    ctx = build_context(plan)
    doc = KeHoach(source=source, formatted=False)

    def para(text: str) -> Para:
        p = Para(text=norm(text.replace("\n", " ")))
        p.index = len(doc.paragraphs)
        doc.paragraphs.append(p)
        return p

    heads: list[list[Para]] = []

    def blocks(items: list[dict[str, Any]], *, body: bool = False) -> list[Para]:
        # A table's cells are table text for the rules, not body paragraphs.
        out = []
        previous = None
        for b in items:
            if b["kind"] == "table":
                doc.table_texts.extend(para(t) for t in b["cells"])
            else:
                out.append(para(b["text"]))
                if body and b["kind"] == "part":
                    # A part's heading lines, known here: the outline need not guess them.
                    if previous == "part":
                        heads[-1].append(out[-1])
                    else:
                        heads.append([out[-1]])
            previous = b["kind"]
        return out

    doc.parent_lines = [para(line) for line in ctx["agency"]["parent_lines"]]
    doc.issuer_lines = [para(line) for line in ctx["agency"]["name_lines"]]
    doc.quoc_hieu = para(QUOC_HIEU)
    doc.number_line = para(ctx["number_line"])
    doc.date_line = para(ctx["date_line"])
    doc.doc_type = para(ctx["doc_type"])
    doc.document_type = recognise_type(ctx["doc_type"])
    doc.subject_lines = [para(line) for line in ctx["subject_lines"]]
    if ctx["subtitle"]:
        doc.subtitle = [para(ctx["subtitle"])]
    doc.body = [para(t) for t in [*ctx["grounds"], *ctx["opening"]]] + blocks(ctx["body"], body=True)
    doc.part_heads = heads
    if ctx["closing"]:
        doc.body.append(para(ctx["closing"]))
    doc.noi_nhan = para("Nơi nhận:")
    doc.recipients = [para(t) for t in ctx["recipients"]]
    def signer(block: dict[str, Any]) -> SignerPart:
        # The name's lines as check reads them off the page: a rank or an academic title alone on a
        # line ("Đại tá" over or under the name) is the name's, not part of the person's name.
        lines = [para(t) for t in block["lines"]]
        printed = [x.strip() for x in block["name"].split("\n") if x.strip()]
        rank: list[Para] = []
        name: Para | None = None
        for x in printed:
            if is_name_prefix_line(x):
                rank.append(para(x))
            elif name is None:
                name = para(" ".join(y for y in printed if not is_name_prefix_line(y)))
        return SignerPart(lines, name or para(block["name"]), rank=rank)

    lead = signer(ctx["signer"])
    doc.signer_lines, doc.signer_name, doc.signer_rank = lead.lines, lead.name, lead.rank
    # A joint plan's other signers: the same content rules, each on its own.
    doc.co_signers = [signer(s) for s in ctx["co_signers"]]
    for i, app in enumerate(ctx["appendices"], 1):
        heading = para(app["title"])
        titles = [para(line) for line in app["subtitle_lines"]]
        reference = para(app["reference_line"]) if app["reference_line"] else None
        appendix = AppendixPart(i, heading, titles, reference)
        doc.appendices.append(appendix)
        for group in app["groups"]:
            doc.table_texts.append(para(group["title"]))
            appendix.rows.append(CatalogueRow(group["number"], doc.table_texts[-1]))
            for task in group["tasks"]:
                cells = [para(task[k]) for k in ("content", "lead", "support", "time") if task[k]]
                doc.table_texts += cells
                appendix.rows.append(CatalogueRow(task["number"], cells[0] if cells else doc.table_texts[-1]))
        if app["table"] is not None and not app["groups"]:
            doc.table_texts.extend(para(t) for t in app["table"]["cells"])
        doc.table_texts.extend(blocks(app["body"]))
    return doc
