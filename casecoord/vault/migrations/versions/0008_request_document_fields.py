"""The request fields the documents of each instrument need.

Extradition and provisional arrest need the warrant or judgment (kind, issuing authority, date,
reference), the offence's time and place, the text of the provisions, the maximum penalty or the
sentence imposed, limitation and assurances; MLA needs Vienna 1988 Art. 7(10) / UNTOC Art. 18(15)
items (b) proceedings, (d) procedure and (f) purpose; the EIO Annex A needs the validating
authority (section L). All columns are added with an empty default, so existing requests keep
working and simply print "not stated" where the law asks for something they lack.

Plain ``ADD COLUMN`` statements, not batch mode: a batch "recreate" of the request table would
drop the search triggers of 0002 with it.

Revision ID: 0008_request_document_fields
Revises: 0007_contact_name_parts
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString

revision: str = "0008_request_document_fields"
down_revision: str | None = "0007_contact_name_parts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TEXT_COLUMNS = (
    "decision_authority",
    "decision_reference",
    "offence_time",
    "offence_place",
    "provisions_text",
    "max_penalty",
    "sentence_imposed",
    "limitation",
    "in_absentia",
    "proceedings",
    "proceedings_authority",
    "purpose",
    "procedure",
    "assurances",
    "validating_authority",
)


def upgrade() -> None:
    op.add_column("request", sa.Column("decision_kind", AutoString(), nullable=True))
    op.add_column("request", sa.Column("decision_date", sa.Date(), nullable=True))
    for name in TEXT_COLUMNS:
        op.add_column("request", sa.Column(name, AutoString(), nullable=False, server_default=""))


def downgrade() -> None:
    for name in (*TEXT_COLUMNS, "decision_date", "decision_kind"):
        op.drop_column("request", name)
