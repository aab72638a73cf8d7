# SPDX-License-Identifier: Apache-2.0
"""The report, exports, gate, filters and path rules of the Python module
against `covmerge report` on the same inputs: the table's numbers and text,
each export byte for byte (Cobertura with the same SOURCE_DATE_EPOCH), the
gate's verdict and messages, and the same errors for a bad baseline or
pattern. The whole CI job of README.md without a process."""
import errno
import json
import os

import pytest

import covmerge

EPOCH = "1700000000"


@pytest.fixture
def inputs(count_dir):
    return count_dir


@pytest.fixture
def epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def command_report(run_bin, tmp_path, *args):
    """Runs `covmerge report ARGS --json ... --lcov ...` and returns its
    exit status, stdout, stderr and the exports' bytes."""
    out = tmp_path / "cmd"
    out.mkdir(exist_ok=True)
    got = run_bin("report", *args, "--json", out / "s.json", "--lcov", out / "c.info",
                  "--cobertura", out / "c.xml", "--html", out / "c.html",
                  env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH})
    files = {name: (out / name).read_bytes() if (out / name).exists() else None
             for name in ("s.json", "c.info", "c.xml", "c.html")}
    return got, files


RULES = dict(strip_prefix="example.com/shop", exclude=[r"textutil"])
RULE_ARGS = ("--strip-prefix", "example.com/shop", "--exclude", "textutil")


def test_exports_equal_the_command_byte_for_byte(inputs, run_bin, tmp_path, epoch):
    got, files = command_report(run_bin, tmp_path, inputs, *RULE_ARGS)
    assert got.returncode == 0, got
    result = covmerge.merge(inputs, **RULES)
    assert result.write_json() == files["s.json"]
    assert result.write_lcov() == files["c.info"]
    assert result.write_cobertura() == files["c.xml"]
    assert result.write_html() == files["c.html"]
    assert result.to_json().encode() == files["s.json"]
    assert result.to_dict() == json.loads(files["s.json"])
    # Written to files, atomically, the same bytes.
    for name, write in (("s.json", result.write_json), ("c.info", result.write_lcov),
                        ("c.xml", result.write_cobertura), ("c.html", result.write_html)):
        target = tmp_path / ("py-" + name)
        assert write(target) is None
        assert target.read_bytes() == files[name], name
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("py-")) == \
        ["py-c.html", "py-c.info", "py-c.xml", "py-s.json"], "a temporary file was left behind"


def test_the_table_is_the_commands(inputs, run_bin, tmp_path):
    got, _ = command_report(run_bin, tmp_path, inputs, *RULE_ARGS, "--by-file", "--sort", "coverage")
    assert got.returncode == 0, got
    table = covmerge.merge(inputs, **RULES).table(by_file=True, sort="coverage")
    assert got.stdout.decode().startswith(table)
    # The notes after the table are the command's own.
    assert "left out by --include/--exclude" in got.stdout.decode()[len(table):]


def test_report_numbers_match_the_json_summary(inputs):
    result = covmerge.merge(inputs, strip_prefix="example.com/shop")
    report = result.report
    doc = result.to_dict()
    assert report.total == result.summary
    assert (report.lines.lines, report.lines.covered) == (doc["total"]["lines"], doc["total"]["lines_covered"])
    assert [p.name for p in report.packages] == [p["name"] for p in doc["packages"]]
    for p, q in zip(report.packages, doc["packages"]):
        assert (p.statements.statements, p.statements.covered, p.files) == (q["statements"], q["covered"], q["files"])
        assert round(p.statements.percent, 1) == q["percent"]
    assert [f.path for f in report.files] == [f["path"] for f in doc["files"]]
    assert all(not f.path.startswith("example.com/shop") for f in report.files)
    # The merged profile keeps the inputs' paths.
    assert all(path.startswith("example.com/shop/") for path in result.files)


