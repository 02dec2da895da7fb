"""The Plivo simulator over real HTTP, pinned to reference/plivo.md (paths, statuses, bodies, callbacks).

Fixtures (tests/sim/conftest.py): ``plivo`` is the running simulator, reset for each test, with a client
authenticated as the default account; ``receiver`` is a real server standing for the user's callbacks.
"""

import asyncio
import socket
import uuid
from datetime import UTC, datetime

import httpx
import pytest
import uvicorn

from switchboard.connectors.plivo.signatures import (
    V2_MAIN_ACCOUNT_SIGNATURE,
    V2_NONCE,
    V2_SIGNATURE,
    V3_MAIN_ACCOUNT_SIGNATURE,
    V3_NONCE,
    V3_SIGNATURE,
    verify_request,
    verify_v2,
    verify_v3,
)
from switchboard.sim.plivo import (
    DEFAULT_AUTH_ID,
    DEFAULT_AUTH_TOKEN,
    DEFAULT_NUMBER,
    PlivoSimSettings,
    PlivoSimState,
    create_plivo_app,
)

from ..support import listening_socket

ALICE = "+14155550101"
BOB = "+14155550102"
PICTURE = "https://example.com/a.jpg"
SUBACCOUNT_KEYS = {
    "account",
    "auth_id",
    "auth_token",
    "created",
    "enabled",
    "modified",
    "name",
    "resource_uri",
}
MDR_KEYS = {
    "api_id",
    "error_code",
    "error_message",
    "from_number",
    "message_direction",
    "message_state",
    "message_time",
    "message_type",
    "message_uuid",
    "resource_uri",
    "to_number",
    "total_amount",
    "total_rate",
    "units",
    "message_sent_time",
    "message_updated_time",
    "powerpack_id",
}


def is_uuid(value: object) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def assert_plivo_error(response: httpx.Response, status: int, error: str) -> None:
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"api_id", "error"}
    assert is_uuid(body["api_id"])
    assert body["error"] == error


# Authentication and paths


async def test_a_request_without_credentials_gets_plivos_401_body(plivo) -> None:
    response = await plivo.api("GET", "", auth=None)
    assert_plivo_error(response, 401, "authentication credentials were not provided")


async def test_a_wrong_token_or_another_accounts_id_is_refused(plivo) -> None:
    assert (await plivo.api("GET", "", auth=(DEFAULT_AUTH_ID, "wrong"))).status_code == 401
    other = await plivo.client.get(
        "/v1/Account/MAYYYYYYYYYYYYYYYYYY/", auth=(DEFAULT_AUTH_ID, DEFAULT_AUTH_TOKEN)
    )
    assert_plivo_error(other, 401, "authentication credentials were not provided")


async def test_the_account_answers_with_the_sdk_fixture_shape(plivo) -> None:
    response = await plivo.api("GET", "")
    assert response.status_code == 200
    account = response.json()
    assert set(account) == {
        "account_type",
        "address",
        "api_id",
        "auth_id",
        "auto_recharge",
        "billing_mode",
        "cash_credits",
        "city",
        "name",
        "resource_uri",
        "state",
        "timezone",
    }
    assert account["auth_id"] == DEFAULT_AUTH_ID
    assert account["resource_uri"] == f"/v1/Account/{DEFAULT_AUTH_ID}/"
    assert account["cash_credits"] == "100.00000"


async def test_updating_the_account_answers_202_changed(plivo) -> None:
    response = await plivo.api("POST", "", json={"name": "Ada"})
    assert response.status_code == 202
    assert response.json()["message"] == "changed"
    assert (await plivo.api("GET", "")).json()["name"] == "Ada"


async def test_paths_need_their_trailing_slash(plivo) -> None:
    assert_plivo_error(await plivo.api("GET", "Message"), 404, "not found")


async def test_an_unknown_resource_is_plivos_404(plivo) -> None:
    assert_plivo_error(await plivo.api("GET", "Nothing/"), 404, "not found")
    assert_plivo_error(await plivo.api("GET", f"Message/{uuid.uuid4()}/"), 404, "not found")


