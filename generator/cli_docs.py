"""docs/lenh.md, the command reference, written from the argument parser itself.

Why generated: a hand-kept list of commands and options drifts from `kehoach --help` (as the README's
did). `python -m generator.cli_docs` rewrites the file; tests/test_docs.py regenerates it and fails
when the saved file differs, naming this command.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .cli import build_parser
from .word.package import atomic_write

DOC = Path(__file__).resolve().parent.parent / "docs" / "lenh.md"
WIDTH = 100  # the usage lines are wrapped at a fixed width, not the terminal's, so the file is stable


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def _summaries(parser: argparse.ArgumentParser) -> dict[str, str]:
    """The one-line help of each command, as `kehoach --help` lists it."""
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return {choice.dest: choice.help or "" for choice in action._choices_actions}


def _usage(parser: argparse.ArgumentParser) -> str:
    formatter = argparse.HelpFormatter(parser.prog, width=WIDTH)
    formatter.add_usage(parser.usage, parser._actions, parser._mutually_exclusive_groups, prefix="")
    return formatter.format_help().strip()


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _prose(text: str) -> str:
    """Help text outside code: "<tên tệp>" must not be read as an HTML tag."""
    return _cell(text).replace("<", "\\<")


def _arguments(parser: argparse.ArgumentParser) -> list[str]:
    rows = []
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        if action.option_strings:
            metavar = action.metavar or (action.dest.upper() if action.nargs != 0 else None)
            names = ", ".join(f"{flag} {metavar}" if metavar else flag for flag in action.option_strings)
        else:
            names = str(action.metavar or action.dest)
        extra = []
        if action.choices and not isinstance(action, argparse._SubParsersAction):
            extra.append("một trong: " + ", ".join(f"`{c}`" for c in action.choices))
        if action.required and action.option_strings:
            extra.append("bắt buộc")
        if isinstance(action, argparse._AppendAction):
            extra.append("dùng nhiều lần được")
        help_text = _prose(action.help or "")
        if extra:
            help_text += (" " if help_text else "") + "(" + "; ".join(extra) + ")"
        rows.append(f"| `{_cell(names)}` | {help_text} |")
    return rows


def reference() -> str:
    """The whole of docs/lenh.md."""
    parser = build_parser()
    summaries = _summaries(parser)
    commands = _subcommands(parser)
    out = [
        "# Tra cứu lệnh `kehoach`",
        "",
        "<!-- Sinh tự động từ generator/cli.py bởi `python -m generator.cli_docs`; đừng sửa tay. -->",
        "",
        f"{_prose(parser.description or '')} Hướng dẫn từng việc: [huong-dan.md](huong-dan.md).",
        "",
        "```",
        _usage(parser),
        "```",
        "",
        _prose(parser.epilog or ""),
        "",
        "| lệnh | việc |",
        "|---|---|",
        *(f"| [`kehoach {name}`](#kehoach-{name}) | {_prose(summaries.get(name, ''))} |" for name in commands),
    ]
    for name, sub in commands.items():
        out += ["", f"## kehoach {name}", "", "```", _usage(sub), "```", ""]
        if sub.description:
            out += [_prose(sub.description), ""]
        out += ["| tham số | ý nghĩa |", "|---|---|", *_arguments(sub)]
        if sub.epilog:
            out += ["", _prose(sub.epilog)]
    return "\n".join(out) + "\n"


def main() -> int:
    atomic_write(DOC, reference().encode("utf-8"))
    print(f"Đã ghi: {DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
