"""Command line of the course's grading tools.

``python -m autograder release [ASSIGNMENT ...]``
    Regenerate release/ from source/ with nbgrader.
``python -m autograder grade ASSIGNMENT [--submissions DIR] [--out DIR] [--workers N]
[--timeout SECONDS] [--memory-mb MB] [--force] [--unsafe-no-sandbox]``
    Grade every submission safely and in parallel; write grades, feedback and a summary.
"""

from __future__ import annotations

import sys

# nbformat's schema validation pulls in jsonschema, which compiles an IRI grammar
# (rfc3987_syntax, ~0.75 s) for a string format no notebook schema uses: skip it.
sys.modules.setdefault("rfc3987_syntax", None)

import argparse  # noqa: E402
import os  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from autograder.release import generate_release  # noqa: E402


def _grade(args: argparse.Namespace) -> int:
    # nbgrader runs the `alembic` command installed next to this interpreter.
    os.environ["PATH"] = os.pathsep.join(
        [str(Path(sys.executable).parent), os.environ.get("PATH", "")]
    )
    from autograder.batch import grade_batch
    from autograder.gradebook import course_id, db_url, ensure_gradebook, load_specs
    from autograder.report import max_score, write_feedback, write_grades_csv, write_summary
    from autograder.sandbox import Limits, SandboxUnavailable, require_bwrap

    root = args.root.resolve()
    if not (root / "nbgrader_config.py").is_file():
        print(f"error: {root} has no nbgrader_config.py; run from the course root", file=sys.stderr)
        return 2
    if args.unsafe_no_sandbox:
        print(
            "WARNING: --unsafe-no-sandbox: student code runs with your privileges, "
            "network and files.",
            file=sys.stderr,
        )
    else:
        try:
            require_bwrap()
        except SandboxUnavailable as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    submissions = (args.submissions or root / "submitted").resolve()
    if not submissions.is_dir():
        print(f"error: no submissions folder {submissions}", file=sys.stderr)
        return 2
    out = (args.out or root / "grading-out" / args.assignment).resolve()
    out.mkdir(parents=True, exist_ok=True)
    try:
        if ensure_gradebook(root, args.assignment):
            print(f"gradebook updated from source/{args.assignment}", file=sys.stderr)
    except (FileNotFoundError, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    limits = Limits(
        cell_timeout=args.timeout,
        memory_mb=args.memory_mb,
        cpu_seconds=max(600, int(args.timeout * 10)),
    )
    start = time.perf_counter()
    results = grade_batch(
        root,
        args.assignment,
        submissions,
        out,
        args.workers,
        limits,
        sandbox=not args.unsafe_no_sandbox,
        force=args.force,
    )
    wall = time.perf_counter() - start
    specs = load_specs(db_url(root), args.assignment, course_id(root))
    top = max_score(specs)
    write_grades_csv(out / "grades.csv", args.assignment, results, specs)
    for res in results:
        write_feedback(out / "feedback" / res.student_id, args.assignment, res, top)
    write_summary(out, args.assignment, results, specs, wall)
    graded = sum(r.status == "graded" for r in results)
    reused = sum(r.reused for r in results)
    print(
        f"{len(results)} submissions ({graded} graded, {reused} unchanged since the last run) "
        f"in {wall:.1f} s; results in {out}"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the chosen command; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m autograder", description="Release and grade the course's assignments."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    rel = sub.add_parser("release", help="regenerate release/ from source/ with nbgrader")
    rel.add_argument("assignments", nargs="*", help="assignments to generate (default: all)")
    rel.add_argument("--root", type=Path, default=Path.cwd(), help="course root (default: .)")

    grade = sub.add_parser("grade", help="grade every submission of an assignment")
    grade.add_argument("assignment")
    grade.add_argument(
        "--submissions",
        type=Path,
        help="DIR/<student_id>/<assignment>/*.ipynb (default: submitted/)",
    )
    grade.add_argument(
        "--out", type=Path, help="where results go (default: grading-out/<assignment>/)"
    )
    grade.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="parallel grading processes (default: number of CPUs)",
    )
    grade.add_argument(
        "--timeout",
        type=float,
        default=60.0,
        help="wall-time limit per cell, in seconds (default: 60)",
    )
    grade.add_argument(
        "--memory-mb",
        type=int,
        default=2048,
        help="memory cap per submission, in MiB (default: 2048, like Binder)",
    )
    grade.add_argument(
        "--force", action="store_true", help="regrade every submission, even unchanged ones"
    )
    grade.add_argument(
        "--unsafe-no-sandbox",
        action="store_true",
        help="run student code WITHOUT isolation (only if bubblewrap is "
        "unavailable and you trust every submission)",
    )
    grade.add_argument("--root", type=Path, default=Path.cwd(), help="course root (default: .)")
    args = parser.parse_args(argv)

    if args.command == "grade":
        if args.workers < 1 or args.timeout <= 0 or args.memory_mb < 64:
            parser.error("--workers must be >= 1, --timeout > 0 and --memory-mb >= 64")
        return _grade(args)
    try:
        written = generate_release(args.root, args.assignments or None)
    except (FileNotFoundError, ValueError, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for path in written:
        print(f"generated {path.relative_to(args.root.resolve())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
