"""Damaged vault files: a clear VaultError naming the file, never a traceback, never a wrong answer.

Bit rot, a bad USB stick or a half-copied folder can damage ``vault.json`` or ``casecoord.db``.
The officer must be told which file is damaged and what to do (restore a backup, use the recovery
key), instead of a crash. Byte flips and truncations are drawn by Hypothesis over a small vault.
"""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casecoord.domain.errors import VaultError, WrongPassphraseError
from casecoord.services.cases import CaseInput, add_case, add_note, list_cases
from casecoord.services.search import search
from casecoord.vault.backup import check_vault
from casecoord.vault.kdf import FAST_TEST_PARAMS
from casecoord.vault.vault import create_vault, open_vault
from tests.conftest import PASSPHRASE

CORRUPT = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    report_multiple_bugs=False,  # one failure, so the xfail below can match its type
)

damage = st.one_of(
    st.tuples(
        st.just("flip"),
        st.lists(
            st.tuples(st.floats(0, 1, exclude_max=True), st.integers(1, 255)),
            min_size=1,
            max_size=4,
        ),
    ),
    st.tuples(st.just("truncate"), st.floats(0, 1, exclude_max=True)),
)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("corrupt-template") / "vault"
    vault, _ = create_vault(root, PASSPHRASE, FAST_TEST_PARAMS)
    with vault:
        for i in range(40):
            ref = f"NL-2026-{i:04d}"
            add_case(vault, CaseInput(reference=ref, title=f"Op. Reefer {i}", countries=["NL"]))
            add_note(vault, ref, "container seized at the quay " * 20)
    yield root


def damaged_copy(template: Path, into: Path, name: str, how: tuple[object, ...]) -> Path:
    root = into / "vault"
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(template, root)
    target = root / name
    data = bytearray(target.read_bytes())
    if how[0] == "flip":
        for fraction, mask in how[1]:  # type: ignore[attr-defined]
            data[int(fraction * len(data))] ^= mask
    else:
        del data[int(how[1] * len(data)) :]  # type: ignore[operator]
    target.write_bytes(bytes(data))
    return root


def use_everything(root: Path) -> None:
    with open_vault(root, PASSPHRASE) as vault:
        list_cases(vault)
        list_cases(vault, offset=20, limit=50)
        search(vault, "quay")
        check_vault(vault)


@CORRUPT
@given(how=damage)
def test_a_damaged_key_file_is_named(
    template: Path, tmp_path: Path, how: tuple[object, ...]
) -> None:
    root = damaged_copy(template, tmp_path, "vault.json", how)
    try:
        use_everything(root)
    except WrongPassphraseError:
        pass  # a flip inside the salt or nonce fields that the slot checksum also covers
    except VaultError as exc:
        assert "vault.json" in str(exc), str(exc)


@CORRUPT
@given(how=damage)
def test_a_damaged_database_is_named(
    template: Path, tmp_path: Path, how: tuple[object, ...]
) -> None:
    root = damaged_copy(template, tmp_path, "casecoord.db", how)
    try:
        use_everything(root)
    except VaultError as exc:
        assert "casecoord.db" in str(exc), str(exc)


def test_check_reports_a_damaged_page_instead_of_crashing(template: Path, tmp_path: Path) -> None:
    """A flipped bit in a data page fails SQLCipher's per-page HMAC: check must say so."""
    root = damaged_copy(template, tmp_path, "casecoord.db", ("flip", [(0.5, 0x01)]))
    done = subprocess.run(
        [sys.executable, "-m", "casecoord.cli", "check", "--vault", str(root)],
        input=PASSPHRASE + "\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode in (1, 3), done.stderr
    assert "unexpected" not in done.stderr
    with open_vault(root, PASSPHRASE) as vault:
        assert not check_vault(vault).ok


def test_a_flipped_bit_in_the_wrapped_key_says_damaged_not_wrong_passphrase(
    template: Path, tmp_path: Path
) -> None:
    root = tmp_path / "vault"
    shutil.copytree(template, root)
    document = json.loads((root / "vault.json").read_text())
    slot = next(s for s in document["slots"] if s["id"] == "passphrase")
    wrapped = bytearray(base64.b64decode(slot["wrapped_key"]))
    wrapped[0] ^= 0x01
    slot["wrapped_key"] = base64.b64encode(bytes(wrapped)).decode()
    (root / "vault.json").write_text(json.dumps(document))
    with pytest.raises(VaultError, match="vault.json"):
        open_vault(root, PASSPHRASE)
