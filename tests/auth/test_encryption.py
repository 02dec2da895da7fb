"""Secrets sealed with Fernet keys from the environment or a 0600 key file, and opened again."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from switchboard.auth.encryption import SecretBox
from switchboard.auth.errors import SecretKeyInvalid, SecretsUnreadable
from switchboard.auth.keys import EnvironmentKeys, FixedKeys, KeyFile, load_keys
from switchboard.settings import Settings

KEY = Fernet.generate_key()
FIXED_BOX = SecretBox(FixedKeys([KEY]))


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=200)
@given(st.dictionaries(st.text(), st.text()))
def test_any_set_of_secret_values_comes_back_as_it_went_in(values: dict[str, str]) -> None:
    assert FIXED_BOX.decrypt(FIXED_BOX.encrypt(values)) == values


def test_the_token_does_not_contain_the_secret_values() -> None:
    token = FIXED_BOX.encrypt({"auth_token": "plain-secret-value"})
    assert "plain-secret-value" not in token
    assert "auth_token" not in token


def test_a_key_file_is_created_on_first_use_readable_only_by_its_owner(switchboard_home: Path) -> None:
    box = SecretBox.from_settings(Settings())
    path = switchboard_home / "secret.key"
    assert not path.exists()
    box.encrypt({"token": "x"})
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    [key] = path.read_text().split()
    Fernet(key)


def test_the_key_file_is_kept_between_processes(switchboard_home: Path) -> None:
    token = SecretBox.from_settings(Settings()).encrypt({"token": "x"})
    assert SecretBox.from_settings(Settings()).decrypt(token) == {"token": "x"}


def test_the_secret_key_variable_is_used_instead_of_a_key_file(
    monkeypatch: pytest.MonkeyPatch, switchboard_home: Path
) -> None:
    monkeypatch.setenv("SWITCHBOARD_SECRET_KEY", KEY.decode())
    source = load_keys(Settings())
    assert isinstance(source, EnvironmentKeys)
    token = SecretBox(source).encrypt({"token": "x"})
    assert FIXED_BOX.decrypt(token) == {"token": "x"}
    assert not (switchboard_home / "secret.key").exists()


def test_every_key_of_the_variable_decrypts_and_the_first_encrypts(monkeypatch: pytest.MonkeyPatch) -> None:
    new = Fernet.generate_key()
    old_token = FIXED_BOX.encrypt({"token": "old"})
    monkeypatch.setenv("SWITCHBOARD_SECRET_KEY", f"{new.decode()}, {KEY.decode()}")
    box = SecretBox.from_settings(Settings())
    assert box.decrypt(old_token) == {"token": "old"}
    assert Fernet(new).decrypt(box.encrypt({"token": "new"}).encode())


def test_a_variable_that_is_not_a_fernet_key_is_refused_saying_which_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SWITCHBOARD_SECRET_KEY", f"{KEY.decode()},not-a-key")
    with pytest.raises(SecretKeyInvalid, match="SWITCHBOARD_SECRET_KEY: key 2 of 2 is not a Fernet key"):
        SecretBox.from_settings(Settings()).encrypt({})


def test_secrets_sealed_with_a_lost_key_are_reported_not_returned() -> None:
    token = SecretBox(FixedKeys([Fernet.generate_key()])).encrypt({"token": "x"})
    with pytest.raises(SecretsUnreadable, match="cannot decrypt the secrets of 'Plivo' with the keys"):
        FIXED_BOX.decrypt(token, subject="the secrets of 'Plivo'")


def test_a_box_notices_a_key_file_replaced_by_another_process(tmp_path: Path) -> None:
    key_file = KeyFile(tmp_path / "secret.key")
    box = SecretBox(key_file)
    first = box.encrypt({"token": "x"})
    new = Fernet.generate_key()
    key_file.write([new, *key_file.load()])
    second = box.encrypt({"token": "y"})
    assert Fernet(new).decrypt(second.encode())
    key_file.write([new])
    assert box.decrypt(second) == {"token": "y"}
    with pytest.raises(SecretsUnreadable):
        box.decrypt(first)


def test_a_replaced_key_file_stays_readable_only_by_its_owner(tmp_path: Path) -> None:
    key_file = KeyFile(tmp_path / "secret.key")
    key_file.write([Fernet.generate_key(), KEY])
    assert stat.S_IMODE(key_file.path.stat().st_mode) == 0o600
    assert key_file.load()[1] == KEY
    assert [p.name for p in tmp_path.iterdir()] == ["secret.key"]


class SwappableKeys:
    """A key source whose change cannot be seen from outside, as on a file system with coarse timestamps."""

    description = "the swappable keys"

    def __init__(self, key: bytes) -> None:
        self.keys: tuple[bytes, ...] = (key,)
        self.loads = 0

    def load(self) -> tuple[bytes, ...]:
        self.loads += 1
        return self.keys

    def fingerprint(self) -> object:
        return "always the same"


def test_a_token_that_does_not_open_makes_the_box_read_its_keys_again_once() -> None:
    source = SwappableKeys(KEY)
    box = SecretBox(source)
    box.encrypt({})
    new = Fernet.generate_key()
    source.keys = (new, KEY)
    token = SecretBox(FixedKeys([new])).encrypt({"token": "new"})

    assert box.decrypt(token) == {"token": "new"}
    assert source.loads == 2
    with pytest.raises(SecretsUnreadable):
        box.decrypt(SecretBox(FixedKeys([Fernet.generate_key()])).encrypt({}))
    assert source.loads == 3
