"""Testing an authentication: ``auth.test`` says which workspace and which bot or person the token is."""

from __future__ import annotations

from typing import Any

from switchboard.connectors.base import Context

from .auth import SlackAuth
from .client import read
from .connector import connector


@connector.test
async def check_authentication(ctx: Context[SlackAuth]) -> dict[str, Any]:
    """Slack's ``auth.test`` answer (``url``, ``team``, ``team_id``, ``user``, ``user_id``, ``bot_id``).

    A refused token raises the same ``ProviderError`` an operation would, naming the authentication.
    """
    return await read(ctx, "auth.test", {})
