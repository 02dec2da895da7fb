"""Plivo's callbacks, as the simulator really sends and signs them, through the trigger handlers."""

from __future__ import annotations

import dataclasses
from urllib.parse import urlencode

import pytest

from switchboard.connectors.base import InboundRequest, TriggerEvent, TriggerRejected
from switchboard.connectors.plivo import connector
from switchboard.connectors.plivo.signatures import new_nonce, sign_v3
from switchboard.definition import check_workflow
from switchboard.errors import WorkflowInvalid

from .conftest import ALICE, AUTH_NAME, OUR_NUMBER, REGISTRY, Endpoint, Simulator, Workflows


async def handle(kind: str, request: InboundRequest, sim: Simulator, **auth: str) -> TriggerEvent:
    handler = connector.triggers[kind].handler
    assert handler is not None
    return await handler(request, sim.auth(**auth), {})


async def connect(sim: Simulator, endpoint: Endpoint) -> None:
    app = await sim.api("POST", "Application/", json={"app_name": "tests", "message_url": endpoint.url})
    assert (
        await sim.api("POST", "Number/14155550100/", json={"app_id": app.json()["app_id"]})
    ).status_code == 202


async def test_an_inbound_sms_becomes_plivos_parameters_keyed_by_its_uuid(
    sim: Simulator, endpoint: Endpoint
) -> None:
    await connect(sim, endpoint)
    uuid = await sim.inbound("Hello there", frm=ALICE)
    [request] = endpoint.requests()
    event = await handle("incoming_message", request, sim)
    assert event.output == event.output | {
        "From": "14155550101",
        "To": "14155550100",
        "Text": "Hello there",
        "Type": "sms",
        "MessageUUID": uuid,
    }
    assert event.dedup_key == uuid
    assert event.response is not None
    assert (event.response.media_type, event.response.body) == (
        "application/xml",
        '<?xml version="1.0" encoding="UTF-8"?><Response/>',
    )


async def test_plivo_repeating_an_inbound_message_gives_the_same_dedup_key(
    sim: Simulator, endpoint: Endpoint
) -> None:
    await connect(sim, endpoint)
    await sim.inbound("STOP", times=2)
    first, second = endpoint.requests()
    keys = {(await handle("incoming_message", request, sim)).dedup_key for request in (first, second)}
    assert len(keys) == 1


async def test_a_request_signed_with_another_token_is_refused_with_403(
    sim: Simulator, endpoint: Endpoint
) -> None:
    await connect(sim, endpoint)
    await sim.inbound("hi")
    [request] = endpoint.requests()
    with pytest.raises(TriggerRejected) as refused:
        await handle("incoming_message", request, sim, auth_token="someone-elses-token")
    assert refused.value.status == 403


async def test_an_unsigned_request_is_refused_with_403(sim: Simulator, endpoint: Endpoint) -> None:
    await connect(sim, endpoint)
    await sim.inbound("hi")
    [request] = endpoint.requests()
    unsigned = dataclasses.replace(request, headers={"content-type": "application/x-www-form-urlencoded"})
    with pytest.raises(TriggerRejected) as refused:
        await handle("incoming_message", unsigned, sim)
    assert refused.value.status == 403


async def test_a_tampered_parameter_breaks_the_v3_signature(sim: Simulator, endpoint: Endpoint) -> None:
    await connect(sim, endpoint)
    await sim.inbound("pay 10")
    [request] = endpoint.requests()
    tampered = dataclasses.replace(request, body=request.body.replace(b"pay+10", b"pay+99"))
    assert tampered.body != request.body
    with pytest.raises(TriggerRejected):
        await handle("incoming_message", tampered, sim)


async def test_v2_signatures_alone_are_accepted(sim: Simulator, endpoint: Endpoint) -> None:
    await sim.configure(signature_versions=["v2"])
    await connect(sim, endpoint)
    await sim.inbound("v2 only")
    [request] = endpoint.requests()
    assert "x-plivo-signature-v3" not in request.headers
    assert (await handle("incoming_message", request, sim)).output["Text"] == "v2 only"


