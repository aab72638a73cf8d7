# SPDX-License-Identifier: Apache-2.0
"""Merge Go coverage profiles on a Dask cluster.

For inputs that outgrow one machine: tens of thousands of CI shards, or
hundreds of GB of profiles on shared or object storage. The merge runs
where the data is and ships only small partial results::

    from dask.distributed import Client
    import covmerge.distributed

    client = Client("tcp://scheduler:8786")
    result = covmerge.distributed.merge(["/shared/ci/run-*/", "s3://bucket/cov/"],
                                        "/shared/merged.out", client=client)
    print(result.summary)

The tree: each input argument is expanded on a worker (a directory walk, an
fsspec listing); the inputs are cut into batches of ``batch_size``, in
order; each batch is merged by the native engine on a worker into a
:class:`~covmerge.distributed.partial.Partial` (the merged profile,
zstd-compressed, and what was skipped and why); partials are combined
``split_every`` at a time until one task merges the last ones, writes
``output`` and returns a :class:`covmerge.MergeResult`. A partial grows
with the distinct blocks, not with the inputs, so the tree stays shallow.

The answer is that of one machine: the same bytes as ``covmerge.merge``
and the covmerge command on the same inputs, whatever the batch size,
tree shape or worker count, and the same error naming the same input
(a damaged input, a missing one). Inputs that conflict with one another
(different modes, statement counts or block ends) are named by the order
of all the inputs, which no single task sees: when a task meets a
conflict, one task merges all the inputs again, as one machine would, to
name or skip the same inputs. That costs a single-machine merge, on the
error path only.
"""

from __future__ import annotations

import dataclasses
import errno
import os
import time
from typing import Any, Iterable, Optional, Sequence, Union

import covmerge
from covmerge import MergeResult, SkippedInput, StrPath
from covmerge import _covmerge

from .partial import InputError, Partial

try:  # Dask's memory accounting sees a partial as its compressed size.
    from dask.sizeof import sizeof as _sizeof

    @_sizeof.register(Partial)
    def _sizeof_partial(partial: Partial) -> int:
        return partial.__sizeof__()
except ImportError:  # pragma: no cover - the merge itself needs dask anyway
    pass

__all__ = ["merge", "merge_partial", "combine", "Partial", "InputError", "DEFAULT_BATCH_SIZE", "DEFAULT_BATCH_BYTES",
           "DEFAULT_SPLIT_EVERY"]

#: A leaf task merges consecutive inputs, at most DEFAULT_BATCH_SIZE of
#: them and about DEFAULT_BATCH_BYTES: fewer, larger leaves cost less
#: (each level of the tree reads its partials again), more leaves spread
#: further. A leaf holds its URL inputs' bytes while it merges them (local
#: paths are streamed) plus one copy of its distinct blocks: see README
#: "Merging on a Dask cluster" for worker memory.
DEFAULT_BATCH_SIZE = 1024
DEFAULT_BATCH_BYTES = 256 << 20
#: Partials a combining task merges at once.
DEFAULT_SPLIT_EVERY = 8

# An input, expanded: ("path", a local text profile), ("gocoverdir", a
# local GOCOVERDIR), both as Merger.add takes them, or ("url", the fsspec
# URL of a profile).
Spec = tuple[str, str]


def _is_url(text: str) -> bool:
    return "://" in text and not text.startswith("/")


def _name(path: StrPath) -> str:
    return os.fsdecode(path)


# ---------------------------------------------------------------------------
# Tasks. Each is a plain function of its arguments, so Dask may run it
# again on another worker (a worker lost mid-merge) with the same result.


def _expand(arguments: Sequence[str]) -> list[list[tuple[Spec, int]]]:
    """The inputs each argument stands for, in the order covmerge.merge
    adds them, with their sizes in bytes (runs on a worker: the walk
    happens where the data is)."""
    expanded: list[list[tuple[Spec, int]]] = []
    for argument in arguments:
        if _is_url(argument):
            expanded.append(_expand_url(argument))
            continue
        try:
            found = _covmerge.expand_path(os.fsencode(argument))
        except _covmerge.Failure as failure:
            raise covmerge._convert(failure) from None
        inputs = []
        for path, is_dir in found:
            name = os.fsdecode(path)
            inputs.append((("gocoverdir" if is_dir else "path", name), _local_size(name, is_dir)))
        expanded.append(inputs)
    return expanded


