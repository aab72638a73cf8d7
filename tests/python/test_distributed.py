# SPDX-License-Identifier: Apache-2.0
"""covmerge.distributed on a LocalCluster of worker processes: the same
bytes as the covmerge command at every batch size and tree shape, the same
errors naming the same inputs, faults (a worker killed mid-merge, workers
that keep dying, a timeout), the partial's format, and the command."""
import gzip
import os
import random
import signal
import subprocess
import sys
import threading
import time

import pytest

import dask
import distributed  # python3-distributed, which build.sh installs

import covmerge
import covmerge.distributed as cd
from covmerge.distributed.partial import InputError, Partial

TIMEOUT = 120  # seconds: no test waits longer on a cluster


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster, \
            distributed.Client(cluster, timeout=TIMEOUT) as c:
        yield c


def command(covmerge_bin, *args):
    """The covmerge command's (exit status, stdout, stderr)."""
    p = subprocess.run([covmerge_bin, *map(str, args)], capture_output=True, timeout=TIMEOUT)
    return p.returncode, p.stdout, p.stderr.decode()


def command_merge(covmerge_bin, inputs, tmp_path, *options):
    out = tmp_path / "command.out"
    status, _, stderr = command(covmerge_bin, *inputs, "-o", out, *options)
    assert status == 0, stderr
    return out.read_bytes()


def command_error(covmerge_bin, inputs, *options):
    status, _, stderr = command(covmerge_bin, *inputs, "-o", os.devnull, *options)
    assert status == 1, stderr
    prefix = "covmerge: error: "
    assert stderr.startswith(prefix)
    return stderr[len(prefix):].rstrip("\n")


def write_corpus(directory, profiles=240, seed=7):
    """Per-package profiles of one repository, files in random order, some
    blocks duplicated, some counts zero: the shape CI collects."""
    rng = random.Random(seed)
    files = [f"example.com/repo/pkg{p}/file{f}.go" for p in range(30) for f in range(4)]
    blocks = {path: [(1 + 3 * b, 2 + b % 5, 2 + 3 * b, 4 + b % 7, 1 + b % 4) for b in range(rng.randint(3, 40))]
              for path in files}
    paths = []
    for i in range(profiles):
        lines = ["mode: count"]
        chosen = rng.sample(files, rng.randint(4, 16))
        for path in chosen:
            for sl, sc, el, ec, ns in blocks[path]:
                if rng.random() < 0.8:
                    lines.append(f"{path}:{sl}.{sc},{el}.{ec} {ns} {rng.choice((0, 0, 1, 2, 17, 123456))}")
        name = directory / f"shard{i:04d}.out"
        name.write_text("\n".join(lines) + "\n")
        paths.append(name)
    return paths


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    directory = tmp_path_factory.mktemp("corpus")
    write_corpus(directory)
    return directory


# ---------------------------------------------------------------------------
# The same bytes as one machine.


@pytest.mark.parametrize("batch_size,split_every", [(1, 2), (3, 2), (3, 8), (100, 8)])
def test_sample_data_gives_the_commands_bytes(client, covmerge_bin, data_dir, tmp_path, batch_size, split_every):
    cases = [
        [f"{data_dir}/profiles/count"],
        [f"{data_dir}/profiles/set", f"{data_dir}/profiles/set"],
        [f"{data_dir}/gocoverdir-sample/gocoverdir", f"{data_dir}/profiles/count"],
    ]
    for inputs in cases:
        want = command_merge(covmerge_bin, inputs, tmp_path)
        out = tmp_path / "distributed.out"
        result = cd.merge(inputs, out, client=client, batch_size=batch_size, split_every=split_every,
                          timeout=TIMEOUT)
        assert out.read_bytes() == want, inputs
        single = covmerge.merge(inputs)
        assert result.summary == single.summary
        assert result.packages == single.packages
        assert result.files == single.files
        assert result.inputs_merged == single.inputs_merged
        assert result.mode == single.mode


@pytest.mark.parametrize("batch_size,batch_bytes,split_every",
                         [(7, 1 << 30, 2), (16, 1 << 30, 3), (50, 1 << 30, 8), (1000, 1 << 30, 8), (1000, 20000, 4)])
