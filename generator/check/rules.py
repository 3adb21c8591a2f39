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

from ..context import day_month
from ..word.metrics import text_width_pt
from ..model import TIEU_NGU, TYPE_ABBREVIATIONS
from ..text import upper_vi
from ..word.reader import KeHoach, Line, Para
from .report import ERROR, FAIL, NOT_EVALUATED, PASS, WARNING, Result

FONT = "Times New Roman"
TWIPS_PER_MM = 1440 / 25.4


# --- the registry ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Rule:
    func: Callable[[KeHoach], Iterable[Result]]
    content: bool


RULES: list[Rule] = []


def rule(*, content: bool = False) -> Callable:
    def register(func: Callable[[KeHoach], Iterable[Result]]) -> Callable:
        RULES.append(Rule(func, content))
        return func
    return register


def run_rules(doc: KeHoach) -> list[Result]:
    out: list[Result] = []
    for r in RULES:
        if not (doc.formatted or r.content):
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
    return para.where(doc.section_count) if para is not None else ""


def _pt(v: float) -> str:
    return f"{v:g}"


# --- measuring helpers -------------------------------------------------------------------------

def _sizes(para: Para) -> set[float]:
    runs = para.visible_runs
    if not runs and para.fmt is not None:
        return {para.fmt.run_defaults.size} if para.fmt.run_defaults.size else set()
    return {r.fmt.size for r in runs if r.fmt.size is not None}


def _size_text(sizes: set[float]) -> str:
    return ", ".join(_pt(s) + " pt" for s in sorted(sizes)) or "không rõ"


def _all(para: Para, attr: str) -> bool | None:
    runs = para.visible_runs
    if not runs:
        return None
    values = {getattr(r.fmt, attr) for r in runs}
    return values.pop() if len(values) == 1 else None  # None: mixed


def _shown_text(para: Para) -> str:
    """The text as printed: runs with caps on are shown in capitals."""
    if not para.runs:
        return para.text
    return "".join(upper_vi(r.text) if r.fmt and r.fmt.caps else r.text for r in para.runs).strip()


def _is_upper(para: Para) -> bool:
    text = _shown_text(para)
    return upper_vi(text) == text


def _element_format(doc: KeHoach, para: Para | None, rule_id: str, element: str, *,
                    sizes: tuple[float, float], bold: bool | None, italic: bool | None,
                    caps: bool = False, align: str | None = None) -> list[Result]:
    """Size, bold/italic, capitals and alignment of one header/title element."""
    lo, hi = sizes
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
    if para is None:
        return [_missing(f"{rule_id}.{a}", element, titles[a]) for a in aspects]
    out = []
    where = _where(doc, para)
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
                        measured=_shown_text(para)[:60], expected=upper_vi(para.text)[:60], where=where))
    if align:
        out.append(_res(f"{rule_id}.can-le", element, titles["can-le"], WARNING,
                        para.fmt.align == align, measured=_ALIGN_VI.get(para.fmt.align, para.fmt.align),
                        expected=_ALIGN_VI[align], where=where))
    return out


_ALIGN_VI = {"center": "căn giữa", "both": "căn đều hai lề", "left": "căn trái", "right": "căn phải",
             "distribute": "căn đều (phân bố)", "start": "căn trái", "end": "căn phải"}


# --- page (Phụ lục I, II.1–II.3) ----------------------------------------------------------------

MARGIN_MM = {"top": (20, 25), "bottom": (20, 25), "left": (30, 35), "right": (15, 20)}
MARGIN_VI = {"top": "trên", "bottom": "dưới", "left": "trái", "right": "phải"}


def _appendix_sections(doc: KeHoach) -> set[int]:
    return {a.section for a in doc.appendices}


def _section_label(doc: KeHoach, index: int) -> str:
    """Which part of the plan a section holds and how it is turned: "mục trang 2 (phụ lục, khổ ngang)".
    Why: per-section rules repeat once per section; the reader must see which one each line is about."""
    apps = [a.section for a in doc.appendices]
    if index in apps:
        part = "phụ lục" if len(apps) == 1 else f"phụ lục thứ {apps.index(index) + 1}"
    elif index <= (doc.noi_nhan.section if doc.noi_nhan is not None else 0):
        part = "phần chính"
    else:
        part = "sau phần ký"
    if not doc.sections:
        return f"mục trang {index + 1} ({part})"
    s = doc.sections[min(index, len(doc.sections) - 1)]
    return f"mục trang {index + 1} ({part}, khổ {'ngang' if s.width > s.height else 'dọc'})"


