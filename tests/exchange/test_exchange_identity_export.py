"""Keys and contacts leaving the vault on purpose: ``identity export`` and ``contact export``.

The PKCS#12 file is read back by OpenSSL; the vCard by ``vobject`` (an independent parser) and
by casecoord's own import. Secrets only ever come on standard input.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

import vobject
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12

from casecoord.services.vcard import parse_vcf
from tests.cli.conftest import Run, run
from tests.conftest import PASSPHRASE
from tests.exchange.standards import openssl

__all__ = ["run"]
PASSWORD = "a long export password"


def _vault_with_identity(run: Run, root: Path) -> list[str]:
    assert run("init", "--vault", str(root)).code == 0
    made = run(
        "identity", "new", "--vault", str(root), "--name", "Ayşe Yılmaz", "--org", "Politie",
        "--country", "NL",
    )  # fmt: skip
    assert made.code == 0, made.err
    return ["--vault", str(root)]


def _certs(run: Run, vault: list[str]) -> list[x509.Certificate]:
    return x509.load_pem_x509_certificates(run("identity", "show", *vault, "--pem").out.encode())


def test_identity_export_writes_a_private_p12_that_openssl_opens(run: Run, tmp_path: Path) -> None:
    vault = _vault_with_identity(run, tmp_path / "v")
    signing_cert, encryption_cert = _certs(run, vault)
    target = tmp_path / "my-enc.p12"
    done = run("identity", "export", *vault, str(target), stdin=f"{PASSPHRASE}\n{PASSWORD}\n")
    assert done.code == 0, done.err
    assert target.stat().st_mode & 0o777 == 0o600
    loaded = pkcs12.load_pkcs12(target.read_bytes(), PASSWORD.encode())
    assert isinstance(loaded.key, rsa.RSAPrivateKey)
    assert loaded.cert is not None and loaded.cert.certificate == encryption_cert
    printed = openssl(
        "pkcs12", "-in", str(target), "-passin", f"pass:{PASSWORD}", "-nokeys", "-clcerts"
    )
    assert printed.returncode == 0, printed.stderr
    assert x509.load_pem_x509_certificate(printed.stdout) == encryption_cert

    before = target.read_bytes()
    again = run("identity", "export", *vault, str(target), stdin=f"{PASSPHRASE}\n{PASSWORD}\n")
    assert again.code == 1 and "already exists" in again.err and "--force" in again.err
    assert target.read_bytes() == before
    signing = run(
        "identity", "export", *vault, str(target), "--key", "signing", "--force",
        stdin=f"{PASSPHRASE}\n{PASSWORD}\n",
    )  # fmt: skip
    assert signing.code == 0, signing.err
    loaded = pkcs12.load_pkcs12(target.read_bytes(), PASSWORD.encode())
    assert isinstance(loaded.key, ec.EllipticCurvePrivateKey)
    assert loaded.cert is not None and loaded.cert.certificate == signing_cert


def test_identity_export_refuses_a_short_password_and_a_password_in_argv(
    run: Run, tmp_path: Path
) -> None:
    vault = _vault_with_identity(run, tmp_path / "v")
    target = tmp_path / "x.p12"
    short = run("identity", "export", *vault, str(target), stdin=f"{PASSPHRASE}\nshort\n")
    assert short.code == 1 and "at least 8 characters" in short.err
    assert not target.exists()
    argv = run("identity", "export", *vault, str(target), "--password", PASSWORD)
    assert argv.code == 2 and not target.exists()
    wrong = run("identity", "export", *vault, str(target), stdin=f"wrong passphrase\n{PASSWORD}\n")
    assert wrong.code != 0 and not target.exists()
    assert "Traceback" not in short.err + wrong.err


def test_contact_export_carries_stored_name_parts_and_both_certificates(
    run: Run, tmp_path: Path
) -> None:
    vault = _vault_with_identity(run, tmp_path / "v")
    peer = _vault_with_identity(run, tmp_path / "peer")
    pem = tmp_path / "peer.pem"
    pem.write_text(run("identity", "show", *peer, "--pem").out)
    signing_cert, encryption_cert = _certs(run, peer)
    people = [
        ("villamizar", "Ana Villamizar Muñoz", "Villamizar Muñoz", "Ana", "CO"),
        ("devries", "Jan de Vries", "de Vries", "Jan", "NL"),
    ]
    for handle, name, family, given, country in people:
        added = run(
            "contact", "add", *vault, "--handle", handle, "--name", name, "--family-name",
            family, "--given-names", given, "--country", country,
        )  # fmt: skip
        assert added.code == 0, added.err
    legacy = run("contact", "add", *vault, "--handle", "old", "--name", "Ana María Pérez Gómez",
                 "--country", "CO")  # fmt: skip
    assert legacy.code == 0, legacy.err
    assert run("contact", "pin", *vault, "villamizar", str(pem)).code == 0

    target = tmp_path / "one.vcf"
    done = run("contact", "export", *vault, "--handle", "villamizar", str(target))
    assert done.code == 0, done.err
    card = vobject.readOne(target.read_text("utf-8"))
    assert card.fn.value == "Ana Villamizar Muñoz"
    assert (card.n.value.family, card.n.value.given) == ("Villamizar Muñoz", "Ana")
    keys = card.contents["key"]
    assert len(keys) == 2
    assert [k.params["X-CASECOORD-PURPOSE"] for k in keys] == [["signing"], ["encryption"]]
    # vobject reads a vCard 4.0 data: URI only up to its comma, so the values are taken from the
    # unfolded text (RFC 6350 3.2: CRLF followed by one space is removed)
    unfolded = target.read_bytes().decode("utf-8").replace("\r\n ", "")
    values = re.findall(r"^KEY;[^:]*:data:application/pkix-cert;base64,(\S+)\r$", unfolded, re.M)
    ders = [base64.b64decode(v) for v in values]
    assert [x509.load_der_x509_certificate(d) for d in ders] == [signing_cert, encryption_cert]

    again = run("contact", "export", *vault, "--handle", "villamizar", str(target))
    assert again.code == 1 and "already exists" in again.err
    everyone = tmp_path / "all.vcf"
    assert run("contact", "export", *vault, str(everyone)).code == 0
    cards = {c.uid.value: c for c in vobject.readComponents(everyone.read_text("utf-8"))}
    assert len(cards) == 3
    by_fn = {c.fn.value: c for c in cards.values()}
    assert (by_fn["Jan de Vries"].n.value.family, by_fn["Jan de Vries"].n.value.given) == (
        "de Vries",
        "Jan",
    )
    old = by_fn["Ana María Pérez Gómez"]  # no parts recorded: nothing guessed
    assert (old.n.value.family, old.n.value.given) == ("", "")
    parsed = {c.contact.handle: c for c in parse_vcf(everyone.read_text("utf-8"))}
    assert parsed["devries"].contact.family_name == "de Vries"
    assert parsed["villamizar"].contact.given_names == "Ana"
    assert parsed["villamizar"].certificate_fingerprint is not None
