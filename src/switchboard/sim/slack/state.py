"""The simulated Slack workspace, in memory: team, users, tokens, channels, messages, files, events.

One :class:`SlackSimState` is one workspace with one installed app (the bot). Nothing is global: each
simulator app gets its own state, so tests and the ``switchboard sim`` server never share one by accident.
Objects render themselves in Slack's JSON shapes (``to_api``) so that every method answers alike.
"""

import itertools
import mimetypes
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .events import EventDelivery, SlackApp
from .rate_limits import DEFAULT_RATE_LIMITS, RateLimit, RateLimiter

DEFAULT_BOT_TOKEN = "xoxb-sim-token"
"""The bot token the default workspace accepts (``Authorization: Bearer xoxb-sim-token``)."""
DEFAULT_SIGNING_SECRET = "sim-signing-secret"
"""The signing secret the simulator signs Events API requests with."""
DEFAULT_VERIFICATION_TOKEN = "sim-verification-token"
CALL_LOG_SIZE = 10_000
"""How many Web API calls the call log keeps, so a long-running sandbox does not grow without end."""

TEAM_ID = "T00000SIM"
APP_ID = "A00000SIM"
BOT_ID = "B00000SIM"
BOT_USER_ID = "U00000BOT"

JsonObject = dict[str, Any]


@dataclass
class Team:
    """The workspace itself."""

    id: str
    name: str
    domain: str

    @property
    def url(self) -> str:
        """The workspace URL Slack reports in ``auth.test``."""
        return f"https://{self.domain}.slack.com/"


@dataclass
class User:
    """A member of the workspace: a person, or the app's bot user (which has a ``bot_id``)."""

    id: str
    team_id: str
    name: str
    real_name: str
    email: str | None = None
    is_admin: bool = False
    bot_id: str | None = None
    app_id: str | None = None
    deleted: bool = False
    updated: int = field(default_factory=lambda: int(time.time()))

    @property
    def is_bot(self) -> bool:
        """Whether this is an app's bot user rather than a person."""
        return self.bot_id is not None

    def to_api(self) -> JsonObject:
        """The user object of ``users.info`` and ``users.lookupByEmail``."""
        profile: JsonObject = {
            "real_name": self.real_name,
            "real_name_normalized": self.real_name,
            "display_name": self.name,
            "display_name_normalized": self.name,
            "first_name": self.real_name.split(" ")[0],
            "last_name": " ".join(self.real_name.split(" ")[1:]),
            "title": "",
            "phone": "",
            "status_text": "",
            "status_emoji": "",
            "avatar_hash": "sim",
            "image_48": f"https://avatars.slack-edge.invalid/{self.id}_48.png",
            "team": self.team_id,
        }
        if self.email is not None:
            profile["email"] = self.email
        if self.bot_id is not None:
            profile["bot_id"] = self.bot_id
            profile["api_app_id"] = self.app_id
        return {
            "id": self.id,
            "team_id": self.team_id,
            "name": self.name,
            "deleted": self.deleted,
            "color": "9f69e7",
            "real_name": self.real_name,
            "tz": "Europe/London",
            "tz_label": "Greenwich Mean Time",
            "tz_offset": 0,
            "profile": profile,
            "is_admin": self.is_admin,
            "is_owner": self.is_admin,
            "is_primary_owner": False,
            "is_restricted": False,
            "is_ultra_restricted": False,
            "is_bot": self.is_bot,
            "is_app_user": False,
            "updated": self.updated,
            "has_2fa": False,
        }


@dataclass
class Topic:
    """A channel's topic or purpose: its text, who set it and when."""

    value: str = ""
    creator: str = ""
    last_set: int = 0

    def to_api(self) -> JsonObject:
        """The ``topic``/``purpose`` object of a channel."""
        return {"value": self.value, "creator": self.creator, "last_set": self.last_set}


