#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""The users' workflow end to end: integration-test coverage of Go services.

Builds the shop in tests/e2e/shop (three services and an integration suite,
Go standard library only) with Go's own toolchain, runs each service from its
coverage-instrumented test binary (`go test -c -cover`) on free loopback
ports, drives the services through the gateway with the integration tests,
stops each one through its HTTP kill switch so it writes its profile, runs the
unit tests with -coverprofile, and lets `covmerge report` merge the profiles,
print the table, write the merged profile and the JSON summary, and gate the
total against tests/e2e/baseline.json.

    tests/e2e/run_e2e.py --covmerge build/covmerge            # the whole workflow
    tests/e2e/run_e2e.py --covmerge build/covmerge --write-baseline
    tests/e2e/run_e2e.py --covmerge build/covmerge --run 'TestUser'   # gate fails
    tests/e2e/run_e2e.py --covmerge build/covmerge --sigkill billing  # no profile

Exit status: 0 the gate passed (or the baseline was written); 1 a step failed
(a build, a service that did not start or wrote no profile, a failing test,
a covmerge error); 2 a usage error; 3 the coverage gate failed.
"""
import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
MODULE_DIR = os.path.join(HERE, "shop")
MODULE_PATH = "example.com/e2eshop"
BASELINE = os.path.join(HERE, "baseline.json")
# Started in this order (the gateway needs the other two) and stopped in reverse.
SERVICES = ("users", "billing", "gateway")

START_DEADLINE_S = 30.0    # until a service answers GET /healthz (--start-timeout)
STOP_DEADLINE_S = 30.0     # from the kill switch until the process exited
TEST_TIMEOUT_S = 120.0     # the integration tests, the unit tests, covmerge


class E2EError(Exception):
    """A step failed; the message says which and what to look at."""


def log(message):
    print(f"e2e: {message}", file=sys.stderr, flush=True)


class Timer:
    """Wall-clock seconds per stage, printed at the end."""

    def __init__(self):
        self.stages = []
        self.start = time.monotonic()

    def stage(self, name):
        timer = self

        class Stage:
            def __enter__(self):
                self.t0 = time.monotonic()
                log(f"{name} ...")

            def __exit__(self, *exc):
                timer.stages.append((name, time.monotonic() - self.t0))

        return Stage()

    def report(self):
        parts = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in self.stages)
        log(f"time: {time.monotonic() - self.start:.1f} s ({parts})")


def go_env(go, build_dir):
    """The environment of every go command: offline, caches in build_dir."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("SHOP_") and k not in ("GOTOOLCHAIN", "GOFLAGS", "GOCOVERDIR")}
    env.update({
        "GOCACHE": os.path.join(build_dir, "gocache"),
        "GOPATH": os.path.join(build_dir, "gopath"),
        "GOFLAGS": "-mod=mod",
        "GOPROXY": "off",
        "GOSUMDB": "off",
        "GO111MODULE": "on",
        "GOTELEMETRY": "off",
    })
    env.setdefault("HOME", build_dir)
    # The go command must be the one the caller chose, also for `go vet`.
    env["PATH"] = os.path.dirname(os.path.abspath(go)) + os.pathsep + env.get("PATH", "")
    return env


