"""Roles and what each may do, in one table so that the API, the CLI and the stores agree.

- **viewer** reads workflows, runs and the list of authentications, and changes nothing.
- **member** also creates, edits and runs workflows, and manages their own (personal) authentications.
- **admin** also manages organisational authentications and users (but cannot make owners).
- **owner** may do everything, including making other owners.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Protocol

from switchboard.auth.errors import PermissionDenied, UserInvalid


class Role(StrEnum):
    OWNER = "owner"
    ADMIN = "admin"
    MEMBER = "member"
    VIEWER = "viewer"


class Permission(StrEnum):
    READ = "read"
    """See workflows, runs, connectors and authentications (never their secrets)."""
    EDIT_WORKFLOWS = "edit_workflows"
    """Create, change, delete and run workflows; replay runs."""
    MANAGE_OWN_AUTHENTICATIONS = "manage_own_authentications"
    """Create personal authentications, and change or delete one's own."""
    MANAGE_ORGANISATIONAL_AUTHENTICATIONS = "manage_organisational_authentications"
    """Create, change and delete the authentications every member can use."""
    MANAGE_USERS = "manage_users"
    """Add users, issue and revoke their API tokens."""


_VIEWER = frozenset({Permission.READ})
_MEMBER = _VIEWER | {Permission.EDIT_WORKFLOWS, Permission.MANAGE_OWN_AUTHENTICATIONS}
_ADMIN = _MEMBER | {Permission.MANAGE_ORGANISATIONAL_AUTHENTICATIONS, Permission.MANAGE_USERS}

PERMISSIONS: Mapping[Role, frozenset[Permission]] = {
    Role.VIEWER: _VIEWER,
    Role.MEMBER: _MEMBER,
    Role.ADMIN: _ADMIN,
    Role.OWNER: _ADMIN,
}

_WHO_MAY = {
    Permission.READ: "every user",
    Permission.EDIT_WORKFLOWS: "members, admins and owners",
    Permission.MANAGE_OWN_AUTHENTICATIONS: "members, admins and owners",
    Permission.MANAGE_ORGANISATIONAL_AUTHENTICATIONS: "admins and owners",
    Permission.MANAGE_USERS: "admins and owners",
}


class Actor(Protocol):
    """Whoever acts: a user, as far as permissions are concerned."""

    @property
    def name(self) -> str: ...

    @property
    def role(self) -> Role: ...


def allows(role: Role, permission: Permission) -> bool:
    """Whether a user with `role` has `permission`."""
    return permission in PERMISSIONS[role]


def require(actor: Actor, permission: Permission, action: str) -> None:
    """Raise `PermissionDenied` saying who may `action` (e.g. 'create organisational authentications')."""
    if not allows(actor.role, permission):
        raise PermissionDenied(f"{actor.name} is a {actor.role}: only {_WHO_MAY[permission]} may {action}")


def may_grant(granter: Role, role: Role) -> bool:
    """Whether a user with role `granter` may give `role` to someone: only owners make owners."""
    if not allows(granter, Permission.MANAGE_USERS):
        return False
    return granter is Role.OWNER or role is not Role.OWNER


def parse_role(value: str) -> Role:
    """A role from its name, with an error that lists the roles."""
    try:
        return Role(value.strip().lower())
    except ValueError:
        names = ", ".join(role.value for role in Role)
        raise UserInvalid(f"role: {value!r} is not a role ({names})") from None
