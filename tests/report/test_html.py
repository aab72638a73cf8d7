# SPDX-License-Identifier: Apache-2.0
# The HTML report as a browser shows it: `covmerge report --html` writes the
# page, headless Chromium loads it, runs its script and dumps the DOM, and
# the tests read the rendered table and treemap. The expected numbers come
# from a small reference merge of the sample profiles here, not from
# covmerge. Chromium is required, not optional: without it these tests fail
# and say how to install it (the README's test command does).
#
# Sorting is checked through the page's "#sort=COLUMN" fragment, which the
# script applies at load like a click on that column header, so a single
# --dump-dom shows the sorted table.
import collections
import glob
import html.parser
import os
import shutil
import subprocess
import tempfile
import time

import pytest

STRIP = "example.com/shop"
CHROMIUM_TIMEOUT_S = 90


@pytest.fixture(scope="session")
def chromium():
    path = os.environ.get("COVMERGE_CHROMIUM") or next(
        (p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)
    if not path:
        pytest.fail("the HTML report tests need Chromium to render the page: install it "
                    "(apt-get install chromium) or name the binary in COVMERGE_CHROMIUM")
    return path


def render(chromium, html_paths_and_fragments, scratch):
    """The DOM of each (html_path, fragment) after the page's script ran,
    from Chromium instances started all at once: each start costs seconds,
    and they overlap well."""
    scratch.mkdir(parents=True, exist_ok=True)
    runs = []
    start = time.monotonic()
    for html_path, fragment in html_paths_and_fragments:
        url = "file://" + os.path.abspath(html_path) + fragment
        profile_dir = tempfile.mkdtemp(dir=scratch)
        # --no-sandbox: as root (CI containers) Chromium will not start
        # without it; the page is our own file.
        command = [chromium, "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run",
                   "--disable-extensions", "--user-data-dir=" + profile_dir,
                   "--window-size=1200,900", "--dump-dom", url]
        runs.append((url, subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)))
    pages = []
    for url, process in runs:
        try:
            stdout, stderr = process.communicate(timeout=max(1, CHROMIUM_TIMEOUT_S - (time.monotonic() - start)))
        except subprocess.TimeoutExpired:
            for _, p in runs:
                p.kill()
            pytest.fail(f"Chromium did not render {url} within {CHROMIUM_TIMEOUT_S} s")
        assert process.returncode == 0, f"Chromium failed on {url}:\n{stderr.decode(errors='replace')[-2000:]}"
        pages.append(Page(stdout.decode("utf-8")))
    print(f"Chromium rendered {len(runs)} page(s) in {time.monotonic() - start:.2f} s")
    return pages


@pytest.fixture
def dump_dom(chromium, tmp_path):
    """dump_dom(html_path): the DOM after the page's script ran."""
    return lambda html_path: render(chromium, [(html_path, "")], tmp_path / "chromium")[0]


