"""The competent-authority directory: who receives a request of a given kind in a given state.

Kept apart from :mod:`casecoord.domain.models` because it is reference data the officer maintains
(seeded from the treaty facts, refreshed from her own CSV), not case data: it is never purged with
a case and never leaves in a bundle. Every row says when it was last verified, because an
addressee that moved is how a request gets lost.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from casecoord.domain.models import utcnow


class Authority(SQLModel, table=True):
    """A central or competent authority of ``country`` for some kinds of request.

    ``kinds`` empty means every kind. ``origin`` is ``seed`` for the rows shipped with casecoord
    (TREATY-FACTS section 4) and ``import`` for rows from the officer's CSV; ``status`` is
    ``uncertain`` when the source does not confirm the fact.
    """

    __tablename__ = "authority"
    __table_args__ = (
        UniqueConstraint("country", "name", name="uq_authority_country_name"),
        Index("ix_authority_country", "country"),
    )

    id: int | None = Field(default=None, primary_key=True)
    country: str
    name: str
    role: str = "central-authority"
    kinds: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    address: str = ""
    email: str | None = None
    phone: str | None = None
    languages: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    note: str = ""
    source: str = ""
    status: str = "confirmed"
    last_verified: date | None = None
    origin: str = "import"
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
