"""``conversations.*``: listing, creating and managing channels, and reading their history."""

import base64
import binascii
import re

from ..errors import SlackError
from ..state import Channel, JsonObject, SlackSimState, Topic
from .access import channel_by_id, joined_channel, visible_channel
from .call import MethodCall

CHANNEL_TYPES = frozenset({"public_channel", "private_channel", "mpim", "im"})
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
MAX_NAME_LENGTH = 80
MAX_TOPIC_LENGTH = 250
CHANNEL_NAME = re.compile(r"^[a-z0-9_\-]+$")


def _cursor(kind: str, position: str) -> str:
    """An opaque cursor as Slack makes them: base64 of ``team:C061FA5PB`` or ``next_ts:...``."""
    return base64.b64encode(f"{kind}:{position}".encode()).decode()


def _position(cursor: str | None, kind: str) -> str | None:
    if not cursor:
        return None
    try:
        decoded = base64.b64decode(cursor, validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        raise SlackError("invalid_cursor") from None
    prefix, _, position = decoded.partition(":")
    if prefix != kind or not position:
        raise SlackError("invalid_cursor")
    return position


def _page_size(call: MethodCall, *, maximum: int) -> int:
    limit = call.arguments.integer("limit", default=DEFAULT_PAGE_SIZE, error="invalid_limit")
    if limit < 0 or limit > maximum:
        raise SlackError("invalid_limit")
    return limit or DEFAULT_PAGE_SIZE


def list_conversations(workspace: SlackSimState, call: MethodCall) -> JsonObject:
    """The channels the caller can see, a page at a time (``cursor``, ``limit``, ``types``)."""
    arguments = call.arguments
    types = set(arguments.id_list("types") or ["public_channel"])
    if not types <= CHANNEL_TYPES:
        raise SlackError("invalid_types")
    exclude_archived = arguments.flag("exclude_archived")
    limit = _page_size(call, maximum=MAX_PAGE_SIZE)
    listed = [
        channel
        for channel in workspace.channels.values()
        if ("private_channel" if channel.is_private else "public_channel") in types
        and (not channel.is_private or channel.has_member(call.caller.id))
        and not (exclude_archived and channel.is_archived)
    ]
    start = 0
    position = _position(arguments.text("cursor"), "team")
    if position is not None:
        ids = [channel.id for channel in listed]
        if position not in ids:
            raise SlackError("invalid_cursor")
        start = ids.index(position)
    page = listed[start : start + limit]
    following = listed[start + limit : start + limit + 1]
    return {
        "channels": [channel.to_api(call.caller.id) for channel in page],
        "response_metadata": {"next_cursor": _cursor("team", following[0].id) if following else ""},
    }


def _check_new_name(workspace: SlackSimState, name: str | None) -> str:
    if not name or not name.strip():
        raise SlackError("invalid_name_required")
    if len(name) > MAX_NAME_LENGTH:
        raise SlackError("invalid_name_maxlength")
    if not CHANNEL_NAME.match(name):
        raise SlackError("invalid_name_specials")
    if not name.strip("-_"):
        raise SlackError("invalid_name_punctuation")
    if any(channel.name == name for channel in workspace.channels.values()):
        raise SlackError("name_taken")
    return name


def create_conversation(workspace: SlackSimState, call: MethodCall) -> JsonObject:
    """Create a public or private channel with the caller in it."""
    name = _check_new_name(workspace, call.arguments.text("name"))
    channel = workspace.add_channel(
        name,
        members=[call.caller.id],
        creator=call.caller.id,
        is_private=call.arguments.flag("is_private"),
    )
    return {"channel": channel.to_api(call.caller.id)}


def invite_to_conversation(workspace: SlackSimState, call: MethodCall) -> JsonObject:
    """Add members to a channel the caller is in."""
    channel = channel_by_id(workspace, call.caller, call.arguments.text("channel"))
    joined_channel(channel, call.caller)
    user_ids = call.arguments.id_list("users")
    if not user_ids:
        raise SlackError("no_user")
    if any(user_id not in workspace.users for user_id in user_ids):
        raise SlackError("user_not_found")
    if call.caller.id in user_ids:
        raise SlackError("cant_invite_self")
    already_in = [user_id for user_id in user_ids if channel.has_member(user_id)]
    if already_in:
        raise SlackError(
            "already_in_channel",
            errors=[{"user": user_id, "ok": False, "error": "already_in_channel"} for user_id in already_in],
        )
    for user_id in user_ids:
        channel.add_member(user_id)
    return {"channel": channel.to_api(call.caller.id)}


def set_topic(workspace: SlackSimState, call: MethodCall) -> JsonObject:
    """Set a channel's topic (plain text, at most 250 characters)."""
    channel = channel_by_id(workspace, call.caller, call.arguments.text("channel"))
    joined_channel(channel, call.caller)
    topic = call.arguments.text("topic") or ""
    if len(topic) > MAX_TOPIC_LENGTH:
        raise SlackError("too_long")
    channel.topic = Topic(value=topic, creator=call.caller.id, last_set=workspace.now())
    return {"channel": channel.to_api(call.caller.id)}


def join_conversation(workspace: SlackSimState, call: MethodCall) -> JsonObject:
    """Put the caller in a public channel, so that it can post there."""
    channel = channel_by_id(workspace, call.caller, call.arguments.text("channel"))
    if channel.is_archived:
        raise SlackError("is_archived")
    if channel.is_private:
        raise SlackError("method_not_supported_for_channel_type")
    answer: JsonObject = {}
    if channel.has_member(call.caller.id):
        answer = {"warning": "already_in_channel", "response_metadata": {"warnings": ["already_in_channel"]}}
    channel.add_member(call.caller.id)
    return {"channel": channel.to_api(call.caller.id), **answer}


def conversation_info(workspace: SlackSimState, call: MethodCall) -> JsonObject:
    """One channel's details."""
    channel = channel_by_id(workspace, call.caller, call.arguments.text("channel"))
    return {"channel": channel.to_api(call.caller.id)}


def _in_time_range(channel: Channel, call: MethodCall) -> list[JsonObject]:
    oldest = float(call.arguments.text("oldest") or 0)
    latest = float(call.arguments.text("latest") or "inf")
    inclusive = call.arguments.flag("inclusive")
    include_metadata = call.arguments.flag("include_all_metadata")
    return [
        channel.message_to_api(message, include_metadata=include_metadata)
        for message in reversed(channel.messages)
        if message.is_top_level
        and (oldest <= float(message.ts) <= latest if inclusive else oldest < float(message.ts) < latest)
    ]


def conversation_history(workspace: SlackSimState, call: MethodCall) -> JsonObject:
    """A channel's top-level messages, newest first, a page at a time."""
    channel = visible_channel(workspace, call.caller, call.arguments.text("channel"))
    if not channel.has_member(call.caller.id):
        raise SlackError("not_in_channel")
    limit = _page_size(call, maximum=999)
    try:
        messages = _in_time_range(channel, call)
    except ValueError:
        raise SlackError("invalid_ts_latest") from None
    start = 0
    position = _position(call.arguments.text("cursor"), "next_ts")
    if position is not None:
        start = next(
            (index for index, message in enumerate(messages) if message["ts"] == position), len(messages)
        )
    page, following = messages[start : start + limit], messages[start + limit : start + limit + 1]
    return {
        "messages": page,
        "has_more": bool(following),
        "pin_count": 0,
        "response_metadata": {"next_cursor": _cursor("next_ts", following[0]["ts"]) if following else ""},
    }
