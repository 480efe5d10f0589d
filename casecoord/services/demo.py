"""A demo vault: realistic, clearly fictional cases for a newcomer, screenshots and benchmarks.

Everything here is invented: operation names, people, phone numbers (valid in form only) and
e-mail addresses under the reserved ``.example`` domain (RFC 2606). The small demo goes through
the same services as an officer would (so it exercises validation, the audit chain and the
deadline engine); the large one (``--cases 100000``) bulk-loads rows for benchmarks.
"""

from __future__ import annotations

import hashlib
import io
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, text
from sqlmodel import select

from casecoord.domain.enums import Direction, RequestKind, RequestStatus
from casecoord.domain.models import (
    Attachment,
    AttachmentChunk,
    Case,
    Contact,
    Deadline,
    Note,
    Person,
    Request,
    utcnow,
)
from casecoord.domain.status import allowed_request_moves
from casecoord.services import cases as case_service
from casecoord.services import contacts as contact_service
from casecoord.services import deadlines as deadline_service
from casecoord.services import requests as request_service
from casecoord.services.journal import record
from casecoord.services.settings import set_setting
from casecoord.store import Store, is_postgres

DEMO_PASSPHRASE = "demo-only harbour lights 2026"  # noqa: S105 (printed to the user by design)

_OPERATIONS = [
    "Harbour Lights",
    "Reefer",
    "Banana Split",
    "Blue Marlin",
    "Cold Chain",
    "Pacific Gate",
    "Night Owl",
    "Paper Trail",
    "Silent Ledger",
    "Green Cargo",
    "Andes Bridge",
    "Quay Seven",
    "Tidewater",
    "Black Orchid",
    "Copper Key",
    "Salt Road",
    "Iron Lantern",
    "Cobalt",
    "Low Tide",
    "White Heron",
]

_THEMES: list[dict[str, object]] = [
    {
        "title": "Cocaine in banana containers Guayaquil → Rotterdam",
        "summary": "Reefer containers of bananas loaded in Guayaquil; {kg} kg of cocaine found behind "
        "the cooling units at ECT Rotterdam. Shipper is a front company in Machala.",
        "countries": ["NL", "EC", "CO"],
        "offences": [
            "illicit-trafficking-narcotic-drugs",
            "participation-in-criminal-organisation",
        ],
    },
    {
        "title": "Cocaine in reefer containers Guayaquil → Antwerp",
        "summary": "{kg} kg cocaine in a reefer container of frozen shrimp, Port of Antwerp; "
        "extraction team from Rotterdam. Rip-on/rip-off method.",
        "countries": ["NL", "BE", "EC"],
        "offences": ["illicit-trafficking-narcotic-drugs"],
    },
    {
        "title": "Underground banking Rotterdam – Bogotá",
        "summary": "Cash collected in Rotterdam and Antwerp is settled through money brokers in "
        "Bogotá and Medellín; about EUR {m} million a month. Ledger photos from seized phones.",
        "countries": ["NL", "CO", "ES"],
        "offences": ["laundering-of-proceeds", "participation-in-criminal-organisation"],
    },
    {
        "title": "Crypto laundering through OTC brokers",
        "summary": "Drug proceeds exchanged into USDT through over-the-counter brokers; wallets "
        "traced to an exchange with a US nexus. About USD {m} million.",
        "countries": ["NL", "US", "CO"],
        "offences": ["laundering-of-proceeds", "computer-related-crime"],
    },
    {
        "title": "Encrypted-phone evidence: NightOwl network",
        "summary": "Messages from the (fictional) NightOwl encrypted-phone service show "
        "coordination of shipments via Callao and Guayaquil; {kg} kg referred to.",
        "countries": ["NL", "PE", "EC", "DE"],
        "offences": [
            "illicit-trafficking-narcotic-drugs",
            "participation-in-criminal-organisation",
        ],
    },
    {
        "title": "Cocaine in coffee sacks Buenaventura → Hamburg",
        "summary": "{kg} kg in coffee shipment from Buenaventura, transshipped at Algeciras, "
        "seized in Hamburg. Importer registered in Valencia.",
        "countries": ["NL", "DE", "ES", "CO"],
        "offences": ["illicit-trafficking-narcotic-drugs"],
    },
]

