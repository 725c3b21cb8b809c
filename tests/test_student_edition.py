"""The student edition (tools/student_edition.py) holds what students may see and
nothing else: no source/, gradebook, autograder, tests, solution code, hidden-test
text or reference answers; its notebooks import only what it holds; Binder
(repo2docker) builds it from environment.yml and its postBuild.

The leak checks look for every non-trivial line (more than 25 characters,
whitespace ignored) of the solution blocks, hidden tests, mark schemes and written
reference answers of source/ in every line of every file of the edition (as a whole
line or inside one: behind a comment sign, in a string). A line the release notebook
shows on purpose is not a secret. Hidden tests and reference answers must never
show. Solution lines that lessons or dlcourse show as well are listed below per
graded function, each with a verdict: an accepted idiom, or a known leak (a strict
xfail: fixing the lesson makes it pass, then drop the entry). A further check
imports dlcourse's own functions in place of answers and runs the hidden tests.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from harness import ROOT, failing_cells_in_process

sys.path.insert(0, str(ROOT / "tools"))
from student_edition import (  # noqa: E402
    MANIFEST,
    EditionError,
    build_edition,
    release_problems,
)

MIN_CHARS = 25
REPO = "example-org/dl-student"
BLOCKS = {
    "solution": re.compile(r"### BEGIN SOLUTION[^\n]*\n(.*?)### END SOLUTION", re.S),
    "hidden test": re.compile(r"### BEGIN HIDDEN TESTS[^\n]*\n(.*?)### END HIDDEN TESTS", re.S),
    "mark scheme": re.compile(r"=== BEGIN MARK SCHEME ===(.*?)=== END MARK SCHEME ===", re.S),
}

# Graded functions whose lines also appear in the edition, reviewed (at most half of
# the answer's long lines are shown: idioms; more than half, or its only line: a leak).
# Counts are "lines shown / lines of more than 25 characters" when reviewed.
ACCEPTED_IDIOMS = {
    ("ps02_activations", "sigmoid_grad"): "1/3: z = np.asarray(z, dtype=float) (lesson 02)",
    ("ps03_backprop", "train_mlp"): "1/10: one backward call (lesson 03)",
    ("ps04_keras_mlp", "make_pipeline_clf"): "3/10: Dense(hidden, 'relu'), Adam, the Pipeline "
                                             "steps (lesson 04)",
    ("ps04_keras_mlp", "train_mlp"): "1/3: the compile arguments (lessons 04, 08)",
    ("ps05_pytorch_mlp", "fit"): "3/10: Adam(...), a seeded generator, the loss sum (lesson 05)",
    ("ps05_pytorch_mlp", "make_pipeline_clf"): "1/6: NeuralNetClassifier( (lesson 05)",
    ("ps06_pitfalls", "l2_penalty"): "1/3: selecting the W* params (dlcourse/deepnet.py)",
    ("ps07_nn_vs_sklearn", "compare_cv"): "2/4: the StratifiedKFold line and the loop (lesson 07)",
}
# Graded functions whose answer the edition shows (nearly) whole: for the lead to decide.
KNOWN_LEAKS = {
    ("ps02_activations", "sigmoid"): "3/3, course/02_activations.ipynb",
    ("ps02_activations", "tanh_grad"): "1/1, course/02_activations.ipynb",
    ("ps02_activations", "relu_grad"): "1/1, course/02_activations.ipynb",
    ("ps02_activations", "softmax"): "2/3, course/02_activations.ipynb",
    ("ps03_backprop", "dense_backward"): "1/1, course/03_backprop.ipynb",
    ("ps03_backprop", "numerical_gradient"): "2/3, course/03_backprop.ipynb",
    ("ps03_backprop", "softmax_cross_entropy"): "2/3, course/03_backprop.ipynb + dlcourse/mlp.py",
    ("ps04_keras_mlp", "build_mlp"): "2/2, course/04_keras_mlp.ipynb",
    ("ps05_pytorch_mlp", "build_mlp"): "1/1, course/05_pytorch_mlp.ipynb",
    ("ps05_pytorch_mlp", "predict"): "1/1, course/05_pytorch_mlp.ipynb",
    ("ps05_pytorch_mlp", "predict_proba"): "2/2, course/05_pytorch_mlp.ipynb (+ 08_shap)",
    ("ps06_pitfalls", "early_stopping"): "2/2, course/06_pitfalls.ipynb",
    ("ps06_pitfalls", "step_decay"): "1/1, course/06_pitfalls.ipynb",
    ("ps07_nn_vs_sklearn", "make_models"): "3/3, course/07_nn_vs_sklearn.ipynb (+ 08_shap)",
    ("ps08_shap", "exact_shapley_values"): "4 lines, course/08_shap.ipynb: section 1's brute "
                                           "force, which the lesson checks against shap",
    ("ps08_shap", "numpy_predict_fn"): "2 lines, course/08_shap.ipynb section 5 (+ 05)",
    ("ps09_capstone", "make_preprocessor"): "3 lines, course/09_capstone.ipynb",
    ("ps09_capstone", "make_wine_pipeline"): "3 lines, course/09_capstone.ipynb (+ 04)",
}
# dlcourse functions that pass a graded function's visible and hidden tests when a
# student imports them in place of an answer (a known leak each, for the lead).
_ACT = "from dlcourse.mlp import ACTIVATIONS\n"
DROP_IN_ANSWERS = {
    ("ps02_activations", "sigmoid_grad"): "from dlcourse.mlp import _sigmoid_grad as sigmoid_grad",
    ("ps02_activations", "tanh_grad"): _ACT + 'tanh_grad = ACTIVATIONS["tanh"].df',
    ("ps02_activations", "relu_grad"): _ACT + 'relu_grad = ACTIVATIONS["relu"].df',
    ("ps02_activations", "softmax"): "from dlcourse.mlp import softmax",
    ("ps03_backprop", "softmax_cross_entropy"): "from dlcourse.mlp import softmax_cross_entropy",
    ("ps03_backprop", "sgd_update"): "from dlcourse.mlp import sgd_step as sgd_update",
    ("ps03_backprop", "train_mlp"): (
        "from dlcourse import mlp\n"
        "def train_mlp(X, y, hidden=16, lr=0.5, epochs=500, seed=0):\n"
        "    return mlp.train(X, y, hidden, lr, epochs, seed)[0]"
    ),
    ("ps03_backprop", "predict_mlp"): (
        "from dlcourse import mlp\ndef predict_mlp(params, X):\n    return mlp.predict(params, X)"
    ),
    ("ps06_pitfalls", "l2_penalty"): "from dlcourse.deepnet import l2_penalty",
    ("ps06_pitfalls", "early_stopping"): (
        "from dlcourse.deepnet import early_stopping_epoch as early_stopping"
    ),
    ("ps06_pitfalls", "step_decay"): "from dlcourse.deepnet import step_decay",
}


@pytest.fixture(scope="module")
def edition(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("student") / "edition"
    build_edition(dest, repo=REPO, check_release=False)
    return dest


def norm(line: str) -> str:
    return re.sub(r"\s+", "", line)


def cell_text(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def notebook_lines(path: Path) -> list[str]:
    cells = json.loads(path.read_text())["cells"]
    return [line for c in cells for line in cell_text(c).splitlines()]


def secret_lines() -> dict[str, tuple[str, list[tuple[str, str, str]]]]:
    """Normalised secret line -> (the line, [(assignment, grade_id, kind)]), from source/."""
    secrets: dict[str, tuple[str, list[tuple[str, str, str]]]] = {}
    for src in sorted((ROOT / "source").glob("*/*.ipynb")):
        name = src.parent.name
        # what the release notebook shows on purpose (a secret line may be part of a longer one)
        released = ROOT / "release" / name / src.name
        lines = notebook_lines(released) if released.is_file() else []
        shown = "\n".join(norm(line) for line in lines)
        for cell in json.loads(src.read_text())["cells"]:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            text = cell_text(cell)
            blocks = [(kind, b) for kind, rx in BLOCKS.items() for b in rx.findall(text)]
            if meta.get("solution") and not any(kind == "solution" for kind, _ in blocks):
                # no markers: nbgrader replaces the whole cell (a written answer, typically)
                blocks.append(("written answer" if cell["cell_type"] == "markdown" else "solution",
                               text))
            for kind, block in blocks:
                for line in block.splitlines():
                    key = norm(line)
                    if len(line.strip()) > MIN_CHARS and key not in shown:
                        owners = secrets.setdefault(key, (line.strip(), []))[1]
                        owners.append((name, meta.get("grade_id", "?"), kind))
    return secrets


def edition_hits(edition: Path) -> dict[tuple[str, str, str], dict[str, set[str]]]:
    """(assignment, grade_id, kind) -> {secret line: files of the edition showing it}."""
    secrets = secret_lines()
    assert len(secrets) > 100, "found almost no solution or hidden-test lines in source/"
    hits: dict[tuple[str, str, str], dict[str, set[str]]] = {}
    for path in sorted(p for p in edition.rglob("*") if p.is_file() and p.name != MANIFEST):
        rel = path.relative_to(edition).as_posix()
        try:
            lines = (notebook_lines(path) if path.suffix == ".ipynb"
                     else path.read_text().splitlines())
        except UnicodeDecodeError:
            lines = path.read_bytes().decode("latin-1").splitlines()
        # a secret line counts anywhere in a line (behind "# ", inside a string...)
        text = "\n".join(norm(line) for line in lines)
        for key, (shown, owners) in secrets.items():
            if key in text:
                for owner in owners:
                    hits.setdefault(owner, {}).setdefault(shown, set()).add(rel)
    return hits


def solution_hits(edition: Path) -> dict[tuple[str, str], dict[str, set[str]]]:
    return {(a, g): lines for (a, g, kind), lines in edition_hits(edition).items()
            if kind == "solution"}


# --- layout --------------------------------------------------------------------------

def test_edition_holds_the_student_files_and_nothing_else(edition: Path) -> None:
    top = sorted(p.name for p in edition.iterdir())
    assert top == sorted([".gitignore", MANIFEST, "README.md", "course", "dlcourse",
                          "environment.yml", "nbgrader_config.py", "postBuild", "pyproject.toml",
                          "release"])
    every = [p.relative_to(edition).as_posix() for p in edition.rglob("*")]
    forbidden = re.compile(r"(^|/)(source|autograder|tests|benchmarks|tools|submitted|autograded|"
                           r"feedback|__pycache__|\.ipynb_checkpoints)(/|$)|gradebook|\.egg-info")
    assert not [p for p in every if forbidden.search(p)]
    assert not [p for p in (edition / "dlcourse").rglob("*") if p.is_file() and p.suffix != ".py"]
    for folder in ("course", "release"):
        wanted = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / folder).rglob("*.ipynb")
                        if ".ipynb_checkpoints" not in p.parts)
        got = sorted(p.relative_to(edition).as_posix() for p in (edition / folder).rglob("*.ipynb"))
        assert got == wanted
    assert (edition / "environment.yml").read_bytes() == (ROOT / "environment.yml").read_bytes()
    for module in (ROOT / "dlcourse").rglob("*.py"):
        rel = module.relative_to(ROOT)
        assert (edition / rel).read_bytes() == module.read_bytes(), f"{rel} differs"


def test_packaging_installs_dlcourse_alone(edition: Path, tmp_path: Path) -> None:
    ours = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    theirs = tomllib.loads((edition / "pyproject.toml").read_text())
    assert theirs["project"]["dependencies"] == ours["dependencies"]
    assert theirs["tool"]["setuptools"]["packages"]["find"]["include"] == ["dlcourse*"]
    # build the wheel (no network, no install): it holds dlcourse and nothing else
    work = tmp_path / "src"
    shutil.copytree(edition, work)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-index",
                    "--no-build-isolation", "-w", str(tmp_path / "dist"), str(work)],
                   check=True, capture_output=True)
    (wheel,) = (tmp_path / "dist").glob("dlcourse-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    dist_info = wheel.name.split("-py")[0] + ".dist-info"
    assert {n.split("/")[0] for n in names} == {"dlcourse", dist_info}
    assert "dlcourse/widgets/training.py" in names


def test_student_nbgrader_config_sets_time_limits_only(edition: Path) -> None:
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(edition)).load_config()
    assert set(config) == {"Execute"}, "instructor settings (course, gradebook) in the edition"
    assert config.Execute.timeout >= 60 and config.Execute.startup_timeout >= 30


def test_post_build_installs_dlcourse_and_hides_instructor_tools(edition: Path) -> None:
    post_build = edition / "postBuild"
    assert os.access(post_build, os.X_OK)
    subprocess.run(["bash", "-n", str(post_build)], check=True)
    text = post_build.read_text()
    assert "pip install --no-deps -e ." in text
    assert "formgrader" in text
    assert "validate-assignment" not in text and "validate_assignment" not in text


def test_readme_has_badge_lessons_exercises_validate_and_submit(edition: Path) -> None:
    readme = (edition / "README.md").read_text()
    assert f"https://mybinder.org/v2/gh/{REPO}/main?urlpath=lab/tree/course/" in readme
    assert "badge_logo.svg" in readme
    for notebook in sorted((edition / "course").glob("*.ipynb")) + sorted(
            (edition / "release").glob("*/*.ipynb")):
        link = notebook.relative_to(edition).as_posix()
        assert f"]({link})" in readme, f"README does not list {link}"
        assert (edition / link).is_file()
    for words in ("Validate", "nbgrader validate", "Submit", ".ipynb", "conda env create",
                  "pip install"):
        assert words in readme


# --- leaks ---------------------------------------------------------------------------

def test_no_hidden_tests_mark_schemes_or_written_answers(edition: Path) -> None:
    leaked = {key: lines for key, lines in edition_hits(edition).items() if key[2] != "solution"}
    assert not leaked, f"the edition shows hidden tests or reference answers: {leaked}"
    for path in edition.rglob("*.ipynb"):
        text = path.read_text()
        for marker in ("BEGIN SOLUTION", "HIDDEN TESTS", "MARK SCHEME"):
            assert marker not in text, f"{path.relative_to(edition)} holds {marker!r}"


def test_no_solution_lines_beyond_the_reviewed_ones(edition: Path) -> None:
    hits = solution_hits(edition)
    new = {key: {line: sorted(files) for line, files in lines.items()}
           for key, lines in hits.items() if key not in ACCEPTED_IDIOMS and key not in KNOWN_LEAKS}
    assert not new, (
        "the student edition shows lines of these solutions (assignment, graded function): "
        f"{new}. Remove them from the lesson or dlcourse, or, if they are mere idioms, add the "
        "function to ACCEPTED_IDIOMS in this file with the reason."
    )
    stale = sorted(key for key in ACCEPTED_IDIOMS if key not in hits)
    assert not stale, f"no longer shown, drop from ACCEPTED_IDIOMS: {stale}"


@pytest.mark.xfail(strict=True, raises=AssertionError,
                   reason="known leaks, listed in KNOWN_LEAKS for the lead: lessons show these "
                   "answers verbatim; when fixed, this passes: drop the entries")
def test_lessons_do_not_show_graded_answers(edition: Path) -> None:
    hits = solution_hits(edition)
    shown = {key: sorted(hits[key]) for key in KNOWN_LEAKS if key in hits}
    assert not shown, f"answers shown in the edition: {shown}"


@pytest.mark.parametrize(
    ("assignment", "grade_id"),
    [pytest.param(*key, marks=pytest.mark.xfail(
        strict=True, raises=AssertionError,
        reason="known leak: dlcourse ships a working answer; see DROP_IN_ANSWERS"))
     for key in DROP_IN_ANSWERS],
)
def test_dlcourse_offers_no_drop_in_answer(assignment: str, grade_id: str) -> None:
    answer = DROP_IN_ANSWERS[assignment, grade_id]
    failing = failing_cells_in_process(assignment, {grade_id: answer})
    assert failing, f"importing from dlcourse answers {assignment}:{grade_id} for full marks"


# --- imports and Binder --------------------------------------------------------------

def edition_env(edition: Path) -> dict[str, str]:
    """The environment of a student's kernel: the edition on PYTHONPATH, not the repository."""
    return {**os.environ, "PYTHONPATH": str(edition)}


