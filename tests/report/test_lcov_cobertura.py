# SPDX-License-Identifier: Apache-2.0
# The LCOV and Cobertura exports of `covmerge report`, checked against the
# tools that read them: golden files for the sample profiles, `lcov
# --summary` agreeing with covmerge's own line totals (and with the line
# rule recomputed here from the merged profile), `xmllint --dtdvalid`
# against coverage-04.dtd even for paths full of markup and control bytes,
# and outputs that are replaced atomically or not at all.
import json
import os
import re
import shutil
import subprocess

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
DTD = os.path.join(HERE, "cobertura-04.dtd")
PREFIX = "example.com/shop"


@pytest.fixture
def sample(data_dir):
    return os.path.join(data_dir, "profiles", "count")


def report(run, tmp_path, *args):
    """Runs `covmerge report ARGS`; returns the result, failing on exit != 0."""
    result = run("report", *args, cwd=tmp_path)
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    return result


def xmllint_valid(path):
    """Validates PATH against our copy of coverage-04.dtd, without network."""
    if shutil.which("xmllint") is None:
        pytest.skip("xmllint is not installed")
    result = subprocess.run(["xmllint", "--nonet", "--noout", "--dtdvalid", DTD, str(path)],
                            capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr.decode(errors="replace")


def lcov_summary(path):
    """(lines hit, lines found) as `lcov --summary` reads PATH."""
    lcov = shutil.which("lcov") or "/usr/bin/lcov"
    if not os.access(lcov, os.X_OK):
        pytest.skip("lcov is not installed")
    result = subprocess.run([lcov, "--summary", str(path)], capture_output=True, timeout=60)
    text = (result.stdout + result.stderr).decode(errors="replace")
    assert result.returncode == 0, text
    match = re.search(r"lines\.*: [\d.]+% \((\d+) of (\d+) lines?\)", text)
    assert match, text
    return int(match.group(1)), int(match.group(2))


def line_totals(profile_text):
    """(lines covered, lines) by the exports' rule: a line's count is the
    largest count of the blocks with statements that span it."""
    files = {}
    for line in profile_text.splitlines()[1:]:
        if not line:
            continue
        location, num_stmt, count = line.rsplit(" ", 2)
        path, span = location.rsplit(":", 1)
        start, end = span.split(",")
        start_line, end_line = int(start.split(".")[0]), int(end.split(".")[0])
        if int(num_stmt) == 0:
            continue
        hits = files.setdefault(path, {})
        for n in range(start_line, end_line + 1):
            hits[n] = max(hits.get(n, 0), int(count))
    lines = sum(len(h) for h in files.values())
    covered = sum(1 for h in files.values() for c in h.values() if c > 0)
    return covered, lines


def test_lcov_golden(run, tmp_path, sample, golden):
    report(run, tmp_path, "--lcov", "out.lcov", "--strip-prefix", PREFIX, sample)
    text = (tmp_path / "out.lcov").read_text(encoding="utf-8")
    assert text.startswith("TN:\nSF:")
    assert "example.com" not in text
    golden("sample.lcov", text)


def test_cobertura_golden(run, tmp_path, sample, golden):
    report(run, tmp_path, "--cobertura", "out.xml", "--strip-prefix", PREFIX, sample)
    text = (tmp_path / "out.xml").read_text(encoding="utf-8")
    # SOURCE_DATE_EPOCH (set by the run fixture) in milliseconds.
    assert 'timestamp="1700000000000"' in text
    golden("sample.cobertura.xml", text)


def test_lcov_summary_matches_the_line_rule(run, tmp_path, sample):
    merged = run(sample)
    assert merged.returncode == 0, merged.stderr.decode(errors="replace")
    covered, lines = line_totals(merged.stdout.decode())
    assert 0 < covered < lines
    report(run, tmp_path, "--lcov", "out.lcov", sample)
    assert lcov_summary(tmp_path / "out.lcov") == (covered, lines)


def test_exports_match_the_json_summary(run, tmp_path, sample):
    report(run, tmp_path, "--lcov", "out.lcov", "--cobertura", "out.xml", "--json", "out.json",
           "--strip-prefix", PREFIX, sample)
    total = json.loads((tmp_path / "out.json").read_text())["total"]
    assert lcov_summary(tmp_path / "out.lcov") == (total["lines_covered"], total["lines"])
    xml = (tmp_path / "out.xml").read_text(encoding="utf-8")
    assert f'lines-covered="{total["lines_covered"]}" lines-valid="{total["lines"]}"' in xml


def test_cobertura_sample_is_valid(run, tmp_path, sample):
    report(run, tmp_path, "--cobertura", "out.xml", "--strip-prefix", PREFIX, sample)
    xmllint_valid(tmp_path / "out.xml")


def test_hostile_paths_stay_valid(run, tmp_path):
    # Markup, quotes, a control byte, a tab, a byte that is not UTF-8, and
    # the largest count Go writes.
    path = b"example.com/x&<>\"'/a\x01b\tc\xff&<>\"'.go"
    profile = (b"mode: count\n" + path + b":1.1,3.2 2 9223372036854775807\n" +
               path + b":5.1,5.9 1 0\n")
    (tmp_path / "in.out").write_bytes(profile)
    report(run, tmp_path, "--lcov", "out.lcov", "--cobertura", "out.xml", "in.out")
    xmllint_valid(tmp_path / "out.xml")
    xml = (tmp_path / "out.xml").read_bytes()
    assert b'filename="example.com/x&amp;&lt;&gt;&quot;&apos;/a\xef\xbf\xbdb&#9;c\xef\xbf\xbd' in xml
    assert b'<line number="1" hits="9223372036854775807"/>' in xml
    # LCOV has no escaping: the path goes out as it is.
    lcov = (tmp_path / "out.lcov").read_bytes()
    assert b"SF:" + path + b"\n" in lcov
    assert b"DA:2,9223372036854775807\n" in lcov
    assert lcov_summary(tmp_path / "out.lcov") == (3, 4)


@pytest.mark.parametrize("flag", ["--lcov", "--cobertura"])
def test_missing_directory_fails_and_names_the_file(run, tmp_path, sample, flag):
    target = tmp_path / "no-such-dir" / "out"
    result = run("report", flag, target, sample, cwd=tmp_path)
    assert result.returncode == 1
    assert str(target) in result.stderr.decode(errors="replace")
    assert not (tmp_path / "no-such-dir").exists()


@pytest.mark.parametrize("flag", ["--lcov", "--cobertura"])
def test_failed_run_leaves_the_target_untouched(run, tmp_path, flag):
    target = tmp_path / "out"
    target.write_text("previous\n")
    (tmp_path / "bad.out").write_text("mode: count\nnot a block line\n")
    result = run("report", flag, target, "bad.out", cwd=tmp_path)
    assert result.returncode == 1
    assert target.read_text() == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.out", "out"]


@pytest.mark.parametrize("flag", ["--lcov", "--cobertura"])
def test_unwritable_target_is_left_as_it_was(run, tmp_path, sample, flag):
    # A directory in the way: the rename fails, and nothing is left behind.
    target = tmp_path / "out"
    target.mkdir()
    (target / "keep").write_text("x")
    result = run("report", flag, target, sample, cwd=tmp_path)
    assert result.returncode == 1
    assert str(target) in result.stderr.decode(errors="replace")
    assert [p.name for p in target.iterdir()] == ["keep"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_profile_without_blocks_gives_valid_empty_outputs(run, tmp_path):
    # lcov itself refuses a tracefile without records ("no valid records"),
    # so only the form is checked: a test name and nothing else.
    (tmp_path / "in.out").write_text("mode: set\n")
    report(run, tmp_path, "--lcov", "out.lcov", "--cobertura", "out.xml", "in.out")
    assert (tmp_path / "out.lcov").read_text() == "TN:\n"
    xml = (tmp_path / "out.xml").read_text(encoding="utf-8")
    assert 'line-rate="1" branch-rate="0" lines-covered="0" lines-valid="0"' in xml
    assert "<packages>\n\t</packages>" in xml
    xmllint_valid(tmp_path / "out.xml")
