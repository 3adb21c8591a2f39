"""`kehoach verify`: for each signature, who signed, whether the signed bytes are intact, whether the
signer is established by a trust anchor, and what changed after it, revision by revision.

Why our own account of the changes, next to pyHanko's difference analysis:
- pyHanko's default policy refuses any revision that frees an object; the national signing service's
  writer frees objects in harmless updates, so a genuine file read as "modified". We run the same
  rules with freeing allowed (LENIENT_POLICY): the rules still refuse any object they cannot explain.
- pyHanko accepts a new signature field as "form filling" whatever its appearance paints; a reader sees
  that appearance on the page. An appearance of a field nobody signed is page content here.
- A user needs the page and the words: each page touched by a revision is read as the reader sees it
  (annotations drawn) before and after that revision, and the words compared.

The published attacks on PDF signatures (Shadow Attacks, Mainka et al. NDSS 2021; Incremental
Saving, Signature Wrapping and Universal Signature Forgery, Mladenov et al. 2019; Evil Annotation
and Sneaky Signature, Rohlmann et al. 2021) are each met by one rule here, one place per rule
(tests/test_verify_attacks.py builds every one):
- what a widget may do after a signature: _filled (a field that showed something at signing and is
  drawn otherwise is content; only a blank field filled where nothing was written is form filling);
- the words a reader sees leave out glyphs a later filled shape covers (pages.read_pages
  visible_only), so what a removed cover reveals is named;
- bytes no xref section describes (after the last revision, before any revision): _Revisions;
- a signature field that cannot be read is a broken signature, reported beside the others: _collect;
- what DocMDP allows after a certification: _allowed_after;
- what an untrusted file may cost: _census and _Revisions._bounded, with limits.py's budgets;
  nesting by the parser's own recursion limit, said as such.

Verdicts: "invalid" when the signed bytes changed, the signature does not match its certificate, the
certificate is refused by a trust anchor's chain (expired, revoked, wrong use), or anything but
signatures, their stamps and form filling came after it; "unverified" when it is intact but no trust
anchor given reaches its certificate (a look-alike certificate names anyone it likes); "valid" only when
intact and trusted.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import io
import itertools
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ..errors import UserError
from ..limits import BudgetExceeded
from ..text import number_vi
from ..word.package import read_bounded
from .common import ROLE_OF_FIELD, VN_TZ, need_sign_libs, page_of, quiet_pyhanko, said_time
from .pages import HIDDEN_FLAGS, Page
from .stamps import FIELD_OF, WHAT_VI

ChangeKind = Literal["signature", "stamp", "annotation", "form", "unseen", "content", "other"]
Verdict = Literal["valid", "invalid", "unverified"]
ALLOWED_AFTER: set[str] = {"signature", "stamp", "form", "unseen"}
"""What may come after a signature without making it invalid (Decree 30: the agency's signature, the
number and date stamped into their blanks, the seal; and an update nothing shown uses, named all the
same: _unseen)."""
HARMLESS: set[str] = {"unseen"}
"""Allowed even after a certification that allows no change (DocMDP P=1): PAdES and pyHanko count
what nothing in the document uses (an object no page, field or signature refers to, long-term
validation data) as no modification."""

KIND_VI = {"signature": "chữ ký số", "stamp": "hình/chữ của chữ ký", "annotation": "chú thích",
           "form": "ô biểu mẫu", "unseen": "cập nhật không hiển thị", "content": "NỘI DUNG TRANG",
           "other": "THAY ĐỔI KHÁC"}
VERDICT_VI = {"valid": "hợp lệ", "invalid": "KHÔNG hợp lệ", "unverified": "chưa xác minh được người ký"}


@dataclass(frozen=True)
class Change:
    revision: int
    """The file's revision (0 is the file as first written, each incremental update adds one)."""
    kind: ChangeKind
    page: int | None
    """1-based."""
    detail: str

    def to_json(self) -> dict[str, Any]:
        return {"revision": self.revision, "kind": self.kind, "page": self.page, "detail": self.detail}


@dataclass
class SignatureReport:
    field: str
    signer: str
    organization: str | None
    signed_at: dt.datetime | None
    page: int | None
    """1-based page of the signature's widget."""
    intact: bool
    valid: bool
    """The signature value matches the certificate's key (cryptography)."""
    trusted: bool | None
    """True: a trust anchor's chain reaches the certificate and accepts it; False: it reaches it and
    refuses it (expired, revoked, wrong key usage); None: no trust anchor reaches it."""
    timestamp: dt.datetime | None
    revision: int
    changes_after: list[Change] = dataclasses.field(default_factory=list)
    problems: list[str] = dataclasses.field(default_factory=list)
    notes: list[str] = dataclasses.field(default_factory=list)
    document_timestamp: bool = False
    """A time stamping authority's timestamp of the whole document (PAdES-LTA), not a person's signature."""

    # Names of the first version of this report, kept for callers.
    @property
    def who(self) -> str:
        return self.signer

    @property
    def time(self) -> dt.datetime | None:
        return self.signed_at

    @property
    def verdict(self) -> Verdict:
        if self.problems:
            return "invalid"
        return "valid" if self.trusted else "unverified"

    @property
    def covers_whole(self) -> bool:
        return all(change.kind in ALLOWED_AFTER for change in self.changes_after)

    def to_json(self) -> dict[str, Any]:
        return {
            "field": self.field, "signer": self.signer, "organization": self.organization,
            "signed_at": _iso(self.signed_at), "page": self.page, "intact": self.intact,
            "trusted": self.trusted, "timestamp": _iso(self.timestamp),
            "changes_after": [c.to_json() for c in self.changes_after], "verdict": self.verdict,
        }

    def to_text(self, number: int) -> str:
        role = "dấu thời gian của tài liệu" if self.document_timestamp else _role(self.field)
        who = self.signer + (f" — {self.organization}" if self.organization else "")
        where = "" if self.page is None else f", trang {self.page}"
        trust = {None: "chưa xác minh (không có chứng thư gốc tin cậy nào dẫn tới chứng thư này; thêm "
                       "--trust CA.cer)", True: "có", False: "KHÔNG"}[self.trusted]
        if self.trusted is None and not (self.intact and self.valid):
            # A signature that no longer matches the file establishes no one, whatever --trust says.
            trust = "không xác minh được (chữ ký không còn khớp với tệp)"
        lines = [f"Chữ ký {number} ({role}, trường {self.field}{where}, lần cập nhật {self.revision}): {who}",
                 f"  thời gian ký: {said_time(self.signed_at) if self.signed_at else 'không rõ'}"
                 + (f"; dấu thời gian: {said_time(self.timestamp)}" if self.timestamp else ""),
                 f"  nguyên vẹn: {'có' if self.intact else 'KHÔNG'}; người ký được xác minh: {trust}"]
        if not self.changes_after and self.intact:  # a broken one was changed, by definition
            lines.append("  sau chữ ký: không có gì thay đổi")
        for change in self.changes_after:
            page = f", trang {change.page}" if change.page else ""
            lines.append(f"  sau chữ ký, lần cập nhật {change.revision}{page}: {KIND_VI[change.kind]} — "
                         f"{change.detail}")
        lines += [f"  LỖI: {p}" for p in self.problems]
        lines += [f"  ghi chú: {n}" for n in self.notes]
        lines.append(f"  kết luận: {VERDICT_VI[self.verdict]}")
        return "\n".join(lines)


@dataclass
class Verification:
    path: Path
    signatures: list[SignatureReport]

    @property
    def verdict(self) -> Verdict:
        verdicts = [s.verdict for s in self.signatures]
        if not verdicts or "invalid" in verdicts:
            return "invalid"
        return "unverified" if "unverified" in verdicts else "valid"

    def to_json(self) -> dict[str, Any]:
        return {"verdict": self.verdict, "signatures": [s.to_json() for s in self.signatures]}

    # A list of reports to callers of the first version.
    def __iter__(self) -> Any:
        return iter(self.signatures)

    def __len__(self) -> int:
        return len(self.signatures)

    def __getitem__(self, index: int) -> SignatureReport:
        return self.signatures[index]


