"""Real things for the Slack connector's tests: the Slack simulator on a port, an engine with a SQLite
journal and Slack authentications pointing at the simulator, and a trigger endpoint the simulator can
send signed events to."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI, Request, Response

from switchboard.connectors.base import (
    Connector,
    InboundRequest,
    TriggerEvent,
    TriggerRejected,
    secret_field_names,
)
from switchboard.connectors.registry import Registry, discover
from switchboard.connectors.slack import SlackAuth, receive_event
from switchboard.connectors.slack import connector as slack_connector
from switchboard.definition import check_workflow
from switchboard.engine.plan import compile_plan
from switchboard.engine.records import RunState
from switchboard.engine.runner import Engine, ResolvedAuth
from switchboard.errors import SwitchboardError
from switchboard.sim.slack import DEFAULT_BOT_TOKEN, DEFAULT_SIGNING_SECRET, SlackSimState, create_slack_app
from switchboard.store.database import Database, open_database
from switchboard.store.journal import SqlJournal

WORKSPACE_AUTH = "Slack Workspace"
REVOKED_AUTH = "Revoked Slack"
REVOKED_TOKEN = "xoxb-revoked-0000"


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """Serve an app on a free 127.0.0.1 port in a thread; the socket listens before the thread starts."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=5)
        listener.close()


@pytest.fixture(scope="module")
def slack_sim() -> Iterator[tuple[SlackSimState, str]]:
    state = SlackSimState()
    with serving(create_slack_app(state)) as base_url:
        yield state, base_url


@pytest.fixture
def workspace(slack_sim: tuple[SlackSimState, str]) -> SlackSimState:
    state, _ = slack_sim
    state.reset()
    return state


@pytest.fixture
def api_url(slack_sim: tuple[SlackSimState, str], workspace: SlackSimState) -> str:
    return f"{slack_sim[1]}/api/"


@pytest.fixture
async def control(
    slack_sim: tuple[SlackSimState, str], workspace: SlackSimState
) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=f"{slack_sim[1]}/sim/slack") as client:
        yield client


async def channel_messages(control: httpx.AsyncClient, channel: str) -> list[dict[str, Any]]:
    """What the simulated channel holds, oldest first."""
    response = await control.get(f"/channels/{channel}")
    response.raise_for_status()
    messages: list[dict[str, Any]] = response.json()["messages"]
    return messages


async def slack_calls(control: httpx.AsyncClient, method: str) -> list[dict[str, Any]]:
    """The Web API calls of one method the simulator received, oldest first."""
    calls: list[dict[str, Any]] = (await control.get("/calls", params={"method": method})).json()
    return calls


class SlackAuthentications:
    """An AuthSource over fixed Slack authentications, with their secrets as a store would give them."""

    def __init__(self, auths: dict[str, SlackAuth]) -> None:
        self.auths = auths

    async def resolve(self, name: str, connector: Connector, *, owner: str | None) -> ResolvedAuth:
        if name not in self.auths:
            raise SwitchboardError(f"unknown authentication {name!r}")
        fields = self.auths[name]
        secrets = tuple(
            str(getattr(fields, key)) for key in secret_field_names(SlackAuth) if getattr(fields, key)
        )
        return ResolvedAuth(name, fields, secrets)


@pytest.fixture
def authentications(api_url: str) -> dict[str, SlackAuth]:
    return {
        WORKSPACE_AUTH: SlackAuth(
            token=DEFAULT_BOT_TOKEN, signing_secret=DEFAULT_SIGNING_SECRET, base_url=api_url
        ),
        REVOKED_AUTH: SlackAuth(token=REVOKED_TOKEN, base_url=api_url),
    }


class Sleeps(list[float]):
    """The engine's waits between step attempts, recorded instead of slept."""

    async def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    db = open_database(f"sqlite:///{tmp_path / 'journal.db'}")
    yield db
    db.dispose()


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
async def engine(
    database: Database, authentications: dict[str, SlackAuth], sleeps: Sleeps
) -> AsyncIterator[Engine]:
    journal = SqlJournal(database)
    engine = Engine(journal=journal, authentications=SlackAuthentications(authentications), sleep=sleeps)
    yield engine
    await engine.clients.aclose()
    journal.close()


def registry() -> Registry:
    """Every installed connector, with this Slack connector whether or not its entry point is declared."""
    return Registry([*(c for c in discover() if c.name != slack_connector.name), slack_connector])


RunWorkflow = Callable[..., Awaitable[RunState]]


@pytest.fixture
def run_workflow(engine: Engine) -> RunWorkflow:
    """Check, compile and run a workflow of the given steps through the real engine."""

    async def run(*steps: dict[str, Any], trigger_output: Any = None) -> RunState:
        document = {"version": 1, "title": "slack test", "trigger": {"type": "manual"}, "steps": list(steps)}
        reg = registry()
        plan = compile_plan(check_workflow(document, reg), reg)
        return await engine.run(plan, trigger_output or {})

    return run


def step(
    operation: str,
    auth: str = WORKSPACE_AUTH,
    *,
    on_error: Any = "stop",
    retry: dict[str, Any] | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """A Slack step of a workflow, its input given as keyword arguments."""
    found = {
        "connector": "slack",
        "operation": operation,
        "auth": auth,
        "input": fields,
        "on_error": on_error,
    }
    return found | ({"retry": retry} if retry else {})


# -- the trigger endpoint ------------------------------------------------------------------------


@dataclass
class TriggerEndpoint:
    """A stand-in for Switchboard's hook endpoint: hands each request to the slack.event handler."""

    auth: SlackAuth
    url: str = ""
    settings: dict[str, Any] = field(default_factory=dict)
    events: list[TriggerEvent] = field(default_factory=list)
    rejections: list[TriggerRejected] = field(default_factory=list)

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.post("/hooks/slack")
        async def hook(request: Request) -> Response:
            inbound = InboundRequest(
                method=request.method,
                url=str(request.url),
                headers={key.lower(): value for key, value in request.headers.items()},
                body=await request.body(),
                query=dict(request.query_params),
            )
            try:
                event = await receive_event(inbound, self.auth, self.settings)
            except TriggerRejected as rejected:
                self.rejections.append(rejected)
                return Response(
                    json.dumps({"error": rejected.to_dict()}), rejected.status, media_type="application/json"
                )
            self.events.append(event)
            answer = event.response
            if answer is None:
                return Response(status_code=200)
            return Response(answer.body, answer.status, media_type=answer.media_type)

        return app


@pytest.fixture(scope="module")
def trigger_server() -> Iterator[TriggerEndpoint]:
    endpoint = TriggerEndpoint(auth=SlackAuth(token=DEFAULT_BOT_TOKEN, signing_secret=DEFAULT_SIGNING_SECRET))
    with serving(endpoint.app()) as base_url:
        endpoint.url = f"{base_url}/hooks/slack"
        yield endpoint


@pytest.fixture
def trigger_endpoint(trigger_server: TriggerEndpoint, workspace: SlackSimState) -> TriggerEndpoint:
    trigger_server.settings = {}
    trigger_server.events.clear()
    trigger_server.rejections.clear()
    return trigger_server
