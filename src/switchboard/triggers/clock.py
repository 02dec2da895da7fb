"""Time, as the scheduler sees it: the system clock in production, a controllable one in tests."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware (UTC)."""
        ...

    async def sleep_until(self, moment: datetime) -> None:
        """Return at `moment` or a little after; may return early when woken."""
        ...


class SystemClock:
    """Real time; sleeps are capped so a clock change or a new schedule is noticed within a minute."""

    max_sleep = 60.0

    def now(self) -> datetime:
        return datetime.now(UTC)

    async def sleep_until(self, moment: datetime) -> None:
        await asyncio.sleep(min(max((moment - self.now()).total_seconds(), 0.0), self.max_sleep))


class ManualClock:
    """A clock that moves only when told to, for tests of schedules across DST and downtime."""

    def __init__(self, start: datetime) -> None:
        self._now = start
        self._moved = asyncio.Event()

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> None:
        self.set(self._now + delta)

    def set(self, moment: datetime) -> None:
        self._now = moment
        self._moved.set()

    async def sleep_until(self, moment: datetime) -> None:
        while self._now < moment:
            self._moved.clear()
            await self._moved.wait()
