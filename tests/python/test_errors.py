# SPDX-License-Identifier: Apache-2.0
"""Every class of error the module raises: ProfileError (a ValueError) with
.kind, .path, .input_index, .line, .column and .offset for malformed inputs,
ConflictError (a ProfileError) with both sides for inputs that disagree,
OSError subclasses with their errno for files that cannot be read or
written (ENOSPC for a full disk), MemoryError and RuntimeError; each with
the message the covmerge command prints for the same inputs, and each
chosen from the engine's fields, not from the message."""
import errno
import os

import pytest

import covmerge
from covmerge import _covmerge

PROFILE_A = b"mode: count\nexample.com/m/a.go:1.2,3.4 2 5\nexample.com/m/a.go:5.1,6.2 1 0\n"


def command_error(run_bin, *args):
    """The message after 'covmerge: error: ' for the same merge."""
    got = run_bin(*args)
    assert got.returncode == 1, got
    stderr = got.stderr.decode()
    assert stderr.startswith("covmerge: error: ") and stderr.endswith("\n"), stderr
    return stderr[len("covmerge: error: "):-1]


def merge_error(*inputs, **options):
    with pytest.raises(Exception) as info:
        covmerge.merge(list(inputs), **options)
    return info.value


def test_malformed_line(tmp_path, run_bin):
    bad = tmp_path / "bad.out"
    bad.write_bytes(b"mode: count\n\nexample.com/m/a.go:1.2,3.4 two 5\n")
    e = merge_error(bad)
    assert type(e) is covmerge.ProfileError and isinstance(e, ValueError)
    assert e.path == str(bad)
    assert e.line == 3
    assert e.column is not None and e.column > 0
    assert not e.conflict
    assert str(e).startswith(f"{bad}:3:{e.column}: ")
    assert str(e) == command_error(run_bin, bad)


def test_malformed_bytes_name_the_buffer():
    m = covmerge.Merger()
    m.add_bytes(b"mode: count\nx.go:1.1,2.1 1\n", "from-ci.out")
    with pytest.raises(covmerge.ProfileError) as info:
        m.finish()
    assert (info.value.path, info.value.line) == ("from-ci.out", 2)


@pytest.mark.parametrize("contents", [b"", b"garbage\n", b"mode: sometimes\n", b"mode: set\na.go:1.1,2.1 -1 1\n",
                                      b"mode: set\na.go:1.1,2.1 1 99999999999999999999999\n"])
def test_malformed_profiles(tmp_path, run_bin, contents):
    bad = tmp_path / "bad.out"
    bad.write_bytes(contents)
    e = merge_error(bad)
    assert type(e) is covmerge.ProfileError
    assert e.path == str(bad)
    assert str(e) == command_error(run_bin, bad)


def test_mode_conflict(tmp_path, run_bin):
    (tmp_path / "a.out").write_bytes(PROFILE_A)
    (tmp_path / "s.out").write_bytes(b"mode: set\nexample.com/m/a.go:1.2,3.4 2 1\n")
    e = merge_error(tmp_path / "a.out", tmp_path / "s.out")
    assert type(e) is covmerge.ConflictError and e.conflict and isinstance(e, covmerge.ProfileError)
    assert (e.kind, e.path, e.input_index, e.line) == ("mode_mismatch", str(tmp_path / "s.out"), 1, 1)
    assert (e.other_path, e.other_index, e.other_line) == (str(tmp_path / "a.out"), 0, 1)
    assert str(tmp_path / "a.out") in str(e)
    assert str(e) == command_error(run_bin, tmp_path / "a.out", tmp_path / "s.out")


def test_num_stmt_conflict(tmp_path, run_bin):
    (tmp_path / "a.out").write_bytes(PROFILE_A)
    (tmp_path / "b.out").write_bytes(b"mode: count\n\nexample.com/m/a.go:1.2,3.4 9 1\n")
    e = merge_error(tmp_path / "a.out", tmp_path / "b.out")
    assert type(e) is covmerge.ConflictError and e.conflict
    assert (e.kind, e.path, e.line, e.column) == ("conflict", str(tmp_path / "b.out"), 3, None)
    assert (e.other_path, e.other_index, e.other_line) == (str(tmp_path / "a.out"), 0, 2)
    assert str(e) == command_error(run_bin, tmp_path / "a.out", tmp_path / "b.out")