async def test_a_body_that_is_not_json_is_refused_like_plivo(plivo) -> None:
    response = await plivo.api(
        "POST", "Message/", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert_plivo_error(response, 400, "invalid json data sent in raw POST")


# Sending messages


async def test_sending_answers_202_with_one_uuid_per_destination(plivo) -> None:
    response = await plivo.send_sms(f"{ALICE}<{BOB}")
    assert response.status_code == 202
    body = response.json()
    assert set(body) == {"api_id", "message", "message_uuid"}
    assert body["message"] == "message(s) queued"
    assert len(body["message_uuid"]) == 2
    assert all(is_uuid(value) for value in [body["api_id"], *body["message_uuid"]])


async def test_a_form_encoded_send_is_accepted_too(plivo) -> None:
    response = await plivo.api("POST", "Message/", data={"src": DEFAULT_NUMBER, "dst": ALICE, "text": "hi"})
    assert response.status_code == 202


async def test_invalid_destinations_are_listed_and_the_others_sent(plivo) -> None:
    response = await plivo.send_sms(f"{ALICE}<122<+1 (415) 555-0102")
    assert response.status_code == 202
    body = response.json()
    assert body["invalid_number"] == ["122"]
    assert len(body["message_uuid"]) == 2


async def test_all_destinations_invalid_is_a_400(plivo) -> None:
    assert_plivo_error(await plivo.send_sms("122<1111111"), 400, "invalid phone numbers.")


async def test_one_invalid_destination_is_named_without_its_plus(plivo) -> None:
    assert_plivo_error(await plivo.send_sms("+1111111"), 400, "'1111111' is not a valid phone number.")


async def test_sending_to_the_source_number_is_refused(plivo) -> None:
    response = await plivo.send_sms(DEFAULT_NUMBER)
    assert_plivo_error(response, 400, "destination number is identical to src")


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("a" * 1601, "text parameter length exceeds 1600 characters"),
        ("я" * 738, "text parameter length exceeds 737 unicode characters"),
    ],
)
async def test_texts_over_plivos_limits_are_refused(plivo, text: str, error: str) -> None:
    assert_plivo_error(await plivo.send_sms(ALICE, text), 400, error)


async def test_texts_at_plivos_limits_are_accepted_and_billed_per_unit(plivo) -> None:
    response = await plivo.send_sms(ALICE, "я" * 737)
    [message_uuid] = response.json()["message_uuid"]
    message = (await plivo.api("GET", f"Message/{message_uuid}/")).json()
    assert message["units"] == 11
    assert message["total_amount"] == "0.05500"


async def test_src_and_powerpack_uuid_are_mutually_exclusive(plivo) -> None:
    both = await plivo.api(
        "POST", "Message/", json={"src": DEFAULT_NUMBER, "powerpack_uuid": "p", "dst": ALICE}
    )
    neither = await plivo.api("POST", "Message/", json={"dst": ALICE, "text": "hi"})
    assert both.status_code == neither.status_code == 400


async def test_a_powerpack_sends_from_one_of_the_accounts_numbers(plivo) -> None:
    body = {"powerpack_uuid": "d35f2e82-0000-4000-8000-000000000000", "dst": ALICE, "text": "hi"}
    [message_uuid] = (await plivo.api("POST", "Message/", json=body)).json()["message_uuid"]
    message = (await plivo.api("GET", f"Message/{message_uuid}/")).json()
    assert (message["from_number"], message["powerpack_id"]) == (DEFAULT_NUMBER, body["powerpack_uuid"])


async def test_missing_text_or_dst_is_a_400(plivo) -> None:
    no_text = await plivo.api("POST", "Message/", json={"src": DEFAULT_NUMBER, "dst": ALICE})
    no_dst = await plivo.api("POST", "Message/", json={"src": DEFAULT_NUMBER, "text": "hi"})
    assert_plivo_error(no_text, 400, "missing mandatory parameter: text")
    assert_plivo_error(no_dst, 400, "missing mandatory parameter: dst")


async def test_media_is_only_for_mms(plivo) -> None:
    response = await plivo.send_sms(ALICE, media_urls=["https://example.com/cat.png"])
    assert response.status_code == 400
    mms = await plivo.send_sms(ALICE, type="mms", media_urls=["https://example.com/cat.png"])
    assert mms.status_code == 202


async def test_mms_media_are_listed_under_the_message(plivo) -> None:
    media_urls = ["https://example.com/cat.png", "https://example.com/terms.pdf"]
    sent = await plivo.send_sms(ALICE, "see attached", type="mms", media_urls=media_urls)
    [message_uuid] = sent.json()["message_uuid"]
    response = await plivo.api("GET", f"Message/{message_uuid}/Media/")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"api_id", "message_uuid", "objects"}
    assert [item["content_type"] for item in body["objects"]] == ["image/png", "application/pdf"]
    first = body["objects"][0]
    assert {"content_type", "media_id", "media_url", "message_uuid", "size"} <= set(first)
    one = await plivo.client.get(first["media_url"], auth=(DEFAULT_AUTH_ID, DEFAULT_AUTH_TOKEN))
    assert one.json()["media_id"] == first["media_id"]


# Reading messages


async def test_a_message_reads_back_as_an_mdr_without_plus_signs(plivo) -> None:
    [message_uuid] = (await plivo.send_sms(ALICE)).json()["message_uuid"]
    response = await plivo.api("GET", f"Message/{message_uuid}/")
    assert response.status_code == 200
    message = response.json()
    assert set(message) == MDR_KEYS
    assert (message["from_number"], message["to_number"]) == ("14155550100", "14155550101")
    assert message["message_direction"] == "outbound"
    assert message["resource_uri"] == f"/v1/Account/{DEFAULT_AUTH_ID}/Message/{message_uuid}/"
    assert message["total_rate"] == "0.00500"
    datetime.strptime(message["message_time"], "%Y-%m-%d %H:%M:%S%z")


