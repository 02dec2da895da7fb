"""`date-time-helpers`: read, format, shift and compare dates, in any time zone.

Dates are read from ISO 8601 (`2024-05-01T09:30:00Z`), RFC 2822 (`Wed, 01 May 2024 09:30:00 +0000`),
unix seconds (a number, or text of digits), free text (`5 March 2024 5pm`) or an explicit strptime
`format`. A date without an offset is read in the step's `time_zone` (UTC unless given). Results
are ISO 8601 under `result`, with the date's parts beside it.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta, tzinfo
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, PlainValidator, WithJsonSchema

from switchboard.connectors.base import Connector, Input, Output
from switchboard.connectors.date_time_helpers.arithmetic import Unit, difference, shift
from switchboard.connectors.date_time_helpers.reading import date_value, format_date, read_date
from switchboard.connectors.date_time_helpers.zones import find_zone, zone_name

connector = Connector(
    "date-time-helpers",
    title="Date & Time Helpers",
    description="Read, format, shift and compare dates and times, in any time zone.",
)


def _zone(name: str) -> str:
    find_zone(name)
    return name


def _amount(value: Any) -> int | float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"must be a number, not {type(value).__name__ if value is not None else 'null'}")
    if not math.isfinite(value):
        raise ValueError(f"must be a finite number, not {value}")
    return value


Zone = Annotated[
    str, AfterValidator(_zone), Field(examples=["UTC", "Europe/London", "America/New_York", "+05:30"])
]
"""An IANA time zone name or a UTC offset; an unknown one is an error that suggests the closest."""

DateValue = Annotated[
    str | int | float,
    PlainValidator(date_value),
    WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "number"}]}),
    Field(examples=["2024-05-01T09:30:00Z", 1714555800]),
]
"""A date as text or as unix seconds."""

Amount = Annotated[int | float, PlainValidator(_amount), WithJsonSchema({"type": "number"})]

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")  # fmt: skip


class DateParts(Output):
    result: str = Field(description="The date in ISO 8601, with its UTC offset.")
    date: str = Field(description="YYYY-MM-DD")
    time: str = Field(description="HH:MM:SS")
    year: int
    month: int = Field(description="1 for January.")
    day: int
    hour: int
    minute: int
    second: int
    microsecond: int
    weekday: int = Field(description="1 for Monday to 7 for Sunday (ISO 8601).")
    weekday_name: str
    month_name: str
    day_of_year: int
    week: int = Field(description="The ISO 8601 week number.")
    time_zone: str
    utc_offset: str = Field(description="+HH:MM")
    unix_timestamp: int | float = Field(description="Seconds since 1970-01-01T00:00:00Z.")


def describe(moment: datetime, result: str | None = None) -> DateParts:
    """The parts of a date, as later steps read them."""
    calendar_date = moment.isocalendar()
    unix = moment.timestamp()
    return DateParts(
        result=moment.isoformat() if result is None else result,
        date=moment.date().isoformat(),
        time=moment.strftime("%H:%M:%S"),
        year=moment.year,
        month=moment.month,
        day=moment.day,
        hour=moment.hour,
        minute=moment.minute,
        second=moment.second,
        microsecond=moment.microsecond,
        weekday=calendar_date.weekday,
        weekday_name=WEEKDAYS[moment.weekday()],
        month_name=MONTHS[moment.month - 1],
        day_of_year=moment.timetuple().tm_yday,
        week=calendar_date.week,
        time_zone=zone_name(moment.tzinfo),
        utc_offset=_offset(moment),
        unix_timestamp=int(unix) if unix.is_integer() else unix,
    )


def _offset(moment: datetime) -> str:
    offset = moment.utcoffset() or timedelta(0)
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _now(zone: tzinfo) -> datetime:
    return datetime.now(zone)


class CurrentTimestamp(Input):
    time_zone: Zone = "UTC"
    format: str | None = Field(None, description="strftime codes, e.g. `%d/%m/%Y %H:%M`; ISO 8601 if unset.")


@connector.operation("current_timestamp", title="Current timestamp", repeat_safe=True)
async def current_timestamp(data: CurrentTimestamp) -> DateParts:
    """The date and time now, in `time_zone`."""
    moment = _now(find_zone(data.time_zone))
    return describe(moment, format_date(moment, data.format) if data.format is not None else None)


class Parse(Input):
    date: DateValue
    format: str | None = Field(
        None, description="strptime codes the date is written in, e.g. `%d/%m/%Y`; detected if unset."
    )
    time_zone: Zone = Field("UTC", description="The zone of a date written without an offset.")
    day_first: bool = Field(False, description="Read free text such as 01/02/2024 as 1 February.")


@connector.operation("parse", title="Parse a date", repeat_safe=True)
async def parse(data: Parse) -> DateParts:
    """Read a date and give it in ISO 8601 with its parts (year, month, weekday, unix timestamp...)."""
    zone = find_zone(data.time_zone)
    return describe(read_date(data.date, zone, format=data.format, day_first=data.day_first))


class FormatDate(Input):
    date: DateValue
    format: str = Field(description="strftime codes, e.g. `%A %d %B %Y, %H:%M` or `%Y-%m-%d`.")
    time_zone: Zone | None = Field(
        None,
        description="Show the date in this zone; a date without an offset is read in it. "
        "Unset: the date's own offset (UTC for a date without one).",
    )
    input_format: str | None = Field(
        None, description="strptime codes to read the date with; detected if unset."
    )


class TextResult(Output):
    result: str


@connector.operation("format", title="Format a date", repeat_safe=True)
async def format_(data: FormatDate) -> TextResult:
    """Write a date with strftime codes (`%d/%m/%Y` gives 01/05/2024)."""
    zone = find_zone(data.time_zone or "UTC")
    moment = read_date(data.date, zone, format=data.input_format)
    if data.time_zone is not None:
        moment = moment.astimezone(zone)
    return TextResult(result=format_date(moment, data.format))


class Shift(Input):
    date: DateValue
    amount: Amount = Field(description="How many units; months and years must be whole.")
    unit: Unit = "days"
    time_zone: Zone = Field("UTC", description="The zone of a date written without an offset.")


@connector.operation("plus", title="Add to a date", repeat_safe=True)
async def plus(data: Shift) -> DateParts:
    """The date `amount` units later; a month from 31 January is the last day of February."""
    moment = read_date(data.date, find_zone(data.time_zone))
    return describe(shift(moment, data.amount, data.unit))


@connector.operation("minus", title="Subtract from a date", repeat_safe=True)
async def minus(data: Shift) -> DateParts:
    """The date `amount` units earlier; a month before 31 March is the last day of February."""
    moment = read_date(data.date, find_zone(data.time_zone))
    return describe(shift(moment, -data.amount, data.unit))


class CompareDates(Input):
    first_date: DateValue
    second_date: DateValue
    unit: Unit = Field("seconds", description="The unit of `difference`; months and years count whole ones.")
    time_zone: Zone = Field("UTC", description="The zone of a date written without an offset.")


class Comparison(Output):
    result: Literal["before", "after", "equal"] = Field(
        description="Where the first date is, next to the second."
    )
    difference: int | float = Field(
        description="How much later the second date is than the first, in `unit` (negative if earlier)."
    )


@connector.operation("compare_dates", title="Compare dates", repeat_safe=True)
async def compare_dates(data: CompareDates) -> Comparison:
    """Whether the first date is before, after or equal to the second, and the time between them."""
    zone = find_zone(data.time_zone)
    first = read_date(data.first_date, zone, where="input.first_date")
    second = read_date(data.second_date, zone, where="input.second_date")
    result: Literal["before", "after", "equal"] = (
        "before" if first < second else "after" if first > second else "equal"
    )
    return Comparison(result=result, difference=difference(first, second, data.unit))


class ConvertTimeZone(Input):
    date: DateValue
    to_time_zone: Zone
    from_time_zone: Zone = Field("UTC", description="The zone of a date written without an offset.")


@connector.operation("convert_time_zone", title="Convert time zone", repeat_safe=True)
async def convert_time_zone(data: ConvertTimeZone) -> DateParts:
    """The same moment as the clocks in another zone show it."""
    moment = read_date(data.date, find_zone(data.from_time_zone))
    return describe(moment.astimezone(find_zone(data.to_time_zone)))
