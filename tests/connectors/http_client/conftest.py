"""Real things for the http-client tests: a small HTTP API on 127.0.0.1 and an engine with a SQLite journal."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI, Request, Response
from fastapi.responses import PlainTextResponse, RedirectResponse

from switchboard.connectors.http_client import HttpAuth
from switchboard.connectors.http_client import connector as http_connector
from switchboard.engine.runner import Engine

from ...support import (
    RunWorkflow,
    engine_runner,
    registry_with,
    serving,
)

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe"
ALL_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"]
BEARER_TOKEN = "tok-bearer-5f1c9a77e2"


def api_app() -> FastAPI:
    """An HTTP API with one route per behaviour a request step must handle; anything else echoes."""
    app = FastAPI()

    @app.get("/text")
    async def text() -> PlainTextResponse:
        return PlainTextResponse("plain words")

    @app.get("/broken-json")
    async def broken_json() -> Response:
        return Response("{not json", media_type="application/json")

    @app.get("/image")
    async def image() -> Response:
        return Response(PNG, media_type="image/png")

    @app.get("/big")
    async def big(size: int) -> Response:
        return Response(b"x" * size, media_type="text/plain")

    @app.api_route("/status/{code}", methods=ALL_METHODS)
    async def status(code: int, retry_after: str | None = None) -> Response:
        headers = {"Retry-After": retry_after} if retry_after else {}
        return Response(f"status {code}: the order was not found", status_code=code, headers=headers)

    @app.api_route("/redirect", methods=ALL_METHODS)
    async def redirect(to: str, status: int = 302) -> RedirectResponse:
        return RedirectResponse(to, status_code=status)

    @app.get("/whoami")
    async def whoami(request: Request) -> dict[str, str | None]:
        """Which of the test authentications' credentials arrived, checked here rather than echoed."""
        basic = "Basic " + base64.b64encode(b"ada:pa55-word-basic").decode()
        known = {basic: "basic", f"Bearer {BEARER_TOKEN}": "bearer"}
        if request.headers.get("x-api-key") == "key-3e8d0b":
            return {"credential": "header"}
        return {"credential": known.get(request.headers.get("authorization", ""))}

    @app.get("/loop")
    async def loop() -> RedirectResponse:
        return RedirectResponse("/loop")

    @app.api_route("/slow", methods=ALL_METHODS)
    async def slow(seconds: float) -> PlainTextResponse:
        await asyncio.sleep(seconds)
        return PlainTextResponse("late")

    @app.get("/set-cookie")
    async def set_cookie() -> Response:
        response = Response("cookie set")
        response.set_cookie("session", "run-one-session")
        return response

    @app.api_route("/{path:path}", methods=ALL_METHODS)
    async def echo(path: str, request: Request) -> dict[str, Any]:
        return {
            "method": request.method,
            "path": request.url.path,
            "query": [[key, value] for key, value in request.query_params.multi_items()],
            "headers": dict(request.headers),
            "body": (await request.body()).decode(),
        }

    return app


@pytest.fixture(scope="module")
def api_server() -> Iterator[str]:
    with serving(api_app()) as base_url:
        yield base_url


@pytest.fixture
def api(api_server: str) -> str:
    """The test API's root URL, e.g. http://127.0.0.1:PORT."""
    return api_server


AUTHS = {
    "Basic API": HttpAuth(type="basic", username="ada", password="pa55-word-basic"),
    "Bearer API": HttpAuth(type="bearer", token=BEARER_TOKEN),
    "Key API": HttpAuth(type="header", header_name="X-API-Key", header_value="key-3e8d0b"),
    "Private API": HttpAuth(allow_private_networks=True),
}


@pytest.fixture
def authentications(api: str) -> dict[str, HttpAuth]:
    return {**AUTHS, "Versioned API": HttpAuth(base_url=f"{api}/api/v1/")}


REGISTRY = registry_with(http_connector)
"""Every installed connector, with this http-client whether or not its entry point is declared."""


@pytest.fixture
def run_workflow(engine: Engine) -> RunWorkflow:
    """Check, compile and run a workflow of the given steps through the real engine."""
    return engine_runner(engine, REGISTRY)


def request_step(
    method: str, auth: str | None = None, *, retry: dict[str, Any] | None = None, **fields: Any
) -> dict[str, Any]:
    """An http-client step calling the operation for `method`, its input given as keyword arguments."""
    found: dict[str, Any] = {
        "connector": "http-client",
        "operation": f"{method.lower()}_request",
        "input": fields,
    }
    if auth is not None:
        found["auth"] = auth
    if retry is not None:
        found["retry"] = retry
    return found
