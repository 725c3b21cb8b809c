"""Drive JupyterLab in Debian's chromium with Playwright, as a student would.

A :class:`LabServer` serves a throw-away copy of the course; the functions below
open a notebook, run it from the Run menu, read what the page shows (error
outputs, widget views) and move the controls of every live widget. Selectors
that depend on JupyterLab, ipywidgets, ipympl or nbgrader's lab extension are
collected here so that one place follows their upgrades.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from playwright.sync_api import Locator, Page, Response

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
VENV_BIN = Path(sys.executable).parent

# --- selectors (JupyterLab 4.6, ipywidgets 8.1, ipympl 0.10, nbgrader 0.9.6) ---------------
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
KERNEL_STATUS = f"{PANEL} .jp-Notebook-ExecutionIndicator"  # data-status="idle" | "busy" | ...
CODE_PROMPTS = f"{PANEL} .jp-CodeCell .jp-InputArea-prompt"  # "[ ]:", "[*]:", "[12]:"
OUTPUT = ".jp-OutputArea-output"
# A rendered widget view is a widget element directly inside an output; a view that
# failed leaves its text ("Error displaying widget...") on the output node itself.
WIDGET_ROOT = ":scope > .jupyter-widgets, :scope > .jupyter-matplotlib"
CANVAS = ".jupyter-matplotlib-canvas-div > canvas:first-child"  # the figure (2nd: rubberband)
TEXT_OUTPUTS = ".widget-output, .widget-html-content"
SLIDER_HANDLE = ".widget-slider .noUi-handle"  # Int/Float/FloatLog/SelectionSlider
DROPDOWN = ".widget-dropdown select"
CHECKBOX = ".widget-checkbox input[type=checkbox]"
TOGGLE = "button.widget-toggle-button"
BUTTON = "button.widget-button"
VALIDATE_BUTTON = f"{PANEL} .jp-Toolbar .validate-button"
DIALOG = ".jp-Dialog"
VALIDATION_SUCCESS = ".validation-success"
VALIDATION_FAILED = ".validation-failed"
WIDGET_ERROR = "Error displaying widget"  # ipywidgets' text for a view that failed
WIDGET_LOADING = "Loading widget..."

# A short hash of a canvas image (or any string), computed in the page so that
# polling does not ship every pixel to Python.
_HASH_JS = """s => { let h = 5381; for (let i = 0; i < s.length; i++) { h = ((h << 5) + h
 + s.charCodeAt(i)) | 0; } return h.toString(16) + ':' + s.length; }"""
_SIGNATURE_JS = f"""(root) => {{
  const hash = {_HASH_JS};
  const drawn = [...root.querySelectorAll({json.dumps(CANVAS)})];
  if (drawn.some(c => !c.width || !c.height)) return null;
  const canvases = drawn.map(c => hash(c.toDataURL()));
  const texts = [...root.querySelectorAll({json.dumps(TEXT_OUTPUTS)})].map(e => e.innerText);
  return JSON.stringify([canvases, texts]);
}}"""


# Each figure canvas of a view as the page has it: its pixel size and whether it is laid out.
_CANVAS_STATE_JS = f"""(root) => [...root.querySelectorAll({json.dumps(CANVAS)})].map(c =>
  `${{c.width}}x${{c.height}} px (css ${{c.style.width || '-'}}, ` +
  `shown ${{c.offsetWidth}}x${{c.offsetHeight}})`)"""


def require_chromium() -> None:
    """Raise ``RuntimeError`` naming ``make system-deps`` when Debian's chromium is missing."""
    if not os.access(CHROMIUM, os.X_OK):
        raise RuntimeError(
            f"{CHROMIUM} is missing: the browser tests drive Debian's chromium. "
            "Run `make system-deps` (apt-get install chromium); Playwright's own browser "
            "download is not used."
        )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def copy_course(dest: Path) -> Path:
    """Copy what JupyterLab and formgrader need into ``dest`` (the course root)."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("course", "release", "source"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns(".ipynb_*"))
    shutil.copy(ROOT / "nbgrader_config.py", dest)
    return dest


@dataclass
class LabServer:
    """A headless JupyterLab on loopback, started in ``root`` (the course root)."""

    root: Path
    port: int = field(default_factory=free_port)
    token: str = field(default_factory=lambda: secrets.token_hex(16))
    proc: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        sep = "&" if "?" in path else "?"
        return f"{self.base}/{path.lstrip('/')}{sep}token={self.token}"

    def api(self, path: str, method: str = "GET") -> Any:
        req = urllib.request.Request(
            f"{self.base}/{path.lstrip('/')}", method=method,
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(req, timeout=90) as r:  # a busy machine answers slowly
            body = r.read()
        return json.loads(body) if body else None

    def start(self, timeout: float = 120) -> LabServer:
        """Start the server (own process group, settings and workspaces in a
        temporary folder) and wait until its API answers."""
        state = self.root.parent / "lab-state"
        notifications = state / "settings" / "@jupyterlab" / "apputils-extension"
        notifications.mkdir(parents=True, exist_ok=True)
        # no news pop-up over the notebook, and no request to the internet for it
        (notifications / "notification.jupyterlab-settings").write_text(
            json.dumps({"fetchNews": "false", "checkForUpdates": False})
        )
        # no autosave: the tests save explicitly, and an autosave rewriting the file
        # while a test reads it would hand the test a half-written notebook
        docmanager = state / "settings" / "@jupyterlab" / "docmanager-extension"
        docmanager.mkdir(parents=True, exist_ok=True)
        (docmanager / "plugin.jupyterlab-settings").write_text(json.dumps({"autosave": False}))
        args = [
            str(VENV_BIN / "jupyter"), "lab", "--no-browser", "--ip=127.0.0.1",
            f"--port={self.port}", f"--ServerApp.token={self.token}",
            f"--LabApp.user_settings_dir={state / 'settings'}",
            f"--LabApp.workspaces_dir={state / 'workspaces'}",
        ]
        if os.getuid() == 0:
            args.append("--allow-root")
        # nbgrader's validate runs tools installed next to it: keep the venv first on PATH
        env = {**os.environ, "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
        self.log = (self.root.parent / "lab.log").open("wb")
        self.proc = subprocess.Popen(
            args, cwd=self.root, env=env, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.api("api/status")
                return self
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"JupyterLab did not start:\n{self.log_tail()}") from None
                time.sleep(0.5)

    def log_tail(self, n: int = 3000) -> str:
        path = self.root.parent / "lab.log"
        return path.read_text(errors="replace")[-n:] if path.exists() else ""

    def shutdown_kernels(self) -> None:
        """Shut every kernel down (each lesson's kernel holds TensorFlow or PyTorch)."""
        for session in self.api("api/sessions"):
            self.api(f"api/sessions/{session['id']}", method="DELETE")
        for kernel in self.api("api/kernels"):
            self.api(f"api/kernels/{kernel['id']}", method="DELETE")

    def stop(self) -> None:
        """Stop the server and its kernels (the whole process group)."""
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=30)
        if getattr(self, "log", None) is not None:
            self.log.close()


