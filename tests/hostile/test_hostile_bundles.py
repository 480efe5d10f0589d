"""The hand-made hostile corpus and a mutation fuzzer against bundle verification and import.

tests/bundle/test_bundle_tamper.py builds its tampered bundles in code, one check at a time; this
suite keeps the attacks as files (``corpus/``, made by ``make_corpus.py``, listed in its README)
so that anyone can feed the same bytes to casecoord, to ``openssl cms`` or to another importer, and
it follows each one through to the store: ``verify_bundle`` reports it not ok, ``import_bundle``
and ``casecoord import`` refuse it with one officer-readable line and write nothing. The control
bundle beside them proves the refusals are not just a broken fixture.
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from casecoord.bundle.identity import fingerprint
from casecoord.bundle.verify import VerificationReport, verify_bundle
from casecoord.cli import main as casecoord_main
from casecoord.domain.errors import CasecoordError
from casecoord.services import contacts
from casecoord.services.attachments import attachments_of_request, open_chunks
from casecoord.services.exchange import UnknownSignerError, find_imported, import_bundle
from casecoord.services.identity_store import create_identity, pin_counterpart
from casecoord.vault.kdf import FAST_TEST_PARAMS
from casecoord.vault.vault import UnlockedVault, create_vault, open_vault
from tests.conftest import PASSPHRASE
from tests.hostile.make_corpus import CONTROL, CORPUS, IDENTITY, CorpusKey, build, load_keys

TABLES = (
    "case_file",
    "request",
    "person",
    "request_person",
    "attachment",
    "attachment_chunk",
    "audit_entry",
    "contact",
    "identity",
)
MAX_MESSAGE = 400
"""Longest refusal an officer should have to read; anything longer is quoting the attacker."""

KNOWN_BUGS: dict[str, str] = {}
"""Corpus file -> "bug: …" reason; its tests run as strict xfails until the bug is fixed."""
HOSTILE = sorted(
    p.name for p in CORPUS.iterdir() if p.is_file() and p.name not in {CONTROL, "README.md"}
)


def corpus_params(names: list[str]) -> list[object]:
    """``names`` as parameters, those hitting a known bug marked as strict xfails."""
    return [
        pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[n]))
        if n in KNOWN_BUGS
        else n
        for n in names
    ]


def one_per_family() -> list[str]:
    """The first file of each family (bomb-, name-, request-…) and those whose refusal quotes
    the sender's text: a process start per family; the service tests cover every file."""
    families: dict[str, str] = {}
    for name in HOSTILE:
        families.setdefault(name.split("-")[0], name)
    quoting = {n for n in HOSTILE if "huge" in n or "nested" in n}
    return sorted(set(families.values()) | quoting | set(KNOWN_BUGS))


@pytest.fixture(scope="module")
def keys() -> dict[str, CorpusKey]:
    return load_keys(IDENTITY)


@pytest.fixture(scope="module")
def pinned(keys: dict[str, CorpusKey]) -> dict[str, str]:
    return {fingerprint(keys["signer"].cert): "TEST signer"}


def _prepare_receiver(vault: UnlockedVault, keys: dict[str, CorpusKey]) -> None:
    """An officer with an identity of their own (so .p7m files are tried, not skipped) who has
    pinned the TEST signer: every check after the signer's is reached."""
    create_identity(vault, "Camilo Restrepo", "Fiscalía General de la Nación", "CO")
    contacts.add_contact(
        vault, contacts.ContactInput(name="TEST signer", country="NL", handle="corpus-signer")
    )
    pin_counterpart(vault, "corpus-signer", (IDENTITY / "signer.cert.pem").read_bytes())


@pytest.fixture(scope="module")
def receiver(
    tmp_path_factory: pytest.TempPathFactory, keys: dict[str, CorpusKey]
) -> Iterator[tuple[UnlockedVault, Path]]:
    root = tmp_path_factory.mktemp("receiver") / "vault"
    vault, _ = create_vault(root, PASSPHRASE, FAST_TEST_PARAMS)
    _prepare_receiver(vault, keys)
    try:
        yield vault, root
    finally:
        vault.close()


