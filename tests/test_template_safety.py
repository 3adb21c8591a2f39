"""Templates a user supplies, output paths and interrupted runs."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from docx import Document

from generator.errors import UserError
from generator.document.render import _Environment, contained, output_path
from generator.word.internals import SandboxedDocxTemplate
from generator.document.template_check import check_template

from tests.paths import ROOT, SAMPLE


def make_template(path: Path, *paragraphs: str | list[str]) -> Path:
    """A .docx whose paragraphs are given as text, or as a list of runs (Word's split runs)."""
    doc = Document()
    for para in paragraphs:
        p = doc.add_paragraph()
        for run in [para] if isinstance(para, str) else para:
            p.add_run(run)
    doc.save(path)
    return path


def run_cli(*args: str, timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout)


@pytest.mark.parametrize("payload", [
    "{{ cycler.__init__.__globals__ }}",
    "{{ ''.__class__.__mro__ }}",
    "{{ subject.__class__.__base__.__subclasses__() }}",
    "{{ subject|attr('__class__') }}",
])
def test_template_reaching_python_internals_is_refused(tmp_path: Path, payload: str) -> None:
    tpl = make_template(tmp_path / "evil.docx", "{{ subject }}", payload)
    out = tmp_path / "out.docx"
    result = run_cli("render", str(SAMPLE), "-o", str(out), "--template", str(tpl))
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "bị cấm" in result.stderr and "evil.docx" in result.stderr
    assert not out.exists()
    check = run_cli("check-template", str(tpl))
    assert check.returncode == 2 and "bị cấm" in check.stderr


def test_no_plain_environment_anywhere(tmp_path: Path) -> None:
    """docxtpl's fallbacks (render_properties, footnotes, undeclared variables) get the sandbox."""
    tpl_path = make_template(tmp_path / "t.docx", "{{ subject }}")
    doc = Document(tpl_path)
    doc.core_properties.title = "{{ ''.__class__ }}"
    doc.save(tpl_path)
    from jinja2.exceptions import SecurityError

    tpl = SandboxedDocxTemplate(str(tpl_path), _Environment)
    with pytest.raises(SecurityError):
        tpl.render({"subject": "x"})  # no environment given: ours is used, properties included
    tpl = SandboxedDocxTemplate(str(tpl_path), _Environment)
    tpl.render_init()
    with pytest.raises(SecurityError):
        tpl.render_properties({"subject": "x"})
    assert tpl.get_undeclared_template_variables() == {"subject"}


def test_template_syntax_error_shows_surrounding_text(tmp_path: Path) -> None:
    tpl = make_template(tmp_path / "bad.docx", "Đoạn mở đầu quen thuộc", "{% if %}", "{{ subject }}")
    out = tmp_path / "out.docx"
    result = run_cli("render", str(SAMPLE), "-o", str(out), "--template", str(tpl))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "lỗi cú pháp" in result.stderr and "gần đoạn:" in result.stderr
    assert "Đoạn mở đầu quen thuộc" in result.stderr
    assert not out.exists()


def test_not_a_docx_template(tmp_path: Path) -> None:
    tpl = tmp_path / "t.docx"
    tpl.write_bytes(b"this is a .doc renamed")
    result = run_cli("render", str(SAMPLE), "-o", str(tmp_path / "o.docx"), "--template", str(tpl))
    assert result.returncode == 2 and "Traceback" not in result.stderr and ".docx" in result.stderr
    result = run_cli("check-template", str(tpl))
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_check_template_default_is_clean() -> None:
    result = run_cli("check-template", str(ROOT / "templates" / "kehoach.docx"))
    assert result.returncode == 0, result.stderr


def test_check_template_finds_split_unbalanced_and_unknown(tmp_path: Path) -> None:
    tpl = make_template(
        tmp_path / "t.docx",
        ["Trích yếu: {", "{ subject }}"],            # "{" and "{" in different runs
        ["{%", "p for b in body %}"],                 # "{%" split from "p"
        "{{ b.txt }}",                                # field the model does not have
        "{%p endfor %}",
        "{{ agncy.name }} {{ agency.nam }}",
        "{% for a in appendices %}{% for g in a.groups %}{{ g.titel }}{% endfor %}{% endfor %}",
        "{{ subject ",                                # never closed
    )
    problems = [str(p) for p in check_template(tpl)]
    text = "\n".join(problems)
    assert "'{{ subject }}' bị Word tách" in text
    assert "'{%p for b in body %}' bị Word tách" in text
    assert "không có phần đóng/mở" in text
    # The unclosed tag is a syntax error, which stops the variable analysis: check it on its own.
    tpl2 = make_template(tmp_path / "t2.docx", "{%p for b in body %}", "{{ b.txt }} {{ b.text }}",
                         "{%p endfor %}", "{{ agncy.name }} {{ agency.nam }}",
                         "{% for a in appendices %}{% for g in a.groups %}{{ g.titel }}{{ g.title }}"
                         "{% endfor %}{% endfor %}", "{{ loop_var }}")
    text = "\n".join(str(p) for p in check_template(tpl2))
    assert "'b' không có trường 'txt'; có phải ý bạn là 'text'?" in text
    assert "biến 'agncy' không có trong dữ liệu; có phải ý bạn là 'agency'?" in text
    assert "'agency' không có trường 'nam'" in text
    assert "'g' không có trường 'titel'" in text
    assert "biến 'loop_var'" in text
    assert "'text'" not in text.replace("ý bạn là 'text'", "")  # b.text itself is fine
    result = run_cli("check-template", str(tpl2))
    assert result.returncode == 2 and "gần đoạn:" in result.stderr


def test_check_template_unbalanced_blocks(tmp_path: Path) -> None:
    tpl = make_template(tmp_path / "t.docx", "{%p for b in body %}", "{{ b.text }}", "Không đóng")
    problems = check_template(tpl)
    assert any("lỗi cú pháp thẻ" in p.message and "endfor" in p.message for p in problems)


# --- output paths -------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["../x.docx", "../../etc/x.docx", "/etc/x.docx", "a/b.docx", "..",
                                  ".", "", "x\x00.docx", "con.docx", "C:x.docx", "a\\..\\b.docx"])
