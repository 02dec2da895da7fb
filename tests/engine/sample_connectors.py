"""Small real connectors for engine tests: flaky, secret-holding, counting and blocking operations."""

from __future__ import annotations

import asyncio
from typing import Any

from switchboard.connectors.base import AuthFields, Connector, Context, Input, Output, Secret
from switchboard.connectors.registry import Registry, discover
from switchboard.errors import OperationFailed, ProviderError


class Calls:
    """What the sample operations were asked to do, for the tests to read."""

    def __init__(self) -> None:
        self.count: dict[str, int] = {}
        self.failures_left = 0
        self.retry_after: float | None = None
        self.started = asyncio.Event()
        self.release = asyncio.Event()

    def record(self, name: str) -> int:
        self.count[name] = self.count.get(name, 0) + 1
        return self.count[name]


CALLS = Calls()


class TokenAuth(AuthFields):
    user: str
    token: Secret


sample = Connector("sample", title="Sample", auth=TokenAuth, auth_required=False)


class Echo(Input):
    value: Any = None
    header: str = ""


class Echoed(Output):
    value: Any = None
    header: str = ""


@sample.operation("echo", title="Echo", repeat_safe=True)
async def echo(data: Echo) -> Echoed:
    CALLS.record("echo")
    return Echoed(value=data.value, header=data.header)


@sample.operation("flaky", title="Fails with a transient error first", repeat_safe=True)
async def flaky(data: Echo) -> Echoed:
    CALLS.record("flaky")
    if CALLS.failures_left > 0:
        CALLS.failures_left -= 1
        raise ProviderError("service unavailable", status=503, retryable=True, retry_after=CALLS.retry_after)
    return Echoed(value=data.value)


@sample.operation("broken", title="Always fails for good", repeat_safe=True)
async def broken(data: Echo) -> Echoed:
    CALLS.record("broken")
    raise OperationFailed(f"cannot handle {data.value!r}")


@sample.operation("crash", title="Has a bug", repeat_safe=True)
async def crash(data: Echo) -> Echoed:
    return Echoed(value={}["missing"])


@sample.operation("send", title="A send that is not safe to repeat", repeat_safe=False)
async def send(data: Echo) -> Echoed:
    CALLS.record("send")
    return Echoed(value=data.value)


@sample.operation("block", title="Waits until released", repeat_safe=True)
async def block(data: Echo) -> Echoed:
    CALLS.record("block")
    CALLS.started.set()
    await CALLS.release.wait()
    return Echoed(value=data.value)


@sample.operation("whoami", title="Reads its authentication", repeat_safe=True)
async def whoami(data: Echo, ctx: Context[TokenAuth]) -> Echoed:
    CALLS.record("whoami")
    assert ctx.auth is not None
    return Echoed(value={"user": ctx.auth.user, "said": f"token is {ctx.auth.token}"})


def registry() -> Registry:
    """The installed connectors plus `sample`."""
    return Registry([*discover(), sample])
