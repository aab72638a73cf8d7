# SPDX-License-Identifier: Apache-2.0
"""Large inputs: a 50 MB profile merges to the command's bytes, the GIL is
released while it merges (another Python thread keeps counting), and 1,000
merges leave the process no larger than before."""
import gc
import io
import os
import threading
import time

import pytest

import covmerge

BIG_BYTES = 50 << 20


@pytest.fixture(scope="module")
def big_profile(tmp_path_factory):
    """About 50 MB: 1,000 packages of 10 files of many blocks each."""
    path = tmp_path_factory.mktemp("big") / "big.out"
    lines = ["mode: count\n"]
    size = len(lines[0])
    block = 0
    while size < BIG_BYTES:
        pkg, file = divmod(block // 100, 10)
        line = f"example.com/monorepo/service{pkg % 1000}/pkg{pkg}/file{file}.go:{block % 100 + 1}.2,{block % 100 + 2}.40 {block % 7 + 1} {block % 5}\n"
        lines.append(line)
        size += len(line)
        block += 1
    path.write_text("".join(lines))
    return path


def test_big_profile_equals_the_command(big_profile, count_dir, run_bin, tmp_path):
    out = tmp_path / "merged.out"
    result = covmerge.merge([big_profile, count_dir, big_profile], out, threads=2)
    want = run_bin("--summary", "-j2", big_profile, count_dir, big_profile)
    assert want.returncode == 0
    assert out.read_bytes() == want.stdout
    assert str(result.summary) + "\n" == want.stderr.decode()
    assert len(result.files) > 5000
    m = covmerge.Merger(threads=2)
    m.add(big_profile)
    with open(big_profile, "rb") as f:
        m.add_bytes(f.read(), "in-memory copy")
    assert m.to_bytes() == run_bin(big_profile, big_profile).stdout
    with open(big_profile, "rb") as f:
        assert sum(1 for _ in m) == f.read().count(b"\n") - 1  # every block once


def test_gil_is_released_while_merging(big_profile):
    count = 0
    stop = False

    def counter():
        nonlocal count
        while not stop:
            count += 1

    thread = threading.Thread(target=counter)
    thread.start()
    try:
        # How fast the counter runs while this thread waits without the GIL.
        time.sleep(0.05)
        start_count, start = count, time.perf_counter()
        time.sleep(0.2)
        rate = (count - start_count) / (time.perf_counter() - start)

        # A merge long enough to tell on a machine of any speed: the profile
        # is added more times until merging takes 0.2 s.
        copies = 1
        while True:
            m = covmerge.Merger(threads=1)
            for _ in range(copies):
                m.add(big_profile)
            start_count, start = count, time.perf_counter()
            m.finish()
            elapsed = time.perf_counter() - start
            during = count - start_count
            if elapsed >= 0.2 or copies >= 64:
                break
            copies *= 2
    finally:
        stop = True
        thread.join()
    # With the GIL held for the whole merge the counter could run at most one
    # switch interval (5 ms); released, it runs at about its own speed.
    assert elapsed > 0.05, f"{copies} copies merged in {elapsed:.3f}s, too short to tell"
    assert during > 0.2 * rate * elapsed, (during, rate, elapsed)
    assert during > rate * 0.02


def rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def test_no_memory_growth_across_1000_merges(count_dir, tmp_path):
    bad = tmp_path / "bad.out"
    bad.write_bytes(b"mode: count\nbroken\n")
    with open(os.path.join(count_dir, "pkg-cart.out"), "rb") as f:
        cart = f.read()

    def one(i):
        m = covmerge.Merger(threads=2, on_conflict="skip" if i % 3 == 0 else "error")
        m.add(count_dir)
        m.add_bytes(cart, "cart")
        if i % 5 == 0:
            m.add(bad)
        try:
            result = m.finish()
        except covmerge.ProfileError:
            return
        buffer = io.BytesIO()
        m.write(buffer)
        assert len(m.to_bytes()) == len(buffer.getvalue())
        assert sum(1 for _ in m) > 0
        assert result.summary.statements > 0 and result.packages

    for i in range(100):  # warm up: allocator arenas, thread stacks, caches
        one(i)
    gc.collect()
    before = rss_bytes()
    for i in range(1000):
        one(i)
    gc.collect()
    growth = rss_bytes() - before
    assert growth < 8 << 20, f"RSS grew by {growth / (1 << 20):.1f} MiB over 1,000 merges"
