"""Hostile and broken ps01 submissions for the autograder tests.

Each entry maps a student id to how its notebook is built: solution-cell code
(the rest is the reference solution) or a function that damages the file.
Module-level constants name the host resources a submission tries to reach.
"""

from __future__ import annotations

CORRECT_RELU = "def relu(z):\n    return np.maximum(z, 0.0)"

# Monkeypatching numpy, builtins, the assertion helpers and the course's helpers,
# with a wrong relu: the patches must not earn the relu points.
MONKEYPATCH = """
import builtins
import numpy as np
import numpy.testing
import dlcourse.checks as checks
np.allclose = lambda *a, **k: True
np.array_equal = lambda *a, **k: True
np.testing.assert_allclose = lambda *a, **k: None
checks.check_close = lambda *a, **k: None
checks.check_shape = lambda name, got, expected, hint="": np.asarray(got)
checks.check_unchanged = lambda *a, **k: None
builtins.AssertionError = type("Swallowed", (Exception,), {})
check_close = checks.check_close
def relu(z):
    return z
"""

# Rewriting the sandbox's runner so every call answers with the test's own input.
PATCH_GRADER = """
import sys
runner = sys.modules["__main__"]
runner._encode_result = lambda result, args, kwargs: {"__alias__": 0}
def relu(z):
    return z * 0
"""

LOOP_AT_TOP = "while True:\n    pass\n" + CORRECT_RELU
LOOP_IN_FUNCTION = "def relu(z):\n    while True:\n        pass"
MEMORY_HOG = """
def relu(z):
    hog = []
    while True:
        hog.append(np.ones(2**26))  # 512 MiB at a time
"""
HUGE_ALLOCATION = "def relu(z):\n    big = np.ones(10**11)\n    return np.maximum(z, 0)"
EXIT_KERNEL = "import os\nos._exit(3)"
SEGFAULT = "import ctypes\nctypes.string_at(0)"
SYS_EXIT = "import sys\nsys.exit('bye')\n" + CORRECT_RELU
HUGE_OUTPUT = "print('x' * 50_000_000)\n" + CORRECT_RELU
FORK_BOMB = """
import os
def relu(z):
    while True:
        try:
            os.fork()
        except OSError:
            pass
"""
WARNINGS = """
import sys
import warnings
def relu(z):
    warnings.warn("a deprecation the student cannot fix", DeprecationWarning)
    print("this goes to stderr", file=sys.stderr)
    return np.maximum(z, 0.0)
"""


def network_probe(port: int) -> str:
    return f"""
import socket
for host in ("127.0.0.1", "localhost", "10.0.2.2", "8.8.8.8"):
    try:
        socket.create_connection((host, {port}), timeout=1).close()
        print("NETWORK-OPEN", host)
    except OSError as exc:
        print("network blocked", host, type(exc).__name__)
{CORRECT_RELU}
"""


def filesystem_probe(course: str, other_student: str, home: str) -> str:
    return f"""
import os
seen = []
for path in [{course!r} + "/source", {course!r} + "/gradebook.db", {course!r} + "/submitted/"
             + {other_student!r}, {home!r}, "/etc/shadow", {course!r}]:
    try:
        if os.path.isdir(path):
            seen.append(("LISTED", path, os.listdir(path)[:3]))
        else:
            seen.append(("READ", path, open(path, "rb").read(20)))
    except OSError as exc:
        seen.append(("blocked", path, type(exc).__name__))
for target in [{course!r} + "/ESCAPED", "/usr/ESCAPED", "/ESCAPED"]:
    try:
        open(target, "w").write("escaped")
        seen.append(("WROTE", target))
    except OSError as exc:
        seen.append(("blocked", target, type(exc).__name__))
print(seen)
{CORRECT_RELU}
"""


DISK_FILLER = (
    """
import os
def fill():
    for i in range(10_000):
        with open(f"junk{i}.bin", "wb") as f:
            f.write(os.urandom(1 << 20) * 64)
try:
    fill()
except OSError as exc:
    print("disk full:", type(exc).__name__)
"""
    + CORRECT_RELU
)


def fresh_notebook(cells: list[str]):
    """A notebook made from scratch: the student's code, none of nbgrader's metadata."""
    import nbformat

    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
