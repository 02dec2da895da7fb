"""Sending one request: every redirect hop checked, credentials kept to their origin, a size cap,
and failures told apart by whether the server can have acted on the request.

A connection that never opened sent nothing, so retrying it is always safe. A request that was
sent but got no complete answer (a read timeout, a dropped connection) may have been acted on: it
is retryable only for methods that are safe to repeat (GET, HEAD, DELETE), never for a POST that
might create a second order.
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection
from dataclasses import dataclass

import httpx

from switchboard.errors import OperationFailed, ProviderError

from .destinations import check_destination

MAX_REDIRECTS = 20


@dataclass(frozen=True)
class Answer:
    """The final response of an exchange (after redirects) and its body, fully read."""

    response: httpx.Response
    content: bytes


@dataclass(frozen=True)
class Rules:
    """How one exchange behaves; all of it comes from the step's input and authentication."""

    follow_redirects: bool
    allow_private_networks: bool
    credential_headers: Collection[str]
    timeout: float
    max_response_bytes: int
    repeat_safe: bool


def _keeps_credentials(old: httpx.URL, new: httpx.URL) -> bool:
    """Same origin, or the same host moving from HTTP to HTTPS on the default ports (as httpx allows)."""
    if (old.scheme, old.host, old.port) == (new.scheme, new.host, new.port):
        return True
    return (old.scheme, new.scheme, old.host, old.port, new.port) == ("http", "https", new.host, None, None)


async def _read_capped(response: httpx.Response, limit: int) -> bytes:
    content = bytearray()
    async for chunk in response.aiter_bytes():
        content += chunk
        if len(content) > limit:
            raise OperationFailed(
                f"{response.request.method} {response.request.url} answered more than {limit} bytes: "
                "raise max_response_bytes if the whole body is needed"
            )
    return bytes(content)


async def _hop(
    client: httpx.AsyncClient, request: httpx.Request, rules: Rules
) -> tuple[httpx.Response, bytes]:
    await check_destination(request.url, allow_private_networks=rules.allow_private_networks)
    response = await client.send(request, stream=True, follow_redirects=False)
    try:
        if rules.follow_redirects and response.is_redirect and response.next_request is not None:
            return response, b""
        return response, await _read_capped(response, rules.max_response_bytes)
    finally:
        await response.aclose()


async def _follow(client: httpx.AsyncClient, request: httpx.Request, rules: Rules) -> Answer:
    for _ in range(MAX_REDIRECTS + 1):
        response, content = await _hop(client, request, rules)
        following = response.next_request if rules.follow_redirects and response.is_redirect else None
        if following is None:
            return Answer(response, content)
        if not _keeps_credentials(request.url, following.url):
            for name in rules.credential_headers:
                following.headers.pop(name, None)
        request = following
    raise ProviderError(f"{request.method} {request.url}: more than {MAX_REDIRECTS} redirects")


def _no_answer(request: httpx.Request, what: str, rules: Rules) -> ProviderError:
    if rules.repeat_safe:
        return ProviderError(f"{request.method} {request.url}: {what}", retryable=True)
    return ProviderError(
        f"{request.method} {request.url}: {what}; the server may have acted on it, so it is not retried: "
        "check before sending it again"
    )


async def exchange(client: httpx.AsyncClient, request: httpx.Request, rules: Rules) -> Answer:
    """Send a request under the rules, within ``rules.timeout`` seconds for the whole exchange."""
    try:
        async with asyncio.timeout(rules.timeout):
            return await _follow(client, request, rules)
    except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as error:
        raise ProviderError(
            f"{request.method} {request.url}: could not connect: {error}", retryable=True
        ) from None
    except (TimeoutError, httpx.TimeoutException):
        raise _no_answer(request, f"no complete answer within {rules.timeout:g} s", rules) from None
    except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as error:
        raise _no_answer(request, f"the connection broke ({type(error).__name__}: {error})", rules) from None
    except httpx.HTTPError as error:
        raise OperationFailed(f"{request.method} {request.url}: {error}") from None
