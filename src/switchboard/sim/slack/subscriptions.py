"""The app's event subscription: sending events to its Request URL as Slack does, and retrying them.

Every delivery is remembered by ``event_id`` so that a test (or the sandbox UI) can send it again as
Slack's retry would: same payload, same ``event_id``, a fresh timestamp and signature, and
``X-Slack-Retry-Num``/``X-Slack-Retry-Reason`` headers.
"""

import secrets
import uuid
from typing import Any

from .events import (
    STALE_BY_SECONDS,
    DeliveryAttempt,
    EventDelivery,
    event_callback,
    new_event_id,
    post_signed,
    url_verification,
)
from .state import Channel, Message, SlackSimState

JsonObject = dict[str, Any]


async def _post(
    workspace: SlackSimState,
    url: str,
    payload: JsonObject,
    *,
    wrong_secret: bool = False,
    stale_timestamp: bool = False,
    retry_num: int | None = None,
    retry_reason: str | None = None,
) -> DeliveryAttempt:
    secret = f"not-{workspace.signing_secret}" if wrong_secret else workspace.signing_secret
    timestamp = workspace.now() - (STALE_BY_SECONDS if stale_timestamp else 0)
    return await post_signed(
        url,
        payload,
        signing_secret=secret,
        timestamp=timestamp,
        retry_num=retry_num,
        retry_reason=retry_reason,
    )


def message_event(channel: Channel, message: Message) -> JsonObject:
    """The ``message`` event Slack sends when someone posts in a channel."""
    event: JsonObject = {
        "type": "message",
        "channel": channel.id,
        "user": message.user,
        "text": message.text,
        "ts": message.ts,
        "event_ts": message.ts,
        "channel_type": "group" if channel.is_private else "channel",
        "team": message.team_id,
        "client_msg_id": str(uuid.uuid4()),
    }
    if message.thread_ts is not None:
        event["thread_ts"] = message.thread_ts
    return event


async def send_event(
    workspace: SlackSimState,
    url: str,
    event: JsonObject,
    *,
    event_id: str | None = None,
    wrong_secret: bool = False,
    stale_timestamp: bool = False,
    retry_num: int | None = None,
    retry_reason: str | None = None,
) -> EventDelivery:
    """POST an ``event_callback`` wrapping ``event`` to ``url``, signed (or mis-signed on request)."""
    inner_event = dict(event)
    inner_event.setdefault("event_ts", inner_event.get("ts") or workspace.next_ts())
    envelope = event_callback(workspace.app, inner_event, event_id or new_event_id(), workspace.now())
    delivery = EventDelivery(event_id=envelope["event_id"], url=url, payload=envelope)
    attempt = await _post(
        workspace,
        url,
        envelope,
        wrong_secret=wrong_secret,
        stale_timestamp=stale_timestamp,
        retry_num=retry_num,
        retry_reason=retry_reason,
    )
    delivery.attempts.append(attempt)
    workspace.deliveries[delivery.event_id] = delivery
    return delivery


async def retry_event(
    workspace: SlackSimState, event_id: str, reason: str = "http_timeout"
) -> EventDelivery | None:
    """Send a delivered event again as Slack's next retry; ``None`` if no such event was sent."""
    delivery = workspace.deliveries.get(event_id)
    if delivery is None:
        return None
    attempt = await _post(
        workspace, delivery.url, delivery.payload, retry_num=len(delivery.attempts), retry_reason=reason
    )
    delivery.attempts.append(attempt)
    return delivery


async def verify_url(
    workspace: SlackSimState,
    url: str,
    challenge: str | None = None,
    *,
    wrong_secret: bool = False,
    stale_timestamp: bool = False,
) -> tuple[str, DeliveryAttempt]:
    """Send the ``url_verification`` handshake; the challenge and the attempt, to check the echo."""
    sent_challenge = challenge or secrets.token_urlsafe(32)
    payload = url_verification(workspace.app, sent_challenge)
    attempt = await _post(workspace, url, payload, wrong_secret=wrong_secret, stale_timestamp=stale_timestamp)
    return sent_challenge, attempt
