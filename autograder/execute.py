"""Grade one submitted notebook: sanitize it with nbgrader, run the student's
cells in the sandbox and the test cells in the trusted grader, and build the
autograded notebook nbgrader scores."""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbgrader.preprocessors import (
    CheckCellMetadata,
    ClearOutput,
    DeduplicateIds,
    OverwriteCells,
    OverwriteKernelspec,
)
from nbgrader.utils import compute_checksum

from autograder.gradebook import NotebookSpec
from autograder.remote import Channel, RemoteFunction
from autograder.sandbox import Limits
from autograder.session import SandboxDied, Session

MAGIC = re.compile(r"^(\s*)([%!].*)$", re.M)
MAX_RESTARTS = 3


@dataclass
class CellResult:
    """The outcome of one graded cell."""

    grade_id: str
    kind: str  # "test" or "written"
    max_points: float
    passed: bool | None = None  # None for written answers (graded by hand)
    message: str = ""


@dataclass
class NotebookResult:
    """Everything the batch needs to record and report one notebook."""

    name: str
    status: str = "graded"  # graded | invalid | missing | error
    cells: list[CellResult] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    seconds: float = 0.0
    peak_memory_mb: float = 0.0
    autograded: dict | None = None  # the notebook nbgrader scores, as JSON

    @property
    def score(self) -> float:
        return sum(c.max_points for c in self.cells if c.kind == "test" and c.passed)


def read_submission(path: Path) -> nbformat.NotebookNode:
    """Read and validate a notebook; ValueError with the reason when it cannot be used."""
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as exc:  # noqa: BLE001  (any parse failure makes it invalid)
        raise ValueError(f"not a readable notebook ({type(exc).__name__}: {exc})"[:300]) from exc
    if not isinstance(nb.get("cells"), list):
        raise ValueError("not a notebook: it has no list of cells")
    return nb


def sanitize(nb: nbformat.NotebookNode, resources: dict) -> nbformat.NotebookNode:
    """nbgrader's own sanitizing pipeline: clear outputs, deduplicate ids,
    restore the kernelspec, locked and test cells (adding back deleted ones),
    check the metadata."""
    nb, resources = ClearOutput().preprocess(nb, resources)
    nb, resources = DeduplicateIds().preprocess(nb, resources)
    for cell in nb.cells:  # a duplicate keeps an empty nbgrader dict: it is a plain cell now
        if cell.get("metadata", {}).get("nbgrader") == {}:
            del cell.metadata["nbgrader"]
    overwrite = OverwriteCells()
    overwrite.add_missing_cells = True
    for pre in (OverwriteKernelspec(), overwrite, CheckCellMetadata()):
        nb, resources = pre.preprocess(nb, resources)
    return nbformat.from_dict(nb)  # cells nbgrader added back are plain dicts


def rebuild(
    nb: nbformat.NotebookNode, spec: NotebookSpec, source: Path | None
) -> nbformat.NotebookNode:
    """A gradable notebook from one whose nbgrader metadata is lost (e.g. the code was
    pasted into a new notebook): the setup cells, then every cell of the student's
    as plain code, then the test and written-answer cells from the gradebook.

    The order of the gradebook's cells is taken from the source notebook.
    """
    order = list(spec.cells)
    if source is not None and source.is_file():
        ids = [
            c.metadata.get("nbgrader", {}).get("grade_id")
            for c in nbformat.read(source, as_version=4).cells
        ]
        order = [g for g in ids if g in spec.cells] + [g for g in order if g not in ids]

    def from_spec(gid: str) -> nbformat.NotebookNode:
        c = spec.cells[gid]
        meta = {
            "nbgrader": {
                "grade_id": gid,
                "grade": c.points is not None,
                "solution": c.solution,
                "locked": c.locked,
                "schema_version": 3,
                "cell_type": c.cell_type,
            }
        }
        if c.points is not None:
            meta["nbgrader"]["points"] = c.points
        make = nbformat.v4.new_code_cell if c.cell_type == "code" else nbformat.v4.new_markdown_cell
        return make(c.source, metadata=meta)

    setup = [
        from_spec(g)
        for g in order
        if spec.cells[g].locked
        and spec.cells[g].points is None
        and not spec.cells[g].solution
        and spec.cells[g].cell_type == "code"
    ]
    student = [
        nbformat.v4.new_code_cell(c.get("source", ""))
        for c in nb.cells
        if c.get("cell_type") == "code"
    ]
    graded = [from_spec(g) for g in order if spec.cells[g].points is not None]
    return nbformat.v4.new_notebook(cells=setup + student + graded, metadata=nb.metadata)


