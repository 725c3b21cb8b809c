"""release/ is exactly what `make release` produces from source/, and holds no
solution code and no hidden-test text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from harness import ROOT, make_course

ASSIGNMENTS = sorted(p.name for p in (ROOT / "source").iterdir() if p.is_dir())
HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.S)
SOLUTION = re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", re.S)


def files_under(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".ipynb_checkpoints" not in p.parts
    }


def test_every_source_assignment_is_released() -> None:
    released = sorted(p.name for p in (ROOT / "release").iterdir() if p.is_dir())
    assert released == ASSIGNMENTS


@pytest.mark.slow
def test_release_is_what_make_release_produces(tmp_path: Path) -> None:
    course = make_course(tmp_path, ASSIGNMENTS)
    for name in ASSIGNMENTS:
        fresh = files_under(course / "release" / name)
        committed = files_under(ROOT / "release" / name)
        assert fresh.keys() == committed.keys(), f"release/{name} has other files than source/"
        drifted = [f for f in fresh if fresh[f] != committed[f]]
        assert not drifted, f"release/{name}: {drifted} differ from source/; run `make release`"


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_release_holds_no_solutions_or_hidden_tests(name: str) -> None:
    source_text = (
        "\n".join(p.read_text() for p in (ROOT / "source" / name).glob("*.ipynb"))
        .replace("\\n", "\n")
        .replace('\\"', '"')
    )
    release_text = (
        "\n".join(p.read_text() for p in (ROOT / "release" / name).glob("*.ipynb"))
        .replace("\\n", "\n")
        .replace('\\"', '"')
    )
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "HIDDEN TESTS", "MARK SCHEME"):
        assert marker not in release_text
    secret_blocks = HIDDEN.findall(source_text) + SOLUTION.findall(source_text)
    assert secret_blocks, "the source notebooks hold no solutions or hidden tests"
    secret_lines = {
        line.strip().strip('",')
        for block in secret_blocks
        for line in block.splitlines()
        if len(line.strip().strip('",')) > 12
    }
    leaked = sorted(line for line in secret_lines if line in release_text)
    assert not leaked, f"release/{name} contains solution or hidden-test lines: {leaked[:5]}"
