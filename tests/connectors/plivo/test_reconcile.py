"""A send interrupted by a crash is never sent twice: Plivo's message list decides, else a person does."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from switchboard.connectors.plivo.reconcile import NotSure, match_send
from switchboard.connectors.plivo.sending import SendSms
from switchboard.engine.records import RunState

from ...support import listening_socket
from .conftest import ALICE, BOB, OUR_NUMBER, Simulator, Workflows

SEND = {"operation": "send_sms", "input": {"src": OUR_NUMBER, "dst": ALICE, "text": "Your code is 1234"}}


def interrupted_during_the_send(run: RunState) -> RunState:
    """The run as the journal would hold it had the process died before the send's answer was journaled."""
    send = run.steps[1]
    send.status, send.output, send.finished_at = "running", None, None
    run.status = "running"
    return run


async def test_a_send_plivo_took_before_the_crash_is_found_not_sent_again(
    workflows: Workflows, sim: Simulator
) -> None:
    plan = workflows.plan(SEND)
    first = await workflows.engine.run(plan, {})
    [uuid] = first.steps[1].output["message_uuid"]

    resumed = await workflows.engine.resume(plan, interrupted_during_the_send(workflows.stored(first)))

    assert resumed.status == "succeeded"
    output = workflows.stored(resumed).steps[1].output
    assert (output["message_uuid"], output["invalid_number"], output["reconciled"]) == ([uuid], [], True)
    assert len(await sim.messages()) == 1


@pytest.fixture
def silent_plivo() -> Iterator[str]:
    """A host that takes connections and never answers: a send to it is in flight until cancelled."""
    listener = listening_socket()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    listener.close()


async def test_a_send_that_never_reached_plivo_is_parked_for_a_person_then_resent_on_request(
    workflows: Workflows, sim: Simulator, silent_plivo: str
) -> None:
    plan = workflows.plan(SEND)
    workflows.use(sim.auth(base_url=silent_plivo))
    crashed = asyncio.create_task(workflows.engine.run(plan, {}))
    await workflows.journal.step_running.wait()
    crashed.cancel()
    with pytest.raises(asyncio.CancelledError):
        await crashed
    workflows.use(sim.auth())  # the process comes back; Plivo is reachable again
    [run_id] = workflows.run_ids()

    parked = await workflows.engine.resume(plan, workflows.stored_by_id(run_id))
    assert (parked.status, parked.steps[1].status) == ("needs_review", "needs_review")
    assert await sim.messages() == []

    resent = await workflows.engine.resume(plan, workflows.stored_by_id(run_id), resend=True)
    assert resent.status == "succeeded"
    assert len(await sim.messages()) == 1


async def test_two_identical_recent_sends_make_the_match_ambiguous_so_a_person_decides(
    workflows: Workflows, sim: Simulator
) -> None:
    plan = workflows.plan(SEND)
    await workflows.engine.run(plan, {})
    second = await workflows.engine.run(plan, {})

    resumed = await workflows.engine.resume(plan, interrupted_during_the_send(workflows.stored(second)))

    assert resumed.status == "needs_review"
    assert len(await sim.messages()) == 2


async def test_a_bulk_send_is_found_with_its_invalid_number(workflows: Workflows, sim: Simulator) -> None:
    plan = workflows.plan(
        {
            "operation": "send_sms",
            "input": {"src": OUR_NUMBER, "dst": [ALICE, "+1111111", BOB], "text": "All"},
        }
    )
    first = await workflows.engine.run(plan, {})
    sent = first.steps[1].output

    resumed = await workflows.engine.resume(plan, interrupted_during_the_send(workflows.stored(first)))

    found = resumed.steps[1].output
    assert (found["message_uuid"], found["invalid_number"]) == (sent["message_uuid"], ["1111111"])


async def test_an_interrupted_mms_is_found_too(workflows: Workflows, sim: Simulator) -> None:
    media = ["https://example.com/a.png"]
    plan = workflows.plan(
        {"operation": "send_mms", "input": {"src": OUR_NUMBER, "dst": BOB, "media_urls": media}}
    )
    first = await workflows.engine.run(plan, {})

    resumed = await workflows.engine.resume(plan, interrupted_during_the_send(workflows.stored(first)))

    assert resumed.steps[1].output["message_uuid"] == first.steps[1].output["message_uuid"]


def record(to: str, at: datetime, uuid: str = "u-1", units: int = 1) -> dict[str, Any]:
    return {"message_uuid": uuid, "to_number": to, "units": units, "message_time": at.isoformat(sep=" ")}


NOW = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


def test_records_created_far_apart_are_not_one_send() -> None:
    send = SendSms(src=OUR_NUMBER, dst=[ALICE, BOB], text="hi")
    records = [record("14155550101", NOW, "a"), record("14155550102", NOW + timedelta(minutes=2), "b")]
    with pytest.raises(NotSure, match="not taken by one request"):
        match_send(send, records)


def test_a_valid_destination_without_its_record_means_not_sure() -> None:
    send = SendSms(src=OUR_NUMBER, dst=[ALICE, BOB], text="hi")
    with pytest.raises(NotSure, match="0 matching messages to \\+14155550102"):
        match_send(send, [record("14155550101", NOW)])


def test_a_record_of_another_length_is_another_message() -> None:
    send = SendSms(src=OUR_NUMBER, dst=ALICE, text="x" * 200)
    with pytest.raises(NotSure):
        match_send(send, [record("14155550101", NOW, units=1)])
    assert match_send(send, [record("14155550101", NOW, units=2)]).message_uuid == ["u-1"]
