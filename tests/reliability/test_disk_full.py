"""A full disk is a clear, one-line error; nothing acknowledged is lost; the vault opens after.

Two ways to run out of room. A small tmpfs mounted for the test (needs root, which CI and this
sandbox have) is a real ENOSPC, met by SQLite's WAL, by vault.json's atomic rewrite and by the
backup writer alike. Where mounting is not allowed, RLIMIT_FSIZE in a child process (SIGXFSZ
ignored) makes any write past a size fail with EFBIG, which SQLite reports as an I/O error rather
than "full": the officer still gets one clear line and loses nothing.
"""

from __future__ import annotations

import contextlib
import errno
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from casecoord.domain.errors import CasecoordError, StorageFullError
from casecoord.services.cases import CaseInput, add_case, add_note, find_case
from casecoord.vault.backup import check_vault
from casecoord.vault.kdf import FAST_TEST_PARAMS
from casecoord.vault.vault import create_vault, open_vault
from tests.conftest import PASSPHRASE
from tests.reliability.conftest import cli
from tests.tmpfs import mounted_tmpfs

NOTE = "Intercepted ledger page transcribed in full. " * 90  # ~4 KiB, several pages a write


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 6 MiB tmpfs that the test can fill to the last byte."""
    with mounted_tmpfs(
        tmp_path / "disk", "size=6m,mode=0700", "; the RLIMIT_FSIZE test still runs"
    ) as mount_point:
        yield mount_point


def fill(disk: Path, leave: int = 0) -> Path:
    """Fill the disk to the last byte, then give back ``leave`` bytes; delete the file to recover."""
    filler = disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        for size in (1 << 16, 4096, 1):
            with contextlib.suppress(OSError):
                while os.write(fd, b"\0" * size):
                    pass
        if leave:
            os.ftruncate(fd, max(0, os.fstat(fd).st_size - leave))
    finally:
        os.close(fd)
    return filler


def write_until_full(root: Path) -> tuple[list[str], StorageFullError]:
    """Open the vault, then fill the disk, then write cases until the vault refuses one."""
    acknowledged: list[str] = []
    with open_vault(root, PASSPHRASE) as vault:
        fill(root.parent, leave=256 * 1024)
        for i in range(10_000):
            ref = f"NL-FULL-{i:05d}"
            try:
                add_case(vault, CaseInput(reference=ref, title="on a full disk", countries=["NL"]))
                acknowledged.append(ref)
                add_note(vault, ref, NOTE)
            except StorageFullError as exc:
                return acknowledged, exc
    raise AssertionError("the disk never filled up")


def assert_all_there(root: Path, acknowledged: list[str]) -> None:
    with open_vault(root, PASSPHRASE) as vault:
        assert check_vault(vault).ok
        with vault.session() as session:
            assert [ref for ref in acknowledged if find_case(session, ref) is None] == []


def assert_one_clear_line(err: str) -> None:
    assert err.startswith("casecoord: ") and err.count("\n") == 1, err
    assert "Traceback" not in err


@pytest.mark.slow
def test_a_full_disk_refuses_the_write_and_loses_nothing(small_disk: Path) -> None:
    root = small_disk / "vault"
    vault, _ = create_vault(root, PASSPHRASE, FAST_TEST_PARAMS)
    vault.close()
    acknowledged, error = write_until_full(root)
    assert "disk is full" in str(error) and "nothing saved before was lost" in str(error)
    assert acknowledged, "some cases should fit before the disk fills up"

    # every verb the officer may try on the full disk answers with one line, never a traceback
    attempts = [
        ("case", "add", "--ref", "NL-FULL-CLI", "--title", "t", "--country", "NL"),
        ("case", "note", acknowledged[0], NOTE),
        ("backup", str(small_disk / "vault.ccbak")),
    ]
    for args in attempts:
        outcome = cli(*args, "--vault", str(root))
        assert outcome.code != 70, outcome.err
        if outcome.code != 0:
            assert_one_clear_line(outcome.err)
    assert not (small_disk / "vault.ccbak").exists() or (small_disk / "vault.ccbak").stat().st_size
    assert not [p for p in small_disk.iterdir() if p.name.startswith(".")], "backup left debris"

    (small_disk / "filler").unlink()
    assert_all_there(root, acknowledged)
    with open_vault(root, PASSPHRASE) as vault:  # and it takes writes again
        add_case(vault, CaseInput(reference="NL-AFTER", title="space again", countries=["NL"]))


@pytest.mark.slow
def test_passwd_on_a_full_disk_keeps_the_old_passphrase(small_disk: Path) -> None:
    root = small_disk / "vault"
    vault, _ = create_vault(root, PASSPHRASE, FAST_TEST_PARAMS)
    vault.close()
    filler = fill(small_disk)
    new = "a brand new passphrase"
    outcome = cli("passwd", "--vault", str(root), stdin=f"{PASSPHRASE}\n{new}\n{new}\n")
    assert outcome.code == 3
    assert_one_clear_line(outcome.err)
    assert "disk is full" in outcome.err
    assert [p.name for p in root.iterdir() if p.name.startswith(".vault.json")] == []
    filler.unlink()
    assert_all_there(root, [])


@pytest.mark.slow
def test_creating_a_vault_on_a_full_disk_is_one_line_and_leaves_nothing(small_disk: Path) -> None:
    root = small_disk / "vault"
    filler = fill(small_disk, leave=64 * 1024)  # room for the folder, not for a database
    with pytest.raises(StorageFullError, match="disk is full"):
        create_vault(root, PASSPHRASE, FAST_TEST_PARAMS)
    assert sorted(p.name for p in root.iterdir()) == []  # no pending database, no key file
    outcome = cli(
        "init", "--vault", str(small_disk / "other"), stdin=f"{PASSPHRASE}\n{PASSPHRASE}\n"
    )
    assert outcome.code not in (0, 70), outcome.err
    assert_one_clear_line(outcome.err)
    assert "disk is full" in outcome.err
    filler.unlink()
    vault, _ = create_vault(root, PASSPHRASE, FAST_TEST_PARAMS)  # the next attempt starts clean
    vault.close()
    assert_all_there(root, [])


def test_creating_a_vault_where_no_folder_can_be_made_names_the_folder(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    root = tmp_path / "a-file" / "vault"
    with pytest.raises(
        CasecoordError, match=f"cannot write the vault folder {root}: Not a directory"
    ):
        create_vault(root, PASSPHRASE, FAST_TEST_PARAMS)
    outcome = cli("init", "--vault", str(root), stdin=f"{PASSPHRASE}\n{PASSPHRASE}\n")
    assert outcome.code not in (0, 70), outcome.err
    assert_one_clear_line(outcome.err)
    assert "Not a directory" in outcome.err


_LIMITED_WRITER = r"""
import resource, signal, sys
from pathlib import Path
from casecoord.domain.errors import CasecoordError
from casecoord.services.cases import CaseInput, add_case, add_note
from casecoord.vault.vault import open_vault
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
limit = int(sys.argv[3])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
vault = open_vault(Path(sys.argv[1]), sys.argv[2])
note = "Intercepted ledger page transcribed in full. " * 90
try:
    for i in range(10_000):
        ref = f"NL-LIMIT-{i:05d}"
        add_case(vault, CaseInput(reference=ref, title="under a file-size limit", countries=["NL"]))
        print(ref, flush=True)
        add_note(vault, ref, note)
