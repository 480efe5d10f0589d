"""Editing a person from the case's Persons tab: enter opens the stored person, saving changes
it, a refused date shows by its field, escape on a changed form asks first."""

from __future__ import annotations

from textual.widgets import DataTable, TabbedContent

from casecoord.services.cases import (
    CaseInput,
    PersonInput,
    add_case,
    add_person,
    get_person,
)
from casecoord.tui.dialogs.person_form import PersonFormDialog
from casecoord.tui.dialogs.unsaved import UnsavedChangesDialog
from casecoord.tui.screens.case_detail import CaseDetailScreen
from casecoord.tui.widgets.field import ValidatedField
from casecoord.vault.vault import UnlockedVault
from tests.tui.conftest import HostApp, settle, wait_until

CASE = "NL-2026-0042"


def _case_with_a_person(vault: UnlockedVault) -> int:
    add_case(vault, CaseInput(reference=CASE, title="Op. Harbour", countries=["NL", "CO"]))
    person = add_person(
        vault,
        CASE,
        PersonInput(family_name="Restrepo", given_names="Iván", whereabouts="Medellín"),
    )
    assert person.id is not None
    return person.id


async def _open(pilot: object, app: HostApp) -> PersonFormDialog:
    await settle(pilot)  # type: ignore[arg-type]
    detail = app.screen
    assert isinstance(detail, CaseDetailScreen)
    await wait_until(pilot, lambda: detail.view is not None)  # type: ignore[arg-type]
    detail.show_tab("tab-persons", "#persons")
    await settle(pilot)  # type: ignore[arg-type]
    assert detail.query_one("#case-tabs", TabbedContent).active == "tab-persons"
    assert app.focused is detail.query_one("#persons", DataTable)
    await pilot.press("enter")  # type: ignore[attr-defined]
    await wait_until(pilot, lambda: isinstance(app.screen, PersonFormDialog))  # type: ignore[arg-type]
    dialog = app.screen
    assert isinstance(dialog, PersonFormDialog)
    return dialog


async def test_enter_on_a_person_opens_it_and_saving_stores_the_change(
    vault: UnlockedVault,
) -> None:
    person_id = _case_with_a_person(vault)
    app = HostApp(vault, lambda: CaseDetailScreen(CASE))
    async with app.run_test(size=(140, 45)) as pilot:
        dialog = await _open(pilot, app)
        whereabouts = dialog.query_one("#e-whereabouts", ValidatedField)
        assert whereabouts.value == "Medellín"
        assert app.focused is whereabouts.input
        dialog.query_one("#e-birth_date", ValidatedField).value = "2999-01-01"
        whereabouts.value = "Cartagena"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog  # the date is refused by its field
        assert "future" in dialog.query_one("#e-birth_date", ValidatedField).message
        assert get_person(vault, CASE, person_id).whereabouts == "Medellín"
        dialog.query_one("#e-birth_date", ValidatedField).value = "1980-05-17"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, CaseDetailScreen))
        await settle(pilot)
        persons = app.screen.query_one("#persons", DataTable)
        assert "Cartagena" in [str(c) for c in persons.get_row_at(0)]
    stored = get_person(vault, CASE, person_id)
    assert (stored.whereabouts, stored.birth_date and stored.birth_date.isoformat()) == (
        "Cartagena",
        "1980-05-17",
    )


async def test_escape_on_a_changed_person_asks_and_discard_keeps_it(
    vault: UnlockedVault,
) -> None:
    person_id = _case_with_a_person(vault)
    app = HostApp(vault, lambda: CaseDetailScreen(CASE))
    async with app.run_test(size=(140, 45)) as pilot:
        dialog = await _open(pilot, app)
        dialog.query_one("#e-whereabouts", ValidatedField).value = "Quito"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, UnsavedChangesDialog)
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, CaseDetailScreen))
    assert get_person(vault, CASE, person_id).whereabouts == "Medellín"
