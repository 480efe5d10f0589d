"""Verbs over the records: case, request, contact, deadline(s)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from casecoord.cli.output import info, line, print_fields, print_json, print_table
from casecoord.cli.text_input import add_text_option, read_text
from casecoord.cli.vault_commands import Common, unlock
from casecoord.domain.errors import CasecoordError
from casecoord.domain.text import shown

if TYPE_CHECKING:
    from casecoord.domain.models import Request


def _split(values: list[str] | None) -> list[str]:
    out: list[str] = []
    for value in values or []:
        out.extend(part.strip() for part in value.split(",") if part.strip())
    return out


# The request document fields: (flag, field, help). Each free-text flag has a ``--FLAG-file PATH``
# twin reading UTF-8 text, for the long ones (the text of the provisions, assurances).
DOCUMENT_FLAGS = (
    ("decision-authority", "decision_authority", "authority that issued the warrant or judgment"),
    ("decision-reference", "decision_reference", "reference of the warrant or judgment"),
    ("offence-time", "offence_time", "when the offence was committed"),
    ("offence-place", "offence_place", "where the offence was committed"),
    ("provisions", "provisions_text", "text of the legal provisions (law of the requesting state)"),
    ("max-penalty", "max_penalty", "maximum penalty for the offence"),
    ("sentence", "sentence_imposed", "sentence imposed and remaining to be served"),
    ("limitation", "limitation", "limitation period and why the offence is not time-barred"),
    ("in-absentia", "in_absentia", "EAW section (d): whether the person appeared at the trial"),
    ("proceedings", "proceedings", "subject and nature of the investigation or proceedings"),
    ("proceedings-authority", "proceedings_authority", "authority conducting the proceedings"),
    ("purpose", "purpose", "purpose of the evidence or action sought"),
    ("procedure", "procedure", "particular procedure or formalities to follow"),
    ("assurances", "assurances", "assurances given (speciality, penalties, return...)"),
    (
        "validating-authority",
        "validating_authority",
        "EIO section L: validating judicial authority",
    ),
)


def _add_document_flags(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("document fields (what the instrument's form requires)")
    group.add_argument("--decision-kind", choices=["arrest-warrant", "judgment"])
    group.add_argument(
        "--decision-date", metavar="YYYY-MM-DD", help="date of the warrant or judgment"
    )
    for flag, _name, text in DOCUMENT_FLAGS:
        group.add_argument(f"--{flag}", help=text)
        group.add_argument(
            f"--{flag}-file", metavar="PATH", help=f"read --{flag} from a UTF-8 file"
        )


def _document_args(args: argparse.Namespace) -> dict[str, str | None]:
    """The document fields given on the command line (file inputs read here)."""
    from casecoord.domain.errors import ValidationError

    out: dict[str, str | None] = {}
    for name in ("decision_kind", "decision_date"):
        if getattr(args, name, None) is not None:
            out[name] = getattr(args, name)
    for flag, name, _text in DOCUMENT_FLAGS:
        attr = flag.replace("-", "_")
        value = getattr(args, attr, None)
        path = getattr(args, f"{attr}_file", None)
        if value is not None and path is not None:
            raise ValidationError(f"--{flag}", f"give --{flag} or --{flag}-file, not both")
        if path is not None:
            try:
                value = Path(path).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                reason = getattr(exc, "strerror", None) or "not readable UTF-8 text"
                raise ValidationError(f"--{flag}-file", f"cannot read {path}: {reason}") from None
        if value is not None:
            out[name] = value
    return out


# -- cases ----------------------------------------------------------------------------------


def _add_scope_flags(parser: argparse.ArgumentParser, *, edit: bool = False) -> None:
    """The offence-scope answers the conventions ask for (as ``basis`` takes them)."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--organised-group",
        dest="organised_group",
        action="store_const",
        const="yes",
        default=None,
        help="an organised criminal group is involved (UNTOC Arts. 2(a), 3(1))",
    )
    group.add_argument(
        "--no-organised-group",
        dest="organised_group",
        action="store_const",
        const="no",
        help="no organised criminal group is involved",
    )
    if edit:
        group.add_argument(
            "--organised-group-unknown",
            dest="organised_group",
            action="store_const",
            const="unknown",
            help="clear the answer: not known whether an organised group is involved",
        )
    parser.add_argument(
        "--max-penalty-years",
        metavar="N",
        help="the offence's maximum penalty in years (UNTOC serious crime: at least 4)"
        + ("; '' clears it" if edit else ""),
    )