@pytest.mark.slow
def test_dlcourse_imports_from_the_edition_alone(edition: Path) -> None:
    code = (
        "import importlib, pkgutil, sys\n"
        "import dlcourse\n"
        "for m in pkgutil.walk_packages(dlcourse.__path__, 'dlcourse.'):\n"
        "    importlib.import_module(m.name)\n"
        f"root = {str(ROOT)!r}\n"
        "mods = [n for n in sys.modules if n.split('.')[0] in ('dlcourse', 'autograder')]\n"
        "bad = [n for n in mods if not (getattr(sys.modules[n], '__file__', None) or '')"
        f".startswith({str(edition)!r})]\n"
        "assert not bad, bad\n"
        "print(len(mods))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=edition / "course",
                          env=edition_env(edition), capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert int(proc.stdout.split()[-1]) >= 10


@pytest.mark.slow
def test_exercise_notebook_runs_from_the_edition(edition: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """ps01 as a student gets it: every error is the stubs' NotImplementedError."""
    import nbformat
    from nbclient import NotebookClient

    monkeypatch.setenv("PYTHONPATH", str(edition))
    path = edition / "release" / "ps01_neuron" / "ps01_neuron.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(
        "import dlcourse, dlcourse.checks\n"
        f"assert dlcourse.__file__.startswith({str(edition)!r}), dlcourse.__file__"))
    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.output_type == "error"]
    assert errors, "the stubs should raise NotImplementedError"
    others = [f"{o.ename}: {o.evalue}" for o in errors
              if o.ename not in ("NotImplementedError", "AssertionError")
              or (o.ename == "AssertionError" and "dlcourse" in o.evalue)]
    assert not others, others
    assert not [o for o in nb.cells[-1].outputs if o.output_type == "error"]


