"""Grading round trips with nbgrader itself, in a temporary course.

The reference solution earns every autograded point; the untouched release
notebook earns 0 without breaking the run; each mistaken implementation of
tests/variants loses exactly the points of the cells it fails; each alternative
correct implementation earns full marks."""

from __future__ import annotations

import importlib

import pytest
from harness import (
    autograde,
    build_submission,
    graded_cells,
    make_course,
    release_notebook,
    variant_assignments,
)

ASSIGNMENTS = variant_assignments()
pytestmark = pytest.mark.slow


@pytest.fixture(
    scope="module",
    # one xdist group per assignment: its module-scoped batch is graded once, on one worker
    params=[pytest.param(a, marks=pytest.mark.xdist_group(a)) for a in ASSIGNMENTS],
)
def graded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    assignment = request.param
    variants = importlib.import_module(f"variants.{assignment}").VARIANTS
    submissions = {
        "reference": build_submission(assignment, {}),
        "untouched": release_notebook(assignment),
        **{v.name: build_submission(assignment, v.cells) for v in variants},
    }
    course = make_course(tmp_path_factory.mktemp(assignment), [assignment])
    scores = autograde(course, assignment, submissions)
    return assignment, variants, scores, course


def test_reference_earns_full_marks(graded) -> None:
    assignment, _, scores, _ = graded
    assert scores["reference"] == graded_cells(assignment)


def test_untouched_release_earns_zero(graded) -> None:
    assignment, _, scores, course = graded
    assert set(scores["untouched"]) == set(graded_cells(assignment))
    assert sum(scores["untouched"].values()) == 0.0
    assert (course / "autograded" / "untouched" / assignment / f"{assignment}.ipynb").is_file()


def test_variants_are_scored(graded) -> None:
    assignment, variants, scores, _ = graded
    points = graded_cells(assignment)
    wrong = {}
    for v in variants:
        expected = {cell: (0.0 if cell in v.fails else p) for cell, p in points.items()}
        if scores[v.name] != expected:
            wrong[v.name] = (scores[v.name], expected)
    assert not wrong, f"nbgrader scored these variants wrongly (got, expected): {wrong}"
