"""Sealing an authentication's secret fields into one encrypted token, and opening it again.

A `SecretBox` keeps its keys in memory but notices when they change on disk: before encrypting it
checks the key file has not been replaced, and when a token does not open with the keys it has, it
reads the keys again once. So a running server keeps working, without a restart, after
`switchboard secrets rotate` ran in another process.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Hashable, Mapping

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from switchboard.auth.errors import SecretsUnreadable
from switchboard.auth.keys import KeySource, load_keys
from switchboard.settings import Settings


class SecretBox:
    """Encrypts a dict of secret values to a token string (Fernet, AES-128-CBC + HMAC) and back."""

    def __init__(self, source: KeySource) -> None:
        self.source = source
        self._lock = threading.Lock()
        self._cipher: MultiFernet | None = None
        self._fingerprint: Hashable = None

    @classmethod
    def from_settings(cls, settings: Settings) -> SecretBox:
        """The box for this installation's keys (`SWITCHBOARD_SECRET_KEY` or `<home>/secret.key`)."""
        return cls(load_keys(settings))

    def encrypt(self, values: Mapping[str, str]) -> str:
        """The values as one token, encrypted with the newest key."""
        plaintext = json.dumps(dict(values), sort_keys=True, separators=(",", ":")).encode("utf-8")
        return self._current_cipher().encrypt(plaintext).decode("ascii")

    def decrypt(self, token: str, *, subject: str = "the stored secrets") -> dict[str, str]:
        """The values sealed in `token`; re-reads the keys once if none of those in memory opens it."""
        try:
            plaintext = self._current_cipher().decrypt(token.encode("ascii"))
        except InvalidToken:
            try:
                plaintext = self._reload().decrypt(token.encode("ascii"))
            except InvalidToken:
                raise SecretsUnreadable(
                    f"cannot decrypt {subject} with the keys in {self.source.description}: the secret key "
                    "was changed or lost; restore it (a new key goes first, the old ones after it)"
                ) from None
        values = json.loads(plaintext)
        if not isinstance(values, dict):
            raise SecretsUnreadable(f"{subject} decrypted to something other than a set of fields")
        return {str(name): str(value) for name, value in values.items()}

    def _current_cipher(self) -> MultiFernet:
        """The keys in memory, re-read first if their source changed since they were loaded."""
        cipher = self._cipher
        if cipher is None or self.source.fingerprint() != self._fingerprint:
            return self._reload()
        return cipher

    def _reload(self) -> MultiFernet:
        with self._lock:
            fingerprint = self.source.fingerprint()
            keys = self.source.load()
            self._cipher = MultiFernet([Fernet(key) for key in keys])
            self._fingerprint = fingerprint if fingerprint is not None else self.source.fingerprint()
            return self._cipher
