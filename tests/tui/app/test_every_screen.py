"""Every area screen inside the real app: typing in any of its fields never fires a shortcut,
and leaving a screen that holds unsaved input asks Save / Discard / Stay.

One parametrised test per rule covers the dashboard, case list, case detail (every tab),
request editor, deadlines, contacts, treaties, exchange, reports, authorities, settings and help.
The keys typed are the app's own single-key shortcuts (area digits, ``n`` new, ``d`` delete,
``q``, ``?`` help, ``r`` reload, ``e`` export...): each must land in the field as text and leave
the screen, its dialogs and the app as they were.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.screen import Screen
from textual.widgets import Input, TextArea

from casecoord.services.cases import CaseInput, add_case
from casecoord.services.contacts import ContactInput, add_contact
from casecoord.tui.app import CasecoordApp, make_app
from casecoord.tui.dialogs.unsaved import UnsavedChangesDialog
from casecoord.tui.screens.case_detail import CaseDetailScreen
from casecoord.tui.screens.help import HelpScreen
from casecoord.tui.screens.request_editor import RequestEditorScreen
from casecoord.tui.screens.settings import SettingsScreen
from casecoord.vault.vault import UnlockedVault
from tests.tui.conftest import HostApp, settle

CASE = "NL-2026-0042"

#: Printable keys that are shortcuts somewhere in the app (see each screen's BINDINGS).
SHORTCUT_KEYS = "n3q9d?r1e2v4"

#: (name, area key or None); None: the screen is pushed by ``PUSHED``.
AREA_KEYS = {
    "dashboard": "1",
    "cases": "2",
    "deadlines": "3",
    "contacts": "4",
    "treaties": "5",
    "exchange": "6",
    "reports": "7",
    "authorities": "8",
    "settings": "9",
}
PUSHED: dict[str, Callable[[], Screen[Any]]] = {
    "request editor": lambda: RequestEditorScreen(CASE),
}
ALL_SCREENS = [*AREA_KEYS, "case detail", *PUSHED, "help"]


@pytest.fixture
def case_vault(vault: UnlockedVault) -> UnlockedVault:
    add_case(vault, CaseInput(reference=CASE, title="Op. Harbour", countries=["NL", "CO"]))
    add_contact(
        vault,
        ContactInput(name="Ana Pérez", country="CO", handle="ana-perez", organisation="Fiscalía"),
    )
    return vault


def _open(name: str, vault: UnlockedVault, vault_dir: Path) -> Any:
    """The real app that can show screen ``name``."""
    if name in PUSHED:
        return HostApp(vault, PUSHED[name])
    return make_app(vault_dir, vault, idle_minutes=60)


async def _show(name: str, pilot: Any) -> Screen[Any]:
    await settle(pilot)
    if name in AREA_KEYS:
        await pilot.press(AREA_KEYS[name])
    elif name == "help":
        await pilot.press("f1")
    elif name == "case detail":  # as the officer opens it: Cases, then Enter on the row
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("enter")
    await settle(pilot)
    if name == "case detail":
        assert isinstance(pilot.app.screen, CaseDetailScreen)
    screen = pilot.app.screen
    if name == "help":
        assert isinstance(screen, HelpScreen)
    return screen  # type: ignore[no-any-return]


def _text_fields(screen: Screen[Any]) -> list[Input | TextArea]:
    """The text fields the officer can reach with Tab on the screen as shown."""
    return [w for w in screen.focus_chain if isinstance(w, (Input, TextArea)) and not w.disabled]


def _value(field: Input | TextArea) -> str:
    return field.value if isinstance(field, Input) else field.text


async def _type_in_every_field(pilot: Any, screen: Screen[Any]) -> int:
    app = pilot.app
    typed = 0
    for field in _text_fields(screen):
        field.focus()
        await settle(pilot)
        if isinstance(field, Input):  # past what is there (focus selects it all)
            field.action_end()
        else:
            field.move_cursor(field.document.end)
        before = _value(field)
        await pilot.press(*SHORTCUT_KEYS)
        await settle(pilot)
        assert app.is_running
        assert app.screen is screen, f"typing in #{field.id} left {type(screen).__name__}"
        assert app.focused is field, f"typing in #{field.id} moved focus to {app.focused}"
        value = _value(field)
        if isinstance(field, TextArea) or (field.restrict is None and field.type == "text"):
            limit = field.max_length if isinstance(field, Input) else 0
            expected = (before + SHORTCUT_KEYS)[:limit] if limit else before + SHORTCUT_KEYS
            assert value == expected, f"#{field.id} holds {value!r}"
        typed += 1
    return typed


@pytest.mark.parametrize("name", ALL_SCREENS)
async def test_typing_shortcut_keys_in_any_field_stays_in_the_field(
    name: str, case_vault: UnlockedVault, vault_dir: Path
) -> None:
    app = _open(name, case_vault, vault_dir)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await _show(name, pilot)
        typed = await _type_in_every_field(pilot, screen)
        if isinstance(screen, CaseDetailScreen):
            for tab in ("tab-persons", "tab-deadlines", "tab-notes", "tab-attachments"):
                screen.show_tab(tab)
                await settle(pilot)
                typed += await _type_in_every_field(pilot, screen)
        if name in {"dashboard", "exchange", "reports", "help"} and typed == 0:
            # No text field on this screen: its shortcut keys must then act as shortcuts
            # (the other half of the rule); a digit still switches area.
            assert not isinstance(app.focused, (Input, TextArea))
        else:
            assert typed > 0, f"{name} shows no text field to type in"


def _make_edit(screen: Screen[Any]) -> None:
    """Type something into the screen's form, as the officer would before leaving."""
    if isinstance(screen, RequestEditorScreen):
        screen.query_one("#f-facts", TextArea).text = "Cocaine in banana containers."
    elif isinstance(screen, CaseDetailScreen):
        screen.show_tab("tab-notes")
        screen.query_one("#n-body", TextArea).text = "call back the Fiscalía"
    elif isinstance(screen, SettingsScreen):
        from casecoord.tui.widgets.field import ValidatedField

        screen.query(ValidatedField).first().value = "Ana Pérez Gómez"
    else:
        for field in _text_fields(screen):  # a filter or a reference: no saved work
            if isinstance(field, Input):
                field.value = "Guayaquil"
            else:
                field.text = "Guayaquil"


