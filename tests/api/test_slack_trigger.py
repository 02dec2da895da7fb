"""A Slack event, signed by the simulator as Slack signs it, reaching a workflow's trigger URL."""

from __future__ import annotations

from typing import Any

import httpx

from switchboard.sim.slack.state import DEFAULT_BOT_TOKEN, DEFAULT_SIGNING_SECRET

from .conftest import Api, wait_for
from .test_runs import create


def slack_workflow(api: Api, sim: str) -> dict[str, Any]:
    api.client("admin").post(
        "/api/v1/authentications",
        json={
            "connector": "slack",
            "name": "Slack Workspace",
            "scope": "organisational",
            "fields": {
                "token": DEFAULT_BOT_TOKEN,
                "signing_secret": DEFAULT_SIGNING_SECRET,
                "base_url": f"{sim}/api/",
            },
        },
    ).raise_for_status()
    return create(
        api,
        {
            "version": 1,
            "title": "Echo Slack messages",
            "trigger": {"type": "slack.event", "auth": "Slack Workspace"},
            "steps": [
                {
                    "connector": "text-helpers",
                    "operation": "concatenate",
                    "input": {"values": ["heard: ", "{$.steps.trigger.text}"]},
                }
            ],
        },
    )


def send(sim: str, url: str, **options: Any) -> dict[str, Any]:
    event = {"type": "message", "channel": "C0GENERAL", "user": "U00000ADA", "text": "hello"}
    response = httpx.post(f"{sim}/sim/slack/events", json={"url": url, "event": event, **options}, timeout=30)
    response.raise_for_status()
    delivered: dict[str, Any] = response.json()
    return delivered


def runs(api: Api, workflow: dict[str, Any]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = api.client().get(f"/api/v1/workflows/{workflow['id']}/runs").json()["items"]
    return items


def test_a_signed_event_starts_one_run_and_slacks_retry_starts_nothing(api: Api, sim: str) -> None:
    workflow = slack_workflow(api, sim)
    delivered = send(sim, workflow["trigger_url"])
    assert delivered["attempts"][-1]["status_code"] == 200
    [run] = wait_for(lambda: (items := runs(api, workflow)) and items[0]["status"] == "succeeded" and items)
    record = api.client().get(f"/api/v1/runs/{run['id']}").json()
    assert record["steps"][1]["output"] == {"result": "heard: hello"}
    retried = httpx.post(
        f"{sim}/sim/slack/events/{delivered['event_id']}/retry", json={"reason": "http_timeout"}
    )
    assert retried.json()["attempts"][-1]["status_code"] == 200
    assert len(runs(api, workflow)) == 1


def test_a_wrong_signature_or_a_stale_timestamp_gets_401_and_starts_nothing(api: Api, sim: str) -> None:
    workflow = slack_workflow(api, sim)
    assert send(sim, workflow["trigger_url"], wrong_secret=True)["attempts"][-1]["status_code"] == 401
    assert send(sim, workflow["trigger_url"], stale_timestamp=True)["attempts"][-1]["status_code"] == 401
    assert runs(api, workflow) == []


def test_the_url_verification_challenge_is_answered(api: Api, sim: str) -> None:
    workflow = slack_workflow(api, sim)
    answer = httpx.post(
        f"{sim}/sim/slack/events", json={"url": workflow["trigger_url"], "type": "url_verification"}
    ).json()
    assert answer["challenge_echoed"] is True
    assert runs(api, workflow) == []
