"""Provinces and districts a plan names that no longer exist since 1 July 2025, and what replaced them.

Since 1 July 2025 the 63 provinces are 34 (Bình Thuận is part of Lâm Đồng, Kon Tum of Quảng Ngãi…)
and the district level (huyện, quận, thị xã, thành phố thuộc tỉnh) is gone. A plan rolled from
2025 that still says "UBND tỉnh Bình Thuận" or "UBND huyện Bắc Bình" is wrong.

Where the names come from: the data files of the PyPI package `vietnamadminunits` (the 63 old
provinces with their districts and wards, the 34 new provinces, and which old units each new one
took), never a list typed here. Its data is read from the installed package's folder without
importing it: importing it loads geopy and shapely for its address matching (a second), which
this lookup does not need.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from ..resources import ADMIN_UNITS, sealed, unsealed

Loc = tuple[Any, ...]

DISTRICT_TYPES = ("huyện", "quận", "thị xã", "thành phố")
SKIPPED_KEYS = ("references",)
"""A cited document was issued when its units existed: its issuer is history, not a mistake."""


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


@dataclass(frozen=True)
class _Old:
    kind: str  # "tỉnh", "thành phố", "huyện", "quận", "thị xã"
    name: str  # "Bình Thuận"
    province: str  # the old province's name ("tỉnh Bình Thuận") for a district; "" for a province
    now: str  # the new province ("tỉnh Lâm Đồng")
    wards: tuple[str, ...] = ()  # the district's communes and wards today, when the data says


@dataclass(frozen=True)
class _Tables:
    units: dict[tuple[str, str], list[_Old]]  # (kind, folded name) -> the old units so named
    pattern: re.Pattern[str]
    province_names: frozenset[str]  # folded short names of old provinces that no longer exist


def _data_dir() -> Path | None:
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "data"
    return folder if (folder / "converter_2025.json").exists() else None


def _members(file: Path, *names: str) -> dict[str, Any]:
    """The named members of the JSON object in file, parsed in the file's order up to the last of
    them; what follows is never parsed. The old units' file is 2.6 MB, of which the provinces and
    districts the tables need are the first 0.2 MB (its wards follow): json.loads of all of it cost
    ~35 ms of every rollover. A name the file lacks raises KeyError, as indexing json.loads' dict did."""
    text = file.read_text(encoding="utf-8")
    decoder = json.JSONDecoder()

    def skip(i: int) -> int:
        return _JSON_SPACE.match(text, i).end()  # type: ignore[union-attr]  # matches the empty string

    wanted, out = set(names), {}
    i = skip(0)
    if not text.startswith("{", i):
        raise ValueError(f"{file.name}: not a JSON object")
    i += 1
    while wanted:
        i = skip(i)
        if text.startswith("}", i):
            break
        key, i = decoder.raw_decode(text, i)
        i = skip(i)
        if not text.startswith(":", i):
            raise ValueError(f"{file.name}: ':' expected at {i}")
        value, i = decoder.raw_decode(text, skip(i + 1))
        if key in wanted:
            wanted.discard(key)
            out[key] = value
        i = skip(i)
        if text.startswith("}", i):
            break
        if not text.startswith(",", i):
            raise ValueError(f"{file.name}: ',' expected at {i}")
        i += 1
    for name in names:
        if name not in out:
            raise KeyError(name)
    return out


_JSON_SPACE = re.compile(r"[ \t\n\r]*")
"""JSON's whitespace (json.decoder's own), skipped between the members _members reads."""


def available() -> bool:
    """The administrative units data is installed."""
    return _data_dir() is not None


def _lower_kind(full: str, short: str) -> str:
    """"Tỉnh Bình Thuận", "Bình Thuận" -> "tỉnh"."""
    return _fold(full[: len(full) - len(short)].strip())


@functools.lru_cache(maxsize=1)
def _tables() -> _Tables | None:
    folder = _data_dir()
    if folder is None:
        return None
    made = _prebuilt(folder)
    if made is not None:
        units = {(kind, name): [_Old(o[0], o[1], o[2], o[3], tuple(o[4])) for o in olds]
                 for kind, name, olds in made["units"]}
        gone_provinces = frozenset(made["gone_provinces"])
    else:
        units, gone_provinces = _units_from(folder)
    names = sorted({re.escape(name) for _, name in units}, key=len, reverse=True)
    kinds = "|".join(re.escape(k) for k in ("tỉnh", *DISTRICT_TYPES))
    pattern = re.compile(rf"(?<!\w)({kinds})\s+({'|'.join(names)})(?!\w)")
    return _Tables(units, pattern, gone_provinces)


