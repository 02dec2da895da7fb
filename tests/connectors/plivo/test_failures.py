"""How Plivo's refusals and silences reach a workflow: the messages, and which ones the engine retries.

Reads are safe to repeat, so a 429, a 5xx or a timeout is retried by the step's policy; a send is not,
because Plivo may have queued the message (there is no idempotency key). Only a connection that could not
be opened, which certainly sent nothing, is retried for a send, quickly, inside the client.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from switchboard.connectors.plivo import PlivoAuth, PlivoClient
from switchboard.errors import ProviderError
from switchboard.sim.plivo import DEFAULT_AUTH_ID, DEFAULT_AUTH_TOKEN

from ...support import listening_socket
from .conftest import ALICE, AUTH_NAME, OUR_NUMBER, Scripted, Simulator, StubAccount, Workflows

RETRY = {"attempts": 3, "initial_delay": 0.5, "jitter": False}
SEND = {"src": OUR_NUMBER, "dst": ALICE, "text": "Hi"}


async def run_with_retry(workflows: Workflows, operation: str, step_input: dict[str, Any]) -> Any:
    run = await workflows.run({"operation": operation, "input": step_input, "retry": RETRY})
    return run.steps[-1]


async def test_a_wrong_token_says_which_authentication_failed(workflows: Workflows, sim: Simulator) -> None:
    workflows.use(sim.auth(auth_token="not-the-token"))
    run = await workflows.run({"operation": "get_account", "input": {}})
    assert run.status == "failed"
    assert run.error is not None
    assert f"{run.error['step']}: {run.error['message']}" == (
        "plivo-1: Plivo answered 401 for authentication 'Plivo Sandbox': check its Auth ID and Auth Token"
    )
    assert run.error["status"] == 401
    assert run.error["plivo_error"] == "authentication credentials were not provided"


async def test_a_401_without_a_json_body_still_names_the_authentication(
    workflows: Workflows, stub: StubAccount
) -> None:
    workflows.use(stub.auth())
    stub.answer(Scripted(401, "Unauthorized"))
    error = await workflows.error("get_account")
    assert error["message"].startswith("Plivo answered 401 for authentication 'Plivo Sandbox'")
    assert error["plivo_error"] == "Unauthorized"


async def test_an_unknown_resource_is_a_404_with_plivos_words(workflows: Workflows, sim: Simulator) -> None:
    error = await workflows.error("get_message", message_uuid="no-such-message")
    assert (error["type"], error["status"]) == ("provider_error", 404)
    assert error["message"] == "Plivo answered 404 to GET Message/no-such-message/: not found"


async def test_a_read_refused_with_429_is_retried_by_the_steps_policy(
    workflows: Workflows, sim: Simulator
) -> None:
    await sim.configure(requests_per_window=1)
    assert (await sim.api("GET", "")).status_code == 200  # the window's only request
    step = await run_with_retry(workflows, "get_account", {})
    assert (step.status, step.attempts) == ("failed", 3)
    assert step.error is not None
    assert (step.error["status"], step.error["plivo_error"]) == (429, "too many requests")
    assert workflows.sleeps == [0.5, 1.0]


async def test_a_send_refused_with_429_is_not_retried_even_with_a_retry_policy(
    workflows: Workflows, sim: Simulator
) -> None:
    await sim.configure(requests_per_window=1)
    assert (await sim.api("GET", "")).status_code == 200
    step = await run_with_retry(workflows, "send_sms", SEND)
    assert (step.status, step.attempts) == ("failed", 1)
    assert step.error is not None
    assert step.error["message"].endswith("(not retried: the request is not safe to repeat)")
    assert workflows.sleeps == []


async def test_a_5xx_on_a_read_is_retried_and_can_succeed(workflows: Workflows, stub: StubAccount) -> None:
    workflows.use(stub.auth())
    stub.answer(Scripted(503, {"api_id": "a-1", "error": "service unavailable"}))
    step = await run_with_retry(workflows, "get_account", {})
    assert (step.status, step.attempts) == ("succeeded", 2)
    assert stub.requests == ["GET ", "GET "]


async def test_a_5xx_on_a_send_is_not_retried(workflows: Workflows, stub: StubAccount) -> None:
    workflows.use(stub.auth())
    stub.answer(Scripted(502, {"api_id": "a-1", "error": "bad gateway"}))
    step = await run_with_retry(workflows, "send_sms", SEND)
    assert (step.status, step.attempts) == ("failed", 1)
    assert stub.requests == ["POST Message/"]


async def test_retry_after_is_honoured_over_the_steps_backoff(
    workflows: Workflows, stub: StubAccount
) -> None:
    workflows.use(stub.auth())
    stub.answer(Scripted(429, {"error": "too many requests"}, {"Retry-After": "7"}))
    step = await run_with_retry(workflows, "list_applications", {})
    assert (step.status, step.attempts) == ("succeeded", 2)
    assert workflows.sleeps == [7.0]


async def test_a_send_that_gets_no_answer_in_time_is_not_retried(
    workflows: Workflows, stub: StubAccount
) -> None:
    workflows.use(stub.auth(timeout_seconds=0.2))
    stub.answer(Scripted(202, {"message_uuid": ["late"]}, delay=1.0))
    step = await run_with_retry(workflows, "send_sms", SEND)
    assert (step.status, step.attempts) == ("failed", 1)
    assert step.error is not None
    assert step.error["message"] == (
        "Plivo did not answer POST Message/ within 0.2 s; Plivo may have acted on it, so it is not retried: "
        "check before sending again"
    )


async def test_a_read_that_gets_no_answer_in_time_is_retried(workflows: Workflows, stub: StubAccount) -> None:
    workflows.use(stub.auth(timeout_seconds=0.2))
    stub.answer(Scripted(200, {}, delay=1.0))
    step = await run_with_retry(workflows, "get_account", {})
    assert (step.status, step.attempts) == ("succeeded", 2)


def closed_port() -> int:
    with listening_socket() as probe:
        return int(probe.getsockname()[1])


async def test_an_unreachable_plivo_is_a_retryable_error_even_for_a_send(workflows: Workflows) -> None:
    port = closed_port()
    workflows.use(
        PlivoAuth(auth_id=DEFAULT_AUTH_ID, auth_token="a-token", base_url=f"http://127.0.0.1:{port}")
    )
    step = await workflows.step("send_sms", **SEND)
    assert step.error is not None
    assert step.error["message"].startswith(f"could not connect to Plivo at 127.0.0.1:{port}")
    assert step.error["retryable"] is True


class Connections:
    """A transport whose first connections fail, as when Plivo's host cannot be reached for a moment."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.attempts = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.attempts += 1
        if self.attempts <= self.failures:
            raise httpx.ConnectError("connection refused", request=request)
        return httpx.Response(
            202, json={"api_id": "a", "message": "message(s) queued", "message_uuid": ["u"]}
        )


