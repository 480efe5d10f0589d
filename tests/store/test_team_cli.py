"""The same ``casecoord`` verbs work on a team store chosen by --store, CASECOORD_STORE or a
team.toml profile; the password comes from stdin (a prompt on a terminal), never from argv."""

from __future__ import annotations

from pathlib import Path

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


def test_the_tui_never_opens_the_vault_when_a_team_store_is_named(run: Run, store_url: str) -> None:
    result = run("--store", store_url, stdin="")
    assert result.code == 3 and "local vault only" in result.err
