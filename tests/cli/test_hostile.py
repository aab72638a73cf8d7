# SPDX-License-Identifier: Apache-2.0
"""Hostile and damaged input: each case checks the exact error (file, line,
what was expected), the exit status, and that the output was not touched."""
import os
import pathlib
import shutil
import signal
import subprocess
import tempfile
import time

import pytest

GOOD = b"mode: count\nx/a.go:1.1,2.2 1 1\n"
PREVIOUS = b"previous merged profile\n"


def check_rejected(run, tmp_path, name, data, message, *extra):
    """Merges GOOD and `data` into an existing output; expects failure."""
    (tmp_path / "good.out").write_bytes(GOOD)
    bad = tmp_path / name
    bad.write_bytes(data)
    out = tmp_path / "merged.out"
    out.write_bytes(PREVIOUS)
    got = run(*extra, "-o", out, tmp_path / "good.out", bad)
    assert got.returncode == 1, got.stderr
    assert got.stderr.decode("utf-8", "replace") == "covmerge: error: %s%s\n" % (bad, message)
    assert out.read_bytes() == PREVIOUS
    assert sorted(os.listdir(tmp_path)) == sorted(["good.out", name, "merged.out"])
    return got


CASES = [
    ("truncated mid-line (a service killed while writing)", "cut.out",
     b"mode: count\nx/a.go:1.1,2.2 1 1\nx/a.go:3.1,4",
     ':3:12: expected a block line "PATH:LINE.COL,LINE.COL NUMSTMT COUNT" ending in the count (decimal digits after a space), found "x/a.go:3.1,4"'),
    ("binary garbage", "garbage.out", b"\x7fELF\x02\x01\x01\x00\x00\x00\x00",
     ':1:1: expected "mode: set", "mode: count" or "mode: atomic", found "\\x7fELF\\x02\\x01\\x01\\x00\\x00\\x00\\x00"'),
    ("NUL bytes in a line", "nul.out", b"mode: count\nx/a.go:1.1,2.2 1 1\x00\n",
     ':2:19: expected a block line "PATH:LINE.COL,LINE.COL NUMSTMT COUNT" ending in the count (decimal digits after a space), found "x/a.go:1.1,2.2 1 1\\x00"'),
    ("a line number over 32 bits", "big-line.out", b"mode: count\nx/a.go:4294967296.1,2.2 1 1\n",
     ':2:8: expected a line, column or statement number of at most 4294967295, found "x/a.go:4294967296.1,2.2 1 1"'),
    ("a count over 64 bits", "big-count.out", b"mode: count\nx/a.go:1.1,2.2 1 18446744073709551616\n",
     ':2:18: expected a count of at most 9223372036854775807, the largest Go can read, found "x/a.go:1.1,2.2 1 18446744073709551616"'),
    ("a negative count", "negative.out", b"mode: count\nx/a.go:1.1,2.2 1 -1\n",
     ':2:18: expected a number of zero or more, not a negative number, found "x/a.go:1.1,2.2 1 -1"'),
    ("a negative line", "negative-line.out", b"mode: count\nx/a.go:-1.1,2.2 1 1\n",
     ':2:8: expected a number of zero or more, not a negative number, found "x/a.go:-1.1,2.2 1 1"'),
    ("no mode line", "no-mode.out", b"x/a.go:1.1,2.2 1 1\n",
     ':1:1: expected "mode: set", "mode: count" or "mode: atomic", found "x/a.go:1.1,2.2 1 1"'),
    ("an unknown mode", "unknown-mode.out", b"mode: often\nx/a.go:1.1,2.2 1 1\n",
     ':1:1: expected "mode: set", "mode: count" or "mode: atomic", found "mode: often"'),
    ("an empty file", "empty.out", b"",
     ':1:1: expected "mode: set", "mode: count" or "mode: atomic" on the first line, found an empty file'),
]


@pytest.mark.parametrize("what,name,data,message", CASES, ids=[c[0] for c in CASES])
def test_damaged_input_is_a_clear_error(run, tmp_path, what, name, data, message):
    check_rejected(run, tmp_path, name, data, message)


LONG_LINE = (":2:1: expected a line of at most 1048576 bytes, found a longer one; a Go coverage "
             "profile line is a few hundred bytes: is this file a profile?")


