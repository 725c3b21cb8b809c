"""Alternative correct and mistaken implementations of the graded functions.

Each assignment's module defines ``VARIANTS``: a list of :class:`Variant`. A
variant replaces some solution cells (by nbgrader ``grade_id``) with its own
code; the other cells keep the reference solution. ``fails`` names exactly the
graded test cells that must lose their points (empty for a correct variant).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Variant:
    """One submission to grade: code for some solution cells and the verdict it deserves."""

    name: str
    cells: dict[str, str]
    fails: frozenset[str] = field(default_factory=frozenset)

    @property
    def correct(self) -> bool:
        return not self.fails


def correct(name: str, **cells: str) -> Variant:
    """A correct alternative: must earn full marks."""
    return Variant(name, cells)


def mistake(name: str, fails: set[str], **cells: str) -> Variant:
    """A mistaken implementation: must lose exactly the points of ``fails``."""
    if not fails:
        raise ValueError(f"mistake {name!r} must name the test cells it fails")
    return Variant(name, cells, frozenset(fails))


def covering(variants: list[Variant]) -> list[Variant]:
    """A few variants that together still exercise every part of the contract: for
    every graded cell that some mistake fails, the first mistake failing it; for every
    solution cell that some correct variant rewrites, the first such variant.

    Used where grading every variant is too slow (plain ``nbgrader autograde`` starts
    two kernels per notebook); the in-process and sandboxed runs grade them all.
    """
    chosen: list[Variant] = []
    graded = sorted({cell for v in variants for cell in v.fails})
    rewritten = sorted({cell for v in variants if v.correct for cell in v.cells})
    for cell in graded:
        if not any(cell in v.fails for v in chosen):
            chosen.append(next(v for v in variants if cell in v.fails))
    for cell in rewritten:
        if not any(v.correct and cell in v.cells for v in chosen):
            chosen.append(next(v for v in variants if v.correct and cell in v.cells))
    return chosen
