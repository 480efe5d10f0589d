"""The stored records: SQLModel tables, no I/O.

The Alembic migrations in ``casecoord/vault/migrations`` create exactly these tables; a test
compares the two so they cannot drift. Times are timezone-aware UTC
(SQLModel's UTCDateTime refuses naive ones, which is what we want). Lists (countries, offences, aliases) are JSON columns because they are
read with their row and filtered through the FTS index or LIKE, never joined on.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from uuid import uuid4

from sqlalchemy import JSON, Column, Index, Integer, LargeBinary, text
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_uid() -> str:
    return str(uuid4())


def _version_column() -> Column[int]:
    """Optimistic concurrency: every UPDATE of the row checks and bumps ``version`` (SQLAlchemy's
    version counter), so of two officers saving the same record the second gets a conflict
    instead of silently overwriting the first."""
    return Column("version", Integer, nullable=False, server_default=text("1"))


_CASE_VERSION = _version_column()
_REQUEST_VERSION = _version_column()
_DEADLINE_VERSION = _version_column()


class Case(SQLModel, table=True):
    __tablename__ = "case_file"
    __table_args__ = (
        Index("ix_case_file_status", "status"),
        Index("ix_case_file_updated_at", "updated_at"),
        Index("ix_case_file_title", "title"),
        Index("ix_case_file_created_at", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(unique=True, index=True)
    title: str
    summary: str = ""
    status: str = "intake"
    countries: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    offences: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    tlp: str = "AMBER"
    handling_code: str = "H1"
    source_grading: str | None = None
    eurojust_ref: str | None = None
    europol_ref: str | None = None
    prosecution_ref: str | None = None
    retention_until: date | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    version: int = Field(default=1, sa_column=_CASE_VERSION)

    __mapper_args__ = {"version_id_col": _CASE_VERSION}


class CaseLink(SQLModel, table=True):
    __tablename__ = "case_link"

    case_id: int = Field(foreign_key="case_file.id", primary_key=True, ondelete="CASCADE")
    linked_case_id: int = Field(foreign_key="case_file.id", primary_key=True, ondelete="CASCADE")
    reason: str = ""


class Person(SQLModel, table=True):
    __tablename__ = "person"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_file.id", index=True, ondelete="CASCADE")
    role: str = "suspect"
    family_name: str
    given_names: str = ""
    aliases: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    birth_date: date | None = None
    nationality: str | None = None
    documents: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    whereabouts: str = ""
    tlp: str = "AMBER"
    handling_code: str = "H1"
    created_at: datetime = Field(default_factory=utcnow)


class Contact(SQLModel, table=True):
    __tablename__ = "contact"
    # the directory's order with every column its filter reads (0013)
    __table_args__ = (
        Index("ix_contact_directory", "country", "name", "id", "organisation", "handle"),
    )

    id: int | None = Field(default=None, primary_key=True)
    handle: str = Field(unique=True, index=True)
    name: str
    # The name's parts as the person writes them (two Spanish surnames, "de Vries"): never
    # guessed from ``name``; empty when unknown (a vCard then carries the whole name in FN).
    family_name: str = ""
    given_names: str = ""
    organisation: str = ""
    role: str = ""
    country: str
    time_zone: str = "UTC"
    languages: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    email: str | None = None
    phone: str | None = None
    channels: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    certificate_pem: str | None = None
    certificate_fingerprint: str | None = Field(default=None, index=True)
    pinned_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)


class Request(SQLModel, table=True):
    __tablename__ = "request"
    __table_args__ = (
        Index("ix_request_status", "status"),
        Index("ix_request_pair_status", "requesting_state", "requested_state", "status"),
        Index("ix_request_requested_state", "requested_state"),  # the agenda's country (0013)
        # the report's open requests, every column it reads (0017)
        Index(
            "ix_request_report",
            "requesting_state",
            "requested_state",
            "kind",
            "status",
            "created_at",
        ),
        # every request list's order and filter columns (0018)
        Index(
            "ix_request_list",
            "direction",
            "updated_at",
            "id",
            "reference",
            "case_id",
            "requested_state",
            "status",
        ),
        Index("ix_request_case", "case_id"),
        Index("ix_request_parent", "parent_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(unique=True, index=True)
    case_id: int = Field(foreign_key="case_file.id", ondelete="CASCADE")
    kind: str
    direction: str
    requesting_state: str
    requested_state: str
    status: str
    basis_instrument_id: str | None = None
    basis_title: str | None = None
    basis_articles: str | None = None
    basis_override_reason: str | None = None
    channel: str = "central-authority"
    measures: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    facts: str = ""
    legal_qualification: str = ""
    urgency: str = "normal"
    language: str = "en"
    translation_state: str = "not-needed"
    counterpart_id: int | None = Field(default=None, foreign_key="contact.id", ondelete="SET NULL")
    counterpart_reference: str | None = None
    parent_id: int | None = Field(default=None, foreign_key="request.id", ondelete="SET NULL")
    relation: str | None = None
    tlp: str = "AMBER"
    handling_code: str = "H1"
    bundle_id: str | None = Field(default=None, index=True)
    # incoming only: when the request reached us; its statutory deadlines run from here
    received_at: datetime | None = None
    provisional_measures: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    # the officer's answers to what the conventions' scope asks and the tool cannot know
    # (migration 0010): is an organised criminal group involved (UNTOC Arts. 2(a), 3(1))? the
    # offence's maximum penalty in years (UNTOC Art. 2(b) serious crime: at least 4)? None: not
    # answered yet, and the basis answer asks the question
    organised_group: bool | None = None
    max_penalty_years: float | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    version: int = Field(default=1, sa_column=_REQUEST_VERSION)

    __mapper_args__ = {"version_id_col": _REQUEST_VERSION}
    # What the request documents of each instrument need beyond the facts (migration 0008):
    # the warrant or judgment (extradition, provisional arrest, EAW section (b)) ...
    decision_kind: str | None = None
    decision_authority: str = ""
    decision_date: date | None = None
    decision_reference: str = ""
    # ... the offence (time, place, provisions, penalty, limitation; EAW section (d)) ...
    offence_time: str = ""
    offence_place: str = ""
    provisions_text: str = ""
    max_penalty: str = ""
    sentence_imposed: str = ""
    limitation: str = ""
    in_absentia: str = ""
    # ... and Vienna 7(10) / UNTOC 18(15) items (b), (d), (f), assurances, EIO section L.
    proceedings: str = ""
    proceedings_authority: str = ""
    purpose: str = ""
    procedure: str = ""
    assurances: str = ""
    validating_authority: str = ""


DOCUMENT_TEXT_FIELDS = (
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
"""The request's free-text document fields (all ``str``, empty when not given), in form order."""

