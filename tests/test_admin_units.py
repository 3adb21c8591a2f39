"""admin_units reads only the members of vietnamadminunits' JSON files that it uses (_members), and its
tables made beforehand only when made from the installed data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.plan import admin_units
from generator.resources import sealed, unsealed

FILES = ("parser_legacy.json", "parser_from_2025.json", "converter_2025.json")


@pytest.mark.skipif(not admin_units.available(), reason="vietnamadminunits is not installed")
@pytest.mark.parametrize("name", FILES)
def test_members_are_what_json_loads_reads(name):
    path = admin_units._data_dir() / name  # type: ignore[operator]
    whole = json.loads(path.read_text(encoding="utf-8"))
    assert admin_units._members(path, *whole) == whole
    first, last = next(iter(whole)), list(whole)[-1]
    assert admin_units._members(path, last, first) == {first: whole[first], last: whole[last]}


def test_what_follows_the_last_member_asked_is_never_parsed(tmp_path):
    path = tmp_path / "units.json"
    # The tail is no JSON at all: json.loads refuses the file; the members before it are read.
    path.write_text('\n{ "A" : {"x": [1, 2]},\t"skipped": "a \\" } string",\r\n"B": 3, "tail": @@@', encoding="utf-8")
    with pytest.raises(json.JSONDecodeError):
        json.loads(path.read_text(encoding="utf-8"))
    assert admin_units._members(path, "B", "A") == {"A": {"x": [1, 2]}, "B": 3}


@pytest.mark.parametrize("text", ["{}", '{"A": 1}', '{"B": 1, "C": {"A": 2}}'])
def test_a_member_the_file_lacks_is_a_key_error(tmp_path, text):
    path = tmp_path / "units.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(KeyError):
        admin_units._members(path, "A", "B")


@pytest.mark.parametrize("text", ["[1]", '{"A" 1}', '{"B": 1 "A": 2}'])
def test_a_file_that_is_no_json_object_is_refused(tmp_path, text):
    path = tmp_path / "units.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError):
        admin_units._members(path, "A")


# --- the tables made beforehand (generator/resources/admin-units.json) ---------------------------

@pytest.mark.skipif(not admin_units.available(), reason="vietnamadminunits is not installed")
def test_the_prebuilt_tables_are_those_of_the_installed_data() -> None:
    """The shipped file is what the script makes from this vietnamadminunits' data files: a change
    to how the tables are made (or a new release of the data) leaves it stale, and this says how to
    remake it."""
    folder = admin_units._data_dir()
    assert folder is not None
    text = unsealed(admin_units.PREBUILT)
    assert text is not None, "generator/resources/admin-units.json is damaged: run `python -m generator.plan.admin_units`"
    shipped = json.loads(text)
    made = admin_units.prebuilt_data(folder)
    if shipped["source_sha256"] != made["source_sha256"]:
        # A fresh install took another release of the data: the file is not used (next test), the
        # installed data is read as before; the repository is not wrong at this commit.
        pytest.skip("admin-units.json made from another vietnamadminunits release: not used here; "
                    "run `python -m generator.plan.admin_units` to ship this one's")
    assert shipped == made, (
        "generator/resources/admin-units.json is stale: run `python -m generator.plan.admin_units`")


@pytest.mark.skipif(not admin_units.available(), reason="vietnamadminunits is not installed")
def test_the_prebuilt_tables_are_used_only_for_the_data_they_were_made_from(monkeypatch: pytest.MonkeyPatch,
                                                                            tmp_path: Path) -> None:
    folder = admin_units._data_dir()
    assert folder is not None

    def fresh() -> tuple:
        for cached in (admin_units._prebuilt, admin_units._tables, admin_units.place_names):
            cached.cache_clear()
        tables = admin_units._tables()
        assert tables is not None
        return tables.units, tables.province_names, tables.pattern.pattern, admin_units.place_names()

    try:
        shipped = fresh()
        assert admin_units._prebuilt(folder) is not None  # the shipped file was the one read
        # A file made from other data (another digest) is not used: the data files are read instead.
        other = admin_units.prebuilt_data(folder) | {"source_sha256": "0" * 64, "place_names": ["KHÔNG CÓ"]}
        stale = tmp_path / "admin-units.json"
        stale.write_text(sealed(json.dumps(other, ensure_ascii=False)), encoding="utf-8")
        monkeypatch.setattr(admin_units, "PREBUILT", stale)
        read = fresh()
        assert admin_units._prebuilt(folder) is None
        stale.write_text("[1, 2", encoding="utf-8")  # damaged: read the data files too
        assert fresh() == read
    finally:
        monkeypatch.undo()
        fresh()
    assert shipped == read and list(shipped[0]) == list(read[0])  # same tables, in the same order
    assert "KHÔNG CÓ" not in read[3] and "LÀO CAI" in read[3]
    assert admin_units.outdated_names("UBND huyện Bắc Bình")  # a district gone in 2025, found
