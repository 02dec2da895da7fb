"""`/api/v1/runs`: the run record, cancel, replay and retry."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Literal

from fastapi import APIRouter, Body
from fastapi.responses import JSONResponse

from switchboard.api.params import RunPageDep
from switchboard.api.security import ServerDep, UserDep, require_writer
from switchboard.errors import SwitchboardError
from switchboard.store.journal import load_run
from switchboard.store.runs import list_runs

router = APIRouter(prefix="/api/v1/runs", tags=["runs"])


@router.get("")
def all_runs(
    server: ServerDep, user: UserDep, page: RunPageDep, workflow_id: str | None = None
) -> dict[str, Any]:
    where = replace(page.where, workflow_id=workflow_id)
    return list_runs(server.database, where, limit=page.limit, cursor=page.cursor)


@router.get("/{run_id}")
def get_run(run_id: str, server: ServerDep, user: UserDep) -> dict[str, Any]:
    return load_run(server.database, run_id).to_record()


@router.post("/{run_id}/cancel")
async def cancel_run(run_id: str, server: ServerDep, user: UserDep) -> dict[str, Any]:
    require_writer(user)
    return (await server.dispatcher.cancel(run_id)).to_record()


@router.post("/{run_id}/replay")
async def replay_run(
    run_id: str,
    server: ServerDep,
    user: UserDep,
    version: Literal["current", "original"] = Body("current", embed=True),
    wait: bool = Body(True, embed=True),
) -> JSONResponse:
    """A new run with the same trigger data, against the current or the original workflow version."""
    require_writer(user)
    original = load_run(server.database, run_id)
    if original.workflow_id is None:
        raise SwitchboardError(f"run {run_id} has no stored workflow to replay")
    stored = server.workflows.get(
        original.workflow_id, original.workflow_version if version == "original" else None
    )
    new_id = await server.dispatcher.submit(
        stored, original.trigger_data, trigger_type=original.trigger_type, replay_of=run_id
    )
    if not wait:
        return JSONResponse({"id": new_id, "status": "queued"}, status_code=202)
    return JSONResponse((await server.dispatcher.wait(new_id)).to_record())


@router.post("/{run_id}/retry")
async def retry_run(
    run_id: str,
    server: ServerDep,
    user: UserDep,
    resend: bool = Body(False, embed=True, description="Send again a step parked as needs_review."),
    wait: bool = Body(True, embed=True),
) -> JSONResponse:
    """Run a failed run again from the step that failed; steps that succeeded are not repeated."""
    require_writer(user)
    await server.dispatcher.retry(run_id, resend=resend)
    if not wait:
        return JSONResponse({"id": run_id, "status": "running"}, status_code=202)
    return JSONResponse((await server.dispatcher.wait(run_id)).to_record())
