"""An administrator sets a team store up from the shell, as the README describes: ``team init``
on an empty database, ``team add-officer`` (the password from stdin, never argv), then the
officer works with the ordinary verbs and ``team assign`` shares her case."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.cli.conftest import Run
from tests.pgcluster import SUPERUSER, Cluster


@pytest.fixture
def empty_database(pg_cluster: Cluster) -> Iterator[str]:
    name = f"casecoord_cli_{secrets.token_hex(4)}"
    with psycopg.connect(pg_cluster.conninfo(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with psycopg.connect(pg_cluster.conninfo(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_init_add_officer_work_assign_and_export(
    run: Run, pg_cluster: Cluster, empty_database: str, tmp_path: Path
) -> None:
    sock = pg_cluster.socket_dir
    admin = ["--store", f"postgresql://{SUPERUSER}@/{empty_database}?host={sock}"]
    su = pg_cluster.password + "\n"
    officer = f"dee_{secrets.token_hex(3)}"
    pw = "dee's long password\n"
    as_dee = ["--store", f"postgresql://{officer}@/{empty_database}?host={sock}"]

    before = run("case", "list", *admin, stdin=su)
    assert before.code == 3 and "team init" in before.err  # an empty database says what to do
    init = run("team", "init", *admin, stdin=su)
    assert init.code == 0, init.err
    assert run("team", "init", *admin, stdin=su).code == 0  # again: nothing breaks
    added = run("team", "add-officer", officer, "--team", "delta", *admin, stdin=su + pw + pw)
    assert added.code == 0, added.err
    assert "dee's long password" not in added.out + added.err
    case = run(
        "case", "add", *as_dee, "--ref", "D-1", "--title", "Delta case", "--country", "NL", stdin=pw
    )
    assert case.code == 0, case.err
    listed = run("team", "list", *admin, "--json", stdin=su).json()
    assert {"name": "delta", "members": [officer], "cases": 1} in listed
    assert run("team", "assign", "D-1", "echo", *admin, stdin=su).code != 0  # no such team
    assigned = run("team", "assign", "D-1", "delta", *admin, stdin=su)
    assert assigned.code == 0, assigned.err

    laptop = tmp_path / "mission"
    exported = run(
        "team",
        "export",
        "--case",
        "D-1",
        str(laptop),
        *as_dee,
        stdin=pw + "mission passphrase 1\n" * 2,
    )
    assert exported.code == 0, exported.err
    assert "Not exported: the signing identity and its private key stay" in exported.out
    shown = run(
        "case", "show", "D-1", "--vault", str(laptop), "--json", stdin="mission passphrase 1\n"
    )
    assert shown.code == 0 and shown.json()["case"]["title"] == "Delta case"
    again = run("team", "export", "--case", "D-1", str(laptop), *as_dee, stdin=pw)
    assert again.code == 1 and "not empty" in again.err

    own = tmp_path / "own-vault"
    vp = "own vault passphrase\n"
    assert run("init", "--vault", str(own), stdin=vp + vp).code == 0
    assert (
        run(
            "case",
            "add",
            "--vault",
            str(own),
            "--ref",
            "D-2",
            "--title",
            "From laptop",
            "--country",
            "NL",
            stdin=vp,
        ).code
        == 0
    )
    imported = run("team", "import", str(own), *as_dee, stdin=pw + vp)
    assert imported.code == 0, imported.err
    assert "1 cases" in imported.out
    assert "Not imported: the signing identity and its private key stay" in imported.out
    refs = [
        c["reference"] for c in run("case", "list", *as_dee, "--json", stdin=pw).json()["cases"]
    ]
    assert sorted(refs) == ["D-1", "D-2"]
