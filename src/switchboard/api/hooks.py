"""`/hooks/{token}`: the public endpoint of webhook and connector triggers.

Order matters: verify (connector triggers check the provider's signature), store the event and
commit, then answer. Once Switchboard has answered 2xx the event survives a crash: the next start
finds it without a run and starts one.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from switchboard.api.errors import error_body
from switchboard.api.security import ServerDep
from switchboard.api.server import Server
from switchboard.connectors.base import HookResponse, InboundRequest, TriggerEvent, TriggerKind
from switchboard.dispatch.services import Reply
from switchboard.errors import NotFound, SwitchboardError
from switchboard.store.workflows import StoredWorkflow
from switchboard.triggers.events import store_event

router = APIRouter(tags=["hooks"])


class PayloadTooLarge(SwitchboardError):
    code = "payload_too_large"


async def receive(token: str, request: Request, server: ServerDep) -> Response:
    stored = server.workflows.by_token(token)
    if not stored.enabled:
        raise NotFound("this workflow is disabled")
    body = await _read_body(request, server.settings.webhook_body_limit)
    inbound = InboundRequest(
        method=request.method,
        url=_signed_url(server, request),
        headers={k.lower(): v for k, v in request.headers.items()},
        body=body,
        query=dict(request.query_params),
    )
    event = await _event(server, stored, inbound)
    if not event.start_run:
        return _response(event.response or HookResponse())
    run_id = uuid.uuid4().hex
    event_id = store_event(
        server.database, stored.id, stored.trigger_type, event.output, event.dedup_key, run_id=run_id
    )
    if event_id is None:  # a provider's retry of an event already taken: acknowledge, start nothing
        return _response(event.response or HookResponse(status=200))
    respond = stored.workflow().trigger.settings.get("mode") == "respond"
    reply = Reply() if respond else None
    await server.dispatcher.submit(
        stored, event.output, trigger_type=stored.trigger_type, run_id=run_id, reply=reply
    )
    if reply is None:
        if event.response is not None:
            return _response(event.response)
        if stored.trigger_type == "webhook":
            return JSONResponse({"run_id": run_id, "event_id": event_id}, status_code=202)
        return _response(HookResponse())  # providers (Plivo, Slack) expect a plain 200
    return await _await_reply(server, run_id, reply)


for _method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
    router.add_api_route(
        "/hooks/{token}",
        receive,
        methods=[_method],
        operation_id=f"hook_{_method.lower()}",
        summary="Trigger URL",
    )


async def _event(server: Server, stored: StoredWorkflow, inbound: InboundRequest) -> TriggerEvent:
    """Plain webhooks take any request; connector triggers verify it with their authentication."""
    trigger = stored.workflow().trigger
    if trigger.type == "webhook":
        return TriggerEvent(output=_webhook_output(inbound))
    kind = _connector_trigger(server, trigger.type)
    auth = None
    if trigger.auth is not None:
        connector = server.registry.get(trigger.type.partition(".")[0])
        resolved = await server.engine.authentications.resolve(trigger.auth, connector, owner=stored.owner_id)
        auth = resolved.fields
    assert kind.handler is not None
    return await kind.handler(inbound, auth, trigger.settings)


def _connector_trigger(server: Server, trigger_type: str) -> TriggerKind:
    connector_name, _, name = trigger_type.partition(".")
    kind = server.registry.get(connector_name).triggers.get(name)
    if kind is None or kind.handler is None:
        raise NotFound(f"trigger {trigger_type!r} takes no inbound requests")
    return kind


def _webhook_output(inbound: InboundRequest) -> dict[str, Any]:
    content_type = inbound.headers.get("content-type", "")
    body: Any
    if "json" in content_type:
        try:
            body = inbound.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            body = inbound.body.decode("utf-8", errors="replace")
    elif "x-www-form-urlencoded" in content_type:
        body = inbound.form()
    else:
        body = inbound.body.decode("utf-8", errors="replace")
    headers = {k: v for k, v in inbound.headers.items() if k not in ("authorization", "cookie")}
    return {"method": inbound.method, "headers": headers, "query": dict(inbound.query), "body": body}


async def _await_reply(server: Server, run_id: str, reply: Reply) -> Response:
    ended = asyncio.ensure_future(server.dispatcher.wait(run_id))
    waiting: set[asyncio.Future[Any]] = {reply.future, ended}
    done, _ = await asyncio.wait(
        waiting,
        timeout=server.settings.webhook_response_timeout,
        return_when=asyncio.FIRST_COMPLETED,
    )
    if reply.future in done or reply.future.done():
        ended.cancel()
        answer = reply.future.result()
        if not isinstance(answer, HookResponse):  # a callable-response step in a webhook workflow
            answer = HookResponse(body=json.dumps(answer), media_type="application/json")
        return _response(answer)
    if ended in done:
        run = ended.result()
        message = f"run {run_id} ended ({run.status}) without a webhook-response step"
        return JSONResponse(error_body("no_response", message), status_code=500)
    ended.cancel()
    message = f"run {run_id} gave no response within {server.settings.webhook_response_timeout:g} s"
    return JSONResponse(error_body("response_timeout", message), status_code=504)


def _response(answer: HookResponse) -> Response:
    return Response(
        content=answer.body,
        status_code=answer.status,
        media_type=answer.media_type,
        headers=dict(answer.headers),
    )


def _signed_url(server: Server, request: Request) -> str:
    """The URL as the provider called it: our public URL, the path and the query string."""
    query = f"?{request.url.query}" if request.url.query else ""
    return f"{server.settings.public_url.rstrip('/')}{request.url.path}{query}"


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(f"the body is {int(declared)} bytes; the limit is {limit} bytes (1 MB)")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(f"the body is over the limit of {limit} bytes (1 MB)")
        chunks.append(chunk)
    return b"".join(chunks)