def test_same_start_different_end(tmp_path, run_bin):
    (tmp_path / "a.out").write_bytes(PROFILE_A)
    (tmp_path / "b.out").write_bytes(b"mode: count\nexample.com/m/a.go:1.2,3.9 2 1\n")
    e = merge_error(tmp_path / "a.out", tmp_path / "b.out")
    assert type(e) is covmerge.ConflictError and e.conflict
    assert (e.path, e.input_index, e.line) == (str(tmp_path / "b.out"), 1, 2)
    assert (e.other_path, e.other_line) == (str(tmp_path / "a.out"), 2)
    assert str(e) == command_error(run_bin, tmp_path / "a.out", tmp_path / "b.out")


def test_every_input_skipped(tmp_path, run_bin):
    (tmp_path / "bad.out").write_bytes(b"junk\n")
    e = merge_error(tmp_path / "bad.out", on_conflict="skip")
    assert type(e) is covmerge.ProfileError
    assert "skipped" in str(e)
    assert str(e) == command_error(run_bin, "-k", tmp_path / "bad.out")


def test_missing_input(tmp_path, run_bin):
    missing = tmp_path / "missing.out"
    e = merge_error(missing)
    assert type(e) is FileNotFoundError and isinstance(e, OSError)
    assert e.errno == errno.ENOENT
    assert e.filename == str(missing)
    assert str(missing) in str(e)
    assert e._covmerge_message == command_error(run_bin, missing)


def test_missing_output_directory(tmp_path, run_bin):
    (tmp_path / "a.out").write_bytes(PROFILE_A)
    out = tmp_path / "no" / "such" / "merged.out"
    with pytest.raises(FileNotFoundError) as info:
        covmerge.merge(tmp_path / "a.out", out)
    assert info.value.filename == str(out)
    assert info.value._covmerge_message == command_error(run_bin, "-o", out, tmp_path / "a.out")


def test_output_is_a_directory(tmp_path, run_bin):
    (tmp_path / "a.out").write_bytes(PROFILE_A)
    (tmp_path / "dir").mkdir()
    with pytest.raises(OSError) as info:
        covmerge.merge(tmp_path / "a.out", tmp_path / "dir")
    assert info.value.filename == str(tmp_path / "dir")
    assert info.value._covmerge_message == command_error(run_bin, "-o", tmp_path / "dir", tmp_path / "a.out")


def test_read_only_output(tmp_path):
    (tmp_path / "a.out").write_bytes(PROFILE_A)
    if not os.path.isdir("/proc/self"):
        pytest.skip("no /proc")
    with pytest.raises(OSError) as info:
        covmerge.merge(tmp_path / "a.out", "/proc/self/covmerge-merged.out")
    assert info.value.filename == "/proc/self/covmerge-merged.out"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_unreadable_input(tmp_path, run_bin):
    locked = tmp_path / "locked.out"
    locked.write_bytes(PROFILE_A)
    locked.chmod(0)
    e = merge_error(locked)
    assert type(e) is PermissionError and e.filename == str(locked)
    assert e._covmerge_message == command_error(run_bin, locked)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every directory")
def test_unreadable_directory(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0)
    with pytest.raises(PermissionError) as info:
        covmerge.Merger().add(locked)
    assert info.value.filename == str(locked)


def test_a_full_disk_is_enospc(tmp_path):
    (tmp_path / "a.out").write_bytes(PROFILE_A)
    with pytest.raises(OSError) as info:
        covmerge.merge(tmp_path / "a.out", "/dev/full")
    assert info.value.errno == errno.ENOSPC
    assert info.value.filename == "/dev/full"


def fields(**given):
    base = dict(kind="internal", path=None, input_index=None, line=None, column=None, offset=None, errno=None,
                other_path=None, other_index=None, other_line=None)
    base.update(given)
    return base


