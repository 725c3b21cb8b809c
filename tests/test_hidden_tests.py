"""The hidden tests sort implementations correctly: every alternative correct
implementation in tests/variants passes every graded cell, and every mistaken
one fails exactly the graded cells it should. Runs in process (fast); the same
submissions are graded by nbgrader in test_grading.py."""

from __future__ import annotations

import importlib

import pytest
from harness import ROOT, failing_cells_in_process, graded_cells, variant_assignments
from variants import Variant

ASSIGNMENTS = variant_assignments()
CASES = [
    (name, variant)
    for name in ASSIGNMENTS
    for variant in importlib.import_module(f"variants.{name}").VARIANTS
]


def test_every_assignment_has_variants() -> None:
    sources = sorted(p.name for p in (ROOT / "source").iterdir() if p.is_dir())
    assert ASSIGNMENTS == sources, "each source/ assignment needs tests/variants/<name>.py"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_reference_solution_passes_everything(assignment: str) -> None:
    assert failing_cells_in_process(assignment, {}) == set()


@pytest.mark.parametrize(("assignment", "variant"), CASES, ids=lambda x: getattr(x, "name", x))
def test_variant_is_sorted(assignment: str, variant: Variant) -> None:
    assert variant.fails <= set(graded_cells(assignment)), "variant names unknown test cells"
    failing = failing_cells_in_process(assignment, variant.cells)
    if variant.correct:
        assert failing == set(), f"a correct implementation fails {sorted(failing)}"
    else:
        assert failing == set(variant.fails), (
            f"expected exactly {sorted(variant.fails)} to fail, got {sorted(failing)}"
        )


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_graded_function_has_mistakes_and_alternatives(assignment: str) -> None:
    variants = importlib.import_module(f"variants.{assignment}").VARIANTS
    for cell in graded_cells(assignment):
        assert any(cell in v.fails for v in variants), f"no mistake is caught by {cell}"
    solution_ids = {k for v in variants if v.correct for k in v.cells}
    failing_ids = {k for v in variants if not v.correct for k in v.cells}
    assert solution_ids == failing_ids, "each solution cell needs both kinds of variants"
