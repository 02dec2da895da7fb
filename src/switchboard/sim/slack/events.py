"""Events API deliveries: what Slack POSTs to an app's Request URL, signed, and optionally retried.

The simulator signs with its own few lines of HMAC rather than Switchboard's verifier, so that a bug in
one is caught by the other. It can also sign wrongly (another secret, a stale timestamp) and send
Slack's retries (same ``event_id``, ``X-Slack-Retry-Num`` and ``X-Slack-Retry-Reason`` headers), which
is what a trigger must refuse or de-duplicate.
"""

import hashlib
import hmac
import json
import secrets
import string
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import httpx

RetryReason = Literal[
    "http_timeout", "http_error", "connection_failed", "ssl_error", "too_many_redirects", "unknown_error"
]
DELIVERY_TIMEOUT_SECONDS = 3.0
"""Slack gives up on a Request URL that has not answered within three seconds, then retries."""
STALE_BY_SECONDS = 600
"""How old a deliberately stale timestamp is: twice Slack's five-minute replay window."""
_EVENT_ID_ALPHABET = string.ascii_uppercase + string.digits


@dataclass(frozen=True)
class SlackApp:
    """The app whose event subscription is simulated: who the events are for, and its secrets."""

    team_id: str
    api_app_id: str
    bot_user_id: str
    verification_token: str
    signing_secret: str


@dataclass
class DeliveryAttempt:
    """One POST of an event to a Request URL, and what the receiver answered."""

    request_timestamp: int
    retry_num: int | None
    retry_reason: str | None
    headers: dict[str, str]
    status_code: int | None = None
    response_body: str = ""
    error: str | None = None


@dataclass
class EventDelivery:
    """An event sent to one URL, with every attempt at sending it, so that it can be retried."""

    event_id: str
    url: str
    payload: dict[str, Any]
    attempts: list[DeliveryAttempt] = field(default_factory=list)

    def to_api(self) -> dict[str, Any]:
        """The delivery as the control API shows it."""
        return {
            "event_id": self.event_id,
            "url": self.url,
            "payload": self.payload,
            "attempts": [asdict(attempt) for attempt in self.attempts],
        }


def new_event_id() -> str:
    """A fresh ``Ev...`` id; random, so that ids never repeat across simulator resets."""
    return "Ev" + "".join(secrets.choice(_EVENT_ID_ALPHABET) for _ in range(10))


def event_callback(app: SlackApp, event: dict[str, Any], event_id: str, event_time: int) -> dict[str, Any]:
    """Wrap an inner event in Slack's ``event_callback`` envelope."""
    return {
        "token": app.verification_token,
        "team_id": app.team_id,
        "api_app_id": app.api_app_id,
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": event_time,
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": app.team_id,
                "user_id": app.bot_user_id,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
        "event_context": f"4-{secrets.token_urlsafe(24)}",
    }


def url_verification(app: SlackApp, challenge: str) -> dict[str, Any]:
    """The handshake Slack sends when a Request URL is saved; the app must echo ``challenge``."""
    return {"token": app.verification_token, "challenge": challenge, "type": "url_verification"}


def slack_signature(signing_secret: str, timestamp: int, body: bytes) -> str:
    """``v0=`` + hex HMAC-SHA256 of ``v0:{timestamp}:{body}``, as Slack computes it."""
    base_string = f"v0:{timestamp}:".encode() + body
    return "v0=" + hmac.new(signing_secret.encode(), base_string, hashlib.sha256).hexdigest()


async def post_signed(
    url: str,
    payload: dict[str, Any],
    *,
    signing_secret: str,
    timestamp: int,
    retry_num: int | None = None,
    retry_reason: str | None = None,
) -> DeliveryAttempt:
    """POST a payload as Slack does (JSON, signed) and record what came back; never raises."""
    body = json.dumps(payload, separators=(",", ":")).encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
        "X-Slack-Request-Timestamp": str(timestamp),
        "X-Slack-Signature": slack_signature(signing_secret, timestamp, body),
    }
    if retry_num is not None:
        headers["X-Slack-Retry-Num"] = str(retry_num)
        headers["X-Slack-Retry-Reason"] = retry_reason or "http_timeout"
    attempt = DeliveryAttempt(
        request_timestamp=timestamp, retry_num=retry_num, retry_reason=retry_reason, headers=headers
    )
    try:
        async with httpx.AsyncClient(timeout=DELIVERY_TIMEOUT_SECONDS) as client:
            response = await client.post(url, content=body, headers=headers)
    except httpx.TimeoutException:
        attempt.error = "http_timeout"
    except httpx.HTTPError as failure:
        attempt.error = f"connection_failed: {failure}"
    else:
        attempt.status_code = response.status_code
        attempt.response_body = response.text[:4000]
    return attempt


def echoes_challenge(attempt: DeliveryAttempt, challenge: str) -> bool:
    """Whether a Request URL answered the handshake as Slack accepts: 200 with the challenge, as plain
    text, as JSON ``{"challenge": ...}`` or as a form ``challenge=...``."""
    if attempt.status_code != 200:
        return False
    body = attempt.response_body.strip()
    if body in (challenge, f"challenge={challenge}"):
        return True
    try:
        answer = json.loads(body)
    except json.JSONDecodeError:
        return False
    return isinstance(answer, dict) and answer.get("challenge") == challenge
