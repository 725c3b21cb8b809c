"""Notebooks: wall time and peak kernel memory of every lesson and solved exercise."""

from __future__ import annotations

import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
TIME_BUDGET_S = 60.0
MEMORY_BUDGET_MB = 1.2 * 1024
PEAK_RSS_CELL = "import resource as _r; print(_r.getrusage(_r.RUSAGE_SELF).ru_maxrss)"


def measure(path: Path) -> tuple[float, float]:
    """Execute ``path`` in a fresh kernel; return (seconds, peak kernel RSS in MiB).

    The peak comes from ``getrusage`` inside the kernel, run as an extra last cell.
    """
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(PEAK_RSS_CELL))
    client = NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    peak_kib = int(nb.cells[-1].outputs[0]["text"].strip())
    return seconds, peak_kib / 1024


def notebooks() -> list[Path]:
    """Every lesson and every solved (source) exercise notebook."""
    return sorted((ROOT / "course").glob("*.ipynb")) + sorted((ROOT / "source").glob("*/*.ipynb"))


def run() -> list[dict]:
    rows, total = [], 0.0
    for path in notebooks():
        seconds, peak_mb = measure(path)
        total += seconds
        label = str(path.relative_to(ROOT))
        rows.append({"name": f"{label} time", "value": seconds, "unit": "s",
                     "budget": TIME_BUDGET_S})
        rows.append({"name": f"{label} peak kernel memory", "value": peak_mb, "unit": "MiB",
                     "budget": MEMORY_BUDGET_MB})
    rows.append({"name": "whole course", "value": total, "unit": "s", "budget": 8 * 60.0})
    return rows
