# SPDX-License-Identifier: Apache-2.0
"""Inputs that are not plain finished files: pipes, FIFOs, /dev/stdin,
files replaced or truncated during a merge, endless or huge lines, and
compressed data whose damage or size must not cost memory (issue 12)."""
import os
import shutil
import subprocess
import threading
import time

import pytest

A = b"mode: count\nx/a.go:1.1,2.2 1 1\n"
B = b"mode: count\nx/a.go:1.1,2.2 1 2\n"
MERGED = b"mode: count\nx/a.go:1.1,2.2 1 3\n"
LONG_LINE = ("expected a line of at most 1048576 bytes, found a longer one; a Go coverage profile line "
             "is a few hundred bytes: is this file a profile?")


def limited(covmerge, limit_kb, *args, **kwargs):
    """Runs covmerge under `ulimit -v limit_kb`."""
    return subprocess.run(["bash", "-c", 'ulimit -v %d; exec "$@"' % limit_kb, "bash", covmerge,
                           *map(str, args)], capture_output=True, timeout=120, **kwargs)


@pytest.fixture
def a_out(tmp_path):
    (tmp_path / "a.out").write_bytes(A)
    return tmp_path / "a.out"


def run_with_pipe(covmerge, data, *args):
    """Runs covmerge with /dev/fd/N as an input, as <(cat b.out) gives it."""
    read_end, write_end = os.pipe()
    writer = threading.Thread(target=lambda: (os.write(write_end, data), os.close(write_end)))
    writer.start()
    try:
        return subprocess.run([covmerge, *map(str, args), "/dev/fd/%d" % read_end], pass_fds=(read_end,),
                              capture_output=True, timeout=60)
    finally:
        os.close(read_end)
        writer.join()


@pytest.mark.parametrize("extra", [[], ["--mmap"], ["-j1"], ["-j4"]])
def test_a_pipe_is_read_as_a_stream(covmerge, a_out, extra):
    got = run_with_pipe(covmerge, B, *extra, "--summary", a_out)
    assert got.returncode == 0, got.stderr
    assert got.stdout == MERGED
    assert b"100.0%" in got.stderr


def test_a_large_pipe_is_merged_whole_in_chunks(covmerge, tmp_path):
    lines = b"".join(b"x/p%d.go:%d.1,%d.2 1 1\n" % (i % 7, i, i) for i in range(1, 200000))
    (tmp_path / "file.out").write_bytes(b"mode: count\n" + lines)
    got = run_with_pipe(covmerge, b"mode: count\n" + lines, "-j2", tmp_path / "file.out")
    assert got.returncode == 0, got.stderr
    want = subprocess.run([covmerge, tmp_path / "file.out", tmp_path / "file.out"], capture_output=True)
    assert got.stdout == want.stdout


def test_a_named_fifo_is_read_as_a_stream(covmerge, a_out, tmp_path):
    fifo = tmp_path / "b.fifo"
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: fifo.write_bytes(B))
    writer.start()
    got = subprocess.run([covmerge, a_out, fifo], capture_output=True, timeout=60)
    writer.join()
    assert got.returncode == 0, got.stderr
    assert got.stdout == MERGED


def test_dev_stdin_is_standard_input(run, a_out):
    got = run(a_out, "/dev/stdin", input=B)
    assert got.returncode == 0, got.stderr
    assert got.stdout == MERGED


def test_a_damaged_line_in_a_pipe_is_named_by_its_line(covmerge, a_out):
    got = run_with_pipe(covmerge, B + b"\n\nx/a.go:3.1,4.2 1\n", a_out)
    assert got.returncode == 1
    assert got.stderr.decode().startswith("covmerge: error: /dev/fd/")
    assert ":5:14: expected" in got.stderr.decode()


def test_a_conflict_with_a_pipe_names_its_line(covmerge, a_out):
    got = run_with_pipe(covmerge, b"mode: count\n\nx/a.go:1.1,2.2 7 1\n", a_out)
    assert got.returncode == 1
    message = got.stderr.decode()
    assert ":3: block x/a.go:1.1,2.2 has 7 statements here but 1 in %s:2;" % a_out in message, message


def test_dev_zero_is_a_long_line_at_once_in_bounded_memory(covmerge):
    got = limited(covmerge, 200_000, "/dev/zero")
    assert got.returncode == 1
    assert got.stderr.decode() == "covmerge: error: /dev/zero:1:1: %s\n" % LONG_LINE


def test_a_sparse_file_of_zeros_is_a_long_line_in_bounded_memory(covmerge, tmp_path):
    sparse = tmp_path / "sparse.out"
    with open(sparse, "wb") as f:
        f.truncate(1500 << 20)
    got = limited(covmerge, 200_000, "-j2", sparse)
    assert got.returncode == 1
    assert got.stderr.decode() == "covmerge: error: %s:1:1: %s\n" % (sparse, LONG_LINE)


