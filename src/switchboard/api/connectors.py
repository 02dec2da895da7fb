"""`/api/v1/connectors`: every connector with its operations, triggers and schemas."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from switchboard.api.security import ServerDep, UserDep
from switchboard.triggers.kinds import BUILT_IN

router = APIRouter(prefix="/api/v1", tags=["connectors"])


@router.get("/connectors")
def list_connectors(server: ServerDep, user: UserDep) -> dict[str, Any]:
    return {"items": [connector.describe() for connector in server.registry], "next_cursor": None}


@router.get("/triggers")
def list_trigger_kinds(server: ServerDep, user: UserDep) -> dict[str, Any]:
    kinds = [kind.describe() for kind in BUILT_IN.values()]
    for connector in server.registry:
        kinds += [
            {**kind.describe(), "name": f"{connector.name}.{kind.name}"}
            for kind in connector.triggers.values()
        ]
    return {"items": kinds, "next_cursor": None}
