"""From the shell: an incoming request's receipt date, its recomputed deadlines, basis flags."""

from __future__ import annotations

from pathlib import Path

from tests.cli.conftest import Run


def test_received_flag_sets_and_corrects_the_receipt_date(run: Run, cli_vault: Path) -> None:
    v = ["--vault", str(cli_vault)]
    assert run("case", "add", *v, "--ref", "NL-C-1", "--title", "t", "--country", "NL,BE").code == 0
    added = run(
        "request",
        "add",
        *v,
        "--ref",
        "BE-EIO-1",
        "--case",
        "NL-C-1",
        "--kind",
        "eio",
        "--direction",
        "incoming",
        "--from",
        "BE",
        "--to",
        "NL",
        "--received",
        "2026-11-20 09:30",
        "--provisional-measures",
    )
    assert added.code == 0, added.err
    listed = run("deadlines", *v, "--case", "NL-C-1", "--json").json()
    due = {d["rule_id"]: d["due_at"] for d in listed}
    assert due["eio-12-3"].startswith("2026-12-20")
    assert due["eio-32"].startswith("2026-11-21T08:30")  # 24 h after 09:30 CET

    edited = run("request", "edit", "BE-EIO-1", *v, "--received", "2026-11-10 16:00")
    assert edited.code == 0, edited.err
    listed = run("deadlines", *v, "--case", "NL-C-1", "--json").json()
    assert {d["rule_id"]: d["due_at"] for d in listed}["eio-12-3"].startswith("2026-12-10")

    shown = run("request", "show", "BE-EIO-1", *v)
    assert "received" in shown.out and "2026-11-10 16:00" in shown.out
    assert "provisional measures  asked" in shown.out

    audit = run("audit", "list", *v, "--case", "NL-C-1", "--json")
    assert audit.code == 0, audit.err
    moves = [e for e in audit.json() if e["action"] == "deadline.recompute"]
    assert {e["summary"].split(" moved")[0] for e in moves} == {
        "deadline Directive 2014/41/EU Art. 12(3)",
        "deadline Directive 2014/41/EU Art. 16(1)",
        "deadline Directive 2014/41/EU Art. 32",
    }
    assert all("receipt date changed" in e["summary"] for e in moves)


def test_bad_receipt_input_is_one_clear_line(run: Run, cli_vault: Path) -> None:
    v = ["--vault", str(cli_vault)]
    run("case", "add", *v, "--ref", "NL-C-2", "--title", "t", "--country", "NL,BE")
    out = run(
        "request",
        "add",
        *v,
        "--ref",
        "NL-O-2",
        "--case",
        "NL-C-2",
        "--kind",
        "eio",
        "--from",
        "NL",
        "--to",
        "BE",
        "--received",
        "2026-11-20",
    )
    assert out.code == 1
    assert out.err.strip().count("\n") == 0
    assert "only an incoming request has a receipt date" in out.err
    assert "Traceback" not in out.err


def test_show_and_check_flag_an_eu_mla_draft_that_should_be_an_eio(
    run: Run, cli_vault: Path
) -> None:
    v = ["--vault", str(cli_vault)]
    run("case", "add", *v, "--ref", "NL-C-3", "--title", "t", "--country", "NL,BE")
    added = run(
        "request",
        "add",
        *v,
        "--ref",
        "NL-MLA-3",
        "--case",
        "NL-C-3",
        "--kind",
        "mla",
        "--from",
        "NL",
        "--to",
        "BE",
        "--basis",
        "eu-mla-2000",
        "--override-reason",
        "drafted in 2016",
    )
    assert added.code == 0, added.err
    shown = run("request", "show", "NL-MLA-3", *v)
    assert "basis to review" in shown.out and "should be an EIO" in shown.out
    checked = run("request", "check", "NL-MLA-3", *v)
    assert "basis to review" in checked.out and "Art. 34" in checked.out
    as_json = run("request", "check", "NL-MLA-3", *v, "--json").json()
    assert as_json["basis_flags"][0]["suggested"] == "eio-directive"
