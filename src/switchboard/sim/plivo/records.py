"""The simulator's resources (accounts, messages, numbers, applications, calls) and their Plivo JSON.

Each record renders itself exactly as Plivo's API shows it (reference/plivo.md §2, §6 and the SDK
fixtures of §7): amounts are strings with five decimals, numbers have no ``+``, timestamps look like
``2017-05-22 21:36:14+00:00``, every object carries its ``resource_uri``.
"""

import mimetypes
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Literal

from switchboard.sim.plivo.settings import FinalState

JsonObject = dict[str, object]

MessageDirection = Literal["outbound", "inbound"]
MessageType = Literal["sms", "mms"]
MessageState = Literal["queued", "sent", "delivered", "undelivered", "failed", "received"]


def now() -> datetime:
    """Return the current time; the simulator keeps every timestamp in UTC."""
    return datetime.now(UTC)


def plivo_time(moment: datetime | None, *, precise: bool = False) -> str | None:
    """Format a timestamp as Plivo's API does: ``YYYY-MM-DD HH:MM:SS[.ffffff]+HH:MM``."""
    if moment is None:
        return None
    return moment.isoformat(sep=" ", timespec="microseconds" if precise else "seconds")


def callback_time(moment: datetime | None) -> str:
    """Format a timestamp as Plivo's callbacks do: ``YYYY-mm-dd HH:MM:SS.SSSSSS``, empty when unknown."""
    return "" if moment is None else moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def amount(value: Decimal) -> str:
    """Format money the way Plivo does: a string with five decimals."""
    return f"{value.quantize(Decimal('0.00001'))}"


@dataclass
class Account:
    """A main account (``MA…``) or a subaccount (``SA…``) with the credentials that open it."""

    auth_id: str
    auth_token: str
    name: str
    parent_auth_id: str | None = None
    enabled: bool = True
    created: date = field(default_factory=lambda: now().date())
    modified: date | None = None
    cash_credits: Decimal = Decimal("100.00000")

    @property
    def main_auth_id(self) -> str:
        """The main account that pays for, and ``-Ma-``-signs for, this account."""
        return self.parent_auth_id or self.auth_id

    @property
    def resource_uri(self) -> str:
        """Where the API shows this account."""
        if self.parent_auth_id is None:
            return f"/v1/Account/{self.auth_id}/"
        return f"/v1/Account/{self.parent_auth_id}/Subaccount/{self.auth_id}/"

    def account_body(self) -> JsonObject:
        """The account object of ``GET /v1/Account/{auth_id}/``."""
        return {
            "account_type": "standard",
            "address": "",
            "auth_id": self.auth_id,
            "auto_recharge": False,
            "billing_mode": "prepaid",
            "cash_credits": amount(self.cash_credits),
            "city": "",
            "name": self.name,
            "resource_uri": f"/v1/Account/{self.auth_id}/",
            "state": "",
            "timezone": "Etc/UTC",
        }

    def subaccount_body(self) -> JsonObject:
        """The subaccount object of ``GET /Subaccount/{id}/``."""
        return {
            "account": f"/v1/Account/{self.main_auth_id}/",
            "auth_id": self.auth_id,
            "auth_token": self.auth_token,
            "created": self.created.isoformat(),
            "enabled": self.enabled,
            "modified": None if self.modified is None else self.modified.isoformat(),
            "name": self.name,
            "resource_uri": self.resource_uri,
        }


@dataclass
class Media:
    """One MMS attachment, known by the URL it was sent from."""

    media_id: str
    source_url: str

    @property
    def content_type(self) -> str:
        """Guessed from the URL's extension, as the simulator never downloads the file."""
        guessed, _ = mimetypes.guess_type(self.source_url)
        return guessed or "application/octet-stream"


