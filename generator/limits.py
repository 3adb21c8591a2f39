"""Hard limits on what one input may cost, and the budget user templates and uploaded files run in.

Why limits at all: kehoach runs on clerks' desktops and on office servers that `check` and `import`
uploaded files. A few kilobytes of YAML aliases, a zip bomb or a template with a runaway loop must
end in one Vietnamese message, never in a machine out of memory or a process running forever.

Each limit is several times what a real plan needs: a plan of 10,000 tasks (far larger than any
real Kế hoạch) is a 3.3 MB data file, an 11 MB document.xml of 50,000 paragraphs, 5 s to render
and 21 s to check. The README (section "Khi dữ liệu sai") states these numbers; keep both in step.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Iterator

from .errors import UserError

# --- data files (generator.plan.loader) ------------------------------------------------------------

MAX_DATA_BYTES = 32 * 1024 * 1024
"""A data file larger than this is refused before it is parsed (also stops /dev/zero)."""

MAX_TEXT_CHARS = 32 * 1024 * 1024
"""Characters of text a data file may expand to, aliases (*a) counted at every use."""

MAX_DEPTH = 64
"""Levels of nesting (groups inside lists inside groups) in a data file; a plan needs about 8."""

MAX_BLOCK_LEVELS = 10
"""Scopes an imported plan nests under a mục (khoản "1.1.1.", điểm, parts): Word's lists have nine
levels. Each scope is up to four levels of the data file and a table in it about ten more, so the
deepest import stays within MAX_DEPTH; numbering deeper is kept as text at the tenth."""

MAX_NAME_CHARS = 255
"""Longest agency name: Word stores it in the document's author property, which holds 255."""

MAX_ABBREVIATION_CHARS = 60
"""Longest agency abbreviation (ký hiệu "KH-…" is stored in a 255-character property too)."""

# --- .docx packages (generator.word.package.inspect_package) ----------------------------------

MAX_DOCX_BYTES = 64 * 1024 * 1024
"""Size of a .docx file on disk."""

MAX_MEMBERS = 2000
"""Parts in a .docx package (a Word document has 10 to 40; each image adds one)."""

MAX_ALT_CHUNKS = 500
"""Embedded chunks (w:altChunk: HTML, RTF, a .docx…) in one .docx (generator.word.alt_chunks): an
export writes one, a merge of documents one per document. Counted as the w:altChunk elements stand,
before any is judged (a part may hold a million in a few megabytes)."""

MAX_PART_BYTES = 64 * 1024 * 1024
"""Declared uncompressed size of one part."""

MAX_TOTAL_BYTES = 256 * 1024 * 1024
"""Declared uncompressed size of all parts together."""

MAX_RATIO = 250
"""Compression ratio above which a large part is a zip bomb (real documents stay under 100)."""

RATIO_FLOOR = 4 * 1024 * 1024
"""Parts smaller than this are not judged by their ratio: small repetitive XML compresses well."""

MAX_PARAGRAPHS = 250_000
"""Paragraphs in one XML part (a plan of 10,000 tasks has 50,000)."""

MAX_ELEMENTS = 4_000_000
"""XML tags in one part (a plan of 10,000 tasks has 725,000)."""

MAX_STYLES = 5000
"""Styles in styles.xml (Word itself stops near 4,000)."""

MAX_TABLE_DEPTH = 32
"""Tables nested in tables (a plan nests 2 or 3; the XML parser itself stops near 80): deeper is
refused with its own message instead of "broken file"."""

MAX_STYLE_DEPTH = 48
"""Length of a basedOn chain of styles (Word's built-in ones are 2 or 3 deep)."""

MAX_ATTRIBUTES = 256
"""Attributes of one tag of a web page (generator.word.webdoc; Word writes a dozen at most): counted
before the page is parsed, because libxml2's HTML parser compares each new attribute of a tag with
all before it, in C code no alarm interrupts (one tag of 40,000 attributes took 1.5 s, of a million
about 15 minutes)."""