@dataclass(frozen=True)
class StoreState:
    """Row counts of every table an import writes, and the sizes of the vault's files (the WAL
    and its index left out: SQLite may checkpoint them at any time)."""

    counts: dict[str, int]
    sizes: dict[str, int]


def store_state(vault: UnlockedVault, root: Path) -> StoreState:
    with vault.engine.connect() as connection:
        counts = {
            t: int(connection.execute(text(f"SELECT count(*) FROM {t}")).scalar_one())  # noqa: S608
            for t in TABLES
        }
    sizes = {
        p.name: p.stat().st_size
        for p in root.iterdir()
        if p.is_file() and not p.name.endswith(("-wal", "-shm"))
    }
    return StoreState(counts, sizes)


def stored_sha256(vault: UnlockedVault, attachment_id: int) -> str:
    """SHA-256 of an attachment as the vault holds it, read back chunk by chunk."""
    digest = hashlib.sha256()
    with open_chunks(vault, attachment_id) as chunks:
        for chunk in chunks:
            digest.update(chunk)
    return digest.hexdigest()


def assert_officer_line(message: str) -> None:
    """What the CLI prints and the TUI shows: one short line of words, no traceback."""
    assert message.strip(), "a refusal must say why"
    assert "Traceback" not in message
    assert len(message) <= MAX_MESSAGE, f"{len(message)} characters: {message[:200]}…"
    assert not re.search(r"[\x00-\x1f\x7f]", message), repr(message[:200])


# -- the corpus itself -----------------------------------------------------------------------


def test_corpus_readme_lists_every_file_and_the_corpus_stays_small() -> None:
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    files = [p for p in CORPUS.iterdir() if p.is_file() and p.name != "README.md"]
    assert len(files) > 60
    for path in files:
        assert f"`{path.name}`" in readme, f"{path.name} is not described in corpus/README.md"
    assert "TEST keys" in readme
    total = sum(p.stat().st_size for p in CORPUS.rglob("*") if p.is_file())
    assert total < 2 * 1024 * 1024


def test_make_corpus_regenerates_the_same_bytes(tmp_path: Path) -> None:
    """The corpus is reproducible from its script and stored TEST keys; deflate output is only
    stable for one zlib, so another zlib (zlib-ng...) skips rather than fails."""
    recorded = re.search(r"with zlib ([0-9.]+)", (CORPUS / "README.md").read_text())
    if recorded is None or recorded.group(1) != zlib.ZLIB_RUNTIME_VERSION:
        pytest.skip("the corpus was written with another zlib version")
    items = build(tmp_path)
    assert len(items) == len(HOSTILE) + 1
    for item in items:
        assert (CORPUS / item.name).read_bytes() == item.data, f"{item.name} differs"
    assert (tmp_path / "README.md").read_bytes() == (CORPUS / "README.md").read_bytes()


def test_control_verifies_only_once_its_signer_is_pinned(pinned: dict[str, str]) -> None:
    control = CORPUS / CONTROL
    assert verify_bundle(control, pinned).ok
    unknown = verify_bundle(control, {})
    assert not unknown.ok
    assert unknown.signature_valid and not unknown.trusted
    assert unknown.signer_fingerprint in pinned


def test_encrypted_variant_is_a_real_envelope_for_someone_else(keys: dict[str, CorpusKey]) -> None:
    """Its refusal must come from the addressing, not from a malformed file."""
    from cryptography.hazmat.primitives.serialization import pkcs7

    envelope = (CORPUS / "encrypted-for-someone-else.p7m").read_bytes()
    elsewhere = keys["elsewhere"]
    opened = pkcs7.pkcs7_decrypt_der(envelope, elsewhere.cert, elsewhere.key, [])
    assert opened == (CORPUS / CONTROL).read_bytes()


