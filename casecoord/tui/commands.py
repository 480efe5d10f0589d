"""The command palette (ctrl+p): every action as "area: verb".

App-wide commands come first ("go: cases", "vault: lock", "theme: toggle"); the screen on top
adds its own through a ``palette_commands()`` method returning ``(name, help, callback)``
tuples, so the palette follows the screen's state (a case's status moves, for example).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from casecoord.tui.app import CasecoordApp

Command = tuple[str, str, Callable[[], Any]]


class CasecoordCommands(Provider):
    """Commands of the app and of the current screen."""

    def commands(self) -> list[Command]:
        from casecoord.tui.app import AREAS

        app = cast("CasecoordApp", self.app)
        found: list[Command] = []
        if not app.locked:
            for area in AREAS:
                if app.area_available(area.mode):
                    found.append(
                        (
                            f"go: {area.label.lower()}",
                            f"Show {area.label} ({area.key})",
                            partial(app.action_go, area.mode),
                        )
                    )
            found.append(("vault: lock", "Lock the vault now (ctrl+l)", app.action_lock))
            found.append(("theme: toggle", "Switch light/dark (ctrl+t)", app.action_toggle_theme))
            found.append(
                (
                    "vault: purge expired (dry run)",
                    "List the lapsed cases a purge would erase or hold; erase only after confirming",
                    partial(_purge, app, show_dry_run=True),
                )
            )
            found.append(
                (
                    "vault: purge expired",
                    "Erase closed cases past retention (asks to confirm the count first)",
                    partial(_purge, app, show_dry_run=False),
                )
            )
            found.append(
                (
                    "vault: back up…",
                    "Write an encrypted backup of the vault to a file you choose",
                    partial(_back_up, app, self.screen),
                )
            )
            screen_commands = getattr(self.screen, "palette_commands", None)
            if callable(screen_commands):
                found.extend(screen_commands())
        found.append(("app: help", "Keys of this screen (f1)", app.action_help))
        found.append(("app: quit", "Quit casecoord (ctrl+q)", app.action_quit))
        return found

    async def discover(self) -> Hits:
        for name, help_text, callback in self.commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self.commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)


def _purge(app: CasecoordApp, *, show_dry_run: bool) -> None:
    from casecoord.tui.dialogs.purge import purge_flow

    purge_flow(app, show_dry_run=show_dry_run)


def _back_up(app: CasecoordApp, screen: object) -> None:
    """From the screen the palette was opened on (or the area screen under a dialog)."""
    from casecoord.tui.dialogs.backup import backup_flow
    from casecoord.tui.screens.base import AreaScreen

    target = screen if isinstance(screen, AreaScreen) else None
    if target is None:
        target = next((s for s in reversed(app.screen_stack) if isinstance(s, AreaScreen)), None)
    if target is None:
        app.notify("open an area first (1 Dashboard), then back up", severity="warning")
        return
    backup_flow(target)