_PEOPLE = [
    ("Restrepo Gómez", "Joaquín Andrés", "CO"),
    ("Quiñones Ávila", "María Fernanda", "CO"),
    ("Yılmaz", "Şükrü", "NL"),
    ("van der Meulen", "Dirk", "NL"),
    ("Vandenbroucke", "Thierry", "BE"),
    ("Böhm", "Jürgen", "DE"),
    ("Peña Nieto", "Lucía", "EC"),
    ("Zambrano Cedeño", "Óscar", "EC"),
    ("Huamán Quispe", "Rosa Elena", "PE"),
    ("Castaño Muñoz", "Iván", "CO"),
    ("El Idrissi", "Karim", "NL"),
    ("Ferreira da Silva", "João", "ES"),
    ("Ortiz Beltrán", "Camila", "CO"),
    ("Janssens", "Wouter", "BE"),
    ("Schäfer", "Anneliese", "DE"),
    ("Montoya Ríos", "Héctor", "CO"),
    ("Bakker", "Sanne", "NL"),
    ("Navarro Ibáñez", "Álvaro", "ES"),
    ("Cárdenas", "Wilmer", "EC"),
    ("Mendoza Paz", "Gustavo", "PE"),
]

_CONTACTS = [
    (
        "ana-villamizar",
        "Ana Villamizar",
        "Fiscalía General de la Nación (fictional desk)",
        "CO",
        "America/Bogota",
        ["es", "en"],
        "+57 601 5550101",
    ),
    (
        "carlos-andrade",
        "Carlos Andrade",
        "Fiscalía General del Estado, cooperation unit (fictional)",
        "EC",
        "America/Guayaquil",
        ["es"],
        "+593 2 395 0101",
    ),
    (
        "rosa-delgado",
        "Rosa Delgado",
        "Fiscalía de la Nación, UCJIE (fictional desk)",
        "PE",
        "America/Lima",
        ["es", "en"],
        "+51 1 625 5001",
    ),
    (
        "pieter-claes",
        "Pieter Claes",
        "Federal Prosecutor's Office, Brussels (fictional desk)",
        "BE",
        "Europe/Brussels",
        ["nl", "fr", "en"],
        "+32 2 555 01 01",
    ),
    (
        "jan-de-vries",
        "Jan de Vries",
        "AIRS, Ministry of Justice and Security (fictional desk)",
        "NL",
        "Europe/Amsterdam",
        ["nl", "en"],
        "+31 70 555 0101",
    ),
    (
        "klaus-werner",
        "Klaus Werner",
        "Staatsanwaltschaft Hamburg (fictional desk)",
        "DE",
        "Europe/Berlin",
        ["de", "en"],
        "+49 40 5555 0101",
    ),
    (
        "elena-marin",
        "Elena Marín",
        "Fiscalía Especial Antidroga (fictional desk)",
        "ES",
        "Europe/Madrid",
        ["es", "en"],
        "+34 91 555 0101",
    ),
    (
        "michael-reyes",
        "Michael Reyes",
        "Office of International Affairs (fictional desk)",
        "US",
        "America/New_York",
        ["en", "es"],
        "+1 202 555 0101",
    ),
]

_MEASURES = {
    RequestKind.MLA: [
        "bank records",
        "witness hearing",
        "subscriber data",
        "search of premises",
        "copy of container manifests",
        "hearing of suspect",
    ],
    RequestKind.EIO: ["bank records", "interception of telecommunications", "witness hearing"],
    RequestKind.FREEZING: ["freezing of bank accounts", "seizure of vehicles"],
    RequestKind.CONFISCATION: ["confiscation of real estate"],
    RequestKind.EXTRADITION: ["surrender of the person"],
    RequestKind.PROVISIONAL_ARREST: ["provisional arrest with a view to extradition"],
    RequestKind.EAW: ["arrest and surrender"],
}

EU = {"NL", "BE", "DE", "ES"}


@dataclass(frozen=True)
class DemoSummary:
    cases: int
    requests: int
    persons: int
    deadlines: int
    contacts: int


Progress = Callable[[str, int, int], None]


def _pair_for(rng: random.Random, countries: list[str]) -> tuple[str, str]:
    """The officer is Dutch: every demo request runs between NL and another state of the case."""
    others = [c for c in countries if c != "NL"] or ["CO"]
    return "NL", rng.choice(others)


