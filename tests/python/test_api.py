# SPDX-License-Identifier: Apache-2.0
"""covmerge.merge and covmerge.Merger: the same bytes and summary as the
covmerge command on the same inputs, every kind of input and output, the
statistics per file and per package, and the Merger's life cycle."""
import glob
import gzip
import io
import os
import pathlib
import subprocess

import pytest

import covmerge

PROFILE_A = b"mode: count\nexample.com/m/a.go:1.2,3.4 2 5\nexample.com/m/a.go:5.1,6.2 1 0\n"
PROFILE_B = b"mode: count\nexample.com/m/a.go:1.2,3.4 2 7\nexample.com/m/b/b.go:1.1,2.1 3 1\n"


def command_summary(run_bin, *inputs):
    got = run_bin("--summary", "-o", os.devnull, *inputs)
    assert got.returncode == 0, got.stderr
    return got.stderr.decode().strip()


@pytest.mark.parametrize("mode", ["count", "set", "atomic"])
def test_sample_data_equals_the_command(mode, data_dir, run_bin, tmp_path):
    directory = os.path.join(data_dir, "profiles", mode)
    out = tmp_path / "merged.out"
    result = covmerge.merge(directory, out)
    assert out.read_bytes() == run_bin(directory).stdout
    with open(os.path.join(data_dir, "expected", mode + "-merged.out"), "rb") as f:
        assert out.read_bytes() == f.read()
    assert str(result.summary) == command_summary(run_bin, directory)
    assert result.mode == mode
    assert result.inputs_merged == len(glob.glob(os.path.join(directory, "*.out")))
    assert result.skipped == [] and result.warnings == []


def test_summary_is_go_tool_cover_total(count_dir, data_dir):
    with open(os.path.join(data_dir, "expected", "count-merged.func.txt")) as f:
        total = [line.split()[-1] for line in f if line.startswith("total:")][0]
    summary = covmerge.merge(count_dir).summary
    assert str(summary) == f"coverage: {total} of statements"
    assert f"{summary.percent:.1f}%" == total
    assert summary.percent == pytest.approx(100 * summary.covered / summary.statements)
    assert isinstance(summary, tuple) and summary == (summary.statements, summary.covered, summary.percent)


def test_inputs_as_str_bytes_pathlike_and_iterables(count_dir, expected_count, tmp_path):
    files = sorted(glob.glob(os.path.join(count_dir, "*.out")))
    forms = [
        count_dir,
        os.fsencode(count_dir),
        pathlib.Path(count_dir),
        files,
        tuple(pathlib.Path(f) for f in files),
        (f for f in files),  # a generator
        [os.fsencode(f) for f in files],
    ]
    for i, inputs in enumerate(forms):
        out = tmp_path / f"merged{i}.out"
        covmerge.merge(inputs, out)
        assert out.read_bytes() == expected_count, inputs


def test_not_a_path_is_a_type_error():
    with pytest.raises(TypeError):
        covmerge.merge(42)
    with pytest.raises(TypeError):
        covmerge.merge([pathlib.Path("a.out"), 3.5])


def test_outputs(count_dir, expected_count, tmp_path):
    covmerge.merge(count_dir, str(tmp_path / "a.out"))
    covmerge.merge(count_dir, os.fsencode(str(tmp_path / "b.out")))
    buffer = io.BytesIO()
    covmerge.merge(count_dir, buffer)
    assert buffer.getvalue() == expected_count
    for name in ("a.out", "b.out"):
        assert (tmp_path / name).read_bytes() == expected_count
    assert sorted(os.listdir(tmp_path)) == ["a.out", "b.out"]  # no temporary files left


def test_compressed_output_and_input(count_dir, expected_count, tmp_path, run_bin):
    covmerge.merge(count_dir, tmp_path / "merged.out.gz")
    assert gzip.decompress((tmp_path / "merged.out.gz").read_bytes()) == expected_count
    covmerge.merge(count_dir, tmp_path / "merged.out.zst")
    plain = subprocess.run(["zstd", "-dc", str(tmp_path / "merged.out.zst")], capture_output=True, check=True)
    assert plain.stdout == expected_count
    # Compressed inputs, by file and by bytes, read back as the same profile.
    assert covmerge.Merger().add(tmp_path / "merged.out.zst") == 1
    m = covmerge.Merger()
    m.add(tmp_path / "merged.out.zst")
    m.add_bytes((tmp_path / "merged.out.gz").read_bytes(), "gz")
    both = m.to_bytes()
    assert both == run_bin(tmp_path / "merged.out.zst", tmp_path / "merged.out.gz").stdout


def test_no_output_writes_nothing(count_dir, tmp_path):
    result = covmerge.merge(count_dir)
    assert result.summary.statements > 0
    assert os.listdir(tmp_path) == []


