"""Batch unit-specific copies: one model plan, one document per unit, rendered in parallel.

Two cases (README, "Tạo văn bản hàng loạt"):
- mode: implementing — each department or district issues its own implementing plan: its entry in
  the units file overrides any plan field (agency, signer, recipients, units…), deep-merged onto the
  model plan (generator.plan.merge), the model agency's name resolved in the inherited text;
- mode: internal — each phòng/đơn vị of one agency (a key of the plan's `units`) gets the full plan
  addressed to it or the extract of the tasks it leads or supports (generator.plan.extract).

Order of work: the model plan and the units file are read; every unit is merged and validated with
its positions pointing into the units file; only then are documents rendered, by a process pool
whose workers each prepare the template once, every document written atomically as soon as it is
done. A unit with mistakes is reported (by name, field and line) and skipped; the others are
written. Nothing is printed here: the result lists what was written, what failed, and warnings.
"""

from __future__ import annotations

import difflib
import os
import re
import signal
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..document.context import signing_copy, symbol
from ..document.render import Template
from ..errors import DataError, Problem, UserError
from ..plan.extract import extract_is_empty, internal_copy
from ..plan.loader import Source, format_path, load_source, show_value, validate
from ..plan.merge import Merger
from ..plan.model import Plan
from ..plan.overlay import PlanPacker, overlay_data
from ..text import slugify
from ..word.output import AlreadyThere, Sources, Target, check_folder, mode, sources, target as output_target
from ..word.output_paths import WINDOWS_RESERVED, contained
from .issue import final_tail, for_signing, refuse_signing_flags
from .publish import check_overwrite, existing_document, signing_copy_name, superseded_draft, taken_error
from .units_sheet import at_cells, is_sheet, read_units_sheet

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

MODES = ("implementing", "internal")
FILE_KEYS = ("mode", "extract", "units")
META_KEYS = ("name", "unit", "extract", "member_of")
"""Keys of a units-file entry that describe the copy; every other key overrides a plan field."""

FALLBACK_SLUG = "don-vi"

CHUNK_MAX = 8
"""Most units sent to a worker in one task."""

Progress = Callable[[int, int], None]
"""Called with (documents finished, documents to render) as the run advances."""


