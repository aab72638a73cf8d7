# SPDX-License-Identifier: Apache-2.0
"""GOCOVERDIR inputs (issue 8): Go 1.20+ binary coverage data read natively.

The sample in data/gocoverdir-sample was written by Go's own encoders; its
expected-merged.out is what `go tool covdata textfmt` gives, in gocovmerge's
order. Damaged variants are made here from copies of it.
"""
import os
import shutil
import struct

import pytest

HASH = "8e5490b131e4584a4bf93cc9f45c3fed"
RUN = f"covcounters.{HASH}.4242.1700000000000000000"
META = f"covmeta.{HASH}"
TRUNCATED = "; the file is truncated (was the program killed while writing it?) or damaged"


@pytest.fixture(scope="session")
def sample(data_dir):
    return os.path.join(data_dir, "gocoverdir-sample")


@pytest.fixture(scope="session")
def expected(sample):
    with open(os.path.join(sample, "expected-merged.out"), "rb") as f:
        return f.read()


@pytest.fixture
def coverdir(sample, tmp_path):
    """A writable copy of the sample GOCOVERDIR."""
    d = tmp_path / "cover"
    shutil.copytree(os.path.join(sample, "gocoverdir"), d)
    for f in d.iterdir():
        f.chmod(0o644)
    return d


def error_of(proc):
    return proc.stderr.decode().rstrip("\n")


@pytest.mark.parametrize("jobs", ["1", "4"])
def test_sample_prints_expected_output(run, sample, expected, jobs):
    proc = run("-j", jobs, os.path.join(sample, "gocoverdir"))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == expected
    assert proc.stderr == b""


def test_summary_counts_runs(run, sample):
    proc = run("--summary", "-o", os.devnull, os.path.join(sample, "gocoverdir"))
    assert proc.returncode == 0
    assert proc.stderr.decode().startswith("coverage: ")


def test_mixed_with_text_doubles_counts(run, sample, expected, tmp_path):
    text = os.path.join(sample, "expected-merged.out")
    both = run(text, os.path.join(sample, "gocoverdir"))
    twice = run(text, text)
    assert both.returncode == 0, both.stderr
    assert both.stdout == twice.stdout
    assert both.stdout != expected


def test_directory_tree_finds_gocoverdirs(run, sample, expected, tmp_path):
    # data/gocoverdir-sample holds expected-merged.out and gocoverdir/: both are inputs.
    tree = run(sample)
    text = os.path.join(sample, "expected-merged.out")
    assert tree.returncode == 0, tree.stderr
    assert tree.stdout == run(text, text).stdout


def test_two_gocoverdirs_sum(run, sample, coverdir, tmp_path):
    text = os.path.join(sample, "expected-merged.out")
    proc = run(os.path.join(sample, "gocoverdir"), coverdir)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == run(text, text).stdout


def test_truncated_counter_file(run, coverdir):
    path = coverdir / RUN
    data = path.read_bytes()
    path.write_bytes(data[:3000])
    proc = run(coverdir)
    assert proc.returncode == 1
    assert error_of(proc) == (
        f"covmerge: error: {path}: expected the footer (bytes 00 63 77 6d) at byte 2984, 16 bytes before the "
        f"end, found 06 06 06 00{TRUNCATED}")


def test_bad_magic(run, coverdir):
    path = coverdir / RUN
    path.write_bytes(b"zzzz" + path.read_bytes()[4:])
    proc = run(coverdir)
    assert proc.returncode == 1
    assert error_of(proc) == (
        f"covmerge: error: {path}: expected a Go coverage counter file starting with the bytes 00 63 77 6d, "
        "found 7a 7a 7a 7a; is it a covcounters file written by a Go 1.20+ binary?")


def test_meta_hash_matches_no_meta_file(run, coverdir):
    path = coverdir / RUN
    data = bytearray(path.read_bytes())
    data[8] ^= 0xFF  # the first byte of the meta hash
    path.write_bytes(bytes(data))
    proc = run(coverdir)
    assert proc.returncode == 1
    assert error_of(proc) == (
        f"covmerge: error: {path}: expected the meta-data file covmeta.71{HASH[2:]} that it counts for in "
        f"{coverdir}, found none; keep every file of a GOCOVERDIR together")


def test_length_past_the_end(run, coverdir):
    path = coverdir / RUN
    data = bytearray(path.read_bytes())
    struct.pack_into("<I", data, 40, 0x7FFFFFFF)  # the first segment's string table length
    path.write_bytes(bytes(data))
    proc = run(coverdir)
    assert proc.returncode == 1
    assert error_of(proc) == (
        f"covmerge: error: {path}: segment 1 (at byte 32): expected the segment string table (2147483647 bytes) "
        f"at byte 48, but the data ends at byte {len(data)}{TRUNCATED}")


def test_truncated_meta_file(run, coverdir):
    path = coverdir / META
    path.write_bytes(path.read_bytes()[:100000])
    proc = run(coverdir)
    assert proc.returncode == 1
    assert error_of(proc) == (
        f"covmerge: error: {path}: the header gives a length of 140152 bytes, but the file has 100000; the file "
        "is truncated")


def test_per_function_granularity(run, coverdir):
    path = coverdir / META
    data = bytearray(path.read_bytes())
    data[49] = 2
    path.write_bytes(bytes(data))
    proc = run(coverdir)
    assert proc.returncode == 1
    assert "per-function counter granularity" in error_of(proc)


def test_keep_going_skips_the_damaged_run(run, coverdir, tmp_path):
    good = run(coverdir).stdout
    path = coverdir / RUN
    saved = path.read_bytes()
    path.write_bytes(saved[: len(saved) // 2])
    proc = run("--keep-going", "--summary", "-o", tmp_path / "merged.out", coverdir)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stderr.decode().splitlines()
    assert lines[0].startswith(f"covmerge: warning: skipped input: {path}: expected the footer")
    assert lines[1].endswith("(9 inputs merged, 1 skipped)")
    path.unlink()
    assert (tmp_path / "merged.out").read_bytes() == run(coverdir).stdout != good


def test_all_runs_of_a_damaged_meta_file_are_skipped(run, coverdir, sample):
    (coverdir / META).write_bytes(b"\x00cvm")
    proc = run("-k", coverdir, os.path.join(sample, "expected-merged.out"))
    assert proc.returncode == 0, proc.stderr
    assert error_of(proc).count("skipped input") == 11
    with open(os.path.join(sample, "expected-merged.out"), "rb") as f:
        assert proc.stdout == f.read()


def test_counter_files_without_their_meta_file_are_an_error(run, coverdir, tmp_path):
    (coverdir / META).unlink()
    # As an argument and found below a searched directory: the runs must not
    # vanish from the total with only a warning.
    for target in (coverdir, tmp_path):
        proc = run(target)
        assert proc.returncode == 1, proc.stderr
        assert error_of(proc) == (f"covmerge: error: {coverdir}: expected a covmeta.<hash> file in this GOCOVERDIR, "
                                  f"found none (10 covcounters files); a Go 1.20+ binary built with -cover writes "
                                  f"one next to its counter files")
        assert proc.stdout == b""
