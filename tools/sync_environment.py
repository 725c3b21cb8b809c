"""Write environment.yml (what Binder builds) from pyproject.toml's runtime pins.

Binder copies environment.yml before the rest of the repository, so the file
lists every pip package itself; this script is the only thing that writes it,
and tests/test_environment.py fails when it drifts from pyproject.toml.

Usage: ``python tools/sync_environment.py [--check]``.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Binder has no local CPU wheel: pip takes torch from PyTorch's CPU index, so no
# CUDA packages are installed (the +cpu build is a few hundred MB, not GBs).
TORCH_CPU_INDEX = "https://download.pytorch.org/whl/cpu"


def render(pyproject: Path = ROOT / "pyproject.toml") -> str:
    """The text of environment.yml for the runtime dependencies of ``pyproject``."""
    project = tomllib.loads(pyproject.read_text())["project"]
    python = project["requires-python"].split(",")[0].removeprefix(">=")
    pins = []
    for dep in project["dependencies"]:
        name, _, version = dep.partition("==")
        if not version:
            raise ValueError(f"runtime dependency {dep!r} must be pinned with ==")
        pins.append(f"{name}=={version}+cpu" if name == "torch" else dep)
    lines = [
        "# Generated from pyproject.toml by tools/sync_environment.py: do not edit by hand.",
        "# Binder builds this environment: CPU-only torch, no CUDA packages.",
        "name: dlcourse",
        "channels:",
        "  - conda-forge",
        "dependencies:",
        f"  - python={python}",
        "  - pip",
        "  - pip:",
        f"      - --extra-index-url {TORCH_CPU_INDEX}",
        *[f"      - {pin}" for pin in pins],
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    target = ROOT / "environment.yml"
    text = render()
    if "--check" in argv:
        if not target.is_file() or target.read_text() != text:
            print("environment.yml is out of date: run `make env-file`", file=sys.stderr)
            return 1
        return 0
    target.write_text(text)
    print(f"wrote {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
