"""The engine with `StoreAuthSource`: a step runs with its owner's authentication, secrets redacted."""

from __future__ import annotations

from typing import Any

from switchboard.auth.authentications import AuthenticationStore, StoreAuthSource
from switchboard.definition import check_workflow
from switchboard.engine.plan import compile_plan
from switchboard.engine.runner import Engine
from switchboard.store.database import Database
from switchboard.store.journal import SqlJournal

from .conftest import AUTH_ID, AUTH_TOKEN, REGISTRY, Team, sms_fields


def workflow(auth: str) -> Any:
    document = {
        "version": 1,
        "title": "Send one",
        "trigger": {"type": "manual"},
        "steps": [{"connector": "sms", "operation": "send", "auth": auth, "input": {"text": "hi"}}],
    }
    return compile_plan(check_workflow(document, REGISTRY), REGISTRY)


async def run_as(database: Database, store: AuthenticationStore, auth: str, owner: str) -> Any:
    journal = SqlJournal(database)
    try:
        engine = Engine(journal=journal, authentications=StoreAuthSource(store))
        return await engine.run(workflow(auth), {}, owner=owner)
    finally:
        journal.close()


async def test_a_step_runs_with_its_owners_authentication_and_the_journal_hides_the_secret(
    database: Database, store: AuthenticationStore, team: Team
) -> None:
    store.create(team.alice, connector="sms", name="Plivo Sandbox", fields=sms_fields())
    run = await run_as(database, store, "Plivo Sandbox", team.alice.id)
    assert run.status == "succeeded", run.error
    output = run.steps[1].output
    assert output["sent_by"] == AUTH_ID
    assert AUTH_TOKEN not in output["request"]
    assert "[redacted]" in output["request"]


async def test_a_step_naming_another_members_personal_authentication_fails_saying_why(
    database: Database, store: AuthenticationStore, team: Team
) -> None:
    store.create(team.bob, connector="sms", name="Bob SMS", fields=sms_fields())
    run = await run_as(database, store, "Bob SMS", team.alice.id)
    assert run.status == "failed"
    assert run.error["type"] == "permission_denied"
    assert "authentication 'Bob SMS' is personal to another user" in run.error["message"]
