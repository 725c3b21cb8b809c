"""Run every ``benchmarks/bench_*.py`` (or those named) and print their tables.

Each module exposes ``run() -> list[dict]``: one row per measured thing, with
at least ``name``, ``value``, ``unit`` and, where the course sets one, ``budget``.
Results are also written to ``benchmarks/results/<module>.json``.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    """Run the benchmarks named in ``argv`` (all by default); 1 if a budget is exceeded."""
    names = argv or sorted(p.stem.removeprefix("bench_") for p in HERE.glob("bench_*.py"))
    over = []
    (HERE / "results").mkdir(exist_ok=True)
    for name in names:
        module = importlib.import_module(f"benchmarks.bench_{name}")
        print(f"\n== {name}: {module.__doc__.strip().splitlines()[0]}")
        rows = module.run()
        for row in rows:
            budget = row.get("budget")
            flag = "" if budget is None else ("  ok" if row["value"] <= budget else "  OVER BUDGET")
            limit = "" if budget is None else f"  (budget {budget:g})"
            print(f"  {row['name']:<48} {row['value']:>10.3f} {row['unit']}{limit}{flag}")
            if budget is not None and row["value"] > budget:
                over.append(f"{name}: {row['name']}")
        (HERE / "results" / f"{name}.json").write_text(json.dumps(rows, indent=2))
    if over:
        print("\nover budget:", *over, sep="\n  ")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
