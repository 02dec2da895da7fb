"""`/api/v1/workflows`: create, read, version, roll back, delete, and start runs."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from fastapi import APIRouter, Body, Response
from fastapi.responses import JSONResponse

from switchboard.api.params import RunPageDep
from switchboard.api.security import ServerDep, UserDep, require_owner_or_manager, require_writer
from switchboard.api.server import Server
from switchboard.definition import check_workflow
from switchboard.definition.model import Workflow
from switchboard.store.runs import list_runs
from switchboard.store.workflows import StoredWorkflow

router = APIRouter(prefix="/api/v1/workflows", tags=["workflows"])

RESOURCE_FIELDS = ("id", "version", "owner", "created_at", "updated_at", "trigger_url")
"""Fields the API adds to a workflow; a client may send a resource back unchanged."""


def _checked(server: Server, body: dict[str, Any]) -> Workflow:
    document = {k: v for k, v in body.items() if k not in RESOURCE_FIELDS}
    return check_workflow(document, server.registry)


def _resource(server: Server, stored: StoredWorkflow) -> dict[str, Any]:
    return stored.to_resource(server.settings.public_url)


@router.get("")
def list_workflows(server: ServerDep, user: UserDep) -> dict[str, Any]:
    return {"items": [_resource(server, w) for w in server.workflows.list_workflows()], "next_cursor": None}


@router.post("", status_code=201)
def create_workflow(server: ServerDep, user: UserDep, body: dict[str, Any] = Body(...)) -> dict[str, Any]:
    require_writer(user)
    stored = server.workflows.create(_checked(server, body), owner_id=user.id)
    return _resource(server, stored)


@router.get("/{workflow_id}")
def get_workflow(workflow_id: str, server: ServerDep, user: UserDep) -> dict[str, Any]:
    return _resource(server, server.workflows.get(workflow_id))


@router.put("/{workflow_id}")
def update_workflow(
    workflow_id: str, server: ServerDep, user: UserDep, body: dict[str, Any] = Body(...)
) -> dict[str, Any]:
    current = server.workflows.get(workflow_id)
    require_owner_or_manager(user, current.owner_id, f"workflow {workflow_id}")
    return _resource(server, server.workflows.update(workflow_id, _checked(server, body)))


@router.delete("/{workflow_id}", status_code=204)
def delete_workflow(workflow_id: str, server: ServerDep, user: UserDep) -> Response:
    current = server.workflows.get(workflow_id)
    require_owner_or_manager(user, current.owner_id, f"workflow {workflow_id}")
    server.workflows.delete(workflow_id)
    return Response(status_code=204)


@router.get("/{workflow_id}/versions")
def list_versions(workflow_id: str, server: ServerDep, user: UserDep) -> dict[str, Any]:
    return {"items": server.workflows.versions(workflow_id), "next_cursor": None}


@router.get("/{workflow_id}/versions/{version}")
def get_version(workflow_id: str, version: int, server: ServerDep, user: UserDep) -> dict[str, Any]:
    return _resource(server, server.workflows.get(workflow_id, version))


@router.post("/{workflow_id}/rollback")
def rollback(
    workflow_id: str, server: ServerDep, user: UserDep, version: int = Body(..., embed=True)
) -> dict[str, Any]:
    current = server.workflows.get(workflow_id)
    require_owner_or_manager(user, current.owner_id, f"workflow {workflow_id}")
    return _resource(server, server.workflows.rollback(workflow_id, version))


@router.post("/{workflow_id}/rotate-token")
def rotate_token(workflow_id: str, server: ServerDep, user: UserDep) -> dict[str, Any]:
    """A new trigger URL; the old one stops working at once."""
    current = server.workflows.get(workflow_id)
    require_owner_or_manager(user, current.owner_id, f"workflow {workflow_id}")
    return _resource(server, server.workflows.rotate_token(workflow_id))


@router.post("/{workflow_id}/runs")
async def start_run(
    workflow_id: str,
    server: ServerDep,
    user: UserDep,
    input: Any = Body(default_factory=dict, embed=True),
    wait: bool = Body(True, embed=True),
) -> JSONResponse:
    """Run the workflow by hand with `input` as the trigger's output; `wait` for the record or not."""
    require_writer(user)
    stored = server.workflows.get(workflow_id)
    run_id = await server.dispatcher.submit(stored, input, trigger_type="manual")
    if not wait:
        return JSONResponse({"id": run_id, "status": "queued"}, status_code=202)
    run = await server.dispatcher.wait(run_id)
    return JSONResponse(run.to_record(), status_code=200)


@router.get("/{workflow_id}/runs")
def workflow_runs(workflow_id: str, server: ServerDep, user: UserDep, page: RunPageDep) -> dict[str, Any]:
    server.workflows.get(workflow_id)
    where = replace(page.where, workflow_id=workflow_id)
    return list_runs(server.database, where, limit=page.limit, cursor=page.cursor)