def test_a_corpus_of_hundreds_gives_the_commands_bytes(client, covmerge_bin, corpus, tmp_path, batch_size,
                                                       batch_bytes, split_every):
    want = command_merge(covmerge_bin, [corpus], tmp_path)
    out = tmp_path / "distributed.out"
    result = cd.merge([corpus], out, client=client, batch_size=batch_size, batch_bytes=batch_bytes,
                      split_every=split_every, timeout=TIMEOUT)
    assert out.read_bytes() == want
    assert result.inputs_merged == 240


def test_compressed_inputs_and_file_urls_give_the_same_bytes(client, covmerge_bin, data_dir, tmp_path):
    count = os.path.join(data_dir, "profiles", "count")
    mixed = tmp_path / "mixed"
    mixed.mkdir()
    for i, name in enumerate(sorted(os.listdir(count))):
        data = open(os.path.join(count, name), "rb").read()
        if i % 3 == 0:
            (mixed / (name + ".gz")).write_bytes(gzip.compress(data))
        elif i % 3 == 1:
            subprocess.run(["zstd", "-q", "-o", str(mixed / (name + ".zst")), os.path.join(count, name)], check=True)
        else:
            (mixed / name).write_bytes(data)
    want = command_merge(covmerge_bin, [count], tmp_path)
    for inputs in ([mixed], [f"file://{mixed}"], [f"file://{mixed}/{n}" for n in sorted(os.listdir(mixed))]):
        out = tmp_path / "distributed.out"
        cd.merge(inputs, out, client=client, batch_size=2, split_every=2, timeout=TIMEOUT)
        assert out.read_bytes() == want, inputs


def test_batches_are_consecutive_inputs_cut_by_count_and_bytes():
    specs = [("path", name) for name in "abcde"]
    assert cd._batches(specs, [5, 5, 5, 20, 1], 10, 10) == [(0, specs[0:2]), (2, specs[2:3]), (3, specs[3:4]),
                                                           (4, specs[4:5])]
    assert cd._batches(specs, [0] * 5, 2, 10) == [(0, specs[0:2]), (2, specs[2:4]), (4, specs[4:5])]
    assert cd._batches([], [], 2, 10) == []


def test_an_empty_merge_writes_an_empty_file(client, tmp_path):
    only_mode = tmp_path / "mode.out"
    only_mode.write_text("mode: set\n")
    out = tmp_path / "distributed.out"
    result = cd.merge([only_mode, only_mode], out, client=client, batch_size=1, timeout=TIMEOUT)
    assert out.read_bytes() == b""
    assert result.summary.statements == 0


# ---------------------------------------------------------------------------
# The same errors, naming the same inputs.


def damaged(tmp_path, name="damaged.out"):
    path = tmp_path / name
    path.write_text("mode: count\nexample.com/repo/pkg1/file0.go:1.2,2.4 1 x\n")
    return path


def conflicting(tmp_path):
    """A block of the corpus with another number of statements."""
    path = tmp_path / "zz-conflict.out"
    path.write_text("mode: count\nexample.com/repo/pkg1/file0.go:1.2,2.4 9 1\n")
    return path


@pytest.mark.parametrize("batch_size", [1, 10, 1000])
def test_a_damaged_input_is_named_as_the_command_names_it(client, covmerge_bin, corpus, tmp_path, batch_size):
    inputs = [corpus, damaged(tmp_path), damaged(tmp_path, "second-damaged.out")]
    want = command_error(covmerge_bin, inputs)
    with pytest.raises(covmerge.ProfileError) as error:
        cd.merge(inputs, client=client, batch_size=batch_size, timeout=TIMEOUT)
    assert str(error.value) == want
    assert error.value.path == str(tmp_path / "damaged.out")
    assert error.value.line == 2


