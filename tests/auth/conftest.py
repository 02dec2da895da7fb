"""Fixtures for authentication tests: small connectors with secrets, a key box, users of every role."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from pydantic import Field, HttpUrl

from switchboard.auth.authentications import AuthenticationStore
from switchboard.auth.encryption import SecretBox
from switchboard.auth.roles import Role
from switchboard.auth.users import User, create_user
from switchboard.connectors.base import AuthFields, Connector, Context, Input, Output, Secret
from switchboard.connectors.registry import Registry
from switchboard.errors import ProviderError
from switchboard.settings import Settings
from switchboard.store.database import Database

AUTH_ID = "MAXXXXXXXXXXXXXXXXXX"
AUTH_TOKEN = "tok-Zq9vS3cr3tValue-4711"


class SmsAuth(AuthFields):
    """Plivo-like: an account id that is not secret, a token that is."""

    auth_id: str = Field(pattern=r"^[MS]A[A-Z0-9]{18}$")
    auth_token: Secret
    base_url: HttpUrl = HttpUrl("https://api.example.com")
    messages_per_second: float = 5.0


class Account(Output):
    account: str
    request: str


sms = Connector("sms", title="SMS Provider", auth=SmsAuth)


@sms.test
async def get_account(ctx: Context[SmsAuth]) -> Account:
    """Refuses the token `wrong`, repeating it in the error as careless providers do."""
    if ctx.auth.auth_token == "wrong":
        raise ProviderError(
            f"401: token {ctx.auth.auth_token} is not valid for {ctx.auth.auth_id}", status=401
        )
    return Account(account=ctx.auth.auth_id, request=f"Basic {ctx.auth.auth_token}")


class Send(Input):
    text: str


class Sent(Output):
    sent_by: str
    request: str


@sms.operation("send", title="Send", repeat_safe=True)
async def send(data: Send, ctx: Context[SmsAuth]) -> Sent:
    """Echoes the credentials it was given, as a request log would, for the journal to redact."""
    return Sent(
        sent_by=ctx.auth.auth_id, request=f"Authorization: Basic {ctx.auth.auth_token} text={data.text}"
    )


class ChatAuth(AuthFields):
    token: Secret


chat = Connector("chat", title="Chat", auth=ChatAuth)

REGISTRY = Registry([sms, chat])


def sms_fields(token: str = AUTH_TOKEN, **extra: object) -> dict[str, object]:
    return {"auth_id": AUTH_ID, "auth_token": token, **extra}


@pytest.fixture(autouse=True)
def no_secret_key_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests use the key file in their own home unless they set SWITCHBOARD_SECRET_KEY themselves."""
    monkeypatch.delenv("SWITCHBOARD_SECRET_KEY", raising=False)


@pytest.fixture
def box() -> SecretBox:
    return SecretBox.from_settings(Settings())


@pytest.fixture
def store(database: Database, box: SecretBox) -> AuthenticationStore:
    return AuthenticationStore(database, box, REGISTRY)


@dataclass(frozen=True)
class Team:
    owner: User
    admin: User
    alice: User
    bob: User
    viewer: User


@pytest.fixture
def team(database: Database) -> Team:
    return Team(
        owner=create_user(database, "olga", Role.OWNER),
        admin=create_user(database, "adam", Role.ADMIN),
        alice=create_user(database, "alice", Role.MEMBER),
        bob=create_user(database, "bob", Role.MEMBER),
        viewer=create_user(database, "vera", Role.VIEWER),
    )
