"""The sandbox a submission runs in: bubblewrap, an unprivileged user, limits.

Inside: a read-only view of the system (``/usr``), the Python installation,
the project's virtual environment and the ``dlcourse`` / ``autograder``
packages; a private ``/tmp`` and one writable working folder, both in memory
and capped in size. Outside it stays
invisible: ``source/``, the gradebook, other submissions, the instructor's
home. No network namespace is shared, so not even the host's loopback is
reachable. The code runs as an unprivileged uid of its own with no capabilities and
``no_new_privs``, under CPU, file-size, process and address-space limits;
resident memory is watched from outside (see :mod:`autograder.session`).
"""

from __future__ import annotations

import os
import resource
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import autograder
import dlcourse

# Each sandbox runs as its own unprivileged uid (no such user exists), so process
# limits and file ownership are per sandbox: a fork bomb in one submission cannot
# exhaust the process quota of another graded at the same time.
UID_BASE = 200_000


def sandbox_uid() -> int:
    """A uid no other concurrent sandbox uses (derived from this worker's pid)."""
    return UID_BASE + os.getpid() % 100_000


class SandboxUnavailable(RuntimeError):
    """bubblewrap is missing or cannot run here."""


@dataclass(frozen=True)
class Limits:
    """Resource limits of one submission.

    Attributes
    ----------
    cell_timeout : float
        Wall-clock seconds each cell (or each call from a test cell) may take.
    memory_mb : int
        Resident memory cap of the submission's processes, in MiB.
    cpu_seconds : int
        CPU time of the whole run (RLIMIT_CPU), a backstop for busy loops.
    file_mb : int
        Largest file the submission may write (RLIMIT_FSIZE).
    processes : int
        Processes and threads of the sandbox user (RLIMIT_NPROC), against fork bombs.
    """

    cell_timeout: float = 60.0
    memory_mb: int = 2048
    cpu_seconds: int = 600
    file_mb: int = 256
    processes: int = 512


def bwrap_path() -> str | None:
    """Path of the ``bwrap`` executable, or None."""
    return shutil.which("bwrap")


def require_bwrap() -> str:
    """The bwrap path, or ``SandboxUnavailable`` saying how to install it."""
    path = bwrap_path()
    if path is None:
        raise SandboxUnavailable(
            "bubblewrap (bwrap) is not installed, so submissions cannot be isolated. "
            "Install it with `make system-deps` (Debian: apt-get install bubblewrap), "
            "or pass --unsafe-no-sandbox to run student code with your own privileges."
        )
    if os.geteuid() != 0:
        raise SandboxUnavailable(
            "the sandbox switches to an unprivileged user and needs to start as "
            "root (for example in the course's grading container or CI); "
            "or pass --unsafe-no-sandbox."
        )
    return path


def _ro_binds() -> list[Path]:
    """Folders the sandbox sees read-only, besides /usr."""
    paths = {
        Path(sys.base_prefix).resolve(),  # the Python installation
        Path(sys.prefix).resolve(),  # the virtual environment
        Path(dlcourse.__file__).resolve().parent,  # the course's helper library
        Path(autograder.__file__).resolve().parent,  # the runner
    }
    return sorted(paths)


def _parents(path: Path) -> list[Path]:
    return [p for p in reversed(path.parents) if p != Path("/")]


def bwrap_command(scratch: Path, python_args: list[str], limits: Limits) -> list[str]:
    """The bwrap command line that runs ``python python_args...``; ``scratch`` holds the
    assignment's data files, which the runner copies into its own working folder."""
    uid = sandbox_uid()
    disk = str(limits.file_mb * 2**20)
    # fmt: off
    cmd = [
        require_bwrap(),
        "--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts",
        "--unshare-cgroup-try", "--die-with-parent", "--new-session",
        "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID",  # dropped again by setpriv
        "--ro-bind", "/usr", "/usr",
        "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64",
        "--symlink", "usr/bin", "/bin", "--symlink", "usr/sbin", "/sbin",
        "--proc", "/proc", "--dev", "/dev",
        # the working folder and /tmp are memory-backed and capped: no filling the disk.
        # Mounted before the read-only binds, which may live under /tmp themselves.
        "--size", disk, "--perms", "1777", "--tmpfs", "/tmp",
        "--size", disk, "--perms", "0777", "--tmpfs", "/scratch",
    ]
    made = {Path("/tmp"), Path("/usr")}
    binds = _ro_binds()
    for path in binds:
        for parent in _parents(path):
            if parent not in made and parent not in binds:
                cmd += ["--perms", "0755", "--dir", str(parent)]
                made.add(parent)
        if not str(path).startswith("/usr/"):
            cmd += ["--ro-bind", str(path), str(path)]
    cmd += [
        # the assignment's data files, copied into /scratch by the runner
        "--ro-bind", str(scratch), "/assignment", "--setenv", "GRADER_DATA", "/assignment",
        "--chdir", "/scratch", "--clearenv",
        "--setenv", "HOME", "/scratch", "--setenv", "TMPDIR", "/tmp",
        "--setenv", "GRADER_DATA", "/assignment",
        "--setenv", "PATH", f"{Path(sys.prefix) / 'bin'}:/usr/bin:/bin",
        "--setenv", "MPLBACKEND", "Agg", "--setenv", "MPLCONFIGDIR", "/tmp",
        "--setenv", "OMP_NUM_THREADS", "1", "--setenv", "OPENBLAS_NUM_THREADS", "1",
        "--setenv", "MKL_NUM_THREADS", "1", "--setenv", "TF_CPP_MIN_LOG_LEVEL", "2",
        "--setenv", "PYTHONDONTWRITEBYTECODE", "1", "--setenv", "PYTHONHASHSEED", "0",
        "/usr/bin/setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups",
        "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs",
        str(Path(sys.prefix) / "bin" / "python"), *python_args,
    ]
    # fmt: on
    return cmd


def unsafe_command(scratch: Path, python_args: list[str], limits: Limits) -> list[str]:
    """Run without isolation (only with the instructor's explicit --unsafe-no-sandbox)."""
    return [sys.executable, *python_args]


def limit_setter(limits: Limits) -> Callable[[], None]:
    """A ``preexec_fn`` applying the rlimits in the child before bwrap starts."""
    memory_backstop = 4 * limits.memory_mb * 2**20

    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 5))
        resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_mb * 2**20,) * 2)
        resource.setrlimit(resource.RLIMIT_NPROC, (limits.processes,) * 2)
        resource.setrlimit(resource.RLIMIT_NOFILE, (1024, 1024))
        resource.setrlimit(resource.RLIMIT_AS, (memory_backstop, memory_backstop))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    return apply
