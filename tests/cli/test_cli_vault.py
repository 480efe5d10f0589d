"""The vault verbs as a script or an officer at a shell uses them."""

from __future__ import annotations

import re
from pathlib import Path

from tests.cli.conftest import Run
from tests.conftest import PASSPHRASE


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def test_init_shows_the_recovery_key_once(run: Run, tmp_path: Path) -> None:
    result = run("init", "--vault", str(tmp_path / "v"))
    assert result.code == 0
    assert re.search(r"([A-Z2-7]{4}-){7}[A-Z2-7]{4}", result.out)
    assert (tmp_path / "v" / "vault.json").exists() and (tmp_path / "v" / "casecoord.db").exists()


def test_init_refuses_a_short_passphrase_with_the_reason(run: Run, tmp_path: Path) -> None:
    result = run("init", "--vault", str(tmp_path / "v"), stdin="short\n")
    assert result.code == 1
    assert "at least 12" in result.err
    assert not (tmp_path / "v" / "vault.json").exists()


def test_wrong_passphrase_exits_2_and_changes_no_file(run: Run, cli_vault: Path) -> None:
    before = files(cli_vault)
    result = run("case", "list", "--vault", str(cli_vault), stdin="wrong passphrase!!\n")
    assert result.code == 2
    assert result.err.strip() == "casecoord: wrong passphrase: the vault stays locked"
    assert "Traceback" not in result.err
    assert files(cli_vault) == before


def test_vault_from_environment_variable(run: Run, cli_vault: Path) -> None:
    result = run("case", "list", "--json", env={"CASECOORD_VAULT": str(cli_vault)})
    assert result.code == 0 and result.json()["total"] == 0


def test_passphrase_file(run: Run, cli_vault: Path, tmp_path: Path) -> None:
    secret = tmp_path / "pass.txt"
    secret.write_text(PASSPHRASE + "\n")
    result = run(
        "case", "list", "--vault", str(cli_vault), "--passphrase-file", str(secret), stdin=None
    )
    assert result.code == 0


def test_passwd_then_recovery_key(run: Run, tmp_path: Path) -> None:
    root = tmp_path / "v"
    init = run("init", "--vault", str(root))
    recovery = re.search(r"([A-Z2-7]{4}-){7}[A-Z2-7]{4}", init.out)
    assert recovery
    assert (
        run("passwd", "--vault", str(root), stdin=f"{PASSPHRASE}\nsecond long passphrase\n").code
        == 0
    )
    assert run("check", "--vault", str(root), stdin="second long passphrase\n").code == 0
    assert run("check", "--vault", str(root)).code == 2
    unlock = run(
        "unlock",
        "--recovery-key",
        "--vault",
        str(root),
        stdin=f"{recovery.group(0)}\nthird long passphrase\n",
    )
    assert unlock.code == 0, unlock.err
    assert run("check", "--vault", str(root), stdin="third long passphrase\n").code == 0


def test_backup_restore_check(run: Run, cli_vault: Path, tmp_path: Path) -> None:
    assert (
        run(
            "case",
            "add",
            "--vault",
            str(cli_vault),
            "--ref",
            "NL-B-1",
            "--title",
            "kept",
            "--country",
            "NL",
        ).code
        == 0
    )
    backup = tmp_path / "backup.ccbak"
    assert run("backup", "--vault", str(cli_vault), str(backup)).code == 0
    restored = tmp_path / "restored"
    result = run("restore", str(backup), "--vault", str(restored))
    assert result.code == 0, result.err
    shown = run("case", "show", "NL-B-1", "--json", "--vault", str(restored))
    assert shown.json()["case"]["title"] == "kept"
    check = run("check", "--vault", str(restored))
    assert check.code == 0
    assert "database integrity: ok" in check.out and "audit chain intact" in check.out
    assert run(
        "restore", str(tmp_path / "nope.ccbak"), "--vault", str(tmp_path / "r2")
    ).err.startswith("casecoord:")


def test_audit_verify_and_list(run: Run, cli_vault: Path) -> None:
    run(
        "case",
        "add",
        "--vault",
        str(cli_vault),
        "--ref",
        "NL-A-1",
        "--title",
        "t",
        "--country",
        "NL",
    )
    run("case", "status", "NL-A-1", "active", "--vault", str(cli_vault))
    verify = run("audit", "verify", "--vault", str(cli_vault))
    assert verify.code == 0 and "intact: 2 entries" in verify.out
    listing = run("audit", "list", "--case", "NL-A-1", "--json", "--vault", str(cli_vault)).json()
    assert [e["action"] for e in listing] == ["case.status", "case.create"]


def test_damaged_keyfile_is_a_clear_message(run: Run, cli_vault: Path) -> None:
    (cli_vault / "vault.json").write_bytes(b"\x00garbage")
    result = run("case", "list", "--vault", str(cli_vault))
    assert result.code == 3
    assert "vault.json is damaged" in result.err and "Traceback" not in result.err


def test_every_command_is_documented(run: Run) -> None:
    from casecoord.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name, command in sub.choices.items():  # type: ignore[union-attr]
        assert command.description, f"casecoord {name} has no description"
