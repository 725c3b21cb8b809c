"""Every lesson notebook executes top to bottom without error, and is stored
without outputs. Claims the lessons make are asserted inside the notebooks, so
running them checks the claims too."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from nbrun import run_notebook

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted((ROOT / "course").glob("*.ipynb"))
ALL_NOTEBOOKS = sorted(
    [*LESSONS, *(ROOT / "source").glob("*/*.ipynb"), *(ROOT / "release").glob("*/*.ipynb")]
)


def test_there_are_lessons() -> None:
    assert LESSONS, "course/ holds no lesson notebooks"


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_stored_without_outputs(path: Path) -> None:
    nb = json.loads(path.read_text())
    with_outputs = [i for i, c in enumerate(nb["cells"]) if c.get("outputs")]
    counted = [i for i, c in enumerate(nb["cells"]) if c.get("execution_count")]
    assert not with_outputs and not counted, (
        f"{path.name}: cells {with_outputs or counted} are stored with outputs; "
        "strip them before committing"
    )


@pytest.mark.slow
@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_lesson_executes(path: Path) -> None:
    run_notebook(path, timeout=300)