def test_files_and_packages(count_dir):
    result = covmerge.merge(count_dir)
    assert list(result.files) == sorted(result.files)
    assert list(result.packages) == sorted(result.packages)
    assert sum(c.statements for c in result.files.values()) == result.summary.statements
    assert sum(c.covered for c in result.files.values()) == result.summary.covered
    assert sum(c.statements for c in result.packages.values()) == result.summary.statements
    for path, coverage in result.files.items():
        package = path.rsplit("/", 1)[0]
        assert package in result.packages
        assert coverage.statements <= result.packages[package].statements
    assert "example.com/shop/cart" in result.packages


def test_package_statistics_by_directory():
    m = covmerge.Merger()
    m.add_bytes(b"mode: set\ntop.go:1.1,2.1 1 1\na/b/x.go:1.1,2.1 2 1\na/b/y/z.go:1.1,2.1 3 0\n"
                b"a/b/w.go:3.1,4.1 4 0\na/b/w.go:1.1,2.1 5 1\n", "in")
    result = m.finish()
    assert result.packages == {
        ".": covmerge.Coverage(1, 1, 100.0),
        "a/b": covmerge.Coverage(11, 7, 100 * 7 / 11),
        "a/b/y": covmerge.Coverage(3, 0, 0.0),
    }
    assert result.files["a/b/w.go"] == covmerge.Coverage(9, 5, 100 * 5 / 9)


def test_blocks_iterate_as_tuples(count_dir, expected_count):
    m = covmerge.Merger()
    m.add(count_dir)
    blocks = list(m)
    lines = expected_count.decode().splitlines()
    assert lines[0] == "mode: count"
    assert len(blocks) == len(lines) - 1
    for block, line in zip(blocks, lines[1:]):
        assert type(block) is tuple and len(block) == 7
        path, sl, sc, el, ec, num_stmt, count = block
        assert f"{path}:{sl}.{sc},{el}.{ec} {num_stmt} {count}" == line


def test_merger_incremental(expected_count, count_dir, tmp_path):
    files = sorted(glob.glob(os.path.join(count_dir, "*.out")))
    m = covmerge.Merger(threads=2)
    assert m.add(files[0]) == 1
    assert m.add(files[1:3]) == 2
    for f in files[3:]:
        with open(f, "rb") as fh:
            m.add_bytes(bytearray(fh.read()), name=f)
    assert m.to_bytes() == expected_count
    assert str(m.summary()) == "coverage: 54.8% of statements"
    assert m.result() is m.finish()
    m.write(tmp_path / "out")
    assert (tmp_path / "out").read_bytes() == expected_count
    with pytest.raises(RuntimeError, match="finished"):
        m.add(files[0])
    with pytest.raises(RuntimeError, match="finished"):
        m.add_bytes(PROFILE_A, "late")


def test_add_bytes_takes_any_bytes_like_object():
    for data in (PROFILE_A, bytearray(PROFILE_A), memoryview(PROFILE_A), memoryview(b"xx" + PROFILE_A)[2:]):
        m = covmerge.Merger()
        m.add_bytes(data, "buf")
        assert m.to_bytes() == PROFILE_A
    with pytest.raises(TypeError):
        covmerge.Merger().add_bytes("mode: set\n", "text")  # str is not bytes


def test_add_bytes_copies(run_bin, tmp_path):
    data = bytearray(PROFILE_A)
    m = covmerge.Merger()
    m.add_bytes(data, "buf")
    data[:] = b"garbage"
    m.add_bytes(PROFILE_B, "b")
    (tmp_path / "a").write_bytes(PROFILE_A)
    (tmp_path / "b").write_bytes(PROFILE_B)
    assert m.to_bytes() == run_bin(tmp_path / "a", tmp_path / "b").stdout


def test_directory_count_and_empty_directory(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "coverage.txt").write_bytes(PROFILE_A)
    (tmp_path / "a.cov").write_bytes(PROFILE_B)
    (tmp_path / ".hidden.out").write_bytes(b"junk")
    (tmp_path / "README").write_bytes(b"junk")
    (tmp_path / "empty").mkdir()
    m = covmerge.Merger()
    assert m.add(tmp_path) == 2
    assert m.add(tmp_path / "empty") == 0
    assert m.finish().inputs_merged == 2


def test_no_blocks_writes_nothing(tmp_path):
    m = covmerge.Merger()
    m.add_bytes(b"mode: set\n", "modeonly")
    result = m.finish()
    assert result.mode is None
    assert result.summary == covmerge.Coverage(0, 0, 0.0)
    assert str(result.summary) == "coverage: [no statements]"
    assert m.to_bytes() == b""
    assert list(m) == []
    m.write(tmp_path / "out")
    assert (tmp_path / "out").read_bytes() == b""


def test_mode_option():
    a = covmerge.Merger(mode="count")
    a.add_bytes(PROFILE_A, "a.out")
    assert a.finish().mode == "count"
    b = covmerge.Merger(mode="set")
    b.add_bytes(PROFILE_A, "a.out")
    with pytest.raises(covmerge.ProfileError, match='"set" was expected') as e:
        b.finish()
    assert e.value.conflict


