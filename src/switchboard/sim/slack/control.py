"""``/sim/slack/...``: the simulator's own controls, for tests and the sandbox view.

Read what was sent (channels and their messages, files, the call log), shape the workspace (users,
channels, tokens, secrets, rate limits, forced 429s), play a person posting in a channel, and send
signed Events API requests to a Switchboard trigger URL. Errors use Switchboard's REST shape
``{"error": {"code": ..., "message": ...}}``.
"""

from dataclasses import asdict
from typing import Any, Literal

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from .events import RetryReason, echoes_challenge
from .rate_limits import RateLimit
from .state import Channel, JsonObject, Message, SlackSimState
from .subscriptions import message_event, retry_event, send_event, verify_url


class WorkspaceSettings(BaseModel):
    """Secrets of the simulated app that a test may change."""

    signing_secret: str | None = Field(default=None, min_length=1)
    verification_token: str | None = Field(default=None, min_length=1)


class NewUser(BaseModel):
    """A person to add to the workspace."""

    name: str = Field(min_length=1)
    real_name: str | None = None
    email: str | None = None
    is_admin: bool = False
    id: str | None = Field(default=None, pattern=r"^[UW][A-Z0-9]{2,}$")


class NewChannel(BaseModel):
    """A channel to add to the workspace, with or without the bot in it."""

    name: str = Field(min_length=1, max_length=80)
    is_private: bool = False
    is_archived: bool = False
    bot_is_member: bool = True
    members: list[str] = Field(default_factory=list)
    topic: str = ""
    id: str | None = Field(default=None, pattern=r"^[CG][A-Z0-9]{2,}$")


class NewToken(BaseModel):
    """Another token the workspace accepts, acting for a member (the bot by default)."""

    token: str = Field(min_length=1)
    user_id: str | None = None


class RateLimitSetting(BaseModel):
    """A method's limit: at most ``calls`` within any ``per_seconds``."""

    calls: int = Field(ge=1)
    per_seconds: float = Field(default=60.0, gt=0)
    per_channel: bool = False


class ForcedRateLimit(BaseModel):
    """Answer the next ``times`` calls of a method with 429 and ``Retry-After: retry_after``."""

    times: int = Field(default=1, ge=1)
    retry_after: int = Field(default=1, ge=0)


class PersonMessage(BaseModel):
    """A person posting in a channel; with ``deliver_to``, the app is sent the ``message`` event."""

    user: str
    text: str = Field(min_length=1)
    thread_ts: str | None = None
    deliver_to: str | None = None


class EventRequest(BaseModel):
    """An Events API request to send to a Switchboard trigger URL."""

    url: str = Field(pattern=r"^https?://")
    type: Literal["event_callback", "url_verification"] = "event_callback"
    event: dict[str, Any] | None = None
    event_id: str | None = None
    challenge: str | None = None
    wrong_secret: bool = False
    stale_timestamp: bool = False
    retry_num: int | None = Field(default=None, ge=1)
    retry_reason: RetryReason = "http_timeout"


class RetryRequest(BaseModel):
    """Why Slack is retrying (sent as ``X-Slack-Retry-Reason``)."""

    reason: RetryReason = "http_timeout"


def _problem(status_code: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status_code)


def _channel_summary(workspace: SlackSimState, channel: Channel) -> JsonObject:
    return {
        "id": channel.id,
        "name": channel.name,
        "is_private": channel.is_private,
        "is_archived": channel.is_archived,
        "bot_is_member": channel.has_member(workspace.bot.id),
        "members": list(channel.members),
        "topic": channel.topic.value,
        "message_count": len(channel.messages),
    }


def _sandbox_message(channel: Channel, message: Message) -> JsonObject:
    """A message as the sandbox shows it: Slack's shape plus how it was asked to unfurl."""
    shown = channel.message_to_api(message)
    shown["channel"] = channel.id
    if message.unfurl_links is not None:
        shown["unfurl_links"] = message.unfurl_links
    if message.unfurl_media is not None:
        shown["unfurl_media"] = message.unfurl_media
    return shown


