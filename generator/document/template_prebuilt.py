"""The default template's parts prepared beforehand: docxtpl's patch_xml and Jinja's compile, shipped.

Why: every render, batch and dossier prepares its template in the process that runs it: docxtpl's
patch_xml of each templated part (about 6 ms for the default template) and Jinja's compile of what
it gives (about 12 ms: lexing, parsing, writing the Python code). For the default template both give
the same text every time, so it is made once (`python -m generator.document.template_prebuilt`,
which writes PREBUILT) and shipped in the package. Python's own compile of the code is still done
at run time (about 2 ms), so nothing in the file depends on the Python version.

When it is used: a part whose XML has the sha256 a patched text was made from gets that text; a
Jinja source whose sha256 has code gets that code; only with the Jinja and docxtpl releases and the
environment's code-generating settings the file was made with (FINGERPRINT). Anything else, a
restyled or another template among them, is patched and compiled as before. Nothing is written at
run time. tests/test_template_prebuilt.py fails when the shipped file is not what this script makes
from the packaged template.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path
from typing import Any

import docxtpl
import jinja2

from ..resources import TEMPLATE, TEMPLATE_PREPARED, sealed, unsealed
from ..word import internals

PREBUILT = TEMPLATE_PREPARED


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def fingerprint(env: jinja2.Environment) -> dict[str, Any]:
    """What the prepared text depends on besides the part's XML: the releases of Jinja and docxtpl,
    and the settings of env that change the code Jinja writes (its class and the operators the
    sandbox intercepts, autoescape, the finalize function, the delimiters, the whitespace options)."""
    cls = type(env)
    return {
        "jinja2": jinja2.__version__, "docxtpl": docxtpl.__version__,
        "environment": f"{cls.__module__}.{cls.__qualname__}",
        "intercepted_binops": sorted(getattr(env, "intercepted_binops", ())),
        "intercepted_unops": sorted(getattr(env, "intercepted_unops", ())),
        "autoescape": repr(env.autoescape),
        "finalize": getattr(env.finalize, "__qualname__", repr(env.finalize)),
        "syntax": [env.block_start_string, env.block_end_string, env.variable_start_string,
                   env.variable_end_string, env.comment_start_string, env.comment_end_string,
                   env.line_statement_prefix, env.line_comment_prefix, env.trim_blocks, env.lstrip_blocks,
                   env.newline_sequence, env.keep_trailing_newline],
        "extensions": sorted(env.extensions),
    }


def prepared_data(template: Path) -> dict[str, Any]:
    """What PREBUILT holds for template: each templated part's XML patched, and each patched part's
    Jinja source compiled to Python code, keyed by the sha256 of what they are made from; the
    parts read as the renderer reads them (word.engine.CompiledTemplate), with its environment."""
    from .render import Template  # render imports this module: imported here only to make the file

    made = Template(template)
    helper = made.docxtpl_helper()
    raws = [helper.get_xml(), *(xml for _, xml, _ in internals.headers_footers(helper))]
    plain = internals.patcher()  # docxtpl's own patch_xml, not the prepared one
    patched: dict[str, str] = {}
    code: dict[str, str] = {}
    for raw in raws:
        text = plain.patch_xml(raw)
        patched[_sha(raw)] = text
        source = internals.jinja_source(text)
        code[_sha(source)] = made.env.compile(source, raw=True)  # raw: the code, never the prepared one
    return {"fingerprint": fingerprint(made.env), "patched": patched, "code": code}


@functools.cache
def _load() -> dict[str, Any] | None:
    text = unsealed(PREBUILT)  # None when missing or damaged: prepared as before
    return json.loads(text) if text is not None else None


def _matching(env: jinja2.Environment) -> dict[str, Any] | None:
    data = _load()
    return data if data is not None and data.get("fingerprint") == fingerprint(env) else None


def patched(raw: str, env: jinja2.Environment) -> str | None:
    """docxtpl's patch_xml(raw) made beforehand, or None."""
    data = _matching(env)
    return data["patched"].get(_sha(raw)) if data is not None else None


def code(source: str, env: jinja2.Environment) -> str | None:
    """The Python code env.compile(source, raw=True) gives, made beforehand, or None."""
    data = _matching(env)
    return data["code"].get(_sha(source)) if data is not None else None


def write_prebuilt() -> Path:
    """Write PREBUILT from the packaged default template."""
    PREBUILT.write_text(sealed(json.dumps(prepared_data(TEMPLATE), ensure_ascii=False, indent=0, sort_keys=True)
                               + "\n"), encoding="utf-8", newline="\n")
    return PREBUILT


if __name__ == "__main__":  # python -m generator.document.template_prebuilt: the file made again
    print(write_prebuilt())