async def test_the_list_pages_by_20_with_relative_next_and_previous_links(plivo) -> None:
    await plivo.send_sms("<".join(f"+1415555{number:04d}" for number in range(110, 135)))
    first = (await plivo.api("GET", "Message/")).json()
    assert set(first) == {"api_id", "meta", "objects"}
    assert first["meta"] == {
        "limit": 20,
        "next": f"/v1/Account/{DEFAULT_AUTH_ID}/Message/?limit=20&offset=20",
        "offset": 0,
        "previous": None,
        "total_count": 25,
    }
    assert len(first["objects"]) == 20
    second = (
        await plivo.client.get(first["meta"]["next"], auth=(DEFAULT_AUTH_ID, DEFAULT_AUTH_TOKEN))
    ).json()
    assert len(second["objects"]) == 5
    assert second["meta"]["next"] is None
    assert second["meta"]["previous"] == f"/v1/Account/{DEFAULT_AUTH_ID}/Message/?limit=20&offset=0"


async def test_list_filters_keep_their_place_in_the_paging_links(plivo) -> None:
    await plivo.send_sms(f"{ALICE}<{BOB}<+14155550103")
    page = (await plivo.api("GET", "Message/", params={"message_direction": "outbound", "limit": 2})).json()
    assert page["meta"]["next"] == (
        f"/v1/Account/{DEFAULT_AUTH_ID}/Message/?message_direction=outbound&limit=2&offset=2"
    )


async def test_the_list_filters_by_number_and_state(plivo) -> None:
    await plivo.send_sms(f"{ALICE}<{BOB}")
    await plivo.settle()
    to_alice = (await plivo.api("GET", "Message/", params={"to_number": ALICE})).json()
    assert [message["to_number"] for message in to_alice["objects"]] == ["14155550101"]
    delivered = (await plivo.api("GET", "Message/", params={"message_state": "delivered"})).json()
    assert delivered["meta"]["total_count"] == 2
    old = (await plivo.api("GET", "Message/", params={"message_time__lt": "2020-01-01 00:00"})).json()
    assert old["objects"] == []


async def test_a_limit_over_20_is_refused(plivo) -> None:
    response = await plivo.api("GET", "Message/", params={"limit": 21})
    assert response.status_code == 400
    assert set(response.json()) == {"api_id", "error"}


