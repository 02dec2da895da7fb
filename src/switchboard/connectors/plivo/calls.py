"""The Call API: make a call, read a call's record, list calls, hang up a live call.

A call's behaviour is Plivo XML served at ``answer_url`` (a workflow started by ``plivo.incoming_call``
in ``respond`` mode can serve it). Making calls is outside Plivo's 300-requests budget; Plivo queues calls
beyond the account's calls per second itself, so they are not paced here.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field

from switchboard.connectors.base import Context, Input, Output

from . import addresses
from .auth import PlivoAuth
from .client import path_segment, plivo_api
from .connector import connector
from .numbers import split_destinations
from .paging import Paging, PlivoTime, collect
from .sending import CallbackUrl

HttpMethod = Literal["GET", "POST"]
METHOD = "How Plivo calls the URL above (default POST)."


def _callees(given: list[str]) -> list[str]:
    """Every callee must be a valid number or a SIP URI: Plivo would silently skip the others."""
    callees = split_destinations(given)
    if not callees:
        raise ValueError("at least one number or SIP URI to call is needed")
    return [callee if callee.startswith("sip:") else addresses.e164(callee) for callee in callees]


Callees = Annotated[
    list[str], BeforeValidator(addresses.as_list), AfterValidator(_callees), addresses.ONE_OR_MANY
]


class MakeCall(Input):
    """A call to one or many numbers (or SIP endpoints); Plivo fetches answer_url when one answers."""

    model_config = ConfigDict(populate_by_name=True)

    from_: Annotated[str, AfterValidator(addresses.e164)] = Field(
        alias="from", description="The caller ID: one of your Plivo numbers, in E.164."
    )
    to: Callees = Field(
        description="Whom to call: a number in E.164 or a sip: URI, or several as a list or joined with '<' "
        "(Plivo calls them all at once; at most 1000)."
    )
    answer_url: CallbackUrl = Field(
        description="Where Plivo fetches the XML that drives the call once answered."
    )
    answer_method: HttpMethod = Field(default="POST", description=METHOD)
    ring_url: CallbackUrl | None = Field(default=None, description="Notified when the call starts ringing.")
    ring_method: HttpMethod | None = Field(default=None, description=METHOD)
    hangup_url: CallbackUrl | None = Field(default=None, description="Notified when the call ends.")
    hangup_method: HttpMethod | None = Field(default=None, description=METHOD)
    fallback_url: CallbackUrl | None = Field(default=None, description="Used when answer_url fails.")
    fallback_method: HttpMethod | None = Field(default=None, description=METHOD)
    caller_name: str | None = Field(default=None, max_length=50, description="Caller name for SIP calls.")
    send_digits: str | None = Field(
        default=None, description="DTMF digits to send once answered (w = 0.5 s)."
    )
    send_on_preanswer: bool | None = Field(default=None, description="Send the digits before the answer.")
    time_limit: int | None = Field(
        default=None, ge=1, description="Seconds the call may last (default 14400)."
    )
    hangup_on_ring: int | None = Field(
        default=None, ge=0, description="Hang up this many seconds after ringing."
    )
    machine_detection: Literal["true", "hangup"] | None = Field(
        default=None, description="Detect answering machines: report it (true) or hang up (hangup)."
    )
    machine_detection_time: int | None = Field(default=None, ge=2000, le=10000, description="Milliseconds.")
    machine_detection_url: CallbackUrl | None = Field(
        default=None, description="Notified of the machine detection's result."
    )
    machine_detection_method: HttpMethod | None = Field(default=None, description=METHOD)
    ring_timeout: int | None = Field(default=None, ge=1, description="Seconds to ring (default 120).")
    parent_call_uuid: str | None = Field(default=None, description="Start only once this call is answered.")
    error_if_parent_not_found: bool | None = Field(
        default=None, description="Fail rather than call when parent_call_uuid is not a live call."
    )
    sip_headers: str | None = Field(default=None, description="Custom SIP headers: name=value,name2=value2.")

    def to_api(self) -> dict[str, Any]:
        body = self.model_dump(by_alias=True, exclude_none=True)
        body["to"] = addresses.joined(self.to)
        return body


class CallFired(Output):
    """Plivo's answer to a call request; the call's own uuid comes in its callbacks."""

    api_id: str | None = None
    message: str = Field(default="", description="'call fired'.")
    request_uuid: str | list[str] = Field(description="The request's id (a list when several were called).")


@connector.operation("make_call", title="Make a call", repeat_safe=False)
async def make_call(data: MakeCall, ctx: Context[PlivoAuth]) -> CallFired:
    """Call one or many numbers; what happens once answered is the XML that answer_url returns.

    Never retried on a timeout: the phone may already be ringing.
    """
    answer = await plivo_api(ctx).post("Call/", data.to_api(), counted=False)
    return CallFired.model_validate(answer)


class CallId(Input):
    """Which call."""

    call_uuid: str = Field(min_length=1, description="The call's uuid (CallUUID in Plivo's callbacks).")


class GetCall(CallId):
    """Which call, and whether it is still going on."""

    live: bool = Field(
        default=False, description="Read the call while it is in progress instead of its record once ended."
    )


class CallRecord(Output):
    """A call: its detail record once ended (or, for a live call, its current state)."""

    call_uuid: str
    from_number: str | None = None
    to_number: str | None = None
    call_direction: str | None = Field(default=None, description="inbound or outbound.")
    call_duration: int | None = Field(default=None, description="Seconds.")
    bill_duration: int | None = Field(default=None, description="Seconds billed.")
    initiation_time: str | None = None
    answer_time: str | None = None
    end_time: str | None = None
    hangup_cause_name: str | None = None
    total_amount: str | None = None
    total_rate: str | None = None
    call_status: str | None = Field(default=None, description="For a live call: in-progress, ringing...")


@connector.operation("get_call", title="Get a call", repeat_safe=True)
async def get_call(data: GetCall, ctx: Context[PlivoAuth]) -> CallRecord:
    """Read a call's record once it has ended, or its current state with live."""
    params = {"status": "live"} if data.live else None
    answer = await plivo_api(ctx).get(f"Call/{path_segment(data.call_uuid)}/", params)
    return CallRecord.model_validate(answer)


