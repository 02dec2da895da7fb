"""The program a script runs in, one process per step: set limits, install the guard, call `step(input)`.

The parent (`sandbox.py`) starts `python -I -S -B -X utf8 child.py '<settings JSON>'` in a fresh
temporary directory with a nearly empty environment, writes `{"script": ..., "input": ...}` to its
stdin and reads exactly one JSON report from its stdout:

    {"console": "...", "result": <JSON>}                       the script returned a value
    {"console": "...", "error": "...", "reason": "exception"}  it did not (see `failure.Reason`)

`-I -S` leave site-packages (and so Switchboard) out of reach, so this file imports only the
standard library, and only modules that are quick to import: a process starts for every step.
It is also importable as a module, for the constants and the JSON check the parent and tests share.
"""

from __future__ import annotations

import builtins
import contextlib
import io
import json
import math
import os
import resource
import signal
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:  # `typing` costs a few milliseconds per step at run time, so only mypy reads it
    from types import TracebackType
    from typing import Any

SCRIPT_FILENAME = "<script>"
"""The file name compiled into the user's code, so tracebacks tell their lines from ours."""

MEMORY_EXIT_CODE = 3
"""The exit status when memory ran out before even the report could be written."""

SHOWN_FRAMES = 3
"""How many of the script's own lines an exception's message shows, innermost last."""

LONGEST_MESSAGE = 2000
"""Characters of an exception's own message kept in the report."""

_NETWORK = "network access is not allowed in a script"
_PROCESSES = "starting or signalling other processes is not allowed in a script"
_NATIVE = "loading native libraries is not allowed in a script"
_LIMITS = "a script may not change its own limits"

REFUSED_EVENTS = {
    **dict.fromkeys(
        (
            "socket.__new__",
            "socket.bind",
            "socket.connect",
            "socket.getaddrinfo",
            "socket.gethostbyaddr",
            "socket.gethostbyname",
            "socket.getnameinfo",
            "socket.sendmsg",
            "socket.sendto",
        ),
        _NETWORK,
    ),
    **dict.fromkeys(
        (
            "subprocess.Popen",
            "os.system",
            "os.exec",
            "os.spawn",
            "os.posix_spawn",
            "os.fork",
            "os.forkpty",
            "os.kill",
            "os.killpg",
            "signal.pthread_kill",
        ),
        _PROCESSES,
    ),
    **dict.fromkeys(("ctypes.dlopen", "ctypes.dlsym"), _NATIVE),
    **dict.fromkeys(("resource.setrlimit", "resource.prlimit"), _LIMITS),
}
"""Audit events (PEP 578) that the guard refuses, with what the user is told.

Without network, a script cannot have effects outside its process; without processes and signals,
it cannot escape its limits or stop the server. This guards against accidental use only: native
code (or `_posixsubprocess` called directly) does not raise audit events, so it is not a security
boundary against a hostile script.
"""


class NotAllowed(PermissionError):
    """Raised by the guard; a PermissionError, so code that expects failing I/O handles it as such."""


def guard(event: str, args: tuple[Any, ...]) -> None:
    """The audit hook: refuse the events in `REFUSED_EVENTS`, let everything else through."""
    refusal = REFUSED_EVENTS.get(event)
    if refusal is not None:
        raise NotAllowed(f"{refusal} ({event})")


def limit_resources(memory_bytes: int, cpu_seconds: int, alarm_seconds: int) -> None:
    """Cap address space and processor time, and arm an alarm in case the parent cannot stop us.

    The parent kills the process at its wall-clock limit; the CPU limit (SIGXCPU) and the alarm
    (SIGALRM) are backstops that end a busy or sleeping script even when the parent died first.
    The memory limit is on address space (RLIMIT_AS), which Linux enforces and macOS does not.
    """
    with contextlib.suppress(ValueError, OSError):  # macOS refuses RLIMIT_AS; Linux enforces it
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    signal.alarm(alarm_seconds)


class Console(io.TextIOBase):
    """Where `print` and `sys.stderr` go: kept up to a number of characters, the rest only counted."""

    encoding = "utf-8"

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit
        self.parts: list[str] = []
        self.kept = 0
        self.dropped = 0

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        room = max(self.limit - self.kept, 0)
        if room:
            piece = text[:room]
            self.parts.append(piece)
            self.kept += len(piece)
        self.dropped += max(len(text) - room, 0)
        return len(text)

    def text(self) -> str:
        """What was printed, with a last line saying how much was cut off, if anything was."""
        kept = "".join(self.parts)
        if self.dropped:
            kept += f"\n[console truncated: {self.dropped} more characters]"
        return kept


