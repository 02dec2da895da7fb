"""The Slack simulator over real HTTP, driven by slack_sdk's AsyncWebClient as Switchboard will drive it."""

import json
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request, Response
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from switchboard.connectors.slack.signatures import InvalidSlackSignature, SignatureProblem, verify_v0
from switchboard.sim.slack import (
    DEFAULT_BOT_TOKEN,
    DEFAULT_SIGNING_SECRET,
    RateLimit,
    SlackSimState,
    create_slack_app,
)

from ..support import serving

GENERAL, SMS_LOG, RANDOM, OLD_NEWS = "C0GENERAL", "C00SMSLOG", "C00RANDOM", "C0OLDNEWS"
ADA, GRACE, ALAN, BOT = "U00000ADA", "U0000GRACE", "U00000ALAN", "U00000BOT"


@dataclass
class ReceivedRequest:
    """A request as the receiving app saw it: raw body bytes, so that signatures can be checked."""

    headers: dict[str, str]
    body: bytes

    @property
    def payload(self) -> Any:
        return json.loads(self.body)


@dataclass
class EventReceiver:
    """A tiny stand-in for Switchboard's Slack trigger: records requests and echoes url_verification."""

    url: str = ""
    requests: list[ReceivedRequest] = field(default_factory=list)

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.post("/slack/events")
        async def receive(request: Request) -> Response:
            received = ReceivedRequest(dict(request.headers), await request.body())
            self.requests.append(received)
            if received.payload.get("type") == "url_verification":
                return Response(
                    json.dumps({"challenge": received.payload["challenge"]}), media_type="application/json"
                )
            return Response(status_code=200)

        return app


@pytest.fixture(scope="module")
def sim_server() -> Iterator[tuple[SlackSimState, str]]:
    state = SlackSimState()
    with serving(create_slack_app(state)) as base_url:
        yield state, base_url


@pytest.fixture(scope="module")
def event_receiver_server() -> Iterator[EventReceiver]:
    event_receiver = EventReceiver()
    with serving(event_receiver.app()) as base_url:
        event_receiver.url = f"{base_url}/slack/events"
        yield event_receiver


@pytest.fixture
def workspace(sim_server: tuple[SlackSimState, str]) -> SlackSimState:
    state, _ = sim_server
    state.reset()
    return state


@pytest.fixture
def event_receiver(event_receiver_server: EventReceiver) -> EventReceiver:
    event_receiver_server.requests.clear()
    return event_receiver_server


@pytest.fixture
def api_url(sim_server: tuple[SlackSimState, str], workspace: SlackSimState) -> str:
    return f"{sim_server[1]}/api/"


@pytest.fixture
def slack(api_url: str) -> AsyncWebClient:
    return AsyncWebClient(token=DEFAULT_BOT_TOKEN, base_url=api_url)


@pytest.fixture
async def control(
    sim_server: tuple[SlackSimState, str], workspace: SlackSimState
) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=f"{sim_server[1]}/sim/slack") as client:
        yield client


async def slack_error(call: Any) -> str:
    """Await a slack_sdk call that must fail, and return Slack's error code."""
    with pytest.raises(SlackApiError) as failure:
        await call
    assert failure.value.response["ok"] is False
    return str(failure.value.response["error"])


async def channel_messages(control: httpx.AsyncClient, channel: str) -> list[dict[str, Any]]:
    response = await control.get(f"/channels/{channel}")
    response.raise_for_status()
    messages: list[dict[str, Any]] = response.json()["messages"]
    return messages


# -- authentication


async def test_a_call_without_a_token_is_not_authed(api_url: str) -> None:
    assert await slack_error(AsyncWebClient(base_url=api_url).auth_test()) == "not_authed"


async def test_a_call_with_an_unknown_token_is_invalid_auth(api_url: str) -> None:
    client = AsyncWebClient(token="xoxb-not-a-real-token", base_url=api_url)
    assert await slack_error(client.chat_postMessage(channel="#general", text="hi")) == "invalid_auth"


