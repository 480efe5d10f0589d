"""Bundle export and verification with 1 GiB of attachments, against references from the same run.

docs/ARCHITECTURE.md's targets: export within 1.5x the time of merely reading the attachments out of the store
and hashing them, within 6x of ``openssl dgst -sha256`` over the same bytes as plain files, and a
peak memory under 200 MB (streamed, never a whole file in memory).

Each timed run is a fresh child process (``python -m bench.export --child …``) that opens the
vault, does one thing and prints its own time and peak RSS (``ru_maxrss``): the figures then
include no warm state of a previous run and the memory is that of the export alone. The store
(8 x 128 MiB random attachments on one complete request) is built once under
``bench/.stores/export/`` and reused.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

from bench.figures import Figure, format_table, repeat_count

PASSPHRASE = "bench export passphrase 2026"
FILES = 8
FILE_MIB = 128
REQUEST_REF = "NL-MLA-BENCH-1"
CASE_REF = "NL-BENCH-1"
_READY = "ready-v1"


def _store(store_dir: Path) -> Path:
    return store_dir / "export"


def build(store_dir: Path) -> Path:
    """The vault with one complete request carrying 8 x 128 MiB, and the same bytes as files."""
    from casecoord.services import attachments, cases, requests
    from casecoord.services.identity_store import create_identity
    from casecoord.vault.kdf import FAST_TEST_PARAMS
    from casecoord.vault.vault import create_vault

    root = _store(store_dir)
    if (root / _READY).exists():
        return root
    if root.exists():
        import shutil

        shutil.rmtree(root)
    plain = root / "plain"
    plain.mkdir(parents=True)
    for i in range(FILES):
        with (plain / f"evidence-{i}.bin").open("wb") as handle:
            for _ in range(FILE_MIB):
                handle.write(os.urandom(1 << 20))
    # the KDF cost does not enter any export figure; a cheap one keeps the child start-up honest
    vault, _ = create_vault(root / "vault", PASSPHRASE, FAST_TEST_PARAMS)
    with vault:
        create_identity(vault, "Bench Officer", "Politie Nederland", "NL")
        cases.add_case(
            vault,
            cases.CaseInput(
                reference=CASE_REF,
                title="Benchmark case",
                countries=["NL", "CO"],
                offences=["illicit-trafficking-narcotic-drugs"],
            ),
        )
        requests.add_request(
            vault,
            requests.RequestInput(
                reference=REQUEST_REF,
                case_ref=CASE_REF,
                kind="mla",
                direction="outgoing",
                requesting_state="NL",
                requested_state="CO",
                facts="Benchmark facts.",
                legal_qualification="Art. 10a Opiumwet",
                measures=["Bank records"],
            ),
        )
        for path in sorted(plain.iterdir()):
            attachments.add_attachment(vault, CASE_REF, path, request_ref=REQUEST_REF)
    (root / _READY).write_text("ok\n")
    return root


# -- what a child process measures ---------------------------------------------------------------


def _child(action: str, root: Path, target: Path) -> dict[str, Any]:
    from casecoord.vault.vault import open_vault

    vault = open_vault(root / "vault", PASSPHRASE)
    try:
        start = time.perf_counter()
        if action == "export":
            from casecoord.services.exchange import export_bundle

            export_bundle(vault, REQUEST_REF, target, overwrite=True)
        elif action == "read-hash":
            import hashlib

            from casecoord.domain.models import Request
            from casecoord.services.attachments import attachments_of_request, open_chunks

            with vault.session() as session:
                from sqlmodel import select

                request = session.exec(
                    select(Request).where(Request.reference == REQUEST_REF)
                ).one()
            for attachment in attachments_of_request(vault, int(request.id or 0)):
                digest = hashlib.sha256()
                with open_chunks(vault, int(attachment.id or 0)) as chunks:
                    for chunk in chunks:
                        digest.update(chunk)
        elif action == "verify":
            from casecoord.bundle.identity import fingerprint
            from casecoord.bundle.verify import verify_bundle
            from casecoord.services.identity_store import require_identity

            identity = require_identity(vault)
            report = verify_bundle(target, {fingerprint(identity.signing_cert): "self"})
            if not report.ok:
                raise SystemExit("verification failed: " + "; ".join(report.lines()))
        else:
            raise SystemExit(f"unknown action {action}")
        seconds = time.perf_counter() - start
    finally:
        vault.close()
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"seconds": seconds, "peak_rss_mb": peak_kb / 1024}


def _in_child(action: str, root: Path, target: Path) -> dict[str, Any]:
    completed = subprocess.run(
        [sys.executable, "-m", "bench.export", "--child", action, str(root), str(target)],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    return dict(json.loads(completed.stdout.strip().splitlines()[-1]))


def _timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def run(store_dir: Path) -> list[Figure]:
    root = build(store_dir)
    repeat = min(repeat_count(3), 5)
    plain = sorted((root / "plain").iterdir())
    size_mib = FILES * FILE_MIB
    with tempfile.TemporaryDirectory(dir=root) as work:
        bundle = Path(work) / "bench.asice"
        export, read_hash, dgst, verify, cms_ref, rss = [], [], [], [], [], []
        for _ in range(repeat):
            measured = _in_child("export", root, bundle)
            export.append(measured["seconds"])
            rss.append(measured["peak_rss_mb"])
            read_hash.append(_in_child("read-hash", root, bundle)["seconds"])
            dgst.append(_timed(["openssl", "dgst", "-sha256", *map(str, plain)]))
        extracted = Path(work) / "x"
        with zipfile.ZipFile(bundle) as zf:
            zf.extract("META-INF/ASiCManifest.xml", extracted)
            zf.extract("META-INF/signature.p7s", extracted)
        for _ in range(repeat):
            verify.append(_in_child("verify", root, bundle)["seconds"])
            cms_ref.append(
                _timed(
                    [
                        "openssl",
                        "cms",
                        "-verify",
                        "-binary",
                        "-inform",
                        "DER",
                        "-noverify",
                        "-in",
                        str(extracted / "META-INF/signature.p7s"),
                        "-content",
                        str(extracted / "META-INF/ASiCManifest.xml"),
                        "-out",
                        os.devnull,
                    ]
                )
                + _timed(["openssl", "dgst", "-sha256", *map(str, plain)])
            )
        bundle_mib = bundle.stat().st_size / (1 << 20)
    note = f"{FILES} x {FILE_MIB} MiB attachments; fresh child process per run"
    return [
        Figure(
            "export 1 GiB bundle vs read+hash from store",
            "s",
            export,
            reference_name="read + SHA-256 of the attachments from the store",
            reference_samples=read_hash,
            peak_rss_mb=max(rss),
            ratio_limit=1.5,
            note=note,
            extra={"bundle_mib": round(bundle_mib, 1), "attachments_mib": size_mib},
        ),
        Figure(
            "export 1 GiB bundle vs openssl dgst",
            "s",
            export,
            reference_name="openssl dgst -sha256 over the same bytes as plain files",
            reference_samples=dgst,
            ratio_limit=6.0,
            note=note,
        ),
        Figure(
            "export peak RSS",
            "MB",
            rss,
            limit=200.0,
            note="ru_maxrss of the export child process (interpreter included)",
        ),
        Figure(
            "verify 1 GiB bundle",
            "s",
            verify,
            reference_name="openssl cms -verify (manifest) + openssl dgst -sha256 of the files",
            reference_samples=cms_ref,
            note="casecoord checks every entry's digest against the signed manifest",
        ),
    ]


def main(argv: list[str]) -> int:
    if len(argv) == 4 and argv[0] == "--child":
        print(json.dumps(_child(argv[1], Path(argv[2]), Path(argv[3]))))
        return 0
    store_dir = Path(__file__).resolve().parent / ".stores"
    store_dir.mkdir(parents=True, exist_ok=True)
    figures = run(store_dir)
    print(format_table(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