def cmd_case_add(args: argparse.Namespace) -> int:
    from casecoord.services.cases import CaseInput, add_case

    data = CaseInput(
        reference=args.ref,
        title=args.title,
        countries=_split(args.country),
        summary=read_text(args, "summary") or "",
        offences=_split(args.offence),
        tlp=args.tlp,
        handling_code=args.handling,
        source_grading=args.grading,
        eurojust_ref=args.eurojust,
        europol_ref=args.europol,
        prosecution_ref=args.prosecution,
        retention_until=args.retention_until,
    )
    with unlock(args) as vault:
        case = add_case(vault, data)
    if args.json:
        print_json(case)
    else:
        print(f"Case {case.reference} created ({case.status}).")
    return 0


def cmd_case_list(args: argparse.Namespace) -> int:
    from casecoord.services.cases import CaseQuery, count_label, list_cases

    query = CaseQuery(
        text=args.filter or "", status=args.status, sort=args.sort, descending=not args.ascending
    )
    with unlock(args) as vault:
        total, rows = list_cases(vault, query, offset=args.offset, limit=args.limit)
    if args.json:
        print_json({"total": total, "offset": args.offset, "cases": rows})
        return 0
    print_table(
        ["reference", "status", "countries", "title", "updated"],
        [
            (
                r.reference,
                r.status,
                " ".join(r.countries),
                r.title,
                r.updated_at.strftime("%Y-%m-%d"),
            )
            for r in rows
        ],
    )
    info(f"{len(rows)} of {count_label(vault, total)} cases")
    return 0


def cmd_case_show(args: argparse.Namespace) -> int:
    from casecoord.services.cases import get_case
    from casecoord.services.requests import RequestQuery, list_requests

    with unlock(args) as vault:
        detail = get_case(vault, args.ref)
        requests = list_requests(vault, RequestQuery(case_ref=args.ref))
    case = detail.case
    if args.json:
        print_json(
            {"case": case, "persons": detail.persons, "notes": detail.notes, "requests": requests}
        )
        return 0
    print_fields(
        [
            ("reference", case.reference),
            ("title", case.title),
            ("status", case.status),
            ("countries", case.countries),
            ("offences", case.offences),
            (
                "handling",
                f"TLP:{case.tlp} {case.handling_code} {case.source_grading or ''}".strip(),
            ),
            ("prosecution", case.prosecution_ref),
            ("eurojust", case.eurojust_ref),
            ("europol", case.europol_ref),
            ("summary", case.summary),
        ]
    )
    if detail.persons:
        print("\nPersons")
        print_table(
            ["id", "role", "name", "born", "nationality"],
            [
                (
                    p.id,
                    p.role,
                    f"{p.given_names} {p.family_name}".strip(),
                    p.birth_date,
                    p.nationality,
                )
                for p in detail.persons
            ],
        )
    if requests:
        print("\nRequests")
        print_table(
            ["reference", "kind", "direction", "from", "to", "status"],
            [
                (r.reference, r.kind, r.direction, r.requesting_state, r.requested_state, r.status)
                for r in requests
            ],
        )
    if detail.notes:
        print("\nNotes")
        for note in detail.notes:
            print(f"  [{note.created_at:%Y-%m-%d}] {line(note.body)}")
    return 0


def cmd_case_status(args: argparse.Namespace) -> int:
    from casecoord.services.cases import change_case_status

    with unlock(args) as vault:
        case = change_case_status(vault, args.ref, args.status)
    print(f"Case {case.reference} is now {case.status}.")
    return 0


def cmd_case_note(args: argparse.Namespace) -> int:
    from casecoord.services.cases import add_note

    if (args.text is None) == (args.note_file is None):
        raise CasecoordError("give the note as TEXT or with --note-file F (not both)")
    body = (
        read_text(
            argparse.Namespace(
                note=args.text, note_file=args.note_file, passphrase_file=args.passphrase_file
            ),
            "note",
        )
        or ""
    )
    with unlock(args) as vault:
        note = add_note(vault, args.ref, body)
    print(f"Note {note.id} added to {args.ref}.")
    return 0


