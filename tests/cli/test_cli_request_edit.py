"""Completing a request from the shell: edit its content and link its persons, then 'ready'."""

from __future__ import annotations

from pathlib import Path

from tests.cli.conftest import Run


def test_edit_then_ready(run: Run, cli_vault: Path) -> None:
    v = ["--vault", str(cli_vault)]
    run("settings", "officer.name", "Insp. L. de Groot", *v)
    run(
        "case",
        "add",
        *v,
        "--ref",
        "NL-E-1",
        "--title",
        "t",
        "--country",
        "NL,CO",
        "--offence",
        "illicit-trafficking-narcotic-drugs",
    )
    person = run("case", "person", "NL-E-1", *v, "--family-name", "Gómez", "--json").json()
    assert (
        run(
            "request",
            "add",
            *v,
            "--ref",
            "NL-MLA-E-1",
            "--case",
            "NL-E-1",
            "--kind",
            "mla",
            "--from",
            "NL",
            "--to",
            "CO",
        ).code
        == 0
    )
    refused = run("request", "status", "NL-MLA-E-1", "ready", *v)
    assert refused.code == 1 and "facts" in refused.err
    edited = run(
        "request",
        "edit",
        "NL-MLA-E-1",
        *v,
        "--facts",
        "960 kg in reefer containers",
        "--qualification",
        "Art. 10 Opiumwet",
        "--measure",
        "bank records",
        "--translation",
        "done",
        "--person",
        str(person["id"]),
    )
    assert edited.code == 0, edited.err
    shown = run("request", "show", "NL-MLA-E-1", "--json", *v).json()
    assert shown["request"]["facts"] == "960 kg in reefer containers"
    assert [p["id"] for p in shown["persons"]] == [person["id"]]
    override = run("request", "edit", "NL-MLA-E-1", *v, "--basis", "untoc")
    assert override.code == 1 and "reason" in override.err
    assert (
        run(
            "request",
            "edit",
            "NL-MLA-E-1",
            *v,
            "--basis",
            "untoc",
            "--override-reason",
            "counterpart prefers UNTOC",
        ).code
        == 0
    )
    assert (
        run("request", "show", "NL-MLA-E-1", "--json", *v)
        .json()["request"]["basis_title"]
        .startswith("United Nations Convention against Transnational")
    )
    check = run("request", "check", "NL-MLA-E-1", *v)
    ready = run("request", "status", "NL-MLA-E-1", "ready", *v)
    assert ready.code == 0, ready.err + check.out
