"""`switchboard secrets rotate`: a new key, every authentication re-encrypted, the old key dropped."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken

from switchboard.auth.authentications import AuthenticationStore, Scope
from switchboard.auth.encryption import SecretBox
from switchboard.auth.rotation import rotate_keys
from switchboard.settings import Settings
from switchboard.store.database import Database
from switchboard.store.tables import authentications

from .conftest import REGISTRY, Team, sms_fields


def stored_tokens(database: Database) -> dict[str, str]:
    with database.engine.connect() as connection:
        rows = connection.execute(sa.select(authentications.c.name, authentications.c.secrets)).all()
    return {row.name: row.secrets for row in rows}


def add_three(store: AuthenticationStore, team: Team) -> None:
    store.create(team.alice, connector="sms", name="Alice SMS", fields=sms_fields("alice-token"))
    store.create(team.bob, connector="sms", name="Bob SMS", fields=sms_fields("bob-token"))
    store.create(
        team.admin, connector="chat", name="Team chat", fields={"token": "xoxb-1"}, scope=Scope.ORGANISATIONAL
    )


def test_rotation_re_encrypts_every_authentication_with_a_new_key_and_drops_the_old(
    database: Database, store: AuthenticationStore, team: Team, switchboard_home: Path
) -> None:
    add_three(store, team)
    key_file = switchboard_home / "secret.key"
    [old_key] = key_file.read_text().split()
    before = stored_tokens(database)

    rotation = rotate_keys(database, Settings())

    [new_key] = key_file.read_text().split()
    assert new_key != old_key
    assert rotation.reencrypted == 3
    assert "re-encrypted 3 authentications" in rotation.message
    after = stored_tokens(database)
    for name, token in after.items():
        assert token != before[name]
        Fernet(new_key).decrypt(token.encode())
        with pytest.raises(InvalidToken):
            Fernet(old_key).decrypt(token.encode())


def test_a_box_created_before_the_rotation_still_decrypts_after_it(
    database: Database, store: AuthenticationStore, team: Team
) -> None:
    add_three(store, team)
    running_server_box = store.box
    assert store.get("Alice SMS", team.alice).secrets == {"auth_token": "alice-token"}

    rotate_keys(database, Settings())

    assert store.get("Alice SMS", team.alice).secrets == {"auth_token": "alice-token"}
    assert store.get("Team chat", team.bob).secrets == {"token": "xoxb-1"}
    assert store.box is running_server_box


def test_a_box_created_before_the_rotation_encrypts_with_the_new_key_after_it(
    database: Database, store: AuthenticationStore, team: Team, switchboard_home: Path
) -> None:
    add_three(store, team)
    rotate_keys(database, Settings())
    created = store.create(team.alice, connector="sms", name="Later", fields=sms_fields("later-token"))
    [new_key] = (switchboard_home / "secret.key").read_text().split()
    Fernet(new_key).decrypt(stored_tokens(database)[created.name].encode())


def test_rotating_twice_keeps_every_secret(
    database: Database, store: AuthenticationStore, team: Team
) -> None:
    add_three(store, team)
    rotate_keys(database, Settings())
    rotate_keys(database, Settings())
    fresh = AuthenticationStore(database, SecretBox.from_settings(Settings()), REGISTRY)
    assert fresh.get("Bob SMS", team.bob).secrets == {"auth_token": "bob-token"}


def test_with_the_variable_rotation_re_encrypts_with_its_first_key_and_says_how_to_change_it(
    database: Database, team: Team, monkeypatch: pytest.MonkeyPatch, switchboard_home: Path
) -> None:
    old, new = Fernet.generate_key(), Fernet.generate_key()
    monkeypatch.setenv("SWITCHBOARD_SECRET_KEY", old.decode())
    store = AuthenticationStore(database, SecretBox.from_settings(Settings()), REGISTRY)
    add_three(store, team)

    advice = rotate_keys(database, Settings())
    assert advice.key_file is None
    assert "put it first in the variable" in advice.message
    assert "switchboard secrets generate-key" in advice.message

    monkeypatch.setenv("SWITCHBOARD_SECRET_KEY", f"{new.decode()},{old.decode()}")
    rotation = rotate_keys(database, Settings())
    assert rotation.reencrypted == 3
    assert "you may now remove the other keys" in rotation.message
    for token in stored_tokens(database).values():
        Fernet(new).decrypt(token.encode())
    assert not (switchboard_home / "secret.key").exists()
