"""Indexes the list screens read their first page and their count through.

Measured on the 20,000-case bench vault (12,000 deadlines, 1,000 contacts; bench/RESULTS.md, TUI
suite), with EXPLAIN QUERY PLAN on SQLCipher:

* ``ix_deadline_open`` (state, due_at, id, case_id, request_id) replaces ``ix_deadline_state_due``
  (state, due_at): the same order, and the counts of a filtered agenda (by case, by country)
  no longer read a deadline row each to learn its case and request (270 ms at 10,000 open).
* ``ix_deadline_due`` (due_at, id, case_id, request_id, state): the agenda with met and waived
  deadlines included had no index in its order (``USE TEMP B-TREE FOR ORDER BY`` over every
  deadline, 570 ms a page); now the page walks the index and stops after its rows.
* ``ix_request_requested_state``: the agenda's country filter keeps the deadlines whose request
  names the country on either side; the requesting side has ``ix_request_pair_status`` as its
  prefix, the requested side had nothing, so the filter read a request row per deadline.
* ``ix_contact_directory`` (country, name, id, organisation, handle): the directory's order,
  holding every column its filter reads, so a page walks the index (no sort) and a filtered
  count never reads a contact row (a certificate makes a row long).

Plain index statements on both backends (a vault and the PostgreSQL team store), no batch mode:
a batch "recreate" of a table would drop the search triggers of 0002 with it.

Revision ID: 0013_list_indexes
Revises: 0012_team_search
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0013_list_indexes"
down_revision: str | None = "0012_team_search"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = {
    "ix_deadline_open": ("deadline", ["state", "due_at", "id", "case_id", "request_id"]),
    "ix_deadline_due": ("deadline", ["due_at", "id", "case_id", "request_id", "state"]),
    "ix_request_requested_state": ("request", ["requested_state"]),
    "ix_contact_directory": ("contact", ["country", "name", "id", "organisation", "handle"]),
}


def upgrade() -> None:
    for name, (table, columns) in INDEXES.items():
        op.create_index(name, table, columns)
    op.drop_index("ix_deadline_state_due", table_name="deadline")  # ix_deadline_open covers it


def downgrade() -> None:
    op.create_index("ix_deadline_state_due", "deadline", ["state", "due_at"])
    for name, (table, _columns) in INDEXES.items():
        op.drop_index(name, table_name=table)