async def test_auth_test_names_the_bot_and_its_workspace(slack: AsyncWebClient) -> None:
    identity = await slack.auth_test()
    assert (identity["user_id"], identity["bot_id"], identity["team_id"]) == (BOT, "B00000SIM", "T00000SIM")


async def test_a_token_added_for_a_person_posts_as_that_person(
    control: httpx.AsyncClient, api_url: str
) -> None:
    (await control.post("/tokens", json={"token": "xoxp-ada", "user_id": ADA})).raise_for_status()
    posted = await AsyncWebClient(token="xoxp-ada", base_url=api_url).chat_postMessage(
        channel="#random", text="hi"
    )
    assert posted["message"]["user"] == ADA
    assert "bot_id" not in posted["message"]


# -- chat.postMessage


async def test_posting_by_channel_name_answers_slacks_shape_and_keeps_the_message(
    slack: AsyncWebClient, control: httpx.AsyncClient
) -> None:
    posted = await slack.chat_postMessage(channel="#sms-log", text="SMS sent, message uuid: abc")
    assert posted["ok"] is True
    assert posted["channel"] == SMS_LOG
    assert posted["ts"].replace(".", "").isdigit() and len(posted["ts"].split(".")[1]) == 6
    message = posted["message"]
    assert (message["type"], message["text"], message["user"], message["ts"]) == (
        "message",
        "SMS sent, message uuid: abc",
        BOT,
        posted["ts"],
    )
    assert message["bot_id"] == "B00000SIM" and message["bot_profile"]["app_id"] == "A00000SIM"
    [kept] = await channel_messages(control, "sms-log")
    assert (kept["ts"], kept["text"]) == (posted["ts"], "SMS sent, message uuid: abc")


async def test_posting_with_blocks_and_a_custom_identity_keeps_every_option(
    slack: AsyncWebClient, control: httpx.AsyncClient
) -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*SMS* delivered"}}]
    posted = await slack.chat_postMessage(
        channel=GENERAL,
        text="SMS delivered",
        blocks=blocks,
        username="SMS bot",
        icon_emoji=":iphone:",
        unfurl_links=False,
        unfurl_media=False,
    )
    assert posted["message"]["blocks"] == blocks
    assert posted["message"]["username"] == "SMS bot"
    assert posted["message"]["icons"] == {"emoji": ":iphone:"}
    [kept] = await channel_messages(control, GENERAL)
    assert (kept["unfurl_links"], kept["unfurl_media"]) == (False, False)


async def test_an_icon_url_is_used_when_there_is_no_icon_emoji(slack: AsyncWebClient) -> None:
    posted = await slack.chat_postMessage(channel=GENERAL, text="hi", icon_url="https://example.com/i.png")
    assert posted["message"]["icons"] == {"image_48": "https://example.com/i.png"}


async def test_a_form_encoded_call_is_read_like_a_json_one(slack: AsyncWebClient) -> None:
    posted = await slack.api_call("chat.postMessage", data={"channel": "#general", "text": "from a form"})
    assert (posted["channel"], posted["message"]["text"]) == (GENERAL, "from a form")


async def test_a_thread_reply_is_summarised_on_its_parent_and_a_broadcast_shows_in_history(
    slack: AsyncWebClient,
) -> None:
    parent = await slack.chat_postMessage(channel=GENERAL, text="Inbound SMS from +447700900123")
    reply = await slack.chat_postMessage(channel=GENERAL, text="Replied", thread_ts=parent["ts"])
    broadcast = await slack.chat_postMessage(
        channel=GENERAL, text="Escalated", thread_ts=parent["ts"], reply_broadcast=True
    )
    assert reply["message"]["thread_ts"] == parent["ts"]
    assert broadcast["message"]["subtype"] == "thread_broadcast"
    history = await slack.conversations_history(channel=GENERAL)
    assert [message["text"] for message in history["messages"]] == [
        "Escalated",
        "Inbound SMS from +447700900123",
    ]
    summary = history["messages"][1]
    assert (summary["reply_count"], summary["latest_reply"]) == (2, broadcast["ts"])


