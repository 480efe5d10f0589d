"""Verify a received bundle and, only once it passed, stream its contents out for import.

:func:`verify_bundle` runs every check and returns a :class:`VerificationReport` with one line per
check, so the CLI prints them and the TUI lists them; it never raises for a bad bundle.
:func:`open_verified` is what import uses: it raises the first failure as a :class:`BundleError`
or yields a :class:`VerifiedBundle` whose attachment streams re-check their digests as they are
read (the file on a USB stick may change between verification and import; the importer's
transaction rolls back when the final chunk raises).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import io
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa

from casecoord.bundle import cms
from casecoord.bundle.document import MAX_REQUEST_JSON_BYTES, parse_request_json
from casecoord.bundle.errors import (
    BundleError,
    ContainerError,
    DigestMismatchError,
    EncryptionError,
    ManifestError,
    RequestDocumentError,
    SignatureError,
    UntrustedSignerError,
)
from casecoord.bundle.identity import (
    OfficerIdentity,
    fingerprint,
    normalize_fingerprint,
)
from casecoord.bundle.manifest import (
    MANIFEST_NAME,
    MANIFEST_PATTERN,
    MAX_MANIFEST_BYTES,
    SIGNATURE_NAME,
    SIGNATURE_PATTERN,
    ManifestEntry,
    read_manifest,
)
from casecoord.bundle.names import ATTACHMENTS_DIR
from casecoord.bundle.reader import Container, Limits
from casecoord.bundle.writer import REQUEST_JSON, REQUEST_PDF
from casecoord.domain.errors import ValidationError
from casecoord.domain.text import require_plain_strings

MAX_SIGNATURE_BYTES = 256 * 1024
MAX_LETTER_BYTES = 64 * 1024 * 1024

Decryption = OfficerIdentity | tuple[x509.Certificate, rsa.RSAPrivateKey]


@dataclass(frozen=True)
class Check:
    """One line of the report: what was checked, whether it passed, and why in plain words."""

    name: str
    passed: bool
    detail: str
    error: BundleError | None = field(default=None, compare=False, repr=False)

    def line(self) -> str:
        return f"{'ok  ' if self.passed else 'FAIL'} {self.name}: {self.detail}"


@dataclass(frozen=True)
class SignatureSummary:
    """One signature of a bundle: the file holding it, who made it, when, and its profile."""

    file: str
    signer_name: str
    fingerprint: str
    profile: str
    signing_time: dt.datetime | None


@dataclass(frozen=True)
class VerificationReport:
    """Everything verification found. ``ok`` only if every check passed, the signer included.

    ``signature_valid`` with ``trusted`` False is the "unknown signer" case: the CLI/TUI can show
    ``signer_fingerprint``, let the officer compare it by phone, pin it and verify again.
    """

    checks: tuple[Check, ...]
    encrypted: bool
    signer_cert: x509.Certificate | None
    signer_fingerprint: str | None
    signer_name: str | None
    signature_valid: bool
    trusted: bool
    request_doc: Mapping[str, Any] | None
    signatures: tuple[SignatureSummary, ...] = ()
    """Every signature of the bundle, one per signerInfo, in container order."""
    signed_by_you: bool = False
    """A signer is this vault's own identity (the officer verifies a bundle it sent)."""

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(c.passed for c in self.checks)

    @property
    def failures(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if not c.passed)

    def lines(self) -> list[str]:
        return [c.line() for c in self.checks]

    def raise_for_failure(self) -> None:
        """Raise the first failure as the :class:`BundleError` subclass that describes it."""
        for check in self.checks:
            if not check.passed:
                raise check.error or BundleError(f"{check.name}: {check.detail}")


@dataclass(frozen=True)
class VerifiedAttachment:
    """An attachment of a verified bundle: its name under ``attachments/`` and what was signed."""

    name: str
    media_type: str
    sha256: str
    size: int
    description: str | None


