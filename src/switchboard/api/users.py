"""`/api/v1/users` and `/api/v1/me`: who is there, and API tokens (shown once, stored hashed)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Request, Response

from switchboard.api.security import ServerDep, UserDep
from switchboard.auth.roles import Permission, require
from switchboard.auth.sessions import COOKIE_NAME, SESSION_LIFETIME, close_session, open_session
from switchboard.auth.users import (
    authenticate_token,
    create_user,
    issue_token,
    list_tokens,
    list_users,
    revoke_token,
)

router = APIRouter(prefix="/api/v1", tags=["users"])


@router.post("/session")
def log_in(server: ServerDep, response: Response, token: str = Body(..., embed=True)) -> dict[str, Any]:
    """Exchange an API token for a session cookie (the web UI's login); returns the CSRF token."""
    user = authenticate_token(server.database, token)
    session_id, session = open_session(server.database, user)
    response.set_cookie(
        COOKIE_NAME,
        session_id,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        httponly=True,
        samesite="strict",
        secure=server.settings.public_url.startswith("https://"),
        path="/",
    )
    return {"user": user.to_dict(), "csrf_token": session.csrf_token}


@router.delete("/session", status_code=204)
def log_out(request: Request, server: ServerDep, user: UserDep) -> Response:
    session_id = request.cookies.get(COOKIE_NAME)
    if session_id:
        close_session(server.database, session_id)
    response = Response(status_code=204)
    response.delete_cookie(COOKIE_NAME, path="/")
    return response


@router.get("/me")
def me(user: UserDep) -> dict[str, Any]:
    return user.to_dict()


@router.get("/users")
def users(server: ServerDep, user: UserDep) -> dict[str, Any]:
    return {"items": [u.to_dict() for u in list_users(server.database)], "next_cursor": None}


@router.post("/users", status_code=201)
def add_user(
    server: ServerDep, user: UserDep, name: str = Body(...), role: str = Body("member")
) -> dict[str, Any]:
    """A new user and their first API token, which is shown this once."""
    require(user, Permission.MANAGE_USERS, "add users")
    created = create_user(server.database, name, role, by=user)
    return {**created.to_dict(), "token": issue_token(server.database, created.id, label="first token")}


@router.get("/me/tokens")
def my_tokens(server: ServerDep, user: UserDep) -> dict[str, Any]:
    return {"items": [t.to_dict() for t in list_tokens(server.database, user.id)], "next_cursor": None}


@router.post("/me/tokens", status_code=201)
def new_token(server: ServerDep, user: UserDep, label: str = Body("", embed=True)) -> dict[str, Any]:
    return {"token": issue_token(server.database, user.id, label=label)}


@router.delete("/me/tokens/{token_id}", status_code=204)
def revoke(token_id: str, server: ServerDep, user: UserDep) -> Response:
    revoke_token(server.database, token_id, user_id=user.id)
    return Response(status_code=204)
