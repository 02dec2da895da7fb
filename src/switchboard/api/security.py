"""Who is calling: a bearer API token, resolved to a user whose role says what they may do."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from switchboard.api.server import Server
from switchboard.auth.errors import PermissionDenied, Unauthenticated
from switchboard.auth.roles import Permission, Role, require
from switchboard.auth.users import User, authenticate_token

bearer = HTTPBearer(auto_error=False, description="An API token from `switchboard user add`.")


def server_of(request: Request) -> Server:
    server: Server = request.app.state.server
    return server


def current_user(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> User:
    if credentials is None:
        raise Unauthenticated("an API token is required: Authorization: Bearer <token>")
    return authenticate_token(server_of(request).database, credentials.credentials)


def require_writer(user: User) -> None:
    """Viewers read workflows and runs; they change nothing."""
    require(user, Permission.EDIT_WORKFLOWS, "change workflows or start runs")


def require_owner_or_manager(user: User, owner_id: str | None, what: str) -> None:
    """Members change the workflows they own; admins and owners change any."""
    require_writer(user)
    if user.role not in (Role.OWNER, Role.ADMIN) and owner_id not in (None, user.id):
        raise PermissionDenied(f"{what} belongs to another user; only they or an admin may change it")


ServerDep = Annotated[Server, Depends(server_of)]
UserDep = Annotated[User, Depends(current_user)]
