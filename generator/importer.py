"""Import: a Kế hoạch made in Word (.docx) becomes a plan data file.

Why structure from text and layout, not style names: a file made by hand in Word has none of our
"KH …" styles. What every such file has is the ND30 layout: a header table (agency, Quốc hiệu,
"Số: …", date line), "KẾ HOẠCH" and the trích yếu, a body numbered "I." / "1." / "a)" / "-",
a two-column table with "Nơi nhận:" and the signer, then an appendix table with group rows. We read
those, using boldness only where the text alone is ambiguous (a titled khoản is bold).

Nothing is dropped silently: what cannot be placed is kept as plain text where the model allows it
and reported as a warning with its place (đoạn N, bảng N dòng R ô C) and an excerpt.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import docx
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from .word.reader import run_text, visible_runs, visible_text
from .word.formatting import Formatting
from .errors import DataError, OutputExistsError, UserError
from .loader import parse_yaml, validate
from .model import QUOC_HIEU, TIEU_NGU
from .word.package import atomic_write
from .text import clean_text, point_letter, roman, upper_vi


NUMBER_LINE = re.compile(r"^Số\s*:?\s*(\d*)\s*/\s*([A-ZĐ0-9]+)-([A-ZĐ0-9-]+)\s*$")
DATE_LINE = re.compile(
    r"^(?P<place>.+?)\s*,\s*ngày\s*(?P<day>\d{0,2})\s*tháng\s*(?P<month>\d{1,2})\s*năm\s*(?P<year>\d{4})\s*$"
)
SECTION = re.compile(r"^([IVXLC]+)\s*[.)]\s+(.+)$")
CLAUSE = re.compile(r"^(\d+)\s*\.\s+(.+)$", re.S)
POINT = re.compile(r"^([a-zđ]{1,2})\)\s+(.+)$", re.S)
ITEM = re.compile(r"^-\s+(.+)$", re.S)
AUTHORITY = re.compile(r"^(KT|TM|TL|TUQ|Q)\.\s*(.+)$")
CLOSING_MARK = "./."
RULE_LINE = re.compile(r"[-_–—=.*\s]{3,}")


@dataclass(frozen=True)
class ImportWarning:
    """Something the importer could not place exactly; where it was and what it did instead."""

    where: str
    excerpt: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}: «{self.excerpt}»"


@dataclass
class ImportResult:
    data: dict[str, Any]
    warnings: list[ImportWarning] = field(default_factory=list)
    text: str = ""
    output: Path | None = None


# --- reading text and layout -------------------------------------------------------------------


def _text(par: Paragraph) -> str:
    # What a reader sees, tracked insertions and content controls included (python-docx's
    # Paragraph.text skips both).
    return clean_text(visible_text(par._p)).strip()


def _lines(cell: _Cell) -> list[str]:
    out: list[str] = []
    for par in cell.paragraphs:
        out += [line.strip() for line in _text(par).split("\n") if line.strip()]
    return out


def _is_bold(fmt: Formatting, par: Paragraph) -> bool:
    """Every run with text is bold, as the reader sees it (direct formatting, styles, defaults)."""
    runs = [r for r in visible_runs(par._p) if run_text(r).strip()]
    return bool(runs) and all(fmt.run(par._p, r).bold for r in runs)


def _is_centered(fmt: Formatting, par: Paragraph) -> bool:
    return fmt.paragraph(par._p).align == "center"


def _unique_cells(row: Any) -> list[_Cell]:
    """A row's cells, a merged (gridSpan) cell once."""
    out: list[_Cell] = []
    for cell in row.cells:
        if not out or cell._tc is not out[-1]._tc:
            out.append(cell)
    return out


def _cut(text: str, n: int = 70) -> str:
    text = text.replace("\n", "⏎")
    return text if len(text) <= n else text[: n - 1] + "…"


def _sentence_case(text: str) -> str:
    """"MỤC ĐÍCH, YÊU CẦU" -> "Mục đích, yêu cầu"; Roman numerals stay ("PHỤ LỤC II" -> "Phụ lục II")."""
    words = [w if re.fullmatch(r"[IVXLC]+", w) else w.lower() for w in text.split(" ")]
    out = " ".join(words)
    return out[:1].upper() + out[1:]


