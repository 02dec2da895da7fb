"""Switchboard's own async Plivo client (the official SDK is synchronous and cannot change its host).

One ``PlivoClient`` per authentication, pooled by the engine (``ctx.client(PlivoClient)``), so every step
using that authentication shares its connections and its rate limits. It speaks Plivo's dialect: HTTP
Basic with the Auth ID and Auth Token, JSON bodies for POST and query strings for GET and DELETE, paths
relative to ``{base_url}/v1/Account/{auth_id}/`` ending in ``/``. Failed answers become ``ProviderError``
(see ``failures``), with retryability decided by whether the request is safe to repeat.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx

from switchboard.connectors.base import Context
from switchboard.errors import ProviderError

from .auth import PlivoAuth
from .failures import no_answer, plivo_refusal, retry_after_seconds, unreachable
from .limiter import Clock, MessageKind, PlivoLimits, Sleep

log = logging.getLogger("switchboard.connectors.plivo")

CONNECT_TIMEOUT = 5.0
"""Seconds to open a connection; Plivo's SDK waits 5 s for everything."""
CONNECT_RETRY_DELAYS = (0.05, 0.25)
"""Quick retries of a connection that could not be opened: nothing was sent, so even a send may retry."""
MAX_CONNECTIONS = 100
"""Plivo allows 100 simultaneous requests per account."""
MESSAGES_PATH = "Message/"
"""Sending is ``POST`` here; listing (``GET``) has its own budget of 20 requests a minute."""
USER_AGENT = "switchboard-plivo/1.0"

Query = Mapping[str, str | int | float | bool]


def path_segment(value: str) -> str:
    """Quote a value (a message uuid, a number) for use as one segment of a resource path."""
    return quote(value, safe="+")


@dataclass(frozen=True)
class Caller:
    """Who makes a request: named in errors (the authentication) and in logs (the run and the step)."""

    authentication: str | None = None
    run_id: str | None = None
    step: str | None = None


ANONYMOUS = Caller()


@dataclass(frozen=True)
class PlivoAnswer:
    """A successful answer: status, headers and the body (JSON when Plivo sent JSON, else the text)."""

    status_code: int
    headers: dict[str, str]
    body: Any

    def json_object(self, action: str) -> dict[str, Any]:
        """The body as the JSON object every Plivo resource answers with (``{}`` for a 204)."""
        if self.status_code == 204 or self.body in ("", None):
            return {}
        if not isinstance(self.body, dict):
            raise ProviderError(
                f"Plivo answered {action} with a body that is not a JSON object", status=self.status_code
            )
        return self.body


