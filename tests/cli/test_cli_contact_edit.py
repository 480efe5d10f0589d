"""`casecoord contact edit`: only the options given change, '' clears one, a refusal is one
line and changes nothing."""

from __future__ import annotations

from pathlib import Path

from tests.cli.conftest import Run


def _add(run: Run, vault: Path) -> str:
    added = run(
        "contact",
        "add",
        "--vault",
        str(vault),
        "--name",
        "Ana Villamizar",
        "--country",
        "CO",
        "--email",
        "ana@example.org",
        "--phone",
        "+57 601 555 0101",
        "--language",
        "es",
        "--json",
    )
    assert added.code == 0, added.err
    handle: str = added.json()["handle"]
    return handle


def test_edit_changes_only_what_is_given_and_says_what_changed(run: Run, cli_vault: Path) -> None:
    handle = _add(run, cli_vault)
    edited = run(
        "contact", "edit", handle, "--vault", str(cli_vault), "--role", "fiscal", "--email", ""
    )
    assert edited.code == 0, edited.err
    assert edited.out.strip() == f"Contact {handle} updated: role, email."
    shown = run("contact", "show", handle, "--vault", str(cli_vault), "--json").json()
    assert shown["role"] == "fiscal"
    assert shown["email"] is None
    assert shown["phone"] == "+576015550101"
    assert shown["languages"] == ["es"]


def test_a_new_country_moves_the_zone_unless_one_is_given(run: Run, cli_vault: Path) -> None:
    handle = _add(run, cli_vault)
    moved = run(
        "contact",
        "edit",
        handle,
        "--vault",
        str(cli_vault),
        "--country",
        "PE",
        "--phone",
        "",
        "--json",
    )
    assert moved.code == 0, moved.err
    assert (moved.json()["country"], moved.json()["time_zone"]) == ("PE", "America/Lima")


def test_a_refused_value_is_one_line_and_changes_nothing(run: Run, cli_vault: Path) -> None:
    handle = _add(run, cli_vault)
    refused = run("contact", "edit", handle, "--vault", str(cli_vault), "--phone", "12")
    assert refused.code != 0
    assert "Traceback" not in refused.err
    assert len(refused.err.strip().splitlines()) == 1
    assert "phone" in refused.err
    unknown = run("contact", "edit", "nobody", "--vault", str(cli_vault), "--role", "x")
    assert unknown.code != 0
    assert "no contact 'nobody'" in unknown.err
    shown = run("contact", "show", handle, "--vault", str(cli_vault), "--json").json()
    assert shown["phone"] == "+576015550101"


def test_an_edit_that_changes_nothing_says_so(run: Run, cli_vault: Path) -> None:
    handle = _add(run, cli_vault)
    same = run("contact", "edit", handle, "--vault", str(cli_vault), "--language", "es")
    assert same.code == 0, same.err
    assert same.out.strip() == f"Contact {handle} unchanged."
