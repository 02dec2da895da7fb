"""Users and their API tokens.

A token is shown once, when it is issued, and stored only as its SHA-256 digest plus a short prefix
to recognise it in lists. Looking a token up by its digest means no secret is ever compared byte
by byte, so there is no timing side channel to guard; a stolen database gives no usable token.
"""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from switchboard.auth.errors import Conflict, PermissionDenied, Unauthenticated, UserInvalid
from switchboard.auth.roles import Permission, Role, may_grant, parse_role, require
from switchboard.engine.records import now, timestamp, utc, utc_or_none
from switchboard.errors import NotFound
from switchboard.store.database import Database
from switchboard.store.tables import api_tokens, users

__all__ = [
    "PermissionDenied",
    "Role",
    "TokenInfo",
    "Unauthenticated",
    "User",
    "authenticate_token",
    "create_user",
    "ensure_local_owner",
    "find_local_owner",
    "get_user",
    "issue_token",
    "list_tokens",
    "list_users",
    "revoke_token",
    "token_digest",
]

TOKEN_PREFIX = "sb_"
"""Every token starts so, which lets secret scanners (and people) recognise a Switchboard token."""
DISPLAY_PREFIX_LENGTH = 10
LOCAL_OWNER_NAME = "owner"
MAX_NAME_LENGTH = 120
LAST_USED_PRECISION = timedelta(minutes=1)
"""`last_used_at` is written at most this often per token, so reads do not each cost a write."""


@dataclass(frozen=True)
class User:
    id: str
    name: str
    role: Role
    created_at: datetime

    def to_dict(self) -> dict[str, Any]:
        """The JSON form the API returns."""
        return {
            "id": self.id,
            "name": self.name,
            "role": self.role.value,
            "created_at": timestamp(self.created_at),
        }


@dataclass(frozen=True)
class TokenInfo:
    """What can be shown of an API token after it was issued: never the token itself."""

    id: str
    user_id: str
    prefix: str
    label: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "user_id": self.user_id,
            "prefix": self.prefix,
            "label": self.label,
            "created_at": timestamp(self.created_at),
            "last_used_at": timestamp(self.last_used_at),
            "revoked_at": timestamp(self.revoked_at),
        }


def create_user(
    database: Database, name: str, role: Role | str = Role.MEMBER, *, by: User | None = None
) -> User:
    """Add a user; `by` is who asks (checked: admins and owners add users, only owners add owners).

    Without `by` the caller is trusted, as the local CLI is: whoever can open the database is the owner.
    """
    name = check_user_name(name)
    role = role if isinstance(role, Role) else parse_role(role)
    if by is not None:
        require(by, Permission.MANAGE_USERS, "add users")
        if not may_grant(by.role, role):
            raise PermissionDenied(f"{by.name} is an {by.role}: only owners may make {name!r} an owner")
    user = User(id=uuid.uuid4().hex, name=name, role=role, created_at=now())
    try:
        with database.engine.begin() as connection:
            if connection.execute(sa.select(users.c.id).where(users.c.name == name)).first() is not None:
                raise _name_taken(name)
            connection.execute(
                users.insert().values(
                    id=user.id, name=user.name, role=user.role.value, created_at=user.created_at
                )
            )
    except sa.exc.IntegrityError:
        raise _name_taken(name) from None
    return user


def check_user_name(name: str) -> str:
    """The name without surrounding spaces, or `UserInvalid` saying what is wrong with it."""
    name = name.strip()
    if not name:
        raise UserInvalid("name: must not be empty")
    if len(name) > MAX_NAME_LENGTH:
        raise UserInvalid(f"name: must be at most {MAX_NAME_LENGTH} characters")
    if any(unicodedata.category(char).startswith("C") for char in name):
        raise UserInvalid("name: must not contain control characters")
    return name


def get_user(database: Database, ref: str) -> User:
    """A user by id or by name."""
    with database.engine.connect() as connection:
        row = connection.execute(sa.select(users).where(users.c.id == ref)).first()
        if row is None:
            row = connection.execute(sa.select(users).where(users.c.name == ref.strip())).first()
    if row is None:
        raise NotFound(f"no user {ref!r}")
    return _user(row)


def list_users(database: Database) -> list[User]:
    """Every user, oldest first."""
    with database.engine.connect() as connection:
        rows = connection.execute(sa.select(users).order_by(users.c.created_at, users.c.name)).all()
    return [_user(row) for row in rows]


