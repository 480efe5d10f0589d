"""The same hostile values through the real ``casecoord`` program: argv, stdin secrets, exit codes.

Fewer examples than the service fuzzers (each is a process start), aimed at what only the CLI
does: argument parsing, splitting comma lists, reading secrets from stdin lines, and turning an
error into one line on stderr. Never exit 70 ("unexpected"), never a traceback.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from casecoord.services.cases import CaseInput, add_case
from casecoord.vault.kdf import FAST_TEST_PARAMS
from casecoord.vault.vault import create_vault
from tests.conftest import PASSPHRASE
from tests.hostile.conftest import argv_text

CLI_FUZZ = settings(
    max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture(scope="module")
def cli_vault(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("cli-fuzz") / "vault"
    vault, _ = create_vault(root, PASSPHRASE, FAST_TEST_PARAMS)
    with vault:
        add_case(vault, CaseInput(reference="NL-2026-0001", title="target", countries=["NL"]))
    yield root


def casecoord(*args: str, stdin: str = PASSPHRASE + "\n") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "casecoord.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "CASECOORD_KDF_PROFILE": "test"},
    )


def assert_handled(done: subprocess.CompletedProcess[str]) -> None:
    """Success, argparse's usage message, or our one line — nothing else."""
    assert done.returncode != 70, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    if done.returncode == 0:
        return
    if done.returncode == 2 and "usage:" in done.stderr:  # argparse refusing the command line
        return
    # one line, unless the message quotes the officer's own input holding a line break: that
    # case is pinned separately (test_an_error_message_never_carries_control_characters)
    assert done.stderr.startswith("casecoord: "), done.stderr


@CLI_FUZZ
@given(ref=argv_text, title=argv_text, country=argv_text, retention=argv_text)
def test_case_add(cli_vault: Path, ref: str, title: str, country: str, retention: str) -> None:
    assert_handled(
        casecoord(
            "case",
            "add",
            "--vault",
            str(cli_vault),
            f"--ref={ref}",
            f"--title={title}",
            f"--country={country}",
            f"--retention-until={retention}",
        )
    )


@CLI_FUZZ
@given(text=argv_text, words=argv_text)
def test_case_list_filter_and_search(cli_vault: Path, text: str, words: str) -> None:
    assert_handled(casecoord("case", "list", "--vault", str(cli_vault), f"--filter={text}"))
    assert_handled(casecoord("search", "--vault", str(cli_vault), "--", words or "x"))


@CLI_FUZZ
@given(phone=argv_text, zone=argv_text, due=argv_text, within=argv_text)
def test_contact_and_deadline_fields(
    cli_vault: Path, phone: str, zone: str, due: str, within: str
) -> None:
    assert_handled(
        casecoord(
            "contact",
            "add",
            "--vault",
            str(cli_vault),
            "--name=Fiscal",
            "--country=EC",
            f"--phone={phone}",
            f"--tz={zone}",
        )
    )
    assert_handled(
        casecoord(
            "deadline",
            "add",
            "--vault",
            str(cli_vault),
            "--case=NL-2026-0001",
            "--title=t",
            f"--due={due}",
        )
    )
    assert_handled(casecoord("deadlines", "--vault", str(cli_vault), f"--within={within}"))


@CLI_FUZZ
@given(key=argv_text, value=argv_text)
def test_settings(cli_vault: Path, key: str, value: str) -> None:
    assert_handled(casecoord("settings", "--vault", str(cli_vault), "--", key or "k", value))


@CLI_FUZZ
@given(passphrase=argv_text, recovery=argv_text)
def test_secrets_on_stdin(cli_vault: Path, passphrase: str, recovery: str) -> None:
    """Any line as passphrase or recovery key: wrong (exit 2) or refused, and nothing changes."""
    before = (cli_vault / "vault.json").read_bytes()
    lines = passphrase.replace("\r", "").replace("\n", " ")
    assert_handled(casecoord("case", "list", "--vault", str(cli_vault), stdin=lines + "\n"))
    recovered = casecoord(
        "unlock",
        "--recovery-key",
        "--vault",
        str(cli_vault),
        stdin=f"{recovery.splitlines()[0] if recovery.strip() else ''}\n{lines}\n{lines}\n",
    )
    assert_handled(recovered)
    assert recovered.returncode != 0  # a random string is never this vault's recovery key
    assert (cli_vault / "vault.json").read_bytes() == before


def test_an_error_message_never_carries_control_characters(cli_vault: Path) -> None:
    done = casecoord("settings", "--vault", str(cli_vault), "--", "x\n\x1b[2Jcleared", "v")
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "\x1b" not in done.stderr, repr(done.stderr)
