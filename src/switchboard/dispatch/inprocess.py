"""Running runs inside the server process: a bounded pool, a per-workflow limit, recovery after a crash.

Every run is recorded as `queued` before it waits for a slot, so that a crash at any point leaves a
record to resume from: on start, `recover` resumes the runs that were queued or running, and starts
the runs of inbound events that were stored but never got one.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from switchboard.connectors.registry import Registry
from switchboard.dispatch.services import CALL_CHAIN, Reply, RunContext
from switchboard.engine.plan import Plan, compile_plan
from switchboard.engine.records import RunState
from switchboard.engine.runner import SHUTDOWN, Engine
from switchboard.errors import NotFound, OperationFailed, SwitchboardError
from switchboard.store.database import Database
from switchboard.store.journal import SqlJournal, load_run
from switchboard.store.storage import KeyValueStore
from switchboard.store.tables import runs, trigger_events
from switchboard.store.workflows import StoredWorkflow, WorkflowStore

log = logging.getLogger("switchboard.dispatch")


@dataclass
class DispatchSettings:
    max_concurrent_runs: int = 64
    """Runs executing at once in this process; more wait as `queued`."""
    max_runs_per_workflow: int = 16
    """Runs of one workflow executing at once, so one busy workflow cannot starve the others."""


@dataclass
class Dispatcher:
    """Starts runs as asyncio tasks and keeps track of them."""

    database: Database
    registry: Registry
    engine: Engine
    workflows: WorkflowStore
    settings: DispatchSettings = field(default_factory=DispatchSettings)

    def __post_init__(self) -> None:
        self._slots = asyncio.Semaphore(self.settings.max_concurrent_runs)
        self._per_workflow: dict[str, asyncio.Semaphore] = {}
        self._tasks: dict[str, asyncio.Task[RunState]] = {}
        self._plans: dict[tuple[str, int], Plan] = {}
        self._storage = KeyValueStore(self.database)

    @property
    def journal(self) -> SqlJournal:
        journal = self.engine.journal
        assert isinstance(journal, SqlJournal)
        return journal

    def plan_for(self, stored: StoredWorkflow) -> Plan:
        """Compiled once per workflow version; versions never change, so the cache never goes stale."""
        key = (stored.id, stored.version)
        if key not in self._plans:
            self._plans[key] = compile_plan(stored.workflow(), self.registry)
        return self._plans[key]

    async def submit(
        self,
        stored: StoredWorkflow,
        trigger_data: Any,
        *,
        trigger_type: str | None = None,
        replay_of: str | None = None,
        reply: Reply | None = None,
        run_id: str | None = None,
    ) -> str:
        """Record the run as queued and start it; returns its id at once."""
        run = RunState(
            id=run_id or uuid.uuid4().hex,
            workflow_id=stored.id,
            workflow_version=stored.version,
            status="queued",
            trigger_type=trigger_type or stored.trigger_type,
            trigger_data=trigger_data,
            owner_id=stored.owner_id,
            replay_of=replay_of,
        )
        await self.journal.run_started(run)
        self._start(run.id, stored.id, self._execute(stored, run, reply))
        return run.id

    async def wait(self, run_id: str) -> RunState:
        """The run's final state, once it has ended."""
        task = self._tasks.get(run_id)
        if task is not None:
            await asyncio.shield(task)
        return load_run(self.database, run_id)

    async def cancel(self, run_id: str) -> RunState:
        task = self._tasks.get(run_id)
        if task is None:
            state = load_run(self.database, run_id)
            raise SwitchboardError(f"run {run_id} is {state.status}, not running: nothing to cancel")
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        return load_run(self.database, run_id)

    async def retry(self, run_id: str, *, resend: bool = False) -> str:
        """Run a failed or parked run again from the step that did not succeed."""
        state = load_run(self.database, run_id)
        if run_id in self._tasks or state.status not in ("failed", "needs_review", "cancelled"):
            raise SwitchboardError(
                f"run {run_id} is {state.status}: only a failed, parked or cancelled run is retried"
            )
        if state.workflow_id is None or state.workflow_version is None:
            raise NotFound(f"run {run_id} has no stored workflow to run again")
        stored = self.workflows.get(state.workflow_id, state.workflow_version)
        self._start(run_id, stored.id, self._resume(stored, state, resend=resend))
        return run_id

    async def recover(self) -> list[str]:
        """After a restart: resume interrupted runs and start the runs of events left without one."""
        with self.database.engine.connect() as connection:
            interrupted = list(
                connection.execute(
                    sa.select(runs.c.id).where(runs.c.status.in_(("queued", "running")))
                ).scalars()
            )
            orphans = connection.execute(
                sa.select(trigger_events.c.id, trigger_events.c.workflow_id, trigger_events.c.run_id)
                .select_from(trigger_events.outerjoin(runs, runs.c.id == trigger_events.c.run_id))
                .where(runs.c.id.is_(None))
            ).all()
        for run_id in interrupted:
            state = load_run(self.database, run_id)
            if state.workflow_id is None or state.workflow_version is None:
                continue
            stored = self.workflows.get(state.workflow_id, state.workflow_version)
            log.info("resuming run %s of workflow %s", run_id, stored.id)
            self._start(run_id, stored.id, self._resume(stored, state))
        started = list(interrupted)
        for event_id, workflow_id, run_id in orphans:
            started.append(await self.start_event(event_id, workflow_id, run_id))
        return started

    async def start_event(self, event_id: str, workflow_id: str, run_id: str | None = None) -> str:
        """Start the run of a stored inbound event left without one by a crash, linking the two first."""
        with self.database.engine.connect() as connection:
            row = connection.execute(
                sa.select(trigger_events.c.payload, trigger_events.c.kind).where(
                    trigger_events.c.id == event_id
                )
            ).one()
        stored = self.workflows.get(workflow_id)
        run_id = run_id or uuid.uuid4().hex
        with self.database.engine.begin() as connection:
            connection.execute(
                trigger_events.update().where(trigger_events.c.id == event_id).values(run_id=run_id)
            )
        return await self.submit(stored, row.payload, trigger_type=row.kind, run_id=run_id)

    async def aclose(self) -> None:
        """Stop every run task; their journals say `running`, so the next start resumes them."""
        tasks = list(self._tasks.values())
        for task in tasks:
            task.cancel(SHUTDOWN)
        await asyncio.gather(*tasks, return_exceptions=True)

    def _start(self, run_id: str, workflow_id: str, work: Any) -> None:
        task = asyncio.create_task(self._bounded(workflow_id, work), name=f"run-{run_id}")
        self._tasks[run_id] = task
        task.add_done_callback(lambda _: self._tasks.pop(run_id, None))

    async def _bounded(self, workflow_id: str, work: Any) -> RunState:
        limit = self._per_workflow.setdefault(
            workflow_id, asyncio.Semaphore(self.settings.max_runs_per_workflow)
        )
        async with self._slots, limit:
            result: RunState = await work
            return result

    def _services(self, stored: StoredWorkflow, run: RunState, reply: Reply | None) -> RunContext:
        data = run.trigger_data
        chain = data.get(CALL_CHAIN, []) if isinstance(data, dict) else []
        return RunContext(
            run.id, stored.id, self._storage, caller=self._call, reply=reply, call_chain=list(chain)
        )

    async def _call(self, workflow_id: str, data: Any, wait: bool, chain: list[str]) -> dict[str, Any]:
        """Start a callable workflow for `call-workflow`; with `wait`, until it responds or ends."""
        stored = self.workflows.get(workflow_id)
        if stored.trigger_type != "callable":
            raise OperationFailed(
                f"workflow {workflow_id} is not callable: its trigger is {stored.trigger_type}"
            )
        trigger_data = {**data} if isinstance(data, dict) else {"input": data}
        trigger_data.update({"#calling_workflow": chain[-1], CALL_CHAIN: chain})
        reply = Reply() if wait else None
        run_id = await self.submit(stored, trigger_data, trigger_type="callable", reply=reply)
        if reply is None:
            return {"run_id": run_id, "status": "queued", "response": None}
        ended = asyncio.ensure_future(self.wait(run_id))
        waiting: set[asyncio.Future[Any]] = {reply.future, ended}
        await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
        if reply.future.done():
            ended.cancel()
            return {"run_id": run_id, "status": "responded", "response": reply.future.result()}
        run = ended.result()
        if run.status != "succeeded":
            message = (run.error or {}).get("message", run.status)
            raise OperationFailed(f"the called workflow's run {run_id} {run.status}: {message}")
        return {"run_id": run_id, "status": run.status, "response": None}

    async def _execute(self, stored: StoredWorkflow, run: RunState, reply: Reply | None) -> RunState:
        return await self.engine.run(
            self.plan_for(stored),
            run.trigger_data,
            workflow_id=stored.id,
            workflow_version=stored.version,
            trigger_type=run.trigger_type,
            run_id=run.id,
            owner=stored.owner_id,
            replay_of=run.replay_of,
            services=self._services(stored, run, reply),
        )

    async def _resume(self, stored: StoredWorkflow, state: RunState, *, resend: bool = False) -> RunState:
        plan = self.plan_for(stored)
        if not state.steps:  # queued, never started: start it as it was meant to
            return await self._execute(stored, state, None)
        return await self.engine.resume(
            plan, state, resend=resend, services=self._services(stored, state, None)
        )
