# SPDX-License-Identifier: Apache-2.0
"""What the command takes as inputs and where its outputs go (issue 12):
outputs never merged back in by a directory walk, what a walk skips and
says so, NUL-separated lists, inputs that yield nothing, two outputs on one
file, -j 0, invalid patterns, and signals during the write."""
import os
import signal
import socket
import subprocess
import time

import pytest

A = b"mode: count\nx/a.go:1.1,2.2 1 1\n"
B = b"mode: count\nx/a.go:1.1,2.2 1 2\n"
MERGED = b"mode: count\nx/a.go:1.1,2.2 1 3\n"


@pytest.fixture
def work(tmp_path):
    (tmp_path / "a.out").write_bytes(A)
    (tmp_path / "b.out").write_bytes(B)
    return tmp_path


def temporary_files(root):
    return [os.path.join(d, n) for d, _, names in os.walk(root) for n in names if ".covmerge-" in n]


# 1. An output inside a directory input is not merged back in.

def test_output_inside_the_directory_input_is_left_out(run, work):
    p = work / "p"
    p.mkdir()
    (p / "a.out").write_bytes(A)
    (p / "b.out").write_bytes(B)
    for _ in range(3):
        got = run("-o", p / "merged.out", p)
        assert got.returncode == 0, got.stderr
        assert (p / "merged.out").read_bytes() == MERGED
    assert got.stderr == ("covmerge: note: left out %s/merged.out: it is an output of this run (-o)\n" % p).encode()
    assert run("-q", "-o", p / "merged.out", p).stderr == b""


def test_output_in_the_current_directory_walk_is_left_out(run, work):
    for _ in range(2):
        got = run("-o", "merged.out", ".", cwd=work)
        assert got.returncode == 0, got.stderr
        assert (work / "merged.out").read_bytes() == MERGED
    assert b"note: left out ./merged.out: it is an output of this run (-o)" in got.stderr


def test_report_exports_are_left_out_of_the_walk(run, work):
    """--lcov x.out is a profile name too; a hard link is the same file."""
    first = run("report", "-o", "merged.out", "--lcov", "cov.lcov.out", ".", cwd=work)
    assert first.returncode == 0, first.stderr
    os.link(work / "merged.out", work / "again.out")
    got = run("report", "-o", "merged.out", "--lcov", "cov.lcov.out", ".", cwd=work)
    assert got.returncode == 0, got.stderr
    assert (work / "merged.out").read_bytes() == MERGED
    for name, option in (("again.out", "-o"), ("cov.lcov.out", "--lcov"), ("merged.out", "-o")):
        assert ("covmerge: note: left out ./%s: it is an output of this run (%s)\n" % (name, option)).encode() \
            in got.stderr


def test_only_outputs_in_the_directory_is_an_error(run, work):
    p = work / "p"
    p.mkdir()
    (p / "merged.out").write_bytes(A)
    got = run("-o", p / "merged.out", p)
    assert got.returncode == 1
    assert b"note: left out" in got.stderr
    assert ("covmerge: error: directory %s holds no profile" % p).encode() in got.stderr
    assert (p / "merged.out").read_bytes() == A


# 7. What a walk skips, and says so.

def test_fifo_in_a_directory_is_skipped_with_a_warning(run, work):
    p = work / "p"
    p.mkdir()
    (p / "a.out").write_bytes(A)
    os.mkfifo(p / "b.out")  # nobody writes to it: opening it would block forever
    got = run(p)  # conftest's timeout ends a hang as a failure
    assert got.returncode == 0, got.stderr
    assert got.stdout == A
    assert got.stderr == ("covmerge: warning: skipped %s/b.out: a FIFO, not a regular file; a directory walk reads "
                          "only regular files (name it as an input to read it)\n" % p).encode()


def test_socket_device_dangling_link_and_linked_directory_are_named(run, work):
    p = work / "p"
    (p / "real").mkdir(parents=True)
    (p / "real" / "a.out").write_bytes(A)
    os.symlink("real", p / "linked")
    os.symlink("gone.out", p / "dangling.out")
    os.symlink("/dev/null", p / "null.out")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(p / "s.cov"))
    try:
        got = run(p)
    finally:
        sock.close()
    assert got.returncode == 0, got.stderr
    assert got.stdout == A
    lines = got.stderr.decode().splitlines()
    assert lines == [
        "covmerge: warning: skipped %s/dangling.out: a symbolic link whose target does not exist" % p,
        "covmerge: note: did not search %s/linked: a symbolic link to a directory is not followed; "
        "name it as an input" % p,
        "covmerge: warning: skipped %s/null.out: a device, not a regular file; a directory walk reads only "
        "regular files (name it as an input to read it)" % p,
        "covmerge: warning: skipped %s/s.cov: a socket, not a regular file; a directory walk reads only "
        "regular files (name it as an input to read it)" % p,
    ]
    assert run("-q", p).stderr == b""
    # Named as an input, the linked directory is searched.
    assert run(p / "linked").stdout == A


