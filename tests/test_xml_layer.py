"""Nothing outside generator/word/ touches lxml or Word's XML names (docs/architecture.md): the
layer that parses XML is one place to audit for entities, bombs and the names of WordprocessingML.
Comments may name XML; code may not (imports of lxml, xml.etree or python-docx's oxml, qn(), "w:"
names, XML written as text)."""

from __future__ import annotations

import io
import re
import tokenize

from tests.paths import ROOT

PACKAGE = ROOT / "generator"
XML = re.compile(r"\bimport lxml|\bfrom lxml\b|\bxml\.etree\b|\bdocx\.oxml\b|\bqn\(|[\"']w:|<w:|\{W\}|\bW_NS\b")
ALLOWED = {
    "document/template_builder.py": (
        "writes the default template's XML as text from Decree 30's figures and the plan's styles: the "
        "template is its product; splitting out its XML writers is a refactor of its own"),
}


def _code(path) -> str:
    """The module's source without comments (strings and docstrings kept: "w:" names live there)."""
    out = []
    for tok in tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline):
        if tok.type != tokenize.COMMENT:
            out.append(tok.string)
    return " ".join(out)


def test_only_the_word_layer_touches_xml():
    offenders = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel.startswith("word/") or rel in ALLOWED:
            continue
        hits = sorted(set(XML.findall(_code(path))))
        if hits:
            offenders[rel] = hits
    assert not offenders, f"XML outside generator/word/ (move it into a word/ helper): {offenders}"


def test_the_allow_list_is_still_needed():
    for rel in ALLOWED:
        assert XML.search(_code(PACKAGE / rel)), f"{rel} no longer touches XML: drop it from ALLOWED"
