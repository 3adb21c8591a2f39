"""kehoach works where it is installed, not only in the project folder (issue 14).

The default template and the sample plans ship inside the package (generator/resources/); the
copies must equal their editable sources at the top of the project. `kehoach init` starts a folder of
one's own. And the real thing: a wheel built from the project, installed in a fresh virtual
environment, run in an empty folder that knows nothing of the project.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from generator import resources
from generator.cli import main
from generator.plan.loader import load_plan

from tests.paths import ROOT

PLAN = resources.SAMPLE.name
UNITS = resources.UNITS.name
YEAR = datetime.date.today().year
INIT_PLAN = PLAN.replace(str(load_plan(resources.SAMPLE).year), str(YEAR))
"""What `kehoach init` writes: the sample plan, moved to the current year."""


# --- the packaged copies ----------------------------------------------------------------------

@pytest.mark.parametrize("copy", list(resources.SOURCES), ids=lambda p: p.name)
def test_packaged_copy_equals_its_source(copy: Path) -> None:
    source = resources.SOURCES[copy]
    packaged = copy.relative_to(ROOT)
    assert copy.read_bytes() == (ROOT / source).read_bytes(), (
        f"{packaged} (shipped in the wheel) differs from its source {source}: after editing the source, "
        f"run `cp {source} {packaged}`")


def test_every_packaged_resource_is_declared_in_pyproject() -> None:
    """What generator/resources holds is what the wheel gets: *.docx, *.yaml and the tables made
    beforehand (*.txt, *.json), nothing left out."""
    shipped = {p for p in resources.TEMPLATE.parent.iterdir() if p.suffix in (".docx", ".yaml", ".txt", ".json")}
    assert shipped == set(resources.SOURCES) | {resources.LEXICON_KEYS, resources.ADMIN_UNITS, resources.TEMPLATE_PREPARED}
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"generator.resources" = ["*.docx", "*.yaml", "*.txt", "*.json"]' in pyproject
    assert '"generator.resources"]' in pyproject  # in the packages list


def test_the_renderer_and_check_template_read_the_packaged_files() -> None:
    from generator.document import render, template_check

    assert render.DEFAULT_TEMPLATE == resources.TEMPLATE
    assert template_check.SAMPLE_DATA == resources.SAMPLE
    assert template_check.STRUCTURES_DATA == resources.STRUCTURES
    for path in resources.SOURCES:
        assert path.is_file() and path.parent == ROOT / "generator" / "resources"


# --- kehoach init ------------------------------------------------------------------------------

def test_init_writes_a_plan_a_units_file_and_the_schema_it_names(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "ke-hoach-2025"  # created
    assert main(["init", str(folder)]) == 0
    out = capsys.readouterr().out
    assert sorted(p.name for p in folder.iterdir()) == sorted([INIT_PLAN, UNITS, "kehoach.schema.json"])
    plan = (folder / INIT_PLAN).read_text(encoding="utf-8")
    # The first line names the schema written next to it, so an editor finds it.
    assert plan.splitlines()[0] == "# yaml-language-server: $schema=kehoach.schema.json"
    schema = json.loads((folder / "kehoach.schema.json").read_text(encoding="utf-8"))
    assert schema["$schema"].startswith("https://json-schema.org/")
    # Comments name the files where init put them, not the project's data/ folder.
    assert "data/" not in plan and "data/" not in (folder / UNITS).read_text(encoding="utf-8")
    assert f"kehoach batch {INIT_PLAN} --units {UNITS}" in (folder / UNITS).read_text(encoding="utf-8")
    # The sample moved to this year, as `rollover` moves it: a draft (no number, no day) of this year,
    # its own text in this year, the documents it cites untouched.
    written, sample = load_plan(folder / INIT_PLAN), load_plan(resources.SAMPLE)
    assert written.year == YEAR and written.number is None and not written.date.complete and not written.is_final
    assert f"năm {YEAR}" in " ".join(written.subject) and f"năm {sample.year}" not in " ".join(written.subject)
    assert written.references == sample.references and written.sections != sample.sections
    assert str(sample.year) not in "".join(line.partition("#")[2] for line in plan.splitlines()[:12])
    # It says what to do next.
    assert f"kehoach render {folder / INIT_PLAN}" in out and "kehoach template" in out and f"năm {YEAR}" in out


def test_init_plan_is_valid_against_the_schema_it_wrote(tmp_path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    import yaml

    assert main(["init", str(tmp_path)]) == 0
    schema = json.loads((tmp_path / "kehoach.schema.json").read_text(encoding="utf-8"))
    data = yaml.safe_load((tmp_path / INIT_PLAN).read_text(encoding="utf-8"))
    jsonschema.validate(json.loads(json.dumps(data, default=str)), schema)


def test_init_folder_renders_and_batches(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["init"]) == 0
    assert main(["render", INIT_PLAN]) == 0
    assert (tmp_path / "output" / INIT_PLAN.replace(".yaml", ".docx")).is_file()
    assert main(["batch", INIT_PLAN, "--units", UNITS, "--jobs", "1", "-q"]) == 0
    assert any((tmp_path / "output" / Path(UNITS).stem).glob("*.docx"))


def test_init_refuses_to_overwrite_and_writes_nothing(tmp_path: Path, capsys) -> None:
    (tmp_path / INIT_PLAN).write_text("agency: {name: đã sửa}\n", encoding="utf-8")
    assert main(["init", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "tệp đã có, không ghi đè" in err and INIT_PLAN in err
    assert (tmp_path / INIT_PLAN).read_text(encoding="utf-8") == "agency: {name: đã sửa}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [INIT_PLAN]  # not even the files that were free


def test_init_refuses_a_schema_already_there(tmp_path: Path, capsys) -> None:
    (tmp_path / "kehoach.schema.json").write_text("{}", encoding="utf-8")
    assert main(["init", str(tmp_path)]) == 2
    assert "kehoach.schema.json: tệp đã có" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kehoach.schema.json"]


def test_init_on_a_file_is_refused(tmp_path: Path, capsys) -> None:
    (tmp_path / "x").write_text("", encoding="utf-8")
    assert main(["init", str(tmp_path / "x")]) == 2
    assert "không phải thư mục" in capsys.readouterr().err


def test_extras_for_users_pull_no_test_tools() -> None:
    """`pip install "kehoach[serve]"` gets the editor, not the browser-driving test tools."""
    import tomllib

    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    tools = ("selenium", "httpx", "pytest")
    for extra in ("serve", "sign"):
        assert not [r for r in extras[extra] if r.startswith(tools)], extras[extra]
    assert {r.split(">")[0] for r in extras["test"]} >= {"selenium", "httpx", "pytest"}


def test_install_hints_work_outside_the_project_folder() -> None:
    """What a user is told to type must work from a wheel: never the checkout's `-e ".[extra]"`."""
    for path in (ROOT / "generator").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "-e \".[" not in text and "-e '.[" not in text, f"{path.relative_to(ROOT)}: a checkout-only install hint"
    from generator.esign import sign

    assert sign.INSTALL_HINT == 'pip install "kehoach[sign]"'


