"""The seed workflow of SPEC §2, run with `switchboard run --json` against the simulators."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from switchboard.cli import app
from switchboard.sim.app import create_sim_app
from switchboard.sim.plivo.settings import DEFAULT_AUTH_ID, DEFAULT_AUTH_TOKEN
from switchboard.sim.slack.state import DEFAULT_BOT_TOKEN

from .support import serving

SEED = Path(__file__).resolve().parents[1] / "examples" / "sms-to-slack.yaml"
runner = CliRunner()


@pytest.fixture
def sim() -> Iterator[str]:
    with serving(create_sim_app()) as url:
        yield url


def test_the_seed_workflow_sends_the_sms_and_posts_its_uuid_to_slack(sim: str) -> None:
    for connector, name, fields in (
        (
            "plivo",
            "Plivo Sandbox",
            {"auth_id": DEFAULT_AUTH_ID, "auth_token": DEFAULT_AUTH_TOKEN, "base_url": sim},
        ),
        ("slack", "Slack Workspace", {"token": DEFAULT_BOT_TOKEN, "base_url": f"{sim}/api/"}),
    ):
        settings = [arg for key, value in fields.items() for arg in ("--set", f"{key}={value}")]
        added = runner.invoke(app, ["auth", "add", connector, "--name", name, *settings])
        assert added.exit_code == 0, added.output

    result = runner.invoke(
        app, ["run", str(SEED), "--json", "--input", '{"phone": "+14155550123", "name": "Ada"}']
    )
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert [(s["name"], s["status"]) for s in record["steps"]] == [
        ("trigger", "succeeded"),
        ("plivo-1", "succeeded"),
        ("text-helpers-1", "succeeded"),
        ("slack-1", "succeeded"),
    ]
    uuid = record["steps"][1]["output"]["message_uuid"][0]
    assert record["steps"][2]["output"] == {"result": f"SMS sent, message uuid: {uuid}"}

    channel = httpx.get(f"{sim}/sim/slack/channels/sms-log").json()
    assert [m["text"] for m in channel["messages"]] == [f"SMS sent, message uuid: {uuid}"]
    [sent] = httpx.get(f"{sim}/sim/plivo/messages").json()["messages"]
    assert (sent["message_uuid"], sent["to_number"], sent["text"]) == (uuid, "14155550123", "Hello Ada")
    assert DEFAULT_AUTH_TOKEN not in result.stdout and DEFAULT_BOT_TOKEN not in result.stdout
