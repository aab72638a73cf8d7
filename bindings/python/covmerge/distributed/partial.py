# SPDX-License-Identifier: Apache-2.0
"""The partial result of a distributed merge, and its bytes.

A :class:`Partial` is what one task of the merge tree hands to the next:
the merged profile of a contiguous range of the original inputs, and what
happened to them (inputs skipped and why, warnings, or the error that
stopped it). It grows with the distinct blocks, not with the inputs, and
is kept compressed.

Format, version 1 (``Partial.to_bytes`` / ``Partial.from_bytes``; docs/partial-format.md)::

    covmerge-partial 1\\n          magic and version
    LENGTH\\n                      the header's length in bytes, decimal
    HEADER                        LENGTH bytes of JSON (UTF-8), below
    PAYLOAD                       the merged profile text as one zstd frame
                                  (the rest; empty when no input had a block)

The header holds ``first`` and ``count`` (the range of original inputs,
0-based, in the merge's input order), ``merged`` (how many of them were
merged), ``mode``, ``skipped`` (``[stage, index, name, reason]`` for
each input left out: the merge reports failures by stage, then input
order), ``warnings``, ``whole`` (true when only a merge of all the
inputs at once can give the answer one machine would: inputs that
conflict with one another), and ``error`` (null, or the failure an input
caused: ``type``, ``message``, ``path``, ``line``, ``column``,
``conflict``, ``errno``, ``strerror``, ``index``, ``stage``). Every name in it is an original
input's, never a partial's. A reader refuses other magic or versions.

zstd at level 1, written by the engine as it formats the text (no copy of
the text is made) and read back by it as any compressed input: gzip from
Python's zlib was the first choice and took longer than the merge itself
(bench/RESULTS.md).
"""

from __future__ import annotations

import dataclasses
import errno as _errno
import os
from typing import Any, Optional

from .. import _covmerge

MAGIC = b"covmerge-partial 1\n"

# The kind of a failure in a partial of 0.1, which names only the exception.
_KIND_OF_TYPE = {"ProfileError": "malformed", "ConflictError": "conflict", "MemoryError": "out_of_memory",
                 "OSError": "io", "FileNotFoundError": "io", "PermissionError": "io", "IsADirectoryError": "io",
                 "NotADirectoryError": "io"}


@dataclasses.dataclass(frozen=True)
class InputError:
    """The failure an original input caused, as the merge would raise it."""

    type: str  # "ProfileError", "FileNotFoundError", "PermissionError", "OSError", "MemoryError", ...
    message: str  # the engine's sentence: what the covmerge command prints
    path: Optional[str] = None
    line: Optional[int] = None
    column: Optional[int] = None
    conflict: bool = False
    errno: Optional[int] = None
    strerror: Optional[str] = None
    index: int = 0  # the original input's position
    stage: int = 0  # when the merge meets it (see distributed.STAGE_*): the first stage's first input is reported
    kind: Optional[str] = None  # the engine's kind ("malformed", "io", ...); None in partials of 0.1

    @staticmethod
    def from_exception(error: BaseException, index: int, stage: int) -> "InputError":
        message = getattr(error, "_covmerge_message", None) or str(error)
        if isinstance(error, OSError):
            kind = "disk_full" if error.errno in (_errno.ENOSPC, _errno.EDQUOT, _errno.EFBIG) else "io"
            return InputError(type(error).__name__, message, path=_str_or_none(error.filename),
                              errno=error.errno, strerror=error.strerror, index=index, stage=stage, kind=kind)
        if isinstance(error, MemoryError):
            return InputError("MemoryError", message, index=index, stage=stage, kind="out_of_memory")
        return InputError(type(error).__name__, message, path=getattr(error, "path", None),
                          line=getattr(error, "line", None), column=getattr(error, "column", None),
                          conflict=bool(getattr(error, "conflict", False)), index=index, stage=stage,
                          kind=getattr(error, "kind", None))

    def to_exception(self) -> BaseException:
        """The exception covmerge.merge raises for this failure."""
        from .. import _exception_for  # the package imports this module

        kind = self.kind
        if kind is None:  # a partial of 0.1: the exception type says
            kind = "conflict" if self.conflict else _KIND_OF_TYPE.get(
                self.type, "io" if self.errno is not None else "internal")
        fields = {"kind": kind, "path": self.path, "input_index": self.index, "line": self.line,
                  "column": self.column, "offset": None, "errno": self.errno, "other_path": None,
                  "other_index": None, "other_line": None}
        error = _exception_for(self.message, fields)
        error._covmerge_message = self.message  # type: ignore[attr-defined]
        return error


def _encoded(value: Any) -> Any:
    return os.fsencode(value) if isinstance(value, str) else value


def _decoded(value: Any) -> Any:
    return os.fsdecode(value) if isinstance(value, bytes) else value


def _str_or_none(value: Any) -> Optional[str]:
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)


@dataclasses.dataclass(frozen=True)
class Partial:
    """The merge of original inputs first .. first+count-1 (see the module)."""

    first: int
    count: int
    merged: int = 0
    mode: Optional[str] = None
    skipped: tuple[tuple[int, int, str, str], ...] = ()  # (stage, index, name, reason)
    warnings: tuple[str, ...] = ()
    whole: bool = False
    error: Optional[InputError] = None
    payload: bytes = b""  # the merged profile text, zstd-compressed

    @property
    def ok(self) -> bool:
        return self.error is None and not self.whole

    def to_bytes(self) -> bytes:
        """The documented bytes, written by the engine's codec (the C API's)."""
        error = None
        if self.error is not None:
            error = {k: _encoded(v) for k, v in dataclasses.asdict(self.error).items()}
        header = {
            "first": self.first,
            "count": self.count,
            "merged": self.merged,
            "mode": _encoded(self.mode),
            "skipped": [(stage, index, os.fsencode(name), os.fsencode(reason))
                        for stage, index, name, reason in self.skipped],
            "warnings": [os.fsencode(w) for w in self.warnings],
            "whole": self.whole,
            "error": error,
        }
        return _covmerge.encode_partial(header, self.payload)

    @staticmethod
    def from_bytes(data: bytes) -> "Partial":
        """Reads a partial; ValueError naming what is wrong for anything else."""
        header, payload = _covmerge.decode_partial(bytes(data))
        error = header["error"]
        return Partial(
            first=header["first"],
            count=header["count"],
            merged=header["merged"],
            mode=_decoded(header["mode"]),
            skipped=tuple((stage, index, os.fsdecode(name), os.fsdecode(reason))
                          for stage, index, name, reason in header["skipped"]),
            warnings=tuple(os.fsdecode(w) for w in header["warnings"]),
            whole=header["whole"],
            error=InputError(**{k: _decoded(v) for k, v in error.items()}) if error is not None else None,
            payload=payload,
        )

    def __reduce__(self):  # type: ignore[override]
        # Between Dask workers a partial travels in its documented form.
        return (Partial.from_bytes, (self.to_bytes(),))

    def __sizeof__(self) -> int:
        return len(self.payload) + 256 + 128 * (len(self.skipped) + len(self.warnings))