needs_zstd = pytest.mark.skipif(shutil.which("zstd") is None, reason="the zstd command is in build.sh's packages")


def zstd_of(path, producer):
    """Compresses the output of the shell pipeline `producer` into `path`."""
    subprocess.run(["bash", "-c", '%s | zstd -q -c > "$0"' % producer, str(path)], check=True)


@needs_zstd
def test_a_compressed_long_line_is_an_error_in_bounded_memory(covmerge, tmp_path):
    bomb = tmp_path / "bomb.out.zst"
    zstd_of(bomb, "{ printf 'mode: count\\n'; head -c 1000M /dev/zero | tr '\\\\0' x; }")
    assert bomb.stat().st_size < 1 << 20
    got = limited(covmerge, 200_000, bomb)
    assert got.returncode == 1
    assert got.stderr.decode() == "covmerge: error: %s:2:1: %s\n" % (bomb, LONG_LINE)


@needs_zstd
def test_the_error_path_of_a_large_compressed_input_streams_in_bounded_memory(covmerge, tmp_path):
    # 300 MB of valid lines, then a damaged one: naming its line must not
    # decompress the input into memory.
    big = tmp_path / "big.out.zst"
    zstd_of(big, "{ printf 'mode: count\\n'; yes 'x/a.go:1.1,2.2 1 1' | head -n 15000000; echo 'x/a.go:1.1,2.2 1'; }")
    got = limited(covmerge, 200_000, big)
    assert got.returncode == 1, got.stderr
    assert got.stderr.decode().startswith("covmerge: error: %s:15000002:14: expected" % big), got.stderr


def test_damaged_gzip_data_is_named_as_such(covmerge, tmp_path):
    import gzip
    text = b"mode: count\n" + b"".join(b"x/a.go:%d.1,%d.2 1 1\n" % (i, i) for i in range(1, 20000))
    # Stored blocks: a damaged byte is a wrong byte of text, found only by
    # the CRC at the end, after the scanner met the line it spoils.
    packed = bytearray(gzip.compress(text, compresslevel=0))
    packed[len(packed) // 2] = ord(b"?")
    bad = tmp_path / "mid.out.gz"
    bad.write_bytes(bytes(packed))
    got = subprocess.run([covmerge, bad], capture_output=True)
    assert got.returncode == 1
    message = got.stderr.decode()
    assert message == ("covmerge: error: %s: expected gzip compressed data, found damaged data "
                       "(incorrect data check)\n" % bad), message


def test_a_gzip_with_a_bad_checksum_is_named_as_such(covmerge, tmp_path):
    import gzip
    packed = bytearray(gzip.compress(b"mode: count\nx/a.go:1.1,2.2 1 1\n"))
    packed[-6] ^= 0xFF  # the CRC-32 in the trailer
    bad = tmp_path / "crc.out.gz"
    bad.write_bytes(bytes(packed))
    got = subprocess.run([covmerge, bad], capture_output=True)
    assert got.returncode == 1
    assert "found damaged data (incorrect data check)" in got.stderr.decode(), got.stderr


@pytest.mark.parametrize("extra", [[], ["--mmap"]])
def test_an_input_truncated_during_the_merge_is_an_error_not_a_signal(covmerge, tmp_path, extra):
    # The issue saw SIGBUS (exit 135) in 5 of 9 tries with --mmap. Whatever
    # the moment the truncation lands, covmerge merges the old bytes or
    # names the file; no signal ends it.
    lines = b"".join(b"x/p%d.go:%d.1,%d.2 1 1\n" % (i % 50, i, i) for i in range(1, 400000))
    for attempt in range(9):
        big = tmp_path / ("big%d.out" % attempt)
        big.write_bytes(b"mode: count\n" + lines)
        proc = subprocess.Popen([covmerge, *extra, "-j2", big, big, big], stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE)
        time.sleep(0.005 * attempt)  # land at different moments of the merge
        os.truncate(big, 4096 * (attempt + 1))
        _, err = proc.communicate(timeout=60)
        assert proc.returncode in (0, 1), (attempt, proc.returncode, err)
        if proc.returncode == 1:
            assert err.decode().startswith("covmerge: error: %s" % big), err


def test_a_stream_that_cannot_be_copied_names_the_temporary_directory(covmerge):
    got = subprocess.run([covmerge, "-"], input=A, capture_output=True, timeout=60,
                         env={**os.environ, "TMPDIR": "/nonexistent-covmerge-dir"})
    assert got.returncode == 1
    assert got.stderr.decode() == ("covmerge: error: cannot copy the stream <stdin> to a temporary file in "
                                   "/nonexistent-covmerge-dir: No such file or directory\n")
