from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from switchboard.connectors.base import Connector
from switchboard.definition import check_workflow
from switchboard.engine.plan import Plan, compile_plan
from switchboard.engine.runner import Engine, ResolvedAuth
from switchboard.errors import SwitchboardError
from switchboard.store.database import Database
from switchboard.store.journal import SqlJournal

from ..support import outputs
from . import sample_connectors
from .sample_connectors import CALLS, TokenAuth


class FixedAuthentications:
    """A real AuthSource over a fixed set of authentications, as a store would give them."""

    def __init__(self, auths: dict[str, TokenAuth]) -> None:
        self.auths = auths

    async def resolve(self, name: str, connector: Connector, *, owner: str | None) -> ResolvedAuth:
        if name not in self.auths:
            raise SwitchboardError(f"unknown authentication {name!r}")
        fields = self.auths[name]
        return ResolvedAuth(name, fields, (fields.token,))


class Sleeps(list[float]):
    async def __call__(self, seconds: float) -> None:
        self.append(seconds)
        await asyncio.sleep(0)


@pytest.fixture(autouse=True)
def fresh_calls() -> None:
    sample_connectors.CALLS.__init__()  # type: ignore[misc]


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def engine(database: Database, sleeps: Sleeps) -> Iterator[Engine]:
    journal = SqlJournal(database)
    yield Engine(
        journal=journal,
        authentications=FixedAuthentications({"Test Auth": TokenAuth(user="ada", token="s3cr3t-t0ken")}),
        sleep=sleeps,
    )
    journal.close()


@pytest.fixture
def plan() -> Callable[..., Plan]:
    def make(*steps: dict[str, Any], **extra: Any) -> Plan:
        document = {
            "version": 1,
            "title": "test",
            "trigger": {"type": "manual"},
            "steps": list(steps),
            **extra,
        }
        registry = sample_connectors.registry()
        return compile_plan(check_workflow(document, registry), registry)

    return make


__all__ = ["CALLS", "outputs"]
