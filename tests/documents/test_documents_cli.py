"""The document fields from the shell: request add/edit flags, file inputs, clear refusals."""

from __future__ import annotations

from pathlib import Path

from tests.cli.conftest import Run


def _case(run: Run, v: list[str]) -> None:
    made = run("case", "add", *v, "--ref", "NL-2026-0700", "--title", "Reefer", "--country", "CO")
    assert made.code == 0, made.err


def test_add_and_edit_take_the_document_fields(run: Run, cli_vault: Path, tmp_path: Path) -> None:
    v = ["--vault", str(cli_vault)]
    _case(run, v)
    provisions = tmp_path / "provisions.txt"
    provisions.write_text(
        "Ley del Opio, artículo 10, apartado 5:\nprisión de hasta doce años.\n", "utf-8"
    )
    added = run(
        "request",
        "add",
        *v,
        "--ref",
        "NL-EXTR-2026-0700",
        "--case",
        "NL-2026-0700",
        "--kind",
        "extradition",
        "--from",
        "NL",
        "--to",
        "CO",
        "--decision-kind",
        "arrest-warrant",
        "--decision-date",
        "2026-11-24",
        "--decision-authority",
        "Rechter-commissaris, Rechtbank Rotterdam",
        "--decision-reference",
        "RC 26/4417",
        "--offence-place",
        "Guayaquil y Rotterdam",
        "--provisions-file",
        str(provisions),
        "--max-penalty",
        "Doce años de prisión.",
        "--translation",
        "needed",
        "--json",
    )
    assert added.code == 0, added.err
    request = added.json()
    assert request["decision_kind"] == "arrest-warrant"
    assert request["decision_date"] == "2026-11-24"
    assert request["provisions_text"].startswith("Ley del Opio, artículo 10")
    assert request["translation_state"] == "needed"
    edited = run(
        "request",
        "edit",
        "NL-EXTR-2026-0700",
        *v,
        "--limitation",
        "Veinte años.",
        "--assurances",
        "Principio de especialidad.",
    )
    assert edited.code == 0, edited.err
    shown = run("request", "show", "NL-EXTR-2026-0700", *v)
    assert "Veinte años." in shown.out and "Principio de especialidad." in shown.out
    assert "RC 26/4417" in shown.out and "2026-11-24" in shown.out


def test_bad_document_input_is_one_clear_line_and_changes_nothing(
    run: Run, cli_vault: Path, tmp_path: Path
) -> None:
    v = ["--vault", str(cli_vault)]
    _case(run, v)
    base = ["request", "add", *v, "--ref", "NL-EAW-2026-0701", "--case", "NL-2026-0700"]
    base += ["--kind", "eaw", "--from", "NL", "--to", "ES"]
    missing = run(*base, "--provisions-file", str(tmp_path / "absent.txt"))
    assert missing.code not in (0, 70) and "absent.txt" in missing.err
    assert "Traceback" not in missing.err and len(missing.err.strip().splitlines()) == 1
    both = run(*base, "--purpose", "x", "--purpose-file", str(tmp_path / "absent.txt"))
    assert both.code not in (0, 70) and "not both" in both.err
    bad_date = run(*base, "--decision-date", "soon")
    assert bad_date.code not in (0, 70) and "decision date" in bad_date.err
    listed = run("request", "list", *v, "--json")
    assert listed.code == 0 and listed.json() == []
