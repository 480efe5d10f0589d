"""Attachments from the shell: add, list as JSON, export identical bytes."""

from __future__ import annotations

from pathlib import Path

from tests.cli.conftest import Run


def test_attachment_add_list_export(run: Run, cli_vault: Path, tmp_path: Path) -> None:
    v = ["--vault", str(cli_vault)]
    run("case", "add", *v, "--ref", "NL-AT-1", "--title", "t", "--country", "NL")
    evidence = tmp_path / "manifest.pdf"
    evidence.write_bytes(b"%PDF-1.4 fictional manifest " * 1000)
    added = run("attachment", "add", "NL-AT-1", str(evidence), *v, "--json")
    assert added.code == 0, added.err
    listed = run("attachment", "list", "NL-AT-1", *v, "--json").json()
    assert [(a["name"], a["size"]) for a in listed] == [("manifest.pdf", evidence.stat().st_size)]
    out = tmp_path / "out.pdf"
    assert run("attachment", "export", str(listed[0]["id"]), str(out), *v).code == 0
    assert out.read_bytes() == evidence.read_bytes()
    missing = run("attachment", "add", "NL-AT-1", str(tmp_path / "nope"), *v)
    assert missing.code == 1 and "does not exist" in missing.err
