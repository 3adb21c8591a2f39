"""Where each part of an administrative document stands, found by its text and layout.

Why not by style names: a document drafted in Word uses "Normal" and direct formatting, or styles
named in any language; only the text and where it sits (header table, cells, order) are reliable.
`recognise(word)` takes the neutral document (word.reader) and gives the located parts (`KeHoach`,
whatever the document's type): Quốc hiệu and Tiêu ngữ, the issuer and its parent, Số and date, the
tên loại and trích yếu, Kính gửi, the body, Nơi nhận and recipients, the signer, the appendices
(recognise.appendices), why a file is not an administrative document, and which drawn line is under
the Tiêu ngữ, the issuer and the trích yếu.
"""

from __future__ import annotations

import itertools

from ..nd30 import QUOC_HIEU, TIEU_NGU
from ..nd30.names import core, cut_mid_name, goes_on_a_name, name_starts, names_a_place, opens_with_a_level
from ..text import upper_vi
from ..word.reader import (
    Cell,
    Drawing,
    Para,
    Run,
    WordDocument,
    fits_one_page,
    is_bold,
    is_capitals,
    is_centred,
    middle,
    starts_page,
    text_size,
)
from .appendices import appendix_heading, locate_appendices
from .lines import (
    APPENDIX_HEAD_RE,
    AUTHORITY_RE,
    COPY_FORM_RE,
    DASHES,
    DATE_RE,
    DRAFT_MARK_RE,
    KINH_GUI_RE,
    NOI_NHAN_RE,
    NUMBER_RE,
    PARTY_RE,
    QUOC_HIEU_RE,
    SEPARATOR_RE,
    SIGNATURE_STAND_IN_RE,
    TEMPLATE_RE,
    TIEU_NGU_RE,
    VV_FORM,
    VV_RE,
    Reference,
    fold_hoa,
    is_name_prefix_line,
    parse_date_line,
    parse_reference,
    recognise_type,
    type_slip,
    type_with_slip,
    typed_with_slip,
)
from .model import KeHoach, SignerPart

HEADER_LINES = 20
"""Lines with text, from the top, where a Quốc hiệu or Tiêu ngữ typed with a slip is looked for: the
header's lines (a draft mark, a parent, a two-line issuer, the Số and date among them) are well within."""


SIGNING_SPACE_TWIPS = 480
"""Space before a signer's name (24 pt) that reads as the signing space even with no empty line."""


def _signed(block: list[Para]) -> bool:
    """Whether lines read as a signer's block: capital title lines over a name (a stand-in and a
    rank aside).
    The name is told by its case, or, printed in capitals as some agencies do, by where it stands:
    under the signing space (empty lines, a "(Đã ký)", a wide space before it), and no authority line."""
    lines = [p for p in block if p.text and not SIGNATURE_STAND_IN_RE.match(p.text)
             and not is_name_prefix_line(p.text)]  # a rank by the name ("Đại tá") is the name's
    if len(lines) < 2 or not all(upper_vi(q.text) == q.text for q in lines[:-1]):
        return False
    name = lines[-1]
    if upper_vi(name.text) != name.text:
        return True
    between = [p for p in block if lines[-2].index < p.index < name.index]
    spaced = bool(between) or (name.fmt is not None and name.fmt.before >= SIGNING_SPACE_TWIPS) \
        or (lines[-2].fmt is not None and lines[-2].fmt.after >= SIGNING_SPACE_TWIPS)
    words = name.text.split()
    return spaced and not AUTHORITY_RE.match(name.text) and 2 <= len(words) <= 6 \
        and all(w.isalpha() for w in words)


def _name_groups(names: list[Para]) -> list[list[Para]]:
    """Header lines gathered into the names they print, top to bottom."""
    groups: list[list[Para]] = []

    def names_its_place(group: list[Para]) -> bool:
        # A level word followed by the place's name, on any of its lines ("UBND TP. HÀ NỘI",
        # "TỈNH LÀO CAI" under "ỦY BAN NHÂN DÂN"); "… VÀ XÃ HỘI" names none.
        for q in group:
            cores = [core(w) for w in q.text.split()]
            if opens_with_a_level(q.text) or any(names_a_place(cores, i) for i in range(len(cores))):
                return True
        return False

    for p in names:
        if groups and opens_with_a_level(p.text) and not names_its_place(groups[-1]):
            groups[-1].append(p)
        elif groups and (cut_mid_name(upper_vi(groups[-1][-1].text)) or goes_on_a_name(upper_vi(p.text))
                         or (p.paragraph is groups[-1][-1].paragraph and is_bold(p) == is_bold(groups[-1][-1])
                             and not names_its_place(groups[-1])
                             and not name_starts(" ".join(q.text for q in groups[-1]), p.text))):
            # The line above stops where no name ends ("SỞ GIÁO DỤC VÀ", "ỦY BAN NHÂN DÂN
            # TỈNH"), or this one starts where none starts ("VÀ THỂ THAO"), or it is the same
            # paragraph in the same weight (a parent and an issuer differ in weight): a long
            # name wrapped or typed over lines, unless the name above already ends with its place
            # and this line opens a body of its own ("UBND TỈNH PHÚ THỌ", "UBND XÃ LƯƠNG MINH",
            # "ĐẢNG ỦY XÃ …" Shift+Enter "SỞ …", "BAN …": printed as the two paragraphs they could
            # be, two names; "… VÀ XÃ HỘI" names no place), or the name above opens the body this
            # line's is a part of ("BỘ Y TẾ" Shift+Enter "CỤC …"). A name cut mid-phrase ("SỞ VĂN HÓA, THỂ
            # THAO" Shift+Enter "VÀ DU LỊCH") opens no body on its second line: one name.
            groups[-1].append(p)
        else:
            groups.append([p])
    return groups


