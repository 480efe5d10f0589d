"""Two casecoord processes writing to one vault at once: every acknowledged case is kept, the
database and audit chain check out, and a writer that cannot get in says "busy" — never
corruption, never a traceback.

SQLite's WAL lets readers run beside one writer; writers take the write lock up front
(``BEGIN IMMEDIATE``) and wait up to the busy timeout, so interleaved writers should simply queue.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from casecoord.services.cases import find_case
from casecoord.vault.backup import check_vault
from casecoord.vault.kdf import FAST_TEST_PARAMS
from casecoord.vault.vault import create_vault, open_vault
from tests.conftest import PASSPHRASE

WRITER = r"""
import sys
from pathlib import Path
from casecoord.domain.errors import CasecoordError
from casecoord.services.cases import CaseInput, add_case, add_note
from casecoord.vault.vault import open_vault
vault = open_vault(Path(sys.argv[1]), sys.argv[2])
name, count = sys.argv[3], int(sys.argv[4])
for i in range(count):
    ref = f"{name}-{i:04d}"
    try:
        add_case(vault, CaseInput(reference=ref, title=f"written by {name}", countries=["NL"]))
        print("OK", ref, flush=True)
        add_note(vault, ref, f"note from {name} " * 40)
    except CasecoordError as exc:
        print("REFUSED", ref, exc, flush=True)
vault.close()
"""

CLI_WRITER = r"""
import subprocess, sys
vault, passphrase, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
for i in range(count):
    ref = f"CLI-{i:04d}"
    done = subprocess.run(
        [sys.executable, "-m", "casecoord.cli", "case", "add", "--vault", vault, "--ref", ref,
         "--title", "written by the CLI", "--country", "CO"],
        input=passphrase + "\n", capture_output=True, text=True,
    )
    if done.returncode == 0:
        print("OK", ref, flush=True)
    else:
        print("REFUSED", ref, done.returncode, done.stderr.strip().replace("\n", " | "), flush=True)
"""


@pytest.mark.slow
def test_two_writers_at_once_keep_every_acknowledged_case(vault_dir: Path) -> None:
    created, _ = create_vault(vault_dir, PASSPHRASE, FAST_TEST_PARAMS)
    created.close()
    children = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(vault_dir), PASSPHRASE, name, "150"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("ALPHA", "BRAVO")
    ]
    children.append(
        subprocess.Popen(
            [sys.executable, "-c", CLI_WRITER, str(vault_dir), PASSPHRASE, "8"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
    )
    lines: list[str] = []
    for child in children:
        out, err = child.communicate(timeout=300)
        assert child.returncode == 0 and "Traceback" not in err, err
        lines += out.splitlines()

    acknowledged = [line.split()[1] for line in lines if line.startswith("OK ")]
    refused = [line for line in lines if line.startswith("REFUSED ")]
    assert all("busy" in line for line in refused), refused
    assert len(acknowledged) + len(refused) == 2 * 150 + 8
    assert len(acknowledged) > 150, "queued writers should mostly succeed, not be refused"

    with open_vault(vault_dir, PASSPHRASE) as vault:
        report = check_vault(vault)
        assert report.ok, report.describe()
        with vault.session() as session:
            assert [ref for ref in acknowledged if find_case(session, ref) is None] == []
