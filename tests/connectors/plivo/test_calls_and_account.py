"""Calls (make, read live, hang up, read the record, list) and the account with its subaccounts."""

from __future__ import annotations

import pytest

from switchboard.connectors.base import ClientPool, Context
from switchboard.connectors.plivo import connector
from switchboard.errors import ProviderError

from .conftest import ALICE, AUTH_NAME, BOB, OUR_NUMBER, Endpoint, Simulator, Workflows


async def test_a_call_is_fired_answered_hung_up_and_recorded(
    workflows: Workflows, sim: Simulator, endpoint: Endpoint
) -> None:
    fired = await workflows.output(
        "make_call", **{"from": OUR_NUMBER, "to": ALICE, "answer_url": endpoint.url}
    )
    assert fired["message"] == "call fired"
    await sim.settle()
    [answer_request] = endpoint.requests()
    call_uuid = answer_request.form()["CallUUID"]

    live = await workflows.output("get_call", call_uuid=call_uuid, live=True)
    assert live["call_status"] == "in-progress"
    assert await workflows.output("hangup_call", call_uuid=call_uuid) == {
        "call_uuid": call_uuid,
        "hung_up": True,
    }
    record = await workflows.output("get_call", call_uuid=call_uuid)
    assert (record["to_number"], record["call_direction"]) == ("14155550101", "outbound")
    listed = await workflows.output("list_calls", call_direction="outbound")
    assert [call["call_uuid"] for call in listed["calls"]] == [call_uuid]


async def test_a_call_to_several_numbers_returns_a_request_per_number(
    workflows: Workflows, sim: Simulator, endpoint: Endpoint
) -> None:
    fired = await workflows.output(
        "make_call", **{"from": OUR_NUMBER, "to": [ALICE, BOB], "answer_url": endpoint.url}
    )
    assert len(fired["request_uuid"]) == 2


async def test_hanging_up_a_call_that_already_ended_is_plivos_404(
    workflows: Workflows, sim: Simulator
) -> None:
    error = await workflows.error("hangup_call", call_uuid="ended-long-ago")
    assert error["status"] == 404


async def test_a_call_to_an_invalid_number_is_refused_before_dialling(
    workflows: Workflows, sim: Simulator
) -> None:
    run = await workflows.run(
        {
            "operation": "make_call",
            "input": {
                "from": OUR_NUMBER,
                "to": "{$.steps.trigger.to}",
                "answer_url": "https://example.com/a",
            },
        },
        trigger_output={"to": [ALICE, "+4477009"]},
    )
    assert run.steps[-1].error is not None
    assert run.steps[-1].error["message"].startswith("input.to: '+4477009' is not a valid phone number")


async def test_the_account_is_read(workflows: Workflows, sim: Simulator) -> None:
    account = await workflows.output("get_account")
    assert (account["auth_id"], account["name"], account["cash_credits"]) == (
        "MAXXXXXXXXXXXXXXXXXX",
        "Switchboard Simulator",
        "100.00000",
    )


async def test_the_authentication_test_reads_the_account_or_says_what_is_wrong(sim: Simulator) -> None:
    assert connector.auth_test is not None
    clients = ClientPool()
    ok = Context(auth=sim.auth(), run_id="t", step="auth-test", auth_name=AUTH_NAME, clients=clients)
    assert await connector.auth_test(ok) == (
        "Plivo account 'Switchboard Simulator' (MAXXXXXXXXXXXXXXXXXX), balance 100.00000 USD"
    )
    wrong = Context(
        auth=sim.auth(auth_token="wrong"), run_id="t", step="auth-test", auth_name=AUTH_NAME, clients=clients
    )
    with pytest.raises(ProviderError) as refused:
        await connector.auth_test(wrong)
    assert refused.value.status == 401
    assert "authentication 'Plivo Sandbox'" in refused.value.message
    await clients.aclose()


async def test_subaccounts_are_created_and_listed_without_their_tokens_unless_asked(
    workflows: Workflows, sim: Simulator
) -> None:
    created = await workflows.output("create_subaccount", name="Support team", enabled=True)
    assert created["auth_id"].startswith("SA")
    assert created.get("auth_token") is None
    listed = await workflows.output("list_subaccounts")
    [subaccount] = listed["subaccounts"]
    assert (subaccount["name"], subaccount["enabled"], subaccount.get("auth_token")) == (
        "Support team",
        True,
        None,
    )
    revealed = await workflows.output("list_subaccounts", include_auth_tokens=True)
    assert len(revealed["subaccounts"][0]["auth_token"]) == 40
    with_token = await workflows.output("create_subaccount", name="Sales", include_auth_token=True)
    assert len(with_token["auth_token"]) == 40


async def test_a_subaccount_may_not_manage_subaccounts(workflows: Workflows, sim: Simulator) -> None:
    created = await sim.api("POST", "Subaccount/", json={"name": "child", "enabled": True})
    child = created.json()
    workflows.use(sim.auth(auth_id=child["auth_id"], auth_token=child["auth_token"]))
    error = await workflows.error("create_subaccount", name="grandchild")
    assert (error["status"], error["plivo_error"]) == (403, "subaccounts cannot manage subaccounts")