def _signer_part(block: list[Para]) -> SignerPart:
    """Authority and title lines in capitals, then the name (name case, or the line after the signing
    space); anything printed under the name is kept apart (the name must close the block). A rank or
    an academic title printed on a line of its own right over or under the name is the name's
    (Decree 30 lets some bodies write it before the name): neither a title nor a line after the name.
    A published copy's "(Đã ký)" stands where the signature goes: set apart, it is neither a title
    nor the name."""
    stand_ins = [p for p in block if p.text and SIGNATURE_STAND_IN_RE.match(p.text)]
    right = [p for p in block if p.text and not SIGNATURE_STAND_IN_RE.match(p.text)]
    if not right:
        return SignerPart([], None, stand_ins=stand_ins)
    after_space = _after_signing_space(block)
    if after_space is not None and not AUTHORITY_RE.match(after_space.text):
        # The signing space decides: the name is the line under it, whatever is printed lower (a
        # second post in name case, "Phó Bí thư Đảng ủy xã", is not the name).
        i = next(k for k, p in enumerate(right) if p is after_space)
    else:
        names = [i for i, p in enumerate(right) if upper_vi(p.text) != p.text and not AUTHORITY_RE.match(p.text)
                 and not is_name_prefix_line(p.text)]
        # No empty lines to sign in (the space made by spacing): of two name-case lines the name is the
        # later one; none: the last line (a name printed in capitals).
        i = names[-1] if names else len(right) - 1
    return _with_rank(right, i, stand_ins)


def _with_rank(right: list[Para], i: int, stand_ins: list[Para]) -> SignerPart:
    """The block cut at its name, right[i], with a rank line printed next to the name taken to it: right
    over it (the line under the signing space is "Đại tá", the name under that) or the first line under it."""
    rank: list[Para] = []

    def next_to(a: Para, b: Para) -> bool:
        return b.index - a.index == 1

    if is_name_prefix_line(right[i].text) and i + 1 < len(right) and next_to(right[i], right[i + 1]) \
            and not is_name_prefix_line(right[i + 1].text):
        rank, i = [right[i]], i + 1
    elif i > 0 and is_name_prefix_line(right[i - 1].text) and next_to(right[i - 1], right[i]):
        rank = [right[i - 1]]
    end = i + 1
    if not rank and end < len(right) and is_name_prefix_line(right[end].text):
        rank, end = [right[end]], end + 1  # under the name, nothing else prints a rank alone on a line
    lines = [p for p in right[:i] if all(p is not r for r in rank)]
    return SignerPart(lines, right[i], right[end:], stand_ins, rank)


def _after_signing_space(block: list[Para]) -> Para | None:
    """The first line under the longest run of empty lines (or a "(Đã ký)") below the block's first
    line: where the leader signs, the name printed under it. None when the block has no such run."""
    best, longest, run, seen = None, 0, 0, False
    for p in block:
        if not p.text or SIGNATURE_STAND_IN_RE.match(p.text):
            run += seen  # empty lines above the block's first line are no signing space
            continue
        if run and run >= longest:  # of equal runs the last: one between two post lines is spacing
            best, longest = p, run
        seen, run = True, 0
    return best


def _reference_at_top(paras: list[Para]) -> Reference | None:
    """The "(Kèm theo <Loại> số … ngày … của …)" line among the first paragraphs, outside a table; its
    bracket may run over two or three paragraphs (typed with Enter where the line was to break)."""
    for i, p in enumerate(paras):
        if p.cell is not None or not p.text.startswith("("):
            continue
        pieces = [q.text for q in itertools.takewhile(lambda q: q.cell is None, paras[i:i + 3])]
        for k in range(1, len(pieces) + 1):
            if pieces[k - 1].rstrip().endswith(")"):
                return parse_reference(" ".join(pieces[:k]))
    return None


def _over_title(top: list[Para]) -> list[Para]:
    """The lines a header of names alone prints: with no Số line nor Quốc hiệu to stand by (the document
    a decision issues, printed after it with only the issuer's name over its tên loại), what stands
    above the tên loại line, but a draft's mark or a phụ lục's heading ("PHỤ LỤC" over a title is the
    appendix's, no name); none when no tên loại is there."""
    title = next((p for p in top if p.text and recognise_type(p.text)), None)
    if title is None:
        return []
    return [p for p in top if p.index < title.index
            and not DRAFT_MARK_RE.match(p.text) and not APPENDIX_HEAD_RE.match(p.text)]


