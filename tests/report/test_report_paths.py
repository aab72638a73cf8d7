# SPDX-License-Identifier: Apache-2.0
"""Hostile paths and baselines in covmerge report (issue 12 and 14).

A baseline that is a directory is an error naming it; a block spanning more
than 2^20 lines names the block; a path that is not UTF-8 survives the JSON
summary (name_bytes) so that the baseline agrees with its own profile; the
table and the gate never print raw control characters from paths.
"""
import json

import pytest

HEAD = b"mode: count\n"


def write(path, text):
    path.write_bytes(text)
    return path


def test_baseline_that_is_a_directory_names_it(run, tmp_path):
    d = tmp_path / "dir.json"
    d.mkdir()
    p = write(tmp_path / "p.out", HEAD + b"x/a.go:1.1,2.2 1 1\n")
    r = run("report", "--baseline", d, p)
    assert r.returncode == 1
    assert r.stderr.decode() == (
        f"covmerge: error: cannot read baseline {d}: Is a directory; expected the JSON summary of an earlier "
        "run (covmerge report --json FILE) or a merged profile\n")


def test_unreadable_baseline_names_it(run, tmp_path):
    b = write(tmp_path / "locked.json", b"{}")
    b.chmod(0)
    p = write(tmp_path / "p.out", HEAD + b"x/a.go:1.1,2.2 1 1\n")
    r = run("report", "--baseline", b, p)
    b.chmod(0o644)
    assert r.returncode == 1
    if r.stderr.startswith(b"covmerge: error: cannot read baseline"):  # not when run as root
        assert str(b).encode() in r.stderr
    assert b"basic_filebuf" not in r.stderr


@pytest.mark.parametrize("content", [b"\xff\xfe{}", b"{\"format\": \"covmerge-summary\", \"version\": 1, "
                                     b"\"total\": {\"statements\": 1, \"covered\": 0}, \"packages\": "
                                     b"[{\"name\": \"a\", \"name_bytes\": \"%g0\"}]}"])
def test_damaged_baselines_name_the_file(run, tmp_path, content):
    b = write(tmp_path / "b.json", content)
    p = write(tmp_path / "p.out", HEAD + b"x/a.go:1.1,2.2 1 1\n")
    r = run("report", "--baseline", b, p)
    assert r.returncode == 1
    assert r.stderr.startswith(b"covmerge: error: baseline " + str(b).encode())


def test_block_over_a_million_lines_names_the_block(run, tmp_path):
    p = write(tmp_path / "big.out", HEAD + b"x/a.go:1.1,2000000.2 1 1\n")
    r = run("report", p)
    assert r.returncode == 1
    assert b"block x/a.go:1.1,2000000.2 spans 2000000 lines, more than the 1048576" in r.stderr


def test_baseline_of_a_path_that_is_not_utf8_agrees_with_its_profile(run, tmp_path):
    p = write(tmp_path / "p.out", HEAD + b"x/\xff/a.go:1.1,2.2 1 1\nx/\xfe/a.go:1.1,2.2 1 0\n"
              b"x/ok/a.go:1.1,2.2 1 1\n")
    s = tmp_path / "s.json"
    r = run("report", p, "--json", s)
    assert r.returncode == 0, r.stderr
    doc = json.loads(s.read_bytes())  # still valid JSON
    names = [(pkg["name"], pkg.get("name_bytes")) for pkg in doc["packages"]]
    assert names == [("x/ok", None), ("x/\ufffd", "x/%FE"), ("x/\ufffd", "x/%FF")]  # byte order
    r = run("report", p, "--baseline", s)
    assert r.returncode == 0, r.stderr
    out = r.stdout + r.stderr
    assert b" gone " not in out and b" new " not in out
    assert b"+0.00 points" in out
    # The same against the profile as baseline, and a real drop still shows.
    lower = write(tmp_path / "lower.out", HEAD + b"x/\xff/a.go:1.1,2.2 1 0\nx/\xfe/a.go:1.1,2.2 1 0\n"
                  b"x/ok/a.go:1.1,2.2 1 1\n")
    r = run("report", lower, "--baseline", s)
    assert r.returncode == 3
    out = r.stdout + r.stderr
    assert b"fell" in out and b" gone " not in out


def test_table_and_gate_print_no_raw_control_characters(run, tmp_path):
    p = write(tmp_path / "p.out", HEAD + b"x/a\x1b[2Jb/c.go:1.1,2.2 1 1\nx/d\re/f.go:1.1,2.2 1 1\n")
    s = tmp_path / "s.json"
    assert run("report", p, "--json", s).returncode == 0
    q = write(tmp_path / "q.out", HEAD + b"x/a\x1b[2Jb/c.go:1.1,2.2 1 0\n")
    r = run("report", "--by-file", "--baseline", s, "--max-drop", "100", q)
    assert r.returncode == 0, r.stderr
    for stream in (r.stdout, r.stderr):
        assert b"\x1b" not in stream and b"\r" not in stream
    assert b'"x/a\\x1b[2Jb"' in r.stdout
    assert b'"x/d\\re"' in r.stdout + r.stderr  # gone, quoted
