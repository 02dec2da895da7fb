"""The http-client connector through the real engine, against a small HTTP API on 127.0.0.1."""

from __future__ import annotations

import base64
import ipaddress
import json
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from pydantic import ValidationError

from switchboard.connectors.http_client import HttpAuth, check_destination, refusal
from switchboard.connectors.http_client import connector as http_connector
from switchboard.connectors.http_client.responses import retry_after
from switchboard.engine.records import RunState, StepEntry
from switchboard.engine.redaction import REDACTED
from switchboard.errors import OperationFailed
from switchboard.store.database import Database
from switchboard.store.journal import load_run

from ...support import RunWorkflow, Sleeps
from .conftest import ALL_METHODS, BEARER_TOKEN, PNG, request_step


def only_entry(run: RunState) -> StepEntry:
    [entry] = [e for e in run.steps if e.name != "trigger"]
    return entry


def output_of(run: RunState) -> Any:
    entry = only_entry(run)
    assert entry.status == "succeeded", entry.error
    return entry.output


def error_of(run: RunState) -> dict[str, Any]:
    entry = only_entry(run)
    error: dict[str, Any] | None = entry.error
    assert entry.status == "failed" and error is not None
    return error


# -- the connector's declaration


def test_reads_and_deletes_are_repeat_safe_and_writes_are_not() -> None:
    flags = {name: op.repeat_safe for name, op in http_connector.operations.items()}
    assert flags == {
        "get_request": True,
        "post_request": False,
        "put_request": False,
        "patch_request": False,
        "delete_request": True,
        "head_request": True,
    }


def test_every_credential_field_is_secret_and_authentication_is_optional() -> None:
    described = http_connector.describe()
    assert described["auth"]["secret_fields"] == ["header_value", "password", "token"]
    assert described["auth"]["required"] is False


@pytest.mark.parametrize(
    ("fields", "missing"),
    [
        ({"type": "basic", "username": "ada"}, "password"),
        ({"type": "bearer"}, "token"),
        ({"type": "header", "header_value": "v"}, "header_name"),
    ],
)
def test_an_authentication_must_have_what_its_type_needs(fields: dict[str, Any], missing: str) -> None:
    with pytest.raises(ValidationError, match=missing):
        HttpAuth.model_validate(fields)


# -- methods, headers, query, bodies


@pytest.mark.parametrize("method", ALL_METHODS)
async def test_each_method_has_its_operation(run_workflow: RunWorkflow, api: str, method: str) -> None:
    answer = output_of(await run_workflow(request_step(method, url=f"{api}/things/1")))
    assert answer["status_code"] == 200
    if method == "HEAD":
        assert (answer["body"], answer["body_encoding"]) == (None, None)
        assert answer["headers"]["content-type"] == "application/json"
    else:
        assert (answer["body"]["method"], answer["body"]["path"]) == (method, "/things/1")
        assert answer["body_encoding"] == "json"


async def test_headers_and_query_are_sent_with_lists_repeated_and_json_scalars_as_text(
    run_workflow: RunWorkflow, api: str
) -> None:
    run = await run_workflow(
        request_step(
            "GET",
            url=f"{api}/search?existing=1",
            headers={"X-Request-Id": "{$.steps.trigger.id}", "X-Count": 3, "X-Skip": None},
            query={"tag": ["a", "b"], "active": True, "limit": 10},
        ),
        trigger={"id": "req-42"},
    )
    echoed = output_of(run)["body"]
    assert echoed["query"] == [
        ["existing", "1"],
        ["tag", "a"],
        ["tag", "b"],
        ["active", "true"],
        ["limit", "10"],
    ]
    assert (echoed["headers"]["x-request-id"], echoed["headers"]["x-count"]) == ("req-42", "3")
    assert "x-skip" not in echoed["headers"]


async def test_headers_and_query_may_be_given_as_tray_key_value_lists(
    run_workflow: RunWorkflow, api: str
) -> None:
    run = await run_workflow(
        request_step(
            "GET",
            url=f"{api}/x",
            headers=[{"key": "X-From", "value": "tray"}],
            query=[{"key": "q", "value": "sms"}],
        )
    )
    echoed = output_of(run)["body"]
    assert (echoed["headers"]["x-from"], echoed["query"]) == ("tray", [["q", "sms"]])


async def test_a_json_body_is_sent_as_json(run_workflow: RunWorkflow, api: str) -> None:
    run = await run_workflow(
        request_step("POST", url=f"{api}/orders", body={"json": {"sku": "A1", "qty": 2}})
    )
    echoed = output_of(run)["body"]
    assert echoed["headers"]["content-type"] == "application/json"
    assert json.loads(echoed["body"]) == {"sku": "A1", "qty": 2}


