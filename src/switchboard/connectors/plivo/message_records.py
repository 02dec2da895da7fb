"""Messages as Plivo's API shows them (MDRs), and the filters of its message list.

Plivo writes numbers without ``+``, amounts as strings with five decimals, and times as
``YYYY-MM-DD HH:MM:SS+HH:MM``; the records keep Plivo's names and values so a jsonpath reads what Plivo's
documentation shows. Fields not listed here (Plivo adds some now and then) are kept as they come.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from switchboard.connectors.base import Input, Output

from .paging import Paging, PlivoTime

MessageState = Literal["queued", "sent", "failed", "delivered", "undelivered", "rejected", "received", "read"]


class MessageId(Input):
    """Which message."""

    message_uuid: str = Field(
        min_length=1, description="A uuid from a send's message_uuid list or a callback."
    )


class MessageRecord(Output):
    """One message: Plivo's message detail record (MDR)."""

    message_uuid: str = Field(description="The message's id.")
    from_number: str | None = Field(default=None, description="Sender, without '+'.")
    to_number: str | None = Field(default=None, description="Destination, without '+'.")
    message_direction: str | None = Field(default=None, description="outbound or inbound.")
    message_state: str | None = Field(
        default=None, description="queued, sent, delivered, undelivered, failed..."
    )
    message_type: str | None = Field(default=None, description="sms, mms or whatsapp.")
    message_time: str | None = Field(default=None, description="When Plivo took the message.")
    units: int | None = Field(
        default=None, description="Units (segments) the message was sent and billed as."
    )
    total_amount: str | None = Field(default=None, description="What it cost, in USD.")
    total_rate: str | None = Field(default=None, description="Price per unit, in USD.")
    error_code: str | None = Field(default=None, description="'000' once delivered; Plivo's code on failure.")
    resource_uri: str | None = None


class ListMessages(Paging):
    """Every filter Plivo's message list takes. Without a time filter Plivo lists the last 24 hours."""

    subaccount: str | None = Field(default=None, description="Only this subaccount's messages (its Auth ID).")
    message_direction: Literal["inbound", "outbound"] | None = Field(
        default=None, description="Sent or received."
    )
    message_state: MessageState | None = Field(default=None, description="Only messages in this state.")
    message_type: Literal["sms", "mms", "whatsapp"] | None = Field(
        default=None, description="Only this type."
    )
    message_time: PlivoTime | None = Field(default=None, description="Taken at this second (UTC).")
    message_time__gt: PlivoTime | None = Field(default=None, description="Taken after this time.")
    message_time__gte: PlivoTime | None = Field(default=None, description="Taken at or after this time.")
    message_time__lt: PlivoTime | None = Field(default=None, description="Taken before this time.")
    message_time__lte: PlivoTime | None = Field(default=None, description="Taken at or before this time.")
    error_code: str | None = Field(default=None, description="Only messages that failed with this code.")
    powerpack_id: str | None = Field(default=None, description="Only messages sent through this Powerpack.")
    from_number: str | None = Field(default=None, description="Only messages from this number (E.164).")
    to_number: str | None = Field(default=None, description="Only messages to this number (E.164).")
    destination_country_iso2: str | None = Field(
        default=None, min_length=2, max_length=2, description="Only messages to this country (US, GB...)."
    )
    tendlc_registration_status: str | None = Field(default=None, description="US 10DLC: registration status.")
    tendlc_campaign_id: str | None = Field(default=None, description="US 10DLC: campaign id.")
    conversation_id: str | None = Field(default=None, description="WhatsApp: conversation id.")
    conversation_origin: str | None = Field(default=None, description="WhatsApp: conversation origin.")


class MessageList(Output):
    """Messages found, newest first."""

    messages: list[MessageRecord] = Field(description="The messages read, at most max_results.")
    count: int = Field(description="How many are in messages.")
    total_count: int | None = Field(default=None, description="How many match the filters, per Plivo.")
    has_more: bool = Field(description="True when more matching messages were left unread.")