def test_filters_leave_files_out_of_the_merge(inputs):
    everything = covmerge.merge(inputs)
    kept = covmerge.merge(inputs, include=[r"/cart/", r"/pricing/"], exclude=[r"pricing"])
    assert set(kept.files) == {p for p in everything.files if "/cart/" in p}
    assert kept.report.excluded_files == len(everything.files) - len(kept.files)


def test_path_map_rewrites_the_report(inputs):
    result = covmerge.merge(inputs, path_map={"example.com/shop/cart": "services/cart"})
    names = [p.name for p in result.report.packages]
    assert "services/cart" in names and "example.com/shop/cart" not in names


def test_a_bad_pattern_is_a_value_error_naming_it(inputs, run_bin):
    with pytest.raises(ValueError, match=r"\(\[") as info:
        covmerge.merge(inputs, include=["(["])
    got = run_bin("report", "--include", "([", inputs)
    assert got.returncode == 2
    assert str(info.value) in got.stderr.decode()


def gate_of_command(run_bin, tmp_path, *args):
    got, _ = command_report(run_bin, tmp_path, *args)
    failures = [line[len("covmerge: coverage gate failed: "):] for line in got.stderr.decode().splitlines()
                if line.startswith("covmerge: coverage gate failed: ")]
    return got.returncode, failures, got.stdout.decode()


def test_the_gate_against_a_baseline_file_agrees_with_the_command(count_dir, run_bin, tmp_path):
    # The baseline: all inputs; now: the unit tests' only, so coverage fell.
    main = covmerge.merge(count_dir)
    main.write_json(tmp_path / "main.json")
    now_inputs = sorted(os.path.join(count_dir, n) for n in os.listdir(count_dir) if n.startswith("pkg-"))
    code, failures, stdout = gate_of_command(run_bin, tmp_path, *now_inputs, "--baseline", tmp_path / "main.json",
                                             "--max-drop", "0.5", "--fail-under", "90")
    now = covmerge.merge(now_inputs)
    verdict = now.compare(tmp_path / "main.json", max_drop=0.5, fail_under=90)
    assert code == 3 and not verdict and not verdict.passed
    assert verdict.failures == failures
    for line in verdict.report:
        assert line in stdout
    assert verdict.before == main.summary and verdict.after == now.summary
    assert verdict.fell or verdict.gone
    assert {c.name for c in verdict.fell + verdict.gone} <= set(main.packages)
    for change in verdict.fell:
        assert change.after.percent < change.before.percent


@pytest.mark.parametrize("as_what", ["path", "dict", "bytes", "result", "report"])
def test_a_baseline_is_a_path_a_dict_bytes_or_a_result(count_dir, tmp_path, as_what):
    main = covmerge.merge(count_dir)
    main.write_json(tmp_path / "main.json")
    baseline = {"path": tmp_path / "main.json", "dict": main.to_dict(), "bytes": main.write_json(),
                "result": main, "report": main.report}[as_what]
    verdict = main.compare(baseline)
    assert verdict.passed and verdict.before == main.summary
    assert (verdict.fell, verdict.new, verdict.gone) == ([], [], [])


def test_new_and_gone_packages(count_dir):
    paths = sorted(os.path.join(count_dir, n) for n in os.listdir(count_dir))
    before = covmerge.merge(paths, exclude=["/cart/"])
    after = covmerge.merge(paths, exclude=["/pricing/"])
    verdict = after.compare(before, max_drop=100)
    assert [c.name for c in verdict.new] == ["example.com/shop/cart"]
    assert [c.name for c in verdict.gone] == ["example.com/shop/pricing"]
    assert verdict.new[0].before is None and verdict.gone[0].after is None


def test_check_is_the_minimum_only(inputs):
    result = covmerge.merge(inputs)
    assert result.check(fail_under=result.summary.percent - 1).passed
    failed = result.check(fail_under=result.summary.percent + 1)
    assert not failed.passed and len(failed.failures) == 1 and "below the required" in failed.failures[0]