@pytest.mark.parametrize(
    ("channel", "error"),
    [
        ("#no-such-channel", "channel_not_found"),
        ("C0NOTHERE", "channel_not_found"),
        ("#random", "not_in_channel"),
        ("#old-announcements", "is_archived"),
    ],
)
async def test_posting_where_the_bot_cannot_post_fails_as_slack_does(
    slack: AsyncWebClient, channel: str, error: str
) -> None:
    assert await slack_error(slack.chat_postMessage(channel=channel, text="hi")) == error


async def test_a_private_channel_the_bot_is_not_in_is_not_found(
    slack: AsyncWebClient, control: httpx.AsyncClient
) -> None:
    new_channel = {"name": "board", "is_private": True, "bot_is_member": False, "members": [ADA]}
    (await control.post("/channels", json=new_channel)).raise_for_status()
    assert await slack_error(slack.chat_postMessage(channel="#board", text="hi")) == "channel_not_found"


async def test_a_message_over_40000_characters_is_too_long(slack: AsyncWebClient) -> None:
    assert await slack_error(slack.chat_postMessage(channel=GENERAL, text="x" * 40_001)) == "msg_too_long"


async def test_a_message_without_text_or_blocks_is_refused(slack: AsyncWebClient) -> None:
    with pytest.warns(UserWarning, match="top-level `text` argument is missing"):
        assert await slack_error(slack.chat_postMessage(channel=GENERAL)) == "no_text"


async def test_blocks_that_are_not_block_kit_are_refused(slack: AsyncWebClient) -> None:
    bad_blocks = [{"text": "no type"}]
    assert (
        await slack_error(slack.chat_postMessage(channel=GENERAL, text="x", blocks=bad_blocks))
        == "invalid_blocks"
    )


async def test_metadata_lets_the_app_find_its_message_in_history(slack: AsyncWebClient) -> None:
    metadata = {"event_type": "switchboard_step", "event_payload": {"run_id": "run-1", "step": "slack-1"}}
    posted = await slack.chat_postMessage(channel=SMS_LOG, text="SMS sent", metadata=metadata)
    assert posted["message"]["metadata"] == metadata
    plain = await slack.conversations_history(channel=SMS_LOG)
    assert "metadata" not in plain["messages"][0]
    detailed = await slack.conversations_history(channel=SMS_LOG, include_all_metadata=True)
    assert detailed["messages"][0]["metadata"] == metadata


async def test_metadata_without_an_event_type_is_refused(slack: AsyncWebClient) -> None:
    posting = slack.chat_postMessage(channel=SMS_LOG, text="x", metadata={"event_payload": {}})
    assert await slack_error(posting) == "invalid_metadata_schema"


# -- chat.update and chat.delete


async def test_updating_a_message_changes_its_text_and_marks_it_edited(slack: AsyncWebClient) -> None:
    posted = await slack.chat_postMessage(channel=SMS_LOG, text="Sending…")
    updated = await slack.chat_update(channel=SMS_LOG, ts=posted["ts"], text="Sent")
    assert (updated["channel"], updated["ts"], updated["text"]) == (SMS_LOG, posted["ts"], "Sent")
    assert updated["message"]["edited"]["user"] == BOT


async def test_updating_or_deleting_a_message_that_does_not_exist_is_message_not_found(
    slack: AsyncWebClient,
) -> None:
    assert (
        await slack_error(slack.chat_update(channel=SMS_LOG, ts="1.000001", text="x")) == "message_not_found"
    )
    assert await slack_error(slack.chat_delete(channel=SMS_LOG, ts="1.000001")) == "message_not_found"


async def test_a_message_someone_else_sent_cannot_be_updated_or_deleted(
    slack: AsyncWebClient, control: httpx.AsyncClient
) -> None:
    said = await control.post("/channels/general/messages", json={"user": ADA, "text": "mine"})
    ts = said.json()["message"]["ts"]
    assert (
        await slack_error(slack.chat_update(channel=GENERAL, ts=ts, text="edited")) == "cant_update_message"
    )
    assert await slack_error(slack.chat_delete(channel=GENERAL, ts=ts)) == "cant_delete_message"


