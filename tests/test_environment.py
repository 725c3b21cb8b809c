"""The two install routes agree: environment.yml (Binder) is generated from
pyproject.toml (the Makefile's pip route), pins every runtime package, keeps
torch on the CPU, and the project's .venv holds exactly the pinned versions."""

from __future__ import annotations

import sys
import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from sync_environment import render  # noqa: E402

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
RUNTIME = [d.partition("==") for d in PROJECT["dependencies"]]
DEV = [d.partition("==") for d in PROJECT["optional-dependencies"]["dev"]]


def test_environment_yml_is_generated_from_pyproject() -> None:
    assert (ROOT / "environment.yml").read_text() == render(), (
        "environment.yml drifted from pyproject.toml: run `make env-file`"
    )


def test_environment_yml_lists_every_runtime_pin_and_no_cuda() -> None:
    lines = [ln.strip() for ln in (ROOT / "environment.yml").read_text().splitlines()]
    entries = {ln.removeprefix("- ") for ln in lines if ln.startswith("- ")}
    for name, _, pin in RUNTIME:
        assert f"{name}=={pin}+cpu" in entries if name == "torch" else f"{name}=={pin}" in entries
    gpu = [e for e in entries if any(w in e.lower() for w in ("nvidia", "cuda", "tensorflow=="))]
    assert not gpu, f"environment.yml asks for GPU packages: {gpu}"


@pytest.mark.parametrize(("name", "pin"), [(n, p) for n, _, p in RUNTIME + DEV])
def test_installed_version_matches_pin(name: str, pin: str) -> None:
    assert pin, f"{name} is not pinned with =="
    installed = version(name)
    assert installed.split("+")[0] == pin, f"{name}: installed {installed}, pinned {pin}"


def test_torch_is_the_cpu_build() -> None:
    import torch

    assert torch.version.cuda is None, "a CUDA build of torch is installed"