def ensure_local_owner(database: Database) -> User:
    """The user the local CLI acts as: the first owner, created (named `owner`) if there is none."""
    for _ in range(2):
        owner = find_local_owner(database)
        if owner is not None:
            return owner
        try:
            return create_user(database, LOCAL_OWNER_NAME, Role.OWNER)
        except Conflict:
            # Another process created it between our look-up and our insert, or the name is taken.
            continue
    raise Conflict(
        f"there is no owner and the name {LOCAL_OWNER_NAME!r} is taken by a user who is not one: "
        f"add an owner with `switchboard user add NAME --role owner`"
    )


def issue_token(database: Database, user_id: str, label: str = "") -> str:
    """A new API token for the user: returned this once, stored only as its digest."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with database.engine.begin() as connection:
        if connection.execute(sa.select(users.c.id).where(users.c.id == user_id)).first() is None:
            raise NotFound(f"no user with id {user_id!r}")
        connection.execute(
            api_tokens.insert().values(
                id=uuid.uuid4().hex,
                user_id=user_id,
                token_hash=token_digest(token),
                prefix=token[:DISPLAY_PREFIX_LENGTH],
                label=label,
                created_at=now(),
            )
        )
    return token


def authenticate_token(database: Database, token: str) -> User:
    """The user a bearer token belongs to; `Unauthenticated` when it is unknown or revoked."""
    if not token:
        raise Unauthenticated("an API token is required: send `Authorization: Bearer <token>`")
    moment = now()
    with database.engine.begin() as connection:
        row = connection.execute(
            sa.select(users, api_tokens.c.id.label("token_id"), api_tokens.c.last_used_at)
            .join(api_tokens, api_tokens.c.user_id == users.c.id)
            .where(api_tokens.c.token_hash == token_digest(token), api_tokens.c.revoked_at.is_(None))
        ).first()
        if row is None:
            raise Unauthenticated("the API token is unknown or revoked")
        if row.last_used_at is None or moment - utc(row.last_used_at) >= LAST_USED_PRECISION:
            connection.execute(
                api_tokens.update().where(api_tokens.c.id == row.token_id).values(last_used_at=moment)
            )
    return _user(row)


def revoke_token(database: Database, token_id: str, *, user_id: str | None = None) -> None:
    """Refuse the token from now on; `user_id` limits it to that user's tokens. Revoking twice is fine."""
    condition = api_tokens.c.id == token_id
    if user_id is not None:
        condition = sa.and_(condition, api_tokens.c.user_id == user_id)
    with database.engine.begin() as connection:
        if connection.execute(sa.select(api_tokens.c.id).where(condition)).first() is None:
            raise NotFound(f"no API token {token_id!r}")
        connection.execute(
            api_tokens.update().where(condition, api_tokens.c.revoked_at.is_(None)).values(revoked_at=now())
        )


def list_tokens(database: Database, user_id: str) -> list[TokenInfo]:
    """A user's tokens, revoked ones included, oldest first."""
    with database.engine.connect() as connection:
        rows = connection.execute(
            sa.select(api_tokens).where(api_tokens.c.user_id == user_id).order_by(api_tokens.c.created_at)
        ).all()
    return [
        TokenInfo(
            id=row.id,
            user_id=row.user_id,
            prefix=row.prefix,
            label=row.label,
            created_at=utc(row.created_at),
            last_used_at=utc_or_none(row.last_used_at),
            revoked_at=utc_or_none(row.revoked_at),
        )
        for row in rows
    ]


def token_digest(token: str) -> str:
    """The SHA-256 hex digest under which a token is stored (a token has 256 random bits: no salt needed)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def find_local_owner(database: Database) -> User | None:
    """The first owner, whom the local CLI (and anything without a user, like a CLI run) acts as."""
    with database.engine.connect() as connection:
        row = connection.execute(
            sa.select(users).where(users.c.role == Role.OWNER.value).order_by(users.c.created_at).limit(1)
        ).first()
    return None if row is None else _user(row)


def _name_taken(name: str) -> Conflict:
    return Conflict(f"a user named {name!r} already exists")


def _user(row: Any) -> User:
    return User(id=row.id, name=row.name, role=Role(row.role), created_at=utc(row.created_at))
