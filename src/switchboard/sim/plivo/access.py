"""Who may call the simulated API, how often, and how refusals are answered.

Every route under ``/v1/Account/{auth_id}/`` needs HTTP Basic credentials whose user is that Auth ID
(reference/plivo.md §1); a refusal is a 401 with Plivo's body. Authenticated requests count against the
account's 300 requests / 5 s limit (call initiation is exempt, as on Plivo), and excess requests get a
429. Errors raised while handling a request become Plivo-shaped answers through ``PlivoRoute``, so the
routes can be mounted in any FastAPI app without app-wide exception handlers.
"""

import base64
import binascii
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

from switchboard.sim.plivo.errors import NOT_AUTHENTICATED, TOO_MANY_REQUESTS, PlivoApiError
from switchboard.sim.plivo.records import Account
from switchboard.sim.plivo.state import PlivoSimState


class PlivoRoute(APIRoute):
    """A route whose PlivoApiError, wherever raised (dependencies included), becomes Plivo's error body."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """Wrap FastAPI's handler so refusals are answered the way Plivo answers them."""
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except PlivoApiError as error:
                return error.response()

        return handle


def basic_credentials(request: Request) -> tuple[str, str] | None:
    """Read ``Authorization: Basic …`` as (user, password), or None when absent or malformed."""
    scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    user, separator, password = decoded.partition(":")
    return (user, password) if separator else None


def authenticator(
    state: PlivoSimState, *, rate_limited: bool = True
) -> Callable[[Request, str], Awaitable[Account]]:
    """Build the dependency that returns the calling account of ``/v1/Account/{auth_id}/…`` routes."""

    async def authenticate(request: Request, auth_id: str) -> Account:
        credentials = basic_credentials(request)
        if credentials is None or credentials[0] != auth_id:
            raise PlivoApiError(401, NOT_AUTHENTICATED)
        account = state.authenticate(*credentials)
        if account is None:
            raise PlivoApiError(401, NOT_AUTHENTICATED)
        if rate_limited:
            enforce_request_limit(state, account)
        return account

    return authenticate


def account_from_credentials(state: PlivoSimState) -> Callable[[Request], Awaitable[Account]]:
    """Build the dependency for routes without an Auth ID in the path (the Lookup API)."""

    async def authenticate(request: Request) -> Account:
        credentials = basic_credentials(request)
        account = None if credentials is None else state.authenticate(*credentials)
        if account is None:
            raise PlivoApiError(401, NOT_AUTHENTICATED)
        enforce_request_limit(state, account)
        return account

    return authenticate


def enforce_request_limit(state: PlivoSimState, account: Account) -> None:
    """Count one API request for the account's main account; refuse it with 429 beyond the limit."""
    settings = state.settings
    if not state.request_limiter.allow(
        account.main_auth_id, settings.requests_per_window, settings.window_seconds
    ):
        raise PlivoApiError(429, TOO_MANY_REQUESTS)
