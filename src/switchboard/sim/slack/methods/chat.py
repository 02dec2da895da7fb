"""``chat.postMessage``, ``chat.update`` and ``chat.delete``: messages sent by the app."""

from dataclasses import dataclass

from ..arguments import Arguments
from ..errors import SlackError
from ..state import Channel, JsonObject, Message, SlackSimState, User
from .access import channel_by_id, joined_channel, visible_channel
from .call import MethodCall

MAX_TEXT_LENGTH = 40_000
"""Slack refuses message text longer than 40,000 characters."""
MAX_BLOCKS = 50
MAX_ATTACHMENTS = 100


@dataclass(frozen=True)
class MessageContent:
    """What a message says: text, Block Kit blocks, legacy attachments (each optional, not all)."""

    text: str | None
    blocks: list[JsonObject] | None
    attachments: list[JsonObject] | None

    @property
    def is_empty(self) -> bool:
        """Whether there is nothing to show."""
        return not self.text and not self.blocks and not self.attachments


def _objects(value: object, *, error: str) -> list[JsonObject] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise SlackError(error)
    return list(value)


def read_content(arguments: Arguments) -> MessageContent:
    """The message content of a call; ``no_text``, ``msg_too_long``, ``invalid_blocks``... as Slack."""
    blocks = _objects(arguments.json("blocks", error="invalid_blocks_format"), error="invalid_blocks_format")
    if blocks is not None and (
        len(blocks) > MAX_BLOCKS or not all(isinstance(b.get("type"), str) for b in blocks)
    ):
        raise SlackError("invalid_blocks")
    attachments = _objects(
        arguments.json("attachments", error="invalid_attachments"), error="invalid_attachments"
    )
    if attachments is not None and len(attachments) > MAX_ATTACHMENTS:
        raise SlackError("too_many_attachments")
    content = MessageContent(text=arguments.text("text"), blocks=blocks, attachments=attachments)
    if content.is_empty:
        raise SlackError("no_text")
    if content.text is not None and len(content.text) > MAX_TEXT_LENGTH:
        raise SlackError("msg_too_long")
    return content


def _icons(arguments: Arguments) -> dict[str, str] | None:
    emoji = arguments.text("icon_emoji")
    if emoji:
        return {"emoji": emoji}
    url = arguments.text("icon_url")
    return {"image_48": url} if url else None


def _thread_of(channel: Channel, thread_ts: str | None) -> str | None:
    """Replying to a reply joins its thread, as Slack does."""
    if not thread_ts:
        return None
    parent = channel.find_message(thread_ts)
    if parent is None:
        return thread_ts
    return parent.thread_ts or parent.ts


def read_metadata(arguments: Arguments) -> JsonObject | None:
    """Message metadata (``event_type`` + ``event_payload``): what lets an app find its own message again."""
    metadata = arguments.json("metadata", error="invalid_metadata_format")
    if metadata is None:
        return None
    if not isinstance(metadata, dict):
        raise SlackError("invalid_metadata_format")
    if not isinstance(metadata.get("event_type"), str) or not isinstance(metadata.get("event_payload"), dict):
        raise SlackError("invalid_metadata_schema")
    return {"event_type": metadata["event_type"], "event_payload": metadata["event_payload"]}


def _sent_by(caller: User, message: Message) -> bool:
    return message.user == caller.id


def post_message(workspace: SlackSimState, call: MethodCall) -> JsonObject:
    """Send a message to a channel (by id, ``#name`` or name), optionally into a thread."""
    arguments = call.arguments
    channel = visible_channel(
        workspace, call.caller, arguments.required("channel", error="channel_not_found")
    )
    joined_channel(channel, call.caller)
    content = read_content(arguments)
    thread_ts = _thread_of(channel, arguments.text("thread_ts"))
    broadcast = thread_ts is not None and arguments.flag("reply_broadcast")
    message = Message(
        ts=workspace.next_ts(),
        channel_id=channel.id,
        team_id=workspace.team.id,
        user=call.caller.id,
        text=content.text or "",
        blocks=content.blocks,
        attachments=content.attachments,
        thread_ts=thread_ts,
        subtype="thread_broadcast" if broadcast else None,
        bot_id=call.caller.bot_id,
        app_id=call.caller.app_id,
        username=arguments.text("username") or None,
        icons=_icons(arguments),
        metadata=read_metadata(arguments),
        unfurl_links=arguments.flag("unfurl_links") if arguments.text("unfurl_links") else None,
        unfurl_media=arguments.flag("unfurl_media", default=True) if arguments.text("unfurl_media") else None,
    )
    channel.messages.append(message)
    return {"channel": channel.id, "ts": message.ts, "message": channel.message_to_api(message)}


def update_message(workspace: SlackSimState, call: MethodCall) -> JsonObject:
    """Change the text, blocks or attachments of a message the caller sent."""
    arguments = call.arguments
    channel = channel_by_id(workspace, call.caller, arguments.text("channel"))
    if channel.is_archived:
        raise SlackError("is_inactive")
    message = channel.find_message(arguments.required("ts", error="message_not_found"))
    if message is None:
        raise SlackError("message_not_found")
    if not _sent_by(call.caller, message):
        raise SlackError("cant_update_message")
    content = read_content(arguments)
    if content.text is not None:
        message.text = content.text
    if content.blocks is not None:
        message.blocks = content.blocks or None
    if content.attachments is not None:
        message.attachments = content.attachments or None
    metadata = read_metadata(arguments)
    if metadata is not None:
        message.metadata = metadata
    message.edited = {"user": call.caller.id, "ts": workspace.next_ts()}
    return {
        "channel": channel.id,
        "ts": message.ts,
        "text": message.text,
        "message": channel.message_to_api(message),
    }


def delete_message(workspace: SlackSimState, call: MethodCall) -> JsonObject:
    """Remove a message the caller sent."""
    arguments = call.arguments
    channel = channel_by_id(workspace, call.caller, arguments.text("channel"))
    message = channel.find_message(arguments.required("ts", error="message_not_found"))
    if message is None:
        raise SlackError("message_not_found")
    if not _sent_by(call.caller, message):
        raise SlackError("cant_delete_message")
    channel.messages.remove(message)
    return {"channel": channel.id, "ts": message.ts}