async def test_a_form_body_is_sent_url_encoded(run_workflow: RunWorkflow, api: str) -> None:
    run = await run_workflow(
        request_step("PUT", url=f"{api}/form", body={"form": {"to": "+447700900123", "n": [1, 2]}})
    )
    echoed = output_of(run)["body"]
    assert echoed["headers"]["content-type"] == "application/x-www-form-urlencoded"
    assert echoed["body"] == "to=%2B447700900123&n=1&n=2"


async def test_a_raw_body_is_sent_as_given_with_its_content_type(run_workflow: RunWorkflow, api: str) -> None:
    run = await run_workflow(
        request_step("PATCH", url=f"{api}/doc", body={"raw": "<a>1</a>", "content_type": "application/xml"})
    )
    echoed = output_of(run)["body"]
    assert (echoed["headers"]["content-type"], echoed["body"]) == ("application/xml", "<a>1</a>")


async def test_an_explicit_content_type_header_wins_over_the_raw_bodys(
    run_workflow: RunWorkflow, api: str
) -> None:
    run = await run_workflow(
        request_step("POST", url=f"{api}/doc", headers={"Content-Type": "text/csv"}, body={"raw": "a,b"})
    )
    assert output_of(run)["body"]["headers"]["content-type"] == "text/csv"


async def test_a_none_body_sends_nothing(run_workflow: RunWorkflow, api: str) -> None:
    run = await run_workflow(request_step("POST", url=f"{api}/ping", body={"none": None}))
    assert output_of(run)["body"]["body"] == ""


# -- authentication


@pytest.mark.parametrize(
    ("auth", "credential"), [("Basic API", "basic"), ("Bearer API", "bearer"), ("Key API", "header")]
)
async def test_each_authentication_type_sends_its_credentials(
    run_workflow: RunWorkflow, api: str, auth: str, credential: str
) -> None:
    run = await run_workflow(request_step("GET", auth, url=f"{api}/whoami"))
    assert output_of(run)["body"] == {"credential": credential}


@pytest.mark.parametrize(
    ("auth", "header", "shown"),
    [
        ("Basic API", "authorization", f"Basic {REDACTED}"),
        ("Bearer API", "authorization", f"Bearer {REDACTED}"),
        ("Key API", "x-api-key", REDACTED),
    ],
)
async def test_credentials_a_server_echoes_back_are_redacted_in_the_output(
    run_workflow: RunWorkflow, api: str, auth: str, header: str, shown: str
) -> None:
    run = await run_workflow(request_step("GET", auth, url=f"{api}/me"))
    assert output_of(run)["body"]["headers"][header] == shown


async def test_without_an_authentication_no_credentials_are_sent(run_workflow: RunWorkflow, api: str) -> None:
    headers = output_of(await run_workflow(request_step("GET", url=f"{api}/me")))["body"]["headers"]
    assert "authorization" not in headers


async def test_the_bearer_token_is_redacted_in_the_journal(
    run_workflow: RunWorkflow, api: str, database: Database
) -> None:
    run = await run_workflow(
        request_step("GET", "Bearer API", url=f"{api}/me", headers={"X-Echo": "{$.auth.token}"}),
        request_step("GET", "Bearer API", url=f"{api}/status/500"),
    )
    journal = json.dumps([entry.to_record() for entry in load_run(database, run.id).steps], default=str)
    assert BEARER_TOKEN not in journal
    assert f"Bearer {REDACTED}" in journal
    assert f'"X-Echo": "{REDACTED}"' in journal


async def test_a_relative_url_joins_the_authentications_base_url(run_workflow: RunWorkflow) -> None:
    run = await run_workflow(request_step("GET", "Versioned API", url="messages/7"))
    assert output_of(run)["body"]["path"] == "/api/v1/messages/7"


async def test_a_relative_url_without_a_base_url_is_refused(run_workflow: RunWorkflow) -> None:
    error = error_of(await run_workflow(request_step("GET", url="messages/7")))
    assert error["type"] == "operation_failed"
    assert "is not a full URL" in error["message"]


async def test_only_http_and_https_urls_are_requested(run_workflow: RunWorkflow) -> None:
    error = error_of(await run_workflow(request_step("GET", url="file:///etc/passwd")))
    assert "only http and https" in error["message"]


# -- statuses


async def test_a_status_outside_the_expected_range_fails_with_the_status_and_a_body_excerpt(
    run_workflow: RunWorkflow, api: str, sleeps: Sleeps
) -> None:
    run = await run_workflow(request_step("GET", url=f"{api}/status/404", retry={"attempts": 3}))
    error = error_of(run)
    assert (error["type"], error["status"]) == ("provider_error", 404)
    assert (
        "answered 404, outside the expected 200-299: status 404: the order was not found" in error["message"]
    )
    assert error["body"] == "status 404: the order was not found"
    assert (only_entry(run).attempts, sleeps) == (1, [])


