"""Real servers for the simulator tests: the Plivo simulator and a callback receiver, on 127.0.0.1.

Both run under uvicorn in background threads for the whole session (starting a server costs ~0.2 s);
each test resets the simulator through its control API and listens on its own receiver paths, so tests
stay independent. Tests talk to both over real HTTP with httpx.
"""

import threading
import uuid
from collections import deque
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest
from fastapi import FastAPI, Request, Response

from switchboard.sim.plivo import (
    DEFAULT_AUTH_ID,
    DEFAULT_AUTH_TOKEN,
    PlivoSimSettings,
    PlivoSimState,
    create_plivo_app,
)

from ..support import serving

TEST_SETTINGS = PlivoSimSettings(time_scale=0, messages_per_second=None)
"""Instant lifecycle and retries, no pacing: tests wait for events, never for time."""


@dataclass
class ReceivedRequest:
    """A callback as the user's server saw it."""

    method: str
    url: str
    headers: dict[str, str]
    params: dict[str, str]


@dataclass
class Recorder:
    """What the receiving server saw, and how it should answer, per path (thread-safe)."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    seen: dict[str, list[ReceivedRequest]] = field(default_factory=dict)
    scripted: dict[str, deque[int]] = field(default_factory=dict)

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.api_route("/{path:path}", methods=["GET", "POST"])
        async def receive(request: Request, path: str) -> Response:
            if request.method == "POST":
                params = dict(parse_qsl((await request.body()).decode(), keep_blank_values=True))
            else:
                params = dict(request.query_params)
            received = ReceivedRequest(
                method=request.method, url=str(request.url), headers=dict(request.headers), params=params
            )
            with self.lock:
                self.seen.setdefault("/" + path, []).append(received)
                statuses = self.scripted.get("/" + path)
                status = statuses.popleft() if statuses else 200
            return Response("<Response></Response>", status_code=status, media_type="application/xml")

        return app


class CallbackReceiver:
    """One test's view of the receiving server: its own paths, its own answers."""

    def __init__(self, base_url: str, recorder: Recorder) -> None:
        self._base_url = base_url
        self._recorder = recorder
        self._prefix = f"/{uuid.uuid4().hex}"

    def url(self, name: str, query: str = "") -> str:
        """The URL of one endpoint of this test's receiver (optionally with a query string)."""
        return f"{self._base_url}{self._prefix}/{name}" + (f"?{query}" if query else "")

    def answer(self, name: str, *statuses: int) -> None:
        """Answer the next requests to ``name`` with these statuses (then 200)."""
        with self._recorder.lock:
            self._recorder.scripted[f"{self._prefix}/{name}"] = deque(statuses)

    def received(self, name: str) -> list[ReceivedRequest]:
        """Requests that reached ``name`` so far, in arrival order."""
        with self._recorder.lock:
            return list(self._recorder.seen.get(f"{self._prefix}/{name}", []))


class PlivoSim:
    """A test's handle on the running simulator: a Plivo API client plus control-API shortcuts."""

    def __init__(self, base_url: str, client: httpx.AsyncClient) -> None:
        self.base_url = base_url
        self.client = client
        self.api_root = f"/v1/Account/{DEFAULT_AUTH_ID}"

    async def api(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """Call the Plivo API as the default account; ``path`` is relative to the account root."""
        kwargs.setdefault("auth", (DEFAULT_AUTH_ID, DEFAULT_AUTH_TOKEN))
        return await self.client.request(method, f"{self.api_root}/{path}", **kwargs)

    async def send_sms(self, dst: str, text: str = "hello", **extra: Any) -> httpx.Response:
        """Send an SMS from the default account's number."""
        body = {"src": "+14155550100", "dst": dst, "text": text, "type": "sms", **extra}
        return await self.api("POST", "Message/", json=body)

    async def settle(self) -> None:
        """Wait until every message and callback in flight is done."""
        response = await self.client.post("/sim/plivo/settle", params={"timeout": 10})
        assert response.status_code == 200, response.text

    async def configure(self, **changes: Any) -> None:
        """Change the simulator's settings for this test (reset afterwards)."""
        response = await self.client.patch("/sim/plivo/config", json=changes)
        assert response.status_code == 200, response.text

    async def callbacks(self, **filters: str) -> list[dict[str, Any]]:
        """Callback attempts the simulator made."""
        response = await self.client.get("/sim/plivo/callbacks", params=filters)
        return list(response.json()["callbacks"])

    async def create_application(self, **fields: Any) -> str:
        """Create an application for the default account; return its app_id."""
        response = await self.api("POST", "Application/", json={"app_name": "tests", **fields})
        assert response.status_code == 201, response.text
        return str(response.json()["app_id"])

    async def link(self, number: str, app_id: str) -> None:
        """Route a rented number's inbound messages to an application."""
        response = await self.api("POST", f"Number/{number}/", json={"app_id": app_id})
        assert response.status_code == 202, response.text


@pytest.fixture(scope="session")
def plivo_server() -> Iterator[str]:
    """The simulator, once per session; yields its base URL."""
    with serving(create_plivo_app(PlivoSimState(TEST_SETTINGS))) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def receiver_server() -> Iterator[tuple[str, Recorder]]:
    """A server standing for the user's callback endpoints, once per session."""
    recorder = Recorder()
    with serving(recorder.app()) as base_url:
        yield base_url, recorder


@pytest.fixture
async def plivo(plivo_server: str) -> AsyncIterator[PlivoSim]:
    """The simulator, reset to its initial accounts and test settings."""
    async with httpx.AsyncClient(base_url=plivo_server, timeout=10) as client:
        response = await client.post("/sim/plivo/reset")
        assert response.status_code == 200
        yield PlivoSim(plivo_server, client)


@pytest.fixture
def receiver(receiver_server: tuple[str, Recorder]) -> CallbackReceiver:
    """This test's callback endpoints."""
    return CallbackReceiver(*receiver_server)
