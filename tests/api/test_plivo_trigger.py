"""An inbound SMS, signed by the simulator as Plivo signs it, reaching a workflow's trigger URL."""

from __future__ import annotations

from typing import Any

import httpx

from switchboard.connectors.plivo.signatures import signature_headers
from switchboard.sim.plivo.settings import DEFAULT_AUTH_ID, DEFAULT_AUTH_TOKEN, DEFAULT_NUMBER

from .conftest import Api, wait_for
from .test_runs import create


def inbound_workflow(api: Api, sim: str) -> dict[str, Any]:
    """A workflow started by inbound SMS, and the simulator's number wired to it by a Plivo step."""
    api.client("admin").post(
        "/api/v1/authentications",
        json={
            "connector": "plivo",
            "name": "Plivo Sandbox",
            "scope": "organisational",
            "fields": {"auth_id": DEFAULT_AUTH_ID, "auth_token": DEFAULT_AUTH_TOKEN, "base_url": sim},
        },
    ).raise_for_status()
    inbound = create(
        api,
        {
            "version": 1,
            "title": "Inbound SMS",
            "trigger": {"type": "plivo.incoming_message", "auth": "Plivo Sandbox"},
            "steps": [
                {
                    "connector": "text-helpers",
                    "operation": "concatenate",
                    "input": {"values": ["{$.steps.trigger.From}", " says ", "{$.steps.trigger.Text}"]},
                }
            ],
        },
    )
    wiring = create(
        api,
        {
            "version": 1,
            "title": "Wire the number",
            "trigger": {"type": "manual"},
            "steps": [
                {
                    "connector": "plivo",
                    "operation": "connect_number_to_trigger",
                    "auth": "Plivo Sandbox",
                    "input": {"number": f"+{DEFAULT_NUMBER}", "trigger_url": inbound["trigger_url"]},
                }
            ],
        },
    )
    wired = api.client().post(f"/api/v1/workflows/{wiring['id']}/runs", json={"input": {}}).json()
    assert wired["status"] == "succeeded", wired
    return inbound


def runs(api: Api, workflow: dict[str, Any]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = api.client().get(f"/api/v1/workflows/{workflow['id']}/runs").json()["items"]
    return items


def test_an_inbound_sms_starts_one_run_even_when_plivo_retries(api: Api, sim: str) -> None:
    workflow = inbound_workflow(api, sim)
    sent = httpx.post(
        f"{sim}/sim/plivo/inbound",
        json={"from": "+447700900123", "to": f"+{DEFAULT_NUMBER}", "text": "STOP", "times": 2, "wait": True},
        timeout=30,
    )
    assert sent.status_code == 200, sent.text
    [run] = wait_for(lambda: (items := runs(api, workflow)) and items[0]["status"] == "succeeded" and items)
    record = api.client().get(f"/api/v1/runs/{run['id']}").json()
    trigger = record["steps"][0]["output"]
    assert (trigger["From"], trigger["To"], trigger["Text"]) == ("447700900123", DEFAULT_NUMBER, "STOP")
    assert trigger["MessageUUID"]
    assert record["steps"][1]["output"] == {"result": "447700900123 says STOP"}
    attempts = httpx.get(f"{sim}/sim/plivo/callbacks", params={"kind": "inbound_message"}).json()["callbacks"]
    assert [a["status_code"] for a in attempts] == [200, 200]
    assert len(runs(api, workflow)) == 1


def test_a_wrong_or_missing_signature_gets_403_and_starts_nothing(api: Api, sim: str) -> None:
    workflow = inbound_workflow(api, sim)
    form = {"From": "447700900123", "To": DEFAULT_NUMBER, "Text": "hi", "MessageUUID": "u-1", "Type": "sms"}
    forged = signature_headers("POST", workflow["trigger_url"], form, "not-the-auth-token")
    assert httpx.post(workflow["trigger_url"], data=form, headers=forged).status_code == 403
    assert httpx.post(workflow["trigger_url"], data=form).status_code == 403
    signed = signature_headers("POST", workflow["trigger_url"], form, DEFAULT_AUTH_TOKEN)
    assert httpx.post(workflow["trigger_url"], data=form, headers=signed).status_code == 200
    wait_for(lambda: len(runs(api, workflow)) == 1)
