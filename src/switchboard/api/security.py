"""Who is calling: a bearer API token, resolved to a user whose role says what they may do."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from switchboard.api.server import Server
from switchboard.auth.errors import PermissionDenied, Unauthenticated
from switchboard.auth.roles import Permission, Role, require
from switchboard.auth.sessions import COOKIE_NAME, CSRF_HEADER, session_user
from switchboard.auth.users import User, authenticate_token

bearer = HTTPBearer(auto_error=False, description="An API token from `switchboard user add`.")


def server_of(request: Request) -> Server:
    server: Server = request.app.state.server
    return server


UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def current_user(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> User:
    """An API token in `Authorization: Bearer`, else the web UI's session cookie (with its CSRF token)."""
    database = server_of(request).database
    if credentials is not None:
        return authenticate_token(database, credentials.credentials)
    session_id = request.cookies.get(COOKIE_NAME)
    if session_id:
        return session_user(
            database,
            session_id,
            unsafe_method=request.method in UNSAFE_METHODS,
            csrf_token=request.headers.get(CSRF_HEADER),
        )
    raise Unauthenticated("an API token is required: Authorization: Bearer <token>")


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