# -- describing what went wrong, in the user's lines ---------------------------------------------------


def source_line(source: str, number: int | None) -> str:
    """Line `number` (1-based) of the script, stripped; empty when there is no such line."""
    lines = source.splitlines()
    return lines[number - 1].strip() if number is not None and 1 <= number <= len(lines) else ""


def describe_syntax_error(error: SyntaxError | ValueError, source: str) -> str:
    """`syntax error at line 3, column 12: ...` and the line with a caret under the column."""
    if not isinstance(error, SyntaxError) or error.lineno is None:
        return f"the script cannot be compiled: {error.msg if isinstance(error, SyntaxError) else error}"
    where = f"line {error.lineno}" + (f", column {error.offset}" if error.offset else "")
    message = f"syntax error at {where}: {error.msg}"
    lines = source.splitlines()
    if error.lineno is not None and 1 <= error.lineno <= len(lines):
        text = lines[error.lineno - 1].rstrip()
        gutter = f"  {error.lineno} | "
        message += f"\n{gutter}{text}"
        if error.offset and error.offset <= len(text) + 1:
            message += "\n" + " " * (len(gutter) - 2) + "| " + " " * (error.offset - 1) + "^"
    return message


def script_frames(traceback: TracebackType | None) -> list[tuple[int, str]]:
    """(line, function) of each frame in the user's script, outermost first."""
    frames = []
    while traceback is not None:
        code = traceback.tb_frame.f_code
        if code.co_filename == SCRIPT_FILENAME:
            frames.append((traceback.tb_lineno, code.co_qualname))
        traceback = traceback.tb_next
    return frames


def exception_name(error: BaseException) -> str:
    kind = type(error)
    if kind.__module__ in ("builtins", "script"):
        return kind.__qualname__
    return f"{kind.__module__}.{kind.__qualname__}"


def place(line: int, function: str) -> str:
    """`line 5, in step`: where in the script, as the user wrote it."""
    return f"line {line}, " + ("outside any function" if function == "<module>" else f"in {function}")


def describe_exception(error: BaseException, source: str) -> str:
    """What was raised and where, then the script's last few lines on the way there.

    Frames outside the script (the standard library, this file) are left out: the user can act
    only on their own lines, and line numbers are those of their script as written.
    """
    try:
        text = str(error)
    except Exception:  # a user's exception class whose __str__ fails still has a name and a line
        text = ""
    if len(text) > LONGEST_MESSAGE:
        text = text[:LONGEST_MESSAGE] + "..."
    if isinstance(error, NotAllowed):
        what = text
    elif isinstance(error, SystemExit):
        what = f"the script called exit({text}) instead of returning a result"
    else:
        what = f"{exception_name(error)}: {text}" if text else exception_name(error)
    frames = script_frames(error.__traceback__)
    if not frames:
        return what
    lines = [f"{what}, at {place(*frames[-1])}"]
    for line, function in frames[-SHOWN_FRAMES:]:
        lines.append(f"  {place(line, function)}: {source_line(source, line)}")
    return "\n".join(lines)


# -- the result must be JSON ---------------------------------------------------------------------------


def type_name(value: object) -> str:
    kind = type(value)
    return (
        kind.__qualname__
        if kind.__module__ in ("builtins", "script")
        else f"{kind.__module__}.{kind.__qualname__}"
    )


def a_type(value: object) -> str:
    """`a set`, `an int`, `a datetime.datetime`: the type of `value` as a sentence uses it."""
    name = type_name(value)
    return ("an " if name[0].lower() in "aeiou" else "a ") + name


def result_problem(value: object) -> str:
    """Why `value` is not JSON, naming the first place that is not (`result['rows'][2] is a set`).

    Called only after `json.dumps` refused the value, so speed matters less than a precise message.
    Walks with an explicit stack so that deep nesting or cycles cannot overflow the interpreter's.
    """
    pending: list[tuple[object, str, frozenset[int]]] = [(value, "result", frozenset())]
    while pending:
        item, where, parents = pending.pop()
        if item is None or isinstance(item, bool | str):
            continue
        if isinstance(item, int):
            try:
                repr(item)
            except ValueError as error:
                return f"{where} is a whole number too large to write out ({error})"
            continue
        if isinstance(item, float):
            if not math.isfinite(item):
                return f"{where} is {item}, which is not a JSON number"
            continue
        if not isinstance(item, dict | list | tuple):
            return (
                f"{where} is {a_type(item)}, which is not JSON; return text, numbers, True/False, "
                "None, lists (or tuples) and dicts"
            )
        if id(item) in parents:
            return f"{where} contains itself, so it cannot be written as JSON"
        if len(parents) > 500:
            return f"{where} is nested more than 500 levels deep"
        inside = parents | {id(item)}
        if isinstance(item, dict):
            children = []
            for key, child in item.items():
                if not (key is None or isinstance(key, str | int | float | bool)):
                    return f"{where} has a key {key!r} ({type_name(key)}); JSON keys are text"
                children.append((child, f"{where}[{key!r}]", inside))
        else:
            children = [(child, f"{where}[{index}]", inside) for index, child in enumerate(item)]
        pending.extend(reversed(children))
    return "the result cannot be written as JSON"


