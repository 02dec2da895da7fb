"""Where the keys that encrypt secrets come from: `SWITCHBOARD_SECRET_KEY`, else a key file in the home.

Keys are Fernet keys, newest first: the first encrypts, every one decrypts, so a key can be
replaced without a moment where stored secrets are unreadable. The key file holds one key per line
and is created on first use with mode 0600; it is only ever replaced atomically, so a process
reading it never sees half a file.
"""

from __future__ import annotations

import contextlib
import logging
import os
import stat
import tempfile
from collections.abc import Hashable, Sequence
from pathlib import Path
from typing import Protocol

from cryptography.fernet import Fernet

from switchboard.auth.errors import SecretKeyInvalid
from switchboard.settings import Settings

SECRET_KEY_VARIABLE = "SWITCHBOARD_SECRET_KEY"
KEY_FILE_NAME = "secret.key"

log = logging.getLogger(__name__)


class KeySource(Protocol):
    """Somewhere keys can be read from, again and again, noticing when they change."""

    description: str
    """Where the keys are, for messages: `SWITCHBOARD_SECRET_KEY` or the key file's path."""

    def load(self) -> tuple[bytes, ...]:
        """The keys, newest (the one that encrypts) first; never empty."""
        ...

    def fingerprint(self) -> Hashable:
        """Changes whenever `load` would give other keys; cheap enough to ask before every encryption."""
        ...


def generate_key() -> bytes:
    """A fresh random Fernet key (32 bytes, url-safe base64)."""
    return Fernet.generate_key()


def parse_keys(text: str, *, separator: str | None, where: str) -> tuple[bytes, ...]:
    """Keys from text (comma-separated or one per line; blank lines and `#` comments ignored), checked."""
    parts = text.split(separator) if separator else text.splitlines()
    keys = [part.strip() for part in parts if part.strip() and not part.strip().startswith("#")]
    if not keys:
        raise SecretKeyInvalid(f"{where} holds no key")
    for index, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except ValueError:
            raise SecretKeyInvalid(
                f"{where}: key {index} of {len(keys)} is not a Fernet key (32 url-safe base64-encoded "
                "bytes, as `switchboard secrets generate-key` prints)"
            ) from None
    return tuple(key.encode("ascii") for key in keys)


class FixedKeys:
    """Keys given in code: for tests and for tools that were handed keys explicitly."""

    def __init__(self, keys: Sequence[bytes | str], *, description: str = "the given keys") -> None:
        self.description = description
        self._keys = parse_keys(
            ",".join(k.decode("ascii") if isinstance(k, bytes) else k for k in keys),
            separator=",",
            where=description,
        )

    def load(self) -> tuple[bytes, ...]:
        return self._keys

    def fingerprint(self) -> Hashable:
        return self._keys


class EnvironmentKeys:
    """Keys from `SWITCHBOARD_SECRET_KEY`: comma-separated, the first encrypts."""

    description = SECRET_KEY_VARIABLE

    def __init__(self, value: str) -> None:
        self._value = value

    def load(self) -> tuple[bytes, ...]:
        return parse_keys(self._value, separator=",", where=SECRET_KEY_VARIABLE)

    def fingerprint(self) -> Hashable:
        return self._value


class KeyFile:
    """Keys in a file, one per line, newest first; created with a fresh key (mode 0600) on first use."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.description = str(path)

    def load(self) -> tuple[bytes, ...]:
        if not self.path.exists():
            self._create()
        mode = stat.S_IMODE(self.path.stat().st_mode)
        if mode & 0o077:
            log.warning(
                "key_file_readable_by_others: %s has mode %o; run `chmod 600 %s`", self.path, mode, self.path
            )
        return parse_keys(self.path.read_text(encoding="ascii"), separator=None, where=str(self.path))

    def fingerprint(self) -> Hashable:
        try:
            info = self.path.stat()
        except FileNotFoundError:
            return None
        return (info.st_ino, info.st_mtime_ns, info.st_size)

    def write(self, keys: Sequence[bytes]) -> None:
        """Replace the file's keys at once: readers see the old file or the new one, never a mix."""
        temporary = self._write_temporary(keys)
        try:
            os.replace(temporary, self.path)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
        _sync_directory(self.path.parent)

    def _create(self) -> None:
        """A new file with one fresh key; if another process created it first, theirs is kept."""
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        temporary = self._write_temporary([generate_key()])
        try:
            os.link(temporary, self.path)
        except FileExistsError:
            pass
        except OSError:
            # A file system without hard links: renaming is still atomic, only the race is wider.
            if not self.path.exists():
                os.replace(temporary, self.path)
        finally:
            temporary.unlink(missing_ok=True)
        _sync_directory(self.path.parent)

    def _write_temporary(self, keys: Sequence[bytes]) -> Path:
        """The keys in a new file next to the key file (mkstemp makes it 0600), flushed to disk."""
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor, name = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(b"".join(key + b"\n" for key in keys))
                handle.flush()
                os.fsync(handle.fileno())
        except BaseException:
            Path(name).unlink(missing_ok=True)
            raise
        return Path(name)


def _sync_directory(directory: Path) -> None:
    """Make a rename or link in `directory` durable (a no-op where directories cannot be opened)."""
    with contextlib.suppress(OSError):
        descriptor = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def load_keys(settings: Settings) -> EnvironmentKeys | KeyFile:
    """Where this installation's keys are: `SWITCHBOARD_SECRET_KEY` if set, else `<home>/secret.key`.

    Nothing is read yet: the key file is created, and the keys checked, when they are first needed.
    """
    if settings.secret_key:
        return EnvironmentKeys(settings.secret_key)
    return KeyFile(settings.home / KEY_FILE_NAME)
