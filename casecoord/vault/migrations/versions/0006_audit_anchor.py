"""The audit chain's anchor: its head (sequence and hash) under a MAC keyed by the vault key.

A hash chain shows an edited or removed entry in the middle, but not the removal of its last
entries, or of all of them: what remains is still a valid chain. The anchor row records the head
after every append, in the same transaction, with an HMAC-SHA256 under a key derived from the
vault's data key, so ``audit verify`` and ``check`` notice a chain that is shorter than its
anchor, an anchor that was deleted, or one that was rewritten without the key.

Revision ID: 0006_audit_anchor
Revises: 0004_request_pair_status
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_audit_anchor"
down_revision: str | None = "0005_request_receipt"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_anchor",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("entry_hash", sa.String(), nullable=False),
        sa.Column("mac", sa.String(), nullable=False),
        sa.CheckConstraint("id = 1", name="ck_audit_anchor_single_row"),
    )
    key = op.get_context().config.attributes.get("audit_anchor_key")  # type: ignore[union-attr]
    if key is None:
        return  # run without the vault key (a bare alembic call): sealed at the next append
    from casecoord.vault.audit import anchor_mac

    connection = op.get_bind()
    head = connection.execute(
        sa.text("SELECT seq, entry_hash FROM audit_entry ORDER BY seq DESC LIMIT 1")
    ).first()
    seq, entry_hash = (0, "0" * 64) if head is None else (int(head[0]), str(head[1]))
    connection.execute(
        sa.text("INSERT INTO audit_anchor (id, seq, entry_hash, mac) VALUES (1, :s, :h, :m)"),
        {"s": seq, "h": entry_hash, "m": anchor_mac(key, seq, entry_hash)},
    )


def downgrade() -> None:
    op.drop_table("audit_anchor")