def _units_from(folder: Path) -> tuple[dict[tuple[str, str], list[_Old]], frozenset[str]]:
    """The abolished units by (kind, folded name) and the folded names of the provinces gone, read
    from vietnamadminunits' data files in folder."""
    legacy = _members(folder / "parser_legacy.json", "DICT_PROVINCE", "DICT_PROVINCE_DISTRICT")
    new = _members(folder / "parser_from_2025.json", "DICT_PROVINCE", "DICT_PROVINCE_WARD_NO_ACCENTED")
    converter = _members(folder / "converter_2025.json", "DICT_PROVINCE", "DICT_PROVINCE_WARD_NO_DIVIDED")
    new_names = {k: v["province"][:1].lower() + v["province"][1:] for k, v in new["DICT_PROVINCE"].items()}
    now_of = {old: new_names[k] for k, olds in converter["DICT_PROVINCE"].items() for old in olds}
    new_wards = new["DICT_PROVINCE_WARD_NO_ACCENTED"]
    # Old "province_district_ward" keys -> the new ward that took it, for naming a district's wards.
    wards_of: dict[str, list[str]] = {}
    for new_prov, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for ward_key, olds in wards.items():
            ward = new_wards.get(new_prov, {}).get(ward_key)
            if ward is None:
                continue
            for old in olds:
                district = "_".join(old.split("_")[:2])
                names = wards_of.setdefault(district, [])
                name = ward["ward"][:1].lower() + ward["ward"][1:]  # "xã Bắc Bình", as in a sentence
                if name not in names:
                    names.append(name)
    units: dict[tuple[str, str], list[_Old]] = {}
    gone_provinces = set()
    alive = {_fold(v["provinceShort"]) for v in new["DICT_PROVINCE"].values()}
    for key, p in legacy["DICT_PROVINCE"].items():
        kind = _lower_kind(p["province"], p["provinceShort"])
        full = f"{kind} {p['provinceShort']}"
        now = now_of.get(key, "")
        if key not in new["DICT_PROVINCE"]:
            units.setdefault((kind, _fold(p["provinceShort"])), []).append(_Old(kind, p["provinceShort"], "", now))
            gone_provinces.add(_fold(p["provinceShort"]))
        for dkey, d in legacy["DICT_PROVINCE_DISTRICT"].get(key, {}).items():
            dkind = _fold(d["districtType"])
            if dkind not in DISTRICT_TYPES or (dkind == "thành phố" and _fold(d["districtShort"]) in alive):
                continue  # "thành phố Huế" is a province today, not a district that went
            units.setdefault((dkind, _fold(d["districtShort"])), []).append(
                _Old(dkind, d["districtShort"], full, now, tuple(wards_of.get(f"{key}_{dkey}", ()))))
    return units, frozenset(gone_provinces)


@functools.lru_cache(maxsize=1)
def place_names() -> frozenset[str]:
    """Every province's, district's and commune's short name, before and after 2025, in capitals
    ("LÀO CAI", "AN BÌNH"): what may follow a level word ("tỉnh", "xã") in a name. Empty without the data."""
    folder = _data_dir()
    if folder is None:
        return frozenset()
    made = _prebuilt(folder)
    return frozenset(made["place_names"]) if made is not None else _place_names_from(folder)


def _place_names_from(folder: Path) -> frozenset[str]:
    """place_names read from vietnamadminunits' data files in folder."""
    names: set[Any] = set()  # the data has a few blanks (NaN) where a short name is missing
    for file, key in (("parser_legacy.json", "DICT_PROVINCE_DISTRICT_WARD_NO_ACCENTED"),
                      ("parser_from_2025.json", "DICT_PROVINCE_WARD_NO_ACCENTED")):
        data = json.loads((folder / file).read_text(encoding="utf-8"))
        names.update(p["provinceShort"] for p in data["DICT_PROVINCE"].values())
        for districts in data.get("DICT_PROVINCE_DISTRICT", {}).values():
            names.update(d["districtShort"] for d in districts.values())
        stack: list[Any] = [data[key]]
        while stack:  # wards nest one level deeper in the old data (province, district, ward)
            node = stack.pop()
            for v in node.values():
                if isinstance(v, dict) and "wardShort" in v:
                    names.add(v["wardShort"])
                elif isinstance(v, dict):
                    stack.append(v)
    return frozenset(unicodedata.normalize("NFC", n).upper() for n in names if isinstance(n, str) and n)


# --- the tables made beforehand ---------------------------------------------------------------
# Reading the tables from the package's JSON files costs about 30 ms (_tables: rollover, check of a
# data file) and 45 ms (place_names: import, through plan/name_case), on every run of those commands.
# What they make is shipped in kehoach's package instead (PREBUILT, written by
# `python -m generator.plan.admin_units`), with the sha256 of the data files it was made from: it is
# used only when the installed files have that hash; another release of the data is read as before.

