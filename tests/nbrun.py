"""Run a notebook top to bottom with nbclient, as a student's kernel would."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbclient import NotebookClient


def run_notebook(path: Path, timeout: int = 120, cwd: Path | None = None) -> nbformat.NotebookNode:
    """Execute every cell of the notebook at ``path`` in its own folder.

    Raises ``nbclient.exceptions.CellExecutionError`` naming the failing cell.
    Returns the executed notebook (the file on disk is not modified).
    """
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(cwd or path.parent)}},
    )
    client.execute()
    return nb
