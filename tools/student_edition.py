"""Assemble the student edition: what students may see, ready to push as its own repository.

The course repository holds solutions, hidden tests and the gradebook, so students
never launch it directly. The student edition holds only::

    README.md           the student guide, with the Binder badge
    environment.yml     what Binder builds (the course's own file, unchanged)
    postBuild           makes ``import dlcourse`` work in every notebook on Binder
    pyproject.toml      packages dlcourse alone (for ``pip install -e .``)
    nbgrader_config.py  execution timeouts for nbgrader's Validate button, nothing else
    .gitignore
    course/             the lesson notebooks
    release/psNN_name/  the exercise notebooks (and any data files beside them)
    dlcourse/           the helper library (its .py files only)
    .student-edition.json  what this tool wrote (used to rebuild safely)

The tool refuses to write into a non-empty folder that is not a previous edition,
and into a previous edition whose files were changed or added to (a student's
work, say) unless ``--force`` is given; rebuilding replaces a previous edition
cleanly and keeps its ``.git``, so the folder can be a clone of the student
repository. Before writing, it checks that ``release/`` matches ``source/``
cell by cell (cheap; the byte-exact check is ``tests/test_release.py``).

Usage: ``python tools/student_edition.py DEST [--repo ORG/NAME] [--branch NAME] [--force]``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ".student-edition.json"
DEFAULT_REPO = "your-org/dlcourse-student"
DEFAULT_BRANCH = "main"
# Kept as they are when an edition is rebuilt in place (a clone of the student repository).
KEEP = frozenset({".git"})
# Made by running the edition (Jupyter, Python, pip install -e .): safe to delete.
DISPOSABLE = re.compile(
    r"(^|/)(__pycache__|\.ipynb_checkpoints|\.virtual_documents|[^/]+\.egg-info)(/|$)"
)
# Text that only an instructor's notebook holds (nbgrader's markers).
MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS",
           "BEGIN MARK SCHEME", "END MARK SCHEME")

__all__ = ["EditionError", "build_edition", "release_problems", "edition_files", "main"]


class EditionError(Exception):
    """The edition cannot be written (unsafe destination or release/ out of date)."""


POSTBUILD = """\
#!/usr/bin/env bash
# Binder runs this after copying the repository (the packages come from environment.yml).
set -euo pipefail
# Make the course's helper library importable from every notebook.
pip install --no-deps -e .
# Students need nbgrader's Validate button only: hide the instructor tools' menus and
# panels (formgrader, create assignment; the course and assignment lists need an exchange).
for plugin in formgrader create-assignment course-list assignment-list; do
    jupyter labextension disable --level=sys_prefix "@jupyter/nbgrader:$plugin"
done
"""

NBGRADER_CONFIG = '''\
"""nbgrader settings for students: the Validate button (and ``nbgrader validate``)
runs the whole notebook with these time limits. Start Jupyter from this folder."""

c = get_config()  # noqa: F821  (injected by traitlets when nbgrader loads this file)

# A cell that runs longer than this is stopped (seconds); the kernel gets a little
# longer to start. The same limits as the grader's.
c.Execute.timeout = {timeout}
c.Execute.startup_timeout = {startup_timeout}
'''

GITIGNORE = """\
__pycache__/
*.pyc
*.egg-info/
.ipynb_checkpoints/
.virtual_documents/
"""


def _read_notebook(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _cell_source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _title(notebook: Path) -> str:
    """The first markdown heading of a notebook, without its ``#``."""
    for cell in _read_notebook(notebook)["cells"]:
        if cell["cell_type"] == "markdown":
            for line in _cell_source(cell).splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return notebook.stem


def _assignments(folder: Path) -> list[str]:
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and any(p.glob("*.ipynb")))


