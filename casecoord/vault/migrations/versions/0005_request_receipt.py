"""An incoming request's receipt date, and whether a request asks for provisional measures.

Statutory deadlines of an incoming request run from its receipt (EIO Art. 12(3): 30 days "after
the receipt"), which is often days before the request is entered; ``received_at`` keeps that
moment so the deadlines can be computed, and recomputed, from it. Existing incoming requests get
their creation time, the moment their deadlines were computed from until now.
``provisional_measures`` decides whether EIO Art. 32's 24 hours run at all.

Plain ADD COLUMN statements, not batch mode: a batch "recreate" of the request table would drop
the search triggers of 0002 with it.

Revision ID: 0005_request_receipt
Revises: 0004_request_pair_status
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import UTCDateTime

revision: str = "0005_request_receipt"
down_revision: str | None = "0004_request_pair_status"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("request", sa.Column("received_at", UTCDateTime(), nullable=True))
    op.add_column(
        "request",
        sa.Column("provisional_measures", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.execute("UPDATE request SET received_at = created_at WHERE direction = 'incoming'")


def downgrade() -> None:
    op.drop_column("request", "provisional_measures")
    op.drop_column("request", "received_at")
