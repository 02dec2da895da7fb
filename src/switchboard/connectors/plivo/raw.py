"""``raw_http_request``: any Plivo API call the connector has no operation for, with the same
authentication, limits and error handling as the others."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from switchboard.connectors.base import Context, Input, JsonScalar, Output
from switchboard.errors import InputInvalid

from .auth import PlivoAuth
from .client import plivo_api
from .connector import connector


class RawRequest(Input):
    """A request to Plivo's API."""

    method: Literal["GET", "POST", "PUT", "PATCH", "DELETE"] = Field(
        default="GET", description="The HTTP method."
    )
    endpoint: str = Field(
        default="",
        description="A path under {base_url}/v1/Account/{auth_id}/ such as 'Message/' or 'Endpoint/' (end it "
        "with '/' as Plivo does; empty for the account itself), or a full URL on the authentication's own "
        "Plivo hosts.",
    )
    query: dict[str, JsonScalar] = Field(default_factory=dict, description="Query string parameters.")
    body: Any = Field(default=None, description="A JSON body for POST, PUT and PATCH; none when left out.")


class RawResponse(Output):
    """Plivo's answer, as it came."""

    status_code: int
    headers: dict[str, str]
    body: Any = Field(description="The JSON body, or the text when it is not JSON.")


@connector.operation("raw_http_request", title="Raw HTTP request", repeat_safe=False)
async def raw_http_request(data: RawRequest, ctx: Context[PlivoAuth]) -> RawResponse:
    """Call any Plivo API with this authentication; an answer of 400 or more fails the step like any
    other operation (only a GET is retried on 429, 5xx or a timeout)."""
    _check_host(data.endpoint, ctx.auth)
    query = {name: value for name, value in data.query.items() if value is not None}
    api = plivo_api(ctx)
    answer = await api.client.request(
        data.method,
        data.endpoint if _is_url(data.endpoint) else data.endpoint.lstrip("/"),
        params=query or None,
        body=data.body,
        caller=api.caller,
    )
    return RawResponse(status_code=answer.status_code, headers=answer.headers, body=answer.body)


def _is_url(endpoint: str) -> bool:
    return endpoint.startswith(("http://", "https://"))


def _check_host(endpoint: str, auth: PlivoAuth) -> None:
    """The Auth Token goes with every request, so a full URL must be on this authentication's Plivo hosts."""
    if not _is_url(endpoint):
        return
    allowed = (auth.api_root + "/", auth.lookup_root + "/")
    if not endpoint.startswith(allowed):
        raise InputInvalid(
            f"input.endpoint: {endpoint!r} is not on this authentication's Plivo hosts ({allowed[0]} or "
            f"{allowed[1]}); its Auth Token is sent to no other host"
        )
