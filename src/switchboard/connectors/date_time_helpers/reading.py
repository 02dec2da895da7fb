"""Reading dates from what workflows carry: ISO 8601, RFC 2822 (e-mail), unix seconds, free text.

Every date read here is time-zone aware: a date written without an offset is placed in the zone
the operation was given, so arithmetic and comparisons never mix naive and aware times.
"""

from __future__ import annotations

import math
import re
import warnings
from datetime import UTC, datetime, tzinfo
from email.utils import parsedate_to_datetime
from typing import Any

from dateutil import parser as free_form  # free-form dates ("5 March 2024 5pm")

from switchboard.errors import OperationFailed

_UNIX = re.compile(r"[+-]?\d+(?:\.\d+)?")
EXPECTED = (
    "expected ISO 8601 (2024-05-01T09:30:00Z), RFC 2822 (Wed, 01 May 2024 09:30:00 +0000), "
    "unix seconds, or a format in input.format"
)


def date_value(value: Any) -> str | int | float:
    """Pydantic validator for a date input: text or unix seconds; booleans and containers refused."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        kind = "a boolean" if isinstance(value, bool) else "null" if value is None else type(value).__name__
        raise ValueError(f"must be a date as text or unix seconds, not {kind}")
    return value


def read_date(
    value: str | int | float,
    zone: tzinfo,
    *,
    format: str | None = None,
    day_first: bool = False,
    where: str = "input.date",
) -> datetime:
    """The moment `value` names; without an offset of its own it is read as a time in `zone`."""
    if isinstance(value, (int, float)):
        return _from_unix(value, zone, where)
    if format is not None:
        try:
            moment = datetime.strptime(value, format)
        except ValueError as exc:
            raise OperationFailed(
                f"{where}: {value!r} does not match input.format {format!r}: {exc}"
            ) from None
        return _place(moment, zone)
    text = value.strip()
    if not text:
        raise OperationFailed(f"{where}: is empty; {EXPECTED}")
    found = _read_text(text, zone, day_first, where)
    if found is None:
        raise OperationFailed(f"{where}: {value!r} is not a date I can read; {EXPECTED}")
    return _place(found, zone)


def _read_text(text: str, zone: tzinfo, day_first: bool, where: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    if _UNIX.fullmatch(text):
        return _from_unix(float(text) if "." in text else int(text), zone, where)
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        pass
    default = datetime.now(zone).replace(
        month=1, day=1, hour=0, minute=0, second=0, microsecond=0, tzinfo=None
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an unknown zone abbreviation ("EST") must not be silently dropped
        try:
            parsed: datetime = free_form.parse(text, dayfirst=day_first, default=default)
        except (ValueError, OverflowError, Warning):
            return None
    return parsed


def _from_unix(seconds: int | float, zone: tzinfo, where: str) -> datetime:
    if isinstance(seconds, float) and not math.isfinite(seconds):
        raise OperationFailed(f"{where}: {seconds} is not a unix timestamp")
    try:
        return datetime.fromtimestamp(seconds, UTC).astimezone(zone)
    except (OverflowError, OSError, ValueError):
        raise OperationFailed(
            f"{where}: {seconds} is out of range for a unix timestamp in seconds "
            "(divide a timestamp in milliseconds by 1000)"
        ) from None


def _place(moment: datetime, zone: tzinfo) -> datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=zone)
    return moment


def format_date(moment: datetime, format: str, where: str = "input.format") -> str:
    """`moment` written with strftime codes (`%Y-%m-%d %H:%M`)."""
    if "%" not in format and re.search(r"[A-Za-z]", format):
        raise OperationFailed(
            f"{where}: {format!r} has no strftime codes; write e.g. %Y-%m-%d for YYYY-MM-DD "
            "(%H hours, %M minutes, %S seconds, %d/%m/%Y, %B month name, %A weekday)"
        )
    try:
        return moment.strftime(format)
    except ValueError as exc:
        raise OperationFailed(f"{where}: {format!r} is not a valid strftime format: {exc}") from None