def tampered_cells(nb: nbformat.NotebookNode, spec: NotebookSpec) -> list[str]:
    """Locked or test cells whose source or points the student changed (before sanitizing)."""
    seen, events = set(), []
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        gid = meta.get("grade_id")
        if not isinstance(gid, str) or gid not in spec.cells or gid in seen:
            if isinstance(gid, str) and gid in seen:
                events.append(f"cell {gid} duplicated")
            continue
        seen.add(gid)
        want = spec.cells[gid]
        if want.locked and not want.solution and meta.get("checksum"):
            # nbgrader's checksum covers source and points: recompute it with the
            # true points, so only an edited source shows up here.
            probe = nbformat.from_dict(json.loads(json.dumps(cell)))
            if want.points is not None:
                probe.metadata.nbgrader["points"] = want.points
            if compute_checksum(probe) != meta["checksum"]:
                events.append(f"locked cell {gid} edited")
        if want.points is not None and meta.get("points") not in (None, want.points):
            events.append(f"points of {gid} changed to {meta.get('points')}")
        if want.points is not None and not meta.get("grade"):
            events.append(f"grade flag of {gid} removed")
    missing = [g for g, c in spec.cells.items() if c.points is not None and g not in seen]
    events += [f"cell {g} deleted (restored)" for g in missing]
    return events


def _role(cell: nbformat.NotebookNode, spec: NotebookSpec) -> str:
    gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
    known = spec.cells.get(gid) if isinstance(gid, str) else None
    if known is None:
        return "student" if cell.cell_type == "code" else "text"
    if known.points is not None and not known.solution and cell.cell_type == "code":
        return "test"
    if known.points is not None and known.solution and cell.cell_type == "markdown":
        return "written"
    if known.locked and not known.solution and cell.cell_type == "code":
        return "setup"
    return "student" if cell.cell_type == "code" else "text"