@rule()
def page_setup(doc: KeHoach) -> list[Result]:
    out = []
    appendix = _appendix_sections(doc)
    for s in doc.sections:
        where = _section_label(doc, s.index)
        short, long_ = sorted((s.width, s.height))
        ok = abs(short - 11906) <= 30 and abs(long_ - 16838) <= 30
        out.append(_res("PL1.II.1.kho-giay", "Trang", "khổ giấy A4 (210 × 297 mm)", ERROR, ok,
                        measured=f"{short / TWIPS_PER_MM:.0f} × {long_ / TWIPS_PER_MM:.0f} mm",
                        expected="210 × 297 mm", where=where))
        landscape = s.width > s.height
        ok = not landscape or s.index in appendix
        out.append(_res("PL1.II.2.huong-giay", "Trang", "khổ dọc (khổ ngang chỉ cho phụ lục có bảng)", ERROR, ok,
                        measured="ngang" if landscape else "dọc", expected="dọc", where=where))
        bad = []
        for side, (lo, hi) in MARGIN_MM.items():
            mm = s.margins.get(side, 0) / TWIPS_PER_MM
            if not lo - 0.2 <= mm <= hi + 0.2:
                bad.append(f"lề {MARGIN_VI[side]} {mm:.1f} mm (cần {lo}–{hi})")
        measured = ", ".join(f"{MARGIN_VI[k]} {s.margins.get(k, 0) / TWIPS_PER_MM:.1f}" for k in MARGIN_MM)
        out.append(_res("PL1.II.3.le-trang", "Trang", "lề trang", ERROR, not bad,
                        measured=measured + " mm", expected="trên, dưới 20–25; trái 30–35; phải 15–20 mm",
                        where=where, message="; ".join(bad)))
    return out


# --- font (II.4) ---------------------------------------------------------------------------------

@rule()
def font(doc: KeHoach) -> list[Result]:
    paras = list(doc.paragraphs)
    for s in doc.sections:
        for part in list(s.headers.values()) + list(s.footers.values()):
            if part.page_para is not None and part.page_para not in paras:
                paras.append(part.page_para)
    wrong: dict[str, list[tuple[Para, set[str]]]] = {}
    runs = 0
    for para in paras:
        for run in para.visible_runs:
            runs += 1
            by_font: dict[str, set[str]] = {}
            for slot, name in run.fmt.fonts.items():
                if name != FONT:
                    by_font.setdefault(name or "(chưa đặt)", set()).add(slot)
            for name, slots in by_font.items():
                wrong.setdefault(name, []).append((para, slots))
    if runs == 0:
        return [_missing("PL1.II.4.phong-chu", "Phông chữ", "phông Times New Roman")]
    if not wrong:
        return [_res("PL1.II.4.phong-chu", "Phông chữ", "phông Times New Roman ở mọi đoạn và mọi ô phông",
                     ERROR, True, measured=FONT, expected=FONT)]
    out = []
    for name, hits in sorted(wrong.items()):
        slots = sorted(set().union(*(s for _, s in hits)))
        out.append(_res("PL1.II.4.phong-chu", "Phông chữ", "phông Times New Roman ở mọi đoạn và mọi ô phông",
                        ERROR, False, measured=f"{name} ({', '.join(slots)}) ở {len(hits)} đoạn chữ",
                        expected=f"{FONT} (ascii, hAnsi, eastAsia, cs)",
                        where="; ".join(_where(doc, p) for p, _ in hits[:3])))
    return out


# --- page numbers (II.7) ---------------------------------------------------------------------------

@rule()
def page_numbers(doc: KeHoach) -> list[Result]:
    el = "Số trang"
    first = doc.sections[0]
    default = first.headers.get("default")
    out = []
    in_footer = any(f.has_page_field for s in doc.sections for f in s.footers.values())
    has = default is not None and default.has_page_field
    where = f"{_section_label(doc, first.index)}, đầu trang"
    measured = "trường PAGE ở đầu trang" if has else ("số trang ở chân trang" if in_footer else "không có số trang")
    out.append(_res("PL1.II.7.so-trang.vi-tri", el, "số trang (trường PAGE) ở đầu trang, giữa lề trên", ERROR, has,
                    measured=measured, expected="trường PAGE trong phần đầu trang (header)", where=where))
    if has:
        para = default.page_para
        out.append(_res("PL1.II.7.so-trang.can-le", el, "số trang căn giữa", ERROR, para.fmt.align == "center",
                        measured=_ALIGN_VI.get(para.fmt.align, para.fmt.align), expected="căn giữa", where=where))
        sizes = _sizes(para)
        out.append(_res("PL1.II.7.so-trang.co-chu", el, "cỡ chữ số trang 13–14 pt", ERROR,
                        bool(sizes) and all(13 <= s <= 14 for s in sizes),
                        measured=_size_text(sizes), expected="13–14 pt", where=where))
        fp = first.headers.get("first")
        hidden = first.title_page and (fp is None or (not fp.has_page_field and not fp.text))
        out.append(_res("PL1.II.7.so-trang.trang-dau", el, "không hiện số trang ở trang đầu", ERROR, hidden,
                        measured="ẩn ở trang 1" if hidden else (
                            "trang đầu riêng nhưng có số trang" if first.title_page else "không đặt trang đầu riêng (titlePg)"),
                        expected="titlePg và đầu trang đầu tiên để trống", where=where))
        fmt_ok = first.page_format in (None, "decimal")
        out.append(_res("PL1.II.7.so-trang.chu-so", el, "số trang bằng chữ số Ả Rập", ERROR, fmt_ok,
                        measured=first.page_format or "decimal", expected="decimal", where=where))
    else:
        for aspect, title in (("can-le", "số trang căn giữa"), ("co-chu", "cỡ chữ số trang 13–14 pt"),
                              ("trang-dau", "không hiện số trang ở trang đầu")):
            out.append(_missing(f"PL1.II.7.so-trang.{aspect}", el, title))
    for app in doc.appendices:
        s = doc.sections[min(app.section, len(doc.sections) - 1)]
        hdr = s.headers.get("default")
        ok = s.page_start == 1 and hdr is not None and hdr.has_page_field
        out.append(_res("PL1.IV.phu-luc.so-trang", "Phụ lục", "phụ lục đánh số trang riêng, bắt đầu từ 1", ERROR, ok,
                        measured=f"bắt đầu từ {s.page_start}" if s.page_start else "nối tiếp phần chính",
                        expected="pgNumType start=1 và trường PAGE ở đầu trang",
                        where=f"{_section_label(doc, s.index)}, “{app.heading.text[:40]}”"))
    return out


