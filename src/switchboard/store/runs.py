"""Finding runs: filters, text search over trigger data, cursor pages, retention."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from switchboard.engine.records import timestamp, utc, utc_or_none
from switchboard.errors import SwitchboardError
from switchboard.store.database import Database
from switchboard.store.tables import runs, step_runs, trigger_events


@dataclass(frozen=True)
class RunFilter:
    workflow_id: str | None = None
    status: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    text: str | None = None
    """Found anywhere in the trigger's data (a phone number, a message text...)."""


def list_runs(
    database: Database, where: RunFilter, *, limit: int = 50, cursor: str | None = None
) -> dict[str, Any]:
    """`{"items": [run summaries, newest first], "next_cursor": ...}`, the shape of every list."""
    query = sa.select(runs).order_by(runs.c.started_at.desc(), runs.c.id.desc()).limit(limit + 1)
    if where.workflow_id:
        query = query.where(runs.c.workflow_id == where.workflow_id)
    if where.status:
        query = query.where(runs.c.status == where.status)
    if where.since:
        query = query.where(runs.c.started_at >= where.since)
    if where.until:
        query = query.where(runs.c.started_at < where.until)
    if where.text:
        pattern = "%" + where.text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(sa.cast(runs.c.trigger_data, sa.Text).like(pattern, escape="\\"))
    if cursor:
        started_at, run_id = _decode_cursor(cursor)
        query = query.where(
            sa.or_(
                runs.c.started_at < started_at, sa.and_(runs.c.started_at == started_at, runs.c.id < run_id)
            )
        )
    with database.engine.connect() as connection:
        rows = connection.execute(query).mappings().all()
    items = [_summary(row) for row in rows[:limit]]
    more = len(rows) > limit
    next_cursor = _encode_cursor(rows[limit - 1]["started_at"], rows[limit - 1]["id"]) if more else None
    return {"items": items, "next_cursor": next_cursor}


def prune_runs(database: Database, older_than: datetime) -> int:
    """Delete finished runs (and their steps and events) that started before `older_than`."""
    finished = ("succeeded", "failed", "cancelled")
    with database.engine.begin() as connection:
        doomed = sa.select(runs.c.id).where(runs.c.started_at < older_than, runs.c.status.in_(finished))
        connection.execute(step_runs.delete().where(step_runs.c.run_id.in_(doomed)))
        connection.execute(trigger_events.delete().where(trigger_events.c.run_id.in_(doomed)))
        return connection.execute(runs.delete().where(runs.c.id.in_(doomed))).rowcount


def _summary(row: Any) -> dict[str, Any]:
    started, finished = utc(row["started_at"]), utc_or_none(row["finished_at"])
    return {
        "id": row["id"],
        "workflow_id": row["workflow_id"],
        "workflow_version": row["workflow_version"],
        "status": row["status"],
        "trigger_type": row["trigger_type"],
        "started_at": timestamp(started),
        "finished_at": timestamp(finished),
        "duration_ms": None if finished is None else round((finished - started).total_seconds() * 1000, 3),
        "error": row["error"],
        "replay_of": row["replay_of"],
    }


def _encode_cursor(started_at: datetime, run_id: str) -> str:
    raw = json.dumps([utc(started_at).isoformat(), run_id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        started, run_id = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        moment = datetime.fromisoformat(started)
    except (ValueError, TypeError) as exc:
        raise SwitchboardError(f"invalid cursor {cursor!r}") from exc
    return moment, str(run_id)
