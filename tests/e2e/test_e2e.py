# SPDX-License-Identifier: Apache-2.0
# The users' workflow end to end (issue 7): the shop's three Go services run
# from their coverage-instrumented test binaries, are driven by the
# integration tests, stopped by their kill switches, and their profiles are
# merged with the unit tests' and gated by `covmerge report` (run_e2e.py).
#
# The Go builds dominate the time, so the binaries are built once per session
# (into $COVMERGE_E2E_BUILD_DIR when set, which also keeps Go's build cache
# between sessions) and every scenario reuses them (--skip-build).
import json
import os
import re
import shutil
import subprocess
import sys
import time

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "property"))

import reference_merge  # noqa: E402  (tests/property: gocovmerge semantics)
import run_e2e  # noqa: E402

SERVICES = run_e2e.SERVICES
GO = shutil.which("go") or "/usr/bin/go"


@pytest.fixture(scope="session")
def covmerge():
    path = os.environ.get("COVMERGE_BIN")
    if not path or not os.access(path, os.X_OK):
        pytest.fail("COVMERGE_BIN must name the covmerge binary (build/covmerge)")
    return os.path.abspath(path)


@pytest.fixture(scope="session")
def build_dir(tmp_path_factory):
    """The binaries, built once for every scenario of the session."""
    if not os.access(GO, os.X_OK):
        pytest.fail("the e2e tests need Go 1.19 or later: install golang-go (no go command found)")
    path = os.environ.get("COVMERGE_E2E_BUILD_DIR") or str(tmp_path_factory.mktemp("e2e-build"))
    started = time.monotonic()
    r = subprocess.run([sys.executable, os.path.join(HERE, "run_e2e.py"), "--build-only", "--go", GO,
                        "--build-dir", path], capture_output=True, text=True, timeout=240)
    assert r.returncode == 0, r.stdout + r.stderr
    print(f"\ne2e: Go build {time.monotonic() - started:.1f} s", file=sys.stderr)
    return path


class Run:
    """One run of the driver: its exit status, output and work directory."""

    def __init__(self, work_dir, result):
        self.work_dir = work_dir
        self.returncode = result.returncode
        self.stdout = result.stdout
        self.stderr = result.stderr

    def path(self, *parts):
        return os.path.join(self.work_dir, *parts)

    def read(self, *parts):
        with open(self.path(*parts), encoding="utf-8") as f:
            return f.read()


@pytest.fixture(scope="session")
def drive(covmerge, build_dir, tmp_path_factory):
    def drive(*args, baseline=run_e2e.BASELINE, build=None):
        work_dir = str(tmp_path_factory.mktemp("e2e-run"))
        r = subprocess.run([sys.executable, os.path.join(HERE, "run_e2e.py"), "--covmerge", covmerge,
                            "--go", GO, "--build-dir", build or build_dir, "--skip-build",
                            "--work-dir", work_dir, "--baseline", str(baseline), *args],
                           capture_output=True, text=True, timeout=240)
        return Run(work_dir, r)
    return drive


@pytest.fixture(scope="session")
def full(drive):
    """The whole workflow, as CI runs it, against the committed baseline."""
    return drive()


def profiles(run):
    return [run.path("profiles", f"{name}.out") for name in (*SERVICES, "unit")]


# --- the full run ---------------------------------------------------------------

def test_full_run_passes_the_gate(full):
    assert full.returncode == 0, full.stdout + full.stderr
    assert "e2e: gate passed" in full.stderr
    assert re.search(r"^TOTAL +\d+ +\d+ +\d+\.\d%$", full.stdout, re.M), full.stdout
    assert "(+0.00 points; a drop of up to 0.00 allowed)" in full.stdout


def test_every_service_wrote_its_profile_through_the_kill_switch(full):
    assert full.returncode == 0, full.stderr
    for name in SERVICES:
        assert f"{name} stopped by its kill switch and wrote" in full.stderr
        service_log = full.read("logs", f"{name}.log")
        # TestRun returned because run(ctx) did after the switch cancelled ctx.
        assert f"{name}: stopped" in service_log and "--- PASS: TestRun" in service_log, service_log
        profile = full.read("profiles", f"{name}.out")
        assert profile.startswith("mode: count\n")
        # The profile holds what the service itself ran: its own package has
        # covered blocks (-coverpkg=./... lists every package, mostly at 0).
        own = [line for line in profile.splitlines() if line.startswith(f"{run_e2e.MODULE_PATH}/{name}/")]
        assert any(not line.endswith(" 0") for line in own), f"{name}.out covers nothing of package {name}"


