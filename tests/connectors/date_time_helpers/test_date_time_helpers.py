"""date-time-helpers: each operation's behaviour, its errors on bad input, and its use in workflows."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import available_timezones

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from switchboard.connectors import date_time_helpers
from switchboard.connectors.date_time_helpers.zones import find_zone, zone_name
from switchboard.definition import check_workflow
from switchboard.errors import OperationFailed, WorkflowInvalid

from ...support import RunWorkflow, outputs
from .conftest import REGISTRY, call, result

MAY_DAY = datetime(2024, 5, 1, 9, 30, tzinfo=UTC)


@pytest.fixture
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> datetime:
    """Now is 2024-05-01T09:30:00Z."""
    monkeypatch.setattr(date_time_helpers, "_now", lambda zone: MAY_DAY.astimezone(zone))
    return MAY_DAY


# -- through the engine ----------------------------------------------------------------------------


async def test_a_workflow_reads_an_sms_timestamp_and_shows_it_in_local_time(
    run_workflow: RunWorkflow,
) -> None:
    run = await run_workflow(
        {
            "connector": "date-time-helpers",
            "operation": "convert_time_zone",
            "input": {"date": "{$.steps.trigger.sent_at}", "to_time_zone": "America/New_York"},
        },
        {
            "connector": "date-time-helpers",
            "operation": "format",
            "input": {"date": "{$.steps.date-time-helpers-1.result}", "format": "%A %-d %B, %H:%M"},
        },
        trigger={"sent_at": "2024-05-01 13:30:00"},
    )
    assert run.status == "succeeded"
    assert outputs(run)["date-time-helpers-1"]["result"] == "2024-05-01T09:30:00-04:00"
    assert outputs(run)["date-time-helpers-2"] == {"result": "Wednesday 1 May, 09:30"}


async def test_an_unknown_time_zone_is_reported_with_a_suggestion_when_the_workflow_is_checked() -> None:
    document = {
        "version": 1,
        "title": "t",
        "trigger": {"type": "manual"},
        "steps": [
            {
                "connector": "date-time-helpers",
                "operation": "current_timestamp",
                "input": {"time_zone": "Europe/Lodnon"},
            }
        ],
    }
    with pytest.raises(
        WorkflowInvalid,
        match=re.escape(
            "steps[0].input.time_zone: unknown time zone 'Europe/Lodnon' (did you mean 'Europe/London'?)"
        ),
    ):
        check_workflow(document, REGISTRY)


async def test_a_date_that_cannot_be_read_fails_the_step_saying_what_is_expected(
    run_workflow: RunWorkflow,
) -> None:
    run = await run_workflow(
        {"connector": "date-time-helpers", "operation": "parse", "input": {"date": "{$.steps.trigger.when}"}},
        trigger={"when": "next tuesday-ish"},
    )
    [step] = [s for s in run.steps if s.name == "date-time-helpers-1"]
    assert step.error is not None
    assert step.error["type"] == "operation_failed"
    assert step.error["message"].startswith(
        "input.date: 'next tuesday-ish' is not a date I can read; expected ISO 8601 (2024-05-01T09:30:00Z), "
    )


# -- current_timestamp --------------------------------------------------------------------------------


async def test_current_timestamp_is_now_in_utc_by_default() -> None:
    before = datetime.now(UTC)
    now = await call("current_timestamp")
    after = datetime.now(UTC)
    assert before <= datetime.fromisoformat(now["result"]) <= after
    assert now["time_zone"] == "UTC"


async def test_current_timestamp_in_a_zone_and_format(frozen_clock: datetime) -> None:
    now = await call("current_timestamp", time_zone="Asia/Kolkata", format="%d/%m/%Y %H:%M")
    assert now["result"] == "01/05/2024 15:00"
    assert (now["date"], now["time"], now["utc_offset"], now["time_zone"]) == (
        "2024-05-01",
        "15:00:00",
        "+05:30",
        "Asia/Kolkata",
    )
    assert now["unix_timestamp"] == 1714555800


async def test_current_timestamp_refuses_an_unknown_zone_and_a_format_without_codes() -> None:
    with pytest.raises(ValidationError, match=re.escape("unknown time zone 'Mars/Olympus'")):
        await call("current_timestamp", time_zone="Mars/Olympus")
    with pytest.raises(OperationFailed, match=re.escape("input.format: 'YYYY-MM-DD' has no strftime codes")):
        await call("current_timestamp", format="YYYY-MM-DD")


# -- parse --------------------------------------------------------------------------------------------


async def test_parse_gives_iso_8601_and_the_parts_of_the_date() -> None:
    parsed = await call("parse", date="2024-05-01T09:30:00Z")
    assert parsed == {
        "result": "2024-05-01T09:30:00+00:00",
        "date": "2024-05-01",
        "time": "09:30:00",
        "year": 2024,
        "month": 5,
        "day": 1,
        "hour": 9,
        "minute": 30,
        "second": 0,
        "microsecond": 0,
        "weekday": 3,
        "weekday_name": "Wednesday",
        "month_name": "May",
        "day_of_year": 122,
        "week": 18,
        "time_zone": "UTC",
        "utc_offset": "+00:00",
        "unix_timestamp": 1714555800,
    }


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("2024-05-01T10:30:00+01:00", "2024-05-01T10:30:00+01:00"),
        ("2024-05-01", "2024-05-01T00:00:00+00:00"),
        ("20240501T0930", "2024-05-01T09:30:00+00:00"),
        ("Wed, 01 May 2024 09:30:00 +0000", "2024-05-01T09:30:00+00:00"),
        (1714555800, "2024-05-01T09:30:00+00:00"),
        (1714555800.25, "2024-05-01T09:30:00.250000+00:00"),
        ("1714555800", "2024-05-01T09:30:00+00:00"),
        ("1 May 2024 9:30am", "2024-05-01T09:30:00+00:00"),
    ],
)
async def test_parse_detects_iso_rfc_2822_unix_seconds_and_free_text(date: object, expected: str) -> None:
    assert await result("parse", date=date) == expected


async def test_parse_places_a_date_without_an_offset_in_the_time_zone() -> None:
    assert (
        await result("parse", date="2024-07-01 09:00", time_zone="Europe/London")
        == "2024-07-01T09:00:00+01:00"
    )
    assert (
        await result("parse", date="2024-01-01 09:00", time_zone="europe/london")
        == "2024-01-01T09:00:00+00:00"
    )
    assert await result("parse", date="2024-01-01 09:00", time_zone="-03:00") == "2024-01-01T09:00:00-03:00"


async def test_parse_shows_unix_seconds_in_the_time_zone() -> None:
    assert await result("parse", date=1714555800, time_zone="Europe/Paris") == "2024-05-01T11:30:00+02:00"


async def test_parse_with_a_format_and_day_first_text() -> None:
    assert await result("parse", date="01/02/2024", format="%d/%m/%Y") == "2024-02-01T00:00:00+00:00"
    assert await result("parse", date="01/02/2024 10:00", day_first=True) == "2024-02-01T10:00:00+00:00"
    assert await result("parse", date="01/02/2024 10:00") == "2024-01-02T10:00:00+00:00"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"date": "2024-02-30"}, "input.date: '2024-02-30' is not a date I can read"),
        ({"date": "  "}, "input.date: is empty; expected ISO 8601"),
        ({"date": "5pm EST"}, "input.date: '5pm EST' is not a date I can read"),
        (
            {"date": "2024/13/01", "format": "%Y/%m/%d"},
            "input.date: '2024/13/01' does not match input.format '%Y/%m/%d'",
        ),
        (
            {"date": 1714555800000},
            "input.date: 1714555800000 is out of range for a unix timestamp in seconds (divide a timestamp in milliseconds by 1000)",
        ),
    ],
)
async def test_parse_says_why_a_date_cannot_be_read(fields: dict[str, object], message: str) -> None:
    with pytest.raises(OperationFailed, match=re.escape(message)):
        await call("parse", **fields)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"date": True}, "must be a date as text or unix seconds, not a boolean"),
        ({"date": None}, "must be a date as text or unix seconds, not null"),
        ({"date": "2024-05-01", "time_zone": "+25:00"}, "'+25:00' is not a valid UTC offset"),
        ({"date": "2024-05-01", "time_zone": "../etc/passwd"}, "unknown time zone '../etc/passwd'"),
    ],
)
async def test_parse_refuses_inputs_of_the_wrong_kind(fields: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=re.escape(message)):
        await call("parse", **fields)


@given(st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(9998, 1, 1), timezones=st.just(UTC)))
async def test_parsing_an_iso_result_gives_back_the_same_moment(moment: datetime) -> None:
    parsed = await call("parse", date=moment.isoformat())
    assert datetime.fromisoformat(parsed["result"]) == moment
    assert parsed["unix_timestamp"] == pytest.approx(moment.timestamp())


# -- format -------------------------------------------------------------------------------------------


async def test_format_writes_the_date_with_strftime_codes_in_its_own_offset() -> None:
    assert (
        await result("format", date="2024-05-01T09:30:00+02:00", format="%Y-%m-%d %H:%M %z")
        == "2024-05-01 09:30 +0200"
    )


async def test_format_can_show_the_date_in_another_zone() -> None:
    formatted = await result("format", date="2024-05-01T09:30:00Z", format="%H:%M %Z", time_zone="Asia/Tokyo")
    assert formatted == "18:30 JST"


async def test_format_can_read_the_date_with_an_input_format() -> None:
    assert (
        await result("format", date="01.05.2024", input_format="%d.%m.%Y", format="%B %d, %Y")
        == "May 01, 2024"
    )


async def test_format_needs_strftime_codes_and_a_readable_date() -> None:
    with pytest.raises(OperationFailed, match=re.escape("write e.g. %Y-%m-%d for YYYY-MM-DD")):
        await call("format", date="2024-05-01", format="dd/MM/yyyy")
    with pytest.raises(OperationFailed, match=re.escape("input.date: 'soon' is not a date I can read")):
        await call("format", date="soon", format="%Y")
    with pytest.raises(ValidationError, match="format"):
        await call("format", date="2024-05-01")


# -- plus and minus -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "unit", "expected"),
    [
        (90, "seconds", "2024-01-31T10:01:30+00:00"),
        (1.5, "hours", "2024-01-31T11:30:00+00:00"),
        (1, "days", "2024-02-01T10:00:00+00:00"),
        (2, "weeks", "2024-02-14T10:00:00+00:00"),
        (1, "months", "2024-02-29T10:00:00+00:00"),
        (13, "months", "2025-02-28T10:00:00+00:00"),
        (-2, "months", "2023-11-30T10:00:00+00:00"),
        (1, "years", "2025-01-31T10:00:00+00:00"),
    ],
)
async def test_plus_adds_an_amount_of_a_unit_clamping_months_to_their_last_day(
    amount: float, unit: str, expected: str
) -> None:
    assert await result("plus", date="2024-01-31T10:00:00Z", amount=amount, unit=unit) == expected


async def test_minus_subtracts() -> None:
    assert await result("minus", date="2024-03-31", amount=1, unit="months") == "2024-02-29T00:00:00+00:00"
    assert await result("minus", date="2024-03-01", amount=1, unit="days") == "2024-02-29T00:00:00+00:00"


async def test_days_keep_the_wall_clock_time_across_a_daylight_saving_change_but_hours_do_not() -> None:
    start = {"date": "2024-03-30T09:00", "time_zone": "Europe/London"}
    assert await result("plus", **start, amount=1, unit="days") == "2024-03-31T09:00:00+01:00"
    assert await result("plus", **start, amount=24, unit="hours") == "2024-03-31T10:00:00+01:00"


async def test_a_leap_day_plus_a_year_is_the_last_day_of_february() -> None:
    assert await result("plus", date="2024-02-29", amount=1, unit="years") == "2025-02-28T00:00:00+00:00"


async def test_plus_refuses_fractional_months_a_non_number_and_leaving_the_calendar() -> None:
    with pytest.raises(
        OperationFailed, match=re.escape("input.amount: 1.5 months is not a whole number of months")
    ):
        await call("plus", date="2024-01-31", amount=1.5, unit="months")
    with pytest.raises(ValidationError, match="must be a number, not str"):
        await call("plus", date="2024-01-31", amount="1", unit="days")
    with pytest.raises(
        ValidationError, match="'seconds', 'minutes', 'hours', 'days', 'weeks', 'months' or 'years'"
    ):
        await call("plus", date="2024-01-31", amount=1, unit="fortnights")
    with pytest.raises(OperationFailed, match=r"input\.amount: 9000 years from .* is outside years 1-9999"):
        await call("plus", date="2024-01-31", amount=9000, unit="years")


@given(
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)),
    st.integers(-1000, 1000),
)
async def test_adding_then_subtracting_seconds_gives_back_the_date(moment: datetime, seconds: int) -> None:
    later = await result("plus", date=moment.isoformat(), amount=seconds, unit="seconds")
    assert await result("minus", date=later, amount=seconds, unit="seconds") == moment.isoformat()


# -- compare_dates ------------------------------------------------------------------------------------


async def test_compare_dates_says_where_the_first_date_is_and_how_far_the_second_is() -> None:
    compared = await call(
        "compare_dates", first_date="2024-05-01T09:00:00Z", second_date="2024-05-01T10:30:00Z", unit="hours"
    )
    assert compared == {"result": "before", "difference": 1.5}
    compared = await call("compare_dates", first_date="2024-05-02", second_date="2024-05-01", unit="days")
    assert compared == {"result": "after", "difference": -1}


async def test_the_same_moment_in_two_zones_is_equal() -> None:
    compared = await call(
        "compare_dates", first_date="2024-05-01T10:00:00+01:00", second_date="2024-05-01T09:00:00Z"
    )
    assert compared == {"result": "equal", "difference": 0}


async def test_compare_dates_counts_whole_calendar_months_and_years() -> None:
    compare = {"first_date": "2024-01-15", "second_date": "2025-02-14"}
    assert (await call("compare_dates", **compare, unit="months"))["difference"] == 12
    assert (await call("compare_dates", **compare, unit="years"))["difference"] == 1
    back = {"first_date": "2025-02-14", "second_date": "2024-01-15"}
    assert (await call("compare_dates", **back, unit="months"))["difference"] == -12


async def test_a_month_after_the_31st_ends_on_the_last_day_of_the_next_month() -> None:
    compare = {"first_date": "2024-01-31", "second_date": "2024-02-29", "unit": "months"}
    assert (await call("compare_dates", **compare))["difference"] == 1


async def test_compare_dates_names_the_date_it_cannot_read() -> None:
    with pytest.raises(
        OperationFailed, match=re.escape("input.second_date: 'tomorrow' is not a date I can read")
    ):
        await call("compare_dates", first_date="2024-05-01", second_date="tomorrow")


# -- convert_time_zone --------------------------------------------------------------------------------


async def test_convert_time_zone_shows_the_same_moment_on_another_clock() -> None:
    converted = await call("convert_time_zone", date="2024-05-01T09:30:00Z", to_time_zone="Australia/Sydney")
    assert (converted["result"], converted["time_zone"], converted["day"]) == (
        "2024-05-01T19:30:00+10:00",
        "Australia/Sydney",
        1,
    )


async def test_convert_time_zone_reads_a_date_without_offset_in_the_from_zone() -> None:
    converted = await result(
        "convert_time_zone", date="2024-05-01 09:30", from_time_zone="America/New_York", to_time_zone="UTC"
    )
    assert converted == "2024-05-01T13:30:00+00:00"


async def test_convert_time_zone_refuses_unknown_zones() -> None:
    with pytest.raises(ValidationError, match=re.escape("unknown time zone 'PST'")):
        await call("convert_time_zone", date="2024-05-01", to_time_zone="PST")
    with pytest.raises(ValidationError, match="to_time_zone"):
        await call("convert_time_zone", date="2024-05-01")


def test_every_zone_the_database_knows_is_accepted_under_its_own_name() -> None:
    utc = {"UTC", "GMT", "GMT+0", "GMT-0"}
    names = sorted(available_timezones() - utc)
    assert [zone_name(find_zone(name)) for name in names] == names
    assert {zone_name(find_zone(name)) for name in utc} == {"UTC"}
