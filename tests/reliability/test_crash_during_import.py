"""An import killed at any moment leaves the request wholly there or not at all, never half.

import_bundle writes case, persons, request, every attachment chunk and the audit entry in one
SQLite transaction; this pins what that promises when the process dies (a laptop lid, the OOM
killer, a power cut) while a bundle of a few MiB is going in. Two ways to kill, as the other
crash tests do: at random moments through the real ``casecoord import`` (which also lands inside
SQLite's and OpenSSL's C code, the commit included), and deterministically at every step of the
import — each progress message and each 1 MiB attachment chunk — through a child that wraps the
service. After each kill the vault opens, ``check_vault`` passes (integrity and audit chain), the
request is either absent or complete with every attachment byte-identical (SHA-256), and running
the import again succeeds exactly once.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import select

from casecoord.bundle.writer import AttachmentSource, write_bundle
from casecoord.domain.models import Request
from casecoord.services import contacts
from casecoord.services.attachments import attachments_of_request, open_chunks
from casecoord.services.exchange import find_imported, import_bundle
from casecoord.services.identity_store import pin_counterpart
from casecoord.vault.backup import check_vault
from casecoord.vault.kdf import FAST_TEST_PARAMS
from casecoord.vault.vault import create_vault, open_vault
from tests.conftest import PASSPHRASE
from tests.hostile.make_corpus import IDENTITY, LETTER, load_keys, request_doc, stream_bytes
from tests.reliability.conftest import KILLED, Outcome, kill_after, timed

EVIDENCE = {
    "intercept-2025-03.wav": 1536 * 1024,
    "ledger-scan.pdf": 1280 * 1024,
    "phone-extraction.zip": 1792 * 1024,
}
WRITTEN_TABLES = ("case_file", "person", "request", "attachment", "attachment_chunk", "audit_entry")

_STEP_KILLER = r"""
import os, signal, sys
from pathlib import Path
from casecoord.services import exchange
from casecoord.vault.vault import open_vault

target = int(sys.argv[3])
events = 0

def event():
    global events
    events += 1
    if events == target:
        os.kill(os.getpid(), signal.SIGKILL)

real_store = exchange.store_attachment

def store(session, case, request, chunks, *args, **kwargs):
    def counted():
        for chunk in chunks:
            event()
            yield chunk
    return real_store(session, case, request, counted(), *args, **kwargs)

exchange.store_attachment = store
with open_vault(Path(sys.argv[1]), sys.stdin.readline().rstrip("\n")) as vault:
    exchange.import_bundle(vault, Path(sys.argv[2]), progress=lambda _message: event())
"""


@dataclass(frozen=True)
class Shipment:
    """The bundle under test, what its attachments must hash to, and a vault ready for it."""

    bundle: Path
    bundle_id: str
    digests: dict[str, str]
    template: Path


@pytest.fixture(scope="module")
def shipment(tmp_path_factory: pytest.TempPathFactory) -> Shipment:
    """A bundle of about 4.5 MiB signed by the corpus TEST signer, whom the template vault pins."""
    folder = tmp_path_factory.mktemp("import-crash")
    signer = load_keys(IDENTITY)["signer"]
    contents = {name: stream_bytes(name, size) for name, size in EVIDENCE.items()}
    sources = [
        AttachmentSource(name, "application/octet-stream", partial(iter, [data]))
        for name, data in contents.items()
    ]
    doc = request_doc([])
    info = write_bundle(folder / "incoming.asice", doc, LETTER, sources, (signer.key, signer.cert))
    template = folder / "template"
    vault, _ = create_vault(template, PASSPHRASE, FAST_TEST_PARAMS)
    with vault:
        contacts.add_contact(
            vault, contacts.ContactInput(name="TEST signer", country="NL", handle="corpus-signer")
        )
        pin_counterpart(vault, "corpus-signer", (IDENTITY / "signer.cert.pem").read_bytes())
    return Shipment(
        info.path,
        info.bundle_id,
        {name: hashlib.sha256(data).hexdigest() for name, data in contents.items()},
        template,
    )


@pytest.fixture
def fresh_vault(shipment: Shipment, tmp_path: Path) -> Iterator[Path]:
    """Hands out copies of the template vault, one per kill, inside this test's folder."""

    def copies() -> Iterator[Path]:
        n = 0
        while True:
            n += 1
            target = tmp_path / f"vault-{n}"
            shutil.copytree(shipment.template, target)
            yield target

    return copies()


