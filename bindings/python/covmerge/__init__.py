# SPDX-License-Identifier: Apache-2.0
"""Merge Go coverage profiles, fast, from Python.

covmerge merges the profiles ``go test -coverprofile`` writes into one,
byte for byte as gocovmerge does, on all cores::

    import covmerge

    result = covmerge.merge(["unit.out", "integration/"], "merged.out")
    print(result.summary)                  # coverage: 54.8% of statements
    for package, cov in result.packages.items():
        print(f"{package}: {cov.percent:.1f}%")

:func:`merge` does it in one call; :class:`Merger` adds inputs one by one
(files, directories, bytes) and gives the merged profile as a file, bytes
or blocks. Damaged or conflicting inputs raise :class:`ProfileError` (a
``ValueError``) naming the file and line, missing files
``FileNotFoundError``; with ``on_conflict="skip"`` they are left out and
listed in ``result.skipped``. Parsing and merging release the GIL.

``python3 -m covmerge`` is the covmerge command (see ``--help``).
"""

from __future__ import annotations

import dataclasses
import functools
import json
import os
from typing import IO, Any, Iterable, Iterator, Literal, Mapping, NamedTuple, Optional, Tuple, Union

from . import _covmerge
from . import report as _report
from .report import (FileReport, GateVerdict, LineCoverage, PackageChange, PackageReport, PatchFile, PatchReport,
                     Report)

__all__ = [
    "ConflictError",
    "Coverage",
    "FileReport",
    "GateVerdict",
    "LineCoverage",
    "merge",
    "Merger",
    "MergeResult",
    "PackageChange",
    "PackageReport",
    "PatchFile",
    "PatchReport",
    "ProfileError",
    "Report",
    "SkippedInput",
    "__version__",
]

__version__: str = _covmerge.__version__

#: What names a file: a str, bytes or os.PathLike.
StrPath = Union[str, bytes, "os.PathLike[str]", "os.PathLike[bytes]"]

#: A block: (path, start_line, start_col, end_line, end_col, num_stmt, count).
BlockTuple = Tuple[str, int, int, int, int, int, int]

#: The mode of a profile.
Mode = Literal["set", "count", "atomic"]
#: What a damaged or conflicting input does: raise, or get left out.
OnConflict = Literal["error", "skip"]

_CODES = _covmerge.CODES
_MODES = (None, "set", "count", "atomic")
_CONFLICT_POLICIES = ("error", "skip")


class ProfileError(ValueError):
    """An input is not a valid coverage profile, or inputs disagree.

    ``str(error)`` is the full message, e.g.
    ``a.out:3:9: expected a number of statements, found "x"``. Inputs that
    disagree raise the subclass :class:`ConflictError`. Every attribute
    comes from the engine's record of the failure, not from the message.

    Attributes:
        kind: what went wrong: "malformed" (an input that is not a valid
            profile, or damaged data), "conflict" (the same block differs
            between inputs), "mode_mismatch" (inputs or the ``mode`` asked
            for differ in mode).
        path: the input the error is about (as given, or as found in a
            directory), or None.
        input_index: its position among the inputs added (a directory
            counts as the files found in it), or None.
        line: the 1-based line in ``path``, or None.
        column: the 1-based column in that line, or None.
        offset: the byte offset of that line in the input (decompressed),
            or None.
        conflict: True when inputs disagree, False when one is malformed.
    """

    def __init__(self, message: str, path: Optional[str] = None, line: Optional[int] = None,
                 column: Optional[int] = None, conflict: bool = False, *, kind: Optional[str] = None,
                 input_index: Optional[int] = None, offset: Optional[int] = None) -> None:
        super().__init__(message)
        self.message = message
        self.kind = kind or ("conflict" if conflict else "malformed")
        self.path = path
        self.input_index = input_index
        self.line = line
        self.column = column
        self.offset = offset
        self.conflict = conflict

    def __str__(self) -> str:
        return self.message

    def _state(self) -> dict[str, object]:
        return {"kind": self.kind, "input_index": self.input_index, "offset": self.offset}

    def __reduce__(self) -> tuple[Any, ...]:
        # Keep the attributes through pickle (multiprocessing, concurrent.futures).
        return (_rebuild, (type(self), (self.message, self.path, self.line, self.column, self.conflict),
                           self._state()))


