"""`switchboard user|auth|secrets ...` as an operator types them (mounted on a throwaway app)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from switchboard.auth import commands
from switchboard.auth.errors import Unauthenticated
from switchboard.auth.users import authenticate_token, get_user, list_tokens
from switchboard.settings import Settings
from switchboard.store.database import open_database

from .conftest import AUTH_ID, AUTH_TOKEN, REGISTRY

runner = CliRunner()
app = typer.Typer()
app.add_typer(commands.user_app, name="user")
app.add_typer(commands.auth_app, name="auth")
app.add_typer(commands.secrets_app, name="secrets")


@pytest.fixture(autouse=True)
def test_connectors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(commands, "discover", lambda: REGISTRY)


def invoke(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), input=input)
    return result.exit_code, result.stdout, result.stderr


def test_user_add_prints_the_token_once_alone_on_its_last_line() -> None:
    code, out, _ = invoke("user", "add", "alice", "--role", "admin")
    assert code == 0
    token = out.strip().splitlines()[-1]
    assert token.startswith("sb_") and " " not in token
    database = open_database(Settings().resolved_database_url())
    try:
        user = authenticate_token(database, token)
    finally:
        database.dispose()
    assert (user.name, user.role) == ("alice", "admin")


def test_user_add_twice_is_refused_with_the_reason() -> None:
    invoke("user", "add", "alice")
    code, _, err = invoke("user", "add", "alice")
    assert code == 2
    assert "a user named 'alice' already exists" in err


def test_user_list_shows_names_and_roles() -> None:
    invoke("user", "add", "alice")
    invoke("user", "add", "vera", "--role", "viewer")
    code, out, _ = invoke("user", "list", "--json")
    assert code == 0
    assert [(u["name"], u["role"]) for u in json.loads(out)] == [("alice", "member"), ("vera", "viewer")]


def test_user_token_issues_another_token_and_revoke_refuses_it() -> None:
    first = invoke("user", "add", "alice")[1].strip().splitlines()[-1]
    code, out, _ = invoke("user", "token", "alice", "--label", "ci")
    second = out.strip().splitlines()[-1]
    assert code == 0 and second.startswith("sb_") and second != first
    code, out, _ = invoke("user", "tokens", "alice")
    assert code == 0 and second[:10] in out and second not in out
    database = open_database(Settings().resolved_database_url())
    try:
        [ci] = [t for t in list_tokens(database, get_user(database, "alice").id) if t.label == "ci"]
        assert invoke("user", "revoke", ci.id)[0] == 0
        authenticate_token(database, first)
        with pytest.raises(Unauthenticated):
            authenticate_token(database, second)
    finally:
        database.dispose()


def test_auth_add_stores_the_authentication_and_never_echoes_the_secret() -> None:
    code, out, _ = invoke(
        "auth",
        "add",
        "sms",
        "--name",
        "Plivo Sandbox",
        "--set",
        f"auth_id={AUTH_ID}",
        "--set",
        f"auth_token={AUTH_TOKEN}",
        "--set",
        "messages_per_second:=2",
    )
    assert code == 0, out
    assert "Added personal authentication 'Plivo Sandbox' for sms" in out
    assert AUTH_ID in out and "auth_token: (secret, set)" in out
    assert AUTH_TOKEN not in out
    code, out, _ = invoke("auth", "list", "--json")
    [view] = json.loads(out)
    assert view["fields"] == {"auth_id": AUTH_ID, "messages_per_second": 2.0}
    assert view["secrets_set"] == ["auth_token"]
    assert view["owner"]["name"] == "owner"
    assert AUTH_TOKEN not in out


def test_auth_add_asks_for_a_missing_secret_without_echoing_it() -> None:
    code, out, _ = invoke(
        "auth",
        "add",
        "sms",
        "--name",
        "Plivo",
        "--scope",
        "organisational",
        "--set",
        f"auth_id={AUTH_ID}",
        input="typed-in-secret\n",
    )
    assert code == 0, out
    assert "typed-in-secret" not in out
    assert "Added organisational authentication 'Plivo'" in out


def test_auth_add_with_an_invalid_field_names_it_and_exits_2() -> None:
    code, _, err = invoke(
        "auth", "add", "sms", "--name", "Plivo", "--set", "auth_id=nope", "--set", "auth_token=x"
    )
    assert code == 2
    assert "fields.auth_id: String should match pattern" in err


def test_auth_add_with_a_malformed_set_says_how_to_write_it() -> None:
    code, _, err = invoke("auth", "add", "chat", "--name", "Chat", "--set", "token")
    assert code == 2
    assert "--set token: expected key=value or key:=JSON" in err


def test_auth_list_shows_a_table_without_secrets() -> None:
    invoke("auth", "add", "chat", "--name", "Chat", "--set", "token=xoxb-very-secret")
    code, out, _ = invoke("auth", "list")
    assert code == 0
    assert "Chat" in out and "token" in out
    assert "xoxb-very-secret" not in out


def test_auth_test_reports_success_and_failure_with_the_exit_status() -> None:
    invoke("auth", "add", "sms", "--name", "Good", "--set", f"auth_id={AUTH_ID}", "--set", "auth_token=fine")
    invoke("auth", "add", "sms", "--name", "Bad", "--set", f"auth_id={AUTH_ID}", "--set", "auth_token=wrong")
    assert invoke("auth", "test", "Good") == (
        0,
        f'ok: SMS Provider accepted authentication \'Good\'\n  account: "{AUTH_ID}"\n  request: "Basic [redacted]"\n',
        "",
    )
    code, out, _ = invoke("auth", "test", "Bad")
    assert code == 1
    assert out == f"failed: 401: token [redacted] is not valid for {AUTH_ID}\n"


def test_auth_test_of_an_unknown_name_exits_1_with_the_reason() -> None:
    code, _, err = invoke("auth", "test", "Nope")
    assert (code, err) == (1, "error: no authentication 'Nope'\n")


def test_auth_delete_removes_it() -> None:
    invoke("auth", "add", "chat", "--name", "Chat", "--set", "token=t")
    assert invoke("auth", "delete", "Chat")[0] == 0
    assert json.loads(invoke("auth", "list", "--json")[1]) == []


def test_secrets_rotate_replaces_the_key_and_keeps_authentications_readable(switchboard_home: Path) -> None:
    invoke("auth", "add", "chat", "--name", "Chat", "--set", "token=t")
    old = (switchboard_home / "secret.key").read_text()
    code, out, _ = invoke("secrets", "rotate")
    assert code == 0
    assert "re-encrypted 1 authentication with it; the old key was dropped" in out
    assert (switchboard_home / "secret.key").read_text() != old
    assert invoke("auth", "test", "Chat")[0] == 0


def test_secrets_rotate_with_the_variable_explains_what_to_do(monkeypatch: pytest.MonkeyPatch) -> None:
    key = invoke("secrets", "generate-key")[1].strip()
    monkeypatch.setenv("SWITCHBOARD_SECRET_KEY", key)
    code, out, _ = invoke("secrets", "rotate")
    assert code == 0
    assert "SWITCHBOARD_SECRET_KEY is set, so Switchboard cannot change the key itself" in out
