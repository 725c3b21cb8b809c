"""`python -m autograder grade`: a hostile batch is graded safely, honest
submissions in it are graded right, and the batch is idempotent and resumable."""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import hostile
import nbformat
import pytest
from harness import (
    ROOT,
    build_submission,
    make_course,
    reference_cells,
    release_notebook,
    variant_assignments,
)

# One xdist group: the tests look for stray sandbox processes, so no other batch
# may run beside them.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("autograder")]
A = "ps01_neuron"
FULL = 10.0


def command(workers: int = 2) -> list[str]:
    return [
        sys.executable,
        "-m",
        "autograder",
        "grade",
        A,
        "--workers",
        str(workers),
        "--timeout",
        "4",
        "--memory-mb",
        "512",
    ]


def grade(course: Path, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run(command(), cwd=course, capture_output=True, text=True, timeout=timeout)


def rows(course: Path) -> dict[str, dict]:
    with (course / "grading-out" / A / "grades.csv").open() as f:
        return {r["student_id"]: r for r in csv.DictReader(f)}


def put(
    course: Path, student: str, nb: nbformat.NotebookNode | str | None, filename: str = f"{A}.ipynb"
) -> Path:
    folder = course / "submitted" / student / A
    folder.mkdir(parents=True)
    if isinstance(nb, str):
        (folder / filename).write_text(nb)
    elif nb is not None:
        nbformat.write(nb, folder / filename)
    return folder


def _cell(nb: nbformat.NotebookNode, grade_id: str) -> int:
    return next(
        i
        for i, c in enumerate(nb.cells)
        if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id
    )


class Listener:
    """A TCP server on the host's loopback that records any connection."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            conn.close()


@pytest.fixture(scope="module")
def hostile_batch(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("hostile")
    course = make_course(tmp, [A])
    (course / "gradebook.db").unlink()  # the command must rebuild the gradebook itself
    home = tmp / "instructor-home"
    home.mkdir()
    (home / "secret.txt").write_text("instructor secret")
    listener = Listener()
    sub = lambda **cells: build_submission(A, cells)  # noqa: E731
    expected = {  # student -> (score, status, words the notes must contain)
        "honest_reference": (FULL, "graded", []),
        "honest_warnings": (FULL, "graded", []),
        "honest_mistake": (8.0, "graded", []),
        "cheat_monkeypatch": (8.0, "graded", ["tampering suspected"]),
        # breaking the runner only harms the submission itself, and is noticed
        "cheat_patch_runner": (0.0, "graded", ["tampering suspected"]),
        "loop_at_top_level": (8.0, "graded", ["timeout"]),
        "loop_in_function": (8.0, "graded", ["timeout"]),
        "memory_hog": (8.0, "graded", ["memory limit"]),
        "huge_allocation": (8.0, "graded", []),
        "kernel_exits": (5.0, "graded", ["exited"]),
        "segfault": (5.0, "graded", ["segmentation fault"]),
        "sys_exit": (8.0, "graded", []),
        "huge_output": (FULL, "graded", []),
        "fork_bomb": (8.0, "graded", []),
        "network_escape": (FULL, "graded", []),
        "filesystem_escape": (FULL, "graded", []),
        "malformed_json": (0.0, "invalid", ["not a readable notebook"]),
        "not_a_notebook": (0.0, "invalid", []),
        "empty_folder": (0.0, "missing", []),
        "deleted_test_cell": (FULL, "graded", ["deleted"]),
        "edited_test_cell": (7.0, "graded", ["edited"]),
        "edited_points": (FULL, "graded", ["points of test_relu changed"]),
        # nbgrader keeps the last copy of a duplicated cell: the wrong relu appended at
        # the end is the graded one, tested by the copied test cell after it
        "duplicated_cells": (8.0, "graded", ["duplicated"]),
        "renamed_notebook": (FULL, "graded", ["graded as"]),
        "untouched_release": (0.0, "graded", []),
        "disk_filler": (FULL, "graded", []),
        "symlink_to_solutions": (0.0, "invalid", ["symbolic link"]),
        "fresh_notebook": (FULL, "graded", ["metadata is missing"]),
    }
    put(course, "honest_reference", sub())
    put(course, "honest_warnings", sub(relu=hostile.WARNINGS))
    put(course, "honest_mistake", sub(relu="def relu(z):\n    return np.abs(z)"))
    put(course, "cheat_monkeypatch", sub(relu=hostile.MONKEYPATCH))
    put(course, "cheat_patch_runner", sub(relu=hostile.PATCH_GRADER))
    put(course, "loop_at_top_level", sub(relu=hostile.LOOP_AT_TOP))
    put(course, "loop_in_function", sub(relu=hostile.LOOP_IN_FUNCTION))
    put(course, "memory_hog", sub(relu=hostile.MEMORY_HOG))
    put(course, "huge_allocation", sub(relu=hostile.HUGE_ALLOCATION))
    put(course, "kernel_exits", sub(dense_forward=hostile.EXIT_KERNEL))
    put(course, "segfault", sub(dense_forward=hostile.SEGFAULT))
    put(course, "sys_exit", sub(relu=hostile.SYS_EXIT))
    put(course, "huge_output", sub(relu=hostile.HUGE_OUTPUT))
    put(course, "fork_bomb", sub(relu=hostile.FORK_BOMB))
    put(course, "network_escape", sub(relu=hostile.network_probe(listener.port)))
    put(
        course,
        "filesystem_escape",
        sub(relu=hostile.filesystem_probe(str(course), "honest_reference", str(home))),
    )
    put(course, "malformed_json", '{"cells": [ {"cell_type": "code", "sour')
    put(course, "not_a_notebook", json.dumps({"hello": "world"}))
    put(course, "empty_folder", None)
    nb = sub()
    del nb.cells[_cell(nb, "test_relu")]
    put(course, "deleted_test_cell", nb)
    nb = sub(collapse_linear="def collapse_linear(W1, b1, W2, b2):\n    return W2 @ W1, b2")
    nb.cells[_cell(nb, "test_collapse_linear")].source = "pass"
    put(course, "edited_test_cell", nb)
    nb = sub()
    nb.cells[_cell(nb, "test_relu")].metadata.nbgrader["points"] = 100
    put(course, "edited_points", nb)
    nb = sub()
    wrong = nbformat.v4.new_code_cell(
        "def relu(z):\n    return z", metadata=nb.cells[_cell(nb, "relu")].metadata
    )
    nb.cells.append(wrong)
    nb.cells.append(nbformat.from_dict(json.loads(json.dumps(nb.cells[_cell(nb, "test_relu")]))))
    put(course, "duplicated_cells", nb)
    put(course, "renamed_notebook", sub(), filename=f"{A} (1).ipynb")
    put(course, "untouched_release", release_notebook(A))
    put(course, "disk_filler", sub(relu=hostile.DISK_FILLER))
    folder = put(course, "symlink_to_solutions", None)
    (folder / f"{A}.ipynb").symlink_to(course / "source" / A / f"{A}.ipynb")
    put(
        course,
        "fresh_notebook",
        hostile.fresh_notebook(["import numpy as np", *reference_cells(A).values()]),
    )

    start = time.monotonic()
    run = grade(course)
    seconds = time.monotonic() - start
    return course, run, expected, listener, home, seconds


def test_batch_completes_with_exit_status_0(hostile_batch) -> None:
    course, run, expected, *_ = hostile_batch
    assert run.returncode == 0, run.stderr[-3000:]
    assert set(rows(course)) == set(expected)
    assert "ETA" in run.stderr  # the progress bar


def test_every_submission_is_scored_as_it_deserves(hostile_batch) -> None:
    course, _, expected, *_ = hostile_batch
    got = rows(course)
    wrong = {}
    for student, (score, status, words) in expected.items():
        row = got[student]
        ok = float(row["score"]) == score and row["status"] == status
        ok = ok and float(row["max_score"]) == FULL
        ok = ok and all(w in row["notes"] for w in words)
        if not ok:
            wrong[student] = (row["score"], row["status"], row["notes"][:200])
    assert not wrong, wrong


def test_no_escape_from_the_sandbox(hostile_batch) -> None:
    course, _, _, listener, home, _ = hostile_batch
    assert listener.connections == 0, "a submission reached the host's loopback"
    assert not (course / "ESCAPED").exists()
    for student in ("network_escape", "filesystem_escape"):
        graded = nbformat.read(course / "autograded" / student / A / f"{A}.ipynb", as_version=4)
        printed = json.dumps([c.get("outputs", []) for c in graded.cells])
        for leak in ("NETWORK-OPEN", "LISTED", "READ", "WROTE", "instructor secret"):
            assert leak not in printed, f"{student}: {leak}"
        assert "blocked" in printed
    # the machine is unharmed: no process of a sandbox survives the batch
    survivors = subprocess.run(["pgrep", "-f", "autograder.runner"], capture_output=True)
    assert survivors.stdout == b""


def test_gradebook_holds_the_scores(hostile_batch) -> None:
    from nbgrader.api import Gradebook

    course, *_ = hostile_batch
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "dlcourse") as gb:
        for student, row in rows(course).items():
            if row["status"] == "graded":
                nb = gb.find_submission_notebook(A, A, student)
                assert nb.code_score == float(row["score"]), student
                assert nb.max_code_score == FULL
    from autograder.release import nbgrader_env

    export = subprocess.run(
        [sys.executable, "-m", "nbgrader", "export", "--to", "exported.csv"],
        cwd=course,
        env=nbgrader_env(),
        capture_output=True,
        text=True,
    )
    assert export.returncode == 0, export.stderr[-2000:]
    with (course / "exported.csv").open() as f:
        exported = {r["student_id"]: float(r["raw_score"]) for r in csv.DictReader(f)}
    assert exported["honest_reference"] == FULL and exported["honest_mistake"] == 8.0


def test_feedback_never_shows_hidden_tests(hostile_batch) -> None:
    course, _, expected, *_ = hostile_batch
    source = (ROOT / "source" / A / f"{A}.ipynb").read_text()
    hidden_lines = [
        ln.strip().strip('",').replace("\\n", "")
        for ln in source.split("BEGIN HIDDEN TESTS")[1].split("END HIDDEN TESTS")[0].split("\\n")
    ]
    hidden_lines = [ln for ln in hidden_lines if len(ln) > 20]
    assert hidden_lines
    for student in expected:
        page = (course / "grading-out" / A / "feedback" / student / f"{A}.html").read_text()
        assert "HIDDEN" not in page
        leaked = [ln for ln in hidden_lines if ln in page]
        assert not leaked, (student, leaked[:2])
    page = (course / "grading-out" / A / "feedback" / "honest_mistake" / f"{A}.html").read_text()
    assert "relu" in page and "failed" in page  # which check failed, and its message


def test_summary_is_written(hostile_batch) -> None:
    course, *_ = hostile_batch
    out = course / "grading-out" / A
    page = (out / "summary.html").read_text()
    assert "score_histogram.svg" in (out / "summary.html").read_text()
    assert (out / "score_histogram.svg").read_text().startswith("<svg")
    for word in ("Pass rate per graded cell", "Slowest submissions", "test_relu"):
        assert word in page


def test_rerun_is_idempotent_and_regrades_only_changes(hostile_batch) -> None:
    course, *_ = hostile_batch
    before = rows(course)
    again = grade(course)
    assert again.returncode == 0
    assert f"{len(before)} unchanged" in again.stdout
    assert rows(course) == before
    nb = build_submission(A, {"relu": "def relu(z):\n    return np.abs(z)"})
    nbformat.write(nb, course / "submitted" / "honest_reference" / A / f"{A}.ipynb")
    third = grade(course)
    assert f"{len(before) - 1} unchanged" in third.stdout
    assert rows(course)["honest_reference"]["score"] == "8"


def test_interrupted_batch_resumes(tmp_path: Path) -> None:
    course = make_course(tmp_path, [A])
    for i in range(8):
        put(
            course,
            f"s{i}",
            build_submission(A, {"relu": hostile.LOOP_IN_FUNCTION} if i % 2 else {}),
        )
    proc = subprocess.Popen(
        command(workers=1),
        cwd=course,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    state = course / "grading-out" / A / "state"
    deadline = time.monotonic() + 120
    while not (state.is_dir() and len(list(state.glob("*.json"))) >= 2):
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    done = len(list(state.glob("*.json")))
    assert 2 <= done < 8
    run = grade(course)
    assert run.returncode == 0
    assert f"{done} unchanged" in run.stdout
    scores = {s: r["score"] for s, r in rows(course).items()}
    assert scores == {f"s{i}": ("8" if i % 2 else "10") for i in range(8)}


def test_refuses_without_bubblewrap(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    import autograder.sandbox
    from autograder.__main__ import main

    monkeypatch.setattr(autograder.sandbox, "bwrap_path", lambda: None)
    course = make_course(tmp_path, [A])
    (course / "submitted").mkdir()
    assert main(["grade", A, "--root", str(course)]) == 2
    assert "--unsafe-no-sandbox" in capsys.readouterr().err


@pytest.mark.parametrize("assignment", variant_assignments())
def test_variants_are_sorted_by_the_sandboxed_grader(assignment: str, tmp_path: Path) -> None:
    """Test cells run in the grader and call the student's code in the sandbox: the
    verdicts must be those of running everything in one process (test_hidden_tests)."""
    import importlib

    from harness import graded_cells

    variants = importlib.import_module(f"variants.{assignment}").VARIANTS
    course = make_course(tmp_path, [assignment])
    for v in variants:
        folder = course / "submitted" / v.name / assignment
        folder.mkdir(parents=True)
        nbformat.write(build_submission(assignment, v.cells), folder / f"{assignment}.ipynb")
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "autograder",
            "grade",
            assignment,
            "--workers",
            "2",
            "--timeout",
            "60",
        ],
        cwd=course,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    with (course / "grading-out" / assignment / "grades.csv").open() as f:
        got = {r["student_id"]: r for r in csv.DictReader(f)}
    points = {c for c, p in graded_cells(assignment).items()}
    wrong = {
        v.name: (
            sorted(c for c in points if c in got[v.name] and float(got[v.name][c]) == 0.0),
            got[v.name]["notes"][:200],
        )
        for v in variants
        if {c for c in points if c in got[v.name] and float(got[v.name][c]) == 0.0} != set(v.fails)
    }
    assert not wrong, wrong


@pytest.mark.skipif(shutil.which("bwrap") is None, reason="needs bubblewrap")
def test_sandbox_cannot_see_the_course(tmp_path: Path) -> None:
    from autograder.sandbox import Limits
    from autograder.session import Session

    (tmp_path / "data.csv").write_text("1,2,3\n")  # an assignment's data file
    session = Session(tmp_path, Limits(cell_timeout=10))
    try:
        session.wait_ready()
        code = (
            "import os\n"
            f"visible = os.path.exists({str(ROOT / 'source')!r})\n"
            "data = open('data.csv').read().strip()\n"
            "open('/tmp/t', 'w').write('ok')\n"
            "print(os.getuid(), visible, data)"
        )
        reply = session.request({"op": "exec", "source": code}, 10)
        assert reply["ok"], reply
        uid, visible, data = reply["stdout"].split()
        assert int(uid) >= 100_000 and visible == "False" and data == "1,2,3"
    finally:
        session.close()
