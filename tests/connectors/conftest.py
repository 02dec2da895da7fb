"""What connector tests share: small workflows of the installed connectors, run through the real engine."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping
from pathlib import Path

import pytest

from switchboard.connectors.base import AuthFields
from switchboard.engine.runner import Engine
from switchboard.store.database import Database

from ..support import (
    FixedAuthentications,
    RunWorkflow,
    Sleeps,
    journaled_engine,
    sqlite_database,
    workflow_runner,
)


@pytest.fixture
def run_workflow(tmp_path: Path) -> RunWorkflow:
    """Check, plan and run a manual workflow of `steps`, journaling to a SQLite file of this test.

    Folders whose connector needs its own registry or engine (script, Slack, http-client) override it."""
    return workflow_runner(tmp_path)


# -- for folders that run workflows through their own engine (Slack, http-client) -------------------
# They provide `authentications` (name -> typed fields) and their own `run_workflow` on `engine`.


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    with sqlite_database(tmp_path) as database:
        yield database


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
async def engine(
    database: Database, authentications: Mapping[str, AuthFields], sleeps: Sleeps
) -> AsyncIterator[Engine]:
    async with journaled_engine(
        database, authentications=FixedAuthentications(authentications), sleep=sleeps
    ) as engine:
        yield engine
