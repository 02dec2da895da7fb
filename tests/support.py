"""What many tests share: running a workflow through the real engine, and reading what it did."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from switchboard.connectors.base import Connector, Context
from switchboard.connectors.registry import Registry, discover
from switchboard.definition import check_workflow
from switchboard.engine.plan import compile_plan
from switchboard.engine.records import RunState
from switchboard.engine.runner import Engine
from switchboard.store.database import open_database
from switchboard.store.journal import SqlJournal

RunWorkflow = Callable[..., Awaitable[RunState]]


def outputs(run: RunState) -> dict[str, Any]:
    """Each executed step's output by name (loop iterations as `name@loop-1:0`)."""
    return {f"{e.name}{'@' + e.iteration if e.iteration else ''}": e.output for e in run.steps}


def operation_caller(
    connector: Connector,
) -> tuple[Callable[..., Awaitable[Any]], Callable[..., Awaitable[Any]]]:
    """`call(operation, **fields)` giving the output as later steps read it, and `result(...)` its `result`."""

    async def call(operation: str, /, **fields: Any) -> Any:
        found = connector.operations[operation]
        output = await found(
            found.input_model.model_validate(fields), Context(auth=None, run_id="r", step="s")
        )
        return output.model_dump(mode="json")

    async def result(operation: str, /, **fields: Any) -> Any:
        return (await call(operation, **fields))["result"]

    return call, result


def workflow_runner(folder: Path, registry: Registry | None = None) -> RunWorkflow:
    """Check, plan and run a manual workflow of `steps`, journaling to a SQLite file in `folder`."""
    known = registry or discover()

    async def run(*steps: dict[str, Any], trigger: Any = None) -> RunState:
        document = {"version": 1, "title": "test", "trigger": {"type": "manual"}, "steps": list(steps)}
        plan = compile_plan(check_workflow(document, known), known)
        database = open_database(f"sqlite:///{folder / 'journal.db'}")
        journal = SqlJournal(database)
        try:
            return await Engine(journal=journal).run(plan, trigger if trigger is not None else {})
        finally:
            journal.close()
            database.dispose()

    return run
