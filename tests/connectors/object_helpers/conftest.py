"""Call object-helpers operations as the engine does, and run small workflows that use them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from switchboard.connectors.base import Context
from switchboard.connectors.core import boolean_condition, loop
from switchboard.connectors.object_helpers import connector
from switchboard.connectors.registry import Registry
from switchboard.definition import check_workflow
from switchboard.engine.plan import compile_plan
from switchboard.engine.records import RunState
from switchboard.engine.runner import Engine
from switchboard.store.database import open_database
from switchboard.store.journal import SqlJournal

REGISTRY = Registry([connector, boolean_condition.connector, loop.connector])

RunWorkflow = Callable[..., Awaitable[RunState]]


async def call(operation: str, /, **fields: Any) -> Any:
    """Validate `fields` as the step's input and run the operation; its output as later steps read it."""
    found = connector.operations[operation]
    output = await found(found.input_model.model_validate(fields), Context(auth=None, run_id="r", step="s"))
    return output.model_dump(mode="json")


async def result(operation: str, /, **fields: Any) -> Any:
    return (await call(operation, **fields))["result"]


@pytest.fixture
def run_workflow(tmp_path: Path) -> RunWorkflow:
    """Check, plan and run a manual workflow of `steps`, journaling to a SQLite file."""

    async def run(*steps: dict[str, Any], trigger: Any = None) -> RunState:
        document = {"version": 1, "title": "test", "trigger": {"type": "manual"}, "steps": list(steps)}
        plan = compile_plan(check_workflow(document, REGISTRY), REGISTRY)
        database = open_database(f"sqlite:///{tmp_path / 'journal.db'}")
        journal = SqlJournal(database)
        try:
            return await Engine(journal=journal).run(plan, trigger if trigger is not None else {})
        finally:
            journal.close()
            database.dispose()

    return run


def outputs(run: RunState) -> dict[str, Any]:
    """Each executed step's output by name (loop iterations as name@loop-1:0)."""
    return {f"{e.name}{'@' + e.iteration if e.iteration else ''}": e.output for e in run.steps}
