"""A footer that is rebuilt only when the keys it shows change.

Textual's ``Footer`` recomposes itself (every key a new widget, each a stylesheet pass) each time
the screen says its bindings may have changed: on every focus move, every ``refresh_bindings``,
every worker that re-checks an action. Opening a list screen recomposed its footer seven or
eight times and mounted 135-175 keys, most of the second an area switch took (measured by
``python bench/footer_count.py``). Here the signals of one frame are folded into one check, and
the footer is rebuilt only when the keys shown, their labels or whether they are enabled differ
from what it shows.
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer


def shown_keys(screen: Screen[Any]) -> tuple[tuple[object, ...], ...]:
    """What a footer on ``screen`` would show: each shown binding's key, label and state."""
    return tuple(
        (key, binding.action, binding.description, binding.key_display, enabled, tooltip)
        for key, (_node, binding, enabled, tooltip) in screen.active_bindings.items()
        if binding.show
    )


class SteadyFooter(Footer):
    """``Footer`` rebuilt once per change of what it shows, not once per bindings signal."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._check_pending = False
        self._composed_for: tuple[tuple[object, ...], ...] | None = None

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if self._check_pending:
            return
        self._check_pending = True
        self.call_after_refresh(self._rebuild_if_changed, screen)

    def _rebuild_if_changed(self, screen: Screen[Any]) -> None:
        self._check_pending = False
        if not screen.app.app_focus:
            super().bindings_changed(screen)  # Textual's own rule: no rebuild while unfocused
            return
        keys = shown_keys(screen)
        if keys == self._composed_for:
            return
        self._composed_for = keys
        super().bindings_changed(screen)
