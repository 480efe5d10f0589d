"""The ASiC manifest (ETSI EN 319 162-1 §A.4): the list of data objects and their SHA-256.

The detached CAdES signature its SigReference names covers these bytes only; each data object is
then bound to the signature through its digest here. A container may hold several
manifest/signature pairs (``ASiCManifest001.xml`` signed by ``signature001.p7s``...). Written by hand (not through an XML library) so the bytes are
the same on every run and platform; read with the standard parser after refusing any DTD, since
the manifest arrives from outside and XML entities are a classic way to exhaust memory.
"""

from __future__ import annotations

import base64
import binascii
import re
import xml.etree.ElementTree as ET  # noqa: S405 - DTDs are refused before parsing, see parse
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote, unquote
from xml.sax.saxutils import escape, quoteattr

from casecoord.bundle.errors import ManifestError

MANIFEST_NAME = "META-INF/ASiCManifest.xml"
SIGNATURE_NAME = "META-INF/signature.p7s"
SIGNATURE_MEDIA_TYPE = "application/pkcs7-signature"
ASIC_NS = "http://uri.etsi.org/02918/v1.2.1#"
DS_NS = "http://www.w3.org/2000/09/xmldsig#"
SHA256_URI = "http://www.w3.org/2001/04/xmlenc#sha256"
MAX_MANIFEST_BYTES = 1024 * 1024
MANIFEST_PATTERN = re.compile(r"META-INF/ASiCManifest[^/]*\.xml")
"""Names EN 319 162-1 (§4.4.3) allows for the manifests of an ASiC-E with CAdES."""
SIGNATURE_PATTERN = re.compile(r"META-INF/signature[^/]*\.p7s")
"""Names EN 319 162-1 allows for CAdES signature files (``signature001.p7s`` and so on)."""


@dataclass(frozen=True)
class ManifestEntry:
    """One data object of the container: its entry name, media type and SHA-256 (hex)."""

    name: str
    media_type: str
    sha256: str


@dataclass(frozen=True)
class AsicManifest:
    """A parsed ASiCManifest: the signature file it names and the data objects it lists."""

    signature: str
    entries: tuple[ManifestEntry, ...]


def build_manifest(entries: Sequence[ManifestEntry], signature: str = SIGNATURE_NAME) -> bytes:
    """ASiCManifest XML bytes listing ``entries`` in the order given, bound to ``signature``."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
        f'<asic:ASiCManifest xmlns:asic="{ASIC_NS}" xmlns:ds="{DS_NS}">',
        f"  <asic:SigReference URI={quoteattr(quote(signature, safe='/'))}"
        f' MimeType="{SIGNATURE_MEDIA_TYPE}"/>',
    ]
    for entry in entries:
        digest = base64.b64encode(bytes.fromhex(entry.sha256)).decode("ascii")
        lines += [
            f"  <asic:DataObjectReference URI={quoteattr(quote(entry.name, safe='/'))}"
            f" MimeType={quoteattr(entry.media_type)}>",
            f'    <ds:DigestMethod Algorithm="{SHA256_URI}"/>',
            f"    <ds:DigestValue>{escape(digest)}</ds:DigestValue>",
            "  </asic:DataObjectReference>",
        ]
    lines.append("</asic:ASiCManifest>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _tag(ns: str, local: str) -> str:
    return f"{{{ns}}}{local}"


def _reference(element: ET.Element) -> ManifestEntry:
    uri = element.get("URI")
    if not uri:
        raise ManifestError("a manifest reference has no URI")
    methods = element.findall(_tag(DS_NS, "DigestMethod"))
    values = element.findall(_tag(DS_NS, "DigestValue"))
    name = unquote(uri, errors="strict")
    if len(methods) != 1 or methods[0].get("Algorithm") != SHA256_URI:
        raise ManifestError(f"the manifest must give a single SHA-256 digest for {name}")
    if len(values) != 1 or not values[0].text:
        raise ManifestError(f"the manifest has no digest value for {name}")
    try:
        digest = base64.b64decode(values[0].text.strip(), validate=True)
    except binascii.Error:
        raise ManifestError(f"the manifest digest for {name} is not base64") from None
    if len(digest) != 32:
        raise ManifestError(f"the manifest digest for {name} is not a SHA-256 digest")
    return ManifestEntry(name, element.get("MimeType", "application/octet-stream"), digest.hex())


def parse_manifest(data: bytes) -> list[ManifestEntry]:
    """The data objects of a manifest that must name ``META-INF/signature.p7s``."""
    manifest = read_manifest(data)
    if manifest.signature != SIGNATURE_NAME:
        raise ManifestError(f"the manifest must reference exactly one signature, {SIGNATURE_NAME}")
    return list(manifest.entries)


def read_manifest(data: bytes) -> AsicManifest:
    """The signature an ASiCManifest names and its data objects; refuses anything malformed or
    ambiguous. The signature must be a ``META-INF/signature*.p7s`` file (CAdES)."""
    if len(data) > MAX_MANIFEST_BYTES:
        raise ManifestError("the manifest is far larger than any real bundle needs; refused")
    try:  # the DTD search below only holds for UTF-8 (UTF-16 would hide a DTD from it)
        data.decode("utf-8")
    except UnicodeDecodeError:
        raise ManifestError("the manifest is not UTF-8 text; refused") from None
    if b"\x00" in data:
        raise ManifestError("the manifest is not UTF-8 text; refused")
    if b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
        raise ManifestError("the manifest declares a DTD or entities; refused")
    try:
        root = ET.fromstring(data)  # noqa: S314 - DTD refused above; size bounded
    except ET.ParseError:
        raise ManifestError("the manifest is not well-formed XML") from None
    if root.tag != _tag(ASIC_NS, "ASiCManifest"):
        raise ManifestError("the manifest is not an ASiCManifest")
    sig_refs = root.findall(_tag(ASIC_NS, "SigReference"))
    if len(sig_refs) != 1:
        raise ManifestError("the manifest must reference exactly one signature (SigReference)")
    try:
        signature = unquote(sig_refs[0].get("URI") or "", errors="strict")
    except UnicodeDecodeError:
        raise ManifestError("the manifest holds a URI that is not valid UTF-8") from None
    if not SIGNATURE_PATTERN.fullmatch(signature):
        raise ManifestError(
            "the manifest must reference a CAdES signature file META-INF/signature*.p7s"
        )
    try:
        entries = [_reference(e) for e in root.findall(_tag(ASIC_NS, "DataObjectReference"))]
    except UnicodeDecodeError:
        raise ManifestError("the manifest holds a URI that is not valid UTF-8") from None
    if not entries:
        raise ManifestError("the manifest lists no data objects")
    names = [e.name for e in entries]
    if len(set(names)) != len(names):
        raise ManifestError("the manifest lists the same data object twice")
    return AsicManifest(signature, tuple(entries))