@dataclass
class Reaction:
    """One emoji on a message and who added it."""

    name: str
    users: list[str]

    def to_api(self) -> JsonObject:
        """The reaction as it appears in a message's ``reactions``."""
        return {"name": self.name, "users": list(self.users), "count": len(self.users)}


@dataclass
class FileShare:
    """Where a file was shared: a message in a channel."""

    channel_id: str
    channel_name: str
    is_private: bool
    ts: str


@dataclass
class UploadedFile:
    """A file from the upload v2 flow: reserved, then uploaded, then completed (and maybe shared)."""

    id: str
    team_id: str
    user: str
    name: str
    title: str
    declared_length: int
    upload_ticket: str
    download_url: str
    created: int
    alt_txt: str | None = None
    snippet_type: str | None = None
    content: bytes | None = None
    completed: bool = False
    shares: list[FileShare] = field(default_factory=list)

    @property
    def mimetype(self) -> str:
        """The media type guessed from the file name, as Slack does."""
        guessed, _ = mimetypes.guess_type(self.name)
        return guessed or "application/octet-stream"

    @property
    def filetype(self) -> str:
        """Slack's short file type: the extension, or ``text`` for a snippet without one."""
        if self.snippet_type:
            return self.snippet_type
        _, dot, extension = self.name.rpartition(".")
        return extension.lower() if dot and extension else "binary"

    def to_api(self) -> JsonObject:
        """The file object of ``files.completeUploadExternal`` and of a message's ``files``."""
        public: dict[str, list[JsonObject]] = {}
        private: dict[str, list[JsonObject]] = {}
        for share in self.shares:
            shared_in = private if share.is_private else public
            shared_in.setdefault(share.channel_id, []).append(
                {
                    "ts": share.ts,
                    "channel_name": share.channel_name,
                    "team_id": self.team_id,
                    "share_user_id": self.user,
                    "reply_users": [],
                    "reply_users_count": 0,
                    "reply_count": 0,
                }
            )
        file: JsonObject = {
            "id": self.id,
            "created": self.created,
            "timestamp": self.created,
            "name": self.name,
            "title": self.title,
            "mimetype": self.mimetype,
            "filetype": self.filetype,
            "pretty_type": self.filetype.upper(),
            "user": self.user,
            "user_team": self.team_id,
            "editable": False,
            "size": len(self.content or b""),
            "mode": "hosted",
            "is_external": False,
            "external_type": "",
            "is_public": bool(public),
            "public_url_shared": False,
            "display_as_bot": False,
            "username": "",
            "url_private": self.download_url,
            "url_private_download": self.download_url,
            "permalink": self.download_url,
            "channels": sorted(public),
            "groups": sorted(private),
            "ims": [],
            "comments_count": 0,
            "has_rich_preview": False,
            "file_access": "visible",
            "shares": {key: value for key, value in (("public", public), ("private", private)) if value},
        }
        if self.alt_txt is not None:
            file["alt_txt"] = self.alt_txt
        return file