async def test_deleting_a_message_removes_it_from_the_channel(
    slack: AsyncWebClient, control: httpx.AsyncClient
) -> None:
    posted = await slack.chat_postMessage(channel=SMS_LOG, text="oops")
    deleted = await slack.chat_delete(channel=SMS_LOG, ts=posted["ts"])
    assert (deleted["channel"], deleted["ts"]) == (SMS_LOG, posted["ts"])
    assert await channel_messages(control, SMS_LOG) == []


# -- reactions.add


async def test_a_reaction_is_added_once_and_a_second_time_is_already_reacted(
    slack: AsyncWebClient, control: httpx.AsyncClient
) -> None:
    posted = await slack.chat_postMessage(channel=SMS_LOG, text="delivered")
    assert (await slack.reactions_add(channel=SMS_LOG, timestamp=posted["ts"], name="white_check_mark"))["ok"]
    again = slack.reactions_add(channel=SMS_LOG, timestamp=posted["ts"], name="white_check_mark")
    assert await slack_error(again) == "already_reacted"
    [kept] = await channel_messages(control, SMS_LOG)
    assert kept["reactions"] == [{"name": "white_check_mark", "users": [BOT], "count": 1}]


async def test_a_reaction_name_with_colons_or_on_no_message_is_refused(slack: AsyncWebClient) -> None:
    posted = await slack.chat_postMessage(channel=SMS_LOG, text="delivered")
    assert await slack_error(slack.reactions_add(channel=SMS_LOG, timestamp=posted["ts"], name=":+1:")) == (
        "invalid_name"
    )
    assert await slack_error(slack.reactions_add(channel=SMS_LOG, timestamp="1.000001", name="eyes")) == (
        "message_not_found"
    )


# -- conversations.*


async def test_conversations_list_pages_through_public_channels_with_next_cursor(
    slack: AsyncWebClient,
) -> None:
    seen: list[str] = []
    pages = 0
    cursor = None
    while True:
        page = await slack.conversations_list(limit=2, cursor=cursor)
        pages += 1
        seen += [channel["id"] for channel in page["channels"]]
        cursor = page["response_metadata"]["next_cursor"]
        if not cursor:
            break
    assert seen == [GENERAL, SMS_LOG, RANDOM, OLD_NEWS]
    assert pages == 2


async def test_conversations_list_filters_by_type_and_archived(slack: AsyncWebClient) -> None:
    private = await slack.conversations_list(types="private_channel")
    assert [channel["name"] for channel in private["channels"]] == ["ops-team"]
    assert private["channels"][0]["is_private"] is True
    current = await slack.conversations_list(
        types=["public_channel", "private_channel"], exclude_archived=True
    )
    assert [channel["name"] for channel in current["channels"]] == [
        "general",
        "sms-log",
        "random",
        "ops-team",
    ]
    assert [channel["is_member"] for channel in current["channels"]] == [True, True, False, True]


async def test_a_made_up_cursor_is_invalid(slack: AsyncWebClient) -> None:
    assert await slack_error(slack.conversations_list(cursor="bm9wZQ==")) == "invalid_cursor"


async def test_creating_a_channel_puts_the_bot_in_it_and_a_second_time_the_name_is_taken(
    slack: AsyncWebClient,
) -> None:
    created = await slack.conversations_create(name="sms-alerts")
    channel = created["channel"]
    assert (channel["name"], channel["is_member"], channel["is_private"], channel["creator"]) == (
        "sms-alerts",
        True,
        False,
        BOT,
    )
    assert (await slack.chat_postMessage(channel=channel["id"], text="ready"))["ok"]
    assert await slack_error(slack.conversations_create(name="sms-alerts")) == "name_taken"


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("SMS Alerts", "invalid_name_specials"),
        ("---", "invalid_name_punctuation"),
        ("a" * 81, "invalid_name_maxlength"),
    ],
)
async def test_a_channel_name_slack_would_refuse_is_refused(
    slack: AsyncWebClient, name: str, error: str
) -> None:
    assert await slack_error(slack.conversations_create(name=name)) == error