def opens_with_header(doc: KeHoach) -> bool:
    """Whether a document begins at the top of its text: its first line with text is its header (a
    line of the header's table, or of its parts), a draft's mark, or its tên loại; one that begins
    with anything else (a phụ lục's heading over a title, an appendix of the document before) does not
    begin there."""
    first = next((p for p in doc.paragraphs if p.text), None)
    if first is None:
        return False
    anchor = doc.quoc_hieu or doc.tieu_ngu
    header = {id(p) for p in [*doc.parent_lines, *doc.issuer_lines, *doc.quoc_hieu_lines, doc.tieu_ngu,
                              doc.number_line, doc.date_line, doc.doc_type, *doc.draft_marks] if p is not None}
    in_header_table = anchor is not None and anchor.cell is not None and first.cell is not None \
        and first.cell.table == anchor.cell.table
    return id(first) in header or in_header_table


def issued_alone(doc: KeHoach) -> bool:
    """Whether a document without a Quốc hiệu is one another document issues, printed without the header
    Mẫu 1.3 gives it (the issuer's name alone, or nothing over its tên loại): its tên loại opens it, and
    the "(Ban hành kèm theo …)" line under its trích yếu cites a document of another type, the one that
    issues it. A phụ lục, danh mục or đề cương has no tên loại; a part of a document of the same type
    ("KẾ HOẠCH CHI TIẾT … (Kèm theo Kế hoạch số …)") is that document's appendix."""
    ref = doc.attached_to
    return doc.quoc_hieu is None and doc.doc_type is not None and ref is not None \
        and upper_vi(ref.doc_type) != upper_vi(doc.document_type or "") and opens_with_header(doc)


def recognise(word: WordDocument) -> KeHoach:
    """The parts of a document read by word.reader (read it with `columns=tab_columns`)."""
    return _Recogniser(word).locate()


