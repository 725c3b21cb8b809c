"""Grading round trips with nbgrader itself, in a temporary course.

The reference solution earns every autograded point; the untouched release
notebook earns 0 without breaking the run; mistaken implementations of
tests/variants lose exactly the points of the cells they fail, and alternative
correct implementations earn full marks. Plain nbgrader starts two kernels per
notebook (about 1 s, and several seconds for a Keras exercise), so it grades a
covering set (see ``variants.covering``: a mistake for every graded cell, an
alternative for every solution cell); test_hidden_tests and the sandboxed grader
in test_autograder sort every variant. One test per assignment, so that one
`nbgrader autograde` run serves all its checks (and xdist never splits it)."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from harness import (
    autograde,
    build_submission,
    graded_cells,
    make_course,
    release_notebook,
    variant_assignments,
)
from variants import covering

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("assignment", variant_assignments())
def test_nbgrader_round_trip(assignment: str, tmp_path: Path) -> None:
    variants = covering(importlib.import_module(f"variants.{assignment}").VARIANTS)
    submissions = {
        "reference": build_submission(assignment, {}),
        "untouched": release_notebook(assignment),
        **{v.name: build_submission(assignment, v.cells) for v in variants},
    }
    course = make_course(tmp_path, [assignment])
    scores = autograde(course, assignment, submissions)
    points = graded_cells(assignment)

    assert scores["reference"] == points, "the reference solution must earn full marks"
    assert set(scores["untouched"]) == set(points)
    assert sum(scores["untouched"].values()) == 0.0, "the release notebook must earn 0"
    assert (course / "autograded" / "untouched" / assignment / f"{assignment}.ipynb").is_file()
    wrong = {}
    for v in variants:
        expected = {cell: (0.0 if cell in v.fails else p) for cell, p in points.items()}
        if scores[v.name] != expected:
            wrong[v.name] = (scores[v.name], expected)
    assert not wrong, f"nbgrader scored these variants wrongly (got, expected): {wrong}"


@pytest.mark.parametrize("assignment", variant_assignments())
def test_covering_set_reaches_every_cell(assignment: str) -> None:
    """Plain nbgrader still sees every graded cell fail and every solution cell
    rewritten correctly, so shrinking its set cannot silently hollow the round trip."""
    every = importlib.import_module(f"variants.{assignment}").VARIANTS
    chosen = covering(every)
    assert all(v in every for v in chosen) and len(chosen) < len(every)
    assert {c for v in chosen for c in v.fails} == set(graded_cells(assignment))
    solutions = {c for v in every for c in v.cells}
    assert {c for v in chosen if v.correct for c in v.cells} == solutions
