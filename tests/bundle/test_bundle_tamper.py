"""Every way a bundle can be tampered with or malformed is refused with a clear message."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from bundle_examples import (
    MINIMAL_PDF,
    Entry,
    bytes_source,
    example_request_doc,
    read_entries,
    resigned,
    write_entries,
)
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs7

from casecoord.bundle import cms
from casecoord.bundle.errors import (
    ContainerError,
    DigestMismatchError,
    ManifestError,
    RequestDocumentError,
    UnsafeEntryError,
    UntrustedSignerError,
    ZipBombError,
)
from casecoord.bundle.identity import OfficerIdentity
from casecoord.bundle.manifest import MANIFEST_NAME, SIGNATURE_NAME
from casecoord.bundle.reader import Limits
from casecoord.bundle.verify import VerificationReport, verify_bundle
from casecoord.bundle.writer import write_bundle


@pytest.fixture(scope="module")
def original(tmp_path_factory: pytest.TempPathFactory, officer: OfficerIdentity) -> Path:
    folder = tmp_path_factory.mktemp("original")
    sources = [
        bytes_source("statement.pdf", b"%PDF bank " * 300),
        bytes_source("notes.txt", b"witness list\n" * 40, "text/plain"),
    ]
    return write_bundle(
        folder / "b.asice", example_request_doc(), MINIMAL_PDF, sources, officer
    ).path


def _verify(path: Path, officer: OfficerIdentity, **kwargs: object) -> VerificationReport:
    return verify_bundle(path, {officer.fingerprint: officer.name}, **kwargs)  # type: ignore[arg-type]


def _refused(report: VerificationReport, error: type[Exception], text: str) -> None:
    assert not report.ok
    messages = " | ".join(c.detail for c in report.failures)
    assert any(isinstance(c.error, error) for c in report.failures), messages
    assert text in messages, messages


def _modified(tmp_path: Path, entries: list[Entry], name: str = "t.asice") -> Path:
    return write_entries(tmp_path / name, entries)


def test_untouched_copy_passes(original: Path, officer: OfficerIdentity, tmp_path: Path) -> None:
    assert _verify(_modified(tmp_path, read_entries(original)), officer).ok


def test_one_byte_changed_in_any_entry_is_refused(
    original: Path, officer: OfficerIdentity, tmp_path: Path
) -> None:
    entries = read_entries(original)
    for index, (name, data, method) in enumerate(entries):
        changed = bytearray(data)
        changed[len(changed) // 2] ^= 0x20
        copy = list(entries)
        copy[index] = (name, bytes(changed), method)
        report = _verify(_modified(tmp_path, copy, f"{index}.asice"), officer)
        assert not report.ok, name
        detail = report.failures[0].detail
        expected = {
            "mimetype": "mimetype",
            MANIFEST_NAME: "signature does not match the manifest",
            SIGNATURE_NAME: "signature",
        }.get(name, f"{name} differs from the signed manifest")
        assert expected in detail, (name, report.lines())


def test_raw_byte_flip_in_file_is_refused(
    original: Path, officer: OfficerIdentity, tmp_path: Path
) -> None:
    raw = original.read_bytes()
    with zipfile.ZipFile(original) as zf:
        infos = zf.infolist()
    for info in infos:
        start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
        flipped = bytearray(raw)
        flipped[start + info.compress_size // 2] ^= 0x01
        target = tmp_path / "flip.asice"
        target.write_bytes(bytes(flipped))
        assert not _verify(target, officer).ok, info.filename


def test_added_entry_is_refused(original: Path, officer: OfficerIdentity, tmp_path: Path) -> None:
    entries = read_entries(original)
    entries.insert(3, ("attachments/extra.exe", b"MZ", zipfile.ZIP_STORED))
    _refused(
        _verify(_modified(tmp_path, entries), officer),
        ManifestError,
        "entries the signature does not cover",
    )


def test_removed_entry_is_refused(original: Path, officer: OfficerIdentity, tmp_path: Path) -> None:
    entries = [e for e in read_entries(original) if e[0] != "attachments/notes.txt"]
    _refused(
        _verify(_modified(tmp_path, entries), officer),
        ManifestError,
        "listed in the manifest are missing",
    )


def test_renamed_entry_is_refused(original: Path, officer: OfficerIdentity, tmp_path: Path) -> None:
    entries = [
        ("attachments/notes-2.txt", d, m) if n == "attachments/notes.txt" else (n, d, m)
        for n, d, m in read_entries(original)
    ]
    _refused(_verify(_modified(tmp_path, entries), officer), ManifestError, "notes-2.txt")


def test_second_signer_info_is_refused(
    original: Path, officer: OfficerIdentity, stranger: OfficerIdentity, tmp_path: Path
) -> None:
    entries = read_entries(original)
    manifest = dict((n, d) for n, d, _ in entries)[MANIFEST_NAME]
    double = (
        pkcs7.PKCS7SignatureBuilder()
        .set_data(manifest)
        .add_signer(officer.signing_cert, officer.signing_key, hashes.SHA256())
        .add_signer(stranger.signing_cert, stranger.signing_key, hashes.SHA256())
        .sign(
            serialization.Encoding.DER,
            [pkcs7.PKCS7Options.DetachedSignature, pkcs7.PKCS7Options.Binary],
        )
    )
    entries = [(n, double if n == SIGNATURE_NAME else d, m) for n, d, m in entries]
    report = _verify(_modified(tmp_path, entries), officer)
    _refused(report, UntrustedSignerError, f"fingerprint {stranger.fingerprint}")
    assert f"unknown signer ({SIGNATURE_NAME} #" in report.failures[0].detail
    assert sorted(s.fingerprint for s in report.signatures) == sorted(
        [officer.fingerprint, stranger.fingerprint]
    )
    signers = [c for c in report.checks if c.name == "signer"]
    assert sorted(c.passed for c in signers) == [False, True], report.lines()


def test_second_signature_file_is_refused(
    original: Path, officer: OfficerIdentity, tmp_path: Path
) -> None:
    entries = read_entries(original)
    signature = dict((n, d) for n, d, _ in entries)[SIGNATURE_NAME]
    entries.append(("META-INF/signature2.p7s", signature, zipfile.ZIP_STORED))
    _refused(
        _verify(_modified(tmp_path, entries), officer),
        ContainerError,
        "a signature no manifest names (META-INF/signature2.p7s)",
    )


def test_resigned_by_another_key_is_untrusted_unless_accepted(
    original: Path, officer: OfficerIdentity, stranger: OfficerIdentity, tmp_path: Path
) -> None:
    entries = resigned(read_entries(original), stranger)
    path = _modified(tmp_path, entries)
    report = _verify(path, officer)
    _refused(report, UntrustedSignerError, f"unknown signer, fingerprint {stranger.fingerprint}")
    assert report.signature_valid and not report.trusted
    assert [c.name for c in report.failures] == ["signer"]
    accepted = verify_bundle(path, {stranger.fingerprint: "Łukasz (accepted by phone)"})
    assert accepted.ok and accepted.signer_name == "Łukasz (accepted by phone)"


@pytest.mark.parametrize(
    "bad_name",
    [
        "../evil.txt",
        "attachments/../../evil.txt",
        "/etc/cron.d/evil",
        "attachments\\evil.txt",
        "C:/Windows/evil.dll",
        "attachments/./x",
        "attachments//x",
    ],
)
def test_path_traversal_names_are_refused(
    bad_name: str, original: Path, officer: OfficerIdentity, tmp_path: Path
) -> None:
    entries = read_entries(original) + [(bad_name, b"x", zipfile.ZIP_STORED)]
    _refused(_verify(_modified(tmp_path, entries), officer), UnsafeEntryError, "entry name")


@pytest.mark.parametrize("twin", ["attachments/notes.txt", "attachments/NOTES.txt"])
def test_duplicate_names_are_refused(
    twin: str, original: Path, officer: OfficerIdentity, tmp_path: Path
) -> None:
    entries = read_entries(original) + [(twin, b"other", zipfile.ZIP_STORED)]
    _refused(
        _verify(_modified(tmp_path, entries), officer), UnsafeEntryError, "same entry name twice"
    )


def test_highly_compressed_entry_is_refused_as_zip_bomb(
    original: Path, officer: OfficerIdentity, tmp_path: Path
) -> None:
    entries = resigned(
        read_entries(original)
        + [("attachments/zeros.bin", bytes(20 * 1024 * 1024), zipfile.ZIP_DEFLATED)],
        officer,
    )
    _refused(_verify(_modified(tmp_path, entries), officer), ZipBombError, "inflates more than")


def test_total_size_limit_is_enforced(original: Path, officer: OfficerIdentity) -> None:
    _refused(
        _verify(original, officer, limits=Limits(max_total_bytes=4096)), ZipBombError, "more than"
    )


def test_entry_count_limit_is_enforced(original: Path, officer: OfficerIdentity) -> None:
    _refused(
        _verify(original, officer, limits=Limits(max_entries=3)),
        ZipBombError,
        "more than the 3 allowed",
    )


def test_lying_size_header_is_caught_while_streaming(
    original: Path, officer: OfficerIdentity, tmp_path: Path
) -> None:
    entries = resigned(
        read_entries(original)
        + [("attachments/big.bin", bytes(3 * 1024 * 1024), zipfile.ZIP_DEFLATED)],
        officer,
    )
    path = _modified(tmp_path, entries)
    # Patch the central directory so the entry claims to inflate to only 1 KiB.
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("attachments/big.bin")
    raw = bytearray(path.read_bytes())
    end_record = raw.rfind(b"PK\x05\x06")
    directory = int.from_bytes(raw[end_record + 16 : end_record + 20], "little")
    header = raw.find(b"attachments/big.bin", directory) - 46
    assert raw[header : header + 4] == b"PK\x01\x02"
    raw[header + 24 : header + 28] = (1024).to_bytes(4, "little")
    local = info.header_offset
    raw[local + 22 : local + 26] = (1024).to_bytes(4, "little")
    path.write_bytes(bytes(raw))
    # zipfile stops inflating at the declared size, so the entry fails its checksum instead of
    # inflating to 3 MiB; either way it never gets past the limits.
    _refused(_verify(path, officer), DigestMismatchError, "attachments/big.bin is damaged")


def test_non_zip_is_refused(officer: OfficerIdentity, tmp_path: Path) -> None:
    for content in (b"Dear colleague, please find attached...", b"", b"\x30\x82\x01\x00junk"):
        path = tmp_path / "letter.asice"
        path.write_bytes(content)
        report = _verify(path, officer)
        assert not report.ok
        assert report.failures[0].detail.startswith(
            ("the file is not a bundle", "the bundle is encrypted")
        )


def test_truncated_file_is_refused(
    original: Path, officer: OfficerIdentity, tmp_path: Path
) -> None:
    raw = original.read_bytes()
    for keep in (len(raw) // 2, len(raw) - 10, 100):
        path = tmp_path / "cut.asice"
        path.write_bytes(raw[:keep])
        _refused(_verify(path, officer), ContainerError, "truncated")


def test_mimetype_must_be_first_stored_and_exact(
    original: Path, officer: OfficerIdentity, tmp_path: Path
) -> None:
    entries = read_entries(original)
    moved = entries[1:2] + entries[:1] + entries[2:]
    _refused(_verify(_modified(tmp_path, moved), officer), ContainerError, "first entry")
    deflated = [("mimetype", entries[0][1], zipfile.ZIP_DEFLATED)] + entries[1:]
    _refused(_verify(_modified(tmp_path, deflated), officer), ContainerError, "uncompressed")
    wrong = [("mimetype", b"application/zip", zipfile.ZIP_STORED)] + entries[1:]
    _refused(_verify(_modified(tmp_path, wrong), officer), ContainerError, "application/zip")


def test_schema_invalid_request_json_is_refused_even_when_signed(
    original: Path, officer: OfficerIdentity, tmp_path: Path
) -> None:
    entries = read_entries(original)
    entries = [
        (n, d.replace(b'"kind":"mla"', b'"kind":"favour"') if n == "request.json" else d, m)
        for n, d, m in entries
    ]
    report = _verify(_modified(tmp_path, resigned(entries, officer)), officer)
    _refused(report, RequestDocumentError, "request.json is invalid at request/kind")
    assert [c.name for c in report.failures] == ["request.json"]


def test_not_json_request_is_refused(
    original: Path, officer: OfficerIdentity, tmp_path: Path
) -> None:
    entries = [
        (n, b"{not json" if n == "request.json" else d, m) for n, d, m in read_entries(original)
    ]
    _refused(
        _verify(_modified(tmp_path, resigned(entries, officer)), officer),
        RequestDocumentError,
        "not valid UTF-8 JSON",
    )


def test_manifest_with_entities_is_refused(
    original: Path, officer: OfficerIdentity, tmp_path: Path
) -> None:
    entries = read_entries(original)
    bomb = b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "xxxxxxxx">]><a>&x;&x;</a>'
    entries = [(n, d, m) for n, d, m in entries if n not in (MANIFEST_NAME, SIGNATURE_NAME)]
    entries += [
        (MANIFEST_NAME, bomb, zipfile.ZIP_STORED),
        (
            SIGNATURE_NAME,
            cms.sign_detached(bomb, officer.signing_key, officer.signing_cert),
            zipfile.ZIP_STORED,
        ),
    ]
    _refused(_verify(_modified(tmp_path, entries), officer), ManifestError, "DTD")


def test_bytes_source_is_accepted(original: Path, officer: OfficerIdentity) -> None:
    assert verify_bundle(original.read_bytes(), {officer.fingerprint: "me"}).ok


def test_digest_mismatch_error_type_for_content_change(
    original: Path, officer: OfficerIdentity, tmp_path: Path
) -> None:
    entries = [
        (n, d + b"!" if n == "attachments/notes.txt" else d, m)
        for n, d, m in read_entries(original)
    ]
    _refused(
        _verify(_modified(tmp_path, entries), officer),
        DigestMismatchError,
        "attachments/notes.txt differs from the signed manifest",
    )


def test_unknown_meta_inf_files_are_refused_and_the_odf_manifest_is_ignored(
    original: Path, officer: OfficerIdentity, tmp_path: Path
) -> None:
    entries = read_entries(original)
    timestamp = [*entries, ("META-INF/timestamp.tst", b"\x30\x00", zipfile.ZIP_STORED)]
    _refused(
        _verify(_modified(tmp_path, timestamp, "tst.asice"), officer),
        ContainerError,
        "META-INF files this program does not support",
    )
    odf = (
        b'<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>'
    )
    with_odf = [*entries, ("META-INF/manifest.xml", odf, zipfile.ZIP_DEFLATED)]
    report = _verify(_modified(tmp_path, with_odf, "odf.asice"), officer)
    assert report.ok, report.lines()


def test_two_manifests_claiming_one_signature_are_refused(
    original: Path, officer: OfficerIdentity, tmp_path: Path
) -> None:
    entries = read_entries(original)
    manifest = dict((n, d) for n, d, _ in entries)[MANIFEST_NAME]
    entries.append(("META-INF/ASiCManifest2.xml", manifest, zipfile.ZIP_DEFLATED))
    _refused(
        _verify(_modified(tmp_path, entries), officer),
        ManifestError,
        "both claim the signature META-INF/signature.p7s",
    )