def _local_size(path: str, is_dir: bool) -> int:
    """Bytes to read: a file's size, a GOCOVERDIR's files' (0 when it
    cannot be looked at: the merge will say why)."""
    try:
        if not is_dir:
            return os.stat(path).st_size
        return sum(entry.stat().st_size for entry in os.scandir(path) if entry.is_file())
    except OSError:
        return 0


def _expand_url(url: str) -> list[tuple[Spec, int]]:
    """A URL names a profile, or a directory searched as a local one is
    (by name: *.out, *.cov, *.coverprofile, coverage.txt, .zst/.gz too)."""
    import fsspec

    fs, root = fsspec.core.url_to_fs(url)
    try:
        is_dir = fs.isdir(root)
    except Exception:  # an unreachable store: reading the URL will say why
        is_dir = False
    if not is_dir:
        try:
            size = int(fs.size(root) or 0)
        except Exception:
            size = 0
        return [(("url", url), size)]
    base = root.rstrip("/") + "/"
    found = []
    for path, info in sorted(fs.find(root, detail=True).items()):
        parts = path[len(base):].split("/") if path.startswith(base) else [path]
        if any(part.startswith(".") for part in parts) or not _covmerge.is_profile_file_name(os.fsencode(parts[-1])):
            continue
        found.append((("url", fs.unstrip_protocol(path)), int(info.get("size") or 0)))
    return found


def _read_url(url: str) -> bytes:
    import fsspec

    try:
        with fsspec.open(url, "rb") as f:
            return f.read()
    except OSError as e:  # FileNotFoundError, PermissionError, a store's own errors
        number = e.errno if e.errno is not None else errno.EIO
        strerror = e.strerror or os.strerror(number)
        error = OSError(number, strerror, url)
        error._covmerge_message = f"cannot open {url}: {strerror}"  # type: ignore[attr-defined]
        raise error from None


def _new_merger(threads: int, mode: Optional[str], on_conflict: str) -> covmerge.Merger:
    return covmerge.Merger(threads=threads, mode=mode, on_conflict=on_conflict)


def _add(merger: covmerge.Merger, spec: Spec) -> None:
    kind, location = spec
    if kind in ("path", "gocoverdir"):
        merger.add(location)
    else:
        merger.add_bytes(_read_url(location), location)


def _error_alone(spec: Spec, mode: Optional[str]) -> Optional[BaseException]:
    """The error an input gives by itself (damaged, unreadable), or None
    when it fails only by disagreeing with other inputs."""
    merger = _new_merger(1, mode, "error")
    with merger:
        try:
            _add(merger, spec)
            merger.finish()
        except (ValueError, OSError, MemoryError) as e:
            return e
    return None


def _message(error: BaseException) -> str:
    return getattr(error, "_covmerge_message", None) or str(error)


# The merge meets failures in stages, and reports (or skips) them in this
# order, each stage in input order: a GOCOVERDIR that cannot be decoded,
# an input that cannot be opened, a damaged input, inputs that disagree.
STAGE_COVERDIR, STAGE_OPEN, STAGE_PARSE, STAGE_CONFLICT = range(4)


def _stage(error: Optional[BaseException], spec: Spec) -> int:
    if error is None or getattr(error, "conflict", False):
        return STAGE_CONFLICT
    if spec[0] == "gocoverdir":
        return STAGE_COVERDIR
    return STAGE_OPEN if isinstance(error, OSError) else STAGE_PARSE


def _failure(error: BaseException, spec: Spec, index: int) -> InputError:
    return InputError.from_exception(error, index, _stage(error, spec))


def _add_all(merger: covmerge.Merger, specs: Sequence[Spec]) -> dict[int, BaseException]:
    """Adds each input; returns the URLs that could not be read, by offset
    (the engine never sees them)."""
    unreadable: dict[int, BaseException] = {}
    for offset, spec in enumerate(specs):
        try:
            _add(merger, spec)
        except OSError as e:
            unreadable[offset] = e
    return unreadable


def _first_failure(specs: Sequence[Spec], first: int, unreadable: dict[int, BaseException],
                   error: Optional[BaseException] = None) -> InputError:
    """The failure one machine reports: the lowest (stage, index)."""
    failures = [_failure(u, specs[o], first + o) for o, u in unreadable.items()]
    if error is not None:
        offset = _offset_of(error, specs)
        failures.append(_failure(error, specs[offset], first + offset))
    return min(failures, key=lambda f: (f.stage, f.index))


