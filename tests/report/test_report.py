# SPDX-License-Identifier: Apache-2.0
# `covmerge report` end to end: the table and JSON summary of the sample
# data (golden files), the gate (pass, fail, new and removed packages, bad
# baselines), filters and path rewriting, exit statuses and atomic outputs.
import json
import os
import subprocess

import pytest

MODULE = "example.com/shop"


@pytest.fixture
def sample(data_dir):
    return os.path.join(data_dir, "profiles", "count")


def profiles(sample, *names):
    return [os.path.join(sample, name) for name in names]


def test_table_of_the_sample_data(run, sample, golden):
    r = run("report", sample)
    assert r.returncode == 0, r.stderr
    golden("sample.table.txt", r.stdout.decode())


def test_table_total_equals_go_tool_cover(run, sample, data_dir):
    # count-merged.func.txt is `go tool cover -func` on the merged sample.
    with open(os.path.join(data_dir, "expected", "count-merged.func.txt")) as f:
        total = [line.split()[-1] for line in f if line.startswith("total:")][0]
    r = run("report", sample)
    assert r.stdout.decode().splitlines()[-1].split()[-1] == total


def test_by_file_sorted_by_coverage(run, sample, golden):
    r = run("report", "--by-file", "--sort", "coverage", "--strip-prefix", MODULE, sample)
    assert r.returncode == 0, r.stderr
    golden("sample.by-file.txt", r.stdout.decode())


def test_json_summary_of_the_sample_data(run, sample, golden, tmp_path):
    out = tmp_path / "summary.json"
    r = run("report", "--json", out, "--strip-prefix", MODULE, sample)
    assert r.returncode == 0, r.stderr
    text = out.read_text()
    golden("sample.summary.json", text)
    doc = json.loads(text)
    assert doc["format"] == "covmerge-summary" and doc["version"] == 1
    assert sum(p["statements"] for p in doc["packages"]) == doc["total"]["statements"]
    assert sum(f["covered"] for f in doc["files"]) == doc["total"]["covered"]


def test_output_writes_the_same_merged_profile(run, sample, data_dir, tmp_path):
    out = tmp_path / "merged.out"
    r = run("report", "-o", out, sample)
    assert r.returncode == 0, r.stderr
    with open(os.path.join(data_dir, "expected", "count-merged.out"), "rb") as f:
        assert out.read_bytes() == f.read()


def test_json_to_stdout_moves_the_table_to_stderr(run, sample):
    r = run("report", "--json", "-", sample)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["total"]["covered"] == 91
    assert b"TOTAL" in r.stderr


# --- the gate -----------------------------------------------------------------

@pytest.fixture
def baseline(run, sample, tmp_path):
    """The summary of the full sample run, as main's CI would keep it."""
    path = tmp_path / "main.json"
    r = run("report", "--json", path, sample)
    assert r.returncode == 0, r.stderr
    return path


def test_gate_passes_on_the_same_coverage(run, sample, baseline):
    r = run("report", "--baseline", baseline, sample)
    assert r.returncode == 0, r.stderr
    assert b"(+0.00 points; a drop of up to 0.00 allowed)" in r.stdout
    assert r.stderr == b""


def test_gate_fails_when_coverage_drops_and_names_the_packages(run, sample, tmp_path):
    # The unit tests of the four packages as main's baseline; then a run
    # whose textutil coverage comes only from the inventory tests (70% -> 40%).
    base = tmp_path / "main.json"
    assert run("report", "--json", base, *profiles(sample, "pkg-cart.out", "pkg-inventory.out", "pkg-pricing.out",
                                                   "pkg-textutil.out")).returncode == 0
    inputs = profiles(sample, "pkg-cart.out", "pkg-inventory.out", "pkg-pricing.out", "coverpkg-inventory.out")
    r = run("report", "--baseline", base, *inputs)
    baseline = base
    assert r.returncode == 3, r.stderr
    err = r.stderr.decode()
    assert "covmerge: coverage gate failed: total coverage fell from 63.19% to 56.94% (-6.25 points" in err
    assert "packages that fell: example.com/shop/internal/textutil (70.00% -> 40.00%)" in err
    assert "fell  example.com/shop/internal/textutil  70.00% -> 40.00%" in r.stdout.decode()
    # The allowance is in percentage points.
    assert run("report", "--baseline", baseline, "--max-drop", "6.3", *inputs).returncode == 0
    assert run("report", "--baseline", baseline, "--max-drop", "6.2", *inputs).returncode == 3


def test_gate_reports_new_and_gone_packages_not_as_drops(run, sample, tmp_path):
    base = tmp_path / "base.json"
    assert run("report", "--json", base, *profiles(sample, "pkg-cart.out", "pkg-pricing.out")).returncode == 0
    r = run("report", "--baseline", base, *profiles(sample, "pkg-cart.out", "pkg-inventory.out"))
    out = r.stdout.decode()
    assert "new   example.com/shop/inventory" in out
    assert "gone  example.com/shop/pricing" in out
    assert "fell" not in out
    # The total fell (pricing was better covered than inventory): that alone fails.
    assert r.returncode == 3
    assert "packages that fell" not in r.stderr.decode()


def test_gate_against_a_merged_profile(run, sample, data_dir):
    merged = os.path.join(data_dir, "expected", "count-merged.out")
    assert run("report", "--baseline", merged, sample).returncode == 0
    r = run("report", "--baseline", merged, *profiles(sample, "pkg-inventory.out"))
    assert r.returncode == 3


def test_fail_under(run, sample):
    assert run("report", "--fail-under", "54.8", sample).returncode == 0
    r = run("report", "--fail-under", "55", sample)
    assert r.returncode == 3
    assert r.stderr.decode() == ("covmerge: coverage gate failed: total coverage 54.82% is below the "
                                 "required 55.00% (--fail-under)\n")


