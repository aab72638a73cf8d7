"""Differential and property tests: covmerge vs. the reference merger.

    COVMERGE_BIN=build/covmerge /usr/bin/python3 -m pytest tests/property -q
    /usr/bin/python3 -m pytest tests/property -q -m 'not covmerge'   # self-checks only

Tests marked `covmerge` fail (never skip) when $COVMERGE_BIN is unset or unusable.
Optional: COVMERGE_PROP_CASES (default 1000), COVMERGE_PROP_SEED (first seed, default 0).
"""
import difflib
import os
import random
import shlex
import subprocess
import sys

import pytest

from gen_random import INT64_MAX, UINT32_MAX, generate, write_case
from reference_merge import ProfileError, merge, parse

N_CASES = int(os.environ.get("COVMERGE_PROP_CASES", "1000"))
SEED_BASE = int(os.environ.get("COVMERGE_PROP_SEED", "0"))
BATCHES = 10
PROPERTY_SEEDS = range(SEED_BASE + 10**6, SEED_BASE + 10**6 + 50)
TIMEOUT_S = 30
MAX_FAILURES = 3  # per test: stop after this many failing seeds
HERE = os.path.dirname(os.path.abspath(__file__))

# --------------------------------------------------------------------------
# helpers


def _show(data):
    return data.decode("utf-8", "backslashreplace").replace("\r", "\\r")


def _diff(expected, actual, labels=("expected (reference)", "actual (covmerge)")):
    lines = list(difflib.unified_diff(_show(expected).splitlines(True),
                                      _show(actual).splitlines(True), *labels))
    if not lines:
        return f"(no line diff) expected ends {expected[-60:]!r}, actual ends {actual[-60:]!r}"
    text = "".join(l if l.endswith("\n") else l + "\n\\ No newline at end of file\n"
                   for l in lines[:80])
    if len(lines) > 80:
        text += f"... ({len(lines) - 80} more diff lines)\n"
    return text