def _merge_batch(specs: Sequence[Spec], first: int, threads: int, mode: Optional[str], on_conflict: str,
                 test_fault: Optional[str] = None) -> Partial:
    """A leaf: the native merge of inputs first .. first+len(specs)-1."""
    if test_fault == "slow":
        time.sleep(0.3)
    elif test_fault == "die":
        os._exit(70)  # a worker lost as the out-of-memory killer loses it
    skip = on_conflict == "skip"
    count = len(specs)
    merger = _new_merger(threads, mode, on_conflict)
    with merger:
        unreadable = _add_all(merger, specs)
        try:
            result: Optional[MergeResult] = merger.finish()
        except (ValueError, OSError, MemoryError) as e:
            if isinstance(e, MemoryError) or not skip:
                if getattr(e, "conflict", False):
                    return Partial(first, count, whole=True)
                return Partial(first, count, error=_first_failure(specs, first, unreadable, e))
            result = None  # every input was skipped: each is looked at below
        if not skip and unreadable:
            return Partial(first, count, error=_first_failure(specs, first, unreadable))
        skipped = [(STAGE_OPEN, first + o, specs[o][1], _message(e)) for o, e in unreadable.items()]
        if result is None:
            # Every input was skipped, and the engine says so as an error:
            # each input is merged alone to learn whether it fails by itself.
            for offset, spec in enumerate(specs):
                if offset in unreadable:
                    continue
                error = _error_alone(spec, mode)
                if error is None:  # it failed for disagreeing with another
                    return Partial(first, count, whole=True)
                skipped.append((_stage(error, spec), first + offset, spec[1], _message(error)))
            return Partial(first, count, skipped=tuple(sorted(skipped, key=lambda s: (s[0], s[1]))))
        # The engine's partial says what it skipped, at which stage, and
        # whether an input was skipped for disagreeing with another (which
        # depends on every input before it: only a merge of all can say).
        engine = Partial.from_bytes(merger.to_partial(first, count))
        if engine.whole:
            return Partial(first, count, whole=True)
        added = [offset for offset in range(count) if offset not in unreadable]
        skipped += [(stage, first + added[index - first], name, reason) for stage, index, name, reason in engine.skipped]
        return dataclasses.replace(engine, skipped=tuple(sorted(skipped, key=lambda s: (s[0], s[1]))))


def _offset_of(error: BaseException, specs: Sequence[Spec]) -> int:
    """The input an error names (0 when it names none)."""
    path = getattr(error, "path", None) or getattr(error, "filename", None)
    for offset, (_, location) in enumerate(specs):
        if location == path:
            return offset
    return 0


def _combine_partials(partials: Sequence[Partial], threads: int, mode: Optional[str]):
    """Merges partials: (the Partial that says why not, None), or (None,
    the finished Merger, whose result carries what the partials skipped,
    warned and merged: the engine folds them in, covmerge_merger_add_partial)."""
    partials = sorted(partials, key=lambda p: p.first)
    first, count = partials[0].first, sum(p.count for p in partials)
    if any(p.whole for p in partials):
        return Partial(first, count, whole=True), None
    errors = [p.error for p in partials if p.error is not None]
    if errors:
        return Partial(first, count, error=min(errors, key=lambda e: (e.stage, e.index))), None
    merger = _new_merger(threads, mode, "error")
    for p in partials:
        merger.add_partial(p.to_bytes())
    try:
        merger.finish()
    except ValueError:  # inputs of two partials conflict
        merger.close()
        return Partial(first, count, whole=True), None
    return Partial(first, count), merger


def _combine(threads: int, mode: Optional[str], *partials: Partial) -> Partial:
    """An inner node of the tree."""
    partial, merger = _combine_partials(partials, threads, mode)
    if merger is None:
        return partial
    with merger:
        return Partial.from_bytes(merger.to_partial(partial.first, partial.count))


def _finish(threads: int, mode: Optional[str], output: Optional[str], *partials: Partial):
    """The root: the result and the output, or the Partial that says why not."""
    partial, merger = _combine_partials(partials, threads, mode)
    if merger is None:
        return partial
    with merger:
        result = merger.finish()
        if partial.count > 0 and len(result.skipped) == partial.count:
            # Every input skipped is an error naming each, as one machine says it.
            return dataclasses.replace(partial, whole=True)
        if output is not None:
            merger.write(output)
        return result


