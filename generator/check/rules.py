"""The rules of Decree 30/2020/NĐ-CP for a Kế hoạch, each its own function, each result traceable.

Rule ids: ``PL<phụ lục>.<mục>.<khoản>.<slug>[.<aspect>]``.
- ``PL1`` is Phụ lục I of the decree (thể thức, kỹ thuật trình bày văn bản hành chính); the mục and
  khoản follow its Phần I: ``II.1`` khổ giấy, ``II.2`` kiểu trình bày (hướng giấy), ``II.3`` định lề,
  ``II.4`` phông chữ, ``II.7`` số trang; ``III.1`` Quốc hiệu và Tiêu ngữ, ``III.2`` tên cơ quan,
  ``III.3`` số, ký hiệu, ``III.4`` địa danh và thời gian, ``III.5`` tên loại và trích yếu,
  ``III.6`` nội dung, ``III.7`` chức vụ, họ tên người ký, ``III.9`` nơi nhận; ``IV`` phụ lục kèm theo.
- ``PL3`` is Phụ lục III (chữ viết tắt tên loại văn bản).
- The slug names the element in Vietnamese without diacritics; the aspect says what is measured
  (``co-chu`` size, ``kieu-chu`` bold/italic, ``in-hoa`` case, ``can-le`` alignment, ``duong-ke``
  the line under it, ``hinh-thuc`` the written form).
Ids are stable: tests, JSON consumers and the README refer to them.

Every rule returns Results. An element that cannot be found gives "not_evaluated", never a pass.
Content rules (``content=True``) read only text and also run on a data file; the others need the
formatting of a .docx.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import pairwise

from ..nd30 import CLOSING_MARK, QUOC_HIEU, TIEU_NGU, TYPE_ABBREVIATIONS, day_month
from ..nd30.figures import (
    A4_TOLERANCE_TWIPS,
    A4_TWIPS,
    CONG_VAN_SUBJECT_PT,
    FIRST_LINE_TOLERANCE_TWIPS,
    FIRST_LINE_TWIPS,
    LINE_SPACING_LINES,
    MARGIN_MM,
    MARGIN_TOLERANCE_MM,
    PARAGRAPH_GAP_MIN_TWIPS,
    RULE_FRACTION_RANGE,
    SIZE_PT,
    TWIPS_PER_CM,
    TWIPS_PER_MM,
    FontSize,
)
from ..nd30.names import ABBREVIATED_LEVELS
from ..recognise.lines import (
    ACADEMIC_RE,
    CITATION_RE,
    DASHES,
    IN_FIGURES,
    MUC_RE,
    PART_RE,
    SIGNATURE_STAND_IN_RE,
    UNDER_NAME_CONTACT,
    UNDER_NAME_NOTE,
    UNDER_NAME_OTHER,
    UNDER_NAME_POST,
    name_prefix,
    parse_authority,
    parse_date_line,
    parse_number_line,
    parse_reference,
    recipient_entries,
    under_name,
)
from ..recognise.model import KeHoach
from ..text import upper_vi
from ..word.formatting import ParaFormat, font_family, symbol_font, tabs_before_field
from ..word.legacy_fonts import TCVN3, font_encoding
from ..word.reader import (
    HeaderPart,
    Line,
    PageSection,
    Para,
    as_printed,
    leading_width,
    rendered_lines,
    text_size,
    text_width,
)
from .report import ERROR, FAIL, NOT_EVALUATED, PASS, WARNING, Result

FONT = "Times New Roman"


# --- the registry ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Rule:
    func: Callable[[KeHoach], Iterable[Result]]
    content: bool
    types: frozenset | None = None  # document types the rule holds for; None: every type


RULES: list[Rule] = []
KE_HOACH = "Kế hoạch"
CONG_VAN = "Công văn"


def rule(*, content: bool = False, types: Iterable[str] | None = None) -> Callable:
    def register(func: Callable[[KeHoach], Iterable[Result]]) -> Callable:
        RULES.append(Rule(func, content, frozenset(types) if types is not None else None))
        return func
    return register


def applies(r: Rule, doc: KeHoach) -> bool:
    """A rule of one type (a Kế hoạch's catalogue, a công văn's V/v) never fires on another type.
    A document whose type is not recognised is judged as the plan this tool makes."""
    if not (doc.formatted or r.content):
        return False
    if r.types is None:
        return True
    return (doc.document_type or KE_HOACH) in r.types or (
        "*titled" in r.types and doc.document_type != CONG_VAN)


def run_rules(doc: KeHoach) -> list[Result]:
    out: list[Result] = []
    for r in RULES:
        if not applies(r, doc):
            continue
        try:
            out.extend(r.func(doc))
        except Exception as exc:  # noqa: BLE001 - an odd document must not stop the other rules
            # Why: the checker reads documents from anywhere; a construct we did not foresee is
            # reported as "not evaluated" for that rule, never as a pass and never as a traceback.
            out.append(Result(f"{r.func.__name__}", "Khác", f"quy tắc {r.func.__name__}", ERROR, NOT_EVALUATED,
                              message=f"không đánh giá được ({type(exc).__name__}: {exc})"))
    return out


def _res(rule_id: str, element: str, title: str, severity: str, ok: bool | None, *,
         measured: str = "", expected: str = "", where: str = "", message: str = "") -> Result:
    status = NOT_EVALUATED if ok is None else (PASS if ok else FAIL)
    return Result(rule_id, element, title, severity, status, measured, expected, where, message)


def _missing(rule_id: str, element: str, title: str, severity: str = ERROR) -> Result:
    return _res(rule_id, element, title, severity, None,
                message=f"không tìm thấy {element.lower()} trong văn bản nên chưa đánh giá được")


def _where(doc: KeHoach, para: Para | None) -> str:
    return para.where(doc.section_count, doc.origin) if para is not None else ""


def _fmt(p: Para) -> ParaFormat:
    """A paragraph's formatting. The format rules run on .docx files only (see applies), whose
    paragraphs all have one; a data file's paragraphs have none."""
    if p.fmt is None:
        raise ValueError(f"đoạn không có định dạng: {p.where()}")
    return p.fmt


PT = SIZE_PT  # Decree 30's size of each element (nd30/figures.py), short for the calls below


def _within(size: float, figure: FontSize) -> bool:
    return figure.lo <= size <= figure.hi


def _pt(v: float) -> str:
    return f"{v:g}"


# --- measuring helpers -------------------------------------------------------------------------

def _paras(para: Para | list[Para] | None) -> list[Para]:
    if para is None:
        return []
    return para if isinstance(para, list) else [para]


def _sizes(para: Para | list[Para]) -> set[float]:
    if isinstance(para, list):
        return set().union(*(_sizes(p) for p in para)) if para else set()
    runs = para.visible_runs
    if not runs and para.fmt is not None:
        return {para.fmt.run_defaults.size} if para.fmt.run_defaults.size else set()
    # A raised or lowered run ("m²", "CO₂", a drafter's initials) prints small by design, often set
    # smaller by hand too: its size says nothing of the text's, unless it is all the line holds.
    runs = [r for r in runs if not r.fmt.vert_align] or runs
    return {r.fmt.size for r in runs if r.fmt.size is not None}


def _size_text(sizes: set[float]) -> str:
    return ", ".join(_pt(s) + " pt" for s in sorted(sizes)) or "không rõ"


def _all(para: Para | list[Para], attr: str) -> bool | None:
    runs = [r for p in _paras(para) for r in p.visible_runs]
    if not runs:
        return None
    # Bold or italic is seen in the words: a colon, comma or dash set apart in its own run prints almost
    # the same either way ("Nơi nhận" italic with an upright ":" reads as "Nơi nhận:" in italics).
    worded = [r for r in runs if any(c.isalnum() for c in r.text)]
    runs = worded or runs
    values = {getattr(r.fmt, attr) for r in runs}
    return values.pop() if len(values) == 1 else None  # None: mixed


def _shown_text(para: Para | list[Para]) -> str:
    """The text as printed: runs with caps on are shown in capitals."""
    if isinstance(para, list):
        return " ".join(_shown_text(p) for p in para)
    if not para.runs:
        return para.text
    # Word files often carry decomposed accents ("Ạ" as A + dot below) and no-break spaces (Ctrl+Shift+
    # Space, to keep a line whole): the same letters and spaces on the page.
    return as_printed("".join(upper_vi(r.text) if r.fmt.caps else r.text for r in para.runs)).strip()


def _is_upper(para: Para | list[Para]) -> bool:
    text = _shown_text(para)
    return upper_vi(text) == text


def _element_format(doc: KeHoach, para: Para | list[Para] | None, rule_id: str, element: str, *,
                    sizes: FontSize | tuple[float, float], bold: bool | None, italic: bool | None,
                    caps: bool = False, align: str | None = None) -> list[Result]:
    """Size, bold/italic, capitals and alignment of one header/title element."""
    lo, hi = sizes.range if isinstance(sizes, FontSize) else sizes
    size_exp = f"{_pt(lo)} pt" if lo == hi else f"{_pt(lo)}–{_pt(hi)} pt"
    titles = {
        "co-chu": f"cỡ chữ {size_exp}",
        "kieu-chu": "kiểu chữ " + ", ".join(
            ([("đứng đậm" if bold else "không đậm")] if bold is not None else [])
            + ([("nghiêng" if italic else "không nghiêng")] if italic is not None else [])),
        "in-hoa": "chữ in hoa",
        "can-le": "căn giữa",
    }
    aspects = ["co-chu", "kieu-chu"] + (["in-hoa"] if caps else []) + (["can-le"] if align else [])
    if not _paras(para):
        return [_missing(f"{rule_id}.{a}", element, titles[a]) for a in aspects]
    paras = _paras(para)
    para = paras if len(paras) > 1 else paras[0]
    out = []
    where = _where(doc, paras[0])
    got = _sizes(para)
    out.append(_res(f"{rule_id}.co-chu", element, titles["co-chu"], ERROR,
                    bool(got) and all(lo <= s <= hi for s in got),
                    measured=_size_text(got), expected=size_exp, where=where))
    problems, measured = [], []
    for attr, want, yes, no in (("bold", bold, "đậm", "không đậm"), ("italic", italic, "nghiêng", "không nghiêng")):
        if want is None:
            continue
        value = _all(para, attr)
        measured.append(yes if value else (no if value is False else f"{yes} một phần"))
        if value is not want:
            problems.append(attr)
    out.append(_res(f"{rule_id}.kieu-chu", element, titles["kieu-chu"], ERROR, not problems,
                    measured=", ".join(measured), expected=titles["kieu-chu"][9:], where=where))
    if caps:
        out.append(_res(f"{rule_id}.in-hoa", element, titles["in-hoa"], ERROR, _is_upper(para),
                        measured=_shown_text(para)[:60], expected=upper_vi(_shown_text(para))[:60], where=where))
    if align:
        off = [p for p in paras if not _looks_aligned(p, align)]
        shown = off[0] if off else paras[0]
        out.append(_res(f"{rule_id}.can-le", element, titles["can-le"], WARNING,
                        not off, measured=_ALIGN_VI.get(_fmt(shown).align, _fmt(shown).align),
                        expected=_ALIGN_VI[align], where=where))
    return out


