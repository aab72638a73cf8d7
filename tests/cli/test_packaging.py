# SPDX-License-Identifier: Apache-2.0
"""covmerge as a packaged command-line tool (issue 17): the man page and
shell completions, written from the option table, agree with --help and
the parser; `cmake --install` installs the command with them; the Debian
package that `cpack -G DEB` makes holds them, declares its dependencies,
resolves on this system, and its command runs."""
import os
import re
import shutil
import subprocess

import pytest

BIN = os.environ.get("COVMERGE_BIN", "")
BUILD_DIR = os.path.dirname(os.path.abspath(BIN)) if BIN else ""
DATA = os.environ.get("COVMERGE_DATA", os.path.join(os.path.dirname(__file__), "..", "..", "data"))
COUNT_DIR = os.path.join(DATA, "profiles", "count")


def run(args, **kwargs):
    got = subprocess.run(args, capture_output=True, text=True, timeout=300, **kwargs)
    assert got.returncode == 0, f"{args}\n{got.stdout}\n{got.stderr}"
    return got.stdout


def options_in_help():
    """Every --long option of both help texts, by command."""
    merge = set(re.findall(r"^\s+(?:-\w, )?(--[\w-]+)", run([BIN, "--help"]), re.M))
    report = set(re.findall(r"^\s+(?:-\w, )?(--[\w-]+)", run([BIN, "report", "--help"]), re.M))
    return merge, report


def test_every_option_in_the_help_is_parsed():
    merge, report = options_in_help()
    assert {"--output", "--jobs", "--keep-going", "--summary"} <= merge
    assert {"--diff", "--threshold", "--markdown", "--source-root"} <= report
    for command, options in (([], merge), (["report"], report)):
        for option in options:
            got = subprocess.run([BIN, *command, option], capture_output=True, text=True, timeout=60)
            assert "unknown option" not in got.stderr, (command, option, got.stderr)


def test_short_options_bundle_and_values_attach(tmp_path):
    out = tmp_path / "merged.out"
    got = subprocess.run([BIN, "-kqj2", f"-o{out}", COUNT_DIR], capture_output=True, timeout=60)
    assert got.returncode == 0, got.stderr
    assert out.stat().st_size > 0
    got = subprocess.run([BIN, "-qj", "0", "--output=-", "--", COUNT_DIR], capture_output=True, timeout=60)
    assert got.returncode == 0 and got.stdout.startswith(b"mode: count\n")
    got = subprocess.run([BIN, "-kx", COUNT_DIR], capture_output=True, text=True, timeout=60)
    assert got.returncode == 2 and "unknown option -x" in got.stderr
    # getopt_long's abbreviations: a prefix that names one option.
    got = subprocess.run([BIN, "report", "--jso", str(tmp_path / "s.json"), "--by", COUNT_DIR], capture_output=True,
                         text=True, timeout=60)
    assert got.returncode == 0 and (tmp_path / "s.json").stat().st_size > 0, got.stderr
    got = subprocess.run([BIN, "report", "--s", "name", COUNT_DIR], capture_output=True, text=True, timeout=60)
    assert got.returncode == 2 and "option --s is ambiguous: --sort, --strip-prefix, --source-root" in got.stderr


def test_the_man_page_documents_every_option():
    page = os.path.join(BUILD_DIR, "share", "man", "man1", "covmerge.1")
    rendered = subprocess.run(["groff", "-man", "-Tutf8", "-ww", page], capture_output=True, text=True, timeout=60)
    assert rendered.returncode == 0 and rendered.stderr == "", rendered.stderr
    text = re.sub(r".\x08", "", rendered.stdout).replace("\u2010", "-").replace("\u2212", "-")
    merge, report = options_in_help()
    for option in merge | report:
        assert option in text, option
    assert "EXIT STATUS" in text and "REPORT OPTIONS" in text


def complete(words):
    """What the bash completion offers for the command line `words` (the
    last one being completed)."""
    script = os.path.join(BUILD_DIR, "share", "bash-completion", "completions", "covmerge")
    line = " ".join(f"'{w}'" for w in words)
    program = (f"source '{script}'; COMP_WORDS=({line}); COMP_CWORD={len(words) - 1}; _covmerge; "
               "printf '%s\\n' \"${COMPREPLY[@]}\"")
    return run(["bash", "-c", program], cwd=DATA).split()


