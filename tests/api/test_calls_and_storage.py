"""call-workflow with callable workflows and their responses; storage kept in the database."""

from __future__ import annotations

from typing import Any

from .conftest import Api
from .test_runs import create


def callable_doubler() -> dict[str, Any]:
    return {
        "version": 1,
        "title": "Doubler",
        "trigger": {"type": "callable"},
        "steps": [
            {
                "connector": "math-helpers",
                "operation": "multiply",
                "input": {"first_value": "{$.steps.trigger.n}", "second_value": 2},
            },
            {
                "connector": "callable-response",
                "input": {"response": {"doubled": "{$.steps.math-helpers-1.result}"}},
            },
        ],
    }


def caller(workflow_id: str, operation: str = "fire_and_wait_for_response") -> dict[str, Any]:
    return {
        "version": 1,
        "title": "Caller",
        "trigger": {"type": "manual"},
        "steps": [
            {
                "connector": "call-workflow",
                "operation": operation,
                "input": {"workflow_id": workflow_id, "trigger_input": {"n": "{$.steps.trigger.n}"}},
            },
        ],
    }


def test_a_called_workflow_answers_the_caller(api: Api) -> None:
    doubler = create(api, callable_doubler())
    calling = create(api, caller(doubler["id"]))
    record = api.client().post(f"/api/v1/workflows/{calling['id']}/runs", json={"input": {"n": 21}}).json()
    assert record["status"] == "succeeded", record
    output = record["steps"][1]["output"]
    assert (output["status"], output["response"]) == ("responded", {"doubled": 42})
    called = api.client().get(f"/api/v1/runs/{output['run_id']}").json()
    assert called["steps"][0]["output"]["#calling_workflow"] == calling["id"]


def test_fire_and_forget_goes_on_at_once(api: Api) -> None:
    doubler = create(api, callable_doubler())
    calling = create(api, caller(doubler["id"], "fire_and_forget"))
    record = api.client().post(f"/api/v1/workflows/{calling['id']}/runs", json={"input": {"n": 1}}).json()
    assert record["steps"][1]["output"]["response"] is None
    assert record["steps"][1]["output"]["status"] == "queued"


def test_a_call_cycle_is_refused(api: Api) -> None:
    first = create(api, {"version": 1, "title": "A", "trigger": {"type": "callable"}, "steps": []})
    second = create(api, {"version": 1, "title": "B", "trigger": {"type": "callable"}, "steps": []})
    client = api.client()
    client.put(
        f"/api/v1/workflows/{first['id']}",
        json={**caller(second["id"]), "title": "A", "trigger": {"type": "callable"}},
    )
    client.put(
        f"/api/v1/workflows/{second['id']}",
        json={**caller(first["id"]), "title": "B", "trigger": {"type": "callable"}},
    )
    start = create(api, caller(first["id"]))
    record = client.post(f"/api/v1/workflows/{start['id']}/runs", json={"input": {"n": 1}}).json()
    assert record["status"] == "failed"
    assert f"would make a cycle: {first['id']} → {second['id']} → {first['id']}" in record["error"]["message"]


def test_only_callable_workflows_can_be_called(api: Api) -> None:
    manual = create(api, {"version": 1, "title": "Manual", "trigger": {"type": "manual"}, "steps": []})
    calling = create(api, caller(manual["id"]))
    record = api.client().post(f"/api/v1/workflows/{calling['id']}/runs", json={"input": {"n": 1}}).json()
    assert "is not callable: its trigger is manual" in record["error"]["message"]


def test_storage_keeps_values_per_scope_across_runs(api: Api) -> None:
    counter = create(
        api,
        {
            "version": 1,
            "title": "Counter",
            "trigger": {"type": "manual"},
            "steps": [
                {
                    "connector": "storage",
                    "operation": "append_to_list",
                    "input": {"key": "seen", "scope": "workflow", "value": "{$.steps.trigger.who}"},
                },
                {
                    "connector": "storage",
                    "operation": "get",
                    "input": {"key": "seen", "scope": "run", "default_value": []},
                },
                {
                    "connector": "storage",
                    "operation": "set",
                    "input": {"key": "last", "scope": "account", "value": "{$.steps.trigger.who}"},
                },
            ],
        },
    )
    client = api.client()
    for who in ("ada", "grace"):
        record = client.post(f"/api/v1/workflows/{counter['id']}/runs", json={"input": {"who": who}}).json()
    assert record["steps"][1]["output"] == {"value": ["ada", "grace"], "found": True}
    assert record["steps"][2]["output"] == {"value": [], "found": False}
