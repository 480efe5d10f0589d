"""The authorities screen: the seeded directory, country filter, CSV import and its refusals."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input, Static

from casecoord.services.authorities import list_authorities
from casecoord.tui.dialogs.error import ErrorDialog
from casecoord.tui.screens.authorities import AuthoritiesScreen
from casecoord.vault.vault import UnlockedVault
from tests.tui.conftest import HostApp, settle, wait_until

GOOD_CSV = """country;name;last_verified;kinds;languages;email
DE;Bundesamt für Justiz;2024-03-01;mla;de;poststelle@bfj.bund.de
NL;LIRC, Landelijk Internationaal Rechtshulpcentrum;2026-10-01;mla;nl;
"""
BAD_CSV = """country,name,last_verified,kinds
DE,Bundesamt für Justiz,2026-01-01,mla
XX-Y,Nowhere,2026-01-01,mla
FR,Bureau de l'entraide pénale,yesterday,mla
"""


def _names(screen: AuthoritiesScreen) -> list[str]:
    table = screen.query_one("#authorities", DataTable)
    return [str(table.get_row_at(i)[1]) for i in range(table.row_count)]


def _plain(screen: AuthoritiesScreen, selector: str) -> str:
    rendered = screen.query_one(selector, Static).render()
    return getattr(rendered, "plain", str(rendered))


async def test_lists_the_seeded_directory_and_filters_by_country(vault: UnlockedVault) -> None:
    app = HostApp(vault, AuthoritiesScreen)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AuthoritiesScreen)
        await wait_until(pilot, lambda: bool(screen.authorities))
        assert len(_names(screen)) == len(list_authorities(vault))
        assert "LIRC, Landelijk Internationaal Rechtshulpcentrum" in _names(screen)

        screen.query_one("#filter-country", Input).value = "nl"
        await wait_until(pilot, lambda: screen.country == "NL" and bool(screen.authorities))
        assert {a.country for a in screen.authorities} == {"NL"}
        assert _names(screen) == [a.name for a in list_authorities(vault, "NL")]
        assert "last verified" not in _plain(screen, "#empty-note")  # nothing to warn about

        screen.query_one("#filter-country", Input).value = "DE"
        await wait_until(pilot, lambda: screen.country == "DE" and not screen.authorities)
        note = _plain(screen, "#empty-note")
        assert "no authority for DE" in note and "EJN Fiches Belges" in note


async def test_importing_a_csv_adds_entries_and_marks_the_stale_one(
    vault: UnlockedVault, tmp_path: Path
) -> None:
    source = tmp_path / "authorities.csv"
    source.write_text(GOOD_CSV, encoding="utf-8")
    app = HostApp(vault, AuthoritiesScreen)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AuthoritiesScreen)
        await wait_until(pilot, lambda: bool(screen.authorities))
        before = len(screen.authorities)
        screen.import_from(source)
        await wait_until(pilot, lambda: len(screen.authorities) == before + 1)
        assert "Bundesamt für Justiz" in _names(screen)
        table = screen.query_one("#authorities", DataTable)
        row = _names(screen).index("Bundesamt für Justiz")
        assert "over a year" in str(table.get_row_at(row)[5])
        assert "1 not verified for over a year" in _plain(screen, "#authority-count")
    (german,) = list_authorities(vault, "DE")
    assert german.email == "poststelle@bfj.bund.de"


async def test_a_bad_csv_shows_every_bad_line_and_imports_nothing(
    vault: UnlockedVault, tmp_path: Path
) -> None:
    source = tmp_path / "broken.csv"
    source.write_text(BAD_CSV, encoding="utf-8")
    app = HostApp(vault, AuthoritiesScreen)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AuthoritiesScreen)
        await settle(pilot)
        screen.import_from(source)
        await wait_until(pilot, lambda: isinstance(app.screen, ErrorDialog))
        dialog = app.screen
        assert isinstance(dialog, ErrorDialog)
        assert "Nothing was imported from broken.csv" in dialog.message
        assert "line 3: country" in dialog.message
        assert "line 4: last_verified" in dialog.message
    assert list_authorities(vault, "DE") == []