# --- Quốc hiệu, Tiêu ngữ (III.1) -------------------------------------------------------------------



@rule()
def quoc_hieu(doc: KeHoach) -> list[Result]:
    el = "Quốc hiệu"
    out = _element_format(doc, doc.quoc_hieu, "PL1.III.1.quoc-hieu", el, sizes=(12, 13), bold=True,
                          italic=False, caps=True, align="center")
    p = doc.quoc_hieu
    if p is None:
        out.append(_missing("PL1.III.1.quoc-hieu.mot-dong", el, "Quốc hiệu trên một dòng"))
        return out
    size = max(_sizes(p) or {13})
    bold = _all(p, "bold") is not False
    need = text_width_pt(_shown_text(p), size, bold=bold)
    room = (p.width - p.fmt.left - p.fmt.right) / 20
    out.append(_res("PL1.III.1.quoc-hieu.mot-dong", el, "Quốc hiệu trên một dòng trong cột của nó", ERROR,
                    need <= room, measured=f"chữ rộng {need:.1f} pt, cột còn {room:.1f} pt",
                    expected="chữ không rộng hơn cột (trừ lề ô và thụt lề)", where=_where(doc, p)))
    return out


@rule()
def tieu_ngu(doc: KeHoach) -> list[Result]:
    el = "Tiêu ngữ"
    p = doc.tieu_ngu
    out = _element_format(doc, p, "PL1.III.1.tieu-ngu", el, sizes=(13, 14), bold=True, italic=False,
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


def _line_rule(doc: KeHoach, key: str, para: Para | None, rule_id: str, element: str,
               bounds: tuple[float, float], title: str, expected: str) -> Result:
    if para is None:
        return _missing(rule_id, element, title)
    line: Line | None = doc.lines.get(key)
    where = _where(doc, para)
    if line is None:
        return _res(rule_id, element, title, ERROR, False, measured="không có đường kẻ", expected=expected,
                    where=where, message="nhận biết: đoạn có viền trên/dưới, gạch chân, hoặc đường kẻ vẽ (shape)")
    size = max(_sizes(para) or {13})
    bold = _all(para, "bold") is not False
    room = (para.width - para.fmt.left - para.fmt.right) / 20
    text_len = min(text_width_pt(_shown_text(para), size, bold=bold), room)
    ratio = line.length_pt / text_len if text_len else 0
    lo, hi = bounds
    forms = {"border-top": "viền trên đoạn", "border-bottom": "viền dưới đoạn", "underline": "gạch chân",
             "shape": "đường kẻ vẽ"}
    return _res(rule_id, element, title, ERROR, lo <= ratio <= hi,
                measured=f"{forms[line.form]} dài {line.length_pt:.1f} pt = {ratio:.0%} dòng chữ ({text_len:.1f} pt)",
                expected=expected, where=where)


# --- agency (III.2) ---------------------------------------------------------------------------------

@rule()
def agency(doc: KeHoach) -> list[Result]:
    out = _element_format(doc, doc.parent_agency, "PL1.III.2.co-quan-chu-quan", "Cơ quan chủ quản",
                          sizes=(12, 13), bold=False, italic=False, caps=True, align="center")
    out += _element_format(doc, doc.agency, "PL1.III.2.co-quan-ban-hanh", "Cơ quan ban hành",
                           sizes=(12, 13), bold=True, italic=False, caps=True, align="center")
    out.append(_line_rule(doc, "agency", doc.agency, "PL1.III.2.co-quan-ban-hanh.duong-ke", "Cơ quan ban hành",
                          (0.3, 0.55), "đường kẻ liền dưới tên cơ quan, dài 1/3–1/2 dòng chữ", "1/3–1/2 dòng chữ (30–55 %)"))
    return out


# --- Số, ký hiệu (III.3) and Phụ lục III -------------------------------------------------------------

NUMBER_FORM = re.compile(r"^(?P<so>\S+?)\s*:(?P<sp1>\s*)(?P<num>\d*)(?P<sp2>\s*)/(?P<sp3>\s*)(?P<sym>.*)$")
SYMBOL_FORM = re.compile(r"^(?P<type>[A-Za-zĐđ]+)-(?P<agency>[A-ZĐ0-9]+(?:-[A-ZĐ0-9]+)*)$")
TYPE_ABBR = {upper_vi(name): abbr for name, abbr in TYPE_ABBREVIATIONS.items()}


@dataclass(frozen=True)
class NumberLine:
    number: str  # "" in a draft
    symbol: str
    type_abbr: str | None
    agency_abbr: str | None


def parse_number_line(text: str) -> NumberLine | None:
    m = NUMBER_FORM.match(text)
    if not m:
        return None
    sym = m.group("sym").strip()
    sm = SYMBOL_FORM.match(sym)
    return NumberLine(m.group("num"), sym, sm.group("type") if sm else None, sm.group("agency") if sm else None)


@rule(content=True)
def number_line(doc: KeHoach) -> list[Result]:
    el = "Số, ký hiệu"
    rid = "PL1.III.3.so-ky-hieu.hinh-thuc"
    title = "dạng “Số: 05/KH-SKHCN” (dự thảo để trống số)"
    p = doc.number_line
    out = []
    if doc.formatted:
        out += _element_format(doc, p, "PL1.III.3.so-ky-hieu", el, sizes=(13, 13), bold=False, italic=False,
                               align="center")
    if p is None:
        return out + [_missing(rid, el, title)]
    m = NUMBER_FORM.match(p.text)
    problems = []
    if not m:
        problems.append("không theo dạng “Số: …/…”")
    else:
        if m.group("so") != "Số":
            problems.append(f"viết “{m.group('so')}” thay vì “Số”")
        num = m.group("num")
        if num and int(num) < 10 and len(num) < 2:
            problems.append(f"số {num} nhỏ hơn 10 phải có số 0 ở trước ({int(num):02d})")
        if num and (m.group("sp2") or m.group("sp3")):
            problems.append("có dấu cách quanh dấu “/”")
        if not num and m.group("sp3"):
            problems.append("có dấu cách sau dấu “/”")
        sym = m.group("sym")
        if " " in sym.strip():
            problems.append("có dấu cách trong ký hiệu")
        elif not SYMBOL_FORM.match(sym.strip()):
            problems.append(f"ký hiệu “{sym.strip()}” không theo dạng TÊN LOẠI-CƠ QUAN viết hoa")
    out.append(_res(rid, el, title, ERROR, not problems, measured=p.text, expected="Số: 05/KH-SKHCN hoặc Số:      /KH-SKHCN",
                    where=_where(doc, p), message="; ".join(problems)))
    return out


@rule(content=True)
def type_abbreviation(doc: KeHoach) -> list[Result]:
    el = "Số, ký hiệu"
    title = "chữ viết tắt tên loại đúng Phụ lục III (Kế hoạch: KH)"
    if doc.number_line is None or doc.doc_type is None:
        return [_missing("PL3.ten-loai-viet-tat", el, title)]
    nl = parse_number_line(doc.number_line.text)
    want = TYPE_ABBR.get(upper_vi(doc.doc_type.text))
    got = nl.type_abbr if nl else None
    if want is None or got is None:
        return [_res("PL3.ten-loai-viet-tat", el, title, ERROR, None, measured=got or "",
                     where=_where(doc, doc.number_line), message="không đọc được tên loại hoặc ký hiệu")]
    return [_res("PL3.ten-loai-viet-tat", el, title, ERROR, got == want, measured=got, expected=want,
                 where=_where(doc, doc.number_line))]


# --- Địa danh, ngày tháng (III.4) ---------------------------------------------------------------------

DATE_FORM = re.compile(
    r"^(?P<place>[^,]+),\s*(?P<ngay>ngày)\s*(?P<d>\d{1,2})?\s*(?P<thang>tháng)\s*(?P<m>\d{1,2})\s*"
    r"(?P<nam>năm)\s*(?P<y>\d{4})\s*$")


def _leading_zero_problems(d: str | None, mo: str) -> list[str]:
    """Day and month as written against what the renderer prints for them (context.day_month, the one
    place the leading-zero rule of Phụ lục I lives)."""
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
        return None
    m = re.search(r"năm\s*(\d{4})", doc.date_line.text)
    return int(m.group(1)) if m else None


@rule(content=True)
def date_line(doc: KeHoach) -> list[Result]:
    el = "Địa danh, ngày tháng"
    rid = "PL1.III.4.ngay-thang"
    title = "ngày dưới 10 và tháng 1, 2 có số 0 ở trước; “Địa danh, ngày … tháng … năm …”"
    p = doc.date_line
    out = []
    if doc.formatted:
        out += _element_format(doc, p, rid, el, sizes=(13, 14), bold=False, italic=True, align="center")
    if p is None:
        return out + [_missing(rid, el, title)]
    m = DATE_FORM.match(p.text)
    problems = []
    if not m:
        problems.append("không theo dạng “Địa danh, ngày … tháng … năm …”")
    else:
        d, mo = m.group("d"), m.group("m")
        problems += _leading_zero_problems(d, mo)
        if d and not 1 <= int(d) <= 31:
            problems.append(f"ngày {d} không có")
        if not 1 <= int(mo) <= 12:
            problems.append(f"tháng {mo} không có")
        if not m.group("place")[:1].isupper():
            problems.append("địa danh phải viết hoa chữ đầu")
    expected = "Quảng Ngãi, ngày 05 tháng 02 năm 2025 / ngày 20 tháng 3 năm 2024"
    out.append(_res(rid, el, title, ERROR, not problems, measured=p.text, expected=expected,
                    where=_where(doc, p), message="; ".join(problems)))
    return out


# --- Tên loại, trích yếu (III.5) ----------------------------------------------------------------------

@rule()
def title_block(doc: KeHoach) -> list[Result]:
    out = _element_format(doc, doc.doc_type, "PL1.III.5.ten-loai", "Tên loại", sizes=(13, 14), bold=True,
                          italic=False, caps=True, align="center")
    p = doc.subject
    out += _element_format(doc, p, "PL1.III.5.trich-yeu", "Trích yếu", sizes=(13, 14), bold=True, italic=False,
                           align="center")
    if p is None:
        out.append(_missing("PL1.III.5.trich-yeu.in-hoa", "Trích yếu", "viết hoa chữ đầu, không in hoa cả dòng"))
    else:
        shown = _shown_text(p)
        ok = shown[:1].isupper() and upper_vi(shown) != shown
        out.append(_res("PL1.III.5.trich-yeu.in-hoa", "Trích yếu", "viết hoa chữ đầu, không in hoa cả dòng",
                        WARNING, ok, measured=shown[:60], where=_where(doc, p)))
    out.append(_line_rule(doc, "subject", p, "PL1.III.5.trich-yeu.duong-ke", "Trích yếu", (0.3, 0.55),
                          "đường kẻ liền dưới trích yếu, dài 1/3–1/2 dòng chữ", "1/3–1/2 dòng chữ (30–55 %)"))
    return out


# --- body (III.6) -------------------------------------------------------------------------------------

MUC_RE = re.compile(r"^[IVXLC]+\.\s")


def _is_heading(p: Para) -> bool:
    """Mục headings and titled khoản: short, bold lines that need no justification or indent."""
    if MUC_RE.match(p.text):
        return True
    return len(p.text) < 90 and _all(p, "bold") is True and not p.text.endswith((".", ";", "./."))


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
    text_paras = [p for p in body if not _is_heading(p)]
    out = []
    bad = [(p, _ALIGN_VI.get(p.fmt.align, p.fmt.align)) for p in text_paras if p.fmt.align not in ("both", "distribute")]
    out.append(_aggregate(doc, "PL1.III.6.noi-dung.can-le", "căn đều hai lề", ERROR, text_paras, bad, "căn đều hai lề"))
    bad = []
    for p in body:
        sizes = _sizes(p)
        if not sizes or not all(13 <= s <= 14 for s in sizes):
            bad.append((p, _size_text(sizes)))
    out.append(_aggregate(doc, "PL1.III.6.noi-dung.co-chu", "cỡ chữ 13–14 pt", ERROR, body, bad, "13–14 pt"))
    bad = [(p, f"{p.fmt.first_line / 567:.2f} cm") for p in text_paras if not 552 <= p.fmt.first_line <= 735]
    out.append(_aggregate(doc, "PL1.III.6.noi-dung.thut-dau-dong", "thụt đầu dòng 1–1,27 cm", ERROR, text_paras, bad,
                          "1–1,27 cm"))
    bad = []
    for p in body:
        f = p.fmt
        size = max(_sizes(p) or {14})
        if f.line_rule == "auto":
            mult = (f.line or 240) / 240
            ok, shown = 0.99 <= mult <= 1.51, f"{mult:.2f} dòng"
        else:
            pts = (f.line or 0) / 20
            ok, shown = size * 0.99 <= pts <= size * 1.5 * 1.2, f"{f.line_rule} {pts:g} pt"
        if not ok:
            bad.append((p, shown))
    out.append(_aggregate(doc, "PL1.III.6.noi-dung.gian-dong", "giãn dòng từ một dòng đến 1,5 dòng", ERROR, body,
                          bad, "1–1,5 dòng"))
    bad = []
    for prev, nxt in zip(body, body[1:]):
        gap = _gap(doc, prev, nxt)
        if gap < 118:
            bad.append((nxt, f"{gap / 20:g} pt"))
    out.append(_aggregate(doc, "PL1.III.6.noi-dung.khoang-cach-doan", "khoảng cách giữa các đoạn tối thiểu 6 pt",
                          ERROR, body[1:], bad, "≥ 6 pt"))
    muc = [p for p in body if MUC_RE.match(p.text)]
    bad = [(p, "không đậm" if _all(p, "bold") is not True else "không in hoa")
           for p in muc if _all(p, "bold") is not True or not _is_upper(p)]
    if muc:
        out.append(_aggregate(doc, "PL1.III.6.muc", "tên mục (I., II., …) in hoa, đậm", ERROR, muc, bad, "IN HOA, đậm"))
    return out


def _gap(doc: KeHoach, prev: Para, nxt: Para) -> int:
    """Space in twips between two text paragraphs: after + before, plus any empty lines between."""
    def contextual(a: Para, b: Para) -> bool:
        return a.fmt.contextual and b.fmt.contextual and a.fmt.style_id == b.fmt.style_id

    between = doc.paragraphs[prev.index + 1:nxt.index]
    chain = [prev] + between + [nxt]
    total = 0
    for a, b in zip(chain, chain[1:]):
        if a.fmt is None or b.fmt is None:
            continue
        if not (a.fmt.contextual and contextual(a, b)):
            total += a.fmt.after
        if not (b.fmt.contextual and contextual(a, b)):
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
    return [_res("PL1.III.6.dau-ket", "Nội dung", title, ERROR, last.text.endswith("./."),
                 measured=f"…{last.text[-20:]}", expected="…./.", where=_where(doc, last))]


# --- years and citations (III.6 content) -----------------------------------------------------------

CITATION_RE = re.compile(r"\bsố\s+(?P<num>\d+[^\s/]*)/(?:\d{4}/)?(?P<sym>[A-ZĐ][A-Za-zĐđ0-9]*(?:-[A-ZĐ0-9]+)+)")
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


@rule(content=True)
def other_year(doc: KeHoach) -> list[Result]:
    title = "năm nhắc trong nội dung khớp năm của kế hoạch (trừ khi trích dẫn văn bản khác)"
    year = plan_year(doc)
    if year is None:
        return [_missing("PL1.III.6.nam", "Nội dung", title, WARNING)]
    hits = []
    for _, p in _content_paras(doc):
        spans = _citation_spans(p.text)
        for m in YEAR_RE.finditer(p.text):
            if int(m.group(1)) != year and not any(a <= m.start() < b for a, b in spans):
                hits.append((p, m.group(0)))
    if not hits:
        return [_res("PL1.III.6.nam", "Nội dung", title, WARNING, True, measured=f"chỉ năm {year}",
                     expected=f"năm {year}")]
    return [_res("PL1.III.6.nam", "Nội dung", title, WARNING, False, measured=f"“{found}”", expected=f"năm {year}",
                 where=_where(doc, p), message="còn sót năm cũ khi chuyển kế hoạch sang năm mới?")
            for p, found in hits]


@rule(content=True)
def own_citations(doc: KeHoach) -> list[Result]:
    el = "Nội dung"
    title = "văn bản của chính cơ quan được dẫn với đúng chữ viết tắt của cơ quan"
    nl = parse_number_line(doc.number_line.text) if doc.number_line else None
    own = nl.agency_abbr if nl else None
    if own is None:
        return [_missing("PL1.III.3.ky-hieu-co-quan", el, title)]
    agency_name = (doc.agency.text if doc.agency else "").casefold()
    out, seen = [], 0
    for _, p in _content_paras(doc):
        for m in CITATION_RE.finditer(p.text):
            seen += 1
            sym = m.group("sym")
            abbr = sym.split("-", 1)[1] if "-" in sym else sym
            if abbr == own:
                continue
            issuer = re.match(r"\s*ngày\s+\S+\s+của\s+(.+?)(?:\s+về\s|[,;:(]|\.\s|\.$|$)", p.text[m.end():])
            issuer_name = issuer.group(1).strip().casefold() if issuer else ""
            if agency_name and issuer_name == agency_name:
                out.append(_res("PL1.III.3.ky-hieu-co-quan", el, title, ERROR, False, measured=sym,
                                expected=f"{sym.split('-')[0]}-{own}", where=_where(doc, p),
                                message=f"văn bản của {issuer.group(1).strip()} nhưng ký hiệu ghi {abbr}, "
                                        f"trong khi văn bản này ghi {own}"))
            elif not issuer_name and difflib.SequenceMatcher(None, abbr, own).ratio() >= 0.75:
                out.append(_res("PL1.III.3.ky-hieu-co-quan", el, title, WARNING, False, measured=sym,
                                expected=f"{sym.split('-')[0]}-{own}?", where=_where(doc, p),
                                message=f"ký hiệu {abbr} gần giống {own} của cơ quan ban hành: viết sai?"))
    if not out:
        out.append(_res("PL1.III.3.ky-hieu-co-quan", el, title, ERROR, True,
                        measured=f"{seen} trích dẫn, chữ viết tắt cơ quan {own}", expected=own))
    return out


# --- signer (III.7) -----------------------------------------------------------------------------------

AUTHORITY_RE = re.compile(r"^(KT|TM|TL|TUQ|Q)\.\s+\S")
BAD_AUTHORITY_RE = re.compile(r"^(K\s*/\s*T|T\s*/\s*M|T\s*/\s*L|KT|TM|TL|TUQ|Q)(?![A-ZĐÀ-Ỹ])(?!\.\s)", re.I)
ACADEMIC_RE = re.compile(r"^(GS|PGS|TS|ThS|TSKH|KS|BS|CN|Th\.S)\.?\s", re.I)


@rule(content=True)
def signer(doc: KeHoach) -> list[Result]:
    el = "Người ký"
    out = []
    lines = doc.signer_lines
    title = "thẩm quyền ký đúng dạng (KT./TM./TL./TUQ./Q. hoặc chức vụ), in hoa"
    if not lines:
        out.append(_missing("PL1.III.7.tham-quyen.hinh-thuc", el, title))
    else:
        problems = []
        first = lines[0].text
        if BAD_AUTHORITY_RE.match(first) and not AUTHORITY_RE.match(first):
            problems.append(f"“{first}” viết sai dạng thẩm quyền (KT., TM., TL., TUQ., Q. có dấu chấm và dấu cách)")
        m = AUTHORITY_RE.match(first)
        if m and m.group(1) in ("KT", "TL", "TUQ", "TM") and len(lines) < 2:
            problems.append(f"ký {m.group(1)}. cần dòng chức vụ của người ký bên dưới")
        for p in lines:
            if not _is_upper(p):
                problems.append(f"“{p.text}” phải in hoa")
        out.append(_res("PL1.III.7.tham-quyen.hinh-thuc", el, title, ERROR, not problems,
                        measured=" / ".join(p.text for p in lines), expected="GIÁM ĐỐC hoặc KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC",
                        where=_where(doc, lines[0]), message="; ".join(problems)))
    p = doc.signer_name
    title = "họ tên người ký: viết hoa chữ đầu mỗi tiếng, không ghi học hàm, học vị"
    if p is None:
        out.append(_missing("PL1.III.7.ho-ten.hinh-thuc", el, title))
    else:
        words = p.text.split()
        ok = bool(words) and all(w[:1].isupper() for w in words) and not ACADEMIC_RE.match(p.text)
        ok = ok and upper_vi(p.text) != p.text
        out.append(_res("PL1.III.7.ho-ten.hinh-thuc", el, title, WARNING, ok, measured=p.text,
                        expected="Nguyễn Văn Thành", where=_where(doc, p)))
    if doc.formatted:
        for line in lines or [None]:
            out += _element_format(doc, line, "PL1.III.7.tham-quyen", el, sizes=(13, 14), bold=True, italic=None)
        out += _element_format(doc, p, "PL1.III.7.ho-ten", el, sizes=(13, 14), bold=True, italic=None)
    return out


# --- Nơi nhận (III.9) ---------------------------------------------------------------------------------

LUU_RE = re.compile(r"^- Lưu:\s*\S.*\.$")


@rule(content=True)
def recipients(doc: KeHoach) -> list[Result]:
    el = "Nơi nhận"
    out = []
    p = doc.noi_nhan
    if doc.formatted:
        out += _element_format(doc, p, "PL1.III.9.noi-nhan", el, sizes=(12, 12), bold=True, italic=True)
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
    for it in items[:-1]:
        if not it.text.startswith("- "):
            problems.append(f"“{it.text[:40]}” phải bắt đầu bằng “- ”")
        if not it.text.endswith(";"):
            problems.append(f"“{it.text[:40]}” phải kết thúc bằng “;”")
    last = items[-1].text
    if not LUU_RE.match(last):
        problems.append(f"dòng cuối “{last[:40]}” phải có dạng “- Lưu: VT, ….”")
    out.append(_res("PL1.III.9.noi-nhan.hinh-thuc", el, title, ERROR, not problems,
                    measured=f"{len(items)} dòng, dòng cuối “{last[:40]}”", expected="- …; … - Lưu: VT, ….",
                    where=_where(doc, p), message="; ".join(problems)))
    if doc.formatted:
        bad = [(it, _size_text(_sizes(it))) for it in items if _sizes(it) != {11}]
        out.append(_res("PL1.III.9.noi-nhan.danh-sach.co-chu", el, "cỡ chữ danh sách 11 pt", ERROR, not bad,
                        measured="; ".join(f"{m}: “{i.text[:30]}”" for i, m in bad[:3]) or "11 pt",
                        expected="11 pt", where=_where(doc, items[0])))
        bad = [it for it in items if _all(it, "bold") or _all(it, "italic")]
        out.append(_res("PL1.III.9.noi-nhan.danh-sach.kieu-chu", el, "danh sách chữ đứng, không đậm", ERROR,
                        not bad, measured=f"{len(bad)} dòng đậm/nghiêng" if bad else "đứng",
                        expected="đứng, không đậm", where=_where(doc, bad[0] if bad else items[0])))
    return out


# --- appendix (IV) ------------------------------------------------------------------------------------

REF_FORM = re.compile(
    r"^\(\s*Kèm theo (?P<type>.+?) số (?P<num>\d*)\s*/(?P<sym>\S+) ngày (?P<d>\d{0,2})\s*/(?P<m>\d{1,2})/"
    r"(?P<y>\d{4}) của (?P<issuer>.+?)\s*\)$")


@rule(content=True)
def appendices(doc: KeHoach) -> list[Result]:
    el = "Phụ lục"
    out = []
    nl = parse_number_line(doc.number_line.text) if doc.number_line else None
    dm = DATE_FORM.match(doc.date_line.text) if doc.date_line else None
    for app in doc.appendices:
        if doc.formatted:
            out += _element_format(doc, app.heading, "PL1.IV.phu-luc.tieu-de", el, sizes=(13, 14), bold=True,
                                   italic=None, align="center")
            for t in app.titles:
                out += _element_format(doc, t, "PL1.IV.phu-luc.ten", el, sizes=(13, 14), bold=True, italic=None,
                                       align="center")
        if app.heading.text.casefold().startswith("phụ lục") and not _is_upper(app.heading):
            bad = [t for t in app.titles[:1] if not _is_upper(t)]
            out.append(_res("PL1.IV.phu-luc.ten.in-hoa", el, "tên phụ lục in hoa", WARNING,
                            bool(app.titles) and not bad, measured=app.titles[0].text[:60] if app.titles else "",
                            where=_where(doc, app.heading)))
        title = "dòng “(Kèm theo Kế hoạch số …/KH-… ngày … của …)”"
        ref = app.reference
        if ref is None:
            out.append(_res("PL1.IV.phu-luc.kem-theo", el, title, ERROR, False, measured="không có",
                            expected="(Kèm theo Kế hoạch số …/KH-SKHCN ngày …/…/… của …)", where=_where(doc, app.heading)))
            out.append(_missing("PL1.III.3.ky-hieu-thong-nhat", el, "số, ký hiệu và ngày ở phụ lục giống phần đầu"))
            continue
        m = REF_FORM.match(ref.text)
        problems = []
        if not m:
            problems.append("không theo dạng “(Kèm theo <Tên loại> số …/… ngày …/…/… của …)”")
        else:
            mo = m.group("m")
            problems += _leading_zero_problems(m.group("d"), mo)
        out.append(_res("PL1.IV.phu-luc.kem-theo", el, title, ERROR, not problems, measured=ref.text[:90],
                        where=_where(doc, ref), message="; ".join(problems)))
        if doc.formatted:
            out += _element_format(doc, ref, "PL1.IV.phu-luc.kem-theo", el, sizes=(13, 14), bold=None, italic=True)
        title = "số, ký hiệu và ngày ở phụ lục giống phần đầu văn bản"
        if m is None or nl is None:
            out.append(_missing("PL1.III.3.ky-hieu-thong-nhat", el, title))
            continue
        diff = []
        if m.group("sym") != nl.symbol:
            diff.append(f"ký hiệu {m.group('sym')} ≠ {nl.symbol}")
        if m.group("num").lstrip("0") != nl.number.lstrip("0"):
            diff.append(f"số “{m.group('num')}” ≠ “{nl.number}”")
        if dm is not None:
            head = ((dm.group("d") or "").lstrip("0"), dm.group("m").lstrip("0"), dm.group("y"))
            here = (m.group("d").lstrip("0"), mo.lstrip("0"), m.group("y"))
            if head != here:
                diff.append(f"ngày {'/'.join(here)} ≠ {'/'.join(head)}")
        out.append(_res("PL1.III.3.ky-hieu-thong-nhat", el, title, ERROR, not diff,
                        measured=f"{m.group('num')}/{m.group('sym')} ngày {m.group('d')}/{mo}/{m.group('y')}",
                        expected=f"{nl.number}/{nl.symbol}", where=_where(doc, ref), message="; ".join(diff)))
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


def _attached_mention(text: str) -> str | None:
    """The words that refer to an attachment of this document, if any."""
    for pattern in ATTACHED_RES:
        for m in pattern.finditer(text):
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
    hits = [(p, found) for p in doc.body if (found := _attached_mention(p.text))]
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


@rule(content=True)
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
                            message="không nhận ra bảng danh mục có cột STT (I, II, … / 1, 2, …) nên chưa đánh giá được"))
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
