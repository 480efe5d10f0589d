"""The officer's answers to a convention's offence scope, stored on the request.

UNTOC applies to a serious crime (maximum penalty of at least four years, Art. 2(b)) involving
an organised criminal group (Arts. 2(a), 3(1)); the tool cannot know either, so ``basis`` asks
(``--organised-group``, ``--max-penalty-years``). The request keeps the answers so its editor,
``request show`` and the basis review resolve with them. Both columns are nullable: an existing
request has not answered, and its basis answer keeps asking.

Plain ``add_column`` on both backends (the PostgreSQL team store is built by these same
migrations; row-level security and the audit trigger of 0009 cover the new columns as they cover
every column of the row). Not batch mode: a batch "recreate" on SQLite would drop the search
triggers of 0002.

Revision ID: 0010_request_scope
Revises: 0009_team_mode
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_request_scope"
down_revision: str | None = "0009_team_mode"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("request", sa.Column("organised_group", sa.Boolean(), nullable=True))
    op.add_column("request", sa.Column("max_penalty_years", sa.Float(), nullable=True))


def downgrade() -> None:
    op.drop_column("request", "max_penalty_years")
    op.drop_column("request", "organised_group")
