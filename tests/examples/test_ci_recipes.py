# SPDX-License-Identifier: Apache-2.0
"""The CI recipes of examples/ (GitHub Actions, GitLab CI): parsed as YAML,
and the shell of their coverage steps run, as the CI would run it, in a
git repository of the sample module (data/sample-module) with the sample
profiles: once on main (writing main's summary), once for a pull or merge
request against it. The steps that install the package or run go test are
the CI's own and are not run here; covmerge comes from the build."""
import os
import re
import shutil
import subprocess

import pytest
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
DATA = os.environ.get("COVMERGE_DATA", os.path.join(ROOT, "data"))


def sh(args, cwd, env):
    got = subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=env, timeout=300)
    assert got.returncode == 0, f"{args}\n{got.stdout}\n{got.stderr}"
    return got


@pytest.fixture
def repo(tmp_path):
    """The sample module as a git repository: main, then a change to a line
    the tests run, with the sample profiles in profiles/."""
    covmerge = os.environ.get("COVMERGE_BIN")
    assert covmerge and os.access(covmerge, os.X_OK), "COVMERGE_BIN must name the covmerge binary"
    root = tmp_path / "repo"
    shutil.copytree(os.path.join(DATA, "sample-module"), root)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "GITHUB_", "CI_"))}
    env.update(HOME=str(tmp_path), PATH=os.path.dirname(os.path.abspath(covmerge)) + os.pathsep + env["PATH"])
    git = ["git", "-c", "user.name=ci", "-c", "user.email=ci@example.com", "-c", "init.defaultBranch=main"]
    sh([*git, "init", "-q"], root, env)
    sh([*git, "add", "-A"], root, env)
    sh([*git, "commit", "-q", "-m", "main"], root, env)
    cart = root / "cart" / "cart.go"
    text = cart.read_text()
    line = "\treturn &Cart{store: store, lines: map[string]*Line{}, Region: region}\n"
    assert line in text
    cart.write_text(text.replace(line, line.rstrip("\n") + " // a cart per session\n"))
    sh([*git, "commit", "-q", "-am", "change"], root, env)
    sh(["git", "update-ref", "refs/remotes/origin/main", "HEAD~1"], root, env)
    shutil.copytree(os.path.join(DATA, "profiles", "count"), root / "profiles")
    return root, env


def run_script(script, root, env):
    return subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=root, capture_output=True, text=True,
                          env=env, timeout=300)


def test_github_actions_workflow(repo):
    root, env = repo
    with open(os.path.join(ROOT, "examples", "github-actions.yml")) as f:
        workflow = yaml.safe_load(f)
    steps = workflow["jobs"]["coverage"]["steps"]
    [gate] = [s for s in steps if s.get("name") == "Merge, report and gate"]
    env = dict(env, PROFILES="profiles")
    # On main: the summary that the pull requests compare with.
    got = run_script(gate["run"], root, dict(env, GITHUB_EVENT_NAME="push"))
    assert got.returncode == 0, got.stdout + got.stderr
    assert "TOTAL" in got.stdout and (root / "main.json").is_file() and (root / "coverage.xml").is_file()
    # The pull request: patch coverage of the changed line, against main.
    summary = root / "step-summary.md"
    got = run_script(gate["run"], root, dict(env, GITHUB_EVENT_NAME="pull_request", GITHUB_BASE_REF="main",
                                             GITHUB_STEP_SUMMARY=str(summary)))
    assert got.returncode == 0, got.stdout + got.stderr
    assert "patch coverage: 1 of 1 changed statements covered (100.0%) in 1 file" in got.stdout
    assert "| patch | **100.0%** |" in summary.read_text()
    published = [s for s in steps if s.get("name") == "Publish the reports"][0]["with"]["path"].split()
    for name in published:
        assert (root / name).is_file(), name


def test_gitlab_ci_job(repo):
    root, env = repo
    with open(os.path.join(ROOT, "examples", "gitlab-ci.yml")) as f:
        job = yaml.safe_load(f)["coverage"]
    script = "\n".join(job["script"])
    env = dict(env, PROFILES="profiles")
    got = run_script(script, root, env)
    assert got.returncode == 0, got.stdout + got.stderr
    # GitLab reads the total from the log with the job's regex.
    match = re.search(job["coverage"].strip("/"), got.stdout)
    assert match and match.group(1) == "54.8"
    got = run_script(script, root, dict(env, CI_MERGE_REQUEST_TARGET_BRANCH_NAME="main"))
    assert got.returncode == 0, got.stdout + got.stderr
    assert "patch coverage: 1 of 1" in got.stdout
    for name in job["artifacts"]["paths"] + [job["artifacts"]["reports"]["coverage_report"]["path"]]:
        assert (root / name).is_file(), name