@dataclass
class Message:
    """One message to or from one number: what Plivo calls an MDR (message detail record)."""

    uuid: str
    owner_auth_id: str
    main_auth_id: str
    direction: MessageDirection
    message_type: MessageType
    from_number: str
    to_number: str
    text: str
    units: int
    rate: Decimal
    state: MessageState
    created_at: datetime = field(default_factory=now)
    updated_at: datetime = field(default_factory=now)
    sent_at: datetime | None = None
    delivery_report_at: datetime | None = None
    error_code: str | None = None
    callback_url: str | None = None
    callback_method: str = "POST"
    powerpack_uuid: str | None = None
    expiry_seconds: float = 10_800.0
    media: list[Media] = field(default_factory=list)
    callbacks_fired: int = 0
    """Status callbacks fired so far; the next one carries ``Sequence`` = this + 1."""

    @property
    def resource_uri(self) -> str:
        """Where the API shows this message."""
        return f"/v1/Account/{self.owner_auth_id}/Message/{self.uuid}/"

    @property
    def total_amount(self) -> Decimal:
        """What the message costs: the rate per unit times the units."""
        return self.rate * self.units

    def move_to(self, state: MessageState, error_code: str | None = None) -> None:
        """Record a state change with its time, as the MDR and the next callback show it."""
        moment = now()
        self.state = state
        self.updated_at = moment
        if state == "sent":
            self.sent_at = moment
        if state in ("delivered", "undelivered"):
            self.delivery_report_at = moment
        self.error_code = "000" if state == "delivered" and self.direction == "outbound" else error_code

    def mdr(self) -> JsonObject:
        """The message object of ``GET /Message/{uuid}/`` and of message lists."""
        return {
            "error_code": self.error_code,
            "error_message": "",
            "from_number": self.from_number,
            "message_direction": self.direction,
            "message_state": self.state,
            "message_time": plivo_time(self.created_at),
            "message_type": self.message_type,
            "message_uuid": self.uuid,
            "resource_uri": self.resource_uri,
            "to_number": self.to_number,
            "total_amount": amount(self.total_amount),
            "total_rate": amount(self.rate),
            "units": self.units,
            "message_sent_time": plivo_time(self.sent_at, precise=True),
            "message_updated_time": plivo_time(self.updated_at, precise=True),
            "powerpack_id": self.powerpack_uuid,
        }

    def media_body(self, media: Media, api_root: str) -> JsonObject:
        """One object of ``GET /Message/{uuid}/Media/``; ``media_url`` points back at the simulator."""
        return {
            "content_type": media.content_type,
            "media_id": media.media_id,
            "media_url": f"{api_root}{self.resource_uri.lstrip('/')}Media/{media.media_id}/",
            "message_uuid": self.uuid,
            "size": 0,
            "source_url": media.source_url,
        }

    def status_callback(self, sequence: int) -> dict[str, str]:
        """The form Plivo posts to the ``url`` given at send time; ``sequence`` orders the callbacks."""
        params = {
            "MessageUUID": self.uuid,
            "ParentMessageUUID": self.uuid,
            "From": self.from_number,
            "To": self.to_number,
            "Type": self.message_type,
            "Status": self.state,
            "Units": str(self.units),
            "TotalRate": amount(self.rate),
            "TotalAmount": amount(self.total_amount),
            "MCC": "",
            "MNC": "",
            "Sequence": str(sequence),
            "MessageTime": callback_time(self.created_at),
            "QueuedTime": callback_time(self.created_at),
            "SentTime": callback_time(self.sent_at),
            "DeliveryReportTime": callback_time(self.delivery_report_at),
            "PowerpackUUID": self.powerpack_uuid or "",
            "requester_ip": "127.0.0.1",
        }
        if self.state in ("failed", "undelivered") and self.error_code:
            params["ErrorCode"] = self.error_code
        return params

    def inbound_callback(self, intent: str) -> dict[str, str]:
        """The form Plivo posts to the receiving number's application ``message_url``."""
        params = {
            "MessageUUID": self.uuid,
            "From": self.from_number,
            "To": self.to_number,
            "Type": self.message_type,
            "Units": str(self.units),
            "TotalRate": amount(self.rate),
            "TotalAmount": amount(self.total_amount),
            "MessageIntent": intent,
            "PowerpackUUID": self.powerpack_uuid or "",
        }
        if self.message_type == "mms":
            params["Body"] = self.text
            params["MediaCount"] = str(len(self.media))
            for position, media in enumerate(self.media, start=1):
                params[f"Media{position}"] = media.source_url
        else:
            params["Text"] = self.text
        return params

    def sandbox_view(self) -> JsonObject:
        """The simulator-only view (with the text, which Plivo's API never returns) for the phones UI."""
        return {
            **self.mdr(),
            "text": self.text,
            "owner_auth_id": self.owner_auth_id,
            "media_urls": [media.source_url for media in self.media],
            "callback_url": self.callback_url,
        }


@dataclass(frozen=True)
class DeliveryOutcome:
    """How the simulated carrier ends an outbound message to one number."""

    state: FinalState = "delivered"
    error_code: str | None = None


@dataclass
class Application:
    """A Plivo application: where calls and inbound messages to its numbers are forwarded."""

    app_id: str
    owner_auth_id: str
    app_name: str
    answer_url: str | None = None
    answer_method: str = "POST"
    hangup_url: str | None = None
    hangup_method: str = "POST"
    fallback_answer_url: str | None = None
    fallback_method: str = "POST"
    message_url: str | None = None
    message_method: str = "POST"
    default_number_app: bool = False
    default_endpoint_app: bool = False
    public_uri: bool = False
    log_incoming_messages: bool = True
    subaccount: str | None = None

    def body(self) -> JsonObject:
        """The application object of ``GET /Application/{app_id}/``."""
        return {
            "answer_method": self.answer_method,
            "answer_url": self.answer_url,
            "app_id": self.app_id,
            "app_name": self.app_name,
            "default_app": self.default_number_app,
            "default_endpoint_app": self.default_endpoint_app,
            "enabled": True,
            "fallback_answer_url": self.fallback_answer_url,
            "fallback_method": self.fallback_method,
            "hangup_method": self.hangup_method,
            "hangup_url": self.hangup_url,
            "log_incoming_messages": self.log_incoming_messages,
            "message_method": self.message_method,
            "message_url": self.message_url,
            "public_uri": self.public_uri,
            "resource_uri": f"/v1/Account/{self.owner_auth_id}/Application/{self.app_id}/",
            "sip_uri": f"sip:{self.app_id}@app.plivo.com",
            "sub_account": self.subaccount,
        }