def test_a_line_of_100_mb(run, tmp_path):
    data = b"mode: count\n" + b"x" * (100 << 20) + b"\n"
    got = check_rejected(run, tmp_path, "long.out", data, LONG_LINE)
    assert got.returncode == 1


def test_only_a_mode_line_gives_no_blocks(run, tmp_path):
    (tmp_path / "mode.out").write_bytes(b"mode: set\n")
    got = run(tmp_path / "mode.out")
    assert got.returncode == 0 and got.stdout == b"" and got.stderr == b""


def test_paths_with_spaces_colons_and_non_utf8_bytes(run, tmp_path):
    path = b"C:\\my src/pkg:v2/\xff\xfename.go"
    (tmp_path / "a.out").write_bytes(b"mode: count\n" + path + b":1.1,2.2 1 1\n")
    (tmp_path / "b.out").write_bytes(b"mode: count\n" + path + b":1.1,2.2 1 2\n")
    got = run(tmp_path / "a.out", tmp_path / "b.out")
    assert got.returncode == 0
    assert got.stdout == b"mode: count\n" + path + b":1.1,2.2 1 3\n"


def as_nobody(command):
    return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] + [str(c) for c in command]


def test_directory_with_an_unreadable_file(covmerge):
    # Run as "nobody", who cannot read a file of mode 0 (root reads anything);
    # pytest's own temporary folders are closed to other users.
    top = pathlib.Path(tempfile.mkdtemp(prefix="covmerge-unreadable-"))
    os.chmod(top, 0o755)
    d = top / "profiles"
    d.mkdir()
    (d / "a.out").write_bytes(GOOD)
    (d / "locked.out").write_bytes(GOOD)
    os.chmod(d / "locked.out", 0)
    got = subprocess.run(as_nobody([covmerge, d]), capture_output=True)
    assert got.returncode == 1
    assert got.stderr.decode() == "covmerge: error: cannot open %s: Permission denied\n" % (d / "locked.out")
    got = subprocess.run(as_nobody([covmerge, "-k", "--summary", d]), capture_output=True)
    assert got.returncode == 0
    assert got.stdout == GOOD
    assert got.stderr.decode() == ("covmerge: warning: skipped input: cannot open %s: Permission denied\n"
                                   "coverage: 100.0%% of statements (1 inputs merged, 1 skipped)\n"
                                   % (d / "locked.out"))
    shutil.rmtree(top)


def test_memory_limit_too_small_is_a_clear_error(covmerge, tmp_path):
    lines = ["mode: count"] + ["ex.com/p%d/f%d.go:%d.1,%d.9 2 1" % (i % 100, i % 1000, i, i + 1)
                               for i in range(300000)]
    (tmp_path / "big.out").write_text("\n".join(lines) + "\n")
    out = tmp_path / "merged.out"
    for limit_kb in (10000, 30000):
        got = subprocess.run(["bash", "-c", 'ulimit -v %d; exec "$0" -j2 -o "$1" "$2"' % limit_kb,
                              covmerge, out, tmp_path / "big.out"], capture_output=True)
        assert got.returncode == 1, (limit_kb, got.returncode, got.stderr)
        message = got.stderr.decode()
        assert message.startswith("covmerge: error: "), message
        assert "raise the memory limit" in message
        assert not out.exists()


def test_sigkill_during_the_write_keeps_the_previous_output(covmerge, tmp_path):
    # A merge whose output is large enough to be caught while it is written.
    lines = ["mode: count"] + ["ex.com/p%d/f%d.go:%d.1,%d.9 2 1" % (i % 50, i % 500, i, i + 1)
                               for i in range(1500000)]
    (tmp_path / "big.out").write_text("\n".join(lines) + "\n")
    out = tmp_path / "merged.out"
    out.write_bytes(PREVIOUS)
    for attempt in range(20):
        proc = subprocess.Popen([covmerge, "-j1", "-o", out, tmp_path / "big.out"])
        deadline = time.time() + 30
        temp = []
        while time.time() < deadline and proc.poll() is None:
            temp = [n for n in os.listdir(tmp_path) if n.startswith(".merged.out.covmerge-")]
            if temp and os.path.getsize(tmp_path / temp[0]) > 0:
                break
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if temp:
            break  # killed while writing: the case we want
        out.write_bytes(PREVIOUS)  # finished too fast; try again
    assert temp, "never caught the merge while it wrote"
    assert out.read_bytes() == PREVIOUS
