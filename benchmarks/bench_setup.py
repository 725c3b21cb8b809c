"""Setup: size of .venv per package, and the time from a fresh clone to `make lab` serving."""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
# The largest packages in .venv (folders in site-packages): TensorFlow and PyTorch (CPU
# builds), llvmlite (numba, for shap), playwright (dev only), sympy (torch), clang (TF).
LARGEST = ("tensorflow", "torch", "llvmlite", "playwright", "scipy", "pandas", "sympy", "clang")
SERVE_TIMEOUT_S = 1800


def _size_mib(path: Path) -> float:
    """Disk use of ``path`` in MiB (allocated blocks, as ``du`` counts them)."""
    total = 0
    for dirpath, _, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(dirpath, name)).st_blocks * 512
            except FileNotFoundError:
                pass
    return total / 2**20


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def clone_to_lab_seconds() -> tuple[float, float]:
    """Clone the repository, run ``make lab`` in the clone, and time until JupyterLab answers.

    Returns (seconds, size of the clone's runtime .venv in MiB). pip's wheel cache
    is the machine's own, so this is the time with packages already downloaded.
    """
    with tempfile.TemporaryDirectory(prefix="dlcourse-clone-") as tmp:
        clone = Path(tmp) / "course"
        start = time.perf_counter()
        subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
        port, token = _free_port(), secrets.token_hex(8)
        args = f"--no-browser --ServerApp.ip=127.0.0.1 --IdentityProvider.token={token}"
        log = (Path(tmp) / "make-lab.log").open("w")
        proc = subprocess.Popen(
            ["make", "--no-print-directory", "lab", f"LAB_PORT={port}", f"LAB_ARGS={args}"],
            cwd=clone, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        try:
            url = f"http://127.0.0.1:{port}/api/status?token={token}"
            while True:
                if proc.poll() is not None:
                    tail = (Path(tmp) / "make-lab.log").read_text()[-2000:]
                    raise RuntimeError(f"make lab exited before serving:\n{tail}")
                if time.perf_counter() - start > SERVE_TIMEOUT_S:
                    raise TimeoutError("make lab did not serve within 30 minutes")
                try:
                    with urllib.request.urlopen(url, timeout=5) as reply:
                        if reply.status == 200:
                            break
                except OSError:
                    time.sleep(0.5)
            seconds = time.perf_counter() - start
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
            log.close()
        return seconds, _size_mib(clone / ".venv")


def run() -> list[dict]:
    rows = [{"name": ".venv (runtime + dev extras)", "value": _size_mib(VENV), "unit": "MiB"}]
    site = next((VENV / "lib").glob("python3*/site-packages"), None)
    for name in LARGEST:
        if site is not None and (site / name).is_dir():
            rows.append({"name": f"  of which {name}", "value": _size_mib(site / name),
                         "unit": "MiB"})
    if shutil.which("git") and shutil.which("make"):
        seconds, runtime_mib = clone_to_lab_seconds()
        rows.append({"name": "fresh clone -> make lab serving (pip cache warm)",
                     "value": seconds, "unit": "s"})
        rows.append({"name": ".venv of `make lab` (runtime only)", "value": runtime_mib,
                     "unit": "MiB"})
    return rows