@dataclass
class Message:
    """A message in a channel, top level or in a thread, as sent by its author."""

    ts: str
    channel_id: str
    team_id: str
    user: str
    text: str
    blocks: list[JsonObject] | None = None
    attachments: list[JsonObject] | None = None
    thread_ts: str | None = None
    subtype: str | None = None
    bot_id: str | None = None
    app_id: str | None = None
    username: str | None = None
    icons: dict[str, str] | None = None
    files: list[UploadedFile] = field(default_factory=list)
    reactions: list[Reaction] = field(default_factory=list)
    edited: JsonObject | None = None
    metadata: JsonObject | None = None
    unfurl_links: bool | None = None
    unfurl_media: bool | None = None

    @property
    def is_top_level(self) -> bool:
        """Whether the message shows in the channel (not only in a thread)."""
        return self.thread_ts is None or self.thread_ts == self.ts or self.subtype == "thread_broadcast"

    def to_api(self, replies: Iterable["Message"] = (), *, include_metadata: bool = True) -> JsonObject:
        """The message object Slack returns; a thread's parent carries its reply summary.

        ``metadata`` is shown when asked for, as ``conversations.history`` does only with
        ``include_all_metadata``.
        """
        message: JsonObject = {"type": "message", "text": self.text, "user": self.user, "ts": self.ts}
        optional: JsonObject = {
            "subtype": self.subtype,
            "bot_id": self.bot_id,
            "app_id": self.app_id,
            "username": self.username,
            "icons": self.icons,
            "blocks": self.blocks,
            "attachments": self.attachments,
            "thread_ts": self.thread_ts,
            "edited": self.edited,
            "metadata": self.metadata if include_metadata else None,
        }
        message.update({key: value for key, value in optional.items() if value is not None})
        message["team"] = self.team_id
        if self.bot_id is not None:
            message["bot_profile"] = {
                "id": self.bot_id,
                "app_id": self.app_id,
                "name": self.username or "switchboard",
                "icons": {"image_36": "https://avatars.slack-edge.invalid/bot_36.png"},
                "deleted": False,
                "updated": int(float(self.ts)),
                "team_id": self.team_id,
            }
        if self.files:
            message["files"] = [uploaded.to_api() for uploaded in self.files]
            message["upload"] = True
        if self.reactions:
            message["reactions"] = [reaction.to_api() for reaction in self.reactions]
        thread = list(replies)
        if thread:
            message["thread_ts"] = self.ts
            message["reply_count"] = len(thread)
            message["reply_users"] = list(dict.fromkeys(reply.user for reply in thread))
            message["reply_users_count"] = len(message["reply_users"])
            message["latest_reply"] = thread[-1].ts
        return message


@dataclass
class Channel:
    """A public or private channel and everything said in it, in order."""

    id: str
    team_id: str
    name: str
    creator: str
    created: int
    is_private: bool = False
    is_archived: bool = False
    is_general: bool = False
    members: list[str] = field(default_factory=list)
    topic: Topic = field(default_factory=Topic)
    purpose: Topic = field(default_factory=Topic)
    messages: list[Message] = field(default_factory=list)

    def has_member(self, user_id: str) -> bool:
        """Whether the user is in the channel."""
        return user_id in self.members

    def add_member(self, user_id: str) -> None:
        """Put a user in the channel (once)."""
        if user_id not in self.members:
            self.members.append(user_id)

    def find_message(self, ts: str) -> Message | None:
        """The message with this ``ts``, top level or reply."""
        return next((message for message in self.messages if message.ts == ts), None)

    def replies_to(self, ts: str) -> list[Message]:
        """A thread's replies, oldest first."""
        return [message for message in self.messages if message.thread_ts == ts and message.ts != ts]

    def message_to_api(self, message: Message, *, include_metadata: bool = True) -> JsonObject:
        """A message in Slack's shape, with its thread summary if it starts one."""
        return message.to_api(self.replies_to(message.ts), include_metadata=include_metadata)

    def to_api(self, viewer_id: str) -> JsonObject:
        """The conversation object, as seen by ``viewer_id`` (``is_member`` depends on who asks)."""
        return {
            "id": self.id,
            "name": self.name,
            "is_channel": not self.is_private,
            "is_group": self.is_private,
            "is_im": False,
            "is_mpim": False,
            "is_private": self.is_private,
            "created": self.created,
            "creator": self.creator,
            "is_archived": self.is_archived,
            "is_general": self.is_general,
            "unlinked": 0,
            "name_normalized": self.name,
            "is_shared": False,
            "is_ext_shared": False,
            "is_org_shared": False,
            "pending_shared": [],
            "is_pending_ext_shared": False,
            "is_member": self.has_member(viewer_id),
            "context_team_id": self.team_id,
            "updated": self.created * 1000,
            "topic": self.topic.to_api(),
            "purpose": self.purpose.to_api(),
            "previous_names": [],
            "num_members": len(self.members),
        }


