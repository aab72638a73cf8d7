# SPDX-License-Identifier: Apache-2.0
"""The installed C API: `cmake --install` into a prefix inside the build
directory, then programs built against that tree only, as a user outside
the repository builds them: with pkg-config and a plain C compiler (shared
and static library), and with CMake's find_package(covmerge) (C against the
shared library, C++ against the static one). Also: libcovmerge.so exports
the covmerge_* functions and nothing else.

Environment: COVMERGE_BUILD_DIR (the configured, built tree),
COVMERGE_INSTALL_PREFIX (where to install; emptied first), COVMERGE_DATA,
COVMERGE_SOURCE_DIR.
"""
import glob
import os
import shutil
import subprocess

import pytest

if not os.environ.get("COVMERGE_BUILD_DIR") or not os.environ.get("COVMERGE_INSTALL_PREFIX"):
    pytest.skip("run by ctest, which sets COVMERGE_BUILD_DIR and COVMERGE_INSTALL_PREFIX", allow_module_level=True)

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD_DIR = os.environ["COVMERGE_BUILD_DIR"]
PREFIX = os.environ["COVMERGE_INSTALL_PREFIX"]
DATA = os.environ.get("COVMERGE_DATA", os.path.join(HERE, "..", "..", "data"))
COUNT_DIR = os.path.join(DATA, "profiles", "count")
EXPECTED = os.path.join(DATA, "expected", "count-merged.out")
CC = os.environ.get("CC", "cc")
STRICT_C = ["-std=c11", "-Wall", "-Wextra", "-pedantic", "-Werror"]


def run(args, **kwargs):
    got = subprocess.run(args, capture_output=True, text=True, timeout=600, **kwargs)
    assert got.returncode == 0, f"{args}\nstdout:\n{got.stdout}\nstderr:\n{got.stderr}"
    return got


@pytest.fixture(scope="module")
def prefix():
    shutil.rmtree(PREFIX, ignore_errors=True)
    run(["cmake", "--install", BUILD_DIR, "--prefix", PREFIX])
    return PREFIX


@pytest.fixture(scope="module")
def libdir(prefix):
    [pc] = glob.glob(os.path.join(prefix, "**", "pkgconfig", "covmerge.pc"), recursive=True)
    return os.path.dirname(os.path.dirname(pc))


def pkg_config(libdir, *args):
    env = dict(os.environ, PKG_CONFIG_PATH=os.path.join(libdir, "pkgconfig"))
    return run(["pkg-config", *args, "covmerge"], env=env).stdout.split()


def check_example_output(stdout, merged_path):
    lines = stdout.splitlines()
    assert lines[0] == "coverage: 54.8% of statements"
    assert lines[-1].startswith("blocks: ")
    with open(EXPECTED, "rb") as f:
        expected = f.read()
    assert int(lines[-1].split()[1]) == expected.count(b"\n") - 1
    packages = [line.split()[0] for line in lines[1:-1]]
    assert packages == sorted(packages) and "example.com/shop/cart" in packages
    with open(merged_path, "rb") as f:
        assert f.read() == expected


def test_installed_files(prefix, libdir):
    assert os.path.isfile(os.path.join(prefix, "include", "covmerge.h"))
    assert os.path.isfile(os.path.join(libdir, "libcovmerge.a"))
    assert os.path.islink(os.path.join(libdir, "libcovmerge.so"))
    assert os.path.isfile(os.path.join(libdir, "cmake", "covmerge", "covmergeConfig.cmake"))
    assert os.path.isfile(os.path.join(libdir, "cmake", "covmerge", "covmergeConfigVersion.cmake"))


def test_shared_library_exports_only_the_c_api(libdir):
    nm = run(["nm", "-D", "--defined-only", os.path.join(libdir, "libcovmerge.so")]).stdout
    symbols = [line.split()[-1] for line in nm.splitlines() if line.strip()]
    assert "covmerge_merger_create" in symbols and "covmerge_merger_free" in symbols
    assert [s for s in symbols if not s.startswith("covmerge_")] == []


def test_c_program_with_pkg_config_and_shared_library(libdir, tmp_path):
    exe = tmp_path / "example"
    run([CC, *STRICT_C, os.path.join(HERE, "example.c"), "-o", str(exe), *pkg_config(libdir, "--cflags", "--libs")])
    merged = tmp_path / "merged.out"
    got = run([str(exe), str(merged), COUNT_DIR], env=dict(os.environ, LD_LIBRARY_PATH=libdir))
    check_example_output(got.stdout, merged)