@pytest.mark.slow
def test_validate_works_in_the_edition(edition: Path, tmp_path: Path) -> None:
    """What the Validate button runs: nbgrader's validator, config from the edition's root."""
    import nbformat
    from harness import build_submission

    course = tmp_path / "edition"
    shutil.copytree(edition, course)
    folder = course / "release" / "ps01_neuron"
    answered = build_submission("ps01_neuron", {})
    for cell in answered.cells:
        if cell.cell_type == "markdown" and cell.metadata.get("nbgrader", {}).get("solution"):
            cell.source = "Affine maps compose into one affine map; a ReLU between them does not."
    nbformat.write(answered, folder / "answered.ipynb")

    def validate(name: str) -> str:
        proc = subprocess.run([sys.executable, "-m", "nbgrader", "validate", f"{folder}/{name}"],
                              cwd=course, env=edition_env(course), capture_output=True, text=True,
                              timeout=300)
        return proc.stdout + proc.stderr

    assert "Success! Your notebook passes all the tests." in validate("answered.ipynb")
    stub = validate("ps01_neuron.ipynb")
    assert "NotImplementedError" in stub and "ModuleNotFoundError" not in stub


def test_repo2docker_builds_from_environment_yml_without_docker_or_network(
        edition: Path, tmp_path: Path) -> None:
    r2d = Path(sys.executable).parent / "jupyter-repo2docker"
    if not r2d.exists():
        pytest.skip("jupyter-repo2docker is not installed (dev extra)")
    command = [str(r2d), "--no-build", "--no-run", "--user-id", "1000", "--user-name", "jovyan",
               str(edition)]
    env = {**os.environ, "DOCKER_HOST": f"unix://{tmp_path}/no-docker.sock",
           "HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9"}
    if shutil.which("unshare") and subprocess.run(["unshare", "-n", "true"]).returncode == 0:
        command = ["unshare", "-n", *command]  # no network at all, not even loopback
    proc = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    dockerfile = proc.stdout
    assert "FROM " in dockerfile
    assert "COPY --chown=1000:1000 src/environment.yml ${REPO_DIR}/environment.yml" in dockerfile
    assert re.search(r'env update -p \$\{NB_PYTHON_PREFIX\} --file "environment.yml"', dockerfile)
    assert "COPY --chown=1000:1000 src/ ${REPO_DIR}/" in dockerfile
    assert "RUN ./postBuild" in dockerfile
    assert "requirements.txt" not in dockerfile and "setup.py" not in dockerfile