@pytest.mark.parametrize("batch_size,split_every", [(1, 2), (10, 3), (1000, 8)])
def test_a_conflict_is_named_as_the_command_names_it(client, covmerge_bin, corpus, tmp_path, batch_size, split_every):
    inputs = [corpus, conflicting(tmp_path)]
    want = command_error(covmerge_bin, inputs)
    with pytest.raises(covmerge.ProfileError) as error:
        cd.merge(inputs, client=client, batch_size=batch_size, split_every=split_every, timeout=TIMEOUT)
    assert str(error.value) == want
    assert error.value.conflict


def test_a_missing_input_is_named_as_the_command_names_it(client, covmerge_bin, corpus, tmp_path):
    missing = tmp_path / "missing.out"
    want = command_error(covmerge_bin, [corpus, missing])
    with pytest.raises(FileNotFoundError) as error:
        cd.merge([corpus, missing], client=client, batch_size=25, timeout=TIMEOUT)
    assert error.value._covmerge_message == want


def test_a_url_that_cannot_be_read_is_named(client, corpus, tmp_path):
    missing = f"file://{tmp_path}/missing.out"
    with pytest.raises(FileNotFoundError) as error:
        cd.merge([corpus, missing], client=client, batch_size=25, timeout=TIMEOUT)
    assert error.value._covmerge_message == f"cannot open {missing}: No such file or directory"
    result = cd.merge([missing, corpus], client=client, batch_size=25, on_conflict="skip", timeout=TIMEOUT)
    assert [s.name for s in result.skipped] == [missing]
    assert result.inputs_merged == 240


@pytest.mark.parametrize("batch_size,split_every", [(1, 2), (10, 3), (1000, 8)])
def test_skipping_leaves_out_the_inputs_the_command_leaves_out(client, covmerge_bin, corpus, tmp_path, batch_size,
                                                               split_every):
    inputs = [damaged(tmp_path), corpus, conflicting(tmp_path), tmp_path / "missing.out"]
    want = command_merge(covmerge_bin, inputs, tmp_path, "--keep-going")
    single = covmerge.merge(inputs, on_conflict="skip")
    out = tmp_path / "distributed.out"
    result = cd.merge(inputs, out, client=client, batch_size=batch_size, split_every=split_every,
                      on_conflict="skip", timeout=TIMEOUT)
    assert out.read_bytes() == want
    assert result.skipped == single.skipped
    assert len(result.skipped) == 3
    assert result.inputs_merged == single.inputs_merged


def test_skipping_every_input_is_the_error_the_command_gives(client, covmerge_bin, tmp_path):
    inputs = [damaged(tmp_path), damaged(tmp_path, "other.out")]
    want = command_error(covmerge_bin, inputs, "--keep-going")
    with pytest.raises(covmerge.ProfileError) as error:
        cd.merge(inputs, client=client, batch_size=1, on_conflict="skip", timeout=TIMEOUT)
    assert str(error.value) == want


# ---------------------------------------------------------------------------
# Faults of the cluster.


def test_a_worker_killed_mid_merge_changes_nothing(covmerge_bin, corpus, tmp_path):
    want = command_merge(covmerge_bin, [corpus], tmp_path)
    out = tmp_path / "distributed.out"
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster, \
            distributed.Client(cluster, timeout=TIMEOUT) as c:
        outcome = {}

        def run():
            try:
                outcome["result"] = cd.merge([corpus], out, client=c, batch_size=12, split_every=2,
                                             timeout=TIMEOUT, _test_fault="slow")
            except BaseException as e:  # noqa: BLE001 - reported below
                outcome["error"] = e

        merging = threading.Thread(target=run)
        merging.start()
        deadline = time.monotonic() + 30
        while not any(c.processing().values()) and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)  # leaves are running (each takes 0.3 s here, 20 of them)
        victim = next(iter(c.run(os.getpid).values()))
        os.kill(victim, signal.SIGKILL)
        merging.join(TIMEOUT)
        assert not merging.is_alive()
    assert "error" not in outcome, outcome.get("error")
    assert out.read_bytes() == want
    assert outcome["result"].inputs_merged == 240


