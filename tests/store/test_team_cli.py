"""The same ``casecoord`` verbs work on a team store chosen by --store, CASECOORD_STORE or a
team.toml profile; the password comes from stdin (a prompt on a terminal), never from argv."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import Run
from tests.pgcluster import SUPERUSER, Cluster


@pytest.fixture
def store_url(pg_cluster: Cluster, pg_database: str) -> str:
    return f"postgresql://{SUPERUSER}@/{pg_database}?host={pg_cluster.socket_dir}"


def test_case_verbs_run_on_the_team_store(run: Run, pg_cluster: Cluster, store_url: str) -> None:
    password = pg_cluster.password + "\n"
    s = ["--store", store_url]
    added = run(
        "case", "add", *s, "--ref", "NL-T-1", "--title", "Harbour ledger", "--country", "NL",
        "--json", stdin=password,
    )  # fmt: skip
    assert added.code == 0, added.err
    listed = run("case", "list", *s, "--json", stdin=password).json()
    assert [c["reference"] for c in listed["cases"]] == ["NL-T-1"]
    found = run("search", "ledger", *s, stdin=password)
    assert found.code == 0 and "NL-T-1" in found.out
    verified = run("audit", "verify", *s, stdin=password)
    assert verified.code == 0 and "intact" in verified.out


def test_environment_and_profile_choose_the_store(
    run: Run, pg_cluster: Cluster, store_url: str, tmp_path: Path
) -> None:
    password = pg_cluster.password + "\n"
    env = {"CASECOORD_STORE": store_url}
    assert (
        run(
            "case",
            "add",
            "--ref",
            "NL-T-2",
            "--title",
            "t",
            "--country",
            "NL",
            stdin=password,
            env=env,
        ).code
        == 0
    )
    config = tmp_path / "xdg-config" / "casecoord"
    config.mkdir(parents=True)
    (config / "team.toml").write_text(
        f'default = "office"\n[profiles.office]\nurl = "{store_url}"\n'
    )
    listed = run("case", "list", "--json", stdin=password).json()
    assert [c["reference"] for c in listed["cases"]] == ["NL-T-2"]


def test_wrong_password_and_unreachable_store_are_one_line(
    run: Run, pg_cluster: Cluster, store_url: str
) -> None:
    wrong = run("case", "list", "--store", store_url, stdin="not the password\n")
    assert wrong.code == 2 and wrong.err.count("\n") == 1 and "password is wrong" in wrong.err
    missing = run("case", "list", "--store", "postgresql://x@/nope?host=/nonexistent", stdin="pw\n")
    assert missing.code == 3 and missing.err.count("\n") == 1 and "cannot reach" in missing.err
    with_secret = run("case", "list", "--store", "postgresql://x:pw@/db?host=/tmp")
    assert with_secret.code == 3 and "must not hold the password" in with_secret.err
    assert pg_cluster.password not in wrong.err


def test_the_tui_connects_to_the_team_store_before_any_screen(run: Run, store_url: str) -> None:
    """``casecoord --store … [tui]`` opens the team store, never the laptop vault: a wrong
    password is one line before the terminal interface starts (tests/tui/app/test_team_tui.py
    runs the screens on the store)."""
    for args in (("--store", store_url), ("--store", store_url, "tui")):
        result = run(*args, stdin="not the password\n")
        assert result.code == 2 and result.err.count("\n") == 1, result.err
        assert "password is wrong" in result.err and "vault" not in result.err


def test_the_administrator_grants_and_revokes_the_purge_right(
    run: Run, pg_cluster: Cluster, pg_database: str, store_url: str, admin_store: Any
) -> None:
    import secrets

    from sqlalchemy import text

    from casecoord.services.cases import CaseInput, add_case
    from casecoord.services.team import add_officer
    from casecoord.store.postgres import open_team_store

    # roles belong to the whole cluster: a new officer, whom no other test made a purger
    officer, password = f"pat_{secrets.token_hex(3)}", "pat's long password"
    add_officer(admin_store, officer, password, ["alpha"])
    with open_team_store(pg_cluster.url(pg_database, officer, password)) as pat:
        for ref in ("P-1", "P-2"):
            add_case(pat, CaseInput(reference=ref, title=f"Kept too long {ref}", countries=["NL"]))

    def expire(ref: str) -> None:
        with admin_store.engine.begin() as conn:
            conn.execute(
                text(
                    "UPDATE case_file SET status = 'closed', retention_until = current_date - 1 "
                    "WHERE reference = :r"
                ),
                {"r": ref},
            )

    su, pw = pg_cluster.password + "\n", password + "\n"
    admin = ["--store", store_url]
    as_pat = ["--store", f"postgresql://{officer}@/{pg_database}?host={pg_cluster.socket_dir}"]
    expire("P-1")
    refused = run("purge", "--expired", *as_pat, stdin=pw)
    assert refused.code != 0 and refused.err.count("\n") == 1 and "not permitted" in refused.err

    granted = run("team", "grant-purge", officer, *admin, stdin=su)
    assert granted.code == 0 and f"{officer} may now purge" in granted.out, granted.err
    again = run("team", "grant-purge", officer, *admin, stdin=su)
    assert again.code == 0 and "already" in again.out
    purged = run("purge", "--expired", *as_pat, stdin=pw)
    assert purged.code == 0 and "P-1" in purged.out, purged.err

    revoked = run("team", "revoke-purge", officer, *admin, stdin=su)
    assert revoked.code == 0 and "no longer" in revoked.out, revoked.err
    assert "could not purge" in run("team", "revoke-purge", officer, *admin, stdin=su).out
    expire("P-2")
    refused_again = run("purge", "--expired", *as_pat, stdin=pw)
    assert refused_again.code != 0 and "not permitted" in refused_again.err

    missing = run("team", "grant-purge", "zed", *admin, stdin=su)
    assert missing.code != 0 and missing.err.count("\n") == 1 and "no officer" in missing.err
    reserved = run("team", "grant-purge", "casecoord_purger", *admin, stdin=su)
    assert reserved.code != 0 and reserved.err.count("\n") == 1 and "not usable" in reserved.err
