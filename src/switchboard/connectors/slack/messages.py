"""Messages: post one, change it, delete it, react to it.

Each output is Slack's own answer (``ok``, ``channel``, ``ts``, ``message``...), so a later step maps
``$.steps.slack-1.ts`` to reply in a thread or to update what was posted.
"""

from __future__ import annotations

from typing import Any, Self

from pydantic import Field, model_validator

from switchboard.connectors.base import Context, Input, Output
from switchboard.errors import ProviderError

from .answers import answer_as
from .auth import SlackAuth
from .channels import channel_id
from .client import write
from .connector import connector

Blocks = list[dict[str, Any]]
CHANNEL_HELP = "A channel ID (C0123ABCD) or #name; a user ID (U...) sends a direct message."


class SendMessage(Input):
    """What ``chat.postMessage`` takes that workflows use."""

    channel: str = Field(min_length=1, description=CHANNEL_HELP)
    text: str | None = Field(
        default=None, description="The message, or its notification fallback when blocks are given."
    )
    blocks: Blocks | None = Field(default=None, description="Block Kit blocks.")
    thread_ts: str | None = Field(
        default=None, description="The ts of the message to reply to in its thread."
    )
    reply_broadcast: bool | None = Field(default=None, description="Also show a thread reply in the channel.")
    username: str | None = None
    icon_emoji: str | None = Field(default=None, description="e.g. :iphone:; needs chat:write.customize.")
    icon_url: str | None = None
    unfurl_links: bool | None = None
    unfurl_media: bool | None = None

    @model_validator(mode="after")
    def _says_something(self) -> Self:
        if not self.text and not self.blocks:
            raise ValueError("a message needs text or blocks")
        if self.reply_broadcast and not self.thread_ts:
            raise ValueError("reply_broadcast needs thread_ts: only a thread reply can be broadcast")
        return self


class MessageAnswer(Output):
    """Slack's answer about one message: ``ok``, its channel and its ts."""

    ok: bool = True
    channel: str
    ts: str


class MessagePosted(MessageAnswer):
    """Slack's answer to ``chat.postMessage``."""

    message: dict[str, Any] = Field(default_factory=dict)


@connector.operation("send_message", title="Send message", repeat_safe=False)
async def send_message(data: SendMessage, ctx: Context[SlackAuth]) -> MessagePosted:
    """Post a message to a channel, a thread or a person."""
    answer = await write(ctx, "chat.postMessage", data.model_dump(exclude_none=True))
    return answer_as(MessagePosted, answer, "chat.postMessage")


class MessageReference(Input):
    """One message: its channel and its ts."""

    channel: str = Field(min_length=1, description="The channel ID or #name the message is in.")
    ts: str = Field(min_length=1, description="The message's ts, e.g. $.steps.slack-1.ts.")


class UpdateMessage(MessageReference):
    """A message the app sent, and its new content."""

    text: str | None = None
    blocks: Blocks | None = None

    @model_validator(mode="after")
    def _says_something(self) -> Self:
        if not self.text and self.blocks is None:
            raise ValueError("an update needs text or blocks")
        return self


class MessageUpdated(MessageAnswer):
    """Slack's answer to ``chat.update``."""

    text: str | None = None
    message: dict[str, Any] = Field(default_factory=dict)


@connector.operation("update_message", title="Update message", repeat_safe=False)
async def update_message(data: UpdateMessage, ctx: Context[SlackAuth]) -> MessageUpdated:
    """Change the text or blocks of a message the app posted."""
    payload = data.model_dump(exclude_none=True) | {"channel": await channel_id(ctx, data.channel)}
    answer = await write(ctx, "chat.update", payload)
    return answer_as(MessageUpdated, answer, "chat.update")


class MessageDeleted(MessageAnswer):
    """Slack's answer to ``chat.delete``."""


@connector.operation("delete_message", title="Delete message", repeat_safe=False)
async def delete_message(data: MessageReference, ctx: Context[SlackAuth]) -> MessageDeleted:
    """Delete a message the app posted."""
    answer = await write(ctx, "chat.delete", {"channel": await channel_id(ctx, data.channel), "ts": data.ts})
    return answer_as(MessageDeleted, answer, "chat.delete")


class AddReaction(MessageReference):
    """An emoji to put on a message."""

    name: str = Field(min_length=1, description="The emoji's name, e.g. thumbsup or :white_check_mark:.")


class ReactionAdded(MessageAnswer):
    """Which reaction was added where (Slack itself answers only ``ok``)."""

    name: str


@connector.operation("add_reaction", title="Add reaction", repeat_safe=True)
async def add_reaction(data: AddReaction, ctx: Context[SlackAuth]) -> ReactionAdded:
    """React to a message with an emoji.

    Reacting twice with the same emoji changes nothing, so Slack's ``already_reacted`` counts as done:
    that is what makes this safe to repeat after an interrupted attempt.
    """
    channel = await channel_id(ctx, data.channel)
    name = data.name.strip().strip(":")
    arguments = {"channel": channel, "timestamp": data.ts, "name": name}
    try:
        answer = await write(ctx, "reactions.add", arguments, repeat_safe=True)
    except ProviderError as refusal:
        if refusal.details.get("slack_error") != "already_reacted":
            raise
        answer = {"ok": True, "already_reacted": True}
    return answer_as(
        ReactionAdded, {**answer, "channel": channel, "ts": data.ts, "name": name}, "reactions.add"
    )