async def test_inviting_a_person_adds_them_to_the_channel(slack: AsyncWebClient) -> None:
    invited = await slack.conversations_invite(channel=SMS_LOG, users=[GRACE, ALAN])
    assert invited["channel"]["num_members"] == 4


@pytest.mark.parametrize(
    ("channel", "users", "error"),
    [
        (SMS_LOG, ["U0NOBODY"], "user_not_found"),
        (SMS_LOG, [ADA], "already_in_channel"),
        (RANDOM, [GRACE], "not_in_channel"),
        ("C0NOTHERE", [GRACE], "channel_not_found"),
    ],
)
async def test_an_invitation_slack_would_refuse_is_refused(
    slack: AsyncWebClient, channel: str, users: list[str], error: str
) -> None:
    assert await slack_error(slack.conversations_invite(channel=channel, users=users)) == error


async def test_setting_a_topic_shows_on_the_channel(slack: AsyncWebClient) -> None:
    answered = await slack.conversations_setTopic(channel=SMS_LOG, topic="Every SMS Switchboard sends")
    assert answered["channel"]["topic"]["value"] == "Every SMS Switchboard sends"
    assert answered["channel"]["topic"]["creator"] == BOT
    assert await slack_error(slack.conversations_setTopic(channel=SMS_LOG, topic="x" * 251)) == "too_long"
    assert await slack_error(slack.conversations_setTopic(channel=OLD_NEWS, topic="x")) == "is_archived"


async def test_joining_a_public_channel_lets_the_bot_post_there(slack: AsyncWebClient) -> None:
    joined = await slack.conversations_join(channel=RANDOM)
    assert joined["channel"]["is_member"] is True
    assert (await slack.chat_postMessage(channel="#random", text="hello"))["ok"]


# -- users.*


async def test_a_person_is_found_by_email_and_by_id(slack: AsyncWebClient) -> None:
    found = await slack.users_lookupByEmail(email="Ada@Example.com")
    assert (found["user"]["id"], found["user"]["profile"]["email"]) == (ADA, "ada@example.com")
    info = await slack.users_info(user=GRACE)
    assert (info["user"]["name"], info["user"]["real_name"], info["user"]["is_bot"]) == (
        "grace",
        "Grace Hopper",
        False,
    )


async def test_an_unknown_email_or_user_is_not_found(slack: AsyncWebClient) -> None:
    assert await slack_error(slack.users_lookupByEmail(email="nobody@example.com")) == "users_not_found"
    assert await slack_error(slack.users_info(user="U0NOBODY")) == "user_not_found"


async def test_a_person_added_through_the_controls_can_be_looked_up(
    slack: AsyncWebClient, control: httpx.AsyncClient
) -> None:
    added = await control.post(
        "/users", json={"name": "linus", "real_name": "Linus T", "email": "linus@example.com"}
    )
    assert added.status_code == 201
    found = await slack.users_lookupByEmail(email="linus@example.com")
    assert found["user"]["id"] == added.json()["id"]


# -- files upload v2


async def test_files_upload_v2_shares_the_file_in_the_channel(
    slack: AsyncWebClient, control: httpx.AsyncClient
) -> None:
    uploaded = await slack.files_upload_v2(
        channel=SMS_LOG,
        content="to,status\n+447700900123,delivered\n",
        filename="report.csv",
        title="Delivery report",
        initial_comment="Today's deliveries",
    )
    file = uploaded["file"]
    assert (file["name"], file["title"], file["mimetype"], file["size"]) == (
        "report.csv",
        "Delivery report",
        "text/csv",
        34,
    )
    assert file["shares"]["public"][SMS_LOG][0]["channel_name"] == "sms-log"
    [message] = await channel_messages(control, SMS_LOG)
    assert message["text"] == "Today's deliveries"
    assert [shared["id"] for shared in message["files"]] == [file["id"]]
    downloaded = await control.get(file["url_private"])
    assert downloaded.content == b"to,status\n+447700900123,delivered\n"


