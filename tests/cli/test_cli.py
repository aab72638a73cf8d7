# SPDX-License-Identifier: Apache-2.0
"""The covmerge command: sample data, options, exit codes and safe output."""
import glob
import os
import random
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "property"))
import reference_merge  # noqa: E402

PROFILE = b"mode: count\nx/a.go:1.1,2.2 1 1\n"


def test_sample_data_matches_reference_merge(run, data_dir):
    inputs = sorted(glob.glob(os.path.join(data_dir, "profiles", "count", "*.out")))
    assert len(inputs) >= 5
    got = run(*inputs)
    assert got.returncode == 0, got.stderr
    with open(os.path.join(data_dir, "expected", "count-merged.out"), "rb") as f:
        assert got.stdout == f.read()
    for mode in ("set", "atomic"):
        inputs = sorted(glob.glob(os.path.join(data_dir, "profiles", mode, "*.out")))
        got = run(*inputs)
        with open(os.path.join(data_dir, "expected", mode + "-merged.out"), "rb") as f:
            assert got.stdout == f.read(), mode


def test_summary_equals_go_tool_cover_total(run, data_dir):
    """go tool cover -func prints 'total: (statements) 54.8%' for the same merge."""
    with open(os.path.join(data_dir, "expected", "count-merged.func.txt")) as f:
        total = [line.split()[-1] for line in f if line.startswith("total:")][0]
    got = run("--summary", os.path.join(data_dir, "profiles", "count"))
    assert got.returncode == 0
    assert got.stderr.decode() == "coverage: %s of statements\n" % total


def test_directory_equals_listing_its_files(run, data_dir):
    directory = os.path.join(data_dir, "profiles", "count")
    files = sorted(glob.glob(os.path.join(directory, "*.out")))
    assert run(directory).stdout == run(*files).stdout


def test_output_file_is_written_whole(run, tmp_path):
    (tmp_path / "a.out").write_bytes(PROFILE)
    out = tmp_path / "merged.out"
    got = run("-o", out, tmp_path / "a.out")
    assert got.returncode == 0 and got.stdout == b""
    assert out.read_bytes() == PROFILE
    assert sorted(os.listdir(tmp_path)) == ["a.out", "merged.out"]


def test_failed_merge_keeps_previous_output(run, tmp_path):
    (tmp_path / "bad.out").write_bytes(b"mode: count\nbroken\n")
    out = tmp_path / "merged.out"
    out.write_bytes(b"previous\n")
    got = run("-o", out, tmp_path / "bad.out")
    assert got.returncode == 1
    assert out.read_bytes() == b"previous\n"
    assert sorted(os.listdir(tmp_path)) == ["bad.out", "merged.out"]


def test_failed_merge_creates_no_output(run, tmp_path):
    (tmp_path / "bad.out").write_bytes(b"mode: count\nbroken\n")
    got = run("-o", tmp_path / "merged.out", tmp_path / "bad.out")
    assert got.returncode == 1
    assert sorted(os.listdir(tmp_path)) == ["bad.out"]


def test_output_that_is_an_input_is_refused(run, tmp_path):
    (tmp_path / "a.out").write_bytes(PROFILE)
    got = run("-o", tmp_path / "a.out", tmp_path / "a.out")
    assert got.returncode == 1
    assert b"is also the input" in got.stderr
    assert (tmp_path / "a.out").read_bytes() == PROFILE


def test_full_disk_is_an_error(run, tmp_path):
    (tmp_path / "a.out").write_bytes(PROFILE)
    got = run("-o", "/dev/full", tmp_path / "a.out")
    assert got.returncode == 1
    assert got.stderr == b"covmerge: error: cannot write /dev/full: No space left on device\n"
    assert os.path.exists("/dev/full") and not os.path.isfile("/dev/full")


