"""Workflows and their versions: every save that changes the definition is a new version."""

from __future__ import annotations

import secrets
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from switchboard.definition.model import Workflow
from switchboard.engine.records import now, timestamp
from switchboard.errors import NotFound
from switchboard.store.database import Database
from switchboard.store.tables import workflow_versions, workflows

_PARSED: dict[tuple[str, int], Workflow] = {}
_PARSED_LIMIT = 4096

TOKEN_TRIGGERS = ("webhook",)
"""Built-in trigger types reached through `/hooks/{token}`; connector triggers (`plivo.…`) are too."""


def has_trigger_url(trigger_type: str) -> bool:
    return trigger_type in TOKEN_TRIGGERS or "." in trigger_type


def new_trigger_token() -> str:
    """256 bits from the OS's CSPRNG: a webhook URL nobody can guess."""
    return secrets.token_urlsafe(32)


@dataclass(frozen=True)
class StoredWorkflow:
    """A workflow as the API shows it: its current definition and what the server adds."""

    id: str
    version: int
    title: str
    enabled: bool
    owner_id: str | None
    trigger_type: str
    trigger_token: str | None
    definition: dict[str, Any]
    created_at: datetime
    updated_at: datetime

    def workflow(self) -> Workflow:
        """The typed workflow; parsed once per version (a version never changes)."""
        key = (self.id, self.version)
        parsed = _PARSED.get(key)
        if parsed is None:
            parsed = Workflow.model_validate(self.definition)
            if len(_PARSED) >= _PARSED_LIMIT:
                _PARSED.pop(next(iter(_PARSED)))
            _PARSED[key] = parsed
        return parsed

    def to_resource(self, public_url: str) -> dict[str, Any]:
        """The workflow file plus what the server adds; `version` here is the workflow's version."""
        resource = {
            **self.definition,
            "id": self.id,
            "version": self.version,
            "enabled": self.enabled,
            "owner": self.owner_id,
            "created_at": timestamp(self.created_at),
            "updated_at": timestamp(self.updated_at),
        }
        if self.trigger_token:
            resource["trigger_url"] = f"{public_url.rstrip('/')}/hooks/{self.trigger_token}"
        return resource


@dataclass(frozen=True)
class SavedWorkflow:
    id: str
    version: int
    created: bool
    """Whether this save made a new version (False when the definition was unchanged)."""