@dataclass
class ApiCall:
    """One Web API call as the simulator saw it: for tests and the sandbox view."""

    method: str
    status_code: int
    ok: bool
    error: str | None
    arguments: JsonObject
    at: float

    def to_api(self) -> JsonObject:
        """The call as the control API lists it."""
        return {
            "method": self.method,
            "status_code": self.status_code,
            "ok": self.ok,
            "error": self.error,
            "arguments": self.arguments,
            "at": self.at,
        }


class SlackSimState:
    """One simulated workspace with the Switchboard app installed in it.

    The default workspace has the bot token :data:`DEFAULT_BOT_TOKEN`, the signing secret
    :data:`DEFAULT_SIGNING_SECRET`, three people (ada, grace, alan) and five channels: ``#general`` and
    ``#sms-log`` (the bot is a member), ``#random`` (it is not: posting gives ``not_in_channel``),
    ``#old-announcements`` (archived) and the private ``#ops-team``.
    """

    def __init__(
        self,
        *,
        bot_token: str = DEFAULT_BOT_TOKEN,
        signing_secret: str = DEFAULT_SIGNING_SECRET,
        verification_token: str = DEFAULT_VERIFICATION_TOKEN,
        rate_limits: Mapping[str, RateLimit] = DEFAULT_RATE_LIMITS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._initial_bot_token = bot_token
        self._initial_signing_secret = signing_secret
        self._initial_verification_token = verification_token
        self._initial_rate_limits = dict(rate_limits)
        self.clock = clock
        self.reset()

    def reset(self) -> None:
        """Forget everything that happened and go back to the workspace this state started with."""
        self.signing_secret = self._initial_signing_secret
        self.verification_token = self._initial_verification_token
        self.team = Team(id=TEAM_ID, name="Switchboard Sandbox", domain="switchboard-sandbox")
        self.users: dict[str, User] = {}
        self.channels: dict[str, Channel] = {}
        self.tokens: dict[str, str] = {}
        self.files: dict[str, UploadedFile] = {}
        self.calls: deque[ApiCall] = deque(maxlen=CALL_LOG_SIZE)
        self.deliveries: dict[str, EventDelivery] = {}
        self.rate_limiter = RateLimiter(self._initial_rate_limits, self.clock)
        self._serial_numbers = itertools.count(1)
        self._last_ts_microseconds = 0
        self._add_default_workspace()

    def _add_default_workspace(self) -> None:
        bot = self.add_user("switchboard", "Switchboard", user_id=BOT_USER_ID, bot_id=BOT_ID, app_id=APP_ID)
        self.add_token(self._initial_bot_token, bot.id)
        ada = self.add_user(
            "ada", "Ada Lovelace", email="ada@example.com", user_id="U00000ADA", is_admin=True
        )
        grace = self.add_user("grace", "Grace Hopper", email="grace@example.com", user_id="U0000GRACE")
        alan = self.add_user("alan", "Alan Turing", email="alan@example.com", user_id="U00000ALAN")
        everyone = [bot.id, ada.id, grace.id, alan.id]
        self.add_channel("general", members=everyone, channel_id="C0GENERAL", is_general=True, creator=ada.id)
        self.add_channel("sms-log", members=[bot.id, ada.id], channel_id="C00SMSLOG", creator=ada.id)
        self.add_channel(
            "random", members=[ada.id, grace.id, alan.id], channel_id="C00RANDOM", creator=ada.id
        )
        self.add_channel(
            "old-announcements", members=everyone, channel_id="C0OLDNEWS", is_archived=True, creator=ada.id
        )
        self.add_channel(
            "ops-team", members=[bot.id, grace.id], channel_id="C00OPSTEAM", is_private=True, creator=grace.id
        )

    # -- identifiers and time

    def new_id(self, prefix: str) -> str:
        """A fresh Slack-looking id (``C0SIM00006``...), unique within this workspace."""
        return f"{prefix}0SIM{next(self._serial_numbers):05d}"

    def now(self) -> int:
        """The workspace clock, in Unix seconds."""
        return int(self.clock())

    def next_ts(self) -> str:
        """A message timestamp: Unix time with microseconds, strictly increasing, as Slack's ``ts``."""
        microseconds = max(int(self.clock() * 1_000_000), self._last_ts_microseconds + 1)
        self._last_ts_microseconds = microseconds
        seconds, fraction = divmod(microseconds, 1_000_000)
        return f"{seconds}.{fraction:06d}"

    # -- configuration

    @property
    def bot(self) -> User:
        """The app's bot user."""
        return self.users[BOT_USER_ID]

    @property
    def app(self) -> SlackApp:
        """The installed app, as the Events API addresses it."""
        return SlackApp(
            team_id=self.team.id,
            api_app_id=self.bot.app_id or APP_ID,
            bot_user_id=self.bot.id,
            verification_token=self.verification_token,
            signing_secret=self.signing_secret,
        )

    def add_user(
        self,
        name: str,
        real_name: str,
        *,
        email: str | None = None,
        user_id: str | None = None,
        is_admin: bool = False,
        bot_id: str | None = None,
        app_id: str | None = None,
    ) -> User:
        """Add a member to the workspace."""
        user = User(
            id=user_id or self.new_id("U"),
            team_id=self.team.id,
            name=name,
            real_name=real_name,
            email=email,
            is_admin=is_admin,
            bot_id=bot_id,
            app_id=app_id,
        )
        self.users[user.id] = user
        return user

    def add_token(self, token: str, user_id: str) -> None:
        """Accept ``token`` as acting for ``user_id`` (a bot token for the bot user, or a user token)."""
        self.tokens[token] = user_id

    def add_channel(
        self,
        name: str,
        *,
        members: Iterable[str] = (),
        channel_id: str | None = None,
        creator: str | None = None,
        is_private: bool = False,
        is_archived: bool = False,
        is_general: bool = False,
        topic: str = "",
    ) -> Channel:
        """Add a channel to the workspace."""
        now = self.now()
        creator_id = creator or BOT_USER_ID
        channel = Channel(
            id=channel_id or self.new_id("C"),
            team_id=self.team.id,
            name=name,
            creator=creator_id,
            created=now,
            is_private=is_private,
            is_archived=is_archived,
            is_general=is_general,
            members=list(dict.fromkeys(members)),
            topic=Topic(topic, creator_id, now if topic else 0),
        )
        self.channels[channel.id] = channel
        return channel

    # -- lookups

    def user_for_token(self, token: str) -> User | None:
        """Who a token acts for, or ``None`` if the workspace does not know the token."""
        user_id = self.tokens.get(token)
        return None if user_id is None else self.users.get(user_id)

    def find_channel(self, reference: str) -> Channel | None:
        """A channel by id (``C0GENERAL``), by ``#name`` or by bare name."""
        if reference in self.channels:
            return self.channels[reference]
        name = reference.removeprefix("#")
        return next((channel for channel in self.channels.values() if channel.name == name), None)

    def find_user_by_email(self, email: str) -> User | None:
        """The member with this email address (case-insensitive), if any."""
        wanted = email.strip().lower()
        return next(
            (
                user
                for user in self.users.values()
                if user.email and user.email.lower() == wanted and not user.deleted
            ),
            None,
        )

    def record_call(self, method: str, status_code: int, body: JsonObject, arguments: JsonObject) -> None:
        """Remember a Web API call and how it was answered."""
        self.calls.append(
            ApiCall(
                method=method,
                status_code=status_code,
                ok=bool(body.get("ok")),
                error=body.get("error"),
                arguments=arguments,
                at=self.clock(),
            )
        )
