"""Safe encoding of values crossing the sandbox boundary.

Values travel as JSON; arrays (and torch tensors) as ``.npy`` bytes (base64)
read back with ``allow_pickle=False``. Decoding in the trusted grader never unpickles
anything, so a submission can only send back plain data: numbers, strings,
arrays of numbers, and lists, tuples and dicts of those. Objects of any other
type stay in the sandbox and are referred to by a handle.

Callables created by the trusted test code travel the other way, into the
sandbox, with cloudpickle (``trusted=False`` decoding only).
"""

from __future__ import annotations

import base64
import io
import json
import struct
from collections.abc import Callable
from typing import Any, BinaryIO

import numpy as np

MAX_FRAME = 512 * 2**20  # bytes: a larger message is refused, not read
MAX_DEPTH = 32


class CodecError(ValueError):
    """A value cannot be encoded, or a message is malformed."""


def _array_to_text(arr: np.ndarray) -> str:
    buf = io.BytesIO()
    np.save(buf, arr, allow_pickle=False)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _text_to_array(text: str) -> np.ndarray:
    return np.load(io.BytesIO(base64.b64decode(text)), allow_pickle=False)


def encode(
    value: Any,
    *,
    handle: Callable[[Any], Any] | None = None,
    pickle_callable: Callable[[Any], str] | None = None,
    depth: int = 0,
) -> Any:
    """Turn ``value`` into JSON-compatible data.

    Parameters
    ----------
    value : object
        What to send.
    handle : callable, optional
        Called for objects of any other type; returns their JSON stand-in
        (the sandbox registers them and sends a handle). Without it such
        objects raise ``CodecError``.
    pickle_callable : callable, optional
        Called for callables (trusted side only): returns their pickle as text.
    """
    if depth > MAX_DEPTH:
        raise CodecError("value nested too deeply")
    kw = {"handle": handle, "pickle_callable": pickle_callable, "depth": depth + 1}
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, np.ndarray | np.generic):
        arr = np.asarray(value)
        if arr.dtype.hasobject or arr.dtype.kind not in "biufcSU":
            raise CodecError(f"arrays of dtype {arr.dtype} cannot be sent")
        tag = "__ndarray__" if isinstance(value, np.ndarray) else "__npscalar__"
        return {tag: _array_to_text(arr)}  # np.save keeps 0-d arrays 0-d
    if type(value).__module__.startswith("torch") and hasattr(value, "detach"):
        # torch tensors travel as arrays (a copy: no autograd graph crosses)
        arr = value.detach().cpu().numpy()
        return {"__tensor__": [_array_to_text(arr), bool(value.requires_grad)]}
    if isinstance(value, int):
        return value if abs(value) < 2**53 else {"__int__": str(value)}
    if isinstance(value, float):
        return {"__float__": repr(value)}
    if isinstance(value, tuple | list):
        items = [encode(v, **kw) for v in value]
        return {"__tuple__": items} if isinstance(value, tuple) else {"__list__": items}
    if isinstance(value, dict):
        keys = list(value)
        if all(isinstance(k, str) for k in keys):
            return {"__dict__": {k: encode(v, **kw) for k, v in value.items()}}
        return {"__kvdict__": [[encode(k, **kw), encode(v, **kw)] for k, v in value.items()]}
    if handle is not None and getattr(type(value), "_stays_remote", False):
        return handle(value)
    if pickle_callable is not None and callable(value):
        return {"__pickle__": pickle_callable(value)}
    if handle is not None:
        return handle(value)
    raise CodecError(f"values of type {type(value).__name__} cannot be sent")


def decode(
    data: Any,
    *,
    handle: Callable[[Any], Any] | None = None,
    unpickle: Callable[[str], Any] | None = None,
) -> Any:
    """Inverse of :func:`encode`. ``unpickle`` is only ever given inside the sandbox."""
    kw = {"handle": handle, "unpickle": unpickle}
    if data is None or isinstance(data, bool | int | float | str):
        return data
    if isinstance(data, list):
        raise CodecError("bare lists are not part of the encoding")
    if not isinstance(data, dict) or len(data) != 1:
        raise CodecError("malformed value")
    ((tag, body),) = data.items()
    if tag == "__float__":
        return float(body)
    if tag == "__int__":
        return int(body)
    if tag == "__ndarray__":
        return _text_to_array(body)
    if tag == "__npscalar__":
        return _text_to_array(body)[()]
    if tag == "__tensor__":
        import torch

        tensor = torch.from_numpy(_text_to_array(body[0]).copy())
        return tensor.requires_grad_(bool(body[1]) and tensor.is_floating_point())
    if tag in ("__list__", "__tuple__"):
        items = [decode(v, **kw) for v in body]
        return tuple(items) if tag == "__tuple__" else items
    if tag == "__dict__":
        return {str(k): decode(v, **kw) for k, v in body.items()}
    if tag == "__kvdict__":
        return {decode(k, **kw): decode(v, **kw) for k, v in body}
    if tag == "__pickle__" and unpickle is not None:
        return unpickle(body)
    if handle is not None:
        return handle(data)
    raise CodecError(f"unexpected tag {tag!r}")


def write_frame(stream: BinaryIO, message: dict) -> None:
    """Write one length-prefixed JSON message and flush."""
    payload = json.dumps(message).encode()
    if len(payload) > MAX_FRAME:
        raise CodecError(f"message of {len(payload)} bytes exceeds {MAX_FRAME}")
    stream.write(struct.pack(">I", len(payload)) + payload)
    stream.flush()


def read_frame(stream: BinaryIO) -> dict:
    """Read one message written by :func:`write_frame`; EOFError when the peer is gone."""
    head = stream.read(4)
    if len(head) < 4:
        raise EOFError("peer closed the channel")
    (size,) = struct.unpack(">I", head)
    if size > MAX_FRAME:
        raise CodecError(f"message of {size} bytes exceeds {MAX_FRAME}")
    payload = stream.read(size)
    if len(payload) < size:
        raise EOFError("peer closed the channel mid-message")
    message = json.loads(payload)
    if not isinstance(message, dict):
        raise CodecError("a message must be a JSON object")
    return message
