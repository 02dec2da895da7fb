"""Turning Slack's refusals and network failures into errors that say what to do.

Slack answers most refusals with HTTP 200 and ``{"ok": false, "error": "<code>"}``. The code is kept
(``details["slack_error"]``) so that a workflow's error branch can test it, and the message adds what a
person should check. Whether a failure may be retried depends on whether Slack can have acted: a 429
or a connection that never opened did nothing; a timeout on a post may have posted.
"""

from __future__ import annotations

from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError

from switchboard.errors import ProviderError

from .retries import retry_after_seconds

AUTHENTICATION_ERRORS = frozenset(
    {
        "invalid_auth",
        "not_authed",
        "token_revoked",
        "token_expired",
        "account_inactive",
        "not_allowed_token_type",
    }
)
TRANSIENT_ERRORS = frozenset({"internal_error", "fatal_error", "service_unavailable", "request_timeout"})

HINTS = {
    "channel_not_found": "check the channel's ID or #name; a private channel must have the app invited",
    "not_in_channel": "invite the app to the channel first (/invite @app in Slack)",
    "is_archived": "the channel is archived: unarchive it or choose another one",
    "msg_too_long": "the text is over Slack's 40,000 characters",
    "no_text": "give text or blocks",
    "invalid_blocks": "the blocks are not valid Block Kit (try them in Block Kit Builder)",
    "message_not_found": "no message with that ts in that channel",
    "cant_update_message": "only messages the app itself sent can be changed",
    "cant_delete_message": "only messages the app itself sent can be deleted",
    "already_reacted": "the app already reacted with this emoji",
    "invalid_name": "check the emoji name (e.g. thumbsup, without colons)",
    "users_not_found": "no member has this email address (or the app lacks the users:read.email scope)",
    "user_not_found": "no member has this user ID",
    "name_taken": "a channel with this name exists already",
    "already_in_channel": "the person is already in the channel",
    "too_long": "the topic is over 250 characters",
    "posting_to_channel_denied": "the app cannot post in that channel: invite it, or choose another",
    "invalid_cursor": "the cursor is not one Slack gave for this listing",
}


def _status(response: Any) -> int | None:
    """HTTP status of either an ``AsyncSlackResponse`` or a raw aiohttp response."""
    status = getattr(response, "status_code", None) or getattr(response, "status", None)
    return int(status) if status is not None else None


def _slack_code(response: Any) -> str | None:
    data = getattr(response, "data", None)
    code = data.get("error") if isinstance(data, dict) else None
    return code if isinstance(code, str) else None


def refused(
    failure: SlackApiError, *, method: str, auth_name: str | None, repeat_safe: bool
) -> ProviderError:
    """The error for an answer Slack gave: ``ok: false``, a 429 that outlasted the waits, or a 5xx."""
    response = failure.response
    status = _status(response)
    code = _slack_code(response)
    who = f"authentication {auth_name!r}" if auth_name else "this authentication"
    if status == 429 or code == "ratelimited":
        headers = getattr(response, "headers", None) or {}
        wait = retry_after_seconds({str(k): str(v) for k, v in headers.items()})
        after = f"retry after {wait} s" if wait is not None else "retry later"
        return ProviderError(
            f"Slack is rate limiting {method} for {who}: {after}",
            status=429,
            retryable=True,
            retry_after=float(wait) if wait is not None else None,
            details={"slack_error": code or "ratelimited"},
        )
    if code in AUTHENTICATION_ERRORS:
        return ProviderError(
            f"Slack answered {code} for {who}: its token was not accepted; "
            "check the token (xoxb-... or xoxp-...) and that the app is still installed",
            details={"slack_error": code},
        )
    if code is not None:
        hint = HINTS.get(code)
        if code == "missing_scope":
            needed = getattr(response, "data", {}).get("needed")
            hint = f"the token of {who} lacks the scope {needed}: add it to the app and reinstall it"
        return ProviderError(
            f"Slack answered {code} to {method}" + (f": {hint}" if hint else ""),
            status=status if status not in (None, 200) else None,
            retryable=code in TRANSIENT_ERRORS and repeat_safe,
            details={"slack_error": code},
        )
    server_trouble = status is not None and status >= 500
    return ProviderError(
        f"Slack answered HTTP {status} to {method} without a Slack error code"
        + (
            ""
            if repeat_safe or not server_trouble
            else "; it may or may not have been done, check before resending"
        ),
        status=status,
        retryable=server_trouble and repeat_safe,
    )


def unreachable(error: Exception, *, method: str, repeat_safe: bool) -> ProviderError:
    """The error for a call that got no usable answer: Slack unreachable, a timeout, a broken connection."""
    if isinstance(error, aiohttp.ClientConnectorError):
        return ProviderError(f"could not connect to Slack for {method}: {error}", retryable=True)
    if isinstance(error, TimeoutError):
        what = f"Slack did not answer {method} in time"
    elif isinstance(error, SlackClientError):
        what = f"Slack's client could not complete {method}: {error}"
    else:
        what = f"the connection to Slack broke during {method}: {str(error) or type(error).__name__}"
    if repeat_safe:
        return ProviderError(what, retryable=True)
    return ProviderError(
        f"{what}; it may or may not have been done, so it is not retried: check Slack before resending"
    )
