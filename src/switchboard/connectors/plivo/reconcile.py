"""After a crash during a send: did Plivo take the message? Ask its message list before anyone resends.

Plivo has no idempotency key, so a send that was interrupted (the process died after the request left, or
before its answer was journaled) must never simply be sent again. The engine calls ``find_sent_message``
instead; it returns the send's output when Plivo's list shows the message, and None when it cannot be
sure, which parks the step as ``needs_review`` for a person to resend or mark done.

Plivo's records carry no text, so a message is recognised by what they do carry: outbound, of the same
type, from the same sender (or Powerpack), to each destination, in as many units as the text needs, within
the last ``WINDOW``. It is "sure" only when every valid destination has exactly one such record, they
were all taken within a few seconds of each other (one request creates them together), and the window held
few enough messages to read them all. An identical
message sent from another run to the same number within the window makes the match ambiguous: the step is
parked rather than guessed. Destinations that were not valid numbers are reported in ``invalid_number``,
as Plivo would have reported them.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from switchboard.connectors.base import Context
from switchboard.engine.records import utc

from . import addresses
from .auth import PlivoAuth
from .client import plivo_api
from .message_records import ListMessages
from .numbers import InvalidPhoneNumber
from .paging import collect
from .segments import count_segments
from .sending import MessageQueued, SendFields, SendMms, SendSms

WINDOW = timedelta(minutes=10)
"""How far back a resumed send looks; an older interruption is left to a person."""
SAME_REQUEST_SPREAD = timedelta(seconds=5)
"""Records created by one send request are this close together at most."""
MOST_RECORDS = 100
"""Message records read (5 pages, well within Plivo's 20 list requests a minute)."""


async def find_sent_message(data: SendFields, ctx: Context[PlivoAuth]) -> MessageQueued | None:
    """The interrupted send's output if Plivo's message list shows it was taken, else None."""
    listed = await collect(plivo_api(ctx), "Message/", _filters(data))
    try:
        if listed.has_more:
            raise NotSure(f"more than {MOST_RECORDS} messages in the window: a second match may be unread")
        found = match_send(data, listed.objects)
    except NotSure as doubt:
        ctx.log.info("plivo.reconcile.unsure", extra={"step": ctx.step, "reason": str(doubt)})
        return None
    ctx.log.info("plivo.reconcile.found", extra={"step": ctx.step, "messages": len(found.message_uuid)})
    return found


class NotSure(Exception):
    """The message list does not prove that the send was, or was not, taken."""


def match_send(data: SendFields, records: list[dict[str, Any]]) -> MessageQueued:
    """The send's output rebuilt from the records it created; NotSure unless they are unambiguous."""
    matches: list[dict[str, Any]] = []
    invalid: list[str] = []
    for destination in data.dst:
        digits = destination.removeprefix("+")
        found = [record for record in records if _is_the_message(record, data, digits)]
        if not _is_valid(destination):
            if found:
                raise NotSure(f"{destination} is not a valid number, yet a message to it is listed")
            invalid.append(digits)
        elif len(found) != 1:
            raise NotSure(f"{len(found)} matching messages to {destination}")
        else:
            matches.extend(found)
    if not matches:
        raise NotSure("no matching messages")
    times = [_taken_at(record) for record in matches]
    if max(times) - min(times) > SAME_REQUEST_SPREAD:
        raise NotSure("the matching messages were not taken by one request")
    return MessageQueued(
        api_id=None,
        message="message(s) queued",
        message_uuid=[str(record["message_uuid"]) for record in matches],
        invalid_number=invalid,
        reconciled=True,
    )


def _filters(data: SendFields) -> ListMessages:
    sender: dict[str, Any] = (
        {"powerpack_id": data.powerpack_uuid} if data.powerpack_uuid else {"from_number": data.src}
    )
    return ListMessages(
        message_direction="outbound",
        message_type=data.kind,
        message_time__gte=datetime.now(UTC) - WINDOW,
        max_results=MOST_RECORDS,
        **sender,
    )


def _is_the_message(record: dict[str, Any], data: SendFields, digits: str) -> bool:
    if str(record.get("to_number") or "").removeprefix("+") != digits:
        return False
    if isinstance(data, SendSms):
        return bool(record.get("units") == count_segments(data.text).units)
    return isinstance(data, SendMms)


def _is_valid(destination: str) -> bool:
    try:
        addresses.e164(destination)
    except InvalidPhoneNumber:
        return False
    return True


def _taken_at(record: dict[str, Any]) -> datetime:
    try:
        moment = datetime.fromisoformat(str(record.get("message_time")))
    except ValueError:
        raise NotSure(f"unreadable message_time {record.get('message_time')!r}") from None
    return utc(moment)
