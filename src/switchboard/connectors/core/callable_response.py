"""`callable-response`: give the calling workflow its answer; the called run goes on afterwards."""

from __future__ import annotations

from typing import Any

from switchboard.connectors.base import Connector, Context, Input, Output

connector = Connector(
    "callable-response",
    title="Callable Workflow Response",
    description="Answer the workflow that called this one.",
)


class ResponseInput(Input):
    response: Any = None


class Answered(Output):
    responded: bool
    """False when the caller did not wait (fire and forget) or already has its answer."""


@connector.operation("response", title="Send the response", repeat_safe=True)
async def response(data: ResponseInput, ctx: Context[None]) -> Answered:
    return Answered(responded=ctx.services.respond(data.response) if ctx.services is not None else False)
