"""The Auth Token never reaches the run journal: not in inputs, outputs, errors, nor encoded in a header."""

from __future__ import annotations

import base64
import json

from switchboard.sim.plivo import DEFAULT_AUTH_ID, DEFAULT_AUTH_TOKEN

from .conftest import ALICE, OUR_NUMBER, Simulator, Workflows

TOKEN_FORMS = (
    DEFAULT_AUTH_TOKEN,
    base64.b64encode(f"{DEFAULT_AUTH_ID}:{DEFAULT_AUTH_TOKEN}".encode()).decode(),
)


async def test_the_token_is_nowhere_in_the_journal_even_without_redaction(
    workflows: Workflows, sim: Simulator
) -> None:
    workflows.authentications.redact = False  # prove the connector itself never writes it
    run = await workflows.run(
        {"operation": "send_sms", "input": {"src": OUR_NUMBER, "dst": ALICE, "text": "hi"}},
        {"operation": "raw_http_request", "input": {"endpoint": ""}},
        {"operation": "get_account", "input": {}},
        {"operation": "get_message", "input": {"message_uuid": "unknown"}, "on_error": "continue"},
        {"operation": "list_subaccounts", "input": {}},
    )
    assert run.status == "succeeded", run.error
    journaled = json.dumps(workflows.stored(run).to_record())
    assert "not found" in journaled  # the failed step's error is there...
    assert not any(secret in journaled for secret in TOKEN_FORMS)  # ...and the token is not


async def test_a_refused_token_is_not_quoted_in_the_error(workflows: Workflows, sim: Simulator) -> None:
    wrong = "wrong-token-that-must-not-leak"
    workflows.authentications.redact = False
    workflows.use(sim.auth(auth_token=wrong))
    run = await workflows.run(
        {"operation": "send_sms", "input": {"src": OUR_NUMBER, "dst": ALICE, "text": "hi"}}
    )
    assert run.status == "failed"
    assert wrong not in json.dumps(workflows.stored(run).to_record())


async def test_a_step_reading_the_token_through_auth_sees_it_redacted(
    workflows: Workflows, sim: Simulator
) -> None:
    run = await workflows.run(
        {"operation": "count_segments", "input": {"text": "token: {$.auth.auth_token}"}},
    )
    journaled = json.dumps(workflows.stored(run).to_record())
    assert DEFAULT_AUTH_TOKEN not in journaled
    assert "[redacted]" in journaled