def test_a_missing_baseline_never_passes(inputs, tmp_path, run_bin):
    result = covmerge.merge(inputs)
    with pytest.raises(FileNotFoundError) as info:
        result.compare(tmp_path / "nope.json")
    assert info.value.errno == errno.ENOENT
    got = run_bin("report", inputs, "--baseline", tmp_path / "nope.json")
    assert info.value._covmerge_message in got.stderr.decode()
    (tmp_path / "junk.json").write_bytes(b"junk")
    with pytest.raises(covmerge.ProfileError, match="neither a JSON summary"):
        result.compare(tmp_path / "junk.json")
    with pytest.raises(covmerge.ProfileError, match="version"):
        result.compare({"format": "covmerge-summary", "version": 99})


def test_exports_fail_like_the_command(inputs, tmp_path):
    result = covmerge.merge(inputs)
    with pytest.raises(FileNotFoundError):
        result.write_lcov(tmp_path / "no" / "such" / "c.info")
    with pytest.raises(OSError) as info:
        result.write_json("/dev/full")
    assert info.value.errno == errno.ENOSPC


def test_a_closed_merger_has_no_report(inputs):
    m = covmerge.Merger()
    m.add(inputs)
    result = m.finish()
    m.close()
    with pytest.raises(RuntimeError, match="released"):
        result.write_lcov()


def test_the_readme_ci_job_without_a_process(count_dir, tmp_path):
    # The CI recipe of README.md, in Python.
    main = covmerge.merge(count_dir, strip_prefix="example.com/shop")
    main.write_json(tmp_path / "main.json")
    result = covmerge.merge(count_dir, tmp_path / "merged.out", strip_prefix="example.com/shop")
    print(result.table())
    verdict = result.compare(tmp_path / "main.json", max_drop=0.1)
    result.write_lcov(tmp_path / "coverage.info")
    assert verdict.passed
    assert (tmp_path / "merged.out").stat().st_size > 0 and (tmp_path / "coverage.info").stat().st_size > 0


DIFF = b"""diff --git a/cart/cart.go b/cart/cart.go
--- a/cart/cart.go
+++ b/cart/cart.go
@@ -30,0 +31,3 @@
+a
+b
+c
@@ -49,0 +50,3 @@
+d
+e
+f
"""


def test_patch_thresholds_and_markdown_equal_the_command(inputs, run_bin, tmp_path):
    (tmp_path / "pr.diff").write_bytes(DIFF)
    out = tmp_path / "cmd"
    out.mkdir()
    got = run_bin("report", inputs, "--module", "example.com/shop", "--diff", tmp_path / "pr.diff",
                  "--fail-under-patch", "90", "--threshold", "cart=99", "--markdown", out / "pr.md",
                  "--json", out / "pr.json")
    assert got.returncode == 3, got.stderr
    result = covmerge.merge(inputs, strip_prefix="example.com/shop")
    for diff in (tmp_path / "pr.diff", DIFF):  # a path, or the diff's bytes
        verdict = result.check(diff=diff, fail_under_patch=90, thresholds=["cart=99"])
        assert not verdict.passed
        expected_failures = [line[len("covmerge: coverage gate failed: "):]
                             for line in got.stderr.decode().splitlines() if "coverage gate failed" in line]
        assert verdict.failures == expected_failures
        assert verdict.markdown == (out / "pr.md").read_text()
        patch = json.loads((out / "pr.json").read_text())["patch"]
        assert (verdict.patch.total.statements, verdict.patch.total.covered) == (patch["statements"],
                                                                                patch["covered"])
        assert [f.path for f in verdict.patch.files] == [f["path"] for f in patch["files"]]
        assert [list(map(list, f.uncovered)) for f in verdict.patch.files] == [f["uncovered"] for f in patch["files"]]
    with pytest.raises(ValueError, match="--threshold"):
        result.check(thresholds=["no-percent"])


def test_a_result_from_another_process_says_it_has_no_profile(inputs):
    import pickle
    result = pickle.loads(pickle.dumps(covmerge.merge(inputs)))
    assert result.summary.percent > 0
    for call in (result.write_lcov, lambda: result.check(fail_under=10), lambda: result.report):
        with pytest.raises(RuntimeError, match="another process"):
            call()
