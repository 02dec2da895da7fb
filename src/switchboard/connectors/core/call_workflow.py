"""`call-workflow`: start a workflow whose trigger is `callable`, and optionally wait for its response.

The called run's trigger output is the `trigger_input` object plus `#calling_workflow`. A call that
would come back to a workflow already in the chain of calls is refused, so a cycle cannot loop forever.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from switchboard.connectors.base import Connector, Context, Input, Output
from switchboard.errors import OperationFailed

connector = Connector("call-workflow", title="Call Workflow", description="Run another workflow.")


class CallInput(Input):
    workflow_id: str = Field(min_length=1)
    trigger_input: dict[str, Any] = Field(default_factory=dict)


class Called(Output):
    run_id: str
    status: str
    response: Any = None


async def _call(data: CallInput, ctx: Context[None], *, wait: bool) -> Called:
    if ctx.services is None:
        raise OperationFailed("call-workflow needs a process that can start runs (switchboard serve)")
    return Called.model_validate(
        await ctx.services.call_workflow(data.workflow_id, data.trigger_input, wait=wait)
    )


@connector.operation("fire_and_forget", title="Call and go on", repeat_safe=False)
async def fire_and_forget(data: CallInput, ctx: Context[None]) -> Called:
    """Start the workflow and go on at once."""
    return await _call(data, ctx, wait=False)


@connector.operation("fire_and_wait_for_response", title="Call and wait for the response", repeat_safe=False)
async def fire_and_wait_for_response(data: CallInput, ctx: Context[None]) -> Called:
    """Wait until the called workflow's `callable-response` step answers (or its run ends)."""
    return await _call(data, ctx, wait=True)