class _Recogniser:
    def __init__(self, word: WordDocument):
        self.word = word
        self.doc = KeHoach(source=word.source, formatted=True, paragraphs=word.paragraphs,
                           sections=word.sections, tables=word.tables, one_page=fits_one_page(word),
                           converted_from=word.converted_from, origin=word.origin)

    def locate(self) -> KeHoach:
        self._locate()
        return self.doc

    def _locate(self) -> None:
        doc, paras = self.doc, self.doc.paragraphs
        texts = [p for p in paras if p.text]
        doc.quoc_hieu = next((p for p in paras if QUOC_HIEU_RE.match(fold_hoa(p.text))), None)
        doc.quoc_hieu_lines = [doc.quoc_hieu] if doc.quoc_hieu is not None else []
        if doc.quoc_hieu is None:
            self._broken_quoc_hieu(paras)
        doc.tieu_ngu = next((p for p in paras if TIEU_NGU_RE.match(p.text)), None)
        # Either line typed with a slip ("NGHỈA", a closing "."): still that line of the header, as its
        # reader sees it; check's form rules report the slip. Looked for among the first lines only.
        head = texts[:HEADER_LINES]
        if doc.quoc_hieu is None:
            doc.quoc_hieu = next((p for p in head if typed_with_slip(p.text, QUOC_HIEU)), None)
            doc.quoc_hieu_lines = [doc.quoc_hieu] if doc.quoc_hieu is not None else []
            doc.quoc_hieu_slip = doc.quoc_hieu is not None
        if doc.tieu_ngu is None:
            doc.tieu_ngu = next((p for p in head if typed_with_slip(p.text, TIEU_NGU)), None)
        header_table = None
        anchor = doc.quoc_hieu or doc.tieu_ngu
        if anchor is not None and anchor.cell is not None:
            header_table = anchor.cell.table
        if header_table is not None:
            top = [p for p in paras if p.cell and p.cell.table == header_table]
        else:  # no header table: the paragraphs before the title line
            top = paras[:max(12, (anchor.index + 6) if anchor else 12)]
        doc.number_line = next((p for p in top if NUMBER_RE.match(p.text)), None)
        doc.date_line = next((p for p in top if (DATE_RE.search(p.text) or parse_date_line(p.text))
                              and p is not doc.number_line), None)
        if doc.number_line is None and header_table is not None:  # "Số" printed under the table
            doc.number_line = next((p for p in paras[top[-1].index + 1:top[-1].index + 4]
                                    if NUMBER_RE.match(p.text)), None)
        if doc.date_line is None and header_table is not None:
            # The place and date printed under the table (set right, or with the Số in a second
            # table under it): a whole line of the date's form, before anything else is typed.
            under = list(itertools.takewhile(lambda p: recognise_type(p.text) is None,
                                             paras[top[-1].index + 1:top[-1].index + 6]))
            doc.date_line = next((p for p in under if parse_date_line(p.text) and p is not doc.number_line), None)
        below: list[Para] = []
        if header_table is not None:
            # Rows of the header table under the rows that hold its parts (the tên loại and trích yếu
            # typed in a last row merged across it): read as the lines under the header, as printed.
            rows = [p.cell.row for p in (doc.quoc_hieu, doc.tieu_ngu, doc.number_line, doc.date_line)
                    if p is not None and p.cell is not None and p.cell.table == header_table]
            last_row = max(rows, default=None)
            if last_row is not None:
                # Only a row set across the table's width (a cell wider than any header cell): a "V/v"
                # row under the Số stays in its column, part of the header.
                widest = max((p.cell.width for p in top if p.cell is not None and p.cell.row <= last_row), default=0)
                below = [p for p in top if p.cell is not None and p.cell.row > last_row and p.cell.width > 1.2 * widest]
                top = [p for p in top if all(p is not q for q in below)]
        self._agency(top, header_table)
        last_top = max((p.index for p in top), default=-1) if header_table is not None else (
            max((p.index for p in (doc.number_line, doc.date_line, doc.tieu_ngu, doc.quoc_hieu, *doc.issuer_lines)
                 if p), default=-1))
        for p in (doc.number_line, doc.date_line):
            if p is not None:
                last_top = max(last_top, p.index)
        # Công văn: "V/v …" under the Số line, in its column.
        vv = next((p for p in top if VV_RE.match(p.text) and p is not doc.number_line), None)
        rest = below + [p for p in paras if p.index > last_top and p.cell is None]
        title, document_type = self._title(rest)
        body_start = last_top + 1
        if title is not None:
            # Lines between the header and the tên loại: the "Căn cứ …" lines some Ủy ban plans print
            # there, a draft's marker. Said, so that no consumer drops them unseen.
            texts_under = [p for p in rest if p.text]
            doc.before_title = texts_under[:next(i for i, p in enumerate(texts_under) if p is title)]
            doc.doc_type = title
            doc.document_type = document_type
            doc.doc_type_slip = type_slip(title.text, document_type)
            self._subject(title, rest)
            # "(Ban hành kèm theo Quyết định số … ngày … của …)" under the title of a document that has
            # no number line: it is issued with that decision and has no number of its own (Phụ lục
            # III, Mẫu 1.3). A document with its own number only relates to the one it cites; one
            # that prints its own place and date has lost its Số line by mistake, and is told so.
            if doc.number_line is None and doc.date_line is None:
                doc.attached_to = next((r for r in (parse_reference(p.text) for p in doc.subtitle) if r), None)
            ends = [title, *doc.subject_lines, *doc.subtitle]
            body_start = max(p.index for p in ends) + 1
        elif vv is not None:
            doc.document_type = "Công văn"
            doc.subject_slip = not VV_FORM.match(vv.text)
            doc.subject_lines = [vv] + [p for p in top if p.cell and vv.cell and p.index > vv.index
                                        and p.cell.stacks_with(vv.cell)
                                        and p.text and not SEPARATOR_RE.match(p.text)][:2]
        # Nơi nhận and the signer: the table cell starting "Nơi nhận", and its row's other cell.
        doc.noi_nhan = next((p for p in paras if p.cell and NOI_NHAN_RE.match(p.text)
                             and p.index >= body_start), None)
        body_end = len(paras)
        sig: list[Para] = []
        if doc.noi_nhan is not None and doc.noi_nhan.cell is not None:
            nn, nc = doc.noi_nhan, doc.noi_nhan.cell
            sig = [p for p in paras if p.cell and p.cell.table == nc.table]
            body_end = min(p.index for p in sig)
            doc.recipients = [p for p in sig if p.cell and p.cell.col == nc.col and p.index > nn.index and p.text]
            # The signer's cell as printed, its empty lines too: they are the space signed in.
            block = [p for p in sig if p.cell and p.cell.col != nc.col]
            right = [p for p in block if p.text]
            if not right and (beside := self._signer_off_the_table(paras, body_start, sig)):
                # The Nơi nhận in a one-column table of its own, the signer's block typed in the
                # right half of the page above it (or under it): the block is the signer's.
                right = block = beside
                sig = sorted([*sig, *beside], key=lambda p: p.index)
                body_end = min(body_end, beside[0].index)
            # A joint plan's other signer over the Nơi nhận, in its column: a co-signer (văn bản liên tịch).
            over = [p for p in sig if p.cell and p.cell.col == nc.col and p.index < nn.index]
            doc.co_signers = [_signer_part(over)] if _signed(over) else []
            under = self._under_signer(sig, right)
            sig += under
            self._signer(block + under)
        elif (outside := self._noi_nhan_outside_a_table(paras, body_start)) is not None:
            sig, columns = outside
            body_end = min(p.index for p in sig)
            *others, right = columns
            doc.co_signers = [_signer_part(c) for c in others]
            self._signer(right)
        main_section = doc.noi_nhan.section if doc.noi_nhan else 0
        if not sig:  # no signature table: the body runs to the first appendix heading
            body_end = self._first_appendix_heading(body_start) or body_end
        candidates = [p for p in paras if body_start <= p.index < body_end and p.cell is None
                      and p.section <= main_section and p.text]
        doc.kinh_gui, body = self._split_kinh_gui(candidates)
        # Running text is judged by paragraph (indent, spacing, alignment): its lines go back together.
        doc.body = list({id(p.paragraph): p.paragraph for p in body if p.paragraph.text}.values())
        if not doc.kinh_gui:  # "Kính gửi:" set in a borderless table under the header
            first_body = doc.body[0].index if doc.body else body_end
            kg = next((p for p in paras if last_top < p.index < first_body and p.cell is not None
                       and KINH_GUI_RE.match(p.text)), None)
            if kg is not None and kg.cell is not None:
                kc = kg.cell
                doc.kinh_gui = [p for p in paras if p.cell is not None and p.cell.table == kc.table
                                and p.index >= kg.index and p.text]
        if title is None and vv is None and doc.kinh_gui:
            doc.document_type = "Công văn"
        self._joint_issuers()
        sig_end = max((p.index for p in sig), default=body_end - 1)
        doc.copy_block = self._copy_block(sig_end)
        locate_appendices(doc, main_section, sig_end, doc.copy_block[0].index if doc.copy_block else None)
        self._draft_marks(body_start)  # before _administrative: a draft's mark may stand over the tên loại
        self._administrative(texts, title)
        self._lines()

    @staticmethod
    def _title(rest: list[Para]) -> tuple[Para | None, str]:
        """The tên loại among the first lines under the header, and the type it names. A line that
        prints a type's name with a typing slip ("KẾ HOACH", "KẾHOẠCH") is that tên loại only where
        and as the tên loại prints: the first such line under the header, in capitals, centred and
        bold, over a centred line (the trích yếu). Its likeness alone would make a title of any
        line that looks like one; a different type ("BÁO CÁO") or word ("KẾT LUẬN") is no slip."""
        lines = [q for q in rest if q.text][:6]
        for p in lines:
            if (t := recognise_type(p.text)) is not None:
                return p, t
        for p, nxt in itertools.pairwise(lines):
            t = type_with_slip(p.text)
            if t is not None and is_capitals(p) and is_centred(p) and is_bold(p) and is_centred(nxt):
                return p, t
        return None, ""

    def _draft_marks(self, body_start: int) -> None:
        """A draft's marker ("DỰ THẢO", "Dự thảo lần 2") on the first page before the body, typed as a
        line, in a bordered box, a text box or a header cell: no part of the plan."""
        self.doc.draft_marks = [p for p in self.doc.paragraphs[:body_start]
                                if p.text and DRAFT_MARK_RE.match(upper_vi(p.text))]

    def _noi_nhan_outside_a_table(self, paras: list[Para], body_start: int) \
            -> tuple[list[Para], list[list[Para]]] | None:
        """The Nơi nhận typed as paragraphs, outside any table, with the signers' blocks beside it on
        the page some other way: in a table right above it (a joint document, văn bản liên tịch: two
        signers side by side, the Nơi nhận below on the left), or as lines set in the right half of
        the page right above the Nơi nhận or right after its entries (no table at all). A signer's
        block is capital title lines over a name. Returns every line of the block (doc.noi_nhan and
        doc.recipients are set) and the signers' blocks, left to right."""
        doc = self.doc
        # The document's Nơi nhận stands before its appendices: one in an appendix is a sample letter's.
        paras = paras[:self._first_appendix_heading(body_start) or len(paras)]
        # Outside a table only the label on a line of its own is the Nơi nhận ("Nơi nhận:", or with its
        # first entry "Nơi nhận: - Như trên;"): a sentence of the body that begins with the words
        # ("Nơi nhận hồ sơ: Văn phòng Sở …") is body text, and taking it would move the rest of the
        # body into the recipients.
        nn = next((p for p in paras if p.cell is None and p.index >= body_start and (m := NOI_NHAN_RE.match(p.text))
                   and p.text[m.end():].strip()[:1] in ("", "+", *DASHES)), None)
        if nn is None:
            return None
        room = self.word.section_width(nn.section)

        def right_half(p: Para) -> bool:
            centre = middle(p, room)
            return p.cell is None and centre is not None and centre > room * 0.55

        entries: list[Para] = []
        for p in paras[nn.index + 1:]:
            if not p.text or p.cell is not None or p.section != nn.section or starts_page(p) or right_half(p):
                break
            entries.append(p)
        above = next((p for p in reversed(paras[body_start:nn.index]) if p.text), None)
        block: list[Para] = []
        signers: list[list[Para]] = []
        if above is not None and above.cell is not None:
            block = [p for p in paras if p.cell is not None and p.cell.table == above.cell.table]
            columns = [[p for p in block if p.cell is not None and p.cell.col == col]
                       for col in sorted({p.cell.col for p in block if p.cell is not None})]
            signers = [c for c in columns if any(p.text for p in c)]
            if not signers or not all(_signed(c) for c in signers):
                block = []  # the body's last table: the signer may still stand in the right half below
        if not block:
            before = list(itertools.takewhile(lambda p: not p.text or right_half(p),
                                              reversed(paras[body_start:nn.index])))[::-1]
            after_entries = paras[(entries[-1] if entries else nn).index + 1:]
            after = list(itertools.takewhile(lambda p: (not p.text or right_half(p)) and p.section == nn.section,
                                             after_entries))
            block = next((b for b in (before, after) if _signed(b)), [])
            if not block:
                return None
            signers = [block]
        doc.noi_nhan = nn
        doc.recipients = entries
        return sorted([*block, nn, *entries], key=lambda p: p.index), signers

    def _signer_off_the_table(self, paras: list[Para], body_start: int, table: list[Para]) -> list[Para]:
        """A signer's block (capital title lines over a name) typed as lines in the right half of the
        page right above a Nơi nhận table that has no other column, or right under it."""
        first, last = table[0], table[-1]
        room = self.word.section_width(first.section)

        def right_half(p: Para) -> bool:
            centre = middle(p, room)
            return p.cell is None and centre is not None and centre > room * 0.55

        before = list(itertools.takewhile(lambda p: not p.text or right_half(p),
                                          reversed(paras[body_start:first.index])))[::-1]
        after = list(itertools.takewhile(lambda p: (not p.text or right_half(p)) and p.section == last.section,
                                         paras[last.index + 1:]))
        block = next((b for b in (before, after) if _signed(b)), [])
        return [p for p in block if p.text]

    def _first_appendix_heading(self, body_start: int) -> int | None:
        """Where the first appendix heading stands after the body's start (outside tables), if any."""
        lines = [p for p in self.doc.paragraphs if p.index >= body_start and p.cell is None and p.text]
        return next((p.index for i, p in enumerate(lines)
                     if appendix_heading(p, lines[i + 1:i + 4], i > 0 and p.section != lines[i - 1].section)), None)

    def _copy_block(self, sig_end: int) -> list[Para]:
        """A copy's own block (bản sao: "SAO Y", "SAO LỤC", "TRÍCH SAO" with its issuer, Số, date,
        signer and Nơi nhận), printed after the document under a rule: from that rule (or the table
        that holds the form) to the end, with no page, section or appendix after it. Told by the form
        line together with the copy's own signer's block (a Nơi nhận or a Số line beside it), so an
        appendix titled with these words is none."""
        paras = self.doc.paragraphs
        form = next((p for p in paras[sig_end + 1:] if COPY_FORM_RE.match(upper_vi(p.text))), None)
        if form is None:
            return []
        # The form stands over the copy's place and date (in its column, when in a table): a table
        # that only names the form in a cell (an appendix's list: "Nơi nhận" over a column, "SAO Y"
        # in a row) is no copy, and taking it would drop the appendix from there to the end.
        column = [p for p in paras[form.index + 1:] if p.text and (
            p.cell is None if form.cell is None else
            p.cell is not None and p.cell.stacks_with(form.cell))]
        if not any(DATE_RE.search(p.text) for p in column[:3]):
            return []
        if form.cell is not None:
            block = [p for p in paras if p.cell is not None and p.cell.table == form.cell.table]
        else:
            block = paras[form.index:form.index + 12]
        if not any(NOI_NHAN_RE.match(p.text) or NUMBER_RE.match(p.text) for p in block):
            return []
        start = block[0].index
        before = next((p for p in reversed(paras[sig_end + 1:start]) if p.text), None)
        if before is not None and SEPARATOR_RE.match(before.text) and before.cell is None:
            start = before.index  # the rule typed as underscores opens the block
        # The block is the last thing printed: an extract ("TRÍCH SAO") closing an appendix, with
        # another appendix after it on a new page, in a new section or under its own heading, is
        # part of that appendix; taken for the copy's block it would cut every later appendix.
        rest = [p for p in paras[start:] if p.text]
        if any(starts_page(p) or p.section != rest[i - 1].section
               or appendix_heading(p, rest[i + 1:i + 4], p.section != rest[i - 1].section)
               for i, p in enumerate(rest) if i > 0):
            return []
        return paras[start:]

    def _under_signer(self, sig: list[Para], right: list[Para]) -> list[Para]:
        """Lines printed right under the signature table in the signer's column (the name typed after
        the table, set there with tabs or an indent): they belong to the signer's block, not to an
        appendix. At most three lines, before any other text, in the same section."""
        if not right or right[-1].cell is None:
            return []
        cell = right[-1].cell
        lo, hi = cell.left, cell.left + cell.width
        out: list[Para] = []
        for p in self.doc.paragraphs[sig[-1].index + 1:]:
            if p.cell is not None or p.section != sig[-1].section or len(out) >= 3 or starts_page(p):
                break
            if not p.text:
                continue
            f = p.fmt
            if f is None or (f.align == "center" and f.left + max(f.first_line, 0) < 200 and f.right < 200
                             and not any("\t" in r.text for r in p.runs)):
                break  # centred on the page (an appendix's heading), not set in the signer's column
            centre = middle(p, self.word.section_width(p.section))
            if centre is None or not lo <= centre <= hi:
                break
            out.append(p)
        return out

    def _broken_quoc_hieu(self, paras: list[Para]) -> None:
        """A Quốc hiệu broken onto two lines (Enter or Shift+Enter in a narrow column) is still the
        Quốc hiệu: one part whose text holds the break, so its one-line rule sees two lines."""
        doc = self.doc
        for a, b in itertools.pairwise(paras):
            if not a.text or not b.text or a.section != b.section or (a.cell is None) != (b.cell is None) \
                    or (a.cell is not None and b.cell is not None
                        and (a.cell.table, a.cell.row, a.cell.col) != (b.cell.table, b.cell.row, b.cell.col)):
                continue
            if QUOC_HIEU_RE.match(fold_hoa(f"{a.text} {b.text}")):
                brk = [Run("\n", a.runs[-1].fmt)] if a.runs else []
                doc.quoc_hieu = Para(f"{a.text} {b.text}", a.el, a.fmt, a.runs + brk + b.runs, a.section, a.cell,
                                     a.width, a.index, whole=a.paragraph, line_no=a.line_no)
                doc.quoc_hieu_lines = [a, b]
                return

    def _agency(self, top: list[Para], header_table: int | None) -> None:
        """Parent and issuer: the names above the Số line in its column (or left of the Quốc hiệu).
        The issuer is bold and the parent is not (Phụ lục I); when the weights do not tell them apart,
        a line that starts with a place ("TỈNH …") continues the name above it."""
        doc = self.doc
        qh = doc.quoc_hieu
        skip = {id(p) for p in (doc.number_line, doc.date_line, doc.tieu_ngu, *doc.quoc_hieu_lines) if p is not None}
        if header_table is not None and qh is not None and qh.cell is not None:
            nl = doc.number_line
            # The issuer's column: the Số line's when it is in the header table, else left of the Quốc hiệu.
            nl_cell = nl.cell if nl is not None and nl.cell is not None and nl.cell.table == header_table else None
            qh_col = qh.cell.grid_col

            def col_ok(c: Cell) -> bool:
                return c.stacks_with(nl_cell) if nl_cell is not None else c.grid_col < qh_col

            limit_row = nl.cell.row if nl is not None and nl.cell is not None else 10 ** 6
            names = [p for p in top if p.text and id(p) not in skip and p.cell is not None and col_ok(p.cell)
                     and p.cell.row <= limit_row
                     and (nl is None or p.index < nl.index) and not SEPARATOR_RE.match(p.text)
                     and not VV_RE.match(p.text)]
        else:
            anchor = doc.number_line or qh
            above = [p for p in top if p.index < anchor.index] if anchor is not None else _over_title(top)
            names = [p for p in above if p.text and id(p) not in skip
                     and not SEPARATOR_RE.match(p.text) and upper_vi(p.text) == p.text]
        names = [p for p in names if not QUOC_HIEU_RE.match(fold_hoa(p.text)) and not TIEU_NGU_RE.match(p.text)]
        if not names:
            return
        bold = [is_bold(p) for p in names]
        if any(bold) and not all(bold):
            k = len(names)
            while k > 0 and bold[k - 1]:
                k -= 1
            if k < len(names) and all(not b for b in bold[:k]):
                doc.parent_lines, doc.issuer_lines = names[:k], names[k:]
                return
        groups = _name_groups(names)
        doc.issuer_lines = groups[-1]
        doc.parent_lines = [p for g in groups[:-1] for p in g]

    def _joint_issuers(self) -> None:
        """A joint document (văn bản liên tịch) prints one signer per issuing agency, and each agency's
        name in the header, in bold (Phụ lục I: the issuer is bold, its parent is not): as many bold
        names as signers, the lead agency's first. Read the header's bold names as that many
        issuers; a bold name that stood above the last one is no parent then."""
        doc = self.doc
        doc.issuers = [doc.issuer_lines] if doc.issuer_lines else []
        count = 1 + len(doc.co_signers)
        if count == 1 or not doc.issuer_lines:
            return
        names = [*doc.parent_lines, *doc.issuer_lines]
        k = len(names)
        while k > 0 and is_bold(names[k - 1]):
            k -= 1
        bold = names[k:] or doc.issuer_lines
        groups = _name_groups(bold)
        while len(groups) < count and any(len(g) > 1 for g in groups):
            # Fewer names than signers: a name's last line is taken for another agency's
            # ("SỞ GIÁO DỤC VÀ ĐÀO TẠO" over "TỈNH ĐOÀN" reads as one name by its words).
            g = next(g for g in reversed(groups) if len(g) > 1)
            i = groups.index(g)
            groups[i:i + 1] = [g[:-1], g[-1:]]
        issuers = groups[-count:]
        doc.issuers = issuers
        doc.issuer_lines = [p for g in issuers for p in g]
        doc.parent_lines = [p for p in names if all(p is not q for q in doc.issuer_lines)]

    def _subject(self, title: Para, rest: list[Para]) -> None:
        """Trích yếu: the centred lines right under the tên loại (a long one is often typed as
        several paragraphs); then any "(Ban hành kèm theo …)" line."""
        doc = self.doc
        after = [p for p in rest if p.index > title.index]
        lines: list[Para] = []
        for p in after:
            if not p.text:
                if lines:
                    break
                continue
            # A line continues the trích yếu when it is printed like its first line: centred, same
            # weight and size, and capitals only when the first line is in capitals (a trích yếu set
            # in capitals runs on in capitals; under a mixed-case one a capitals line is a heading).
            if lines and (not is_centred(p) or is_bold(p) != is_bold(lines[0]) or p.text.startswith("(")
                          or len(lines) >= 4 or is_capitals(p) != is_capitals(lines[0])
                          or text_size(p) != text_size(lines[0])):
                break
            if not lines and p.text.startswith("("):
                break
            lines.append(p)
            if not is_centred(p):
                break
        doc.subject_lines = lines
        nxt = [p for p in after if not lines or p.index > lines[-1].index]
        for p in nxt[:3]:
            if not p.text:
                continue
            if p.text.startswith("(") and p.text.endswith(")") and is_centred(p):
                doc.subtitle.append(p)
                continue
            break

    def _split_kinh_gui(self, paras: list[Para]) -> tuple[list[Para], list[Para]]:
        """"Kính gửi: …" and the addressees listed under it are not running text."""
        kinh: list[Para] = []
        body: list[Para] = []
        in_list = False
        for p in paras:
            if SEPARATOR_RE.match(p.text):
                continue
            if KINH_GUI_RE.match(p.text) and not body:
                kinh.append(p)
                in_list = True
                continue
            if in_list and p.text.startswith(("+", *DASHES)) and len(p.text) < 120 \
                    and (p.fmt.first_line if p.fmt else 0) < 400:
                kinh.append(p)
                continue
            in_list = False
            body.append(p)
        return kinh, body

    def _signer(self, right: list[Para]) -> None:
        """The lead signer's block (the right one): its parts on the document."""
        doc = self.doc
        part = _signer_part(right)
        doc.signature_stand_ins = part.stand_ins
        if part.name is None:
            return
        doc.signer_lines, doc.signer_name, doc.after_name = part.lines, part.name, part.after_name
        doc.signer_rank = part.rank

    def _administrative(self, texts: list[Para], title: Para | None) -> None:
        """Say why a file is not an administrative document, or leave None."""
        doc = self.doc
        if any(TEMPLATE_RE.search(p.text) for p in texts):
            n = sum(1 for p in texts if TEMPLATE_RE.search(p.text))
            if n >= 3 or (doc.number_line is not None and TEMPLATE_RE.search(doc.number_line.text)):
                doc.not_administrative = "đây là mẫu docxtpl (còn thẻ {{ … }} / {% … %}), chưa phải văn bản"
                return
        first = next((p for p in texts[:15] if p.cell is None and len(p.text) < 60
                      and upper_vi(p.text) == p.text and p is not doc.quoc_hieu and p is not doc.tieu_ngu), None)
        if title is None and first is not None:
            word = upper_vi(first.text).split()[0] if first.text.split() else ""
            if upper_vi(first.text).startswith("HỢP ĐỒNG") or word == "ĐƠN":
                doc.not_administrative = f"đây là {'hợp đồng' if word != 'ĐƠN' else 'đơn'} (“{first.text[:40]}”), " \
                                         "không phải văn bản hành chính"
                return
        if doc.document_type == "Hợp đồng":
            doc.not_administrative = "đây là hợp đồng, không phải văn bản hành chính"
            return
        numbered = doc.number_line is not None or doc.attached_to is not None
        missing = [name for name, part in (("Quốc hiệu", doc.quoc_hieu), ("số, ký hiệu", numbered or None),
                                           ("tên cơ quan ban hành", doc.issuer_lines or None)) if part is None]
        if doc.quoc_hieu is not None and doc.document_type is not None and len(missing) == 1:
            # A tên loại (or "V/v") under the Quốc hiệu is an administrative document's even when its Số
            # line or its issuer is not found (left out, or typed in a form no reader knows): its rules
            # say what is missing, and import reads the rest. Refusing would lose the whole document.
            return
        if missing and issued_alone(doc):
            # The document a decision issues, printed as a file of its own (Phụ lục III, Mẫu 1.3): its
            # tên loại opens it (under the issuer's name, or with no header at all), its "(Ban hành kèm
            # theo Quyết định số …)" line names the decision. A document, not a phụ lục: its rules say
            # which parts of Mẫu 1.3's header it does not print, as when printed after its decision.
            return
        if missing:
            # A phụ lục or đề cương sent in a file of its own opens with its heading and "(Kèm theo
            # Báo cáo số … ngày … của …)": part of the document it names, not a document with a
            # header of its own. Said so, and where its rules are checked (with that document).
            ref = None if doc.quoc_hieu is not None else _reference_at_top(texts[:8])
            if ref is not None:
                doc.annex_of = f"{ref.doc_type} số {ref.number or '…'}/{ref.symbol}"
                doc.not_administrative = (
                    f"đây là tài liệu kèm theo {doc.annex_of}, in thành tệp riêng: không có phần đầu của một "
                    "văn bản (không thấy " + ", ".join(missing) + ")")
                return
            party = next((p for p in texts[:12] if PARTY_RE.match(p.text)), None) if doc.quoc_hieu is None else None
            if party is not None:
                # "ĐẢNG CỘNG SẢN VIỆT NAM" where the Quốc hiệu stands: a document of the Party, whose
                # form is the Party's own (Hướng dẫn 36-HD/VPTW), not Decree 30's. Said for what it is.
                doc.not_administrative = ("đây là văn bản của Đảng (“ĐẢNG CỘNG SẢN VIỆT NAM” ở chỗ Quốc hiệu), "
                                          "thể thức theo hướng dẫn của Đảng, không theo Nghị định 30; kehoach "
                                          "chỉ đọc và kiểm tra văn bản hành chính")
                return
            doc.not_administrative = ("không phải văn bản hành chính theo Nghị định 30: không thấy "
                                      + ", ".join(missing))

    # lines under the Tiêu ngữ, the issuer and the trích yếu

    def _lines(self) -> None:
        doc = self.doc
        last = max((p.index for p in [doc.tieu_ngu, *doc.issuer_lines, *doc.subject_lines, *doc.subtitle,
                                      doc.number_line, doc.date_line] if p is not None), default=-1)
        drawing = Drawing(self.word, last + 4)
        doc.lines = {
            "tieu_ngu": drawing.line_under([doc.tieu_ngu] if doc.tieu_ngu else []),
            "agency": drawing.line_under(doc.issuer_lines),
            "subject": drawing.line_under([*doc.subject_lines, *doc.subtitle])
            if doc.doc_type is not None else None,
        }
