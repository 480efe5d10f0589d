"""Case files: capture, look up, page through, edit, change status, persons, notes.

Listing is built for 100,000 cases: a page is one ``LIMIT/OFFSET`` query over an index, and the
filter-as-you-type text goes through the trigram FTS index ``case_filter`` rather than a scan.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, col, func, select

from casecoord.domain.enums import CaseStatus, EuListOffence, HandlingCode, PersonRole, Tlp
from casecoord.domain.errors import ConflictError, DuplicateError, NotFoundError, ValidationError
from casecoord.domain.models import Case, Note, Person, utcnow
from casecoord.domain.status import check_case_move
from casecoord.domain.values import country_code, iso_date, reference, required_text, row_count
from casecoord.services import like
from casecoord.services.concurrency import check_version
from casecoord.services.journal import record
from casecoord.services.retention import apply_default_retention
from casecoord.store import Store, is_postgres

SORTABLE = {
    "reference": Case.reference,
    "title": Case.title,
    "status": Case.status,
    "updated": Case.updated_at,
    "created": Case.created_at,
}
_GRADING_SOURCES = {"A", "B", "C", "X"}
_GRADING_INFO = {"1", "2", "3", "4"}


@dataclass
class CaseInput:
    """What an officer types to open a case; every field is validated by :func:`add_case`."""

    reference: str
    title: str
    countries: Sequence[str] = ()
    summary: str = ""
    offences: Sequence[str] = ()
    status: str = CaseStatus.INTAKE.value
    tlp: str = Tlp.AMBER.value
    handling_code: str = HandlingCode.H1.value
    source_grading: str | None = None
    eurojust_ref: str | None = None
    europol_ref: str | None = None
    prosecution_ref: str | None = None
    retention_until: str | date | None = None


@dataclass(frozen=True)
class CaseRow:
    """One line of the case list: only what the list shows."""

    id: int
    reference: str
    title: str
    status: str
    countries: tuple[str, ...]
    offences: tuple[str, ...]
    updated_at: datetime


@dataclass(frozen=True)
class CaseQuery:
    """What the case list shows: filter words (see :func:`filter_terms`), status, sort order."""

    text: str = ""
    status: str | None = None
    sort: str = "updated"
    descending: bool = True


@dataclass
class CaseDetail:
    case: Case
    persons: list[Person] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)


def enum_value(enum: Any, value: str, field_name: str) -> str:
    try:
        return str(enum(value).value)
    except ValueError:
        allowed = ", ".join(str(member.value) for member in enum)
        raise ValidationError(field_name, f"'{value}' is not one of: {allowed}") from None


def offence_value(value: str) -> str:
    return enum_value(EuListOffence, value.strip(), "offence")


def grading_value(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    text_value = value.strip().upper()
    if (
        len(text_value) != 2
        or text_value[0] not in _GRADING_SOURCES
        or text_value[1] not in _GRADING_INFO
    ):
        raise ValidationError(
            "source grading",
            f"'{value}' is not a grading such as B2 (source A/B/C/X, information 1-4)",
        )
    return text_value


def _validated(data: CaseInput) -> Case:
    countries = sorted({country_code(c, "countries") for c in data.countries if c.strip()})
    return Case(
        reference=reference(data.reference),
        title=required_text(data.title, "title", 200),
        summary=(data.summary or "").strip(),
        status=enum_value(CaseStatus, data.status, "status"),
        countries=countries,
        offences=sorted({offence_value(o) for o in data.offences if o.strip()}),
        tlp=enum_value(Tlp, data.tlp, "tlp"),
        handling_code=enum_value(HandlingCode, data.handling_code, "handling code"),
        source_grading=grading_value(data.source_grading),
        eurojust_ref=data.eurojust_ref or None,
        europol_ref=data.europol_ref or None,
        prosecution_ref=data.prosecution_ref or None,
        retention_until=iso_date(data.retention_until, "retention until"),
    )


def case_payload(case: Case) -> dict[str, Any]:
    return case.model_dump(mode="json", exclude={"id"})


def add_case(vault: Store, data: CaseInput) -> Case:
    with vault.transaction() as session:
        return create_case(session, data)


def create_case(session: Session, data: CaseInput) -> Case:
    """:func:`add_case` inside the caller's transaction (used by bundle import)."""
    case = _validated(data)
    if find_case(session, case.reference) is not None:
        raise DuplicateError(f"a case with reference {case.reference} already exists")
    apply_default_retention(session, case)
    session.add(case)
    session.flush()
    record(session, "case.create", "case", case.reference, case_payload(case), case.reference)
    return case