def poll(check: Callable[[], Any], timeout: float, what: str, interval: float = 0.25) -> Any:
    """Call ``check`` until it returns something truthy; fail naming ``what`` after
    ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


def open_notebook(page: Page, server: LabServer, path: str, timeout: float = 120) -> None:
    """Open ``path`` (relative to the course root) alone in a fresh workspace and wait
    until every code cell is on the page and its kernel is started and idle. A kernel
    picker that pops up (on a fresh server, before the kernel specs have loaded) is
    answered with its preselected kernel, as a student would."""
    nb = json.loads((server.root / path).read_text())
    n_code = sum(c["cell_type"] == "code" for c in nb["cells"])
    page.goto(server.url(f"lab/tree/{path}?reset"))
    picker = page.locator(DIALOG).filter(has_text="Select Kernel")

    def ready() -> bool:
        if picker.count():
            picker.locator(".jp-mod-accept").click()
            return False
        sessions = [s for s in server.api("api/sessions") if s["path"] == path]
        started = bool(sessions) and sessions[0]["kernel"]["execution_state"] == "idle"
        return started and len(prompts(page)) == n_code and kernel_status(page) == "idle"

    poll(ready, timeout, f"{path} to open with an idle kernel", interval=0.5)


def kernel_status(page: Page) -> str | None:
    return page.get_attribute(KERNEL_STATUS, "data-status")


def wait_idle(page: Page, timeout: float) -> None:
    poll(lambda: kernel_status(page) == "idle", timeout, "the kernel to be idle")


def prompts(page: Page) -> list[str]:
    """The execution prompt of every code cell: "[ ]:", "[*]:" or "[n]:"."""
    return [p.strip() for p in page.locator(CODE_PROMPTS).all_text_contents()]


def menu(page: Page, top: str, item: str) -> None:
    """Click ``top`` in the menu bar, then ``item`` in its menu (exact labels)."""
    dialogs = page.locator(DIALOG)
    assert dialogs.count() == 0, f"a dialog is in the way: {dialogs.all_inner_texts()}"
    page.locator(".lm-MenuBar-itemLabel", has_text=top).first.click()
    page.locator(".lm-Menu-itemLabel").get_by_text(item, exact=True).first.click()


def run_all(page: Page, timeout: float = 180) -> list[str]:
    """Run > Run All Cells, then wait until the run has started, and then until no cell
    is running or queued and the kernel is idle (twice in a row, a moment apart).
    Returns the prompts: a cell that raised stops the run, leaving the cells after it
    at "[ ]:"."""
    menu(page, "Run", "Run All Cells")
    poll(lambda: any(x != "[ ]:" for x in prompts(page)), 60, "Run All Cells to start")
    seen: list[list[str] | None] = [None]

    def done() -> list[str] | None:
        p = prompts(page)
        busy = any("*" in x for x in p) or kernel_status(page) != "idle"
        finished = not busy and p == seen[0]
        seen[0] = None if busy else p
        return p if finished else None

    return poll(done, timeout, "Run All Cells to finish", interval=0.5)


def save(page: Page, path: str, timeout: float = 60) -> None:
    """File > Save Notebook, and wait until the server has answered that save of
    ``path`` (the file is complete on disk then) and the tab is no longer dirty."""
    def is_save(r: Response) -> bool:
        return r.request.method == "PUT" and unquote(urlsplit(r.url).path).endswith(
            f"/api/contents/{path}"
        )

    with page.expect_response(is_save, timeout=timeout * 1000) as answer:
        menu(page, "File", "Save Notebook")
    response = answer.value
    assert response.ok, f"saving {path}: HTTP {response.status} {response.text()[:500]}"
    poll(
        lambda: page.locator(".lm-TabBar-tab.lm-mod-current.jp-mod-dirty").count() == 0,
        timeout, "the notebook to be saved",
    )


def error_outputs(nb: dict) -> list[str]:
    """``"cell i: EName: value"`` for every error output of a saved notebook."""
    return [
        f"cell {i}: {out['ename']}: {out['evalue']}"
        for i, cell in enumerate(nb["cells"])
        for out in cell.get("outputs", [])
        if out["output_type"] == "error"
    ]


def widget_outputs(nb: dict) -> int:
    """How many widget views the kernel displayed, from a saved notebook."""
    return sum(
        "application/vnd.jupyter.widget-view+json" in out.get("data", {})
        for cell in nb["cells"]
        for out in cell.get("outputs", [])
    )


def wait_widgets(page: Page, timeout: float = 60) -> None:
    """Wait until no widget output still says "Loading widget..."."""
    loading = page.locator(f"{PANEL} {OUTPUT}").filter(has_text=WIDGET_LOADING)
    poll(lambda: loading.count() == 0, timeout, "the widgets to render")


def widget_views(page: Page) -> Locator:
    """Every output that holds a rendered widget view (a failed one does not count)."""
    return page.locator(f"{PANEL} {OUTPUT}").filter(has=page.locator(WIDGET_ROOT))


def interactive_views(page: Page) -> Locator:
    """The widget views with at least one control (slider, menu, checkbox, button)."""
    controls = ", ".join([SLIDER_HANDLE, DROPDOWN, CHECKBOX, TOGGLE, BUTTON])
    return widget_views(page).filter(has=page.locator(controls))


def signature(view: Locator) -> str | None:
    """What a view shows: a hash of each figure canvas and the text of its outputs;
    None while a canvas has not been drawn yet (it has no size before it is shown)."""
    return view.evaluate(_SIGNATURE_JS)


def settle(page: Page, view: Locator, timeout: float = 60) -> str:
    """Wait until the kernel is idle and the view shows the same drawn figure twice
    in a row, a moment apart; return its signature."""
    last: list[str | None] = [None]
    statuses: dict[str | None, int] = {}
    drawn: set[str | None] = set()

    def stable() -> str | None:
        status = kernel_status(page)
        statuses[status] = statuses.get(status, 0) + 1
        if status != "idle":
            return None
        now = signature(view)
        drawn.add(now)
        same = now is not None and now == last[0]
        last[0] = now
        return now if same else None

    try:
        return poll(stable, timeout, "the widget to settle (drawn, kernel idle)", interval=0.4)
    except AssertionError as e:  # say what was seen: a busy kernel, or a changing figure
        raise AssertionError(
            f"{e}; kernel status seen (times): {statuses}; {len(drawn - {None})} different "
            f"figures while idle{', and an undrawn canvas' if None in drawn else ''}; "
            f"canvases now: {view.evaluate(_CANVAS_STATE_JS)}"
        ) from None


@dataclass
class Control:
    """One control of a widget view and how to move it."""

    kind: str
    label: str
    locator: Locator

    def move(self) -> None:
        """Change the control's value the way a person would: arrow key on a slider
        handle, another entry of a menu, a click on a checkbox or button."""
        loc = self.locator
        if self.kind == "slider":
            now = float(loc.get_attribute("aria-valuenow") or 0)
            top = float(loc.get_attribute("aria-valuemax") or 0)
            loc.focus()
            loc.press("ArrowLeft" if now >= top else "ArrowRight")
        elif self.kind == "dropdown":
            options = loc.locator("option").evaluate_all("os => os.map(o => o.value)")
            current = loc.input_value()
            loc.select_option(next(o for o in options if o != current))
        else:  # checkbox, toggle button, button
            loc.click()


_LABEL_JS = """e => {
  const box = e.closest('.widget-inline-hbox');
  const basic = box && box.querySelector('.widget-label-basic');
  const label = box && box.querySelector('.widget-label');
  const text = (basic || label || e).textContent.replace(/\u200b/g, '').trim();
  return text || e.getAttribute('title') || '';
}"""


def controls(view: Locator) -> list[Control]:
    """The controls of a widget view: buttons (toggles first), then sliders, menus and
    checkboxes, each in page order. The buttons of a Play widget are left out: a
    toggle button drives the Play clock in every widget of the course."""
    found: list[Control] = []
    kinds = [("toggle", TOGGLE), ("button", BUTTON), ("slider", SLIDER_HANDLE),
             ("dropdown", DROPDOWN), ("checkbox", CHECKBOX)]
    for kind, selector in kinds:
        for loc in view.locator(selector).all():
            found.append(Control(kind, loc.evaluate(_LABEL_JS), loc))
    return found


def move_and_check(page: Page, view: Locator, control: Control, timeout: float = 60) -> float:
    """Move ``control`` and wait until the view's figure or output changes; a toggle
    (start/pause) is toggled back afterwards. Returns the seconds the change took."""
    view.scroll_into_view_if_needed()
    before = settle(page, view)
    t0 = time.monotonic()
    control.move()
    poll(lambda: signature(view) not in (None, before), timeout,
         f"the figure to change after moving the {control.kind} {control.label!r}")
    took = time.monotonic() - t0
    if control.kind == "toggle":
        control.move()
    settle(page, view)
    return took


def exercise_widget(
    page: Page, view: Locator, deferred: dict[str, str] | None = None, timeout: float = 60
) -> dict[str, float]:
    """Move every control of a widget view and check that the figure changes each time.

    Buttons go first. A widget with a "step" button (the training widgets) takes one
    step before each slider, menu or checkbox is moved: before any training a new
    setting only empties empty curves. ``deferred`` names controls (by label) of such
    a training widget whose effect shows only at the next step, with the reason: for
    those the figure must change once "step" is pressed after moving them (it applies
    to widgets with a step button only). Returns seconds per control.
    """
    deferred = deferred or {}
    found = controls(view)
    assert found, "a widget view with no control"
    step = next((c for c in found if c.kind == "button" and c.label == "step"), None)
    timings: dict[str, float] = {}
    for control in found:
        name = f"{control.kind} {control.label}"
        if step is not None and control.kind in ("slider", "dropdown", "checkbox"):
            move_and_check(page, view, step, timeout)
        if step is not None and control.label in deferred:
            before = settle(page, view)
            control.move()
            settle(page, view)
            t = move_and_check(page, view, step, timeout)
            assert signature(view) != before
            timings[f"{name} (then step)"] = t
        else:
            timings[name] = move_and_check(page, view, control, timeout)
    return timings


def set_cell_source(page: Page, cell: Locator, text: str) -> None:
    """Replace the code of ``cell`` as a person would by pasting: select all in its
    editor, then insert ``text`` (no auto-indent or auto-closed brackets on the way)."""
    editor = cell.locator(".cm-content")
    editor.click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.insert_text(text)
    lines = editor.locator(".cm-line")

    def typed() -> bool:  # one .cm-line per line; trailing blank lines aside
        return "\n".join(lines.all_text_contents()).rstrip() == text.rstrip()

    try:
        poll(typed, 10, "the cell editor to hold the new code")
    except AssertionError as e:
        shown = "\n".join(lines.all_text_contents())
        raise AssertionError(f"{e}; expected:\n{text}\nthe editor shows:\n{shown}") from None


def validate(page: Page, timeout: float = 180) -> tuple[bool, str]:
    """Click nbgrader's Validate toolbar button; return (passed, the dialog's text)
    and close the dialog."""
    page.locator(VALIDATE_BUTTON).click()
    dialog = page.locator(DIALOG).filter(
        has=page.locator(f"{VALIDATION_SUCCESS}, {VALIDATION_FAILED}, .validation-changed, "
                         ".validation-type-changed, .validation-error, pre")
    )
    dialog.first.wait_for(timeout=timeout * 1000)
    passed = dialog.locator(VALIDATION_SUCCESS).count() > 0
    text = dialog.first.inner_text()
    dialog.first.locator(".jp-mod-accept").click()
    return passed, text


def screenshot(page: Page, path: Path, max_height: int = 16000) -> None:
    """Save the whole notebook: the window grows to the notebook's height first."""
    path.parent.mkdir(parents=True, exist_ok=True)
    scroller = page.locator(f"{PANEL} .jp-WindowedPanel-outer")
    height = scroller.evaluate("e => e.scrollHeight")
    size = page.viewport_size or {"width": 1280, "height": 900}
    page.set_viewport_size({"width": size["width"], "height": min(max_height, height + 100)})
    scroller.evaluate("e => { e.scrollTop = 0; }")
    page.wait_for_timeout(500)  # one layout pass at the new size
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)
