"""Plivo's rate limits, kept on our side so a busy workflow slows down instead of being refused.

Two shapes of limit, both per authentication (one ``PlivoLimits`` per pooled client):

* **Pacing** (``Pacer``): outbound messages leave evenly, one every ``1 / rate`` seconds (5 SMS/s and
  0.25 MMS/s by default). Plivo queues what exceeds an account's rate instead of refusing it, so the
  point is to keep its queue short, and an even pace is what Plivo itself applies.
* **A budget per window** (``WindowLimiter``): at most N requests in any W seconds (300 API requests per
  5 s; 20 message-list requests per minute). Plivo answers 429 beyond it. A 429 anyway (another process
  uses the same account) halves the budget for a while.

Both reserve a caller's turn at once and sleep exactly until it comes: concurrent callers are served in
arrival order without polling, and a late wake-up never shifts the turns of those after it, so the
limiter adds no drag. A cancelled caller keeps its reserved turn (the gap errs on the side of the limit).
Clock and sleep are injectable so tests can run the arithmetic on a fake clock.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Literal

from .auth import PlivoAuth

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]
MessageKind = Literal["sms", "mms"]

REQUEST_WINDOW_SECONDS = 5.0
"""Plivo counts API requests over 5 seconds."""
MESSAGE_LISTS_PER_MINUTE = 20
"""Plivo's own, stricter limit on listing messages."""
SLOWEST_SHARE = 1 / 16
"""However many 429s arrive, a budget never shrinks below this share of its configured size."""


class Pacer:
    """Spaces units of work evenly at ``rate`` per second, with no burst.

    A batch of n units (one bulk message to n destinations) leaves at the first of its n slots and the
    next caller waits for the slot after its last: Plivo sends the batch at the same pace.

    A new pacer starts as if a unit had just left: it cannot know when this authentication last sent
    (from a client built before the authentication was edited, or from the previous process), so its first
    unit waits one interval (0.2 s at 5 SMS/s). That keeps the pace exact across restarts, and makes n
    units take exactly n intervals.
    """

    def __init__(self, rate: float, *, clock: Clock = time.monotonic, sleep: Sleep = asyncio.sleep) -> None:
        if rate <= 0:
            raise ValueError("a pace must be a positive number of units per second")
        self.interval = 1.0 / rate
        self._clock = clock
        self._sleep = sleep
        self._next_slot = clock() + self.interval

    def reserve(self, units: int = 1) -> float:
        """Book the next free slots for ``units``; return the seconds until the first of them."""
        now = self._clock()
        departure = max(now, self._next_slot)
        self._next_slot = departure + units * self.interval
        return departure - now

    async def wait(self, units: int = 1) -> float:
        """Wait for this caller's turn; return how long that took."""
        delay = self.reserve(units)
        if delay > 0:
            await self._sleep(delay)
        return delay


@dataclass
class _Admission:
    at: float
    """When the request was (or will be) let through; moved later if its caller woke up late."""


class WindowLimiter:
    """Lets at most ``limit`` requests through in any ``window`` seconds (a sliding window).

    The n-th request may leave once the (n - limit)-th left ``window`` seconds ago. Departures are
    recorded as they really happened, so a caller that woke up late never lets a later one crowd it.
    """

    def __init__(
        self, limit: int, window: float, *, clock: Clock = time.monotonic, sleep: Sleep = asyncio.sleep
    ) -> None:
        if limit < 1 or window <= 0:
            raise ValueError("a window limit needs at least one request per a positive number of seconds")
        self.limit = limit
        self.window = window
        self._clock = clock
        self._sleep = sleep
        self._admissions: deque[_Admission] = deque(maxlen=limit)
        self._share = 1.0
        self._slow_until = -math.inf

    @property
    def current_limit(self) -> int:
        """The budget now: the configured limit, or less while slowed down after a 429."""
        if self._clock() >= self._slow_until:
            self._share = 1.0
        return max(1, int(self.limit * self._share))

    def slow_down(self, seconds: float) -> None:
        """Halve the budget (again on each call, down to 1/16) for the next ``seconds``."""
        self._share = max(self._share / 2, SLOWEST_SHARE) if self._clock() < self._slow_until else 0.5
        self._slow_until = self._clock() + seconds

    def reserve(self) -> tuple[float, _Admission]:
        """Book this request's turn; return the seconds until it and the booking to confirm."""
        now = self._clock()
        limit = self.current_limit
        departure = now
        if self._admissions:
            departure = max(departure, self._admissions[-1].at)
        if len(self._admissions) >= limit:
            departure = max(departure, self._admissions[-limit].at + self.window)
        admission = _Admission(departure)
        self._admissions.append(admission)
        return departure - now, admission

    async def wait(self) -> float:
        """Wait for this request's turn; return how long that took."""
        delay, admission = self.reserve()
        if delay > 0:
            await self._sleep(delay)
            admission.at = max(admission.at, self._clock())
        return delay


class PlivoLimits:
    """Everything one authentication must respect: SMS and MMS pace, the request and message-list budgets."""

    def __init__(
        self, auth: PlivoAuth, *, clock: Clock = time.monotonic, sleep: Sleep = asyncio.sleep
    ) -> None:
        self.messages: dict[MessageKind, Pacer] = {
            "sms": Pacer(auth.messages_per_second, clock=clock, sleep=sleep),
            "mms": Pacer(auth.mms_per_second, clock=clock, sleep=sleep),
        }
        self.requests = WindowLimiter(auth.requests_per_5s, REQUEST_WINDOW_SECONDS, clock=clock, sleep=sleep)
        self.message_lists = WindowLimiter(MESSAGE_LISTS_PER_MINUTE, 60.0, clock=clock, sleep=sleep)

    async def before_messages(self, kind: MessageKind, count: int) -> None:
        """Wait until ``count`` messages of this kind may leave (one send request to ``count`` numbers)."""
        await self.messages[kind].wait(count)

    async def before_request(self, *, counted: bool = True, lists_messages: bool = False) -> None:
        """Wait until one more API request fits the budgets (call initiation is not ``counted`` by Plivo)."""
        if lists_messages:
            await self.message_lists.wait()
        if counted:
            await self.requests.wait()

    def throttled(self, retry_after: float | None, *, lists_messages: bool = False) -> None:
        """Plivo answered 429: ask less of it for one window, or for as long as it said.

        A 429 does not say which budget ran out, so a refused message list slows both of its budgets.
        """
        self.requests.slow_down(max(REQUEST_WINDOW_SECONDS, retry_after or 0.0))
        if lists_messages:
            self.message_lists.slow_down(max(self.message_lists.window, retry_after or 0.0))
