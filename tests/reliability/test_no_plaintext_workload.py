"""After a realistic day's work through the real CLI, no file casecoord wrote holds plaintext.

tests/vault/test_no_plaintext.py scans one vault written through the services; this drives the
``casecoord`` program the way an officer does — demo data, a case with a person, a note, a
request's facts, a counterpart, a deadline, a setting, search, passphrase change, backup,
restore, calendar export — with a private TMPDIR and HOME, then scans *every* file under the
test's folder: vaults, their WAL, backups, the restored copy, temp and config folders. The
calendar file is plaintext by design (calendars cannot read encrypted files): it is checked to
carry the deadline but no facts, names or notes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE
from tests.reliability.conftest import cli, private

TITLE = "MARKERTITLE7F3A harbour cranes"
SUMMARY = "MARKERSUMMARY22DE reefer from Machala"
NOTE = "MARKERNOTE91BC phone call with the prosecutor"
PERSON = "MARKERPERSONQ1"
ALIAS = "MARKERALIAS55"
DOCUMENT = "MARKERDOC8812"
FACTS = "MARKERFACTS4C0D container MSCU1234565 with 420 kg"
CONTACT = "MARKERCONTACT9E Fiscal Ramírez"
DEADLINE = "MARKERDEADLINE3B chase the bank"
DEADLINE_NOTE = "MARKERDLNOTE6A ask for the SWIFT messages"
OFFICER = "MARKEROFFICER77"
SECRETS_OF_THE_DEMO = [  # what `casecoord demo` writes: names, facts and notes of its cases
    "Restrepo G",
    "Quiñones Ávila",
    "Vandenbroucke",
    "Zambrano Cedeño",
    "front company in Machala",
    "behind the cooling units",
]
NEW_PASSPHRASE = "evening tide over the quay"


def _forms(marker: str) -> list[bytes]:
    return [marker.encode("utf-8"), marker.lower().encode("utf-8"), marker.encode("utf-16-le")]


def scan(files: list[Path], markers: list[str]) -> list[str]:
    found = []
    for path in files:
        data = path.read_bytes()
        found += [f"{m!r} in {path}" for m in markers if any(f in data for f in _forms(m))]
    return found


@pytest.mark.slow
def test_a_days_work_through_the_cli_leaves_no_plaintext(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    vault = str(tmp_path / "vault")

    def ok(*args: str, stdin: str = PASSPHRASE + "\n") -> str:
        outcome = cli(*args, "--vault", vault, stdin=stdin)
        assert outcome.code == 0, f"{args}: {outcome.err}"
        return outcome.out

    ok("demo", "--cases", "12")
    ok(
        "case",
        "add",
        "--ref",
        "NL-2026-9001",
        "--title",
        TITLE,
        "--summary",
        SUMMARY,
        "--country",
        "NL,EC",
        "--offence",
        "illicit-trafficking-narcotic-drugs",
    )
    ok("case", "note", "NL-2026-9001", NOTE)
    person = ok(
        "case",
        "person",
        "NL-2026-9001",
        "--family-name",
        PERSON,
        "--given-names",
        "María José",
        "--alias",
        ALIAS,
        "--document",
        DOCUMENT,
        "--born",
        "1984-02-29",
        "--nationality",
        "EC",
        "--json",
    )
    ok(
        "contact",
        "add",
        "--name",
        CONTACT,
        "--country",
        "EC",
        "--handle",
        "fiscal-gye",
        "--phone",
        "+593 4 259 4000",
        "--email",
        "fiscal@ec-justice.example",
    )
    ok(
        "request",
        "add",
        "--ref",
        "NL-MLA-9001",
        "--case",
        "NL-2026-9001",
        "--kind",
        "mla",
        "--from",
        "NL",
        "--to",
        "EC",
        "--facts",
        FACTS,
        "--translation",
        "done",
        "--counterpart",
        "fiscal-gye",
        "--person",
        str(json.loads(person)["id"]),
    )
    ok(
        "deadline",
        "add",
        "--case",
        "NL-2026-9001",
        "--title",
        DEADLINE,
        "--due",
        "2030-01-15",
        "--note",
        DEADLINE_NOTE,
    )
    ok("settings", "officer.name", OFFICER)
    assert "NL-2026-9001" in ok("search", PERSON.lower())  # the markers really are in the store
    assert "NL-MLA-9001" in ok("search", "MSCU1234565")
    (tmp_path / "backups").mkdir()
    ok("backup", str(tmp_path / "backups" / "monday.ccbak"))
    ok("passwd", stdin=f"{PASSPHRASE}\n{NEW_PASSPHRASE}\n{NEW_PASSPHRASE}\n")
    ok("backup", str(tmp_path / "backups" / "tuesday.ccbak"), stdin=NEW_PASSPHRASE + "\n")
    ics = tmp_path / "deadlines.ics"
    ok("deadlines", "--ics", str(ics), stdin=NEW_PASSPHRASE + "\n")
    ok("audit", "list", stdin=NEW_PASSPHRASE + "\n")
    ok("check", stdin=NEW_PASSPHRASE + "\n")
    restored = cli(
        "restore", str(tmp_path / "backups" / "monday.ccbak"), "--vault", str(tmp_path / "restored")
    )
    assert restored.code == 0, restored.err

    markers = [
        TITLE.split()[0],
        SUMMARY.split()[0],
        NOTE.split()[0],
        PERSON,
        ALIAS,
        DOCUMENT,
        FACTS.split()[0],
        "MSCU1234565",
        CONTACT.split()[0],
        DEADLINE.split()[0],
        DEADLINE_NOTE.split()[0],
        OFFICER,
        *SECRETS_OF_THE_DEMO,
    ]
    written = [p for p in tmp_path.rglob("*") if p.is_file() and p != ics]
    assert len(written) >= 6 and any(p.name.endswith(".ccbak") for p in written)
    assert scan(written, markers) == []

    # the calendar is plaintext by design: it carries the deadline, never facts, names or notes
    calendar = ics.read_text(encoding="utf-8")
    assert "MARKERDEADLINE3B" in calendar
    kept_out = [m for m in markers if m != DEADLINE.split()[0]]
    assert scan([ics], kept_out) == []

    for path in [*written, ics]:
        if path.parent.name in {"vault", "restored", "backups"} or path == ics:
            assert private(path), f"{path} is readable by other users"
