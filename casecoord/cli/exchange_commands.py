"""Exchange verbs: the officer's identity, pinning counterparts, export, verify, import, receipts.

Secrets follow the CLI's rule (never argv): the vault passphrase is the first secret asked, a
PKCS#12 password the next one. ``verify`` exits 0 only when every check passed, so a script (or a
counterpart's mail gateway) can rely on its exit status.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from casecoord.cli.output import info, line, print_fields, print_json
from casecoord.cli.vault_commands import Common, secrets, unlock
from casecoord.domain.errors import CasecoordError

EXIT_NOT_VERIFIED = 4


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise CasecoordError(f"cannot read {path}: {exc.strerror or exc}") from None


# -- identity -------------------------------------------------------------------------------


def _print_identity(summary: object, pem: bool) -> None:
    from casecoord.services.identity_store import IdentitySummary

    assert isinstance(summary, IdentitySummary)
    if pem:
        sys.stdout.write(summary.public_pem)
        return
    pairs: list[tuple[str, object]] = [
        ("name", summary.name),
        ("organisation", summary.organisation),
        ("country", summary.country),
        ("email", summary.email),
    ]
    for cert in summary.certificates:
        pairs += [
            (f"{cert.purpose} subject", cert.subject),
            (f"{cert.purpose} key", cert.key),
            (f"{cert.purpose} valid", f"{cert.not_before:%Y-%m-%d} to {cert.not_after:%Y-%m-%d}"),
            (f"{cert.purpose} SHA-256", cert.fingerprint),
        ]
    print_fields(pairs)
    print()
    print("Read the signing SHA-256 fingerprint out to your counterpart; they pin it with")
    print("'casecoord contact pin'. 'casecoord identity show --pem' prints the certificates.")


def cmd_identity_new(args: argparse.Namespace) -> int:
    from casecoord.services.identity_store import create_identity

    with unlock(args) as vault:
        summary = create_identity(
            vault, args.name, args.org, args.country, args.email, replace=args.replace
        )
    print(f"Identity created for {summary.name}; the private keys stay inside the vault.")
    _print_identity(summary, pem=False)
    return 0


def cmd_identity_import(args: argparse.Namespace) -> int:
    from casecoord.services.identity_store import import_identity

    source = secrets(args)
    data = _read(args.file)
    with unlock(args, source) as vault:
        password = source.ask("PKCS#12 password: ")
        summary = import_identity(vault, data, password, replace=args.replace)
    print(f"Identity imported for {summary.name}; the private keys are now inside the vault.")
    info("Delete or lock away the .p12 file: the vault holds the key now.")
    _print_identity(summary, pem=False)
    return 0


def cmd_identity_export(args: argparse.Namespace) -> int:
    from casecoord.services.identity_store import export_pkcs12

    target = Path(args.file)
    if target.exists() and not args.force:
        raise CasecoordError(f"{target} already exists; choose another name or use --force")
    source = secrets(args)
    with unlock(args, source) as vault:
        password = source.ask("New password for the .p12 file: ", confirm=True)
        cert = export_pkcs12(vault, target, password, key=args.key, overwrite=args.force)
    print(f"Your {cert.purpose} key and certificate are in {target} (PKCS#12, mode 0600).")
    print(f"  {cert.purpose} {cert.key}, SHA-256 {cert.fingerprint}")
    info("A private key now lives outside the vault: keep the file on an encrypted volume.")
    return 0


def cmd_identity_show(args: argparse.Namespace) -> int:
    from casecoord.services.identity_store import show_identity

    with unlock(args) as vault:
        summary = show_identity(vault)
    if args.json:
        print_json(summary)
    else:
        _print_identity(summary, pem=args.pem)
    return 0


def cmd_contact_pin(args: argparse.Namespace) -> int:
    from casecoord.services.identity_store import pin_counterpart

    data = _read(args.certificate)
    with unlock(args) as vault:
        pinned = pin_counterpart(vault, args.handle, data)
    print(f"Pinned for {pinned.name} ({pinned.handle}):")
    print(f"  signing     {pinned.signing.key:<9} SHA-256 {pinned.signing.fingerprint}")
    if pinned.encryption is not None and pinned.encryption != pinned.signing:
        print(f"  encryption  {pinned.encryption.key:<9} SHA-256 {pinned.encryption.fingerprint}")
    elif pinned.encryption is None:
        print("  no RSA encryption certificate: bundles to them cannot be encrypted")
    print("Compare the signing fingerprint with the one your counterpart reads out to you.")
    return 0


def cmd_contact_export(args: argparse.Namespace) -> int:
    from casecoord.services.vcard import export_contacts

    target = Path(args.file)
    if target.exists() and not args.force:
        raise CasecoordError(f"{target} already exists; choose another name or use --force")
    with unlock(args) as vault:
        count = export_contacts(vault, target, args.handle or None, overwrite=args.force)
    print(f"{count} contact(s) written to {target} (vCard 4.0, with their certificates).")
    info("A contact file is personal data in plaintext: send it over a protected channel.")
    return 0


# -- export, verify, import -----------------------------------------------------------------


def cmd_export(args: argparse.Namespace) -> int:
    from casecoord.bundle.cms import ContentCipher
    from casecoord.services.exchange import export_bundle

    with unlock(args) as vault:
        result = export_bundle(
            vault,
            args.request,
            Path(args.output),
            encrypt_for=args.encrypt_for,
            confirm_release=args.confirm_release,
            mark_sent=args.mark_sent,
            overwrite=args.force,
            cipher=ContentCipher(args.cipher),
        )
    if args.json:
        print_json(result)
        return 0
    print(f"Bundle written: {result.path} ({result.size:,} bytes)")
    print(f"  bundle id          {result.bundle_id}")
    print(f"  SHA-256            {result.sha256}")
    if result.encrypted_for:
        print(f"  container SHA-256  {result.container_sha256}")
        print(f"  encrypted for      {result.encrypted_for} and you ({result.envelope})")
    print(f"  attachments        {result.attachments}")
    print(f"  letter             {result.letter_language}")
    if result.translation_needed:
        print("  translation        needed: no letter template in the requested language")
    if result.marked_sent:
        print(f"{result.request_ref} is now marked sent.")
    else:
        print(
            f"{result.request_ref} keeps its status; once it is handed over run "
            f"'casecoord request status {result.request_ref} sent'."
        )
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from casecoord.services.exchange import verify_file

    with unlock(args) as vault:
        result = verify_file(vault, Path(args.file), accept_fingerprint=args.accept_fingerprint)
    report = result.report
    if args.json:
        print_json(
            {
                "ok": result.ok,
                "file": str(result.path),
                "sha256": result.file_sha256,
                "encrypted": report.encrypted,
                "signer_fingerprint": report.signer_fingerprint,
                "signer_name": report.signer_name,
                "trusted": report.trusted,
                "signed_by_you": report.signed_by_you,
                "signatures": [
                    {
                        "file": sig.file,
                        "signer": sig.signer_name,
                        "fingerprint": sig.fingerprint,
                        "profile": sig.profile,
                        "signing_time": sig.signing_time.isoformat() if sig.signing_time else None,
                    }
                    for sig in report.signatures
                ],
                "checks": [
                    {"name": c.name, "passed": c.passed, "detail": c.detail} for c in report.checks
                ],
                "bundle_id": report.request_doc.get("bundle_id") if report.request_doc else None,
            }
        )
    else:
        for text in result.lines():
            print(line(text))
        print("VERIFIED" if result.ok else "NOT VERIFIED")
    return 0 if result.ok else EXIT_NOT_VERIFIED


def cmd_import(args: argparse.Namespace) -> int:
    from casecoord.services.exchange import import_bundle

    with unlock(args) as vault:
        result = import_bundle(
            vault,
            Path(args.file),
            accept_fingerprint=args.accept_fingerprint,
            case_ref=args.case,
            allow_country_mismatch=args.accept_country_mismatch,
        )
        receipt = None
        if args.receipt:
            from casecoord.services.receipts import make_receipt

            receipt = make_receipt(vault, result, Path(args.receipt), overwrite=args.force)
    if args.json:
        print_json(result)
    elif result.already_imported:
        print(
            f"Already imported as {result.request_ref} (case {result.case_ref}); "
            "nothing was changed."
        )
    else:
        created = "new case" if result.case_created else "case"
        print(
            f"Imported as incoming request {result.request_ref} in {created} {result.case_ref}: "
            f"{result.persons} person(s), {result.attachments} attachment(s)."
        )
        print(f"  signer  {line(result.signer_name or 'accepted')}  {result.signer_fingerprint}")
        for note in result.notes:
            print(f"  note    {line(note)}")
    if receipt is not None:
        print(f"Receipt written: {receipt} (send it back to the sender).")
    return 0


def cmd_receipt_make(args: argparse.Namespace) -> int:
    from casecoord.services.receipts import make_refusal

    with unlock(args) as vault:
        out = make_refusal(
            vault, Path(args.file), args.refuse, Path(args.output), overwrite=args.force
        )
    print(f"Refusal receipt written: {out} (send it back to the sender).")
    return 0


def cmd_receipt_import(args: argparse.Namespace) -> int:
    from casecoord.services.receipts import import_receipt

    with unlock(args) as vault:
        result = import_receipt(vault, Path(args.file))
    if args.json:
        print_json(result)
    elif result.already_recorded:
        print(f"This receipt for {result.request_ref} was already recorded; nothing was changed.")
    elif result.outcome == "accepted":
        print(
            f"{line(result.by)} acknowledged {result.request_ref} (bundle {result.bundle_id}); "
            f"status {result.status_before} -> {result.status_after}. Receipt kept as evidence."
        )
    else:
        print(
            f"{line(result.by)} REFUSED bundle {line(result.bundle_id)} of {result.request_ref}: "
            f"{line(result.reason)}. Status unchanged ({result.status_after}); receipt kept as evidence."
        )
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: Common) -> None:
    def verb(
        parent: argparse._SubParsersAction[argparse.ArgumentParser],
        name: str,
        handler: object,
        help_text: str,
    ) -> argparse.ArgumentParser:
        parser = parent.add_parser(name, help=help_text, description=help_text)
        common(parser)
        parser.set_defaults(handler=handler)
        return parser

    text = "your own signing identity (key and certificate, kept in the vault)"
    identity = sub.add_parser("identity", help=text, description=text)
    verbs = identity.add_subparsers(dest="identity_command", metavar="ACTION", required=True)
    p = verb(verbs, "new", cmd_identity_new, "make an EC P-256 key and self-signed certificate")
    p.add_argument("--name", required=True)
    p.add_argument("--org", required=True)
    p.add_argument("--country", required=True, help="ISO alpha-2, e.g. NL")
    p.add_argument("--email")
    p.add_argument("--replace", action="store_true", help="replace the existing identity")
    p = verb(verbs, "import", cmd_identity_import, "take key and certificate from a PKCS#12 file")
    p.add_argument("file", metavar="FILE.p12")
    p.add_argument("--replace", action="store_true", help="replace the existing identity")
    p = verb(verbs, "export", cmd_identity_export, "write a key pair to a PKCS#12 file")
    p.add_argument("file", metavar="FILE.p12")
    p.add_argument(
        "--key",
        choices=["encryption", "signing"],
        default="encryption",
        help="which pair: encryption (opens bundles sent to you; default) or signing",
    )
    p.add_argument("--force", action="store_true", help="overwrite FILE.p12")
    p = verb(verbs, "show", cmd_identity_show, "certificate, validity and SHA-256 fingerprint")
    p.add_argument("--pem", action="store_true", help="print both public certificates as PEM")
    p.add_argument("--json", action="store_true")

    contact = sub.choices.get("contact")
    if contact is not None:
        contact_verbs = next(
            a for a in contact._actions if isinstance(a, argparse._SubParsersAction)
        )
        p = verb(contact_verbs, "pin", cmd_contact_pin, "pin a counterpart's certificate")
        p.add_argument("handle", metavar="CONTACT")
        p.add_argument("certificate", metavar="CERT.pem", help="signing [+ encryption] cert")
        p = verb(contact_verbs, "export", cmd_contact_export, "write contacts as vCard 4.0")
        p.add_argument("file", metavar="FILE.vcf")
        p.add_argument(
            "--handle", action="append", metavar="H", help="only this contact (repeatable)"
        )
        p.add_argument("--force", action="store_true", help="overwrite FILE.vcf")

    p = verb(sub, "export", cmd_export, "write a request as a signed bundle (.asice / .p7m)")
    p.add_argument("request", metavar="REQUEST_REF")
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    p.add_argument("--encrypt-for", metavar="CONTACT", help="encrypt for a pinned counterpart")
    p.add_argument(
        "--cipher",
        choices=["aes-256-gcm", "aes-256-cbc"],
        default="aes-256-gcm",
        help="content encryption with --encrypt-for: authenticated GCM (default), or CBC only "
        "for a counterpart whose tool cannot read AuthEnvelopedData",
    )
    p.add_argument(
        "--confirm-release",
        metavar="REASON",
        help="release items marked H2/H3, TLP:RED or AMBER+STRICT (the reason is recorded)",
    )
    p.add_argument("--mark-sent", action="store_true", help="then move the request to sent")
    p.add_argument("--force", action="store_true", help="overwrite FILE")
    p.add_argument("--json", action="store_true")

    p = verb(sub, "verify", cmd_verify, "check a bundle: signature, signer, digests, schema")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--accept-fingerprint", metavar="FP", help="trust this signer for this check")
    p.add_argument("--json", action="store_true")

    p = verb(sub, "import", cmd_import, "verify a bundle and create the incoming request")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--accept-fingerprint", metavar="FP", help="accept this unpinned signer")
    p.add_argument("--case", metavar="CASE_REF", help="attach to this case")
    p.add_argument(
        "--accept-country-mismatch",
        action="store_true",
        help="import although the sender's country differs from the pinned contact's",
    )
    p.add_argument("--receipt", metavar="OUT", help="write a signed receipt for the sender")
    p.add_argument("--force", action="store_true", help="overwrite the receipt file")
    p.add_argument("--json", action="store_true")

    text = "signed acknowledgments of bundles, sent back to the sender"
    receipt = sub.add_parser("receipt", help=text, description=text)
    verbs = receipt.add_subparsers(dest="receipt_command", metavar="ACTION", required=True)
    p = verb(verbs, "make", cmd_receipt_make, "write a signed refusal for a bundle")
    p.add_argument("file", metavar="BUNDLE")
    p.add_argument("--refuse", required=True, metavar="REASON")
    p.add_argument("-o", "--output", required=True, metavar="OUT")
    p.add_argument("--force", action="store_true", help="overwrite OUT")
    p = verb(verbs, "import", cmd_receipt_import, "record a counterpart's receipt")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--json", action="store_true")
