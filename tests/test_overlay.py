"""Issue 13 — a unit's plan validated and packed as an overlay on the model plan (generator.plan.overlay).

The overlay is a shortcut, so every test compares it with the long way: the unit's whole merged
data validated by pydantic, as before. Same plan (pydantic equality: every field, every nested
model, fields set), same document bytes, same errors.
"""

from __future__ import annotations

import pickle
import unicodedata
from pathlib import Path

import pytest
import yaml

from generator.jobs.batch import _marks_by_unit, _prepare_unit, prepare_batch, read_units
from generator.errors import DataError
from generator.plan.loader import load_source, validate
from generator.plan.merge import Merger, merge_unit, rename_text
from generator.plan.model import Plan
from generator.plan.overlay import PlanPacker, _plain_model_fields, overlay_data
from generator.document.render import Template

from tests.paths import DATA, FULL, SAMPLE

PLAN = SAMPLE

NFD_NAME = unicodedata.normalize("NFD", "Sở Tài chính")


def units_text(plan_path: Path) -> str:
    """Units that change a little, a lot, or everything: a renamed agency (in the sample its name
    is in the trích yếu, the opening and two tasks of the catalogue), a changed reference, hostile
    text, a replaced list, a unit that changes nothing."""
    ref = next(iter(yaml.safe_load(plan_path.read_text(encoding="utf-8"))["references"]))
    return f"""\
mode: implementing
units:
  - name: Sở Tư pháp
    agency: {{name: Sở Tư pháp, abbreviation: STP}}
    signer: {{name: Nguyễn Văn A, title: Giám đốc}}
  - name: Sở Y tế
    agency: {{name: "Sở Y tế & <Dân số>", abbreviation: SYT}}
    signer: {{name: "Trần\\u0009Thị B", title: Phó Giám đốc, authority: KT, head_title: Giám đốc}}
    references: {{{ref}: {{number: 77}}}}
    recipients: [Như trên, VT]
  - name: Sở Tài chính
    agency: {{name: "{NFD_NAME}", abbreviation: STC}}
    signer: {{name: Lê Văn C, title: Giám đốc}}
    sections:
      - title: Mục đích
        paragraphs: [Một đoạn của riêng đơn vị.]
  - name: Giữ nguyên
"""


def _units_file(tmp_path: Path, text: str | None = None, plan_path: Path = PLAN) -> Path:
    path = tmp_path / "units.yaml"
    path.write_text(units_text(plan_path) if text is None else text, encoding="utf-8")
    return path


def _long_way(plan_path: Path, units: Path) -> list[Plan]:
    """Each unit's merged data validated whole, as the batch did before the overlay."""
    base_src = load_source(plan_path)
    base = validate(base_src)
    src = load_source(units)
    mode, entries = read_units(src, base)
    from generator.jobs.batch import _pin_model_documents, _unit_source

    marks = _marks_by_unit(src)
    out = []
    for spec in entries:
        merged = merge_unit(base_src.data, spec.overrides)
        if mode == "implementing":
            merged = _pin_model_documents(merged, base, spec)
        out.append(validate(_unit_source(src, spec.index, merged, marks)))
    return out


@pytest.mark.parametrize("plan_path", [PLAN, FULL], ids=["mau", "day-du"])
def test_the_overlay_gives_the_plan_and_the_bytes_of_whole_validation(tmp_path, plan_path):
    units = _units_file(tmp_path, plan_path=plan_path)
    jobs = prepare_batch(plan_path, units, tmp_path / "out").jobs
    expected = _long_way(plan_path, units)
    assert len(jobs) == len(expected) == 4
    template = Template(None)
    for job, whole in zip(jobs, expected, strict=True):
        plan = job.plan
        assert plan == whole
        assert plan.model_fields_set == whole.model_fields_set
        assert template.render(plan) == template.render(whole)
    # what the renames reached is really in the documents
    assert jobs[2].plan.agency.name == ["Sở Tài chính"]  # NFD written, NFC kept
    if plan_path == PLAN:  # the sample names its agency in the trích yếu
        assert "Sở Y tế & <Dân số>" in jobs[1].plan.subject_text


def test_internal_copies_and_extracts_are_the_same_through_the_overlay(tmp_path):
    units = DATA / "don-vi-noi-bo-skhcn.yaml"
    base_src = load_source(PLAN)
    base = validate(base_src)
    src = load_source(units)
    mode, entries = read_units(src, base)
    marks = _marks_by_unit(src)
    jobs = prepare_batch(PLAN, units, tmp_path / "out").jobs
    assert len(jobs) == len(entries)
    for job, spec in zip(jobs, entries, strict=True):
        plan, _ = _prepare_unit(src, marks, spec, mode, Merger(base_src.data), base)
        assert job.plan == plan


def test_unchanged_parts_are_the_model_plans_objects_and_pack_as_references(tmp_path):
    units = _units_file(tmp_path)
    job = prepare_batch(PLAN, units, tmp_path / "out").jobs[0]  # renamed agency, own signer
    base, plan = job.packer.base, job.plan
    # the mục do not name the agency: validated once, shared, never copied into the unit
    assert all(a is b for a, b in zip(plan.sections, base.sections, strict=True))
    assert plan.subject != base.subject and plan.agency is not base.agency
    whole = pickle.dumps(plan, protocol=pickle.HIGHEST_PROTOCOL)
    assert len(job.packed) * 3 < len(whole), (len(job.packed), len(whole))
    # a unit that changes nothing (but its references to the model agency's own documents, pinned)
    same = prepare_batch(PLAN, units, tmp_path / "out").jobs[3]
    assert same.plan.appendices[0] is same.packer.base.appendices[0]
    assert len(same.packed) * 5 < len(whole)