def test_c_program_with_pkg_config_and_static_library(libdir, tmp_path):
    # `pkg-config --static` lists what libcovmerge.a needs (Libs.private,
    # Requires.private); -l:libcovmerge.a picks the archive over the .so.
    libs = ["-l:libcovmerge.a" if flag == "-lcovmerge" else flag for flag in pkg_config(libdir, "--static", "--libs")]
    exe = tmp_path / "example"
    run([CC, *STRICT_C, os.path.join(HERE, "example.c"), "-o", str(exe), *pkg_config(libdir, "--cflags"), *libs])
    assert "libcovmerge" not in run(["readelf", "-d", str(exe)]).stdout
    merged = tmp_path / "merged.out"
    got = run([str(exe), str(merged), COUNT_DIR])
    check_example_output(got.stdout, merged)


def test_cmake_find_package(prefix, tmp_path):
    build = tmp_path / "build"
    generator = ["-G", "Ninja"] if shutil.which("ninja") else []
    run(["cmake", "-S", os.path.join(HERE, "consumer"), "-B", str(build), *generator,
         f"-DCMAKE_PREFIX_PATH={prefix}", f"-DEXAMPLE_C={os.path.join(HERE, 'example.c')}"])
    run(["cmake", "--build", str(build), "-j", "2"])

    merged = tmp_path / "merged.out"
    got = run([str(build / "example_shared"), str(merged), COUNT_DIR])  # found through the RUNPATH CMake set
    check_example_output(got.stdout, merged)
    assert os.path.exists(build / "example_alias")

    static = build / "example_static"
    assert "libcovmerge" not in run(["readelf", "-d", str(static)]).stdout
    got = subprocess.run([str(static), COUNT_DIR], capture_output=True, timeout=120)
    assert got.returncode == 0, got.stderr
    with open(EXPECTED, "rb") as f:
        assert got.stdout == f.read()
    assert got.stderr == b"coverage: 54.8% of statements\n"


def readme_block(language):
    """The first ```language block of the README's "Library use" section."""
    with open(os.path.join(HERE, "..", "..", "README.md")) as f:
        readme = f.read()
    section = readme[readme.index("## Library use"):]
    start = section.index(f"```{language}\n") + len(language) + 4
    return section[start:section.index("```", start)]


def test_the_readme_ci_recipe_in_c(libdir, tmp_path):
    """The C example of README.md (the CI recipe), built against the
    installed library: the exit status, gate failures and LCOV of `covmerge
    report` with --baseline, --max-drop and --lcov on the same inputs."""
    (tmp_path / "ci.c").write_text(readme_block("c"))
    exe = tmp_path / "ci"
    run([CC, *STRICT_C, "ci.c", "-o", str(exe), *pkg_config(libdir, "--cflags", "--libs")], cwd=tmp_path)
    env = dict(os.environ, LD_LIBRARY_PATH=libdir)
    covmerge_bin = os.path.join(os.environ["COVMERGE_BUILD_DIR"], "covmerge")
    units = sorted(os.path.join(COUNT_DIR, n) for n in os.listdir(COUNT_DIR) if n.startswith("pkg-"))
    # main's summary is this run's (the gate passes), or the unit tests'
    # alone, whose total is higher (the gate fails).
    for baseline_inputs, status in (([COUNT_DIR], 0), (units, 3)):
        run([covmerge_bin, "report", *baseline_inputs, "--json", str(tmp_path / "main.json")])
        got = subprocess.run([str(exe), str(tmp_path / "main.json"), COUNT_DIR], capture_output=True, text=True,
                             env=env, cwd=tmp_path, timeout=120)
        expected = subprocess.run([covmerge_bin, "report", COUNT_DIR, "--baseline", str(tmp_path / "main.json"),
                                   "--max-drop", "0.1", "--lcov", str(tmp_path / "expected.info")],
                                  capture_output=True, text=True, timeout=120)
        assert (got.returncode, expected.returncode) == (status, status), got.stderr + expected.stderr
        assert got.stdout == "coverage: 54.8% of statements\n"
        with open(tmp_path / "coverage.info", "rb") as f, open(tmp_path / "expected.info", "rb") as g:
            assert f.read() == g.read()
        failures = [line for line in expected.stderr.splitlines() if "coverage gate failed" in line]
        assert got.stderr.splitlines() == [line[len("covmerge: "):] for line in failures]
        assert len(failures) == (status == 3)
