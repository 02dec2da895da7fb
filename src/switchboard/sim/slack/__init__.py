"""A local Slack: the Web API methods Switchboard uses, file uploads, rate limits and signed events.

Serve it alone with ``uvicorn --factory switchboard.sim.slack:create_slack_app --port 9091``, or put
:func:`create_slack_router` (or the app from :func:`create_slack_app`) in a bigger app, then point
slack_sdk at it: ``AsyncWebClient(token="xoxb-sim-token", base_url="http://127.0.0.1:9091/api/")``.

Web API (``GET``/``POST /api/<method>``, JSON, form or query arguments, ``Authorization: Bearer``):
``auth.test``, ``chat.postMessage``, ``chat.update``, ``chat.delete``, ``reactions.add``,
``conversations.list|create|invite|setTopic|join|info|history``, ``users.info``,
``users.lookupByEmail``, ``files.getUploadURLExternal`` + upload URL + ``files.completeUploadExternal``.

Controls (``/sim/slack/...``): ``GET|PATCH workspace`` (tokens, signing secret, users, channels),
``POST reset``, ``GET|POST users``, ``POST tokens``, ``GET|POST channels``,
``GET channels/{id or name}`` (with its messages), ``POST channels/{id or name}/messages`` (a person
posts; ``deliver_to`` sends the ``message`` event), ``GET files``, ``GET files/{id}/content``,
``GET calls[?method=]``, ``GET rate-limits``, ``PUT|DELETE rate-limits/{method}``,
``POST rate-limits/{method}/force`` (next N calls answer 429), ``GET|POST events`` (send a signed
``event_callback`` or ``url_verification``, optionally mis-signed, stale, or as a retry),
``POST events/{event_id}/retry``.
"""

from .app import create_slack_app, create_slack_router
from .errors import SlackError
from .events import DeliveryAttempt, EventDelivery, SlackApp
from .rate_limits import DEFAULT_RATE_LIMITS, RateLimit
from .state import DEFAULT_BOT_TOKEN, DEFAULT_SIGNING_SECRET, DEFAULT_VERIFICATION_TOKEN, SlackSimState
from .subscriptions import message_event, retry_event, send_event, verify_url

__all__ = [
    "DEFAULT_BOT_TOKEN",
    "DEFAULT_RATE_LIMITS",
    "DEFAULT_SIGNING_SECRET",
    "DEFAULT_VERIFICATION_TOKEN",
    "DeliveryAttempt",
    "EventDelivery",
    "RateLimit",
    "SlackApp",
    "SlackError",
    "SlackSimState",
    "create_slack_app",
    "create_slack_router",
    "message_event",
    "retry_event",
    "send_event",
    "verify_url",
]