class Page(html.parser.HTMLParser):
    """The parts of the rendered report the tests look at."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.raw = text
        self.total = None
        self.rows = []         # dict per table row, in document order
        self.tiles = []        # attributes of each #treemap .tile
        self.treemap_packages = []
        self.sort_headers = {}  # column -> aria-sort
        self.tags = collections.Counter()
        self._text_target = None
        self._in_packages = False
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags[tag] += 1
        classes = (a.get("class") or "").split()
        if tag == "table" and a.get("id") == "packages":
            self._in_packages = True
        if a.get("id") == "total":
            self.total = ""
            self._text_target = ("total", None)
        elif tag == "tr" and "data-package" in a:
            self.rows.append({"package": a["data-package"], "statements": int(a["data-statements"]),
                              "covered": int(a["data-covered"]), "percent": "",
                              "hidden": "hidden" in classes})
        elif tag == "span" and "pct-text" in classes and self.rows and self._in_packages:
            self._text_target = ("percent", self.rows[-1])
        elif tag == "th" and "data-sort" in a:
            self.sort_headers[a["data-sort"]] = a.get("aria-sort")
        elif tag == "div" and "tile" in classes:
            self.tiles.append(a)
        elif tag == "div" and "pkg" in classes:
            self.treemap_packages.append(a["data-package"])

    def handle_endtag(self, tag):
        if tag == "span":
            self._text_target = None
        if tag == "table":
            self._in_packages = False

    def handle_data(self, data):
        if self._text_target is None:
            return
        what, row = self._text_target
        if what == "total":
            self.total += data
        else:
            row["percent"] += data


def reference_coverage(profile_paths, strip):
    """{file: (statements, covered)} of the merged profiles: a block counts
    once, and is covered when any profile ran it."""
    blocks = {}
    for profile in profile_paths:
        with open(profile, "rb") as f:
            lines = f.read().split(b"\n")
        assert lines[0].startswith(b"mode: ")
        for line in lines[1:]:
            if not line:
                continue
            head, num_stmt, count = line.rsplit(b" ", 2)
            path, position = head.rsplit(b":", 1)
            key = (path, position)
            stmts, covered = blocks.get(key, (int(num_stmt), False))
            blocks[key] = (stmts, covered or int(count) > 0)
    files = collections.defaultdict(lambda: [0, 0])
    for (path, _), (stmts, covered) in blocks.items():
        name = path.decode("utf-8", errors="replace")
        if strip and name.startswith(strip + "/"):
            name = name[len(strip) + 1:]
        files[name][0] += stmts
        files[name][1] += stmts if covered else 0
    return {name: tuple(v) for name, v in files.items()}


def percent_text(statements, covered):
    # C's "%.1f", as `go test -cover` prints it; Python's % rounds the same.
    return "%.1f%%" % (100.0 * covered / statements)


def package_of(path):
    return path.rsplit("/", 1)[0] if "/" in path else "."


SORTS = [
    ("#sort=percent", lambda r: r["covered"] / r["statements"], False),
    ("#sort=-statements", lambda r: r["statements"], True),
    ("#sort=covered", lambda r: r["covered"], False),
    ("#sort=-name", lambda r: r["package"], True),
]


@pytest.fixture(scope="module")
def sample(covmerge, chromium, data_dir, tmp_path_factory):
    """The report of data/profiles/count, its rendered DOM as loaded and
    under each of SORTS, and the reference numbers."""
    profiles_dir = os.path.join(data_dir, "profiles", "count")
    scratch = tmp_path_factory.mktemp("html")
    out = scratch / "report.html"
    done = subprocess.run([covmerge, "report", "--html", str(out), "--strip-prefix", STRIP, profiles_dir],
                          capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    files = reference_coverage(sorted(glob.glob(os.path.join(profiles_dir, "*.out"))), STRIP)
    packages = collections.defaultdict(lambda: [0, 0])
    for path, (stmts, covered) in files.items():
        packages[package_of(path)][0] += stmts
        packages[package_of(path)][1] += covered
    fragments = [""] + [fragment for fragment, _, _ in SORTS]
    pages = dict(zip(fragments, render(chromium, [(out, f) for f in fragments], scratch / "chromium")))
    return out, pages, files, {name: tuple(v) for name, v in packages.items()}


def test_html_report_shows_total_packages_and_tiles(sample):
    _, pages, files, packages = sample
    page = pages[""]
    statements = sum(s for s, _ in files.values())
    covered = sum(c for _, c in files.values())
    assert page.total == percent_text(statements, covered)
    assert page.total == "54.8%"  # the sample's `go test -cover` total

    assert [r["package"] for r in page.rows] == sorted(packages)
    for row in page.rows:
        stmts, cov = packages[row["package"]]
        assert (row["statements"], row["covered"]) == (stmts, cov), row["package"]
        assert row["percent"] == percent_text(stmts, cov), row["package"]

    # One tile per file, each with its numbers, grouped under its package.
    assert sorted(t["data-path"] for t in page.tiles) == sorted(files)
    for tile in page.tiles:
        assert (int(tile["data-statements"]), int(tile["data-covered"])) == files[tile["data-path"]]
        band = "c%d" % int(100 * int(tile["data-covered"]) / int(tile["data-statements"]) // 10)
        assert band in tile["class"].split(), tile
        assert "width:0px" not in tile.get("style", ""), tile
    assert sorted(page.treemap_packages) == sorted(packages)


@pytest.mark.parametrize("fragment, key, descending", SORTS)
def test_html_report_sorts_by_column(sample, fragment, key, descending):
    _, pages, _, packages = sample
    page = pages[fragment]
    assert len(page.rows) == len(packages)
    keys = [key(r) for r in page.rows]
    assert keys == sorted(keys, reverse=descending), [r["package"] for r in page.rows]
    column = fragment.split("=", 1)[1].lstrip("-")
    assert page.sort_headers[column] == ("descending" if descending else "ascending")
    assert [v for c, v in page.sort_headers.items() if c != column] == [None] * 3


def test_html_report_needs_no_network(sample):
    out = sample[0]
    text = out.read_text(encoding="utf-8")
    for needle in ("http://", "https://", "src=", "url(", "@import", "<link"):
        assert needle not in text, needle
    # Links only within the page: a package to its files ("#files-N").
    import re
    assert re.findall(r'href="([^"]*)"', text) and all(h.startswith("#") for h in re.findall(r'href="([^"]*)"', text))


def test_html_report_keeps_hostile_paths_inert(run, dump_dom, tmp_path):
    hostile = [
        b"evil/</script><img src=x onerror=alert(1)>.go",
        b"evil/\"quotes\" & 'apostrophes'.go",
        b"evil/<!--<script>.go",
        b"bad\xff\xfe/latin1-\xe9t\xe9.go",
        b"</script>/x.go",
    ]
    profile = tmp_path / "hostile.out"
    profile.write_bytes(b"mode: set\n" + b"".join(
        p + b":1.1,2.2 %d %d\n" % (i + 1, i % 2) for i, p in enumerate(hostile)))
    out = tmp_path / "hostile.html"
    done = run("report", "--html", out, profile)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    out.read_bytes().decode("utf-8")  # the page is valid UTF-8

    page = dump_dom(out)
    # No path made an element, and every file still has its tile, with
    # invalid bytes shown as U+FFFD.
    assert page.tags["img"] == 0
    assert page.tags["script"] == 2
    expected = sorted(p.decode("utf-8", errors="replace") for p in hostile)
    assert sorted(t["data-path"] for t in page.tiles) == expected
    assert sorted(r["package"] for r in page.rows) == sorted({package_of(p) for p in expected})


def test_html_report_of_empty_profile(run, dump_dom, tmp_path):
    profile = tmp_path / "empty.out"
    profile.write_text("mode: set\n")
    out = tmp_path / "empty.html"
    done = run("report", "--html", out, profile)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    page = dump_dom(out)
    assert page.total == "no statements"
    assert page.rows == [] and page.tiles == []


def test_html_report_opens_files_and_their_coloured_source(run, chromium, tmp_path, data_dir):
    """With --source-root each package opens its files and each file its
    source, lines coloured as `go tool cover -html` colours them: a line of
    a block that ran is "cov", of one that did not "unc", a line without a
    statement neither, and the count is on hover."""
    import re
    html_path = tmp_path / "report.html"
    got = run("report", os.path.join(data_dir, "profiles", "count"), "--source-root",
              os.path.join(data_dir, "sample-module"), "--html", html_path)
    assert got.returncode == 0, got.stderr
    text = html_path.read_text()
    index = re.search(r'<a href="#file=(\d+)">cart/cart.go</a>', text).group(1)
    package = re.search(r'<details class="files" id="files-(\d+)" data-package="cart">', text).group(1)
    source, files = render(chromium, [(html_path, f"#file={index}"), (html_path, f"#files-{package}")],
                           tmp_path / "chromium")
    # The rendered DOM, as Chromium dumped it.
    start = source.raw.index('id="source-view"')
    view = source.raw[start:source.raw.index("</pre>", start)]
    assert 'id="source-section" hidden' not in source.raw
    assert re.search(r'<h2 id="source-title">cart/cart.go</h2>', source.raw)
    lines = {number: classes for classes, number in re.findall(r'<span class="(l[^"]*)"[^>]*><i>(\d+)</i>', view)}
    # From data/profiles/count: cart.go:31.55,33.2 ran; Remove (lines 50-59)
    # never did; line 1 is a comment.
    assert lines["32"] == "l cov"
    assert lines["51"] == "l unc"
    assert lines["1"] == "l"
    assert re.search(r'<span class="l unc" title="0 hits"><i>51</i>', view)
    assert re.search(rf'<details class="files" id="files-{package}" data-package="cart" open="">', files.raw)