def _merge_whole(specs: Sequence[Spec], threads: int, mode: Optional[str], on_conflict: str,
                 output: Optional[str]) -> Union[MergeResult, Partial]:
    """All the inputs in one task: the answer one machine gives to inputs
    that conflict with one another."""
    merger = _new_merger(threads, mode, on_conflict)
    with merger:
        unreadable = _add_all(merger, specs)
        try:
            result = merger.finish()
        except (ValueError, OSError, MemoryError) as e:
            return Partial(0, len(specs), error=_first_failure(specs, 0, unreadable, e))
        if on_conflict == "error" and unreadable:
            return Partial(0, len(specs), error=_first_failure(specs, 0, unreadable))
        if output is not None:
            merger.write(output)
        if not unreadable:
            return result
        # URLs that could not be read go among the inputs that could not be
        # opened, in input order; the engine says the stage of what it skipped.
        engine = Partial.from_bytes(merger.to_partial(0, len(specs)))
    added = [offset for offset in range(len(specs)) if offset not in unreadable]
    ranked = [((stage, added[index], position), SkippedInput(name, reason))
              for position, (stage, index, name, reason) in enumerate(engine.skipped)]
    ranked += [((STAGE_OPEN, offset, -1), SkippedInput(specs[offset][1], _message(error)))
               for offset, error in unreadable.items()]
    ranked.sort(key=lambda r: r[0])
    return dataclasses.replace(result, skipped=[entry for _, entry in ranked])


# ---------------------------------------------------------------------------
# The tree's steps, for a tree run by other means than Dask.


def merge_partial(inputs: Union[StrPath, Iterable[StrPath]], first: int = 0, *, on_conflict: str = "error",
                  mode: Optional[str] = None, threads: int = 0) -> Partial:
    """What a leaf task makes: the :class:`Partial` of these inputs (paths,
    directories, GOCOVERDIRs, fsspec URLs), which are the inputs ``first``,
    ``first + 1``, ... of the whole merge. Never raises for an input: a
    failure is ``partial.error``, and ``partial.whole`` says the inputs
    conflict in a way only a merge of all the inputs at once can name."""
    names = [_name(inputs)] if covmerge._is_single_path(inputs) else [_name(p) for p in inputs]  # type: ignore[arg-type]
    specs = [spec for group in _expand(names) for spec, _ in group]
    if not specs:
        return Partial(first, 0)
    return _merge_batch(specs, first, threads, mode, on_conflict)


def combine(partials: Iterable[Partial], *, mode: Optional[str] = None, threads: int = 0) -> Partial:
    """What a combining task makes: one Partial of partials that cover
    consecutive ranges of inputs (in any order). Its payload, given to
    ``covmerge.Merger.add_bytes``, is the merged profile so far."""
    return _combine(threads, mode, *partials)


# ---------------------------------------------------------------------------
# The client side.


def _batches(specs: Sequence[Spec], sizes: Sequence[int], batch_size: int,
             batch_bytes: int) -> list[tuple[int, Sequence[Spec]]]:
    """Consecutive inputs, at most batch_size of them and about batch_bytes
    (an input larger than that is a batch of its own)."""
    batches = []
    start, total = 0, 0
    for i, size in enumerate(sizes):
        if i > start and (i - start >= batch_size or total + size > batch_bytes):
            batches.append((start, specs[start:i]))
            start, total = i, 0
        total += size
    if start < len(specs):
        batches.append((start, specs[start:]))
    return batches


def _wait(future: Any, deadline: Optional[float], timeout: Optional[float]) -> Any:
    from distributed import KilledWorker

    remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
    try:
        return future.result(timeout=remaining)
    except KilledWorker as e:
        task = e.args[0] if e.args else "?"
        raise MemoryError(
            f"a Dask worker died each time it ran task {task} of this merge, and Dask gave up "
            "(distributed.scheduler.allowed-failures); the usual cause is memory: give the workers more "
            "(dask worker --memory-limit) or merge fewer inputs a task (batch_size)") from None
    except TimeoutError:
        raise TimeoutError(f"the merge did not finish within {timeout or 0:g} s; its tasks were cancelled") from None


