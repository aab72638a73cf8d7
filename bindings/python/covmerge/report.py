# SPDX-License-Identifier: Apache-2.0
"""What ``covmerge report`` shows, as Python objects: the report of a merge
(per package and per file, in statements and in source lines), and the
gate's verdict against a minimum and a baseline.

Both come from :class:`covmerge.MergeResult`: ``result.report`` and
``result.check(...)`` / ``result.compare(...)``. The numbers are the
engine's, the same the command prints: a report is read from the JSON
summary the engine writes (docs/json-summary.md), and ``to_dict()`` is
that document.
"""

from __future__ import annotations

import dataclasses
import json
import os
from typing import Any, Literal, NamedTuple, Optional

__all__ = ["FileReport", "GateVerdict", "LineCoverage", "PackageChange", "PackageReport", "PatchFile", "PatchReport",
           "Report"]


def _percent(covered: int, total: int) -> float:
    return 100.0 * covered / total if total else 0.0


class LineCoverage(NamedTuple):
    """Source lines with a statement (LCOV's LF) and those that ran (LH),
    under the line rule of docs/json-summary.md."""

    lines: int
    covered: int
    #: 100 * covered / lines; 0.0 when there are no lines.
    percent: float


def _name(entry: dict[str, Any], key: str) -> str:
    """A name as os.fsdecode gives it: exact bytes when the summary has them
    (``*_bytes``, %XX-escaped), else the UTF-8 string."""
    raw = entry.get(key + "_bytes")
    if raw is None:
        return entry[key]  # type: ignore[no-any-return]
    out = bytearray()
    i = 0
    data = raw.encode("utf-8")
    while i < len(data):
        if data[i] == ord("%"):
            out.append(int(data[i + 1:i + 3], 16))
            i += 3
        else:
            out.append(data[i])
            i += 1
    return os.fsdecode(bytes(out))


@dataclasses.dataclass(frozen=True)
class PackageReport:
    """One package: the directory part of its files' paths (after the
    path rules)."""

    name: str
    statements: Any  # covmerge.Coverage
    lines: LineCoverage
    #: How many files it has.
    files: int


@dataclasses.dataclass(frozen=True)
class FileReport:
    """One source file, by its path after the path rules."""

    path: str
    package: str
    statements: Any  # covmerge.Coverage
    lines: LineCoverage


@dataclasses.dataclass(frozen=True)
class Report:
    """The report of a merge, as ``covmerge report`` prints and exports it.

    Attributes:
        mode: "set", "count" or "atomic".
        total: statement coverage of everything (a covmerge.Coverage).
        lines: line coverage of everything.
        packages: by name.
        files: by package, then path.
        inputs_merged, inputs_skipped: inputs merged, and left out under
            ``on_conflict="skip"``.
        excluded_files: distinct files the ``include`` / ``exclude``
            patterns left out.
    """

    mode: str
    total: Any  # covmerge.Coverage
    lines: LineCoverage
    packages: list[PackageReport]
    files: list[FileReport]
    inputs_merged: int
    inputs_skipped: int
    excluded_files: int
    _json: bytes = dataclasses.field(repr=False, compare=False, default=b"")

    @staticmethod
    def _from_json(data: bytes, coverage: type) -> "Report":
        # `coverage` is covmerge.Coverage (the package imports this module).
        doc = json.loads(data)

        def stats(entry: dict[str, Any]) -> tuple[Any, LineCoverage]:
            return (coverage(entry["statements"], entry["covered"], _percent(entry["covered"], entry["statements"])),
                    LineCoverage(entry["lines"], entry["lines_covered"],
                                 _percent(entry["lines_covered"], entry["lines"])))

        total, lines = stats(doc["total"])
        packages = [PackageReport(_name(p, "name"), *stats(p), p["files"]) for p in doc["packages"]]
        files = [FileReport(_name(f, "path"), _name(f, "package"), *stats(f)) for f in doc["files"]]
        return Report(doc["mode"], total, lines, packages, files, doc["inputs"]["merged"], doc["inputs"]["skipped"],
                      doc["excluded_files"], data)

    def to_dict(self) -> dict[str, Any]:
        """The JSON summary (schema "covmerge-summary", version 1) as a dict."""
        result: dict[str, Any] = json.loads(self._json)
        return result

    def to_json(self) -> str:
        """The JSON summary, exactly as ``covmerge report --json`` writes it."""
        return self._json.decode("utf-8")


