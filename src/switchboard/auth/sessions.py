"""Browser sessions for the web UI: a cookie that is useless to scripts and to other sites.

The cookie holds a random session id (stored only as its SHA-256), is HttpOnly, SameSite=Strict and
Secure when the server is reached over HTTPS. Requests that change something and are authenticated
by the cookie must also carry the session's CSRF token in `X-CSRF-Token`, which a page of another
origin cannot read: SameSite and the token together make cross-site request forgery fail.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa

from switchboard.auth.errors import PermissionDenied, Unauthenticated
from switchboard.auth.users import User, get_user
from switchboard.engine.records import now, utc
from switchboard.store.database import Database
from switchboard.store.tables import sessions

COOKIE_NAME = "switchboard_session"
CSRF_HEADER = "x-csrf-token"
SESSION_LIFETIME = timedelta(days=7)


@dataclass(frozen=True)
class Session:
    user: User
    csrf_token: str


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def open_session(database: Database, user: User) -> tuple[str, Session]:
    """A new session for `user`: the cookie value (shown once) and the session with its CSRF token."""
    session_id = secrets.token_urlsafe(32)
    csrf_token = secrets.token_urlsafe(32)
    moment = now()
    with database.engine.begin() as connection:
        connection.execute(
            sessions.insert().values(
                id_hash=_digest(session_id),
                user_id=user.id,
                csrf_token=csrf_token,
                created_at=moment,
                expires_at=moment + SESSION_LIFETIME,
            )
        )
    return session_id, Session(user, csrf_token)


def session_user(database: Database, session_id: str, *, unsafe_method: bool, csrf_token: str | None) -> User:
    """The user of a live session; a changing request must echo the session's CSRF token."""
    with database.engine.connect() as connection:
        row = connection.execute(sa.select(sessions).where(sessions.c.id_hash == _digest(session_id))).first()
    if row is None or utc(row.expires_at) <= now():
        raise Unauthenticated("the session has expired or was closed: log in again")
    if unsafe_method and not (csrf_token and hmac.compare_digest(csrf_token, row.csrf_token)):
        raise PermissionDenied(f"a request authenticated by the session cookie must send {CSRF_HEADER}")
    return get_user(database, row.user_id)


def close_session(database: Database, session_id: str) -> None:
    with database.engine.begin() as connection:
        connection.execute(sessions.delete().where(sessions.c.id_hash == _digest(session_id)))
