"""Verbs on requests: create, list, show, edit, move, record legal events; check completeness,
set follow-ups, show the family of related requests."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from casecoord.cli.output import line, print_fields, print_json, print_table
from casecoord.cli.text_input import add_text_option, read_text
from casecoord.cli.vault_commands import Common, unlock
from casecoord.cli.verbs import Subparsers, add_handling, group, split_values, verb
from casecoord.domain.text import shown

if TYPE_CHECKING:
    from casecoord.domain.models import Request


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
        measures=split_values(args.measure),
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
        person_ids=[int(p) for p in split_values(args.person)],
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


def cmd_request_edit(args: argparse.Namespace) -> int:
    from casecoord.services.requests import link_persons, update_request

    fields = {
        "facts": read_text(args, "facts"),
        "legal_qualification": args.qualification,
        "measures": split_values(args.measure) if args.measure is not None else None,
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
            link_persons(vault, args.ref, [int(p) for p in split_values(args.person)])
    print(f"Request {args.ref} updated.")
    for entry in report:
        print(f"  deadlines: {entry}")
    return 0


def cmd_request_check(args: argparse.Namespace) -> int:
    from casecoord.services.authorities import suggest_for_request
    from casecoord.services.completeness import check_request
    from casecoord.services.requests import basis_flags

    with unlock(args) as vault:
        report = check_request(vault, args.ref)
        addressee = suggest_for_request(vault, args.ref)
        flags = basis_flags(vault, args.ref)
    if args.json:
        print_json(
            {
                "request": report.request_ref,
                "kind": report.kind,
                "instrument_id": report.instrument_id,
                "instrument_title": report.instrument_title,
                "complete": report.complete,
                "missing": report.missing,
                "advice": report.advice,
                "satisfied": report.satisfied,
                "suggested_addressee": addressee,
                "basis_flags": flags,
            }
        )
        return 0 if report.complete else 1
    basis = report.instrument_title or "no legal basis"
    print(f"Request {report.request_ref} ({report.kind}) under {basis}")
    for flag in flags:
        print(f"! basis to review: {shown(flag.message, one_line=True)}")
    for title, items, mark in (
        ("Missing (blocks 'ready')", report.missing, "✗"),
        ("Advice", report.advice, "!"),
        ("Present", report.satisfied, "✓"),
    ):
        if not items:
            continue
        print(f"\n{title}")
        for item in items:
            print(f"  {'?' if item.unknown else mark} {item.describe()}")
    if addressee is not None:
        verified = addressee.last_verified.isoformat() if addressee.last_verified else "never"
        print(f"\nSuggested addressee: {addressee.name} (last verified {verified})")
    print()
    print(report.summary() + ".")
    return 0 if report.complete else 1


def cmd_request_follow_up(args: argparse.Namespace) -> int:
    from casecoord.services.families import add_follow_up

    with unlock(args) as vault:
        deadline = add_follow_up(vault, args.ref, args.within, args.title)
    print(
        f"Follow-up '{deadline.title}' set for {deadline.due_at:%Y-%m-%d %H:%M} UTC "
        f"(deadline {deadline.id})."
    )
    return 0


def cmd_request_family(args: argparse.Namespace) -> int:
    from casecoord.services.families import family

    with unlock(args) as vault:
        found = family(vault, args.ref)
    if args.json:
        print_json(found)
        return 0
    print(f"Family of {found.focus_ref} (case {found.case_ref}), root {found.root_ref}:")
    print_table(
        ["request", "relation", "belongs to", "kind", "direction", "status", "created"],
        [
            (
                ("  " * m.depth) + m.reference + (" *" if m.reference == found.focus_ref else ""),
                m.relation or "root",
                m.parent_ref or "",
                m.kind,
                m.direction,
                m.status,
                m.created_at.strftime("%Y-%m-%d"),
            )
            for m in found.members
        ],
    )
    return 0


def register(sub: Subparsers, common: Common) -> None:
    requests = group(sub, "request", "MLA, extradition and other requests")
    p = verb(
        requests,
        "add",
        cmd_request_add,
        "create a request (legal basis suggested when not given)",
        common,
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
    add_handling(p)
    p = verb(requests, "list", cmd_request_list, "list requests", common)
    p.add_argument("--case")
    p.add_argument("--status")
    p.add_argument("--direction", choices=["outgoing", "incoming"])
    p.add_argument("--kind")
    p.add_argument("--country")
    p.add_argument("--open", action="store_true", help="only requests not yet in a final status")
    p.add_argument("--offset", type=int, default=0)
    p.add_argument("--limit", type=int, default=200)
    p.add_argument("--json", action="store_true")
    p = verb(requests, "show", cmd_request_show, "show a request", common)
    p.add_argument("ref")
    p.add_argument("--json", action="store_true")
    p = verb(
        requests, "status", cmd_request_status, "move a request along its status machine", common
    )
    p.add_argument("ref")
    p.add_argument("status")
    p.add_argument("--reason")
    p = verb(
        requests,
        "event",
        cmd_request_event,
        "record a legal event; creates its statutory deadlines",
        common,
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
        common,
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
    p = verb(
        requests,
        "check",
        cmd_request_check,
        "what the request still lacks for its legal basis (exit 1 while incomplete)",
        common,
    )
    p.add_argument("ref")
    p.add_argument("--json", action="store_true")
    p = verb(
        requests,
        "follow-up",
        cmd_request_follow_up,
        "set a reminder to chase a request (a deadline linked to it)",
        common,
    )
    p.add_argument("ref")
    p.add_argument("--in", dest="within", required=True, metavar="PERIOD", help="e.g. 14d, 2w, 48h")
    p.add_argument("--title", help="default: 'Follow up on REF'")
    p = verb(
        requests,
        "family",
        cmd_request_family,
        "the whole thread: the first request and its supplementary, return and follow-up requests",
        common,
    )
    p.add_argument("ref")
    p.add_argument("--json", action="store_true")
