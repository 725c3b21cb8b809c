"""Trusted stand-ins for the submission's functions and objects.

Test cells run in the grader's own process; every name a solution cell
defines is bound there to a :class:`RemoteFunction`. Calling it runs the
student's function in the sandbox and returns a decoded copy of its result,
so the comparisons that decide points use the grader's numpy and helpers,
which the submission cannot reach. Arguments the student's code modified are
modified here too, so checks that inputs are left unchanged still work.
"""

from __future__ import annotations

import base64
import builtins
import warnings
from typing import Any

import cloudpickle
import numpy as np

from autograder.codec import decode, encode


class StudentCodeError(Exception):
    """An exception of a type the grader does not know, raised by student code."""


def _exception(error: dict) -> BaseException:
    ename, evalue = error.get("ename", "Error"), error.get("evalue", "")
    cls = getattr(builtins, ename, None)
    if isinstance(cls, type) and issubclass(cls, Exception):
        try:
            return cls(evalue)
        except Exception:  # noqa: BLE001  (exotic constructor signatures)
            pass
    return StudentCodeError(f"{ename}: {evalue}")


class Channel:
    """What remote objects talk through: the current sandbox session of a
    notebook (replaced when a crashed sandbox is restarted) and the cell's deadline."""

    def __init__(self) -> None:
        self.session = None
        self.deadline_s = 60.0
        self.output: list[tuple[str, str]] = []  # (stream name, text) of the current cell
        self.tampering: set[str] = set()

    def request(self, message: dict) -> Any:
        reply = self.session.request(message, timeout=self.deadline_s)
        for stream in ("stdout", "stderr"):
            if reply.get(stream):
                self.output.append((stream, reply[stream]))
        self.tampering.update(reply.get("tampering", []))
        if not reply.get("ok"):
            exc = _exception(reply.get("error", {}))
            exc.remote_traceback = reply.get("error", {}).get("traceback")
            raise exc
        return reply


def _pickle(fn: Any) -> str:
    return base64.b64encode(cloudpickle.dumps(fn)).decode("ascii")


def _resolve_class(mro: list[list[str]]) -> type:
    """The grader's own class for a sandbox object's type, found by module and name
    (importing that module in the grader: only course dependencies are importable);
    a stand-in class with the same name when it cannot be found."""
    import importlib

    for module_name, qualname in mro:
        if (
            "<locals>" in qualname
            or module_name in ("__main__", "builtins")
            and qualname not in dir(builtins)
        ):
            continue
        try:
            obj: Any = importlib.import_module(module_name)
            for part in qualname.split("."):
                obj = getattr(obj, part)
        except (ImportError, AttributeError):
            continue
        if isinstance(obj, type):
            if (module_name, qualname) == tuple(mro[0]):
                return obj
            # a class defined by the student: a named stand-in deriving from the
            # nearest class the grader knows (so isinstance against it still works)
            return type(mro[0][1].rsplit(".", 1)[-1], (obj,), {"__module__": mro[0][0]})
    return type(mro[0][1].rsplit(".", 1)[-1], (), {"__module__": mro[0][0]})


