"""The script's process: started isolated and limited, fed its request, stopped at its time limit.

Each run gets a fresh interpreter (`python -I -S -B -X utf8`: no site-packages, no `PYTHON*`
variables, no bytecode files, UTF-8 text), a new temporary working directory that is deleted
afterwards, an environment holding only `TMPDIR` (so nothing of the server's environment, secrets
included, reaches the script) and a session of its own, so that stopping it stops all of it.
Starting the process costs about 15-30 ms a step, the price of a clean slate every time.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .failure import ScriptFailed
from .limits import Limits

CHILD_PROGRAM = Path(__file__).with_name("child.py")
INTERPRETER_FLAGS = ("-I", "-S", "-B", "-X", "utf8")
STDERR_TAIL_BYTES = 8_000
"""How much of the end of the child's stderr is kept, to explain a crash."""

_CHUNK = 65_536


@dataclass(frozen=True)
class ChildExit:
    """How the child process ended and what it wrote; `verdict` says what that means for the step."""

    returncode: int | None
    """None when it was stopped at its time limit; negative when a signal ended it."""
    stdout: bytes
    stdout_complete: bool
    """False when the child wrote more than a report can be, and the rest was dropped."""
    stderr_tail: bytes

    @property
    def timed_out(self) -> bool:
        return self.returncode is None


async def run_child(request: bytes, limits: Limits) -> ChildExit:
    """Run the child on `request` (JSON: script and input) and collect its report within `limits.timeout`.

    The process group is killed however this ends (done, timed out, or cancelled by the engine's
    own step timeout or a cancelled run), so no script outlives its step.
    """
    with _working_directory() as workdir:
        try:
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                *INTERPRETER_FLAGS,
                str(CHILD_PROGRAM),
                limits.child_settings(),
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
                cwd=workdir,
                env={"TMPDIR": workdir},
                start_new_session=True,
            )
        except OSError as error:
            raise _not_started(error) from error
        try:
            return await _converse(process, request, limits)
        finally:
            _kill_group(process)
            await process.wait()


@contextlib.contextmanager
def _working_directory() -> Iterator[str]:
    """A new empty directory for one script, removed with whatever the script left in it."""
    try:
        workdir = tempfile.TemporaryDirectory(prefix="switchboard-script-", ignore_cleanup_errors=True)
    except OSError as error:
        raise _not_started(error) from error
    with workdir as path:
        yield path


def _not_started(error: OSError) -> ScriptFailed:
    """The server could not start a process (no file descriptors, memory or disk): worth retrying."""
    return ScriptFailed(
        f"could not start the script's process: {error}", reason="not_started", retryable=True
    )


async def _converse(process: asyncio.subprocess.Process, request: bytes, limits: Limits) -> ChildExit:
    assert process.stdin is not None and process.stdout is not None and process.stderr is not None
    try:
        async with asyncio.timeout(limits.timeout):
            _, (stdout, complete), stderr_tail, returncode = await asyncio.gather(
                _feed(process.stdin, request),
                _read_head(process.stdout, limits.report_bytes),
                _read_tail(process.stderr, STDERR_TAIL_BYTES),
                process.wait(),
            )
    except TimeoutError:
        return ChildExit(returncode=None, stdout=b"", stdout_complete=False, stderr_tail=b"")
    return ChildExit(returncode=returncode, stdout=stdout, stdout_complete=complete, stderr_tail=stderr_tail)


async def _feed(stream: asyncio.StreamWriter, data: bytes) -> None:
    """Write the request and close stdin; a child that died before reading it is explained by its exit."""
    try:
        stream.write(data)
        await stream.drain()
    except (BrokenPipeError, ConnectionResetError):
        return
    finally:
        stream.close()


async def _read_head(stream: asyncio.StreamReader, limit: int) -> tuple[bytes, bool]:
    """The first `limit` bytes, and whether that was all; reads on to the end so the child never blocks."""
    kept = bytearray()
    complete = True
    while chunk := await stream.read(_CHUNK):
        room = limit - len(kept)
        if len(chunk) > room:
            complete = False
        if room > 0:
            kept += chunk[:room]
    return bytes(kept), complete


async def _read_tail(stream: asyncio.StreamReader, limit: int) -> bytes:
    """The last `limit` bytes: where a crashing interpreter says why."""
    kept = b""
    while chunk := await stream.read(_CHUNK):
        kept = (kept + chunk)[-limit:]
    return kept


def _kill_group(process: asyncio.subprocess.Process) -> None:
    """SIGKILL the child's whole session; it may already be gone, which is what we want anyway."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
