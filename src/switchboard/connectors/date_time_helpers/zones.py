"""Time zones by IANA name (`Europe/London`) or fixed offset (`+05:30`), from the zoneinfo database."""

from __future__ import annotations

import re
from datetime import UTC, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

from switchboard.connectors.registry import suggestion

_OFFSET = re.compile(r"(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?")


class UnknownZone(ValueError):
    """A time zone name that is neither an IANA zone nor an offset; the message suggests one."""


@lru_cache(maxsize=1)
def _known_zones() -> dict[str, str]:
    """Every IANA zone name, by its lower-case spelling."""
    return {name.lower(): name for name in available_timezones()}


@lru_cache(maxsize=512)
def find_zone(name: str) -> tzinfo:
    """The zone called `name`: `UTC`, an IANA name (any letter case) or an offset such as `-03:00`."""
    text = name.strip()
    if text.upper() in ("UTC", "Z", "GMT"):
        return UTC
    offset = _OFFSET.fullmatch(text)
    if offset:
        sign, hours, minutes = offset.groups()
        delta = timedelta(hours=int(hours), minutes=int(minutes or 0))
        if delta >= timedelta(hours=24):
            raise UnknownZone(f"{name!r} is not a valid UTC offset (at most ±23:59)")
        return timezone(-delta if sign == "-" else delta)
    key = _known_zones().get(text.lower())
    if key is None:
        hint = suggestion(text, _known_zones().values())
        raise UnknownZone(
            f"unknown time zone {name!r}{hint}; use an IANA name such as Europe/London, or +02:00"
        )
    return ZoneInfo(key)


def zone_name(zone: tzinfo | None) -> str:
    """How a result names its zone: the IANA key, or UTC, or the offset."""
    if isinstance(zone, ZoneInfo):
        return zone.key
    if zone is UTC or zone is None:
        return "UTC"
    return str(zone)
