# SPDX-License-Identifier: Apache-2.0
"""Compatibility with Go's parser and the one-rule-one-place fixes (issue 12).

Go's golang.org/x/tools/cover reads each number of a block line with
strconv.Atoi, so gocovmerge takes "+5" as 5; covmerge does the same and
prints the canonical form. A GOCOVERDIR that yields no profile is an error
naming the directory, as an empty text file is.
"""
import os
import shutil

import pytest

HEAD = b"mode: count\n"


def write(path, text):
    path.write_bytes(text)
    return path


# ---- 18: a count written "+5" -------------------------------------------

def test_plus_count_merges_and_prints_canonically(run, tmp_path):
    a = write(tmp_path / "a.out", HEAD + b"x/a.go:1.1,2.2 1 1\n")
    b = write(tmp_path / "b.out", HEAD + b"x/a.go:1.1,2.2 1 +5\n")
    r = run(a, b)
    assert r.returncode == 0, r.stderr
    assert r.stdout == HEAD + b"x/a.go:1.1,2.2 1 6\n"


def test_plus_in_every_field_is_the_same_block(run, tmp_path):
    a = write(tmp_path / "a.out", HEAD + b"x/a.go:+1.+1,+2.+2 +1 +2\nx/a.go:1.1,2.2 1 3\n")
    r = run(a)
    assert r.returncode == 0, r.stderr
    assert r.stdout == HEAD + b"x/a.go:1.1,2.2 1 5\n"


def test_plus_counts_mixed_with_unsigned_ones(run, tmp_path):
    # The same block many times, signed ('+', the full parse) and unsigned
    # (the fast path of a known file), at several thread counts.
    lines = [b"x/a.go:1.1,2.2 1 +%d\n" % (i % 7) if i % 3 else b"x/a.go:1.1,2.2 1 %d\n" % (i % 7)
             for i in range(3000)]
    total = sum(i % 7 for i in range(3000))
    a = write(tmp_path / "a.out", HEAD + b"".join(lines))
    for jobs in ("1", "3"):
        r = run("-j", jobs, a)
        assert r.returncode == 0, r.stderr
        assert r.stdout == HEAD + b"x/a.go:1.1,2.2 1 %d\n" % total


@pytest.mark.parametrize("count", [b"+", b"++5", b"+-5", b"-5", b"-0", b"5+", b"+ 5"])
def test_counts_go_refuses_or_covmerge_refuses(run, tmp_path, count):
    a = write(tmp_path / "a.out", HEAD + b"x/a.go:1.1,2.2 1 " + count + b"\n")
    r = run(a)
    assert r.returncode == 1, r.stdout
    assert str(a).encode() + b":2:" in r.stderr


def test_minus_after_a_cached_plus_line_is_refused(run, tmp_path):
    # A cached "... 1 +" must not let "... 1 -5" through.
    a = write(tmp_path / "a.out", HEAD + b"x/a.go:1.1,2.2 1 +1\nx/a.go:1.1,2.2 1 -5\n")
    r = run(a)
    assert r.returncode == 1
    assert b"negative" in r.stderr


# ---- 5 (part): a GOCOVERDIR that yields no profile -----------------------

META = "covmeta.8e5490b131e4584a4bf93cc9f45c3fed"


@pytest.fixture
def meta_only(data_dir, tmp_path):
    """A GOCOVERDIR whose binary ran but never wrote its counters."""
    d = tmp_path / "cover"
    d.mkdir()
    shutil.copy(os.path.join(data_dir, "gocoverdir-sample", "gocoverdir", META), d / META)
    return d


def test_gocoverdir_without_counter_files_is_an_error_naming_it(run, meta_only):
    r = run(meta_only)
    assert r.returncode == 1, r.stdout
    assert r.stdout == b""
    assert str(meta_only).encode() + b": expected a covcounters.<hash>.<pid>.<nanos> file" in r.stderr
    assert b"no run wrote its counters" in r.stderr


def test_gocoverdir_without_counter_files_is_skipped_under_keep_going(run, meta_only, tmp_path):
    a = write(tmp_path / "a.out", HEAD + b"x/a.go:1.1,2.2 1 1\n")
    r = run("-k", a, meta_only)
    assert r.returncode == 0, r.stderr
    assert r.stdout == HEAD + b"x/a.go:1.1,2.2 1 1\n"
    assert str(meta_only).encode() in r.stderr


def test_gocoverdir_whose_runs_are_all_damaged_gives_nothing_under_keep_going(run, meta_only, tmp_path):
    (meta_only / "covcounters.8e5490b131e4584a4bf93cc9f45c3fed.1.1").write_bytes(b"damaged")
    a = write(tmp_path / "a.out", HEAD + b"x/a.go:1.1,2.2 1 1\n")
    r = run("-k", a, meta_only)
    assert r.returncode == 0, r.stderr
    assert r.stdout == HEAD + b"x/a.go:1.1,2.2 1 1\n"  # no zero-count blocks of the binary
