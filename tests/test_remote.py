"""Test cells run in the grader and reach the student's objects in the sandbox:
results, modified arguments, aliasing, classes and tensors behave as in process."""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import numpy as np
import pytest

from autograder.remote import Channel, RemoteFunction
from autograder.sandbox import Limits
from autograder.session import Session

pytestmark = [
    pytest.mark.skipif(shutil.which("bwrap") is None, reason="needs bubblewrap"),
    pytest.mark.xdist_group("autograder"),
]

STUDENT = """
import numpy as np
import torch

def scale_in_place(x):
    x *= 2
    return x

def copy_and_add(d):
    out = dict(d)
    out["new"] = np.ones(2)
    d["seen"] = True
    return out

def sort_in_place(values, options):
    values.sort()
    options["lr"] = 0.5
    return None

def overflow(z):
    return np.exp(z)

class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = torch.nn.Linear(4, 3)

    def forward(self, x):
        return torch.relu(self.hidden(x))

def build():
    torch.manual_seed(0)
    return Net()

def boom():
    raise ValueError("bad shape: expected (n, 4)")
"""


@pytest.fixture(scope="module")
def channel(tmp_path_factory: pytest.TempPathFactory):
    ch = Channel()
    ch.deadline_s = 60
    ch.session = Session(Path(tmp_path_factory.mktemp("remote")), Limits(cell_timeout=60))
    ch.session.wait_ready()
    ch.request({"op": "exec", "source": STUDENT})
    yield ch
    ch.session.close()


def test_in_place_changes_and_aliasing_reach_the_grader(channel: Channel) -> None:
    x = np.arange(3.0)
    out = RemoteFunction(channel, "scale_in_place")(x)
    assert out is x and np.array_equal(x, [0.0, 2.0, 4.0])
    d = {"a": np.zeros(1)}
    new = RemoteFunction(channel, "copy_and_add")(d)
    assert new is not d and d["seen"] is True and "new" in new and "new" not in d


def test_in_place_changes_to_plain_numbers_reach_the_grader(channel: Channel) -> None:
    values, options = [3.0, 1.0, 2], {"lr": 0.1, "name": "sgd"}
    RemoteFunction(channel, "sort_in_place")(values, options)
    assert values == [1.0, 2, 3.0] and options == {"lr": 0.5, "name": "sgd"}
    untouched = [1, 2.5, "a", None]
    RemoteFunction(channel, "copy_and_add")({"a": untouched})
    assert untouched == [1, 2.5, "a", None]


def test_objects_keep_their_class(channel: Channel) -> None:
    import torch

    net = RemoteFunction(channel, "build")()
    assert isinstance(net, torch.nn.Module) and net.__class__.__name__ == "Net"
    assert isinstance(net.hidden, torch.nn.Linear) and net.hidden.out_features == 3
    assert tuple(net.hidden.weight.shape) == (3, 4)
    out = net(torch.ones(2, 4))
    assert isinstance(out, torch.Tensor) and tuple(out.shape) == (2, 3)
    assert (out >= 0).all()


def test_errors_and_warnings_cross_over(channel: Channel) -> None:
    with pytest.raises(ValueError, match="expected \\(n, 4\\)"):
        RemoteFunction(channel, "boom")()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        RemoteFunction(channel, "overflow")(np.array([1000.0]))
    assert any(issubclass(w.category, RuntimeWarning) for w in caught)
    with np.errstate(over="raise"), pytest.raises(FloatingPointError):
        RemoteFunction(channel, "overflow")(np.array([1000.0]))


def test_objects_go_back_and_trusted_objects_go_in(channel: Channel) -> None:
    import torch

    channel.request(
        {
            "op": "exec",
            "source": ("def loss_of(net, loss_fn, x, y):\n    return float(loss_fn(net(x), y))"),
        }
    )
    net = RemoteFunction(channel, "build")()
    x, y = torch.ones(5, 4), torch.zeros(5, dtype=torch.long)
    loss = RemoteFunction(channel, "loss_of")(net, torch.nn.CrossEntropyLoss(), x, y)
    assert isinstance(loss, float) and loss > 0


def test_trusted_callables_run_in_the_sandbox(channel: Channel) -> None:
    apply = RemoteFunction(channel, "copy_and_add")
    assert set(apply({"f": np.zeros(1)})) == {"f", "new"}
    channel.request({"op": "exec", "source": "def call_it(f, v):\n    return f(v)"})
    assert RemoteFunction(channel, "call_it")(lambda v: v * 3, 7) == 21
