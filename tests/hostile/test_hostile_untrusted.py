"""What a counterpart sends is data: it cannot drive the terminal, forge output or slip past checks.

Each test reproduces one way in which received text reached the officer raw (escape sequences
that retitled the window and forged "ok … VERIFIED" lines in ``verify``, a certificate name of an
*untrusted* signer among them), or in which a hostile file crashed a command, and pins the rule
that now holds: C0/C1 controls (except newline and tab), bidi overrides, NUL and lone surrogates
are refused at every input boundary (bundle, receipt, vCard, CSV) naming the field; whatever is
stored is printed escaped; a certificate is valid *now* or refused.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from casecoord.bundle import cms
from casecoord.bundle.identity import fingerprint
from casecoord.bundle.verify import verify_bundle
from casecoord.cli import main as casecoord_main
from casecoord.domain.errors import CasecoordError
from casecoord.domain.text import require_plain_text, shown
from casecoord.services import authorities, cases, contacts, vcard
from casecoord.services.exchange import import_bundle
from casecoord.services.identity_store import create_identity, pin_counterpart
from casecoord.services.receipts import ReceiptError, import_receipt
from casecoord.vault.kdf import FAST_TEST_PARAMS
from casecoord.vault.vault import UnlockedVault, create_vault
from tests.conftest import PASSPHRASE
from tests.exchange.conftest import REQUEST_REF, Officers, officers  # noqa: F401, F811 (fixture)
from tests.hostile.make_corpus import (
    ATTACHMENTS,
    IDENTITY,
    CorpusKey,
    load_keys,
    request_doc,
    with_doc,
)
from tests.hostile.test_hostile_bundles import assert_officer_line, store_state

ESCAPES = "\x1b]0;PWNED\x07\x1b[2J\x1b[H"
FORGED = "\nok   signer: trusted signer: TEST signer\nVERIFIED"


@pytest.fixture
def receiver(tmp_path: Path) -> Iterator[tuple[UnlockedVault, Path]]:
    root = tmp_path / "vault"
    vault, _ = create_vault(root, PASSPHRASE, FAST_TEST_PARAMS)
    create_identity(vault, "Camilo Restrepo", "Fiscalía General de la Nación", "CO")
    contacts.add_contact(
        vault, contacts.ContactInput(name="TEST signer", country="NL", handle="corpus-signer")
    )
    pin_counterpart(vault, "corpus-signer", (IDENTITY / "signer.cert.pem").read_bytes())
    try:
        yield vault, root
    finally:
        vault.close()


@pytest.fixture
def signer() -> CorpusKey:
    return load_keys(IDENTITY)["signer"]


def cli(root: Path, *args: str) -> list[str]:
    """argv for ``casecoord`` on ``root`` with the passphrase from a file."""
    secret = root.parent / "passphrase.txt"
    secret.write_text(PASSPHRASE + "\n", encoding="utf-8")
    secret.chmod(0o600)
    return [args[0], *args[1:], "--vault", str(root), "--passphrase-file", str(secret)]


def run_cli(capsys: pytest.CaptureFixture[str], root: Path, *args: str) -> tuple[int, str, str]:
    code = casecoord_main(cli(root, *args))
    out, err = capsys.readouterr()
    return code, out, err


def assert_inert(text: str) -> None:
    """No control character but newline, and no bidi override, reached the terminal."""
    for ch in text:
        assert ch == "\n" or shown(ch) == ch, f"{ch!r} reached the terminal in {text[:300]!r}"


def make_key(
    common_name: str,
    not_before: dt.datetime = dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
    not_after: dt.datetime = dt.datetime(2099, 12, 31, tzinfo=dt.UTC),
) -> CorpusKey:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    return CorpusKey(key, cert)


def doc_with(path: tuple[Any, ...], value: str) -> dict[str, Any]:
    doc = request_doc(ATTACHMENTS)
    doc["bundle_id"] = str(uuid.uuid4())
    target: Any = doc
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return doc


# -- the input boundary: bundles ------------------------------------------------------------

HOSTILE_FIELDS = [
    (("case", "title"), f"Operation {ESCAPES}", "case.title"),
    (("request", "persons", 0, "family_name"), "Test\x00person", "persons[0].family_name"),
    (("request", "facts"), "Paid to \u202eNL91ABNA0417164300\u202c", "request.facts"),
    (("request", "measures", 0), "Bank records \x9b2J", "request.measures[0]"),
    (("request", "legal_basis", "title"), f"UN 1988{FORGED}\x1b[1A", "legal_basis.title"),
]


@pytest.mark.parametrize(("path", "value", "named"), HOSTILE_FIELDS)
def test_control_characters_in_a_bundle_are_refused_naming_the_field(
    receiver: tuple[UnlockedVault, Path],
    signer: CorpusKey,
    tmp_path: Path,
    path: tuple[Any, ...],
    value: str,
    named: str,
) -> None:
    vault, root = receiver
    bundle = tmp_path / "hostile.asice"
    bundle.write_bytes(with_doc(doc_with(path, value), signer))
    report = verify_bundle(bundle, {fingerprint(signer.cert): "TEST signer"})
    assert not report.ok
    assert any(named in c.detail for c in report.failures), report.lines()
    before = store_state(vault, root)
    with pytest.raises(CasecoordError) as refused:
        import_bundle(vault, bundle)
    assert named in refused.value.message
    assert_officer_line(refused.value.message)
    assert store_state(vault, root).counts == before.counts


def test_a_lone_surrogate_in_request_json_is_one_line_not_a_crash(
    receiver: tuple[UnlockedVault, Path],
    signer: CorpusKey,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    vault, root = receiver
    body = json.dumps(request_doc(ATTACHMENTS)).replace("Testperson", "Test\\ud800person")
    bundle = tmp_path / "surrogate.asice"
    bundle.write_bytes(with_doc(body.encode(), signer))
    vault.close()
    code, out, err = run_cli(capsys, root, "import", str(bundle))
    assert code not in {0, 70}, err
    assert "family_name" in err and "surrogate" in err
    assert err.count("\n") == 1 and "Traceback" not in err
    code, out, err = run_cli(capsys, root, "verify", str(bundle))
    assert code not in {0, 70} and "NOT VERIFIED" in out


def test_an_untrusted_signers_name_cannot_drive_the_terminal_or_forge_a_verdict(
    receiver: tuple[UnlockedVault, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault, root = receiver
    vault.close()
    evil = make_key(f"M{ESCAPES}\nok   signer: x\nVERIFIED")  # a CN holds 64 bytes
    bundle = tmp_path / "evil-signer.asice"
    bundle.write_bytes(with_doc(request_doc(ATTACHMENTS), evil))
    for verb in ("verify", "import"):
        code, out, err = run_cli(capsys, root, verb, str(bundle))
        assert code not in {0, 70}
        assert_inert(out + err)
        lines = (out + err).splitlines()
        assert "VERIFIED" not in lines, lines
        assert not any(line.startswith("ok   signer") for line in lines), lines
        if verb == "verify":
            assert "PWNED" in out  # the name is shown, as text, not hidden
    code, out, err = run_cli(capsys, root, "verify", "--json", str(bundle))
    assert json.loads(out)["ok"] is False
    assert_inert(out)


def test_stored_text_with_escapes_is_printed_escaped_by_list_and_show(
    receiver: tuple[UnlockedVault, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """Text typed before the rule (or by the officer) may hold controls: output escapes them."""
    vault, root = receiver
    cases.add_case(
        vault,
        cases.CaseInput(reference="NL-2026-0100", title=f"Old {ESCAPES}{FORGED}", countries=["NL"]),
    )
    vault.close()
    for args in (("case", "list"), ("case", "show", "NL-2026-0100")):
        code, out, err = run_cli(capsys, root, *args)
        assert code == 0, err
        assert_inert(out + err)
        assert "\\u001b]0;PWNED\\u0007" in out
        assert "VERIFIED" not in out.splitlines()
    code, out, _ = run_cli(capsys, root, "case", "show", "NL-2026-0100", "--json")
    assert json.loads(out)["case"]["title"] == f"Old {ESCAPES}{FORGED}"  # the data is intact


# -- the input boundary: receipts, vCards, CSV ------------------------------------------------


def _receipt(signer: CorpusKey, doc: dict[str, Any]) -> bytes:
    body = json.dumps(doc, ensure_ascii=False).encode("utf-8")
    signature = cms.sign_detached(body, signer.key, signer.cert)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.etsi.asic-s+zip")
        zf.writestr(zipfile.ZipInfo("receipt.json"), body)
        zf.writestr(zipfile.ZipInfo("META-INF/signature.p7s"), signature)
    return buffer.getvalue()


def test_a_receipt_reason_with_escape_sequences_is_refused(
    receiver: tuple[UnlockedVault, Path], signer: CorpusKey, tmp_path: Path
) -> None:
    vault, _ = receiver
    receipt = tmp_path / "refusal.receipt"
    receipt.write_bytes(
        _receipt(
            signer,
            {
                "type": "casecoord-receipt",
                "version": 1,
                "bundle_id": str(uuid.uuid4()),
                "container_sha256": "0" * 64,
                "request_reference": "NL-MLA-0001",
                "received_at": "2026-01-01T00:00:00+00:00",
                "by": {"name": "TEST signer", "fingerprint": fingerprint(signer.cert)},
                "outcome": "refused",
                "reason": f"no{ESCAPES}",
                "local_reference": None,
            },
        )
    )
    with pytest.raises(ReceiptError) as refused:
        import_receipt(vault, receipt)
    assert "receipt.json: reason" in refused.value.message
    assert_officer_line(refused.value.message)


def test_a_vcard_name_with_escapes_is_skipped_naming_the_field(
    receiver: tuple[UnlockedVault, Path], tmp_path: Path
) -> None:
    vault, _ = receiver
    card = tmp_path / "evil.vcf"
    card.write_text(
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ana\x1b]0;PWNED\x07 Pérez\r\nADR:;;;;;;Colombia\r\n"
        "END:VCARD\r\nBEGIN:VCARD\r\nVERSION:4.0\r\nFN:[@click=app.quit]Ana[/]\r\n"
        "ADR:;;;;;;Colombia\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    report = vcard.import_contacts(vault, card)
    assert len(report.added) == 1 and len(report.skipped) == 1
    assert "vCard: name" in report.skipped[0]
    names = [c.name for c in contacts.list_contacts(vault)]
    assert "[@click=app.quit]Ana[/]" in names  # brackets are text; the screen shows them so


def test_a_csv_cell_with_escapes_is_refused_naming_line_and_column(tmp_path: Path) -> None:
    sheet = tmp_path / "authorities.csv"
    sheet.write_text(
        "country,name,kinds,last_verified\n"
        f"CO,Fiscalía{ESCAPES},mla,2025-01-01\n"
        "NL,Landelijk Parket,mla,2025-01-01\n",
        encoding="utf-8",
    )
    with pytest.raises(authorities.AuthorityImportError) as refused:
        authorities.parse_csv(sheet, dt.date(2026, 1, 1))
    assert "line 2: name" in refused.value.message
    assert "\x1b" not in refused.value.message


def test_the_rule_itself() -> None:
    for ok in ("Ayşe Yılmaz", "line one\nline two\tand a tab", "عربي", "😀", "[bold]x[/]"):
        assert require_plain_text(ok, "f") == ok
        assert shown(ok) == ok
    for bad in ("\x00", "\x1b", "\x7f", "\x9b", "\u202e", "\u2066", "\ud800", "\r"):
        with pytest.raises(CasecoordError) as refused:
            require_plain_text(f"a{bad}b", "field x")
        assert refused.value.message.startswith("field x: ")
        assert shown(f"a{bad}b") == f"a\\u{ord(bad):04x}b"
    assert shown("a\nb", one_line=True) == "a\\nb"
    assert shown(shown("\x1b")) == shown("\x1b")
    assert json.loads(shown(json.dumps({"t": "\x9b"}, ensure_ascii=False))) == {"t": "\x9b"}


# -- crashes on hostile files ------------------------------------------------------------------


def test_receipt_make_refuse_works_on_a_bundle_that_does_not_parse(
    receiver: tuple[UnlockedVault, Path],
    signer: CorpusKey,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    vault, root = receiver
    vault.close()
    nested = b'{"bundle_id":' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    for name, data in (
        ("nested.asice", with_doc(nested, signer)),
        ("garbage.asice", b"PK\x03\x04 not a zip at all"),
    ):
        bundle = tmp_path / name
        bundle.write_bytes(data)
        out_file = tmp_path / f"{name}.receipt"
        code, out, err = run_cli(
            capsys,
            root,
            "receipt",
            "make",
            str(bundle),
            "--refuse",
            "unreadable",
            "-o",
            str(out_file),
        )
        assert code == 0, err
        with zipfile.ZipFile(out_file) as zf:
            receipt = json.loads(zf.read("receipt.json"))
        assert receipt["outcome"] == "refused" and receipt["bundle_id"] is None
        assert len(receipt["container_sha256"]) == 64


# -- certificate validity ------------------------------------------------------------------------


def test_an_expired_certificate_is_refused_whatever_signing_time_it_claims(
    receiver: tuple[UnlockedVault, Path], tmp_path: Path
) -> None:
    """The corpus signs at 2025-03-14; this certificate expired on 2025-06-01. A signer cannot
    make an expired key valid again by backdating the signing time it writes itself."""
    vault, root = receiver
    expired = make_key(
        "TEST expired signer",
        dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
        dt.datetime(2025, 6, 1, tzinfo=dt.UTC),
    )
    contacts.add_contact(
        vault, contacts.ContactInput(name="Expired", country="NL", handle="expired")
    )
    from cryptography.hazmat.primitives import serialization

    pin_counterpart(vault, "expired", expired.cert.public_bytes(serialization.Encoding.PEM))
    bundle = tmp_path / "expired.asice"
    bundle.write_bytes(with_doc(request_doc(ATTACHMENTS), expired))
    report = verify_bundle(bundle, {fingerprint(expired.cert): "Expired"})
    assert not report.ok
    assert any("expired" in c.detail for c in report.failures), report.lines()
    before = store_state(vault, root)
    with pytest.raises(CasecoordError) as refused:
        import_bundle(vault, bundle)
    assert "expired" in refused.value.message
    assert store_state(vault, root).counts == before.counts


# -- where an import may write -------------------------------------------------------------------


def test_a_colliding_case_reference_is_renamed_never_merged(
    receiver: tuple[UnlockedVault, Path], signer: CorpusKey, tmp_path: Path
) -> None:
    """The corpus names its case NL-2025-CORPUS; a local, unrelated case already has it."""
    vault, _ = receiver
    cases.add_case(
        vault, cases.CaseInput(reference="NL-2025-CORPUS", title="ours", countries=["NL"])
    )
    bundle = tmp_path / "collide.asice"
    bundle.write_bytes(with_doc(doc_with(("bundle_id",), str(uuid.uuid4())), signer))
    result = import_bundle(vault, bundle)
    assert result.case_created and result.case_ref == "NL-2025-CORPUS-IN2"
    assert any("nothing was merged" in n for n in result.notes)
    ours = cases.get_case(vault, "NL-2025-CORPUS")
    assert ours.persons == [] and ours.case.title == "ours"
    again = tmp_path / "second.asice"  # a second request in the same foreign case follows it
    again.write_bytes(with_doc(doc_with(("bundle_id",), str(uuid.uuid4())), signer))
    assert import_bundle(vault, again).case_ref == "NL-2025-CORPUS-IN2"


def test_naming_a_local_request_does_not_lead_into_its_case(
    receiver: tuple[UnlockedVault, Path], signer: CorpusKey, tmp_path: Path
) -> None:
    from casecoord.services import requests

    vault, _ = receiver
    cases.add_case(vault, cases.CaseInput(reference="CO-2026-0001", title="x", countries=["CO"]))
    requests.add_request(
        vault,
        requests.RequestInput(
            reference="CO-MLA-2026-0001",
            case_ref="CO-2026-0001",
            kind="mla",
            direction="outgoing",
            requesting_state="CO",
            requested_state="ES",
        ),
    )
    bundle = tmp_path / "guess.asice"
    bundle.write_bytes(
        with_doc(doc_with(("request", "counterpart_reference"), "CO-MLA-2026-0001"), signer)
    )
    result = import_bundle(vault, bundle)
    assert result.case_created and result.case_ref != "CO-2026-0001"
    assert cases.get_case(vault, "CO-2026-0001").persons == []


def test_a_sender_country_other_than_the_pinned_contacts_is_refused_unless_accepted(
    receiver: tuple[UnlockedVault, Path],
    signer: CorpusKey,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    vault, root = receiver
    doc = doc_with(("sender", "country"), "VE")
    doc["request"]["requesting_state"] = "VE"
    bundle = tmp_path / "elsewhere.asice"
    bundle.write_bytes(with_doc(doc, signer))
    before = store_state(vault, root)
    with pytest.raises(CasecoordError) as refused:
        import_bundle(vault, bundle)
    assert "--accept-country-mismatch" in refused.value.message
    assert store_state(vault, root).counts == before.counts
    vault.close()
    code, _, err = run_cli(capsys, root, "import", str(bundle))
    assert code == 1 and "VE" in err
    code, out, err = run_cli(capsys, root, "import", str(bundle), "--accept-country-mismatch")
    assert code == 0, err


def test_a_receipt_counts_only_from_the_counterpart_the_request_was_sent_to(
    officers: Officers,  # noqa: F811 (the imported fixture)
    tmp_path: Path,
) -> None:
    """Officer A sent the request to B; C, also pinned by A, cannot acknowledge it."""
    from casecoord.services.exchange import export_bundle
    from casecoord.services.identity_store import show_identity
    from casecoord.services.receipts import make_receipt

    c, _ = create_vault(tmp_path / "vault-c", PASSPHRASE, FAST_TEST_PARAMS)
    try:
        create_identity(c, "Carla Otra", "Otra Fiscalía", "NL")
        contacts.add_contact(c, contacts.ContactInput(name="A", country="NL", handle="yilmaz"))
        pin_counterpart(c, "yilmaz", show_identity(officers.a).public_pem.encode())
        contacts.add_contact(
            officers.a, contacts.ContactInput(name="C", country="NL", handle="carla")
        )
        pin_counterpart(officers.a, "carla", show_identity(c).public_pem.encode())
        bundle = tmp_path / "sent.asice"
        export_bundle(officers.a, REQUEST_REF, bundle)
        imported = import_bundle(c, bundle)  # C got hold of the file
        receipt = make_receipt(c, imported, tmp_path / "c.receipt")
    finally:
        c.close()
    with pytest.raises(ReceiptError) as refused:
        import_receipt(officers.a, receipt)
    assert "sent to someone else" in refused.value.message
    from casecoord.services.requests import get_request

    assert get_request(officers.a, REQUEST_REF).request.status == "draft"  # unchanged


# -- verify means importable; no crash on hostile numbers ----------------------------------------

NOT_IMPORTABLE = [
    (("request", "language"), "qq", "language"),
    (("request", "requested_state"), "ZZ", "ZZ"),
    (("request", "persons", 0, "birth_date"), "2999-01-01", "birth date"),
]


@pytest.mark.parametrize(("path", "value", "named"), NOT_IMPORTABLE)
def test_verify_fails_what_import_would_refuse(
    receiver: tuple[UnlockedVault, Path],
    signer: CorpusKey,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    path: tuple[Any, ...],
    value: Any,
    named: str,
) -> None:
    from casecoord.services.exchange import verify_file

    vault, root = receiver
    bundle = tmp_path / "not-importable.asice"
    bundle.write_bytes(with_doc(doc_with(path, value), signer))
    result = verify_file(vault, bundle)
    assert not result.ok
    assert any(c.name == "import" and named in c.detail for c in result.report.failures)
    vault.close()
    code, out, _ = run_cli(capsys, root, "verify", str(bundle))
    assert code != 0 and out.splitlines()[-1] == "NOT VERIFIED"
    code, _, err = run_cli(capsys, root, "import", str(bundle))
    assert code not in {0, 70} and named in err


def test_verify_says_verified_for_an_importable_bundle_and_writes_nothing(
    receiver: tuple[UnlockedVault, Path], signer: CorpusKey, tmp_path: Path
) -> None:
    from casecoord.services.exchange import verify_file

    vault, root = receiver
    bundle = tmp_path / "good.asice"
    bundle.write_bytes(with_doc(doc_with(("bundle_id",), str(uuid.uuid4())), signer))
    before = store_state(vault, root)
    result = verify_file(vault, bundle)
    assert result.ok, result.lines()
    assert store_state(vault, root).counts == before.counts
    assert not import_bundle(vault, bundle).already_imported


def test_a_field_given_twice_in_request_json_is_refused(
    receiver: tuple[UnlockedVault, Path], signer: CorpusKey, tmp_path: Path
) -> None:
    vault, _ = receiver
    body = json.dumps(request_doc(ATTACHMENTS)).replace(
        '"facts": ', '"facts": "what the letter says", "facts": ', 1
    )
    bundle = tmp_path / "twice.asice"
    bundle.write_bytes(with_doc(body.encode(), signer))
    report = verify_bundle(bundle, {fingerprint(signer.cert): "TEST signer"})
    assert not report.ok and any("'facts' twice" in c.detail for c in report.failures)


@pytest.mark.parametrize("verb", ["case", "request"])
def test_a_huge_offset_is_an_empty_page_not_a_crash(
    receiver: tuple[UnlockedVault, Path], capsys: pytest.CaptureFixture[str], verb: str
) -> None:
    vault, root = receiver
    vault.close()
    code, out, err = run_cli(capsys, root, verb, "list", "--offset", str(10**20))
    assert code == 0, err
    code, out, err = run_cli(capsys, root, verb, "list", "--limit", str(10**20))
    assert code == 0, err


# -- sensitive text need not travel in argv --------------------------------------------------------


def test_facts_and_notes_come_from_a_file_or_stdin_not_argv(
    receiver: tuple[UnlockedVault, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from casecoord.services.cases import get_case
    from casecoord.services.requests import get_request

    vault, root = receiver
    cases.add_case(vault, cases.CaseInput(reference="NL-2026-0200", title="t", countries=["NL"]))
    vault.close()
    facts = tmp_path / "facts.txt"
    facts.write_text("Between March and June 2025 the suspect shipped …\nsecond line\n")
    code, _, err = run_cli(
        capsys, root, "request", "add", "--ref", "NL-MLA-2026-0200", "--case", "NL-2026-0200",
        "--kind", "mla", "--from", "NL", "--to", "CO", "--facts-file", str(facts),
    )  # fmt: skip
    assert code == 0, err
    monkeypatch.setattr("sys.stdin", io.StringIO("a note typed into a pipe\n"))
    code, _, err = run_cli(capsys, root, "case", "note", "NL-2026-0200", "--note-file", "-")
    assert code == 0, err
    from casecoord.vault.vault import open_vault

    with open_vault(root, PASSPHRASE) as reopened:
        stored = get_request(reopened, "NL-MLA-2026-0200").request.facts
        notes = [n.body for n in get_case(reopened, "NL-2026-0200").notes]
    assert stored == "Between March and June 2025 the suspect shipped …\nsecond line"
    assert notes == ["a note typed into a pipe"]
    code, _, err = run_cli(capsys, root, "case", "note", "NL-2026-0200")
    assert code == 1 and "--note-file" in err
