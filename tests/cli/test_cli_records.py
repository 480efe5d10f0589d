"""Capturing cases, persons, requests, contacts and deadlines from the shell, with --json output."""

from __future__ import annotations

from pathlib import Path

from tests.cli.conftest import Run


def test_case_add_list_show_json(run: Run, cli_vault: Path) -> None:
    v = ["--vault", str(cli_vault)]
    added = run(
        "case",
        "add",
        *v,
        "--ref",
        "NL-2026-0042",
        "--title",
        "Cocaine in containers",
        "--country",
        "CO",
        "--country",
        "NL",
        "--offence",
        "illicit-trafficking-narcotic-drugs",
        "--json",
    )
    assert added.code == 0, added.err
    assert added.json()["reference"] == "NL-2026-0042"
    listed = run("case", "list", *v, "--json").json()
    assert listed["total"] == 1
    assert listed["cases"][0]["reference"] == "NL-2026-0042"
    assert listed["cases"][0]["countries"] == ["CO", "NL"]
    person = run(
        "case",
        "person",
        "NL-2026-0042",
        *v,
        "--family-name",
        "Quiñones",
        "--given-names",
        "María",
        "--nationality",
        "CO",
        "--born",
        "1980-04-02",
        "--json",
    )
    assert person.code == 0, person.err
    shown = run("case", "show", "NL-2026-0042", *v, "--json").json()
    assert shown["persons"][0]["family_name"] == "Quiñones"


def test_bad_input_is_one_line_and_changes_nothing(run: Run, cli_vault: Path) -> None:
    v = ["--vault", str(cli_vault)]
    bad = run("case", "add", *v, "--ref", "NL-1", "--title", "t", "--country", "Colombia")
    assert bad.code == 1
    assert bad.err.count("\n") == 1 and "ISO 3166-1" in bad.err
    assert run("case", "list", *v, "--json").json()["total"] == 0
    missing = run("case", "show", "NOPE", *v)
    assert missing.code == 1 and "no case with reference NOPE" in missing.err


def test_request_with_suggested_basis_and_status_moves(run: Run, cli_vault: Path) -> None:
    v = ["--vault", str(cli_vault)]
    run("case", "add", *v, "--ref", "NL-2026-0042", "--title", "t", "--country", "NL,CO")
    # complete for its legal basis: the sender, facts, qualification and measures are there
    assert run("settings", "officer.name", "Insp. L. de Groot", *v).code == 0
    made = run(
        "request",
        "add",
        *v,
        "--ref",
        "NL-MLA-2026-0001",
        "--case",
        "NL-2026-0042",
        "--kind",
        "mla",
        "--from",
        "NL",
        "--to",
        "CO",
        "--facts",
        "bank records",
        "--qualification",
        "Art. 420bis Sr (money laundering)",
        "--measure",
        "bank records of account 0042",
        "--json",
    )
    assert made.code == 0, made.err
    request = made.json()
    assert request["status"] == "draft"
    assert request["basis_instrument_id"]  # suggested by the resolver
    assert request["language"] == "es"  # what Colombia accepts
    refused = run("request", "status", "NL-MLA-2026-0001", "executed", *v)
    assert refused.code == 1 and "allowed from 'draft'" in refused.err
    for status in ("ready", "sent", "acknowledged"):
        assert run("request", "status", "NL-MLA-2026-0001", status, *v).code == 0
    shown = run("request", "show", "NL-MLA-2026-0001", "--json", *v).json()
    assert shown["request"]["status"] == "acknowledged"
    assert shown["allowed_moves"] == ["in-execution", "refused", "withdrawn"]
    rows = run("request", "list", "--case", "NL-2026-0042", "--json", *v).json()
    assert [r["reference"] for r in rows] == ["NL-MLA-2026-0001"]


def test_incomplete_request_is_refused_ready_naming_the_gaps(run: Run, cli_vault: Path) -> None:
    v = ["--vault", str(cli_vault)]
    run("case", "add", *v, "--ref", "NL-2026-0043", "--title", "t", "--country", "NL,CO")
    made = run(
        "request",
        "add",
        *v,
        "--ref",
        "NL-MLA-2026-0002",
        "--case",
        "NL-2026-0043",
        "--kind",
        "mla",
        "--from",
        "NL",
        "--to",
        "CO",
        "--facts",
        "bank records",
    )
    assert made.code == 0, made.err
    refused = run("request", "status", "NL-MLA-2026-0002", "ready", *v)
    assert refused.code == 1
    assert refused.err.count("\n") == 1  # one line for the officer
    assert "not complete" in refused.err
    assert "legal qualification" in refused.err and "assistance sought" in refused.err
    assert "authority making the request" in refused.err  # no officer name set yet
    shown = run("request", "show", "NL-MLA-2026-0002", "--json", *v).json()
    assert shown["request"]["status"] == "draft"  # nothing changed


def test_contacts_and_deadlines(run: Run, cli_vault: Path, tmp_path: Path) -> None:
    v = ["--vault", str(cli_vault)]
    run("case", "add", *v, "--ref", "NL-D-1", "--title", "t", "--country", "NL")
    contact = run(
        "contact",
        "add",
        *v,
        "--name",
        "Ana Villamizar",
        "--country",
        "CO",
        "--phone",
        "+57 601 5550101",
        "--json",
    )
    assert contact.code == 0, contact.err
    assert (
        contact.json()["time_zone"] == "America/Bogota"
        and contact.json()["phone"] == "+576015550101"
    )
    assert (
        run(
            "deadline",
            "add",
            *v,
            "--case",
            "NL-D-1",
            "--title",
            "chase",
            "--due",
            "2099-01-05 10:00",
        ).code
        == 0
    )
    listed = run("deadlines", *v, "--json").json()
    assert [d["title"] for d in listed] == ["chase"]
    ics = tmp_path / "deadlines.ics"
    assert run("deadlines", *v, "--ics", str(ics)).code == 0
    assert ics.read_text().count("BEGIN:VEVENT") == 1
    assert run("deadline", "waived", str(listed[0]["id"]), *v).code == 1  # a reason is required
    assert run("deadline", "met", str(listed[0]["id"]), *v).code == 0
    assert run("deadlines", *v, "--json").json() == []


def test_contact_show_prints_the_family_and_given_names(run: Run, cli_vault: Path) -> None:
    v = ["--vault", str(cli_vault)]
    added = run(
        "contact",
        "add",
        *v,
        "--name",
        "Ana Villamizar",
        "--family-name",
        "Villamizar Muñoz",
        "--given-names",
        "Ana",
        "--country",
        "CO",
        "--json",
    )
    assert added.code == 0, added.err
    shown = run("contact", "show", added.json()["handle"], *v)
    assert shown.code == 0, shown.err
    assert "Villamizar Muñoz" in shown.out and "given names" in shown.out
