import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "covmerge: needs the covmerge binary named by $COVMERGE_BIN "
        "(deselect with -m 'not covmerge' to run only the self-checks)")


@pytest.fixture(scope="session")
def covmerge_bin():
    """Absolute path of the binary under test; a clear failure (never a skip) if unusable."""
    value = os.environ.get("COVMERGE_BIN")
    if not value:
        pytest.fail("COVMERGE_BIN is not set: point it at the covmerge binary, "
                    "e.g. COVMERGE_BIN=build/covmerge", pytrace=False)
    path = os.path.abspath(value)
    if not os.path.isfile(path):
        pytest.fail(f"COVMERGE_BIN={value!r}: no such file ({path})", pytrace=False)
    if not os.access(path, os.X_OK):
        pytest.fail(f"COVMERGE_BIN={value!r}: not executable", pytrace=False)
    return path