def cmd_case_person(args: argparse.Namespace) -> int:
    from casecoord.services.cases import PersonInput, add_person

    data = PersonInput(
        family_name=args.family_name,
        given_names=args.given_names or "",
        role=args.role,
        aliases=_split(args.alias),
        birth_date=args.born,
        nationality=args.nationality,
        documents=_split(args.document),
        whereabouts=args.whereabouts or "",
    )
    with unlock(args) as vault:
        person = add_person(vault, args.ref, data)
    if args.json:
        print_json(person)
    else:
        print(f"Person {person.id} ({person.role}) added to {args.ref}.")
    return 0


# -- requests -------------------------------------------------------------------------------


def cmd_request_add(args: argparse.Namespace) -> int:
    from casecoord.services.requests import RequestInput, add_request

    data = RequestInput(
        reference=args.ref,
        case_ref=args.case,
        kind=args.kind,
        direction=args.direction,
        requesting_state=args.requesting,
        requested_state=args.requested,
        facts=read_text(args, "facts") or "",
        legal_qualification=args.qualification or "",
        measures=_split(args.measure),
        channel=args.channel,
        urgency=args.urgency,
        language=args.language,
        translation_state=args.translation,
        basis_instrument_id=args.basis,
        basis_override_reason=args.override_reason,
        counterpart=args.counterpart,
        counterpart_reference=args.counterpart_ref,
        parent_ref=args.parent,
        relation=args.relation,
        person_ids=[int(p) for p in _split(args.person)],
        tlp=args.tlp,
        handling_code=args.handling,
        received_at=args.received,
        provisional_measures=args.provisional_measures,
        organised_group=args.organised_group,
        max_penalty_years=args.max_penalty_years,
        document=_document_args(args),
    )
    with unlock(args) as vault:
        request = add_request(vault, data)
    if args.json:
        print_json(request)
    else:
        basis = request.basis_title or "none found"
        print(f"Request {request.reference} created ({request.status}); legal basis: {basis}.")
    return 0


def cmd_request_list(args: argparse.Namespace) -> int:
    from casecoord.services.requests import RequestQuery, list_requests

    query = RequestQuery(
        case_ref=args.case,
        status=args.status,
        direction=args.direction,
        kind=args.kind,
        country=args.country,
        open_only=args.open,
    )
    with unlock(args) as vault:
        rows = list_requests(vault, query, offset=args.offset, limit=args.limit)
    if args.json:
        print_json(rows)
        return 0
    print_table(
        ["reference", "case", "kind", "direction", "from", "to", "status", "urgency"],
        [
            (
                r.reference,
                r.case_ref,
                r.kind,
                r.direction,
                r.requesting_state,
                r.requested_state,
                r.status,
                r.urgency,
            )
            for r in rows
        ],
    )
    return 0


