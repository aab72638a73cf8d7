# SPDX-License-Identifier: Apache-2.0
import os
import subprocess

import pytest


@pytest.fixture(scope="session")
def covmerge():
    path = os.environ.get("COVMERGE_BIN")
    if not path or not os.access(path, os.X_OK):
        pytest.fail("COVMERGE_BIN must name the covmerge binary (build/covmerge)")
    return os.path.abspath(path)


@pytest.fixture(scope="session")
def data_dir():
    here = os.path.dirname(os.path.abspath(__file__))
    return os.environ.get("COVMERGE_DATA", os.path.join(here, "..", "..", "data"))


@pytest.fixture
def run(covmerge):
    def run(*args, cwd=None, input=None):
        return subprocess.run([covmerge, *map(str, args)], cwd=cwd, input=input,
                              capture_output=True, timeout=120)
    return run