@dataclass
class RentedNumber:
    """A number an account rents; its application decides where inbound messages go."""

    number: str
    owner_auth_id: str
    number_type: str
    country: str
    region: str
    monthly_rate: Decimal
    app_id: str | None = None
    alias: str | None = None
    subaccount: str | None = None
    added_on: date = field(default_factory=lambda: now().date())

    def body(self) -> JsonObject:
        """The number object of ``GET /Number/{number}/``."""
        return {
            "added_on": self.added_on.isoformat(),
            "active": True,
            "alias": self.alias,
            "application": (
                None
                if self.app_id is None
                else f"/v1/Account/{self.owner_auth_id}/Application/{self.app_id}/"
            ),
            "carrier": "Plivo",
            "city": self.region,
            "country": self.country,
            "mms_enabled": True,
            "mms_rate": "0.00000",
            "monthly_rental_rate": amount(self.monthly_rate),
            "number": self.number,
            "number_type": self.number_type,
            "region": self.region,
            "renewal_date": (self.added_on + timedelta(days=30)).isoformat(),
            "resource_uri": f"/v1/Account/{self.owner_auth_id}/Number/{self.number}/",
            "sms_enabled": True,
            "sms_rate": "0.00000",
            "sub_account": self.subaccount,
            "voice_enabled": True,
            "voice_rate": "0.00850",
        }


CallStatus = Literal["in-progress", "completed"]


@dataclass
class Call:
    """An outbound call; the simulator answers at once and keeps it live until it is hung up."""

    call_uuid: str
    owner_auth_id: str
    from_number: str
    to_number: str
    answer_url: str
    answer_method: str
    hangup_url: str | None
    hangup_method: str
    caller_name: str
    rate: Decimal
    status: CallStatus = "in-progress"
    initiated_at: datetime = field(default_factory=now)
    ended_at: datetime | None = None

    @property
    def duration(self) -> int:
        """Whole seconds between answer and hangup (0 while live)."""
        if self.ended_at is None:
            return 0
        return int((self.ended_at - self.initiated_at).total_seconds())

    def live_body(self) -> JsonObject:
        """The live call object of ``GET /Call/{uuid}/?status=live``."""
        return {
            "call_status": self.status,
            "call_uuid": self.call_uuid,
            "caller_name": self.caller_name,
            "direction": "outbound",
            "from": self.from_number,
            "request_uuid": self.call_uuid,
            "session_start": callback_time(self.initiated_at),
            "to": self.to_number,
        }

    def cdr(self) -> JsonObject:
        """The call detail record of ``GET /Call/{uuid}/`` once the call has ended."""
        billed_minutes = -(-self.duration // 60)
        return {
            "answer_time": plivo_time(self.initiated_at),
            "bill_duration": self.duration,
            "billed_duration": billed_minutes * 60,
            "call_direction": "outbound",
            "call_duration": self.duration,
            "call_uuid": self.call_uuid,
            "end_time": plivo_time(self.ended_at),
            "from_number": self.from_number,
            "initiation_time": plivo_time(self.initiated_at),
            "parent_call_uuid": None,
            "resource_uri": f"/v1/Account/{self.owner_auth_id}/Call/{self.call_uuid}/",
            "to_number": self.to_number,
            "total_amount": amount(self.rate * billed_minutes),
            "total_rate": amount(self.rate),
        }

    def event(self, event: str) -> dict[str, str]:
        """The form Plivo sends to the answer and hangup URLs (``Event`` says which)."""
        return {
            "CallUUID": self.call_uuid,
            "RequestUUID": self.call_uuid,
            "ALegUUID": self.call_uuid,
            "ALegRequestUUID": self.call_uuid,
            "From": self.from_number,
            "To": self.to_number,
            "Direction": "outbound",
            "CallStatus": self.status,
            "BillRate": amount(self.rate),
            "ParentAuthID": self.owner_auth_id,
            "SessionStart": callback_time(self.initiated_at),
            "Event": event,
        }


@dataclass
class CallbackAttempt:
    """One HTTP request the simulator made to a user's server, kept so tests and the UI can see it."""

    kind: Literal["message_status", "inbound_message", "call"]
    url: str
    method: str
    params: dict[str, str]
    headers: dict[str, str]
    attempt: int
    status_code: int | None = None
    error: str | None = None
    at: datetime = field(default_factory=now)

    @property
    def succeeded(self) -> bool:
        """Plivo counts any 2xx answer as delivered."""
        return self.status_code is not None and 200 <= self.status_code < 300

    def body(self) -> JsonObject:
        """The control API's view of the attempt."""
        return {
            "kind": self.kind,
            "url": self.url,
            "method": self.method,
            "params": self.params,
            "headers": self.headers,
            "attempt": self.attempt,
            "status_code": self.status_code,
            "error": self.error,
            "at": plivo_time(self.at, precise=True),
        }
