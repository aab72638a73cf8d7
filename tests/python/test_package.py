# SPDX-License-Identifier: Apache-2.0
"""The package as users get it: `pip install ./bindings/python` with
Debian's setuptools and no network, type stubs that match the extension,
py.typed, and help() texts."""
import ast
import inspect
import os
import pydoc
import shutil
import subprocess
import sys

import pytest

import covmerge
from covmerge import _covmerge

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.environ.get("COVMERGE_SOURCE_DIR", os.path.normpath(os.path.join(HERE, "..", "..")))
BUILD_DIR = os.environ.get("COVMERGE_BUILD_DIR")


def test_pip_install(tmp_path, data_dir, expected_count):
    if not BUILD_DIR:
        pytest.skip("COVMERGE_BUILD_DIR is not set")
    # Install from a copy, so the build leaves nothing in the source tree;
    # reuse the configured build tree (the extension is already built there).
    source = tmp_path / "python"
    shutil.copytree(os.path.join(SOURCE_DIR, "bindings", "python"), source,
                    ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    site = tmp_path / "site"
    env = dict(os.environ, COVMERGE_SOURCE_DIR=SOURCE_DIR, COVMERGE_CMAKE_BUILD_DIR=BUILD_DIR,
               PIP_DISABLE_PIP_VERSION_CHECK="1")
    env.pop("PYTHONPATH", None)
    got = subprocess.run([sys.executable, "-m", "pip", "install", "--no-build-isolation", "--no-deps", "--no-index",
                          "--target", str(site), str(source)], capture_output=True, text=True, env=env, timeout=600)
    assert got.returncode == 0, got.stdout + got.stderr
    installed = sorted(os.listdir(site / "covmerge"))
    for name in ("__init__.py", "__main__.py", "_covmerge.pyi", "py.typed"):
        assert name in installed
    assert any(n.startswith("_covmerge.") and n.endswith(".so") for n in installed), installed

    env["PYTHONPATH"] = str(site)
    count_dir = os.path.join(data_dir, "profiles", "count")
    script = ("import covmerge, sys; r = covmerge.merge(sys.argv[1]); "
              "print(covmerge.__file__); print(r.summary)")
    got = subprocess.run([sys.executable, "-c", script, count_dir], capture_output=True, text=True, env=env,
                         cwd=tmp_path, timeout=120)
    assert got.returncode == 0, got.stderr
    assert got.stdout.splitlines() == [str(site / "covmerge" / "__init__.py"), "coverage: 54.8% of statements"]
    got = subprocess.run([sys.executable, "-m", "covmerge", count_dir], capture_output=True, env=env, cwd=tmp_path,
                         timeout=120)
    assert got.returncode == 0 and got.stdout == expected_count


def test_console_command_in_a_venv(tmp_path, data_dir, expected_count):
    """`pip install` into a venv puts a `covmerge` command on its PATH that
    is the module's main(): the same output and exit statuses."""
    if not BUILD_DIR:
        pytest.skip("COVMERGE_BUILD_DIR is not set")
    venv = tmp_path / "venv"
    # Debian's python3 has no ensurepip: the venv borrows the system's pip
    # (python3-pip) and setuptools through --system-site-packages.
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", str(venv)], check=True,
                   timeout=120)
    source = tmp_path / "python"
    shutil.copytree(os.path.join(SOURCE_DIR, "bindings", "python"), source,
                    ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    env = dict(os.environ, COVMERGE_SOURCE_DIR=SOURCE_DIR, COVMERGE_CMAKE_BUILD_DIR=BUILD_DIR,
               PIP_DISABLE_PIP_VERSION_CHECK="1")
    env.pop("PYTHONPATH", None)
    got = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--no-build-isolation", "--no-deps",
                          "--no-index", str(source)], capture_output=True, text=True, env=env, timeout=600)
    assert got.returncode == 0, got.stdout + got.stderr
    command = venv / "bin" / "covmerge"
    assert command.is_file() and os.access(command, os.X_OK)
    count_dir = os.path.join(data_dir, "profiles", "count")
    got = subprocess.run([str(command), count_dir], capture_output=True, env=env, cwd=tmp_path, timeout=120)
    assert got.returncode == 0 and got.stdout == expected_count, got.stderr
    got = subprocess.run([str(command), "report", count_dir, "--fail-under", "99"], capture_output=True, env=env,
                         cwd=tmp_path, timeout=120)
    assert got.returncode == 3 and b"coverage gate failed" in got.stderr
    got = subprocess.run([str(command), "--no-such-option"], capture_output=True, env=env, timeout=120)
    assert got.returncode == 2


