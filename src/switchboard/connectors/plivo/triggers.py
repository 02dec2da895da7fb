"""Plivo's callbacks as triggers: an inbound message, a delivery report, an incoming call.

Each handler trusts a request only once its Plivo signature checks out against the authentication's
Auth Token, using the URL Plivo called (the workflow's public trigger URL): V3 when its headers are there,
else V2, in the plain or the ``-Ma-`` (main account) header, each possibly a comma-separated list. Anything
else is refused with 403. The trigger's output is Plivo's parameters under Plivo's own names (``From``,
``To``, ``Text``, ``MessageUUID``...), from the form body of a POST or the query of a GET.

Plivo repeats a callback that was not answered 2xx within 8 seconds, so every event has a ``dedup_key``:
the message's uuid (and its status, for delivery reports, since each status change is its own event), or
the call's uuid (and its ``Event``, so a call's hangup notice is not taken for a repeat of its answer).

Answers: Plivo reads the answer to an inbound message or call as Plivo XML. Without a ``webhook-response``
step (``mode: fire_and_forget``), or for a repeated event, the answer is an empty ``<Response/>``: nothing
to reply, for a call it ends the call. With ``mode: respond``, the workflow's ``webhook-response`` step
answers, e.g. with ``<Response><Message src=".." dst="..">Thanks!</Message></Response>``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal
from urllib.parse import parse_qs, urlsplit

from pydantic import BaseModel, ConfigDict, Field

from switchboard.connectors.base import (
    HookResponse,
    InboundRequest,
    TriggerEvent,
    TriggerKind,
    TriggerRejected,
)

from .auth import PlivoAuth
from .connector import connector
from .signatures import verify_request

EMPTY_XML = '<?xml version="1.0" encoding="UTF-8"?><Response/>'
"""Plivo XML that does nothing: no reply to a message; for a call, hang up."""

Params = dict[str, list[str]]


class PlivoTriggerSettings(BaseModel):
    """How the workflow answers Plivo."""

    model_config = ConfigDict(extra="forbid")

    mode: Literal["fire_and_forget", "respond"] = Field(
        default="fire_and_forget",
        description="fire_and_forget answers Plivo at once (an empty <Response/> for messages and calls); "
        "respond waits for the workflow's webhook-response step, whose body is Plivo XML.",
    )


def callback_params(request: InboundRequest) -> Params:
    """Plivo's parameters: the form body of a POST, the query string of a GET (as signed)."""
    if request.method.upper() == "GET":
        return parse_qs(urlsplit(request.url).query, keep_blank_values=True)
    return parse_qs(request.body.decode("utf-8", errors="replace"), keep_blank_values=True)


def verified_params(request: InboundRequest, auth: object) -> dict[str, str]:
    """The request's parameters, once its signature proves it comes from Plivo; else TriggerRejected (403)."""
    if not isinstance(auth, PlivoAuth):
        raise TriggerRejected("the trigger has no Plivo authentication to verify signatures with")
    params = callback_params(request)
    signed_params: Mapping[str, list[str]] = {} if request.method.upper() == "GET" else params
    if not verify_request(request.method, request.url, signed_params, request.headers, auth.auth_token):
        raise TriggerRejected(
            "the request carries no valid Plivo signature (X-Plivo-Signature-V3 or -V2) for the trigger's "
            "authentication; check that it is the account that owns the number"
        )
    return {name: values[-1] for name, values in params.items()}


async def incoming_message(request: InboundRequest, auth: Any, settings: Mapping[str, Any]) -> TriggerEvent:
    """A message to one of the account's numbers (posted to its application's message_url)."""
    params = verified_params(request, auth)
    return TriggerEvent(output=params, dedup_key=_key(params, "MessageUUID"), response=_xml_answer())


async def message_status(request: InboundRequest, auth: Any, settings: Mapping[str, Any]) -> TriggerEvent:
    """A status change of a sent message (posted to the url given at send time)."""
    params = verified_params(request, auth)
    return TriggerEvent(output=params, dedup_key=_key(params, "MessageUUID", "Status"))


async def incoming_call(request: InboundRequest, auth: Any, settings: Mapping[str, Any]) -> TriggerEvent:
    """A call to one of the account's numbers (Plivo fetches its application's answer_url)."""
    params = verified_params(request, auth)
    return TriggerEvent(output=params, dedup_key=_key(params, "CallUUID", "Event"), response=_xml_answer())


def _key(params: Mapping[str, str], identifier: str, qualifier: str | None = None) -> str | None:
    """``<id>`` or ``<id>:<qualifier>``; None when Plivo sent no id (nothing to recognise a repeat by)."""
    found = params.get(identifier)
    if not found:
        return None
    extra = params.get(qualifier) if qualifier else None
    return f"{found}:{extra}" if extra else found


def _xml_answer() -> HookResponse:
    return HookResponse(status=200, body=EMPTY_XML, media_type="application/xml")


for kind in (
    TriggerKind(
        "incoming_message",
        "Incoming message",
        "Starts when one of your Plivo numbers receives an SMS or MMS; its output is Plivo's From, To, Text, "
        "Type, MessageUUID... Point the number's application message_url at the trigger URL "
        "(connect_number_to_trigger does it).",
        settings=PlivoTriggerSettings,
        needs_auth=True,
        handler=incoming_message,
    ),
    TriggerKind(
        "message_status",
        "Message status",
        "Starts on every status change of a message sent with this trigger's URL as its url: queued, sent, "
        "delivered, undelivered, failed (output: MessageUUID, Status, ErrorCode, To, From, Units...).",
        settings=PlivoTriggerSettings,
        needs_auth=True,
        handler=message_status,
    ),
    TriggerKind(
        "incoming_call",
        "Incoming call",
        "Starts when Plivo fetches the answer_url of a call (CallUUID, From, To, CallStatus...); in respond "
        "mode a webhook-response step returns the Plivo XML that drives the call.",
        settings=PlivoTriggerSettings,
        needs_auth=True,
        handler=incoming_call,
    ),
):
    connector.add_trigger(kind)
