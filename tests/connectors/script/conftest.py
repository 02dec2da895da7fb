"""Run workflows with script steps through the real engine, journaling to a SQLite file."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from switchboard.connectors.registry import Registry, discover
from switchboard.connectors.script import connector as script_connector
from switchboard.definition import check_workflow
from switchboard.engine.plan import compile_plan
from switchboard.engine.records import RunState, StepEntry
from switchboard.engine.runner import Engine, EngineSettings
from switchboard.store.database import open_database
from switchboard.store.journal import SqlJournal

# `discover()` finds connectors through entry points, which `script` gets once pyproject lists it.
REGISTRY = Registry([*(c for c in discover() if c.name != "script"), script_connector])

RunWorkflow = Callable[..., Awaitable[RunState]]


@pytest.fixture
def run_workflow(tmp_path: Path) -> RunWorkflow:
    """Check, plan and run a manual workflow of `steps`; `step_timeout` is the engine's own limit."""

    async def run(*steps: dict[str, Any], trigger: Any = None, step_timeout: float = 300.0) -> RunState:
        document = {"version": 1, "title": "test", "trigger": {"type": "manual"}, "steps": list(steps)}
        plan = compile_plan(check_workflow(document, REGISTRY), REGISTRY)
        database = open_database(f"sqlite:///{tmp_path / 'journal.db'}")
        journal = SqlJournal(database)
        try:
            engine = Engine(journal=journal, settings=EngineSettings(step_timeout=step_timeout))
            return await engine.run(plan, trigger if trigger is not None else {})
        finally:
            journal.close()
            database.dispose()

    return run


def script_step(script: str, **fields: Any) -> dict[str, Any]:
    """A `script` step running `script`, with other input fields (`input`, `timeout`...) and step keys."""
    step_keys: dict[str, Any] = {
        key: fields.pop(key) for key in ("on_error", "retry", "name") if key in fields
    }
    return {"connector": "script", "input": {"script": script, **fields}, **step_keys}


def step(run: RunState, name: str = "script-1") -> StepEntry:
    [entry] = [entry for entry in run.steps if entry.name == name]
    return entry


def error(run: RunState, name: str = "script-1") -> dict[str, Any]:
    """The error a step failed with, as the journal holds it."""
    found = step(run, name).error
    assert found is not None, f"{name} did not fail"
    return found
