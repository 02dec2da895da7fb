"""Call list-helpers operations as the engine does, and run small workflows that use them."""

from __future__ import annotations

from pathlib import Path

import pytest

from switchboard.connectors.list_helpers import connector
from switchboard.connectors.registry import discover

from ...support import RunWorkflow, operation_caller, outputs, workflow_runner

REGISTRY = discover()
call, result = operation_caller(connector)


@pytest.fixture
def run_workflow(tmp_path: Path) -> RunWorkflow:
    return workflow_runner(tmp_path)


__all__ = ["REGISTRY", "RunWorkflow", "call", "outputs", "result"]
