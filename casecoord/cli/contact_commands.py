"""Verbs on the counterpart directory: add, edit, list, show."""

from __future__ import annotations

import argparse
from typing import Any

from casecoord.cli.output import print_fields, print_json, print_table
from casecoord.cli.vault_commands import Common, unlock
from casecoord.cli.verbs import Subparsers, group, split_values, verb


def cmd_contact_add(args: argparse.Namespace) -> int:
    from casecoord.services.contacts import ContactInput, add_contact

    data = ContactInput(
        name=args.name,
        country=args.country,
        handle=args.handle,
        organisation=args.org or "",
        role=args.role or "",
        time_zone=args.tz,
        languages=split_values(args.language),
        email=args.email,
        phone=args.phone,
        channels=split_values(args.channel),
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


def cmd_contact_edit(args: argparse.Namespace) -> int:
    """Change the fields given; the rest stay. An empty value clears an optional field."""
    from dataclasses import replace

    from casecoord.services.contacts import (
        EDITABLE_FIELDS,
        contact_input,
        get_contact,
        update_contact,
    )

    given: dict[str, Any] = {
        "name": args.name,
        "family_name": args.family_name,
        "given_names": args.given_names,
        "organisation": args.org,
        "role": args.role,
        "country": args.country,
        "time_zone": args.tz,
        "email": args.email,
        "phone": args.phone,
    }
    changes = {field: value for field, value in given.items() if value is not None}
    for field in ("email", "phone", "time_zone"):
        if changes.get(field) == "":
            changes[field] = None  # cleared; an empty time zone goes back to the country's
    if args.language is not None:
        changes["languages"] = split_values(args.language)
    if args.channel is not None:
        changes["channels"] = split_values(args.channel)
    with unlock(args) as vault:
        before = get_contact(vault, args.handle)
        wanted = replace(contact_input(before), **changes)
        if "country" in changes and "time_zone" not in changes:
            wanted = replace(wanted, time_zone=None)  # the new country's main zone
        contact = update_contact(vault, before.handle, wanted, expected=before)
    changed = [f for f in EDITABLE_FIELDS if getattr(before, f) != getattr(contact, f)]
    if args.json:
        print_json(contact.model_dump(mode="json", exclude={"certificate_pem"}))
    elif changed:
        print(f"Contact {contact.handle} updated: {', '.join(changed).replace('_', ' ')}.")
    else:
        print(f"Contact {contact.handle} unchanged.")
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
            ("family name", contact.family_name),
            ("given names", contact.given_names),
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


def register(sub: Subparsers, common: Common) -> None:
    contacts = group(sub, "contact", "the counterpart directory")
    p = verb(contacts, "add", cmd_contact_add, "add a counterpart", common)
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
    p = verb(
        contacts,
        "edit",
        cmd_contact_edit,
        "change a counterpart's details (only the options given; '' clears one)",
        common,
    )
    p.add_argument("handle")
    p.add_argument("--name")
    p.add_argument("--family-name")
    p.add_argument("--given-names")
    p.add_argument("--country", help="a new country also resets the zone unless --tz is given")
    p.add_argument("--org")
    p.add_argument("--role")
    p.add_argument("--tz", help="IANA zone; '' for the country's main zone")
    p.add_argument("--language", action="append", help="replaces the list; '' empties it")
    p.add_argument("--email")
    p.add_argument("--phone", help="international form, +CC…")
    p.add_argument("--channel", action="append", help="replaces the list; '' empties it")
    p.add_argument("--json", action="store_true")
    p = verb(contacts, "list", cmd_contact_list, "list counterparts with their local time", common)
    p.add_argument("--filter")
    p.add_argument("--json", action="store_true")
    p = verb(contacts, "show", cmd_contact_show, "show a counterpart", common)
    p.add_argument("handle")
    p.add_argument("--json", action="store_true")
