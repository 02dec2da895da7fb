"""Workflows and their versions: every save that changes the definition is a new version."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from switchboard.definition.model import Workflow
from switchboard.engine.records import now
from switchboard.store.database import Database
from switchboard.store.tables import workflow_versions, workflows


@dataclass(frozen=True)
class SavedWorkflow:
    id: str
    version: int
    created: bool
    """Whether this save made a new version (False when the definition was unchanged)."""


def save_workflow_from_source(database: Database, workflow: Workflow, source: str) -> SavedWorkflow:
    """Record a workflow read from a file; the same file keeps one id and gains versions as it changes."""
    document = workflow.to_document()
    moment = now()
    with database.engine.begin() as connection:
        row = connection.execute(
            sa.select(workflows.c.id, workflows.c.current_version).where(workflows.c.source == source)
        ).first()
        if row is None:
            workflow_id = uuid.uuid4().hex
            connection.execute(
                workflows.insert().values(
                    id=workflow_id,
                    title=workflow.title,
                    source=source,
                    current_version=1,
                    enabled=workflow.enabled,
                    created_at=moment,
                    updated_at=moment,
                )
            )
            _insert_version(connection, workflow_id, 1, document)
            return SavedWorkflow(workflow_id, 1, created=True)
        workflow_id, version = row
        current = connection.execute(
            sa.select(workflow_versions.c.definition).where(
                workflow_versions.c.workflow_id == workflow_id, workflow_versions.c.version == version
            )
        ).scalar_one()
        if current == document:
            return SavedWorkflow(workflow_id, version, created=False)
        version += 1
        _insert_version(connection, workflow_id, version, document)
        connection.execute(
            workflows.update()
            .where(workflows.c.id == workflow_id)
            .values(
                current_version=version, title=workflow.title, enabled=workflow.enabled, updated_at=moment
            )
        )
        return SavedWorkflow(workflow_id, version, created=True)


def _insert_version(
    connection: sa.Connection, workflow_id: str, version: int, document: dict[str, Any]
) -> None:
    connection.execute(
        workflow_versions.insert().values(
            workflow_id=workflow_id, version=version, definition=document, created_at=now()
        )
    )