DECISION_KINDS = ("arrest-warrant", "judgment")
"""What ``Request.decision_kind`` may hold: EAW section (b) 1 and 2."""


class RequestPerson(SQLModel, table=True):
    __tablename__ = "request_person"

    request_id: int = Field(foreign_key="request.id", primary_key=True, ondelete="CASCADE")
    person_id: int = Field(foreign_key="person.id", primary_key=True, ondelete="CASCADE")


class Note(SQLModel, table=True):
    __tablename__ = "note"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_file.id", index=True, ondelete="CASCADE")
    body: str
    created_at: datetime = Field(default_factory=utcnow)


class Deadline(SQLModel, table=True):
    __tablename__ = "deadline"
    # the agenda's orders, holding what its filters and counts read (0013)
    __table_args__ = (
        Index("ix_deadline_open", "state", "due_at", "id", "case_id", "request_id"),
        Index("ix_deadline_due", "due_at", "id", "case_id", "request_id", "state"),
    )

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(default_factory=new_uid, unique=True)
    case_id: int = Field(foreign_key="case_file.id", index=True, ondelete="CASCADE")
    request_id: int | None = Field(
        default=None, foreign_key="request.id", index=True, ondelete="CASCADE"
    )
    title: str
    due_at: datetime
    origin: str = "manual"
    rule_id: str | None = None
    article: str | None = None
    counting: str | None = None
    counting_country: str | None = None
    counterpart_time_zone: str | None = None
    state: str = "open"
    note: str = ""
    sequence: int = 0
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    version: int = Field(default=1, sa_column=_DEADLINE_VERSION)

    __mapper_args__ = {"version_id_col": _DEADLINE_VERSION}


class Attachment(SQLModel, table=True):
    __tablename__ = "attachment"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_file.id", index=True, ondelete="CASCADE")
    request_id: int | None = Field(
        default=None, foreign_key="request.id", index=True, ondelete="CASCADE"
    )
    name: str
    media_type: str = "application/octet-stream"
    size: int = 0
    sha256: str = ""
    tlp: str = "AMBER"
    handling_code: str = "H1"
    created_at: datetime = Field(default_factory=utcnow)


class AttachmentChunk(SQLModel, table=True):
    __tablename__ = "attachment_chunk"

    attachment_id: int = Field(foreign_key="attachment.id", primary_key=True, ondelete="CASCADE")
    seq: int = Field(primary_key=True)
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class Identity(SQLModel, table=True):
    """The officer's own keys and certificates: only ever inside the encrypted database."""

    __tablename__ = "identity"

    id: int | None = Field(default=None, primary_key=True)
    name: str
    organisation: str
    country: str
    email: str | None = None
    signing_key_der: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    signing_cert_der: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    encryption_key_der: bytes | None = Field(default=None, sa_column=Column(LargeBinary))
    encryption_cert_der: bytes | None = Field(default=None, sa_column=Column(LargeBinary))
    fingerprint: str
    created_at: datetime = Field(default_factory=utcnow)


class AuditEntry(SQLModel, table=True):
    """One link of the tamper-evident audit chain.

    ``entry_hash`` covers ``payload_digest``, not ``payload``: a purge may blank the payload (which
    can hold personal data) and the chain still verifies.
    """

    __tablename__ = "audit_entry"

    seq: int = Field(primary_key=True)
    at: datetime
    actor: str
    action: str
    entity: str
    entity_ref: str
    case_ref: str | None = Field(default=None, index=True)
    payload: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    payload_digest: str
    prev_hash: str
    entry_hash: str


class AuditAnchor(SQLModel, table=True):
    """The head of the audit chain (sequence and hash) and its MAC under the vault's anchor key:
    one row, rewritten with every append, so a chain shortened or emptied is noticed."""

    __tablename__ = "audit_anchor"

    id: int = Field(default=1, primary_key=True)
    seq: int
    entry_hash: str
    mac: str


class Setting(SQLModel, table=True):
    __tablename__ = "setting"

    key: str = Field(primary_key=True)
    value: str
