"""Attachment names from laptops and seized devices become safe, unique entry names."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundle_examples import MINIMAL_PDF, bytes_source, example_request_doc

from casecoord.bundle import cms
from casecoord.bundle.errors import EncryptionError, UnsafeEntryError
from casecoord.bundle.identity import OfficerIdentity
from casecoord.bundle.names import check_entry_name, check_unique, safe_attachment_name
from casecoord.bundle.writer import write_bundle


@pytest.mark.parametrize(
    ("original", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\ayse\\Extracto ñ.pdf", "Extracto ñ.pdf"),
        ("CON.txt", "_CON.txt"),
        ("...", "attachment"),
        ('a<b>:"c"|?*.jpg', "a_b___c____.jpg"),
        ("tab\there.txt", "tab_here.txt"),
    ],
)
def test_unsafe_original_names_are_made_safe(original: str, expected: str) -> None:
    safe = safe_attachment_name(original)
    assert safe == expected
    check_entry_name("attachments/" + safe)


def test_colliding_names_get_a_counter() -> None:
    assert safe_attachment_name("Photo.JPG", ["photo.jpg"]) == "Photo (2).JPG"
    assert safe_attachment_name("x.pdf", ["x.pdf", "X (2).pdf"]) == "x (3).pdf"


def test_long_names_are_trimmed_keeping_the_extension() -> None:
    safe = safe_attachment_name("ş" * 400 + ".pdf")
    assert len(safe) == 150 and safe.endswith(".pdf")


def test_unicode_forms_of_one_name_collide_on_reading() -> None:
    with pytest.raises(UnsafeEntryError):
        check_unique(["attachments/Núñez.pdf", "attachments/Nu\u0301n\u0303ez.pdf"])


def test_encryption_refuses_bundles_over_the_limit_and_leaves_nothing(
    tmp_path: Path,
    officer: OfficerIdentity,
    counterpart: OfficerIdentity,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(cms, "MAX_ENVELOPE_BYTES", 64 * 1024)
    out = tmp_path / "usb"
    out.mkdir()
    with pytest.raises(EncryptionError, match="cannot be encrypted"):
        write_bundle(
            out / "b.p7m",
            example_request_doc(),
            MINIMAL_PDF,
            [bytes_source("big.bin", bytes(200 * 1024))],
            officer,
            recipient=counterpart.encryption_cert,
        )
    assert list(out.iterdir()) == []


def test_c1_controls_and_bidi_overrides_in_a_name_are_replaced_when_writing() -> None:
    """Verification refuses them in request.json, so the writer never puts them there."""
    assert safe_attachment_name("\x80evil\u202etxt.exe") == "_evil_txt.exe"
