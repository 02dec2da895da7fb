"""Runs through the REST API: start, list with filters and cursors, read, replay, retry, cancel."""

from __future__ import annotations

from typing import Any

from .conftest import Api, wait_for
from .test_workflows import GREETING


def create(api: Api, document: dict[str, Any], user: str = "ada") -> dict[str, Any]:
    response = api.client(user).post("/api/v1/workflows", json=document)
    assert response.status_code == 201, response.text
    return response.json()


def test_a_manual_run_returns_the_run_record(api: Api) -> None:
    workflow = create(api, GREETING)
    record = (
        api.client().post(f"/api/v1/workflows/{workflow['id']}/runs", json={"input": {"name": "Ada"}}).json()
    )
    assert record["status"] == "succeeded"
    assert (record["workflow_id"], record["workflow_version"]) == (workflow["id"], 1)
    assert [(s["name"], s["output"]) for s in record["steps"]] == [
        ("trigger", {"name": "Ada"}),
        ("text-helpers-1", {"result": "Hello Ada"}),
    ]
    assert api.client("vic").get(f"/api/v1/runs/{record['id']}").json() == record


def test_runs_are_listed_newest_first_in_pages_with_filters(api: Api) -> None:
    workflow = create(api, GREETING)
    client = api.client()
    names = ["Ada", "Grace", "Alan", "Barbara", "Edsger"]
    for name in names:
        client.post(f"/api/v1/workflows/{workflow['id']}/runs", json={"input": {"name": name}})
    client.post(f"/api/v1/workflows/{workflow['id']}/runs", json={"input": {"nom": "x"}})
    seen, cursor = [], None
    while True:
        page = client.get(
            f"/api/v1/workflows/{workflow['id']}/runs", params={"limit": 2, "cursor": cursor}
        ).json()
        seen += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == 6
    assert [r["started_at"] for r in seen] == sorted((r["started_at"] for r in seen), reverse=True)
    failed = client.get(f"/api/v1/workflows/{workflow['id']}/runs", params={"status": "failed"}).json()[
        "items"
    ]
    assert len(failed) == 1 and failed[0]["error"]["step"] == "text-helpers-1"
    found = client.get("/api/v1/runs", params={"q": "Grace"}).json()["items"]
    assert len(found) == 1
    assert client.get(f"/api/v1/runs/{found[0]['id']}").json()["steps"][1]["output"] == {
        "result": "Hello Grace"
    }


def test_replay_runs_the_same_trigger_data_against_the_current_or_original_version(api: Api) -> None:
    workflow = create(api, GREETING)
    client = api.client()
    first = client.post(f"/api/v1/workflows/{workflow['id']}/runs", json={"input": {"name": "Ada"}}).json()
    changed = {
        **GREETING,
        "steps": [{**GREETING["steps"][0], "input": {"values": ["Hi ", "{$.steps.trigger.name}"]}}],
    }
    client.put(f"/api/v1/workflows/{workflow['id']}", json=changed)
    current = client.post(f"/api/v1/runs/{first['id']}/replay", json={}).json()
    original = client.post(f"/api/v1/runs/{first['id']}/replay", json={"version": "original"}).json()
    assert (current["workflow_version"], current["steps"][1]["output"]) == (2, {"result": "Hi Ada"})
    assert (original["workflow_version"], original["steps"][1]["output"]) == (1, {"result": "Hello Ada"})
    assert current["replay_of"] == first["id"]


def test_retry_runs_again_from_the_failed_step(api: Api) -> None:
    document = {
        **GREETING,
        "steps": [
            {"connector": "text-helpers", "operation": "concatenate", "input": {"values": ["first"]}},
            {
                "connector": "text-helpers",
                "operation": "concatenate",
                "input": {"values": ["{$.steps.trigger.name}"]},
            },
        ],
    }
    workflow = create(api, document)
    client = api.client()
    failed = client.post(f"/api/v1/workflows/{workflow['id']}/runs", json={"input": {}}).json()
    assert failed["status"] == "failed"
    retried = client.post(f"/api/v1/runs/{failed['id']}/retry", json={}).json()
    assert retried["status"] == "failed"
    assert retried["steps"][1]["started_at"] == failed["steps"][1]["started_at"]
    assert client.post(f"/api/v1/runs/{failed['id']}/retry", json={"wait": False}).status_code == 202


def test_a_running_run_can_be_cancelled(api: Api) -> None:
    document = {**GREETING, "steps": [{"connector": "delay", "input": {"delay_value": 30}}]}
    workflow = create(api, document)
    client = api.client()
    started = client.post(f"/api/v1/workflows/{workflow['id']}/runs", json={"wait": False})
    assert started.status_code == 202
    run_id = started.json()["id"]
    wait_for(lambda: client.get(f"/api/v1/runs/{run_id}").json()["status"] == "running")
    cancelled = client.post(f"/api/v1/runs/{run_id}/cancel").json()
    assert cancelled["status"] == "cancelled"
    assert client.post(f"/api/v1/runs/{run_id}/cancel").status_code == 400