def test_skipped_paths_are_quoted(run, work):
    p = work / "p"
    p.mkdir()
    (p / "a.out").write_bytes(A)
    os.symlink("gone", p / "bad\tname.out")
    got = run(p)
    assert got.returncode == 0
    assert ('skipped "%s/bad\\tname.out"' % p).encode() in got.stderr


def test_help_says_what_a_walk_follows(run):
    text = run("--help").stdout.decode()
    assert "symbolic links to regular files" in text
    assert "symbolic links to directories" in text and "FIFOs" in text


# 5. NUL-separated lists; inputs that yield nothing.

def test_files0_from_stdin_as_find_print0_writes(run, work):
    (work / "sub dir").mkdir()
    (work / "sub dir" / "c\nd.out").write_bytes(B)
    listing = subprocess.run(["find", ".", "-name", "*.out", "-print0"], cwd=work, capture_output=True).stdout
    got = run("--files0-from", "-", cwd=work, input=listing)
    assert got.returncode == 0, got.stderr
    assert got.stdout == b"mode: count\nx/a.go:1.1,2.2 1 5\n"
    # The last NUL is optional; a file works as well as stdin.
    (work / "list0").write_bytes(b"a.out\0b.out")
    got = run("--files0-from=list0", cwd=work)
    assert got.returncode == 0 and got.stdout == MERGED


def test_files0_from_empty_name_is_an_error_naming_the_entry(run, work):
    (work / "list0").write_bytes(b"a.out\0\0b.out\0")
    got = run("--files0-from", "list0", cwd=work)
    assert got.returncode == 1 and got.stdout == b""
    assert got.stderr.startswith(b"covmerge: error: list0: entry 2 is an empty name")


def test_nul_byte_in_files_from_is_an_error_with_a_hint(run, work):
    got = run("--files-from", "-", cwd=work, input=b"a.out\0b.out\0")
    assert got.returncode == 1 and got.stdout == b""
    assert got.stderr.startswith(b"covmerge: error: <stdin>:1: ")
    assert b"--files0-from" in got.stderr


@pytest.mark.parametrize("option", ["--files-from", "--files0-from"])
def test_empty_input_list_is_an_error_naming_it(run, work, option):
    got = run(option, "-", cwd=work, input=b"")
    assert got.returncode == 1 and got.stdout == b""
    assert got.stderr == ("covmerge: error: input list <stdin> (%s) names no input; check the command that "
                          "wrote it\n" % option).encode()
    (work / "list").write_bytes(b"")
    got = run(option, "list", "a.out", cwd=work)
    assert got.returncode == 1 and b"input list list (%s)" % option.encode() in got.stderr


def test_files_from_a_pipe(covmerge, work):
    read_fd, write_fd = os.pipe()
    os.write(write_fd, b"a.out\nb.out\n")
    os.close(write_fd)
    try:
        proc = subprocess.run([covmerge, "--files-from", "/dev/fd/%d" % read_fd], cwd=work, capture_output=True,
                              pass_fds=(read_fd,), timeout=60)
    finally:
        os.close(read_fd)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == MERGED


def test_empty_directory_is_an_error_naming_it(run, work):
    (work / "empty").mkdir()
    got = run("empty", "a.out", cwd=work)
    assert got.returncode == 1 and got.stdout == b""
    assert got.stderr.startswith(b"covmerge: error: directory empty holds no profile: expected files named *.out")


def test_help_lists_files0_from(run):
    text = run("--help").stdout.decode()
    assert "--files0-from FILE" in text
    assert "--files0-from FILE" in run("report", "--help").stdout.decode()


# 14. Two outputs naming one file.

@pytest.mark.parametrize("args", [
    ["-o", "same.txt", "--lcov", "same.txt"],
    ["-o", "same.txt", "--lcov", "./same.txt"],
    ["--json", "x.json", "--html", "sub/../x.json"],
    ["--json", "-", "--lcov", "-"],
    ["-o", "-", "--cobertura", "-"],
])
def test_two_outputs_naming_one_file_is_a_usage_error(run, work, args):
    (work / "sub").mkdir()
    got = run("report", *args, "a.out", cwd=work)
    assert got.returncode == 2, got.stderr
    assert got.stdout == b""
    assert got.stderr.endswith(b"\nTry 'covmerge report --help' for more information.\n")
    assert not (work / "same.txt").exists() and not (work / "x.json").exists()


