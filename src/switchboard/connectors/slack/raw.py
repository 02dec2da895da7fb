"""``raw_http_request``: any Web API method, for what the named operations do not cover.

It works at the HTTP level, like Tray's universal operation: the output is the status, headers and
body exactly as Slack sent them, ``ok: false`` included, so a workflow can branch on
``$.steps.slack-1.body.error``. Only HTTP failures fail the step. The token is sent only to Slack:
the authentication's ``base_url`` host, or ``slack.com`` and its subdomains over HTTPS; a full URL
anywhere else is refused rather than handed the token (use the http-client connector there).
"""

from __future__ import annotations

import asyncio
from typing import Any, Literal, Self
from urllib.parse import urljoin, urlsplit

import httpx
from pydantic import Field, model_validator

from switchboard.connectors.base import Context, Input, JsonScalar, Output
from switchboard.errors import OperationFailed, ProviderError

from .auth import SlackAuth
from .client import REQUEST_TIMEOUT_SECONDS
from .connector import connector
from .retries import LONGEST_WAIT_IN_PLACE, RATE_LIMIT_RETRIES, retry_after_seconds

BODY_EXCERPT_CHARACTERS = 500


def slack_http(auth: SlackAuth) -> httpx.AsyncClient:
    """The authentication's pooled HTTP client for raw requests (redirects are not followed: the
    token must not travel to wherever a redirect points)."""
    return httpx.AsyncClient(timeout=REQUEST_TIMEOUT_SECONDS, follow_redirects=False)


class RawHttpRequest(Input):
    """One Web API call: method name or full URL, query arguments and a JSON body."""

    method: Literal["GET", "POST"] = Field(default="POST", description="Slack's Web API takes GET and POST.")
    endpoint: str = Field(
        min_length=1, description="A method name such as chat.postMessage, or a full URL on Slack."
    )
    query: dict[str, JsonScalar] | None = None
    body: dict[str, Any] | None = Field(default=None, description="Sent as JSON; POST only.")

    @model_validator(mode="after")
    def _body_only_with_post(self) -> Self:
        if self.body is not None and self.method != "POST":
            raise ValueError("a body can only be sent with POST")
        return self


class RawResponse(Output):
    """The HTTP answer as Slack sent it."""

    status_code: int
    headers: dict[str, str]
    body: Any = None


def target_url(auth: SlackAuth, endpoint: str) -> str:
    """The URL to call, refusing any place that is not Slack (the token goes with the request)."""
    url = urljoin(auth.base_url if auth.base_url.endswith("/") else auth.base_url + "/", endpoint.lstrip("/"))
    parts, home = urlsplit(url), urlsplit(auth.base_url)
    host = (parts.hostname or "").lower()
    on_base = (parts.scheme, host, parts.port) == (home.scheme, (home.hostname or "").lower(), home.port)
    on_slack = parts.scheme == "https" and (host == "slack.com" or host.endswith(".slack.com"))
    if not (on_base or on_slack):
        raise OperationFailed(
            f"{endpoint!r} is not on Slack ({auth.base_url} or https://*.slack.com): the token is never sent "
            "elsewhere; use the http-client connector for other APIs"
        )
    return url


def _body(response: httpx.Response) -> Any:
    if "json" in response.headers.get("content-type", ""):
        try:
            return response.json()
        except ValueError:
            pass
    return response.text


def _query(values: dict[str, JsonScalar] | None) -> dict[str, str]:
    encoded = {}
    for key, value in (values or {}).items():
        if value is not None:
            encoded[key] = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return encoded


async def _send(client: httpx.AsyncClient, request: httpx.Request, *, repeat_safe: bool) -> httpx.Response:
    """Send, waiting out short 429s in place as the Web API client does."""
    for attempt in range(RATE_LIMIT_RETRIES + 1):
        try:
            response = await client.send(request)
        except httpx.ConnectError as error:
            raise ProviderError(f"could not connect to Slack: {error}", retryable=True) from None
        except httpx.HTTPError as error:
            unknown = "" if repeat_safe else "; it may or may not have been done, check before resending"
            raise ProviderError(
                f"no complete answer from Slack ({type(error).__name__}){unknown}", retryable=repeat_safe
            ) from None
        wait = retry_after_seconds(dict(response.headers))
        if (
            response.status_code != 429
            or attempt == RATE_LIMIT_RETRIES
            or (wait or 1) > LONGEST_WAIT_IN_PLACE
        ):
            return response
        await asyncio.sleep(wait or 1)
    raise AssertionError("unreachable: the loop returns on its last attempt")


@connector.operation("raw_http_request", title="Raw HTTP request", repeat_safe=False)
async def raw_http_request(data: RawHttpRequest, ctx: Context[SlackAuth]) -> RawResponse:
    """Call any Slack Web API method with the authentication's token."""
    client = ctx.client(slack_http)
    try:
        url = httpx.URL(target_url(ctx.auth, data.endpoint))
        request = client.build_request(
            data.method,
            url.copy_merge_params(_query(data.query)),
            json=data.body,
            headers={"Authorization": f"Bearer {ctx.auth.token}"},
        )
    except httpx.InvalidURL as invalid:
        raise OperationFailed(f"{data.endpoint!r} does not make a valid URL: {invalid}") from None
    response = await _send(client, request, repeat_safe=data.method == "GET")
    body = _body(response)
    if response.status_code >= 400:
        wait = retry_after_seconds(dict(response.headers))
        transient = response.status_code == 429 or (response.status_code >= 500 and data.method == "GET")
        raise ProviderError(
            f"Slack answered HTTP {response.status_code} to {data.method} {data.endpoint}: "
            f"{response.text[:BODY_EXCERPT_CHARACTERS]}",
            status=response.status_code,
            retryable=transient,
            retry_after=float(wait) if wait is not None else None,
        )
    return RawResponse(status_code=response.status_code, headers=dict(response.headers), body=body)
