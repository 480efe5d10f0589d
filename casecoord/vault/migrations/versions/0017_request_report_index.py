"""The casework report's open requests read through one covering index.

``reports.open_requests`` groups the open requests by pair, kind and age. With only
``ix_request_pair_status`` (requesting, requested, status) SQLite walked that index and read
every request row for its kind and creation time: 316 ms of the report's 455 ms on the
20,000-case bench vault (60,000 requests), where reading the table whole took 115 ms. The index
``ix_request_report`` holds every column the query reads, in its grouping order, so the query
reads no request row: 57 ms (SQLCipher, the same vault, medians of 3).

Plain index statements on both backends (a vault and the PostgreSQL team store).

Revision ID: 0017_request_report_index
Revises: 0016_team_search_readers
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0017_request_report_index"
down_revision: str | None = "0016_team_search_readers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ["requesting_state", "requested_state", "kind", "status", "created_at"]


def upgrade() -> None:
    op.create_index("ix_request_report", "request", COLUMNS)


def downgrade() -> None:
    op.drop_index("ix_request_report", table_name="request")
