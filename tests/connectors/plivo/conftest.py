"""Real things for the Plivo connector tests: the simulator on 127.0.0.1, a server standing for the user's
webhook endpoints, and the engine with a SQLite journal running workflows of Plivo steps.

The simulator and the receiver run under uvicorn in background threads for the whole session; each test
resets the simulator through its control API and uses its own receiver paths. Steps reach the simulator
through the connector's own client, over real HTTP, exactly as they would reach Plivo.
"""

from __future__ import annotations

import asyncio
import json
import threading
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request, Response

from switchboard.connectors.base import InboundRequest
from switchboard.connectors.plivo import PlivoAuth, connector
from switchboard.engine.plan import Plan
from switchboard.engine.records import RunState, StepEntry
from switchboard.engine.runner import Engine
from switchboard.sim.plivo import (
    DEFAULT_AUTH_ID,
    DEFAULT_AUTH_TOKEN,
    DEFAULT_NUMBER,
    PlivoSimSettings,
    PlivoSimState,
    create_plivo_app,
)
from switchboard.store.database import Database
from switchboard.store.journal import SqlJournal, load_run
from switchboard.store.tables import runs

from ...support import (
    FixedAuthentications,
    Sleeps,
    journaled_engine,
    manual_plan,
    registry_with,
    serving,
    sqlite_database,
)

AUTH_NAME = "Plivo Sandbox"
OUR_NUMBER = "+" + DEFAULT_NUMBER
ALICE = "+14155550101"
BOB = "+14155550102"
REGISTRY = registry_with(connector)
"""Every installed connector plus this one (whether or not its entry point is installed yet)."""


def fast_auth(base_url: str, /, **changes: Any) -> PlivoAuth:
    """The default account at `base_url` as a Switchboard authentication, sending fast enough not to
    pace tests; `changes` override any field."""
    fields: dict[str, Any] = {
        "auth_id": DEFAULT_AUTH_ID,
        "auth_token": DEFAULT_AUTH_TOKEN,
        "base_url": base_url,
        "messages_per_second": 1000.0,
        **changes,
    }
    return PlivoAuth(**fields)


