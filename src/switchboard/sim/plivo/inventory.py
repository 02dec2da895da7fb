"""The numbers the simulator has for sale, and what it knows about any number (country, type, carrier).

Plivo sells real numbers; the simulator derives a stable stock per country from phonenumbers' example
numbers, so a search always returns valid numbers of the requested country and type, and buying one
takes it out of the stock.
"""

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import phonenumbers
from phonenumbers import PhoneNumberType, carrier, geocoder

NumberKind = Literal["fixed", "mobile", "tollfree"]

STOCK_PER_KIND = 20

_KINDS: dict[NumberKind, int] = {
    "fixed": PhoneNumberType.FIXED_LINE,
    "mobile": PhoneNumberType.MOBILE,
    "tollfree": PhoneNumberType.TOLL_FREE,
}


@dataclass(frozen=True)
class NumberFacts:
    """What Plivo shows about a number: digits without ``+``, kind, country and dialling prefix."""

    number: str
    national: str
    kind: NumberKind
    country: str
    country_iso: str

    @property
    def prefix(self) -> str:
        """The first digits after the country code (the area code in North America)."""
        return self.national[:3]

    @property
    def rented_type(self) -> str:
        """The ``number_type`` of a rented number: Plivo calls fixed numbers ``local``."""
        return "local" if self.kind == "fixed" else self.kind


def parse_plivo_number(number: str) -> phonenumbers.PhoneNumber | None:
    """Read digits written Plivo's way (``14155550100``, ``+`` optional); None when not a valid number."""
    digits = number.strip().removeprefix("+")
    if not digits.isdigit():
        return None
    try:
        parsed = phonenumbers.parse("+" + digits)
    except phonenumbers.NumberParseException:
        return None
    return parsed if phonenumbers.is_valid_number(parsed) else None


def kind_of(parsed: phonenumbers.PhoneNumber) -> NumberKind:
    """Classify a number as Plivo's search does: mobile, toll-free, or fixed (everything else)."""
    number_type = phonenumbers.number_type(parsed)
    if number_type == PhoneNumberType.MOBILE:
        return "mobile"
    if number_type == PhoneNumberType.TOLL_FREE:
        return "tollfree"
    return "fixed"


def facts_about(number: str) -> NumberFacts | None:
    """Describe a number, or None when it is not a valid phone number."""
    parsed = parse_plivo_number(number)
    if parsed is None:
        return None
    national = phonenumbers.national_significant_number(parsed)
    return NumberFacts(
        number=f"{parsed.country_code}{national}",
        national=national,
        kind=kind_of(parsed),
        country=geocoder.country_name_for_number(parsed, "en"),
        country_iso=phonenumbers.region_code_for_number(parsed) or "",
    )


def carrier_name(number: str) -> str:
    """The carrier phonenumbers associates with a mobile number's range (often empty)."""
    parsed = parse_plivo_number(number)
    return "" if parsed is None else carrier.name_for_number(parsed, "en")


def country_name(country_iso: str) -> str | None:
    """The English name of a country from its ISO code, or None when phonenumbers does not know it."""
    example = phonenumbers.example_number(country_iso.upper())
    return None if example is None else geocoder.country_name_for_number(example, "en")


def stock_holding(number: str) -> tuple[NumberFacts, ...]:
    """The stock of the number's country (empty for an invalid number), to check a number is for sale."""
    facts = facts_about(number)
    return () if facts is None else stock(facts.country_iso)


@lru_cache(maxsize=64)
def stock(country_iso: str) -> tuple[NumberFacts, ...]:
    """Every number for sale in a country (before removing rented ones), in a stable order."""
    region = country_iso.upper()
    found: list[NumberFacts] = []
    for kind, number_type in _KINDS.items():
        example = phonenumbers.example_number_for_type(region, number_type)
        if example is None:
            continue
        national = phonenumbers.national_significant_number(example)
        of_kind = 0
        for ending in range(100):
            candidate = f"{example.country_code}{national[:-2]}{ending:02d}"
            facts = facts_about(candidate)
            if facts is not None and facts.kind == kind:
                found.append(facts)
                of_kind += 1
            if of_kind == STOCK_PER_KIND:
                break
    return tuple(found)
