"""Testing an authentication: ``auth.test`` says which workspace and which bot or person the token is."""

from __future__ import annotations

from typing import Any, cast

from switchboard.connectors.base import Context, OperationFunc

from .auth import SlackAuth
from .client import read
from .connector import connector


async def test_authentication(ctx: Context[SlackAuth]) -> dict[str, Any]:
    """Slack's ``auth.test`` answer (``url``, ``team``, ``team_id``, ``user``, ``user_id``, ``bot_id``).

    A refused token raises the same ``ProviderError`` an operation would, naming the authentication.
    """
    return await read(ctx, "auth.test", {})


# `Connector.test` is annotated for operations (returning an Output model); an authentication test
# takes only the context and answers with the provider's own JSON, which is what the CLI and API show.
connector.test(cast(OperationFunc, test_authentication))