def test_control_imports_once_its_fingerprint_is_accepted(
    vault: UnlockedVault, vault_dir: Path, keys: dict[str, CorpusKey]
) -> None:
    control = CORPUS / CONTROL
    before = store_state(vault, vault_dir)
    with pytest.raises(UnknownSignerError) as refused:
        import_bundle(vault, control)
    assert_officer_line(refused.value.message)
    assert store_state(vault, vault_dir).counts == before.counts

    accepted = fingerprint(keys["signer"].cert)
    result = import_bundle(vault, control, accept_fingerprint=accepted)
    assert not result.already_imported and result.attachments == 2
    request = find_imported(vault, result.bundle_id)
    assert request is not None and request.id is not None
    with zipfile.ZipFile(control) as bundle:
        sent = {
            n.removeprefix("attachments/"): hashlib.sha256(bundle.read(n)).hexdigest()
            for n in bundle.namelist()
            if n.startswith("attachments/")
        }
    stored = {
        a.name: stored_sha256(vault, int(a.id or 0))
        for a in attachments_of_request(vault, request.id)
    }
    assert stored == sent
    again = import_bundle(vault, control, accept_fingerprint=accepted)
    assert again.already_imported


# -- every hostile file, three ways ----------------------------------------------------------


def _verify(name: str, pinned: dict[str, str], keys: dict[str, CorpusKey]) -> VerificationReport:
    wrong_recipient = (keys["other"].cert, keys["other"].key)  # an RSA key it was not sent to
    return verify_bundle(CORPUS / name, pinned, decryption=wrong_recipient)


@pytest.mark.parametrize("name", corpus_params(HOSTILE))
def test_verify_refuses_every_hostile_bundle_in_one_short_line(
    name: str, pinned: dict[str, str], keys: dict[str, CorpusKey]
) -> None:
    report = _verify(name, pinned, keys)
    assert not report.ok
    assert report.failures
    for check in report.failures:
        assert_officer_line(check.line())


@pytest.mark.parametrize("name", corpus_params(HOSTILE))
def test_import_refuses_every_hostile_bundle_in_one_line_and_writes_nothing(
    name: str, receiver: tuple[UnlockedVault, Path]
) -> None:
    vault, root = receiver
    before = store_state(vault, root)
    with pytest.raises(CasecoordError) as refused:
        import_bundle(vault, CORPUS / name)
    assert store_state(vault, root) == before
    assert_officer_line(refused.value.message)


@pytest.fixture(scope="module")
def cli_receiver(
    tmp_path_factory: pytest.TempPathFactory, keys: dict[str, CorpusKey]
) -> tuple[Path, Path]:
    """A closed vault folder (its WAL checkpointed) and a passphrase file for the real CLI."""
    folder = tmp_path_factory.mktemp("cli-receiver")
    root = folder / "vault"
    vault, _ = create_vault(root, PASSPHRASE, FAST_TEST_PARAMS)
    with vault:
        _prepare_receiver(vault, keys)
    secret = folder / "passphrase"
    secret.write_text(PASSPHRASE + "\n", encoding="utf-8")
    secret.chmod(0o600)
    return root, secret


@pytest.mark.parametrize("name", corpus_params(one_per_family()))
def test_casecoord_import_refuses_each_family_of_hostile_bundle_in_one_line(
    name: str, cli_receiver: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    root, secret = cli_receiver
    with open_vault(root, PASSPHRASE) as vault:
        before = store_state(vault, root)
    code = casecoord_main(
        ["import", str(CORPUS / name), "--vault", str(root), "--passphrase-file", str(secret)]
    )
    err = capsys.readouterr().err
    assert code not in (0, 70), err
    assert err.startswith("casecoord: ") and err.count("\n") == 1, err[:300]
    assert_officer_line(err.removeprefix("casecoord: ").rstrip("\n"))
    with open_vault(root, PASSPHRASE) as vault:
        assert store_state(vault, root).counts == before.counts


# -- mutation fuzzing ------------------------------------------------------------------------

CONTROL_BYTES = (CORPUS / CONTROL).read_bytes()
HOSTILE_NAMES = [
    "../x",
    "/abs",
    "a\\b",
    "C:x",
    "attachments/STATEMENT.pdf",
    "mimetype",
    "request.json",
    "META-INF/signature.p7s",
    "attachments/",
    "attachments/x\x01",
]


def _entries(data: bytes) -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(info, archive.read(info)) for info in archive.infolist()]


