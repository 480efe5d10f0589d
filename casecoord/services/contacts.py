"""The counterpart directory: officers and authorities abroad, their local time and certificates.

A counterpart's certificate is *pinned* by its SHA-256 fingerprint, read out over a trusted
channel; bundles signed by a pinned certificate verify as "trusted signer".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import Session, col, or_, select

from casecoord.domain.enums import Channel
from casecoord.domain.errors import ConflictError, DuplicateError, NotFoundError, ValidationError
from casecoord.domain.models import Contact
from casecoord.domain.values import (
    country_code,
    email,
    language_code,
    phone_e164,
    required_text,
    row_count,
    time_zone,
)
from casecoord.domain.zones import country_zone
from casecoord.services import like
from casecoord.services.cases import enum_value
from casecoord.services.journal import record
from casecoord.store import Store


@dataclass
class ContactInput:
    name: str
    country: str
    handle: str | None = None
    organisation: str = ""
    role: str = ""
    time_zone: str | None = None
    languages: Sequence[str] = ()
    email: str | None = None
    phone: str | None = None
    channels: Sequence[str] = ()
    family_name: str = ""
    given_names: str = ""


def make_handle(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug[:40] or "contact"


def _name_part(value: str, field: str) -> str:
    text = " ".join((value or "").split())
    if len(text) > 120:
        raise ValidationError(field, "at most 120 characters")
    return text


def validated_contact(data: ContactInput) -> Contact:
    country = country_code(data.country, "country")
    zone = data.time_zone or country_zone(country)
    time_zone(zone, "time zone")
    handle = (data.handle or make_handle(data.name)).strip()
    if not re.fullmatch(r"[a-z0-9][a-z0-9._-]{1,39}", handle):
        raise ValidationError(
            "handle", f"'{handle}' must be 2-40 lower-case letters, digits, '.', '_' or '-'"
        )
    return Contact(
        handle=handle,
        name=required_text(data.name, "name", 120),
        family_name=_name_part(data.family_name, "family name"),
        given_names=_name_part(data.given_names, "given names"),
        organisation=(data.organisation or "").strip(),
        role=(data.role or "").strip(),
        country=country,
        time_zone=zone,
        languages=[language_code(code) for code in data.languages if code.strip()],
        email=email(data.email),
        phone=phone_e164(data.phone, region=country),
        channels=[enum_value(Channel, c, "channel") for c in data.channels if c.strip()],
    )


def add_contact(vault: Store, data: ContactInput) -> Contact:
    contact = validated_contact(data)
    with vault.transaction() as session:
        if find_contact(session, contact.handle) is not None:
            raise DuplicateError(f"a contact with handle {contact.handle} already exists")
        session.add(contact)
        session.flush()
        record(
            session,
            "contact.add",
            "contact",
            contact.handle,
            contact.model_dump(mode="json", exclude={"id"}),
        )
        return contact


#: What an officer may change on a directory entry: the handle names the contact in bundles,
#: pins and the journal, and the certificate changes only by pinning.
EDITABLE_FIELDS = (
    "name",
    "family_name",
    "given_names",
    "organisation",
    "role",
    "country",
    "time_zone",
    "languages",
    "email",
    "phone",
    "channels",
)


def contact_input(contact: Contact) -> ContactInput:
    """The entry as the form shows it, so an edit starts from what is stored."""
    return ContactInput(
        name=contact.name,
        country=contact.country,
        handle=contact.handle,
        organisation=contact.organisation,
        role=contact.role,
        time_zone=contact.time_zone,
        languages=list(contact.languages),
        email=contact.email,
        phone=contact.phone,
        channels=list(contact.channels),
        family_name=contact.family_name,
        given_names=contact.given_names,
    )


def update_contact(
    vault: Store, handle: str, data: ContactInput, *, expected: Contact | None = None
) -> Contact:
    """Replace the editable fields of one entry; the journal records each field's old and new
    value.

    ``expected`` is the entry as the form loaded it: when someone else (another office in team
    mode, the CLI) changed one of its fields since, nothing is saved, because saving would
    silently undo their change. The handle cannot change (``data.handle`` is ignored).
    """
    with vault.transaction() as session:
        contact = require_contact(session, handle)
        if expected is not None:
            moved = [
                name
                for name in EDITABLE_FIELDS
                if getattr(contact, name) != getattr(expected, name)
            ]
            if moved:
                raise ConflictError(
                    f"contact {contact.handle} was changed by someone else since you opened it "
                    f"({', '.join(moved)}); nothing was saved. Reload it and make your change "
                    "again"
                )
        wanted = validated_contact(replace(data, handle=contact.handle))
        diff: dict[str, Any] = {}
        for name in EDITABLE_FIELDS:
            old, new = getattr(contact, name), getattr(wanted, name)
            if old != new:
                diff[name] = {"from": old, "to": new}
                setattr(contact, name, new)
        if diff:
            session.add(contact)
            record(session, "contact.update", "contact", contact.handle, diff)
        return contact


def find_contact(session: Session, handle: str) -> Contact | None:
    return session.exec(select(Contact).where(Contact.handle == handle.strip())).first()


def require_contact(session: Session, handle: str) -> Contact:
    found = find_contact(session, handle)
    if found is None:
        raise NotFoundError(f"no contact '{handle}'")
    return found


def get_contact(vault: Store, handle: str) -> Contact:
    with vault.session() as session:
        return require_contact(session, handle)


def _contact_filter(statement: Any, text: str) -> Any:
    if not text.strip():
        return statement
    pattern = like.contains(text.strip().lower())
    return statement.where(
        or_(
            *(
                func.lower(column).like(pattern, escape=like.ESCAPE)
                for column in (
                    col(Contact.name),
                    col(Contact.organisation),
                    col(Contact.country),
                    col(Contact.handle),
                )
            )
        )
    )


def list_contacts(vault: Store, text: str = "", limit: int = 500, offset: int = 0) -> list[Contact]:
    """The contacts matching ``text`` by country and name, ``limit`` of them from ``offset``."""
    with vault.session() as session:
        # the page's ids from ix_contact_directory (its order, its filter columns: no contact
        # row is read to find them), then only those rows (migration 0013)
        order = (col(Contact.country), col(Contact.name), col(Contact.id))
        ids = _contact_filter(select(col(Contact.id)), text).order_by(*order)
        ids = ids.offset(row_count(offset)).limit(row_count(limit))
        rows = select(Contact).where(col(Contact.id).in_(ids.scalar_subquery())).order_by(*order)
        return list(session.exec(rows))


def count_contacts(vault: Store, text: str = "", cap: int = 10_000) -> int:
    """How many contacts match ``text``; counting stops at ``cap``."""
    with vault.session() as session:
        inner = _contact_filter(select(col(Contact.id)), text).limit(row_count(cap)).subquery()
        return int(session.exec(select(func.count()).select_from(inner)).one())


def local_time(contact: Contact, now: datetime | None = None) -> datetime:
    return (now or datetime.now(UTC)).astimezone(ZoneInfo(contact.time_zone))


def pin_certificate(vault: Store, handle: str, certificate_pem: str, fingerprint: str) -> Contact:
    """Store a counterpart's certificate with its fingerprint (computed by the bundle layer)."""
    with vault.transaction() as session:
        contact = require_contact(session, handle)
        previous = contact.certificate_fingerprint
        contact.certificate_pem = certificate_pem
        contact.certificate_fingerprint = fingerprint
        contact.pinned_at = datetime.now(UTC)
        session.add(contact)
        record(
            session,
            "contact.pin",
            "contact",
            contact.handle,
            {"fingerprint": fingerprint, "replaced": previous},
        )
        return contact


def pinned_fingerprints(vault: Store) -> dict[str, str]:
    with vault.session() as session:
        rows = session.exec(
            select(Contact.certificate_fingerprint, Contact.name).where(
                col(Contact.certificate_fingerprint).is_not(None)
            )
        ).all()
        return {str(fp): str(name) for fp, name in rows}
