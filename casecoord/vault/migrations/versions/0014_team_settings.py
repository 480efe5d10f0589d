"""On PostgreSQL, settings belong to the officer who made them; the retention default to the team.

Until now a team store held one row per setting for everybody: one officer's name, time zone or
theme was every officer's. Each officer now has her own rows (``owner``, the role she connected
as, part of the key), seen and written by her only; the ``retention.*`` settings are the team's
(``owner`` empty), seen by every officer and written only by the administrator (the database
owner, whom row-level security does not restrict). Rows already there are the administrator's
after the upgrade, except ``retention.*``, which become the team's.

SQLite (a vault): nothing changes; a vault has one officer.

Revision ID: 0014_team_settings
Revises: 0012_team_search
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0014_team_settings"
down_revision: str | None = "0012_team_search"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TEAM_KEYS = "key LIKE 'retention.%'"
_MINE = f"owner = session_user AND NOT {TEAM_KEYS}"
_TEAMS = f"owner = '' AND {TEAM_KEYS}"

UP = [
    "ALTER TABLE setting ADD COLUMN owner text NOT NULL DEFAULT session_user",
    f"UPDATE setting SET owner = '' WHERE {TEAM_KEYS}",
    "ALTER TABLE setting DROP CONSTRAINT IF EXISTS setting_pkey",
    "ALTER TABLE setting ADD CONSTRAINT setting_pkey PRIMARY KEY (owner, key)",
    "ALTER TABLE setting ENABLE ROW LEVEL SECURITY",
    f"CREATE POLICY setting_read ON setting FOR SELECT USING (({_MINE}) OR ({_TEAMS}))",
    f"CREATE POLICY setting_insert ON setting FOR INSERT WITH CHECK ({_MINE})",
    f"CREATE POLICY setting_update ON setting FOR UPDATE USING ({_MINE}) WITH CHECK ({_MINE})",
    f"CREATE POLICY setting_delete ON setting FOR DELETE USING ({_MINE})",
]

DOWN = [
    *(
        f"DROP POLICY IF EXISTS setting_{verb} ON setting"
        for verb in ("read", "insert", "update", "delete")
    ),
    "ALTER TABLE setting DISABLE ROW LEVEL SECURITY",
    # one row per key again: the team's, else the first owner's
    "DELETE FROM setting WHERE ctid NOT IN (SELECT DISTINCT ON (key) ctid FROM setting "
    "ORDER BY key, owner <> '', owner)",
    "ALTER TABLE setting DROP CONSTRAINT setting_pkey",
    "ALTER TABLE setting DROP COLUMN owner",
    "ALTER TABLE setting ADD CONSTRAINT setting_pkey PRIMARY KEY (key)",
]


def _postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    if _postgres():
        for statement in UP:
            op.execute(statement)


def downgrade() -> None:
    if _postgres():
        for statement in DOWN:
            op.execute(statement)
