"""The database tables. Alembic migrations under `migrations/` create and evolve them."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_name)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

Json = sa.JSON().with_variant(JSONB(), "postgresql")
Moment = sa.DateTime(timezone=True)

users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("name", sa.String(120), nullable=False, unique=True),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("created_at", Moment, nullable=False),
)

api_tokens = sa.Table(
    "api_tokens",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column(
        "user_id", sa.String(32), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("prefix", sa.String(16), nullable=False),
    sa.Column("label", sa.Text, nullable=False),
    sa.Column("created_at", Moment, nullable=False),
    sa.Column("last_used_at", Moment, nullable=True),
    sa.Column("revoked_at", Moment, nullable=True),
)

sessions = sa.Table(
    "sessions",
    metadata,
    sa.Column("id_hash", sa.String(64), primary_key=True),
    sa.Column(
        "user_id", sa.String(32), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    sa.Column("csrf_token", sa.String(64), nullable=False),
    sa.Column("created_at", Moment, nullable=False),
    sa.Column("expires_at", Moment, nullable=False),
)

authentications = sa.Table(
    "authentications",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("connector", sa.String(80), nullable=False),
    sa.Column("scope", sa.String(16), nullable=False),
    sa.Column(
        "owner_id", sa.String(32), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    sa.Column("fields", Json, nullable=False),
    sa.Column("secrets", sa.Text, nullable=False),
    sa.Column("created_at", Moment, nullable=False),
    sa.Column("updated_at", Moment, nullable=False),
)

workflows = sa.Table(
    "workflows",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("source", sa.Text, nullable=True, unique=True),
    sa.Column("current_version", sa.Integer, nullable=False),
    sa.Column("enabled", sa.Boolean, nullable=False, default=True),
    sa.Column("created_at", Moment, nullable=False),
    sa.Column("updated_at", Moment, nullable=False),
    sa.Column("owner_id", sa.String(32), nullable=True, index=True),
    sa.Column("trigger_type", sa.String(80), nullable=False, server_default="manual"),
    sa.Column("trigger_token", sa.String(64), nullable=True, unique=True),
    sa.Column("deleted_at", Moment, nullable=True),
)

trigger_events = sa.Table(
    "trigger_events",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("workflow_id", sa.String(32), nullable=False, index=True),
    sa.Column("kind", sa.String(80), nullable=False),
    sa.Column("dedup_key", sa.String(255), nullable=True, unique=True),
    sa.Column("payload", Json, nullable=False),
    sa.Column("received_at", Moment, nullable=False),
    sa.Column("run_id", sa.String(32), nullable=True),
)

schedules = sa.Table(
    "schedules",
    metadata,
    sa.Column("workflow_id", sa.String(32), primary_key=True),
    sa.Column("next_run_at", Moment, nullable=False, index=True),
    sa.Column("rule", Json, nullable=False),
)

storage = sa.Table(
    "storage",
    metadata,
    sa.Column("scope", sa.String(16), primary_key=True),
    sa.Column("scope_id", sa.String(64), primary_key=True),
    sa.Column("key", sa.String(255), primary_key=True),
    sa.Column("value", Json, nullable=True),
    sa.Column("updated_at", Moment, nullable=False),
)

workflow_versions = sa.Table(
    "workflow_versions",
    metadata,
    sa.Column(
        "workflow_id", sa.String(32), sa.ForeignKey("workflows.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("definition", Json, nullable=False),
    sa.Column("created_at", Moment, nullable=False),
)

runs = sa.Table(
    "runs",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("workflow_id", sa.String(32), nullable=True, index=True),
    sa.Column("workflow_version", sa.Integer, nullable=True),
    sa.Column("status", sa.String(16), nullable=False, index=True),
    sa.Column("trigger_type", sa.String(64), nullable=False),
    sa.Column("trigger_data", Json, nullable=True),
    sa.Column("error", Json, nullable=True),
    sa.Column("started_at", Moment, nullable=False, index=True),
    sa.Column("finished_at", Moment, nullable=True),
    sa.Column("owner_id", sa.String(32), nullable=True),
    sa.Column("replay_of", sa.String(32), nullable=True),
)

step_runs = sa.Table(
    "step_runs",
    metadata,
    sa.Column("run_id", sa.String(32), sa.ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("name", sa.String(80), primary_key=True),
    sa.Column("iteration", sa.String(512), primary_key=True),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("connector", sa.String(80), nullable=False),
    sa.Column("operation", sa.String(80), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("loop_index", sa.Integer, nullable=True),
    sa.Column("input", Json, nullable=True),
    sa.Column("output", Json, nullable=True),
    sa.Column("error", Json, nullable=True),
    sa.Column("started_at", Moment, nullable=False),
    sa.Column("finished_at", Moment, nullable=True),
)