MAX_MIME_PARAMETERS = 64
"""Semicolons in one header block of an MHTML message (generator.word.webdoc; Word writes two or
three parameters to a part): counted before the message is parsed, because Python's email package
looks for each parameter's end by counting the quotes before it, again for every semicolon (80,000
semicolons in an 80 kB header took 8 s, a megabyte would take twenty minutes)."""

# --- spreadsheets (generator.word.sheet_guard, generator.plan.sheets) ------------------------------

MAX_SHEET_BYTES = 64 * 1024 * 1024
"""Size of a spreadsheet file on disk (.xlsx, .xlsm, .ods, .xls); a .csv is a data file (MAX_DATA_BYTES)."""

MAX_SHEET_CELLS = 200_000
"""Cells in the area a sheet spans (first to last used row and column) and cells under merges:
a catalogue of 20,000 rows by 10 columns. Counted before any reader builds a cell."""

MAX_SHARED_STRINGS = 500_000
"""Strings in an .xlsx's shared string table, counted in its bytes before a reader opens the
workbook: openpyxl and calamine read the whole table before the first cell, whatever the sheets
use (1.5 million unused strings in an 8 MB upload took 30 s and 300 MB to read one empty sheet).
Excel keeps only the strings its cells use: a catalogue of MAX_SHEET_CELLS cells has at most as
many, and a workbook of a few such sheets stays well within."""

MAX_CELL_CHARS = 32_767
"""Characters in one cell: Excel's own limit, so a longer cell was not typed in Excel."""

MAX_TABLE_COLUMNS = 63
"""Columns of one table: Word's own limit (it cannot insert a 64th). A catalogue sheet wider is
said at its header's 64th cell (plan/sheets), where the user can act, not at the data file."""

MAX_PROGRESS_BYTES = 32 * 1024 * 1024
"""Size of a filled progress workbook (kehoach progress): one sheet of the plan's tasks."""

MAX_PROGRESS_ROWS = 50_000
"""Rows read from one sheet of a progress workbook: 25 times the largest plan we know of."""

# --- data files (generator.plan.loader) ------------------------------------------------------------

MAX_YAML_NODES = 200_000
"""Values built from one YAML file: a YAML alias bomb stops here instead of eating memory."""

MAX_IMPORT_PARAGRAPHS = 100_000
"""Paragraphs (body, tables, headers, notes) of a .docx that `import` turns into a data file: each
becomes at least one value, and the loader takes MAX_YAML_NODES. Counted in the package's bytes
before anything is parsed, so a runaway file is refused in a moment, not after minutes of reading
(a plan of 10,000 tasks has 50,000). A .doc, .odt, .rtf, web page or Word XML is counted in the .docx LibreOffice makes
of it, as a .docx is; an .odt's or .rtf's own count, taken first, refuses it before LibreOffice
runs (word/formats.paragraphs)."""

# --- signed PDFs (generator.esign.verify) -----------------------------------------------------------

MAX_PDF_OBJECTS = 200_000
"""Objects a PDF given to `verify` may hold or declare (numbered in the file, packed in object
streams, or announced by its cross-reference sections). A signed 30-page plan has about a thousand,
the real signed documents of the corpus 25 and 254; a million is a file made to exhaust the reader."""

MAX_PDF_REVISIONS = 200
"""Revisions (cross-reference sections: tables or streams) a PDF given to `verify` may hold. A real
document has one per signature and per stamp, five for a letter of a ministry; every signature is
compared with every revision after it, and the reader builds each section's table, so a file of a
million empty updates (60 MB) is counted in its bytes and refused before it is parsed."""

MAX_PAGE_DRAWING_BYTES = 64 * 1024 * 1024
"""Decoded bytes of what draws one page (its content streams, forms and annotation appearances),
read when `verify` compares the page's words before and after an update. A page of text is tens of
kilobytes; more is a decompression bomb (a few kilobytes inflating to gigabytes)."""

# --- time and memory budgets ------------------------------------------------------------------