class ConflictError(ProfileError):
    """Inputs disagree: the same block has different statement counts or
    ends in two inputs, or their modes differ (``kind`` is "conflict" or
    "mode_mismatch"). ``path`` and ``line`` name the input that disagrees;
    ``other_path``, ``other_index`` and ``other_line`` the input whose
    block or mode the merge kept (None when the mode asked for differs)."""

    def __init__(self, message: str, path: Optional[str] = None, line: Optional[int] = None,
                 column: Optional[int] = None, conflict: bool = True, *, kind: Optional[str] = None,
                 input_index: Optional[int] = None, offset: Optional[int] = None,
                 other_path: Optional[str] = None, other_index: Optional[int] = None,
                 other_line: Optional[int] = None) -> None:
        super().__init__(message, path, line, column, True, kind=kind or "conflict", input_index=input_index,
                         offset=offset)
        self.other_path = other_path
        self.other_index = other_index
        self.other_line = other_line

    def _state(self) -> dict[str, object]:
        return {**super()._state(), "other_path": self.other_path, "other_index": self.other_index,
                "other_line": self.other_line}


def _rebuild(cls: type, args: tuple[Any, ...], state: dict[str, Any]) -> ProfileError:
    return cls(*args, **state)  # type: ignore[no-any-return]


class Coverage(NamedTuple):
    """Statement coverage, as ``go test -cover`` computes it.

    ``str(coverage)`` is the line go test prints:
    ``coverage: 54.8% of statements``.
    """

    statements: int
    #: Statements in blocks that ran (count > 0).
    covered: int
    #: 100 * covered / statements; 0.0 when there are no statements.
    percent: float

    def __str__(self) -> str:
        return _covmerge.coverage_line(self.statements, self.covered)


class SkippedInput(NamedTuple):
    """An input left out under ``on_conflict="skip"``, and why."""

    name: str
    #: The message the merge would have failed with.
    reason: str


#: A baseline for :meth:`MergeResult.compare`: the path of a JSON summary
#: (``covmerge report --json``) or of a merged profile, a JSON summary as a
#: dict or bytes, or an earlier MergeResult or Report.
Baseline = Union[StrPath, dict, bytes, "MergeResult", Report]