def _looks_aligned(p: Para, align: str) -> bool:
    """Aligned as asked, or centred by eye: a left-aligned line pushed to the middle of its column with
    leading spaces or tabs, or one that fills its column, lands within a few points of where centring
    would put it."""
    if p.fmt is None or p.fmt.align == align:
        return True
    if align != "center" or p.fmt.align not in ("left", "start", "both") or not p.runs:
        return False
    lines = rendered_lines(p)
    # The spaces as printed: at their run's size and character spacing (a condensed Quốc hiệu's
    # spaces are narrower than plain ones).
    lead = leading_width(p)
    if not lead and len(lines) > 1:
        return False  # the lines after the first start at the left edge
    room = (p.width - p.fmt.left - p.fmt.right) / 20
    width = lines[0][1]  # printed text without the leading spaces
    return abs(lead - (room - width) / 2) <= max(6.0, 0.05 * room)


_ALIGN_VI = {"center": "căn giữa", "both": "căn đều hai lề", "left": "căn trái", "right": "căn phải",
             "distribute": "căn đều (phân bố)", "start": "căn trái", "end": "căn phải"}


# --- page (Phụ lục I, II.1–II.3) ----------------------------------------------------------------

MARGIN_VI = {"top": "trên", "bottom": "dưới", "left": "trái", "right": "phải"}
LANDSCAPE_SIDES = {"top": "left", "bottom": "right", "left": "top", "right": "bottom"}


def _margin_problems(margins: dict[str, int], bounds: dict[str, tuple[int, int]]) -> list[str]:
    bad = []
    for side, (lo, hi) in bounds.items():
        mm = margins.get(side, 0) / TWIPS_PER_MM
        if not lo - MARGIN_TOLERANCE_MM <= mm <= hi + MARGIN_TOLERANCE_MM:
            bad.append(f"lề {MARGIN_VI[side]} {mm:.1f} mm (cần {lo}–{hi})")
    return bad


def _appendix_sections(doc: KeHoach) -> set[int]:
    """Sections that hold only an appendix (one after the signature in the body's section does not
    make that section an appendix)."""
    main = doc.noi_nhan.section if doc.noi_nhan is not None else 0
    return {s for a in doc.appendices for s in a.sections if s > main} | {
        a.section for a in doc.appendices if a.own_section}


def _section_label(doc: KeHoach, index: int) -> str:
    """Which part of the plan a section holds and how it is turned: "mục trang 2 (phụ lục, khổ ngang)".
    Why: per-section rules repeat once per section; the reader must see which one each line is about."""
    apps = [a.section for a in doc.appendices if a.own_section]
    if index in apps:
        part = "phụ lục" if len(apps) == 1 else f"phụ lục thứ {apps.index(index) + 1}"
    elif index <= (doc.noi_nhan.section if doc.noi_nhan is not None else 0):
        part = "phần chính"
    else:
        part = "sau phần ký"
    number = doc.origin.section + index + 1  # as the file counts its sections (a part: from its place)
    if not doc.sections:
        return f"mục trang {number} ({part})"
    s = doc.sections[min(index, len(doc.sections) - 1)]
    return f"mục trang {number} ({part}, khổ {'ngang' if s.width > s.height else 'dọc'})"


def _page_setups(doc: KeHoach) -> list[PageSection]:
    """The sections whose page setup is judged: a section begun by a continuous break with the same
    page and margins as the one before prints on with it (Word applies a continuous section's page
    setup from the next page only), so it is the same setup, judged once."""
    out: list[PageSection] = []
    for s in doc.sections:
        if out and s.continuous and (s.width, s.height, s.margins) == (out[-1].width, out[-1].height, out[-1].margins):
            continue
        out.append(s)
    return out


@rule()
def page_setup(doc: KeHoach) -> list[Result]:
    out = []
    appendix = _appendix_sections(doc)
    for s in _page_setups(doc):
        where = _section_label(doc, s.index)
        short, long_ = sorted((s.width, s.height))
        ok = abs(short - A4_TWIPS[0]) <= A4_TOLERANCE_TWIPS and abs(long_ - A4_TWIPS[1]) <= A4_TOLERANCE_TWIPS
        out.append(_res("PL1.II.1.kho-giay", "Trang", "khổ giấy A4 (210 × 297 mm)", ERROR, ok,
                        measured=f"{short / TWIPS_PER_MM:.0f} × {long_ / TWIPS_PER_MM:.0f} mm",
                        expected="210 × 297 mm", where=where))
        landscape = s.width > s.height
        ok = not landscape or s.index in appendix
        out.append(_res("PL1.II.2.huong-giay", "Trang", "khổ dọc (khổ ngang chỉ cho phụ lục có bảng)", ERROR, ok,
                        measured="ngang" if landscape else "dọc", expected="dọc", where=where))
        bad = _margin_problems(s.margins, MARGIN_MM)
        if bad and landscape:
            # A landscape page is bound turned a quarter: its top edge lies at the binding (the
            # portrait page's left), its bottom at the outer edge, its sides at the head and foot.
            turned = _margin_problems(s.margins, {side: MARGIN_MM[on_portrait]
                                                  for side, on_portrait in LANDSCAPE_SIDES.items()})
            bad = bad if len(turned) >= len(bad) else []
        measured = ", ".join(f"{MARGIN_VI[k]} {s.margins.get(k, 0) / TWIPS_PER_MM:.1f}" for k in MARGIN_MM)
        out.append(_res("PL1.II.3.le-trang", "Trang", "lề trang", ERROR, not bad,
                        measured=measured + " mm", expected="trên, dưới 20–25; trái 30–35; phải 15–20 mm",
                        where=where, message="; ".join(bad)))
    return out


# --- font (II.4) ---------------------------------------------------------------------------------

@rule()
def font(doc: KeHoach) -> list[Result]:
    """Times New Roman in the font slots the text is drawn with. Only the slots a run's characters
    use count (Vietnamese: ascii and hAnsi); a face name with a style suffix ("Times New Roman Bold")
    is its family. One result per face and slot, so one odd header run is not reported as the body."""
    paras = list(doc.paragraphs)
    for s in doc.sections:
        for part in _printed_parts(doc, s):
            if part.page_para is not None and part.page_para not in paras:
                paras.append(part.page_para)
    wrong: dict[tuple[str, str], list[Para]] = {}
    legacy: dict[str, list[Para]] = {}  # legacy 8-bit fonts, one finding per font whatever the slot
    encoded: set[str] = set()  # the legacy fonts that draw a Vietnamese letter somewhere
    runs = 0
    for para in paras:
        for run in para.visible_runs:
            runs += 1
            for slot in run.fmt.slots_used(run.text):
                name = run.fmt.fonts.get(slot)
                if name is None and slot in ("eastAsia", "cs"):
                    continue  # unset: Word falls back to the run's Latin face
                if name is None:
                    name = FONT  # no face named at any level: Word draws the text in Times New Roman
                if symbol_font(name) and not any(c.isalnum() for c in run.text):
                    continue  # a mark (a list's dash or bullet inserted as a symbol), not a letter of text
                if (font_family(name) or "").casefold() != FONT.casefold():  # Word matches names in any case
                    if font_encoding(name) and any(ord(c) > 127 for c in run.text):
                        encoded.add(font_family(name) or name)
                    hits = (legacy.setdefault(font_family(name) or name, []) if font_encoding(name)
                            else wrong.setdefault((name or "(chưa đặt)", slot), []))
                    if not hits or hits[-1] is not para:
                        hits.append(para)
    # A legacy 8-bit font is an encoding problem only where it draws a Vietnamese letter: digits and
    # plain Latin letters (a page number "22") are the same bytes in every table, so a font that
    # draws nothing else is only another face.
    for name in [n for n in legacy if n not in encoded]:
        wrong[(name, "ascii")] = legacy.pop(name)
    title = "phông Times New Roman cho mọi chữ"
    if runs == 0:
        return [_missing("PL1.II.4.phong-chu", "Phông chữ", "phông Times New Roman")]
    if not wrong and not legacy:
        return [_res("PL1.II.4.phong-chu", "Phông chữ", title, ERROR, True, measured=FONT, expected=FONT)]
    out = [_legacy_font(doc, name, hits) for name, hits in sorted(legacy.items())]
    for (name, slot), hits in sorted(wrong.items()):
        out.append(_res("PL1.II.4.phong-chu", "Phông chữ", title, ERROR, False,
                        measured=f"{name} (ô phông {slot}) ở {len(hits)} đoạn",
                        expected=f"{FONT} ({slot})",
                        where="; ".join(_where(doc, p) for p in hits[:3])))
    return out


def _legacy_font(doc: KeHoach, name: str, hits: list[Para]) -> Result:
    """A legacy 8-bit font (TCVN3, VNI): not the Unicode font Decree 30 asks for (TCVN 6909:2001).
    The reader has already read its text as Word draws it, so the other rules judged the words."""
    table = "TCVN3 (ABC)" if font_encoding(name) == TCVN3 else "VNI Windows"
    return _res("PL1.II.4.phong-chu", "Phông chữ", "phông chữ Unicode (TCVN 6909:2001), Times New Roman", ERROR,
                False, measured=f"{name} (bảng mã {table}, không phải Unicode) ở {len(hits)} đoạn",
                expected=f"{FONT}, phông Unicode theo TCVN 6909:2001",
                where="; ".join(_where(doc, p) for p in hits[:3]),
                message=(f"chữ gõ bằng phông cũ {name} (bảng mã {table}), không phải phông Unicode; nội dung "
                         f"đã được đọc như Word hiển thị. Hãy đặt phông {FONT} cho các đoạn này; nếu đổi phông "
                         f"xong chữ hiện sai dấu (chữ gõ bằng bảng mã cũ): chọn đoạn chữ, Ctrl+C, mở Unikey → "
                         f"Công cụ (Ctrl+Shift+F6), bảng mã nguồn {table}, bảng mã đích Unicode, chọn "
                         f"“Chuyển mã clipboard”, bấm Chuyển mã, rồi dán lại (Ctrl+V)"))


# --- page numbers (II.7) ---------------------------------------------------------------------------

