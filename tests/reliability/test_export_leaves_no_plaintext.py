"""Exporting a request writes no plaintext beside the bundle, and no stray file at all.

An *encrypted* export (``--encrypt-for``) is the one that crosses an untrusted channel, and the
writer's promise is that the plain container never touches the disk: it is assembled in memory and
only the CMS envelope is written (via a hidden ``.part`` file renamed into place). This runs the
real ``casecoord export`` with TMPDIR and HOME pointed at folders of the test and, *while it runs*,
a thread reads every file in the destination, TMPDIR, the vault folder and HOME (``.part`` files
included) looking for marker strings planted in the request's facts, a person and the
attachments; then scans once more after it ends.

An *unencrypted* export is plaintext by design, so there the contract is tidiness: after success
the destination holds the bundle and nothing else, TMPDIR is empty; after a failure (the file
exists, the folder is missing, read-only or full) not even the bundle, nor a ``.part``.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from casecoord.services import attachments, cases, contacts, requests
from casecoord.services.identity_store import create_identity, pin_counterpart
from casecoord.vault.kdf import FAST_TEST_PARAMS
from casecoord.vault.vault import create_vault
from tests.conftest import PASSPHRASE
from tests.hostile.make_corpus import IDENTITY, stream_bytes
from tests.tmpfs import mounted_tmpfs

REQUEST = "NL-MLA-2026-0777"
FACTS = "MARKERFACTS5E1 reefer MSCU7654321 with 640 kg"
PERSON = "MARKERPERSONZ9"
ALIAS = "MARKERALIASK4"
NOTE_IN_FILE = "MARKERATTACH77 statement of the harbour pilot"
MARKERS = [FACTS, PERSON, ALIAS, NOTE_IN_FILE, "MARKERBINARY31"]


def _forms(marker: str) -> list[bytes]:
    return [marker.encode("utf-8"), marker.lower().encode("utf-8"), marker.encode("utf-16-le")]


def leaks(folders: list[Path]) -> list[str]:
    """Marker strings found in any file under ``folders``, as 'marker in path'."""
    found = []
    for folder in folders:
        for path in folder.rglob("*"):
            try:
                data = path.read_bytes() if path.is_file() else b""
            except OSError:  # renamed or removed between listing and reading
                continue
            found += [f"{m!r} in {path}" for m in MARKERS if any(f in data for f in _forms(m))]
    return found


@pytest.fixture(scope="module")
def sender_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A complete outgoing request whose facts, person and attachments carry the markers; the
    counterpart's RSA encryption certificate pinned (the corpus TEST recipient)."""
    root = tmp_path_factory.mktemp("sender") / "vault"
    vault, _ = create_vault(root, PASSPHRASE, FAST_TEST_PARAMS)
    with vault:
        create_identity(vault, "Ayşe Yılmaz", "Politie Nederland", "NL")
        cases.add_case(
            vault,
            cases.CaseInput(
                reference="NL-2026-0777",
                title="Operation Reefer",
                countries=["NL", "CO"],
                offences=["illicit-trafficking-narcotic-drugs"],
            ),
        )
        suspect = cases.add_person(
            vault,
            "NL-2026-0777",
            cases.PersonInput(
                family_name=PERSON, given_names="José", aliases=[ALIAS], nationality="CO"
            ),
        )
        contacts.add_contact(
            vault,
            contacts.ContactInput(
                name="Fiscal Restrepo",
                country="CO",
                handle="restrepo",
                organisation="Fiscalía General de la Nación",
            ),
        )
        pem = (IDENTITY / "signer.cert.pem").read_bytes() + (
            IDENTITY / "elsewhere.cert.pem"
        ).read_bytes()
        pin_counterpart(vault, "restrepo", pem)
        requests.add_request(
            vault,
            requests.RequestInput(
                reference=REQUEST,
                case_ref="NL-2026-0777",
                kind="mla",
                direction="outgoing",
                requesting_state="NL",
                requested_state="CO",
                facts=FACTS,
                legal_qualification="Art. 10a Opiumwet",
                measures=["Bank records of account 0123456789"],
                counterpart="restrepo",
                person_ids=[int(suspect.id or 0)],
            ),
        )
        evidence = {
            "pilot-statement.txt": (NOTE_IN_FILE + "\n").encode() * 2000,
            "hold-camera.bin": stream_bytes("camera", 1536 * 1024)
            + b"MARKERBINARY31"
            + stream_bytes("camera-tail", 1024 * 1024),
        }
        for name, data in evidence.items():
            attachments.add_attachment_stream(
                vault, "NL-2026-0777", io.BytesIO(data), name, request_ref=REQUEST
            )
    return root