def test_skip_lists_what_the_command_warns_about(tmp_path, run_bin):
    (tmp_path / "1.out").write_bytes(PROFILE_A)
    (tmp_path / "2.out").write_bytes(b"mode: count\nnonsense\n")
    (tmp_path / "3.out").write_bytes(b"mode: set\nexample.com/m/a.go:1.2,3.4 2 1\n")
    (tmp_path / "4.out").write_bytes(PROFILE_B)
    out = tmp_path / "merged"
    result = covmerge.merge(tmp_path, out, on_conflict="skip")
    got = run_bin("-k", tmp_path)
    assert out.read_bytes() == got.stdout
    assert [s.name for s in result.skipped] == [str(tmp_path / "2.out"), str(tmp_path / "3.out")]
    warnings = got.stderr.decode().splitlines()
    assert warnings == [f"covmerge: warning: skipped input: {s.reason}" for s in result.skipped]
    assert result.inputs_merged == 2
    m = covmerge.Merger(on_conflict="skip")
    m.add(tmp_path / "2.out")
    m.add(tmp_path / "1.out")
    assert m.skipped == [covmerge.SkippedInput(str(tmp_path / "2.out"), result.skipped[0].reason)]


def test_saturation_warning():
    big = b"mode: count\na.go:1.1,2.1 1 9223372036854775807\n"
    m = covmerge.Merger()
    m.add_bytes(big, "a")
    m.add_bytes(big, "b")
    result = m.finish()
    assert len(result.warnings) == 1 and "9223372036854775807" in result.warnings[0]
    assert list(m) == [("a.go", 1, 1, 2, 1, 1, 9223372036854775807)]


def test_thread_count_does_not_change_the_output(count_dir, expected_count):
    for threads in (1, 2, 3, 8):
        m = covmerge.Merger(threads=threads)
        m.add(count_dir)
        assert m.to_bytes() == expected_count


def test_bad_arguments():
    with pytest.raises(ValueError, match="on_conflict"):
        covmerge.Merger(on_conflict="ignore")
    with pytest.raises(ValueError, match="mode"):
        covmerge.Merger(mode="sets")
    with pytest.raises(ValueError, match="threads"):
        covmerge.Merger(threads=-1)
    with pytest.raises(ValueError, match="threads"):
        covmerge.merge([], threads=5000)
    with pytest.raises(TypeError):
        covmerge.Merger(threads="2")
    with pytest.raises(TypeError):
        covmerge.Merger(2)  # keyword-only


def test_nothing_added_merges_to_nothing():
    result = covmerge.merge([])
    assert result.inputs_merged == 0 and result.files == {} and result.mode is None


def test_close_frees_the_profile(count_dir):
    with covmerge.Merger() as m:
        m.add(count_dir)
        summary = m.summary()
    assert m.summary() == summary  # kept in the result
    with pytest.raises(RuntimeError, match="released"):
        m.to_bytes()


def test_write_to_a_file_object_that_fails(count_dir):
    class Broken:
        def write(self, data):
            raise OSError(28, "No space left on device")

    m = covmerge.Merger()
    m.add(count_dir)
    with pytest.raises(OSError, match="No space left"):
        m.write(Broken())

    chunks = []

    class Keeper:
        def write(self, data):
            chunks.append(data)  # kept after the call: must be a copy
            return len(data)

    m.write(Keeper())
    assert b"".join(chunks) == m.to_bytes()


def test_version():
    assert covmerge.__version__.count(".") == 2


# GOCOVERDIR inputs (Go 1.20+ binary coverage data, issue 8).

def test_gocoverdir_equals_the_expected_merge(data_dir, run_bin, tmp_path):
    sample = os.path.join(data_dir, "gocoverdir-sample")
    out = tmp_path / "merged.out"
    result = covmerge.merge(os.path.join(sample, "gocoverdir"), out, threads=4)
    with open(os.path.join(sample, "expected-merged.out"), "rb") as f:
        assert out.read_bytes() == f.read()
    assert result.inputs_merged == 10
    assert str(result.summary) == command_summary(run_bin, os.path.join(sample, "gocoverdir"))
    merger = covmerge.Merger()
    assert merger.add([os.path.join(sample, "gocoverdir"), os.path.join(sample, "expected-merged.out")]) == 2
    assert merger.to_bytes() == run_bin(sample).stdout  # counts doubled


def test_damaged_gocoverdir(data_dir, tmp_path):
    import shutil
    d = tmp_path / "cover"
    shutil.copytree(os.path.join(data_dir, "gocoverdir-sample", "gocoverdir"), d)
    run = next(d.glob("covcounters.*.4242.*"))
    run.chmod(0o644)
    run.write_bytes(run.read_bytes()[:100])
    with pytest.raises(covmerge.ProfileError) as e:
        covmerge.merge(d)
    assert e.value.path == str(run)
    assert str(e.value).startswith(f"{run}: expected the footer")
    result = covmerge.merge(d, on_conflict="skip")
    assert [s.name for s in result.skipped] == [str(run)]
    assert result.inputs_merged == 9
