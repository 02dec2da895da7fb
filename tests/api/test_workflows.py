"""Workflows through the REST API: validation with paths, versions, rollback, permissions."""

from __future__ import annotations

from typing import Any

from .conftest import Api

GREETING: dict[str, Any] = {
    "version": 1,
    "title": "Greeting",
    "trigger": {"type": "manual"},
    "steps": [
        {
            "connector": "text-helpers",
            "operation": "concatenate",
            "input": {"values": ["Hello ", "{$.steps.trigger.name}"]},
        }
    ],
}


def test_a_request_without_a_valid_token_is_401(api: Api) -> None:
    for client in (api.client(None), httpx_with_token(api, "sb_not-a-token")):
        response = client.get("/api/v1/workflows")
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "unauthenticated"


def httpx_with_token(api: Api, token: str) -> Any:
    import httpx

    return httpx.Client(base_url=api.url, headers={"Authorization": f"Bearer {token}"})


def test_an_invalid_workflow_is_422_with_every_problem_and_its_path(api: Api) -> None:
    broken = {
        **GREETING,
        "steps": [{"connector": "text-helpers", "operation": "concat"}, {"connector": "nope"}],
    }
    response = api.client().post("/api/v1/workflows", json=broken)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "workflow_invalid"
    assert [(d["path"], d["message"]) for d in error["details"]] == [
        (
            "steps[0].operation",
            "connector 'text-helpers' has no operation 'concat' (did you mean 'concatenate'?)",
        ),
        ("steps[1].connector", "unknown connector 'nope'"),
    ]


def test_each_save_is_a_version_and_rollback_makes_a_new_one(api: Api) -> None:
    client = api.client("ada")
    created = client.post("/api/v1/workflows", json=GREETING).json()
    assert (created["version"], created["title"], created["enabled"]) == (1, "Greeting", True)
    assert "trigger_url" not in created
    edited = {**created, "title": "Greeting, edited"}
    updated = client.put(f"/api/v1/workflows/{created['id']}", json=edited).json()
    assert (updated["version"], updated["title"]) == (2, "Greeting, edited")
    same = client.put(f"/api/v1/workflows/{created['id']}", json=edited).json()
    assert same["version"] == 2
    versions = client.get(f"/api/v1/workflows/{created['id']}/versions").json()["items"]
    assert [v["version"] for v in versions] == [2, 1]
    rolled = client.post(f"/api/v1/workflows/{created['id']}/rollback", json={"version": 1}).json()
    assert (rolled["version"], rolled["title"]) == (3, "Greeting")
    assert client.get(f"/api/v1/workflows/{created['id']}/versions/2").json()["title"] == "Greeting, edited"


def test_a_viewer_reads_but_changes_nothing(api: Api) -> None:
    created = api.client("ada").post("/api/v1/workflows", json=GREETING).json()
    viewer = api.client("vic")
    assert viewer.get(f"/api/v1/workflows/{created['id']}").status_code == 200
    attempts = [
        viewer.post("/api/v1/workflows", json=GREETING),
        viewer.put(f"/api/v1/workflows/{created['id']}", json=GREETING),
        viewer.delete(f"/api/v1/workflows/{created['id']}"),
        viewer.post(f"/api/v1/workflows/{created['id']}/runs", json={"input": {"name": "x"}}),
    ]
    assert [r.status_code for r in attempts] == [403, 403, 403, 403]
    assert attempts[0].json()["error"]["message"].startswith("vic is a viewer")


def test_a_member_cannot_change_another_members_workflow_but_an_admin_can(api: Api) -> None:
    created = api.client("ada").post("/api/v1/workflows", json=GREETING).json()
    path = f"/api/v1/workflows/{created['id']}"
    assert api.client("bob").delete(path).status_code == 403
    assert api.client("admin").put(path, json={**GREETING, "title": "By admin"}).status_code == 200
    assert api.client("ada").delete(path).status_code == 204
    assert api.client("ada").get(path).status_code == 404


def test_the_openapi_document_lists_the_api(api: Api) -> None:
    paths = api.client(None).get("/openapi.json").json()["paths"]
    assert {
        "/api/v1/workflows",
        "/api/v1/workflows/{workflow_id}/runs",
        "/api/v1/runs/{run_id}",
        "/hooks/{token}",
    } <= set(paths)


def test_connectors_are_listed_with_their_schemas(api: Api) -> None:
    items = api.client("vic").get("/api/v1/connectors").json()["items"]
    concatenate = next(
        op
        for c in items
        if c["name"] == "text-helpers"
        for op in c["operations"]
        if op["name"] == "concatenate"
    )
    assert concatenate["input_schema"]["required"] == ["values"]


def test_the_web_ui_session_cookie_is_http_only_strict_and_needs_the_csrf_token_to_change_things(
    api: Api,
) -> None:
    import httpx

    browser = httpx.Client(base_url=api.url)
    login = browser.post("/api/v1/session", json={"token": api.tokens["ada"]})
    assert login.status_code == 200
    cookie = login.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    csrf = login.json()["csrf_token"]
    assert browser.get("/api/v1/me").json()["name"] == "ada"
    assert browser.post("/api/v1/workflows", json=GREETING).status_code == 403
    assert browser.post("/api/v1/workflows", json=GREETING, headers={"X-CSRF-Token": csrf}).status_code == 201
    assert browser.delete("/api/v1/session").status_code == 403
    assert browser.delete("/api/v1/session", headers={"X-CSRF-Token": csrf}).status_code == 204
    assert browser.get("/api/v1/me").status_code == 401


def test_a_schedule_saved_through_the_api_is_planned_at_once(api: Api) -> None:
    import sqlalchemy as sa

    from switchboard.store.database import open_database
    from switchboard.store.tables import schedules

    from .conftest import wait_for

    document = {**GREETING, "trigger": {"type": "schedule", "cron": "0 9 * * *", "timezone": "Europe/London"}}
    created = api.client("ada").post("/api/v1/workflows", json=document).json()
    database = open_database(api.settings.resolved_database_url())

    def planned() -> object:
        with database.engine.connect() as connection:
            return connection.execute(sa.select(schedules.c.workflow_id)).scalar()

    try:
        assert wait_for(planned, timeout=5) == created["id"]
    finally:
        database.dispose()
