"""README's "Checking a bundle without casecoord" runs as written, on the system's OpenSSL.

The shell blocks are read out of README.md (so the recipe and this test cannot drift apart) and
executed by bash in a folder holding what the counterpart holds: the bundle, the sender's
certificate, the encrypted bundle, the receipt. Only the secrets OpenSSL and casecoord ask for
are typed in, on standard input, as an officer would at the prompts.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from casecoord.services import requests
from casecoord.services.exchange import export_bundle, import_bundle
from casecoord.services.identity_store import show_identity
from casecoord.services.receipts import make_receipt
from tests.conftest import PASSPHRASE
from tests.exchange.conftest import REQUEST_REF, Officers

README = Path(__file__).resolve().parents[2] / "README.md"
SECTION = "### Checking a bundle without casecoord"
P12_PASSWORD = "correct horse battery"
BASH = shutil.which("bash") or "/bin/bash"

pytestmark = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("openssl", "unzip", "sha256sum", "base64")),
    reason="the recipe needs openssl, unzip, sha256sum and base64",
)


def recipe_blocks() -> list[str]:
    """The ```sh blocks of README's section on checking bundles without casecoord, in order."""
    text = README.read_text(encoding="utf-8")
    start = text.index(SECTION)
    end = text.find("\n## ", start)
    section = text[start : end if end != -1 else len(text)]
    return re.findall(r"^```sh[ \t]*\n(.*?)^```", section, flags=re.MULTILINE | re.DOTALL)


def _bash(script: str, cwd: Path, stdin: str = "", env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [BASH, "-e", "-o", "pipefail", "-c", script],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, f"{script}\n--- stdout\n{done.stdout}\n--- stderr\n{done.stderr}"
    return done.stdout


def test_the_readme_has_the_three_recipes() -> None:
    verify, decrypt, receipt = recipe_blocks()
    assert "openssl cms -verify" in verify and "pkcs7 -print_certs" in verify
    assert "casecoord identity export" in decrypt and "openssl cms -decrypt" in decrypt
    assert "receipt.json" in receipt


def test_verifying_a_bundle_as_the_readme_says(officers: Officers, tmp_path: Path) -> None:
    verify, _, _ = recipe_blocks()
    export_bundle(officers.a, REQUEST_REF, tmp_path / "bundle.asice")
    pem = show_identity(officers.a).public_pem
    (tmp_path / "sender.pem").write_text(pem.split("-----END CERTIFICATE-----")[0] + "-----END "
                                         "CERTIFICATE-----\n")  # fmt: skip
    out = _bash(verify, tmp_path)
    assert f"Fingerprint={show_identity(officers.a).fingerprint}" in out
    unpacked = tmp_path / "bundle"
    for name in ("request.json", "request.pdf", "attachments/ledger.csv"):
        data = (unpacked / name).read_bytes()
        assert f"{hashlib.sha256(data).hexdigest()}  {name}" in out
    assert out.count("<ds:DigestValue>") == 4


def test_opening_an_encrypted_bundle_as_the_readme_says(officers: Officers, tmp_path: Path) -> None:
    _, decrypt, _ = recipe_blocks()
    result = export_bundle(officers.a, REQUEST_REF, tmp_path / "bundle.p7m", encrypt_for="restrepo")
    env = {
        "CASECOORD_VAULT": str(officers.b_dir),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    commands = [c for c in decrypt.splitlines() if c.strip() and not c.startswith("#")]
    assert len(commands) == 2
    for command in commands:  # one process each: each asks its own secrets on stdin
        if command.startswith("casecoord"):  # vault passphrase, then the new .p12 password
            secrets = f"{PASSPHRASE}\n{P12_PASSWORD}\n"
        else:  # OpenSSL asks for the .p12 password
            secrets = f"{P12_PASSWORD}\n"
        _bash(command, tmp_path, stdin=secrets, env=env)
    p12 = tmp_path / "my-enc.p12"
    assert p12.stat().st_mode & 0o777 == 0o600
    opened = (tmp_path / "bundle.asice").read_bytes()
    assert hashlib.sha256(opened).hexdigest() == result.container_sha256
    with zipfile.ZipFile(tmp_path / "bundle.asice") as zf:
        assert zf.namelist()[0] == "mimetype"


def test_checking_a_receipt_as_the_readme_says(officers: Officers, tmp_path: Path) -> None:
    _, _, receipt_recipe = recipe_blocks()
    requests.change_request_status(officers.a, REQUEST_REF, "ready")
    bundle = tmp_path / "sent.asice"
    export_bundle(officers.a, REQUEST_REF, bundle, mark_sent=True)
    make_receipt(officers.b, import_bundle(officers.b, bundle), tmp_path / "bundle.receipt")
    (tmp_path / "counterpart.pem").write_text(
        show_identity(officers.b).public_pem.split("-----END CERTIFICATE-----")[0]
        + "-----END CERTIFICATE-----\n"
    )
    _bash(receipt_recipe, tmp_path)
    assert (tmp_path / "receipt" / "receipt.json").is_file()
