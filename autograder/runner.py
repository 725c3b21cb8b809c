"""The process that runs a submission's code, inside the sandbox.

Started as ``python -m autograder.runner``. It reads commands from stdin and
answers on the file descriptor that was stdout at start-up; the submission's
own output (``print``, warnings, C libraries writing to fd 1 and 2) is captured
per command or lands in a log file, never on the channel.

Commands:
- ``{"op": "exec", "source": str}``: run a cell's code in the notebook namespace.
- ``{"op": "call", "target": ..., "args": [...], "kwargs": {...}}``: call a
  function the submission defined (or an attribute of a handle) and send back
  its result, the arguments it modified, and what it printed.
- ``{"op": "getattr" | "getitem" | "len" | "repr" | "convert", ...}``: inspect a
  handle, or convert it to an array or a number.

Nothing here decides a grade: results go back to the trusted grader, which
compares them with references the submission never sees.
"""

from __future__ import annotations

import builtins
import io
import os
import re
import shutil
import signal
import sys
import traceback
import warnings
from typing import Any

import cloudpickle
import numpy as np

from autograder.codec import CodecError, decode, encode, read_frame, write_frame

MAX_CAPTURE = 64 * 1024  # characters of output kept per command
MAGIC = re.compile(r"^(\s*)([%!].*)$", re.M)
WATCHED_MODULES = ("numpy", "numpy.testing", "builtins", "math", "dlcourse.checks", "__main__")

NAMESPACE: dict[str, Any] = {"__name__": "__main__", "__builtins__": builtins}
HANDLES: dict[int, Any] = {}


class BoundedWriter(io.TextIOBase):
    """A text stream that keeps the first MAX_CAPTURE characters and counts the rest."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0
        self.dropped = 0

    def write(self, text: str) -> int:
        text = str(text)
        room = MAX_CAPTURE - self.size
        if room > 0:
            self.parts.append(text[:room])
            self.size += min(room, len(text))
        self.dropped += max(0, len(text) - max(room, 0))
        return len(text)

    def value(self) -> str:
        out = "".join(self.parts)
        if self.dropped:
            out += f"\n[... {self.dropped} more characters of output not shown]"
        return out


def _lookup(name: str) -> Any:
    """Resolve a graded name in the notebook namespace (used by pickled test callables)."""
    try:
        return NAMESPACE[name]
    except KeyError:
        raise NameError(f"name {name!r} is not defined") from None


class _GlobalRef:
    """Stand-in for the submission's own function ``name`` inside pickled callables."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return _lookup(self.name)(*args, **kwargs)


def _handle(obj: Any) -> dict:
    HANDLES[id(obj)] = obj
    return {"__handle__": id(obj)}


def _resolve(data: dict) -> Any:
    if "__handle__" in data:
        return HANDLES[data["__handle__"]]
    if "__global__" in data:
        return _GlobalRef(data["__global__"])
    raise CodecError("unexpected value")


def _unpickle(text: str) -> Any:
    import base64

    return cloudpickle.loads(base64.b64decode(text))


def _snapshot_modules() -> dict[tuple[str, str], int]:
    snap = {}
    for name in WATCHED_MODULES:
        module = sys.modules.get(name)
        if module is None:
            continue
        for attr, value in vars(module).items():
            if not attr.startswith("__"):
                snap[(name, attr)] = id(value)
    return snap


def _tampering(before: dict[tuple[str, str], int]) -> list[str]:
    now = _snapshot_modules()
    changed = [f"{m}.{a}" for (m, a), i in before.items() if now.get((m, a), i) != i]
    return sorted(changed)[:10]


def _error(exc: BaseException) -> dict:
    tb = traceback.format_exception(type(exc), exc, exc.__traceback__)
    # Drop the runner's own frames: the student sees their code only.
    lines = [ln for ln in tb if "autograder/runner.py" not in ln]
    return {"ename": type(exc).__name__, "evalue": str(exc)[:4000], "traceback": lines[-30:]}


_SCALARS = (bool, int, float, complex, str, bytes, type(None), np.generic)
_UNTRACKED = object()  # an argument whose in-place changes are not mirrored back