except CasecoordError as exc:
    print("ERROR", type(exc).__name__, exc, flush=True)
"""


def test_a_file_size_limit_is_a_clear_error_and_loses_nothing(vault_dir: Path) -> None:
    vault, _ = create_vault(vault_dir, PASSPHRASE, FAST_TEST_PARAMS)
    vault.close()
    size = (vault_dir / "casecoord.db").stat().st_size
    child = subprocess.run(
        [sys.executable, "-c", _LIMITED_WRITER, str(vault_dir), PASSPHRASE, str(size + 256 * 1024)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert child.returncode == 0 and "Traceback" not in child.stderr, child.stderr
    lines = child.stdout.splitlines()
    assert lines[-1].startswith("ERROR "), "the writer should have hit the limit"
    assert issubclass(
        getattr(sys.modules["casecoord.domain.errors"], lines[-1].split()[1]), CasecoordError
    )
    acknowledged = [line for line in lines[:-1] if line.startswith("NL-LIMIT-")]
    assert acknowledged
    assert_all_there(vault_dir, acknowledged)


def test_the_small_disk_helper_really_fills_the_disk(small_disk: Path) -> None:
    """Guard for the tests above: after :func:`fill` not even one more byte fits."""
    filler = fill(small_disk)
    with pytest.raises(OSError) as raised:
        (small_disk / f"probe-{uuid.uuid4().hex}").write_bytes(b"x" * 4096)
    assert raised.value.errno == errno.ENOSPC
    filler.unlink()
    os.sync()
