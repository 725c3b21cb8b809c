"""A progress bar with an ETA, on stderr."""

from __future__ import annotations

import sys
import time


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


class Progress:
    """``Progress(total, label)``; call ``advance(note)`` once per finished item."""

    def __init__(self, total: int, label: str, stream=None, width: int = 30) -> None:
        self.total, self.label, self.width = max(total, 1), label, width
        self.stream = stream or sys.stderr
        self.done = 0
        self.start = time.monotonic()
        self.tty = self.stream.isatty()
        self._last_pct = -10

    def line(self, note: str = "") -> str:
        frac = self.done / self.total
        filled = int(self.width * frac)
        elapsed = time.monotonic() - self.start
        eta = elapsed / self.done * (self.total - self.done) if self.done else float("nan")
        eta_text = _clock(eta) if self.done else "?"
        return (
            f"{self.label} [{'#' * filled}{'-' * (self.width - filled)}] "
            f"{self.done}/{self.total} {frac:4.0%} elapsed {_clock(elapsed)} "
            f"ETA {eta_text} {note}"
        )

    def advance(self, note: str = "") -> None:
        self.done += 1
        pct = int(100 * self.done / self.total)
        if self.tty:
            self.stream.write("\r" + self.line(note)[:120].ljust(120))
            if self.done >= self.total:
                self.stream.write("\n")
        elif pct >= self._last_pct + 10 or self.done >= self.total:
            self._last_pct = pct
            self.stream.write(self.line(note) + "\n")
        self.stream.flush()