def _workspace_view(workspace: SlackSimState) -> JsonObject:
    return {
        "team": {"id": workspace.team.id, "name": workspace.team.name, "url": workspace.team.url},
        "app": {
            "api_app_id": workspace.app.api_app_id,
            "bot_user_id": workspace.bot.id,
            "bot_id": workspace.bot.bot_id,
        },
        "tokens": [{"token": token, "user_id": user_id} for token, user_id in workspace.tokens.items()],
        "signing_secret": workspace.signing_secret,
        "verification_token": workspace.verification_token,
        "users": [user.to_api() for user in workspace.users.values()],
        "channels": [_channel_summary(workspace, channel) for channel in workspace.channels.values()],
    }


def control_router(workspace: SlackSimState) -> APIRouter:
    """The ``/sim/slack`` control routes, bound to one workspace."""
    router = APIRouter(prefix="/sim/slack", tags=["Slack simulator: controls"])

    @router.get("/workspace")
    async def show_workspace() -> JsonObject:
        """Team, app, tokens, signing secret, users and channels: what to configure Switchboard with."""
        return _workspace_view(workspace)

    @router.patch("/workspace")
    async def change_workspace(settings: WorkspaceSettings) -> JsonObject:
        """Change the app's signing secret or verification token."""
        if settings.signing_secret is not None:
            workspace.signing_secret = settings.signing_secret
        if settings.verification_token is not None:
            workspace.verification_token = settings.verification_token
        return _workspace_view(workspace)

    @router.post("/reset")
    async def reset() -> JsonObject:
        """Forget every message, file, call and event; back to the starting workspace."""
        workspace.reset()
        return _workspace_view(workspace)

    @router.get("/users")
    async def list_users() -> list[JsonObject]:
        """Every member, in Slack's user shape."""
        return [user.to_api() for user in workspace.users.values()]

    @router.post("/users", status_code=201, response_model=None)
    async def add_user(new_user: NewUser) -> JsonObject | JSONResponse:
        """Add a person (findable by ``users.info`` and ``users.lookupByEmail``)."""
        if new_user.id is not None and new_user.id in workspace.users:
            return _problem(409, "user_exists", f"a user with id {new_user.id} already exists")
        user = workspace.add_user(
            new_user.name,
            new_user.real_name or new_user.name,
            email=new_user.email,
            user_id=new_user.id,
            is_admin=new_user.is_admin,
        )
        return user.to_api()

    @router.post("/tokens", status_code=201, response_model=None)
    async def add_token(new_token: NewToken) -> JsonObject | JSONResponse:
        """Accept another token, acting for a member (the bot if no ``user_id``)."""
        user_id = new_token.user_id or workspace.bot.id
        if user_id not in workspace.users:
            return _problem(404, "user_not_found", f"no user {user_id} in the simulated workspace")
        workspace.add_token(new_token.token, user_id)
        return {"token": new_token.token, "user_id": user_id}

    @router.get("/channels")
    async def list_channels() -> list[JsonObject]:
        """Every channel, private and archived ones included, with its message count."""
        return [_channel_summary(workspace, channel) for channel in workspace.channels.values()]

    @router.post("/channels", status_code=201, response_model=None)
    async def add_channel(new_channel: NewChannel) -> JsonObject | JSONResponse:
        """Add a channel, with the bot in it unless ``bot_is_member`` is false."""
        if workspace.find_channel(new_channel.name) is not None:
            return _problem(409, "name_taken", f"a channel named #{new_channel.name} already exists")
        unknown = [user_id for user_id in new_channel.members if user_id not in workspace.users]
        if unknown:
            return _problem(404, "user_not_found", f"no such users: {', '.join(unknown)}")
        members = [workspace.bot.id] if new_channel.bot_is_member else []
        channel = workspace.add_channel(
            new_channel.name,
            members=[*members, *new_channel.members],
            channel_id=new_channel.id,
            is_private=new_channel.is_private,
            is_archived=new_channel.is_archived,
            topic=new_channel.topic,
        )
        return _channel_summary(workspace, channel)

    @router.get("/channels/{reference}", response_model=None)
    async def show_channel(reference: str) -> JsonObject | JSONResponse:
        """A channel (by id or name) and all its messages, oldest first, thread replies included."""
        channel = workspace.find_channel(reference)
        if channel is None:
            return _problem(404, "channel_not_found", f"no channel {reference!r} in the simulated workspace")
        return {
            "channel": _channel_summary(workspace, channel),
            "messages": [_sandbox_message(channel, message) for message in channel.messages],
        }

    @router.post("/channels/{reference}/messages", status_code=201, response_model=None)
    async def post_as_person(reference: str, posted: PersonMessage) -> JsonObject | JSONResponse:
        """A person says something in a channel; optionally the app receives the ``message`` event."""
        channel = workspace.find_channel(reference)
        if channel is None:
            return _problem(404, "channel_not_found", f"no channel {reference!r} in the simulated workspace")
        if posted.user not in workspace.users:
            return _problem(404, "user_not_found", f"no user {posted.user} in the simulated workspace")
        message = Message(
            ts=workspace.next_ts(),
            channel_id=channel.id,
            team_id=workspace.team.id,
            user=posted.user,
            text=posted.text,
            thread_ts=posted.thread_ts,
        )
        channel.messages.append(message)
        answer: JsonObject = {"message": _sandbox_message(channel, message), "delivery": None}
        if posted.deliver_to is not None:
            delivery = await send_event(workspace, posted.deliver_to, message_event(channel, message))
            answer["delivery"] = delivery.to_api()
        return answer

    @router.get("/files")
    async def list_files() -> list[JsonObject]:
        """Every file reserved or uploaded, in Slack's file shape."""
        return [uploaded.to_api() for uploaded in workspace.files.values()]

    @router.get("/calls")
    async def list_calls(method: str | None = None) -> list[JsonObject]:
        """The Web API calls received, oldest first, optionally of one method."""
        return [call.to_api() for call in workspace.calls if method is None or call.method == method]

    @router.get("/rate-limits")
    async def list_rate_limits() -> JsonObject:
        """Each method's limit."""
        return {
            method: {"calls": limit.calls, "per_seconds": limit.per_seconds, "per_channel": limit.per_channel}
            for method, limit in workspace.rate_limiter.limits.items()
        }

    @router.put("/rate-limits/{method}")
    async def set_rate_limit(method: str, setting: RateLimitSetting) -> JsonObject:
        """Change one method's limit (tests set a low one)."""
        workspace.rate_limiter.set_limit(
            method, RateLimit(setting.calls, setting.per_seconds, setting.per_channel)
        )
        return {"method": method, **setting.model_dump()}

    @router.delete("/rate-limits/{method}", status_code=204)
    async def remove_rate_limit(method: str) -> Response:
        """Let a method be called without limit."""
        workspace.rate_limiter.set_limit(method, None)
        return Response(status_code=204)

    @router.post("/rate-limits/{method}/force")
    async def force_rate_limit(method: str, forced: ForcedRateLimit) -> JsonObject:
        """Answer the next calls of a method with 429, whatever its limit."""
        workspace.rate_limiter.force_refusals(method, forced.times, forced.retry_after)
        return {"method": method, **forced.model_dump()}

    @router.get("/events")
    async def list_events() -> list[JsonObject]:
        """Every event sent, with each attempt and what the receiver answered."""
        return [delivery.to_api() for delivery in workspace.deliveries.values()]

    @router.post("/events", response_model=None)
    async def post_event(request: EventRequest) -> JsonObject | JSONResponse:
        """Send a signed Events API request (an event, or the ``url_verification`` handshake) to a URL."""
        if request.type == "url_verification":
            challenge, attempt = await verify_url(
                workspace,
                request.url,
                request.challenge,
                wrong_secret=request.wrong_secret,
                stale_timestamp=request.stale_timestamp,
            )
            return {
                "challenge": challenge,
                "challenge_echoed": echoes_challenge(attempt, challenge),
                **asdict(attempt),
            }
        if request.event is None:
            return _problem(
                422, "event_missing", 'an event_callback needs an \'event\' object, e.g. {"type": "message"}'
            )
        delivery = await send_event(
            workspace,
            request.url,
            request.event,
            event_id=request.event_id,
            wrong_secret=request.wrong_secret,
            stale_timestamp=request.stale_timestamp,
            retry_num=request.retry_num,
            retry_reason=request.retry_reason if request.retry_num is not None else None,
        )
        return delivery.to_api()

    @router.post("/events/{event_id}/retry", response_model=None)
    async def retry(event_id: str, request: RetryRequest | None = None) -> JsonObject | JSONResponse:
        """Send an event again as Slack's next retry: same ``event_id``, ``X-Slack-Retry-Num`` + 1."""
        delivery = await retry_event(workspace, event_id, (request or RetryRequest()).reason)
        if delivery is None:
            return _problem(404, "event_not_found", f"no event {event_id} was sent by this simulator")
        return delivery.to_api()

    return router