def merge(inputs: Union[StrPath, Iterable[StrPath]], output: Optional[StrPath] = None, *,
          client: Any = None, batch_size: int = DEFAULT_BATCH_SIZE, batch_bytes: int = DEFAULT_BATCH_BYTES,
          split_every: int = DEFAULT_SPLIT_EVERY,
          on_conflict: str = "error", mode: Optional[str] = None, threads: int = 1,
          timeout: Optional[float] = None, _test_fault: Optional[str] = None) -> MergeResult:
    """Merges Go coverage profiles on a Dask cluster; writes ``output``.

    Args:
        inputs: paths (files, directories, GOCOVERDIRs) as the workers see
            them, or fsspec URLs (``s3://``, ``gs://``, ``file://``: any
            protocol fsspec has installed on the workers), or an iterable
            of them. Directories and URL prefixes are expanded on workers.
        output: where the root task writes the merged profile (a path the
            worker that runs it can write: shared storage; ``.zst``/``.gz``
            names are compressed), or None.
        client: a ``distributed.Client``; None takes the current one, or
            starts a LocalCluster of this machine for the call.
        batch_size: inputs a leaf task merges, at most.
        batch_bytes: input bytes a leaf task merges, about (sizes as the
            expansion found them).
        split_every: partials a combining task merges at once (>= 2).
        on_conflict: "error" or "skip", as for :func:`covmerge.merge`.
        mode: None, or the mode the merged profile must have.
        threads: native threads each task uses (a Dask worker runs as many
            tasks at once as it has threads).
        timeout: seconds before the merge is given up (TimeoutError).

    Returns:
        A :class:`covmerge.MergeResult`, the same as covmerge.merge gives.

    Raises:
        The errors of :func:`covmerge.merge`, naming the same inputs;
        MemoryError when workers die running a task (Dask's KilledWorker);
        TimeoutError.
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, not {batch_size}")
    if batch_bytes < 1:
        raise ValueError(f"batch_bytes must be at least 1, not {batch_bytes}")
    if split_every < 2:
        raise ValueError(f"split_every must be at least 2, not {split_every}")
    if on_conflict not in ("error", "skip"):
        raise ValueError(f"on_conflict must be 'error' or 'skip', not {on_conflict!r}")
    arguments = [_name(inputs)] if covmerge._is_single_path(inputs) else [_name(p) for p in inputs]  # type: ignore[arg-type]
    output_name = _name(output) if output is not None else None

    if client is None:
        from distributed import Client, LocalCluster, get_client

        try:
            client = get_client()
        except ValueError:
            with LocalCluster(processes=True, threads_per_worker=1, dashboard_address=":0") as cluster, \
                    Client(cluster) as local:
                return merge(arguments, output_name, client=local, batch_size=batch_size, batch_bytes=batch_bytes,
                             split_every=split_every,
                             on_conflict=on_conflict, mode=mode, threads=threads, timeout=timeout,
                             _test_fault=_test_fault)

    deadline = None if timeout is None else time.monotonic() + timeout
    futures: list[Any] = []
    try:
        # Expand where the data is, a few arguments a task; only names come back.
        groups = [arguments[i:i + batch_size] for i in range(0, len(arguments), batch_size)]
        expansions = [client.submit(_expand, group, pure=False) for group in groups]
        futures += expansions
        found = [item for e in expansions for items in _wait(e, deadline, timeout) for item in items]
        specs: list[Spec] = [spec for spec, _ in found]
        sizes = [size for _, size in found]

        level = [client.submit(_merge_batch, batch, start, threads, mode, on_conflict, _test_fault, pure=False)
                 for start, batch in _batches(specs, sizes, batch_size, batch_bytes)]
        futures += level
        while len(level) > split_every:
            level = [client.submit(_combine, threads, mode, *level[i:i + split_every], pure=False)
                     for i in range(0, len(level), split_every)]
            futures += level
        if not level:  # no input at all
            return covmerge.merge([], output_name, threads=threads, mode=mode, on_conflict=on_conflict)
        root = client.submit(_finish, threads, mode, output_name, *level, pure=False)
        futures.append(root)
        outcome = _wait(root, deadline, timeout)
        if isinstance(outcome, Partial) and outcome.whole:
            whole = client.submit(_merge_whole, specs, threads, mode, on_conflict, output_name, pure=False)
            futures.append(whole)
            outcome = _wait(whole, deadline, timeout)
        if isinstance(outcome, Partial):
            assert outcome.error is not None
            raise outcome.error.to_exception()
        return outcome
    finally:
        client.cancel([f for f in futures if not f.done()])
