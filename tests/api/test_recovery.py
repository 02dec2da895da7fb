"""A server killed with SIGKILL in the middle of a run finishes it after a restart, repeating nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from switchboard.auth.roles import Role
from switchboard.auth.users import create_user, issue_token
from switchboard.settings import Settings
from switchboard.store.database import open_database

from ..support import listening_socket
from .conftest import wait_for

WORKFLOW: dict[str, Any] = {
    "version": 1,
    "title": "Long run",
    "trigger": {"type": "manual"},
    "steps": [
        {"connector": "text-helpers", "operation": "concatenate", "input": {"values": ["before"]}},
        {"connector": "delay", "input": {"delay_value": 1.5}},
        {"connector": "text-helpers", "operation": "concatenate", "input": {"values": ["after"]}},
    ],
}


class Serve:
    """`switchboard serve` as a separate process, killed and restarted like a real deployment."""

    def __init__(self, home: Path) -> None:
        sock = listening_socket()
        self.port = sock.getsockname()[1]
        sock.close()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "SWITCHBOARD_HOME": str(home)}
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [str(Path(sys.executable).parent / "switchboard"), "serve", "--port", str(self.port)]
        self.process = subprocess.Popen(
            command, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        wait_for(self._answers, timeout=30)

    def _answers(self) -> bool:
        try:
            return httpx.get(f"{self.url}/openapi.json", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture
def serve(switchboard_home: Path) -> Iterator[Serve]:
    server = Serve(switchboard_home)
    yield server
    server.stop()


def test_a_run_interrupted_by_sigkill_completes_after_restart_without_repeating_a_step(
    serve: Serve, switchboard_home: Path
) -> None:
    database = open_database(Settings(home=switchboard_home).resolved_database_url())
    token = issue_token(database, create_user(database, "ada", Role.MEMBER).id)
    database.dispose()
    client = httpx.Client(base_url=serve.url, headers={"Authorization": f"Bearer {token}"}, timeout=10)

    serve.start()
    workflow = client.post("/api/v1/workflows", json=WORKFLOW).json()
    run_id = client.post(f"/api/v1/workflows/{workflow['id']}/runs", json={"wait": False}).json()["id"]
    before = wait_for(lambda: _step_running(client, run_id, "delay-1"))
    serve.kill()

    serve.start()
    after = wait_for(
        lambda: (r := client.get(f"/api/v1/runs/{run_id}").json())["status"] == "succeeded" and r
    )
    assert [s["name"] for s in after["steps"]] == ["trigger", "text-helpers-1", "delay-1", "text-helpers-2"]
    finished_before = next(s for s in before["steps"] if s["name"] == "text-helpers-1")
    finished_after = next(s for s in after["steps"] if s["name"] == "text-helpers-1")
    assert finished_after == finished_before  # not executed again: same record, same start time
    assert next(s for s in after["steps"] if s["name"] == "delay-1")["attempts"] == 2
    assert after["steps"][-1]["output"] == {"result": "after"}


def _step_running(client: httpx.Client, run_id: str, name: str) -> Any:
    record = client.get(f"/api/v1/runs/{run_id}").json()
    return record if any(s["name"] == name and s["status"] == "running" for s in record["steps"]) else None