def find_case(session: Session, ref: str) -> Case | None:
    return session.exec(select(Case).where(Case.reference == ref.strip())).first()


def require_case(session: Session, ref: str) -> Case:
    case = find_case(session, ref)
    if case is None:
        raise NotFoundError(f"no case with reference {ref}")
    return case


def get_case(vault: Store, ref: str) -> CaseDetail:
    with vault.session() as session:
        case = require_case(session, ref)
        persons = list(
            session.exec(select(Person).where(Person.case_id == case.id).order_by(col(Person.id)))
        )
        notes = list(
            session.exec(select(Note).where(Note.case_id == case.id).order_by(col(Note.id)))
        )
        return CaseDetail(case, persons, notes)


_EDITABLE = {
    "title",
    "summary",
    "countries",
    "offences",
    "tlp",
    "handling_code",
    "source_grading",
    "eurojust_ref",
    "europol_ref",
    "prosecution_ref",
    "retention_until",
}


def update_case(
    vault: Store, ref: str, changes: dict[str, Any], *, expected_version: int | None = None
) -> Case:
    """Edit fields in place; the audit entry records the old and new value of each field.

    ``expected_version`` is the version the form loaded (see ``services.concurrency``)."""
    unknown = set(changes) - _EDITABLE
    if unknown:
        raise ValidationError(", ".join(sorted(unknown)), "cannot be edited this way")
    with vault.transaction() as session:
        case = require_case(session, ref)
        check_version("case", case.reference, case.version, expected_version)
        merged = CaseInput(
            reference=case.reference,
            title=changes.get("title", case.title),
            countries=changes.get("countries", case.countries),
            summary=changes.get("summary", case.summary),
            offences=changes.get("offences", case.offences),
            status=case.status,
            tlp=changes.get("tlp", case.tlp),
            handling_code=changes.get("handling_code", case.handling_code),
            source_grading=changes.get("source_grading", case.source_grading),
            eurojust_ref=changes.get("eurojust_ref", case.eurojust_ref),
            europol_ref=changes.get("europol_ref", case.europol_ref),
            prosecution_ref=changes.get("prosecution_ref", case.prosecution_ref),
            retention_until=changes.get("retention_until", case.retention_until),
        )
        validated = _validated(merged)
        diff: dict[str, Any] = {}
        for name in changes:
            old, new = getattr(case, name), getattr(validated, name)
            if old != new:
                diff[name] = {"from": _jsonable(old), "to": _jsonable(new)}
                setattr(case, name, new)
        if diff:
            case.updated_at = utcnow()
            session.add(case)
            record(session, "case.update", "case", case.reference, diff, case.reference)
        return case


