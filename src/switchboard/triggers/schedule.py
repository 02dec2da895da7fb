"""Schedule triggers: the next instant of a cron rule in its time zone, and the loop that fires them.

Each scheduled workflow has one row with its `next_run_at` (UTC). A tick claims every due row
by moving its `next_run_at` to the first instant after *now* with a compare-and-set, then starts one
run. So ticks missed while the server was down run once, not once per missed tick, and two
processes never fire the same tick.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from croniter import croniter

from switchboard.dispatch.inprocess import Dispatcher
from switchboard.engine.records import timestamp, utc, utc_or_none
from switchboard.store.database import Database
from switchboard.store.tables import schedules
from switchboard.store.workflows import WorkflowStore
from switchboard.triggers.clock import Clock
from switchboard.triggers.kinds import ScheduleSettings

log = logging.getLogger("switchboard.schedule")


def next_fire(rule: ScheduleSettings, after: datetime) -> datetime:
    """The first instant strictly after `after` (aware) at which the rule fires, in UTC.

    Cron rules are read in their time zone, so `30 2 * * *` in New York fires at 02:30 local time
    all year; on the spring-forward day, when 02:30 does not exist, it fires at 03:00 (croniter's
    rule). On the fall-back day a wall time that happens twice fires once, as in Vixie cron, unless
    the hour field is a wildcard (`*/30 * * * *` keeps its pace through both hours).
    `every_minutes` counts from the Unix epoch in UTC.
    """
    if rule.every_minutes is not None:
        step = rule.every_minutes * 60
        seconds = int(after.timestamp()) // step * step + step
        return datetime.fromtimestamp(seconds, UTC)
    assert rule.cron is not None
    zone = ZoneInfo(rule.timezone)
    every_hour = rule.cron.split()[1].startswith("*")
    moment = after
    while True:
        following: datetime = croniter(rule.cron, moment.astimezone(zone)).get_next(datetime)
        wall = following.astimezone(zone)
        if every_hour or not (wall.fold == 1 and _happens_twice(wall)):
            return following.astimezone(UTC)
        moment = following


def _happens_twice(wall: datetime) -> bool:
    """Whether a local wall time falls in the hour that the fall-back change repeats."""
    return wall.replace(fold=0).utcoffset() != wall.replace(fold=1).utcoffset()


class Scheduler:
    """Keeps the schedule rows in line with the workflows and fires what is due."""

    def __init__(
        self, database: Database, workflows: WorkflowStore, dispatcher: Dispatcher, clock: Clock
    ) -> None:
        self.database = database
        self.workflows = workflows
        self.dispatcher = dispatcher
        self.clock = clock
        self._woken = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        workflows.listeners.append(self.wake)

    def wake(self) -> None:
        """A workflow changed: look at the schedules again now, not at the next planned wake-up.

        Called from whatever thread changed the workflow (FastAPI runs plain routes in a thread
        pool), so the event is set in the scheduler's own loop.
        """
        if self._loop is None:
            self._woken.set()
        else:
            self._loop.call_soon_threadsafe(self._woken.set)

    def sync(self) -> None:
        """One row per enabled scheduled workflow; a changed rule gets a fresh next instant."""
        wanted: dict[str, dict[str, Any]] = {}
        for stored in self.workflows.list_workflows():
            workflow = stored.workflow()
            if workflow.trigger.type == "schedule" and stored.enabled:
                wanted[stored.id] = ScheduleSettings.model_validate(workflow.trigger.settings).model_dump()
        now = self.clock.now()
        with self.database.engine.begin() as connection:
            existing = {row.workflow_id: row.rule for row in connection.execute(sa.select(schedules))}
            for workflow_id in set(existing) - set(wanted):
                connection.execute(schedules.delete().where(schedules.c.workflow_id == workflow_id))
            for workflow_id, rule in wanted.items():
                if existing.get(workflow_id) == rule:
                    continue
                following = next_fire(ScheduleSettings.model_validate(rule), now)
                connection.execute(schedules.delete().where(schedules.c.workflow_id == workflow_id))
                connection.execute(
                    schedules.insert().values(workflow_id=workflow_id, next_run_at=following, rule=rule)
                )

    async def tick(self) -> list[str]:
        """Fire every due schedule once; returns the ids of the runs started."""
        now = self.clock.now()
        with self.database.engine.connect() as connection:
            due = connection.execute(sa.select(schedules).where(schedules.c.next_run_at <= now)).all()
        started = []
        for row in due:
            scheduled_at = utc(row.next_run_at)
            rule = ScheduleSettings.model_validate(row.rule)
            following = next_fire(rule, now)
            with self.database.engine.begin() as connection:
                claimed = connection.execute(
                    schedules.update()
                    .where(
                        schedules.c.workflow_id == row.workflow_id, schedules.c.next_run_at == row.next_run_at
                    )
                    .values(next_run_at=following)
                ).rowcount
            if not claimed:
                continue  # another process fired it
            stored = self.workflows.get(row.workflow_id)
            trigger_data = {
                "scheduled_at": timestamp(scheduled_at),
                "scheduled_at_local": scheduled_at.astimezone(ZoneInfo(rule.timezone)).isoformat(),
                "timezone": rule.timezone,
                "fired_at": timestamp(now),
            }
            started.append(await self.dispatcher.submit(stored, trigger_data, trigger_type="schedule"))
        return started

    def next_due(self) -> datetime | None:
        with self.database.engine.connect() as connection:
            moment = connection.execute(sa.select(sa.func.min(schedules.c.next_run_at))).scalar()
        return utc_or_none(moment)

    async def run_forever(self) -> None:
        self._loop = asyncio.get_running_loop()
        while True:
            self._woken.clear()  # a change made during this turn sets it again, and is not lost
            try:
                self.sync()
                await self.tick()
            except Exception:  # the loop must survive a bad row; the error is logged, not swallowed
                log.exception("schedule tick failed")
            upcoming = self.next_due()
            limit = self.clock.now() + timedelta(seconds=60)
            await self._sleep_until(min(upcoming, limit) if upcoming else limit)

    async def _sleep_until(self, moment: datetime) -> None:
        """Until `moment`, or until a workflow changes, whichever comes first."""
        sleeping = asyncio.ensure_future(self.clock.sleep_until(moment))
        woken = asyncio.ensure_future(self._woken.wait())
        await asyncio.wait({sleeping, woken}, return_when=asyncio.FIRST_COMPLETED)
        for task in (sleeping, woken):
            task.cancel()
