"""The Message API: send SMS and MMS, read one message, list messages, list an MMS's media."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from switchboard.connectors.base import Context, Output

from .auth import PlivoAuth
from .client import path_segment, plivo_api
from .connector import connector
from .message_records import ListMessages, MessageId, MessageList, MessageRecord
from .paging import collect
from .reconcile import find_sent_message
from .sending import MessageQueued, SendMms, SendSms


@connector.operation("send_sms", title="Send an SMS", repeat_safe=False, reconcile=find_sent_message)
async def send_sms(data: SendSms, ctx: Context[PlivoAuth]) -> MessageQueued:
    """Send an SMS to one or many numbers, at the authentication's pace (5 per second by default).

    The output lists one message uuid per destination Plivo accepted (`message_uuid[0]` for a single
    send) and, for a send to several numbers, the ones it refused as invalid (`invalid_number`).
    Never retried on a timeout: an interrupted send is looked up in Plivo's message list instead.
    """
    answer = await plivo_api(ctx).send("sms", len(data.dst), data.to_api())
    return MessageQueued.model_validate(answer)


@connector.operation("send_mms", title="Send an MMS", repeat_safe=False, reconcile=find_sent_message)
async def send_mms(data: SendMms, ctx: Context[PlivoAuth]) -> MessageQueued:
    """Send an MMS (media by URL or uploaded media id, with an optional text), at the MMS pace.

    Plivo sends MMS to US and Canadian numbers only; the output is the same as send_sms's.
    """
    answer = await plivo_api(ctx).send("mms", len(data.dst), data.to_api())
    return MessageQueued.model_validate(answer)


@connector.operation("get_message", title="Get a message", repeat_safe=True)
async def get_message(data: MessageId, ctx: Context[PlivoAuth]) -> MessageRecord:
    """Read one message's record: its state (queued, sent, delivered...), units, cost and error code."""
    answer = await plivo_api(ctx).get(f"Message/{path_segment(data.message_uuid)}/")
    return MessageRecord.model_validate(answer)


@connector.operation("list_messages", title="List messages", repeat_safe=True)
async def list_messages(data: ListMessages, ctx: Context[PlivoAuth]) -> MessageList:
    """List messages, newest first, with any of Plivo's filters, reading pages up to max_results.

    Without a time filter Plivo lists the last 24 hours only. Plivo allows 20 list requests a minute
    (20 messages each); the connector waits rather than exceed it.
    """
    found = await collect(plivo_api(ctx), "Message/", data)
    messages = [MessageRecord.model_validate(record) for record in found.objects]
    return MessageList(
        messages=messages, count=len(messages), total_count=found.total_count, has_more=found.has_more
    )


class MessageMedia(Output):
    """One file attached to an MMS."""

    media_id: str
    media_url: str | None = Field(default=None, description="Where Plivo serves the file.")
    content_type: str | None = None
    size: int | None = Field(default=None, description="Bytes.")
    message_uuid: str | None = None


class MediaList(Output):
    """The files of one MMS."""

    api_id: str | None = None
    message_uuid: str
    media: list[MessageMedia] = Field(description="Every file attached to the message.")
    count: int


@connector.operation("list_message_media", title="List the media of a message", repeat_safe=True)
async def list_message_media(data: MessageId, ctx: Context[PlivoAuth]) -> MediaList:
    """List the files attached to an MMS, sent or received, with the URLs Plivo serves them at."""
    answer: dict[str, Any] = await plivo_api(ctx).get(f"Message/{path_segment(data.message_uuid)}/Media/")
    media = [MessageMedia.model_validate(item) for item in answer.get("objects") or []]
    return MediaList(
        api_id=answer.get("api_id"), message_uuid=data.message_uuid, media=media, count=len(media)
    )
