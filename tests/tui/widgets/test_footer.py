"""The footer shows the screen's keys as they are, and is rebuilt only when they change."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from casecoord.tui.widgets.footer import SteadyFooter


class _FooterApp(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", "New"),
        Binding("e", "export", "Export"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.can_export = False
        self.rebuilds = 0

    def compose(self) -> ComposeResult:
        yield SteadyFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "export":
            return True if self.can_export else None  # None: shown disabled
        return True

    def action_new(self) -> None:
        pass

    def action_export(self) -> None:
        pass


def _shown(app: _FooterApp) -> dict[str, bool]:
    return {
        key.description: not key.has_class("-disabled")
        for key in app.query(FooterKey)
        if key.description in ("New", "Export")
    }


async def test_signals_that_change_nothing_do_not_rebuild_and_a_change_shows() -> None:
    app = _FooterApp()
    async with app.run_test(size=(80, 5)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert _shown(app) == {"New": True, "Export": False}
        footer = app.query_one(Footer)
        recompose = footer.recompose

        async def counting() -> None:
            app.rebuilds += 1
            await recompose()

        footer.recompose = counting  # type: ignore[method-assign]
        for _ in range(5):
            app.refresh_bindings()
        for _ in range(3):
            await pilot.pause()
        assert app.rebuilds == 0  # five signals, the same keys: nothing rebuilt

        app.can_export = True
        app.refresh_bindings()
        app.refresh_bindings()
        for _ in range(3):
            await pilot.pause()
        assert app.rebuilds == 1
        assert _shown(app) == {"New": True, "Export": True}