def cmd_request_show(args: argparse.Namespace) -> int:
    from casecoord.cli.treaty_commands import resolution_json
    from casecoord.services.deadlines import officer_zone
    from casecoord.services.handling import effective_marking
    from casecoord.services.requests import get_request

    with unlock(args) as vault:
        detail = get_request(vault, args.ref)
        zone = officer_zone(vault)
        with vault.session() as session:
            marking = effective_marking(session, detail.request)
    request = detail.request
    if args.json:
        print_json(
            {
                "request": request,
                "effective_handling": {"tlp": marking.tlp, "handling_code": marking.handling_code},
                "case_ref": detail.case_ref,
                "persons": detail.persons,
                "counterpart": detail.counterpart,
                "parent_ref": detail.parent_ref,
                "children": detail.children,
                "allowed_moves": detail.allowed_moves,
                "basis_flags": detail.basis_flags,
                "basis_answer": (
                    resolution_json(detail.basis_answer) if detail.basis_answer else None
                ),
            }
        )
        return 0
    received = (
        f"{request.received_at.astimezone(zone):%Y-%m-%d %H:%M} ({zone.key})"
        if request.received_at is not None
        else None
    )
    print_fields(
        [
            ("reference", request.reference),
            ("case", detail.case_ref),
            ("kind", request.kind),
            ("direction", request.direction),
            ("states", f"{request.requesting_state} → {request.requested_state}"),
            ("status", request.status),
            ("allowed next", detail.allowed_moves),
            ("legal basis", f"{request.basis_title or '-'} {request.basis_articles or ''}".strip()),
            ("override reason", request.basis_override_reason),
            ("channel", request.channel),
            ("language", f"{request.language} (translation {request.translation_state})"),
            ("urgency", request.urgency),
            ("measures", request.measures),
            ("counterpart", detail.counterpart.name if detail.counterpart else None),
            ("their reference", request.counterpart_reference),
            (
                "belongs to",
                f"{detail.parent_ref} ({request.relation})" if detail.parent_ref else None,
            ),
            ("handling", marking.label()),
            ("received", received),
            ("provisional measures", "asked" if request.provisional_measures else None),
            ("offence scope", scope_summary(request)),
            ("facts", request.facts),
            *_document_lines(request),
        ]
    )
    answer = detail.basis_answer
    if answer is not None:
        first = answer.first
        print(
            "basis today: "
            + (
                f"{first.short_name} ({', '.join(first.articles) or 'no article listed'}): "
                f"{shown(first.why, one_line=True)}"
                if first is not None
                else "no basis applies"
            )
        )
        for question in answer.questions:
            where = REQUEST_ANSWER_FLAGS[question.topic].format(ref=request.reference)
            print(f"? to answer: {shown(question.text, one_line=True)} ({where})")
    for flag in detail.basis_flags:
        print(f"! basis to review: {shown(flag.message, one_line=True)}")
    return 0


# where an officer answers each scope question for a stored request, by ScopeTopic value
REQUEST_ANSWER_FLAGS: dict[str, str] = {
    "offence": "the case's offences: its Offences field in the TUI, or case add --offence",
    "organised-group": "request edit {ref} --organised-group or --no-organised-group",
    "max-penalty": "request edit {ref} --max-penalty-years N",
}


def scope_summary(request: Request) -> str:
    """The officer's offence-scope answers, as ``request show`` prints them."""
    group = {True: "yes", False: "no", None: "not answered"}[request.organised_group]
    years = (
        "not answered"
        if request.max_penalty_years is None
        else f"{request.max_penalty_years:g} years"
    )
    return f"organised group: {group}; maximum penalty: {years}"


def _document_lines(request: object) -> list[tuple[str, object]]:
    """The document fields that are filled in, labelled as their flags."""
    lines: list[tuple[str, object]] = []
    for label, name in (("decision kind", "decision_kind"), ("decision date", "decision_date")):
        if getattr(request, name, None):
            lines.append((label, getattr(request, name)))
    for flag, name, _text in DOCUMENT_FLAGS:
        if getattr(request, name, ""):
            lines.append((flag.replace("-", " "), getattr(request, name)))
    return lines


def cmd_request_status(args: argparse.Namespace) -> int:
    from casecoord.services.requests import change_request_status

    with unlock(args) as vault:
        request = change_request_status(vault, args.ref, args.status, reason=args.reason or "")
    print(f"Request {request.reference} is now {request.status}.")
    return 0


def cmd_request_event(args: argparse.Namespace) -> int:
    from casecoord.services.deadlines import record_event

    with unlock(args) as vault:
        created = record_event(vault, args.ref, args.event, args.at)
    print(
        f"Event '{args.event}' recorded on {args.ref}; {len(created)} statutory deadline(s) created."
    )
    for deadline in created:
        print(
            f"  {deadline.due_at:%Y-%m-%d %H:%M} UTC  {line(deadline.title)}  [{deadline.article}]"
        )
    return 0


# -- contacts -------------------------------------------------------------------------------