def run_covmerge(binary, files, out, jobs):
    """Run `binary -j JOBS -o OUT FILES...` in OUT's folder; return (bytes, None) or (None, error)."""
    cwd = os.path.dirname(out)  # run in the case's folder: short, reproducible commands
    cmd = [binary, "-j", str(jobs), "-o", os.path.basename(out),
           *(os.path.relpath(f, cwd) for f in files)]
    if os.path.lexists(out):
        os.unlink(out)
    try:
        proc = subprocess.run(cmd, cwd=cwd, stdin=subprocess.DEVNULL, capture_output=True,
                              timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return None, f"timed out after {TIMEOUT_S}s: {shlex.join(cmd)}"
    except OSError as e:
        return None, f"could not run {shlex.join(cmd)}: {e}"
    if proc.returncode != 0:
        how = (f"killed by signal {-proc.returncode}" if proc.returncode < 0
               else f"exit status {proc.returncode}")
        stderr = proc.stderr.decode("utf-8", "replace").strip()[-2000:]
        return None, f"{how}: {shlex.join(cmd)}\n    stderr: {stderr or '(empty)'}"
    if not os.path.isfile(out):
        return None, f"exit status 0 but no output file was written: {shlex.join(cmd)}"
    with open(out, "rb") as f:
        return f.read(), None


class Failures:
    """Collects failing seeds of one test; reports the first few in full."""

    def __init__(self):
        self.messages = []
        self.checked = 0

    def add(self, seed, workdir, problems):
        """seed: an int from generate(), or a label for a hand-written case."""
        self.checked += 1
        if problems:
            regenerate = (f"  (regenerate: /usr/bin/python3 tests/property/gen_random.py {seed} DIR)\n"
                          if isinstance(seed, int) else "")
            label = f"seed {seed}" if isinstance(seed, int) else seed
            self.messages.append(
                f"{label}: inputs and outputs kept in {workdir} (commands run there)\n"
                + regenerate + "\n".join("  " + p.replace("\n", "\n  ") for p in problems))

    def full(self):
        return len(self.messages) >= MAX_FAILURES

    def report(self):
        if self.messages:
            stopped = " (stopped early)" if self.full() else ""
            pytest.fail(f"{len(self.messages)} of {self.checked} cases failed{stopped}:\n\n"
                        + "\n\n".join(self.messages), pytrace=False)


def _case_dir(tmp_path, seed, tag=""):
    path = tmp_path / f"seed{seed}{tag}"
    path.mkdir()
    return str(path)


def _compare(problems, what, expected, actual, error, labels):
    if error:
        problems.append(f"{what}: {error}")
    elif actual != expected:
        problems.append(f"{what}: outputs differ\n{_diff(expected, actual, labels)}")


# --------------------------------------------------------------------------
# hand-computed examples (also used against the binary)

KNOWN_COUNT_INPUTS = [
    ("a.cov", "mode: count\n"
              "example.com/a b/x:y.go:10.2,12.3 2 5\n"
              "C:/src/a.go:3.1,4.2 1 1\n"
              "example.com/m/b.go:9.1,9.20 1 0\n"
              "example.com/m/b.go:10.1,11.2 3 7\n"
              "example.com/m/b.go:9.1,9.20 1 2\n"),
    ("b.cov", "mode: count\r\n"
              "\r\n"
              "example.com/m/b.go:10.1,11.2 3 9223372036854775801\r\n"
              "mode: count\r\n"
              "example.com/a b/x:y.go:1.1,2.2 1 4\r\n"),
    ("c.cov", "mode: count\n"),
]
KNOWN_COUNT_OUTPUT = (b"mode: count\n"
                      b"C:/src/a.go:3.1,4.2 1 1\n"
                      b"example.com/a b/x:y.go:1.1,2.2 1 4\n"
                      b"example.com/a b/x:y.go:10.2,12.3 2 5\n"
                      b"example.com/m/b.go:9.1,9.20 1 2\n"
                      b"example.com/m/b.go:10.1,11.2 3 9223372036854775807\n")

KNOWN_SET_INPUTS = [
    ("s1.cov", "mode: set\n"
               "b.go:1.1,1.5 1 0\n"
               "a.go:2.1,3.1 1 1\n"
               "b.go:1.1,1.5 1 1\n"
               "a.go:2.1,3.1 1 0\n"
               "a.go:1.1,1.9 1 0"),
    ("s2.cov", "mode: set\na.go:1.1,1.9 1 0\n"),
]
KNOWN_SET_OUTPUT = (b"mode: set\n"
                    b"a.go:1.1,1.9 1 0\n"
                    b"a.go:2.1,3.1 1 1\n"
                    b"b.go:1.1,1.5 1 1\n")

KNOWN_EMPTY_INPUTS = [("e1.cov", "mode: atomic\n"), ("e2.cov", "\nmode: atomic\r\n\r\n")]

KNOWN_EXAMPLES = [(KNOWN_COUNT_INPUTS, KNOWN_COUNT_OUTPUT),
                  (KNOWN_SET_INPUTS, KNOWN_SET_OUTPUT),
                  (KNOWN_EMPTY_INPUTS, b"")]

# --------------------------------------------------------------------------
# self-checks of the reference merger and the generator (no binary needed)


def test_reference_known_example():
    for inputs, expected in KNOWN_EXAMPLES:
        assert merge(inputs).encode() == expected


def test_reference_rules():
    assert merge([]) == ""
    assert merge([("x", "mode: set\n"), ("y", "mode: count\n")]) == ""  # no blocks: no mode
    assert merge([("x", "mode: set\n"), ("y", "mode: count\np.go:1.1,1.2 1 3\n")]) \
        == "mode: count\np.go:1.1,1.2 1 3\n"
    # parsed from the right: ':' and ' ' in the path
    assert parse("x", "mode: set\nC:/a b/c:d.go:1.2,3.4 5 1")[1] == \
        [("C:/a b/c:d.go", 1, 2, 3, 4, 5, 1)]
    # limits: uint32 positions/NUMSTMT, int64 counts; saturation is exact
    big = f"p.go:{UINT32_MAX}.{UINT32_MAX},{UINT32_MAX}.{UINT32_MAX} {UINT32_MAX} {INT64_MAX}\n"
    assert merge([("x", "mode: count\n" + big)]) == "mode: count\n" + big
    assert merge([("x", "mode: atomic\n" + big), ("y", "mode: atomic\n" + big)]) \
        == "mode: atomic\n" + big
    assert merge([("x", "mode: count\np.go:1.1,1.2 1 %d\np.go:1.1,1.2 1 1\n" % (INT64_MAX - 1))]) \
        == "mode: count\np.go:1.1,1.2 1 %d\n" % INT64_MAX
    assert merge([("x", "mode: set\np.go:1.1,1.2 1 1\np.go:1.1,1.2 1 0\n")]) \
        == "mode: set\np.go:1.1,1.2 1 1\n"
    # numeric (not textual) order inside a file, byte order across files
    assert merge([("x", "mode: set\nb.go:10.1,10.2 1 1\nb.go:9.1,9.2 1 1\nB.go:1.1,1.2 1 0\n")]) \
        == "mode: set\nB.go:1.1,1.2 1 0\nb.go:9.1,9.2 1 1\nb.go:10.1,10.2 1 1\n"
    # a leading '+' on any number, as Go's strconv.Atoi takes it
    assert merge([("x", "mode: count\np.go:+1.+1,+1.+2 +1 +5\np.go:1.1,1.2 1 1\n")]) \
        == "mode: count\np.go:1.1,1.2 1 6\n"
    for bad in [f"p.go:{UINT32_MAX + 1}.1,1.2 1 1", f"p.go:1.1,1.2 {UINT32_MAX + 1} 1",
                f"p.go:1.1,1.2 1 {INT64_MAX + 1}", "p.go:1.1,1.2 1 -1", "p.go:1.1,1.2 1 -0", "p.go:1.1,1.2 1 ++1",
                "p.go:1.1,1.2 1", ":1.1,1.2 1 1", "p.go 1.1,1.2 1 1", "mode: count"]:
        with pytest.raises(ProfileError):
            merge([("x", "mode: set\n" + bad + "\n")])
    for bad_mode in ["mode: sets\n", "mode:set\n", "p.go:1.1,1.2 1 1\n"]:
        with pytest.raises(ProfileError):
            merge([("x", bad_mode)])
    with pytest.raises(ProfileError):
        merge([("x", "mode: set\np.go:1.1,1.2 1 1\n"), ("y", "mode: count\np.go:1.1,1.2 1 1\n")])


def test_reference_cli(tmp_path):
    for i, (inputs, expected) in enumerate(KNOWN_EXAMPLES):
        d = tmp_path / f"ex{i}"
        d.mkdir()
        files = write_case(inputs, str(d))
        script = os.path.join(HERE, "reference_merge.py")
        proc = subprocess.run([sys.executable, script, *files], capture_output=True, check=True)
        assert proc.stdout == expected
        out = str(d / "out")
        subprocess.run([sys.executable, script, "-j", "4", "-o", out, *files], check=True)
        with open(out, "rb") as f:
            assert f.read() == expected


def _stats(stats, inputs, output):
    stats["cases"] += 1
    stats["mode " + parse("x", inputs[0][1])[0]] += 1
    stats["empty output"] += output == ""
    stats["saturated"] += f" {INT64_MAX}\n" in output
    stats["uint32 max"] += f"{UINT32_MAX}" in output
    stats["':' in path"] += any(l.rsplit(":", 1)[0].count(":") > 0 and not l.startswith(("C:", "c:", "D:"))
                                for l in output.splitlines()[1:])
    stats["' ' in path"] += any(l.rsplit(" ", 2)[0].count(" ") for l in output.splitlines()[1:])
    stats["drive path"] += any(l.startswith(("C:", "c:", "D:")) for l in output.splitlines()[1:])
    for _, text in inputs:
        blocks = parse("x", text)[1]
        lines = text.split("\n")
        stats["inputs"] += 1
        stats["mode-only input"] += not blocks
        stats["duplicate in one input"] += len(blocks) != len({b[:5] for b in blocks})
        stats["CRLF input"] += "\r\n" in text
        stats["no final newline"] += not text.endswith("\n")
        stats["blank line"] += "" in [l.rstrip("\r") for l in lines[:-1]]
        stats["repeated mode line"] += sum(l.startswith("mode: ") for l in lines) > 1


def test_generator_and_reference_properties():
    """Generator is deterministic and varied; the reference has the tested properties."""
    from collections import Counter
    stats = Counter()
    for seed in range(SEED_BASE, SEED_BASE + N_CASES):
        inputs = generate(seed)
        assert inputs == generate(seed), seed
        assert 1 <= len(inputs) <= 6, seed
        output = merge(inputs)
        _stats(stats, inputs, output)
        assert merge(inputs[::-1]) == output, seed
        assert merge([("n", output)]) == output, seed  # normalised form is a fixed point
        mode = parse("x", inputs[0][1])[0]
        assert merge(inputs + [("e", f"mode: {mode}\n")]) == output, seed
        set_inputs = generate(seed, mode="set")
        once = merge(set_inputs)
        assert merge(set_inputs + set_inputs) == once, seed
        assert merge([("a", once), ("b", once)]) == once, seed
    print(dict(stats))
    n = stats["cases"]
    for key, minimum in [("mode set", n // 5), ("mode count", n // 5), ("mode atomic", n // 5),
                         ("empty output", 3), ("saturated", n // 20), ("uint32 max", 3),
                         ("':' in path", n // 20), ("' ' in path", n // 20), ("drive path", n // 20),
                         ("mode-only input", n // 20), ("duplicate in one input", n // 20),
                         ("CRLF input", n // 20), ("no final newline", n // 20),
                         ("blank line", n // 20), ("repeated mode line", n // 20)]:
        assert stats[key] >= minimum, (key, stats[key], dict(stats))


# --------------------------------------------------------------------------
# the binary against the reference


@pytest.mark.covmerge
def test_covmerge_known_examples(covmerge_bin, tmp_path):
    failures = Failures()
    for i, (inputs, expected) in enumerate(KNOWN_EXAMPLES):
        workdir = str(tmp_path / f"known{i}")
        os.mkdir(workdir)
        files = write_case(inputs, workdir)
        problems = []
        for jobs in (1, 4):
            actual, error = run_covmerge(covmerge_bin, files, os.path.join(workdir, f"out-j{jobs}"), jobs)
            _compare(problems, f"-j {jobs}", expected, actual, error,
                     ("expected (hand-computed)", "actual (covmerge)"))
        failures.add(f"known example {i}", workdir, problems)
    failures.report()


def _interleaved_case(seed):
    """A profile of some 2.5 MB whose every line names another file than the
    line before (covmerge routes such an input's lines by file), with blocks
    repeated out of order, and a profile of runs that shares its files."""
    rng = random.Random(seed)
    files = [f"ex.com/m{seed}/p{f % 17}/f{f}.go" for f in range(rng.randint(150, 400))]
    mode = rng.choice(["set", "count", "atomic"])

    def line(path, b):
        count = rng.randint(0, 3) if mode == "set" else rng.choice([0, 1, 7, 1000, INT64_MAX // 4])
        return f"{path}:{10 * b + 1}.{b % 7 + 1},{10 * b + 5}.9 {1 + b % 3} {min(count, 1) if mode == 'set' else count}\n"

    interleaved = [f"mode: {mode}\n"]
    for i in range(60000):
        b = i // len(files) if rng.random() < 0.8 else rng.randint(0, 200)
        interleaved.append(line(files[i % len(files)], b))
    runs = [f"mode: {mode}\n"]
    for path in rng.sample(files, 40):
        runs.extend(line(path, b) for b in range(rng.randint(1, 120)))
    return [("interleaved.out", "".join(interleaved)), ("runs.out", "".join(runs))]


@pytest.mark.covmerge
def test_covmerge_routes_interleaved_inputs_as_the_reference_merges(covmerge_bin, tmp_path):
    failures = Failures()
    for seed in range(3):
        inputs = _interleaved_case(seed)
        expected = merge(inputs).encode("utf-8")
        workdir = _case_dir(tmp_path, seed)
        problems = []
        for order in (inputs, inputs[::-1]):
            files = write_case(order, workdir)
            for jobs in (1, 2, 3):
                actual, error = run_covmerge(covmerge_bin, files, os.path.join(workdir, f"out-j{jobs}"), jobs)
                _compare(problems, f"-j {jobs}, {order[0][0]} first", expected, actual, error,
                         ("expected (reference)", "actual (covmerge)"))
        failures.add(seed, workdir, problems)
    failures.report()


@pytest.mark.covmerge
@pytest.mark.parametrize("batch", range(BATCHES))
def test_covmerge_matches_reference(covmerge_bin, tmp_path, batch):
    failures = Failures()
    first = SEED_BASE + N_CASES * batch // BATCHES
    last = SEED_BASE + N_CASES * (batch + 1) // BATCHES
    for seed in range(first, last):
        inputs = generate(seed)
        workdir = _case_dir(tmp_path, seed)
        files = write_case(inputs, workdir)
        expected = merge(inputs).encode("utf-8")
        problems = []
        for jobs in (1, 4):
            actual, error = run_covmerge(covmerge_bin, files, os.path.join(workdir, f"out-j{jobs}"), jobs)
            _compare(problems, f"-j {jobs}", expected, actual, error,
                     ("expected (reference)", "actual (covmerge)"))
        failures.add(seed, workdir, problems)
        if failures.full():
            break
    failures.report()


@pytest.mark.covmerge
def test_covmerge_input_order_irrelevant(covmerge_bin, tmp_path):
    failures = Failures()
    for seed in PROPERTY_SEEDS:
        inputs = generate(seed)
        if len(inputs) < 2:
            continue
        workdir = _case_dir(tmp_path, seed)
        files = write_case(inputs, workdir)
        shuffled = files[:]
        random.Random(seed).shuffle(shuffled)
        problems = []
        forward, error = run_covmerge(covmerge_bin, files, os.path.join(workdir, "out-forward"), 1)
        if error:
            problems.append(f"forward order: {error}")
        else:
            for label, order, jobs in [("reversed", files[::-1], 4), ("shuffled", shuffled, 2)]:
                actual, error = run_covmerge(covmerge_bin, order, os.path.join(workdir, f"out-{label}"), jobs)
                _compare(problems, f"{label} order (-j {jobs})", forward, actual, error,
                         ("forward order", f"{label} order"))
        failures.add(seed, workdir, problems)
        if failures.full():
            break
    assert failures.checked > 0
    failures.report()


@pytest.mark.covmerge
def test_covmerge_set_mode_idempotent(covmerge_bin, tmp_path):
    failures = Failures()
    for seed in PROPERTY_SEEDS:
        inputs = generate(seed, mode="set")
        workdir = _case_dir(tmp_path, seed)
        files = write_case(inputs, workdir)
        problems = []
        once, error = run_covmerge(covmerge_bin, files, os.path.join(workdir, "out-once"), 1)
        if error:
            problems.append(f"merging once: {error}")
        else:
            twice, error = run_covmerge(covmerge_bin, files + files, os.path.join(workdir, "out-twice"), 4)
            _compare(problems, "every input given twice", once, twice, error, ("once", "twice"))
            if once:
                normalised = os.path.join(workdir, "normalised.cov")
                with open(normalised, "wb") as f:
                    f.write(once)
                again, error = run_covmerge(covmerge_bin, [normalised, normalised],
                                            os.path.join(workdir, "out-self"), 1)
                _compare(problems, "merged output merged with itself", once, again, error,
                         ("merged output", "merged output + itself"))
        failures.add(seed, workdir, problems)
        if failures.full():
            break
    failures.report()


@pytest.mark.covmerge
def test_covmerge_empty_profile_only_normalises(covmerge_bin, tmp_path):
    failures = Failures()
    for seed in PROPERTY_SEEDS:
        first = generate(seed)[:1]
        mode = parse("x", first[0][1])[0]
        inputs = first + [("empty.cov", f"mode: {mode}\n")]
        workdir = _case_dir(tmp_path, seed)
        profile, empty = write_case(inputs, workdir)
        expected = merge(first).encode("utf-8")  # the profile alone, normalised
        problems = []
        for label, order in [("profile + empty", [profile, empty]), ("empty + profile", [empty, profile])]:
            actual, error = run_covmerge(covmerge_bin, order, os.path.join(workdir, "out"), 1)
            _compare(problems, label, expected, actual, error, ("reference(profile)", label))
        if expected:
            normalised = os.path.join(workdir, "normalised.cov")
            with open(normalised, "wb") as f:
                f.write(expected)
            actual, error = run_covmerge(covmerge_bin, [normalised, empty], os.path.join(workdir, "out"), 4)
            _compare(problems, "normalised + empty", expected, actual, error,
                     ("normalised", "normalised + empty"))
        failures.add(seed, workdir, problems)
        if failures.full():
            break
    failures.report()