FORM_SCREENS = {"case detail", "request editor", "settings"}


@pytest.mark.parametrize("name", ALL_SCREENS)
async def test_leaving_a_screen_with_unsaved_input_asks_and_stay_keeps_it(
    name: str, case_vault: UnlockedVault, vault_dir: Path
) -> None:
    app = _open(name, case_vault, vault_dir)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await _show(name, pilot)
        assert isinstance(app, CasecoordApp)
        _make_edit(screen)
        await settle(pilot)
        app.set_focus(None)  # a focused text field would take the keys as text
        await settle(pilot)
        unsaved = bool(app.unsaved_screens([screen]))
        assert unsaved == (name in FORM_SCREENS), f"{name}: unsaved={unsaved}"
        area_key = "2" if name == "dashboard" else "1"
        for key in ("escape", "ctrl+q", area_key):
            await pilot.press(key)
            await settle(pilot)
            if not unsaved:
                # Nothing to lose (a filter is no work): no prompt stands in the way.
                assert not isinstance(app.screen, UnsavedChangesDialog)
                break
            if isinstance(app.screen, UnsavedChangesDialog):
                await pilot.press("escape")  # stay
                await settle(pilot)
            else:
                # No prompt is only honest where nothing goes: quitting always asks; a digit on
                # a form is text, never a shortcut; Escape on an area's root screen stays; an
                # area key keeps the screen in its own area's stack, shown again on return.
                assert key != "ctrl+q", f"{name}: quitting did not ask"
                if app.screen is not screen:
                    await pilot.press("2" if name == "case detail" else "1")
                    await settle(pilot)
            assert app.is_running and app.screen is screen, f"{name}: after {key}"
            assert app.unsaved_screens([screen]) == [screen], f"{name}: input lost by {key}"
