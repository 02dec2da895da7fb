"""The fields of a Slack authentication: the token that calls the Web API, the secret that verifies events."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from switchboard.connectors.base import SECRET_MARK, AuthFields, Secret

DEFAULT_BASE_URL = "https://slack.com/api/"

OptionalSecret = Annotated[
    str | None,
    Field(default=None, json_schema_extra={SECRET_MARK: True, "writeOnly": True, "format": "password"}),
]
"""A secret that may be left out. ``Secret | None`` would lose the secret mark inside the union, so the
field would be neither redacted nor encrypted; the mark has to sit on the whole optional type."""


class SlackAuth(AuthFields):
    """A Slack app installed in one workspace, as Switchboard uses it."""

    token: Secret = Field(
        description="The bot (xoxb-...) or user (xoxp-...) token from the app's OAuth & Permissions page."
    )
    signing_secret: OptionalSecret = Field(
        default=None,
        description="The app's Signing Secret (Basic Information > App Credentials); "
        "needed only by the slack.event trigger, to verify that requests come from Slack.",
    )
    base_url: str = Field(
        default=DEFAULT_BASE_URL,
        pattern=r"^https?://",
        description="The Web API root; point it at a sandbox or the simulator, e.g. http://127.0.0.1:9091/api/.",
    )
