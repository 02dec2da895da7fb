"""Real things for the Plivo connector tests: the simulator on 127.0.0.1, a server standing for the user's
webhook endpoints, and the engine with a SQLite journal running workflows of Plivo steps.

The simulator and the receiver run under uvicorn in background threads for the whole session; each test
resets the simulator through its control API and uses its own receiver paths. Steps reach the simulator
through the connector's own client, over real HTTP, exactly as they would reach Plivo.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI, Request, Response

from switchboard.connectors.base import Connector, InboundRequest
from switchboard.connectors.plivo import PlivoAuth, connector
from switchboard.connectors.registry import Registry, discover
from switchboard.definition import check_workflow
from switchboard.engine.plan import Plan, compile_plan
from switchboard.engine.records import RunState, StepEntry
from switchboard.engine.runner import Engine, ResolvedAuth
from switchboard.errors import SwitchboardError
from switchboard.sim.plivo import (
    DEFAULT_AUTH_ID,
    DEFAULT_AUTH_TOKEN,
    DEFAULT_NUMBER,
    PlivoSimSettings,
    PlivoSimState,
    create_plivo_app,
)
from switchboard.store.database import Database, open_database
from switchboard.store.journal import SqlJournal, load_run
from switchboard.store.tables import runs

AUTH_NAME = "Plivo Sandbox"
OUR_NUMBER = "+" + DEFAULT_NUMBER
ALICE = "+14155550101"
BOB = "+14155550102"
REGISTRY = Registry([*(known for known in discover() if known.name != "plivo"), connector])
"""Every installed connector plus this one (whether or not its entry point is installed yet)."""


class ServerThread:
    """A uvicorn server on a free 127.0.0.1 port, in a thread with its own event loop.

    The socket is made with IPPROTO_TCP explicitly: without it, requests to it take ~44 ms each here.
    """

    def __init__(self, app: Any) -> None:
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self._socket.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._socket.getsockname()[1]}"
        self._server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
        self._thread = threading.Thread(target=lambda: asyncio.run(self._server.serve([self._socket])))
        self._thread.daemon = True

    def __enter__(self) -> ServerThread:
        self._thread.start()
        while not self._server.started:
            if not self._thread.is_alive():
                raise RuntimeError("the server thread died before serving")
            threading.Event().wait(0.005)
        return self

    def __exit__(self, *_: object) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)


class Simulator:
    """A test's handle on the running Plivo simulator: its URL and its control API."""

    def __init__(self, url: str, control: httpx.AsyncClient) -> None:
        self.url = url
        self.control = control

    def auth(self, **changes: Any) -> PlivoAuth:
        """The default account as a Switchboard authentication, fast enough not to pace tests."""
        fields: dict[str, Any] = {
            "auth_id": DEFAULT_AUTH_ID,
            "auth_token": DEFAULT_AUTH_TOKEN,
            "base_url": self.url,
            "messages_per_second": 1000.0,
            "mms_per_second": 1000.0,
            **changes,
        }
        return PlivoAuth(**fields)

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
        fields: dict[str, Any] = {
            "auth_id": DEFAULT_AUTH_ID,
            "auth_token": DEFAULT_AUTH_TOKEN,
            "base_url": f"{self.stub.url}/{self.prefix}",
            "messages_per_second": 1000.0,
            **changes,
        }
        return PlivoAuth(**fields)

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
    with ServerThread(stub.app()) as server:
        stub.url = server.url
        yield stub


@pytest.fixture
def stub(stub_server: StubPlivo) -> StubAccount:
    """A misbehaving Plivo of this test's own."""
    return StubAccount(stub_server, uuid.uuid4().hex)


@pytest.fixture(scope="session")
def simulator_server() -> Iterator[ServerThread]:
    settings = PlivoSimSettings(time_scale=0, messages_per_second=None)
    with ServerThread(create_plivo_app(PlivoSimState(settings))) as server:
        yield server


@pytest.fixture(scope="session")
def receiver_server() -> Iterator[Receiver]:
    receiver = Receiver()
    with ServerThread(receiver.app()) as server:
        receiver.url = server.url
        yield receiver


