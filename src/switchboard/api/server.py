"""The parts of a running server, built once at start-up and shared by every request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from switchboard.auth.authentications import AuthenticationStore, StoreAuthSource
from switchboard.auth.encryption import SecretBox
from switchboard.connectors.registry import Registry, discover
from switchboard.dispatch.inprocess import Dispatcher, DispatchSettings
from switchboard.engine.runner import Engine, EngineSettings
from switchboard.settings import Settings
from switchboard.store.database import Database, open_database
from switchboard.store.journal import SqlJournal
from switchboard.store.workflows import WorkflowStore
from switchboard.triggers.clock import Clock, SystemClock


@dataclass
class Server:
    settings: Settings
    database: Database
    registry: Registry
    workflows: WorkflowStore
    authentications: AuthenticationStore
    engine: Engine
    dispatcher: Dispatcher
    clock: Clock

    def now(self) -> datetime:
        return self.clock.now()

    async def aclose(self) -> None:
        await self.dispatcher.aclose()
        await self.engine.clients.aclose()
        journal = self.engine.journal
        if isinstance(journal, SqlJournal):
            journal.close()
        self.database.dispose()


def build_server(
    settings: Settings, *, registry: Registry | None = None, clock: Clock | None = None
) -> Server:
    """Open the database (migrating it), load the secret keys and wire the engine to the store."""
    database = open_database(settings.resolved_database_url())
    registry = registry or discover()
    workflows = WorkflowStore(database)
    authentications = AuthenticationStore(database, SecretBox.from_settings(settings), registry)
    engine = Engine(
        journal=SqlJournal(database),
        authentications=StoreAuthSource(authentications),
        settings=EngineSettings(step_timeout=settings.step_timeout, public_url=settings.public_url),
    )
    dispatcher = Dispatcher(
        database=database,
        registry=registry,
        engine=engine,
        workflows=workflows,
        settings=DispatchSettings(
            max_concurrent_runs=settings.max_concurrent_runs,
            max_runs_per_workflow=settings.max_runs_per_workflow,
        ),
    )
    return Server(
        settings, database, registry, workflows, authentications, engine, dispatcher, clock or SystemClock()
    )
