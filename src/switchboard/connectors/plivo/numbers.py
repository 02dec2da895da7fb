"""Phone numbers as Plivo wants them: validated E.164, and Plivo's own ``<``-joined destination lists.

A workflow author types numbers in many shapes (``(415) 555-2671``, ``+44 7911 123456``); Plivo wants
E.164 and silently strips punctuation, then rejects what is not a number with a terse 400. Checking
before sending gives an error that names the bad number and says what was expected.
Plivo reports numbers without the ``+`` (``14155552671``) in messages, callbacks and number lists.
"""

import functools
from collections.abc import Iterable

import phonenumbers

E164_EXAMPLE = "+14155552671"
"""The example shown in errors; it must itself be a valid number."""

DESTINATION_SEPARATOR = "<"
"""Plivo joins the destinations of one bulk message with ``<``."""


class InvalidPhoneNumber(ValueError):
    """A value that is not a valid phone number in E.164 form (nor in the default region's form)."""

    def __init__(self, number: str) -> None:
        self.number = number
        super().__init__(f"{number!r} is not a valid phone number (E.164 expected, e.g. {E164_EXAMPLE})")


class UnknownRegion(ValueError):
    """A default region that is not an ISO 3166-1 alpha-2 code phonenumbers knows (e.g. ``GB``)."""

    def __init__(self, region: str) -> None:
        self.region = region
        super().__init__(f"{region!r} is not a known region code (ISO 3166-1 alpha-2 expected, e.g. GB)")


@functools.lru_cache(maxsize=65_536)
def normalise_e164(number: str, default_region: str | None = None) -> str:
    """Return the number in E.164 form (``+14155552671``), or raise InvalidPhoneNumber.

    Cached per distinct number: workflows send to the same numbers again and again, and parsing one
    with phonenumbers costs about a hundred microseconds (refusals are not cached, and stay cheap).

    Without ``default_region`` the number must start with ``+`` and a country code; with it (``US``,
    ``GB``…) national forms such as ``(415) 555-2671`` are read as that region's numbers. Extensions
    are dropped, as SMS cannot address them.
    """
    region = _checked_region(default_region)
    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException as error:
        raise InvalidPhoneNumber(number) from error
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidPhoneNumber(number)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def is_valid_number(number: str, default_region: str | None = None) -> bool:
    """Tell whether ``normalise_e164`` would accept the number."""
    try:
        normalise_e164(number, default_region)
    except InvalidPhoneNumber:
        return False
    return True


def plivo_number(number: str, default_region: str | None = None) -> str:
    """Return the number the way Plivo writes it in responses and callbacks: E.164 digits, no ``+``."""
    return normalise_e164(number, default_region).removeprefix("+")


def split_destinations(destinations: str | Iterable[str]) -> list[str]:
    """Split a Plivo ``dst`` value (``14155550101<14155550102``, or a list) into single numbers."""
    values = [destinations] if isinstance(destinations, str) else list(destinations)
    return [part.strip() for value in values for part in value.split(DESTINATION_SEPARATOR) if part.strip()]


def normalise_destinations(destinations: str | Iterable[str], default_region: str | None = None) -> str:
    """Validate every destination and join them the way Plivo's ``dst`` expects (``+1415…<+1415…``).

    Raises InvalidPhoneNumber for the first bad number, or for an empty list.
    """
    numbers = split_destinations(destinations)
    if not numbers:
        raise InvalidPhoneNumber(destinations if isinstance(destinations, str) else "")
    return DESTINATION_SEPARATOR.join(normalise_e164(number, default_region) for number in numbers)


def _checked_region(default_region: str | None) -> str | None:
    if default_region is None:
        return None
    region = default_region.strip().upper()
    if region not in phonenumbers.SUPPORTED_REGIONS:
        raise UnknownRegion(default_region)
    return region