def _kind_for(rng: random.Random, home: str, other: str) -> RequestKind:
    if home in EU and other in EU:
        return rng.choice([RequestKind.EIO, RequestKind.EIO, RequestKind.EAW, RequestKind.FREEZING])
    return rng.choice(
        [
            RequestKind.MLA,
            RequestKind.MLA,
            RequestKind.MLA,
            RequestKind.EXTRADITION,
            RequestKind.PROVISIONAL_ARREST,
            RequestKind.FREEZING,
        ]
    )


# An arrest or surrender request is not complete without the warrant it rests on (EAW FD
# Art. 8(1)(c)) and, under ETS 024 Art. 12(2)(a) and (c), the enactments it cites.
_WARRANT_KINDS = frozenset(
    {RequestKind.EAW, RequestKind.EXTRADITION, RequestKind.PROVISIONAL_ARREST}
)


def _attach_warrant(vault: Store, case_ref: str, request_ref: str) -> None:
    from casecoord.services.attachments import add_attachment_stream

    for name, body in (
        ("arrest-warrant.txt", "Demo: arrest warrant of the examining magistrate (fictitious)."),
        ("law-enactments.txt", "Demo: Art. 10 Opiumwet and Art. 420bis Sr (extract)."),
    ):
        add_attachment_stream(
            vault,
            case_ref,
            io.BytesIO(body.encode("utf-8")),
            name,
            media_type="text/plain",
            request_ref=request_ref,
        )


def _advance(vault: Store, ref: str, direction: Direction, steps: int, rng: random.Random) -> None:
    status = RequestStatus.DRAFT if direction is Direction.OUTGOING else RequestStatus.RECEIVED
    for _ in range(steps):
        moves = sorted(
            m
            for m in allowed_request_moves(direction, status)
            if m not in {RequestStatus.WITHDRAWN, RequestStatus.DRAFT, RequestStatus.REFUSED}
        )
        if not moves:
            return
        status = moves[0] if rng.random() < 0.8 else moves[-1]
        request_service.change_request_status(vault, ref, status.value, reason="demo progression")


