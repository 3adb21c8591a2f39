"""The README cannot drift from the command line: every command and option is documented."""

from __future__ import annotations

import argparse
from pathlib import Path

from generator.cli import build_parser

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
USER_DOCS = README + "".join(p.read_text(encoding="utf-8") for p in sorted(
    (Path(__file__).resolve().parent.parent / "docs").glob("*.md")))
"""The README and the user guides beside it (issue 29: a short README, the rest in docs/)."""


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_every_command_is_in_the_readme_table():
    for name in _subcommands():
        assert f"`kehoach {name}" in README, f"README has no row for `kehoach {name}`"


def test_every_long_option_is_mentioned_in_the_readme():
    for name, sub in _subcommands().items():
        for action in sub._actions:
            flags = [f for f in action.option_strings if f not in ("-h", "--help")]
            if flags:  # the short or the long form
                assert any(f"{f} " in USER_DOCS or f"{f}]" in USER_DOCS or f"{f}`" in USER_DOCS for f in flags), \
                    f"README and docs/ do not mention {flags} of `kehoach {name}`"


def test_help_is_in_vietnamese():
    text = build_parser().format_help()
    assert "tùy chọn" in text and "hiện hướng dẫn" in text and "show this help" not in text
