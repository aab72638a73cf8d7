# SPDX-License-Identifier: Apache-2.0
"""`python3 -m covmerge` is the covmerge command (the extension runs the
command's own code): for each command line below, both give the same
standard output, standard error, exit status and output file."""
import os

import pytest

PROFILE_A = b"mode: count\nexample.com/m/a.go:1.2,3.4 2 5\nexample.com/m/a.go:5.1,6.2 1 0\n"
PROFILE_B = b"mode: count\nexample.com/m/a.go:1.2,3.4 2 7\nexample.com/m/b/b.go:1.1,2.1 3 1\n"


@pytest.fixture
def workdir(tmp_path):
    (tmp_path / "a.out").write_bytes(PROFILE_A)
    (tmp_path / "b.out").write_bytes(PROFILE_B)
    (tmp_path / "bad.out").write_bytes(b"mode: count\nexample.com/m/a.go:1.2,3.4 2\n")
    (tmp_path / "set.out").write_bytes(b"mode: set\nexample.com/m/a.go:1.2,3.4 2 1\n")
    (tmp_path / "dir").mkdir()
    (tmp_path / "dir" / "x.cov").write_bytes(PROFILE_B)
    (tmp_path / "empty").mkdir()
    (tmp_path / "list.txt").write_bytes(b"a.out\r\n\nb.out\n")
    (tmp_path / "big.out").write_bytes(b"mode: count\n" + b"x.go:1.1,2.1 1 9223372036854775807\n")
    return tmp_path


CASES = [
    [],
    ["--help"],
    ["-h"],
    ["--version"],
    ["-V"],
    ["a.out"],
    ["a.out", "b.out"],
    ["--summary", "a.out", "b.out"],
    ["-j1", "a.out", "dir"],
    ["-j", "3", "--summary", "dir", "a.out"],
    ["--jobs=2", "a.out"],
    ["-j0", "a.out"],
    ["-j", "x", "a.out"],
    ["-j", "-3", "a.out"],
    ["-j", "1025", "a.out"],
    ["-j"],
    ["-o"],
    ["--output"],
    ["--bogus"],
    ["-x"],
    ["--summary=yes", "a.out"],
    ["-kq", "a.out"],
    ["--", "-a.out"],
    ["missing.out"],
    ["a.out", "missing.out"],
    ["bad.out"],
    ["a.out", "bad.out"],
    ["a.out", "set.out"],
    ["-k", "a.out", "bad.out", "set.out", "b.out"],
    ["-k", "--summary", "a.out", "bad.out", "set.out", "b.out"],
    ["-k", "-q", "--summary", "a.out", "bad.out", "b.out"],
    ["-k", "bad.out"],
    ["empty"],
    ["-q", "empty"],
    ["empty", "a.out"],
    ["--files-from", "list.txt"],
    ["--files-from=list.txt", "dir"],
    ["--files-from", "missing.txt"],
    ["--mmap", "a.out", "b.out"],
    ["big.out", "big.out"],
    ["-q", "big.out", "big.out"],
    ["-o", "a.out", "a.out"],
    ["-o", "dir", "a.out"],
    ["-o", "no/such/dir/out", "a.out"],
    ["--exclude", "/b/", "a.out", "b.out"],
    ["report", "a.out", "b.out"],
    ["report", "--help"],
    ["report", "--json", "-", "--strip-prefix", "example.com/m", "a.out", "b.out"],
    ["report", "--fail-under", "90", "a.out", "b.out"],
    ["report"],
]


@pytest.mark.parametrize("args", CASES, ids=[" ".join(c) or "(none)" for c in CASES])
def test_same_as_the_command(args, workdir, run_bin, run_module):
    want = run_bin(*args, cwd=workdir)
    got = run_module(*args, cwd=workdir)
    assert (got.returncode, got.stdout.decode(), got.stderr.decode()) == \
        (want.returncode, want.stdout.decode(), want.stderr.decode())


@pytest.mark.parametrize("args", [
    ["-o", "merged.out", "a.out", "b.out"],
    ["--summary", "-o", "merged.out", "dir", "a.out"],
    ["-o", "merged.out.gz", "a.out"],
    ["-o", "merged.out", "bad.out"],
])
def test_same_output_file(args, workdir, run_bin, run_module, tmp_path_factory):
    out = os.path.join(workdir, args[args.index("-o") + 1])
    want = run_bin(*args, cwd=workdir)
    want_file = open(out, "rb").read() if os.path.exists(out) else None
    if os.path.exists(out):
        os.unlink(out)
    got = run_module(*args, cwd=workdir)
    got_file = open(out, "rb").read() if os.path.exists(out) else None
    assert (got.returncode, got.stdout, got.stderr) == (want.returncode, want.stdout, want.stderr)
    if args[2].endswith(".gz"):
        import gzip
        got_file, want_file = gzip.decompress(got_file), gzip.decompress(want_file)
    assert got_file == want_file


def test_standard_input(workdir, run_bin, run_module):
    for args in (["-"], ["-", "b.out"], ["--summary", "a.out", "-"]):
        want = run_bin(*args, cwd=workdir, input=PROFILE_B)
        got = run_module(*args, cwd=workdir, input=PROFILE_B)
        assert (got.returncode, got.stdout, got.stderr) == (want.returncode, want.stdout, want.stderr)
    bad = b"mode: count\nnope\n"
    want = run_bin("-", cwd=workdir, input=bad)
    got = run_module("-", cwd=workdir, input=bad)
    assert (got.returncode, got.stdout, got.stderr) == (want.returncode, want.stdout, want.stderr)
    assert b"<stdin>:2:" in got.stderr


def test_files_from_standard_input(workdir, run_bin, run_module):
    listing = b"a.out\nb.out\n"
    want = run_bin("--files-from", "-", cwd=workdir, input=listing)
    got = run_module("--files-from", "-", cwd=workdir, input=listing)
    assert (got.returncode, got.stdout, got.stderr) == (want.returncode, want.stdout, want.stderr)
    assert got.returncode == 0 and got.stdout


def test_sample_data(data_dir, run_bin, run_module, expected_count):
    directory = os.path.join(data_dir, "profiles", "count")
    got = run_module("--summary", directory)
    assert got.returncode == 0
    assert got.stdout == expected_count
    assert got.stderr == run_bin("--summary", directory).stderr


def test_closed_pipe_ends_quietly(data_dir, run_module):
    import subprocess
    import sys
    directory = os.path.join(data_dir, "profiles", "count")
    # The reader takes one line and goes away; the writer must end with 0
    # and no traceback.
    cmd = f"{sys.executable} -m covmerge {directory} {directory} {directory} | head -1"
    got = subprocess.run(["bash", "-o", "pipefail", "-c", cmd], capture_output=True, timeout=120,
                         env=os.environ)
    assert got.returncode == 0, got.stderr
    assert got.stdout == b"mode: count\n"
    assert got.stderr == b""