class WorkflowStore:
    """Reading and writing workflows; a save that changes the definition adds a version."""

    token_cache_seconds = 2.0
    """How long a trigger URL's workflow is reused without a query: changes made through this store
    apply at once; changes made by another process (a CLI, another server) within this time."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self.generation = 0
        self._by_token: dict[str, tuple[float, int, StoredWorkflow]] = {}
        self.listeners: list[Callable[[], None]] = []
        """Called after every change (the scheduler listens, to follow a new schedule at once)."""

    def _changed(self) -> None:
        self.generation += 1
        for listener in self.listeners:
            listener()

    def create(
        self, workflow: Workflow, *, owner_id: str | None, source: str | None = None
    ) -> StoredWorkflow:
        workflow_id = uuid.uuid4().hex
        moment = now()
        token = new_trigger_token() if has_trigger_url(workflow.trigger.type) else None
        self._changed()
        with self.database.engine.begin() as connection:
            connection.execute(
                workflows.insert().values(
                    id=workflow_id,
                    title=workflow.title,
                    source=source,
                    current_version=1,
                    enabled=workflow.enabled,
                    created_at=moment,
                    updated_at=moment,
                    owner_id=owner_id,
                    trigger_type=workflow.trigger.type,
                    trigger_token=token,
                )
            )
            _insert_version(connection, workflow_id, 1, workflow.to_document())
        return self.get(workflow_id)

    def update(self, workflow_id: str, workflow: Workflow) -> StoredWorkflow:
        """Save a new version if the definition changed; the webhook token survives edits."""
        current = self.get(workflow_id)
        document = workflow.to_document()
        if document == current.definition:
            return current
        version = current.version + 1
        token = current.trigger_token
        if has_trigger_url(workflow.trigger.type) and token is None:
            token = new_trigger_token()
        self._changed()
        with self.database.engine.begin() as connection:
            _insert_version(connection, workflow_id, version, document)
            connection.execute(
                workflows.update()
                .where(workflows.c.id == workflow_id)
                .values(
                    current_version=version,
                    title=workflow.title,
                    enabled=workflow.enabled,
                    trigger_type=workflow.trigger.type,
                    trigger_token=token,
                    updated_at=now(),
                )
            )
        return self.get(workflow_id)

    def save_from_source(
        self, workflow: Workflow, source: str, *, owner_id: str | None = None
    ) -> SavedWorkflow:
        """A workflow read from a file keeps one id per file and gains versions as the file changes."""
        found = self._live_id(workflows.c.source == source)
        if found is None:
            created = self.create(workflow, owner_id=owner_id, source=source)
            return SavedWorkflow(created.id, created.version, created=True)
        before = self.get(found)
        after = self.update(found, workflow)
        return SavedWorkflow(found, after.version, created=after.version != before.version)

    def get(self, workflow_id: str, version: int | None = None) -> StoredWorkflow:
        """The workflow at its current version, or at `version`."""
        query = _live_at_version(workflows.c.current_version if version is None else version).where(
            workflows.c.id == workflow_id
        )
        with self.database.engine.connect() as connection:
            row = connection.execute(query).mappings().first()
        if row is None:
            what = f"version {version} of workflow" if version is not None else "workflow"
            raise NotFound(f"no {what} {workflow_id!r}")
        return _stored(row)

    def by_token(self, token: str) -> StoredWorkflow:
        """The workflow behind a trigger URL; cached briefly, as every inbound request asks."""
        cached = self._by_token.get(token)
        moment = time.monotonic()
        if cached is not None and cached[0] > moment and cached[1] == self.generation:
            return cached[2]
        found = self._live_id(workflows.c.trigger_token == token)
        if found is None:
            raise NotFound("no workflow answers at this URL")
        stored = self.get(found)
        if len(self._by_token) >= _PARSED_LIMIT:
            self._by_token.clear()
        self._by_token[token] = (moment + self.token_cache_seconds, self.generation, stored)
        return stored

    def list_workflows(self) -> list[StoredWorkflow]:
        query = _live_at_version(workflows.c.current_version).order_by(workflows.c.created_at)
        with self.database.engine.connect() as connection:
            return [_stored(row) for row in connection.execute(query).mappings()]

    def versions(self, workflow_id: str) -> list[dict[str, Any]]:
        self.get(workflow_id)
        with self.database.engine.connect() as connection:
            rows = connection.execute(
                sa.select(
                    workflow_versions.c.version,
                    workflow_versions.c.created_at,
                    workflow_versions.c.definition,
                )
                .where(workflow_versions.c.workflow_id == workflow_id)
                .order_by(workflow_versions.c.version.desc())
            ).mappings()
            return [
                {
                    "version": r["version"],
                    "created_at": timestamp(r["created_at"]),
                    "title": r["definition"]["title"],
                }
                for r in rows
            ]

    def rollback(self, workflow_id: str, version: int) -> StoredWorkflow:
        """Make an old version current again, as a new version (history is never rewritten)."""
        old = self.get(workflow_id, version)
        return self.update(workflow_id, old.workflow())

    def rotate_token(self, workflow_id: str) -> StoredWorkflow:
        current = self.get(workflow_id)
        if current.trigger_token is None:
            raise NotFound(f"workflow {workflow_id!r} has no trigger URL to rotate")
        self._changed()
        with self.database.engine.begin() as connection:
            connection.execute(
                workflows.update()
                .where(workflows.c.id == workflow_id)
                .values(trigger_token=new_trigger_token())
            )
        return self.get(workflow_id)

    def delete(self, workflow_id: str) -> None:
        """Soft delete: runs keep pointing at a workflow that still exists in the database."""
        self.get(workflow_id)
        self._changed()
        with self.database.engine.begin() as connection:
            connection.execute(
                workflows.update()
                .where(workflows.c.id == workflow_id)
                .values(deleted_at=now(), trigger_token=None, source=None)
            )

    def _live_id(self, condition: sa.ColumnElement[bool]) -> str | None:
        """The id of the workflow, not deleted, that meets `condition` (one at most), if any."""
        with self.database.engine.connect() as connection:
            found: str | None = connection.execute(
                sa.select(workflows.c.id).where(condition, workflows.c.deleted_at.is_(None))
            ).scalar()
        return found


def _live_at_version(version: int | sa.ColumnElement[int]) -> sa.Select[Any]:
    """Workflows not deleted, each with its definition at `version` (a number, or a column such as
    `current_version`)."""
    return (
        sa.select(workflows, workflow_versions.c.definition, workflow_versions.c.version)
        .join(workflow_versions, workflow_versions.c.workflow_id == workflows.c.id)
        .where(workflow_versions.c.version == version, workflows.c.deleted_at.is_(None))
    )


def _stored(row: Any) -> StoredWorkflow:
    return StoredWorkflow(
        id=row["id"],
        version=row["version"],
        title=row["title"],
        enabled=row["enabled"],
        owner_id=row["owner_id"],
        trigger_type=row["trigger_type"],
        trigger_token=row["trigger_token"],
        definition=row["definition"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def _insert_version(
    connection: sa.Connection, workflow_id: str, version: int, document: dict[str, Any]
) -> None:
    connection.execute(
        workflow_versions.insert().values(
            workflow_id=workflow_id, version=version, definition=document, created_at=now()
        )
    )