def _rezip(entries: list[tuple[zipfile.ZipInfo, bytes]]) -> bytes:
    out = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names are made on purpose
        with zipfile.ZipFile(out, "w") as archive:
            for info, content in entries:
                fresh = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                fresh.compress_type = info.compress_type
                archive.writestr(fresh, content)
    return out.getvalue()


@st.composite
def zip_rewrite(draw: st.DrawFn) -> bytes:
    """The control rewritten entry by entry: names or contents swapped, renamed, dropped, doubled,
    reordered — still a well-formed ZIP, so the deeper checks get their turn."""
    entries = _entries(CONTROL_BYTES)
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(entries) - 1))
        j = draw(st.integers(0, len(entries) - 1))
        op = draw(st.sampled_from(["names", "contents", "rename", "drop", "double", "move"]))
        (a, a_data), (b, b_data) = entries[i], entries[j]
        if op == "names":
            a_name, b_name = a.filename, b.filename
            a, b = zipfile.ZipInfo(b_name, a.date_time), zipfile.ZipInfo(a_name, b.date_time)
            entries[i], entries[j] = (a, a_data), (b, b_data)
        elif op == "contents":
            entries[i], entries[j] = (a, b_data), (b, a_data)
        elif op == "rename":
            entries[i] = (zipfile.ZipInfo(draw(st.sampled_from(HOSTILE_NAMES))), a_data)
        elif op == "drop" and len(entries) > 1:
            del entries[i]
        elif op == "double":
            entries.insert(j, (a, a_data))
        else:
            entries.insert(j, entries.pop(i))
    return _rezip(entries)


@st.composite
def mutated_bundle(draw: st.DrawFn) -> bytes:
    """The control after a ZIP-level rewrite and/or a few byte-level mutations."""
    data = draw(zip_rewrite()) if draw(st.booleans()) else CONTROL_BYTES
    for _ in range(draw(st.integers(0 if data is not CONTROL_BYTES else 1, 4))):
        op = draw(st.sampled_from(["flip", "truncate", "insert", "delete", "overwrite"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if op == "flip" and data:
            data = data[:at] + bytes([data[at] ^ (1 << draw(st.integers(0, 7)))]) + data[at + 1 :]
        elif op == "truncate":
            data = data[:at]
        elif op == "insert":
            data = data[:at] + draw(st.binary(min_size=1, max_size=64)) + data[at:]
        elif op == "delete":
            data = data[:at] + data[at + draw(st.integers(1, 64)) :]
        else:
            patch = draw(st.binary(min_size=1, max_size=8))
            data = data[:at] + patch + data[at + len(patch) :]
    return data


@pytest.fixture(scope="module")
def fuzz_receiver(
    tmp_path_factory: pytest.TempPathFactory, keys: dict[str, CorpusKey]
) -> Iterator[tuple[UnlockedVault, Path, Path]]:
    folder = tmp_path_factory.mktemp("fuzz-receiver")
    vault, _ = create_vault(folder / "vault", PASSPHRASE, FAST_TEST_PARAMS)
    _prepare_receiver(vault, keys)
    try:
        yield vault, folder / "vault", folder / "mutant.asice"
    finally:
        vault.close()


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=mutated_bundle())
def test_a_mutated_bundle_is_reported_and_imported_only_when_every_check_passes(
    data: bytes,
    fuzz_receiver: tuple[UnlockedVault, Path, Path],
    pinned: dict[str, str],
) -> None:
    """verify_bundle never raises; import_bundle succeeds exactly when the report is ok (an
    untouched date field may leave a bundle valid) and otherwise raises our own error and
    leaves every table as it was."""
    vault, root, path = fuzz_receiver
    path.write_bytes(data)
    report = verify_bundle(path, pinned)
    assert isinstance(report, VerificationReport) and report.checks
    before = store_state(vault, root)
    try:
        import_bundle(vault, path)
    except CasecoordError as refused:
        assert not report.ok, f"verified ok but import refused: {refused.message}"
        assert refused.message.strip()
        assert store_state(vault, root).counts == before.counts
    else:
        assert report.ok, report.lines()
