"""The one base of every area screen: the app's vault, one worker helper, refresh on show, unsaved work.

Rules every screen follows (docs/ARCHITECTURE.md, "Screens"):

* The vault is the app's (:class:`VaultHost`): a screen never keeps one of its own, so an idle
  lock and unlock can swap it under the screen stack without losing the officer's input.
* Every vault or service call runs in :meth:`AreaScreen.work`, a thread worker. Its result comes
  back on the UI thread; a :class:`CasecoordError` goes to ``on_error`` when the caller shows it
  next to a field, any other failure fails the worker and reaches the app's one
  ``Worker.StateChanged`` handler (an error dialog). ``compose`` never calls a service.
* Screen data comes from read models in ``casecoord.services.tui_queries`` (one call per load).
* :meth:`AreaScreen.reload` runs whenever the screen is shown again, so a change made elsewhere
  (another screen, a worker, the CLI while the TUI is open) is on screen when the officer returns.
* A screen holding unsaved input says so in :meth:`has_unsaved_changes` and saves it in
  :meth:`save_changes`; the app asks Save / Discard / Stay before anything would drop it.

Screen actions reach the command palette through :meth:`palette_commands`, built from
``SCREEN_COMMANDS`` ("area: verb", action, help) and filtered by ``check_action``. It is not named
``COMMANDS``: that class variable is Textual's own set of palette *providers*.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from typing import Any, ClassVar, Generic, Protocol, TypeVar, runtime_checkable

from textual import events
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, TextArea
from textual.worker import Worker

from casecoord.domain.errors import CasecoordError, VaultError
from casecoord.store import Store
from casecoord.tui.background import run_in_thread
from casecoord.tui.dialogs.error import ErrorDialog

T = TypeVar("T")

ScreenCommand = tuple[str, str, str]
"""(title "area: verb", action name, help text)."""

RELOAD_KEY = "f5"
"""Read the stored version into a form that lost a save to another officer (editors only)."""


def conflict_line(
    what: str, then: str = "reload (F5) to see their version; your text stays here until you do"
) -> str:
    """The one line a form shows when its save lost to another officer's (optimistic version,
    docs/ARCHITECTURE.md "Team mode"): nothing was saved; ``then`` says what the officer does
    next (an editor reloads with F5; a list has already read the row again)."""
    return f"Not saved: {what} was changed by another officer since you opened it: {then}"


@runtime_checkable
class VaultHost(Protocol):
    """What a screen needs of its app: the open store (vault or team store), None while locked."""

    vault: Store | None


def app_vault(app: object) -> Store:
    """The open vault of ``app`` (a dialog's way to it); a locked app raises a VaultError."""
    current = app.vault if isinstance(app, VaultHost) else None
    if current is None:
        raise VaultError("the vault is locked; unlock it first")
    return current


@runtime_checkable
class ClockHost(Protocol):
    """An app that says what time it is (the real app; a snapshot test's app with a fixed one)."""

    def wall_clock(self) -> datetime: ...


def app_now(app: object) -> datetime:
    """What "now" is on screen (UTC, aware): the app's wall clock, so a test can fix it."""
    return app.wall_clock() if isinstance(app, ClockHost) else datetime.now(UTC)


Q = TypeVar("Q")
R = TypeVar("R")


class VaultRows(Generic[Q, R]):
    """A list's rows for :class:`~casecoord.tui.widgets.virtual_table.VirtualTable`, read
    through the app's vault at call time (in the table's workers, so an idle lock and unlock
    never leave it holding a closed store): ``count`` and ``page`` are the read model's."""

    def __init__(
        self,
        app: object,
        count: Callable[[Store, Q, int], int],
        page: Callable[[Store, Q, int, int], list[R]],
    ) -> None:
        self.app = app
        self._count = count
        self._page = page

    def count(self, query: Q, cap: int) -> tuple[int, None]:
        return self._count(app_vault(self.app), query, cap), None

    def page(self, query: Q, offset: int, limit: int) -> list[R]:
        return self._page(app_vault(self.app), query, offset, limit)

    def whole(self, query: Q, rows: list[R]) -> tuple[int, None]:
        return len(rows), None


class AreaScreen(Screen[None]):
    """A screen that shows and edits what the vault holds."""

    SCREEN_COMMANDS: ClassVar[tuple[ScreenCommand, ...]] = ()

    #: The filter ``Input`` of a list screen: printable keys that are no shortcut go there.
    FILTER_SELECTOR: ClassVar[str | None] = None

    #: True for screens that are one form (the request editor, settings): while shown, the app's
    #: single-key shortcuts stay off even when focus rests on a button or a drop-down.
    FORM_SCREEN: ClassVar[bool] = False

    def __init__(self) -> None:
        super().__init__()
        self._shown_once = False
        self._under_dialog = False

    @property
    def vault(self) -> Store:
        """The app's open vault; a locked app raises a :class:`VaultError` the officer reads."""
        return app_vault(self.app)

    def work(
        self,
        call: Callable[[], T],
        on_done: Callable[[T], Any],
        on_error: Callable[[CasecoordError], Any] | None = None,
        *,
        group: str = "load",
        exclusive: bool = True,
        description: str = "",
    ) -> Worker[None]:
        """Run ``call`` off the UI thread; see the module docstring for where results go."""
        return run_in_thread(
            self,
            call,
            on_done,
            on_error,
            group=group,
            exclusive=exclusive,
            description=description or group,
        )

    # -- showing and refreshing ---------------------------------------------------------------

    def on_mount(self) -> None:
        """Known to the app, which asks every open screen about unsaved input before quitting."""
        open_screens = getattr(self.app, "open_screens", None)
        if open_screens is not None:
            open_screens.add(self)

    def on_unmount(self) -> None:
        """Closed (popped, its widgets gone): no longer asked about unsaved input. A closed screen
        may live on until garbage collection; asking it made quit raise NoMatches."""
        open_screens = getattr(self.app, "open_screens", None)
        if open_screens is not None:
            open_screens.discard(self)

    def reload(self) -> None:
        """Read the screen's data again (in :meth:`work`); screens override it."""

    def action_reload(self) -> None:
        self.reload()

    def on_screen_suspend(self) -> None:
        """Covered: by a dialog (which changes nothing behind it unasked) or by another screen."""
        self._under_dialog = isinstance(self.app.screen, ModalScreen)

    def on_screen_resume(self) -> None:
        """Shown again after another screen or area: read what may have changed meanwhile.

        Coming back from a dialog does not reload: the dialog's own result says what changed.
        Nor does coming back while the app is locked (an app closing under its unlock screen):
        there is no vault to read, and an unlock hands the vault over before this runs.
        """
        locked = isinstance(self.app, VaultHost) and self.app.vault is None
        if self._shown_once and not self._under_dialog and not locked:
            self.reload()
        self._shown_once = True
        self._under_dialog = False

    # -- type-to-filter -------------------------------------------------------------------------

    def on_key(self, event: events.Key) -> None:
        """On a list, a printable key that is no shortcut starts (or continues) the filter."""
        if self.FILTER_SELECTOR is None or not event.is_printable or not event.character:
            return
        if isinstance(self.focused, (Input, TextArea)) or event.key in self.active_bindings:
            return
        found = self.query(self.FILTER_SELECTOR).results(Input)
        field = next(iter(found), None)
        if field is None or not field.display or not field.is_on_screen:
            return  # a filter on another tab or a hidden pane takes no keys
        event.stop()
        event.prevent_default()
        field.select_on_focus = False  # the next key continues the word, never replaces it
        field.focus()
        field.insert_text_at_cursor(event.character)

    def action_focus_filter(self) -> None:
        for field in self.query(self.FILTER_SELECTOR or "#no-filter").results(Input):
            field.focus()

    # -- unsaved work ---------------------------------------------------------------------------

    def has_unsaved_changes(self) -> bool:
        """Whether leaving now would drop input the officer typed; forms override it."""
        return False

    def save_changes(self, then: Callable[[], Any]) -> None:
        """Save the unsaved input, then call ``then``; a refusal shows by its field instead."""
        then()

    def discard_changes(self) -> None:
        """Forget the unsaved input (the officer chose Discard)."""

    def leave(self, then: Callable[[], Any] | None = None) -> None:
        """Leave this screen (``then``, by default back): asks first when input would be lost."""
        go = then or self.app.pop_screen
        leave_guard = getattr(self.app, "confirm_leave", None)
        if leave_guard is None:
            go()
            return
        leave_guard([self], go)

    # -- palette and messages -----------------------------------------------------------------

    def palette_commands(self) -> list[tuple[str, str, Callable[[], Any]]]:
        """(title, help, callback) for the app's palette provider; only actions that apply."""
        found: list[tuple[str, str, Callable[[], Any]]] = []
        for title, action, help_text in self.SCREEN_COMMANDS:
            if self.check_action(action, ()) is False:
                continue
            found.append((title, help_text, partial(self.call_later, self.run_action, action)))
        return found

    def offer_replace(self, error: CasecoordError, retry: Callable[[], Any]) -> bool:
        """When ``error`` says the destination file exists, ask before replacing it.

        The services never replace a file unasked (the CLI's ``--force``); here the officer is
        asked, by name, and only an explicit yes runs ``retry`` (which passes ``overwrite``).
        No, escape or a stray key leave the existing file untouched. True when handled."""
        from casecoord.bundle.errors import BundleExistsError
        from casecoord.domain.text import shown
        from casecoord.tui.dialogs.confirm import ConfirmDialog
        from casecoord.vault.files import FileExistsRefusedError

        if not isinstance(error, FileExistsRefusedError | BundleExistsError):
            return False
        path = error.path

        def answered(yes: bool | None) -> None:
            if yes:
                retry()
            else:
                self.notify(f"{shown(path, one_line=True)} kept: nothing was written", markup=False)

        self.app.push_screen(
            ConfirmDialog(
                f"{shown(path, one_line=True)} already exists. Replace it?",
                yes="Replace",
                no="Keep it",
            ),
            answered,
        )
        return True

    def confirm_reload(self, reload: Callable[[], Any], unsaved: bool | None = None) -> None:
        """Run ``reload`` (read the stored version into the form) once the officer agrees to drop
        what she typed; at once when nothing is unsaved (``unsaved``, else the whole screen's)."""
        from casecoord.tui.dialogs.confirm import ConfirmDialog

        if not (self.has_unsaved_changes() if unsaved is None else unsaved):
            reload()
            return
        self.app.push_screen(
            ConfirmDialog(
                "Read the stored version into the form? What you typed here and did not save is "
                "dropped.",
                yes="Reload",
                no="Keep my text",
            ),
            lambda yes: reload() if yes else None,
        )

    def show_error(self, error: CasecoordError | str, title: str = "Not done") -> None:
        """An officer-facing failure as a modal she acknowledges."""
        message = error.message if isinstance(error, CasecoordError) else error
        self.app.push_screen(ErrorDialog(message, title=title))
