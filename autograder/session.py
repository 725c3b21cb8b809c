"""One sandboxed runner process and the channel to it, with per-call deadlines
and a resident-memory watchdog."""

from __future__ import annotations

import json
import os
import select
import struct
import subprocess
import threading
import time
from pathlib import Path

import psutil

from autograder.codec import MAX_FRAME, CodecError, write_frame
from autograder.sandbox import Limits, bwrap_command, limit_setter, unsafe_command


class SandboxDied(RuntimeError):
    """The runner stopped answering: ``reason`` says why (timeout, memory limit, exit...)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Session:
    """A runner process in a sandbox (or, explicitly unsafe, without one).

    Parameters
    ----------
    scratch : Path
        The submission's writable folder (holds copies of the assignment's data files).
    limits : Limits
        Time, memory and process limits.
    sandbox : bool
        False only with the instructor's explicit unsafe flag.
    """

    def __init__(self, scratch: Path, limits: Limits, sandbox: bool = True) -> None:
        self.limits = limits
        self.scratch = scratch
        args = ["-m", "autograder.runner"]
        cmd = (bwrap_command if sandbox else unsafe_command)(scratch, args, limits)
        os.chmod(scratch, 0o777)
        self.proc = subprocess.Popen(
            cmd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            bufsize=0,
            cwd=scratch,
            preexec_fn=limit_setter(limits),
            start_new_session=True,
        )
        self.death: str | None = None
        self.peak_rss_mb = 0.0
        self._stop = threading.Event()
        self._watch = threading.Thread(target=self._watch_memory, daemon=True)
        self._watch.start()
        self._fd = self.proc.stdout.fileno()
        self._buffer = bytearray()

    def wait_ready(self) -> None:
        """Wait for the runner's greeting (it imports numpy and the course helpers first)."""
        self.request(None, timeout=max(60.0, self.limits.cell_timeout))

    def _rss_mb(self) -> float:
        try:
            procs = [psutil.Process(self.proc.pid)]
            procs += procs[0].children(recursive=True)
        except psutil.Error:
            return 0.0
        total = 0
        for p in procs:
            try:
                total += p.memory_info().rss
            except psutil.Error:
                pass
        return total / 2**20

    def _watch_memory(self) -> None:
        while not self._stop.wait(0.05):
            rss = self._rss_mb()
            self.peak_rss_mb = max(self.peak_rss_mb, rss)
            if rss > self.limits.memory_mb:
                self.kill(f"memory limit exceeded ({rss:.0f} MiB > {self.limits.memory_mb} MiB)")
                return

    def kill(self, reason: str) -> None:
        """Kill the whole sandbox (its PID namespace dies with bwrap)."""
        if self.death is None:
            self.death = reason
        try:
            os.killpg(self.proc.pid, 9)
        except (ProcessLookupError, PermissionError):
            pass

    def _read_exact(self, size: int, deadline: float) -> bytes:
        """Read ``size`` bytes from the runner before ``deadline`` (monotonic seconds)."""
        while len(self._buffer) < size:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            ready, _, _ = select.select([self._fd], [], [], left)
            if not ready:
                raise TimeoutError
            chunk = os.read(self._fd, max(65536, size - len(self._buffer)))
            if not chunk:
                raise EOFError("the runner closed its channel")
            self._buffer += chunk
        data, self._buffer = bytes(self._buffer[:size]), self._buffer[size:]
        return data

    def _read_reply(self, deadline: float) -> dict:
        (size,) = struct.unpack(">I", self._read_exact(4, deadline))
        if size > MAX_FRAME:
            raise CodecError(f"message of {size} bytes exceeds {MAX_FRAME}")
        message = json.loads(self._read_exact(size, deadline))
        if not isinstance(message, dict):
            raise CodecError("a message must be a JSON object")
        return message

    def request(self, message: dict | None, timeout: float) -> dict:
        """Send ``message`` (None: only wait) and wait at most ``timeout`` s for the reply."""
        if self.death is not None:
            raise SandboxDied(self.death)
        deadline = time.monotonic() + timeout
        try:
            if message is not None:
                write_frame(self.proc.stdin, message)
            return self._read_reply(deadline)
        except TimeoutError:
            self.kill(f"timeout: no answer within {timeout:g} s")
            raise SandboxDied(self.death or "timeout") from None
        except (CodecError, ValueError) as exc:
            self.kill(f"the submission corrupted the grader's channel ({exc})"[:200])
            raise SandboxDied(self.death or "corrupted channel") from None
        except (EOFError, BrokenPipeError, OSError):
            pass
        # The process ended: find out why.
        code = self.proc.wait()
        self._stop.set()
        self._watch.join(1)  # let the memory watchdog record its reason first
        if self.death is None:
            # bwrap reports a signal that killed the sandboxed process as 128 + signal
            sig = -code if code < 0 else (code - 128 if code > 128 else 0)
            if sig:
                self.death = {
                    9: "killed (SIGKILL)",
                    24: "CPU time limit exceeded",
                    25: "file size limit exceeded",
                    11: "segmentation fault",
                    6: "aborted",
                }.get(sig, f"killed by signal {sig}")
            else:
                self.death = f"the kernel exited (exit status {code})"
        raise SandboxDied(self.death)

    def close(self) -> None:
        """End the sandbox: the runner holds nothing worth a graceful exit."""
        self._stop.set()
        if self.proc.poll() is None:
            self.kill("closed")
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                stream.close()
            except OSError:
                pass
