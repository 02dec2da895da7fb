"""The in-process executor: a per-workflow limit, queued runs, and inbound events never left behind."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

from switchboard.definition import check_workflow
from switchboard.dispatch.inprocess import Dispatcher, DispatchSettings
from switchboard.engine.runner import Engine
from switchboard.store.database import Database
from switchboard.store.journal import SqlJournal, load_run
from switchboard.store.workflows import StoredWorkflow, WorkflowStore
from switchboard.triggers.events import store_event

from ..engine.sample_connectors import CALLS, registry


@pytest.fixture(autouse=True)
def fresh_calls() -> None:
    CALLS.__init__()  # type: ignore[misc]


@pytest.fixture
def dispatcher(database: Database) -> Iterator[Dispatcher]:
    journal = SqlJournal(database)
    yield Dispatcher(
        database=database,
        registry=registry(),
        engine=Engine(journal=journal),
        workflows=WorkflowStore(database),
        settings=DispatchSettings(max_concurrent_runs=8, max_runs_per_workflow=1),
    )
    journal.close()


def blocking_workflow(dispatcher: Dispatcher, trigger: dict[str, Any] | None = None) -> StoredWorkflow:
    document = {
        "version": 1,
        "title": "Blocks",
        "trigger": trigger or {"type": "manual"},
        "steps": [
            {"connector": "sample", "operation": "block", "input": {"value": "{$.steps.trigger.n or:0}"}}
        ],
    }
    return dispatcher.workflows.create(check_workflow(document, dispatcher.registry), owner_id=None)


async def test_runs_of_one_workflow_wait_their_turn_as_queued(dispatcher: Dispatcher) -> None:
    stored = blocking_workflow(dispatcher)
    run_ids = [await dispatcher.submit(stored, {"n": n}) for n in range(3)]
    await CALLS.started.wait()
    await asyncio.sleep(0.05)
    statuses = [load_run(dispatcher.database, run_id).status for run_id in run_ids]
    assert sorted(statuses) == ["queued", "queued", "running"]
    CALLS.release.set()
    finished = [await dispatcher.wait(run_id) for run_id in run_ids]
    assert [run.status for run in finished] == ["succeeded"] * 3
    assert CALLS.count == {"block": 3}


async def test_an_event_stored_but_never_started_is_started_by_recovery(dispatcher: Dispatcher) -> None:
    stored = blocking_workflow(dispatcher, {"type": "webhook"})
    event_id = store_event(dispatcher.database, stored.id, "webhook", {"n": 7}, dedup_key=None)
    assert event_id is not None
    CALLS.release.set()
    [run_id] = await dispatcher.recover()
    run = await dispatcher.wait(run_id)
    assert (run.status, run.steps[1].output) == ("succeeded", {"value": 7, "header": ""})
    assert await dispatcher.recover() == []  # linked to its run now: never started twice


async def test_the_same_provider_event_is_stored_once(dispatcher: Dispatcher) -> None:
    stored = blocking_workflow(dispatcher, {"type": "webhook"})
    first = store_event(dispatcher.database, stored.id, "webhook", {}, dedup_key="MessageUUID-1")
    again = store_event(dispatcher.database, stored.id, "webhook", {}, dedup_key="MessageUUID-1")
    assert first is not None and again is None


async def test_a_run_stopped_by_a_shutdown_is_resumed_by_the_next_start_but_a_cancelled_one_is_not(
    dispatcher: Dispatcher,
) -> None:
    stored = blocking_workflow(dispatcher)
    stopped = await dispatcher.submit(stored, {"n": 1})
    await CALLS.started.wait()
    await dispatcher.aclose()
    assert load_run(dispatcher.database, stopped).status == "running"

    restarted = Dispatcher(
        database=dispatcher.database,
        registry=dispatcher.registry,
        engine=dispatcher.engine,
        workflows=dispatcher.workflows,
    )
    CALLS.release.set()
    assert await restarted.recover() == [stopped]
    assert (await restarted.wait(stopped)).status == "succeeded"

    CALLS.release.clear()
    cancelled = await restarted.submit(stored, {"n": 2})
    await asyncio.sleep(0.05)
    assert (await restarted.cancel(cancelled)).status == "cancelled"
    assert await restarted.recover() == []
