"""Sending SMS and MMS through the engine, against the simulator: outputs, partial success, refusals."""

from __future__ import annotations

import pytest

from switchboard.connectors.plivo.sending import SendSms
from switchboard.definition import check_workflow
from switchboard.errors import WorkflowInvalid

from .conftest import ALICE, AUTH_NAME, BOB, OUR_NUMBER, REGISTRY, Simulator, Workflows

PICTURE = "https://example.com/cat.jpg"


async def test_an_sms_to_one_number_is_queued_with_its_uuid(workflows: Workflows, sim: Simulator) -> None:
    output = await workflows.output("send_sms", src=OUR_NUMBER, dst=ALICE, text="Hello Ada")
    assert output["message"] == "message(s) queued"
    [uuid] = output["message_uuid"]
    assert output["invalid_number"] == []
    [sent] = await sim.messages()
    assert (sent["message_uuid"], sent["to_number"], sent["text"]) == (uuid, "14155550101", "Hello Ada")


async def test_a_send_to_three_numbers_with_one_invalid_reports_two_uuids_and_the_invalid_number(
    workflows: Workflows, sim: Simulator
) -> None:
    output = await workflows.output("send_sms", src=OUR_NUMBER, dst=[ALICE, "+1111111", BOB], text="Hi all")
    assert len(output["message_uuid"]) == 2
    assert output["invalid_number"] == ["1111111"]
    sent = {message["message_uuid"]: message["to_number"] for message in await sim.messages()}
    assert sent == dict(zip(output["message_uuid"], ["14155550101", "14155550102"], strict=True))


async def test_destinations_may_be_joined_with_angle_brackets_and_written_without_plus(
    workflows: Workflows, sim: Simulator
) -> None:
    output = await workflows.output(
        "send_sms", src="14155550100", dst="14155550101<+1 (415) 555-0102", text="x"
    )
    assert len(output["message_uuid"]) == 2
    assert sorted(message["to_number"] for message in await sim.messages()) == ["14155550101", "14155550102"]


async def test_a_later_step_reads_the_first_uuid_as_in_trays_example(workflows: Workflows) -> None:
    run = await workflows.run(
        {
            "operation": "send_sms",
            "input": {"src": OUR_NUMBER, "dst": "{$.steps.trigger.phone}", "text": "Hi"},
        },
        {"operation": "get_message", "input": {"message_uuid": "{$.steps.plivo-1.message_uuid[0]}"}},
        trigger_output={"phone": ALICE},
    )
    assert run.status == "succeeded", run.error
    assert run.steps[2].output["to_number"] == "14155550101"


@pytest.mark.parametrize(
    ("step_input", "message"),
    [
        (
            {"dst": "+4477009"},
            "input.dst: '+4477009' is not a valid phone number (E.164 expected, e.g. +14155552671)",
        ),
        (
            {"dst": [ALICE, "call me"]},
            "input.dst: 'call me' is not a valid phone number (E.164 expected, e.g. +14155552671)",
        ),
        (
            {"dst": "+1111111<+2222222"},
            "input.dst: none of the destinations is a valid phone number: '+1111111', '+2222222'",
        ),
        (
            {"src": "+4477009"},
            "input.src: '+4477009' is not a valid phone number (E.164 expected, e.g. +14155552671)",
        ),
        ({"src": "Far Too Long A Name"}, "input.src: 'Far Too Long A Name' is neither a phone number"),
        ({"powerpack_uuid": "pp-1"}, "input: give src or powerpack_uuid, not both"),
        ({"src": None}, "input: src or powerpack_uuid is required"),
        ({"dst": OUR_NUMBER}, "input: dst is the same number as src (+14155550100)"),
        (
            {"text": "a" * 1601},
            "input.text: text is 1601 characters long; Plivo accepts at most 1600 characters for GSM-7 text",
        ),
        ({"text": "ж" * 738}, "input.text: text is 738 unicode characters long; Plivo accepts at most 737"),
        ({"text": ""}, "input.text: String should have at least 1 character"),
        ({"media_urls": [PICTURE]}, "input: media_urls: an SMS carries no media; send it with send_mms"),
    ],
)
async def test_an_sms_plivo_would_refuse_fails_before_any_request_naming_the_field(
    workflows: Workflows, sim: Simulator, step_input: dict[str, object], message: str
) -> None:
    values = {"src": OUR_NUMBER, "dst": ALICE, "text": "Hi", **step_input}
    mapped = {name: f"{{$.steps.trigger.{name}}}" for name in values}  # known only at run time
    run = await workflows.run({"operation": "send_sms", "input": mapped}, trigger_output=values)
    step = run.steps[-1]
    assert step.status == "failed"
    assert step.error is not None
    assert step.error["type"] == "input_invalid"
    assert step.error["message"].startswith(message)
    assert await sim.messages() == []


