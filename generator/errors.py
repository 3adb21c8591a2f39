"""The error family. The command line turns these into messages and exit codes in one place."""

from __future__ import annotations

from dataclasses import dataclass


class KehoachError(Exception):
    """Root of every error this tool raises on purpose."""

    exit_code = 1


class InternalError(KehoachError):
    """A bug of kehoach's found by its own checks (what it made is not what it should be), not a
    mistake of the user's: exit code 70 (sysexits EX_SOFTWARE), and the command line writes the
    details to a log file to be reported, as for any unexpected exception."""

    exit_code = 70


class UserError(KehoachError):
    """A problem with what the user gave us (data, options, paths): exit code 2."""

    exit_code = 2


@dataclass(frozen=True)
class Problem:
    """One located mistake in a data file."""

    file: str
    line: int | None
    column: int | None
    path: str
    value: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}:{self.column or 1}"
        parts = [where]
        if self.path:
            parts.append(self.path)
        text = ": ".join(parts) + ": " + self.message
        if self.value is not None:
            text += f" (giá trị: {self.value})"
        return text


class DataError(UserError):
    """A data file with one or more mistakes; carries all of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class TemplateError(UserError):
    """A template that cannot be used (syntax error, forbidden construct, unknown variable)."""


class NotWritable(UserError):
    """A folder kehoach may not write into. The way to choose another is the command's own (its -o,
    init's THƯ-MỤC), which only the command line knows: it passes it to said(); str() names none,
    for a library call or the editor, whose page has no options."""

    def __init__(self, before: str, after: str) -> None:
        self.before, self.after = before, after
        super().__init__(self.said(None))

    def said(self, choose: str | None) -> str:
        return self.before + (f" ({choose})" if choose else "") + self.after


class OutputExistsError(UserError):
    """Refusing to overwrite a file without --force."""
