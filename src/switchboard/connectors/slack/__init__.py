"""Slack: messages, channels, people, files, any Web API method, and the ``slack.event`` trigger.

Every operation calls Slack through one pooled ``AsyncWebClient`` per authentication (its
``base_url`` points it at Slack, a sandbox or the simulator), which waits out short rate limits
(HTTP 429 with ``Retry-After``) and retries connections that never opened. Slack's refusals
(``ok: false``) become ``ProviderError`` with Slack's code in the message and in
``details["slack_error"]``.

Register with ``slack = "switchboard.connectors.slack:connector"`` in the
``switchboard.connectors`` entry-point group.
"""

from . import conversations, events, files, identity, messages, raw, users
from .auth import SlackAuth
from .client import SlackClient
from .connector import connector
from .events import SlackEventSettings, receive_event

__all__ = [
    "SlackAuth",
    "SlackClient",
    "SlackEventSettings",
    "connector",
    "conversations",
    "events",
    "files",
    "identity",
    "messages",
    "raw",
    "receive_event",
    "users",
]
