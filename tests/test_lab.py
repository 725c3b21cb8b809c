"""`make lab` serves JupyterLab on the course, with nbgrader's formgrader."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=90) as r:  # a busy machine renders slowly
        return r.status, r.read()


def test_make_lab_serves_the_course() -> None:
    port, token = free_port(), "dlcourse-test-token"
    args = f"--no-browser --ServerApp.ip=127.0.0.1 --IdentityProvider.token={token}"
    proc = subprocess.Popen(
        ["make", "--no-print-directory", "lab", f"LAB_PORT={port}", f"LAB_ARGS={args}"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                status, _ = get(f"{base}/api/status?token={token}")
                break
            except OSError:
                assert proc.poll() is None, proc.stdout.read().decode()[-2000:]
                assert time.monotonic() < deadline, "JupyterLab did not start within 120 s"
                time.sleep(1)
        assert status == 200
        status, body = get(f"{base}/api/contents/course?token={token}")
        names = {item["name"] for item in json.loads(body)["content"]}
        assert "01_numpy_neuron.ipynb" in names
        status, body = get(f"{base}/lab/tree/course?token={token}")
        assert status == 200 and b"JupyterLab" in body
        # formgrader finds nbgrader_config.py because the server starts in the course root
        status, body = get(f"{base}/formgrader/api/assignments?token={token}")
        assignments = {a["name"] for a in json.loads(body)}
        assert "ps01_neuron" in assignments
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