def _recover_case(caps: str, corpus: str) -> str:
    """The same words as written in running text ("UBND TỈNH QUẢNG NGÃI" -> "UBND tỉnh Quảng Ngãi"),
    else sentence case. Only the printed capitals are certain; the data reads better in name case."""
    if upper_vi(caps) != caps:
        return caps  # already in mixed case
    upper = "".join(upper_vi(c) if len(upper_vi(c)) == 1 else c for c in corpus)
    start = 0
    while (i := upper.find(caps, start)) >= 0:
        before = corpus[i - 1] if i else " "
        after = corpus[i + len(caps)] if i + len(caps) < len(corpus) else " "
        found = corpus[i : i + len(caps)]
        if not before.isalnum() and not after.isalnum() and found != caps:
            return found
        start = i + 1
    return _sentence_case(caps)


# --- the importer ------------------------------------------------------------------------------


class _Reader:
    def __init__(self, document: Any):
        self.doc = document
        self.fmt = Formatting.of(document)
        self.warnings: list[ImportWarning] = []
        self.blocks: list[tuple[str, Any, str]] = []  # kind, object, where
        p_index = t_index = 0
        for el in document.element.body.iterchildren():
            if el.tag == qn("w:p"):
                p_index += 1
                self.blocks.append(("p", Paragraph(el, document), f"đoạn {p_index}"))
            elif el.tag == qn("w:tbl"):
                t_index += 1
                self.blocks.append(("t", Table(el, document), f"bảng {t_index}"))
        self.corpus = self._corpus()

    def _corpus(self) -> str:
        parts = []
        for kind, obj, _ in self.blocks:
            if kind == "p":
                parts.append(_text(obj))
            else:
                parts += ["\n".join(_lines(c)) for row in obj.rows for c in _unique_cells(row)]
        return "\n".join(parts)

    def warn(self, where: str, excerpt: str, message: str) -> None:
        self.warnings.append(ImportWarning(where, _cut(excerpt), message))

    # Phase by phase: header, title, body, signature, appendices.
    def read(self) -> dict[str, Any]:
        i = self._find_title()
        header = self._header(self.blocks[:i])
        subject, i = self._subject(i + 1)
        sig = next((k for k in range(i, len(self.blocks)) if self._is_signature(self.blocks[k])), None)
        if sig is None:
            raise UserError("không tìm thấy bảng 'Nơi nhận:' và chữ ký sau phần nội dung; "
                            "chưa đọc được văn bản này")
        body = self._body(self.blocks[i:sig])
        recipients, archive, signer = self._signature(self.blocks[sig])
        appendices, app_agency = self._appendices(self.blocks[sig + 1 :])

        agency = header["agency"]
        if app_agency and upper_vi(app_agency) == upper_vi(agency["name"]):
            agency["name"] = app_agency  # the reference line prints the name in name case
        data: dict[str, Any] = {"agency": agency}
        if header.get("number") is not None:
            data["number"] = header["number"]
        data["date"] = header["date"]
        data["subject"] = subject
        data.update(body)
        data["recipients"] = recipients
        data["archive"] = archive
        data["signer"] = signer
        if appendices:
            data["appendices"] = appendices
        return {k: v for k, v in data.items() if v not in ([], None, "")}

    def _find_title(self) -> int:
        for i, (kind, obj, _) in enumerate(self.blocks):
            if kind == "p" and upper_vi(_text(obj)).replace(" ", "") == "KẾHOẠCH":
                return i
        raise UserError("không tìm thấy tên loại 'KẾ HOẠCH' trong văn bản; lệnh import chỉ đọc Kế hoạch")

    def _header(self, blocks: list[tuple[str, Any, str]]) -> dict[str, Any]:
        agency_lines: list[str] = []
        number = None
        abbreviation = None
        date = place = None
        for kind, obj, where in blocks:
            if kind == "p":
                cells = [(where, [_text(obj)] if _text(obj) else [])]
                col_of = {where: 0}
            else:
                cells, col_of = [], {}
                for r, row in enumerate(obj.rows, 1):
                    for c, cell in enumerate(_unique_cells(row), 1):
                        loc = f"{where}, dòng {r}, ô {c}"
                        cells.append((loc, _lines(cell)))
                        col_of[loc] = c - 1
            for loc, lines in cells:
                for line in lines:
                    up = upper_vi(line)
                    if up in (QUOC_HIEU, upper_vi(TIEU_NGU)) or RULE_LINE.fullmatch(line):
                        continue
                    if up.startswith("DỰ THẢO"):  # a draft's mark, not part of the header grid
                        continue
                    if m := NUMBER_LINE.match(line):
                        number = int(m.group(1)) if m.group(1) else None
                        if m.group(2) != "KH":
                            self.warn(loc, line, f"ký hiệu loại văn bản là {m.group(2)}, không phải KH; "
                                      "đã đọc như Kế hoạch")
                        abbreviation = m.group(3)
                    elif m := DATE_LINE.match(line):
                        place = m.group("place")
                        y, mo, d = m.group("year"), int(m.group("month")), m.group("day")
                        date = f"{y}-{mo:02d}" + (f"-{int(d):02d}" if d else "")
                    elif col_of[loc] == 0 and up == line:
                        agency_lines.append(line)
                    else:
                        self.warn(loc, line, "không nhận ra dòng này ở phần đầu văn bản; đã bỏ qua")
        if date is None:
            raise UserError("không tìm thấy dòng địa danh, ngày tháng (ví dụ 'Quảng Ngãi, ngày 20 "
                            "tháng 3 năm 2024') ở phần đầu văn bản")
        if abbreviation is None:
            self.warn("phần đầu", "Số: …/KH-…", "không tìm thấy dòng 'Số: …/KH-…'; "
                      "chữ viết tắt cơ quan tạm ghi CHUADIEN, hãy sửa")
            abbreviation = "CHUADIEN"
        if not agency_lines:
            raise UserError("không tìm thấy tên cơ quan ở phần đầu văn bản (ô bên trái bảng đầu trang)")
        if len(agency_lines) == 1:
            self.warn("phần đầu", agency_lines[0], "chỉ có một dòng tên cơ quan; đã dùng làm cả cơ "
                      "quan chủ quản và cơ quan ban hành, hãy sửa")
            agency_lines = agency_lines * 2
        if len(agency_lines) > 2:
            self.warn("phần đầu", " / ".join(agency_lines[1:]),
                      "tên cơ quan ban hành trên nhiều dòng; đã nối thành một dòng")
        parent, name = agency_lines[0], " ".join(agency_lines[1:])
        agency = {
            "parent": _recover_case(parent, self.corpus),
            "name": _recover_case(name, self.corpus),
            "abbreviation": abbreviation,
            "place": place,
        }
        return {"agency": agency, "number": number, "date": date}

    def _subject(self, i: int) -> tuple[str, int]:
        """The trích yếu: the first text after KẾ HOẠCH, plus following bold centred lines."""
        lines: list[str] = []
        while i < len(self.blocks):
            kind, obj, where = self.blocks[i]
            if kind != "p":
                break
            text = _text(obj)
            if not text:
                i += 1
                if lines:
                    break
                continue
            if lines and not (_is_bold(self.fmt, obj) and _is_centered(self.fmt, obj)):
                break
            if lines and (SECTION.match(text) or CLAUSE.match(text)):
                break
            lines.append(text)
            i += 1
        if not lines:
            raise UserError("không tìm thấy trích yếu (dòng dưới chữ KẾ HOẠCH)")
        return " ".join(lines), i

    def _is_signature(self, block: tuple[str, Any, str]) -> bool:
        kind, obj, _ = block
        if kind != "t":
            return False
        return any(lines and lines[0].startswith("Nơi nhận")
                   for row in obj.rows for lines in (_lines(c) for c in _unique_cells(row)))

    # The body: grounds and opening, then mục / khoản / điểm / ý, then the closing.
    def _body(self, blocks: list[tuple[str, Any, str]]) -> dict[str, Any]:
        paras: list[tuple[Paragraph, str, str]] = []
        for kind, obj, where in blocks:
            if kind == "t":
                cells = " | ".join("\n".join(_lines(c)) for row in obj.rows for c in _unique_cells(row))
                self.warn(where, cells, "bảng trong phần nội dung chưa được hỗ trợ; đã bỏ qua, hãy "
                          "chép tay vào tệp dữ liệu")
                continue
            if text := _text(obj):
                if RULE_LINE.fullmatch(text):
                    # A line typed under the trích yếu is the rule our template draws itself.
                    if paras:
                        self.warn(where, text, "đường kẻ gõ bằng ký tự trong phần nội dung; đã bỏ qua")
                    continue
                if obj._p.pPr is not None and obj._p.pPr.numPr is not None:
                    self.warn(where, text, "đoạn dùng đánh số tự động của Word; số thứ tự không có "
                              "trong chữ nên có thể sai cấp")
                paras.append((obj, text, where))
        closing = None
        if paras:
            obj, text, where = paras[-1]
            if text.endswith(CLOSING_MARK):
                text = text[: -len(CLOSING_MARK)].rstrip()
                paras[-1] = (obj, text, where)
                if not any(p.match(text) for p in (SECTION, CLAUSE, POINT, ITEM)):
                    closing = text
                    paras.pop()
            else:
                self.warn(where, text, "nội dung không kết thúc bằng './.'; khi tạo lại sẽ tự thêm")

        grounds: list[str] = []
        opening: list[str] = []
        sections: list[dict[str, Any]] = []
        clause: dict[str, Any] | None = None

        def verbatim(text: str, where: str, why: str | None) -> None:
            """Keep text as a plain paragraph in the current clause or section, order preserved."""
            if why:
                self.warn(where, text, why)
            if clause is not None:
                # A paragraph after points/items would be printed before them: keep order by
                # turning the earlier points and items into plain paragraphs too.
                if clause["points"] or clause["items"]:
                    clause["paragraphs"] += [f"{point_letter(k)}) {p}" for k, p in enumerate(clause["points"])]
                    clause["paragraphs"] += [f"- {p}" for p in clause["items"]]
                    clause["points"], clause["items"] = [], []
                clause["paragraphs"].append(text)
            else:
                sections[-1]["paragraphs"].append(text)

        for par, text, where in paras:
            m = SECTION.match(text)
            if m and upper_vi(m.group(2)) == m.group(2):
                if m.group(1) != roman(len(sections) + 1):
                    self.warn(where, text, f"mục đánh số {m.group(1)}, khi tạo lại sẽ là "
                              f"{roman(len(sections) + 1)}")
                sections.append({"title": _sentence_case(m.group(2).strip()), "paragraphs": [],
                                 "clauses": []})
                clause = None
                continue
            if not sections:
                (grounds if text.startswith("Căn cứ") else opening).append(text)
                continue
            section = sections[-1]
            if m := CLAUSE.match(text):
                expected = len(section["clauses"]) + 1
                if int(m.group(1)) != expected:
                    self.warn(where, text, f"khoản đánh số {m.group(1)}, khi tạo lại sẽ là {expected}")
                clause = {"paragraphs": [], "points": [], "items": []}
                if _is_bold(self.fmt, par) and "\n" not in m.group(2):
                    clause = {"title": m.group(2).strip(), **clause}
                else:
                    clause = {"text": m.group(2).strip(), **clause}
                section["clauses"].append(clause)
                continue
            if m := POINT.match(text):
                if clause is None:
                    verbatim(text, where, "điểm a), b)… nằm ngoài khoản nào; giữ nguyên là đoạn văn")
                elif clause["items"] or m.group(1) != point_letter(len(clause["points"])):
                    verbatim(text, where, "điểm không đúng thứ tự a), b), c)…; giữ nguyên là đoạn văn")
                else:
                    clause["points"].append(m.group(2).strip())
                continue
            if m := ITEM.match(text):
                if clause is None:
                    verbatim(text, where, "ý gạch đầu dòng nằm ngoài khoản nào; giữ nguyên là đoạn văn")
                else:
                    clause["items"].append(m.group(1).strip())
                continue
            verbatim(text, where, None if clause is None or not (clause["points"] or clause["items"])
                     else "đoạn văn sau các điểm/ý của khoản; các điểm/ý trước nó được giữ nguyên "
                     "là đoạn văn để không đổi thứ tự")

        for section in sections:
            for cl in section["clauses"]:
                for key in ("paragraphs", "points", "items"):
                    if not cl[key]:
                        del cl[key]
            for key in ("paragraphs", "clauses"):
                if not section[key]:
                    del section[key]
        if not sections:
            raise UserError("không tìm thấy mục nào đánh số La Mã (I., II., …) trong phần nội dung")
        return {"grounds": grounds, "opening": opening, "sections": sections, "closing": closing}

    def _signature(self, block: tuple[str, Any, str]) -> tuple[list[str], list[str], dict[str, Any]]:
        _, table, where = block
        recipients: list[str] = []
        archive: list[str] = []
        signer_lines: list[str] = []
        for r, row in enumerate(table.rows, 1):
            for c, cell in enumerate(_unique_cells(row), 1):
                lines = _lines(cell)
                loc = f"{where}, dòng {r}, ô {c}"
                if lines and lines[0].startswith("Nơi nhận"):
                    for line in lines[1:]:
                        if m := re.match(r"^-?\s*Lưu\s*:\s*(.+)$", line):
                            archive = [a.strip() for a in m.group(1).rstrip(".").split(",") if a.strip()]
                            continue
                        if not line.startswith("-"):
                            self.warn(loc, line, "dòng nơi nhận không bắt đầu bằng '- '; khi tạo lại "
                                      "sẽ có dấu '- '")
                        recipients.append(line.lstrip("-").strip().rstrip(";.").strip())
                else:
                    signer_lines += [(line, loc) for line in lines]
        if not signer_lines:
            raise UserError(f"{where}: không tìm thấy chức vụ và họ tên người ký")
        name = signer_lines[-1][0]
        auth = [line for line, _ in signer_lines[:-1]]
        signer: dict[str, Any] = {"name": name}
        case = lambda s: _recover_case(s, self.corpus)  # noqa: E731
        first = AUTHORITY.match(auth[0]) if auth else None
        if len(auth) == 1 and first and first.group(1) == "Q":
            signer.update(title=case(first.group(2)), authority="Q")
        elif len(auth) == 1 and not first:
            signer["title"] = case(auth[0])
        elif len(auth) == 2 and first and first.group(1) in ("KT", "TL", "TUQ"):
            signer.update(title=case(auth[1]), authority=first.group(1), head_title=case(first.group(2)))
        elif len(auth) == 2 and first and first.group(1) == "TM":
            signer.update(title=case(auth[1]), authority="TM", collective=case(first.group(2)))
        elif len(auth) == 3 and first and first.group(1) == "TM" and (kt := AUTHORITY.match(auth[1])):
            signer.update(title=case(auth[2]), authority="TM", collective=case(first.group(2)),
                          head_title=case(kt.group(2)))
        else:
            self.warn(signer_lines[0][1], " / ".join(auth) or name,
                      "không nhận ra thẩm quyền ký; đã lấy dòng cuối trước họ tên làm chức vụ")
            signer["title"] = case(AUTHORITY.sub(r"\2", auth[-1])) if auth else "Chưa rõ"
        if not archive:
            self.warn(where, "Nơi nhận", "không có dòng '- Lưu: …'; tạm ghi Lưu: VT")
            archive = ["VT"]
        return recipients, archive, signer

    # Appendices: heading lines, then the catalogue table.
    def _appendices(self, blocks: list[tuple[str, Any, str]]) -> tuple[list[dict[str, Any]], str | None]:
        appendices: list[dict[str, Any]] = []
        heading: list[tuple[str, str]] = []
        agency_name = None
        for kind, obj, where in blocks:
            if kind == "p":
                if text := _text(obj):
                    heading.append((text, where))
                continue
            app: dict[str, Any] = {}
            rest = []
            for text, hwhere in heading:
                if text.startswith("(Kèm theo"):
                    if m := re.search(r"của\s+(.+?)\)\s*$", text):
                        agency_name = m.group(1)
                elif "title" not in app:
                    app["title"] = _sentence_case(text) if upper_vi(text) == text else text
                else:
                    rest.append(text)
            if rest:
                app["subtitle"] = " ".join(rest)
            heading = []
            table = self._catalogue(obj, where)
            if table is None:
                continue
            if "title" not in app:
                self.warn(where, "", "bảng danh mục không có dòng tiêu đề phía trên; tạm ghi 'Phụ lục'")
            app.update(table)
            appendices.append(app)
        for text, hwhere in heading:
            self.warn(hwhere, text, "đoạn văn sau bảng cuối cùng, không thuộc phụ lục nào; đã bỏ qua")
        return appendices, agency_name

    def _catalogue(self, table: Table, where: str) -> dict[str, Any] | None:
        rows = list(table.rows)
        header = ["\n".join(_lines(c)).replace("\n", " ") for c in _unique_cells(rows[0])] if rows else []
        if len(header) != 5:
            text = " | ".join(header)
            self.warn(where, text, f"bảng có {len(header)} cột, danh mục cần đúng 5 cột; đã bỏ qua, "
                      "hãy chép tay vào tệp dữ liệu")
            return None
        groups: list[dict[str, Any]] = []
        for r, row in enumerate(rows[1:], 2):
            cells = _unique_cells(row)
            texts = ["\n".join(_lines(c)) for c in cells]
            loc = f"{where}, dòng {r}"
            first = texts[0] if texts else ""
            if texts == header or (len(cells) == 5 and [t.replace("\n", " ") for t in texts] == header):
                continue  # a repeated header row
            if re.fullmatch(r"[IVXLC]+", first) and len(cells) >= 2 and not any(texts[2:]):
                if first != roman(len(groups) + 1):
                    self.warn(loc, first, f"nhóm đánh số {first}, khi tạo lại sẽ là {roman(len(groups) + 1)}")
                groups.append({"title": texts[1].replace("\n", " "), "tasks": []})
                continue
            if re.fullmatch(r"\d+", first) and len(cells) == 5:
                if not groups:
                    self.warn(loc, texts[1], "nhiệm vụ trước mọi dòng nhóm; đã đặt vào nhóm "
                              "'(chưa có tên nhóm)', hãy sửa")
                    groups.append({"title": "(chưa có tên nhóm)", "tasks": []})
                tasks = groups[-1]["tasks"]
                if int(first) != len(tasks) + 1:
                    self.warn(loc, first, f"STT {first}, khi tạo lại sẽ là {len(tasks) + 1}")
                task: dict[str, Any] = {"content": texts[1]}
                if not texts[1]:
                    self.warn(f"{loc}, ô 2", first, "nội dung công việc trống; tạm ghi '(trống)'")
                    task["content"] = "(trống)"
                for key, text in (("lead", texts[2]), ("support", texts[3])):
                    if units := _units(text):
                        task[key] = units
                if texts[4]:
                    task["time"] = texts[4]
                tasks.append(task)
                continue
            if any(texts):
                self.warn(loc, " | ".join(texts), "không nhận ra dòng này của bảng danh mục "
                          "(không phải dòng nhóm I, II… hay dòng nhiệm vụ 1, 2…); đã bỏ qua")
        for g in groups:
            if not g["tasks"]:
                del g["tasks"]
        return {"columns": header, "groups": groups}


