"""Schedules fire at the right instants across DST, and missed ticks run once, not N times."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from switchboard.connectors.registry import discover
from switchboard.definition import check_workflow
from switchboard.dispatch.inprocess import Dispatcher
from switchboard.engine.runner import Engine
from switchboard.store.database import Database
from switchboard.store.journal import SqlJournal, load_run
from switchboard.store.workflows import WorkflowStore
from switchboard.triggers.clock import ManualClock
from switchboard.triggers.kinds import ScheduleSettings
from switchboard.triggers.schedule import Scheduler, next_fire

NEW_YORK = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")


def local(zone: ZoneInfo, *parts: int) -> datetime:
    return datetime(*parts, tzinfo=zone)  # type: ignore[misc]


def fires(rule: ScheduleSettings, start: datetime, count: int) -> list[datetime]:
    moments, moment = [], start
    for _ in range(count):
        moment = next_fire(rule, moment)
        moments.append(moment)
    return moments


def test_a_daily_cron_keeps_its_local_time_across_spring_forward() -> None:
    rule = ScheduleSettings(cron="30 9 * * *", timezone="America/New_York")
    moments = fires(rule, local(NEW_YORK, 2026, 3, 6, 12), 4)
    assert [m.astimezone(NEW_YORK).strftime("%m-%d %H:%M %Z") for m in moments] == [
        "03-07 09:30 EST",
        "03-08 09:30 EDT",
        "03-09 09:30 EDT",
        "03-10 09:30 EDT",
    ]
    assert [m.strftime("%H:%M") for m in moments] == ["14:30", "13:30", "13:30", "13:30"]  # in UTC


def test_a_time_that_does_not_exist_on_the_spring_forward_day_fires_at_the_first_time_after() -> None:
    rule = ScheduleSettings(cron="30 2 * * *", timezone="America/New_York")
    moments = fires(rule, local(NEW_YORK, 2026, 3, 7, 12), 3)
    assert [m.astimezone(NEW_YORK).strftime("%m-%d %H:%M %Z") for m in moments] == [
        "03-08 03:00 EDT",
        "03-09 02:30 EDT",
        "03-10 02:30 EDT",
    ]


def test_a_time_that_happens_twice_on_the_fall_back_day_fires_once() -> None:
    rule = ScheduleSettings(cron="30 1 * * *", timezone="Europe/London")
    moments = fires(rule, local(LONDON, 2026, 10, 24, 12), 3)
    assert [m.astimezone(LONDON).strftime("%m-%d %H:%M %Z") for m in moments] == [
        "10-25 01:30 BST",
        "10-26 01:30 GMT",
        "10-27 01:30 GMT",
    ]


def test_an_every_hour_rule_keeps_firing_through_the_repeated_hour() -> None:
    rule = ScheduleSettings(cron="*/30 * * * *", timezone="Europe/London")
    moments = fires(rule, local(LONDON, 2026, 10, 25, 0, 10), 5)
    assert [m.astimezone(LONDON).strftime("%H:%M %Z") for m in moments] == [
        "00:30 BST",
        "01:00 BST",
        "01:30 BST",
        "01:00 GMT",
        "01:30 GMT",
    ]


def test_every_n_minutes_is_aligned_and_ignores_time_zones() -> None:
    rule = ScheduleSettings(every_minutes=15, timezone="America/New_York")
    start = datetime(2026, 3, 8, 6, 50, 10, tzinfo=UTC)  # 01:50 EST, ten minutes before the change
    assert [m.strftime("%H:%M") for m in fires(rule, start, 3)] == ["07:00", "07:15", "07:30"]


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 3, 8, 6, 0, tzinfo=UTC))


@pytest.fixture
def scheduler(database: Database, clock: ManualClock) -> Iterator[Scheduler]:
    journal = SqlJournal(database)
    workflows = WorkflowStore(database)
    dispatcher = Dispatcher(
        database=database, registry=discover(), engine=Engine(journal=journal), workflows=workflows
    )
    yield Scheduler(database, workflows, dispatcher, clock)
    journal.close()


def scheduled(scheduler: Scheduler, trigger: dict[str, Any]) -> str:
    document = {
        "version": 1,
        "title": "Every morning",
        "trigger": {"type": "schedule", **trigger},
        "steps": [
            {
                "connector": "text-helpers",
                "operation": "concatenate",
                "input": {"values": ["{$.steps.trigger.scheduled_at_local}"]},
            }
        ],
    }
    stored = scheduler.workflows.create(check_workflow(document, discover()), owner_id=None)
    scheduler.sync()
    return stored.id


async def test_the_scheduler_fires_each_instant_once_across_the_dst_change(
    scheduler: Scheduler, clock: ManualClock
) -> None:
    clock.set(datetime(2026, 3, 8, 5, 30, tzinfo=UTC))  # 00:30 EST
    scheduled(scheduler, {"cron": "0 * * * *", "timezone": "America/New_York"})
    fired: list[str] = []
    for _ in range(4):  # 01:00 EST, then 03:00 EDT (02:00 does not exist), 04:00, 05:00
        due = scheduler.next_due()
        assert due is not None
        clock.set(due)
        fired += await scheduler.tick()
        assert await scheduler.tick() == []  # the same instant never fires twice
    records = [await scheduler.dispatcher.wait(run_id) for run_id in fired]
    assert [r.steps[1].output["result"] for r in records] == [
        "2026-03-08T01:00:00-05:00",
        "2026-03-08T03:00:00-04:00",
        "2026-03-08T04:00:00-04:00",
        "2026-03-08T05:00:00-04:00",
    ]


async def test_ticks_missed_during_downtime_run_once(scheduler: Scheduler, clock: ManualClock) -> None:
    scheduled(scheduler, {"every_minutes": 5})
    clock.advance(timedelta(hours=3))  # 36 ticks missed while "down"
    started = await scheduler.tick()
    assert len(started) == 1
    record = await scheduler.dispatcher.wait(started[0])
    assert record.steps[0].output["scheduled_at"] == "2026-03-08T06:05:00.000Z"
    assert scheduler.next_due() == datetime(2026, 3, 8, 9, 5, tzinfo=UTC)
    assert load_run(scheduler.database, started[0]).status == "succeeded"


async def test_a_disabled_or_changed_schedule_is_followed(scheduler: Scheduler, clock: ManualClock) -> None:
    workflow_id = scheduled(scheduler, {"every_minutes": 5})
    assert scheduler.next_due() == datetime(2026, 3, 8, 6, 5, tzinfo=UTC)
    stored = scheduler.workflows.get(workflow_id)
    document = {**stored.definition, "trigger": {"type": "schedule", "every_minutes": 60}}
    scheduler.workflows.update(workflow_id, check_workflow(document, discover()))
    scheduler.sync()
    assert scheduler.next_due() == datetime(2026, 3, 8, 7, 0, tzinfo=UTC)
    scheduler.workflows.update(workflow_id, check_workflow({**document, "enabled": False}, discover()))
    scheduler.sync()
    assert scheduler.next_due() is None


async def test_a_new_schedule_is_taken_up_at_once_not_at_the_next_planned_wake_up(
    scheduler: Scheduler, clock: ManualClock
) -> None:
    loop = asyncio.create_task(scheduler.run_forever())
    try:
        for _ in range(100):  # let the loop reach its sleep: nothing is scheduled yet
            await asyncio.sleep(0)
        assert scheduler.next_due() is None
        document = {
            "version": 1,
            "title": "Every minute",
            "trigger": {"type": "schedule", "cron": "* * * * *"},
            "steps": [],
        }
        scheduler.workflows.create(check_workflow(document, discover()), owner_id=None)
        for _ in range(100):
            if scheduler.next_due() is not None:
                break
            await asyncio.sleep(0.01)
        assert scheduler.next_due() == datetime(2026, 3, 8, 6, 1, tzinfo=UTC)  # the clock did not move
    finally:
        loop.cancel()
        await asyncio.gather(loop, return_exceptions=True)
