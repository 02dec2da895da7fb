"""The Slack connector object that every operation and the event trigger register on."""

from __future__ import annotations

from switchboard.connectors.base import Connector

from .auth import SlackAuth

connector = Connector(
    "slack",
    title="Slack",
    description="Post, update and react to messages, manage channels, look up people, upload files, "
    "call any Web API method, and start workflows from Slack events.",
    auth=SlackAuth,
)