def _stream(name: str, text: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_output("stream", name=name, text=text)


def _error_output(ename: str, evalue: str, traceback: list[str] | None = None):
    return nbformat.v4.new_output(
        "error", ename=ename, evalue=evalue, traceback=traceback or [f"{ename}: {evalue}"]
    )


class Grader:
    """Runs one notebook: the sandbox session, its restarts, the trusted namespace."""

    def __init__(self, spec: NotebookSpec, scratch: Path, limits: Limits, sandbox: bool) -> None:
        self.spec, self.scratch, self.limits, self.sandbox = spec, scratch, limits, sandbox
        self.channel = Channel()
        self.channel.deadline_s = limits.cell_timeout
        self.replay: list[str] = []  # sources of the cells that ran, to rebuild after a crash
        self.restarts = 0
        self.events: list[str] = []
        self.peak_mb = 0.0
        self.trusted: dict = {"__name__": "__main__"}
        for name in spec.function_names:
            self.trusted[name] = RemoteFunction(self.channel, name)

    def spawn(self) -> None:
        """Start a sandbox (closing the previous one); it boots while we carry on."""
        session = self.channel.session
        if session is not None:
            self.peak_mb = max(self.peak_mb, session.peak_rss_mb)
            session.close()
        self.channel.session = Session(self.scratch, self.limits, self.sandbox)

    def start(self) -> None:
        self.spawn()
        self.channel.session.wait_ready()

    def restart(self, reason: str) -> bool:
        """Start a fresh sandbox and replay the cells that ran; False once out of restarts."""
        self.events.append(reason)
        while self.restarts < MAX_RESTARTS:
            self.restarts += 1
            try:
                self.start()
                for source in self.replay:
                    self.channel.request({"op": "exec", "source": source})
                return True
            except SandboxDied as died:
                self.events.append(f"{died.reason} (while replaying)")
            except Exception:  # noqa: BLE001  (a replayed cell now fails: keep going)
                continue
        return False

    def close(self) -> None:
        if self.channel.session is not None:
            self.peak_mb = max(self.peak_mb, self.channel.session.peak_rss_mb)
            self.channel.session.close()

    def run_student(self, cell: nbformat.NotebookNode) -> None:
        """Run a student (or setup) cell in the sandbox; record its outputs."""
        self.channel.output = []
        try:
            self.channel.request({"op": "exec", "source": cell.source})
            self.replay.append(cell.source)
        except SandboxDied as died:
            cell.outputs.append(_error_output("GraderError", died.reason))
            if not self.restart(f"{died.reason} in a cell of the student's"):
                raise
        except Exception as exc:  # noqa: BLE001  (the student's error, shown to them)
            tb = getattr(exc, "remote_traceback", None)
            cell.outputs.append(_error_output(type(exc).__name__, str(exc), tb))
            self.replay.append(cell.source)  # nbgrader keeps going after an error, so do we
        cell.outputs[:0] = [_stream(n, t) for n, t in self.channel.output]

    def run_test(self, cell: nbformat.NotebookNode, result: CellResult) -> None:
        """Run a test cell in the trusted namespace; RPC calls reach the sandbox."""
        self.channel.output = []
        printed = io.StringIO()
        source = MAGIC.sub(r"\1# \2", self.spec.cells[result.grade_id].source)
        try:
            with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
                exec(compile(source, f"<test {result.grade_id}>", "exec"), self.trusted)
            result.passed = True
        except SandboxDied as died:
            result.passed, result.message = False, f"GraderError: {died.reason}"
            if not self.restart(f"{died.reason} during {result.grade_id}"):
                raise
        except Exception as exc:  # noqa: BLE001  (a failed check)
            result.passed = False
            message = str(exc) or "a check failed (no message)"
            result.message = f"{type(exc).__name__}: {message}"[:2000]
        # The student's prints (stderr included) are shown as stdout: nbgrader would
        # otherwise give 0 to a test cell with any stderr output, such as a warning.
        texts = [t if n == "stdout" else f"[stderr] {t}" for n, t in self.channel.output]
        if printed.getvalue():
            texts.append(printed.getvalue())
        if texts:
            cell.outputs.append(_stream("stdout", "".join(texts)))
        if not result.passed:
            ename, _, evalue = result.message.partition(": ")
            cell.outputs.append(_error_output(ename, evalue))


def grade_notebook(
    path: Path,
    spec: NotebookSpec,
    resources: dict,
    limits: Limits,
    data_dir: Path | None,
    sandbox: bool = True,
) -> NotebookResult:
    """Grade the notebook at ``path`` against ``spec``.

    Parameters
    ----------
    path : Path
        The submitted notebook.
    spec : NotebookSpec
        Its cells as the gradebook knows them (never from the student's file).
    resources : dict
        ``{"nbgrader": {...}}`` for nbgrader's preprocessors (db_url, assignment, notebook).
    limits : Limits
        Sandbox limits.
    data_dir : Path, optional
        The assignment's source folder; its non-notebook files are copied to the scratch folder.
    sandbox : bool
        False only when the instructor explicitly asked for no isolation.
    """
    start = time.perf_counter()
    result = NotebookResult(spec.name)
    if path.is_symlink() or path.parent.is_symlink():
        # a link could point the grader (which reads as root) at source/ or the gradebook
        result.status, result.events = "invalid", ["the submission is a symbolic link"]
        return result
    try:
        nb = read_submission(path)
    except ValueError as exc:
        result.status, result.events = "invalid", [str(exc)]
        return result
    with tempfile.TemporaryDirectory(prefix="dlgrade-") as tmp:
        scratch = Path(tmp)
        if data_dir is not None:
            for f in data_dir.rglob("*"):
                if (
                    f.is_file()
                    and not f.is_symlink()
                    and f.suffix != ".ipynb"
                    and ".ipynb_checkpoints" not in f.parts
                ):
                    (scratch / f.relative_to(data_dir)).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy(f, scratch / f.relative_to(data_dir))
        grader = Grader(spec, scratch, limits, sandbox)
        try:
            grader.spawn()  # the sandbox boots while nbgrader sanitizes the notebook
            result.events += tampered_cells(nb, spec)
            try:
                nb = sanitize(nb, resources)
            except Exception:  # noqa: BLE001  (nbgrader's metadata is gone: grade anyway)
                nb = rebuild(nb, spec, data_dir / f"{spec.name}.ipynb" if data_dir else None)
                result.events.append(
                    "nbgrader's cell metadata is missing: the tests ran after all your cells"
                )
            grader.channel.session.wait_ready()
            _run_cells(nb, spec, grader, result)
        except SandboxDied as died:
            result.status = "error"
            result.events.append(f"sandbox could not start: {died.reason}")
        finally:
            grader.close()
        result.events += grader.events
        if grader.channel.tampering:
            shown = ", ".join(sorted(grader.channel.tampering)[:5])
            result.events.append(f"tampering suspected: replaced {shown}")
        result.peak_memory_mb = grader.peak_mb
    result.seconds = time.perf_counter() - start
    result.autograded = nb
    return result


def _run_cells(
    nb: nbformat.NotebookNode, spec: NotebookSpec, grader: Grader, result: NotebookResult
) -> None:
    """Run the notebook's cells in order: student and setup cells in the sandbox,
    setup cells also in the trusted namespace, test cells in the trusted namespace."""
    alive = True
    for cell in nb.cells:
        role = _role(cell, spec)
        if role == "text":
            continue
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if role == "written":
            result.cells.append(CellResult(gid, "written", spec.graded[gid]))
            continue
        cell.outputs = []
        if role == "test":
            res = CellResult(gid, "test", spec.graded[gid])
            result.cells.append(res)
            cell.source = spec.cells[gid].source
            cell.metadata.nbgrader["points"] = spec.graded[gid]
            if not alive:
                res.passed, res.message = False, "GraderError: not run (the sandbox crashed)"
                cell.outputs.append(_error_output("GraderError", "not run"))
                continue
            try:
                grader.run_test(cell, res)
            except SandboxDied:
                alive = False
            continue
        if role == "setup":
            src = MAGIC.sub(r"\1# \2", spec.cells[gid].source)
            exec(compile(src, "<setup>", "exec"), grader.trusted)
        if alive:
            try:
                grader.run_student(cell)
            except SandboxDied:
                alive = False