# How each kind the engine reports becomes a Python exception, including
# those no test input can provoke here (out of memory; permissions, as
# root). The message is chosen to say nothing: only the fields decide.
@pytest.mark.parametrize("code, given, expected", [
    ("ERROR_MALFORMED", dict(kind="malformed", path="a.out", line=3, column=9, offset=40), covmerge.ProfileError),
    ("ERROR_CONFLICT", dict(kind="conflict", path="b.out", line=2, other_path="a.out", other_line=5),
     covmerge.ConflictError),
    ("ERROR_CONFLICT", dict(kind="mode_mismatch", path="b.out", line=1), covmerge.ConflictError),
    ("ERROR_NOT_FOUND", dict(kind="io", path="a.out", errno=errno.ENOENT), FileNotFoundError),
    ("ERROR_PERMISSION", dict(kind="io", path="a.out", errno=errno.EACCES), PermissionError),
    ("ERROR_PERMISSION", dict(kind="io", path="a.out", errno=errno.EPERM), PermissionError),
    ("ERROR_IO", dict(kind="io", path="a.out", errno=errno.EISDIR), IsADirectoryError),
    ("ERROR_IO", dict(kind="io", path="a.out"), OSError),
    ("ERROR_DISK_FULL", dict(kind="disk_full", path="out", errno=errno.ENOSPC), OSError),
    ("ERROR_OUT_OF_MEMORY", dict(kind="out_of_memory", errno=errno.ENOMEM), MemoryError),
    ("ERROR_CANCELLED", dict(kind="cancelled"), KeyboardInterrupt),
    ("ERROR_INTERNAL", dict(kind="internal"), RuntimeError),
    ("ERROR_USAGE", dict(kind="invalid_argument"), RuntimeError),
])
def test_conversion_of_every_kind(code, given, expected):
    message = "some words"
    e = covmerge._convert(_covmerge.Failure(_covmerge.CODES[code], message, fields(**given)))
    assert type(e) is expected
    assert e._covmerge_message == message
    if isinstance(e, OSError):
        assert e.filename == given["path"]
        assert e.errno == given.get("errno")
    if isinstance(e, covmerge.ProfileError):
        assert (e.kind, e.path, e.line, e.column, str(e)) == (given["kind"], given["path"], given["line"],
                                                               given.get("column"), message)
        assert e.offset == given.get("offset")
        assert e.conflict == (code == "ERROR_CONFLICT")
    if isinstance(e, covmerge.ConflictError):
        assert (e.other_path, e.other_line) == (given.get("other_path"), given.get("other_line"))


def test_errors_survive_pickle():
    import pickle
    e = covmerge._convert(_covmerge.Failure(_covmerge.CODES["ERROR_CONFLICT"], "m",
                                            fields(kind="conflict", path="b.out", line=2, other_path="a.out",
                                                   other_index=0, other_line=5, input_index=1)))
    back = pickle.loads(pickle.dumps(e))
    assert type(back) is covmerge.ConflictError
    assert (back.kind, back.path, back.input_index, back.line, back.other_path, back.other_index,
            back.other_line, str(back)) == ("conflict", "b.out", 1, 2, "a.out", 0, 5, "m")


def test_malformed_line_has_its_offset(tmp_path):
    text = b"mode: set\nexample.com/m/a.go:1.2,3.4 2 1\nexample.com/m/a.go:5.1,6.2 x 0\n"
    (tmp_path / "ok.out").write_bytes(PROFILE_A)
    (tmp_path / "bad.out").write_bytes(text)
    e = merge_error(tmp_path / "ok.out", tmp_path / "bad.out")
    assert type(e) is covmerge.ProfileError
    assert (e.kind, e.input_index, e.line, e.offset) == ("malformed", 1, 3, text.rindex(b"example.com"))


def test_a_failed_merge_raises_again(tmp_path):
    (tmp_path / "bad.out").write_bytes(b"junk\n")
    m = covmerge.Merger()
    m.add(tmp_path / "bad.out")
    for call in (m.finish, m.summary, m.to_bytes, lambda: list(m), lambda: m.write(tmp_path / "x")):
        with pytest.raises(covmerge.ProfileError):
            call()
    with pytest.raises(RuntimeError, match="failed"):
        m.add(tmp_path / "bad.out")
    assert not (tmp_path / "x").exists()


def test_failed_merge_keeps_the_previous_output(tmp_path):
    (tmp_path / "bad.out").write_bytes(b"junk\n")
    out = tmp_path / "merged.out"
    out.write_bytes(b"previous\n")
    with pytest.raises(covmerge.ProfileError):
        covmerge.merge(tmp_path / "bad.out", out)
    assert out.read_bytes() == b"previous\n"
    assert sorted(os.listdir(tmp_path)) == ["bad.out", "merged.out"]
