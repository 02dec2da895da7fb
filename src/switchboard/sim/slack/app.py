"""The Slack simulator as a FastAPI application (or a router, to serve it beside other simulators)."""

from fastapi import APIRouter, FastAPI

from .control import control_router
from .file_hosting import file_hosting_router
from .state import SlackSimState
from .web_api import web_api_router


def create_slack_router(state: SlackSimState) -> APIRouter:
    """All simulator routes for one workspace: ``/api/<method>``, file hosting and ``/sim/slack/...``."""
    router = APIRouter()
    router.include_router(web_api_router(state))
    router.include_router(file_hosting_router(state))
    router.include_router(control_router(state))
    return router


def create_slack_app(state: SlackSimState | None = None) -> FastAPI:
    """A Slack Web API simulator; point slack_sdk at it with ``base_url="http://HOST:PORT/api/"``.

    The workspace is ``state`` (a fresh default one if not given), also reachable as
    ``app.state.slack`` for the process that serves it.
    """
    workspace = state if state is not None else SlackSimState()
    app = FastAPI(
        title="Switchboard Slack simulator",
        description="Slack's Web API and Events API, in memory, for sandboxes and tests.",
    )
    app.state.slack = workspace
    app.include_router(create_slack_router(workspace))
    return app