class _Run:
    """One verification pass over one container, collecting checks as it goes."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.checks: list[Check] = []
        self.container: Container | None = None
        self.encrypted = False
        self.cert: x509.Certificate | None = None
        self.trusted = False
        self.signer_name: str | None = None
        self.doc: dict[str, Any] | None = None
        self.manifest: list[ManifestEntry] = []
        self.pairs: list[tuple[str, str]] = []
        self.signers: list[tuple[str, cms.SignerResult]] = []
        self.own = False

    def step(self, name: str, action: Callable[[], str]) -> bool:
        try:
            detail = action()
        except BundleError as exc:
            self.checks.append(Check(name, False, exc.message, exc))
            return False
        self.checks.append(Check(name, True, detail))
        return True

    def report(self) -> VerificationReport:
        return VerificationReport(
            checks=tuple(self.checks),
            encrypted=self.encrypted,
            signer_cert=self.cert,
            signer_fingerprint=fingerprint(self.cert) if self.cert else None,
            signer_name=self.signer_name,
            signature_valid=self.cert is not None,
            trusted=self.trusted,
            request_doc=self.doc,
            signatures=tuple(
                SignatureSummary(
                    file=file,
                    signer_name=result.name,
                    fingerprint=fingerprint(result.cert),
                    profile=result.profile,
                    signing_time=result.signing_time,
                )
                for file, result in self.signers
            ),
            signed_by_you=self.own,
        )


def _open_stream(source: Path | bytes, decryption: Decryption | None, run: _Run) -> BinaryIO | None:
    if isinstance(source, Path):
        try:
            stream: BinaryIO = source.open("rb")
        except OSError as exc:
            run.checks.append(Check("file", False, f"cannot open {source}: {exc.strerror}"))
            return None
    else:
        stream = io.BytesIO(source)
    head = stream.read(4)
    stream.seek(0)
    if head == b"PK\x03\x04" or head[:1] != b"\x30":
        return stream
    run.encrypted = True
    with stream:
        size = stream.seek(0, 2)
        stream.seek(0)
        if decryption is None:
            error = EncryptionError(
                "the bundle is encrypted; open it with the identity it was encrypted for"
            )
            run.checks.append(Check("decryption", False, error.message, error))
            return None
        cert, key = (
            (decryption.encryption_cert, decryption.encryption_key)
            if isinstance(decryption, OfficerIdentity)
            else decryption
        )
        plain: list[bytes] = []

        def decrypt() -> str:
            if size > cms.MAX_ENVELOPE_BYTES + 1024 * 1024:
                raise EncryptionError("the encrypted bundle is larger than allowed; refused")
            data = stream.read()
            plain.append(cms.decrypt(data, cert, key))
            return f"{cms.envelope_kind(data)} opened with your encryption key"

        if not run.step("decryption", decrypt):
            return None
    return io.BytesIO(plain[0])


def _run(
    source: Path | bytes,
    pinned: Mapping[str, str],
    decryption: Decryption | None,
    limits: Limits,
    own: str | None = None,
) -> _Run:
    run = _Run(limits)
    stream = _open_stream(source, decryption, run)
    if stream is None:
        return run

    def open_container() -> str:
        run.container = Container(stream, limits)
        run.container.check_structure()
        return f"ZIP with {len(run.container.infos)} entries within the size limits"

    if not run.step("container", open_container):
        if run.container is not None:
            run.container.close()
        else:
            stream.close()
        return run
    container = run.container
    assert container is not None

    def names() -> str:
        container.check_names()
        return "no absolute, climbing, backslashed or duplicate names"

    def mimetype() -> str:
        container.check_mimetype()
        return "application/vnd.etsi.asic-e+zip, stored, first"

    structural = [run.step("entry names", names), run.step("mimetype", mimetype)]
    if not all(structural):
        return run
    manifest_bytes: list[bytes] = []
    if run.step("signature", lambda: _check_signature(run, container, manifest_bytes)):
        _check_signers(run, pinned, own)
    if run.pairs and run.step("manifest", lambda: _check_manifest(run, container, manifest_bytes)):
        for entry in run.manifest:
            run.step(f"digest {entry.name}", partial(_check_digest, container, entry))
        run.step("request.json", lambda: _check_request(run, container))
    return run


_IGNORED_META = {"META-INF/manifest.xml"}
"""META-INF files some ASiC-E writers add (the ODF manifest) that no signature covers and no
data object is: reported, never imported."""


def _pairs(container: Container) -> tuple[list[str], list[str]]:
    """(manifests, signatures) among the container's META-INF files; refuse anything else there."""
    names = container.data_names()
    manifests = sorted(n for n in names if MANIFEST_PATTERN.fullmatch(n))
    signatures = sorted(n for n in names if SIGNATURE_PATTERN.fullmatch(n))
    others = sorted(
        n
        for n in names
        if n.startswith("META-INF/")
        and n not in _IGNORED_META
        and not MANIFEST_PATTERN.fullmatch(n)
        and not SIGNATURE_PATTERN.fullmatch(n)
    )
    if others:
        raise ContainerError(
            f"the bundle holds META-INF files this program does not support: {others[:3]}"
        )
    if not signatures:
        raise ContainerError(f"the bundle has no signature ({SIGNATURE_NAME} is missing)")
    if not manifests:
        raise ManifestError(f"the bundle has no manifest ({MANIFEST_NAME} is missing)")
    return manifests, signatures


