"""Authentications: scopes decide who sees and uses them; secrets never leave the server."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from .conftest import Api
from .test_runs import create

SECRET = "tok-3f9a1c77e2b04d6a"


def add(api: Api, user: str, name: str, scope: str = "personal", token: str = SECRET) -> dict[str, Any]:
    response = api.client(user).post(
        "/api/v1/authentications",
        json={"connector": "sample", "name": name, "scope": scope, "fields": {"user": user, "token": token}},
    )
    assert response.status_code == 201, response.text
    return response.json()


def uses(auth: str) -> dict[str, Any]:
    return {
        "version": 1,
        "title": f"Uses {auth}",
        "trigger": {"type": "manual"},
        "steps": [
            {
                "connector": "sample",
                "operation": "echo",
                "auth": auth,
                "input": {"header": "Bearer {$.auth.token}"},
            },
            {"connector": "sample", "operation": "whoami", "auth": auth, "input": {}},
        ],
    }


def test_secret_fields_are_write_only(api: Api) -> None:
    created = add(api, "ada", "Ada's key")
    assert created["fields"] == {"user": "ada"}
    assert created["secrets_set"] == ["token"]
    listed = api.client("ada").get("/api/v1/authentications").json()["items"]
    assert SECRET not in str(created) + str(listed)


def test_a_member_cannot_see_use_or_delete_another_members_personal_authentication(api: Api) -> None:
    personal = add(api, "ada", "Ada's key")
    bob = api.client("bob")
    assert bob.get("/api/v1/authentications").json()["items"] == []
    assert bob.get(f"/api/v1/authentications/{personal['id']}").status_code == 404
    assert bob.delete(f"/api/v1/authentications/{personal['id']}").status_code == 404
    workflow = create(api, uses("Ada's key"), user="bob")
    run = bob.post(f"/api/v1/workflows/{workflow['id']}/runs", json={"input": {}}).json()
    assert run["status"] == "failed"
    assert "Ada's key" in run["error"]["message"]
    assert api.client("ada").get(f"/api/v1/authentications/{personal['id']}").status_code == 200


def test_organisational_authentications_are_usable_by_every_member_and_edited_by_admins(api: Api) -> None:
    shared = add(api, "admin", "Team key", scope="organisational")
    bob = api.client("bob")
    assert [a["name"] for a in bob.get("/api/v1/authentications").json()["items"]] == ["Team key"]
    workflow = create(api, uses("Team key"), user="bob")
    assert (
        bob.post(f"/api/v1/workflows/{workflow['id']}/runs", json={"input": {}}).json()["status"]
        == "succeeded"
    )
    assert bob.patch(f"/api/v1/authentications/{shared['id']}", json={"name": "Mine now"}).status_code == 403
    assert (
        api.client("admin")
        .patch(f"/api/v1/authentications/{shared['id']}", json={"name": "Renamed"})
        .status_code
        == 200
    )
    assert (
        bob.post(
            "/api/v1/authentications",
            json={
                "connector": "sample",
                "name": "x",
                "scope": "organisational",
                "fields": {"user": "b", "token": "t"},
            },
        ).status_code
        == 403
    )


def test_a_viewer_creates_nothing(api: Api) -> None:
    response = api.client("vic").post(
        "/api/v1/authentications",
        json={"connector": "sample", "name": "v", "fields": {"user": "v", "token": "t"}},
    )
    assert response.status_code == 403


def test_invalid_fields_are_named(api: Api) -> None:
    response = api.client("ada").post(
        "/api/v1/authentications", json={"connector": "sample", "name": "k", "fields": {"user": "a"}}
    )
    assert response.status_code == 422
    assert response.json()["error"]["details"] == [{"path": "fields.token", "message": "Field required"}]


def test_no_secret_reaches_the_database_file_the_api_or_the_run_journal(api: Api) -> None:
    add(api, "ada", "Ada's key")
    workflow = create(api, uses("Ada's key"))
    client = api.client("ada")
    run = client.post(f"/api/v1/workflows/{workflow['id']}/runs", json={"input": {}}).json()
    assert run["status"] == "succeeded"
    assert run["steps"][1]["input"]["header"] == "Bearer [redacted]"
    assert run["steps"][2]["output"]["value"]["said"] == "token is [redacted]"
    responses = [client.get(f"/api/v1/runs/{run['id']}").text, client.get("/api/v1/runs").text, str(run)]
    assert all(SECRET not in text for text in responses)
    for path in Path(api.home).glob("switchboard.db*"):
        assert SECRET.encode() not in path.read_bytes(), path.name


def test_a_raw_http_request_sending_the_token_in_a_header_leaves_no_trace_of_it(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    from ..support import serving

    async def echo(request: Request) -> JSONResponse:
        return JSONResponse({"headers": dict(request.headers)})

    token = "bearer-9d0c4e6f1a2b3c4d"
    with serving(Starlette(routes=[Route("/echo", echo)])) as echo_url:
        api.client("ada").post(
            "/api/v1/authentications",
            json={
                "connector": "http-client",
                "name": "Echo API",
                "fields": {"type": "bearer", "token": token},
            },
        ).raise_for_status()
        workflow = create(
            api,
            {
                "version": 1,
                "title": "Raw request",
                "trigger": {"type": "manual"},
                "steps": [
                    {
                        "connector": "http-client",
                        "operation": "get_request",
                        "auth": "Echo API",
                        "input": {"url": f"{echo_url}/echo", "headers": {"X-Copy": "token={$.auth.token}"}},
                    }
                ],
            },
        )
        client = api.client("ada")
        run = client.post(f"/api/v1/workflows/{workflow['id']}/runs", json={"input": {}}).json()
    assert run["status"] == "succeeded", run
    step = run["steps"][1]
    assert step["input"]["headers"] == {"X-Copy": "token=[redacted]"}
    echoed = step["output"]["body"]["headers"]
    assert (echoed["authorization"], echoed["x-copy"]) == ("Bearer [redacted]", "token=[redacted]")
    seen = [
        client.get(f"/api/v1/runs/{run['id']}").text,
        client.get("/api/v1/authentications").text,
        str(run),
    ]
    assert all(token not in text for text in seen)
    for path in Path(api.home).glob("switchboard.db*"):
        assert token.encode() not in path.read_bytes(), path.name
    assert caplog.records and token not in caplog.text
