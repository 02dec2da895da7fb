"""Channel references: users write ``#sms-log``; most Web API methods accept only ``C0123ABCD``.

``chat.postMessage`` takes a name, but ``chat.update``, ``reactions.add``, ``conversations.invite``,
``conversations.setTopic`` and file sharing take only IDs. Names are looked up once per
authentication with ``conversations.list`` and remembered (an ID never changes).
"""

from __future__ import annotations

import re

from switchboard.connectors.base import Context
from switchboard.errors import ProviderError

from .auth import SlackAuth
from .client import SlackClient, read

CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{2,}$")
LOOKUP_PAGE_SIZE = 200


async def channel_id(ctx: Context[SlackAuth], reference: str) -> str:
    """The ID of a channel given by ID (returned as is), ``#name`` or bare name."""
    reference = reference.strip()
    if CHANNEL_ID.match(reference):
        return reference
    name = reference.removeprefix("#")
    known = ctx.client(SlackClient).channel_ids
    if name in known:
        return known[name]
    cursor: str | None = None
    while True:
        page = await read(
            ctx,
            "conversations.list",
            {"types": "public_channel,private_channel", "limit": LOOKUP_PAGE_SIZE, "cursor": cursor},
        )
        for channel in page.get("channels", []):
            known[str(channel.get("name"))] = str(channel.get("id"))
        if name in known:
            return known[name]
        cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
        if cursor is None:
            raise ProviderError(
                f"Slack answered channel_not_found: no channel named #{name} is visible to the app of "
                f"authentication {ctx.auth_name!r}; check the name, and invite the app to private channels",
                details={"slack_error": "channel_not_found"},
            )
