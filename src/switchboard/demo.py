"""The demo that `make run` starts: the server, the sandbox simulators, and example workflows.

Everything here is ordinary use of the public pieces: the workflows are imported as any user would
import them, and the sandbox authentications are organisational authentications whose `base_url`
points at the simulators.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from switchboard.api.server import Server
from switchboard.auth.authentications import AuthenticationStore
from switchboard.auth.users import User, ensure_local_owner, issue_token
from switchboard.definition.loader import load_workflow
from switchboard.errors import SwitchboardError

log = logging.getLogger("switchboard.demo")

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def sandbox_authentications(sim_url: str) -> list[dict[str, Any]]:
    """The authentications of the demo workflows, pointed at the local simulators."""
    from switchboard.sim.plivo.settings import DEFAULT_AUTH_ID, DEFAULT_AUTH_TOKEN
    from switchboard.sim.slack.state import DEFAULT_BOT_TOKEN, DEFAULT_SIGNING_SECRET

    return [
        {
            "connector": "plivo",
            "name": "Plivo Sandbox",
            "fields": {"auth_id": DEFAULT_AUTH_ID, "auth_token": DEFAULT_AUTH_TOKEN, "base_url": sim_url},
        },
        {
            "connector": "slack",
            "name": "Slack Workspace",
            "fields": {
                "token": DEFAULT_BOT_TOKEN,
                "signing_secret": DEFAULT_SIGNING_SECRET,
                "base_url": f"{sim_url}/api/",
            },
        },
    ]


def seed(server: Server, sim_url: str) -> str:
    """Create what the demo needs, once; returns a fresh API token for the local owner."""
    owner = ensure_local_owner(server.database)
    _seed_authentications(server.authentications, owner, sim_url)
    existing = {stored.title for stored in server.workflows.list_workflows()}
    for path in sorted(EXAMPLES.glob("*.yaml")):
        try:
            workflow = load_workflow(path, server.registry)
        except SwitchboardError as error:
            log.warning("demo workflow %s skipped: %s", path.name, error.message)
            continue
        if workflow.title not in existing:
            server.workflows.create(workflow, owner_id=owner.id)
    return issue_token(server.database, owner.id, label="demo")


def _seed_authentications(store: AuthenticationStore, owner: User, sim_url: str) -> None:
    known = {(auth.connector, auth.name) for auth in store.list(owner)}
    for spec in sandbox_authentications(sim_url):
        if spec["connector"] not in store.registry or (spec["connector"], spec["name"]) in known:
            continue
        store.create(
            owner,
            connector=spec["connector"],
            name=spec["name"],
            scope="organisational",
            fields=spec["fields"],
        )