def encode_result(value: object) -> str:
    """The result as JSON text (tuples become lists), or ValueError saying what is not JSON."""
    try:
        return json.dumps(value, allow_nan=False)
    except (TypeError, ValueError, RecursionError):
        raise ValueError(result_problem(value)) from None


# -- running the script --------------------------------------------------------------------------------


def failure(reason: str, message: str) -> dict[str, str]:
    return {"reason": reason, "error": message}


def memory_message(memory_mb: int, where: str = "") -> str:
    """The same words whether the script saw a MemoryError or the parent saw the process die of it."""
    return f"the script needed more than its {memory_mb} MB of memory (memory_mb)" + (
        f", at {where}" if where else ""
    )


def run_step(
    source: str, value: object, console: Console, *, result_limit: int, memory_mb: int
) -> dict[str, str]:
    """Compile the script, run it, call `step(value)`: `{"result_json": ...}` or a failure.

    Output of the script goes to `console` meanwhile. A MemoryError is reported after dropping
    every reference to the script's data, so that writing the report has memory to work with.
    """
    try:
        code = compile(source, SCRIPT_FILENAME, "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as error:
        return failure("syntax_error", describe_syntax_error(error, source))
    namespace: dict[str, object] = {"__name__": "script", "__builtins__": builtins}
    saved = sys.stdout, sys.stderr
    sys.stdout = sys.stderr = console
    try:
        exec(code, namespace)
        step = namespace.get("step")
        if step is None:
            return failure("no_step", "the script defines no `step` function: add `def step(input): ...`")
        if not callable(step):
            return failure("no_step", f"`step` in the script is {a_type(step)}, not a function")
        result = step(value)
    except MemoryError as error:
        frames = script_frames(error.__traceback__)
        where = place(*frames[-1]) if frames else ""
        error.__traceback__ = None
        namespace.clear()
        return failure("memory", memory_message(memory_mb, where))
    except BaseException as error:
        return failure("exception", describe_exception(error, source))
    finally:
        sys.stdout, sys.stderr = saved
    try:
        encoded = encode_result(result)
    except ValueError as error:
        return failure("not_json", str(error))
    if len(encoded) > result_limit:
        return failure(
            "too_large",
            f"the result is {len(encoded) / 1e6:.1f} MB of JSON; a step's result may be at most "
            f"{result_limit / 1e6:g} MB",
        )
    return {"result_json": encoded}


def report(outcome: dict[str, str], console: Console) -> str:
    """The one JSON line the parent reads; the result is spliced in as already-encoded JSON."""
    head = '{"console": ' + json.dumps(console.text())
    if "result_json" in outcome:
        return head + ', "result": ' + outcome["result_json"] + "}"
    return (
        head
        + ', "reason": '
        + json.dumps(outcome["reason"])
        + ', "error": '
        + json.dumps(outcome["error"])
        + "}"
    )


def main(argv: list[str]) -> None:
    """Run one request; exit with MEMORY_EXIT_CODE if memory ran out before the report was out."""
    settings = json.loads(argv[1])
    channel = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # writes to file descriptor 1 from native code land in stderr, not in the report
    limit_resources(settings["memory_bytes"], settings["cpu_seconds"], settings["alarm_seconds"])
    try:
        request = json.loads(sys.stdin.buffer.read())
        sys.stdin = io.StringIO()
        console = Console(settings["console_chars"])
        sys.addaudithook(guard)
        outcome = run_step(
            request["script"],
            request["input"],
            console,
            result_limit=settings["result_bytes"],
            memory_mb=settings["memory_mb"],
        )
        del request
        channel.write(report(outcome, console))
        channel.flush()
    except MemoryError:
        os._exit(MEMORY_EXIT_CODE)
    os._exit(0)  # without waiting for threads the script may have left running


if __name__ == "__main__":
    main(sys.argv)
