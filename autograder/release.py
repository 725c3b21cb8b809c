"""Regenerate ``release/`` from ``source/`` with nbgrader's own generate_assignment.

``release/`` is never edited by hand: this module is the only thing that writes
it, and ``tests/test_release.py`` fails when the committed copy drifts from what
it produces.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

__all__ = ["list_assignments", "generate_release", "nbgrader_env"]


def nbgrader_env() -> dict[str, str]:
    """The environment for nbgrader subprocesses: this interpreter's ``bin/`` first
    on ``PATH`` (nbgrader runs the ``alembic`` command it installed there)."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


def list_assignments(root: Path) -> list[str]:
    """Names of the assignments in ``root/source``, sorted (e.g. ``["ps01_neuron"]``).

    Parameters
    ----------
    root : Path
        The course root, the folder holding ``nbgrader_config.py``.

    Returns
    -------
    list of str
        Every folder of ``source/`` that holds at least one notebook.
    """
    source = Path(root) / "source"
    if not source.is_dir():
        raise FileNotFoundError(f"no source/ folder in the course root {root}")
    return sorted(p.name for p in source.iterdir() if p.is_dir() and any(p.glob("*.ipynb")))


def generate_release(root: Path, assignments: list[str] | None = None) -> list[Path]:
    """Run ``nbgrader generate_assignment --force`` for each assignment.

    The gradebook of ``root`` is updated with each assignment's graded cells,
    as nbgrader does. Release folders whose source has gone are removed.

    Parameters
    ----------
    root : Path
        The course root (where ``nbgrader_config.py`` lives).
    assignments : list of str, optional
        Which assignments to generate; all of ``source/`` by default.

    Returns
    -------
    list of Path
        The release folders written.
    """
    root = Path(root).resolve()
    if not (root / "nbgrader_config.py").is_file():
        raise FileNotFoundError(f"{root} is not a course root: it has no nbgrader_config.py")
    known = list_assignments(root)
    wanted = known if assignments is None else assignments
    unknown = sorted(set(wanted) - set(known))
    if unknown:
        raise ValueError(f"unknown assignment(s) {unknown}; source/ holds {known}")
    if assignments is None:
        for stale in (root / "release").glob("*"):
            if stale.is_dir() and stale.name not in known:
                shutil.rmtree(stale)
    written = []
    for name in wanted:
        proc = subprocess.run(
            [sys.executable, "-m", "nbgrader", "generate_assignment", name, "--force"],
            cwd=root,
            env=nbgrader_env(),
            capture_output=True,
            text=True,
        )
        if proc.returncode != 0:
            raise RuntimeError(
                f"nbgrader generate_assignment {name} failed:\n{proc.stdout}\n{proc.stderr}"
            )
        written.append(root / "release" / name)
    return written