def _copy_state(value: Any) -> Any:
    """A snapshot of what a call can change in place: arrays, dicts, lists and their items."""
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, dict):
        return {k: _copy_state(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy_state(v) for v in value]
    if isinstance(value, _SCALARS):
        return value  # immutable: the item itself is the snapshot
    return _UNTRACKED


def _changed(before: Any, after: Any) -> bool:
    if before is _UNTRACKED:
        return False
    if isinstance(after, np.ndarray):
        return (
            not isinstance(before, np.ndarray)
            or before.shape != after.shape
            or not np.array_equal(before, after, equal_nan=after.dtype.kind in "fc")
        )
    if isinstance(after, dict):
        return (
            not isinstance(before, dict)
            or list(before) != list(after)
            or any(_changed(before[k], after[k]) for k in after)
        )
    if isinstance(after, list):
        return (
            not isinstance(before, list)
            or len(before) != len(after)
            or any(_changed(b, a) for b, a in zip(before, after, strict=True))
        )
    if isinstance(after, _SCALARS):
        # a list item or dict value replaced: another type, or another value (nan == nan)
        return type(before) is not type(after) or not (
            before == after or (before != before and after != after)
        )
    return True  # a tracked item replaced by an object of another kind


def _encode_result(result: Any, args: list, kwargs: dict) -> Any:
    """Encode ``result``, marking values that are (not copies of) the arguments."""
    inputs = [*args, *kwargs.values()]
    keys = [*range(len(args)), *kwargs]

    def alias(v: Any) -> Any:
        for key, arg in zip(keys, inputs, strict=True):
            if v is arg and isinstance(v, np.ndarray | dict | list):
                return {"__alias__": key}
        return None

    top = alias(result)
    if top is not None:
        return top
    if isinstance(result, tuple | list):
        items = [alias(v) or encode(v, handle=_handle) for v in result]
        return {"__tuple__" if isinstance(result, tuple) else "__list__": items}
    if isinstance(result, dict) and all(isinstance(k, str) for k in result):
        return {"__dict__": {k: alias(v) or encode(v, handle=_handle) for k, v in result.items()}}
    return encode(result, handle=_handle)


def _run(message: dict) -> dict:
    op = message.get("op")
    if op == "exec":
        source = MAGIC.sub(r"\1# (magic ignored by the grader) \2", message["source"])
        exec(compile(source, "<cell>", "exec"), NAMESPACE)
        return {}
    if op in ("call", "getattr", "getitem", "len", "repr", "convert", "classinfo"):
        target_data = message["target"]
        if "__global__" in target_data:
            target = _lookup(target_data["__global__"])
        else:
            target = HANDLES[target_data["__handle__"]]
        if op == "getattr":
            return {"result": encode(getattr(target, message["name"]), handle=_handle)}
        if op == "getitem":
            key = decode(message["key"], handle=_resolve)
            return {"result": encode(target[key], handle=_handle)}
        if op == "len":
            return {"result": len(target)}
        if op == "repr":
            return {"result": repr(target)[:2000]}
        if op == "classinfo":  # type(), which the submission cannot fake, not __class__
            cls = type(target)
            return {"result": [[c.__module__, c.__qualname__] for c in cls.__mro__[:30]]}
        if op == "convert":
            kinds = {
                "array": np.asarray,
                "float": float,
                "int": int,
                "bool": bool,
                "complex": complex,
            }
            return {"result": encode(kinds[message["kind"]](target))}
        args = decode(message["args"], handle=_resolve, unpickle=_unpickle)
        kwargs = decode(message["kwargs"], handle=_resolve, unpickle=_unpickle)
        before = [_copy_state(a) for a in args], {k: _copy_state(v) for k, v in kwargs.items()}
        # The grader's numpy error state applies here too; warnings are recorded and
        # sent back, where the grader re-issues them under the test's own filters.
        with (
            np.errstate(**message.get("errstate", {})),
            warnings.catch_warnings(record=True) as caught,
        ):
            warnings.simplefilter("always")
            result = target(*args, **kwargs)
        issued = [[w.category.__name__, str(w.message)[:500]] for w in caught[:20]]
        mutated = {}
        for i, (b, a) in enumerate(zip(before[0], args, strict=True)):
            if _changed(b, a):
                mutated[str(i)] = encode(a, handle=_handle)
        for k, v in kwargs.items():
            if _changed(before[1][k], v):
                mutated[k] = encode(v, handle=_handle)
        return {
            "result": _encode_result(result, list(args), kwargs),
            "mutated": mutated,
            "warnings": issued,
        }
    raise CodecError(f"unknown op {op!r}")


def _copy_data() -> None:
    """Copy the assignment's data files into the working folder (sandbox only)."""
    source = os.environ.get("GRADER_DATA")
    if not (source and os.path.isdir(source)):
        return
    for folder, _dirs, files in os.walk(source):
        target = os.path.relpath(folder, source)
        os.makedirs(target, exist_ok=True)
        for name in files:
            shutil.copyfile(os.path.join(folder, name), os.path.join(target, name))


def main() -> None:
    # Writing past the file-size limit fails with an error instead of killing us.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    _copy_data()
    channel_out = os.fdopen(os.dup(1), "wb")
    channel_in = os.fdopen(os.dup(0), "rb")
    # The submission's C-level output goes to a log file in the scratch folder.
    log = os.open("grader-output.log", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(log, 1)
    os.dup2(log, 2)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    sys.stdin = open(os.devnull)  # noqa: SIM115
    # Import what notebooks use before the submission runs: its monkeypatching
    # can then be detected (and it is only ever its own process it harms).
    import dlcourse.checks  # noqa: F401

    baseline = _snapshot_modules()
    write_frame(channel_out, {"ready": True})
    while True:
        try:
            message = read_frame(channel_in)
        except EOFError:
            return
        if message.get("op") == "exit":
            return
        out, err = BoundedWriter(), BoundedWriter()
        sys.stdout, sys.stderr = out, err
        try:
            reply = {"ok": True, **_run(message)}
        except CodecError as exc:
            reply = {
                "ok": False,
                "error": {"ename": "GraderError", "evalue": str(exc), "traceback": []},
            }
        except BaseException as exc:  # noqa: BLE001  (the submission's error, reported back)
            reply = {"ok": False, "error": _error(exc)}
        finally:
            sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
        reply["stdout"], reply["stderr"] = out.value(), err.value()
        reply["tampering"] = _tampering(baseline)
        try:
            write_frame(channel_out, reply)
        except CodecError as exc:
            write_frame(
                channel_out,
                {
                    "ok": False,
                    "stdout": "",
                    "stderr": "",
                    "tampering": reply["tampering"],
                    "error": {"ename": "GraderError", "evalue": str(exc), "traceback": []},
                },
            )


if __name__ == "__main__":
    main()