async def test_a_list_of_signatures_is_accepted_when_one_matches(sim: Simulator) -> None:
    url = "https://hooks.example/hooks/abc"
    params = {"MessageUUID": "m-1", "From": "14155550101", "To": "14155550100", "Text": "rotated"}
    nonce = new_nonce()
    retired = sign_v3("POST", url, params, nonce, "a-retired-token")
    current = sign_v3("POST", url, params, nonce, sim.auth().auth_token)
    request = InboundRequest(
        method="POST",
        url=url,
        headers={"x-plivo-signature-v3": f"{retired}, {current}", "x-plivo-signature-v3-nonce": nonce},
        body=urlencode(params).encode(),
    )
    assert (await handle("incoming_message", request, sim)).output["Text"] == "rotated"


async def test_a_subaccounts_number_is_verified_by_either_account(sim: Simulator, endpoint: Endpoint) -> None:
    await connect(sim, endpoint)
    child = (await sim.api("POST", "Subaccount/", json={"name": "support", "enabled": True})).json()
    moved = await sim.api("POST", "Number/14155550100/", json={"subaccount": child["auth_id"]})
    assert moved.status_code == 202
    await sim.inbound("to the subaccount")
    [request] = endpoint.requests()
    by_main = await handle("incoming_message", request, sim)  # the -Ma- header, signed with the main token
    by_child = await handle(
        "incoming_message", request, sim, auth_id=child["auth_id"], auth_token=child["auth_token"]
    )
    assert by_main.output == by_child.output


async def test_delivery_reports_are_one_event_per_status(
    workflows: Workflows, sim: Simulator, endpoint: Endpoint
) -> None:
    sent = await workflows.output("send_sms", src=OUR_NUMBER, dst=ALICE, text="Hi", url=endpoint.url)
    await sim.settle()
    events = [await handle("message_status", request, sim) for request in endpoint.requests()]
    uuid = sent["message_uuid"][0]
    assert [event.dedup_key for event in events] == [f"{uuid}:queued", f"{uuid}:sent", f"{uuid}:delivered"]
    assert events[-1].output["Status"] == "delivered"
    assert events[-1].response is None  # Plivo ignores the answer's body


async def test_a_delivery_report_by_get_is_read_from_the_query(
    workflows: Workflows, sim: Simulator, endpoint: Endpoint
) -> None:
    await workflows.output("send_sms", src=OUR_NUMBER, dst=ALICE, text="Hi", url=endpoint.url, method="GET")
    await sim.settle()
    requests = endpoint.requests()
    assert {request.method for request in requests} == {"GET"}
    event = await handle("message_status", requests[-1], sim)
    assert (event.output["Status"], event.output["To"]) == ("delivered", "14155550101")


async def test_an_incoming_call_answers_plivo_xml(
    workflows: Workflows, sim: Simulator, endpoint: Endpoint
) -> None:
    await workflows.output("make_call", **{"from": OUR_NUMBER, "to": ALICE, "answer_url": endpoint.url})
    await sim.settle()
    [request] = endpoint.requests()
    event = await handle("incoming_call", request, sim)
    assert event.dedup_key == f"{event.output['CallUUID']}:StartApp"
    assert event.response is not None
    assert event.response.media_type == "application/xml"


def trigger_document(trigger: dict[str, object]) -> dict[str, object]:
    return {
        "version": 1,
        "title": "reply",
        "trigger": trigger,
        "steps": [{"connector": "text-helpers", "operation": "concatenate", "input": {"values": ["a"]}}],
    }


def test_the_workflow_checker_accepts_the_triggers_with_a_mode() -> None:
    for kind in ("incoming_message", "message_status", "incoming_call"):
        document = trigger_document({"type": f"plivo.{kind}", "auth": AUTH_NAME, "mode": "respond"})
        assert check_workflow(document, REGISTRY).trigger.settings == {"mode": "respond"}


def test_the_workflow_checker_refuses_unknown_settings_and_a_missing_authentication() -> None:
    with pytest.raises(WorkflowInvalid) as refused:
        check_workflow(trigger_document({"type": "plivo.incoming_message", "mood": "respond"}), REGISTRY)
    paths = sorted(problem.path for problem in refused.value.problems)
    assert paths == ["trigger.auth", "trigger.mood"]
