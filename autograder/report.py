"""What a batch produces for people: grades.csv, per-student feedback HTML that
never shows hidden-test source, and an instructor summary."""

from __future__ import annotations

import csv
import html
from pathlib import Path

import numpy as np

from autograder.batch import StudentResult
from autograder.gradebook import NotebookSpec

STYLE = """<style>
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:.3rem .6rem;
text-align:left;vertical-align:top}.pass{color:#176117}.fail{color:#a11}.note{color:#555}
pre{white-space:pre-wrap;background:#f6f6f6;padding:.5rem;max-height:20rem;overflow:auto}</style>"""


def max_score(specs: dict[str, NotebookSpec]) -> float:
    """Autograded points available (written answers are graded in formgrader)."""
    return sum(
        c.points
        for s in specs.values()
        for c in s.cells.values()
        if c.points is not None and not c.solution
    )


def write_grades_csv(
    path: Path, assignment: str, results: list[StudentResult], specs: dict[str, NotebookSpec]
) -> None:
    """One row per student folder; per-test-cell points after the fixed columns."""
    tests = [
        (n, g)
        for n, s in specs.items()
        for g, c in s.cells.items()
        if c.points is not None and not c.solution
    ]
    top = max_score(specs)
    with path.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(
            [
                "student_id",
                "assignment",
                "score",
                "max_score",
                "status",
                "notes",
                "seconds",
                "peak_memory_mb",
                *[g for _, g in tests],
            ]
        )
        for r in results:
            earned = {
                (nb.name, c.grade_id): (c.max_points if c.passed else 0.0)
                for nb in r.notebooks
                for c in nb.cells
                if c.kind == "test"
            }
            w.writerow(
                [
                    r.student_id,
                    assignment,
                    f"{r.score:g}",
                    f"{top:g}",
                    r.status,
                    "; ".join(r.events),
                    f"{r.seconds:.2f}",
                    f"{r.peak_memory_mb:.0f}",
                    *[f"{earned.get(t, 0.0):g}" for t in tests],
                ]
            )


def _outputs_text(nb_json: dict | None) -> list[tuple[int, str]]:
    """(cell number, text) of what the student's own cells printed or raised."""
    if not nb_json:
        return []
    shown = []
    for i, cell in enumerate(nb_json.get("cells", []), 1):
        if cell.get("cell_type") != "code":
            continue
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("grade") and not meta.get("solution"):
            continue  # test cells: only their verdict is shown
        parts = []
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                parts.append("".join(out.get("text", "")))
            elif out.get("output_type") == "error":
                parts.append(f"{out.get('ename')}: {out.get('evalue')}")
        if parts:
            shown.append((i, "".join(parts)[-3000:]))
    return shown