def _printed_parts(doc: KeHoach, s: PageSection) -> list[HeaderPart]:
    """The header and footer parts a section prints. A document on one page prints its first page's
    only: the first-page part under "different first page" (titlePg), the default one otherwise; a
    page number set in another part is never on paper, whatever its face or size."""
    parts = [*s.headers.items(), *s.footers.items()]
    if doc.one_page:
        shown = "first" if s.title_page else "default"
        parts = [(kind, part) for kind, part in parts if kind == shown]
    return [part for _, part in parts]


# A page number typed by hand in a header: "1", "- 1 -", "Trang 1".
_TYPED_PAGE_NUMBER = re.compile(r"[\W_]*(?:trang\W*)?\d+[\W_]*", re.IGNORECASE)


def _first_page_blank(s: PageSection) -> bool:
    """The section's first page prints no page number: "different first page" with no number in its
    part (or no part: Word leaves that header empty). What that part may print is anything but a page
    number: some agencies put the plan's header table (issuer, Quốc hiệu, Số, date) there; a number
    typed by hand is one."""
    fp = s.headers.get("first")
    return s.title_page and (fp is None or not (fp.has_page_field or _TYPED_PAGE_NUMBER.fullmatch(fp.text)))


@rule()
def page_numbers(doc: KeHoach) -> list[Result]:
    el = "Số trang"
    first = doc.sections[0]
    default = first.headers.get("default")
    out = []
    in_footer = any(f.has_page_field for s in doc.sections for f in s.footers.values())
    para = default.page_para if default is not None and default.has_page_field else None
    has = para is not None
    where = f"{_section_label(doc, first.index)}, đầu trang"
    measured = "trường PAGE ở đầu trang" if has else ("số trang ở chân trang" if in_footer else "không có số trang")
    if not has and not in_footer and doc.one_page:
        # Page numbers start on page 2: a document that prints on one page has none to show.
        out.append(_res("PL1.II.7.so-trang.vi-tri", el, "số trang (trường PAGE) ở đầu trang, giữa lề trên", ERROR,
                        True, measured="văn bản một trang: không cần số trang",
                        expected="trường PAGE trong phần đầu trang (header)", where=where))
        return out + _appendix_page_numbers(doc)
    if has and doc.one_page and _first_page_blank(first):
        # The number is set from page 2 on and there is no page 2: nothing of it is printed, so its
        # alignment and size are not on the page either.
        out.append(_res("PL1.II.7.so-trang.vi-tri", el, "số trang (trường PAGE) ở đầu trang, giữa lề trên", ERROR,
                        True, measured="văn bản một trang: số trang không in ra ở trang đầu",
                        expected="trường PAGE trong phần đầu trang (header)", where=where))
        return out + _appendix_page_numbers(doc)
    out.append(_res("PL1.II.7.so-trang.vi-tri", el, "số trang (trường PAGE) ở đầu trang, giữa lề trên", ERROR, has,
                    measured=measured, expected="trường PAGE trong phần đầu trang (header)", where=where))
    if para is not None:
        align = _fmt(para).align
        centred = align == "center" or _tab_centred(para, first.text_width)
        out.append(_res("PL1.II.7.so-trang.can-le", el, "số trang căn giữa", ERROR, centred,
                        measured="căn giữa bằng điểm dừng tab" if centred and align != "center"
                        else _ALIGN_VI.get(align, align), expected="căn giữa", where=where))
        sizes = _sizes(para)
        out.append(_res("PL1.II.7.so-trang.co-chu", el, "cỡ chữ số trang 13–14 pt", ERROR,
                        bool(sizes) and all(_within(s, SIZE_PT["page_number"]) for s in sizes),
                        measured=_size_text(sizes), expected="13–14 pt", where=where))
        hidden = _first_page_blank(first)
        out.append(_res("PL1.II.7.so-trang.trang-dau", el, "không hiện số trang ở trang đầu", ERROR, hidden,
                        measured="ẩn ở trang 1" if hidden else (
                            "trang đầu riêng nhưng có số trang" if first.title_page
                            else "không đặt trang đầu riêng (titlePg)"),
                        expected="titlePg và đầu trang đầu tiên để trống", where=where))
        fmt_ok = first.page_format in (None, "decimal")
        out.append(_res("PL1.II.7.so-trang.chu-so", el, "số trang bằng chữ số Ả Rập", ERROR, fmt_ok,
                        measured=first.page_format or "decimal", expected="decimal", where=where))
    else:
        for aspect, title in (("can-le", "số trang căn giữa"), ("co-chu", "cỡ chữ số trang 13–14 pt"),
                              ("trang-dau", "không hiện số trang ở trang đầu")):
            out.append(_missing(f"PL1.II.7.so-trang.{aspect}", el, title))
    return out + _appendix_page_numbers(doc)


def _appendix_page_numbers(doc: KeHoach) -> list[Result]:
    out = []
    for app in doc.appendices:
        s = doc.sections[min(app.section, len(doc.sections) - 1)]
        hdr = s.headers.get("default")
        # An appendix that follows the signature in the body's own section cannot restart its numbering.
        ok = app.own_section and s.page_start == 1 and hdr is not None and hdr.has_page_field
        out.append(_res("PL1.IV.phu-luc.so-trang", "Phụ lục", "phụ lục đánh số trang riêng, bắt đầu từ 1", ERROR, ok,
                        measured=f"bắt đầu từ {s.page_start}" if s.page_start and app.own_section
                        else "nối tiếp phần chính",
                        expected="pgNumType start=1 và trường PAGE ở đầu trang",
                        where=f"{_section_label(doc, s.index)}, “{app.heading.text[:40]}”"))
    return out