def cmd_contact_add(args: argparse.Namespace) -> int:
    from casecoord.services.contacts import ContactInput, add_contact

    data = ContactInput(
        name=args.name,
        country=args.country,
        handle=args.handle,
        organisation=args.org or "",
        role=args.role or "",
        time_zone=args.tz,
        languages=_split(args.language),
        email=args.email,
        phone=args.phone,
        channels=_split(args.channel),
        family_name=args.family_name or "",
        given_names=args.given_names or "",
    )
    with unlock(args) as vault:
        contact = add_contact(vault, data)
    if args.json:
        print_json(contact)
    else:
        print(f"Contact {contact.handle} added ({contact.country}, {contact.time_zone}).")
    return 0


def cmd_contact_list(args: argparse.Namespace) -> int:
    from casecoord.services.contacts import list_contacts, local_time

    with unlock(args) as vault:
        contacts = list_contacts(vault, args.filter or "")
    if args.json:
        print_json(
            [
                c.model_dump(mode="json", exclude={"certificate_pem"})
                | {"local_time": local_time(c).isoformat()}
                for c in contacts
            ]
        )
        return 0
    print_table(
        ["handle", "name", "country", "local time", "languages", "pinned"],
        [
            (
                c.handle,
                c.name,
                c.country,
                local_time(c).strftime("%a %H:%M"),
                ",".join(c.languages),
                "yes" if c.certificate_fingerprint else "no",
            )
            for c in contacts
        ],
    )
    return 0


def cmd_contact_show(args: argparse.Namespace) -> int:
    from casecoord.services.contacts import get_contact, local_time

    with unlock(args) as vault:
        contact = get_contact(vault, args.handle)
    if args.json:
        print_json(
            contact.model_dump(mode="json") | {"local_time": local_time(contact).isoformat()}
        )
        return 0
    print_fields(
        [
            ("handle", contact.handle),
            ("name", contact.name),
            ("organisation", contact.organisation),
            ("role", contact.role),
            ("country", contact.country),
            ("local time", f"{local_time(contact):%a %Y-%m-%d %H:%M} ({contact.time_zone})"),
            ("languages", contact.languages),
            ("email", contact.email),
            ("phone", contact.phone),
            ("channels", contact.channels),
            ("certificate", contact.certificate_fingerprint or "not pinned"),
        ]
    )
    return 0


# -- deadlines ------------------------------------------------------------------------------


def cmd_deadlines(args: argparse.Namespace) -> int:
    from casecoord.services.deadlines import DeadlineQuery, list_deadlines, parse_within

    query = DeadlineQuery(
        within=parse_within(args.within) if args.within else None,
        overdue_only=args.overdue,
        open_only=not args.all,
        case_ref=args.case,
        country=args.country,
    )
    with unlock(args) as vault:
        views = list_deadlines(vault, query)
    if args.ics:
        from casecoord.services.calendar_export import write_ics

        count = write_ics(views, Path(args.ics), overwrite=args.force)
        print(f"{count} open deadline(s) written to {args.ics}")
        return 0
    if args.json:
        print_json(
            [
                v.__dict__
                | {
                    "due_officer": v.due_officer.isoformat(),
                    "due_counterpart": v.due_counterpart.isoformat(),
                }
                for v in views
            ]
        )
        return 0
    print_table(
        ["id", "due (officer)", "due (counterpart)", "case", "request", "title", "rule", "state"],
        [
            (
                v.id,
                v.due_officer.strftime("%Y-%m-%d %H:%M %Z"),
                v.due_counterpart.strftime("%Y-%m-%d %H:%M %Z"),
                v.case_ref,
                v.request_ref or "",
                v.title,
                v.article or v.origin,
                v.state,
            )
            for v in views
        ],
    )
    return 0


def cmd_deadline_add(args: argparse.Namespace) -> int:
    from casecoord.services.deadlines import add_deadline

    note = read_text(args, "note") or ""
    with unlock(args) as vault:
        deadline = add_deadline(
            vault, args.case, args.title, args.due, request_ref=args.request, note=note
        )
    print(f"Deadline {deadline.id} added, due {deadline.due_at:%Y-%m-%d %H:%M} UTC.")
    return 0


def cmd_deadline_state(args: argparse.Namespace) -> int:
    from casecoord.services.deadlines import set_deadline_state

    with unlock(args) as vault:
        deadline = set_deadline_state(vault, args.id, args.state, reason=args.reason or "")
    print(f"Deadline {deadline.id} is now {deadline.state}.")
    return 0


