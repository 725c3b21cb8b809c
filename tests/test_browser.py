"""The course in a real browser: JupyterLab driven in Debian's chromium by Playwright.

One JupyterLab serves a temporary copy of the course (nothing in the repository is
run, saved or graded over). Every lesson is run from the Run menu: no cell may
raise, every widget the kernel displays must render, and every control of every
live widget must change its figure. A screenshot of each notebook goes to
test-results/browser/. A student fills ps01 and validates it with nbgrader's
Validate button; an instructor sees every assignment in formgrader.

All tests share one xdist group, so one worker runs them against one server.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

import browser as B
import pytest
from harness import nbgrader_meta, reference_cells
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "test-results" / "browser"
LESSONS = sorted(p.name for p in (ROOT / "course").glob("*.ipynb"))
ASSIGNMENTS = sorted(p.name for p in (ROOT / "source").iterdir() if p.is_dir())
EXERCISE = "ps01_neuron"
NOTEBOOK_TIMEOUT = 480  # s for Run All Cells: 5-60 s alone, 240 s seen beside a busy worker

# Controls whose effect shows only at the next training step, by lesson and label:
# for these the figure must change once "step" is pressed after moving them.
DEFERRED: dict[str, dict[str, str]] = {}  # none: every control shows its effect at once

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser")]


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[B.LabServer]:
    """JupyterLab on loopback, started in a temporary copy of the course root."""
    try:
        B.require_chromium()
    except RuntimeError as e:
        pytest.fail(str(e))
    root = B.copy_course(tmp_path_factory.mktemp("browser") / "course-root")
    server = B.LabServer(root).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def chromium(lab: B.LabServer) -> Iterator[Browser]:
    with sync_playwright() as p:
        yield launch(p)


def launch(p: Playwright) -> Browser:
    """Debian's chromium, headless (as root it needs --no-sandbox)."""
    args = ["--no-sandbox"] if os.getuid() == 0 else []
    browser = p.chromium.launch(executable_path=str(B.CHROMIUM), args=args)
    return browser


@pytest.fixture
def page(
    chromium: Browser, lab: B.LabServer, request: pytest.FixtureRequest
) -> Iterator[Page]:
    """A fresh browser page; the kernels it started are shut down afterwards. What the
    page logs to its console goes to test-results/browser/ beside the screenshots."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
    page.set_default_timeout(60_000)
    yield page
    context.close()
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = request.node.name.replace("/", "_").replace(".ipynb", "")
    (RESULTS / f"{name}.console.txt").write_text("\n".join(console) + "\n")
    lab.shutdown_kernels()


def saved_notebook(lab: B.LabServer, path: str) -> dict:
    return json.loads((lab.root / path).read_text())


def record(name: str, timings: dict) -> None:
    """Write the timings of a notebook next to its screenshot."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(timings, indent=1))


def written_answers(assignment: str) -> dict[str, str]:
    """The instructor's answer of every written-answer (markdown) cell, by grade_id."""
    nb = json.loads((ROOT / "source" / assignment / f"{assignment}.ipynb").read_text())
    return {
        nbgrader_meta(c)["grade_id"]: "".join(c["source"])
        for c in nb["cells"]
        if c["cell_type"] == "markdown" and nbgrader_meta(c).get("solution")
    }


def test_there_are_lessons_and_assignments() -> None:
    assert LESSONS and EXERCISE in ASSIGNMENTS


@pytest.mark.parametrize("name", LESSONS)
def test_lesson_in_browser(name: str, lab: B.LabServer, page: Page) -> None:
    path = f"course/{name}"
    timings: dict = {}
    t0 = time.monotonic()
    try:
        B.open_notebook(page, lab, path)
        timings["open"] = round(time.monotonic() - t0, 1)
        prompts = B.run_all(page, NOTEBOOK_TIMEOUT)
        timings["run all"] = round(time.monotonic() - t0 - timings["open"], 1)
        B.save(page, path)
        nb = saved_notebook(lab, path)
        assert not B.error_outputs(nb), f"{name}: cells raised: {B.error_outputs(nb)}"
        not_run = [i for i, p in enumerate(prompts) if not p.strip("[]:").isdigit()]
        assert not not_run, f"{name}: code cells {not_run} did not run (prompts {prompts})"

        B.wait_widgets(page)
        failed = page.locator(f"{B.PANEL} {B.OUTPUT}").filter(has_text=B.WIDGET_ERROR)
        assert failed.count() == 0, f"{name}: {failed.all_inner_texts()}"
        displayed = B.widget_outputs(nb)
        rendered = B.widget_views(page).count()
        assert rendered == displayed, (
            f"{name}: the kernel displayed {displayed} widgets, the page shows {rendered}"
        )
        views = B.interactive_views(page)
        for i in range(views.count()):
            moved = B.exercise_widget(page, views.nth(i), DEFERRED.get(name))
            timings[f"widget {i + 1}"] = {k: round(v, 2) for k, v in moved.items()}
        timings["widgets"] = f"{displayed} views, {views.count()} live"
    finally:
        timings["total"] = round(time.monotonic() - t0, 1)
        record(name.removesuffix(".ipynb"), timings)
        B.screenshot(page, RESULTS / f"{name.removesuffix('.ipynb')}.png")


def test_exercise_validates_in_browser(lab: B.LabServer, page: Page) -> None:
    path = f"release/{EXERCISE}/{EXERCISE}.ipynb"
    t0 = time.monotonic()
    B.open_notebook(page, lab, path)
    passed, text = B.validate(page)
    assert not passed and "failed" in text, f"the untouched notebook validated:\n{text}"

    release = json.loads((ROOT / path).read_text())
    reference = {**reference_cells(EXERCISE), **written_answers(EXERCISE)}
    cells = page.locator(f"{B.PANEL} .jp-Cell")
    assert cells.count() == len(release["cells"])
    filled = []
    for i, cell in enumerate(release["cells"]):
        meta = nbgrader_meta(cell)
        if not meta.get("solution"):
            continue
        if cell["cell_type"] == "markdown":
            cells.nth(i).dblclick()  # a rendered markdown cell opens its editor
        B.set_cell_source(page, cells.nth(i), reference[meta["grade_id"]])
        filled.append(meta["grade_id"])
    assert sorted(filled) == sorted(reference), "every answer cell is filled once"
    code_cells = [c for c in release["cells"] if c["cell_type"] == "code"]

    prompts = B.run_all(page, NOTEBOOK_TIMEOUT)
    B.save(page, path)
    nb = saved_notebook(lab, path)
    assert not B.error_outputs(nb), f"visible tests failed: {B.error_outputs(nb)}"
    tests = [i for i, c in enumerate(code_cells) if nbgrader_meta(c).get("grade")]
    assert tests and all(prompts[i].strip("[]:").isdigit() for i in tests), prompts

    passed, text = B.validate(page)
    assert passed and "Success! Your notebook passes all the tests." in text, text
    record(EXERCISE, {"total": round(time.monotonic() - t0, 1), "tests run": len(tests)})
    B.screenshot(page, RESULTS / f"{EXERCISE}.png")


def test_formgrader_lists_assignments(lab: B.LabServer, page: Page) -> None:
    page.goto(lab.url("lab?reset"))
    B.menu(page, "Nbgrader", "Formgrader")
    frame = page.frame_locator("iframe[src$='/formgrader']")
    table = frame.locator("table")
    for name in ASSIGNMENTS:
        table.get_by_text(name, exact=True).wait_for(timeout=90_000)
    RESULTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(RESULTS / "formgrader.png"))