def test_two_outputs_on_one_existing_file_by_inode(run, work):
    (work / "real.txt").write_bytes(b"keep\n")
    os.symlink("real.txt", work / "link.txt")
    got = run("report", "-o", "real.txt", "--json", "link.txt", "a.out", cwd=work)
    assert got.returncode == 2
    assert got.stderr.startswith(b"covmerge: options -o real.txt and --json link.txt name the same file")
    assert (work / "real.txt").read_bytes() == b"keep\n"


def test_paths_with_spaces_are_quoted(run, work):
    (work / "my profile.out").write_bytes(A)
    got = run("-o", "my profile.out", "my profile.out", cwd=work)
    assert got.returncode == 1
    assert got.stderr == b'covmerge: error: output file "my profile.out" (-o) is also the input "my profile.out"; ' \
                         b'write it to another file\n'
    got = run("report", "-o", "a b.txt", "--lcov", "a b.txt", "a.out", cwd=work)
    assert got.returncode == 2
    assert got.stderr.startswith(b'covmerge: options -o "a b.txt" and --lcov "a b.txt" name the same file')


# 15. -j 0; invalid patterns.

def test_jobs_zero_is_one_per_core(run, work):
    for args in (["-j", "0"], ["-j0"], ["--jobs=0"]):
        got = run(*args, "a.out", "b.out", cwd=work)
        assert got.returncode == 0, (args, got.stderr)
        assert got.stdout == MERGED
    assert b"0 for one per core" in run("--help").stdout
    got = run("-j", "-1", "a.out", cwd=work)
    assert got.returncode == 2 and b"or 0 for one per core" in got.stderr


@pytest.mark.parametrize("args,command", [
    (["--include", "("], ""),
    (["--exclude", "["], ""),
    (["report", "--include", "a**"], " report"),  # Go: invalid nested repetition operator
])
def test_invalid_pattern_is_a_usage_error(run, work, args, command):
    got = run(*args, "a.out", cwd=work)
    assert got.returncode == 2, got.stderr
    assert got.stdout == b""
    assert got.stderr.endswith(("\nTry 'covmerge%s --help' for more information.\n" % command).encode())


# 16. A signal during the write.

@pytest.fixture(scope="module")
def big_profile(tmp_path_factory):
    """25 MB of distinct blocks: written gzip-compressed, the write takes
    long enough to be caught."""
    path = tmp_path_factory.mktemp("big") / "big.out"
    lines = ["mode: count"] + ["example.com/m/p%d/f%d.go:%d.2,%d.9 1 %d" % (f % 50, f, b + 1, b + 1, b % 5)
                               for f in range(2000) for b in range(300)]
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_signal_during_the_write_removes_the_temporary_file(covmerge, big_profile, tmp_path, sig):
    """Waits for the temporary file to appear, then signals: no timing is
    asserted; if the merge was over before it could be signalled, it is
    tried again."""
    out = tmp_path / "merged.out.gz"
    for _attempt in range(10):
        proc = subprocess.Popen([covmerge, "-q", "-o", out, big_profile], stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE)
        signalled = False
        deadline = time.monotonic() + 60
        while proc.poll() is None and time.monotonic() < deadline:
            if temporary_files(tmp_path):
                proc.send_signal(sig)
                signalled = True
                break
        _, err = proc.communicate(timeout=60)
        if not signalled:
            assert proc.returncode == 0, err
            out.unlink()
            continue
        assert proc.returncode == -sig, err  # 128+signal in a shell
        assert temporary_files(tmp_path) == []
        return
    pytest.skip("the write was never caught in progress")


def test_signal_exit_status_in_a_shell(covmerge, big_profile, tmp_path):
    """The shell sees 128+signal, as for any program the signal ends."""
    script = ('"$0" -q -o "$1" "$2" & pid=$!; '
              'while kill -0 $pid 2>/dev/null; do '
              '  for f in "$3"/.*.covmerge-*; do [ -e "$f" ] && { kill -TERM $pid; break 2; }; done; '
              'done; wait $pid; echo $?')
    for _attempt in range(10):
        out = tmp_path / "merged.out.gz"
        got = subprocess.run(["sh", "-c", script, covmerge, out, big_profile, tmp_path], capture_output=True,
                             timeout=120)
        status = int(got.stdout.decode().split()[-1])
        if status == 0:
            out.unlink()
            continue
        assert status == 128 + signal.SIGTERM
        assert temporary_files(tmp_path) == []
        return
    pytest.skip("the write was never caught in progress")
