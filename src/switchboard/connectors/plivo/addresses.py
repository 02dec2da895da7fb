"""Which senders and destinations a send may carry, checked before anything reaches Plivo.

The rule, chosen to refuse locally exactly what Plivo would refuse, with a clearer error, and to let
through what Plivo would partly accept:

* **Malformed** input is refused, whatever the number of destinations: after removing the punctuation
  Plivo ignores (spaces, ``- . / ( )``), a destination must be digits with an optional leading ``+``, at
  most 15 of them (E.164's maximum). ``+`` may be left out because Plivo itself writes numbers without
  it (a callback's ``From`` can be the next message's ``dst``).
* **One destination** must also be a valid number (phonenumbers): Plivo would answer 400 for the whole
  request, so the step fails here instead, naming the number and the field.
* **Several destinations**: well-formed numbers that are not valid are still sent. Plivo queues the
  valid ones and lists the others in ``invalid_number``; that partial success stays visible in the
  step's output. Only when none of them is valid is the request refused (Plivo would answer 400).

A sender is a phone number (checked like a single destination), a short code (3 to 8 digits), or an
alphanumeric sender ID (up to 11 letters, digits and spaces, at least one letter).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from pydantic import WithJsonSchema

from .numbers import (
    DESTINATION_SEPARATOR,
    E164_EXAMPLE,
    InvalidPhoneNumber,
    normalise_e164,
    split_destinations,
)

IGNORED_PUNCTUATION = re.compile(r"[\s\-./()]")
"""What Plivo strips from numbers before reading them."""
WELL_FORMED = re.compile(r"^\+?\d{1,15}$")
SHORT_CODE = re.compile(r"^\d{3,8}$")
SENDER_ID = re.compile(r"^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$")

ONE_OR_MANY = WithJsonSchema(
    {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}, "minItems": 1}]}
)
"""The schema of a field taking one number, several joined with ``<``, or a list."""


def as_list(value: Any) -> Any:
    """Let one string stand for a list (its ``<``-joined numbers are split when checked)."""
    return [value] if isinstance(value, str) else value


def e164(number: str) -> str:
    """The number in E.164 (``+14155550100``), ``+`` optional on input; raises InvalidPhoneNumber."""
    valid = _valid_e164(_well_formed(number))
    if valid is None:
        raise InvalidPhoneNumber(number)
    return valid


def destinations(given: str | Iterable[str]) -> list[str]:
    """Check the destinations of one send (a list, or numbers joined with ``<``) by the rule above.

    Returns them in E.164; a well-formed number that is not valid is kept as ``+`` and its digits, for
    Plivo to judge.
    """
    numbers = split_destinations(given)
    if not numbers:
        raise ValueError(f"at least one destination number is needed (E.164, e.g. {E164_EXAMPLE})")
    checked: list[str] = []
    invalid: list[str] = []
    for number in numbers:
        written = _well_formed(number)
        valid = _valid_e164(written)
        if valid is None:
            invalid.append(number)
        checked.append(valid or written)
    if len(numbers) == 1 and invalid:
        raise InvalidPhoneNumber(invalid[0])
    if len(invalid) == len(numbers):
        listed = ", ".join(repr(number) for number in invalid)
        raise ValueError(
            f"none of the destinations is a valid phone number: {listed} (E.164, e.g. {E164_EXAMPLE})"
        )
    return checked


def joined(numbers: Iterable[str]) -> str:
    """Destinations as Plivo's ``dst`` (and ``to``) take several: joined with ``<``."""
    return DESTINATION_SEPARATOR.join(numbers)


def sender(given: str) -> str:
    """Check a ``src``: a phone number (returned in E.164), a short code or an alphanumeric sender ID."""
    cleaned = IGNORED_PUNCTUATION.sub("", given)
    if cleaned.startswith("+"):
        return e164(given)
    if cleaned.isdigit():
        valid = _valid_e164(_well_formed(given)) if len(cleaned) <= 15 else None
        if valid is not None:
            return valid
        if SHORT_CODE.match(cleaned):
            return cleaned
        raise InvalidPhoneNumber(given)
    if SENDER_ID.match(given.strip()):
        return given.strip()
    raise ValueError(
        f"{given!r} is neither a phone number (E.164, e.g. {E164_EXAMPLE}), a short code, nor an "
        "alphanumeric sender ID (at most 11 letters, digits and spaces)"
    )


def plivo_digits(number: str) -> str:
    """A number as Plivo writes it in paths, lists and callbacks: digits, no ``+``; raises ValueError."""
    return _well_formed(number).removeprefix("+")


def _well_formed(number: str) -> str:
    """``+`` and the digits of a number written with Plivo's punctuation, else InvalidPhoneNumber."""
    cleaned = IGNORED_PUNCTUATION.sub("", number)
    if not WELL_FORMED.match(cleaned):
        raise InvalidPhoneNumber(number)
    return "+" + cleaned.removeprefix("+")


def _valid_e164(written: str) -> str | None:
    """The E.164 form of a well-formed number, or None when it is not a valid number."""
    try:
        return normalise_e164(written)
    except InvalidPhoneNumber:
        return None