class ListCalls(Paging):
    """Plivo's call record filters; calls still in progress are not listed."""

    subaccount: str | None = Field(default=None, description="Only this subaccount's calls (its Auth ID).")
    call_direction: Literal["inbound", "outbound"] | None = Field(
        default=None, description="Made or received."
    )
    from_number: str | None = Field(default=None, description="Only calls from this number.")
    to_number: str | None = Field(default=None, description="Only calls to this number.")
    bill_duration: int | None = Field(default=None, ge=0, description="Billed for exactly these seconds.")
    bill_duration__gt: int | None = Field(default=None, ge=0, description="Billed for more seconds.")
    bill_duration__gte: int | None = Field(
        default=None, ge=0, description="Billed for at least these seconds."
    )
    bill_duration__lt: int | None = Field(default=None, ge=0, description="Billed for fewer seconds.")
    bill_duration__lte: int | None = Field(
        default=None, ge=0, description="Billed for at most these seconds."
    )
    end_time: PlivoTime | None = Field(default=None, description="Ended at this second (UTC).")
    end_time__gt: PlivoTime | None = Field(default=None, description="Ended after this time.")
    end_time__gte: PlivoTime | None = Field(default=None, description="Ended at or after this time.")
    end_time__lt: PlivoTime | None = Field(default=None, description="Ended before this time.")
    end_time__lte: PlivoTime | None = Field(default=None, description="Ended at or before this time.")
    hangup_cause_code: int | None = Field(default=None, description="Plivo's hangup cause code, e.g. 4000.")
    hangup_source: str | None = Field(default=None, description="Who hung up: Caller, Callee, Plivo...")
    parent_call_uuid: str | None = Field(default=None, description="Only the legs of this call.")


class CallList(Output):
    """Call records, newest first."""

    calls: list[CallRecord]
    count: int
    total_count: int | None = None
    has_more: bool


@connector.operation("list_calls", title="List calls", repeat_safe=True)
async def list_calls(data: ListCalls, ctx: Context[PlivoAuth]) -> CallList:
    """List ended calls with any of Plivo's filters, reading pages up to max_results."""
    found = await collect(plivo_api(ctx), "Call/", data)
    calls = [CallRecord.model_validate(record) for record in found.objects]
    return CallList(calls=calls, count=len(calls), total_count=found.total_count, has_more=found.has_more)


class CallHungUp(Output):
    """The call that was ended."""

    call_uuid: str
    hung_up: bool = True


@connector.operation("hangup_call", title="Hang up a call", repeat_safe=False)
async def hangup_call(data: CallId, ctx: Context[PlivoAuth]) -> CallHungUp:
    """End a call in progress (Plivo answers 404 once it has already ended)."""
    await plivo_api(ctx).delete(f"Call/{path_segment(data.call_uuid)}/")
    return CallHungUp(call_uuid=data.call_uuid)
