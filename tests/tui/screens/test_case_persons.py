"""The case file's add-a-person form: every field the CLI's ``case person`` takes, typed."""

from __future__ import annotations

from typing import Any

from textual.widgets import Button, DataTable, Select, TabbedContent

from casecoord.services.cases import CaseInput, add_case, get_case
from casecoord.tui.screens.case_detail import CaseDetailScreen
from casecoord.tui.widgets.field import ValidatedField
from casecoord.vault.vault import UnlockedVault
from tests.tui.conftest import HostApp, settle, wait_until

CASE = "NL-2026-0042"


def _case(vault: UnlockedVault) -> None:
    add_case(
        vault,
        CaseInput(
            reference=CASE,
            title="Op. Harbour",
            countries=["NL", "CO"],
            offences=["illicit-trafficking-narcotic-drugs"],
        ),
    )


async def _persons_tab(pilot: Any, app: HostApp) -> CaseDetailScreen:
    await wait_until(pilot, lambda: isinstance(app.screen, CaseDetailScreen))
    detail = app.screen
    assert isinstance(detail, CaseDetailScreen)
    await wait_until(pilot, lambda: detail.view is not None)
    detail.query_one("#case-tabs", TabbedContent).active = "tab-persons"
    await settle(pilot)
    return detail


async def _type(pilot: Any, detail: CaseDetailScreen, key: str, text: str) -> None:
    """Focus the person field ``key`` and type ``text`` key by key, as the officer does."""
    field = detail.query_one(f"#p-{key}", ValidatedField)
    field.input.scroll_visible(animate=False)
    field.focus_input()
    await pilot.pause()
    await pilot.press(*text)


async def _add(pilot: Any, detail: CaseDetailScreen) -> None:
    button = detail.query_one("#add-person", Button)
    button.scroll_visible(animate=False)
    button.focus()
    await pilot.pause()
    await pilot.press("enter")
    await settle(pilot)


async def test_every_person_field_typed_is_stored_and_shown(vault: UnlockedVault) -> None:
    _case(vault)
    app = HostApp(vault, lambda: CaseDetailScreen(CASE))
    async with app.run_test(size=(140, 45)) as pilot:
        detail = await _persons_tab(pilot, app)
        await _type(pilot, detail, "family_name", "Restrepo")
        await _type(pilot, detail, "given_names", "Iván")
        await _type(pilot, detail, "aliases", "El Flaco, J. R.")
        await _type(pilot, detail, "nationality", "co")
        await _type(pilot, detail, "birth_date", "1985-03-14")
        await _type(pilot, detail, "documents", "passport CO AB123456, cedula 79123456")
        await _type(pilot, detail, "whereabouts", "Cartagena, Bolívar (last seen 2026-11)")
        role = detail.query_one("#p-role", Select)
        role.focus()
        await pilot.pause()
        await pilot.press("enter", "down", "enter")  # suspect → the next role
        await pilot.pause()
        chosen = str(role.value)
        assert chosen != "suspect"
        assert detail.query_one("#case-tabs", TabbedContent).active == "tab-persons"
        await _add(pilot, detail)

        stored = get_case(vault, CASE).persons
        assert [
            (
                p.family_name,
                p.given_names,
                p.aliases,
                p.nationality,
                str(p.birth_date),
                p.documents,
                p.whereabouts,
                p.role,
            )
            for p in stored
        ] == [
            (
                "Restrepo",
                "Iván",
                ["El Flaco", "J. R."],
                "CO",
                "1985-03-14",
                ["passport CO AB123456", "cedula 79123456"],
                "Cartagena, Bolívar (last seen 2026-11)",
                chosen,
            )
        ]
        table = detail.query_one("#persons", DataTable)
        await wait_until(pilot, lambda: table.row_count == 1)
        row = [str(c) for c in table.get_row_at(0)]
        assert row == [
            chosen,
            "Restrepo, Iván",
            "El Flaco, J. R.",
            "CO",
            "1985-03-14",
            "passport CO AB123456, cedula 79123456",
            "Cartagena, Bolívar (last seen 2026-11)",
        ]
        assert all(detail.query_one(f"#p-{k}", ValidatedField).value == "" for k in ("aliases",))
        assert not detail.has_unsaved_changes()


async def test_an_unknown_nationality_is_refused_by_its_field_and_nothing_is_stored(
    vault: UnlockedVault,
) -> None:
    _case(vault)
    app = HostApp(vault, lambda: CaseDetailScreen(CASE))
    async with app.run_test(size=(140, 45)) as pilot:
        detail = await _persons_tab(pilot, app)
        await _type(pilot, detail, "family_name", "Restrepo")
        await _type(pilot, detail, "nationality", "XQ")
        await _type(pilot, detail, "whereabouts", "Cartagena")
        await _add(pilot, detail)

        nationality = detail.query_one("#p-nationality", ValidatedField)
        assert nationality.message == (
            "'XQ' is not an ISO 3166-1 alpha-2 country code such as NL or CO"
        )
        assert "\n" not in nationality.message
        assert detail.query_one("#p-whereabouts", ValidatedField).message == ""
        assert detail.query_one("#p-whereabouts", ValidatedField).value == "Cartagena"
        assert get_case(vault, CASE).persons == []
        assert detail.query_one("#persons", DataTable).row_count == 0
