"""What connector tests share: small workflows of the installed connectors, run through the real engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from ..support import RunWorkflow, workflow_runner


@pytest.fixture
def run_workflow(tmp_path: Path) -> RunWorkflow:
    """Check, plan and run a manual workflow of `steps`, journaling to a SQLite file of this test.

    Folders whose connector needs its own registry or engine (script, Slack, http-client) override it."""
    return workflow_runner(tmp_path)
