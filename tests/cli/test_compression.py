# SPDX-License-Identifier: Apache-2.0
"""Compressed profiles: zstd and gzip inputs read as streams, compressed output."""
import glob
import gzip
import os
import subprocess

import pytest


def zstd(data):
    return subprocess.run(["zstd", "-q", "-c"], input=data, capture_output=True, check=True).stdout


def unzstd(data):
    return subprocess.run(["zstd", "-q", "-d", "-c"], input=data, capture_output=True, check=True).stdout


@pytest.fixture
def profiles(data_dir):
    return sorted(glob.glob(os.path.join(data_dir, "profiles", "count", "*.out")))


def test_compressed_inputs_merge_like_plain_ones(run, profiles, tmp_path):
    want = run(*profiles).stdout
    inputs = []
    for i, path in enumerate(profiles):
        data = open(path, "rb").read()
        if i % 3 == 0:
            target, data = tmp_path / ("p%d.out.zst" % i), zstd(data)
        elif i % 3 == 1:
            target, data = tmp_path / ("p%d.out.gz" % i), gzip.compress(data)
        else:
            target = tmp_path / ("p%d.out" % i)
        target.write_bytes(data)
        inputs.append(target)
    got = run(*inputs)
    assert got.returncode == 0, got.stderr
    assert got.stdout == want
    # A directory finds *.out.zst and *.out.gz too.
    assert run(tmp_path).stdout == want


def test_format_is_told_by_magic_bytes_not_name(run, profiles, tmp_path):
    data = open(profiles[0], "rb").read()
    (tmp_path / "a.out").write_bytes(zstd(data))
    (tmp_path / "b.txt").write_bytes(gzip.compress(data))
    got = run(tmp_path / "a.out", tmp_path / "b.txt")
    assert got.returncode == 0, got.stderr
    assert got.stdout == run(profiles[0], profiles[0]).stdout


def test_compressed_stdin(run, profiles):
    data = open(profiles[-1], "rb").read()
    for packed in (zstd(data), gzip.compress(data)):
        got = run("-", input=packed)
        assert got.returncode == 0, got.stderr
        assert got.stdout == run(profiles[-1]).stdout


def test_large_compressed_input_is_streamed(run, tmp_path):
    """Over the 1 MB chunk size both compressed and decompressed."""
    lines = ["mode: count"] + ["ex.com/p/f%d.go:%d.1,%d.9 2 %d" % (i % 300, i, i + 1, i % 5)
                               for i in range(200000)]
    text = ("\n".join(lines) + "\n").encode()
    (tmp_path / "big.out").write_bytes(text)
    (tmp_path / "big.out.gz").write_bytes(gzip.compress(text, compresslevel=1))
    (tmp_path / "big.out.zst").write_bytes(zstd(text))
    want = run(tmp_path / "big.out").stdout
    for name in ("big.out.gz", "big.out.zst"):
        got = run("-j", "2", tmp_path / name)
        assert got.returncode == 0, got.stderr
        assert got.stdout == want, name


@pytest.mark.parametrize("suffix", [".zst", ".gz"])
def test_output_compressed_as_its_name_asks(run, profiles, tmp_path, suffix):
    out = tmp_path / ("merged.out" + suffix)
    got = run("-o", out, *profiles)
    assert got.returncode == 0, got.stderr
    packed = out.read_bytes()
    plain = unzstd(packed) if suffix == ".zst" else gzip.decompress(packed)
    assert plain == run(*profiles).stdout


def test_truncated_and_damaged_compressed_inputs_are_errors(run, profiles, tmp_path):
    data = b"".join(open(p, "rb").read() for p in profiles[:1])
    cases = {
        "cut.out.zst": zstd(data)[:-40],
        "cut.out.gz": gzip.compress(data)[:-40],
        "bad.out.zst": b"\x28\xb5\x2f\xfd" + b"not zstd at all" * 4,
        "bad.out.gz": b"\x1f\x8b" + b"not gzip at all" * 4,
    }
    for name, packed in cases.items():
        (tmp_path / name).write_bytes(packed)
        out = tmp_path / "merged.out"
        got = run("-o", out, tmp_path / name)
        assert got.returncode == 1, name
        message = got.stderr.decode()
        assert message.startswith("covmerge: error: %s: expected " % (tmp_path / name)), message
        assert ("zstd" if "zst" in name else "gzip") in message
        assert not out.exists()


def test_error_in_compressed_input_names_the_line(run, tmp_path):
    text = b"mode: count\nx/a.go:1.1,2.2 1 1\nx/a.go:3.1,4.2 1\n"
    (tmp_path / "a.out.gz").write_bytes(gzip.compress(text))
    got = run(tmp_path / "a.out.gz")
    assert got.returncode == 1
    assert got.stderr.decode().startswith("covmerge: error: %s:3:" % (tmp_path / "a.out.gz"))
