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
