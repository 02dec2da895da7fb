"""The fields of a Slack authentication: the token that calls the Web API, the secret that verifies events."""

from __future__ import annotations

from pydantic import Field

from switchboard.connectors.base import AuthFields, OptionalSecret, Secret

DEFAULT_BASE_URL = "https://slack.com/api/"


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
