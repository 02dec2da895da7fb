"""What a finished child process means for the step: the script's result, or a `ScriptFailed` saying why.

The child reports failures it can see itself (syntax errors, exceptions, results that are not JSON)
in words that use the script's own line numbers. The rest is read from how the process ended: the
clock ran out, the kernel stopped it for processor time or memory, or the interpreter crashed.
"""

from __future__ import annotations

import json
import signal
from dataclasses import dataclass
from typing import Any, cast, get_args

from pydantic import JsonValue

from .child import MEMORY_EXIT_CODE, memory_message
from .failure import Reason, ScriptFailed
from .limits import Limits
from .sandbox import ChildExit

SHOWN_STDERR_LINES = 5
_REASONS: frozenset[str] = frozenset(get_args(Reason))


@dataclass(frozen=True)
class Completed:
    """A script that returned: its result (JSON) and what it printed."""

    result: JsonValue
    console: str


def verdict(ended: ChildExit, limits: Limits) -> Completed:
    """The step's outcome from the child's report, else from its exit status."""
    if ended.timed_out:
        raise ScriptFailed(timeout_message(limits), reason="timeout")
    report = _report(ended)
    if report is not None:
        console = str(report.get("console", ""))
        if "result" in report:
            return Completed(result=report["result"], console=console)
        reason = str(report.get("reason"))
        raise ScriptFailed(
            str(report.get("error")),
            reason=cast(Reason, reason) if reason in _REASONS else "crash",
            console=console,
        )
    raise _exit_failure(ended, limits)


def timeout_message(limits: Limits) -> str:
    return f"the script ran longer than {limits.timeout:g} s and was stopped"


def _report(ended: ChildExit) -> dict[str, Any] | None:
    """The child's JSON report, if it got as far as writing a whole one."""
    if ended.returncode != 0 or not ended.stdout_complete:
        return None
    try:
        report = json.loads(ended.stdout)
    except ValueError:
        return None
    if not isinstance(report, dict) or not ("result" in report or "error" in report):
        return None
    return report


def _exit_failure(ended: ChildExit, limits: Limits) -> ScriptFailed:
    code = ended.returncode
    if code == MEMORY_EXIT_CODE:
        return ScriptFailed(memory_message(limits.memory_mb), reason="memory")
    if code == -signal.SIGALRM:
        return ScriptFailed(timeout_message(limits), reason="timeout")
    if code == -signal.SIGXCPU:
        return ScriptFailed(
            f"the script used more than {limits.cpu_seconds} s of processor time and was stopped",
            reason="timeout",
        )
    if code == -signal.SIGKILL:
        return ScriptFailed(
            "the script was killed (SIGKILL), most likely for needing more than its "
            f"{limits.memory_mb} MB of memory (memory_mb)",
            reason="memory",
        )
    if code == 0 and not ended.stdout_complete:
        return ScriptFailed(
            f"the script wrote more than {limits.report_bytes} bytes to its report", reason="too_large"
        )
    if code is not None and code < 0:
        how = f"crashed ({_signal_name(-code)})"
    else:
        how = f"ended (exit status {code}) without reporting a result"
    return ScriptFailed(f"the script's process {how}{_stderr_lines(ended.stderr_tail)}", reason="crash")


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _stderr_lines(tail: bytes) -> str:
    """The last lines the interpreter wrote before it died, indented under the message."""
    lines = [line for line in tail.decode("utf-8", errors="replace").splitlines() if line.strip()]
    return "".join(f"\n  {line}" for line in lines[-SHOWN_STDERR_LINES:])