PREBUILT = ADMIN_UNITS
_SOURCES = ("parser_legacy.json", "parser_from_2025.json", "converter_2025.json")
"""The data files the tables are made from (_units_from, _place_names_from), in the digest's order."""


def _source_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for name in _SOURCES:
        digest.update((folder / name).read_bytes())
    return digest.hexdigest()


def prebuilt_data(folder: Path) -> dict[str, Any]:
    """What PREBUILT holds for the data files in folder: their digest and the tables made from them."""
    units, gone = _units_from(folder)
    return {"source_sha256": _source_digest(folder),
            "place_names": sorted(_place_names_from(folder)),
            "gone_provinces": sorted(gone),
            "units": [[kind, name, [[o.kind, o.name, o.province, o.now, list(o.wards)] for o in olds]]
                      for (kind, name), olds in units.items()]}  # in the data's order, as _units_from makes it


@functools.lru_cache(maxsize=1)
def _prebuilt(folder: Path) -> dict[str, Any] | None:
    """PREBUILT's tables when they were made from the data files in folder, else None."""
    text = unsealed(PREBUILT)  # None when missing or damaged: read the data files
    made = json.loads(text) if text is not None else None
    if made is not None and made.get("source_sha256") == _source_digest(folder):
        return cast(dict[str, Any], made)
    return None


def write_prebuilt() -> Path | None:
    """Write PREBUILT from the installed vietnamadminunits' data; None when it is not installed."""
    folder = _data_dir()
    if folder is None:
        return None
    text = json.dumps(prebuilt_data(folder), ensure_ascii=False, separators=(",", ":"))
    PREBUILT.write_text(sealed(text + "\n"), encoding="utf-8", newline="\n")
    return PREBUILT


def _message(found: list[_Old], written: str) -> str:
    first = found[0]
    if not first.province:  # a province
        return f"{written} không còn từ 01/7/2025: nay thuộc {first.now}"
    where = sorted({o.now for o in found if o.now})
    now = where[0] if len(where) == 1 else "một trong: " + ", ".join(where[:4]) + ("…" if len(where) > 4 else "")
    text = f"{written} không còn từ 01/7/2025 (bỏ cấp huyện); địa bàn nay thuộc {now}"
    if len(found) == 1 and first.wards:
        shown = ", ".join(first.wards[:8]) + (", …" if len(first.wards) > 8 else "")
        text += f", gồm: {shown}"
    return text + "; sửa thành cơ quan cấp tỉnh hoặc UBND xã, phường tương ứng"


def outdated_names(text: str) -> list[tuple[str, str]]:
    """(the words as written, the message) for every abolished province or district the text names."""
    tables = _tables()
    if tables is None or not text:
        return []
    folded = _fold(text)
    if len(folded) != len(text):  # a character whose case folding changes its length: match on the fold only
        text = folded
    out = []
    for m in tables.pattern.finditer(folded):
        kind, name = m.group(1), m.group(2)
        found = tables.units.get((kind, name))
        if not found:
            continue
        out.append((text[m.start():m.end()], _message(found, text[m.start():m.end()])))
    return out


def outdated_in(data: Any, loc: Loc = ()) -> Iterator[tuple[Loc, str, str]]:
    """(path, words, message) for every abolished unit named in a plan's data (dicts, lists and
    strings as loaded from its file), the cited documents left out. The bare place name of the date
    line (agency.place: "Bình Thuận") counts too."""
    tables = _tables()
    if tables is None:
        return
    if isinstance(data, dict):
        for k, v in data.items():
            if loc == () and k in SKIPPED_KEYS:
                continue
            if loc == ("agency",) and k == "place" and isinstance(v, str) and _fold(v.strip()) in tables.province_names:
                found = tables.units[("tỉnh", _fold(v.strip()))] if ("tỉnh", _fold(v.strip())) in tables.units \
                    else tables.units[("thành phố", _fold(v.strip()))]
                yield loc + (k,), v, _message(found, f"địa danh {v.strip()}")
                continue
            yield from outdated_in(v, loc + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from outdated_in(v, loc + (i,))
    elif isinstance(data, str):
        seen = set()
        for words, message in outdated_names(data):
            if words.casefold() not in seen:
                seen.add(words.casefold())
                yield loc, words, message


if __name__ == "__main__":  # python -m generator.plan.admin_units: the prebuilt tables written again
    written = write_prebuilt()
    print(written or "chưa cài vietnamadminunits: không ghi gì")
