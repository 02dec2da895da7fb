"""`webhook-response`: answer the request that started the run (webhook triggers in `respond` mode)."""

from __future__ import annotations

import json
from typing import Any

from pydantic import Field

from switchboard.connectors.base import Connector, Context, HookResponse, Input, Output

connector = Connector(
    "webhook-response",
    title="Webhook Response",
    description="Answer the HTTP request that started this run; the run goes on afterwards.",
)


class ResponseInput(Input):
    status_code: int = Field(200, ge=100, le=599)
    headers: dict[str, str] = Field(default_factory=dict)
    body: Any = Field(None, description="Text is sent as it is; any other value as JSON.")
    content_type: str | None = Field(
        None, description="Defaults to text/plain for text, else application/json."
    )


class ResponseSent(Output):
    responded: bool
    """False when nobody waits for an answer (fire-and-forget trigger, replayed or resumed run)."""


@connector.operation("respond", title="Send a response", repeat_safe=True)
async def respond(data: ResponseInput, ctx: Context[None]) -> ResponseSent:
    """The first response of a run wins; later ones are recorded as not sent."""
    if isinstance(data.body, str):
        body, media_type = data.body, data.content_type or "text/plain"
    else:
        body, media_type = json.dumps(data.body), data.content_type or "application/json"
    response = HookResponse(status=data.status_code, body=body, media_type=media_type, headers=data.headers)
    sent = ctx.services.respond(response) if ctx.services is not None else False
    return ResponseSent(responded=sent)