def test_contained_refuses_escaping_names(tmp_path: Path, name: str) -> None:
    with pytest.raises(UserError):
        contained(tmp_path, name)


def test_output_path_stays_inside(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    for data in ["../../plan.yaml", "/tmp/x/../plan.yaml", "sub/dir/kế hoạch.yaml", "plan"]:
        target = output_path(data, str(out) + "/")
        assert target.resolve().parent == out.resolve()
        assert output_path(data, None, out).resolve().parent == out.resolve()
    (out / "link.docx").symlink_to(tmp_path / "elsewhere.docx")
    with pytest.raises(UserError):
        contained(out, "link.docx")


# --- interrupted runs ---------------------------------------------------------------------------

def _big_plan(tmp_path: Path) -> Path:
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    task = {"content": "Nội dung công việc " * 20, "lead": ["hcth"], "support": ["phong_lien_quan"],
            "time": "Thường xuyên"}
    data["appendices"][0]["groups"] = [{"title": f"Nhóm {g}", "tasks": [task] * 200} for g in range(10)]
    path = tmp_path / "big.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL],
                         ids=["SIGINT", "SIGTERM", "SIGKILL"])
def test_interrupted_render_leaves_no_partial_file(tmp_path: Path, sig: int) -> None:
    data = _big_plan(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    for delay in (0.25, 0.45, 0.6):  # a whole run takes about 0.8 s here: hit it mid-way
        proc = subprocess.Popen([sys.executable, "-m", "generator", "render", str(data), "-o",
                                 str(out / "big.docx")], cwd=ROOT, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        time.sleep(delay)
        proc.send_signal(sig)
        _, stderr = proc.communicate(timeout=120)
        # A signal that lands while Python is still importing the package (before main() runs)
        # ends the process the default way; what matters here is what is left on disk.
        # Ended "as Ctrl-C": 130 from main(), or, when the interrupt surfaces again while the
        # interpreter shuts down (seen under load), Python's own death by SIGINT.
        as_ctrl_c = (130, -signal.SIGINT)
        started = proc.returncode in (0, *as_ctrl_c) or "không có tệp dở dang" in stderr
        if started:
            assert "Traceback" not in stderr
        files = sorted(p.name for p in out.iterdir())
        done = out / "big.docx"
        if done.exists():  # finished before the signal: then it is complete
            assert Document(done).paragraphs
        if sig == signal.SIGKILL:
            # No handler can run: a temporary ".big.docx.*.tmp" may stay, never a partial big.docx.
            assert all(n == "big.docx" or (n.startswith(".big.docx.") and n.endswith(".tmp"))
                       for n in files), files
            for n in files:
                if n != "big.docx":
                    (out / n).unlink()
        else:
            assert files in ([], ["big.docx"]), files
            if not done.exists() and started:
                assert proc.returncode in as_ctrl_c and "không có tệp dở dang" in stderr
        if done.exists():
            done.unlink()


def test_render_refuses_what_check_template_refuses(tmp_path: Path) -> None:
    # An unclosed tag used to reach the layout step and crash; render now runs the template check.
    tpl = make_template(tmp_path / "unclosed.docx", "Mở đầu", "{{ agency.name ", "{{ subject }}")
    out = tmp_path / "out.docx"
    result = run_cli("render", str(SAMPLE), "-o", str(out), "--template", str(tpl))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "mẫu có" in result.stderr and not out.exists()