def require_valid_now(cert: x509.Certificate, now: dt.datetime | None = None) -> None:
    """Refuse a certificate that is expired or not yet valid at verification time.

    The signing time in a CMS signature is an attribute the signer writes itself: an expired key
    (lost, revoked, left behind by someone who changed jobs) could otherwise sign today and claim
    last year. Without a trusted timestamp the only time casecoord can trust is its own clock.
    """
    moment = now or dt.datetime.now(dt.UTC)
    start, end = cert.not_valid_before_utc, cert.not_valid_after_utc
    if moment > end:
        raise SignatureError(
            f"the signer's certificate expired on {end:%Y-%m-%d}; whatever signing time the "
            "signature claims, an expired certificate is refused (ask for a bundle signed with "
            "a current one)"
        )
    if moment < start:
        raise SignatureError(
            f"the signer's certificate is not valid before {start:%Y-%m-%d}; refused (check the "
            "clock of this laptop and of the sender)"
        )


def _check_signature(run: _Run, container: Container, out: list[bytes]) -> str:
    """Every manifest/signature pair linked by SigReference; every signer must verify."""
    manifests, signatures = _pairs(container)
    if len(manifests) == 1 and len(signatures) == 1:
        # The usual single pair: check the signature over the manifest's bytes before parsing
        # them, so an altered manifest is reported as what it is (a broken signature).
        data = container.read_small(manifests[0], MAX_MANIFEST_BYTES)
        cms.verify_signers(container.read_small(signatures[0], MAX_SIGNATURE_BYTES), data)
    linked: dict[str, str] = {}
    for name in manifests:
        data = container.read_small(name, MAX_MANIFEST_BYTES)
        signature = read_manifest(data).signature
        if signature in linked:
            raise ManifestError(
                f"{name} and {linked[signature]} both claim the signature {signature}; refused"
            )
        if signature not in signatures:
            raise ContainerError(f"{name} names the signature {signature}, which is missing")
        linked[signature] = name
        out.append(data)
        run.pairs.append((name, signature))
    unlinked = sorted(set(signatures) - set(linked))
    if unlinked:
        raise ContainerError(
            f"the bundle carries a signature no manifest names ({unlinked[0]}); refused"
        )
    described = []
    for (_manifest, signature_name), data in zip(run.pairs, out, strict=True):
        signature_der = container.read_small(signature_name, MAX_SIGNATURE_BYTES)
        for result in cms.verify_signers(signature_der, data):
            require_valid_now(result.cert)
            run.signers.append((signature_name, result))
            described.append(f"{result.profile} by {result.name} ({signature_name})")
    run.cert = run.signers[0][1].cert
    if len(run.signers) == 1:
        result = run.signers[0][1]
        return f"valid {result.profile} signature over the manifest by {result.name}"
    return f"{len(run.signers)} valid signatures: " + "; ".join(described)


