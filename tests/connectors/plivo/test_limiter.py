"""The limiter's arithmetic on a fake clock: exact spacing, sliding budgets, slowing down, no drag."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from switchboard.connectors.plivo import PlivoAuth, PlivoClient
from switchboard.connectors.plivo.limiter import Pacer, PlivoLimits, WindowLimiter
from switchboard.sim.plivo import DEFAULT_AUTH_ID, DEFAULT_AUTH_TOKEN


class FakeClock:
    """Time that moves only when someone sleeps (or a test says so)."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


async def departures(clock: FakeClock, pacer: Pacer, count: int, units: int = 1) -> list[float]:
    """When each of ``count`` callers, one after the other, was let through."""
    times = []
    for _ in range(count):
        await pacer.wait(units)
        times.append(round(clock.now, 9))
    return times


async def test_messages_leave_exactly_one_interval_apart(clock: FakeClock) -> None:
    pacer = Pacer(200, clock=clock, sleep=clock.sleep)
    assert await departures(clock, pacer, 5) == [0.005, 0.01, 0.015, 0.02, 0.025]


async def test_a_new_pacer_waits_one_interval_as_if_a_message_had_just_left(clock: FakeClock) -> None:
    clock.now = 100.0
    pacer = Pacer(5, clock=clock, sleep=clock.sleep)
    assert pacer.reserve() == pytest.approx(0.2)


async def test_a_thousand_messages_at_200_per_second_take_a_thousand_intervals(clock: FakeClock) -> None:
    pacer = Pacer(200, clock=clock, sleep=clock.sleep)
    await departures(clock, pacer, 1000)
    assert clock.now == pytest.approx(5.0)


async def test_work_between_messages_is_not_added_to_the_interval(clock: FakeClock) -> None:
    pacer = Pacer(200, clock=clock, sleep=clock.sleep)
    times = []
    for _ in range(4):
        await pacer.wait()
        times.append(round(clock.now, 9))
        clock.now += 0.003  # the request itself takes 3 ms
    assert times == [0.005, 0.01, 0.015, 0.02]


async def test_a_late_wake_up_does_not_shift_the_turns_after_it(clock: FakeClock) -> None:
    pacer = Pacer(100, clock=clock, sleep=clock.sleep)
    assert [pacer.reserve() for _ in range(3)] == pytest.approx([0.01, 0.02, 0.03])
    clock.now = 0.035  # the third caller woke up 5 ms late
    assert pacer.reserve() == pytest.approx(0.005)  # the fourth still leaves at 0.04


async def test_concurrent_callers_are_served_in_arrival_order_at_the_pace(clock: FakeClock) -> None:
    async def sleep_together(seconds: float) -> None:
        await asyncio.sleep(0)  # every caller is waiting at the same moment

    pacer = Pacer(5, clock=clock, sleep=sleep_together)
    waits = await asyncio.gather(*(pacer.wait() for _ in range(4)))
    assert waits == pytest.approx([0.2, 0.4, 0.6, 0.8])


async def test_a_bulk_send_leaves_at_once_and_the_next_waits_for_all_its_messages(clock: FakeClock) -> None:
    pacer = Pacer(5, clock=clock, sleep=clock.sleep)
    clock.now = 1.0
    assert pacer.reserve(3) == 0.0
    assert pacer.reserve(1) == pytest.approx(0.6)


async def test_an_idle_pacer_saves_no_burst(clock: FakeClock) -> None:
    pacer = Pacer(5, clock=clock, sleep=clock.sleep)
    await pacer.wait()
    clock.now = 60.0
    assert [pacer.reserve() for _ in range(3)] == pytest.approx([0.0, 0.2, 0.4])


async def test_a_window_lets_its_budget_through_at_once_then_slides(clock: FakeClock) -> None:
    window = WindowLimiter(3, 5.0, clock=clock, sleep=clock.sleep)
    assert [window.reserve()[0] for _ in range(3)] == [0.0, 0.0, 0.0]
    assert window.reserve()[0] == 5.0  # the 4th waits for the 1st to leave the window
    clock.now = 1.0
    assert window.reserve()[0] == 4.0  # the 5th for the 2nd (which left at 0)


