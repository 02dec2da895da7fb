"""What the Slack client retries by itself, before a step's own retry policy is involved.

Two failures are retried in place because a second try is known to be safe:

- **HTTP 429**: Slack did nothing and says when to come back (``Retry-After``). A short wait is
  waited out here, a few times; a long one is not, because it would hold the worker's task for
  that long: the call then fails as a retryable ``ProviderError`` carrying ``retry_after``, and the
  step's retry policy (or a person) decides.
- **Connection failures**: a connection that could not be opened sent nothing, so it is always
  retried. A connection that broke after the request went out may have left a message posted, so
  it is retried only for methods that read.
"""

from __future__ import annotations

from collections.abc import Mapping

from aiohttp import ClientConnectorError, ClientOSError, ServerDisconnectedError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

RATE_LIMIT_RETRIES = 3
"""How many 429s in a row one call waits out before giving the decision back to the engine."""
LONGEST_WAIT_IN_PLACE = 30
"""Seconds of ``Retry-After`` still waited out in place; Slack's per-minute tiers rarely ask for more."""
CONNECTION_RETRIES = 2
READ_ACTIONS = ("list", "info", "history", "replies", "lookup", "test", "get")
"""Slack method actions (``conversations.list``, ``users.lookupByEmail``...) that change nothing."""


def retry_after(headers: Mapping[str, str | list[str]]) -> str | None:
    """Slack's ``Retry-After`` header as sent, or ``None`` when absent."""
    for name, value in headers.items():
        if name.lower() == "retry-after":
            return value[0] if isinstance(value, list) else value
    return None


def retry_after_seconds(headers: Mapping[str, str | list[str]]) -> int | None:
    """Slack's ``Retry-After`` (whole seconds), or ``None`` when absent or not a number."""
    text = retry_after(headers)
    return int(text) if text is not None and text.strip().isdigit() else None


def is_read(url: str) -> bool:
    """Whether the Web API method a URL calls only reads (``.../api/users.info`` does)."""
    method = url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    action = method.rsplit(".", 1)[-1]
    return action.startswith(READ_ACTIONS)


class ShortRateLimitRetry(AsyncRateLimitErrorRetryHandler):
    """Waits out a 429 in place, as slack_sdk does, but only when Slack asks for a short wait."""

    def __init__(self, max_retry_count: int = RATE_LIMIT_RETRIES, longest_wait: int = LONGEST_WAIT_IN_PLACE):
        super().__init__(max_retry_count=max_retry_count)
        self.longest_wait = longest_wait

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if response is None or response.status_code != 429:
            return False
        if retry_after(response.headers) is None:
            return True  # slack_sdk then waits about a second
        wait = retry_after_seconds(response.headers)
        return wait is not None and wait <= self.longest_wait


class SafeConnectionRetry(AsyncConnectionErrorRetryHandler):
    """Retries connection failures that cannot have done anything twice."""

    def __init__(self, max_retry_count: int = CONNECTION_RETRIES):
        super().__init__(
            max_retry_count=max_retry_count,
            error_types=[ClientConnectorError, ServerDisconnectedError, ClientOSError],
        )

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if isinstance(error, ClientConnectorError):
            return True
        if isinstance(error, ServerDisconnectedError | ClientOSError):
            return is_read(request.url)
        return False


def retry_handlers() -> list[AsyncRetryHandler]:
    """The handlers every pooled Slack client uses."""
    return [ShortRateLimitRetry(), SafeConnectionRetry()]
