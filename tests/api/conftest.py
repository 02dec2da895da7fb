"""A real server on a free port of 127.0.0.1, with users whose tokens the tests use."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from switchboard.api.app import create_app
from switchboard.auth.roles import Role
from switchboard.auth.users import create_user, issue_token
from switchboard.settings import Settings
from switchboard.store.database import open_database

from ..engine import sample_connectors
from ..support import serving


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
    with serving(app) as url:
        settings.public_url = url
        yield Api(url, switchboard_home, tokens, settings)


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

    with serving(create_sim_app()) as url:
        yield url
