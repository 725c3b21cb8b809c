"""The values crossing the sandbox boundary survive the trip exactly, and the
trusted side never unpickles anything the sandbox sends."""

from __future__ import annotations

import io
import pickle
import struct

import numpy as np
import pytest

from autograder.codec import CodecError, decode, encode, read_frame, write_frame

VALUES = [
    None,
    True,
    0,
    -7,
    2**70,
    1.5,
    float("nan"),
    float("-inf"),
    "text",
    "",
    np.float64(2.5),
    np.int32(-3),
    np.bool_(True),
    np.array(3.0),
    np.zeros((0, 3)),
    np.arange(6.0).reshape(2, 3),
    np.array([[1, 2], [3, 4]], dtype=np.int8).T,  # not C-contiguous
    np.array([True, False]),
    np.array(["a", "bc"]),
    np.array([1 + 2j]),
    (1, [2.0, {"k": np.ones(2)}]),
    {"W1": np.eye(2), "b1": np.zeros(2)},
    {1: "int key"},
]


def same(a: object, b: object) -> bool:
    if isinstance(a, np.ndarray | np.generic):
        return (
            type(a) is type(b)
            and np.shape(a) == np.shape(b)
            and a.dtype == b.dtype
            and np.array_equal(a, b, equal_nan=a.dtype.kind in "fc")
        )
    if isinstance(a, float):
        return isinstance(b, float) and (a == b or (a != a and b != b))
    if isinstance(a, list | tuple):
        return type(a) is type(b) and len(a) == len(b) and all(map(same, a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_round_trip_is_exact(value: object) -> None:
    assert same(decode(encode(value)), value)


@pytest.mark.parametrize("value", [np.array([object()]), object(), lambda: 1])
def test_other_objects_are_refused(value: object) -> None:
    with pytest.raises(CodecError):
        encode(value)


def test_torch_tensors_travel_as_tensors() -> None:
    import torch

    t = torch.arange(6.0).reshape(2, 3).requires_grad_()
    back = decode(encode({"w": t, "i": torch.tensor([1, 2])}))
    assert torch.equal(back["w"], t.detach()) and back["w"].requires_grad
    assert back["i"].dtype == torch.int64 and not back["i"].requires_grad


def test_trusted_decoding_never_unpickles() -> None:
    evil = {"__pickle__": pickle.dumps(print).hex()}
    with pytest.raises(CodecError):
        decode(evil)
    with pytest.raises(CodecError):
        decode({"__ndarray__": "not base64 of an npy file"} | {"extra": 1})


def test_object_arrays_in_npy_payloads_are_refused() -> None:
    buf = io.BytesIO()
    np.save(buf, np.array([{"a": 1}], dtype=object), allow_pickle=True)
    import base64

    with pytest.raises(ValueError):
        decode({"__ndarray__": base64.b64encode(buf.getvalue()).decode()})


def test_frames_round_trip_and_oversize_is_refused() -> None:
    buf = io.BytesIO()
    write_frame(buf, {"op": "exec", "source": "x = 1"})
    buf.seek(0)
    assert read_frame(buf) == {"op": "exec", "source": "x = 1"}
    with pytest.raises(CodecError):
        read_frame(io.BytesIO(struct.pack(">I", 2**31)))
    with pytest.raises(EOFError):
        read_frame(io.BytesIO(b"\x00\x00"))
