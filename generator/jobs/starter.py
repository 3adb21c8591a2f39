"""`kehoach init`: a folder of one's own, started from the shipped samples, wherever kehoach is installed.

What goes in: this year's plan (the sample moved to the current year as `rollover` moves a plan: a
draft, no number, no day; "năm 2024" in its text becomes this year, so a new folder starts this
year's plan and not a copy of 2024's), a units file for `batch`, and the JSON Schema that the plan's
first line names (so an editor checks and completes it). Nothing is written over an existing file:
every target is decided before the first is written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .. import resources
from ..errors import UserError
from ..plan.loader import load_plan
from ..plan.schema import schema_text
from ..word.output import AlreadyThere, target
from ..word.output_paths import default_output_dir
from .rollover import default_output, rollover_text

SCHEMA_FILE = "kehoach.schema.json"
"""The schema's name in the user's folder, as the sample plan's `$schema` line names it."""


@dataclass(frozen=True)
class Started:
    """What start_folder wrote."""

    folder: Path
    plan: Path
    units: Path
    schema: Path
    year: int  # the plan's year
    output: Path  # where `kehoach render PLAN` will write its document


def sample_text(resource: Path) -> bytes:
    """A shipped sample as it reads in the user's folder: its `$schema` line names the schema file
    written next to it, and its comments name the other files by where init puts them."""
    text = resource.read_text(encoding="utf-8").replace("$schema=../kehoach.schema.json", f"$schema={SCHEMA_FILE}")
    for name in (resources.SAMPLE.name, resources.UNITS.name):
        text = text.replace(f"data/{name}", name)
    return text.encode("utf-8")


def this_years_plan(today: dt.date | None = None) -> tuple[str, bytes, int]:
    """The sample plan moved to the current year, as `kehoach rollover` would. Returns its file
    name, its text and its year (the sample's own when the sample is not older)."""
    text = sample_text(resources.SAMPLE)
    sample_year, year = load_plan(resources.SAMPLE).year, (today or dt.date.today()).year
    if year <= sample_year:
        return resources.SAMPLE.name, text, sample_year
    moved, _, _ = rollover_text(text.decode("utf-8"), sample_year, year)
    lines = []
    for line in moved.splitlines(keepends=True):
        # rollover leaves comments as written; the sample's own comments speak of the sample's year
        code, sep, comment = line.partition("#")
        if sep and '"' not in code and "'" not in code:
            line = code + sep + comment.replace(str(sample_year), str(year))
        lines.append(line)
    return default_output(resources.SAMPLE, sample_year, year).name, "".join(lines).encode("utf-8"), year


def start_folder(folder: str | Path) -> Started:
    """Write this year's plan, the units file and the schema into folder (made when missing)."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise UserError(f"{folder}: đã có một tệp tên này, không phải thư mục; hãy cho tên thư mục khác")
    name, plan_text, year = this_years_plan()
    plan, units, schema = folder / name, folder / resources.UNITS.name, folder / SCHEMA_FILE
    files = {plan: plan_text,
             units: sample_text(resources.UNITS).replace(resources.SAMPLE.name.encode(), name.encode()),
             schema: schema_text().encode()}
    outs = {target(path): data for path, data in files.items()}  # every one decided before any is written
    taken = [out.label for out in outs if out.exists]
    if taken:
        raise UserError(f"{', '.join(taken)}: tệp đã có, không ghi đè (có thể là dữ liệu đã sửa); "
                        "hãy chọn thư mục khác: kehoach init THƯ-MỤC")
    for out, data in outs.items():
        try:
            out.write(data)
        except AlreadyThere:
            raise UserError(f"{out.label}: tệp vừa được tạo ở nơi khác, không ghi đè; "
                            "hãy chọn thư mục khác: kehoach init THƯ-MỤC") from None
    return Started(folder, plan, units, schema, year, default_output_dir(plan) / f"{plan.stem}.docx")
