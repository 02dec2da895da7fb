"""``reactions.add``: an emoji on a message."""

import re

from ..errors import SlackError
from ..state import JsonObject, Reaction, SlackSimState
from .access import channel_by_id
from .call import MethodCall

EMOJI_NAME = re.compile(r"^[a-z0-9_+'\-]+(::skin-tone-[2-6])?$")
"""An emoji name as Slack takes it: ``thumbsup``, ``+1``, ``wave::skin-tone-3``; no colons around it."""
MESSAGE_TS = re.compile(r"^\d+\.\d+$")


def add_reaction(workspace: SlackSimState, call: MethodCall) -> JsonObject:
    """React to a message in a channel with an emoji, once per emoji and member."""
    arguments = call.arguments
    name = arguments.text("name")
    if not name or not EMOJI_NAME.match(name):
        raise SlackError("invalid_name")
    channel_id, timestamp = arguments.text("channel"), arguments.text("timestamp")
    if not channel_id or not timestamp:
        raise SlackError("no_item_specified")
    channel = channel_by_id(workspace, call.caller, channel_id)
    if not MESSAGE_TS.match(timestamp):
        raise SlackError("bad_timestamp")
    if channel.is_archived:
        raise SlackError("is_archived")
    message = channel.find_message(timestamp)
    if message is None:
        raise SlackError("message_not_found")
    reaction = next((existing for existing in message.reactions if existing.name == name), None)
    if reaction is None:
        message.reactions.append(Reaction(name=name, users=[call.caller.id]))
    elif call.caller.id in reaction.users:
        raise SlackError("already_reacted")
    else:
        reaction.users.append(call.caller.id)
    return {}