PackageChangeKind = Literal["fell", "new", "gone"]


@dataclasses.dataclass(frozen=True)
class PackageChange:
    """A package whose coverage fell below the baseline's, or that is new
    or gone since the baseline."""

    kind: PackageChangeKind
    name: str
    #: Coverage in the baseline; None for a new package.
    before: Optional[Any]
    #: Coverage now; None for a package that is gone.
    after: Optional[Any]


@dataclasses.dataclass(frozen=True)
class PatchFile:
    """A changed Go file that a profile names."""

    path: str
    #: Of the blocks that overlap an added line (a covmerge.Coverage).
    statements: Any
    #: The changed lines that ran in no block, as (first, last) ranges.
    uncovered: list[tuple[int, int]]


@dataclasses.dataclass(frozen=True)
class PatchReport:
    """Patch coverage of a diff: the statements of the blocks that the
    added lines touch, covered over total (``covmerge report --diff``)."""

    total: Any  # covmerge.Coverage
    files: list[PatchFile]
    #: Changed Go files that no profile names: never counted as covered.
    unmeasured: list[str]
    changed_lines: int


@dataclasses.dataclass(frozen=True)
class GateVerdict:
    """Whether a pull request may land, as ``covmerge report`` decides it.

    ``bool(verdict)`` is ``passed``.

    Attributes:
        passed: no rule failed.
        before: the baseline's total (a covmerge.Coverage); None without one.
        after: the total now.
        fell, new, gone: packages that fell below the baseline, are new, or
            are gone, by name.
        failures: one sentence per failed rule (what the command prints
            after "coverage gate failed: ").
        report: the lines the command logs: the comparison with the
            baseline and each changed package.
        patch: patch coverage, when a diff was given; else None.
        markdown: the summary ``covmerge report --markdown`` writes for
            this verdict (a pull request comment, $GITHUB_STEP_SUMMARY).
    """

    passed: bool
    before: Optional[Any]
    after: Any
    fell: list[PackageChange]
    new: list[PackageChange]
    gone: list[PackageChange]
    failures: list[str]
    report: list[str]
    patch: Optional[PatchReport] = None
    markdown: str = ""

    def __bool__(self) -> bool:
        return self.passed

    @staticmethod
    def _from_engine(raw: dict[str, Any], coverage: type) -> "GateVerdict":
        changes = {"fell": [], "new": [], "gone": []}  # type: dict[str, list[PackageChange]]
        for kind, name, before, after in raw["changes"]:
            changes[kind].append(PackageChange(kind, name, None if kind == "new" else coverage(*before),
                                               None if kind == "gone" else coverage(*after)))
        before = raw["before"]
        patch = None
        if raw["patch"] is not None:
            p = raw["patch"]
            patch = PatchReport(coverage(*p["total"]),
                                [PatchFile(path, coverage(*stats), [(int(a), int(b)) for a, b in ranges])
                                 for path, stats, ranges in p["files"]],
                                list(p["unmeasured"]), p["changed_lines"])
        return GateVerdict(raw["passed"], coverage(*before) if before is not None else None, coverage(*raw["after"]),
                           changes["fell"], changes["new"], changes["gone"], list(raw["failures"]),
                           list(raw["report"]), patch, raw["markdown"])


# The engine's export formats, in the order of covmerge.h's covmerge_format.
FORMATS = {"profile": 0, "table": 1, "json": 2, "lcov": 3, "cobertura": 4, "html": 5}