def build_demo(
    vault: Store, cases: int = 40, seed: int = 2026, progress: Progress | None = None
) -> DemoSummary:
    """Fill ``vault`` with the demo; deterministic for a given seed (dates follow today)."""
    if cases > 200:
        return bulk_load(vault, cases, seed, progress)
    rng = random.Random(seed)  # noqa: S311 (fictional data, not security)
    now = datetime.now(UTC)
    set_setting(vault, "officer.name", "Insp. L. de Groot (demo)")
    set_setting(vault, "officer.time_zone", "America/Bogota")
    for handle, name, org, country, zone, languages, phone in _CONTACTS:
        contact_service.add_contact(
            vault,
            contact_service.ContactInput(
                handle=handle,
                name=name,
                organisation=org,
                country=country,
                time_zone=zone,
                languages=languages,
                phone=phone,
                email=f"{handle}@{country.lower()}-justice.example",
                channels=["central-authority", "direct-judicial"],
                role="liaison counterpart",
            ),
        )
    contact_for = {c[3]: c[0] for c in _CONTACTS}
    persons = requests = deadlines = 0
    request_no = 0
    for index in range(cases):
        theme = _THEMES[index % len(_THEMES)]
        operation = _OPERATIONS[index % len(_OPERATIONS)]
        year = 2025 + (index % 2)
        ref = f"NL-{year}-{index + 1:04d}"
        countries = list(theme["countries"])  # type: ignore[call-overload]
        case_service.add_case(
            vault,
            case_service.CaseInput(
                reference=ref,
                title=f"Op. {operation}: {theme['title']}",
                summary=str(theme["summary"]).format(
                    kg=rng.choice([180, 420, 960, 1400, 2300]), m=rng.randint(2, 40)
                ),
                countries=countries,
                offences=list(theme["offences"]),  # type: ignore[call-overload]
                status="active" if index % 7 else "intake",
                tlp=rng.choice(["AMBER", "AMBER", "RED", "GREEN"]),
                handling_code=rng.choice(["H1", "H1", "H2"]),
                source_grading=rng.choice(["B2", "A2", "C3", None]),
                prosecution_ref=f"OM-RTM-{year}-{rng.randint(1000, 9999)}",
            ),
        )
        person_ids = []
        for _ in range(rng.randint(2, 4)):
            family, given, nationality = rng.choice(_PEOPLE)
            person = case_service.add_person(
                vault,
                ref,
                case_service.PersonInput(
                    family_name=family,
                    given_names=given,
                    nationality=nationality,
                    role=rng.choice(["suspect", "suspect", "witness", "victim"]),
                    birth_date=f"{rng.randint(1965, 2001)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                    aliases=[rng.choice(["El Flaco", "Mono", "Tío", "De Vos", "Chino"])]
                    if rng.random() < 0.4
                    else [],
                    documents=[f"passport {nationality}{rng.randint(10**7, 10**8 - 1)}"],
                    whereabouts=rng.choice(["detained", "unknown", "abroad", "at liberty"]),
                ),
            )
            persons += 1
            assert person.id is not None
            person_ids.append(person.id)
        case_service.add_note(
            vault,
            ref,
            rng.choice(
                [
                    "Call with counterpart: bank records expected within two weeks.",
                    "Container numbers cross-checked against the port community system.",
                    "Suspect's lawyer contacted the embassy; consular visit requested.",
                    "Seized phone handed to the digital forensics team; extraction pending.",
                    "Eurojust coordination meeting proposed for next month.",
                ]
            ),
        )
        for _ in range(2 if index % 3 else 3):
            request_no += 1
            home, other = _pair_for(rng, countries)
            kind = _kind_for(rng, home, other)
            direction = Direction.OUTGOING if rng.random() < 0.7 else Direction.INCOMING
            requesting, requested = (
                (home, other) if direction is Direction.OUTGOING else (other, home)
            )
            request_ref = f"{requesting}-{kind.value.upper()[:4]}-{year}-{request_no:04d}"
            measures = rng.sample(_MEASURES.get(kind, ["assistance"]), k=1)
            added = request_service.add_request(
                vault,
                request_service.RequestInput(
                    reference=request_ref,
                    case_ref=ref,
                    kind=kind.value,
                    direction=direction.value,
                    requesting_state=requesting,
                    requested_state=requested,
                    facts=str(theme["summary"]).format(kg=960, m=12),
                    legal_qualification="Art. 10 Opiumwet; Art. 420bis Sr"
                    if requesting == "NL"
                    else "",
                    measures=measures,
                    urgency=rng.choice(["normal", "normal", "urgent"]),
                    counterpart=contact_for.get(other),
                    person_ids=person_ids[:1],
                    counterpart_reference=f"{other}-{rng.randint(10000, 99999)}"
                    if rng.random() < 0.5
                    else None,
                ),
            )
            if added.language != "en":
                # the demo's texts are English: it pretends the translations were made, as the
                # completeness check reads the language of the text, not the request's tag
                request_service.update_request(vault, request_ref, {"translation_state": "done"})
            requests += 1
            if direction is Direction.OUTGOING and kind in _WARRANT_KINDS:
                _attach_warrant(vault, ref, request_ref)
            _advance(vault, request_ref, direction, rng.randint(0, 3), rng)
            if (
                kind in (RequestKind.PROVISIONAL_ARREST, RequestKind.EXTRADITION, RequestKind.EAW)
                and rng.random() < 0.7
            ):
                created = deadline_service.record_event(
                    vault, request_ref, "arrest", now - timedelta(days=rng.randint(2, 45))
                )
                deadlines += len(created)
        due = now + timedelta(
            days=rng.choice([-6, -2, 1, 3, 5, 9, 12, 20, 35]), hours=rng.randint(0, 8)
        )
        deadline_service.add_deadline(
            vault,
            ref,
            rng.choice(
                [
                    "Follow up on bank records",
                    "Chase translation of request",
                    "Check execution status",
                    "Prepare Eurojust meeting",
                    "Send supplementary request",
                ]
            ),
            due,
        )
        deadlines += 1
        if progress:
            progress("cases", index + 1, cases)
    _spread_history(vault, rng, now)
    return DemoSummary(cases, requests, persons, deadlines, len(_CONTACTS))


