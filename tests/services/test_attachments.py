"""Attachments stream into the encrypted store and back out unchanged."""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

import pytest

from casecoord.domain.errors import ValidationError, VaultError
from casecoord.services.attachments import (
    CHUNK_BYTES,
    add_attachment,
    add_attachment_stream,
    export_attachment,
    list_attachments,
    open_chunks,
)
from casecoord.services.cases import CaseInput, add_case
from casecoord.vault.vault import UnlockedVault


@pytest.fixture
def case(vault: UnlockedVault) -> str:
    add_case(vault, CaseInput(reference="NL-ATT-1", title="evidence", countries=["NL"]))
    return "NL-ATT-1"


def test_round_trip_of_a_multi_chunk_file(vault: UnlockedVault, case: str, tmp_path: Path) -> None:
    payload = os.urandom(CHUNK_BYTES * 3 + 123)
    source = tmp_path / "ledger photos.zip"
    source.write_bytes(payload)
    info = add_attachment(vault, case, source)
    assert info.size == len(payload)
    assert info.sha256 == hashlib.sha256(payload).hexdigest()
    assert info.media_type == "application/zip"
    with open_chunks(vault, info.id) as chunks:
        assert b"".join(chunks) == payload
    out = export_attachment(vault, info.id, tmp_path / "out")
    assert out.read_bytes() == payload
    assert [a.name for a in list_attachments(vault, case)] == ["ledger photos.zip"]


def test_path_like_names_are_reduced_to_the_file_name(vault: UnlockedVault, case: str) -> None:
    info = add_attachment_stream(vault, case, io.BytesIO(b"x"), "..\\..\\etc/passwd")
    assert info.name == "passwd"
    with pytest.raises(ValidationError, match="file name"):
        add_attachment_stream(vault, case, io.BytesIO(b"x"), "../")


def test_missing_file_is_a_clear_message(vault: UnlockedVault, case: str, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="does not exist"):
        add_attachment(vault, case, tmp_path / "nope.pdf")
    assert list_attachments(vault, case) == []


def test_damaged_attachment_is_never_read_silently(vault: UnlockedVault, case: str) -> None:
    from sqlalchemy import text

    info = add_attachment_stream(vault, case, io.BytesIO(b"a" * 100), "a.txt")
    with vault.transaction() as session:
        session.connection().execute(
            text("UPDATE attachment_chunk SET data = :d WHERE attachment_id = :i"),
            {"d": b"\x00", "i": info.id},
        )
    with pytest.raises(VaultError, match="damaged"), open_chunks(vault, info.id) as chunks:
        b"".join(chunks)
