"""Inbound events, stored before they are acknowledged, and de-duplicated by the provider's key."""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa

from switchboard.engine.records import now
from switchboard.store.database import Database
from switchboard.store.tables import trigger_events


def store_event(
    database: Database,
    workflow_id: str,
    kind: str,
    payload: Any,
    dedup_key: str | None,
    run_id: str | None = None,
) -> str | None:
    """The new event's id, committed; None when an event with the same key was stored before.

    The run's id is chosen before the run exists, so the event is linked in the same commit and a
    crash between the two leaves an event whose run recovery starts under that id.
    """
    event_id = uuid.uuid4().hex
    key = f"{workflow_id}:{dedup_key}" if dedup_key is not None else None
    try:
        with database.engine.begin() as connection:
            connection.execute(
                trigger_events.insert().values(
                    id=event_id,
                    workflow_id=workflow_id,
                    kind=kind,
                    dedup_key=key,
                    payload=payload,
                    received_at=now(),
                    run_id=run_id,
                )
            )
    except sa.exc.IntegrityError:
        return None
    return event_id