def _spread_history(vault: Store, rng: random.Random, now: datetime) -> None:
    """Give the demo cases a past: opened over the last two years, last touched over months.

    Everything was just created through the services, so without this every case would show
    the same 'updated' minute. Only case timestamps move; the audit chain keeps the real times.
    """
    with vault.transaction() as session:
        for case in session.exec(select(Case)).all():
            opened = now - timedelta(days=rng.randint(60, 720), hours=rng.randint(0, 23))
            touched = now - timedelta(days=rng.randint(0, 59), hours=rng.randint(0, 23))
            case.created_at = opened
            case.updated_at = max(opened, touched)
            session.add(case)
            # said in the chain, which also records the row as it now is (``check`` compares it)
            record(
                session,
                "demo.backdated",
                "case",
                case.reference,
                {"created_at": opened.isoformat()},
                case.reference,
            )


def bulk_load(
    vault: Store, cases: int, seed: int = 2026, progress: Progress | None = None
) -> DemoSummary:
    """Insert ``cases`` cases with every table filled in realistic proportions, in large batches.

    Per case: three requests, a note, two persons; every other case one open deadline (so 100,000
    cases give 50,000 open deadlines) and every tenth a met one and a small attachment; one
    counterpart contact per twenty cases. Used for benchmarks; it writes one audit entry for the
    whole load rather than one per row.
    """
    rng = random.Random(seed)  # noqa: S311
    batch = 5000
    start = utcnow() - timedelta(days=900)
    kinds = [k.value for k in RequestKind]
    statuses = ["draft", "ready", "sent", "acknowledged", "in-execution", "executed"]
    made = 0
    request_id = person_id = deadline_id = attachment_id = 0
    zones = {
        "NL": "Europe/Amsterdam",
        "CO": "America/Bogota",
        "EC": "America/Guayaquil",
        "ES": "Europe/Madrid",
        "BE": "Europe/Brussels",
        "DE": "Europe/Berlin",
        "PE": "America/Lima",
        "US": "America/New_York",
        "PA": "America/Panama",
    }
    now = utcnow()
    contact_rows = []
    for number in range(1, cases // 20 + 1):
        family, given = _PEOPLE[number % len(_PEOPLE)][:2]
        country = rng.choice(list(zones))
        contact_rows.append(
            {
                "id": number,
                "handle": f"contact-{number:05d}",
                "name": f"{given} {family} {number}",
                "family_name": f"{family} {number}",
                "given_names": str(given),
                "organisation": rng.choice(["Fiscalía", "Politie", "Policía", "Parquet", "DEA"]),
                "role": rng.choice(["prosecutor", "liaison officer", "investigator"]),
                "country": country,
                "time_zone": zones[country],
                "languages": ["es", "en"],
                "email": f"contact{number}@authority.example",
                "channels": ["central-authority"],
                "created_at": now,
            }
        )
    with vault.transaction() as session:
        for start_at in range(0, len(contact_rows), batch):
            session.connection().execute(insert(Contact), contact_rows[start_at : start_at + batch])
    while made < cases:
        size = min(batch, cases - made)
        case_rows, request_rows, note_rows = [], [], []
        person_rows: list[dict[str, object]] = []
        deadline_rows: list[dict[str, object]] = []
        attachment_rows: list[dict[str, object]] = []
        chunk_rows: list[dict[str, object]] = []
        for offset in range(size):
            number = made + offset + 1
            theme = _THEMES[number % len(_THEMES)]
            moment = start + timedelta(minutes=number * 7)
            countries = theme["countries"]
            case_rows.append(
                {
                    "id": number,
                    "reference": f"BULK-{number:07d}",
                    "title": f"Op. {_OPERATIONS[number % len(_OPERATIONS)]} {number}: {theme['title']}",
                    "summary": str(theme["summary"]).format(
                        kg=number % 2000 + 50, m=number % 40 + 1
                    ),
                    "status": rng.choice(["intake", "active", "active", "dormant", "closed"]),
                    "countries": countries,
                    "offences": theme["offences"],
                    "tlp": "AMBER",
                    "handling_code": "H1",
                    "created_at": moment,
                    "updated_at": moment,
                }
            )
            note_rows.append(
                {
                    "id": number,
                    "case_id": number,
                    "created_at": moment,
                    "body": f"Note {number}: contact with {rng.choice(_PEOPLE)[0]} about container {rng.randint(10**6, 10**7)}",
                }
            )
            for role in ("suspect", "witness"):
                person_id += 1
                family, given = _PEOPLE[person_id % len(_PEOPLE)][:2]
                person_rows.append(
                    {
                        "id": person_id,
                        "case_id": number,
                        "role": role,
                        "family_name": f"{family} {person_id}",
                        "given_names": str(given),
                        "aliases": [],
                        "documents": [],
                        "nationality": rng.choice(list(countries)),  # type: ignore[call-overload]
                        "whereabouts": "",
                        "tlp": "AMBER",
                        "handling_code": "H1",
                        "created_at": moment,
                    }
                )
            states = ["open"] if number % 2 == 0 else []
            if number % 10 == 1:
                states.append("met")
            for state in states:
                deadline_id += 1
                counterpart = list(countries)[-1]  # type: ignore[call-overload]
                deadline_rows.append(
                    {
                        "id": deadline_id,
                        "uid": f"bulk-deadline-{deadline_id:08d}",
                        "case_id": number,
                        "request_id": request_id + 1,
                        "title": rng.choice(
                            [
                                "Chase the execution",
                                "Provisional arrest: 60 days",
                                "Reply to the supplementary request",
                                "Translation due",
                            ]
                        ),
                        "due_at": now + timedelta(hours=rng.randint(-24 * 30, 24 * 120)),
                        "origin": "manual",
                        "counterpart_time_zone": zones.get(counterpart, "UTC"),
                        "state": state,
                        "note": "",
                        "sequence": 0,
                        "created_at": moment,
                        "updated_at": moment,
                    }
                )
            if number % 10 == 5:
                attachment_id += 1
                body = f"scan {number}".encode()
                attachment_rows.append(
                    {
                        "id": attachment_id,
                        "case_id": number,
                        "name": f"scan-{number}.txt",
                        "media_type": "text/plain",
                        "size": len(body),
                        "sha256": hashlib.sha256(body).hexdigest(),
                        "tlp": "AMBER",
                        "handling_code": "H1",
                        "created_at": moment,
                    }
                )
                chunk_rows.append({"attachment_id": attachment_id, "seq": 0, "data": body})
            for _ in range(3):
                request_id += 1
                pair = rng.sample(list(countries), 2)  # type: ignore[call-overload]
                request_rows.append(
                    {
                        "id": request_id,
                        "reference": f"BULK-R-{request_id:07d}",
                        "case_id": number,
                        "kind": rng.choice(kinds),
                        "direction": "outgoing",
                        "requesting_state": pair[0],
                        "requested_state": pair[1],
                        "status": rng.choice(statuses),
                        "channel": "central-authority",
                        "measures": [],
                        "facts": f"Facts of request {request_id}: shipment {rng.randint(10**5, 10**6)}",
                        "legal_qualification": "",
                        "urgency": "normal",
                        "language": "es",
                        "translation_state": "not-needed",
                        "tlp": "AMBER",
                        "handling_code": "H1",
                        "created_at": moment,
                        "updated_at": moment,
                    }
                )
        with vault.transaction() as session:
            connection = session.connection()
            connection.execute(insert(Case), case_rows)
            connection.execute(insert(Note), note_rows)
            connection.execute(insert(Request), request_rows)
            connection.execute(insert(Person), person_rows)
            if deadline_rows:
                connection.execute(insert(Deadline), deadline_rows)
            if attachment_rows:
                connection.execute(insert(Attachment), attachment_rows)
                connection.execute(insert(AttachmentChunk), chunk_rows)
        made += size
        if progress:
            progress("cases", made, cases)
    with vault.transaction() as session:
        if is_postgres(session):  # rows came with their ids: move the id sequences past them
            for table in ("case_file", "note", "request"):
                session.connection().execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 (ours)
                        f"coalesce(max(id), 0) + 1, false) FROM {table}"
                    )
                )
        keyfile = getattr(vault, "keyfile", None)
        record(
            session,
            "demo.bulk-load",
            "vault",
            keyfile.vault_id if keyfile is not None else "team",
            {"cases": cases, "requests": request_id},
        )
    return DemoSummary(cases, request_id, person_id, deadline_id, len(contact_rows))
