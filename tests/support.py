"""What many tests share: real servers on a port, running workflows through the real engine, and reading
what they did."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import uvicorn

from switchboard.connectors.base import AuthFields, Connector, Context, secret_field_names
from switchboard.connectors.registry import Registry, discover
from switchboard.definition import check_workflow
from switchboard.engine.plan import Plan, compile_plan
from switchboard.engine.records import RunState
from switchboard.engine.runner import (
    AuthSource,
    Engine,
    EngineSettings,
    NoAuthentications,
    ResolvedAuth,
    Sleep,
)
from switchboard.errors import SwitchboardError
from switchboard.store.database import Database, open_database
from switchboard.store.journal import SqlJournal

RunWorkflow = Callable[..., Awaitable[RunState]]

# -- servers -------------------------------------------------------------------------------------


def listening_socket() -> socket.socket:
    """A socket on a free port of 127.0.0.1, listening, so connections queue until the server accepts.

    IPPROTO_TCP so that asyncio turns Nagle off for accepted connections (else ~40 ms a request)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    return sock


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """Serve an ASGI app under uvicorn on a free port of 127.0.0.1, in its own thread and event loop;
    gives its base URL (e.g. http://127.0.0.1:PORT) once its lifespan has started."""
    sock = listening_socket()
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=lambda: asyncio.run(server.serve(sockets=[sock])), daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the server did not start")
            time.sleep(0.005)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=20)
        sock.close()


# -- the engine ----------------------------------------------------------------------------------


@contextmanager
def sqlite_database(folder: Path) -> Iterator[Database]:
    """A migrated SQLite database in `folder/journal.db`, disposed of afterwards."""
    database = open_database(f"sqlite:///{folder / 'journal.db'}")
    try:
        yield database
    finally:
        database.dispose()


class FixedAuthentications:
    """A real AuthSource over a fixed set of authentications, their secrets listed as a store would.

    With `redact` False no secrets are listed, so the engine redacts nothing: what a connector itself
    keeps out of the journal can be told apart from what the engine's redaction hides."""

    def __init__(self, auths: Mapping[str, AuthFields], *, redact: bool = True) -> None:
        self.auths = auths
        self.redact = redact

    async def resolve(self, name: str, connector: Connector, *, owner: str | None) -> ResolvedAuth:
        if name not in self.auths:
            raise SwitchboardError(f"unknown authentication {name!r}")
        fields = self.auths[name]
        names = secret_field_names(type(fields)) if self.redact else frozenset()
        return ResolvedAuth(
            name, fields, tuple(str(getattr(fields, key)) for key in names if getattr(fields, key))
        )


class Sleeps(list[float]):
    """The engine's waits between step attempts, recorded instead of slept (other tasks still get a turn)."""

    async def __call__(self, seconds: float) -> None:
        self.append(seconds)
        await asyncio.sleep(0)


@asynccontextmanager
async def journaled_engine(
    database: Database,
    *,
    authentications: AuthSource | None = None,
    sleep: Sleep = asyncio.sleep,
    settings: EngineSettings | None = None,
    journal: SqlJournal | None = None,
) -> AsyncIterator[Engine]:
    """An engine journaling to `database` (through `journal`, a journal of it, when given); its clients
    and journal are closed afterwards."""
    journal = SqlJournal(database) if journal is None else journal
    engine = Engine(
        journal=journal,
        authentications=NoAuthentications() if authentications is None else authentications,
        settings=settings or EngineSettings(),
        sleep=sleep,
    )
    try:
        yield engine
    finally:
        await engine.clients.aclose()
        journal.close()


def registry_with(connector: Connector) -> Registry:
    """Every installed connector, with `connector` whether or not its entry point is declared."""
    return Registry([*(c for c in discover() if c.name != connector.name), connector])


def manual_plan(steps: tuple[dict[str, Any], ...], registry: Registry, **document: Any) -> Plan:
    """Check and compile a manually triggered workflow of `steps` (other top-level keys as keywords)."""
    workflow = {
        "version": 1,
        "title": "test",
        "trigger": {"type": "manual"},
        "steps": list(steps),
        **document,
    }
    return compile_plan(check_workflow(workflow, registry), registry)


def engine_runner(engine: Engine, registry: Registry) -> RunWorkflow:
    """`run(*steps, trigger=...)`: check, plan and run a manual workflow of `steps` on `engine`."""

    async def run(*steps: dict[str, Any], trigger: Any = None) -> RunState:
        return await engine.run(manual_plan(steps, registry), trigger if trigger is not None else {})

    return run


def workflow_runner(folder: Path, registry: Registry | None = None) -> RunWorkflow:
    """Check, plan and run a manual workflow of `steps`, journaling to a SQLite file in `folder`;
    `step_timeout` is the engine's own limit."""
    known = registry or discover()

    async def run(
        *steps: dict[str, Any], trigger: Any = None, step_timeout: float = EngineSettings.step_timeout
    ) -> RunState:
        with sqlite_database(folder) as database:
            settings = EngineSettings(step_timeout=step_timeout)
            async with journaled_engine(database, settings=settings) as engine:
                return await engine_runner(engine, known)(*steps, trigger=trigger)

    return run


# -- what a run did ------------------------------------------------------------------------------


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
