"""One kept-alive Slack client per authentication, and the two ways operations call the Web API.

``ctx.client(SlackClient)`` gives every step that uses the same authentication the same
``AsyncWebClient`` on the same aiohttp session, so connections to Slack are reused across steps
and runs. Reads go as GET with query arguments (Slack refuses JSON bodies on most read methods);
writes go as POST with a JSON body.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Mapping
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from switchboard.connectors.base import Context
from switchboard.errors import ProviderError

from .auth import SlackAuth
from .failures import refused, unreachable
from .retries import retry_handlers

REQUEST_TIMEOUT_SECONDS = 30
"""slack_sdk's own default: how long one HTTP exchange with Slack may take."""


class SlackClient:
    """An authentication's ``AsyncWebClient``, on an aiohttp session kept open between calls."""

    def __init__(self, auth: SlackAuth) -> None:
        self.web = AsyncWebClient(
            token=auth.token,
            base_url=auth.base_url,
            timeout=REQUEST_TIMEOUT_SECONDS,
            retry_handlers=retry_handlers(),
        )
        self.channel_ids: dict[str, str] = {}
        """Channel names already looked up (``sms-log`` -> ``C0...``): IDs never change."""
        self._session: aiohttp.ClientSession | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def api(self) -> AsyncWebClient:
        """The client, with a live session on the running event loop (a session is bound to one loop)."""
        loop = asyncio.get_running_loop()
        if self._session is None or self._session.closed or self._loop is not loop:
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_SECONDS)
            )
            self._loop = loop
            self.web.session = self._session
        return self.web

    async def aclose(self) -> None:
        """Close the session; the engine calls this when it shuts its client pool."""
        session, self._session = self._session, None
        if session is not None and not session.closed and self._loop is asyncio.get_running_loop():
            await session.close()


async def settle(
    ctx: Context[SlackAuth], method: str, pending: Awaitable[AsyncSlackResponse], *, repeat_safe: bool
) -> dict[str, Any]:
    """Await one slack_sdk call and give Slack's answer, or the ``ProviderError`` that explains it."""
    try:
        response = await pending
    except SlackApiError as failure:
        raise refused(failure, method=method, auth_name=ctx.auth_name, repeat_safe=repeat_safe) from None
    except (TimeoutError, SlackClientError, aiohttp.ClientError) as error:
        raise unreachable(error, method=method, repeat_safe=repeat_safe) from None
    except AttributeError:
        # slack_sdk's response check calls .get() on the body, which fails when a server that is not
        # Slack (a wrong base_url) answers 200 with plain text.
        raise ProviderError(
            f"the answer to {method} is not Slack's JSON: check the authentication's base_url "
            f"({ctx.auth.base_url})"
        ) from None
    if not isinstance(response.data, dict):
        raise ProviderError(f"Slack answered {method} with something other than a JSON object")
    return dict(response.data)


def _arguments(values: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}


async def read(ctx: Context[SlackAuth], method: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """Call a method that changes nothing (GET); safe to retry whatever happens."""
    web = ctx.client(SlackClient).api()
    pending = web.api_call(method, http_verb="GET", params=_arguments(params))
    return await settle(ctx, method, pending, repeat_safe=True)


async def write(
    ctx: Context[SlackAuth], method: str, payload: Mapping[str, Any], *, repeat_safe: bool = False
) -> dict[str, Any]:
    """Call a method that changes something (POST, JSON).

    Unless the change is the same however often it is made (``repeat_safe``), a failure that may have
    happened after Slack acted is not marked retryable.
    """
    web = ctx.client(SlackClient).api()
    pending = web.api_call(method, json=_arguments(payload))
    return await settle(ctx, method, pending, repeat_safe=repeat_safe)