@pytest.fixture
async def sim(simulator_server: ServerThread) -> AsyncIterator[Simulator]:
    """The simulator, reset: default account and number, instant lifecycle, no message pacing."""
    async with httpx.AsyncClient(base_url=simulator_server.url, timeout=10) as control:
        answer = await control.post("/sim/plivo/reset")
        assert answer.status_code == 200
        yield Simulator(simulator_server.url, control)


@pytest.fixture
def endpoint(receiver_server: Receiver) -> Endpoint:
    """This test's own trigger URL."""
    return receiver_server.endpoint()


class Authentications:
    """An AuthSource over fixed authentications, as the server's store would resolve them."""

    def __init__(self, auths: dict[str, PlivoAuth], *, redact: bool = True) -> None:
        self.auths = auths
        self.redact = redact

    async def resolve(self, name: str, connector: Connector, *, owner: str | None) -> ResolvedAuth:
        if name not in self.auths:
            raise SwitchboardError(f"unknown authentication {name!r}")
        fields = self.auths[name]
        return ResolvedAuth(name, fields, (fields.auth_token,) if self.redact else ())


class WatchedJournal(SqlJournal):
    """The SQL journal, also telling a test when a step has been journaled as running (about to be called)."""

    def __init__(self, database: Database) -> None:
        super().__init__(database)
        self.step_running = asyncio.Event()

    async def save_step(self, run: RunState, entry: StepEntry) -> None:
        await super().save_step(run, entry)
        if entry.status == "running" and entry.name != "trigger":
            self.step_running.set()


class Sleeps(list[float]):
    """The engine's waits between retries, recorded instead of slept."""

    async def __call__(self, seconds: float) -> None:
        self.append(seconds)
        await asyncio.sleep(0)


@dataclass
class Workflows:
    """Runs workflows of Plivo steps through the real engine, journaled to SQLite."""

    database: Database
    engine: Engine
    sleeps: Sleeps
    authentications: Authentications
    journal: WatchedJournal

    def use(self, auth: PlivoAuth) -> None:
        """Make authentication 'Plivo Sandbox' these fields from now on."""
        self.authentications.auths[AUTH_NAME] = auth

    def plan(self, *steps: dict[str, Any], trigger: dict[str, Any] | None = None) -> Plan:
        document = {
            "version": 1,
            "title": "plivo test",
            "trigger": trigger or {"type": "manual"},
            "steps": [],
        }
        document["steps"] = [{"auth": AUTH_NAME, "connector": "plivo", **step} for step in steps]
        return compile_plan(check_workflow(document, REGISTRY), REGISTRY)

    async def run(self, *steps: dict[str, Any], trigger_output: Any = None) -> RunState:
        return await self.engine.run(self.plan(*steps), trigger_output if trigger_output is not None else {})

    async def step(self, operation: str, **step_input: Any) -> StepEntry:
        """Run a workflow of one step and return that step's journal entry."""
        run = await self.run({"operation": operation, "input": step_input})
        return run.steps[-1]

    async def output(self, operation: str, **step_input: Any) -> dict[str, Any]:
        """Run one step and return its output, failing the test when the step failed."""
        run = await self.run({"operation": operation, "input": step_input})
        step = run.steps[-1]
        assert step.status == "succeeded", step.error
        assert isinstance(step.output, dict)
        return step.output

    async def error(self, operation: str, **step_input: Any) -> dict[str, Any]:
        """Run one step that must fail and return its journaled error."""
        run = await self.run({"operation": operation, "input": step_input})
        step = run.steps[-1]
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
    database = open_database(f"sqlite:///{tmp_path / 'journal.db'}")
    journal = WatchedJournal(database)
    sleeps = Sleeps()
    authentications = Authentications({AUTH_NAME: sim.auth()})
    engine = Engine(journal=journal, authentications=authentications, sleep=sleeps)
    yield Workflows(database, engine, sleeps, authentications, journal)
    await engine.clients.aclose()
    journal.close()
    database.dispose()