async def test_listing_messages_has_its_own_per_minute_limit(plivo) -> None:
    await plivo.configure(list_messages_per_minute=2)
    statuses = [(await plivo.api("GET", "Message/")).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert_plivo_error(await plivo.api("GET", "Message/"), 429, "too many requests")


# Lifecycle and status callbacks


async def test_a_message_goes_queued_sent_delivered_with_signed_callbacks(plivo, receiver) -> None:
    [message_uuid] = (await plivo.send_sms(ALICE, url=receiver.url("status"))).json()["message_uuid"]
    await plivo.settle()
    callbacks = sorted(receiver.received("status"), key=lambda seen: int(seen.params["Sequence"]))
    assert [seen.params["Status"] for seen in callbacks] == ["queued", "sent", "delivered"]
    assert [seen.params["Sequence"] for seen in callbacks] == ["1", "2", "3"]
    for seen in callbacks:
        assert seen.method == "POST"
        assert verify_request(seen.method, seen.url, seen.params, seen.headers, DEFAULT_AUTH_TOKEN)
    delivered = callbacks[-1].params
    assert delivered["MessageUUID"] == message_uuid
    assert (delivered["From"], delivered["To"], delivered["Type"]) == ("14155550100", "14155550101", "sms")
    assert delivered["Units"] == "1"
    assert delivered["TotalRate"] == delivered["TotalAmount"] == "0.00500"
    assert "ErrorCode" not in delivered
    mdr = (await plivo.api("GET", f"Message/{message_uuid}/")).json()
    assert (mdr["message_state"], mdr["error_code"]) == ("delivered", "000")


async def test_callbacks_carry_both_signature_families_and_each_verifies(plivo, receiver) -> None:
    await plivo.send_sms(ALICE, url=receiver.url("status"))
    await plivo.settle()
    seen = receiver.received("status")[0]
    headers = {name.lower(): value for name, value in seen.headers.items()}
    for name in (V2_SIGNATURE, V2_MAIN_ACCOUNT_SIGNATURE, V3_SIGNATURE, V3_MAIN_ACCOUNT_SIGNATURE):
        assert name.lower() in headers
    v2_nonce, v3_nonce = headers[V2_NONCE.lower()], headers[V3_NONCE.lower()]
    assert verify_v2(seen.url, v2_nonce, headers[V2_SIGNATURE.lower()], DEFAULT_AUTH_TOKEN)
    v3_signature = headers[V3_SIGNATURE.lower()]
    assert verify_v3("POST", seen.url, seen.params, v3_nonce, v3_signature, DEFAULT_AUTH_TOKEN)
    tampered = {**seen.params, "Status": "x"}
    assert not verify_v3("POST", seen.url, tampered, v3_nonce, v3_signature, DEFAULT_AUTH_TOKEN)


async def test_a_callback_url_with_a_query_still_verifies(plivo, receiver) -> None:
    await plivo.send_sms(ALICE, url=receiver.url("status", "workflow=42&b=2"))
    await plivo.settle()
    seen = receiver.received("status")[0]
    assert seen.url.endswith("?workflow=42&b=2")
    assert verify_request("POST", seen.url, seen.params, seen.headers, DEFAULT_AUTH_TOKEN)


async def test_get_callbacks_carry_the_params_in_the_query_and_verify(plivo, receiver) -> None:
    await plivo.send_sms(ALICE, url=receiver.url("status", "x=1"), method="GET")
    await plivo.settle()
    seen = receiver.received("status")
    assert {request.method for request in seen} == {"GET"}
    assert all(verify_request("GET", s.url, s.params, s.headers, DEFAULT_AUTH_TOKEN) for s in seen)
    assert {request.params["Status"] for request in seen} == {"queued", "sent", "delivered"}


async def test_only_the_configured_signature_family_is_sent(plivo, receiver) -> None:
    await plivo.configure(signature_versions=["v3"])
    await plivo.send_sms(ALICE, url=receiver.url("status"))
    await plivo.settle()
    headers = {name.lower() for name in receiver.received("status")[0].headers}
    assert V3_SIGNATURE.lower() in headers
    assert V2_SIGNATURE.lower() not in headers


async def test_a_number_configured_to_fail_delivery_ends_undelivered_with_its_error_code(
    plivo, receiver
) -> None:
    outcome = await plivo.client.put(
        f"/sim/plivo/outcomes/{BOB}", json={"state": "undelivered", "error_code": "30"}
    )
    assert outcome.status_code == 200
    uuids = (await plivo.send_sms(f"{ALICE}<{BOB}", url=receiver.url("status"))).json()["message_uuid"]
    await plivo.settle()
    final = {
        seen.params["To"]: seen.params
        for seen in receiver.received("status")
        if seen.params["Status"] in ("delivered", "undelivered")
    }
    assert final["14155550101"]["Status"] == "delivered"
    assert (final["14155550102"]["Status"], final["14155550102"]["ErrorCode"]) == ("undelivered", "30")
    mdr = (await plivo.api("GET", f"Message/{uuids[1]}/")).json()
    assert (mdr["message_state"], mdr["error_code"]) == ("undelivered", "30")


async def test_a_failed_message_never_reaches_sent(plivo, receiver) -> None:
    await plivo.client.put(f"/sim/plivo/outcomes/{ALICE}", json={"state": "failed"})
    await plivo.send_sms(ALICE, url=receiver.url("status"))
    await plivo.settle()
    by_sequence = {int(seen.params["Sequence"]): seen.params for seen in receiver.received("status")}
    assert [by_sequence[sequence]["Status"] for sequence in sorted(by_sequence)] == ["queued", "failed"]
    assert by_sequence[2]["ErrorCode"] == "10"


async def test_a_carrier_without_delivery_reports_leaves_the_message_sent(plivo, receiver) -> None:
    await plivo.client.put(f"/sim/plivo/outcomes/{ALICE}", json={"state": "sent"})
    [message_uuid] = (await plivo.send_sms(ALICE, url=receiver.url("status"))).json()["message_uuid"]
    await plivo.settle()
    assert (await plivo.api("GET", f"Message/{message_uuid}/")).json()["message_state"] == "sent"


async def test_a_failing_callback_is_retried_until_it_succeeds(plivo, receiver) -> None:
    await plivo.client.put(f"/sim/plivo/outcomes/{ALICE}", json={"state": "failed"})
    receiver.answer("status", 500, 503)
    [message_uuid] = (await plivo.send_sms(ALICE, url=receiver.url("status"))).json()["message_uuid"]
    await plivo.settle()
    attempts = await plivo.callbacks(message_uuid=message_uuid)
    queued = [attempt for attempt in attempts if attempt["params"]["Status"] == "queued"]
    failed = [attempt for attempt in attempts if attempt["params"]["Status"] == "failed"]
    assert len(queued) + len(failed) == 4  # two refusals, then each state once
    assert sorted(attempt["status_code"] for attempt in attempts) == [200, 200, 500, 503]


async def test_a_callback_is_given_up_after_three_retries(plivo, receiver) -> None:
    await plivo.client.put(f"/sim/plivo/outcomes/{ALICE}", json={"state": "failed"})
    receiver.answer("status", *[500] * 8)
    await plivo.send_sms(ALICE, url=receiver.url("status"))
    await plivo.settle()
    assert len(receiver.received("status")) == 8  # queued and failed: 1 try + 3 retries each


async def test_an_unreachable_callback_url_is_recorded_as_an_error(plivo) -> None:
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    await plivo.configure(callback_retry_delays=[])
    [message_uuid] = (await plivo.send_sms(ALICE, url=f"http://127.0.0.1:{port}/s")).json()["message_uuid"]
    await plivo.settle()
    attempts = await plivo.callbacks(message_uuid=message_uuid)
    assert len(attempts) == 3
    assert all(attempt["status_code"] is None and attempt["error"] for attempt in attempts)


async def test_messages_are_paced_at_the_configured_rate(plivo) -> None:
    await plivo.configure(messages_per_second=50)
    started = datetime.now(UTC)
    await plivo.send_sms("<".join(f"+1415555{number:04d}" for number in range(110, 115)))
    await plivo.settle()
    listed = (await plivo.client.get("/sim/plivo/messages")).json()["messages"]
    sent_times = sorted(datetime.fromisoformat(message["message_sent_time"]) for message in listed)
    # The k-th message may leave no earlier than k/50 s after the request (a timer never fires early).
    assert all((sent - started).total_seconds() >= turn / 50 - 0.002 for turn, sent in enumerate(sent_times))
    assert (sent_times[-1] - started).total_seconds() >= 0.078


async def test_the_queued_state_is_visible_while_the_carrier_is_slow(plivo) -> None:
    await plivo.configure(time_scale=1, sent_after=3600)
    [message_uuid] = (await plivo.send_sms(ALICE)).json()["message_uuid"]
    message = (await plivo.api("GET", f"Message/{message_uuid}/")).json()
    assert message["message_state"] == "queued"
    assert message["error_code"] is message["message_sent_time"] is None
    busy = await plivo.client.post("/sim/plivo/settle", params={"timeout": 0.05})
    assert busy.status_code == 504
    assert busy.json()["pending"] == 1


# Rate limits


async def test_requests_over_the_window_limit_get_429(plivo) -> None:
    await plivo.configure(requests_per_window=3, window_seconds=60)
    statuses = [(await plivo.api("GET", "")).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert_plivo_error(await plivo.api("GET", ""), 429, "too many requests")


async def test_making_calls_is_not_counted_against_the_request_limit(plivo, receiver) -> None:
    await plivo.configure(requests_per_window=1, window_seconds=60)
    body = {"from": DEFAULT_NUMBER, "to": ALICE, "answer_url": receiver.url("answer")}
    statuses = [(await plivo.api("POST", "Call/", json=body)).status_code for _ in range(3)]
    assert statuses == [201, 201, 201]


# Inbound messages


async def test_an_inbound_sms_is_posted_signed_to_the_numbers_application(plivo, receiver) -> None:
    app_id = await plivo.create_application(message_url=receiver.url("inbound"))
    await plivo.link(DEFAULT_NUMBER, app_id)
    response = await plivo.client.post(
        "/sim/plivo/inbound", json={"from": ALICE, "to": DEFAULT_NUMBER, "text": "STOP", "wait": True}
    )
    assert response.status_code == 200
    assert response.json()["message_state"] == "delivered"
    [seen] = receiver.received("inbound")
    assert verify_request("POST", seen.url, seen.params, seen.headers, DEFAULT_AUTH_TOKEN)
    assert seen.params["From"] == "14155550101"
    assert seen.params["To"] == DEFAULT_NUMBER
    assert seen.params["Text"] == "STOP"
    assert (seen.params["Type"], seen.params["MessageIntent"]) == ("sms", "optout")
    assert seen.params["MessageUUID"] == response.json()["message_uuid"]
    assert {"Units", "TotalRate", "TotalAmount", "PowerpackUUID"} <= set(seen.params)


async def test_an_inbound_message_can_be_delivered_twice_like_a_plivo_retry(plivo, receiver) -> None:
    app_id = await plivo.create_application(message_url=receiver.url("inbound"))
    await plivo.link(DEFAULT_NUMBER, app_id)
    await plivo.client.post(
        "/sim/plivo/inbound", json={"from": ALICE, "to": DEFAULT_NUMBER, "text": "hi", "times": 2}
    )
    await plivo.settle()
    first, second = receiver.received("inbound")
    assert first.params["MessageUUID"] == second.params["MessageUUID"]


async def test_an_inbound_mms_carries_its_media(plivo, receiver) -> None:
    app_id = await plivo.create_application(message_url=receiver.url("inbound"), message_method="GET")
    await plivo.link(DEFAULT_NUMBER, app_id)
    body = {"from": ALICE, "to": DEFAULT_NUMBER, "text": "look", "type": "mms", "media_urls": [PICTURE]}
    await plivo.client.post("/sim/plivo/inbound", json=body)
    await plivo.settle()
    [seen] = receiver.received("inbound")
    assert seen.method == "GET"
    assert (seen.params["Body"], seen.params["MediaCount"], seen.params["Media1"]) == ("look", "1", PICTURE)
    assert verify_request("GET", seen.url, seen.params, seen.headers, DEFAULT_AUTH_TOKEN)


async def test_an_inbound_message_nobody_accepts_ends_undelivered(plivo, receiver) -> None:
    app_id = await plivo.create_application(message_url=receiver.url("inbound"))
    await plivo.link(DEFAULT_NUMBER, app_id)
    receiver.answer("inbound", *[500] * 4)
    response = await plivo.client.post(
        "/sim/plivo/inbound", json={"from": ALICE, "to": DEFAULT_NUMBER, "text": "hi", "wait": True}
    )
    assert response.json()["message_state"] == "undelivered"
    assert len(receiver.received("inbound")) == 4


async def test_an_inbound_message_without_an_application_stays_received(plivo) -> None:
    response = await plivo.client.post(
        "/sim/plivo/inbound", json={"from": ALICE, "to": DEFAULT_NUMBER, "text": "hi", "wait": True}
    )
    message_uuid = response.json()["message_uuid"]
    mdr = (await plivo.api("GET", f"Message/{message_uuid}/")).json()
    assert (mdr["message_direction"], mdr["message_state"]) == ("inbound", "received")


async def test_an_inbound_message_to_a_number_nobody_rents_is_a_404(plivo) -> None:
    response = await plivo.client.post("/sim/plivo/inbound", json={"from": ALICE, "to": BOB, "text": "hi"})
    assert response.status_code == 404


# Subaccounts


async def test_a_subaccount_is_created_201_and_sends_with_its_own_credentials(plivo, receiver) -> None:
    created = await plivo.api("POST", "Subaccount/", json={"name": "team", "enabled": True})
    assert created.status_code == 201
    body = created.json()
    assert set(body) == {"api_id", "auth_id", "auth_token", "message"}
    assert body["message"] == "created"
    sub_id, sub_token = body["auth_id"], body["auth_token"]
    assert sub_id.startswith("SA") and len(sub_id) == 20
    sent = await plivo.client.post(
        f"/v1/Account/{sub_id}/Message/",
        json={"src": DEFAULT_NUMBER, "dst": ALICE, "text": "hi", "url": receiver.url("status")},
        auth=(sub_id, sub_token),
    )
    assert sent.status_code == 202
    await plivo.settle()
    seen = receiver.received("status")[0]
    headers = {name.lower(): value for name, value in seen.headers.items()}
    nonce = headers[V3_NONCE.lower()]
    assert verify_v3("POST", seen.url, seen.params, nonce, headers[V3_SIGNATURE.lower()], sub_token)
    main_signature = headers[V3_MAIN_ACCOUNT_SIGNATURE.lower()]
    assert verify_v3("POST", seen.url, seen.params, nonce, main_signature, DEFAULT_AUTH_TOKEN)
    own = (await plivo.client.get(f"/v1/Account/{sub_id}/Message/", auth=(sub_id, sub_token))).json()
    assert own["meta"]["total_count"] == 1
    main = (await plivo.api("GET", "Message/", params={"subaccount": sub_id})).json()
    assert main["meta"]["total_count"] == 1


async def test_a_subaccount_starts_disabled_and_cannot_authenticate(plivo) -> None:
    body = (await plivo.api("POST", "Subaccount/", json={"name": "later"})).json()
    response = await plivo.client.get(
        f"/v1/Account/{body['auth_id']}/", auth=(body["auth_id"], body["auth_token"])
    )
    assert response.status_code == 401
    subaccount = (await plivo.api("GET", f"Subaccount/{body['auth_id']}/")).json()
    assert subaccount["enabled"] is False
    assert set(subaccount) >= SUBACCOUNT_KEYS


async def test_subaccounts_are_listed_updated_and_deleted(plivo) -> None:
    sub_id = (await plivo.api("POST", "Subaccount/", json={"name": "a"})).json()["auth_id"]
    listed = (await plivo.api("GET", "Subaccount/")).json()
    assert [item["auth_id"] for item in listed["objects"]] == [sub_id]
    updated = await plivo.api("POST", f"Subaccount/{sub_id}/", json={"name": "b", "enabled": True})
    assert (updated.status_code, updated.json()["message"]) == (202, "changed")
    assert (await plivo.api("DELETE", f"Subaccount/{sub_id}/")).status_code == 204
    assert (await plivo.api("GET", f"Subaccount/{sub_id}/")).status_code == 404


# Numbers and applications


async def test_numbers_are_searched_bought_linked_and_released(plivo) -> None:
    search = await plivo.api(
        "GET", "PhoneNumber/", params={"country_iso": "GB", "type": "mobile", "limit": 3}
    )
    assert search.status_code == 200
    listing = search.json()
    assert len(listing["objects"]) == 3
    number = listing["objects"][0]["number"]
    assert set(listing["objects"][0]) >= {
        "number",
        "type",
        "monthly_rental_rate",
        "sms_enabled",
        "voice_enabled",
    }
    bought = await plivo.api("POST", f"PhoneNumber/{number}/")
    assert bought.status_code == 201
    assert bought.json()["numbers"] == [{"number": number, "status": "Success"}]
    assert bought.json()["status"] == "fulfilled"
    app_id = await plivo.create_application(message_url="https://example.com/in")
    await plivo.link(number, app_id)
    rented = (await plivo.api("GET", f"Number/{number}/")).json()
    assert rented["application"] == f"/v1/Account/{DEFAULT_AUTH_ID}/Application/{app_id}/"
    owned = (await plivo.api("GET", "Number/")).json()
    assert {item["number"] for item in owned["objects"]} == {DEFAULT_NUMBER, number}
    assert (await plivo.api("DELETE", f"Number/{number}/")).status_code == 204
    assert (await plivo.api("GET", f"Number/{number}/")).status_code == 404


async def test_a_search_pattern_matches_the_digits_after_the_country_code(plivo) -> None:
    listing = (
        await plivo.api("GET", "PhoneNumber/", params={"country_iso": "US", "pattern": "201*55"})
    ).json()
    assert listing["objects"]
    assert all(item["number"].startswith("1201") for item in listing["objects"])


async def test_a_number_that_is_not_for_sale_cannot_be_bought(plivo) -> None:
    assert (await plivo.api("POST", f"PhoneNumber/{DEFAULT_NUMBER}/")).status_code == 404


async def test_applications_are_created_read_modified_and_deleted(plivo) -> None:
    app_id = await plivo.create_application(message_url="https://example.com/in", answer_url="https://e.x/a")
    assert app_id.isdigit() and len(app_id) == 17
    application = (await plivo.api("GET", f"Application/{app_id}/")).json()
    assert (application["message_url"], application["message_method"]) == ("https://example.com/in", "POST")
    assert application["resource_uri"] == f"/v1/Account/{DEFAULT_AUTH_ID}/Application/{app_id}/"
    changed = await plivo.api("POST", f"Application/{app_id}/", json={"message_url": "https://example.com/2"})
    assert (changed.status_code, changed.json()["message"]) == (202, "changed")
    listed = (await plivo.api("GET", "Application/")).json()
    assert [item["message_url"] for item in listed["objects"]] == ["https://example.com/2"]
    assert (await plivo.api("DELETE", f"Application/{app_id}/")).status_code == 204
    assert (await plivo.api("GET", f"Application/{app_id}/")).status_code == 404


async def test_an_application_name_must_be_letters_digits_dash_underscore(plivo) -> None:
    assert (await plivo.api("POST", "Application/", json={"app_name": "no spaces"})).status_code == 400


# Calls, pricing, lookup


async def test_a_call_is_fired_live_then_hung_up_into_a_cdr(plivo, receiver) -> None:
    body = {
        "from": DEFAULT_NUMBER,
        "to": ALICE,
        "answer_url": receiver.url("answer"),
        "hangup_url": receiver.url("hangup"),
    }
    fired = await plivo.api("POST", "Call/", json=body)
    assert fired.status_code == 201
    assert set(fired.json()) == {"api_id", "message", "request_uuid"}
    assert fired.json()["message"] == "call fired"
    call_uuid = fired.json()["request_uuid"]
    live = (await plivo.api("GET", "Call/", params={"status": "live"})).json()
    assert live["calls"] == [call_uuid]
    live_call = (await plivo.api("GET", f"Call/{call_uuid}/", params={"status": "live"})).json()
    assert live_call["call_status"] == "in-progress"
    assert (await plivo.api("GET", f"Call/{call_uuid}/")).status_code == 404
    assert (await plivo.api("DELETE", f"Call/{call_uuid}/")).status_code == 204
    cdr = (await plivo.api("GET", f"Call/{call_uuid}/")).json()
    assert cdr["call_uuid"] == call_uuid
    assert {"answer_time", "bill_duration", "call_direction", "end_time", "total_amount"} <= set(cdr)
    assert (await plivo.api("GET", "Call/")).json()["meta"]["total_count"] == 1
    await plivo.settle()
    [answer] = receiver.received("answer")
    [hangup] = receiver.received("hangup")
    assert answer.params["CallUUID"] == hangup.params["CallUUID"] == call_uuid
    assert verify_request("POST", hangup.url, hangup.params, hangup.headers, DEFAULT_AUTH_TOKEN)


async def test_pricing_has_the_sdk_fixture_shape(plivo) -> None:
    pricing = (await plivo.api("GET", "Pricing/", params={"country_iso": "US"})).json()
    assert set(pricing) == {
        "api_id",
        "country",
        "country_code",
        "country_iso",
        "message",
        "phone_numbers",
        "voice",
    }
    assert (pricing["country"], pricing["country_code"]) == ("United States", 1)
    assert pricing["message"]["outbound"]["rate"] == "0.00500"


async def test_lookup_describes_a_number_and_404s_an_invalid_one(plivo) -> None:
    auth = (DEFAULT_AUTH_ID, DEFAULT_AUTH_TOKEN)
    found = await plivo.client.get("/v1/Number/+447400123456", params={"type": "carrier"}, auth=auth)
    assert found.status_code == 200
    body = found.json()
    assert body["format"]["e164"] == "+447400123456"
    assert body["country"]["iso2"] == "GB"
    assert body["carrier"]["type"] == "mobile"
    missing = await plivo.client.get("/v1/Number/+1555", params={"type": "carrier"}, auth=auth)
    assert missing.status_code == 404
    assert {"api_id", "error_code", "message"} == set(missing.json())


# Control API


async def test_the_phones_view_groups_messages_by_handset_with_their_text(plivo) -> None:
    await plivo.send_sms(ALICE, "first")
    await plivo.client.post("/sim/plivo/inbound", json={"from": ALICE, "to": DEFAULT_NUMBER, "text": "reply"})
    await plivo.send_sms(BOB, "other")
    phones = (await plivo.client.get("/sim/plivo/phones")).json()["phones"]
    by_number = {phone["number"]: [message["text"] for message in phone["messages"]] for phone in phones}
    assert by_number == {"14155550101": ["first", "reply"], "14155550102": ["other"]}


async def test_accounts_can_be_added_and_used_at_once(plivo) -> None:
    added = await plivo.client.post(
        "/sim/plivo/accounts",
        json={"auth_id": "MAZZZZZZZZZZZZZZZZZZ", "auth_token": "secret", "numbers": ["+447400123456"]},
    )
    assert added.status_code == 201
    assert added.json()["numbers"] == ["447400123456"]
    response = await plivo.client.get(
        "/v1/Account/MAZZZZZZZZZZZZZZZZZZ/Number/", auth=("MAZZZZZZZZZZZZZZZZZZ", "secret")
    )
    assert [item["number"] for item in response.json()["objects"]] == ["447400123456"]
    accounts = (await plivo.client.get("/sim/plivo/accounts")).json()["accounts"]
    assert {account["auth_id"] for account in accounts} == {DEFAULT_AUTH_ID, "MAZZZZZZZZZZZZZZZZZZ"}


async def test_invalid_config_changes_are_refused(plivo) -> None:
    assert (await plivo.client.patch("/sim/plivo/config", json={"time_scale": -1})).status_code == 422
    assert (await plivo.client.patch("/sim/plivo/config", json={"accounts": []})).status_code == 400


async def test_reset_forgets_messages_and_restores_settings(plivo) -> None:
    await plivo.configure(requests_per_window=7)
    await plivo.send_sms(ALICE)
    assert (await plivo.client.post("/sim/plivo/reset")).status_code == 200
    assert (await plivo.client.get("/sim/plivo/messages")).json()["messages"] == []
    assert (await plivo.client.get("/sim/plivo/config")).json()["requests_per_window"] == 300


# In-process use: the state's own awaitable, with the simulator served from the test's event loop


async def test_state_settle_waits_for_callbacks_without_sleeping(receiver) -> None:
    state = PlivoSimState(PlivoSimSettings(time_scale=0, messages_per_second=None))
    listener = listening_socket()  # connections queue until uvicorn accepts them
    server = uvicorn.Server(uvicorn.Config(create_plivo_app(state), log_level="warning", lifespan="on"))
    serving = asyncio.create_task(server.serve(sockets=[listener]))
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{listener.getsockname()[1]}") as client:
            body = {"src": DEFAULT_NUMBER, "dst": ALICE, "text": "hi", "url": receiver.url("status")}
            sent = await client.post(
                f"/v1/Account/{DEFAULT_AUTH_ID}/Message/",
                json=body,
                auth=(DEFAULT_AUTH_ID, DEFAULT_AUTH_TOKEN),
            )
            assert sent.status_code == 202
            await state.settle()
        assert state.pending == 0
        assert len(receiver.received("status")) == 3
        assert [message.state for message in state.messages.values()] == ["delivered"]
    finally:
        server.should_exit = True
        await serving
