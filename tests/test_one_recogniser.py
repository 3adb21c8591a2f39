"""Issue 22: one neutral reader (generator/word), one recogniser (generator/recognise) above it.

- The neutral reader holds no Decree 30 vocabulary: what a document's parts are is decided above it.
- `check` and `import` find the same parts by construction: each recognises the file once, through
  the one recogniser, and the importer's data are made from that result (issuer, Số, date, type,
  trích yếu, recipients, signer, appendices with their catalogue rows), on every corpus plan and on
  the plans the fixtures build.
- Neither consumer locates a part itself (with the recogniser's part-finding patterns) nor reads the
  .docx past the recogniser.
"""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path
from typing import Any

import docx
import pytest

import generator.recognise as recognise_pkg
from generator.check import check_docx
from generator.jobs.importer import import_docx
from generator.recognise.lines import ARCHIVE_RE
from generator.recognise.model import KeHoach
from generator.text import upper_vi
from generator.word.reader import norm
from tests.paths import ROOT
from tests.test_check_invariance import APPENDIX, BODY, ENCODINGS, _plain
from tests.word_fixtures import Header, build_plan

PACKAGE = ROOT / "generator"
CORPUS = ROOT.parent / "shared" / "corpus"
PLANS = sorted((CORPUS / "ke-hoach").glob("*.docx")) if (CORPUS / "ke-hoach").is_dir() else []

# What only a Decree 30 recogniser needs: the names of the parts, the fixed texts it looks for, its
# parsers and its result. Identifiers are matched as written, Vietnamese words whatever their case.
IDENTIFIERS = re.compile(r"\b(?:quoc_hieu|tieu_ngu|noi_nhan|kinh_gui|KeHoach|AppendixPart|CatalogueRow|"
                         r"parse_number_line|parse_date_line|parse_authority|parse_reference|recognise_type|"
                         r"appendix_starts|appendix_heading|TYPE_ABBREVIATIONS|NUMBER_RE|DATE_RE)\b")
WORDS = ("quốc hiệu", "tiêu ngữ", "nơi nhận", "kính gửi", "kế hoạch",
         "trích yếu", "tên loại", "ký hiệu")
# Patterns that decide where a part is: only the recogniser may use them.
LOCATORS = re.compile(r"\b(?:QUOC_HIEU_RE|TIEU_NGU_RE|NOI_NHAN_RE|KINH_GUI_RE|VV_RE|NUMBER_RE|DATE_RE|"
                      r"APPENDIX_HEAD_RE|APPENDIX_REF_RE|ADMIN_UNIT_RE|read_word|visible_text|text_boxes)\b")


def _source(path: Path, *, comments: bool = True) -> str:
    text = path.read_text(encoding="utf-8")
    if comments:
        return text
    return " ".join(t.string for t in tokenize.generate_tokens(io.StringIO(text).readline)
                    if t.type != tokenize.COMMENT)


def test_the_word_layer_holds_no_decree_30_vocabulary():
    found = {}
    for path in sorted((PACKAGE / "word").glob("*.py")):
        text = _source(path)
        hits = sorted(set(IDENTIFIERS.findall(text)) | {w for w in WORDS if w in text.casefold()})
        if hits:
            found[path.name] = hits
    assert not found, f"Decree 30 in generator/word/ (move it to generator/recognise/): {found}"


def test_the_vocabulary_test_sees_the_recogniser():
    """The word list is the recogniser's own: each entry is in generator/recognise (not a list of
    words that could never be found)."""
    text = " ".join(_source(p) for p in sorted((PACKAGE / "recognise").glob("*.py")))
    assert set(IDENTIFIERS.findall(text)) >= {"quoc_hieu", "noi_nhan", "KeHoach", "parse_number_line"}
    assert [w for w in WORDS if w not in text.casefold()] == []


def test_check_and_import_locate_no_part_themselves():
    consumers = [PACKAGE / "jobs" / "importer.py", *sorted((PACKAGE / "check").glob("*.py"))]
    found = {p.name: sorted(set(LOCATORS.findall(_source(p, comments=False)))) for p in consumers}
    assert {k: v for k, v in found.items() if v} == {}


# --- check and import consume one recogniser result ------------------------------------------------