def write_feedback(folder: Path, assignment: str, res: StudentResult, top: float) -> Path:
    """The student's feedback page: score, each graded cell's verdict and message."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for nb in res.notebooks:
        for c in nb.cells:
            if c.kind == "written":
                verdict = '<span class="note">graded by your instructor</span>'
                points = f"– / {c.max_points:g}"
            elif c.passed:
                verdict, points = (
                    '<span class="pass">passed</span>',
                    f"{c.max_points:g} / {c.max_points:g}",
                )
            else:
                verdict = f'<span class="fail">failed</span><br>{html.escape(c.message)}'
                points = f"0 / {c.max_points:g}"
            rows.append(
                f"<tr><td>{html.escape(c.grade_id)}</td><td>{points}</td><td>{verdict}</td></tr>"
            )
    outputs = "".join(
        f"<h3>cell {i}</h3><pre>{html.escape(text)}</pre>"
        for nb in res.notebooks
        for i, text in _outputs_text(nb.autograded)
    )
    notes = "".join(f"<li>{html.escape(e)}</li>" for e in res.events)
    page = (
        f"<!doctype html><meta charset='utf-8'><title>{html.escape(assignment)} feedback"
        f"</title>{STYLE}<h1>{html.escape(assignment)}: feedback for "
        f"{html.escape(res.student_id)}</h1>"
        f"<p><b>Autograded score: {res.score:g} / {top:g}</b> (status: {res.status}). "
        "Written answers are graded separately by your instructor.</p>"
        f"<table><tr><th>graded cell</th><th>points</th><th>result</th></tr>{''.join(rows)}"
        "</table>"
        + (f"<h2>Notes</h2><ul>{notes}</ul>" if notes else "")
        + (f"<h2>What your cells printed</h2>{outputs}" if outputs else "")
    )
    path = folder / f"{assignment}.html"
    path.write_text(page)
    return path


def histogram_svg(scores: np.ndarray, top: float, title: str) -> str:
    """An SVG bar chart of how many students got each score (bins of one point).

    Parameters
    ----------
    scores : ndarray of shape (n,)
        Autograded scores.
    top : float
        The maximum score; bins run from 0 to ``top``.
    title : str
        Shown above the chart.
    """
    edges = np.arange(0, np.floor(top) + 2) - 0.5
    counts, _ = np.histogram(scores, bins=edges)
    w, h, left, bottom = 520, 260, 50, 40
    bar_w = (w - left - 10) / len(counts)
    peak = max(int(counts.max()) if len(counts) else 0, 1)
    bars, labels = [], []
    for i, c in enumerate(counts):
        bh = (h - bottom - 30) * c / peak
        x = left + i * bar_w
        bars.append(
            f'<rect x="{x + 1:.1f}" y="{h - bottom - bh:.1f}" width="{bar_w - 2:.1f}" '
            f'height="{bh:.1f}" fill="#4a7fb5"><title>{c} students scored {i}</title>'
            "</rect>"
        )
        labels.append(
            f'<text x="{x + bar_w / 2:.1f}" y="{h - bottom + 15}" font-size="11" '
            f'text-anchor="middle">{i}</text>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
        'font-family="sans-serif">'
        f'<text x="{w / 2}" y="16" text-anchor="middle" font-size="13">{html.escape(title)}: '
        f"{len(scores)} graded submissions</text>"
        f'<line x1="{left}" y1="{h - bottom}" x2="{w - 10}" y2="{h - bottom}" stroke="#333"/>'
        f'<line x1="{left}" y1="30" x2="{left}" y2="{h - bottom}" stroke="#333"/>'
        f'<text x="{left - 6}" y="34" text-anchor="end" font-size="11">{peak}</text>'
        f'<text x="{left - 6}" y="{h - bottom}" text-anchor="end" font-size="11">0</text>'
        + "".join(bars)
        + "".join(labels)
        + f'<text x="{(w + left) / 2}" y="{h - 6}" text-anchor="middle" font-size="12">'
        f"autograded score (out of {top:g})</text>"
        f'<text x="14" y="{h / 2}" font-size="12" transform="rotate(-90 14 {h / 2})" '
        'text-anchor="middle">students</text></svg>'
    )


def write_summary(
    out: Path,
    assignment: str,
    results: list[StudentResult],
    specs: dict[str, NotebookSpec],
    wall_seconds: float,
) -> Path:
    """Instructor summary: histogram, pass rate per graded cell, slowest, flagged."""
    top = max_score(specs)
    graded = [r for r in results if r.status == "graded"]
    scores = np.array([r.score for r in graded])
    (out / "score_histogram.svg").write_text(histogram_svg(scores, top, assignment))

    cells = [
        (g, c.points)
        for s in specs.values()
        for g, c in s.cells.items()
        if c.points is not None and not c.solution
    ]
    rate_rows = []
    for gid, pts in cells:
        outcomes = [
            c.passed for r in graded for nb in r.notebooks for c in nb.cells if c.grade_id == gid
        ]
        rate = np.mean(outcomes) if outcomes else float("nan")
        rate_rows.append(f"<tr><td>{html.escape(gid)}</td><td>{pts:g}</td><td>{rate:.0%}</td></tr>")
    slow = sorted(results, key=lambda r: r.seconds, reverse=True)[:10]
    slow_rows = "".join(
        f"<tr><td>{html.escape(r.student_id)}</td><td>{r.seconds:.2f} s</td>"
        f"<td>{r.peak_memory_mb:.0f} MiB</td></tr>"
        for r in slow
    )
    counts = {
        s: sum(r.status == s for r in results) for s in ("graded", "invalid", "missing", "error")
    }
    flagged = "".join(
        f"<tr><td>{html.escape(r.student_id)}</td><td>{html.escape('; '.join(r.events))}</td></tr>"
        for r in results
        if r.events
    )
    mean = f"{scores.mean():.2f}" if len(scores) else "–"
    page = (
        f"<!doctype html><meta charset='utf-8'><title>{assignment} summary</title>{STYLE}"
        f"<h1>{html.escape(assignment)}: grading summary</h1>"
        f"<p>{len(results)} student folders: "
        + ", ".join(f"{v} {k}" for k, v in counts.items())
        + f". Mean autograded score {mean} / {top:g}. Batch wall time {wall_seconds:.1f} s.</p>"
        "<img src='score_histogram.svg' alt='histogram of scores'>"
        "<p>The histogram counts graded submissions per autograded score.</p>"
        f"<h2>Pass rate per graded cell</h2><table><tr><th>cell</th><th>points</th>"
        f"<th>passed</th></tr>{''.join(rate_rows)}</table>"
        f"<h2>Slowest submissions</h2><table><tr><th>student</th><th>time</th>"
        f"<th>peak memory</th></tr>{slow_rows}</table>"
        f"<h2>Submissions with notes</h2><table><tr><th>student</th><th>what happened</th></tr>"
        f"{flagged}</table>"
    )
    path = out / "summary.html"
    path.write_text(page)
    return path
