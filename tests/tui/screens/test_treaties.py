"""The treaty screen: browse instruments and ask which legal basis applies."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, Select

from casecoord.tui.screens.treaties import TreatyScreen
from casecoord.tui.widgets.basis_view import BasisView
from casecoord.vault.vault import UnlockedVault
from tests.tui.conftest import HostApp, settle, wait_until


async def test_nl_to_co_extradition_shows_the_un_conventions_and_the_treaty_not_in_force(
    vault: UnlockedVault,
) -> None:
    app = HostApp(vault, TreatyScreen)
    async with app.run_test(size=(140, 50)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TreatyScreen)
        await pilot.press("b")
        screen.query_one("#basis-from", Input).value = "NL"
        screen.query_one("#basis-to", Input).value = "CO"
        screen.query_one("#basis-kind", Select).value = "extradition"
        await pilot.click("#basis-run")
        await pilot.pause()
        shown = screen.query_one("#basis-result", BasisView).plain
        assert "Legal bases for extradition NL → CO" in shown
        bases_part, _, rejected_part = shown.partition("Not applicable")
        assert "1. Vienna Convention 1988" in bases_part
        assert "UNTOC" in bases_part
        assert "suggested" in bases_part
        assert "UNCAC" in bases_part  # NL and CO: both UNCAC parties with sourced deposits (S1001)
        assert "nl-co-extradition" in rejected_part
        assert "not in force" in rejected_part


async def test_searching_instruments_by_party_lists_the_bilateral_treaties(
    vault: UnlockedVault,
) -> None:
    app = HostApp(vault, TreatyScreen)
    async with app.run_test(size=(140, 50)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TreatyScreen)
        await pilot.press("slash")
        await pilot.press(*"colombia")
        await wait_until(pilot, lambda: screen.instruments.settled)
        keys = [instrument.id for instrument in screen.instruments.loaded_rows()]
        assert "nl-co-extradition" in keys
        assert "untoc" not in keys
        await wait_until(pilot, lambda: screen.parties.settled)
        assert screen.parties.query_spec == keys[0]
        assert screen.parties.total >= 2


async def test_letters_typed_on_the_instrument_list_search_it(vault: UnlockedVault) -> None:
    """Type-to-filter: on the list, letters that are no shortcut go to the search field; on
    the legal-basis tab the hidden search field takes none of them."""
    app = HostApp(vault, TreatyScreen)
    async with app.run_test(size=(140, 50)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TreatyScreen)
        await wait_until(pilot, lambda: screen.instruments.settled)
        everything = screen.instruments.total
        screen.instruments.focus()
        await pilot.press(*"untoc")
        field = screen.query_one("#treaty-search", Input)
        assert field.value == "untoc"
        await wait_until(pilot, lambda: screen.instruments.settled)
        assert 1 <= screen.instruments.total < everything
        assert screen.instruments.cell_texts(0)[0].startswith("UNTOC")
        screen.action_basis_tab()
        await pilot.pause()
        screen.set_focus(screen.query_one("#basis-run"))
        await pilot.press("x")
        assert field.value == "untoc"


async def test_scope_inputs_give_the_answer_basis_gives(vault: UnlockedVault) -> None:
    """Offences, organised group and maximum penalty typed on the screen resolve as
    ``casecoord basis NL BR --kind mla --offence fraud --no-organised-group
    --max-penalty-years 8`` does: UNTOC out of scope (Art. 3(1)), no question left about it."""
    from datetime import date

    from casecoord.treaties.resolver import resolve_basis

    app = HostApp(vault, TreatyScreen)
    async with app.run_test(size=(140, 50)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TreatyScreen)
        await pilot.press("b")
        screen.query_one("#basis-from", Input).value = "NL"
        screen.query_one("#basis-to", Input).value = "BR"
        screen.query_one("#basis-offences", Input).value = "fraud"
        await _submit(pilot, screen.query_one("#basis-offences", Input))
        asked = screen.query_one("#basis-result", BasisView).plain
        assert "organised criminal group" in asked  # the question, not yet answered
        assert "choose 'organised group' above" in asked  # answered on this screen, no flag
        assert "--organised-group" not in asked

        screen.query_one("#basis-group", Select).value = "no"
        screen.query_one("#basis-penalty", Input).value = "8"
        await _submit(pilot, screen.query_one("#basis-penalty", Input))
        shown = screen.query_one("#basis-result", BasisView).plain
        bases_part, _, rejected_part = shown.partition("Not applicable")
        assert "UNTOC" not in bases_part and "(untoc," in rejected_part
        expected = resolve_basis(
            "NL", "BR", "mla", date.today(), ["fraud"], organised_group=False, max_penalty_years=8
        )
        assert expected.first is not None and expected.first.short_name in bases_part
        assert "untoc" in {r.instrument_id for r in expected.rejected}

        screen.query_one("#basis-penalty", Input).value = "lots"
        await _submit(pilot, screen.query_one("#basis-penalty", Input))
        assert "not a number of years" in str(screen.query_one("#basis-message").render())


async def _submit(pilot: Pilot[Any], field: Input) -> None:
    """Ask for the answer as an officer at the keyboard does: enter in a field of the form.

    A click on the "Basis" button missed it at times once an answer had grown the tab."""
    field.focus()
    await pilot.press("enter")
    await pilot.pause()