def _role(field: str) -> str:
    """Who signed a field, in the words of the issue: the văn thư's stamps of the number and date are
    the agency's signatures too, and said as what they wrote (a bare "chữ ký" told nothing)."""
    if field in ROLE_OF_FIELD:
        return ROLE_OF_FIELD[field]
    for what, base in FIELD_OF.items():
        if re.fullmatch(rf"{base}\d*", field):
            return f"văn thư đóng {WHAT_VI[what]}, chữ ký số của cơ quan"
    return "chữ ký"


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.astimezone(VN_TZ).isoformat(timespec="seconds") if moment else None


# --- Trust anchors --------------------------------------------------------------------------------

CERT_SUFFIXES = {".pem", ".cer", ".crt", ".der", ".cert"}
MAX_TRUST_FILES = 2000
MAX_CERT_BYTES = 1 << 20


def load_trust(paths: list[str | Path]) -> list[Any]:
    """Certificates from PEM or DER files, and from folders of them (.pem .cer .crt .der): the national
    CA's root and intermediate certificates are distributed as .cer files."""
    from asn1crypto import pem, x509

    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix.lower() in CERT_SUFFIXES and p.is_file())
            if not found:
                raise UserError(f"{path}: thư mục không có tệp chứng thư nào (.cer, .crt, .pem, .der)")
            files += found[:MAX_TRUST_FILES]
        else:
            files.append(path)
    roots = []
    for path in files:
        try:
            if path.stat().st_size > MAX_CERT_BYTES:
                raise UserError(f"{path}: quá lớn cho một tệp chứng thư (trên 1 MB)")
            data = path.read_bytes()
        except OSError as exc:
            raise UserError(f"{path}: không đọc được chứng thư tin cậy ({exc.strerror or exc})") from None
        try:
            if pem.detect(data):
                roots += [x509.Certificate.load(der) for _t, _h, der in pem.unarmor(data, multiple=True)]
            else:
                cert = x509.Certificate.load(data)
                cert.native  # noqa: B018  (parse it all now: asn1crypto is lazy)
                roots.append(cert)
        except Exception:
            raise UserError(f"{path}: không phải chứng thư X.509 (PEM hoặc DER)") from None
    return roots


# --- The file's revisions -------------------------------------------------------------------------

def lenient_policy() -> Any:
    """pyHanko's default rules with object freeing allowed (see the module's docstring)."""
    from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY, StandardDiffPolicy

    return StandardDiffPolicy(global_rules=DEFAULT_DIFF_POLICY.global_rules,
                              form_rule=DEFAULT_DIFF_POLICY.form_rule, reject_object_freeing=False)


MAX_WALK = 50_000
"""Objects visited to find what a page draws; a page of a real document uses a few hundred."""


def _pages(resolver: Any) -> list[tuple[Any, Any]]:
    """(reference, dictionary) of every page in a revision, in order."""
    from pyhanko.pdf_utils import generic

    out: list[tuple[Any, Any]] = []
    seen: set[Any] = set()

    def walk(node_ref: Any, depth: int) -> None:
        if depth > 64 or len(out) > 100_000:
            return
        node = node_ref.get_object() if isinstance(node_ref, generic.IndirectObject) else node_ref
        ref = node_ref.reference if isinstance(node_ref, generic.IndirectObject) else None
        if ref is not None:
            if ref in seen:
                return
            seen.add(ref)
        if not isinstance(node, generic.DictionaryObject):
            return
        if node.get("/Type") == "/Pages" or "/Kids" in node:
            for kid in node.get("/Kids", []) or []:
                walk(kid, depth + 1)
        else:
            out.append((ref, node))

    walk(resolver.root.raw_get("/Pages"), 0)
    return out


def _redraws_fields(resolver: Any) -> bool:
    """The form asks readers to draw its fields from their values (/NeedAppearances): the
    appearances compared here are then not what a reader shows, and a value changed after signing
    shows though no appearance changed."""
    try:
        return bool(resolver.root["/AcroForm"].get("/NeedAppearances", False))
    except Exception:
        return False