@dataclass
class Desk:
    """Folders of one export: the vault copy, destination, TMPDIR and HOME."""

    vault: Path
    dest: Path
    temp: Path
    home: Path
    seen: set[str] = field(default_factory=set)
    passes: int = 0

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "TMPDIR": str(self.temp),
            "HOME": str(self.home),
            "CASECOORD_KDF_PROFILE": "test",
        }

    def export(
        self, target: Path, *extra: str, watch: bool = False
    ) -> subprocess.CompletedProcess[str]:
        """Run ``casecoord export``; with ``watch``, scan the folders until it ends and fail on
        the first marker seen."""
        child = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "casecoord.cli",
                "export",
                REQUEST,
                "-o",
                str(target),
                "--vault",
                str(self.vault),
                *extra,
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=self.env(),
        )
        found: list[str] = []
        stop = threading.Event()

        def watcher() -> None:
            while not stop.is_set() and not found:
                self.seen.update(p.name for p in self.dest.rglob("*"))
                found.extend(leaks(self.folders()))
                self.passes += 1
                time.sleep(0.002)

        thread = threading.Thread(target=watcher, daemon=True)
        if watch:
            thread.start()
        out, err = child.communicate(PASSPHRASE + "\n", timeout=120)
        stop.set()
        if watch:
            thread.join(timeout=30)
        assert not found, f"plaintext on disk during the export: {found}"
        return subprocess.CompletedProcess(child.args, child.returncode, out, err)

    def folders(self) -> list[Path]:
        return [self.dest, self.temp, self.vault, self.home]


@pytest.fixture
def desk(sender_template: Path, tmp_path: Path) -> Desk:
    vault = tmp_path / "vault"
    shutil.copytree(sender_template, vault)
    made = Desk(vault, tmp_path / "outbox", tmp_path / "tmp", tmp_path / "home")
    for folder in (made.dest, made.temp, made.home):
        folder.mkdir(exist_ok=True)
    return made


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MiB tmpfs (needs root): a destination that fills up part-way through the bundle."""
    with mounted_tmpfs(tmp_path / "small-disk", "size=1m,mode=0700") as mount_point:
        yield mount_point


@pytest.fixture
def read_only_disk(tmp_path: Path) -> Iterator[Path]:
    """A read-only tmpfs: root ignores folder permissions, not a read-only mount."""
    with mounted_tmpfs(tmp_path / "read-only", "ro,size=1m") as mount_point:
        yield mount_point


def assert_refused_in_one_line(done: subprocess.CompletedProcess[str]) -> None:
    assert done.returncode not in (0, 70), done.stderr
    assert done.stderr.startswith("casecoord: ") and done.stderr.count("\n") == 1, done.stderr


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.slow
def test_encrypted_export_never_writes_plaintext_even_while_running(desk: Desk) -> None:
    target = desk.dest / "reefer.p7m"
    done = desk.export(target, "--encrypt-for", "restrepo", watch=True)
    assert done.returncode == 0, done.stderr
    assert target.read_bytes()[:1] == b"\x30"  # a CMS envelope, not a ZIP
    assert desk.passes > 3, "the watcher must have scanned while the export ran"
    assert leaks(desk.folders()) == []
    assert listing(desk.dest) == ["reefer.p7m"]
    assert listing(desk.temp) == []


def test_encrypted_export_into_a_full_disk_leaves_nothing(desk: Desk, small_disk: Path) -> None:
    done = desk.export(small_disk / "reefer.p7m", "--encrypt-for", "restrepo")
    assert_refused_in_one_line(done)
    assert listing(small_disk) == []
    assert listing(desk.temp) == []
    assert leaks([*desk.folders(), small_disk]) == []


def test_plain_export_leaves_only_the_bundle(desk: Desk) -> None:
    """The bundle itself is plaintext by design (the markers are in it); nothing else is."""
    target = desk.dest / "reefer.asice"
    done = desk.export(target, watch=False)
    assert done.returncode == 0, done.stderr
    assert listing(desk.dest) == ["reefer.asice"]
    assert listing(desk.temp) == []
    assert leaks([desk.temp, desk.vault, desk.home]) == []


def test_plain_export_over_an_existing_file_changes_nothing(desk: Desk) -> None:
    target = desk.dest / "reefer.asice"
    target.write_bytes(b"the officer's earlier file")
    assert_refused_in_one_line(desk.export(target))
    assert listing(desk.dest) == ["reefer.asice"]
    assert target.read_bytes() == b"the officer's earlier file"
    assert listing(desk.temp) == []


def test_plain_export_to_a_missing_folder_creates_nothing(desk: Desk) -> None:
    assert_refused_in_one_line(desk.export(desk.dest / "no-such-folder" / "reefer.asice"))
    assert listing(desk.dest) == []
    assert listing(desk.temp) == []


def test_plain_export_into_a_full_disk_leaves_no_part_file(desk: Desk, small_disk: Path) -> None:
    assert_refused_in_one_line(desk.export(small_disk / "reefer.asice"))
    assert listing(small_disk) == []
    assert listing(desk.temp) == []


def test_plain_export_into_a_read_only_folder_leaves_nothing(
    desk: Desk, read_only_disk: Path
) -> None:
    assert_refused_in_one_line(desk.export(read_only_disk / "reefer.asice"))
    assert listing(read_only_disk) == []
    assert listing(desk.temp) == []
