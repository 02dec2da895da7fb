"""The request operations, one per HTTP method as in Tray: get_request, post_request, ...

Each builds the request from the step's input and the authentication, sends it through the
exchange loop and reports the answer, failing the step when the status is outside the expected
range. GET, HEAD and DELETE are safe to repeat; POST, PUT and PATCH are not (a PUT is idempotent in
principle, but many APIs use it to append or to trigger work).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from switchboard.connectors.base import Context, JsonScalar
from switchboard.errors import OperationFailed

from .auth import HttpAuth, conceal
from .client import http_client
from .connector import connector
from .exchange import Rules, exchange
from .inputs import FormBody, HttpRequest, JsonBody, QueryValue, RawBody
from .responses import HttpResponse, decode_body, unexpected_status

METHODS = (
    ("GET", True, "Get a resource."),
    ("POST", False, "Create something, or send data to be processed."),
    ("PUT", False, "Replace a resource."),
    ("PATCH", False, "Change part of a resource."),
    ("DELETE", True, "Delete a resource; deleting twice leaves it deleted."),
    ("HEAD", True, "Get only the status and headers of a resource."),
)


def _text(value: JsonScalar) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _headers(values: dict[str, JsonScalar]) -> dict[str, str]:
    return {name: _text(value) for name, value in values.items() if value is not None}


def _params(values: dict[str, QueryValue]) -> tuple[tuple[str, str], ...]:
    pairs: list[tuple[str, str]] = []
    for name, value in values.items():
        for item in value if isinstance(value, list) else [value]:
            if item is not None:
                pairs.append((name, _text(item)))
    return tuple(pairs)


def _form(values: dict[str, QueryValue]) -> dict[str, str | list[str]]:
    fields: dict[str, str | list[str]] = {}
    for name, value in values.items():
        if isinstance(value, list):
            fields[name] = [_text(item) for item in value if item is not None]
        elif value is not None:
            fields[name] = _text(value)
    return fields


def _body_arguments(data: HttpRequest, headers: httpx.Headers) -> dict[str, Any]:
    body = data.body
    if isinstance(body, JsonBody):
        return {"json": body.json_}
    if isinstance(body, FormBody):
        return {"data": _form(body.form)}
    if isinstance(body, RawBody):
        if "content-type" not in headers:
            headers["Content-Type"] = body.content_type
        return {"content": body.raw.encode()}
    return {}


def _target(data: HttpRequest, auth: HttpAuth | None) -> httpx.URL:
    """The URL with the step's query added to any it already has (a step's value wins over the URL's)."""
    try:
        url = httpx.URL(data.url)
    except httpx.InvalidURL as invalid:
        raise OperationFailed(f"{data.url!r} is not a valid URL: {invalid}") from None
    if url.scheme and url.scheme not in ("http", "https"):
        raise OperationFailed(f"{data.url!r}: only http and https URLs can be requested")
    if not url.is_absolute_url and not (auth is not None and auth.base_url):
        raise OperationFailed(
            f"{data.url!r} is not a full URL: give one, or set the authentication's base_url"
        )
    query = _params(data.query)
    return url.copy_merge_params(query) if query else url


async def send(
    method: str, data: HttpRequest, ctx: Context[HttpAuth | None], *, repeat_safe: bool
) -> HttpResponse:
    """Send one request as the step describes it and report the answer."""
    auth = ctx.auth
    credentials = auth.credential_headers() if auth is not None else {}
    headers = httpx.Headers(credentials)
    headers.update(_headers(data.headers))  # case-insensitive: a step's own Authorization replaces ours
    body = _body_arguments(data, headers)
    client = ctx.client(http_client)
    try:
        request = client.build_request(
            method, _target(data, auth), headers=headers, timeout=data.timeout, **body
        )
    except (httpx.InvalidURL, UnicodeEncodeError) as invalid:
        raise OperationFailed(f"cannot build the request from the step's input: {invalid}") from None
    rules = Rules(
        follow_redirects=data.follow_redirects,
        allow_private_networks=auth is not None and auth.allow_private_networks,
        credential_headers=tuple(credentials),
        timeout=data.timeout,
        max_response_bytes=data.max_response_bytes,
        repeat_safe=repeat_safe,
    )
    answer = await exchange(client, request, rules)
    response = answer.response
    content, encoding = decode_body(
        answer.content, response.headers.get("content-type", ""), response.charset_encoding
    )
    hidden = auth.derived_secrets() if auth is not None else ()
    result = HttpResponse(
        status_code=response.status_code,
        headers=conceal(dict(response.headers), hidden),
        body=conceal(content, hidden),
        body_encoding=encoding,
    )
    if response.status_code not in data.status_code:
        expected = (data.status_code.from_, data.status_code.to)
        raise unexpected_status(method, str(response.request.url), result, expected)
    return result


RequestOperation = Callable[[HttpRequest, Context[HttpAuth | None]], Awaitable[HttpResponse]]


def _operation(method: str, repeat_safe: bool) -> RequestOperation:
    async def request(data: HttpRequest, ctx: Context[HttpAuth | None]) -> HttpResponse:
        return await send(method, data, ctx, repeat_safe=repeat_safe)

    request.__qualname__ = request.__name__ = f"{method.lower()}_request"
    return request


for _method, _repeat_safe, _description in METHODS:
    connector.operation(
        f"{_method.lower()}_request",
        title=f"{_method} request",
        repeat_safe=_repeat_safe,
        description=_description,
    )(_operation(_method, _repeat_safe))