async def test_an_upload_may_also_be_sent_as_multipart(
    slack: AsyncWebClient, control: httpx.AsyncClient
) -> None:
    reserved = await slack.files_getUploadURLExternal(filename="note.txt", length=5)
    uploaded = await control.post(
        reserved["upload_url"], files={"file": ("note.txt", b"hello", "text/plain")}
    )
    assert (uploaded.status_code, uploaded.text) == (200, "OK - 5")
    completed = await slack.files_completeUploadExternal(files=[{"id": reserved["file_id"], "title": "Note"}])
    assert (completed["files"][0]["title"], completed["files"][0]["size"]) == ("Note", 5)


async def test_the_simulator_mounted_under_a_prefix_hands_out_upload_urls_under_it() -> None:
    outer = FastAPI()
    outer.mount("/slack", create_slack_app())
    with serving(outer) as base_url:
        client = AsyncWebClient(token=DEFAULT_BOT_TOKEN, base_url=f"{base_url}/slack/api/")
        reserved = await client.files_getUploadURLExternal(filename="a.txt", length=1)
        assert reserved["upload_url"].startswith(f"{base_url}/slack/sim/slack/upload/v1/")
        uploaded = await client.files_upload_v2(channel=GENERAL, content="a", filename="a.txt")
        assert uploaded["file"]["size"] == 1


async def test_uploading_to_a_channel_the_bot_is_not_in_is_denied(slack: AsyncWebClient) -> None:
    upload = slack.files_upload_v2(channel=RANDOM, content=b"\x89PNG", filename="chart.png")
    assert await slack_error(upload) == "posting_to_channel_denied"


async def test_completing_an_upload_that_never_happened_is_file_not_found(slack: AsyncWebClient) -> None:
    reserved = await slack.files_getUploadURLExternal(filename="a.txt", length=3)
    completion = slack.files_completeUploadExternal(files=[{"id": reserved["file_id"]}], channel_id=SMS_LOG)
    assert await slack_error(completion) == "file_not_found"


# -- rate limits


async def test_a_forced_429_is_waited_out_and_the_message_is_posted_exactly_once(
    api_url: str, control: httpx.AsyncClient
) -> None:
    forced = await control.post("/rate-limits/chat.postMessage/force", json={"times": 1, "retry_after": 1})
    forced.raise_for_status()
    patient = AsyncWebClient(
        token=DEFAULT_BOT_TOKEN,
        base_url=api_url,
        retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=1)],
    )
    started = time.monotonic()
    posted = await patient.chat_postMessage(channel=SMS_LOG, text="only once")
    assert posted["ok"]
    assert time.monotonic() - started >= 1.0
    assert [message["text"] for message in await channel_messages(control, SMS_LOG)] == ["only once"]
    calls = (await control.get("/calls", params={"method": "chat.postMessage"})).json()
    assert [(call["status_code"], call["error"]) for call in calls] == [(429, "ratelimited"), (200, None)]


async def test_without_a_retry_handler_a_429_is_an_error_with_retry_after(
    slack: AsyncWebClient, workspace: SlackSimState
) -> None:
    workspace.rate_limiter.force_refusals("chat.postMessage", times=1, retry_after=7)
    with pytest.raises(SlackApiError) as refused:
        await slack.chat_postMessage(channel=SMS_LOG, text="hi")
    assert refused.value.response.status_code == 429
    assert refused.value.response["error"] == "ratelimited"
    assert refused.value.response.headers["Retry-After"] == "7"