def _check_signer(run: _Run, pinned: Mapping[str, str], own: str | None, index: int) -> str:
    file, result = run.signers[index]
    seen = fingerprint(result.cert)
    where = ""
    if len(run.signers) > 1:
        in_file = [i for i, (f, _) in enumerate(run.signers) if f == file]
        where = f" ({file})" if len(in_file) == 1 else f" ({file} #{in_file.index(index) + 1})"
    if own is not None and seen == normalize_fingerprint(own):
        run.own = True
        return f"signed by you{where}: this vault's own identity, fingerprint {seen}"
    known = {normalize_fingerprint(fp): name for fp, name in pinned.items()}
    if seen in known:
        if run.signer_name is None:
            run.signer_name = known[seen]
        return f"trusted signer{where}: {known[seen]}"
    raise UntrustedSignerError(
        f"unknown signer{where}, fingerprint {seen} ({result.name}); compare it with the "
        "sender by phone and accept it before importing"
    )


def _check_signers(run: _Run, pinned: Mapping[str, str], own: str | None) -> None:
    """One check per signer; the bundle is trusted only if every signer is."""
    outcomes = [
        run.step("signer", partial(_check_signer, run, pinned, own, i))
        for i in range(len(run.signers))
    ]
    run.trusted = all(outcomes)
    if run.own and run.signer_name is None:
        run.signer_name = "you"
    untrusted = [i for i, ok in enumerate(outcomes) if not ok]
    if untrusted:  # the first unknown signer is the one the officer is asked to compare
        run.cert = run.signers[untrusted[0]][1].cert


def _check_manifest(run: _Run, container: Container, manifests: list[bytes]) -> str:
    by_name: dict[str, ManifestEntry] = {}
    for data in manifests:
        for entry in read_manifest(data).entries:
            previous = by_name.setdefault(entry.name, entry)
            if previous.sha256 != entry.sha256:
                raise ManifestError(f"two manifests give different digests for {entry.name}")
    entries = list(by_name.values())
    listed = set(by_name)
    control = {"mimetype", *_IGNORED_META}
    present = {
        n for n in container.data_names() if n not in control and not n.startswith("META-INF/")
    }
    for required in (REQUEST_JSON, REQUEST_PDF):
        if required not in listed:
            raise ManifestError(f"the manifest does not list {required}")
    extra = sorted(present - listed)
    if extra:
        raise ManifestError(f"the bundle holds entries the signature does not cover: {extra[:5]}")
    missing = sorted(listed - present)
    if missing:
        raise ManifestError(f"entries listed in the manifest are missing: {missing[:5]}")
    bad = [
        n
        for n in listed
        if n != REQUEST_JSON and n != REQUEST_PDF and not n.startswith(ATTACHMENTS_DIR)
    ]
    if bad:
        raise ManifestError(f"the manifest lists unexpected entries: {sorted(bad)[:5]}")
    run.manifest = entries
    return f"lists exactly the {len(entries)} data objects present"


def _check_digest(container: Container, entry: ManifestEntry) -> str:
    digest, size = container.sha256(entry.name)
    if not hmac.compare_digest(digest, entry.sha256):
        raise DigestMismatchError(f"{entry.name} differs from the signed manifest (SHA-256)")
    return f"SHA-256 {digest[:16]}… matches ({size} bytes)"