def test_main_writes_through_sys_stdout(data_dir, expected_count):
    import contextlib
    import io

    from covmerge.__main__ import main
    out, err = io.StringIO(), io.StringIO()
    count_dir = os.path.join(data_dir, "profiles", "count")
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        assert main([count_dir]) == 0
        assert main(["/nonexistent/covmerge.out"]) == 1
    assert out.getvalue() == expected_count.decode()
    assert err.getvalue().startswith("covmerge: error: cannot open /nonexistent/covmerge.out")


STRICT_USER_SCRIPT = """
import covmerge

result = covmerge.merge(["unit.out", "it/"], "merged.out", mode="count", on_conflict="skip",
                        strip_prefix="example.com/mono", exclude=[r"_mock\\.go$"])
percent: float = result.summary.percent
verdict = result.compare("main.json", max_drop=0.1)
passed: bool = verdict.passed
lcov: bytes | None = result.write_lcov()
for change in verdict.fell:
    print(change.name, change.before, change.after)
merger = covmerge.Merger(threads=2, mode="set")
"""

BAD_USER_SCRIPT = """
import covmerge

covmerge.merge("a.out", mode="sets")
covmerge.Merger(on_conflict="ignore")
"""


@pytest.mark.parametrize("script, errors", [(STRICT_USER_SCRIPT, 0), (BAD_USER_SCRIPT, 2)])
def test_the_package_type_checks_with_mypy_strict(tmp_path, script, errors):
    """The package and its stubs pass Debian's mypy --strict, and `mode` and
    `on_conflict` are Literals: a misspelt mode is a type error."""
    (tmp_path / "user.py").write_text(script)
    package_root = os.path.dirname(os.path.dirname(covmerge.__file__))
    env = dict(os.environ, MYPYPATH=package_root)
    got = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", os.devnull,
                          str(tmp_path / "user.py")] +
                         [os.path.join(package_root, "covmerge", name) for name in ("__init__.py", "report.py",
                                                                                     "__main__.py", "_covmerge.pyi")],
                         capture_output=True, text=True, env=env, cwd=package_root, timeout=300)
    output = got.stdout + got.stderr
    if errors == 0:
        assert got.returncode == 0, output
    else:
        assert got.returncode == 1, output
        assert output.count("user.py:") == errors, output
        assert "Literal['set', 'count', 'atomic']" in output and "Literal['error', 'skip']" in output


def test_py_typed_and_stubs_are_in_the_package():
    package = os.path.dirname(covmerge.__file__)
    assert os.path.isfile(os.path.join(package, "py.typed"))
    assert os.path.isfile(os.path.join(package, "_covmerge.pyi"))


def test_stub_matches_the_extension():
    with open(os.path.join(os.path.dirname(covmerge.__file__), "_covmerge.pyi")) as f:
        tree = ast.parse(f.read())
    top = {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
    top |= {n.target.id for n in tree.body if isinstance(n, ast.AnnAssign)}
    public = {name for name in dir(_covmerge) if not name.startswith("_") or name in ("_Session", "__version__")}
    assert top == public
    [session] = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "_Session"]
    stub_methods = {n.name for n in session.body if isinstance(n, ast.FunctionDef)} - {"__init__"}
    real_methods = {n for n in dir(_covmerge._Session) if not n.startswith("_")}
    assert stub_methods == real_methods


