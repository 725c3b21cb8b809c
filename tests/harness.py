"""Build submissions from release notebooks and grade them, in process or with nbgrader.

The in-process runner executes the *source* test cells (visible and hidden
tests) against a submission's code and reports which graded cells fail: it is
fast, so every variant of tests/variants is checked on every run. The nbgrader
runner grades real submission notebooks in a temporary course, as an
instructor would.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
SOLUTION_MARKERS = re.compile(r"^\s*### (BEGIN|END) SOLUTION\s*$\n?", re.M)


def variant_assignments() -> list[str]:
    """Assignments of source/ that have a module of variants in tests/variants."""
    return sorted(
        p.name
        for p in (ROOT / "source").iterdir()
        if (ROOT / "tests" / "variants" / f"{p.name}.py").is_file()
    )


def nbgrader_meta(cell: nbformat.NotebookNode) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def load(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def source_notebook(assignment: str) -> nbformat.NotebookNode:
    return load(ROOT / "source" / assignment / f"{assignment}.ipynb")


def release_notebook(assignment: str) -> nbformat.NotebookNode:
    return load(ROOT / "release" / assignment / f"{assignment}.ipynb")


def reference_cells(assignment: str) -> dict[str, str]:
    """The reference solution of every solution code cell, markers removed."""
    return {
        nbgrader_meta(c)["grade_id"]: SOLUTION_MARKERS.sub("", c.source)
        for c in source_notebook(assignment).cells
        if c.cell_type == "code" and nbgrader_meta(c).get("solution")
    }


def graded_cells(assignment: str) -> dict[str, float]:
    """Points of every autograded test cell, by grade_id."""
    return {
        nbgrader_meta(c)["grade_id"]: float(nbgrader_meta(c)["points"])
        for c in source_notebook(assignment).cells
        if c.cell_type == "code" and nbgrader_meta(c).get("grade")
    }


def solution_code(assignment: str, cells: dict[str, str]) -> dict[str, str]:
    """Code of every solution cell: ``cells`` where given, else the reference."""
    reference = reference_cells(assignment)
    unknown = set(cells) - set(reference)
    if unknown:
        raise KeyError(f"{assignment} has no solution cells {sorted(unknown)}")
    return {**reference, **cells}


def build_submission(assignment: str, cells: dict[str, str]) -> nbformat.NotebookNode:
    """The release notebook with its solution cells filled: ``cells`` first, the
    reference solution for the others."""
    code = solution_code(assignment, cells)
    nb = release_notebook(assignment)
    for cell in nb.cells:
        meta = nbgrader_meta(cell)
        if cell.cell_type == "code" and meta.get("solution"):
            cell.source = code[meta["grade_id"]]
    return nb


def failing_cells_in_process(assignment: str, cells: dict[str, str]) -> set[str]:
    """Run setup, solution and source test cells (hidden tests included) in one
    namespace and return the grade_ids of the graded cells that raise."""
    code = solution_code(assignment, cells)
    namespace: dict = {"__name__": "__main__"}
    failing: set[str] = set()
    for cell in source_notebook(assignment).cells:
        if cell.cell_type != "code":
            continue
        meta = nbgrader_meta(cell)
        src = code[meta["grade_id"]] if meta.get("solution") else cell.source
        if src.lstrip().startswith("%"):
            continue
        try:
            exec(compile(src, f"<{meta.get('grade_id', 'cell')}>", "exec"), namespace)
        except Exception:
            if meta.get("grade"):
                failing.add(meta["grade_id"])
            elif not meta.get("solution"):
                raise
    return failing


def make_course(tmp: Path, assignments: list[str]) -> Path:
    """A temporary course: nbgrader_config.py, source/ and a gradebook built by
    ``python -m autograder release`` (release/ is regenerated there too)."""
    course = tmp / "course"
    course.mkdir()
    shutil.copy(ROOT / "nbgrader_config.py", course)
    for name in assignments:
        shutil.copytree(ROOT / "source" / name, course / "source" / name)
    run = subprocess.run(
        [sys.executable, "-m", "autograder", "release", "--root", str(course), *assignments],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    return course


def autograde(
    course: Path, assignment: str, submissions: dict[str, nbformat.NotebookNode]
) -> dict[str, dict[str, float]]:
    """Write each student's notebook under submitted/, run ``nbgrader autograde``
    once for all of them, and read every graded cell's score from the gradebook."""
    from autograder.release import nbgrader_env

    for student, nb in submissions.items():
        folder = course / "submitted" / student / assignment
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / f"{assignment}.ipynb")
    run = subprocess.run(
        [sys.executable, "-m", "nbgrader", "autograde", assignment, "--force"],
        cwd=course,
        env=nbgrader_env(),
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    from nbgrader.api import Gradebook

    scores: dict[str, dict[str, float]] = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "dlcourse") as gb:
        for student in submissions:
            nb = gb.find_submission_notebook(assignment, assignment, student)
            scores[student] = {g.name: float(g.score) for g in nb.grades if g.cell_type == "code"}
    return scores
