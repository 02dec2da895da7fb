"""Assembling the Plivo simulator: one router to mount anywhere, or a ready FastAPI app.

``create_plivo_router`` is what a combined ``switchboard sim`` server includes next to the Slack
simulator (the router handles its own error bodies, so it needs no app-wide handlers; the host app
should call ``await state.aclose()`` on shutdown). ``create_plivo_app`` wraps it in a FastAPI app whose
lifespan does that.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, Depends, FastAPI

from switchboard.sim.plivo.access import PlivoRoute, authenticator
from switchboard.sim.plivo.api.accounts import account_routes
from switchboard.sim.plivo.api.applications import application_routes
from switchboard.sim.plivo.api.calls import call_routes
from switchboard.sim.plivo.api.control import control_routes
from switchboard.sim.plivo.api.lookup import lookup_routes
from switchboard.sim.plivo.api.messages import message_routes
from switchboard.sim.plivo.api.numbers import number_routes
from switchboard.sim.plivo.api.pricing import pricing_routes
from switchboard.sim.plivo.errors import not_found
from switchboard.sim.plivo.records import Account
from switchboard.sim.plivo.state import PlivoSimState

ALL_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


def create_plivo_router(state: PlivoSimState) -> APIRouter:
    """Every simulator route: Plivo's API under ``/v1/…`` and the control API under ``/sim/plivo``."""
    router = APIRouter()
    for routes in (
        account_routes,
        message_routes,
        number_routes,
        application_routes,
        call_routes,
        pricing_routes,
        lookup_routes,
        control_routes,
    ):
        router.include_router(routes(state))
    router.include_router(_unknown_resources(state))
    return router


def create_plivo_app(state: PlivoSimState | None = None) -> FastAPI:
    """A FastAPI app serving one simulator (a fresh default one when ``state`` is None).

    Paths without their trailing slash are not redirected: Plivo's paths end in ``/`` and a client that
    forgets it should find out here rather than in production.
    """
    simulator = state or PlivoSimState()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        await simulator.aclose()

    app = FastAPI(title="Plivo simulator", lifespan=lifespan, redirect_slashes=False)
    app.state.plivo = simulator
    app.include_router(create_plivo_router(simulator))
    return app


def _unknown_resources(state: PlivoSimState) -> APIRouter:
    """Answer any other path under an account like Plivo: 401 without credentials, else 404."""
    router = APIRouter(route_class=PlivoRoute)
    authenticate = authenticator(state)

    @router.api_route("/v1/Account/{auth_id}/{resource:path}", methods=ALL_METHODS, include_in_schema=False)
    async def unknown_resource(resource: str, caller: Account = Depends(authenticate)) -> None:
        raise not_found()

    return router
