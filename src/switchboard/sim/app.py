"""Both simulators in one app, as `switchboard sim` and the demo serve them.

Plivo answers under `/v1/...` and `/sim/plivo/...`, Slack under `/api/<method>` and `/sim/slack/...`,
so one port serves both: authentications point at it with `base_url` (Plivo: `http://HOST:PORT`,
Slack: `http://HOST:PORT/api/`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from switchboard.sim.plivo.app import create_plivo_router
from switchboard.sim.plivo.state import PlivoSimState
from switchboard.sim.slack.app import create_slack_router
from switchboard.sim.slack.state import SlackSimState


def create_sim_app(plivo: PlivoSimState | None = None, slack: SlackSimState | None = None) -> FastAPI:
    """A FastAPI app serving the Plivo and Slack simulators; each gets a fresh default state if not given."""
    plivo_state = plivo or PlivoSimState()
    slack_state = slack or SlackSimState()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        await plivo_state.aclose()

    app = FastAPI(title="Switchboard sandbox simulators", lifespan=lifespan, redirect_slashes=False)
    app.state.plivo = plivo_state
    app.state.slack = slack_state
    app.include_router(create_plivo_router(plivo_state))
    app.include_router(create_slack_router(slack_state))
    return app
