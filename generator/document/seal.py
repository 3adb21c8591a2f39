"""What marks a document as ours: the draft/final comment and the seal, shared by render.py (which
writes them) and issue.py (which reads them back before replacing a file).

Here and not in issue.py so that render.py never imports issue.py: issue.py (drafts, finals, not
overwriting) sits above rendering and calls it; rendering needs only these marks.
"""

from __future__ import annotations

import hashlib
import re

from ..plan.model import Plan

DRAFT_COMMENT, FINAL_COMMENT = "Dự thảo", "Bản phát hành"
"""The document's "comments" core property (render._set_properties), read
back by issue.existing_document: how we recognise our drafts."""

SEAL_PREFIX = "kehoach"
"""The core property dc:identifier of every document we write: "kehoach:<draft|final>:<số or ->:
sha256:<digest of the parts>", so a later run can tell our untouched file from one edited in Word."""

_IDENTIFIER = re.compile(rb"<dc:identifier\s*/>|<dc:identifier>[^<]*</dc:identifier>")
SEAL = re.compile(r"^kehoach:(draft|final):(\d+|-):sha256:([0-9a-f]{64})$")


def digest(members: dict[str, bytes]) -> str:
    """sha256 of every part except the document properties (docProps/), in name order.

    Why not the properties: they carry the seal itself, and Word rewrites them (last saved by,
    total editing time) even when nothing in the text changed; every part that holds what the
    reader sees (word/…) is covered.
    """
    h = hashlib.sha256()
    for name in sorted(members):
        if name.startswith("docProps/"):
            continue
        h.update(name.encode("utf-8") + b"\0" + len(members[name]).to_bytes(8, "big"))
        h.update(members[name])
    return h.hexdigest()


def seal(members: dict[str, bytes], plan: Plan) -> dict[str, bytes]:
    """The package's parts with the seal written into dc:identifier of docProps/core.xml.

    Called by the renderer on every document it makes; the seal is a function of the content, so
    the same data still gives the same bytes.
    """
    kind = "final" if plan.is_final else "draft"
    value = f"{SEAL_PREFIX}:{kind}:{plan.number if plan.number is not None else '-'}:sha256:{digest(members)}"
    element = f"<dc:identifier>{value}</dc:identifier>".encode()
    core = members.get("docProps/core.xml")
    if core is None:
        return members
    if _IDENTIFIER.search(core):
        core = _IDENTIFIER.sub(lambda m: element, core, count=1)
    else:
        core = core.replace(b"</cp:coreProperties>", element + b"</cp:coreProperties>", 1)
    return {**members, "docProps/core.xml": core}
