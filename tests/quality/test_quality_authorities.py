"""The competent-authority directory: seeded rows, suggestions, and an all-or-nothing CSV import."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlmodel import select

from casecoord.domain.models import AuditEntry
from casecoord.services.authorities import (
    AuthorityImportError,
    import_csv,
    list_authorities,
    suggest_addressee,
)
from casecoord.vault.vault import UnlockedVault
from tests.quality.conftest import Run

TODAY = date(2026, 11, 23)
HEADER = "country,name,last_verified,kinds,role,email,phone,languages,note\n"


def _csv(tmp_path: Path, body: str, header: str = HEADER, name: str = "desks.csv") -> Path:
    path = tmp_path / name
    path.write_text(header + body, encoding="utf-8")
    return path


def test_central_authorities_of_the_facts_are_seeded(vault: UnlockedVault) -> None:
    rows = list_authorities(vault)
    by_country = {(a.country, a.name.split(",")[0]) for a in rows}
    assert ("PE", "Fiscalía de la Nación") in by_country
    assert ("NL", "AIRS") in by_country
    assert {a.country for a in rows} == {"NL", "CO", "PE", "EC"}
    assert all(a.origin == "seed" and a.last_verified == TODAY for a in rows)
    assert [a.country for a in list_authorities(vault, "ec")] == ["EC", "EC"]


def test_suggestion_prefers_the_authority_named_for_the_kind(vault: UnlockedVault) -> None:
    eio = suggest_addressee(vault, "NL", "eio")
    assert eio is not None and eio.name.startswith("LIRC")
    extradition = suggest_addressee(vault, "NL", "extradition")
    assert extradition is not None and extradition.name.startswith("AIRS")
    ec = suggest_addressee(vault, "EC", "extradition")
    assert ec is not None and ec.name == "Corte Nacional de Justicia"
    co = suggest_addressee(vault, "CO", "extradition")
    assert co is not None and "Relaciones Exteriores" in co.name


def test_no_guess_where_the_facts_are_silent(vault: UnlockedVault) -> None:
    assert suggest_addressee(vault, "CO", "mla") is None  # not confirmed by the sources
    assert suggest_addressee(vault, "US", "mla") is None


def test_import_adds_and_replaces(vault: UnlockedVault, tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        'CO,"Fiscalía General de la Nación, Dirección de Asuntos Internacionales",2026-11-20,'
        "mla;freezing,central-authority,dai@co-fiscalia.example,+57 601 5550199,es;en,"
        "confirmed by phone\n"
        "\n"
        "EC,Corte Nacional de Justicia,2026-11-21,extradition;provisional-arrest,,,,es,\n",
    )
    result = import_csv(vault, path, today=TODAY)
    assert (result.added, result.updated, result.rows) == (1, 1, 2)
    co = suggest_addressee(vault, "CO", "mla")
    assert co is not None and co.origin == "import"
    assert co.phone == "+576015550199" and co.languages == ["en", "es"]
    assert co.last_verified == date(2026, 11, 20)
    ec = suggest_addressee(vault, "EC", "extradition")
    assert ec is not None and ec.last_verified == date(2026, 11, 21) and ec.origin == "import"
    with vault.session() as session:
        entry = session.exec(
            select(AuditEntry).where(AuditEntry.action == "authority.import")
        ).one()
        assert entry.payload == {"file": "desks.csv", "rows": 2, "added": 1, "updated": 1}


def test_semicolon_csv_with_byte_order_mark(vault: UnlockedVault, tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_text(
        "\ufeffcountry;name;last_verified;kinds\nDE;Bundesamt für Justiz;2026-10-01;mla\n",
        encoding="utf-8",
    )
    assert import_csv(vault, path, today=TODAY).added == 1
    found = suggest_addressee(vault, "DE", "mla")
    assert found is not None and found.name == "Bundesamt für Justiz"


def test_import_is_all_or_nothing_and_names_every_bad_line(
    vault: UnlockedVault, tmp_path: Path
) -> None:
    before = len(list_authorities(vault))
    path = _csv(
        tmp_path,
        "CO,Good desk,2026-11-01,mla,,,,,\n"  # line 2: fine
        "Colombia,Bad country,2026-11-01,,,,,,\n"  # line 3
        "PE,Future,2027-01-01,,,,,,\n"  # line 4
        "PE,Odd kind,2026-11-01,letters,,,,,\n"  # line 5
        "CO,Good desk,2026-11-02,,,,,,\n"  # line 6: repeats line 2
        "EC,Bad phone,2026-11-01,,,,12,,\n",  # line 7
    )
    with pytest.raises(AuthorityImportError) as raised:
        import_csv(vault, path, today=TODAY)
    problems = raised.value.problems
    assert [p.split(":")[0] for p in problems] == [
        "line 3",
        "line 4",
        "line 5",
        "line 6",
        "line 7",
    ]
    assert "ISO 3166-1" in problems[0] and "future" in problems[1]
    assert "repeats line 2" in problems[3]
    assert "nothing imported" in raised.value.message
    assert len(list_authorities(vault)) == before
    assert suggest_addressee(vault, "CO", "mla") is None


def test_header_problems_are_reported_on_line_one(vault: UnlockedVault, tmp_path: Path) -> None:
    path = _csv(tmp_path, "CO,x\n", header="country,name,colour\n")
    with pytest.raises(AuthorityImportError) as raised:
        import_csv(vault, path, today=TODAY)
    assert raised.value.problems == [
        "line 1: missing column(s) last_verified",
        raised.value.problems[1],
    ]
    assert "unknown column(s) colour" in raised.value.problems[1]


def test_cli_authority_import_list_and_suggest(run: Run, cli_vault: Path, tmp_path: Path) -> None:
    v = ["--vault", str(cli_vault)]
    listed = run("authority", "list", "--country", "PE", "--json", *v)
    assert listed.code == 0, listed.err
    assert [a["country"] for a in listed.json()] == ["PE"]
    good = _csv(tmp_path, "CO,Fiscalía General de la Nación,2025-11-20,mla,,,,es,\n")
    imported = run("authority", "import", str(good), *v)
    assert imported.code == 0, imported.err
    assert "1 added" in imported.out
    suggested = run("authority", "suggest", "--to", "CO", "--kind", "mla", *v)
    assert suggested.code == 0 and "Fiscalía General de la Nación" in suggested.out
    bad = _csv(tmp_path, "XX,Nobody,2025-11-20,,,,,,\n", name="bad.csv")
    refused = run("authority", "import", str(bad), *v)
    assert refused.code == 1 and refused.err.count("\n") == 1
    assert "line 2" in refused.err
    table = run("authority", "list", *v)
    assert "UCJIE" in table.out
