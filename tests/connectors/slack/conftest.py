"""Real things for the Slack connector's tests: the Slack simulator on a port, an engine with a SQLite
journal and Slack authentications pointing at the simulator, and a trigger endpoint the simulator can
send signed events to."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request, Response

from switchboard.connectors.base import InboundRequest, TriggerEvent, TriggerRejected
from switchboard.connectors.slack import SlackAuth, receive_event
from switchboard.connectors.slack import connector as slack_connector
from switchboard.engine.runner import Engine
from switchboard.sim.slack import DEFAULT_BOT_TOKEN, DEFAULT_SIGNING_SECRET, SlackSimState, create_slack_app

from ...support import (
    RunWorkflow,
    engine_runner,
    registry_with,
    serving,
)

WORKSPACE_AUTH = "Slack Workspace"
REVOKED_AUTH = "Revoked Slack"
REVOKED_TOKEN = "xoxb-revoked-0000"


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


@pytest.fixture
def authentications(api_url: str) -> dict[str, SlackAuth]:
    return {
        WORKSPACE_AUTH: SlackAuth(
            token=DEFAULT_BOT_TOKEN, signing_secret=DEFAULT_SIGNING_SECRET, base_url=api_url
        ),
        REVOKED_AUTH: SlackAuth(token=REVOKED_TOKEN, base_url=api_url),
    }


REGISTRY = registry_with(slack_connector)
"""Every installed connector, with this Slack connector whether or not its entry point is declared."""


@pytest.fixture
def run_workflow(engine: Engine) -> RunWorkflow:
    """Check, compile and run a workflow of the given steps through the real engine."""
    return engine_runner(engine, REGISTRY)


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
