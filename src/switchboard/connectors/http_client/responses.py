"""What a request step outputs, how a body is read, and how an unexpected status is reported.

The body is parsed JSON when the response says it is JSON (and it parses), text when it is textual,
and base64 otherwise, so an image or a PDF survives the trip through the journal; ``body_encoding``
says which.
"""

from __future__ import annotations

import base64
import json
import time
from email.utils import parsedate_to_datetime
from typing import Any, Literal

from switchboard.connectors.base import Output
from switchboard.errors import ProviderError

BodyEncoding = Literal["json", "text", "base64"]
EXCERPT_CHARACTERS = 500
TEXTUAL_TYPES = ("xml", "javascript", "x-www-form-urlencoded", "csv", "yaml", "html", "graphql")
BINARY_TYPES = (
    "image/",
    "audio/",
    "video/",
    "font/",
    "application/octet-stream",
    "application/pdf",
    "application/zip",
)


class HttpResponse(Output):
    """The answer: status, headers (lower-case names) and body."""

    status_code: int
    headers: dict[str, str]
    body: Any = None
    body_encoding: BodyEncoding | None = None


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


def _is_text(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media.startswith("text/") or any(kind in media for kind in TEXTUAL_TYPES)


def _is_binary(content_type: str) -> bool:
    return content_type.strip().lower().startswith(BINARY_TYPES)


def decode_body(content: bytes, content_type: str, charset: str | None) -> tuple[Any, BodyEncoding | None]:
    """The body as JSON, text or base64, and which of them it is; ``None`` when there is no body."""
    if not content:
        return None, None
    if _is_json(content_type):
        try:
            return json.loads(content), "json"
        except (ValueError, UnicodeDecodeError):
            pass
    if _is_text(content_type) or _is_json(content_type):
        return content.decode(charset or "utf-8", errors="replace"), "text"
    if _is_binary(content_type):
        return base64.b64encode(content).decode(), "base64"
    try:
        return content.decode(charset or "utf-8"), "text"
    except (UnicodeDecodeError, LookupError):
        return base64.b64encode(content).decode(), "base64"


def retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: a number of seconds or an HTTP date."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - (time.time() if now is None else now))


def excerpt(body: Any) -> str:
    """The start of a body, for an error message."""
    text = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)
    return text if len(text) <= EXCERPT_CHARACTERS else text[:EXCERPT_CHARACTERS] + "…"


def unexpected_status(
    method: str, url: str, response: HttpResponse, expected: tuple[int, int]
) -> ProviderError:
    """The error for a status outside the expected range; 429 and 5xx may be retried."""
    status = response.status_code
    shown = excerpt(response.body) if response.body is not None else "(no body)"
    return ProviderError(
        f"{method} {url} answered {status}, outside the expected {expected[0]}-{expected[1]}: {shown}",
        status=status,
        retryable=status == 429 or status >= 500,
        retry_after=retry_after(response.headers.get("retry-after")),
        details={"body": shown},
    )
