"""`/api/v1/users` and `/api/v1/me`: who is there, and API tokens (shown once, stored hashed)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Response

from switchboard.api.security import ServerDep, UserDep
from switchboard.auth.roles import Permission, require
from switchboard.auth.users import create_user, issue_token, list_tokens, list_users, revoke_token

router = APIRouter(prefix="/api/v1", tags=["users"])


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
