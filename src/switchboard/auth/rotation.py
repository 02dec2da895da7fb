"""Replacing the secret key without a moment where stored secrets cannot be read.

With a key file: a new key is written first in the file (the old ones stay after it, so every
process can still read everything), every authentication is re-encrypted with the new key in one
transaction, and only then are the old keys dropped. Processes that are running pick the change up
by themselves (see `SecretBox`). With `SWITCHBOARD_SECRET_KEY`, Switchboard cannot change the
variable: the operator puts a new key first in it, and rotation re-encrypts with what is configured.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from switchboard.auth.authentications import lock_authentications
from switchboard.auth.errors import SecretsUnreadable
from switchboard.auth.keys import SECRET_KEY_VARIABLE, EnvironmentKeys, KeyFile, generate_key, load_keys
from switchboard.settings import Settings
from switchboard.store.database import Database
from switchboard.store.tables import authentications


@dataclass(frozen=True)
class Rotation:
    """What a rotation did, and what the operator still has to do."""

    reencrypted: int
    """How many authentications were re-encrypted with the newest key."""
    key_file: Path | None
    """The key file that now holds only the new key; None when the keys come from the environment."""
    message: str


def rotate_keys(database: Database, settings: Settings) -> Rotation:
    """Re-encrypt every authentication with a new key (key file) or the first configured one (variable)."""
    source = load_keys(settings)
    if isinstance(source, EnvironmentKeys):
        return _reencrypt_with_configured_keys(database, source)
    return _rotate_key_file(database, source)


def _rotate_key_file(database: Database, key_file: KeyFile) -> Rotation:
    old_keys = key_file.load()
    new_key = generate_key()
    key_file.write([new_key, *old_keys])
    cipher = MultiFernet([Fernet(key) for key in (new_key, *old_keys)])
    try:
        count = _reencrypt(database, cipher)
    except SecretsUnreadable as unreadable:
        raise SecretsUnreadable(
            f"{unreadable.message}; no authentication was changed and {key_file.path} keeps the old keys "
            "after the new one"
        ) from None
    key_file.write([new_key])
    # An authentication another process encrypted with an old key just before it noticed the new file
    # may have been committed after the pass above: catch it while the old keys are still in memory.
    _reencrypt(database, cipher, unless_readable_by=Fernet(new_key))
    plural = "" if count == 1 else "s"
    return Rotation(
        reencrypted=count,
        key_file=key_file.path,
        message=(
            f"Generated a new secret key in {key_file.path} and re-encrypted {count} authentication{plural} "
            f"with it; {'the old key was' if len(old_keys) == 1 else f'the {len(old_keys)} old keys were'} "
            "dropped. "
            "Running Switchboard processes pick up the new key by themselves."
        ),
    )


def _reencrypt_with_configured_keys(database: Database, source: EnvironmentKeys) -> Rotation:
    keys = source.load()
    count = _reencrypt(database, MultiFernet([Fernet(key) for key in keys]))
    plural = "" if count == 1 else "s"
    if len(keys) > 1:
        advice = (
            f"Every authentication is now encrypted with the first key of {SECRET_KEY_VARIABLE}; "
            "you may now remove the other keys from it and restart Switchboard."
        )
    else:
        advice = (
            f"{SECRET_KEY_VARIABLE} is set, so Switchboard cannot change the key itself. To rotate: make a "
            "new key with `switchboard secrets generate-key`, put it first in the variable "
            f"({SECRET_KEY_VARIABLE}=NEW_KEY,OLD_KEY), restart every Switchboard process, run "
            "`switchboard secrets rotate` again, then remove the old key from the variable."
        )
    return Rotation(
        reencrypted=count,
        key_file=None,
        message=f"Re-encrypted {count} authentication{plural} with the first configured key. {advice}",
    )


def _reencrypt(database: Database, cipher: MultiFernet, *, unless_readable_by: Fernet | None = None) -> int:
    """Re-encrypt every authentication's secrets with the cipher's first key, all or none (with
    `unless_readable_by`, only those that key cannot read yet); gives how many authentications there are."""
    with database.engine.begin() as connection:
        # Wait for writers in flight, and hold off new ones until the new ciphertexts are committed.
        lock_authentications(connection)
        rows = connection.execute(
            sa.select(authentications.c.id, authentications.c.name, authentications.c.secrets)
        ).all()
        for row in rows:
            if unless_readable_by is not None and _readable(unless_readable_by, row.secrets):
                continue
            connection.execute(
                authentications.update()
                .where(authentications.c.id == row.id)
                .values(secrets=_rotated(cipher, row.name, row.secrets))
            )
    return len(rows)


def _readable(key: Fernet, token: str) -> bool:
    try:
        key.decrypt(token.encode("ascii"))
    except InvalidToken:
        return False
    return True


def _rotated(cipher: MultiFernet, name: str, token: str) -> str:
    try:
        return cipher.rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken:
        raise SecretsUnreadable(
            f"cannot re-encrypt authentication {name!r}: none of the configured keys decrypts it"
        ) from None
