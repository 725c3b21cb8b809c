"""Command line: ``python -m autograder release [ASSIGNMENT ...]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from autograder.release import generate_release


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the chosen command; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m autograder", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    rel = sub.add_parser("release", help="regenerate release/ from source/ with nbgrader")
    rel.add_argument("assignments", nargs="*", help="assignments to generate (default: all)")
    rel.add_argument("--root", type=Path, default=Path.cwd(), help="course root (default: .)")
    args = parser.parse_args(argv)

    if args.command == "release":
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