def test_gate_failure_still_writes_the_outputs(run, sample, tmp_path):
    out = tmp_path / "s.json"
    assert run("report", "--fail-under", "99", "--json", out, sample).returncode == 3
    assert json.loads(out.read_text())["total"]["statements"] == 166


@pytest.mark.parametrize("content, message", [
    (None, "cannot read baseline {path}: No such file or directory"),
    ("", "baseline {path} is empty"),
    ('{"format": "covmerge-summary", "version": 1, "total": {"statements": 10', "baseline {path} is not valid JSON"),
    ('{"format": "other"}', 'baseline {path}: format: expected "covmerge-summary"'),
    ("<coverage/>", "baseline {path} is neither a JSON summary nor a coverage profile"),
    ("mode: count\nbroken\n", "{path}:2:"),
])
def test_bad_baseline_is_an_error_before_merging(run, sample, tmp_path, content, message):
    path = tmp_path / "main.json"
    if content is not None:
        path.write_text(content)
    out = tmp_path / "merged.out"
    r = run("report", "--baseline", path, "-o", out, sample)
    assert r.returncode == 1
    assert message.format(path=path) in r.stderr.decode()
    assert not out.exists()


# --- filters and paths --------------------------------------------------------

def test_exclude_and_include_apply_before_merging(run, sample):
    r = run("report", "--exclude", "/cmd/", "--exclude", "report\\.go$", sample)
    out = r.stdout.decode()
    assert r.returncode == 0, r.stderr
    assert "cmd/shopd" not in out
    assert "2 files left out by --include/--exclude" in out
    assert "example.com/shop/inventory                  28       20     71.4%" in out
    r = run("report", "--include", "^example\\.com/shop/cart/", sample)
    assert r.stdout.decode().splitlines()[1].startswith("example.com/shop/cart ")
    assert "6 files left out" in r.stdout.decode()


def test_filters_work_on_the_merge_too(run, sample):
    r = run("--exclude", "cart", "--summary", sample)
    assert r.returncode == 0, r.stderr
    assert b"/cart/" not in r.stdout
    assert r.stderr == b"coverage: 50.8% of statements (1 files left out by --include/--exclude)\n"


def test_bad_pattern_is_an_error(run, sample):
    r = run("report", "--exclude", "([", sample)
    assert r.returncode == 2  # a usage error (issue 12, item 15)
    assert b'--exclude pattern "([" is not a valid regular expression (missing ]' in r.stderr


def test_path_map_rewrites_reports_but_not_the_merged_profile(run, sample, tmp_path):
    out = tmp_path / "merged.out"
    js = tmp_path / "s.json"
    r = run("report", "--path-map", f"{MODULE}/cart=services/cart", "--strip-prefix", MODULE,
            "-o", out, "--json", js, sample)
    assert r.returncode == 0, r.stderr
    names = [p["name"] for p in json.loads(js.read_text())["packages"]]
    assert names == ["cmd/shopd", "internal/textutil", "inventory", "pricing", "services/cart"]
    assert out.read_text().splitlines()[1].startswith(MODULE + "/cart/cart.go:")


# --- usage and outputs --------------------------------------------------------

@pytest.mark.parametrize("args, message", [
    (["report"], "covmerge report needs at least one INPUT"),
    (["report", "--fail-under", "101", "x"], "option --fail-under expects a percentage from 0 to 100"),
    (["report", "--max-drop", "1", "x"], "option --max-drop needs --baseline FILE"),
    (["report", "--sort", "size", "x"], "option --sort expects 'name' or 'coverage'"),
    (["report", "--path-map", "nothing", "x"], "option --path-map expects FROM=TO"),
    (["report", "--json", "-", "--lcov", "-", "x"], "only one output can go there"),
    (["--fail-under", "50", "x"], "option --fail-under belongs to 'covmerge report'"),
    (["report", "--summary", "x"], "option --summary is for the merge"),
])
def test_usage_errors(run, args, message):
    r = run(*args)
    assert r.returncode in (1, 2), r.stderr
    assert message in r.stderr.decode()


def test_report_help(run):
    r = run("report", "--help")
    assert r.returncode == 0
    assert b"Usage: covmerge report" in r.stdout and b"--baseline FILE" in r.stdout


def test_failed_export_leaves_the_old_file(run, sample, tmp_path):
    out = tmp_path / "s.json"
    out.write_text("previous")
    r = run("report", "--json", out, "--lcov", tmp_path / "missing-dir" / "x.info", sample)
    assert r.returncode == 1
    assert str(tmp_path / "missing-dir" / "x.info") in r.stderr.decode()


def test_two_files_rewritten_to_one_path_warn(run, tmp_path):
    profile = tmp_path / "p.out"
    profile.write_text("mode: set\na.com/x/f.go:1.1,2.1 1 1\nb.com/x/f.go:1.1,2.1 1 0\n")
    r = run("report", "--path-map", "a.com=r", "--path-map", "b.com=r", profile)
    assert r.returncode == 0
    assert r.stderr.decode() == ("covmerge: warning: a.com/x/f.go and b.com/x/f.go are both reported as r/x/f.go; "
                                 "check --strip-prefix and --path-map\n")


def test_merged_profile_to_stdout_moves_the_table_to_stderr(run, sample, data_dir, tmp_path):
    r = run("report", "-o", "-", sample, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    with open(os.path.join(data_dir, "expected", "count-merged.out"), "rb") as f:
        assert r.stdout == f.read()
    assert b"TOTAL" in r.stderr
    assert not (tmp_path / "-").exists()
