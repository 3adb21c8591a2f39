"""admin_units reads only the members of vietnamadminunits' JSON files that it uses (_members)."""

from __future__ import annotations

import json

import pytest

from generator.plan import admin_units

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
