"""Retention: default dates, flagging, and a purge that leaves no readable trace in the vault.

The vault files are encrypted, so a raw byte scan would prove nothing. These tests decrypt every
page of the database and every frame of its WAL with the vault's data key (SQLCipher 4 layout:
AES-256-CBC per page, IV in the page's 80-byte reserve, the salt in the first 16 bytes of page 1)
and look for the case's text there: a freed page or a stale FTS segment would show it.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from sqlalchemy import text
from sqlmodel import select

from casecoord.domain.errors import ValidationError
from casecoord.domain.models import AuditEntry
from casecoord.services import attachments, cases, deadlines, requests, retention
from casecoord.services.audit_log import verify
from casecoord.services.settings import set_setting
from casecoord.vault.vault import UnlockedVault, open_vault
from tests.conftest import PASSPHRASE
from tests.quality.conftest import Run

RESERVE = 80  # SQLCipher 4: 16-byte IV + 64-byte HMAC-SHA512 at the end of every page
PURGED = [
    "zqxpurgetitle",
    "zqxpurgesummary",
    "zqxpurgenote",
    "zqxpurgefacts",
    "zqxpurgeperson",
    "zqxpurgefile",
]
KEPT = "zqxkepttitle"


def _decrypt_page(key: bytes, page: bytes, first: bool) -> bytes:
    size = len(page)
    iv = page[size - RESERVE : size - RESERVE + 16]
    body = page[16 if first else 0 : size - RESERVE]
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    return decryptor.update(body) + decryptor.finalize()


def plaintext_of_vault(root: Path, key: bytes, page_size: int) -> dict[str, bytes]:
    """Every file of the vault, with database pages and WAL frames decrypted."""
    out: dict[str, bytes] = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if path.name == "casecoord.db":
            out[path.name] = b"".join(
                _decrypt_page(key, data[i : i + page_size], i == 0)
                for i in range(0, len(data) - page_size + 1, page_size)
            )
        elif path.name == "casecoord.db-wal":
            frames, offset = [], 32
            while offset + 24 + page_size <= len(data):
                page_no = int.from_bytes(data[offset : offset + 4], "big")
                page = data[offset + 24 : offset + 24 + page_size]
                frames.append(_decrypt_page(key, page, page_no == 1))
                offset += 24 + page_size
            out[path.name] = b"".join(frames)
        else:
            out[path.name] = data
    return out


def _found(files: dict[str, bytes], marker: str) -> list[str]:
    needles = (marker.encode("utf-8"), marker.encode("utf-16-le"))
    return [name for name, data in files.items() if any(n in data.lower() for n in needles)]


# -- default retention and flagging ------------------------------------------------------------


def test_new_case_gets_the_default_retention(vault: UnlockedVault) -> None:
    case = cases.add_case(vault, cases.CaseInput(reference="NL-R-1", title="t"))
    today = datetime.now(UTC).date()
    assert case.retention_until == today.replace(year=today.year + 10)
    set_setting(vault, "retention.default_years", "3")
    short = cases.add_case(vault, cases.CaseInput(reference="NL-R-2", title="t"))
    assert short.retention_until == today.replace(year=today.year + 3)
    explicit = cases.add_case(
        vault, cases.CaseInput(reference="NL-R-3", title="t", retention_until="2030-01-31")
    )
    assert explicit.retention_until == date(2030, 1, 31)


def test_a_broken_default_is_named(vault: UnlockedVault) -> None:
    set_setting(vault, "retention.default_years", "ten")
    with pytest.raises(ValidationError, match="retention.default_years"):
        cases.add_case(vault, cases.CaseInput(reference="NL-R-1", title="t"))


def test_lapsed_cases_are_flagged_and_open_ones_held(vault: UnlockedVault) -> None:
    for ref, until in (
        ("NL-E-1", "2020-01-01"),
        ("NL-E-2", "2021-06-30"),
        ("NL-E-3", "2099-01-01"),
    ):
        cases.add_case(vault, cases.CaseInput(reference=ref, title="t", retention_until=until))
    cases.change_case_status(vault, "NL-E-1", "closed")
    flagged = retention.expired_cases(vault, date(2021, 6, 30))
    assert [(e.reference, e.purgeable) for e in flagged] == [("NL-E-1", True)]
    flagged = retention.expired_cases(vault, date(2021, 7, 1))
    assert [(e.reference, e.purgeable) for e in flagged] == [("NL-E-1", True), ("NL-E-2", False)]
    assert "close the case" in (flagged[1].held or "")


# -- the purge ---------------------------------------------------------------------------------


def _build(vault: UnlockedVault, tmp_path: Path) -> None:
    past = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
    cases.add_case(
        vault,
        cases.CaseInput(
            reference="NL-P-1",
            title=f"Op. {PURGED[0]}",
            summary=f"summary {PURGED[1]}",
            countries=["NL", "CO"],
            retention_until=past,
        ),
    )
    cases.add_case(vault, cases.CaseInput(reference="NL-K-1", title=f"Op. {KEPT}"))
    person = cases.add_person(vault, "NL-P-1", cases.PersonInput(family_name=PURGED[4]))
    cases.add_note(vault, "NL-P-1", f"note {PURGED[2]} " * 20)
    assert person.id is not None
    requests.add_request(
        vault,
        requests.RequestInput(
            reference="NL-MLA-P-1",
            case_ref="NL-P-1",
            kind="mla",
            direction="outgoing",
            requesting_state="NL",
            requested_state="CO",
            facts=f"facts {PURGED[3]}",
            person_ids=[person.id],
        ),
    )
    deadlines.add_deadline(vault, "NL-P-1", "chase", "2099-01-01", request_ref="NL-MLA-P-1")
    evidence = tmp_path / "evidence.txt"
    evidence.write_text(f"file {PURGED[5]} " * 500)
    attachments.add_attachment(vault, "NL-P-1", evidence, request_ref="NL-MLA-P-1")
    evidence.unlink()
    cases.change_case_status(vault, "NL-P-1", "closed")


def _rows_of_case(vault: UnlockedVault, case_id: int) -> dict[str, int]:
    counts = {}
    with vault.session() as session:
        connection = session.connection()
        for table in ("person", "request", "note", "deadline", "attachment"):
            counts[table] = connection.execute(
                text(f"SELECT count(*) FROM {table} WHERE case_id = :id"), {"id": case_id}
            ).scalar_one()
        counts["attachment_chunk"] = connection.execute(
            text(
                "SELECT count(*) FROM attachment_chunk WHERE attachment_id NOT IN "
                "(SELECT id FROM attachment)"
            )
        ).scalar_one()
        counts["request_person"] = connection.execute(
            text("SELECT count(*) FROM request_person")
        ).scalar_one()
        counts["search_index"] = connection.execute(
            text("SELECT count(*) FROM search_index WHERE case_id = :id"), {"id": case_id}
        ).scalar_one()
        counts["case_filter"] = connection.execute(
            text("SELECT count(*) FROM case_filter WHERE rowid = :id"), {"id": case_id}
        ).scalar_one()
    return counts


def test_dry_run_changes_nothing(vault: UnlockedVault, tmp_path: Path) -> None:
    _build(vault, tmp_path)
    with vault.session() as session:
        before = len(list(session.exec(select(AuditEntry))))
    result = retention.purge_expired(vault, dry_run=True)
    assert result.purged == ["NL-P-1"] and result.dry_run
    assert result.rows["persons"] == 1 and result.rows["attachments"] == 1
    with vault.session() as session:
        assert len(list(session.exec(select(AuditEntry)))) == before
        assert cases.find_case(session, "NL-P-1") is not None


def test_purge_leaves_no_trace_and_the_chain_still_verifies(
    vault: UnlockedVault, vault_dir: Path, tmp_path: Path
) -> None:
    _build(vault, tmp_path)
    key, page_size = vault.data_key, vault.keyfile.cipher_page_size
    with vault.session() as session:
        found = cases.find_case(session, "NL-P-1")
        assert found is not None and found.id is not None
        case_id = found.id
    before = plaintext_of_vault(vault_dir, key, page_size)
    for marker in PURGED:  # the scanner sees the text while it is there
        assert _found(before, marker), marker

    result = retention.purge_expired(vault)
    assert result.purged == ["NL-P-1"] and result.audit_payloads_blanked > 5

    assert set(_rows_of_case(vault, case_id).values()) == {0}
    with vault.session() as session:
        assert cases.find_case(session, "NL-P-1") is None
        leftovers = session.exec(select(AuditEntry).where(AuditEntry.case_ref == "NL-P-1")).all()
        assert leftovers and all(entry.payload is None for entry in leftovers)
        purged = session.exec(select(AuditEntry).where(AuditEntry.action == "case.purged")).one()
        assert purged.entity_ref == hashlib.sha256(b"NL-P-1").hexdigest()
        assert purged.case_ref is None
        assert "NL-P-1" not in str(purged.payload)
    assert verify(vault).ok

    after = plaintext_of_vault(vault_dir, key, page_size)
    assert "casecoord.db-wal" in after  # the WAL is scanned too (truncated, so empty)
    for marker in PURGED:
        assert _found(after, marker) == [], marker
    assert _found(after, KEPT)  # the other case is intact, and the scanner still reads it

    vault.close()
    reopened = open_vault(vault_dir, PASSPHRASE)
    try:
        assert verify(reopened).ok
        closed = plaintext_of_vault(vault_dir, key, page_size)
        for marker in PURGED:
            assert _found(closed, marker) == [], marker
    finally:
        reopened.close()


def test_cli_purge_expired(run: Run, cli_vault: Path) -> None:
    v = ["--vault", str(cli_vault)]
    add = ["case", "add", *v, "--title", "t", "--retention-until", "2020-01-01"]
    assert run(*add, "--ref", "NL-C-1").code == 0
    assert run(*add, "--ref", "NL-C-2").code == 0
    assert run("case", "status", "NL-C-1", "closed", *v).code == 0
    dry = run("purge", "--expired", "--dry-run", *v)
    assert dry.code == 0, dry.err
    assert "would be erased: NL-C-1" in dry.out and "Kept NL-C-2" in dry.out
    done = run("purge", "--expired", "--json", *v)
    assert done.code == 0, done.err
    assert done.json()["purged"] == ["NL-C-1"]
    assert run("case", "show", "NL-C-1", *v).code == 1
    assert run("audit", "verify", *v).code == 0
    assert run("purge", *v).code == 1  # says what to add