def client_over(transport: Connections, waits: list[float]) -> PlivoClient:
    async def record(seconds: float) -> None:
        waits.append(seconds)

    auth = PlivoAuth(auth_id=DEFAULT_AUTH_ID, auth_token=DEFAULT_AUTH_TOKEN, messages_per_second=1000)
    return PlivoClient(auth, transport=httpx.MockTransport(transport), clock=lambda: 0.0, sleep=record)


async def test_a_connection_that_could_not_be_opened_is_retried_quickly_inside_the_client() -> None:
    connections, waits = Connections(failures=2), []
    client = client_over(connections, waits)
    answer = await client.send_messages("sms", 1, {"dst": ALICE})
    assert answer["message_uuid"] == ["u"]
    assert connections.attempts == 3
    assert waits == [0.001, 0.05, 0.25]  # the pace of 1000/s, then two quick retries


async def test_connection_retries_stop_after_two() -> None:
    connections, waits = Connections(failures=5), []
    with pytest.raises(ProviderError) as failed:
        await client_over(connections, waits).send_messages("sms", 1, {"dst": ALICE})
    assert failed.value.retryable
    assert connections.attempts == 3


async def test_a_429_halves_the_request_budget_for_a_while(stub: StubAccount) -> None:
    stub.answer(Scripted(429, {"error": "too many requests"}))
    client = PlivoClient(stub.auth())
    with pytest.raises(ProviderError):
        await client.request("GET", "")
    assert client.limits.requests.current_limit == 150
    await client.aclose()


async def test_errors_keep_plivos_api_id_for_support(workflows: Workflows, stub: StubAccount) -> None:
    workflows.use(stub.auth())
    stub.answer(Scripted(500, {"api_id": "abc-123", "error": "internal error"}))
    error = await workflows.error("get_pricing", country_iso="US")
    assert error == error | {
        "type": "provider_error",
        "message": "Plivo answered 500 to GET Pricing/: internal error",
        "status": 500,
        "api_id": "abc-123",
        "plivo_error": "internal error",
        "authentication": AUTH_NAME,
    }
