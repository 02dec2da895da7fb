"""`make run`'s demo: example workflows and sandbox authentications that work against the simulators."""

from __future__ import annotations

from pathlib import Path

import httpx

from switchboard.api.app import create_app
from switchboard.settings import Settings

from ..support import serving


def test_the_demo_loads_the_examples_and_the_seed_workflow_runs_against_the_simulators(
    switchboard_home: Path, sim: str, capsys: object
) -> None:
    settings = Settings(home=switchboard_home)
    with serving(create_app(settings, demo_sim_url=sim)) as url:
        printed = capsys.readouterr().out  # type: ignore[attr-defined]
        token = printed.strip().splitlines()[-1].rsplit(" ", 1)[-1]
        client = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=30)
        workflows = {w["title"]: w for w in client.get("/api/v1/workflows").json()["items"]}
        assert {"Greet a list of people", "Send an SMS and confirm on Slack"} <= set(workflows)
        names = [a["name"] for a in client.get("/api/v1/authentications").json()["items"]]
        assert sorted(names) == ["Plivo Sandbox", "Slack Workspace"]
        seed = workflows["Send an SMS and confirm on Slack"]
        record = client.post(f"/api/v1/workflows/{seed['id']}/runs", json={"input": {"name": "Ada"}}).json()
        assert record["status"] == "succeeded", record
        tested = client.post(f"/api/v1/authentications/{_id(client, 'Plivo Sandbox')}/test").json()
        assert tested["ok"] is True
    messages = httpx.get(f"{sim}/sim/slack/channels/sms-log").json()["messages"]
    assert (
        messages[-1]["text"] == f"SMS sent, message uuid: {record['steps'][1]['output']['message_uuid'][0]}"
    )


def _id(client: httpx.Client, name: str) -> str:
    return str(
        next(a["id"] for a in client.get("/api/v1/authentications").json()["items"] if a["name"] == name)
    )
