"""Channels: list them (following Slack's cursor pages), create one, invite people, set the topic."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from switchboard.connectors.base import Context, Input, Output

from .answers import answer_as
from .auth import SlackAuth
from .channels import channel_id
from .client import read, write
from .connector import connector

ConversationType = Literal["public_channel", "private_channel", "mpim", "im"]


class ListConversations(Input):
    """Which conversations to list, and how many at most."""

    types: list[ConversationType] = Field(default=["public_channel"], min_length=1)
    exclude_archived: bool = False
    max_results: int = Field(
        default=1000, ge=1, le=100_000, description="Stop after this many, even if Slack has more pages."
    )
    page_size: int = Field(
        default=200, ge=1, le=1000, description="Conversations per Slack call; Slack advises at most 200."
    )
    cursor: str | None = Field(default=None, description="Continue an earlier listing from its next_cursor.")


class ConversationsListed(Output):
    """The conversations found, and where to continue if ``max_results`` stopped the listing."""

    ok: bool = True
    channels: list[dict[str, Any]]
    next_cursor: str = Field(default="", description="Empty when every conversation was listed.")


@connector.operation("list_conversations", title="List conversations", repeat_safe=True)
async def list_conversations(data: ListConversations, ctx: Context[SlackAuth]) -> ConversationsListed:
    """List channels page by page until Slack has no more or ``max_results`` are found."""
    channels: list[dict[str, Any]] = []
    cursor = data.cursor
    while len(channels) < data.max_results:
        page = await read(
            ctx,
            "conversations.list",
            {
                "types": ",".join(data.types),
                "exclude_archived": data.exclude_archived,
                "limit": min(data.page_size, data.max_results - len(channels)),
                "cursor": cursor,
            },
        )
        channels.extend(page.get("channels", []))
        cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
        if cursor is None:
            break
    return ConversationsListed(channels=channels[: data.max_results], next_cursor=cursor or "")


class CreateConversation(Input):
    """A new channel's name (lower case, no spaces or periods, at most 80 characters)."""

    name: str = Field(min_length=1, max_length=80)
    is_private: bool = False


class ConversationAnswer(Output):
    """Slack's answer carrying the channel as it now is."""

    ok: bool = True
    channel: dict[str, Any]


@connector.operation("create_conversation", title="Create conversation", repeat_safe=False)
async def create_conversation(data: CreateConversation, ctx: Context[SlackAuth]) -> ConversationAnswer:
    """Create a public or private channel; the app is its first member."""
    answer = await write(ctx, "conversations.create", data.model_dump())
    return answer_as(ConversationAnswer, answer, "conversations.create")


class InviteToConversation(Input):
    """People to add to a channel the app is in."""

    channel: str = Field(min_length=1, description="The channel ID or #name.")
    users: list[str] = Field(min_length=1, max_length=1000, description="User IDs (U...).")


@connector.operation("invite_to_conversation", title="Invite to conversation", repeat_safe=False)
async def invite_to_conversation(data: InviteToConversation, ctx: Context[SlackAuth]) -> ConversationAnswer:
    """Add people to a channel."""
    channel = await channel_id(ctx, data.channel)
    answer = await write(ctx, "conversations.invite", {"channel": channel, "users": ",".join(data.users)})
    return answer_as(ConversationAnswer, answer, "conversations.invite")


class SetTopic(Input):
    """A channel's new topic."""

    channel: str = Field(min_length=1, description="The channel ID or #name.")
    topic: str = Field(max_length=250)


@connector.operation("set_topic", title="Set topic", repeat_safe=True)
async def set_topic(data: SetTopic, ctx: Context[SlackAuth]) -> ConversationAnswer:
    """Set a channel's topic; setting the same topic again changes nothing, so it is safe to repeat."""
    channel = await channel_id(ctx, data.channel)
    answer = await write(
        ctx, "conversations.setTopic", {"channel": channel, "topic": data.topic}, repeat_safe=True
    )
    return answer_as(ConversationAnswer, answer, "conversations.setTopic")