def _recognised(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[list[KeHoach], dict[str, Any]]:
    """Check and import one file, keeping every result of the one recogniser."""
    seen: list[KeHoach] = []
    real = recognise_pkg.recognise

    def spy(word: Any) -> KeHoach:
        seen.append(real(word))
        return seen[-1]

    monkeypatch.setattr(recognise_pkg, "recognise", spy)
    check_docx(path)
    data = import_docx(path).data
    return seen, data


def _parts(doc: KeHoach) -> dict[str, Any]:
    """Where each part stands: the line indices of every part the importer uses."""
    def at(paras):
        return [p.index for p in paras if p is not None]
    return {
        "issuer": at(doc.issuer_lines), "parent": at(doc.parent_lines), "number": at([doc.number_line]),
        "date": at([doc.date_line]), "type": (doc.document_type, at([doc.doc_type])),
        "subject": at(doc.subject_lines), "subtitle": at(doc.subtitle), "noi_nhan": at([doc.noi_nhan]),
        "recipients": at(doc.recipients), "signer": at([*doc.signer_lines, *doc.signer_rank, doc.signer_name, *doc.after_name]),
        "appendices": [(a.heading.index, at(a.names), at(a.head), a.titled, [(r.number, r.para.index) for r in a.rows])
                       for a in doc.appendices],
    }


def _strings(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for v in node.values() for s in _strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    return []


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", upper_vi(norm(text)))


def _lines(value: Any) -> list[str]:
    return [norm(x) for v in (value if isinstance(value, list) else [value]) for x in str(v).split("\n")]


def _imported_from(doc: KeHoach, data: dict[str, Any]) -> list[str]:
    """What of the importer's data is not the recogniser's parts (empty: all of it is)."""
    wrong = []
    if doc.issuer_lines and _squash(" ".join(_lines(data["agency"]["name"]))) != _squash(doc.issuer_name):
        wrong.append(f"issuer {data['agency']['name']!r} is not {doc.issuer_name!r}")
    number = doc.number
    if (int(number.number) if number and number.number else None) != data.get("number"):
        wrong.append(f"number {data.get('number')!r} is not {number and number.number!r}")
    date = doc.date
    if date is not None and (not str(data["date"]).startswith(str(date.year)) or data["agency"]["place"] != date.place):
        wrong.append(f"date {data['date']!r}/{data['agency']['place']!r} is not {date.text!r}")
    if doc.document_type != "Kế hoạch":
        wrong.append(f"imported a {doc.document_type}")
    if doc.subject_lines and _lines(data["subject"]) != [p.text for p in doc.subject_lines]:
        wrong.append(f"subject {data['subject']!r} is not {[p.text for p in doc.subject_lines]!r}")
    printed = _squash(" ".join([doc.noi_nhan_rest, *(p.text for p in doc.recipients)]))
    for entry in data.get("recipients", []):
        if _squash(entry) not in printed:
            wrong.append(f"recipient {entry!r} is not among the recipients the recogniser found")
    archive = [p for p in doc.recipients if ARCHIVE_RE.match(p.text)]
    if bool(archive) != ("archive" in data):
        wrong.append(f"archive {data.get('archive')!r} but the recognised Lưu lines are {archive!r}")
    if doc.signer_name is not None and data["signer"]["name"].split("\n")[0] != doc.signer_name.text:
        wrong.append(f"signer {data['signer']['name']!r} is not {doc.signer_name.text!r}")
    apps = data.get("appendices", [])
    if len(apps) != len(doc.appendices):
        wrong.append(f"{len(apps)} appendices imported, {len(doc.appendices)} recognised")
    for found, app in zip(doc.appendices, apps):
        # Stored as Decree 30 writes it, printed as the heading prints it (in capitals unless upper: false).
        printed = upper_vi(app["title"]) if app.get("upper", True) else app["title"]
        if found.titled and printed != found.heading.text:
            wrong.append(f"appendix {app['title']!r} is not {found.heading.text!r}")
        names = [norm(x) for p in found.names for x in [p.text] if x]
        if names and _squash(" ".join(_lines(app.get("subtitle", "")))) != _squash(" ".join(names)):
            wrong.append(f"appendix name {app.get('subtitle')!r} is not {names!r}")
        ref = app.get("reference_line")
        if ref is not None and ref != (found.reference.text if found.reference is not None else False):
            wrong.append(f"appendix reference {ref!r} is not {found.reference and found.reference.text!r}")
        text = _squash(" ".join(_strings(app)))
        lost = [r.para.text for r in found.rows if r.para.text and _squash(r.para.text) not in text]
        if lost:
            wrong.append(f"catalogue rows not imported: {lost[:3]}")
    return wrong


def _assert_one_recogniser(path: Path, monkeypatch: pytest.MonkeyPatch) -> KeHoach:
    seen, data = _recognised(path, monkeypatch)
    assert len(seen) == 2, f"{path.name}: check and import must each recognise the file once, got {len(seen)}"
    checked, imported = seen
    assert _parts(checked) == _parts(imported), path.name
    assert _imported_from(imported, data) == [], path.name
    return imported


def _fixture_plans(tmp_path: Path) -> list[Path]:
    out = [_plain(tmp_path / "plain.docx")]
    for name in ("quoc-hieu-tieu-ngu-mot-doan", "noi-nhan-mot-doan", "phan-dau-diem-dung-tab", "phan-ky-trong-khung",
                 "ho-ten-duoi-bang", "phan-ky-diem-dung-tab", "bang-gop-o-kieu-cu", "danh-so-tu-dong"):
        doc = docx.Document(str(out[0]))
        ENCODINGS[name](doc)
        doc.save(str(tmp_path / f"{name}.docx"))
        out.append(tmp_path / f"{name}.docx")
    out.append(build_plan(tmp_path / "two-appendices.docx", header=Header(issuer_one_paragraph="break"), body=BODY,
                          appendices=[APPENDIX, APPENDIX], appendix_landscape=[True, False]))
    out.append(build_plan(tmp_path / "no-appendix.docx", body=BODY, subtitle="(Ban hành kèm theo Quyết định số "
                          "12/QĐ-SVHTT ngày 02/3/2026 của Sở Văn hóa và Thể thao)"))
    return out


def test_check_and_import_consume_one_recogniser_on_the_fixtures(tmp_path, monkeypatch):
    for path in _fixture_plans(tmp_path):
        doc = _assert_one_recogniser(path, monkeypatch)
        assert doc.issuer_lines and doc.number_line and doc.signer_name and doc.recipients, path.name
    two = _assert_one_recogniser(tmp_path / "two-appendices.docx", monkeypatch)
    assert [len([r for r in a.rows if r.number != "STT"]) for a in two.appendices] == [5, 5]


@pytest.mark.skipif(not PLANS, reason="corpus not present")
def test_check_and_import_consume_one_recogniser_on_every_corpus_plan(monkeypatch):
    wrong = {}
    for path in PLANS:
        try:
            _assert_one_recogniser(path, monkeypatch)
        except AssertionError as exc:
            wrong[path.name] = str(exc)[:400]
    assert wrong == {}


@pytest.mark.parametrize("recipients, entries, archive", [
    # an entry continued on a second line by hand (no "- ", the line above not closed)
    (("- Ủy ban Kiểm tra, Ban xây dựng Đảng,", "Văn phòng;", "- Lưu: VT, VP."),
     ["Ủy ban Kiểm tra, Ban xây dựng Đảng, Văn phòng"], ["VT", "VP"]),
    # "Lưu: …" under an entry left open stands alone: it is the archive line, not a continuation
    (("- Như trên", "Lưu: VT."), ["Như trên"], ["VT"]),
    # a unit whose name runs on "Lưu trữ …" (no colon) on the line typed under it continues it
    (("- Trung tâm", "Lưu trữ lịch sử tỉnh;", "- Lưu: VT, VP."), ["Trung tâm Lưu trữ lịch sử tỉnh"], ["VT", "VP"]),
])
def test_check_and_import_read_the_recipient_list_alike(tmp_path, recipients, entries, archive):
    path = build_plan(tmp_path / "noi-nhan.docx", recipients=recipients)
    data = import_docx(path).data
    assert (data["recipients"], data["archive"]) == (entries, archive)
    form = [r for r in check_docx(path).results if r.rule == "PL1.III.9.noi-nhan.hinh-thuc"]
    # the checker judges the same entries: the continued line is not "an entry without - ", and the
    # last entry it judges is the archive line itself
    assert form and "phải bắt đầu" not in (form[0].message or ""), form[0].message
    assert form[0].measured.endswith(f"dòng cuối “{recipients[-1]}”"), form[0].measured
