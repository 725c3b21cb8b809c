"""Grade every submission of an assignment: discover, grade in parallel worker
processes, record in the gradebook from this process only, resume after an
interruption."""

from __future__ import annotations

import hashlib
import json
import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path

import nbformat

from autograder import __version__
from autograder.execute import CellResult, NotebookResult, grade_notebook
from autograder.gradebook import NotebookSpec, Recorder, course_id, db_url, load_specs
from autograder.progress import Progress
from autograder.sandbox import Limits


@dataclass
class StudentResult:
    """One student's result for the assignment."""

    student_id: str
    status: str
    notebooks: list[NotebookResult] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    fingerprint: str = ""
    reused: bool = False

    @property
    def score(self) -> float:
        return sum(nb.score for nb in self.notebooks)

    @property
    def seconds(self) -> float:
        return sum(nb.seconds for nb in self.notebooks)

    @property
    def peak_memory_mb(self) -> float:
        return max((nb.peak_memory_mb for nb in self.notebooks), default=0.0)

    def to_json(self) -> dict:
        data = asdict(self)
        for nb in data["notebooks"]:
            nb.pop("autograded", None)
        return data

    @classmethod
    def from_json(cls, data: dict) -> StudentResult:
        notebooks = []
        for nb in data.pop("notebooks"):
            cells = [CellResult(**c) for c in nb.pop("cells")]
            notebooks.append(NotebookResult(**nb, cells=cells))
        return cls(**data, notebooks=notebooks)


@dataclass(frozen=True)
class Job:
    """Everything a worker needs to grade one student (picklable)."""

    student_id: str
    assignment: str
    folder: Path
    specs: dict[str, NotebookSpec]
    url: str
    limits: Limits
    data_dir: Path
    sandbox: bool


def fingerprint(folder: Path, specs: dict[str, NotebookSpec], limits: Limits) -> str:
    """Changes when the submission, the assignment or the grading settings change."""
    h = hashlib.sha256(__version__.encode())
    h.update(
        json.dumps(
            {n: [asdict(c) for c in s.cells.values()] for n, s in specs.items()}, sort_keys=True
        ).encode()
    )
    h.update(json.dumps(asdict(limits), sort_keys=True).encode())
    if folder.is_dir():
        for f in sorted(folder.rglob("*")):
            if f.is_file():
                h.update(str(f.relative_to(folder)).encode())
                h.update(f.read_bytes())
    return h.hexdigest()


def _find_notebooks(folder: Path, specs: dict[str, NotebookSpec]) -> tuple[dict, list[str]]:
    """Map each expected notebook to a file; a single renamed notebook is accepted."""
    found = sorted(p for p in folder.glob("*.ipynb")) if folder.is_dir() else []
    paths, events = {}, []
    for name in specs:
        exact = folder / f"{name}.ipynb"
        paths[name] = exact if exact.is_file() else None
    if len(specs) == 1 and len(found) == 1 and None in paths.values():
        (name,) = specs
        paths[name] = found[0]
        events.append(f"notebook {found[0].name} graded as {name}.ipynb")
    return paths, events


def grade_job(job: Job) -> StudentResult:
    """Grade one student's notebooks (runs in a worker process)."""
    result = StudentResult(job.student_id, "graded")
    paths, result.events = _find_notebooks(job.folder / job.assignment, job.specs)
    if all(p is None for p in paths.values()):
        result.status = "missing"
        result.events.append(f"no notebook in {job.folder.name}/{job.assignment}/")
        return result
    for name, path in paths.items():
        if path is None:
            result.notebooks.append(
                NotebookResult(name, status="missing", events=[f"{name}.ipynb not submitted"])
            )
            continue
        resources = {
            "nbgrader": {
                "db_url": job.url,
                "assignment": job.assignment,
                "notebook": name,
                "student": job.student_id,
            }
        }
        try:
            nbres = grade_notebook(
                path, job.specs[name], resources, job.limits, job.data_dir, job.sandbox
            )
        except Exception as exc:  # noqa: BLE001  (never let one submission stop the batch)
            nbres = NotebookResult(
                name, status="error", events=[f"grader error: {type(exc).__name__}: {exc}"[:500]]
            )
        result.notebooks.append(nbres)
    statuses = {nb.status for nb in result.notebooks}
    if "graded" not in statuses:
        result.status = (
            "invalid" if "invalid" in statuses else ("error" if "error" in statuses else "missing")
        )
    for nb in result.notebooks:
        result.events += nb.events
    return result


