"""`casecoord case person-edit REF ID`: only the options given change; a refusal is one line."""

from __future__ import annotations

from pathlib import Path

from tests.cli.conftest import Run


def test_person_edit_changes_what_is_given_and_refuses_a_bad_date(
    run: Run, cli_vault: Path
) -> None:
    v = ["--vault", str(cli_vault)]
    assert run("case", "add", *v, "--ref", "NL-2026-0042", "--title", "Op. Harbour").code == 0
    added = run(
        "case",
        "person",
        "NL-2026-0042",
        *v,
        "--family-name",
        "Restrepo",
        "--whereabouts",
        "Medellín",
        "--nationality",
        "CO",
        "--json",
    )
    assert added.code == 0, added.err
    person_id = str(added.json()["id"])
    edited = run(
        "case",
        "person-edit",
        "NL-2026-0042",
        person_id,
        *v,
        "--whereabouts",
        "Cartagena",
        "--alias",
        "El Flaco",
        "--nationality",
        "",
    )
    assert edited.code == 0, edited.err
    assert edited.out.strip() == (
        f"Person {person_id} on NL-2026-0042 updated: aliases, nationality, whereabouts."
    )
    shown = run("case", "show", "NL-2026-0042", *v, "--json").json()
    (person,) = shown["persons"]
    assert (person["whereabouts"], person["aliases"], person["nationality"]) == (
        "Cartagena",
        ["El Flaco"],
        None,
    )
    assert person["family_name"] == "Restrepo"

    refused = run("case", "person-edit", "NL-2026-0042", person_id, *v, "--born", "2999-01-01")
    assert refused.code != 0
    assert "Traceback" not in refused.err
    assert len(refused.err.strip().splitlines()) == 1
    missing = run("case", "person-edit", "NL-2026-0042", "999", *v, "--role", "witness")
    assert missing.code != 0
    assert "no person 999 on case NL-2026-0042" in missing.err
