"""Every notebook is stored without outputs.

The lessons are executed top to bottom in test_browser.py (Run All Cells in
JupyterLab, where no cell may raise and every cell must run); claims the lessons
make are asserted inside the notebooks, so that run checks the claims too. They
are not run a second time here: nbclient would check nothing more and cost CI
minutes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

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
