"""What a failed Plivo request becomes: an error that says what happened, for which authentication, and
whether trying again is safe.

Plivo's error bodies are ``{"api_id": "...", "error": "<free text>"}`` (the Lookup API says ``message`` and
``error_code`` instead; a 401 may carry no ``api_id``, and some bodies are not JSON at all). The text and the
``api_id`` go into the error's details, because Plivo support asks for the ``api_id``.

Retrying is the engine's business, but only this module knows whether the request could have had an
effect: a 429, a 5xx or a timeout is marked retryable only for requests that are safe to repeat. A send
that timed out may have been queued by Plivo, and there is no idempotency key to make a second one
harmless, so it is reported and left for reconciliation or a person.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from switchboard.engine.records import utc
from switchboard.errors import ProviderError

RETRYABLE_STATUSES = frozenset({408, 429})
"""Besides 5xx: Plivo did not act on the request (timeout on its side, rate limit)."""
LONGEST_TEXT = 300
"""Characters of a non-JSON error body quoted in a message."""


def plivo_refusal(
    response: httpx.Response, *, action: str, authentication: str | None, repeat_safe: bool
) -> ProviderError:
    """The error for a Plivo answer with a status of 400 or more."""
    status = response.status_code
    explanation, details = _explanation(response)
    if authentication is not None:
        details["authentication"] = authentication
    if status == 401:
        who = f"authentication {authentication!r}" if authentication else "this authentication"
        message = f"Plivo answered 401 for {who}: check its Auth ID and Auth Token"
    else:
        message = f"Plivo answered {status} to {action}" + (f": {explanation}" if explanation else "")
    retry_after = retry_after_seconds(response.headers)
    transient = status in RETRYABLE_STATUSES or status >= 500
    if transient and not repeat_safe:
        message += " (not retried: the request is not safe to repeat)"
    return ProviderError(
        message,
        status=status,
        retryable=transient and repeat_safe,
        retry_after=retry_after if transient else None,
        details=details,
    )


def unreachable(error: httpx.TransportError, *, host: str) -> ProviderError:
    """The error for a request that never left: the connection could not be opened (always retryable)."""
    return ProviderError(f"could not connect to Plivo at {host}: {_reason(error)}", retryable=True)


def no_answer(
    error: httpx.TransportError, *, action: str, timeout: float, repeat_safe: bool
) -> ProviderError:
    """The error for a request that left but got no (complete) answer: it may have taken effect."""
    if isinstance(error, httpx.TimeoutException):
        message = f"Plivo did not answer {action} within {timeout:g} s"
    else:
        message = f"the connection to Plivo broke during {action}: {_reason(error)}"
    if not repeat_safe:
        message += "; Plivo may have acted on it, so it is not retried: check before sending again"
    return ProviderError(message, retryable=repeat_safe)


def retry_after_seconds(headers: Mapping[str, str]) -> float | None:
    """``Retry-After`` in seconds (it may be a number or an HTTP date), or None when absent or unreadable."""
    value = headers.get("retry-after")
    if value is None:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (utc(moment) - datetime.now(UTC)).total_seconds())


def _explanation(response: httpx.Response) -> tuple[str, dict[str, Any]]:
    """Plivo's own words and the details worth keeping (``api_id``, Lookup's ``error_code``)."""
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        text = response.text.strip()[:LONGEST_TEXT]
        return text, ({"plivo_error": text} if text else {})
    if not isinstance(body, dict):
        return str(body)[:LONGEST_TEXT], {"plivo_error": body}
    details: dict[str, Any] = {}
    if body.get("api_id"):
        details["api_id"] = body["api_id"]
    explanation = body.get("error") or body.get("message") or ""
    if not isinstance(explanation, str):
        explanation = json.dumps(explanation)
    if explanation:
        details["plivo_error"] = explanation
    if body.get("error_code") is not None:
        details["plivo_error_code"] = body["error_code"]
    return explanation, details


def _reason(error: httpx.TransportError) -> str:
    return str(error) or type(error).__name__