def cmd_deadline_extend(args: argparse.Namespace) -> int:
    from casecoord.services.deadlines import extend_deadline

    with unlock(args) as vault:
        deadline = extend_deadline(vault, args.id, args.due, args.reason)
    print(f"Deadline {deadline.id} now due {deadline.due_at:%Y-%m-%d %H:%M} UTC.")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: Common) -> None:
    def group(name: str, help_text: str) -> argparse._SubParsersAction[argparse.ArgumentParser]:
        parser = sub.add_parser(name, help=help_text, description=help_text)
        return parser.add_subparsers(dest=f"{name}_command", metavar="ACTION", required=True)

    def verb(
        parent: argparse._SubParsersAction[argparse.ArgumentParser],
        name: str,
        handler: Callable[[argparse.Namespace], int],
        help_text: str,
    ) -> argparse.ArgumentParser:
        parser = parent.add_parser(name, help=help_text, description=help_text)
        common(parser)
        parser.set_defaults(handler=handler)
        return parser

    def handling(parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--tlp", default="AMBER", help="TLP 2.0: CLEAR, GREEN, AMBER, AMBER+STRICT, RED"
        )
        parser.add_argument("--handling", default="H1", help="SIENA handling code H0-H3")

    cases = group("case", "case files")
    p = verb(cases, "add", cmd_case_add, "open a case")
    p.add_argument("--ref", required=True, help="reference, e.g. NL-2026-0042")
    p.add_argument("--title", required=True)
    p.add_argument("--country", action="append", help="ISO alpha-2 code; repeat or comma-separate")
    add_text_option(p, "--summary", "a short summary of the case")
    p.add_argument(
        "--offence", action="append", help="EU list-offence key; repeat or comma-separate"
    )
    p.add_argument("--grading", help="source/information grading, e.g. B2")
    p.add_argument("--eurojust")
    p.add_argument("--europol")
    p.add_argument("--prosecution")
    p.add_argument("--retention-until", metavar="YYYY-MM-DD")
    p.add_argument("--json", action="store_true")
    handling(p)
    p = verb(cases, "list", cmd_case_list, "list cases, newest change first")
    p.add_argument(
        "--filter", help="words that must appear in reference, title, countries, status or offences"
    )
    p.add_argument("--status")
    p.add_argument(
        "--sort", default="updated", choices=["reference", "title", "status", "updated", "created"]
    )
    p.add_argument("--ascending", action="store_true")
    p.add_argument("--offset", type=int, default=0)
    p.add_argument("--limit", type=int, default=100)
    p.add_argument("--json", action="store_true")
    p = verb(cases, "show", cmd_case_show, "show a case with its persons, requests and notes")
    p.add_argument("ref")
    p.add_argument("--json", action="store_true")
    p = verb(cases, "status", cmd_case_status, "move a case to another status")
    p.add_argument("ref")
    p.add_argument("status", help="intake, active, dormant, closed")
    p = verb(cases, "note", cmd_case_note, "add a note to a case")
    p.add_argument("ref")
    p.add_argument("text", nargs="?", help="the note (visible in ps and shell history)")
    p.add_argument("--note-file", metavar="F", help="read the note from F ('-': standard input)")
    p = verb(cases, "person", cmd_case_person, "add a person (suspect, witness, victim) to a case")
    p.add_argument("ref")
    p.add_argument("--family-name", required=True)
    p.add_argument("--given-names")
    p.add_argument("--role", default="suspect")
    p.add_argument("--alias", action="append")
    p.add_argument("--born", metavar="YYYY-MM-DD")
    p.add_argument("--nationality")
    p.add_argument("--document", action="append")
    p.add_argument("--whereabouts")
    p.add_argument("--json", action="store_true")

    requests = group("request", "MLA, extradition and other requests")
    p = verb(
        requests, "add", cmd_request_add, "create a request (legal basis suggested when not given)"
    )
    p.add_argument("--ref", required=True)
    p.add_argument("--case", required=True, metavar="CASE_REF")
    p.add_argument(
        "--kind",
        required=True,
        help="mla, extradition, provisional-arrest, eio, eaw, freezing, confiscation, transfer-of-proceedings, jit",
    )
    p.add_argument("--direction", default="outgoing", choices=["outgoing", "incoming"])
    p.add_argument(
        "--from", dest="requesting", required=True, metavar="STATE", help="requesting state"
    )
    p.add_argument("--to", dest="requested", required=True, metavar="STATE", help="requested state")
    add_text_option(p, "--facts", "the facts of the case as the request states them")
    p.add_argument("--qualification", help="legal qualification of the offence")
    p.add_argument("--measure", action="append")
    p.add_argument("--channel", default="central-authority")
    p.add_argument("--urgency", default="normal")
    p.add_argument("--language", help="ISO 639-1; default: what the requested state accepts")
    p.add_argument("--translation", default="not-needed", help="not-needed, needed, ordered, done")
    p.add_argument("--basis", metavar="INSTRUMENT_ID", help="override the suggested legal basis")
    p.add_argument("--override-reason")
    p.add_argument("--counterpart", metavar="CONTACT")
    p.add_argument("--counterpart-ref")
    p.add_argument("--parent", metavar="REQUEST_REF")
    p.add_argument("--relation", choices=["supplementary", "execution-return", "follow-up"])
    p.add_argument("--person", action="append", help="person id(s) of the case")
    p.add_argument(
        "--received",
        metavar="'YYYY-MM-DD HH:MM'",
        help="incoming only: when it reached you (officer's zone); its deadlines run from here; "
        "default now",
    )
    p.add_argument(
        "--provisional-measures",
        action="store_true",
        help="the request asks for provisional measures (EIO Art. 32: decide within 24 hours)",
    )
    _add_scope_flags(p)
    p.add_argument("--json", action="store_true")
    _add_document_flags(p)
    handling(p)
    p = verb(requests, "list", cmd_request_list, "list requests")
    p.add_argument("--case")
    p.add_argument("--status")
    p.add_argument("--direction", choices=["outgoing", "incoming"])
    p.add_argument("--kind")
    p.add_argument("--country")
    p.add_argument("--open", action="store_true", help="only requests not yet in a final status")
    p.add_argument("--offset", type=int, default=0)
    p.add_argument("--limit", type=int, default=200)
    p.add_argument("--json", action="store_true")
    p = verb(requests, "show", cmd_request_show, "show a request")
    p.add_argument("ref")
    p.add_argument("--json", action="store_true")
    p = verb(requests, "status", cmd_request_status, "move a request along its status machine")
    p.add_argument("ref")
    p.add_argument("status")
    p.add_argument("--reason")
    p = verb(
        requests,
        "event",
        cmd_request_event,
        "record a legal event; creates its statutory deadlines",
    )
    p.add_argument("ref")
    p.add_argument(
        "event",
        help="receipt, arrest, provisional-arrest, consent, final-decision, recognition-decision, new-surrender-date, placed-at-disposal",
    )
    p.add_argument("--at", help="when it happened (YYYY-MM-DD HH:MM, officer's zone); default now")

    p = verb(
        requests,
        "edit",
        cmd_request_edit,
        "edit a request that has not left the office (draft or ready), or an incoming one",
    )
    p.add_argument("ref")
    add_text_option(p, "--facts", "the facts of the case as the request states them")
    p.add_argument("--qualification", help="legal qualification of the offence")
    p.add_argument(
        "--measure", action="append", help="replaces the measures; repeat or comma-separate"
    )
    p.add_argument("--channel")
    p.add_argument("--urgency")
    p.add_argument("--language")
    p.add_argument("--translation", help="not-needed, needed, ordered, done")
    p.add_argument("--basis", metavar="INSTRUMENT_ID")
    p.add_argument("--override-reason")
    p.add_argument("--counterpart-ref")
    p.add_argument("--person", action="append", help="person id(s) of the case; replaces the list")
    p.add_argument("--tlp")
    p.add_argument("--handling")
    p.add_argument(
        "--received",
        metavar="'YYYY-MM-DD HH:MM'",
        help="incoming only: correct the receipt date; its statutory deadlines are recomputed",
    )
    p.add_argument(
        "--provisional-measures",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="whether the request asks for provisional measures (EIO Art. 32)",
    )
    _add_scope_flags(p, edit=True)
    _add_document_flags(p)

    contacts = group("contact", "the counterpart directory")
    p = verb(contacts, "add", cmd_contact_add, "add a counterpart")
    p.add_argument("--name", required=True)
    p.add_argument("--family-name", help="surname(s) as written, e.g. 'Villamizar Muñoz'")
    p.add_argument("--given-names", help="given name(s), e.g. 'Ana'")
    p.add_argument("--country", required=True)
    p.add_argument("--handle")
    p.add_argument("--org")
    p.add_argument("--role")
    p.add_argument("--tz", help="IANA zone; default: the country's main zone")
    p.add_argument("--language", action="append")
    p.add_argument("--email")
    p.add_argument("--phone", help="international form, +CC…")
    p.add_argument("--channel", action="append")
    p.add_argument("--json", action="store_true")
    p = verb(contacts, "list", cmd_contact_list, "list counterparts with their local time")
    p.add_argument("--filter")
    p.add_argument("--json", action="store_true")
    p = verb(contacts, "show", cmd_contact_show, "show a counterpart")
    p.add_argument("handle")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser(
        "deadlines",
        help="open deadlines; --ics FILE exports them to a calendar",
        description="open deadlines in the officer's and the counterpart's time; --ics FILE exports "
        "them to an iCalendar file (met and waived ones as cancelled events)",
    )
    common(p)
    p.set_defaults(handler=cmd_deadlines)
    p.add_argument("--within", help="only those due within, e.g. 14d, 2w, 48h")
    p.add_argument("--overdue", action="store_true")
    p.add_argument("--all", action="store_true", help="include met and waived deadlines")
    p.add_argument("--case")
    p.add_argument("--country")
    p.add_argument("--ics", metavar="FILE", help="write an iCalendar file (RFC 5545)")
    p.add_argument("--force", action="store_true", help="replace an existing file")
    p.add_argument("--json", action="store_true")

    deadline = group("deadline", "add, close or extend one deadline")
    p = verb(deadline, "add", cmd_deadline_add, "add a manual deadline")
    p.add_argument("--case", required=True)
    p.add_argument("--title", required=True)
    p.add_argument("--due", required=True, help="YYYY-MM-DD [HH:MM] in the officer's zone")
    p.add_argument("--request")
    add_text_option(p, "--note", "a note on the deadline")
    for state, help_text in (
        ("met", "mark a deadline met"),
        ("waived", "waive a deadline (give a reason)"),
    ):
        p = verb(deadline, state, cmd_deadline_state, help_text)
        p.add_argument("id")
        p.add_argument("--reason")
        p.set_defaults(state=state)
    p = verb(deadline, "extend", cmd_deadline_extend, "extend a deadline (give a reason)")
    p.add_argument("id")
    p.add_argument("--due", required=True)
    p.add_argument("--reason", required=True)


def cmd_request_edit(args: argparse.Namespace) -> int:
    from casecoord.services.requests import link_persons, update_request

    fields = {
        "facts": read_text(args, "facts"),
        "legal_qualification": args.qualification,
        "measures": _split(args.measure) if args.measure is not None else None,
        "channel": args.channel,
        "urgency": args.urgency,
        "language": args.language,
        "translation_state": args.translation,
        "basis_instrument_id": args.basis,
        "basis_override_reason": args.override_reason,
        "counterpart_reference": args.counterpart_ref,
        "tlp": args.tlp,
        "handling_code": args.handling,
        "received_at": args.received,
        "provisional_measures": args.provisional_measures,
        "organised_group": args.organised_group,
        "max_penalty_years": args.max_penalty_years,
    }
    changes = {name: value for name, value in fields.items() if value is not None}
    changes.update(_document_args(args))
    report: list[str] = []
    with unlock(args) as vault:
        if changes:
            update_request(vault, args.ref, changes, report=report)
        if args.person is not None:
            link_persons(vault, args.ref, [int(p) for p in _split(args.person)])
    print(f"Request {args.ref} updated.")
    for entry in report:
        print(f"  deadlines: {entry}")
    return 0
