"""Webhook triggers: stored before the answer, 202 at once or the workflow's own response, 1 MB limit."""

from __future__ import annotations

import time
from typing import Any

import httpx
import sqlalchemy as sa

from switchboard.store.database import open_database
from switchboard.store.tables import trigger_events

from .conftest import Api, wait_for
from .test_runs import create

SLOW_HOOK: dict[str, Any] = {
    "version": 1,
    "title": "Slow hook",
    "trigger": {"type": "webhook"},
    "steps": [{"connector": "delay", "input": {"delay_value": 1}}],
}

ECHO_HOOK: dict[str, Any] = {
    "version": 1,
    "title": "Echo hook",
    "trigger": {"type": "webhook", "mode": "respond"},
    "steps": [
        {
            "connector": "text-helpers",
            "operation": "concatenate",
            "input": {
                "values": ["Hello ", "{$.steps.trigger.body.name}", " via ", "{$.steps.trigger.method}"]
            },
        },
        {
            "connector": "webhook-response",
            "input": {
                "status_code": 201,
                "headers": {"X-Run": "{$.env.run_id}"},
                "body": {
                    "greeting": "{$.steps.text-helpers-1.result}",
                    "query": "{$.steps.trigger.query.lang}",
                },
            },
        },
        {
            "connector": "text-helpers",
            "operation": "concatenate",
            "input": {"values": ["after the response"]},
        },
    ],
}


def test_fire_and_forget_answers_202_before_the_run_ends(api: Api) -> None:
    workflow = create(api, SLOW_HOOK)
    assert workflow["trigger_url"].startswith(f"{api.url}/hooks/")
    started = time.monotonic()
    response = httpx.post(workflow["trigger_url"], json={"order": 42})
    answered_in = time.monotonic() - started
    assert response.status_code == 202
    run_id = response.json()["run_id"]
    client = api.client()
    assert client.get(f"/api/v1/runs/{run_id}").json()["status"] in ("queued", "running")
    record = wait_for(
        lambda: (r := client.get(f"/api/v1/runs/{run_id}").json())["status"] == "succeeded" and r
    )
    assert record["steps"][0]["output"]["body"] == {"order": 42}
    assert answered_in < 1.0  # the run takes a second; the answer did not wait for it


def test_the_event_is_stored_before_it_is_acknowledged(api: Api) -> None:
    workflow = create(api, SLOW_HOOK)
    response = httpx.post(workflow["trigger_url"], json={"order": 7})
    database = open_database(api.settings.resolved_database_url())
    with database.engine.connect() as connection:
        stored = connection.execute(sa.select(trigger_events.c.payload, trigger_events.c.run_id)).one()
    database.dispose()
    assert stored.payload["body"] == {"order": 7}
    assert stored.run_id == response.json()["run_id"]


def test_respond_mode_answers_with_the_webhook_response_steps_body(api: Api) -> None:
    workflow = create(api, ECHO_HOOK)
    response = httpx.put(workflow["trigger_url"] + "?lang=en", json={"name": "Ada"})
    assert response.status_code == 201
    assert response.json() == {"greeting": "Hello Ada via PUT", "query": "en"}
    run_id = response.headers["x-run"]
    record = wait_for(
        lambda: (r := api.client().get(f"/api/v1/runs/{run_id}").json())["status"] == "succeeded" and r
    )
    assert record["steps"][-1]["output"] == {"result": "after the response"}


def test_a_respond_workflow_without_a_response_step_is_a_clear_500(api: Api) -> None:
    workflow = create(api, {**ECHO_HOOK, "steps": ECHO_HOOK["steps"][:1]})
    response = httpx.post(workflow["trigger_url"], json={"name": "Ada"})
    assert response.status_code == 500
    assert "without a webhook-response step" in response.json()["error"]["message"]


def test_a_body_over_1_mb_gets_413_and_starts_nothing(api: Api) -> None:
    workflow = create(api, SLOW_HOOK)
    response = httpx.post(workflow["trigger_url"], content=b"x" * (2 * 1024 * 1024))
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
    assert api.client().get(f"/api/v1/workflows/{workflow['id']}/runs").json()["items"] == []


def test_an_unknown_or_rotated_token_is_404(api: Api) -> None:
    workflow = create(api, SLOW_HOOK)
    rotated = api.client("ada").post(f"/api/v1/workflows/{workflow['id']}/rotate-token").json()
    assert rotated["trigger_url"] != workflow["trigger_url"]
    assert httpx.post(workflow["trigger_url"], json={}).status_code == 404
    assert httpx.post(rotated["trigger_url"], json={}).status_code == 202
    assert httpx.post(f"{api.url}/hooks/guess", json={}).status_code == 404


def test_a_disabled_workflow_starts_nothing(api: Api) -> None:
    workflow = create(api, {**SLOW_HOOK, "enabled": False})
    assert httpx.post(workflow["trigger_url"], json={}).status_code == 404