def test_workers_that_keep_dying_are_reported_not_waited_for(corpus):
    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
        with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                      dashboard_address=":0") as cluster, \
                distributed.Client(cluster, timeout=TIMEOUT) as c:
            started = time.monotonic()
            with pytest.raises(MemoryError, match="worker died each time.*memory"):
                cd.merge([corpus], client=c, batch_size=100, timeout=TIMEOUT, _test_fault="die")
            assert time.monotonic() - started < TIMEOUT


def test_a_merge_past_its_timeout_raises(client, corpus):
    started = time.monotonic()
    with pytest.raises(TimeoutError, match="did not finish within"):
        cd.merge([corpus], client=client, batch_size=5, timeout=0.5, _test_fault="slow")
    assert time.monotonic() - started < 10


def test_bad_arguments_are_refused_before_any_work(client, corpus):
    with pytest.raises(ValueError, match="batch_size"):
        cd.merge([corpus], client=client, batch_size=0)
    with pytest.raises(ValueError, match="batch_bytes"):
        cd.merge([corpus], client=client, batch_bytes=0)
    with pytest.raises(ValueError, match="split_every"):
        cd.merge([corpus], client=client, split_every=1)
    with pytest.raises(ValueError, match="on_conflict"):
        cd.merge([corpus], client=client, on_conflict="ignore")


# ---------------------------------------------------------------------------
# The partial.


def test_a_partial_survives_its_bytes():
    p = Partial(first=3, count=5, merged=4, mode="count", skipped=((2, 4, "b\udcff.out", "b.out:2: bad"),),
                warnings=("w",), payload=b"\x1f\x8bpayload")
    back = Partial.from_bytes(p.to_bytes())
    assert back == p
    assert p.to_bytes().startswith(b"covmerge-partial 1\n")
    e = Partial(first=0, count=1, error=InputError("ProfileError", "a.out:2:3: bad", "a.out", 2, 3, False, index=0, stage=2))
    assert Partial.from_bytes(e.to_bytes()) == e
    assert dask.sizeof.sizeof(p) >= len(p.payload)


def test_the_engine_reads_and_writes_the_same_partials(covmerge_bin, corpus, tmp_path):
    """The C API's codec (through the extension's session) and this one."""
    files = sorted(str(p) for p in corpus.iterdir())
    odd = tmp_path / "b\udcff-damaged.out"  # a name that is not UTF-8
    odd.write_bytes(b"mode: count\nexample.com/repo/pkg1/file0.go:1.2,2.4 1 x\n")
    inputs = files[:120] + [os.fsdecode(odd)]
    # The engine writes a leaf's partial; Python reads it as its own leaf's.
    leaf = covmerge.Merger(on_conflict="skip")
    leaf.add(inputs)
    leaf.finish()
    from_engine = Partial.from_bytes(leaf.to_partial(7, len(inputs)))
    from_python = cd.merge_partial(inputs, 7, on_conflict="skip")
    assert from_engine.skipped == from_python.skipped
    assert from_engine.skipped[0][2] == os.fsdecode(odd)
    assert (from_engine.first, from_engine.count, from_engine.merged, from_engine.mode, from_engine.whole) == \
        (from_python.first, from_python.count, from_python.merged, from_python.mode, from_python.whole)
    # The engine combines Python's partials, and carries what they skipped.
    rest = cd.merge_partial(files[120:], 7 + len(inputs))
    combiner = covmerge.Merger()
    combiner.add_partial(from_python.to_bytes())
    combiner.add_partial(rest.to_bytes())
    combined = combiner.finish()
    assert combiner.to_bytes() == command_merge(covmerge_bin, files, tmp_path)
    assert combined.inputs_merged == 240
    assert [s.name for s in combined.skipped] == [os.fsdecode(odd)]
    again = Partial.from_bytes(combiner.to_partial(7, len(inputs) + 120))
    assert again.skipped == from_python.skipped and again.merged == 240
    # A partial that holds a failure fails with it.
    broken = covmerge.Merger()
    with pytest.raises(covmerge.ProfileError) as error:
        broken.add_partial(cd.merge_partial([os.fsdecode(odd)], 0).to_bytes())
    assert str(error.value).startswith(os.fsdecode(odd) + ":2:")
    with pytest.raises(covmerge.ProfileError, match="not a covmerge partial"):
        covmerge.Merger().add_partial(b"mode: set\n")


