"""Tabs that stay on the tab the officer last asked for, however fast the keys come.

Textual's ``TabbedContent`` shows the pane that holds a newly focused widget; it learns of the
focus by a message from the pane. Two tab keys in quick succession (ctrl+pagedown twice, the
first moment after a case opens) focus the first tab's table, then the second's; the first
pane's message, handled after the second switch, switched back to the first tab. A pane's
message is acted on here only while focus is still inside that pane.
"""

from __future__ import annotations

from textual.widgets import TabbedContent, TabPane


class SteadyTabbedContent(TabbedContent):
    """``TabbedContent`` that ignores a pane's focus message once focus has left the pane."""

    def on_tab_pane_focused(self, event: TabPane.Focused) -> None:
        focused = self.screen.focused
        if focused is None or event.tab_pane not in focused.ancestors_with_self:
            event.prevent_default()  # the stale message: do not switch back
            event.stop()