def _tab_centred(para: Para, text_width_twips: int) -> bool:
    """A page number put in the middle with tabs onto a centre tab stop (Word's Header style has one):
    the text before the field is only tabs, and the stop it reaches is a centre stop near the middle."""
    if para.el is None or para.fmt is None:
        return False
    tabs = tabs_before_field(para.el)
    if not tabs:
        return False
    x, kind = para.fmt.left, "left"
    stops = [(pos, val) for pos, val in para.fmt.tabs if val not in ("clear", "bar")]
    for _ in range(tabs):
        nxt = next(((pos, val) for pos, val in stops if pos > x), None)
        if nxt is None:
            x, kind = (x // 720 + 1) * 720, "left"
        else:
            x, kind = nxt
    return kind == "center" and abs(x - text_width_twips / 2) <= 0.12 * text_width_twips


# --- Quốc hiệu, Tiêu ngữ (III.1) -------------------------------------------------------------------



@rule()
def quoc_hieu(doc: KeHoach) -> list[Result]:
    el = "Quốc hiệu"
    if doc.quoc_hieu is None and _attached(doc):
        return _left_out(doc, "PL1.III.1.quoc-hieu.hinh-thuc", el, f"có Quốc hiệu “{QUOC_HIEU}”", "Quốc hiệu")
    out = _element_format(doc, doc.quoc_hieu, "PL1.III.1.quoc-hieu", el, sizes=PT["quoc_hieu"], bold=True,
                          italic=False, caps=True, align="center")
    p = doc.quoc_hieu
    if p is None:
        out.append(_missing("PL1.III.1.quoc-hieu.mot-dong", el, "Quốc hiệu trên một dòng"))
        return out
    # Times New Roman metrics whatever face name the run gives ("Times New Roman Bold" is drawn with
    # Times New Roman by Word; a converter's substitute face is wider and would wrap it), with the
    # run's character spacing.
    need = max(w for _, w in rendered_lines(Para(p.text, p.el, p.fmt, p.runs, width=10 ** 7)))
    room = (p.width - _fmt(p).left - _fmt(p).right) / 20
    before = [q for q in doc.paragraphs if q.el is p.el and q is not p and q.cell is not None and p.cell is not None
              and q.cell.row == p.cell.row and q.cell.col < p.cell.col]
    if before and p.cell is not None and _fmt(p).align == "center":
        # A line set with tab stops (its pieces share one paragraph): Word moves a centred piece left to
        # keep it inside the right margin, so it wraps only when it cannot fit between the text before
        # it and the margin, not when it passes the room its stop leaves on each side.
        text_w = doc.sections[min(p.section, len(doc.sections) - 1)].text_width
        ends = [(q.cell.left + q.cell.width / 2) / 20 + text_width([q]) / 2 if _fmt(q).align == "center"
                else q.cell.left / 20 + text_width([q]) if _fmt(q).align == "left"
                else (q.cell.left + q.cell.width) / 20 for q in before if q.cell is not None]
        room = max(room, text_w / 20 - max(ends))
    shown = _shown_text(p).replace("\n", " ")
    out.append(_res("PL1.III.1.quoc-hieu.hinh-thuc", el, f"viết đúng “{QUOC_HIEU}”", ERROR,
                    not doc.quoc_hieu_slip, measured=shown, expected=QUOC_HIEU,
                    where=_where(doc, p)))
    broken = len(doc.quoc_hieu_lines) > 1  # broken onto two lines by hand
    out.append(_res("PL1.III.1.quoc-hieu.mot-dong", el, "Quốc hiệu trên một dòng trong cột của nó", ERROR,
                    need <= room and not broken,
                    measured="xuống dòng giữa Quốc hiệu" if broken
                    else f"chữ rộng {need:.1f} pt, cột còn {room:.1f} pt",
                    expected="chữ không rộng hơn cột (trừ lề ô và thụt lề)", where=_where(doc, p)))
    return out


@rule()
def tieu_ngu(doc: KeHoach) -> list[Result]:
    el = "Tiêu ngữ"
    p = doc.tieu_ngu
    if p is None and _attached(doc):
        return _left_out(doc, "PL1.III.1.tieu-ngu.hinh-thuc", el, f"có Tiêu ngữ “{TIEU_NGU}”", "Tiêu ngữ")
    out = _element_format(doc, p, "PL1.III.1.tieu-ngu", el, sizes=PT["tieu_ngu"], bold=True, italic=False,
                          align="center")
    if p is None:
        out.append(_missing("PL1.III.1.tieu-ngu.hinh-thuc", el, "viết đúng “Độc lập - Tự do - Hạnh phúc”"))
    else:
        out.append(_res("PL1.III.1.tieu-ngu.hinh-thuc", el, "viết đúng “Độc lập - Tự do - Hạnh phúc”", ERROR,
                        _shown_text(p) == TIEU_NGU, measured=_shown_text(p), expected=TIEU_NGU,
                        where=_where(doc, p)))
    out.append(_line_rule(doc, "tieu_ngu", p, "PL1.III.1.tieu-ngu.duong-ke", el, (0.9, 1.1),
                          "đường kẻ liền dưới Tiêu ngữ, dài bằng dòng chữ", "bằng độ dài dòng chữ (90–110 %)"))
    return out


def _line_rule(doc: KeHoach, key: str, para: Para | list[Para] | None, rule_id: str, element: str,
               bounds: tuple[float, float], title: str, expected: str) -> Result:
    paras = _paras(para)
    if not paras:
        return _missing(rule_id, element, title)
    line: Line | None = doc.lines.get(key)
    where = _where(doc, paras[-1])
    if line is None:
        return _res(rule_id, element, title, ERROR, False, measured="không có đường kẻ", expected=expected,
                    where=where, message="nhận biết: đường kẻ vẽ (shape) nằm ngay dưới dòng chữ, viền đoạn, "
                                         "gạch chân, dòng gạch dưới “____”")
    text_len = text_width(paras)  # the longest printed line
    ratio = line.length_pt / text_len if text_len else 0
    lo, hi = bounds
    forms = {"border-top": "viền trên đoạn", "border-bottom": "viền dưới đoạn", "underline": "gạch chân",
             "shape": "đường kẻ vẽ", "underscore": "dòng gạch dưới", "cell-border": "viền dưới ô bảng"}
    mm = 25.4 / 72
    return _res(rule_id, element, title, ERROR, lo <= ratio <= hi,
                measured=f"{forms[line.form]} dài {line.length_pt * mm:.1f} mm = {ratio:.0%} dòng chữ dài nhất "
                         f"({text_len * mm:.1f} mm)",
                expected=expected, where=where)


# Phụ lục I gives the line under the issuer and the trích yếu as 1/3 to 1/2 of the text; a point of
# tolerance for rounding in the drawing, no more (a line of 32 % or 53 % is visibly off).
THIRD_HALF = (RULE_FRACTION_RANGE[0] - 0.005, RULE_FRACTION_RANGE[1] + 0.01)


# --- agency (III.2) ---------------------------------------------------------------------------------

@rule()
def agency(doc: KeHoach) -> list[Result]:
    if not doc.issuer_lines and _attached(doc):
        return _left_out(doc, "PL1.III.2.co-quan-ban-hanh.hinh-thuc", "Cơ quan ban hành", "có tên cơ quan ban hành",
                         "tên cơ quan ban hành")
    out = []
    if doc.parent_lines:
        out = _element_format(doc, doc.parent_lines, "PL1.III.2.co-quan-chu-quan", "Cơ quan chủ quản",
                              sizes=PT["agency"], bold=False, italic=False, caps=True, align="center")
    out += _element_format(doc, doc.issuer_lines, "PL1.III.2.co-quan-ban-hanh", "Cơ quan ban hành",
                           sizes=PT["agency"], bold=True, italic=False, caps=True, align="center")
    out.append(_line_rule(doc, "agency", doc.issuer_lines, "PL1.III.2.co-quan-ban-hanh.duong-ke",
                          "Cơ quan ban hành", THIRD_HALF, "đường kẻ liền dưới tên cơ quan, dài 1/3–1/2 dòng chữ",
                          "1/3–1/2 dòng chữ dài nhất"))
    return out


_ABBREVIATIONS = {"UBND": "ỦY BAN NHÂN DÂN", "HĐND": "HỘI ĐỒNG NHÂN DÂN", "MTTQ": "MẶT TRẬN TỔ QUỐC",
                  **{short + dot: upper_vi(level) for short, level in ABBREVIATED_LEVELS.items() for dot in ("", ".")}}


def _agency_key(text: str) -> str:
    words = [_ABBREVIATIONS.get(w, w) for w in upper_vi(text).replace(",", " ").split()]
    return " ".join(" ".join(words).replace("ỦY", "UỶ").split())


@rule(content=True)
def agency_twice(doc: KeHoach) -> list[Result]:
    """The same body printed as parent and as issuer ("UBND TỈNH X" over "ỦY BAN NHÂN DÂN TỈNH X")."""
    title = "cơ quan chủ quản khác cơ quan ban hành (không in một cơ quan hai lần)"
    el = "Cơ quan chủ quản"
    if not doc.parent_lines or not doc.issuer_lines:
        return []
    same = _agency_key(doc.parent_name) == _agency_key(doc.issuer_name)
    return [_res("PL1.III.2.co-quan-chu-quan.trung-lap", el, title, ERROR, not same,
                 measured=f"{doc.parent_name} / {doc.issuer_name}",
                 expected="chỉ ghi cơ quan ban hành khi không có cơ quan chủ quản",
                 where=_where(doc, doc.parent_lines[0]),
                 message="cùng một cơ quan được in ở cả hai dòng" if same else "")]


# --- Số, ký hiệu (III.3) and Phụ lục III -------------------------------------------------------------

TYPE_ABBR = {upper_vi(name): abbr for name, abbr in TYPE_ABBREVIATIONS.items()}


def _attached(doc: KeHoach) -> bool:
    """A document issued with a decision (its subtitle cites it) and without a number line of its own
    (Phụ lục III, Mẫu 1.3): its number and date are the decision's, so it has neither line."""
    return doc.number_line is None and doc.attached_to is not None


def _attached_result(doc: KeHoach, rid: str, el: str, title: str) -> list[Result]:
    ref = doc.attached_to
    assert ref is not None
    return [_res(rid, el, title, ERROR, True, measured="không có (ban hành kèm theo văn bản khác)",
                 where=_where(doc, doc.subtitle[0]) if doc.subtitle else "",
                 message=f"văn bản ban hành kèm theo {ref.doc_type} {ref.number or '…'}/{ref.symbol}: "
                         "số và ngày là của văn bản đó")]


def _left_out(doc: KeHoach, rid: str, el: str, title: str, what: str) -> list[Result]:
    """A header part that a document issued with a decision does not print. Phụ lục III, Mẫu 1.3 (the
    decision and the document it issues) prints the issuer's name and the Quốc hiệu, Tiêu ngữ atop the
    document it issues, as atop the decision: only the Số and the date are the decision's alone. A
    finding, said once for the part (no size nor case to judge on a line that is not printed)."""
    ref = doc.attached_to
    assert ref is not None
    issuing = ref.doc_type.lower()
    return [_res(rid, el, title, ERROR, False, measured="không có",
                 expected=f"{el} ở đầu văn bản ban hành kèm theo (Phụ lục III, Mẫu 1.3)",
                 where=_where(doc, doc.doc_type),
                 message=f"văn bản ban hành kèm theo {ref.doc_type} {ref.number or '…'}/{ref.symbol} không in "
                         f"{what} trên tên loại; Mẫu 1.3 in tên cơ quan ban hành, Quốc hiệu, "
                         f"Tiêu ngữ ở đầu văn bản kèm theo như ở đầu {issuing} (chỉ số và ngày là của {issuing})")]


def _own_number_line(doc: KeHoach):  # noqa: ANN202 - parse_number_line's result
    """The number line a document goes by: its own, or for a document issued with a decision the
    decision's number and ký hiệu (what its appendices cite)."""
    if doc.number_line is not None:
        return parse_number_line(doc.number_line.text)
    if doc.attached_to is not None:
        return parse_number_line(f"Số: {doc.attached_to.number or ''}/{doc.attached_to.symbol}")
    return None


@rule(content=True)
def number_line(doc: KeHoach) -> list[Result]:
    el = "Số, ký hiệu"
    rid = "PL1.III.3.so-ky-hieu.hinh-thuc"
    title = "dạng “Số: 05/KH-SKHCN” (dự thảo để trống số)"
    p = doc.number_line
    if _attached(doc):
        return _attached_result(doc, rid, el, title)
    out = []
    if doc.formatted:
        out += _element_format(doc, p, "PL1.III.3.so-ky-hieu", el, sizes=PT["number"], bold=False, italic=False,
                               align="center")
    if p is None:
        # The header was read (an administrative document has its Quốc hiệu, issuer and tên loại) and
        # no line of it, nor the lines under it, reads "Số …": the page prints no number line.
        return out + [_res(rid, el, title, ERROR, False, measured="không có dòng số, ký hiệu",
                           expected="Số: 05/KH-SKHCN hoặc Số:      /KH-SKHCN", where="phần đầu văn bản",
                           message="phần đầu văn bản không có dòng “Số: …/…” (dự thảo vẫn ghi “Số:      /KH-…”)")]
    nl = parse_number_line(p.text)
    problems = []
    if nl is None:
        problems.append("không theo dạng “Số: …/…”")
    else:
        if nl.label != "Số":
            problems.append(f"viết “{nl.label}” thay vì “Số”")
        if not nl.colon:
            problems.append("thiếu dấu hai chấm sau “Số”")
        num = nl.number
        if num and int(num) < 10 and len(num) < 2:
            problems.append(f"số {num} nhỏ hơn 10 phải có số 0 ở trước ({int(num):02d})")
        if num and nl.space_around_slash:
            problems.append("có dấu cách quanh dấu “/”")
        if not num and nl.space_after_slash:
            problems.append("có dấu cách sau dấu “/”")
        if nl.slip:  # a ký hiệu read through its slip ("KH - UBND", "KH.UBND") says the slip here
            problems.append(nl.slip)
        if nl.type_abbr is None:
            problems.append("có dấu cách trong ký hiệu" if " " in nl.symbol
                            else f"ký hiệu “{nl.symbol}” không theo dạng TÊN LOẠI-CƠ QUAN viết hoa")
    out.append(_res(rid, el, title, ERROR, not problems, measured=p.text,
                    expected="Số: 05/KH-SKHCN hoặc Số:      /KH-SKHCN", where=_where(doc, p),
                    message="; ".join(problems)))
    return out


@rule(content=True, types=("*titled",))
def type_abbreviation(doc: KeHoach) -> list[Result]:
    el = "Số, ký hiệu"
    title = "chữ viết tắt tên loại đúng Phụ lục III (Kế hoạch: KH)"
    if _attached(doc):
        return _attached_result(doc, "PL3.ten-loai-viet-tat", el, title)
    if doc.number_line is None or doc.doc_type is None:
        return [_missing("PL3.ten-loai-viet-tat", el, title)]
    nl = parse_number_line(doc.number_line.text)
    want = TYPE_ABBR.get(upper_vi(doc.document_type or ""))  # the type the title names, however typed
    got = nl.type_abbr if nl else None
    if want is None or got is None:
        return [_res("PL3.ten-loai-viet-tat", el, title, ERROR, None, measured=got or "",
                     where=_where(doc, doc.number_line), message="không đọc được tên loại hoặc ký hiệu")]
    return [_res("PL3.ten-loai-viet-tat", el, title, ERROR, got == want, measured=got, expected=want,
                 where=_where(doc, doc.number_line))]


# --- Địa danh, ngày tháng (III.4) ---------------------------------------------------------------------

def _leading_zero_problems(d: str | None, mo: str | None) -> list[str]:
    """Day and month as written against what the renderer prints for them (nd30.day_month, the one
    place the leading-zero rule of Phụ lục I lives). A blank day or month is the unsigned draft."""
    if not mo:
        return []
    want_d, want_m = day_month(int(d) if d else None, int(mo))
    problems = []
    if d and d != want_d:
        problems.append(f"ngày {d} phải viết {want_d}")
    if mo != want_m:
        note = "" if want_m.startswith("0") else " (chỉ tháng 1, 2 có số 0)"
        problems.append(f"tháng {mo} phải viết {want_m}{note}")
    return problems


def plan_year(doc: KeHoach) -> int | None:
    if doc.date_line is None:
        # A document issued with a decision is of the decision's year.
        return doc.attached_to.year if doc.attached_to is not None else None
    parsed = parse_date_line(doc.date_line.text)
    if parsed is not None:
        return parsed.year
    m = re.search(r"năm\s*(\d{4})", doc.date_line.text)
    return int(m.group(1)) if m else None


@rule(content=True)
def date_line(doc: KeHoach) -> list[Result]:
    el = "Địa danh, ngày tháng"
    rid = "PL1.III.4.ngay-thang"
    title = "ngày dưới 10 và tháng 1, 2 có số 0 ở trước; “Địa danh, ngày … tháng … năm …”"
    p = doc.date_line
    if p is None and _attached(doc):
        return _attached_result(doc, rid, el, title)
    out = []
    if doc.formatted:
        out += _element_format(doc, p, rid, el, sizes=PT["place_date"], bold=False, italic=True, align="center")
    if p is None:
        return out + [_missing(rid, el, title)]
    m = parse_date_line(p.text)
    problems = []
    if not m:
        problems.append("không theo dạng “Địa danh, ngày … tháng … năm …”")
    else:
        d, mo = m.day, m.month
        if m.slip != IN_FIGURES:  # "05/03/2026" is wrong as a whole, not by its zeros
            problems += _leading_zero_problems(d, mo)
        if d and not 1 <= int(d) <= 31:
            problems.append(f"ngày {d} không có")
        if mo and not 1 <= int(mo) <= 12:
            problems.append(f"tháng {mo} không có")
        if m.slip:
            problems.append(m.slip)
        if m.place and not m.place.strip(".…_ "):
            problems.append("địa danh còn để trống (“…”): hãy ghi địa danh")
        elif m.place and not m.place[:1].isupper():
            problems.append("địa danh phải viết hoa chữ đầu")
    expected = "Quảng Ngãi, ngày 05 tháng 02 năm 2025 / ngày 20 tháng 3 năm 2024"
    out.append(_res(rid, el, title, ERROR, not problems, measured=p.text, expected=expected,
                    where=_where(doc, p), message="; ".join(problems)))
    return out


# --- Tên loại, trích yếu (III.5) ----------------------------------------------------------------------

@rule(types=("*titled",))
def title_block(doc: KeHoach) -> list[Result]:
    out = _element_format(doc, doc.doc_type, "PL1.III.5.ten-loai", "Tên loại", sizes=PT["doc_type"], bold=True,
                          italic=False, caps=True, align="center")
    if doc.doc_type is not None and doc.document_type:
        # Read as the tên loại it misspells ("KẾ HOACH", "KẾ HOẠCH."): the slip said here, once.
        want = upper_vi(doc.document_type)
        out.append(_res("PL1.III.5.ten-loai.hinh-thuc", "Tên loại", f"viết đúng tên loại “{want}”", ERROR,
                        not doc.doc_type_slip, measured=_shown_text(doc.doc_type), expected=want,
                        where=_where(doc, doc.doc_type)))
    lines = doc.subject_lines
    out += _element_format(doc, lines, "PL1.III.5.trich-yeu", "Trích yếu", sizes=PT["subject"], bold=True, italic=False,
                           align="center")
    if not lines:
        out.append(_missing("PL1.III.5.trich-yeu.in-hoa", "Trích yếu", "viết hoa chữ đầu, không in hoa cả dòng"))
    else:
        shown = _shown_text(lines)
        ok = shown[:1].isupper() and upper_vi(shown) != shown
        out.append(_res("PL1.III.5.trich-yeu.in-hoa", "Trích yếu", "viết hoa chữ đầu, không in hoa cả dòng",
                        WARNING, ok, measured=shown[:60], where=_where(doc, lines[0])))
    out.append(_line_rule(doc, "subject", lines, "PL1.III.5.trich-yeu.duong-ke", "Trích yếu", THIRD_HALF,
                          "đường kẻ liền dưới trích yếu, dài 1/3–1/2 dòng chữ", "1/3–1/2 dòng chữ dài nhất"))
    return out


@rule(types=(CONG_VAN,))
def cong_van_subject(doc: KeHoach) -> list[Result]:
    """Công văn: "V/v …" under the Số line, 12–13 pt upright (Phụ lục I, ô 5b)."""
    out = _element_format(doc, doc.subject_lines, "PL1.III.5.trich-yeu-cong-van", "Trích yếu",
                          sizes=CONG_VAN_SUBJECT_PT, bold=False, italic=False, align="center")
    if doc.doc_type is None and doc.subject_lines:  # the "V/v …" line; "V.v …", "Vê việc …" read, said here
        first = doc.subject_lines[0]
        out.append(_res("PL1.III.5.trich-yeu-cong-van.hinh-thuc", "Trích yếu", "bắt đầu bằng “V/v”", ERROR,
                        not doc.subject_slip, measured=first.text[:60], expected="V/v …", where=_where(doc, first)))
    return out


@rule(content=True, types=(CONG_VAN,))
def kinh_gui(doc: KeHoach) -> list[Result]:
    title = "công văn có dòng “Kính gửi:” nơi nhận văn bản"
    ok = bool(doc.kinh_gui)
    return [_res("PL1.III.6.kinh-gui", "Nội dung", title, WARNING, ok,
                 measured=doc.kinh_gui[0].text[:60] if ok else "không có", expected="Kính gửi: …",
                 where=_where(doc, doc.kinh_gui[0]) if ok else "")]


# --- body (III.6) -------------------------------------------------------------------------------------



def _is_muc(doc: KeHoach, p: Para) -> bool:
    # Judged on the number as Decree 30 writes it: a document typing "I/ MỤC ĐÍCH" throughout has
    # its mục measured like any other (recognise.outline says which forms it uses).
    return doc.outline.muc_heading(p.text) is not None


def _is_heading(doc: KeHoach, p: Para) -> bool:
    """Mục headings, part headings and titled khoản: short, bold lines that need no justification
    or indent."""
    if _is_muc(doc, p) or doc.outline.in_part_heading(p):
        return True
    return len(p.text) < 90 and _all(p, "bold") is True and not p.text.endswith((".", ";", CLOSING_MARK))


DISPLAY_NOTE_RE = re.compile(r"\(.*\)[.;]?")
"""A note wholly in brackets, the sentence's full stop after the bracket or not: "(Chi tiết tại Phụ lục
kèm theo)" and "(Số liệu cụ thể tại phụ lục kèm theo báo cáo)." print the same caption."""


def _is_display(p: Para) -> bool:
    """A centred note wholly in brackets ("(Chi tiết tại Phụ lục kèm theo)") is a caption, not running
    text: justification and first-line indent are rules for running text."""
    return p.fmt is not None and p.fmt.align == "center" and DISPLAY_NOTE_RE.fullmatch(p.text.strip()) is not None \
        and len(rendered_lines(p)) <= 2


def _tab_indent(p: Para) -> bool:
    """A first line indented with a tab at the default stop (1.27 cm) instead of an indent."""
    return bool(p.runs) and p.runs[0].text.startswith("\t") and _fmt(p).first_line <= 0


def _aggregate(doc: KeHoach, rule_id: str, title: str, severity: str, paras: list[Para],
               bad: list[tuple[Para, str]], expected: str) -> Result:
    element = "Nội dung"
    if not paras:
        return _missing(rule_id, element, title, severity)
    if not bad:
        return _res(rule_id, element, title, severity, True, measured=f"{len(paras)} đoạn đạt", expected=expected)
    shown = "; ".join(f"{m} ({_where(doc, p)})" for p, m in bad[:3])
    more = f"; và {len(bad) - 3} đoạn khác" if len(bad) > 3 else ""
    return _res(rule_id, element, title, severity, False, measured=f"{len(bad)}/{len(paras)} đoạn sai",
                expected=expected, where=shown + more)


@rule()
def body_format(doc: KeHoach) -> list[Result]:
    body = doc.body
    # A paragraph with no word ("./." set alone on the last line) has no line to justify or indent.
    text_paras = [p for p in body
                  if not _is_heading(doc, p) and not _is_display(p) and any(c.isalnum() for c in p.text)]
    out = []
    bad = [(p, _ALIGN_VI.get(align, align)) for p in text_paras
           if (align := _fmt(p).align) not in ("both", "distribute")]
    out.append(_aggregate(doc, "PL1.III.6.noi-dung.can-le", "căn đều hai lề", ERROR, text_paras, bad, "căn đều hai lề"))
    bad = []
    for p in body:
        sizes = _sizes(p)
        if not sizes or not all(_within(s, SIZE_PT["body"]) for s in sizes):
            bad.append((p, _size_text(sizes)))
    out.append(_aggregate(doc, "PL1.III.6.noi-dung.co-chu", "cỡ chữ 13–14 pt", ERROR, body, bad, "13–14 pt"))
    least, longest = FIRST_LINE_TWIPS[0] - FIRST_LINE_TOLERANCE_TWIPS, FIRST_LINE_TWIPS[1] + FIRST_LINE_TOLERANCE_TWIPS
    bad = [(p, f"{_fmt(p).first_line / TWIPS_PER_CM:.2f} cm") for p in text_paras
           if not least <= _fmt(p).first_line <= longest and not _tab_indent(p)]
    out.append(_aggregate(doc, "PL1.III.6.noi-dung.thut-dau-dong", "thụt đầu dòng 1–1,27 cm", ERROR, text_paras, bad,
                          "1–1,27 cm"))
    bad = []
    for p in body:
        f = _fmt(p)
        size = max(_sizes(p) or {14})
        if f.line_rule == "auto":
            mult = (f.line or 240) / 240
            ok, shown = LINE_SPACING_LINES[0] - 0.01 <= mult <= LINE_SPACING_LINES[1] + 0.01, f"{mult:.2f} dòng"
        elif f.line_rule == "atLeast":
            # "At least" below the font's own line height prints single spacing.
            pts = (f.line or 0) / 20
            ok, shown = pts <= size * LINE_SPACING_LINES[1] * 1.2, f"tối thiểu {pts:g} pt"
        else:
            pts = (f.line or 0) / 20
            single, most = size * (LINE_SPACING_LINES[0] - 0.01), size * LINE_SPACING_LINES[1] * 1.2
            ok, shown = single <= pts <= most, f"{f.line_rule} {pts:g} pt"
        if not ok:
            bad.append((p, shown))
    out.append(_aggregate(doc, "PL1.III.6.noi-dung.gian-dong", "giãn dòng từ một dòng đến 1,5 dòng", ERROR, body,
                          bad, "1–1,5 dòng"))
    bad = []
    for prev, nxt in pairwise(body):
        gap = _gap(doc, prev, nxt)
        if gap < PARAGRAPH_GAP_MIN_TWIPS - 2:  # 2 twips for rounding
            bad.append((nxt, f"{gap / 20:g} pt"))
    out.append(_aggregate(doc, "PL1.III.6.noi-dung.khoang-cach-doan", "khoảng cách giữa các đoạn tối thiểu 6 pt",
                          ERROR, body[1:], bad, "≥ 6 pt"))
    muc = [p for p in body if _is_muc(doc, p)]
    bad = [(p, "không đậm" if _all(p, "bold") is not True else "không in hoa")
           for p in muc if _all(p, "bold") is not True or not _is_upper(p)]
    if muc:
        # Phụ lục I fixes the form of a Phần/Chương/Mục/Điều structure; a plan's "I., II." headings
        # follow the sample's habit (capitals, bold), so a departure is worth a warning, not an error.
        out.append(_aggregate(doc, "PL1.III.6.muc", "tên mục (I., II., …) in hoa, đậm", WARNING, muc, bad,
                              "IN HOA, đậm"))
    return out


@rule(content=True)
def muc_order(doc: KeHoach) -> list[Result]:
    """Mục are numbered I, II, III… in order: two mục both "I." is a numbering slip."""
    from ..text import roman

    muc = [p for p in doc.body if _is_muc(doc, p)]
    outline = doc.outline
    out = []
    if outline.forms:
        # The form itself, said once: a warning (the page reads, the numbers are right), never an
        # error in each mục.
        first = min(outline.first.values(), key=lambda p: p.index)
        out.append(_res("PL1.III.6.danh-so", "Nội dung", "số thứ tự mục, khoản, điểm theo mẫu: I., 1., a)", WARNING,
                        False, measured=outline.described, expected="I., 1., a)", where=_where(doc, first),
                        message="khác mẫu ở dấu sau số; sửa: gõ lại theo mẫu (mục “I.”, khoản "
                        "“1.”, điểm “a)”), hoặc nhập bằng kehoach import rồi tạo lại văn bản: số in lại theo mẫu"))
    elif muc:
        out.append(_res("PL1.III.6.danh-so", "Nội dung", "số thứ tự mục, khoản, điểm theo mẫu: I., 1., a)", WARNING,
                        True, measured="I., 1., a)", expected="I., 1., a)"))
    if not muc:
        return out
    bad = []
    i = 0
    for p in doc.body:
        if PART_RE.match(p.text) or outline.part_at(p) is not None:
            i = 0  # a new Phần / Chương numbers its mục from I
            continue
        if not _is_muc(doc, p):
            # A mục's heading not in capitals ("III. Kinh phí") still prints its
            # number in turn: the page counts it, so the "IV." after it is in its place.
            typed = MUC_RE.match(outline.decree_text(p.text))
            i += bool(typed and typed.group("num") == roman(i + 1))
            continue
        i += 1
        m = MUC_RE.match(outline.decree_text(p.text))
        got = m.group("num") if m else p.text
        if got != roman(i):
            bad.append((p, f"“{got}.” ở vị trí mục {roman(i)}"))
    return out + [_aggregate(doc, "PL1.III.6.muc.thu-tu", "số thứ tự các mục I, II, III… liên tiếp, không trùng", ERROR,
                       muc, bad[:1], "I, II, III…")]


def _gap(doc: KeHoach, prev: Para, nxt: Para) -> int:
    """Space in twips between two text paragraphs: after + before, plus any empty lines between."""
    def contextual(a: ParaFormat, b: ParaFormat) -> bool:
        return a.contextual and b.contextual and a.style_id == b.style_id

    # the lines between them, not the other lines of either paragraph (printed after manual breaks)
    between = [q for q in doc.paragraphs[prev.index + 1:nxt.index]
               if q.paragraph is not prev and q.paragraph is not nxt]
    chain = [prev] + between + [nxt]
    total = 0
    for a, b in pairwise(chain):
        if a.fmt is None or b.fmt is None:
            continue
        if not (a.fmt.contextual and contextual(a.fmt, b.fmt)):
            total += a.fmt.after
        if not (b.fmt.contextual and contextual(a.fmt, b.fmt)):
            total += b.fmt.before
    for p in between:
        size = p.fmt.run_defaults.size or 12 if p.fmt else 12
        total += int(size * 20)
    return total


@rule(content=True)
def end_mark(doc: KeHoach) -> list[Result]:
    title = "nội dung kết thúc bằng dấu “./.”"
    if not doc.body:
        return [_missing("PL1.III.6.dau-ket", "Nội dung", title)]
    last = doc.body[-1]
    return [_res("PL1.III.6.dau-ket", "Nội dung", title, ERROR, last.text.endswith(CLOSING_MARK),
                 measured=f"…{last.text[-20:]}", expected="…./.", where=_where(doc, last))]


# --- years and citations (III.6 content) -----------------------------------------------------------

YEAR_RE = re.compile(r"\bnăm\s+(\d{4})\b")


def _citation_spans(text: str) -> list[tuple[int, int]]:
    """A citation runs from "số …" to the end of its clause: ";", ". ", ":" or ", " + a capital."""
    spans = []
    for m in CITATION_RE.finditer(text):
        end = len(text)
        for stop in re.finditer(r";|\.\s|:|,\s+(?=[A-ZĐÀ-Ỹ])", text[m.end():]):
            end = m.end() + stop.start()
            break
        spans.append((m.start(), end))
    return spans


def _content_paras(doc: KeHoach) -> list[tuple[str, Para]]:
    out = []
    if doc.subject is not None:
        out.append(("Trích yếu", doc.subject))
    out += [("Nội dung", p) for p in doc.body]
    for app in doc.appendices:
        out += [("Phụ lục", p) for p in app.titles]
    out += [("Phụ lục", p) for p in doc.table_texts]
    return out


@rule(content=True, types=(KE_HOACH,))
def other_year(doc: KeHoach) -> list[Result]:
    """A plan carried over to a new year keeps last year's number somewhere. Only the year just before
    the plan's counts: later years are targets ("đến năm 2030"), older ones history; years inside a
    citation or a căn cứ line name another document."""
    title = "không sót năm trước trong nội dung (kế hoạch chuyển sang năm mới)"
    year = plan_year(doc)
    if year is None:
        return [_missing("PL1.III.6.nam", "Nội dung", title, WARNING)]
    hits = []
    for _, p in _content_paras(doc):
        if re.match(r"^(căn cứ|thực hiện)\b", p.text, re.I):
            continue
        spans = _citation_spans(p.text)
        for m in YEAR_RE.finditer(p.text):
            if int(m.group(1)) == year - 1 and not any(a <= m.start() < b for a, b in spans):
                hits.append((p, m.group(0)))
    if not hits:
        return [_res("PL1.III.6.nam", "Nội dung", title, WARNING, True, measured=f"không có năm {year - 1}",
                     expected=f"năm {year}")]
    return [_res("PL1.III.6.nam", "Nội dung", title, WARNING, False, measured=f"“{found}”", expected=f"năm {year}",
                 where=_where(doc, p), message="còn sót năm cũ khi chuyển kế hoạch sang năm mới?")
            for p, found in hits]


@rule(content=True)
def own_citations(doc: KeHoach) -> list[Result]:
    el = "Nội dung"
    title = "văn bản của chính cơ quan được dẫn với đúng chữ viết tắt của cơ quan"
    nl = _own_number_line(doc)
    own = nl.agency_abbr if nl else None
    if own is None:
        return [_missing("PL1.III.3.ky-hieu-co-quan", el, title)]
    # Only a citation naming this very issuer ("… của Sở Khoa học và Công nghệ") can show the issuer
    # mis-abbreviating itself; other agencies' documents carry their own abbreviations.
    agency_name = _agency_key(doc.issuer_name) if doc.issuer_lines else ""
    out, seen = [], 0
    for _, p in _content_paras(doc):
        for m in CITATION_RE.finditer(p.text):
            seen += 1
            sym = m.group("sym")
            if sym is None:
                continue  # a Party document ("57-NQ/TW"): never this State issuer's own
            abbr = sym.split("-", 1)[1] if "-" in sym else sym
            if abbr == own:
                continue
            issuer = re.match(r"\s*ngày\s+\S+\s+của\s+(.+?)(?:\s+về\s|[,;:(]|\.\s|\.$|$)", p.text[m.end():])
            issuer_name = _agency_key(issuer.group(1).strip()) if issuer else ""
            if issuer and agency_name and issuer_name == agency_name:
                out.append(_res("PL1.III.3.ky-hieu-co-quan", el, title, ERROR, False, measured=sym,
                                expected=f"{sym.split('-')[0]}-{own}", where=_where(doc, p),
                                message=f"văn bản của {issuer.group(1).strip()} nhưng ký hiệu ghi {abbr}, "
                                        f"trong khi văn bản này ghi {own}"))
            elif not issuer and difflib.SequenceMatcher(None, abbr, own).ratio() >= 0.75:
                out.append(_res("PL1.III.3.ky-hieu-co-quan", el, title, WARNING, False, measured=sym,
                                expected=f"{sym.split('-')[0]}-{own}?", where=_where(doc, p),
                                message=f"ký hiệu {abbr} gần giống {own} của cơ quan ban hành: viết sai?"))
    if not out:
        out.append(_res("PL1.III.3.ky-hieu-co-quan", el, title, ERROR, True,
                        measured=f"{seen} trích dẫn, chữ viết tắt cơ quan {own}", expected=own))
    return out


# --- signer (III.7) -----------------------------------------------------------------------------------

BAD_AUTHORITY_RE = re.compile(r"^(K\s*/\s*T|T\s*/\s*M|T\s*/\s*L|KT|TM|TL|TUQ|Q)(?![A-ZĐÀ-Ỹ])(?!\.\s)", re.I)


@rule(content=True)
def signer(doc: KeHoach) -> list[Result]:
    """The signer's block; in a joint document (văn bản liên tịch) each agency's signer is measured the
    same way, under its own element name."""
    out = _signer_block(doc, "Người ký", doc.signer_lines, doc.signer_name, doc.after_name, doc.signer_rank)
    for k, part in enumerate(doc.co_signers, 1):
        el = "Người ký liên tịch" + (f" {k}" if len(doc.co_signers) > 1 else "")
        out += _signer_block(doc, el, part.lines, part.name, part.after_name, part.rank)
    return out


SIGNING_SPACE_LINES = 2
"""Fewest blank lines between the title and the name that leave room for a signature and a seal
(about 10 mm at 13–14 pt; the signing tool refuses less: esign.sign.MIN_SIGNING_SPACE_MM)."""


def _signing_space(doc: KeHoach, el: str, lines: list[Para], name: Para | None) -> list[Result]:
    """The space left for the signature and the seal between the last title line and the name, in
    lines: the empty lines (or a copy's "(Đã ký)") in the signer's column, and the spacing before the
    name and after the title. A lower bound where the columns share a row (a joint plan's names row)."""
    if not doc.formatted or not lines or name is None:
        return []
    last = lines[-1]

    def blank(p: Para) -> bool:
        return not p.text or bool(SIGNATURE_STAND_IN_RE.match(p.text))

    between = doc.paragraphs[last.index + 1:name.index]
    if last.cell is not None and name.cell is not None and last.cell.table == name.cell.table \
            and last.cell.row != name.cell.row:
        # Title and name in different rows (a joint plan's names row; lines set with tab stops, one
        # row each): the empty lines of the title's and the name's own cells, and every row between
        # whose signer's column prints nothing.
        lc, nc = last.cell, name.cell
        own = sum(1 for p in between if blank(p) and p.cell is not None
                  and (p.cell.row, p.cell.col) in ((lc.row, lc.col), (nc.row, nc.col)))
        rows = {p.cell.row for p in between if p.cell is not None and lc.row < p.cell.row < nc.row}
        written = {p.cell.row for p in between if p.cell is not None and p.text and p.cell.stacks_with(nc)}
        blanks = own + len(rows - written)
    else:
        same = [p for p in between if (p.cell is None and name.cell is None) or (
            p.cell is not None and name.cell is not None
            and (p.cell.table, p.cell.row, p.cell.grid_col) == (name.cell.table, name.cell.row, name.cell.grid_col))]
        blanks = sum(1 for p in same if blank(p))
    line_twips = (text_size(name) or 14) * 1.15 * 20
    spacing = (name.fmt.before if name.fmt else 0) + (last.fmt.after if last.fmt else 0)
    space = blanks + spacing / line_twips
    return [_res("PL1.III.7.khoang-ky", el, "khoảng trống để ký, đóng dấu giữa chức vụ và họ tên", WARNING,
                 space >= SIGNING_SPACE_LINES, measured=f"{space:.1f} dòng",
                 expected=f"ít nhất {SIGNING_SPACE_LINES} dòng trống", where=_where(doc, name),
                 message="" if space >= SIGNING_SPACE_LINES else "họ tên in sát chức vụ: không còn chỗ ký và đóng dấu")]


UNDER_NAME_MESSAGES = {
    UNDER_NAME_POST: "dòng in dưới họ tên người ký thuộc về phần chức vụ, phía trên chữ ký",
    UNDER_NAME_CONTACT: "số điện thoại, thư điện tử không in trong phần ký: họ tên người ký là dòng cuối",
    UNDER_NAME_NOTE: "ghi chú in dưới họ tên người ký: họ tên là dòng cuối của phần ký",
    UNDER_NAME_OTHER: "dòng in dưới họ tên người ký: họ tên là dòng cuối của phần ký",
}
"""What a line under the name is (recognise.lines.under_name, as the importer reads it), said."""


def _signer_block(doc: KeHoach, el: str, lines: list[Para], name: Para | None, after_name: list[Para],
                  rank: list[Para]) -> list[Result]:
    out = []
    title = "thẩm quyền ký đúng dạng (KT./TM./TL./TUQ./Q. hoặc chức vụ), in hoa"
    if not lines:
        out.append(_missing("PL1.III.7.tham-quyen.hinh-thuc", el, title))
    else:
        problems = []
        first = lines[0].text
        auth = parse_authority(first)
        if BAD_AUTHORITY_RE.match(first) and auth.form is None:
            problems.append(f"“{first}” viết sai dạng thẩm quyền (KT., TM., TL., TUQ., Q. có dấu chấm và dấu cách)")
        shown = " / ".join(p.text for p in lines)
        if auth.form in ("KT", "TL", "TUQ", "TM") and len(lines) < 2 and "\n" not in "".join(
                r.text for r in lines[0].runs):
            problems.append(f"ký {auth.form}. cần dòng chức vụ của người ký bên dưới")
        for p in lines:
            if not _is_upper(p):
                problems.append(f"“{p.text}” phải in hoa")
        out.append(_res("PL1.III.7.tham-quyen.hinh-thuc", el, title, ERROR, not problems,
                        measured=shown, expected="GIÁM ĐỐC hoặc KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC",
                        where=_where(doc, lines[0]), message="; ".join(problems)))
    title = "họ tên người ký: viết hoa chữ đầu mỗi tiếng, không ghi học hàm, học vị"
    if name is None:
        out.append(_missing("PL1.III.7.ho-ten.hinh-thuc", el, title))
    else:
        # A rank before the name is the armed forces' form; an academic title is the head's choice in
        # education, health and research bodies only (Decree 30, Phụ lục I, II.7.c): said, not passed.
        prefix = name_prefix(name.text)
        person = name.text[len(prefix):].strip()
        degrees = [t for t in (prefix, *(q.text for q in rank)) if t and ACADEMIC_RE.match(t)]
        words = person.split()
        ok = bool(words) and all(w[:1].isupper() for w in words) and upper_vi(person) != person and not degrees
        shown = " / ".join(q.text for q in sorted([*rank, name], key=lambda q: q.index))
        out.append(_res("PL1.III.7.ho-ten.hinh-thuc", el, title, WARNING, ok, measured=shown,
                        expected="Nguyễn Văn Thành", where=_where(doc, name),
                        message="học hàm, học vị chỉ ghi trước họ tên ở đơn vị sự nghiệp giáo dục, đào tạo, y tế, "
                        "nghiên cứu khoa học khi người đứng đầu quy định" if degrees else ""))
        if after_name:
            kinds = [under_name(q.text) for q in after_name]
            out.append(_res("PL1.III.7.ho-ten.vi-tri", el, "họ tên người ký là dòng cuối của phần ký", ERROR, False,
                            measured=" / ".join(q.text for q in after_name)[:80],
                            expected="chức vụ ở trên, họ tên ở dưới cùng", where=_where(doc, after_name[0]),
                            message="; ".join(dict.fromkeys(UNDER_NAME_MESSAGES[k] for k in kinds))))
    # The space to sign is above the name's first printed line (a rank printed over it).
    out += _signing_space(doc, el, lines, min([*rank, name], key=lambda q: q.index) if name else None)
    if doc.formatted:
        authority: list[Para | None] = [*lines] or [None]
        for line in authority:
            out += _element_format(doc, line, "PL1.III.7.tham-quyen", el, sizes=PT["signer"], bold=True, italic=None)
        out += _element_format(doc, name, "PL1.III.7.ho-ten", el, sizes=PT["signer"], bold=True, italic=None)
    return out


# --- Nơi nhận (III.9) ---------------------------------------------------------------------------------

LUU_RE = re.compile(rf"^[{DASHES}] Lưu:\s*\S.*\.$")
DASH_START_RE = re.compile(rf"^[{DASHES}] ")  # "- ", or the en/em dash Word's AutoFormat types for it


@rule(content=True)
def recipients(doc: KeHoach) -> list[Result]:
    el = "Nơi nhận"
    out = []
    p = doc.noi_nhan
    if doc.formatted:
        out += _element_format(doc, p, "PL1.III.9.noi-nhan", el, sizes=PT["recipients_heading"], bold=True, italic=True)
    title = "mỗi dòng bắt đầu “- ”, kết thúc “;”; dòng cuối “- Lưu: VT, ….”"
    if p is None or not doc.recipients:
        out.append(_missing("PL1.III.9.noi-nhan.hinh-thuc", el, title))
        if doc.formatted:
            out.append(_missing("PL1.III.9.noi-nhan.danh-sach.co-chu", el, "cỡ chữ danh sách 11 pt"))
        return out
    problems = []
    if p.text != "Nơi nhận:":
        problems.append(f"dòng đầu “{p.text}” phải là “Nơi nhận:”")
    items = doc.recipients
    # The drafter's initials in small raised or lowered type after "Lưu: VT, …" are a filing mark,
    # not part of the list's text; lines continued by hand are read as the importer reads them.
    entries = recipient_entries([it.main_text for it in items])
    for text in entries[:-1]:
        if not DASH_START_RE.match(text):
            problems.append(f"“{text[:40]}” phải bắt đầu bằng “- ”")
        if not text.endswith(";"):
            problems.append(f"“{text[:40]}” phải kết thúc bằng “;”")
    last = entries[-1]
    if not LUU_RE.match(last):
        problems.append(f"dòng cuối “{last[:40]}” phải có dạng “- Lưu: VT, ….”")
    out.append(_res("PL1.III.9.noi-nhan.hinh-thuc", el, title, ERROR, not problems,
                    measured=f"{len(items)} dòng, dòng cuối “{last[:40]}”", expected="- …; … - Lưu: VT, ….",
                    where=_where(doc, p), message="; ".join(problems)))
    if doc.formatted:
        # The drafter's initials set small and raised after "Lưu: VT, …" are a filing mark, not the list
        # (_sizes leaves raised and lowered runs aside).
        sizes = {id(it): _sizes(it) for it in items}
        bad = [(it, _size_text(sizes[id(it)])) for it in items if sizes[id(it)] != {11}]
        out.append(_res("PL1.III.9.noi-nhan.danh-sach.co-chu", el, "cỡ chữ danh sách 11 pt", ERROR, not bad,
                        measured="; ".join(f"{m}: “{i.text[:30]}”" for i, m in bad[:3]) or "11 pt",
                        expected="11 pt", where=_where(doc, items[0])))
        styled = [it for it in items if _all(it, "bold") or _all(it, "italic")]
        out.append(_res("PL1.III.9.noi-nhan.danh-sach.kieu-chu", el, "danh sách chữ đứng, không đậm", ERROR,
                        not styled, measured=f"{len(styled)} dòng đậm/nghiêng" if styled else "đứng",
                        expected="đứng, không đậm", where=_where(doc, styled[0] if styled else items[0])))
    return out


# --- appendix (IV) ------------------------------------------------------------------------------------

@rule(content=True)
def appendices(doc: KeHoach) -> list[Result]:
    el = "Phụ lục"
    out = []
    nl = _own_number_line(doc)
    dm = parse_date_line(doc.date_line.text) if doc.date_line else None
    for app in doc.appendices:
        if doc.formatted:
            out += _element_format(doc, app.heading, "PL1.IV.phu-luc.tieu-de", el, sizes=PT["appendix"], bold=True,
                                   italic=None, align="center")
            for t in app.titles:
                out += _element_format(doc, t, "PL1.IV.phu-luc.ten", el, sizes=PT["appendix"], bold=True, italic=None,
                                       align="center")
        if app.heading.text.casefold().startswith("phụ lục") and not _is_upper(app.heading):
            bad = [t for t in app.titles[:1] if not _is_upper(t)]
            out.append(_res("PL1.IV.phu-luc.ten.in-hoa", el, "tên phụ lục in hoa", WARNING,
                            bool(app.titles) and not bad, measured=app.titles[0].text[:60] if app.titles else "",
                            where=_where(doc, app.heading)))
        title = f"dòng “(Kèm theo {doc.document_type or KE_HOACH} số …/… ngày … của …)”"
        ref = app.reference
        if ref is None:
            out.append(_res("PL1.IV.phu-luc.kem-theo", el, title, ERROR, False, measured="không có",
                            expected="(Kèm theo Kế hoạch số …/KH-SKHCN ngày …/…/… của …)",
                            where=_where(doc, app.heading)))
            out.append(_res("PL1.III.3.ky-hieu-thong-nhat", el, "số, ký hiệu và ngày ở phụ lục giống phần đầu", ERROR,
                            None, where=_where(doc, app.heading),
                            message="phụ lục không có dòng “(Kèm theo … số … ngày …)” nên chưa so được số, ký hiệu"))
            continue
        m = parse_reference(ref.text)
        problems = []
        if not m:
            problems.append("không theo dạng “(Kèm theo <Tên loại> số …/… ngày …/…/… của …)”")
        else:
            problems += _leading_zero_problems(m.day, m.month)
        out.append(_res("PL1.IV.phu-luc.kem-theo", el, title, ERROR, not problems, measured=ref.text[:90],
                        where=_where(doc, ref), message="; ".join(problems)))
        if doc.formatted:
            out += _element_format(doc, ref, "PL1.IV.phu-luc.kem-theo", el, sizes=PT["appendix"], bold=None,
                                   italic=True)
        title = "số, ký hiệu và ngày ở phụ lục giống phần đầu văn bản"
        if m is None or nl is None:
            why = ("không đọc được số, ký hiệu, ngày ở dòng “(Kèm theo …)” của phụ lục" if m is None
                   else "không tìm thấy dòng “Số: …” ở phần đầu văn bản")
            out.append(_res("PL1.III.3.ky-hieu-thong-nhat", el, title, ERROR, None, where=_where(doc, ref),
                            message=why + " nên chưa so được"))
            continue
        diff = []
        if m.symbol != nl.symbol:
            diff.append(f"ký hiệu {m.symbol} ≠ {nl.symbol}")
        if (m.number or "").lstrip("0") != (nl.number or "").lstrip("0"):
            diff.append(f"số “{m.number or ''}” ≠ “{nl.number or ''}”")
        if dm is not None:
            head = ((dm.day or "").lstrip("0"), (dm.month or "").lstrip("0"), str(dm.year))
            here = ((m.day or "").lstrip("0"), (m.month or "").lstrip("0"), str(m.year))
            if head != here:
                diff.append(f"ngày {'/'.join(here)} ≠ {'/'.join(head)}")
        out.append(_res("PL1.III.3.ky-hieu-thong-nhat", el, title, ERROR, not diff,
                        measured=f"{m.number or ''}/{m.symbol} ngày {m.day or ''}/{m.month or ''}/{m.year}",
                        expected=f"{nl.number or ''}/{nl.symbol}", where=_where(doc, ref), message="; ".join(diff)))
    return out


# The body points the reader to something attached: "… kèm theo Kế hoạch này", "Danh mục … kèm theo",
# "Phụ lục kèm theo", "(Chi tiết tại …)". Not when what follows is a citation ("kèm theo Quyết định số
# 12/QĐ-UBND": another document's appendix), a part of this text ("chi tiết tại Mục II") or a web page.
ATTACHED_RES = (  # the parenthesis first: it is the whole pointer when it holds the others
    re.compile(r"\(\s*chi\s+tiết\s+(?:tại|theo|như)\b", re.I),
    re.compile(r"\bkèm\s+theo\s+(?:[^\s,;.()]+\s+){1,2}này\b", re.I),
    re.compile(r"\b(?:phụ\s+lục|danh\s+mục|biểu\s+mẫu)\b[^.;()]{0,120}?\bkèm\s+theo\b", re.I),
)
ELSEWHERE_RE = re.compile(
    r"^[^.;()]{0,60}?\bsố\s+\d|^\s*(?:các\s+)?(?:mục|khoản|điểm|điều|phần|tiết)\b|^[^)]{0,40}?(?:https?:|www\.)", re.I)


ISSUED_WITH_RE = re.compile(
    r"^\s*(?:" + "|".join(sorted((re.escape(t) for t in (*TYPE_ABBREVIATIONS, "Điều lệ") if t), key=len,
                                  reverse=True)) + r")\b", re.I)
"""What a Quyết định issues "kèm theo Quyết định này": a document of its own (Kế hoạch, Quy chế, Điều lệ …,
Phụ lục III Mẫu 1.3), with its own header and often its own file; not an appendix of the decision."""


ISSUED_BEFORE_RE = re.compile(
    r"\b(?:ban\s+hành|công\s+nhận|phê\s+duyệt|sửa\s+đổi,?\s+bổ\s+sung)\s+(?:" + "|".join(
        sorted((re.escape(t) for t in (*TYPE_ABBREVIATIONS, "Điều lệ") if t), key=len, reverse=True))
    + r")\b(?:(?!phụ\s+lục|danh\s+mục|biểu\s+mẫu|danh\s+sách|chi\s+tiết)[^.;])*$", re.I)
"""The same issue said the other way round: "Công nhận Điều lệ … ban hành kèm theo Quyết định này",
"Phê duyệt Kế hoạch … kèm theo Quyết định này": the document is named before the words, in the same
sentence, with no appendix, list or table named between them."""
DECISION_ITSELF_RE = re.compile(r"kèm\s+theo\s+quyết\s+định\s+này", re.I)


def _attached_mention(text: str, decision: bool = False) -> str | None:
    """The words that refer to an attachment of this document, if any. decision: the text is a
    Quyết định's, whose "ban hành kèm theo Quyết định này <Tên loại> …" (or "Công nhận <Tên loại> …
    kèm theo Quyết định này") issues a document of its own."""
    for pattern in ATTACHED_RES:
        for m in pattern.finditer(text):
            if decision and ISSUED_WITH_RE.match(text[m.end():]):
                continue
            if decision and DECISION_ITSELF_RE.fullmatch(m.group(0)) and ISSUED_BEFORE_RE.search(text[:m.start()]):
                continue
            if "này" in m.group(0).casefold() or not ELSEWHERE_RE.match(text[m.end():]):
                close = text.find(")", m.end()) if m.group(0).startswith("(") else -1
                return text[m.start():close + 1] if close != -1 else m.group(0)
    return None


@rule(content=True)
def attachment_mentioned(doc: KeHoach) -> list[Result]:
    el = "Phụ lục"
    rid = "PL1.IV.phu-luc.dan-chieu"
    title = "nội dung dẫn chiếu phụ lục, danh mục “kèm theo” thì văn bản có phụ lục"
    if not doc.body:
        return [_missing(rid, "Nội dung", title, WARNING)]
    decision = doc.document_type == "Quyết định"
    hits = [(p, found) for p in doc.body if (found := _attached_mention(p.text, decision))]
    if not hits:
        return [_res(rid, el, title, WARNING, True, measured="nội dung không dẫn chiếu phụ lục",
                     expected="phụ lục khi có dẫn chiếu")]
    p, found = hits[0]
    if doc.appendices:
        return [_res(rid, el, title, WARNING, True, measured=f"“{found[:60]}”; có {len(doc.appendices)} phụ lục",
                     expected="có phụ lục", where=_where(doc, p))]
    if doc.formatted:
        # Text after the signature block in the same section may be an appendix we could not tell apart
        # (no section break before it): say so instead of warning about a missing appendix.
        last_sig = max((q.index for q in [*doc.signer_lines, doc.signer_name, *doc.recipients] if q), default=None)
        after = [q for q in doc.paragraphs if last_sig is not None and q.index > last_sig and q.text and q.cell is None]
        if after:
            return [_res(rid, el, title, WARNING, None, measured=f"“{found[:60]}”", where=_where(doc, p),
                         message=f"có nội dung sau phần ký (“{after[0].text[:40]}”) nhưng không nhận ra phụ lục: "
                                 "phụ lục cần bắt đầu ở mục trang (section) riêng")]
    return [_res(rid, el, title, WARNING, False, measured=f"“{found[:60]}”" + (
                     f" và {len(hits) - 1} chỗ khác" if len(hits) > 1 else ""),
                 expected="phụ lục kèm theo văn bản", where=_where(doc, p),
                 message="nội dung nhắc đến phụ lục, danh mục kèm theo nhưng văn bản không có phụ lục")]


ROMAN_ROW_RE = re.compile(r"^[IVXLC]+\.?$")
TASK_ROW_RE = re.compile(r"^\d+(?:\.\d+)*\.?$")


@rule(content=True, types=(KE_HOACH,))
def catalogue_groups(doc: KeHoach) -> list[Result]:
    el = "Phụ lục"
    rid = "PL1.IV.phu-luc.nhom-nhiem-vu"
    title = "mỗi nhóm (I, II, …) của danh mục có ít nhất một nhiệm vụ"
    out = []
    for app in doc.appendices:
        kinds = [("group" if ROMAN_ROW_RE.match(r.number) else "task" if TASK_ROW_RE.match(r.number) else None, r)
                 for r in app.rows]
        kinds = [(k, r) for k, r in kinds if k is not None]  # header row, notes: not part of the list
        if not kinds:
            out.append(_res(rid, el, title, WARNING, None, where=_where(doc, app.heading),
                            message="không nhận ra bảng danh mục có cột STT (I, II, … / 1, 2, …) "
                            "nên chưa đánh giá được"))
            continue
        groups = [r for k, r in kinds if k == "group"]
        empty = [r for i, (k, r) in enumerate(kinds)
                 if k == "group" and (i + 1 == len(kinds) or kinds[i + 1][0] == "group")]
        if not empty:
            measured = (f"{len(groups)} nhóm, {len(kinds) - len(groups)} nhiệm vụ" if groups
                        else f"{len(kinds)} nhiệm vụ, không chia nhóm")
            out.append(_res(rid, el, title, WARNING, True, measured=measured, expected="mỗi nhóm ≥ 1 nhiệm vụ",
                            where=_where(doc, app.heading)))
        for r in empty:
            out.append(_res(rid, el, title, WARNING, False, measured=f"nhóm {r.number} không có nhiệm vụ nào",
                            expected="mỗi nhóm ≥ 1 nhiệm vụ", where=_where(doc, r.para),
                            message="thêm nhiệm vụ cho nhóm hoặc bỏ dòng nhóm"))
    return out
