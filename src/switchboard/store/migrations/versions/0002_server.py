"""The server's tables: users and API tokens, authentications, trigger events, schedules, storage.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

Json = sa.JSON().with_variant(JSONB(), "postgresql")
Moment = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("created_at", Moment, nullable=False),
        sa.UniqueConstraint("name", name="uq_users_name"),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("user_id", sa.String(32), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("prefix", sa.String(16), nullable=False),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("created_at", Moment, nullable=False),
        sa.Column("last_used_at", Moment, nullable=True),
        sa.Column("revoked_at", Moment, nullable=True),
        sa.UniqueConstraint("token_hash", name="uq_api_tokens_token_hash"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], ondelete="CASCADE", name="fk_api_tokens_user_id_users"
        ),
    )
    op.create_index("ix_api_tokens_user_id", "api_tokens", ["user_id"])
    op.create_table(
        "authentications",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("connector", sa.String(80), nullable=False),
        sa.Column("scope", sa.String(16), nullable=False),
        sa.Column("owner_id", sa.String(32), nullable=False),
        sa.Column("fields", Json, nullable=False),
        sa.Column("secrets", sa.Text, nullable=False),
        sa.Column("created_at", Moment, nullable=False),
        sa.Column("updated_at", Moment, nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], ondelete="CASCADE", name="fk_authentications_owner_id_users"
        ),
    )
    op.create_index("ix_authentications_owner_id", "authentications", ["owner_id"])
    with op.batch_alter_table("workflows") as batch:
        batch.add_column(sa.Column("owner_id", sa.String(32), nullable=True))
        batch.add_column(sa.Column("trigger_type", sa.String(80), nullable=False, server_default="manual"))
        batch.add_column(sa.Column("trigger_token", sa.String(64), nullable=True))
        batch.add_column(sa.Column("deleted_at", Moment, nullable=True))
        batch.create_index("ix_workflows_owner_id", ["owner_id"])
        batch.create_unique_constraint("uq_workflows_trigger_token", ["trigger_token"])
    with op.batch_alter_table("runs") as batch:
        batch.add_column(sa.Column("owner_id", sa.String(32), nullable=True))
        batch.add_column(sa.Column("replay_of", sa.String(32), nullable=True))
    op.create_table(
        "trigger_events",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("workflow_id", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(80), nullable=False),
        sa.Column("dedup_key", sa.String(255), nullable=True),
        sa.Column("payload", Json, nullable=False),
        sa.Column("received_at", Moment, nullable=False),
        sa.Column("run_id", sa.String(32), nullable=True),
        sa.UniqueConstraint("dedup_key", name="uq_trigger_events_dedup_key"),
    )
    op.create_index("ix_trigger_events_workflow_id", "trigger_events", ["workflow_id"])
    op.create_table(
        "schedules",
        sa.Column("workflow_id", sa.String(32), primary_key=True),
        sa.Column("next_run_at", Moment, nullable=False),
        sa.Column("rule", Json, nullable=False),
    )
    op.create_index("ix_schedules_next_run_at", "schedules", ["next_run_at"])
    op.create_table(
        "storage",
        sa.Column("scope", sa.String(16), nullable=False),
        sa.Column("scope_id", sa.String(64), nullable=False),
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("value", Json, nullable=True),
        sa.Column("updated_at", Moment, nullable=False),
        sa.PrimaryKeyConstraint("scope", "scope_id", "key", name="pk_storage"),
    )


def downgrade() -> None:
    op.drop_table("storage")
    op.drop_table("schedules")
    op.drop_table("trigger_events")
    with op.batch_alter_table("runs") as batch:
        batch.drop_column("replay_of")
        batch.drop_column("owner_id")
    with op.batch_alter_table("workflows") as batch:
        batch.drop_constraint("uq_workflows_trigger_token", type_="unique")
        batch.drop_index("ix_workflows_owner_id")
        batch.drop_column("deleted_at")
        batch.drop_column("trigger_token")
        batch.drop_column("trigger_type")
        batch.drop_column("owner_id")
    op.drop_table("authentications")
    op.drop_table("api_tokens")
    op.drop_table("users")