def test_the_workflow_checker_reports_a_literal_bad_number_with_its_path() -> None:
    document = {
        "version": 1,
        "title": "bad number",
        "steps": [
            {
                "connector": "plivo",
                "operation": "send_sms",
                "auth": AUTH_NAME,
                "input": {"src": OUR_NUMBER, "dst": "+4477009", "text": "Hi"},
            },
            {
                "connector": "plivo",
                "operation": "send_sms",
                "auth": AUTH_NAME,
                "input": {
                    "src": OUR_NUMBER,
                    "dst": "{$.steps.trigger.phone}",
                    "text": "Hi {$.steps.trigger.name}",
                },
            },
        ],
    }
    with pytest.raises(WorkflowInvalid) as refused:
        check_workflow(document, REGISTRY)
    [problem] = refused.value.problems
    assert problem.path == "steps[0].input.dst"
    assert problem.message.startswith("'+4477009' is not a valid phone number")


async def test_an_mms_carries_its_media_and_is_billed_as_mms(workflows: Workflows, sim: Simulator) -> None:
    output = await workflows.output("send_mms", src=OUR_NUMBER, dst=ALICE, media_urls=[PICTURE], text="Look")
    [sent] = await sim.messages()
    assert sent["message_uuid"] == output["message_uuid"][0]
    assert (sent["message_type"], sent["media_urls"], sent["text"]) == ("mms", [PICTURE], "Look")


def test_an_mms_without_media_is_refused_when_the_workflow_is_checked() -> None:
    document = {
        "version": 1,
        "title": "no media",
        "steps": [
            {
                "connector": "plivo",
                "operation": "send_mms",
                "auth": AUTH_NAME,
                "input": {"src": OUR_NUMBER, "dst": ALICE, "text": "nothing attached"},
            }
        ],
    }
    with pytest.raises(WorkflowInvalid) as refused:
        check_workflow(document, REGISTRY)
    [problem] = refused.value.problems
    assert (problem.path, problem.message) == (
        "steps[0].input",
        "media_urls or media_ids is required: an MMS carries at least one file",
    )


async def test_a_powerpack_sends_instead_of_a_source_number(workflows: Workflows, sim: Simulator) -> None:
    await workflows.output("send_sms", powerpack_uuid="pp-1", dst=ALICE, text="From the pool")
    [sent] = await sim.messages()
    assert sent["powerpack_id"] == "pp-1"


def test_the_request_body_is_the_one_plivos_sdk_sends_without_unset_options() -> None:
    send = SendSms.model_validate(
        {
            "src": OUR_NUMBER,
            "dst": [ALICE, BOB],
            "text": "hi",
            "url": "https://cb.example/s",
            "log": True,
            "trackable": False,
        }
    )
    assert send.to_api() == {
        "src": "+14155550100",
        "dst": "+14155550101<+14155550102",
        "type": "sms",
        "text": "hi",
        "url": "https://cb.example/s",
        "method": "POST",
        "log": "true",
        "trackable": False,
    }


def test_dlt_fields_and_expiry_are_sent_when_given() -> None:
    send = SendSms.model_validate(
        {
            "src": "SWBRD",
            "dst": "+919876543210",
            "text": "OTP 1234",
            "message_expiry": 600,
            "dlt_entity_id": "e-1",
            "dlt_template_id": "t-1",
            "dlt_template_category": "transactional",
        }
    )
    body = send.to_api()
    assert (body["src"], body["message_expiry"]) == ("SWBRD", 600)
    assert (body["dlt_entity_id"], body["dlt_template_id"], body["dlt_template_category"]) == (
        "e-1",
        "t-1",
        "transactional",
    )


async def test_plivos_own_400_names_what_plivo_said_and_its_api_id(
    workflows: Workflows, sim: Simulator
) -> None:
    assert (await sim.api("DELETE", "Number/14155550100/")).status_code == 204
    error = await workflows.error("send_sms", powerpack_uuid="pp-1", dst=ALICE, text="from an empty pool")
    assert error["type"] == "provider_error"
    assert error["status"] == 400
    assert (
        error["message"] == "Plivo answered 400 to POST Message/: the powerpack has no numbers to send from"
    )
    assert error["plivo_error"] == "the powerpack has no numbers to send from"
    assert error["api_id"]
    assert error["authentication"] == AUTH_NAME
