"""A contact's family and given names, stored as written rather than guessed from the full name.

"Ana Villamizar Muñoz" has the family name "Villamizar Muñoz" and "Jan de Vries" the family name
"de Vries": no rule splits a full name correctly, so the parts are fields of their own. Existing
contacts keep empty parts (their vCard carries the whole name in FN) until someone fills them in.

Revision ID: 0007_contact_name_parts
Revises: 0004_request_pair_status
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString

revision: str = "0007_contact_name_parts"
down_revision: str | None = "0006_audit_anchor"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # plain ADD COLUMN, not batch mode: a batch "recreate" would drop other migrations' triggers
    op.add_column(
        "contact", sa.Column("family_name", AutoString(), nullable=False, server_default="")
    )
    op.add_column(
        "contact", sa.Column("given_names", AutoString(), nullable=False, server_default="")
    )


def downgrade() -> None:
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_column("given_names")
        batch_op.drop_column("family_name")