async def test_a_503_is_retried_after_the_servers_retry_after(
    run_workflow: RunWorkflow, api: str, sleeps: Sleeps
) -> None:
    run = await run_workflow(
        request_step("GET", url=f"{api}/status/503?retry_after=7", retry={"attempts": 3})
    )
    assert error_of(run)["status"] == 503
    assert (only_entry(run).attempts, sleeps) == (3, [7.0, 7.0])


async def test_a_429_is_retryable_even_for_a_post(
    run_workflow: RunWorkflow, api: str, sleeps: Sleeps
) -> None:
    run = await run_workflow(
        request_step("POST", url=f"{api}/status/429?retry_after=2", retry={"attempts": 2})
    )
    assert (only_entry(run).attempts, sleeps) == (2, [2.0])


async def test_an_expected_range_can_accept_client_errors(run_workflow: RunWorkflow, api: str) -> None:
    run = await run_workflow(
        request_step("DELETE", url=f"{api}/status/404", status_code={"from": 200, "to": 404})
    )
    answer = output_of(run)
    assert (answer["status_code"], answer["body"]) == (404, "status 404: the order was not found")


def test_retry_after_is_read_as_seconds_or_as_an_http_date() -> None:
    assert retry_after("120") == 120.0
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0
    assert retry_after("soon") is None


# -- redirects


async def test_redirects_are_followed(run_workflow: RunWorkflow, api: str) -> None:
    run = await run_workflow(request_step("GET", url=f"{api}/redirect", query={"to": "/landed"}))
    assert output_of(run)["body"]["path"] == "/landed"


async def test_a_307_keeps_the_method_and_the_body(run_workflow: RunWorkflow, api: str) -> None:
    run = await run_workflow(
        request_step(
            "POST", url=f"{api}/redirect", query={"to": "/landed", "status": 307}, body={"json": [1]}
        )
    )
    echoed = output_of(run)["body"]
    assert (echoed["method"], echoed["body"]) == ("POST", "[1]")


async def test_a_redirect_not_followed_is_outside_the_default_range(
    run_workflow: RunWorkflow, api: str
) -> None:
    error = error_of(
        await run_workflow(request_step("GET", url=f"{api}/redirect?to=/x", follow_redirects=False))
    )
    assert error["status"] == 302


async def test_a_redirect_not_followed_can_be_read_when_expected(run_workflow: RunWorkflow, api: str) -> None:
    run = await run_workflow(
        request_step(
            "GET", url=f"{api}/redirect?to=/x", follow_redirects=False, status_code={"from": 200, "to": 399}
        )
    )
    assert (output_of(run)["status_code"], output_of(run)["headers"]["location"]) == (302, "/x")


@pytest.mark.parametrize("auth", ["Key API", "Bearer API"])
async def test_credentials_are_dropped_when_a_redirect_leaves_their_origin(
    run_workflow: RunWorkflow, api: str, auth: str
) -> None:
    other_origin = api.replace("127.0.0.1", "localhost") + "/elsewhere"
    run = await run_workflow(request_step("GET", auth, url=f"{api}/redirect", query={"to": other_origin}))
    headers = output_of(run)["body"]["headers"]
    assert output_of(run)["body"]["path"] == "/elsewhere"
    assert "x-api-key" not in headers and "authorization" not in headers


async def test_credentials_are_kept_on_a_redirect_within_their_origin(
    run_workflow: RunWorkflow, api: str
) -> None:
    run = await run_workflow(
        request_step("GET", "Key API", url=f"{api}/redirect", query={"to": "/same-origin"})
    )
    assert REDACTED in output_of(run)["body"]["headers"]["x-api-key"]


async def test_endless_redirects_fail(run_workflow: RunWorkflow, api: str) -> None:
    error = error_of(await run_workflow(request_step("GET", url=f"{api}/loop")))
    assert "more than 20 redirects" in error["message"]


# -- response bodies


async def test_a_text_body_is_text(run_workflow: RunWorkflow, api: str) -> None:
    answer = output_of(await run_workflow(request_step("GET", url=f"{api}/text")))
    assert (answer["body"], answer["body_encoding"]) == ("plain words", "text")


async def test_a_json_body_that_does_not_parse_is_kept_as_text(run_workflow: RunWorkflow, api: str) -> None:
    answer = output_of(await run_workflow(request_step("GET", url=f"{api}/broken-json")))
    assert (answer["body"], answer["body_encoding"]) == ("{not json", "text")