# --- a wheel in a fresh environment ------------------------------------------------------------

def _run(cmd: list[str | Path], cwd: Path, env: dict[str, str], timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def _explain(result: subprocess.CompletedProcess) -> str:
    return f"exit {result.returncode}\n--- stdout\n{result.stdout[-3000:]}\n--- stderr\n{result.stderr[-3000:]}"


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """A virtual environment with the wheel built from this project, and the environment to run
    its commands in (no PYTHONPATH: nothing of the project folder is visible)."""
    base = tmp_path_factory.mktemp("wheel")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    # Build from a copy holding only what the build reads: no build/ or egg-info left in the project,
    # and a file the wheel needs but the project folder alone provides is found missing here.
    source = base / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "generator", source / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    dist = base / "dist"
    built = _run([sys.executable, "-m", "pip", "wheel", "-v", source, "--no-deps", "-w", dist], base, env)
    assert built.returncode == 0, f"pip wheel failed (the build needs setuptools from the index):\n{_explain(built)}"
    # setuptools warns of package configuration it had to guess (a data folder left out of `packages`).
    said = built.stdout + built.stderr
    assert "_Warning" not in said and "absent from the `packages` configuration" not in said, _explain(built)
    wheel = next(dist.glob("kehoach-*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
    for path in [*resources.SOURCES, resources.LEXICON_KEYS, resources.ADMIN_UNITS, resources.TEMPLATE_PREPARED]:
        assert f"generator/resources/{path.name}" in names, f"the wheel lacks generator/resources/{path.name}"

    venv = base / "venv"
    made = _run([sys.executable, "-m", "venv", venv], base, env)
    if made.returncode != 0:
        pytest.skip(f"cannot create a virtual environment here (python -m venv: "
                    f"{(made.stderr or made.stdout).strip()[-300:]}); install python3-venv to run this test")
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / ("python.exe" if os.name == "nt" else "python")
    # The dependencies come from the environment running the tests, so nothing is downloaded. Not
    # --system-site-packages: run from a venv, that links the base interpreter, which lacks them. A
    # .pth line adds those folders to sys.path without running their own .pth files, so the
    # project's editable install stays invisible to the new venv.
    new_site = _run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], base, env)
    ours = dict.fromkeys(sysconfig.get_paths()[key] for key in ("purelib", "platlib"))
    (Path(new_site.stdout.strip()) / "kehoach-test-deps.pth").write_text("\n".join(ours) + "\n", encoding="utf-8")
    # --force-reinstall: this environment may already have kehoach (the editable install) visible.
    got = _run([python, "-m", "pip", "install", "--no-deps", "--no-index", "--force-reinstall", wheel], base, env)
    assert got.returncode == 0, f"pip install of the wheel failed:\n{_explain(got)}"
    where = _run([python, "-c", "import generator; print(generator.__file__)"], base, env)
    assert Path(where.stdout.strip()).resolve().is_relative_to(venv.resolve()), (
        f"the venv imports generator from {where.stdout.strip()}, not from the installed wheel")
    env["PATH"] = f"{bindir}{os.pathsep}{env.get('PATH', '')}"
    return bindir, env


def test_wheel_installed_in_a_fresh_venv_inits_renders_and_checks(installed, tmp_path: Path) -> None:
    bindir, env = installed
    kehoach = bindir / ("kehoach.exe" if os.name == "nt" else "kehoach")
    work = tmp_path / "empty"
    work.mkdir()

    def run(*args: str | Path) -> subprocess.CompletedProcess:
        result = _run([kehoach, *args], work, env)
        assert result.returncode == 0, f"kehoach {' '.join(map(str, args))}:\n{_explain(result)}"
        return result

    run("init")
    assert (work / INIT_PLAN).is_file() and (work / UNITS).is_file() and (work / "kehoach.schema.json").is_file()
    rendered = run("render", INIT_PLAN)
    docx = work / "output" / INIT_PLAN.replace(".yaml", ".docx")
    assert docx.is_file() and str(docx.relative_to(work)) in rendered.stdout
    assert "KHÔNG CÓ LỖI" in run("check", docx).stdout
    assert "hợp lệ" in run("validate", INIT_PLAN).stdout

    # check-template with the template shipped in the package, and with the copy `template` writes.
    python = bindir / ("python.exe" if os.name == "nt" else "python")
    packaged = _run([python, "-c", "from generator.resources import TEMPLATE; print(TEMPLATE)"], work, env)
    template = Path(packaged.stdout.strip())
    assert template.is_file() and "site-packages" in template.parts, template
    assert "mẫu hợp lệ" in run("check-template", template).stdout
    run("template")
    assert "mẫu hợp lệ" in run("check-template", "mau-kehoach.docx").stdout
    assert (work / "mau-kehoach.docx").read_bytes() == template.read_bytes()

    # The files made beforehand are found where the package is installed, and used exactly when they
    # were made from what is installed (a fresh venv may take newer releases: then they are not).
    # (each file's first line is its seal: resources.unsealed gives what was written under it)
    code = ("import hashlib, json\nfrom generator.document import line_breaks as lb, render, template_prebuilt as tp\n"
            "from generator.plan import admin_units as au\nfrom generator.resources import unsealed\n"
            "t = render.Template()\n"
            "digest = lb.source_digest(lb._lexicon_source().read_bytes())\n"
            "print(lb._prebuilt(digest) is not None, unsealed(lb.PREBUILT).split(chr(10))[0].endswith(digest))\n"
            "print(au._prebuilt(au._data_dir()) is not None, json.loads(unsealed(au.PREBUILT))"
            "['source_sha256'] == au._source_digest(au._data_dir()))\n"
            "print(tp.patched(t.docxtpl_helper().get_xml(), t.env) is not None, json.loads(unsealed(tp.PREBUILT))"
            "['fingerprint'] == tp.fingerprint(t.env))")
    used = _run([python, "-c", code], work, env)
    lines = used.stdout.split()
    assert len(lines) == 6 and lines[0::2] == lines[1::2], _explain(used)

    # A second init in the same folder is refused: exit 2, the user's files unchanged.
    before = (work / INIT_PLAN).read_bytes()
    again = _run([kehoach, "init"], work, env)
    assert again.returncode == 2 and "không ghi đè" in again.stderr, _explain(again)
    assert (work / INIT_PLAN).read_bytes() == before
