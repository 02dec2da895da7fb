"""One pooled httpx client per authentication (and one shared by steps without any)."""

from __future__ import annotations

from http.cookiejar import CookieJar, DefaultCookiePolicy

import httpx

from .auth import HttpAuth

DEFAULT_TIMEOUT_SECONDS = 30.0


def http_client(auth: HttpAuth | None) -> httpx.AsyncClient:
    """The client ``ctx.client`` keeps for an authentication.

    Redirects are followed by the request loop, not by httpx, so that each hop's destination is
    checked and credentials are dropped when a redirect leaves their origin. Credentials are added
    per request for the same reason, not set on the client. Cookies are never kept: the client is
    shared by every run using the authentication (or by every step without one), and one run's
    session cookie must not be sent by another.
    """
    base_url = auth.base_url if auth is not None and auth.base_url else ""
    return httpx.AsyncClient(
        base_url=base_url,
        follow_redirects=False,
        timeout=DEFAULT_TIMEOUT_SECONDS,
        cookies=CookieJar(policy=DefaultCookiePolicy(allowed_domains=[])),
    )
