"""A real server on a free port of 127.0.0.1, with users whose tokens the tests use."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from switchboard.api.app import create_app
from switchboard.auth.roles import Role
from switchboard.auth.users import create_user, issue_token
from switchboard.settings import Settings
from switchboard.store.database import open_database

from ..engine import sample_connectors


def listening_socket() -> socket.socket:
    """IPPROTO_TCP so that asyncio turns Nagle off for accepted connections (else ~40 ms a request)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


class ServerThread:
    """Runs an ASGI app under uvicorn in its own thread and event loop."""

    def __init__(self, app: Any) -> None:
        self.sock = listening_socket()
        self.port = self.sock.getsockname()[1]
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        asyncio.run(self.server.serve(sockets=[self.sock]))

    def __enter__(self) -> ServerThread:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the server did not start")
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=20)


@dataclass
class Api:
    """What a test needs to talk to the server as different users."""

    url: str
    home: Path
    tokens: dict[str, str]
    settings: Settings

    def client(self, user: str | None = "owner") -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.tokens[user]}"} if user else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=30)


@pytest.fixture
def api(switchboard_home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Api]:
    settings = Settings(home=switchboard_home, public_url="http://127.0.0.1:0")
    database = open_database(settings.resolved_database_url())
    tokens = {}
    for name, role in (
        ("owner", Role.OWNER),
        ("admin", Role.ADMIN),
        ("ada", Role.MEMBER),
        ("bob", Role.MEMBER),
        ("vic", Role.VIEWER),
    ):
        user = create_user(database, name, role)
        tokens[name] = issue_token(database, user.id, label="tests")
    database.dispose()
    app = create_app(settings, registry=sample_connectors.registry())
    with ServerThread(app) as running:
        settings.public_url = f"http://127.0.0.1:{running.port}"
        yield Api(f"http://127.0.0.1:{running.port}", switchboard_home, tokens, settings)


def wait_for(check: Any, timeout: float = 10.0) -> Any:
    """Poll `check()` until it returns something truthy (an event of another process or thread)."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError("the condition was not met in time")
        time.sleep(0.02)


@pytest.fixture
def sim() -> Iterator[str]:
    """The Plivo and Slack simulators on a free port of 127.0.0.1; yields their base URL."""
    from switchboard.sim.app import create_sim_app

    with ServerThread(create_sim_app()) as running:
        yield f"http://127.0.0.1:{running.port}"