def test_the_bash_completion():
    assert {"--sort", "--source-root"} <= set(complete(["covmerge", "report", "--so"]))
    assert "--sort" not in complete(["covmerge", "--so"])  # the merge has no --sort
    assert complete(["covmerge", "report", "--sort", ""]) == ["name", "coverage"]
    assert complete(["covmerge", "report", "--baseline-missing", ""]) == ["ok", "fail"]
    assert "profiles" in complete(["covmerge", "report", "--source-root", "pro"])
    assert "report" in complete(["covmerge", "rep"])


def test_the_zsh_completion():
    script = os.path.join(BUILD_DIR, "share", "zsh", "site-functions", "_covmerge")
    run(["zsh", "-n", script])
    text = open(script).read()
    assert text.startswith("#compdef covmerge\n")
    merge, report = options_in_help()
    for option in merge | report:
        assert option in text, option


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    prefix = tmp_path_factory.mktemp("prefix")
    run(["cmake", "--install", BUILD_DIR, "--prefix", str(prefix)])
    return prefix


def test_cmake_install_installs_the_command_and_its_docs(installed):
    for path in ("bin/covmerge", "share/man/man1/covmerge.1.gz", "share/bash-completion/completions/covmerge",
                 "share/zsh/vendor-completions/_covmerge", "include/covmerge.h"):
        assert (installed / path).is_file(), path
    got = run([str(installed / "bin" / "covmerge"), "--version"])
    assert got.startswith("covmerge ")
    # man reads the compressed page as the build wrote it.
    import gzip
    with gzip.open(installed / "share" / "man" / "man1" / "covmerge.1.gz", "rt") as f:
        assert f.read() == open(os.path.join(BUILD_DIR, "share", "man", "man1", "covmerge.1")).read()


def test_the_debian_package(tmp_path):
    if not shutil.which("cpack") or not shutil.which("dpkg-deb"):
        pytest.fail("cpack (cmake) and dpkg-deb (dpkg-dev) are needed; ./build.sh installs them")
    run(["cpack", "-G", "DEB", "--config", os.path.join(BUILD_DIR, "CPackConfig.cmake"), "-B", str(tmp_path)])
    [deb] = [p for p in tmp_path.iterdir() if p.suffix == ".deb"]
    assert re.fullmatch(r"covmerge_\d+\.\d+\.\d+_amd64\.deb", deb.name)
    fields = run(["dpkg-deb", "-f", str(deb), "Package", "Version", "Depends", "Section"])
    assert "Package: covmerge" in fields and "Section: devel" in fields
    # dpkg-shlibdeps named the libraries the binaries need.
    assert "libc6" in fields and "libstdc++6" in fields
    files = run(["dpkg-deb", "-c", str(deb)])
    for path in ("./usr/bin/covmerge", "./usr/share/man/man1/covmerge.1.gz",
                 "./usr/share/bash-completion/completions/covmerge", "./usr/share/zsh/vendor-completions/_covmerge",
                 "./usr/include/covmerge.h", "./usr/lib/pkgconfig/covmerge.pc"):
        assert path in files, path
    root = tmp_path / "root"
    run(["dpkg-deb", "-x", str(deb), str(root)])
    merged = run([str(root / "usr" / "bin" / "covmerge"), COUNT_DIR])
    with open(os.path.join(DATA, "expected", "count-merged.out")) as f:
        assert merged == f.read()
    # Its dependencies resolve here (a simulation: nothing is installed).
    if os.geteuid() == 0 and shutil.which("apt-get"):
        got = subprocess.run(["apt-get", "-s", "install", str(deb)], capture_output=True, text=True, timeout=300)
        assert got.returncode == 0 and "Inst covmerge" in got.stdout, got.stdout + got.stderr


def cache_value(name):
    with open(os.path.join(BUILD_DIR, "CMakeCache.txt")) as f:
        for line in f:
            if line.startswith(name + ":"):
                return line.split("=", 1)[1].strip()
    return ""


def test_the_command_needs_only_simdjson_and_the_runtimes():
    """Abseil, RE2, zstd and zlib are linked in (README.md, "Installing");
    a sanitizer build links them as usual."""
    needed = run(["ldd", BIN])
    names = {line.split()[0] for line in needed.splitlines() if line.strip()}
    static = cache_value("COVMERGE_STATIC_COMMAND") in ("ON", "TRUE", "1") and not cache_value("COVMERGE_SANITIZE")
    linked_in = {n for n in names if n.startswith(("libabsl_", "libre2", "libzstd", "libz.so"))}
    if static:
        assert linked_in == set(), needed
        assert any(n.startswith("libsimdjson") for n in names), needed
    else:
        assert linked_in, needed
