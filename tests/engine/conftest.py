from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from switchboard.engine.plan import Plan
from switchboard.engine.runner import Engine
from switchboard.store.database import Database

from ..support import FixedAuthentications, Sleeps, journaled_engine, manual_plan
from . import sample_connectors
from .sample_connectors import TokenAuth


@pytest.fixture(autouse=True)
def fresh_calls() -> None:
    sample_connectors.CALLS.__init__()  # type: ignore[misc]


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
async def engine(database: Database, sleeps: Sleeps) -> AsyncIterator[Engine]:
    authentications = FixedAuthentications({"Test Auth": TokenAuth(user="ada", token="s3cr3t-t0ken")})
    async with journaled_engine(database, authentications=authentications, sleep=sleeps) as engine:
        yield engine


@pytest.fixture
def plan() -> Callable[..., Plan]:
    def make(*steps: dict[str, Any], **extra: Any) -> Plan:
        return manual_plan(steps, sample_connectors.registry(), **extra)

    return make
