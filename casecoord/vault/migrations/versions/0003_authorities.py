"""Competent-authority directory, seeded with the central authorities of TREATY-FACTS section 4

The seed rows are written here, not read from the catalogue at upgrade time, so the migration
gives the same result whatever later catalogue ships with casecoord. ``last_verified`` is the date
the sources were checked (the catalogue's ``facts_as_of``); the officer refreshes rows from her own
CSV (``casecoord authority import``). Colombia's MLA central authority is not confirmed by the
sources, so no row is seeded for it: the directory says "unknown" rather than guess.

Revision ID: 0003_authorities
Revises: 0002_search_indexes
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString, UTCDateTime

revision: str = "0003_authorities"
down_revision: str | None = "0002_search_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FACTS_AS_OF = date(2026, 11, 23)
_MLA_KINDS = ["mla", "freezing", "confiscation", "transfer-of-proceedings", "jit"]
_EXTRADITION_KINDS = ["extradition", "provisional-arrest"]

SEED = [
    {
        "country": "NL",
        "name": "AIRS, Afdeling Internationale Rechtshulp in Strafzaken (Ministry of Justice and "
        "Security)",
        "role": "central-authority",
        "kinds": [],
        "languages": ["nl", "en"],
        "note": "central authority for extradition and MLA, especially with non-EU states",
        "source": "treaty catalogue [S44, S45]",
    },
    {
        "country": "NL",
        "name": "LIRC, Landelijk Internationaal Rechtshulpcentrum",
        "role": "receiving-authority",
        "kinds": ["mla", "eio"],
        "languages": ["nl", "en"],
        "note": "the national centre; 10 regional IRCs also receive requests",
        "source": "treaty catalogue [S44, S45]",
    },
    {
        "country": "CO",
        "name": "Ministerio de Relaciones Exteriores (diplomatic channel)",
        "role": "transmitting-authority",
        "kinds": _EXTRADITION_KINDS,
        "languages": ["es"],
        "note": "the Fiscal General orders the arrest (Ley 906 Art. 509); the Ministry of Justice "
        "processes; the Supreme Court (Criminal Chamber) gives its opinion; the government "
        "decides",
        "source": "treaty catalogue [S41, S42]",
    },
    {
        "country": "PE",
        "name": "Fiscalía de la Nación, UCJIE (Unidad de Cooperación Judicial Internacional y "
        "Extradiciones)",
        "role": "central-authority",
        "kinds": [],
        "languages": ["es"],
        "note": "NCPP Art. 512; the Ministry of Foreign Affairs transmits; a Spanish translation "
        "is required (NCPP Art. 509(1))",
        "source": "treaty catalogue [S46]",
    },
    {
        "country": "EC",
        "name": "Fiscalía General del Estado, Dirección de Cooperación y Asuntos Internacionales",
        "role": "central-authority",
        "kinds": _MLA_KINDS,
        "languages": ["es"],
        "note": "under UNCAC the central authority is the Corte Nacional de Justicia",
        "source": "treaty catalogue [S47]",
    },
    {
        "country": "EC",
        "name": "Corte Nacional de Justicia",
        "role": "central-authority",
        "kinds": _EXTRADITION_KINDS,
        "languages": ["es"],
        "note": "extradition: Ley de Extradición 2000",
        "source": "treaty catalogue [S47]",
    },
]


def upgrade() -> None:
    authority = op.create_table(
        "authority",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("country", AutoString(), nullable=False),
        sa.Column("name", AutoString(), nullable=False),
        sa.Column("role", AutoString(), nullable=False),
        sa.Column("kinds", sa.JSON(), nullable=False),
        sa.Column("address", AutoString(), nullable=False),
        sa.Column("email", AutoString(), nullable=True),
        sa.Column("phone", AutoString(), nullable=True),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("note", AutoString(), nullable=False),
        sa.Column("source", AutoString(), nullable=False),
        sa.Column("status", AutoString(), nullable=False),
        sa.Column("last_verified", sa.Date(), nullable=True),
        sa.Column("origin", AutoString(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("country", "name", name="uq_authority_country_name"),
    )
    with op.batch_alter_table("authority", schema=None) as batch_op:
        batch_op.create_index("ix_authority_country", ["country"], unique=False)
    now = datetime.now(UTC)
    op.bulk_insert(
        authority,
        [
            {
                "address": "",
                "email": None,
                "phone": None,
                "status": "confirmed",
                "last_verified": FACTS_AS_OF,
                "origin": "seed",
                "created_at": now,
                "updated_at": now,
                **row,
            }
            for row in SEED
        ],
    )


def downgrade() -> None:
    with op.batch_alter_table("authority", schema=None) as batch_op:
        batch_op.drop_index("ix_authority_country")
    op.drop_table("authority")