# --- building safely -----------------------------------------------------------------

def test_refuses_a_folder_that_is_not_an_edition(tmp_path: Path) -> None:
    (tmp_path / "homework.ipynb").write_text("{}")
    with pytest.raises(EditionError, match="not a student edition"):
        build_edition(tmp_path, repo=REPO, check_release=False)
    assert [p.name for p in tmp_path.iterdir()] == ["homework.ipynb"]
    with pytest.raises(EditionError, match="inside the course repository"):
        build_edition(ROOT / "release" / "student", repo=REPO, check_release=False)


def test_rebuild_replaces_an_edition_and_keeps_git(tmp_path: Path) -> None:
    dest = tmp_path / "edition"
    build_edition(dest, repo=REPO, check_release=False)
    (dest / ".git").mkdir()
    (dest / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (dest / "course" / "__pycache__").mkdir()
    (dest / "course" / ".ipynb_checkpoints").mkdir()
    (dest / "dlcourse" / "data.py").unlink()  # a deleted file is no one's work: rebuilt
    written = build_edition(dest, repo=REPO, check_release=False)
    restored = (dest / "dlcourse" / "data.py").read_bytes()
    assert restored == (ROOT / "dlcourse" / "data.py").read_bytes()
    assert (dest / ".git" / "HEAD").read_text() == "ref: refs/heads/main\n"
    assert not (dest / "course" / "__pycache__").exists()
    present = sorted(p.relative_to(dest).as_posix() for p in dest.rglob("*")
                     if p.is_file() and ".git" not in p.parts)
    assert present == sorted(written)


def test_refuses_an_edition_with_someone_s_work_unless_forced(tmp_path: Path) -> None:
    dest = tmp_path / "edition"
    build_edition(dest, repo=REPO, check_release=False)
    answer = dest / "release" / "ps01_neuron" / "ps01_neuron.ipynb"
    answer.write_text(answer.read_text().replace("raise NotImplementedError()", "return z"))
    (dest / "notes.md").write_text("mine")
    with pytest.raises(EditionError, match="changed") as err:
        build_edition(dest, repo=REPO, check_release=False)
    assert "ps01_neuron.ipynb" in str(err.value) and "notes.md" in str(err.value)
    assert (dest / "notes.md").is_file()
    build_edition(dest, repo=REPO, force=True, check_release=False)
    assert not (dest / "notes.md").exists()


def test_release_matches_source_so_the_edition_can_be_built() -> None:
    assert release_problems(ROOT) == [], "run `make release`"


def test_command_line_prints_the_summary(tmp_path: Path) -> None:
    if release_problems(ROOT):
        pytest.skip("release/ is out of date (see the test above): the command refuses")
    proc = subprocess.run([sys.executable, str(ROOT / "tools" / "student_edition.py"),
                           str(tmp_path / "ed"), "--repo", REPO], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "wrote the student edition" in proc.stdout
    proc = subprocess.run([sys.executable, str(ROOT / "tools" / "student_edition.py"),
                           str(ROOT / "tests")], capture_output=True, text=True)
    assert proc.returncode == 1 and "inside the course repository" in proc.stderr


def test_release_check_finds_drift(tmp_path: Path) -> None:
    name = "ps01_neuron"
    for folder in ("source", "release"):
        shutil.copytree(ROOT / folder / name, tmp_path / folder / name)
    src = tmp_path / "source" / name / f"{name}.ipynb"
    nb = json.loads(src.read_text())
    prose = next(c for c in nb["cells"] if c["cell_type"] == "markdown"
                 and not c.get("metadata", {}).get("nbgrader", {}).get("solution"))
    prose["source"] = cell_text(prose) + "\nA new sentence."
    src.write_text(json.dumps(nb))
    assert any("text differs" in p for p in release_problems(tmp_path))
    shutil.copytree(ROOT / "source" / name, tmp_path / "source" / "ps99_new")
    assert "release/ps99_new is missing" in release_problems(tmp_path)
