"""The FastAPI application: API, public hooks, and the background work of a server (schedules, recovery)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import timedelta

from fastapi import FastAPI

from switchboard.api import authentications, connectors, hooks, runs, users, workflows
from switchboard.api.errors import install_error_handlers
from switchboard.api.server import Server, build_server
from switchboard.connectors.registry import Registry
from switchboard.settings import Settings
from switchboard.store.runs import prune_runs
from switchboard.triggers.clock import Clock
from switchboard.triggers.schedule import Scheduler


def create_app(
    settings: Settings | None = None,
    *,
    registry: Registry | None = None,
    clock: Clock | None = None,
    demo_sim_url: str | None = None,
) -> FastAPI:
    """The server; everything heavy (database, keys, executor) starts in the lifespan.

    With `demo_sim_url`, the example workflows and sandbox authentications are loaded at start and a
    token for the local owner is logged.
    """
    settings = settings or Settings()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        server = build_server(settings, registry=registry, clock=clock)
        app.state.server = server
        if demo_sim_url is not None:
            from switchboard.demo import seed

            token = seed(server, demo_sim_url)
            print(f"Demo ready at {settings.public_url}  (simulators at {demo_sim_url})")
            print(f"API token of the local owner: {token}", flush=True)
        await server.dispatcher.recover()
        scheduler = Scheduler(server.database, server.workflows, server.dispatcher, server.clock)
        app.state.scheduler = scheduler
        background = [
            asyncio.create_task(scheduler.run_forever(), name="scheduler"),
            asyncio.create_task(_prune_forever(server), name="retention"),
        ]
        try:
            yield
        finally:
            for task in background:
                task.cancel()
            await asyncio.gather(*background, return_exceptions=True)
            await server.aclose()

    app = FastAPI(
        title="Switchboard",
        version="0.1.0",
        description="Workflow automation for communications: Plivo, Slack and any HTTP API.",
        lifespan=lifespan,
    )
    install_error_handlers(app)
    for module in (workflows, runs, authentications, users, connectors, hooks):
        app.include_router(module.router)
    return app


async def _prune_forever(server: Server) -> None:
    """Retention: journals older than the configured period go, once an hour."""
    while True:
        cutoff = server.now() - timedelta(days=server.settings.run_retention_days)
        await asyncio.to_thread(prune_runs, server.database, cutoff)
        await asyncio.sleep(3600)
