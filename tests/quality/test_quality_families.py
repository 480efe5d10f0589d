"""Request families (the whole thread) and follow-up reminders."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from casecoord.domain.errors import NotFoundError, ValidationError
from casecoord.services import cases, requests
from casecoord.services.deadlines import DeadlineQuery, list_deadlines
from casecoord.services.families import add_follow_up, family, follow_ups
from casecoord.vault.vault import UnlockedVault
from tests.cli.conftest import Run


def _request(
    vault: UnlockedVault,
    ref: str,
    case_ref: str = "NL-F-1",
    parent: str | None = None,
    relation: str | None = None,
) -> None:
    requests.add_request(
        vault,
        requests.RequestInput(
            reference=ref,
            case_ref=case_ref,
            kind="mla",
            direction="outgoing",
            requesting_state="NL",
            requested_state="CO",
            parent_ref=parent,
            relation=relation,
        ),
    )


@pytest.fixture
def thread(vault: UnlockedVault) -> UnlockedVault:
    cases.add_case(vault, cases.CaseInput(reference="NL-F-1", title="t", countries=["NL", "CO"]))
    cases.add_case(vault, cases.CaseInput(reference="NL-F-2", title="u", countries=["NL", "CO"]))
    _request(vault, "R-ROOT")
    _request(vault, "R-SUPP", parent="R-ROOT", relation="supplementary")
    _request(vault, "R-OTHER")  # same case, another thread
    _request(vault, "R-RET", parent="R-SUPP", relation="execution-return")
    _request(vault, "R-FUP", parent="R-ROOT", relation="follow-up")
    _request(vault, "R-ELSE", case_ref="NL-F-2")
    return vault


def test_family_is_the_root_and_its_descendants_oldest_first(thread: UnlockedVault) -> None:
    found = family(thread, "R-RET")
    assert found.root_ref == "R-ROOT" and found.focus_ref == "R-RET"
    assert found.case_ref == "NL-F-1"
    assert [m.reference for m in found.members] == ["R-ROOT", "R-SUPP", "R-RET", "R-FUP"]
    by_ref = {m.reference: m for m in found.members}
    assert by_ref["R-ROOT"].relation is None and by_ref["R-ROOT"].depth == 0
    assert by_ref["R-RET"].parent_ref == "R-SUPP" and by_ref["R-RET"].depth == 2
    assert by_ref["R-FUP"].relation == "follow-up"
    created = [m.created_at for m in found.members[1:]]
    assert created == sorted(created)


def test_every_member_sees_the_same_family(thread: UnlockedVault) -> None:
    expected = [m.reference for m in family(thread, "R-ROOT").members]
    for ref in ("R-SUPP", "R-FUP"):
        assert [m.reference for m in family(thread, ref).members] == expected
    assert [m.reference for m in family(thread, "R-OTHER").members] == ["R-OTHER"]


def test_family_of_an_unknown_request(thread: UnlockedVault) -> None:
    with pytest.raises(NotFoundError):
        family(thread, "R-NOPE")


def test_follow_up_is_a_deadline_linked_to_the_request(thread: UnlockedVault) -> None:
    now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    deadline = add_follow_up(thread, "R-SUPP", "14d", now=now)
    assert deadline.title == "Follow up on R-SUPP"
    assert deadline.due_at == now + timedelta(days=14)
    views = list_deadlines(thread, DeadlineQuery(open_only=True), now=now)
    assert [(v.request_ref, v.case_ref) for v in views] == [("R-SUPP", "NL-F-1")]
    custom = add_follow_up(thread, "R-SUPP", "2w", title="Chase bank records", now=now)
    assert custom.title == "Chase bank records"
    assert [d.title for d in follow_ups(thread, "R-SUPP")] == [
        "Follow up on R-SUPP",
        "Chase bank records",
    ]


def test_follow_up_refuses_a_bad_period(thread: UnlockedVault) -> None:
    with pytest.raises(ValidationError, match="14d"):
        add_follow_up(thread, "R-SUPP", "soon")
    with pytest.raises(ValidationError, match="future"):
        add_follow_up(thread, "R-SUPP", "0d")


def test_cli_follow_up_family_and_check(run: Run, cli_vault: Path) -> None:
    v = ["--vault", str(cli_vault)]
    assert run("case", "add", *v, "--ref", "NL-F-1", "--title", "t", "--country", "NL,CO").code == 0
    common = ["--case", "NL-F-1", "--kind", "mla", "--from", "NL", "--to", "CO"]
    assert run("request", "add", *v, "--ref", "R-ROOT", *common).code == 0
    made = run(
        "request",
        "add",
        *v,
        "--ref",
        "R-SUPP",
        *common,
        "--parent",
        "R-ROOT",
        "--relation",
        "supplementary",
    )
    assert made.code == 0, made.err
    follow = run("request", "follow-up", "R-SUPP", "--in", "14d", *v)
    assert follow.code == 0, follow.err
    assert "Follow up on R-SUPP" in follow.out
    listed = run("deadlines", *v, "--json").json()
    assert [d["request_ref"] for d in listed] == ["R-SUPP"]
    fam = run("request", "family", "R-SUPP", "--json", *v)
    assert fam.code == 0, fam.err
    assert [m["reference"] for m in fam.json()["members"]] == ["R-ROOT", "R-SUPP"]
    text = run("request", "family", "R-ROOT", *v)
    assert "supplementary" in text.out
    check = run("request", "check", "R-ROOT", "--json", *v)
    assert check.code == 1  # incomplete: exit 1 so scripts can gate on it
    ids = {item["id"] for item in check.json()["missing"]}
    assert "facts" in {item["check"] for item in check.json()["missing"]}, ids
    human = run("request", "check", "R-ROOT", *v)
    assert "Missing" in human.out and "not complete" in human.out
    bad = run("request", "follow-up", "R-SUPP", "--in", "soon", *v)
    assert bad.code == 1 and bad.err.count("\n") == 1