def test_closed_pipe_ends_quietly(covmerge, tmp_path):
    lines = ["mode: count"] + ["x/f%d.go:%d.1,%d.2 1 1" % (i % 50, i, i) for i in range(200000)]
    (tmp_path / "big.out").write_text("\n".join(lines) + "\n")
    proc = subprocess.run("'%s' '%s' | head -1" % (covmerge, tmp_path / "big.out"), shell=True,
                          capture_output=True, timeout=60)
    assert proc.stdout == b"mode: count\n"
    assert proc.stderr == b""


def test_help_and_version(run):
    got = run("--help")
    assert got.returncode == 0
    assert got.stdout.startswith(b"Usage: covmerge [OPTION]... INPUT...")
    for option in (b"--output", b"--jobs", b"--files-from", b"--summary", b"--keep-going", b"--quiet"):
        assert option in got.stdout
    got = run("--version")
    assert got.returncode == 0 and got.stdout.startswith(b"covmerge ")


def test_usage_errors_exit_2(run):
    for args in (["-j", "-1"], ["-j", "x"], ["--jobs"], ["--summary=yes"], ["-o"], ["--nope"]):
        got = run(*args)
        assert got.returncode == 2, args
        assert b"Try 'covmerge --help'" in got.stderr


def test_files_from_stdin(run, tmp_path):
    (tmp_path / "a.out").write_bytes(PROFILE)
    (tmp_path / "b.out").write_bytes(PROFILE)
    got = run("--files-from", "-", cwd=tmp_path, input=b"a.out\r\nb.out\n")
    assert got.returncode == 0
    assert got.stdout == b"mode: count\nx/a.go:1.1,2.2 1 2\n"


def test_empty_directory_is_an_error(run, tmp_path):
    """A CI job whose profiles went elsewhere must not pass (issue 12 #5)."""
    for args in ([tmp_path], ["-q", tmp_path]):
        got = run(*args)
        assert got.returncode == 1 and got.stdout == b""
        assert b"holds no profile" in got.stderr and str(tmp_path).encode() in got.stderr


def test_large_single_file_is_split_and_merged_like_the_reference(run, tmp_path):
    """A profile over the 8 MB chunk size, with blocks repeated as go test
    -coverpkg writes them, merges the same at -j1 and -j2 as the reference."""
    rng = random.Random(7)
    blocks = ["ex.com/m/p%d/f%d.go:%d.%d,%d.%d %d" % (f % 7, f, b * 3 + 1, 2, b * 3 + 2, 9, 1 + b % 3)
              for f in range(300) for b in range(40)]
    lines = ["mode: count"]
    for _ in range(25):  # 25 "test binaries", each listing every block
        order = blocks[:]
        rng.shuffle(order)
        lines += ["%s %d" % (b, rng.choice((0, 0, 1, 5, 1000))) for b in order]
    text = "\n".join(lines) + "\n"
    assert len(text) > 9 << 20
    (tmp_path / "huge.out").write_text(text)
    want = reference_merge.merge([("huge.out", text)]).encode()
    for jobs in ("1", "2"):
        got = run("-j", jobs, tmp_path / "huge.out")
        assert got.returncode == 0, got.stderr
        assert got.stdout == want, jobs
    # The same bytes through stdin, which is also cut into chunks.
    got = run("-j", "2", "-", input=text.encode())
    assert got.returncode == 0, got.stderr
    assert got.stdout == want


def test_mmap_reads_the_same(run, data_dir, tmp_path):
    directory = os.path.join(data_dir, "profiles", "count")
    assert run("--mmap", directory).stdout == run(directory).stdout
    big = "mode: count\n" + "".join("x/f%d.go:%d.1,%d.2 1 1\n" % (i % 9, i, i) for i in range(90000))
    (tmp_path / "big.out").write_text(big)  # over 1 MB: really mapped
    assert run("--mmap", tmp_path / "big.out").stdout == run(tmp_path / "big.out").stdout


def test_output_dash_is_standard_output(run, data_dir, tmp_path):
    profile = os.path.join(data_dir, "profiles", "count", "pkg-cart.out")
    r = run("-o", "-", profile, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == run(profile).stdout
    assert not (tmp_path / "-").exists()
