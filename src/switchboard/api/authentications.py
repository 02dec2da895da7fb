"""`/api/v1/authentications`: named credentials; secret fields are write-only."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Response

from switchboard.api.security import ServerDep, UserDep
from switchboard.auth.authentications import public_view, test_authentication

router = APIRouter(prefix="/api/v1/authentications", tags=["authentications"])


@router.get("")
def list_authentications(server: ServerDep, user: UserDep, connector: str | None = None) -> dict[str, Any]:
    """The caller's personal authentications and every organisational one; never a secret value."""
    items = [public_view(auth) for auth in server.authentications.list(user, connector=connector)]
    return {"items": items, "next_cursor": None}


@router.post("", status_code=201)
def create_authentication(
    server: ServerDep,
    user: UserDep,
    connector: str = Body(...),
    name: str = Body(...),
    scope: str = Body("personal"),
    fields: dict[str, Any] = Body(default_factory=dict),
) -> dict[str, Any]:
    created = server.authentications.create(user, connector=connector, name=name, scope=scope, fields=fields)
    return public_view(created)


@router.get("/{auth_id}")
def get_authentication(auth_id: str, server: ServerDep, user: UserDep) -> dict[str, Any]:
    return public_view(server.authentications.get(auth_id, user))


@router.patch("/{auth_id}")
def update_authentication(
    auth_id: str,
    server: ServerDep,
    user: UserDep,
    name: str | None = Body(None),
    scope: str | None = Body(None),
    fields: dict[str, Any] | None = Body(None),
) -> dict[str, Any]:
    """A partial update: secret fields left out keep their value."""
    return public_view(server.authentications.update(auth_id, user, name=name, scope=scope, fields=fields))


@router.delete("/{auth_id}", status_code=204)
def delete_authentication(auth_id: str, server: ServerDep, user: UserDep) -> Response:
    server.authentications.delete(auth_id, user)
    return Response(status_code=204)


@router.post("/{auth_id}/test")
async def test_authentication_route(auth_id: str, server: ServerDep, user: UserDep) -> dict[str, Any]:
    """Call the connector's own check (Plivo: get the account) with these credentials."""
    return await test_authentication(server.authentications, auth_id, user)