class Simulator:
    """A test's handle on the running Plivo simulator: its URL and its control API."""

    def __init__(self, url: str, control: httpx.AsyncClient) -> None:
        self.url = url
        self.control = control

    def auth(self, **changes: Any) -> PlivoAuth:
        """The default account as a Switchboard authentication, fast enough not to pace tests."""
        return fast_auth(self.url, **{"mms_per_second": 1000.0, **changes})

    async def configure(self, **changes: Any) -> None:
        answer = await self.control.patch("/sim/plivo/config", json=changes)
        assert answer.status_code == 200, answer.text

    async def settle(self) -> None:
        answer = await self.control.post("/sim/plivo/settle", params={"timeout": 10})
        assert answer.status_code == 200, answer.text

    async def messages(self, **filters: str) -> list[dict[str, Any]]:
        """Every message the simulator holds (with its text, which Plivo's API never shows)."""
        answer = await self.control.get("/sim/plivo/messages", params=filters)
        return list(answer.json()["messages"])

    async def inbound(self, text: str, *, frm: str = ALICE, to: str = OUR_NUMBER, times: int = 1) -> str:
        """A phone sends an SMS to one of the account's numbers; wait until it was forwarded."""
        answer = await self.control.post(
            "/sim/plivo/inbound", json={"from": frm, "to": to, "text": text, "times": times, "wait": True}
        )
        assert answer.status_code in (200, 202), answer.text
        return str(answer.json()["message_uuid"])

    async def api(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """Call the simulated Plivo API directly as the default account (to set things up)."""
        return await self.control.request(
            method,
            f"/v1/Account/{DEFAULT_AUTH_ID}/{path}",
            auth=(DEFAULT_AUTH_ID, DEFAULT_AUTH_TOKEN),
            **kwargs,
        )


@dataclass
class Receiver:
    """A server standing for Switchboard's public trigger URLs: it records each request and answers 200."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    seen: dict[str, list[InboundRequest]] = field(default_factory=dict)
    url: str = ""

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.api_route("/{path:path}", methods=["GET", "POST"])
        async def receive(request: Request, path: str) -> Response:
            inbound = InboundRequest(
                method=request.method,
                url=str(request.url),
                headers={name.lower(): value for name, value in request.headers.items()},
                body=await request.body(),
                query=dict(request.query_params),
            )
            with self.lock:
                self.seen.setdefault("/" + path, []).append(inbound)
            return Response('<?xml version="1.0" encoding="UTF-8"?><Response/>', media_type="application/xml")

        return app

    def endpoint(self) -> Endpoint:
        """A fresh path of this receiver, for one test."""
        return Endpoint(self, f"/{uuid.uuid4().hex}")


@dataclass(frozen=True)
class Endpoint:
    """One test's trigger URL on the receiver, and the requests that reached it."""

    receiver: Receiver
    path: str

    @property
    def url(self) -> str:
        return self.receiver.url + self.path

    def requests(self) -> list[InboundRequest]:
        with self.receiver.lock:
            return list(self.receiver.seen.get(self.path, []))


@dataclass(frozen=True)
class Scripted:
    """One answer of the stub Plivo: a status, a JSON (or text) body, headers, and a delay before it."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class StubPlivo:
    """A Plivo that answers what a test scripts: the failures the simulator never makes (5xx, silence).

    Each test gets its own path prefix, used as its authentication's base_url; unscripted requests get a
    plausible 200 (or 202 for a send).
    """

    lock: threading.Lock = field(default_factory=threading.Lock)
    scripts: dict[str, list[Scripted]] = field(default_factory=dict)
    hits: dict[str, list[str]] = field(default_factory=dict)
    url: str = ""

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.api_route("/{prefix}/v1/Account/{auth_id}/{rest:path}", methods=["GET", "POST", "DELETE"])
        async def answer(request: Request, prefix: str, auth_id: str, rest: str) -> Response:
            with self.lock:
                self.hits.setdefault(prefix, []).append(f"{request.method} {rest}")
                queue = self.scripts.get(prefix, [])
                scripted = queue.pop(0) if queue else None
            if scripted is None:
                scripted = Scripted(
                    202, {"api_id": "stub", "message": "message(s) queued", "message_uuid": ["u-1"]}
                )
                if request.method == "GET":
                    scripted = Scripted(200, {"api_id": "stub", "auth_id": auth_id, "name": "Stub"})
            if scripted.delay:
                await asyncio.sleep(scripted.delay)
            body = scripted.body if isinstance(scripted.body, str) else json.dumps(scripted.body)
            media_type = "text/plain" if isinstance(scripted.body, str) else "application/json"
            return Response(
                body, status_code=scripted.status, headers=scripted.headers, media_type=media_type
            )

        return app


@dataclass(frozen=True)
class StubAccount:
    """One test's view of the stub Plivo."""

    stub: StubPlivo
    prefix: str

    def auth(self, **changes: Any) -> PlivoAuth:
        return fast_auth(f"{self.stub.url}/{self.prefix}", **changes)

    def answer(self, *scripted: Scripted) -> None:
        """Answer the next requests so, in order (then the plausible default)."""
        with self.stub.lock:
            self.stub.scripts[self.prefix] = list(scripted)

    @property
    def requests(self) -> list[str]:
        """``METHOD path`` of every request that reached this test's stub account."""
        with self.stub.lock:
            return list(self.stub.hits.get(self.prefix, []))


@pytest.fixture(scope="session")
def stub_server() -> Iterator[StubPlivo]:
    stub = StubPlivo()
    with serving(stub.app()) as url:
        stub.url = url
        yield stub


@pytest.fixture
def stub(stub_server: StubPlivo) -> StubAccount:
    """A misbehaving Plivo of this test's own."""
    return StubAccount(stub_server, uuid.uuid4().hex)


@pytest.fixture(scope="session")
def simulator_server() -> Iterator[str]:
    """The simulator's base URL."""
    settings = PlivoSimSettings(time_scale=0, messages_per_second=None)
    with serving(create_plivo_app(PlivoSimState(settings))) as url:
        yield url


@pytest.fixture(scope="session")
def receiver_server() -> Iterator[Receiver]:
    receiver = Receiver()
    with serving(receiver.app()) as url:
        receiver.url = url
        yield receiver


@pytest.fixture
async def sim(simulator_server: str) -> AsyncIterator[Simulator]:
    """The simulator, reset: default account and number, instant lifecycle, no message pacing."""
    async with httpx.AsyncClient(base_url=simulator_server, timeout=10) as control:
        answer = await control.post("/sim/plivo/reset")
        assert answer.status_code == 200
        yield Simulator(simulator_server, control)


@pytest.fixture
def endpoint(receiver_server: Receiver) -> Endpoint:
    """This test's own trigger URL."""
    return receiver_server.endpoint()


class WatchedJournal(SqlJournal):
    """The SQL journal, also telling a test when a step has been journaled as running (about to be called)."""

    def __init__(self, database: Database) -> None:
        super().__init__(database)
        self.step_running = asyncio.Event()

    async def save_step(self, run: RunState, entry: StepEntry) -> None:
        await super().save_step(run, entry)
        if entry.status == "running" and entry.name != "trigger":
            self.step_running.set()


@dataclass
class Workflows:
    """Runs workflows of Plivo steps through the real engine, journaled to SQLite."""

    database: Database
    engine: Engine
    sleeps: Sleeps
    authentications: FixedAuthentications
    journal: WatchedJournal

    def use(self, auth: PlivoAuth) -> None:
        """Make authentication 'Plivo Sandbox' these fields from now on."""
        self.authentications.auths = {**self.authentications.auths, AUTH_NAME: auth}

    def plan(self, *steps: dict[str, Any]) -> Plan:
        """A manual workflow of Plivo steps using authentication 'Plivo Sandbox'."""
        plivo_steps = tuple({"auth": AUTH_NAME, "connector": "plivo", **step} for step in steps)
        return manual_plan(plivo_steps, REGISTRY, title="plivo test")

    async def run(self, *steps: dict[str, Any], trigger_output: Any = None) -> RunState:
        return await self.engine.run(self.plan(*steps), trigger_output if trigger_output is not None else {})

    async def step(self, operation: str, **step_input: Any) -> StepEntry:
        """Run a workflow of one step and return that step's journal entry."""
        run = await self.run({"operation": operation, "input": step_input})
        return run.steps[-1]

    async def output(self, operation: str, **step_input: Any) -> dict[str, Any]:
        """Run one step and return its output, failing the test when the step failed."""
        step = await self.step(operation, **step_input)
        assert step.status == "succeeded", step.error
        assert isinstance(step.output, dict)
        return step.output

    async def error(self, operation: str, **step_input: Any) -> dict[str, Any]:
        """Run one step that must fail and return its journaled error."""
        step = await self.step(operation, **step_input)
        assert step.status == "failed", step.output
        assert isinstance(step.error, dict)
        return step.error

    def stored(self, run: RunState) -> RunState:
        """The run as the journal holds it."""
        return load_run(self.database, run.id)

    def stored_by_id(self, run_id: str) -> RunState:
        return load_run(self.database, run_id)

    def run_ids(self) -> list[str]:
        """Every run the journal holds (also those whose task was cancelled)."""
        with self.database.engine.connect() as connection:
            return [
                str(run_id)
                for run_id in connection.execute(runs.select().with_only_columns(runs.c.id)).scalars()
            ]


@pytest.fixture
async def workflows(sim: Simulator, tmp_path: Path) -> AsyncIterator[Workflows]:
    """The engine with the default simulator account as authentication 'Plivo Sandbox'."""
    sleeps = Sleeps()
    authentications = FixedAuthentications({AUTH_NAME: sim.auth()})
    with sqlite_database(tmp_path) as database:
        journal = WatchedJournal(database)
        async with journaled_engine(
            database, authentications=authentications, sleep=sleeps, journal=journal
        ) as engine:
            yield Workflows(database, engine, sleeps, authentications, journal)