def _same(a: Any, b: Any, depth: int = 0) -> bool:
    from pyhanko.pdf_utils import generic

    if depth > 32:
        return False
    if isinstance(a, generic.IndirectObject) or isinstance(b, generic.IndirectObject):
        return (isinstance(a, generic.IndirectObject) and isinstance(b, generic.IndirectObject)
                and a.reference == b.reference)
    if isinstance(a, generic.StreamObject) or isinstance(b, generic.StreamObject):
        return (isinstance(a, generic.StreamObject) and isinstance(b, generic.StreamObject)
                and a.encoded_data == b.encoded_data and _same_dict(a, b, depth))
    if isinstance(a, generic.DictionaryObject) and isinstance(b, generic.DictionaryObject):
        return _same_dict(a, b, depth)
    if isinstance(a, generic.ArrayObject) and isinstance(b, generic.ArrayObject):
        return len(a) == len(b) and all(_same(x, y, depth + 1) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


def _same_dict(a: Any, b: Any, depth: int, skip: frozenset[str] = frozenset()) -> bool:
    keys = (set(a.keys()) | set(b.keys())) - skip
    return all(k in a and k in b and _same(a.raw_get(k), b.raw_get(k), depth + 1) for k in keys)


def _reachable(start: list[Any], limit: int = MAX_WALK) -> set[Any]:
    """References reachable from these objects (a page's /Contents and /Resources)."""
    from pyhanko.pdf_utils import generic

    found: set[Any] = set()
    stack = list(start)
    while stack and len(found) < limit:
        obj = stack.pop()
        if isinstance(obj, generic.IndirectObject):
            if obj.reference in found:
                continue
            found.add(obj.reference)
            try:
                obj = obj.get_object()
            except Exception:
                continue
        if isinstance(obj, generic.DictionaryObject):
            stack += [obj.raw_get(k) for k in obj.keys() if k != "/Parent"]
        elif isinstance(obj, generic.ArrayObject):
            stack += list(obj)
    return found


def _drawing_streams(start: list[Any], contents: Any) -> list[Any]:
    """The streams that draw a page: its content streams, and every form (XObject forms, annotation
    appearances) reachable from its resources and annotations; not images nor fonts, which pdfminer
    does not inflate to read words. Bounded like _reachable."""
    from pyhanko.pdf_utils import generic

    own = contents.get_object() if isinstance(contents, generic.IndirectObject) else contents
    own_list = list(own) if isinstance(own, generic.ArrayObject) else [contents]
    own_refs = {getattr(x, "reference", None) for x in own_list} - {None}
    streams: list[Any] = []
    seen: set[Any] = set()
    stack = list(start)
    visited = 0
    while stack and visited < MAX_WALK:
        obj = stack.pop()
        visited += 1
        ref = getattr(obj, "reference", None) if isinstance(obj, generic.IndirectObject) else None
        if ref is not None:
            if ref in seen:
                continue
            seen.add(ref)
            try:
                obj = obj.get_object()
            except Exception:
                continue
        if isinstance(obj, generic.StreamObject):
            if ref in own_refs or obj.get("/Subtype") == "/Form" or "/BBox" in obj:
                streams.append(obj)
            else:
                continue  # images, fonts: their dictionaries lead nowhere that draws
        if isinstance(obj, generic.DictionaryObject):
            stack += [obj.raw_get(k) for k in obj.keys() if k not in ("/Parent", "/P")]
        elif isinstance(obj, generic.ArrayObject):
            stack += list(obj)
    return streams


def _decoded_size(stream: Any, cap: int) -> int:
    """Bytes the stream decodes to, counted up to cap (a Flate stream inflated only that far)."""
    import zlib

    filters = stream.get("/Filter")
    names = [str(f) for f in filters] if isinstance(filters, list) else [str(filters)] if filters else []
    try:
        if not names:
            return len(stream.encoded_data)
        if names == ["/FlateDecode"] and "/DecodeParms" not in stream:
            return len(zlib.decompressobj().decompress(stream.encoded_data, cap))
        return len(stream.data)  # pyHanko's own bounded decoders (256 MB, ratio 1100)
    except Exception:
        return cap  # cannot be decoded within pyHanko's limits: as costly as allowed


def _painted(annot: Any, visible: bool = True) -> bool:
    """The annotation draws something where it sits: a visible box and a normal appearance that
    paints (text, image, path). visible=False: whether it would, its hidden flags aside."""
    from pyhanko.pdf_utils import generic

    try:
        if visible and int(annot.get("/F", 0)) & HIDDEN_FLAGS:
            return False
        x0, y0, x1, y1 = (float(v) for v in annot["/Rect"])
        if abs(x1 - x0) < 0.5 or abs(y1 - y0) < 0.5:
            return False
        appearance = annot["/AP"]["/N"]
        if not isinstance(appearance, generic.StreamObject):
            return True  # appearance states: a checkbox or the like draws something
        data = appearance.data
    except (KeyError, TypeError, ValueError):
        return False
    return bool(re.search(rb"(?<![A-Za-z])(Tj|TJ|'|\"|Do|f\*?|F|S|s|B\*?|b\*?|sh|BI)(?![A-Za-z])", data))


def _field_of(annot: Any) -> tuple[str | None, str]:
    """(field type, full name) of a widget (the field may be its parent)."""
    kind = annot.get("/FT")
    names = []
    node, depth = annot, 0
    while node is not None and depth < 32:
        if "/T" in node:
            names.append(str(node["/T"]))
        kind = kind or node.get("/FT")
        node = _parent(node)
        depth += 1
    return (str(kind) if kind else None), ".".join(reversed(names)) or "(không tên)"


def _parent(node: Any) -> Any:
    """A field's parent field, resolved (a dictionary's get gives the indirect reference)."""
    from pyhanko.pdf_utils import generic

    parent = node.get("/Parent")
    parent = parent.get_object() if isinstance(parent, generic.IndirectObject) else parent
    return parent if isinstance(parent, dict) else None


@dataclass
class _Touch:
    """What one revision did to one page."""

    content: list[str] = dataclasses.field(default_factory=list)
    widgets: list[tuple[Any, Any, Any]] = dataclasses.field(default_factory=list)
    """(reference, annotation, the annotation as it was before this revision or None when new)."""
    other_annots: list[Any] = dataclasses.field(default_factory=list)


class _Revisions:
    """The file read revision by revision, with what each revision changed, computed once."""

    def __init__(self, reader: Any, data: bytes, label: object = "tệp PDF") -> None:
        self.reader = reader
        self.data = data
        self.label = label
        self.count = reader.xrefs.total_revisions
        self._touches: dict[int, tuple[dict[int, _Touch], list[str]]] = {}
        self._shown: dict[tuple[int, int], Page | None] = {}

    def end_of(self, revision: int) -> int:
        """Byte offset where a revision ends: its %%EOF marker (and the line end after it)."""
        if revision >= self.count - 1:
            return len(self.data)
        start = self.reader.xrefs.get_startxref_for_revision(revision)
        eof = self.data.find(b"%%EOF", start)
        if eof < 0:
            return len(self.data)
        end = eof + 5
        while end < len(self.data) and self.data[end] in b"\r\n":
            end += 1
        return end

    def signed_by(self, sig: Any) -> int | None:
        """The revision whose bytes a signature signs: the last one whose cross-reference section
        begins before its /ByteRange ends. pyHanko's signed_revision is where the signature object was
        last written; an update that lists it again (a full xref table written after the signature)
        moves that past the bytes signed, and what that update changed would go unnamed."""
        try:
            _start, _len1, start2, len2 = (int(v) for v in sig.byte_range)
            starts = [self.reader.xrefs.get_startxref_for_revision(r) for r in range(self.count)]
        except Exception:
            return None
        before = [r for r, start in enumerate(starts) if start < start2 + len2]
        return before[-1] if before else None

    def unaccounted_tail(self) -> int:
        """Bytes after the last revision that no cross-reference section describes (0 for a sound
        file). pyHanko reads from the last startxref and never sees them, a reader that repairs the
        file does: the Incremental Saving Attack appends new bodies of signed objects with no xref.
        The last xref section may be followed only by its trailer, comments (iText writes its name),
        startxref, %%EOF and blanks."""
        try:
            end = self.reader.xrefs.get_xref_container_info(self.count - 1).end_location
        except Exception:
            return 0
        tail = self.data[end:]
        sound = re.match(rb"\s*(?:endobj\s*)?(?:(?:trailer\s*)?<<(?:(?!\bobj\b|\bstream\b).){0,4096}?>>\s*)?"
                         rb"(?:%[^\r\n]{0,200}[\r\n]+\s*)*startxref\s+\d+\s*%%EOF", tail, re.S)
        if sound is None:
            return len(tail)
        rest = tail[sound.end():]
        return 0 if not rest.strip(b" \t\r\n\f\x00") else len(rest)

    def gap_before(self, revision: int) -> int:
        """Bytes between the end of the previous revision (its %%EOF) and the first object or xref
        section of this one that no cross-reference describes, comments and blanks aside. The
        Incremental Saving Attack without xref may sit there, followed by a genuine update."""
        if revision < 1:
            return 0
        xrefs = self.reader.xrefs
        try:
            # where the section begins: startxref points at the keyword "xref" of a table (the
            # container's own start comes after it) or at the xref stream's object
            starts = [xrefs.get_startxref_for_revision(revision),
                      xrefs.get_xref_container_info(revision).start_location]
            for ref in list(xrefs.explicit_refs_in_revision(revision))[:MAX_WALK]:
                where = xrefs.get_historical_ref(ref, revision)
                if isinstance(where, int):
                    starts.append(where)
        except Exception:
            return 0
        begin = self.end_of(revision - 1)
        gap = self.data[begin:max(begin, min(starts))]
        gap = re.sub(rb"%[^\r\n]*", b"", gap)
        return len(gap.strip(b" \t\r\n\f\x00"))

    def touches(self, revision: int) -> tuple[dict[int, _Touch], list[str]]:
        """Per page (0-based) what this revision changed; and document-level notes."""
        if revision not in self._touches:
            self._touches[revision] = self._compute(revision)
        return self._touches[revision]

    def _compute(self, revision: int) -> tuple[dict[int, _Touch], list[str]]:
        old = self.reader.get_historical_resolver(revision - 1)
        new = self.reader.get_historical_resolver(revision)
        changed = set(new.explicit_refs_in_revision()) | set(new.refs_freed_in_revision())
        old_pages, new_pages = _pages(old), _pages(new)
        touches: dict[int, _Touch] = {}
        notes = []
        if len(old_pages) != len(new_pages):
            notes.append(f"số trang đổi từ {len(old_pages)} thành {len(new_pages)}")
        if _redraws_fields(new) and not _redraws_fields(old):
            notes.append("tệp yêu cầu trình đọc tự vẽ lại mọi ô biểu mẫu (NeedAppearances): chữ các ô hiện ra "
                         "không còn là hình đã ký")
        for index, (ref, page) in enumerate(new_pages):
            touch = _Touch()
            if index >= len(old_pages):
                touch.content.append("trang mới được thêm")
                touches[index] = touch
                continue
            old_ref, old_page = old_pages[index]
            if ref != old_ref:
                touch.content.append("trang được thay bằng trang khác")
            elif (ref is None or ref in changed) and not _same_dict(old_page, page, 0, frozenset({"/Annots"})):
                keys = sorted(k for k in set(old_page.keys()) | set(page.keys()) if k != "/Annots"
                              and not (k in old_page and k in page and _same(old_page.raw_get(k), page.raw_get(k))))
                touch.content.append("đổi " + ", ".join(keys))
            else:
                drawn = [page.raw_get(k) for k in ("/Contents", "/Resources") if k in page]
                hit = _reachable(drawn) & changed
                if hit:
                    touch.content.append("đối tượng vẽ trang bị ghi lại: " + ", ".join(
                        str(r.idnum) for r in sorted(hit, key=lambda r: r.idnum)[:8]))
            old_annots = {a.reference: a for a in (old_page.get("/Annots", []) or [])
                          if hasattr(a, "reference")}
            for annot_ref in page.get("/Annots", []) or []:
                ref_of = getattr(annot_ref, "reference", None)
                is_new = ref_of not in old_annots
                annot = annot_ref.get_object()
                if not is_new and ref_of not in changed and not (
                        _reachable([annot.raw_get("/AP")]) & changed if "/AP" in annot else False) \
                        and _resolved_same(_value(old_annots[ref_of].get_object()), _value(annot)):
                    continue
                if annot.get("/Subtype") == "/Widget":
                    touch.widgets.append((ref_of, annot, None if is_new else old_annots[ref_of].get_object()))
                else:
                    touch.other_annots.append(annot)
            if touch.content or touch.widgets or touch.other_annots:
                touches[index] = touch
        return touches, notes

    def shown(self, revision: int, page: int) -> Page | None:
        """The page as the reader sees it at the end of this revision (annotations drawn)."""
        key = (revision, page)
        if key not in self._shown:
            from .pages import shown_pages

            self._bounded(revision, page)
            prefix = self.data[:self.end_of(revision)]
            try:
                pages = shown_pages(prefix, {page}, visible_only=True)
                self._shown[key] = pages[0] if pages else None
            except (BudgetExceeded, MemoryError):
                raise
            except Exception:
                self._shown[key] = None
        return self._shown[key]

    def _bounded(self, revision: int, page: int) -> None:
        """Refuse (UserError) a page whose drawing decodes to more than MAX_PAGE_DRAWING_BYTES before
        pdfminer reads it: pdfminer inflates every stream whole, with no limit of its own."""
        from ..limits import MAX_PAGE_DRAWING_BYTES

        try:
            pages = _pages(self.reader.get_historical_resolver(revision))
        except Exception:
            return
        if page >= len(pages):
            return
        node = pages[page][1]
        total = 0
        for stream in _drawing_streams([node.raw_get(k) for k in ("/Contents", "/Resources", "/Annots") if k in node],
                                       "/Contents" in node and node.raw_get("/Contents")):
            total += _decoded_size(stream, MAX_PAGE_DRAWING_BYTES - total + 1)
            if total > MAX_PAGE_DRAWING_BYTES:
                raise UserError(f"{self.label}: trang {page + 1} có nội dung giải nén ra hơn "
                                f"{MAX_PAGE_DRAWING_BYTES >> 20} MB (một trang văn bản chỉ vài chục KB): không phải "
                                "văn bản bình thường, không kiểm tra")

    def shown_words(self, revision: int, page: int) -> list[str]:
        shown = self.shown(revision, page)
        return shown.words if shown else []

    def covered(self, revision: int, page: int) -> str:
        """The page's earlier text that the glyphs added in this revision are written over: a stamp
        written in a blank covers nothing; one written over the signed words does. Glyphs, not the
        stamp's box: a real service's boxes are generous and may reach over the neighbouring words."""
        before, after = self.shown(revision - 1, page), self.shown(revision, page)
        if before is None or after is None:
            return ""
        old = [g for line in before.ordered() for g in line.chars if g[0].strip() and g[3] > g[1] and g[4] > g[2]]
        known = {(g[0], round(g[1]), round(g[2])) for g in old}
        added = [g for line in after.lines for g in line.chars
                 if g[0].strip() and (g[0], round(g[1]), round(g[2])) not in known]
        hit: set[int] = set()
        for g in added[:500]:  # a stamp writes a few words; enough to name what it covers
            for i, o in enumerate(old):
                w, h = min(g[3], o[3]) - max(g[1], o[1]), min(g[4], o[4]) - max(g[2], o[2])
                smaller = min((g[3] - g[1]) * (g[4] - g[2]), (o[3] - o[1]) * (o[4] - o[2]))
                if w > 0 and h > 0 and smaller > 0 and w * h > COVER_FRACTION * smaller:
                    hit.add(i)
        return "".join(old[i][0] for i in sorted(hit))

    def lost(self, revision: int, page: int) -> str:
        """The page's earlier glyphs a reader no longer sees after this revision (gone, or under a
        shape painted over them): a stamp in a blank takes none away, a white box over the signed
        number does. Glyphs by place, not words: a number written into "Số:    /KH" joins a word
        without taking a glyph away."""
        before, after = self.shown(revision - 1, page), self.shown(revision, page)
        if before is None or after is None:
            return ""
        now = Counter((g[0], round(g[1]), round(g[2])) for line in after.lines for g in line.chars if g[0].strip())
        gone = []
        for line in before.ordered():
            for g in line.chars:
                key = (g[0], round(g[1]), round(g[2]))
                if not g[0].strip():
                    continue
                if now[key] > 0:
                    now[key] -= 1
                else:
                    gone.append(g[0])
        return "".join(gone)

    def word_change(self, revision: int, page: int) -> str:
        """The words a reader sees appear or go on a page in this revision."""
        before, after = self.shown_words(revision - 1, page), self.shown_words(revision, page)
        added, removed = [], []
        for op, a0, a1, b0, b1 in difflib.SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes():
            if op in ("replace", "delete"):
                removed.append(" ".join(before[a0:a1]))
            if op in ("replace", "insert"):
                added.append(" ".join(after[b0:b1]))
        parts = []
        if added:
            parts.append("thêm chữ «" + _clip(" … ".join(added)) + "»")
        if removed:
            parts.append("mất chữ «" + _clip(" … ".join(removed)) + "»")
        return "; ".join(parts)


COVER_FRACTION = 0.3
"""An added glyph is written over an earlier one when their boxes share this much of the smaller."""


def _clip(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


# --- Verification ---------------------------------------------------------------------------------

MAX_PDF_BYTES = 200 * 2**20
MAX_SIGNATURES = 50
"""A real document has a handful of signatures (five for a letter of a ministry); every signature is
compared with every revision after it (their number: limits.MAX_PDF_REVISIONS)."""


def verify_file(path: str | Path, *, trust: list[str | Path] | None = None) -> Verification:
    """Every signature in the PDF, checked: the library call behind `kehoach verify`.

    Raises UserError (exit 2) when the file cannot be read as a PDF at all.
    """
    need_sign_libs()
    from pyhanko.pdf_utils.reader import PdfFileReader

    path = Path(path)
    # The one reader of a user's file: a folder said as a folder, a pipe never waited on, the size
    # judged on what was opened.
    data = read_bounded(path, str(path), MAX_PDF_BYTES, kind="tệp PDF",
                        too_big="kehoach chỉ kiểm tra tệp PDF đến cỡ này")
    if not data.startswith(b"%PDF-"):
        raise UserError(f"{path}: không phải tệp PDF")
    roots = load_trust(trust or [])
    from .. import limits

    refused = _census(data)
    if refused:
        raise UserError(f"{path}: {refused}; không phải văn bản bình thường, không kiểm tra")

    # A signed PDF comes from anyone: bounded like any uploaded file.
    with limits.read_budget(path, what="tệp PDF", verb="kiểm tra"), quiet_pyhanko():
        reader = None
        try:
            reader = PdfFileReader(io.BytesIO(data), strict=False)
            found = _collect(reader)
        except (BudgetExceeded, MemoryError):
            raise  # out of the read budget: said as such, not as a damaged file
        except Exception as exc:
            if _from_recursion(exc):
                raise UserError(f"{path}: tệp PDF có mảng hoặc từ điển lồng nhau quá sâu, không đọc được; không "
                                "phải văn bản bình thường") from None
            sections = _sections(data, limits.MAX_PDF_REVISIONS + 1)
            if reader is not None and reader.xrefs.total_revisions < sections:
                # The last update names no earlier one (no /Prev, an Incremental Saving Attack): the
                # reader sees that update alone, without the catalogue or pages it left out.
                raise UserError(f"{path}: tệp PDF có {sections} bảng tham chiếu nhưng chuỗi các lần cập nhật chỉ "
                                f"dẫn tới {reader.xrefs.total_revisions} (lần cập nhật cuối không nối với các lần "
                                "trước, thiếu /Prev), không đọc được văn bản; nếu tệp đã được ký, tệp đã bị sửa "
                                "sau khi ký") from None
            raise UserError(f"{path}: tệp PDF hỏng, không đọc được cấu trúc của tệp ({type(exc).__name__}); "
                            "nếu tệp đã được ký, tệp đã bị sửa hoặc hỏng khi sao chép") from None
        revisions = _Revisions(reader, data, path)
        if not found and re.search(rb"/ByteRange\s*\[", data):
            # Signed bytes the chain of updates no longer reaches: a later update's /Prev skipped the
            # signed revision (Incremental Saving Attack). A reader shows the file without them.
            found = [_Broken("(không thuộc văn bản)", None, "tệp có dữ liệu chữ ký nhưng chuỗi các lần cập nhật "
                             "của tệp không dẫn tới nó (một lần cập nhật sau đã bỏ qua lần ghi có chữ ký): trình "
                             "đọc PDF hiển thị văn bản không có chữ ký này", revisions.count - 1, None)]
        if len(found) > MAX_SIGNATURES or revisions.count > limits.MAX_PDF_REVISIONS:
            raise UserError(f"{path}: tệp có {len(found)} chữ ký và {revisions.count} lần cập nhật, quá nhiều "
                            f"để kiểm tra (tối đa {MAX_SIGNATURES} chữ ký, {limits.MAX_PDF_REVISIONS} lần cập "
                            "nhật); một văn bản thật có vài chữ ký")
        signatures = [sig for sig in found if not isinstance(sig, _Broken)]
        try:
            reports = [_broken_report(reader, sig) if isinstance(sig, _Broken)
                       else _verify_one(reader, revisions, sig, signatures, roots) for sig in found]
        except RecursionError:
            raise UserError(f"{path}: tệp PDF có mảng hoặc từ điển lồng nhau quá sâu, không kiểm tra được; không "
                            "phải văn bản bình thường") from None
    return Verification(path, reports)


def _from_recursion(exc: BaseException) -> bool:
    """The error is, or was raised while handling, the parser's RecursionError (pyHanko wraps it)."""
    seen = 0
    while exc is not None and seen < 16:
        if isinstance(exc, RecursionError):
            return True
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
        seen += 1
    return False


def _census(data: bytes) -> str | None:
    """What makes a PDF too costly to read, found in its bytes before any parsing (limits.py): too
    many objects, numbered, packed in object streams or declared; too many revisions, counted as
    cross-reference sections (the reader parses every section the /Prev chain reaches before anyone
    can count them: a million empty updates held it two minutes and 3 GB). Names are matched as the
    parser reads them, #-escapes included (_name). Every pattern is anchored and bounded, so a run of
    digits or blanks made to slow the search costs no more than its length. Nesting needs no census:
    the parser recurses, and RecursionError is said as such."""
    from ..limits import MAX_PDF_OBJECTS, MAX_PDF_REVISIONS

    sections = _sections(data, MAX_PDF_REVISIONS + 1)
    if sections > MAX_PDF_REVISIONS:
        return (f"tệp PDF có hơn {number_vi(MAX_PDF_REVISIONS)} lần cập nhật (bảng tham chiếu), quá nhiều để "
                "kiểm tra; một văn bản thật có vài lần cập nhật, mỗi chữ ký một lần")

    numbered = 0
    if data.count(b"obj") > MAX_PDF_OBJECTS:  # a quick bound first: each object's header says "obj"
        numbered = sum(1 for _ in zip(re.finditer(rb"(?<![0-9])[0-9]{1,10}\s{1,16}[0-9]{1,5}\s{1,16}obj\b", data),
                                      range(MAX_PDF_OBJECTS + 1), strict=False))
    packed = declared = 0
    for found in re.finditer(_name("ObjStm") + rb"\b", data):
        near = re.search(_name("N") + rb"\s{0,16}([0-9]{1,12})", data[max(0, found.start() - 300):found.end() + 300])
        packed += int(near.group(1)) if near else 0
        if packed > MAX_PDF_OBJECTS:
            break
    for found in _DECLARED.finditer(data):
        declared = max(declared, int(found.group(1) or found.group(2)))
    if max(numbered, packed, declared) > MAX_PDF_OBJECTS:
        return f"tệp PDF có hoặc khai báo quá {number_vi(MAX_PDF_OBJECTS)} đối tượng"
    return None


_BLANK = rb"[\x00\t\n\f\r ]"
"""PDF whitespace, as the parser skips it: NUL and form feed too."""

_NAME_END = rb"(?=[\x00\t\n\f\r ()<>\[\]{}/%]|\Z)"
"""Where a PDF name ends: at whitespace or a delimiter (/XRef, not /XRefStm)."""

_TABLE_START = re.compile(rb"(?<!start)xref." + _BLANK + rb"*(?:%|[+\-.0-9])", re.S)
"""A cross-reference table as the parser reads one where a pointer lands on its "x": "xref", one
byte it skips unread, then any whitespace or a comment before the first number. Nothing before the
"x" is read (it may be a letter). A comment is counted as the start it may hide, unread: following
comments from every "xref" would search one long comment again for each "xref" in it."""

_STARTXREF_TABLE = re.compile(rb"startxref." + _BLANK + rb"*[+\-]?[0-9]{1,20}(?![0-9])" + _BLANK
                              + rb"*(?:[+\-.0-9]|%(?!%EOF))", re.S)
"""A table whose keyword is the end of the word "startxref" (a pointer lands on its "x"): the
real startxref is followed by one number and %%EOF, such a table by a second number."""


def _sections(data: bytes, cap: int) -> int:
    """Cross-reference sections in the file's bytes, counted up to cap: tables and streams (/XRef,
    however escaped, wherever it stands: the parser reads the /Type of a stream's dictionary
    whatever blanks or comments come between), each spelled as the parser reads it. A revision has
    one of each at most (a hybrid file both), so the larger count is the number of revisions. Every
    pattern starts at a literal and crosses only whitespace, so the search is one pass."""
    tables = sum(1 for _ in zip(itertools.chain(_TABLE_START.finditer(data), _STARTXREF_TABLE.finditer(data)),
                                range(cap), strict=False))
    streams = sum(1 for _ in zip(re.finditer(_name("XRef") + _NAME_END, data), range(cap), strict=False))
    return max(tables, streams)


def _name(name: str) -> bytes:
    """A PDF name as a pattern that also matches it written with #-escapes, as the parser reads it:
    /X#52ef is /XRef, /Obj#53tm is /ObjStm (a census that looked for the plain spelling only was
    walked around by the escaped one)."""
    return b"/" + b"".join(b"(?:%s|#(?i:%02x))" % (re.escape(c).encode(), ord(c)) for c in name)


_COUNT = rb"\+?0*([0-9]{1,12})(?![0-9])"
_DECLARED = re.compile(rb"%s%s*%s|(?<!start)xref.%s*\+?0*[0-9]{1,12}%s+%s" % (
    _name("Size"), _BLANK, _COUNT, _BLANK, _BLANK, _COUNT), re.S)
"""The objects a file declares, read as the parser reads the numbers: /Size's, a table's first
subsection's count, after any PDF whitespace (NUL too), a sign or leading zeros."""


@dataclass
class _Broken:
    """A filled signature field whose signature cannot even be read: no /ByteRange or /Contents, or
    ones of the wrong kind, a CMS blob that is not one, a kind of signature pyHanko does not check
    (/adbe.x509.rsa_sha1 with its /Cert). Universal Signature Forgery (Mladenov et al. 2019) is
    exactly this: a viewer that skips what it cannot read shows the signer's name as signed. Here
    it is a signature, and an invalid one."""

    field_name: str
    sig_field: Any
    reason: str
    signed_revision: int
    claimed: str | None


def _collect(reader: Any) -> list[Any]:
    """Every filled signature field, in signing order: pyHanko's signature, or _Broken. pyHanko's own
    list skips a signature of a kind it does not know and fails whole on one it cannot read; one
    forged field must neither hide itself nor the genuine signatures beside it."""
    from pyhanko.sign.fields import SigSeedSubFilter, enumerate_sig_fields
    from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature

    known = {str(kind.value) for kind in SigSeedSubFilter}
    found: list[Any] = []
    owner: dict[Any, str] = {}
    filled = enumerate_sig_fields(reader, filled_status=True)
    for name, value_ref, field_ref, revision in _filled_fields(reader, filled):
        field = field_ref.get_object() if hasattr(field_ref, "get_object") else field_ref
        try:
            value = value_ref.get_object()
            claimed = str(value["/Name"]) if isinstance(value, dict) and "/Name" in value else None
        except Exception:
            value, claimed = None, None
        if not isinstance(value, dict):
            found.append(_Broken(name, field, "không đọc được giá trị chữ ký của trường (từ điển chữ ký viết sai, "
                                              "thường là /Contents hay /ByteRange)", revision, claimed))
            continue
        first = _reused(value_ref, value, owner, name)
        if first:
            # One signature value shown under a second field (Universal Signature Forgery): it signs
            # the revision of the first field, never the second, whatever the second's page shows.
            found.append(_Broken(name, field, f"dùng lại giá trị chữ ký của trường {first} (cùng /Contents): "
                                              "một chữ ký chỉ ký một trường, trường này không ai ký",
                                 revision, claimed))
            continue
        try:
            subfilter = str(value.get("/SubFilter"))
            if subfilter not in known:
                found.append(_Broken(name, field, f"kiểu chữ ký {subfilter or '(không ghi)'} không kiểm tra "
                                                  "được", revision, claimed))
                continue
            if not _four_ranges(value.get("/ByteRange")):
                found.append(_Broken(name, field, f"{BAD_BYTE_RANGE}: phải là bốn số không âm [0 a b c], phần "
                                                  "được ký là tệp trừ giá trị chữ ký", revision, claimed))
                continue
            found.append(EmbeddedPdfSignature(reader, field, name))
        except Exception as exc:
            found.append(_Broken(name, field, _unreadable(exc), revision, claimed))
    return sorted(found, key=lambda sig: sig.signed_revision)


def _filled_fields(reader: Any, fields: Any) -> list[tuple[str, Any, Any, int]]:
    """(name, value, field, revision of the value) of every filled signature field, the field
    written earliest first: of two fields showing one signature value, the one that was there when it
    was signed comes first (a field added later to show it again is written in a later revision)."""
    last = reader.xrefs.total_revisions - 1
    rows = []
    for order, (name, value_ref, field_ref) in enumerate(fields):
        revision = _last_change(reader, value_ref, last)
        rows.append((_last_change(reader, field_ref, last), order, name, value_ref, field_ref, revision))
    return [(name, value_ref, field_ref, revision) for *_key, name, value_ref, field_ref, revision in sorted(rows)]


def _last_change(reader: Any, ref: Any, default: int) -> int:
    try:
        return int(reader.xrefs.get_last_change(ref.reference))
    except Exception:
        return default


def _reused(value_ref: Any, value: Any, owner: dict[Any, str], name: str) -> str | None:
    """The field that already showed this signature value (the same object, or the same /Contents
    bytes copied into another), else None, recording this one."""
    keys = [("ref", getattr(value_ref, "reference", None))]
    contents = value.get("/Contents") if hasattr(value, "get") else None
    if isinstance(contents, bytes) and contents.strip(b"\x00"):
        keys.append(("contents", bytes(contents)))
    for key in keys:
        if key[1] is not None and key in owner:
            return owner[key]
    for key in keys:
        if key[1] is not None:
            owner[key] = name
    return None


BAD_BYTE_RANGE = "thiếu hoặc sai /ByteRange (vùng được ký)"


def _four_ranges(byte_range: Any) -> bool:
    """The /ByteRange a PDF signature has (PAdES, ISO 32000-2 12.8.1): [0 a b c], the whole file
    but the signature's value. pyHanko hashes every pair it is given before judging the shape: a
    forged range of a million pairs, each the whole file, would hash terabytes."""
    return (isinstance(byte_range, list) and len(byte_range) == 4
            and all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in byte_range)
            and byte_range[0] == 0)


def _unreadable(exc: Exception) -> str:
    """Why a signature dictionary could not be read, in the user's words."""
    text = str(exc)
    if "ByteRange" in text:
        return BAD_BYTE_RANGE
    if "Contents" in text:
        return "thiếu hoặc sai /Contents (giá trị chữ ký)"
    return f"giá trị chữ ký không đọc được ({_reason(exc)})"


def _broken_report(reader: Any, sig: _Broken) -> SignatureReport:
    page = _page1(reader, sig)
    report = SignatureReport(sig.field_name, sig.claimed or "?", None, None, page, False, False, None, None,
                             sig.signed_revision)
    report.problems.append(f"chữ ký hỏng, không kiểm tra được: {sig.reason}; tên người ký (nếu có) chỉ là "
                           "chữ ghi trong tệp, không được chữ ký nào xác nhận")
    return report


def _signer_of(sig: Any) -> tuple[str, str | None]:
    try:
        subject = sig.signer_cert.subject.native
        return (subject.get("common_name") or sig.signer_cert.subject.human_friendly,
                subject.get("organization_name"))
    except Exception:
        return "?", None


def _verify_one(reader: Any, revisions: _Revisions, sig: Any, all_sigs: list[Any], roots: list[Any]) -> SignatureReport:
    from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
    from pyhanko_certvalidator import ValidationContext

    signer, organization = _signer_of(sig)
    try:
        page = page_of(reader, sig.sig_field) + 1
    except Exception:
        page = None
    try:
        revision = int(sig.signed_revision)
    except Exception:
        revision = revisions.count - 1
    report = SignatureReport(sig.field_name, signer, organization, None, page, False, False, None, None, revision)
    try:
        m = sig.sig_object.get("/M")
        report.signed_at = _pdf_date(str(m)) if m else None
    except Exception:
        pass
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    try:
        status: Any
        if _document_timestamp(sig):
            report.document_timestamp = True
            status = validate_pdf_timestamp(sig, context, skip_diff=True)
        else:
            status = validate_pdf_signature(sig, context, skip_diff=True)
    except (BudgetExceeded, MemoryError):
        raise  # out of the read budget: said as such, not as a damaged file
    except Exception as exc:  # a mangled CMS blob or byte range is a broken signature, not a crash
        report.problems.append(f"chữ ký hỏng, không kiểm tra được ({_reason(exc)}); tệp có thể đã bị ghi lại "
                               "hoặc sửa sau khi ký")
        return report
    report.intact, report.valid = bool(status.intact), bool(status.valid)
    if report.document_timestamp:
        report.signed_at = report.timestamp = status.timestamp
    else:
        report.signed_at = status.signer_reported_dt or report.signed_at
        tst = getattr(status, "timestamp_validity", None)
        report.timestamp = getattr(tst, "timestamp", None) if tst is not None else None
    if not report.intact:
        report.problems.append("phần được ký đã bị thay đổi (mã băm không khớp): tệp đã bị ghi lại hoặc sửa "
                               "sau khi ký")
    elif not report.valid:
        report.problems.append("giá trị chữ ký không khớp với chứng thư của người ký")
    _coverage(status, report)
    signed = revisions.signed_by(sig)
    if report.intact and signed is not None and signed < report.revision:
        # What came after the bytes signed is what the signer never saw: compared from there.
        report.problems.append(f"đối tượng chữ ký được ghi lại ở lần cập nhật {report.revision}, sau lần ghi mà "
                               f"chữ ký ký (lần cập nhật {signed})")
        report.revision = signed
    _trust(status, report, roots, _reaches_anchor(sig, roots))
    if report.intact:
        _changes_after(revisions, sig, all_sigs, report)
    return report


def _document_timestamp(sig: Any) -> bool:
    """A document timestamp (/Type /DocTimeStamp): validated as the timestamp it is, by pyHanko's
    own validation of timestamps (as a signature it fails, and a genuine PAdES-LTA file read as broken)."""
    try:
        return str(sig.sig_object_type) == "/DocTimeStamp"
    except Exception:
        return False


def _reason(exc: Exception) -> str:
    """The kind of failure, for a maintainer; the library's own English text stays out of the message."""
    return type(exc).__name__


def _coverage(status: Any, report: SignatureReport) -> None:
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    if status.coverage not in (SignatureCoverageLevel.ENTIRE_FILE, SignatureCoverageLevel.ENTIRE_REVISION):
        report.problems.append("phần được ký không trùng với một lần ghi của tệp (tệp đã bị ghi lại sau khi ký, "
                               "chữ ký không còn phủ văn bản)")


def _reaches_anchor(sig: Any, roots: list[Any]) -> bool:
    """Whether the signer's certificate names, through issuers found in the file or among the
    anchors, one of the anchors. Only then can an anchor speak for (or against) the signer; a
    certificate that leads elsewhere (a self-signed look-alike) is simply not established."""
    if not roots:
        return False
    anchors = {root.sha256 for root in roots}
    pool = list(roots)
    try:
        pool += list(sig.other_embedded_certs)
        cert = sig.signer_cert
    except Exception:
        return False
    for _ in range(12):
        if cert.sha256 in anchors or any(cert.issuer == root.subject for root in roots):
            return True
        if cert.issuer == cert.subject:
            return False
        parents = [c for c in pool if c.subject == cert.issuer and c.sha256 != cert.sha256]
        if not parents:
            return False
        cert = parents[0]
    return False


def _trust(status: Any, report: SignatureReport, roots: list[Any], reaches: bool) -> None:
    if not roots:
        report.trusted = None
        return
    if status.trusted:
        report.trusted = True
        return
    indic = getattr(status, "trust_problem_indic", None)
    if indic is None and not (report.intact and report.valid):
        # pyHanko judges the chain of an intact signature only: nothing was said of this signer,
        # and the broken signature is the problem already reported.
        report.trusted = None
        return
    name = getattr(indic, "name", str(indic))
    cert = status.signing_cert
    not_after = cert["tbs_certificate"]["validity"]["not_after"].native
    not_before = cert["tbs_certificate"]["validity"]["not_before"].native
    now = dt.datetime.now(dt.UTC)
    if not reaches or name in ("NO_CERTIFICATE_CHAIN_FOUND", "NO_CERTIFICATE_CHAIN_FOUND_NO_POE"):
        report.trusted = None
        report.notes.append("không chứng thư gốc tin cậy nào đã cho (--trust) dẫn tới chứng thư của người ký: "
                            "chưa biết ai thật sự đã ký (tên trong chứng thư ai cũng tự đặt được)")
        return
    report.trusted = False
    if not_after < now or name.startswith("OUT_OF_BOUNDS") or name == "EXPIRED":
        if not_after < now:
            report.problems.append(f"chứng thư của người ký đã hết hạn ngày {_iso(not_after)}")
        elif not_before > now:
            report.problems.append(f"chứng thư của người ký chưa có hiệu lực (từ ngày {_iso(not_before)})")
        else:
            report.problems.append("chứng thư trong chuỗi tin cậy đã hết hạn hoặc chưa có hiệu lực")
    elif "REVOKED" in name:
        report.problems.append("chứng thư của người ký đã bị thu hồi")
    elif name in ("CHAIN_CONSTRAINTS_FAILURE", "SIG_CONSTRAINTS_FAILURE"):
        report.problems.append("chứng thư của người ký không được phép dùng để ký (mục đích sử dụng khóa "
                               "hoặc ràng buộc của chuỗi chứng thư không cho phép)")
    else:
        report.problems.append(f"chuỗi chứng thư không được chấp nhận ({name})")


def _changes_after(revisions: _Revisions, sig: Any, all_sigs: list[Any], report: SignatureReport) -> None:
    from pyhanko.sign.diff_analysis import SuspiciousModification

    by_field = {s.field_name: s for s in all_sigs}
    policy = lenient_policy()
    base = None
    for revision in range(report.revision + 1, revisions.count):
        touches, notes = revisions.touches(revision)
        found: list[Change] = [Change(revision, "other", None, note) for note in notes]
        gap = revisions.gap_before(revision)
        if gap:
            found.append(Change(revision, "other", None, f"{gap} byte nằm trước lần cập nhật này, không thuộc lần "
                                                          "cập nhật nào (không có bảng tham chiếu): trình đọc PDF sửa "
                                                          "tệp có thể hiển thị chúng thay cho nội dung đã ký"))
        for other in all_sigs:
            if other is not sig and getattr(other, "signed_revision", None) == revision:
                who, _org = _signer_of(other)
                if _document_timestamp(other):
                    # long-term validation: PAdES counts it as no change, even after a certification
                    # that allows none (what its widget paints, if anything, is judged below)
                    found.append(Change(revision, "unseen", None, f"{who} đóng dấu thời gian cho cả tài liệu (trường "
                                                                  f"{other.field_name}); không đổi nội dung trang"))
                else:
                    found.append(Change(revision, "signature", _page1(revisions.reader, other),
                                        f"{who} ký (trường {other.field_name})"))
        for index, touch in sorted(touches.items()):
            words = None
            if touch.content:
                words = revisions.word_change(revision, index)
                found.append(Change(revision, "content", index + 1,
                                    "; ".join([*(words and [words] or []), *touch.content])))
            for _ref, annot, before in touch.widgets:
                is_new = before is None
                kind, name = _field_of(annot)
                signed = by_field.get(name)
                if kind == "/Sig" and signed is not None and signed is not sig \
                        and getattr(signed, "signed_revision", -1) >= revision:
                    if _painted(annot):
                        words = words if words is not None else revisions.word_change(revision, index)
                        under = revisions.covered(revision, index) if words else ""
                        gone = revisions.lost(revision, index) if words else ""
                        if under:  # a signed stamp that writes over the signed words changes them
                            found.append(Change(revision, "content", index + 1,
                                                f"ô chữ ký {name} viết đè lên chữ «{_clip(under, 60)}» của trang: "
                                                f"{words}"))
                        elif gone:  # ... and so does one that covers them (a white box, the Sneaky Signature)
                            found.append(Change(revision, "content", index + 1,
                                                f"ô chữ ký {name} che mất chữ «{_clip(gone, 60)}» của trang: {words}"))
                        else:
                            found.append(Change(revision, "stamp", index + 1,
                                                f"ô chữ ký {name}: " + (words or "hình ảnh (chữ ký, con dấu)")))
                elif is_new and _painted(annot):
                    words = words if words is not None else revisions.word_change(revision, index)
                    what = "ô chữ ký chưa ai ký" if kind == "/Sig" else "ô biểu mẫu mới"
                    found.append(Change(revision, "content", index + 1,
                                        f"{what} {name} vẽ lên trang" + (f": {words}" if words else "")))
                elif is_new:
                    found.append(Change(revision, "form", index + 1, f"thêm ô {name}"))
                else:
                    words = words if words is not None else revisions.word_change(revision, index)
                    found.append(_filled(revisions, revision, index, name, before, annot, words))
            for annot in touch.other_annots:
                subtype = str(annot.get("/Subtype", "?")).lstrip("/")
                found.append(Change(revision, "annotation", index + 1, f"chú thích loại {subtype}"))
        # pyHanko's rules on everything else (catalogue, metadata, objects no page uses …).
        if not any(c.kind not in ALLOWED_AFTER for c in found):
            try:
                if base is None:
                    base = revisions.reader.get_historical_resolver(report.revision)
                policy.apply(base, revisions.reader.get_historical_resolver(revision))
            except SuspiciousModification as exc:
                found.append(_suspicious(exc, revisions.reader, revision))
            except (BudgetExceeded, MemoryError):
                raise  # out of the read budget: said as such, not as a damaged file
            except Exception as exc:
                found.append(Change(revision, "other", None, f"không phân tích được lần cập nhật ({_reason(exc)})"))
        if not found:  # a revision is never passed over in silence, however harmless
            found.append(_unseen(revisions, revision, policy))
        report.changes_after += found
    tail = revisions.unaccounted_tail()
    if tail:
        report.changes_after.append(Change(revisions.count, "other", None,
                                           f"{tail} byte nối sau lần ghi cuối của tệp, không thuộc lần cập nhật nào "
                                           "(không có bảng tham chiếu): trình đọc PDF có thể hiển thị chúng thay cho "
                                           "nội dung đã ký"))
    allowed = _allowed_after(sig)
    for change in report.changes_after:
        where = f" trang {change.page}" if change.page else ""
        if change.kind not in ALLOWED_AFTER:
            report.problems.append(f"văn bản bị sửa sau khi ký (lần cập nhật {change.revision}{where}: "
                                   f"{change.detail})")
        elif change.kind not in allowed:
            report.problems.append("chữ ký chứng thực văn bản không cho phép thay đổi gì sau khi ký (DocMDP P=1), "
                                   f"nhưng lần cập nhật {change.revision}{where} có {KIND_VI[change.kind]}: "
                                   f"{change.detail}")


def _unseen(revisions: _Revisions, revision: int, policy: Any) -> Change:
    """What a revision did that touches no page, field nor signature, said by pyHanko's difference
    analysis of this revision against the one before: objects nothing refers to (what its rules
    clear as orphans: the same rules run without that clearance name them), long-term validation
    data, or objects written again unchanged ("unseen", harmless). A form's data no page shows is still
    form filling ("form"), more than that an annotation or "other"; anything its rules cannot explain
    is "other"."""
    from pyhanko.sign.diff_analysis import ModificationLevel, StandardDiffPolicy, SuspiciousModification

    reader = revisions.reader
    old, new = reader.get_historical_resolver(revision - 1), reader.get_historical_resolver(revision)
    unchanged = "không đổi nội dung trang"
    try:
        level = policy.apply(old, new).modification_level
        strict = StandardDiffPolicy(global_rules=policy.global_rules, form_rule=policy.form_rule,
                                    reject_object_freeing=False, ignore_orphaned_objects=False)
        try:
            strict.apply(old, new)
            orphans: list[int] = []
        except SuspiciousModification as exc:
            orphans = sorted({int(n) for n in re.findall(r"idnum=(\d+)", str(exc))})
    except SuspiciousModification as exc:
        return _suspicious(exc, reader, revision)
    except (BudgetExceeded, MemoryError):
        raise  # out of the read budget: said as such, not as a damaged file
    except Exception as exc:
        return Change(revision, "other", None, f"không phân tích được lần cập nhật ({_reason(exc)})")
    if level == ModificationLevel.FORM_FILLING:
        # A form's data changed where no page shows it (a field without a widget): filling the form
        # still, never harmless: a certification allowing no change (P=1) forbids it, as pyHanko
        # and PAdES judge it.
        return Change(revision, "form", None, f"ghi giá trị ô biểu mẫu không hiện trên trang nào; {unchanged}")
    if level not in (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES):
        # Annotations (or more) the pages' analysis did not see: judged as annotations are.
        kind: ChangeKind = "annotation" if level == ModificationLevel.ANNOTATIONS else "other"
        return Change(revision, kind, None, f"thêm hoặc sửa chú thích, dữ liệu không hiện trên trang; {unchanged}")
    if orphans:
        shown = ", ".join(map(str, orphans[:10])) + (" …" if len(orphans) > 10 else "")
        return Change(revision, "unseen", None, f"thêm đối tượng không hiển thị (đối tượng {shown}: không trang, ô hay "
                                                f"chữ ký nào dùng đến); {unchanged}")
    if level == ModificationLevel.NONE:
        return Change(revision, "unseen", None, f"ghi lại đối tượng với giá trị như cũ; {unchanged}")
    if not any(True for _ in new.explicit_refs_in_revision()) and not any(True for _ in new.refs_freed_in_revision()):
        # pyHanko rates a revision that writes nothing as long-term validation data: said as it is
        return Change(revision, "unseen", None, f"lần cập nhật không ghi đối tượng nào; {unchanged}")
    return Change(revision, "unseen", None, "thêm dữ liệu kiểm tra chữ ký lâu dài (chứng thư, danh sách "
                                            f"thu hồi, dấu thời gian); {unchanged}")


CATALOGUE_VI = {
    "/OCProperties": "lớp nội dung ẩn/hiện: phần ẩn lúc ký có thể hiện ra",
    "/Pages": "cây trang", "/OpenAction": "việc trình đọc làm khi mở tệp", "/AA": "việc trình đọc tự làm",
    "/Names": "bảng tên (JavaScript, tệp đính kèm, đích đến)", "/AcroForm": "biểu mẫu",
}
"""Entries of the document catalogue a reader acts on, named when an update changes them."""


def _suspicious(exc: Exception, reader: Any, revision: int) -> Change:
    """A revision pyHanko's rules cannot explain, said by the objects its message numbers and the
    entries of the document catalogue it changed: what a reader shows or does (its layers turned on,
    an action when the file opens) lives there, in no page."""
    refs = sorted({int(n) for n in re.findall(r"idnum=(\d+)", str(exc))})[:10]
    detail = "đối tượng bị thêm hoặc sửa không phải chữ ký hay ô ký" + (
        f" (đối tượng {', '.join(map(str, refs))})" if refs else "")
    try:
        old = reader.get_historical_resolver(revision - 1).root
        new = reader.get_historical_resolver(revision).root
        keys = sorted(k for k in set(old.keys()) | set(new.keys())
                      if not (k in old and k in new and _same(old.raw_get(k), new.raw_get(k))))
    except Exception:
        keys = []
    if keys:
        detail += "; danh mục của tệp đổi " + ", ".join(
            f"{k} ({CATALOGUE_VI[k]})" if k in CATALOGUE_VI else k for k in keys[:10])
    return Change(revision, "other", None, detail)


def _allowed_after(sig: Any) -> set[str]:
    """What may follow this signature without breaking it: ALLOWED_AFTER, and nothing at all after a
    certification that allows no change (DocMDP P=1; its author said so, and a later signature, even a
    genuine one, breaks it). P=2 and P=3 allow form filling and signatures (P=3 annotations too; here
    an annotation is never allowed: an Evil Annotation paints over the signed words like page content)."""
    from pyhanko.sign.fields import MDPPerm

    try:
        level = sig.docmdp_level
    except Exception:
        level = None
    return HARMLESS if level == MDPPerm.NO_CHANGES else ALLOWED_AFTER


VISIBLE_KEYS = ("/AP", "/AS", "/Rect", "/F", "/V", "/MK", "/DA")
"""What decides how a widget looks (its value counts: a reader asked to regenerate appearances draws it)."""


def _filled(revisions: _Revisions, revision: int, index: int, name: str, before: Any, after: Any,
            words: str) -> Change:
    """A widget that was on the page at signing, changed in this revision: form filling only when
    the field showed nothing then (blank, visible) and writes now where nothing was written.
    Otherwise the signer saw something else (Shadow Attacks: a cover taken away, a value redrawn, a
    field hidden at signing made visible): content."""
    page = index + 1
    if _painted(before):
        if _looks_same(before, after):
            return Change(revision, "form", page, f"ô {name} ghi lại, hình không đổi")
        return Change(revision, "content", page, f"ô {name} đã hiện trên trang lúc ký nay vẽ khác"
                      + (f": {words}" if words else ""))
    if _painted(before, visible=False) and _painted(after):
        return Change(revision, "content", page, f"ô {name} ẩn lúc ký nay hiện ra" + (f": {words}" if words else ""))
    under = revisions.covered(revision, index) if words else ""
    gone = revisions.lost(revision, index) if words else ""
    if under or gone:
        return Change(revision, "content", page, f"ô {name} viết đè lên chữ «{_clip(under, 60)}» của trang: {words}"
                      if under else f"ô {name} che mất chữ «{_clip(gone, 60)}» của trang: {words}")
    return Change(revision, "form", page, f"điền ô {name}" + (f": {words}" if words else ""))


def _looks_same(a: Any, b: Any) -> bool:
    """The two states of a widget draw the same: its appearance streams compared by their bytes
    (an appearance object swapped under the same number is a different drawing), and its value
    where the field holds it for its widgets."""
    return all(_resolved_same(a.get(k), b.get(k)) for k in VISIBLE_KEYS) and _resolved_same(_value(a), _value(b))


def _value(widget: Any) -> Any:
    """The value a widget shows when a reader draws it (/NeedAppearances): its own /V, else the
    nearest parent field's (a field shown in several places keeps its value on the field). None for
    a signature field: its value is the signature, which no reader draws from (and whose references
    reach the catalogue, rewritten by every later revision)."""
    if _field_of(widget)[0] == "/Sig":
        return None
    node, depth = widget, 0
    while node is not None and depth < 32:
        if "/V" in node:
            return node.raw_get("/V")
        node = _parent(node)
        depth += 1
    return None


def _resolved_same(a: Any, b: Any, depth: int = 0) -> bool:
    from pyhanko.pdf_utils import generic

    if depth > 12:
        return False
    a = a.get_object() if isinstance(a, generic.IndirectObject) else a
    b = b.get_object() if isinstance(b, generic.IndirectObject) else b
    if isinstance(a, generic.StreamObject) or isinstance(b, generic.StreamObject):
        return (isinstance(a, generic.StreamObject) and isinstance(b, generic.StreamObject)
                and a.encoded_data == b.encoded_data and _resolved_same(dict(a), dict(b), depth + 1))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_resolved_same(a.raw_get(k) if hasattr(a, "raw_get") else a[k],
                                                           b.raw_get(k) if hasattr(b, "raw_get") else b[k], depth + 1)
                                            for k in a if k != "/Parent")
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_resolved_same(x, y, depth + 1) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


def _page1(reader: Any, sig: Any) -> int | None:
    try:
        return page_of(reader, sig.sig_field) + 1
    except Exception:
        return None


def _pdf_date(text: str) -> dt.datetime | None:
    m = re.match(r"D:(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)([+-Z])?(\d\d)?'?(\d\d)?", text)
    if not m:
        return None
    y, mo, d, h, mi, s = (int(g) for g in m.groups()[:6])
    sign, oh, om = m.group(7), int(m.group(8) or 0), int(m.group(9) or 0)
    offset = dt.timedelta(hours=oh, minutes=om) * (-1 if sign == "-" else 1)
    try:
        return dt.datetime(y, mo, d, h, mi, s, tzinfo=dt.timezone(offset))
    except ValueError:
        return None