@dataclasses.dataclass(frozen=True)
class MergeResult:
    """What a merge produced, and everything ``covmerge report`` does with
    it: the report, the exports and the gate.

    Attributes:
        summary: total coverage of the merged profile.
        files: coverage of each source file, by path (in path order).
        packages: coverage of each package, by import path (the file's path
            up to its last "/"), in name order.
        skipped: inputs left out under ``on_conflict="skip"``, in input order.
        warnings: what did not stop the merge (e.g. counts that reached the
            largest count Go can read).
        mode: "set", "count" or "atomic"; None when no input had a block.
        inputs_merged: how many inputs took part.

    ``files`` and ``packages`` name files as the profiles do; the
    :attr:`report`, the exports and the gate use the paths after the
    ``strip_prefix`` and ``path_map`` rules, as the command does. The
    result holds the merged profile for its exports until it is collected
    (or its Merger is closed).
    """

    summary: Coverage
    files: dict[str, Coverage]
    packages: dict[str, Coverage]
    skipped: list[SkippedInput]
    warnings: list[str]
    mode: Optional[str]
    inputs_merged: int
    _session: Any = dataclasses.field(default=None, repr=False, compare=False)

    def __getstate__(self) -> dict[str, Any]:
        # A result sent to another process (multiprocessing, Dask) carries
        # its data, not the merged profile: its report and exports are not
        # there (merge the output again where they are needed).
        state = dict(self.__dict__)
        state["_session"] = None
        state.pop("report", None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    def _call(self, method: str, *args: object) -> Any:
        if self._session is None:
            raise RuntimeError("this result has no merged profile to report on (it came from another process); "
                               "merge its output again for the report, the exports and the gate")
        try:
            return getattr(self._session, method)(*args)
        except _covmerge.Failure as failure:
            raise _convert(failure) from None

    def _export(self, format: str, path: Optional[StrPath], **options: object) -> Optional[bytes]:
        target = None if path is None else _fspath(path)
        return self._call("export", _report.FORMATS[format], target, options)  # type: ignore[no-any-return]

    @functools.cached_property
    def report(self) -> Report:
        """The report: totals per package and per file, in statements and
        source lines, after the path rules (what ``covmerge report`` prints
        and ``--json`` writes)."""
        return Report._from_json(self._export("json", None) or b"", Coverage)

    def to_dict(self) -> dict[str, Any]:
        """The JSON summary (docs/json-summary.md) as a dict."""
        return self.report.to_dict()

    def to_json(self) -> str:
        """The JSON summary, byte for byte what ``covmerge report --json`` writes."""
        return self.report.to_json()

    def table(self, *, by_file: bool = False, sort: Literal["name", "coverage"] = "name") -> str:
        """The table ``covmerge report`` prints: packages (and, with
        ``by_file``, files) with statements, covered and percent, then the
        total; ``sort="coverage"`` puts the lowest first."""
        if sort not in ("name", "coverage"):
            raise ValueError(f"sort must be 'name' or 'coverage', not {sort!r}")
        text = self._export("table", None, by_file=bool(by_file), sort_by_coverage=sort == "coverage")
        return os.fsdecode(text or b"")

    def write_json(self, path: Optional[StrPath] = None) -> Optional[bytes]:
        """Writes the JSON summary to ``path`` (through a temporary file
        renamed into place, as the command does), or returns it as bytes
        when ``path`` is None."""
        return self._export("json", path)

    def write_lcov(self, path: Optional[StrPath] = None) -> Optional[bytes]:
        """Writes an LCOV tracefile (``--lcov``) to ``path``, or returns it."""
        return self._export("lcov", path)

    def write_cobertura(self, path: Optional[StrPath] = None, *, timestamp: Optional[int] = None,
                        source: str = ".") -> Optional[bytes]:
        """Writes Cobertura XML (``--cobertura``) to ``path``, or returns it.
        ``timestamp`` (seconds since the epoch) defaults to
        SOURCE_DATE_EPOCH, else now; ``source`` is the directory the paths
        are relative to."""
        return self._export("cobertura", path, timestamp=timestamp, source=os.fsencode(source))

    def write_html(self, path: Optional[StrPath] = None, *, title: str = "Coverage report") -> Optional[bytes]:
        """Writes the self-contained HTML report (``--html``) to ``path``, or returns it."""
        return self._export("html", path, title=title.encode("utf-8"))

    def check(self, fail_under: Optional[float] = None, *, diff: Optional[Union[StrPath, bytes]] = None,
              fail_under_patch: Optional[float] = None, thresholds: Iterable[str] = (),
              file_thresholds: Iterable[str] = ()) -> GateVerdict:
        """The gate without a baseline: passes when the total is at least
        ``fail_under`` percent (``--fail-under``), the patch coverage of
        ``diff`` at least ``fail_under_patch``, and every package (file)
        at least the last of ``thresholds`` (``file_thresholds``) that
        matches it, each "REGEX=PCT" (``--threshold``)."""
        return self._gate(None, 0.0, fail_under, diff, fail_under_patch, thresholds, file_thresholds)

    def compare(self, baseline: "Baseline", *, max_drop: float = 0.0, fail_under: Optional[float] = None,
                diff: Optional[Union[StrPath, bytes]] = None, fail_under_patch: Optional[float] = None,
                thresholds: Iterable[str] = (), file_thresholds: Iterable[str] = ()) -> GateVerdict:
        """The gate against a baseline (``--baseline``, ``--max-drop``):
        fails when the total fell by more than ``max_drop`` points, or a
        rule of :meth:`check` fails. The verdict lists the packages that
        fell, are new or are gone. ``diff`` is a unified diff
        (``git diff``): a path, or its bytes; its patch coverage is in
        ``verdict.patch``. Raises OSError for a baseline (or diff) file that
        cannot be read and ProfileError for one that is malformed: a missing
        baseline never passes silently."""
        return self._gate(baseline, max_drop, fail_under, diff, fail_under_patch, thresholds, file_thresholds)

    def _gate(self, baseline: Optional["Baseline"], max_drop: float, fail_under: Optional[float],
              diff: Optional[Union[StrPath, bytes]], fail_under_patch: Optional[float], thresholds: Iterable[str],
              file_thresholds: Iterable[str]) -> GateVerdict:
        path = text = None
        name = b"<baseline>"
        if isinstance(baseline, (MergeResult, Report)):
            text, name = baseline.to_json().encode("utf-8"), b"<earlier-result>"
        elif isinstance(baseline, dict):
            text, name = json.dumps(baseline).encode("utf-8"), b"<baseline-dict>"
        elif isinstance(baseline, (bytes, bytearray)):
            text = bytes(baseline)
        elif baseline is not None:
            path = _fspath(baseline)
        diff_path = diff_text = None
        if isinstance(diff, (bytes, bytearray)):
            diff_text = bytes(diff)
        elif diff is not None:
            diff_path = _fspath(diff)
        for value, what in ((max_drop, "max_drop"), (fail_under, "fail_under"), (fail_under_patch, "fail_under_patch")):
            if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
                raise TypeError(f"{what} must be a number, not {type(value).__name__}")
        rules = [os.fsencode(r) for r in _strings(thresholds, "a threshold")]
        file_rules = [os.fsencode(r) for r in _strings(file_thresholds, "a file threshold")]
        if self._session is None:
            self._call("gate")  # raises: this result has no merged profile
        session: Any = self._session
        try:
            raw = session.gate(None if fail_under is None else float(fail_under), float(max_drop), path, text,
                                     name, diff_path, diff_text,
                                     None if fail_under_patch is None else float(fail_under_patch), rules, file_rules)
        except _covmerge.Failure as failure:
            if failure.args[2]["kind"] == "invalid_argument":
                raise ValueError(failure.args[1]) from None  # a threshold that does not parse
            raise _convert(failure) from None
        return GateVerdict._from_engine(raw, Coverage)


def _convert(failure: Exception) -> BaseException:
    """The Python exception for a _covmerge.Failure, chosen from the
    engine's fields (kind, errno), never from its message. The message
    stays on it as ``_covmerge_message``: the sentence the covmerge command
    prints for the same failure."""
    code, message, fields = failure.args
    error: BaseException = RuntimeError(message) if code == _CODES["ERROR_USAGE"] else _exception_for(message, fields)
    error._covmerge_message = message  # type: ignore[attr-defined]
    return error


def _exception_for(message: str, fields: dict[str, Any]) -> BaseException:
    kind = fields["kind"]
    where = {"path": fields["path"], "line": fields["line"], "column": fields["column"]}
    more = {"kind": kind, "input_index": fields["input_index"], "offset": fields["offset"]}
    if kind in ("conflict", "mode_mismatch"):
        return ConflictError(message, **where, kind=kind, input_index=fields["input_index"],
                             offset=fields["offset"], other_path=fields["other_path"],
                             other_index=fields["other_index"], other_line=fields["other_line"])
    if kind == "malformed":
        return ProfileError(message, **where, **more)
    if kind in ("io", "disk_full"):
        number = fields["errno"]
        if number is None:
            # No errno: an input that changed while it was read, a name
            # that is not a directory's.
            error = OSError(message)
            error.filename = fields["path"]
        else:
            # OSError(errno, ...) picks the subclass: FileNotFoundError, ...
            error = OSError(number, os.strerror(number), fields["path"])
        error.input_index = fields["input_index"]  # type: ignore[attr-defined]
        return error
    if kind == "out_of_memory":
        return MemoryError(message)
    if kind == "cancelled":
        return KeyboardInterrupt(message)
    if kind == "invalid_argument":
        return ValueError(message)
    return RuntimeError(message)


def _fspath(path: StrPath) -> bytes:
    """A path as the bytes the OS uses; TypeError for what is not a path."""
    return os.fsencode(path)


def _is_single_path(value: object) -> bool:
    return isinstance(value, (str, bytes, os.PathLike))


def _strings(value: Union[str, Iterable[str]], what: str) -> list[str]:
    """One string or an iterable of them (not the characters of a str)."""
    items = [value] if isinstance(value, (str, bytes)) else list(value)
    for item in items:
        if not isinstance(item, (str, bytes)):
            raise TypeError(f"{what} must be a str, not {type(item).__name__}")
    return [os.fsdecode(item) for item in items]


class Merger:
    """Merges Go coverage profiles added one by one.

    Add inputs with :meth:`add` (files, directories) and :meth:`add_bytes`,
    then take the result: :meth:`write`, :meth:`to_bytes`, :meth:`summary`,
    :meth:`result`, or iterate over the blocks. The first of these parses
    and merges every input on a pool of threads with the GIL released
    (:meth:`finish` does only that); no input can be added afterwards. A
    failed merge raises, and raises again on every later call.

    Args:
        threads: worker threads; 0 (the default) means one per core. The
            output is the same for every count.
        mode: None to accept the mode the inputs share, or "set", "count"
            or "atomic" to raise ProfileError when the merged mode differs.
            The inputs must share one mode in any case.
        on_conflict: "error" (default): a damaged or conflicting input
            raises. "skip": it is left out and listed in ``skipped``; the
            first input with a block decides what is right.
        mmap: no effect, kept for compatibility: inputs are always read
            (mapping measured slower, and a file truncated while mapped
            raises SIGBUS).
        include, exclude: regular expressions in Go's regexp syntax (RE2)
            on the file paths the profiles name, matched anywhere unless
            anchored (``--include``, ``--exclude``): only files that match
            an include pattern (or all, without one) and no exclude
            pattern are merged, e.g. ``exclude=[r"_mock\\.go$", "/vendor/"]``.
            A pattern that does not compile raises ValueError.
        strip_prefix: prefixes removed from the paths of the report, the
            exports and the gate (``--strip-prefix``), e.g. the module path.
        path_map: prefix -> replacement rules for the same paths
            (``--path-map``), tried after ``strip_prefix``, first match wins.

    Example::

        m = covmerge.Merger(threads=4)
        m.add("coverage/")                 # every *.out, *.cov, ... below it
        m.add_bytes(profile_bytes, "from-ci.out")
        m.write("merged.out")
        print(m.summary())                 # coverage: 71.3% of statements

    A Merger is not meant to be shared between threads; a call while another
    thread's call runs raises RuntimeError.
    """

    def __init__(self, *, threads: int = 0, mode: Optional[Mode] = None, on_conflict: OnConflict = "error",
                 mmap: bool = False, include: Iterable[str] = (), exclude: Iterable[str] = (),
                 strip_prefix: Union[str, Iterable[str]] = (),
                 path_map: Union[Mapping[str, str], Iterable[Tuple[str, str]]] = ()) -> None:
        if isinstance(threads, bool) or not isinstance(threads, int):
            raise TypeError(f"threads must be an int, not {type(threads).__name__}")
        if not 0 <= threads <= 1024:
            raise ValueError(f"threads must be 0 (one per core) or 1 to 1024, not {threads}")
        if mode not in _MODES:
            raise ValueError(f"mode must be None, 'set', 'count' or 'atomic', not {mode!r}")
        if on_conflict not in _CONFLICT_POLICIES:
            raise ValueError(f"on_conflict must be 'error' or 'skip', not {on_conflict!r}")
        self._session = _covmerge._Session(threads, mode, on_conflict == "skip", bool(mmap))
        for patterns, add in ((include, self._session.add_include), (exclude, self._session.add_exclude)):
            for pattern in _strings(patterns, "include/exclude pattern"):
                add(os.fsencode(pattern))
        rules = list(path_map.items()) if isinstance(path_map, Mapping) else list(path_map)
        for prefix in _strings(strip_prefix, "strip_prefix"):
            self._session.add_path_rule(os.fsencode(prefix), b"")
        for prefix, replacement in rules:
            self._session.add_path_rule(os.fsencode(prefix), os.fsencode(replacement))
        self._failure: Optional[Exception] = None
        self._result: Optional[MergeResult] = None

    def _call(self, method: str, *args: object) -> object:
        try:
            return getattr(self._session, method)(*args)
        except _covmerge.Failure as failure:
            raise _convert(failure) from None

    def add(self, path_or_paths: Union[StrPath, Iterable[StrPath]]) -> int:
        """Adds a profile file, a directory, or an iterable of them.

        A directory is searched recursively, as the covmerge command does,
        for files named ``*.out``, ``*.cov``, ``*.coverprofile`` and
        ``coverage.txt`` (also with ``.zst`` or ``.gz`` added; names starting
        with "." are skipped). Files are opened when the merge runs, so a
        missing file raises FileNotFoundError then. zstd and gzip inputs are
        read as such, whatever their name. A directory holding a
        ``covmeta.<hash>`` file (the directory or one below it) is a
        GOCOVERDIR, the binary coverage data of a Go 1.20+ binary built with
        ``go build -cover``: it is decoded natively and its runs are merged
        with the other inputs.

        Returns the number of inputs added: files and GOCOVERDIRs (a
        directory may hold none).
        Raises OSError when a directory cannot be read, RuntimeError after
        the merge ran.
        """
        paths: list[StrPath] = ([path_or_paths] if isinstance(path_or_paths, (str, bytes, os.PathLike))
                                else list(path_or_paths))
        encoded = [_fspath(p) for p in paths]  # type check all before adding any
        return sum(int(self._call("add_path", p)) for p in encoded)  # type: ignore[call-overload]

    def add_bytes(self, data: Union[bytes, bytearray, memoryview], name: str = "<bytes>") -> None:
        """Adds a profile held in memory (any bytes-like object; copied).

        ``name`` stands for it in error messages and ``ProfileError.path``.
        Compressed data (zstd, gzip) is recognized by its first bytes.
        """
        self._call("add_bytes", data, _fspath(name))

    def add_partial(self, data: Union[bytes, bytearray, memoryview]) -> None:
        """Adds a partial merge (the bytes :meth:`to_partial` or
        ``covmerge.distributed`` wrote): its merged profile is one input, and
        its skipped inputs, warnings and merged count join this merge's.
        Raises ProfileError for bytes that are not a version-1 partial, or
        the failure a partial holds (naming the original input)."""
        self._call("add_partial", bytes(data))

    def to_partial(self, first: int, count: int) -> bytes:
        """The merged result as the partial of inputs ``first`` ..
        ``first + count - 1`` of a larger merge (covmerge.distributed's
        format), to combine elsewhere with :meth:`add_partial`."""
        self.finish()
        return self._call("write_partial", first, count)  # type: ignore[return-value]

    def _add_stdin(self) -> None:
        """Adds standard input, read whole when the merge runs."""
        self._call("add_stdin")

    def finish(self) -> MergeResult:
        """Parses and merges every input added; returns the result.

        Runs once; later calls return the same result. Raises ProfileError
        (malformed or conflicting input), FileNotFoundError and other OSError
        (unreadable input), MemoryError.
        """
        if self._result is not None:
            return self._result
        if self._failure is not None:
            raise self._failure
        try:
            self._call("finish")
        except Exception as error:
            self._failure = error
            raise
        session = self._session
        report = session.report()
        self._result = MergeResult(
            summary=Coverage(*session.summary()),
            files={path: Coverage(s, c, p) for path, s, c, p in session.files()},
            packages={name: Coverage(s, c, p) for name, _n, s, c, p in session.packages()},
            skipped=[SkippedInput(name, reason) for name, reason in report["skipped"]],
            warnings=list(report["warnings"]),
            mode=session.mode(),
            inputs_merged=report["inputs_merged"],
            _session=session,
        )
        return self._result

    def result(self) -> MergeResult:
        """The :class:`MergeResult` (merging first if needed)."""
        return self.finish()

    def summary(self) -> Coverage:
        """Total coverage of the merged profile (merging first if needed)."""
        return self.finish().summary

    @property
    def skipped(self) -> list[SkippedInput]:
        """Inputs left out under on_conflict="skip" (merging first if needed)."""
        return self.finish().skipped

    def write(self, output: Union[StrPath, IO[bytes]]) -> None:
        """Writes the merged profile to a path or a binary file object.

        A path is written through a temporary file in the same directory and
        renamed into place, so it is either left as it was or replaced whole;
        a name ending in ``.zst`` or ``.gz`` is written compressed. A file
        object gets the text through its ``write()`` in pieces. No blocks at
        all: nothing is written (an empty file for a path), as gocovmerge.
        """
        self.finish()
        if hasattr(output, "write") and not _is_single_path(output):
            self._call("write_to", output)
        else:
            self._call("write_file", _fspath(output))  # type: ignore[arg-type]

    def to_bytes(self, *, zstd: int = 0) -> bytes:
        """The merged profile as the text gocovmerge writes; with ``zstd``
        a level from 1 (fastest) to 19, that text compressed as one zstd
        frame (what ``add_bytes`` and the command read back as such)."""
        if isinstance(zstd, bool) or not isinstance(zstd, int) or not 0 <= zstd <= 19:
            raise ValueError(f"zstd must be a level from 1 to 19, or 0 for no compression, not {zstd!r}")
        self.finish()
        return self._call("to_bytes", zstd)  # type: ignore[return-value]

    def __iter__(self) -> Iterator[BlockTuple]:
        """The blocks, files in path order and blocks by position, as
        ``(path, start_line, start_col, end_line, end_col, num_stmt, count)``."""
        self.finish()
        session = self._session
        for index in range(session.file_count()):
            yield from session.file_blocks(index)

    def close(self) -> None:
        """Frees the merged profile now rather than when the Merger is
        collected. Only :meth:`result` and :meth:`summary` work afterwards."""
        if self._result is not None:
            self._session.close()

    def __enter__(self) -> "Merger":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def merge(inputs: Union[StrPath, Iterable[StrPath]], output: Union[StrPath, IO[bytes], None] = None, *,
          threads: int = 0, mode: Optional[Mode] = None, on_conflict: OnConflict = "error",
          include: Iterable[str] = (), exclude: Iterable[str] = (), strip_prefix: Union[str, Iterable[str]] = (),
          path_map: Union[Mapping[str, str], Iterable[Tuple[str, str]]] = ()) -> MergeResult:
    """Merges Go coverage profiles; writes the result if ``output`` is given.

    Args:
        inputs: a profile file or a directory (searched recursively for
            ``*.out``, ``*.cov``, ``*.coverprofile``, ``coverage.txt``, also
            ``.zst``/``.gz``, and GOCOVERDIRs of Go 1.20+ binary coverage
            data) as str, bytes or os.PathLike, or an iterable of them. All
            are parsed and merged in parallel.
        output: a path to write the merged profile to (replaced whole or
            not at all; ``.zst``/``.gz`` names are compressed), a binary
            file object, or None to write nothing.
        threads: worker threads; 0 means one per core.
        mode: None, or "set", "count" or "atomic": the mode the merged
            profile must have.
        on_conflict: "error" to raise on the first damaged or conflicting
            input, "skip" to leave such inputs out (see ``result.skipped``).
        include, exclude, strip_prefix, path_map: filters and path rules,
            as for :class:`Merger` and the command's options of those names.

    Returns:
        A :class:`MergeResult`: ``.summary`` (statements, covered, percent),
        ``.files`` and ``.packages`` (Coverage by name), ``.skipped``,
        ``.warnings``, ``.mode``; ``.report``, the exports
        (``write_lcov`` ...) and the gate (``check``, ``compare``).

    Raises:
        ProfileError: an input is malformed (a ValueError with ``.path``,
            ``.line``, ``.column``, ``.offset``); ConflictError, a
            ProfileError, when inputs disagree (with ``.other_path``).
        FileNotFoundError, PermissionError, OSError: an input or the output
            could not be read or written (``errno.ENOSPC``: the disk is full).
        MemoryError: out of memory.
        KeyboardInterrupt: Ctrl-C; the merge stops within milliseconds.

    Example::

        >>> result = covmerge.merge("coverage/", "merged.out")
        >>> print(result.summary)
        coverage: 54.8% of statements
    """
    merger = Merger(threads=threads, mode=mode, on_conflict=on_conflict, include=include, exclude=exclude,
                    strip_prefix=strip_prefix, path_map=path_map)
    merger.add(inputs)
    result = merger.finish()
    if output is not None:
        merger.write(output)
    return result