def test_a_worker_unpacks_against_its_own_copy_of_the_model_plan(tmp_path):
    units = _units_file(tmp_path)
    jobs = prepare_batch(PLAN, units, tmp_path / "out").jobs
    base = jobs[0].packer.base
    worker_base = pickle.loads(pickle.dumps(base))  # what ProcessPoolExecutor's initargs deliver
    worker = PlanPacker(worker_base)
    for job in jobs[:2]:  # units that keep the model plan's mục
        plan = worker.unpack(job.packed)
        assert plan == job.plan
        assert all(a is b for a, b in zip(plan.sections, worker_base.sections, strict=True))
    assert worker.unpack(jobs[2].packed) == jobs[2].plan


def test_a_mistake_is_reported_as_the_whole_data_reports_it(tmp_path):
    """The overlay hides the model plan's parts from the raw checks; a mistake is checked again on
    the whole data, so the list of problems is the full one, located in the units file."""
    units = _units_file(tmp_path, "mode: implementing\nunits:\n  - name: Sở Lỗi\n"
                                  "    agency: {name: Sở Lỗi, abbreviation: sl}\n"
                                  "    signer: {name: Nguyễn Văn D, title: Giám đốc}\n"
                                  "    references: {kh254_cchc: {date: 2024-13-01}}\n")
    failed = prepare_batch(PLAN, units, tmp_path / "out").failed
    (failure,) = failed
    found = {(p.path, p.line) for p in failure.problems}
    assert ("units[0].agency.abbreviation", 4) in found
    assert ("units[0].references.kh254_cchc.date", 6) in found


def test_rename_shares_what_it_does_not_change():
    data = {"a": ["Sở Cũ làm", {"b": "không đổi"}], "c": {"d": ["x"]}}
    out = rename_text(data, {"Sở Cũ": "Sở Mới"})
    assert out == {"a": ["Sở Mới làm", {"b": "không đổi"}], "c": {"d": ["x"]}}
    assert out["c"] is data["c"] and out["a"][1] is data["a"][1] and out is not data
    assert rename_text(data, {"Không có": "Gì"}) is data


def test_parts_are_swapped_only_where_a_model_stands_plainly():
    from generator.plan.model import Appendix, Clause, IssueDate, Section, Table

    assert _plain_model_fields(Plan) == {"agency": "model", "units": "dict", "references": "dict",
                                         "sections": "list", "signer": "model", "co_signers": "list",
                                         "appendices": "list", "dossier": "model"}
    # date: IssueDate rewrites its raw data first (2024-03 → year, month): never swapped
    assert "date" not in _plain_model_fields(Plan)
    assert _plain_model_fields(IssueDate) == {} and _plain_model_fields(Clause) == {}
    # blocks are a union decided by the raw shape; Table's columns take short forms
    assert _plain_model_fields(Section) == {} and _plain_model_fields(Table) == {}
    assert _plain_model_fields(Appendix) == {"groups": "list", "table": "model"}


def test_a_list_replaced_by_the_unit_is_validated_whole(tmp_path):
    base_src = load_source(PLAN)
    base = validate(base_src)
    raw = yaml.safe_load(PLAN.read_text(encoding="utf-8"))
    sections = raw["sections"][::-1]  # the same mục in another order: nothing is the model's object
    merged = merge_unit(base_src.data, {"sections": sections})
    data = overlay_data(merged, base_src.data, base)
    assert all(isinstance(s, dict) for s in data["sections"])
    assert Plan.model_validate(data) == Plan.model_validate(merged)
    with pytest.raises(DataError):
        validate(type(base_src)(base_src.file, {**data, "sections": []}, {}, {}))


def test_shared_parts_are_cross_checked_again_when_the_unit_declares_less():
    """A part shared with the model plan passed the citation and unit-key checks there; it is
    walked again whenever the unit's plan lacks a reference or unit the model plan declares."""
    from generator.plan.crossref import cross_check

    base = validate(load_source(PLAN))
    assert cross_check(base) == [] and cross_check(base, base) == []
    fewer = base.model_copy(update={"references": {}})
    assert cross_check(fewer, base) == cross_check(fewer) != []
    no_units = base.model_copy(update={"units": {}})
    assert cross_check(no_units, base) == cross_check(no_units) != []


def test_a_unit_citing_an_undeclared_document_is_refused(tmp_path):
    units = _units_file(tmp_path, "mode: implementing\nunits:\n  - name: Sở Dẫn sai\n"
                                  "    agency: {name: Sở Dẫn sai, abbreviation: SDS}\n"
                                  "    signer: {name: Nguyễn Văn E, title: Giám đốc}\n"
                                  "    opening: [[Thực hiện , {cite: khong_co}]]\n")
    (failure,) = prepare_batch(PLAN, units, tmp_path / "out").failed
    assert [p.path for p in failure.problems] == ["units[0].opening[0][1].cite"]
