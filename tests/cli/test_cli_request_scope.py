"""From the shell: the officer's offence-scope answers stored on a request and used by its
basis answer (UNTOC Arts. 2(a), 2(b), 3(1))."""

from __future__ import annotations

from pathlib import Path

from tests.cli.conftest import Run


def _untoc(answer: dict[str, object]) -> tuple[list[str], list[str]]:
    """UNTOC's place in a basis answer: the ids of the bases and of the rejected candidates."""
    bases = [str(b["instrument_id"]) for b in answer["bases"]]  # type: ignore[attr-defined]
    rejected = [str(r["instrument_id"]) for r in answer["rejected"]]  # type: ignore[attr-defined]
    return bases, rejected


def test_scope_answers_are_stored_shown_and_used(run: Run, cli_vault: Path) -> None:
    v = ["--vault", str(cli_vault)]
    made = run(
        "case", "add", *v, "--ref", "BR-C-1", "--title", "t", "--country", "BR,CO",
        "--offence", "fraud",
    )  # fmt: skip
    assert made.code == 0, made.err
    added = run(
        "request", "add", *v, "--ref", "BR-MLA-1", "--case", "BR-C-1", "--kind", "mla",
        "--from", "BR", "--to", "CO", "--organised-group", "--max-penalty-years", "8",
    )  # fmt: skip
    assert added.code == 0, added.err

    shown = run("request", "show", "BR-MLA-1", *v)
    assert shown.code == 0, shown.err
    assert "organised group: yes; maximum penalty: 8 years" in shown.out
    assert "basis today: OAS A-55" in shown.out
    assert "? to answer" not in shown.out  # both questions answered
    data = run("request", "show", "BR-MLA-1", *v, "--json").json()
    assert data["request"]["organised_group"] is True
    assert data["request"]["max_penalty_years"] == 8
    assert data["basis_answer"]["questions"] == []
    bases, _ = _untoc(data["basis_answer"])
    assert "untoc" in bases

    # no organised group: UNTOC is out of scope (Art. 3(1)), and the answer says so
    edited = run("request", "edit", "BR-MLA-1", *v, "--no-organised-group")
    assert edited.code == 0, edited.err
    data = run("request", "show", "BR-MLA-1", *v, "--json").json()
    assert data["request"]["organised_group"] is False
    bases, rejected = _untoc(data["basis_answer"])
    assert "untoc" not in bases and "untoc" in rejected

    # clearing both answers brings the questions back
    cleared = run(
        "request", "edit", "BR-MLA-1", *v, "--organised-group-unknown", "--max-penalty-years", "",
    )  # fmt: skip
    assert cleared.code == 0, cleared.err
    shown = run("request", "show", "BR-MLA-1", *v)
    assert "organised group: not answered; maximum penalty: not answered" in shown.out
    assert shown.out.count("? to answer") == 2
    # each question says how to answer it for this request
    assert "(request edit BR-MLA-1 --organised-group or --no-organised-group)" in shown.out
    assert "(request edit BR-MLA-1 --max-penalty-years N)" in shown.out
    questions = run("request", "show", "BR-MLA-1", *v, "--json").json()["basis_answer"]["questions"]
    assert {q["topic"] for q in questions} == {"organised-group", "max-penalty"}
    audit = run("audit", "list", *v, "--case", "BR-C-1", "--json").json()
    assert [e for e in audit if e["action"] == "request.update"]


def test_bad_penalty_is_one_clear_line_and_changes_nothing(run: Run, cli_vault: Path) -> None:
    v = ["--vault", str(cli_vault)]
    run("case", "add", *v, "--ref", "BR-C-2", "--title", "t", "--country", "BR,CO")
    base = ["--case", "BR-C-2", "--kind", "mla", "--from", "BR", "--to", "CO"]
    bad = run("request", "add", *v, "--ref", "BR-MLA-2", *base, "--max-penalty-years", "lots")
    assert bad.code == 1
    assert bad.err.strip().count("\n") == 0 and "max penalty years" in bad.err
    assert run("request", "show", "BR-MLA-2", *v).code != 0  # nothing was created
    assert run("request", "add", *v, "--ref", "BR-MLA-2", *base).code == 0
    worse = run("request", "edit", "BR-MLA-2", *v, "--max-penalty-years", "-3")
    assert worse.code == 1 and worse.err.strip().count("\n") == 0
    data = run("request", "show", "BR-MLA-2", *v, "--json").json()
    assert data["request"]["max_penalty_years"] is None
