"""Grading throughput: 20 correct ps01 submissions, plain nbgrader vs the sandboxed autograder."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENT = "ps01_neuron"
STUDENTS = 20


def _course(tmp: Path) -> Path:
    sys.path.insert(0, str(ROOT / "tests"))
    from harness import build_submission, make_course

    course = make_course(tmp, [ASSIGNMENT])
    nb = build_submission(ASSIGNMENT, {})
    for i in range(STUDENTS):
        folder = course / "submitted" / f"student{i:02d}" / ASSIGNMENT
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / f"{ASSIGNMENT}.ipynb")
    return course


def _time(cmd: list[str], cwd: Path) -> float:
    from autograder.release import nbgrader_env

    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=nbgrader_env(), capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{cmd} failed:\n{proc.stderr[-2000:]}")
    return seconds


def run() -> list[dict]:
    tmp = Path(tempfile.mkdtemp(prefix="bench-grading-"))
    try:
        course = _course(tmp)
        plain = _time([sys.executable, "-m", "nbgrader", "autograde", ASSIGNMENT, "--force"],
                      course)
        ours = _time([sys.executable, "-m", "autograder", "grade", ASSIGNMENT, "--force",
                      "--workers", "2"], course)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return [
        {"name": f"plain nbgrader autograde, {STUDENTS} submissions", "value": plain,
         "unit": "s"},
        {"name": f"python -m autograder grade (sandbox, 2 workers), {STUDENTS}", "value": ours,
         "unit": "s"},
        {"name": "autograder time / nbgrader time (target <= 0.25)", "value": ours / plain,
         "unit": "x", "budget": 0.25},
        {"name": "speed-up over plain nbgrader", "value": plain / ours, "unit": "x"},
    ]