def _write_autograded(root: Path, assignment: str, res: StudentResult) -> None:
    for nb in res.notebooks:
        if nb.autograded is not None:
            folder = root / "autograded" / res.student_id / assignment
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / f"{nb.name}.ipynb"
            if target.exists():
                target.chmod(0o644)
            nbformat.write(nbformat.from_dict(nb.autograded), target)


def _record(
    recorder: Recorder, assignment: str, res: StudentResult, specs: dict[str, NotebookSpec]
) -> None:
    graded = {nb.name: nb for nb in res.notebooks}
    notebooks = {
        name: (
            nbformat.from_dict(graded[name].autograded)
            if name in graded and graded[name].autograded is not None
            else None
        )
        for name in specs
    }
    recorder.record(assignment, res.student_id, notebooks)


def grade_batch(
    root: Path,
    assignment: str,
    submissions: Path,
    out: Path,
    workers: int,
    limits: Limits,
    sandbox: bool = True,
    force: bool = False,
    show_progress: bool = True,
) -> list[StudentResult]:
    """Grade every student folder of ``submissions``; returns one result per student.

    Results are recorded in the gradebook and saved under ``out/state`` as
    they arrive, so an interrupted batch resumes where it stopped; a student
    whose files and assignment are unchanged is not graded again.
    """
    url, cid = db_url(root), course_id(root)
    specs = load_specs(url, assignment, cid)
    state = out / "state"
    state.mkdir(parents=True, exist_ok=True)
    students = (
        sorted(p for p in submissions.iterdir() if p.is_dir()) if submissions.is_dir() else []
    )
    results: dict[str, StudentResult] = {}
    todo: list[Job] = []
    for folder in students:
        fp = fingerprint(folder / assignment, specs, limits)
        saved = state / f"{folder.name}.json"
        if not force and saved.is_file():
            try:
                old = StudentResult.from_json(json.loads(saved.read_text()))
            except (ValueError, TypeError, KeyError):
                old = None
            if old is not None and old.fingerprint == fp:
                old.reused = True
                results[folder.name] = old
                continue
        todo.append(
            Job(
                folder.name,
                assignment,
                folder,
                specs,
                url,
                limits,
                root / "source" / assignment,
                sandbox,
            )
        )
    bar = Progress(len(todo), f"grading {assignment}") if show_progress and todo else None
    fingerprints = {j.student_id: fingerprint(j.folder / assignment, specs, limits) for j in todo}

    def finish(res: StudentResult) -> None:
        res.fingerprint = fingerprints[res.student_id]
        _write_autograded(root, assignment, res)
        try:
            _record(recorder, assignment, res, specs)
        except Exception as exc:  # noqa: BLE001  (report it; the batch goes on)
            res.events.append(f"could not record in the gradebook: {exc}"[:300])
        tmp = state / f".{res.student_id}.json.tmp"
        tmp.write_text(json.dumps(res.to_json(), indent=1))
        os.replace(tmp, state / f"{res.student_id}.json")
        results[res.student_id] = res
        if bar:
            bar.advance(res.student_id)

    recorder = Recorder(url, cid)
    try:
        if workers <= 1:
            for job in todo:
                finish(grade_job(job))
        else:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                futures = {pool.submit(grade_job, job): job for job in todo}
                for future in as_completed(futures):
                    job = futures[future]
                    try:
                        res = future.result()
                    except Exception as exc:  # noqa: BLE001  (a worker died: record an error)
                        res = StudentResult(
                            job.student_id,
                            "error",
                            events=[f"worker failed: {type(exc).__name__}: {exc}"],
                        )
                    finish(res)
    finally:
        recorder.close()
    return [results[f.name] for f in students]
