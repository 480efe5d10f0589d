"""The counterpart directory as vCard 4.0 (RFC 6350) files, for address books and colleagues.

Written by hand rather than with a vCard library: the subset casecoord needs is small (FN, N,
ORG, ROLE, EMAIL, TEL, LANG, TZ, ADR, KEY, UID and a few ``X-CASECOORD-`` extensions) and the
rules that matter are few and easy to get wrong silently, so they are kept here, explicit:

- lines end with CRLF and are folded at 75 octets, never inside a UTF-8 sequence (RFC 6350 3.2);
- text values escape ``\\``, ``,``, ``;`` and newlines (3.4); compound values (N, ADR) keep
  their ``;`` separators unescaped;
- parameter values holding ``:``, ``;`` or ``,`` are quoted (5.);
- parsing accepts vCard 3.0 and 4.0, LF or CRLF, folded lines, property groups and any case.

A card carries only what the contact record holds. A certificate travels in ``KEY`` with its
SHA-256 fingerprint, but importing a card never *pins* it: a fingerprint is only trusted when
read out over a trusted channel, so the import reports which contacts carried one.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pycountry

from casecoord.domain.errors import CasecoordError, DuplicateError, ValidationError
from casecoord.domain.models import Contact
from casecoord.domain.text import require_plain_strings
from casecoord.domain.values import country_name
from casecoord.services.contacts import ContactInput, add_contact, get_contact, list_contacts
from casecoord.vault.files import atomic_write_bytes
from casecoord.vault.vault import UnlockedVault

PRODID = "-//casecoord//casecoord contacts//EN"
MAX_FILE_BYTES = 5 * 1024 * 1024
FOLD_OCTETS = 75
_UID_NAMESPACE = uuid.UUID("6f1b7c52-3d0e-4a7c-9a55-7f0e3b9d2c10")
_CERT_MEDIA = "application/pkix-cert"
_PEM_RE = re.compile(
    r"-----BEGIN CERTIFICATE-----\s*(?P<body>[A-Za-z0-9+/=\s]+?)\s*-----END CERTIFICATE-----"
)


class VCardError(CasecoordError):
    """A vCard file cannot be read, written or understood; the message says which and where."""


@dataclass(frozen=True)
class VCardContact:
    """One card read from a file: the contact to add and the certificate it carried, if any."""

    contact: ContactInput
    certificate_pem: str | None = None
    certificate_fingerprint: str | None = None


@dataclass
class ImportReport:
    """What an import did: contacts added, cards skipped (with why), certificates left unpinned."""

    added: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    unpinned_certificates: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = f"{len(self.added)} contact(s) added"
        if self.skipped:
            text += f", {len(self.skipped)} skipped ({'; '.join(self.skipped)})"
        if self.unpinned_certificates:
            text += (
                f"; certificates of {', '.join(self.unpinned_certificates)} were NOT pinned: "
                "check their fingerprints with the counterpart first"
            )
        return text


# -- writing ------------------------------------------------------------------------------


def escape_text(value: str) -> str:
    """Escape a TEXT value (RFC 6350 3.4)."""
    return (
        value.replace("\\", "\\\\")
        .replace(",", "\\,")
        .replace(";", "\\;")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _param_value(value: str) -> str:
    """Quote a parameter value holding ``:`` or ``;``; a ``,`` separates list items unquoted."""
    if any(ch in value for ch in ':;"'):
        return '"' + value.replace('"', "'") + '"'
    return value


def fold_line(line: str) -> str:
    """Fold one content line into CRLF-separated chunks of at most 75 octets (RFC 6350 3.2)."""
    encoded = line.encode("utf-8")
    if len(encoded) <= FOLD_OCTETS:
        return line + "\r\n"
    chunks: list[str] = []
    current = ""
    size = 0
    limit = FOLD_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            chunks.append(current)
            current, size = "", 0
            limit = FOLD_OCTETS - 1  # continuation lines start with one space
        current += char
        size += width
    chunks.append(current)
    return "\r\n ".join(chunks) + "\r\n"


def _prop(name: str, value: str, params: Sequence[tuple[str, str]] = ()) -> str:
    head = name + "".join(f";{key}={_param_value(val)}" for key, val in params)
    return fold_line(f"{head}:{value}")


def _pem_to_der(pem: str) -> bytes | None:
    match = _PEM_RE.search(pem)
    if match is None:
        return None
    try:
        return base64.b64decode("".join(match.group("body").split()), validate=True)
    except (binascii.Error, ValueError):
        return None


def _der_to_pem(der: bytes) -> str:
    body = base64.b64encode(der).decode("ascii")
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return "-----BEGIN CERTIFICATE-----\n" + "\n".join(lines) + "\n-----END CERTIFICATE-----\n"


def certificate_fingerprint(der: bytes) -> str:
    """SHA-256 of the DER certificate, upper-case hex pairs joined by colons."""
    digest = hashlib.sha256(der).hexdigest().upper()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))


def contact_uid(handle: str) -> str:
    """A stable ``urn:uuid`` for a contact, so re-exports update rather than duplicate cards."""
    return f"urn:uuid:{uuid.uuid5(_UID_NAMESPACE, handle)}"


def structured_name(contact: Contact) -> str:
    """N (RFC 6350 6.2.2: family;given;additional;prefixes;suffixes) from the stored parts.

    Never guessed from the full name: "Ana Villamizar Muñoz" has two surnames and "Jan de Vries"
    a particle, and no rule tells them apart from a middle name. A contact whose parts are not
    recorded gets empty components, and FN carries the whole name.
    """
    family = escape_text(contact.family_name)
    given = escape_text(contact.given_names)
    return f"{family};{given};;;"


def _certificates_der(pem: str) -> list[bytes]:
    found = []
    for match in _PEM_RE.finditer(pem):
        try:
            found.append(base64.b64decode("".join(match.group("body").split()), validate=True))
        except (binascii.Error, ValueError):
            continue
    return found


def contact_to_vcard(contact: Contact) -> str:
    """One ``BEGIN:VCARD`` … ``END:VCARD`` block, CRLF line ends, folded."""
    out = [
        "BEGIN:VCARD\r\n",
        "VERSION:4.0\r\n",
        _prop("PRODID", PRODID),
        _prop("UID", contact_uid(contact.handle)),
        _prop("FN", escape_text(contact.name)),
        _prop("N", structured_name(contact)),
        _prop("KIND", "individual"),
    ]
    if contact.organisation:
        out.append(_prop("ORG", escape_text(contact.organisation)))
    if contact.role:
        out.append(_prop("ROLE", escape_text(contact.role)))
    if contact.email:
        out.append(_prop("EMAIL", escape_text(contact.email), [("TYPE", "work")]))
    if contact.phone:
        out.append(_prop("TEL", f"tel:{contact.phone}", [("VALUE", "uri"), ("TYPE", "work,voice")]))
    for rank, language in enumerate(contact.languages, start=1):
        out.append(_prop("LANG", language, [("PREF", str(rank))]))
    out.append(_prop("TZ", escape_text(contact.time_zone)))
    out.append(
        _prop("ADR", f";;;;;;{escape_text(country_name(contact.country))}", [("TYPE", "work")])
    )
    out.append(_prop("X-CASECOORD-HANDLE", escape_text(contact.handle)))
    out.append(_prop("X-CASECOORD-COUNTRY", contact.country))
    if contact.channels:
        out.append(
            _prop("X-CASECOORD-CHANNELS", ",".join(escape_text(c) for c in contact.channels))
        )
    if contact.certificate_pem:
        # signing certificate first (the one pinned), then the RSA certificate bundles are
        # encrypted to, so a colleague importing the card can both verify and encrypt
        certificates = _certificates_der(contact.certificate_pem)
        for rank, der in enumerate(certificates, start=1):
            data = base64.b64encode(der).decode("ascii")
            params = [("MEDIATYPE", _CERT_MEDIA), ("PREF", str(rank))]
            if len(certificates) > 1:
                purpose = "signing" if rank == 1 else "encryption"
                params.append(("X-CASECOORD-PURPOSE", purpose))
            out.append(_prop("KEY", f"data:{_CERT_MEDIA};base64,{data}", params))
    if contact.certificate_fingerprint:
        out.append(_prop("X-CASECOORD-CERT-SHA256", contact.certificate_fingerprint))
    out.append("END:VCARD\r\n")
    return "".join(out)


def contacts_to_vcf(contacts: Iterable[Contact]) -> str:
    return "".join(contact_to_vcard(contact) for contact in contacts)


# -- reading ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Property:
    name: str
    params: dict[str, list[str]]
    value: str
    line_no: int


def unfold(text: str) -> list[tuple[int, str]]:
    """Content lines with their starting line number; a line starting with space/tab continues."""
    lines: list[tuple[int, str]] = []
    for number, raw in enumerate(re.split(r"\r\n|\n|\r", text), start=1):
        if raw[:1] in (" ", "\t") and lines:
            start, previous = lines[-1]
            lines[-1] = (start, previous + raw[1:])
        elif raw.strip():
            lines.append((number, raw))
    return lines


def _split_unquoted(text: str, separator: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
            current.append(char)
        elif char == separator and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _parse_line(number: int, line: str) -> _Property:
    quoted = False
    colon = -1
    for index, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == ":" and not quoted:
            colon = index
            break
    if colon <= 0:
        raise VCardError(f"vCard line {number}: no property name and value ('{line[:40]}')")
    head, value = line[:colon], line[colon + 1 :]
    pieces = _split_unquoted(head, ";")
    name = pieces[0].rpartition(".")[2].strip().upper()  # drop a property group ("item1.")
    params: dict[str, list[str]] = {}
    for piece in pieces[1:]:
        key, eq, raw = piece.partition("=")
        key = key.strip().upper()
        if not eq:  # vCard 2.1/3.0 bare parameter, e.g. TEL;WORK
            params.setdefault("TYPE", []).append(key.lower())
            continue
        for item in _split_unquoted(raw, ","):
            params.setdefault(key, []).append(item.strip().strip('"'))
    return _Property(name, params, value, number)


def unescape_text(value: str) -> str:
    """Undo :func:`escape_text` (also accepts ``\\N`` and stray backslashes)."""
    out: list[str] = []
    chars = iter(value)
    for char in chars:
        if char != "\\":
            out.append(char)
            continue
        following = next(chars, "")
        out.append("\n" if following in ("n", "N") else following)
    return "".join(out)


def _split_escaped(value: str, separator: str) -> list[str]:
    """Split a structured value on unescaped ``separator``; each part stays escaped."""
    parts: list[str] = []
    current: list[str] = []
    escaped = False
    for char in value:
        if escaped:
            current.append("\\" + char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _pref(prop: _Property) -> int:
    try:
        return int(prop.params.get("PREF", ["100"])[0])
    except ValueError:
        return 100


def _country_from_text(text: str) -> str | None:
    value = text.strip()
    if not value:
        return None
    if len(value) == 2:
        return value.upper()
    try:
        found = pycountry.countries.lookup(value)
    except LookupError:
        return None
    return str(found.alpha_2)


def _card(props: list[_Property], start: int) -> VCardContact:
    by_name: dict[str, list[_Property]] = {}
    for prop in props:
        by_name.setdefault(prop.name, []).append(prop)

    def first(name: str) -> str | None:
        found = by_name.get(name)
        return unescape_text(found[0].value).strip() if found else None

    name = first("FN")
    if not name and "N" in by_name:
        parts = [unescape_text(p) for p in _split_escaped(by_name["N"][0].value, ";")]
        name = " ".join(p for p in (parts[1:2] + parts[:1]) if p.strip()).strip()
    if not name:
        raise VCardError(f"vCard starting at line {start}: no name (FN)")
    country = first("X-CASECOORD-COUNTRY")
    if not country:
        for adr in by_name.get("ADR", []):
            parts = _split_escaped(adr.value, ";")
            if len(parts) >= 7:
                country = _country_from_text(unescape_text(parts[6]))
                if country:
                    break
    if not country:
        raise VCardError(
            f"vCard '{name}' (line {start}): no country; casecoord needs the counterpart's country"
        )
    organisation = ""
    if "ORG" in by_name:
        organisation = " / ".join(
            unescape_text(p).strip()
            for p in _split_escaped(by_name["ORG"][0].value, ";")
            if p.strip()
        )
    role = first("ROLE") or first("TITLE") or ""
    emails = sorted(by_name.get("EMAIL", []), key=_pref)
    phones = sorted(by_name.get("TEL", []), key=_pref)
    phone = None
    if phones:
        raw_phone = unescape_text(phones[0].value).strip()
        phone = raw_phone[4:] if raw_phone.lower().startswith("tel:") else raw_phone
        phone = phone.split(";", 1)[0]  # drop tel-URI parameters such as ;ext=
    languages = [
        unescape_text(p.value).strip().split("-")[0]
        for p in sorted(by_name.get("LANG", []), key=_pref)
    ]
    zone = first("TZ")
    if zone is not None and re.fullmatch(r"[+-]\d{2}:?\d{2}", zone):
        zone = None  # a UTC offset is no IANA zone; the country's zone is a better guess
    channels: list[str] = []
    if "X-CASECOORD-CHANNELS" in by_name:
        channels = [
            unescape_text(p).strip()
            for p in _split_escaped(by_name["X-CASECOORD-CHANNELS"][0].value, ",")
            if p.strip()
        ]
    certificate_pem = None
    fingerprint = None
    for key in by_name.get("KEY", []):
        value = key.value.strip()
        encoded = None
        if value.lower().startswith("data:") and ";base64," in value:
            encoded = value.split(";base64,", 1)[1]
        elif any(e.lower() == "b" for e in key.params.get("ENCODING", [])):
            encoded = value  # vCard 3.0 KEY;ENCODING=b
        if encoded is None:
            continue
        try:
            der = base64.b64decode("".join(encoded.split()), validate=True)
        except (binascii.Error, ValueError):
            raise VCardError(
                f"vCard '{name}' (line {key.line_no}): the certificate (KEY) is not valid base64"
            ) from None
        certificate_pem = _der_to_pem(der)
        fingerprint = certificate_fingerprint(der)
        stated = first("X-CASECOORD-CERT-SHA256")
        if stated and stated.replace(":", "").upper() != fingerprint.replace(":", ""):
            raise VCardError(
                f"vCard '{name}': the certificate does not match its stated fingerprint"
            )
        break
    family_name = given_names = ""
    if "N" in by_name:  # the parts as the card's author recorded them, never re-split
        n_parts = [unescape_text(p).strip() for p in _split_escaped(by_name["N"][0].value, ";")]
        family_name = n_parts[0].replace(",", " ") if n_parts else ""
        given_names = n_parts[1].replace(",", " ") if len(n_parts) > 1 else ""
    return VCardContact(
        contact=ContactInput(
            name=name,
            family_name=family_name,
            given_names=given_names,
            country=country,
            handle=first("X-CASECOORD-HANDLE") or None,
            organisation=organisation,
            role=role,
            time_zone=zone or None,
            languages=languages,
            email=unescape_text(emails[0].value).strip() if emails else None,
            phone=phone or None,
            channels=channels,
        ),
        certificate_pem=certificate_pem,
        certificate_fingerprint=fingerprint,
    )


def parse_vcf(text: str) -> list[VCardContact]:
    """Every card of a ``.vcf`` text, in order; a malformed file raises :class:`VCardError`."""
    cards: list[VCardContact] = []
    current: list[_Property] | None = None
    start = 0
    for number, line in unfold(text.lstrip("\ufeff")):
        prop = _parse_line(number, line)
        if prop.name == "BEGIN" and prop.value.strip().upper() == "VCARD":
            if current is not None:
                raise VCardError(f"vCard line {number}: BEGIN:VCARD inside another card")
            current, start = [], number
        elif prop.name == "END" and prop.value.strip().upper() == "VCARD":
            if current is None:
                raise VCardError(f"vCard line {number}: END:VCARD without BEGIN:VCARD")
            cards.append(_card(current, start))
            current = None
        elif current is None:
            raise VCardError(f"vCard line {number}: '{prop.name}' outside BEGIN:VCARD/END:VCARD")
        else:
            current.append(prop)
    if current is not None:
        raise VCardError(f"vCard starting at line {start}: END:VCARD is missing")
    if not cards:
        raise VCardError("the file holds no vCard (BEGIN:VCARD … END:VCARD)")
    return cards


# -- files and the vault -----------------------------------------------------------------


def export_contacts(
    vault: UnlockedVault,
    path: Path,
    handles: Sequence[str] | None = None,
    *,
    overwrite: bool = False,
) -> int:
    """Write the directory (or the ``handles`` given) to ``path`` as vCard 4.0; returns the count.

    A contact card is personal data leaving the vault in plaintext: the officer chooses the path,
    and an existing file is only replaced with ``overwrite``.
    """
    if handles is None:
        contacts = list_contacts(vault, limit=100_000)
    else:
        contacts = [get_contact(vault, handle) for handle in handles]
    if not contacts:
        raise VCardError("there are no contacts to export")
    target = Path(path).expanduser()
    if target.is_dir():
        raise VCardError(f"{target} is a folder; give a file name such as contacts.vcf")
    if not target.parent.is_dir():
        raise VCardError(f"the folder {target.parent} does not exist")
    atomic_write_bytes(target, contacts_to_vcf(contacts).encode("utf-8"), overwrite=overwrite)
    return len(contacts)


def read_vcf(path: Path) -> list[VCardContact]:
    """Read and parse a ``.vcf`` file (at most 5 MiB, UTF-8)."""
    source = Path(path).expanduser()
    try:
        size = source.stat().st_size
        if size > MAX_FILE_BYTES:
            raise VCardError(f"{source} is {size} bytes; a contact file may hold at most 5 MiB")
        data = source.read_bytes()
    except FileNotFoundError:
        raise VCardError(f"there is no file {source}") from None
    except IsADirectoryError:
        raise VCardError(f"{source} is a folder; choose a .vcf file") from None
    except OSError as exc:
        raise VCardError(f"cannot read {source}: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise VCardError(f"{source} is not UTF-8 text; export it again as vCard 4.0") from None
    return parse_vcf(text)


def import_contacts(vault: UnlockedVault, path: Path) -> ImportReport:
    """Add every card of ``path`` whose handle is new; a card that fails validation is skipped.

    Each contact is added in its own transaction (so one bad card does not block the rest) and
    named in the report; nothing is overwritten and no certificate is pinned.
    """
    report = ImportReport()
    for card in read_vcf(path):
        label = card.contact.handle or card.contact.name
        try:
            require_plain_strings(asdict(card.contact), "vCard")
            added = add_contact(vault, card.contact)
        except DuplicateError:
            report.skipped.append(f"{label}: already in the directory")
            continue
        except ValidationError as exc:
            report.skipped.append(f"{label}: {exc.message}")
            continue
        report.added.append(added.handle)
        if card.certificate_pem:
            report.unpinned_certificates.append(added.handle)
    return report
