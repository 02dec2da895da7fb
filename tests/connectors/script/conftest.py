"""Run workflows with script steps through the real engine, journaling to a SQLite file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from switchboard.connectors.script import connector as script_connector
from switchboard.engine.records import RunState, StepEntry

from ...support import RunWorkflow, registry_with, workflow_runner

# `discover()` finds connectors through entry points, which `script` gets once pyproject lists it.
REGISTRY = registry_with(script_connector)


@pytest.fixture
def run_workflow(tmp_path: Path) -> RunWorkflow:
    """Check, plan and run a manual workflow of `steps`; `step_timeout` is the engine's own limit."""
    return workflow_runner(tmp_path, REGISTRY)


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