def _units(text: str) -> list[str]:
    """A unit cell: one name, or one "- name;" per line (the last ending ".")."""
    lines = [line for line in text.split("\n") if line.strip()]
    if len(lines) > 1 and all(line.startswith("-") for line in lines):
        return [line.lstrip("-").strip().rstrip(";.").strip() for line in lines]
    return ["\n".join(lines)] if lines else []


# --- public calls ------------------------------------------------------------------------------


def read_docx(path: str | Path) -> ImportResult:
    """Read a Kế hoạch .docx into plan data (plain dicts and lists) and the warnings."""
    path = Path(path)
    try:
        document = docx.Document(str(path))
    except FileNotFoundError:
        raise UserError(f"{path}: không tìm thấy tệp") from None
    except Exception as exc:  # python-docx raises several kinds for a file that is not .docx
        raise UserError(f"{path}: không mở được tệp Word .docx ({type(exc).__name__}); tệp .doc cũ "
                        "hãy mở bằng Word rồi lưu lại dạng .docx") from None
    reader = _Reader(document)
    data = reader.read()
    return ImportResult(data, reader.warnings)


def dump_yaml(data: dict[str, Any], source_name: str) -> str:
    from ruamel.yaml import YAML

    y = YAML()
    y.width = 100_000
    y.indent(mapping=2, sequence=4, offset=2)
    buf = io.StringIO()
    buf.write(f"# Nhập từ {source_name} bằng lệnh `kehoach import`.\n"
              "# Kiểm tra các cảnh báo đã in ra; trích dẫn văn bản đang là chữ thường, có thể chuyển "
              "sang mục references.\n\n")
    y.dump(data, buf)
    return buf.getvalue()


def import_file(docx_path: str | Path, out: str | Path | None = None, *, force: bool = False) -> ImportResult:
    """Read a .docx and write the plan data file: the library call behind `kehoach import`."""
    source = Path(docx_path)
    target = Path(out) if out else source.with_suffix(".yaml")
    if target.exists() and target.resolve() == source.resolve():
        raise UserError(f"{target}: không ghi đè lên tệp gốc")
    if target.suffix.lower() not in (".yaml", ".yml"):
        raise UserError(f"{target}: tệp dữ liệu phải có đuôi .yaml")
    if target.exists() and not force:
        raise OutputExistsError(f"{target}: tệp đã có; dùng --force để ghi đè")
    result = read_docx(source)
    result.text = dump_yaml(result.data, source.name)
    try:
        validate(parse_yaml(result.text, str(target)))
    except DataError as exc:
        raise UserError("dữ liệu đọc được chưa hợp lệ, chưa ghi tệp:\n"
                        + "\n".join(str(p) for p in exc.problems)) from None
    result.output = atomic_write(target, result.text.encode("utf-8"))
    return result
