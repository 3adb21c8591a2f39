"""Decree 30 recognised in a Word document: the one recogniser that `check` and `import` consume.

Above the neutral reader (generator/word/reader.py, which knows no Decree 30): `lines` parses the
lines Decree 30 gives a form (Số, date, authority, reference, tên loại, body numbering), `columns`
says which paragraphs are a header or a signature set with tab stops, `parts` locates every part,
`appendices` the appendices and their catalogue rows, `attached` a decision and the document it
issues printed in one file, `model` holds the result (`KeHoach`).
"""

from __future__ import annotations

from pathlib import Path

from ..word.reader import WordDocument, read_word
from .columns import tab_columns
from .model import KeHoach


def recognise(word: WordDocument) -> KeHoach:
    """The parts of what a Word file prints: one document, or a decision and the document it issues
    printed after it (recognise.attached: the second in the first's `attached`). The one call `check`
    and `import` make, through read_docx."""
    # Imported here, not above: importing any module of the recogniser runs this package first, and
    # the check of a data file needs only `lines` and `model`; locating the parts of a Word file
    # (attached, parts, appendices) cost it about 10 ms of modules and patterns it never ran.
    from .attached import recognise_file

    return recognise_file(word)


def read_docx(path: str | Path) -> KeHoach:
    """Open a .docx, read it (word.reader) and locate every part; UserError when the file is not a
    readable .docx. A decision followed by the document it issues is read as two (recognise.attached)."""
    return recognise(read_word(path, columns=tab_columns))