@dataclass(frozen=True)
class UnitSpec:
    """One entry of the units file, as read."""

    index: int
    name: str
    unit: str | None = None
    extract: bool = False
    member_of: tuple[str, ...] = ()
    overrides: Mapping[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"đơn vị {self.index + 1} «{self.name}»" if self.name else f"đơn vị {self.index + 1}"


@dataclass(frozen=True)
class UnitJob:
    """A unit whose merged plan is valid, ready to render to path.

    The plan is kept packed against the model plan (generator.plan.overlay.PlanPacker: only what the
    unit changed, deflated; about 2 KB for a unit of the sample) until its document is rendered,
    and never after: 10,000 units wait in little memory, and what goes to a worker is these bytes
    (issue 13, flat memory). `plan` unpacks a fresh copy on each access.
    """

    spec: UnitSpec
    packed: bytes
    path: Path
    packer: PlanPacker = field(repr=False, compare=False)
    warnings: tuple[str, ...] = ()
    how: str = "create"
    """How the document is written (generator.word.output.How): create, never replacing anything;
    replace-seen: path holds a draft of ours that may be replaced (that very file, nothing put
    there since); replace: --force. Or same: path holds a final of ours (a run again with the same
    units, or one whose LibreOffice failed or that was stopped before its PDFs): nothing is written
    when the data gives the same bytes, as `kehoach render` keeps the same final, and a missing PDF
    is made from it."""
    target: Target | None = field(default=None, repr=False, compare=False)
    """Where it goes, decided on the real path (generator.word.output.target)."""
    draft: Path | None = None
    """A final's draft name (the unit's name in a draft batch): an untouched draft of ours there is
    named once the final is written (jobs/publish.superseded_draft)."""

    @property
    def plan(self) -> Plan:
        return self.packer.unpack(self.packed)

    @property
    def output(self) -> Target:
        """The target decided when the unit was prepared (a UnitJob made by hand: decided now)."""
        return self.target if self.target is not None else output_target(self.path)


@dataclass(frozen=True)
class UnitDone:
    spec: UnitSpec
    path: Path
    warnings: tuple[str, ...] = ()
    kept: bool = False
    """The final was there already, the same bytes the data gives: kept as it is, not written."""


@dataclass(frozen=True)
class UnitFailure:
    """A unit that was not written, with every located problem found in it."""

    spec: UnitSpec
    problems: tuple[Problem, ...]

    def __str__(self) -> str:
        return "\n".join(f"{self.spec.label}: {p}" for p in self.problems)


@dataclass
class BatchResult:
    """What a batch run did: documents written (in units-file order), units that failed, warnings."""

    output_dir: Path
    written: list[UnitDone] = field(default_factory=list)
    failed: list[UnitFailure] = field(default_factory=list)
    pdfs: list[Path] = field(default_factory=list)
    superseded: list[Path] = field(default_factory=list)
    """Drafts of ours (and their PDFs), untouched, beside the finals written: left as they are, named
    so that no one sends one (jobs/publish.superseded_draft)."""

    @property
    def ok(self) -> bool:
        return not self.failed

    @property
    def warnings(self) -> list[str]:
        return [f"{d.spec.label}: {w}" for d in self.written for w in d.warnings]


class BatchInterrupted(KeyboardInterrupt):
    """Ctrl-C (or a stop) while a batch made its PDFs, every document already written: what the
    command line needs to say what is done, which PDFs are missing, and that the same command run
    again makes them (a draft is replaced by the same, a final the same as its data kept)."""

    def __init__(self, result: BatchResult) -> None:
        super().__init__()
        self.result = result

    @property
    def without_pdf(self) -> list[Path]:
        """The documents with no PDF beside them, read from the folder after the stop: a PDF is
        renamed into place whole or not at all, so what is there is what was made."""
        return [done.path for done in self.result.written if not done.path.with_suffix(".pdf").is_file()]


@dataclass
class PreparedBatch:
    """Every unit merged and validated; nothing written yet."""

    mode: str
    output_dir: Path
    jobs: list[UnitJob]
    failed: list[UnitFailure]


# --- reading the units file -------------------------------------------------------------------

def _problem(src: Source, loc: tuple, value: Any, message: str, *, key: bool = False) -> Problem:
    return Problem(src.file, *src.position(loc, key=key), format_path(loc),
                   None if value is None else show_value(value), message)


def read_units(src: Source, base: Plan) -> tuple[str, list[UnitSpec | UnitFailure]]:
    """The mode and the entries of a parsed units file. A mistake in the file as a whole raises
    DataError; a mistake in one entry makes that entry a UnitFailure."""
    data = src.data
    if not isinstance(data, dict):
        raise DataError([_problem(src, (), data, "tệp đơn vị phải có các trường mode và units "
                                                 "(lệnh 'kehoach init' ghi một tệp đơn vị mẫu)")])
    problems: list[Problem] = []
    for key in data:
        if key not in FILE_KEYS:
            close = difflib.get_close_matches(key, FILE_KEYS, n=1, cutoff=0.6)
            hint = f"; có phải ý bạn là '{close[0]}'?" if close else "; chỉ dùng mode, extract, units"
            problems.append(_problem(src, (key,), None, f"trường '{key}' không có trong tệp đơn vị{hint}",
                                     key=True))
    mode = data.get("mode", "implementing")
    if mode not in MODES:
        problems.append(_problem(src, ("mode",), mode, "chỉ nhận implementing (kế hoạch triển khai "
                                                        "của từng cơ quan) hoặc internal (bản gửi phòng, đơn vị)"))
    default_extract = data.get("extract", False)
    if not isinstance(default_extract, bool):
        problems.append(_problem(src, ("extract",), default_extract, "phải là true hoặc false"))
    elif "extract" in data and mode == "implementing":
        problems.append(_problem(src, ("extract",), default_extract, "extract chỉ dùng khi mode: internal",
                                 key=True))
    units = data.get("units")
    if units is None:
        problems.append(_problem(src, (), None, "thiếu trường 'units': danh sách các đơn vị"))
    elif not isinstance(units, list) or not units:
        problems.append(_problem(src, ("units",), units, "units phải là danh sách, mỗi đơn vị một "
                                                          "dòng bắt đầu bằng '- '"))
    if problems:
        raise DataError(sorted(problems, key=lambda p: (p.line or 0, p.column or 0)))
    default_extract = default_extract if isinstance(default_extract, bool) else False
    assert isinstance(units, list)  # refused above otherwise
    return mode, [_read_entry(src, i, entry, mode, default_extract, base) for i, entry in enumerate(units)]


def _read_entry(src: Source, i: int, entry: Any, mode: str, default_extract: bool,
                base: Plan) -> UnitSpec | UnitFailure:
    loc = ("units", i)
    if not isinstance(entry, dict):
        spec = UnitSpec(i, str(entry) if isinstance(entry, (str, int)) else "")
        return UnitFailure(spec, (_problem(src, loc, entry, "mỗi đơn vị là một nhóm trường, ví dụ "
                                                              "'- name: Sở Tư pháp' rồi các trường ghi đè"),))
    problems: list[Problem] = []
    raw_name = entry.get("name")
    if isinstance(raw_name, (dict, list)) or isinstance(raw_name, bool):
        problems.append(_problem(src, loc + ("name",), raw_name, "tên đơn vị phải là văn bản"))
        raw_name = None
    unit = entry.get("unit")
    extract = entry.get("extract", default_extract)
    member_of = entry.get("member_of", [])
    if mode == "implementing":
        for key in ("unit", "extract", "member_of"):
            if key in entry:
                problems.append(_problem(src, loc + (key,), None, f"{key} chỉ dùng khi mode: internal",
                                         key=True))
        unit, extract, member_of = None, False, []
    else:
        if unit is None:
            problems.append(_problem(src, loc, None, "thiếu trường 'unit': khóa của phòng, đơn vị "
                                                     "trong mục units của kế hoạch, ví dụ unit: hcth"))
        elif not isinstance(unit, str):
            problems.append(_problem(src, loc + ("unit",), unit, "phải là khóa đơn vị, ví dụ hcth"))
            unit = None
        if not isinstance(extract, bool):
            problems.append(_problem(src, loc + ("extract",), extract, "phải là true hoặc false"))
            extract = False
        if not isinstance(member_of, list) or not all(isinstance(k, str) for k in member_of):
            problems.append(_problem(src, loc + ("member_of",), member_of,
                                     "phải là danh sách khóa đơn vị, ví dụ [phong_thuoc_so]"))
            member_of = []
    overrides = {k: v for k, v in entry.items() if k not in META_KEYS}
    name = str(raw_name) if raw_name is not None else _default_name(overrides, unit, base)
    spec = UnitSpec(i, name.strip(), unit, bool(extract), tuple(member_of), overrides)
    return UnitFailure(spec, tuple(problems)) if problems else spec


def _default_name(overrides: Mapping[str, Any], unit: str | None, base: Plan) -> str:
    """A unit without `name`: its agency's name (implementing) or its declared unit name (internal)."""
    def text_at(data: Any, *keys: str) -> str | None:
        for key in keys:
            data = data.get(key) if isinstance(data, Mapping) else None
        return data if isinstance(data, str) else None

    if unit is None:
        return text_at(overrides, "agency", "name") or ""
    declared = base.units[unit].name if unit in base.units else unit
    return text_at(overrides, "units", unit, "name") or declared


# --- merging and validating one unit ----------------------------------------------------------

def _marks_by_unit(src: Source) -> dict[int, tuple[dict, dict]]:
    """The units file's value and key marks, grouped by entry and re-rooted at the plan's fields
    (("units", 2, "agency", "name") -> ("agency", "name")). Meta keys are not plan fields.

    The marks are moved out of src, not copied: a batch keeps each unit's only as long as it takes
    to prepare it (_prepare); src keeps the marks of the file's own keys and of meta keys."""
    out: dict[int, tuple[dict, dict]] = {}
    for which, marks in enumerate((src.value_marks, src.key_marks)):
        moved = []
        for loc, mark in marks.items():
            if len(loc) > 2 and loc[0] == "units" and isinstance(loc[1], int) and loc[2] not in META_KEYS:
                out.setdefault(loc[1], ({}, {}))[which][loc[2:]] = mark
                moved.append(loc)
        for loc in moved:
            del marks[loc]
    return out


def _unit_source(src: Source, i: int, merged: dict, marks: dict[int, tuple[dict, dict]]) -> Source:
    """A Source for the unit's merged data whose positions point into the units file: a field the
    unit overrides at its own line, an inherited one at the unit's entry."""
    value_marks, key_marks = marks.get(i, ({}, {}))
    value_marks = {(): src.value_marks.get(("units", i), (None, None)), **value_marks}
    return Source(src.file, merged, value_marks, dict(key_marks))


def _relocate(problem: Problem, spec: UnitSpec) -> Problem:
    """Show the path as it is in the units file when the unit wrote the field itself."""
    head = re.split(r"[.\[]", problem.path, maxsplit=1)[0]
    if head in spec.overrides:
        return replace(problem, path=f"units[{spec.index}].{problem.path}")
    if problem.path:
        return replace(problem, path=f"{problem.path} (kế thừa từ kế hoạch mẫu)")
    return problem


def _check_unit_keys(src: Source, spec: UnitSpec, plan: Plan) -> list[Problem]:
    problems = []
    loc = ("units", spec.index)
    wanted = [(loc + ("unit",), spec.unit)] + [(loc + ("member_of", j), k) for j, k in enumerate(spec.member_of)]
    for where, key in wanted:
        if key is not None and key not in plan.units:
            close = difflib.get_close_matches(key, list(plan.units), n=1, cutoff=0.6)
            hint = f"; có phải ý bạn là '{close[0]}'?" if close else "; hãy khai báo trong mục units của kế hoạch"
            problems.append(_problem(src, where, key, f"không có đơn vị nào khai báo với khóa '{key}'{hint}"))
    return problems


def _pin_model_documents(merged: dict[str, Any], base: Plan, spec: UnitSpec) -> dict[str, Any]:
    """A document of the model agency's own (no issuer, no symbol: "ours") that the unit inherits
    stays the model agency's: "Kế hoạch số 254/KH-SKHCN … của Sở Khoa học và Công nghệ", not a
    "254/KH-SNV … của Sở Nội vụ" that does not exist. A unit that gives its own document under the
    same key keeps it as its own."""
    from ..document.context import reference_symbol

    given = spec.overrides.get("references")
    own = given if isinstance(given, dict) else {}
    refs = merged.get("references")
    if not isinstance(refs, dict):
        return merged
    pinned = dict(refs)
    for key, ref in base.references.items():
        if ref.issuer is None and ref.symbol is None and key not in own and isinstance(pinned.get(key), dict):
            pinned[key] = {**pinned[key], "symbol": reference_symbol(base, ref),
                           "issuer": base.agency.running_name}
    return {**merged, "references": pinned}


def _implementing_warnings(base: Plan, plan: Plan, spec: UnitSpec) -> list[str]:
    out = []
    if plan.agency.name == base.agency.name:
        out.append(f"tên cơ quan ban hành vẫn là '{base.agency.full_name}' như kế hoạch mẫu; hãy ghi agency.name")
    if plan.agency.abbreviation == base.agency.abbreviation:
        out.append(f"ký hiệu vẫn là {symbol(base)} như kế hoạch mẫu; hãy ghi agency.abbreviation")
    if plan.signer.name == base.signer.name and plan.agency.name != base.agency.name:
        out.append(f"người ký vẫn là {base.signer.name} của kế hoạch mẫu; hãy ghi signer")
    if base.co_signers and plan.co_signers == base.co_signers:
        # A joint model plan: its other agencies' signers are not every implementing unit's.
        out.append("người ký của cơ quan cùng ban hành vẫn là "
                   + ", ".join(s.name for s in base.co_signers)
                   + " của kế hoạch mẫu (văn bản liên tịch); hãy ghi co_signers, hoặc co_signers: [] khi đơn vị "
                   "ban hành một mình")
    if plan.number is not None and "number" not in spec.overrides:
        out.append(f"số văn bản {base.number} lấy từ kế hoạch mẫu; mỗi cơ quan có số riêng "
                   "(ghi number, hoặc number: null khi là dự thảo)")
    given = spec.overrides.get("references")
    own: dict[str, Any] = given if isinstance(given, dict) else {}
    for key, ref in base.references.items():
        if ref.issuer is None and ref.symbol is None and key not in own and key in plan.references:
            out.append(f"văn bản được dẫn '{key}' ({ref.type} số {ref.number}/{symbol(base)}) là văn bản của "
                       f"{base.agency.running_name} (cơ quan ban hành kế hoạch mẫu), được giữ nguyên; nếu đơn "
                       f"vị có văn bản riêng thì ghi references.{key}")
    # The model agency's own phòng (declared with an abbreviation, the one "Lưu: VT, HCTH." prints)
    # still used by the unit's copy; shared names ("Các phòng, đơn vị thuộc Sở") carry none.
    given_units = spec.overrides.get("units")
    own_units: dict[str, Any] = given_units if isinstance(given_units, dict) else {}
    used = set(plan.recipients) | set(plan.archive)
    for app in plan.appendices:
        for group in app.groups or []:
            for task in group.tasks:
                used |= set(task.lead) | set(task.support)
    inherited = [key for key in base.units if key in used and key not in own_units
                 and base.units[key].abbreviation and plan.units.get(key) == base.units[key]]
    if inherited:
        names = ", ".join(f"'{base.units[k].name}'" for k in inherited)
        out.append(f"còn dùng đơn vị của cơ quan mẫu: {names} (nơi nhận, dòng Lưu, danh mục); "
                   "hãy khai báo units của đơn vị hoặc bỏ các đơn vị này")
    return out


def _prepare_unit(src: Source, marks: dict, spec: UnitSpec, mode: str, merger: Merger,
                  base: Plan, signing: bool = False) -> tuple[Plan, list[str]]:
    """The unit's plan as its copy prints it and the warnings about that copy (signing: the signing
    copy, number and day blank); DataError with units-file positions when it is not valid."""
    merged = merger.merge(spec.overrides)
    if mode == "implementing":
        merged = _pin_model_documents(merged, base, spec)
    try:
        # Only what the unit changed is validated; the rest is the model plan's, validated once.
        plan = validate(_unit_source(src, spec.index, overlay_data(merged, merger.base, base), marks), checked=base)
    except DataError:
        # A mistake: the whole data again, so that the checks run beside pydantic's on raw data
        # (a wrong key anywhere) list every problem, as for a plan file.
        try:
            plan = validate(_unit_source(src, spec.index, merged, marks))
        except DataError as exc:
            raise DataError([_relocate(p, spec) for p in exc.problems]) from None
    if mode == "implementing":
        # Judged on the copy as printed: a signing copy's number is the văn thư's blank, so the model
        # plan's number it inherits is printed nowhere and no warning's business.
        plan = for_signing(plan) if signing else plan
        return plan, _implementing_warnings(base, plan, spec)
    problems = _check_unit_keys(src, spec, plan)
    if problems:
        raise DataError(problems)
    assert spec.unit is not None
    full = plan
    plan = internal_copy(plan, spec.unit, extract=spec.extract, member_of=spec.member_of)
    warnings = []
    if spec.extract and not full.appendices:
        warnings.append("kế hoạch không có danh mục kèm theo; bản trích giống bản đầy đủ")
    elif spec.extract and extract_is_empty(full, plan):
        warnings.append("đơn vị không chủ trì hay phối hợp nhiệm vụ nào trong danh mục; bản trích "
                        "không có danh mục (xem member_of)")
    return for_signing(plan) if signing else plan, warnings


def _settled(spec: UnitSpec) -> UnitSpec:
    """The spec a prepared unit keeps: what names it in reports, not its overrides (its plan has
    them), so that thousands of waiting units hold no parsed data."""
    return replace(spec, overrides={})


# --- file names -------------------------------------------------------------------------------

def file_names(names: list[str]) -> list[str]:
    """One distinct, safe .docx file name per unit name, deterministic in order.

    ASCII slug of the Vietnamese name ("Phòng Hành chính - Tổng hợp" -> phong-hanh-chinh-tong-hop);
    an empty or symbol-only name becomes "don-vi"; a repeated slug gets -2, -3, … in units-file
    order; Windows device names (con, nul, …) get a prefix. Slugs hold only [a-z0-9-], so no name
    can leave the output folder.
    """
    taken: set[str] = set()
    out = []
    for name in names:
        slug = slugify(name, fallback=FALLBACK_SLUG)
        if slug in WINDOWS_RESERVED:
            slug = f"{FALLBACK_SLUG}-{slug}"
        candidate, n = slug, 1
        while candidate in taken:
            n += 1
            candidate = f"{slug}-{n}"
        taken.add(candidate)
        out.append(candidate + ".docx")
    return out


# --- the job ----------------------------------------------------------------------------------

def default_output_dir(units: str | Path, data: str | Path | None = None) -> Path:
    """output/<units file's name>/, the output/ folder being the one beside the model plan (the
    render rule, word.output_paths.default_output_dir)."""
    from ..word.output_paths import default_output_dir as beside

    return (beside(data) if data is not None else Path("output")) / Path(units).stem


def final_name(fname: str, plan: Plan) -> str:
    """A unit's final is named as a final of `kehoach render` is: by its number (so-tu-phap-so-18.docx), or
    so-tu-phap-ban-hanh.docx for a plan issued with a decision."""
    return f"{Path(fname).stem}{final_tail(plan.number)}.docx"


def _not_issuable(plan: Plan, spec: UnitSpec, mode: str) -> str | None:
    """Why a unit's copy cannot be issued, or None. An implementing plan is the unit's own document:
    its number is the unit's, never the model plan's; internal copies share the plan's number. A plan
    issued with a decision (own_number: false) has none of its own to want: its date alone issues it."""
    own = mode != "implementing" or "number" in spec.overrides
    missing = [w for w, gone in (("số (number)", plan.own_number and (plan.lacks_number or not own)),
                                  ("ngày đầy đủ (date)", not plan.date.complete)) if gone]
    return "thiếu " + " và ".join(missing) if missing else None


def prepare_batch(data: str | Path, units: str | Path, output_dir: str | Path | None = None,
                  *, template: str | Path | None = None, force: bool = False,
                  pdf: bool = False) -> PreparedBatch:
    """Read the model plan and the units file, merge and validate every unit. Writes nothing.

    Raises DataError when the model plan or the units file as a whole is wrong.
    """
    base_src = load_source(data)
    return _prepare(base_src, validate(base_src), data, units, output_dir, template, force=force, pdf=pdf)


def _prepare(base_src: Source, base: Plan, data: str | Path, units: str | Path,
             output_dir: str | Path | None, template: str | Path | None, *,
             force: bool = False, pdf: bool = False, final: bool = False,
             signing: bool = False) -> PreparedBatch:
    units_src = read_units_sheet(units) if is_sheet(units) else load_source(units)
    try:
        mode, entries = read_units(units_src, base)
    except DataError as exc:
        raise DataError(list(at_cells(exc.problems, units_src))) from None
    folder = Path(output_dir) if output_dir is not None else default_output_dir(units, data)
    root = check_folder(folder)  # a file in its place, a read-only folder: said before any work
    names = file_names([e.spec.name if isinstance(e, UnitFailure) else e.name for e in entries])
    protected = sources([data, units, template])
    marks = _marks_by_unit(units_src)
    given = units_src.data.get("units") if isinstance(units_src.data, dict) else None
    parsed: list[Any] = given if isinstance(given, list) else []
    shared = _BatchContext(base, Merger(base_src.data), PlanPacker(base), folder, root, protected,
                           str(units), mode, force, pdf, final, signing)
    jobs: list[UnitJob] = []
    failed: list[UnitFailure] = []
    unnumbered: list[str] = []
    for k, fname in enumerate(names):
        # Each unit's parsed data is let go once it is prepared: 10,000 units never all wait as
        # parsed YAML and positions beside their packed plans (issue 13, flat memory).
        entry, entries[k] = entries[k], None  # type: ignore[call-overload]
        if isinstance(entry, UnitFailure):
            failed.append(entry)
            continue
        try:
            done = _prepare_job(shared, units_src, marks, entry, fname, unnumbered)
        finally:
            marks.pop(entry.index, None)
            if entry.index < len(parsed):
                parsed[entry.index] = None
        if done is not None:
            (jobs if isinstance(done, UnitJob) else failed).append(done)  # type: ignore[arg-type]
    failed = [UnitFailure(f.spec, at_cells(f.problems, units_src)) for f in failed]
    if unnumbered:
        # Issuing is all or nothing on this point: a list of finals with holes in it is no issue.
        raise UserError(f"{units}: chưa phát hành được vì {len(unnumbered)} đơn vị chưa có số hoặc ngày đầy đủ "
                        "(ghi number: và date: trong mục của từng đơn vị, hoặc cột Số, Ngày của bảng đơn vị; "
                        "bản trình ký để trống số, ngày: --final --unnumbered); chưa tạo tệp nào:\n"
                        + "\n".join(f"  {u}" for u in unnumbered)
                        + "".join(f"\n  {line}" for f in failed for line in str(f).splitlines()))
    return PreparedBatch(mode, folder, jobs, failed)


@dataclass(frozen=True)
class _BatchContext:
    """What preparing every unit of one batch shares."""

    base: Plan
    merger: Merger
    packer: PlanPacker
    folder: Path
    root: Path  # folder, resolved
    protected: Sources
    units: str
    mode: str
    force: bool
    pdf: bool
    final: bool = False
    signing: bool = False  # signing copies (--unnumbered): no number wanted, none printed


def _prepare_job(ctx: _BatchContext, src: Source, marks: dict, entry: UnitSpec, fname: str,
                 unnumbered: list[str]) -> UnitJob | UnitFailure | None:
    """One unit ready to render, or why it will not be; None (and its label in unnumbered) for a
    unit a final batch cannot issue for want of its number or its full date."""
    try:
        # A signing copy is signed before the văn thư numbers it: the unit's number and day, given
        # or not, are blanks.
        plan, warnings = _prepare_unit(src, marks, entry, ctx.mode, ctx.merger, ctx.base, ctx.signing)
    except DataError as exc:
        return UnitFailure(entry, tuple(exc.problems))
    draft = None
    if ctx.signing:
        fname = signing_copy_name(Path(fname).stem)
    elif ctx.final:
        missing = _not_issuable(plan, entry, ctx.mode)
        if missing:
            unnumbered.append(f"{entry.label}: {missing}")
            return None
        draft = contained(ctx.folder, fname, ctx.root)
        fname = final_name(fname, plan)
    path = contained(ctx.folder, fname, ctx.root)  # slugs make a refusal impossible; checked all the same
    try:
        out = output_target(path, inputs=ctx.protected, folder=ctx.root)  # never the data, units or template
        real = out.path
        if not ctx.force and plan.is_final and out.exists and existing_document(real).kind == "final":
            # The same final again (a retry after LibreOffice failed or a Ctrl-C, a units list run
            # again with a unit added): kept when the data gives its bytes, only a missing PDF made
            # (issue 16); a final the data no longer gives is refused by the worker, never replaced.
            return UnitJob(_settled(entry), ctx.packer.pack(plan), path, ctx.packer, tuple(warnings), "same", out,
                           draft)
        # The same rule as `kehoach render`: a final (maybe already signed) or a file we did
        # not make is never replaced without --force; an earlier draft may be.
        how = mode(ctx.force, check_overwrite(real, real.with_suffix(".pdf") if ctx.pdf else None,
                                              final=plan.is_final, force=ctx.force, number=plan.number))
    except UserError as exc:
        return UnitFailure(entry, (Problem(ctx.units, None, None, "", None, str(exc)),))
    # only the packed form waits for its turn
    return UnitJob(_settled(entry), ctx.packer.pack(plan), path, ctx.packer, tuple(warnings), how, out, draft)


def run_batch(data: str | Path, units: str | Path, output_dir: str | Path | None = None, *,
              jobs: int | None = None, template: str | Path | None = None,
              progress: Progress | None = None, pdf: bool = False, force: bool = False,
              final: bool = False, unnumbered: bool = False, mp_context: Any = None) -> BatchResult:
    """The library call behind `kehoach batch`: every valid unit written to output_dir.

    jobs: worker processes (default: the CPUs this process may use); 1 renders in this process.
    pdf: also convert every written document to PDF beside it, with one LibreOffice process.
    force: replace existing finals and files not made by kehoach (refused per unit otherwise).
    mp_context: the multiprocessing context of the worker pool (the platform's default when None);
    a threaded program (the editor's server) passes spawn: a fork copies its other threads' locks.
    final: issue every unit's copy with the number and date of its units entry (named -so-N, with
    the register's JSON beside it, jobs/record.py); when a unit has no number or no full date,
    UserError lists every such unit and nothing is written.
    unnumbered (with final): each unit's copy as the signing copy (issue.for_signing; named
    <unit>-trinh-ky.docx): no draft mark, number and day blank and wide for the văn thư's stamps
    (kehoach sign --as agency --number N --date D); no number wanted in the units file, nothing
    recorded, replaceable like a draft.
    Raises DataError (nothing written) when the model plan or the units file as a whole is wrong;
    a mistake in one unit is listed in the result's `failed` and does not stop the others.
    """
    refuse_signing_flags(unnumbered=unnumbered, final=final, of=" của từng đơn vị")
    issue = final and not unnumbered  # finals registered (JSON, pages); signing copies record nothing
    base_src = load_source(data)
    base = validate(base_src)
    if pdf:
        from ..esign.pdf import find_soffice

        find_soffice()  # say LibreOffice is missing before writing anything
    # A template that cannot be read fails here, before any worker starts; with one worker this
    # process renders, with this template object (prepared once).
    local = Template(template)
    if not Path(units).exists() or Path(units).is_dir():
        # A mistyped units path is said before any worker warms up (a second of every core, and a
        # Ctrl-C in that second once hung the pool's shutdown).
        load_source(units)
    workers = jobs or default_jobs()
    # The workers start now and warm up (template read, Jinja compiled by rendering the model
    # plan once) while this process validates the units.
    with RenderPool(workers, template, base=base, local=local, final=issue, signing=unnumbered,
                    mp_context=mp_context) as pool:
        prepared = _prepare(base_src, base, data, units, output_dir, template, force=force, pdf=pdf,
                            final=final, signing=unnumbered)
        result = BatchResult(prepared.output_dir, failed=list(prepared.failed))
        hows: dict[Path, str] = {}
        drafts: dict[Path, Path] = {}  # a final's path -> its draft's name
        if prepared.jobs:
            # The folder is made (on its real path) by the first document's write.
            for job, error in pool.render(prepared.jobs, progress):
                if error is None:
                    result.written.append(UnitDone(job.spec, job.path, job.warnings, kept=job.how == "same"))
                    hows[job.path] = job.how
                    if job.draft is not None:
                        drafts[job.path] = job.draft
                else:
                    result.failed.append(UnitFailure(job.spec, (Problem(str(units), None, None, "", None,
                                                                        error),)))
    result.written.sort(key=lambda d: d.spec.index)
    result.failed.sort(key=lambda f: f.spec.index)
    result.superseded = [p for done in result.written if done.path in drafts
                         for p in superseded_draft(drafts[done.path])]
    if pdf and result.written:
        try:
            _make_pdfs(result, hows, sources([data, units, template]), str(units))
            result.failed.sort(key=lambda f: f.spec.index)
            if issue:
                from .record import add_pages

                for done in result.written:
                    if done.path.with_suffix(".pdf").exists():
                        add_pages(done.path, done.path.with_suffix(".pdf"))
        except KeyboardInterrupt as exc:
            # Every document is written: the one who stopped it is told so, and which PDFs to make.
            raise BatchInterrupted(result) from exc
    return result


def _make_pdfs(result: BatchResult, hows: dict[Path, str], inputs: Sources, units: str) -> None:
    """The written documents' PDFs, made in a hidden folder beside them, each then given its name
    by its document's rule: the PDF of a draft replaced may be replaced, anything under --force;
    else it is created, and a PDF put there meanwhile (maybe signed) is kept and reported."""
    from ..esign.pdf import convert_to_pdf

    def failed(done: UnitDone, message: str) -> None:
        result.failed.append(UnitFailure(done.spec, (Problem(units, None, None, "", None, message),)))

    todo: list[tuple[UnitDone, Target]] = []
    for done in result.written:
        if done.kept and done.path.with_suffix(".pdf").is_file():
            continue  # the final kept as it was, with the PDF an earlier run made of it
        try:
            todo.append((done, output_target(done.path.with_suffix(".pdf"), inputs=inputs)))
        except UserError as exc:
            failed(done, f"{exc}; văn bản {done.path} đã được tạo, chưa có PDF")
    if not todo:
        return
    with todo[0][1].staging() as staging:
        made = convert_to_pdf([done.path for done, _ in todo], staging)
        for (done, out), pdf in zip(todo, made, strict=True):
            how = hows.get(done.path, "create")
            try:
                result.pdfs.append(out.place(pdf, "create" if how == "same" else how))  # type: ignore[arg-type]
            except AlreadyThere:
                failed(done, f"{out.label}: trong lúc lệnh chạy, một tệp PDF khác (có thể đã ký) đã được tạo ở "
                             f"đây; giữ nguyên tệp đó, chưa ghi PDF. Văn bản {done.path} đã được tạo")


# --- rendering in parallel --------------------------------------------------------------------

_worker_template: Template | None = None
_worker_packer: PlanPacker | None = None


def _init_worker(template: str | None, base: Plan | None = None, parent: int | None = None) -> None:
    """Runs once in each worker: the template is read and its Jinja environment made once; units
    come packed against base, the model plan (the worker's copy numbers its objects as the
    parent's does), which is also rendered once to warm up."""
    global _worker_template, _worker_packer
    try:
        if parent is not None:
            _bind_to_parent(parent)  # sets the SIGTERM handler: a stop may land before it returns
        _worker_template = Template(template)
        if base is not None:
            _worker_packer = PlanPacker(base)
            try:
                _worker_template.render(base)
            except Exception:  # noqa: BLE001 - only a warm-up; the real render reports any problem
                pass
    except SystemExit:
        # Stopped (SIGTERM, the batch's Ctrl-C) while warming up: nothing is written yet. Leave at
        # once, as concurrent.futures would print the stop as a failed initializer with a traceback.
        os._exit(1)


def _worker_exit(signum: int, frame: object) -> None:
    """SIGTERM in a worker: unwind (atomic writes remove their temporary file), then exit quietly."""
    raise SystemExit(1)


def _bind_to_parent(parent: int) -> None:
    """A worker lives only as long as the batch that started it.

    Why: a worker waits for work on a pipe the parent holds open; if the parent is killed with
    SIGKILL, nothing closes it and the worker would wait forever. Linux signals the worker when
    its parent dies (PR_SET_PDEATHSIG); elsewhere a watchdog thread notices the new parent pid.
    Ctrl-C and a closed terminal (SIGINT, SIGHUP) reach every process of the terminal: the parent
    handles them and stops the pool, so a worker ignores them and finishes its document.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _worker_exit)
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGTERM), 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os.kill(os.getpid(), signal.SIGTERM)  # unwind the main thread as above
        time.sleep(10.0)
        os._exit(1)

    threading.Thread(target=watch, name="kehoach-parent-watch", daemon=True).start()


def _ready() -> None:
    """A no-op task: submitting it makes the pool start its workers now."""


def _render_one(template: Template, plan: Plan | bytes, out: Target, how: str = "create",
                packer: PlanPacker | None = None, final: bool = False, signing: bool = False) -> str | None:
    """Render and write one document. Returns an error message instead of raising, so nothing
    unpicklable crosses the process boundary and one broken document does not stop the others.

    Sealed like `kehoach render`'s documents (a later run can tell an edited draft), and created
    without replacing anything unless this unit's check allowed it (a final made meanwhile by
    someone else stays). how="same": the final is there; only check it is what the data makes.
    A packed plan (bytes) is unpacked with packer. final: the register's JSON is written beside
    the document (its page count added by the parent when it makes the PDFs). signing: a signing
    copy, its blanks wide (document.context.signing_copy)."""
    try:
        if isinstance(plan, bytes):
            assert packer is not None, "a packed unit needs the packer of its model plan"
            plan = packer.unpack(plan)
        assert isinstance(plan, Plan)
        with signing_copy(signing):
            content = template.render(plan)
        pdf = None
        if how == "same":
            if out.path.read_bytes() != content:
                return (f"{out.label}: đã có bản phát hành khác với dữ liệu hiện tại; bản phát hành không bao "
                        "giờ bị ghi đè, giữ nguyên tệp đó. Dùng --force nếu chắc chắn muốn tạo lại")
            # Kept: its register entry keeps the pages counted in the PDF an earlier run made.
            pdf = out.path.with_suffix(".pdf") if out.path.with_suffix(".pdf").is_file() else None
        else:
            out.write(content, how)  # type: ignore[arg-type]
        if final:
            from .record import write_metadata

            write_metadata(plan, out.path, pdf)
    except AlreadyThere:
        return str(taken_error(out.path))
    except UserError as exc:
        return str(exc)
    except Exception as exc:  # noqa: BLE001 - reported for this unit, the batch goes on
        return f"lỗi khi tạo văn bản: {type(exc).__name__}: {exc}"
    return None


def _render_chunk(chunk: list[tuple[bytes, Target, str, bool, bool]]) -> list[str | None]:
    """A few units per task: one round trip to the worker for several documents."""
    assert _worker_template is not None
    return [_render_one(_worker_template, plan, path, how, _worker_packer, final, signing)
            for plan, path, how, final, signing in chunk]


def default_jobs() -> int:
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


_BROKEN = "tiến trình tạo văn bản bị dừng bất thường (thiếu bộ nhớ?); hãy chạy lại với --jobs 1"


class RenderPool:
    """Renders units to disk: in this process when workers == 1, else in a process pool whose
    workers each prepare the template once (generator.document.render.Template) and write each document
    themselves, so rendered bytes never travel back and memory stays flat."""

    def __init__(self, workers: int = 1, template: str | Path | None = None, *, base: Plan | None = None,
                 local: Template | None = None, final: bool = False, signing: bool = False,
                 mp_context: Any = None):
        """base: the model plan the units were packed against (needed by workers to unpack them);
        final: each document is an issued final (its register JSON written beside it); signing: each
        is a signing copy (wide blanks)."""
        self.workers = max(1, workers)
        self.final = final
        self.signing = signing
        self.template = str(template) if template else None
        self.pool: ProcessPoolExecutor | None = None
        self._local: Template | None = local
        if self.workers > 1:
            from concurrent.futures import ProcessPoolExecutor  # here: one worker needs no pool

            self.pool = ProcessPoolExecutor(max_workers=self.workers, initializer=_init_worker,
                                            initargs=(self.template, base, os.getpid()), mp_context=mp_context)
            for _ in range(self.workers):
                self.pool.submit(_ready)

    def __enter__(self) -> RenderPool:
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.pool is None:
            return
        try:
            self.pool.shutdown(wait=True, cancel_futures=True)
        except BaseException:
            # Ctrl-C (or SIGTERM) while waiting for the workers, e.g. as they warm up after the
            # units file was refused: the stop message the shutdown sends them may not have gone
            # out, and workers ignore SIGINT, so they would wait on their queue forever and this
            # process, joining them at exit, with them. Ask them to stop (SIGTERM unwinds a
            # worker's atomic writes) and wait that short while.
            self.stop_workers()
            raise

    def stop_workers(self, grace: float = 3.0) -> None:
        """End the pool's worker processes: SIGTERM, then SIGKILL for any still there after grace s.

        A worker rendering unwinds on SIGTERM (its atomic write removes its temporary file). An idle
        one blocked on its queue's lock may never see it: Python runs a handler in the main thread
        only, and the signal may wake the worker's watchdog thread instead. Such a worker has no
        work in hand, so killing it loses nothing."""
        # ProcessPoolExecutor keeps its workers in _processes (CPython 3.11-3.13); it offers no
        # public way to stop workers that are not reading their queue.
        workers = list((getattr(self.pool, "_processes", None) or {}).values())
        for worker in workers:
            if worker.is_alive():
                worker.terminate()
        deadline = time.monotonic() + grace
        for worker in workers:
            worker.join(max(0.0, deadline - time.monotonic()))
        for worker in workers:
            if worker.is_alive():
                worker.kill()
                worker.join(5.0)

    def render(self, units: list[UnitJob], progress: Progress | None = None) -> Iterator[tuple[UnitJob, str | None]]:
        """Yield (unit, None) or (unit, error message) as each document is written.

        Each unit's slot in `units` is emptied when its document is handed out, so that a batch
        keeps no finished unit (its packed plan) however long it is."""
        total = len(units)
        if progress:
            progress(0, total)
        if self.pool is None or total == 1:
            if self._local is None:
                self._local = Template(self.template)
            for n in range(1, total + 1):
                unit, units[n - 1] = units[n - 1], None  # type: ignore[call-overload]
                error = _render_one(self._local, unit.packed, unit.output, unit.how, unit.packer, self.final,
                                    self.signing)
                if progress:
                    progress(n, total)
                yield unit, error
            return
        from concurrent.futures import FIRST_COMPLETED, wait
        from concurrent.futures.process import BrokenProcessPool

        # Chunks amortise the pool's per-task cost (pickling, pipes, wake-ups) over a few
        # documents, small enough that every worker stays busy to the end and progress moves.
        size = max(1, min(CHUNK_MAX, total // (self.workers * 8)))
        def take(i: int) -> list[UnitJob]:
            chunk = units[i:i + size]
            units[i:i + size] = [None] * len(chunk)  # type: ignore[list-item]
            return chunk

        chunks = (take(i) for i in range(0, total, size))
        window = self.workers * 3
        done = 0
        pending: dict[Future, list[UnitJob]] = {}
        while True:
            for chunk in chunks:
                try:
                    fut = self.pool.submit(_render_chunk, [(u.packed, u.output, u.how, self.final, self.signing)
                                                           for u in chunk])
                except BrokenProcessPool:
                    for unit in chunk:
                        done += 1
                        yield unit, _BROKEN
                    continue
                pending[fut] = chunk
                if len(pending) >= window:
                    break
            if not pending:
                break
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in finished:
                chunk = pending.pop(fut)
                try:
                    errors = fut.result()
                except BrokenProcessPool:
                    errors = [_BROKEN] * len(chunk)
                for unit, error in zip(chunk, errors, strict=True):
                    done += 1
                    if progress:
                        progress(done, total)
                    yield unit, error
