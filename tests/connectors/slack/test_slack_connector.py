"""The Slack connector through the real engine, against the Slack simulator over real HTTP."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.responses import PlainTextResponse

from switchboard.connectors.base import Context, InboundRequest, TriggerRejected
from switchboard.connectors.slack import SlackAuth, receive_event
from switchboard.connectors.slack import connector as slack_connector
from switchboard.connectors.slack.signatures import sign_v0
from switchboard.definition import check_workflow
from switchboard.engine.records import RunState, StepEntry
from switchboard.engine.redaction import REDACTED
from switchboard.errors import ProviderError, WorkflowInvalid
from switchboard.sim.slack import DEFAULT_BOT_TOKEN, DEFAULT_SIGNING_SECRET
from switchboard.store.database import Database
from switchboard.store.journal import load_run

from ...support import RunWorkflow, Sleeps, serving
from .conftest import (
    REGISTRY,
    REVOKED_AUTH,
    REVOKED_TOKEN,
    WORKSPACE_AUTH,
    TriggerEndpoint,
    channel_messages,
    slack_calls,
    step,
)

GENERAL, SMS_LOG, RANDOM = "C0GENERAL", "C00SMSLOG", "C00RANDOM"
ADA, GRACE, ALAN, BOT = "U00000ADA", "U0000GRACE", "U00000ALAN", "U00000BOT"


def entry(run: RunState, name: str) -> StepEntry:
    [found] = [e for e in run.steps if e.name == name]
    return found


def output(run: RunState, name: str) -> Any:
    found = entry(run, name)
    assert found.status == "succeeded", found.error
    return found.output


# -- the connector's declaration


def test_operations_that_change_slack_are_not_repeat_safe_and_reads_are() -> None:
    flags = {name: op.repeat_safe for name, op in slack_connector.operations.items()}
    assert flags == {
        "send_message": False,
        "update_message": False,
        "delete_message": False,
        "add_reaction": True,
        "list_conversations": True,
        "find_user_by_email": True,
        "get_user": True,
        "create_conversation": False,
        "invite_to_conversation": False,
        "set_topic": True,
        "upload_file": False,
        "raw_http_request": False,
    }


def test_the_token_and_the_signing_secret_are_secret_fields() -> None:
    described = slack_connector.describe()
    assert described["auth"]["secret_fields"] == ["signing_secret", "token"]
    assert described["triggers"][0]["name"] == "event"


# -- messages


async def test_a_message_is_posted_with_every_option_and_the_output_is_slacks_answer(
    run_workflow: RunWorkflow, control: httpx.AsyncClient
) -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*SMS* delivered"}}]
    run = await run_workflow(
        step(
            "send_message",
            channel="#sms-log",
            text="SMS delivered to {$.steps.trigger.to}",
            blocks=blocks,
            username="SMS bot",
            icon_emoji=":iphone:",
            unfurl_links=False,
            unfurl_media=False,
        ),
        trigger={"to": "+447700900123"},
    )
    posted = output(run, "slack-1")
    assert (posted["ok"], posted["channel"]) == (True, SMS_LOG)
    assert posted["message"]["text"] == "SMS delivered to +447700900123"
    assert posted["message"]["blocks"] == blocks
    assert (posted["message"]["username"], posted["message"]["icons"]) == ("SMS bot", {"emoji": ":iphone:"})
    [kept] = await channel_messages(control, SMS_LOG)
    assert (kept["ts"], kept["unfurl_links"], kept["unfurl_media"]) == (posted["ts"], False, False)


async def test_a_thread_reply_is_posted_under_the_message_a_previous_step_sent(
    run_workflow: RunWorkflow, control: httpx.AsyncClient
) -> None:
    run = await run_workflow(
        step("send_message", channel=GENERAL, text="Inbound SMS"),
        step(
            "send_message",
            channel="{$.steps.slack-1.channel}",
            text="Escalated",
            thread_ts="{$.steps.slack-1.ts}",
            reply_broadcast=True,
            icon_url="https://example.com/i.png",
        ),
    )
    reply = output(run, "slack-2")
    assert reply["message"]["thread_ts"] == output(run, "slack-1")["ts"]
    assert reply["message"]["subtype"] == "thread_broadcast"
    assert reply["message"]["icons"] == {"image_48": "https://example.com/i.png"}


async def test_a_message_without_text_or_blocks_is_refused_when_the_workflow_is_checked(
    run_workflow: RunWorkflow,
) -> None:
    with pytest.raises(WorkflowInvalid, match=r"steps\[0\]\.input: a message needs text or blocks"):
        await run_workflow(step("send_message", channel=GENERAL))


async def test_a_message_whose_mapped_text_is_empty_fails_without_calling_slack(
    run_workflow: RunWorkflow, control: httpx.AsyncClient
) -> None:
    run = await run_workflow(
        step("send_message", channel=GENERAL, text="{$.steps.trigger.text}"), trigger={"text": ""}
    )
    assert run.status == "failed"
    error = entry(run, "slack-1").error
    assert error is not None
    assert (error["type"], error["message"]) == ("input_invalid", "input: a message needs text or blocks")
    assert await slack_calls(control, "chat.postMessage") == []


async def test_a_message_is_updated_and_reacted_to_with_the_channel_given_by_name(
    run_workflow: RunWorkflow, control: httpx.AsyncClient
) -> None:
    run = await run_workflow(
        step("send_message", channel="#sms-log", text="Sending…"),
        step("update_message", channel="#sms-log", ts="{$.steps.slack-1.ts}", text="Sent"),
        step("add_reaction", channel="sms-log", ts="{$.steps.slack-1.ts}", name=":white_check_mark:"),
    )
    updated = output(run, "slack-2")
    assert (updated["channel"], updated["ts"], updated["text"]) == (
        SMS_LOG,
        output(run, "slack-1")["ts"],
        "Sent",
    )
    assert output(run, "slack-3") == {
        "ok": True,
        "channel": SMS_LOG,
        "ts": updated["ts"],
        "name": "white_check_mark",
    }
    [kept] = await channel_messages(control, SMS_LOG)
    assert kept["text"] == "Sent" and kept["edited"]["user"] == BOT
    assert kept["reactions"] == [{"name": "white_check_mark", "users": [BOT], "count": 1}]
    [lookup] = await slack_calls(control, "conversations.list")
    assert lookup["arguments"]["types"] == "public_channel,private_channel"


async def test_reacting_twice_with_the_same_emoji_is_not_an_error(
    run_workflow: RunWorkflow, control: httpx.AsyncClient
) -> None:
    run = await run_workflow(
        step("send_message", channel=GENERAL, text="hi"),
        step("add_reaction", channel=GENERAL, ts="{$.steps.slack-1.ts}", name="eyes"),
        step("add_reaction", channel=GENERAL, ts="{$.steps.slack-1.ts}", name="eyes"),
    )
    assert run.status == "succeeded"
    assert output(run, "slack-3")["already_reacted"] is True


async def test_a_message_is_deleted(run_workflow: RunWorkflow, control: httpx.AsyncClient) -> None:
    run = await run_workflow(
        step("send_message", channel=GENERAL, text="oops"),
        step("delete_message", channel=GENERAL, ts="{$.steps.slack-1.ts}"),
    )
    assert output(run, "slack-2") == {"ok": True, "channel": GENERAL, "ts": output(run, "slack-1")["ts"]}
    assert await channel_messages(control, GENERAL) == []


# -- errors


async def test_posting_to_a_channel_that_does_not_exist_fails_with_channel_not_found(
    run_workflow: RunWorkflow,
) -> None:
    run = await run_workflow(step("send_message", channel="#no-such-channel", text="hi"))
    assert run.status == "failed"
    error = entry(run, "slack-1").error
    assert error is not None
    assert error["type"] == "provider_error"
    assert error["slack_error"] == "channel_not_found"
    assert "channel_not_found" in error["message"] and "chat.postMessage" in error["message"]


async def test_updating_in_a_channel_name_that_does_not_exist_fails_with_channel_not_found(
    run_workflow: RunWorkflow,
) -> None:
    run = await run_workflow(step("update_message", channel="#nowhere", ts="1.000001", text="x"))
    error = entry(run, "slack-1").error
    assert error is not None
    assert error["slack_error"] == "channel_not_found"
    assert "#nowhere" in error["message"] and WORKSPACE_AUTH in error["message"]


async def test_posting_where_the_app_is_not_a_member_fails_with_not_in_channel(
    run_workflow: RunWorkflow,
) -> None:
    run = await run_workflow(step("send_message", channel="#random", text="hi"))
    error = entry(run, "slack-1").error
    assert error is not None
    assert error["slack_error"] == "not_in_channel"
    assert "invite the app" in error["message"]


async def test_a_refused_token_fails_naming_the_authentication(run_workflow: RunWorkflow) -> None:
    run = await run_workflow(step("send_message", auth=REVOKED_AUTH, channel=GENERAL, text="hi"))
    assert run.status == "failed"
    error = entry(run, "slack-1").error
    assert error is not None
    assert error["slack_error"] == "invalid_auth"
    assert f"authentication {REVOKED_AUTH!r}" in error["message"]
    assert REVOKED_TOKEN not in json.dumps(error)


async def test_an_error_branch_can_read_slacks_error_code(run_workflow: RunWorkflow) -> None:
    run = await run_workflow(
        step(
            "send_message",
            channel="#random",
            text="hi",
            on_error={
                "steps": [
                    step("send_message", channel=GENERAL, text="failed: {$.errors.slack-1.slack_error}")
                ]
            },
        )
    )
    assert run.status == "succeeded"
    assert output(run, "slack-2")["message"]["text"] == "failed: not_in_channel"


# -- rate limits


async def test_a_forced_429_is_waited_out_and_the_message_is_posted_exactly_once(
    run_workflow: RunWorkflow, control: httpx.AsyncClient
) -> None:
    forced = await control.post("/rate-limits/chat.postMessage/force", json={"times": 1, "retry_after": 1})
    forced.raise_for_status()
    started = time.monotonic()
    run = await run_workflow(step("send_message", channel=SMS_LOG, text="only once"))
    assert run.status == "succeeded"
    assert time.monotonic() - started >= 1.0
    assert entry(run, "slack-1").attempts == 1
    assert [message["text"] for message in await channel_messages(control, SMS_LOG)] == ["only once"]
    calls = await slack_calls(control, "chat.postMessage")
    assert [(call["status_code"], call["error"]) for call in calls] == [(429, "ratelimited"), (200, None)]


async def test_a_long_rate_limit_goes_back_to_the_step_retry_policy_with_retry_after(
    run_workflow: RunWorkflow, control: httpx.AsyncClient, sleeps: Sleeps
) -> None:
    forced = await control.post("/rate-limits/chat.postMessage/force", json={"times": 2, "retry_after": 120})
    forced.raise_for_status()
    run = await run_workflow(
        step("send_message", channel=SMS_LOG, text="later", retry={"attempts": 2, "initial_delay": 1})
    )
    assert run.status == "failed"
    failed = entry(run, "slack-1")
    assert failed.attempts == 2
    assert sleeps == [120.0]
    assert failed.error is not None
    assert (failed.error["status"], failed.error["slack_error"]) == (429, "ratelimited")
    assert "retry after 120 s" in failed.error["message"]
    assert await channel_messages(control, SMS_LOG) == []


async def test_429s_that_outlast_the_waits_in_place_fail_the_step_as_rate_limited(
    run_workflow: RunWorkflow, control: httpx.AsyncClient
) -> None:
    forced = await control.post("/rate-limits/chat.postMessage/force", json={"times": 4, "retry_after": 0})
    forced.raise_for_status()
    run = await run_workflow(step("send_message", channel=SMS_LOG, text="never"))
    error = entry(run, "slack-1").error
    assert error is not None and (error["status"], error["slack_error"]) == (429, "ratelimited")
    calls = await slack_calls(control, "chat.postMessage")
    assert [call["status_code"] for call in calls] == [429, 429, 429, 429]
    assert await channel_messages(control, SMS_LOG) == []


async def test_a_429_that_asks_for_a_long_wait_is_a_retryable_error_with_retry_after(
    authentications: dict[str, SlackAuth], control: httpx.AsyncClient
) -> None:
    (
        await control.post("/rate-limits/users.info/force", json={"times": 1, "retry_after": 90})
    ).raise_for_status()
    ctx = Context(auth=authentications[WORKSPACE_AUTH], run_id="r", step="slack-1", auth_name=WORKSPACE_AUTH)
    operation = slack_connector.operations["get_user"]
    with pytest.raises(ProviderError) as limited:
        await operation(operation.input_model.model_validate({"user": ADA}), ctx)
    await ctx.clients.aclose()
    assert (limited.value.retryable, limited.value.retry_after, limited.value.status) == (True, 90.0, 429)


async def test_a_base_url_that_is_not_slack_fails_with_a_clear_error(run_workflow: RunWorkflow) -> None:
    not_slack = FastAPI()

    @not_slack.post("/api/{method}")
    async def plain(method: str) -> PlainTextResponse:
        return PlainTextResponse("hello from a web server")

    with serving(not_slack) as base_url:
        ctx = Context(auth=SlackAuth(token="xoxb-x", base_url=f"{base_url}/api/"), run_id="r", step="slack-1")
        operation = slack_connector.operations["send_message"]
        with pytest.raises(ProviderError, match="not Slack's JSON: check the authentication's base_url"):
            await operation(operation.input_model.model_validate({"channel": GENERAL, "text": "hi"}), ctx)
        await ctx.clients.aclose()


# -- conversations


async def test_listing_conversations_follows_every_cursor_page(
    run_workflow: RunWorkflow, control: httpx.AsyncClient
) -> None:
    run = await run_workflow(
        step("list_conversations", types=["public_channel", "private_channel"], page_size=2),
    )
    listed = output(run, "slack-1")
    assert [channel["name"] for channel in listed["channels"]] == [
        "general",
        "sms-log",
        "random",
        "old-announcements",
        "ops-team",
    ]
    assert listed["next_cursor"] == ""
    assert len(await slack_calls(control, "conversations.list")) == 3


async def test_listing_stops_at_max_results_and_a_later_step_continues_from_the_cursor(
    run_workflow: RunWorkflow,
) -> None:
    run = await run_workflow(
        step("list_conversations", types=["public_channel", "private_channel"], max_results=3, page_size=2),
        step(
            "list_conversations",
            types=["public_channel", "private_channel"],
            cursor="{$.steps.slack-1.next_cursor}",
        ),
    )
    first, rest = output(run, "slack-1"), output(run, "slack-2")
    assert [channel["name"] for channel in first["channels"]] == ["general", "sms-log", "random"]
    assert first["next_cursor"] != ""
    assert [channel["name"] for channel in rest["channels"]] == ["old-announcements", "ops-team"]


async def test_archived_channels_can_be_left_out(run_workflow: RunWorkflow) -> None:
    run = await run_workflow(step("list_conversations", exclude_archived=True))
    assert [channel["name"] for channel in output(run, "slack-1")["channels"]] == [
        "general",
        "sms-log",
        "random",
    ]


async def test_a_channel_is_created_people_are_invited_and_its_topic_is_set(
    run_workflow: RunWorkflow,
) -> None:
    run = await run_workflow(
        step("create_conversation", name="sms-alerts"),
        step("invite_to_conversation", channel="#sms-alerts", users=[GRACE, ALAN]),
        step("set_topic", channel="{$.steps.slack-1.channel.id}", topic="Every failed SMS"),
    )
    created = output(run, "slack-1")["channel"]
    assert (created["name"], created["is_member"], created["creator"]) == ("sms-alerts", True, BOT)
    assert output(run, "slack-2")["channel"]["num_members"] == 3
    assert output(run, "slack-3")["channel"]["topic"]["value"] == "Every failed SMS"


async def test_creating_a_channel_whose_name_is_taken_fails_with_name_taken(
    run_workflow: RunWorkflow,
) -> None:
    run = await run_workflow(step("create_conversation", name="general"))
    error = entry(run, "slack-1").error
    assert error is not None and error["slack_error"] == "name_taken"


# -- people


async def test_a_person_is_found_by_email_and_by_user_id(run_workflow: RunWorkflow) -> None:
    run = await run_workflow(
        step("find_user_by_email", email="Ada@Example.com"),
        step("get_user", user="{$.steps.slack-1.user.id}"),
    )
    assert output(run, "slack-1")["user"]["id"] == ADA
    assert output(run, "slack-2")["user"]["profile"]["email"] == "ada@example.com"


async def test_an_unknown_email_fails_with_users_not_found(run_workflow: RunWorkflow) -> None:
    run = await run_workflow(step("find_user_by_email", email="nobody@example.com"))
    error = entry(run, "slack-1").error
    assert error is not None and error["slack_error"] == "users_not_found"


# -- files


async def test_a_text_file_is_uploaded_and_shared_with_a_comment(
    run_workflow: RunWorkflow, control: httpx.AsyncClient
) -> None:
    report = "to,status\n+447700900123,delivered\n"
    run = await run_workflow(
        step(
            "upload_file",
            content=report,
            filename="report.csv",
            title="Delivery report",
            channel="#sms-log",
            initial_comment="Today's deliveries",
        )
    )
    uploaded = output(run, "slack-1")["file"]
    assert (uploaded["name"], uploaded["title"], uploaded["mimetype"]) == (
        "report.csv",
        "Delivery report",
        "text/csv",
    )
    assert uploaded["shares"]["public"][SMS_LOG][0]["channel_name"] == "sms-log"
    [message] = await channel_messages(control, SMS_LOG)
    assert message["text"] == "Today's deliveries"
    assert (await control.get(uploaded["url_private"])).text == report


async def test_a_binary_file_is_uploaded_from_base64(
    run_workflow: RunWorkflow, control: httpx.AsyncClient
) -> None:
    image = b"\x89PNG\r\n\x1a\n\x00\x01binary"
    run = await run_workflow(
        step(
            "upload_file",
            content_base64=base64.b64encode(image).decode(),
            filename="chart.png",
            channel=GENERAL,
        )
    )
    uploaded = output(run, "slack-1")["file"]
    assert uploaded["size"] == len(image)
    assert (await control.get(uploaded["url_private"])).content == image


async def test_an_upload_needs_exactly_one_content_and_valid_base64(run_workflow: RunWorkflow) -> None:
    with pytest.raises(WorkflowInvalid, match="exactly one of content and content_base64"):
        await run_workflow(step("upload_file", content="a", content_base64="YQ==", filename="a.txt"))
    with pytest.raises(WorkflowInvalid, match=r"steps\[0\]\.input\.content_base64: not valid base64"):
        await run_workflow(step("upload_file", content_base64="not base64!", filename="a.bin"))


async def test_an_upload_of_mapped_content_that_is_not_base64_fails_as_invalid_input(
    run_workflow: RunWorkflow,
) -> None:
    run = await run_workflow(
        step("upload_file", content_base64="{$.steps.trigger.data}", filename="a.bin"),
        trigger={"data": "not base64!"},
    )
    error = entry(run, "slack-1").error
    assert error is not None
    assert (error["type"], error["message"]) == ("input_invalid", "input.content_base64: not valid base64")


async def test_uploading_to_a_channel_the_app_is_not_in_is_denied(run_workflow: RunWorkflow) -> None:
    run = await run_workflow(step("upload_file", content="x", filename="x.txt", channel=RANDOM))
    error = entry(run, "slack-1").error
    assert error is not None and error["slack_error"] == "posting_to_channel_denied"


# -- raw HTTP requests


async def test_a_raw_request_calls_any_method_and_outputs_status_headers_and_body(
    run_workflow: RunWorkflow, control: httpx.AsyncClient
) -> None:
    run = await run_workflow(
        step("raw_http_request", endpoint="chat.postMessage", body={"channel": GENERAL, "text": "raw"}),
        step("raw_http_request", method="GET", endpoint="users.info", query={"user": GRACE}),
    )
    posted = output(run, "slack-1")
    assert posted["status_code"] == 200
    assert posted["headers"]["content-type"].startswith("application/json")
    assert (posted["body"]["ok"], posted["body"]["message"]["text"]) == (True, "raw")
    assert output(run, "slack-2")["body"]["user"]["name"] == "grace"
    [kept] = await channel_messages(control, GENERAL)
    assert kept["text"] == "raw"


async def test_a_raw_request_returns_slacks_refusal_instead_of_failing(run_workflow: RunWorkflow) -> None:
    run = await run_workflow(
        step("raw_http_request", endpoint="chat.postMessage", body={"channel": RANDOM, "text": "x"})
    )
    assert output(run, "slack-1")["body"] == {"ok": False, "error": "not_in_channel"}


async def test_a_raw_request_never_sends_the_token_outside_slack(run_workflow: RunWorkflow) -> None:
    run = await run_workflow(
        step("raw_http_request", endpoint="https://example.com/api/chat.postMessage", body={})
    )
    error = entry(run, "slack-1").error
    assert error is not None
    assert error["type"] == "operation_failed"
    assert "the token is never sent elsewhere" in error["message"]


async def test_a_raw_request_to_a_method_slack_does_not_have_is_answered_as_slack_would(
    run_workflow: RunWorkflow,
) -> None:
    run = await run_workflow(step("raw_http_request", method="GET", endpoint="no.suchMethod"))
    assert output(run, "slack-1")["body"]["error"] == "unknown_method"


# -- testing an authentication


async def test_testing_an_authentication_answers_which_bot_and_workspace_it_is(
    authentications: dict[str, SlackAuth],
) -> None:
    assert slack_connector.auth_test is not None
    ctx = Context(auth=authentications[WORKSPACE_AUTH], run_id="test", step="auth", auth_name=WORKSPACE_AUTH)
    identity: Any = await slack_connector.auth_test(ctx)
    await ctx.clients.aclose()
    assert (identity["ok"], identity["user_id"], identity["team_id"]) == (True, BOT, "T00000SIM")


async def test_testing_a_refused_authentication_names_it(authentications: dict[str, SlackAuth]) -> None:
    assert slack_connector.auth_test is not None
    ctx = Context(auth=authentications[REVOKED_AUTH], run_id="test", step="auth", auth_name=REVOKED_AUTH)
    with pytest.raises(ProviderError, match=f"invalid_auth for authentication '{REVOKED_AUTH}'"):
        await slack_connector.auth_test(ctx)
    await ctx.clients.aclose()


# -- secrets


async def test_the_token_never_reaches_the_journal_even_when_a_step_maps_it(
    run_workflow: RunWorkflow, database: Database
) -> None:
    run = await run_workflow(
        step("send_message", channel=GENERAL, text="token: {$.auth.token}"),
        step("raw_http_request", method="GET", endpoint="auth.test"),
        step("send_message", auth=REVOKED_AUTH, channel=GENERAL, text="x", on_error="continue"),
    )
    journal = json.dumps([e.to_record() for e in load_run(database, run.id).steps], default=str)
    assert DEFAULT_BOT_TOKEN not in journal
    assert REVOKED_TOKEN not in journal
    assert DEFAULT_SIGNING_SECRET not in journal
    assert f"token: {REDACTED}" in journal


# -- the slack.event trigger, fed by the simulator over real HTTP


async def send_event(control: httpx.AsyncClient, endpoint: TriggerEndpoint, **request: Any) -> dict[str, Any]:
    """Have the simulated Slack POST a signed Events API request to the trigger endpoint."""
    sent = await control.post("/events", json={"url": endpoint.url, **request})
    sent.raise_for_status()
    answer: dict[str, Any] = sent.json()
    return answer


MENTION = {"type": "app_mention", "user": ADA, "text": "<@U00000BOT> status?", "channel": GENERAL}


async def test_a_signed_event_starts_a_run_with_the_event_and_its_envelope_ids(
    control: httpx.AsyncClient, trigger_endpoint: TriggerEndpoint
) -> None:
    delivery = await send_event(control, trigger_endpoint, event=MENTION)
    assert delivery["attempts"][0]["status_code"] == 200
    [event] = trigger_endpoint.events
    assert event.start_run is True
    assert event.dedup_key == f"slack:{delivery['event_id']}"
    envelope = delivery["payload"]
    assert event.output == {
        **envelope["event"],
        "team_id": "T00000SIM",
        "event_id": envelope["event_id"],
        "event_time": envelope["event_time"],
    }
    assert event.output["text"] == "<@U00000BOT> status?"


@pytest.mark.parametrize(
    ("mis_signing", "problem"),
    [({"wrong_secret": True}, "does not match"), ({"stale_timestamp": True}, "window")],
)
async def test_a_mis_signed_or_stale_event_is_refused_with_401(
    control: httpx.AsyncClient, trigger_endpoint: TriggerEndpoint, mis_signing: dict[str, bool], problem: str
) -> None:
    delivery = await send_event(control, trigger_endpoint, event=MENTION, **mis_signing)
    assert delivery["attempts"][0]["status_code"] == 401
    assert trigger_endpoint.events == []
    [rejected] = trigger_endpoint.rejections
    assert problem in rejected.message


async def test_url_verification_is_answered_with_the_challenge_and_starts_nothing(
    control: httpx.AsyncClient, trigger_endpoint: TriggerEndpoint
) -> None:
    answered = await send_event(control, trigger_endpoint, type="url_verification")
    assert answered["challenge_echoed"] is True
    assert answered["response_body"] == answered["challenge"]
    [event] = trigger_endpoint.events
    assert (event.start_run, event.dedup_key) == (False, None)


async def test_a_mis_signed_url_verification_is_refused(
    control: httpx.AsyncClient, trigger_endpoint: TriggerEndpoint
) -> None:
    answered = await send_event(control, trigger_endpoint, type="url_verification", wrong_secret=True)
    assert (answered["status_code"], answered["challenge_echoed"]) == (401, False)


async def test_slacks_retries_of_an_event_carry_the_same_dedup_key(
    control: httpx.AsyncClient, trigger_endpoint: TriggerEndpoint
) -> None:
    delivery = await send_event(
        control, trigger_endpoint, event={"type": "message", "channel": GENERAL, "text": "STOP"}
    )
    event_id = delivery["event_id"]
    (await control.post(f"/events/{event_id}/retry", json={"reason": "http_timeout"})).raise_for_status()
    (await control.post(f"/events/{event_id}/retry", json={"reason": "http_error"})).raise_for_status()
    assert [event.dedup_key for event in trigger_endpoint.events] == [f"slack:{event_id}"] * 3
    assert len({json.dumps(event.output, sort_keys=True) for event in trigger_endpoint.events}) == 1


async def test_a_person_posting_in_a_channel_reaches_the_trigger_as_a_message_event(
    control: httpx.AsyncClient, trigger_endpoint: TriggerEndpoint
) -> None:
    said = await control.post(
        "/channels/sms-log/messages",
        json={"user": ADA, "text": "Resend to +447700900123", "deliver_to": trigger_endpoint.url},
    )
    assert said.status_code == 201
    [event] = trigger_endpoint.events
    assert (event.output["type"], event.output["channel"], event.output["text"]) == (
        "message",
        SMS_LOG,
        "Resend to +447700900123",
    )


async def test_events_of_other_types_than_the_trigger_wants_are_acknowledged_and_ignored(
    control: httpx.AsyncClient, trigger_endpoint: TriggerEndpoint
) -> None:
    trigger_endpoint.settings = {"event_types": ["message.channels"]}
    ignored = await send_event(control, trigger_endpoint, event=MENTION)
    wanted = await send_event(
        control,
        trigger_endpoint,
        event={"type": "message", "channel": GENERAL, "channel_type": "channel", "text": "hi"},
    )
    assert [ignored["attempts"][0]["status_code"], wanted["attempts"][0]["status_code"]] == [200, 200]
    assert [event.start_run for event in trigger_endpoint.events] == [False, True]


def signed_request(
    body: bytes, *, secret: str = DEFAULT_SIGNING_SECRET, timestamp: int | None = None
) -> InboundRequest:
    moment = int(time.time()) if timestamp is None else timestamp
    return InboundRequest(
        method="POST",
        url="https://switchboard.example/hooks/token",
        headers={
            "x-slack-request-timestamp": str(moment),
            "x-slack-signature": sign_v0(secret, moment, body),
        },
        body=body,
    )


WITH_SECRET = SlackAuth(token=DEFAULT_BOT_TOKEN, signing_secret=DEFAULT_SIGNING_SECRET)


async def test_a_request_without_slacks_headers_is_refused_with_401() -> None:
    unsigned = InboundRequest(method="POST", url="https://x/hooks/t", headers={}, body=b"{}")
    with pytest.raises(TriggerRejected, match="X-Slack-Request-Timestamp header is missing") as refused:
        await receive_event(unsigned, WITH_SECRET, {})
    assert refused.value.status == 401


async def test_an_authentication_without_a_signing_secret_cannot_verify_anything() -> None:
    with pytest.raises(TriggerRejected, match="has no signing_secret") as refused:
        await receive_event(signed_request(b"{}"), SlackAuth(token=DEFAULT_BOT_TOKEN), {})
    assert refused.value.status == 401


async def test_the_handler_accepts_the_authentication_as_plain_fields() -> None:
    body = json.dumps({"type": "url_verification", "challenge": "abc"}).encode()
    event = await receive_event(signed_request(body), WITH_SECRET.model_dump(), {})
    assert event.response is not None
    assert (event.response.status, event.response.body, event.response.media_type) == (
        200,
        "abc",
        "text/plain",
    )


async def test_a_signed_body_that_is_not_json_is_a_bad_request() -> None:
    with pytest.raises(TriggerRejected) as refused:
        await receive_event(signed_request(b"payload=%7B%7D"), WITH_SECRET, {})
    assert refused.value.status == 400


async def test_an_app_rate_limited_notice_is_acknowledged_without_a_run() -> None:
    body = json.dumps(
        {"type": "app_rate_limited", "team_id": "T1", "minute_rate_limited": 1518467820}
    ).encode()
    event = await receive_event(signed_request(body), WITH_SECRET, {})
    assert (event.start_run, event.dedup_key) == (False, None)


def test_a_workflow_names_the_trigger_with_its_authentication_and_settings() -> None:
    reg = REGISTRY
    base = {"version": 1, "title": "on mention", "steps": []}
    checked = check_workflow(
        {**base, "trigger": {"type": "slack.event", "auth": WORKSPACE_AUTH, "event_types": ["app_mention"]}},
        reg,
    )
    assert checked.trigger.type == "slack.event"
    with pytest.raises(WorkflowInvalid) as invalid:
        check_workflow({**base, "trigger": {"type": "slack.event", "event_type": "app_mention"}}, reg)
    assert {problem.path for problem in invalid.value.problems} == {"trigger.event_type", "trigger.auth"}
