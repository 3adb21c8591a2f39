"""Issue 16, resource limits and tracebacks: no input exhausts the machine, every refusal is exit 2
with a Vietnamese message. Resource tests run the command line in a child process under an
address-space limit and a timeout (tests/limits_helpers.run_limited)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from generator import limits
from generator.cli import main
from generator.word.package import inspect_package, parse_xml
from tests.paths import ROOT, SAMPLE
from tests.limits_helpers import (TEMPLATE, part, rezip, run_limited, sample_docx_bytes,
                                  with_paragraph)

GB = 2**30


@pytest.fixture(scope="module")
def docx_bytes() -> bytes:
    return sample_docx_bytes()


def sample_with(tmp_path: Path, old: str, new: str, name: str = "kh.yaml") -> Path:
    text = SAMPLE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def no_traceback(run) -> None:
    assert "Traceback" not in run.err and "Error:" not in run.err.split("lỗi:")[0], run.err


# --- data files --------------------------------------------------------------------------------

def test_alias_bomb_is_capped_by_expanded_text(tmp_path: Path) -> None:
    # 270 KB of file, 3.2 GB of text once every alias is expanded; the node count alone let it by.
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text('a: &a "' + "x" * 270_000 + '"\nb: &b [' + ",".join(["*a"] * 100) + "]\n"
                    "c: [" + ",".join(["*b"] * 120) + "]\n", encoding="utf-8")
    run = run_limited(["validate", bomb], memory=1 * GB, timeout=60)
    assert run.code == 2, run.err
    assert "triệu ký tự" in run.err and "bí danh" in run.err
    no_traceback(run)


def test_dev_zero_and_huge_files_are_refused_by_size(tmp_path: Path) -> None:
    run = run_limited(["validate", "/dev/zero"], memory=1 * GB, timeout=60)
    assert run.code == 2 and "tệp quá lớn" in run.err, run.err
    no_traceback(run)


@pytest.mark.parametrize("depth", [500, 100_000])
def test_deep_nesting_is_located_in_every_command(tmp_path: Path, depth: int) -> None:
    deep = sample_with(tmp_path, "  abbreviation: SKHCN", "  abbreviation: " + "[" * depth + "]" * depth)
    line = next(i for i, t in enumerate(deep.read_text(encoding="utf-8").splitlines(), 1) if "[[[" in t)
    for args in (["validate", deep], ["render", deep, "-o", tmp_path / "o.docx"], ["check", deep],
                 ["rollover", deep, "--year", "2025", "-o", tmp_path / "n.yaml"]):
        run = run_limited(args, memory=1 * GB, timeout=60)
        assert run.code == 2, (args, run.err)
        assert f"kh.yaml:{line}:" in run.err and f"lồng nhau quá {limits.MAX_DEPTH} cấp" in run.err
        no_traceback(run)
    assert not (tmp_path / "o.docx").exists() and not (tmp_path / "n.yaml").exists()


def test_deep_units_file_does_not_crash_the_fast_parser(tmp_path: Path) -> None:
    # libyaml composes recursively in C: 100,000 levels was a segmentation fault, not a message.
    units = tmp_path / "units.yaml"
    units.write_text("mode: implementing\nunits: " + "[" * 100_000 + "]" * 100_000 + "\n")
    run = run_limited(["batch", SAMPLE, "--units", units, "-o", tmp_path / "out"], memory=1 * GB, timeout=60)
    assert run.code == 2 and "units.yaml:2:" in run.err and "lồng nhau" in run.err, run.err


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le"])
def test_utf16_files_are_named_for_what_they_are(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "kh.yaml"
    path.write_bytes(SAMPLE.read_text(encoding="utf-8").encode(encoding))
    run = run_limited(["validate", path], timeout=60)
    assert run.code == 2 and "UTF-16" in run.err and "UTF-8" in run.err and "nhị phân" not in run.err


@pytest.mark.parametrize("head", [None, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), b"{\\rtf1\\ansi x}"])
def test_a_word_document_given_as_data_says_to_import_it(tmp_path: Path, head: bytes | None) -> None:
    # A .docx (the template is one), a .doc (OLE2) or an .rtf handed where the plan's data is wanted.
    path = tmp_path / "ke-hoach-2025.docx"
    path.write_bytes((ROOT / "templates" / "kehoach.docx").read_bytes() if head is None else head)
    for command in (["validate", path], ["render", path, "-o", tmp_path / "out.docx"]):
        run = run_limited(command, timeout=60)
        assert run.code == 2 and "kehoach import" in run.err and "nhị phân" not in run.err, run.err
    assert not (tmp_path / "out.docx").exists()


@pytest.mark.parametrize("field,old,new", [
    ("agency.name", "  name: Sở Khoa học và Công nghệ  ", "  name: " + "Sở Khoa học " * 30),
    ("agency.abbreviation", "  abbreviation: SKHCN", "  abbreviation: " + "S" * 260),
])
def test_overlong_agency_names_are_located_not_a_traceback(tmp_path, capsys, field, old, new) -> None:
    data = sample_with(tmp_path, old, new)
    assert main(["render", str(data), "-o", str(tmp_path / "o.docx")]) == 2
    err = capsys.readouterr().err
    assert re.search(rf"kh\.yaml:\d+:\d+: {field}: dài \d+ ký tự", err), err
    assert not (tmp_path / "o.docx").exists()


def test_superscript_number_is_refused(tmp_path, capsys) -> None:
    data = tmp_path / "kh.yaml"
    shutil.copy(SAMPLE, data)
    for bad in ("²", "١٢٥", "１２５"):
        assert main(["render", str(data), "--final", "--number", bad, "--date", "2024-03-20",
                     "-o", str(tmp_path / "o.docx")]) == 2
        assert "số văn bản" in capsys.readouterr().err
    assert not (tmp_path / "o.docx").exists()


# --- .docx packages ----------------------------------------------------------------------------

def _paragraph_bomb(docx_bytes: bytes, count: int) -> bytes:
    doc = part(docx_bytes, "word/document.xml")
    at = doc.index(b"<w:body>") + len(b"<w:body>")
    return rezip(docx_bytes, replace={"word/document.xml": doc[:at] + b"<w:p/>" * count + doc[at:]})


@pytest.mark.parametrize("count,reason", [
    (2_000_000, "zip bomb"),  # 34 KB on disk, 12 MB of XML: ratio ~500
    (300_000, "đoạn văn"),  # small enough to escape the ratio rule, caught by the count
])
def test_empty_paragraph_bombs_are_refused_before_reading(tmp_path, docx_bytes, count, reason) -> None:
    bomb = tmp_path / "bomb.docx"
    bomb.write_bytes(_paragraph_bomb(docx_bytes, count))
    for args in (["check", bomb], ["import", bomb, "-o", tmp_path / "x.yaml"], ["check-template", bomb],
                 ["render", SAMPLE, "--template", bomb, "-o", tmp_path / "o.docx"]):
        run = run_limited(args, memory=int(1.5 * GB), timeout=60)
        assert run.code == 2 and reason in run.err, (args, run.err)
        no_traceback(run)
    assert not (tmp_path / "x.yaml").exists() and not (tmp_path / "o.docx").exists()


def test_declared_part_size_over_the_limit_is_refused(tmp_path, docx_bytes) -> None:
    # 70 MB of spaces inside document.xml: over the per-part limit whatever the ratio.
    doc = part(docx_bytes, "word/document.xml")
    big = doc.replace(b"<w:body>", b"<w:body>" + b" " * (limits.MAX_PART_BYTES + 2**20), 1)
    bomb = tmp_path / "big.docx"
    bomb.write_bytes(rezip(docx_bytes, replace={"word/document.xml": big}))
    run = run_limited(["check", bomb], memory=1 * GB, timeout=60)
    assert run.code == 2 and "vượt giới hạn" in run.err, run.err


def test_deep_style_chain_is_refused_quickly(tmp_path, docx_bytes) -> None:
    styles = part(docx_bytes, "word/styles.xml")
    def style(i: int) -> bytes:
        based = f'<w:basedOn w:val="S{i - 1}"/>' if i else ""
        return f'<w:style w:type="paragraph" w:styleId="S{i}"><w:name w:val="S{i}"/>{based}</w:style>'.encode()

    chain = b"".join(style(i) for i in range(2000))
    styles = styles.replace(b"</w:styles>", chain + b"</w:styles>")
    doc = tmp_path / "styles.docx"
    doc.write_bytes(rezip(docx_bytes, replace={"word/styles.xml": styles}))
    run = run_limited(["check", doc], memory=int(1.5 * GB), timeout=30)
    assert run.code == 2 and "basedOn" in run.err, run.err


def test_duplicated_member_is_refused(tmp_path, docx_bytes) -> None:
    doc = tmp_path / "dup.docx"
    doc.write_bytes(rezip(docx_bytes, duplicate="word/document.xml"))
    for args in (["check", doc], ["import", doc, "-o", tmp_path / "x.yaml"], ["check-template", doc]):
        run = run_limited(args, timeout=60)
        assert run.code == 2 and "hai lần" in run.err, (args, run.err)


def test_entity_laden_theme_is_refused_and_never_resolved(tmp_path, docx_bytes) -> None:
    theme = part(docx_bytes, "word/theme/theme1.xml")
    evil = theme.replace(b"?>", b'?><!DOCTYPE a:theme [<!ENTITY x SYSTEM "file:///etc/passwd">]>', 1)
    evil = re.sub(rb'name="[^"]*"', b'name="&x;"', evil, count=1)
    doc = tmp_path / "xxe.docx"
    doc.write_bytes(rezip(docx_bytes, replace={"word/theme/theme1.xml": evil}))
    for args in (["check", doc], ["import", doc, "-o", tmp_path / "x.yaml"], ["check-template", doc],
                 ["render", SAMPLE, "--template", doc, "-o", tmp_path / "o.docx"]):
        run = run_limited(args, timeout=60)
        assert run.code == 2 and "DTD" in run.err and "root:" not in run.err, (args, run.err)


def test_broken_theme_is_a_message(tmp_path, docx_bytes) -> None:
    doc = tmp_path / "theme.docx"
    doc.write_bytes(rezip(docx_bytes, replace={"word/theme/theme1.xml": b"<a:theme><unclosed>"}))
    run = run_limited(["check", doc], timeout=60)
    assert run.code == 2 and "theme" in run.err, run.err
    no_traceback(run)


def test_parser_for_user_xml_never_resolves_entities(tmp_path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("BÍ MẬT")
    root = parse_xml(f'<!DOCTYPE r [<!ENTITY e SYSTEM "{secret.as_uri()}">]><r>&e;</r>'.encode())
    assert "BÍ MẬT" not in (root.text or "")
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert re.search(r'"lxml>=5', pyproject), "lxml < 5 resolves external entities by default"


def test_password_protected_and_old_doc_files_are_named(tmp_path) -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
    locked = tmp_path / "locked.docx"
    locked.write_bytes(ole + "EncryptionInfo".encode("utf-16-le") + b"\0" * 64
                       + "EncryptedPackage".encode("utf-16-le") + b"\0" * 1024)
    old = tmp_path / "old.docx"
    old.write_bytes(ole + "WordDocument".encode("utf-16-le") + b"\0" * 1024)
    run = run_limited(["check", locked], timeout=60)
    assert run.code == 2 and "mật khẩu" in run.err and "hỏng" not in run.err, run.err
    run = run_limited(["import", old, "-o", tmp_path / "x.yaml"], timeout=60)
    assert run.code == 2 and ".doc cũ" in run.err, run.err


# --- templates ---------------------------------------------------------------------------------

MACRO_DOC = "application/vnd.ms-word.document.macroEnabled.main+xml"
DOTX = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
DOCX_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


@pytest.mark.parametrize("content_type,what", [(MACRO_DOC, ".docm"), (DOTX, ".dotx")])
def test_docm_and_dotx_templates_are_named(tmp_path, capsys, content_type, what) -> None:
    tpl = TEMPLATE.read_bytes()
    types = part(tpl, "[Content_Types].xml").replace(DOCX_MAIN, content_type.encode())
    path = tmp_path / "t.docx"
    path.write_bytes(rezip(tpl, replace={"[Content_Types].xml": types}))
    assert main(["check-template", str(path)]) == 2
    assert what in capsys.readouterr().err
    assert main(["render", str(SAMPLE), "--template", str(path), "-o", str(tmp_path / "o.docx")]) == 2
    err = capsys.readouterr().err
    assert what in err and "BytesIO" not in err
    assert not (tmp_path / "o.docx").exists()


def test_macros_and_external_relationships_are_refused(tmp_path, capsys) -> None:
    tpl = TEMPLATE.read_bytes()
    rels = part(tpl, "word/_rels/document.xml.rels").replace(b"</Relationships>", (
        b'<Relationship Id="rIdX1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/image" Target="http://tracker.example/p.png" TargetMode="External"/>'
        b'<Relationship Id="rIdX2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/image" Target="file://///attacker/share/a.png" TargetMode="External"/>'
        b'<Relationship Id="rIdX3" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/hyperlink" Target="https://chinhphu.vn" TargetMode="External"/>'
        b"</Relationships>"))
    path = tmp_path / "t.docx"
    path.write_bytes(rezip(tpl, replace={"word/_rels/document.xml.rels": rels},
                           add={"word/vbaProject.bin": b"\0" * 64}))
    assert main(["check-template", str(path)]) == 2
    err = capsys.readouterr().err
    assert "macro" in err and "tracker.example" in err and "attacker" in err
    assert "chinhphu.vn" not in err  # a web link is only followed when clicked
    assert main(["render", str(SAMPLE), "--template", str(path), "-o", str(tmp_path / "o.docx")]) == 2
    assert not (tmp_path / "o.docx").exists()


@pytest.mark.parametrize("tag,word", [("{% include 'a.xml' %}", "include"),
                                       ("{% extends 'a.xml' %}", "extends"),
                                       ("{% import 'a.xml' as m %}", "import"),
                                       ("{% from 'a.xml' import x %}", "import")])
def test_include_extends_import_are_refused_by_the_check(tmp_path, capsys, tag, word) -> None:
    path = tmp_path / "t.docx"
    path.write_bytes(with_paragraph(TEMPLATE.read_bytes(), tag))
    assert main(["check-template", str(path)]) == 2
    assert f"{{% {word} %}}" in capsys.readouterr().err


@pytest.mark.parametrize("expr,reason", [
    ("{{ 1/0 }}", "chia cho 0"),
    ("{{ 1 + 'a' }}", "cộng số với chữ"),
    ("{{ 10**5000 }}", "lũy thừa"),
    ("{{ range(10**20)|length }}", "số quá lớn"),
    ("{{ 'a' * 10**9 }}", "quá dài"),
])
def test_template_runtime_errors_are_located_messages(tmp_path, expr, reason) -> None:
    path = tmp_path / "t.docx"
    path.write_bytes(with_paragraph(TEMPLATE.read_bytes(), expr))
    run = run_limited(["render", SAMPLE, "--template", path, "-o", tmp_path / "o.docx"],
                      memory=3 * GB, timeout=60)
    assert run.code == 2 and reason in run.err and "gần đoạn:" in run.err, run.err
    assert expr.replace(" ", "")[:6] in run.err.replace(" ", "")
    no_traceback(run)
    assert not (tmp_path / "o.docx").exists()


@pytest.mark.parametrize("body", [
    # 10^10 iterations: stopped by the time budget (lowered to 3 s here)
    "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
    # a string doubled 40 times: stopped by the memory budget
    "{% set ns = namespace(s='a') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}"
    "{{ ns.s|length }}",
])
def test_user_template_runs_in_a_time_and_memory_budget(tmp_path, body) -> None:
    path = tmp_path / "t.docx"
    path.write_bytes(with_paragraph(TEMPLATE.read_bytes(), body))
    run = run_limited(["render", SAMPLE, "--template", path, "-o", tmp_path / "o.docx"],
                      memory=4 * GB, timeout=90, setup="import generator.limits as L; L.TEMPLATE_SECONDS = 3")
    assert run.code == 2, run.err
    assert "mẫu chạy quá 3 giây hoặc dùng quá" in run.err and "MB bộ nhớ" in run.err
    no_traceback(run)
    assert not (tmp_path / "o.docx").exists()


def test_guard_accepts_every_document_we_make(docx_bytes) -> None:
    info = inspect_package(docx_bytes)
    assert not info.external and not info.macros
    inspect_package(TEMPLATE)


# --- rollover ----------------------------------------------------------------------------------

SUBJECT = "subject: Truyền thông về hoạt động kiểm soát thủ tục hành chính năm 2024 của Sở"


def test_rollover_treats_a_slash_period_as_a_period(tmp_path, capsys) -> None:
    data = sample_with(tmp_path, SUBJECT, SUBJECT.replace("năm 2024", "năm học 2024/2025"))
    out = tmp_path / "new.yaml"
    assert main(["rollover", str(data), "--year", "2025", "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "năm học 2024/2025" in text and "2025/2025" not in text
    assert "giai đoạn 2024 - 2025" in capsys.readouterr().out


def test_rollover_keeps_a_raw_word_line_break(tmp_path, capsys) -> None:
    data = sample_with(tmp_path, SUBJECT, SUBJECT.replace("Truyền thông về", "Truyền thông\x0bvề"))
    assert main(["render", str(data), "-o", str(tmp_path / "d.docx")]) == 0  # render accepts it
    out = tmp_path / "new.yaml"
    assert main(["rollover", str(data), "--year", "2025", "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "Truyền thông\x0bvề" in text and "năm 2025" in text
    assert main(["validate", str(out)]) == 0
