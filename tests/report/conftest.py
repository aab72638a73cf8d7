# SPDX-License-Identifier: Apache-2.0
# Fixtures for the report tests: the covmerge binary, the sample data and
# golden files under tests/report/expected (rewrite them with
# `pytest --regenerate`, then review the diff).
import os
import subprocess

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))


def pytest_addoption(parser):
    parser.addoption("--regenerate", action="store_true",
                     help="rewrite tests/report/expected/ from the current output")


@pytest.fixture(scope="session")
def covmerge():
    path = os.environ.get("COVMERGE_BIN")
    if not path or not os.access(path, os.X_OK):
        pytest.fail("COVMERGE_BIN must name the covmerge binary (build/covmerge)")
    return os.path.abspath(path)


@pytest.fixture(scope="session")
def data_dir():
    return os.environ.get("COVMERGE_DATA", os.path.join(HERE, "..", "..", "data"))


@pytest.fixture
def run(covmerge):
    def run(*args, cwd=None, input=None, env=None):
        full_env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
        full_env.update(env or {})
        return subprocess.run([covmerge, *map(str, args)], cwd=cwd, input=input,
                              capture_output=True, timeout=120, env=full_env)
    return run


@pytest.fixture
def golden(request):
    """golden(name, text): compares text with tests/report/expected/NAME."""
    regenerate = request.config.getoption("--regenerate")

    def check(name, text):
        path = os.path.join(HERE, "expected", name)
        if regenerate:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            return
        with open(path, encoding="utf-8") as f:
            expected = f.read()
        assert text == expected, f"output differs from {path}; rerun with --regenerate and review the diff"
    return check