def _jsonable(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def change_case_status(vault: Store, ref: str, wanted: str) -> Case:
    target = CaseStatus(enum_value(CaseStatus, wanted, "status"))
    with vault.transaction() as session:
        case = require_case(session, ref)
        current = CaseStatus(case.status)
        check_case_move(current, target)
        case.status = target.value
        case.updated_at = utcnow()
        session.add(case)
        record(
            session,
            "case.status",
            "case",
            case.reference,
            {"from": current.value, "to": target.value},
            case.reference,
        )
        return case


# -- listing --------------------------------------------------------------------------------


def _fts_phrase(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def filter_words(query: CaseQuery) -> list[str]:
    """The substrings every listed case must contain; empty when nothing filters.

    Every word of three or more characters must appear somewhere in the reference, title,
    countries, status or offences. A two-letter word is read as a country code ("CO" finds cases
    involving Colombia, not "containers"): trigram indexes need three characters, and the
    countries are indexed as "@CO". A single letter does not filter. The status filter is an
    indexed term too ("~active~"), so counting matches never touches the case rows.
    """
    words: list[str] = []
    printable = "".join(ch if ch.isprintable() else " " for ch in query.text)
    for token in printable.split():
        if len(token) >= 3:
            words.append(token)
        elif len(token) == 2 and token.isalpha():
            words.append("@" + token)
    if query.status:
        status = "".join(ch for ch in query.status if ch.isprintable())
        words.append(f"~{status}~")
    return words


def filter_terms(query: CaseQuery) -> str | None:
    """The case list's filter as one FTS5 trigram query (SQLite), or None when nothing filters."""
    words = filter_words(query)
    return " AND ".join(_fts_phrase(w) for w in words) if words else None


def _server_patterns(query: CaseQuery) -> list[str]:
    """The filter as the team store's functions take it: one ``ILIKE`` pattern per word, matched
    over the pg_trgm index of ``case_filter`` (0012, 0015)."""
    return [like.contains(w) for w in filter_words(query)]


def _filter_condition(query: CaseQuery, params: dict[str, Any]) -> str | None:
    """On a vault, the FTS5 condition on ``case_filter`` for this filter, its parameter put in
    ``params`` (a team store filters in its own functions instead)."""
    match = filter_terms(query)
    if match is None:
        return None
    params["match"] = match
    return "case_filter MATCH :match"


# On a team store the case list counts no further than this (and says "N+"): a count(*) under
# row-level security checks visibility for every row, a million of them at a central authority.
COUNT_CAP = 1000


def count_cases(session: Session, query: CaseQuery, cap: int | None = None) -> int:
    """How many cases match, counting no further than ``cap`` when one is given (the virtual
    list's height: it counts again with a larger cap as the officer nears the end). Without a
    cap, exact on a vault and at most ``COUNT_CAP + 1`` (more than the cap) on PostgreSQL."""
    params: dict[str, Any] = {}
    connection = session.connection()
    if is_postgres(session):
        # the ids walked first, then the index of readers' keys and words (0015)
        sql = text("SELECT casecoord_case_count(CAST(:patterns AS text[]), :cap)")
        limit = COUNT_CAP + 1 if cap is None else row_count(cap)
        return int(
            connection.execute(
                sql, {"patterns": _server_patterns(query), "cap": limit}
            ).scalar_one()
        )
    condition = _filter_condition(query, params)
    rows = "SELECT 1 FROM case_file"
    if condition is not None:
        rows = f"SELECT 1 FROM case_filter WHERE {condition}"  # noqa: S608 (ours)
    if cap is None:
        sql = text(f"SELECT count(*) FROM ({rows})")  # noqa: S608 (ours)
    else:
        params["cap"] = row_count(cap)
        sql = text(f"SELECT count(*) FROM ({rows} LIMIT :cap)")  # noqa: S608 (ours)
    return int(connection.execute(sql, params).scalar_one())


def count_label(vault: Store, count: int) -> str:
    """A count as shown: "1000+" when a team store stopped counting at its cap."""
    from casecoord.store.postgres import TeamStore

    return f"{COUNT_CAP}+" if isinstance(vault, TeamStore) and count > COUNT_CAP else str(count)


# What a case list row shows, in the order _row reads it.
_ROW_COLUMNS = "c.id, c.reference, c.title, c.status, c.countries, c.offences, c.updated_at"

_SORT_INDEX = {
    "reference": ("reference", "ix_case_file_reference"),
    "title": ("title", "ix_case_file_title"),
    "status": ("status", "ix_case_file_status"),
    "updated": ("updated_at", "ix_case_file_updated_at"),
    "created": ("created_at", "ix_case_file_created_at"),
}


def page_cases(session: Session, query: CaseQuery, offset: int, limit: int) -> list[CaseRow]:
    """One page of the case list, sorted; reads only ``limit`` rows whatever the vault's size.

    With a filter, the sort column's index is walked in order and each entry is probed against
    the set of matching ids: the first pages of a broad filter stop after a few hundred index
    entries instead of sorting tens of thousands of matches (measured: 14 ms against 180 ms at
    100,000 cases).
    """
    if query.sort not in SORTABLE:
        raise ValidationError("sort", f"'{query.sort}' is not one of: {', '.join(SORTABLE)}")
    column, index = _SORT_INDEX[query.sort]
    direction = "DESC" if query.descending else "ASC"
    connection = session.connection()
    if is_postgres(session):
        # the ids of this page that she may read (with no filter: all she may read), chosen by
        # the server (the list's order walked first, then the index of readers' keys and
        # words: 0015); the rows are then read by primary key through case_file's own policy
        ids = connection.execute(
            text(
                "SELECT casecoord_case_page(CAST(:patterns AS text[]), :sort, :descending, "
                ":limit, :offset)"
            ),
            {
                "patterns": _server_patterns(query),
                "sort": query.sort,
                "descending": query.descending,
                "limit": row_count(limit),
                "offset": row_count(offset),
            },
        ).scalars()
        rows = connection.execute(
            text(
                f"SELECT {_ROW_COLUMNS} FROM case_file AS c WHERE c.id = ANY(:ids) "  # noqa: S608 (names are ours)
                f"ORDER BY c.{column} {direction}"
            ),
            {"ids": [int(i) for i in ids]},
        ).all()
        return [_row(r) for r in rows]
    params: dict[str, Any] = {"limit": row_count(limit), "offset": row_count(offset)}
    condition = _filter_condition(query, params)
    where = f" WHERE c.id IN (SELECT rowid FROM case_filter WHERE {condition})" if condition else ""  # noqa: S608
    sql = text(
        f"SELECT {_ROW_COLUMNS} FROM case_file AS c INDEXED BY {index}{where} "  # noqa: S608 (names are ours)
        f"ORDER BY c.{column} {direction} LIMIT :limit OFFSET :offset"
    )
    rows = connection.execute(sql, params).all()
    return [_row(r) for r in rows]


def _json_list(value: Any) -> list[str]:
    """A JSON list column read by plain SQL: text from SQLite, already decoded from PostgreSQL."""
    if isinstance(value, list):
        return [str(v) for v in value]
    return list(json.loads(value or "[]"))


def _row(raw: Any) -> CaseRow:
    updated = raw[6] if isinstance(raw[6], datetime) else datetime.fromisoformat(str(raw[6]))
    if updated.tzinfo is None:
        updated = updated.replace(tzinfo=UTC)
    return CaseRow(
        id=int(raw[0]),
        reference=str(raw[1]),
        title=str(raw[2]),
        status=str(raw[3]),
        countries=tuple(_json_list(raw[4])),
        offences=tuple(_json_list(raw[5])),
        updated_at=updated,
    )


def list_cases(
    vault: Store, query: CaseQuery | None = None, offset: int = 0, limit: int = 50
) -> tuple[int, list[CaseRow]]:
    q = query or CaseQuery()
    with vault.session() as session:
        return count_cases(session, q), page_cases(session, q, offset, limit)


# -- persons and notes ----------------------------------------------------------------------


@dataclass
class PersonInput:
    family_name: str
    given_names: str = ""
    role: str = PersonRole.SUSPECT.value
    aliases: Sequence[str] = ()
    birth_date: str | date | None = None
    nationality: str | None = None
    documents: Sequence[str] = ()
    whereabouts: str = ""
    tlp: str = Tlp.AMBER.value
    handling_code: str = HandlingCode.H1.value


def validated_person(data: PersonInput, case_id: int) -> Person:
    birth = iso_date(data.birth_date, "birth date")
    if birth is not None and birth > date.today():
        raise ValidationError("birth date", f"{birth.isoformat()} is in the future")
    return Person(
        case_id=case_id,
        role=enum_value(PersonRole, data.role, "role"),
        family_name=required_text(data.family_name, "family name", 120),
        given_names=(data.given_names or "").strip(),
        aliases=[a.strip() for a in data.aliases if a.strip()],
        birth_date=birth,
        nationality=country_code(data.nationality, "nationality") if data.nationality else None,
        documents=[d.strip() for d in data.documents if d.strip()],
        whereabouts=(data.whereabouts or "").strip(),
        tlp=enum_value(Tlp, data.tlp, "tlp"),
        handling_code=enum_value(HandlingCode, data.handling_code, "handling code"),
    )


def add_person(vault: Store, case_ref: str, data: PersonInput) -> Person:
    with vault.transaction() as session:
        return create_person(session, require_case(session, case_ref), data)


#: What an edit may change on a person; the case a person belongs to does not change.
PERSON_FIELDS = (
    "role",
    "family_name",
    "given_names",
    "aliases",
    "birth_date",
    "nationality",
    "documents",
    "whereabouts",
    "tlp",
    "handling_code",
)


def person_input(person: Person) -> PersonInput:
    """The person as a form shows it, so an edit starts from what is stored."""
    return PersonInput(
        family_name=person.family_name,
        given_names=person.given_names,
        role=person.role,
        aliases=list(person.aliases),
        birth_date=person.birth_date,
        nationality=person.nationality,
        documents=list(person.documents),
        whereabouts=person.whereabouts,
        tlp=person.tlp,
        handling_code=person.handling_code,
    )


def require_person(session: Session, case: Case, person_id: int) -> Person:
    person = session.get(Person, person_id)
    if person is None or person.case_id != case.id:
        raise NotFoundError(f"no person {person_id} on case {case.reference}")
    return person


def get_person(vault: Store, case_ref: str, person_id: int) -> Person:
    with vault.session() as session:
        return require_person(session, require_case(session, case_ref), person_id)


def update_person(
    vault: Store,
    case_ref: str,
    person_id: int,
    data: PersonInput,
    *,
    expected: Person | None = None,
) -> Person:
    """Replace a person's fields (new whereabouts, an alias learnt, a document seen); the
    journal records each field's old and new value under the case.

    ``expected`` is the person as the form loaded it: a field someone else changed since is
    not overwritten, nothing is saved and the officer is told which field moved.
    """
    with vault.transaction() as session:
        case = require_case(session, case_ref)
        person = require_person(session, case, person_id)
        if expected is not None:
            moved = [f for f in PERSON_FIELDS if getattr(person, f) != getattr(expected, f)]
            if moved:
                raise ConflictError(
                    f"person {person_id} on case {case.reference} was changed by someone else "
                    f"since you opened it ({', '.join(moved)}); nothing was saved. Reload it "
                    "and make your change again"
                )
        assert case.id is not None
        wanted = validated_person(data, case.id)
        diff: dict[str, Any] = {}
        for name in PERSON_FIELDS:
            old, new = getattr(person, name), getattr(wanted, name)
            if old != new:
                diff[name] = {"from": _jsonable(old), "to": _jsonable(new)}
                setattr(person, name, new)
        if diff:
            session.add(person)
            record(session, "person.update", "person", str(person.id), diff, case.reference)
            case.updated_at = utcnow()
            session.add(case)
        return person


def create_person(session: Session, case: Case, data: PersonInput) -> Person:
    """:func:`add_person` inside the caller's transaction (used by bundle import)."""
    assert case.id is not None
    person = validated_person(data, case.id)
    session.add(person)
    session.flush()
    record(
        session,
        "person.add",
        "person",
        str(person.id),
        person.model_dump(mode="json", exclude={"id"}),
        case.reference,
    )
    case.updated_at = utcnow()
    session.add(case)
    return person


def add_note(vault: Store, case_ref: str, body: str) -> Note:
    with vault.transaction() as session:
        case = require_case(session, case_ref)
        assert case.id is not None
        note = Note(case_id=case.id, body=required_text(body, "note", 20_000))
        session.add(note)
        session.flush()
        record(session, "note.add", "note", str(note.id), {"body": note.body}, case.reference)
        case.updated_at = utcnow()
        session.add(case)
        return note


def recent_cases(vault: Store, limit: int = 8) -> list[CaseRow]:
    with vault.session() as session:
        return page_cases(session, CaseQuery(sort="updated"), 0, limit)


def status_counts(vault: Store) -> dict[str, int]:
    with vault.session() as session:
        rows = session.exec(select(Case.status, func.count()).group_by(Case.status)).all()
        return {str(status): int(count) for status, count in rows}