def _sha256_stored(vault_chunks: Iterator[bytes]) -> str:
    digest = hashlib.sha256()
    for chunk in vault_chunks:
        digest.update(chunk)
    return digest.hexdigest()


def assert_all_or_nothing_then_import_once(root: Path, shipment: Shipment) -> bool:
    """The contract after a kill; returns whether the killed import had committed."""
    with open_vault(root, PASSPHRASE) as vault:
        report = check_vault(vault)
        assert report.ok, f"integrity: {report.integrity}; chain: {report.chain}"
        imported = find_imported(vault, shipment.bundle_id)
        if imported is None:
            with vault.engine.connect() as connection:
                for table in WRITTEN_TABLES:
                    rows = connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()  # noqa: S608
                    if table != "audit_entry":
                        assert rows == 0, f"half an import: {rows} row(s) left in {table}"
        else:
            assert imported.id is not None
            stored = {}
            for attachment in attachments_of_request(vault, imported.id):
                with open_chunks(vault, int(attachment.id or 0)) as chunks:
                    stored[attachment.name] = _sha256_stored(chunks)
            assert stored == shipment.digests
        committed = imported is not None
        again = import_bundle(vault, shipment.bundle)
        assert again.already_imported is committed
        assert import_bundle(vault, shipment.bundle).already_imported
        with vault.session() as session:
            copies = session.exec(select(Request).where(Request.bundle_id == shipment.bundle_id))
            assert len(list(copies)) == 1
        assert check_vault(vault).ok
    return committed


@pytest.mark.slow
def test_import_killed_at_random_moments_is_all_or_nothing(
    shipment: Shipment, fresh_vault: Iterator[Path]
) -> None:
    rng = random.Random(4242)
    args = ("import", str(shipment.bundle), "--vault")
    window = timed(*args, str(next(fresh_vault)))
    delays = [0.01, *(rng.uniform(0.1 * window, window) for _ in range(10)), 0.95 * window, window]
    outcomes: list[tuple[bool, bool]] = []
    for delay in delays:
        root = next(fresh_vault)
        outcome: Outcome = kill_after(delay, *args, str(root))
        assert outcome.killed or outcome.code == 0, outcome.err
        committed = assert_all_or_nothing_then_import_once(root, shipment)
        assert committed or outcome.killed
        outcomes.append((outcome.killed, committed))
    assert any(killed and not committed for killed, committed in outcomes), outcomes


@pytest.mark.slow
def test_import_killed_at_every_step_is_all_or_nothing(
    shipment: Shipment, fresh_vault: Iterator[Path]
) -> None:
    """Each progress message and each attachment chunk is a step; the kill walks them all until
    the import runs to the end."""
    step = 1
    while True:
        root = next(fresh_vault)
        done = subprocess.run(
            [sys.executable, "-c", _STEP_KILLER, str(root), str(shipment.bundle), str(step)],
            input=PASSPHRASE + "\n",
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            env={**os.environ},
        )
        committed = assert_all_or_nothing_then_import_once(root, shipment)
        if done.returncode != KILLED:
            assert done.returncode == 0, done.stderr
            assert committed
            break
        assert not committed, f"killed at step {step} yet the import is there"
        step += 1
    assert step > len(EVIDENCE) + 3  # at least every chunk and every progress message was hit