def release_problems(root: Path = ROOT) -> list[str]:
    """Ways in which ``release/`` does not match ``source/`` (empty when in sync).

    A cheap structural check, no nbgrader run: the same assignments and notebooks,
    the same cells in the same order (type and nbgrader ``grade_id``), the same
    text in every cell that holds neither a solution nor hidden tests, and no
    nbgrader marker left in a release notebook.

    Parameters
    ----------
    root : Path
        The course root (holding ``source/`` and ``release/``).

    Returns
    -------
    list of str
        One sentence per problem, naming the file.
    """
    root = Path(root)
    source, release = _assignments(root / "source"), _assignments(root / "release")
    problems = [f"release/{name} is missing" for name in sorted(set(source) - set(release))]
    problems += [f"release/{name} has no source/{name}"
                 for name in sorted(set(release) - set(source))]
    for name in sorted(set(source) & set(release)):
        for src_path in sorted((root / "source" / name).glob("*.ipynb")):
            rel_path = root / "release" / name / src_path.name
            where = f"release/{name}/{src_path.name}"
            if not rel_path.is_file():
                problems.append(f"{where} is missing")
                continue
            src_cells = _read_notebook(src_path)["cells"]
            rel_cells = _read_notebook(rel_path)["cells"]

            def layout(cells: list[dict]) -> list[tuple[str, str | None]]:
                return [(c["cell_type"], c.get("metadata", {}).get("nbgrader", {}).get("grade_id"))
                        for c in cells]

            if layout(src_cells) != layout(rel_cells):
                problems.append(f"{where} has other cells than source/ (added, removed or moved)")
                continue
            for index, (src, rel) in enumerate(zip(src_cells, rel_cells, strict=True)):
                src_text, rel_text = _cell_source(src), _cell_source(rel)
                if any(marker in rel_text for marker in MARKERS):
                    problems.append(f"{where}, cell {index}: holds an nbgrader marker")
                secret = (src.get("metadata", {}).get("nbgrader", {}).get("solution")
                          or any(marker in src_text for marker in MARKERS))
                if not secret and src_text != rel_text:
                    problems.append(f"{where}, cell {index}: text differs from source/")
    return problems


