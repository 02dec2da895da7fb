"""Slack's v0 request signatures: how Switchboard knows an Events API request really came from Slack.

Slack signs every request it sends with the app's signing secret: the hex HMAC-SHA256 of
``v0:{X-Slack-Request-Timestamp}:{raw body}``, sent as ``X-Slack-Signature: v0=<hex>``. The timestamp
is part of what is signed, so a request older than a few minutes is refused: a captured request
cannot be replayed later.
"""

import hashlib
import hmac
import time
from enum import StrEnum

SIGNATURE_HEADER = "X-Slack-Signature"
TIMESTAMP_HEADER = "X-Slack-Request-Timestamp"
SIGNATURE_VERSION = "v0"
DEFAULT_TOLERANCE_SECONDS = 300
"""Slack's documented replay window: five minutes either side of the receiver's clock."""


class SignatureProblem(StrEnum):
    """What is wrong with a request's signature, as a stable code that logs and the API can show."""

    MISSING_TIMESTAMP = "missing_timestamp"
    MISSING_SIGNATURE = "missing_signature"
    MALFORMED_TIMESTAMP = "malformed_timestamp"
    STALE_TIMESTAMP = "stale_timestamp"
    BAD_SIGNATURE = "bad_signature"


class InvalidSlackSignature(ValueError):
    """A request claims to come from Slack but its v0 signature does not prove it."""

    def __init__(self, problem: SignatureProblem, message: str) -> None:
        super().__init__(message)
        self.problem = problem


def sign_v0(signing_secret: str, timestamp: int | str, body: bytes | str) -> str:
    """Return the ``X-Slack-Signature`` value Slack would send for this timestamp and raw body."""
    raw_body = body.encode() if isinstance(body, str) else body
    base_string = f"{SIGNATURE_VERSION}:{timestamp}:".encode() + raw_body
    digest = hmac.new(signing_secret.encode(), base_string, hashlib.sha256).hexdigest()
    return f"{SIGNATURE_VERSION}={digest}"


def verify_v0(
    signing_secret: str,
    timestamp_header: str | None,
    signature_header: str | None,
    body: bytes | str,
    now: float | None = None,
    tolerance: int = DEFAULT_TOLERANCE_SECONDS,
) -> None:
    """Accept a Slack request only if it is signed with this secret and was sent within the window.

    ``body`` must be the raw bytes as received: parsing and re-serialising JSON or a form changes
    them and breaks the signature. Raises :class:`InvalidSlackSignature` saying what is wrong.
    """
    if not timestamp_header or not timestamp_header.strip():
        raise InvalidSlackSignature(
            SignatureProblem.MISSING_TIMESTAMP,
            f"the {TIMESTAMP_HEADER} header is missing: the request was not sent by Slack",
        )
    if not signature_header or not signature_header.strip():
        raise InvalidSlackSignature(
            SignatureProblem.MISSING_SIGNATURE,
            f"the {SIGNATURE_HEADER} header is missing: the request was not sent by Slack",
        )
    timestamp = timestamp_header.strip()
    if not timestamp.isascii() or not timestamp.isdigit():
        raise InvalidSlackSignature(
            SignatureProblem.MALFORMED_TIMESTAMP,
            f"{TIMESTAMP_HEADER} {timestamp!r} is not a Unix time in seconds",
        )
    current_time = time.time() if now is None else now
    age = current_time - int(timestamp)
    if abs(age) > tolerance:
        direction = "old" if age > 0 else "in the future"
        raise InvalidSlackSignature(
            SignatureProblem.STALE_TIMESTAMP,
            f"{TIMESTAMP_HEADER} {timestamp} is {abs(int(age))} s {direction}, outside the {tolerance} s "
            "window: the request may be a replay, or this server's clock is wrong",
        )
    expected = sign_v0(signing_secret, timestamp, body)
    if not hmac.compare_digest(expected.encode(), signature_header.strip().encode()):
        raise InvalidSlackSignature(
            SignatureProblem.BAD_SIGNATURE,
            f"{SIGNATURE_HEADER} does not match the request body: check the authentication's Slack "
            "signing secret (Basic Information > App Credentials), and that the body is verified unaltered",
        )
