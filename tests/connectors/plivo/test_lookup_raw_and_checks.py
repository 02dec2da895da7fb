"""Lookup and pricing, the raw request for any other API, and the checks that need no API at all."""

from __future__ import annotations

from .conftest import ALICE, Simulator, Workflows


async def test_a_number_is_looked_up_on_the_lookup_api(workflows: Workflows, sim: Simulator) -> None:
    facts = await workflows.output("lookup_number", number="447400123456")
    assert facts["phone_number"] == "+447400123456"
    assert facts["country"]["iso2"] == "GB"
    assert facts["carrier"]["type"] == "mobile"


def test_the_lookup_host_is_plivos_own_for_the_real_api_and_the_same_root_for_a_sandbox(
    sim: Simulator,
) -> None:
    assert sim.auth(base_url="https://api.plivo.com").lookup_root == "https://lookup.plivo.com"
    assert sim.auth(base_url=sim.url + "/").lookup_root == sim.url


async def test_prices_are_read_for_a_country(workflows: Workflows, sim: Simulator) -> None:
    pricing = await workflows.output("get_pricing", country_iso="us")
    assert (pricing["country_iso"], pricing["country_code"]) == ("US", 1)
    assert pricing["message"]["outbound"]["rate"] == "0.00500"


async def test_an_unknown_country_is_plivos_400(workflows: Workflows, sim: Simulator) -> None:
    error = await workflows.error("get_pricing", country_iso="ZZ")
    assert (error["status"], error["plivo_error"]) == (400, "country_iso ZZ is not a valid country code")


async def test_a_raw_request_reaches_any_api_under_the_account(workflows: Workflows, sim: Simulator) -> None:
    answer = await workflows.output("raw_http_request", endpoint="")
    assert answer["status_code"] == 200
    assert answer["body"]["auth_id"] == "MAXXXXXXXXXXXXXXXXXX"
    assert answer["headers"]["content-type"] == "application/json"
    sent = await workflows.output(
        "raw_http_request",
        method="POST",
        endpoint="Message/",
        body={"src": "14155550100", "dst": "14155550101", "text": "raw"},
    )
    assert (sent["status_code"], len(sent["body"]["message_uuid"])) == (202, 1)
    listed = await workflows.output(
        "raw_http_request", endpoint="Message/", query={"limit": 1, "to_number": ALICE}
    )
    assert listed["body"]["meta"]["limit"] == 1


async def test_a_raw_request_takes_a_full_url_on_the_authentications_hosts(
    workflows: Workflows, sim: Simulator
) -> None:
    url = f"{sim.url}/v1/Number/+14155550100"
    answer = await workflows.output("raw_http_request", endpoint=url, query={"type": "carrier"})
    assert answer["body"]["phone_number"] == "+14155550100"


async def test_a_raw_request_never_sends_the_credentials_to_another_host(
    workflows: Workflows, sim: Simulator
) -> None:
    error = await workflows.error("raw_http_request", endpoint="https://attacker.example/v1/")
    assert error["type"] == "input_invalid"
    assert error["message"].startswith(
        "input.endpoint: 'https://attacker.example/v1/' is not on this authentication"
    )


async def test_a_raw_request_that_plivo_refuses_fails_the_step(workflows: Workflows, sim: Simulator) -> None:
    error = await workflows.error("raw_http_request", endpoint="Nothing/here/")
    assert (error["status"], error["message"]) == (404, "Plivo answered 404 to GET Nothing/here/: not found")


async def test_a_number_is_validated_without_any_request(workflows: Workflows) -> None:
    valid = await workflows.output("validate_number", number="07400 123456", default_region="gb")
    assert valid == valid | {
        "valid": True,
        "e164": "+447400123456",
        "plivo_number": "447400123456",
        "region": "GB",
        "number_type": "mobile",
        "country_code": 44,
    }
    assert (await workflows.output("validate_number", number="14155550100"))["e164"] == "+14155550100"
    invalid = await workflows.output("validate_number", number="+4477009")
    assert (invalid["valid"], invalid["reason"]) == (
        False,
        "'+4477009' is not a valid phone number (E.164 expected, e.g. +14155552671)",
    )


async def test_an_unknown_region_is_an_input_error(workflows: Workflows) -> None:
    run = await workflows.run(
        {
            "operation": "validate_number",
            "input": {"number": "123", "default_region": "{$.steps.trigger.region}"},
        },
        trigger_output={"region": "XX"},
    )
    assert run.steps[-1].error is not None
    assert run.steps[-1].error["message"].startswith("input.default_region: 'XX' is not a known region code")


async def test_segments_are_counted_as_plivo_bills_them(workflows: Workflows) -> None:
    short = await workflows.output("count_segments", text="Hello")
    assert (short["encoding"], short["units"], short["remaining"], short["too_long"]) == (
        "GSM-7",
        1,
        155,
        False,
    )
    split = await workflows.output("count_segments", text="a" * 161)
    assert (split["units"], split["per_unit"], [len(part) for part in split["parts"]]) == (2, 153, [153, 8])
    emoji = await workflows.output("count_segments", text="Hi 👋")
    assert (emoji["encoding"], emoji["length"]) == ("UCS-2", 5)
    assert (await workflows.output("count_segments", text="ж" * 738))["too_long"] is True