def edition_files(root: Path = ROOT) -> dict[str, Path]:
    """The course files that go into the edition, by their path inside it.

    Parameters
    ----------
    root : Path
        The course root.

    Returns
    -------
    dict of str to Path
        ``course/*``, ``release/<assignment>/*`` (notebooks and data files),
        ``dlcourse/**/*.py`` and ``environment.yml``; never a cache or checkpoint.
    """
    root = Path(root)
    files: dict[str, Path] = {"environment.yml": root / "environment.yml"}
    folders = [root / "course"] + [root / "release" / a for a in _assignments(root / "release")]
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            rel = path.relative_to(root).as_posix()
            if path.is_file() and not DISPOSABLE.search(rel) and not path.name.startswith("."):
                files[rel] = path
    for path in sorted((root / "dlcourse").rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        if not DISPOSABLE.search(rel):
            files[rel] = path
    return files


def _pyproject(root: Path) -> str:
    """A pyproject.toml that packages ``dlcourse`` alone, with the course's runtime pins."""
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    deps = "\n".join(f'    "{dep}",' for dep in project["dependencies"])
    return f"""\
# The course's helper library, for `pip install -e .` (Binder's postBuild runs it with
# --no-deps: there environment.yml installs the packages). Generated with the course.
[build-system]
requires = ["setuptools>=77"]
build-backend = "setuptools.build_meta"

[project]
name = "dlcourse"
version = "{project["version"]}"
description = "Deep Learning Foundations: the helper library of the lessons and exercises"
readme = "README.md"
requires-python = "{project["requires-python"]}"
license = "MIT"
dependencies = [
{deps}
]

[tool.setuptools.packages.find]
include = ["dlcourse*"]
"""


def _nbgrader_config(root: Path) -> str:
    """The student config: the instructor's Execute time limits, nothing else."""
    text = (root / "nbgrader_config.py").read_text()

    def setting(name: str, default: int) -> int:
        found = re.search(rf"^c\.Execute\.{name}\s*=\s*(\d+)", text, re.M)
        return int(found.group(1)) if found else default

    return NBGRADER_CONFIG.format(timeout=setting("timeout", 120),
                                  startup_timeout=setting("startup_timeout", 60))


def _readme(root: Path, repo: str, branch: str) -> str:
    lessons = sorted((root / "course").glob("*.ipynb"))
    exercises = [(a, sorted((root / "release" / a).glob("*.ipynb")))
                 for a in _assignments(root / "release")]
    first = lessons[0].relative_to(root).as_posix() if lessons else "course"
    binder = f"https://mybinder.org/v2/gh/{repo}/{branch}?urlpath=lab/tree/{first}"
    env_text = (root / "environment.yml").read_text()
    found = re.search(r"^name:\s*(\S+)", env_text, re.M)
    env_name = found.group(1) if found else "dlcourse"
    # The extra index of environment.yml (PyTorch's CPU-only wheels), for the pip route.
    found = re.search(r"--extra-index-url\s+(\S+)", env_text)
    extra_index = f"--extra-index-url {found.group(1)} " if found else ""
    lines = [
        "# Deep Learning Foundations (student edition)",
        "",
        f"[![Binder](https://mybinder.org/badge_logo.svg)]({binder})",
        "",
        "An open, Jupyter-based course on neural-network basics for people who already know",
        "scikit-learn: NumPy first, then Keras and PyTorch side by side, the practical pitfalls,",
        "and when a network beats scikit-learn. Click the badge to open the course in your",
        "browser on Binder (the first start takes a few minutes), or run it on your machine.",
        "",
        "Binder sessions are temporary: **download your notebooks before you close the tab**",
        "(right-click a file, *Download*), or your work is lost.",
        "",
        "## Lessons",
        "",
        "Read them in order, running each top to bottom (*Run → Run All Cells*). Cells with",
        "sliders are live widgets: move the sliders and watch the plots change.",
        "",
    ]
    lines += [f"{i}. [{_title(p)}]({p.relative_to(root).as_posix()})"
              for i, p in enumerate(lessons, 1)]
    lines += [
        "",
        "## Exercises",
        "",
        "After a lesson, solve its exercise notebook:",
        "",
    ]
    for _, notebooks in exercises:
        lines += [f"- [{_title(p)}]({p.relative_to(root).as_posix()})" for p in notebooks]
    lines += [
        "",
        "Replace each `raise NotImplementedError()` with your code, keeping the `def` line as it",
        "is, and run the test cell under each function: the visible tests say what was expected",
        "and what came back, and give a hint. The grader runs further hidden tests with other",
        "shapes and values, so test your code beyond the examples. Written answers go in the",
        "cells that say `YOUR ANSWER HERE`. Do not edit or delete the test cells: the grader",
        "restores them, and changed cells are reported.",
        "",
        "## Check your work: validate",
        "",
        "Before you submit, run *Kernel → Restart Kernel and Run All Cells*, then click",
        "**Validate** in the notebook's toolbar: it runs the whole notebook from a fresh kernel",
        "and lists the cells whose tests fail. From a terminal, in this folder:",
        "",
        "```bash",
        "nbgrader validate release/ps01_neuron/ps01_neuron.ipynb",
        "```",
        "",
        "Passing the visible tests does not guarantee full marks: the hidden tests check more.",
        "",
        "## Submit",
        "",
        "Hand in the exercise notebook itself, e.g. `ps01_neuron.ipynb`, under its own name,",
        "as your instructor asks (upload it to the course page or send it). The grader reads",
        "only the `.ipynb` file and runs it from the top, so it must run without the state of",
        "your session. Do not rename it, and do not submit a copy made with *Save As*, a PDF",
        "or a screenshot.",
        "",
        "## Run it on your machine",
        "",
        "You need Python 3.11 and about 3.5 GB of disk (TensorFlow and PyTorch, CPU builds).",
        "Always start Jupyter from this folder, so that nbgrader finds `nbgrader_config.py`.",
        "",
        "With conda (or mamba), as Binder does:",
        "",
        "```bash",
        "conda env create -f environment.yml",
        f"conda activate {env_name}",
        "pip install --no-deps -e .",
        "jupyter lab",
        "```",
        "",
        "With pip only" + (" (the extra index gives PyTorch's CPU-only build, far smaller):"
                           if extra_index else ":"),
        "",
        "```bash",
        "python3.11 -m venv .venv",
        "source .venv/bin/activate          # Windows: .venv\\Scripts\\activate",
        f"pip install {extra_index}-e .",
        "jupyter lab",
        "```",
        "",
        "## What is here",
        "",
        "```",
        "course/             the lessons, in order",
        "release/psNN_name/  the exercises",
        "dlcourse/           the course's helper library: checks, datasets, live widgets",
        "environment.yml     the packages (Binder builds it)",
        "postBuild           Binder's last build step: installs dlcourse",
        "```",
        "",
    ]
    return "\n".join(lines)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _present(dest: Path) -> list[str]:
    """Files under ``dest`` (relative), leaving out kept and disposable ones."""
    found = []
    for path in dest.rglob("*"):
        rel = path.relative_to(dest).as_posix()
        if rel.split("/")[0] in KEEP or DISPOSABLE.search(rel):
            continue
        if path.is_file() or path.is_symlink():
            found.append(rel)
    return sorted(found)


def _check_destination(dest: Path, force: bool) -> None:
    """Raise EditionError unless ``dest`` may be (re)written."""
    if not dest.exists():
        return
    if not dest.is_dir():
        raise EditionError(f"{dest} exists and is not a folder")
    if not [p for p in dest.iterdir() if p.name not in KEEP]:
        return
    manifest = dest / MANIFEST
    if not manifest.is_file():
        raise EditionError(
            f"{dest} is not empty and is not a student edition (it has no {MANIFEST}): "
            "refusing to write into it; choose an empty or new folder"
        )
    try:
        written = json.loads(manifest.read_text())["files"]
    except (ValueError, KeyError, TypeError) as err:
        raise EditionError(f"{manifest} is not readable ({err}): refusing to touch {dest}") from err
    changed = [rel for rel, digest in written.items()
               if (dest / rel).is_file() and _digest(dest / rel) != digest]
    added = [rel for rel in _present(dest) if rel not in written and rel != MANIFEST]
    if (changed or added) and not force:
        listed = ", ".join((changed + added)[:10]) + (" ..." if len(changed + added) > 10 else "")
        raise EditionError(
            f"{dest} is a student edition, but {len(changed)} file(s) were changed and "
            f"{len(added)} added since it was built ({listed}): someone's work may be there. "
            "Move them away, or pass --force to replace them."
        )


def build_edition(dest: Path, root: Path = ROOT, repo: str = DEFAULT_REPO,
                  branch: str = DEFAULT_BRANCH, force: bool = False,
                  check_release: bool = True) -> list[str]:
    """Write the student edition of the course at ``root`` into ``dest``.

    Parameters
    ----------
    dest : Path
        A new or empty folder, or a previous edition (replaced; its ``.git`` is kept).
    root : Path, default the repository of this file
        The course root.
    repo : str, default ``DEFAULT_REPO``
        ``owner/name`` of the student repository on GitHub, for the Binder badge.
    branch : str, default "main"
        The branch Binder builds.
    force : bool, default False
        Replace a previous edition even if files were changed or added in it.
    check_release : bool, default True
        Refuse when ``release/`` does not match ``source/`` (see ``release_problems``).

    Returns
    -------
    list of str
        The paths written, relative to ``dest`` (the manifest last).

    Raises
    ------
    EditionError
        If ``release/`` is out of date or ``dest`` holds files that are not an
        unchanged previous edition (``force`` lifts the latter for editions only).
    """
    root, dest = Path(root).resolve(), Path(dest).resolve()
    if not re.fullmatch(r"[A-Za-z0-9][\w.-]*/[\w.-]+", repo):
        raise EditionError(f"repo must look like owner/name, got {repo!r}")
    if dest == root or root in dest.parents or dest in root.parents:
        raise EditionError(f"{dest} is inside the course repository (or holds it): choose another")
    problems = release_problems(root) if check_release else []
    if problems:
        raise EditionError("release/ is out of date with source/; run `make release`:\n  "
                           + "\n  ".join(problems))
    _check_destination(dest, force)

    generated = {
        "README.md": _readme(root, repo, branch),
        "pyproject.toml": _pyproject(root),
        "nbgrader_config.py": _nbgrader_config(root),
        "postBuild": POSTBUILD,
        ".gitignore": GITIGNORE,
    }
    dest.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".student-edition-", dir=dest.parent))
    try:
        for rel, src in edition_files(root).items():
            (staging / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, staging / rel)
        for rel, text in generated.items():
            (staging / rel).write_text(text)
        (staging / "postBuild").chmod(0o755)
        written = sorted(p.relative_to(staging).as_posix()
                         for p in staging.rglob("*") if p.is_file())
        manifest = {
            "generator": "tools/student_edition.py",
            "repo": repo,
            "branch": branch,
            "files": {rel: _digest(staging / rel) for rel in written},
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n")
        dest.mkdir(exist_ok=True)
        for old in dest.iterdir():
            if old.name in KEEP:
                continue
            if old.is_dir() and not old.is_symlink():
                shutil.rmtree(old)
            else:
                old.unlink()
        for new in staging.iterdir():
            new.rename(dest / new.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [*written, MANIFEST]


def main(argv: list[str] | None = None) -> int:
    """Command line: build the edition, print a summary; exit 1 with a reason on refusal."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dest", type=Path,
                        help="folder to write (new, empty or a previous edition)")
    parser.add_argument("--repo", default=DEFAULT_REPO,
                        help=f"owner/name of the student repository (default {DEFAULT_REPO})")
    parser.add_argument("--branch", default=DEFAULT_BRANCH,
                        help="branch Binder builds (default main)")
    parser.add_argument("--force", action="store_true",
                        help="replace a previous edition even if files were changed or added in it")
    args = parser.parse_args(argv)
    try:
        written = build_edition(args.dest, repo=args.repo, branch=args.branch, force=args.force)
    except EditionError as err:
        print(f"student edition: {err}", file=sys.stderr)
        return 1
    size = sum((args.dest / rel).stat().st_size for rel in written)
    print(f"wrote the student edition to {args.dest}: {len(written)} files, {size / 1e6:.1f} MB")
    if args.repo == DEFAULT_REPO:
        print(f"note: the Binder badge points at the placeholder {DEFAULT_REPO}; "
              "pass --repo owner/name (make: STUDENT_EDITION_REPO=owner/name)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
