"""The course's nbgrader gradebook: what an assignment contains, keeping it in
step with source/, and recording grades (one writer: the batch's parent process)."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import NbGraderPreprocessor, SaveAutoGrades
from sqlalchemy import text
from traitlets.config import Config, PyFileConfigLoader

from autograder.release import generate_release


@dataclass(frozen=True)
class CellSpec:
    """A cell nbgrader knows from source/ (never taken from a student's file)."""

    name: str
    cell_type: str
    source: str
    locked: bool
    points: float | None  # max points for grade cells, None otherwise
    solution: bool


@dataclass
class NotebookSpec:
    """The cells of one notebook of an assignment, from the gradebook."""

    name: str
    cells: dict[str, CellSpec] = field(default_factory=dict)

    @property
    def graded(self) -> dict[str, float]:
        """Max points of every grade cell (tests and written answers), by grade_id."""
        return {n: c.points for n, c in self.cells.items() if c.points is not None}

    @property
    def function_names(self) -> list[str]:
        """Names the solution cells define at top level (the graded functions)."""
        names: list[str] = []
        for cell in self.cells.values():
            if cell.solution and cell.cell_type == "code":
                try:
                    tree = ast.parse(cell.source)
                except SyntaxError:
                    continue
                names += [
                    node.name
                    for node in tree.body
                    if isinstance(node, ast.FunctionDef | ast.ClassDef)
                ]
        return names


def course_config(root: Path) -> Config:
    """The configuration of ``root/nbgrader_config.py``, with the root set."""
    loader = PyFileConfigLoader("nbgrader_config.py", path=str(root))
    config = loader.load_config()
    config.CourseDirectory.root = str(root)
    return config


def db_url(root: Path) -> str:
    """The gradebook URL nbgrader uses for the course at ``root``."""
    return CourseDirectory(config=course_config(root)).db_url


def course_id(root: Path) -> str:
    return CourseDirectory(config=course_config(root)).course_id


def load_specs(url: str, assignment: str, cid: str = "") -> dict[str, NotebookSpec]:
    """Every notebook of ``assignment`` with its source and grade cells."""
    specs = {}
    with Gradebook(url, cid) as gb:
        for nb in gb.find_assignment(assignment).notebooks:
            spec = NotebookSpec(nb.name)
            points = {g.name: float(g.max_score) for g in nb.grade_cells}
            solutions = {s.name for s in nb.solution_cells}
            for cell in nb.source_cells:
                spec.cells[cell.name] = CellSpec(
                    cell.name,
                    cell.cell_type,
                    cell.source,
                    bool(cell.locked),
                    points.get(cell.name),
                    cell.name in solutions,
                )
            specs[nb.name] = spec
    return specs


def _source_fingerprint(root: Path, assignment: str) -> dict[str, dict[str, tuple]]:
    """What the gradebook must hold for the source notebooks: per notebook, each
    graded or locked cell's (points, source of test cells)."""
    out = {}
    for path in sorted((root / "source" / assignment).glob("*.ipynb")):
        cells = {}
        for cell in nbformat.read(path, as_version=4).cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("grade") or meta.get("locked"):
                points = float(meta["points"]) if meta.get("grade") else None
                src = cell.source if not meta.get("solution") else None
                cells[meta["grade_id"]] = (points, src)
        out[path.stem] = cells
    return out


def gradebook_is_current(root: Path, assignment: str) -> bool:
    """True when the gradebook holds ``assignment`` exactly as source/ defines it."""
    try:
        specs = load_specs(db_url(root), assignment, course_id(root))
    except MissingEntry:
        return False
    want = _source_fingerprint(root, assignment)
    if set(want) != set(specs):
        return False
    for name, cells in want.items():
        have = specs[name].cells
        for grade_id, (points, src) in cells.items():
            if grade_id not in have or have[grade_id].points != points:
                return False
            if src is not None and have[grade_id].source != src:
                return False
    return True


def ensure_gradebook(root: Path, assignment: str) -> bool:
    """Create or update the gradebook from source/ when needed; True if it regenerated."""
    if not (root / "source" / assignment).is_dir():
        raise FileNotFoundError(f"no assignment {assignment!r} in {root / 'source'}")
    if gradebook_is_current(root, assignment):
        return False
    generate_release(root, [assignment])
    return True


class _SaveAutoGrades(SaveAutoGrades):
    """nbgrader's SaveAutoGrades (its scoring and comments), on a gradebook the
    batch keeps open instead of one connection per notebook."""

    def __init__(self, gradebook: Gradebook, **kwargs) -> None:
        super().__init__(**kwargs)
        self._open_gradebook = gradebook

    def preprocess(self, nb: nbformat.NotebookNode, resources: dict):
        self.notebook_id = resources["nbgrader"]["notebook"]
        self.assignment_id = resources["nbgrader"]["assignment"]
        self.student_id = resources["nbgrader"]["student"]
        self.gradebook = self._open_gradebook
        return NbGraderPreprocessor.preprocess(self, nb, resources)


class Recorder:
    """Records students' autograded notebooks; the one writer of the gradebook.

    For an SQLite gradebook, commits skip the disk flush (``synchronous=OFF``):
    a batch interrupted by a crash is regraded for the students whose state
    file is missing, so nothing is lost but time.
    """

    def __init__(self, url: str, cid: str) -> None:
        self.gb = Gradebook(url, cid)
        if url.startswith("sqlite"):
            self.gb.db.execute(text("PRAGMA synchronous=OFF"))

    def record(
        self, assignment: str, student: str, notebooks: dict[str, nbformat.NotebookNode | None]
    ) -> None:
        """Record one student's notebooks; a notebook given as None (missing or
        unreadable) scores 0 on every autograded cell, as ``nbgrader autograde`` does."""
        gb = self.gb
        gb.update_or_create_student(student)
        gb.update_or_create_submission(assignment, student)
        for name, nb in notebooks.items():
            if nb is None:
                submission = gb.find_submission_notebook(name, assignment, student)
                for grade in submission.grades:
                    grade.auto_score = 0
                    grade.needs_manual_grade = False
                gb.db.commit()
            else:
                resources = {
                    "nbgrader": {"notebook": name, "assignment": assignment, "student": student}
                }
                _SaveAutoGrades(gb).preprocess(nb, resources)

    def close(self) -> None:
        self.gb.close()
