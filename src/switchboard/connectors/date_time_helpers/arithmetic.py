"""Adding to dates and measuring between them, the way a calendar does.

Days, weeks, months and years keep the wall-clock time across a daylight-saving change (9:00
plus one day is 9:00); seconds, minutes and hours are exact elapsed time. Adding months keeps the
day of the month, clamped to the month's last day (31 January plus one month is 29 February).
"""

from __future__ import annotations

import calendar
from datetime import UTC, datetime, timedelta
from typing import Literal

from switchboard.errors import OperationFailed

Unit = Literal["seconds", "minutes", "hours", "days", "weeks", "months", "years"]

_SECONDS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400, "weeks": 604800}


def shift(moment: datetime, amount: int | float, unit: Unit) -> datetime:
    """`moment` moved by `amount` units (negative moves back)."""
    try:
        if unit in ("months", "years"):
            if not float(amount).is_integer():
                raise OperationFailed(f"input.amount: {amount} {unit} is not a whole number of {unit}")
            return _settle(add_months(moment, int(amount) * (12 if unit == "years" else 1)))
        delta = timedelta(seconds=amount * _SECONDS[unit])
        if unit in ("days", "weeks"):
            return _settle(moment + delta)
        return (moment.astimezone(UTC) + delta).astimezone(moment.tzinfo)
    except (OverflowError, ValueError):
        raise OperationFailed(
            f"input.amount: {amount} {unit} from {moment.isoformat()} is outside years 1-9999"
        ) from None


def add_months(moment: datetime, months: int) -> datetime:
    """The same day and time `months` later, or the month's last day when it is shorter."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    if not 1 <= year <= 9999:
        raise ValueError("year out of range")
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def difference(first: datetime, second: datetime, unit: Unit) -> int | float:
    """How much later `second` is than `first`, in `unit`; whole months and years are counted."""
    if unit in ("months", "years"):
        months = months_between(first, second.astimezone(first.tzinfo))
        return months if unit == "months" else int(months / 12)
    seconds = (second - first).total_seconds() / _SECONDS[unit]
    return int(seconds) if seconds.is_integer() else round(seconds, 9)


def months_between(first: datetime, second: datetime) -> int:
    """Whole calendar months from `first` to `second` (negative when `second` is earlier)."""
    months = (second.year - first.year) * 12 + (second.month - first.month)
    if months > 0 and add_months(first, months) > second:
        months -= 1
    elif months < 0 and add_months(first, months) < second:
        months += 1
    return months


def _settle(moment: datetime) -> datetime:
    """A wall-clock time that falls in a daylight-saving gap, moved to the real time it means."""
    return moment.astimezone(UTC).astimezone(moment.tzinfo)
