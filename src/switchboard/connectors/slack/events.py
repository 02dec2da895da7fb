"""The ``slack.event`` trigger: Events API requests, verified, de-duplicated and turned into runs.

Slack POSTs every subscribed event to the workflow's trigger URL, signed with the app's signing
secret (``X-Slack-Signature`` v0). A request that is unsigned, mis-signed or older than five minutes
is refused with 401. The ``url_verification`` handshake Slack sends when the Request URL is saved is
answered with its challenge and starts nothing. An ``event_callback`` starts a run whose trigger
output is the inner event plus ``team_id``, ``event_id`` and ``event_time``. Slack retries a delivery
it thinks failed with the same ``event_id``; the de-duplication key ``slack:<event_id>`` makes those
retries start nothing new.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from switchboard.connectors.base import (
    HookResponse,
    InboundRequest,
    TriggerEvent,
    TriggerKind,
    TriggerRejected,
)

from .auth import SlackAuth
from .connector import connector
from .signatures import SIGNATURE_HEADER, TIMESTAMP_HEADER, InvalidSlackSignature, verify_v0

MESSAGE_SUBSCRIPTIONS = {
    "channel": "message.channels",
    "group": "message.groups",
    "im": "message.im",
    "mpim": "message.mpim",
}
"""Slack subscribes to ``message`` events per kind of conversation; ``channel_type`` says which."""


class SlackEventSettings(BaseModel):
    """What a ``slack.event`` trigger reacts to."""

    model_config = ConfigDict(extra="forbid")

    event_types: list[str] | None = Field(
        default=None,
        description="Start runs only for these event types (app_mention, reaction_added, message, or "
        "Slack's subscription names such as message.channels); others are acknowledged and ignored. "
        "Leave out to react to every event the app is subscribed to.",
    )


def _header(request: InboundRequest, name: str) -> str | None:
    wanted = name.lower()
    return next((value for key, value in request.headers.items() if key.lower() == wanted), None)


def _authentication(auth: Any) -> SlackAuth:
    try:
        fields = auth if isinstance(auth, SlackAuth) else SlackAuth.model_validate(auth)
    except ValidationError:
        raise TriggerRejected(
            "the slack.event trigger needs a Slack authentication to verify requests", status=401
        ) from None
    if not fields.signing_secret:
        raise TriggerRejected(
            "the trigger's Slack authentication has no signing_secret, so no request can be verified: "
            "add the app's Signing Secret (Basic Information > App Credentials)",
            status=401,
        )
    return fields


def _verified_envelope(request: InboundRequest, signing_secret: str) -> dict[str, Any]:
    try:
        verify_v0(
            signing_secret,
            _header(request, TIMESTAMP_HEADER),
            _header(request, SIGNATURE_HEADER),
            request.body,
        )
    except InvalidSlackSignature as invalid:
        raise TriggerRejected(f"not accepted as a Slack request: {invalid}", status=401) from None
    try:
        envelope = json.loads(request.body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise TriggerRejected("the Slack request's body is not JSON", status=400) from None
    if not isinstance(envelope, dict):
        raise TriggerRejected("the Slack request's body is not a JSON object", status=400)
    return envelope


def event_names(event: Mapping[str, Any]) -> set[str]:
    """The names an ``event_types`` setting may use for this event (``message`` and ``message.channels``)."""
    names = {str(event.get("type"))}
    subscription = MESSAGE_SUBSCRIPTIONS.get(str(event.get("channel_type")))
    if event.get("type") == "message" and subscription is not None:
        names.add(subscription)
    return names


def _settings(settings: Mapping[str, Any]) -> SlackEventSettings:
    try:
        return SlackEventSettings.model_validate(dict(settings))
    except ValidationError as invalid:
        # Checked when the workflow is saved; reaching here means a stored workflow bypassed the check.
        raise TriggerRejected(
            f"the slack.event trigger's settings are invalid: {invalid}", status=500
        ) from None


def _acknowledged(output: Any) -> TriggerEvent:
    return TriggerEvent(output=output, start_run=False, response=HookResponse(200, "", "text/plain"))


def _event_callback(envelope: dict[str, Any], settings: SlackEventSettings) -> TriggerEvent:
    event = envelope.get("event")
    event_id = envelope.get("event_id")
    if not isinstance(event, dict) or not isinstance(event_id, str) or not event_id:
        raise TriggerRejected("an event_callback without an event or an event_id", status=400)
    output = {
        **event,
        "team_id": envelope.get("team_id"),
        "event_id": event_id,
        "event_time": envelope.get("event_time"),
    }
    if settings.event_types is not None and not event_names(event) & set(settings.event_types):
        return _acknowledged(output)
    return TriggerEvent(output=output, dedup_key=f"slack:{event_id}")


async def receive_event(request: InboundRequest, auth: Any, settings: Mapping[str, Any]) -> TriggerEvent:
    """Verify a request to a ``slack.event`` trigger URL and say what it starts and answers."""
    fields = _authentication(auth)
    envelope = _verified_envelope(request, fields.signing_secret or "")
    kind = envelope.get("type")
    if kind == "url_verification":
        challenge = str(envelope.get("challenge", ""))
        return TriggerEvent(
            output={"type": "url_verification", "challenge": challenge},
            start_run=False,
            response=HookResponse(200, challenge, "text/plain"),
        )
    if kind == "event_callback":
        return _event_callback(envelope, _settings(settings))
    return _acknowledged({"type": kind})  # app_rate_limited and other notices need only a 200


connector.add_trigger(
    TriggerKind(
        "event",
        "Slack event",
        "Start a run for each Slack event the app receives (messages, mentions, reactions...). "
        "Set the app's Event Subscriptions Request URL to the workflow's trigger_url.",
        settings=SlackEventSettings,
        needs_auth=True,
        handler=receive_event,
    )
)
