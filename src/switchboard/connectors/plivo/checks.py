"""Answers computed here, without calling Plivo: is this a phone number, and how many units is this text.

Useful before a send (branch on ``valid``, warn when a text costs several units) and in the builder. They
belong to the Plivo connector because they apply Plivo's own rules (E.164 without ``+`` in Plivo's
records, Plivo's 1600/737 character limits).
"""

from __future__ import annotations

from typing import Annotated, Literal

import phonenumbers
from pydantic import AfterValidator, Field

from switchboard.connectors.base import Input, Output

from . import addresses
from .connector import connector
from .numbers import InvalidPhoneNumber, UnknownRegion, normalise_e164
from .segments import MAX_GSM7_CHARACTERS, MAX_UCS2_CHARACTERS
from .segments import count_segments as split_text

NUMBER_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE: "mobile",
    phonenumbers.PhoneNumberType.FIXED_LINE: "fixed",
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE: "fixed_or_mobile",
    phonenumbers.PhoneNumberType.TOLL_FREE: "toll_free",
    phonenumbers.PhoneNumberType.PREMIUM_RATE: "premium_rate",
    phonenumbers.PhoneNumberType.VOIP: "voip",
    phonenumbers.PhoneNumberType.SHARED_COST: "shared_cost",
    phonenumbers.PhoneNumberType.PERSONAL_NUMBER: "personal",
    phonenumbers.PhoneNumberType.PAGER: "pager",
    phonenumbers.PhoneNumberType.UAN: "uan",
    phonenumbers.PhoneNumberType.VOICEMAIL: "voicemail",
}


def _known_region(region: str | None) -> str | None:
    if region is None:
        return None
    code = region.strip().upper()
    if code not in phonenumbers.SUPPORTED_REGIONS:
        raise UnknownRegion(region)
    return code


class ValidateNumber(Input):
    """A number to check."""

    number: str = Field(
        description="The number: E.164 (+447700900123; '+' may be left out), or national with default_region."
    )
    default_region: Annotated[str | None, AfterValidator(_known_region)] = Field(
        default=None, description="ISO country code (GB, US...) for numbers written without a country code."
    )


class NumberCheck(Output):
    """Whether the number is valid, and its forms when it is."""

    valid: bool
    e164: str | None = Field(default=None, description="+447700900123")
    plivo_number: str | None = Field(default=None, description="As Plivo writes it: 447700900123")
    national: str | None = None
    international: str | None = None
    country_code: int | None = None
    region: str | None = Field(default=None, description="ISO country code.")
    number_type: str | None = Field(default=None, description="mobile, fixed, toll_free, voip...")
    reason: str | None = Field(default=None, description="Why it is not valid.")


@connector.operation("validate_number", title="Validate a phone number", repeat_safe=True, needs_auth=False)
async def validate_number(data: ValidateNumber) -> NumberCheck:
    """Check a phone number and give its E.164, Plivo and display forms; calls no API."""
    try:
        if data.default_region is None:
            e164 = addresses.e164(data.number)
        else:
            e164 = normalise_e164(data.number, data.default_region)
    except InvalidPhoneNumber as invalid:
        return NumberCheck(valid=False, reason=str(invalid))
    parsed = phonenumbers.parse(e164)
    return NumberCheck(
        valid=True,
        e164=e164,
        plivo_number=e164.removeprefix("+"),
        national=phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL),
        international=phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL),
        country_code=parsed.country_code,
        region=phonenumbers.region_code_for_number(parsed),
        number_type=NUMBER_TYPES.get(phonenumbers.number_type(parsed), "unknown"),
    )


class CountSegments(Input):
    """A text to measure."""

    text: str = Field(description="The text as it would be sent.")


class SegmentCount(Output):
    """How Plivo would send and bill the text."""

    encoding: Literal["GSM-7", "UCS-2"] = Field(description="UCS-2 as soon as one character is not GSM-7.")
    units: int = Field(description="Units (segments) billed per destination.")
    length: int = Field(description="Septets (GSM-7) or UTF-16 code units (UCS-2).")
    characters: int = Field(description="Characters as Plivo's length limit counts them.")
    per_unit: int = Field(description="Room in each unit: 160/70 for one unit, 153/67 when split.")
    remaining: int = Field(description="Room left in the last unit.")
    parts: list[str] = Field(description="The text of each unit.")
    limit: int = Field(description="The most characters Plivo accepts in this encoding (1600 or 737).")
    too_long: bool = Field(description="True when Plivo would refuse the text.")


@connector.operation("count_segments", title="Count SMS segments", repeat_safe=True, needs_auth=False)
async def count_segments(data: CountSegments) -> SegmentCount:
    """Tell the encoding of a text and how many units it is sent and billed as; calls no API."""
    segments = split_text(data.text)
    limit = MAX_GSM7_CHARACTERS if segments.encoding == "GSM-7" else MAX_UCS2_CHARACTERS
    return SegmentCount(
        encoding=segments.encoding,
        units=segments.units,
        length=segments.length,
        characters=segments.characters,
        per_unit=segments.capacity,
        remaining=segments.remaining,
        parts=list(segments.parts),
        limit=limit,
        too_long=segments.characters > limit,
    )
