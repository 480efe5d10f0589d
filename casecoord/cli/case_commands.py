"""Verbs on case files: open, list, show, move, note, add a person; erase expired ones (purge)."""

from __future__ import annotations

import argparse
from typing import Any

from casecoord.cli.output import info, line, print_fields, print_json, print_table
from casecoord.cli.text_input import add_text_option, read_text
from casecoord.cli.vault_commands import Common, unlock
from casecoord.cli.verbs import Subparsers, add_handling, group, split_values, verb
from casecoord.domain.errors import CasecoordError


def cmd_case_add(args: argparse.Namespace) -> int:
    from casecoord.services.cases import CaseInput, add_case

    data = CaseInput(
        reference=args.ref,
        title=args.title,
        countries=split_values(args.country),
        summary=read_text(args, "summary") or "",
        offences=split_values(args.offence),
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
        aliases=split_values(args.alias),
        birth_date=args.born,
        nationality=args.nationality,
        documents=split_values(args.document),
        whereabouts=args.whereabouts or "",
    )
    with unlock(args) as vault:
        person = add_person(vault, args.ref, data)
    if args.json:
        print_json(person)
    else:
        print(f"Person {person.id} ({person.role}) added to {args.ref}.")
    return 0


def cmd_case_person_edit(args: argparse.Namespace) -> int:
    """Change the fields given; the rest stay. An empty value clears an optional field."""
    from dataclasses import replace

    from casecoord.services.cases import PERSON_FIELDS, get_person, person_input, update_person

    given: dict[str, Any] = {
        "family_name": args.family_name,
        "given_names": args.given_names,
        "role": args.role,
        "birth_date": args.born,
        "nationality": args.nationality,
        "whereabouts": args.whereabouts,
    }
    changes = {field: value for field, value in given.items() if value is not None}
    for field in ("birth_date", "nationality"):
        if changes.get(field) == "":
            changes[field] = None
    if args.alias is not None:
        changes["aliases"] = split_values(args.alias)
    if args.document is not None:
        changes["documents"] = split_values(args.document)
    with unlock(args) as vault:
        before = get_person(vault, args.ref, args.person_id)
        wanted = replace(person_input(before), **changes)
        person = update_person(vault, args.ref, args.person_id, wanted, expected=before)
    changed = [f for f in PERSON_FIELDS if getattr(before, f) != getattr(person, f)]
    if args.json:
        print_json(person)
    elif changed:
        names = ", ".join(changed).replace("_", " ")
        print(f"Person {person.id} on {args.ref} updated: {names}.")
    else:
        print(f"Person {person.id} on {args.ref} unchanged.")
    return 0


def cmd_purge(args: argparse.Namespace) -> int:
    from casecoord.domain.values import iso_date
    from casecoord.services.retention import purge_expired

    if not args.expired:
        raise CasecoordError("say what to purge: 'casecoord purge --expired [--dry-run]'")
    with unlock(args) as vault:
        result = purge_expired(vault, iso_date(args.as_of, "as of"), dry_run=args.dry_run)
    if args.json:
        print_json(result)
        return 0
    verb = "would be erased" if result.dry_run else "erased"
    if result.purged:
        print(f"{len(result.purged)} case(s) {verb}: {', '.join(result.purged)}")
        counts = ", ".join(f"{n} {name}" for name, n in sorted(result.rows.items()) if n)
        print(f"  with {counts}")
    else:
        print("No case past its retention date can be erased.")
    for held in result.held:
        print(f"Kept {held.reference} (retention ended {held.retention_until}): {held.held}")
    if result.purged and not result.dry_run:
        info("Backups made before today still hold these cases until they are destroyed.")
    return 0


def register(sub: Subparsers, common: Common) -> None:
    cases = group(sub, "case", "case files")
    p = verb(cases, "add", cmd_case_add, "open a case", common)
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
    add_handling(p)
    p = verb(cases, "list", cmd_case_list, "list cases, newest change first", common)
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
    p = verb(
        cases, "show", cmd_case_show, "show a case with its persons, requests and notes", common
    )
    p.add_argument("ref")
    p.add_argument("--json", action="store_true")
    p = verb(cases, "status", cmd_case_status, "move a case to another status", common)
    p.add_argument("ref")
    p.add_argument("status", help="intake, active, dormant, closed")
    p = verb(cases, "note", cmd_case_note, "add a note to a case", common)
    p.add_argument("ref")
    p.add_argument("text", nargs="?", help="the note (visible in ps and shell history)")
    p.add_argument("--note-file", metavar="F", help="read the note from F ('-': standard input)")
    p = verb(
        cases,
        "person",
        cmd_case_person,
        "add a person (suspect, witness, victim) to a case",
        common,
    )
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
    p = verb(
        cases,
        "person-edit",
        cmd_case_person_edit,
        "change a person on a case (only the options given; '' clears one; ids: case show)",
        common,
    )
    p.add_argument("ref")
    p.add_argument("person_id", type=int, metavar="PERSON_ID")
    p.add_argument("--family-name")
    p.add_argument("--given-names")
    p.add_argument("--role")
    p.add_argument("--alias", action="append", help="replaces the list; '' empties it")
    p.add_argument("--born", metavar="YYYY-MM-DD")
    p.add_argument("--nationality")
    p.add_argument("--document", action="append", help="replaces the list; '' empties it")
    p.add_argument("--whereabouts")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser(
        "purge",
        help="erase closed cases kept past their retention date (no trace left in the vault)",
        description="erase closed cases kept past their retention date: their rows, index "
        "entries and audit details; the audit chain keeps only that a case was erased",
    )
    common(p)
    p.set_defaults(handler=cmd_purge)
    p.add_argument("--expired", action="store_true", help="cases whose retention has lapsed")
    p.add_argument(
        "--dry-run", action="store_true", help="list what would be erased; change nothing"
    )
    p.add_argument(
        "--as-of", metavar="YYYY-MM-DD", help="judge expiry on this date (default today)"
    )
    p.add_argument("--json", action="store_true")