class RemoteObject:
    """An object that stays in the sandbox (e.g. a model); attributes, calls,
    indexing and ``len`` are forwarded to it."""

    _stays_remote = True  # the codec sends a handle, never a pickle, of these

    def __init__(self, channel: Channel, ref: dict) -> None:
        object.__setattr__(self, "_channel", channel)
        object.__setattr__(self, "_ref", ref)

    def __reduce__(self) -> tuple:
        raise TypeError("remote objects cannot be sent back into the sandbox by value")

    def _decode(self, data: Any) -> Any:
        return decode(data, handle=lambda d: RemoteObject(self._channel, d))

    def __getattr__(self, name: str) -> Any:
        reply = self._channel.request({"op": "getattr", "target": self._ref, "name": name})
        return self._decode(reply["result"])

    def __getitem__(self, key: Any) -> Any:
        reply = self._channel.request({"op": "getitem", "target": self._ref, "key": encode(key)})
        return self._decode(reply["result"])

    def __len__(self) -> int:
        return int(self._channel.request({"op": "len", "target": self._ref})["result"])

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    def __repr__(self) -> str:
        return str(self._channel.request({"op": "repr", "target": self._ref})["result"])

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return call(self._channel, self._ref, args, kwargs)

    def _convert(self, kind: str) -> Any:
        reply = self._channel.request({"op": "convert", "target": self._ref, "kind": kind})
        return decode(reply["result"])

    @property
    def __class__(self) -> type:  # noqa: D105
        """The class of the object in the sandbox, so ``isinstance(obj, keras.Model)``
        and ``obj.__class__.__name__`` work in test cells (``type(obj)`` does not)."""
        reply = self._channel.request({"op": "classinfo", "target": self._ref})
        return _resolve_class(reply["result"])

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        # e.g. a torch tensor returned where an array was expected: numpy converts it
        arr = np.asarray(self._convert("array"))
        return arr if dtype is None else arr.astype(dtype)

    def __float__(self) -> float:
        return float(self._convert("float"))

    def __int__(self) -> int:
        return int(self._convert("int"))

    def __bool__(self) -> bool:
        return bool(self._convert("bool"))

    def __index__(self) -> int:
        return int(self._convert("int"))


class RemoteFunction(RemoteObject):
    """The submission's top-level function ``name``."""

    def __init__(self, channel: Channel, name: str) -> None:
        super().__init__(channel, {"__global__": name})

    def __reduce__(self) -> tuple:
        # Inside a pickled test callable, refer to the sandbox's own definition.
        from autograder.runner import _GlobalRef

        return (_GlobalRef, (self._ref["__global__"],))


def _encode_arg(value: Any) -> Any:
    def handle(obj: Any) -> Any:
        if isinstance(obj, RemoteObject):
            return object.__getattribute__(obj, "_ref")
        # any other object the test built (a loss module, a data loader...) goes by
        # pickle: from the grader into the sandbox is the safe direction
        try:
            return {"__pickle__": _pickle(obj)}
        except Exception as exc:  # noqa: BLE001  (unpicklable: say what could not go)
            raise TypeError(f"cannot send a {type(obj).__name__} to the student's code") from exc

    return encode(value, handle=handle, pickle_callable=_pickle)


def _mirror(original: Any, new: Any) -> None:
    """Make ``original`` (the trusted argument) look like the student's modified copy."""
    if isinstance(original, np.ndarray):
        if isinstance(new, np.ndarray) and new.shape == original.shape:
            original[...] = new
        elif original.dtype.kind in "fc":
            original[...] = np.nan  # reshaped in place: make the change visible
        else:
            original[...] = ~original if original.dtype == bool else original + 1
    elif isinstance(original, dict) and isinstance(new, dict):
        original.clear()
        original.update(new)
    elif isinstance(original, list) and isinstance(new, list):
        original[:] = new


def call(channel: Channel, ref: dict, args: tuple, kwargs: dict) -> Any:
    """Call the sandbox object ``ref`` with trusted arguments; returns a decoded result."""
    reply = channel.request(
        {
            "op": "call",
            "target": ref,
            "errstate": np.geterr(),
            "args": {"__list__": [_encode_arg(a) for a in args]},
            "kwargs": {"__dict__": {k: _encode_arg(v) for k, v in kwargs.items()}},
        }
    )
    inputs: dict[str, Any] = {str(i): a for i, a in enumerate(args)} | dict(kwargs)
    for category, text in reply.get("warnings", []):
        cls = getattr(builtins, category, None) or getattr(np.exceptions, category, None)
        if not (isinstance(cls, type) and issubclass(cls, Warning)):
            cls = UserWarning
        warnings.warn_explicit(text, cls, "<student code>", 0)
    for key, data in reply.get("mutated", {}).items():
        if key in inputs:
            _mirror(inputs[key], decode(data, handle=lambda d: RemoteObject(channel, d)))

    def handle(data: dict) -> Any:
        if "__alias__" in data:
            return inputs[str(data["__alias__"])]
        return RemoteObject(channel, data)

    return decode(reply["result"], handle=handle)
