"""Verbs on the counterpart directory: add, list, show."""

from __future__ import annotations

import argparse

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
    p = verb(contacts, "list", cmd_contact_list, "list counterparts with their local time", common)
    p.add_argument("--filter")
    p.add_argument("--json", action="store_true")
    p = verb(contacts, "show", cmd_contact_show, "show a counterpart", common)
    p.add_argument("handle")
    p.add_argument("--json", action="store_true")