async def test_a_window_never_lets_more_than_its_budget_into_any_span(clock: FakeClock) -> None:
    window = WindowLimiter(300, 5.0, clock=clock, sleep=clock.sleep)
    times = []
    for step in range(1000):
        clock.now = max(clock.now, step * 0.001)
        await window.wait()
        times.append(clock.now)
    assert all(later - earlier >= 5.0 - 1e-9 for earlier, later in zip(times, times[300:], strict=False))


async def test_a_caller_that_woke_late_counts_from_when_it_really_left(clock: FakeClock) -> None:
    async def oversleep(seconds: float) -> None:
        clock.now += seconds + 0.5

    window = WindowLimiter(1, 5.0, clock=clock, sleep=oversleep)
    await window.wait()
    await window.wait()  # due at 5.0, really left at 5.5
    assert clock.now == 5.5
    assert window.reserve()[0] == 5.0  # due at 10.5, not 10.0


async def test_slowing_down_halves_the_budget_for_a_while_then_restores_it(clock: FakeClock) -> None:
    window = WindowLimiter(300, 5.0, clock=clock, sleep=clock.sleep)
    window.slow_down(5.0)
    assert window.current_limit == 150
    window.slow_down(5.0)
    assert window.current_limit == 75
    for _ in range(10):
        window.slow_down(5.0)
    assert window.current_limit == 300 // 16
    clock.now = 5.0
    assert window.current_limit == 300


async def test_sms_and_mms_have_their_own_pace_and_calls_are_not_counted(clock: FakeClock) -> None:
    auth = PlivoAuth(
        auth_id=DEFAULT_AUTH_ID,
        auth_token="t0k3n",
        messages_per_second=5,
        mms_per_second=0.25,
        requests_per_5s=2,
    )
    limits = PlivoLimits(auth, clock=clock, sleep=clock.sleep)
    clock.now = 10.0  # long after the limits were made: nothing sent recently
    await limits.before_messages("sms", 1)
    await limits.before_messages("mms", 1)
    await limits.before_messages("sms", 1)
    await limits.before_messages("mms", 1)
    assert clock.sleeps == [pytest.approx(0.2), pytest.approx(3.8)]
    clock.sleeps.clear()
    await limits.before_request()
    await limits.before_request()
    await limits.before_request(counted=False)  # making a call
    assert clock.sleeps == []
    await limits.before_request()
    assert clock.sleeps == [5.0]  # both counted requests left at 14.0


async def test_listing_messages_has_its_own_budget_of_20_a_minute(clock: FakeClock) -> None:
    auth = PlivoAuth(auth_id=DEFAULT_AUTH_ID, auth_token="t0k3n")
    limits = PlivoLimits(auth, clock=clock, sleep=clock.sleep)
    for _ in range(20):
        await limits.before_request(lists_messages=True)
    assert clock.sleeps == []
    await limits.before_request(lists_messages=True)
    assert clock.sleeps == [60.0]


async def test_the_client_paces_real_sends_at_the_authentications_rate(clock: FakeClock) -> None:
    seen: list[float] = []

    def plivo(request: httpx.Request) -> httpx.Response:
        seen.append(clock.now)
        return httpx.Response(
            202, json={"api_id": "a", "message": "message(s) queued", "message_uuid": ["u"]}
        )

    auth = PlivoAuth(auth_id=DEFAULT_AUTH_ID, auth_token=DEFAULT_AUTH_TOKEN, messages_per_second=5)
    client = PlivoClient(auth, transport=httpx.MockTransport(plivo), clock=clock, sleep=clock.sleep)
    for _ in range(10):
        await client.send_messages("sms", 1, {"dst": "+14155550101"})
    assert seen == pytest.approx([0.2 * n for n in range(1, 11)])
    await client.aclose()


def test_a_pace_must_be_positive() -> None:
    with pytest.raises(ValueError):
        Pacer(0)
    with pytest.raises(ValueError):
        WindowLimiter(0, 5)
