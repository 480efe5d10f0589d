"""Attachments stream through the writer and verifier: memory stays flat whatever their size."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

from bundle_examples import MINIMAL_PDF, example_request_doc, generated_source

from casecoord.bundle.identity import OfficerIdentity
from casecoord.bundle.verify import open_verified, verify_bundle
from casecoord.bundle.writer import write_bundle

SIZE = 64 * 1024 * 1024
CEILING = 8 * 1024 * 1024


def test_64_mib_attachment_writes_and_verifies_with_flat_memory(
    tmp_path: Path, officer: OfficerIdentity
) -> None:
    tracemalloc.start()
    try:
        info = write_bundle(
            tmp_path / "big.asice",
            example_request_doc(),
            MINIMAL_PDF,
            [generated_source("video.mp4", SIZE)],
            officer,
        )
        _, write_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        report = verify_bundle(info.path, {officer.fingerprint: officer.name})
        _, verify_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        with open_verified(info.path, {officer.fingerprint: officer.name}) as verified:
            (attachment,) = verified.attachments
            total = sum(len(chunk) for chunk in verified.open_attachment(attachment))
        _, extract_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert report.ok, report.lines()
    assert total == SIZE == attachment.size
    assert info.entries[-1].size == SIZE
    assert write_peak < CEILING, f"writer peaked at {write_peak / 2**20:.1f} MiB"
    assert verify_peak < CEILING, f"verifier peaked at {verify_peak / 2**20:.1f} MiB"
    assert extract_peak < CEILING, f"extractor peaked at {extract_peak / 2**20:.1f} MiB"