async def test_a_method_over_its_tier_limit_is_refused_until_the_window_passes(
    slack: AsyncWebClient, control: httpx.AsyncClient
) -> None:
    (await control.put("/rate-limits/users.info", json={"calls": 2, "per_seconds": 60})).raise_for_status()
    await slack.users_info(user=ADA)
    await slack.users_info(user=ADA)
    with pytest.raises(SlackApiError) as refused:
        await slack.users_info(user=ADA)
    assert refused.value.response.status_code == 429
    assert 1 <= int(refused.value.response.headers["Retry-After"]) <= 60


def test_a_rate_limit_window_slides_with_the_clock() -> None:
    now = [1000.0]
    state = SlackSimState(
        rate_limits={"users.info": RateLimit(calls=1, per_seconds=10)}, clock=lambda: now[0]
    )
    assert state.rate_limiter.retry_after("users.info", "xoxb") is None
    now[0] += 4
    assert state.rate_limiter.retry_after("users.info", "xoxb") == 6
    now[0] += 6
    assert state.rate_limiter.retry_after("users.info", "xoxb") is None


async def test_posting_is_limited_per_channel(slack: AsyncWebClient, control: httpx.AsyncClient) -> None:
    limit = {"calls": 1, "per_seconds": 60, "per_channel": True}
    (await control.put("/rate-limits/chat.postMessage", json=limit)).raise_for_status()
    await slack.chat_postMessage(channel="#general", text="one")
    assert (await slack.chat_postMessage(channel="#sms-log", text="other channel"))["ok"]
    assert await slack_error(slack.chat_postMessage(channel=GENERAL, text="two")) == "ratelimited"


# -- Events API


async def test_a_signed_event_verifies_at_the_receiving_app(
    control: httpx.AsyncClient, event_receiver: EventReceiver
) -> None:
    event = {"type": "app_mention", "user": ADA, "text": "<@U00000BOT> status?", "channel": GENERAL}
    sent = await control.post("/events", json={"url": event_receiver.url, "event": event})
    assert sent.json()["attempts"][0]["status_code"] == 200
    [request] = event_receiver.requests
    verify_v0(
        DEFAULT_SIGNING_SECRET,
        request.headers["x-slack-request-timestamp"],
        request.headers["x-slack-signature"],
        request.body,
    )
    assert SignatureVerifier(DEFAULT_SIGNING_SECRET).is_valid_request(request.body, request.headers)
    envelope = request.payload
    assert envelope["type"] == "event_callback"
    assert envelope["event_id"] == sent.json()["event_id"] and envelope["event_id"].startswith("Ev")
    assert (envelope["team_id"], envelope["api_app_id"]) == ("T00000SIM", "A00000SIM")
    assert isinstance(envelope["event_time"], int)
    assert envelope["event"]["text"] == "<@U00000BOT> status?" and "event_ts" in envelope["event"]
    assert "x-slack-retry-num" not in request.headers


@pytest.mark.parametrize(
    ("mis_signing", "problem"),
    [
        ({"wrong_secret": True}, SignatureProblem.BAD_SIGNATURE),
        ({"stale_timestamp": True}, SignatureProblem.STALE_TIMESTAMP),
    ],
)
async def test_a_mis_signed_event_fails_verification(
    control: httpx.AsyncClient,
    event_receiver: EventReceiver,
    mis_signing: dict[str, bool],
    problem: SignatureProblem,
) -> None:
    event = {"type": "message", "channel": GENERAL, "user": ADA, "text": "hi"}
    (
        await control.post("/events", json={"url": event_receiver.url, "event": event, **mis_signing})
    ).raise_for_status()
    [request] = event_receiver.requests
    with pytest.raises(InvalidSlackSignature) as refused:
        verify_v0(
            DEFAULT_SIGNING_SECRET,
            request.headers["x-slack-request-timestamp"],
            request.headers["x-slack-signature"],
            request.body,
        )
    assert refused.value.problem is problem