def test_public_api_is_documented_and_annotated():
    assert covmerge.__doc__ and "merge" in covmerge.__doc__
    for name in covmerge.__all__:
        obj = getattr(covmerge, name)
        if callable(obj):
            assert obj.__doc__, name
    for method in ("add", "add_bytes", "finish", "write", "to_bytes", "summary", "__iter__", "close"):
        assert getattr(covmerge.Merger, method).__doc__, method
    for method in ("report", "to_dict", "to_json", "table", "write_json", "write_lcov", "write_cobertura",
                   "write_html", "check", "compare"):
        assert getattr(covmerge.MergeResult, method).__doc__, method
    signature = inspect.signature(covmerge.merge)
    assert list(signature.parameters) == ["inputs", "output", "threads", "mode", "on_conflict", "include", "exclude",
                                          "strip_prefix", "path_map"]
    for name in ("threads", "mode", "on_conflict", "include", "exclude", "strip_prefix", "path_map"):
        assert signature.parameters[name].kind is inspect.Parameter.KEYWORD_ONLY
    assert signature.parameters["on_conflict"].default == "error"
    assert signature.return_annotation in ("MergeResult", covmerge.MergeResult)


def test_help_reads_well():
    text = pydoc.render_doc(covmerge.merge, renderer=pydoc.plaintext)
    assert "merge(inputs" in text and "on_conflict: 'OnConflict' = 'error'" in text
    for word in ("Args:", "Returns:", "Raises:", "ProfileError", "FileNotFoundError", "Example"):
        assert word in text
    assert "Merger" in pydoc.render_doc(covmerge.Merger, renderer=pydoc.plaintext)


def test_profile_error_is_a_value_error():
    assert issubclass(covmerge.ProfileError, ValueError)
    e = covmerge.ProfileError("a.out:1:2: bad", "a.out", 1, 2)
    assert (str(e), e.path, e.line, e.column) == ("a.out:1:2: bad", "a.out", 1, 2)
    import pickle
    back = pickle.loads(pickle.dumps(e))
    assert (type(back), str(back), back.path, back.line, back.column) == (covmerge.ProfileError, str(e), "a.out", 1, 2)


def test_readme_example(tmp_path, data_dir, expected_count):
    with open(os.path.join(SOURCE_DIR, "README.md")) as f:
        readme = f.read()
    section = readme[readme.index("## Library use"):]
    start = section.index("```python\n") + len("```python\n")
    example = section[start:section.index("```", start)]
    shutil.copytree(os.path.join(data_dir, "profiles", "count"), tmp_path / "profiles")
    # main's summary: this run's, so the gate passes.
    covmerge.merge(str(tmp_path / "profiles"), strip_prefix="example.com/shop").write_json(tmp_path / "main.json")
    got = subprocess.run([sys.executable, "-c", example], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert got.returncode == 0, got.stderr
    lines = got.stdout.splitlines()
    assert lines[0] == "coverage: 54.8% of statements"
    assert lines[1].startswith("PACKAGE") and any(line.startswith("cart ") for line in lines[2:])
    assert (tmp_path / "merged.out").read_bytes() == expected_count
    assert (tmp_path / "coverage.info").read_bytes().startswith(b"TN:\nSF:cart/cart.go\n")
    # The same job against the unit tests' summary, whose total is higher:
    # exit status 3, and the reason.
    units = [str(p) for p in sorted((tmp_path / "profiles").glob("pkg-*.out"))]
    covmerge.merge(units, strip_prefix="example.com/shop").write_json(tmp_path / "main.json")
    got = subprocess.run([sys.executable, "-c", example], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert got.returncode == 3, got.stderr
    assert "coverage gate failed: total coverage" in got.stdout
