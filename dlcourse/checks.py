"""Teaching assertions for the visible tests of the exercises.

Each check raises ``AssertionError`` with a message that says what was
expected, what came back and a hint, never the answer itself.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["check_close", "check_shape", "check_unchanged", "check_is_array"]


def _fmt_shape(shape: Sequence[int]) -> str:
    return "(" + ", ".join(str(int(s)) for s in shape) + ("," if len(shape) == 1 else "") + ")"


def check_is_array(name: str, got: object, hint: str = "") -> np.ndarray:
    """Check that ``got`` is a NumPy array (or converts to a numeric one).

    Parameters
    ----------
    name : str
        What is being checked, e.g. ``"relu(z)"``; used in the message.
    got : object
        The value the student's function returned.
    hint : str, optional
        A nudge towards the fix, shown after the message.

    Returns
    -------
    numpy.ndarray
        ``got`` converted with ``np.asarray``.
    """
    if got is None:
        raise AssertionError(
            f"{name} returned None, expected an array. "
            "Hint: did you forget the `return` statement?" + (f" {hint}" if hint else "")
        )
    arr = np.asarray(got)
    if arr.dtype == object or not np.issubdtype(arr.dtype, np.number) and arr.dtype != bool:
        raise AssertionError(
            f"{name} returned {type(got).__name__} that is not a numeric array."
            + (f" Hint: {hint}" if hint else "")
        )
    return arr


def check_shape(name: str, got: object, expected: Sequence[int], hint: str = "") -> np.ndarray:
    """Check the shape of a returned array.

    Parameters
    ----------
    name : str
        What is being checked, used in the message.
    got : array_like
        The value returned by the student's code.
    expected : sequence of int
        The shape it must have.
    hint : str, optional
        A nudge towards the fix.

    Returns
    -------
    numpy.ndarray
        ``got`` as an array, for further checks.
    """
    arr = check_is_array(name, got, hint)
    if tuple(arr.shape) != tuple(expected):
        raise AssertionError(
            f"{name} has shape {_fmt_shape(arr.shape)}, expected {_fmt_shape(expected)}."
            + (f" Hint: {hint}" if hint else "")
        )
    return arr


def check_close(
    name: str,
    got: object,
    expected: object,
    hint: str = "",
    *,
    rtol: float = 1e-6,
    atol: float = 1e-8,
) -> None:
    """Check values against a reference, with tolerances (never exact floats).

    The message reports where the largest difference is and its size, so a
    student can locate the mistake without being shown the expected array.

    Parameters
    ----------
    name : str
        What is being checked, used in the message.
    got : array_like
        The value returned by the student's code.
    expected : array_like
        The reference value; its shape is checked first.
    hint : str, optional
        A nudge towards the fix.
    rtol, atol : float, optional
        Relative and absolute tolerances, as in ``numpy.allclose``.
    """
    exp = np.asarray(expected, dtype=float)
    arr = check_shape(name, got, exp.shape, hint).astype(float)
    if not np.all(np.isfinite(arr)):
        bad = int(np.size(arr) - np.count_nonzero(np.isfinite(arr)))
        raise AssertionError(
            f"{name} contains {bad} nan or inf value(s); expected finite numbers."
            + (f" Hint: {hint}" if hint else "")
        )
    err = np.abs(arr - exp)
    tol = atol + rtol * np.abs(exp)
    if np.any(err > tol):
        worst = np.unravel_index(int(np.argmax(err - tol)), err.shape) if err.ndim else ()
        n_bad = int(np.count_nonzero(err > tol))
        where = f" at index {tuple(int(i) for i in worst)}" if worst else ""
        raise AssertionError(
            f"{name} has {n_bad} of {err.size} value(s) wrong; the largest error is "
            f"{float(err[worst]):.3g}{where}." + (f" Hint: {hint}" if hint else "")
        )


def check_unchanged(name: str, before: np.ndarray, after: np.ndarray) -> None:
    """Check that a function left one of its input arrays unmodified.

    Parameters
    ----------
    name : str
        The argument's name, e.g. ``"z"``.
    before : numpy.ndarray
        A copy taken before the call.
    after : numpy.ndarray
        The same argument after the call.
    """
    if before.shape != after.shape or not np.array_equal(before, after, equal_nan=True):
        raise AssertionError(
            f"Your function modified its input `{name}` in place. Graded functions must "
            "leave their inputs unchanged. Hint: work on a copy, or build a new array "
            "(for example with np.maximum or np.where) instead of assigning into the input."
        )