async def test_a_retried_event_keeps_its_event_id_and_says_it_is_a_retry(
    control: httpx.AsyncClient, event_receiver: EventReceiver
) -> None:
    event = {"type": "message", "channel": GENERAL, "user": ADA, "text": "STOP"}
    event_id = (await control.post("/events", json={"url": event_receiver.url, "event": event})).json()[
        "event_id"
    ]
    (await control.post(f"/events/{event_id}/retry", json={"reason": "http_error"})).raise_for_status()
    (await control.post(f"/events/{event_id}/retry")).raise_for_status()
    first, second, third = event_receiver.requests
    assert first.payload == second.payload == third.payload
    assert [
        (r.headers.get("x-slack-retry-num"), r.headers.get("x-slack-retry-reason"))
        for r in event_receiver.requests
    ] == [
        (None, None),
        ("1", "http_error"),
        ("2", "http_timeout"),
    ]
    for request in event_receiver.requests:
        verify_v0(
            DEFAULT_SIGNING_SECRET,
            request.headers["x-slack-request-timestamp"],
            request.headers["x-slack-signature"],
            request.body,
        )


async def test_an_event_can_be_sent_as_a_retry_of_a_given_event_id(
    control: httpx.AsyncClient, event_receiver: EventReceiver
) -> None:
    event = {"type": "message", "channel": GENERAL, "user": ADA, "text": "STOP"}
    request = {"url": event_receiver.url, "event": event, "event_id": "Ev0123456789", "retry_num": 3}
    (await control.post("/events", json=request)).raise_for_status()
    [received] = event_receiver.requests
    assert received.payload["event_id"] == "Ev0123456789"
    assert (received.headers["x-slack-retry-num"], received.headers["x-slack-retry-reason"]) == (
        "3",
        "http_timeout",
    )


async def test_url_verification_sends_a_signed_challenge_and_checks_the_echo(
    control: httpx.AsyncClient, event_receiver: EventReceiver
) -> None:
    answered = await control.post("/events", json={"url": event_receiver.url, "type": "url_verification"})
    assert answered.json()["challenge_echoed"] is True
    [request] = event_receiver.requests
    assert request.payload == {
        "token": "sim-verification-token",
        "challenge": answered.json()["challenge"],
        "type": "url_verification",
    }
    verify_v0(
        DEFAULT_SIGNING_SECRET,
        request.headers["x-slack-request-timestamp"],
        request.headers["x-slack-signature"],
        request.body,
    )


async def test_a_person_posting_in_a_channel_sends_the_app_a_message_event(
    control: httpx.AsyncClient, event_receiver: EventReceiver
) -> None:
    said = await control.post(
        "/channels/sms-log/messages",
        json={"user": ADA, "text": "Resend to +447700900123", "deliver_to": event_receiver.url},
    )
    assert said.status_code == 201
    [request] = event_receiver.requests
    event = request.payload["event"]
    assert (event["type"], event["channel"], event["user"], event["text"]) == (
        "message",
        SMS_LOG,
        ADA,
        "Resend to +447700900123",
    )
    assert event["ts"] == said.json()["message"]["ts"]


# -- controls


async def test_reset_forgets_what_was_sent(slack: AsyncWebClient, control: httpx.AsyncClient) -> None:
    await slack.chat_postMessage(channel=GENERAL, text="hello")
    (await control.post("/reset")).raise_for_status()
    assert await channel_messages(control, GENERAL) == []
    assert (await control.get("/calls")).json() == []


async def test_the_workspace_view_shows_what_to_configure_switchboard_with(
    control: httpx.AsyncClient,
) -> None:
    view = (await control.get("/workspace")).json()
    assert view["tokens"] == [{"token": DEFAULT_BOT_TOKEN, "user_id": BOT}]
    assert view["signing_secret"] == DEFAULT_SIGNING_SECRET
    assert [channel["name"] for channel in view["channels"]] == [
        "general",
        "sms-log",
        "random",
        "old-announcements",
        "ops-team",
    ]


async def test_an_unknown_channel_in_the_controls_is_a_404_with_a_reason(control: httpx.AsyncClient) -> None:
    answered = await control.get("/channels/nope")
    assert answered.status_code == 404
    assert answered.json()["error"]["code"] == "channel_not_found"