async def test_a_binary_body_is_base64(run_workflow: RunWorkflow, api: str) -> None:
    answer = output_of(await run_workflow(request_step("GET", url=f"{api}/image")))
    assert answer["body_encoding"] == "base64"
    assert base64.b64decode(answer["body"]) == PNG


async def test_a_body_over_the_size_limit_fails(run_workflow: RunWorkflow, api: str) -> None:
    error = error_of(
        await run_workflow(request_step("GET", url=f"{api}/big?size=2048", max_response_bytes=1024))
    )
    assert error["type"] == "operation_failed"
    assert "more than 1024 bytes" in error["message"]


async def test_cookies_a_server_sets_are_not_sent_by_later_steps(run_workflow: RunWorkflow, api: str) -> None:
    run = await run_workflow(
        request_step("GET", url=f"{api}/set-cookie"), request_step("GET", url=f"{api}/after")
    )
    second = run.steps[-1].output
    assert "cookie" not in second["body"]["headers"]


# -- failures without an answer


async def test_a_slow_get_times_out_and_may_be_retried(
    run_workflow: RunWorkflow, api: str, sleeps: Sleeps
) -> None:
    run = await run_workflow(
        request_step("GET", url=f"{api}/slow?seconds=1", timeout=0.3, retry={"attempts": 2, "jitter": False})
    )
    error = error_of(run)
    assert "no complete answer within 0.3 s" in error["message"]
    assert only_entry(run).attempts == 2


async def test_a_slow_post_times_out_and_is_not_retried(run_workflow: RunWorkflow, api: str) -> None:
    run = await run_workflow(
        request_step("POST", url=f"{api}/slow?seconds=1", timeout=0.3, retry={"attempts": 3, "jitter": False})
    )
    assert "the server may have acted on it, so it is not retried" in error_of(run)["message"]
    assert only_entry(run).attempts == 1


async def test_a_refused_connection_may_be_retried_even_for_a_post(run_workflow: RunWorkflow) -> None:
    with socket_closed() as url:
        run = await run_workflow(request_step("POST", url=url, retry={"attempts": 2, "jitter": False}))
    assert "could not connect" in error_of(run)["message"]
    assert only_entry(run).attempts == 2


@contextmanager
def socket_closed() -> Iterator[str]:
    """A URL on a 127.0.0.1 port that nothing listens on."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    yield f"http://127.0.0.1:{port}/orders"


# -- link-local and cloud metadata addresses


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("169.254.169.254", "a cloud metadata address"),
        ("fd00:ec2::254", "a cloud metadata address"),
        ("100.100.100.200", "a cloud metadata address"),
        ("169.254.10.1", "a link-local address"),
        ("fe80::1", "a link-local address"),
        ("::ffff:169.254.169.254", "a cloud metadata address"),
        ("64:ff9b::a9fe:a9fe", "a cloud metadata address"),
        ("2002:a9fe:a9fe::1", "a cloud metadata address"),
    ],
)
def test_link_local_and_metadata_addresses_are_refused(address: str, reason: str) -> None:
    assert refusal(ipaddress.ip_address(address)) == reason


@pytest.mark.parametrize(
    "address", ["127.0.0.1", "::1", "10.0.0.5", "192.168.1.20", "172.16.0.1", "93.184.216.34", "2606:4700::1"]
)
def test_loopback_private_and_public_addresses_are_allowed(address: str) -> None:
    assert refusal(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://[fd00:ec2::254]/",
        "http://metadata.google.internal/x",
    ],
)
async def test_a_metadata_url_is_refused_before_any_connection(url: str) -> None:
    with pytest.raises(OperationFailed, match="allow_private_networks"):
        await check_destination(httpx.URL(url), allow_private_networks=False)


async def test_an_authentication_may_allow_private_networks() -> None:
    await check_destination(httpx.URL("http://169.254.169.254/"), allow_private_networks=True)


async def test_a_host_that_resolves_to_loopback_is_allowed() -> None:
    await check_destination(httpx.URL("http://localhost:9/"), allow_private_networks=False)


async def test_a_step_to_the_metadata_service_fails_and_names_the_way_out(run_workflow: RunWorkflow) -> None:
    error = error_of(await run_workflow(request_step("GET", url="http://169.254.169.254/latest/meta-data/")))
    assert error["type"] == "operation_failed"
    assert "169.254.169.254: it is a cloud metadata address" in error["message"]


async def test_a_redirect_to_the_metadata_service_is_refused(run_workflow: RunWorkflow, api: str) -> None:
    run = await run_workflow(
        request_step("GET", url=f"{api}/redirect", query={"to": "http://169.254.169.254/latest/meta-data/"})
    )
    assert "cloud metadata address" in error_of(run)["message"]