def test_total_equals_go_tool_cover_func(full, build_dir, covmerge):
    assert full.returncode == 0, full.stderr
    # go tool cover -func reads the sources, found through the module (cwd).
    r = subprocess.run([GO, "tool", "cover", f"-func={full.path('merged.out')}"], cwd=run_e2e.MODULE_DIR,
                       env=run_e2e.go_env(GO, build_dir), capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    go_total = re.search(r"^total:\s+\(statements\)\s+(\d+\.\d)%$", r.stdout, re.M).group(1)
    # covmerge on the merged file alone, and the run that merged the inputs.
    r = subprocess.run([covmerge, "report", "--json", "-", full.path("merged.out")],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert f"{json.loads(r.stdout)['total']['percent']:.1f}" == go_total
    summary = json.loads(full.read("summary.json"))
    assert f"{summary['total']['percent']:.1f}" == go_total
    assert re.search(rf"^TOTAL .* {re.escape(go_total)}%$", full.stdout, re.M), full.stdout


def test_merged_profile_is_what_gocovmerge_gives(full):
    assert full.returncode == 0, full.stderr
    inputs = [(path, open(path, encoding="utf-8").read()) for path in profiles(full)]
    assert full.read("merged.out") == reference_merge.merge(inputs)


def test_committed_baseline_is_current(full):
    # The gate lets coverage rise; this catches a baseline that lags behind
    # the shop's code. Statement coverage only: counts vary with timing.
    def coverage(summary):
        return (summary["total"]["statements"], summary["total"]["covered"],
                {p["name"]: (p["statements"], p["covered"]) for p in summary["packages"]})
    with open(run_e2e.BASELINE, encoding="utf-8") as f:
        baseline = json.load(f)
    assert coverage(json.loads(full.read("summary.json"))) == coverage(baseline), (
        "tests/e2e/baseline.json is stale: run tests/e2e/run_e2e.py --covmerge build/covmerge "
        "--write-baseline, review and commit it")


# --- failures that must be loud -------------------------------------------------

def test_partial_integration_run_fails_the_gate_naming_the_packages(drive):
    r = drive("--run", "^TestUser")
    assert r.returncode == 3, r.stdout + r.stderr
    assert "covmerge: coverage gate failed: total coverage fell from" in r.stderr
    fell = re.search(r"packages that fell: (.*)$", r.stderr, re.M).group(1)
    assert re.findall(r"(\S+) \(\d+\.\d+% -> \d+\.\d+%\)", fell) == ["billing", "gateway"]
    assert re.search(r"^  fell  billing  \d+\.\d+% -> \d+\.\d+%$", r.stdout, re.M), r.stdout
    assert "e2e: coverage gate failed against" in r.stderr
    # The outputs are still written, for the CI artifacts.
    assert os.path.getsize(r.path("merged.out")) > 0


@pytest.mark.parametrize("service", ["billing"])
def test_service_killed_with_sigkill_writes_no_profile_and_the_driver_fails(drive, service):
    r = drive("--sigkill", service)
    assert r.returncode == 1, r.stdout + r.stderr
    assert f"e2e: FAILED: no coverage from service {service}: refusing to report a total" in r.stderr
    assert f"service {service} wrote no coverage profile" in r.stderr
    assert "was killed by SIGKILL" in r.stderr
    assert not os.path.exists(r.path("profiles", f"{service}.out"))
    # The others still stopped cleanly, and nothing was merged or gated.
    for other in SERVICES:
        if other != service:
            assert os.path.exists(r.path("profiles", f"{other}.out"))
    assert not os.path.exists(r.path("merged.out"))
    assert "covmerge report" not in r.stderr


def fake_build(tmp_path, build_dir, users_script):
    """A build dir whose users binary is a script, the others the real ones."""
    fake = tmp_path / "build"
    (fake / "bin").mkdir(parents=True)
    for name in (*SERVICES, "integration"):
        if name != "users":
            os.symlink(run_e2e.binary(build_dir, name), fake / "bin" / f"{name}.test")
    users = fake / "bin" / "users.test"
    users.write_text("#!/bin/sh\n" + users_script)
    users.chmod(0o755)
    return str(fake)


def test_service_that_exits_at_start_is_named(drive, build_dir, tmp_path):
    fake = fake_build(tmp_path, build_dir, "echo 'users: listen tcp: address already in use'\nexit 1\n")
    r = drive(build=fake)
    assert r.returncode == 1, r.stderr
    assert "e2e: FAILED: service users exited with status 1 before it answered on http://127.0.0.1:" in r.stderr
    assert "address already in use" in r.stderr


def test_service_that_never_answers_is_named(drive, build_dir, tmp_path):
    fake = fake_build(tmp_path, build_dir, "exec sleep 60\n")
    r = drive("--start-timeout", "1", build=fake)
    assert r.returncode == 1, r.stderr
    assert re.search(r"e2e: FAILED: service users did not answer on http://127\.0\.0\.1:\d+/healthz "
                     r"within 1 s", r.stderr), r.stderr