def _check_request(run: _Run, container: Container) -> str:
    doc = parse_request_json(container.read_small(REQUEST_JSON, MAX_REQUEST_JSON_BYTES))
    try:
        require_plain_strings(doc, REQUEST_JSON)
    except ValidationError as exc:
        raise RequestDocumentError(exc.message) from None
    by_name = {e.name: e for e in run.manifest}
    declared = {ATTACHMENTS_DIR + a["name"]: a for a in doc["attachments"]}
    actual = {n for n in by_name if n.startswith(ATTACHMENTS_DIR)}
    if set(declared) != actual:
        raise ManifestError("request.json lists other attachments than the bundle holds")
    for name, item in declared.items():
        if item["sha256"] != by_name[name].sha256:
            raise DigestMismatchError(f"request.json gives another SHA-256 for {name}")
    run.doc = doc
    return (
        "valid against request.schema.json, no control or bidi characters; "
        "attachments agree with the manifest"
    )


def verify_bundle(
    source: Path | bytes,
    pinned_fingerprints: Mapping[str, str],
    *,
    decryption: Decryption | None = None,
    limits: Limits = Limits(),  # noqa: B008 - frozen dataclass, immutable default
    own_fingerprint: str | None = None,
) -> VerificationReport:
    """Check a bundle file (``.asice`` or encrypted ``.p7m``) and report, never raising for it.

    ``pinned_fingerprints`` maps SHA-256 certificate fingerprints (any common spelling) to the
    counterpart's name; a valid signature by anyone else fails the *signer* check, one check per
    signature when there are several. ``own_fingerprint`` is the officer's own signing
    certificate: a bundle it signed is reported as "signed by you" rather than unknown.
    """
    run = _run(source, pinned_fingerprints, decryption, limits, own_fingerprint)
    if run.container is not None:
        run.container.close()
    return run.report()


class VerifiedBundle:
    """A bundle that passed every check; stream its parts out for import."""

    def __init__(self, run: _Run) -> None:
        assert run.container is not None and run.doc is not None
        self._container = run.container
        self.report = run.report()
        self.request_doc: Mapping[str, Any] = run.doc
        by_name = {e.name: e for e in run.manifest}
        self.attachments: tuple[VerifiedAttachment, ...] = tuple(
            VerifiedAttachment(
                name=a["name"],
                media_type=a["media_type"],
                sha256=by_name[ATTACHMENTS_DIR + a["name"]].sha256,
                size=a["size"],
                description=a.get("description"),
            )
            for a in run.doc["attachments"]
        )
        self._digests = {name: e.sha256 for name, e in by_name.items()}

    def letter_pdf(self) -> bytes:
        data = self._container.read_small(REQUEST_PDF, MAX_LETTER_BYTES)
        self._require(REQUEST_PDF, hashlib.sha256(data).hexdigest())
        return data

    def open_attachment(self, attachment: VerifiedAttachment) -> Iterator[bytes]:
        """Chunks of one attachment; the digest is checked again and the last step raises
        :class:`DigestMismatchError` if the file changed since verification."""
        name = ATTACHMENTS_DIR + attachment.name
        if name not in self._digests:
            raise ManifestError(f"{attachment.name} is not an attachment of this bundle")
        digest = hashlib.sha256()
        for chunk in self._container.stream(name):
            digest.update(chunk)
            yield chunk
        self._require(name, digest.hexdigest())

    def _require(self, name: str, digest: str) -> None:
        if not hmac.compare_digest(digest, self._digests[name]):
            raise DigestMismatchError(f"{name} changed since it was verified; import stopped")


@contextmanager
def open_verified(
    source: Path | bytes,
    pinned_fingerprints: Mapping[str, str],
    *,
    decryption: Decryption | None = None,
    limits: Limits = Limits(),  # noqa: B008 - frozen dataclass, immutable default
) -> Iterator[VerifiedBundle]:
    """Verify, then yield the bundle for extraction; raise the first failure otherwise."""
    run = _run(source, pinned_fingerprints, decryption, limits)
    try:
        report = run.report()
        report.raise_for_failure()
        if not report.ok:
            raise BundleError("the bundle could not be verified")
        yield VerifiedBundle(run)
    finally:
        if run.container is not None:
            run.container.close()
