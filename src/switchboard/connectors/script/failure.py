"""`ScriptFailed`: a script that gave no result, with why (`reason`) and what it printed first."""

from __future__ import annotations

from typing import Any, Literal

from switchboard.errors import OperationFailed

Reason = Literal[
    "syntax_error",
    "no_step",
    "exception",
    "not_json",
    "too_large",
    "timeout",
    "memory",
    "crash",
    "not_started",
]
"""Why a script failed, for error branches to tell cases apart (`$.errors.script-1.reason`)."""


class ScriptFailed(OperationFailed):
    """A script failed; never retried, since running the same code on the same input fails the same way.

    That holds for timeouts too: an endless loop stays endless, so a timeout here is not the
    engine's (retryable) `StepTimeout`. The one exception is a process that could not be started
    (too many open files, no memory left on the server): that is the server's trouble, and passes.
    The journal and error branches also get the console.
    """

    def __init__(self, message: str, *, reason: Reason, console: str = "", retryable: bool = False) -> None:
        super().__init__(message)
        self.reason = reason
        self.console = console
        self.retryable = retryable

    def to_dict(self) -> dict[str, Any]:
        data = super().to_dict()
        data["reason"] = self.reason
        data["console"] = self.console
        return data