def run_step(what, argv, *, cwd=None, env=None, timeout=TEST_TIMEOUT_S):
    """Runs argv (its output goes to ours); raises E2EError naming `what` when it fails."""
    try:
        r = subprocess.run(argv, cwd=cwd, env=env, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise E2EError(f"{what} did not finish in {timeout:.0f} s: {' '.join(argv)}")
    except OSError as e:
        raise E2EError(f"{what}: cannot run {argv[0]}: {e.strerror}")
    if r.returncode != 0:
        raise E2EError(f"{what} failed (exit status {r.returncode}; output above): {' '.join(argv)}")


def binary(build_dir, name):
    return os.path.join(build_dir, "bin", name + ".test")


def build(go, build_dir, env):
    """go test -c: one coverage-instrumented binary per service, one integration binary."""
    os.makedirs(os.path.join(build_dir, "bin"), exist_ok=True)
    for name in SERVICES:
        run_step(f"building the {name} service",
                 [go, "test", "-c", "-cover", "-covermode=count", "-coverpkg=./...",
                  "-o", binary(build_dir, name), f"./cmd/{name}"], cwd=MODULE_DIR, env=env)
    # The integration suite is a client: it is not instrumented.
    run_step("building the integration tests",
             [go, "test", "-c", "-o", binary(build_dir, "integration"), "./integration"],
             cwd=MODULE_DIR, env=env)


def free_ports(count):
    """Ports the kernel says are free on 127.0.0.1, all different (held open together)."""
    sockets = []
    try:
        for _ in range(count):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.1", 0))
            sockets.append(s)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


# Loopback only: an http_proxy in the environment must not see these requests.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def http_get(url, timeout=2.0):
    with _OPENER.open(url, timeout=timeout) as response:
        return response.status, response.read()


def tail(path, lines=20):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return "".join(f.readlines()[-lines:]).rstrip()
    except OSError:
        return "(no log)"


class Service:
    """One service, running from its test binary under TestRun."""

    def __init__(self, name, build_dir, work_dir, port, kill_port):
        self.name = name
        self.url = f"http://127.0.0.1:{port}"
        self.kill_url = f"http://127.0.0.1:{kill_port}/"
        self.addr = f"127.0.0.1:{port}"
        self.kill_addr = f"127.0.0.1:{kill_port}"
        self.binary = binary(build_dir, name)
        self.profile = os.path.join(work_dir, "profiles", f"{name}.out")
        self.log_path = os.path.join(work_dir, "logs", f"{name}.log")
        self.process = None

    def start(self, extra_env):
        env = {k: v for k, v in os.environ.items() if not k.startswith("SHOP_") and k != "GOCOVERDIR"}
        env.update(extra_env, SHOP_ADDR=self.addr, SHOP_KILL_ADDR=self.kill_addr)
        with open(self.log_path, "wb") as log_file:
            # -test.v puts TestRun's PASS/FAIL and the services' log lines in the log.
            self.process = subprocess.Popen(
                [self.binary, "-test.run=^TestRun$", "-test.v", f"-test.coverprofile={self.profile}"],
                env=env, stdout=log_file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                cwd=os.path.dirname(self.profile))

    def wait_healthy(self, timeout):
        """Polls GET /healthz until it answers 200. The handler has one path, so
        the number of polls changes counts, never which statements are covered."""
        deadline = time.monotonic() + timeout
        last_error = "no answer yet"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise E2EError(f"service {self.name} exited with status {self.process.returncode} before it "
                               f"answered on {self.url}/healthz; its log ({self.log_path}) ends:\n"
                               f"{tail(self.log_path)}")
            try:
                status, _ = http_get(self.url + "/healthz", timeout=1.0)
                if status == 200:
                    return
                last_error = f"status {status}"
            except (urllib.error.URLError, OSError) as e:
                last_error = str(getattr(e, "reason", e))
            time.sleep(0.05)
        raise E2EError(f"service {self.name} did not answer on {self.url}/healthz within "
                       f"{timeout:g} s (last: {last_error}); its log ({self.log_path}) ends:\n"
                       f"{tail(self.log_path)}")

    def stop_with_switch(self):
        """Pulls the kill switch; TestRun returns and the profile is written."""
        try:
            http_get(self.kill_url, timeout=5.0)
        except (urllib.error.URLError, OSError) as e:
            raise E2EError(f"service {self.name}: its kill switch at {self.kill_url} did not answer "
                           f"({getattr(e, 'reason', e)}); its log ({self.log_path}) ends:\n{tail(self.log_path)}")

    def kill(self, sig=signal.SIGKILL):
        if self.process and self.process.poll() is None:
            self.process.send_signal(sig)

    def wait_exit(self):
        """The exit status, or None when the process outlived the deadline."""
        try:
            return self.process.wait(timeout=STOP_DEADLINE_S)
        except subprocess.TimeoutExpired:
            return None

    def profile_problem(self, status):
        """None when the service wrote a profile, else a sentence saying why not."""
        if status is None:
            return (f"service {self.name} did not exit within {STOP_DEADLINE_S:.0f} s of its kill switch, "
                    f"so it wrote no coverage profile")
        # The testing package writes the profile before the process exits, so
        # once it exited the profile is there or never will be.
        if status < 0:
            how = f"was killed by {signal.Signals(-status).name}"
        else:
            how = f"exited with status {status}"
        if not os.path.exists(self.profile):
            return (f"service {self.name} wrote no coverage profile ({self.profile} is missing): it {how} "
                    f"instead of returning from TestRun after its kill switch; its log ({self.log_path}) "
                    f"ends:\n{tail(self.log_path)}")
        with open(self.profile, "rb") as f:
            head = f.read(6)
        if head != b"mode: ":
            return f"service {self.name} wrote a damaged coverage profile {self.profile} (it {how})"
        if status != 0:
            return (f"service {self.name} {how}, so its coverage profile may be incomplete; its log "
                    f"({self.log_path}) ends:\n{tail(self.log_path)}")
        return None


def run_services(args, build_dir, work_dir, timer):
    """Starts the shop, runs the integration tests, stops every service.
    Returns the profiles; raises E2EError naming each service without one."""
    ports = free_ports(2 * len(SERVICES))
    services = {name: Service(name, build_dir, work_dir, ports[2 * i], ports[2 * i + 1])
                for i, name in enumerate(SERVICES)}
    try:
        with timer.stage("starting the services"):
            for name in SERVICES:
                extra = {}
                if name == "gateway":
                    extra = {"SHOP_USERS_URL": services["users"].url,
                             "SHOP_BILLING_URL": services["billing"].url}
                services[name].start(extra)
                services[name].wait_healthy(args.start_timeout)
                log(f"{name} answers on {services[name].url} (kill switch {services[name].kill_url})")

        with timer.stage("integration tests"):
            argv = [binary(build_dir, "integration"), "-test.v", "-test.count=1"]
            if args.run:
                argv.append(f"-test.run={args.run}")
            env = dict(os.environ, SHOP_GATEWAY_URL=services["gateway"].url)
            run_step("the integration tests", argv, env=env, cwd=work_dir)

        with timer.stage("stopping the services"):
            problems = []
            for name in reversed(SERVICES):
                service = services[name]
                if name == args.sigkill:
                    log(f"killing {name} with SIGKILL instead of its kill switch (--sigkill)")
                    service.kill(signal.SIGKILL)
                else:
                    service.stop_with_switch()
                problem = service.profile_problem(service.wait_exit())
                if problem:
                    problems.append((name, problem))
                else:
                    log(f"{name} stopped by its kill switch and wrote {service.profile}")
            if problems:
                missing = ", ".join(name for name, _ in problems)
                raise E2EError(f"no coverage from service {missing}: refusing to report a total that "
                               f"would silently leave it out\n" + "\n".join(p for _, p in problems))
        return [services[name].profile for name in SERVICES]
    finally:
        # Whatever failed, no service outlives the driver.
        for service in services.values():
            if service.process and service.process.poll() is None:
                service.kill(signal.SIGKILL)
                service.process.wait()


def run_unit_tests(go, env, work_dir):
    profile = os.path.join(work_dir, "profiles", "unit.out")
    # No SHOP_* variable reaches them, so every TestRun and integration test skips.
    run_step("the unit tests",
             [go, "test", "-count=1", "-covermode=count", "-coverpkg=./...", f"-coverprofile={profile}", "./..."],
             cwd=MODULE_DIR, env=env)
    return profile


def report(args, covmerge, profiles, work_dir):
    merged = os.path.join(work_dir, "merged.out")
    summary = os.path.join(work_dir, "summary.json")
    argv = [covmerge, "report", "--strip-prefix", MODULE_PATH + "/", "-o", merged]
    if args.write_baseline:
        argv += ["--json", args.baseline]
    else:
        argv += ["--json", summary, "--baseline", args.baseline, "--max-drop", args.max_drop]
    argv += profiles
    log(" ".join(argv))
    try:
        r = subprocess.run(argv, timeout=TEST_TIMEOUT_S)
    except OSError as e:
        raise E2EError(f"cannot run covmerge {covmerge}: {e.strerror}")
    if r.returncode == 3:
        log(f"coverage gate failed against {args.baseline} (see above); merged profile {merged}")
        return 3
    if r.returncode != 0:
        raise E2EError(f"covmerge report failed (exit status {r.returncode})")
    if args.write_baseline:
        log(f"wrote the baseline {args.baseline}; commit it")
    else:
        log(f"gate passed; merged profile {merged}, summary {summary}")
    return 0


def parse_args(argv):
    p = argparse.ArgumentParser(
        description="Build the e2e shop, run its services under coverage, merge and gate with covmerge.")
    p.add_argument("--covmerge", default=os.environ.get("COVMERGE_BIN"),
                   help="the covmerge binary (default: $COVMERGE_BIN)")
    p.add_argument("--go", default=shutil.which("go") or "/usr/bin/go", help="the go command (default: go on PATH)")
    p.add_argument("--build-dir", help="binaries and the Go caches; kept and reused when given "
                                       "(default: a temporary directory, removed at the end)")
    p.add_argument("--work-dir", help="profiles/, logs/, merged.out and summary.json, replaced "
                                      "(default: BUILD_DIR/run, or a new temporary directory that is "
                                      "kept when there is no --build-dir)")
    p.add_argument("--build-only", action="store_true", help="build the binaries into --build-dir and stop")
    p.add_argument("--skip-build", action="store_true", help="reuse the binaries already in --build-dir")
    p.add_argument("--run", metavar="PATTERN", help="run only the integration tests matching PATTERN "
                                                    "(go test -run); the gate should then fail")
    p.add_argument("--sigkill", metavar="SERVICE", choices=SERVICES,
                   help="stop SERVICE with SIGKILL instead of its kill switch: it writes no profile, "
                        "and the driver must fail")
    p.add_argument("--baseline", default=BASELINE, help="the JSON summary to gate against "
                                                        "(default: tests/e2e/baseline.json)")
    p.add_argument("--max-drop", default="0", metavar="PCT", help="percentage points the total may fall (default 0)")
    p.add_argument("--start-timeout", type=float, default=START_DEADLINE_S, metavar="S",
                   help=f"seconds each service has to answer GET /healthz (default {START_DEADLINE_S:g})")
    p.add_argument("--write-baseline", action="store_true", help="write the summary to --baseline instead of gating")
    args = p.parse_args(argv)
    if not args.build_only and not args.covmerge:
        p.error("--covmerge PATH is required (or set COVMERGE_BIN)")
    if args.skip_build and not args.build_dir:
        p.error("--skip-build needs --build-dir, where an earlier run built the binaries")
    if args.write_baseline and (args.run or args.sigkill):
        p.error("--write-baseline needs the full run (no --run, no --sigkill)")
    return args


def main(argv):
    args = parse_args(argv)
    timer = Timer()
    temporary = None
    if args.build_dir:
        build_dir = os.path.abspath(args.build_dir)
        os.makedirs(build_dir, exist_ok=True)
    else:
        build_dir = temporary = tempfile.mkdtemp(prefix="covmerge-e2e-")
    try:
        if not os.access(args.go, os.X_OK):
            raise E2EError(f"no go command at {args.go} (install golang-go, or pass --go)")
        env = go_env(args.go, build_dir)
        if args.skip_build:
            for name in (*SERVICES, "integration"):
                if not os.access(binary(build_dir, name), os.X_OK):
                    raise E2EError(f"--skip-build: {binary(build_dir, name)} is missing; build it first "
                                   f"(--build-only --build-dir {build_dir})")
        else:
            with timer.stage("go build"):
                build(args.go, build_dir, env)
        if args.build_only:
            timer.report()
            return 0

        covmerge = os.path.abspath(args.covmerge)
        if not os.access(covmerge, os.X_OK):
            raise E2EError(f"no covmerge binary at {covmerge} (build it, or pass --covmerge)")
        if args.work_dir:
            work_dir = os.path.abspath(args.work_dir)
        elif temporary:
            # The build goes away at the end; the outputs stay for a look.
            work_dir = tempfile.mkdtemp(prefix="covmerge-e2e-run-")
        else:
            work_dir = os.path.join(build_dir, "run")
        # Only what an earlier run left: never a stale profile in this run's merge.
        for sub in ("profiles", "logs"):
            shutil.rmtree(os.path.join(work_dir, sub), ignore_errors=True)
            os.makedirs(os.path.join(work_dir, sub))
        for name in ("merged.out", "summary.json"):
            if os.path.exists(os.path.join(work_dir, name)):
                os.remove(os.path.join(work_dir, name))

        profiles = run_services(args, build_dir, work_dir, timer)
        with timer.stage("unit tests"):
            profiles.append(run_unit_tests(args.go, env, work_dir))
        with timer.stage("covmerge report"):
            status = report(args, covmerge, profiles, work_dir)
        timer.report()
        return status
    except E2EError as e:
        timer.report()
        print(f"e2e: FAILED: {e}", file=sys.stderr)
        return 1
    finally:
        if temporary:
            shutil.rmtree(temporary, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