@pytest.mark.parametrize("data,message", [
    (b"mode: count\n", "not a covmerge partial"),
    (b"covmerge-partial 2\n10\n{}", "version 2; this covmerge reads version 1"),
    (b"covmerge-partial 1\n999\n{}", "header length"),
    (b"covmerge-partial 1\n2\n{}", "its header is not what version 1 writes"),
])
def test_anything_else_is_not_read_as_a_partial(data, message):
    with pytest.raises(ValueError, match=message):
        Partial.from_bytes(data)


def test_the_trees_steps_work_without_dask(covmerge_bin, corpus, tmp_path):
    want = command_merge(covmerge_bin, [corpus], tmp_path)
    files = sorted(str(p) for p in corpus.iterdir())
    halves = [cd.merge_partial(files[:100], 0), cd.merge_partial(files[100:], 100)]
    whole = cd.combine(reversed(halves))
    assert whole.ok and (whole.first, whole.count, whole.merged) == (0, 240, 240)
    merger = covmerge.Merger()
    merger.add_bytes(Partial.from_bytes(whole.to_bytes()).payload, "partial")
    assert merger.to_bytes() == want
    bad = cd.merge_partial([damaged(tmp_path)], 240)
    assert not bad.ok and bad.error.index == 240
    assert isinstance(bad.error.to_exception(), covmerge.ProfileError)


# ---------------------------------------------------------------------------
# The command.


def run_distributed(*args):
    return subprocess.run([sys.executable, "-m", "covmerge.distributed", *map(str, args)], capture_output=True,
                          timeout=TIMEOUT)


def test_the_command_prints_and_writes_what_covmerge_does(covmerge_bin, corpus, tmp_path):
    status, _, want_summary = command(covmerge_bin, corpus, "-o", tmp_path / "command.out", "--summary")
    assert status == 0
    assert want_summary.startswith("coverage: ")
    p = run_distributed("--workers", "2", "--batch-size", "30", "-o", tmp_path / "d.out", "--summary", corpus)
    assert p.returncode == 0, p.stderr
    assert (tmp_path / "d.out").read_bytes() == (tmp_path / "command.out").read_bytes()
    assert p.stderr.decode() == want_summary


def test_the_command_fails_as_covmerge_does(covmerge_bin, corpus, tmp_path):
    bad = damaged(tmp_path)
    status, _, want = command(covmerge_bin, corpus, bad, "-o", os.devnull)
    p = run_distributed("--workers", "1", corpus, bad)
    assert (p.returncode, p.stderr.decode()) == (status, want)
    status, _, want = command(covmerge_bin, corpus, bad, "-o", os.devnull, "--keep-going", "--summary")
    p = run_distributed("--workers", "1", "--keep-going", "--summary", corpus, bad)
    assert (p.returncode, p.stderr.decode()) == (status, want)
    p = run_distributed("--batch-size", "0", corpus)
    assert p.returncode == 2
    assert b"--batch-size" in p.stderr


def test_the_command_reports_and_gates_as_covmerge_report_does(covmerge_bin, count_dir, corpus, tmp_path):
    bad = damaged(tmp_path)
    want = subprocess.run([covmerge_bin, "report", "--keep-going", "--json", tmp_path / "command.json",
                           "--fail-under", "90", count_dir, bad], capture_output=True, timeout=TIMEOUT)
    assert want.returncode == 3, want.stderr
    p = run_distributed("--workers", "2", "--batch-size", "3", "--keep-going", "--json", tmp_path / "d.json",
                        "--fail-under", "90", count_dir, bad)
    assert (p.returncode, p.stdout, p.stderr) == (want.returncode, want.stdout, want.stderr)
    assert (tmp_path / "d.json").read_bytes() == (tmp_path / "command.json").read_bytes()
    assert not [n for n in os.listdir(tmp_path) if n.startswith(".covmerge-json-")]
    p = run_distributed("--scheduler", "tcp://127.0.0.1:1", "--json", tmp_path / "x.json", corpus)
    assert p.returncode == 2 and b"give -o a path" in p.stderr
