"""Checking a ``POST /Message/`` request the way Plivo does, before any message is queued.

Rules from reference/plivo.md §2.1: ``src`` xor ``powerpack_uuid``; ``dst`` split on ``<`` after
stripping ``/ - . + ( )`` and spaces, each destination validated on its own (invalid ones are listed in
``invalid_number`` while the others are sent, and a request where every destination is invalid is a 400);
``text`` at most 1600 GSM-7 or 737 UCS-2 characters; media only for MMS (at most 10).
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from switchboard.connectors.plivo.segments import TextTooLong, check_text_length
from switchboard.sim.plivo import params
from switchboard.sim.plivo.errors import (
    ALL_DESTINATIONS_INVALID,
    GSM7_TOO_LONG,
    UCS2_TOO_LONG,
    bad_request,
    invalid_number,
)
from switchboard.sim.plivo.inventory import parse_plivo_number
from switchboard.sim.plivo.records import Account, MessageType
from switchboard.sim.plivo.settings import PlivoSimSettings
from switchboard.sim.plivo.state import PlivoSimState

MAX_MEDIA = 10
MAX_NUMBER_LENGTH = 14
MAX_SENDER_ID_LENGTH = 11
DEFAULT_EXPIRY_SECONDS = 10_800

_DESTINATION_PUNCTUATION = re.compile(r"[/\-.+()\s]")
_NOT_ALPHANUMERIC = re.compile(r"[^A-Za-z0-9]")


@dataclass(frozen=True)
class SendRequest:
    """A send request that passed Plivo's checks: one message will be queued per destination."""

    message_type: MessageType
    source: str
    destinations: list[str]
    invalid_destinations: list[str]
    text: str
    units: int
    rate: Decimal
    media_urls: list[str]
    callback_url: str | None
    callback_method: str
    powerpack_uuid: str | None
    expiry_seconds: int


def read_send_request(state: PlivoSimState, caller: Account, body: params.Params) -> SendRequest:
    """Validate a send request; raise PlivoApiError (400) with Plivo's wording where it is known."""
    message_type = _message_type(body)
    source, powerpack_uuid = _source(state, caller, body)
    destinations, invalid = _destinations(body, source)
    message_text = params.text(body, "text", "") or ""
    media_urls = params.string_list(body, "media_urls")
    media_ids = params.string_list(body, "media_ids")
    if message_type == "sms":
        if not message_text:
            raise bad_request("missing mandatory parameter: text")
        if media_urls or media_ids:
            raise bad_request("media_urls and media_ids can only be sent with type mms")
    elif not media_urls and not media_ids:
        raise bad_request("media_urls or media_ids is required for type mms")
    if len(media_urls) + len(media_ids) > MAX_MEDIA:
        raise bad_request(f"at most {MAX_MEDIA} media can be sent in one message")
    return SendRequest(
        message_type=message_type,
        source=source,
        destinations=destinations,
        invalid_destinations=invalid,
        text=message_text,
        units=_units(message_type, message_text),
        rate=_rate(state.settings, message_type),
        media_urls=media_urls,
        callback_url=params.url(body, "url"),
        callback_method=params.http_method(body, "method"),
        powerpack_uuid=powerpack_uuid,
        expiry_seconds=_expiry(body),
    )


def _message_type(body: params.Params) -> MessageType:
    value = (params.text(body, "type", "sms") or "sms").lower()
    if value == "sms":
        return "sms"
    if value == "mms":
        return "mms"
    if value == "whatsapp":
        raise bad_request("type whatsapp is not supported by the simulator")
    raise bad_request("type must be one of sms, mms, whatsapp")


def _source(state: PlivoSimState, caller: Account, body: params.Params) -> tuple[str, str | None]:
    raw_source = params.text(body, "src")
    powerpack_uuid = params.text(body, "powerpack_uuid")
    if raw_source and powerpack_uuid:
        raise bad_request("specify either src or powerpack_uuid, not both")
    if powerpack_uuid:
        return _powerpack_number(state, caller), powerpack_uuid
    if not raw_source:
        raise bad_request("either src or powerpack_uuid is required")
    source = _NOT_ALPHANUMERIC.sub("", raw_source)
    if source.isdigit() and len(source) <= MAX_NUMBER_LENGTH:
        return source, None
    if source and not source.isdigit() and len(source) <= MAX_SENDER_ID_LENGTH:
        return source, None
    raise bad_request(f"'{raw_source}' is not a valid src.")


def _powerpack_number(state: PlivoSimState, caller: Account) -> str:
    """A powerpack sends from one of the account's numbers; the simulator takes the first."""
    for number in state.numbers.values():
        if state.can_see(caller, number.owner_auth_id, number.subaccount):
            return number.number
    raise bad_request("the powerpack has no numbers to send from")


def _destinations(body: params.Params, source: str) -> tuple[list[str], list[str]]:
    raw = body.get("dst")
    given = "<".join(str(item) for item in raw) if isinstance(raw, list) else params.text(body, "dst")
    if not given or not given.strip():
        raise bad_request("missing mandatory parameter: dst")
    valid: list[str] = []
    invalid: list[str] = []
    for part in given.split("<"):
        number = _DESTINATION_PUNCTUATION.sub("", part)
        if _is_destination(number) and number != source:
            valid.append(number)
        else:
            invalid.append(number)
    if not valid:
        if len(invalid) > 1:
            raise bad_request(ALL_DESTINATIONS_INVALID)
        if invalid[0] == source:
            raise bad_request("destination number is identical to src")
        raise bad_request(invalid_number(invalid[0]))
    return valid, invalid


def _is_destination(number: str) -> bool:
    return number.isdigit() and len(number) <= MAX_NUMBER_LENGTH and parse_plivo_number(number) is not None


def _units(message_type: MessageType, message_text: str) -> int:
    if message_type == "mms":
        return 1
    try:
        return check_text_length(message_text).units
    except TextTooLong as error:
        raise bad_request(UCS2_TOO_LONG if error.encoding == "UCS-2" else GSM7_TOO_LONG) from error


def _rate(settings: PlivoSimSettings, message_type: MessageType) -> Decimal:
    return settings.mms_rate if message_type == "mms" else settings.sms_rate


def _expiry(body: params.Params) -> int:
    raw = params.text(body, "message_expiry")
    if raw is None:
        return DEFAULT_EXPIRY_SECONDS
    if not raw.isdigit() or not 5 <= int(raw) <= DEFAULT_EXPIRY_SECONDS:
        raise bad_request(f"message_expiry must be between 5 and {DEFAULT_EXPIRY_SECONDS} seconds")
    return int(raw)
