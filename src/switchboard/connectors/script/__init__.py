"""`script`: run a few lines of Python on data from earlier steps, as Tray's Script connector runs JavaScript.

```yaml
- connector: script
  input:
    script: |
      def step(input):
          total = sum(line["price"] * line["quantity"] for line in input["lines"])
          print("lines:", len(input["lines"]))
          return {"total": round(total, 2)}
    input: {lines: "{$.steps.trigger.order.lines}"}
    timeout: 10        # seconds, at most 300
    memory_mb: 256     # at most 2048
```

The output is `{"result": <what step returned>, "console": "<what it printed>"}`; later steps read
`$.steps.script-1.result.total`. `input` is any JSON value, usually built from jsonpaths.

**What a script is for**: computation on data, nothing else. It has no network, may not start or
signal other programs or load native libraries, and sees none of the server's environment variables
(its environment holds only `TMPDIR`), so it cannot send, store or change anything outside itself.
That is why the operation is safe to repeat after a crash; a script must keep it that way, and must
not, for instance, write outside its working directory.

How it runs: in a separate Python process per step (about 15-30 ms to start), with the standard
library only, in a temporary working directory deleted afterwards. It is stopped when it runs past
`timeout` (wall clock; processor time is capped too) or asks for more than `memory_mb` of address
space. `print` output is kept up to 64,000 characters. The result must be JSON: dicts, lists
(tuples become lists), text, numbers, True/False and None; keys that are numbers, True/False or None
become text as `json.dumps` makes them; anything else (a set, a datetime, NaN) fails the step naming
where it is. The result may be at most 5 MB of JSON.

A script that fails gives an `operation_failed` error whose message says what and where, with the
line numbers of the script as written, and which also carries `reason` (`syntax_error`, `no_step`,
`exception`, `not_json`, `too_large`, `timeout`, `memory`, `crash`, `not_started`) and `console`.
It is not retried: the same code on the same input fails the same way, an endless loop included.
Only `not_started` (the server could not start a process) is retryable.

The guard that refuses network, processes, signals and native libraries is an audit hook (PEP 578):
it stops accidental use, such as a library that reaches for the network. It is not a security
boundary against hostile code (native code raises no audit events); run untrusted scripts only
where the process itself is contained (a container, or a user without rights).

The `script` is taken as written, never as a template: `{` and `}` are Python's, and data reaches
the script only through `input` (where placeholders such as `{$.steps.trigger.items}` work).
"""

from __future__ import annotations

import json

from pydantic import Field, JsonValue

from switchboard.connectors.base import Connector, Input, Output, verbatim

from .failure import Reason, ScriptFailed
from .limits import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT, MAX_MEMORY_MB, MAX_TIMEOUT, MIN_MEMORY_MB, Limits
from .sandbox import run_child
from .verdict import Completed, verdict

__all__ = [
    "Completed",
    "Limits",
    "Reason",
    "RunScript",
    "ScriptFailed",
    "ScriptResult",
    "connector",
    "run_script",
]

connector = Connector(
    "script",
    title="Script",
    description="Run Python that defines `def step(input): ...` on data from earlier steps, in a separate "
    "process with time and memory limits and no network.",
)


class RunScript(Input):
    script: str = verbatim(
        "Python source defining `def step(input): ...`; what it returns is the step's result. "
        "Taken as written: data reaches the script through `input`, not through placeholders.",
        format="python",
    )
    input: JsonValue = Field(None, description="Any JSON value, passed to `step` as its argument.")
    timeout: float = Field(
        DEFAULT_TIMEOUT,
        gt=0,
        le=MAX_TIMEOUT,
        title="Timeout (seconds)",
        description="Seconds the script may run before it is stopped.",
    )
    memory_mb: int = Field(
        DEFAULT_MEMORY_MB,
        ge=MIN_MEMORY_MB,
        le=MAX_MEMORY_MB,
        title="Memory (MB)",
        description="Memory the script may use, in MB.",
    )


class ScriptResult(Output):
    result: JsonValue = Field(description="What `step` returned.")
    console: str = Field(description="What the script printed, cut off after 64,000 characters.")


async def run_script(source: str, value: JsonValue, limits: Limits) -> Completed:
    """Run `step(value)` from `source` in its own process within `limits`; raises `ScriptFailed`."""
    request = json.dumps({"script": source, "input": value}).encode()
    return verdict(await run_child(request, limits), limits)


@connector.operation("execute", title="Run a script", repeat_safe=True)
async def execute(data: RunScript) -> ScriptResult:
    """Run the script's `step(input)` in a separate process with limits and no network; see the module doc.

    Safe to repeat because a script can only compute: it cannot reach anything outside its process.
    """
    completed = await run_script(
        data.script, data.input, Limits(timeout=data.timeout, memory_mb=data.memory_mb)
    )
    return ScriptResult(result=completed.result, console=completed.console)
