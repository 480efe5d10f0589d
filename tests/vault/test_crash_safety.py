"""SIGKILL at random moments while a child process writes: nothing acknowledged is ever lost."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from casecoord.services.cases import find_case
from casecoord.vault.backup import check_vault
from casecoord.vault.kdf import FAST_TEST_PARAMS
from casecoord.vault.vault import create_vault, open_vault
from tests.conftest import PASSPHRASE

WRITER = r"""
import sys
from pathlib import Path
from casecoord.services.cases import CaseInput, add_case, add_note
from casecoord.vault.vault import open_vault
vault = open_vault(Path(sys.argv[1]), sys.argv[2])
round_no = sys.argv[3]
i = 0
while True:
    ref = f"K{round_no}-{i:05d}"
    add_case(vault, CaseInput(reference=ref, title="crash test " + "x" * 150, countries=["NL"]))
    add_note(vault, ref, "note " * 100)
    print(ref, flush=True)  # printed only after both commits returned
    i += 1
"""


def test_sigkill_during_writes_loses_nothing_acknowledged(vault_dir: Path) -> None:
    created, _ = create_vault(vault_dir, PASSPHRASE, FAST_TEST_PARAMS)
    created.close()
    rng = random.Random(20261123)
    acknowledged: list[str] = []
    for round_no in range(20):
        child = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(vault_dir), PASSPHRASE, str(round_no)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert child.stdout is not None
        first = child.stdout.readline().strip()  # wait until it is really writing
        assert first, "the writer must acknowledge at least one case before the kill"
        time.sleep(rng.uniform(0.0, 0.3))
        child.send_signal(signal.SIGKILL)
        rest = child.stdout.read()
        child.wait()
        acknowledged.append(first)
        acknowledged.extend(line.strip() for line in rest.splitlines() if line.strip())

        vault = open_vault(vault_dir, PASSPHRASE)
        try:
            report = check_vault(vault)
            assert report.ok, report.describe()
            with vault.session() as session:
                missing = [ref for ref in acknowledged if find_case(session, ref) is None]
            assert missing == []
        finally:
            vault.close()
    assert len(acknowledged) >= 20
