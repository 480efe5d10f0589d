"""Area screens inside the real app: number keys open them, the palette lists their verbs."""

from __future__ import annotations

from pathlib import Path

from casecoord.tui.app import make_app
from casecoord.tui.dialogs.contact_form import ContactFormDialog
from casecoord.tui.screens.contacts import ContactsScreen
from casecoord.tui.screens.deadlines import DeadlinesScreen
from casecoord.tui.screens.treaties import TreatyScreen
from casecoord.vault.vault import UnlockedVault


async def test_number_keys_open_the_screens_and_the_palette_offers_their_commands(
    vault: UnlockedVault, vault_dir: Path
) -> None:
    app = make_app(vault_dir, vault)
    async with app.run_test(size=(160, 50)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        for key, screen_type in (
            ("3", DeadlinesScreen),
            ("4", ContactsScreen),
            ("5", TreatyScreen),
        ):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, screen_type)
            titles = [title for title, _help, _call in app.screen.palette_commands()]
            assert titles and all(": " in title for title in titles)
        await pilot.press("4")
        await pilot.pause()
        assert isinstance(app.screen, ContactsScreen)
        assert app.screen.vault is app.vault
        commands = {title: call for title, _help, call in app.screen.palette_commands()}
        commands["contact: add"]()
        await pilot.pause()
        assert isinstance(app.screen, ContactFormDialog)