class PlivoClient:
    """Calls Plivo for one authentication, within its rate limits."""

    def __init__(
        self,
        auth: PlivoAuth,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.auth = auth
        self.limits = PlivoLimits(auth, clock=clock, sleep=sleep)
        self._sleep = sleep
        self._http = httpx.AsyncClient(
            auth=httpx.BasicAuth(auth.auth_id, auth.auth_token),
            headers={"Accept": "application/json", "User-Agent": USER_AGENT},
            timeout=httpx.Timeout(auth.timeout_seconds, connect=min(CONNECT_TIMEOUT, auth.timeout_seconds)),
            limits=httpx.Limits(max_connections=MAX_CONNECTIONS, max_keepalive_connections=MAX_CONNECTIONS),
            transport=transport,
            follow_redirects=False,
        )

    def url(self, path: str) -> str:
        """A path relative to the account (``Message/``, ``""`` for the account itself), or a full URL."""
        if path.startswith(("http://", "https://")):
            return path
        return self.auth.account_url + path.lstrip("/")

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Query | None = None,
        body: Any = None,
        caller: Caller = ANONYMOUS,
        repeat_safe: bool | None = None,
        counted: bool = True,
    ) -> PlivoAnswer:
        """Make one request within the limits; raise ``ProviderError`` for anything but a 2xx answer.

        ``repeat_safe`` defaults to true for GET only; ``counted=False`` is for call initiation, which
        Plivo leaves out of its request budget. ``body`` is sent as JSON (POST and PUT/PATCH only).
        """
        verb = method.upper()
        safe = verb == "GET" if repeat_safe is None else repeat_safe
        action = f"{verb} {path or '/'}"
        lists_messages = verb == "GET" and path == MESSAGES_PATH
        await self.limits.before_request(counted=counted, lists_messages=lists_messages)
        request = self._http.build_request(
            verb,
            self.url(path),
            params=_query(params),
            json=body if verb in ("POST", "PUT", "PATCH") else None,
        )
        started = time.perf_counter()
        response = await self._send(request, action=action, repeat_safe=safe)
        log.debug(
            "plivo.request",
            extra={
                "run_id": caller.run_id,
                "step": caller.step,
                "method": verb,
                "path": path,
                "status": response.status_code,
                "ms": round((time.perf_counter() - started) * 1000, 1),
            },
        )
        if response.status_code == 429:
            self.limits.throttled(retry_after_seconds(response.headers), lists_messages=lists_messages)
        if response.status_code >= 400:
            raise plivo_refusal(
                response, action=action, authentication=caller.authentication, repeat_safe=safe
            )
        return PlivoAnswer(response.status_code, dict(response.headers), _body(response))

    async def send_messages(
        self, kind: MessageKind, count: int, body: dict[str, Any], *, caller: Caller = ANONYMOUS
    ) -> dict[str, Any]:
        """``POST Message/`` for ``count`` messages, once the account's SMS or MMS pace allows them."""
        await self.limits.before_messages(kind, count)
        answer = await self.request("POST", MESSAGES_PATH, body=body, caller=caller, repeat_safe=False)
        return answer.json_object("POST Message/")

    async def aclose(self) -> None:
        """Close the connection pool (the engine does this when it shuts down)."""
        await self._http.aclose()

    async def _send(self, request: httpx.Request, *, action: str, repeat_safe: bool) -> httpx.Response:
        """Send, retrying only connections that could not be opened; other failures become errors."""
        for delay in (*CONNECT_RETRY_DELAYS, None):
            try:
                return await self._http.send(request)
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as error:
                if delay is None:
                    raise unreachable(error, host=_host(request.url)) from error
                await self._sleep(delay)
            except httpx.TransportError as error:
                timeout = self.auth.timeout_seconds
                raise no_answer(error, action=action, timeout=timeout, repeat_safe=repeat_safe) from error
        raise AssertionError("unreachable: the last attempt returns or raises")


@dataclass(frozen=True)
class PlivoApi:
    """The pooled client as one step uses it: its errors name the step's authentication."""

    client: PlivoClient
    caller: Caller

    async def get(self, path: str, params: Query | None = None) -> dict[str, Any]:
        """Read a resource (safe to repeat)."""
        answer = await self.client.request("GET", path, params=params, caller=self.caller)
        return answer.json_object(f"GET {path}")

    async def post(
        self, path: str, body: dict[str, Any], *, repeat_safe: bool = False, counted: bool = True
    ) -> dict[str, Any]:
        """Create or change something; not repeated on a timeout unless the caller knows it is harmless."""
        answer = await self.client.request(
            "POST",
            path,
            body=body,
            caller=self.caller,
            repeat_safe=repeat_safe,
            counted=counted,
        )
        return answer.json_object(f"POST {path}")

    async def delete(self, path: str, params: Query | None = None) -> dict[str, Any]:
        """Delete something (Plivo answers 204 with no body)."""
        answer = await self.client.request(
            "DELETE", path, params=params, caller=self.caller, repeat_safe=False
        )
        return answer.json_object(f"DELETE {path}")

    async def send(self, kind: MessageKind, count: int, body: dict[str, Any]) -> dict[str, Any]:
        """Send one message request to ``count`` destinations, paced."""
        return await self.client.send_messages(kind, count, body, caller=self.caller)


def plivo_api(ctx: Context[PlivoAuth]) -> PlivoApi:
    """The step's view of its authentication's pooled client."""
    return PlivoApi(ctx.client(PlivoClient), Caller(ctx.auth_name, ctx.run_id, ctx.step))


def _query(params: Query | None) -> dict[str, str] | None:
    """Plivo reads booleans in query strings as ``true``/``false``; None values are left out by callers."""
    if params is None:
        return None
    return {
        key: (str(value).lower() if isinstance(value, bool) else str(value)) for key, value in params.items()
    }


def _body(response: httpx.Response) -> Any:
    if not response.content:
        return ""
    try:
        return response.json()
    except ValueError:
        return response.text


def _host(url: httpx.URL) -> str:
    return f"{url.host}:{url.port}" if url.port else url.host
