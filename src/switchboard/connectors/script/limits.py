"""What a script may use: its time and memory (chosen per step), and how much it may print and return."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

DEFAULT_TIMEOUT = 10.0
MAX_TIMEOUT = 300.0
"""Seconds; the engine's own step timeout (`SWITCHBOARD_STEP_TIMEOUT`, 300 s) applies as well."""

DEFAULT_MEMORY_MB = 256
MIN_MEMORY_MB = 32
"""Below this the interpreter itself may not start (it reserves about 12 MB of address space)."""
MAX_MEMORY_MB = 2048

CONSOLE_CHARS = 64_000
"""Characters of printed output kept in `console`; more is cut off with a note saying how much."""

RESULT_BYTES = 5_000_000
"""The largest result, as JSON: it is kept in the run journal and read by later steps."""


@dataclass(frozen=True)
class Limits:
    """The limits of one script run; the child process enforces them on itself, the parent on the clock."""

    timeout: float = DEFAULT_TIMEOUT
    memory_mb: int = DEFAULT_MEMORY_MB
    console_chars: int = CONSOLE_CHARS
    result_bytes: int = RESULT_BYTES

    @property
    def cpu_seconds(self) -> int:
        """Processor time after which the kernel stops the child (SIGXCPU): a backstop to the clock."""
        return math.ceil(self.timeout) + 1

    @property
    def report_bytes(self) -> int:
        """The most the child can write to report a result and console (JSON escapes: 12 bytes a char)."""
        return self.result_bytes + 12 * self.console_chars + 64_000

    def child_settings(self) -> str:
        """The settings the child reads from its command line, as JSON."""
        return json.dumps(
            {
                "memory_bytes": self.memory_mb * 1024 * 1024,
                "memory_mb": self.memory_mb,
                "cpu_seconds": self.cpu_seconds,
                "alarm_seconds": math.ceil(self.timeout) + 2,
                "console_chars": self.console_chars,
                "result_bytes": self.result_bytes,
            }
        )