TEMPLATE_SECONDS = 30
"""Wall-clock seconds a user template may take to render one document: what a user waits before
giving up (a 10,000-task plan renders in 5)."""

TEMPLATE_MEMORY = 1536 * 1024 * 1024
"""Address space a user template may add while it renders one document."""

READ_SECONDS = 300
"""Seconds `check` or `import` may spend on one .docx or spreadsheet (a 10,000-task plan takes about 20)."""

READ_MEMORY = 3 * 1024 * 1024 * 1024
"""Address space `check` or `import` may add while reading one .docx or spreadsheet."""

SOFFICE_MEMORY = 2 * 1024 * 1024 * 1024
"""Address space of each LibreOffice process (word/soffice.py), for converting a .doc/.odt/.rtf and
for exporting a PDF. Measured on a 30-page plan: converting needs about 250 MB, exporting it to
PDF about 470 MB (it lays out every page); four times the larger leaves room for images, fonts and
the threads of a bigger machine, while a crafted file stops at 2 GB instead of taking the server's
memory before the timeout."""


class BudgetExceeded(UserError):
    """Work stopped because it ran out of its time or memory budget."""


def _address_space() -> int | None:
    """Bytes of address space this process uses now (Linux), or None where unknown."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError, AttributeError):
        return None


_active = 0
"""Budgets entered and not left (the outermost one bounds the work)."""


def read_budget(label: object, what: str = "tệp", kind: str = "văn bản", verb: str = "đọc",
                ) -> contextlib.AbstractContextManager[None]:
    """The read budget (READ_SECONDS, READ_MEMORY) for an untrusted file, applied by the library
    call that reads it (check, import, a spreadsheet, a signed PDF), so every caller gets it.

    Only in a program's main thread: a server's worker thread would lower the memory limit of the
    whole process (LibreOffice started meanwhile included) and has no timer; there the checks
    before parsing are the bound, and the editor reads a .docx in a process of its own.
    """
    if threading.current_thread() is not threading.main_thread():
        return contextlib.nullcontext()
    minutes = READ_SECONDS // 60
    return budget(READ_SECONDS, READ_MEMORY,
                  f"{label}: {what} quá phức tạp, {verb} quá {minutes} phút hoặc quá "
                  f"{READ_MEMORY // 2**30} GB bộ nhớ nên đã dừng; không phải {kind} bình thường")


@contextlib.contextmanager
def budget(seconds: float, memory: int, message: str) -> Iterator[None]:
    """Run the block with at most `seconds` of wall-clock time and `memory` more bytes of address
    space; past either, BudgetExceeded(message) is raised inside the block.

    Why signals and rlimits: the work (Jinja, lxml) is not ours to instrument, and a thread cannot
    stop another. SIGALRM interrupts Python code between bytecodes; RLIMIT_AS makes an oversized
    allocation fail with MemoryError instead of taking the machine's memory. Both are restored on
    exit. Where they are not available (not the main thread, not a Unix), the block runs unbounded.
    Inside another budget the block runs in that one: a second timer would reset the first and,
    on leaving, switch it off.
    """
    global _active
    if _active:
        yield
        return
    _active += 1
    timer = (hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread())
    old_handler = None
    if timer:
        def expired(signum: int, frame: object) -> None:
            raise BudgetExceeded(message)

        old_handler = signal.signal(signal.SIGALRM, expired)
        signal.setitimer(signal.ITIMER_REAL, seconds)
    old_limit = _lower_memory_limit(memory)
    try:
        yield
    except MemoryError:
        raise BudgetExceeded(message) from None
    finally:
        _active -= 1
        if timer:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old_handler)
        if old_limit is not None:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, old_limit)


def _lower_memory_limit(memory: int) -> tuple[int, int] | None:
    try:
        import resource
    except ImportError:  # not a Unix
        return None
    used = _address_space()
    if used is None:
        return None
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    wanted = used + memory
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft <= wanted:
        return None  # already tighter than our budget: leave it
    try:
        resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
    except (ValueError, OSError):
        return None
    return soft, hard
