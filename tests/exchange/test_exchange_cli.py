"""The exchange verbs from the shell: identity, pin, export, verify, import (secrets on stdin)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from tests.cli.conftest import Run, cli_vault, run
from tests.conftest import PASSPHRASE

__all__ = ["cli_vault", "run"]


def _init(run: Run, root: Path) -> list[str]:
    assert run("init", "--vault", str(root)).code == 0
    return ["--vault", str(root)]


def _fingerprint_line(text: str) -> str:
    line = next(x for x in text.splitlines() if x.startswith("signing SHA-256"))
    return line.split()[-1]


def test_export_verify_import_from_the_shell(run: Run, tmp_path: Path) -> None:
    a = _init(run, tmp_path / "a")
    b = _init(run, tmp_path / "b")
    made = run(
        "identity", "new", *a, "--name", "Ayşe Yılmaz", "--org", "Politie", "--country", "NL"
    )
    assert made.code == 0, made.err
    again = run("identity", "new", *a, "--name", "X", "--org", "Y", "--country", "NL")
    assert again.code == 1 and "--replace" in again.err
    assert run("identity", "new", *b, "--name", "C R", "--org", "FGN", "--country", "CO").code == 0
    fp_a = _fingerprint_line(run("identity", "show", *a).out)
    pem_a = tmp_path / "a.pem"
    pem_a.write_text(run("identity", "show", *a, "--pem").out)
    assert pem_a.read_text().count("BEGIN CERTIFICATE") == 2

    run("contact", "add", *b, "--name", "Ayse Yilmaz", "--country", "NL", "--handle", "yilmaz")
    pinned = run("contact", "pin", *b, "yilmaz", str(pem_a))
    assert pinned.code == 0, pinned.err
    assert fp_a in pinned.out

    run(
        "case",
        "add",
        *a,
        "--ref",
        "NL-C-1",
        "--title",
        "Operation Banano",
        "--country",
        "NL,CO",
        "--offence",
        "illicit-trafficking-narcotic-drugs",
    )
    added = run(
        "request",
        "add",
        *a,
        "--ref",
        "NL-MLA-1",
        "--case",
        "NL-C-1",
        "--kind",
        "mla",
        "--from",
        "NL",
        "--to",
        "CO",
        "--facts",
        "Cocaine in banana containers.",
        "--qualification",
        "Art. 10a Opiumwet",
        "--measure",
        "Bank records",
    )
    assert added.code == 0, added.err
    evidence = tmp_path / "photo.jpg"
    evidence.write_bytes(b"\xff\xd8" + bytes(range(256)) * 400)
    assert run("attachment", "add", "NL-C-1", str(evidence), *a, "--request", "NL-MLA-1").code == 0

    bundle = tmp_path / "NL-MLA-1.asice"
    exported = run("export", "NL-MLA-1", "-o", str(bundle), *a)
    assert exported.code == 0, exported.err
    assert "keeps its status" in exported.out

    verified = run("verify", str(bundle), *b)
    assert verified.code == 0, verified.out + verified.err
    assert "trusted signer: Ayse Yilmaz" in verified.out and verified.out.rstrip().endswith(
        "VERIFIED"
    )
    as_json = run("verify", str(bundle), *b, "--json")
    assert as_json.code == 0 and json.loads(as_json.out)["trusted"] is True
    (signature,) = json.loads(as_json.out)["signatures"]
    assert (signature["file"], signature["profile"]) == ("META-INF/signature.p7s", "CAdES-B-B")
    own = run("verify", str(bundle), *a)
    assert own.code == 0 and "signed by you: this vault's own identity" in own.out, own.out

    imported = run("import", str(bundle), *b)
    assert imported.code == 0, imported.err
    assert "Imported as incoming request NL-MLA-1" in imported.out
    twice = run("import", str(bundle), *b)
    assert twice.code == 0 and "nothing was changed" in twice.out
    listed = run("request", "list", *b, "--json").json()
    assert [(r["reference"], r["direction"], r["status"]) for r in listed] == [
        ("NL-MLA-1", "incoming", "received")
    ]


def test_unknown_signer_exits_non_zero_with_the_way_out(run: Run, tmp_path: Path) -> None:
    a = _init(run, tmp_path / "a")
    c = _init(run, tmp_path / "c")
    run("identity", "new", *a, "--name", "Ayşe Yılmaz", "--org", "Politie", "--country", "NL")
    run(
        "case",
        "add",
        *a,
        "--ref",
        "NL-C-1",
        "--title",
        "t",
        "--country",
        "NL,CO",
        "--offence",
        "illicit-trafficking-narcotic-drugs",
    )
    run(
        "request",
        "add",
        *a,
        "--ref",
        "NL-MLA-1",
        "--case",
        "NL-C-1",
        "--kind",
        "mla",
        "--from",
        "NL",
        "--to",
        "CO",
        "--facts",
        "f",
        "--qualification",
        "q",
        "--measure",
        "m",
    )
    bundle = tmp_path / "b.asice"
    assert run("export", "NL-MLA-1", "-o", str(bundle), *a).code == 0
    fp = _fingerprint_line(run("identity", "show", *a).out)
    checked = run("verify", str(bundle), *c)
    assert checked.code != 0
    assert f"unknown signer, fingerprint {fp}" in checked.out
    assert "casecoord contact pin" in checked.out and "--accept-fingerprint" in checked.out
    refused = run("import", str(bundle), *c)
    assert refused.code == 1 and "--accept-fingerprint" in refused.err
    accepted = run("import", str(bundle), *c, "--accept-fingerprint", fp)
    assert accepted.code == 0, accepted.err


def test_identity_import_takes_the_p12_password_as_the_second_secret(
    run: Run, tmp_path: Path
) -> None:
    root = _init(run, tmp_path / "v")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, "Juan Pérez"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Fiscalía"),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CO"),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    p12 = tmp_path / "officer.p12"
    p12.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"officer", key, cert, None, serialization.BestAvailableEncryption(b"p12-secret")
        )
    )
    wrong = run("identity", "import", str(p12), *root, stdin=f"{PASSPHRASE}\nnope\n")
    assert wrong.code == 1 and "wrong password" in wrong.err
    done = run("identity", "import", str(p12), *root, stdin=f"{PASSPHRASE}\np12-secret\n")
    assert done.code == 0, done.err
    assert "Juan Pérez" in run("identity", "show", *root).out
    assert "p12-secret" not in done.out + done.err
