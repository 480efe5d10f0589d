"""`casecoord basis` and the request service put the basis to use first, say why, and flag a
stored basis the EU rules have replaced; bad input is one clear line."""

from __future__ import annotations

import json
import subprocess
import sys

from casecoord.domain.models import Request
from casecoord.services.legal_basis import applicable_instrument_ids, basis_change


def _basis(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "casecoord.cli", "basis", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _request(a: str, b: str, kind: str, basis: str | None) -> Request:
    return Request(
        reference="T-1",
        case_id=1,
        kind=kind,
        direction="outgoing",
        requesting_state=a,
        requested_state=b,
        status="draft",
        basis_instrument_id=basis,
    )


def test_basis_names_the_instrument_to_use_first_and_folds_the_rest() -> None:
    done = _basis("NL", "DE", "--kind", "extradition", "--on", "2026-12-01")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    use, _, rest = out.partition("Also available")
    assert "Use: Council Framework Decision 2002/584/JHA" in use
    assert "articles: Art. 8 (content)" in use and "channel:  direct-judicial" in use
    assert "why:" in use and "Art. 31(1)" in out
    assert "Considered and not applicable" in rest
    assert "ets-024" in rest.split("Considered and not applicable")[1]


def test_basis_asks_what_it_cannot_know_and_takes_the_answers() -> None:
    asked = _basis("CO", "NL", "--kind", "extradition", "--offence", "fraud", "--on", "2026-12-01")
    assert "--organised-group" in asked.stdout and "--max-penalty-years" in asked.stdout
    assert "? → answer with --organised-group or --no-organised-group" in asked.stdout
    answered = _basis(
        "CO",
        "NL",
        "--kind",
        "extradition",
        "--offence",
        "fraud",
        "--organised-group",
        "--max-penalty-years",
        "6",
        "--on",
        "2026-12-01",
        "--json",
    )
    data = json.loads(answered.stdout)
    assert data["use"]["instrument_id"] == "untoc"
    assert data["use"]["scope"] == "in"
    assert data["questions"] == []
    assert data["bases"][0] == data["use"]


def test_basis_for_a_state_the_catalogue_cannot_settle_says_where_to_check() -> None:
    done = _basis("NL", "TW", "--kind", "extradition", "--on", "2026-12-01")
    assert done.returncode == 0
    assert "No instrument" not in done.stdout and "no instrument" not in done.stdout
    assert "the catalogue does not know whether TW is a party" in done.stdout
    assert "treaties.un.org" in done.stdout


def test_basis_within_the_kingdom() -> None:
    done = _basis("NL", "CW", "--kind", "extradition")
    assert "Use: Interregional cooperation within the Kingdom of the Netherlands" in done.stdout
    assert "IRC Carib" in done.stdout


def test_bad_basis_input_is_one_clear_line() -> None:
    for args, fragment in (
        (("NL", "DE", "--kind", "mla", "--max-penalty-years", "lots"), "max-penalty-years"),
        (("NL", "NL", "--kind", "mla"), "must differ"),
        (("NL", "XX", "--kind", "mla"), "ISO 3166-1"),
        (("NL", "DE", "--kind", "mla", "--organised-group", "--no-organised-group"), "not allowed"),
    ):
        done = _basis(*args)
        assert done.returncode not in (0, 70), (args, done.returncode)
        assert "Traceback" not in done.stderr
        assert fragment in done.stderr, (args, done.stderr)
        assert done.stdout == ""


def test_a_replaced_stored_basis_starts_no_clock_and_is_flagged() -> None:
    old = _request("NL", "DE", "provisional-arrest", "ets-024")
    assert "ets-024" not in applicable_instrument_ids(old)
    message = basis_change(old)
    assert message is not None and "Art. 31(1)" in message and "eaw-fd" in message
    draft = _request("NL", "BE", "mla", "eu-mla-2000")
    flagged = basis_change(draft)
    assert flagged is not None and "eio-directive" in flagged and "Art. 34(1)" in flagged
    assert basis_change(_request("NL", "IE", "mla", "eu-mla-2000")) is None  # IE: no EIO
    assert basis_change(_request("NL", "BE", "mla", "eio-directive")) is None
    kept = _request("NL", "CH", "provisional-arrest", "ets-024")
    assert applicable_instrument_ids(kept)[0] == "ets-024"
