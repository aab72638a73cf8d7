# SPDX-License-Identifier: Apache-2.0
"""Fixtures for the Python module's tests: the covmerge command to compare
with (COVMERGE_BIN), the sample data (COVMERGE_DATA), and runners for the
command and for `python3 -m covmerge`."""
import os
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))


@pytest.fixture(scope="session")
def covmerge_bin():
    path = os.environ.get("COVMERGE_BIN")
    if not path or not os.access(path, os.X_OK):
        pytest.fail("COVMERGE_BIN must name the covmerge binary (build/covmerge)")
    return os.path.abspath(path)


@pytest.fixture(scope="session")
def data_dir():
    return os.environ.get("COVMERGE_DATA", os.path.join(ROOT, "data"))


@pytest.fixture(scope="session")
def count_dir(data_dir):
    return os.path.join(data_dir, "profiles", "count")


@pytest.fixture(scope="session")
def expected_count(data_dir):
    with open(os.path.join(data_dir, "expected", "count-merged.out"), "rb") as f:
        return f.read()


@pytest.fixture
def run_bin(covmerge_bin):
    """Runs the covmerge command."""
    def run(*args, cwd=None, input=None, env=None):
        return subprocess.run([covmerge_bin, *map(str, args)], cwd=cwd, input=input, env=env, capture_output=True,
                              timeout=300)
    return run


@pytest.fixture
def run_module():
    """Runs `python3 -m covmerge` with this interpreter and PYTHONPATH."""
    def run(*args, cwd=None, input=None):
        return subprocess.run([sys.executable, "-m", "covmerge", *map(str, args)], cwd=cwd, input=input,
                              capture_output=True, timeout=300)
    return run
